/* test_cli_validate.c — `manta-harness validate` end to end: exact output
 * lines and exit codes (0 valid, 1 invalid, 2 usage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define V MH_TEST_DATA "/validate/"
#define OP "POST /openapi/personalTag"

typedef struct {
    int rc;
    char *out;
    char *err;
} run_result;

static run_result run(const char *const *argv, const char *input)
{
    run_result r = {0, NULL, NULL};
    r.rc = tu_run_cli(argv, input, &r.out, &r.err, 30);
    ck_assert_ptr_nonnull(r.out);
    ck_assert_ptr_nonnull(r.err);
    return r;
}

static void done(run_result *r)
{
    free(r->out);
    free(r->err);
}

/* Runs argv and asserts the exit status and the whole stdout. */
static void expect(const char *const *argv, const char *input, int rc, const char *out)
{
    run_result r = run(argv, input);
    ck_assert_msg(r.rc == rc, "exit %d, expected %d; stdout: %s; stderr: %s", r.rc, rc, r.out,
                  r.err);
    ck_assert_str_eq(r.out, out);
    done(&r);
}

/* Runs argv and asserts exit 2, empty stdout and a stderr line with `needle`. */
static void expect_usage(const char *const *argv, const char *input, const char *needle)
{
    run_result r = run(argv, input);
    ck_assert_msg(r.rc == 2, "exit %d, expected 2; stderr: %s", r.rc, r.err);
    ck_assert_str_eq(r.out, "");
    ck_assert_msg(strstr(r.err, needle) != NULL, "stderr lacks '%s': %s", needle, r.err);
    ck_assert_msg(strncmp(r.err, "manta-harness validate: ", 24) == 0, "stderr: %s", r.err);
    ck_assert_msg(strchr(r.err, '\n') == r.err + strlen(r.err) - 1, "not one line: %s", r.err);
    done(&r);
}

START_TEST(cli_validate_schema_valid_exit0)
{
    const char *a[] = {"mh",
                       "validate",
                       "--spec",
                       MH_TEST_SPEC,
                       "--schema",
                       "BasicSuccessResponse",
                       V "success-ok.json",
                       NULL};
    expect(a, NULL, 0, "");
    const char *b[] = {"mh", "validate", "--schema=ErrorResponse", V "error-403.json", NULL};
    expect(b, NULL, 0, "");
}
END_TEST

START_TEST(cli_validate_schema_invalid_exit1)
{
    const char *a[] = {"mh",
                       "validate",
                       "--spec",
                       MH_TEST_SPEC,
                       "--schema",
                       "ErrorResponse",
                       V "error-bad-code.json",
                       NULL};
    expect(a, NULL, 1,
           "response_schema_conformance: /errResponse/code: expected integer, got string\n");
    /* A missing required member is reported at the object holding it (the
     * root is the empty pointer). */
    const char *b[] = {
        "mh", "validate", "--schema", "BasicSuccessResponse", V "missing-message.json", NULL};
    expect(b, NULL, 1, "response_schema_conformance: : missing required property \"message\"\n");
    /* Every violation is one line. */
    const char *c[] = {"mh", "validate", "--schema", "BasicSuccessResponse", NULL};
    expect(c, "{\"success\":\"no\",\"message\":7}", 1,
           "response_schema_conformance: /success: expected boolean, got string\n"
           "response_schema_conformance: /message: expected string, got integer\n");
}
END_TEST

START_TEST(cli_validate_stdin_read)
{
    const char *a[] = {"mh", "validate", "--schema", "BasicSuccessResponse", NULL};
    expect(a, "{\"success\":true,\"message\":\"m\"}", 0, "");
    const char *b[] = {"mh", "validate", "--schema", "BasicSuccessResponse", "-", NULL};
    expect(b, "{\"success\":true,\"message\":\"m\"}", 0, "");
    run_result r = run(b, "{\"success\":1,\"message\":\"m\"}");
    ck_assert_int_eq(r.rc, 1);
    ck_assert_msg(strncmp(r.out, "response_schema_conformance: /success: ", 39) == 0, "stdout: %s",
                  r.out);
    done(&r);
}
END_TEST

