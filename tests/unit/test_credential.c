/* test_credential.c — the one credential-name rule (manta/credential.h)
 * that the case generator and the reference server share. */
#include <string.h>

#include "manta/credential.h"
#include "testutil.h"

/* The rule as it is: /secret|password|passwd|token|credential|api.?key/i,
 * anywhere in the name. */
START_TEST(credential_name_table_matches_rule)
{
    static const struct {
        const char *name;
        int cred;
    } t[] = {
        /* yes: every word, any case, anywhere */
        {"secret", 1},
        {"clientSecret", 1},
        {"client_secret", 1},
        {"SECRET_VALUE", 1},
        {"password", 1},
        {"PASSWORD", 1},
        {"userPassword", 1},
        {"passwd", 1},
        {"token", 1},
        {"authToken", 1},
        {"access_token", 1},
        {"credential", 1},
        {"credentials", 1},
        {"apiKey", 1},
        {"apikey", 1},
        {"api_key", 1},
        {"api-key", 1},
        {"API.KEY", 1},
        {"x-api-key", 1},
        /* yes, because matching is by substring */
        {"tokenizer", 1},
        {"secretary", 1},
        /* no */
        {"name", 0},
        {"description", 0},
        {"botId", 0},
        {"key", 0},
        {"title", 0},
        {"passport", 0},
        {"pass", 0},
        {"api", 0},
        {"api__key", 0}, /* two bytes between api and key */
        {"apiary", 0},
        {"tok", 0},
        {"", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        ck_assert_msg(mh_credential_name(t[i].name) == t[i].cred, "%s", t[i].name);
}
END_TEST

START_TEST(credential_name_null_is_no)
{
    ck_assert_int_eq(mh_credential_name(NULL), 0);
}
END_TEST

/* The whole name is searched, however long (both former rules cut it). */
START_TEST(credential_name_long_name_searched_to_the_end)
{
    char name[1024];
    memset(name, 'x', sizeof name);
    memcpy(name + sizeof name - 7, "Secret", 7);
    ck_assert_int_eq(mh_credential_name(name), 1);
    memcpy(name + sizeof name - 7, "Sacret", 7);
    ck_assert_int_eq(mh_credential_name(name), 0);
}
END_TEST

/* "api" at the very end: the rule must not read past the terminator. */
START_TEST(credential_name_api_at_end_is_no)
{
    ck_assert_int_eq(mh_credential_name("myapi"), 0);
    ck_assert_int_eq(mh_credential_name("myapi_"), 0);
    ck_assert_int_eq(mh_credential_name("myapi_k"), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("credential");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, credential_name_table_matches_rule);
    tcase_add_test(tc, credential_name_null_is_no);
    tcase_add_test(tc, credential_name_long_name_searched_to_the_end);
    tcase_add_test(tc, credential_name_api_at_end_is_no);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
