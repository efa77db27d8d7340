/* gen.h — the seeded, schema-driven case generator.
 *
 * mh_gen_plan() turns the selected operations of a loaded spec into a plan of
 * cases in the five suites of DESIGN.md (valid, boundary, malformed, auth,
 * methods): operation after operation in the order given, each operation's
 * cases suite after suite, each case with an id "<suite>/<slug>" unique within
 * the operation it is reported under. Nothing here knows the Manta operation:
 * every property and parameter is found by walking the schemas
 * (mh_schema_source / mh_spec_deref), with these rules:
 *
 * - Request bodies: the first application/json or +json media type with a
 *   schema; else application/x-www-form-urlencoded, else multipart/form-data,
 *   with an object schema (encoded as such: primitives as text, arrays as
 *   repeated fields, objects as JSON text); else the first media type with an
 *   example (sent as declared). An optional body that none of these fits is
 *   left out; a required one makes the operation one skipped case.
 * - Security: an operation is secured when its effective security has
 *   requirements and none of them is the anonymous {}. Its requests carry
 *   the credentials of the first alternative all of whose schemes are
 *   configured (http bearer, oauth2 and openIdConnect: the token; http
 *   basic: opts->basic; apiKey: opts->api_keys by scheme name), each where
 *   its scheme says: Authorization: Bearer <token> or Basic <base64>, the
 *   API key as the named header, query parameter or cookie. A secured
 *   operation for which no alternative is configured plans one skipped
 *   case for its valid, boundary and malformed suites (mh_gen_op_access
 *   gives the reason) and runs its auth and methods cases without
 *   credentials.
 * - Credential properties: string properties of the request body of a
 *   secured operation whose name is credential-like by mh_credential_name
 *   (manta/credential.h: the one rule, shared with the reference server).
 *   Top-level ones carry opts->secret everywhere except the auth case that
 *   sends a wrong value (secret + "-wrong"); required nested ones carry
 *   opts->secret too. In a public operation such a name is an ordinary
 *   property (a new user's "password" gets a generated value).
 * - Name-like properties: required top-level string properties that are not
 *   credentials and have no enum, format or pattern. They carry unique values
 *   "mh-<run_id>-<n>" (plus a suite-specific payload), n counting up through
 *   the plan, so a second run creates no duplicates. Valid values are at most
 *   60 code points and contain no control characters.
 * - Other properties are generated from their schema: enum (first value),
 *   format (a fixed example), strings within minLength/maxLength, numbers
 *   within minimum/maximum, booleans, objects and arrays recursively with
 *   their required properties / minItems (readOnly properties are never
 *   sent). allOf members are merged; for oneOf/anyOf the first alternative
 *   is used; of a type array, the first type that is not "null".
 *   opts->properties set top-level properties the body schema declares, in
 *   every case but the malformed ones (and but the property's own boundary
 *   probes).
 * - Parameters (path, query, header, cookie): a value comes from
 *   opts->params (one naming the operation first, then a global one), then
 *   opts->bot_id for a parameter named botId, then the parameter's example,
 *   then its schema. The standard request carries every path and required
 *   parameter and every configured one; serialised with the parameter's
 *   style and explode (manta/spec.h) and percent-encoded per RFC 3986
 *   (allowReserved honoured in the query).
 * - Headers, in order: Content-Type (the request body's media type as
 *   written), Authorization (Bearer or Basic, when the alternative sent
 *   takes one), Accept (application/json when a declared answer is JSON,
 *   else the declared types, else * / *), API keys sent as headers, header
 *   parameters, Cookie (API key cookies first). API keys sent in the query
 *   follow the query parameters.
 * - The auth suite, per secured operation, attacks the alternative sent
 *   (else the first one): for a bearer token (http bearer, oauth2,
 *   openIdConnect) no Authorization, an empty bearer, the Basic scheme, the
 *   token under another scheme, a garbage token and, when the token is a
 *   JWT, a tampered signature and alg:none, and with a key the expired and
 *   other-bot tokens; for http basic no Authorization, empty and garbage
 *   credentials, the configured user with a wrong password; for each
 *   apiKey scheme the key missing, empty, garbage and, when configured,
 *   sent in each of the other two places (header, query, cookie); then a
 *   wrong value of each credential property. Without configured
 *   credentials only the cases that need no valid credential. Public
 *   operations have no auth cases.
 * - A valid case demands a 2xx only when every path parameter and every
 *   required query and header parameter was configured or came from an
 *   example, and the operation declares a 2xx; otherwise it sets
 *   mh_case.any_declared_status (a generated id may well not exist).
 * - Skipped cases (mh_case.skip_reason set, never sent): one for an unusable
 *   operation (its reason and JSON pointer), one for an operation with
 *   nothing sendable, one for a secured operation without credentials (its
 *   auth cases that need no valid credential and its methods cases still
 *   run).
 * - The methods suite runs once per path (with the first operation of the
 *   plan on that path): every one of GET, PUT, POST, PATCH and DELETE that no
 *   operation on the path declares; such a case has mh_case.operation =
 *   "METHOD /path" of the method it sends.
 *
 * Cases are classified by validating their bodies (mh_json_parse, then
 * mh_schema_validate in MH_DIR_REQUEST): a boundary candidate that turns out
 * schema-invalid (e.g. a length above maxLength) is emitted in malformed under
 * the same slug; a malformed candidate that turns out valid (e.g. null for a
 * nullable property) is dropped. Duplicate-key bodies stay in boundary with
 * body_schema_valid = 0, as DESIGN.md wants.
 *
 * Randomness: each case's random parts come from a generator seeded with
 * (seed, case id, repetition), so the same seed + spec + run_id + now give the
 * same plan byte for byte whatever suites are selected, and a different run_id
 * changes only the unique names.
 */
