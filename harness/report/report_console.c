/* report_console.c — the human summary on the terminal (contract: report.h).
 *
 * Layout: header (tool, spec, target, seed, run id), per-case lines when
 * verbose, a table by suite and one by check, one summary line per
 * operation (KEY) when the run tests more than one operation of the
 * document, the first max_findings
 * findings each with its curl reproduction (and its operation when there
 * are several), the first max_findings skipped cases with their reasons,
 * and one final summary line. Quiet prints only that line. Skipped counts
 * appear only when some case was skipped. Every string from the run is redacted; the
 * text is made printable (control bytes shown as '?') so a hostile answer
 * cannot drive the terminal. The progress line of a running run is here
 * too.
 */
#include "manta/report.h"
#include "report_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Long curl commands (large bodies) are cut on the console. */
#define CONSOLE_CURL_MAX 600

typedef struct {
    FILE *out;
    const mh_run *run;
    int color;
    int several_ops; /* the run tests more than one operation (several_operations) */
} con;

static const char *paint(const con *c, const char *code)
{
    return c->color ? code : "";
}
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define DIM "\033[2m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* Writes s[0..len) with control bytes and invalid UTF-8 as '?'. */
static void printable(FILE *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t l = mh__utf8_seq_len(u + i, len - i);
        if (l == 0 || (l == 1 && (u[i] < 0x20 || u[i] == 0x7F))) {
            fputc('?', out);
            i++;
            continue;
        }
        fwrite(u + i, 1, l, out);
        i += l;
    }
}

static void text(const con *c, const char *s)
{
    char *red = mh__report_redact(c->run, s);
    if (!red) {
        fputs("(out of memory)", c->out);
        return;
    }
    printable(c->out, red, strlen(red));
    free(red);
}

static const char *outcome_color(mh_outcome o)
{
    switch (o) {
    case MH_OUTCOME_PASSED:
        return GREEN;
    case MH_OUTCOME_FAILED:
        return RED;
    case MH_OUTCOME_WARNING:
        return YELLOW;
    default:
        return DIM;
    }
}

/* "N cases: N passed, N failed, N warnings, N inconclusive[, N skipped]" */
static void counts(const con *c, const mh_summary *s)
{
    fprintf(c->out, "%zu cases: %zu passed, %s%zu failed%s, %zu warnings, %zu inconclusive",
            s->cases, s->passed, paint(c, s->failed ? RED : ""), s->failed,
            paint(c, s->failed ? RESET : ""), s->warnings, s->inconclusive);
    if (s->skipped)
        fprintf(c->out, ", %zu skipped", s->skipped);
}

static void summary_line(const con *c, const mh_summary *s)
{
    fputs(c->run->interrupted ? "INTERRUPTED: " : "", c->out);
    counts(c, s);
    double ms = isfinite(c->run->duration_ms) ? c->run->duration_ms : 0.0;
    if (ms < 10000)
        fprintf(c->out, " in %.0f ms", ms);
    else
        fprintf(c->out, " in %.1f s", ms / 1000.0);
    fprintf(c->out, " (seed %" PRIu64 ")\n", c->run->seed);
}

static void header(const con *c)
{
    fprintf(c->out, "%smanta-harness ", paint(c, BOLD));
    text(c, c->run->tool_version);
    fprintf(c->out, "%s\n  spec:   ", paint(c, RESET));
    text(c, c->run->spec_path);
    fputs("\n  target: ", c->out);
    text(c, c->run->base_url);
    fprintf(c->out, "\n  seed:   %" PRIu64 "\n  run id: ", c->run->seed);
    text(c, c->run->run_id);
    fputs("\n\n", c->out);
}

/* The case id, after its operation when the run has several. */
static void case_name(const con *c, const mh_case *k)
{
    if (c->several_ops) {
        text(c, mh_case_operation_key(k));
        fputc(' ', c->out);
    }
    text(c, k->id);
}

static void case_lines(const con *c)
{
    for (size_t i = 0; i < c->run->result_count; i++) {
        const mh_result *r = &c->run->results[i];
        if (!r->kase)
            continue;
        fprintf(c->out, "  %s%-12s%s ", paint(c, outcome_color(r->outcome)),
                mh_outcome_name(r->outcome), paint(c, RESET));
        if (r->outcome == MH_OUTCOME_SKIPPED)
            fprintf(c->out, "--- %-11s  ", "not sent");
        else if (r->exchange.status)
            fprintf(c->out, "%3d %8.1f ms  ", r->exchange.status,
                    isfinite(r->exchange.elapsed_ms) ? r->exchange.elapsed_ms : 0.0);
        else
            fprintf(c->out, "--- %-11s  ", mh_xfer_error_name(r->exchange.error));
        case_name(c, r->kase);
        if (r->outcome == MH_OUTCOME_SKIPPED) {
            fputs(": ", c->out);
            text(c, r->kase->skip_reason);
        }
        fputc('\n', c->out);
    }
    fputc('\n', c->out);
}

