/* test_refserver.c — the reference server end to end over loopback (libcurl)
 * and in process (mh_refserver_handle): every rule in its order, each fault
 * mode, the body cap, rate limiting, a malformed burst and concurrency. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manta/json_strict.h"
#include "manta/jwt.h"
#include "manta/spec.h"
#include "refserver.h"
#include "testutil.h"
#include "util/buf.h"

#define BOT "bot-1"
#define BOT2 "bot-2"
#define SECRET "body-secret-42"
#define KEY "jwt-key-for-tests"
#define OP_PATH "/openapi/personalTag"

/* ---- fixture ---- */

typedef struct {
    mh_spec *spec;
    mh_refserver *srv;
    char *token;         /* valid for BOT */
    char *token_bot2;    /* valid for BOT2 */
    CURL *curl;          /* one keep-alive handle per fixture */
    int expect_continue; /* let curl send Expect: 100-continue */
} fixture;

static void fx_start_opts(fixture *f, unsigned long long faults, double rate, int no_listen)
{
    memset(f, 0, sizeof *f);
    mh_error err;
    mh_error_clear(&err);
    ck_assert_int_eq(mh_spec_load(MH_TEST_SPEC, &f->spec, &err), MH_OK);
    static const char *const bots[] = {BOT, BOT2};
    mh_refserver_opts o = {.spec = f->spec,
                           .bot_ids = bots,
                           .bot_count = 2,
                           .secret = SECRET,
                           .jwt_key = KEY,
                           .jwt_key_len = strlen(KEY),
                           .rate_limit = rate,
                           .faults = faults,
                           .no_listen = no_listen};
    ck_assert_int_eq(mh_refserver_start(&o, &f->srv, &err), MH_OK);
    long long now = (long long)time(NULL);
    f->token = mh_jwt_mint(KEY, strlen(KEY), BOT, now, now + 600);
    f->token_bot2 = mh_jwt_mint(KEY, strlen(KEY), BOT2, now, now + 600);
    f->curl = curl_easy_init();
}

static void fx_start(fixture *f, unsigned long long faults)
{
    fx_start_opts(f, faults, 0, 0);
}

static void fx_stop(fixture *f)
{
    curl_easy_cleanup(f->curl);
    mh_refserver_stop(f->srv);
    mh_spec_free(f->spec);
    free(f->token);
    free(f->token_bot2);
}

/* ---- one HTTP exchange ---- */

typedef struct {
    CURLcode cc;
    long status;
    char ctype[128];
    char allow[64];
    char retry_after[32];
    char *body; /* the whole body once http() returns ("" when none) */
    size_t len;
    mh__buf in; /* the body while it arrives */
} reply;

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    reply *r = ud;
    mh__buf_add(&r->in, p, sz * n);
    return r->in.failed ? 0 : sz * n;
}

static void copy_header(char *dst, size_t cap, const char *v, size_t n)
{
    while (n && (*v == ' '))
        v++, n--;
    while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    reply *r = ud;
    size_t len = sz * n;
    static const struct {
        const char *name;
        size_t off, cap;
    } want[] = {{"content-type:", offsetof(reply, ctype), sizeof((reply *)0)->ctype},
                {"allow:", offsetof(reply, allow), sizeof((reply *)0)->allow},
                {"retry-after:", offsetof(reply, retry_after), sizeof((reply *)0)->retry_after}};
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(want[i].name);
        if (len > k && strncasecmp(p, want[i].name, k) == 0)
            copy_header((char *)r + want[i].off, want[i].cap, p + k, len - k);
    }
    return len;
}

/* auth: NULL = no Authorization header; otherwise the full header value. */
static reply http(fixture *f, const char *method, const char *target, const char *auth,
                  const char *ctype, const char *body, size_t body_len)
{
    reply r = {0};
    char url[512], h_auth[10240], h_ct[256];
    snprintf(url, sizeof url, "%s%s", mh_refserver_base_url(f->srv), target);
    CURL *c = f->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    struct curl_slist *hs =
        curl_slist_append(NULL, f->expect_continue ? "Expect: 100-continue" : "Expect:");
    if (auth) {
        snprintf(h_auth, sizeof h_auth, "Authorization: %s", auth);
        hs = curl_slist_append(hs, h_auth);
    }
    snprintf(h_ct, sizeof h_ct, "Content-Type:%s%s", ctype ? " " : "", ctype ? ctype : "");
    hs = curl_slist_append(hs, h_ct);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    }
    r.cc = curl_easy_perform(c);
    r.body = mh__buf_take(&r.in, &r.len);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hs);
    return r;
}

static char *bearer(const char *token)
{
    static __thread char buf[2048];
    snprintf(buf, sizeof buf, "Bearer %s", token);
    return buf;
}

