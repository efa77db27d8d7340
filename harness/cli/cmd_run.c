/* cmd_run.c — `manta-harness run`: flags → engine → reports → exit code. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_common.h"
#include "cmd_run.h"
#include "refserver.h"
#include "manta/report.h"
#include "manta/runner.h"

/* The subcommand whose flags are being parsed: "run", or "fuzz", which
 * shares run's target options. */
static const char *cmd_name = "run";
#define CMD cmd_name
#define MAX_REPORTS 16

static void usage(FILE *out)
{
    fputs("usage: manta-harness run [options]\n"
          "\n"
          "Runs the conformance suite against a target. Without --base-url the embedded\n"
          "reference server is started on a loopback port with random credentials and tested.\n"
          "\n"
          "target and credentials (env fallbacks keep secrets out of argv):\n"
          "  --spec PATH|URL           OpenAPI 3.0.x or 3.1.x document, JSON or YAML, a\n"
          "                            file or an http(s) URL (default: bundled contract)\n"
          "  --base-url URL            target, e.g. http://127.0.0.1:8080/api   [MANTA_BASE_URL]\n"
          "  --token JWT               bearer token to send (http bearer, oauth2 and\n"
          "                            openIdConnect schemes)                  [MANTA_TOKEN]\n"
          "  --jwt-key KEY             HS256 key: mint tokens (enables expired and\n"
          "                            other-bot cases)                        [MANTA_JWT_KEY]\n"
          "  --bot-id ID               value of botId parameters and the botId claim of\n"
          "                            minted tokens                           [MANTA_BOT_ID]\n"
          "  --secret S                real value of credential body properties of secured\n"
          "                            operations                              [MANTA_SECRET]\n"
          "  --basic USER:PASS         credentials of http basic schemes       [MANTA_BASIC]\n"
          "  --api-key SCHEME=VALUE    the key of apiKey scheme SCHEME (its name under\n"
          "                            components/securitySchemes); repeatable\n"
          "                            [MANTA_API_KEY_<SCHEME>; MANTA_API_KEY when the\n"
          "                            document has one apiKey scheme]\n"
          "  --cacert FILE             CA bundle for TLS verification\n"
          "  --insecure                do not verify TLS certificates (verification is on by "
          "default)\n"
          "\n"
          "operations (default: every operation of the document, in document order):\n"
          "  --operation SEL           only this operation: 'METHOD /path' or an operationId;\n"
          "                            repeatable\n"
          "  --tag NAME                the operations with this tag; repeatable\n"
          "  --exclude SEL             leave this operation out; repeatable\n"
          "  --param [SEL:]NAME=VALUE  the value of every parameter NAME (of operation SEL\n"
          "                            only, when given); repeatable\n"
          "  --property [SEL:]NAME=VALUE  a top-level request-body property in every case\n"
          "                            that is not malformed; repeatable\n"
          "\n"
          "plan:\n"
          "  --suite LIST              comma list of valid,boundary,malformed,auth,methods "
          "(default all)\n"
          "  --checks LIST             comma list of check names (default all)\n"
          "  --seed N                  plan seed (default random; always printed)\n"
          "  --run-id ID               pin the run id inside unique names (exact replays)\n"
          "  --max-cases N             at most N cases, every suite kept\n"
          "  --repeat N                the plan N times with fresh names (benchmarks)\n"
          "  --shard K/N               run the K-th of N deterministic parts of the plan\n"
          "  --list-cases              print the plan and send nothing\n"
          "\n"
          "transport:\n"
          "  --concurrency N           parallel requests (default 4)\n"
          "  --rate-limit N            at most N requests per second (default unlimited)\n"
          "  --timeout MS              whole exchange of one request (default 10000)\n"
          "  --max-response-time MS    enable the max_response_time check\n"
          "  --max-response-bytes N    answer size cap (default 1048576)\n"
          "\n"
          "output:\n"
          "  --report FORMAT:PATH      json, junit, html or sarif; repeatable\n"
          "  --baseline FILE           known findings do not fail the run; new ones do\n"
          "  --write-baseline FILE     record this run's findings as the baseline\n"
          "  --strict-baseline         a baseline entry that no longer fires is an error\n"
          "  --no-progress             no progress bar (it is off when stdout is not a TTY)\n"
          "  --quiet                   only the summary line\n"
          "  --verbose                 every case\n"
          "\n"
          "exit status: 0 no error finding and every case concluded; 1 error finding or\n"
          "inconclusive case; 2 usage, spec or configuration error (nothing sent);\n"
          "3 target unreachable or internal error.\n",
          out);
}

