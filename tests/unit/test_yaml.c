/* test_yaml.c — YAML documents become the trees the strict JSON parser builds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "manta/yaml.h"
#include "testutil.h"
#include "util/buf.h"

/* YAML text -> the compact JSON its tree prints as (numbers by literal). */
typedef struct {
    const char *yaml;
    const char *json;
} accept_row;

static const accept_row accepts[] = {
    {"a: 1\nb: two\n", "{\"a\":1,\"b\":\"two\"}"},
    {"- 1\n- 2.5\n- -3e2\n", "[1,2.5,-3e2]"},
    {"n: ~\nm: null\no: NULL\np:\n", "{\"n\":null,\"m\":null,\"o\":null,\"p\":null}"},
    {"t: true\nf: False\ny: yes\nno: on\n", "{\"t\":true,\"f\":false,\"y\":\"yes\",\"no\":\"on\"}"},
    {"h: 0x1F\no: 0o17\nd: 0777\np: +12\n", "{\"h\":31,\"o\":15,\"d\":777,\"p\":12}"},
    {"a: 1.\nb: .5\nc: -.5e-3\n", "{\"a\":1.0,\"b\":0.5,\"c\":-0.5e-3}"},
    {"s: '123'\nd: \"true\"\ne: !!str 42\n", "{\"s\":\"123\",\"d\":\"true\",\"e\":\"42\"}"},
    {"200:\n  description: ok\n", "{\"200\":{\"description\":\"ok\"}}"},
    {"b: |\n  line1\n  line2\n", "{\"b\":\"line1\\nline2\\n\"}"},
    {"x: &a {k: v}\ny: *a\n", "{\"x\":{\"k\":\"v\"},\"y\":{\"k\":\"v\"}}"},
    {"base: &b {a: 1, b: 2}\nd:\n  <<: *b\n  b: 3\n",
     "{\"base\":{\"a\":1,\"b\":2},\"d\":{\"b\":3,\"a\":1}}"},
    {"l: [a, 'b c', {d: e}]\n", "{\"l\":[\"a\",\"b c\",{\"d\":\"e\"}]}"},
    {"u: \"caf\\u00e9 \\U0001F600\"\n", "{\"u\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}"},
    {"%YAML 1.2\n---\nopenapi: 3.1.0\n...\n", "{\"openapi\":\"3.1.0\"}"},
    {"# comment\nk: v # trailing\n", "{\"k\":\"v\"}"},
    {"v: 3.0.3\n", "{\"v\":\"3.0.3\"}"},
    {"big: 123456789012345678901234567890\n", "{\"big\":123456789012345678901234567890}"},
};

/* Prints n compactly with numbers as their literal (cJSON prints the double). */
static void print_into(const cJSON *n, mh__buf *b)
{
    if (cJSON_IsNumber(n) && n->valuestring) {
        mh__buf_adds(b, n->valuestring);
        return;
    }
    if (!cJSON_IsObject(n) && !cJSON_IsArray(n)) {
        char *piece = cJSON_PrintUnformatted(n);
        mh__buf_adds(b, piece);
        free(piece);
        return;
    }
    int obj = cJSON_IsObject(n);
    mh__buf_adds(b, obj ? "{" : "[");
    for (const cJSON *c = n->child; c; c = c->next) {
        if (c != n->child)
            mh__buf_adds(b, ",");
        if (obj) {
            char *k = mh_json_quote(c->string);
            mh__buf_adds(b, k);
            mh__buf_adds(b, ":");
            free(k);
        }
        print_into(c, b);
    }
    mh__buf_adds(b, obj ? "}" : "]");
}

static char *print_literal(const cJSON *n)
{
    mh__buf b = MH__BUF_INIT;
    print_into(n, &b);
    return mh__buf_take(&b, NULL);
}

START_TEST(yaml_parse_accepts_core_schema_table)
{
    const accept_row *r = &accepts[_i];
    cJSON *tree = NULL;
    mh_error err;
    mh_error_clear(&err);
    mh_status st = mh_yaml_parse(r->yaml, strlen(r->yaml), "t.yaml", &tree, &err);
    ck_assert_msg(st == MH_OK, "row %d: %s", _i, err.message);
    char *got = print_literal(tree);
    ck_assert_msg(strcmp(got, r->json) == 0, "row %d: got %s want %s", _i, got, r->json);
    free(got);
    cJSON_Delete(tree);
}
END_TEST

typedef struct {
    const char *yaml;
    int line, column;
    const char *needle;
} reject_row;

static const reject_row rejects[] = {
    {"a: 1\na: 2\n", 2, 1, "duplicate key"},
    {"a: [1, 2\n", 2, 1, "invalid YAML"},
    {"a: .inf\n", 1, 4, "no JSON equivalent"},
    {"a: 1\n---\nb: 2\n", 2, 1, "more than one document"},
    {"", 1, 1, "empty"},
    {"? [a, b]\n: c\n", 1, 3, "keys must be scalars"},
    {"a: !!int abc\n", 1, 4, "does not match its tag"},
    {"x: *missing\n", 1, 4, "unknown anchor *missing"},
    {"a:\tb\n  c: d\n", 0, 0, "invalid YAML"},
};

