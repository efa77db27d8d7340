/* test_baseline.c — baseline files: write/reload, apply (known, new, fixed),
 * the exit rule, malformed files, the JSON report's baseline section, and
 * the `run --baseline` round trip against the reference server. */
#include "testutil.h"
#include "tu_server.h"
#include "tu_tmp.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manta/baseline.h"
#include "manta/json_strict.h"
#include "manta/model.h"
#include "manta/report.h"

static tu_tmp tmp;

static void setup(void)
{
    tu_tmp_init(&tmp, "baseline");
}

static void teardown(void)
{
    ck_assert_int_eq(tu_tmp_free(&tmp), 0);
}

static void in_tmp(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmp.dir, name);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* A result for case id with the given outcome; findings added by caller. */
static void mk_result(mh_result *r, const char *id, mh_outcome o)
{
    memset(r, 0, sizeof *r);
    r->kase = mh_case_new();
    ck_assert_ptr_nonnull(r->kase);
    r->kase->id = strdup(id);
    r->outcome = o;
}

static void add(mh_result *r, mh_check_id check, const char *path)
{
    ck_assert_int_eq(mh_result_add_finding(r, check, path, "message %zu", r->finding_count), 0);
}

static void clear_all(mh_result *rs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mh_result_clear(&rs[i]);
}

START_TEST(baseline_write_reload_sorted_unique)
{
    mh_result rs[3];
    mk_result(&rs[0], "valid/b", MH_OUTCOME_FAILED);
    add(&rs[0], MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE, "/message");
    add(&rs[0], MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE, "/success"); /* same entry */
    add(&rs[0], MH_CHECK_CONTENT_TYPE_CONFORMANCE, "");
    mk_result(&rs[1], "methods/get", MH_OUTCOME_WARNING);
    add(&rs[1], MH_CHECK_UNSUPPORTED_METHOD, "");
    mk_result(&rs[2], "valid/a", MH_OUTCOME_PASSED);
    char path[256];
    in_tmp(path, sizeof path, "baseline.json");
    mh_error err;
    ck_assert_int_eq(mh_baseline_write(path, rs, 3, &err), MH_OK);

    /* The documented format, byte for byte: sorted, one entry per line, no
     * messages, no timings. */
    size_t len;
    char *text = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_str_eq(text,
                     "{\n"
                     "  \"tool\": \"manta-harness\",\n"
                     "  \"version\": 1,\n"
                     "  \"findings\": [\n"
                     "    {\"case\": \"methods/get\", \"check\": \"unsupported_method\"},\n"
                     "    {\"case\": \"valid/b\", \"check\": \"content_type_conformance\"},\n"
                     "    {\"case\": \"valid/b\", \"check\": \"response_schema_conformance\"}\n"
                     "  ]\n"
                     "}\n");
    free(text);

    mh_baseline *b = NULL;
    ck_assert_int_eq(mh_baseline_load(path, &b, &err), MH_OK);
    ck_assert_uint_eq(b->count, 3);
    ck_assert_str_eq(b->entries[0].case_id, "methods/get");
    ck_assert_str_eq(b->entries[2].check, "response_schema_conformance");

    /* Writing again from the same results gives the same file: stable. */
    char again[256];
    in_tmp(again, sizeof again, "again.json");
    ck_assert_int_eq(mh_baseline_write(again, rs, 3, &err), MH_OK);
    char *a = tu_read_file(path, NULL), *c = tu_read_file(again, NULL);
    ck_assert_str_eq(a, c);
    free(a);
    free(c);
    mh_baseline_free(b);
    clear_all(rs, 3);
}
END_TEST

START_TEST(baseline_write_empty_reloads_empty)
{
    char path[256];
    in_tmp(path, sizeof path, "empty.json");
    mh_error err;
    ck_assert_int_eq(mh_baseline_write(path, NULL, 0, &err), MH_OK);
    char *text = tu_read_file(path, NULL);
    ck_assert_str_eq(text, "{\n  \"tool\": \"manta-harness\",\n  \"version\": 1,\n  \"findings\": "
                           "[]\n}\n");
    free(text);
    mh_baseline *b = NULL;
    ck_assert_int_eq(mh_baseline_load(path, &b, &err), MH_OK);
    ck_assert_uint_eq(b->count, 0);
    mh_baseline_free(b);
}
END_TEST

