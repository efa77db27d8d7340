/* test_redact.c — secrets never survive mh_redact, in any of their forms. */
#include <stdlib.h>
#include <string.h>

#include "manta/redact.h"
#include "testutil.h"

static mh_redactor *make(void)
{
    mh_redactor *r = mh_redactor_new();
    ck_assert_ptr_nonnull(r);
    return r;
}

static void expect_redacted(const mh_redactor *r, const char *in, const char *want)
{
    char *out = mh_redact(r, in, strlen(in));
    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(out, want);
    free(out);
}

START_TEST(redact_raw_replaced)
{
    mh_redactor *r = make();
    ck_assert_int_eq(mh_redactor_add(r, "s3cr3t-value", "$MANTA_SECRET"), 0);
    expect_redacted(r, "{\"secret\":\"s3cr3t-value\"} and s3cr3t-value",
                    "{\"secret\":\"$MANTA_SECRET\"} and $MANTA_SECRET");
    expect_redacted(r, "nothing here", "nothing here");
    expect_redacted(r, "", "");
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_json_escaped_replaced)
{
    mh_redactor *r = make();
    ck_assert_int_eq(mh_redactor_add(r, "a\"b\\c\nd", "$MANTA_SECRET"), 0);
    expect_redacted(r, "{\"m\":\"a\\\"b\\\\c\\nd\"}", "{\"m\":\"$MANTA_SECRET\"}");
    /* A control character outside the short escapes: \u001f. */
    mh_redactor_add(r, "x\x1fy-key", "$MANTA_JWT_KEY");
    expect_redacted(r, "\"x\\u001fy-key\"", "\"$MANTA_JWT_KEY\"");
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_solidus_escaped_replaced)
{
    mh_redactor *r = make();
    mh_redactor_add(r, "ab/cd+ef", "$MANTA_JWT_KEY");
    expect_redacted(r, "\"ab\\/cd+ef\"", "\"$MANTA_JWT_KEY\"");
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_other_encoders_escapes_replaced)
{
    mh_redactor *r = make();
    mh_redactor_add(r, "a&b<c>\xc3\xa9\xf0\x9f\x98\x80", "$MANTA_SECRET");
    /* Go's HTML-safe escapes, then ASCII-only output in both hex cases. */
    expect_redacted(r, "\"a\\u0026b\\u003cc\\u003e\xc3\xa9\xf0\x9f\x98\x80\"", "\"$MANTA_SECRET\"");
    expect_redacted(r, "\"a&b<c>\\u00e9\\ud83d\\ude00\"", "\"$MANTA_SECRET\"");
    expect_redacted(r, "\"a&b<c>\\u00E9\\uD83D\\uDE00\"", "\"$MANTA_SECRET\"");
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_percent_encoded_replaced)
{
    mh_redactor *r = make();
    mh_redactor_add(r, "p@ss w/rd", "$MANTA_SECRET");
    expect_redacted(r, "?s=p%40ss%20w%2Frd&x=1", "?s=$MANTA_SECRET&x=1");
    expect_redacted(r, "?s=p%40ss%20w%2frd", "?s=$MANTA_SECRET");
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_longest_first_wins)
{
    mh_redactor *r = make();
    mh_redactor_add(r, "abcd", "$SHORT");
    mh_redactor_add(r, "abcdefgh", "$LONG");
    expect_redacted(r, "xabcdefghy abcd", "x$LONGy $SHORT");
    mh_redactor_free(r);
    /* Same, registered the other way round. */
    r = make();
    mh_redactor_add(r, "abcdefgh", "$LONG");
    mh_redactor_add(r, "abcd", "$SHORT");
    expect_redacted(r, "abcdefgh abcd", "$LONG $SHORT");
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_overlapping_no_secret_survives)
{
    mh_redactor *r = make();
    mh_redactor_add(r, "1234", "$A");
    mh_redactor_add(r, "345678", "$B");
    char *out = mh_redact(r, "0123456789", 10);
    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(out, "012$B9");
    ck_assert_ptr_null(strstr(out, "1234"));
    ck_assert_ptr_null(strstr(out, "345678"));
    free(out);
    /* Adjacent and repeated occurrences. */
    expect_redacted(r, "12341234", "$A$A");
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_empty_secret_ignored)
{
    mh_redactor *r = make();
    ck_assert_int_eq(mh_redactor_add(r, "", "$X"), 0);
    ck_assert_int_eq(mh_redactor_add(r, NULL, "$X"), 0);
    expect_redacted(r, "abc", "abc");
    const char *which = "unset";
    ck_assert_int_eq(mh_redact_contains(r, "abc", 3, &which), 0);
    ck_assert_str_eq(which, "unset");
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_binary_input_with_nuls)
{
    mh_redactor *r = make();
    mh_redactor_add(r, "tok3n", "$MANTA_TOKEN");
    const char in[] = "a\0tok3n\0b";
    char *out = mh_redact(r, in, sizeof in - 1);
    ck_assert_ptr_nonnull(out);
    const char want[] = "a\0$MANTA_TOKEN\0b";
    ck_assert_int_eq(memcmp(out, want, sizeof want), 0);
    free(out);
    const char *which = NULL;
    ck_assert_int_eq(mh_redact_contains(r, in, sizeof in - 1, &which), 1);
    ck_assert_str_eq(which, "$MANTA_TOKEN");
    /* The secret just past len is not seen. */
    ck_assert_int_eq(mh_redact_contains(r, in, 6, NULL), 0);
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_null_redactor_copies)
{
    char *out = mh_redact(NULL, "abc", 3);
    ck_assert_str_eq(out, "abc");
    free(out);
    out = mh_redact(NULL, "abcdef", 2);
    ck_assert_str_eq(out, "ab");
    free(out);
    ck_assert_int_eq(mh_redact_contains(NULL, "abc", 3, NULL), 0);
    mh_redactor_free(NULL);
}
END_TEST

