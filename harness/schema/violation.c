/* violation.c — the violation list of manta/schema.h (clear, free, add) and
 * the two helpers the validator records through: printf-style formatting
 * into a stack buffer, and appending one violation as a single block.
 *
 * Each violation is one malloc block holding keyword, pointer and message,
 * each NUL-terminated, in that order; keyword is the block's start and the
 * one pointer freed.
 */
#include "schema/schema_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

void mh_violations_clear(mh_violations *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++)
        free(v->items[i].keyword);
    v->count = 0;
}

void mh_violations_free(mh_violations *v)
{
    if (!v)
        return;
    mh_violations_clear(v);
    free(v->items);
    v->items = NULL;
    v->cap = 0;
}

char *mh__vformat(char *buf, size_t n, char **heap, size_t *len, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int k = vsnprintf(buf, n, fmt, ap2);
    va_end(ap2);
    *heap = NULL;
    if (k < 0)
        return NULL;
    *len = (size_t)k;
    if ((size_t)k < n)
        return buf;
    if (!(*heap = malloc((size_t)k + 1)))
        return NULL;
    vsnprintf(*heap, (size_t)k + 1, fmt, ap);
    return *heap;
}

/* Makes room for one more item. mh_violations is public (items, count, cap),
 * so it cannot hold an mh__buf; its growth borrows one over the same array,
 * so doubling and size overflow are decided where every other buffer's are.
 * -1 on out-of-memory (v unchanged). */
static int violations_reserve(mh_violations *v)
{
    const size_t size = sizeof *v->items;
    if (v->count < v->cap)
        return 0;
    mh__buf b = MH__BUF_INIT;
    b.p = (char *)v->items;
    b.len = v->count * size;
    b.cap = v->cap * size;
    if (!mh__buf_reserve(&b, (v->cap ? v->cap : 8) * size))
        return -1;
    v->items = (mh_violation *)(void *)b.p;
    v->cap = b.cap / size;
    return 0;
}

char *mh__violation_new(mh_violations *v, const char *keyword, size_t plen, const char *msg,
                        size_t mlen)
{
    if (violations_reserve(v) < 0)
        return NULL;
    size_t klen = strlen(keyword);
    char *block = malloc(klen + 1 + plen + 1 + mlen + 1);
    if (!block)
        return NULL;
    mh_violation *it = &v->items[v->count++];
    memcpy(block, keyword, klen + 1);
    it->keyword = block;
    it->pointer = block + klen + 1;
    it->pointer[plen] = '\0';
    it->message = it->pointer + plen + 1;
    memcpy(it->message, msg, mlen);
    it->message[mlen] = '\0';
    return it->pointer;
}

static int violations_addv(mh_violations *v, const char *keyword, const char *pointer,
                           const char *fmt, va_list ap)
{
    char buf[256], *heap;
    size_t mlen;
    const char *msg = mh__vformat(buf, sizeof buf, &heap, &mlen, fmt, ap);
    if (!pointer)
        pointer = "";
    size_t plen = strlen(pointer);
    char *at = msg ? mh__violation_new(v, keyword ? keyword : "", plen, msg, mlen) : NULL;
    if (at)
        memcpy(at, pointer, plen);
    free(heap);
    return at ? 0 : -1;
}

int mh_violations_add(mh_violations *v, const char *keyword, const char *pointer, const char *fmt,
                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = violations_addv(v, keyword, pointer, fmt, ap);
    va_end(ap);
    return r;
}
