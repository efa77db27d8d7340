#include "tu_server.h"

#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define LOG_CAP (1 << 20) /* stderr kept by tu_serve_stop; the rest is drained */

void tu_ref_start_opts(tu_ref *t, const mh_refserver_opts *o)
{
    memset(t, 0, sizeof *t);
    mh_error err;
    mh_error_clear(&err);
    ck_assert_msg(mh_spec_load(MH_TEST_SPEC, &t->spec, &err) == MH_OK, "%s: %s", MH_TEST_SPEC,
                  err.message);
    mh_refserver_opts opts = *o;
    opts.spec = t->spec;
    ck_assert_msg(mh_refserver_start(&opts, &t->srv, &err) == MH_OK,
                  "the reference server did not start: %s", err.message);
    snprintf(t->url, sizeof t->url, "%s", mh_refserver_base_url(t->srv));
}

void tu_ref_start(tu_ref *t, const char *bot, const char *secret, const char *jwt_key,
                  unsigned long long faults, int no_listen)
{
    const char *bots[] = {bot};
    mh_refserver_opts o;
    memset(&o, 0, sizeof o);
    o.bot_ids = bots;
    o.bot_count = 1;
    o.secret = secret;
    o.jwt_key = jwt_key;
    o.jwt_key_len = strlen(jwt_key);
    o.faults = faults;
    o.no_listen = no_listen;
    tu_ref_start_opts(t, &o);
}

void tu_ref_stop(tu_ref *t)
{
    mh_refserver_stop(t->srv);
    mh_spec_free(t->spec);
    memset(t, 0, sizeof *t);
}

/* Reads fd up to a newline or EOF into buf (NUL-terminated, newline
 * dropped), each wait bounded by timeout_ms. Returns the bytes read,
 * newline included. */
static size_t read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
    size_t n = 0, got = 0;
    while (n + 1 < cap) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, timeout_ms) <= 0 || read(fd, buf + n, 1) != 1)
            break;
        got++;
        if (buf[n] == '\n')
            break;
        n++;
    }
    buf[n] = '\0';
    return got;
}

/* Reads fd to EOF, each wait bounded by timeout_ms; keeps the first LOG_CAP
 * bytes and drains the rest (so the writer never blocks). New buffer. */
static char *read_to_eof(int fd, int timeout_ms)
{
    char *buf = malloc(LOG_CAP + 1);
    ck_assert_ptr_nonnull(buf);
    size_t n = 0;
    char drain[4096];
    struct pollfd p = {fd, POLLIN, 0};
    while (poll(&p, 1, timeout_ms) > 0) {
        ssize_t k = n < LOG_CAP ? read(fd, buf + n, LOG_CAP - n) : read(fd, drain, sizeof drain);
        if (k <= 0)
            break;
        if (n < LOG_CAP)
            n += (size_t)k;
    }
    buf[n] = '\0';
    return buf;
}

int tu_serve_start(tu_serve *s, const char *const *args, const char *const *env_extra, int keep_log)
{
    memset(s, 0, sizeof *s);
    s->out = s->err = -1;
    const char *av[32] = {MH_BINARY, "serve"};
    size_t n = 2;
    for (size_t i = 0; args && args[i]; i++) {
        ck_assert_uint_lt(n, 31);
        av[n++] = args[i];
    }
    av[n] = NULL;
    char **env = tu_env_with(env_extra);
    ck_assert_ptr_nonnull(env);
    int po[2], pe[2] = {-1, -1};
    ck_assert_int_eq(pipe(po), 0);
    if (keep_log)
        ck_assert_int_eq(pipe(pe), 0);
    s->pid = fork();
    ck_assert_int_ge(s->pid, 0);
    if (s->pid == 0) {
        /* Only async-signal-safe calls from here: no stdio, no malloc. */
        int log = keep_log ? pe[1] : open("/dev/null", O_WRONLY);
        if (log < 0 || dup2(po[1], 1) < 0 || dup2(log, 2) < 0)
            _exit(126);
        close(po[0]);
        close(po[1]);
        if (keep_log)
            close(pe[0]);
        close(log);
        execve(MH_BINARY, (char *const *)av, env);
        _exit(127);
    }
    tu_env_free(env);
    close(po[1]);
    s->out = po[0];
    if (keep_log) {
        close(pe[1]);
        s->err = pe[0];
    }
    return read_line(s->out, s->url, sizeof s->url, 20000) > 0 && s->url[0] ? 0 : -1;
}

int tu_serve_stop(tu_serve *s, int sig, char **log)
{
    if (s->pid > 0)
        kill(s->pid, sig);
    char *text = s->err >= 0 ? read_to_eof(s->err, 10000) : strdup("");
    ck_assert_ptr_nonnull(text);
    int status = 0, rc = -1, done = 0;
    for (int i = 0; s->pid > 0 && i < 200 && !done; i++) {
        if (waitpid(s->pid, &status, WNOHANG) == s->pid)
            done = 1;
        else
            usleep(50000);
    }
    if (s->pid > 0 && !done) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &status, 0);
    }
    if (done && WIFEXITED(status))
        rc = WEXITSTATUS(status);
    if (s->out >= 0)
        close(s->out);
    if (s->err >= 0)
        close(s->err);
    s->pid = 0;
    s->out = s->err = -1;
    if (log)
        *log = text;
    else
        free(text);
    return rc;
}
