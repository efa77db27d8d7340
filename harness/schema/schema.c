/* schema.c — compile OpenAPI 3.0 Schema Objects once, validate many times.
 *
 * Compilation turns each resolved schema object into one mh_schema node
 * (memoized by node address, so $ref targets are shared and recursion is a
 * cycle in the graph). Validation walks instance and graph together; the
 * instance path is a stack of borrowed segments and becomes a JSON pointer
 * string only when a violation is recorded.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "manta/schema.h"
#include "schema_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"

enum { T_STRING = 1, T_NUMBER = 2, T_INTEGER = 4, T_BOOLEAN = 8, T_ARRAY = 16, T_OBJECT = 32 };

typedef enum {
    F_NONE = 0,
    F_DATETIME,
    F_DATE,
    F_TIME,
    F_EMAIL,
    F_UUID,
    F_URI,
    F_IPV4,
    F_IPV6,
    F_BYTE,
    F_INT32,
    F_INT64
} fmt_kind;

typedef struct {
    const char *name; /* borrowed from the document */
    mh_schema *schema;
} prop;

typedef struct {
    mh_schema **v;
    size_t n;
} schema_list;

struct mh_schema {
    const cJSON *src;
    char *location;
    unsigned types; /* 0 = any type */
    int nullable, read_only, write_only;
    const cJSON *enum_values;
    prop *props;
    size_t nprops;
    const char **required;
    size_t nrequired;
    int additional; /* 1 allowed (default), 0 forbidden, 2 schema */
    mh_schema *additional_schema;
    mh_schema *items;
    double min_items, max_items, min_len, max_len, min_props, max_props; /* -1 absent */
    int unique;
    pcre2_code *pattern;
    const char *pattern_src;
    const cJSON *minimum, *maximum, *multiple_of;
    int excl_min, excl_max;
    schema_list all_of, any_of, one_of;
    mh_schema *not_;
    fmt_kind format;
    const char *format_name;
    int color; /* cycle check */
};

struct mh__schema_set {
    const cJSON *root;
    mh_schema **all;
    size_t n, cap;
    /* open addressing: node address -> schema */
    const cJSON **keys;
    mh_schema **vals;
    size_t hcap;
};

/* ------------------------------------------------------------------ */
/* violations */

/* Each violation is one malloc block holding keyword, pointer and message,
 * each NUL-terminated, in that order; keyword is the block's start and the
 * one pointer freed. */

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

/* Formats into buf (n bytes) when the text fits, else into a new malloc'd
 * buffer (*heap, freed by the caller). Returns the text and its length in
 * *len; NULL on a formatting error or out-of-memory. One formatting pass in
 * the common case. */
static char *vformat(char *buf, size_t n, char **heap, size_t *len, const char *fmt, va_list ap)
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

/* Appends a violation with keyword and message msg[0..mlen) and room for a
 * pointer of plen bytes, which the caller writes at the returned address
 * (its terminating NUL is in place). NULL on out-of-memory. */
