/* validate.c — walking an instance against a compiled schema graph.
 *
 * Instance and graph are walked together; the instance path is a stack of
 * borrowed segments and becomes a JSON pointer string only when a violation
 * is recorded, so a valid document costs no allocation. Keywords that only
 * apply to one type are checked only when the instance has it; anyOf/oneOf
 * branches are tried silently and summarised once when none fits.
 */
#include "schema/schema_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/decimal.h"
#include "manta/json_strict.h"
#include "util/buf.h"
#include "util/jsonptr.h"

typedef struct {
    const char *name; /* member name, or NULL for an array index */
    size_t index;
} seg;

/* The instance path: borrowed segments, turned into a JSON pointer only
 * when a violation is recorded. */
typedef struct {
    seg *v; /* inline_v, or heap.p once deeper than inline_v holds */
    size_t n, cap;
    seg inline_v[32];
    mh__buf heap;
    int oom; /* a segment or a violation was lost to out-of-memory */
} path_stack;

typedef struct {
    mh_direction dir;
    mh_violations *out; /* NULL: count only */
    int fail_fast;
    size_t count;
    path_stack *path;
} vctx;

/* Doubles the stack. The first time, the segments move from inline_v into
 * p->heap, an mh__buf used as the segment array (its length is the capacity
 * in bytes). -1 on out-of-memory (the stack unchanged). */
static int path_grow(path_stack *p)
{
    size_t bytes = p->cap * sizeof(seg);
    if (p->v == p->inline_v)
        mh__buf_add(&p->heap, p->inline_v, bytes);
    if (!mh__buf_reserve(&p->heap, bytes))
        return -1;
    mh__buf_commit(&p->heap, bytes);
    p->v = (seg *)(void *)p->heap.p;
    p->cap *= 2;
    return 0;
}

static void path_push(path_stack *p, const char *name, size_t index)
{
    /* Out of memory: the segment is lost, but n still counts it so pushes
     * and pops stay balanced. */
    if (p->n == p->cap && path_grow(p) < 0)
        p->oom = 1;
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
    for (size_t i = 0; i < n; i++)
        len += 1 + (p->v[i].name ? mh__jsonptr_escaped_len(p->v[i].name)
                                 : decimal_digits(p->v[i].index));
    return len;
}

/* Writes the JSON pointer for the path (path_length bytes) at s. */
static void path_write(const path_stack *p, char *s)
{
    size_t n = p->n < p->cap ? p->n : p->cap;
    for (size_t i = 0; i < n; i++) {
        *s++ = '/';
        if (!p->v[i].name) {
            size_t x = p->v[i].index, d = decimal_digits(x);
            for (size_t k = d; k-- > 0; x /= 10)
                s[k] = (char)('0' + x % 10);
            s += d;
            continue;
        }
        s = mh__jsonptr_escape(s, p->v[i].name);
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
    char *at = mh__violation_new(c->out, keyword, plen, msg, mlen);
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
    const char *msg = mh__vformat(buf, sizeof buf, &heap, &mlen, fmt, ap);
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
        return types & MH__T_STRING;
    case cJSON_Number:
        return (types & MH__T_NUMBER) || ((types & MH__T_INTEGER) && mh_json_is_integer(v));
    case cJSON_False:
    case cJSON_True:
        return types & MH__T_BOOLEAN;
    case cJSON_Array:
        return types & MH__T_ARRAY;
    case cJSON_Object:
        return types & MH__T_OBJECT;
    default:
        return 0;
    }
}

/* "string or integer": the names of the type bits, in bit order. At most
 * 7 names and 6 separators, so 96 bytes always fit. */
