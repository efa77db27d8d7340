/* compile.c — Schema Objects into the mh_schema graph, once.
 *
 * Each resolved schema object becomes one mh_schema node, memoized in its
 * set by node address, so $ref targets are shared and recursion is a cycle
 * in the graph; a node is registered before its children, so references
 * back to it terminate. Keyword values are checked here (a bad one is a spec
 * error at its pointer), patterns compiled (regex.c), format names looked up
 * (format.c). Also here: the set itself and the check that no schema reaches
 * itself through in-place applicators (allOf/anyOf/oneOf/not, and in 3.1
 * $ref, if/then/else, dependentSchemas) alone.
 *
 * The set's dialect decides how a document's schemas read: OpenAPI 3.0
 * (a $ref replaces its object) or 3.1 = JSON Schema 2020-12 (a $ref beside
 * other keywords is one more in-place schema; booleans are schemas; the
 * 2020-12 keywords 3.0 lacks go into mh__schema_ext). Every member of a
 * compiled schema object that the validator does not check, and that is not
 * an annotation, becomes a warning at its pointer (keywords.c decides).
 */
#include "schema/schema_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "util/buf.h"
#include "util/jsonptr.h"

/* An open-addressing map from resolved node to its schema, plus the list of
 * every schema (in compile order) that the set owns. */
struct mh__schema_set {
    const cJSON *root;
    mh__dialect dialect;
    mh__warnings warnings;
    mh__buf all; /* mh_schema *[]: every schema, owned */
    const cJSON **keys;
    mh_schema **vals;
    size_t hcap; /* slots in keys/vals: 0 or a power of two */
};

/* The number of schemas in the set, and the i-th. */
static size_t set_count(const mh__schema_set *set)
{
    return set->all.len / sizeof(mh_schema *);
}

static mh_schema *set_at(const mh__schema_set *set, size_t i)
{
    return ((mh_schema **)(void *)set->all.p)[i];
}

mh__schema_set *mh__schema_set_new(const cJSON *root, mh__dialect dialect)
{
    mh__schema_set *set = calloc(1, sizeof *set);
    if (set) {
        set->root = root;
        set->dialect = dialect;
    }
    return set;
}

size_t mh__schema_set_warning_count(const mh__schema_set *set)
{
    return set ? mh__warnings_count(&set->warnings) : 0;
}

const char *mh__schema_set_warning(const mh__schema_set *set, size_t i, const char **pointer)
{
    return set ? mh__warnings_get(&set->warnings, i, pointer) : NULL;
}

static void ext_free(mh__schema_ext *x)
{
    if (!x)
        return;
    free(x->prefix.v);
    for (size_t i = 0; i < x->npatterns; i++)
        mh__regex_free(x->patterns[i].re);
    free(x->patterns);
    for (size_t i = 0; i < x->ndep_required; i++)
        free(x->dep_required[i].names);
    free(x->dep_required);
    free(x->dep_schemas);
    free(x);
}

static void schema_free(mh_schema *s)
{
    ext_free(s->x);
    free(s->location);
    free(s->props);
    free(s->required);
    free(s->all_of.v);
    free(s->any_of.v);
    free(s->one_of.v);
    mh__regex_free(s->pattern);
    free(s);
}

void mh__schema_set_free(mh__schema_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set_count(set); i++)
        schema_free(set_at(set, i));
    mh__buf_free(&set->all);
    mh__warnings_free(&set->warnings);
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

/* Doubles the map and rehashes it (a rehash, not an append: the slots move,
 * so this is no mh__buf). -1 on out-of-memory (the map unchanged). */
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
    char *slot = mh__buf_reserve(&set->all, sizeof s);
    if (!slot)
        return -1;
    if ((set_count(set) + 1) * 2 > set->hcap && set_grow(set) < 0)
        return -1;
    size_t j = hash_ptr(s->src, set->hcap);
    while (set->keys[j])
        j = (j + 1) & (set->hcap - 1);
    set->keys[j] = s->src;
    set->vals[j] = s;
    memcpy(slot, &s, sizeof s);
    mh__buf_commit(&set->all, sizeof s);
    return 0;
}

/* ------------------------------------------------------------------ */
/* compilation */