static char *violation_new(mh_violations *v, const char *keyword, size_t plen, const char *msg,
                           size_t mlen)
{
    if (v->count == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 8;
        mh_violation *ni = realloc(v->items, ncap * sizeof *ni);
        if (!ni)
            return NULL;
        v->items = ni;
        v->cap = ncap;
    }
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
    const char *msg = vformat(buf, sizeof buf, &heap, &mlen, fmt, ap);
    if (!pointer)
        pointer = "";
    size_t plen = strlen(pointer);
    char *at = msg ? violation_new(v, keyword ? keyword : "", plen, msg, mlen) : NULL;
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

/* ------------------------------------------------------------------ */
/* JSON pointers and $refs */

char *mh__pointer_append(const char *base, const char *token)
{
    size_t bl = strlen(base), extra = 0;
    for (const char *p = token; *p; p++)
        extra += (*p == '~' || *p == '/') ? 2 : 1;
    char *s = malloc(bl + 1 + extra + 1);
    if (!s)
        return NULL;
    memcpy(s, base, bl);
    char *o = s + bl;
    *o++ = '/';
    for (const char *p = token; *p; p++) {
        if (*p == '~') {
            *o++ = '~';
            *o++ = '0';
        } else if (*p == '/') {
            *o++ = '~';
            *o++ = '1';
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return s;
}

static char *pointer_append_index(const char *base, size_t i)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", i);
    return mh__pointer_append(base, num);
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

static const cJSON *array_at(const cJSON *arr, const char *tok)
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

const cJSON *mh__pointer_get(const cJSON *root, const char *pointer)
{
    const cJSON *cur = root;
    const char *p = pointer;
    if (*p && *p != '/')
        return NULL;
    char tok[1024];
    while (cur && *p == '/') {
        const char *start = p + 1, *end = strchr(start, '/');
        if (!end)
            end = start + strlen(start);
        if (unescape_token(start, end, tok, sizeof tok) < 0)
            return NULL;
        if (cJSON_IsObject(cur))
            cur = mh_json_get(cur, tok);
        else if (cJSON_IsArray(cur))
            cur = array_at(cur, tok);
        else
            return NULL;
        p = end;
    }
    return cur;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes a URI fragment into a new string; NULL when malformed
 * (or out of memory; *bad says which). */
static char *percent_decode(const char *s, int *bad)
{
    char *out = malloc(strlen(s) + 1);
    *bad = 0;
    if (!out)
        return NULL;
    char *o = out;
    for (const char *p = s; *p; p++) {
        if (*p == '%') {
            int h = hexval((unsigned char)p[1]), l = h < 0 ? -1 : hexval((unsigned char)p[2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0)) {
                free(out);
                *bad = 1;
                return NULL;
            }
            *o++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static mh_status ref_error(mh_error *err, mh_status code, const char *at, const char *fmt,
                           const char *arg)
{
    mh_error_set(err, code, fmt, arg);
    if (err) {
        char *p = mh__pointer_append(at, "$ref");
        mh_error_at_pointer(err, p ? p : at);
        free(p);
    }
    return code;
}

#define MH_REF_CHAIN_MAX 64

mh_status mh__ref_follow(const cJSON *root, const cJSON *node, const char *at, const cJSON **target,
                         char **target_ptr, mh_error *err)
{
    const cJSON *seen[MH_REF_CHAIN_MAX];
    size_t nseen = 0;
    char *cur = strdup(at); /* pointer of node */
    if (!cur)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    mh_status st = MH_OK;
    for (;;) {
        const cJSON *ref = cJSON_IsObject(node) ? mh_json_get(node, "$ref") : NULL;
        if (!ref)
            break;
        if (!cJSON_IsString(ref)) {
            st = ref_error(err, MH_ERR_REF, cur, "$ref must be a string%s", "");
            goto done;
        }
        const char *r = ref->valuestring;
        if (r[0] != '#') {
            st = ref_error(err, MH_ERR_REF, cur,
                           "unsupported non-local $ref \"%s\": only local \"#/...\" references "
                           "are supported",
                           r);
            goto done;
        }
        for (size_t i = 0; i < nseen; i++) {
            if (seen[i] == node) {
                st = ref_error(err, MH_ERR_REF, cur, "$ref cycle through \"%s\"", r);
                goto done;
            }
        }
        if (nseen == MH_REF_CHAIN_MAX) {
            st = ref_error(err, MH_ERR_REF, cur, "$ref chain too long at \"%s\"", r);
            goto done;
        }
        seen[nseen++] = node;
        int bad = 0;
        char *decoded = percent_decode(r + 1, &bad);
        if (!decoded) {
            st = bad ? ref_error(err, MH_ERR_REF, cur, "malformed $ref \"%s\"", r)
                     : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
            goto done;
        }
        const cJSON *next = mh__pointer_get(root, decoded);
        if (!next) {
            free(decoded);
            st = ref_error(err, MH_ERR_REF, cur, "dangling $ref \"%s\"", r);
            goto done;
        }
        free(cur);
        cur = decoded;
        node = next;
    }
    *target = node;
    if (target_ptr) {
        *target_ptr = cur;
        cur = NULL;
    }
done:
    free(cur);
    return st;
}

/* ------------------------------------------------------------------ */
/* the set */

mh__schema_set *mh__schema_set_new(const cJSON *root)
{
    mh__schema_set *set = calloc(1, sizeof *set);
    if (set)
        set->root = root;
    return set;
}

static void schema_free(mh_schema *s)
{
    free(s->location);
    free(s->props);
    free(s->required);
    free(s->all_of.v);
    free(s->any_of.v);
    free(s->one_of.v);
    if (s->pattern)
        pcre2_code_free(s->pattern);
    free(s);
}

void mh__schema_set_free(mh__schema_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        schema_free(set->all[i]);
    free(set->all);
    free(set->keys);
    free(set->vals);
    free(set);
}

static size_t hash_ptr(const void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & (cap - 1);
}

static mh_schema *set_lookup(const mh__schema_set *set, const cJSON *node)
{
    if (!set->hcap)
        return NULL;
    for (size_t i = hash_ptr(node, set->hcap);; i = (i + 1) & (set->hcap - 1)) {
        if (!set->keys[i])
            return NULL;
        if (set->keys[i] == node)
            return set->vals[i];
    }
}

static int set_grow(mh__schema_set *set)
{
    size_t ncap = set->hcap ? set->hcap * 2 : 64;
    const cJSON **nk = calloc(ncap, sizeof *nk);
    mh_schema **nv = calloc(ncap, sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    for (size_t i = 0; i < set->hcap; i++) {
        if (!set->keys[i])
            continue;
        size_t j = hash_ptr(set->keys[i], ncap);
        while (nk[j])
            j = (j + 1) & (ncap - 1);
        nk[j] = set->keys[i];
        nv[j] = set->vals[i];
    }
    free(set->keys);
    free(set->vals);
    set->keys = nk;
    set->vals = nv;
    set->hcap = ncap;
    return 0;
}

/* Adds s (keyed by its source node) to the set; -1 on out-of-memory (s is
 * then not owned by the set). */
static int set_insert(mh__schema_set *set, mh_schema *s)
{
    if (set->n == set->cap) {
        size_t ncap = set->cap ? set->cap * 2 : 32;
        mh_schema **na = realloc(set->all, ncap * sizeof *na);
        if (!na)
            return -1;
        set->all = na;
        set->cap = ncap;
    }
    if ((set->n + 1) * 2 > set->hcap && set_grow(set) < 0)
        return -1;
    size_t j = hash_ptr(s->src, set->hcap);
    while (set->keys[j])
        j = (j + 1) & (set->hcap - 1);
    set->keys[j] = s->src;
    set->vals[j] = s;
    set->all[set->n++] = s;
    return 0;
}

/* ------------------------------------------------------------------ */
/* compilation */

typedef struct {
    mh__schema_set *set;
    mh_error *err;
} compiler;

static mh_status spec_error(compiler *c, const char *base, const char *key, const char *fmt,
                            const char *arg)
{
    mh_error_set(c->err, MH_ERR_SPEC, fmt, arg);
    if (c->err) {
        char *p = key ? mh__pointer_append(base, key) : NULL;
        mh_error_at_pointer(c->err, p ? p : base);
        free(p);
    }
    return MH_ERR_SPEC;
}

static mh_status nomem(compiler *c)
{
    return mh_error_set(c->err, MH_ERR_NOMEM, "out of memory");
}

static mh_status compile_node(compiler *c, const cJSON *node, const char *at, mh_schema **out);

/* Compiles the child schema at src[key] (pointer loc/key). */
static mh_status compile_child(compiler *c, mh_schema *s, const cJSON *child, const char *key,
                               mh_schema **out)
{
    char *p = mh__pointer_append(s->location, key);
    if (!p)
        return nomem(c);
    mh_status st = compile_node(c, child, p, out);
    free(p);
    return st;
}

static mh_status compile_list(compiler *c, mh_schema *s, const char *key, schema_list *l)
{
    const cJSON *arr = mh_json_get(s->src, key);
    if (!arr)
        return MH_OK;
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n == 0)
        return spec_error(c, s->location, key, "%s must be a non-empty array of schemas", key);
    l->v = calloc((size_t)n, sizeof *l->v);
    if (!l->v)
        return nomem(c);
    char *base = mh__pointer_append(s->location, key);
    if (!base)
        return nomem(c);
    mh_status st = MH_OK;
    for (const cJSON *it = arr->child; it && st == MH_OK; it = it->next) {
        char *p = pointer_append_index(base, l->n);
        if (!p) {
            st = nomem(c);
            break;
        }
        st = compile_node(c, it, p, &l->v[l->n]);
        free(p);
        if (st == MH_OK)
            l->n++;
    }
    free(base);
    return st;
}

/* A non-negative integer keyword into *out (-1 when absent). */
static mh_status count_kw(compiler *c, mh_schema *s, const char *key, double *out)
{
    const cJSON *v = mh_json_get(s->src, key);
    *out = -1;
    if (!v)
        return MH_OK;
    if (!cJSON_IsNumber(v) || !mh_json_is_integer(v) || v->valuedouble < 0)
        return spec_error(c, s->location, key, "%s must be a non-negative integer", key);
    *out = v->valuedouble;
    return MH_OK;
}

static mh_status bool_kw(compiler *c, mh_schema *s, const char *key, int *out)
{
    const cJSON *v = mh_json_get(s->src, key);
    *out = 0;
    if (!v)
        return MH_OK;
    if (!cJSON_IsBool(v))
        return spec_error(c, s->location, key, "%s must be a boolean", key);
    *out = cJSON_IsTrue(v);
    return MH_OK;
}

static unsigned type_bit(const char *t)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"string", T_STRING},   {"number", T_NUMBER}, {"integer", T_INTEGER},
                 {"boolean", T_BOOLEAN}, {"array", T_ARRAY},   {"object", T_OBJECT}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(t, names[i].name) == 0)
            return names[i].bit;
    return 0;
}

static mh_status compile_type(compiler *c, mh_schema *s)
{
    const cJSON *t = mh_json_get(s->src, "type");
    if (!t)
        return MH_OK;
    if (cJSON_IsString(t)) {
        s->types = type_bit(t->valuestring);
        if (!s->types)
            return spec_error(c, s->location, "type",
                              "unknown type \"%s\" (OpenAPI 3.0 has no "
                              "null type: use nullable)",
                              t->valuestring);
        return MH_OK;
    }
    /* Not 3.0, but harmless to accept a list of names as a union. */
    if (cJSON_IsArray(t) && t->child) {
        for (const cJSON *it = t->child; it; it = it->next) {
            unsigned b = cJSON_IsString(it) ? type_bit(it->valuestring) : 0;
            if (!b)
                return spec_error(c, s->location, "type", "unknown type in list%s", "");
            s->types |= b;
        }
        return MH_OK;
    }
    return spec_error(c, s->location, "type", "type must be a string%s", "");
}

static mh_status compile_pattern(compiler *c, mh_schema *s)
{
    const cJSON *p = mh_json_get(s->src, "pattern");
    if (!p)
        return MH_OK;
    if (!cJSON_IsString(p))
        return spec_error(c, s->location, "pattern", "pattern must be a string%s", "");
    int code = 0;
    PCRE2_SIZE off = 0;
    s->pattern = pcre2_compile((PCRE2_SPTR)p->valuestring, PCRE2_ZERO_TERMINATED,
                               PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &code, &off, NULL);
    if (!s->pattern) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof msg);
        char buf[256];
        snprintf(buf, sizeof buf, "invalid pattern: %s at offset %zu", (const char *)msg,
                 (size_t)off);
        return spec_error(c, s->location, "pattern", "%s", buf);
    }
    s->pattern_src = p->valuestring;
    return MH_OK;
}

static mh_status compile_format(compiler *c, mh_schema *s)
{
    static const struct {
        const char *name;
        fmt_kind kind;
    } fmts[] = {{"date-time", F_DATETIME}, {"date", F_DATE},  {"time", F_TIME},
                {"email", F_EMAIL},        {"uuid", F_UUID},  {"uri", F_URI},
                {"ipv4", F_IPV4},          {"ipv6", F_IPV6},  {"byte", F_BYTE},
                {"int32", F_INT32},        {"int64", F_INT64}};
    const cJSON *f = mh_json_get(s->src, "format");
    if (!f)
        return MH_OK;
    if (!cJSON_IsString(f))
        return spec_error(c, s->location, "format", "format must be a string%s", "");
    s->format_name = f->valuestring;
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
        if (strcmp(f->valuestring, fmts[i].name) == 0)
            s->format = fmts[i].kind;
    return MH_OK;
}

static mh_status number_kw(compiler *c, mh_schema *s, const char *key, const cJSON **out)
{
    const cJSON *v = mh_json_get(s->src, key);
    *out = NULL;
    if (!v)
        return MH_OK;
    if (!cJSON_IsNumber(v))
        return spec_error(c, s->location, key, "%s must be a number", key);
    *out = v;
    return MH_OK;
}

static mh_status compile_numbers(compiler *c, mh_schema *s)
{
    mh_status st;
    if ((st = number_kw(c, s, "minimum", &s->minimum)) != MH_OK ||
        (st = number_kw(c, s, "maximum", &s->maximum)) != MH_OK ||
        (st = number_kw(c, s, "multipleOf", &s->multiple_of)) != MH_OK ||
        (st = bool_kw(c, s, "exclusiveMinimum", &s->excl_min)) != MH_OK ||
        (st = bool_kw(c, s, "exclusiveMaximum", &s->excl_max)) != MH_OK)
        return st;
    if (s->multiple_of && !(s->multiple_of->valuedouble > 0))
        return spec_error(c, s->location, "multipleOf", "multipleOf must be greater than 0%s", "");
    return MH_OK;
}

static mh_status compile_counts(compiler *c, mh_schema *s)
{
    mh_status st;
    if ((st = count_kw(c, s, "minItems", &s->min_items)) != MH_OK ||
        (st = count_kw(c, s, "maxItems", &s->max_items)) != MH_OK ||
        (st = count_kw(c, s, "minLength", &s->min_len)) != MH_OK ||
        (st = count_kw(c, s, "maxLength", &s->max_len)) != MH_OK ||
        (st = count_kw(c, s, "minProperties", &s->min_props)) != MH_OK ||
        (st = count_kw(c, s, "maxProperties", &s->max_props)) != MH_OK ||
        (st = bool_kw(c, s, "uniqueItems", &s->unique)) != MH_OK ||
        (st = bool_kw(c, s, "nullable", &s->nullable)) != MH_OK ||
        (st = bool_kw(c, s, "readOnly", &s->read_only)) != MH_OK ||
        (st = bool_kw(c, s, "writeOnly", &s->write_only)) != MH_OK)
        return st;
    return MH_OK;
}

static mh_status compile_properties(compiler *c, mh_schema *s)
{
    const cJSON *props = mh_json_get(s->src, "properties");
    if (props) {
        if (!cJSON_IsObject(props))
            return spec_error(c, s->location, "properties", "properties must be an object%s", "");
        int n = cJSON_GetArraySize(props);
        s->props = calloc(n ? (size_t)n : 1, sizeof *s->props);
        if (!s->props)
            return nomem(c);
        char *base = mh__pointer_append(s->location, "properties");
        if (!base)
            return nomem(c);
        mh_status st = MH_OK;
        for (const cJSON *it = props->child; it && st == MH_OK; it = it->next) {
            char *p = mh__pointer_append(base, it->string);
            if (!p) {
                st = nomem(c);
                break;
            }
            s->props[s->nprops].name = it->string;
            st = compile_node(c, it, p, &s->props[s->nprops].schema);
            free(p);
            if (st == MH_OK)
                s->nprops++;
        }
        free(base);
        if (st != MH_OK)
            return st;
    }
    const cJSON *req = mh_json_get(s->src, "required");
    if (req) {
        if (!cJSON_IsArray(req))
            return spec_error(c, s->location, "required", "required must be an array%s", "");
        int n = cJSON_GetArraySize(req);
        s->required = calloc(n ? (size_t)n : 1, sizeof *s->required);
        if (!s->required)
            return nomem(c);
        for (const cJSON *it = req->child; it; it = it->next) {
            if (!cJSON_IsString(it))
                return spec_error(c, s->location, "required", "required must list property names%s",
                                  "");
            s->required[s->nrequired++] = it->valuestring;
        }
    }
    const cJSON *ap = mh_json_get(s->src, "additionalProperties");
    s->additional = 1;
    if (ap) {
        if (cJSON_IsBool(ap))
            s->additional = cJSON_IsTrue(ap);
        else if (cJSON_IsObject(ap)) {
            s->additional = 2;
            return compile_child(c, s, ap, "additionalProperties", &s->additional_schema);
        } else
            return spec_error(c, s->location, "additionalProperties",
                              "additionalProperties must be a boolean or a schema%s", "");
    }
    return MH_OK;
}

static mh_status compile_body(compiler *c, mh_schema *s)
{
    mh_status st;
    if ((st = compile_type(c, s)) != MH_OK || (st = compile_counts(c, s)) != MH_OK ||
        (st = compile_numbers(c, s)) != MH_OK || (st = compile_pattern(c, s)) != MH_OK ||
        (st = compile_format(c, s)) != MH_OK)
        return st;
    const cJSON *e = mh_json_get(s->src, "enum");
    if (e) {
        if (!cJSON_IsArray(e))
            return spec_error(c, s->location, "enum", "enum must be an array%s", "");
        s->enum_values = e;
    }
    if ((st = compile_properties(c, s)) != MH_OK)
        return st;
    const cJSON *items = mh_json_get(s->src, "items");
    if (items && (st = compile_child(c, s, items, "items", &s->items)) != MH_OK)
        return st;
    const cJSON *not_ = mh_json_get(s->src, "not");
    if (not_ && (st = compile_child(c, s, not_, "not", &s->not_)) != MH_OK)
        return st;
    if ((st = compile_list(c, s, "allOf", &s->all_of)) != MH_OK ||
        (st = compile_list(c, s, "anyOf", &s->any_of)) != MH_OK ||
        (st = compile_list(c, s, "oneOf", &s->one_of)) != MH_OK)
        return st;
    return MH_OK;
}

static mh_status compile_node(compiler *c, const cJSON *node, const char *at, mh_schema **out)
{
    const cJSON *target = NULL;
    char *tptr = NULL;
    mh_status st = mh__ref_follow(c->set->root, node, at, &target, &tptr, c->err);
    if (st != MH_OK)
        return st;
    if (!cJSON_IsObject(target)) {
        st = spec_error(c, tptr, NULL, "a schema must be a JSON object%s", "");
        free(tptr);
        return st;
    }
    mh_schema *s = set_lookup(c->set, target);
    if (s) {
        free(tptr);
        *out = s;
        return MH_OK;
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        free(tptr);
        return nomem(c);
    }
    s->src = target;
    s->location = tptr;
    if (set_insert(c->set, s) < 0) {
        schema_free(s);
        return nomem(c);
    }
    /* Registered before its children, so references back to it terminate. */
    *out = s;
    return compile_body(c, s);
}

mh_status mh__schema_compile(mh__schema_set *set, const cJSON *node, const char *at,
                             const mh_schema **out, mh_error *err)
{
    compiler c = {set, err};
    mh_schema *s = NULL;
    mh_status st = compile_node(&c, node, at, &s);
    if (st == MH_OK)
        *out = s;
    return st;
}

static mh_schema *in_place_cycle(mh_schema *s)
{
    if (s->color == 2)
        return NULL;
    if (s->color == 1)
        return s;
    s->color = 1;
    const schema_list *lists[] = {&s->all_of, &s->any_of, &s->one_of};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < lists[k]->n; i++) {
            mh_schema *hit = in_place_cycle(lists[k]->v[i]);
            if (hit)
                return hit;
        }
    }
    if (s->not_) {
        mh_schema *hit = in_place_cycle(s->not_);
        if (hit)
            return hit;
    }
    s->color = 2;
    return NULL;
}