static char *create_body(const char *secret, const char *name)
{
    static __thread char buf[8192];
    snprintf(buf, sizeof buf, "{\"secret\":\"%s\",\"name\":\"%s\"}", secret, name);
    return buf;
}

/* POST a create for bot with a valid token and the right secret. */
static reply create(fixture *f, const char *name)
{
    const char *b = create_body(SECRET, name);
    return http(f, "POST", OP_PATH "?botId=" BOT, bearer(f->token), "application/json", b,
                strlen(b));
}

/* Asserts status, JSON content type, and (for errors) a schema-valid
 * ErrorResponse with errResponse.code == status and botId as expected. */
static void expect(fixture *f, reply *r, long status, const char *bot)
{
    ck_assert_msg(r->cc == CURLE_OK, "curl: %s", curl_easy_strerror(r->cc));
    ck_assert_msg(r->status == status, "status %ld, wanted %ld: %s", r->status, status,
                  r->body ? r->body : "");
    ck_assert_str_eq(r->ctype, "application/json");
    cJSON *doc = NULL;
    ck_assert_int_eq(mh_json_parse(r->body, r->len, NULL, &doc, NULL), MH_JSON_OK);
    const char *schema = status == 200 ? "BasicSuccessResponse" : "ErrorResponse";
    mh_violations v = {0};
    ck_assert_uint_eq(
        mh_schema_validate(mh_spec_schema(f->spec, schema, NULL), doc, MH_DIR_RESPONSE, &v), 0);
    mh_violations_free(&v);
    ck_assert_int_eq(cJSON_IsTrue(mh_json_get(doc, "success")), status == 200);
    if (status != 200) {
        const cJSON *e = mh_json_get(doc, "errResponse");
        ck_assert_int_eq((int)mh_json_get(e, "code")->valuedouble, (int)status);
        const cJSON *b = mh_json_get(e, "botId");
        if (bot)
            ck_assert_str_eq(b->valuestring, bot);
        else
            ck_assert_ptr_null(b);
    }
    /* neither the secret, the key nor the token is ever echoed */
    ck_assert_ptr_null(strstr(r->body, SECRET));
    ck_assert_ptr_null(strstr(r->body, KEY));
    ck_assert_ptr_null(strstr(r->body, f->token));
    cJSON_Delete(doc);
}

static void done(reply *r)
{
    free(r->body);
    r->body = NULL;
}

#define EXPECT(f, call, status, bot)                                                               \
    do {                                                                                           \
        reply r_ = call;                                                                           \
        expect(f, &r_, status, bot);                                                               \
        done(&r_);                                                                                 \
    } while (0)

/* ---- rule order ---- */

