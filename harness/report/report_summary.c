/* report_summary.c — the counters every report shows and each case's place
 * in the full plan (contract: report.h). Calls nothing else of report/.
 */
#include <string.h>

#include "report_int.h"

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
    default:
        s->inconclusive++;
        s->suite_inconclusive[su]++;
        break;
    }
}

void mh_summary_compute(const mh_run *run, mh_summary *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < run->result_count; i++) {
        const mh_result *r = &run->results[i];
        unsigned su = r->kase ? (unsigned)r->kase->suite : 0;
        if (su >= MH_SUITE_COUNT)
            su = 0;
        s->cases++;
        s->suite_cases[su]++;
        count_outcome(s, r->outcome, su);
        for (size_t k = 0; k < r->finding_count; k++) {
            mh_check_id id = r->findings[k].check_id;
            s->findings++;
            if ((unsigned)id < MH_CHECK_COUNT)
                s->by_check[id]++;
            else
                s->other_findings++;
        }
    }
}
