/* test_prism.c — the harness against an independent mock server.
 *
 * Prism (@stoplight/prism-cli, pinned, installed into tests/.npm by
 * `scripts/install-deps.sh test`) mocks a document: before answering it
 * validates every request's parameters, body and credentials against that
 * document, and then answers with a response the document declares. So:
 * - a `valid` case that Prism's validator refuses is a request the harness
 *   built wrongly. Prism's verdict is read from its own log, one line per
 *   request ("The request passed the validation rules" or "Request did not
 *   pass the validation rules", followed by the violations); the harness
 *   runs with --concurrency 1 so each verdict is attributed to its request.
 *   The status alone cannot tell: an operation that declares no 2xx (PUT
 *   /pet of petstore.json declares only 400, 404 and 405) is answered its
 *   declared 400 when the request is valid; a refusal then differs only by
 *   Prism's sl-violations header, which the JSON report drops for passed
 *   cases. A refused request is also answered 401 (credentials), 422 or a
 *   declared 400/422 (validation), so the statuses are printed too;
 * - any error-severity finding on a `valid` case is a false alarm unless it
 *   is one of the documented Prism deviations below (asserted to still
 *   happen, so the list cannot rot, and never by turning a check off).
 * Prism listens on 127.0.0.1 only; every wait is bounded.
 *
 * Documented deviations (what Prism serves breaks the document):
 * - train-travel.yaml, POST /bookings/{bookingId}/payment: Prism answers
 *   200 with the document's own response example "Card", whose source
 *   carries "cvc", a writeOnly property (OpenAPI: it must not appear in a
 *   response), so the source matches neither anyOf branch:
 *   response_schema_conformance is right to fire on every valid case of
 *   that operation. */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "tu_report.h"
#include "tu_tmp.h"

#define NPM MH_SOURCE_DIR "/tests/.npm/node_modules"
#define PRISM NPM "/.bin/prism"
#define OAS NPM "/@readme/oas-examples"

extern char **environ;

typedef struct {
    pid_t pid;
    int port;
} prism;

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static int port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* Starts `prism mock` for doc on a free loopback port; waits (at most 60 s)
 * until it accepts connections. Its output goes to log. */