static const char listed[] =
    "{\"tool\":\"manta-harness\",\"version\":1,\"findings\":["
    "{\"case\":\"a/still\",\"check\":\"negative_data_rejection\"},"
    "{\"case\":\"b/gone\",\"check\":\"ignored_auth\"},"
    "{\"case\":\"c/other-shard\",\"check\":\"ignored_auth\"},"
    "{\"case\":\"d/rate-limited\",\"check\":\"not_a_server_error\"},"
    "{\"case\":\"a/still\",\"check\":\"negative_data_rejection\"}]}"; /* duplicate */

START_TEST(baseline_apply_marks_known_new_and_fixed)
{
    mh_baseline *b = NULL;
    mh_error err;
    ck_assert_int_eq(mh_baseline_parse(listed, strlen(listed), "t", &b, &err), MH_OK);
    ck_assert_uint_eq(b->count, 4);
    mh_result rs[4];
    mk_result(&rs[0], "a/still", MH_OUTCOME_FAILED);
    add(&rs[0], MH_CHECK_NEGATIVE_DATA_REJECTION, "");
    add(&rs[0], MH_CHECK_SUCCESS_FLAG_CONSISTENCY, "");           /* new warning */
    mk_result(&rs[1], "b/gone", MH_OUTCOME_PASSED);               /* fixed */
    mk_result(&rs[2], "d/rate-limited", MH_OUTCOME_INCONCLUSIVE); /* proves nothing */
    mk_result(&rs[3], "e/new", MH_OUTCOME_FAILED);
    add(&rs[3], MH_CHECK_STATUS_CODE_CONFORMANCE, "");

    mh_baseline_diff d;
    ck_assert_int_eq(mh_baseline_apply(b, rs, 4, &d, &err), MH_OK);
    ck_assert_int_eq(rs[0].findings[0].known, 1);
    ck_assert_int_eq(rs[0].findings[1].known, 0);
    ck_assert_int_eq(rs[3].findings[0].known, 0);
    ck_assert_uint_eq(d.known_findings, 1);
    ck_assert_uint_eq(d.new_findings, 2);
    ck_assert_uint_eq(d.new_errors, 1);
    /* c/other-shard did not run here and d/rate-limited did not conclude:
     * only b/gone is fixed. */
    ck_assert_uint_eq(d.fixed_count, 1);
    ck_assert_str_eq(d.fixed[0].case_id, "b/gone");
    ck_assert_str_eq(d.fixed[0].check, "ignored_auth");

    /* Exit rule: a known error does not fail, a new one does, an
     * inconclusive case does, a new warning does not. */
    ck_assert_int_eq(mh_baseline_outcome_failed(&rs[0]), 0);
    ck_assert_int_eq(mh_baseline_outcome_failed(&rs[1]), 0);
    ck_assert_int_eq(mh_baseline_outcome_failed(&rs[2]), 1);
    ck_assert_int_eq(mh_baseline_outcome_failed(&rs[3]), 1);
    ck_assert_int_eq(mh_baseline_run_failed(rs, 2, &d, 0), 0);
    ck_assert_int_eq(mh_baseline_run_failed(rs, 2, &d, 1), 1); /* strict: fixed fails */
    ck_assert_int_eq(mh_baseline_run_failed(rs, 4, &d, 0), 1);
    ck_assert_int_eq(mh_baseline_run_failed(rs, 2, NULL, 1), 0);

    mh_baseline_diff_clear(&d);
    mh_baseline_free(b);
    clear_all(rs, 4);
}
END_TEST

START_TEST(baseline_outcome_without_baseline_is_plain_rule)
{
    mh_result r;
    mk_result(&r, "x/y", MH_OUTCOME_FAILED);
    add(&r, MH_CHECK_NOT_A_SERVER_ERROR, "");
    ck_assert_int_eq(mh_baseline_outcome_failed(&r), 1);
    mh_baseline_diff d;
    mh_error err;
    ck_assert_int_eq(mh_baseline_apply(NULL, &r, 1, &d, &err), MH_OK); /* empty baseline */
    ck_assert_uint_eq(d.new_errors, 1);
    ck_assert_uint_eq(d.fixed_count, 0);
    mh_baseline_diff_clear(&d);
    mh_result_clear(&r);
}
END_TEST

