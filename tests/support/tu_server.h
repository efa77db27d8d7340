/* tu_server.h — the reference server for the tests, in this process
 * (tu_ref: mh_refserver on the bundled contract) or as the CLI runs it
 * (tu_serve: a `manta-harness serve` child process).
 *
 * The starting functions fail the current Check test (ck_assert) when they
 * cannot start anything at all; the rest return a status. */
#ifndef MH_TU_SERVER_H
#define MH_TU_SERVER_H

#include <sys/types.h>

#include "manta/spec.h"
#include "refserver.h"

/* ------------------------------------------------------ in this process */

typedef struct {
    mh_spec *spec;     /* the bundled contract (MH_TEST_SPEC), owned */
    mh_refserver *srv; /* owned */
    char url[128];     /* its base URL, "http://127.0.0.1:PORT"; "" when no_listen */
} tu_ref;

/* Starts the reference server in this process with o's settings on the
 * bundled contract, which it loads into t->spec (o->spec is ignored). Fails
 * the current test when the contract does not load or the server does not
 * start. Stop with tu_ref_stop. */
void tu_ref_start_opts(tu_ref *t, const mh_refserver_opts *o);

/* tu_ref_start_opts for one bot with the body secret and the JWT key
 * (strings copied by the server), the given faults (MH_FAULT_BIT bits), on
 * an ephemeral loopback port or, with no_listen, only for
 * mh_refserver_handle. */
void tu_ref_start(tu_ref *t, const char *bot, const char *secret, const char *jwt_key,
                  unsigned long long faults, int no_listen);

/* Stops the server (waiting for in-flight requests), frees the contract and
 * zeroes t. A zeroed t is a no-op. */
void tu_ref_stop(tu_ref *t);

/* ------------------------------------------- `manta-harness serve` child */

typedef struct {
    pid_t pid;     /* the serve process; 0 once stopped */
    int out;       /* read end of its stdout (first line already read); -1 once stopped */
    int err;       /* read end of its stderr (the request log); -1 when it went to /dev/null */
    char url[256]; /* its first stdout line without the newline (the base URL); "" when none */
} tu_serve;

/* Starts `manta-harness serve ARGS...` (args NULL-terminated, after "serve";
 * at most 28) in the current environment plus env_extra ("NAME=value",
 * NULL-terminated; NULL for none), stdout on a pipe and stderr on a pipe
 * when keep_log (else /dev/null), and waits up to 20 s for the first stdout
 * line, kept in s->url. The argv and environment are built before the fork
 * and the child only redirects and execs: a child of a threaded test process
 * must not allocate. Returns 0 when serve printed its first line, -1 when
 * not (it may have exited on a usage error); either way s is to be stopped
 * with tu_serve_stop. Fails the current test when no process can start. */
int tu_serve_start(tu_serve *s, const char *const *args, const char *const *env_extra,
                   int keep_log);

/* Sends sig (SIGTERM, SIGINT) to serve, reads its stderr to the end when
 * kept (each wait bounded by 10 s, at most 64 KiB), waits up to 10 s for it
 * to exit (then kills it) and closes the pipes. Returns its exit status, -1
 * when a signal ended it or it had to be killed. When log is not NULL, *log
 * gets the stderr text as a new NUL-terminated buffer the caller frees (""
 * when stderr was not kept). */
int tu_serve_stop(tu_serve *s, int sig, char **log);

#endif
