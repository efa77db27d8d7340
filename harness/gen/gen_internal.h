/* gen_internal.h — shared by gen.c, gen_util.c, gen_body.c and gen_auth.c.
 * Not part of the public contract (see gen.h).
 *
 * Out-of-memory is recorded once in mh__gen.oom and turned into MH_ERR_NOMEM
 * by mh_gen_plan(); helpers that allocate return NULL on failure after setting
 * it, and every caller tolerates NULL.
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

typedef struct {
    mh__member *m;
    size_t count;
    size_t cap;
} mh__body;

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
    size_t rep;           /* current repetition, 1-based */
    unsigned long serial; /* counter inside unique names */
    mh_prng rng;          /* reseeded per case */
    mh_case **list[MH_SUITE_COUNT];
    size_t count[MH_SUITE_COUNT];
    size_t cap[MH_SUITE_COUNT];
    int oom;
} mh__gen;

/* Takes b's contents (never NULL on success; "" when empty) and resets b.
 * NULL (and g->oom set) when any append failed. */
char *mh__gen_take(mh__gen *g, mh__buf *b, size_t *len);

/* Strings. */
char *mh__strdup(mh__gen *g, const char *s);
char *mh__printf(mh__gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *mh__quote(mh__gen *g, const char *s);   /* JSON string literal */
char *mh__slug(mh__gen *g, const char *name); /* kebab-case */
char *mh__percent(mh__gen *g, const char *s); /* RFC 3986 unreserved kept */

/* Bodies (members are copied / raw texts are taken over, even on failure). */
void mh__body_set(mh__gen *g, mh__body *b, const char *key, char *raw);
void mh__body_add(mh__gen *g, mh__body *b, const char *key, char *raw);
void mh__body_remove(mh__body *b, const char *key);
char *mh__body_json(mh__gen *g, const mh__body *b, size_t *len);
void mh__body_free(mh__body *b);

/* Schemas. */
const cJSON *mh__deref(const mh__gen *g, const cJSON *node);
const char *mh__type(const mh__gen *g, const cJSON *s);
int mh__num(const cJSON *s, const char *kw, double *v);
int mh__flag(const cJSON *s, const char *kw);
/* Properties of an object schema, allOf members merged, document order.
 * *out is a new array (slugs not filled); returns 0 or -1 on OOM. */
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
 * the payload is sent alone (cut to maxLength), for boundary payloads. */
char *mh__unique_text(mh__gen *g, const mh__prop *p, const char *payload, size_t cap);
char *mh__payload_text(mh__gen *g, const mh__prop *p, const char *payload);
/* The first name-like property, else the first non-credential property, else
 * the first property; NULL when there are none. */
const mh__prop *mh__main_prop(const mh__gen *g);
/* The typical valid body: credentials = secret, name-like = unique values with
 * payload (cut to cap code points, 0 = 60), other required properties from
 * their schemas, optional ones too when all is set. */
void mh__body_typical(mh__gen *g, mh__body *b, const char *payload, int all);

/* Cases. */
char *mh__target(mh__gen *g, mh__bot_mode mode);
/* A new case with the standard method, target and headers; rng reseeded from
 * (seed, slug, repetition). NULL on OOM. */
mh_case *mh__case_begin(mh__gen *g, mh_suite s, const char *slug, const char *desc);
/* Replaces (value != NULL) or removes (NULL) every header called name. */
void mh__case_header(mh__gen *g, mh_case *c, const char *name, const char *value);
void mh__case_body(mh__gen *g, mh_case *c, char *body, size_t len); /* takes body */
void mh__case_json(mh__gen *g, mh_case *c, mh__body *b);            /* frees b */
/* Computes body_schema_valid and files the case (or drops it). */
void mh__case_finish(mh__gen *g, mh_case *c, mh__expect e);

/* Suites. */
void mh__suite_valid(mh__gen *g);
void mh__suite_boundary(mh__gen *g);
void mh__suite_malformed(mh__gen *g);
void mh__suite_auth(mh__gen *g);
void mh__suite_methods(mh__gen *g);
/* Mints / copies the tokens once per plan; MH_OK or an error. */
mh_status mh__tokens_init(mh__gen *g, mh_error *err);

#endif
