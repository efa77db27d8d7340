/* test_merge.c — merge-reports: shard JSON reports written by
 * mh_report_json_write from hand-built runs merge into the unsharded run's
 * report (timings aside), over several operations (summary.by_operation
 * re-summed, a case id shared by two operations, a methods case, a skipped
 * case); JUnit re-emitted from the merged data equals the unsharded JUnit;
 * mismatched or duplicated shards are refused (exit 2). */
#include "testutil.h"
#include "tu_tmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/baseline.h"
#include "manta/json_strict.h"
#include "manta/model.h"
#include "manta/redact.h"
#include "manta/report.h"
#include "manta/report_merge.h"

#define TOKEN "eyJhbGciOiJIUzI1NiJ9.eyJib3RJZCI6Im0ifQ.merge-token-sig"
#define SECRET "merge-s3cret"

enum { N = 10, SHARDS = 3 };

static const mh_operation op = {
    .method = "POST", .path = "/openapi/personalTag", .id = "POST /openapi/personalTag"};
static const mh_operation op_pet = {
    .method = "GET", .path = "/pets/{id}", .id = "GET /pets/{id}", .operation_id = "getPet"};
static mh_result rs[N];
static mh_redactor *red;
static tu_tmp tmp;
static const char *dir = tmp.dir;

static void mk(int i, const char *id, mh_suite su, mh_outcome out, int status, const char *body)
{
    mh_result *r = &rs[i];
    memset(r, 0, sizeof *r);
    mh_case *c = r->kase = mh_case_new();
    c->id = strdup(id);
    c->suite = su;
    c->op = &op;
    c->method = strdup(su == MH_SUITE_METHODS ? "GET" : "POST");
    c->target = strdup("/openapi/personalTag?botId=m");
    mh_case_add_header(c, "Content-Type", "application/json");
    mh_case_add_header(c, "Authorization", "Bearer " TOKEN);
    if (body) {
        c->body_len = strlen(body);
        c->body = strdup(body);
    }
    r->outcome = out;
    mh_exchange *x = &r->exchange;
    x->status = status;
    x->attempts = 1;
    x->elapsed_ms = 1.25 + i;
    if (status) {
        x->content_type = strdup("application/json");
        x->body = strdup("{\"success\":false}");
        x->body_len = strlen(x->body);
    } else {
        x->error = MH_XFER_TIMEOUT;
        x->error_text = strdup("Operation timed out");
        x->body = strdup("");
    }
}