typedef struct {
    mh__schema_set *set;
    mh_error *err;
} compiler;

static int is31(const compiler *c)
{
    return c->set->dialect == MH__DIALECT_OAS31;
}

static mh_status spec_error(compiler *c, const char *base, const char *key, const char *fmt,
                            const char *arg)
{
    mh_error_set(c->err, MH_ERR_SPEC, fmt, arg);
    if (c->err) {
        char *p = key ? mh__jsonptr_append(base, key) : NULL;
        mh_error_at_pointer(c->err, p ? p : base);
        free(p);
    }
    return MH_ERR_SPEC;
}

static mh_status nomem(compiler *c)
{
    return mh_error_set(c->err, MH_ERR_NOMEM, "out of memory");
}

/* Adds the warning msg (with one %s: key) at base/key. */
static mh_status warn(compiler *c, const char *base, const char *key, const char *msg)
{
    char *p = mh__jsonptr_append(base, key);
    if (!p)
        return nomem(c);
    int rc = mh__warnings_add(&c->set->warnings, p, msg, key);
    free(p);
    return rc < 0 ? nomem(c) : MH_OK;
}

/* The 3.1-only part of s, made on first use. NULL on out-of-memory. */
static mh__schema_ext *ext(mh_schema *s)
{
    if (!s->x && (s->x = calloc(1, sizeof *s->x)) != NULL)
        s->x->min_contains = s->x->max_contains = -1;
    return s->x;
}

static mh_status compile_node(compiler *c, const cJSON *node, const char *at, mh_schema **out);

/* Compiles the child schema at src[key] (pointer loc/key). */
static mh_status compile_child(compiler *c, mh_schema *s, const cJSON *child, const char *key,
                               mh_schema **out)
{
    char *p = mh__jsonptr_append(s->location, key);
    if (!p)
        return nomem(c);
    mh_status st = compile_node(c, child, p, out);
    free(p);
    return st;
}

/* The child schema src[key] when present (*out NULL when absent). */
static mh_status compile_opt(compiler *c, mh_schema *s, const char *key, mh_schema **out)
{
    const cJSON *child = mh_json_get(s->src, key);
    *out = NULL;
    return child ? compile_child(c, s, child, key, out) : MH_OK;
}

static mh_status compile_list(compiler *c, mh_schema *s, const char *key, mh__schema_list *l)
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
    char *base = mh__jsonptr_append(s->location, key);
    if (!base)
        return nomem(c);
    mh_status st = MH_OK;
    for (const cJSON *it = arr->child; it && st == MH_OK; it = it->next) {
        char *p = mh__jsonptr_append_index(base, l->n);
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

static unsigned type_bit(const char *t, int v31)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"string", MH__T_STRING},   {"number", MH__T_NUMBER}, {"integer", MH__T_INTEGER},
                 {"boolean", MH__T_BOOLEAN}, {"array", MH__T_ARRAY},   {"object", MH__T_OBJECT}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(t, names[i].name) == 0)
            return names[i].bit;
    return v31 && strcmp(t, "null") == 0 ? MH__T_NULL : 0;
}

static mh_status compile_type(compiler *c, mh_schema *s)
{
    const cJSON *t = mh_json_get(s->src, "type");
    if (!t)
        return MH_OK;
    if (cJSON_IsString(t)) {
        s->types = type_bit(t->valuestring, is31(c));
        if (!s->types)
            return spec_error(c, s->location, "type",
                              is31(c) ? "unknown type \"%s\""
                                      : "unknown type \"%s\" (OpenAPI 3.0 has no "
                                        "null type: use nullable)",
                              t->valuestring);
    } else if (cJSON_IsArray(t) && t->child) {
        /* 3.1: a union. 3.0 has none, but a list of names is harmless to
         * accept as one (without "null"). */
        for (const cJSON *it = t->child; it; it = it->next) {
            unsigned b = cJSON_IsString(it) ? type_bit(it->valuestring, is31(c)) : 0;
            if (!b)
                return spec_error(c, s->location, "type", "unknown type in list%s", "");
            s->types |= b;
        }
    } else {
        return spec_error(c, s->location, "type",
                          is31(c) ? "type must be a string or a non-empty array of strings%s"
                                  : "type must be a string%s",
                          "");
    }
    if (s->types & MH__T_NULL)
        s->nullable = 2;
    return MH_OK;
}

