/* jwt.c — HS256 JSON Web Tokens over OpenSSL libcrypto.
 *
 * base64url: OpenSSL only speaks standard base64 (EVP_EncodeBlock /
 * EVP_DecodeBlock), so we translate the alphabet and handle padding around
 * it. Decoding checks the alphabet and the unused trailing bits by hand first
 * because EVP_DecodeBlock tolerates whitespace and non-canonical input, and a
 * JWT verifier must not accept two spellings of one signature.
 */
#include "manta/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "util/buf.h"

#define SIG_LEN 32 /* HMAC-SHA256 */

char *mh_base64url_encode(const unsigned char *data, size_t len)
{
    size_t cap = 4 * ((len + 2) / 3) + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    int n = len ? EVP_EncodeBlock((unsigned char *)out, data, (int)len) : 0;
    while (n > 0 && out[n - 1] == '=')
        n--;
    out[n] = '\0';
    for (char *p = out; *p; p++) {
        if (*p == '+')
            *p = '-';
        else if (*p == '/')
            *p = '_';
    }
    return out;
}

static int b64url_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

/* Rejects foreign characters, impossible lengths and non-zero padding bits. */
static int b64url_canonical(const char *s, size_t len)
{
    if (len % 4 == 1)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (b64url_value(s[i]) < 0)
            return 0;
    if (len % 4 == 2)
        return (b64url_value(s[len - 1]) & 0x0f) == 0;
    if (len % 4 == 3)
        return (b64url_value(s[len - 1]) & 0x03) == 0;
    return 1;
}

int mh_base64url_decode(const char *s, size_t len, unsigned char **out, size_t *out_len)
{
    if (!b64url_canonical(s, len))
        return -1;
    size_t pad = (4 - len % 4) % 4;
    char *std = malloc(len + pad + 1);
    unsigned char *bin = malloc((len + pad) / 4 * 3 + 1);
    if (!std || !bin)
        goto fail;
    for (size_t i = 0; i < len; i++)
        std[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
    memset(std + len, '=', pad);
    std[len + pad] = '\0';
    int n = len ? EVP_DecodeBlock(bin, (unsigned char *)std, (int)(len + pad)) : 0;
    if (n < 0 || (size_t)n < pad)
        goto fail;
    free(std);
    *out = bin;
    *out_len = (size_t)n - pad; /* EVP_DecodeBlock counts the padding as zero bytes */
    return 0;
fail:
    free(std);
    free(bin);
    return -1;
}

/* base64url(HMAC-SHA256(key, input[0..len))). Caller frees. */
static char *sign(const char *key, size_t key_len, const char *input, size_t len)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (!HMAC(EVP_sha256(), key ? key : "", (int)key_len, (const unsigned char *)input, len, mac,
              &mac_len))
        return NULL;
    return mh_base64url_encode(mac, mac_len);
}

char *mh_jwt_mint_raw(const char *header_json, const char *claims_json, const char *key,
                      size_t key_len, int sign_it)
{
    char *h = mh_base64url_encode((const unsigned char *)header_json, strlen(header_json));
    char *c = mh_base64url_encode((const unsigned char *)claims_json, strlen(claims_json));
    char *signing = NULL, *sig = NULL, *out = NULL;
    if (!h || !c)
        goto done;
    size_t n = strlen(h) + 1 + strlen(c);
    signing = malloc(n + 1);
    if (!signing)
        goto done;
    snprintf(signing, n + 1, "%s.%s", h, c);
    sig = sign_it ? sign(key, key_len, signing, n) : strdup("");
    if (!sig)
        goto done;
    out = malloc(n + 1 + strlen(sig) + 1);
    if (out)
        sprintf(out, "%s.%s", signing, sig);
done:
    free(h);
    free(c);
    free(signing);
    free(sig);
    return out;
}

