/* report_merge.c — JSON reports read back, merged, rebuilt (contract:
 * report_merge.h). */
#include "manta/report_merge.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "manta/fileio.h"
#include "manta/json_strict.h"

/* ---- reading ------------------------------------------------------------------ */

static mh_status shape(mh_error *err, const char *path, const char *pointer, const char *what)
{
    mh_error_set(err, MH_ERR_JSON, "not a manta-harness JSON report: %s", what);
    mh_error_at_file(err, path, 0, 0, -1);
    mh_error_at_pointer(err, pointer);
    return MH_ERR_JSON;
}

static int is_index(const cJSON *n)
{
    return cJSON_IsNumber(n) && mh_json_is_integer(n) && n->valuedouble >= 0 &&
           n->valuedouble < 9007199254740992.0;
}

static mh_status check_report(const cJSON *doc, const char *path, mh_error *err)
{
    if (!cJSON_IsObject(doc))
        return shape(err, path, "", "the document must be an object");
    const cJSON *tool = mh_json_get(doc, "tool");
    const cJSON *name = mh_json_get(tool, "name");
    if (!cJSON_IsString(name) || strcmp(name->valuestring, "manta-harness") != 0)
        return shape(err, path, "/tool/name", "tool.name must be \"manta-harness\"");
    if (!cJSON_IsString(mh_json_get(doc, "spec")))
        return shape(err, path, "/spec", "\"spec\" must be a string");
    if (!cJSON_IsString(mh_json_get(doc, "base_url")))
        return shape(err, path, "/base_url", "\"base_url\" must be a string");
    if (!cJSON_IsNumber(mh_json_get(doc, "seed")))
        return shape(err, path, "/seed", "\"seed\" must be a number");
    const cJSON *cases = mh_json_get(doc, "cases");
    if (!cJSON_IsArray(cases))
        return shape(err, path, "/cases", "\"cases\" must be an array");
    size_t i = 0;
    for (const cJSON *c = cases->child; c; c = c->next, i++) {
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/cases/%zu", i);
        if (!cJSON_IsObject(c) || !is_index(mh_json_get(c, "index")) ||
            !cJSON_IsString(mh_json_get(c, "id")))
            return shape(err, path, ptr,
                         "each case needs an integer \"index\" (a report of this version) and "
                         "a string \"id\"");
    }
    return MH_OK;
}

mh_status mh_report_read(const char *path, cJSON **out, mh_error *err)
{
    mh_error_clear(err);
    size_t len;
    char *buf = NULL;
    if (mh_file_read(path, MH_FILE_NO_LIMIT, &buf, &len, err) != MH_OK) {
        /* The location names the file, so the message need not. */
        mh_error_set(err, MH_ERR_IO, "cannot read report: %s", strerror(errno));
        mh_error_at_file(err, path, 0, 0, -1);
        return MH_ERR_IO;
    }
    cJSON *doc = NULL;
    mh_json_error je;
    mh_json_rule rule = mh_json_parse(buf, len, NULL, &doc, &je);
    free(buf);
    if (rule != MH_JSON_OK)
        return mh_json_error_describe(err, rule, &je, path, "report");
    mh_status st = check_report(doc, path, err);
    if (st != MH_OK) {
        cJSON_Delete(doc);
        return st;
    }
    *out = doc;
    return MH_OK;
}

/* ---- merging ------------------------------------------------------------------ */

/* Text of a scalar for comparisons and messages: strings as is, numbers by
 * their literal. Borrowed, or a static "" / "?". */
static const char *scalar_text(const cJSON *n)
{
    if (cJSON_IsString(n) || (cJSON_IsNumber(n) && n->valuestring))
        return n->valuestring;
    return n ? "?" : "";
}

