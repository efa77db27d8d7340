/* test_transport.c — the transport against the hostile raw-socket server. */
#include "testutil.h"
#include "tu_hostile.h"

#include "manta/transport.h"

#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const char OK_JSON[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Content-Length: 2\r\n\r\n{}";

static mh_case *make_case(const char *method, const char *target, const char *body, size_t len)
{
    mh_case *c = mh_case_new();
    ck_assert_ptr_nonnull(c);
    c->id = strdup("test/case");
    c->method = strdup(method);
    c->target = strdup(target);
    if (body) {
        c->body = malloc(len + 1);
        ck_assert_ptr_nonnull(c->body);
        memcpy(c->body, body, len);
        c->body[len] = '\0';
        c->body_len = len;
    }
    return c;
}

static mh_transport *make_transport(const char *base, mh_transport_opts *o)
{
    mh_transport_opts d;
    if (!o) {
        mh_transport_opts_default(&d);
        o = &d;
    }
    o->base_url = base;
    mh_transport *t = NULL;
    mh_error err;
    ck_assert_int_eq(mh_transport_new(o, &t, &err), MH_OK);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* Sends c to a server started with (mode, payload) under base path "/api";
 * returns the exchange and the raw request the server saw (caller frees). */
static void exchange_with(tu_hostile *h, mh_transport_opts *o, const mh_case *c, mh_exchange *x)
{
    char base[128];
    snprintf(base, sizeof base, "%s/api", tu_hostile_base_url(h));
    mh_transport *t = make_transport(base, o);
    mh_error err;
    ck_assert_int_eq(mh_transport_send_one(t, c, x, &err), MH_OK);
    mh_transport_free(t);
}

static char *request_for(mh_transport_opts *o, const mh_case *c, mh_exchange *x, size_t *len)
{
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, OK_JSON, strlen(OK_JSON));
    ck_assert_ptr_nonnull(h);
    exchange_with(h, o, c, x);
    char *req = tu_hostile_last_request(h, len);
    tu_hostile_stop(h);
    ck_assert_ptr_nonnull(req);
    return req;
}

/* Case-insensitive search for a header line start ("\r\nName:") in the head. */
static const char *find_header(const char *req, const char *name)
{
    size_t nl = strlen(name);
    const char *end = strstr(req, "\r\n\r\n");
    for (const char *p = strstr(req, "\r\n"); p && p < end; p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, name, nl) == 0 && p[2 + nl] == ':')
            return p + 2;
    return NULL;
}

static int count_headers(const char *req, const char *name)
{
    int n = 0;
    size_t nl = strlen(name);
    const char *end = strstr(req, "\r\n\r\n");
    for (const char *p = strstr(req, "\r\n"); p && p < end; p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, name, nl) == 0 && p[2 + nl] == ':')
            n++;
    return n;
}

/* ---- options ----------------------------------------------------------- */

START_TEST(transport_new_bad_base_url_usage)
{
    const char *bad[] = {"",
                         "ftp://127.0.0.1/",
                         "http://127.0.0.1:1/api?x=1",
                         "http://127.0.0.1/api#frag",
                         "not a url",
                         "file:///etc/passwd",
                         "http://user:pw@127.0.0.1/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mh_transport_opts o;
        mh_transport_opts_default(&o);
        o.base_url = bad[i];
        mh_transport *t = (mh_transport *)&o; /* must stay untouched */
        mh_error err;
        ck_assert_msg(mh_transport_new(&o, &t, &err) == MH_ERR_USAGE, "%s accepted", bad[i]);
        ck_assert_ptr_eq(t, (mh_transport *)&o);
        ck_assert_msg(strstr(err.message, "--base-url"), "message: %s", err.message);
    }
}
END_TEST

START_TEST(transport_new_bad_numbers_usage)
{
    mh_transport_opts o;
    mh_transport_opts_default(&o);
    o.base_url = "http://127.0.0.1:1";
    o.concurrency = 0;
    mh_transport *t = NULL;
    mh_error err;
    ck_assert_int_eq(mh_transport_new(&o, &t, &err), MH_ERR_USAGE);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(err.message, "--concurrency"));
    mh_transport_opts_default(&o);
    o.base_url = "http://127.0.0.1:1";
    o.timeout_ms = 0;
    ck_assert_int_eq(mh_transport_new(&o, &t, &err), MH_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "--timeout"));
}
END_TEST

