/* report.h — one run's results rendered for people and machines.
 *
 * A run (mh_run) borrows the results of a conformance run; the writers turn it
 * into the JSON report (DESIGN.md "JSON report", the machine contract), JUnit
 * XML, one self-contained HTML page, or console text. Every string that
 * reaches any output goes through the run's redactor first, so the token, JWT
 * key and body secret appear only as $MANTA_TOKEN, $MANTA_JWT_KEY and
 * $MANTA_SECRET. Nothing here prints on its own: the writers write to the
 * FILE* they are given and report failures as mh_status values.
 *
 * Bodies in reports: redacted first, then capped (MH_REPORT_BODY_CAP bytes,
 * cut on a UTF-8 boundary, followed by "…[truncated N bytes]") so a 50 MB
 * answer does not make a 50 MB report. JSON strings must be valid UTF-8:
 * each byte that does not start a valid UTF-8 sequence becomes U+FFFD, NULs
 * become \u0000. XML/HTML replace invalid bytes and the C0 controls XML 1.0
 * forbids with U+FFFD. The curl reproduction is always exact (see below).
 */
#ifndef MANTA_REPORT_H
#define MANTA_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manta/baseline.h"
#include "manta/error.h"
#include "manta/model.h"
#include "manta/redact.h"

/* Bytes of one body kept in the JSON report (and the HTML page). */
#define MH_REPORT_BODY_CAP (64 * 1024)

typedef struct {
    const char *tool_version; /* "0.1.0" */
    const char *spec_path;
    const char *base_url; /* "http://127.0.0.1:8080/api" */
    uint64_t seed;
    const char *run_id;
    double duration_ms;
    const mh_result *results; /* in plan order */
    size_t result_count;
    const mh_redactor *redactor; /* may be NULL (nothing to hide) */
    int interrupted;             /* 1 when SIGINT stopped the run: reports say so */
    /* Baselines and shards (baseline.h, report_merge.h); all optional. */
    const mh_baseline_diff *baseline; /* NULL = no baseline applied: no new/known/fixed */
    unsigned shard_k, shard_n;        /* results are shard k of n (n 0 = the whole plan) */
    const size_t *plan_index;         /* NULL, or each result's index in the full plan */
} mh_run;

/* The index in the full case plan of run->results[i]: plan_index[i] when
 * given, else i * shard_n + shard_k - 1 for a shard (case i of the plan
 * belongs to shard (i % n) + 1), else i. Written as "index" in the JSON
 * report so merge-reports can put shards back in plan order. */
size_t mh_report_plan_index(const mh_run *run, size_t i);

typedef enum { MH_REPORT_JSON, MH_REPORT_JUNIT, MH_REPORT_HTML, MH_REPORT_SARIF } mh_report_format;

typedef struct {
    mh_report_format format;
    char *path; /* owned; free with mh_report_target_free */
} mh_report_target;

/* Parses a --report value "FORMAT:PATH" (format json, junit, html or sarif,
 * case-insensitive). On success out->path is a new string the caller frees
 * with mh_report_target_free. Unknown format, missing colon or empty path →
 * MH_ERR_USAGE with a message naming --report; *out is then untouched. */
mh_status mh_report_parse_target(const char *arg, mh_report_target *out, mh_error *err);

/* Frees t->path and sets it to NULL. NULL t is a no-op. */
void mh_report_target_free(mh_report_target *t);

/* Short name of a format: "json", "junit", "html", "sarif". Never NULL. */
const char *mh_report_format_name(mh_report_format f);

/* Writes the report for t atomically: PATH.tmp is written, flushed and
 * renamed over PATH; missing parent directories are created (0755). On
 * failure the temporary file is removed and MH_ERR_IO names the path (or the
 * directory that could not be created). */
mh_status mh_report_write(const mh_run *run, const mh_report_target *t, mh_error *err);

/* The writers: each writes one complete document to f and returns MH_OK,
 * MH_ERR_NOMEM, or MH_ERR_IO when f reports a write error. f stays open. */
mh_status mh_report_json_write(const mh_run *run, FILE *f, mh_error *err);
mh_status mh_report_junit_write(const mh_run *run, FILE *f, mh_error *err);
mh_status mh_report_html_write(const mh_run *run, FILE *f, mh_error *err);
/* SARIF 2.1.0 for code scanning (report_sarif.c): one result per finding,
 * located at the operation's path key in the spec file. */
mh_status mh_report_sarif_write(const mh_run *run, FILE *f, mh_error *err);

/* Summary counters computed from the results. by_check is indexed by
 * mh_check_id (check_list.h) and counts findings; findings whose check is
 * not in the catalogue are counted in other_findings; known counts the
 * findings a baseline marked known. elapsed_ms adds up the cases' exchange
 * times (the time spent on them; requests overlap, so it is not wall time).
 * Skipped cases (never sent) count in skipped, never in the other
 * outcomes. This function can't fail. */
