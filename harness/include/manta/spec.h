/* spec.h — the OpenAPI 3.0.x or 3.1.x document: operations with compiled schemas.
 *
 * mh_spec_load() reads the document, JSON (through the strict parser) or YAML
 * (decided by content, yaml.h), resolves $refs (local pointers with ~0/~1
 * escapes, and relative files, bundled at load from the referring file's
 * folder; remote URLs are refused; cycles detected), and compiles every
 * schema it reaches once. An operation whose own content is broken is kept,
 * marked with a skip_reason, and the load fails only when no operation is
 * usable. Everything returned by the accessors is
 * borrowed from the mh_spec and lives until mh_spec_free().
 */
#ifndef MANTA_SPEC_H
#define MANTA_SPEC_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "manta/error.h"
#include "manta/schema.h"

typedef struct mh_spec mh_spec;

/* How a parameter value is written (OpenAPI "style"). */
typedef enum {
    MH_STYLE_FORM = 0, /* the default for query and cookie */
    MH_STYLE_SIMPLE,   /* the default for path and header */
    MH_STYLE_LABEL,
    MH_STYLE_MATRIX,
    MH_STYLE_SPACE_DELIMITED,
    MH_STYLE_PIPE_DELIMITED,
    MH_STYLE_DEEP_OBJECT
} mh_param_style;

/* One parameter in effect for an operation: the path item's, with the
 * operation's own replacing one of the same name and location (for that
 * operation only). A parameter that cannot be used (an "in" other than the
 * four below, a style its location does not allow, a non-boolean explode,
 * both "schema" and "content", a "content" without exactly one media type)
 * makes the operation unusable, pointing at the field. Header parameters
 * named Accept, Content-Type or Authorization are left out: OpenAPI says
 * they are ignored. */
typedef struct {
    const char *name;
    const char *in; /* "query", "header", "path", "cookie" */
    /* "required"; always 1 for path parameters: OpenAPI says a path
     * parameter MUST declare required: true, and one that does not (absent
     * or false) cannot be left out of the path either, so it is taken as
     * required and the operation stays usable. */
    int required;
    const mh_schema *schema; /* NULL when the parameter has none; for a parameter
                                declared by content, that media type's schema */
    mh_param_style style;    /* declared, else the default of its location */
    int explode;             /* declared, else 1 for form and 0 for the others */
    int allow_reserved;      /* query only (0 elsewhere): reserved characters are sent
                                unencoded */
    int deprecated;
    /* "example", else the "value" of the first "examples" entry that has one
     * (Example $refs followed, externalValue never fetched); for a
     * parameter declared by content, else its media type's example; NULL */
    const cJSON *example;
    const char *content_type; /* declared by "content": its media type; else NULL */
} mh_param;

typedef struct {
    const char *media_type;  /* as written, e.g. "application/json" */
    const mh_schema *schema; /* NULL when the media type has no schema */
    const cJSON *example;    /* "example", else the first "examples" value (as for
                                parameters); NULL */
} mh_media;

/* A response header declaration (its $ref to components/headers followed).
 * A declared "Content-Type" header is not listed: OpenAPI says it is
 * ignored. */
typedef struct {
    const char *name; /* as written; matched case-insensitively */
    int required;
    const mh_schema *schema;  /* NULL when none (or declared by content without one) */
    const char *content_type; /* declared by "content": its media type; else NULL */
} mh_header_decl;

typedef struct {
    const char *status; /* "200", "4XX" or "default", as written */
    const char *description;
    const mh_media *media;
    size_t media_count; /* 0 = the response declares no body */
    const mh_header_decl *headers;
    size_t header_count;
} mh_response;

typedef enum {
    MH_SCHEME_HTTP_BEARER = 0, /* http, scheme bearer */
    MH_SCHEME_HTTP_BASIC,      /* http, scheme basic */
    MH_SCHEME_API_KEY,         /* apiKey in header, query or cookie */
    MH_SCHEME_OAUTH2,          /* sent as a bearer token */
    MH_SCHEME_OPENID,          /* openIdConnect: sent as a bearer token */
    MH_SCHEME_OTHER            /* http with another scheme, mutualTLS, ...: not supported */
} mh_scheme_type;

