/* test_whole_document.c — `manta-harness run` over a whole document
 * (tests/data/whole/pets.yaml, OpenAPI 3.1 YAML): which operations a run
 * takes (--operation by "METHOD /path" and by operationId, --tag,
 * --exclude), the errors of a selector that names nothing and of an empty
 * plan, skipped operations, parameter values from --param (global and per
 * operation) and --property, the exact bytes of serialised parameters, the
 * methods suite per path, when a valid case demands 2xx, and that the valid
 * cases pass against a conformant server.
 *
 * The target is a capture server (tu_hostile with an answer function) that
 * answers every operation of the document as it declares and keeps each
 * request byte for byte. Every run is bounded in time.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_cli.h"
#include "tu_hostile.h"
#include "tu_report.h"
#include "tu_tmp.h"

#define PETS MH_TEST_DATA "/whole/pets.yaml"
/* The one bearer token the capture server accepts. */
#define TOKEN "whole-doc-T0KEN-k3y"
#define UUID "00000000-0000-4000-8000-000000000000"

/* ------------------------------------------------------------ the server */

typedef struct {
    int list_status; /* what GET /pets answers: 200, or 400 (declared too) */
} capture_cfg;

static char *http(int status, const char *body, size_t *out_len)
{
    char *a = NULL;
    int n;
    if (body)
        n = asprintf(&a,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: "
                     "%zu\r\n\r\n%s",
                     status, tu_hostile_reason(status), strlen(body), body);
    else
        n = asprintf(&a, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n", status,
                     tu_hostile_reason(status));
    if (n < 0)
        return NULL;
    *out_len = (size_t)n;
    return a;
}

/* 1 when the request line is "METHOD path" followed by '?', ' ' (the path
 * exactly) or, with prefix set, anything. */
static int route(const char *req, const char *method, const char *path, int prefix)
{
    size_t m = strlen(method), p = strlen(path);
    if (strncmp(req, method, m) != 0 || req[m] != ' ' || strncmp(req + m + 1, path, p) != 0)
        return 0;
    char next = req[m + 1 + p];
    return prefix || next == '?' || next == ' ';
}

/* 1 when the request line is "METHOD /pets/<id><tail>" and then '?' or
 * ' ' (id: digits, or ";petId=" and digits with matrix set). */
static int pet_route(const char *req, const char *method, int matrix, const char *tail)
{
    size_t m = strlen(method);
    if (strncmp(req, method, m) != 0 || strncmp(req + m, " /pets/", 7) != 0)
        return 0;
    const char *p = req + m + 7;
    if (matrix) {
        if (strncmp(p, ";petId=", 7) != 0)
            return 0;
        p += 7;
    }
    if (*p < '0' || *p > '9')
        return 0;
    p += strspn(p, "0123456789");
    size_t t = strlen(tail);
    return strncmp(p, tail, t) == 0 && (p[t] == '?' || p[t] == ' ');
}

/* Answers as pets.yaml declares: secured POST /pets only with TOKEN. */
static char *answer(void *ctx, size_t k, const char *req, size_t len, size_t *out_len)
{
    (void)k;
    (void)len;
    const capture_cfg *cfg = ctx;
    const char *pet = "{\"name\":\"rex\"}";
    if (route(req, "GET", "/pets", 0))
        return cfg->list_status == 400 ? http(400, "{\"message\":\"no\"}", out_len)
                                       : http(200, "[]", out_len);
    if (route(req, "POST", "/pets", 0)) {
        char *auth = tu_hostile_header_dup(req, "Authorization");
        int ok = auth && strcmp(auth, "Bearer " TOKEN) == 0;
        free(auth);
        return ok ? http(201, pet, out_len) : http(401, "{\"message\":\"who\"}", out_len);
    }
    if (pet_route(req, "GET", 0, "") || pet_route(req, "PATCH", 0, ""))
        return http(200, pet, out_len);
    if (pet_route(req, "DELETE", 0, ""))
        return http(404, NULL, out_len);
    if (pet_route(req, "POST", 1, "/notes"))
        return http(201, NULL, out_len);
    if (pet_route(req, "PUT", 0, "/comment")) {
        char *a = NULL;
        int n = asprintf(&a, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                             "8\r\n\r\ngood dog");
        *out_len = n < 0 ? 0 : (size_t)n;
        return n < 0 ? NULL : a;
    }
    if (route(req, "POST", "/login", 0))
        return http(204, NULL, out_len);
    return http(405, "{\"message\":\"method\"}", out_len);
}

