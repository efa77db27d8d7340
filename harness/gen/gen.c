/* gen.c — the plan, the top of harness/gen/: inputs (the body's properties,
 * the required parameters, the tokens), the suites of each repetition, unique
 * ids and the max_cases subset. The suites live in gen_body.c and gen_auth.c,
 * one case in gen_case.c, the helpers in gen_value.c and gen_util.c. */
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

/* ---- inputs ---- */

static int is_json_media(const char *mt)
{
    size_t n = strcspn(mt, ";");
    while (n && mt[n - 1] == ' ')
        n--;
    if (n == 16 && strncasecmp(mt, "application/json", 16) == 0)
        return 1;
    return n > 5 && strncasecmp(mt + n - 5, "+json", 5) == 0;
}

static int contains_bot(const char *name)
{
    for (const char *p = name; p && *p; p++)
        if (strncasecmp(p, "bot", 3) == 0)
            return 1;
    return 0;
}

static mh_status setup_body(mh__gen *g, mh_error *err)
{
    const mh_operation *op = g->op;
    for (size_t i = 0; i < op->body_count && !g->media; i++)
        if (op->body[i].schema && is_json_media(op->body[i].media_type))
            g->media = &op->body[i];
    if (!g->media)
        return mh_error_set(err, MH_ERR_SPEC, "operation %s has no JSON request body schema",
                            op->id);
    g->root = mh_schema_source(g->media->schema);
    const char *t = mh__type(g, g->root);
    if (!t || strcmp(t, "object") != 0)
        return mh_error_set(err, MH_ERR_SPEC,
                            "operation %s: the request body schema is not an object", op->id);
    if (mh__collect_props(g, g->root, &g->props, &g->prop_count) < 0)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < g->prop_count; i++) {
        mh__prop *p = &g->props[i];
        int str = p->type && strcmp(p->type, "string") == 0;
        p->credential = str && mh_credential_name(p->name);
        p->name_like = str && p->required && !p->credential && !mh_json_get(p->schema, "enum") &&
                       !mh_json_get(p->schema, "format") && !mh_json_get(p->schema, "pattern");
        p->slug = mh__slug(g, p->name);
        if (!p->slug)
            return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
        if (p->credential && !g->o->secret)
            return mh_error_set(err, MH_ERR_USAGE,
                                "the request body has the credential property \"%s\": pass "
                                "--secret (or MANTA_SECRET)",
                                p->name);
    }
    return MH_OK;
}

static mh_status setup_params(mh__gen *g, mh_error *err)
{
    const mh_operation *op = g->op;
    g->bot_index = -1;
    g->params = calloc(op->param_count ? op->param_count : 1, sizeof *g->params);
    if (!g->params)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < op->param_count; i++) {
        const mh_param *p = &op->params[i];
        int loc_ok = strcmp(p->in, "query") == 0 || strcmp(p->in, "path") == 0;
        if (!p->required || !(loc_ok || strcmp(p->in, "header") == 0))
            continue;
        mh__pval *v = &g->params[g->param_count];
        v->param = p;
        if (g->bot_index < 0 && loc_ok && contains_bot(p->name)) {
            if (!g->o->bot_id)
                return mh_error_set(err, MH_ERR_USAGE,
                                    "the operation needs the %s parameter \"%s\": pass --bot-id "
                                    "(or MANTA_BOT_ID)",
                                    p->in, p->name);
            g->bot_index = (int)g->param_count;
            v->value = mh__strdup(g, g->o->bot_id);
        } else {
            char *raw = mh__gen_value(g, mh_schema_source(p->schema), 1);
            cJSON *t = NULL;
            /* Parameters carry plain values: a JSON string loses its quotes. */
            if (raw && mh_json_parse(raw, strlen(raw), NULL, &t, NULL) == MH_JSON_OK &&
                cJSON_IsString(t))
                v->value = mh__strdup(g, t->valuestring);
            else
                v->value = raw ? mh__strdup(g, raw) : NULL;
            cJSON_Delete(t);
            free(raw);
        }
        if (!v->value)
            return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
        g->param_count++;
    }
    return MH_OK;
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
    for (size_t i = 0; i < g->prop_count; i++)
        free(g->props[i].slug);
    free(g->props);
    for (size_t i = 0; i < g->param_count; i++)
        free(g->params[i].value);
    free(g->params);
    free(g->token);
    free(g->token_expired);
    free(g->token_other);
}

