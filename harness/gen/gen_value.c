/* gen_value.c — schema walking, schema-valid values, unique names and the
 * typical body: the layer above gen_util.c (see gen_internal.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"
#include "manta/credential.h"
#include "manta/json_strict.h"

const cJSON *mh__deref(const mh__gen *g, const cJSON *node)
{
    if (!node)
        return NULL;
    return mh_spec_deref(g->o->spec, node);
}

const char *mh__type(const mh__gen *g, const cJSON *s)
{
    s = mh__deref(g, s);
    if (!cJSON_IsObject(s))
        return NULL;
    const cJSON *t = mh_json_get(s, "type");
    if (cJSON_IsString(t))
        return t->valuestring;
    /* 3.1 type arrays: the first type that is not "null" ([string, "null"]
     * is a string that may be null). */
    for (const cJSON *it = cJSON_IsArray(t) ? t->child : NULL; it; it = it->next)
        if (cJSON_IsString(it) && strcmp(it->valuestring, "null") != 0)
            return it->valuestring;
    if (mh_json_get(s, "properties"))
        return "object";
    if (mh_json_get(s, "items"))
        return "array";
    /* Composition: the first member that says. */
    static const char *const comp[] = {"allOf", "oneOf", "anyOf"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *arr = mh_json_get(s, comp[i]);
        const cJSON *m;
        cJSON_ArrayForEach(m, arr)
        {
            const cJSON *d = mh__deref(g, m);
            if (d && d != s) {
                const cJSON *mt = mh_json_get(d, "type");
                if (cJSON_IsString(mt))
                    return mt->valuestring;
                if (mh_json_get(d, "properties"))
                    return "object";
            }
        }
    }
    return NULL;
}

int mh__num(const cJSON *s, const char *kw, double *v)
{
    const cJSON *n = s ? mh_json_get(s, kw) : NULL;
    if (!cJSON_IsNumber(n))
        return 0;
    *v = n->valuedouble;
    return 1;
}

int mh__flag(const cJSON *s, const char *kw)
{
    return s && cJSON_IsTrue(mh_json_get(s, kw));
}

static int find_prop(const mh__prop *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Appends the properties of s (and of its allOf members) to list, skipping
 * names already there. Returns 0, or -1 when an append failed. */
static int collect(mh__gen *g, const cJSON *s, mh__buf *list, int depth)
{
    s = mh__deref(g, s);
    if (!cJSON_IsObject(s) || depth > 8)
        return 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, mh_json_get(s, "properties"))
    {
        if (find_prop(MH__ITEMS(*list, mh__prop), MH__COUNT(*list, mh__prop), p->string) >= 0)
            continue;
        mh__prop q;
        memset(&q, 0, sizeof q);
        q.name = p->string;
        q.schema = mh__deref(g, p);
        q.type = mh__type(g, q.schema);
        q.nullable = mh__flag(q.schema, "nullable");
        mh__buf_add(list, &q, sizeof q);
        if (list->failed)
            return -1;
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, mh_json_get(s, "allOf"))
    {
        if (collect(g, m, list, depth + 1) < 0)
            return -1;
    }
    return 0;
}

static void mark_required(const mh__gen *g, const cJSON *s, mh__prop *a, size_t n, int depth)
{
    s = mh__deref(g, s);
    if (!cJSON_IsObject(s) || depth > 8)
        return;
    const cJSON *r;
    cJSON_ArrayForEach(r, mh_json_get(s, "required"))
    {
        int i = cJSON_IsString(r) ? find_prop(a, n, r->valuestring) : -1;
        if (i >= 0)
            a[i].required = 1;
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, mh_json_get(s, "allOf")) mark_required(g, m, a, n, depth + 1);
}

int mh__collect_props(mh__gen *g, const cJSON *s, mh__prop **out, size_t *n)
{
    mh__buf list = MH__BUF_INIT;
    *out = NULL;
    *n = 0;
    if (collect(g, s, &list, 0) < 0) {
        mh__buf_free(&list);
        g->oom = 1;
        return -1;
    }
    size_t count = MH__COUNT(list, mh__prop);
    mh__prop *a = (mh__prop *)(void *)mh__gen_take(g, &list, NULL);
    if (!a)
        return -1;
    mark_required(g, s, a, count, 0);
    *out = a;
    *n = count;
    return 0;
}

static const char *format_example(const char *fmt)
{
    static const struct {
        const char *format;
        const char *example;
    } ex[] = {
        {"date-time", "2024-01-02T03:04:05Z"},
        {"date", "2024-01-02"},
        {"email", "mh@example.com"},
        {"uuid", "123e4567-e89b-42d3-a456-426614174000"},
        {"uri", "https://example.com/mh"},
        {"ipv4", "192.0.2.1"},
        {"ipv6", "2001:db8::1"},
        {"byte", "bWg="},
    };
    for (size_t i = 0; fmt && i < sizeof ex / sizeof ex[0]; i++)
        if (strcmp(fmt, ex[i].format) == 0)
            return ex[i].example;
    return NULL;
}