START_TEST(transport_request_target_joins_without_double_slash)
{
    struct {
        const char *base, *target, *want;
    } rows[] = {
        {"http://127.0.0.1:9/api", "/openapi/x?botId=a", "/api/openapi/x?botId=a"},
        {"http://127.0.0.1:9/api/", "/openapi/x", "/api/openapi/x"},
        {"http://127.0.0.1:9", "/openapi/x", "/openapi/x"},
        {"http://127.0.0.1:9/", "/openapi/x", "/openapi/x"},
        {"https://[::1]:9/a/b", "/c/../d?e", "/a/b/c/../d?e"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        mh_transport *t = make_transport(rows[i].base, NULL);
        char *s = mh_transport_request_target(t, rows[i].target);
        ck_assert_str_eq(s, rows[i].want);
        free(s);
        mh_transport_free(t);
    }
}
END_TEST

/* ---- exact bytes out ------------------------------------------------------ */

START_TEST(transport_send_binary_body_exact_bytes)
{
    static const char body[] = "{\"a\":\"\0\xff\xfe\xc3\x28\"}";
    size_t blen = sizeof body - 1;
    mh_case *c = make_case("POST", "/openapi/personalTag?botId=&botId=a&botId", body, blen);
    mh_case_add_header(c, "X-First", "1");
    mh_case_add_header(c, "Authorization", "Bearer tok");
    mh_case_add_header(c, "X-Last", "z");
    mh_exchange x;
    size_t len;
    char *req = request_for(NULL, c, &x, &len);
    ck_assert_int_eq(x.error, MH_XFER_OK);
    const char *line = "POST /api/openapi/personalTag?botId=&botId=a&botId HTTP/1.1\r\n";
    ck_assert_int_eq(strncmp(req, line, strlen(line)), 0);
    ck_assert_ptr_null(find_header(req, "Content-Type"));
    ck_assert_ptr_null(find_header(req, "Expect"));
    ck_assert_ptr_null(find_header(req, "Transfer-Encoding"));
    char cl[64];
    snprintf(cl, sizeof cl, "\r\nContent-Length: %zu\r\n", blen);
    ck_assert_uint_eq(blen, 13);
    ck_assert_ptr_nonnull(strstr(req, cl));
    const char *a = find_header(req, "X-First"), *b = find_header(req, "Authorization"),
               *z = find_header(req, "X-Last");
    ck_assert(a && b && z && a < b && b < z);
    ck_assert_uint_ge(len, blen);
    ck_assert_int_eq(memcmp(req + len - blen, body, blen), 0);
    ck_assert_ptr_eq(strstr(req, "\r\n\r\n") + 4, req + len - blen);
    free(req);
    mh_exchange_clear(&x);
    mh_case_free(c);
}
END_TEST

START_TEST(transport_send_large_body_without_expect)
{
    size_t blen = 1536 * 1024;
    char *body = malloc(blen);
    ck_assert_ptr_nonnull(body);
    for (size_t i = 0; i < blen; i++)
        body[i] = (char)(i * 7);
    mh_case *c = make_case("POST", "/p", body, blen);
    mh_case_add_header(c, "Content-Type", "application/json");
    mh_exchange x;
    size_t len;
    char *req = request_for(NULL, c, &x, &len);
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_ptr_null(find_header(req, "Expect"));
    const char *start = strstr(req, "\r\n\r\n") + 4;
    ck_assert_uint_eq(len - (size_t)(start - req), blen);
    ck_assert_int_eq(memcmp(start, body, blen), 0);
    free(req);
    free(body);
    mh_exchange_clear(&x);
    mh_case_free(c);
}
END_TEST

START_TEST(transport_send_null_body_post_has_zero_length)
{
    mh_case *c = make_case("POST", "/openapi/personalTag?botId=b", NULL, 0);
    mh_exchange x;
    size_t len;
    char *req = request_for(NULL, c, &x, &len);
    ck_assert_ptr_nonnull(strstr(req, "\r\nContent-Length: 0\r\n"));
    ck_assert_ptr_null(find_header(req, "Content-Type"));
    ck_assert_uint_eq((size_t)(strstr(req, "\r\n\r\n") + 4 - req), len);
    free(req);
    mh_exchange_clear(&x);
    mh_case_free(c);
}
END_TEST

START_TEST(transport_send_empty_body_is_zero_length)
{
    mh_case *c = make_case("POST", "/p", "", 0);
    mh_case_add_header(c, "Content-Type", "application/json");
    mh_exchange x;
    size_t len;
    char *req = request_for(NULL, c, &x, &len);
    ck_assert_ptr_nonnull(strstr(req, "\r\nContent-Length: 0\r\n"));
    ck_assert_int_eq(count_headers(req, "Content-Type"), 1);
    ck_assert_ptr_nonnull(strstr(req, "\r\nContent-Type: application/json\r\n"));
    free(req);
    mh_exchange_clear(&x);
    mh_case_free(c);
}
END_TEST

START_TEST(transport_send_get_without_body_has_no_length)
{
    mh_case *c = make_case("GET", "/openapi/personalTag?botId", NULL, 0);
    mh_exchange x;
    size_t len;
    char *req = request_for(NULL, c, &x, &len);
    ck_assert_int_eq(strncmp(req, "GET /api/openapi/personalTag?botId HTTP/1.1\r\n", 45), 0);
    ck_assert_ptr_null(find_header(req, "Content-Length"));
    ck_assert_ptr_null(find_header(req, "Content-Type"));
    ck_assert_ptr_null(find_header(req, "User-Agent"));
    ck_assert_ptr_null(find_header(req, "Accept-Encoding"));
    free(req);
    mh_exchange_clear(&x);
    mh_case_free(c);
}
END_TEST

START_TEST(transport_send_custom_methods_verbatim)
{
    struct {
        const char *method, *body;
        const char *line;
        int has_length;
    } rows[] = {
        {"PATCH", "{}", "PATCH /api/p HTTP/1.1\r\n", 1},
        {"TRACE", NULL, "TRACE /api/p HTTP/1.1\r\n", 0},
        {"DELETE", NULL, "DELETE /api/p HTTP/1.1\r\n", 0},
        {"PUT", NULL, "PUT /api/p HTTP/1.1\r\n", 1},
        {"OPTIONS", NULL, "OPTIONS /api/p HTTP/1.1\r\n", 0},
        {"BREW", "x", "BREW /api/p HTTP/1.1\r\n", 1},
        {"GET", "{}", "GET /api/p HTTP/1.1\r\n", 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        mh_case *c =
            make_case(rows[i].method, "/p", rows[i].body, rows[i].body ? strlen(rows[i].body) : 0);
        mh_exchange x;
        size_t len;
        char *req = request_for(NULL, c, &x, &len);
        ck_assert_int_eq(x.error, MH_XFER_OK);
        ck_assert_msg(strncmp(req, rows[i].line, strlen(rows[i].line)) == 0, "got: %.40s", req);
        ck_assert_int_eq(find_header(req, "Content-Length") != NULL, rows[i].has_length);
        if (rows[i].body)
            ck_assert_str_eq(strstr(req, "\r\n\r\n") + 4, rows[i].body);
        free(req);
        mh_exchange_clear(&x);
        mh_case_free(c);
    }
}
END_TEST

START_TEST(transport_send_headers_as_given)
{
    mh_case *c = make_case("POST", "/p", "{}", 2);
    mh_case_add_header(c, "Accept", "application/json");
    mh_case_add_header(c, "Content-Type", "text/plain; charset=latin1");
    mh_case_add_header(c, "X-Empty", "");
    mh_case_add_header(c, "X-Dup", "1");
    mh_case_add_header(c, "X-Dup", "2");
    mh_exchange x;
    size_t len;
    char *req = request_for(NULL, c, &x, &len);
    ck_assert_ptr_null(strstr(req, "*/*"));
    ck_assert_int_eq(count_headers(req, "Accept"), 1);
    ck_assert_int_eq(count_headers(req, "Content-Type"), 1);
    ck_assert_ptr_nonnull(strstr(req, "\r\nContent-Type: text/plain; charset=latin1\r\n"));
    ck_assert_int_eq(count_headers(req, "X-Empty"), 1);
    ck_assert_int_eq(count_headers(req, "X-Dup"), 2);
    ck_assert_ptr_nonnull(strstr(req, "\r\nX-Dup: 1\r\nX-Dup: 2\r\n"));
    free(req);
    mh_exchange_clear(&x);
    mh_case_free(c);
}
END_TEST

/* ---- what comes back -------------------------------------------------------- */

static void answer_for(const char *raw, size_t len, mh_exchange *x)
{
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, raw, len);
    ck_assert_ptr_nonnull(h);
    mh_case *c = make_case("GET", "/p", NULL, 0);
    exchange_with(h, NULL, c, x);
    tu_hostile_stop(h);
    mh_case_free(c);
}

START_TEST(transport_capture_status_headers_body)
{
    static const char raw[] = "HTTP/1.1 201 Created\r\nX-A: 1\r\nContent-Type: application/json; "
                              "charset=utf-8\r\nX-B:   two words  \r\nContent-Length: 7\r\n\r\n"
                              "{\"a\":\0}";
    mh_exchange x;
    answer_for(raw, sizeof raw - 1, &x);
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_ptr_null(x.error_text);
    ck_assert_int_eq(x.status, 201);
    ck_assert_str_eq(x.content_type, "application/json; charset=utf-8");
    ck_assert_uint_eq(x.header_count, 4);
    ck_assert_str_eq(x.headers[0].name, "X-A");
    ck_assert_str_eq(x.headers[0].value, "1");
    ck_assert_str_eq(x.headers[2].name, "X-B");
    ck_assert_str_eq(x.headers[2].value, "two words");
    ck_assert_str_eq(mh_exchange_header(&x, "content-length"), "7");
    ck_assert_uint_eq(x.body_len, 7);
    ck_assert_int_eq(memcmp(x.body, "{\"a\":\0}", 8), 0);
    ck_assert_int_eq(x.attempts, 1);
    ck_assert_int_eq(x.rate_limited, 0);
    ck_assert(x.elapsed_ms >= 0 && x.elapsed_ms < 5000);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_chunked_answer_decoded)
{
    static const char raw[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    mh_exchange x;
    answer_for(raw, sizeof raw - 1, &x);
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_uint_eq(x.body_len, 11);
    ck_assert_str_eq(x.body, "hello world");
    ck_assert_ptr_null(x.content_type);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_interim_answer_headers_dropped)
{
    static const char raw[] = "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
                              "HTTP/1.1 200 OK\r\nX-Final: 1\r\nContent-Length: 0\r\n\r\n";
    mh_exchange x;
    answer_for(raw, sizeof raw - 1, &x);
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_int_eq(x.status, 200);
    ck_assert_ptr_null(mh_exchange_header(&x, "X-Interim"));
    ck_assert_str_eq(mh_exchange_header(&x, "X-Final"), "1");
    ck_assert_uint_eq(x.body_len, 0);
    ck_assert_ptr_nonnull(x.body);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_redirect_not_followed)
{
    static const char raw[] =
        "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n";
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, raw, sizeof raw - 1);
    mh_case *c = make_case("GET", "/p", NULL, 0);
    mh_exchange x;
    exchange_with(h, NULL, c, &x);
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_int_eq(x.status, 302);
    ck_assert_str_eq(mh_exchange_header(&x, "Location"), "/elsewhere");
    ck_assert_uint_eq(tu_hostile_request_count(h), 1);
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
    mh_case_free(c);
}
END_TEST

START_TEST(transport_deep_json_answer_received)
{
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_DEEP_JSON, NULL, 0);
    mh_case *c = make_case("GET", "/p", NULL, 0);
    mh_exchange x;
    exchange_with(h, NULL, c, &x);
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_uint_eq(x.body_len, 200000);
    ck_assert_int_eq(x.body[0], '[');
    ck_assert_int_eq(x.body[199999], ']');
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
    mh_case_free(c);
}
END_TEST

