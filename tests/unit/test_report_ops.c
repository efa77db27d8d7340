/* test_report_ops.c — reports of a run over several operations: every case
 * and finding carries its operation (and operationId when declared and the
 * case is the operation's own), skipped cases are counted apart and shown
 * with their reason in every format, summary.by_operation adds up to the
 * summary, JUnit has one testsuite per operation, HTML a section per
 * operation, the console a line per operation.
 *
 * The run is built by hand: four operations (one with an operationId, one
 * without, a methods case reported under the method it sends, an unusable
 * operation), two operations sharing a case id, and two skipped cases.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "manta/json_strict.h"
#include "manta/model.h"
#include "manta/redact.h"
#include "manta/report.h"
#include "testutil.h"
#include "tu_tmp.h"

#define TOKEN "eyJhbGciOiJIUzI1NiJ9.eyJib3RJZCI6Im9wcyJ9.ops-token-sig"
#define SKIP_AUTH "no credentials configured for scheme 'bearerAuth'"
#define SKIP_BROKEN "undefined security scheme 'nope'"

enum { N = 7 };

static const mh_operation op_create = {.method = "POST",
                                       .path = "/pets",
                                       .id = "POST /pets",
                                       .operation_id = "createPet",
                                       .path_line = 10};
static const mh_operation op_get = {
    .method = "GET", .path = "/pets/{id}", .id = "GET /pets/{id}", .path_line = 20};
static const mh_operation op_broken = {.method = "PUT",
                                       .path = "/broken",
                                       .id = "PUT /broken",
                                       .skip_reason = SKIP_BROKEN,
                                       .skip_pointer = "/paths/~1broken/put/security"};

static mh_result rs[N];
static mh_redactor *red;
static mh_run run;

static mh_result *mk(int i, const char *id, mh_suite su, const mh_operation *op, mh_outcome out,
                     int status, double ms)
{
    mh_result *r = &rs[i];
    memset(r, 0, sizeof *r);
    mh_case *c = r->kase = mh_case_new();
    ck_assert_ptr_nonnull(c);
    c->id = strdup(id);
    c->suite = su;
    c->op = op;
    c->method = strdup(op->method);
    c->target = strdup(op->path);
    mh_case_add_header(c, "Authorization", "Bearer " TOKEN);
    r->outcome = out;
    if (status) {
        r->exchange.status = status;
        r->exchange.content_type = strdup("application/json");
        r->exchange.body = strdup("{}");
        r->exchange.body_len = 2;
        r->exchange.elapsed_ms = ms;
        r->exchange.attempts = 1;
    }
    return r;
}

static void setup(void)
{
    mk(0, "valid/ascii", MH_SUITE_VALID, &op_create, MH_OUTCOME_PASSED, 201, 1.5);
    /* The same case id in another operation. */
    mh_result *r = mk(1, "valid/ascii", MH_SUITE_VALID, &op_get, MH_OUTCOME_FAILED, 500, 2.0);
    mh_result_add_finding(r, MH_CHECK_NOT_A_SERVER_ERROR, "", "got 500");
    /* A methods case: reported under the method it sends. */
    r = mk(2, "methods/delete", MH_SUITE_METHODS, &op_get, MH_OUTCOME_WARNING, 200, 0.5);
    r->kase->operation = strdup("DELETE /pets/{id}");
    free(r->kase->method);
    r->kase->method = strdup("DELETE");
    mh_result_add_finding(r, MH_CHECK_UNSUPPORTED_METHOD, "", "DELETE got 200");
    /* Skipped: no credentials (built, never sent). */
    r = mk(3, "valid/latin1", MH_SUITE_VALID, &op_create, MH_OUTCOME_SKIPPED, 0, 0);
    r->kase->skip_reason = strdup(SKIP_AUTH);
    /* Skipped: an unusable operation (its pointer comes from the op). */
    r = mk(4, "operation/unusable", MH_SUITE_VALID, &op_broken, MH_OUTCOME_SKIPPED, 0, 0);
    r->kase->skip_reason = strdup(SKIP_BROKEN);
    r = mk(5, "malformed/body-array", MH_SUITE_MALFORMED, &op_create, MH_OUTCOME_FAILED, 201, 3.25);
    mh_result_add_finding(r, MH_CHECK_NEGATIVE_DATA_REJECTION, "", "a malformed case got 201");
    r = mk(6, "boundary/long", MH_SUITE_BOUNDARY, &op_get, MH_OUTCOME_INCONCLUSIVE, 429, 6.0);
    r->exchange.attempts = 4;
    red = mh_redactor_new();
    mh_redactor_add(red, TOKEN, "$MANTA_TOKEN");
    run = (mh_run){.tool_version = "0.1.0",
                   .spec_path = "contracts/pets.yaml",
                   .base_url = "http://127.0.0.1:8080",
                   .seed = 5,
                   .run_id = "ops",
                   .duration_ms = 20,
                   .results = rs,
                   .result_count = N,
                   .redactor = red};
}

