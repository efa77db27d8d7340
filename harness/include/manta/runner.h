/* runner.h — one conformance run: plan → send → check, as a library call.
 *
 * The runner does not start servers and does not print: the CLI starts the
 * embedded reference server when no target is given, and renders the
 * returned results with report.h.
 */
#ifndef MANTA_RUNNER_H
#define MANTA_RUNNER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "manta/check.h"
#include "manta/gen.h"
#include "manta/model.h"
#include "manta/redact.h"
#include "manta/spec.h"
#include "manta/transport.h"

typedef void (*mh_runner_progress_fn)(void *ctx, size_t done, size_t total, size_t failed);

typedef struct {
    mh_gen_opts gen;             /* spec, op, seed, run_id, credentials, suites, max_cases */
    mh_transport_opts transport; /* base_url, timeouts, caps, concurrency, rate */
    mh_check_opts checks;        /* enabled checks, max response time (secrets filled here) */
    const char *jwt_key;         /* registered with the redactor (also in gen) */
    unsigned shard_k, shard_n;   /* run the k-th (1-based) of n parts; n == 0 = all */
    mh_runner_progress_fn progress;
    void *progress_ctx;
    volatile sig_atomic_t *stop; /* set by a signal handler to interrupt */
} mh_runner_opts;

typedef struct {
    mh_result *results; /* in plan order; count entries */
    size_t count;
    size_t answered; /* exchanges that got an HTTP answer */
    double duration_ms;
    int interrupted;
    int unreachable;       /* stopped early: the first connects all failed, no answer */
    mh_redactor *redactor; /* knows every secret of the run */
} mh_runner_out;

/* The cases of plan that shard k of n runs: case i belongs to shard
 * (i % n) + 1, so the n shards partition the plan exactly and each stays a
 * mix of suites. Returns 1 when case i is in shard k. n == 0 means all. */
int mh_runner_in_shard(size_t i, unsigned k, unsigned n);

/* Makes the redactor for a run: token, JWT key, secret, every minted
 * token, the API keys and the basic credentials (manta/credential.h names
 * their placeholders). Caller frees. NULL on OOM. */
mh_redactor *mh_runner_redactor(const mh_gen_opts *g, const char *const *tokens, size_t n);

/* Plans, sends and checks. On MH_OK out owns the results and the redactor
 * (free with mh_runner_out_free), even when the run was interrupted. Returns
 * MH_ERR_USAGE/MH_ERR_SPEC for configuration problems before anything is
 * sent, MH_ERR_NOMEM or MH_ERR_INTERNAL otherwise. An unreachable target is
 * not an error here: out->answered == 0 tells. */
mh_status mh_runner_run(const mh_runner_opts *o, mh_runner_out *out, mh_error *err);

void mh_runner_out_free(mh_runner_out *out);

#endif