/* ---- concurrency, reuse, rate ------------------------------------------- */

typedef struct {
    size_t n;
    int *seen;
    int status_sum_ok;
    mh_exchange *xs;
} collect;

static void on_done(void *ctx, size_t index, mh_exchange *x)
{
    collect *c = ctx;
    ck_assert_uint_lt(index, c->n);
    c->seen[index]++;
    c->xs[index] = *x; /* take ownership */
}

static void collect_init(collect *c, size_t n)
{
    c->n = n;
    c->seen = calloc(n, sizeof *c->seen);
    c->xs = calloc(n, sizeof *c->xs);
    ck_assert(c->seen && c->xs);
}

static void collect_free(collect *c)
{
    for (size_t i = 0; i < c->n; i++)
        mh_exchange_clear(&c->xs[i]);
    free(c->xs);
    free(c->seen);
}

static mh_case **make_cases(size_t n)
{
    mh_case **cs = calloc(n, sizeof *cs);
    ck_assert_ptr_nonnull(cs);
    for (size_t i = 0; i < n; i++) {
        char target[64];
        snprintf(target, sizeof target, "/p?i=%zu", i);
        cs[i] = make_case("POST", target, "{}", 2);
    }
    return cs;
}

static void free_cases(mh_case **cs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mh_case_free(cs[i]);
    free(cs);
}