static void teardown(void)
{
    for (int i = 0; i < N; i++)
        mh_result_clear(&rs[i]);
    mh_redactor_free(red);
}

typedef mh_status (*writer_fn)(const mh_run *, FILE *, mh_error *);

static char *render(writer_fn w)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    mh_error err;
    ck_assert_int_eq(w(&run, f, &err), MH_OK);
    fclose(f);
    ck_assert_msg(!strstr(buf, TOKEN), "token leaked");
    return buf;
}

static cJSON *json_report(void)
{
    char *buf = render(mh_report_json_write);
    cJSON *doc = NULL;
    mh_json_error je;
    ck_assert_msg(mh_json_parse(buf, strlen(buf), NULL, &doc, &je) == MH_JSON_OK, "%s", je.message);
    free(buf);
    return doc;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = mh_json_get(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = mh_json_get(o, key);
    ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", key);
    return v->valuedouble;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* ---- the model's helpers --------------------------------------------------- */

START_TEST(ops_case_operation_label_id_and_key)
{
    ck_assert_str_eq(mh_case_operation(rs[0].kase), "POST /pets");
    ck_assert_str_eq(mh_case_operation_id(rs[0].kase), "createPet");
    ck_assert_str_eq(mh_case_operation_key(rs[0].kase), "createPet");
    ck_assert_str_eq(mh_case_operation_key(rs[1].kase), "GET /pets/{id}");
    ck_assert_ptr_null(mh_case_operation_id(rs[1].kase));
    ck_assert_str_eq(mh_case_operation(rs[2].kase), "DELETE /pets/{id}");
    ck_assert_str_eq(mh_case_operation_key(rs[2].kase), "DELETE /pets/{id}");
    /* A methods case of an operation with an operationId does not carry it. */
    rs[2].kase->op = &op_create;
    ck_assert_ptr_null(mh_case_operation_id(rs[2].kase));
    /* case->operation equal to the op's own is the op's own case. */
    free(rs[0].kase->operation);
    rs[0].kase->operation = strdup("POST /pets");
    ck_assert_str_eq(mh_case_operation_key(rs[0].kase), "createPet");
    ck_assert_str_eq(mh_case_operation(NULL), "");
    char *where = mh_case_skip_pointer(rs[4].kase);
    ck_assert_str_eq(where, "/paths/~1broken/put/security");
    free(where);
    ck_assert_ptr_null(mh_case_skip_pointer(rs[3].kase)); /* a usable operation: none */
    mh_operation in_file = op_broken;
    in_file.skip_file = "parts/broken.yaml";
    rs[4].kase->op = &in_file;
    where = mh_case_skip_pointer(rs[4].kase);
    ck_assert_str_eq(where, "parts/broken.yaml#/paths/~1broken/put/security");
    free(where);
    rs[4].kase->op = &op_broken;
}
END_TEST

START_TEST(ops_summary_by_operation_in_plan_order)
{
    mh_operation_summary *v = NULL;
    size_t n = 0;
    mh_error err;
    ck_assert_int_eq(mh_summary_by_operation(&run, &v, &n, &err), MH_OK);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(v[0].key, "createPet");
    ck_assert_str_eq(v[0].operation, "POST /pets");
    ck_assert_str_eq(v[1].key, "GET /pets/{id}");
    ck_assert_str_eq(v[2].key, "DELETE /pets/{id}");
    ck_assert_str_eq(v[3].key, "PUT /broken");
    /* Each operation's cases, in plan order. */
    static const size_t create[] = {0, 3, 5}, get[] = {1, 6};
    for (int k = 0; k < 3; k++)
        ck_assert_uint_eq(v[0].cases[k], create[k]);
    for (int k = 0; k < 2; k++)
        ck_assert_uint_eq(v[1].cases[k], get[k]);
    ck_assert_uint_eq(v[2].cases[0], 2);
    ck_assert_uint_eq(v[3].cases[0], 4);
    ck_assert_uint_eq(v[0].summary.cases, 3);
    ck_assert_uint_eq(v[0].summary.passed, 1);
    ck_assert_uint_eq(v[0].summary.failed, 1);
    ck_assert_uint_eq(v[0].summary.skipped, 1);
    ck_assert_double_eq(v[0].summary.elapsed_ms, 4.75);
    ck_assert_uint_eq(v[3].summary.skipped, 1);
    free(v);
    mh_summary s;
    mh_summary_compute(&run, &s);
    ck_assert_uint_eq(s.skipped, 2);
    ck_assert_uint_eq(s.inconclusive, 1); /* skipped is not inconclusive */
    ck_assert_uint_eq(s.passed + s.failed + s.warnings + s.inconclusive + s.skipped, s.cases);
    run.result_count = 0;
    ck_assert_int_eq(mh_summary_by_operation(&run, &v, &n, &err), MH_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(v);
}
END_TEST

/* ---- JSON ------------------------------------------------------------------ */

START_TEST(ops_json_cases_and_findings_carry_operation)
{
    cJSON *doc = json_report();
    const cJSON *cases = mh_json_get(doc, "cases");
    static const char *const label[N] = {"POST /pets",    "GET /pets/{id}", "DELETE /pets/{id}",
                                         "POST /pets",    "PUT /broken",    "POST /pets",
                                         "GET /pets/{id}"};
    int i = 0;
    for (const cJSON *c = cases->child; c; c = c->next, i++) {
        ck_assert_str_eq(str(c, "operation"), label[i]);
        /* operation_id: declared, and the operation's own case. */
        if (rs[i].kase->op == &op_create)
            ck_assert_str_eq(str(c, "operation_id"), "createPet");
        else
            ck_assert_ptr_null(mh_json_get(c, "operation_id"));
        for (const cJSON *f = mh_json_get(c, "findings")->child; f; f = f->next) {
            ck_assert_str_eq(str(f, "operation"), label[i]);
            if (str(c, "operation_id"))
                ck_assert_str_eq(str(f, "operation_id"), str(c, "operation_id"));
            else
                ck_assert_ptr_null(mh_json_get(f, "operation_id"));
        }
    }
    const cJSON *f5 = mh_json_get(cJSON_GetArrayItem(cases, 5), "findings")->child;
    ck_assert_str_eq(str(f5, "operation_id"), "createPet");
    /* The order of a case's members: operation (and operation_id) after suite. */
    const cJSON *c0 = cases->child;
    ck_assert_str_eq(c0->child->next->next->next->string, "operation");
    ck_assert_str_eq(c0->child->next->next->next->next->string, "operation_id");
    cJSON_Delete(doc);
}
END_TEST

START_TEST(ops_json_skipped_cases_not_sent)
{
    cJSON *doc = json_report();
    const cJSON *cases = mh_json_get(doc, "cases");
    const cJSON *c3 = cJSON_GetArrayItem(cases, 3), *c4 = cJSON_GetArrayItem(cases, 4);
    ck_assert_str_eq(str(c3, "outcome"), "skipped");
    ck_assert_str_eq(str(c3, "skip_reason"), SKIP_AUTH);
    ck_assert_ptr_null(mh_json_get(c3, "skip_pointer"));
    /* Never sent: no request, answer or reproduction. */
    ck_assert(cJSON_IsNull(mh_json_get(c3, "request")));
    ck_assert(cJSON_IsNull(mh_json_get(c3, "response")));
    ck_assert(cJSON_IsNull(mh_json_get(c3, "curl")));
    ck_assert_int_eq(cJSON_GetArraySize(mh_json_get(c3, "findings")), 0);
    ck_assert_str_eq(str(c4, "skip_reason"), SKIP_BROKEN);
    ck_assert_str_eq(str(c4, "skip_pointer"), "/paths/~1broken/put/security");
    /* Cases that were sent have no skip members. */
    ck_assert_ptr_null(mh_json_get(cJSON_GetArrayItem(cases, 0), "skip_reason"));
    ck_assert(cJSON_IsObject(mh_json_get(cJSON_GetArrayItem(cases, 0), "request")));
    const cJSON *s = mh_json_get(doc, "summary");
    ck_assert_int_eq((int)num(s, "skipped"), 2);
    ck_assert_int_eq((int)num(s, "inconclusive"), 1);
    ck_assert_int_eq((int)num(s, "cases"), N);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(ops_json_by_operation_adds_up)
{
    cJSON *doc = json_report();
    const cJSON *s = mh_json_get(doc, "summary"), *bo = mh_json_get(s, "by_operation");
    ck_assert(cJSON_IsObject(bo));
    static const char *const keys[] = {"createPet", "GET /pets/{id}", "DELETE /pets/{id}",
                                       "PUT /broken"};
    static const char *const fields[] = {"cases",        "passed",  "failed",      "warnings",
                                         "inconclusive", "skipped", "duration_ms", "by_check"};
    double sum[6] = {0};
    cJSON *by_check_sum = cJSON_CreateObject();
    int k = 0;
    for (const cJSON *o = bo->child; o; o = o->next, k++) {
        ck_assert_int_lt(k, 4);
        ck_assert_str_eq(o->string, keys[k]); /* plan order */
        /* The same fields as the summary, in the same order. */
        const cJSON *m = o->child;
        for (int j = 0; j < 8; j++, m = m->next) {
            ck_assert_ptr_nonnull(m);
            ck_assert_str_eq(m->string, fields[j]);
        }
        ck_assert_ptr_null(m);
        for (int j = 0; j < 6; j++)
            sum[j] += num(o, fields[j]);
        for (const cJSON *c = mh_json_get(o, "by_check")->child; c; c = c->next) {
            cJSON *have = cJSON_GetObjectItemCaseSensitive(by_check_sum, c->string);
            if (have)
                cJSON_SetNumberValue(have, have->valuedouble + c->valuedouble);
            else
                cJSON_AddNumberToObject(by_check_sum, c->string, c->valuedouble);
        }
    }
    ck_assert_int_eq(k, 4);
    for (int j = 0; j < 6; j++)
        ck_assert_msg(sum[j] == num(s, fields[j]), "%s: %g by operation, %g in the summary",
                      fields[j], sum[j], num(s, fields[j]));
    ck_assert(cJSON_Compare(by_check_sum, mh_json_get(s, "by_check"), 1));
    const cJSON *create = mh_json_get(bo, "createPet");
    ck_assert_int_eq((int)num(create, "cases"), 3);
    ck_assert_int_eq((int)num(create, "skipped"), 1);
    ck_assert_str_eq(mh_json_get(create, "duration_ms")->valuestring, "4.75");
    ck_assert_int_eq((int)num(mh_json_get(create, "by_check"), "negative_data_rejection"), 1);
    ck_assert_int_eq((int)num(mh_json_get(bo, "PUT /broken"), "skipped"), 1);
    /* summary members: by_operation last. */
    const cJSON *last = s->child;
    while (last->next)
        last = last->next;
    ck_assert_str_eq(last->string, "by_operation");
    cJSON_Delete(by_check_sum);
    cJSON_Delete(doc);
}
END_TEST

/* ---- JUnit ------------------------------------------------------------------ */

/* Runs xmllint on text with args (e.g. "--noout" or "--xpath 'count(...)'"),
 * returning its exit status and its stdout in out (caller frees). -1 when
 * xmllint is not installed. */
static int xmllint(const char *text, const char *args, char **out)
{
    if (access("/usr/bin/xmllint", X_OK) != 0)
        return -1;
    char path[] = "/tmp/mh-report-ops-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "xmllint %s '%s' 2>&1", args, path);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    int rc = pclose(p);
    unlink(path);
    *out = strdup(buf);
    return WEXITSTATUS(rc);
}

/* The number an xmllint --xpath count(...) query gives for text. */
static long xpath_count(const char *text, const char *expr)
{
    char args[512], *out = NULL;
    snprintf(args, sizeof args, "--xpath \"count(%s)\"", expr);
    int rc = xmllint(text, args, &out);
    ck_assert_msg(rc == 0, "xmllint %s: %s", args, out ? out : "");
    long v = strtol(out, NULL, 10);
    free(out);
    return v;
}

START_TEST(ops_junit_one_testsuite_per_operation)
{
    char *x = render(mh_report_junit_write);
    ck_assert(strstr(x,
                     "<testsuites name=\"manta-harness\" tests=\"7\" failures=\"2\" errors=\"0\" "
                     "skipped=\"3\""));
    ck_assert_uint_eq(count(x, "<testsuite "), 4);
    ck_assert(strstr(x, "<testsuite name=\"createPet\" tests=\"3\" failures=\"1\" errors=\"0\" "
                        "skipped=\"1\""));
    ck_assert(strstr(x, "<testsuite name=\"GET /pets/{id}\" tests=\"2\" failures=\"1\" "
                        "errors=\"0\" skipped=\"1\""));
    ck_assert(strstr(x, "<property name=\"operation_id\" value=\"createPet\"/>"));
    ck_assert(strstr(x, "<skipped message=\"no credentials configured for scheme "
                        "&apos;bearerAuth&apos;\"/>"));
    ck_assert(strstr(x, "<skipped message=\"undefined security scheme &apos;nope&apos;\"/>"));
    char *out = NULL;
    int rc = xmllint(x, "--noout", &out);
    if (rc < 0) {
        fprintf(stderr, "xmllint not installed: skipping the libxml2 checks\n");
        free(x);
        return;
    }
    ck_assert_msg(rc == 0, "xmllint: %s", out);
    free(out);
    /* The structure, as an XML parser reads it. */
    ck_assert_int_eq(xpath_count(x, "/testsuites/testsuite"), 4);
    ck_assert_int_eq(xpath_count(x, "//testsuite[@name='createPet']/testcase"), 3);
    ck_assert_int_eq(xpath_count(x, "//testsuite[@name='DELETE /pets/{id}']/testcase"), 1);
    ck_assert_int_eq(xpath_count(x, "//testsuite[@name='PUT /broken']/testcase/skipped"), 1);
    ck_assert_int_eq(xpath_count(x, "//testcase[@name='valid/ascii']"), 2);
    ck_assert_int_eq(
        xpath_count(x, "//testcase[@name='valid/latin1']/skipped[@message=\\\"" SKIP_AUTH "\\\"]"),
        1);
    ck_assert_int_eq(xpath_count(x, "//testsuite[@name='createPet']/testcase/failure"), 1);
    free(x);
}
END_TEST

/* ---- HTML ------------------------------------------------------------------- */

START_TEST(ops_html_section_per_operation)
{
    char *h = render(mh_report_html_write);
    ck_assert_uint_eq(count(h, "<section class=\"operation\""), 4);
    ck_assert(strstr(h, "<h3>createPet</h3>\n<p><code>POST /pets</code></p>"));
    ck_assert(strstr(h, "<h3>GET /pets/{id}</h3>"));
    ck_assert(strstr(h, "<h3>PUT /broken</h3>"));
    ck_assert(strstr(h, "<span class=\"skipped\">2 skipped</span>"));
    /* Operations table rows link to the sections. */
    ck_assert(strstr(h, "<a href=\"#op-1\">createPet</a>"));
    ck_assert(strstr(h, "id=\"op-4\""));
    /* The skipped cases: the reason (and where), no request or curl. */
    ck_assert(strstr(h, "<td class=\"skipped\">skipped</td><td class=\"n\">-</td><td>" SKIP_AUTH
                        "</td>"));
    ck_assert(strstr(h, "undefined security scheme 'nope' (at "
                        "<code>/paths/~1broken/put/security</code>)"));
    ck_assert_uint_eq(count(h, "<pre class=\"curl\">"), 4); /* failed 2, warning, inconclusive */
    /* The createPet section holds its non-passing cases only. */
    const char *sec = strstr(h, "id=\"op-1\""), *next = strstr(sec, "id=\"op-2\"");
    const char *fail = strstr(sec, "malformed/body-array");
    ck_assert(fail && fail < next);
    const char *other = strstr(sec, "boundary/long");
    ck_assert(other && other > next);
    free(h);
}
END_TEST

/* ---- console ----------------------------------------------------------------- */

static char *console(const mh_console_opts *o)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    mh_report_console(&run, o, f);
    fclose(f);
    ck_assert_msg(!strstr(buf, TOKEN), "token leaked");
    return buf;
}

START_TEST(ops_console_line_per_operation_and_skips)
{
    mh_console_opts o = {.max_findings = 20};
    char *out = console(&o);
    ck_assert_msg(strstr(out, "  operations:\n"
                              "    createPet: 3 cases: 1 passed, 1 failed, 0 warnings, 0 "
                              "inconclusive, 1 skipped\n"
                              "    GET /pets/{id}: 2 cases: 0 passed, 1 failed, 0 warnings, 1 "
                              "inconclusive\n"),
                  "%s", out);
    ck_assert(strstr(out, "    PUT /broken: 1 cases: 0 passed, 0 failed, 0 warnings, 0 "
                          "inconclusive, 1 skipped\n"));
    /* With several operations a finding names its operation. */
    ck_assert(strstr(out, "not_a_server_error GET /pets/{id} valid/ascii: got 500"));
    ck_assert(strstr(out, "Skipped (not sent):\n"));
    ck_assert(strstr(out, "skipped createPet valid/latin1: " SKIP_AUTH "\n"));
    ck_assert(strstr(out, "skipped PUT /broken operation/unusable: " SKIP_BROKEN "\n"));
    ck_assert(
        strstr(out, "7 cases: 1 passed, 2 failed, 1 warnings, 1 inconclusive, 2 skipped in "));
    free(out);

    o.max_findings = 1;
    out = console(&o);
    ck_assert(strstr(out, "... and 1 more skipped (see the reports)"));
    free(out);

    o = (mh_console_opts){.verbose = 1};
    out = console(&o);
    ck_assert(strstr(out, "skipped      --- not sent     createPet valid/latin1: " SKIP_AUTH));
    free(out);

    o = (mh_console_opts){.quiet = 1};
    out = console(&o);
    ck_assert_str_eq(out, "7 cases: 1 passed, 2 failed, 1 warnings, 1 inconclusive, 2 skipped in "
                          "20 ms (seed 5)\n");
    free(out);
}
END_TEST

START_TEST(ops_console_one_operation_unchanged)
{
    /* Only createPet's sent cases and a methods case (under the method it
     * sends, but no other operation of the document): no per-operation
     * lines, no skipped counts, findings without an operation. */
    mh_result one[3] = {rs[0], rs[2], rs[5]};
    run.results = one;
    run.result_count = 3;
    mh_console_opts o = {.max_findings = 20};
    char *out = console(&o);
    ck_assert_ptr_null(strstr(out, "operations:"));
    ck_assert_ptr_null(strstr(out, "skipped"));
    ck_assert(
        strstr(out, "negative_data_rejection malformed/body-array: a malformed case got 201"));
    ck_assert(strstr(out, "unsupported_method methods/delete: DELETE got 200"));
    ck_assert(strstr(out, "3 cases: 1 passed, 1 failed, 1 warnings, 0 inconclusive in 20 ms"));
    free(out);
    run.results = rs;
    run.result_count = N;
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("report_ops");
    TCase *t = tcase_create("report_ops");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, ops_case_operation_label_id_and_key);
    tcase_add_test(t, ops_summary_by_operation_in_plan_order);
    tcase_add_test(t, ops_json_cases_and_findings_carry_operation);
    tcase_add_test(t, ops_json_skipped_cases_not_sent);
    tcase_add_test(t, ops_json_by_operation_adds_up);
    tcase_add_test(t, ops_junit_one_testsuite_per_operation);
    tcase_add_test(t, ops_html_section_per_operation);
    tcase_add_test(t, ops_console_line_per_operation_and_skips);
    tcase_add_test(t, ops_console_one_operation_unchanged);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
