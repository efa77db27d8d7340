/* buf.h — the one growable byte buffer of the engine, with a size cap.
 *
 * Every string or array that grows goes through here, so "out of memory" and
 * "too big" are decided once. A buffer starts zeroed (MH__BUF_INIT, or
 * mh__buf_init to set a cap). Appends never fail loudly: the first failure
 * sets `failed` (and `over` when the cap was the cause) and later appends do
 * nothing, so a caller appends freely and checks once at the end. The
 * contents are NUL-terminated after any successful append. The buffer owns p
 * until mh__buf_take hands it over; mh__buf_free releases it.
 */
#ifndef MH_UTIL_BUF_H
#define MH_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *p;    /* NULL until the first append */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* most bytes len may reach; 0 = no cap */
    int failed; /* an append failed: out of memory or over max */
    int over;   /* ... and it was the cap */
} mh__buf;

#define MH__BUF_INIT                                                                               \
    {                                                                                              \
        NULL, 0, 0, 0, 0, 0                                                                        \
    }

/* Zeroes b and sets its cap (0 = none). */
void mh__buf_init(mh__buf *b, size_t max);

/* Appends s[0..n) (NULs allowed). */
void mh__buf_add(mh__buf *b, const void *s, size_t n);
/* Appends the NUL-terminated s. */
void mh__buf_adds(mh__buf *b, const char *s);
/* Appends printf-formatted text. */
void mh__buf_addf(mh__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends one Unicode code point as UTF-8 (cp <= 0x10FFFF). */
void mh__buf_add_cp(mh__buf *b, uint32_t cp);
/* Makes room for n more bytes without using them: returns a pointer to
 * write at most n bytes at (then call mh__buf_commit), or NULL on failure. */
char *mh__buf_reserve(mh__buf *b, size_t n);
/* Marks n reserved bytes as used and NUL-terminates. */
void mh__buf_commit(mh__buf *b, size_t n);

/* Hands over the contents: a malloc'd NUL-terminated string ("" when nothing
 * was appended) that the caller frees, with its length in *len when len is
 * non-NULL. Returns NULL when any append failed (the contents are freed).
 * Either way b is reset to empty, keeping its cap. */
char *mh__buf_take(mh__buf *b, size_t *len);

/* Frees the contents and resets b (keeping its cap). NULL is a no-op. */
void mh__buf_free(mh__buf *b);

#endif
