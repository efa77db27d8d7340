/* handler.c — the judging rules of DESIGN.md "Reference server semantics",
 * in order; the first rule that applies answers. Shared by the daemon
 * (refserver.c, above) and by mh_refserver_handle (no sockets, here). Below
 * it: answer.c (bodies), names.c (name rules), log.c, store.c, ratelimit.c. */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "manta/json_strict.h"
#include "manta/jwt.h"
#include "refserver_int.h"

#define LONG_NAME_BYTES 1000 /* reset-long-name fault threshold */
#define SLOW_MS 300

static int on(const mh_refserver *s, mh_refserver_fault f)
{
    return (s->faults & MH_FAULT_BIT(f)) != 0;
}

/* Per-request state the rules share. */
typedef struct {
    mh_refserver *s;
    mh__answer *a;
    char *token;     /* bearer token sent (copy), NULL when none */
    const char *bot; /* the configured bot named by the query, NULL when none */
    int bot_index;
    int unauthorised; /* accepted only because of the accept-no-auth fault */
} judging;

static int error(judging *j, int status, const char *message)
{
    mh__answer *a = j->a;
    a->status = status;
    a->body = mh__error_body(j->s, status, message, j->bot, j->token, &a->body_len);
    return a->body ? 0 : -1;
}

static int success(judging *j, const char *message)
{
    mh__answer *a = j->a;
    a->status = 200;
    if (on(j->s, MH_FAULT_HUGE_ANSWER) && j->s->huge_body) {
        a->body = j->s->huge_body;
        a->body_len = j->s->huge_len;
        a->body_static = 1;
        return 0;
    }
    a->body = mh__success_body(j->s, message, &a->body_len);
    return a->body ? 0 : -1;
}

/* The token of "Bearer <token>" (scheme case-insensitive), copied; NULL when
 * absent, another scheme or empty. */
