/* test_contract_servers.c — `manta-harness run` against independent servers
 * written only to DESIGN.md's contract.
 *
 * Each row of the table is a small server: the reference server's in-process
 * judgement (mh_refserver_handle on a no_listen server), optionally fed a
 * rewritten request (a server that ignores one rule) and with its answer
 * altered (a server that words, frames or breaks its answers differently),
 * sent back over tu_hostile's raw socket. The row says exactly which checks
 * (the JSON report's by_check keys) the harness must report and its exit
 * status: faulty servers must be caught by exactly their check, conformant
 * but different servers must pass clean. Runs use --suite subsets so the
 * whole file stays short, also under ASan+UBSan.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "manta/jwt.h"
#include "manta/model.h"
#include "refserver.h"
#include "manta/spec.h"
#include "testutil.h"
#include "tu_report.h"
#include "tu_hostile.h"
#include "tu_server.h"
#include "tu_tmp.h"
#include "util/buf.h"

/* Distinctive credentials. The secret holds '&' and '/' and the key '<' and
 * '>', which common JSON encoders escape (Go: \u0026, \u003c; PHP: \/). */
#define BOT "adv-bot"
#define SECRET "adv-S3cr3t&Q7/zx"
#define KEY "adv-K3y<w4Pv2>9"

/* ---------------------------------------------------------------- request */

typedef struct {
    size_t k; /* request index over the server's life */
    char method[16];
    char *target; /* path without the query */
    char *query;  /* NULL when absent */
    char *auth;   /* header values, NULL when absent (rows may rewrite them) */
    char *ctype;
    char *body;
    size_t body_len;
    const char *raw; /* the whole request as received */
    size_t raw_len;
    int refuse; /* set by a rewriter: answer 429 without judging (nothing stored) */
} req;

static int req_parse(req *q, size_t k, const char *raw, size_t len)
{
    memset(q, 0, sizeof *q);
    q->k = k;
    q->raw = raw;
    q->raw_len = len;
    const char *hdr_end = strstr(raw, "\r\n\r\n");
    const char *sp = strchr(raw, ' ');
    if (!hdr_end || !sp || (size_t)(sp - raw) >= sizeof q->method)
        return -1;
    memcpy(q->method, raw, (size_t)(sp - raw));
    const char *t = sp + 1, *te = strchr(t, ' ');
    if (!te)
        return -1;
    q->target = strndup(t, (size_t)(te - t));
    char *qm = strchr(q->target, '?');
    if (qm) {
        *qm = '\0';
        q->query = strdup(qm + 1);
    }
    q->auth = tu_hostile_header_dup(raw, "Authorization");
    q->ctype = tu_hostile_header_dup(raw, "Content-Type");
    q->body_len = len - (size_t)(hdr_end + 4 - raw);
    q->body = malloc(q->body_len + 1);
    memcpy(q->body, hdr_end + 4, q->body_len);
    q->body[q->body_len] = '\0';
    return 0;
}

static void req_free(req *q)
{
    free(q->target);
    free(q->query);
    free(q->auth);
    free(q->ctype);
    free(q->body);
}

/* ----------------------------------------------------------------- answer */

typedef struct {
    int status;
    const char *reason; /* NULL: the usual phrase */
    char *ct;           /* NULL: no Content-Type header */
    char *body;
    size_t body_len;
    char hdrs[4096]; /* further header lines, each ending in CRLF */
    char trailer[512];
} ans;

static void ans_body(ans *a, const char *b, size_t n)
{
    free(a->body);
    a->body = malloc(n + 1);
    memcpy(a->body, b, n);
    a->body[n] = '\0';
    a->body_len = n;
}

static void ans_text(ans *a, const char *b)
{
    ans_body(a, b, strlen(b));
}

static void ans_ct(ans *a, const char *ct)
{
    free(a->ct);
    a->ct = ct ? strdup(ct) : NULL;
}

static void ans_hdr(ans *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ans_hdr(ans *a, const char *fmt, ...)
{
    size_t used = strlen(a->hdrs);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->hdrs + used, sizeof a->hdrs - used, fmt, ap);
    va_end(ap);
    strncat(a->hdrs, "\r\n", sizeof a->hdrs - strlen(a->hdrs) - 1);
}

/* Drops every header line named name from the extra headers. */
static void ans_drop_hdr(ans *a, const char *name)
{
    size_t n = strlen(name);
    char out[sizeof a->hdrs] = "";
    for (char *p = a->hdrs; *p;) {
        char *e = strstr(p, "\r\n");
        size_t l = e ? (size_t)(e - p) + 2 : strlen(p);
        if (!(strncasecmp(p, name, n) == 0 && p[n] == ':'))
            strncat(out, p, l);
        p += l;
    }
    memcpy(a->hdrs, out, sizeof out);
}

static int is_error(const ans *a)
{
    return a->status >= 400;
}

/* -------------------------------------------------------------- the rows */

