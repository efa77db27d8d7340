/* gen_internal.h — the private header of the case generator (gen.h is the
 * public contract). The files form layers, each calling only the ones below:
 *
 *   gen.c        the plan: inputs, repetitions, ids, max_cases (mh_gen_plan)
 *   gen_body.c   the valid, boundary and malformed suites
 *   gen_auth.c   tokens, the auth and methods suites
 *   gen_case.c   building and filing one case (mh__case_*, mh__target)
 *   gen_value.c  schema walking, schema-valid values, unique names, typical bodies
 *   gen_util.c   strings and body objects
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

/* A required parameter with the value it carries in the standard request. */
typedef struct {
    const mh_param *param;
    char *value; /* owned */
} mh__pval;

/* How mh__case_finish classifies a case by its body. */
typedef enum {
    MH__KEEP = 0,        /* keep where it is (valid, auth, methods, media-type cases) */
    MH__EXPECT_VALID,    /* boundary: moves to malformed if schema-invalid */
    MH__EXPECT_INVALID,  /* malformed: dropped if the body turns out valid */
    MH__EXPECT_NONSTRICT /* boundary duplicate keys: kept, not strict JSON */
} mh__expect;

/* Target variants for the bot parameter. */
typedef enum { MH__BOT_NORMAL = 0, MH__BOT_EMPTY, MH__BOT_REPEAT, MH__BOT_OMIT } mh__bot_mode;

typedef struct {
    const mh_gen_opts *o;
    const mh_operation *op;
    const mh_media *media;
    const cJSON *root; /* request body schema source */
    mh__prop *props;
    size_t prop_count;
    mh__pval *params;
    size_t param_count;
    int bot_index; /* index into params, -1 when there is no bot parameter */
    char *token;   /* the valid bearer token (given or minted); NULL when not bearer */
    char *token_expired;
    char *token_other;
    size_t rep;                   /* current repetition, 1-based */
    unsigned long serial;         /* counter inside unique names */
    mh_prng rng;                  /* reseeded per case */
    mh__buf list[MH_SUITE_COUNT]; /* mh_case * per suite, this repetition */
    int oom;
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
/* s percent-encoded, RFC 3986 unreserved characters kept. */
char *mh__percent(mh__gen *g, const char *s);

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
/* Frees every member and empties b. */
void mh__body_free(mh__body *b);

/* ---- gen_value.c: schemas, values, unique names, typical bodies ---- */

/* node with its $ref resolved through the spec (NULL stays NULL). */
const cJSON *mh__deref(const mh__gen *g, const cJSON *node);
/* The JSON type s describes ("string", "object", ...; from type, properties,
 * items or the first allOf/oneOf/anyOf member that says), NULL when none.
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
 * properties from their schemas, optional ones too when all is set. */
void mh__body_typical(mh__gen *g, mh__body *b, const char *payload, int all);

/* ---- gen_case.c: one case ---- */

/* The request target: the path with its parameters filled in, then the query
 * parameters; mode varies the bot parameter. New string, NULL on OOM. */
char *mh__target(mh__gen *g, mh__bot_mode mode);
/* A new case with the standard method, target and headers; rng reseeded from
 * (seed, slug, repetition). The caller files it with mh__case_finish. NULL on
 * OOM. */
mh_case *mh__case_begin(mh__gen *g, mh_suite s, const char *slug, const char *desc);
/* Replaces (value != NULL) or removes (NULL) every header called name. */
void mh__case_header(mh__gen *g, mh_case *c, const char *name, const char *value);
/* Sets the body of c to body[0..len), taking body over (NULL = no body). */
void mh__case_body(mh__gen *g, mh_case *c, char *body, size_t len);
/* Sets the body of c to b as JSON text, and frees b. */
void mh__case_json(mh__gen *g, mh_case *c, mh__body *b);
/* Computes body_schema_valid and files the case in g->list (or drops it),
 * taking c over. NULL c is a no-op. */
void mh__case_finish(mh__gen *g, mh_case *c, mh__expect e);

/* ---- gen_body.c, gen_auth.c: the suites ----
 * Each files the suite's cases of the current repetition in g->list. */
void mh__suite_valid(mh__gen *g);
void mh__suite_boundary(mh__gen *g);
void mh__suite_malformed(mh__gen *g);
void mh__suite_auth(mh__gen *g);
void mh__suite_methods(mh__gen *g);
/* Mints / copies the tokens once per plan into g (owned by g); MH_OK or an
 * error (MH_ERR_NOMEM). */
mh_status mh__tokens_init(mh__gen *g, mh_error *err);

#endif
