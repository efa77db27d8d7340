/* gen_internal.h — the private header of the case generator (gen.h is the
 * public contract). The files form layers, each calling only the ones below:
 *
 *   gen.c        the plan: repetitions, operations, ids, max_cases (mh_gen_plan)
 *   gen_op.c     one operation's inputs: body kind, properties, parameters, security
 *   gen_body.c   the valid, boundary and malformed suites of object bodies (JSON, forms)
 *   gen_other.c  the same suites for other bodies (a JSON value, an example, none)
 *   gen_auth.c   tokens, the auth and methods suites
 *   gen_pcase.c  the parameter cases of the valid, boundary and malformed suites
 *   gen_case.c   building and filing one case (mh__case_*, mh__target)
 *   gen_cred.c   security: the alternative sent, where each credential goes
 *   gen_param.c  parameter values: configured, example or generated; schema checks
 *   gen_value.c  schema walking, schema-valid values, unique names, typical bodies
 *   gen_util.c   strings, body objects and their encodings, configured values
 *   gen_style.c  parameter serialisation (style, explode, percent-encoding)
 *   gen_select.c which operations a run takes (mh_gen_select)
 *
 * Out-of-memory is recorded once in mh__gen.oom and turned into MH_ERR_NOMEM
 * by mh_gen_plan(); helpers that allocate return NULL on failure after setting
 * it, and every caller tolerates NULL. Growing arrays live in mh__buf (util/
 * buf.h) as raw element bytes: MH__ITEMS and MH__COUNT read them back.
 */
#ifndef MH_GEN_INTERNAL_H
#define MH_GEN_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "manta/gen.h"
#include "manta/prng.h"
#include "util/buf.h"
#include "util/utf8.h"

/* One member of a body object: the name (unquoted UTF-8) and the raw JSON
 * text of its value, written into the body verbatim. */
typedef struct {
    char *key;
    char *raw;
} mh__member;

/* The members of a body object, in order: an mh__member array in an mh__buf. */
typedef struct {
    mh__buf items;
} mh__body;

/* The elements of type T held in the mh__buf b, and how many there are. */
#define MH__ITEMS(b, T) ((T *)(void *)(b).p)
#define MH__COUNT(b, T) ((b).len / sizeof(T))

/* A top-level property of the request body schema. */
typedef struct {
    const char *name;
    const cJSON *schema; /* after $ref resolution; NULL when absent */
    const char *type;    /* "string", "integer", ... or NULL (any) */
    int required;
    int credential;
    int name_like;
    int nullable;
    char *slug; /* kebab-case, owned */
} mh__prop;

/* Where a parameter's value came from. */
typedef enum { MH__SRC_SCHEMA = 0, MH__SRC_EXAMPLE, MH__SRC_CONFIG } mh__source;

/* A parameter of the operation with the value it carries. */
typedef struct {
    const mh_param *param;
    cJSON *value; /* owned: the typed value */
    mh__source source;
    int send;   /* in the standard request: path, required or configured parameters */
    char *slug; /* kebab-case name, owned */
} mh__pval;

/* How one request varies its parameters. */
typedef enum {
    MH__P_NORMAL = 0, /* as in the standard request */
    MH__P_OMIT,       /* the parameter left out */
    MH__P_EMPTY,      /* sent with an empty string */
    MH__P_REPEAT,     /* sent twice */
    MH__P_VALUE       /* sent with another value */
} mh__pmode;

typedef struct {
    int all;            /* optional parameters sent too */
    int index;          /* the parameter varied (index into mh__gen.params); -1 = none */
    mh__pmode mode;     /* what happens to it */
    const cJSON *value; /* MH__P_VALUE: the value sent (borrowed) */
} mh__variant;