/* One entry of components/securitySchemes. */
typedef struct {
    const char *name; /* its key under components/securitySchemes */
    mh_scheme_type type;
    const char *in;          /* apiKey: "header", "query" or "cookie"; else NULL */
    const char *param_name;  /* apiKey: the header, query or cookie name; else NULL */
    const char *http_scheme; /* http: the scheme as written ("bearer", "Basic" ...); else NULL */
} mh_security_scheme;

/* One security requirement: every scheme in it, together. count 0 is the
 * empty requirement {}: anonymous access is allowed. */
typedef struct {
    const mh_security_scheme *const *schemes;
    size_t count;
} mh_security_req;

typedef struct {
    const char *method;       /* upper case: "POST" */
    const char *path;         /* "/openapi/personalTag" */
    const char *id;           /* "POST /openapi/personalTag" */
    const char *operation_id; /* NULL when absent */
    const char *const *tags;  /* its string tags, document order */
    size_t tag_count;
    const cJSON *node; /* the operation object in the document (borrowed) */
    int path_line;     /* line of the path key in the document, 0 if unknown */
    const mh_param *params;
    size_t param_count;
    int body_required;
    const mh_media *body; /* request body media types */
    size_t body_count;
    const mh_response *responses;
    size_t response_count;
    int bearer_auth; /* 1 when the effective security needs an http bearer scheme */
    /* The effective security (the operation's own "security", else the
     * document's): alternatives, the first usable one wins. 0 = public (no
     * security, or "security: []"). */
    const mh_security_req *security;
    size_t security_count;
    /* An operation that cannot be tested (an undefined security scheme, no
     * responses, a broken parameter or schema) is kept with everything above
     * but method, path, id, operation_id and path_line empty, and: */
    const char *skip_reason;  /* why, one line; NULL for a usable operation */
    const char *skip_pointer; /* JSON pointer of the cause ("" when none) */
    const char *skip_file;    /* the file holding it when not the root document, else NULL */
} mh_operation;

/* Loads and compiles the document at path. On success *out owns everything;
 * free with mh_spec_free. On failure *out is NULL and err says what and where:
 * MH_ERR_IO (unreadable), MH_ERR_JSON (file line:column), MH_ERR_SPEC (not
 * OpenAPI 3.0.x, with the JSON pointer), MH_ERR_REF (dangling $ref naming the
 * pointer, or a $ref cycle that cannot be validated). */
mh_status mh_spec_load(const char *path, mh_spec **out, mh_error *err);

/* Same from memory; name is used in error locations. buf need not be
 * NUL-terminated. */
mh_status mh_spec_load_buffer(const char *buf, size_t len, const char *name, mh_spec **out,
                              mh_error *err);

/* components/securitySchemes that can be used, in document order
 * (borrowed). A scheme that cannot (no "type" or an unknown one, http
 * without "scheme", apiKey without "name" or with an "in" other than
 * header, query or cookie, a broken $ref) is not listed: an operation whose
 * security names it is unusable, pointing at the scheme's broken field. */
size_t mh_spec_scheme_count(const mh_spec *spec);
const mh_security_scheme *mh_spec_scheme(const mh_spec *spec, size_t i);
/* The scheme named name (exact); NULL when the document has none. */
const mh_security_scheme *mh_spec_find_scheme(const mh_spec *spec, const char *name);

/* The minor version of the document's "openapi": 0 (3.0.x) or 1 (3.1.x). */
int mh_spec_openapi_minor(const mh_spec *spec);

