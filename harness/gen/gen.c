/* gen.c — plan assembly: inputs, the standard request, case filing,
 * repetitions and the max_cases subset. The suites live in gen_body.c and
 * gen_auth.c, the helpers in gen_util.c. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "gen_internal.h"
#include "manta/json_strict.h"
#include "manta/schema.h"

#define DEFAULT_SUITES                                                                             \
    ((1u << MH_SUITE_VALID) | (1u << MH_SUITE_BOUNDARY) | (1u << MH_SUITE_MALFORMED) |             \
     (1u << MH_SUITE_AUTH) | (1u << MH_SUITE_METHODS))

int mh_gen_is_credential_name(const char *name)
{
    static const char *const words[] = {"secret", "password", "passwd",    "token",
                                        "apikey", "api_key",  "credential"};
    char low[256];
    size_t n = 0;
    for (; name && name[n] && n + 1 < sizeof low; n++)
        low[n] = (char)((name[n] >= 'A' && name[n] <= 'Z') ? name[n] + 32 : name[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(low, words[i]))
            return 1;
    return 0;
}

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
        p->credential = str && mh_gen_is_credential_name(p->name);
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

/* ---- the standard request ---- */

static void add_query(mh__gen *g, mh__buf *b, int *first, const char *name, const char *value)
{
    char *n = mh__percent(g, name), *v = mh__percent(g, value);
    if (n && v) {
        mh__buf_add(b, *first ? "?" : "&", 1);
        mh__buf_adds(b, n);
        mh__buf_add(b, "=", 1);
        mh__buf_adds(b, v);
        *first = 0;
    }
    free(n);
    free(v);
}

static const char *path_value(const mh__gen *g, const char *name, size_t len, mh__bot_mode mode)
{
    for (size_t i = 0; i < g->param_count; i++) {
        const mh_param *p = g->params[i].param;
        if (strcmp(p->in, "path") == 0 && strlen(p->name) == len &&
            strncmp(p->name, name, len) == 0)
            return (int)i == g->bot_index && mode == MH__BOT_EMPTY ? "" : g->params[i].value;
    }
    return NULL;
}