/* What the request body of an operation is. */
typedef enum {
    MH__BODY_NONE = 0,    /* nothing is sent */
    MH__BODY_JSON_OBJECT, /* JSON with an object schema: the property suites */
    MH__BODY_JSON_VALUE,  /* JSON with another schema */
    MH__BODY_FORM,        /* application/x-www-form-urlencoded with an object schema */
    MH__BODY_MULTIPART,   /* multipart/form-data with an object schema */
    MH__BODY_EXAMPLE      /* another media type: its declared example */
} mh__body_kind;

/* The multipart boundary of every multipart body. */
#define MH__BOUNDARY "mh-boundary-7b1d0c5e9a"

/* How mh__case_finish classifies a case by its body. */
typedef enum {
    MH__KEEP = 0,        /* keep where it is (valid, auth, methods, media-type cases) */
    MH__EXPECT_VALID,    /* boundary: moves to malformed if schema-invalid */
    MH__EXPECT_INVALID,  /* malformed: dropped if the body turns out valid */
    MH__EXPECT_NONSTRICT /* boundary duplicate keys: kept, not strict JSON */
} mh__expect;

/* How one request varies the credential of an apiKey scheme (the auth
 * cases). */
typedef enum {
    MH__CRED_NORMAL = 0, /* as configured */
    MH__CRED_OMIT,       /* left out */
    MH__CRED_VALUE,      /* sent with another value */
    MH__CRED_MOVE        /* the configured value, sent in another place */
} mh__cred_mode;

typedef struct {
    const mh_security_scheme *scheme; /* the scheme varied; NULL = none */
    mh__cred_mode mode;
    const char *value; /* MH__CRED_VALUE (borrowed) */
    const char *in;    /* MH__CRED_MOVE: "header", "query" or "cookie" */
} mh__cred_variant;

typedef struct {
    /* the plan */
    const mh_gen_opts *o;
    char *token; /* the valid bearer token (given or minted); NULL without credentials */
    char *token_expired;
    char *token_other;
    char *basic_header;           /* "Basic <base64 of o->basic>"; NULL without basic credentials */
    size_t rep;                   /* current repetition, 1-based */
    unsigned long serial;         /* counter inside unique names */
    mh_prng rng;                  /* reseeded per case */
    mh__buf list[MH_SUITE_COUNT]; /* mh_case * per suite, this operation */
    mh__buf paths;                /* const char *: paths whose methods cases are planned */
    int oom;
    /* the operation being planned (gen_op.c fills, mh__op_clear empties) */
    const mh_operation *op;
    mh__body_kind kind;
    const mh_media *media; /* the body's media type; NULL for MH__BODY_NONE */
    const cJSON *root;     /* request body schema source; NULL when none */
    mh__prop *props;       /* object bodies: the top-level properties */
    size_t prop_count;
    mh__pval *params; /* every parameter, in declaration order */
    size_t param_count;
    int bot_index;              /* index into params of the botId parameter, -1 when none */
    int secured;                /* security required: auth cases, credential properties */
    const mh_security_req *req; /* the alternative the requests carry; NULL = none */
    int use_bearer;             /* req takes the bearer token */
    mh__cred_variant cred;      /* what the case being built does to a credential */
    char *no_creds;             /* set: secured, and no credentials fit (the reason) */
    char *unsendable;           /* set: a required body none of whose media types can be sent */
    char *accept;               /* the Accept header */
    int demand_2xx;             /* valid cases demand 2xx (gen.h) */
    mh_suite cur_suite;         /* of the case being built */
    int form_valid;             /* form bodies: the last one encoded was schema-valid */
} mh__gen;

/* ---- gen_util.c: strings and body objects ----
 * Every function returning char * returns a new malloc'd string the caller
 * frees, or NULL with g->oom set. */

/* Takes b's contents (never NULL on success; "" when empty) and resets b.
 * NULL (and g->oom set) when any append failed. */