mh_status mh__schema_set_check_cycles(mh__schema_set *set, mh_error *err)
{
    for (size_t i = 0; i < set->n; i++)
        set->all[i]->color = 0;
    for (size_t i = 0; i < set->n; i++) {
        mh_schema *hit = in_place_cycle(set->all[i]);
        if (hit) {
            mh_error_set(err, MH_ERR_REF,
                         "schema \"#%s\" refers back to itself through allOf/anyOf/oneOf/not "
                         "without descending into the instance: it cannot be validated",
                         hit->location);
            mh_error_at_pointer(err, hit->location);
            return MH_ERR_REF;
        }
    }
    return MH_OK;
}

const cJSON *mh_schema_source(const mh_schema *s)
{
    return s ? s->src : NULL;
}

const char *mh_schema_location(const mh_schema *s)
{
    return s ? s->location : NULL;
}

/* ------------------------------------------------------------------ */
/* exact decimal numbers, from the literal */

typedef struct {
    int ok;             /* 0: no literal, use doubles */
    int neg;            /* sign (ignored for zero) */
    int zero;           /* the value is 0 */
    const char *mant;   /* first char of the mantissa (after '-') */
    size_t intdigits;   /* digits before '.' */
    size_t first, ndig; /* first significant digit index, count (no trailing zeros) */
    long sci;           /* decimal exponent of the first significant digit */
} decnum;