char *mh__plain_string(mh__gen *g, const cJSON *s)
{
    const cJSON *f = s ? mh_json_get(s, "format") : NULL;
    const char *ex = format_example(cJSON_IsString(f) ? f->valuestring : NULL);
    if (ex)
        return mh__strdup(g, ex);
    double mn = 0, mx = -1;
    mh__num(s, "minLength", &mn);
    int has_max = mh__num(s, "maxLength", &mx);
    mh__buf b = {0};
    mh__buf_adds(&b, "sample");
    while (!b.failed && (double)b.len < mn)
        mh__buf_add(&b, "x", 1);
    if (!b.failed && has_max && mx >= 0 && (double)b.len > mx)
        b.len = (size_t)mx, b.p[b.len] = '\0';
    return mh__gen_take(g, &b, NULL);
}

char *mh__number_text(mh__gen *g, const cJSON *s, int integer)
{
    double lo = 0, hi = 0, m = 0, v = 1;
    int has_lo = mh__num(s, "minimum", &lo), has_hi = mh__num(s, "maximum", &hi);
    int ex_lo = mh__flag(s, "exclusiveMinimum"), ex_hi = mh__flag(s, "exclusiveMaximum");
    if (has_lo) {
        v = integer ? (ex_lo ? floor(lo) + 1 : ceil(lo)) : (ex_lo ? lo + 0.5 : lo);
        if (has_hi && v > hi)
            v = (lo + hi) / 2;
    } else if (has_hi && hi < 1) {
        v = integer ? (ex_hi ? ceil(hi) - 1 : floor(hi)) : (ex_hi ? hi - 0.5 : hi);
    }
    if (mh__num(s, "multipleOf", &m) && m > 0)
        v = ceil(v / m) * m;
    if (integer || (v == floor(v) && fabs(v) < 1e15))
        return mh__printf(g, "%.0f", v);
    return mh__printf(g, "%.17g", v);
}

static char *gen_array(mh__gen *g, const cJSON *s, int depth)
{
    double mn = 1, mx = 1;
    mh__num(s, "minItems", &mn);
    if (mh__num(s, "maxItems", &mx) && mx < mn)
        mn = mx;
    size_t count = mn < 0 ? 0 : (mn > 16 ? 16 : (size_t)mn);
    if (depth > 6)
        count = 0;
    mh__buf b = {0};
    mh__buf_add(&b, "[", 1);
    for (size_t i = 0; i < count; i++) {
        char *v = mh__gen_value(g, mh_json_get(s, "items"), depth + 1);
        if (!v)
            break;
        if (i)
            mh__buf_add(&b, ",", 1);
        mh__buf_adds(&b, v);
        free(v);
    }
    mh__buf_add(&b, "]", 1);
    return mh__gen_take(g, &b, NULL);
}

static char *gen_object(mh__gen *g, const cJSON *s, int depth)
{
    mh__prop *props = NULL;
    size_t n = 0;
    mh__body b = {0};
    if (depth <= 6 && mh__collect_props(g, s, &props, &n) < 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        /* readOnly: the server's to set; never sent in a request */
        if (!props[i].required || mh__flag(props[i].schema, "readOnly"))
            continue;
        int cred = g->secured && props[i].type && strcmp(props[i].type, "string") == 0 &&
                   mh_credential_name(props[i].name);
        char *v = cred ? mh__quote(g, g->o->secret) : mh__gen_value(g, props[i].schema, depth + 1);
        mh__body_add(g, &b, props[i].name, v);
    }
    free(props);
    char *out = mh__body_json(g, &b, NULL);
    mh__body_free(&b);
    return out;
}

char *mh__gen_value(mh__gen *g, const cJSON *s, int depth)
{
    s = mh__deref(g, s);
    const cJSON *en = s ? mh_json_get(s, "enum") : NULL;
    if (cJSON_IsArray(en) && en->child) {
        char *p = cJSON_PrintUnformatted(en->child);
        if (!p)
            g->oom = 1;
        return p;
    }
    /* oneOf/anyOf without a type or properties of their own (or only "type:
     * object"): the first alternative, whose properties are the ones that
     * count. */
    const cJSON *alt = s ? mh_json_get(s, "oneOf") : NULL;
    if (!alt && s)
        alt = mh_json_get(s, "anyOf");
    const cJSON *own = s ? mh_json_get(s, "type") : NULL;
    int objectish = !own || (cJSON_IsString(own) && strcmp(own->valuestring, "object") == 0);
    if (cJSON_IsArray(alt) && alt->child && depth < 8 && objectish && !mh_json_get(s, "properties"))
        return mh__gen_value(g, alt->child, depth + 1);
    const char *t = mh__type(g, s);
    if (!t)
        return mh__strdup(g, "\"sample\"");
    if (strcmp(t, "string") == 0) {
        char *p = mh__plain_string(g, s);
        char *q = p ? mh__quote(g, p) : NULL;
        free(p);
        return q;
    }
    if (strcmp(t, "integer") == 0 || strcmp(t, "number") == 0)
        return mh__number_text(g, s, strcmp(t, "integer") == 0);
    if (strcmp(t, "boolean") == 0)
        return mh__strdup(g, "true");
    if (strcmp(t, "array") == 0)
        return gen_array(g, s, depth);
    if (strcmp(t, "object") == 0)
        return gen_object(g, s, depth);
    return mh__strdup(g, "null");
}