START_TEST(baseline_load_malformed_gives_line_and_column)
{
    char path[256];
    in_tmp(path, sizeof path, "bad.json");
    write_file(path,
               "{\n  \"tool\": \"manta-harness\",\n  \"version\": 1,\n  \"findings\": [,]\n}\n");
    mh_baseline *b = NULL;
    mh_error err;
    ck_assert_int_eq(mh_baseline_load(path, &b, &err), MH_ERR_JSON);
    ck_assert_ptr_null(b);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, 4);
    ck_assert_int_eq(err.column, 16);
    char line[1400];
    mh_error_format(&err, line, sizeof line);
    ck_assert_msg(strstr(line, ":4:16:") != NULL, "formatted: %s", line);
}
END_TEST

START_TEST(baseline_load_wrong_shape_names_member)
{
    static const struct {
        const char *text, *pointer;
    } cases[] = {
        {"[]", ""},
        {"{\"tool\":\"other\",\"version\":1,\"findings\":[]}", "/tool"},
        {"{\"tool\":\"manta-harness\",\"version\":2,\"findings\":[]}", "/version"},
        {"{\"tool\":\"manta-harness\",\"version\":1}", "/findings"},
        {"{\"tool\":\"manta-harness\",\"version\":1,\"findings\":[{\"case\":\"a\"}]}",
         "/findings/0"},
        {"{\"tool\":\"manta-harness\",\"version\":1,\"findings\":[{\"case\":\"a\",\"check\":1}]}",
         "/findings/0"},
        /* A misspelt check would silently never match: it is an error. */
        {"{\"tool\":\"manta-harness\",\"version\":1,\"findings\":[{\"case\":\"a\",\"check\":"
         "\"ignored_auth\"},{\"case\":\"b\",\"check\":\"ignored_ath\"}]}",
         "/findings/1/check"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mh_baseline *b = NULL;
        mh_error err;
        ck_assert_int_eq(
            mh_baseline_parse(cases[i].text, strlen(cases[i].text), "b.json", &b, &err),
            MH_ERR_JSON);
        ck_assert_ptr_null(b);
        ck_assert_msg(strcmp(err.pointer, cases[i].pointer) == 0, "case %zu: pointer '%s'", i,
                      err.pointer);
    }
    mh_baseline *b = NULL;
    mh_error err;
    ck_assert_int_eq(mh_baseline_load("/nonexistent/baseline.json", &b, &err), MH_ERR_IO);
}
END_TEST

/* A check the catalogue lacks is a located shape error naming it. */
START_TEST(baseline_load_unknown_check_named)
{
    static const char text[] = "{\"tool\":\"manta-harness\",\"version\":1,\"findings\":["
                               "{\"case\":\"a\",\"check\":\"ignored_ath\"}]}";
    mh_baseline *b = NULL;
    mh_error err;
    ck_assert_int_eq(mh_baseline_parse(text, sizeof text - 1, "b.json", &b, &err), MH_ERR_JSON);
    ck_assert_ptr_null(b);
    ck_assert_str_eq(err.pointer, "/findings/0/check");
    ck_assert_ptr_nonnull(strstr(err.message, "\"ignored_ath\""));
    ck_assert_ptr_nonnull(strstr(err.message, "not a manta-harness baseline"));
}
END_TEST

/* The JSON report shows new/known/fixed and marks known findings. */
START_TEST(baseline_json_report_has_section_and_known_flags)
{
    mh_baseline *b = NULL;
    mh_error err;
    ck_assert_int_eq(mh_baseline_parse(listed, strlen(listed), "t", &b, &err), MH_OK);
    mh_result rs[2];
    mk_result(&rs[0], "a/still", MH_OUTCOME_FAILED);
    add(&rs[0], MH_CHECK_NEGATIVE_DATA_REJECTION, "");
    mk_result(&rs[1], "b/gone", MH_OUTCOME_PASSED);
    add(&rs[1], MH_CHECK_STATUS_CODE_CONFORMANCE, "");
    rs[1].outcome = MH_OUTCOME_FAILED;
    mh_baseline_diff d;
    ck_assert_int_eq(mh_baseline_apply(b, rs, 2, &d, &err), MH_OK);
    mh_run run = {.tool_version = "0",
                  .spec_path = "s.json",
                  .base_url = "http://h",
                  .results = rs,
                  .result_count = 2,
                  .baseline = &d};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(mh_report_json_write(&run, f, &err), MH_OK);
    fclose(f);
    cJSON *doc = NULL;
    ck_assert_int_eq(mh_json_parse(buf, len, NULL, &doc, NULL), MH_JSON_OK);
    const cJSON *bs = mh_json_get(mh_json_get(doc, "summary"), "baseline");
    ck_assert_ptr_nonnull(bs);
    ck_assert_int_eq(mh_json_get(bs, "new")->valueint, 1);
    ck_assert_int_eq(mh_json_get(bs, "known")->valueint, 1);
    const cJSON *fixed = mh_json_get(bs, "fixed");
    ck_assert_int_eq(cJSON_GetArraySize(fixed), 1);
    ck_assert_str_eq(mh_json_get(fixed->child, "case")->valuestring, "b/gone");
    const cJSON *c0 = mh_json_get(doc, "cases")->child;
    ck_assert(cJSON_IsTrue(mh_json_get(mh_json_get(c0, "findings")->child, "known")));
    ck_assert_ptr_null(mh_json_get(mh_json_get(c0->next, "findings")->child, "known"));
    cJSON_Delete(doc);
    free(buf);

    /* Console, JUnit and HTML show the same counts and the fixed entry. */
    f = open_memstream(&buf, &len);
    mh_report_console(&run, NULL, f);
    fclose(f);
    ck_assert_msg(strstr(buf, "baseline: 1 new, 1 known, 1 fixed\n  fixed: b/gone ignored_auth"),
                  "console: %s", buf);
    free(buf);
    f = open_memstream(&buf, &len);
    ck_assert_int_eq(mh_report_junit_write(&run, f, &err), MH_OK);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "name=\"baseline_new\" value=\"1\""));
    ck_assert_ptr_nonnull(strstr(buf, "value=\"b/gone ignored_auth\""));
    free(buf);
    f = open_memstream(&buf, &len);
    ck_assert_int_eq(mh_report_html_write(&run, f, &err), MH_OK);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "1 known</span>"));
    ck_assert_ptr_nonnull(strstr(buf, "fixed: b/gone ignored_auth"));
    free(buf);

    /* Without a baseline the report has neither. */
    run.baseline = NULL;
    f = open_memstream(&buf, &len);
    ck_assert_int_eq(mh_report_json_write(&run, f, &err), MH_OK);
    fclose(f);
    ck_assert_ptr_null(strstr(buf, "\"baseline\""));
    ck_assert_ptr_null(strstr(buf, "\"known\""));
    free(buf);
    mh_baseline_diff_clear(&d);
    mh_baseline_free(b);
    clear_all(rs, 2);
}
END_TEST

