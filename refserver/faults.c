/* faults.c — the fault table: each mode breaks one rule of DESIGN.md so
 * exactly one harness check fires. */
#include <string.h>

#include "refserver.h"

const mh_refserver_fault_info mh_refserver_faults[] = {
    [MH_FAULT_DROP_MESSAGE] = {"drop-message", "response_schema_conformance",
                               "200 answers lack the required message property"},
    [MH_FAULT_SUCCESS_STRING] = {"success-string", "response_schema_conformance",
                                 "200 answers carry success as the string \"true\""},
    [MH_FAULT_ERROR_NO_ERRRESPONSE] = {"error-no-errresponse", "response_schema_conformance",
                                       "403 answers lack the required errResponse object"},
    [MH_FAULT_CODE_STRING] = {"code-string", "response_schema_conformance",
                              "error answers carry errResponse.code as a string"},
    [MH_FAULT_TRAILING_GARBAGE] = {"trailing-garbage", "response_schema_conformance",
                                   "every answer body has bytes after the JSON value"},
    [MH_FAULT_DUPLICATE_KEYS] = {"duplicate-keys", "response_schema_conformance",
                                 "every answer body names \"success\" twice"},
    [MH_FAULT_HTML_CONTENT_TYPE] = {"html-content-type", "content_type_conformance",
                                    "every answer is labelled text/html (body unchanged)"},
    [MH_FAULT_UNDECLARED_400] = {"undeclared-400", "status_code_conformance",
                                 "malformed bodies and media types get 400 instead of 403"},
    [MH_FAULT_CRASH_500] = {"crash-500", "not_a_server_error",
                            "bodies that are not strict JSON get 500 (conformant body)"},
    [MH_FAULT_ACCEPT_NO_AUTH] = {"accept-no-auth", "ignored_auth",
                                 "missing, invalid or other-bot tokens get 200 (nothing stored)"},
    [MH_FAULT_ACCEPT_MALFORMED] = {"accept-malformed", "negative_data_rejection",
                                   "schema-invalid bodies get 200 (nothing stored)"},
    [MH_FAULT_REJECT_CJK] = {"reject-cjk", "positive_data_acceptance",
                             "valid names containing CJK characters get 403"},
    [MH_FAULT_ECHO_SECRET] = {"echo-secret", "sensitive_data_exposure",
                              "error messages quote the configured body secret"},
    [MH_FAULT_ECHO_TOKEN] = {"echo-token", "sensitive_data_exposure",
                             "error messages quote the bearer token sent"},
    [MH_FAULT_SUCCESS_FALSE] = {"success-false", "success_flag_consistency",
                                "200 answers say success: false"},
    [MH_FAULT_GET_200] = {"get-200", "unsupported_method",
                          "GET on the operation's path answers 200"},
    [MH_FAULT_NO_ALLOW] = {"no-allow", "allow_header_conformance",
                           "405 answers lack the Allow header"},
    [MH_FAULT_SLOW] = {"slow", "max_response_time", "every answer is delayed by 300 ms"},
    [MH_FAULT_RESET_LONG_NAME] = {"reset-long-name", "transport_error",
                                  "names over 1000 bytes: connection closed, no answer"},
    [MH_FAULT_HUGE_ANSWER] = {"huge-answer", "transport_error",
                              "200 answers are 8 MiB (over the harness size cap)"},
};

const size_t mh_refserver_fault_count = sizeof mh_refserver_faults / sizeof mh_refserver_faults[0];

_Static_assert(sizeof mh_refserver_faults / sizeof mh_refserver_faults[0] == MH_FAULT_COUNT,
               "one table row per fault");

int mh_refserver_fault_parse(const char *name)
{
    for (size_t i = 0; name && i < mh_refserver_fault_count; i++)
        if (strcmp(mh_refserver_faults[i].name, name) == 0)
            return (int)i;
    return -1;
}