static mh_status compile_pattern(compiler *c, mh_schema *s)
{
    const cJSON *p = mh_json_get(s->src, "pattern");
    if (!p)
        return MH_OK;
    if (!cJSON_IsString(p))
        return spec_error(c, s->location, "pattern", "pattern must be a string%s", "");
    char msg[256];
    if (mh__regex_compile(p->valuestring, &s->pattern, msg, sizeof msg) < 0)
        return spec_error(c, s->location, "pattern", "%s", msg);
    s->pattern_src = p->valuestring;
    return MH_OK;
}

static mh_status compile_format(compiler *c, mh_schema *s)
{
    const cJSON *f = mh_json_get(s->src, "format");
    if (!f)
        return MH_OK;
    if (!cJSON_IsString(f))
        return spec_error(c, s->location, "format", "format must be a string%s", "");
    s->format_name = f->valuestring;
    s->format = mh__format_lookup(f->valuestring);
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

/* 3.1: exclusiveMinimum/Maximum is the bound itself (into *bound). The
 * boolean of 3.0 and draft 4 is still read as such (into *flag), with a
 * warning, since its meaning is plain and documents converted from 3.0 keep
 * it. */
static mh_status exclusive_kw31(compiler *c, mh_schema *s, const char *key, const cJSON **bound,
                                int *flag)
{
    const cJSON *v = mh_json_get(s->src, key);
    if (!v)
        return MH_OK;
    if (cJSON_IsBool(v)) {
        *flag = cJSON_IsTrue(v);
        return warn(c, s->location, key,
                    "a boolean %s is the OpenAPI 3.0 form (in 3.1 it is the bound itself): "
                    "read as 3.0");
    }
    if (!cJSON_IsNumber(v))
        return spec_error(c, s->location, key, "%s must be a number", key);
    if (!ext(s))
        return nomem(c);
    *bound = v;
    return MH_OK;
}

static mh_status compile_numbers(compiler *c, mh_schema *s)
{
    mh_status st;
    if ((st = number_kw(c, s, "minimum", &s->minimum)) != MH_OK ||
        (st = number_kw(c, s, "maximum", &s->maximum)) != MH_OK ||
        (st = number_kw(c, s, "multipleOf", &s->multiple_of)) != MH_OK)
        return st;
    if (is31(c)) {
        const cJSON *lo = NULL, *hi = NULL;
        if ((st = exclusive_kw31(c, s, "exclusiveMinimum", &lo, &s->excl_min)) != MH_OK ||
            (st = exclusive_kw31(c, s, "exclusiveMaximum", &hi, &s->excl_max)) != MH_OK)
            return st;
        if (s->x) {
            s->x->excl_min = lo;
            s->x->excl_max = hi;
        }
    } else if ((st = bool_kw(c, s, "exclusiveMinimum", &s->excl_min)) != MH_OK ||
               (st = bool_kw(c, s, "exclusiveMaximum", &s->excl_max)) != MH_OK) {
        return st;
    }
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
        (st = bool_kw(c, s, "readOnly", &s->read_only)) != MH_OK ||
        (st = bool_kw(c, s, "writeOnly", &s->write_only)) != MH_OK)
        return st;
    /* 3.1 has no nullable (a warning says so); a type list says "null". */
    return is31(c) ? MH_OK : bool_kw(c, s, "nullable", &s->nullable);
}

/* properties (or, with names, dependentSchemas): each member's schema
 * compiled, in document order, into a new array *out of *n. */
static mh_status compile_named(compiler *c, mh_schema *s, const char *key, mh__prop **out,
                               size_t *n)
{
    const cJSON *props = mh_json_get(s->src, key);
    if (!props)
        return MH_OK;
    if (!cJSON_IsObject(props))
        return spec_error(c, s->location, key, "%s must be an object", key);
    int count = cJSON_GetArraySize(props);
    *out = calloc(count ? (size_t)count : 1, sizeof **out);
    if (!*out)
        return nomem(c);
    char *base = mh__jsonptr_append(s->location, key);
    if (!base)
        return nomem(c);
    mh_status st = MH_OK;
    for (const cJSON *it = props->child; it && st == MH_OK; it = it->next) {
        char *p = mh__jsonptr_append(base, it->string);
        if (!p) {
            st = nomem(c);
            break;
        }
        (*out)[*n].name = it->string;
        st = compile_node(c, it, p, &(*out)[*n].schema);
        free(p);
        if (st == MH_OK)
            (*n)++;
    }
    free(base);
    return st;
}