typedef enum {
    FR_LENGTH = 0,  /* HTTP/1.1, Content-Length, keep-alive */
    FR_CHUNKED,     /* HTTP/1.1, chunked in two pieces (+ trailer), keep-alive */
    FR_HTTP10,      /* HTTP/1.0, Connection: close, body ended by the close */
    FR_SILENT_CLOSE /* HTTP/1.1 with Content-Length, then closed unannounced */
} framing;

typedef struct row row;
typedef struct srv srv;

struct row {
    const char *name;
    const char *how;                            /* the deviation, for failure messages */
    const char *suites;                         /* --suite value; NULL = every suite */
    void (*pre)(srv *s, req *q);                /* rewrites the request before judging */
    void (*post)(srv *s, const req *q, ans *a); /* alters the answer */
    framing fr;
    int odd_case;       /* header names in alternating case */
    int interim;        /* a 100 and a 103 before every answer */
    const char *checks; /* expected by_check keys, "a,b"; "" none */
    int exit_code;
    const char *must_case; /* a case id that must carry a finding */
    const char *extra[4];  /* more CLI arguments */
};

struct srv {
    const row *r;
    mh_refserver *ref;
    char *good_token;      /* a valid token for BOT, for rows that accept bad ones */
    const char *elsewhere; /* base URL of another server (redirect target) */
    pthread_mutex_t mu;
    char *seen[512]; /* rate-limit-once: requests answered 429 already */
    size_t seen_n;
};

/* ---- request rewriters: servers that ignore one rule ---- */

static mh_jwt_result token_result(const req *q, char **bot)
{
    *bot = NULL;
    if (!q->auth || strncasecmp(q->auth, "Bearer ", 7) != 0)
        return MH_JWT_MALFORMED;
    return mh_jwt_verify(q->auth + 7, KEY, strlen(KEY), time(NULL), bot);
}

static void use_good_token(srv *s, req *q)
{
    free(q->auth);
    size_t n = strlen(s->good_token) + 8;
    q->auth = malloc(n);
    snprintf(q->auth, n, "Bearer %s", s->good_token);
}

static void pre_accept_expired(srv *s, req *q)
{
    char *bot;
    if (token_result(q, &bot) == MH_JWT_EXPIRED)
        use_good_token(s, q);
    free(bot);
}

static void pre_accept_other_bot(srv *s, req *q)
{
    char *bot;
    if (token_result(q, &bot) == MH_JWT_OK && bot && strcmp(bot, BOT) != 0)
        use_good_token(s, q);
    free(bot);
}

/* Trusts the header's alg: an unsigned token's claims are taken as they are. */
static void pre_accept_alg_none(srv *s, req *q)
{
    char *bot;
    if (token_result(q, &bot) == MH_JWT_BAD_ALG)
        use_good_token(s, q);
    free(bot);
}

/* Decodes the claims and never checks the signature. */
static void pre_accept_bad_signature(srv *s, req *q)
{
    char *bot;
    if (token_result(q, &bot) == MH_JWT_BAD_SIG)
        use_good_token(s, q);
    free(bot);
}

/* Checks that the credential property is a string, never its value. */
static void pre_accept_wrong_secret(srv *s, req *q)
{
    (void)s;
    cJSON *j = cJSON_ParseWithLength(q->body, q->body_len);
    cJSON *sec = j ? cJSON_GetObjectItemCaseSensitive(j, "secret") : NULL;
    if (cJSON_IsString(sec) && strcmp(sec->valuestring, SECRET) != 0) {
        cJSON_SetValuestring(sec, SECRET);
        char *b = cJSON_PrintUnformatted(j);
        free(q->body);
        q->body = b;
        q->body_len = strlen(b);
    }
    cJSON_Delete(j);
}

/* Parses any body as JSON whatever its declared type. */
static void pre_accept_text_plain(srv *s, req *q)
{
    (void)s;
    if (q->ctype && strncasecmp(q->ctype, "text/plain", 10) == 0) {
        free(q->ctype);
        q->ctype = strdup("application/json");
    }
}

/* ---- answer rewriters ---- */

static void post_201(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 200)
        a->status = 201;
}

static void post_ok_error_shape(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 200)
        ans_text(a, "{\"success\":true,\"errResponse\":{\"message\":\"created\",\"code\":200}}");
}

static void post_ok_no_success(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 200)
        ans_text(a, "{\"message\":\"created\"}");
}

static void post_ok_nested(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 200)
        ans_text(a, "{\"data\":{\"success\":true,\"message\":\"created\"}}");
}

static void post_ok_empty(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 200)
        ans_text(a, "");
}

static void post_error_no_ct(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (is_error(a))
        ans_ct(a, NULL);
}

static void post_error_problem_json(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (is_error(a))
        ans_ct(a, "application/problem+json");
}

/* Declares UTF-16 and sends UTF-16LE: the media type is right, the body is
 * not the UTF-8 JSON RFC 8259 requires on the wire. */
