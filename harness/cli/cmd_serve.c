/* cmd_serve.c — `manta-harness serve`: run the reference server until
 * SIGINT/SIGTERM. The base URL is the first stdout line; one line per request
 * goes to stderr (no bodies, no secrets); a summary line on shutdown. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_common.h"
#include "refserver.h"
#include "manta/spec.h"

#define MAX_BOTS 64

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void serve_usage(FILE *out)
{
    fprintf(out,
            "usage: manta-harness serve --bot-id ID [--bot-id ID]... --secret S --jwt-key KEY\n"
            "                           [--host 127.0.0.1] [--port 0] [--spec PATH]\n"
            "                           [--rate-limit N] [--fault NAME]...\n"
            "\nRuns the reference server of the operation; prints its base URL first.\n\n"
            "  --host HOST       address to listen on (default 127.0.0.1)\n"
            "  --port N          port (default 0: an ephemeral port)\n"
            "  --bot-id ID       a configured bot, repeatable (env MANTA_BOT_ID)\n"
            "  --secret S        the body's credential value (env MANTA_SECRET)\n"
            "  --jwt-key KEY     HS256 key for bearer tokens (env MANTA_JWT_KEY)\n"
            "  --spec PATH       OpenAPI document (default: the bundled contract)\n"
            "  --rate-limit N    requests/s per bot, token bucket (default 0: off)\n"
            "  --fault NAME      break one rule on purpose, repeatable:\n");
    for (size_t i = 0; i < mh_refserver_fault_count; i++)
        fprintf(out, "      %-22s %s (-> %s)\n", mh_refserver_faults[i].name,
                mh_refserver_faults[i].description, mh_refserver_faults[i].check);
    fprintf(out, "  --help            this text\n"
                 "\nSecrets are best passed in the environment: argv is visible to other users.\n");
}

typedef struct {
    const char *host, *spec, *secret, *key;
    const char *bots[MAX_BOTS];
    size_t bot_count;
    long port;
    double rate;
    unsigned long long faults;
} serve_config;

static int parse_number(const char *cmd, const char *flag, const char *v, double lo, double hi,
                        double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || *end || !(d >= lo && d <= hi)) {
        mh_cli_error(cmd, "%s: expected a number from %g to %g, got '%s'", flag, lo, hi, v);
        return -1;
    }
    *out = d;
    return 0;
}

/* One flag with its value. Returns 0, or -1 after printing the error. */
static int apply_flag(const char *cmd, serve_config *c, const char *flag, const char *v)
{
    double d;
    if (strcmp(flag, "--host") == 0) {
        c->host = v;
    } else if (strcmp(flag, "--port") == 0) {
        if (parse_number(cmd, flag, v, 0, 65535, &d))
            return -1;
        if (d != (long)d) {
            mh_cli_error(cmd, "--port: expected an integer, got '%s'", v);
            return -1;
        }
        c->port = (long)d;
    } else if (strcmp(flag, "--bot-id") == 0) {
        if (c->bot_count == MAX_BOTS || !v[0]) {
            mh_cli_error(cmd, "--bot-id: empty or more than %d bots", MAX_BOTS);
            return -1;
        }
        c->bots[c->bot_count++] = v;
    } else if (strcmp(flag, "--secret") == 0) {
        c->secret = v;
    } else if (strcmp(flag, "--jwt-key") == 0) {
        c->key = v;
    } else if (strcmp(flag, "--spec") == 0) {
        if (!v[0]) {
            mh_cli_error(cmd, "--spec: empty path");
            return -1;
        }
        c->spec = v;
    } else if (strcmp(flag, "--rate-limit") == 0) {
        if (parse_number(cmd, flag, v, 0, 1e9, &d))
            return -1;
        c->rate = d;
    } else if (strcmp(flag, "--fault") == 0) {
        int f = mh_refserver_fault_parse(v);
        if (f < 0) {
            mh_cli_error(cmd, "--fault: unknown fault '%s' (see --help)", v);
            return -1;
        }
        c->faults |= MH_FAULT_BIT(f);
    } else {
        char name[64]; /* only the name: an "=value" may be a secret */
        mh_cli_error(cmd, "%s: unknown option (see --help)",
                     mh_cli_opt_name(flag, name, sizeof name));
        return -1;
    }
    return 0;
}

