/* gen.h — the seeded, schema-driven case generator.
 *
 * mh_gen_plan() turns one operation of a loaded spec into a plan of cases in
 * the five suites of DESIGN.md (valid, boundary, malformed, auth, methods),
 * in that order, each case with a stable id "<suite>/<slug>". Nothing here
 * knows the Manta operation: every property and parameter is found by walking
 * the request schema (mh_schema_source / mh_spec_deref), with these rules:
 *
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
 *   oneOf/anyOf the first alternative is used.
 * - The bot parameter: the first required query or path parameter whose name
 *   contains "bot" (case-insensitive) gets opts->bot_id. Other required query,
 *   path and header parameters are generated from their schemas. Query and
 *   path values are percent-encoded (RFC 3986 unreserved characters kept).
 * - Headers, in order: Content-Type (the request body's JSON media type as
 *   written), Authorization: Bearer <token> (when op->bearer_auth), Accept:
 *   application/json, then required header parameters.
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

typedef struct {
    const mh_spec *spec;
    const mh_operation *op;
    uint64_t seed;
    const char *run_id;  /* goes into unique names: "mh-<run_id>-..."; required */
    const char *bot_id;  /* value for the bot parameter; required when there is one */
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
 * MH_ERR_USAGE when a needed input is missing (no run id; a bearer operation
 * with neither token nor key, naming --token/--jwt-key; a bot parameter and no
 * --bot-id; credential properties and no --secret), MH_ERR_SPEC when the
 * operation has no JSON request body with an object schema, MH_ERR_NOMEM. */
mh_status mh_gen_plan(const mh_gen_opts *o, mh_plan *out, mh_error *err);

/* Frees everything the plan owns and zeroes it. NULL is a no-op. */
void mh_plan_free(mh_plan *p);

/* 8 lowercase hex characters from /dev/urandom (time ^ pid when it cannot be
 * read). Caller frees; NULL on OOM. */
char *mh_gen_new_run_id(void);

#endif