static void post_utf16(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    size_t n = a->body_len;
    char *w = calloc(2 * n + 1, 1);
    for (size_t i = 0; i < n; i++)
        w[2 * i] = a->body[i];
    ans_body(a, w, 2 * n);
    free(w);
    ans_ct(a, "application/json; charset=utf-16");
}

static void post_bom(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    size_t n = a->body_len;
    char *b = malloc(n + 3);
    memcpy(b, "\xEF\xBB\xBF", 3);
    memcpy(b + 3, a->body, n);
    ans_body(a, b, n + 3);
    free(b);
}

static void post_allow_get(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 405) {
        ans_drop_hdr(a, "Allow");
        ans_hdr(a, "Allow: GET");
    }
}

/* RFC 9110 5.3: a list header may be split over several field lines. */
static void post_allow_split(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 405) {
        ans_drop_hdr(a, "Allow");
        ans_hdr(a, "Allow: OPTIONS");
        ans_hdr(a, "Allow: POST");
    }
}

static void post_405_empty(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 405) {
        ans_ct(a, NULL);
        ans_text(a, "");
    }
}

static void post_405_html(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 405) {
        ans_ct(a, "text/html; charset=iso-8859-1");
        ans_text(a, "<html><body><h1>405 Method Not Allowed</h1></body></html>");
    }
}

static void post_methods_404(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 405) {
        a->status = 404;
        ans_drop_hdr(a, "Allow");
        ans_ct(a, "text/plain");
        ans_text(a, "404 page not found\n");
    }
}

static void post_get_200(srv *s, const req *q, ans *a)
{
    (void)s;
    if (a->status == 405 && strcmp(q->method, "GET") == 0) {
        a->status = 200;
        ans_drop_hdr(a, "Allow");
        ans_text(a, "{\"success\":true,\"message\":\"[]\"}");
    }
}

/* 302 to another origin for every create: never to be followed. */
static void post_redirect(srv *s, const req *q, ans *a)
{
    (void)q;
    if (a->status == 200) {
        a->status = 302;
        ans_hdr(a, "Location: %s/moved", s->elsewhere);
        ans_ct(a, NULL);
        ans_text(a, "");
    }
}

static void post_always_429(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    a->status = 429;
    ans_ct(a, "application/json");
    ans_text(a, "{\"success\":false,\"errResponse\":{\"message\":\"slow down\",\"code\":429}}");
    ans_drop_hdr(a, "Retry-After");
    ans_hdr(a, "Retry-After: 1");
}

/* The first time each distinct request arrives it is refused with 429 (with
 * Retry-After: 0 or none at all); the retry is judged. */
static int first_time(srv *s, const req *q)
{
    pthread_mutex_lock(&s->mu);
    int first = 1;
    for (size_t i = 0; i < s->seen_n && first; i++)
        first = strcmp(s->seen[i], q->raw) != 0;
    if (first && s->seen_n < sizeof s->seen / sizeof s->seen[0])
        s->seen[s->seen_n++] = strdup(q->raw);
    pthread_mutex_unlock(&s->mu);
    return first;
}

static void pre_429_once(srv *s, req *q)
{
    q->refuse = first_time(s, q);
}

static void post_429_once(srv *s, const req *q, ans *a)
{
    (void)s;
    if (!q->refuse)
        return;
    a->status = 429;
    ans_ct(a, "application/json");
    ans_text(a, "{\"success\":false,\"errResponse\":{\"message\":\"later\",\"code\":429}}");
    if (q->k % 2 == 0)
        ans_hdr(a, "Retry-After: 0");
}

/* Unknown members everywhere (numbers at the edges of the grammar, nested
 * objects), other messages, no botId, pretty-printed with CRLFs, extra
 * headers. Everything the contract allows. */
static void post_extra_members(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 405 || !a->body_len)
        return;
    cJSON *j = cJSON_ParseWithLength(a->body, a->body_len);
    if (!j)
        return;
    cJSON *err = cJSON_GetObjectItemCaseSensitive(j, "errResponse");
    if (err) {
        cJSON_DeleteItemFromObjectCaseSensitive(err, "botId");
        cJSON_ReplaceItemInObjectCaseSensitive(err, "message",
                                               cJSON_CreateString("Nope. \u00e9\xe2\x9c\x93"));
        cJSON_AddItemToObject(err, "details", cJSON_CreateArray());
    } else {
        cJSON_ReplaceItemInObjectCaseSensitive(j, "message", cJSON_CreateString(""));
    }
    cJSON_AddStringToObject(j, "traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
    cJSON_AddNullToObject(j, "meta");
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    /* Numbers cJSON would not print: huge exponent, negative zero. */
    size_t n = strlen(text);
    const char *tail = ",\r\n\t\"esc\": \"a\\u0000b\\ud83d\\ude00\\/\\u00e9\", \"big\": 1E+400, "
                       "\"tiny\": -0.0e-400, \"neg\": -0\r\n}\r\n";
    char *b = malloc(n + strlen(tail) + 4);
    memcpy(b, "\r\n ", 3);
    memcpy(b + 3, text, n + 1);
    char *close = strrchr(b + 3, '}');
    strcpy(close, tail);
    ans_body(a, b, strlen(b));
    free(b);
    free(text);
    ans_hdr(a, "Set-Cookie: sid=abc; HttpOnly");
    ans_hdr(a, "X-Request-Id: 42");
    ans_hdr(a, "Cache-Control: no-store");
    if (a->status == 401)
        ans_hdr(a, "WWW-Authenticate: Bearer error=\"invalid_token\"");
}