static int dec_digit(const decnum *d, size_t k)
{
    size_t j = d->first + k;
    return d->mant[j < d->intdigits ? j : j + 1] - '0';
}

static decnum dec_parse(const cJSON *n)
{
    decnum d = {0};
    const char *s = n->valuestring;
    if (!s || !*s)
        return d;
    d.neg = *s == '-';
    d.mant = s + d.neg;
    const char *p = d.mant;
    size_t idx = 0, first = (size_t)-1, last = 0;
    int seen_dot = 0;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            seen_dot = 1;
            continue;
        }
        if (*p < '0' || *p > '9')
            return d;
        if (!seen_dot)
            d.intdigits++;
        if (*p != '0') {
            if (first == (size_t)-1)
                first = idx;
            last = idx;
        }
        idx++;
    }
    long exp = 0;
    if (*p) {
        p++;
        int eneg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        for (; *p; p++) {
            if (*p < '0' || *p > '9')
                return d;
            if (exp < 100000000L)
                exp = exp * 10 + (*p - '0');
        }
        if (eneg)
            exp = -exp;
    }
    d.ok = 1;
    if (first == (size_t)-1) {
        d.zero = 1;
        return d;
    }
    d.first = first;
    d.ndig = last - first + 1;
    d.sci = exp + (long)d.intdigits - 1 - (long)first;
    return d;
}

/* Exact equality of two number nodes (1 == 1.0 == 1e0). */
static int num_equal(const cJSON *a, const cJSON *b)
{
    decnum x = dec_parse(a), y = dec_parse(b);
    if (!x.ok || !y.ok)
        return a->valuedouble == b->valuedouble;
    if (x.zero || y.zero)
        return x.zero && y.zero;
    if (x.neg != y.neg || x.sci != y.sci || x.ndig != y.ndig)
        return 0;
    for (size_t k = 0; k < x.ndig; k++)
        if (dec_digit(&x, k) != dec_digit(&y, k))
            return 0;
    return 1;
}

/* Significant digits as an integer (at most 19 of them). */
static int dec_mantissa(const decnum *d, uint64_t *out)
{
    if (d->ndig > 19)
        return 0;
    uint64_t v = 0;
    for (size_t k = 0; k < d->ndig; k++)
        v = v * 10 + (uint64_t)dec_digit(d, k);
    *out = v;
    return 1;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)(((unsigned __int128)a * b) % m);
}

static uint64_t pow10mod(long e, uint64_t m)
{
    uint64_t r = 1 % m, base = 10 % m;
    while (e > 0) {
        if (e & 1)
            r = mulmod(r, base, m);
        base = mulmod(base, base, m);
        e >>= 1;
    }
    return r;
}

/* The significant digits of d, as an integer, modulo m. */
static uint64_t dec_mod(const decnum *d, uint64_t m)
{
    uint64_t r = 0;
    for (size_t k = 0; k < d->ndig; k++)
        r = (mulmod(r, 10, m) + (uint64_t)dec_digit(d, k)) % m;
    return r;
}

/* Whether x is an integer multiple of m, exactly on the decimal literals:
 * x = a * 10^ex, m = b * 10^em with integer a, b. 1 multiple, 0 not, -1
 * cannot tell exactly (no literal, or m has more than 19 digits). */
static int multiple_exact(const cJSON *x, const cJSON *m)
{
    decnum dx = dec_parse(x), dm = dec_parse(m);
    uint64_t b;
    if (!dx.ok || !dm.ok || dm.zero)
        return -1;
    if (dx.zero)
        return 1;
    if (!dec_mantissa(&dm, &b))
        return -1;
    long ex = dx.sci - (long)(dx.ndig - 1), em = dm.sci - (long)(dm.ndig - 1);
    if (em > ex) {
        /* x/m = a / (b * 10^(em-ex)): a must be divisible by that */
        unsigned __int128 M = b;
        for (long k = 0; k < em - ex; k++) {
            M *= 10;
            if (M > UINT64_MAX)
                return dx.ndig <= 19 ? 0 : -1; /* a < 10^19 < M */
        }
        return dec_mod(&dx, (uint64_t)M) == 0;
    }
    /* x/m = a * 10^(ex-em) / b */
    return mulmod(dec_mod(&dx, b), pow10mod(ex - em, b), b) == 0;
}

