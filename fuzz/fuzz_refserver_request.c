/* fuzz_refserver_request.c — the reference server's request handler, in
 * process, no sockets.
 *
 * Input, '\n'-separated: "METHOD [+fault-name]... [x2]", path, raw query,
 * Authorization, Content-Type, then the body (the rest, bytes as they come).
 * An empty query/Authorization/Content-Type line means the header is absent.
 * Authorization "VALID"/"VALID2" becomes a valid bearer token for the first/
 * second configured bot and "EXPIRED" an expired one, so the fuzzer reaches
 * the rules behind authentication. "x2" sends the request twice (duplicate
 * names). Each input gets a fresh server (no state leaks between inputs, so
 * every crash replays).
 *
 * Properties: the handler answers (or, only under reset-long-name, drops);
 * with no fault enabled every answer except 405 passes the harness's own
 * response checks (status, content type, body schema), and a 405 carries an
 * Allow header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_util.h"
#include "manta/check.h"
#include "manta/jwt.h"
#include "manta/spec.h"
#include "refserver.h"

/* Fixed test configuration: fuzzing values, not deployment secrets. */
static const char key[] = "fuzz-key-0123456789abcdef";
static const char *const bots[] = {"fuzz-bot", "fuzz-bot-2"};
static const char secret[] = "fuzz-secret";

static mh_spec *spec;
static const mh_operation *op;
static char *valid_auth[2];
static char *expired_auth;
static int verbose; /* MH_FUZZ_VERBOSE=1: print each answer's status (seed authoring) */

static char *bearer(const char *bot, long long iat, long long exp)
{
    char *t = mh_jwt_mint(key, sizeof key - 1, bot, iat, exp);
    char *h = t ? malloc(strlen(t) + 8) : NULL;
    if (!h)
        abort();
    sprintf(h, "Bearer %s", t);
    free(t);
    return h;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    mh_error err;
    if (mh_spec_load(mh_fuzz_contract_path(), &spec, &err) != MH_OK ||
        !(op = mh_spec_find_operation(spec, "POST /openapi/personalTag", &err))) {
        char line[1024];
        fprintf(stderr, "fuzz_refserver_request: %s\n", mh_error_format(&err, line, sizeof line));
        abort();
    }
    long long now = (long long)time(NULL);
    valid_auth[0] = bearer(bots[0], now, now + 10LL * 365 * 86400);
    valid_auth[1] = bearer(bots[1], now, now + 10LL * 365 * 86400);
    expired_auth = bearer(bots[0], 1000000000, 1000000600);
    verbose = getenv("MH_FUZZ_VERBOSE") != NULL;
    return 0;
}

typedef struct {
    char *line[5]; /* method flags, path, query, authorization, content type */
    const char *body;
    size_t body_len;
    unsigned long long faults;
    int twice;
} request;

/* Splits the first five lines off data; the lines are NUL-terminated copies. */
static void split(const uint8_t *data, size_t size, request *rq)
{
    const uint8_t *p = data, *end = data + size;
    memset(rq, 0, sizeof *rq);
    for (int i = 0; i < 5 && p <= end; i++) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        const uint8_t *stop = nl ? nl : end;
        rq->line[i] = mh_fuzz_strndup(p, (size_t)(stop - p));
        p = nl ? nl + 1 : end + 1;
    }
    if (p <= end) {
        rq->body = (const char *)p;
        rq->body_len = (size_t)(end - p);
    }
}

/* Cuts "METHOD +fault x2" down to METHOD, collecting faults and x2. The slow
 * fault is not taken (mh_refserver_handle never sleeps, but a fuzzer should
 * not depend on that), nor huge-answer (8 MiB per input). */
static void parse_flags(request *rq)
{
    char *m = rq->line[0];
    char *sp = m ? strchr(m, ' ') : NULL;
    if (!sp)
        return;
    *sp = '\0';
    for (char *tok = strtok(sp + 1, " "); tok; tok = strtok(NULL, " ")) {
        int f = tok[0] == '+' ? mh_refserver_fault_parse(tok + 1) : -1;
        if (f >= 0 && f != MH_FAULT_SLOW && f != MH_FAULT_HUGE_ANSWER)
            rq->faults |= MH_FAULT_BIT(f);
        else if (strcmp(tok, "x2") == 0)
            rq->twice = 1;
    }
}

static const char *optional(const char *line)
{
    return line && line[0] ? line : NULL;
}

static const char *authorization(const char *line)
{
    if (line && strcmp(line, "VALID") == 0)
        return valid_auth[0];
    if (line && strcmp(line, "VALID2") == 0)
        return valid_auth[1];
    if (line && strcmp(line, "EXPIRED") == 0)
        return expired_auth;
    return optional(line);
}

static void check_answer(const request *rq, int rc, const mh_refserver_answer *a)
{
    MH_FUZZ_ASSERT(rc == 0 || rc == 1);
    if (rc == 1) {
        MH_FUZZ_ASSERT(rq->faults & MH_FAULT_BIT(MH_FAULT_RESET_LONG_NAME));
        return;
    }
    MH_FUZZ_ASSERT(a->status >= 100 && a->status <= 599);
    MH_FUZZ_ASSERT(a->body != NULL || a->body_len == 0);
    if (rq->faults)
        return;
    if (a->status == 405) {
        MH_FUZZ_ASSERT(a->allow != NULL && strstr(a->allow, "POST") != NULL);
        return;
    }
    mh_result r;
    memset(&r, 0, sizeof r);
    mh_check_response(op, a->status, a->content_type, a->body, a->body_len, 0, &r);
    MH_FUZZ_ASSERT(r.finding_count == 0);
    mh_result_clear(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    request rq;
    split(data, size, &rq);
    parse_flags(&rq);
    mh_refserver_opts o = {.spec = spec,
                           .bot_ids = bots,
                           .bot_count = 2,
                           .secret = secret,
                           .jwt_key = key,
                           .jwt_key_len = sizeof key - 1,
                           .faults = rq.faults,
                           .no_listen = 1};
    mh_refserver *s = NULL;
    if (mh_refserver_start(&o, &s, NULL) != MH_OK)
        abort();
    for (int n = 0; n < 1 + rq.twice; n++) {
        mh_refserver_answer a;
        int rc = mh_refserver_handle(s, rq.line[0] ? rq.line[0] : "", rq.line[1] ? rq.line[1] : "",
                                     optional(rq.line[2]), authorization(rq.line[3]),
                                     optional(rq.line[4]), rq.body, rq.body_len, &a);
        if (verbose)
            fprintf(stderr, "%s %s -> %d %d\n", rq.line[0] ? rq.line[0] : "",
                    rq.line[1] ? rq.line[1] : "", rc, a.status);
        check_answer(&rq, rc, &a);
        mh_refserver_answer_clear(&a);
    }
    mh_refserver_stop(s);
    for (int i = 0; i < 5; i++)
        free(rq.line[i]);
    return 0;
}
