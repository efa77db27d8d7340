/* report_json.c — the JSON report, DESIGN.md's machine contract (report.h).
 *
 * Written by hand as a stream rather than built as a cJSON tree: a run of
 * 10,000 cases with bodies would otherwise be held twice in memory (tree and
 * printed text), and cJSON strings stop at the first NUL and pass invalid
 * UTF-8 through, while bodies here may hold both. Streaming writes each case
 * as it goes, escaping bytes exactly as the header describes.
 *
 * Shape (documented keys, plus the extras run_id, interrupted, and in
 * response headers, attempts and error):
 * {"tool":{"name","version"},"spec","base_url","seed","run_id","interrupted",
 *  "summary":{"cases","passed","failed","warnings","inconclusive","skipped","duration_ms",
 *             "by_check":{check:count}
 *             [,"baseline":{"new","known","fixed":[{["operation",]"case","check"}]}],
 *             "by_operation":{KEY:{the same members, per operation}}},
 *  "cases":[{"index","id","suite","operation"[,"operation_id"],"outcome"
 *            [,"skip_reason"[,"skip_pointer"]],
 *            "request":{"method","url","headers":{},"body"} | null,
 *            "response":{"status","content_type","body","elapsed_ms","headers":{},
 *                        "attempts"[,"error"]} | null,
 *            "findings":[{"check","severity","message","path","operation"[,"operation_id"]
 *                         [,"known":true]}],
 *            "curl": string | null}]}
 * "index" is the case's position in the full plan (a shard's cases are
 * spread over it); "baseline" and "known" appear only when a baseline was
 * applied (run->baseline). A skipped case was never sent: request,
 * response and curl are null and skip_reason says why. KEY is the
 * operationId, else "METHOD /path" (mh_case_operation_key).
 * Header objects: a name sent twice becomes one key whose values are joined
 * with ", " (RFC 9110 field combination), so the report has no duplicate
 * keys; the curl command keeps them apart.
 */
#include "manta/report.h"
#include "report_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Writes s[0..len) as JSON string content (no quotes): invalid UTF-8 bytes
 * become U+FFFD, controls \uXXXX (or their short escapes). */
static void json_chars(FILE *f, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t l = mh__utf8_seq_len(u + i, len - i);
        if (l == 0) {
            fputs("\\ufffd", f);
            i++;
            continue;
        }
        if (l > 1) {
            fwrite(u + i, 1, l, f);
            i += l;
            continue;
        }
        unsigned c = u[i++];
        switch (c) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\b':
            fputs("\\b", f);
            break;
        case '\f':
            fputs("\\f", f);
            break;
        default:
            if (c < 0x20 || c == 0x7F)
                fprintf(f, "\\u%04x", c);
            else
                fputc((int)c, f);
        }
    }
}

/* A literal string known not to need redaction (keys, enum names). */
static void json_lit(FILE *f, const char *s)
{
    fputc('"', f);
    json_chars(f, s, strlen(s));
    fputc('"', f);
}

static void json_key(FILE *f, const char *k)
{
    json_lit(f, k);
    fputc(':', f);
}

/* A redacted string; NULL writes null. -1 on OOM. */
static int json_str(FILE *f, const mh_run *run, const char *s)
{
    if (!s) {
        fputs("null", f);
        return 0;
    }
    char *red = mh__report_redact(run, s);
    if (!red)
        return -1;
    json_lit(f, red);
    free(red);
    return 0;
}

/* A body: redacted, capped, with the truncation note inside the string. */
static int json_body(FILE *f, const mh_run *run, const char *s, size_t len, size_t dropped)
{
    mh__report_text t;
    if (mh__report_body(run, s, len, MH_REPORT_BODY_CAP, &t) != 0)
        return -1;
    t.omitted += dropped;
    fputc('"', f);
    json_chars(f, t.data, t.len);
    if (t.omitted) {
        char note[64];
        mh__report_truncation_note(note, sizeof note, t.omitted);
        json_chars(f, note, strlen(note));
    }
    fputc('"', f);
    free(t.data);
    return 0;
}