static char *bearer_token(const char *h)
{
    if (!h)
        return NULL;
    while (*h == ' ' || *h == '\t')
        h++;
    if (strncasecmp(h, "bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
        return NULL;
    h += 6;
    while (*h == ' ' || *h == '\t')
        h++;
    size_t n = strlen(h);
    while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
        n--;
    return n ? strndup(h, n) : NULL;
}

static int find_bot(const mh_refserver *s, const char *id, size_t len)
{
    for (size_t i = 0; id && i < s->bot_count; i++)
        if (s->bot_lens[i] == len && memcmp(s->bots[i], id, len) == 0)
            return (int)i;
    return -1;
}

/* Rule 5's malformed-input answer: 403, or 400 under undeclared-400. */
static int malformed(judging *j, const char *message)
{
    return error(j, on(j->s, MH_FAULT_UNDECLARED_400) ? 400 : 403, message);
}

static int check_credential(judging *j, const cJSON *body)
{
    mh_refserver *s = j->s;
    if (!s->cred_prop || !s->secret)
        return 1;
    const cJSON *v = mh_json_get(body, s->cred_prop);
    if (!cJSON_IsString(v))
        return 0;
    size_t n = strlen(v->valuestring);
    /* length is not secret; the bytes are compared in constant time */
    return n == s->secret_len && CRYPTO_memcmp(v->valuestring, s->secret, n) == 0;
}

/* Rules 5 (after the body is known to be strict JSON) and 6. */
static int judge_body(judging *j, const cJSON *body)
{
    mh_refserver *s = j->s;
    mh_violations v = {0};
    size_t bad = mh_schema_validate(s->req_schema, body, MH_DIR_REQUEST, &v);
    char msg[256];
    if (bad) {
        snprintf(msg, sizeof msg, "request body violates the schema: %s at '%.64s'",
                 v.items[0].keyword, v.items[0].pointer);
        mh_violations_free(&v);
        if (on(s, MH_FAULT_ACCEPT_MALFORMED))
            return success(j, "personal tag created");
        /* a pointer made of the secret itself would leak it: drop it */
        if (s->secret && strstr(msg, s->secret))
            snprintf(msg, sizeof msg, "request body violates the schema");
        return malformed(j, msg);
    }
    mh_violations_free(&v);
    if (!check_credential(j, body))
        return error(j, 403, "wrong credential");
    const cJSON *name = mh_json_get(body, s->name_prop);
    if (!cJSON_IsString(name))
        return malformed(j, "name must be a string");
    if (on(s, MH_FAULT_RESET_LONG_NAME) && strlen(name->valuestring) > LONG_NAME_BYTES) {
        j->a->drop = 1;
        return 0;
    }
    const char *start;
    size_t len;
    int rule = mh__name_check(name->valuestring, &start, &len);
    if (rule == 1)
        return error(j, 403, "name must have 1 to 100 characters after trimming");
    if (rule == 2)
        return error(j, 403, "name must not contain control characters");
    if (on(s, MH_FAULT_REJECT_CJK) && mh__has_cjk(start, len))
        return error(j, 403, "name rejected");
    /* accept-no-auth answers 200 but stores nothing, so a later valid case
     * with the same name is not refused as a duplicate (one check fires) */
    if (j->unauthorised)
        return success(j, "personal tag created");
    int r = mh__store_insert(s->stores[j->bot_index], start, len);
    if (r < 0)
        return error(j, 500, "out of memory");
    if (r == 0)
        return error(j, 403, "a personal tag with this name already exists");
    return success(j, "personal tag created");
}

/* Rules 4 and 5 up to parsing. */
static int judge_request(judging *j, const mh__request *rq)
{
    mh_refserver *s = j->s;
    int retry = 1;
    if (!mh__bucket_take(&s->buckets[j->bot_index], mh__now_mono(), &retry)) {
        j->a->retry_after = retry;
        return error(j, 429, "rate limit exceeded");
    }
    if (!mh__is_json_media(rq->content_type))
        return malformed(j, "Content-Type must be application/json");
    if (rq->too_large)
        return malformed(j, "request body over 65536 bytes");
    cJSON *body = NULL;
    mh_json_error je;
    if (mh_json_parse(rq->body ? rq->body : "", rq->body_len, NULL, &body, &je) != MH_JSON_OK) {
        char msg[128];
        snprintf(msg, sizeof msg, "request body is not strict JSON: %s at byte %zu",
                 mh_json_rule_name(je.rule), je.offset);
        if (on(s, MH_FAULT_CRASH_500))
            return error(j, 500, "internal server error");
        return malformed(j, msg);
    }
    int r = judge_body(j, body);
    cJSON_Delete(body);
    return r;
}

/* Rules 1 to 3, then the rest. */
static int judge_auth(judging *j, const mh__request *rq)
{
    mh_refserver *s = j->s;
    mh_jwt_result jr = MH_JWT_MALFORMED;
    char *claim = NULL;
    j->token = bearer_token(rq->authorization);
    if (j->token)
        jr = mh_jwt_verify(j->token, s->jwt_key, s->jwt_key_len, time(NULL), &claim);
    int bot = rq->bot_params == 1 ? find_bot(s, rq->bot_id, rq->bot_id_len) : -1;
    j->bot_index = bot;
    j->bot = bot >= 0 ? s->bots[bot] : NULL;
    int r;
    char msg[96];
    int lax = on(s, MH_FAULT_ACCEPT_NO_AUTH);
    if (jr != MH_JWT_OK && !lax) {
        snprintf(msg, sizeof msg, "invalid bearer token: %s",
                 j->token ? mh_jwt_result_name(jr) : "missing");
        r = error(j, 401, msg);
    } else if (bot < 0) {
        r = error(j, 404,
                  rq->bot_params == 0   ? "botId query parameter missing"
                  : rq->bot_params > 1  ? "botId query parameter given more than once"
                  : rq->bot_id_len == 0 ? "botId is empty"
                                        : "unknown botId");
    } else if (claim && strcmp(claim, j->bot) != 0 && !lax) {
        r = error(j, 403, "token was issued for another bot");
    } else {
        j->unauthorised = jr != MH_JWT_OK || (claim && strcmp(claim, j->bot) != 0);
        r = judge_request(j, rq);
    }
    free(claim);
    return r;
}

/* 1 when path matches the operation's path template: literal segments
 * equal, each {param} segment any non-empty segment. Written by hand because
 * it is three lines of segment walking, not worth a routing library. */
static int path_matches(const char *path, const char *tmpl)
{
    while (*path && *tmpl) {
        if (*tmpl == '{') {
            const char *close = strchr(tmpl, '}');
            size_t seg = strcspn(path, "/");
            if (!close || seg == 0)
                return 0;
            tmpl = close + 1;
            path += seg;
        } else if (*path++ != *tmpl++) {
            return 0;
        }
    }
    return *path == '\0' && *tmpl == '\0';
}

int mh__judge(mh_refserver *s, const mh__request *rq, mh__answer *a)
{
    memset(a, 0, sizeof *a);
    atomic_fetch_add(&s->requests, 1);
    judging j = {.s = s, .a = a, .bot_index = -1};
    int r;
    if (on(s, MH_FAULT_HTML_CONTENT_TYPE))
        a->html = 1;
    if (on(s, MH_FAULT_SLOW))
        a->delay_ms = SLOW_MS;
    if (!path_matches(rq->path, s->op->path)) {
        r = error(&j, 404, "no such path");
    } else if (strcasecmp(rq->method, s->op->method) != 0) {
        if (on(s, MH_FAULT_GET_200) && strcmp(rq->method, "GET") == 0) {
            r = success(&j, "ok");
        } else {
            a->allow = on(s, MH_FAULT_NO_ALLOW) ? NULL : s->allow;
            r = error(&j, 405, "method not allowed");
        }
    } else {
        r = judge_auth(&j, rq);
    }
    free(j.token);
    return r;
}

/* Appends the percent-decoded s[0..n) ('+' is a space, as in forms). */
static size_t percent_decode(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = OPENSSL_hexchar2int((unsigned char)s[i + 1])) >= 0 &&
            (lo = OPENSSL_hexchar2int((unsigned char)s[i + 2])) >= 0) {
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[k++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    return k;
}

/* Counts the bot parameters (name) of raw_query and decodes the last one into buf. */
static void parse_query(const char *q, const char *name, mh__request *rq, char *buf)
{
    size_t want = strlen(name);
    while (q && *q) {
        size_t n = strcspn(q, "&");
        const char *eq = memchr(q, '=', n);
        size_t klen = eq ? (size_t)(eq - q) : n;
        if (klen <= 63) {
            char kbuf[64];
            size_t kd = percent_decode(q, klen, kbuf);
            if (kd == want && memcmp(kbuf, name, want) == 0) {
                rq->bot_params++;
                rq->bot_id = buf;
                rq->bot_id_len = eq ? percent_decode(eq + 1, n - klen - 1, buf) : 0;
            }
        }
        q += n + (q[n] == '&');
    }
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int mh_refserver_handle(mh_refserver *s, const char *method, const char *path,
                        const char *raw_query, const char *authorization, const char *content_type,
                        const char *body, size_t body_len, mh_refserver_answer *out)
{
    memset(out, 0, sizeof *out);
    char *qbuf = malloc(raw_query ? strlen(raw_query) + 1 : 1);
    if (!qbuf)
        return -1;
    mh__request rq = {.method = method,
                      .path = path,
                      .authorization = authorization,
                      .content_type = content_type,
                      .body = body,
                      .body_len =
                          body_len > MH_REFSERVER_MAX_BODY ? MH_REFSERVER_MAX_BODY : body_len,
                      .too_large = body_len > MH_REFSERVER_MAX_BODY};
    parse_query(raw_query, s->bot_param, &rq, qbuf);
    mh__answer a;
    int r = mh__judge(s, &rq, &a);
    free(qbuf);
    if (r != 0) {
        mh__answer_free(&a);
        return -1;
    }
    mh__log(s, method, path, &a, 0);
    if (a.drop) {
        mh__answer_free(&a);
        return 1;
    }
    char ra[16];
    snprintf(ra, sizeof ra, "%d", a.retry_after);
    out->status = a.status;
    out->content_type = strdup(mh__answer_content_type(&a));
    out->body = malloc(a.body_len + 1);
    out->body_len = a.body_len;
    out->allow = dup_or_null(a.allow);
    out->retry_after = a.retry_after ? strdup(ra) : NULL;
    int oom = !out->content_type || !out->body || (a.allow && !out->allow) ||
              (a.retry_after && !out->retry_after);
    if (out->body) {
        memcpy(out->body, a.body, a.body_len);
        out->body[a.body_len] = '\0';
    }
    mh__answer_free(&a);
    if (oom) {
        mh_refserver_answer_clear(out);
        return -1;
    }
    return 0;
}

void mh_refserver_answer_clear(mh_refserver_answer *a)
{
    if (!a)
        return;
    free(a->content_type);
    free(a->body);
    free(a->allow);
    free(a->retry_after);
    memset(a, 0, sizeof *a);
}
