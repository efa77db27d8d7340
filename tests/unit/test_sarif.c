/* test_sarif.c — the SARIF 2.1.0 report against the schema's required
 * fields and what GitHub code scanning's upload needs: version, $schema,
 * runs[].tool.driver.name, rules with ids, results[].message.text, ruleId
 * and ruleIndex consistent with the rules, level in the enum,
 * locations[].physicalLocation.artifactLocation.uri, region.startLine >= 1,
 * stable partialFingerprints, security tags, redaction. */
#include "testutil.h"
#include "tu_tmp.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manta/baseline.h"
#include "manta/json_strict.h"
#include "manta/model.h"
#include "manta/redact.h"
#include "manta/report.h"

#define SECRET "sarif-s3cret-value"

static const mh_operation op = {.method = "POST",
                                .path = "/openapi/personalTag",
                                .id = "POST /openapi/personalTag",
                                .path_line = 141};
static const mh_operation op_unknown_line = {
    .method = "POST", .path = "/x", .id = "POST /x", .path_line = 0};

enum { N = 4 };
static mh_result rs[N];
static mh_redactor *red;

static void mk(mh_result *r, const char *id, const mh_operation *o, mh_outcome out)
{
    memset(r, 0, sizeof *r);
    r->kase = mh_case_new();
    r->kase->id = strdup(id);
    r->kase->op = o;
    r->kase->method = strdup("POST");
    r->kase->target = strdup(o->path);
    r->outcome = out;
}

static void setup(void)
{
    red = mh_redactor_new();
    ck_assert_int_eq(mh_redactor_add(red, SECRET, "$MANTA_SECRET"), 0);
    mk(&rs[0], "malformed/name-wrong-type-number", &op, MH_OUTCOME_FAILED);
    mh_result_add_finding(&rs[0], MH_CHECK_NEGATIVE_DATA_REJECTION, "",
                          "expected 4xx, got 200 echoing " SECRET);
    mh_result_add_finding(&rs[0], MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE, "/message",
                          "required property missing \xff(invalid utf-8)");
    mk(&rs[1], "auth/no-authorization", &op, MH_OUTCOME_FAILED);
    mh_result_add_finding(&rs[1], MH_CHECK_IGNORED_AUTH, "", "accepted without a token");
    mk(&rs[2], "methods/get", &op_unknown_line, MH_OUTCOME_WARNING);
    mh_result_add_finding(&rs[2], MH_CHECK_UNSUPPORTED_METHOD, "", "GET got 200");
    mh_result_add_finding_named(&rs[2], "custom_future_check", MH_SEV_WARNING, "",
                                "not in the table");
    mk(&rs[3], "valid/ascii", &op, MH_OUTCOME_PASSED);
}

static void teardown(void)
{
    for (int i = 0; i < N; i++)
        mh_result_clear(&rs[i]);
    mh_redactor_free(red);
}

static cJSON *write_sarif(const mh_run *run, char **text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mh_error err;
    ck_assert_int_eq(mh_report_sarif_write(run, f, &err), MH_OK);
    ck_assert_int_eq(fclose(f), 0);
    cJSON *doc = NULL;
    mh_json_error je;
    ck_assert_msg(mh_json_parse(buf, len, NULL, &doc, &je) == MH_JSON_OK, "not strict JSON: %s",
                  je.message);
    if (text)
        *text = buf;
    else
        free(buf);
    return doc;
}

static mh_run base_run(const char *spec)
{
    return (mh_run){.tool_version = "0.1.0",
                    .spec_path = spec,
                    .base_url = "http://127.0.0.1:1",
                    .results = rs,
                    .result_count = N,
                    .redactor = red};
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = mh_json_get(o, k);
    ck_assert_msg(cJSON_IsString(v), "member %s must be a string", k);
    return v->valuestring;
}