#ifndef MANTA_GEN_H
#define MANTA_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "manta/error.h"
#include "manta/model.h"
#include "manta/spec.h"

/* A configured API key: --api-key SCHEME=VALUE. */
typedef struct {
    const char *scheme; /* its name under components/securitySchemes */
    const char *value;
} mh_gen_api_key;

/* A configured value: --param [SEL:]NAME=VALUE or --property [SEL:]NAME=VALUE.
 * VALUE is text; it is read as JSON when the schema wants a number, boolean,
 * array or object and it parses so (an array parameter also takes a comma
 * list), else it is a string. */
typedef struct {
    const char *operation; /* NULL = every operation; else "METHOD /path" or an operationId */
    const char *name;
    const char *value;
} mh_gen_value;

typedef struct {
    const mh_spec *spec;
    const mh_operation *op;         /* the one operation, when op_count is 0 */
    const mh_operation *const *ops; /* several operations, planned in this order */
    size_t op_count;
    const mh_gen_value *params; /* parameter values (--param), in order */
    size_t param_count;
    const mh_gen_value *properties; /* top-level body properties (--property) */
    size_t property_count;
    uint64_t seed;
    const char *run_id;  /* goes into unique names: "mh-<run_id>-..."; required */
    const char *bot_id;  /* value of parameters named botId and the botId claim of minted
                            tokens; NULL = from --param, an example or the schema */
    const char *secret;  /* real value of credential properties; required when there are any */
    const char *token;   /* bearer token to send (given); NULL when jwt_key is used */
    const char *jwt_key; /* when set: mint the valid token (claims botId, iat, exp = now +
                            3600) unless token is given, and enable the expired and
                            other-bot cases */
    const mh_gen_api_key *api_keys; /* API keys of apiKey schemes (--api-key) */
    size_t api_key_count;
    const char *basic;   /* "USER:PASS" for http basic schemes (--basic); NULL = none */
    long long now;       /* unix time used for minting (tests pin it) */
    unsigned suites;     /* bitmask of (1u << mh_suite); 0 = the five default suites;
                            the fuzz bit is ignored (fuzzing has its own generator) */
    size_t max_cases;    /* 0 = no limit; otherwise a deterministic subset that keeps every
                            suite represented (round-robin over suites in plan order) */
    size_t first_repeat; /* 0/1 = start at repetition 1; k = generate repetitions k.. only
                            (lets a caller stream a large repeated plan) */
    size_t repeat;       /* 0/1 = once; N = the plan N times with fresh unique names (ids
                            get a "#k" suffix for k >= 2) */
} mh_gen_opts;

