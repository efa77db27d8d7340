/* spec.c — load an OpenAPI 3.0.x or 3.1.x document (JSON or YAML) into
 * operations with compiled schemas.
 *
 * Everything the accessors hand out lives in the mh_spec: strings either
 * point into the parsed document or were copied into the spec's arena, and
 * schemas belong to its schema set. One free releases it all.
 */
#include "manta/spec.h"
#include "schema/schema_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/fileio.h"
#include "manta/json_strict.h"
#include "manta/yaml.h"
#include "spec/bundle.h"
#include "util/buf.h"
#include "util/jsonptr.h"

typedef struct {
    const char *path;
    char *methods;
} path_methods;

/* The arrays grow in mh__bufs holding the items' bytes; op_at, pm_at and
 * the counts below read them. */
struct mh_spec {
    char *name;
    cJSON *doc;
    mh__schema_set *schemas;
    mh__buf ops; /* mh_operation[] */
    mh__buf pm;  /* path_methods[] */
    const char *server_url;
    mh__buf blocks;          /* void *[]: the arena, every block freed with the spec */
    mh__bundle_files bundle; /* files grafted in by external $refs */
    int minor;               /* OpenAPI 3.<minor>: 0 or 1 */
    size_t usable;           /* operations without a skip reason */
};

/* The loader's state: the spec being built, the raw text (for lines) and
 * the caller's error. */
typedef struct {
    mh_spec *sp;
    const char *raw;
    size_t rawlen;
    mh_error *err;
    mh_status first_skip; /* status of the first unusable operation */
} loader;

static const char *const http_methods[] = {"get",     "put",  "post",  "delete",
                                           "options", "head", "patch", "trace"};

/* ------------------------------------------------------------------ */
/* the arrays and the arena */

static size_t op_count(const mh_spec *sp)
{
    return sp->ops.len / sizeof(mh_operation);
}

static mh_operation *op_at(const mh_spec *sp, size_t i)
{
    return (mh_operation *)(void *)sp->ops.p + i;
}

static size_t pm_count(const mh_spec *sp)
{
    return sp->pm.len / sizeof(path_methods);
}

static path_methods *pm_at(const mh_spec *sp, size_t i)
{
    return (path_methods *)(void *)sp->pm.p + i;
}

/* A zeroed block of n bytes that lives as long as the spec; NULL on
 * out-of-memory. */
static void *arena_alloc(mh_spec *sp, size_t n)
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

static void arena_free(mh_spec *sp)
{
    void **blocks = (void **)(void *)sp->blocks.p;
    for (size_t i = 0; i < sp->blocks.len / sizeof *blocks; i++)
        free(blocks[i]);
    mh__buf_free(&sp->blocks);
}

