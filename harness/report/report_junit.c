/* report_junit.c — JUnit XML for CI (contract: report.h).
 *
 * <testsuites> holds one <testsuite> per operation (name = its KEY: the
 * operationId, else "METHOD /path"), in the order the operations first
 * appear in the plan; each case is a <testcase
 * classname="manta-harness.<suite>" name="<case id>">. Failed cases carry
 * one <failure> (message = the first finding, text = every finding and the
 * curl command), inconclusive cases a <skipped/> saying so, skipped cases a
 * <skipped message="<skip reason>"/>, warning-only cases their findings in
 * <system-out> (a warning does not fail CI). Properties give seed,
 * base_url, spec, run_id, interrupted, and the operation ("METHOD /path")
 * and its operationId when declared. All text is redacted and escaped (report.h), so the document
 * is well-formed XML 1.0 that Jenkins, GitLab and GitHub parsers accept.
 */
#include "manta/report.h"
#include "report_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Writes redacted s escaped; -1 on OOM. */
static int xml_str(FILE *f, const mh_run *run, const char *s, int attr)
{
    char *red = mh__report_redact(run, s);
    if (!red)
        return -1;
    mh__report_xml_escape(f, red, strlen(red), attr);
    free(red);
    return 0;
}

static double seconds(double ms)
{
    return isfinite(ms) && ms > 0 ? ms / 1000.0 : 0.0;
}

static int property(FILE *f, const mh_run *run, const char *name, const char *value)
{
    fprintf(f, "      <property name=\"%s\" value=\"", name);
    if (xml_str(f, run, value ? value : "", 1) != 0)
        return -1;
    fputs("\"/>\n", f);
    return 0;
}

/* With a baseline: baseline_new/known/fixed counts and one
 * baseline_fixed_entry ("case check") per fixed entry. */
static int baseline_properties(FILE *f, const mh_run *run)
{
    const mh_baseline_diff *d = run->baseline;
    if (!d)
        return 0;
    char n[3][32];
    snprintf(n[0], sizeof n[0], "%zu", d->new_findings);
    snprintf(n[1], sizeof n[1], "%zu", d->known_findings);
    snprintf(n[2], sizeof n[2], "%zu", d->fixed_count);
    if (property(f, run, "baseline_new", n[0]) != 0 ||
        property(f, run, "baseline_known", n[1]) != 0 ||
        property(f, run, "baseline_fixed", n[2]) != 0)
        return -1;
    for (size_t i = 0; i < d->fixed_count; i++) {
        char entry[900];
        snprintf(entry, sizeof entry, "%s%s%s %s",
                 d->fixed[i].operation ? d->fixed[i].operation : "",
                 d->fixed[i].operation ? " " : "", d->fixed[i].case_id, d->fixed[i].check);
        if (property(f, run, "baseline_fixed_entry", entry) != 0)
            return -1;
    }
    return 0;
}

static int properties(FILE *f, const mh_run *run, const mh_operation_summary *g)
{
    char seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, run->seed);
    fputs("    <properties>\n", f);
    if (property(f, run, "seed", seed) != 0 || property(f, run, "base_url", run->base_url) != 0 ||
        property(f, run, "spec", run->spec_path) != 0 ||
        property(f, run, "run_id", run->run_id) != 0 ||
        property(f, run, "interrupted", run->interrupted ? "true" : "false") != 0 ||
        property(f, run, "operation", g->operation) != 0 ||
        (strcmp(g->key, g->operation) != 0 && property(f, run, "operation_id", g->key) != 0))
        return -1;
    if (baseline_properties(f, run) != 0)
        return -1;
    fputs("    </properties>\n", f);
    return 0;
}

/* Every finding, one per line: "check (severity) at /path: message". */
static int findings_text(FILE *f, const mh_run *run, const mh_result *r)
{
    for (size_t i = 0; i < r->finding_count; i++) {
        const mh_finding *fd = &r->findings[i];
        mh__report_xml_escape(f, fd->check ? fd->check : "", strlen(fd->check ? fd->check : ""), 0);
        fprintf(f, " (%s)", fd->severity == MH_SEV_ERROR ? "error" : "warning");
        if (fd->path && *fd->path) {
            fputs(" at ", f);
            if (xml_str(f, run, fd->path, 0) != 0)
                return -1;
        }
        fputs(": ", f);
        if (xml_str(f, run, fd->message ? fd->message : "", 0) != 0)
            return -1;
        fputc('\n', f);
    }
    return 0;
}

