/* gen_case.c — one case: the standard request (target, parameters,
 * headers), its body in the operation's media type, and filing it in its
 * suite once its body is judged. Above gen_param.c, gen_value.c, gen_util.c
 * and gen_style.c, below the suites (see gen_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gen_internal.h"
#include "manta/json_strict.h"
#include "manta/schema.h"

/* The value parameter i carries under v (NULL = left out); *tmp holds a
 * value made here (freed by the caller). */
static const cJSON *value_of(mh__gen *g, size_t i, const mh__variant *v, cJSON **tmp)
{
    const mh__pval *pv = &g->params[i];
    *tmp = NULL;
    int varied = v && v->index == (int)i;
    if (varied && v->mode == MH__P_OMIT)
        return NULL;
    if (varied && v->mode == MH__P_VALUE)
        return v->value;
    if (varied && v->mode == MH__P_EMPTY) {
        if (!(*tmp = cJSON_CreateString("")))
            g->oom = 1;
        return *tmp;
    }
    if (!pv->send && !varied && !(v && v->all))
        return NULL;
    return pv->value;
}

/* Serialised text of parameter i under v; NULL when it is left out (or on
 * OOM, with g->oom set). *twice set when the variant repeats it. */
static char *param_text(mh__gen *g, size_t i, const mh__variant *v, int *twice)
{
    cJSON *tmp = NULL;
    const cJSON *val = value_of(g, i, v, &tmp);
    *twice = v && v->index == (int)i && v->mode == MH__P_REPEAT;
    char *t = val ? mh__param_serialize(g->params[i].param, val) : NULL;
    if (val && !t)
        g->oom = 1;
    cJSON_Delete(tmp);
    return t;
}

static int is_in(const mh__pval *pv, const char *in)
{
    return strcmp(pv->param->in, in) == 0;
}

/* The path parameter called name[0..len), or -1. */
static int path_param(const mh__gen *g, const char *name, size_t len)
{
    for (size_t i = 0; i < g->param_count; i++) {
        const mh_param *p = g->params[i].param;
        if (is_in(&g->params[i], "path") && strlen(p->name) == len &&
            strncmp(p->name, name, len) == 0)
            return (int)i;
    }
    return -1;
}

char *mh__target(mh__gen *g, const mh__variant *v)
{
    mh__buf b = MH__BUF_INIT;
    /* A fragment in a path key ("/cookies#form", a way documents keep two
     * keys for one path) is never sent; a query written into the key is
     * kept and the parameters follow it. */
    const char *end = g->op->path + strcspn(g->op->path, "#");
    int first = !memchr(g->op->path, '?', (size_t)(end - g->op->path));
    for (const char *p = g->op->path; p < end;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        int i = close ? path_param(g, p + 1, (size_t)(close - p - 1)) : -1;
        int twice = 0;
        char *t = i >= 0 ? param_text(g, (size_t)i, v, &twice) : NULL;
        if (t) {
            mh__buf_adds(&b, t);
            p = close + 1;
        } else if (i >= 0) {
            p = close + 1; /* an omitted path parameter leaves its segment empty */
        } else {
            mh__buf_add(&b, p++, 1);
        }
        free(t);
    }
    for (size_t i = 0; i < g->param_count; i++) {
        if (!is_in(&g->params[i], "query"))
            continue;
        int twice = 0;
        char *t = param_text(g, i, v, &twice);
        for (int k = 0; t && k < 1 + twice; k++) {
            if (*t) {
                mh__buf_add(&b, first ? "?" : "&", 1);
                mh__buf_adds(&b, t);
                first = 0;
            }
        }
        free(t);
    }
    mh__cred_query(g, &b, &first);
    return mh__gen_take(g, &b, NULL);
}

/* Appends the API keys sent as headers, the header parameters and the
 * Cookie header (API key cookies first) of v to c. Returns 0, or -1 on
 * OOM. */
