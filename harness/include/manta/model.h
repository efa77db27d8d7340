/* model.h — the result model shared by gen, transport, check and report.
 *
 * A case is one planned request; an exchange is what came back; a finding is
 * one broken rule (a check of the catalogue, check_list.h); a result ties
 * them together. Ownership: every char* and
 * array inside these structs is malloc'd and owned by the struct; free with
 * the matching _free function (which ignores NULL). Cases hold real secret
 * values: anything printed must go through redact.h.
 */
#ifndef MANTA_MODEL_H
#define MANTA_MODEL_H

#include <stddef.h>

#include "manta/check_list.h"
#include "manta/spec.h"

typedef enum {
    MH_SUITE_VALID = 0,
    MH_SUITE_BOUNDARY,
    MH_SUITE_MALFORMED,
    MH_SUITE_AUTH,
    MH_SUITE_METHODS,
    MH_SUITE_FUZZ,
    MH_SUITE_COUNT
} mh_suite;

/* "valid", "boundary", "malformed", "auth", "methods", "fuzz". */
const char *mh_suite_name(mh_suite s);
/* Parses a suite name; -1 when unknown. */
int mh_suite_parse(const char *name);

typedef struct {
    char *name;
    char *value;
} mh_header;

typedef struct {
    char *id; /* stable: "malformed/name-wrong-type-number" */
    mh_suite suite;
    const mh_operation *op; /* borrowed from the spec */
    char *method;           /* "POST", "GET", ... sent verbatim */
    char *target;           /* path + raw query, sent verbatim: "/openapi/personalTag?botId=b1" */
    mh_header *headers;     /* sent exactly, in order (Content-Type, Authorization, ...) */
    size_t header_count;
    char *body; /* NULL = no body at all */
    size_t body_len;
    int body_schema_valid;   /* 1 when the body is strict JSON valid against the request schema */
    size_t body_dropped;     /* bytes cut from the end of body after a large run judged the
                                case (passed cases keep a prefix only); 0 = body is whole */
    char *description;       /* one line: what this case tries */
    char *operation;         /* "METHOD /path" the case is reported under when it is not
                                op's own (a methods case: the method it sends); NULL = op->id */
    char *skip_reason;       /* set: the case is not sent and its outcome is skipped, with
                                this one-line reason (nothing sendable, no credentials ...) */
    int any_declared_status; /* a valid case that does not demand 2xx: any declared status
                                is accepted (generated identifiers, no declared 2xx) */
    char *skip_pointer;      /* where the cause of the skip is: "/json/pointer" in the
                                document, or "FILE#/pointer" in a file it refers to; NULL =
                                none given (mh_case_skip_pointer then falls back on an
                                unusable op's) */
} mh_case;

/* The operation c is reported under, "METHOD /path" with the path template as
 * written: c->operation when set (a methods case: the method it sends), else
 * c->op->id; "" when c has neither. Borrowed, never NULL. */
const char *mh_case_operation(const mh_case *c);

/* The operationId c reports: its operation's operationId when declared and c
 * is the operation's own case (not reported under another "METHOD /path",
 * as a methods case is); else NULL. Borrowed. */
const char *mh_case_operation_id(const mh_case *c);

/* The key c is counted under (DESIGN.md: summary.by_operation, JUnit
 * testsuites): mh_case_operation_id(c) when set, else mh_case_operation(c).
 * Borrowed, never NULL. */
const char *mh_case_operation_key(const mh_case *c);

/* Where the cause of c's skip is, as a new string: c->skip_pointer when set;
 * else, when c's operation is unusable (op->skip_reason), op->skip_pointer
 * ("FILE#/pointer" when op->skip_file names another file); else NULL (also
 * for an empty pointer). Caller frees; NULL also on OOM. */
char *mh_case_skip_pointer(const mh_case *c);

typedef enum {
    MH_XFER_OK = 0,
    MH_XFER_TIMEOUT,
    MH_XFER_CONNECT, /* refused / unreachable */
    MH_XFER_RESET,   /* connection reset or closed mid-answer */
    MH_XFER_TLS,
    MH_XFER_TOO_LARGE, /* answer over --max-response-bytes */
    MH_XFER_PROTOCOL,  /* not HTTP */
    MH_XFER_OTHER
} mh_xfer_error;

const char *mh_xfer_error_name(mh_xfer_error e);

typedef struct {
    mh_xfer_error error; /* MH_XFER_OK when an HTTP answer arrived complete */
    char *error_text;    /* libcurl's message, NULL when OK */
    int status;          /* 0 when no answer */
    char *content_type;  /* NULL when absent */
    mh_header *headers;  /* all answer headers, in order */
    size_t header_count;
    char *body; /* NUL-terminated copy; may contain NULs before body_len */
    size_t body_len;
    double elapsed_ms; /* of the last attempt */
    int attempts;      /* 1 + 429 retries */
    int rate_limited;  /* 1 when still 429 after the retry budget */
    char *reason;      /* reason phrase of the final status line; NULL when empty */
} mh_exchange;

