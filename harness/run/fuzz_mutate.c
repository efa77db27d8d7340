/* fuzz_mutate.c — the mutation operators of the network fuzzer. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/fuzz.h"
#include "manta/json_strict.h"
#include "manta/schema.h"

static const char *const special_strings[] = {
    "%s%s%s%s%n%x%p",
    "\xef\xbf\xbf\xef\xbf\xbe",             /* U+FFFF U+FFFE */
    "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf",     /* astral, U+10FFFF */
    "e\xcc\x81\xcc\x81\xcc\x81\xcc\x81",    /* stacked combining marks */
    "\xe2\x80\xae\xe2\x80\x8b\xef\xbb\xbf", /* RLO, ZWSP, BOM inside */
    "\x01\x02\x1b[31m\x7f",                 /* control characters */
    "\xc0\xaf\xed\xa0\x80\xff",             /* invalid UTF-8 (overlong, surrogate, FF) */
    "' OR '1'='1' --",
    "<img src=x onerror=alert(1)>",
    "${jndi:ldap://127.0.0.1/a}",
    "../../../../etc/passwd\\..\\",
    "   ",
    "",
    "null",
};

static const char *const number_literals[] = {"0",
                                              "-0",
                                              "-1",
                                              "1e308",
                                              "1e999",
                                              "-1e999",
                                              "9007199254740993",
                                              "1.5",
                                              "1e-400",
                                              "2147483648",
                                              "-9223372036854775809",
                                              "123456789012345678901234567890"};