static void setup(void)
{
    tu_tmp_init(&tmp, "merge");
    red = mh_redactor_new();
    mh_redactor_add(red, TOKEN, "$MANTA_TOKEN");
    mh_redactor_add(red, SECRET, "$MANTA_SECRET");
    mk(0, "valid/ascii", MH_SUITE_VALID, MH_OUTCOME_PASSED, 200,
       "{\"name\":\"a\",\"secret\":\"" SECRET "\"}");
    mk(1, "malformed/name-missing", MH_SUITE_MALFORMED, MH_OUTCOME_FAILED, 200, "{}");
    mh_result_add_finding(&rs[1], MH_CHECK_NEGATIVE_DATA_REJECTION, "", "got 200");
    mk(2, "boundary/nul", MH_SUITE_BOUNDARY, MH_OUTCOME_PASSED, 403, "x");
    static const char nul_body[] = "{\"name\":\"a\0b\"}"; /* a real NUL byte */
    free(rs[2].kase->body);
    rs[2].kase->body = malloc(sizeof nul_body);
    memcpy(rs[2].kase->body, nul_body, sizeof nul_body);
    rs[2].kase->body_len = sizeof nul_body - 1;
    mk(3, "auth/no-token", MH_SUITE_AUTH, MH_OUTCOME_FAILED, 200, "{\"name\":\"b\"}");
    mh_result_add_finding(&rs[3], MH_CHECK_IGNORED_AUTH, "", "accepted");
    mh_result_add_finding(&rs[3], MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE, "/message", "required");
    mk(4, "methods/get", MH_SUITE_METHODS, MH_OUTCOME_WARNING, 200, NULL);
    mh_result_add_finding(&rs[4], MH_CHECK_UNSUPPORTED_METHOD, "", "GET got 200");
    mk(5, "valid/cjk", MH_SUITE_VALID, MH_OUTCOME_INCONCLUSIVE, 429, "{\"name\":\"\xe4\xb8\xad\"}");
    mk(6, "boundary/long", MH_SUITE_BOUNDARY, MH_OUTCOME_FAILED, 0, "{\"name\":\"xxxxxxxx\"}");
    mh_result_add_finding(&rs[6], MH_CHECK_TRANSPORT_ERROR, "", "timeout");
    /* A second operation: the same case id as case 0, a methods case
     * reported under the method it sends, a skipped case. */
    mk(7, "valid/ascii", MH_SUITE_VALID, MH_OUTCOME_FAILED, 500, NULL);
    rs[7].kase->op = &op_pet;
    mh_result_add_finding(&rs[7], MH_CHECK_NOT_A_SERVER_ERROR, "", "got 500");
    mk(8, "methods/delete", MH_SUITE_METHODS, MH_OUTCOME_WARNING, 200, NULL);
    rs[8].kase->op = &op_pet;
    rs[8].kase->operation = strdup("DELETE /pets/{id}");
    mh_result_add_finding(&rs[8], MH_CHECK_UNSUPPORTED_METHOD, "", "DELETE got 200");
    mk(9, "valid/needs-key", MH_SUITE_VALID, MH_OUTCOME_SKIPPED, 0, NULL);
    rs[9].kase->op = &op_pet;
    rs[9].kase->skip_reason = strdup("no credentials configured for scheme 'apiKey'");
    mh_exchange_clear(&rs[9].exchange);
}

static void teardown(void)
{
    for (int i = 0; i < N; i++)
        mh_result_clear(&rs[i]);
    mh_redactor_free(red);
    ck_assert_int_eq(tu_tmp_free(&tmp), 0);
}

static mh_run full_run(uint64_t seed)
{
    return (mh_run){.tool_version = "0.1.0",
                    .spec_path = "contracts/manta-openapi.json",
                    .base_url = "http://127.0.0.1:9999/api",
                    .seed = seed,
                    .run_id = "r1",
                    .duration_ms = 100,
                    .results = rs,
                    .result_count = N,
                    .redactor = red};
}

static void write_report(const mh_run *run, mh_report_format fmt, const char *name, char *path,
                         size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    mh_report_target t = {fmt, path};
    mh_error err;
    ck_assert_int_eq(mh_report_write(run, &t, &err), MH_OK);
}

/* When set, every shard applies this baseline to its own results. */
static const mh_baseline *gate;

/* Shard k of SHARDS: the results (shallow copies) case i % SHARDS + 1 == k
 * owns, reported as the runner would with shard_k/shard_n set. */
static void write_shard(unsigned k, uint64_t seed, double ms, char *path, size_t n)
{
    mh_result part[N];
    size_t m = 0;
    for (size_t i = 0; i < N; i++)
        if (i % SHARDS + 1 == k)
            part[m++] = rs[i];
    mh_run run = full_run(seed);
    run.results = part;
    run.result_count = m;
    run.shard_k = k;
    run.shard_n = SHARDS;
    run.duration_ms = ms;
    mh_baseline_diff d = {0};
    mh_error err;
    if (gate) {
        ck_assert_int_eq(mh_baseline_apply(gate, part, m, &d, &err), MH_OK);
        run.baseline = &d;
    }
    char name[32];
    snprintf(name, sizeof name, "shard-%u.json", k);
    write_report(&run, MH_REPORT_JSON, name, path, n);
    mh_baseline_diff_clear(&d);
}

static cJSON *load(const char *path)
{
    cJSON *doc = NULL;
    mh_error err;
    ck_assert_msg(mh_report_read(path, &doc, &err) == MH_OK, "%s: %s", path, err.message);
    return doc;
}