static void tables(const con *c, const mh_summary *s)
{
    fprintf(c->out, "  %-10s %7s %7s %7s %8s %12s%s\n", "suite", "cases", "passed", "failed",
            "warnings", "inconclusive", s->skipped ? "  skipped" : "");
    for (int su = 0; su < MH_SUITE_COUNT; su++) {
        if (!s->suite_cases[su])
            continue;
        fprintf(c->out, "  %-10s %7zu %7zu %s%7zu%s %8zu %12zu", mh_suite_name((mh_suite)su),
                s->suite_cases[su], s->suite_passed[su], paint(c, s->suite_failed[su] ? RED : ""),
                s->suite_failed[su], paint(c, s->suite_failed[su] ? RESET : ""),
                s->suite_warnings[su], s->suite_inconclusive[su]);
        if (s->skipped)
            fprintf(c->out, " %8zu", s->suite_skipped[su]);
        fputc('\n', c->out);
    }
    if (!s->findings) {
        fputs("\n  no findings\n\n", c->out);
        return;
    }
    fprintf(c->out, "\n  %-30s %-8s %8s\n", "check", "severity", "findings");
    for (int i = 0; i < MH_CHECK_COUNT; i++)
        if (s->by_check[i])
            fprintf(c->out, "  %-30s %-8s %8zu\n", mh_check_name((mh_check_id)i),
                    mh_check_severity((mh_check_id)i) == MH_SEV_ERROR ? "error" : "warning",
                    s->by_check[i]);
    fputc('\n', c->out);
}

static void curl_line(const con *c, const mh_result *r)
{
    char *curl = mh_report_curl_command(c->run, r);
    if (!curl)
        return;
    size_t len = strlen(curl);
    fprintf(c->out, "    %s", paint(c, DIM));
    printable(c->out, curl, len > CONSOLE_CURL_MAX ? CONSOLE_CURL_MAX : len);
    if (len > CONSOLE_CURL_MAX)
        fprintf(c->out, " ...[%zu more characters: see the JSON report]", len - CONSOLE_CURL_MAX);
    fprintf(c->out, "%s\n", paint(c, RESET));
    free(curl);
}

static void show_result(const con *c, const mh_result *r, size_t *shown, size_t max)
{
    for (size_t k = 0; k < r->finding_count && *shown < max; k++, (*shown)++) {
        const mh_finding *fd = &r->findings[k];
        int err = fd->severity == MH_SEV_ERROR;
        fprintf(c->out, "  %s%s%s ", paint(c, err ? RED : YELLOW), fd->check ? fd->check : "",
                paint(c, RESET));
        case_name(c, r->kase);
        fputs(": ", c->out);
        if (fd->path && *fd->path) {
            text(c, fd->path);
            fputs(": ", c->out);
        }
        text(c, fd->message);
        fputc('\n', c->out);
    }
    curl_line(c, r);
}

static int has_check(const mh_result *r, mh_check_id check)
{
    for (size_t k = 0; k < r->finding_count; k++)
        if (r->findings[k].check_id == check)
            return 1;
    return 0;
}

/* The first failing case of each check comes first, so every kind of
 * failure is on screen however many cases share the most common one; then
 * the rest in plan order. */
static void findings(const con *c, const mh_summary *s, size_t max)
{
    if (!s->findings || max == 0)
        return;
    size_t shown = 0, n = c->run->result_count;
    unsigned char *done = calloc(n ? n : 1, 1);
    if (!done)
        return;
    fputs("Findings:\n", c->out);
    for (int j = 0; j < MH_CHECK_COUNT && shown < max; j++) {
        for (size_t i = 0; i < n; i++) {
            const mh_result *r = &c->run->results[i];
            if (!r->kase || done[i] || !has_check(r, (mh_check_id)j))
                continue;
            done[i] = 1;
            show_result(c, r, &shown, max);
            break;
        }
    }
    for (size_t i = 0; i < n && shown < max; i++) {
        const mh_result *r = &c->run->results[i];
        if (r->kase && r->finding_count && !done[i])
            show_result(c, r, &shown, max);
    }
    free(done);
    if (s->findings > shown)
        fprintf(c->out, "  ... and %zu more finding%s (see the reports)\n", s->findings - shown,
                s->findings - shown == 1 ? "" : "s");
    fputc('\n', c->out);
}