START_TEST(transport_run_reuses_connections)
{
    enum { N = 50 };
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, OK_JSON, strlen(OK_JSON));
    mh_transport_opts o;
    mh_transport_opts_default(&o);
    o.concurrency = 4;
    mh_transport *t = make_transport(tu_hostile_base_url(h), &o);
    mh_case **cs = make_cases(N);
    collect col;
    collect_init(&col, N);
    mh_error err;
    ck_assert_int_eq(mh_transport_run(t, cs, N, on_done, &col, NULL, &err), MH_OK);
    for (size_t i = 0; i < N; i++) {
        ck_assert_int_eq(col.seen[i], 1);
        ck_assert_int_eq(col.xs[i].error, MH_XFER_OK);
        ck_assert_int_eq(col.xs[i].status, 200);
    }
    ck_assert_uint_eq(tu_hostile_request_count(h), N);
    ck_assert_uint_le(tu_hostile_connection_count(h), 6);
    /* A second run on the same transport keeps using the cached connections. */
    size_t before = tu_hostile_connection_count(h);
    collect col2;
    collect_init(&col2, N);
    ck_assert_int_eq(mh_transport_run(t, cs, N, on_done, &col2, NULL, &err), MH_OK);
    ck_assert_uint_eq(tu_hostile_connection_count(h), before);
    collect_free(&col2);
    collect_free(&col);
    free_cases(cs, N);
    mh_transport_free(t);
    tu_hostile_stop(h);
}
END_TEST

START_TEST(transport_rate_limit_spaces_starts)
{
    enum { N = 5 };
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, OK_JSON, strlen(OK_JSON));
    mh_transport_opts o;
    mh_transport_opts_default(&o);
    o.rate_limit = 20; /* one start every 50 ms */
    mh_transport *t = make_transport(tu_hostile_base_url(h), &o);
    mh_case **cs = make_cases(N);
    collect col;
    collect_init(&col, N);
    mh_error err;
    double t0 = tu_now_ms();
    ck_assert_int_eq(mh_transport_run(t, cs, N, on_done, &col, NULL, &err), MH_OK);
    double took = tu_now_ms() - t0;
    ck_assert_msg(took >= 190 && took < 2000, "took %.0f ms", took);
    for (size_t i = 0; i < N; i++)
        ck_assert_int_eq(col.xs[i].status, 200);
    collect_free(&col);
    free_cases(cs, N);
    mh_transport_free(t);
    tu_hostile_stop(h);
}
END_TEST

/* ---- failures ------------------------------------------------------------------ */