/* Returns 0, 1 for --help, -1 on a usage error (printed). */
static int parse_args(int argc, char **argv, serve_config *c)
{
    /* Every serve option takes a value, so flags come in pairs. */
    for (int i = 1; i < argc; i += 2) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
        if (i + 1 >= argc || mh_cli_value_is_option(argv[i + 1])) {
            char name[64]; /* only the name: an "=value" may be a secret */
            mh_cli_error(argv[0], "%s: missing value or unknown option (see --help)",
                         mh_cli_opt_name(argv[i], name, sizeof name));
            return -1;
        }
        if (apply_flag(argv[0], c, argv[i], argv[i + 1]) != 0)
            return -1;
    }
    const char *env;
    if (c->bot_count == 0 && (env = getenv("MANTA_BOT_ID")) && env[0])
        c->bots[c->bot_count++] = env;
    if (!c->secret)
        c->secret = getenv("MANTA_SECRET");
    if (!c->key)
        c->key = getenv("MANTA_JWT_KEY");
    const char *missing = c->bot_count == 0             ? "--bot-id (or MANTA_BOT_ID)"
                          : !c->secret || !c->secret[0] ? "--secret (or MANTA_SECRET)"
                          : !c->key || !c->key[0]       ? "--jwt-key (or MANTA_JWT_KEY)"
                                                        : NULL;
    if (missing) {
        mh_cli_error(argv[0], "%s is required", missing);
        return -1;
    }
    return 0;
}

static int run_server(const char *cmd, const serve_config *c, const mh_spec *spec)
{
    mh_refserver_opts o = {
        .host = c->host,
        .port = (unsigned short)c->port,
        .spec = spec,
        .bot_ids = c->bots,
        .bot_count = c->bot_count,
        .secret = c->secret,
        .jwt_key = c->key,
        .jwt_key_len = strlen(c->key),
        .rate_limit = c->rate,
        .faults = c->faults,
        .log = stderr,
    };
    mh_refserver *s = NULL;
    mh_error err;
    mh_error_clear(&err);
    /* block the stop signals before the daemon's threads exist (they inherit
     * the mask), so only sigsuspend below receives them: no lost wake-up */
    sigset_t stop_set, old_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    pthread_sigmask(SIG_BLOCK, &stop_set, &old_set);
    mh_status st = mh_refserver_start(&o, &s, &err);
    if (st != MH_OK) {
        pthread_sigmask(SIG_SETMASK, &old_set, NULL);
        char line[1024];
        mh_cli_error(cmd, "%s", mh_error_format(&err, line, sizeof line));
        return st == MH_ERR_NETWORK || st == MH_ERR_NOMEM ? MH_EXIT_UNREACHABLE : MH_EXIT_USAGE;
    }
    printf("%s\n", mh_refserver_base_url(s));
    fflush(stdout);
    while (!stop_requested)
        sigsuspend(&old_set); /* the daemon's own threads serve meanwhile */
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    unsigned long long served = mh_refserver_request_count(s);
    size_t tags = mh_refserver_tag_count(s, NULL);
    mh_refserver_stop(s);
    fprintf(stderr, "manta-harness serve: stopped: %llu requests served, %zu tags stored\n", served,
            tags);
    return MH_EXIT_OK;
}

int mh_cmd_serve(int argc, char **argv)
{
    serve_config c = {.host = "127.0.0.1"};
    int r = parse_args(argc, argv, &c);
    if (r == 1) {
        serve_usage(stdout);
        return MH_EXIT_OK;
    }
    if (r < 0)
        return MH_EXIT_USAGE;
    const char *path = c.spec ? c.spec : mh_cli_default_spec();
    mh_spec *spec = NULL;
    mh_error err;
    mh_error_clear(&err);
    if (mh_spec_load(path, &spec, &err) != MH_OK) {
        char line[1024];
        mh_cli_error(argv[0], "--spec: %s", mh_error_format(&err, line, sizeof line));
        return MH_EXIT_USAGE;
    }
    r = run_server(argv[0], &c, spec);
    mh_spec_free(spec);
    return r;
}
