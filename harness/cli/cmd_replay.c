/* cmd_replay.c — `manta-harness replay FILE`: re-send one saved case and
 * re-check it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manta/casefile.h"
#include "manta/check.h"
#include "cli.h"
#include "cmd_common.h"
#include "spec_source.h"
#include "manta/jwt.h"
#include "manta/model.h"
#include "manta/transport.h"

#define CMD "replay"

static void usage(FILE *out)
{
    fputs("usage: manta-harness replay FILE [options]\n"
          "\n"
          "Re-sends one case saved by `manta-harness fuzz` and re-checks the answer.\n"
          "Secrets were saved as $MANTA_TOKEN / $MANTA_JWT_KEY / $MANTA_SECRET and are\n"
          "filled in from the options or the environment.\n"
          "\n"
          "  --base-url URL            target (default: the one recorded)    [MANTA_BASE_URL]\n"
          "  --spec PATH               OpenAPI document (default: the one recorded)\n"
          "  --token JWT               bearer token                           [MANTA_TOKEN]\n"
          "  --jwt-key KEY             mint a fresh token with this key       [MANTA_JWT_KEY]\n"
          "  --bot-id ID               botId claim of a minted token          [MANTA_BOT_ID]\n"
          "  --secret S                value for $MANTA_SECRET                [MANTA_SECRET]\n"
          "  --timeout MS              whole exchange (default 10000)\n"
          "  --max-response-time MS    enable the max_response_time check\n"
          "  --max-response-bytes N    answer size cap (default 1048576)\n"
          "  --cacert FILE, --insecure TLS settings as for run\n"
          "\n"
          "exit status: 0 no error finding; 1 error finding; 2 usage error; 3 unreachable.\n",
          out);
}

typedef struct {
    const char *file, *base_url, *spec, *token, *jwt_key, *bot_id, *secret, *cacert;
    int insecure;
    long long timeout_ms, max_time_ms, max_bytes;
} replay_flags;

static int parse(int argc, char **argv, replay_flags *f)
{
    static const struct option opts[] = {{"base-url", 1, 0, 'u'},
                                         {"spec", 1, 0, 's'},
                                         {"token", 1, 0, 't'},
                                         {"jwt-key", 1, 0, 'k'},
                                         {"bot-id", 1, 0, 'b'},
                                         {"secret", 1, 0, 'S'},
                                         {"timeout", 1, 0, 'T'},
                                         {"max-response-time", 1, 0, 'M'},
                                         {"max-response-bytes", 1, 0, 'B'},
                                         {"cacert", 1, 0, 'c'},
                                         {"insecure", 0, 0, 'i'},
                                         {"help", 0, 0, 'h'},
                                         {0, 0, 0, 0}};
    optind = 1;
    opterr = 0;
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;
        char name[64];
        if (optarg && optarg == argv[optind - 1] && mh_cli_value_is_option(optarg)) {
            mh_cli_error(CMD, "option '%s' needs a value, got option '%s' (see --help)",
                         mh_cli_opt_name(argv[optind - 2], name, sizeof name),
                         mh_cli_opt_name(optarg, (char[64]){0}, 64));
            return -1;
        }
        switch (o) {
        case 'u':
            f->base_url = optarg;
            break;
        case 's':
            f->spec = optarg;
            if (!*optarg) {
                mh_cli_error(CMD, "--spec: empty path");
                return -1;
            }
            break;
        case 't':
            f->token = optarg;
            break;
        case 'k':
            f->jwt_key = optarg;
            break;
        case 'b':
            f->bot_id = optarg;
            break;
        case 'S':
            f->secret = optarg;
            break;
        case 'c':
            f->cacert = optarg;
            break;
        case 'i':
            f->insecure = 1;
            break;
        case 'T':
            bad = mh_cli_parse_long(CMD, "--timeout", optarg, 1, 3600000, &f->timeout_ms);
            break;
        case 'M':
            bad =
                mh_cli_parse_long(CMD, "--max-response-time", optarg, 1, 3600000, &f->max_time_ms);
            break;
        case 'B':
            bad =
                mh_cli_parse_long(CMD, "--max-response-bytes", optarg, 1, 1LL << 40, &f->max_bytes);
            break;
        case 'h':
            usage(stdout);
            return 1;
        default:
            /* only the option's name: its "=value" may be a secret */
            mh_cli_error(CMD, "unknown option or missing value '%s' (see --help)",
                         mh_cli_opt_name(argv[optind - 1], name, sizeof name));
            return -1;
        }
        if (bad)
            return -1;
    }
    if (optind != argc - 1) {
        mh_cli_error(CMD, "give exactly one case FILE (see --help)");
        return -1;
    }
    f->file = argv[optind];
    f->base_url = mh_cli_or_env(f->base_url, "MANTA_BASE_URL");
    f->token = mh_cli_or_env(f->token, "MANTA_TOKEN");
    f->jwt_key = mh_cli_or_env(f->jwt_key, "MANTA_JWT_KEY");
    f->bot_id = mh_cli_or_env(f->bot_id, "MANTA_BOT_ID");
    f->secret = mh_cli_or_env(f->secret, "MANTA_SECRET");
    return 0;
}