typedef struct {
    mh_case **cases;
    size_t count;
    char **tokens; /* every credential token in the plan (the valid token, the minted
                      ones signed with the key): register them with the redactor */
    size_t token_count;
} mh_plan;

/* Builds the plan. On success *out owns every case and token (free with
 * mh_plan_free). On failure *out is zeroed and err says why:
 * MH_ERR_USAGE when a needed input is missing (no run id; a required botId
 * parameter with no --bot-id, --param or example; credential properties and
 * no --secret) or when the plan has no case at all (the suites asked for have
 * none for these operations), MH_ERR_NOMEM. A secured operation without
 * credentials is no error: its cases that need them are one skipped case. */
mh_status mh_gen_plan(const mh_gen_opts *o, mh_plan *out, mh_error *err);

/* Which operations a run takes (--operation, --tag, --exclude; each list
 * may be empty). */
typedef struct {
    const char *const *operations; /* "METHOD /path" or operationId */
    size_t operation_count;
    const char *const *tags;
    size_t tag_count;
    const char *const *excludes; /* "METHOD /path" or operationId */
    size_t exclude_count;
} mh_gen_selection;

/* The operations of spec that sel selects, in document order: every
 * operation when neither operations nor tags are given, else those named by
 * an operation selector or carrying one of the tags; then the excluded ones
 * removed. Unusable operations (skip_reason) are included: they plan one
 * skipped case. On success *out is a new array of *n pointers borrowed from
 * spec (caller frees the array). Errors: MH_ERR_NOTFOUND for a selector that
 * names no operation (the message lists them) or a tag no operation has (the
 * message lists the tags), MH_ERR_USAGE when nothing is left, MH_ERR_NOMEM. */
mh_status mh_gen_select(const mh_spec *spec, const mh_gen_selection *sel, const mh_operation ***out,
                        size_t *n, mh_error *err);

/* 1 when sel names op: "METHOD /path" (method case-insensitive, path exact)
 * or op's operationId (exact). */
int mh_gen_selects(const mh_operation *op, const char *sel);

/* Whether an operation can be tested with the credentials of o (token or
 * jwt_key, basic, api_keys). */
typedef enum {
    MH_GEN_PUBLIC = 0,    /* not secured (no security, [], or an anonymous alternative);
                             also an unusable operation */
    MH_GEN_CREDENTIALS,   /* secured, and an alternative's credentials are all configured */
    MH_GEN_NO_CREDENTIALS /* secured, and no alternative's are */
} mh_gen_access;

/* The access of op under o (see gen.h's Security rule). With
 * MH_GEN_NO_CREDENTIALS and a non-NULL why, *why is a new string the
 * caller frees (NULL on OOM) saying what to give, scheme by scheme:
 * "no credentials for security scheme api_key: give --api-key
 * api_key=..."; otherwise *why is NULL. */
mh_gen_access mh_gen_op_access(const mh_gen_opts *o, const mh_operation *op, char **why);

/* Frees everything the plan owns and zeroes it. NULL is a no-op. */
void mh_plan_free(mh_plan *p);

/* 8 lowercase hex characters from /dev/urandom (time ^ pid when it cannot be
 * read). Caller frees; NULL on OOM. */
char *mh_gen_new_run_id(void);

#endif
