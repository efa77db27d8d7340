/* report_html.c — one self-contained HTML page (contract: report.h).
 *
 * Inline CSS, inline SVG, no scripts and no external resources, so the file
 * can be attached to a CI run and opened anywhere. Sections: run header,
 * summary (by suite, by check, and a table of the operations), a stacked
 * bar chart of status codes per suite, a latency histogram, and one
 * section per operation (its KEY: operationId, else "METHOD /path") with
 * its counts and every case of it that did not pass: request, answer,
 * findings and curl command (collapsible <details>), or for a skipped case
 * the reason it was not sent. All text is redacted and HTML-escaped.
 */
#include "manta/report.h"
#include "report_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Bodies shown in the page; the JSON report keeps more. */
#define HTML_BODY_CAP (16 * 1024)
/* Distinct status codes drawn separately; rarer ones are grouped. */
#define MAX_CODES 16

static int html_str(FILE *f, const mh_run *run, const char *s)
{
    char *red = mh__report_redact(run, s ? s : "");
    if (!red)
        return -1;
    mh__report_xml_escape(f, red, strlen(red), 0);
    free(red);
    return 0;
}

static int html_body(FILE *f, const mh_run *run, const char *s, size_t len)
{
    mh__report_text t;
    if (mh__report_body(run, s, len, HTML_BODY_CAP, &t) != 0)
        return -1;
    mh__report_xml_escape(f, t.data, t.len, 0);
    if (t.omitted) {
        char note[64];
        mh__report_truncation_note(note, sizeof note, t.omitted);
        fputs(note, f);
    }
    free(t.data);
    return 0;
}

static const char *css =
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222;background:#fff}"
    "h1{margin-bottom:.2em}table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}td.n{text-align:right}"
    ".passed{color:#2e7d32}.failed{color:#c62828;font-weight:bold}.warning{color:#b26a00}"
    ".inconclusive{color:#666}.skipped{color:#666;font-style:italic}.banner{background:#fff3cd;"
    "border:1px solid #e0c060;padding:.5em}"
    "pre{white-space:pre-wrap;word-break:break-all;background:#f7f7f7;padding:.5em;margin:.3em 0;"
    "max-height:30em;overflow:auto}"
    "details summary{cursor:pointer}.cards span{display:inline-block;margin-right:1.5em;"
    "font-size:1.2em}svg text{font-family:system-ui,sans-serif;font-size:12px}";

static int header(FILE *f, const mh_run *run)
{
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<title>manta-harness report</title>\n<style>%s</style></head><body>\n",
            css);
    fputs("<h1>manta-harness report</h1>\n<table>\n<tr><th>tool</th><td>manta-harness ", f);
    int rc = html_str(f, run, run->tool_version);
    fputs("</td></tr>\n<tr><th>spec</th><td>", f);
    rc |= html_str(f, run, run->spec_path);
    fputs("</td></tr>\n<tr><th>target</th><td>", f);
    rc |= html_str(f, run, run->base_url);
    fprintf(f, "</td></tr>\n<tr><th>seed</th><td>%" PRIu64 "</td></tr>\n<tr><th>run id</th><td>",
            run->seed);
    rc |= html_str(f, run, run->run_id);
    fprintf(f, "</td></tr>\n<tr><th>duration</th><td>%.1f ms</td></tr>\n</table>\n",
            isfinite(run->duration_ms) ? run->duration_ms : 0.0);
    if (run->interrupted)
        fputs("<p class=\"banner\">The run was interrupted: these results are partial.</p>\n", f);
    return rc ? -1 : 0;
}

/* The count cards of a summary. */
static void cards(FILE *f, const mh_summary *s)
{
    fprintf(f,
            "<p class=\"cards\"><span>%zu cases</span>"
            "<span class=\"passed\">%zu passed</span><span class=\"failed\">%zu failed</span>"
            "<span class=\"warning\">%zu warnings</span>"
            "<span class=\"inconclusive\">%zu inconclusive</span>"
            "<span class=\"skipped\">%zu skipped</span></p>\n",
            s->cases, s->passed, s->failed, s->warnings, s->inconclusive, s->skipped);
}

