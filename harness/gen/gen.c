/* gen.c — the plan, the top of harness/gen/: the tokens, the operations of
 * each repetition (their inputs come from gen_op.c) and their suites, unique
 * ids and the max_cases subset. The suites live in gen_body.c, gen_other.c,
 * gen_pcase.c and gen_auth.c, one case in gen_case.c, the helpers below. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "gen_internal.h"
#include "manta/credential.h"
#include "manta/json_strict.h"
#include "manta/schema.h"

#define DEFAULT_SUITES                                                                             \
    ((1u << MH_SUITE_VALID) | (1u << MH_SUITE_BOUNDARY) | (1u << MH_SUITE_MALFORMED) |             \
     (1u << MH_SUITE_AUTH) | (1u << MH_SUITE_METHODS))

char *mh_gen_new_run_id(void)
{
    unsigned char r[4];
    int ok = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ok = read(fd, r, sizeof r) == (ssize_t)sizeof r;
        close(fd);
    }
    if (!ok) {
        unsigned long long x =
            (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 16);
        for (int i = 0; i < 4; i++)
            r[i] = (unsigned char)(x >> (8 * i));
    }
    char *id = malloc(9);
    if (id)
        snprintf(id, 9, "%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
    return id;
}

/* ---- assembly ---- */

/* Frees the cases in list (an mh_case * array) and the list. */
static void free_cases(mh__buf *list)
{
    mh_case **c = MH__ITEMS(*list, mh_case *);
    for (size_t i = 0; i < MH__COUNT(*list, mh_case *); i++)
        mh_case_free(c[i]);
    mh__buf_free(list);
}

static void free_gen(mh__gen *g)
{
    for (int s = 0; s < MH_SUITE_COUNT; s++)
        free_cases(&g->list[s]);
    mh__op_clear(g);
    mh__buf_free(&g->paths);
    free(g->token);
    free(g->token_expired);
    free(g->token_other);
    free(g->basic_header);
}

/* The operation a case is reported under: its own label, else op's id. */
static const char *key_of(const mh_case *c)
{
    return c->operation ? c->operation : c->op->id;
}

/* 1 when a case before i reported under the same operation has id. */
static int id_taken(mh_case **all, size_t i, const char *id)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(all[j]->id, id) == 0 && strcmp(key_of(all[j]), key_of(all[i])) == 0)
            return 1;
    return 0;
}

/* Makes ids unique within their operation ("-2", "-3" ...) and adds "#k". */
static void fix_ids(mh__gen *g, mh_case **all, size_t n)
{
    for (size_t i = 0; i < n && !g->oom; i++) {
        if (!id_taken(all, i, all[i]->id))
            continue;
        for (int k = 2; !g->oom; k++) {
            char *cand = mh__printf(g, "%s-%d", all[i]->id, k);
            if (cand && !id_taken(all, i, cand)) {
                free(all[i]->id);
                all[i]->id = cand;
                break;
            }
            free(cand);
        }
    }
    if (g->rep < 2)
        return;
    for (size_t i = 0; i < n && !g->oom; i++) {
        char *id = mh__printf(g, "%s#%zu", all[i]->id, g->rep);
        if (id) {
            free(all[i]->id);
            all[i]->id = id;
        }
    }
}

/* Moves the current operation's cases, suite by suite, to the end of all
 * (an mh_case * array) and fixes their ids. Returns 0, or -1 on OOM (when
 * the move fails the cases stay in g->list). */
static int append_rep(mh__gen *g, mh__buf *all)
{
    size_t bytes = 0;
    for (int s = 0; s < MH_SUITE_COUNT; s++)
        bytes += g->list[s].len;
    size_t start = MH__COUNT(*all, mh_case *);
    char *at = mh__buf_reserve(all, bytes);
    if (!at)
        return -1;
    for (int s = 0; s < MH_SUITE_COUNT; s++) {
        if (g->list[s].len) /* memcpy from a NULL list is undefined even for 0 bytes */
            memcpy(at, g->list[s].p, g->list[s].len);
        at += g->list[s].len;
        mh__buf_free(&g->list[s]); /* moved: the list goes, not the cases */
    }
    mh__buf_commit(all, bytes);
    fix_ids(g, MH__ITEMS(*all, mh_case *) + start, MH__COUNT(*all, mh_case *) - start);
    return g->oom ? -1 : 0;
}

/* The index of op in ops[0..n), or n. */
static size_t op_index(const mh_operation *const *ops, size_t n, const mh_operation *op)
{
    size_t i = 0;
    while (i < n && ops[i] != op)
        i++;
    return i;
}

/* A case's place in the max_cases order: its rank inside its operation's
 * suite, then the suite, then the operation, then the plan. */
typedef struct {
    size_t rank, suite, op, at;
} pick_key;