static const char *str_of(const cJSON *obj, const char *key)
{
    const cJSON *n = mh_json_get(obj, key);
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

static mh_status agree(const cJSON *const *docs, const char *const *names, size_t n, mh_error *err)
{
    static const char *const what[][2] = {
        {"tool", "name"}, {"tool", "version"}, {"spec", NULL}, {"seed", NULL}, {"base_url", NULL}};
    for (size_t w = 0; w < sizeof what / sizeof what[0]; w++) {
        const cJSON *first = mh_json_get(docs[0], what[w][0]);
        if (what[w][1])
            first = mh_json_get(first, what[w][1]);
        for (size_t i = 1; i < n; i++) {
            const cJSON *v = mh_json_get(docs[i], what[w][0]);
            if (what[w][1])
                v = mh_json_get(v, what[w][1]);
            if (strcmp(scalar_text(first), scalar_text(v)) == 0)
                continue;
            return mh_error_set(err, MH_ERR_USAGE,
                                "the reports are not shards of one run: %s%s%s differs (%s has "
                                "'%s', %s has '%s')",
                                what[w][0], what[w][1] ? "." : "", what[w][1] ? what[w][1] : "",
                                names[0], scalar_text(first), names[i], scalar_text(v));
        }
    }
    return MH_OK;
}

typedef struct {
    double index;
    const cJSON *node;
    size_t doc;
} case_ref;

static int case_ref_cmp(const void *a, const void *b)
{
    const case_ref *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

/* Collects every case of every report sorted by plan index; rejects an
 * index given twice. */
static mh_status collect_cases(const cJSON *const *docs, const char *const *names, size_t n,
                               case_ref **out, size_t *count, mh_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += (size_t)cJSON_GetArraySize(mh_json_get(docs[i], "cases"));
    case_ref *v = malloc((total ? total : 1) * sizeof *v);
    if (!v)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (const cJSON *c = mh_json_get(docs[i], "cases")->child; c; c = c->next)
            v[k++] = (case_ref){mh_json_get(c, "index")->valuedouble, c, i};
    qsort(v, k, sizeof *v, case_ref_cmp);
    for (size_t i = 1; i < k; i++) {
        if (v[i].index != v[i - 1].index)
            continue;
        mh_error_set(err, MH_ERR_USAGE,
                     "case index %.0f (%s) appears in both %s and %s: is a shard given twice?",
                     v[i].index, mh_json_get(v[i].node, "id")->valuestring, names[v[i - 1].doc],
                     names[v[i].doc]);
        free(v);
        return MH_ERR_USAGE;
    }
    *out = v;
    *count = k;
    return MH_OK;
}

static int add_count(cJSON *obj, const char *key, size_t v)
{
    return cJSON_AddNumberToObject(obj, key, (double)v) ? 0 : -1;
}

/* The case objects one summary counts. */
typedef struct {
    const cJSON **v;
    size_t n;
} case_set;

/* The key a case counts under in by_operation: its "operation_id", else
 * its "operation" (report.h: mh_case_operation_key). */
static const char *case_key(const cJSON *c)
{
    const char *id = str_of(c, "operation_id");
    if (id && *id)
        return id;
    return str_of(c, "operation") ? str_of(c, "operation") : "";
}

static int summary_counts(cJSON *s, const case_set *cs)
{
    static const char *const keys[] = {"passed", "failed", "warnings", "inconclusive", "skipped"};
    static const mh_outcome outcome[] = {MH_OUTCOME_PASSED, MH_OUTCOME_FAILED, MH_OUTCOME_WARNING,
                                         MH_OUTCOME_INCONCLUSIVE, MH_OUTCOME_SKIPPED};
    size_t by_outcome[5] = {0};
    for (size_t i = 0; i < cs->n; i++) {
        const char *o = str_of(cs->v[i], "outcome");
        for (int j = 0; j < 5; j++)
            by_outcome[j] += o && strcmp(o, mh_outcome_name(outcome[j])) == 0;
    }
    if (add_count(s, "cases", cs->n))
        return -1;
    for (int j = 0; j < 5; j++)
        if (add_count(s, keys[j], by_outcome[j]))
            return -1;
    return 0;
}

static int summary_by_check(cJSON *s, const case_set *cs)
{
    cJSON *bc = cJSON_AddObjectToObject(s, "by_check");
    if (!bc)
        return -1;
    for (int j = 0; j < MH_CHECK_COUNT; j++) {
        const char *name = mh_check_name((mh_check_id)j);
        size_t count = 0;
        for (size_t i = 0; i < cs->n; i++) {
            const cJSON *fs = mh_json_get(cs->v[i], "findings");
            for (const cJSON *f = cJSON_IsArray(fs) ? fs->child : NULL; f; f = f->next) {
                const cJSON *c = mh_json_get(f, "check");
                count += cJSON_IsString(c) && strcmp(c->valuestring, name) == 0;
            }
        }
        if (count && add_count(bc, name, count))
            return -1;
    }
    return 0;
}

/* Orders fixed entries by operation (none first), case, then check, as
 * baseline files are. */
static int fixed_cmp(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    static const char *const keys[] = {"operation", "case", "check"};
    for (int i = 0; i < 3; i++) {
        const cJSON *p = mh_json_get(x, keys[i]), *q = mh_json_get(y, keys[i]);
        if (!p != !q)
            return p ? 1 : -1;
        int c = strcmp(scalar_text(p), scalar_text(q));
        if (c)
            return c;
    }
    return 0;
}
/* The shards' baseline sections added up; nothing when none has one. */
static int summary_baseline(cJSON *s, const cJSON *const *docs, size_t n)
{
    size_t nw = 0, known = 0, nfixed = 0, seen = 0;
    for (size_t i = 0; i < n; i++) {
        const cJSON *b = mh_json_get(mh_json_get(docs[i], "summary"), "baseline");
        if (!cJSON_IsObject(b))
            continue;
        seen++;
        nw += (size_t)cJSON_GetNumberValue(mh_json_get(b, "new"));
        known += (size_t)cJSON_GetNumberValue(mh_json_get(b, "known"));
        nfixed += (size_t)cJSON_GetArraySize(mh_json_get(b, "fixed"));
    }
    if (!seen)
        return 0;
    const cJSON **fixed = malloc((nfixed ? nfixed : 1) * sizeof *fixed);
    cJSON *b = cJSON_AddObjectToObject(s, "baseline");
    if (!fixed || !b || add_count(b, "new", nw) || add_count(b, "known", known)) {
        free(fixed);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const cJSON *list =
            mh_json_get(mh_json_get(mh_json_get(docs[i], "summary"), "baseline"), "fixed");
        for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e && k < nfixed;
             e = e->next)
            fixed[k++] = e;
    }
    qsort(fixed, k, sizeof *fixed, fixed_cmp);
    /* An entry without an operation matches its case id in every operation,
     * so two shards may both list it: once is enough. */
    size_t unique = 0;
    for (size_t i = 0; i < k; i++)
        if (unique == 0 || fixed_cmp(&fixed[unique - 1], &fixed[i]) != 0)
            fixed[unique++] = fixed[i];
    cJSON *arr = cJSON_AddArrayToObject(b, "fixed");
    for (size_t i = 0; arr && i < unique; i++) {
        cJSON *d = mh_json_duplicate(fixed[i]);
        if (!d)
            break;
        cJSON_AddItemToArray(arr, d);
    }
    int rc = arr && cJSON_GetArraySize(arr) == (int)unique ? 0 : -1;
    free(fixed);
    return rc;
}

/* The largest duration_ms of the shards, with its literal. */
static cJSON *max_duration(const cJSON *const *docs, size_t n)
{
    const cJSON *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const cJSON *d = mh_json_get(mh_json_get(docs[i], "summary"), "duration_ms");
        if (cJSON_IsNumber(d) && (!best || d->valuedouble > best->valuedouble))
            best = d;
    }
    return best ? mh_json_duplicate(best) : cJSON_CreateNumber(0);
}

