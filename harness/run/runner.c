#include "manta/runner.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manta/credential.h"
#include "util/buf.h"

int mh_runner_in_shard(size_t i, unsigned k, unsigned n)
{
    if (n == 0)
        return 1;
    return (unsigned)(i % n) + 1 == k;
}

mh_redactor *mh_runner_redactor(const mh_gen_opts *g, const char *const *tokens, size_t n)
{
    mh_redactor *r = mh_redactor_new();
    if (!r)
        return NULL;
    int rc = 0;
    rc |= mh_redactor_add(r, g->token, "$MANTA_TOKEN");
    rc |= mh_redactor_add(r, g->jwt_key, "$MANTA_JWT_KEY");
    rc |= mh_redactor_add(r, g->secret, "$MANTA_SECRET");
    rc |= mh_credential_redact_basic(r, g->basic);
    for (size_t i = 0; i < g->api_key_count; i++)
        rc |= mh_credential_redact_api_key(r, g->api_keys[i].scheme, g->api_keys[i].value);
    for (size_t i = 0; i < n; i++)
        rc |= mh_redactor_add(r, tokens[i], "$MANTA_TOKEN");
    if (rc) {
        mh_redactor_free(r);
        return NULL;
    }
    return r;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct {
    const mh_runner_opts *opts;
    mh_check_opts checks;
    mh_runner_out *out;
    mh__buf results;   /* grows out->results, which owns the memory (mh_runner_out_free) */
    mh__buf concluded; /* unsigned char per result: 1 once the transport reported it */
    size_t first;      /* index of the chunk's first result */
    size_t plan_total; /* plan indexes seen so far (for sharding) */
    size_t done, failed, expected;
    size_t connect_failures;
    size_t *sent; /* send_chunk: each sent case's offset from first (skipped ones are not sent) */
    volatile sig_atomic_t *stop; /* the caller's flag, or a local one */
} run_ctx;

/* After this many failed connects with no answer at all the target is
 * unreachable: the run stops instead of waiting out every case's connect
 * timeout (DESIGN.md: exit 3 within a few seconds). */
#define MH_RUNNER_UNREACHABLE_AFTER 4

/* Passed cases of a streamed run keep this much of their request body, so a
 * 10,000-case run does not hold every large body until the report. */
#define MH_RUNNER_KEEP_BODY 1024

/* Called by the transport as each case completes: judge it right away so
 * only one exchange per slot is alive at a time. */
static void on_done(void *vctx, size_t index, mh_exchange *x)
{
    run_ctx *ctx = vctx;
    size_t at = ctx->first + (ctx->sent ? ctx->sent[index] : index);
    mh_result *r = &ctx->out->results[at];
    if (r->kase->skip_reason) {
        /* Skipped cases are never judged (take_chunk settled them). */
        mh_exchange_clear(x);
        return;
    }
    r->exchange = *x;
    memset(x, 0, sizeof *x);
    /* The transport's buffer grew in steps; results live until the reports
     * are written, so give the slack back now. */
    if (r->exchange.body) {
        char *b = realloc(r->exchange.body, r->exchange.body_len + 1);
        if (b)
            r->exchange.body = b;
    }
    if (r->exchange.status > 0)
        ctx->out->answered++;
    if (r->exchange.error == MH_XFER_CONNECT && ctx->out->answered == 0 &&
        ++ctx->connect_failures >= MH_RUNNER_UNREACHABLE_AFTER) {
        ctx->out->unreachable = 1;
        *ctx->stop = 1;
    }
    /* An exchange cut short by the user's interrupt says nothing about the
     * server: it stays inconclusive instead of becoming a transport_error. */
    if (*ctx->stop && r->exchange.error != MH_XFER_OK &&
        (!ctx->out->unreachable || r->exchange.error == MH_XFER_OTHER)) {
        r->outcome = MH_OUTCOME_INCONCLUSIVE;
        return;
    }
    mh_check_result(&ctx->checks, r);
    ((unsigned char *)ctx->concluded.p)[at] = 1;
    ctx->done++;
    if (r->outcome == MH_OUTCOME_FAILED)
        ctx->failed++;
    if (ctx->opts->progress)
        ctx->opts->progress(ctx->opts->progress_ctx, ctx->done, ctx->expected, ctx->failed);
}

/* Moves the shard's cases of one plan chunk into out->results. */
static mh_status take_chunk(run_ctx *ctx, mh_plan *plan)
{
    const mh_runner_opts *o = ctx->opts;
    mh_runner_out *out = ctx->out;
    char *r = mh__buf_reserve(&ctx->results, plan->count * sizeof *out->results);
    char *c = mh__buf_reserve(&ctx->concluded, plan->count);
    if (r)
        out->results = (mh_result *)ctx->results.p; /* it may have moved */
    if (!r || !c)
        return MH_ERR_NOMEM;
    memset(r, 0, plan->count * sizeof *out->results);
    memset(c, 0, plan->count);
    ctx->first = out->count;
    for (size_t i = 0; i < plan->count; i++, ctx->plan_total++) {
        if (!mh_runner_in_shard(ctx->plan_total, o->shard_k, o->shard_n))
            continue;
        /* A case with a skip reason is not sent: it is concluded as skipped. */
        if (plan->cases[i]->skip_reason) {
            out->results[out->count].outcome = MH_OUTCOME_SKIPPED;
            c[out->count - ctx->first] = 1;
        }
        out->results[out->count++].kase = plan->cases[i];
        plan->cases[i] = NULL;
    }
    size_t taken = out->count - ctx->first;
    mh__buf_commit(&ctx->results, taken * sizeof *out->results);
    mh__buf_commit(&ctx->concluded, taken);
    return MH_OK;
}

static mh_status send_chunk(run_ctx *ctx, mh_transport *t, mh_error *err)
{
    mh_runner_out *out = ctx->out;
    size_t n = out->count - ctx->first, k = 0;
    mh_case **cases = malloc((n ? n : 1) * sizeof *cases);
    ctx->sent = malloc((n ? n : 1) * sizeof *ctx->sent);
    if (!cases || !ctx->sent) {
        free(cases);
        free(ctx->sent);
        ctx->sent = NULL;
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    /* A skipped case is never sent; it counts as done for the progress. */
    for (size_t i = 0; i < n; i++) {
        mh_case *c = out->results[ctx->first + i].kase;
        if (c->skip_reason) {
            ctx->done++;
            continue;
        }
        ctx->sent[k] = i;
        cases[k++] = c;
    }
    mh_status st = k ? mh_transport_run(t, cases, k, on_done, ctx, ctx->stop, err) : MH_OK;
    free(cases);
    free(ctx->sent);
    ctx->sent = NULL;
    return st;
}

/* Cuts the request bodies of the chunk's passed cases to a prefix. */
static void trim_passed(run_ctx *ctx)
{
    for (size_t i = ctx->first; i < ctx->out->count; i++) {
        mh_result *r = &ctx->out->results[i];
        mh_case *k = r->kase;
        if (r->outcome != MH_OUTCOME_PASSED)
            continue;
        /* Passed answers keep status, content type and body; their other
         * headers say nothing a report reader needs. */
        for (size_t h = 0; h < r->exchange.header_count; h++) {
            free(r->exchange.headers[h].name);
            free(r->exchange.headers[h].value);
        }
        free(r->exchange.headers);
        r->exchange.headers = NULL;
        r->exchange.header_count = 0;
        if (!k->body || k->body_len <= MH_RUNNER_KEEP_BODY)
            continue;
        char *b = realloc(k->body, MH_RUNNER_KEEP_BODY + 1);
        if (!b)
            continue;
        b[MH_RUNNER_KEEP_BODY] = '\0';
        k->body = b;
        k->body_dropped = k->body_len - MH_RUNNER_KEEP_BODY;
        k->body_len = MH_RUNNER_KEEP_BODY;
    }
}

/* Registers the chunk's tokens with the run's redactor (made on first use). */
static mh_status add_tokens(const mh_runner_opts *o, mh_runner_out *out, const mh_plan *plan)
{
    if (!out->redactor)
        out->redactor =
            mh_runner_redactor(&o->gen, (const char *const *)plan->tokens, plan->token_count);
    return out->redactor ? MH_OK : MH_ERR_NOMEM;
}

/* Cases the run will send, known once the first chunk is planned. */
static size_t expected_cases(const mh_runner_opts *o, size_t per_chunk, int stream)
{
    size_t reps = o->gen.repeat ? o->gen.repeat : 1;
    size_t n = stream ? per_chunk * reps : per_chunk;
    if (o->gen.max_cases && o->gen.max_cases < n)
        n = o->gen.max_cases;
    return o->shard_n ? (n + o->shard_n - 1) / o->shard_n : n;
}

/* One chunk: plan it, send it, judge it. */
static mh_status run_chunk(run_ctx *ctx, mh_transport *t, const mh_gen_opts *g, int trim,
                           mh_error *err)
{
    mh_plan plan;
    mh_status st = mh_gen_plan(g, &plan, err);
    if (st != MH_OK)
        return st;
    size_t sendable = 0;
    for (size_t i = 0; i < plan.count; i++)
        sendable += !plan.cases[i]->skip_reason;
    if (!sendable && !ctx->expected) {
        /* Nothing would be sent: a plan of skipped cases tests nothing. */
        st = mh_error_set(err, MH_ERR_USAGE,
                          "nothing to send: every case of the plan is skipped "
                          "(%s %s: %s)",
                          plan.cases[0]->op->id, plan.cases[0]->id, plan.cases[0]->skip_reason);
        mh_plan_free(&plan);
        return st;
    }
    if (!ctx->expected)
        ctx->expected = expected_cases(ctx->opts, plan.count, trim);
    if (add_tokens(ctx->opts, ctx->out, &plan) != MH_OK || take_chunk(ctx, &plan) != MH_OK)
        st = mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    ctx->checks.secrets = ctx->out->redactor;
    mh_plan_free(&plan);
    if (st == MH_OK)
        st = send_chunk(ctx, t, err);
    if (st == MH_OK && trim)
        trim_passed(ctx);
    return st;
}

/* A large repeated plan is generated, sent and trimmed one repetition at a
 * time, so memory stays flat however many repetitions are asked for. */
static mh_status run_all(run_ctx *ctx, mh_transport *t, mh_error *err)
{
    const mh_runner_opts *o = ctx->opts;
    size_t reps = o->gen.repeat ? o->gen.repeat : 1;
    int stream = reps > 1 && o->gen.max_cases == 0;
    mh_gen_opts g = o->gen;
    if (!stream)
        return run_chunk(ctx, t, &g, 0, err);
    mh_status st = MH_OK;
    g.repeat = 1;
    for (size_t k = 1; k <= reps && st == MH_OK && !*ctx->stop; k++) {
        g.first_repeat = k;
        st = run_chunk(ctx, t, &g, 1, err);
    }
    return st;
}

mh_status mh_runner_run(const mh_runner_opts *o, mh_runner_out *out, mh_error *err)
{
    memset(out, 0, sizeof *out);
    if (o->shard_n > 0 && (o->shard_k < 1 || o->shard_k > o->shard_n))
        return mh_error_set(err, MH_ERR_USAGE, "--shard: K must be between 1 and N");
    double t0 = now_ms();
    volatile sig_atomic_t local_stop = 0;
    run_ctx ctx = {.opts = o,
                   .checks = o->checks,
                   .out = out,
                   .results = MH__BUF_INIT,
                   .concluded = MH__BUF_INIT,
                   .stop = o->stop ? o->stop : &local_stop};
    mh_transport *t = NULL;
    mh_status st = mh_transport_new(&o->transport, &t, err);
    if (st == MH_OK) {
        st = run_all(&ctx, t, err);
    }
    mh_transport_free(t);
    if (st != MH_OK) {
        mh__buf_free(&ctx.concluded);
        mh_runner_out_free(out);
        return st;
    }
    /* Cases an interruption kept from being sent did not conclude. */
    const unsigned char *concluded = (const unsigned char *)ctx.concluded.p;
    for (size_t i = 0; i < out->count; i++)
        if (!concluded[i])
            out->results[i].outcome = MH_OUTCOME_INCONCLUSIVE;
    mh__buf_free(&ctx.concluded);
    out->interrupted = *ctx.stop && !out->unreachable;
    out->duration_ms = now_ms() - t0;
    return MH_OK;
}

void mh_runner_out_free(mh_runner_out *out)
{
    if (!out)
        return;
    mh_results_free(out->results, out->count);
    mh_redactor_free(out->redactor);
    memset(out, 0, sizeof *out);
}
