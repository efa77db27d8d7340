/* testutil.h — small helpers shared by the Check suites. */
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
void tu_env_free(char **env);

/* Runs a Check suite; returns the process exit code (0 when all passed). */
int tu_run_suite(Suite *s);

#endif
