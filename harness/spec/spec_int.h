/* spec_int.h — the private header of harness/spec/: the loader's stages.
 *
 * One document is loaded by several files, one concern each:
 *   loader.c     the loader's tools: the spec's arena, errors, $ref'd
 *                objects, examples, content maps, the schema-or-content rule
 *   params.c     parameters: location, style, explode, examples, content
 *   responses.c  request bodies, responses and their headers; response and
 *                media lookup (public)
 *   security.c   components/securitySchemes and each operation's security
 *                requirements; the scheme accessors (public)
 *   spec.c       the document: version, paths, operations; the public API
 * Calls go down that list's dependencies only: spec.c uses params,
 * responses, security and loader; params, responses and security use
 * loader only; loader.c calls none of them. bundle.c (external $refs) is
 * used by spec.c.
 */
#ifndef MH_SPEC_SPEC_INT_H
#define MH_SPEC_SPEC_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "manta/spec.h"
#include "schema/schema_int.h"
#include "spec/bundle.h"
#include "util/buf.h"

typedef struct {
    const char *path;
    char *methods;
} mh__path_methods;

/* The arrays grow in mh__bufs holding the items' bytes; spec.c reads them. */
struct mh_spec {
    char *name;
    cJSON *doc;
    mh__schema_set *schemas;
    mh__buf ops; /* mh_operation[] */
    mh__buf pm;  /* mh__path_methods[] */
    const char *server_url;
    mh__buf blocks;          /* void *[]: the arena, every block freed with the spec */
    mh__bundle_files bundle; /* files grafted in by external $refs */
    int minor;               /* OpenAPI 3.<minor>: 0 or 1 */
    size_t usable;           /* operations without a skip reason */
    /* components/securitySchemes that can be used, document order (arena) */
    mh_security_scheme *schemes;
    size_t scheme_count;
};

/* The loader's state: the spec being built, the raw text (for lines) and
 * the caller's error. */
typedef struct {
    mh_spec *sp;
    const char *raw;
    size_t rawlen;
    mh_error *err;
    mh_status first_skip; /* status of the first unusable operation */
    /* path_line's cursor: paths come in document order, so each search and
     * each newline count resumes where the previous one stopped (linear in
     * the document, not quadratic). */
    size_t from;    /* where the next path key search starts; 0 = not yet */
    int yaml_keys;  /* the paths were found as YAML keys */
    size_t line_at; /* offset up to which newlines are counted ... */
    int line_no;    /* ... and the line number there */
} mh__loader;

/* ---- loader.c: the loader's tools -------------------------------------- */

/* A zeroed block of n bytes that lives as long as the spec; NULL on
 * out-of-memory. */
void *mh__spec_alloc(mh_spec *sp, size_t n);
/* A copy of s in the spec's arena; NULL on out-of-memory. */
char *mh__spec_strdup(mh_spec *sp, const char *s);
/* Frees every block of the arena (mh_spec_free). */
void mh__spec_arena_free(mh_spec *sp);

/* Sets MH_ERR_NOMEM in L->err and returns it. */
mh_status mh__spec_nomem(mh__loader *L);
/* Sets MH_ERR_SPEC in L->err: fmt with one %s (arg), at JSON pointer
 * pointer; returns MH_ERR_SPEC. */
mh_status mh__spec_err(mh__loader *L, const char *pointer, const char *fmt, const char *arg);

/* Number of members of the object (or items of the array) o; 0 for NULL. */
int mh__spec_count_members(const cJSON *o);

/* Follows node (found at pointer at) through its $ref chain and requires an
 * object there (what names it in the error). *where gets the resolved
 * node's pointer (malloc'd, caller frees, only on success), so later
 * locations name the real place. Errors: MH_ERR_REF, MH_ERR_SPEC. */
mh_status mh__spec_deref_object(mh__loader *L, const cJSON *node, const char *at, const char *what,
                                const cJSON **out, char **where);

/* Compiles the schema node found at pointer at into the spec's set. */
mh_status mh__spec_compile(mh__loader *L, const cJSON *node, const char *at, const mh_schema **out);

/* The example of obj (a parameter, header or media type object at pointer
 * at): its "example" when present (even null), else the "value" of the
 * first entry of its "examples" map that has one, Example objects' $refs
 * followed ("externalValue" is never fetched: such an entry is passed
 * over). *out is NULL when there is none. Errors: a broken $ref (MH_ERR_REF)
 * or an entry that is no object (MH_ERR_SPEC). */
mh_status mh__spec_example(mh__loader *L, const cJSON *obj, const char *at, const cJSON **out);

/* content: {"media/type": {schema, example, examples}} -> an array of
 * mh_media in the arena (*count entries; NULL and 0 when content is NULL). */
mh_status mh__spec_content(mh__loader *L, const cJSON *content, const char *at,
                           const mh_media **out, size_t *count);

/* What parameters and headers share: the value is described by "schema",
 * or by "content" with exactly one media type (then content_type is that
 * type and schema its schema). */
typedef struct {
    const mh_schema *schema;  /* NULL when there is none */
    const char *content_type; /* NULL unless declared by content */
    const cJSON *example;     /* the object's example, else its media type's */
} mh__spec_value;

/* Fills *v from obj (found at pointer at; what names it in messages, e.g.
 * "parameter \"id\""). Errors (MH_ERR_SPEC with the pointer): both "schema"
 * and "content", or a "content" that is no object with exactly one member;
 * and the errors of compiling the schema or following $refs. */
mh_status mh__spec_value_load(mh__loader *L, const cJSON *obj, const char *at, const char *what,
                              mh__spec_value *v);

/* ---- params.c ---------------------------------------------------------- */

/* Adds the parameters of the array arr (at pointer at; NULL arr adds
 * nothing) to v, an mh__buf of mh_param: a later one with the same name and
 * location replaces the earlier one in place. Header parameters named
 * Accept, Content-Type or Authorization are left out (OpenAPI ignores
 * them). Errors (MH_ERR_SPEC/MH_ERR_REF, pointer set) make the operation
 * unusable; MH_ERR_NOMEM. */
mh_status mh__spec_load_params(mh__loader *L, const cJSON *arr, const char *at, mh__buf *v);

/* ---- responses.c ------------------------------------------------------- */

/* op's request body from node (a requestBody or its $ref, at pointer at;
 * NULL: none). */
mh_status mh__spec_load_body(mh__loader *L, const cJSON *node, const char *at, mh_operation *op);
/* op's responses from resps (the "responses" object at pointer at), their
 * media types and header declarations. */
mh_status mh__spec_load_responses(mh__loader *L, const cJSON *resps, const char *at,
                                  mh_operation *op);

/* ---- security.c -------------------------------------------------------- */

/* Reads components/securitySchemes into sp->schemes: every scheme that can
 * be used; one that cannot (no type, an apiKey without a valid "in" or
 * "name", ...) is left out and only makes the operations that need it
 * unusable. Fails only on MH_ERR_NOMEM. */
mh_status mh__spec_load_schemes(mh__loader *L);
/* op's effective security (its own "security", else the document's; opnode
 * at pointer opat): op->security, op->security_count and op->bearer_auth.
 * Errors (unusable operation): a requirement naming an undefined scheme or
 * one that cannot be used, a "security" that is no array of objects. */
mh_status mh__spec_load_security(mh__loader *L, const cJSON *opnode, const char *opat,
                                 mh_operation *op);

#endif
