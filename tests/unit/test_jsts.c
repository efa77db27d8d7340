/* test_jsts.c — the schema validator against the JSON Schema Test Suite
 * (draft 4), converted to OpenAPI 3.0 by tests/data/jsts/convert.py.
 *
 * Every case of tests/data/jsts/cases.json is run; all mismatches are
 * collected and reported together (file: group / test), not just the first.
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

#define JSTS_CASES MH_TEST_DATA "/jsts/cases.json"

/* The mismatch report: one line per case that went wrong. */
typedef mh__buf report;

static cJSON *load_table(void)
{
    size_t len = 0;
    char *text = tu_read_file(JSTS_CASES, &len);
    ck_assert_msg(text != NULL, "cannot read %s (run tests/data/jsts/convert.py)", JSTS_CASES);
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

/* components/schemas/S plus the definitions (an object's JSON text whose
 * members become sibling components) in a minimal OpenAPI 3.0.3 document. */
static char *wrap_schema(const char *schema, const char *defs)
{
    const char *head = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"jsts\",\"version\":\"1\"},"
                       "\"paths\":{},\"components\":{\"schemas\":{\"S\":";
    size_t dlen = strlen(defs);
    ck_assert_msg(dlen >= 2 && defs[0] == '{' && defs[dlen - 1] == '}', "bad definitions %s", defs);
    size_t n = strlen(head) + strlen(schema) + dlen + 8;
    char *doc = malloc(n);
    ck_assert_ptr_nonnull(doc);
    /* The definitions' members without their braces, after a comma. */
    snprintf(doc, n, "%s%s%s%.*s}}}", head, schema, dlen > 2 ? "," : "", (int)(dlen - 2), defs + 1);
    return doc;
}

/* Runs one case; returns 1 when our verdict matches, else appends why. */
static int run_case(const cJSON *c, report *r)
{
    const char *desc = str_member(c, "description");
    const char *data = str_member(c, "data");
    int want = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "valid"));
    char *doc = wrap_schema(str_member(c, "schema"), str_member(c, "definitions"));
    mh_spec *sp = NULL;
    mh_error err = {0};
    int ok = 0;
    if (mh_spec_load_buffer(doc, strlen(doc), "jsts", &sp, &err) != MH_OK) {
        mh__buf_addf(r, "  %s: spec did not load: %s\n", desc, err.message);
        goto out;
    }
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

START_TEST(test_jsts_suite_matches)
{
    cJSON *table = load_table();
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(table, "cases");
    ck_assert(cJSON_IsArray(cases));
    int total = cJSON_GetArraySize(cases), passed = 0;
    /* A converter that silently drops everything must not pass. */
    ck_assert_int_ge(total, 300);
    report r = MH__BUF_INIT;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) passed += run_case(c, &r);
    ck_assert_msg(passed == total, "%d of %d JSON Schema Test Suite cases disagree:\n%s",
                  total - passed, total, r.p ? r.p : "");
    mh__buf_free(&r);
    cJSON_Delete(table);
}
END_TEST

/* The table's counts agree with its rows, so the reported numbers are real. */
START_TEST(test_jsts_counts_consistent)
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
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(table, "skipped"))
    {
        ck_assert_msg(str_member(row, "reason")[0] != '\0', "skip without a reason: %s",
                      str_member(row, "test"));
    }
    cJSON_Delete(table);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("jsts");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_jsts_suite_matches);
    tcase_add_test(tc, test_jsts_counts_consistent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
