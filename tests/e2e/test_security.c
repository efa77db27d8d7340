/* test_security.c — security schemes end to end (tests/data/whole/secured.yaml):
 * the credential flags and their environment fallbacks (--api-key
 * SCHEME=VALUE, MANTA_API_KEY_<SCHEME>, MANTA_API_KEY with one apiKey scheme,
 * --basic USER:PASS, MANTA_BASIC) and their errors, the exact bytes that
 * carry each credential (Authorization Bearer and Basic, API keys in a
 * header, the query and a cookie), the first configured alternative, AND
 * requirements, operations without credentials (skipped with the flag to
 * give; exit 2 when none can run), --list-cases without credentials, the
 * auth suite refused by a strict server, sensitive_data_exposure on an
 * answer that echoes a scheme credential, the curl reproduction rebuilding
 * every credential from the environment (run through /bin/sh against the
 * server), the credential-property rule by context (a public sign-up's
 * "password" needs no --secret), and the credential helpers of
 * manta/credential.h.
 *
 * The target is a strict capture server (tu_hostile with an answer
 * function): it accepts exactly the credentials below where secured.yaml
 * declares them, refuses anything else with 401, and keeps every request
 * byte for byte. Every run and shell command is bounded in time. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "manta/credential.h"
#include "manta/redact.h"
#include "testutil.h"
#include "tu_cli.h"
#include "tu_hostile.h"
#include "tu_report.h"
#include "tu_tmp.h"

#define SECURED MH_TEST_DATA "/whole/secured.yaml"
#define PETSTORE MH_SOURCE_DIR "/contracts/petstore-3.1.yaml"
#define KEY_H "hdr-K3y-9a8b7c6d"
#define KEY_Q "qry K3y/5e4f" /* a space and a slash: percent-encoded in the query */
#define KEY_Q_ENC "qry%20K3y%2F5e4f"
#define KEY_C "ck-K3y-1a2b3c4d"
#define BASIC "alice:open sesame"
#define BASIC_B64 "YWxpY2U6b3BlbiBzZXNhbWU="
#define TOKEN "sec-T0ken-opaque-42"
#define SECRET "pw-S3cret-77"

extern char **environ;

/* ------------------------------------------------------------ the server */

typedef struct {
    int echo; /* answer with the credentials received in X-Echo headers */
} strict_cfg;

static char *http(int status, const char *extra, const char *body, size_t *out_len)
{
    char *a = NULL;
    int n = asprintf(&a, "HTTP/1.1 %d %s\r\n%s%sContent-Length: %zu\r\n\r\n%s", status,
                     tu_hostile_reason(status), extra ? extra : "",
                     body ? "Content-Type: application/json\r\n" : "", body ? strlen(body) : 0,
                     body ? body : "");
    if (n < 0)
        return NULL;
    *out_len = (size_t)n;
    return a;
}

/* The request line is "METHOD path" and then '?' or ' ' (prefix: a path
 * starting so, then a digit run). */
static int route(const char *req, const char *method, const char *path, int id)
{
    size_t m = strlen(method), p = strlen(path);
    if (strncmp(req, method, m) != 0 || req[m] != ' ' || strncmp(req + m + 1, path, p) != 0)
        return 0;
    const char *rest = req + m + 1 + p;
    if (id) {
        if (*rest < '1' || *rest > '9')
            return 0;
        rest += strspn(rest, "0123456789");
    }
    return *rest == '?' || *rest == ' ';
}

static int header_is(const char *req, const char *name, const char *want)
{
    char *v = tu_hostile_header_dup(req, name);
    int ok = v && strcmp(v, want) == 0;
    free(v);
    return ok;
}