/* 1 when the fixed entry e belongs to the operation of the cases cs (key
 * key, "METHOD /path" operation): e names that operation, or names none
 * and one of cs has e's case id (report.h: mh_summary_fixed_in). */
static int fixed_in(const cJSON *e, const case_set *cs, const char *operation)
{
    const char *op = str_of(e, "operation");
    if (op)
        return strcmp(op, operation) == 0;
    const char *id = scalar_text(mh_json_get(e, "case"));
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(scalar_text(mh_json_get(cs->v[i], "id")), id) == 0)
            return 1;
    return 0;
}

/* The baseline section of one operation: new and known from its findings'
 * "known" flags, fixed the entries of the run's (merged) list that are its. */
static int operation_baseline(cJSON *s, const case_set *cs, const cJSON *run_fixed)
{
    size_t nw = 0, known = 0;
    for (size_t i = 0; i < cs->n; i++) {
        const cJSON *fs = mh_json_get(cs->v[i], "findings");
        for (const cJSON *f = cJSON_IsArray(fs) ? fs->child : NULL; f; f = f->next) {
            int k = cJSON_IsTrue(mh_json_get(f, "known"));
            known += k;
            nw += !k;
        }
    }
    cJSON *b = cJSON_AddObjectToObject(s, "baseline");
    cJSON *arr = b && !add_count(b, "new", nw) && !add_count(b, "known", known)
                     ? cJSON_AddArrayToObject(b, "fixed")
                     : NULL;
    if (!arr)
        return -1;
    const char *operation = cs->n ? str_of(cs->v[0], "operation") : NULL;
    for (const cJSON *e = run_fixed ? run_fixed->child : NULL; e; e = e->next) {
        if (!fixed_in(e, cs, operation ? operation : ""))
            continue;
        cJSON *d = mh_json_duplicate(e);
        if (!d)
            return -1;
        cJSON_AddItemToArray(arr, d);
    }
    return 0;
}