START_TEST(redact_contains_each_form_detected)
{
    mh_redactor *r = make();
    mh_redactor_add(r, "k\"ey/1", "$MANTA_JWT_KEY");
    const char *forms[] = {"k\"ey/1", "k\\\"ey/1", "k\\\"ey\\/1", "k%22ey%2F1", "k%22ey%2f1"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const char *which = NULL;
        ck_assert_msg(mh_redact_contains(r, forms[i], strlen(forms[i]), &which) == 1, "form %zu",
                      i);
        ck_assert_str_eq(which, "$MANTA_JWT_KEY");
        char *out = mh_redact(r, forms[i], strlen(forms[i]));
        ck_assert_str_eq(out, "$MANTA_JWT_KEY");
        free(out);
    }
    ck_assert_int_eq(mh_redact_contains(r, "k\"ey", 4, NULL), 0);
    mh_redactor_free(r);
}
END_TEST

START_TEST(redact_large_body_all_replaced)
{
    mh_redactor *r = make();
    mh_redactor_add(r, "SECRETVALUE", "$S");
    size_t n = 4u << 20;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = '\0';
    for (size_t at = 1000; at + 11 < n; at += 500000)
        memcpy(big + at, "SECRETVALUE", 11);
    char *out = mh_redact(r, big, n);
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_null(strstr(out, "SECRETVALUE"));
    ck_assert_ptr_nonnull(strstr(out, "x$Sx"));
    free(out);
    free(big);
    mh_redactor_free(r);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("redact");
    TCase *t = tcase_create("core");
    tcase_add_test(t, redact_raw_replaced);
    tcase_add_test(t, redact_json_escaped_replaced);
    tcase_add_test(t, redact_solidus_escaped_replaced);
    tcase_add_test(t, redact_other_encoders_escapes_replaced);
    tcase_add_test(t, redact_percent_encoded_replaced);
    tcase_add_test(t, redact_longest_first_wins);
    tcase_add_test(t, redact_overlapping_no_secret_survives);
    tcase_add_test(t, redact_empty_secret_ignored);
    tcase_add_test(t, redact_binary_input_with_nuls);
    tcase_add_test(t, redact_null_redactor_copies);
    tcase_add_test(t, redact_contains_each_form_detected);
    tcase_add_test(t, redact_large_body_all_replaced);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