/* Every error status exchanged for another declared 4xx, and the body's
 * code is 403 whatever the status: DESIGN's code == status is a property of
 * the reference server, not a check. */
static void post_status_swap(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (!is_error(a) || a->status == 405 || a->status == 429)
        return;
    a->status = a->status == 401 ? 403 : a->status == 403 ? 404 : 401;
    cJSON *j = cJSON_ParseWithLength(a->body, a->body_len);
    cJSON *err = j ? cJSON_GetObjectItemCaseSensitive(j, "errResponse") : NULL;
    if (err)
        cJSON_ReplaceItemInObjectCaseSensitive(err, "code", cJSON_CreateNumber(403));
    char *t = j ? cJSON_PrintUnformatted(j) : NULL;
    if (t)
        ans_text(a, t);
    free(t);
    cJSON_Delete(j);
}

static void post_secret_header(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 200)
        ans_hdr(a, "X-Debug-Secret: %s", SECRET);
}

/* Trailers are header fields too (chunked framing only). */
static void post_secret_trailer(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 200) {
        ans_hdr(a, "Trailer: X-Checksum");
        snprintf(a->trailer, sizeof a->trailer, "X-Checksum: %s\r\n", SECRET);
    }
}

static void post_token_header(srv *s, const req *q, ans *a)
{
    (void)s;
    if (a->status == 200 && q->auth)
        ans_hdr(a, "X-Echo-Authorization: %s", q->auth);
}

/* Echoes the secret in the message the way Go's encoding/json writes it:
 * '&', '<', '>' as \u0026, \u003c, \u003e. */
static void post_secret_go_escaped(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status != 200)
        return;
    char esc[256] = "";
    for (const char *p = SECRET; *p; p++) {
        char one[8] = {*p, 0};
        if (*p == '&' || *p == '<' || *p == '>')
            snprintf(one, sizeof one, "\\u%04x", (unsigned)*p);
        strncat(esc, one, sizeof esc - strlen(esc) - 1);
    }
    char body[512];
    snprintf(body, sizeof body, "{\"success\":true,\"message\":\"stored with secret %s\"}", esc);
    ans_text(a, body);
}

static void post_500_on_huge(srv *s, const req *q, ans *a)
{
    (void)s;
    if (q->body_len > 65536) {
        a->status = 500;
        ans_ct(a, "application/json");
        ans_text(
            a, "{\"success\":false,\"errResponse\":{\"message\":\"internal error\",\"code\":500}}");
    }
}

static void post_success_true_403(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status != 403)
        return;
    cJSON *j = cJSON_ParseWithLength(a->body, a->body_len);
    cJSON_ReplaceItemInObjectCaseSensitive(j, "success", cJSON_CreateTrue());
    char *t = cJSON_PrintUnformatted(j);
    ans_text(a, t);
    free(t);
    cJSON_Delete(j);
}

/* Takes any scheme's credentials as a bearer token ("Basic x", "Token t"). */
static void pre_accept_any_scheme(srv *s, req *q)
{
    if (q->auth && strncasecmp(q->auth, "Bearer ", 7) != 0)
        use_good_token(s, q);
}

static void post_204(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 200) {
        a->status = 204;
        ans_ct(a, NULL);
        ans_text(a, "");
    }
}

/* 501 Not Implemented for undeclared methods: still a 5xx. */
static void post_methods_501(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 405) {
        a->status = 501;
        ans_text(
            a,
            "{\"success\":false,\"errResponse\":{\"message\":\"not implemented\",\"code\":501}}");
    }
}

/* Bad credentials sent to a login page: not accepted, but 302 is undeclared. */
static void post_auth_redirect(srv *s, const req *q, ans *a)
{
    (void)q;
    if (a->status == 401) {
        a->status = 302;
        ans_hdr(a, "Location: %s/login", s->elsewhere);
        ans_ct(a, "text/html");
        ans_text(a, "<a href=\"/login\">login</a>");
    }
}

static void post_500_html_on_huge(srv *s, const req *q, ans *a)
{
    (void)s;
    if (q->body_len > 65536) {
        a->status = 500;
        ans_ct(a, "text/html");
        ans_text(a, "<h1>Internal Server Error</h1>");
    }
}

/* The secret in the status line's reason phrase, part of the answer's head. */
static void post_secret_reason(srv *s, const req *q, ans *a)
{
    (void)s, (void)q;
    if (a->status == 200)
        a->reason = "OK " SECRET;
}

