/* loader.c — the loader's tools (spec_int.h): the spec's arena, errors,
 * $ref'd objects, examples, content maps and the schema-or-content rule
 * that parameters and headers share. Calls no other file of harness/spec/.
 */
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "spec/spec_int.h"
#include "util/jsonptr.h"

/* ------------------------------------------------------------------ */
/* the arena */

void *mh__spec_alloc(mh_spec *sp, size_t n)
{
    char *slot = mh__buf_reserve(&sp->blocks, sizeof(void *));
    if (!slot)
        return NULL;
    void *p = calloc(1, n ? n : 1);
    if (!p)
        return NULL;
    memcpy(slot, &p, sizeof p);
    mh__buf_commit(&sp->blocks, sizeof p);
    return p;
}

char *mh__spec_strdup(mh_spec *sp, const char *s)
{
    size_t n = strlen(s);
    char *d = mh__spec_alloc(sp, n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

void mh__spec_arena_free(mh_spec *sp)
{
    void **blocks = (void **)(void *)sp->blocks.p;
    for (size_t i = 0; i < sp->blocks.len / sizeof *blocks; i++)
        free(blocks[i]);
    mh__buf_free(&sp->blocks);
}

/* ------------------------------------------------------------------ */
/* errors and small helpers */

mh_status mh__spec_nomem(mh__loader *L)
{
    return mh_error_set(L->err, MH_ERR_NOMEM, "out of memory");
}

mh_status mh__spec_err(mh__loader *L, const char *pointer, const char *fmt, const char *arg)
{
    mh_error_set(L->err, MH_ERR_SPEC, fmt, arg);
    mh_error_at_pointer(L->err, pointer);
    return MH_ERR_SPEC;
}

int mh__spec_count_members(const cJSON *o)
{
    int n = 0;
    for (const cJSON *c = o ? o->child : NULL; c; c = c->next)
        n++;
    return n;
}

mh_status mh__spec_deref_object(mh__loader *L, const cJSON *node, const char *at, const char *what,
                                const cJSON **out, char **where)
{
    char *ptr = NULL;
    mh_status st = mh__ref_follow(L->sp->doc, node, at, out, &ptr, L->err);
    if (st != MH_OK)
        return st;
    if (!cJSON_IsObject(*out)) {
        st = mh__spec_err(L, ptr, "%s must be an object", what);
        free(ptr);
        return st;
    }
    *where = ptr;
    return MH_OK;
}

mh_status mh__spec_compile(mh__loader *L, const cJSON *node, const char *at, const mh_schema **out)
{
    return mh__schema_compile(L->sp->schemas, node, at, out, L->err);
}

/* ------------------------------------------------------------------ */
/* examples and content */

/* The "value" of one entry of an "examples" map (at pointer at), its $ref
 * followed; NULL when it has none (externalValue only). */
static mh_status example_value(mh__loader *L, const cJSON *entry, const char *at, const cJSON **out)
{
    const cJSON *ex;
    char *where = NULL;
    mh_status st = mh__spec_deref_object(L, entry, at, "an example", &ex, &where);
    free(where);
    if (st == MH_OK)
        *out = mh_json_get(ex, "value");
    return st;
}

mh_status mh__spec_example(mh__loader *L, const cJSON *obj, const char *at, const cJSON **out)
{
    *out = mh_json_get(obj, "example");
    const cJSON *examples = mh_json_get(obj, "examples");
    if (*out || !cJSON_IsObject(examples))
        return MH_OK;
    char *ep = mh__jsonptr_append(at, "examples");
    if (!ep)
        return mh__spec_nomem(L);
    mh_status st = MH_OK;
    for (const cJSON *it = examples->child; it && !*out && st == MH_OK; it = it->next) {
        char *xp = mh__jsonptr_append(ep, it->string);
        st = xp ? example_value(L, it, xp, out) : mh__spec_nomem(L);
        free(xp);
    }
    free(ep);
    return st;
}

/* One media type object (it, at pointer at) into m. */
static mh_status load_media(mh__loader *L, const cJSON *it, const char *at, mh_media *m)
{
    const cJSON *mt;
    char *where = NULL;
    m->media_type = it->string;
    mh_status st = mh__spec_deref_object(L, it, at, "a media type object", &mt, &where);
    if (st != MH_OK)
        return st;
    const cJSON *schema = mh_json_get(mt, "schema");
    if (schema) {
        char *sp = mh__jsonptr_append(where, "schema");
        st = sp ? mh__spec_compile(L, schema, sp, &m->schema) : mh__spec_nomem(L);
        free(sp);
    }
    if (st == MH_OK)
        st = mh__spec_example(L, mt, where, &m->example);
    free(where);
    return st;
}

mh_status mh__spec_content(mh__loader *L, const cJSON *content, const char *at,
                           const mh_media **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!content)
        return MH_OK;
    if (!cJSON_IsObject(content))
        return mh__spec_err(L, at, "content must be an object%s", "");
    mh_media *m = mh__spec_alloc(L->sp, (size_t)mh__spec_count_members(content) * sizeof *m);
    if (!m)
        return mh__spec_nomem(L);
    size_t n = 0;
    mh_status st = MH_OK;
    for (const cJSON *it = content->child; it && st == MH_OK; it = it->next) {
        char *mp = mh__jsonptr_append(at, it->string);
        st = mp ? load_media(L, it, mp, &m[n]) : mh__spec_nomem(L);
        free(mp);
        n++;
    }
    *out = m;
    *count = n;
    return st;
}

/* ------------------------------------------------------------------ */
/* schema or content */

static mh_status value_from_schema(mh__loader *L, const cJSON *schema, const char *at,
                                   mh__spec_value *v)
{
    char *sp = mh__jsonptr_append(at, "schema");
    mh_status st = sp ? mh__spec_compile(L, schema, sp, &v->schema) : mh__spec_nomem(L);
    free(sp);
    return st;
}

static mh_status value_from_content(mh__loader *L, const cJSON *content, const char *at,
                                    const char *what, mh__spec_value *v)
{
    char *cp = mh__jsonptr_append(at, "content");
    if (!cp)
        return mh__spec_nomem(L);
    mh_status st = MH_OK;
    if (!cJSON_IsObject(content) || mh__spec_count_members(content) != 1)
        st = mh__spec_err(L, cp, "%s: \"content\" must hold exactly one media type", what);
    const mh_media *m = NULL;
    size_t n = 0;
    if (st == MH_OK)
        st = mh__spec_content(L, content, cp, &m, &n);
    free(cp);
    if (st != MH_OK)
        return st;
    v->content_type = m->media_type;
    v->schema = m->schema;
    if (!v->example)
        v->example = m->example;
    return MH_OK;
}

mh_status mh__spec_value_load(mh__loader *L, const cJSON *obj, const char *at, const char *what,
                              mh__spec_value *v)
{
    memset(v, 0, sizeof *v);
    const cJSON *schema = mh_json_get(obj, "schema"), *content = mh_json_get(obj, "content");
    if (schema && content)
        return mh__spec_err(L, at, "%s has both \"schema\" and \"content\" (one of them only)",
                            what);
    mh_status st = mh__spec_example(L, obj, at, &v->example);
    if (st == MH_OK && schema)
        st = value_from_schema(L, schema, at, v);
    if (st == MH_OK && content)
        st = value_from_content(L, content, at, what, v);
    return st;
}
