#include "runner.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    unsigned char *concluded; /* per result: 1 once the transport reported it */
    size_t done, failed;
} run_ctx;

/* Called by the transport as each case completes: judge it right away so
 * only one exchange per slot is alive at a time. */
static void on_done(void *vctx, size_t index, mh_exchange *x)
{
    run_ctx *ctx = vctx;
    mh_result *r = &ctx->out->results[index];
    r->exchange = *x;
    memset(x, 0, sizeof *x);
    if (r->exchange.status > 0)
        ctx->out->answered++;
    mh_check_result(&ctx->checks, r);
    ctx->concluded[index] = 1;
    ctx->done++;
    if (r->outcome == MH_OUTCOME_FAILED)
        ctx->failed++;
    if (ctx->opts->progress)
        ctx->opts->progress(ctx->opts->progress_ctx, ctx->done, ctx->out->count, ctx->failed);
}

/* Moves the shard's cases out of the plan into out->results. */
static mh_status take_shard(const mh_runner_opts *o, mh_plan *plan, mh_runner_out *out)
{
    out->results = calloc(plan->count ? plan->count : 1, sizeof *out->results);
    if (!out->results)
        return MH_ERR_NOMEM;
    for (size_t i = 0; i < plan->count; i++) {
        if (!mh_runner_in_shard(i, o->shard_k, o->shard_n))
            continue;
        out->results[out->count++].kase = plan->cases[i];
        plan->cases[i] = NULL;
    }
    return MH_OK;
}

static mh_status send_all(const mh_runner_opts *o, run_ctx *ctx, mh_error *err)
{
    mh_transport *t = NULL;
    mh_status st = mh_transport_new(&o->transport, &t, err);
    if (st != MH_OK)
        return st;
    mh_runner_out *out = ctx->out;
    mh_case **cases = malloc((out->count ? out->count : 1) * sizeof *cases);
    if (!cases) {
        mh_transport_free(t);
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < out->count; i++)
        cases[i] = out->results[i].kase;
    st = mh_transport_run(t, cases, out->count, on_done, ctx, o->stop, err);
    free(cases);
    mh_transport_free(t);
    return st;
}

mh_status mh_runner_run(const mh_runner_opts *o, mh_runner_out *out, mh_error *err)
{
    memset(out, 0, sizeof *out);
    if (o->shard_n > 0 && (o->shard_k < 1 || o->shard_k > o->shard_n))
        return mh_error_set(err, MH_ERR_USAGE, "--shard: K must be between 1 and N");
    double t0 = now_ms();
    mh_plan plan;
    mh_status st = mh_gen_plan(&o->gen, &plan, err);
    if (st != MH_OK)
        return st;
    out->redactor = mh_runner_redactor(&o->gen, (const char *const *)plan.tokens, plan.token_count);
    if (!out->redactor || take_shard(o, &plan, out) != MH_OK) {
        mh_plan_free(&plan);
        mh_runner_out_free(out);
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    mh_plan_free(&plan);
    run_ctx ctx = {.opts = o, .checks = o->checks, .out = out};
    ctx.checks.secrets = out->redactor;
    ctx.concluded = calloc(out->count ? out->count : 1, 1);
    st = ctx.concluded ? send_all(o, &ctx, err) : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    if (st != MH_OK) {
        free(ctx.concluded);
        mh_runner_out_free(out);
        return st;
    }
    /* Cases an interruption kept from being sent did not conclude. */
    for (size_t i = 0; i < out->count; i++)
        if (!ctx.concluded[i])
            out->results[i].outcome = MH_OUTCOME_INCONCLUSIVE;
    free(ctx.concluded);
    out->interrupted = o->stop && *o->stop;
    out->duration_ms = now_ms() - t0;
    return MH_OK;
}

void mh_runner_out_free(mh_runner_out *out)
{
    if (!out)
        return;
    for (size_t i = 0; i < out->count; i++)
        mh_result_clear(&out->results[i]);
    free(out->results);
    mh_redactor_free(out->redactor);
    memset(out, 0, sizeof *out);
}