/* One GET with the given timeout against h; returns the wall time it took. */
static double fail_with(tu_hostile *h, const char *base, long timeout_ms, size_t cap,
                        mh_exchange *x)
{
    mh_transport_opts o;
    mh_transport_opts_default(&o);
    o.timeout_ms = timeout_ms;
    if (cap)
        o.max_response_bytes = cap;
    mh_transport *t = make_transport(h ? tu_hostile_base_url(h) : base, &o);
    mh_case *c = make_case("GET", "/p?botId=b", NULL, 0);
    mh_case_add_header(c, "Authorization", "Bearer SECRET-TOKEN-VALUE");
    mh_error err;
    double t0 = tu_now_ms();
    ck_assert_int_eq(mh_transport_send_one(t, c, x, &err), MH_OK);
    double took = tu_now_ms() - t0;
    if (x->error != MH_XFER_OK) {
        ck_assert_ptr_nonnull(x->error_text);
        ck_assert_ptr_null(strstr(x->error_text, "SECRET"));
    }
    mh_case_free(c);
    mh_transport_free(t);
    return took;
}

START_TEST(transport_timeout_never_answer)
{
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_SILENT, NULL, 0);
    mh_exchange x;
    double took = fail_with(h, NULL, 300, 0, &x);
    ck_assert_int_eq(x.error, MH_XFER_TIMEOUT);
    ck_assert_int_eq(x.status, 0);
    ck_assert_msg(took >= 250 && took < 2000, "took %.0f ms", took);
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_unreachable_port_connect_fast)
{
    char base[64];
    int port = tu_hostile_dead_port();
    ck_assert_int_ne(port, 0);
    snprintf(base, sizeof base, "http://127.0.0.1:%d/api", port);
    mh_exchange x;
    double took = fail_with(NULL, base, 10000, 0, &x);
    ck_assert_int_eq(x.error, MH_XFER_CONNECT);
    ck_assert_msg(took < 2000, "took %.0f ms", took);
    mh_exchange_clear(&x);
}
END_TEST

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void too_large_case(tu_hostile_mode mode)
{
    long rss0 = max_rss_kb();
    tu_hostile *h = tu_hostile_start(mode, NULL, 0);
    mh_exchange x;
    size_t cap = 1024 * 1024;
    double took = fail_with(h, NULL, 10000, cap, &x);
    ck_assert_int_eq(x.error, MH_XFER_TOO_LARGE);
    ck_assert_uint_le(x.body_len, cap);
    ck_assert_msg(took < 5000, "took %.0f ms", took);
    /* Buffering the 50 MB answer would raise the peak by far more than this. */
    long grown = max_rss_kb() - rss0;
    ck_assert_msg(grown < 32 * 1024, "peak memory grew by %ld KiB", grown);
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
}

START_TEST(transport_huge_sized_answer_too_large)
{
    too_large_case(TU_HOSTILE_HUGE);
}
END_TEST

START_TEST(transport_huge_unsized_answer_too_large)
{
    too_large_case(TU_HOSTILE_HUGE_UNSIZED);
}
END_TEST

START_TEST(transport_answer_at_cap_is_ok)
{
    tu_hostile_opts ho = {.mode = TU_HOSTILE_HUGE_UNSIZED, .size = 4096};
    tu_hostile *h = tu_hostile_start_opts(&ho);
    mh_exchange x;
    fail_with(h, NULL, 10000, 4096, &x);
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_uint_eq(x.body_len, 4096);
    mh_exchange_clear(&x);
    tu_hostile_stop(h);
    ho.size = 4097;
    h = tu_hostile_start_opts(&ho);
    fail_with(h, NULL, 10000, 4096, &x);
    ck_assert_int_eq(x.error, MH_XFER_TOO_LARGE);
    ck_assert_uint_eq(x.body_len, 4096);
    mh_exchange_clear(&x);
    tu_hostile_stop(h);
}
END_TEST

START_TEST(transport_reset_mid_body)
{
    static const char raw[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Content-Length: 1000\r\n\r\n{\"partial\":";
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RESET, raw, sizeof raw - 1);
    mh_exchange x;
    fail_with(h, NULL, 5000, 0, &x);
    ck_assert_msg(x.error == MH_XFER_RESET, "got %s: %s", mh_xfer_error_name(x.error),
                  x.error_text ? x.error_text : "");
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_garbage_is_protocol_error)
{
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_GARBAGE, NULL, 0);
    mh_exchange x;
    fail_with(h, NULL, 5000, 0, &x);
    ck_assert_msg(x.error == MH_XFER_PROTOCOL, "got %s: %s", mh_xfer_error_name(x.error),
                  x.error_text ? x.error_text : "");
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_bad_chunked_is_error)
{
    static const char raw[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "zz\r\nhello\r\n0\r\n\r\n";
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW_CLOSE, raw, sizeof raw - 1);
    mh_exchange x;
    fail_with(h, NULL, 5000, 0, &x);
    ck_assert_msg(x.error == MH_XFER_PROTOCOL, "got %s: %s", mh_xfer_error_name(x.error),
                  x.error_text ? x.error_text : "");
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_slow_drip_times_out)
{
    static const char raw[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    tu_hostile_opts ho = {
        .mode = TU_HOSTILE_DRIP, .payload = raw, .len = sizeof raw - 1, .drip_ms = 50};
    tu_hostile *h = tu_hostile_start_opts(&ho);
    mh_exchange x;
    double took = fail_with(h, NULL, 400, 0, &x);
    ck_assert_int_eq(x.error, MH_XFER_TIMEOUT);
    ck_assert_msg(took < 2000, "took %.0f ms", took);
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_send_target_verbatim)
{
    const char *targets[] = {"/a/../b/./c?x=%zz&y=%20&&z==", "/p?q=\xc3\xa9&botId=&botId=a",
                             "/p//double?", "/p;matrix=1?a=b"};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        mh_case *c = make_case("GET", targets[i], NULL, 0);
        mh_exchange x;
        size_t len;
        char *req = request_for(NULL, c, &x, &len);
        char line[256];
        snprintf(line, sizeof line, "GET /api%s HTTP/1.1\r\n", targets[i]);
        ck_assert_msg(strncmp(req, line, strlen(line)) == 0, "sent: %.60s", req);
        free(req);
        mh_exchange_clear(&x);
        mh_case_free(c);
    }
}
END_TEST

