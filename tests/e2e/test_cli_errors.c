/* test_cli_errors.c — bad input to every subcommand gets exactly one line on
 * stderr naming the flag or file at fault, the documented exit status, and
 * never a crash or a leak (this file is meant to run under ASan+UBSan with
 * LeakSanitizer on: a sanitizer report adds lines to stderr and fails the
 * one-line assertion). Nothing here needs a network target except the
 * report-after-the-run cases, which use the embedded server. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "tu_tmp.h"

static tu_tmp tmp;

static const char *path_of(const char *name)
{
    static char bufs[16][256];
    static int next;
    char *b = bufs[next++ % 16];
    snprintf(b, 256, "%s/%s", tmp.dir, name);
    return b;
}

static void put(const char *name, const char *text, size_t len)
{
    FILE *f = fopen(path_of(name), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

static void put_str(const char *name, const char *text)
{
    put(name, text, strlen(text));
}

/* A case file as fuzz writes it, with one field replaced. */
static void put_case(const char *name, const char *method, const char *target, const char *headers)
{
    char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"tool\":\"manta-harness\",\"kind\":\"case\",\"version\":1,\"spec\":\"%s\","
             "\"operation\":\"POST /openapi/personalTag\",\"base_url\":\"http://127.0.0.1:1\","
             "\"seed\":1,\"case\":{\"id\":\"fuzz/1\",\"suite\":\"fuzz\",\"method\":\"%s\","
             "\"target\":\"%s\",\"headers\":%s,\"body\":\"{}\",\"body_schema_valid\":false},"
             "\"response\":{\"status\":0},\"findings\":[]}",
             MH_TEST_SPEC, method, target, headers);
    put_str(name, buf);
}

static void setup(void)
{
    tu_tmp_init(&tmp, "clierr");
    put("binary.json", "\0\xff\xfe garbage", 11);
    size_t depth = 100000;
    char *deep = malloc(depth + 1);
    memset(deep, '[', depth);
    deep[depth] = '\0';
    put_str("deep.json", deep);
    free(deep);
    char *spec = tu_read_file(MH_TEST_SPEC, NULL);
    ck_assert_ptr_nonnull(spec);
    char *v = strstr(spec, "\"3.0.");
    ck_assert_ptr_nonnull(v);
    memcpy(v, "\"4.0.", 5);
    put_str("spec40.json", spec);
    free(spec);
    put_str("bad.yaml", "openapi: 3.1.0\npaths:\n  /a: [unclosed\n");
    put_str("swagger.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    put_str("nopaths.json", "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"}}");
    put_str("notreport.json", "{\"not\":\"a report\"}");
    put_str("truncated.json", "{\"tool\":\"manta-harness\",\"cases\":[");
    put_str("file", "a regular file, used as a directory below");
    mkdir(path_of("adir"), 0755);
    put_case("case-crlf-method.json", "GET /x\\r\\nFoo: bar", "/openapi/personalTag", "[]");
    put_case("case-crlf-header.json", "POST", "/openapi/personalTag", "[[\"X\\r\\nY\",\"v\"]]");
    put_case("case-target.json", "POST", "no-slash", "[]");
    put_case("case-empty-method.json", "", "/openapi/personalTag", "[]");
    put_case("case-headers-type.json", "POST", "/openapi/personalTag", "\"x\"");
    char *ok = tu_read_file(path_of("case-target.json"), NULL);
    ok[strlen(ok) / 2] = '\0';
    put_str("case-truncated.json", ok);
    free(ok);
}

static void teardown(void)
{
    tu_tmp_free(&tmp);
}

/* Runs argv (NULL-terminated after argv[0] = "manta-harness"); asserts the
 * exit status, exactly one stderr line, and that it contains `names`
 * (the flag or file at fault). */