static int with_curl(FILE *f, const mh_run *run, const mh_result *r)
{
    char *curl = mh_report_curl_command(run, r);
    if (!curl)
        return -1;
    fputs("reproduce: ", f);
    mh__report_xml_escape(f, curl, strlen(curl), 0);
    fputc('\n', f);
    free(curl);
    return 0;
}

static int failure(FILE *f, const mh_run *run, const mh_result *r)
{
    const mh_finding *first = NULL;
    for (size_t i = 0; i < r->finding_count && !first; i++)
        if (r->findings[i].severity == MH_SEV_ERROR)
            first = &r->findings[i];
    if (!first && r->finding_count)
        first = &r->findings[0];
    fputs("      <failure message=\"", f);
    if (first) {
        mh__report_xml_escape(f, first->check, strlen(first->check), 1);
        fputs(": ", f);
        if (xml_str(f, run, first->message ? first->message : "", 1) != 0)
            return -1;
    } else
        fputs("failed", f);
    fprintf(f, "\" type=\"%s\">", first && first->check ? first->check : "failed");
    if (findings_text(f, run, r) != 0 || with_curl(f, run, r) != 0)
        return -1;
    fputs("</failure>\n", f);
    return 0;
}

static int testcase(FILE *f, const mh_run *run, const mh_result *r)
{
    const mh_case *c = r->kase;
    fprintf(f, "    <testcase classname=\"manta-harness.%s\" name=\"", mh_suite_name(c->suite));
    if (xml_str(f, run, c->id ? c->id : "", 1) != 0)
        return -1;
    fprintf(f, "\" time=\"%.3f\">\n", seconds(r->exchange.elapsed_ms));
    int rc = 0;
    if (r->outcome == MH_OUTCOME_FAILED)
        rc = failure(f, run, r);
    else if (r->outcome == MH_OUTCOME_SKIPPED) {
        fputs("      <skipped message=\"", f);
        rc = xml_str(f, run, c->skip_reason ? c->skip_reason : "skipped", 1);
        fputs("\"/>\n", f);
    } else if (r->outcome == MH_OUTCOME_INCONCLUSIVE)
        fprintf(f,
                "      <skipped message=\"inconclusive: still rate-limited after %d "
                "attempts\"/>\n",
                r->exchange.attempts);
    else if (r->outcome == MH_OUTCOME_WARNING) {
        fputs("      <system-out>", f);
        rc = findings_text(f, run, r);
        if (rc == 0)
            rc = with_curl(f, run, r);
        fputs("</system-out>\n", f);
    }
    fputs("    </testcase>\n", f);
    return rc;
}

/* The <testsuite> of operation g: its cases in plan order. */
static int testsuite(FILE *f, const mh_run *run, const mh_operation_summary *g)
{
    const mh_summary *s = &g->summary;
    fputs("  <testsuite name=\"", f);
    if (xml_str(f, run, g->key, 1) != 0)
        return -1;
    /* Inconclusive and skipped cases are both <skipped/>. */
    fprintf(f,
            "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" "
            "time=\"%.3f\">\n",
            s->cases, s->failed, s->inconclusive + s->skipped, seconds(s->elapsed_ms));
    if (properties(f, run, g) != 0)
        return -1;
    for (size_t k = 0; k < s->cases; k++) {
        const mh_result *r = &run->results[g->cases[k]];
        if (r->kase && testcase(f, run, r) != 0)
            return -1;
    }
    fputs("  </testsuite>\n", f);
    return 0;
}

mh_status mh_report_junit_write(const mh_run *run, FILE *f, mh_error *err)
{
    mh_summary s;
    mh_summary_compute(run, &s);
    mh_operation_summary *ops = NULL;
    size_t n = 0;
    if (mh_summary_by_operation(run, &ops, &n, err) != MH_OK)
        return MH_ERR_NOMEM;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f,
            "<testsuites name=\"manta-harness\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
            "skipped=\"%zu\" time=\"%.3f\">\n",
            s.cases, s.failed, s.inconclusive + s.skipped, seconds(run->duration_ms));
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++)
        bad = testsuite(f, run, &ops[i]) != 0;
    free(ops);
    if (bad)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    fputs("</testsuites>\n", f);
    if (ferror(f))
        return mh_error_set(err, MH_ERR_IO, "write error");
    return MH_OK;
}
