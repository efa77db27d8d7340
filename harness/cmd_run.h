/* cmd_run.h — the `run` subcommand's parsed flags and its execution, shared
 * with `fuzz` (which takes run's target options). CLI-only. */
#ifndef MH_CMD_RUN_H
#define MH_CMD_RUN_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *spec_path, *op_id, *base_url;
    const char *token, *jwt_key, *bot_id, *secret;
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

/* Runs the suite as configured; prints; returns the exit status. */
int mh_run_cli_execute(mh_run_cli *c);

#endif
