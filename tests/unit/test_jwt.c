/* test_jwt.c — HS256 minting and verification. */
#include <stdlib.h>
#include <string.h>

#include "manta/jwt.h"
#include "testutil.h"

#define KEY "test-key-0123456789"
#define KEYLEN (sizeof KEY - 1)
#define NOW 1700000000

static mh_jwt_result verify(const char *tok, char **bot)
{
    return mh_jwt_verify(tok, KEY, KEYLEN, NOW, bot);
}

START_TEST(jwt_mint_verify_round_trip)
{
    char *tok = mh_jwt_mint(KEY, KEYLEN, "bot-1", NOW, NOW + 60);
    ck_assert_ptr_nonnull(tok);
    ck_assert_int_eq(strchr(tok, '=') == NULL, 1);
    char *bot = NULL;
    ck_assert_int_eq(verify(tok, &bot), MH_JWT_OK);
    ck_assert_str_eq(bot, "bot-1");
    free(bot);
    free(tok);
}
END_TEST

START_TEST(jwt_verify_without_bot_claim_returns_null)
{
    char *tok = mh_jwt_mint(KEY, KEYLEN, NULL, NOW, NOW + 60);
    char *bot = (char *)"x";
    ck_assert_int_eq(verify(tok, &bot), MH_JWT_OK);
    ck_assert_ptr_null(bot);
    free(tok);
}
END_TEST

START_TEST(jwt_verify_wrong_key_bad_sig)
{
    char *tok = mh_jwt_mint("other", 5, "b", NOW, NOW + 60);
    ck_assert_int_eq(verify(tok, NULL), MH_JWT_BAD_SIG);
    free(tok);
}
END_TEST

START_TEST(jwt_verify_tampered_signature_refused)
{
    char *tok = mh_jwt_mint(KEY, KEYLEN, "b", NOW, NOW + 60);
    size_t n = strlen(tok);
    /* every position of the signature, including the last character whose
     * low bits are padding: non-canonical base64url must not verify */
    char *sig = strrchr(tok, '.') + 1;
    for (char *p = sig; *p; p++) {
        char saved = *p;
        *p = saved == 'A' ? 'B' : 'A';
        ck_assert_int_ne(verify(tok, NULL), MH_JWT_OK);
        *p = saved;
    }
    ck_assert_int_eq(verify(tok, NULL), MH_JWT_OK);
    tok[n - 1] = '\0'; /* truncated signature */
    ck_assert_int_ne(verify(tok, NULL), MH_JWT_OK);
    free(tok);
}
END_TEST

START_TEST(jwt_verify_tampered_claims_refused)
{
    char *good = mh_jwt_mint(KEY, KEYLEN, "b", NOW, NOW + 60);
    char *evil = mh_jwt_mint_raw("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                                 "{\"botId\":\"admin\",\"exp\":1800000000}", KEY, KEYLEN, 1);
    /* header and claims of evil, signature of good */
    char *mix = malloc(strlen(evil) + strlen(good) + 1);
    strcpy(mix, evil);
    strcpy(strrchr(mix, '.'), strrchr(good, '.'));
    ck_assert_int_eq(verify(mix, NULL), MH_JWT_BAD_SIG);
    free(mix);
    free(good);
    free(evil);
}
END_TEST

START_TEST(jwt_verify_alg_none_refused)
{
    char *tok = mh_jwt_mint_raw("{\"alg\":\"none\",\"typ\":\"JWT\"}",
                                "{\"botId\":\"b\",\"exp\":1800000000}", NULL, 0, 0);
    ck_assert_int_eq(verify(tok, NULL), MH_JWT_BAD_ALG);
    free(tok);
    /* alg:none with an HS256 signature appended still refused */
    tok = mh_jwt_mint_raw("{\"alg\":\"none\"}", "{\"exp\":1800000000}", KEY, KEYLEN, 1);
    ck_assert_int_eq(verify(tok, NULL), MH_JWT_BAD_ALG);
    free(tok);
}
END_TEST

START_TEST(jwt_verify_other_algs_refused)
{
    const char *headers[] = {"{\"alg\":\"HS512\"}",  "{\"alg\":\"RS256\"}", "{\"alg\":\"hs256\"}",
                             "{\"alg\":\"HS256 \"}", "{\"typ\":\"JWT\"}",   "{\"alg\":256}",
                             "{\"alg\":null}"};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char *tok = mh_jwt_mint_raw(headers[i], "{\"exp\":1800000000}", KEY, KEYLEN, 1);
        ck_assert_msg(verify(tok, NULL) == MH_JWT_BAD_ALG, "header %s", headers[i]);
        free(tok);
    }
}
END_TEST

START_TEST(jwt_verify_expired_refused)
{
    char *tok = mh_jwt_mint(KEY, KEYLEN, "b", NOW - 100, NOW - 1);
    ck_assert_int_eq(verify(tok, NULL), MH_JWT_EXPIRED);
    free(tok);
    tok = mh_jwt_mint(KEY, KEYLEN, "b", NOW - 100, NOW); /* exp == now is expired */
    ck_assert_int_eq(verify(tok, NULL), MH_JWT_EXPIRED);
    free(tok);
    tok = mh_jwt_mint(KEY, KEYLEN, "b", NOW - 100, NOW + 1);
    ck_assert_int_eq(verify(tok, NULL), MH_JWT_OK);
    free(tok);
}
END_TEST