/* A number in milliseconds: three decimals at most, trailing zeros dropped;
 * NaN and infinities (never valid JSON) become 0. */
static void json_ms(FILE *f, double v)
{
    if (!isfinite(v))
        v = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%.3f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    fputs(buf, f);
}

/* {name: value} with values of repeated names joined by ", ". */
static int json_headers(FILE *f, const mh_run *run, const mh_header *h, size_t n)
{
    fputc('{', f);
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        size_t j;
        for (j = 0; j < i && strcmp(h[j].name, h[i].name) != 0; j++)
            ;
        if (j < i)
            continue; /* already written with its first occurrence */
        char *joined = NULL;
        size_t jl = 0;
        FILE *m = open_memstream(&joined, &jl);
        if (!m)
            return -1;
        fputs(h[i].value ? h[i].value : "", m);
        for (size_t k = i + 1; k < n; k++)
            if (strcmp(h[k].name, h[i].name) == 0)
                fprintf(m, ", %s", h[k].value ? h[k].value : "");
        if (fclose(m) != 0) {
            free(joined);
            return -1;
        }
        if (!first)
            fputc(',', f);
        first = 0;
        int rc = json_str(f, run, h[i].name);
        fputc(':', f);
        if (rc == 0)
            rc = json_str(f, run, joined);
        free(joined);
        if (rc != 0)
            return -1;
    }
    fputc('}', f);
    return 0;
}

static int json_request(FILE *f, const mh_run *run, const mh_case *c)
{
    fputs("\"request\":{", f);
    json_key(f, "method");
    if (json_str(f, run, c->method ? c->method : "") != 0)
        return -1;
    fputc(',', f);
    json_key(f, "url");
    char *url = mh_report_case_url(run, c);
    int rc = url ? json_str(f, run, url) : -1;
    free(url);
    if (rc != 0)
        return -1;
    fputc(',', f);
    json_key(f, "headers");
    if (json_headers(f, run, c->headers, c->header_count) != 0)
        return -1;
    fputc(',', f);
    json_key(f, "body");
    if (json_body(f, run, c->body, c->body ? c->body_len : 0, c->body_dropped) != 0)
        return -1;
    fputc('}', f);
    return 0;
}

static int json_response(FILE *f, const mh_run *run, const mh_exchange *x)
{
    fprintf(f, "\"response\":{\"status\":%d,", x->status);
    json_key(f, "content_type");
    /* No answer: content_type null even if a partial header was seen. */
    if (json_str(f, run, x->status ? x->content_type : NULL) != 0)
        return -1;
    fputc(',', f);
    json_key(f, "body");
    if (json_body(f, run, x->body, x->body ? x->body_len : 0, 0) != 0)
        return -1;
    fputc(',', f);
    json_key(f, "elapsed_ms");
    json_ms(f, x->elapsed_ms);
    fputc(',', f);
    json_key(f, "headers");
    if (json_headers(f, run, x->headers, x->header_count) != 0)
        return -1;
    fprintf(f, ",\"attempts\":%d", x->attempts);
    if (x->error != MH_XFER_OK) {
        fputc(',', f);
        json_key(f, "error");
        char msg[600];
        snprintf(msg, sizeof msg, "%s%s%s", mh_xfer_error_name(x->error), x->error_text ? ": " : "",
                 x->error_text ? x->error_text : "");
        if (json_str(f, run, msg) != 0)
            return -1;
    }
    fputc('}', f);
    return 0;
}

/* ,"operation":"METHOD /path"[,"operation_id":"..."] of case c. -1 on OOM. */
static int json_operation(FILE *f, const mh_run *run, const mh_case *c)
{
    fputc(',', f);
    json_key(f, "operation");
    if (json_str(f, run, mh_case_operation(c)) != 0)
        return -1;
    const char *op_id = mh_case_operation_id(c);
    if (!op_id)
        return 0;
    fputc(',', f);
    json_key(f, "operation_id");
    return json_str(f, run, op_id);
}