/* The query of the request line holds the pair exactly. */
static int query_has(const char *req, const char *pair)
{
    const char *sp = strchr(req, ' ');
    const char *end = sp ? strchr(sp + 1, ' ') : NULL;
    const char *q = sp ? memchr(sp + 1, '?', (size_t)(end - sp - 1)) : NULL;
    size_t n = strlen(pair);
    for (const char *p = q; p && p < end; p = memchr(p + 1, '&', (size_t)(end - p - 1))) {
        if ((size_t)(end - p - 1) >= n && strncmp(p + 1, pair, n) == 0 &&
            (p[1 + n] == '&' || p + 1 + n == end))
            return 1;
        if (!memchr(p + 1, '&', (size_t)(end - p - 1)))
            break;
    }
    return 0;
}

/* The Cookie header holds the pair exactly. */
static int cookie_has(const char *req, const char *pair)
{
    char *v = tu_hostile_header_dup(req, "Cookie");
    int ok = 0;
    size_t n = strlen(pair);
    for (char *p = v; p && *p && !ok; p = strstr(p, "; ") ? strstr(p, "; ") + 2 : NULL)
        ok = strncmp(p, pair, n) == 0 && (p[n] == ';' || p[n] == '\0');
    free(v);
    return ok;
}

static int basic_ok(const char *req)
{
    return header_is(req, "Authorization", "Basic " BASIC_B64);
}

static int bearer_ok(const char *req)
{
    return header_is(req, "Authorization", "Bearer " TOKEN);
}

static int key_h(const char *req)
{
    return header_is(req, "X-API-Key", KEY_H);
}

/* The credentials the request carried, as X-Echo header lines (echo mode). */
static char *echo_lines(const char *req)
{
    char *key = tu_hostile_header_dup(req, "X-API-Key");
    char *auth = tu_hostile_header_dup(req, "Authorization");
    char *a = NULL;
    if (asprintf(&a, "X-Echo-Key: %s\r\nX-Echo-Auth: %s\r\n%s", key ? key : "-", auth ? auth : "-",
                 basic_ok(req) ? "X-Echo-Password: open sesame\r\n" : "") < 0)
        a = NULL;
    free(key);
    free(auth);
    return a;
}

/* 1 when the request has the credentials secured.yaml demands for it; *allow
 * is the path's Allow line, *ok_status its success status, *body its body;
 * -1 for an unknown route. */
static int judge(const char *req, const char **allow, int *ok_status, const char **body)
{
    *body = NULL;
    *ok_status = 200;
    if (route(req, "POST", "/users", 0) || strncmp(req + strcspn(req, " "), " /users", 7) == 0) {
        *allow = "POST";
        *ok_status = 201;
        *body = "{\"title\":\"new user\"}";
        return route(req, "POST", "/users", 0) ? 1 : -1;
    }
    if (route(req, "PUT", "/account/password", 0)) {
        *ok_status = strstr(req, "\"password\":\"" SECRET "\"") ? 204 : 403;
        return basic_ok(req);
    }
    if (route(req, "GET", "/items", 0)) {
        *body = "[]";
        return key_h(req);
    }
    if (route(req, "POST", "/items", 0)) {
        *ok_status = 201;
        *body = "{\"title\":\"new item\"}";
        return query_has(req, "api_key=" KEY_Q_ENC) || basic_ok(req);
    }
    if (route(req, "GET", "/items/", 1)) {
        *body = "{\"title\":\"an item\"}";
        return cookie_has(req, "session_key=" KEY_C);
    }
    if (route(req, "DELETE", "/items/", 1)) {
        *ok_status = 204;
        return key_h(req) && bearer_ok(req);
    }
    if (route(req, "GET", "/reports", 0))
        return bearer_ok(req);
    if (route(req, "GET", "/legacy", 0))
        return 0; /* digest: nothing the harness sends is enough */
    if (route(req, "GET", "/open", 0))
        return 1;
    static const struct {
        const char *prefix, *allow;
    } paths[] = {{" /account/password", "PUT"}, {" /items/", "GET, DELETE"},
                 {" /items", "GET, POST"},      {" /reports", "GET"},
                 {" /legacy", "GET"},           {" /open", "GET"}};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (strncmp(req + strcspn(req, " "), paths[i].prefix, strlen(paths[i].prefix)) == 0)
            *allow = paths[i].allow;
    return -1;
}

