/* credential.h — the one rule for credential-like property names.
 *
 * A request-body property whose name looks like a credential carries the
 * configured secret: the case generator (gen.h) sends --secret in it, and the
 * reference server (refserver.h) checks it. Both ask this rule, so they
 * always agree on which property that is.
 *
 * The rule: the name contains, ignoring ASCII case, one of
 *   secret, password, passwd, token, credential,
 *   or "api" followed by "key" directly or after any one byte
 * — that is /secret|password|passwd|token|credential|api.?key/i searched
 * anywhere in the whole name. It is the union of the generator's former rule
 * (secret, password, passwd, token, apikey, api_key, credential; first 255
 * bytes) and the reference server's (/secret|password|token|api.?key/i; first
 * 127 bytes), so every name either called a credential still is one. Matching
 * is by substring: "clientSecret", "api-key" and "tokenizer" match; "name",
 * "key" and "passport" do not. Whether the property must also be a string is
 * the caller's business.
 */
#ifndef MANTA_CREDENTIAL_H
#define MANTA_CREDENTIAL_H

#include <stddef.h>

#include "manta/redact.h"

/* 1 when name looks like a credential (the rule above), else 0. NULL is 0.
 * This function can't fail. */
int mh_credential_name(const char *name);

/* Configured credentials of security schemes (--api-key, --basic) are
 * secrets like the token: registered with the redactor under these
 * placeholders, which name the environment variable a reproduction reads.
 * $MANTA_BASIC is "USER:PASS" itself; the other two are derived from it
 * (the curl reproduction rebuilds them from $MANTA_BASIC). */
#define MH_PLACEHOLDER_BASIC "$MANTA_BASIC"
#define MH_PLACEHOLDER_BASIC_B64 "$MANTA_BASIC_B64"
#define MH_PLACEHOLDER_BASIC_PASSWORD "$MANTA_BASIC_PASSWORD"

/* The environment variable of the API key of the security scheme named
 * scheme, which is also its placeholder in every output ("$" + it):
 * "MANTA_API_KEY_" and the scheme name, ASCII letters upper-cased and every
 * byte that is not a letter or a digit written as '_' ("api_key" gives
 * MANTA_API_KEY_API_KEY, "X-Key" MANTA_API_KEY_X_KEY). Written into buf (n
 * bytes with the NUL, cut to fit; n > 0). Returns buf; can't fail. */
char *mh_credential_api_key_var(const char *scheme, char *buf, size_t n);

/* The base64 (RFC 4648 section 4, padded) of user_pass: what follows
 * "Basic " in the Authorization header (RFC 7617). New string the caller
 * frees; NULL for a NULL user_pass or on OOM. */
char *mh_credential_basic_b64(const char *user_pass);

/* Registers the API key value of scheme with r under "$" +
 * mh_credential_api_key_var(scheme). NULL or empty values are ignored.
 * Returns 0, or -1 on OOM. */
int mh_credential_redact_api_key(mh_redactor *r, const char *scheme, const char *value);

/* Registers basic credentials user_pass ("USER:PASS") with r: the whole as
 * $MANTA_BASIC, its base64 as $MANTA_BASIC_B64, the password (what follows
 * the first ':', when not empty) as $MANTA_BASIC_PASSWORD. The user name
 * alone is no secret. NULL or empty user_pass is ignored. Returns 0, or -1
 * on OOM. */
int mh_credential_redact_basic(mh_redactor *r, const char *user_pass);

#endif