static void drop_timings(cJSON *doc)
{
    cJSON_DeleteItemFromObjectCaseSensitive(mh_json_get(doc, "summary"), "duration_ms");
}

START_TEST(merge_shards_equal_unsharded_report)
{
    char full[256], sp[SHARDS][256];
    mh_run run = full_run(18446744073709551557ULL); /* > 2^53: must survive exactly */
    write_report(&run, MH_REPORT_JSON, "full.json", full, sizeof full);
    /* Shards written in reverse, with different durations. */
    for (unsigned k = SHARDS; k >= 1; k--)
        write_shard(k, run.seed, 10.0 * k, sp[k - 1], sizeof sp[0]);
    cJSON *docs[SHARDS];
    const char *names[SHARDS];
    for (int k = 0; k < SHARDS; k++) {
        docs[SHARDS - 1 - k] = load(sp[k]); /* given in reverse order too */
        names[SHARDS - 1 - k] = sp[k];
    }
    cJSON *merged = NULL;
    size_t missing = 99;
    mh_error err;
    ck_assert_int_eq(
        mh_report_merge((const cJSON *const *)docs, names, SHARDS, &merged, &missing, &err), MH_OK);
    ck_assert_uint_eq(missing, 0);
    /* duration_ms is the longest shard's. */
    ck_assert_double_eq(mh_json_get(mh_json_get(merged, "summary"), "duration_ms")->valuedouble,
                        30.0);

    /* Written out and read back, then compared with the unsharded report. */
    char out[256];
    snprintf(out, sizeof out, "%s/merged.json", dir);
    FILE *f = fopen(out, "w");
    ck_assert_int_eq(mh_report_tree_write(merged, f, &err), MH_OK);
    fclose(f);
    cJSON *a = load(out), *b = load(full);
    ck_assert_str_eq(mh_json_get(a, "seed")->valuestring, "18446744073709551557");
    drop_timings(a);
    drop_timings(b);
    if (!cJSON_Compare(a, b, 1)) {
        char *ta = cJSON_PrintUnformatted(a), *tb = cJSON_PrintUnformatted(b);
        ck_abort_msg("merged differs from unsharded:\n%s\n---\n%s", ta, tb);
    }
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(merged);
    for (int k = 0; k < SHARDS; k++)
        cJSON_Delete(docs[k]);
}
END_TEST

/* With a baseline over several operations (an entry naming its operation,
 * one of a file written before operations were recorded that matches a case
 * id in two operations): the merged summary, by_operation's baseline
 * sections included, equals the unsharded run's. */
START_TEST(merge_baseline_by_operation_equal_unsharded)
{
    static const char text[] =
        "{\"tool\":\"manta-harness\",\"version\":1,\"findings\":["
        "{\"operation\":\"POST /openapi/personalTag\",\"case\":\"malformed/name-missing\","
        "\"check\":\"negative_data_rejection\"},"
        "{\"operation\":\"GET /pets/{id}\",\"case\":\"valid/ascii\","
        "\"check\":\"status_code_conformance\"},"
        "{\"case\":\"valid/ascii\",\"check\":\"ignored_auth\"}]}";
    mh_baseline *b = NULL;
    mh_error err;
    ck_assert_int_eq(mh_baseline_parse(text, sizeof text - 1, "b", &b, &err), MH_OK);
    mh_baseline_diff d;
    ck_assert_int_eq(mh_baseline_apply(b, rs, N, &d, &err), MH_OK);
    ck_assert_uint_eq(d.fixed_count, 2);
    char full[256], sp[SHARDS][256];
    mh_run run = full_run(11);
    run.baseline = &d;
    write_report(&run, MH_REPORT_JSON, "full.json", full, sizeof full);
    gate = b;
    for (unsigned k = 1; k <= SHARDS; k++)
        write_shard(k, 11, 5, sp[k - 1], sizeof sp[0]);
    gate = NULL;
    cJSON *docs[SHARDS];
    const char *names[SHARDS];
    for (int k = 0; k < SHARDS; k++) {
        docs[k] = load(sp[k]);
        names[k] = sp[k];
    }
    cJSON *merged = NULL;
    ck_assert_int_eq(
        mh_report_merge((const cJSON *const *)docs, names, SHARDS, &merged, NULL, &err), MH_OK);
    cJSON *want = load(full);
    drop_timings(merged);
    drop_timings(want);
    const cJSON *ms = mh_json_get(merged, "summary"), *ws = mh_json_get(want, "summary");
    if (!cJSON_Compare(ms, ws, 1)) {
        char *ta = cJSON_PrintUnformatted(ms), *tb = cJSON_PrintUnformatted(ws);
        ck_abort_msg("merged summary differs:\n%s\n---\n%s", ta, tb);
    }
    const cJSON *pet =
        mh_json_get(mh_json_get(mh_json_get(ms, "by_operation"), "getPet"), "baseline");
    ck_assert_int_eq(cJSON_GetArraySize(mh_json_get(pet, "fixed")), 2);
    cJSON_Delete(want);
    cJSON_Delete(merged);
    for (int k = 0; k < SHARDS; k++)
        cJSON_Delete(docs[k]);
    mh_baseline_diff_clear(&d);
    mh_baseline_free(b);
}
END_TEST