START_TEST(cli_validate_not_strict_json_exit1)
{
    static const struct {
        const char *file;
        const char *line;
    } cases[] = {
        {V "trailing-data.json", "response_schema_conformance: : expected strict RFC 8259 JSON, "
                                 "got trailing_data at 1:38: "},
        {V "bom.json", "response_schema_conformance: : expected strict RFC 8259 JSON, got bom at "
                       "1:1: byte-order mark before the value\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *a[] = {"mh",          "validate", "--schema", "BasicSuccessResponse",
                           cases[i].file, NULL};
        run_result r = run(a, NULL);
        ck_assert_int_eq(r.rc, 1);
        ck_assert_msg(strncmp(r.out, cases[i].line, strlen(cases[i].line)) == 0, "stdout: %s",
                      r.out);
        done(&r);
    }
    const char *b[] = {"mh", "validate", "--schema", "ErrorResponse", NULL};
    expect(b, "{\"success\":false,\"success\":false}", 1,
           "response_schema_conformance: : expected strict RFC 8259 JSON, got duplicate_key at "
           "1:18: duplicate key \"success\"\n");
    expect(b, "", 1,
           "response_schema_conformance: : expected strict RFC 8259 JSON, got empty at 1:1: no "
           "value (empty input)\n");
}
END_TEST

START_TEST(cli_validate_operation_valid_exit0)
{
    const char *a[] = {"mh",       "validate", "--operation",       OP,
                       "--status", "200",      V "success-ok.json", NULL};
    expect(a, NULL, 0, "");
    const char *b[] = {"mh",
                       "validate",
                       "--operation",
                       OP,
                       "--status",
                       "403",
                       "--content-type",
                       "application/json; charset=utf-8",
                       V "error-403.json",
                       NULL};
    expect(b, NULL, 0, "");
    const char *c[] = {"mh",       "validate", "--operation", "post /openapi/personalTag",
                       "--status", "429",      NULL};
    expect(c, "{\"success\":false,\"errResponse\":{\"message\":\"slow\",\"code\":429}}", 0, "");
}
END_TEST