static char *answer(void *ctx, size_t k, const char *req, size_t len, size_t *out_len)
{
    (void)k;
    (void)len;
    const strict_cfg *cfg = ctx;
    const char *allow = "GET", *body;
    int ok_status;
    int verdict = judge(req, &allow, &ok_status, &body);
    if (verdict < 0) {
        char line[64];
        snprintf(line, sizeof line, "Allow: %s\r\n", allow);
        return http(405, line, "{\"message\":\"method\"}", out_len);
    }
    if (!verdict)
        return http(401, NULL, "{\"message\":\"who are you\"}", out_len);
    if (ok_status == 403)
        return http(403, NULL, "{\"message\":\"wrong password\"}", out_len);
    char *echo = cfg->echo ? echo_lines(req) : NULL;
    char *a = http(ok_status, echo, ok_status == 204 ? NULL : body, out_len);
    free(echo);
    return a;
}

static tu_hostile *strict_start(strict_cfg *cfg)
{
    tu_hostile_opts o = {.mode = TU_HOSTILE_RAW, .answer_fn = answer, .answer_ctx = cfg};
    tu_hostile *h = tu_hostile_start_opts(&o);
    ck_assert_ptr_nonnull(h);
    return h;
}

/* ------------------------------------------------------------ the CLI */

/* "manta-harness run --spec SECURED --seed 5 --run-id s --no-progress". */
static void args_run(tu_args *a)
{
    a->n = 0;
    tu_args_add(a, "manta-harness", "run", "--spec", SECURED, "--seed", "5", "--run-id", "s",
                "--no-progress", NULL);
}

/* Every credential, by flag. */
static void args_creds(tu_args *a)
{
    tu_args_add(a, "--api-key", "key_header=" KEY_H, "--api-key", "key_query=" KEY_Q, "--api-key",
                "key_cookie=" KEY_C, "--basic", BASIC, "--token", TOKEN, "--secret", SECRET, NULL);
}

/* Expects exit 2, one stderr line naming every string of names, and no
 * secret of the command line in it. */
static void expect_usage(const tu_args *a, const char *const *names, size_t n)
{
    tu_cli r = tu_cli_usage(a, names, n);
    static const char *const secrets[] = {"K3y", "sesame", "T0ken", "S3cret"};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        ck_assert_msg(!strstr(r.err, secrets[i]) && !strstr(r.out, secrets[i]),
                      "a secret (%s) is echoed: %s", secrets[i], r.err);
    tu_cli_free(&r);
}

/* The case of the report with operation key and id; NULL when absent. */
static const cJSON *report_case(const cJSON *rep, const char *operation, const char *id)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, tu_report_get(rep, "cases"))
    {
        const char *op = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "operation"));
        const char *cid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id"));
        if (op && cid && strcmp(op, operation) == 0 && strcmp(cid, id) == 0)
            return c;
    }
    return NULL;
}

static const char *str_of(const cJSON *c, const char *key)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, key));
    return v ? v : "";
}

/* The one request a run of one valid case sent; fails unless exactly one. */
static char *one_request(const char *op, const char *const *extra)
{
    strict_cfg cfg = {0};
    tu_hostile *h = strict_start(&cfg);
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", op, "--suite", "valid",
                "--max-cases", "1", NULL);
    for (size_t i = 0; extra[i]; i++)
        tu_args_add(&a, extra[i], NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "%s: exit %d: %s%s", op, r.status, r.out, r.err);
    ck_assert_uint_eq(tu_hostile_request_count(h), 1);
    char *req = tu_hostile_request(h, 0, NULL);
    tu_cli_free(&r);
    tu_hostile_stop(h);
    return req;
}

static void expect_not_in(const char *req, const char *unwanted)
{
    ck_assert_msg(strstr(req, unwanted) == NULL, "request has \"%s\":\n%s", unwanted, req);
}

/* ------------------------------------------------------------ tests */

/* Each credential goes where its scheme says, byte for byte, and only the
 * alternative sent is sent. */