static int multiple_approx(double x, double m)
{
    double q = x / m;
    if (!isfinite(q) || fabs(q) >= 9007199254740992.0)
        return 1; /* beyond double precision every quotient looks whole */
    double r = fabs(q - nearbyint(q));
    return r <= 8 * 2.220446049250313e-16 * fmax(1.0, fabs(q));
}

/* Exact range check of an integer literal in [-(2^bits-1), 2^bits-1 - 1]. */
static int int_in_range(const cJSON *n, int bits)
{
    decnum d = dec_parse(n);
    unsigned __int128 lim = ((unsigned __int128)1) << (bits - 1);
    if (!d.ok) {
        double v = n->valuedouble, l = (double)lim;
        return v >= -l && v < l;
    }
    if (d.zero)
        return 1;
    if (d.sci > 19)
        return 0;
    unsigned __int128 v = 0;
    for (long k = 0; k <= d.sci; k++)
        v = v * 10 + (unsigned)((size_t)k < d.ndig ? dec_digit(&d, (size_t)k) : 0);
    return d.neg ? v <= lim : v < lim;
}

/* ------------------------------------------------------------------ */
/* deep equality */

static int json_equal(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return num_equal(a, b);
    if ((a->type & 0xFF) != (b->type & 0xFF))
        return 0;
    if (cJSON_IsString(a))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsArray(a)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next)
            if (!json_equal(x, y))
                return 0;
        return !x && !y;
    }
    if (cJSON_IsObject(a)) {
        size_t na = 0, nb = 0;
        for (const cJSON *x = a->child; x; x = x->next) {
            const cJSON *y = mh_json_get(b, x->string);
            if (!y || !json_equal(x, y))
                return 0;
            na++;
        }
        for (const cJSON *y = b->child; y; y = y->next)
            nb++;
        return na == nb;
    }
    return 1; /* true, false, null */
}

/* An order-independent hash consistent with json_equal. */
static uint64_t json_hash(const cJSON *v)
{
    uint64_t h = 1469598103934665603ULL;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ULL)
    if (cJSON_IsNumber(v)) {
        decnum d = dec_parse(v);
        if (!d.ok || d.zero) {
            /* no literal: hash the double's bits (0 and -0 alike) */
            double x = v->valuedouble == 0 ? 0.0 : v->valuedouble;
            uint64_t bits = 0;
            if (!d.zero)
                memcpy(&bits, &x, sizeof bits);
            MIX(bits);
            return h;
        }
        MIX(d.neg);
        MIX((uint64_t)d.sci);
        for (size_t k = 0; k < d.ndig; k++)
            MIX(dec_digit(&d, k));
    } else if (cJSON_IsString(v)) {
        MIX('s');
        for (const char *p = v->valuestring; *p; p++)
            MIX((unsigned char)*p);
    } else if (cJSON_IsArray(v)) {
        MIX('a');
        for (const cJSON *c = v->child; c; c = c->next)
            MIX(json_hash(c));
    } else if (cJSON_IsObject(v)) {
        uint64_t sum = 0;
        for (const cJSON *c = v->child; c; c = c->next) {
            uint64_t kh = 1469598103934665603ULL;
            for (const char *p = c->string; *p; p++)
                kh = (kh ^ (unsigned char)*p) * 1099511628211ULL;
            sum += kh * 31 + json_hash(c);
        }
        MIX('o');
        MIX(sum);
    } else {
        MIX(v->type & 0xFF);
    }
#undef MIX
    return h;
}

/* ------------------------------------------------------------------ */
/* formats */

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static int is_date(const char *s)
{
    if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return 0;
    int y = num2(s) * 100 + num2(s + 2), m = num2(s + 5), d = num2(s + 8);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* partial-time time-offset; returns 1 when s is exactly that. */
static int is_time(const char *s)
{
    if (!digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) || s[5] != ':' || !digits(s + 6, 2))
        return 0;
    if (num2(s) > 23 || num2(s + 3) > 59 || num2(s + 6) > 60)
        return 0;
    int leap = num2(s + 6) == 60, minute = num2(s) * 60 + num2(s + 3);
    s += 8;
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    /* RFC 3339 5.7: a leap second (:60) only ends the UTC day, 23:59:60Z. */
    if ((*s == 'Z' || *s == 'z') && !s[1])
        return !leap || minute == 23 * 60 + 59;
    if ((*s == '+' || *s == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) && !s[6]) {
        if (num2(s + 1) > 23 || num2(s + 4) > 59)
            return 0;
        int offset = (num2(s + 1) * 60 + num2(s + 4)) * (*s == '-' ? -1 : 1);
        return !leap || ((minute - offset) % 1440 + 1440) % 1440 == 23 * 60 + 59;
    }
    return 0;
}

static int is_datetime(const char *s)
{
    if (strlen(s) < 11 || (s[10] != 'T' && s[10] != 't'))
        return 0;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    return is_date(date) && is_time(s + 11);
}

static int atext(int c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int is_hostname(const char *s, const char *end)
{
    if (s == end || end - s > 253)
        return 0;
    const char *label = s;
    for (const char *p = s; p <= end; p++) {
        if (p == end || *p == '.') {
            size_t n = (size_t)(p - label);
            if (n == 0 || n > 63 || label[0] == '-' || p[-1] == '-')
                return 0;
            label = p + 1;
        } else if (!isalnum((unsigned char)*p) && *p != '-') {
            return 0;
        }
    }
    return 1;
}

static int is_email(const char *s)
{
    const char *at = strrchr(s, '@');
    if (!at || at == s || at - s > 64)
        return 0;
    for (const char *p = s; p < at; p++) {
        if (*p == '.') {
            if (p == s || p + 1 == at || p[1] == '.')
                return 0;
        } else if (!atext((unsigned char)*p)) {
            return 0;
        }
    }
    return is_hostname(at + 1, at + 1 + strlen(at + 1));
}

static int is_uuid(const char *s)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    for (int g = 0; g < 5; g++) {
        for (int i = 0; i < groups[g]; i++, s++)
            if (!isxdigit((unsigned char)*s))
                return 0;
        if (g < 4 && *s++ != '-')
            return 0;
    }
    return *s == '\0';
}

static int is_uri(const char *s)
{
    if (!isalpha((unsigned char)*s))
        return 0;
    const char *p = s + 1;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':')
        return 0;
    for (p++; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '%') {
            if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
                return 0;
            p += 2;
        } else if (!(isalnum(c) || strchr("-._~:/?#[]@!$&'()*+,;=", c))) {
            return 0;
        }
    }
    return 1;
}

static int is_ipv4(const char *s)
{
    for (int part = 0; part < 4; part++) {
        if (!isdigit((unsigned char)*s))
            return 0;
        int v = 0, n = 0;
        const char *start = s;
        while (isdigit((unsigned char)*s) && n < 4) {
            v = v * 10 + (*s++ - '0');
            n++;
        }
        if (n > 3 || v > 255 || (n > 1 && *start == '0'))
            return 0;
        if (part < 3 && *s++ != '.')
            return 0;
    }
    return *s == '\0';
}

static int is_ipv6(const char *s)
{
    unsigned char buf[16];
    return strlen(s) < 64 && inet_pton(AF_INET6, s, buf) == 1;
}

static int is_base64(const char *s)
{
    size_t n = strlen(s), pad = 0;
    if (n % 4)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad || !(isalnum(c) || c == '+' || c == '/'))
            return 0;
    }
    return pad <= 2;
}