static void summary(FILE *f, const mh_summary *s)
{
    fputs("<h2>Summary</h2>\n", f);
    cards(f, s);
    fputs("<table><tr><th>suite</th><th>cases</th><th>passed</th><th>failed</th>"
          "<th>warnings</th><th>inconclusive</th><th>skipped</th></tr>\n",
          f);
    for (int su = 0; su < MH_SUITE_COUNT; su++)
        if (s->suite_cases[su])
            fprintf(f,
                    "<tr><td>%s</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                    "<td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                    "<td class=\"n\">%zu</td></tr>\n",
                    mh_suite_name((mh_suite)su), s->suite_cases[su], s->suite_passed[su],
                    s->suite_failed[su], s->suite_warnings[su], s->suite_inconclusive[su],
                    s->suite_skipped[su]);
    fputs("</table>\n<table><tr><th>check</th><th>severity</th><th>findings</th></tr>\n", f);
    for (int i = 0; i < MH_CHECK_COUNT; i++)
        if (s->by_check[i])
            fprintf(f, "<tr><td>%s</td><td>%s</td><td class=\"n\">%zu</td></tr>\n",
                    mh_check_name((mh_check_id)i),
                    mh_check_severity((mh_check_id)i) == MH_SEV_ERROR ? "error" : "warning",
                    s->by_check[i]);
    if (!s->findings)
        fputs("<tr><td colspan=\"3\">no findings</td></tr>\n", f);
    fputs("</table>\n", f);
}

/* ---- status codes per suite --------------------------------------------------- */

typedef struct {
    int code[MAX_CODES + 1]; /* last slot: "other" (-1) */
    size_t n;
    size_t count[MH_SUITE_COUNT][MAX_CODES + 1];
} code_table;

static size_t code_slot(code_table *t, int code)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->code[i] == code)
            return i;
    if (t->n < MAX_CODES) {
        /* Keep codes sorted so the legend reads in order. */
        size_t at = t->n;
        while (at > 0 && t->code[at - 1] > code)
            at--;
        memmove(&t->code[at + 1], &t->code[at], (t->n - at) * sizeof t->code[0]);
        for (int su = 0; su < MH_SUITE_COUNT; su++)
            memmove(&t->count[su][at + 1], &t->count[su][at], (t->n - at) * sizeof(size_t));
        for (int su = 0; su < MH_SUITE_COUNT; su++)
            t->count[su][at] = 0;
        t->code[at] = code;
        t->n++;
        return at;
    }
    t->code[MAX_CODES] = -1;
    return MAX_CODES;
}

static const char *code_color(int code, size_t shade)
{
    static const char *const green[] = {"#2e9e44", "#66bb6a", "#1b5e20"};
    static const char *const amber[] = {"#f0a020", "#ffcc66", "#c77800", "#e6b800", "#a65f00"};
    static const char *const red[] = {"#c62828", "#ef5350", "#8e0000"};
    if (code < 0)
        return "#b0b0b0";
    if (code == 0)
        return "#555555";
    if (code >= 200 && code < 300)
        return green[shade % 3];
    if (code >= 400 && code < 500)
        return amber[shade % 5];
    if (code >= 500)
        return red[shade % 3];
    return "#4a7ebb";
}

static void code_label(char *buf, size_t n, int code)
{
    if (code < 0)
        snprintf(buf, n, "other");
    else if (code == 0)
        snprintf(buf, n, "no answer");
    else
        snprintf(buf, n, "%d", code);
}

/* Cases of suite su that were sent (skipped ones have no status). */
static size_t sent(const mh_summary *s, int su)
{
    return s->suite_cases[su] - s->suite_skipped[su];
}

