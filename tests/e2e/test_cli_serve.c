/* test_cli_serve.c — `manta-harness serve` and `manta-harness token` as a
 * user runs them: spawned binary, first stdout line, SIGTERM, exit codes. */
#include <curl/curl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "manta/jwt.h"
#include "refserver.h"
#include "testutil.h"
#include "tu_report.h"
#include "tu_server.h"

#define KEY "cli-test-key"
#define SECRET "cli-test-secret"

/* Starts `manta-harness serve --port 0 --bot-id cli-bot EXTRA...` with the
 * secrets in its environment and its request log kept; s->url is its first
 * stdout line ("" when none came). */
static void spawn_serve(tu_serve *s, const char *const *extra)
{
    const char *vars[] = {"MANTA_JWT_KEY=" KEY, "MANTA_SECRET=" SECRET, NULL};
    const char *av[32] = {"--port", "0", "--bot-id", "cli-bot"};
    size_t n = 4;
    for (size_t i = 0; extra && extra[i] && n < 27; i++)
        av[n++] = extra[i];
    av[n] = NULL;
    tu_serve_start(s, av, vars, 1);
}

static long post(const char *url, const char *token, const char *body)
{
    CURL *c = curl_easy_init();
    char auth[1024];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    struct curl_slist *hs = curl_slist_append(NULL, auth);
    hs = curl_slist_append(hs, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    FILE *devnull = fopen("/dev/null", "w");
    curl_easy_setopt(c, CURLOPT_WRITEDATA, devnull);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    fclose(devnull);
    curl_slist_free_all(hs);
    curl_easy_cleanup(c);
    return status;
}

START_TEST(cli_serve_url_request_sigterm_summary)
{
    tu_serve c;
    spawn_serve(&c, NULL);
    ck_assert_msg(strncmp(c.url, "http://127.0.0.1:", 17) == 0, "first line: %s", c.url);
    char url[320];
    snprintf(url, sizeof url, "%s/openapi/personalTag?botId=cli-bot", c.url);
    long long now = (long long)time(NULL);
    char *tok = mh_jwt_mint(KEY, strlen(KEY), "cli-bot", now, now + 60);
    ck_assert_int_eq(post(url, tok, "{\"secret\":\"" SECRET "\",\"name\":\"cli\"}"), 200);
    ck_assert_int_eq(post(url, tok, "{\"secret\":\"" SECRET "\",\"name\":\"cli\"}"), 403);
    ck_assert_int_eq(post(url, "bad", "{}"), 401);
    char *err = NULL;
    ck_assert_int_eq(tu_serve_stop(&c, SIGTERM, &err), 0);
    ck_assert_msg(strstr(err, "POST /openapi/personalTag 200 "), "log: %s", err);
    ck_assert_msg(strstr(err, "POST /openapi/personalTag 401 "), "log: %s", err);
    ck_assert_msg(strstr(err, "3 requests served, 1 tags stored"), "summary: %s", err);
    /* no secret, key or token in the log */
    ck_assert_ptr_null(strstr(err, SECRET));
    ck_assert_ptr_null(strstr(err, KEY));
    ck_assert_ptr_null(strstr(err, tok));
    free(err);
    free(tok);
}
END_TEST

START_TEST(cli_serve_sigint_with_fault_exits_zero)
{
    const char *extra[] = {"--fault", "drop-message", "--fault", "no-allow", "--rate-limit", "5",
                           NULL};
    tu_serve c;
    spawn_serve(&c, extra);
    ck_assert_msg(c.url[0] != '\0', "serve printed nothing");
    char *err = NULL;
    ck_assert_int_eq(tu_serve_stop(&c, SIGINT, &err), 0);
    ck_assert_msg(strstr(err, "0 requests served, 0 tags stored"), "summary: %s", err);
    free(err);
}
END_TEST

typedef struct {
    const char *argv[12];
    const char *needle; /* expected in stderr */
} bad_config;

START_TEST(cli_serve_config_errors_exit_2)
{
    static const bad_config cases[] = {
        {{"x", "serve", "--secret", "s", "--jwt-key", "k"}, "--bot-id"},
        {{"x", "serve", "--bot-id", "b", "--jwt-key", "k"}, "--secret"},
        {{"x", "serve", "--bot-id", "b", "--secret", "s"}, "--jwt-key"},
        {{"x", "serve", "--bot-id", "b", "--secret", "s", "--jwt-key", "k", "--fault", "nope"},
         "--fault"},
        {{"x", "serve", "--bot-id", "b", "--secret", "s", "--jwt-key", "k", "--port", "70000"},
         "--port"},
        {{"x", "serve", "--bot-id", "b", "--secret", "s", "--jwt-key", "k", "--rate-limit", "-1"},
         "--rate-limit"},
        {{"x", "serve", "--bot-id", "b", "--secret", "s", "--jwt-key", "k", "--spec",
          "/nonexistent.json"},
         "--spec"},
        {{"x", "serve", "--bot-id", "b", "--secret", "s", "--jwt-key", "k", "--bogus", "1"},
         "--bogus"},
        {{"x", "serve", "--bot-id"}, "--bot-id"},
        {{"x", "token", "--bot-id", "b"}, "--jwt-key"},
        {{"x", "token", "--jwt-key", "k"}, "--bot-id"},
        {{"x", "token", "--jwt-key", "k", "--bot-id", "b", "--ttl", "0"}, "--ttl"},
    };
    unsetenv("MANTA_BOT_ID");
    unsetenv("MANTA_SECRET");
    unsetenv("MANTA_JWT_KEY");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL, *err = NULL;
        int rc = tu_run_cli(cases[i].argv, NULL, &out, &err, 10);
        ck_assert_msg(rc == 2, "case %zu: exit %d", i, rc);
        ck_assert_msg(strstr(err, cases[i].needle), "case %zu: stderr %s", i, err);
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "case %zu: one line: %s", i, err);
        ck_assert_str_eq(out, "");
        free(out);
        free(err);
    }
}
END_TEST