START_TEST(security_credentials_on_the_wire_exact)
{
    static const char *const all[] = {"--api-key", "key_header=" KEY_H,
                                      "--api-key", "key_query=" KEY_Q,
                                      "--api-key", "key_cookie=" KEY_C,
                                      "--basic",   BASIC,
                                      "--token",   TOKEN,
                                      "--secret",  SECRET,
                                      NULL};
    char *r = one_request("listItems", all);
    tu_expect_in(r, "GET /items?limit=5 HTTP/1.1\r\n");
    tu_expect_in(r, "\r\nAccept: application/json\r\nX-API-Key: " KEY_H "\r\n");
    expect_not_in(r, "Authorization");
    free(r);
    r = one_request("createItem", all); /* key_query, the first alternative */
    tu_expect_in(r, "POST /items?api_key=" KEY_Q_ENC " HTTP/1.1\r\n");
    expect_not_in(r, "Authorization");
    free(r);
    static const char *const basic_only[] = {"--basic", BASIC, NULL};
    r = one_request("createItem", basic_only); /* the second alternative */
    tu_expect_in(r, "POST /items HTTP/1.1\r\n");
    tu_expect_in(r, "\r\nAuthorization: Basic " BASIC_B64 "\r\n");
    free(r);
    r = one_request("showItem", all);
    tu_expect_in(r, "GET /items/7 HTTP/1.1\r\n");
    tu_expect_in(r, "\r\nCookie: session_key=" KEY_C "; theme=dark\r\n");
    free(r);
    r = one_request("deleteItem", all); /* AND: both */
    tu_expect_in(r, "\r\nAuthorization: Bearer " TOKEN "\r\n");
    tu_expect_in(r, "\r\nX-API-Key: " KEY_H "\r\n");
    free(r);
    r = one_request("listReports", all); /* oauth2: the bearer token */
    tu_expect_in(r, "\r\nAuthorization: Bearer " TOKEN "\r\n");
    free(r);
}
END_TEST

/* Against a server that accepts exactly the declared credentials: every
 * valid case is accepted, every auth case refused (the API key in the
 * wrong place too), the operation nothing can be configured for skipped,
 * and the run exits 0. */
START_TEST(security_strict_server_accepts_valid_refuses_auth)
{
    strict_cfg cfg = {0};
    tu_hostile *h = strict_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "security");
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--suite", "valid,auth,methods",
                "--report", tu_tmp_flag(&t, "json", "r.json"), NULL);
    args_creds(&a);
    tu_cli r = tu_cli_run(&a);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    char keys[512];
    tu_report_checks(rep, keys, sizeof keys);
    ck_assert_msg(r.status == 0, "exit %d, findings {%s}: %s%s", r.status, keys, r.out, r.err);
    ck_assert_uint_eq((size_t)tu_report_summary_num(rep, "skipped"), 1);
    ck_assert_str_eq(str_of(report_case(rep, "GET /legacy", "valid/no-credentials"), "outcome"),
                     "skipped");
    static const struct {
        const char *op, *id;
        int status;
    } want[] = {{"GET /items", "auth/key-header-in-query", 401},
                {"GET /items", "auth/key-header-in-cookie", 401},
                {"GET /items", "auth/key-header-garbage", 401},
                {"POST /items", "auth/key-query-in-header", 401},
                {"GET /items/{id}", "auth/key-cookie-in-query", 401},
                {"PUT /account/password", "auth/basic-wrong-password", 401},
                {"PUT /account/password", "auth/password-wrong", 403},
                {"DELETE /items/{id}", "auth/no-authorization", 401},
                {"GET /legacy", "auth/no-credentials", 401},
                {"GET /items", "valid/typical", 200},
                {"POST /users", "valid/ascii", 201}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const cJSON *c = report_case(rep, want[i].op, want[i].id);
        ck_assert_msg(c != NULL, "%s %s missing", want[i].op, want[i].id);
        const cJSON *st = tu_report_get(tu_report_get(c, "response"), "status");
        ck_assert_msg(cJSON_IsNumber(st) && st->valueint == want[i].status, "%s %s: status %d",
                      want[i].op, want[i].id, cJSON_IsNumber(st) ? st->valueint : -1);
        ck_assert_str_eq(str_of(c, "outcome"), "passed");
    }
    ck_assert_ptr_null(report_case(rep, "POST /users", "auth/password-wrong")); /* public */
    cJSON_Delete(rep);
    tu_cli_free(&r);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

