/* fuzz_jwt_verify.c — JWT parsing/verification and base64url.
 *
 * Properties:
 * - mh_jwt_verify on the input (as a NUL-terminated token) returns a named
 *   result, and a botId only with MH_JWT_OK.
 * - base64url decoding is canonical: whatever mh_base64url_decode accepts,
 *   mh_base64url_encode turns back into exactly the same text.
 * - minting round-trips: a token minted for the input as botId (when that is
 *   a string JSON can carry) verifies with the same botId.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "manta/json_strict.h"
#include "manta/jwt.h"

/* A fixed test key: this is fuzzing, not a deployment secret. */
static const char key[] = "fuzz-key-0123456789abcdef";
#define NOW ((time_t)1700000000)

static void verify_token(const char *token)
{
    char *bot = NULL;
    mh_jwt_result r = mh_jwt_verify(token, key, sizeof key - 1, NOW, &bot);
    MH_FUZZ_ASSERT(strcmp(mh_jwt_result_name(r), "unknown") != 0);
    MH_FUZZ_ASSERT(r == MH_JWT_OK || bot == NULL);
    free(bot);
}

static void base64url_canonical(const uint8_t *data, size_t size)
{
    unsigned char *raw = NULL;
    size_t raw_len = 0;
    if (mh_base64url_decode((const char *)data, size, &raw, &raw_len) != 0)
        return;
    char *again = mh_base64url_encode(raw, raw_len);
    MH_FUZZ_ASSERT(again != NULL);
    MH_FUZZ_ASSERT(strlen(again) == size && memcmp(again, data, size) == 0);
    free(again);
    free(raw);
}

/* 1 when s survives JSON quoting and strict parsing unchanged. */
static int json_carries(const char *s)
{
    char *quoted = mh_json_quote(s);
    cJSON *back = NULL;
    int ok = quoted && mh_json_parse(quoted, strlen(quoted), NULL, &back, NULL) == MH_JSON_OK &&
             cJSON_IsString(back) && strcmp(back->valuestring, s) == 0;
    cJSON_Delete(back);
    free(quoted);
    return ok;
}

static void mint_round_trip(const char *bot_id)
{
    if (!json_carries(bot_id))
        return;
    char *token = mh_jwt_mint(key, sizeof key - 1, bot_id, NOW - 10, NOW + 60);
    MH_FUZZ_ASSERT(token != NULL);
    char *bot = NULL;
    MH_FUZZ_ASSERT(mh_jwt_verify(token, key, sizeof key - 1, NOW, &bot) == MH_JWT_OK);
    MH_FUZZ_ASSERT(bot != NULL && strcmp(bot, bot_id) == 0);
    free(bot);
    free(token);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *token = mh_fuzz_strndup(data, size);
    verify_token(token);
    base64url_canonical(data, size);
    if (size <= 256)
        mint_round_trip(token);
    free(token);
    return 0;
}