static void types_text(unsigned types, char *buf, size_t n)
{
    static const char *const names[] = {"string", "number", "integer", "boolean",
                                        "array",  "object", "null"};
    size_t used = 0;
    for (int i = 0; i < 7; i++) {
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
        if (mh__instance_equal(e, v))
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
        int rc = mh__regex_test(s->pattern, str);
        if (rc == 0)
            report(c, "pattern", "does not match pattern \"%s\"", s->pattern_src);
        else if (rc < 0)
            report(c, "pattern", "pattern \"%s\" could not be evaluated: %s", s->pattern_src,
                   rc == MH__REGEX_LIMIT ? "backtracking limit exceeded" : "PCRE2 match error");
    }
    if (s->format != MH__F_NONE && !mh__format_string_ok(s->format, str))
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
        if (!mh__dec_multiple_of(v, s->multiple_of))
            report(c, "multipleOf", "%s is not a multiple of %s", lit,
                   s->multiple_of->valuestring ? s->multiple_of->valuestring : "multipleOf");
    }
    if ((s->format == MH__F_INT32 || s->format == MH__F_INT64) && mh_json_is_integer(v) &&
        !mh__dec_int_in_range(v, s->format == MH__F_INT32 ? 32 : 64))
        report(c, "format", "%s is out of %s range", lit, s->format_name);
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
    if (s->unique && !mh__unique_items(v, n, &i1, &i2))
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

static const mh__prop *find_prop(const mh_schema *s, const char *name)
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
        const mh__prop *p = find_prop(s, name);
        if (p && forbidden_by_direction(c, p->schema))
            continue; /* cannot be required where it must be absent */
        report_concat(c, "required", 3,
                      (const char *const[]){"missing required property \"", name, "\""});
    }
}