/* ---- several operations: a case is its operation and its id ----------------- */

static const mh_operation op_a = {.method = "GET", .path = "/a", .id = "GET /a"};
static const mh_operation op_b = {
    .method = "GET", .path = "/b", .id = "GET /b", .operation_id = "getB"};

/* Results over two operations sharing the case id "valid/x": A's and B's
 * both fail status_code_conformance, B's valid/y passes, A's valid/z was
 * skipped. */
static void two_ops(mh_result rs[4])
{
    mk_result(&rs[0], "valid/x", MH_OUTCOME_FAILED);
    rs[0].kase->op = &op_a;
    add(&rs[0], MH_CHECK_STATUS_CODE_CONFORMANCE, "");
    mk_result(&rs[1], "valid/x", MH_OUTCOME_FAILED);
    rs[1].kase->op = &op_b;
    add(&rs[1], MH_CHECK_STATUS_CODE_CONFORMANCE, "");
    mk_result(&rs[2], "valid/y", MH_OUTCOME_PASSED);
    rs[2].kase->op = &op_b;
    mk_result(&rs[3], "valid/z", MH_OUTCOME_SKIPPED);
    rs[3].kase->op = &op_a;
    rs[3].kase->skip_reason = strdup("no credentials");
}

START_TEST(baseline_two_operations_share_case_id)
{
    mh_result rs[4];
    two_ops(rs);
    char path[256];
    in_tmp(path, sizeof path, "ops.json");
    mh_error err;
    ck_assert_int_eq(mh_baseline_write(path, rs, 4, &err), MH_OK);
    char *text = tu_read_file(path, NULL);
    ck_assert_str_eq(text, "{\n"
                           "  \"tool\": \"manta-harness\",\n"
                           "  \"version\": 1,\n"
                           "  \"findings\": [\n"
                           "    {\"operation\": \"GET /a\", \"case\": \"valid/x\", \"check\": "
                           "\"status_code_conformance\"},\n"
                           "    {\"operation\": \"GET /b\", \"case\": \"valid/x\", \"check\": "
                           "\"status_code_conformance\"}\n"
                           "  ]\n"
                           "}\n");
    free(text);

    /* Listed: A's valid/x only, B's valid/y (now passing), A's valid/z
     * (skipped: proves nothing), A's valid/y (A has no such case). */
    static const char only_a[] =
        "{\"tool\":\"manta-harness\",\"version\":1,\"findings\":["
        "{\"operation\":\"GET /a\",\"case\":\"valid/x\",\"check\":\"status_code_conformance\"},"
        "{\"operation\":\"GET /b\",\"case\":\"valid/y\",\"check\":\"not_a_server_error\"},"
        "{\"operation\":\"GET /a\",\"case\":\"valid/z\",\"check\":\"ignored_auth\"},"
        "{\"operation\":\"GET /a\",\"case\":\"valid/y\",\"check\":\"ignored_auth\"}]}";
    mh_baseline *b = NULL;
    ck_assert_int_eq(mh_baseline_parse(only_a, sizeof only_a - 1, "t", &b, &err), MH_OK);
    mh_baseline_diff d;
    ck_assert_int_eq(mh_baseline_apply(b, rs, 4, &d, &err), MH_OK);
    ck_assert_int_eq(rs[0].findings[0].known, 1);
    ck_assert_int_eq(rs[1].findings[0].known, 0); /* same id and check, other operation */
    ck_assert_uint_eq(d.known_findings, 1);
    ck_assert_uint_eq(d.new_errors, 1);
    ck_assert_uint_eq(d.fixed_count, 1);
    ck_assert_str_eq(d.fixed[0].operation, "GET /b");
    ck_assert_str_eq(d.fixed[0].case_id, "valid/y");
    ck_assert_int_eq(mh_baseline_run_failed(rs, 4, &d, 0), 1);

    /* The JSON report: fixed entries name their operation, and each
     * operation's summary has its own baseline counts. */
    mh_run run = {.tool_version = "0",
                  .spec_path = "s.yaml",
                  .base_url = "http://h",
                  .results = rs,
                  .result_count = 4,
                  .baseline = &d};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(mh_report_json_write(&run, f, &err), MH_OK);
    fclose(f);
    cJSON *doc = NULL;
    ck_assert_int_eq(mh_json_parse(buf, len, NULL, &doc, NULL), MH_JSON_OK);
    const cJSON *s = mh_json_get(doc, "summary");
    const cJSON *fx = mh_json_get(mh_json_get(s, "baseline"), "fixed")->child;
    ck_assert_str_eq(mh_json_get(fx, "operation")->valuestring, "GET /b");
    const cJSON *ba =
        mh_json_get(mh_json_get(mh_json_get(s, "by_operation"), "GET /a"), "baseline");
    const cJSON *bb = mh_json_get(mh_json_get(mh_json_get(s, "by_operation"), "getB"), "baseline");
    ck_assert_int_eq(mh_json_get(ba, "known")->valueint, 1);
    ck_assert_int_eq(mh_json_get(ba, "new")->valueint, 0);
    ck_assert_int_eq(cJSON_GetArraySize(mh_json_get(ba, "fixed")), 0);
    ck_assert_int_eq(mh_json_get(bb, "new")->valueint, 1);
    ck_assert_int_eq(cJSON_GetArraySize(mh_json_get(bb, "fixed")), 1);
    cJSON_Delete(doc);
    free(buf);
    f = open_memstream(&buf, &len);
    mh_report_console(&run, NULL, f);
    fclose(f);
    ck_assert_msg(strstr(buf, "  fixed: GET /b valid/y not_a_server_error\n"), "console: %s", buf);
    free(buf);
    mh_baseline_diff_clear(&d);
    mh_baseline_free(b);

    /* A file without operations (written when one operation was tested)
     * matches the case id in any operation. */
    static const char old[] = "{\"tool\":\"manta-harness\",\"version\":1,\"findings\":["
                              "{\"case\":\"valid/x\",\"check\":\"status_code_conformance\"},"
                              "{\"case\":\"valid/y\",\"check\":\"not_a_server_error\"}]}";
    ck_assert_int_eq(mh_baseline_parse(old, sizeof old - 1, "old", &b, &err), MH_OK);
    ck_assert_ptr_null(b->entries[0].operation);
    ck_assert_int_eq(mh_baseline_apply(b, rs, 4, &d, &err), MH_OK);
    ck_assert_int_eq(rs[0].findings[0].known, 1);
    ck_assert_int_eq(rs[1].findings[0].known, 1);
    ck_assert_uint_eq(d.fixed_count, 1);
    ck_assert_ptr_null(d.fixed[0].operation);
    ck_assert_int_eq(mh_baseline_run_failed(rs, 4, &d, 0), 0);
    mh_baseline_diff_clear(&d);
    mh_baseline_free(b);
    clear_all(rs, 4);
}
END_TEST

