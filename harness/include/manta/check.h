/* check.h — judge one answer against its case and the contract.
 *
 * The checks are the ones of DESIGN.md (the catalogue: check_list.h, read
 * through model.h). Findings are appended to the mh_result, which owns them; nothing
 * here prints. Every finding message says what was expected and what came,
 * and every message and path is passed through the redactor, so no secret
 * value ever lands in a finding.
 *
 * Decisions worth knowing:
 * - response_schema_conformance validates the body only when the answer's
 *   media type matched a declared JSON media type (application/json or
 *   *+json) that has a schema. A wrong Content-Type is reported once, by
 *   content_type_conformance, and the body is not judged against a schema it
 *   was not claimed to follow (no double reporting).
 * - A strict-JSON rejection of the body is one response_schema_conformance
 *   finding naming the rule ("trailing_data", "bom", ...) and line:col; a
 *   schema violation is one finding per violation with its JSON pointer as
 *   the finding's path (the first 100; one more finding counts the rest).
 * - A response that declares no content and answers an empty body is fine;
 *   a non-empty body there is a content_type_conformance finding.
 * - The methods suite is judged only by unsupported_method,
 *   allow_header_conformance, not_a_server_error, sensitive_data_exposure and
 *   transport_error (405 is not declared by the spec).
 * - A transport failure yields one transport_error finding and nothing else:
 *   the answer is incomplete.
 * - 429 on the valid suite is no positive_data_acceptance finding: the
 *   transport retried it; if it is still rate limited the outcome is
 *   inconclusive unless an error-severity finding makes it failed.
 * - success_flag_consistency looks for a top-level boolean member named
 *   exactly "success" (that name is the check's definition in DESIGN.md).
 */

#ifndef MANTA_CHECK_H
#define MANTA_CHECK_H

#include <stddef.h>

#include "manta/error.h"
#include "manta/model.h"
#include "manta/redact.h"
#include "manta/spec.h"

typedef struct {
    const mh_redactor *secrets; /* sensitive values: configured secret, JWT key, every valid
                                   bearer token sent; may be NULL */
    long max_response_time_ms;  /* 0 = check off */
    unsigned long long enabled; /* MH_CHECK_BIT(id) of each check on; 0 = all */
    const mh_spec *spec;        /* for allow_header_conformance: every method declared on the
                                   path; NULL = only the case's operation's method */
} mh_check_opts;

/* The bit of check id in a mask of enabled checks. */
#define MH_CHECK_BIT(id) (1ULL << (id))

/* Parses a comma-separated list of check names ("a,b", spaces around names
 * allowed) into a mask of MH_CHECK_BIT()s. Returns MH_OK and sets *mask, or
 * MH_ERR_USAGE (message names the unknown check and the flag --checks,
 * *mask unaltered) for an unknown name or an empty list. */
mh_status mh_check_parse_list(const char *list, unsigned long long *mask, mh_error *err);

/* 1 when check id is on in mask (0 = all on); 0 when id is not a check. */
int mh_check_enabled(unsigned long long mask, mh_check_id id);

/* Judges r->exchange against r->kase (its suite and operation) and appends
 * the findings to r; sets r->outcome: failed when any error-severity finding,
 * else inconclusive when the exchange stayed rate limited (rate_limited set or
 * a final 429), else warning when
 * any warning, else passed. Disabled checks never produce findings. o may be
 * NULL (all checks, no secrets, no time limit). Out of memory may drop
 * findings but never crashes. */
void mh_check_result(const mh_check_opts *o, mh_result *r);

/* The response-conformance part alone (status_code_conformance,
 * content_type_conformance, response_schema_conformance), used by `validate`
 * and by the fuzzers. content_type may be NULL (header absent); body need not
 * be NUL-terminated. Appends findings to r; does not touch r->outcome. */
void mh_check_response(const mh_operation *op, int status, const char *content_type,
                       const char *body, size_t body_len, unsigned long long enabled, mh_result *r);

/* Validates body strictly against schema s (response direction), appending
 * response_schema_conformance findings: one for a strict-JSON rejection, or
 * one per schema violation with its pointer. Used by `validate --schema`.
 * Returns the number of findings appended. */
size_t mh_check_body_schema(const mh_schema *s, const char *body, size_t body_len,
                            unsigned long long enabled, mh_result *r);

#endif
