/* fuzz.c — the network fuzzing loop: mutate, send in batches, check, dedup. */
#include "manta/fuzz.h"
#include "manta/json_strict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manta/runner.h"
#include "util/buf.h"

#define BATCH_PER_SLOT 4
#define MH_FUZZ_MAX_BASE_BODY (80 * 1024)

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void mh_fuzz_signature(const mh_result *r, char *buf, size_t n)
{
    const mh_finding *f = NULL;
    for (size_t i = 0; i < r->finding_count; i++)
        if (!f || (r->findings[i].severity > f->severity))
            f = &r->findings[i];
    if (!f) {
        snprintf(buf, n, "none");
        return;
    }
    const char *detail = f->path;
    if (f->check_id == MH_CHECK_TRANSPORT_ERROR)
        detail = mh_xfer_error_name(r->exchange.error);
    snprintf(buf, n, "%s|%d|%s", f->check, r->exchange.status, detail ? detail : "");
}

typedef struct {
    const mh_fuzz_opts *o;
    mh_check_opts checks;
    mh_fuzz_out *out;
    mh_case **batch;
    mh__buf signatures; /* char *[]: the signature of every finding kept, owned */
    mh__buf findings;   /* grows out->findings, which owns the memory (mh_fuzz_out_free) */
    size_t connect_failures;
    volatile sig_atomic_t *stop; /* the caller's flag, or a local one */
    char *keep; /* the body secret as it stands in a JSON body: never cut (owned) */
} fuzz_ctx;

static size_t sig_count(const fuzz_ctx *ctx)
{
    return ctx->signatures.len / sizeof(char *);
}

static int known_signature(const fuzz_ctx *ctx, const char *sig)
{
    char **v = (char **)ctx->signatures.p;
    for (size_t i = 0; i < sig_count(ctx); i++)
        if (strcmp(v[i], sig) == 0)
            return 1;
    return 0;
}

/* Keeps r when its signature is new; otherwise clears it. */
static void keep_if_new(fuzz_ctx *ctx, mh_result *r)
{
    char sig[512];
    mh_fuzz_signature(r, sig, sizeof sig);
    mh_fuzz_out *out = ctx->out;
    char **slot = (char **)mh__buf_reserve(&ctx->signatures, sizeof *slot);
    mh_result *at = (mh_result *)mh__buf_reserve(&ctx->findings, sizeof *at);
    if (at)
        out->findings = (mh_result *)ctx->findings.p; /* it may have moved */
    if (known_signature(ctx, sig) || !slot || !at || !(*slot = strdup(sig))) {
        mh_result_clear(r);
        return;
    }
    mh__buf_commit(&ctx->signatures, sizeof *slot);
    *at = *r;
    mh__buf_commit(&ctx->findings, sizeof *at);
    out->count++;
    memset(r, 0, sizeof *r);
}

static void on_done(void *vctx, size_t index, mh_exchange *x)
{
    fuzz_ctx *ctx = vctx;
    mh_result r = {0};
    r.kase = ctx->batch[index];
    ctx->batch[index] = NULL;
    r.exchange = *x;
    memset(x, 0, sizeof *x);
    if (r.exchange.status > 0)
        ctx->out->answered++;
    /* Nothing listens: stop rather than spend the whole budget (exit 3). */
    if (r.exchange.error == MH_XFER_CONNECT && ctx->out->answered == 0 &&
        ++ctx->connect_failures >= 4) {
        ctx->out->unreachable = 1;
        *ctx->stop = 1;
    }
    mh_check_result(&ctx->checks, &r);
    if (r.finding_count > 0)
        keep_if_new(ctx, &r);
    else
        mh_result_clear(&r);
}

static int done_yet(const fuzz_ctx *ctx, size_t iterations, double t0)
{
    const mh_fuzz_opts *o = ctx->o;
    if (*ctx->stop)
        return 1;
    if (o->iterations && iterations >= o->iterations)
        return 1;
    return o->duration_s > 0 && mono_ms() - t0 >= o->duration_s * 1e3;
}

/* Mutation bases: the plan's cases, of every operation, that use their
 * operation's own method (405s of the methods suite say nothing new), are
 * sent (not skipped) and whose bodies are small enough to mutate quickly.
 * Moves nothing; returns the count. */
static size_t pick_pool(const mh_plan *plan, const mh_case **pool)
{
    size_t n = 0;
    for (size_t i = 0; i < plan->count; i++) {
        const mh_case *c = plan->cases[i];
        if (!c->skip_reason && strcmp(c->method, c->op->method) == 0 &&
            c->body_len <= MH_FUZZ_MAX_BASE_BODY)
            pool[n++] = c;
    }
    return n;
}

/* secret as it stands inside a JSON string (escaped, without the quotes);
 * NULL for none or on OOM (then nothing is protected: the redactor still
 * catches every whole occurrence). Caller frees. */
