/* report_summary.c — the counters every report shows, per run and per
 * operation, and each case's place in the full plan (contract: report.h).
 * Calls nothing else of report/.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "util/buf.h"

size_t mh_report_plan_index(const mh_run *run, size_t i)
{
    if (run->plan_index)
        return run->plan_index[i];
    if (run->shard_n > 0 && run->shard_k > 0)
        return i * run->shard_n + (run->shard_k - 1);
    return i;
}

/* Counts r's outcome in s, overall and for suite su. */
static void count_outcome(mh_summary *s, mh_outcome o, unsigned su)
{
    switch (o) {
    case MH_OUTCOME_PASSED:
        s->passed++;
        s->suite_passed[su]++;
        break;
    case MH_OUTCOME_FAILED:
        s->failed++;
        s->suite_failed[su]++;
        break;
    case MH_OUTCOME_WARNING:
        s->warnings++;
        s->suite_warnings[su]++;
        break;
    case MH_OUTCOME_SKIPPED:
        s->skipped++;
        s->suite_skipped[su]++;
        break;
    default:
        s->inconclusive++;
        s->suite_inconclusive[su]++;
        break;
    }
}

/* Adds one result to s. */
static void count_result(mh_summary *s, const mh_result *r)
{
    unsigned su = r->kase ? (unsigned)r->kase->suite : 0;
    if (su >= MH_SUITE_COUNT)
        su = 0;
    s->cases++;
    s->suite_cases[su]++;
    count_outcome(s, r->outcome, su);
    if (isfinite(r->exchange.elapsed_ms) && r->exchange.elapsed_ms > 0)
        s->elapsed_ms += r->exchange.elapsed_ms;
    for (size_t k = 0; k < r->finding_count; k++) {
        mh_check_id id = r->findings[k].check_id;
        s->findings++;
        s->known += r->findings[k].known != 0;
        if ((unsigned)id < MH_CHECK_COUNT)
            s->by_check[id]++;
        else
            s->other_findings++;
    }
}

void mh_summary_compute(const mh_run *run, mh_summary *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < run->result_count; i++)
        count_result(s, &run->results[i]);
}

/* The group of key in v[0..n), trying *last first (cases of one operation
 * mostly come together); n when there is none. */
static size_t find_group(const mh_operation_summary *v, size_t n, const char *key, size_t *last)
{
    if (*last < n && strcmp(v[*last].key, key) == 0)
        return *last;
    for (size_t g = 0; g < n; g++)
        if (strcmp(v[g].key, key) == 0)
            return *last = g;
    return n;
}

/* Groups run's results by key into the mh__buf b (one mh_operation_summary
 * each, cases not yet set), writing each result's group to group_of.
 * Returns the number of groups; b->failed on OOM. */
static size_t group_results(const mh_run *run, mh__buf *b, size_t *group_of)
{
    size_t n = 0, last = 0;
    for (size_t i = 0; i < run->result_count && !b->failed; i++) {
        const mh_result *r = &run->results[i];
        const char *key = mh_case_operation_key(r->kase);
        size_t g = find_group((const mh_operation_summary *)b->p, n, key, &last);
        if (g == n) {
            mh_operation_summary z = {.key = key, .operation = mh_case_operation(r->kase)};
            mh__buf_add(b, &z, sizeof z);
            if (b->failed)
                break;
            last = n++;
        }
        count_result(&((mh_operation_summary *)b->p)[g].summary, r);
        group_of[i] = g;
    }
    return n;
}

mh_status mh_summary_by_operation(const mh_run *run, mh_operation_summary **out, size_t *count,
                                  mh_error *err)
{
    *out = NULL;
    *count = 0;
    if (run->result_count == 0)
        return MH_OK;
    size_t *group_of = malloc(run->result_count * sizeof *group_of);
    mh__buf b = MH__BUF_INIT;
    size_t n = group_of ? group_results(run, &b, group_of) : 0;
    /* The groups, then every group's case indexes, in one block. */
    size_t head = n * sizeof(mh_operation_summary);
    char *block =
        group_of && !b.failed ? mh__buf_reserve(&b, run->result_count * sizeof(size_t)) : NULL;
    if (!block) {
        free(group_of);
        mh__buf_free(&b);
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    mh__buf_commit(&b, run->result_count * sizeof(size_t));
    char *all = mh__buf_take(&b, NULL);
    mh_operation_summary *v = (mh_operation_summary *)all;
    size_t *idx = (size_t *)(all + head), at = 0; /* head keeps size_t alignment */
    for (size_t g = 0; g < n; g++) {
        v[g].cases = idx + at;
        at += v[g].summary.cases;
        v[g].summary.cases = 0; /* refilled below as the slot counter */
    }
    for (size_t i = 0; i < run->result_count; i++) {
        mh_operation_summary *g = &v[group_of[i]];
        ((size_t *)g->cases)[g->summary.cases++] = i;
    }
    free(group_of);
    *out = v;
    *count = n;
    return MH_OK;
}

int mh_summary_fixed_in(const mh_run *run, const mh_operation_summary *g,
                        const mh_baseline_entry *e)
{
    if (e->operation)
        return strcmp(e->operation, g->operation) == 0;
    for (size_t k = 0; k < g->summary.cases; k++) {
        const mh_case *c = run->results[g->cases[k]].kase;
        if (c && c->id && strcmp(c->id, e->case_id) == 0)
            return 1;
    }
    return 0;
}