START_TEST(cli_serve_help_lists_every_fault)
{
    const char *argv[] = {"serve", "serve", "--help", NULL};
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run_cli(argv, NULL, &out, &err, 10), 0);
    for (size_t i = 0; i < mh_refserver_fault_count; i++)
        ck_assert_msg(strstr(out, mh_refserver_faults[i].name), "missing %s",
                      mh_refserver_faults[i].name);
    ck_assert_ptr_nonnull(strstr(out, "--rate-limit"));
    free(out);
    free(err);
}
END_TEST

START_TEST(cli_token_output_verifies)
{
    const char *argv[] = {"token", "token", "--bot-id", "tb", "--ttl", "120", NULL};
    setenv("MANTA_JWT_KEY", KEY, 1);
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run_cli(argv, NULL, &out, &err, 10), 0);
    unsetenv("MANTA_JWT_KEY");
    out[strcspn(out, "\n")] = '\0';
    char *bot = NULL;
    time_t now = time(NULL);
    ck_assert_int_eq(mh_jwt_verify(out, KEY, strlen(KEY), now, &bot), MH_JWT_OK);
    ck_assert_str_eq(bot, "tb");
    ck_assert_int_eq(mh_jwt_verify(out, KEY, strlen(KEY), now + 121, NULL), MH_JWT_EXPIRED);
    free(bot);
    free(out);
    free(err);
    const char *help[] = {"token", "token", "--help", NULL};
    ck_assert_int_eq(tu_run_cli(help, NULL, &out, &err, 10), 0);
    ck_assert_ptr_nonnull(strstr(out, "--ttl"));
    free(out);
    free(err);
}
END_TEST

/* Starts serve with one fault, runs `manta-harness run` against it with a JSON
 * report and returns the report's summary.by_check (caller deletes the
 * returned tree; *by_check borrowed from it). */
static cJSON *run_against_fault(const char *fault, const cJSON **by_check)
{
    const char *extra[] = {"--fault", fault, NULL};
    setenv("MANTA_JWT_KEY", KEY, 1);
    setenv("MANTA_SECRET", SECRET, 1);
    setenv("MANTA_BOT_ID", "cli-bot", 1);
    tu_serve c;
    spawn_serve(&c, extra);
    ck_assert_msg(c.url[0] != '\0', "serve --fault %s printed nothing", fault);
    const char *url = c.url;
    char report[128], fmt[160];
    snprintf(report, sizeof report, "/tmp/mh-fault-%d-%s.json", (int)getpid(), fault);
    snprintf(fmt, sizeof fmt, "json:%s", report);
    int slow = strcmp(fault, "slow") == 0;
    const char *argv[] = {"x",
                          "run",
                          "--base-url",
                          url,
                          "--no-progress",
                          "--report",
                          fmt,
                          slow ? "--max-response-time" : NULL,
                          "200",
                          NULL};
    char *out = NULL, *err = NULL;
    int rc = tu_run_cli(argv, NULL, &out, &err, 120);
    ck_assert_msg(rc == 0 || rc == 1, "run exit %d: %s", rc, err);
    free(out);
    free(err);
    ck_assert_int_eq(tu_serve_stop(&c, SIGTERM, NULL), 0);
    unsetenv("MANTA_JWT_KEY");
    unsetenv("MANTA_SECRET");
    unsetenv("MANTA_BOT_ID");
    cJSON *doc = tu_report_load(report);
    unlink(report);
    *by_check = tu_report_get(tu_report_get(doc, "summary"), "by_check");
    return doc;
}

/* Each fault makes the harness report exactly the check the fault table
 * names, and nothing else. */
START_TEST(cli_serve_each_fault_fires_only_its_check)
{
    const mh_refserver_fault_info *f = &mh_refserver_faults[_i];
    const cJSON *by_check = NULL;
    cJSON *doc = run_against_fault(f->name, &by_check);
    ck_assert_msg(cJSON_GetArraySize(by_check) == 1, "%s: %d checks fired", f->name,
                  cJSON_GetArraySize(by_check));
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(by_check, f->check);
    ck_assert_msg(cJSON_IsNumber(n) && n->valueint > 0, "%s: %s did not fire", f->name, f->check);
    cJSON_Delete(doc);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("cli_serve");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, cli_serve_url_request_sigterm_summary);
    tcase_add_test(tc, cli_serve_sigint_with_fault_exits_zero);
    tcase_add_test(tc, cli_serve_config_errors_exit_2);
    tcase_add_test(tc, cli_serve_help_lists_every_fault);
    tcase_add_test(tc, cli_token_output_verifies);
    suite_add_tcase(s, tc);
    TCase *faults = tcase_create("faults");
    tcase_set_timeout(faults, 120);
    tcase_add_loop_test(faults, cli_serve_each_fault_fires_only_its_check, 0,
                        (int)mh_refserver_fault_count);
    suite_add_tcase(s, faults);
    return s;
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int r = tu_run_suite(make_suite());
    curl_global_cleanup();
    return r;
}