/* Strips time="..." attributes (timings) from XML text in place. */
static void strip_times(char *s)
{
    char *p;
    while ((p = strstr(s, " time=\"")) != NULL) {
        char *e = strchr(p + 7, '"');
        memmove(p, e + 1, strlen(e + 1) + 1);
    }
}

START_TEST(merge_cli_reemits_junit_and_html)
{
    char full_junit[256], sp[SHARDS][256];
    mh_run run = full_run(7);
    write_report(&run, MH_REPORT_JUNIT, "full.xml", full_junit, sizeof full_junit);
    for (unsigned k = 1; k <= SHARDS; k++)
        write_shard(k, 7, 5, sp[k - 1], sizeof sp[0]);
    char out[256], junit[256], html[256];
    snprintf(out, sizeof out, "%s/m.json", dir);
    snprintf(junit, sizeof junit, "%s/m.xml", dir);
    snprintf(html, sizeof html, "%s/m.html", dir);
    const char *argv[] = {"manta-harness", "merge-reports", out,      sp[1], sp[0], sp[2],
                          "--junit",       junit,           "--html", html,  NULL};
    char *so = NULL, *se = NULL;
    /* Failed cases in the merged run: exit 1, like the run itself. */
    ck_assert_int_eq(tu_run_cli(argv, NULL, &so, &se, 60), 1);
    ck_assert_msg(strstr(so, "10 cases") && strstr(so, ", 1 skipped (seed 7)"), "stdout: %s", so);
    free(so);
    free(se);
    char *a = tu_read_file(junit, NULL), *b = tu_read_file(full_junit, NULL);
    ck_assert_ptr_nonnull(a);
    strip_times(a);
    strip_times(b);
    ck_assert_str_eq(a, b); /* same cases, findings and curl reproductions */
    ck_assert_ptr_null(strstr(a, TOKEN));
    ck_assert_ptr_nonnull(strstr(a, "\"$MANTA_TOKEN\""));
    free(a);
    free(b);
    char *h = tu_read_file(html, NULL);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "malformed/name-missing"));
    ck_assert_ptr_nonnull(strstr(h, "<h3>getPet</h3>"));
    ck_assert_ptr_nonnull(strstr(h, "no credentials configured for scheme 'apiKey'"));
    ck_assert_ptr_null(strstr(h, SECRET));
    free(h);
}
END_TEST

START_TEST(merge_cli_refuses_different_seeds)
{
    char a[256], b[256];
    write_shard(1, 1, 5, a, sizeof a);
    write_shard(2, 2, 5, b, sizeof b);
    char out[256];
    snprintf(out, sizeof out, "%s/m.json", dir);
    const char *argv[] = {"manta-harness", "merge-reports", out, a, b, NULL};
    char *so = NULL, *se = NULL;
    ck_assert_int_eq(tu_run_cli(argv, NULL, &so, &se, 60), 2);
    ck_assert_msg(strstr(se, "seed") && strstr(se, "'1'") && strstr(se, "'2'"), "stderr: %s", se);
    free(so);
    free(se);
}
END_TEST