static tu_hostile *capture_start(capture_cfg *cfg)
{
    tu_hostile_opts o = {.mode = TU_HOSTILE_RAW, .answer_fn = answer, .answer_ctx = cfg};
    tu_hostile *h = tu_hostile_start_opts(&o);
    ck_assert_ptr_nonnull(h);
    return h;
}

/* ------------------------------------------------------------ the CLI */

/* "manta-harness run --spec PETS --seed 3 --run-id w --no-progress". */
static void args_run(tu_args *a)
{
    a->n = 0;
    tu_args_add(a, "manta-harness", "run", "--spec", PETS, "--seed", "3", "--run-id", "w",
                "--no-progress", NULL);
}

/* The line of out that starts with prefix (up to its newline), copied into
 * buf; NULL when none. */
static const char *line_of(const char *out, const char *prefix, char *buf, size_t n)
{
    for (const char *p = out; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            snprintf(buf, n, "%.*s", (int)len, p);
            return buf;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

/* How many lines of out start with prefix. */
static size_t count_lines(const char *out, const char *prefix)
{
    size_t n = 0;
    for (const char *p = out; p && *p;) {
        n += strncmp(p, prefix, strlen(prefix)) == 0;
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return n;
}

/* Expects exit 2 with one stderr line naming every string of names. */
static void expect_usage(tu_args *a, const char *const *names, size_t n)
{
    tu_cli r = tu_cli_usage(a, names, n);
    tu_cli_free(&r);
}

/* The case of the report with operation key and id; NULL when absent. */
static const cJSON *report_case(const cJSON *rep, const char *operation, const char *id)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, tu_report_get(rep, "cases"))
    {
        const cJSON *op = cJSON_GetObjectItemCaseSensitive(c, "operation");
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "id");
        if (cJSON_IsString(op) && cJSON_IsString(cid) && strcmp(op->valuestring, operation) == 0 &&
            strcmp(cid->valuestring, id) == 0)
            return c;
    }
    return NULL;
}

static const char *case_str(const cJSON *c, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* ------------------------------------------------------------ selection */

/* The default plan takes every operation in document order (with a heading
 * each), and --list-cases needs no credentials and no target. */
START_TEST(whole_list_cases_every_operation_in_order)
{
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--list-cases", NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    static const char *const order[] = {
        "## GET /pets (listPets)",
        "## POST /pets (createPet)",
        "## GET /pets/{petId} (showPet)",
        "## PATCH /pets/{petId} (updatePet)",
        "## DELETE /pets/{petId} (deletePet)",
        "## PUT /pets/{petId}/photo (uploadPhoto)",
        "## POST /pets/{petId}/notes (addNote)",
        "## PUT /pets/{petId}/comment (putComment)",
        "## POST /login (login)",
        "## GET /broken (brokenOp)",
    };
    const char *at = r.out;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *p = strstr(at, order[i]);
        ck_assert_msg(p, "%s missing or out of order:\n%s", order[i], r.out);
        at = p + 1;
    }
    ck_assert_uint_eq(count_lines(r.out, "## "), 10);
    char line[512];
    ck_assert_ptr_nonnull(line_of(r.out, "valid/operation-unusable", line, sizeof line));
    ck_assert_msg(strstr(line, "skipped: ") && strstr(line, "undefinedScheme"), "%s", line);
    ck_assert_ptr_nonnull(line_of(r.out, "valid/request-body", line, sizeof line));
    ck_assert_msg(strstr(line, "skipped: ") && strstr(line, "image/png"), "%s", line);
    tu_cli_free(&r);
}
END_TEST

