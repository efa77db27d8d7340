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

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

typedef struct {
    char *data;
    size_t len, cap;
} tu_buf;

static void buf_append(tu_buf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 4096);
        while (cap < b->len + n + 1)
            cap *= 2;
        char *nd = realloc(b->data, cap);
        if (!nd)
            return;
        b->data = nd;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
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
    tu_buf bo = {0}, be = {0};
    buf_append(&bo, "", 0);
    buf_append(&be, "", 0);
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
                buf_append(i == 0 ? &bo : &be, chunk, (size_t)k);
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    int status = 0;
    waitpid(pid, &status, 0);
    if (out)
        *out = bo.data;
    else
        free(bo.data);
    if (err)
        *err = be.data;
    else
        free(be.data);
    if (killed || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
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