/* 1 when the run tests more than one operation of the document: cases of
 * more than one KEY besides the methods suite's (a methods case counts
 * under the "METHOD /path" it sends, which is no operation of the
 * document: one operation and its undeclared methods are one operation). */
static int several_operations(const mh_run *run)
{
    const char *first = NULL;
    for (size_t i = 0; i < run->result_count; i++) {
        const mh_case *k = run->results[i].kase;
        if (!k || k->suite == MH_SUITE_METHODS)
            continue;
        const char *key = mh_case_operation_key(k);
        if (!first)
            first = key;
        else if (strcmp(first, key) != 0)
            return 1;
    }
    return 0;
}

/* One line per KEY ("  KEY: N cases: ..."), when the run tests several
 * operations. */
static void operation_lines(const con *c, const mh_operation_summary *v, size_t n)
{
    if (!c->several_ops)
        return;
    fputs("  operations:\n", c->out);
    for (size_t i = 0; i < n; i++) {
        fputs("    ", c->out);
        text(c, v[i].key);
        fputs(": ", c->out);
        counts(c, &v[i].summary);
        fputc('\n', c->out);
    }
    fputc('\n', c->out);
}

/* The first max skipped cases with their reasons. */
static void skipped_lines(const con *c, const mh_summary *s, size_t max)
{
    if (!s->skipped || max == 0)
        return;
    fputs("Skipped (not sent):\n", c->out);
    size_t shown = 0;
    for (size_t i = 0; i < c->run->result_count && shown < max; i++) {
        const mh_result *r = &c->run->results[i];
        if (!r->kase || r->outcome != MH_OUTCOME_SKIPPED)
            continue;
        fprintf(c->out, "  %sskipped%s ", paint(c, DIM), paint(c, RESET));
        case_name(c, r->kase);
        fputs(": ", c->out);
        text(c, r->kase->skip_reason);
        fputc('\n', c->out);
        shown++;
    }
    if (s->skipped > shown)
        fprintf(c->out, "  ... and %zu more skipped (see the reports)\n", s->skipped - shown);
    fputc('\n', c->out);
}

/* With a baseline (baseline.h): new/known/fixed counts, and the fixed
 * entries unless quiet. */
static void baseline_lines(const con *c, int quiet)
{
    const mh_baseline_diff *d = c->run->baseline;
    if (!d)
        return;
    fprintf(c->out, "baseline: %zu new, %zu known, %zu fixed\n", d->new_findings, d->known_findings,
            d->fixed_count);
    for (size_t i = 0; !quiet && i < d->fixed_count; i++) {
        fputs("  fixed: ", c->out);
        if (d->fixed[i].operation) {
            text(c, d->fixed[i].operation);
            fputc(' ', c->out);
        }
        text(c, d->fixed[i].case_id);
        fputc(' ', c->out);
        text(c, d->fixed[i].check);
        fputc('\n', c->out);
    }
}

void mh_report_console(const mh_run *run, const mh_console_opts *o, FILE *out)
{
    static const mh_console_opts defaults = {0, 0, 20, 0};
    if (!o)
        o = &defaults;
    con c = {out, run, o->color, 0};
    mh_summary s;
    mh_summary_compute(run, &s);
    mh_operation_summary *ops = NULL;
    size_t n = 0;
    mh_error err;
    if (mh_summary_by_operation(run, &ops, &n, &err) != MH_OK)
        fputs("(out of memory: no summary per operation)\n", out);
    c.several_ops = several_operations(run);
    if (!o->quiet) {
        header(&c);
        if (o->verbose)
            case_lines(&c);
        tables(&c, &s);
        operation_lines(&c, ops, n);
        findings(&c, &s, o->max_findings);
        skipped_lines(&c, &s, o->max_findings);
    }
    free(ops);
    summary_line(&c, &s);
    baseline_lines(&c, o->quiet);
    fflush(out);
}

void mh_report_progress(FILE *out, size_t done, size_t total, size_t failed, double elapsed_ms)
{
    enum { WIDTH = 20 };
    char bar[WIDTH + 1];
    size_t fill = total ? (done >= total ? WIDTH : done * WIDTH / total) : 0;
    for (size_t i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[WIDTH] = '\0';
    double rate = elapsed_ms > 0 ? (double)done * 1000.0 / elapsed_ms : 0.0;
    fprintf(out, "\r[%s] %zu/%zu cases  %zu failed  %.1f req/s   ", bar, done, total, failed, rate);
    fflush(out);
}