typedef struct {
    size_t cases, passed, failed, warnings, inconclusive, skipped;
    size_t findings, other_findings, known;
    size_t by_check[MH_CHECK_COUNT];
    size_t suite_cases[MH_SUITE_COUNT], suite_failed[MH_SUITE_COUNT];
    size_t suite_passed[MH_SUITE_COUNT], suite_warnings[MH_SUITE_COUNT];
    size_t suite_inconclusive[MH_SUITE_COUNT], suite_skipped[MH_SUITE_COUNT];
    double elapsed_ms;
} mh_summary;
void mh_summary_compute(const mh_run *run, mh_summary *s);

/* The summary of one operation's cases (DESIGN.md: summary.by_operation).
 * key is the operationId, else "METHOD /path" (mh_case_operation_key; a
 * methods case counts under its own "METHOD /path"); operation is the
 * "METHOD /path" of its first case. Both borrow from the run's cases.
 * cases[0..summary.cases) are the indexes in run->results of its cases, in
 * plan order. */
typedef struct {
    const char *key;
    const char *operation;
    mh_summary summary;
    const size_t *cases;
} mh_operation_summary;

/* One mh_operation_summary per distinct key of run's cases, in the order
 * the keys first appear in the results (plan order). *out is a new array
 * of *count entries (NULL when there are no results) the caller frees with
 * one free() (the case indexes live in the same block); the strings in it
 * borrow from run. MH_ERR_NOMEM leaves *out NULL. */
mh_status mh_summary_by_operation(const mh_run *run, mh_operation_summary **out, size_t *count,
                                  mh_error *err);

/* 1 when the baseline's fixed entry e belongs to the operation summarised
 * by g: e names g's operation, or e names none (a baseline file written
 * before operations were recorded) and one of g's cases has e's case id. */
int mh_summary_fixed_in(const mh_run *run, const mh_operation_summary *g,
                        const mh_baseline_entry *e);

/* The full URL of a case: base_url (trailing slashes dropped, as the
 * transport does) followed by the case target verbatim. Not redacted.
 * Caller frees; NULL on OOM. */
char *mh_report_case_url(const mh_run *run, const mh_case *c);

/* A shell command that re-sends r's request byte for byte, as the transport
 * sent it:
 *   curl -sS --path-as-is -g -X POST 'URL' -H 'User-Agent:' \
 *     -H 'Content-Type: application/json' -H 'Authorization: Bearer '"$MANTA_TOKEN" \
 *     --data-binary '{"name":"x","secret":"'"$MANTA_SECRET"'"}'
 * Everything is single-quoted except the secret placeholders (those of the
 * run's redactor, manta/credential.h), which are double-quoted so the shell
 * expands them from the environment; $MANTA_BASIC_B64 and
 * $MANTA_BASIC_PASSWORD are rebuilt from $MANTA_BASIC, and an
 * "Authorization: Basic $MANTA_BASIC_B64" header is written -u "$MANTA_BASIC". Bodies that
 * are not printable UTF-8 text (NULs, control bytes, invalid UTF-8) or that
 * start with '@' are piped in instead: printf '%b%s%b' 'octal\0001escapes'
 * "$MANTA_SECRET" '...' | curl ... --data-binary @-  (POSIX printf, and the
 * command stays ASCII so it survives the JSON report unchanged). Headers
 * with an empty value use curl's "Name;" spelling; "Content-Type:" and
 * "Expect:" suppress curl's own when the case has none, "User-Agent:" when
 * the case sets no User-Agent. HEAD uses -I. Text in the case that already
 * reads like a placeholder ("$MANTA_TOKEN") is kept literal. Redacted.
 * Caller frees; NULL on OOM. */
char *mh_report_curl_command(const mh_run *run, const mh_result *r);

/* Console output options: quiet = only the one-line summary; verbose = one
 * line per case as well; max_findings = how many findings are detailed
 * (with their curl command); color = ANSI colours. */
typedef struct {
    int quiet, verbose;
    size_t max_findings;
    int color;
} mh_console_opts;

/* Writes the console report: a header (tool, spec, target, seed, run id), a
 * summary table by suite and by check, the first max_findings findings each
 * with case id, check, message and curl reproduction, and a final summary
 * line. Write errors on out are ignored (it is a terminal). */
void mh_report_console(const mh_run *run, const mh_console_opts *o, FILE *out);

/* One progress line for TTYs, starting with "\r":
 * "\r[#####...............] 42/120 cases  3 failed  12.3 req/s". The caller
 * decides whether out is a terminal and prints the final newline. */
void mh_report_progress(FILE *out, size_t done, size_t total, size_t failed, double elapsed_ms);

#endif
