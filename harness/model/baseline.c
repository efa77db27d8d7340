/* baseline.c — known findings (contract: baseline.h). */
#include "manta/baseline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manta/fileio.h"
#include "manta/json_strict.h"
#include "util/buf.h"

/* ---- entries ------------------------------------------------------------------ */

/* Orders by operation (none first), case, then check. */
static int entry_cmp(const void *a, const void *b)
{
    const mh_baseline_entry *x = a, *y = b;
    int c = strcmp(x->operation ? x->operation : "", y->operation ? y->operation : "");
    if (!c && (!x->operation) != (!y->operation))
        c = x->operation ? 1 : -1; /* no operation sorts before "" */
    if (!c)
        c = strcmp(x->case_id, y->case_id);
    return c ? c : strcmp(x->check, y->check);
}

static void entry_free(mh_baseline_entry *e)
{
    free(e->operation);
    free(e->case_id);
    free(e->check);
}

static void entries_free(mh_baseline_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        entry_free(&v[i]);
    free(v);
}

/* Entries are collected in an mh__buf of mh_baseline_entry, each entry
 * owning its two strings. */
static size_t list_count(const mh__buf *l)
{
    return l->len / sizeof(mh_baseline_entry);
}

/* Frees the entries of l and l's memory. */
static void list_free(mh__buf *l)
{
    mh_baseline_entry *v = (mh_baseline_entry *)l->p;
    for (size_t i = 0; v && i < list_count(l); i++)
        entry_free(&v[i]);
    mh__buf_free(l);
}

/* Appends a copy of (operation, case_id, check) to l; operation NULL or ""
 * is none. Returns 0, -1 on OOM. */
static int list_add(mh__buf *l, const char *operation, const char *case_id, const char *check)
{
    mh_baseline_entry e = {operation && *operation ? strdup(operation) : NULL, strdup(case_id),
                           strdup(check)};
    int ok = e.case_id && e.check && (e.operation || !operation || !*operation);
    if (ok)
        mh__buf_add(l, &e, sizeof e);
    if (!ok || l->failed) {
        entry_free(&e);
        return -1;
    }
    return 0;
}

/* Hands l's entries over: the array (NULL when empty) and its count in *n. */
static mh_baseline_entry *list_take(mh__buf *l, size_t *n)
{
    *n = list_count(l);
    if (*n == 0) {
        mh__buf_free(l);
        return NULL;
    }
    return (mh_baseline_entry *)mh__buf_take(l, NULL);
}

/* Sorts v and drops duplicates; returns the new count. */
static size_t entries_normalize(mh_baseline_entry *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, entry_cmp);
    size_t out = 1;
    for (size_t i = 1; i < n; i++) {
        if (entry_cmp(&v[out - 1], &v[i]) == 0) {
            entry_free(&v[i]);
            continue;
        }
        v[out++] = v[i];
    }
    return out;
}

/* The entry for (operation, case_id, check): the one naming that operation,
 * else one naming no operation (which matches the case id in any). */
static const mh_baseline_entry *find_entry(const mh_baseline *b, const char *operation,
                                           const char *case_id, const char *check)
{
    if (!b || b->count == 0)
        return NULL;
    mh_baseline_entry key = {operation && *operation ? (char *)operation : NULL, (char *)case_id,
                             (char *)check};
    const mh_baseline_entry *e = bsearch(&key, b->entries, b->count, sizeof key, entry_cmp);
    if (e || !key.operation)
        return e;
    key.operation = NULL;
    return bsearch(&key, b->entries, b->count, sizeof key, entry_cmp);
}

void mh_baseline_free(mh_baseline *b)
{
    if (!b)
        return;
    entries_free(b->entries, b->count);
    free(b);
}

/* ---- reading ------------------------------------------------------------------ */

static mh_status shape_error(mh_error *err, const char *name, const char *pointer, const char *what)
{
    mh_error_set(err, MH_ERR_JSON, "not a manta-harness baseline: %s", what);
    mh_error_at_file(err, name, 0, 0, -1);
    mh_error_at_pointer(err, pointer);
    return MH_ERR_JSON;
}

/* Checks the top-level members "tool" and "version". */
static mh_status check_header(const cJSON *doc, const char *name, mh_error *err)
{
    if (!cJSON_IsObject(doc))
        return shape_error(err, name, "", "the document must be an object");
    const cJSON *tool = mh_json_get(doc, "tool");
    if (!cJSON_IsString(tool) || strcmp(tool->valuestring, "manta-harness") != 0)
        return shape_error(err, name, "/tool", "\"tool\" must be \"manta-harness\"");
    const cJSON *ver = mh_json_get(doc, "version");
    if (!cJSON_IsNumber(ver) || !mh_json_is_integer(ver) || ver->valuedouble != MH_BASELINE_VERSION)
        return shape_error(err, name, "/version", "\"version\" must be 1");
    return MH_OK;
}

