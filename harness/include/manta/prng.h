/* prng.h — a small seeded pseudo-random generator (xoshiro256**, seeded
 * through splitmix64).
 *
 * Deterministic across platforms: the same seed gives the same sequence, which
 * is what makes a case plan reproducible. Not for cryptography. The state is a
 * plain value owned by the caller; nothing is allocated.
 */
#ifndef MANTA_PRNG_H
#define MANTA_PRNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} mh_prng;

/* Seeds r from seed (any value, 0 included). */
void mh_prng_seed(mh_prng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t mh_prng_next(mh_prng *r);

/* A value in [0, n) without modulo bias; 0 when n is 0. */
uint64_t mh_prng_below(mh_prng *r, uint64_t n);

/* One splitmix64 step: a good 64-bit mix of x (used to derive seeds). */
uint64_t mh_prng_mix(uint64_t x);

#endif