static void check_members(vctx *c, const mh_schema *s, const cJSON *v)
{
    for (const cJSON *m = v->child; m && !stopped(c); m = m->next) {
        const mh__prop *p = find_prop(s, m->string);
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
static void branch_summary(vctx *c, const mh__schema_list *l, const cJSON *v, char *buf, size_t n)
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

static void check_ext(vctx *c, const mh_schema *s, const cJSON *v);

/* The applicators (allOf, anyOf, oneOf, not, and the 3.1 extension): one
 * flag, s->applies, says whether there is any, so most schemas skip this. */
static void check_applicators(vctx *c, const mh_schema *s, const cJSON *v)
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
    if (s->x && !stopped(c))
        check_ext(c, s, v);
}

/* ---- OpenAPI 3.1 (JSON Schema 2020-12) keywords ------------------------- */

/* Validates the child v (array index i, or member name) against sub. */
static void validate_at(vctx *c, const mh_schema *sub, const cJSON *v, const char *name, size_t i)
{
    path_push(c->path, name, i);
    validate(c, sub, v);
    path_pop(c->path);
}

static void ext_number(vctx *c, const mh__schema_ext *x, const cJSON *v)
{
    double d = v->valuedouble;
    const char *lit = v->valuestring ? v->valuestring : "";
    if (x->excl_min && !(d > x->excl_min->valuedouble))
        report(c, "exclusiveMinimum", "expected > %s, got %s",
               x->excl_min->valuestring ? x->excl_min->valuestring : "exclusiveMinimum", lit);
    if (x->excl_max && !(d < x->excl_max->valuedouble))
        report(c, "exclusiveMaximum", "expected < %s, got %s",
               x->excl_max->valuestring ? x->excl_max->valuestring : "exclusiveMaximum", lit);
}

/* contains: how many items match, against minContains (default 1) and
 * maxContains. */
static void ext_contains(vctx *c, const mh__schema_ext *x, const cJSON *v)
{
    size_t matched = 0, i = 0;
    for (const cJSON *it = v->child; it; it = it->next, i++) {
        path_push(c->path, NULL, i);
        matched += (size_t)passes(c, x->contains, it);
        path_pop(c->path);
    }
    double least = x->min_contains >= 0 ? x->min_contains : 1;
    if ((double)matched < least) {
        if (x->min_contains < 0)
            report(c, "contains", "no item matches the schema in \"contains\"");
        else
            report(c, "minContains", "expected at least %.0f items matching \"contains\", got %zu",
                   least, matched);
    }
    if (x->max_contains >= 0 && (double)matched > x->max_contains)
        report(c, "maxContains", "expected at most %.0f items matching \"contains\", got %zu",
               x->max_contains, matched);
}

/* prefixItems, the items after them, contains. */
static void ext_array(vctx *c, const mh__schema_ext *x, const cJSON *v)
{
    size_t i = 0;
    for (const cJSON *it = v->child; it && !stopped(c); it = it->next, i++) {
        const mh_schema *sub = i < x->prefix.n ? x->prefix.v[i] : x->rest_items;
        if (!sub)
            break;
        validate_at(c, sub, it, NULL, i);
    }
    if (x->contains && !stopped(c))
        ext_contains(c, x, v);
}

/* patternProperties for the member m, then additionalProperties when no
 * property and no pattern names it. */
static void ext_member(vctx *c, const mh_schema *s, const mh__schema_ext *x, const cJSON *m)
{
    int matched = 0;
    for (size_t i = 0; i < x->npatterns && !stopped(c); i++) {
        int rc = mh__regex_test(x->patterns[i].re, m->string);
        if (rc < 0) {
            path_push(c->path, m->string, 0);
            report(c, "patternProperties", "pattern \"%s\" could not be evaluated: %s",
                   x->patterns[i].src,
                   rc == MH__REGEX_LIMIT ? "backtracking limit exceeded" : "PCRE2 match error");
            path_pop(c->path);
        } else if (rc == 1) {
            matched = 1;
            validate_at(c, x->patterns[i].schema, m, m->string, 0);
        }
    }
    if (matched || find_prop(s, m->string) || x->additional == 1 || stopped(c))
        return;
    if (x->additional == 2) {
        validate_at(c, x->additional_schema, m, m->string, 0);
        return;
    }
    path_push(c->path, m->string, 0);
    report_concat(c, "additionalProperties", 3,
                  (const char *const[]){"unexpected property \"", m->string, "\""});
    path_pop(c->path);
}

/* dependentRequired, dependentSchemas, propertyNames, patternProperties. */
static void ext_object(vctx *c, const mh_schema *s, const mh__schema_ext *x, const cJSON *v)
{
    for (size_t i = 0; i < x->ndep_required && !stopped(c); i++) {
        const mh__dep_required *d = &x->dep_required[i];
        if (!mh_json_get(v, d->name))
            continue;
        for (size_t k = 0; k < d->n; k++)
            if (!mh_json_get(v, d->names[k]))
                report(c, "dependentRequired", "property \"%s\" is required when \"%s\" is present",
                       d->names[k], d->name);
    }
    for (size_t i = 0; i < x->ndep_schemas && !stopped(c); i++)
        if (mh_json_get(v, x->dep_schemas[i].name))
            validate(c, x->dep_schemas[i].schema, v);
    for (const cJSON *m = v->child; m && !stopped(c); m = m->next) {
        if (x->property_names) {
            /* The name as a string instance, on the stack. */
            cJSON name;
            memset(&name, 0, sizeof name);
            name.type = cJSON_String;
            name.valuestring = m->string;
            validate_at(c, x->property_names, &name, m->string, 0);
        }
        if (x->npatterns)
            ext_member(c, s, x, m);
    }
}

static void check_ext(vctx *c, const mh_schema *s, const cJSON *v)
{
    const mh__schema_ext *x = s->x;
    if (x->never) {
        report(c, "false", "no value is allowed here (the schema is false)");
        return;
    }
    if (x->ref)
        validate(c, x->ref, v);
    if (x->has_const && !stopped(c) && !mh__instance_equal(x->const_, v)) {
        char *txt = c->out ? cJSON_PrintUnformatted(x->const_) : NULL;
        if (txt && strlen(txt) > 200)
            strcpy(txt + 190, " ...");
        report(c, "const", "value must be %s", txt ? txt : "the constant");
        free(txt);
    }
    /* Like the 3.0 keywords, the typed ones apply only to a matching type. */
    if (!stopped(c) && (!s->types || type_matches(s->types, v))) {
        switch (JTYPE(v)) {
        case cJSON_Number:
            ext_number(c, x, v);
            break;
        case cJSON_Array:
            ext_array(c, x, v);
            break;
        case cJSON_Object:
            ext_object(c, s, x, v);
            break;
        default:
            break;
        }
    }
    if (x->if_ && !stopped(c)) {
        const mh_schema *next = passes(c, x->if_, v) ? x->then_ : x->else_;
        if (next)
            validate(c, next, v);
    }
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
        if (s->nullable == 1) /* 3.0: a nullable schema given null checks only enum */
            return;
        if (s->applies)
            check_applicators(c, s, v);
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
    if (s->applies)
        check_applicators(c, s, v);
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
    path.heap = (mh__buf)MH__BUF_INIT;
    path.oom = 0;
    vctx c = {dir, out, 0, 0, &path};
    validate(&c, s, instance);
    mh__buf_free(&path.heap);
    return c.count;
}