static int id_taken(mh_case **all, size_t i, const char *id)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(all[j]->id, id) == 0)
            return 1;
    return 0;
}

/* Makes ids unique inside one repetition ("-2", "-3" ...) and adds "#k". */
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

/* Moves this repetition's cases, suite by suite, to the end of all (an
 * mh_case * array) and fixes their ids. Returns 0, or -1 on OOM (when the
 * move fails the cases stay in g->list). */
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

/* Keeps max cases, taking round-robin over suites in plan order, then puts
 * the kept ones back in plan order. */
static void limit_cases(mh_plan *p, size_t max)
{
    if (!max || p->count <= max)
        return;
    size_t seen[MH_SUITE_COUNT];
    unsigned char *keep = calloc(p->count, 1);
    if (!keep)
        return; /* keep everything rather than fail: the limit is advisory */
    size_t kept = 0;
    for (size_t round = 0; kept < max; round++) {
        size_t before = kept;
        memset(seen, 0, sizeof seen);
        for (size_t i = 0; i < p->count && kept < max; i++) {
            mh_suite s = p->cases[i]->suite;
            if (seen[s]++ == round) {
                keep[i] = 1;
                kept++;
            }
        }
        if (kept == before)
            break;
    }
    size_t j = 0;
    for (size_t i = 0; i < p->count; i++) {
        if (keep[i])
            p->cases[j++] = p->cases[i];
        else
            mh_case_free(p->cases[i]);
    }
    p->count = j;
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

static void build_rep(mh__gen *g, unsigned suites)
{
    static void (*const build[])(mh__gen *) = {mh__suite_valid, mh__suite_boundary,
                                               mh__suite_malformed, mh__suite_auth,
                                               mh__suite_methods};
    for (int s = 0; s <= MH_SUITE_METHODS && !g->oom; s++)
        if (suites & (1u << s))
            build[s](g);
}

/* Builds every repetition into out->cases. Returns 0, or -1 on OOM (out
 * untouched, g->oom set). */
static int build_all(mh__gen *g, mh_plan *out)
{
    const mh_gen_opts *o = g->o;
    unsigned suites = o->suites ? o->suites : DEFAULT_SUITES;
    size_t reps = o->repeat ? o->repeat : 1;
    size_t first = o->first_repeat ? o->first_repeat : 1;
    mh__buf all = MH__BUF_INIT; /* mh_case * */
    for (g->rep = first; g->rep < first + reps && !g->oom; g->rep++) {
        g->serial = 0;
        build_rep(g, suites);
        if (g->oom || append_rep(g, &all) < 0)
            g->oom = 1;
    }
    if (g->oom) {
        free_cases(&all);
        return -1;
    }
    size_t n = MH__COUNT(all, mh_case *);
    if (n == 0) {
        mh__buf_free(&all);
        return 0;
    }
    out->cases = (mh_case **)(void *)mh__gen_take(g, &all, NULL);
    out->count = n;
    return out->cases ? 0 : -1;
}

static mh_status check_opts(const mh_gen_opts *o, mh_error *err)
{
    if (!o || !o->spec || !o->op)
        return mh_error_set(err, MH_ERR_USAGE, "no spec or operation to generate cases for");
    if (!o->run_id || !*o->run_id)
        return mh_error_set(err, MH_ERR_USAGE, "a run id is required (--run-id)");
    if (o->op->bearer_auth && !o->token && !o->jwt_key)
        return mh_error_set(err, MH_ERR_USAGE,
                            "operation %s needs a bearer token: pass --token or --jwt-key (or "
                            "MANTA_TOKEN / MANTA_JWT_KEY)",
                            o->op->id);
    return MH_OK;
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
    g.op = o->op;
    g.bot_index = -1;
    if ((st = setup_body(&g, err)) != MH_OK || (st = setup_params(&g, err)) != MH_OK ||
        (st = mh__tokens_init(&g, err)) != MH_OK)
        goto done;
    if (build_all(&g, out) == 0) {
        limit_cases(out, o->max_cases);
        if (copy_tokens(out, &g) < 0)
            g.oom = 1;
    }
    if (g.oom)
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