/* An array of property names (borrowed) at pointer at/key, into a new
 * array *out of *n. */
static mh_status name_list(compiler *c, const cJSON *arr, const char *at, const char *key,
                           const char ***out, size_t *n)
{
    if (!cJSON_IsArray(arr))
        return spec_error(c, at, key, "%s must be an array of property names", key);
    int count = cJSON_GetArraySize(arr);
    *out = calloc(count ? (size_t)count : 1, sizeof **out);
    if (!*out)
        return nomem(c);
    for (const cJSON *it = arr->child; it; it = it->next) {
        if (!cJSON_IsString(it))
            return spec_error(c, at, key, "%s must be an array of property names", key);
        (*out)[(*n)++] = it->valuestring;
    }
    return MH_OK;
}

/* required: an array of names (borrowed). */
static mh_status compile_required(compiler *c, mh_schema *s)
{
    const cJSON *req = mh_json_get(s->src, "required");
    if (!req)
        return MH_OK;
    if (!cJSON_IsArray(req))
        return spec_error(c, s->location, "required", "required must be an array%s", "");
    return name_list(c, req, s->location, "required", &s->required, &s->nrequired);
}

/* additionalProperties: true (the default), false, or a schema. */
static mh_status compile_additional(compiler *c, mh_schema *s)
{
    const cJSON *ap = mh_json_get(s->src, "additionalProperties");
    s->additional = 1;
    if (!ap)
        return MH_OK;
    if (cJSON_IsBool(ap)) {
        s->additional = cJSON_IsTrue(ap);
        return MH_OK;
    }
    if (cJSON_IsObject(ap)) {
        s->additional = 2;
        return compile_child(c, s, ap, "additionalProperties", &s->additional_schema);
    }
    return spec_error(c, s->location, "additionalProperties",
                      "additionalProperties must be a boolean or a schema%s", "");
}

/* 3.1 patternProperties: each pattern compiled, each schema compiled. With
 * it, additionalProperties applies to members matching neither a property
 * nor a pattern, so it moves into the extension, which judges both. */
static mh_status compile_patterns(compiler *c, mh_schema *s)
{
    mh__prop *named = NULL;
    size_t n = 0;
    mh_status st = compile_named(c, s, "patternProperties", &named, &n);
    mh__schema_ext *x = named ? ext(s) : NULL;
    if (st == MH_OK && named && (!x || !(x->patterns = calloc(n ? n : 1, sizeof *x->patterns))))
        st = nomem(c);
    for (size_t i = 0; st == MH_OK && i < n; i++) {
        char msg[256], *at = mh__jsonptr_append(s->location, "patternProperties");
        if (!at) {
            st = nomem(c);
        } else if (mh__regex_compile(named[i].name, &x->patterns[i].re, msg, sizeof msg) < 0) {
            st = spec_error(c, at, named[i].name, "%s", msg);
        } else {
            x->patterns[i].src = named[i].name;
            x->patterns[i].schema = named[i].schema;
            x->npatterns++;
        }
        free(at);
    }
    free(named);
    if (st == MH_OK && x) {
        x->additional = s->additional;
        x->additional_schema = s->additional_schema;
        s->additional = 1;
        s->additional_schema = NULL;
    }
    return st;
}

static mh_status compile_properties(compiler *c, mh_schema *s)
{
    mh_status st;
    if ((st = compile_named(c, s, "properties", &s->props, &s->nprops)) != MH_OK ||
        (st = compile_required(c, s)) != MH_OK || (st = compile_additional(c, s)) != MH_OK)
        return st;
    return is31(c) ? compile_patterns(c, s) : MH_OK;
}

/* items; in 3.1 after prefixItems, when present, it is the schema of the
 * remaining items. */
