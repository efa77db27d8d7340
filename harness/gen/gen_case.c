/* gen_case.c — one case: the standard request (target, headers), its body,
 * and filing it in its suite once its body is judged. Above gen_value.c and
 * gen_util.c, below the suites (see gen_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gen_internal.h"
#include "manta/json_strict.h"
#include "manta/schema.h"

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
    mh__buf *list = &g->list[c->suite];
    mh__buf_add(list, &c, sizeof c);
    if (list->failed) {
        g->oom = 1;
        mh_case_free(c);
    }
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