char *mh__target(mh__gen *g, mh__bot_mode mode)
{
    mh__buf b = {0};
    for (const char *p = g->op->path; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *v = close ? path_value(g, p + 1, (size_t)(close - p - 1), mode) : NULL;
        if (v) {
            char *enc = mh__percent(g, v);
            if (enc)
                mh__buf_adds(&b, enc);
            free(enc);
            p = close + 1;
        } else {
            mh__buf_add(&b, p++, 1);
        }
    }
    int first = 1;
    for (size_t i = 0; i < g->param_count; i++) {
        const mh__pval *v = &g->params[i];
        if (strcmp(v->param->in, "query") != 0)
            continue;
        int bot = (int)i == g->bot_index;
        if (bot && mode == MH__BOT_OMIT)
            continue;
        add_query(g, &b, &first, v->param->name, bot && mode == MH__BOT_EMPTY ? "" : v->value);
        if (bot && mode == MH__BOT_REPEAT)
            add_query(g, &b, &first, v->param->name, v->value);
    }
    return mh__gen_take(g, &b, NULL);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

mh_case *mh__case_begin(mh__gen *g, mh_suite s, const char *slug, const char *desc)
{
    mh_case *c = mh_case_new();
    if (!c) {
        g->oom = 1;
        return NULL;
    }
    c->suite = s;
    c->op = g->op;
    c->id = mh__printf(g, "%s/%s", mh_suite_name(s), slug);
    c->method = mh__strdup(g, g->op->method);
    c->target = mh__target(g, MH__BOT_NORMAL);
    c->description = mh__strdup(g, desc);
    int ok = c->id && c->method && c->target && c->description;
    ok = ok && mh_case_add_header(c, "Content-Type", g->media->media_type) == 0;
    if (ok && g->token) {
        char *auth = mh__printf(g, "Bearer %s", g->token);
        ok = auth && mh_case_add_header(c, "Authorization", auth) == 0;
        free(auth);
    }
    ok = ok && mh_case_add_header(c, "Accept", "application/json") == 0;
    for (size_t i = 0; ok && i < g->param_count; i++)
        if (strcmp(g->params[i].param->in, "header") == 0)
            ok = mh_case_add_header(c, g->params[i].param->name, g->params[i].value) == 0;
    if (!ok) {
        g->oom = 1;
        mh_case_free(c);
        return NULL;
    }
    /* Random parts depend on the seed, the slug and the repetition only. */
    mh_prng_seed(&g->rng, g->o->seed ^ mh_prng_mix(fnv1a(slug) + g->rep));
    return c;
}

void mh__case_header(mh__gen *g, mh_case *c, const char *name, const char *value)
{
    size_t j = 0;
    for (size_t i = 0; i < c->header_count; i++) {
        mh_header *h = &c->headers[i];
        if (strcasecmp(h->name, name) != 0) {
            c->headers[j++] = *h;
            continue;
        }
        if (value) {
            char *v = mh__strdup(g, value);
            if (v) {
                free(h->value);
                h->value = v;
            }
            c->headers[j++] = *h;
        } else {
            free(h->name);
            free(h->value);
        }
    }
    c->header_count = j;
}

void mh__case_body(mh__gen *g, mh_case *c, char *body, size_t len)
{
    (void)g;
    free(c->body);
    c->body = body;
    c->body_len = body ? len : 0;
}

void mh__case_json(mh__gen *g, mh_case *c, mh__body *b)
{
    size_t len = 0;
    char *json = mh__body_json(g, b, &len);
    mh__body_free(b);
    mh__case_body(g, c, json, len);
}

/* 1 when the body is strict JSON valid against the request schema. */
static int judge_body(const mh__gen *g, const mh_case *c)
{
    cJSON *t = NULL;
    if (!c->body || mh_json_parse(c->body, c->body_len, NULL, &t, NULL) != MH_JSON_OK)
        return 0;
    mh_violations v = {0};
    int valid = mh_schema_validate(g->media->schema, t, MH_DIR_REQUEST, &v) == 0;
    mh_violations_free(&v);
    cJSON_Delete(t);
    return valid;
}

static void file_case(mh__gen *g, mh_case *c)
{
    mh_suite s = c->suite;
    if (g->count[s] == g->cap[s]) {
        size_t nc = g->cap[s] ? g->cap[s] * 2 : 32;
        mh_case **l = realloc(g->list[s], nc * sizeof *l);
        if (!l) {
            g->oom = 1;
            mh_case_free(c);
            return;
        }
        g->list[s] = l;
        g->cap[s] = nc;
    }
    g->list[s][g->count[s]++] = c;
}

void mh__case_finish(mh__gen *g, mh_case *c, mh__expect e)
{
    if (!c)
        return;
    if (g->oom) {
        mh_case_free(c);
        return;
    }
    c->body_schema_valid = judge_body(g, c);
    if (e == MH__EXPECT_INVALID && c->body_schema_valid) {
        mh_case_free(c); /* not malformed after all (e.g. null for a nullable property) */
        return;
    }
    if (e == MH__EXPECT_VALID && !c->body_schema_valid && c->suite == MH_SUITE_BOUNDARY) {
        /* Beyond the schema's limits: the same probe is a malformed case. */
        const char *slash = strchr(c->id, '/');
        char *id = mh__printf(g, "malformed%s", slash ? slash : "/");
        if (!id) {
            mh_case_free(c);
            return;
        }
        free(c->id);
        c->id = id;
        c->suite = MH_SUITE_MALFORMED;
    }
    file_case(g, c);
}

/* ---- assembly ---- */

static void free_lists(mh__gen *g)
{
    for (int s = 0; s < MH_SUITE_COUNT; s++) {
        for (size_t i = 0; i < g->count[s]; i++)
            mh_case_free(g->list[s][i]);
        free(g->list[s]);
        g->list[s] = NULL;
        g->count[s] = g->cap[s] = 0;
    }
}

static void free_gen(mh__gen *g)
{
    free_lists(g);
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

static int append_rep(mh__gen *g, mh_plan *out, size_t *cap)
{
    size_t n = 0;
    for (int s = 0; s < MH_SUITE_COUNT; s++)
        n += g->count[s];
    if (out->count + n > *cap) {
        size_t nc = *cap ? *cap : 128;
        while (nc < out->count + n)
            nc *= 2;
        mh_case **l = realloc(out->cases, nc * sizeof *l);
        if (!l)
            return -1;
        out->cases = l;
        *cap = nc;
    }
    mh_case **start = out->cases + out->count;
    for (int s = 0; s < MH_SUITE_COUNT; s++) {
        if (g->count[s]) /* memcpy from a NULL list is undefined even for 0 bytes */
            memcpy(out->cases + out->count, g->list[s], g->count[s] * sizeof *g->list[s]);
        out->count += g->count[s];
        g->count[s] = 0; /* moved, not freed */
    }
    fix_ids(g, start, n);
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

static int add_token(mh_plan *p, const char *t)
{
    if (!t)
        return 0;
    for (size_t i = 0; i < p->token_count; i++)
        if (strcmp(p->tokens[i], t) == 0)
            return 0;
    char **l = realloc(p->tokens, (p->token_count + 1) * sizeof *l);
    if (!l)
        return -1;
    p->tokens = l;
    if (!(l[p->token_count] = strdup(t)))
        return -1;
    p->token_count++;
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
    unsigned suites = o->suites ? o->suites : DEFAULT_SUITES;
    size_t reps = o->repeat ? o->repeat : 1, cap = 0;
    size_t first = o->first_repeat ? o->first_repeat : 1;
    for (g.rep = first; g.rep < first + reps && !g.oom; g.rep++) {
        g.serial = 0;
        build_rep(&g, suites);
        if (g.oom || append_rep(&g, out, &cap) < 0)
            g.oom = 1;
    }
    if (!g.oom) {
        limit_cases(out, o->max_cases);
        if (add_token(out, g.token) < 0 || add_token(out, g.token_expired) < 0 ||
            add_token(out, g.token_other) < 0)
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