/* The time the exchanges of cs took, added up (the live writer's
 * by_operation duration_ms). */
static double elapsed_sum(const case_set *cs)
{
    double ms = 0;
    for (size_t i = 0; i < cs->n; i++) {
        double e =
            cJSON_GetNumberValue(mh_json_get(mh_json_get(cs->v[i], "response"), "elapsed_ms"));
        if (isfinite(e) && e > 0)
            ms += e;
    }
    return ms;
}

/* A number of milliseconds written as the report writer writes it: three
 * decimals at most, trailing zeros dropped (kept as the node's literal). */
static cJSON *ms_number(double ms)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.3f", isfinite(ms) ? ms : 0.0);
    char *e = buf + strlen(buf) - 1;
    while (*e == '0')
        *e-- = '\0';
    if (*e == '.')
        *e = '\0';
    cJSON *n = cJSON_CreateNumber(strtod(buf, NULL));
    if (n && !(n->valuestring = strdup(buf))) {
        cJSON_Delete(n);
        return NULL;
    }
    return n;
}

/* One member of by_operation: the summary fields over the cases cs. */
static cJSON *operation_summary(const case_set *cs, const cJSON *run_baseline)
{
    cJSON *s = cJSON_CreateObject();
    int bad = !s || summary_counts(s, cs);
    cJSON *ms = bad ? NULL : ms_number(elapsed_sum(cs));
    if (ms)
        cJSON_AddItemToObject(s, "duration_ms", ms);
    bad = bad || !ms || summary_by_check(s, cs);
    if (!bad && run_baseline)
        bad = operation_baseline(s, cs, mh_json_get(run_baseline, "fixed"));
    if (bad) {
        cJSON_Delete(s);
        return NULL;
    }
    return s;
}

/* "by_operation": the cases grouped by key, in the order the keys first
 * appear in all (plan order). */
static int summary_by_operation(cJSON *s, const case_set *all)
{
    cJSON *bo = cJSON_AddObjectToObject(s, "by_operation");
    const cJSON **members = malloc((all->n ? all->n : 1) * sizeof *members);
    unsigned char *done = calloc(all->n ? all->n : 1, 1);
    int bad = !bo || !members || !done;
    for (size_t i = 0; !bad && i < all->n; i++) {
        if (done[i])
            continue;
        const char *key = case_key(all->v[i]);
        case_set cs = {members, 0};
        for (size_t j = i; j < all->n; j++)
            if (!done[j] && strcmp(case_key(all->v[j]), key) == 0) {
                done[j] = 1;
                members[cs.n++] = all->v[j];
            }
        cJSON *o = operation_summary(&cs, mh_json_get(s, "baseline"));
        bad = !o;
        if (o)
            cJSON_AddItemToObject(bo, key, o);
    }
    free(members);
    free(done);
    return bad ? -1 : 0;
}

static cJSON *merged_summary(const cJSON *const *docs, size_t n, const case_ref *v, size_t k)
{
    cJSON *s = cJSON_CreateObject();
    case_set all = {malloc((k ? k : 1) * sizeof *all.v), k};
    if (!s || !all.v)
        goto fail;
    for (size_t i = 0; i < k; i++)
        all.v[i] = v[i].node;
    if (summary_counts(s, &all))
        goto fail;
    cJSON *d = max_duration(docs, n);
    if (!d)
        goto fail;
    cJSON_AddItemToObject(s, "duration_ms", d);
    if (summary_by_check(s, &all) || summary_baseline(s, docs, n) || summary_by_operation(s, &all))
        goto fail;
    free(all.v);
    return s;
fail:
    free(all.v);
    cJSON_Delete(s);
    return NULL;
}

static cJSON *merged_cases(const case_ref *v, size_t k)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < k; i++) {
        cJSON *d = mh_json_duplicate(v[i].node);
        if (!d) {
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, d);
    }
    return arr;
}

/* Indexes below the largest that no report holds. */
static size_t count_missing(const case_ref *v, size_t k)
{
    if (k == 0)
        return 0;
    double last = v[k - 1].index;
    return (size_t)(last + 1) - k;
}

static int any_interrupted(const cJSON *const *docs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cJSON_IsTrue(mh_json_get(docs[i], "interrupted")))
            return 1;
    return 0;
}