START_TEST(cli_validate_operation_invalid_exit1)
{
    const char *a[] = {"mh",       "validate", "--operation",           OP,
                       "--status", "403",      V "error-bad-code.json", NULL};
    expect(a, NULL, 1,
           "response_schema_conformance: /errResponse/code: expected integer, got string\n");
    /* The success schema does not fit an error body. */
    const char *b[] = {"mh",       "validate", "--operation",      OP,
                       "--status", "200",      V "error-403.json", NULL};
    run_result r = run(b, NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_ptr_nonnull(
        strstr(r.out, "response_schema_conformance: : missing required property \"message\"\n"));
    done(&r);
}
END_TEST

START_TEST(cli_validate_undeclared_status_reported)
{
    const char *a[] = {"mh",       "validate", "--operation",      OP,
                       "--status", "418",      V "error-403.json", NULL};
    expect(a, NULL, 1,
           "status_code_conformance: : expected a declared status (200, 401, 403, 404, 429, 500) "
           "for POST /openapi/personalTag, got 418\n");
}
END_TEST

START_TEST(cli_validate_wrong_content_type_reported)
{
    const char *a[] = {
        "mh",        "validate",          "--operation", OP, "--status", "200", "--content-type",
        "text/html", V "success-ok.json", NULL};
    expect(a, NULL, 1,
           "content_type_conformance: : expected Content-Type application/json for status 200, "
           "got text/html\n");
    const char *b[] = {
        "mh", "validate",          "--operation", OP, "--status", "200", "--content-type",
        "",   V "success-ok.json", NULL};
    expect(b, NULL, 1,
           "content_type_conformance: : expected Content-Type application/json for status 200, "
           "got no Content-Type\n");
}
END_TEST

START_TEST(cli_validate_usage_errors_exit2)
{
    const char *none[] = {"mh", "validate", NULL};
    expect_usage(none, "", "--schema");
    const char *unknown[] = {"mh", "validate", "--schema", "ErrorResponse", "--bogus", NULL};
    expect_usage(unknown, "", "'--bogus'");
    const char *both[] = {"mh",       "validate", "--schema", "ErrorResponse", "--operation", OP,
                          "--status", "200",      NULL};
    expect_usage(both, "", "exclusive");
    const char *nostatus[] = {"mh", "validate", "--operation", OP, NULL};
    expect_usage(nostatus, "", "--status");
    const char *badstatus[] = {"mh", "validate", "--operation", OP, "--status", "2x0", NULL};
    expect_usage(badstatus, "", "--status");
    const char *range[] = {"mh", "validate", "--operation", OP, "--status", "600", NULL};
    expect_usage(range, "", "--status");
    const char *novalue[] = {"mh", "validate", "--schema", NULL};
    expect_usage(novalue, "", "--schema needs a value");
    const char *stray[] = {"mh", "validate", "--schema", "ErrorResponse", "--status", "200", NULL};
    expect_usage(stray, "", "--status");
    const char *twofiles[] = {"mh",     "validate", "--schema", "ErrorResponse",
                              "a.json", "b.json",   NULL};
    expect_usage(twofiles, "", "one FILE");
}
END_TEST

START_TEST(cli_validate_unknown_names_exit2)
{
    const char *schema[] = {"mh", "validate", "--schema", "NoSuchSchema", V "error-403.json", NULL};
    expect_usage(schema, NULL, "--schema");
    run_result r = run(schema, NULL);
    ck_assert_ptr_nonnull(strstr(r.err, "NoSuchSchema"));
    done(&r);
    const char *op[] = {"mh",       "validate", "--operation",      "GET /nowhere",
                        "--status", "200",      V "error-403.json", NULL};
    expect_usage(op, NULL, "--operation");
    r = run(op, NULL);
    ck_assert_ptr_nonnull(strstr(r.err, "GET /nowhere"));
    done(&r);
}
END_TEST

START_TEST(cli_validate_unreadable_inputs_exit2)
{
    const char *file[] = {"mh", "validate", "--schema", "ErrorResponse", V "does-not-exist.json",
                          NULL};
    expect_usage(file, NULL, "cannot read " V "does-not-exist.json");
    const char *dir[] = {"mh", "validate", "--schema", "ErrorResponse", V, NULL};
    expect_usage(dir, NULL, "cannot read");
    const char *spec[] = {"mh", "validate", "--spec", V "no-spec.json", "--schema", "X", NULL};
    expect_usage(spec, "", "no-spec.json");
    const char *bad[] = {"mh", "validate", "--spec", V "bad-spec.json", "--schema", "X", NULL};
    expect_usage(bad, "", "bad-spec.json:");
}
END_TEST

START_TEST(cli_validate_binary_input_nul_byte)
{
    const char *a[] = {"mh", "validate", "--schema", "BasicSuccessResponse", V "nul-byte.json",
                       NULL};
    expect(a, NULL, 1,
           "response_schema_conformance: : expected strict RFC 8259 JSON, got nul_byte at 1:29: "
           "raw NUL byte in a string\n");
}
END_TEST

START_TEST(cli_validate_input_over_limit_exit2)
{
    char path[] = "/tmp/mh-validate-big-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    /* Sparse: 64 MiB + 1 byte of zeros costs no disk. */
    ck_assert_int_eq(ftruncate(fd, 64L * 1024 * 1024 + 1), 0);
    close(fd);
    const char *a[] = {"mh", "validate", "--schema", "ErrorResponse", path, NULL};
    expect_usage(a, NULL, "larger than the 64 MiB input limit");
    unlink(path);
}
END_TEST

START_TEST(cli_validate_help_exit0)
{
    const char *a[] = {"mh", "validate", "--help", NULL};
    run_result r = run(a, NULL);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "usage: manta-harness validate"));
    ck_assert_ptr_nonnull(strstr(r.out, "--operation"));
    ck_assert_ptr_nonnull(strstr(r.out, "Exit status"));
    ck_assert_str_eq(r.err, "");
    done(&r);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("cli_validate");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, cli_validate_schema_valid_exit0);
    tcase_add_test(t, cli_validate_schema_invalid_exit1);
    tcase_add_test(t, cli_validate_stdin_read);
    tcase_add_test(t, cli_validate_not_strict_json_exit1);
    tcase_add_test(t, cli_validate_operation_valid_exit0);
    tcase_add_test(t, cli_validate_operation_invalid_exit1);
    tcase_add_test(t, cli_validate_undeclared_status_reported);
    tcase_add_test(t, cli_validate_wrong_content_type_reported);
    tcase_add_test(t, cli_validate_usage_errors_exit2);
    tcase_add_test(t, cli_validate_unknown_names_exit2);
    tcase_add_test(t, cli_validate_unreadable_inputs_exit2);
    tcase_add_test(t, cli_validate_binary_input_nul_byte);
    tcase_add_test(t, cli_validate_input_over_limit_exit2);
    tcase_add_test(t, cli_validate_help_exit0);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