static int json_findings(FILE *f, const mh_run *run, const mh_result *r)
{
    fputs("\"findings\":[", f);
    for (size_t i = 0; i < r->finding_count; i++) {
        const mh_finding *fd = &r->findings[i];
        fputs(i ? ",{" : "{", f);
        json_key(f, "check");
        json_lit(f, fd->check ? fd->check : "");
        fputc(',', f);
        json_key(f, "severity");
        json_lit(f, fd->severity == MH_SEV_ERROR ? "error" : "warning");
        fputc(',', f);
        json_key(f, "message");
        if (json_str(f, run, fd->message ? fd->message : "") != 0)
            return -1;
        fputc(',', f);
        json_key(f, "path");
        if (json_str(f, run, fd->path ? fd->path : "") != 0 || json_operation(f, run, r->kase) != 0)
            return -1;
        if (run->baseline && fd->known)
            fputs(",\"known\":true", f);
        fputc('}', f);
    }
    fputc(']', f);
    return 0;
}

/* ,"skip_reason":"..."[,"skip_pointer":"..."] of a skipped case. */
static int json_skip(FILE *f, const mh_run *run, const mh_case *c)
{
    fputc(',', f);
    json_key(f, "skip_reason");
    if (json_str(f, run, c->skip_reason ? c->skip_reason : "") != 0)
        return -1;
    char *where = mh_case_skip_pointer(c);
    int rc = 0;
    if (where) {
        fputc(',', f);
        json_key(f, "skip_pointer");
        rc = json_str(f, run, where);
    }
    free(where);
    return rc;
}

/* "request", "response" and "curl" of a case that was sent (or meant to
 * be): a skipped case has none of them (null). */
static int json_exchange(FILE *f, const mh_run *run, const mh_result *r, const mh_case *c)
{
    if (r->outcome == MH_OUTCOME_SKIPPED) {
        fputs("\"request\":null,\"response\":null,", f);
        if (json_findings(f, run, r) != 0)
            return -1;
        fputs(",\"curl\":null", f);
        return 0;
    }
    if (json_request(f, run, c) != 0)
        return -1;
    fputc(',', f);
    if (json_response(f, run, &r->exchange) != 0)
        return -1;
    fputc(',', f);
    if (json_findings(f, run, r) != 0)
        return -1;
    fputc(',', f);
    json_key(f, "curl");
    char *curl = r->kase ? mh_report_curl_command(run, r) : strdup("");
    if (!curl)
        return -1;
    json_lit(f, curl); /* already redacted */
    free(curl);
    return 0;
}

static int json_case(FILE *f, const mh_run *run, const mh_result *r)
{
    static const mh_case empty;
    const mh_case *c = r->kase ? r->kase : &empty;
    fputc('{', f);
    /* The case's place in the full plan: merge-reports orders shards by it. */
    fprintf(f, "\"index\":%zu,", mh_report_plan_index(run, (size_t)(r - run->results)));
    json_key(f, "id");
    if (json_str(f, run, c->id ? c->id : "") != 0)
        return -1;
    fputc(',', f);
    json_key(f, "suite");
    json_lit(f, mh_suite_name(c->suite));
    if (json_operation(f, run, r->kase) != 0)
        return -1;
    fputc(',', f);
    json_key(f, "outcome");
    json_lit(f, mh_outcome_name(r->outcome));
    if (r->outcome == MH_OUTCOME_SKIPPED && json_skip(f, run, c) != 0)
        return -1;
    fputc(',', f);
    if (json_exchange(f, run, r, c) != 0)
        return -1;
    fputc('}', f);
    return 0;
}

/* ,"baseline":{"new":n,"known":n,"fixed":[{"operation","case","check"}]}
 * when a baseline was applied (baseline.h): the run's counts (g NULL) or
 * those of operation g. */