/* Several spellings of the one declared media type. */
static void post_media_spellings(srv *s, const req *q, ans *a)
{
    (void)s;
    static const char *const spell[] = {"Application/JSON;charset=UTF-8",
                                        "application/json ; charset=\"utf-8\"",
                                        "APPLICATION/JSON",
                                        "application/json;charset=utf-8;profile=x",
                                        "application/json   ",
                                        "application/json;"};
    if (a->ct)
        ans_ct(a, spell[q->k % (sizeof spell / sizeof spell[0])]);
}

static const row rows[] = {
    /* faulty servers: exactly their check */
    {.name = "create-201",
     .how = "a create answered 201 (undeclared, but 2xx)",
     .suites = "valid",
     .post = post_201,
     .checks = "status_code_conformance",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "ok-error-shape",
     .how = "200 with an ErrorResponse body",
     .suites = "valid",
     .post = post_ok_error_shape,
     .checks = "response_schema_conformance",
     .exit_code = 1,
     .must_case = "valid/cjk"},
    {.name = "ok-no-success",
     .how = "200 body lacks success",
     .suites = "valid",
     .post = post_ok_no_success,
     .checks = "response_schema_conformance",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "ok-nested",
     .how = "200 body nested one level down",
     .suites = "valid",
     .post = post_ok_nested,
     .checks = "response_schema_conformance",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "ok-empty-body",
     .how = "200 application/json with an empty body (chunked)",
     .suites = "valid",
     .post = post_ok_empty,
     .fr = FR_CHUNKED,
     .checks = "response_schema_conformance",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "error-no-content-type",
     .how = "error answers without any Content-Type",
     .suites = "malformed,auth",
     .post = post_error_no_ct,
     .checks = "content_type_conformance",
     .exit_code = 1,
     .must_case = "auth/no-authorization"},
    {.name = "error-problem-json",
     .how = "error answers as application/problem+json (undeclared)",
     .suites = "auth",
     .post = post_error_problem_json,
     .checks = "content_type_conformance",
     .exit_code = 1,
     .must_case = "auth/alg-none"},
    {.name = "utf16-body",
     .how = "charset=utf-16 with a UTF-16LE body",
     .suites = "valid,auth",
     .post = post_utf16,
     .checks = "response_schema_conformance",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "bom-body",
     .how = "every body starts with a UTF-8 BOM",
     .suites = "valid,auth",
     .post = post_bom,
     .checks = "response_schema_conformance",
     .exit_code = 1,
     .must_case = "auth/garbage-token"},
    {.name = "allow-get-only",
     .how = "405 with Allow: GET",
     .suites = "methods",
     .post = post_allow_get,
     .checks = "allow_header_conformance",
     .exit_code = 0,
     .must_case = "methods/delete"},
    {.name = "get-200",
     .how = "GET answered 200",
     .suites = "methods",
     .post = post_get_200,
     .checks = "unsupported_method",
     .exit_code = 0,
     .must_case = "methods/get"},
    {.name = "accept-expired",
     .how = "accepts an expired token",
     .suites = "auth",
     .pre = pre_accept_expired,
     .checks = "ignored_auth",
     .exit_code = 1,
     .must_case = "auth/expired-token"},
    {.name = "accept-other-bot",
     .how = "accepts a token whose botId names another bot",
     .suites = "auth",
     .pre = pre_accept_other_bot,
     .checks = "ignored_auth",
     .exit_code = 1,
     .must_case = "auth/other-bot-token"},
    {.name = "accept-alg-none",
     .how = "accepts alg:none",
     .suites = "auth",
     .pre = pre_accept_alg_none,
     .checks = "ignored_auth",
     .exit_code = 1,
     .must_case = "auth/alg-none"},
    {.name = "accept-bad-signature",
     .how = "never checks the signature",
     .suites = "auth",
     .pre = pre_accept_bad_signature,
     .checks = "ignored_auth",
     .exit_code = 1,
     .must_case = "auth/tampered-signature"},
    {.name = "accept-wrong-secret",
     .how = "never compares the secret",
     .suites = "auth",
     .pre = pre_accept_wrong_secret,
     .checks = "ignored_auth",
     .exit_code = 1,
     .must_case = "auth/secret-wrong"},
    {.name = "redirect-elsewhere",
     .how = "302 to another origin for every create",
     .suites = "valid",
     .post = post_redirect,
     .checks = "positive_data_acceptance,status_code_conformance",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "accept-text-plain",
     .how = "parses a text/plain body as JSON and stores it",
     .suites = "malformed",
     .pre = pre_accept_text_plain,
     .checks = "negative_data_rejection",
     .exit_code = 1,
     .must_case = "malformed/content-type-text-plain"},
    {.name = "secret-in-header",
     .how = "echoes the secret in a response header",
     .suites = "valid",
     .post = post_secret_header,
     .checks = "sensitive_data_exposure",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "secret-in-trailer",
     .how = "sends the secret in a chunked trailer",
     .suites = "valid",
     .post = post_secret_trailer,
     .fr = FR_CHUNKED,
     .checks = "sensitive_data_exposure",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "token-in-header",
     .how = "echoes the Authorization header back",
     .suites = "valid",
     .post = post_token_header,
     .checks = "sensitive_data_exposure",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "secret-go-escaped",
     .how = "echoes the secret JSON-escaped as Go does (\\u0026)",
     .suites = "valid",
     .post = post_secret_go_escaped,
     .checks = "sensitive_data_exposure",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "500-on-65536",
     .how = "500 for the 65536-code-point name only",
     .suites = "boundary",
     .post = post_500_on_huge,
     .checks = "not_a_server_error",
     .exit_code = 1,
     .must_case = "boundary/name-length-65536"},
    {.name = "success-true-403",
     .how = "success: true on 403 answers",
     .suites = "malformed",
     .post = post_success_true_403,
     .checks = "success_flag_consistency",
     .exit_code = 0,
     .must_case = "malformed/name-missing"},
    {.name = "accept-any-scheme",
     .how = "takes Basic/Token credentials as a bearer token",
     .suites = "auth",
     .pre = pre_accept_any_scheme,
     .checks = "ignored_auth",
     .exit_code = 1,
     .must_case = "auth/basic-scheme"},
    {.name = "create-204",
     .how = "a create answered 204 No Content",
     .suites = "valid",
     .post = post_204,
     .checks = "status_code_conformance",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "methods-501",
     .how = "501 for undeclared methods",
     .suites = "methods",
     .post = post_methods_501,
     .checks = "not_a_server_error",
     .exit_code = 1,
     .must_case = "methods/put"},
    {.name = "auth-redirect-login",
     .how = "bad credentials redirected (302) to a login page",
     .suites = "auth",
     .post = post_auth_redirect,
     .checks = "status_code_conformance",
     .exit_code = 1,
     .must_case = "auth/garbage-token"},
    {.name = "500-html-on-65536",
     .how = "500 text/html for the 65536-code-point name",
     .suites = "boundary",
     .post = post_500_html_on_huge,
     .checks = "content_type_conformance,not_a_server_error",
     .exit_code = 1,
     .must_case = "boundary/name-length-65536"},
    {.name = "secret-in-reason",
     .how = "the secret in the reason phrase of 200 answers",
     .suites = "valid",
     .post = post_secret_reason,
     .checks = "sensitive_data_exposure",
     .exit_code = 1,
     .must_case = "valid/ascii"},
    {.name = "always-429",
     .how = "429 + Retry-After: 1 for everything",
     .suites = "valid",
     .post = post_always_429,
     .checks = "",
     .exit_code = 1,
     .extra = {"--max-cases", "3"}},

    /* conformant servers that differ from ours: clean */
    {.name = "429-once",
     .how = "each request refused once with 429 (Retry-After 0 or none)",
     .suites = "valid,auth",
     .pre = pre_429_once,
     .post = post_429_once,
     .checks = ""},
    {.name = "http10-close",
     .how = "HTTP/1.0, Connection: close, no Content-Length",
     .fr = FR_HTTP10,
     .checks = ""},
    {.name = "chunked-keepalive",
     .how = "chunked in two pieces with an empty trailer, kept alive",
     .fr = FR_CHUNKED,
     .checks = ""},
    {.name = "silent-close",
     .how = "closes every connection after the answer without saying so",
     .suites = "valid,malformed",
     .fr = FR_SILENT_CLOSE,
     .checks = ""},
    {.name = "media-type-spellings",
     .how = "Application/JSON;charset=UTF-8, quoted charset, spaces, trailing ';'",
     .post = post_media_spellings,
     .checks = ""},
    {.name = "header-name-case",
     .how = "header names in alternating case (429 once, rETRY-aFTER)",
     .suites = "valid,malformed,methods",
     .pre = pre_429_once,
     .post = post_429_once,
     .odd_case = 1,
     .checks = ""},
    {.name = "extra-members",
     .how = "unknown members, other messages, no botId, odd numbers, CRLF layout",
     .post = post_extra_members,
     .checks = ""},
    {.name = "status-swap",
     .how = "errors swapped among declared 4xx, errResponse.code always 403",
     .suites = "boundary,malformed,auth",
     .post = post_status_swap,
     .checks = ""},
    {.name = "interim-1xx",
     .how = "an unsolicited 100 and a 103 Early Hints before every answer",
     .suites = "valid,auth,methods",
     .interim = 1,
     .checks = ""},
    {.name = "405-empty",
     .how = "405 with Allow: POST and no body at all",
     .suites = "methods",
     .post = post_405_empty,
     .checks = ""},
    {.name = "405-html",
     .how = "405 with an HTML page",
     .suites = "methods",
     .post = post_405_html,
     .checks = ""},
    {.name = "allow-split",
     .how = "Allow split over two field lines (OPTIONS, then POST)",
     .suites = "methods",
     .post = post_allow_split,
     .checks = ""},
    {.name = "methods-404",
     .how = "undeclared methods answered 404 text/plain",
     .suites = "methods",
     .post = post_methods_404,
     .checks = ""},
};