static int pick_cmp(const void *va, const void *vb)
{
    const pick_key *a = va, *b = vb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->suite != b->suite)
        return a->suite < b->suite ? -1 : 1;
    if (a->op != b->op)
        return a->op < b->op ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

/* Keeps max cases, round-robin: the first case of every suite of every
 * operation, then the second ones, and so on (with one operation: the
 * suites in turn, as the plan always did); the kept ones stay in plan
 * order. */
static void limit_cases(mh_plan *p, size_t max, const mh_operation *const *ops, size_t n_ops)
{
    if (!max || p->count <= max)
        return;
    size_t groups = (n_ops + 1) * MH_SUITE_COUNT;
    size_t *seen = calloc(groups, sizeof *seen);
    pick_key *keys = calloc(p->count, sizeof *keys);
    unsigned char *keep = calloc(p->count, 1);
    if (!seen || !keys || !keep) {
        free(seen);
        free(keys);
        free(keep);
        return; /* keep everything rather than fail: the limit is advisory */
    }
    for (size_t i = 0; i < p->count; i++) {
        size_t op = op_index(ops, n_ops, p->cases[i]->op), suite = p->cases[i]->suite;
        keys[i] = (pick_key){seen[op * MH_SUITE_COUNT + suite]++, suite, op, i};
    }
    qsort(keys, p->count, sizeof *keys, pick_cmp);
    for (size_t i = 0; i < max; i++)
        keep[keys[i].at] = 1;
    size_t j = 0;
    for (size_t i = 0; i < p->count; i++) {
        if (keep[i])
            p->cases[j++] = p->cases[i];
        else
            mh_case_free(p->cases[i]);
    }
    p->count = j;
    free(seen);
    free(keys);
    free(keep);
}

/* Copies the distinct tokens of g (valid, expired, other bot; at most three,
 * in that order) into p. Returns 0, or -1 on OOM (p owns what was copied). */
static int copy_tokens(mh_plan *p, const mh__gen *g)
{
    const char *const all[] = {g->token, g->token_expired, g->token_other};
    const char *keep[3];
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        int dup = !all[i];
        for (size_t j = 0; j < n && !dup; j++)
            dup = strcmp(keep[j], all[i]) == 0;
        if (!dup)
            keep[n++] = all[i];
    }
    if (!n)
        return 0;
    if (!(p->tokens = calloc(n, sizeof *p->tokens)))
        return -1;
    for (; p->token_count < n; p->token_count++)
        if (!(p->tokens[p->token_count] = strdup(keep[p->token_count])))
            return -1;
    return 0;
}

#define BODY_SUITES                                                                                \
    ((1u << MH_SUITE_VALID) | (1u << MH_SUITE_BOUNDARY) | (1u << MH_SUITE_MALFORMED))

/* The skipped case of an unusable operation: its reason and where. */
static void unusable_case(mh__gen *g)
{
    const mh_operation *op = g->op;
    char *reason = mh__printf(g, "%s (at %s%s%s)", op->skip_reason,
                              op->skip_pointer && *op->skip_pointer ? op->skip_pointer : "/",
                              op->skip_file ? " in " : "", op->skip_file ? op->skip_file : "");
    if (reason)
        mh__case_skip(g, MH_SUITE_VALID, "operation-unusable", "the operation cannot be tested",
                      reason);
    free(reason);
}

/* The current operation's cases in the suites asked for. */
static void build_op(mh__gen *g, unsigned suites)
{
    if (g->op->skip_reason) {
        unusable_case(g); /* whatever the suites: an operation is never silently dropped */
        return;
    }
    const char *skip = g->unsendable ? g->unsendable : g->no_creds;
    unsigned skipped = g->unsendable ? BODY_SUITES | (1u << MH_SUITE_AUTH) : BODY_SUITES;
    if (skip && (suites & skipped))
        mh__case_skip(g, MH_SUITE_VALID, g->unsendable ? "request-body" : "no-credentials",
                      g->unsendable ? "nothing in the request body can be sent"
                                    : "the cases that need credentials",
                      skip);
    if (!skip) {
        int object = g->kind == MH__BODY_JSON_OBJECT || g->kind == MH__BODY_FORM ||
                     g->kind == MH__BODY_MULTIPART;
        if (suites & (1u << MH_SUITE_VALID)) {
            (object ? mh__suite_valid : mh__other_valid)(g);
            mh__param_suite_valid(g);
        }
        if (suites & (1u << MH_SUITE_BOUNDARY)) {
            (object ? mh__suite_boundary : mh__other_boundary)(g);
            mh__param_suite_boundary(g);
        }
        if (suites & (1u << MH_SUITE_MALFORMED)) {
            (object ? mh__suite_malformed : mh__other_malformed)(g);
            mh__param_suite_malformed(g);
        }
    }
    if ((suites & (1u << MH_SUITE_AUTH)) && !g->unsendable)
        mh__suite_auth(g);
    if (suites & (1u << MH_SUITE_METHODS))
        mh__suite_methods(g);
}

