/* test_jsts2020.c — the schema validator in its OpenAPI 3.1 dialect against
 * the JSON Schema Test Suite (draft2020-12), converted by
 * tests/data/jsts2020/convert.py.
 *
 * Every case of tests/data/jsts2020/cases.json is placed in an OpenAPI 3.1.0
 * document as components/schemas/S and run; all mismatches are collected and
 * reported together (file: group / test), not just the first.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "manta/schema.h"
#include "manta/spec.h"
#include "testutil.h"
#include "util/buf.h"

#define JSTS_CASES MH_TEST_DATA "/jsts2020/cases.json"

/* The mismatch report: one line per case that went wrong. */
typedef mh__buf report;

static cJSON *load_table(void)
{
    size_t len = 0;
    char *text = tu_read_file(JSTS_CASES, &len);
    ck_assert_msg(text != NULL, "cannot read %s (run tests/data/jsts2020/convert.py)", JSTS_CASES);
    cJSON *table = cJSON_ParseWithLength(text, len);
    free(text);
    ck_assert_msg(table != NULL, "%s is not JSON", JSTS_CASES);
    return table;
}

static const char *str_member(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    ck_assert_msg(cJSON_IsString(v), "case member %s missing", name);
    return v->valuestring;
}

/* components/schemas/S in a minimal OpenAPI 3.1.0 document. */
static char *wrap_schema(const char *schema)
{
    const char *head = "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"jsts2020\",\"version\":\"1\"},"
                       "\"paths\":{},\"components\":{\"schemas\":{\"S\":";
    size_t n = strlen(head) + strlen(schema) + 8;
    char *doc = malloc(n);
    ck_assert_ptr_nonnull(doc);
    snprintf(doc, n, "%s%s}}}", head, schema);
    return doc;
}

/* Runs one case; returns 1 when our verdict matches, else appends why. */
static int run_case(const cJSON *c, report *r)
{
    const char *desc = str_member(c, "description");
    const char *data = str_member(c, "data");
    int want = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "valid"));
    char *doc = wrap_schema(str_member(c, "schema"));
    mh_spec *sp = NULL;
    mh_error err = {0};
    int ok = 0;
    if (mh_spec_load_buffer(doc, strlen(doc), "jsts2020", &sp, &err) != MH_OK) {
        mh__buf_addf(r, "  %s: spec did not load: %s (at %s)\n", desc, err.message, err.pointer);
        goto out;
    }
    ck_assert_int_eq(mh_spec_openapi_minor(sp), 1);
    const mh_schema *s = mh_spec_schema(sp, "S", &err);
    ck_assert_ptr_nonnull(s);
    cJSON *inst = NULL;
    mh_json_error je;
    if (mh_json_parse(data, strlen(data), NULL, &inst, &je) != MH_JSON_OK) {
        mh__buf_addf(r, "  %s: data %s did not parse: %s\n", desc, data, je.message);
        goto out;
    }
    mh_violations v = {0};
    size_t n = mh_schema_validate(s, inst, MH_DIR_RESPONSE, &v);
    ok = (n == 0) == want;
    if (!ok)
        mh__buf_addf(r, "  %s: data %s expected %s, got %zu violation(s)%s%s\n", desc, data,
                     want ? "valid" : "invalid", n, n ? ", first: " : "",
                     n ? v.items[0].message : "");
    mh_violations_free(&v);
    cJSON_Delete(inst);
out:
    mh_spec_free(sp);
    free(doc);
    return ok;
}

START_TEST(test_jsts2020_suite_matches)
{
    cJSON *table = load_table();
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(table, "cases");
    ck_assert(cJSON_IsArray(cases));
    int total = cJSON_GetArraySize(cases), passed = 0;
    /* A converter that silently drops everything must not pass. */
    ck_assert_int_ge(total, 900);
    report r = MH__BUF_INIT;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) passed += run_case(c, &r);
    ck_assert_msg(passed == total, "%d of %d JSON Schema Test Suite (2020-12) cases disagree:\n%s",
                  total - passed, total, r.p ? r.p : "");
    mh__buf_free(&r);
    cJSON_Delete(table);
}
END_TEST

/* The table's counts agree with its rows, so the reported numbers are real,
 * and every skip says why. */
START_TEST(test_jsts2020_counts_consistent)
{
    cJSON *table = load_table();
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(table, "counts");
    const char *lists[] = {"cases", "skipped", "expected_different"};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(counts, lists[i]);
        const cJSON *rows = cJSON_GetObjectItemCaseSensitive(table, lists[i]);
        ck_assert_msg(cJSON_IsNumber(n) && cJSON_IsArray(rows), "%s missing", lists[i]);
        ck_assert_int_eq(n->valueint, cJSON_GetArraySize(rows));
    }
    const char *with_reasons[] = {"skipped", "skipped_files", "expected_different"};
    for (size_t i = 0; i < sizeof with_reasons / sizeof *with_reasons; i++) {
        const cJSON *rows = cJSON_GetObjectItemCaseSensitive(table, with_reasons[i]);
        ck_assert_msg(cJSON_IsArray(rows), "%s missing", with_reasons[i]);
        const cJSON *row;
        cJSON_ArrayForEach(row, rows)
        {
            ck_assert_msg(str_member(row, "reason")[0] != '\0', "%s without a reason: %s",
                          with_reasons[i], str_member(row, "file"));
        }
    }
    cJSON_Delete(table);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("jsts2020");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_jsts2020_suite_matches);
    tcase_add_test(tc, test_jsts2020_counts_consistent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
