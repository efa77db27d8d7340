/* test_jsonts.c — mh_json_parse against Nicolas Seriot's JSONTestSuite
 * (github.com/nst/JSONTestSuite, test_parsing/, MIT; byte-exact copies in
 * tests/data/jsonts, see its README). y_ files must be accepted, n_ files
 * rejected with a named rule and a location, and i_ (implementation-defined)
 * files must get the decision recorded below, so a change of behaviour shows
 * up here. Every mismatch of a group is reported in one failure message. */
#include "manta/json_strict.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSONTS_DIR MH_TEST_DATA "/jsonts"

/* Files in the committed copy, per prefix: a lost or added file is noticed. */
#define N_Y_FILES 95
#define N_N_FILES 193
#define N_I_FILES 35

/* A file whose verdict is fixed by this table: rule MH_JSON_OK = accepted. */
typedef struct {
    const char *name; /* without ".json" */
    mh_json_rule rule;
    const char *why;
} decision;

/* y_ files we reject on purpose (json_strict.h: duplicate names are an
 * error, RFC 8259 only says they SHOULD be unique). */
static const decision y_different[] = {
    {"y_object_duplicated_key", MH_JSON_E_DUPKEY, "duplicate member names are rejected by design"},
    {"y_object_duplicated_key_and_value", MH_JSON_E_DUPKEY,
     "duplicate member names are rejected by design, even with equal values"},
};

