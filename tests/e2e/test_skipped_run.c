/* test_skipped_run.c — `run` over a document with an unusable operation: its
 * case is reported as skipped with its reason and pointer, never sent, and
 * does not fail the run (exit 0 needs every case that was not skipped to
 * conclude); every report format shows it. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "tu_hostile.h"
#include "tu_report.h"
#include "tu_tmp.h"

/* GET /x works; PUT /broken names a security scheme the document lacks. */
static const char spec_text[] =
    "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{"
    "\"/x\":{\"get\":{\"operationId\":\"getX\",\"responses\":{\"200\":{\"description\":\"ok\","
    "\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}}}}},"
    "\"/broken\":{\"put\":{\"security\":[{\"nope\":[]}],\"responses\":{\"200\":"
    "{\"description\":\"ok\"}}}}}}";

/* 200 {} to GET /x; 405 with Allow: GET to anything else. */
static char *answer(void *ctx, size_t k, const char *req, size_t len, size_t *out_len)
{
    (void)ctx;
    (void)k;
    (void)len;
    int get_x = strncmp(req, "GET /x ", 7) == 0;
    char buf[256];
    int n = snprintf(buf, sizeof buf,
                     get_x ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 2\r\n\r\n{}"
                           : "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\n"
                             "Content-Length: 0\r\n\r\n");
    *out_len = (size_t)n;
    return strndup(buf, (size_t)n);
}

START_TEST(skipped_case_not_sent_and_neutral)
{
    tu_tmp t;
    tu_tmp_init(&t, "skipped-run");
    const char *spec = tu_tmp_path(&t, "spec.json");
    FILE *f = fopen(spec, "w");
    fputs(spec_text, f);
    fclose(f);
    tu_hostile_opts o = {.mode = TU_HOSTILE_RAW, .answer_fn = answer};
    tu_hostile *h = tu_hostile_start_opts(&o);
    ck_assert_ptr_nonnull(h);
    char json[300], junit[300], html[300], sarif[300];
    snprintf(json, sizeof json, "%s", tu_tmp_flag(&t, "json", "r.json"));
    snprintf(junit, sizeof junit, "%s", tu_tmp_flag(&t, "junit", "r.xml"));
    snprintf(html, sizeof html, "%s", tu_tmp_flag(&t, "html", "r.html"));
    snprintf(sarif, sizeof sarif, "%s", tu_tmp_flag(&t, "sarif", "r.sarif"));
    const char *argv[] = {"manta-harness",
                          "run",
                          "--spec",
                          spec,
                          "--base-url",
                          tu_hostile_base_url(h),
                          "--seed",
                          "1",
                          "--no-progress",
                          "--report",
                          json,
                          "--report",
                          junit,
                          "--report",
                          html,
                          "--report",
                          sarif,
                          NULL};
    char *out = NULL, *err = NULL;
    int rc = tu_run_cli(argv, NULL, &out, &err, 60);
    ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
    ck_assert_msg(strstr(out, ", 1 skipped in "), "%s", out);
    ck_assert_msg(strstr(out, "Skipped (not sent):\n  skipped PUT /broken "), "%s", out);

    /* Nothing was sent to /broken. */
    for (size_t k = 0; k < tu_hostile_request_count(h); k++) {
        char *req = tu_hostile_request(h, k, NULL);
        ck_assert_msg(req && !strstr(req, "/broken"), "sent: %s", req);
        free(req);
    }

    cJSON *rep = tu_report_load(json + 5);
    ck_assert_int_eq((int)tu_report_summary_num(rep, "skipped"), 1);
    ck_assert_int_eq((int)tu_report_summary_num(rep, "inconclusive"), 0);
    const cJSON *skipped = NULL;
    for (const cJSON *c = tu_report_get(rep, "cases")->child; c; c = c->next)
        if (strcmp(mh_json_get(c, "outcome")->valuestring, "skipped") == 0)
            skipped = c;
    ck_assert_ptr_nonnull(skipped);
    ck_assert_str_eq(mh_json_get(skipped, "operation")->valuestring, "PUT /broken");
    ck_assert_ptr_nonnull(strstr(mh_json_get(skipped, "skip_reason")->valuestring, "nope"));
    ck_assert_str_eq(mh_json_get(skipped, "skip_pointer")->valuestring,
                     "/paths/~1broken/put/security");
    ck_assert(cJSON_IsNull(mh_json_get(skipped, "request")));
    const cJSON *bo = tu_report_get(tu_report_get(rep, "summary"), "by_operation");
    ck_assert_int_eq((int)mh_json_get(tu_report_get(bo, "PUT /broken"), "skipped")->valuedouble, 1);
    ck_assert_int_eq((int)mh_json_get(tu_report_get(bo, "getX"), "passed")->valuedouble, 1);
    cJSON_Delete(rep);

    char *x = tu_read_file(junit + 6, NULL);
    ck_assert_ptr_nonnull(strstr(x, "<testsuite name=\"PUT /broken\" tests=\"1\" failures=\"0\" "
                                    "errors=\"0\" skipped=\"1\""));
    ck_assert_ptr_nonnull(strstr(x, "<skipped message=\"security requirement"));
    free(x);
    char *page = tu_read_file(html + 5, NULL);
    ck_assert_ptr_nonnull(strstr(page, "<td class=\"skipped\">skipped</td>"));
    free(page);
    char *s = tu_read_file(sarif + 6, NULL);
    ck_assert_ptr_null(strstr(s, "/broken"));
    free(s);
    free(out);
    free(err);
    tu_hostile_stop(h);
    ck_assert_int_eq(tu_tmp_free(&t), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("skipped_run");
    TCase *tc = tcase_create("skipped_run");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, skipped_case_not_sent_and_neutral);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