START_TEST(merge_cli_refuses_shard_twice_and_bad_json)
{
    char a[256];
    write_shard(1, 1, 5, a, sizeof a);
    char out[256];
    snprintf(out, sizeof out, "%s/m.json", dir);
    const char *twice[] = {"manta-harness", "merge-reports", out, a, a, NULL};
    char *so = NULL, *se = NULL;
    ck_assert_int_eq(tu_run_cli(twice, NULL, &so, &se, 60), 2);
    ck_assert_msg(strstr(se, "twice") != NULL, "stderr: %s", se);
    free(so);
    free(se);

    char bad[256];
    snprintf(bad, sizeof bad, "%s/bad.json", dir);
    FILE *f = fopen(bad, "w");
    fputs("{\"tool\":{\"name\":\"manta-harness\"},\n \"cases\": [1,]}", f);
    fclose(f);
    const char *badv[] = {"manta-harness", "merge-reports", out, bad, NULL};
    ck_assert_int_eq(tu_run_cli(badv, NULL, &so, &se, 60), 2);
    ck_assert_msg(strstr(se, ":2:") != NULL, "stderr: %s", se);
    free(so);
    free(se);

    const char *usage[] = {"manta-harness", "merge-reports", out, NULL};
    ck_assert_int_eq(tu_run_cli(usage, NULL, &so, &se, 60), 2);
    free(so);
    free(se);
}
END_TEST

START_TEST(merge_missing_shard_counted)
{
    char a[256], c[256];
    write_shard(1, 1, 5, a, sizeof a);
    write_shard(3, 1, 5, c, sizeof c);
    cJSON *docs[2] = {load(a), load(c)};
    const char *names[2] = {a, c};
    cJSON *merged = NULL;
    size_t missing = 0;
    mh_error err;
    ck_assert_int_eq(mh_report_merge((const cJSON *const *)docs, names, 2, &merged, &missing, &err),
                     MH_OK);
    /* Indexes 0..9 minus shard 2's (1, 4 and 7); the largest present is 9. */
    ck_assert_uint_eq(missing, 3);
    ck_assert_int_eq(cJSON_GetArraySize(mh_json_get(merged, "cases")), 7);
    ck_assert_int_eq(mh_json_get(mh_json_get(merged, "summary"), "cases")->valueint, 7);
    cJSON_Delete(merged);
    cJSON_Delete(docs[0]);
    cJSON_Delete(docs[1]);
}
END_TEST

START_TEST(merge_model_rebuilds_results)
{
    char full[256];
    mh_run run = full_run(3);
    write_report(&run, MH_REPORT_JSON, "full.json", full, sizeof full);
    cJSON *doc = load(full);
    mh_report_model *m = NULL;
    mh_error err;
    ck_assert_int_eq(mh_report_model_from_json(doc, &m, &err), MH_OK);
    ck_assert_uint_eq(m->count, N);
    ck_assert_uint_eq(m->run.seed, 3);
    for (size_t i = 0; i < N; i++) {
        const mh_result *r = &m->results[i];
        ck_assert_str_eq(r->kase->id, rs[i].kase->id);
        ck_assert_int_eq(r->kase->suite, rs[i].kase->suite);
        ck_assert_int_eq(r->outcome, rs[i].outcome);
        ck_assert_int_eq(r->exchange.status, rs[i].exchange.status);
        ck_assert_int_eq(r->exchange.error, rs[i].exchange.error);
        ck_assert_uint_eq(r->finding_count, rs[i].finding_count);
        ck_assert_str_eq(mh_case_operation(r->kase), mh_case_operation(rs[i].kase));
        ck_assert_str_eq(mh_case_operation_key(r->kase), mh_case_operation_key(rs[i].kase));
        if (r->outcome != MH_OUTCOME_SKIPPED)
            ck_assert_str_eq(r->kase->target, rs[i].kase->target);
        ck_assert_uint_eq(m->plan_index[i], i);
    }
    ck_assert_str_eq(m->results[9].kase->skip_reason, rs[9].kase->skip_reason);
    /* \u0000 in a body comes back as a NUL byte. */
    const mh_case *nul = m->results[2].kase;
    ck_assert_uint_eq(nul->body_len, 14);
    ck_assert_int_eq(memcmp(nul->body, "{\"name\":\"a\0b\"}", 14), 0);
    mh_report_model_free(m);
    cJSON_Delete(doc);
}
END_TEST