/* Load-time warnings: each keyword of a schema the document uses that the
 * validator does not check for the document's version (OpenAPI 3.0, or 3.1 =
 * JSON Schema 2020-12), e.g. unevaluatedProperties, is listed once, in the
 * order found; annotations (title, examples, x-*, ...) are not. A warning
 * never fails the load. mh_spec_warning returns the i-th message (NULL when
 * i >= the count) and, when the arguments are non-NULL, the keyword's JSON
 * pointer in *pointer and in *file NULL when it is in the document itself,
 * else the file a $ref pulled it in from (the pointer is then into that
 * file). All strings are borrowed from the spec. */
size_t mh_spec_warning_count(const mh_spec *spec);
const char *mh_spec_warning(const mh_spec *spec, size_t i, const char **pointer, const char **file);

/* Reads the document an http(s) URL names: on MH_OK *buf (malloc'd, the
 * caller frees) holds *len bytes; otherwise err says why (a status other
 * than 200, a transport failure, a size cap). Supplied by the caller, so the
 * spec layer sends nothing itself (the CLI fetches with the run's TLS
 * options, never following redirects). */
typedef mh_status (*mh_spec_fetch_fn)(void *ctx, const char *url, char **buf, size_t *len,
                                      mh_error *err);

/* Loads the document at url, read once with fetch. Its relative $refs
 * resolve against the referring document's URL, so they stay on the same
 * scheme, host and port, and are read with fetch too; an absolute or
 * protocol-relative URL in a $ref is refused like any remote reference.
 * Otherwise as mh_spec_load; errors are located at the URL. */
mh_status mh_spec_load_url(const char *url, mh_spec_fetch_fn fetch, void *ctx, mh_spec **out,
                           mh_error *err);

/* Frees the spec and every schema/operation it owns. NULL is a no-op. */
void mh_spec_free(mh_spec *spec);

/* The path or name the spec was loaded from. */
const char *mh_spec_name(const mh_spec *spec);
/* The parsed document (borrowed). */
const cJSON *mh_spec_document(const mh_spec *spec);
/* First servers[].url or NULL. */
const char *mh_spec_server_url(const mh_spec *spec);

size_t mh_spec_operation_count(const mh_spec *spec);
const mh_operation *mh_spec_operation(const mh_spec *spec, size_t i);
/* Finds an operation by "METHOD /path" (method case-insensitive, path
 * exact) or by its operationId. NULL when absent (MH_ERR_NOTFOUND in err,
 * listing the known ids, whole ones only) or unusable (MH_ERR_SPEC: its
 * skip_reason, at its skip_pointer). */
const mh_operation *mh_spec_find_operation(const mh_spec *spec, const char *id, mh_error *err);
/* All methods declared on the path, upper case, comma-separated, in document
 * order ("POST", "GET, DELETE"); borrowed. NULL when the spec has no such
 * path (exact match on the template, e.g. "/pets/{petId}"). */
const char *mh_spec_path_methods(const mh_spec *spec, const char *path);

/* components/schemas/NAME compiled (every entry is compiled at load, so this
 * is a lookup); NULL (MH_ERR_NOTFOUND in err, listing the known names, with
 * pointer /components/schemas/NAME) if absent. Name match is exact. */
const mh_schema *mh_spec_schema(const mh_spec *spec, const char *name, mh_error *err);

/* Follows $ref chains in raw document nodes (for walking schemas by hand).
 * Returns node itself when it is no $ref; NULL when dangling, non-local or
 * cyclic. Thread-safe; allocates only temporarily. */
const cJSON *mh_spec_deref(const mh_spec *spec, const cJSON *node);

/* The response declared for status: exact code first, then "NXX" range,
 * then "default". NULL when none applies. */
const mh_response *mh_operation_response(const mh_operation *op, int status);

/* The media entry of r matching content_type: type/subtype compared
 * case-insensitively, parameters (charset ...) and surrounding whitespace
 * ignored on both sides; wildcards "type/ *" and "* / *" in the spec honoured,
 * exact matches preferred, then the type range, then "* / *". NULL if none,
 * and for a NULL/empty content_type or a NULL r. */
const mh_media *mh_response_media(const mh_response *r, const char *content_type);

#endif