/* The checks a code-scanning upload needs, applied to every result. */
static void validate_required(const cJSON *doc, size_t expected_results)
{
    ck_assert_str_eq(str(doc, "version"), "2.1.0");
    ck_assert_ptr_nonnull(strstr(str(doc, "$schema"), "sarif-schema-2.1.0"));
    const cJSON *runs = mh_json_get(doc, "runs");
    ck_assert(cJSON_IsArray(runs));
    ck_assert_int_eq(cJSON_GetArraySize(runs), 1);
    const cJSON *driver = mh_json_get(mh_json_get(runs->child, "tool"), "driver");
    ck_assert_str_eq(str(driver, "name"), "manta-harness");
    ck_assert_str_eq(str(driver, "version"), "0.1.0");
    ck_assert_ptr_nonnull(strstr(str(driver, "informationUri"), "://"));
    const cJSON *rules = mh_json_get(driver, "rules");
    ck_assert(cJSON_IsArray(rules));
    int nrules = cJSON_GetArraySize(rules);
    for (int i = 0; i < nrules; i++) {
        const cJSON *r = cJSON_GetArrayItem(rules, i);
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(str(r, "id"), str(cJSON_GetArrayItem(rules, j), "id"));
        ck_assert(strlen(str(mh_json_get(r, "shortDescription"), "text")) > 0);
        const char *lvl = str(mh_json_get(r, "defaultConfiguration"), "level");
        ck_assert(strcmp(lvl, "error") == 0 || strcmp(lvl, "warning") == 0);
    }
    const cJSON *results = mh_json_get(runs->child, "results");
    ck_assert(cJSON_IsArray(results));
    ck_assert_int_eq(cJSON_GetArraySize(results), (int)expected_results);
    for (const cJSON *r = results->child; r; r = r->next) {
        const cJSON *idx = mh_json_get(r, "ruleIndex");
        ck_assert(cJSON_IsNumber(idx) && mh_json_is_integer(idx));
        ck_assert_int_ge(idx->valueint, 0);
        ck_assert_int_lt(idx->valueint, nrules);
        ck_assert_str_eq(str(r, "ruleId"), str(cJSON_GetArrayItem(rules, idx->valueint), "id"));
        const char *lvl = str(r, "level");
        ck_assert(strcmp(lvl, "error") == 0 || strcmp(lvl, "warning") == 0 ||
                  strcmp(lvl, "note") == 0 || strcmp(lvl, "none") == 0);
        ck_assert(strlen(str(mh_json_get(r, "message"), "text")) > 0);
        const cJSON *locs = mh_json_get(r, "locations");
        ck_assert_int_ge(cJSON_GetArraySize(locs), 1);
        const cJSON *phys = mh_json_get(locs->child, "physicalLocation");
        ck_assert(strlen(str(mh_json_get(phys, "artifactLocation"), "uri")) > 0);
        const cJSON *line = mh_json_get(mh_json_get(phys, "region"), "startLine");
        ck_assert(cJSON_IsNumber(line) && line->valueint >= 1);
        const cJSON *fp = mh_json_get(r, "partialFingerprints");
        ck_assert(cJSON_IsObject(fp) && fp->child && cJSON_IsString(fp->child));
    }
}

static const cJSON *result_at(const cJSON *doc, int i)
{
    return cJSON_GetArrayItem(mh_json_get(mh_json_get(doc, "runs")->child, "results"), i);
}

START_TEST(sarif_write_has_required_fields)
{
    mh_run run = base_run("contracts/manta-openapi.json");
    cJSON *doc = write_sarif(&run, NULL);
    validate_required(doc, 5);
    /* One result per finding, in order, pointing at the operation's line. */
    const cJSON *r0 = result_at(doc, 0);
    ck_assert_str_eq(str(r0, "ruleId"), "negative_data_rejection");
    ck_assert_str_eq(str(r0, "level"), "error");
    const cJSON *phys = mh_json_get(mh_json_get(r0, "locations")->child, "physicalLocation");
    ck_assert_str_eq(str(mh_json_get(phys, "artifactLocation"), "uri"),
                     "contracts/manta-openapi.json");
    ck_assert_int_eq(mh_json_get(mh_json_get(phys, "region"), "startLine")->valueint, 141);
    ck_assert_str_eq(str(result_at(doc, 3), "level"), "warning");
    /* No known line: still a valid region. */
    const cJSON *p3 =
        mh_json_get(mh_json_get(result_at(doc, 3), "locations")->child, "physicalLocation");
    ck_assert_int_eq(mh_json_get(mh_json_get(p3, "region"), "startLine")->valueint, 1);
    /* No baseline: no baselineState. */
    ck_assert_ptr_null(mh_json_get(r0, "baselineState"));
    cJSON_Delete(doc);
}
END_TEST