/* The merged summary of shards holding several operations: skipped counted,
 * by_operation re-summed from the cases, in plan order. */
START_TEST(merge_several_operations_resummed)
{
    char sp[SHARDS][256];
    for (unsigned k = 1; k <= SHARDS; k++)
        write_shard(k, 9, 5, sp[k - 1], sizeof sp[0]);
    cJSON *docs[SHARDS];
    const char *names[SHARDS];
    for (int k = 0; k < SHARDS; k++) {
        docs[k] = load(sp[k]);
        names[k] = sp[k];
        /* Each shard alone has a by_operation of its own cases. */
        ck_assert_ptr_nonnull(mh_json_get(mh_json_get(docs[k], "summary"), "by_operation"));
    }
    cJSON *merged = NULL;
    mh_error err;
    ck_assert_int_eq(
        mh_report_merge((const cJSON *const *)docs, names, SHARDS, &merged, NULL, &err), MH_OK);
    const cJSON *s = mh_json_get(merged, "summary");
    ck_assert_int_eq(mh_json_get(s, "skipped")->valueint, 1);
    ck_assert_int_eq(mh_json_get(s, "inconclusive")->valueint, 1);
    const cJSON *bo = mh_json_get(s, "by_operation");
    static const char *const keys[] = {"POST /openapi/personalTag", "getPet", "DELETE /pets/{id}"};
    static const int cases[] = {7, 2, 1}, failed[] = {3, 1, 0}, skipped[] = {0, 1, 0};
    int k = 0;
    for (const cJSON *o = bo->child; o; o = o->next, k++) {
        ck_assert_int_lt(k, 3);
        ck_assert_str_eq(o->string, keys[k]);
        ck_assert_int_eq(mh_json_get(o, "cases")->valueint, cases[k]);
        ck_assert_int_eq(mh_json_get(o, "failed")->valueint, failed[k]);
        ck_assert_int_eq(mh_json_get(o, "skipped")->valueint, skipped[k]);
    }
    ck_assert_int_eq(k, 3);
    ck_assert_int_eq(
        mh_json_get(mh_json_get(mh_json_get(bo, "getPet"), "by_check"), "not_a_server_error")
            ->valueint,
        1);
    /* The skipped case is carried over as it was: reason, no request. */
    const cJSON *c9 = cJSON_GetArrayItem(mh_json_get(merged, "cases"), 9);
    ck_assert_str_eq(mh_json_get(c9, "skip_reason")->valuestring,
                     "no credentials configured for scheme 'apiKey'");
    ck_assert(cJSON_IsNull(mh_json_get(c9, "request")));
    cJSON_Delete(merged);
    for (int i = 0; i < SHARDS; i++)
        cJSON_Delete(docs[i]);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("merge");
    TCase *tc = tcase_create("merge");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, merge_shards_equal_unsharded_report);
    tcase_add_test(tc, merge_cli_reemits_junit_and_html);
    tcase_add_test(tc, merge_cli_refuses_different_seeds);
    tcase_add_test(tc, merge_cli_refuses_shard_twice_and_bad_json);
    tcase_add_test(tc, merge_missing_shard_counted);
    tcase_add_test(tc, merge_model_rebuilds_results);
    tcase_add_test(tc, merge_several_operations_resummed);
    tcase_add_test(tc, merge_baseline_by_operation_equal_unsharded);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