START_TEST(yaml_parse_rejects_with_location)
{
    const reject_row *r = &rejects[_i];
    cJSON *tree = (cJSON *)1;
    mh_error err;
    mh_error_clear(&err);
    mh_status st = mh_yaml_parse(r->yaml, strlen(r->yaml), "bad.yaml", &tree, &err);
    ck_assert_msg(st == MH_ERR_YAML, "row %d: status %s", _i, mh_status_name(st));
    ck_assert_ptr_null(tree);
    ck_assert_msg(strstr(err.message, r->needle), "row %d: %s", _i, err.message);
    ck_assert_str_eq(err.file, "bad.yaml");
    if (r->line) {
        ck_assert_msg(err.line == r->line && err.column == r->column, "row %d: at %d:%d", _i,
                      err.line, err.column);
    }
}
END_TEST

START_TEST(yaml_parse_stops_billion_laughs)
{
    /* Nine levels of ten aliases each: 10^9 nodes if expanded. */
    char doc[4096];
    size_t n = (size_t)snprintf(doc, sizeof doc, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n,
                              "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, "
                              "*a%d]\n",
                              i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                              i - 1);
    cJSON *tree = NULL;
    mh_error err;
    mh_error_clear(&err);
    ck_assert_int_eq(mh_yaml_parse(doc, n, "lol.yaml", &tree, &err), MH_ERR_YAML);
    ck_assert_msg(strstr(err.message, "aliases expand"), "%s", err.message);
}
END_TEST

START_TEST(yaml_parse_stops_deep_nesting)
{
    size_t depth = 100000;
    char *doc = malloc(depth * 2 + 1);
    memset(doc, '[', depth);
    memset(doc + depth, ']', depth);
    doc[depth * 2] = '\0';
    cJSON *tree = NULL;
    mh_error err;
    mh_error_clear(&err);
    mh_status st = mh_yaml_parse(doc, depth * 2, "deep.yaml", &tree, &err);
    ck_assert_int_ne(st, MH_OK);
    ck_assert_ptr_null(tree);
    free(doc);
}
END_TEST

START_TEST(yaml_nul_escape_is_modified_utf8)
{
    const char *doc = "s: \"a\\0b\"\n";
    cJSON *tree = NULL;
    ck_assert_int_eq(mh_yaml_parse(doc, strlen(doc), NULL, &tree, NULL), MH_OK);
    const cJSON *s = mh_json_get(tree, "s");
    ck_assert_str_eq(s->valuestring, "a\xC0\x80"
                                     "b");
    ck_assert_int_eq(mh_json_utf8_length(s->valuestring), 3);
    cJSON_Delete(tree);
}
END_TEST

START_TEST(yaml_numbers_are_exact_integers)
{
    const char *doc = "a: 1.0\nb: 1e2\nc: 1.5\n";
    cJSON *tree = NULL;
    ck_assert_int_eq(mh_yaml_parse(doc, strlen(doc), NULL, &tree, NULL), MH_OK);
    ck_assert_int_eq(mh_json_is_integer(mh_json_get(tree, "a")), 1);
    ck_assert_int_eq(mh_json_is_integer(mh_json_get(tree, "b")), 1);
    ck_assert_int_eq(mh_json_is_integer(mh_json_get(tree, "c")), 0);
    cJSON_Delete(tree);
}
END_TEST

START_TEST(yaml_looks_like_json_by_content)
{
    ck_assert_int_eq(mh_yaml_looks_like_json(" \n{\"a\":1}", 9), 1);
    ck_assert_int_eq(mh_yaml_looks_like_json("[1]", 3), 1);
    ck_assert_int_eq(mh_yaml_looks_like_json("openapi: 3.1.0", 14), 0);
    ck_assert_int_eq(mh_yaml_looks_like_json("", 0), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("yaml");
    TCase *tc = tcase_create("yaml");
    tcase_add_loop_test(tc, yaml_parse_accepts_core_schema_table, 0,
                        (int)(sizeof accepts / sizeof accepts[0]));
    tcase_add_loop_test(tc, yaml_parse_rejects_with_location, 0,
                        (int)(sizeof rejects / sizeof rejects[0]));
    tcase_add_test(tc, yaml_parse_stops_billion_laughs);
    tcase_add_test(tc, yaml_parse_stops_deep_nesting);
    tcase_add_test(tc, yaml_nul_escape_is_modified_utf8);
    tcase_add_test(tc, yaml_numbers_are_exact_integers);
    tcase_add_test(tc, yaml_looks_like_json_by_content);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
