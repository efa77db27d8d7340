/* redact.h — keep secrets out of every output.
 *
 * A redactor knows the secret values (token(s), JWT key, body secret, API
 * keys, basic credentials) and the placeholder each becomes ($MANTA_TOKEN,
 * $MANTA_JWT_KEY, $MANTA_SECRET, $MANTA_API_KEY_<SCHEME>, $MANTA_BASIC...:
 * credential.h).
 * Every string that leaves the engine (console, log, report, curl command)
 * goes through mh_redact(). Also matches each secret's JSON-escaped form.
 */
#ifndef MANTA_REDACT_H
#define MANTA_REDACT_H

#include <stddef.h>

typedef struct mh_redactor mh_redactor;

/* New empty redactor. Caller frees with mh_redactor_free. NULL on OOM. */
mh_redactor *mh_redactor_new(void);
void mh_redactor_free(mh_redactor *r);

/* Registers secret (copied) to be replaced by placeholder (copied). Empty or
 * NULL secrets are ignored. Longer secrets are replaced first. Returns 0 or -1
 * on OOM. Thread-safe against concurrent mh_redact only if all adds happen
 * before use. */
int mh_redactor_add(mh_redactor *r, const char *secret, const char *placeholder);

/* Returns a new NUL-terminated copy of s[0..len) with every secret replaced.
 * Caller frees. NULL r copies unchanged. NULL on OOM. */
char *mh_redact(const mh_redactor *r, const char *s, size_t len);

/* The same for binary data: the result may contain NUL bytes, so its length
 * is stored in *out_len (when non-NULL). Caller frees. */
char *mh_redact_len(const mh_redactor *r, const char *s, size_t len, size_t *out_len);

/* 1 when s[0..len) contains any registered secret (raw or JSON-escaped),
 * and stores the first one's placeholder in *which (borrowed). */
int mh_redact_contains(const mh_redactor *r, const char *s, size_t len, const char **which);

/* The longest placeholder registered with r that s[0..len) starts with
 * (borrowed from r), or NULL: how a writer that treats placeholders
 * specially (the curl reproduction) finds them. NULL r has none. */
const char *mh_redact_placeholder_at(const mh_redactor *r, const char *s, size_t len);

#endif