static const char *const content_types[] = {"text/plain",
                                            "application/xml",
                                            "application/json; charset=utf-16",
                                            "application/x-www-form-urlencoded",
                                            "multipart/form-data; boundary=x",
                                            "application/jsonx",
                                            "",
                                            "*/*"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *pick(mh_prng *rng, const char *const *list, size_t n)
{
    return list[mh_prng_below(rng, n)];
}

/* A random member of obj (or element of an array), NULL if empty. */
static cJSON *random_child(mh_prng *rng, cJSON *node)
{
    int n = cJSON_GetArraySize(node);
    if (n <= 0)
        return NULL;
    return cJSON_GetArrayItem(node, (int)mh_prng_below(rng, (uint64_t)n));
}

static cJSON *random_value(mh_prng *rng)
{
    switch (mh_prng_below(rng, 6)) {
    case 0:
        return cJSON_CreateRaw(pick(rng, number_literals, COUNT(number_literals)));
    case 1:
        return cJSON_CreateBool(mh_prng_below(rng, 2));
    case 2:
        return cJSON_CreateNull();
    case 3:
        return cJSON_CreateArray();
    case 4:
        return cJSON_CreateObject();
    default:
        return cJSON_CreateString(pick(rng, special_strings, COUNT(special_strings)));
    }
}

static cJSON *long_string(mh_prng *rng)
{
    static const size_t lengths[] = {101, 256, 1001, 4097, 70000};
    size_t n = lengths[mh_prng_below(rng, COUNT(lengths))];
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    char c = (char)('A' + mh_prng_below(rng, 26));
    memset(s, c, n);
    s[n] = '\0';
    cJSON *v = cJSON_CreateString(s);
    free(s);
    return v;
}

/* Replaces (or for "drop" removes) a random member of the object body. */
static int mutate_tree(mh_prng *rng, cJSON *root, const char **op)
{
    cJSON *target = random_child(rng, root);
    if (!target)
        return -1;
    cJSON *(*makers[])(mh_prng *) = {random_value, long_string};
    unsigned kind = (unsigned)mh_prng_below(rng, 5);
    if (kind == 4) {
        *op = "drop-member";
        cJSON_Delete(cJSON_DetachItemViaPointer(root, target));
        return 0;
    }
    if (kind == 3) {
        *op = "add-member";
        cJSON_AddItemToObject(root, "__mh_fuzz", random_value(rng));
        return 0;
    }
    cJSON *v = NULL;
    if (kind == 2 && cJSON_IsString(target)) {
        *op = "string-special";
        v = cJSON_CreateString(pick(rng, special_strings, COUNT(special_strings)));
    } else {
        *op = kind == 1 ? "string-long" : "type-swap";
        v = makers[kind == 1](rng);
    }
    return v && cJSON_ReplaceItemViaPointer(root, target, v) ? 0 : -1;
}

static int mutate_json(mh_prng *rng, mh_case *c, const char **op)
{
    cJSON *root = NULL;
    if (!c->body || mh_json_parse(c->body, c->body_len, NULL, &root, NULL) != MH_JSON_OK)
        return -1;
    int rc = cJSON_IsObject(root) ? mutate_tree(rng, root, op) : -1;
    char *text = rc == 0 ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return -1;
    rc = mh_case_set_body(c, text, strlen(text));
    cJSON_free(text);
    return rc;
}

/* 1 when the bytes [at, at + n) of b[0..len) (n == 0: a cut or insertion
 * point at at) break an occurrence of keep. */
static int cuts(const char *b, size_t len, const char *keep, size_t at, size_t n)
{
    size_t k = keep ? strlen(keep) : 0;
    for (size_t s = 0; k && s + k <= len; s++) {
        if (memcmp(b + s, keep, k) != 0)
            continue;
        if (n ? (at < s + k && s < at + n) : (s < at && at < s + k))
            return 1;
    }
    return 0;
}

/* A position in [0, len) (n > 0: a range start) whose mutation leaves every
 * occurrence of keep whole; len when none is found in 16 draws. */
static size_t safe_at(mh_prng *rng, const char *b, size_t len, const char *keep, size_t n)
{
    for (int i = 0; i < 16 && len; i++) {
        size_t at = (size_t)mh_prng_below(rng, len);
        if (!cuts(b, len, keep, at, n))
            return at;
    }
    return len;
}

/* Byte-level havoc on the raw body: flips, inserts, deletes, truncation,
 * never inside keep (see mh_fuzz_mutate). */
static int mutate_bytes(mh_prng *rng, mh_case *c, const char *keep, const char **op)
{
    size_t len = c->body ? c->body_len : 0;
    char *b = malloc(len + 64);
    if (!b)
        return -1;
    if (len)
        memcpy(b, c->body, len);
    unsigned kind = (unsigned)mh_prng_below(rng, 4);
    size_t at = safe_at(rng, b, len, keep, kind == 0 ? 1 : 0);
    if (kind == 0 && at < len) {
        *op = "byte-flip";
        for (unsigned i = 0; i < 1 + mh_prng_below(rng, 4); i++) {
            size_t p = safe_at(rng, b, len, keep, 1);
            if (p < len)
                b[p] ^= (char)(1u << mh_prng_below(rng, 8));
        }
    } else if (kind == 1 || kind == 0) {
        *op = "byte-insert";
        size_t n = 1 + (size_t)mh_prng_below(rng, 32);
        memmove(b + at + n, b + at, len - at);
        for (size_t i = 0; i < n; i++)
            b[at + i] = (char)mh_prng_below(rng, 256);
        len += n;
    } else if (kind == 2 && at < len) {
        *op = "byte-delete";
        size_t n = 1 + (size_t)mh_prng_below(rng, len - at);
        while (n > 1 && cuts(b, len, keep, at, n))
            n /= 2;
        if (cuts(b, len, keep, at, n))
            n = 0;
        memmove(b + at, b + at + n, len - at - n);
        len -= n;
    } else {
        *op = "truncate";
        len = at;
    }
    int rc = mh_case_set_body(c, b, len);
    free(b);
    return rc;
}

static int mutate_header(mh_prng *rng, mh_case *c, const char **op)
{
    mh_case_remove_header(c, "Content-Type");
    if (mh_prng_below(rng, 4) == 0) {
        *op = "content-type-missing";
        return 0;
    }
    *op = "content-type";
    return mh_case_add_header(c, "Content-Type", pick(rng, content_types, COUNT(content_types)));
}

static int mutate_query(mh_prng *rng, mh_case *c, const char **op)
{
    static const char *const suffixes[] = {"&", "%00", "%ZZ", "&botId=", "/../x", "%ff%fe"};
    *op = "query";
    size_t n = strlen(c->target);
    const char *s = pick(rng, suffixes, COUNT(suffixes));
    char *t = malloc(n + strlen(s) + 1);
    if (!t)
        return -1;
    memcpy(t, c->target, n);
    strcpy(t + n, s);
    free(c->target);
    c->target = t;
    return 0;
}

/* Gives the copy a fresh unique name: "mh-<8 hex>-" becomes
 * "mh-<8 hex>-f<iteration>-", so accepted creates do not turn into
 * duplicates on the next iteration. */
static int freshen_names(mh_case *c, size_t iteration)
{
    if (!c->body)
        return 0;
    const char *p = c->body, *end = c->body + c->body_len;
    char tag[32];
    int tl = snprintf(tag, sizeof tag, "f%zu-", iteration);
    while ((p = memmem(p, (size_t)(end - p), "mh-", 3)) != NULL) {
        if (end - p >= 12 && p[11] == '-' && strspn(p + 3, "0123456789abcdef") >= 8)
            break;
        p += 3;
    }
    if (!p)
        return 0;
    size_t at = (size_t)(p - c->body) + 12, len = c->body_len;
    char *b = malloc(len + (size_t)tl + 1);
    if (!b)
        return -1;
    memcpy(b, c->body, at);
    memcpy(b + at, tag, (size_t)tl);
    memcpy(b + at + tl, c->body + at, len - at);
    int rc = mh_case_set_body(c, b, len + (size_t)tl);
    free(b);
    return rc;
}

/* 0 only when the body is not JSON at all or violates the request schema;
 * a duplicate key alone is a boundary matter (DESIGN.md), not judged. */
static int judge_body(const mh_case *c)
{
    const mh_schema *s = NULL;
    for (size_t i = 0; c->op && i < c->op->body_count && !s; i++)
        s = c->op->body[i].schema;
    if (!c->body)
        return c->op && c->op->body_required ? 0 : 1;
    cJSON *root = NULL;
    mh_json_error e;
    if (mh_json_parse(c->body, c->body_len, NULL, &root, &e) != MH_JSON_OK)
        return e.rule == MH_JSON_E_DUPKEY ? 1 : 0;
    mh_violations v = {0};
    size_t n = s ? mh_schema_validate(s, root, MH_DIR_REQUEST, &v) : 0;
    mh_violations_free(&v);
    cJSON_Delete(root);
    return n == 0;
}

int mh_fuzz_mutate(mh_prng *rng, const mh_case *base, size_t iteration, const char *keep,
                   mh_case **out, const char **op)
{
    mh_case *c = mh_case_clone(base);
    if (!c || freshen_names(c, iteration)) {
        mh_case_free(c);
        return -1;
    }
    static const char none[] = "none";
    *op = none;
    unsigned kind = (unsigned)mh_prng_below(rng, 10);
    int rc;
    if (kind < 5)
        rc = mutate_json(rng, c, op);
    else if (kind < 8)
        rc = -1;
    else if (kind == 8)
        rc = mutate_header(rng, c, op);
    else
        rc = mutate_query(rng, c, op);
    if (rc != 0)
        rc = mutate_bytes(rng, c, keep, op);
    c->suite = MH_SUITE_FUZZ;
    c->body_schema_valid = judge_body(c);
    char id[160];
    snprintf(id, sizeof id, "fuzz/%zu-%s", iteration, *op);
    free(c->id);
    c->id = strdup(id);
    if (rc != 0 || !c->id) {
        mh_case_free(c);
        return -1;
    }
    *out = c;
    return 0;
}
