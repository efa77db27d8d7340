/* check_list.h — the check catalogue: every check of DESIGN.md, once.
 *
 * One row per check, in DESIGN.md's table order. That order is part of the
 * output contract: it is the order of the JSON report's by_check object, of
 * the console and HTML tables and of the SARIF rules (a rule's ruleIndex),
 * and a check's bit in a --checks mask (check.h) is its position here. So a
 * new check is inserted where DESIGN.md's table has it, and no row moves.
 *
 *   X(ID, name, severity, security, description, sarif_text)
 *
 *   ID          the enum constant is MH_CHECK_<ID>
 *   name        the check's name in reports, baselines and --checks
 *   severity    MH_SEV_ERROR or MH_SEV_WARNING (model.h)
 *   security    1 when SARIF tags the rule as a security one (code scanning's
 *               security view), else 0
 *   description one line: what makes the check fail
 *   sarif_text  the SARIF rule's shortDescription
 *
 * This is the only file of harness/ and refserver/ that spells a check
 * name: everything else says MH_CHECK_<ID> and asks model.h for the name
 * (mh_check_name) or the id of a name (mh_check_parse), so a misspelt
 * check is a compile error rather than a finding silently dropped.
 * tests/tools/layers.py enforces that.
 */
#ifndef MANTA_CHECK_LIST_H
#define MANTA_CHECK_LIST_H

#define MH_CHECK_LIST(X)                                                                           \
    X(NOT_A_SERVER_ERROR, "not_a_server_error", MH_SEV_ERROR, 1, "any 5xx answer",                 \
      "The server answered with a 5xx status.")                                                    \
    X(STATUS_CODE_CONFORMANCE, "status_code_conformance", MH_SEV_ERROR, 0,                         \
      "the status is not declared for the operation (and no default)",                             \
      "The status code is not declared for the operation.")                                        \
    X(CONTENT_TYPE_CONFORMANCE, "content_type_conformance", MH_SEV_ERROR, 0,                       \
      "the response media type is not declared for that status",                                   \
      "The response media type is not declared for that status.")                                  \
    X(RESPONSE_HEADERS_CONFORMANCE, "response_headers_conformance", MH_SEV_ERROR, 0,               \
      "a required response header is missing, or a declared header's value violates its schema",   \
      "A declared response header is missing or violates its schema.")                             \
    X(RESPONSE_SCHEMA_CONFORMANCE, "response_schema_conformance", MH_SEV_ERROR, 0,                 \
      "the body is not strict RFC 8259 JSON or violates the declared schema",                      \
      "The response body is not strict JSON or violates the declared schema.")                     \
    X(NEGATIVE_DATA_REJECTION, "negative_data_rejection", MH_SEV_ERROR, 0,                         \
      "a malformed (or schema-invalid fuzz) case got a 2xx",                                       \
      "A malformed request was accepted with a 2xx status.")                                       \
    X(POSITIVE_DATA_ACCEPTANCE, "positive_data_acceptance", MH_SEV_ERROR, 0,                       \
      "a valid case got anything but a 2xx (429 is retried, not failed)",                          \
      "A valid request was not accepted with a 2xx status.")                                       \
    X(IGNORED_AUTH, "ignored_auth", MH_SEV_ERROR, 1, "an auth case got a 2xx",                     \
      "A request with missing or invalid credentials was accepted.")                               \
    X(SENSITIVE_DATA_EXPOSURE, "sensitive_data_exposure", MH_SEV_ERROR, 1,                         \
      "an answer contains the secret, the JWT key or a bearer token the harness sent",             \
      "An answer contains the configured secret, the JWT key or a bearer token.")                  \
    X(TRANSPORT_ERROR, "transport_error", MH_SEV_ERROR, 1,                                         \
      "reset, timeout, TLS failure or a response over the size cap",                               \
      "The exchange failed: reset, timeout, TLS failure or a response over the size cap.")         \
    X(MAX_RESPONSE_TIME, "max_response_time", MH_SEV_ERROR, 0,                                     \
      "the answer was slower than --max-response-time",                                            \
      "The answer was slower than --max-response-time.")                                           \
    X(SUCCESS_FLAG_CONSISTENCY, "success_flag_consistency", MH_SEV_WARNING, 0,                     \
      "a 2xx says success: false, or an error status says success: true",                          \
      "The success flag contradicts the status (2xx with false, or an error status with true).")   \
    X(UNSUPPORTED_METHOD, "unsupported_method", MH_SEV_WARNING, 0,                                 \
      "an undeclared method got a 2xx",                                                            \
      "An undeclared method on the path was accepted with a 2xx status.")                          \
    X(ALLOW_HEADER_CONFORMANCE, "allow_header_conformance", MH_SEV_WARNING, 0,                     \
      "a 405 answer lacks an Allow header listing the declared methods",                           \
      "A 405 answer lacks an Allow header listing the declared methods.")

/* MH_CHECK_NOT_A_SERVER_ERROR, ... in catalogue order; MH_CHECK_COUNT is
 * the number of checks, and the check_id of a finding whose name is not in
 * the catalogue (a report of another version read back, model.h). */
#define MH_CHECK_ENUM_ROW(id, name, severity, security, description, sarif_text) MH_CHECK_##id,
typedef enum { MH_CHECK_LIST(MH_CHECK_ENUM_ROW) MH_CHECK_COUNT } mh_check_id;
#undef MH_CHECK_ENUM_ROW

/* Room for the longest check name and its NUL (model.h's mh_check_info). */
#define MH_CHECK_NAME_MAX 32

#endif