enum {
    O_SPEC = 256,
    O_OPERATION,
    O_TAG,
    O_EXCLUDE,
    O_PARAM,
    O_PROPERTY,
    O_BASE_URL,
    O_TOKEN,
    O_JWT_KEY,
    O_BOT_ID,
    O_SECRET,
    O_BASIC,
    O_API_KEY,
    O_CACERT,
    O_INSECURE,
    O_SUITE,
    O_CHECKS,
    O_SEED,
    O_RUN_ID,
    O_MAX_CASES,
    O_REPEAT,
    O_SHARD,
    O_LIST,
    O_CONCURRENCY,
    O_RATE,
    O_TIMEOUT,
    O_MAX_TIME,
    O_MAX_BYTES,
    O_REPORT,
    O_BASELINE,
    O_WRITE_BASELINE,
    O_STRICT_BASELINE,
    O_NO_PROGRESS,
    O_QUIET,
    O_VERBOSE,
    O_HELP
};

static const struct option long_opts[] = {
    {"spec", required_argument, 0, O_SPEC},
    {"operation", required_argument, 0, O_OPERATION},
    {"tag", required_argument, 0, O_TAG},
    {"exclude", required_argument, 0, O_EXCLUDE},
    {"param", required_argument, 0, O_PARAM},
    {"property", required_argument, 0, O_PROPERTY},
    {"base-url", required_argument, 0, O_BASE_URL},
    {"token", required_argument, 0, O_TOKEN},
    {"jwt-key", required_argument, 0, O_JWT_KEY},
    {"bot-id", required_argument, 0, O_BOT_ID},
    {"secret", required_argument, 0, O_SECRET},
    {"basic", required_argument, 0, O_BASIC},
    {"api-key", required_argument, 0, O_API_KEY},
    {"cacert", required_argument, 0, O_CACERT},
    {"insecure", no_argument, 0, O_INSECURE},
    {"suite", required_argument, 0, O_SUITE},
    {"checks", required_argument, 0, O_CHECKS},
    {"seed", required_argument, 0, O_SEED},
    {"run-id", required_argument, 0, O_RUN_ID},
    {"max-cases", required_argument, 0, O_MAX_CASES},
    {"repeat", required_argument, 0, O_REPEAT},
    {"shard", required_argument, 0, O_SHARD},
    {"list-cases", no_argument, 0, O_LIST},
    {"concurrency", required_argument, 0, O_CONCURRENCY},
    {"rate-limit", required_argument, 0, O_RATE},
    {"timeout", required_argument, 0, O_TIMEOUT},
    {"max-response-time", required_argument, 0, O_MAX_TIME},
    {"max-response-bytes", required_argument, 0, O_MAX_BYTES},
    {"report", required_argument, 0, O_REPORT},
    {"baseline", required_argument, 0, O_BASELINE},
    {"write-baseline", required_argument, 0, O_WRITE_BASELINE},
    {"strict-baseline", no_argument, 0, O_STRICT_BASELINE},
    {"no-progress", no_argument, 0, O_NO_PROGRESS},
    {"quiet", no_argument, 0, O_QUIET},
    {"verbose", no_argument, 0, O_VERBOSE},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0}};

/* Parses "valid,auth" into a suite bitmask; prints and returns -1 on error. */
static int parse_suites(const char *list, unsigned *mask)
{
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        return -1;
    *mask = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int s = mh_suite_parse(tok);
        if (s < 0 || s == MH_SUITE_FUZZ) {
            mh_cli_error(CMD,
                         "--suite: unknown suite '%s' (valid, boundary, malformed, auth, "
                         "methods)",
                         tok);
            free(copy);
            return -1;
        }
        *mask |= 1u << s;
    }
    free(copy);
    if (!*mask) {
        mh_cli_error(CMD, "--suite: empty list");
        return -1;
    }
    return 0;
}