START_TEST(refserver_valid_create_stored)
{
    fixture f;
    fx_start(&f, 0);
    EXPECT(&f, create(&f, "hello"), 200, NULL);
    ck_assert_int_eq(mh_refserver_has_tag(f.srv, BOT, "hello"), 1);
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, BOT), 1);
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, BOT2), 0);
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, "nobody"), 0);
    EXPECT(&f, create(&f, "  hello "), 403, BOT); /* duplicate after trimming */
    EXPECT(&f, create(&f, "\\u4e2d\\u6587 tag"), 200, NULL);
    ck_assert_int_eq(mh_refserver_has_tag(f.srv, BOT, "\xe4\xb8\xad\xe6\x96\x87 tag"), 1);
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, NULL), 2);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_auth_judged_first_401)
{
    fixture f;
    fx_start(&f, 0);
    const char *body = create_body(SECRET, "x");
    size_t n = strlen(body);
    /* bad token AND unknown bot AND bad content type -> 401 */
    EXPECT(&f, http(&f, "POST", OP_PATH "?botId=nobody", "Bearer garbage", "text/plain", body, n),
           401, NULL);
    EXPECT(&f, http(&f, "POST", OP_PATH "?botId=" BOT, NULL, "application/json", body, n), 401,
           BOT);
    EXPECT(&f, http(&f, "POST", OP_PATH, "Bearer ", "application/json", body, n), 401, NULL);
    char basic[600];
    snprintf(basic, sizeof basic, "Basic %s", f.token);
    EXPECT(&f, http(&f, "POST", OP_PATH "?botId=" BOT, basic, "application/json", body, n), 401,
           BOT);
    long long now = (long long)time(NULL);
    char *expired = mh_jwt_mint(KEY, strlen(KEY), BOT, now - 100, now - 10);
    char *other_key = mh_jwt_mint("not-the-key", 11, BOT, now, now + 100);
    char *none = mh_jwt_mint_raw("{\"alg\":\"none\"}", "{\"botId\":\"bot-1\",\"exp\":9999999999}",
                                 NULL, 0, 0);
    const char *bad[] = {expired, other_key, none};
    for (size_t i = 0; i < 3; i++)
        EXPECT(&f,
               http(&f, "POST", OP_PATH "?botId=" BOT, bearer(bad[i]), "application/json", body, n),
               401, BOT);
    free(expired);
    free(other_key);
    free(none);
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, NULL), 0);
    /* a long (8 KiB) bogus token still gets the server's own JSON 401 */
    char *long_auth = malloc(8200);
    memcpy(long_auth, "Bearer ", 7);
    memset(long_auth + 7, 'a', 8000);
    long_auth[8007] = '\0';
    EXPECT(&f, http(&f, "POST", OP_PATH "?botId=" BOT, long_auth, "application/json", body, n), 401,
           BOT);
    free(long_auth);
    /* the scheme name is case-insensitive */
    char lower[600];
    snprintf(lower, sizeof lower, "bearer %s", f.token);
    EXPECT(&f, http(&f, "POST", OP_PATH "?botId=" BOT, lower, "application/json", body, n), 200,
           NULL);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_bot_judged_second_404)
{
    fixture f;
    fx_start(&f, 0);
    const char *body = create_body(SECRET, "x");
    size_t n = strlen(body);
    const char *targets[] = {OP_PATH,
                             OP_PATH "?botId=",
                             OP_PATH "?botId",
                             OP_PATH "?botid=bot-1",
                             OP_PATH "?botId=bot-1&botId=bot-1",
                             OP_PATH "?botId=bot-3",
                             OP_PATH "?botId=bot-1%00"};
    /* a token for another bot and a bad body do not change the answer: 404 */
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        EXPECT(&f, http(&f, "POST", targets[i], bearer(f.token_bot2), "text/plain", body, n), 404,
               NULL);
    /* percent-encoded botId is decoded */
    EXPECT(&f,
           http(&f, "POST", OP_PATH "?botId=bot%2D1", bearer(f.token), "application/json", body, n),
           200, NULL);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_other_bot_claim_403)
{
    fixture f;
    fx_start_opts(&f, 0, 1, 0); /* rate 1: the claim is judged before the limit */
    const char *body = create_body(SECRET, "x");
    size_t n = strlen(body);
    for (int i = 0; i < 3; i++)
        EXPECT(&f,
               http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token_bot2), "text/plain", body, n),
               403, BOT);
    /* a token without botId claim is not bound to a bot */
    long long now = (long long)time(NULL);
    char *unbound = mh_jwt_mint(KEY, strlen(KEY), NULL, now, now + 100);
    EXPECT(&f,
           http(&f, "POST", OP_PATH "?botId=" BOT, bearer(unbound), "application/json", body, n),
           200, NULL);
    free(unbound);
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, NULL), 1);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_rate_limit_429_retry_after)
{
    fixture f;
    fx_start_opts(&f, 0, 1, 0);
    EXPECT(&f, create(&f, "first"), 200, NULL);
    /* bucket empty: even a malformed body gets 429 (rule 4 before rule 5) */
    reply r = http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), "text/plain", "x", 1);
    expect(&f, &r, 429, BOT);
    ck_assert_int_ge(atoi(r.retry_after), 1);
    done(&r);
    r = create(&f, "second");
    expect(&f, &r, 429, BOT);
    done(&r);
    ck_assert_int_eq(mh_refserver_has_tag(f.srv, BOT, "second"), 0);
    /* buckets are per bot */
    const char *b = create_body(SECRET, "other");
    EXPECT(&f,
           http(&f, "POST", OP_PATH "?botId=" BOT2, bearer(f.token_bot2), "application/json", b,
                strlen(b)),
           200, NULL);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_content_type_rules)
{
    fixture f;
    fx_start(&f, 0);
    const char *cts[] = {NULL, "text/plain", "application/jsonp",
                         "application/x-www-form-urlencoded", "text/json"};
    const char *body = create_body(SECRET, "ct");
    size_t n = strlen(body);
    for (size_t i = 0; i < sizeof cts / sizeof cts[0]; i++)
        EXPECT(&f, http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), cts[i], body, n), 403,
               BOT);
    EXPECT(&f,
           http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token),
                "Application/JSON; charset=utf-8", body, n),
           200, NULL);
    fx_stop(&f);
}
END_TEST

/* A create body of exactly total bytes: a valid name, then JSON white space. */
static char *padded_body(size_t total)
{
    char *b = malloc(total + 1);
    int k = snprintf(b, total + 1, "{\"secret\":\"%s\",\"name\":\"big-%zu\"}", SECRET, total);
    memset(b + k, ' ', total - (size_t)k);
    b[total] = '\0';
    return b;
}