static void json_baseline(FILE *f, const mh_run *run, const mh_operation_summary *g)
{
    const mh_baseline_diff *d = run->baseline;
    if (!d)
        return;
    size_t nw = g ? g->summary.findings - g->summary.known : d->new_findings;
    size_t known = g ? g->summary.known : d->known_findings;
    fprintf(f, ",\"baseline\":{\"new\":%zu,\"known\":%zu,\"fixed\":[", nw, known);
    int first = 1;
    for (size_t i = 0; i < d->fixed_count; i++) {
        if (g && !mh_summary_fixed_in(run, g, &d->fixed[i]))
            continue;
        fputs(first ? "{" : ",{", f);
        first = 0;
        if (d->fixed[i].operation) {
            json_key(f, "operation");
            json_lit(f, d->fixed[i].operation);
            fputc(',', f);
        }
        json_key(f, "case");
        json_lit(f, d->fixed[i].case_id);
        fputc(',', f);
        json_key(f, "check");
        json_lit(f, d->fixed[i].check);
        fputc('}', f);
    }
    fputs("]}", f);
}

/* The members of a summary object (the run's, or operation g's when g is
 * not NULL), without the braces. duration_ms is the run's wall time, or
 * the time operation g's exchanges took, added up. */
static void json_counts(FILE *f, const mh_run *run, const mh_summary *s,
                        const mh_operation_summary *g)
{
    fprintf(f,
            "\"cases\":%zu,\"passed\":%zu,\"failed\":%zu,\"warnings\":%zu,"
            "\"inconclusive\":%zu,\"skipped\":%zu,\"duration_ms\":",
            s->cases, s->passed, s->failed, s->warnings, s->inconclusive, s->skipped);
    json_ms(f, g ? s->elapsed_ms : run->duration_ms);
    fputs(",\"by_check\":{", f);
    int first = 1;
    for (int i = 0; i < MH_CHECK_COUNT; i++) {
        if (!s->by_check[i])
            continue;
        fprintf(f, "%s\"%s\":%zu", first ? "" : ",", mh_check_name((mh_check_id)i), s->by_check[i]);
        first = 0;
    }
    fputc('}', f);
    json_baseline(f, run, g);
}

/* ,"by_operation":{KEY:{...}} in plan order. -1 on OOM. */
static int json_by_operation(FILE *f, const mh_run *run)
{
    mh_operation_summary *v = NULL;
    size_t n = 0;
    mh_error err;
    if (mh_summary_by_operation(run, &v, &n, &err) != MH_OK)
        return -1;
    fputs(",\"by_operation\":{", f);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i)
            fputc(',', f);
        rc = json_str(f, run, v[i].key);
        fputs(":{", f);
        json_counts(f, run, &v[i].summary, &v[i]);
        fputc('}', f);
    }
    fputc('}', f);
    free(v);
    return rc;
}

static int json_summary(FILE *f, const mh_run *run)
{
    mh_summary s;
    mh_summary_compute(run, &s);
    fputs("\"summary\":{", f);
    json_counts(f, run, &s, NULL);
    if (json_by_operation(f, run) != 0)
        return -1;
    fputc('}', f);
    return 0;
}

static int json_header(FILE *f, const mh_run *run)
{
    fputs("{\"tool\":{\"name\":\"manta-harness\",\"version\":", f);
    if (json_str(f, run, run->tool_version ? run->tool_version : "") != 0)
        return -1;
    fputs("},\n", f);
    json_key(f, "spec");
    if (json_str(f, run, run->spec_path ? run->spec_path : "") != 0)
        return -1;
    fputc(',', f);
    json_key(f, "base_url");
    if (json_str(f, run, run->base_url ? run->base_url : "") != 0)
        return -1;
    /* Exact: a uint64 seed does not fit a double. */
    fprintf(f, ",\"seed\":%" PRIu64 ",", run->seed);
    json_key(f, "run_id");
    if (json_str(f, run, run->run_id) != 0)
        return -1;
    fprintf(f, ",\"interrupted\":%s,\n", run->interrupted ? "true" : "false");
    return json_summary(f, run);
}

mh_status mh_report_json_write(const mh_run *run, FILE *f, mh_error *err)
{
    if (json_header(f, run) != 0)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    fputs(",\n\"cases\":[", f);
    for (size_t i = 0; i < run->result_count; i++) {
        fputs(i ? ",\n" : "\n", f);
        if (json_case(f, run, &run->results[i]) != 0)
            return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    fputs("\n]}\n", f);
    if (ferror(f))
        return mh_error_set(err, MH_ERR_IO, "write error");
    return MH_OK;
}