static int fail(const mh_error *e, int status)
{
    char line[1400];
    mh_cli_error(CMD, "%s", mh_error_format(e, line, sizeof line));
    return status;
}

/* Sends the filled case and prints the verdict; returns the exit status. */
static int send_and_check(const replay_flags *f, mh_result *r, const char *base_url,
                          mh_redactor *red)
{
    mh_transport_opts to;
    mh_transport_opts_default(&to);
    to.base_url = base_url;
    if (f->timeout_ms)
        to.timeout_ms = (long)f->timeout_ms;
    if (f->max_bytes)
        to.max_response_bytes = (size_t)f->max_bytes;
    to.cacert = f->cacert;
    to.insecure = f->insecure;
    mh_transport *t = NULL;
    mh_error err;
    mh_error_clear(&err);
    if (mh_transport_new(&to, &t, &err) != MH_OK)
        return fail(&err, MH_EXIT_USAGE);
    mh_status st = mh_transport_send_one(t, r->kase, &r->exchange, &err);
    mh_transport_free(t);
    if (st != MH_OK)
        return fail(&err, MH_EXIT_UNREACHABLE);
    mh_check_opts co = {.secrets = red, .max_response_time_ms = (long)f->max_time_ms};
    mh_check_result(&co, r);
    printf("%s %s -> %d (%.1f ms): %s\n", mh_case_operation(r->kase), r->kase->id,
           r->exchange.status, r->exchange.elapsed_ms, mh_outcome_name(r->outcome));
    for (size_t i = 0; i < r->finding_count; i++) {
        char *m = mh_redact(red, r->findings[i].message, strlen(r->findings[i].message));
        printf("  %s: %s%s%s\n", r->findings[i].check,
               r->findings[i].path[0] ? r->findings[i].path : "",
               r->findings[i].path[0] ? ": " : "", m ? m : "");
        free(m);
    }
    if (r->exchange.status == 0 && r->exchange.error == MH_XFER_CONNECT)
        return MH_EXIT_UNREACHABLE;
    return r->outcome == MH_OUTCOME_FAILED ? MH_EXIT_FINDINGS : MH_EXIT_OK;
}

static int replay(const replay_flags *f, mh_casefile *cf)
{
    const char *spec_path = f->spec ? f->spec : (cf->spec[0] ? cf->spec : mh_cli_default_spec());
    const char *base_url = f->base_url ? f->base_url : cf->base_url;
    mh_spec *spec = NULL;
    mh_error err;
    mh_error_clear(&err);
    if (mh_cli_spec_load(spec_path, NULL, &spec, &err) != MH_OK)
        return fail(&err, MH_EXIT_USAGE);
    mh_result r = {0};
    r.kase = cf->kase;
    cf->kase = NULL;
    /* By "METHOD /path", else by operationId (a path renamed since). */
    r.kase->op = mh_spec_find_operation(spec, cf->operation, &err);
    if (!r.kase->op && cf->operation_id) {
        mh_error by_id;
        mh_error_clear(&by_id);
        r.kase->op = mh_spec_find_operation(spec, cf->operation_id, &by_id);
    }
    char *minted = NULL;
    if (!f->token && f->jwt_key && f->bot_id)
        minted = mh_jwt_mint(f->jwt_key, strlen(f->jwt_key), f->bot_id, (long long)time(NULL),
                             (long long)time(NULL) + 3600);
    const char *token = f->token ? f->token : minted;
    mh_redactor *red = mh_redactor_new();
    mh_redactor_add(red, token, "$MANTA_TOKEN");
    mh_redactor_add(red, f->jwt_key, "$MANTA_JWT_KEY");
    mh_redactor_add(red, f->secret, "$MANTA_SECRET");
    int status;
    if (!r.kase->op)
        status = fail(&err, MH_EXIT_USAGE);
    else if (!base_url || !*base_url) {
        mh_cli_error(CMD, "no target: give --base-url (or MANTA_BASE_URL)");
        status = MH_EXIT_USAGE;
    } else if (mh_casefile_fill(r.kase, token, f->jwt_key, f->secret))
        status = MH_EXIT_UNREACHABLE;
    else
        status = send_and_check(f, &r, base_url, red);
    mh_result_clear(&r);
    mh_redactor_free(red);
    free(minted);
    mh_spec_free(spec);
    return status;
}

int mh_cmd_replay(int argc, char **argv)
{
    replay_flags f = {0};
    int rc = parse(argc, argv, &f);
    if (rc)
        return rc > 0 ? MH_EXIT_OK : MH_EXIT_USAGE;
    mh_casefile cf;
    mh_error err;
    mh_error_clear(&err);
    if (mh_casefile_load(f.file, &cf, &err) != MH_OK)
        return fail(&err, MH_EXIT_USAGE);
    int status = replay(&f, &cf);
    mh_casefile_free(&cf);
    return status;
}