START_TEST(refserver_body_cap_64k)
{
    fixture f;
    fx_start(&f, 0);
    char *b = padded_body(65536);
    EXPECT(&f,
           http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), "application/json", b, 65536),
           200, NULL);
    free(b);
    b = padded_body(65537);
    EXPECT(&f,
           http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), "application/json", b, 65537),
           403, BOT);
    ck_assert_int_eq(mh_refserver_has_tag(f.srv, BOT, "big-65537"), 0);
    free(b);
    /* a much larger upload is refused too and the connection still serves */
    b = padded_body(3 << 20);
    EXPECT(&f,
           http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), "application/json", b, 3 << 20),
           403, BOT);
    free(b);
    EXPECT(&f, create(&f, "after-big"), 200, NULL);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_body_cap_expect_continue_answered_early)
{
    fixture f;
    fx_start(&f, 0);
    f.expect_continue = 1;
    size_t n = 3 << 20;
    char *b = padded_body(n);
    EXPECT(&f, http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), "application/json", b, n),
           403, BOT);
    /* rules before the size check still answer first */
    EXPECT(&f, http(&f, "POST", OP_PATH "?botId=" BOT, "Bearer x", "application/json", b, n), 401,
           BOT);
    free(b);
    b = padded_body(2000);
    EXPECT(&f,
           http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), "application/json", b, 2000),
           200, NULL);
    free(b);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_body_rules_403)
{
    fixture f;
    fx_start(&f, 0);
    static const char *bodies[] = {
        "",
        "{",
        "[]",
        "\"text\"",
        "null",
        "{\"secret\":\"" SECRET "\",\"name\":\"a\"} x",              /* trailing data */
        "{\"secret\":\"" SECRET "\",\"name\":\"a\",\"name\":\"b\"}", /* duplicate key */
        "\xef\xbb\xbf{\"secret\":\"" SECRET "\",\"name\":\"a\"}",    /* BOM */
        "{\"secret\":\"" SECRET "\",\"name\":\"\xff\"}",             /* invalid UTF-8 */
        "{\"secret\":\"" SECRET "\"}",                               /* name missing */
        "{\"name\":\"a\"}",                                          /* secret missing */
        "{\"secret\":\"" SECRET "\",\"name\":5}",                    /* wrong type */
        "{\"secret\":7,\"name\":\"a\"}",                             /* wrong type */
        "{\"secret\":\"wrong\",\"name\":\"a\"}",                     /* wrong secret */
        "{\"secret\":\"" SECRET "x\",\"name\":\"a\"}",               /* wrong secret */
        "{\"secret\":\"" SECRET "\",\"name\":\"\"}",                 /* empty */
        "{\"secret\":\"" SECRET "\",\"name\":\" \\t\\u3000 \"}",     /* only space */
        "{\"secret\":\"" SECRET "\",\"name\":\"a\\u0000b\"}",        /* NUL */
        "{\"secret\":\"" SECRET "\",\"name\":\"a\\u0007b\"}",        /* control */
        "{\"secret\":\"" SECRET "\",\"name\":\"a\\u007fb\"}",        /* DEL */
        "{\"secret\":\"" SECRET "\",\"name\":\"a\\u0085b\"}",        /* C1 */
        "{\"secret\":\"" SECRET "\",\"name\":\"a\\nb\"}",            /* newline inside */
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        EXPECT(&f,
               http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), "application/json",
                    bodies[i], strlen(bodies[i])),
               403, BOT);
    /* 100 code points are fine, 101 are not */
    char name[512] = "";
    for (int i = 0; i < 100; i++)
        strcat(name, "\xe4\xb8\xad");
    EXPECT(&f, create(&f, name), 200, NULL);
    strcat(name, "x");
    EXPECT(&f, create(&f, name), 403, BOT);
    /* extra properties are allowed by the schema; leading/trailing space trimmed */
    const char *extra = "{\"secret\":\"" SECRET "\",\"name\":\"\\t ok \",\"color\":1}";
    EXPECT(&f,
           http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), "application/json", extra,
                strlen(extra)),
           200, NULL);
    ck_assert_int_eq(mh_refserver_has_tag(f.srv, BOT, "ok"), 1);
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, NULL), 2);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_methods_405_and_unknown_path_404)
{
    fixture f;
    fx_start(&f, 0);
    const char *methods[] = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        reply r = http(&f, methods[i], OP_PATH "?botId=" BOT, bearer(f.token), NULL, NULL, 0);
        expect(&f, &r, 405, NULL);
        ck_assert_str_eq(r.allow, "POST");
        done(&r);
    }
    reply r = http(&f, "HEAD", OP_PATH, NULL, NULL, NULL, 0);
    ck_assert_int_eq(r.status, 405);
    ck_assert_str_eq(r.allow, "POST");
    done(&r);
    const char *paths[] = {"/", "/openapi/personalTag/", "/openapi/personaltag", "/nothing"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        EXPECT(&f, http(&f, "POST", paths[i], bearer(f.token), "application/json", "{}", 2), 404,
               NULL);
    fx_stop(&f);
}
END_TEST

/* ---- fault modes: the raw answer shows the fault ---- */

