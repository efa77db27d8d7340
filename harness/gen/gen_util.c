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

char *mh__percent(mh__gen *g, const char *s)
{
    mh__buf b = {0};
    mh__buf_add(&b, "", 0);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~')
            mh__buf_add(&b, p, 1);
        else
            mh__buf_addf(&b, "%%%02X", *p);
    }
    return mh__gen_take(g, &b, NULL);
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
