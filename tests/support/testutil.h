/* testutil.h — small helpers shared by the Check suites: reading files,
 * running the CLI binary, building a child's environment, running a suite.
 * The rest of the support library: tu_tmp.h (scratch folders), tu_server.h
 * (the reference server in process or as `manta-harness serve`),
 * tu_hostile.h (misbehaving raw-socket servers), tu_report.h (JSON reports). */
#ifndef MH_TESTUTIL_H
#define MH_TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* Path of the bundled contract in the source tree. */
#define MH_TEST_SPEC MH_SOURCE_DIR "/contracts/manta-openapi.json"

/* Reads a whole file into a new NUL-terminated buffer (caller frees); NULL on error. */
char *tu_read_file(const char *path, size_t *len);

/* Runs the CLI binary with argv (NULL-terminated, argv[0] ignored) and optional
 * stdin text; captures stdout and stderr into new buffers (caller frees).
 * Returns the exit status, or -1 when it could not run or was killed. Bounded
 * by timeout_s seconds. */
int tu_run_cli(const char *const *argv, const char *stdin_text, char **out, char **err,
               int timeout_s);

/* The current environment plus extra "NAME=value" entries (NULL-terminated),
 * built before a fork so the child can execve it without allocating (a child
 * of a threaded process must not malloc). Free with tu_env_free. */
char **tu_env_with(const char *const *extra);

/* Frees an environment from tu_env_with; NULL is a no-op. */
void tu_env_free(char **env);

/* A monotonic clock in milliseconds, for measuring how long something took. */
double tu_now_ms(void);

/* How many '\n' the NUL-terminated s holds. */
size_t tu_count_lines(const char *s);

/* 1 when needle (NUL-terminated, not empty) occurs in hay[0..len), which may
 * hold NUL bytes; 0 otherwise and for an empty needle. */
int tu_contains(const char *hay, size_t len, const char *needle);

/* 1 when this build runs under AddressSanitizer (memory limits then mean
 * little), 0 otherwise. */
int tu_sanitized(void);

/* Runs a Check suite; returns the process exit code (0 when all passed). */
int tu_run_suite(Suite *s);

#endif