static int string_format_ok(fmt_kind f, const char *s)
{
    switch (f) {
    case F_DATETIME:
        return is_datetime(s);
    case F_DATE:
        return strlen(s) == 10 && is_date(s);
    case F_TIME:
        return is_time(s);
    case F_EMAIL:
        return is_email(s);
    case F_UUID:
        return is_uuid(s);
    case F_URI:
        return is_uri(s);
    case F_IPV4:
        return is_ipv4(s);
    case F_IPV6:
        return is_ipv6(s);
    case F_BYTE:
        return is_base64(s);
    default:
        return 1;
    }
}

/* ------------------------------------------------------------------ */
/* pattern matching: one match block per thread, freed at thread exit */

static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
/* Shared, read-only after creation: bounds backtracking so a hostile string
 * against a catastrophic pattern costs milliseconds, not minutes. */
static pcre2_match_context *match_ctx;

#define MH_PATTERN_MATCH_LIMIT 1000000
#define MH_PATTERN_DEPTH_LIMIT 10000

static void md_destroy(void *p)
{
    pcre2_match_data_free(p);
}

static void md_init(void)
{
    pthread_key_create(&md_key, md_destroy);
    match_ctx = pcre2_match_context_create(NULL);
    if (match_ctx) {
        pcre2_set_match_limit(match_ctx, MH_PATTERN_MATCH_LIMIT);
        pcre2_set_depth_limit(match_ctx, MH_PATTERN_DEPTH_LIMIT);
    }
}

static pcre2_match_data *thread_match_data(void)
{
    pthread_once(&md_once, md_init);
    pcre2_match_data *md = pthread_getspecific(md_key);
    if (!md) {
        md = pcre2_match_data_create(1, NULL);
        if (md && pthread_setspecific(md_key, md) != 0) {
            pcre2_match_data_free(md);
            md = NULL;
        }
    }
    return md;
}

/* 1 match, 0 no match, negative: PCRE2 error. Strings store U+0000 as C0 80,
 * which is invalid UTF-8 for PCRE2, so such strings are matched on a copy
 * with real NUL bytes. */
static int pattern_test(const pcre2_code *re, const char *s)
{
    pcre2_match_data *md = thread_match_data();
    if (!md)
        return PCRE2_ERROR_NOMEMORY;
    size_t len = strlen(s);
    char *copy = NULL;
    const char *subject = s;
    if (memchr(s, 0xC0, len)) {
        copy = malloc(len + 1);
        if (!copy)
            return PCRE2_ERROR_NOMEMORY;
        size_t o = 0;
        for (size_t i = 0; i < len; i++) {
            if ((unsigned char)s[i] == 0xC0 && (unsigned char)s[i + 1] == 0x80) {
                copy[o++] = '\0';
                i++;
            } else {
                copy[o++] = s[i];
            }
        }
        subject = copy;
        len = o;
    }
    int rc = pcre2_match(re, (PCRE2_SPTR)subject, len, 0, 0, md, match_ctx);
    free(copy);
    if (rc >= 0)
        return 1;
    return rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
}

/* ------------------------------------------------------------------ */
/* validation */

typedef struct {
    const char *name; /* member name, or NULL for an array index */
    size_t index;
} seg;

typedef struct {
    seg *v;
    size_t n, cap;
    seg inline_v[32];
    int oom;
} path_stack;

typedef struct {
    mh_direction dir;
    mh_violations *out; /* NULL: count only */
    int fail_fast;
    size_t count;
    path_stack *path;
} vctx;

static void path_push(path_stack *p, const char *name, size_t index)
{
    if (p->n == p->cap) {
        size_t ncap = p->cap * 2;
        seg *nv = malloc(ncap * sizeof *nv);
        if (!nv) {
            p->oom = 1;
            p->n++; /* keep push/pop balanced; the segment is lost */
            return;
        }
        memcpy(nv, p->v, p->n * sizeof *nv);
        if (p->v != p->inline_v)
            free(p->v);
        p->v = nv;
        p->cap = ncap;
    }
    if (p->n < p->cap) {
        p->v[p->n].name = name;
        p->v[p->n].index = index;
    }
    p->n++;
}

static void path_pop(path_stack *p)
{
    p->n--;
}

static size_t decimal_digits(size_t x)
{
    size_t n = 1;
    for (; x >= 10; x /= 10)
        n++;
    return n;
}

/* Length of the JSON pointer for the path (without a NUL). */
static size_t path_length(const path_stack *p)
{
    size_t len = 0;
    size_t n = p->n < p->cap ? p->n : p->cap;
    for (size_t i = 0; i < n; i++) {
        len++;
        if (!p->v[i].name) {
            len += decimal_digits(p->v[i].index);
            continue;
        }
        for (const char *c = p->v[i].name; *c; c++)
            len += (*c == '~' || *c == '/') ? 2 : 1;
    }
    return len;
}

/* Writes the JSON pointer for the path (path_length bytes) at s. */
static void path_write(const path_stack *p, char *s)
{
    size_t o = 0;
    size_t n = p->n < p->cap ? p->n : p->cap;
    for (size_t i = 0; i < n; i++) {
        s[o++] = '/';
        if (!p->v[i].name) {
            size_t x = p->v[i].index, d = decimal_digits(x);
            for (size_t k = d; k-- > 0; x /= 10)
                s[o + k] = (char)('0' + x % 10);
            o += d;
            continue;
        }
        for (const char *c = p->v[i].name; *c; c++) {
            if (*c == '~' || *c == '/') {
                s[o++] = '~';
                s[o++] = *c == '~' ? '0' : '1';
            } else {
                s[o++] = *c;
            }
        }
    }
}

static int stopped(const vctx *c)
{
    return c->fail_fast && c->count;
}

