/* test_spec_url.c — `--spec http://...`: the document and its relative $refs
 * are fetched once from the same origin; a failed fetch or a redirect is a
 * one-line exit 2. A static file server (python3 -m http.server on
 * 127.0.0.1) serves tests/data/spec/multi. */
#include <arpa/inet.h>
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

extern char **environ;

static pid_t server;
static char base[64];

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

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

static void setup(void)
{
    int port = free_port();
    char p[16];
    snprintf(p, sizeof p, "%d", port);
    char *const argv[] = {"python3", "-m",        "http.server", p,
                          "--bind",  "127.0.0.1", "--directory", MH_TEST_DATA "/spec/multi",
                          NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    ck_assert_int_eq(posix_spawnp(&server, "python3", &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    for (int i = 0; i < 100 && !port_open(port); i++) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    ck_assert_msg(port_open(port), "python3 -m http.server did not listen within 10 s");
    snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
}

static void teardown(void)
{
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
}

static int run(const char *path, char **out, char **err)
{
    char url[128];
    snprintf(url, sizeof url, "%s%s", base, path);
    const char *argv[] = {"manta-harness", "run", "--list-cases", "--spec", url, NULL};
    return tu_run_cli(argv, NULL, out, err, 60);
}

START_TEST(spec_url_loads_with_relative_refs)
{
    char *out = NULL, *err = NULL;
    int rc = run("/root.yaml", &out, &err);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
    /* the path item of /pets/{id} lives in paths/pet-by-id.yaml */
    ck_assert_msg(strstr(out, "## GET /pets/{id} (getPet)"), "%s", out);
    ck_assert_msg(strstr(out, "GET /pets (listPets)"), "%s", out);
    free(out);
    free(err);
}
END_TEST

START_TEST(spec_url_failures_are_one_line_exit_2)
{
    static const char *const paths[] = {"/missing.yaml", "/paths" /* a 301: not followed */,
                                        "/bad-ref-file.yaml"};
    static const char *const needles[] = {"HTTP status 404", "HTTP status 301",
                                          "broken.yaml:3:1: invalid YAML"};
    for (size_t i = 0; i < 3; i++) {
        char *out = NULL, *err = NULL;
        int rc = run(paths[i], &out, &err);
        ck_assert_msg(rc == 2 && strstr(err, needles[i]) && tu_count_lines(err) == 1,
                      "%s: exit %d: %s", paths[i], rc, err);
        free(out);
        free(err);
    }
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("spec_url");
    TCase *tc = tcase_create("url");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, spec_url_loads_with_relative_refs);
    tcase_add_test(tc, spec_url_failures_are_one_line_exit_2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
