/* test_store.c — the reference server's tag store, token bucket and name
 * rules (internal modules of refserver/). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ratelimit.h"
#include "refserver_int.h"
#include "store.h"
#include "testutil.h"

START_TEST(store_insert_duplicate_refused)
{
    mh__store *st = mh__store_new();
    ck_assert_int_eq(mh__store_insert(st, "a", 1), 1);
    ck_assert_int_eq(mh__store_insert(st, "a", 1), 0);
    ck_assert_int_eq(mh__store_insert(st, "A", 1), 1);
    ck_assert_int_eq(mh__store_insert(st, "a\0b", 3), 1); /* lengths, not C strings */
    ck_assert_int_eq(mh__store_has(st, "a", 1), 1);
    ck_assert_int_eq(mh__store_has(st, "b", 1), 0);
    ck_assert_uint_eq(mh__store_count(st), 3);
    mh__store_free(st);
    mh__store_free(NULL);
}
END_TEST

START_TEST(store_grow_keeps_everything)
{
    mh__store *st = mh__store_new();
    char name[32];
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(name, sizeof name, "tag-%d", i);
        ck_assert_int_eq(mh__store_insert(st, name, (size_t)n), 1);
    }
    ck_assert_uint_eq(mh__store_count(st), 20000);
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(name, sizeof name, "tag-%d", i);
        ck_assert_int_eq(mh__store_has(st, name, (size_t)n), 1);
        ck_assert_int_eq(mh__store_insert(st, name, (size_t)n), 0);
    }
    ck_assert_int_eq(mh__store_has(st, "tag-20000", 9), 0);
    mh__store_free(st);
}
END_TEST

typedef struct {
    mh__store *st;
    int inserted;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    char name[32];
    for (int i = 0; i < 3000; i++) {
        int n = snprintf(name, sizeof name, "same-%d", i);
        if (mh__store_insert(r->st, name, (size_t)n) == 1)
            r->inserted++;
    }
    return NULL;
}

START_TEST(store_concurrent_same_names_inserted_once)
{
    mh__store *st = mh__store_new();
    pthread_t t[4];
    racer r[4];
    for (int i = 0; i < 4; i++) {
        r[i] = (racer){st, 0};
        pthread_create(&t[i], NULL, race, &r[i]);
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        total += r[i].inserted;
    }
    ck_assert_int_eq(total, 3000);
    ck_assert_uint_eq(mh__store_count(st), 3000);
    mh__store_free(st);
}
END_TEST

START_TEST(bucket_burst_then_retry_after)
{
    mh__bucket b;
    ck_assert_int_eq(mh__bucket_init(&b, 2), 0);
    double t = b.last;
    int retry = 0;
    ck_assert_int_eq(mh__bucket_take(&b, t, &retry), 1);
    ck_assert_int_eq(mh__bucket_take(&b, t, &retry), 1);
    ck_assert_int_eq(mh__bucket_take(&b, t, &retry), 0);
    ck_assert_int_eq(retry, 1);
    ck_assert_int_eq(mh__bucket_take(&b, t + 0.5, &retry), 1); /* refilled one */
    ck_assert_int_eq(mh__bucket_take(&b, t + 0.5, &retry), 0);
    mh__bucket_destroy(&b);
}
END_TEST

START_TEST(bucket_slow_rate_retry_after_rounds_up)
{
    mh__bucket b;
    ck_assert_int_eq(mh__bucket_init(&b, 0.25), 0); /* burst 1, one token per 4 s */
    double t = b.last;
    int retry = 0;
    ck_assert_int_eq(mh__bucket_take(&b, t, &retry), 1);
    ck_assert_int_eq(mh__bucket_take(&b, t + 1, &retry), 0);
    ck_assert_int_eq(retry, 3);
    mh__bucket_destroy(&b);
    ck_assert_int_eq(mh__bucket_init(&b, 0), 0); /* off */
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(mh__bucket_take(&b, t, &retry), 1);
    mh__bucket_destroy(&b);
}
END_TEST

typedef struct {
    const char *in;
    int rule;
    const char *trimmed;
} name_case;