static void report(vctx *c, const char *keyword, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records the message msg[0..mlen) at the current path. */
static void record(vctx *c, const char *keyword, const char *msg, size_t mlen)
{
    size_t plen = path_length(c->path);
    char *at = violation_new(c->out, keyword, plen, msg, mlen);
    if (at)
        path_write(c->path, at);
    else
        c->path->oom = 1;
}

static void report(vctx *c, const char *keyword, const char *fmt, ...)
{
    c->count++;
    if (!c->out)
        return;
    char buf[256], *heap;
    size_t mlen;
    va_list ap;
    va_start(ap, fmt);
    const char *msg = vformat(buf, sizeof buf, &heap, &mlen, fmt, ap);
    va_end(ap);
    if (msg)
        record(c, keyword, msg, mlen);
    else
        c->path->oom = 1;
    free(heap);
}

/* report() for a message that is the concatenation of the n strings in
 * parts: the frequent messages skip printf. */
static void report_concat(vctx *c, const char *keyword, size_t n, const char *const *parts)
{
    c->count++;
    if (!c->out)
        return;
    char buf[256];
    size_t len = 0, k[8];
    for (size_t i = 0; i < n; i++)
        len += k[i] = strlen(parts[i]);
    char *msg = len < sizeof buf ? buf : malloc(len + 1);
    if (!msg) {
        c->path->oom = 1;
        return;
    }
    for (size_t i = 0, o = 0; i < n; o += k[i], i++)
        memcpy(msg + o, parts[i], k[i]);
    record(c, keyword, msg, len);
    if (msg != buf)
        free(msg);
}

/* The instance's JSON type, tested inline (cJSON_Is* are out-of-line calls
 * into the shared library): cJSON keeps flags above the low byte. */
#define JTYPE(v) ((v)->type & 0xFF)

static const char *instance_type(const cJSON *v)
{
    switch (JTYPE(v)) {
    case cJSON_NULL:
        return "null";
    case cJSON_False:
    case cJSON_True:
        return "boolean";
    case cJSON_Number:
        return mh_json_is_integer(v) ? "integer" : "number";
    case cJSON_String:
        return "string";
    case cJSON_Array:
        return "array";
    default:
        return "object";
    }
}

static int type_matches(unsigned types, const cJSON *v)
{
    switch (JTYPE(v)) {
    case cJSON_String:
        return types & T_STRING;
    case cJSON_Number:
        return (types & T_NUMBER) || ((types & T_INTEGER) && mh_json_is_integer(v));
    case cJSON_False:
    case cJSON_True:
        return types & T_BOOLEAN;
    case cJSON_Array:
        return types & T_ARRAY;
    case cJSON_Object:
        return types & T_OBJECT;
    default:
        return 0;
    }
}

/* "string or integer": the names of the type bits, in bit order. At most
 * 6 names and 5 separators, so 96 bytes always fit. */
static void types_text(unsigned types, char *buf, size_t n)
{
    static const char *const names[] = {"string",  "number", "integer",
                                        "boolean", "array",  "object"};
    size_t used = 0;
    for (int i = 0; i < 6; i++) {
        if (!(types & (1u << i)))
            continue;
        const char *sep = used ? " or " : "";
        size_t ls = strlen(sep), ln = strlen(names[i]);
        if (used + ls + ln >= n)
            break;
        memcpy(buf + used, sep, ls);
        memcpy(buf + used + ls, names[i], ln);
        used += ls + ln;
    }
    buf[used] = '\0';
}

static void validate(vctx *c, const mh_schema *s, const cJSON *v);

static void check_enum(vctx *c, const mh_schema *s, const cJSON *v)
{
    for (const cJSON *e = s->enum_values->child; e; e = e->next)
        if (json_equal(e, v))
            return;
    char *txt = c->out ? cJSON_PrintUnformatted(s->enum_values) : NULL;
    if (txt && strlen(txt) > 200)
        strcpy(txt + 190, " ...]");
    report(c, "enum", "value is not one of the allowed values %s", txt ? txt : "");
    free(txt);
}

static void check_string(vctx *c, const mh_schema *s, const cJSON *v)
{
    const char *str = v->valuestring;
    if (s->min_len >= 0 || s->max_len >= 0) {
        size_t n = mh_json_utf8_length(str);
        if (s->min_len >= 0 && (double)n < s->min_len)
            report(c, "minLength", "expected at least %.0f characters, got %zu", s->min_len, n);
        if (s->max_len >= 0 && (double)n > s->max_len)
            report(c, "maxLength", "expected at most %.0f characters, got %zu", s->max_len, n);
    }
    if (s->pattern) {
        int rc = pattern_test(s->pattern, str);
        if (rc == 0)
            report(c, "pattern", "does not match pattern \"%s\"", s->pattern_src);
        else if (rc < 0)
            report(c, "pattern", "pattern \"%s\" could not be evaluated: %s", s->pattern_src,
                   rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT
                       ? "backtracking limit exceeded"
                       : "PCRE2 match error");
    }
    if (s->format != F_NONE && !string_format_ok(s->format, str))
        report(c, "format", "not a valid %s", s->format_name);
}

static void check_number(vctx *c, const mh_schema *s, const cJSON *v)
{
    double x = v->valuedouble;
    const char *lit = v->valuestring ? v->valuestring : "";
    if (s->minimum) {
        double m = s->minimum->valuedouble;
        if (s->excl_min ? !(x > m) : !(x >= m))
            report(c, "minimum", "expected %s %s, got %s", s->excl_min ? ">" : ">=",
                   s->minimum->valuestring ? s->minimum->valuestring : "minimum", lit);
    }
    if (s->maximum) {
        double m = s->maximum->valuedouble;
        if (s->excl_max ? !(x < m) : !(x <= m))
            report(c, "maximum", "expected %s %s, got %s", s->excl_max ? "<" : "<=",
                   s->maximum->valuestring ? s->maximum->valuestring : "maximum", lit);
    }
    if (s->multiple_of) {
        int r = multiple_exact(v, s->multiple_of);
        if (r < 0)
            r = multiple_approx(x, s->multiple_of->valuedouble);
        if (!r)
            report(c, "multipleOf", "%s is not a multiple of %s", lit,
                   s->multiple_of->valuestring ? s->multiple_of->valuestring : "multipleOf");
    }
    if ((s->format == F_INT32 || s->format == F_INT64) && mh_json_is_integer(v) &&
        !int_in_range(v, s->format == F_INT32 ? 32 : 64))
        report(c, "format", "%s is out of %s range", lit, s->format_name);
}

static int unique_slow(const cJSON *arr, size_t *i1, size_t *i2)
{
    size_t i = 0;
    for (const cJSON *a = arr->child; a; a = a->next, i++) {
        size_t j = i + 1;
        for (const cJSON *b = a->next; b; b = b->next, j++) {
            if (json_equal(a, b)) {
                *i1 = i;
                *i2 = j;
                return 0;
            }
        }
    }
    return 1;
}

typedef struct {
    uint64_t h;
    size_t idx;
    const cJSON *v;
} hashed;

static int cmp_hashed(const void *a, const void *b)
{
    const hashed *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* 1 when all items differ; else 0 with the first duplicate pair found. */
static int unique_items(const cJSON *arr, size_t n, size_t *i1, size_t *i2)
{
    if (n < 16)
        return unique_slow(arr, i1, i2);
    hashed local[128];
    hashed *hv = n <= 128 ? local : malloc(n * sizeof *hv);
    if (!hv)
        return unique_slow(arr, i1, i2);
    size_t i = 0;
    for (const cJSON *a = arr->child; a; a = a->next, i++)
        hv[i] = (hashed){json_hash(a), i, a};
    qsort(hv, n, sizeof *hv, cmp_hashed);
    int ok = 1;
    for (size_t k = 0; k < n && ok; k++)
        for (size_t m = k + 1; m < n && hv[m].h == hv[k].h; m++)
            if (json_equal(hv[k].v, hv[m].v)) {
                *i1 = hv[k].idx;
                *i2 = hv[m].idx;
                ok = 0;
                break;
            }
    if (hv != local)
        free(hv);
    return ok;
}

static void check_array(vctx *c, const mh_schema *s, const cJSON *v)
{
    size_t n = 0;
    for (const cJSON *it = v->child; it; it = it->next)
        n++;
    if (s->min_items >= 0 && (double)n < s->min_items)
        report(c, "minItems", "expected at least %.0f items, got %zu", s->min_items, n);
    if (s->max_items >= 0 && (double)n > s->max_items)
        report(c, "maxItems", "expected at most %.0f items, got %zu", s->max_items, n);
    size_t i1, i2;
    if (s->unique && !unique_items(v, n, &i1, &i2))
        report(c, "uniqueItems", "items %zu and %zu are equal", i1, i2);
    if (!s->items)
        return;
    size_t i = 0;
    for (const cJSON *it = v->child; it && !stopped(c); it = it->next, i++) {
        path_push(c->path, NULL, i);
        validate(c, s->items, it);
        path_pop(c->path);
    }
}

/* strcmp(a, b) == 0 inline: names are short, a call costs more. */
static int same_name(const char *a, const char *b)
{
    for (; *a == *b; a++, b++)
        if (!*a)
            return 1;
    return 0;
}

static const prop *find_prop(const mh_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nprops; i++)
        if (same_name(s->props[i].name, name))
            return &s->props[i];
    return NULL;
}

/* A property that must not appear in this direction. */
static const char *forbidden_by_direction(const vctx *c, const mh_schema *ps)
{
    if (c->dir == MH_DIR_REQUEST && ps->read_only)
        return "readOnly";
    if (c->dir == MH_DIR_RESPONSE && ps->write_only)
        return "writeOnly";
    return NULL;
}

static void check_required(vctx *c, const mh_schema *s, const cJSON *v)
{
    for (size_t i = 0; i < s->nrequired && !stopped(c); i++) {
        const char *name = s->required[i];
        if (mh_json_get(v, name))
            continue;
        const prop *p = find_prop(s, name);
        if (p && forbidden_by_direction(c, p->schema))
            continue; /* cannot be required where it must be absent */
        report_concat(c, "required", 3,
                      (const char *const[]){"missing required property \"", name, "\""});
    }
}

static void check_members(vctx *c, const mh_schema *s, const cJSON *v)
{
    for (const cJSON *m = v->child; m && !stopped(c); m = m->next) {
        const prop *p = find_prop(s, m->string);
        const mh_schema *sub = p ? p->schema : s->additional == 2 ? s->additional_schema : NULL;
        path_push(c->path, m->string, 0);
        if (!p && s->additional == 0) {
            report_concat(c, "additionalProperties", 3,
                          (const char *const[]){"unexpected property \"", m->string, "\""});
        } else if (sub) {
            const char *kw = p ? forbidden_by_direction(c, sub) : NULL;
            if (kw)
                report(c, kw, "property \"%s\" is %s and must not appear in a %s", m->string, kw,
                       c->dir == MH_DIR_REQUEST ? "request" : "response");
            validate(c, sub, m);
        }
        path_pop(c->path);
    }
}

static void check_object(vctx *c, const mh_schema *s, const cJSON *v)
{
    if (s->min_props >= 0 || s->max_props >= 0) {
        size_t n = 0;
        for (const cJSON *m = v->child; m; m = m->next)
            n++;
        if (s->min_props >= 0 && (double)n < s->min_props)
            report(c, "minProperties", "expected at least %.0f properties, got %zu", s->min_props,
                   n);
        if (s->max_props >= 0 && (double)n > s->max_props)
            report(c, "maxProperties", "expected at most %.0f properties, got %zu", s->max_props,
                   n);
    }
    check_required(c, s, v);
    check_members(c, s, v);
}

/* Validates v against sub without recording anything: 1 when it passes. */
static int passes(vctx *c, const mh_schema *sub, const cJSON *v)
{
    vctx q = {c->dir, NULL, 1, 0, c->path};
    validate(&q, sub, v);
    return q.count == 0;
}

/* Appends "; [i] /ptr: message" for the first error of each branch. */
static void branch_summary(vctx *c, const schema_list *l, const cJSON *v, char *buf, size_t n)
{
    size_t used = strlen(buf);
    for (size_t i = 0; i < l->n && i < 4 && used + 1 < n; i++) {
        mh_violations tmp = {0};
        vctx q = {c->dir, &tmp, 0, 0, c->path};
        validate(&q, l->v[i], v);
        if (tmp.count) {
            int k = snprintf(buf + used, n - used, "; [%zu] %s%s%s", i, tmp.items[0].pointer,
                             tmp.items[0].pointer[0] ? ": " : "", tmp.items[0].message);
            if (k > 0)
                used = used + (size_t)k < n ? used + (size_t)k : n - 1;
        }
        mh_violations_free(&tmp);
    }
}

static void check_composition(vctx *c, const mh_schema *s, const cJSON *v)
{
    for (size_t i = 0; i < s->all_of.n && !stopped(c); i++)
        validate(c, s->all_of.v[i], v);
    if (s->any_of.n && !stopped(c)) {
        size_t i = 0;
        while (i < s->any_of.n && !passes(c, s->any_of.v[i], v))
            i++;
        if (i == s->any_of.n) {
            char msg[768];
            snprintf(msg, sizeof msg, "matches none of the %zu schemas in anyOf", s->any_of.n);
            if (c->out)
                branch_summary(c, &s->any_of, v, msg, sizeof msg);
            report(c, "anyOf", "%s", msg);
        }
    }
    if (s->one_of.n && !stopped(c)) {
        size_t matched = 0, first = 0, second = 0;
        for (size_t i = 0; i < s->one_of.n; i++) {
            if (!passes(c, s->one_of.v[i], v))
                continue;
            if (matched == 0)
                first = i;
            else if (matched == 1)
                second = i;
            matched++;
        }
        if (matched == 0) {
            char msg[768];
            snprintf(msg, sizeof msg, "matches none of the %zu schemas in oneOf", s->one_of.n);
            if (c->out)
                branch_summary(c, &s->one_of, v, msg, sizeof msg);
            report(c, "oneOf", "%s", msg);
        } else if (matched > 1) {
            report(c, "oneOf",
                   "expected exactly one schema in oneOf to match, %zu did "
                   "(branches %zu and %zu)",
                   matched, first, second);
        }
    }
    if (s->not_ && !stopped(c) && passes(c, s->not_, v))
        report(c, "not", "must not match the schema in \"not\"");
}

/* Deeper than any document the strict parser accepts by default; a guard
 * against stack exhaustion for trees parsed with a larger limit. */
#define MH_VALIDATE_MAX_DEPTH 1000

static void validate(vctx *c, const mh_schema *s, const cJSON *v)
{
    if (stopped(c))
        return;
    if (c->path->n > MH_VALIDATE_MAX_DEPTH) {
        report(c, "depth", "instance nested deeper than %d levels: not validated",
               MH_VALIDATE_MAX_DEPTH);
        return;
    }
    if (JTYPE(v) == cJSON_NULL) {
        if (s->types && !s->nullable) {
            char want[96];
            types_text(s->types, want, sizeof want);
            report_concat(c, "type", 3, (const char *const[]){"expected ", want, ", got null"});
        }
        if (s->enum_values)
            check_enum(c, s, v);
        if (s->nullable)
            return;
        check_composition(c, s, v);
        return;
    }
    int type_ok = !s->types || type_matches(s->types, v);
    if (!type_ok) {
        char want[96];
        types_text(s->types, want, sizeof want);
        report_concat(c, "type", 4,
                      (const char *const[]){"expected ", want, ", got ", instance_type(v)});
    }
    if (s->enum_values)
        check_enum(c, s, v);
    if (type_ok) {
        switch (JTYPE(v)) {
        case cJSON_String:
            check_string(c, s, v);
            break;
        case cJSON_Number:
            check_number(c, s, v);
            break;
        case cJSON_Array:
            check_array(c, s, v);
            break;
        case cJSON_Object:
            check_object(c, s, v);
            break;
        default:
            break;
        }
    }
    check_composition(c, s, v);
}

size_t mh_schema_validate(const mh_schema *s, const cJSON *instance, mh_direction dir,
                          mh_violations *out)
{
    if (!s || !instance)
        return 0;
    path_stack path;
    path.v = path.inline_v;
    path.n = 0;
    path.cap = sizeof path.inline_v / sizeof path.inline_v[0];
    path.oom = 0;
    vctx c = {dir, out, 0, 0, &path};
    validate(&c, s, instance);
    if (path.v != path.inline_v)
        free(path.v);
    return c.count;
}