static void expect_error(const char *const *argv, int status, const char *names)
{
    char *out = NULL, *err = NULL;
    int rc = tu_run_cli(argv, NULL, &out, &err, 60);
    char cmd[512] = "";
    for (size_t i = 1; argv[i] && strlen(cmd) < 400; i++) {
        strncat(cmd, argv[i], 60);
        strcat(cmd, " ");
    }
    ck_assert_msg(rc == status, "'%s': exit %d, want %d; stderr: %s", cmd, rc, status,
                  err ? err : "");
    ck_assert_msg(err && tu_count_lines(err) == 1 && err[strlen(err) - 1] == '\n',
                  "'%s': want exactly one stderr line, got: %s", cmd, err ? err : "(none)");
    ck_assert_msg(strncmp(err, "manta-harness", 13) == 0, "'%s': line lacks the tool name: %s", cmd,
                  err);
    ck_assert_msg(strstr(err, names) != NULL, "'%s': line does not name '%s': %s", cmd, names, err);
    free(out);
    free(err);
}

#define E(status, names, ...)                                                                      \
    do {                                                                                           \
        const char *const av_[] = {"manta-harness", __VA_ARGS__, NULL};                            \
        expect_error(av_, status, names);                                                          \
    } while (0)

START_TEST(cli_errors_flags_usage_one_line)
{
    E(2, "nosuch", "nosuch");
    E(2, "--bogus", "run", "--bogus");
    E(2, "--quiet", "run", "--quiet=1");
    E(2, "--spec", "run", "--spec");
    E(2, "--spec", "run", "--spec", "");
    E(2, "--secret", "run", "--secret", "--jwt-key", "k", "--list-cases");
    E(2, "--seed", "run", "--seed", "");
    E(2, "--seed", "run", "--seed", "-1");
    E(2, "--seed", "run", "--seed", "99999999999999999999999");
    E(2, "--max-cases", "run", "--max-cases", "0");
    E(2, "--concurrency", "run", "--concurrency", "1x");
    E(2, "--timeout", "run", "--timeout", "1e3");
    E(2, "--rate-limit", "run", "--rate-limit", "nan");
    E(2, "--shard", "run", "--shard", "3/2");
    E(2, "--shard", "run", "--shard", "0/0");
    E(2, "--suite", "run", "--suite", "");
    E(2, "--suite", "run", "--suite", "valid,nope");
    E(2, "--checks", "run", "--checks", "nope", "--list-cases");
    E(2, "--report", "run", "--report", "");
    E(2, "--report", "run", "--report", "pdf:x.pdf");
    E(2, "--report", "run", "--report", "json:");
    E(2, "--token", "run", "--token", "t");
    E(2, "unexpected argument", "run", "stray");
    E(2, "--iterations", "fuzz", "--iterations");
    E(2, "--iterations", "fuzz", "--iterations", "0");
    E(2, "--duration", "fuzz", "--duration", "abc");
    E(2, "budget", "fuzz");
    E(2, "--bogus", "fuzz", "--bogus", "--iterations", "1");
    E(2, "FILE", "replay");
    E(2, "--timeout", "replay", "x.json", "--timeout", "-5");
    E(2, "--spec", "replay", "x.json", "--spec", "");
    E(2, "--bogus", "replay", "--bogus=secretvalue", "x.json");
    E(2, "--schema", "validate");
    E(2, "--status", "validate", "--operation", "POST /openapi/personalTag", "--status", "abc");
    E(2, "--status", "validate", "--operation", "POST /openapi/personalTag", "--status", "999");
    E(2, "--spec", "validate", "--schema", "X", "--spec", "");
    E(2, "--bogus", "validate", "--bogus");
    E(2, "OUT.json", "merge-reports");
    E(2, "OUT.json", "merge-reports", "out.json");
    E(2, "--bogus", "merge-reports", "--bogus");
    E(2, "--jwt-key", "token");
    E(2, "--bot-id", "token", "--jwt-key", "k");
    E(2, "--ttl", "token", "--jwt-key", "k", "--bot-id", "b", "--ttl", "0");
    E(2, "--jwt-key", "token", "--jwt-key", "--bot-id", "b");
    E(2, "--port", "serve", "--bot-id", "b", "--secret", "s", "--jwt-key", "k", "--port", "70000");
    E(2, "--fault", "serve", "--bot-id", "b", "--secret", "s", "--jwt-key", "k", "--fault", "x");
    E(2, "--bot-id", "serve", "--bot-id", "", "--secret", "s", "--jwt-key", "k");
    E(2, "--jwt-key", "serve", "--bot-id", "b", "--secret", "s");
    E(2, "--secret", "serve", "--bot-id", "b", "--secret", "--jwt-key", "k");
    E(2, "--host", "serve", "--bot-id", "b", "--secret", "s", "--jwt-key", "k", "--host",
      "256.1.1.1");
}
END_TEST

