/* redact.c — replace secret values by placeholders (contract: redact.h).
 *
 * Each registered secret becomes up to eight byte patterns: the raw value, its
 * JSON-escaped form (mh_json_quote without the quotes), the same with '/'
 * escaped as "\/", the JSON-escaped form as other encoders write it (Go's
 * HTML-safe \u0026 escapes; ASCII-only \u00e9 in lower- and upper-case hex),
 * and its percent-encoded form with upper- and lower-case hex digits. The
 * patterns live in an mh__buf (util/buf.h), kept sorted longest first.
 * Redaction claims non-overlapping regions of the input, longest pattern
 * first, so when two secrets overlap the longer one wins and no secret
 * survives whole. Very short secrets (a few bytes) are
 * honoured too, but they make redaction noisy: they match ordinary text.
 */
#define _GNU_SOURCE /* memmem */
#include "manta/redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "util/buf.h"
#include "util/utf8.h"

typedef struct {
    char *bytes;
    size_t len;
    char *placeholder;
} pattern;

struct mh_redactor {
    mh__buf items; /* pattern[], longest first */
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

static pattern *patterns(const mh_redactor *r)
{
    return (pattern *)(void *)r->items.p;
}

static size_t pattern_count(const mh_redactor *r)
{
    return r->items.len / sizeof(pattern);
}

void mh_redactor_free(mh_redactor *r)
{
    if (!r)
        return;
    pattern *v = patterns(r);
    for (size_t i = 0; i < pattern_count(r); i++) {
        free(v[i].bytes);
        free(v[i].placeholder);
    }
    mh__buf_free(&r->items);
    free(r);
}

static int has_pattern(const mh_redactor *r, const char *s, size_t len)
{
    const pattern *v = patterns(r);
    for (size_t i = 0; i < pattern_count(r); i++)
        if (v[i].len == len && memcmp(v[i].bytes, s, len) == 0)
            return 1;
    return 0;
}

/* Inserts a copy of s keeping the list sorted by length, longest first.
 * Duplicates (the same bytes already registered) are skipped. */
static int add_pattern(mh_redactor *r, const char *s, size_t len, const char *placeholder)
{
    if (len == 0 || has_pattern(r, s, len))
        return 0;
    pattern p = {malloc(len), len, strdup(placeholder)};
    if (!p.bytes || !p.placeholder || !mh__buf_reserve(&r->items, sizeof p)) {
        free(p.bytes);
        free(p.placeholder);
        return -1;
    }
    memcpy(p.bytes, s, len);
    pattern *v = patterns(r); /* after the reserve: it may have moved */
    size_t n = pattern_count(r), at = 0;
    while (at < n && v[at].len >= len)
        at++;
    memmove(&v[at + 1], &v[at], (n - at) * sizeof *v);
    v[at] = p;
    mh__buf_commit(&r->items, sizeof p);
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

/* Other encoders' escapes of the same JSON text: Go's HTML-safe "\u0026"
 * for & < > (and U+2028/2029), and ASCII-only output ("\u00e9", surrogate
 * pairs for astral code points) in lower- and upper-case hex, as Python's
 * ensure_ascii and Java encoders write. mode 0 = Go, 1 = ASCII lower,
 * 2 = ASCII upper. inner is the standard-escaped literal without quotes. */
static int add_unicode_escaped(mh_redactor *r, const char *inner, int mode, const char *placeholder)
{
    const char *fmt = mode == 2 ? "\\u%04X" : "\\u%04x";
    size_t n = strlen(inner);
    mh__buf out = MH__BUF_INIT;
    for (size_t i = 0; i < n;) {
        const unsigned char *p = (const unsigned char *)inner + i;
        uint32_t cp;
        size_t k = mh__utf8_decode(p, n - i, &cp);
        if (!k) { /* not UTF-8 (a secret may be any bytes): a byte of its own */
            cp = p[0];
            k = 1;
        }
        int go = cp == '&' || cp == '<' || cp == '>' || cp == 0x2028 || cp == 0x2029;
        if ((mode == 0 && go) || (mode > 0 && cp >= 0x80 && cp < 0x10000)) {
            mh__buf_addf(&out, fmt, (unsigned)cp);
        } else if (mode > 0 && cp >= 0x10000) {
            mh__buf_addf(&out, fmt, (unsigned)(0xD800 + ((cp - 0x10000) >> 10)));
            mh__buf_addf(&out, fmt, (unsigned)(0xDC00 + ((cp - 0x10000) & 0x3FF)));
        } else {
            mh__buf_add(&out, p, k);
        }
        i += k;
    }
    size_t len = 0;
    char *text = mh__buf_take(&out, &len);
    if (!text)
        return -1;
    int rc = add_pattern(r, text, len, placeholder);
    free(text);
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
 * the number of regions in *out (caller frees; NULL when there are none), or
 * -1 on OOM. */
static long claim_regions(const mh_redactor *r, const char *s, size_t len, region **out)
{
    *out = NULL;
    unsigned char *taken = calloc(len / 8 + 1, 1);
    if (!taken)
        return -1;
    mh__buf regs = MH__BUF_INIT; /* region[] */
    const pattern *v = patterns(r);
    for (size_t i = 0; i < pattern_count(r) && !regs.failed; i++) {
        const pattern *p = &v[i];
        size_t from = 0;
        const char *hit;
        while (!regs.failed && (hit = find(s, len, p, from)) != NULL) {
            size_t at = (size_t)(hit - s);
            if (!range_free(taken, at, p->len)) {
                from = at + 1;
                continue;
            }
            region rg = {at, p->len, p->placeholder};
            mh__buf_add(&regs, &rg, sizeof rg);
            range_take(taken, at, p->len);
            from = at + p->len;
        }
    }
    free(taken);
    size_t n = regs.len / sizeof(region);
    if (regs.failed || n == 0) {
        int failed = regs.failed;
        mh__buf_free(&regs);
        return failed ? -1 : 0;
    }
    if (n > 1)
        qsort(regs.p, n, sizeof(region), by_start);
    *out = (region *)(void *)mh__buf_take(&regs, NULL);
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
    if (!r || pattern_count(r) == 0 || len == 0)
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
    const pattern *v = patterns(r);
    for (size_t i = 0; i < pattern_count(r); i++) {
        if (find(s, len, &v[i], 0)) {
            if (which)
                *which = v[i].placeholder;
            return 1;
        }
    }
    return 0;
}

const char *mh_redact_placeholder_at(const mh_redactor *r, const char *s, size_t len)
{
    const char *best = NULL;
    size_t best_len = 0;
    const pattern *v = r ? patterns(r) : NULL;
    for (size_t i = 0; r && i < pattern_count(r); i++) {
        size_t pl = strlen(v[i].placeholder);
        if (pl > best_len && pl <= len && memcmp(s, v[i].placeholder, pl) == 0) {
            best = v[i].placeholder;
            best_len = pl;
        }
    }
    return best;
}