static int parse_shard(const char *text, unsigned *k, unsigned *n)
{
    unsigned a = 0, b = 0;
    char tail;
    if (sscanf(text, "%u/%u%c", &a, &b, &tail) != 2 || b == 0 || a < 1 || a > b) {
        mh_cli_error(CMD, "--shard: expected K/N with 1 <= K <= N, got '%s'", text);
        return -1;
    }
    *k = a;
    *n = b;
    return 0;
}

/* Appends arg to a repeatable flag's list; -1 (printed) when it is full. */
static int add_to(const char **list, size_t *n, const char *arg, const char *flag)
{
    if (*n == MH_RUN_CLI_MAX_LIST) {
        mh_cli_error(CMD, "%s: at most %d", flag, MH_RUN_CLI_MAX_LIST);
        return -1;
    }
    list[(*n)++] = arg;
    return 0;
}

/* A copy of s[0..n) kept in c (freed by mh_run_cli_free); NULL on OOM. */
static char *keep(mh_run_cli *c, const char *s, size_t n)
{
    if (c->owned_count == sizeof c->owned / sizeof c->owned[0])
        return NULL;
    char *d = strndup(s, n);
    if (d)
        c->owned[c->owned_count++] = d;
    return d;
}

/* Parses "[SEL:]NAME=VALUE" (SEL is what comes before the last ':' ahead
 * of the '='); appends it to list. Messages never echo VALUE (it may be a
 * credential). */
static int add_value(mh_run_cli *c, mh_gen_value *list, size_t *n, const char *arg,
                     const char *flag)
{
    const char *eq = strchr(arg, '=');
    const char *colon = NULL;
    for (const char *p = arg; eq && p < eq; p++)
        if (*p == ':')
            colon = p;
    const char *name = colon ? colon + 1 : arg;
    if (!eq || eq == name) {
        size_t shown = eq ? (size_t)(eq - arg) : strlen(arg);
        mh_cli_error(CMD,
                     "%s: expected NAME=VALUE or 'SEL:NAME=VALUE' (SEL: 'METHOD /path' or an "
                     "operationId), got '%.*s%s'",
                     flag, (int)(shown > 80 ? 80 : shown), arg, eq ? "=..." : "");
        return -1;
    }
    if (*n == MH_RUN_CLI_MAX_LIST) {
        mh_cli_error(CMD, "%s: at most %d", flag, MH_RUN_CLI_MAX_LIST);
        return -1;
    }
    mh_gen_value v = {.operation = colon ? keep(c, arg, (size_t)(colon - arg)) : NULL,
                      .name = keep(c, name, (size_t)(eq - name)),
                      .value = eq + 1};
    if (!v.name || (colon && !v.operation)) {
        mh_cli_error(CMD, "%s: out of memory", flag);
        return -1;
    }
    list[(*n)++] = v;
    return 0;
}

/* 1 when a credential value cannot be sent as it is: a CR, LF or other
 * control byte would break (or inject into) the header or cookie it goes
 * in. */
static int bad_credential(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return 1;
    return 0;
}