/* A secured operation without credentials runs its auth and methods cases;
 * the others are one skipped case naming the flag to give. When every
 * selected operation lacks them, nothing is sent: exit 2. */
START_TEST(security_missing_credentials_skip_or_exit_2)
{
    strict_cfg cfg = {0};
    tu_hostile *h = strict_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "security-none");
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "listItems", "--operation",
                "createUser", "--suite", "valid,auth,methods", "--report",
                tu_tmp_flag(&t, "json", "r.json"), NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    const cJSON *c = report_case(rep, "GET /items", "valid/no-credentials");
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(str_of(c, "outcome"), "skipped");
    ck_assert_str_eq(str_of(c, "skip_reason"),
                     "no credentials for security scheme key_header: give --api-key "
                     "key_header=...");
    ck_assert_str_eq(str_of(report_case(rep, "GET /items", "auth/key-header-missing"), "outcome"),
                     "passed");
    ck_assert_ptr_null(report_case(rep, "GET /items", "auth/key-header-in-query"));
    ck_assert_ptr_nonnull(report_case(rep, "PUT /items", "methods/put"));
    ck_assert_ptr_nonnull(report_case(rep, "POST /users", "valid/ascii"));
    cJSON_Delete(rep);
    tu_cli_free(&r);

    size_t before = tu_hostile_request_count(h);
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "listItems", "--operation",
                "createItem", NULL);
    const char *names[] = {"every selected operation needs credentials", "GET /items",
                           "--api-key key_header=..."};
    expect_usage(&a, names, 3);
    ck_assert_uint_eq(tu_hostile_request_count(h), before);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

/* Flag errors are exit 2 before anything is sent, and never echo a value. */
START_TEST(security_flag_errors_exit_2)
{
    strict_cfg cfg = {0};
    tu_hostile *h = strict_start(&cfg);
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--api-key", "nosuch=" KEY_H, NULL);
    const char *unknown[] = {"--api-key nosuch", "no such security scheme",
                             "key_header, key_query, key_cookie"};
    expect_usage(&a, unknown, 3);
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--api-key", "basic=" KEY_H, NULL);
    const char *not_key[] = {"--api-key basic", "not of type apiKey"};
    expect_usage(&a, not_key, 2);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--api-key", "key_header", NULL);
    const char *shape[] = {"--api-key", "SCHEME=VALUE"};
    expect_usage(&a, shape, 2);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--api-key", "key_header=", NULL);
    expect_usage(&a, shape, 2);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--api-key", "key_header=" KEY_H "\r\nX-Evil: 1", NULL);
    const char *ctl[] = {"--api-key key_header", "control character"};
    expect_usage(&a, ctl, 2);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--api-key", "key_header=" KEY_H, "--api-key",
                "key_header=other-K3y", NULL);
    const char *twice[] = {"key_header", "twice"};
    expect_usage(&a, twice, 2);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--basic", "alice-open-sesame", NULL);
    const char *basic[] = {"--basic", "USER:PASS"};
    expect_usage(&a, basic, 2);
    setenv("MANTA_BASIC", "alice-sesame", 1);
    args_run(&a);
    tu_args_add(&a, "--list-cases", NULL);
    const char *env_basic[] = {"MANTA_BASIC", "USER:PASS"};
    expect_usage(&a, env_basic, 2);
    unsetenv("MANTA_BASIC");
    setenv("MANTA_API_KEY_KEY_QUERY", "bad\nK3y", 1);
    args_run(&a);
    tu_args_add(&a, "--list-cases", NULL);
    const char *env_ctl[] = {"MANTA_API_KEY_KEY_QUERY", "control character"};
    expect_usage(&a, env_ctl, 2);
    unsetenv("MANTA_API_KEY_KEY_QUERY");
    ck_assert_uint_eq(tu_hostile_request_count(h), 0);
    tu_hostile_stop(h);
}
END_TEST