static void expect_raw(reply *r, long status, const char *ctype, const char *needle)
{
    ck_assert_int_eq(r->cc, CURLE_OK);
    ck_assert_msg(r->status == status, "status %ld, wanted %ld: %s", r->status, status,
                  r->body ? r->body : "");
    if (ctype)
        ck_assert_str_eq(r->ctype, ctype);
    if (needle)
        ck_assert_msg(r->body && strstr(r->body, needle), "'%s' not in %s", needle,
                      r->body ? r->body : "(null)");
    done(r);
}

static int strict_json(const reply *r)
{
    cJSON *doc = NULL;
    int ok = mh_json_parse(r->body, r->len, NULL, &doc, NULL) == MH_JSON_OK;
    cJSON_Delete(doc);
    return ok;
}

START_TEST(refserver_fault_body_shapes)
{
    struct {
        mh_refserver_fault f;
        int error_case; /* 1: provoke a 403 (duplicate), 0: a 200 */
        const char *needle;
        int strict; /* body still strict JSON */
    } cases[] = {
        {MH_FAULT_DROP_MESSAGE, 0, "{\"success\":true}", 1},
        {MH_FAULT_SUCCESS_STRING, 0, "\"success\":\"true\"", 1},
        {MH_FAULT_SUCCESS_FALSE, 0, "\"success\":false,\"message\"", 1},
        {MH_FAULT_ERROR_NO_ERRRESPONSE, 1, "{\"success\":false,\"message\"", 1},
        {MH_FAULT_CODE_STRING, 1, "\"code\":\"403\"", 1},
        {MH_FAULT_TRAILING_GARBAGE, 0, "}garbage", 0},
        {MH_FAULT_TRAILING_GARBAGE, 1, "}garbage", 0},
        {MH_FAULT_DUPLICATE_KEYS, 0, "\"success\":true,\"success\":true", 0},
        {MH_FAULT_DUPLICATE_KEYS, 1, "\"success\":false,\"success\":false", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture f;
        fx_start(&f, MH_FAULT_BIT(cases[i].f));
        reply r = create(&f, "dup");
        if (cases[i].error_case) {
            done(&r);
            r = create(&f, "dup");
        }
        ck_assert_int_eq(strict_json(&r), cases[i].strict);
        expect_raw(&r, cases[i].error_case ? 403 : 200, "application/json", cases[i].needle);
        fx_stop(&f);
    }
}
END_TEST

START_TEST(refserver_fault_status_and_headers)
{
    fixture f;
    fx_start(&f, MH_FAULT_BIT(MH_FAULT_HTML_CONTENT_TYPE));
    reply r = create(&f, "a");
    ck_assert_int_eq(strict_json(&r), 1);
    expect_raw(&r, 200, "text/html; charset=utf-8", "\"success\":true");
    fx_stop(&f);

    fx_start(&f, MH_FAULT_BIT(MH_FAULT_UNDECLARED_400));
    expect_raw((reply[]){http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token),
                              "application/json", "{", 1)},
               400, "application/json", "\"code\":400");
    expect_raw((reply[]){create(&f, "fine")}, 200, NULL, NULL);
    fx_stop(&f);

    fx_start(&f, MH_FAULT_BIT(MH_FAULT_CRASH_500));
    r = http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token), "application/json", "{", 1);
    expect(&f, &r, 500, BOT); /* still a conformant ErrorResponse */
    done(&r);
    expect_raw((reply[]){create(&f, "fine")}, 200, NULL, NULL);
    fx_stop(&f);

    fx_start(&f, MH_FAULT_BIT(MH_FAULT_GET_200));
    expect_raw((reply[]){http(&f, "GET", OP_PATH "?botId=" BOT, NULL, NULL, NULL, 0)}, 200,
               "application/json", "\"success\":true");
    r = http(&f, "PUT", OP_PATH, NULL, NULL, NULL, 0);
    ck_assert_str_eq(r.allow, "POST");
    expect_raw(&r, 405, NULL, NULL);
    fx_stop(&f);

    fx_start(&f, MH_FAULT_BIT(MH_FAULT_NO_ALLOW));
    r = http(&f, "GET", OP_PATH, NULL, NULL, NULL, 0);
    ck_assert_str_eq(r.allow, "");
    expect_raw(&r, 405, "application/json", "\"code\":405");
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_fault_acceptance)
{
    fixture f;
    const char *b = create_body(SECRET, "na");
    fx_start(&f, MH_FAULT_BIT(MH_FAULT_ACCEPT_NO_AUTH));
    expect_raw(
        (reply[]){http(&f, "POST", OP_PATH "?botId=" BOT, NULL, "application/json", b, strlen(b))},
        200, NULL, NULL);
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, NULL), 0); /* accepted, not stored */
    expect_raw((reply[]){create(&f, "na")}, 200, NULL, NULL);
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, NULL), 1);
    /* still judges everything else */
    expect_raw((reply[]){http(&f, "POST", OP_PATH "?botId=nobody", NULL, "application/json", b,
                              strlen(b))},
               404, NULL, NULL);
    fx_stop(&f);

    fx_start(&f, MH_FAULT_BIT(MH_FAULT_ACCEPT_MALFORMED));
    const char *bad = "{\"secret\":\"" SECRET "\",\"name\":5}";
    expect_raw((reply[]){http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token),
                              "application/json", bad, strlen(bad))},
               200, NULL, "\"success\":true");
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, NULL), 0);
    expect_raw((reply[]){http(&f, "POST", OP_PATH "?botId=" BOT, bearer(f.token),
                              "application/json", "{", 1)},
               403, NULL, NULL);
    fx_stop(&f);

    fx_start(&f, MH_FAULT_BIT(MH_FAULT_REJECT_CJK));
    expect_raw((reply[]){create(&f, "\xe4\xb8\xad")}, 403, NULL, "\"code\":403");
    expect_raw((reply[]){create(&f, "latin")}, 200, NULL, NULL);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_fault_echo)
{
    fixture f;
    fx_start(&f, MH_FAULT_BIT(MH_FAULT_ECHO_SECRET));
    expect_raw((reply[]){create(&f, "")}, 403, "application/json", SECRET);
    expect_raw((reply[]){create(&f, "ok")}, 200, NULL, NULL);
    fx_stop(&f);
    fx_start(&f, MH_FAULT_BIT(MH_FAULT_ECHO_TOKEN));
    reply r = create(&f, "");
    ck_assert_int_eq(strict_json(&r), 1);
    expect_raw(&r, 403, "application/json", f.token);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_fault_transport)
{
    fixture f;
    fx_start(&f, MH_FAULT_BIT(MH_FAULT_SLOW));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect_raw((reply[]){create(&f, "slow")}, 200, NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    ck_assert_double_ge(ms, 290);
    fx_stop(&f);

    fx_start(&f, MH_FAULT_BIT(MH_FAULT_RESET_LONG_NAME));
    char name[1100];
    memset(name, 'n', 1001);
    name[1001] = '\0';
    reply r = create(&f, name);
    ck_assert_int_ne(r.cc, CURLE_OK); /* no answer at all */
    done(&r);
    name[100] = '\0';
    expect_raw((reply[]){create(&f, name)}, 200, NULL, NULL);
    fx_stop(&f);

    fx_start(&f, MH_FAULT_BIT(MH_FAULT_HUGE_ANSWER));
    r = create(&f, "huge");
    ck_assert_uint_eq(r.len, 8u << 20);
    ck_assert_int_eq(strict_json(&r), 1);
    expect_raw(&r, 200, "application/json", NULL);
    expect_raw((reply[]){create(&f, "huge")}, 403, NULL, NULL);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_fault_table_complete)
{
    ck_assert_uint_eq(mh_refserver_fault_count, MH_FAULT_COUNT);
    for (size_t i = 0; i < mh_refserver_fault_count; i++) {
        ck_assert_int_eq(mh_refserver_fault_parse(mh_refserver_faults[i].name), (int)i);
        ck_assert_ptr_nonnull(mh_refserver_faults[i].check);
        ck_assert_ptr_nonnull(mh_refserver_faults[i].description);
    }
    ck_assert_int_eq(mh_refserver_fault_parse("no-such-fault"), -1);
    ck_assert_int_eq(mh_refserver_fault_parse(NULL), -1);
}
END_TEST

/* ---- robustness ---- */

START_TEST(refserver_survives_malformed_burst)
{
    fixture f;
    fx_start(&f, 0);
    char body[64];
    for (int i = 0; i < 500; i++) {
        int n = snprintf(body, sizeof body, "{\"secret\":%d,\"name\":[%d", i, i);
        reply r = http(&f, i % 3 ? "POST" : "PATCH", OP_PATH "?botId=" BOT, bearer(f.token),
                       i % 2 ? "application/json" : "text/html", body, (size_t)n);
        ck_assert_int_eq(r.cc, CURLE_OK);
        ck_assert_int_eq(r.status, i % 3 ? 403 : 405);
        done(&r);
    }
    EXPECT(&f, create(&f, "still-alive"), 200, NULL);
    ck_assert_uint_eq(mh_refserver_request_count(f.srv), 501);
    fx_stop(&f);
}
END_TEST

typedef struct {
    fixture *f;
    int id;
    int ok, dup_refused, other;
} worker;

#define WORKERS 4
#define PER_WORKER 1000

static void *work(void *arg)
{
    worker *w = arg;
    fixture mine = *w->f;
    mine.curl = curl_easy_init(); /* one keep-alive connection per thread */
    char name[64];
    for (int i = 0; i < PER_WORKER; i++) {
        /* every 10th request repeats a name shared by all workers */
        if (i % 10 == 9)
            snprintf(name, sizeof name, "shared-%d", i / 10);
        else
            snprintf(name, sizeof name, "w%d-%d", w->id, i);
        reply r = create(&mine, name);
        if (r.cc == CURLE_OK && r.status == 200)
            w->ok++;
        else if (r.cc == CURLE_OK && r.status == 403 && strstr(r.body, "already exists"))
            w->dup_refused++;
        else
            w->other++;
        done(&r);
    }
    curl_easy_cleanup(mine.curl);
    return NULL;
}

START_TEST(refserver_concurrent_creates_stored_once)
{
    fixture f;
    fx_start(&f, 0);
    pthread_t t[WORKERS];
    worker w[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        w[i] = (worker){.f = &f, .id = i};
        pthread_create(&t[i], NULL, work, &w[i]);
    }
    int ok = 0, dup = 0, other = 0;
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(t[i], NULL);
        ok += w[i].ok;
        dup += w[i].dup_refused;
        other += w[i].other;
    }
    int shared = PER_WORKER / 10, unique = WORKERS * (PER_WORKER - shared);
    ck_assert_int_eq(other, 0);
    ck_assert_int_eq(ok, unique + shared);         /* each shared name won once */
    ck_assert_int_eq(dup, (WORKERS - 1) * shared); /* and refused for the rest */
    ck_assert_uint_eq(mh_refserver_tag_count(f.srv, BOT), (size_t)ok);
    ck_assert_int_eq(mh_refserver_has_tag(f.srv, BOT, "w3-998"), 1);
    ck_assert_int_eq(mh_refserver_has_tag(f.srv, BOT, "shared-99"), 1);
    fx_stop(&f);
}
END_TEST