/* --operation by "METHOD /path" and by operationId, --tag, --exclude. */
START_TEST(whole_selection_flags)
{
    static const struct {
        const char *flags[8];
        const char *want; /* the headings, in order, joined by '|' */
    } rows[] = {
        {{"--operation", "GET /pets/{petId}", "--operation", "deletePet"},
         "## GET /pets/{petId} (showPet)|## DELETE /pets/{petId} (deletePet)"},
        {{"--operation", "get /pets"}, ""}, /* one operation: no headings */
        {{"--tag", "write"},
         "## POST /pets (createPet)|## PATCH /pets/{petId} (updatePet)|## POST "
         "/pets/{petId}/notes (addNote)"},
        {{"--tag", "read", "--exclude", "brokenOp", "--exclude", "GET /pets"}, ""},
        {{"--tag", "admin", "--operation", "login"},
         "## DELETE /pets/{petId} (deletePet)|## POST /login (login)"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tu_args a;
        args_run(&a);
        tu_args_add(&a, "--list-cases", NULL);
        for (size_t k = 0; k < 8 && rows[i].flags[k]; k++)
            tu_args_add(&a, rows[i].flags[k], NULL);
        tu_cli r = tu_cli_run(&a);
        ck_assert_msg(r.status == 0, "row %zu: exit %d: %s", i, r.status, r.err);
        char got[1024] = "";
        for (const char *p = r.out; p && *p;) {
            if (strncmp(p, "## ", 3) == 0) {
                size_t len = strcspn(p, "\n");
                snprintf(got + strlen(got), sizeof got - strlen(got), "%s%.*s", *got ? "|" : "",
                         (int)len, p);
            }
            p = strchr(p, '\n');
            p = p ? p + 1 : NULL;
        }
        ck_assert_msg(strcmp(got, rows[i].want) == 0, "row %zu: headings {%s}, want {%s}", i, got,
                      rows[i].want);
        tu_cli_free(&r);
    }
    /* A single selected operation: its own cases only. */
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--tag", "read", "--exclude", "brokenOp", "--exclude",
                "GET /pets", NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_ptr_nonnull(
        strstr(r.out, "valid/typical                                GET    /pets/1"));
    ck_assert_ptr_null(strstr(r.out, "limit="));
    tu_cli_free(&r);
}
END_TEST

/* A selector that names nothing is exit 2 listing the operations (whole
 * names); so is a --param for an unknown operation and a tag no one has. */
START_TEST(whole_unknown_selector_exit_2_lists_operations)
{
    const char *ops[] = {"nope", "GET /pets, POST /pets, GET /pets/{petId}, PATCH /pets/{petId}"};
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--operation", "nope", NULL);
    expect_usage(&a, ops, 2);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--exclude", "nope", NULL);
    expect_usage(&a, ops, 2);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--param", "nope:limit=1", NULL);
    const char *param[] = {"--param", "nope", "GET /pets, POST /pets"};
    expect_usage(&a, param, 3);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--tag", "nosuch", NULL);
    const char *tags[] = {"nosuch", "pets, read, write, admin, auth"};
    expect_usage(&a, tags, 2);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--operation", "listPets", "--exclude", "listPets", NULL);
    const char *none[] = {"no operation selected"};
    expect_usage(&a, none, 1);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--param", "novalue", NULL);
    const char *bad[] = {"--param", "NAME=VALUE"};
    expect_usage(&a, bad, 2);
}
END_TEST

/* An empty plan (no auth cases for a public operation) and a plan of
 * skipped cases only are exit 2: nothing is sent. */
START_TEST(whole_empty_plan_exit_2_nothing_sent)
{
    capture_cfg cfg = {200};
    tu_hostile *h = capture_start(&cfg);
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "listPets", "--suite",
                "auth", NULL);
    const char *empty[] = {"empty", "--suite"};
    expect_usage(&a, empty, 2);
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "brokenOp", NULL);
    const char *skipped[] = {"nothing to send", "undefinedScheme"};
    expect_usage(&a, skipped, 2);
    args_run(&a);
    tu_args_add(&a, "--list-cases", "--operation", "listPets", "--suite", "auth", NULL);
    expect_usage(&a, empty, 1);
    ck_assert_uint_eq(tu_hostile_request_count(h), 0);
    tu_hostile_stop(h);
}
END_TEST

