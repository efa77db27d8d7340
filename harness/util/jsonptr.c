/* jsonptr.c — JSON pointers (jsonptr.h): escaping a token, appending one to
 * a pointer, and resolving a pointer in a cJSON tree.
 */
#include "util/jsonptr.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest token mh__jsonptr_get resolves, unescaped, with its NUL. */
#define TOKEN_MAX 1024

size_t mh__jsonptr_escaped_len(const char *token)
{
    size_t n = 0;
    for (const char *p = token; *p; p++)
        n += (*p == '~' || *p == '/') ? 2 : 1;
    return n;
}

char *mh__jsonptr_escape(char *out, const char *token)
{
    for (const char *p = token; *p; p++) {
        if (*p == '~' || *p == '/') {
            *out++ = '~';
            *out++ = *p == '~' ? '0' : '1';
        } else {
            *out++ = *p;
        }
    }
    return out;
}

char *mh__jsonptr_append(const char *base, const char *token)
{
    size_t bl = strlen(base);
    char *s = malloc(bl + 1 + mh__jsonptr_escaped_len(token) + 1);
    if (!s)
        return NULL;
    memcpy(s, base, bl);
    s[bl] = '/';
    *mh__jsonptr_escape(s + bl + 1, token) = '\0';
    return s;
}

char *mh__jsonptr_append_index(const char *base, size_t i)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", i);
    return mh__jsonptr_append(base, num);
}

/* Unescapes one reference token [p, end) into buf (cap bytes). -1 when
 * malformed (~ not followed by 0 or 1) or too long. */
static int unescape_token(const char *p, const char *end, char *buf, size_t cap)
{
    size_t n = 0;
    for (; p < end; p++) {
        char c = *p;
        if (c == '~') {
            if (p + 1 >= end || (p[1] != '0' && p[1] != '1'))
                return -1;
            c = p[1] == '0' ? '~' : '/';
            p++;
        }
        if (n + 1 >= cap)
            return -1;
        buf[n++] = c;
    }
    buf[n] = '\0';
    return 0;
}

/* The member of obj named exactly name (the first, case-sensitive). */
static const cJSON *member(const cJSON *obj, const char *name)
{
    for (const cJSON *c = obj->child; c; c = c->next)
        if (c->string && strcmp(c->string, name) == 0)
            return c;
    return NULL;
}

/* The element of arr at the decimal index tok: no sign, no leading zero. */
static const cJSON *element(const cJSON *arr, const char *tok)
{
    if (!*tok || (tok[0] == '0' && tok[1]))
        return NULL;
    size_t idx = 0;
    for (const char *p = tok; *p; p++) {
        if (*p < '0' || *p > '9' || idx > (SIZE_MAX - 9) / 10)
            return NULL;
        idx = idx * 10 + (size_t)(*p - '0');
    }
    size_t i = 0;
    for (const cJSON *c = arr->child; c; c = c->next, i++)
        if (i == idx)
            return c;
    return NULL;
}

const cJSON *mh__jsonptr_get(const cJSON *root, const char *pointer)
{
    const cJSON *cur = root;
    const char *p = pointer;
    if (*p && *p != '/')
        return NULL;
    char tok[TOKEN_MAX];
    while (cur && *p == '/') {
        const char *start = p + 1, *end = strchr(start, '/');
        if (!end)
            end = start + strlen(start);
        if (unescape_token(start, end, tok, sizeof tok) < 0)
            return NULL;
        if (cJSON_IsObject(cur))
            cur = member(cur, tok);
        else if (cJSON_IsArray(cur))
            cur = element(cur, tok);
        else
            return NULL;
        p = end;
    }
    return cur;
}