static mh_status compile_items(compiler *c, mh_schema *s)
{
    if (!is31(c) || !mh_json_get(s->src, "prefixItems"))
        return compile_opt(c, s, "items", &s->items);
    if (!ext(s))
        return nomem(c);
    mh_status st = compile_list(c, s, "prefixItems", &s->x->prefix);
    return st != MH_OK ? st : compile_opt(c, s, "items", &s->x->rest_items);
}

/* contains with minContains/maxContains (which mean nothing without it). */
static mh_status compile_contains(compiler *c, mh_schema *s)
{
    if (!mh_json_get(s->src, "contains"))
        return MH_OK;
    if (!ext(s))
        return nomem(c);
    mh_status st;
    if ((st = count_kw(c, s, "minContains", &s->x->min_contains)) != MH_OK ||
        (st = count_kw(c, s, "maxContains", &s->x->max_contains)) != MH_OK)
        return st;
    return compile_opt(c, s, "contains", &s->x->contains);
}

/* dependentRequired: {"name": ["other", ...], ...}. */
static mh_status compile_dep_required(compiler *c, mh_schema *s)
{
    const cJSON *dr = mh_json_get(s->src, "dependentRequired");
    if (!dr)
        return MH_OK;
    if (!cJSON_IsObject(dr))
        return spec_error(c, s->location, "dependentRequired",
                          "dependentRequired must be an object%s", "");
    int n = cJSON_GetArraySize(dr);
    mh__schema_ext *x = ext(s);
    if (!x || !(x->dep_required = calloc(n ? (size_t)n : 1, sizeof *x->dep_required)))
        return nomem(c);
    char *at = mh__jsonptr_append(s->location, "dependentRequired");
    if (!at)
        return nomem(c);
    mh_status st = MH_OK;
    for (const cJSON *it = dr->child; it && st == MH_OK; it = it->next) {
        mh__dep_required *d = &x->dep_required[x->ndep_required++];
        d->name = it->string;
        st = name_list(c, it, at, it->string, &d->names, &d->n);
    }
    free(at);
    return st;
}

/* $ref beside other keywords (3.1): the reference is one more schema the
 * instance must satisfy. A readOnly/writeOnly target still marks the
 * property. */
static int ref_stops31(const cJSON *node);

static mh_status compile_ref31(compiler *c, mh_schema *s)
{
    if (!mh_json_get(s->src, "$ref"))
        return MH_OK;
    mh__schema_ext *x = ext(s);
    if (!x)
        return nomem(c);
    const cJSON *target = NULL;
    char *tptr = NULL;
    mh_status st = mh__ref_follow_until(c->set->root, s->src, s->location, ref_stops31, 0, &target,
                                        &tptr, c->err);
    if (st != MH_OK)
        return st;
    st = compile_node(c, target, tptr, &x->ref);
    free(tptr);
    if (st == MH_OK) {
        s->read_only |= x->ref->read_only;
        s->write_only |= x->ref->write_only;
    }
    return st;
}

/* The JSON Schema 2020-12 keywords of 3.1 that 3.0 lacks (those not read
 * above with their 3.0 relatives). */
static mh_status compile_ext31(compiler *c, mh_schema *s)
{
    const cJSON *k = mh_json_get(s->src, "const");
    if (k) {
        if (!ext(s))
            return nomem(c);
        s->x->const_ = k;
        s->x->has_const = 1;
    }
    mh_status st;
    mh_schema *names = NULL, *if_ = NULL, *then_ = NULL, *else_ = NULL;
    if ((st = compile_contains(c, s)) != MH_OK || (st = compile_dep_required(c, s)) != MH_OK ||
        (st = compile_opt(c, s, "propertyNames", &names)) != MH_OK ||
        (st = compile_opt(c, s, "if", &if_)) != MH_OK ||
        (st = compile_opt(c, s, "then", &then_)) != MH_OK ||
        (st = compile_opt(c, s, "else", &else_)) != MH_OK)
        return st;
    if ((names || if_ || mh_json_get(s->src, "dependentSchemas")) && !ext(s))
        return nomem(c);
    if (s->x) {
        s->x->property_names = names;
        s->x->if_ = if_; /* then/else mean nothing without if */
        s->x->then_ = if_ ? then_ : NULL;
        s->x->else_ = if_ ? else_ : NULL;
        st = compile_named(c, s, "dependentSchemas", &s->x->dep_schemas, &s->x->ndep_schemas);
    }
    return st != MH_OK ? st : compile_ref31(c, s);
}