char *mh__gen_take(mh__gen *g, mh__buf *b, size_t *len);
/* A copy of s (NULL copies as ""). */
char *mh__strdup(mh__gen *g, const char *s);
/* printf into a new string. */
char *mh__printf(mh__gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a JSON string literal, quotes included (NULL quotes as ""). */
char *mh__quote(mh__gen *g, const char *s);
/* name in kebab-case: words split at non-alphanumerics and lower-to-upper
 * changes, lower-cased, joined by '-'; "x" when nothing is left. */
char *mh__slug(mh__gen *g, const char *name);
/* The configured value named name for the operation being planned: one
 * naming that operation first, then a global one; NULL when none. Borrowed. */
const char *mh__config(const mh__gen *g, const mh_gen_value *list, size_t n, const char *name);

/* Body objects. A zeroed mh__body is empty. Keys are copied; raw texts are
 * taken over (freed even on failure); a NULL raw (a failed allocation) adds
 * nothing. mh__body_set replaces the value of key, or adds it. */
void mh__body_set(mh__gen *g, mh__body *b, const char *key, char *raw);
/* Appends key: raw, even when key is already there (duplicate keys). */
void mh__body_add(mh__gen *g, mh__body *b, const char *key, char *raw);
/* Removes every member called key. Can't fail. */
void mh__body_remove(mh__body *b, const char *key);
/* The body as JSON text "{...}" (length in *len when non-NULL); b unchanged. */
char *mh__body_json(mh__gen *g, const mh__body *b, size_t *len);
/* The body as application/x-www-form-urlencoded text: string members as
 * their text, numbers and booleans as their literal, null as "", array
 * items as repeated fields, objects as JSON text; names and values
 * percent-encoded. b unchanged. */
char *mh__body_form(mh__gen *g, const mh__body *b, size_t *len);
/* The body as multipart/form-data with boundary MH__BOUNDARY: one part per
 * member (per item of an array), objects as application/json parts. */
char *mh__body_multipart(mh__gen *g, const mh__body *b, size_t *len);
/* Frees every member and empties b. */
void mh__body_free(mh__body *b);

/* ---- gen_style.c: parameter serialisation ---- */

/* The text of parameter p holding the typed value v as its location carries
 * it: path, what replaces "{name}"; query, the "name=value" pairs joined by
 * '&'; header, the header's value; cookie, the pairs joined by "; ". The
 * style and explode of p decide the shape (the OpenAPI style examples
 * table), values are percent-encoded per RFC 3986 (allowReserved honoured in
 * the query; header values keep printable ASCII). Arrays and objects beyond
 * 64 elements are cut. NULL v is undefined ("color=", ";color", "." or "").
 * New string; NULL on OOM. */
char *mh__param_serialize(const mh_param *p, const cJSON *v);

/* ---- gen_value.c: schemas, values, unique names, typical bodies ---- */

/* node with its $ref resolved through the spec (NULL stays NULL). */
const cJSON *mh__deref(const mh__gen *g, const cJSON *node);
/* The JSON type s describes ("string", "object", ...; from type (of a type
 * array, the first that is not "null"), properties, items or the first
 * allOf/oneOf/anyOf member that says), NULL when none.
 * Borrowed from the spec. */
const char *mh__type(const mh__gen *g, const cJSON *s);
/* 1 and *v set when s has the number keyword kw, else 0. */
int mh__num(const cJSON *s, const char *kw, double *v);
/* 1 when s has the keyword kw set to true. */
int mh__flag(const cJSON *s, const char *kw);
/* Properties of an object schema, allOf members merged, document order.
 * *out is a new array the caller frees (slugs and credential/name_like not
 * filled; names and schemas borrowed from the spec); returns 0, or -1 on OOM
 * (then *out is NULL, *n 0 and g->oom set). */
int mh__collect_props(mh__gen *g, const cJSON *s, mh__prop **out, size_t *n);
/* Raw JSON text of a schema-valid value for s (best effort). */
char *mh__gen_value(mh__gen *g, const cJSON *s, int depth);
/* A schema-valid plain string for s (not name-like), UTF-8. */
char *mh__plain_string(mh__gen *g, const cJSON *s);
/* Number text for s as an integer or number, within its bounds. */
char *mh__number_text(mh__gen *g, const cJSON *s, int integer);
/* Unique names. mh__unique_text: "mh-<run>-<n>" + " " + payload, payload cut
 * so the result fits cap code points and the property's maxLength (padded to
 * minLength). mh__payload_text: the same, but when the prefix leaves no room
 * the payload is sent alone (cut to maxLength), for boundary payloads. Each
 * call takes the next n. */
char *mh__unique_text(mh__gen *g, const mh__prop *p, const char *payload, size_t cap);
char *mh__payload_text(mh__gen *g, const mh__prop *p, const char *payload);
/* The first name-like property, else the first non-credential property, else
 * the first property; NULL when there are none. Borrowed from g. */
const mh__prop *mh__main_prop(const mh__gen *g);
/* Appends the typical valid body to b: credentials = secret, name-like =
 * unique values with payload (cut to 60 code points), other required
 * properties from their schemas, optional ones too when all is set, readOnly
 * ones never (unless configured); a configured property (--property)
 * replaces its value unless the case being built is malformed. */
void mh__body_typical(mh__gen *g, mh__body *b, const char *payload, int all);
/* Raw JSON text of the configured text for a property or parameter of
 * schema s: the text as JSON when s is not a string and the text parses
 * strictly, else the text as a JSON string. */
char *mh__config_raw(mh__gen *g, const cJSON *s, const char *text);

/* ---- gen_param.c: parameter values ---- */

/* Fills g->params for g->op: every parameter, its value from, in order, a
 * configured value (operation-specific, then global), --bot-id for the
 * botId parameter, the example, the schema. MH_OK, MH_ERR_USAGE (a required
 * botId parameter with no value: pass --bot-id) or MH_ERR_NOMEM. */
mh_status mh__params_setup(mh__gen *g, mh_error *err);
/* Frees g->params. */
void mh__params_free(mh__gen *g);
/* 1 when v is valid against parameter p's schema (1 when p has none). */
int mh__param_valid(const mh_param *p, const cJSON *v);

/* ---- gen_cred.c: credentials of security schemes ---- */

/* 1 when s takes the bearer token: http bearer, oauth2, openIdConnect. */
int mh__cred_bearer(const mh_security_scheme *s);
/* 1 when some alternative of op's security has a scheme that takes the
 * bearer token (the plan then needs the token). */
int mh__cred_wants_token(const mh_operation *op);
/* Once per plan: g->basic_header from o->basic. MH_OK or MH_ERR_NOMEM. */
mh_status mh__cred_init(mh__gen *g, mh_error *err);
/* Sets g->secured, g->req, g->use_bearer and, for a secured operation
 * without configured credentials, g->no_creds (the reason). MH_OK or
 * MH_ERR_NOMEM. */
mh_status mh__cred_setup(mh__gen *g, mh_error *err);
/* The configured API key of the apiKey scheme s; NULL when none. */
const char *mh__cred_api_key(const mh__gen *g, const mh_security_scheme *s);
/* Adds Authorization to c when g->req takes one (Bearer <token>, else
 * Basic). Returns 0, or -1 on OOM. */
int mh__cred_authorization(mh__gen *g, mh_case *c);
/* Adds the API keys of g->req sent as headers (as g->cred varies them).
 * Returns 0, or -1 on OOM. */
int mh__cred_headers(mh__gen *g, mh_case *c);
/* Removes every header an API key of g->req may be sent as (g->cred only
 * varies the schemes of g->req). */
void mh__cred_remove_headers(mh__gen *g, mh_case *c);
/* Appends the "name=value" pairs of API keys sent in the location in
 * ("query": joined by '&', "cookie": by "; ") to b, each preceded by sep
 * when b is not empty (query: *first says whether a '?' is due; it is
 * written and cleared). Values percent-encoded as form parameters. */
void mh__cred_query(mh__gen *g, mh__buf *b, int *first);
void mh__cred_cookies(mh__gen *g, mh__buf *cookie);

/* ---- gen_case.c: one case ---- */

/* The request target: the path with its parameters filled in, then the query
 * parameters, as v varies them (NULL = the standard request). New string,
 * NULL on OOM. */
char *mh__target(mh__gen *g, const mh__variant *v);
/* A new case with the standard method, target and headers; rng reseeded from
 * (seed, slug, repetition); a valid case's any_declared_status set from
 * g->demand_2xx. The caller files it with mh__case_finish. NULL on OOM. */
mh_case *mh__case_begin(mh__gen *g, mh_suite s, const char *slug, const char *desc);
/* Re-sends c's parameters as v says (and its API keys as g->cred says):
 * its target, API key headers, header parameters and Cookie header are
 * rebuilt. */
void mh__case_params(mh__gen *g, mh_case *c, const mh__variant *v);
/* Gives c the operation's typical valid body (payload for name-like
 * properties), encoded as its media type; no body for MH__BODY_NONE. */
void mh__case_typical(mh__gen *g, mh_case *c, const char *payload);
/* Files a case that is not sent: skip_reason = reason, under the operation's
 * method and path template. */
void mh__case_skip(mh__gen *g, mh_suite s, const char *slug, const char *desc, const char *reason);
/* Replaces (value != NULL) or removes (NULL) every header called name. */
void mh__case_header(mh__gen *g, mh_case *c, const char *name, const char *value);
/* Sets the body of c to body[0..len), taking body over (NULL = no body). */
void mh__case_body(mh__gen *g, mh_case *c, char *body, size_t len);
/* Sets the body of c to b encoded as the operation's media type (JSON text,
 * a form, multipart), and frees b. */
void mh__case_json(mh__gen *g, mh_case *c, mh__body *b);
/* Computes body_schema_valid and files the case in g->list (or drops it),
 * taking c over. NULL c is a no-op. */
void mh__case_finish(mh__gen *g, mh_case *c, mh__expect e);

/* ---- gen_pcase.c: the parameter cases ---- */

/* valid: every optional parameter too ("all-parameters"), when there are. */
void mh__param_suite_valid(mh__gen *g);
/* boundary: the botId parameter empty and repeated (called from the body
 * suites, where the Manta plan has them); values that only break a format. */
void mh__param_bot_cases(mh__gen *g);
void mh__param_suite_boundary(mh__gen *g);
/* malformed: each required query, header or cookie parameter missing; each
 * value that breaks its schema (type, enum, range, length, pattern, an
 * array item). */
void mh__param_suite_malformed(mh__gen *g);

/* ---- gen_body.c, gen_other.c, gen_auth.c: the suites ----
 * Each files the suite's cases of the current operation in g->list.
 * gen_body.c: object bodies (JSON, form, multipart); gen_other.c: the rest. */
void mh__suite_valid(mh__gen *g);
void mh__suite_boundary(mh__gen *g);
void mh__suite_malformed(mh__gen *g);
void mh__other_valid(mh__gen *g);
void mh__other_boundary(mh__gen *g);
void mh__other_malformed(mh__gen *g);
void mh__suite_auth(mh__gen *g);
void mh__suite_methods(mh__gen *g);
/* Mints / copies the tokens once per plan into g (owned by g) when need is
 * set and credentials are configured; MH_OK or MH_ERR_NOMEM. */
mh_status mh__tokens_init(mh__gen *g, int need, mh_error *err);

/* ---- gen_op.c: one operation ---- */

/* Sets g up for op: body kind and properties, parameters, security, Accept,
 * whether valid cases demand 2xx. MH_OK, or MH_ERR_USAGE / MH_ERR_NOMEM
 * (g->op's state is cleared by mh__op_clear either way). */
mh_status mh__op_setup(mh__gen *g, const mh_operation *op, mh_error *err);
/* Frees the operation state of g. */
void mh__op_clear(mh__gen *g);

#endif
