/* jwt.h — HS256 JSON Web Tokens over OpenSSL libcrypto (HMAC-SHA256, base64url). */
#ifndef MANTA_JWT_H
#define MANTA_JWT_H

#include <stddef.h>
#include <time.h>

#include "manta/error.h"

/* Mints header {"alg":"HS256","typ":"JWT"} and claims {"botId":bot_id,
 * "iat":iat,"exp":exp} (botId omitted when bot_id is NULL, exp omitted when
 * exp == 0) signed with key[0..key_len). Returns a new malloc'd string the
 * caller frees, or NULL on OOM. */
char *mh_jwt_mint(const char *key, size_t key_len, const char *bot_id, long long iat,
                  long long exp);

/* Mints a token with the given raw header and claims JSON texts, signed with
 * HS256 (or with an empty signature when sign is 0: the alg:none shape).
 * For tests and auth cases. Caller frees. */
char *mh_jwt_mint_raw(const char *header_json, const char *claims_json, const char *key,
                      size_t key_len, int sign);

typedef enum {
    MH_JWT_OK = 0,
    MH_JWT_MALFORMED, /* not three base64url parts of JSON objects */
    MH_JWT_BAD_ALG,   /* alg is not HS256 (none included) */
    MH_JWT_BAD_SIG,   /* signature mismatch (compared in constant time) */
    MH_JWT_NO_EXP,    /* exp missing or not a number */
    MH_JWT_EXPIRED    /* exp <= now */
} mh_jwt_result;

/* Verifies token (NUL-terminated) with key at time now. On MH_JWT_OK and when
 * bot_id_out is non-NULL, stores the botId claim (malloc'd, caller frees; NULL
 * when the claim is absent or not a string). */
mh_jwt_result mh_jwt_verify(const char *token, const char *key, size_t key_len, time_t now,
                            char **bot_id_out);

const char *mh_jwt_result_name(mh_jwt_result r);

/* base64url without padding. Caller frees; NULL on OOM. */
char *mh_base64url_encode(const unsigned char *data, size_t len);
/* Decodes base64url (no padding accepted or required). Caller frees *out.
 * Returns 0, or -1 on invalid input. */
int mh_base64url_decode(const char *s, size_t len, unsigned char **out, size_t *out_len);

#endif
