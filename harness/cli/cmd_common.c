#include "cmd_common.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int mh_cli_parse_long(const char *cmd, const char *flag, const char *text, long long min,
                      long long max, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (!text || !*text || *end || errno || v < min || v > max) {
        mh_cli_error(cmd, "%s: expected a whole number from %lld to %lld, got '%s'", flag, min, max,
                     text ? text : "");
        return -1;
    }
    *out = v;
    return 0;
}

int mh_cli_parse_u64(const char *cmd, const char *flag, const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = text ? strtoull(text, &end, 10) : 0;
    if (!text || !*text || *end || errno || text[0] == '-') {
        mh_cli_error(cmd, "%s: expected an unsigned 64-bit number, got '%s'", flag,
                     text ? text : "");
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int mh_cli_parse_double(const char *cmd, const char *flag, const char *text, double min,
                        double *out)
{
    char *end = NULL;
    errno = 0;
    double v = text ? strtod(text, &end) : 0;
    if (!text || !*text || *end || errno || !isfinite(v) || v < min) {
        mh_cli_error(cmd, "%s: expected a number >= %g, got '%s'", flag, min, text ? text : "");
        return -1;
    }
    *out = v;
    return 0;
}

const char *mh_cli_opt_name(const char *arg, char *buf, size_t cap)
{
    size_t n = arg ? strcspn(arg, "=") : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(buf, arg, n);
    buf[n] = '\0';
    return buf;
}

int mh_cli_value_is_option(const char *value)
{
    return value && value[0] == '-' && value[1] == '-' && value[2] != '\0';
}

const char *mh_cli_or_env(const char *value, const char *env)
{
    if (value)
        return value;
    const char *e = getenv(env);
    return e && *e ? e : NULL;
}

uint64_t mh_cli_random_u64(void)
{
    uint64_t v = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t k = read(fd, &v, sizeof v);
        close(fd);
        if (k == (ssize_t)sizeof v)
            return v;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
}

static volatile sig_atomic_t *stop_flag;

static void on_signal(int sig)
{
    if (stop_flag && !*stop_flag) {
        *stop_flag = 1;
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void mh_cli_install_stop(volatile sig_atomic_t *flag)
{
    stop_flag = flag;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int mh_cli_isatty(void *stream)
{
    return isatty(fileno((FILE *)stream));
}

void mh_cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "manta-harness %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

const char *mh_cli_default_spec(void)
{
    /* An installed binary finds its own contract first (bin/../share/...),
     * so a relocated prefix works; a build-tree binary has none there. */
    static char beside[4096];
    ssize_t n = readlink("/proc/self/exe", beside, sizeof beside - 1);
    if (n > 0) {
        beside[n] = '\0';
        char *slash = strrchr(beside, '/');
        static const char rel[] = "/../share/manta-harness/manta-openapi.json";
        if (slash && (size_t)(slash - beside) + sizeof rel <= sizeof beside) {
            memcpy(slash, rel, sizeof rel);
            static char canon[PATH_MAX];
            if (access(beside, R_OK) == 0)
                return realpath(beside, canon) ? canon : beside;
        }
    }
#ifdef MH_SOURCE_CONTRACT
    if (access(MH_SOURCE_CONTRACT, R_OK) == 0)
        return MH_SOURCE_CONTRACT;
#endif
#ifdef MH_INSTALLED_CONTRACT
    return MH_INSTALLED_CONTRACT;
#else
    return "contracts/manta-openapi.json";
#endif
}
