/* faults.c — the fault table: each mode breaks one rule of DESIGN.md so
 * exactly one harness check fires, named by its catalogue id
 * (check_list.h), so a misspelt check does not compile. */
#include <string.h>

#include "manta/model.h"
#include "refserver.h"

/* The catalogue's name of check MH_CHECK_<id>: a constant, fit for the
 * static table below. */
#define CHECK(id) mh_checks[MH_CHECK_##id].name

const mh_refserver_fault_info mh_refserver_faults[] = {
    [MH_FAULT_DROP_MESSAGE] = {"drop-message", CHECK(RESPONSE_SCHEMA_CONFORMANCE),
                               "200 answers lack the required message property"},
    [MH_FAULT_SUCCESS_STRING] = {"success-string", CHECK(RESPONSE_SCHEMA_CONFORMANCE),
                                 "200 answers carry success as the string \"true\""},
    [MH_FAULT_ERROR_NO_ERRRESPONSE] = {"error-no-errresponse", CHECK(RESPONSE_SCHEMA_CONFORMANCE),
                                       "403 answers lack the required errResponse object"},
    [MH_FAULT_CODE_STRING] = {"code-string", CHECK(RESPONSE_SCHEMA_CONFORMANCE),
                              "error answers carry errResponse.code as a string"},
    [MH_FAULT_TRAILING_GARBAGE] = {"trailing-garbage", CHECK(RESPONSE_SCHEMA_CONFORMANCE),
                                   "every answer body has bytes after the JSON value"},
    [MH_FAULT_DUPLICATE_KEYS] = {"duplicate-keys", CHECK(RESPONSE_SCHEMA_CONFORMANCE),
                                 "every answer body names \"success\" twice"},
    [MH_FAULT_HTML_CONTENT_TYPE] = {"html-content-type", CHECK(CONTENT_TYPE_CONFORMANCE),
                                    "every answer is labelled text/html (body unchanged)"},
    [MH_FAULT_UNDECLARED_400] = {"undeclared-400", CHECK(STATUS_CODE_CONFORMANCE),
                                 "malformed bodies and media types get 400 instead of 403"},
    [MH_FAULT_CRASH_500] = {"crash-500", CHECK(NOT_A_SERVER_ERROR),
                            "bodies that are not strict JSON get 500 (conformant body)"},
    [MH_FAULT_ACCEPT_NO_AUTH] = {"accept-no-auth", CHECK(IGNORED_AUTH),
                                 "missing, invalid or other-bot tokens get 200 (nothing stored)"},
    [MH_FAULT_ACCEPT_MALFORMED] = {"accept-malformed", CHECK(NEGATIVE_DATA_REJECTION),
                                   "schema-invalid bodies get 200 (nothing stored)"},
    [MH_FAULT_REJECT_CJK] = {"reject-cjk", CHECK(POSITIVE_DATA_ACCEPTANCE),
                             "valid names containing CJK characters get 403"},
    [MH_FAULT_ECHO_SECRET] = {"echo-secret", CHECK(SENSITIVE_DATA_EXPOSURE),
                              "error messages quote the configured body secret"},
    [MH_FAULT_ECHO_TOKEN] = {"echo-token", CHECK(SENSITIVE_DATA_EXPOSURE),
                             "error messages quote the bearer token sent"},
    [MH_FAULT_SUCCESS_FALSE] = {"success-false", CHECK(SUCCESS_FLAG_CONSISTENCY),
                                "200 answers say success: false"},
    [MH_FAULT_GET_200] = {"get-200", CHECK(UNSUPPORTED_METHOD),
                          "GET on the operation's path answers 200"},
    [MH_FAULT_NO_ALLOW] = {"no-allow", CHECK(ALLOW_HEADER_CONFORMANCE),
                           "405 answers lack the Allow header"},
    [MH_FAULT_SLOW] = {"slow", CHECK(MAX_RESPONSE_TIME), "every answer is delayed by 300 ms"},
    [MH_FAULT_RESET_LONG_NAME] = {"reset-long-name", CHECK(TRANSPORT_ERROR),
                                  "names over 1000 bytes: connection closed, no answer"},
    [MH_FAULT_HUGE_ANSWER] = {"huge-answer", CHECK(TRANSPORT_ERROR),
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
