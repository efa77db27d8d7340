/* spec.c — load an OpenAPI 3.0.x or 3.1.x document (JSON or YAML) into
 * operations with compiled schemas.
 *
 * Everything the accessors hand out lives in the mh_spec: strings either
 * point into the parsed document or were copied into the spec's arena, and
 * schemas belong to its schema set. One free releases it all.
 */
#include "manta/spec.h"

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
#include "spec/spec_int.h"
#include "util/buf.h"
#include "util/jsonptr.h"

/* Short names for the private types (spec_int.h). */
typedef mh__loader loader;
typedef mh__path_methods path_methods;

static const char *const http_methods[] = {"get",     "put",  "post",  "delete",
                                           "options", "head", "patch", "trace"};

/* ------------------------------------------------------------------ */
/* the arrays */

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

/* ------------------------------------------------------------------ */
/* where a path is written (lines) */

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
static int path_line(loader *L, const char *path)
{
    if (L->from == 0) { /* first call: find the "paths" key once */
        size_t paths = find_key(L->raw, L->rawlen, "\"paths\"", 0);
        if (paths == (size_t)-1 &&
            (paths = find_yaml_key(L->raw, L->rawlen, "paths", 0)) != (size_t)-1)
            L->yaml_keys = 1;
        L->from = paths == (size_t)-1 ? L->rawlen : paths + 6;
    }
    size_t at = (size_t)-1;
    if (L->yaml_keys)
        at = find_yaml_key(L->raw, L->rawlen, path, L->from);
    else {
        char *quoted = mh_json_quote(path);
        if (quoted)
            at = find_key(L->raw, L->rawlen, quoted, L->from);
        free(quoted);
    }
    if (at == (size_t)-1)
        return 0;
    L->from = at;
    if (at < L->line_at || L->line_no == 0) {
        L->line_at = 0;
        L->line_no = 1;
    }
    for (size_t i = L->line_at; i < at; i++)
        L->line_no += L->raw[i] == '\n';
    L->line_at = at;
    return L->line_no;
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
    const char **list = mh__spec_alloc(L->sp, n * sizeof *list);
    if (!list)
        return mh__spec_nomem(L);
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
    char *id = mh__spec_alloc(L->sp, idlen);
    op->method = mh__spec_strdup(L->sp, method);
    if (!id || !op->method)
        return mh__spec_nomem(L);
    snprintf(id, idlen, "%s %s", method, path);
    op->id = id;
    op->path = path;
    const cJSON *oid = mh_json_get(opnode, "operationId");
    op->operation_id = cJSON_IsString(oid) ? oid->valuestring : NULL;
    op->path_line = path_line(L, path);
    op->node = opnode;
    return name_tags(L, opnode, op);
}

/* Gives op, in the arena, the parameters in effect: the path's (inherited,
 * an mh_param[] buffer) with the operation's own (opnode's "parameters" at
 * pointer pp) merged in. The merge happens in a copy: an operation that
 * replaces a path parameter replaces it for itself only. */
static mh_status set_params(loader *L, const mh__buf *inherited, const cJSON *opnode,
                            const char *pp, mh_operation *op)
{
    mh__buf own = MH__BUF_INIT;
    if (inherited->len)
        mh__buf_add(&own, inherited->p, inherited->len);
    mh_status st = own.failed ? mh__spec_nomem(L) : MH_OK;
    if (st == MH_OK)
        st = mh__spec_load_params(L, mh_json_get(opnode, "parameters"), pp, &own);
    size_t n = own.len / sizeof(mh_param);
    mh_param *copy = st == MH_OK ? mh__spec_alloc(L->sp, n * sizeof *copy) : NULL;
    if (st == MH_OK && !copy)
        st = mh__spec_nomem(L);
    if (st == MH_OK && n)
        memcpy(copy, own.p, n * sizeof *copy);
    mh__buf_free(&own);
    op->params = copy;
    op->param_count = st == MH_OK ? n : 0;
    return st;
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
    char *reason = mh__spec_strdup(L->sp, L->err ? L->err->message : "unusable");
    char *where = mh__spec_strdup(L->sp, ptr ? ptr : "");
    char *in_file = file ? mh__spec_strdup(L->sp, file) : NULL;
    memset(op, 0, sizeof *op);
    mh_error_clear(L->err);
    mh_status st = name_operation(L, path, opnode, op);
    if (st != MH_OK || !reason || !where || (file && !in_file))
        return st != MH_OK ? st : mh__spec_nomem(L);
    op->skip_reason = reason;
    op->skip_pointer = where;
    op->skip_file = in_file;
    return MH_OK;
}

/* What a path item gives each of its operations: its parameters, or why
 * they cannot be used (then every operation of the path is unusable). */
