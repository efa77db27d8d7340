/* utf8.h — UTF-8, once: validation, decoding, encoding and counting.
 *
 * "Valid" is RFC 3629: no overlong forms, no UTF-16 surrogates (U+D800 to
 * U+DFFF), nothing above U+10FFFF, no truncated sequence. None of these
 * functions allocates or fails.
 */
#ifndef MH_UTIL_UTF8_H
#define MH_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1..4) of the valid UTF-8 sequence starting at s, or 0 when the
 * bytes at s do not start one. n > 0 is how many bytes may be read. */
size_t mh__utf8_seq_len(const unsigned char *s, size_t n);

/* Decodes the valid sequence at s (n bytes readable): stores the code point
 * and returns its length, or returns 0 (and stores nothing) when invalid. */
size_t mh__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Writes cp (at most U+10FFFF) as UTF-8 into out; returns 1..4. */
size_t mh__utf8_encode(uint32_t cp, unsigned char out[4]);

/* Code points in the NUL-terminated string s (counting lead bytes; s is
 * assumed valid). NULL counts 0. */
size_t mh__utf8_count(const char *s);

/* Byte length of the first n code points of s (all of s when shorter). */
size_t mh__utf8_prefix(const char *s, size_t n);

/* 1 when s[0..n) is entirely valid UTF-8, else 0. */
int mh__utf8_valid(const char *s, size_t n);

#endif