/* The error of the i-th entry: not {"case": string, "check": string} with an
 * optional "operation": string, or (check non-NULL) a check that is not in
 * the catalogue. */
static mh_status entry_error(mh_error *err, const char *name, size_t i, const char *check)
{
    char ptr[64], what[160];
    snprintf(ptr, sizeof ptr, "/findings/%zu%s", i, check ? "/check" : "");
    if (check)
        snprintf(what, sizeof what, "\"check\" must name a check of this version, got \"%.64s\"",
                 check);
    else
        snprintf(what, sizeof what,
                 "each finding must be {\"operation\": string, \"case\": string, \"check\": "
                 "string} (\"operation\" optional)");
    return shape_error(err, name, ptr, what);
}

/* Reads the "findings" entries into l (checks by their catalogue names). */
static mh_status read_list(const cJSON *list, const char *name, mh__buf *l, mh_error *err)
{
    size_t i = 0;
    for (const cJSON *it = list->child; it; it = it->next, i++) {
        const cJSON *c = mh_json_get(it, "case"), *k = mh_json_get(it, "check");
        const cJSON *op = mh_json_get(it, "operation");
        if (!cJSON_IsString(c) || !cJSON_IsString(k) || !*c->valuestring || !*k->valuestring ||
            (op && (!cJSON_IsString(op) || !*op->valuestring)))
            return entry_error(err, name, i, NULL);
        int id = mh_check_parse(k->valuestring);
        if (id < 0)
            return entry_error(err, name, i, k->valuestring);
        if (list_add(l, op ? op->valuestring : NULL, c->valuestring,
                     mh_check_name((mh_check_id)id)) != 0)
            return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    return MH_OK;
}

static mh_status read_entries(const cJSON *doc, const char *name, mh_baseline *b, mh_error *err)
{
    const cJSON *list = mh_json_get(doc, "findings");
    if (!cJSON_IsArray(list))
        return shape_error(err, name, "/findings", "\"findings\" must be an array");
    mh__buf l = MH__BUF_INIT;
    mh_status st = read_list(list, name, &l, err);
    if (st != MH_OK) {
        list_free(&l);
        return st;
    }
    b->entries = list_take(&l, &b->count);
    b->count = entries_normalize(b->entries, b->count);
    return MH_OK;
}

mh_status mh_baseline_parse(const char *buf, size_t len, const char *name, mh_baseline **out,
                            mh_error *err)
{
    mh_error_clear(err);
    if (!name)
        name = "<baseline>";
    cJSON *doc = NULL;
    mh_json_error je;
    mh_json_rule rule = mh_json_parse(buf, len, NULL, &doc, &je);
    if (rule != MH_JSON_OK)
        return mh_json_error_describe(err, rule, &je, name, "baseline");
    mh_baseline *b = calloc(1, sizeof *b);
    mh_status st =
        b ? check_header(doc, name, err) : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    if (st == MH_OK)
        st = read_entries(doc, name, b, err);
    cJSON_Delete(doc);
    if (st != MH_OK) {
        mh_baseline_free(b);
        return st;
    }
    *out = b;
    return MH_OK;
}

mh_status mh_baseline_load(const char *path, mh_baseline **out, mh_error *err)
{
    mh_error_clear(err);
    char *buf = NULL;
    size_t len = 0;
    mh_status st = mh_file_read(path, MH_FILE_NO_LIMIT, &buf, &len, err);
    if (st != MH_OK) {
        /* The location names the file, so the message need not. */
        mh_error_set(err, MH_ERR_IO, "cannot read baseline: %s", strerror(errno));
        mh_error_at_file(err, path, 0, 0, -1);
        return MH_ERR_IO;
    }
    st = mh_baseline_parse(buf, len, path, out, err);
    free(buf);
    return st;
}

/* ---- writing ------------------------------------------------------------------ */

mh_status mh_baseline_from_results(const mh_result *results, size_t n, mh_baseline **out,
                                   mh_error *err)
{
    mh_baseline *b = calloc(1, sizeof *b);
    if (!b)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    mh__buf l = MH__BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const mh_result *r = &results[i];
        if (!r->kase || !r->kase->id)
            continue;
        for (size_t k = 0; k < r->finding_count; k++) {
            if (!r->findings[k].check)
                continue;
            if (list_add(&l, mh_case_operation(r->kase), r->kase->id, r->findings[k].check) != 0) {
                list_free(&l);
                free(b);
                return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
            }
        }
    }
    b->entries = list_take(&l, &b->count);
    b->count = entries_normalize(b->entries, b->count);
    *out = b;
    return MH_OK;
}

static void quoted(FILE *f, const char *s)
{
    char *q = mh_json_quote(s);
    fputs(q ? q : "\"\"", f);
    free(q);
}