/* ------------------------------------------------------------ runs */

/* Every valid case of every operation passes against a server that answers
 * as the document declares; skipped cases are reported, never sent, and do
 * not fail the run. The version line comes once. */
START_TEST(whole_valid_cases_pass_against_conformant_server)
{
    capture_cfg cfg = {200};
    tu_hostile *h = capture_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "whole");
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--token", TOKEN, "--suite", "valid",
                "--report", tu_tmp_flag(&t, "json", "r.json"), NULL);
    tu_cli r = tu_cli_run(&a);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    char keys[512];
    tu_report_checks(rep, keys, sizeof keys);
    ck_assert_msg(r.status == 0, "exit %d, findings {%s}: %s%s", r.status, keys, r.out, r.err);
    ck_assert_uint_eq((size_t)tu_report_summary_num(rep, "failed"), 0);
    ck_assert_uint_eq((size_t)tu_report_summary_num(rep, "skipped"), 2);
    size_t cases = (size_t)tu_report_summary_num(rep, "cases");
    ck_assert_uint_eq(tu_hostile_request_count(h), cases - 2);
    const cJSON *u = report_case(rep, "GET /broken", "valid/operation-unusable");
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(case_str(u, "outcome"), "skipped");
    ck_assert_ptr_nonnull(report_case(rep, "POST /login", "valid/ascii"));
    ck_assert_uint_eq(count_lines(r.out, "manta-harness "), 1); /* the version, once */
    cJSON_Delete(rep);
    tu_cli_free(&r);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

/* The request (head) k of the capture server; fails the test when absent. */
static char *request(tu_hostile *h, size_t k)
{
    char *req = tu_hostile_request(h, k, NULL);
    ck_assert_msg(req != NULL, "request %zu missing", k);
    return req;
}

/* The exact bytes of serialised parameters on the wire, with values from
 * --param (global and per operation), the example and the schema. */
START_TEST(whole_serialised_parameters_exact_bytes)
{
    capture_cfg cfg = {200};
    tu_hostile *h = capture_start(&cfg);
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "listPets", "--suite",
                "valid", "--concurrency", "1", "--param", "listPets:X-Request-Id=" UUID, "--param",
                "session=a b;c", "--param", "filter={\"color\":\"red/blue\",\"size\":3}", "--param",
                "limit=5", "--param", "showPet:limit=9", NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
    ck_assert_uint_eq(tu_hostile_request_count(h), 2);
    char *typical = request(h, 0);
    tu_expect_in(typical,
                 "GET /pets?filter%5Bcolor%5D=red%2Fblue&filter%5Bsize%5D=3&limit=5 HTTP/1.1\r\n");
    tu_expect_in(typical, "\r\nX-Request-Id: " UUID "\r\n");
    tu_expect_in(typical, "\r\nCookie: session=a%20b%3Bc\r\n");
    char *all = request(h, 1);
    tu_expect_in(all, "GET /pets?status=available&tags=sample&filter%5Bcolor%5D=red%2Fblue&"
                      "filter%5Bsize%5D=3&limit=5&sort=sample HTTP/1.1\r\n");
    free(typical);
    free(all);
    tu_cli_free(&r);
    tu_hostile_stop(h);

    h = capture_start(&cfg);
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "showPet", "--operation",
                "addNote", "--suite", "valid", "--concurrency", "1", "--param", "showPet:petId=42",
                "--param", "fields=name,tag", "--param", "petId=7", NULL);
    r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
    char *show = request(h, 0);
    tu_expect_in(show, "GET /pets/42?fields=name%7Ctag HTTP/1.1\r\n");
    /* fields is configured: showPet has no optional parameter left, so no
     * all-parameters case; addNote's first valid case comes next. */
    char *note = request(h, 1);
    tu_expect_in(note, "POST /pets/;petId=7/notes HTTP/1.1\r\n");
    tu_expect_in(note,
                 "\r\nContent-Type: multipart/form-data; boundary=mh-boundary-7b1d0c5e9a\r\n");
    tu_expect_in(note, "\r\n\r\n--mh-boundary-7b1d0c5e9a\r\nContent-Disposition: form-data; "
                       "name=\"text\"\r\n\r\nmh-w-1 ascii tag\r\n--mh-boundary-7b1d0c5e9a--\r\n");
    free(show);
    free(note);
    tu_cli_free(&r);
    tu_hostile_stop(h);
}
END_TEST