mh_status mh_report_merge(const cJSON *const *docs, const char *const *names, size_t n, cJSON **out,
                          size_t *missing, mh_error *err)
{
    mh_error_clear(err);
    if (n == 0)
        return mh_error_set(err, MH_ERR_USAGE, "no reports to merge");
    mh_status st = agree(docs, names, n, err);
    case_ref *v = NULL;
    size_t k = 0;
    if (st != MH_OK || (st = collect_cases(docs, names, n, &v, &k, err)) != MH_OK)
        return st;
    cJSON *doc = cJSON_CreateObject();
    int bad = !doc;
    /* Same members, same order as the first report; summary and cases new. */
    for (const cJSON *m = docs[0]->child; !bad && m; m = m->next) {
        cJSON *item;
        if (strcmp(m->string, "summary") == 0)
            item = merged_summary(docs, n, v, k);
        else if (strcmp(m->string, "cases") == 0)
            item = merged_cases(v, k);
        else if (strcmp(m->string, "interrupted") == 0)
            item = cJSON_CreateBool(any_interrupted(docs, n));
        else
            item = mh_json_duplicate(m);
        bad = !item;
        if (item)
            cJSON_AddItemToObject(doc, m->string, item);
    }
    if (missing)
        *missing = count_missing(v, k);
    free(v);
    if (bad) {
        cJSON_Delete(doc);
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    *out = doc;
    return MH_OK;
}

/* ---- writing a tree ----------------------------------------------------------- */

static int write_string(FILE *f, const char *s)
{
    char *q = mh_json_quote(s ? s : "");
    if (!q)
        return -1;
    fputs(q, f);
    free(q);
    return 0;
}

static void write_number(FILE *f, const cJSON *n)
{
    if (n->valuestring) {
        fputs(n->valuestring, f); /* the literal mh_json_parse kept */
        return;
    }
    double v = n->valuedouble;
    if (!isfinite(v))
        fputs("0", f);
    else if (v == floor(v) && fabs(v) < 9007199254740992.0)
        fprintf(f, "%.0f", v);
    else
        fprintf(f, "%.17g", v);
}

/* depth 0 is the document; the top-level "cases" array gets one case per
 * line. */
static int write_value(FILE *f, const cJSON *n, int depth)
{
    if (cJSON_IsString(n))
        return write_string(f, n->valuestring);
    if (cJSON_IsNumber(n)) {
        write_number(f, n);
        return 0;
    }
    if (cJSON_IsBool(n) || cJSON_IsNull(n)) {
        fputs(cJSON_IsTrue(n) ? "true" : cJSON_IsFalse(n) ? "false" : "null", f);
        return 0;
    }
    int obj = cJSON_IsObject(n);
    int lines = depth == 1 && n->string && strcmp(n->string, "cases") == 0;
    fputc(obj ? '{' : '[', f);
    for (const cJSON *c = n->child; c; c = c->next) {
        if (c != n->child)
            fputc(',', f);
        if (lines || (depth == 0 && c != n->child))
            fputc('\n', f);
        if (obj) {
            if (write_string(f, c->string) != 0)
                return -1;
            fputc(':', f);
        }
        if (write_value(f, c, depth + 1) != 0)
            return -1;
    }
    if (lines && n->child)
        fputc('\n', f);
    fputc(obj ? '}' : ']', f);
    return 0;
}

mh_status mh_report_tree_write(const cJSON *doc, FILE *f, mh_error *err)
{
    if (write_value(f, doc, 0) != 0)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    fputc('\n', f);
    if (ferror(f))
        return mh_error_set(err, MH_ERR_IO, "write error");
    return MH_OK;
}

/* ---- rebuilding the model ----------------------------------------------------- */

/* Stand-ins for the placeholders inside rebuilt requests. The model's
 * redactor maps them back, so the curl builder treats them as the secrets
 * they replaced and expands them from the environment. */
static const char *const placeholders[] = {"$MANTA_TOKEN", "$MANTA_JWT_KEY", "$MANTA_SECRET"};
static const char *const standins[] = {"MH-MERGED-STANDIN-TOKEN-5f1c9a",
                                       "MH-MERGED-STANDIN-JWTKEY-5f1c9a",
                                       "MH-MERGED-STANDIN-SECRET-5f1c9a"};

/* A copy of a string from the tree: C0 80 back to NUL, and (when swap)
 * placeholders swapped for stand-ins. *len gets the byte length. Caller
 * frees; NULL on OOM. */
static char *decode(const char *s, int swap, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m)
        return NULL;
    for (const char *p = s ? s : ""; *p;) {
        if ((unsigned char)p[0] == 0xC0 && (unsigned char)p[1] == 0x80) {
            fputc('\0', m);
            p += 2;
            continue;
        }
        int hit = -1;
        for (int k = 0; swap && k < 3 && hit < 0; k++)
            if (strncmp(p, placeholders[k], strlen(placeholders[k])) == 0)
                hit = k;
        if (hit >= 0) {
            fputs(standins[hit], m);
            p += strlen(placeholders[hit]);
            continue;
        }
        fputc(*p++, m);
    }
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}