typedef struct {
    const char *path;
    mh__buf params;   /* mh_param[]: the path item's own parameters */
    mh_status status; /* MH_OK, or the error of the path's parameters ... */
    mh_error err;     /* ... with its message and pointer */
} path_ctx;

/* The parts of op (opnode at pointer at): parameters merged with the
 * path's, body, responses and security. */
static mh_status load_parts(loader *L, const path_ctx *pc, const cJSON *opnode, const char *at,
                            mh_operation *op)
{
    char *pp = mh__jsonptr_append(at, "parameters");
    char *bp = mh__jsonptr_append(at, "requestBody");
    char *rp = mh__jsonptr_append(at, "responses");
    mh_status st = (!pp || !bp || !rp) ? mh__spec_nomem(L) : MH_OK;
    if (st == MH_OK)
        st = set_params(L, &pc->params, opnode, pp, op);
    if (st == MH_OK)
        st = mh__spec_load_body(L, mh_json_get(opnode, "requestBody"), bp, op);
    if (st == MH_OK)
        st = mh__spec_load_responses(L, mh_json_get(opnode, "responses"), rp, op);
    if (st == MH_OK)
        st = mh__spec_load_security(L, opnode, at, op);
    free(pp);
    free(bp);
    free(rp);
    return st;
}

/* Loads the operation opnode (at pointer at) of the path pc and adds it to
 * the spec: complete, or marked unusable (keep_unusable) when its own
 * content, or its path's parameters, are broken. */
static mh_status load_operation(loader *L, const path_ctx *pc, const cJSON *opnode, const char *at)
{
    if (!cJSON_IsObject(opnode))
        return mh__spec_err(L, at, "an operation must be an object%s", "");
    mh_operation *op = new_operation(L);
    if (!op)
        return mh__spec_nomem(L);
    mh_status st = name_operation(L, pc->path, opnode, op);
    if (st != MH_OK)
        return st;
    st = pc->status;
    if (st != MH_OK && L->err)
        *L->err = pc->err;
    if (st == MH_OK)
        st = load_parts(L, pc, opnode, at, op);
    if (st == MH_ERR_SPEC || st == MH_ERR_REF) {
        if (L->first_skip == MH_OK)
            L->first_skip = st;
        st = keep_unusable(L, pc->path, opnode, op);
    } else if (st == MH_OK)
        L->sp->usable++;
    if (st == MH_OK)
        mh__buf_commit(&L->sp->ops, sizeof *op);
    return st;
}