START_TEST(names_check_rules)
{
    static const name_case cases[] = {
        {"tag", 0, "tag"},
        {"  tag \t", 0, "tag"},
        {"\xe3\x80\x80tag\xc2\xa0", 0, "tag"}, /* U+3000, U+00A0 trimmed */
        {"a b", 0, "a b"},
        {"\xe4\xb8\xad\xe6\x96\x87", 0, "\xe4\xb8\xad\xe6\x96\x87"},
        {"", 1, ""},
        {"   ", 1, ""},
        {"\xe2\x80\x83", 1, ""}, /* only U+2003 */
        {"a\x01"
         "b",
         2, NULL},
        {"a\xc0\x80"
         "b",
         2, NULL}, /* U+0000 from the parser */
        {"a\x7f"
         "b",
         2, NULL},
        {"a\xc2\x85"
         "b",
         2, NULL}, /* U+0085 inside */
        {"a\xc2\x9f"
         "b",
         2, NULL},
        {"a\nb", 2, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *start;
        size_t len;
        int r = mh__name_check(cases[i].in, &start, &len);
        ck_assert_msg(r == cases[i].rule, "case %zu: rule %d", i, r);
        if (cases[i].trimmed) {
            ck_assert_uint_eq(len, strlen(cases[i].trimmed));
            ck_assert_int_eq(memcmp(start, cases[i].trimmed, len), 0);
        }
    }
}
END_TEST

START_TEST(names_check_length_in_code_points)
{
    char buf[512];
    const char *start;
    size_t len;
    /* 100 CJK code points (300 bytes) fit, 101 do not */
    buf[0] = '\0';
    for (int i = 0; i < 100; i++)
        strcat(buf, "\xe4\xb8\xad");
    ck_assert_int_eq(mh__name_check(buf, &start, &len), 0);
    strcat(buf, "\xe4\xb8\xad");
    ck_assert_int_eq(mh__name_check(buf, &start, &len), 1);
    /* 100 ASCII + surrounding spaces: trimmed first */
    memset(buf, ' ', 5);
    memset(buf + 5, 'x', 100);
    memset(buf + 105, ' ', 5);
    buf[110] = '\0';
    ck_assert_int_eq(mh__name_check(buf, &start, &len), 0);
    ck_assert_uint_eq(len, 100);
    /* astral code point counts once */
    ck_assert_int_eq(mh__name_check("\xf0\x9f\x98\x80", &start, &len), 0);
}
END_TEST

START_TEST(names_cjk_and_media_type)
{
    ck_assert_int_eq(mh__has_cjk("abc", 3), 0);
    ck_assert_int_eq(mh__has_cjk("a\xe4\xb8\xad", 4), 1);
    ck_assert_int_eq(mh__has_cjk("\xe3\x81\x82", 3), 1); /* hiragana */
    ck_assert_int_eq(mh__has_cjk("\xea\xb0\x80", 3), 1); /* hangul */
    ck_assert_int_eq(mh__has_cjk("\xc3\xa9t\xc3\xa9", 6), 0);
    ck_assert_int_eq(mh__is_json_media("application/json"), 1);
    ck_assert_int_eq(mh__is_json_media("Application/JSON; charset=utf-8"), 1);
    ck_assert_int_eq(mh__is_json_media(" application/json ;charset=UTF-8"), 1);
    ck_assert_int_eq(mh__is_json_media("application/jsonx"), 0);
    ck_assert_int_eq(mh__is_json_media("application/problem+json"), 0);
    ck_assert_int_eq(mh__is_json_media("text/plain"), 0);
    ck_assert_int_eq(mh__is_json_media(""), 0);
    ck_assert_int_eq(mh__is_json_media(NULL), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, store_insert_duplicate_refused);
    tcase_add_test(tc, store_grow_keeps_everything);
    tcase_add_test(tc, store_concurrent_same_names_inserted_once);
    tcase_add_test(tc, bucket_burst_then_retry_after);
    tcase_add_test(tc, bucket_slow_rate_retry_after_rounds_up);
    tcase_add_test(tc, names_check_rules);
    tcase_add_test(tc, names_check_length_in_code_points);
    tcase_add_test(tc, names_cjk_and_media_type);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