/* The dialects OpenAPI 3.1 schemas are validated by without a warning. */
static int known_dialect(const char *uri)
{
    static const char *const ok[] = {"https://json-schema.org/draft/2020-12/schema",
                                     "https://spec.openapis.org/oas/3.1/dialect/"};
    size_t n = strlen(uri);
    if (n && uri[n - 1] == '#')
        n--;
    return (n == strlen(ok[0]) && strncmp(uri, ok[0], n) == 0) ||
           strncmp(uri, ok[1], strlen(ok[1])) == 0;
}

/* Warns about each member of s that is neither checked nor an annotation
 * in the set's dialect. */
static mh_status scan_keywords(compiler *c, const mh_schema *s)
{
    static const char *const why[] = {
        [MH__KW_UNSUPPORTED] = "\"%s\" is not supported by the validator: not checked",
        [MH__KW_UNKNOWN] = "unknown keyword \"%s\": not checked",
    };
    mh_status st = MH_OK;
    for (const cJSON *it = s->src->child; it && st == MH_OK; it = it->next) {
        mh__keyword_class k = mh__keyword_classify(c->set->dialect, it->string);
        if (k == MH__KW_CHECKED && is31(c) && strcmp(it->string, "$schema") == 0 &&
            !(cJSON_IsString(it) && known_dialect(it->valuestring)))
            st = warn(c, s->location, it->string,
                      "\"%s\" names another dialect: validated as JSON Schema 2020-12");
        else if (k == MH__KW_OTHER_DIALECT && is31(c))
            st = warn(c, s->location, it->string,
                      strcmp(it->string, "nullable") == 0
                          ? "\"%s\" is an OpenAPI 3.0 keyword, not 3.1: not checked (in 3.1, "
                            "list \"null\" in type)"
                          : "\"%s\" is an OpenAPI 3.0 keyword, not 3.1: not checked");
        else if (k == MH__KW_OTHER_DIALECT)
            st = warn(c, s->location, it->string,
                      "\"%s\" is not an OpenAPI 3.0 keyword (3.1 has it): not checked");
        else if (k == MH__KW_UNSUPPORTED || k == MH__KW_UNKNOWN)
            st = warn(c, s->location, it->string, why[k]);
    }
    return st;
}

static mh_status compile_body(compiler *c, mh_schema *s)
{
    mh_status st;
    if ((st = scan_keywords(c, s)) != MH_OK || (st = compile_type(c, s)) != MH_OK ||
        (st = compile_counts(c, s)) != MH_OK || (st = compile_numbers(c, s)) != MH_OK ||
        (st = compile_pattern(c, s)) != MH_OK || (st = compile_format(c, s)) != MH_OK)
        return st;
    const cJSON *e = mh_json_get(s->src, "enum");
    if (e) {
        if (!cJSON_IsArray(e))
            return spec_error(c, s->location, "enum", "enum must be an array%s", "");
        s->enum_values = e;
    }
    if ((st = compile_properties(c, s)) != MH_OK || (st = compile_items(c, s)) != MH_OK ||
        (st = compile_opt(c, s, "not", &s->not_)) != MH_OK)
        return st;
    if ((st = compile_list(c, s, "allOf", &s->all_of)) != MH_OK ||
        (st = compile_list(c, s, "anyOf", &s->any_of)) != MH_OK ||
        (st = compile_list(c, s, "oneOf", &s->one_of)) != MH_OK)
        return st;
    return is31(c) ? compile_ext31(c, s) : MH_OK;
}

/* 3.1: a $ref whose siblings are more than annotations is a schema of its
 * own (the reference applies beside them), so the chain stops there. */
static int ref_stops31(const cJSON *node)
{
    for (const cJSON *it = node->child; it; it = it->next)
        if (strcmp(it->string, "$ref") != 0 && !mh__keyword_is_annotation(it->string))
            return 1;
    return 0;
}

/* 3.0: the siblings of a $ref are ignored; say so for those that would
 * have been checked. */
