/* buf.c — the capped growable buffer (buf.h). */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

void mh__buf_init(mh__buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

char *mh__buf_reserve(mh__buf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if ((b->max && n > b->max - b->len) || n > SIZE_MAX / 2 - b->len) {
        b->failed = b->over = 1;
        return NULL;
    }
    size_t need = b->len + n + 1;
    if (need > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc < need)
            nc *= 2;
        if (b->max && nc > b->max + 1)
            nc = b->max + 1; /* never allocate past the cap */
        char *p = realloc(b->p, nc);
        if (!p) {
            b->failed = 1;
            return NULL;
        }
        b->p = p;
        b->cap = nc;
    }
    return b->p + b->len;
}

void mh__buf_commit(mh__buf *b, size_t n)
{
    if (b->failed || !b->p)
        return;
    b->len += n;
    b->p[b->len] = '\0';
}

void mh__buf_add(mh__buf *b, const void *s, size_t n)
{
    char *at = mh__buf_reserve(b, n);
    if (!at)
        return;
    if (n)
        memcpy(at, s, n);
    mh__buf_commit(b, n);
}

void mh__buf_adds(mh__buf *b, const char *s)
{
    mh__buf_add(b, s, strlen(s));
}

void mh__buf_addf(mh__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    char *at = mh__buf_reserve(b, (size_t)n);
    if (!at)
        return;
    va_start(ap, fmt);
    vsnprintf(at, (size_t)n + 1, fmt, ap);
    va_end(ap);
    mh__buf_commit(b, (size_t)n);
}

void mh__buf_add_cp(mh__buf *b, uint32_t cp)
{
    unsigned char u[4];
    mh__buf_add(b, u, mh__utf8_encode(cp, u));
}

char *mh__buf_take(mh__buf *b, size_t *len)
{
    if (!b->failed && !b->p)
        mh__buf_add(b, "", 0);
    char *p = b->failed ? NULL : b->p;
    size_t n = b->len;
    if (b->failed)
        free(b->p);
    size_t max = b->max;
    mh__buf_init(b, max);
    if (p && len)
        *len = n;
    return p;
}

void mh__buf_free(mh__buf *b)
{
    if (!b)
        return;
    free(b->p);
    mh__buf_init(b, b->max);
}