/* --property sets a declared body property in valid cases (JSON and form),
 * not in malformed ones. */
START_TEST(whole_property_in_valid_not_malformed)
{
    capture_cfg cfg = {200};
    tu_hostile *h = capture_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "whole-prop");
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "createPet", "--operation",
                "login", "--token", TOKEN, "--suite", "valid,malformed", "--property", "tag=cat",
                "--property", "login:remember=false", "--report", tu_tmp_flag(&t, "json", "r.json"),
                NULL);
    tu_cli r = tu_cli_run(&a);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    const cJSON *c = report_case(rep, "POST /pets", "valid/ascii");
    ck_assert_ptr_nonnull(c);
    const cJSON *req = tu_report_get(c, "request");
    ck_assert_msg(strstr(case_str(req, "body"), "\"tag\":\"cat\""), "%s", case_str(req, "body"));
    c = report_case(rep, "POST /pets", "malformed/name-missing");
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_null(strstr(case_str(tu_report_get(c, "request"), "body"), "cat"));
    c = report_case(rep, "POST /login", "valid/ascii");
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(strstr(case_str(tu_report_get(c, "request"), "body"), "&remember=false"), "%s",
                  case_str(tu_report_get(c, "request"), "body"));
    cJSON_Delete(rep);
    tu_cli_free(&r);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

/* The methods suite per path: every undeclared method of GET, PUT, POST,
 * PATCH, DELETE once, reported under the method it sends. */
START_TEST(whole_methods_per_path)
{
    capture_cfg cfg = {200};
    tu_hostile *h = capture_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "whole-methods");
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--suite", "methods", "--tag", "pets",
                "--report", tu_tmp_flag(&t, "json", "r.json"), NULL);
    tu_cli r = tu_cli_run(&a);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    static const char *const want[] = {"PUT /pets",
                                       "PATCH /pets",
                                       "DELETE /pets",
                                       "PUT /pets/{petId}",
                                       "POST /pets/{petId}",
                                       "GET /pets/{petId}/photo",
                                       "POST /pets/{petId}/photo",
                                       "PATCH /pets/{petId}/photo",
                                       "DELETE /pets/{petId}/photo",
                                       "GET /pets/{petId}/notes",
                                       "PUT /pets/{petId}/notes",
                                       "PATCH /pets/{petId}/notes",
                                       "DELETE /pets/{petId}/notes",
                                       "GET /pets/{petId}/comment",
                                       "POST /pets/{petId}/comment",
                                       "PATCH /pets/{petId}/comment",
                                       "DELETE /pets/{petId}/comment"};
    size_t n = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, tu_report_get(rep, "cases")) n++;
    ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char id[32], method[32];
        size_t k = 0;
        for (; want[i][k] != ' '; k++) {
            method[k] = want[i][k];
            id[k] = (char)(want[i][k] + 32);
        }
        id[k] = method[k] = '\0';
        char full[48];
        snprintf(full, sizeof full, "methods/%s", id);
        const cJSON *m = report_case(rep, want[i], full);
        ck_assert_msg(m != NULL, "%s %s missing", want[i], full);
        ck_assert_str_eq(case_str(tu_report_get(m, "request"), "method"), method);
    }
    cJSON_Delete(rep);
    tu_cli_free(&r);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

/* A valid case demands 2xx only when its path and required query and
 * header parameters are known: GET /pets answered 400 (declared) passes
 * with a generated X-Request-Id and fails once it is configured. */
START_TEST(whole_2xx_demanded_only_when_parameters_known)
{
    capture_cfg cfg = {400};
    tu_hostile *h = capture_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "whole-2xx");
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "listPets", "--suite",
                "valid", NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
    tu_cli_free(&r);
    tu_args_add(&a, "--param", "X-Request-Id=" UUID, "--report", tu_tmp_flag(&t, "json", "r.json"),
                NULL);
    r = tu_cli_run(&a);
    ck_assert_msg(r.status == 1, "exit %d: %s%s", r.status, r.out, r.err);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    ck_assert(tu_report_has_check(rep, "positive_data_acceptance"));
    cJSON_Delete(rep);
    tu_cli_free(&r);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