/* Keeps s in the model; returns it (NULL when s is NULL). -1 via *bad. */
static const char *keep(mh_report_model *m, char *s, int *bad)
{
    if (!s) {
        *bad = 1;
        return NULL;
    }
    char **nv = realloc(m->strings, (m->string_count + 1) * sizeof *nv);
    if (!nv) {
        free(s);
        *bad = 1;
        return NULL;
    }
    m->strings = nv;
    m->strings[m->string_count++] = s;
    return s;
}

static const char *keep_str(mh_report_model *m, const char *s, int *bad)
{
    return s ? keep(m, strdup(s), bad) : NULL;
}

static mh_status add_headers(const cJSON *obj, mh_header **out, size_t *count, int swap)
{
    size_t n = (size_t)cJSON_GetArraySize(obj);
    if (!cJSON_IsObject(obj) || n == 0)
        return MH_OK;
    mh_header *h = calloc(n, sizeof *h);
    if (!h)
        return MH_ERR_NOMEM;
    *out = h;
    for (const cJSON *c = obj->child; c; c = c->next) {
        h[*count].name = decode(c->string, swap, NULL);
        h[*count].value = decode(cJSON_IsString(c) ? c->valuestring : "", swap, NULL);
        (*count)++;
        if (!h[*count - 1].name || !h[*count - 1].value)
            return MH_ERR_NOMEM;
    }
    return MH_OK;
}

static const mh_operation *find_op(mh_report_model *m, const char *id)
{
    for (size_t i = 0; id && i < m->op_count; i++)
        if (strcmp(m->ops[i].id, id) == 0)
            return &m->ops[i];
    return NULL;
}

/* The target of a case: its URL without the run's base URL. */
static char *case_target(const char *url, const char *base)
{
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        bl--;
    if (url && strncmp(url, base, bl) == 0)
        url += bl;
    return decode(url ? url : "/", 1, NULL);
}

static mh_status build_case(mh_report_model *m, const cJSON *j, mh_case **out)
{
    mh_case *c = mh_case_new();
    if (!c)
        return MH_ERR_NOMEM;
    *out = c;
    const cJSON *req = mh_json_get(j, "request");
    const char *suite = str_of(j, "suite");
    int su = suite ? mh_suite_parse(suite) : -1;
    c->suite = su >= 0 ? (mh_suite)su : MH_SUITE_VALID;
    c->op = find_op(m, str_of(j, "operation"));
    c->id = decode(str_of(j, "id"), 0, NULL);
    c->method = decode(str_of(req, "method") ? str_of(req, "method") : "GET", 1, NULL);
    c->target = case_target(str_of(req, "url"), m->run.base_url);
    const char *body = str_of(req, "body");
    if (body && *body && !(c->body = decode(body, 1, &c->body_len)))
        return MH_ERR_NOMEM;
    const char *reason = str_of(j, "skip_reason"), *where = str_of(j, "skip_pointer");
    if ((reason && !(c->skip_reason = decode(reason, 0, NULL))) ||
        (where && !(c->skip_pointer = decode(where, 0, NULL))))
        return MH_ERR_NOMEM;
    if (!c->id || !c->method || !c->target)
        return MH_ERR_NOMEM;
    return add_headers(mh_json_get(req, "headers"), &c->headers, &c->header_count, 1);
}

static mh_xfer_error xfer_from(const char *text, const char **rest)
{
    *rest = NULL;
    for (int e = MH_XFER_TIMEOUT; text && e <= MH_XFER_OTHER; e++) {
        const char *name = mh_xfer_error_name((mh_xfer_error)e);
        size_t nl = strlen(name);
        if (strncmp(text, name, nl) == 0 && (text[nl] == '\0' || text[nl] == ':')) {
            *rest = text[nl] == ':' ? text + nl + (text[nl + 1] == ' ' ? 2 : 1) : NULL;
            return (mh_xfer_error)e;
        }
    }
    return text ? MH_XFER_OTHER : MH_XFER_OK;
}