/* ---- in process ---- */

START_TEST(refserver_handle_in_process)
{
    fixture f;
    fx_start_opts(&f, 0, 0, 1);
    ck_assert_str_eq(mh_refserver_base_url(f.srv), "");
    char auth[600];
    snprintf(auth, sizeof auth, "Bearer %s", f.token);
    const char *b = create_body(SECRET, "inproc");
    mh_refserver_answer a;
    ck_assert_int_eq(mh_refserver_handle(f.srv, "POST", OP_PATH, "botId=bot-1", auth,
                                         "application/json", b, strlen(b), &a),
                     0);
    ck_assert_int_eq(a.status, 200);
    ck_assert_str_eq(a.content_type, "application/json");
    ck_assert_ptr_nonnull(strstr(a.body, "\"success\":true"));
    mh_refserver_answer_clear(&a);
    ck_assert_int_eq(mh_refserver_has_tag(f.srv, BOT, "inproc"), 1);
    ck_assert_int_eq(mh_refserver_handle(f.srv, "POST", OP_PATH, "x=1&botId=bot%2d1&y", auth,
                                         "application/json", b, strlen(b), &a),
                     0);
    ck_assert_int_eq(a.status, 403);
    mh_refserver_answer_clear(&a);
    ck_assert_int_eq(mh_refserver_handle(f.srv, "POST", OP_PATH, "botId=a&botId=b", auth,
                                         "application/json", b, strlen(b), &a),
                     0);
    ck_assert_int_eq(a.status, 404);
    mh_refserver_answer_clear(&a);
    ck_assert_int_eq(mh_refserver_handle(f.srv, "DELETE", OP_PATH, NULL, NULL, NULL, NULL, 0, &a),
                     0);
    ck_assert_int_eq(a.status, 405);
    ck_assert_str_eq(a.allow, "POST");
    mh_refserver_answer_clear(&a);
    ck_assert_int_eq(mh_refserver_handle(f.srv, "POST", OP_PATH, "botId=bot-1", auth,
                                         "application/json", b, 70000, &a),
                     0); /* claimed over the cap: refused without reading past it */
    ck_assert_int_eq(a.status, 403);
    mh_refserver_answer_clear(&a);
    fx_stop(&f);
}
END_TEST

