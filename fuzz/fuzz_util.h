/* fuzz_util.h — what every fuzz target in fuzz/ shares.
 *
 * Each target defines LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize when it
 * needs one-time setup). Built with MH_FUZZ, libFuzzer provides main(); built
 * as a plain program (gcc, CTest), replay_main.c provides a main() that feeds
 * every file named on the command line (directories are walked one level) to
 * the target once, so the seed corpus doubles as a regression suite.
 *
 * A broken property calls MH_FUZZ_ASSERT, which traps: libFuzzer saves the
 * input as a crash artifact and the replay program dies with SIGILL.
 */
#ifndef MH_FUZZ_UTIL_H
#define MH_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Traps when cond is false; the message goes to stderr first so a replay or
 * a libFuzzer crash report says which property broke. */
#define MH_FUZZ_ASSERT(cond)                                                                       \
    do {                                                                                           \
        if (!(cond))                                                                               \
            mh_fuzz_fail(__FILE__, __LINE__, #cond);                                               \
    } while (0)

__attribute__((noreturn)) void mh_fuzz_fail(const char *file, int line, const char *what);

/* A malloc'd NUL-terminated copy of data[0..size); aborts on out-of-memory
 * (a fuzz target has nothing better to do). Caller frees. */
char *mh_fuzz_strndup(const uint8_t *data, size_t size);

/* Path of the bundled contract: $MH_FUZZ_SPEC, else manta-openapi.json next
 * to the running binary (OSS-Fuzz $OUT layout), else the source tree's copy
 * (MH_SOURCE_CONTRACT). Returns a static buffer. */
const char *mh_fuzz_contract_path(void);

#endif
