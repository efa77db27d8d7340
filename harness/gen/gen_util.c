/* gen_util.c — strings and body objects for the generator: the bottom layer
 * of harness/gen/ (see gen_internal.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"
#include "manta/json_strict.h"

char *mh__gen_take(mh__gen *g, mh__buf *b, size_t *len)
{
    char *p = mh__buf_take(b, len);
    if (!p)
        g->oom = 1;
    return p;
}

char *mh__strdup(mh__gen *g, const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        g->oom = 1;
    return d;
}

char *mh__printf(mh__gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = n < 0 ? NULL : malloc((size_t)n + 1);
    if (!p) {
        g->oom = 1;
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

char *mh__quote(mh__gen *g, const char *s)
{
    char *q = mh_json_quote(s ? s : "");
    if (!q)
        g->oom = 1;
    return q;
}

char *mh__slug(mh__gen *g, const char *name)
{
    mh__buf b = {0};
    int dash = 0; /* a separator is pending */
    unsigned char prev = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; prev = *p, p++) {
        if (isupper(*p) && (islower(prev) || isdigit(prev)))
            dash = 1;
        if (!isalnum(*p)) {
            dash = 1;
            continue;
        }
        if (dash && b.len)
            mh__buf_add(&b, "-", 1);
        dash = 0;
        char c = (char)tolower(*p);
        mh__buf_add(&b, &c, 1);
    }
    if (!b.failed && b.len == 0)
        mh__buf_adds(&b, "x");
    return mh__gen_take(g, &b, NULL);
}

const char *mh__config(const mh__gen *g, const mh_gen_value *list, size_t n, const char *name)
{
    const char *global = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!list[i].name || strcmp(list[i].name, name) != 0)
            continue;
        if (!list[i].operation) {
            if (!global)
                global = list[i].value;
        } else if (mh_gen_selects(g->op, list[i].operation)) {
            return list[i].value ? list[i].value : "";
        }
    }
    return global;
}

/* ---- bodies ---- */

static mh__member *members(const mh__body *b)
{
    return MH__ITEMS(b->items, mh__member);
}

static size_t member_count(const mh__body *b)
{
    return MH__COUNT(b->items, mh__member);
}

void mh__body_add(mh__gen *g, mh__body *b, const char *key, char *raw)
{
    mh__member m = {mh__strdup(g, key), raw};
    if (m.key && m.raw)
        mh__buf_add(&b->items, &m, sizeof m);
    if (b->items.failed)
        g->oom = 1;
    if (!m.key || !m.raw || b->items.failed) {
        free(m.key);
        free(m.raw);
    }
}

void mh__body_set(mh__gen *g, mh__body *b, const char *key, char *raw)
{
    mh__member *m = members(b);
    for (size_t i = 0; i < member_count(b); i++) {
        if (strcmp(m[i].key, key) == 0) {
            if (!raw)
                return; /* OOM already recorded; keep the old value */
            free(m[i].raw);
            m[i].raw = raw;
            return;
        }
    }
    mh__body_add(g, b, key, raw);
}

void mh__body_remove(mh__body *b, const char *key)
{
    mh__member *m = members(b);
    size_t j = 0, n = member_count(b);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(m[i].key, key) == 0) {
            free(m[i].key);
            free(m[i].raw);
        } else {
            m[j++] = m[i];
        }
    }
    b->items.len = j * sizeof *m; /* shrinking in place never fails */
}

char *mh__body_json(mh__gen *g, const mh__body *b, size_t *len)
{
    const mh__member *m = members(b);
    mh__buf out = {0};
    mh__buf_add(&out, "{", 1);
    for (size_t i = 0; i < member_count(b); i++) {
        char *k = mh__quote(g, m[i].key);
        if (!k) {
            out.failed = 1;
            break;
        }
        if (i)
            mh__buf_add(&out, ",", 1);
        mh__buf_adds(&out, k);
        mh__buf_add(&out, ":", 1);
        mh__buf_adds(&out, m[i].raw);
        free(k);
    }
    mh__buf_add(&out, "}", 1);
    return mh__gen_take(g, &out, len);
}