/* Parses "SCHEME=VALUE" of --api-key; messages never echo VALUE. */
static int add_api_key(mh_run_cli *c, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        size_t shown = eq ? (size_t)(eq - arg) : strlen(arg);
        mh_cli_error(CMD,
                     "--api-key: expected SCHEME=VALUE (SCHEME: a name under "
                     "components/securitySchemes), got '%.*s%s'",
                     (int)(shown > 80 ? 80 : shown), arg, eq ? "=..." : "");
        return -1;
    }
    size_t n = (size_t)(eq - arg);
    for (size_t i = 0; i < c->api_key_count; i++) {
        if (strlen(c->api_keys[i].scheme) == n && strncmp(c->api_keys[i].scheme, arg, n) == 0) {
            mh_cli_error(CMD, "--api-key: scheme '%.*s' given twice", (int)(n > 80 ? 80 : n), arg);
            return -1;
        }
    }
    if (bad_credential(eq + 1)) {
        mh_cli_error(CMD, "--api-key %.*s: the value holds a control character (CR, LF ...)",
                     (int)(n > 80 ? 80 : n), arg);
        return -1;
    }
    if (c->api_key_count == MH_RUN_CLI_MAX_LIST) {
        mh_cli_error(CMD, "--api-key: at most %d", MH_RUN_CLI_MAX_LIST);
        return -1;
    }
    mh_gen_api_key k = {keep(c, arg, n), eq + 1};
    if (!k.scheme) {
        mh_cli_error(CMD, "--api-key: out of memory");
        return -1;
    }
    c->api_keys[c->api_key_count++] = k;
    c->api_key_flags = c->api_key_count;
    return 0;
}

/* Checks --basic (or MANTA_BASIC): USER:PASS, never echoed. */
static int check_basic(const char *v, const char *from)
{
    if (v && !strchr(v, ':')) {
        mh_cli_error(CMD, "%s: expected USER:PASS (a ':' between user and password)", from);
        return -1;
    }
    return 0;
}

/* Applies one option; returns 0, or -1 after printing an error. */
static int apply_opt(mh_run_cli *c, int opt, const char *arg)
{
    long long v;
    switch (opt) {
    case O_SPEC:
        if (!*arg) {
            mh_cli_error(CMD, "--spec: empty path");
            return -1;
        }
        c->spec_path = arg;
        return 0;
    case O_OPERATION:
        return add_to(c->operations, &c->operation_count, arg, "--operation");
    case O_TAG:
        return add_to(c->tags, &c->tag_count, arg, "--tag");
    case O_EXCLUDE:
        return add_to(c->excludes, &c->exclude_count, arg, "--exclude");
    case O_PARAM:
        return add_value(c, c->params, &c->param_count, arg, "--param");
    case O_PROPERTY:
        return add_value(c, c->properties, &c->property_count, arg, "--property");
    case O_BASE_URL:
        c->base_url = arg;
        return 0;
    case O_TOKEN:
        c->token = arg;
        return 0;
    case O_JWT_KEY:
        c->jwt_key = arg;
        return 0;
    case O_BOT_ID:
        c->bot_id = arg;
        return 0;
    case O_SECRET:
        c->secret = arg;
        return 0;
    case O_BASIC:
        c->basic = arg;
        return check_basic(arg, "--basic");
    case O_API_KEY:
        return add_api_key(c, arg);
    case O_CACERT:
        c->cacert = arg;
        return 0;
    case O_INSECURE:
        c->insecure = 1;
        return 0;
    case O_SUITE:
        return parse_suites(arg, &c->suites);
    case O_CHECKS:
        c->checks_list = arg;
        return 0;
    case O_SEED:
        c->seed_set = 1;
        return mh_cli_parse_u64(CMD, "--seed", arg, &c->seed);
    case O_RUN_ID:
        c->run_id = arg;
        return 0;
    case O_MAX_CASES:
        if (mh_cli_parse_long(CMD, "--max-cases", arg, 1, 100000000, &v))
            return -1;
        c->max_cases = (size_t)v;
        return 0;
    case O_REPEAT:
        if (mh_cli_parse_long(CMD, "--repeat", arg, 1, 1000000, &v))
            return -1;
        c->repeat = (size_t)v;
        return 0;
    case O_SHARD:
        return parse_shard(arg, &c->shard_k, &c->shard_n);
    case O_LIST:
        c->list_cases = 1;
        return 0;
    case O_CONCURRENCY:
        if (mh_cli_parse_long(CMD, "--concurrency", arg, 1, 1024, &v))
            return -1;
        c->concurrency = (int)v;
        return 0;
    case O_RATE:
        return mh_cli_parse_double(CMD, "--rate-limit", arg, 0, &c->rate_limit);
    case O_TIMEOUT:
        return mh_cli_parse_long(CMD, "--timeout", arg, 1, 3600000, &c->timeout_ms);
    case O_MAX_TIME:
        return mh_cli_parse_long(CMD, "--max-response-time", arg, 1, 3600000,
                                 &c->max_response_time_ms);
    case O_MAX_BYTES:
        if (mh_cli_parse_long(CMD, "--max-response-bytes", arg, 1, 1LL << 40, &v))
            return -1;
        c->max_response_bytes = (size_t)v;
        return 0;
    case O_REPORT:
        if (c->report_count == MAX_REPORTS) {
            mh_cli_error(CMD, "--report: at most %d reports", MAX_REPORTS);
            return -1;
        }
        c->reports[c->report_count++] = arg;
        return 0;
    case O_BASELINE:
        c->baseline = arg;
        return 0;
    case O_WRITE_BASELINE:
        c->write_baseline = arg;
        return 0;
    case O_STRICT_BASELINE:
        c->strict_baseline = 1;
        return 0;
    case O_NO_PROGRESS:
        c->no_progress = 1;
        return 0;
    case O_QUIET:
        c->quiet = 1;
        return 0;
    case O_VERBOSE:
        c->verbose = 1;
        return 0;
    }
    return -1;
}

