/* test_fuzz_mutate.c — network-fuzz mutations never cut into a secret. */
#define _GNU_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "manta/fuzz.h"
#include "manta/prng.h"
#include "testutil.h"

#define SECRET "S3cr3t-value-0123456789"

START_TEST(fuzz_mutate_keeps_secret_whole_or_drops_it)
{
    mh_case *base = mh_case_new();
    ck_assert_ptr_nonnull(base);
    base->id = strdup("valid/x");
    base->method = strdup("POST");
    base->target = strdup("/p");
    static const char body[] = "{\"secret\":\"" SECRET "\",\"name\":\"mh-1 x\"}";
    ck_assert_int_eq(mh_case_set_body(base, body, sizeof body - 1), 0);
    mh_prng rng;
    mh_prng_seed(&rng, 1);
    size_t byte_level = 0;
    for (size_t i = 0; i < 4000; i++) {
        mh_case *m = NULL;
        const char *op = NULL;
        ck_assert_int_eq(mh_fuzz_mutate(&rng, base, i, SECRET, &m, &op), 0);
        char *text = malloc(m->body_len + 1);
        memcpy(text, m->body ? m->body : "", m->body_len);
        text[m->body_len] = '\0';
        /* a piece of the secret without the whole of it is a leak */
        int piece =
            memmem(text, m->body_len, "cr3t-", 5) || memmem(text, m->body_len, "lue-0123", 8);
        int whole = memmem(text, m->body_len, SECRET, sizeof SECRET - 1) != NULL;
        ck_assert_msg(!piece || whole, "%s cut into the secret: %s", op, text);
        byte_level += strncmp(op, "byte-", 5) == 0 || strcmp(op, "truncate") == 0;
        free(text);
        mh_case_free(m);
    }
    ck_assert_uint_gt(byte_level, 500); /* the byte mutations really ran */
    mh_case_free(base);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("fuzz_mutate");
    TCase *tc = tcase_create("keep");
    tcase_add_test(tc, fuzz_mutate_keeps_secret_whole_or_drops_it);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