static int add_param_headers(mh__gen *g, mh_case *c, const mh__variant *v)
{
    mh__buf cookie = MH__BUF_INIT;
    int rc = mh__cred_headers(g, c);
    mh__cred_cookies(g, &cookie);
    for (size_t i = 0; i < g->param_count && rc == 0; i++) {
        int header = is_in(&g->params[i], "header");
        if (!header && !is_in(&g->params[i], "cookie"))
            continue;
        int twice = 0;
        char *t = param_text(g, i, v, &twice);
        for (int k = 0; t && k < 1 + twice && rc == 0; k++) {
            if (header) {
                rc = mh_case_add_header(c, g->params[i].param->name, t);
            } else {
                if (cookie.len)
                    mh__buf_adds(&cookie, "; ");
                mh__buf_adds(&cookie, t);
            }
        }
        free(t);
    }
    if (rc == 0 && cookie.len && !cookie.failed)
        rc = mh_case_add_header(c, "Cookie", cookie.p);
    if (cookie.failed)
        rc = -1;
    mh__buf_free(&cookie);
    return rc;
}

void mh__case_params(mh__gen *g, mh_case *c, const mh__variant *v)
{
    char *t = mh__target(g, v);
    if (t) {
        free(c->target);
        c->target = t;
    }
    for (size_t i = 0; i < g->param_count; i++)
        if (is_in(&g->params[i], "header"))
            mh_case_remove_header(c, g->params[i].param->name);
    mh__cred_remove_headers(g, c);
    mh_case_remove_header(c, "Cookie");
    if (add_param_headers(g, c, v) < 0)
        g->oom = 1;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/* The Content-Type header of the operation's body (multipart gets its
 * boundary); NULL when nothing is sent. */
static char *content_type(mh__gen *g)
{
    if (!g->media || g->kind == MH__BODY_NONE)
        return NULL;
    if (g->kind == MH__BODY_MULTIPART)
        return mh__printf(g, "%s; boundary=%s", g->media->media_type, MH__BOUNDARY);
    return mh__strdup(g, g->media->media_type);
}

mh_case *mh__case_begin(mh__gen *g, mh_suite s, const char *slug, const char *desc)
{
    mh_case *c = mh_case_new();
    if (!c) {
        g->oom = 1;
        return NULL;
    }
    g->cur_suite = s;
    g->form_valid = 0;
    c->suite = s;
    c->op = g->op;
    c->any_declared_status = s == MH_SUITE_VALID && !g->demand_2xx;
    c->id = mh__printf(g, "%s/%s", mh_suite_name(s), slug);
    c->method = mh__strdup(g, g->op->method);
    c->target = mh__target(g, NULL);
    c->description = mh__strdup(g, desc);
    char *ct = content_type(g);
    int ok = c->id && c->method && c->target && c->description && (ct || !g->media);
    ok = ok && (!ct || mh_case_add_header(c, "Content-Type", ct) == 0);
    free(ct);
    ok = ok && mh__cred_authorization(g, c) == 0;
    ok = ok && mh_case_add_header(c, "Accept", g->accept ? g->accept : "*/*") == 0;
    ok = ok && add_param_headers(g, c, NULL) == 0;
    if (!ok) {
        g->oom = 1;
        mh_case_free(c);
        return NULL;
    }
    /* Random parts depend on the seed, the slug and the repetition only. */
    mh_prng_seed(&g->rng, g->o->seed ^ mh_prng_mix(fnv1a(slug) + g->rep));
    return c;
}

void mh__case_skip(mh__gen *g, mh_suite s, const char *slug, const char *desc, const char *reason)
{
    mh_case *c = mh_case_new();
    if (!c) {
        g->oom = 1;
        return;
    }
    c->suite = s;
    c->op = g->op;
    c->id = mh__printf(g, "%s/%s", mh_suite_name(s), slug);
    c->method = mh__strdup(g, g->op->method);
    c->target = mh__strdup(g, g->op->path);
    c->description = mh__strdup(g, desc);
    c->skip_reason = mh__strdup(g, reason);
    c->body_schema_valid = 1;
    if (!c->id || !c->method || !c->target || !c->description || !c->skip_reason) {
        g->oom = 1;
        mh_case_free(c);
        return;
    }
    mh__buf *list = &g->list[s];
    mh__buf_add(list, &c, sizeof c);
    if (list->failed) {
        g->oom = 1;
        mh_case_free(c);
    }
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

/* 1 when the members of b, as one JSON object, are valid against the
 * body schema (how a form body is judged). */
static int members_valid(mh__gen *g, const mh__body *b)
{
    size_t len = 0;
    char *json = mh__body_json(g, b, &len);
    cJSON *t = NULL;
    int valid = json && mh_json_parse(json, len, NULL, &t, NULL) == MH_JSON_OK;
    free(json);
    if (valid && g->media && g->media->schema) {
        mh_violations v = {0};
        valid = mh_schema_validate(g->media->schema, t, MH_DIR_REQUEST, &v) == 0;
        mh_violations_free(&v);
    }
    cJSON_Delete(t);
    return valid;
}

void mh__case_json(mh__gen *g, mh_case *c, mh__body *b)
{
    size_t len = 0;
    char *text;
    if (g->kind == MH__BODY_FORM || g->kind == MH__BODY_MULTIPART) {
        g->form_valid = members_valid(g, b);
        text =
            g->kind == MH__BODY_FORM ? mh__body_form(g, b, &len) : mh__body_multipart(g, b, &len);
    } else {
        text = mh__body_json(g, b, &len);
    }
    mh__body_free(b);
    mh__case_body(g, c, text, len);
}

/* The media type's example as body text: a string as it is, anything else
 * as JSON text. NULL (no body) when there is none. */
static char *example_text(mh__gen *g, size_t *len)
{
    const cJSON *ex = g->media ? g->media->example : NULL;
    char *t = NULL;
    if (cJSON_IsString(ex))
        t = mh__strdup(g, ex->valuestring);
    else if (ex && !(t = cJSON_PrintUnformatted(ex)))
        g->oom = 1;
    *len = t ? strlen(t) : 0;
    return t;
}

void mh__case_typical(mh__gen *g, mh_case *c, const char *payload)
{
    if (!c)
        return;
    size_t len = 0;
    char *text = NULL;
    switch (g->kind) {
    case MH__BODY_JSON_OBJECT:
    case MH__BODY_FORM:
    case MH__BODY_MULTIPART: {
        mh__body b = {0};
        mh__body_typical(g, &b, payload, 0);
        mh__case_json(g, c, &b);
        return;
    }
    case MH__BODY_JSON_VALUE:
        text = mh__gen_value(g, g->root, 0);
        len = text ? strlen(text) : 0;
        break;
    case MH__BODY_EXAMPLE:
        text = example_text(g, &len);
        break;
    default:
        return;
    }
    mh__case_body(g, c, text, len);
}

/* 1 when the body is valid for the operation: strict JSON valid against the
 * request schema for JSON bodies; for forms, what mh__case_json found; an
 * example or no body at all is taken as valid. */
static int judge_body(const mh__gen *g, const mh_case *c)
{
    if (g->kind == MH__BODY_FORM || g->kind == MH__BODY_MULTIPART)
        return g->form_valid;
    if (g->kind == MH__BODY_NONE)
        return 1;
    if (g->kind == MH__BODY_EXAMPLE)
        return c->body != NULL;
    cJSON *t = NULL;
    if (!c->body || mh_json_parse(c->body, c->body_len, NULL, &t, NULL) != MH_JSON_OK)
        return 0;
    mh_violations v = {0};
    int valid =
        !g->media->schema || mh_schema_validate(g->media->schema, t, MH_DIR_REQUEST, &v) == 0;
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