START_TEST(transport_head_answer_has_no_body)
{
    static const char raw[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, raw, sizeof raw - 1);
    mh_case *c = make_case("HEAD", "/p", NULL, 0);
    mh_exchange x;
    exchange_with(h, NULL, c, &x);
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_int_eq(x.status, 200);
    ck_assert_uint_eq(x.body_len, 0);
    char *req = tu_hostile_last_request(h, NULL);
    ck_assert_int_eq(strncmp(req, "HEAD /api/p HTTP/1.1\r\n", 22), 0);
    free(req);
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
    mh_case_free(c);
}
END_TEST

START_TEST(transport_oversized_headers_too_large)
{
    size_t n = 400, line = 1000;
    char *raw = malloc(n * line + 128);
    ck_assert_ptr_nonnull(raw);
    size_t off = (size_t)sprintf(raw, "HTTP/1.1 200 OK\r\n");
    for (size_t i = 0; i < n; i++) {
        off += (size_t)sprintf(raw + off, "X-H%03zu: ", i);
        memset(raw + off, 'v', line - 12);
        off += line - 12;
        memcpy(raw + off, "\r\n", 2);
        off += 2;
    }
    off += (size_t)sprintf(raw + off, "Content-Length: 0\r\n\r\n");
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW_CLOSE, raw, off);
    free(raw);
    mh_exchange x;
    fail_with(h, NULL, 5000, 0, &x);
    ck_assert_msg(x.error == MH_XFER_TOO_LARGE, "got %s", mh_xfer_error_name(x.error));
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_https_to_plain_server_is_tls_error)
{
    tu_hostile_opts ho = {.mode = TU_HOSTILE_GARBAGE, .speak_first = 1};
    tu_hostile *h = tu_hostile_start_opts(&ho);
    char base[64];
    snprintf(base, sizeof base, "https://127.0.0.1:%d", tu_hostile_port(h));
    mh_exchange x;
    double took = fail_with(NULL, base, 3000, 0, &x);
    ck_assert_msg(x.error == MH_XFER_TLS, "got %s: %s", mh_xfer_error_name(x.error),
                  x.error_text ? x.error_text : "");
    ck_assert_msg(took < 2000, "took %.0f ms", took);
    tu_hostile_stop(h);
    mh_exchange_clear(&x);
}
END_TEST

START_TEST(transport_run_server_closing_each_connection)
{
    enum { N = 12 };
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW_CLOSE, OK_JSON, strlen(OK_JSON));
    mh_transport_opts o;
    mh_transport_opts_default(&o);
    o.concurrency = 3;
    mh_transport *t = make_transport(tu_hostile_base_url(h), &o);
    mh_case **cs = make_cases(N);
    collect col;
    collect_init(&col, N);
    mh_error err;
    ck_assert_int_eq(mh_transport_run(t, cs, N, on_done, &col, NULL, &err), MH_OK);
    for (size_t i = 0; i < N; i++) {
        ck_assert_int_eq(col.seen[i], 1);
        ck_assert_int_eq(col.xs[i].error, MH_XFER_OK);
        ck_assert_int_eq(col.xs[i].status, 200);
    }
    ck_assert_uint_eq(tu_hostile_connection_count(h), N);
    collect_free(&col);
    free_cases(cs, N);
    mh_transport_free(t);
    tu_hostile_stop(h);
}
END_TEST

/* ---- 429 --------------------------------------------------------------------------- */

static const char ANSWER_429[] = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\n"
                                 "Content-Length: 0\r\n\r\n";

START_TEST(transport_429_retry_after_then_ok)
{
    const char *script[] = {ANSWER_429, OK_JSON};
    tu_hostile_opts ho = {.mode = TU_HOSTILE_RAW, .script = script, .script_count = 2};
    tu_hostile *h = tu_hostile_start_opts(&ho);
    mh_transport *t = make_transport(tu_hostile_base_url(h), NULL);
    mh_case *c = make_case("POST", "/p", "{}", 2);
    mh_exchange x;
    mh_error err;
    double t0 = tu_now_ms();
    ck_assert_int_eq(mh_transport_send_one(t, c, &x, &err), MH_OK);
    double took = tu_now_ms() - t0;
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_int_eq(x.status, 200);
    ck_assert_int_eq(x.attempts, 2);
    ck_assert_int_eq(x.rate_limited, 0);
    ck_assert_str_eq(x.body, "{}");
    ck_assert_msg(took >= 900 && took < 3000, "Retry-After not honoured: %.0f ms", took);
    ck_assert_uint_eq(tu_hostile_request_count(h), 2);
    mh_exchange_clear(&x);
    mh_case_free(c);
    mh_transport_free(t);
    tu_hostile_stop(h);
}
END_TEST