START_TEST(sarif_rules_tag_security_checks)
{
    mh_run run = base_run("spec.json");
    cJSON *doc = write_sarif(&run, NULL);
    const cJSON *rules = mh_json_get(
        mh_json_get(mh_json_get(mh_json_get(doc, "runs")->child, "tool"), "driver"), "rules");
    /* Every check of the table is a rule, in table order, then unknown ones. */
    ck_assert_int_eq(cJSON_GetArraySize(rules), (int)mh_check_count + 1);
    static const char *const security[] = {"ignored_auth", "sensitive_data_exposure",
                                           "not_a_server_error", "transport_error"};
    for (size_t i = 0; i < mh_check_count; i++) {
        const cJSON *r = cJSON_GetArrayItem(rules, (int)i);
        ck_assert_str_eq(str(r, "id"), mh_checks[i].name);
        ck_assert_str_eq(str(mh_json_get(r, "defaultConfiguration"), "level"),
                         mh_checks[i].severity == MH_SEV_ERROR ? "error" : "warning");
        int want = 0, has = 0;
        for (size_t k = 0; k < 4; k++)
            want |= strcmp(security[k], mh_checks[i].name) == 0;
        const cJSON *tags = mh_json_get(mh_json_get(r, "properties"), "tags");
        for (const cJSON *t = tags ? tags->child : NULL; t; t = t->next)
            has |= strcmp(t->valuestring, "security") == 0;
        ck_assert_msg(want == has, "rule %s: security tag %d, expected %d", mh_checks[i].name, has,
                      want);
    }
    ck_assert_str_eq(str(cJSON_GetArrayItem(rules, (int)mh_check_count), "id"),
                     "custom_future_check");
    cJSON_Delete(doc);
}
END_TEST