/* ---- unique names ---- */

static void prop_lengths(const mh__prop *p, size_t *minlen, size_t *maxlen)
{
    double mn = 0, mx = 0;
    *minlen = mh__num(p->schema, "minLength", &mn) && mn > 0 ? (size_t)mn : 0;
    *maxlen = mh__num(p->schema, "maxLength", &mx) && mx >= 0 ? (size_t)mx : (size_t)-1;
}

/* Repetition k > 1 names carry k, so any repetition can be generated alone
 * (streamed runs) and still never collide with another. */
static char *unique_base(mh__gen *g)
{
    if (g->rep > 1)
        return mh__printf(g, "mh-%s-%zu-%lu", g->o->run_id, g->rep, ++g->serial);
    return mh__printf(g, "mh-%s-%lu", g->o->run_id, ++g->serial);
}

char *mh__unique_text(mh__gen *g, const mh__prop *p, const char *payload, size_t cap)
{
    size_t minlen, maxlen;
    prop_lengths(p, &minlen, &maxlen);
    if (cap && cap < maxlen)
        maxlen = cap;
    char *base = unique_base(g);
    if (!base)
        return NULL;
    mh__buf b = {0};
    mh__buf_adds(&b, base);
    if (payload && *payload) {
        mh__buf_add(&b, " ", 1);
        mh__buf_adds(&b, payload);
    }
    free(base);
    if (!b.failed && mh__utf8_count(b.p) > maxlen) {
        b.len = mh__utf8_prefix(b.p, maxlen);
        b.p[b.len] = '\0';
        while (b.len && b.p[b.len - 1] == ' ') /* no dangling separator */
            b.p[--b.len] = '\0';
    }
    while (!b.failed && mh__utf8_count(b.p) < minlen)
        mh__buf_add(&b, "x", 1);
    return mh__gen_take(g, &b, NULL);
}

char *mh__payload_text(mh__gen *g, const mh__prop *p, const char *payload)
{
    size_t minlen, maxlen;
    prop_lengths(p, &minlen, &maxlen);
    char *base = unique_base(g);
    if (!base)
        return NULL;
    size_t need = mh__utf8_count(base) + 1 + mh__utf8_count(payload);
    mh__buf b = {0};
    if (need <= maxlen) {
        mh__buf_adds(&b, base);
        mh__buf_add(&b, " ", 1);
        mh__buf_adds(&b, payload);
    } else {
        mh__buf_add(&b, payload, mh__utf8_prefix(payload, maxlen));
    }
    free(base);
    while (!b.failed && mh__utf8_count(b.p ? b.p : "") < minlen)
        mh__buf_add(&b, "x", 1);
    return mh__gen_take(g, &b, NULL);
}

const mh__prop *mh__main_prop(const mh__gen *g)
{
    for (size_t i = 0; i < g->prop_count; i++)
        if (g->props[i].name_like)
            return &g->props[i];
    for (size_t i = 0; i < g->prop_count; i++)
        if (!g->props[i].credential)
            return &g->props[i];
    return g->prop_count ? &g->props[0] : NULL;
}

char *mh__config_raw(mh__gen *g, const cJSON *s, const char *text)
{
    const char *t = mh__type(g, s);
    if (!t || strcmp(t, "string") != 0) {
        cJSON *tree = NULL;
        if (mh_json_parse(text, strlen(text), NULL, &tree, NULL) == MH_JSON_OK) {
            cJSON_Delete(tree);
            return mh__strdup(g, text);
        }
    }
    return mh__quote(g, text);
}

void mh__body_typical(mh__gen *g, mh__body *b, const char *payload, int all)
{
    const mh_gen_opts *o = g->o;
    for (size_t i = 0; i < g->prop_count; i++) {
        const mh__prop *p = &g->props[i];
        const char *conf = g->cur_suite == MH_SUITE_MALFORMED
                               ? NULL
                               : mh__config(g, o->properties, o->property_count, p->name);
        if ((!p->required && !all && !conf) || (mh__flag(p->schema, "readOnly") && !conf))
            continue;
        char *raw;
        if (conf) {
            raw = mh__config_raw(g, p->schema, conf);
        } else if (p->credential) {
            raw = mh__quote(g, g->o->secret);
        } else if (p->name_like) {
            char *t = mh__unique_text(g, p, payload, 60);
            raw = t ? mh__quote(g, t) : NULL;
            free(t);
        } else {
            raw = mh__gen_value(g, p->schema, 1);
        }
        mh__body_add(g, b, p->name, raw);
    }
}