START_TEST(jwt_verify_missing_or_bad_exp_refused)
{
    const char *claims[] = {"{\"botId\":\"b\"}", "{\"exp\":\"1800000000\"}", "{\"exp\":null}",
                            "{\"exp\":true}"};
    for (size_t i = 0; i < sizeof claims / sizeof claims[0]; i++) {
        char *tok = mh_jwt_mint_raw("{\"alg\":\"HS256\"}", claims[i], KEY, KEYLEN, 1);
        ck_assert_msg(verify(tok, NULL) == MH_JWT_NO_EXP, "claims %s", claims[i]);
        free(tok);
    }
    char *tok = mh_jwt_mint(KEY, KEYLEN, "b", NOW, 0);
    ck_assert_int_eq(verify(tok, NULL), MH_JWT_NO_EXP);
    free(tok);
}
END_TEST

START_TEST(jwt_verify_malformed_parts_refused)
{
    const char *bad[] = {"", ".", "..", "...", "a.b", "a.b.c.d", "abc", "e30.e30.",
                         /* "{}" header with "+" (standard alphabet) */
                         "e30+.e30.AAAA", "e30=.e30.AAAA", " e30.e30.AAAA"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(verify(bad[i], NULL) != MH_JWT_OK, "token '%s'", bad[i]);
    ck_assert_int_eq(verify(NULL, NULL), MH_JWT_MALFORMED);
    /* header not JSON, array, not strict (duplicate key, trailing data) */
    const char *headers[] = {"not json", "[]", "{\"alg\":\"HS256\",\"alg\":\"HS256\"}",
                             "{\"alg\":\"HS256\"} x", "\"HS256\""};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char *tok = mh_jwt_mint_raw(headers[i], "{\"exp\":1800000000}", KEY, KEYLEN, 1);
        ck_assert_msg(verify(tok, NULL) == MH_JWT_MALFORMED, "header %s", headers[i]);
        free(tok);
    }
    char *tok = mh_jwt_mint_raw("{\"alg\":\"HS256\"}", "[1]", KEY, KEYLEN, 1);
    ck_assert_int_eq(verify(tok, NULL), MH_JWT_MALFORMED);
    free(tok);
}
END_TEST

START_TEST(jwt_base64url_round_trip_edges)
{
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    for (size_t n = 0; n <= 256; n += (n < 8 ? 1 : 37)) {
        char *e = mh_base64url_encode(all, n);
        ck_assert_ptr_nonnull(e);
        ck_assert_ptr_null(strpbrk(e, "+/="));
        ck_assert_uint_eq(strlen(e), (n * 4 + 2) / 3);
        unsigned char *d = NULL;
        size_t dn = 0;
        ck_assert_int_eq(mh_base64url_decode(e, strlen(e), &d, &dn), 0);
        ck_assert_uint_eq(dn, n);
        ck_assert_int_eq(memcmp(d, all, n), 0);
        free(d);
        free(e);
    }
    char *e = mh_base64url_encode((const unsigned char *)"\xfb\xff", 2);
    ck_assert_str_eq(e, "-_8");
    free(e);
}
END_TEST

START_TEST(jwt_base64url_decode_rejects_noncanonical)
{
    const char *bad[] = {"A", "AAAAA", "QQ==", "QQ=", "Q+==", "ab/c", "a b", "QR", "QUF", "AB\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned char *d = NULL;
        size_t dn = 0;
        ck_assert_msg(mh_base64url_decode(bad[i], strlen(bad[i]), &d, &dn) == -1, "'%s'", bad[i]);
    }
    unsigned char *d = NULL;
    size_t dn = 7;
    ck_assert_int_eq(mh_base64url_decode("QQ", 2, &d, &dn), 0);
    ck_assert_uint_eq(dn, 1);
    ck_assert_int_eq(d[0], 'A');
    free(d);
    ck_assert_int_eq(mh_base64url_decode("", 0, &d, &dn), 0);
    ck_assert_uint_eq(dn, 0);
    free(d);
}
END_TEST

START_TEST(jwt_result_names_stable)
{
    ck_assert_str_eq(mh_jwt_result_name(MH_JWT_OK), "ok");
    ck_assert_str_eq(mh_jwt_result_name(MH_JWT_BAD_ALG), "bad_alg");
    ck_assert_str_eq(mh_jwt_result_name(MH_JWT_EXPIRED), "expired");
    ck_assert_str_eq(mh_jwt_result_name((mh_jwt_result)99), "unknown");
}
END_TEST

START_TEST(jwt_mint_escapes_bot_id)
{
    char *tok = mh_jwt_mint(KEY, KEYLEN, "a\"b\\c\xe4\xb8\xad", NOW, NOW + 60);
    char *bot = NULL;
    ck_assert_int_eq(verify(tok, &bot), MH_JWT_OK);
    ck_assert_str_eq(bot, "a\"b\\c\xe4\xb8\xad");
    free(bot);
    free(tok);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("jwt");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, jwt_mint_verify_round_trip);
    tcase_add_test(tc, jwt_verify_without_bot_claim_returns_null);
    tcase_add_test(tc, jwt_verify_wrong_key_bad_sig);
    tcase_add_test(tc, jwt_verify_tampered_signature_refused);
    tcase_add_test(tc, jwt_verify_tampered_claims_refused);
    tcase_add_test(tc, jwt_verify_alg_none_refused);
    tcase_add_test(tc, jwt_verify_other_algs_refused);
    tcase_add_test(tc, jwt_verify_expired_refused);
    tcase_add_test(tc, jwt_verify_missing_or_bad_exp_refused);
    tcase_add_test(tc, jwt_verify_malformed_parts_refused);
    tcase_add_test(tc, jwt_base64url_round_trip_edges);
    tcase_add_test(tc, jwt_base64url_decode_rejects_noncanonical);
    tcase_add_test(tc, jwt_result_names_stable);
    tcase_add_test(tc, jwt_mint_escapes_bot_id);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