START_TEST(sarif_messages_redacted_and_valid_utf8)
{
    mh_run run = base_run("spec.json");
    char *text = NULL;
    cJSON *doc = write_sarif(&run, &text); /* strict parse: valid UTF-8 */
    ck_assert_ptr_null(strstr(text, SECRET));
    const char *m0 = str(mh_json_get(result_at(doc, 0), "message"), "text");
    ck_assert_ptr_nonnull(strstr(m0, "$MANTA_SECRET"));
    ck_assert_ptr_nonnull(strstr(m0, "malformed/name-wrong-type-number"));
    const char *m1 = str(mh_json_get(result_at(doc, 1), "message"), "text");
    ck_assert_ptr_nonnull(strstr(m1, "/message")); /* the pointer is named */
    ck_assert_ptr_nonnull(strstr(m1, "\xEF\xBF\xBD"));
    free(text);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(sarif_fingerprints_stable_and_distinct)
{
    mh_run run = base_run("spec.json");
    cJSON *a = write_sarif(&run, NULL);
    /* Messages and timings change; fingerprints must not. */
    free(rs[0].findings[0].message);
    rs[0].findings[0].message = strdup("a different message");
    rs[0].exchange.elapsed_ms = 999;
    cJSON *b = write_sarif(&run, NULL);
    for (int i = 0; i < 5; i++) {
        const char *fa = mh_json_get(result_at(a, i), "partialFingerprints")->child->valuestring;
        const char *fb = mh_json_get(result_at(b, i), "partialFingerprints")->child->valuestring;
        ck_assert_str_eq(fa, fb);
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(
                fa, mh_json_get(result_at(a, j), "partialFingerprints")->child->valuestring);
    }
    const cJSON *fp = mh_json_get(result_at(a, 0), "partialFingerprints")->child;
    ck_assert_str_eq(fp->string, "mantaHarnessFinding/v2");
    ck_assert_str_eq(fp->valuestring, "POST /openapi/personalTag|malformed/name-wrong-type-number|"
                                      "negative_data_rejection");
    cJSON_Delete(a);
    cJSON_Delete(b);
}
END_TEST

/* Case ids are unique only within their operation: the same case and check
 * in two operations are two alerts, each message naming its operation; a
 * skipped case (never sent) gives no result even if a finding were on it. */
START_TEST(sarif_operation_in_identity_skipped_no_result)
{
    static const mh_operation other = {.method = "POST",
                                       .path = "/openapi/personalTag",
                                       .id = "PATCH /openapi/personalTag",
                                       .path_line = 141};
    mh_result two[3];
    mk(&two[0], "methods/x", &op, MH_OUTCOME_WARNING);
    mh_result_add_finding(&two[0], MH_CHECK_UNSUPPORTED_METHOD, "", "got 200");
    mk(&two[1], "methods/x", &other, MH_OUTCOME_WARNING);
    mh_result_add_finding(&two[1], MH_CHECK_UNSUPPORTED_METHOD, "", "got 200");
    mk(&two[2], "valid/skipped", &op, MH_OUTCOME_SKIPPED);
    two[2].kase->skip_reason = strdup("no credentials");
    mh_result_add_finding(&two[2], MH_CHECK_NOT_A_SERVER_ERROR, "", "never sent");
    mh_run run = base_run("spec.json");
    run.results = two;
    run.result_count = 3;
    cJSON *doc = write_sarif(&run, NULL);
    validate_required(doc, 2);
    const char *f0 = mh_json_get(result_at(doc, 0), "partialFingerprints")->child->valuestring;
    const char *f1 = mh_json_get(result_at(doc, 1), "partialFingerprints")->child->valuestring;
    ck_assert_str_ne(f0, f1);
    ck_assert_str_eq(f1, "PATCH /openapi/personalTag|methods/x|unsupported_method");
    ck_assert_str_eq(str(mh_json_get(result_at(doc, 0), "message"), "text"),
                     "unsupported_method: POST /openapi/personalTag case methods/x: got 200");
    cJSON_Delete(doc);
    for (int i = 0; i < 3; i++)
        mh_result_clear(&two[i]);
}
END_TEST

START_TEST(sarif_uri_relative_under_cwd_else_file_uri)
{
    char cwd[PATH_MAX], abs[PATH_MAX + 64];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    snprintf(abs, sizeof abs, "%s/contracts/my spec.json", cwd);
    mh_run run = base_run(abs);
    cJSON *doc = write_sarif(&run, NULL);
    const cJSON *art = mh_json_get(
        mh_json_get(mh_json_get(result_at(doc, 0), "locations")->child, "physicalLocation"),
        "artifactLocation");
    ck_assert_str_eq(str(art, "uri"), "contracts/my%20spec.json");
    ck_assert_str_eq(str(art, "uriBaseId"), "%SRCROOT%");
    cJSON_Delete(doc);

    run.spec_path = "/nonexistent-root-dir/x.json";
    doc = write_sarif(&run, NULL);
    art = mh_json_get(
        mh_json_get(mh_json_get(result_at(doc, 0), "locations")->child, "physicalLocation"),
        "artifactLocation");
    ck_assert_str_eq(str(art, "uri"), "file:///nonexistent-root-dir/x.json");
    ck_assert_ptr_null(mh_json_get(art, "uriBaseId"));
    cJSON_Delete(doc);

    run.spec_path = "./contracts/a.json";
    doc = write_sarif(&run, NULL);
    art = mh_json_get(
        mh_json_get(mh_json_get(result_at(doc, 0), "locations")->child, "physicalLocation"),
        "artifactLocation");
    ck_assert_str_eq(str(art, "uri"), "contracts/a.json");
    cJSON_Delete(doc);
}
END_TEST

START_TEST(sarif_baseline_state_new_or_unchanged)
{
    static const char listed[] =
        "{\"tool\":\"manta-harness\",\"version\":1,\"findings\":["
        "{\"case\":\"auth/no-authorization\",\"check\":\"ignored_auth\"}]}";
    mh_baseline *b = NULL;
    mh_error err;
    ck_assert_int_eq(mh_baseline_parse(listed, strlen(listed), "b", &b, &err), MH_OK);
    mh_baseline_diff d;
    ck_assert_int_eq(mh_baseline_apply(b, rs, N, &d, &err), MH_OK);
    mh_run run = base_run("spec.json");
    run.baseline = &d;
    cJSON *doc = write_sarif(&run, NULL);
    validate_required(doc, 5);
    ck_assert_str_eq(str(result_at(doc, 0), "baselineState"), "new");
    ck_assert_str_eq(str(result_at(doc, 2), "baselineState"), "unchanged");
    cJSON_Delete(doc);
    mh_baseline_diff_clear(&d);
    mh_baseline_free(b);
}
END_TEST

START_TEST(sarif_report_write_to_file)
{
    tu_tmp tmp;
    tu_tmp_init(&tmp, "sarif");
    char path[128];
    snprintf(path, sizeof path, "%s/sub/gate.sarif", tmp.dir);
    mh_report_target t = {MH_REPORT_SARIF, path};
    mh_run run = base_run("spec.json");
    mh_error err;
    ck_assert_int_eq(mh_report_write(&run, &t, &err), MH_OK);
    size_t len;
    char *text = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(text);
    cJSON *doc = NULL;
    ck_assert_int_eq(mh_json_parse(text, len, NULL, &doc, NULL), MH_JSON_OK);
    validate_required(doc, 5);
    cJSON_Delete(doc);
    free(text);
    /* An empty run is still a valid document with no results. */
    run.result_count = 0;
    doc = write_sarif(&run, NULL);
    validate_required(doc, 0);
    cJSON_Delete(doc);
    ck_assert_int_eq(tu_tmp_free(&tmp), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("sarif");
    TCase *tc = tcase_create("sarif");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, sarif_write_has_required_fields);
    tcase_add_test(tc, sarif_rules_tag_security_checks);
    tcase_add_test(tc, sarif_messages_redacted_and_valid_utf8);
    tcase_add_test(tc, sarif_fingerprints_stable_and_distinct);
    tcase_add_test(tc, sarif_operation_in_identity_skipped_no_result);
    tcase_add_test(tc, sarif_uri_relative_under_cwd_else_file_uri);
    tcase_add_test(tc, sarif_baseline_state_new_or_unchanged);
    tcase_add_test(tc, sarif_report_write_to_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