/* --token is not demanded for public operations: without credentials a
 * secured operation skips what needs them and runs its auth and methods
 * cases; only a run where every operation needs a token is refused. */
START_TEST(whole_token_not_demanded_for_public_operations)
{
    capture_cfg cfg = {200};
    tu_hostile *h = capture_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "whole-token");
    tu_args a;
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "listPets", "--operation",
                "createPet", "--suite", "valid,auth", "--report", tu_tmp_flag(&t, "json", "r.json"),
                NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0, "exit %d: %s%s", r.status, r.out, r.err);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    const cJSON *c = report_case(rep, "POST /pets", "valid/no-credentials");
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(case_str(c, "outcome"), "skipped");
    c = report_case(rep, "POST /pets", "auth/no-authorization");
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(case_str(c, "outcome"), "passed");
    ck_assert_ptr_null(report_case(rep, "POST /pets", "auth/tampered-signature"));
    cJSON_Delete(rep);
    tu_cli_free(&r);
    args_run(&a);
    tu_args_add(&a, "--base-url", tu_hostile_base_url(h), "--operation", "createPet", NULL);
    const char *names[] = {"no credentials", "--token"};
    size_t before = tu_hostile_request_count(h);
    expect_usage(&a, names, 2);
    ck_assert_uint_eq(tu_hostile_request_count(h), before);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

/* fuzz takes every usable operation: its requests reach several of them,
 * never an operation that is skipped. */
START_TEST(whole_fuzz_every_operation)
{
    capture_cfg cfg = {200};
    tu_hostile *h = capture_start(&cfg);
    tu_tmp t;
    tu_tmp_init(&t, "whole-fuzz");
    tu_args a = {.n = 0};
    tu_args_add(&a, "manta-harness", "fuzz", "--spec", PETS, "--seed", "5", "--iterations", "60",
                "--concurrency", "1", "--no-progress", "--quiet", "--token", TOKEN, "--base-url",
                tu_hostile_base_url(h), "--out", tu_tmp_path(&t, "findings"), NULL);
    tu_cli r = tu_cli_run(&a);
    ck_assert_msg(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
    size_t n = tu_hostile_request_count(h), seen_get = 0, seen_login = 0;
    ck_assert_uint_ge(n, 60);
    for (size_t k = 0; k < n && k < 64; k++) {
        char *req = tu_hostile_request(h, k, NULL);
        ck_assert_ptr_nonnull(req);
        ck_assert_msg(strncmp(req, "GET /broken", 11) != 0, "an unusable operation was sent");
        ck_assert_msg(!strstr(req, "/photo"), "a skipped operation was sent: %.80s", req);
        seen_get += strncmp(req, "GET /pets", 9) == 0;
        seen_login += strncmp(req, "POST /login", 11) == 0;
        free(req);
    }
    ck_assert_msg(seen_get && seen_login, "fuzzing stayed on one operation");
    tu_cli_free(&r);
    tu_tmp_free(&t);
    tu_hostile_stop(h);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("whole_document");
    TCase *tc = tcase_create("selection");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, whole_list_cases_every_operation_in_order);
    tcase_add_test(tc, whole_selection_flags);
    tcase_add_test(tc, whole_unknown_selector_exit_2_lists_operations);
    tcase_add_test(tc, whole_empty_plan_exit_2_nothing_sent);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("runs");
    tcase_set_timeout(tr, 300);
    tcase_add_test(tr, whole_valid_cases_pass_against_conformant_server);
    tcase_add_test(tr, whole_serialised_parameters_exact_bytes);
    tcase_add_test(tr, whole_property_in_valid_not_malformed);
    tcase_add_test(tr, whole_methods_per_path);
    tcase_add_test(tr, whole_2xx_demanded_only_when_parameters_known);
    tcase_add_test(tr, whole_token_not_demanded_for_public_operations);
    tcase_add_test(tr, whole_fuzz_every_operation);
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