/* Skipped cases never fail the gate and never make an entry fixed. */
START_TEST(baseline_skipped_case_neutral)
{
    mh_result r;
    mk_result(&r, "valid/z", MH_OUTCOME_SKIPPED);
    r.kase->skip_reason = strdup("nothing sendable");
    ck_assert_int_eq(mh_baseline_outcome_failed(&r), 0);
    ck_assert_int_eq(mh_baseline_run_failed(&r, 1, NULL, 1), 0);
    static const char listed_z[] = "{\"tool\":\"manta-harness\",\"version\":1,\"findings\":["
                                   "{\"case\":\"valid/z\",\"check\":\"ignored_auth\"}]}";
    mh_baseline *b = NULL;
    mh_error err;
    ck_assert_int_eq(mh_baseline_parse(listed_z, sizeof listed_z - 1, "z", &b, &err), MH_OK);
    mh_baseline_diff d;
    ck_assert_int_eq(mh_baseline_apply(b, &r, 1, &d, &err), MH_OK);
    ck_assert_uint_eq(d.fixed_count, 0);
    ck_assert_int_eq(mh_baseline_run_failed(&r, 1, &d, 1), 0);
    mh_baseline_diff_clear(&d);
    mh_baseline_free(b);
    /* "operation" must be a non-empty string when present. */
    static const char bad[] = "{\"tool\":\"manta-harness\",\"version\":1,\"findings\":["
                              "{\"operation\":1,\"case\":\"a\",\"check\":\"ignored_auth\"}]}";
    ck_assert_int_eq(mh_baseline_parse(bad, sizeof bad - 1, "bad", &b, &err), MH_ERR_JSON);
    ck_assert_str_eq(err.pointer, "/findings/0");
    mh_result_clear(&r);
}
END_TEST