#define ROW_COUNT (sizeof rows / sizeof rows[0])

/* ------------------------------------------------------------ serializing */

/* "content-type" -> "cOnTeNt-TyPe" in the header names of block[from..]. */
static void odd_case(char *block)
{
    int line_start = 1, in_name = 0, i = 0;
    for (char *p = block; *p; p++) {
        if (line_start) {
            in_name = 1;
            line_start = 0;
        }
        if (*p == ':')
            in_name = 0;
        if (*p == '\n')
            line_start = 1;
        if (in_name && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            *p = (char)(i++ % 2 ? (*p | 0x20) : (*p & ~0x20));
    }
}

static char *serialize(const row *r, const ans *a, size_t *out_len)
{
    mh__buf b = MH__BUF_INIT;
    if (r->interim)
        mh__buf_addf(&b, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
                         "Link: </style.css>; rel=preload\r\n\r\n");
    int v10 = r->fr == FR_HTTP10;
    mh__buf_addf(&b, "HTTP/1.%d %d %s\r\n", v10 ? 0 : 1, a->status,
                 a->reason ? a->reason : tu_hostile_reason(a->status));
    size_t head = b.len;
    if (a->ct)
        mh__buf_addf(&b, "Content-Type: %s\r\n", a->ct);
    mh__buf_adds(&b, a->hdrs);
    if (v10)
        mh__buf_addf(&b, "Connection: close\r\n");
    else if (r->fr == FR_CHUNKED)
        mh__buf_addf(&b, "Transfer-Encoding: chunked\r\n");
    else
        mh__buf_addf(&b, "Content-Length: %zu\r\n", a->body_len);
    if (r->odd_case)
        odd_case(b.p + head);
    mh__buf_addf(&b, "\r\n");
    if (r->fr != FR_CHUNKED) {
        mh__buf_add(&b, a->body, a->body_len);
    } else {
        /* Two chunks, so a reader that stops at the first one is caught. */
        size_t half = a->body_len / 2;
        if (half) {
            mh__buf_addf(&b, "%zx;ext=\"1\"\r\n", half);
            mh__buf_add(&b, a->body, half);
            mh__buf_addf(&b, "\r\n");
        }
        if (a->body_len > half) {
            mh__buf_addf(&b, "%zX\r\n", a->body_len - half);
            mh__buf_add(&b, a->body + half, a->body_len - half);
            mh__buf_addf(&b, "\r\n");
        }
        mh__buf_addf(&b, "0\r\n%s\r\n", a->trailer);
    }
    return mh__buf_take(&b, out_len);
}

/* ---------------------------------------------------------------- server */

static char *answer(void *vctx, size_t k, const char *raw, size_t len, size_t *out_len)
{
    srv *s = vctx;
    req q;
    if (req_parse(&q, k, raw, len) != 0) {
        req_free(&q);
        return NULL;
    }
    if (s->r->pre)
        s->r->pre(s, &q);
    mh_refserver_answer ra;
    memset(&ra, 0, sizeof ra);
    int rc = q.refuse ? 0
                      : mh_refserver_handle(s->ref, q.method, q.target, q.query, q.auth, q.ctype,
                                            q.body, q.body_len, &ra);
    if (rc != 0) {
        req_free(&q);
        return NULL;
    }
    ans a;
    memset(&a, 0, sizeof a);
    a.status = ra.status;
    a.ct = ra.content_type ? strdup(ra.content_type) : NULL;
    ans_body(&a, ra.body ? ra.body : "", ra.body ? ra.body_len : 0);
    if (ra.allow)
        ans_hdr(&a, "Allow: %s", ra.allow);
    if (ra.retry_after)
        ans_hdr(&a, "Retry-After: %s", ra.retry_after);
    mh_refserver_answer_clear(&ra);
    if (s->r->post)
        s->r->post(s, &q, &a);
    char *out = serialize(s->r, &a, out_len);
    free(a.ct);
    free(a.body);
    req_free(&q);
    return out;
}

/* ------------------------------------------------------------------ utils */

/* The findings of case id joined as "check,check" ("" when none or absent). */
static void case_checks(const cJSON *rep, const char *id, char *out, size_t cap)
{
    out[0] = '\0';
    cJSON *c;
    cJSON_ArrayForEach(c, tu_report_get(rep, "cases"))
    {
        if (strcmp(cJSON_GetStringValue(tu_report_get(c, "id")), id) != 0)
            continue;
        cJSON *f;
        cJSON_ArrayForEach(f, tu_report_get(c, "findings"))
        {
            if (out[0])
                strncat(out, ",", cap - strlen(out) - 1);
            strncat(out, cJSON_GetStringValue(tu_report_get(f, "check")), cap - strlen(out) - 1);
        }
    }
}

/* ------------------------------------------------------------------ tests */

START_TEST(contract_server_row_reports_exactly_its_checks)
{
    const row *r = &rows[_i];
    tu_tmp t;
    tu_tmp_init(&t, "adv");
    const char *flag = tu_tmp_flag(&t, "json", "r.json"), *rp = flag + 5;

    tu_ref ref;
    tu_ref_start(&ref, BOT, SECRET, KEY, 0, 1);
    srv s = {.r = r, .ref = ref.srv};
    pthread_mutex_init(&s.mu, NULL);
    s.good_token = mh_jwt_mint(KEY, strlen(KEY), BOT, time(NULL), time(NULL) + 3600);
    /* The redirect target: another origin that must never be contacted. */
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 32\r\n\r\n{\"success\":true,\"message\":\"no\"}";
    tu_hostile *other = tu_hostile_start(TU_HOSTILE_RAW, ok, sizeof ok - 1);
    ck_assert_ptr_nonnull(other);
    s.elsewhere = tu_hostile_base_url(other);
    int closing = r->fr == FR_HTTP10 || r->fr == FR_SILENT_CLOSE;
    tu_hostile_opts ho = {.mode = closing ? TU_HOSTILE_RAW_CLOSE : TU_HOSTILE_RAW,
                          .answer_fn = answer,
                          .answer_ctx = &s};
    tu_hostile *h = tu_hostile_start_opts(&ho);
    ck_assert_ptr_nonnull(h);

    const char *av[32] = {"manta-harness",
                          "run",
                          "--no-progress",
                          "--base-url",
                          tu_hostile_base_url(h),
                          "--bot-id",
                          BOT,
                          "--secret",
                          SECRET,
                          "--jwt-key",
                          KEY,
                          "--seed",
                          "4242",
                          "--report",
                          flag};
    size_t n = 15;
    if (r->suites) {
        av[n++] = "--suite";
        av[n++] = r->suites;
    }
    for (size_t i = 0; i < 4 && r->extra[i]; i++)
        av[n++] = r->extra[i];
    av[n] = NULL;
    char *out = NULL, *errs = NULL;
    int status = tu_run_cli(av, NULL, &out, &errs, 120);

    ck_assert_msg(status == r->exit_code, "%s (%s): exit %d, want %d\nstderr: %s\nstdout: %.3000s",
                  r->name, r->how, status, r->exit_code, errs, out);
    char *text = tu_read_file(rp, NULL);
    ck_assert_msg(text != NULL, "%s: no report", r->name);
    cJSON *rep = cJSON_Parse(text);
    ck_assert_ptr_nonnull(rep);
    char keys[1024];
    tu_report_checks(rep, keys, sizeof keys);
    ck_assert_msg(strcmp(keys, r->checks) == 0,
                  "%s (%s): by_check {%s}, want {%s}\nstdout: %.3000s", r->name, r->how, keys,
                  r->checks, out);
    if (r->must_case) {
        char got[512];
        case_checks(rep, r->must_case, got, sizeof got);
        ck_assert_msg(got[0] != '\0', "%s: case %s has no finding", r->name, r->must_case);
    }
    double cases = tu_report_summary_num(rep, "cases");
    ck_assert_double_gt(cases, 0);
    if (!r->checks[0] && r->exit_code == 0)
        ck_assert_double_eq(tu_report_summary_num(rep, "passed"), cases);
    if (strcmp(r->name, "always-429") == 0) {
        /* Every case retried, none judged: inconclusive, never a finding. */
        ck_assert_double_eq(tu_report_summary_num(rep, "inconclusive"), cases);
        ck_assert_uint_ge(tu_hostile_request_count(h), (size_t)cases * 2);
    } else {
        ck_assert_double_eq(tu_report_summary_num(rep, "inconclusive"), 0);
    }
    if (strcmp(r->name, "429-once") == 0)
        ck_assert_uint_eq(tu_hostile_request_count(h), 2 * (size_t)cases);
    /* Redirects are never followed. */
    ck_assert_uint_eq(tu_hostile_request_count(other), 0);
    /* And no secret leaks into what the CLI printed or wrote. */
    const char *secrets[] = {SECRET, KEY, s.good_token};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_msg(!tu_contains(out, strlen(out), secrets[i]), "%s: secret on stdout", r->name);
        ck_assert_msg(!tu_contains(errs, strlen(errs), secrets[i]), "%s: secret on stderr",
                      r->name);
        ck_assert_msg(!tu_contains(text, strlen(text), secrets[i]), "%s: secret in report",
                      r->name);
    }

    cJSON_Delete(rep);
    free(text);
    free(out);
    free(errs);
    tu_hostile_stop(h);
    tu_hostile_stop(other);
    tu_ref_stop(&ref);
    free(s.good_token);
    for (size_t i = 0; i < s.seen_n; i++)
        free(s.seen[i]);
    pthread_mutex_destroy(&s.mu);
    ck_assert_int_eq(tu_tmp_free(&t), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("contract_servers");
    TCase *tc = tcase_create("rows");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, contract_server_row_reports_exactly_its_checks, 0, (int)ROW_COUNT);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