/* MANTA_API_KEY_<SCHEME> and MANTA_BASIC stand in for the flags;
 * MANTA_API_KEY too when the document has exactly one apiKey scheme, and
 * with several it is not used (a warning says so). */
START_TEST(security_environment_fallbacks)
{
    static const char *const none[] = {NULL};
    static const char *const secret[] = {"--secret", SECRET, NULL};
    setenv("MANTA_API_KEY_KEY_HEADER", KEY_H, 1);
    char *r = one_request("listItems", none);
    tu_expect_in(r, "\r\nX-API-Key: " KEY_H "\r\n");
    free(r);
    unsetenv("MANTA_API_KEY_KEY_HEADER");
    setenv("MANTA_BASIC", BASIC, 1);
    r = one_request("changePassword", secret);
    tu_expect_in(r, "\r\nAuthorization: Basic " BASIC_B64 "\r\n");
    free(r);
    unsetenv("MANTA_BASIC");

    /* several apiKey schemes: MANTA_API_KEY is not used */
    setenv("MANTA_API_KEY", KEY_H, 1);
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--operation", "listItems", NULL);
    tu_cli c = tu_cli_run(&a);
    ck_assert_msg(c.status == 0, "exit %d: %s", c.status, c.err);
    ck_assert_msg(strstr(c.err, "warning: MANTA_API_KEY is not used") &&
                      strstr(c.err, "MANTA_API_KEY_<SCHEME>") && !strstr(c.err, "K3y"),
                  "%s", c.err);
    tu_cli_free(&c);

    /* one apiKey scheme (contracts/petstore-3.1.yaml): it is */
    static const char list_pets[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                    "X-Total-Count: 0\r\nContent-Length: 2\r\n\r\n[]";
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, list_pets, strlen(list_pets));
    ck_assert_ptr_nonnull(h);
    a.n = 0;
    tu_args_add(&a, "manta-harness", "run", "--spec", PETSTORE, "--operation", "listPets",
                "--suite", "valid", "--max-cases", "1", "--no-progress", "--base-url",
                tu_hostile_base_url(h), NULL);
    c = tu_cli_run(&a);
    unsetenv("MANTA_API_KEY");
    ck_assert_msg(c.status == 0, "exit %d: %s%s", c.status, c.out, c.err);
    r = tu_hostile_request(h, 0, NULL);
    ck_assert_ptr_nonnull(r);
    tu_expect_in(r, "\r\nX-API-Key: " KEY_H "\r\n");
    free(r);
    tu_cli_free(&c);
    tu_hostile_stop(h);
}
END_TEST

/* --list-cases needs no credentials: every secured operation plans its
 * cases (example credentials, shown as placeholders); only the scheme
 * nothing can be configured for is skipped. */
