/* compile.c — OpenAPI 3.0 Schema Objects into the mh_schema graph, once.
 *
 * Each resolved schema object becomes one mh_schema node, memoized in its
 * set by node address, so $ref targets are shared and recursion is a cycle
 * in the graph; a node is registered before its children, so references
 * back to it terminate. Keyword values are checked here (a bad one is a spec
 * error at its pointer), patterns compiled (regex.c), format names looked up
 * (format.c). Also here: the set itself and the check that no schema reaches
 * itself through allOf/anyOf/oneOf/not alone.
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

static unsigned type_bit(const char *t)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"string", MH__T_STRING},   {"number", MH__T_NUMBER}, {"integer", MH__T_INTEGER},
                 {"boolean", MH__T_BOOLEAN}, {"array", MH__T_ARRAY},   {"object", MH__T_OBJECT}};
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

/* properties: each member's schema compiled, in document order. */
static mh_status compile_props(compiler *c, mh_schema *s)
{
    const cJSON *props = mh_json_get(s->src, "properties");
    if (!props)
        return MH_OK;
    if (!cJSON_IsObject(props))
        return spec_error(c, s->location, "properties", "properties must be an object%s", "");
    int n = cJSON_GetArraySize(props);
    s->props = calloc(n ? (size_t)n : 1, sizeof *s->props);
    if (!s->props)
        return nomem(c);
    char *base = mh__jsonptr_append(s->location, "properties");
    if (!base)
        return nomem(c);
    mh_status st = MH_OK;
    for (const cJSON *it = props->child; it && st == MH_OK; it = it->next) {
        char *p = mh__jsonptr_append(base, it->string);
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
    return st;
}

/* required: an array of names (borrowed). */
static mh_status compile_required(compiler *c, mh_schema *s)
{
    const cJSON *req = mh_json_get(s->src, "required");
    if (!req)
        return MH_OK;
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
    return MH_OK;
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

static mh_status compile_properties(compiler *c, mh_schema *s)
{
    mh_status st;
    if ((st = compile_props(c, s)) != MH_OK || (st = compile_required(c, s)) != MH_OK)
        return st;
    return compile_additional(c, s);
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
    const mh__schema_list *lists[] = {&s->all_of, &s->any_of, &s->one_of};
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
