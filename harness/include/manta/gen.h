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
 * - Credential properties: string properties of the request body whose name
 *   is credential-like by mh_credential_name (manta/credential.h: the one
 *   rule, shared with the reference server). Top-level ones carry
 *   opts->secret everywhere except the auth case that sends a wrong value
 *   (secret + "-wrong"); required nested ones carry opts->secret too.
 * - Name-like properties: required top-level string properties that are not
 *   credentials and have no enum, format or pattern. They carry unique values
 *   "mh-<run_id>-<n>" (plus a suite-specific payload), n counting up through
 *   the plan, so a second run creates no duplicates. Valid values are at most
 *   60 code points and contain no control characters.
 * - Other properties are generated from their schema: enum (first value),
 *   format (a fixed example), strings within minLength/maxLength, numbers
 *   within minimum/maximum, booleans, objects and arrays recursively with
 *   their required properties / minItems. allOf members are merged; for
 *   oneOf/anyOf the first alternative is used. opts->properties set
 *   top-level properties the body schema declares, in every case but the
 *   malformed ones (and but the property's own boundary probes).
 * - Parameters (path, query, header, cookie): a value comes from
 *   opts->params (one naming the operation first, then a global one), then
 *   opts->bot_id for a parameter named botId, then the parameter's example,
 *   then its schema. The standard request carries every path and required
 *   parameter and every configured one; serialised with the parameter's
 *   style and explode (manta/spec.h) and percent-encoded per RFC 3986
 *   (allowReserved honoured in the query).
 * - Headers, in order: Content-Type (the request body's media type as
 *   written), Authorization: Bearer <token> (when the operation's security
 *   takes a bearer token), Accept (application/json when a declared answer is
 *   JSON, else the declared types, else * / *), header parameters, Cookie.
 * - A valid case demands a 2xx only when every path parameter and every
 *   required query and header parameter was configured or came from an
 *   example, and the operation declares a 2xx; otherwise it sets
 *   mh_case.any_declared_status (a generated id may well not exist).
 * - Skipped cases (mh_case.skip_reason set, never sent): one for an unusable
 *   operation (its reason and JSON pointer), one for an operation with
 *   nothing sendable, one for a secured operation without credentials (its
 *   auth cases that need no valid token and its methods cases still run).
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

/* 1 when a usable op's effective security takes a bearer token: every
 * scheme of one of its requirements is http bearer, oauth2 or openIdConnect
 * and no requirement is anonymous. Without a token or key such an
 * operation's cases that need one are skipped. */
int mh_gen_wants_bearer(const mh_operation *op);

/* Frees everything the plan owns and zeroes it. NULL is a no-op. */
void mh_plan_free(mh_plan *p);

/* 8 lowercase hex characters from /dev/urandom (time ^ pid when it cannot be
 * read). Caller frees; NULL on OOM. */
char *mh_gen_new_run_id(void);

#endif