START_TEST(cli_errors_bad_specs_name_the_file)
{
    const char *specs[] = {"binary.json", "deep.json",    "spec40.json", "nopaths.json",
                           "adir",        "missing.json", "bad.yaml",    "swagger.yaml"};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        const char *p = path_of(specs[i]);
        E(2, specs[i], "run", "--list-cases", "--spec", p);
        E(2, specs[i], "fuzz", "--iterations", "1", "--spec", p);
        E(2, specs[i], "validate", "--schema", "ErrorResponse", "--spec", p, path_of("file"));
        E(2, specs[i], "serve", "--bot-id", "b", "--secret", "s", "--jwt-key", "k", "--spec", p);
    }
    E(2, "GET /nope", "run", "--list-cases", "--operation", "GET /nope");
    E(2, "Nope", "validate", "--schema", "Nope", path_of("notreport.json"));
    E(2, "GET /nope", "validate", "--operation", "GET /nope", "--status", "200",
      path_of("notreport.json"));
}
END_TEST

START_TEST(cli_errors_bad_files_name_the_file)
{
    const char *bad[] = {"binary.json", "notreport.json", "truncated.json", "adir", "missing.json"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *p = path_of(bad[i]);
        E(2, bad[i], "merge-reports", path_of("out.json"), p);
        E(2, bad[i], "replay", p);
        E(2, bad[i], "run", "--baseline", p, "--suite", "valid", "--max-cases", "1");
        if (i >= 3) /* unreadable; unparsable documents are findings (exit 1) */
            E(2, bad[i], "validate", "--schema", "ErrorResponse", p);
    }
    ck_assert_int_ne(access(path_of("out.json"), F_OK), 0); /* nothing merged */
    const char *cases[] = {"case-crlf-method.json",  "case-crlf-header.json",
                           "case-target.json",       "case-empty-method.json",
                           "case-headers-type.json", "case-truncated.json"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        E(2, cases[i], "replay", path_of(cases[i]), "--jwt-key", "k", "--bot-id", "b");
}
END_TEST

/* An unwritable --report is found after the run: exit 3, one line naming it,
 * and the other reports still written. */
START_TEST(cli_errors_unwritable_report_after_run)
{
    char bad[300], good[300], bl[300];
    snprintf(bad, sizeof bad, "json:%s/r.json", path_of("file"));
    snprintf(good, sizeof good, "junit:%s", path_of("ok.xml"));
    E(3, "r.json", "run", "--no-progress", "--quiet", "--suite", "valid", "--max-cases", "2",
      "--report", bad, "--report", good);
    ck_assert_int_eq(access(path_of("ok.xml"), F_OK), 0);
    remove(path_of("ok.xml"));
    snprintf(bl, sizeof bl, "%s/b.json", path_of("file"));
    E(3, "b.json", "run", "--no-progress", "--quiet", "--suite", "valid", "--max-cases", "2",
      "--write-baseline", bl, "--report", good);
    ck_assert_int_eq(access(path_of("ok.xml"), F_OK), 0);
    snprintf(bad, sizeof bad, "sarif:%s", path_of("adir"));
    E(3, "adir", "run", "--no-progress", "--quiet", "--suite", "valid", "--max-cases", "2",
      "--report", bad);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("cli_errors");
    TCase *tc = tcase_create("errors");
    tcase_set_timeout(tc, 300);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, cli_errors_flags_usage_one_line);
    tcase_add_test(tc, cli_errors_bad_specs_name_the_file);
    tcase_add_test(tc, cli_errors_bad_files_name_the_file);
    tcase_add_test(tc, cli_errors_unwritable_report_after_run);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