mh_status mh_baseline_print(const mh_baseline *b, FILE *f, mh_error *err)
{
    fprintf(f, "{\n  \"tool\": \"manta-harness\",\n  \"version\": %d,\n  \"findings\": [",
            MH_BASELINE_VERSION);
    for (size_t i = 0; i < b->count; i++) {
        fputs(i ? ",\n    {" : "\n    {", f);
        if (b->entries[i].operation) {
            fputs("\"operation\": ", f);
            quoted(f, b->entries[i].operation);
            fputs(", ", f);
        }
        fputs("\"case\": ", f);
        quoted(f, b->entries[i].case_id);
        fputs(", \"check\": ", f);
        quoted(f, b->entries[i].check);
        fputc('}', f);
    }
    fputs(b->count ? "\n  ]\n}\n" : "]\n}\n", f);
    if (ferror(f))
        return mh_error_set(err, MH_ERR_IO, "write error");
    return MH_OK;
}

static mh_status print_job(void *ctx, FILE *f, mh_error *err)
{
    return mh_baseline_print(ctx, f, err);
}

mh_status mh_baseline_write(const char *path, const mh_result *results, size_t n, mh_error *err)
{
    mh_error_clear(err);
    mh_baseline *b = NULL;
    mh_status st = mh_baseline_from_results(results, n, &b, err);
    if (st != MH_OK)
        return st;
    st = mh_file_write_atomic(path, "baseline", print_job, b, err);
    if (st != MH_OK)
        mh_error_at_file(err, path, 0, 0, -1);
    mh_baseline_free(b);
    return st;
}

/* ---- applying ----------------------------------------------------------------- */

static int fires(const mh_result *r, const char *check)
{
    for (size_t k = 0; k < r->finding_count; k++)
        if (r->findings[k].check && strcmp(r->findings[k].check, check) == 0)
            return 1;
    return 0;
}

/* 1 when e is fixed in results[0..n): a result of e's case (in e's
 * operation, or in any when e names none) concluded, and none of them fires
 * e's check. Inconclusive cases (rate limited, or never sent because the run
 * was interrupted) and skipped ones prove nothing about their findings. */
static int entry_fixed(const mh_result *results, size_t n, const mh_baseline_entry *e)
{
    int concluded = 0;
    for (size_t i = 0; i < n; i++) {
        const mh_case *c = results[i].kase;
        if (!c || !c->id || strcmp(c->id, e->case_id) != 0 ||
            (e->operation && strcmp(mh_case_operation(c), e->operation) != 0))
            continue;
        if (results[i].outcome == MH_OUTCOME_INCONCLUSIVE ||
            results[i].outcome == MH_OUTCOME_SKIPPED)
            continue;
        if (fires(&results[i], e->check))
            return 0;
        concluded = 1;
    }
    return concluded;
}

mh_status mh_baseline_apply(const mh_baseline *b, mh_result *results, size_t n,
                            mh_baseline_diff *diff, mh_error *err)
{
    memset(diff, 0, sizeof *diff);
    for (size_t i = 0; i < n; i++) {
        mh_result *r = &results[i];
        for (size_t k = 0; k < r->finding_count; k++) {
            mh_finding *f = &r->findings[k];
            f->known = r->kase && r->kase->id && f->check &&
                       find_entry(b, mh_case_operation(r->kase), r->kase->id, f->check) != NULL;
            if (f->known) {
                diff->known_findings++;
            } else {
                diff->new_findings++;
                diff->new_errors += f->severity == MH_SEV_ERROR;
            }
        }
    }
    mh__buf fixed = MH__BUF_INIT;
    for (size_t i = 0; b && i < b->count; i++) {
        const mh_baseline_entry *e = &b->entries[i];
        if (!entry_fixed(results, n, e))
            continue;
        if (list_add(&fixed, e->operation, e->case_id, e->check) != 0) {
            list_free(&fixed);
            memset(diff, 0, sizeof *diff);
            return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
        }
    }
    diff->fixed = list_take(&fixed, &diff->fixed_count);
    return MH_OK;
}

void mh_baseline_diff_clear(mh_baseline_diff *d)
{
    if (!d)
        return;
    entries_free(d->fixed, d->fixed_count);
    memset(d, 0, sizeof *d);
}

int mh_baseline_outcome_failed(const mh_result *r)
{
    if (r->outcome == MH_OUTCOME_INCONCLUSIVE)
        return 1;
    for (size_t k = 0; k < r->finding_count; k++)
        if (r->findings[k].severity == MH_SEV_ERROR && !r->findings[k].known)
            return 1;
    return 0;
}

int mh_baseline_run_failed(const mh_result *results, size_t n, const mh_baseline_diff *diff,
                           int strict)
{
    for (size_t i = 0; i < n; i++)
        if (mh_baseline_outcome_failed(&results[i]))
            return 1;
    return strict && diff && diff->fixed_count > 0;
}
