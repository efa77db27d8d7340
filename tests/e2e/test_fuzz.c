/* test_fuzz.c — `manta-harness fuzz` and `replay` end to end against the
 * in-process reference server. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "refserver.h"
#include "tu_server.h"
#include "tu_tmp.h"
#include "util/buf.h"

#define BOT "fuzz-bot"
#define SECRET "fuzz-secret-value-123"
#define KEY "fuzz-jwt-key-value-456"

/* Runs fuzz against url; returns the exit status. */
static int fuzz(const char *url, const char *out, const char *iterations, char **stdout_text)
{
    const char *argv[] = {
        "manta-harness", "fuzz", "--base-url", url,    "--jwt-key",     KEY,
        "--bot-id",      BOT,    "--secret",   SECRET, "--iterations",  iterations,
        "--seed",        "3",    "--out",      out,    "--no-progress", NULL};
    return tu_run_cli(argv, NULL, stdout_text, NULL, 120);
}

/* Names of the finding files in dir, joined by '\n' (caller frees). */
static char *list_dir(const char *dir, int *count)
{
    DIR *d = opendir(dir);
    mh__buf all = MH__BUF_INIT;
    mh__buf_adds(&all, "");
    *count = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        mh__buf_addf(&all, "%s\n", e->d_name);
        (*count)++;
    }
    if (d)
        closedir(d);
    char *names = mh__buf_take(&all, NULL);
    ck_assert_ptr_nonnull(names);
    return names;
}

START_TEST(fuzz_conformant_server_reports_nothing)
{
    tu_ref s;
    tu_ref_start(&s, BOT, SECRET, KEY, 0, 0);
    tu_tmp t;
    tu_tmp_init(&t, "fuzz-test");
    const char *dir = t.dir;
    char *out = NULL;
    int rc = fuzz(s.url, dir, "600", &out);
    int n;
    char *files = list_dir(dir, &n);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, out);
    ck_assert_msg(n == 0, "findings against a conformant server: %s", files);
    ck_assert_ptr_nonnull(strstr(out, "600 requests"));
    free(files);
    free(out);
    ck_assert_int_eq(tu_tmp_free(&t), 0);
    tu_ref_stop(&s);
}
END_TEST

START_TEST(fuzz_finds_reset_and_500_then_replays_them)
{
    tu_ref s;
    tu_ref_start(&s, BOT, SECRET, KEY,
                 MH_FAULT_BIT(MH_FAULT_RESET_LONG_NAME) | MH_FAULT_BIT(MH_FAULT_CRASH_500), 0);
    tu_tmp t;
    tu_tmp_init(&t, "fuzz-test");
    const char *dir = t.dir;
    char *out = NULL;
    int rc = fuzz(s.url, dir, "1500", &out);
    int n;
    char *files = list_dir(dir, &n);
    ck_assert_msg(rc == 1, "exit %d: %s", rc, out);
    ck_assert_msg(strstr(files, "not_a_server_error"), "no 500 found: %s", files);
    ck_assert_msg(strstr(files, "transport_error"), "no reset found: %s", files);
    /* Every saved file replays to the same check, and holds no secret. */
    for (char *line = strtok(files, "\n"); line; line = strtok(NULL, "\n")) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, line);
        char *text = tu_read_file(path, NULL);
        ck_assert_ptr_nonnull(text);
        ck_assert_msg(!strstr(text, SECRET) && !strstr(text, KEY), "secret in %s", path);
        free(text);
        const char *argv[] = {"manta-harness", "replay", path,       "--jwt-key", KEY,
                              "--bot-id",      BOT,      "--secret", SECRET,      NULL};
        char *rout = NULL;
        int rrc = tu_run_cli(argv, NULL, &rout, NULL, 60);
        const char *check =
            strstr(line, "not_a_server_error") ? "not_a_server_error" : "transport_error";
        ck_assert_msg(rrc == 1 && strstr(rout, check), "replay %s: exit %d: %s", path, rrc, rout);
        free(rout);
        unlink(path);
    }
    free(files);
    free(out);
    ck_assert_int_eq(tu_tmp_free(&t), 0);
    tu_ref_stop(&s);
}
END_TEST

START_TEST(replay_against_fixed_server_passes)
{
    tu_ref bad, good;
    tu_ref_start(&bad, BOT, SECRET, KEY, MH_FAULT_BIT(MH_FAULT_CRASH_500), 0);
    tu_tmp t;
    tu_tmp_init(&t, "fuzz-test");
    const char *dir = t.dir;
    char *out = NULL;
    ck_assert_int_eq(fuzz(bad.url, dir, "400", &out), 1);
    tu_ref_stop(&bad);
    tu_ref_start(&good, BOT, SECRET, KEY, 0, 0);
    int n;
    char *files = list_dir(dir, &n);
    ck_assert_int_ge(n, 1);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, strtok(files, "\n"));
    const char *argv[] = {"manta-harness", "replay", path,       "--base-url", good.url,
                          "--jwt-key",     KEY,      "--bot-id", BOT,          "--secret",
                          SECRET,          NULL};
    char *rout = NULL;
    int rc = tu_run_cli(argv, NULL, &rout, NULL, 60);
    ck_assert_msg(rc == 0, "replay against the fixed server: exit %d: %s", rc, rout);
    free(rout);
    free(files);
    free(out);
    ck_assert_int_eq(tu_tmp_free(&t), 0);
    tu_ref_stop(&good);
}
END_TEST

START_TEST(fuzz_without_budget_is_usage_error)
{
    const char *argv[] = {"manta-harness", "fuzz", "--base-url", "http://127.0.0.1:1",
                          "--token",       "t",    NULL};
    char *err = NULL;
    ck_assert_int_eq(tu_run_cli(argv, NULL, NULL, &err, 30), 2);
    ck_assert_ptr_nonnull(strstr(err, "--duration"));
    free(err);
}
END_TEST

START_TEST(replay_bad_file_is_usage_error)
{
    const char *argv[] = {"manta-harness", "replay", "/nonexistent/case.json", NULL};
    char *err = NULL;
    ck_assert_int_eq(tu_run_cli(argv, NULL, NULL, &err, 30), 2);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/case.json"));
    free(err);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("fuzz");
    TCase *tc = tcase_create("network");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, fuzz_conformant_server_reports_nothing);
    tcase_add_test(tc, fuzz_finds_reset_and_500_then_replays_them);
    tcase_add_test(tc, replay_against_fixed_server_passes);
    tcase_add_test(tc, fuzz_without_budget_is_usage_error);
    tcase_add_test(tc, replay_bad_file_is_usage_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