START_TEST(transport_429_always_rate_limited)
{
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, ANSWER_429, strlen(ANSWER_429));
    mh_transport_opts o;
    mh_transport_opts_default(&o);
    o.max_429_retries = 2;
    o.max_retry_wait_ms = 20;
    mh_transport *t = make_transport(tu_hostile_base_url(h), &o);
    mh_case *c = make_case("POST", "/p", "{}", 2);
    mh_exchange x;
    mh_error err;
    double t0 = tu_now_ms();
    ck_assert_int_eq(mh_transport_send_one(t, c, &x, &err), MH_OK);
    ck_assert_msg(tu_now_ms() - t0 < 1000, "retry wait not capped");
    ck_assert_int_eq(x.error, MH_XFER_OK);
    ck_assert_int_eq(x.status, 429);
    ck_assert_int_eq(x.attempts, 3);
    ck_assert_int_eq(x.rate_limited, 1);
    ck_assert_uint_eq(tu_hostile_request_count(h), 3);
    /* Every attempt sent the same bytes. */
    size_t l0, l2;
    char *r0 = tu_hostile_request(h, 0, &l0), *r2 = tu_hostile_request(h, 2, &l2);
    ck_assert(r0 && r2 && l0 == l2 && memcmp(r0, r2, l0) == 0);
    free(r0);
    free(r2);
    mh_exchange_clear(&x);
    mh_case_free(c);
    mh_transport_free(t);
    tu_hostile_stop(h);
}
END_TEST

START_TEST(transport_429_without_retry_after_backs_off)
{
    static const char raw[] = "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n";
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, raw, sizeof raw - 1);
    mh_transport_opts o;
    mh_transport_opts_default(&o);
    o.max_429_retries = 1;
    mh_transport *t = make_transport(tu_hostile_base_url(h), &o);
    mh_case *c = make_case("GET", "/p", NULL, 0);
    mh_exchange x;
    mh_error err;
    double t0 = tu_now_ms();
    ck_assert_int_eq(mh_transport_send_one(t, c, &x, &err), MH_OK);
    double took = tu_now_ms() - t0;
    ck_assert_msg(took >= 150 && took < 2000, "took %.0f ms", took);
    ck_assert_int_eq(x.attempts, 2);
    ck_assert_int_eq(x.rate_limited, 1);
    mh_exchange_clear(&x);
    mh_case_free(c);
    mh_transport_free(t);
    tu_hostile_stop(h);
}
END_TEST

/* ---- stop ------------------------------------------------------------------------------ */

static void *raise_stop(void *arg)
{
    usleep(200 * 1000);
    *(volatile sig_atomic_t *)arg = 1;
    return NULL;
}

START_TEST(transport_stop_flag_interrupts)
{
    enum { N = 5 };
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_SILENT, NULL, 0);
    mh_transport_opts o;
    mh_transport_opts_default(&o);
    o.concurrency = 2;
    mh_transport *t = make_transport(tu_hostile_base_url(h), &o);
    mh_case **cs = make_cases(N);
    collect col;
    collect_init(&col, N);
    volatile sig_atomic_t stop = 0;
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, raise_stop, (void *)&stop), 0);
    mh_error err;
    double t0 = tu_now_ms();
    ck_assert_int_eq(mh_transport_run(t, cs, N, on_done, &col, &stop, &err), MH_OK);
    double took = tu_now_ms() - t0;
    pthread_join(th, NULL);
    ck_assert_msg(took >= 150 && took < 2000, "took %.0f ms", took);
    for (size_t i = 0; i < N; i++) {
        ck_assert_int_eq(col.seen[i], i < 2 ? 1 : 0);
        if (i < 2) {
            ck_assert_int_eq(col.xs[i].error, MH_XFER_OTHER);
            ck_assert_str_eq(col.xs[i].error_text, "interrupted");
        }
    }
    collect_free(&col);
    free_cases(cs, N);
    mh_transport_free(t);
    tu_hostile_stop(h);
}
END_TEST

/* "/slow" is always rate limited with Retry-After: 1; anything else is fine. */
static char *route_slow(void *ctx, size_t k, const char *req, size_t len, size_t *out_len)
{
    (void)ctx;
    (void)k;
    (void)len;
    const char *a = strncmp(req, "POST /slow ", 11) == 0 ? ANSWER_429 : OK_JSON;
    *out_len = strlen(a);
    return strdup(a);
}

typedef struct {
    double t0;
    double fast_done_ms, slow_done_ms;
    int fast_status, slow_status, slow_attempts;
    int count;
} timing;

static void on_timed(void *ctx, size_t index, mh_exchange *x)
{
    timing *tm = ctx;
    double at = tu_now_ms() - tm->t0;
    if (index == 0) {
        tm->slow_done_ms = at;
        tm->slow_status = x->status;
        tm->slow_attempts = x->attempts;
    } else {
        tm->fast_done_ms = at > tm->fast_done_ms ? at : tm->fast_done_ms;
        tm->fast_status = x->status;
    }
    tm->count++;
    mh_exchange_clear(x);
}