static void prism_start(prism *p, const char *doc, const char *log)
{
    ck_assert_msg(access(PRISM, X_OK) == 0,
                  "%s is missing: run `bash scripts/install-deps.sh test`", PRISM);
    p->port = free_port();
    char port[16];
    snprintf(port, sizeof port, "%d", p->port);
    char *const argv[] = {(char *)PRISM, "mock",     "-h",    "127.0.0.1", "-p",
                          port,          "--errors", "false", (char *)doc, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setpgroup(&at, 0); /* its own group: node and its children stop together */
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    ck_assert_int_eq(posix_spawn(&p->pid, PRISM, &fa, &at, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    for (int i = 0; i < 600 && !port_open(p->port); i++) {
        int status;
        ck_assert_msg(waitpid(p->pid, &status, WNOHANG) == 0, "prism exited early; see %s", log);
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    ck_assert_msg(port_open(p->port), "prism did not listen within 60 s; see %s", log);
}

static void prism_stop(prism *p)
{
    if (p->pid <= 0)
        return;
    kill(-p->pid, SIGTERM);
    for (int i = 0; i < 50; i++) {
        if (waitpid(p->pid, NULL, WNOHANG) == p->pid) {
            p->pid = 0;
            return;
        }
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(-p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
    p->pid = 0;
}

/* A finding the document's own mock answer deserves (see the top). */
typedef struct {
    const char *operation; /* "METHOD /path" */
    const char *check;
    const char *message; /* a part of the finding's message */
} deviation;

/* How many of Prism's per-request verdicts in log are refusals; every
 * refused request and its violations are printed. *judged counts all. */
static size_t prism_refusals(const char *doc, const char *log, size_t *judged)
{
    size_t len = 0, refused = 0;
    char *text = tu_read_file(log, &len);
    ck_assert_msg(text != NULL, "cannot read %s", log);
    const char *request = "";
    size_t request_len = 0;
    int in_refusal = 0;
    *judged = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        const char *server = memmem(line, n, "[HTTP SERVER] ", 14);
        if (server && memmem(line, n, "Request received", 16)) {
            request = server + 14;
            request_len = (size_t)(line + n - request);
            in_refusal = 0;
        } else if (memmem(line, n, "The request passed the validation rules", 39)) {
            (*judged)++;
        } else if (memmem(line, n, "Request did not pass the validation rules", 41)) {
            (*judged)++;
            refused++;
            in_refusal = 1;
            fprintf(stderr, "%s: Prism refused %.*s\n", doc, (int)request_len, request);
        } else if (in_refusal && memmem(line, n, "error", 5)) {
            fprintf(stderr, "    %.*s\n", (int)n, line);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return refused;
}

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* The deviation finding f of operation op matches; NULL when none. */
static const deviation *expected(const deviation *dev, size_t n, const char *op, const cJSON *f)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(dev[i].operation, op) == 0 && strcmp(dev[i].check, str_of(f, "check")) == 0 &&
            strstr(str_of(f, "message"), dev[i].message))
            return &dev[i];
    return NULL;
}

/* Error findings of the report that no deviation explains (printed);
 * seen[i] counts the findings deviation i explained. */
static size_t false_alarms(const char *doc, const cJSON *r, const deviation *dev, size_t n_dev,
                           size_t *seen, size_t *sent)
{
    size_t alarms = 0;
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(r, "cases");
    for (const cJSON *c = cases ? cases->child : NULL; c; c = c->next) {
        if (strcmp(str_of(c, "outcome"), "skipped") == 0)
            continue;
        (*sent)++;
        const cJSON *resp = cJSON_GetObjectItemCaseSensitive(c, "response");
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(resp, "status");
        int s = cJSON_IsNumber(status) ? status->valueint : 0;
        if (s == 401 || s == 403 || s == 415 || s == 422)
            fprintf(stderr, "%s: %s %s: answered %d: %.300s\n", doc, str_of(c, "operation"),
                    str_of(c, "id"), s, str_of(resp, "body"));
        const cJSON *findings = cJSON_GetObjectItemCaseSensitive(c, "findings");
        for (const cJSON *f = findings ? findings->child : NULL; f; f = f->next) {
            if (strcmp(str_of(f, "severity"), "error") != 0)
                continue;
            const deviation *d = expected(dev, n_dev, str_of(c, "operation"), f);
            if (d) {
                seen[d - dev]++;
                continue;
            }
            fprintf(stderr, "%s: %s %s: %s: %.300s\n", doc, str_of(c, "operation"), str_of(c, "id"),
                    str_of(f, "check"), str_of(f, "message"));
            alarms++;
        }
    }
    return alarms;
}

/* Runs the valid suite of doc against Prism and judges it (see the top). */
static void run_valid_against_prism(const char *doc, const char *const *extra, const deviation *dev,
                                    size_t n_dev)
{
    tu_tmp tmp;
    tu_tmp_init(&tmp, "prism");
    prism p = {0, 0};
    const char *log = tu_tmp_path(&tmp, "prism.log");
    prism_start(&p, doc, log);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", p.port);
    const char *report = tu_tmp_path(&tmp, "r.json");
    char report_flag[700];
    snprintf(report_flag, sizeof report_flag, "json:%s", report);
    const char *argv[32] = {"manta-harness", "run",      "--spec",   doc, "--base-url",    url,
                            "--suite",       "valid",    "--seed",   "7", "--concurrency", "1",
                            "--no-progress", "--report", report_flag};
    size_t n = 15;
    for (size_t i = 0; extra && extra[i] && n < 31; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    char *out = NULL, *err = NULL;
    int rc = tu_run_cli(argv, NULL, &out, &err, 300);
    prism_stop(&p);
    cJSON *r = tu_report_load(report);
    ck_assert_msg(r != NULL, "%s: no report (exit %d): %s", doc, rc, err);
    size_t sent = 0, judged = 0, seen[8] = {0};
    ck_assert_uint_le(n_dev, 8);
    size_t alarms = false_alarms(doc, r, dev, n_dev, seen, &sent);
    size_t refused = prism_refusals(doc, log, &judged);
    fprintf(stderr,
            "%s: %zu valid cases sent, %zu judged by Prism, %zu refused, %zu error "
            "findings not explained by a deviation\n",
            doc, sent, judged, refused, alarms);
    ck_assert_msg(sent > 0, "%s: nothing was sent (exit %d): %s", doc, rc, err);
    ck_assert_msg(judged == sent, "%s: Prism judged %zu requests of the %zu sent; see %s", doc,
                  judged, sent, log);
    ck_assert_msg(refused == 0, "%s: Prism refused %zu valid cases (see above)", doc, refused);
    ck_assert_msg(alarms == 0, "%s: %zu error findings on valid cases (see above)", doc, alarms);
    for (size_t i = 0; i < n_dev; i++)
        ck_assert_msg(seen[i] > 0,
                      "%s: the documented deviation (%s, %s: \"%s\") no longer happens: "
                      "update the list at the top",
                      doc, dev[i].operation, dev[i].check, dev[i].message);
    cJSON_Delete(r);
    free(out);
    free(err);
    tu_tmp_free(&tmp);
}

/* The credentials of the documents: an API key for their apiKey scheme
 * "api_key" (an unknown scheme is refused), an opaque bearer token for
 * http bearer and oauth2. */
#define API_KEY "--api-key", "api_key=prism-test-api-key-0123456789"
#define TOKEN "--token", "prism.test.token-0123456789abcdef"

START_TEST(prism_own_example_contract_valid_cases_accepted)
{
    static const char *const creds[] = {API_KEY, TOKEN, NULL};
    run_valid_against_prism(MH_SOURCE_DIR "/contracts/petstore-3.1.yaml", creds, NULL, 0);
}
END_TEST

START_TEST(prism_oas_examples_petstore_valid_cases_accepted)
{
    static const char *const creds[] = {API_KEY, TOKEN, NULL};
    run_valid_against_prism(OAS "/3.0/json/petstore.json", creds, NULL, 0);
}
END_TEST

START_TEST(prism_oas_examples_train_travel_valid_cases_accepted)
{
    static const char *const creds[] = {TOKEN, NULL};
    static const deviation dev[] = {{"POST /bookings/{bookingId}/payment",
                                     "response_schema_conformance",
                                     "property \"cvc\" is writeOnly and must not appear in a "
                                     "response"}};
    run_valid_against_prism(OAS "/3.1/yaml/train-travel.yaml", creds, dev, 1);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("prism");
    TCase *tc = tcase_create("valid");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, prism_own_example_contract_valid_cases_accepted);
    tcase_add_test(tc, prism_oas_examples_petstore_valid_cases_accepted);
    tcase_add_test(tc, prism_oas_examples_train_travel_valid_cases_accepted);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