/* Records "GET, POST" (the methods path declares, upper case) for path. */
static mh_status add_path_methods(loader *L, const char *path, const cJSON *item)
{
    mh_spec *sp = L->sp;
    path_methods *pm = (path_methods *)(void *)mh__buf_reserve(&sp->pm, sizeof *pm);
    char *m = pm ? mh__spec_alloc(sp, 8 * 10) : NULL;
    if (!m)
        return mh__spec_nomem(L);
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

/* The path item's own parameters into pc: an error there is kept in pc
 * (each operation of the path is then unusable with it); only
 * out-of-memory fails. */
static mh_status load_path_params(loader *L, const cJSON *item, const char *at, path_ctx *pc)
{
    char *pp = mh__jsonptr_append(at, "parameters");
    if (!pp)
        return mh__spec_nomem(L);
    loader quiet = *L;
    quiet.err = &pc->err;
    pc->status = mh__spec_load_params(&quiet, mh_json_get(item, "parameters"), pp, &pc->params);
    free(pp);
    return pc->status == MH_ERR_NOMEM ? mh__spec_nomem(L) : MH_OK;
}

static mh_status load_path(loader *L, const cJSON *entry, const char *ref_at)
{
    const cJSON *item;
    char *at = NULL;
    mh_status st = mh__spec_deref_object(L, entry, ref_at, "a path item", &item, &at);
    if (st != MH_OK)
        return st;
    path_ctx pc = {entry->string, MH__BUF_INIT, MH_OK, {0}};
    mh_error_clear(&pc.err);
    st = load_path_params(L, item, at, &pc);
    for (const cJSON *it = item->child; it && st == MH_OK; it = it->next) {
        if (!is_http_method(it->string))
            continue;
        char *op_ptr = mh__jsonptr_append(at, it->string);
        st = op_ptr ? load_operation(L, &pc, it, op_ptr) : mh__spec_nomem(L);
        free(op_ptr);
    }
    mh__buf_free(&pc.params);
    free(at);
    if (st == MH_OK)
        st = add_path_methods(L, entry->string, item);
    return st;
}

static mh_status load_paths(loader *L)
{
    const cJSON *paths = mh_json_get(L->sp->doc, "paths");
    if (!cJSON_IsObject(paths))
        return mh__spec_err(L, "/paths", "missing \"paths\" object%s", "");
    for (const cJSON *it = paths->child; it; it = it->next) {
        char *at = mh__jsonptr_append("/paths", it->string);
        if (!at)
            return mh__spec_nomem(L);
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
        return mh__spec_err(L, "/components/schemas", "components/schemas must be an object%s", "");
    for (const cJSON *it = schemas->child; it; it = it->next) {
        char *at = mh__jsonptr_append("/components/schemas", it->string);
        if (!at)
            return mh__spec_nomem(L);
        const mh_schema *s;
        mh_status st = mh__spec_compile(L, it, at, &s);
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
        return mh__spec_err(L, "", "the document must be an object (a mapping)%s", "");
    const cJSON *v = mh_json_get(doc, "openapi");
    if (!v) {
        const cJSON *sw = mh_json_get(doc, "swagger");
        if (sw)
            return mh__spec_err(
                L, "/swagger",
                "a Swagger %s document: manta-harness reads OpenAPI 3.0.x and 3.1.x "
                "(convert it first, e.g. with swagger2openapi)",
                cJSON_IsString(sw) ? sw->valuestring : "2.0");
        return mh__spec_err(L, "/openapi",
                            "missing \"openapi\" version: not an OpenAPI 3.0.x or 3.1.x document%s",
                            "");
    }
    if (!cJSON_IsString(v))
        return mh__spec_err(L, "/openapi",
                            "\"openapi\" must be a version string like \"3.0.3\" or \"3.1.0\"%s",
                            "");
    L->sp->minor = version_minor(v->valuestring);
    if (L->sp->minor < 0)
        return mh__spec_err(L, "/openapi",
                            "unsupported OpenAPI version \"%s\": need 3.0.x or 3.1.x",
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
    L->sp->schemas =
        mh__schema_set_new(L->sp->doc, L->sp->minor >= 1 ? MH__DIALECT_OAS31 : MH__DIALECT_OAS30);
    if (!L->sp->schemas)
        return mh__spec_nomem(L);
    if ((st = load_component_schemas(L)) != MH_OK || (st = mh__spec_load_schemes(L)) != MH_OK ||
        (st = load_paths(L)) != MH_OK)
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
                           mh_spec_fetch_fn fetch, void *ctx, mh_error *err)
{
    mh_status st = mh_document_parse(buf, len, sp->name, &sp->doc, err);
    if (st != MH_OK)
        return st;
    loader L = {sp, buf, len, err, MH_OK, 0, 0, 0, 0};
    if ((st = check_version(&L)) != MH_OK)
        return st;
    st = fetch ? mh__bundle_url(sp->doc, path, fetch, ctx, &sp->bundle, err)
               : mh__bundle(sp->doc, path, &sp->bundle, err);
    if (st != MH_OK)
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
    mh_status st = load_text(sp, buf, len, name, NULL, NULL, err);
    if (st != MH_OK) {
        locate_error(sp, err);
        mh_spec_free(sp);
        return st;
    }
    *out = sp;
    return MH_OK;
}

mh_status mh_spec_load_url(const char *url, mh_spec_fetch_fn fetch, void *ctx, mh_spec **out,
                           mh_error *err)
{
    *out = NULL;
    mh_error_clear(err);
    if (!mh__is_http_url(url) || !fetch)
        return mh_error_set(err, MH_ERR_USAGE, "not an http(s) URL: %.300s", url ? url : "");
    char *buf = NULL;
    size_t len = 0;
    mh_status st = fetch(ctx, url, &buf, &len, err);
    if (st != MH_OK) {
        mh_error_at_file(err, url, 0, 0, -1);
        return st;
    }
    mh_spec *sp = calloc(1, sizeof *sp);
    if (!sp || !(sp->name = strdup(url))) {
        free(sp);
        free(buf);
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    st = load_text(sp, buf, len, url, fetch, ctx, err);
    free(buf);
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
    mh__spec_arena_free(spec);
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

size_t mh_spec_warning_count(const mh_spec *spec)
{
    return spec ? mh__schema_set_warning_count(spec->schemas) : 0;
}

const char *mh_spec_warning(const mh_spec *spec, size_t i, const char **pointer, const char **file)
{
    const char *ptr = NULL;
    const char *msg = spec ? mh__schema_set_warning(spec->schemas, i, &ptr) : NULL;
    const char *in = NULL;
    if (msg)
        ptr = mh__bundle_locate(&spec->bundle, ptr, &in);
    if (pointer)
        *pointer = msg ? ptr : NULL;
    if (file)
        *file = in;
    return msg;
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