static mh_status build_exchange(const cJSON *j, mh_exchange *x)
{
    const cJSON *rsp = mh_json_get(j, "response");
    x->status = (int)cJSON_GetNumberValue(mh_json_get(rsp, "status"));
    if (x->status < 0 || x->status > 999)
        x->status = 0;
    const char *ct = str_of(rsp, "content_type");
    if (ct && !(x->content_type = decode(ct, 0, NULL)))
        return MH_ERR_NOMEM;
    if (!(x->body = decode(str_of(rsp, "body"), 0, &x->body_len)))
        return MH_ERR_NOMEM;
    double ms = cJSON_GetNumberValue(mh_json_get(rsp, "elapsed_ms"));
    x->elapsed_ms = isfinite(ms) ? ms : 0;
    double att = cJSON_GetNumberValue(mh_json_get(rsp, "attempts"));
    x->attempts = isfinite(att) && att >= 0 && att < 1e6 ? (int)att : 1;
    const char *rest;
    x->error = xfer_from(str_of(rsp, "error"), &rest);
    if (rest && !(x->error_text = strdup(rest)))
        return MH_ERR_NOMEM;
    return add_headers(mh_json_get(rsp, "headers"), &x->headers, &x->header_count, 0);
}

static mh_status build_findings(mh_report_model *m, const cJSON *j, mh_result *r)
{
    const cJSON *fs = mh_json_get(j, "findings");
    for (const cJSON *f = cJSON_IsArray(fs) ? fs->child : NULL; f; f = f->next) {
        int bad = 0;
        const char *check = str_of(f, "check") ? str_of(f, "check") : "";
        /* A name the catalogue lacks is kept by the model: the finding borrows it. */
        if (mh_check_parse(check) < 0)
            check = keep_str(m, check, &bad);
        const char *sev = str_of(f, "severity");
        mh_severity s = sev && strcmp(sev, "warning") == 0 ? MH_SEV_WARNING : MH_SEV_ERROR;
        if (bad ||
            mh_result_add_finding_named(r, check, s, str_of(f, "path"), str_of(f, "message")) != 0)
            return MH_ERR_NOMEM;
        r->findings[r->finding_count - 1].known = cJSON_IsTrue(mh_json_get(f, "known"));
    }
    return MH_OK;
}

static mh_outcome outcome_of(const char *s)
{
    for (int o = 0; s && o <= MH_OUTCOME_SKIPPED; o++)
        if (strcmp(s, mh_outcome_name((mh_outcome)o)) == 0)
            return (mh_outcome)o;
    return MH_OUTCOME_INCONCLUSIVE;
}

/* One mh_operation per distinct "operation" string of the cases, with the
 * "operation_id" its cases carry (a methods case, reported under a
 * "METHOD /path" of its own, gets an operation of its own without one). */
static mh_status build_ops(mh_report_model *m, const cJSON *cases)
{
    size_t n = (size_t)cJSON_GetArraySize(cases);
    m->ops = calloc(n ? n : 1, sizeof *m->ops);
    if (!m->ops)
        return MH_ERR_NOMEM;
    int bad = 0;
    for (const cJSON *c = cases->child; c && !bad; c = c->next) {
        const char *id = str_of(c, "operation"), *op_id = str_of(c, "operation_id");
        mh_operation *op = (mh_operation *)find_op(m, id);
        if (op && !op->operation_id && op_id && *op_id)
            op->operation_id = keep_str(m, op_id, &bad);
        if (!id || !*id || op)
            continue;
        op = &m->ops[m->op_count++];
        op->id = keep_str(m, id, &bad);
        op->operation_id = op_id && *op_id ? keep_str(m, op_id, &bad) : NULL;
        const char *sp = strchr(id, ' ');
        op->method = sp ? keep(m, strndup(id, (size_t)(sp - id)), &bad) : op->id;
        op->path = sp ? sp + 1 : "";
    }
    return bad ? MH_ERR_NOMEM : MH_OK;
}

