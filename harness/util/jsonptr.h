/* jsonptr.h — JSON pointers (RFC 6901), once: building, escaping, resolving.
 *
 * A pointer is "" (the whole document) or a sequence of "/token", where a
 * token spells '~' as "~0" and '/' as "~1". Everything that builds or follows
 * a pointer (the spec loader, $ref resolution, the validator's instance
 * paths) goes through here, so the escaping rule lives in one place. The
 * builders return new malloc'd strings (caller frees) or NULL on
 * out-of-memory; nothing here prints or keeps state.
 */
#ifndef MH_UTIL_JSONPTR_H
#define MH_UTIL_JSONPTR_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Bytes token takes once escaped (each '~' and '/' counts two). */
size_t mh__jsonptr_escaped_len(const char *token);

/* Writes token escaped (mh__jsonptr_escaped_len bytes, no NUL) at out;
 * returns the byte after the last one written. Cannot fail. */
char *mh__jsonptr_escape(char *out, const char *token);

/* base + "/" + token escaped: a new malloc'd string, or NULL on
 * out-of-memory. base is a pointer ("" for the root), token raw text. */
char *mh__jsonptr_append(const char *base, const char *token);

/* base + "/" + the decimal index i: a new malloc'd string, or NULL on
 * out-of-memory. */
char *mh__jsonptr_append_index(const char *base, size_t i);

/* The node the pointer names in root (borrowed from root), or NULL when it
 * names nothing or is malformed: not starting with '/', a '~' not followed by
 * 0 or 1, an array index with a leading zero or not all digits, a token over
 * 1023 bytes. Member names match exactly (case-sensitive, first match). */
const cJSON *mh__jsonptr_get(const cJSON *root, const char *pointer);

#endif
