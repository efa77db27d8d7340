/* decimal.h — exact arithmetic on the number literals mh_json_parse keeps.
 *
 * A number node from mh_json_parse holds its literal in ->valuestring, so its
 * value is digits x 10^exponent exactly, whatever a double would round it to.
 * These functions judge on the literal; for nodes without one (built by
 * cJSON_CreateNumber) they fall back to the double, as each says. None of
 * them allocates or fails. (mh_json_is_integer, in json_strict.h, is the
 * public member of this family and lives in decimal.c too.)
 */
#ifndef MH_JSON_DECIMAL_H
#define MH_JSON_DECIMAL_H

#include <cjson/cJSON.h>
#include <stdint.h>

/* 1 when the number nodes a and b have the same value (1 == 1.0 == 1e0,
 * 0 == -0), else 0. Without a literal on either side: the doubles compare. */
int mh__dec_equal(const cJSON *a, const cJSON *b);

/* A hash of the number node n consistent with mh__dec_equal: equal values
 * hash alike (FNV-1a over sign, exponent and significant digits; a zero or
 * a node without a literal hashes its double's bits). */
uint64_t mh__dec_hash(const cJSON *n);

/* 1 when x is an integer multiple of m (m > 0), else 0: exact on the
 * literals while m has at most 19 significant digits (0.3 is a multiple of
 * 0.1); otherwise on the doubles, with a relative tolerance of 8 ulps, and
 * any quotient beyond 2^53 counts as whole. */
int mh__dec_multiple_of(const cJSON *x, const cJSON *m);

/* 1 when the integer node n lies in [-(2^(bits-1)), 2^(bits-1) - 1] (bits is
 * 32 or 64), exactly on the literal, else 0. n must be an integer
 * (mh_json_is_integer). */
int mh__dec_int_in_range(const cJSON *n, int bits);

#endif