char *mh_jwt_mint(const char *key, size_t key_len, const char *bot_id, long long iat, long long exp)
{
    char *quoted = bot_id ? mh_json_quote(bot_id) : NULL;
    if (bot_id && !quoted)
        return NULL;
    mh__buf claims = MH__BUF_INIT;
    mh__buf_adds(&claims, "{");
    if (quoted)
        mh__buf_addf(&claims, "\"botId\":%s,", quoted);
    mh__buf_addf(&claims, "\"iat\":%lld", iat);
    if (exp != 0)
        mh__buf_addf(&claims, ",\"exp\":%lld", exp);
    mh__buf_adds(&claims, "}");
    free(quoted);
    char *text = mh__buf_take(&claims, NULL);
    char *out =
        text ? mh_jwt_mint_raw("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", text, key, key_len, 1) : NULL;
    free(text);
    return out;
}

/* Decodes one part and parses it as a strict JSON object. NULL otherwise. */
static cJSON *decode_object(const char *s, size_t len)
{
    unsigned char *raw = NULL;
    size_t raw_len = 0;
    if (mh_base64url_decode(s, len, &raw, &raw_len) != 0)
        return NULL;
    cJSON *obj = NULL;
    if (mh_json_parse((const char *)raw, raw_len, NULL, &obj, NULL) != MH_JSON_OK)
        obj = NULL;
    free(raw);
    if (obj && !cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        obj = NULL;
    }
    return obj;
}

/* Constant-time comparison of the signature part against the expected MAC. */
static int signature_matches(const char *token, size_t signing_len, const char *sig, size_t sig_len,
                             const char *key, size_t key_len)
{
    unsigned char *given = NULL;
    size_t given_len = 0;
    if (mh_base64url_decode(sig, sig_len, &given, &given_len) != 0)
        return 0;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    int ok = HMAC(EVP_sha256(), key ? key : "", (int)key_len, (const unsigned char *)token,
                  signing_len, mac, &mac_len) != NULL &&
             given_len == SIG_LEN && mac_len == SIG_LEN && CRYPTO_memcmp(given, mac, SIG_LEN) == 0;
    free(given);
    return ok;
}

static mh_jwt_result check_claims(const cJSON *claims, time_t now, char **bot_id_out)
{
    const cJSON *exp = mh_json_get(claims, "exp");
    if (!cJSON_IsNumber(exp))
        return MH_JWT_NO_EXP;
    if (exp->valuedouble <= (double)now)
        return MH_JWT_EXPIRED;
    if (bot_id_out) {
        const cJSON *bot = mh_json_get(claims, "botId");
        *bot_id_out = NULL;
        if (cJSON_IsString(bot) && !(*bot_id_out = strdup(bot->valuestring)))
            return MH_JWT_MALFORMED; /* OOM: refuse rather than lose the claim */
    }
    return MH_JWT_OK;
}

mh_jwt_result mh_jwt_verify(const char *token, const char *key, size_t key_len, time_t now,
                            char **bot_id_out)
{
    if (bot_id_out)
        *bot_id_out = NULL;
    if (!token)
        return MH_JWT_MALFORMED;
    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || strchr(dot2 + 1, '.'))
        return MH_JWT_MALFORMED;
    cJSON *header = decode_object(token, (size_t)(dot1 - token));
    cJSON *claims = decode_object(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    mh_jwt_result r = MH_JWT_OK;
    const cJSON *alg = mh_json_get(header, "alg");
    if (!header || !claims)
        r = MH_JWT_MALFORMED;
    else if (!cJSON_IsString(alg) || strcmp(alg->valuestring, "HS256") != 0)
        r = MH_JWT_BAD_ALG;
    else if (!signature_matches(token, (size_t)(dot2 - token), dot2 + 1, strlen(dot2 + 1), key,
                                key_len))
        r = MH_JWT_BAD_SIG;
    else
        r = check_claims(claims, now, bot_id_out);
    cJSON_Delete(header);
    cJSON_Delete(claims);
    return r;
}

const char *mh_jwt_result_name(mh_jwt_result r)
{
    switch (r) {
    case MH_JWT_OK:
        return "ok";
    case MH_JWT_MALFORMED:
        return "malformed";
    case MH_JWT_BAD_ALG:
        return "bad_alg";
    case MH_JWT_BAD_SIG:
        return "bad_signature";
    case MH_JWT_NO_EXP:
        return "no_exp";
    case MH_JWT_EXPIRED:
        return "expired";
    }
    return "unknown";
}