void mh__body_free(mh__body *b)
{
    mh__member *m = members(b);
    for (size_t i = 0; i < member_count(b); i++) {
        free(m[i].key);
        free(m[i].raw);
    }
    mh__buf_free(&b->items);
}

/* Writes one form field: its name, its text (len bytes) and whether the
 * text is a JSON object. */
typedef void (*field_fn)(mh__buf *out, const char *key, const char *text, size_t len, int json);

/* The text of one parsed value as a form field. New string; NULL on OOM. */
static char *field_text(const cJSON *v, int *json)
{
    *json = 0;
    if (cJSON_IsString(v))
        return strdup(v->valuestring ? v->valuestring : "");
    if (cJSON_IsNull(v))
        return strdup("");
    if (cJSON_IsNumber(v) && v->valuestring)
        return strdup(v->valuestring);
    *json = cJSON_IsObject(v);
    return cJSON_PrintUnformatted(v);
}

/* Calls put for each field of the body: string members as their text,
 * numbers, booleans and null as their literal ("" for null), array items one
 * by one, objects as JSON text; a raw value that is not JSON (a broken
 * probe) as it is written. */
static void each_field(const mh__body *b, mh__buf *out, field_fn put)
{
    const mh__member *m = members(b);
    for (size_t i = 0; i < member_count(b) && !out->failed; i++) {
        cJSON *t = NULL;
        if (mh_json_parse(m[i].raw, strlen(m[i].raw), NULL, &t, NULL) != MH_JSON_OK) {
            put(out, m[i].key, m[i].raw, strlen(m[i].raw), 0); /* not JSON: as written */
            continue;
        }
        const cJSON *one = cJSON_IsArray(t) ? t->child : t;
        for (; one; one = cJSON_IsArray(t) ? one->next : NULL) {
            int json = 0;
            char *text = field_text(one, &json);
            if (!text)
                out->failed = 1;
            else
                put(out, m[i].key, text, strlen(text), json);
            free(text);
        }
        cJSON_Delete(t);
    }
}

static void put_pct(mh__buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            mh__buf_add(out, &s[i], 1);
        else
            mh__buf_addf(out, "%%%02X", c);
    }
}

static void form_field(mh__buf *out, const char *key, const char *text, size_t len, int json)
{
    (void)json;
    if (out->len)
        mh__buf_add(out, "&", 1);
    put_pct(out, key, strlen(key));
    mh__buf_add(out, "=", 1);
    put_pct(out, text, len);
}

char *mh__body_form(mh__gen *g, const mh__body *b, size_t *len)
{
    mh__buf out = MH__BUF_INIT;
    mh__buf_add(&out, "", 0);
    each_field(b, &out, form_field);
    return mh__gen_take(g, &out, len);
}

static void part_field(mh__buf *out, const char *key, const char *text, size_t len, int json)
{
    mh__buf_adds(out, "--" MH__BOUNDARY "\r\nContent-Disposition: form-data; name=\"");
    for (const char *k = key; *k; k++) /* a quote or line break in the name is escaped */
        if (*k == '"' || *k == '\r' || *k == '\n')
            mh__buf_addf(out, "%%%02X", (unsigned char)*k);
        else
            mh__buf_add(out, k, 1);
    mh__buf_adds(out, "\"\r\n");
    if (json)
        mh__buf_adds(out, "Content-Type: application/json\r\n");
    mh__buf_adds(out, "\r\n");
    mh__buf_add(out, text, len);
    mh__buf_adds(out, "\r\n");
}

char *mh__body_multipart(mh__gen *g, const mh__body *b, size_t *len)
{
    mh__buf out = MH__BUF_INIT;
    each_field(b, &out, part_field);
    mh__buf_adds(&out, "--" MH__BOUNDARY "--\r\n");
    return mh__gen_take(g, &out, len);
}