START_TEST(refserver_start_config_errors)
{
    mh_spec *spec = NULL;
    mh_error err;
    mh_error_clear(&err);
    ck_assert_int_eq(mh_spec_load(MH_TEST_SPEC, &spec, &err), MH_OK);
    static const char *const bots[] = {BOT};
    static const char *const empty_bot[] = {""};
    mh_refserver *s = (mh_refserver *)1;
    mh_refserver_opts o = {.spec = spec,
                           .bot_ids = bots,
                           .bot_count = 1,
                           .jwt_key = KEY,
                           .jwt_key_len = strlen(KEY),
                           .no_listen = 1};
    mh_refserver_opts no_bot = o, no_key = o, bad_op = o, bad_bot = o, bad_host = o;
    no_bot.bot_count = 0;
    no_key.jwt_key_len = 0;
    bad_op.op_id = "GET /nothing";
    bad_bot.bot_ids = empty_bot;
    bad_host.no_listen = 0;
    bad_host.host = "no.such.host.invalid";
    ck_assert_int_eq(mh_refserver_start(&no_bot, &s, &err), MH_ERR_USAGE);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(mh_refserver_start(&no_key, &s, &err), MH_ERR_USAGE);
    ck_assert_int_eq(mh_refserver_start(&bad_op, &s, &err), MH_ERR_NOTFOUND);
    ck_assert_int_eq(mh_refserver_start(&bad_bot, &s, &err), MH_ERR_USAGE);
    ck_assert_int_eq(mh_refserver_start(&bad_host, &s, &err), MH_ERR_USAGE);
    ck_assert_int_eq(mh_refserver_start(&o, &s, &err), MH_OK);
    mh_refserver_stop(s);
    mh_refserver_stop(NULL);
    mh_spec_free(spec);
}
END_TEST