static void status_chart(FILE *f, const mh_run *run, const mh_summary *s)
{
    code_table t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < run->result_count; i++) {
        const mh_result *r = &run->results[i];
        if (!r->kase || r->outcome == MH_OUTCOME_SKIPPED)
            continue;
        size_t slot = code_slot(&t, r->exchange.status);
        t.count[r->kase->suite % MH_SUITE_COUNT][slot]++;
    }
    size_t slots = t.code[MAX_CODES] == -1 ? MAX_CODES + 1 : t.n, rows = 0, max = 1;
    for (int su = 0; su < MH_SUITE_COUNT; su++)
        if (sent(s, su)) {
            rows++;
            if (sent(s, su) > max)
                max = sent(s, su);
        }
    const int label_w = 90, bar_w = 560, row_h = 26;
    int height = (int)rows * row_h + 50;
    fputs("<h2>Status codes per suite</h2>\n", f);
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"status-chart\" width=\"760\" "
            "height=\"%d\" role=\"img\" aria-label=\"status codes per suite\">\n",
            height);
    int y = 10;
    for (int su = 0; su < MH_SUITE_COUNT; su++) {
        if (!sent(s, su))
            continue;
        fprintf(f, "<text x=\"0\" y=\"%d\">%s</text>\n", y + 15, mh_suite_name((mh_suite)su));
        double x = label_w;
        size_t shade[4] = {0};
        for (size_t k = 0; k < slots; k++) {
            int code = t.code[k];
            size_t cls = code >= 200 && code < 600 ? (size_t)(code / 100 - 2) : 3;
            const char *color = code_color(code, shade[cls]++);
            size_t n = t.count[su][k];
            if (!n)
                continue;
            double w = (double)bar_w * (double)n / (double)max;
            char label[16];
            code_label(label, sizeof label, code);
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\">"
                    "<title>%s %s: %zu</title></rect>\n",
                    x, y, w, color, mh_suite_name((mh_suite)su), label, n);
            if (w > 34)
                fprintf(f, "<text x=\"%.1f\" y=\"%d\" fill=\"#fff\">%s</text>\n", x + 3, y + 15,
                        label);
            x += w;
        }
        fprintf(f, "<text x=\"%.1f\" y=\"%d\">%zu</text>\n", x + 4, y + 15, sent(s, su));
        y += row_h;
    }
    /* Legend. */
    double lx = label_w;
    size_t shade[4] = {0};
    for (size_t k = 0; k < slots; k++) {
        int code = t.code[k];
        size_t cls = code >= 200 && code < 600 ? (size_t)(code / 100 - 2) : 3;
        char label[16];
        code_label(label, sizeof label, code);
        fprintf(f,
                "<rect x=\"%.0f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                "<text x=\"%.0f\" y=\"%d\">%s</text>\n",
                lx, y + 8, code_color(code, shade[cls]++), lx + 16, y + 18, label);
        lx += 24 + 8 * (double)strlen(label);
    }
    fputs("</svg>\n", f);
}

/* ---- latency histogram ------------------------------------------------------- */