static char *arena_strdup(mh_spec *sp, const char *s)
{
    size_t n = strlen(s);
    char *d = arena_alloc(sp, n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

/* ------------------------------------------------------------------ */
/* errors */

static mh_status nomem(loader *L)
{
    return mh_error_set(L->err, MH_ERR_NOMEM, "out of memory");
}

static mh_status spec_err(loader *L, const char *pointer, const char *fmt, const char *arg)
{
    mh_error_set(L->err, MH_ERR_SPEC, fmt, arg);
    mh_error_at_pointer(L->err, pointer);
    return MH_ERR_SPEC;
}

/* ------------------------------------------------------------------ */
/* small helpers */

static int count_members(const cJSON *o)
{
    int n = 0;
    for (const cJSON *c = o ? o->child : NULL; c; c = c->next)
        n++;
    return n;
}

/* Follows node (found at pointer at) through its $ref chain and requires an
 * object there. *where gets the resolved node's pointer (malloc'd, caller
 * frees, only on success), so later locations name the real place. */
static mh_status deref_object(loader *L, const cJSON *node, const char *at, const char *what,
                              const cJSON **out, char **where)
{
    char *ptr = NULL;
    mh_status st = mh__ref_follow(L->sp->doc, node, at, out, &ptr, L->err);
    if (st != MH_OK)
        return st;
    if (!cJSON_IsObject(*out)) {
        st = spec_err(L, ptr, "%s must be an object", what);
        free(ptr);
        return st;
    }
    *where = ptr;
    return MH_OK;
}

static const char *find_bytes(const char *hay, size_t hlen, const char *needle, size_t from)
{
    size_t nlen = strlen(needle);
    for (size_t i = from; nlen && i + nlen <= hlen; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
            return hay + i;
    return NULL;
}

/* Offset just after the quoted key `quoted` followed by ':' at or after
 * from; (size_t)-1 when absent. */
static size_t find_key(const char *raw, size_t len, const char *quoted, size_t from)
{
    for (const char *p; (p = find_bytes(raw, len, quoted, from)) != NULL;) {
        size_t i = (size_t)(p - raw) + strlen(quoted);
        size_t j = i;
        while (j < len && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r'))
            j++;
        if (j < len && raw[j] == ':')
            return (size_t)(p - raw);
        from = i;
    }
    return (size_t)-1;
}

/* Offset of the first line at or after from whose first non-blank text is
 * the YAML key `key` (plain, 'single' or "double" quoted) followed by ':';
 * (size_t)-1 when absent. */
static size_t find_yaml_key(const char *raw, size_t len, const char *key, size_t from)
{
    size_t klen = strlen(key);
    for (size_t i = from; i < len;) {
        size_t j = i;
        while (j < len && raw[j] == ' ')
            j++;
        char q = j < len && (raw[j] == '\'' || raw[j] == '"') ? raw[j] : 0;
        size_t k = j + (q != 0);
        if (k + klen < len && memcmp(raw + k, key, klen) == 0) {
            size_t e = k + klen;
            if (q && e < len && raw[e] == q)
                e++;
            if (e < len && raw[e] == ':')
                return j;
        }
        const char *nl = memchr(raw + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - raw) + 1;
    }
    return (size_t)-1;
}

/* Line of the key "path" inside the "paths" object, by a textual scan (the
 * parsers keep no positions): a quoted JSON key, else a YAML key at the
 * start of a line. 0 when it cannot be found. */
static int path_line(const loader *L, const char *path)
{
    size_t at = (size_t)-1;
    size_t paths = find_key(L->raw, L->rawlen, "\"paths\"", 0);
    char *quoted = mh_json_quote(path);
    if (paths != (size_t)-1 && quoted)
        at = find_key(L->raw, L->rawlen, quoted, paths + 7);
    free(quoted);
    if (at == (size_t)-1 && (paths = find_yaml_key(L->raw, L->rawlen, "paths", 0)) != (size_t)-1)
        at = find_yaml_key(L->raw, L->rawlen, path, paths + 6);
    if (at == (size_t)-1)
        return 0;
    int line = 1;
    for (size_t i = 0; i < at; i++)
        line += L->raw[i] == '\n';
    return line;
}

static mh_status compile_schema(loader *L, const cJSON *node, const char *at, const mh_schema **out)
{
    return mh__schema_compile(L->sp->schemas, node, at, out, L->err);
}

/* ------------------------------------------------------------------ */
/* media, parameters, bodies, responses */

/* content: {"media/type": {schema}} -> array of mh_media in the arena. */
static mh_status load_content(loader *L, const cJSON *content, const char *at, const mh_media **out,
                              size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!content)
        return MH_OK;
    if (!cJSON_IsObject(content))
        return spec_err(L, at, "content must be an object%s", "");
    mh_media *m = arena_alloc(L->sp, (size_t)count_members(content) * sizeof *m);
    if (!m)
        return nomem(L);
    size_t n = 0;
    mh_status st = MH_OK;
    for (const cJSON *it = content->child; it && st == MH_OK; it = it->next) {
        char *mp = mh__jsonptr_append(at, it->string);
        if (!mp)
            return nomem(L);
        const cJSON *mt;
        char *where = NULL;
        st = deref_object(L, it, mp, "a media type object", &mt, &where);
        free(mp);
        const cJSON *schema = st == MH_OK ? mh_json_get(mt, "schema") : NULL;
        m[n].media_type = it->string;
        if (schema) {
            char *sp = mh__jsonptr_append(where, "schema");
            st = sp ? compile_schema(L, schema, sp, &m[n].schema) : nomem(L);
            free(sp);
        }
        free(where);
        n++;
    }
    *out = m;
    *count = n;
    return st;
}

/* The parameters in effect are an mh__buf of mh_param; these read it. */
static size_t param_count(const mh__buf *v)
{
    return v->len / sizeof(mh_param);
}

static mh_param *param_at(const mh__buf *v, size_t k)
{
    return (mh_param *)(void *)v->p + k;
}

static mh_status load_param_at(loader *L, const cJSON *obj, const char *at, mh_param *p)
{
    mh_status st;
    const cJSON *name = mh_json_get(obj, "name"), *in = mh_json_get(obj, "in");
    if (!cJSON_IsString(name) || !cJSON_IsString(in))
        return spec_err(L, at, "a parameter needs string \"name\" and \"in\"%s", "");
    p->name = name->valuestring;
    p->in = in->valuestring;
    p->required = cJSON_IsTrue(mh_json_get(obj, "required"));
    p->schema = NULL;
    const cJSON *schema = mh_json_get(obj, "schema");
    const char *key = "schema";
    const cJSON *content = mh_json_get(obj, "content");
    if (!schema && cJSON_IsObject(content) && content->child) {
        /* content form: the schema of its (single) media type */
        schema = mh_json_get(content->child, "schema");
        key = NULL;
    }
    if (!schema)
        return MH_OK;
    char *sp = key ? mh__jsonptr_append(at, key) : NULL;
    char *cp = key ? NULL : mh__jsonptr_append(at, "content");
    char *mp = cp ? mh__jsonptr_append(cp, content->child->string) : NULL;
    char *sp2 = mp ? mh__jsonptr_append(mp, "schema") : NULL;
    const char *where = key ? sp : sp2;
    st = where ? compile_schema(L, schema, where, &p->schema) : nomem(L);
    free(sp);
    free(cp);
    free(mp);
    free(sp2);
    return st;
}

static mh_status load_param(loader *L, const cJSON *node, const char *at, mh_param *p)
{
    const cJSON *obj;
    char *where = NULL;
    mh_status st = deref_object(L, node, at, "a parameter", &obj, &where);
    if (st != MH_OK)
        return st;
    st = load_param_at(L, obj, where, p);
    free(where);
    return st;
}

/* Adds the parameters of arr to v; a later (name, in) replaces an earlier. */
static mh_status load_params(loader *L, const cJSON *arr, const char *at, mh__buf *v)
{
    if (!arr)
        return MH_OK;
    if (!cJSON_IsArray(arr))
        return spec_err(L, at, "parameters must be an array%s", "");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char *pp = mh__jsonptr_append_index(at, i);
        if (!pp)
            return nomem(L);
        mh_param p;
        mh_status st = load_param(L, it, pp, &p);
        free(pp);
        if (st != MH_OK)
            return st;
        size_t k = 0, n = param_count(v);
        while (k < n && !(strcmp(param_at(v, k)->name, p.name) == 0 &&
                          strcmp(param_at(v, k)->in, p.in) == 0))
            k++;
        if (k < n) {
            *param_at(v, k) = p;
            continue;
        }
        mh__buf_add(v, &p, sizeof p);
        if (v->failed)
            return nomem(L);
    }
    return MH_OK;
}

static mh_status load_body(loader *L, const cJSON *node, const char *at, mh_operation *op)
{
    if (!node)
        return MH_OK;
    const cJSON *rb;
    char *where = NULL;
    mh_status st = deref_object(L, node, at, "requestBody", &rb, &where);
    if (st != MH_OK)
        return st;
    op->body_required = cJSON_IsTrue(mh_json_get(rb, "required"));
    char *cp = mh__jsonptr_append(where, "content");
    free(where);
    if (!cp)
        return nomem(L);
    st = load_content(L, mh_json_get(rb, "content"), cp, &op->body, &op->body_count);
    free(cp);
    return st;
}

static mh_status load_response(loader *L, const cJSON *node, const char *at, mh_response *r)
{
    const cJSON *obj;
    char *where = NULL;
    mh_status st = deref_object(L, node, at, "a response", &obj, &where);
    if (st != MH_OK)
        return st;
    r->status = node->string;
    const cJSON *d = mh_json_get(obj, "description");
    r->description = cJSON_IsString(d) ? d->valuestring : "";
    char *cp = mh__jsonptr_append(where, "content");
    free(where);
    if (!cp)
        return nomem(L);
    st = load_content(L, mh_json_get(obj, "content"), cp, &r->media, &r->media_count);
    free(cp);
    return st;
}

static mh_status load_responses(loader *L, const cJSON *resps, const char *at, mh_operation *op)
{
    if (!cJSON_IsObject(resps) || !resps->child)
        return spec_err(L, at, "an operation needs a non-empty \"responses\" object%s", "");
    mh_response *r = arena_alloc(L->sp, (size_t)count_members(resps) * sizeof *r);
    if (!r)
        return nomem(L);
    op->responses = r;
    for (const cJSON *it = resps->child; it; it = it->next) {
        char *rp = mh__jsonptr_append(at, it->string);
        if (!rp)
            return nomem(L);
        mh_status st = load_response(L, it, rp, &r[op->response_count]);
        free(rp);
        if (st != MH_OK)
            return st;
        op->response_count++;
    }
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* security */

static mh_status scheme_is_bearer(loader *L, const char *name, const char *at, int *bearer)
{
    const cJSON *schemes = mh_json_get(mh_json_get(L->sp->doc, "components"), "securitySchemes");
    const cJSON *node = mh_json_get(schemes, name);
    if (!node) {
        mh_error_set(L->err, MH_ERR_SPEC, "security requirement names unknown scheme \"%s\"", name);
        mh_error_at_pointer(L->err, at);
        return MH_ERR_SPEC;
    }
    char *sp = mh__jsonptr_append("/components/securitySchemes", name);
    if (!sp)
        return nomem(L);
    const cJSON *obj;
    char *where = NULL;
    mh_status st = deref_object(L, node, sp, "a security scheme", &obj, &where);
    free(sp);
    free(where);
    if (st != MH_OK)
        return st;
    const cJSON *type = mh_json_get(obj, "type"), *scheme = mh_json_get(obj, "scheme");
    if (cJSON_IsString(type) && strcmp(type->valuestring, "http") == 0 && cJSON_IsString(scheme) &&
        strcasecmp(scheme->valuestring, "bearer") == 0)
        *bearer = 1;
    return MH_OK;
}

/* The effective security: the operation's own list overrides the top level. */
static mh_status load_security(loader *L, const cJSON *opnode, const char *opat, mh_operation *op)
{
    const cJSON *sec = mh_json_get(opnode, "security");
    char *at = sec ? mh__jsonptr_append(opat, "security") : strdup("/security");
    if (!at)
        return nomem(L);
    if (!sec)
        sec = mh_json_get(L->sp->doc, "security");
    mh_status st = MH_OK;
    if (sec && !cJSON_IsArray(sec))
        st = spec_err(L, at, "security must be an array%s", "");
    for (const cJSON *req = sec ? sec->child : NULL; req && st == MH_OK; req = req->next) {
        if (!cJSON_IsObject(req)) {
            st = spec_err(L, at, "a security requirement must be an object%s", "");
            break;
        }
        for (const cJSON *s = req->child; s && st == MH_OK; s = s->next)
            st = scheme_is_bearer(L, s->string, at, &op->bearer_auth);
    }
    free(at);
    return st;
}

/* ------------------------------------------------------------------ */
/* operations and paths */

static int is_http_method(const char *k)
{
    for (size_t i = 0; i < sizeof http_methods / sizeof http_methods[0]; i++)
        if (strcmp(k, http_methods[i]) == 0)
            return 1;
    return 0;
}

/* A zeroed operation at the end of the list, not yet counted: the loader
 * commits it (mh__buf_commit) once it is complete. NULL on out-of-memory. */
static mh_operation *new_operation(loader *L)
{
    mh_operation *op = (mh_operation *)(void *)mh__buf_reserve(&L->sp->ops, sizeof *op);
    if (op)
        memset(op, 0, sizeof *op);
    return op;
}

/* op->tags: the operation's string tags, in document order (others are
 * ignored: a tag is only a selector). */
static mh_status name_tags(loader *L, const cJSON *opnode, mh_operation *op)
{
    const cJSON *tags = mh_json_get(opnode, "tags");
    size_t n = 0;
    for (const cJSON *t = cJSON_IsArray(tags) ? tags->child : NULL; t; t = t->next)
        n += cJSON_IsString(t);
    if (n == 0)
        return MH_OK;
    const char **list = arena_alloc(L->sp, n * sizeof *list);
    if (!list)
        return nomem(L);
    for (const cJSON *t = tags->child; t; t = t->next)
        if (cJSON_IsString(t))
            list[op->tag_count++] = t->valuestring;
    op->tags = list;
    return MH_OK;
}

/* Fills op's method (upper case), id ("GET /path"), path, operationId, tags,
 * its node and the line of its path in the document. */
static mh_status name_operation(loader *L, const char *path, const cJSON *opnode, mh_operation *op)
{
    char method[16];
    size_t i = 0;
    for (; opnode->string[i] && i + 1 < sizeof method; i++)
        method[i] = (char)toupper((unsigned char)opnode->string[i]);
    method[i] = '\0';
    size_t idlen = strlen(method) + 1 + strlen(path) + 1;
    char *id = arena_alloc(L->sp, idlen);
    op->method = arena_strdup(L->sp, method);
    if (!id || !op->method)
        return nomem(L);
    snprintf(id, idlen, "%s %s", method, path);
    op->id = id;
    op->path = path;
    const cJSON *oid = mh_json_get(opnode, "operationId");
    op->operation_id = cJSON_IsString(oid) ? oid->valuestring : NULL;
    op->path_line = path_line(L, path);
    op->node = opnode;
    return name_tags(L, opnode, op);
}

/* Gives op a copy, in the arena, of the parameters in effect. */
static mh_status set_params(loader *L, const mh__buf *params, mh_operation *op)
{
    size_t n = param_count(params);
    mh_param *copy = arena_alloc(L->sp, n * sizeof *copy);
    if (!copy)
        return nomem(L);
    if (n)
        memcpy(copy, params->p, n * sizeof *copy);
    op->params = copy;
    op->param_count = n;
    return MH_OK;
}

/* An operation that cannot be used stays in the list, emptied, with the
 * reason and the JSON pointer of the cause (from L->err, which is cleared):
 * one bad operation does not make the whole document unusable. */
static mh_status keep_unusable(loader *L, const char *path, const cJSON *opnode, mh_operation *op)
{
    const char *file = NULL;
    if (L->err)
        mh__bundle_rename(&L->sp->bundle, L->err->message, sizeof L->err->message);
    const char *ptr = mh__bundle_locate(&L->sp->bundle, L->err ? L->err->pointer : "", &file);
    char *reason = arena_strdup(L->sp, L->err ? L->err->message : "unusable");
    char *where = arena_strdup(L->sp, ptr ? ptr : "");
    char *in_file = file ? arena_strdup(L->sp, file) : NULL;
    memset(op, 0, sizeof *op);
    mh_error_clear(L->err);
    mh_status st = name_operation(L, path, opnode, op);
    if (st != MH_OK || !reason || !where || (file && !in_file))
        return st != MH_OK ? st : nomem(L);
    op->skip_reason = reason;
    op->skip_pointer = where;
    op->skip_file = in_file;
    return MH_OK;
}

/* Loads the operation opnode (at pointer at) of path and adds it to the
 * spec: complete, or marked unusable (keep_unusable) when its own content is
 * broken. pv holds the path's parameters: the
 * operation's are added to it (replacing one with the same name and in) and
 * cut off again afterwards. A replaced path parameter stays replaced for the
 * path's later operations. */
static mh_status load_operation(loader *L, const char *path, const cJSON *opnode, const char *at,
                                mh__buf *pv)
{
    if (!cJSON_IsObject(opnode))
        return spec_err(L, at, "an operation must be an object%s", "");
    mh_operation *op = new_operation(L);
    if (!op)
        return nomem(L);
    mh_status st = name_operation(L, path, opnode, op);
    if (st != MH_OK)
        return st;
    char *pp = mh__jsonptr_append(at, "parameters");
    char *bp = mh__jsonptr_append(at, "requestBody");
    char *rp = mh__jsonptr_append(at, "responses");
    st = (!pp || !bp || !rp) ? nomem(L) : MH_OK;
    size_t inherited = pv->len;
    if (st == MH_OK)
        st = load_params(L, mh_json_get(opnode, "parameters"), pp, pv);
    if (st == MH_OK)
        st = load_body(L, mh_json_get(opnode, "requestBody"), bp, op);
    if (st == MH_OK)
        st = load_responses(L, mh_json_get(opnode, "responses"), rp, op);
    if (st == MH_OK)
        st = load_security(L, opnode, at, op);
    if (st == MH_OK)
        st = set_params(L, pv, op);
    if (st == MH_ERR_SPEC || st == MH_ERR_REF) {
        if (L->first_skip == MH_OK)
            L->first_skip = st;
        st = keep_unusable(L, path, opnode, op);
    } else if (st == MH_OK)
        L->sp->usable++;
    if (st == MH_OK)
        mh__buf_commit(&L->sp->ops, sizeof *op);
    /* The next operation starts from the path's own list: a shorter len
     * drops the bytes after it (only appends follow, which overwrite them). */
    pv->len = inherited;
    free(pp);
    free(bp);
    free(rp);
    return st;
}

/* Records "GET, POST" (the methods path declares, upper case) for path. */
static mh_status add_path_methods(loader *L, const char *path, const cJSON *item)
{
    mh_spec *sp = L->sp;
    path_methods *pm = (path_methods *)(void *)mh__buf_reserve(&sp->pm, sizeof *pm);
    char *m = pm ? arena_alloc(sp, 8 * 10) : NULL;
    if (!m)
        return nomem(L);
    for (const cJSON *it = item->child; it; it = it->next) {
        if (!is_http_method(it->string))
            continue;
        if (*m)
            strcat(m, ", ");
        size_t o = strlen(m);
        for (const char *c = it->string; *c; c++)
            m[o++] = (char)toupper((unsigned char)*c);
        m[o] = '\0';
    }
    pm->path = path;
    pm->methods = m;
    mh__buf_commit(&sp->pm, sizeof *pm);
    return MH_OK;
}

static mh_status load_path(loader *L, const cJSON *entry, const char *ref_at)
{
    const cJSON *item;
    char *at = NULL;
    mh_status st = deref_object(L, entry, ref_at, "a path item", &item, &at);
    if (st != MH_OK)
        return st;
    const char *path = entry->string;
    mh__buf pv = MH__BUF_INIT; /* mh_param[]: the path item's own parameters */
    char *pp = mh__jsonptr_append(at, "parameters");
    st = pp ? load_params(L, mh_json_get(item, "parameters"), pp, &pv) : nomem(L);
    free(pp);
    for (const cJSON *it = item->child; it && st == MH_OK; it = it->next) {
        if (!is_http_method(it->string))
            continue;
        char *op_ptr = mh__jsonptr_append(at, it->string);
        st = op_ptr ? load_operation(L, path, it, op_ptr, &pv) : nomem(L);
        free(op_ptr);
    }
    mh__buf_free(&pv);
    free(at);
    if (st == MH_OK)
        st = add_path_methods(L, path, item);
    return st;
}

static mh_status load_paths(loader *L)
{
    const cJSON *paths = mh_json_get(L->sp->doc, "paths");
    if (!cJSON_IsObject(paths))
        return spec_err(L, "/paths", "missing \"paths\" object%s", "");
    for (const cJSON *it = paths->child; it; it = it->next) {
        char *at = mh__jsonptr_append("/paths", it->string);
        if (!at)
            return nomem(L);
        mh_status st = load_path(L, it, at);
        free(at);
        if (st != MH_OK)
            return st;
    }
    return MH_OK;
}

/* Compiles every components/schemas entry, so a broken schema is reported
 * at load even when no operation uses it. */
static mh_status load_component_schemas(loader *L)
{
    const cJSON *schemas = mh_json_get(mh_json_get(L->sp->doc, "components"), "schemas");
    if (!schemas)
        return MH_OK;
    if (!cJSON_IsObject(schemas))
        return spec_err(L, "/components/schemas", "components/schemas must be an object%s", "");
    for (const cJSON *it = schemas->child; it; it = it->next) {
        char *at = mh__jsonptr_append("/components/schemas", it->string);
        if (!at)
            return nomem(L);
        const mh_schema *s;
        mh_status st = compile_schema(L, it, at, &s);
        free(at);
        if (st != MH_OK)
            return st;
    }
    return MH_OK;
}

/* The minor version of "3.<minor>" or "3.<minor>.<patch>" (digits only),
 * or -1. */
static int version_minor(const char *v)
{
    if (strncmp(v, "3.", 2) != 0 || !isdigit((unsigned char)v[2]))
        return -1;
    char *end;
    long minor = strtol(v + 2, &end, 10);
    if (*end == '.') {
        if (!isdigit((unsigned char)end[1]))
            return -1;
        for (const char *p = end + 1; *p; p++)
            if (!isdigit((unsigned char)*p))
                return -1;
    } else if (*end)
        return -1;
    return minor > 1 ? -1 : (int)minor;
}

static mh_status check_version(loader *L)
{
    const cJSON *doc = L->sp->doc;
    if (!cJSON_IsObject(doc))
        return spec_err(L, "", "the document must be an object (a mapping)%s", "");
    const cJSON *v = mh_json_get(doc, "openapi");
    if (!v) {
        const cJSON *sw = mh_json_get(doc, "swagger");
        if (sw)
            return spec_err(L, "/swagger",
                            "a Swagger %s document: manta-harness reads OpenAPI 3.0.x and 3.1.x "
                            "(convert it first, e.g. with swagger2openapi)",
                            cJSON_IsString(sw) ? sw->valuestring : "2.0");
        return spec_err(L, "/openapi",
                        "missing \"openapi\" version: not an OpenAPI 3.0.x or 3.1.x document%s",
                        "");
    }
    if (!cJSON_IsString(v))
        return spec_err(L, "/openapi",
                        "\"openapi\" must be a version string like \"3.0.3\" or \"3.1.0\"%s", "");
    L->sp->minor = version_minor(v->valuestring);
    if (L->sp->minor < 0)
        return spec_err(L, "/openapi", "unsupported OpenAPI version \"%s\": need 3.0.x or 3.1.x",
                        v->valuestring);
    return MH_OK;
}

static void load_servers(loader *L)
{
    const cJSON *servers = mh_json_get(L->sp->doc, "servers");
    const cJSON *first = cJSON_IsArray(servers) ? servers->child : NULL;
    const cJSON *url = mh_json_get(first, "url");
    L->sp->server_url = cJSON_IsString(url) ? url->valuestring : NULL;
}

static mh_status load_document(loader *L)
{
    mh_status st;
    L->sp->schemas = mh__schema_set_new(L->sp->doc);
    if (!L->sp->schemas)
        return nomem(L);
    if ((st = load_component_schemas(L)) != MH_OK || (st = load_paths(L)) != MH_OK)
        return st;
    if (op_count(L->sp) > 0 && L->sp->usable == 0) { /* nothing testable: say why */
        const mh_operation *first = op_at(L->sp, 0);
        mh_error_set(L->err, L->first_skip, "no operation can be tested: %s: %s", first->id,
                     first->skip_reason);
        mh_error_at_pointer(L->err, first->skip_pointer);
        if (first->skip_file)
            mh_error_at_file(L->err, first->skip_file, 0, 0, -1);
        return L->first_skip;
    }
    if ((st = mh__schema_set_check_cycles(L->sp->schemas, L->err)) != MH_OK)
        return st;
    load_servers(L);
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* public API */

/* Points err at the file that holds its pointer: the root document, or a
 * file a $ref pulled in (its pointer then starts inside that file). */
static void locate_error(const mh_spec *sp, mh_error *err)
{
    if (!err)
        return;
    mh__bundle_rename(&sp->bundle, err->message, sizeof err->message);
    if (err->file[0])
        return;
    const char *file = NULL;
    const char *rest = mh__bundle_locate(&sp->bundle, err->pointer, &file);
    if (file) {
        char tail[sizeof err->pointer];
        snprintf(tail, sizeof tail, "%s", rest);
        mh_error_at_pointer(err, tail);
    }
    mh_error_at_file(err, file ? file : sp->name, 0, 0, -1);
}

/* Parses (JSON or YAML), checks the version, bundles external $refs and
 * loads everything. */
static mh_status load_text(mh_spec *sp, const char *buf, size_t len, const char *path,
                           mh_error *err)
{
    mh_status st = mh_document_parse(buf, len, sp->name, &sp->doc, err);
    if (st != MH_OK)
        return st;
    loader L = {sp, buf, len, err, MH_OK};
    if ((st = check_version(&L)) != MH_OK)
        return st;
    if ((st = mh__bundle(sp->doc, path, &sp->bundle, err)) != MH_OK)
        return st;
    return load_document(&L);
}

mh_status mh_spec_load_buffer(const char *buf, size_t len, const char *name, mh_spec **out,
                              mh_error *err)
{
    *out = NULL;
    mh_error_clear(err);
    mh_spec *sp = calloc(1, sizeof *sp);
    if (!sp || !(sp->name = strdup(name ? name : "<buffer>"))) {
        free(sp);
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    mh_status st = load_text(sp, buf, len, name, err);
    if (st != MH_OK) {
        locate_error(sp, err);
        mh_spec_free(sp);
        return st;
    }
    *out = sp;
    return MH_OK;
}

mh_status mh_spec_load(const char *path, mh_spec **out, mh_error *err)
{
    *out = NULL;
    mh_error_clear(err);
    char *buf = NULL;
    size_t len = 0;
    mh_status st = mh_file_read(path, MH_FILE_NO_LIMIT, &buf, &len, err);
    if (st == MH_ERR_NOMEM)
        return st;
    if (st != MH_OK) {
        /* The location names the file, so the message need not. */
        mh_error_set(err, MH_ERR_IO, "cannot read spec: %s", strerror(errno));
        mh_error_at_file(err, path, 0, 0, -1);
        return MH_ERR_IO;
    }
    st = mh_spec_load_buffer(buf, len, path, out, err);
    free(buf);
    return st;
}

void mh_spec_free(mh_spec *spec)
{
    if (!spec)
        return;
    mh__schema_set_free(spec->schemas);
    arena_free(spec);
    mh__buf_free(&spec->ops);
    mh__buf_free(&spec->pm);
    mh__bundle_files_free(&spec->bundle);
    cJSON_Delete(spec->doc);
    free(spec->name);
    free(spec);
}

int mh_spec_openapi_minor(const mh_spec *spec)
{
    return spec->minor;
}

const char *mh_spec_name(const mh_spec *spec)
{
    return spec->name;
}

const cJSON *mh_spec_document(const mh_spec *spec)
{
    return spec->doc;
}

const char *mh_spec_server_url(const mh_spec *spec)
{
    return spec->server_url;
}

size_t mh_spec_operation_count(const mh_spec *spec)
{
    return op_count(spec);
}

const mh_operation *mh_spec_operation(const mh_spec *spec, size_t i)
{
    return i < op_count(spec) ? op_at(spec, i) : NULL;
}

/* "a, b, c" of the operation ids, for error messages: whole ids only,
 * ending with "and N more" when they do not all fit in buf. */
static void known_ids(const mh_spec *spec, char *buf, size_t n)
{
    size_t used = 0, total = op_count(spec), shown = 0;
    buf[0] = '\0';
    for (; shown < total; shown++) {
        const char *id = op_at(spec, shown)->id;
        size_t need = strlen(id) + (shown ? 2 : 0);
        if (used + need + 24 >= n) /* keep room for the "and N more" tail */
            break;
        used += (size_t)snprintf(buf + used, n - used, "%s%s", shown ? ", " : "", id);
    }
    if (shown < total)
        snprintf(buf + used, n - used, "%sand %zu more", shown ? ", " : "", total - shown);
}

/* 1 when sel names op: by "METHOD /path" (method case-insensitive, path
 * exact) when by_id, else by its operationId (exact). */
static int selects(const mh_operation *op, const char *sel, int by_id)
{
    if (!by_id)
        return op->operation_id && strcmp(op->operation_id, sel) == 0;
    const char *sp = strchr(sel, ' ');
    if (!sp)
        return 0;
    size_t mlen = (size_t)(sp - sel);
    return strlen(op->method) == mlen && strncasecmp(op->method, sel, mlen) == 0 &&
           strcmp(op->path, sp + 1) == 0;
}

const mh_operation *mh_spec_find_operation(const mh_spec *spec, const char *id, mh_error *err)
{
    /* "METHOD /path" first: an operationId could spell another's id. */
    for (size_t k = 0; k < 2 * op_count(spec); k++) {
        const mh_operation *op = op_at(spec, k % op_count(spec));
        if (!selects(op, id, k < op_count(spec)))
            continue;
        if (op->skip_reason) {
            mh_error_set(err, MH_ERR_SPEC, "operation \"%s\" cannot be tested: %s", op->id,
                         op->skip_reason);
            mh_error_at_pointer(err, op->skip_pointer);
            if (op->skip_file)
                mh_error_at_file(err, op->skip_file, 0, 0, -1);
            return NULL;
        }
        return op;
    }
    char known[360]; /* with the rest, fits mh_error's message: never cut mid-name */
    known_ids(spec, known, sizeof known);
    mh_error_set(err, MH_ERR_NOTFOUND, "unknown operation \"%.100s\" (known: %s)", id,
                 known[0] ? known : "none");
    return NULL;
}

const char *mh_spec_path_methods(const mh_spec *spec, const char *path)
{
    for (size_t i = 0; i < pm_count(spec); i++)
        if (strcmp(pm_at(spec, i)->path, path) == 0)
            return pm_at(spec, i)->methods;
    return NULL;
}

const mh_schema *mh_spec_schema(const mh_spec *spec, const char *name, mh_error *err)
{
    const cJSON *schemas = mh_json_get(mh_json_get(spec->doc, "components"), "schemas");
    const cJSON *node = mh_json_get(schemas, name);
    const mh_schema *s = NULL;
    if (node) {
        char *at = mh__jsonptr_append("/components/schemas", name);
        /* Already compiled at load: this is a memo lookup, nothing changes. */
        if (at && mh__schema_compile(spec->schemas, node, at, &s, err) != MH_OK)
            s = NULL;
        free(at);
        return s;
    }
    char known[400];
    size_t used = 0;
    known[0] = '\0';
    for (const cJSON *it = schemas ? schemas->child : NULL; it && used + 1 < sizeof known;
         it = it->next) {
        int k = snprintf(known + used, sizeof known - used, "%s%s", used ? ", " : "", it->string);
        if (k > 0)
            used += (size_t)k;
    }
    mh_error_set(err, MH_ERR_NOTFOUND, "unknown schema \"%s\" (known: %s)", name,
                 known[0] ? known : "none");
    char *at = mh__jsonptr_append("/components/schemas", name);
    mh_error_at_pointer(err, at);
    free(at);
    return NULL;
}

const cJSON *mh_spec_deref(const mh_spec *spec, const cJSON *node)
{
    const cJSON *t = NULL;
    if (!node || mh__ref_follow(spec->doc, node, "", &t, NULL, NULL) != MH_OK)
        return NULL;
    return t;
}

const mh_response *mh_operation_response(const mh_operation *op, int status)
{
    char code[16];
    snprintf(code, sizeof code, "%d", status);
    for (size_t i = 0; i < op->response_count; i++)
        if (strcmp(op->responses[i].status, code) == 0)
            return &op->responses[i];
    if (status >= 100 && status <= 599) {
        for (size_t i = 0; i < op->response_count; i++) {
            const char *s = op->responses[i].status;
            if (strlen(s) == 3 && s[0] == '0' + status / 100 &&
                toupper((unsigned char)s[1]) == 'X' && toupper((unsigned char)s[2]) == 'X')
                return &op->responses[i];
        }
    }
    for (size_t i = 0; i < op->response_count; i++)
        if (strcmp(op->responses[i].status, "default") == 0)
            return &op->responses[i];
    return NULL;
}

/* Bounds of the type/subtype part of a media type: whitespace trimmed,
 * parameters dropped. */
static void media_essence(const char *s, const char **start, size_t *len)
{
    while (*s == ' ' || *s == '\t')
        s++;
    const char *e = s;
    while (*e && *e != ';')
        e++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *start = s;
    *len = (size_t)(e - s);
}

const mh_media *mh_response_media(const mh_response *r, const char *content_type)
{
    if (!r || !content_type)
        return NULL;
    const char *ct;
    size_t ctlen;
    media_essence(content_type, &ct, &ctlen);
    const char *slash = memchr(ct, '/', ctlen);
    size_t typelen = slash ? (size_t)(slash - ct) : 0;
    const mh_media *range = NULL, *any = NULL;
    for (size_t i = 0; i < r->media_count; i++) {
        const char *m;
        size_t mlen;
        media_essence(r->media[i].media_type, &m, &mlen);
        if (mlen == ctlen && ctlen && strncasecmp(m, ct, ctlen) == 0)
            return &r->media[i];
        if (!slash || !typelen)
            continue; /* wildcards only cover a real type/subtype */
        if (mlen == 3 && strncmp(m, "*/*", 3) == 0)
            any = any ? any : &r->media[i];
        else if (mlen == typelen + 2 && strncasecmp(m, ct, typelen) == 0 &&
                 strncmp(m + typelen, "/*", 2) == 0)
            range = range ? range : &r->media[i];
    }
    return range ? range : any;
}