static char *body_form(const char *secret)
{
    char *q = secret && *secret ? mh_json_quote(secret) : NULL;
    if (q) {
        size_t n = strlen(q);
        memmove(q, q + 1, n - 2);
        q[n - 2] = '\0';
    }
    return q;
}

/* Fills the batch with mutations of random pool cases; returns how many. */
static size_t fill_batch(fuzz_ctx *ctx, mh_prng *rng, const mh_case **pool, size_t pool_n,
                         size_t first, size_t want)
{
    size_t n = 0;
    for (; n < want; n++) {
        const mh_case *base = pool[mh_prng_below(rng, pool_n)];
        const char *op;
        if (mh_fuzz_mutate(rng, base, first + n, ctx->keep, &ctx->batch[n], &op))
            break;
    }
    return n;
}

static mh_status fuzz_loop(fuzz_ctx *ctx, mh_transport *t, const mh_case **pool, size_t pool_n,
                           mh_error *err)
{
    const mh_fuzz_opts *o = ctx->o;
    mh_prng rng;
    mh_prng_seed(&rng, o->seed);
    size_t slots = (size_t)(o->transport.concurrency > 0 ? o->transport.concurrency : 4);
    size_t batch = slots * BATCH_PER_SLOT;
    double t0 = mono_ms();
    while (!done_yet(ctx, ctx->out->iterations, t0)) {
        size_t want = batch;
        if (o->iterations && o->iterations - ctx->out->iterations < want)
            want = o->iterations - ctx->out->iterations;
        size_t n = fill_batch(ctx, &rng, pool, pool_n, ctx->out->iterations, want);
        if (n == 0)
            return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
        mh_status st = mh_transport_run(t, ctx->batch, n, on_done, ctx, ctx->stop, err);
        for (size_t i = 0; i < n; i++) {
            mh_case_free(ctx->batch[i]);
            ctx->batch[i] = NULL;
        }
        if (st != MH_OK)
            return st;
        ctx->out->iterations += n;
        if (o->status)
            o->status(o->status_ctx, ctx->out->iterations, ctx->out->count, mono_ms() - t0);
    }
    ctx->out->duration_ms = mono_ms() - t0;
    return MH_OK;
}

mh_status mh_fuzz_run(const mh_fuzz_opts *o, mh_fuzz_out *out, mh_error *err)
{
    memset(out, 0, sizeof *out);
    mh_plan plan;
    mh_status st = mh_gen_plan(&o->gen, &plan, err);
    if (st != MH_OK)
        return st;
    out->redactor = mh_runner_redactor(&o->gen, (const char *const *)plan.tokens, plan.token_count);
    mh_transport *t = NULL;
    volatile sig_atomic_t local_stop = 0;
    fuzz_ctx ctx = {.o = o,
                    .checks = o->checks,
                    .out = out,
                    .signatures = MH__BUF_INIT,
                    .findings = MH__BUF_INIT,
                    .stop = o->stop ? o->stop : &local_stop};
    ctx.checks.secrets = out->redactor;
    ctx.keep = body_form(o->gen.secret);
    size_t slots = (size_t)(o->transport.concurrency > 0 ? o->transport.concurrency : 4);
    ctx.batch = calloc(slots * BATCH_PER_SLOT, sizeof *ctx.batch);
    if (!out->redactor || !ctx.batch || plan.count == 0)
        st = mh_error_set(err, plan.count ? MH_ERR_NOMEM : MH_ERR_SPEC,
                          plan.count ? "out of memory" : "no cases to start from");
    else
        st = mh_transport_new(&o->transport, &t, err);
    const mh_case **pool = st == MH_OK ? malloc(plan.count * sizeof *pool) : NULL;
    size_t pool_n = pool ? pick_pool(&plan, pool) : 0;
    if (st == MH_OK && pool_n == 0)
        st = mh_error_set(err, MH_ERR_SPEC, "no %s case to mutate", o->gen.op->method);
    if (st == MH_OK)
        st = fuzz_loop(&ctx, t, pool, pool_n, err);
    free(pool);
    out->interrupted = *ctx.stop && !out->unreachable;
    mh_transport_free(t);
    for (size_t i = 0; i < sig_count(&ctx); i++)
        free(((char **)ctx.signatures.p)[i]);
    mh__buf_free(&ctx.signatures);
    free(ctx.batch);
    free(ctx.keep);
    mh_plan_free(&plan);
    if (st != MH_OK)
        mh_fuzz_out_free(out);
    return st;
}

void mh_fuzz_out_free(mh_fuzz_out *out)
{
    if (!out)
        return;
    mh_results_free(out->findings, out->count);
    mh_redactor_free(out->redactor);
    memset(out, 0, sizeof *out);
}
