/* refserver.h — the reference implementation of the endpoint (libmicrohttpd).
 *
 * Serves one operation of a loaded spec ("POST /openapi/personalTag" by
 * default) with the semantics of DESIGN.md "Reference server semantics",
 * judged in this order, the first rule that applies answering:
 *   1 missing/malformed/badly signed/alg:none/expired HS256 token -> 401
 *   2 missing, empty, repeated or unknown botId query parameter   -> 404
 *   3 the token's botId claim differs from the query botId        -> 403
 *   4 the bot's token bucket is empty                             -> 429 + Retry-After
 *   5 Content-Type not application/json, body over 64 KiB, body not strict
 *     JSON, schema-invalid (the operation's request schema), wrong credential
 *     property, name failing the business rules, duplicate name    -> 403
 *   6 otherwise                                                    -> 200, tag stored
 * Other methods on the operation's path -> 405 + Allow; other paths -> 404.
 * Every answer is application/json; every error body is an ErrorResponse
 * whose errResponse.code equals the status.
 *
 * The two request-body properties are found in the request schema, never
 * hard-coded: the credential is the first string property whose name is
 * credential-like by mh_credential_name (manta/credential.h, the rule the
 * case generator uses too), the name is the first other required property of
 * type string. Names are trimmed of Unicode white space, must then
 * have 1..100 code points and no control characters (U+0000..U+001F,
 * U+007F..U+009F); the trimmed name is what is stored and compared for
 * duplicates (byte for byte, no Unicode normalisation).
 *
 * Thread-safety: one mh_refserver serves concurrent requests; the tag store
 * and the rate limiter are locked per bot. mh_refserver_handle may be called
 * from any thread.
 */
#ifndef MH_REFSERVER_H
#define MH_REFSERVER_H

#include <stddef.h>
#include <stdio.h>

#include "manta/error.h"
#include "manta/spec.h"

/* Largest request body accepted, in bytes (a larger body is answered 403). */
#define MH_REFSERVER_MAX_BODY 65536

typedef struct mh_refserver mh_refserver;

/* Fault modes: each breaks exactly one rule so exactly one harness check
 * fires. Bit i of mh_refserver_opts.faults enables mh_refserver_faults[i]. */
typedef enum {
    MH_FAULT_DROP_MESSAGE = 0,
    MH_FAULT_SUCCESS_STRING,
    MH_FAULT_ERROR_NO_ERRRESPONSE,
    MH_FAULT_CODE_STRING,
    MH_FAULT_TRAILING_GARBAGE,
    MH_FAULT_DUPLICATE_KEYS,
    MH_FAULT_HTML_CONTENT_TYPE,
    MH_FAULT_UNDECLARED_400,
    MH_FAULT_CRASH_500,
    MH_FAULT_ACCEPT_NO_AUTH,
    MH_FAULT_ACCEPT_MALFORMED,
    MH_FAULT_REJECT_CJK,
    MH_FAULT_ECHO_SECRET,
    MH_FAULT_ECHO_TOKEN,
    MH_FAULT_SUCCESS_FALSE,
    MH_FAULT_GET_200,
    MH_FAULT_NO_ALLOW,
    MH_FAULT_SLOW,
    MH_FAULT_RESET_LONG_NAME,
    MH_FAULT_HUGE_ANSWER,
    MH_FAULT_COUNT
} mh_refserver_fault;

#define MH_FAULT_BIT(f) (1ULL << (f))

typedef struct {
    const char *host;           /* default "127.0.0.1" */
    unsigned short port;        /* 0 = ephemeral */
    const mh_spec *spec;        /* borrowed; must outlive the server */
    const char *op_id;          /* NULL = "POST /openapi/personalTag" */
    const char *const *bot_ids; /* one or more configured bots (copied) */
    size_t bot_count;
    const char *secret;  /* the credential property's value (copied); NULL = not checked */
    const char *jwt_key; /* HS256 key (copied) */
    size_t jwt_key_len;
    double rate_limit;         /* requests/s per bot, burst max(1, rate); 0 = off */
    unsigned long long faults; /* bitmask of MH_FAULT_BIT(mh_refserver_fault) */
    FILE *log;                 /* one line per request (method path status ms); NULL = silent */
    int no_listen;             /* 1: no daemon, only mh_refserver_handle (fuzzing, unit tests) */
} mh_refserver_opts;

/* Starts the server. On success *out owns everything (free with
 * mh_refserver_stop). Errors: MH_ERR_USAGE (no bot, no key, bad host),
 * MH_ERR_NOTFOUND (operation not in the spec), MH_ERR_SPEC (no JSON request
 * schema or no string name property), MH_ERR_NETWORK (cannot listen),
 * MH_ERR_NOMEM. *out is NULL on failure. */
mh_status mh_refserver_start(const mh_refserver_opts *o, mh_refserver **out, mh_error *err);

/* "http://127.0.0.1:PORT" (no trailing slash; clients append the spec path).
 * Borrowed. "" in no_listen mode. */
const char *mh_refserver_base_url(const mh_refserver *s);

/* The port actually bound (0 in no_listen mode). */
unsigned short mh_refserver_port(const mh_refserver *s);

/* Stops the daemon (waiting for in-flight requests) and frees everything.
 * NULL is a no-op. */
void mh_refserver_stop(mh_refserver *s);

/* Fault table, indexed by mh_refserver_fault: name (kebab-case), the
 * DESIGN.md check it must trigger in the harness, one-line description. */
typedef struct {
    const char *name;
    const char *check;
    const char *description;
} mh_refserver_fault_info;
extern const mh_refserver_fault_info mh_refserver_faults[];
extern const size_t mh_refserver_fault_count;

/* Index of the fault named name, or -1. */
int mh_refserver_fault_parse(const char *name);

/* One answer of mh_refserver_handle. Every pointer is malloc'd and owned by
 * the struct (NULL when absent); free with mh_refserver_answer_clear. */
typedef struct {
    int status;
    char *content_type;
    char *body;
    size_t body_len;
    char *allow;
    char *retry_after;
} mh_refserver_answer;

void mh_refserver_answer_clear(mh_refserver_answer *a);

/* Judges one request in process, exactly as the daemon would (no sockets).
 * raw_query is the undecoded query without '?', NULL when absent;
 * authorization/content_type are header values or NULL; body may be NULL.
 * Returns 0 with *out filled, 1 when the server would close the connection
 * without answering (reset-long-name fault; *out left zeroed), -1 on OOM. */
int mh_refserver_handle(mh_refserver *s, const char *method, const char *path,
                        const char *raw_query, const char *authorization, const char *content_type,
                        const char *body, size_t body_len, mh_refserver_answer *out);

/* Tags stored for bot_id (0 when unknown); bot_id NULL = all bots. */
size_t mh_refserver_tag_count(const mh_refserver *s, const char *bot_id);
/* 1 when the (trimmed) name is stored for bot_id, else 0. */
int mh_refserver_has_tag(const mh_refserver *s, const char *bot_id, const char *name);
/* Requests judged so far (daemon and mh_refserver_handle). */
unsigned long long mh_refserver_request_count(const mh_refserver *s);

#endif