START_TEST(security_list_cases_needs_no_credentials)
{
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--list-cases", NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    size_t skipped = 0;
    for (const char *p = r.out; (p = strstr(p, "skipped: ")) != NULL; p++)
        skipped++;
    ck_assert_msg(skipped == 1 && strstr(r.out, "digest cannot be configured"), "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "/items?limit=5&X-API-Key=$MANTA_API_KEY_KEY_HEADER"));
    ck_assert_ptr_nonnull(strstr(r.out, "/items/7?session_key=$MANTA_API_KEY_KEY_COOKIE"));
    ck_assert_ptr_nonnull(strstr(r.out, "auth/basic-wrong-password"));
    ck_assert_ptr_null(strstr(r.out, "example-"));
    tu_cli_free(&r);
}
END_TEST

/* An answer that echoes a scheme credential (the API key, the basic
 * credentials in base64, the basic password) is sensitive_data_exposure,
 * named by placeholder; the credential is in no output. */
START_TEST(security_sensitive_data_exposure_on_echoed_credentials)
{
    strict_cfg cfg = {1};
    tu_hostile *h = strict_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "security-echo");
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "listItems", "--operation",
                "createItem", "--suite", "valid", "--max-cases", "2", "--api-key",
                "key_header=" KEY_H, "--basic", BASIC, "--report",
                tu_tmp_flag(&t, "json", "r.json"), NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 1, "exit %d: %s%s", r.status, r.out, r.err);
    size_t len = 0;
    char *json = tu_read_file(tu_tmp_path(&t, "r.json"), &len);
    ck_assert_ptr_nonnull(json);
    static const char *const want[] = {"header X-Echo-Key contains $MANTA_API_KEY_KEY_HEADER",
                                       "header X-Echo-Auth contains $MANTA_BASIC_B64",
                                       "header X-Echo-Password contains $MANTA_BASIC_PASSWORD"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(json, want[i]), "no finding \"%s\" in %s", want[i], json);
    static const char *const secrets[] = {KEY_H, BASIC_B64, "sesame", BASIC};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        ck_assert_msg(!strstr(json, secrets[i]), "the report leaks %s", secrets[i]);
        ck_assert_msg(!strstr(r.out, secrets[i]) && !strstr(r.err, secrets[i]),
                      "the console leaks %s", secrets[i]);
    }
    free(json);
    tu_cli_free(&r);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

/* Runs `sh -c cmd` with extra environment (NULL-terminated "NAME=value"),
 * bounded to 30 s; returns its exit status (-1 when killed). */
static int run_sh(const char *cmd, const char *const *extra)
{
    char **env = tu_env_with(extra);
    char *const argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    ck_assert_int_eq(posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, env), 0);
    posix_spawn_file_actions_destroy(&fa);
    tu_env_free(env);
    int status = 0;
    for (int i = 0; i < 300; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

/* The curl reproduction of a case rebuilds each credential from the
 * environment (-u "$MANTA_BASIC", "$MANTA_API_KEY_<SCHEME>"): run through
 * /bin/sh against the server, it sends the credentials the case sent. */
START_TEST(security_curl_reproduction_rebuilds_credentials)
{
    ck_assert_msg(access("/usr/bin/curl", X_OK) == 0 || access("/bin/curl", X_OK) == 0,
                  "curl is missing: run `bash scripts/install-deps.sh test`");
    strict_cfg cfg = {0};
    tu_hostile *h = strict_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "security-curl");
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "changePassword",
                "--operation", "createItem", "--operation", "showItem", "--suite", "valid",
                "--concurrency", "1", "--report", tu_tmp_flag(&t, "json", "r.json"), NULL);
    args_creds(&a);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    static const struct {
        const char *op, *id, *in_curl, *on_wire;
    } rows[] = {
        {"PUT /account/password", "valid/ascii", " -u \"$MANTA_BASIC\"",
         "\r\nAuthorization: Basic " BASIC_B64 "\r\n"},
        {"POST /items", "valid/ascii", "/items?api_key='\"$MANTA_API_KEY_KEY_QUERY\"",
         "POST /items?api_key=" KEY_Q_ENC " HTTP/1.1\r\n"},
        {"GET /items/{id}", "valid/typical", "session_key='\"$MANTA_API_KEY_KEY_COOKIE\"",
         "\r\nCookie: session_key=" KEY_C "; theme=dark\r\n"},
    };
    static const char *const env[] = {"MANTA_BASIC=" BASIC, "MANTA_API_KEY_KEY_QUERY=" KEY_Q_ENC,
                                      "MANTA_API_KEY_KEY_COOKIE=" KEY_C, "MANTA_SECRET=" SECRET,
                                      NULL};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const cJSON *c = report_case(rep, rows[i].op, rows[i].id);
        ck_assert_msg(c != NULL, "%s %s missing", rows[i].op, rows[i].id);
        const char *curl = str_of(c, "curl");
        ck_assert_msg(strstr(curl, rows[i].in_curl), "%s: %s", rows[i].op, curl);
        ck_assert_msg(!strstr(curl, "K3y") && !strstr(curl, BASIC_B64), "%s", curl);
        size_t before = tu_hostile_request_count(h);
        ck_assert_int_eq(run_sh(curl, env), 0);
        char *req = tu_hostile_request(h, before, NULL);
        ck_assert_msg(req != NULL, "%s: the curl command sent nothing", rows[i].op);
        tu_expect_in(req, rows[i].on_wire);
        free(req);
    }
    cJSON_Delete(rep);
    tu_cli_free(&r);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