static void latency_chart(FILE *f, const mh_run *run)
{
    static const double edges[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    static const char *const labels[] = {"<1",    "1-2",    "2-5",     "5-10",    "10-20",
                                         "20-50", "50-100", "100-200", "200-500", "0.5-1s",
                                         "1-2s",  "2-5s",   ">5s"};
    enum { BINS = 13 };
    size_t count[BINS] = {0}, max = 1, answered = 0;
    for (size_t i = 0; i < run->result_count; i++) {
        const mh_exchange *x = &run->results[i].exchange;
        if (x->status == 0)
            continue;
        double ms = isfinite(x->elapsed_ms) ? x->elapsed_ms : 0;
        size_t b = 0;
        while (b < BINS - 1 && ms >= edges[b])
            b++;
        count[b]++;
        answered++;
        if (count[b] > max)
            max = count[b];
    }
    fprintf(f, "<h2>Latency (ms, %zu answered requests)</h2>\n", answered);
    const int bw = 52, chart_h = 160, top = 20;
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"latency-chart\" width=\"%d\" "
            "height=\"%d\" role=\"img\" aria-label=\"latency histogram\">\n",
            BINS * bw + 20, chart_h + top + 30);
    for (int b = 0; b < BINS; b++) {
        double h = (double)chart_h * (double)count[b] / (double)max;
        int x = 10 + b * bw;
        fprintf(f,
                "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#4a7ebb\">"
                "<title>",
                x, top + chart_h - h, bw - 6, h);
        mh__report_xml_escape(f, labels[b], strlen(labels[b]), 0);
        fprintf(f, " ms: %zu</title></rect>\n", count[b]);
        if (count[b])
            fprintf(f, "<text x=\"%d\" y=\"%.1f\">%zu</text>\n", x + 2, top + chart_h - h - 4,
                    count[b]);
        fprintf(f, "<text x=\"%d\" y=\"%d\">", x, top + chart_h + 16);
        mh__report_xml_escape(f, labels[b], strlen(labels[b]), 0);
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
}

/* ---- cases that did not pass ------------------------------------------------- */

static int request_block(FILE *f, const mh_run *run, const mh_case *c)
{
    fputs("<pre>", f);
    int rc = html_str(f, run, c->method);
    fputc(' ', f);
    char *url = mh_report_case_url(run, c);
    rc |= url ? html_str(f, run, url) : -1;
    free(url);
    fputc('\n', f);
    for (size_t i = 0; i < c->header_count && rc == 0; i++) {
        rc |= html_str(f, run, c->headers[i].name);
        fputs(": ", f);
        rc |= html_str(f, run, c->headers[i].value);
        fputc('\n', f);
    }
    if (c->body) {
        fputc('\n', f);
        rc |= html_body(f, run, c->body, c->body_len);
    }
    fputs("</pre>\n", f);
    return rc ? -1 : 0;
}

static int answer_block(FILE *f, const mh_run *run, const mh_exchange *x)
{
    fputs("<pre>", f);
    int rc = 0;
    if (x->status)
        fprintf(f, "HTTP %d  (%.1f ms, %d attempt%s)\n", x->status,
                isfinite(x->elapsed_ms) ? x->elapsed_ms : 0.0, x->attempts,
                x->attempts == 1 ? "" : "s");
    else
        fputs("no answer\n", f);
    if (x->error != MH_XFER_OK) {
        fprintf(f, "transport error: %s", mh_xfer_error_name(x->error));
        if (x->error_text) {
            fputs(": ", f);
            rc |= html_str(f, run, x->error_text);
        }
        fputc('\n', f);
    }
    for (size_t i = 0; i < x->header_count && rc == 0; i++) {
        rc |= html_str(f, run, x->headers[i].name);
        fputs(": ", f);
        rc |= html_str(f, run, x->headers[i].value);
        fputc('\n', f);
    }
    if (x->body && x->body_len) {
        fputc('\n', f);
        rc |= html_body(f, run, x->body, x->body_len);
    }
    fputs("</pre>\n", f);
    return rc ? -1 : 0;
}

/* A skipped case: its reason (and where its cause is) instead of an
 * exchange. */
static int skipped_row(FILE *f, const mh_run *run, const mh_result *r)
{
    const mh_case *c = r->kase;
    fputs("<tr><td>", f);
    int rc = html_str(f, run, c->id);
    fprintf(f, "</td><td>%s</td><td class=\"skipped\">skipped</td><td class=\"n\">-</td><td>",
            mh_suite_name(c->suite));
    rc |= html_str(f, run, c->skip_reason ? c->skip_reason : "");
    char *where = mh_case_skip_pointer(c);
    if (where) {
        fputs(" (at <code>", f);
        rc |= html_str(f, run, where);
        fputs("</code>)", f);
    }
    free(where);
    fputs("</td></tr>\n", f);
    return rc ? -1 : 0;
}

static int case_row(FILE *f, const mh_run *run, const mh_result *r)
{
    const mh_case *c = r->kase;
    if (r->outcome == MH_OUTCOME_SKIPPED)
        return skipped_row(f, run, r);
    const char *outcome = mh_outcome_name(r->outcome);
    fputs("<tr><td>", f);
    int rc = html_str(f, run, c->id);
    fprintf(f, "</td><td>%s</td><td class=\"%s\">%s</td><td class=\"n\">%d</td><td><ul>",
            mh_suite_name(c->suite), outcome, outcome, r->exchange.status);
    for (size_t i = 0; i < r->finding_count && rc == 0; i++) {
        const mh_finding *fd = &r->findings[i];
        fprintf(f, "<li><b>%s</b> (%s)", fd->check ? fd->check : "",
                fd->severity == MH_SEV_ERROR ? "error" : "warning");
        if (fd->path && *fd->path) {
            fputs(" at <code>", f);
            rc |= html_str(f, run, fd->path);
            fputs("</code>", f);
        }
        fputs(": ", f);
        rc |= html_str(f, run, fd->message);
        fputs("</li>", f);
    }
    fputs("</ul>\n<details><summary>request, answer, curl</summary>\n<h4>request</h4>\n", f);
    if (rc == 0)
        rc = request_block(f, run, c);
    fputs("<h4>answer</h4>\n", f);
    if (rc == 0)
        rc = answer_block(f, run, &r->exchange);
    fputs("<h4>reproduce</h4>\n<pre class=\"curl\">", f);
    char *curl = rc == 0 ? mh_report_curl_command(run, r) : NULL;
    if (!curl)
        return -1;
    mh__report_xml_escape(f, curl, strlen(curl), 0);
    free(curl);
    fputs("</pre></details></td></tr>\n", f);
    return rc;
}

/* One row per operation: its counts, linked to its section. */
static int operations_table(FILE *f, const mh_run *run, const mh_operation_summary *v, size_t n)
{
    fputs("<table class=\"operations\"><tr><th>operation</th><th>cases</th><th>passed</th>"
          "<th>failed</th><th>warnings</th><th>inconclusive</th><th>skipped</th></tr>\n",
          f);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const mh_summary *s = &v[i].summary;
        fprintf(f, "<tr><td><a href=\"#op-%zu\">", i + 1);
        rc = html_str(f, run, v[i].key);
        fprintf(f,
                "</a></td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu"
                "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                "</tr>\n",
                s->cases, s->passed, s->failed, s->warnings, s->inconclusive, s->skipped);
    }
    fputs("</table>\n", f);
    return rc;
}