static const char *option_name(int val)
{
    for (const struct option *o = long_opts; o->name; o++)
        if (o->val == val)
            return o->name;
    return "?";
}

/* Parses argv into c. Returns -1 on a usage error (already printed), 1 for
 * --help (printed), 0 otherwise. */
static int parse_args(int argc, char **argv, mh_run_cli *c)
{
    cmd_name = c->cmd = argv[0];
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
        if (opt == O_HELP) {
            usage(stdout);
            return 1;
        }
        if (opt == '?' || opt == ':') {
            /* only the option's name: its "=value" may be a secret */
            const char *word = argv[optind - 1];
            char bad[64];
            mh_cli_opt_name(word, bad, sizeof bad);
            if (optopt && strchr(word, '='))
                mh_cli_error(CMD, "option '%s' takes no value (see --help)", bad);
            else if (optopt)
                mh_cli_error(CMD, "option '%s' needs a value (see --help)", bad);
            else
                mh_cli_error(CMD, "unknown or ambiguous option '%s' (see --help)", bad);
            return -1;
        }
        if (optarg && optarg == argv[optind - 1] && mh_cli_value_is_option(optarg)) {
            mh_cli_error(CMD, "option '--%s' needs a value, got option '%s' (see --help)",
                         option_name(opt), mh_cli_opt_name(optarg, (char[64]){0}, 64));
            return -1;
        }
        if (apply_opt(c, opt, optarg))
            return -1;
    }
    if (optind < argc) {
        mh_cli_error(CMD, "unexpected argument '%s' (see --help)", argv[optind]);
        return -1;
    }
    c->base_url = mh_cli_or_env(c->base_url, "MANTA_BASE_URL");
    c->token = mh_cli_or_env(c->token, "MANTA_TOKEN");
    c->jwt_key = mh_cli_or_env(c->jwt_key, "MANTA_JWT_KEY");
    c->bot_id = mh_cli_or_env(c->bot_id, "MANTA_BOT_ID");
    c->secret = mh_cli_or_env(c->secret, "MANTA_SECRET");
    if (!c->basic && (c->basic = mh_cli_or_env(NULL, "MANTA_BASIC")) != NULL &&
        check_basic(c->basic, "MANTA_BASIC"))
        return -1;
    return 0;
}

int mh_run_cli_parse(int argc, char **argv, mh_run_cli *c)
{
    return parse_args(argc, argv, c);
}

int mh_cmd_run(int argc, char **argv)
{
    mh_run_cli c;
    mh_run_cli_init(&c);
    int rc = parse_args(argc, argv, &c);
    if (rc) {
        mh_run_cli_free(&c);
        return rc > 0 ? MH_EXIT_OK : MH_EXIT_USAGE;
    }
    rc = mh_run_cli_execute(&c);
    mh_run_cli_free(&c);
    return rc;
}
