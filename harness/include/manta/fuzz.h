/* fuzz.h — network fuzzing of one operation: seeded, structure-aware
 * mutation of the generator's cases, every check applied to every answer,
 * findings deduplicated and saved as replayable case files.
 */
#ifndef MANTA_FUZZ_H
#define MANTA_FUZZ_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "manta/check.h"
#include "manta/gen.h"
#include "manta/model.h"
#include "manta/prng.h"
#include "manta/redact.h"
#include "manta/transport.h"

/* Mutates a copy of base into *out (caller frees with mh_case_free) and
 * names the mutation in *op (static string). The copy is marked
 * MH_SUITE_FUZZ, its body validity (body_schema_valid) re-judged against
 * the operation's request schema: 0 only when the body is not JSON or is
 * schema-invalid, so a server that merely tolerates duplicate keys is not
 * blamed. Byte-level mutations never cut into an occurrence of keep (a
 * credential as it stands in the body; NULL or "" = nothing to keep): a
 * flipped byte inside a secret would make it unrecognisable to redaction and
 * leak the rest of it. Returns 0, or -1 on OOM. */
int mh_fuzz_mutate(mh_prng *rng, const mh_case *base, size_t iteration, const char *keep,
                   mh_case **out, const char **op);

typedef void (*mh_fuzz_status_fn)(void *ctx, size_t iterations, size_t findings, double elapsed_ms);

typedef struct {
    mh_gen_opts gen;             /* the seed plan the mutations start from */
    mh_transport_opts transport; /* target and limits */
    mh_check_opts checks;
    uint64_t seed;     /* mutation seed */
    size_t iterations; /* 0 = until duration */
    double duration_s; /* 0 = until iterations */
    mh_fuzz_status_fn status;
    void *status_ctx;
    volatile sig_atomic_t *stop;
} mh_fuzz_opts;

typedef struct {
    mh_result *findings; /* one result per unique finding signature */
    size_t count;
    size_t iterations, answered;
    double duration_ms;
    int interrupted;
    int unreachable; /* stopped early: the first connects failed, no answer */
    mh_redactor *redactor;
} mh_fuzz_out;

/* Runs the campaign. On MH_OK out owns everything (mh_fuzz_out_free).
 * Configuration errors come back before anything is sent. */
mh_status mh_fuzz_run(const mh_fuzz_opts *o, mh_fuzz_out *out, mh_error *err);
void mh_fuzz_out_free(mh_fuzz_out *out);

/* The dedup signature of a result's first error (or warning) finding:
 * "check|status|path-or-transport-kind". Writes into buf. */
void mh_fuzz_signature(const mh_result *r, char *buf, size_t n);

#endif
