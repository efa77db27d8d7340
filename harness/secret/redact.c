/* redact.c — replace secret values by placeholders (contract: redact.h).
 *
 * Each registered secret becomes up to five byte patterns: the raw value, its
 * JSON-escaped form (mh_json_quote without the quotes), the same with '/'
 * escaped as "\/", and its percent-encoded form with upper- and lower-case
 * hex digits. Patterns are
 * kept sorted longest first. Redaction claims non-overlapping regions of the
 * input, longest pattern first, so when two secrets overlap the longer one
 * wins and no secret survives whole. Very short secrets (a few bytes) are
 * honoured too, but they make redaction noisy: they match ordinary text.
 */
#define _GNU_SOURCE /* memmem */
#include "manta/redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"

typedef struct {
    char *bytes;
    size_t len;
    char *placeholder;
} pattern;

struct mh_redactor {
    pattern *items;
    size_t count;
};

typedef struct {
    size_t start;
    size_t len;
    const char *placeholder;
} region;

mh_redactor *mh_redactor_new(void)
{
    return calloc(1, sizeof(mh_redactor));
}

void mh_redactor_free(mh_redactor *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        free(r->items[i].bytes);
        free(r->items[i].placeholder);
    }
    free(r->items);
    free(r);
}

static int has_pattern(const mh_redactor *r, const char *s, size_t len)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].len == len && memcmp(r->items[i].bytes, s, len) == 0)
            return 1;
    return 0;
}

/* Inserts a copy of s keeping the list sorted by length, longest first.
 * Duplicates (the same bytes already registered) are skipped. */
static int add_pattern(mh_redactor *r, const char *s, size_t len, const char *placeholder)
{
    if (len == 0 || has_pattern(r, s, len))
        return 0;
    pattern *items = realloc(r->items, (r->count + 1) * sizeof *items);
    if (!items)
        return -1;
    r->items = items;
    pattern p = {malloc(len), len, strdup(placeholder)};
    if (!p.bytes || !p.placeholder) {
        free(p.bytes);
        free(p.placeholder);
        return -1;
    }
    memcpy(p.bytes, s, len);
    size_t at = 0;
    while (at < r->count && r->items[at].len >= len)
        at++;
    memmove(&r->items[at + 1], &r->items[at], (r->count - at) * sizeof *items);
    r->items[at] = p;
    r->count++;
    return 0;
}

/* RFC 3986 percent-encoding of every byte outside the unreserved set. */
static char *percent_encode(const char *s, int lower)
{
    const char *hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

/* Servers may also escape '/' as "\\/" (legal JSON): register that form too. */
static int add_solidus_escaped(mh_redactor *r, const char *s, size_t len, const char *placeholder)
{
    if (!memchr(s, '/', len))
        return 0;
    char *out = malloc(len * 2 + 1), *o = out;
    if (!out)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '/')
            *o++ = '\\';
        *o++ = s[i];
    }
    int rc = add_pattern(r, out, (size_t)(o - out), placeholder);
    free(out);
    return rc;
}

/* Decodes one UTF-8 sequence at s (valid input assumed, as from the
 * parser); returns its length and stores the code point. */
static size_t utf8_decode(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80 || !s[1])
        return *cp = s[0], 1;
    if ((s[0] & 0xE0) == 0xC0)
        return *cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu), 2;
    if ((s[0] & 0xF0) == 0xE0 && s[2])
        return *cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu), 3;
    if (s[2] && s[3])
        return *cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
                     (s[3] & 0x3Fu),
               4;
    return *cp = s[0], 1;
}

/* Other encoders' escapes of the same JSON text: Go's HTML-safe "\u0026"
 * for & < > (and U+2028/2029), and ASCII-only output ("\u00e9", surrogate
 * pairs for astral code points) in lower- and upper-case hex, as Python's
 * ensure_ascii and Java encoders write. mode 0 = Go, 1 = ASCII lower,
 * 2 = ASCII upper. inner is the standard-escaped literal without quotes. */