/* A public sign-up's "password" is no credential: no --secret is needed
 * and none is sent; a secured operation's "password" is, and needs it. */
START_TEST(security_password_credential_only_when_secured)
{
    strict_cfg cfg = {0};
    tu_hostile *h = strict_start(&cfg);
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "createUser", "--suite",
                "valid,auth", NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
    ck_assert_uint_gt(tu_hostile_request_count(h), 5);
    tu_cli_free(&r);
    size_t before = tu_hostile_request_count(h);
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "changePassword",
                "--basic", BASIC, NULL);
    const char *names[] = {"credential property \"password\"", "--secret"};
    expect_usage(&a, names, 2);
    ck_assert_uint_eq(tu_hostile_request_count(h), before);
    tu_hostile_stop(h);
}
END_TEST

/* The credential helpers: placeholder names, base64, redaction. */
START_TEST(security_credential_helpers)
{
    char var[64];
    ck_assert_str_eq(mh_credential_api_key_var("api_key", var, sizeof var),
                     "MANTA_API_KEY_API_KEY");
    ck_assert_str_eq(mh_credential_api_key_var("X-Key.v2", var, sizeof var),
                     "MANTA_API_KEY_X_KEY_V2");
    ck_assert_str_eq(mh_credential_api_key_var("abcdefgh", var, 18), "MANTA_API_KEY_ABC");
    static const char *const b64[][2] = {{"Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="},
                                         {"", ""},
                                         {"a", "YQ=="},
                                         {"ab", "YWI="},
                                         {"abc", "YWJj"},
                                         {"\xff\xfe", "//4="}};
    for (size_t i = 0; i < sizeof b64 / sizeof b64[0]; i++) {
        char *e = mh_credential_basic_b64(b64[i][0]);
        ck_assert_str_eq(e, b64[i][1]);
        free(e);
    }
    mh_redactor *red = mh_redactor_new();
    ck_assert_int_eq(mh_credential_redact_basic(red, BASIC), 0);
    ck_assert_int_eq(mh_credential_redact_api_key(red, "key_header", KEY_H), 0);
    static const char text[] = "u=" BASIC " b=" BASIC_B64 " p=open sesame k=" KEY_H " alice";
    char *out = mh_redact(red, text, strlen(text));
    ck_assert_str_eq(out, "u=$MANTA_BASIC b=$MANTA_BASIC_B64 p=$MANTA_BASIC_PASSWORD "
                          "k=$MANTA_API_KEY_KEY_HEADER alice");
    free(out);
    mh_redactor_free(red);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("security");
    TCase *tc = tcase_create("security");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, security_credentials_on_the_wire_exact);
    tcase_add_test(tc, security_strict_server_accepts_valid_refuses_auth);
    tcase_add_test(tc, security_missing_credentials_skip_or_exit_2);
    tcase_add_test(tc, security_flag_errors_exit_2);
    tcase_add_test(tc, security_environment_fallbacks);
    tcase_add_test(tc, security_list_cases_needs_no_credentials);
    tcase_add_test(tc, security_sensitive_data_exposure_on_echoed_credentials);
    tcase_add_test(tc, security_curl_reproduction_rebuilds_credentials);
    tcase_add_test(tc, security_password_credential_only_when_secured);
    tcase_add_test(tc, security_credential_helpers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
