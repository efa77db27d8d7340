/* cmd_run.h — the `run` subcommand's parsed flags and its execution, shared
 * with `fuzz` (which takes run's target options). CLI-only. */
#ifndef MH_CMD_RUN_H
#define MH_CMD_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "refserver.h"
#include "manta/report.h"
#include "manta/runner.h"

/* Most values one repeatable selection or value flag takes. */
#define MH_RUN_CLI_MAX_LIST 128

typedef struct {
    const char *cmd; /* the subcommand name, for messages */
    const char *spec_path, *base_url;
    /* --operation, --tag, --exclude (each repeatable) */
    const char *operations[MH_RUN_CLI_MAX_LIST], *tags[MH_RUN_CLI_MAX_LIST],
        *excludes[MH_RUN_CLI_MAX_LIST];
    size_t operation_count, tag_count, exclude_count;
    /* --param and --property ([SEL:]NAME=VALUE); the strings point into argv */
    mh_gen_value params[MH_RUN_CLI_MAX_LIST], properties[MH_RUN_CLI_MAX_LIST];
    size_t param_count, property_count;
    char *owned[3 * MH_RUN_CLI_MAX_LIST]; /* the SEL, NAME and SCHEME copies the values point
                                             at */
    size_t owned_count;
    const char *token, *jwt_key, *bot_id, *secret;
    /* --api-key SCHEME=VALUE (repeatable; SCHEME copied into owned, VALUE in
     * argv), then after the spec is loaded MANTA_API_KEY_<SCHEME> and
     * MANTA_API_KEY (SCHEME then borrowed from the spec); --basic USER:PASS */
    mh_gen_api_key api_keys[MH_RUN_CLI_MAX_LIST];
    size_t api_key_count, api_key_flags;
    const char *basic;
    const char *cacert;
    int insecure;
    unsigned suites;
    const char *checks_list;
    uint64_t seed;
    int seed_set;
    const char *run_id;
    size_t max_cases, repeat;
    unsigned shard_k, shard_n;
    int list_cases;
    int concurrency;
    double rate_limit;
    long long timeout_ms, max_response_time_ms;
    size_t max_response_bytes;
    const char *reports[16];
    int report_count;
    const char *baseline, *write_baseline;
    int strict_baseline;
    int no_progress, quiet, verbose;
} mh_run_cli;

void mh_run_cli_init(mh_run_cli *c);

/* Parses run's flags (argv[0] is the subcommand name, used in messages).
 * Returns -1 on a usage error (printed), 1 when --help was printed, else 0. */
int mh_run_cli_parse(int argc, char **argv, mh_run_cli *c);

/* Random credentials for the embedded server: hex, never printed. */
typedef struct {
    char bot_id[32], secret[40], jwt_key[72];
    char api_keys[MH_RUN_CLI_MAX_LIST][32]; /* --list-cases: one example key per apiKey scheme */
} mh_run_creds;

/* Frees what parsing copied (the SEL and NAME parts of --param and
 * --property). */
void mh_run_cli_free(mh_run_cli *c);

/* What a run needs once flags are parsed: the spec, the embedded server
 * when no target was given, and the engine options. */
typedef struct {
    mh_spec *spec;
    const mh_operation **ops; /* the selected operations (owned array) */
    size_t op_count;
    const char *spec_path;
    char *run_id;
    mh_run_creds creds;
    mh_refserver *server;
    mh_runner_opts opts;
} mh_run_session;

/* Loads the spec, fills credentials, starts the embedded server if needed
 * and builds the options. Returns 0, or an exit status after printing one
 * line. Close the session in both cases. */
int mh_run_session_open(mh_run_cli *c, mh_run_session *s);
void mh_run_session_close(mh_run_session *s);

/* Writes every --report target for run; a failure is printed as one line
 * under cmd ("run", "fuzz") and the others are still written. When announce
 * is set and not --quiet, prints "report: PATH" for each one written.
 * Returns 1 when any report failed, else 0. */
int mh_run_cli_write_reports(const mh_run_cli *c, const mh_run *run, const char *cmd, int announce);

/* c->base_url for console lines, with every configured credential (token,
 * JWT key, secret, API keys, basic) replaced by its placeholder (a URL may
 * carry one). Caller frees; NULL on OOM. */
char *mh_run_cli_shown_url(const mh_run_cli *c);

/* Runs the suite as configured; prints; returns the exit status. */
int mh_run_cli_execute(mh_run_cli *c);

#endif