/* The operations of the plan: o->ops, else o->op alone. */
static const mh_operation *const *plan_ops(const mh_gen_opts *o, size_t *n)
{
    *n = o->op_count ? o->op_count : 1;
    return o->op_count ? o->ops : &o->op;
}

/* Builds every repetition into out->cases. Returns MH_OK, or an error of
 * an operation's inputs or MH_ERR_NOMEM (out untouched). */
static mh_status build_all(mh__gen *g, mh_plan *out, mh_error *err)
{
    const mh_gen_opts *o = g->o;
    unsigned suites = o->suites ? o->suites : DEFAULT_SUITES;
    size_t reps = o->repeat ? o->repeat : 1;
    size_t first = o->first_repeat ? o->first_repeat : 1;
    size_t n_ops;
    const mh_operation *const *ops = plan_ops(o, &n_ops);
    mh__buf all = MH__BUF_INIT; /* mh_case * */
    mh_status st = MH_OK;
    for (g->rep = first; g->rep < first + reps && !g->oom && st == MH_OK; g->rep++) {
        g->serial = 0;
        g->paths.len = 0; /* methods cases again in every repetition */
        for (size_t k = 0; k < n_ops && !g->oom && st == MH_OK; k++) {
            st = mh__op_setup(g, ops[k], err);
            if (st == MH_OK)
                build_op(g, suites);
            if (st == MH_OK && (g->oom || append_rep(g, &all) < 0))
                g->oom = 1;
        }
    }
    if (st == MH_OK && g->oom)
        st = mh_error_set(err, MH_ERR_NOMEM, "out of memory while generating cases");
    if (st != MH_OK) {
        free_cases(&all);
        return st;
    }
    size_t n = MH__COUNT(all, mh_case *);
    if (n == 0) {
        mh__buf_free(&all);
        return MH_OK;
    }
    out->cases = (mh_case **)(void *)mh__gen_take(g, &all, NULL);
    out->count = n;
    return out->cases ? MH_OK : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
}

static mh_status check_opts(const mh_gen_opts *o, mh_error *err)
{
    if (!o || !o->spec || (!o->op && !o->op_count))
        return mh_error_set(err, MH_ERR_USAGE, "no spec or operation to generate cases for");
    for (size_t i = 0; i < o->op_count; i++)
        if (!o->ops[i])
            return mh_error_set(err, MH_ERR_USAGE, "no spec or operation to generate cases for");
    if (!o->run_id || !*o->run_id)
        return mh_error_set(err, MH_ERR_USAGE, "a run id is required (--run-id)");
    return MH_OK;
}

/* 1 when an operation of the plan may take a bearer token. */
static int needs_tokens(const mh_gen_opts *o)
{
    size_t n;
    const mh_operation *const *ops = plan_ops(o, &n);
    for (size_t i = 0; i < n; i++)
        if (mh__cred_wants_token(ops[i]))
            return 1;
    return 0;
}

mh_status mh_gen_plan(const mh_gen_opts *o, mh_plan *out, mh_error *err)
{
    mh__gen g;
    memset(&g, 0, sizeof g);
    memset(out, 0, sizeof *out);
    mh_status st = check_opts(o, err);
    if (st != MH_OK)
        return st;
    g.o = o;
    g.bot_index = -1;
    if ((st = mh__tokens_init(&g, needs_tokens(o), err)) != MH_OK ||
        (st = mh__cred_init(&g, err)) != MH_OK)
        goto done;
    if ((st = build_all(&g, out, err)) != MH_OK)
        goto done;
    if (out->count == 0) {
        st = mh_error_set(err, MH_ERR_USAGE,
                          "the plan is empty: the suites asked for have no case for the selected "
                          "operation%s (see --suite, --operation, --tag, --exclude)",
                          o->op_count > 1 ? "s" : "");
        goto done;
    }
    size_t n_ops;
    const mh_operation *const *ops = plan_ops(o, &n_ops);
    limit_cases(out, o->max_cases, ops, n_ops);
    if (copy_tokens(out, &g) < 0)
        st = mh_error_set(err, MH_ERR_NOMEM, "out of memory while generating cases");
done:
    free_gen(&g);
    if (st != MH_OK)
        mh_plan_free(out);
    return st;
}

void mh_plan_free(mh_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->count; i++)
        mh_case_free(p->cases[i]);
    free(p->cases);
    for (size_t i = 0; i < p->token_count; i++)
        free(p->tokens[i]);
    free(p->tokens);
    memset(p, 0, sizeof *p);
}