static int add_unicode_escaped(mh_redactor *r, const char *inner, int mode, const char *placeholder)
{
    size_t n = strlen(inner);
    char *out = malloc(n * 12 + 1), *o = out;
    if (!out)
        return -1;
    const char *fmt = mode == 2 ? "\\u%04X" : "\\u%04x";
    for (const unsigned char *p = (const unsigned char *)inner; *p;) {
        unsigned cp;
        size_t k = utf8_decode(p, &cp);
        int go = cp == '&' || cp == '<' || cp == '>' || cp == 0x2028 || cp == 0x2029;
        if ((mode == 0 && go) || (mode > 0 && cp >= 0x80 && cp < 0x10000)) {
            o += sprintf(o, fmt, cp);
        } else if (mode > 0 && cp >= 0x10000) {
            o += sprintf(o, fmt, 0xD800 + ((cp - 0x10000) >> 10));
            o += sprintf(o, fmt, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            memcpy(o, p, k);
            o += k;
        }
        p += k;
    }
    int rc = add_pattern(r, out, (size_t)(o - out), placeholder);
    free(out);
    return rc;
}

int mh_redactor_add(mh_redactor *r, const char *secret, const char *placeholder)
{
    if (!r || !secret || !*secret)
        return 0;
    if (!placeholder)
        placeholder = "$MANTA_SECRET";
    if (add_pattern(r, secret, strlen(secret), placeholder) != 0)
        return -1;
    char *quoted = mh_json_quote(secret);
    char *upper = percent_encode(secret, 0);
    char *lower = percent_encode(secret, 1);
    int rc = -1;
    if (quoted && upper && lower) {
        /* mh_json_quote wraps the literal in quotes: match the inside only. */
        size_t qlen = strlen(quoted);
        rc = qlen >= 2 ? add_pattern(r, quoted + 1, qlen - 2, placeholder) : 0;
        if (rc == 0 && qlen >= 2)
            rc = add_solidus_escaped(r, quoted + 1, qlen - 2, placeholder);
        quoted[qlen ? qlen - 1 : 0] = '\0';
        for (int mode = 0; mode < 3 && rc == 0 && qlen >= 2; mode++)
            rc = add_unicode_escaped(r, quoted + 1, mode, placeholder);
        if (rc == 0)
            rc = add_pattern(r, upper, strlen(upper), placeholder);
        if (rc == 0)
            rc = add_pattern(r, lower, strlen(lower), placeholder);
    }
    free(quoted);
    free(upper);
    free(lower);
    return rc;
}

static const char *find(const char *s, size_t len, const pattern *p, size_t from)
{
    if (from >= len || len - from < p->len)
        return NULL;
    return memmem(s + from, len - from, p->bytes, p->len);
}

static int range_free(const unsigned char *taken, size_t start, size_t len)
{
    for (size_t i = start; i < start + len; i++)
        if (taken[i / 8] & (1u << (i % 8)))
            return 0;
    return 1;
}

static void range_take(unsigned char *taken, size_t start, size_t len)
{
    for (size_t i = start; i < start + len; i++)
        taken[i / 8] |= (unsigned char)(1u << (i % 8));
}

static int by_start(const void *a, const void *b)
{
    const region *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Finds every region to replace: longest patterns claim bytes first. Returns
 * the number of regions in *out (caller frees), or -1 on OOM. */
static long claim_regions(const mh_redactor *r, const char *s, size_t len, region **out)
{
    *out = NULL;
    unsigned char *taken = calloc(len / 8 + 1, 1);
    if (!taken)
        return -1;
    region *regs = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < r->count; i++) {
        const pattern *p = &r->items[i];
        size_t from = 0;
        const char *hit;
        while ((hit = find(s, len, p, from)) != NULL) {
            size_t at = (size_t)(hit - s);
            if (!range_free(taken, at, p->len)) {
                from = at + 1;
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                region *nr = realloc(regs, cap * sizeof *nr);
                if (!nr) {
                    free(regs);
                    free(taken);
                    return -1;
                }
                regs = nr;
            }
            regs[n++] = (region){at, p->len, p->placeholder};
            range_take(taken, at, p->len);
            from = at + p->len;
        }
    }
    free(taken);
    if (n > 1)
        qsort(regs, n, sizeof *regs, by_start);
    *out = regs;
    return (long)n;
}

static char *copy_plain(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    if (len)
        memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

char *mh_redact(const mh_redactor *r, const char *s, size_t len)
{
    return mh_redact_len(r, s, len, NULL);
}

char *mh_redact_len(const mh_redactor *r, const char *s, size_t len, size_t *out_len)
{
    if (!s)
        len = 0;
    if (out_len)
        *out_len = len;
    if (!r || r->count == 0 || len == 0)
        return copy_plain(s, len);
    region *regs;
    long n = claim_regions(r, s, len, &regs);
    if (n < 0)
        return NULL;
    size_t total = len;
    for (long i = 0; i < n; i++)
        total += strlen(regs[i].placeholder);
    char *out = malloc(total + 1), *o = out;
    if (out) {
        size_t at = 0;
        for (long i = 0; i < n; i++) {
            memcpy(o, s + at, regs[i].start - at);
            o += regs[i].start - at;
            size_t pl = strlen(regs[i].placeholder);
            memcpy(o, regs[i].placeholder, pl);
            o += pl;
            at = regs[i].start + regs[i].len;
        }
        memcpy(o, s + at, len - at);
        o += len - at;
        *o = '\0';
        if (out_len)
            *out_len = (size_t)(o - out);
    }
    free(regs);
    return out;
}

int mh_redact_contains(const mh_redactor *r, const char *s, size_t len, const char **which)
{
    if (!r || !s)
        return 0;
    for (size_t i = 0; i < r->count; i++) {
        if (find(s, len, &r->items[i], 0)) {
            if (which)
                *which = r->items[i].placeholder;
            return 1;
        }
    }
    return 0;
}