typedef enum { MH_SEV_WARNING = 0, MH_SEV_ERROR = 1 } mh_severity;

/* ---- the check catalogue (check_list.h) ------------------------------------ */

/* One check: its catalogue row. name is an array so that
 * mh_checks[MH_CHECK_X].name is a constant a static table may hold. */
typedef struct {
    char name[MH_CHECK_NAME_MAX];
    mh_severity severity;
    int security;            /* SARIF tags the rule "security" */
    const char *description; /* one line: what makes the check fail */
    const char *sarif_text;  /* the SARIF rule's shortDescription */
} mh_check_info;

/* The catalogue, indexed by mh_check_id (DESIGN.md table order). */
extern const mh_check_info mh_checks[MH_CHECK_COUNT];
/* MH_CHECK_COUNT, for loops over mh_checks[]. */
extern const size_t mh_check_count;

/* The name of check id (its row of check_list.h); "unknown" when id is not
 * a check. Static, never NULL. */
const char *mh_check_name(mh_check_id id);
/* The severity of check id; MH_SEV_ERROR when id is not a check. */
mh_severity mh_check_severity(mh_check_id id);
/* The one-line description of check id; "" when id is not a check. */
const char *mh_check_description(mh_check_id id);
/* The SARIF rule text of check id; "" when id is not a check. */
const char *mh_check_sarif_text(mh_check_id id);
/* 1 when check id's SARIF rule is tagged "security", else 0. */
int mh_check_is_security(mh_check_id id);
/* The id of the check named name (exact, case-sensitive), or -1 when name
 * is NULL or not in the catalogue. */
int mh_check_parse(const char *name);

typedef struct {
    mh_check_id check_id; /* MH_CHECK_COUNT when check is not in the catalogue */
    const char *check;    /* its name: mh_check_name(check_id), static; for a name not in the
                             catalogue (a stored report of another version read back), a string
                             the result's owner keeps alive */
    mh_severity severity;
    char *message; /* what was expected and what came */
    char *path;    /* JSON pointer for schema findings, "" otherwise */
    int known;     /* 1 when the baseline lists it (baseline.h); 0 otherwise */
} mh_finding;

typedef enum {
    MH_OUTCOME_PASSED = 0,
    MH_OUTCOME_FAILED,       /* at least one error-severity finding */
    MH_OUTCOME_WARNING,      /* only warnings */
    MH_OUTCOME_INCONCLUSIVE, /* still rate-limited after retries */
    MH_OUTCOME_SKIPPED       /* not sent: the case's skip_reason says why */
} mh_outcome;

const char *mh_outcome_name(mh_outcome o);

typedef struct {
    mh_case *kase; /* owned */
    mh_exchange exchange;
    mh_finding *findings;
    size_t finding_count;
    mh_outcome outcome;
} mh_result;

/* Deep copies / frees. _free functions free the contents; the _free of a
 * pointer-returning _new also frees the struct. */
mh_case *mh_case_new(void); /* zeroed; NULL on OOM */
void mh_case_free(mh_case *c);
int mh_case_add_header(mh_case *c, const char *name, const char *value); /* 0 / -1 */
/* Deep copy of c (op stays borrowed). Caller frees; NULL on OOM. */
mh_case *mh_case_clone(const mh_case *c);
/* Replaces c's body with a copy of body[0..len) (NULL = no body). 0 / -1. */
int mh_case_set_body(mh_case *c, const char *body, size_t len);
/* Removes every header named name (case-insensitive). */
void mh_case_remove_header(mh_case *c, const char *name);
void mh_exchange_clear(mh_exchange *x);
/* Appends a finding of catalogue check `check` to r: severity and name come
 * from the catalogue, the message from fmt (at most 1023 bytes), path NULL
 * means "". Returns 0, or -1 on OOM (r unaltered). */
int mh_result_add_finding(mh_result *r, mh_check_id check, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends a finding read back from a stored report, by name: a catalogue
 * name becomes that check (its static name, the given severity); any other
 * name is borrowed as is (check_id MH_CHECK_COUNT) and must outlive r.
 * message is copied (its first 1023 bytes, the cap of every finding
 * message). Returns 0, or -1 on OOM (r unaltered). */
int mh_result_add_finding_named(mh_result *r, const char *check, mh_severity sev, const char *path,
                                const char *message);
void mh_result_clear(mh_result *r); /* frees case, exchange, findings */
/* Clears results[0..n) and frees the array itself. NULL is a no-op. */
void mh_results_free(mh_result *results, size_t n);

/* Case-insensitive header lookup on an exchange; borrowed; NULL if absent. */
const char *mh_exchange_header(const mh_exchange *x, const char *name);

#endif