static mh_status build_baseline(mh_report_model *m, const cJSON *doc)
{
    const cJSON *b = mh_json_get(mh_json_get(doc, "summary"), "baseline");
    if (!cJSON_IsObject(b))
        return MH_OK;
    m->has_baseline = 1;
    mh_baseline_diff *d = &m->baseline;
    d->new_findings = (size_t)cJSON_GetNumberValue(mh_json_get(b, "new"));
    d->known_findings = (size_t)cJSON_GetNumberValue(mh_json_get(b, "known"));
    const cJSON *fixed = mh_json_get(b, "fixed");
    size_t n = (size_t)cJSON_GetArraySize(fixed);
    d->fixed = calloc(n ? n : 1, sizeof *d->fixed);
    if (!d->fixed)
        return MH_ERR_NOMEM;
    for (const cJSON *e = cJSON_IsArray(fixed) ? fixed->child : NULL; e; e = e->next) {
        mh_baseline_entry *x = &d->fixed[d->fixed_count++];
        const char *op = str_of(e, "operation");
        if (op && !(x->operation = strdup(op)))
            return MH_ERR_NOMEM;
        x->case_id = strdup(scalar_text(mh_json_get(e, "case")));
        x->check = strdup(scalar_text(mh_json_get(e, "check")));
        if (!x->case_id || !x->check)
            return MH_ERR_NOMEM;
    }
    for (size_t i = 0; i < m->count; i++)
        for (size_t k = 0; k < m->results[i].finding_count; k++)
            d->new_errors += !m->results[i].findings[k].known &&
                             m->results[i].findings[k].severity == MH_SEV_ERROR;
    m->run.baseline = d;
    return MH_OK;
}

static mh_status build_header(mh_report_model *m, const cJSON *doc)
{
    int bad = 0;
    mh_run *run = &m->run;
    run->tool_version = keep_str(m, str_of(mh_json_get(doc, "tool"), "version"), &bad);
    run->spec_path = keep_str(m, str_of(doc, "spec"), &bad);
    run->base_url = keep_str(m, str_of(doc, "base_url"), &bad);
    run->run_id = keep_str(m, str_of(doc, "run_id"), &bad);
    const cJSON *seed = mh_json_get(doc, "seed");
    run->seed = seed && seed->valuestring ? strtoull(seed->valuestring, NULL, 10)
                                          : (uint64_t)cJSON_GetNumberValue(seed);
    run->duration_ms =
        cJSON_GetNumberValue(mh_json_get(mh_json_get(doc, "summary"), "duration_ms"));
    if (!isfinite(run->duration_ms))
        run->duration_ms = 0;
    run->interrupted = cJSON_IsTrue(mh_json_get(doc, "interrupted"));
    m->redactor = mh_redactor_new();
    for (int k = 0; m->redactor && k < 3; k++)
        bad |= mh_redactor_add(m->redactor, standins[k], placeholders[k]) != 0;
    run->redactor = m->redactor;
    return bad || !m->redactor || !run->base_url ? MH_ERR_NOMEM : MH_OK;
}

static mh_status build_model(mh_report_model *m, const cJSON *doc)
{
    const cJSON *cases = mh_json_get(doc, "cases");
    mh_status st = build_header(m, doc);
    if (st == MH_OK)
        st = build_ops(m, cases);
    size_t n = (size_t)cJSON_GetArraySize(cases);
    m->results = calloc(n ? n : 1, sizeof *m->results);
    m->plan_index = calloc(n ? n : 1, sizeof *m->plan_index);
    if (!m->results || !m->plan_index)
        return MH_ERR_NOMEM;
    for (const cJSON *c = cases->child; c && st == MH_OK; c = c->next) {
        mh_result *r = &m->results[m->count];
        m->plan_index[m->count++] = (size_t)mh_json_get(c, "index")->valuedouble;
        r->outcome = outcome_of(str_of(c, "outcome"));
        st = build_case(m, c, &r->kase);
        if (st == MH_OK)
            st = build_exchange(c, &r->exchange);
        if (st == MH_OK)
            st = build_findings(m, c, r);
    }
    if (st == MH_OK)
        st = build_baseline(m, doc);
    m->run.results = m->results;
    m->run.result_count = m->count;
    m->run.plan_index = m->plan_index;
    return st;
}

mh_status mh_report_model_from_json(const cJSON *doc, mh_report_model **out, mh_error *err)
{
    mh_report_model *m = calloc(1, sizeof *m);
    if (!m)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    mh_status st = build_model(m, doc);
    if (st != MH_OK) {
        mh_report_model_free(m);
        return mh_error_set(err, st, "out of memory");
    }
    *out = m;
    return MH_OK;
}

void mh_report_model_free(mh_report_model *m)
{
    if (!m)
        return;
    mh_results_free(m->results, m->count);
    free(m->plan_index);
    free(m->ops);
    for (size_t i = 0; i < m->string_count; i++)
        free(m->strings[i]);
    free(m->strings);
    mh_redactor_free(m->redactor);
    mh_baseline_diff_clear(&m->baseline);
    free(m);
}