static mh_status warn_ref_siblings30(compiler *c, const cJSON *node, const char *at)
{
    if (!cJSON_IsObject(node) || !mh_json_get(node, "$ref"))
        return MH_OK;
    mh_status st = MH_OK;
    for (const cJSON *it = node->child; it && st == MH_OK; it = it->next)
        if (strcmp(it->string, "$ref") != 0 &&
            mh__keyword_classify(MH__DIALECT_OAS30, it->string) != MH__KW_ANNOTATION)
            st = warn(c, at, it->string,
                      "\"%s\" beside $ref is ignored in OpenAPI 3.0: not checked");
    return st;
}

/* The resolved schema node target (at pointer tptr, which the new schema
 * takes over): the memoized schema, or a new one registered and compiled. */
static mh_status compile_target(compiler *c, const cJSON *target, char *tptr, mh_schema **out)
{
    int boolean = is31(c) && cJSON_IsBool(target);
    if (!cJSON_IsObject(target) && !boolean) {
        mh_status st = spec_error(c, tptr, NULL,
                                  is31(c) ? "a schema must be a JSON object or a boolean%s"
                                          : "a schema must be a JSON object%s",
                                  "");
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
    s->additional = 1;
    if (set_insert(c->set, s) < 0) {
        schema_free(s);
        return nomem(c);
    }
    /* Registered before its children, so references back to it terminate. */
    *out = s;
    mh_status st = MH_OK;
    if (boolean) {
        /* true accepts everything, false nothing (one "never" flag). */
        s->min_items = s->max_items = s->min_len = s->max_len = s->min_props = s->max_props = -1;
        if (cJSON_IsFalse(target)) {
            if (ext(s))
                s->x->never = 1;
            else
                st = nomem(c);
        }
    } else {
        st = compile_body(c, s);
    }
    s->applies = s->all_of.n || s->any_of.n || s->one_of.n || s->not_ || s->x;
    return st;
}

static mh_status compile_node(compiler *c, const cJSON *node, const char *at, mh_schema **out)
{
    const cJSON *target = NULL;
    char *tptr = NULL;
    mh_status st = is31(c) ? MH_OK : warn_ref_siblings30(c, node, at);
    if (st == MH_OK)
        st = mh__ref_follow_until(c->set->root, node, at, is31(c) ? ref_stops31 : NULL, 1, &target,
                                  &tptr, c->err);
    return st != MH_OK ? st : compile_target(c, target, tptr, out);
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

/* The cycle check walks the schemas each schema applies to the instance
 * itself (not to a part of it): a schema reached again on the current walk
 * is the one returned. */
static mh_schema *in_place_cycle(mh_schema *s);

static mh_schema *first_cycle(mh_schema *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mh_schema *hit = v[i] ? in_place_cycle(v[i]) : NULL;
        if (hit)
            return hit;
    }
    return NULL;
}

static mh_schema *ext_cycle(const mh__schema_ext *x)
{
    mh_schema *one[] = {x->ref, x->if_, x->then_, x->else_};
    mh_schema *hit = first_cycle(one, sizeof one / sizeof one[0]);
    for (size_t i = 0; !hit && i < x->ndep_schemas; i++)
        hit = in_place_cycle(x->dep_schemas[i].schema);
    return hit;
}

static mh_schema *in_place_cycle(mh_schema *s)
{
    if (s->color == 2)
        return NULL;
    if (s->color == 1)
        return s;
    s->color = 1;
    mh_schema *hit = first_cycle(s->all_of.v, s->all_of.n);
    if (!hit)
        hit = first_cycle(s->any_of.v, s->any_of.n);
    if (!hit)
        hit = first_cycle(s->one_of.v, s->one_of.n);
    if (!hit)
        hit = first_cycle(&s->not_, 1);
    if (!hit && s->x)
        hit = ext_cycle(s->x);
    if (hit)
        return hit;
    s->color = 2;
    return NULL;
}

mh_status mh__schema_set_check_cycles(mh__schema_set *set, mh_error *err)
{
    for (size_t i = 0; i < set_count(set); i++)
        set_at(set, i)->color = 0;
    for (size_t i = 0; i < set_count(set); i++) {
        mh_schema *hit = in_place_cycle(set_at(set, i));
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
