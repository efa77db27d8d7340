#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    mh__buf b = MH__BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        mh__buf_add(&b, chunk, k);
    fclose(f);
    return mh__buf_take(&b, len);
}

int tu_run_cli(const char *const *argv, const char *stdin_text, char **out, char **err,
               int timeout_s)
{
    /* Built before fork: the test process may run server threads, and a
     * child of a threaded process must not malloc (another thread may have
     * held the allocator's lock at fork time: the child would wait forever). */
    size_t n = 0;
    while (argv[n])
        n++;
    char **av = calloc(n + 1, sizeof *av);
    if (!av)
        return -1;
    av[0] = (char *)MH_BINARY;
    for (size_t i = 1; i < n; i++)
        av[i] = (char *)argv[i];
    int pin[2], pout[2], perr[2];
    if (pipe(pin) || pipe(pout) || pipe(perr)) {
        free(av);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        free(av);
        return -1;
    }
    if (pid == 0) {
        dup2(pin[0], 0);
        dup2(pout[1], 1);
        dup2(perr[1], 2);
        close(pin[1]);
        close(pout[0]);
        close(perr[0]);
        execv(MH_BINARY, av);
        _exit(127);
    }
    free(av);
    close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    if (stdin_text) {
        signal(SIGPIPE, SIG_IGN);
        size_t len = strlen(stdin_text), off = 0;
        while (off < len) {
            ssize_t k = write(pin[1], stdin_text + off, len - off);
            if (k <= 0)
                break;
            off += (size_t)k;
        }
    }
    close(pin[1]);
    mh__buf bo = MH__BUF_INIT, be = MH__BUF_INIT;
    struct pollfd fds[2] = {{pout[0], POLLIN, 0}, {perr[0], POLLIN, 0}};
    time_t deadline = time(NULL) + timeout_s;
    int open_fds = 2, killed = 0;
    while (open_fds > 0) {
        int left = (int)(deadline - time(NULL));
        if (left <= 0) {
            kill(pid, SIGKILL);
            killed = 1;
            break;
        }
        if (poll(fds, 2, left * 1000) <= 0)
            continue;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char chunk[65536];
            ssize_t k = read(fds[i].fd, chunk, sizeof chunk);
            if (k <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else {
                mh__buf_add(i == 0 ? &bo : &be, chunk, (size_t)k);
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    int status = 0;
    waitpid(pid, &status, 0);
    /* "" when the stream was empty; NULL only when memory ran out. */
    if (out)
        *out = mh__buf_take(&bo, NULL);
    else
        mh__buf_free(&bo);
    if (err)
        *err = mh__buf_take(&be, NULL);
    else
        mh__buf_free(&be);
    if (killed || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

double tu_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

size_t tu_count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

int tu_contains(const char *hay, size_t len, const char *needle)
{
    return needle[0] && memmem(hay, len, needle, strlen(needle)) != NULL;
}

int tu_sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 1;
#endif
#endif
    return 0;
}

int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}

extern char **environ;

char **tu_env_with(const char *const *extra)
{
    size_t n = 0, k = 0;
    while (environ[n])
        n++;
    while (extra && extra[k])
        k++;
    char **env = calloc(n + k + 1, sizeof *env);
    if (!env)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < k; i++)
        env[w++] = strdup(extra[i]);
    for (size_t i = 0; i < n; i++) {
        size_t name = strcspn(environ[i], "=");
        int overridden = 0;
        for (size_t j = 0; j < k; j++)
            overridden |= strncmp(extra[j], environ[i], name + 1) == 0;
        if (!overridden)
            env[w++] = strdup(environ[i]);
    }
    return env;
}

void tu_env_free(char **env)
{
    for (size_t i = 0; env && env[i]; i++)
        free(env[i]);
    free(env);
}
