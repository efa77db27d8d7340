/* test_fuzz.c — `manta-harness fuzz` and `replay` end to end against the
 * in-process reference server. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "refserver.h"
#include "manta/spec.h"

#define BOT "fuzz-bot"
#define SECRET "fuzz-secret-value-123"
#define KEY "fuzz-jwt-key-value-456"

static mh_spec *spec;

static mh_refserver *start(unsigned long long faults)
{
    if (!spec)
        ck_assert_int_eq(mh_spec_load(MH_TEST_SPEC, &spec, NULL), MH_OK);
    const char *bots[] = {BOT};
    mh_refserver_opts o = {.host = "127.0.0.1",
                           .spec = spec,
                           .bot_ids = bots,
                           .bot_count = 1,
                           .secret = SECRET,
                           .jwt_key = KEY,
                           .jwt_key_len = strlen(KEY),
                           .faults = faults};
    mh_refserver *s = NULL;
    ck_assert_int_eq(mh_refserver_start(&o, &s, NULL), MH_OK);
    return s;
}

static void teardown(void)
{
    mh_spec_free(spec);
    spec = NULL;
}

static char *make_dir(void)
{
    char *d = strdup("/tmp/mh-fuzz-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(d));
    return d;
}

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
    char *all = calloc(1, 1);
    size_t len = 0;
    *count = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(e->d_name);
        all = realloc(all, len + n + 2);
        memcpy(all + len, e->d_name, n);
        len += n;
        all[len++] = '\n';
        all[len] = '\0';
        (*count)++;
    }
    if (d)
        closedir(d);
    return all;
}

START_TEST(fuzz_conformant_server_reports_nothing)
{
    mh_refserver *s = start(0);
    char *dir = make_dir(), *out = NULL;
    int rc = fuzz(mh_refserver_base_url(s), dir, "600", &out);
    int n;
    char *files = list_dir(dir, &n);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, out);
    ck_assert_msg(n == 0, "findings against a conformant server: %s", files);
    ck_assert_ptr_nonnull(strstr(out, "600 requests"));
    free(files);
    free(out);
    rmdir(dir);
    free(dir);
    mh_refserver_stop(s);
}
END_TEST

START_TEST(fuzz_finds_reset_and_500_then_replays_them)
{
    mh_refserver *s =
        start(MH_FAULT_BIT(MH_FAULT_RESET_LONG_NAME) | MH_FAULT_BIT(MH_FAULT_CRASH_500));
    char *dir = make_dir(), *out = NULL;
    int rc = fuzz(mh_refserver_base_url(s), dir, "1500", &out);
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
    rmdir(dir);
    free(dir);
    mh_refserver_stop(s);
}
END_TEST

START_TEST(replay_against_fixed_server_passes)
{
    mh_refserver *bad = start(MH_FAULT_BIT(MH_FAULT_CRASH_500));
    char *dir = make_dir(), *out = NULL;
    ck_assert_int_eq(fuzz(mh_refserver_base_url(bad), dir, "400", &out), 1);
    mh_refserver_stop(bad);
    mh_refserver *good = start(0);
    int n;
    char *files = list_dir(dir, &n);
    ck_assert_int_ge(n, 1);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, strtok(files, "\n"));
    const char *argv[] = {
        "manta-harness", "replay", path,       "--base-url", mh_refserver_base_url(good),
        "--jwt-key",     KEY,      "--bot-id", BOT,          "--secret",
        SECRET,          NULL};
    char *rout = NULL;
    int rc = tu_run_cli(argv, NULL, &rout, NULL, 60);
    ck_assert_msg(rc == 0, "replay against the fixed server: exit %d: %s", rc, rout);
    free(rout);
    free(files);
    free(out);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
    mh_refserver_stop(good);
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
    tcase_add_unchecked_fixture(tc, NULL, teardown);
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
