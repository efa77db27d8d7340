/* test_oas_examples.c — every OpenAPI 3.0 and 3.1 document of @readme/oas-examples
 * (real documents nobody here wrote, JSON and YAML) loads, or is refused with
 * the reason listed in tests/data/oas-examples/expected-refusals.tsv.
 *
 * The package is installed, pinned, by `scripts/install-deps.sh test` into
 * tests/.npm (git-ignored). Without it this test fails and says so: a silent
 * pass would hide that nothing was checked. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/spec.h"
#include "testutil.h"

#define PKG MH_SOURCE_DIR "/tests/.npm/node_modules/@readme/oas-examples"
#define REFUSALS MH_TEST_DATA "/oas-examples/expected-refusals.tsv"

typedef struct {
    char file[256];
    char needle[256];
} refusal;

static refusal refusals[64];
static size_t refusal_count;

static void load_refusals(void)
{
    FILE *f = fopen(REFUSALS, "r");
    ck_assert_msg(f != NULL, "cannot read %s", REFUSALS);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        ck_assert_msg(tab1 && tab2 && refusal_count < 64, "bad line in %s: %s", REFUSALS, line);
        *tab1 = *tab2 = '\0';
        int a = snprintf(refusals[refusal_count].file, sizeof refusals[0].file, "%s", line);
        int b = snprintf(refusals[refusal_count].needle, sizeof refusals[0].needle, "%s", tab1 + 1);
        ck_assert(a > 0 && a < (int)sizeof refusals[0].file && b > 0 &&
                  b < (int)sizeof refusals[0].needle);
        refusal_count++;
    }
    fclose(f);
}

static const refusal *refused(const char *rel)
{
    for (size_t i = 0; i < refusal_count; i++)
        if (strcmp(refusals[i].file, rel) == 0)
            return &refusals[i];
    return NULL;
}

/* `run --list-cases` (no credentials) plans at least one case that is not
 * skipped for at least 90% of the document's n operations. */
static int plans_cases(const char *rel, const char *path, size_t n)
{
    const char *argv[] = {
        "manta-harness", "run", "--list-cases", "--seed", "1", "--spec", path, NULL};
    char *out = NULL, *err = NULL;
    int rc = tu_run_cli(argv, NULL, &out, &err, 60);
    size_t headings = 0, planned = 0;
    int counted = 0; /* the current operation already has a case that is not skipped */
    for (char *line = out; rc == 0 && line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, "## ", 3) == 0) {
            headings++;
            counted = 0;
        } else if (line[0] != '#' && line[0] && !strstr(line, "  skipped: ") && !counted &&
                   strncmp(line, "methods/", 8) != 0) {
            planned++;
            counted = 1;
        }
        line = nl ? nl + 1 : NULL;
    }
    if (headings == 0) /* one operation: no headings */
        headings = n;
    int ok = rc == 0 && planned * 10 >= n * 9;
    if (!ok)
        fprintf(stderr, "%s: --list-cases exit %d, %zu of %zu operations planned: %.300s\n", rel,
                rc, planned, n, err ? err : "");
    free(out);
    free(err);
    return ok;
}

/* Loads one document; returns 1 when it behaved as expected. */
static int check_document(const char *rel, size_t *ops, size_t *usable)
{
    char path[1024];
    int k = snprintf(path, sizeof path, "%s/%s", PKG, rel);
    ck_assert(k > 0 && k < (int)sizeof path);
    mh_spec *sp = NULL;
    mh_error err;
    mh_status st = mh_spec_load(path, &sp, &err);
    const refusal *want = refused(rel);
    char line[1400];
    mh_error_format(&err, line, sizeof line);
    if (want) {
        int ok =
            st != MH_OK && strstr(err.message, want->needle) != NULL && strchr(line, '\n') == NULL;
        if (!ok)
            fprintf(stderr, "%s: expected a refusal with \"%s\", got %s: %s\n", rel, want->needle,
                    mh_status_name(st), st == MH_OK ? "loaded" : line);
        mh_spec_free(sp);
        return ok;
    }
    if (st != MH_OK) {
        fprintf(stderr, "%s: refused: %s\n", rel, line);
        return 0;
    }
    size_t n = mh_spec_operation_count(sp), u = 0;
    for (size_t i = 0; i < n; i++) {
        const mh_operation *op = mh_spec_operation(sp, i);
        if (!op->skip_reason)
            u++;
        else
            fprintf(stderr, "%s: %s unusable: %s (at %s)\n", rel, op->id, op->skip_reason,
                    op->skip_pointer);
    }
    *ops += n;
    *usable += u;
    mh_spec_free(sp);
    if (n && u * 10 < n * 9) {
        fprintf(stderr, "%s: only %zu of %zu operations usable\n", rel, u, n);
        return 0;
    }
    return plans_cases(rel, path, n);
}

START_TEST(oas_examples_every_document_loads_or_is_refused_as_listed)
{
    load_refusals();
    static const char *const dirs[] = {"3.0/json", "3.0/yaml", "3.1/json", "3.1/yaml"};
    size_t docs = 0, bad = 0, ops = 0, usable = 0;
    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s/%s", PKG, dirs[d]);
        DIR *dp = opendir(dir);
        ck_assert_msg(dp != NULL,
                      "%s is missing: run `bash scripts/install-deps.sh test` (it installs "
                      "@readme/oas-examples into tests/.npm)",
                      dir);
        struct dirent *e;
        while ((e = readdir(dp)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n < 5 || (strcmp(e->d_name + n - 5, ".json") && strcmp(e->d_name + n - 5, ".yaml")))
                continue;
            char rel[600];
            int k = snprintf(rel, sizeof rel, "%s/%s", dirs[d], e->d_name);
            ck_assert(k > 0 && k < (int)sizeof rel);
            docs++;
            bad += !check_document(rel, &ops, &usable);
        }
        closedir(dp);
    }
    fprintf(stderr, "oas-examples: %zu documents, %zu operations, %zu usable, %zu unexpected\n",
            docs, ops, usable, bad);
    ck_assert_msg(docs >= 100, "only %zu documents found", docs);
    ck_assert_msg(bad == 0, "%zu documents did not behave as expected (see above)", bad);
}
END_TEST

/* Every listed refusal names a document that exists: the list cannot rot. */
START_TEST(oas_examples_refusal_list_names_real_files)
{
    load_refusals();
    ck_assert_uint_gt(refusal_count, 0);
    for (size_t i = 0; i < refusal_count; i++) {
        char path[1024];
        int k = snprintf(path, sizeof path, "%s/%s", PKG, refusals[i].file);
        ck_assert(k > 0 && k < (int)sizeof path);
        FILE *f = fopen(path, "r");
        ck_assert_msg(f != NULL, "listed refusal %s does not exist", refusals[i].file);
        fclose(f);
    }
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("oas_examples");
    TCase *tc = tcase_create("load");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, oas_examples_every_document_loads_or_is_refused_as_listed);
    tcase_add_test(tc, oas_examples_refusal_list_names_real_files);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