START_TEST(transport_429_wait_does_not_block_others)
{
    tu_hostile_opts ho = {.mode = TU_HOSTILE_RAW, .answer_fn = route_slow};
    tu_hostile *h = tu_hostile_start_opts(&ho);
    mh_transport_opts o;
    mh_transport_opts_default(&o);
    o.concurrency = 2;
    o.max_429_retries = 1;
    mh_transport *t = make_transport(tu_hostile_base_url(h), &o);
    mh_case *cs[4] = {make_case("POST", "/slow", "{}", 2), make_case("POST", "/f1", "{}", 2),
                      make_case("POST", "/f2", "{}", 2), make_case("POST", "/f3", "{}", 2)};
    timing tm = {.t0 = tu_now_ms()};
    mh_error err;
    ck_assert_int_eq(mh_transport_run(t, cs, 4, on_timed, &tm, NULL, &err), MH_OK);
    ck_assert_int_eq(tm.count, 4);
    ck_assert_int_eq(tm.fast_status, 200);
    ck_assert_int_eq(tm.slow_status, 429);
    ck_assert_int_eq(tm.slow_attempts, 2);
    ck_assert_msg(tm.fast_done_ms < 500, "fast cases waited: %.0f ms", tm.fast_done_ms);
    ck_assert_msg(tm.slow_done_ms >= 900, "slow case did not wait: %.0f ms", tm.slow_done_ms);
    for (size_t i = 0; i < 4; i++)
        mh_case_free(cs[i]);
    mh_transport_free(t);
    tu_hostile_stop(h);
}
END_TEST

START_TEST(transport_stop_during_retry_wait)
{
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, ANSWER_429, strlen(ANSWER_429));
    mh_transport *t = make_transport(tu_hostile_base_url(h), NULL);
    mh_case **cs = make_cases(1);
    collect col;
    collect_init(&col, 1);
    volatile sig_atomic_t stop = 0;
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, raise_stop, (void *)&stop), 0);
    mh_error err;
    double t0 = tu_now_ms();
    ck_assert_int_eq(mh_transport_run(t, cs, 1, on_done, &col, &stop, &err), MH_OK);
    double took = tu_now_ms() - t0;
    pthread_join(th, NULL);
    ck_assert_msg(took < 800, "stop not honoured during a retry wait: %.0f ms", took);
    ck_assert_int_eq(col.seen[0], 1);
    ck_assert_int_eq(col.xs[0].error, MH_XFER_OTHER);
    ck_assert_str_eq(col.xs[0].error_text, "interrupted");
    collect_free(&col);
    free_cases(cs, 1);
    mh_transport_free(t);
    tu_hostile_stop(h);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("transport");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, transport_new_bad_base_url_usage);
    tcase_add_test(tc, transport_new_bad_numbers_usage);
    tcase_add_test(tc, transport_request_target_joins_without_double_slash);
    tcase_add_test(tc, transport_send_binary_body_exact_bytes);
    tcase_add_test(tc, transport_send_null_body_post_has_zero_length);
    tcase_add_test(tc, transport_send_empty_body_is_zero_length);
    tcase_add_test(tc, transport_send_get_without_body_has_no_length);
    tcase_add_test(tc, transport_send_custom_methods_verbatim);
    tcase_add_test(tc, transport_send_headers_as_given);
    tcase_add_test(tc, transport_capture_status_headers_body);
    tcase_add_test(tc, transport_chunked_answer_decoded);
    tcase_add_test(tc, transport_interim_answer_headers_dropped);
    tcase_add_test(tc, transport_redirect_not_followed);
    tcase_add_test(tc, transport_deep_json_answer_received);
    tcase_add_test(tc, transport_run_reuses_connections);
    tcase_add_test(tc, transport_rate_limit_spaces_starts);
    tcase_add_test(tc, transport_timeout_never_answer);
    tcase_add_test(tc, transport_unreachable_port_connect_fast);
    tcase_add_test(tc, transport_huge_sized_answer_too_large);
    tcase_add_test(tc, transport_huge_unsized_answer_too_large);
    tcase_add_test(tc, transport_answer_at_cap_is_ok);
    tcase_add_test(tc, transport_reset_mid_body);
    tcase_add_test(tc, transport_garbage_is_protocol_error);
    tcase_add_test(tc, transport_bad_chunked_is_error);
    tcase_add_test(tc, transport_slow_drip_times_out);
    tcase_add_test(tc, transport_429_retry_after_then_ok);
    tcase_add_test(tc, transport_429_always_rate_limited);
    tcase_add_test(tc, transport_429_without_retry_after_backs_off);
    tcase_add_test(tc, transport_stop_flag_interrupts);
    tcase_add_test(tc, transport_send_target_verbatim);
    tcase_add_test(tc, transport_send_large_body_without_expect);
    tcase_add_test(tc, transport_head_answer_has_no_body);
    tcase_add_test(tc, transport_oversized_headers_too_large);
    tcase_add_test(tc, transport_https_to_plain_server_is_tls_error);
    tcase_add_test(tc, transport_run_server_closing_each_connection);
    tcase_add_test(tc, transport_429_wait_does_not_block_others);
    tcase_add_test(tc, transport_stop_during_retry_wait);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
