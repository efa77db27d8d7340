/* tu_cli.h — building a CLI command line and judging what it did, for the
 * end-to-end suites. */
#ifndef MH_TU_CLI_H
#define MH_TU_CLI_H

#include <stddef.h>

/* A NULL-terminated argv of at most 63 borrowed strings. */
typedef struct {
    const char *v[64];
    size_t n;
} tu_args;

/* Appends the strings given (NULL ends the list) to a; fails the test when
 * more than 63 would be held. */
void tu_args_add(tu_args *a, ...);

/* What a CLI run did: its exit status and its stdout and stderr (owned;
 * tu_cli_free). */
typedef struct {
    int status;
    char *out, *err;
} tu_cli;

/* Runs the CLI with a (bounded by 120 s); fails the test when it did not
 * finish. */
tu_cli tu_cli_run(const tu_args *a);

/* Frees r's captured output. */
void tu_cli_free(tu_cli *r);

/* Runs a and expects exit 2 with exactly one stderr line naming every
 * string of names[0..n). Returns the run for further checks (caller frees
 * with tu_cli_free). */
tu_cli tu_cli_usage(const tu_args *a, const char *const *names, size_t n);

/* Fails the test unless text contains want. */
void tu_expect_in(const char *text, const char *want);

#endif