/* The section of operation g (number gi): its name, counts, and the cases
 * of it that did not pass. */
static int operation_section(FILE *f, const mh_run *run, const mh_operation_summary *g, size_t gi)
{
    fprintf(f, "<section class=\"operation\" id=\"op-%zu\">\n<h3>", gi + 1);
    int rc = html_str(f, run, g->key);
    fputs("</h3>\n", f);
    if (strcmp(g->key, g->operation) != 0) {
        fputs("<p><code>", f);
        rc |= html_str(f, run, g->operation);
        fputs("</code></p>\n", f);
    }
    cards(f, &g->summary);
    if (g->summary.cases == g->summary.passed) {
        fputs("<p class=\"passed\">Every case passed.</p>\n</section>\n", f);
        return rc ? -1 : 0;
    }
    fputs("<table class=\"failures\"><tr><th>case</th><th>suite</th><th>outcome</th>"
          "<th>status</th><th>findings</th></tr>\n",
          f);
    for (size_t k = 0; k < g->summary.cases && rc == 0; k++) {
        const mh_result *r = &run->results[g->cases[k]];
        if (r->kase && r->outcome != MH_OUTCOME_PASSED)
            rc = case_row(f, run, r);
    }
    fputs("</table>\n</section>\n", f);
    return rc ? -1 : 0;
}

/* Every case that did not pass, one section per operation. */
static int failing_cases(FILE *f, const mh_run *run, const mh_summary *s,
                         const mh_operation_summary *v, size_t n)
{
    fprintf(f, "<h2>Cases that did not pass (%zu)</h2>\n", s->cases - s->passed);
    if (s->cases == s->passed)
        fputs("<p class=\"passed\">Every case passed.</p>\n", f);
    for (size_t i = 0; i < n; i++)
        if (operation_section(f, run, &v[i], i) != 0)
            return -1;
    return 0;
}

/* With a baseline: new/known/fixed counts and the fixed entries. */
static void baseline_section(FILE *f, const mh_run *run)
{
    const mh_baseline_diff *d = run->baseline;
    if (!d)
        return;
    fprintf(f,
            "<h2>Baseline</h2>\n<p class=\"cards\"><span class=\"failed\">%zu new</span>"
            "<span>%zu known</span><span class=\"passed\">%zu fixed</span></p>\n",
            d->new_findings, d->known_findings, d->fixed_count);
    if (!d->fixed_count)
        return;
    fputs("<ul>\n", f);
    for (size_t i = 0; i < d->fixed_count; i++) {
        fputs("<li>fixed: ", f);
        if (d->fixed[i].operation) {
            mh__report_xml_escape(f, d->fixed[i].operation, strlen(d->fixed[i].operation), 0);
            fputc(' ', f);
        }
        mh__report_xml_escape(f, d->fixed[i].case_id, strlen(d->fixed[i].case_id), 0);
        fputc(' ', f);
        mh__report_xml_escape(f, d->fixed[i].check, strlen(d->fixed[i].check), 0);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

mh_status mh_report_html_write(const mh_run *run, FILE *f, mh_error *err)
{
    mh_summary s;
    mh_summary_compute(run, &s);
    mh_operation_summary *ops = NULL;
    size_t n = 0;
    int bad = mh_summary_by_operation(run, &ops, &n, err) != MH_OK || header(f, run) != 0;
    if (!bad) {
        summary(f, &s);
        bad = operations_table(f, run, ops, n) != 0;
    }
    if (!bad) {
        baseline_section(f, run);
        status_chart(f, run, &s);
        latency_chart(f, run);
        bad = failing_cases(f, run, &s, ops, n) != 0;
    }
    free(ops);
    if (bad)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    fputs("</body></html>\n", f);
    if (ferror(f))
        return mh_error_set(err, MH_ERR_IO, "write error");
    return MH_OK;
}
