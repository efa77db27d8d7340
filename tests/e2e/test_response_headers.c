/* test_response_headers.c — response_headers_conformance: a server that
 * leaves out a required header, or sends one that breaks its schema, is
 * reported with exactly that check; conformant header spellings (other
 * letter case, repeated field lines, spaces after commas) are not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_hostile.h"
#include "tu_report.h"
#include "tu_tmp.h"

#define DOC MH_TEST_DATA "/headers/counted.yaml"

typedef struct {
    const char *name;
    const char *headers; /* header lines of the 200 answer, each ending in \r\n */
    int violations;      /* response_headers_conformance findings expected */
} row;

static const row rows[] = {
    {"conformant", "X-Total-Count: 3\r\n", 0},
    {"conformant-lower-case", "x-total-count: 0\r\n", 0},
    {"conformant-array", "X-Total-Count: 1\r\nX-Page-Sizes: 10, 20\r\n", 0},
    {"conformant-repeated-lines", "X-Total-Count: 1\r\nX-Page-Sizes: 10\r\nX-Page-Sizes: 20\r\n",
     0},
    {"conformant-json-header", "X-Total-Count: 1\r\nX-Meta: {\"v\":2}\r\n", 0},
    {"conformant-object-any-text", "X-Total-Count: 1\r\nX-Shape: a,1,b,2\r\n", 0},
    {"missing-required", "", 1},
    {"not-an-integer", "X-Total-Count: many\r\n", 1},
    {"below-minimum", "X-Total-Count: -1\r\n", 1},
    {"array-item-wrong", "X-Total-Count: 1\r\nX-Page-Sizes: 10, x\r\n", 1},
    {"array-too-long", "X-Total-Count: 1\r\nX-Page-Sizes: 1,2,3,4\r\n", 1},
    {"json-header-not-json", "X-Total-Count: 1\r\nX-Meta: {v:2}\r\n", 1},
    {"json-header-wrong-shape", "X-Total-Count: 1\r\nX-Meta: {\"v\":\"2\"}\r\n", 1},
};

START_TEST(response_headers_judged)
{
    const row *w = &rows[_i];
    char answer[1024];
    int n = snprintf(answer, sizeof answer,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%s"
                     "Content-Length: 2\r\n\r\n[]",
                     w->headers);
    ck_assert(n > 0 && n < (int)sizeof answer);
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, answer, (size_t)n);
    ck_assert_ptr_nonnull(h);
    tu_tmp tmp;
    tu_tmp_init(&tmp, "rhdr");
    const char *report = tu_tmp_flag(&tmp, "json", "r.json");
    const char *argv[] = {"manta-harness",        "run",      "--spec", DOC,      "--base-url",
                          tu_hostile_base_url(h), "--suite",  "valid",  "--seed", "3",
                          "--no-progress",        "--report", report,   NULL};
    char *out = NULL, *err = NULL;
    int rc = tu_run_cli(argv, NULL, &out, &err, 60);
    tu_hostile_stop(h);
    cJSON *r = tu_report_load(report + 5);
    ck_assert_msg(r != NULL, "%s: no report (exit %d): %s", w->name, rc, err);
    size_t found = 0, other = 0, cases = 0;
    const cJSON *list = tu_report_get(r, "cases");
    for (const cJSON *c = list ? list->child : NULL; c; c = c->next, cases++) {
        const cJSON *fs = tu_report_get(c, "findings");
        for (const cJSON *f = fs ? fs->child : NULL; f; f = f->next) {
            const cJSON *check = tu_report_get(f, "check");
            if (cJSON_IsString(check) &&
                !strcmp(check->valuestring, "response_headers_conformance"))
                found++;
            else
                other++;
        }
    }
    ck_assert_uint_gt(cases, 0);
    ck_assert_msg(other == 0, "%s: findings of other checks (exit %d): %s", w->name, rc, out);
    if (w->violations)
        ck_assert_msg(found == cases && rc == 1, "%s: %zu findings over %zu cases, exit %d",
                      w->name, found, cases, rc);
    else
        ck_assert_msg(found == 0 && rc == 0, "%s: %zu findings, exit %d: %s", w->name, found, rc,
                      out);
    cJSON_Delete(r);
    free(out);
    free(err);
    tu_tmp_free(&tmp);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("response_headers");
    TCase *tc = tcase_create("judge");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, response_headers_judged, 0, (int)(sizeof rows / sizeof rows[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