/* Another operation in another spec: the path template and the bot
 * parameter come from the spec, not from the Manta contract. */
START_TEST(refserver_other_spec_path_template_and_bot_param)
{
    mh_spec *spec = NULL;
    ck_assert_int_eq(mh_spec_load(MH_TEST_DATA "/gen/widgets.json", &spec, NULL), MH_OK);
    static const char *const bots[] = {BOT};
    mh_refserver_opts o = {.spec = spec,
                           .op_id = "PUT /v2/widgets/{widgetId}",
                           .bot_ids = bots,
                           .bot_count = 1,
                           .secret = SECRET,
                           .jwt_key = KEY,
                           .jwt_key_len = strlen(KEY),
                           .no_listen = 1};
    mh_refserver *s = NULL;
    ck_assert_int_eq(mh_refserver_start(&o, &s, NULL), MH_OK);
    long long now = (long long)time(NULL);
    char *tok = mh_jwt_mint(KEY, strlen(KEY), BOT, now, now + 600);
    char auth[1024];
    snprintf(auth, sizeof auth, "Bearer %s", tok);
    const char *body = "{\"title\":\"w1\",\"count\":2,\"apiKey\":\"" SECRET "\"}";
    static const struct {
        const char *path, *query;
        int status;
    } rows[] = {{"/v2/widgets/abc", "tenantBot=" BOT, 200},
                {"/v2/widgets/abc", "botId=" BOT, 404}, /* not this spec's bot parameter */
                {"/v2/widgets/", "tenantBot=" BOT, 404},
                {"/v2/widgets/a/b", "tenantBot=" BOT, 404},
                {"/v2/widgets", "tenantBot=" BOT, 404}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        mh_refserver_answer a;
        ck_assert_int_eq(mh_refserver_handle(s, "PUT", rows[i].path, rows[i].query, auth,
                                             "application/json", body, strlen(body), &a),
                         0);
        ck_assert_msg(a.status == rows[i].status, "%s?%s: got %d, want %d", rows[i].path,
                      rows[i].query, a.status, rows[i].status);
        mh_refserver_answer_clear(&a);
    }
    free(tok);
    mh_refserver_stop(s);
    mh_spec_free(spec);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("refserver");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, refserver_valid_create_stored);
    tcase_add_test(tc, refserver_other_spec_path_template_and_bot_param);
    tcase_add_test(tc, refserver_auth_judged_first_401);
    tcase_add_test(tc, refserver_bot_judged_second_404);
    tcase_add_test(tc, refserver_other_bot_claim_403);
    tcase_add_test(tc, refserver_rate_limit_429_retry_after);
    tcase_add_test(tc, refserver_content_type_rules);
    tcase_add_test(tc, refserver_body_cap_64k);
    tcase_add_test(tc, refserver_body_cap_expect_continue_answered_early);
    tcase_add_test(tc, refserver_body_rules_403);
    tcase_add_test(tc, refserver_methods_405_and_unknown_path_404);
    suite_add_tcase(s, tc);
    TCase *faults = tcase_create("faults");
    tcase_add_test(faults, refserver_fault_body_shapes);
    tcase_add_test(faults, refserver_fault_status_and_headers);
    tcase_add_test(faults, refserver_fault_acceptance);
    tcase_add_test(faults, refserver_fault_echo);
    tcase_add_test(faults, refserver_fault_transport);
    tcase_add_test(faults, refserver_fault_table_complete);
    suite_add_tcase(s, faults);
    TCase *robust = tcase_create("robustness");
    tcase_add_test(robust, refserver_survives_malformed_burst);
    tcase_add_test(robust, refserver_concurrent_creates_stored_once);
    tcase_add_test(robust, refserver_handle_in_process);
    tcase_add_test(robust, refserver_start_config_errors);
    suite_add_tcase(s, robust);
    return s;
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int r = tu_run_suite(make_suite());
    curl_global_cleanup();
    return r;
}