/* Our decision for every i_ file. */
static const decision i_decisions[] = {
    /* numbers: the grammar is all that counts; the literal is kept exactly
     * (valuestring), the double may be +-inf or 0 */
    {"i_number_double_huge_neg_exp", MH_JSON_OK, "valid grammar; double underflows to 0"},
    {"i_number_huge_exp", MH_JSON_OK, "valid grammar; literal kept, double is inf"},
    {"i_number_neg_int_huge_exp", MH_JSON_OK, "valid grammar; double is -inf"},
    {"i_number_pos_double_huge_exp", MH_JSON_OK, "valid grammar; double is inf"},
    {"i_number_real_neg_overflow", MH_JSON_OK, "valid grammar; double is -inf"},
    {"i_number_real_pos_overflow", MH_JSON_OK, "valid grammar; double is inf"},
    {"i_number_real_underflow", MH_JSON_OK, "valid grammar; double underflows to 0"},
    {"i_number_too_big_neg_int", MH_JSON_OK, "big integers judged exactly from the literal"},
    {"i_number_too_big_pos_int", MH_JSON_OK, "big integers judged exactly from the literal"},
    {"i_number_very_big_negative_int", MH_JSON_OK, "big integers judged exactly from the literal"},
    /* \u escapes that do not form a code point */
    {"i_object_key_lone_2nd_surrogate", MH_JSON_E_SURROGATE, "lone surrogate escape"},
    {"i_string_1st_surrogate_but_2nd_missing", MH_JSON_E_SURROGATE, "lone surrogate escape"},
    {"i_string_1st_valid_surrogate_2nd_invalid", MH_JSON_E_SURROGATE, "lone surrogate escape"},
    {"i_string_incomplete_surrogate_and_escape_valid", MH_JSON_E_SURROGATE,
     "lone surrogate escape"},
    {"i_string_incomplete_surrogate_pair", MH_JSON_E_SURROGATE, "lone low surrogate escape"},
    {"i_string_incomplete_surrogates_escape_valid", MH_JSON_E_SURROGATE,
     "two high surrogate escapes"},
    {"i_string_invalid_lonely_surrogate", MH_JSON_E_SURROGATE, "lone surrogate escape"},
    {"i_string_invalid_surrogate", MH_JSON_E_SURROGATE, "lone surrogate escape"},
    {"i_string_inverted_surrogates_U+1D11E", MH_JSON_E_SURROGATE, "low before high surrogate"},
    {"i_string_lone_second_surrogate", MH_JSON_E_SURROGATE, "lone low surrogate escape"},
    /* input that is not UTF-8 */
    {"i_string_UTF-16LE_with_BOM", MH_JSON_E_UTF8, "UTF-16 is not accepted (FF FE is not UTF-8)"},
    {"i_string_utf16BE_no_BOM", MH_JSON_E_NUL, "UTF-16 is not accepted (first byte is NUL)"},
    {"i_string_utf16LE_no_BOM", MH_JSON_E_NUL, "UTF-16 is not accepted (NUL after '[')"},
    {"i_string_UTF-8_invalid_sequence", MH_JSON_E_UTF8, "invalid UTF-8 (0xFA)"},
    {"i_string_UTF8_surrogate_U+D800", MH_JSON_E_UTF8, "UTF-8 encoded surrogate (ED A0 80)"},
    {"i_string_invalid_utf-8", MH_JSON_E_UTF8, "invalid UTF-8 (0xFF)"},
    {"i_string_iso_latin_1", MH_JSON_E_UTF8, "Latin-1 byte, not UTF-8"},
    {"i_string_lone_utf8_continuation_byte", MH_JSON_E_UTF8, "stray continuation byte"},
    {"i_string_not_in_unicode_range", MH_JSON_E_UTF8, "above U+10FFFF"},
    {"i_string_overlong_sequence_2_bytes", MH_JSON_E_UTF8, "overlong encoding"},
    {"i_string_overlong_sequence_6_bytes", MH_JSON_E_UTF8, "6-byte form, not UTF-8"},
    {"i_string_overlong_sequence_6_bytes_null", MH_JSON_E_UTF8, "6-byte form, not UTF-8"},
    {"i_string_truncated-utf-8", MH_JSON_E_UTF8, "truncated sequence"},
    /* structure */
    {"i_structure_500_nested_arrays", MH_JSON_E_DEPTH, "500 > MH_JSON_DEFAULT_DEPTH (256)"},
    {"i_structure_UTF-8_BOM_empty_object", MH_JSON_E_BOM, "a BOM is rejected by design"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Mismatch report of one group: every line, then one assertion. */
typedef struct {
    char text[8192];
    size_t used;
    int count;
} report;

static void note(report *r, const char *fmt, const char *name, const char *a, const char *b)
{
    r->count++;
    if (r->used < sizeof r->text - 1) {
        int n = snprintf(r->text + r->used, sizeof r->text - r->used, fmt, name, a, b);
        if (n > 0)
            r->used += (size_t)n;
        if (r->used > sizeof r->text - 1)
            r->used = sizeof r->text - 1;
    }
}

static const decision *find(const decision *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    return NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names (without ".json") of the suite's files starting with prefix,
 * sorted; *n gets the count. Caller frees each and the array. */
static char **list_files(const char *prefix, size_t *n)
{
    DIR *d = opendir(JSONTS_DIR);
    ck_assert_msg(d != NULL, "cannot open %s", JSONTS_DIR);
    char **names = NULL;
    size_t cnt = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || len < 6 ||
            strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
            ck_assert_ptr_nonnull(names);
        }
        names[cnt] = strndup(e->d_name, len - 5);
        ck_assert_ptr_nonnull(names[cnt]);
        cnt++;
    }
    closedir(d);
    if (cnt)
        qsort(names, cnt, sizeof *names, by_name);
    *n = cnt;
    return names;
}

static void free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Parses one file with its exact length (files may hold NUL bytes), building
 * the tree so that building and freeing it run under the sanitizers too. */
static mh_json_rule parse_file(const char *name, mh_json_error *je, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.json", JSONTS_DIR, name);
    char *buf = tu_read_file(path, len);
    ck_assert_msg(buf != NULL, "cannot read %s", path);
    cJSON *tree = NULL;
    memset(je, 0, sizeof *je);
    mh_json_rule r = mh_json_parse(buf, *len, NULL, &tree, je);
    if (r == MH_JSON_OK)
        ck_assert_msg(tree != NULL, "%s: accepted without a tree", name);
    else
        ck_assert_msg(tree == NULL, "%s: rejected but left a tree", name);
    cJSON_Delete(tree);
    free(buf);
    return r;
}

/* Checks a rejection's report: a real rule and a location inside the input. */
static int located(const mh_json_error *je, mh_json_rule r, size_t len)
{
    return r != MH_JSON_E_NOMEM && je->rule == r && je->line >= 1 && je->column >= 1 &&
           je->offset <= len && je->message[0] != '\0';
}

/* Runs every file of a prefix; `table` fixes the verdict of the files it
 * names, the others get `dflt` (MH_JSON_OK for y_, -1 = any rejection). */
static void run_group(const char *prefix, size_t want_files, const decision *table, size_t tn,
                      int dflt)
{
    size_t n = 0;
    char **names = list_files(prefix, &n);
    report rep = {.used = 0, .count = 0};
    size_t accepted = 0, rejected = 0;
    if (n != want_files) {
        char got[24], exp[24];
        snprintf(got, sizeof got, "%zu", n);
        snprintf(exp, sizeof exp, "%zu", want_files);
        note(&rep, "  %s: found %s files, expected %s\n", prefix, got, exp);
    }
    for (size_t i = 0; i < tn; i++) {
        size_t k = 0;
        while (k < n && strcmp(names[k], table[i].name) != 0)
            k++;
        if (k == n)
            note(&rep, "  %s: in the table but no such file%s%s\n", table[i].name, "", "");
    }
    for (size_t i = 0; i < n; i++) {
        mh_json_error je;
        size_t len = 0;
        mh_json_rule r = parse_file(names[i], &je, &len);
        const decision *d = find(table, tn, names[i]);
        int want = d ? (int)d->rule : dflt;
        const char *got = r == MH_JSON_OK ? "accepted" : mh_json_rule_name(r);
        if (r == MH_JSON_OK)
            accepted++;
        else
            rejected++;
        if (want == -1 ? r == MH_JSON_OK : (int)r != want)
            note(&rep, "  %s: got %s, expected %s\n", names[i], got,
                 want == -1           ? "a rejection"
                 : want == MH_JSON_OK ? "accepted"
                                      : mh_json_rule_name((mh_json_rule)want));
        else if (r != MH_JSON_OK && !located(&je, r, len))
            note(&rep, "  %s: rejected (%s) without a proper report%s\n", names[i], got, "");
    }
    fprintf(stderr, "jsonts %s: %zu files, %zu accepted, %zu rejected, %d mismatches\n", prefix, n,
            accepted, rejected, rep.count);
    free_list(names, n);
    ck_assert_msg(rep.count == 0, "%d JSONTestSuite mismatch(es) in %s files:\n%s", rep.count,
                  prefix, rep.text);
}

START_TEST(jsonts_y_files_accepted)
{
    run_group("y_", N_Y_FILES, y_different, COUNT(y_different), MH_JSON_OK);
}
END_TEST

START_TEST(jsonts_n_files_rejected)
{
    run_group("n_", N_N_FILES, NULL, 0, -1);
}
END_TEST

START_TEST(jsonts_i_files_match_decisions)
{
    /* every i_ file has a decision: the default (-2) matches no verdict */
    run_group("i_", N_I_FILES, i_decisions, COUNT(i_decisions), -2);
}
END_TEST

/* Spot checks of the locations reported for a few files, so the group runs
 * above are known to read the real bytes (not an empty or truncated copy). */
START_TEST(jsonts_spot_checks_locate_errors)
{
    mh_json_error je;
    size_t len = 0;
    ck_assert_int_eq(parse_file("y_structure_lonely_null", &je, &len), MH_JSON_OK);
    ck_assert_int_eq(parse_file("n_structure_open_array_object", &je, &len), MH_JSON_E_DEPTH);
    ck_assert_int_eq(je.line, 1);
    ck_assert_int_eq(je.column, 1 + 128 * 5); /* the 257th bracket: "[" of the 129th "[{\"\":" */
    ck_assert_int_eq(parse_file("n_structure_no_data", &je, &len), MH_JSON_E_EMPTY);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(je.line, 1);
    ck_assert_int_eq(je.column, 1);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("jsonts");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, jsonts_y_files_accepted);
    tcase_add_test(tc, jsonts_n_files_rejected);
    tcase_add_test(tc, jsonts_i_files_match_decisions);
    tcase_add_test(tc, jsonts_spot_checks_locate_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