/* ---- end to end: run --write-baseline / --baseline against serve -------------- */

/* Starts `manta-harness serve --port 0 ... [--fault F]`; s->url is its URL. */
static void serve_start(tu_serve *s, const char *fault)
{
    const char *args[] = {"--port",
                          "0",
                          "--bot-id",
                          "gate-bot",
                          "--secret",
                          "gate-s3cret",
                          "--jwt-key",
                          "gate-k3y-0123456789",
                          fault ? "--fault" : NULL,
                          fault,
                          NULL};
    ck_assert_int_eq(tu_serve_start(s, args, NULL, 0), 0);
}

static int run_gate(const tu_serve *s, const char *flag, const char *file, const char *report,
                    char **out)
{
    const char *argv[] = {"manta-harness",
                          "run",
                          "--base-url",
                          s->url,
                          "--bot-id",
                          "gate-bot",
                          "--secret",
                          "gate-s3cret",
                          "--jwt-key",
                          "gate-k3y-0123456789",
                          "--seed",
                          "5",
                          "--no-progress",
                          "--quiet",
                          "--report",
                          report,
                          flag,
                          file,
                          NULL};
    char *err = NULL;
    int rc = tu_run_cli(argv, NULL, out, &err, 60);
    free(err);
    return rc;
}

START_TEST(baseline_run_round_trip_fails_only_on_new)
{
    char base[256], rep[300], path[256];
    in_tmp(base, sizeof base, "gate-baseline.json");
    in_tmp(path, sizeof path, "r.json");
    snprintf(rep, sizeof rep, "json:%s", path);
    tu_serve s;
    char *out = NULL;

    /* 1. A server with a known fault: record its findings. */
    serve_start(&s, "accept-malformed");
    ck_assert_int_eq(run_gate(&s, "--write-baseline", base, rep, &out), 1);
    free(out);
    mh_baseline *b = NULL;
    mh_error err;
    ck_assert_int_eq(mh_baseline_load(base, &b, &err), MH_OK);
    ck_assert_uint_gt(b->count, 0);
    for (size_t i = 0; i < b->count; i++)
        ck_assert_str_eq(b->entries[i].check, "negative_data_rejection");
    mh_baseline_free(b);
    /* 2. Same behaviour again with the baseline: every finding known, exit 0. */
    ck_assert_int_eq(run_gate(&s, "--baseline", base, rep, &out), 0);
    free(out);
    tu_serve_stop(&s, SIGTERM, NULL);

    /* 3. A new error-severity fault: exit 1, and the only new findings are
     * the new check's. (A new warning alone would not fail the gate.) */
    serve_start(&s, "crash-500");
    ck_assert_int_eq(run_gate(&s, "--baseline", base, rep, &out), 1);
    free(out);
    tu_serve_stop(&s, SIGTERM, NULL);
    size_t len;
    char *text = tu_read_file(path, &len);
    cJSON *doc = NULL;
    ck_assert_int_eq(mh_json_parse(text, len, NULL, &doc, NULL), MH_JSON_OK);
    free(text);
    size_t fresh = 0;
    for (const cJSON *c = mh_json_get(doc, "cases")->child; c; c = c->next)
        for (const cJSON *f = mh_json_get(c, "findings")->child; f; f = f->next)
            if (!cJSON_IsTrue(mh_json_get(f, "known"))) {
                fresh++;
                ck_assert_str_eq(mh_json_get(f, "check")->valuestring, "not_a_server_error");
            }
    ck_assert_uint_gt(fresh, 0);
    /* The accept-malformed entries no longer fire on this server: fixed. */
    const cJSON *bs = mh_json_get(mh_json_get(doc, "summary"), "baseline");
    ck_assert_ptr_nonnull(bs);
    ck_assert_int_gt(cJSON_GetArraySize(mh_json_get(bs, "fixed")), 0);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(baseline_run_malformed_file_exits_2_with_position)
{
    char base[256];
    in_tmp(base, sizeof base, "broken.json");
    write_file(base, "{\"tool\": \"manta-harness\",\n \"version\": 1, \"findings\": [}\n");
    const char *argv[] = {"manta-harness", "run",           "--baseline", base,
                          "--quiet",       "--no-progress", NULL};
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run_cli(argv, NULL, &out, &err, 60), 2);
    ck_assert_msg(strstr(err, ":2:") != NULL, "stderr: %s", err);
    free(out);
    free(err);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("baseline");
    TCase *tc = tcase_create("file");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, baseline_write_reload_sorted_unique);
    tcase_add_test(tc, baseline_write_empty_reloads_empty);
    tcase_add_test(tc, baseline_apply_marks_known_new_and_fixed);
    tcase_add_test(tc, baseline_outcome_without_baseline_is_plain_rule);
    tcase_add_test(tc, baseline_load_malformed_gives_line_and_column);
    tcase_add_test(tc, baseline_load_wrong_shape_names_member);
    tcase_add_test(tc, baseline_load_unknown_check_named);
    tcase_add_test(tc, baseline_json_report_has_section_and_known_flags);
    tcase_add_test(tc, baseline_two_operations_share_case_id);
    tcase_add_test(tc, baseline_skipped_case_neutral);
    suite_add_tcase(s, tc);
    TCase *e2e = tcase_create("run");
    tcase_add_checked_fixture(e2e, setup, teardown);
    tcase_set_timeout(e2e, 120);
    tcase_add_test(e2e, baseline_run_round_trip_fails_only_on_new);
    tcase_add_test(e2e, baseline_run_malformed_file_exits_2_with_position);
    suite_add_tcase(s, e2e);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
