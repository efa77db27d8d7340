/* test_report.c — JSON/JUnit/HTML/console reports and the curl reproduction.
 *
 * One hand-built run covers every kind of result: passed, failed with a
 * schema finding and pointer, warning, inconclusive, a transport error with
 * no answer, a binary body (NUL, invalid UTF-8, '@' first), secrets in
 * bodies and headers, literal placeholder text, and a large answer.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "manta/json_strict.h"
#include "manta/model.h"
#include "manta/redact.h"
#include "manta/report.h"
#include "report/report_int.h"
#include "testutil.h"
#include "tu_tmp.h"

#define TOKEN "eyJhbGciOiJIUzI1NiJ9.eyJib3RJZCI6ImIxIn0.tok3nSigXYZ"
#define KEY "k3y-super-secret-0123456789"
#define SECRET "s3cr3t-body-value"

enum { N_RESULTS = 8, LARGE_LEN = 70000 };

static const char valid_body[] =
    "{\"botId\":\"b1\",\"name\":\"it's a tag\",\"secret\":\"" SECRET "\"}";
/* '@' first, a NUL, invalid UTF-8, quotes, backslash, newline, markup, the
 * secret and a control byte. */
static const char bin_body[] = "@a\0b\xff\xfe'\"$x\\\n\t<script>x</script>" SECRET "\x01"
                               "end";
static const char leak_body[] =
    "<script>alert('x')</script> leaked " TOKEN " and " KEY " and " SECRET "\0\xc3\x28";

static const mh_operation op = {
    .method = "POST", .path = "/openapi/personalTag", .id = "POST /openapi/personalTag"};

static mh_result results[N_RESULTS];
static mh_redactor *redactor;
static mh_run run;

/* ---- building the run ----------------------------------------------------- */

static mh_case *mk_case(const char *id, mh_suite su, const char *method, const char *target,
                        const char *body, size_t len)
{
    mh_case *c = mh_case_new();
    ck_assert_ptr_nonnull(c);
    c->id = strdup(id);
    c->suite = su;
    c->op = &op;
    c->method = strdup(method);
    c->target = strdup(target);
    if (body) {
        c->body = malloc(len + 1);
        memcpy(c->body, body, len);
        c->body[len] = '\0';
        c->body_len = len;
    }
    return c;
}

static void answer(mh_result *r, int status, const char *ct, const char *body, size_t len,
                   double ms)
{
    mh_exchange *x = &r->exchange;
    x->status = status;
    x->content_type = ct ? strdup(ct) : NULL;
    x->body = malloc(len + 1);
    memcpy(x->body, body, len);
    x->body[len] = '\0';
    x->body_len = len;
    x->elapsed_ms = ms;
    x->attempts = 1;
    if (ct) {
        x->headers = calloc(2, sizeof *x->headers);
        x->headers[0].name = strdup("Content-Type");
        x->headers[0].value = strdup(ct);
        x->headers[1].name = strdup("X-Echo");
        x->headers[1].value = strdup("Bearer " TOKEN);
        x->header_count = 2;
    }
}

/* A text answer: its length is strlen's. */
static void answer_text(mh_result *r, int status, const char *ct, const char *body, double ms)
{
    answer(r, status, ct, body, strlen(body), ms);
}

static void json_auth(mh_case *c)
{
    mh_case_add_header(c, "Content-Type", "application/json");
    mh_case_add_header(c, "Authorization", "Bearer " TOKEN);
}

static void setup(void)
{
    memset(results, 0, sizeof results);
    const char *q = "/openapi/personalTag?botId=b1";
    mh_result *r = results;

    /* 0: passed, body holds the secret. */
    r[0].kase =
        mk_case("valid/ascii", MH_SUITE_VALID, "POST", q, valid_body, sizeof valid_body - 1);
    json_auth(r[0].kase);
    answer_text(&r[0], 200, "application/json", "{\"success\":true,\"message\":\"ok\"}", 1.4);

    /* 1: failed, two findings, one with a JSON pointer. */
    r[1].kase = mk_case("malformed/name-wrong-type-number", MH_SUITE_MALFORMED, "POST", q,
                        "{\"name\":1}", 10);
    json_auth(r[1].kase);
    answer_text(&r[1], 200, "application/json", "{\"errResponse\":{\"code\":\"x\"}}", 2.5);
    mh_result_add_finding(&r[1], MH_CHECK_NEGATIVE_DATA_REJECTION, "", "a malformed case got 200");
    mh_result_add_finding(&r[1], MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE, "/errResponse/code",
                          "expected integer, got string");
    r[1].outcome = MH_OUTCOME_FAILED;

    /* 2: warning only. */
    r[2].kase = mk_case("methods/get", MH_SUITE_METHODS, "GET", q, NULL, 0);
    mh_case_add_header(r[2].kase, "Authorization", "Bearer " TOKEN);
    answer_text(&r[2], 200, "application/json", "{}", 0.7);
    mh_result_add_finding(&r[2], MH_CHECK_UNSUPPORTED_METHOD, "", "GET got 200 & <b>no</b> 405");
    r[2].outcome = MH_OUTCOME_WARNING;

    /* 3: inconclusive (still 429). */
    r[3].kase = mk_case("valid/cjk", MH_SUITE_VALID, "POST", q, "{\"name\":\"\xe6\xa0\x87\"}", 14);
    json_auth(r[3].kase);
    answer_text(&r[3], 429, "application/json", "{}", 3.0);
    r[3].exchange.attempts = 4;
    r[3].exchange.rate_limited = 1;
    r[3].outcome = MH_OUTCOME_INCONCLUSIVE;

    /* 4: transport error, no answer at all. */
    r[4].kase = mk_case("boundary/reset", MH_SUITE_BOUNDARY, "POST", q, "{}", 2);
    json_auth(r[4].kase);
    r[4].exchange.error = MH_XFER_RESET;
    r[4].exchange.error_text = strdup("Connection reset by peer");
    r[4].exchange.attempts = 1;
    mh_result_add_finding(&r[4], MH_CHECK_TRANSPORT_ERROR, "", "reset: no answer");
    r[4].outcome = MH_OUTCOME_FAILED;

    /* 5: binary body without Content-Type; the answer leaks every secret. */
    r[5].kase =
        mk_case("boundary/binary", MH_SUITE_BOUNDARY, "POST", q, bin_body, sizeof bin_body - 1);
    mh_case_add_header(r[5].kase, "Authorization", "Bearer " TOKEN);
    answer(&r[5], 200, "text/html", leak_body, sizeof leak_body - 1, 12.0);
    mh_result_add_finding(&r[5], MH_CHECK_SENSITIVE_DATA_EXPOSURE, "",
                          "the answer contains " SECRET " <script>");
    r[5].outcome = MH_OUTCOME_FAILED;

    /* 6: passed; no body on POST, empty header, literal placeholder text. */
    r[6].kase = mk_case("auth/literal", MH_SUITE_AUTH, "POST", q, NULL, 0);
    mh_case_add_header(r[6].kase, "Authorization", "Bearer $MANTA_TOKEN");
    mh_case_add_header(r[6].kase, "X-Empty", "");
    mh_case_add_header(r[6].kase, "X-Dup", "one");
    mh_case_add_header(r[6].kase, "X-Dup", "two");
    answer_text(&r[6], 401, "application/json", "{}", 900.0);

    /* 7: passed; a large answer that must be capped on a UTF-8 boundary. */
    r[7].kase = mk_case("boundary/large", MH_SUITE_BOUNDARY, "POST", q, "{}", 2);
    json_auth(r[7].kase);
    char *big = malloc(LARGE_LEN);
    memset(big, 'x', MH_REPORT_BODY_CAP - 1);
    big[MH_REPORT_BODY_CAP - 1] = '\xc3'; /* é straddles the cap */
    big[MH_REPORT_BODY_CAP] = '\xa9';
    memset(big + MH_REPORT_BODY_CAP + 1, 'y', LARGE_LEN - MH_REPORT_BODY_CAP - 1);
    answer(&r[7], 200, "application/json", big, LARGE_LEN, 6000.0);
    free(big);

    redactor = mh_redactor_new();
    ck_assert_ptr_nonnull(redactor);
    mh_redactor_add(redactor, TOKEN, "$MANTA_TOKEN");
    mh_redactor_add(redactor, KEY, "$MANTA_JWT_KEY");
    mh_redactor_add(redactor, SECRET, "$MANTA_SECRET");
    run = (mh_run){.tool_version = "0.1.0",
                   .spec_path = "contracts/manta-openapi.json",
                   .base_url = "http://127.0.0.1:8080/api/",
                   .seed = UINT64_MAX,
                   .run_id = "r-test",
                   .duration_ms = 350.5,
                   .results = results,
                   .result_count = N_RESULTS,
                   .redactor = redactor};
}

static void teardown(void)
{
    for (int i = 0; i < N_RESULTS; i++)
        mh_result_clear(&results[i]);
    mh_redactor_free(redactor);
}

/* ---- helpers ------------------------------------------------------------------ */

typedef mh_status (*writer_fn)(const mh_run *, FILE *, mh_error *);

static char *render(writer_fn w, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ck_assert_ptr_nonnull(f);
    mh_error err;
    mh_error_clear(&err);
    ck_assert_int_eq(w(&run, f, &err), MH_OK);
    fclose(f);
    if (len)
        *len = n;
    return buf;
}

static char *console(const mh_console_opts *o, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ck_assert_ptr_nonnull(f);
    mh_report_console(&run, o, f);
    fclose(f);
    if (len)
        *len = n;
    return buf;
}

static void assert_no_secrets(const char *buf, size_t len)
{
    ck_assert_msg(!tu_contains(buf, len, TOKEN), "token leaked");
    ck_assert_msg(!tu_contains(buf, len, KEY), "JWT key leaked");
    ck_assert_msg(!tu_contains(buf, len, SECRET), "secret leaked");
}

static void assert_utf8(const char *buf, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t l = mh__utf8_seq_len((const unsigned char *)buf + i, len - i);
        ck_assert_msg(l > 0, "invalid UTF-8 at byte %zu", i);
        i += l;
    }
}

/* Optional keys later features add (plan index of shards, baselines); they
 * may appear, but no other unknown key may. */
static const char *const optional_keys[] = {"index", "baseline", "known"};

/* Every key of keys, in any order, and nothing else but optional_keys. */
static void assert_keys(const cJSON *obj, const char *const *keys, size_t n, const char *where)
{
    ck_assert_msg(cJSON_IsObject(obj), "%s is not an object", where);
    for (const cJSON *it = obj->child; it; it = it->next) {
        size_t k, o;
        for (k = 0; k < n && strcmp(keys[k], it->string) != 0; k++)
            ;
        for (o = 0; o < 3 && strcmp(optional_keys[o], it->string) != 0; o++)
            ;
        ck_assert_msg(k < n || o < 3, "%s has unexpected key %s", where, it->string);
    }
    for (size_t k = 0; k < n; k++)
        ck_assert_msg(mh_json_get(obj, keys[k]), "%s lacks key %s", where, keys[k]);
}

static cJSON *parse_json(const char *buf, size_t len)
{
    cJSON *doc = NULL;
    mh_json_error jerr;
    mh_json_rule rule = mh_json_parse(buf, len, NULL, &doc, &jerr);
    ck_assert_msg(rule == MH_JSON_OK, "report is not strict JSON: %s at %zu", jerr.message,
                  jerr.offset);
    return doc;
}

static long num(const cJSON *obj, const char *key)
{
    const cJSON *n = mh_json_get(obj, key);
    ck_assert_msg(cJSON_IsNumber(n), "%s is not a number", key);
    return (long)n->valuedouble;
}

static const char *str(const cJSON *obj, const char *key)
{
    const cJSON *s = mh_json_get(obj, key);
    ck_assert_msg(cJSON_IsString(s), "%s is not a string", key);
    return s->valuestring;
}

/* ---- JSON ---------------------------------------------------------------------- */

START_TEST(report_json_shape_exact)
{
    size_t len;
    char *buf = render(mh_report_json_write, &len);
    assert_utf8(buf, len);
    cJSON *doc = parse_json(buf, len);
    static const char *const top[] = {"tool",   "spec",    "base_url",    "seed",
                                      "run_id", "summary", "interrupted", "cases"};
    assert_keys(doc, top, 8, "report");
    static const char *const tool[] = {"name", "version"};
    assert_keys(mh_json_get(doc, "tool"), tool, 2, "tool");
    ck_assert_str_eq(str(mh_json_get(doc, "tool"), "name"), "manta-harness");
    ck_assert_str_eq(str(mh_json_get(doc, "tool"), "version"), "0.1.0");
    ck_assert_str_eq(str(doc, "spec"), "contracts/manta-openapi.json");
    ck_assert_str_eq(str(doc, "base_url"), "http://127.0.0.1:8080/api/");
    /* The literal, not a double's rounding. */
    ck_assert_str_eq(mh_json_get(doc, "seed")->valuestring, "18446744073709551615");
    ck_assert(cJSON_IsFalse(mh_json_get(doc, "interrupted")));

    const cJSON *cases = mh_json_get(doc, "cases");
    ck_assert_int_eq(cJSON_GetArraySize(cases), N_RESULTS);
    static const char *const ck[] = {"id",      "suite",    "operation", "outcome",
                                     "request", "response", "findings",  "curl"};
    static const char *const rq[] = {"method", "url", "headers", "body"};
    static const char *const rs[] = {"status",     "content_type", "body",
                                     "elapsed_ms", "headers",      "attempts"};
    static const char *const rs_err[] = {"status",  "content_type", "body", "elapsed_ms",
                                         "headers", "attempts",     "error"};
    static const char *const fk[] = {"check", "severity", "message", "path", "operation"};
    int i = 0;
    for (const cJSON *c = cases->child; c; c = c->next, i++) {
        assert_keys(c, ck, 8, "case");
        assert_keys(mh_json_get(c, "request"), rq, 4, "request");
        assert_keys(mh_json_get(c, "response"), i == 4 ? rs_err : rs, i == 4 ? 7 : 6, "response");
        for (const cJSON *f = mh_json_get(c, "findings")->child; f; f = f->next)
            assert_keys(f, fk, 5, "finding");
        ck_assert_str_eq(str(c, "id"), results[i].kase->id);
        ck_assert_str_eq(str(c, "operation"), "POST /openapi/personalTag");
        ck_assert_str_eq(str(c, "suite"), mh_suite_name(results[i].kase->suite));
        ck_assert_str_eq(str(c, "outcome"), mh_outcome_name(results[i].outcome));
        ck_assert_uint_eq(strncmp(str(c, "curl"), "curl -sS", 8) == 0 ||
                              strncmp(str(c, "curl"), "printf ", 7) == 0,
                          1);
        ck_assert_str_eq(str(mh_json_get(c, "request"), "url"),
                         "http://127.0.0.1:8080/api/openapi/personalTag?botId=b1");
    }
    cJSON_Delete(doc);
    free(buf);
}
END_TEST

START_TEST(report_json_values_right)
{
    size_t len;
    char *buf = render(mh_report_json_write, &len);
    cJSON *doc = parse_json(buf, len);
    const cJSON *s = mh_json_get(doc, "summary");
    static const char *const sk[] = {"cases",       "passed",       "failed",
                                     "warnings",    "inconclusive", "skipped",
                                     "duration_ms", "by_check",     "by_operation"};
    assert_keys(s, sk, 9, "summary");
    ck_assert_int_eq(num(s, "skipped"), 0);
    ck_assert_int_eq(num(s, "cases"), 8);
    ck_assert_int_eq(num(s, "passed"), 3);
    ck_assert_int_eq(num(s, "failed"), 3);
    ck_assert_int_eq(num(s, "warnings"), 1);
    ck_assert_int_eq(num(s, "inconclusive"), 1);
    ck_assert_str_eq(mh_json_get(s, "duration_ms")->valuestring, "350.5");
    static const char *const bc[] = {"negative_data_rejection", "response_schema_conformance",
                                     "unsupported_method", "transport_error",
                                     "sensitive_data_exposure"};
    assert_keys(mh_json_get(s, "by_check"), bc, 5, "by_check");
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(num(mh_json_get(s, "by_check"), bc[i]), 1);

    const cJSON *cases = mh_json_get(doc, "cases");
    /* Failed case: the second finding carries the pointer. */
    const cJSON *c1 = cJSON_GetArrayItem(cases, 1);
    const cJSON *f1 = cJSON_GetArrayItem(mh_json_get(c1, "findings"), 1);
    ck_assert_str_eq(str(f1, "check"), "response_schema_conformance");
    ck_assert_str_eq(str(f1, "severity"), "error");
    ck_assert_str_eq(str(f1, "path"), "/errResponse/code");
    ck_assert_str_eq(str(mh_json_get(c1, "response"), "content_type"), "application/json");
    ck_assert_str_eq(mh_json_get(mh_json_get(c1, "response"), "elapsed_ms")->valuestring, "2.5");
    /* Transport error: status 0, content_type null, the error named. */
    const cJSON *r4 = mh_json_get(cJSON_GetArrayItem(cases, 4), "response");
    ck_assert_int_eq(num(r4, "status"), 0);
    ck_assert(cJSON_IsNull(mh_json_get(r4, "content_type")));
    ck_assert_str_eq(str(r4, "body"), "");
    ck_assert_str_eq(str(r4, "error"), "reset: Connection reset by peer");
    /* Request headers, redacted; a repeated name joined. */
    const cJSON *h0 = mh_json_get(mh_json_get(cJSON_GetArrayItem(cases, 0), "request"), "headers");
    ck_assert_str_eq(str(h0, "Authorization"), "Bearer $MANTA_TOKEN");
    ck_assert_str_eq(str(h0, "Content-Type"), "application/json");
    const cJSON *h6 = mh_json_get(mh_json_get(cJSON_GetArrayItem(cases, 6), "request"), "headers");
    ck_assert_str_eq(str(h6, "X-Dup"), "one, two");
    ck_assert_str_eq(str(h6, "X-Empty"), "");
    /* Binary body: NUL kept as \u0000 (C0 80 in the strict tree), bad bytes U+FFFD. */
    const cJSON *b5 = mh_json_get(mh_json_get(cJSON_GetArrayItem(cases, 5), "request"), "body");
    ck_assert_str_eq(b5->valuestring, "@a\xc0\x80"
                                      "b\xef\xbf\xbd\xef\xbf\xbd'\"$x\\\n\t<script>x</script>"
                                      "$MANTA_SECRET\x01"
                                      "end");
    ck_assert(tu_contains(buf, len, "@a\\u0000b\\ufffd\\ufffd'\\\"$x\\\\\\n\\t<script>"));
    const cJSON *rb5 = mh_json_get(mh_json_get(cJSON_GetArrayItem(cases, 5), "response"), "body");
    ck_assert(strstr(rb5->valuestring, "leaked $MANTA_TOKEN and $MANTA_JWT_KEY and $MANTA_SECRET"));
    /* Large answer: capped before the split é, then the note. */
    const char *big = str(mh_json_get(cJSON_GetArrayItem(cases, 7), "response"), "body");
    size_t bl = strlen(big);
    const char *note = "\xe2\x80\xa6[truncated 4465 bytes]";
    ck_assert_uint_eq(bl, (size_t)MH_REPORT_BODY_CAP - 1 + strlen(note));
    ck_assert_str_eq(big + MH_REPORT_BODY_CAP - 1, note);
    cJSON_Delete(doc);
    free(buf);
}
END_TEST

START_TEST(report_json_secrets_redacted)
{
    size_t len;
    char *buf = render(mh_report_json_write, &len);
    assert_no_secrets(buf, len);
    ck_assert(tu_contains(buf, len, "$MANTA_TOKEN"));
    ck_assert(tu_contains(buf, len, "$MANTA_SECRET"));
    ck_assert(tu_contains(buf, len, "$MANTA_JWT_KEY"));
    free(buf);
}
END_TEST

START_TEST(report_json_interrupted_flagged)
{
    run.interrupted = 1;
    run.result_count = 0;
    size_t len;
    char *buf = render(mh_report_json_write, &len);
    cJSON *doc = parse_json(buf, len);
    ck_assert(cJSON_IsTrue(mh_json_get(doc, "interrupted")));
    ck_assert_int_eq(cJSON_GetArraySize(mh_json_get(doc, "cases")), 0);
    ck_assert_int_eq(num(mh_json_get(doc, "summary"), "cases"), 0);
    ck_assert_ptr_null(mh_json_get(mh_json_get(doc, "summary"), "by_check")->child);
    cJSON_Delete(doc);
    free(buf);
}
END_TEST

/* ---- summary ------------------------------------------------------------------- */

START_TEST(report_summary_counts_right)
{
    mh_summary s;
    mh_summary_compute(&run, &s);
    ck_assert_uint_eq(s.cases, 8);
    ck_assert_uint_eq(s.passed, 3);
    ck_assert_uint_eq(s.failed, 3);
    ck_assert_uint_eq(s.warnings, 1);
    ck_assert_uint_eq(s.inconclusive, 1);
    ck_assert_uint_eq(s.findings, 5);
    ck_assert_uint_eq(s.other_findings, 0);
    ck_assert_uint_eq(s.suite_cases[MH_SUITE_BOUNDARY], 3);
    ck_assert_uint_eq(s.suite_failed[MH_SUITE_BOUNDARY], 2);
    ck_assert_uint_eq(s.suite_cases[MH_SUITE_VALID], 2);
    ck_assert_uint_eq(s.suite_inconclusive[MH_SUITE_VALID], 1);
    ck_assert_uint_eq(s.suite_warnings[MH_SUITE_METHODS], 1);
    ck_assert_uint_eq(s.by_check[MH_CHECK_TRANSPORT_ERROR], 1);
    ck_assert_str_eq(mh_checks[MH_CHECK_TRANSPORT_ERROR].name, "transport_error");
}
END_TEST

/* ---- JUnit --------------------------------------------------------------------- */

/* A tiny XML 1.0 well-formedness checker: matched tags, quoted attributes,
 * known entities, no raw '<' or '&' in text, no forbidden control bytes.
 * Returns NULL when fine, else what is wrong. */
static const char *xml_check(const char *s, size_t len)
{
    char stack[64][64];
    int depth = 0, roots = 0;
    size_t i = 0;
    if (strncmp(s, "<?xml ", 6) == 0) {
        const char *e = strstr(s, "?>");
        if (!e)
            return "unterminated declaration";
        i = (size_t)(e - s) + 2;
    }
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return "forbidden control character";
        if (c == '&') {
            static const char *const ents[] = {"&amp;",  "&lt;",  "&gt;", "&quot;",
                                               "&apos;", "&#10;", "&#9;", "&#13;"};
            size_t k;
            for (k = 0; k < 8 && strncmp(s + i, ents[k], strlen(ents[k])) != 0; k++)
                ;
            if (k == 8)
                return "unknown entity";
            i += strlen(ents[k]);
            continue;
        }
        if (c == '>')
            return "raw '>' in text"; /* legal but we always escape it */
        if (c != '<') {
            if (depth == 0 && c != '\n' && c != ' ')
                return "text outside the root";
            i++;
            continue;
        }
        int closing = s[i + 1] == '/';
        size_t n0 = i + 1 + (size_t)closing, n = n0;
        while (n < len && (isalnum((unsigned char)s[n]) || s[n] == '-' || s[n] == '_'))
            n++;
        if (n == n0 || n - n0 >= 64)
            return "bad tag name";
        char name[64];
        memcpy(name, s + n0, n - n0);
        name[n - n0] = '\0';
        /* Attributes: name="value" with no '<' inside the value. */
        while (n < len && s[n] != '>' && !(s[n] == '/' && s[n + 1] == '>')) {
            if (s[n] == '"') {
                n++;
                while (n < len && s[n] != '"') {
                    if (s[n] == '<')
                        return "'<' in attribute";
                    n++;
                }
            }
            n++;
        }
        if (n >= len)
            return "unterminated tag";
        int empty = s[n] == '/';
        if (closing) {
            if (depth == 0 || strcmp(stack[depth - 1], name) != 0)
                return "mismatched closing tag";
            depth--;
        } else if (!empty) {
            if (depth == 0 && roots++)
                return "two roots";
            if (depth == 64)
                return "too deep";
            strcpy(stack[depth++], name);
        }
        i = n + (empty ? 2 : 1);
    }
    return depth == 0 && roots == 1 ? NULL : "unclosed elements";
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

START_TEST(report_junit_wellformed)
{
    size_t len;
    char *buf = render(mh_report_junit_write, &len);
    assert_utf8(buf, len);
    const char *why = xml_check(buf, len);
    ck_assert_msg(why == NULL, "JUnit not well-formed: %s", why ? why : "");
    ck_assert_uint_eq(strlen(buf), len); /* no NUL */
    ck_assert_uint_eq(count(buf, "<testsuites "), 1);
    ck_assert_uint_eq(count(buf, "<testsuite "), 1); /* one per operation */
    ck_assert_uint_eq(count(buf, "<testcase "), N_RESULTS);
    ck_assert_uint_eq(count(buf, "<failure "), 3);
    ck_assert_uint_eq(count(buf, "<skipped "), 1);
    ck_assert_uint_eq(count(buf, "<system-out>"), 1);
    ck_assert(strstr(buf, "<testsuite name=\"POST /openapi/personalTag\" tests=\"8\" "
                          "failures=\"3\" errors=\"0\" skipped=\"1\""));
    ck_assert(strstr(buf, "<property name=\"operation\" value=\"POST /openapi/personalTag\"/>"));
    ck_assert(strstr(buf, "classname=\"manta-harness.malformed\" "
                          "name=\"malformed/name-wrong-type-number\""));
    ck_assert(strstr(buf, "<property name=\"seed\" value=\"18446744073709551615\"/>"));
    ck_assert(strstr(buf, "<property name=\"base_url\" value=\"http://127.0.0.1:8080/api/\"/>"));
    ck_assert(strstr(buf, "message=\"negative_data_rejection: a malformed case got 200\""));
    ck_assert(strstr(buf, "GET got 200 &amp; &lt;b&gt;no&lt;/b&gt; 405"));
    ck_assert(strstr(buf, "reproduce: printf "));
    ck_assert_ptr_null(strstr(buf, "<script>"));
    assert_no_secrets(buf, len);
    free(buf);
}
END_TEST

START_TEST(report_junit_xmllint_accepts)
{
    if (access("/usr/bin/xmllint", X_OK) != 0) {
        /* libxml2-utils is in scripts/install-deps.sh; the tiny checker above still ran. */
        fprintf(stderr, "xmllint not installed: skipping the libxml2 check\n");
        return;
    }
    char path[] = "/tmp/mh-report-junit-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    mh_error err;
    ck_assert_int_eq(mh_report_junit_write(&run, f, &err), MH_OK);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s' 2>&1", path);
    int rc = system(cmd);
    unlink(path);
    ck_assert_int_eq(WEXITSTATUS(rc), 0);
}
END_TEST

/* ---- HTML ---------------------------------------------------------------------- */

START_TEST(report_html_charts_escaped)
{
    size_t len;
    char *buf = render(mh_report_html_write, &len);
    assert_utf8(buf, len);
    ck_assert(strncmp(buf, "<!DOCTYPE html>", 15) == 0);
    ck_assert(strstr(buf, "class=\"status-chart\""));
    ck_assert(strstr(buf, "class=\"latency-chart\""));
    ck_assert_uint_ge(count(buf, "<svg "), 2);
    ck_assert(strstr(buf, "<title>boundary no answer: 1</title>"));
    ck_assert(strstr(buf, "<title>valid 429: 1</title>"));
    ck_assert(strstr(buf, "<title>5-10 ms: 0</title>"));
    ck_assert(strstr(buf, "<title>&gt;5s ms: 1</title>"));
    /* Each inline SVG is well-formed XML on its own. */
    for (const char *p = strstr(buf, "<svg "); p; p = strstr(p + 1, "<svg ")) {
        const char *e = strstr(p, "</svg>");
        ck_assert_ptr_nonnull(e);
        const char *why = xml_check(p, (size_t)(e - p) + 6);
        ck_assert_msg(why == NULL, "SVG not well-formed: %s", why ? why : "");
    }
    ck_assert(strstr(buf, "18446744073709551615"));
    /* Injected markup is text, and the page needs nothing from outside. */
    ck_assert_ptr_null(strstr(buf, "<script"));
    ck_assert(strstr(buf, "&lt;script&gt;alert('x')&lt;/script&gt;"));
    ck_assert_ptr_null(strstr(buf, "<link"));
    ck_assert_ptr_null(strstr(buf, "src="));
    ck_assert_ptr_null(strstr(buf, "url("));
    ck_assert_ptr_null(strstr(buf, "@import"));
    /* Every case that did not pass is listed with its curl command; passed ones are not. */
    ck_assert_uint_eq(count(buf, "<pre class=\"curl\">"), 5);
    ck_assert_ptr_null(strstr(buf, "valid/ascii"));
    ck_assert(strstr(buf, "/errResponse/code"));
    assert_no_secrets(buf, len);
    free(buf);
}
END_TEST

/* ---- console ------------------------------------------------------------------- */

START_TEST(report_console_default_lists_findings)
{
    mh_console_opts o = {.max_findings = 20};
    size_t len;
    char *out = console(&o, &len);
    assert_no_secrets(out, len);
    ck_assert(strstr(out, "manta-harness 0.1.0"));
    ck_assert(strstr(out, "contracts/manta-openapi.json"));
    ck_assert(strstr(out, "http://127.0.0.1:8080/api/"));
    ck_assert(strstr(out, "seed:   18446744073709551615"));
    ck_assert(strstr(out, "run id: r-test"));
    ck_assert(strstr(out, "boundary"));
    ck_assert(strstr(out, "response_schema_conformance"));
    ck_assert(strstr(out, "malformed/name-wrong-type-number: /errResponse/code: expected "
                          "integer, got string"));
    ck_assert(strstr(out, "curl -sS"));
    ck_assert(strstr(out, "8 cases: 3 passed, 3 failed, 1 warnings, 1 inconclusive"));
    ck_assert_ptr_null(strchr(out, '\033'));
    ck_assert_ptr_null(strstr(out, "valid/ascii")); /* passed: not listed */
    /* Nothing unprintable from the hostile bodies reaches the terminal. */
    for (size_t i = 0; i < len; i++)
        ck_assert(out[i] == '\n' || (unsigned char)out[i] >= 0x20);
    free(out);

    o.max_findings = 1;
    out = console(&o, &len);
    ck_assert(strstr(out, "and 4 more findings"));
    ck_assert_ptr_null(strstr(out, "transport_error boundary/reset"));
    free(out);
}
END_TEST

START_TEST(report_console_quiet_one_line)
{
    mh_console_opts o = {.quiet = 1, .max_findings = 20};
    size_t len;
    char *out = console(&o, &len);
    ck_assert_uint_eq(count(out, "\n"), 1);
    ck_assert(strstr(out, "8 cases: 3 passed"));
    free(out);
    run.interrupted = 1;
    out = console(&o, &len);
    ck_assert(strncmp(out, "INTERRUPTED: ", 13) == 0);
    free(out);
}
END_TEST

START_TEST(report_console_verbose_every_case_colored)
{
    mh_console_opts o = {.verbose = 1, .max_findings = 0, .color = 1};
    size_t len;
    char *out = console(&o, &len);
    assert_no_secrets(out, len);
    for (int i = 0; i < N_RESULTS; i++)
        ck_assert_msg(strstr(out, results[i].kase->id), "%s missing", results[i].kase->id);
    ck_assert(strstr(out, "\033[31m"));
    ck_assert(strstr(out, "reset"));
    ck_assert_ptr_null(strstr(out, "Findings:"));
    free(out);
}
END_TEST

START_TEST(report_progress_line_format)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    mh_report_progress(f, 42, 120, 3, 1000.0);
    fclose(f);
    ck_assert(strncmp(buf, "\r[#######.............] 42/120 cases  3 failed  42.0 req/s", 58) == 0);
    free(buf);
}
END_TEST

/* ---- curl reproduction --------------------------------------------------------- */

/* Runs cmd with a stub "curl" first on PATH that dumps its arguments
 * (NUL-separated) and stdin into dir; shell is "bash" or "sh". Returns the
 * exit status. */
static int run_with_stub(const char *dir, const char *shell, const char *cmd)
{
    char path[512];
    snprintf(path, sizeof path, "%s/curl", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "#!/bin/sh\n: > \"$STUB_DIR/args\"\n"
               "for a in \"$@\"; do printf '%%s\\0' \"$a\" >> \"$STUB_DIR/args\"; done\n"
               "cat > \"$STUB_DIR/stdin\"\n");
    fclose(f);
    chmod(path, 0755);
    snprintf(path, sizeof path, "%s/cmd.sh", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(cmd, f);
    fputc('\n', f);
    fclose(f);
    setenv("STUB_DIR", dir, 1);
    setenv("MANTA_TOKEN", TOKEN, 1);
    setenv("MANTA_JWT_KEY", KEY, 1);
    setenv("MANTA_SECRET", SECRET, 1);
    char sys[1400];
    snprintf(sys, sizeof sys, "PATH='%s':\"$PATH\" %s '%s' < /dev/null", dir, shell, path);
    int rc = system(sys);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

typedef struct {
    char *raw;
    size_t len;
    const char *argv[64];
    size_t argc;
} stub_args;

static void read_args(const char *dir, stub_args *a)
{
    char path[512];
    snprintf(path, sizeof path, "%s/args", dir);
    a->raw = tu_read_file(path, &a->len);
    ck_assert_ptr_nonnull(a->raw);
    a->argc = 0;
    for (size_t i = 0; i < a->len && a->argc < 64; i += strlen(a->raw + i) + 1)
        a->argv[a->argc++] = a->raw + i;
}

/* The argument after flag, optionally the occurrence-th one with that value prefix. */
static const char *arg_after(const stub_args *a, const char *flag, const char *prefix)
{
    for (size_t i = 0; i + 1 < a->argc; i++)
        if (strcmp(a->argv[i], flag) == 0 &&
            (!prefix || strncmp(a->argv[i + 1], prefix, strlen(prefix)) == 0))
            return a->argv[i + 1];
    return NULL;
}

/* A fresh scratch folder (caller frees with remove_dir). */
static char *make_dir(void)
{
    tu_tmp t;
    tu_tmp_init(&t, "report-curl");
    char *d = strdup(t.dir);
    ck_assert_ptr_nonnull(d);
    return d;
}

static void remove_dir(char *dir)
{
    ck_assert_int_eq(tu_rm_tree(dir), 0);
    free(dir);
}

START_TEST(report_curl_binary_body_byte_exact)
{
    char *cmd = mh_report_curl_command(&run, &results[5]);
    ck_assert_ptr_nonnull(cmd);
    assert_no_secrets(cmd, strlen(cmd));
    for (const char *p = cmd; *p; p++) /* ASCII: survives any report unchanged */
        ck_assert((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
    ck_assert(strstr(cmd, "\"$MANTA_SECRET\""));
    static const char *const shells[] = {"bash", "sh"};
    for (int s = 0; s < 2; s++) {
        char *dir = make_dir();
        ck_assert_int_eq(run_with_stub(dir, shells[s], cmd), 0);
        char path[512];
        snprintf(path, sizeof path, "%s/stdin", dir);
        size_t len;
        char *in = tu_read_file(path, &len);
        ck_assert_ptr_nonnull(in);
        ck_assert_uint_eq(len, sizeof bin_body - 1);
        ck_assert_msg(memcmp(in, bin_body, len) == 0, "%s: body differs", shells[s]);
        free(in);
        stub_args a;
        read_args(dir, &a);
        ck_assert_str_eq(arg_after(&a, "--data-binary", NULL), "@-");
        ck_assert_str_eq(arg_after(&a, "-H", "Authorization"), "Authorization: Bearer " TOKEN);
        ck_assert_str_eq(arg_after(&a, "-H", "Content-Type"), "Content-Type:");
        ck_assert_str_eq(arg_after(&a, "-X", NULL), "POST");
        free(a.raw);
        remove_dir(dir);
    }
    free(cmd);
}
END_TEST

START_TEST(report_curl_inline_body_and_headers_exact)
{
    char *cmd = mh_report_curl_command(&run, &results[0]);
    ck_assert_ptr_nonnull(cmd);
    assert_no_secrets(cmd, strlen(cmd));
    const char *start = "curl -sS --path-as-is -g -X POST "
                        "'http://127.0.0.1:8080/api/openapi/personalTag?botId=b1' ";
    ck_assert_msg(strncmp(cmd, start, strlen(start)) == 0, "%s", cmd);
    ck_assert(strstr(cmd, "-H 'Authorization: Bearer '\"$MANTA_TOKEN\""));
    char *dir = make_dir();
    ck_assert_int_eq(run_with_stub(dir, "sh", cmd), 0);
    stub_args a;
    read_args(dir, &a);
    ck_assert_str_eq(arg_after(&a, "--data-binary", NULL), valid_body);
    ck_assert_str_eq(arg_after(&a, "-H", "Authorization"), "Authorization: Bearer " TOKEN);
    ck_assert_str_eq(arg_after(&a, "-H", "Content-Type"), "Content-Type: application/json");
    ck_assert_str_eq(arg_after(&a, "-H", "User-Agent"), "User-Agent:");
    ck_assert(strcmp(a.argv[a.argc - 1], valid_body) == 0);
    free(a.raw);
    remove_dir(dir);
    free(cmd);
}
END_TEST

START_TEST(report_curl_placeholder_text_literal)
{
    char *cmd = mh_report_curl_command(&run, &results[6]);
    ck_assert_ptr_nonnull(cmd);
    char *dir = make_dir();
    ck_assert_int_eq(run_with_stub(dir, "bash", cmd), 0);
    stub_args a;
    read_args(dir, &a);
    /* The case sent the text "$MANTA_TOKEN", not a secret: it stays literal. */
    ck_assert_str_eq(arg_after(&a, "-H", "Authorization"), "Authorization: Bearer $MANTA_TOKEN");
    ck_assert_str_eq(arg_after(&a, "-H", "X-Empty"), "X-Empty;");
    ck_assert_str_eq(arg_after(&a, "-H", "X-Dup: one"), "X-Dup: one");
    ck_assert_str_eq(arg_after(&a, "-H", "X-Dup: two"), "X-Dup: two");
    ck_assert_str_eq(arg_after(&a, "--data-binary", NULL), ""); /* POST without body */
    free(a.raw);
    remove_dir(dir);
    free(cmd);

    /* GET without body: no data at all. */
    cmd = mh_report_curl_command(&run, &results[2]);
    ck_assert_ptr_null(strstr(cmd, "--data-binary"));
    ck_assert(strstr(cmd, " -X GET "));
    free(cmd);
}
END_TEST

/* Sends r's command through the stub with bash; returns the stub's stdin. */
static char *stub_stdin(const mh_result *r, stub_args *a, size_t *len)
{
    char *cmd = mh_report_curl_command(&run, r);
    ck_assert_ptr_nonnull(cmd);
    assert_no_secrets(cmd, strlen(cmd));
    char *dir = make_dir();
    ck_assert_int_eq(run_with_stub(dir, "bash", cmd), 0);
    read_args(dir, a);
    char path[512];
    snprintf(path, sizeof path, "%s/stdin", dir);
    char *in = tu_read_file(path, len);
    ck_assert_ptr_nonnull(in);
    remove_dir(dir);
    free(cmd);
    return in;
}

START_TEST(report_curl_edge_requests_exact)
{
    const char *q = "/openapi/personalTag?botId=b1";
    mh_result r;
    stub_args a;
    size_t len;

    /* HEAD: -I, no -X, no data. */
    memset(&r, 0, sizeof r);
    r.kase = mk_case("methods/head", MH_SUITE_METHODS, "HEAD", q, NULL, 0);
    char *cmd = mh_report_curl_command(&run, &r);
    ck_assert(strstr(cmd, " -I "));
    ck_assert_ptr_null(strstr(cmd, " -X "));
    ck_assert_ptr_null(strstr(cmd, "--data"));
    free(cmd);
    mh_result_clear(&r);

    /* A header with control and invalid bytes, and an odd method, survive exactly. */
    r.kase = mk_case("boundary/odd-header", MH_SUITE_BOUNDARY, "M'X", q, "{}", 2);
    mh_case_add_header(r.kase, "X-Odd", "a\x01b\xff'c\"" SECRET);
    char *in = stub_stdin(&r, &a, &len);
    ck_assert_str_eq(arg_after(&a, "-X", NULL), "M'X");
    ck_assert_str_eq(arg_after(&a, "-H", "X-Odd"), "X-Odd: a\x01b\xff'c\"" SECRET);
    ck_assert_str_eq(arg_after(&a, "--data-binary", NULL), "{}");
    free(in);
    free(a.raw);
    mh_result_clear(&r);

    /* A body over the inline limit is piped, byte for byte. */
    enum { BIG = 40 * 1024 };
    char *big = malloc(BIG);
    for (size_t i = 0; i < BIG; i++)
        big[i] = (char)('a' + i % 26);
    memcpy(big + 1000, SECRET, strlen(SECRET));
    r.kase = mk_case("boundary/big", MH_SUITE_BOUNDARY, "POST", q, big, BIG);
    in = stub_stdin(&r, &a, &len);
    ck_assert_uint_eq(len, BIG);
    ck_assert(memcmp(in, big, BIG) == 0);
    ck_assert_str_eq(arg_after(&a, "--data-binary", NULL), "@-");
    ck_assert_str_eq(arg_after(&a, "-H", "Expect"), "Expect:");
    free(in);
    free(a.raw);
    free(big);
    mh_result_clear(&r);

    /* A body that starts with a secret is piped too (it could start with '@'). */
    r.kase =
        mk_case("valid/secret-first", MH_SUITE_VALID, "PUT", q, SECRET "!", strlen(SECRET) + 1);
    in = stub_stdin(&r, &a, &len);
    ck_assert_str_eq(in, SECRET "!");
    ck_assert_str_eq(arg_after(&a, "-X", NULL), "PUT");
    free(in);
    free(a.raw);
    mh_result_clear(&r);
}
END_TEST

START_TEST(report_json_without_redactor_valid)
{
    run.redactor = NULL;
    size_t len;
    char *buf = render(mh_report_json_write, &len);
    cJSON *doc = parse_json(buf, len);
    ck_assert_int_eq(cJSON_GetArraySize(mh_json_get(doc, "cases")), N_RESULTS);
    /* Nothing registered, nothing hidden: the raw secret is there. */
    ck_assert(tu_contains(buf, len, SECRET));
    cJSON_Delete(doc);
    free(buf);
}
END_TEST

START_TEST(report_curl_real_curl_accepts_options)
{
    if (access("/usr/bin/curl", X_OK) != 0) {
        fprintf(stderr, "curl not installed: skipping\n");
        return;
    }
    /* Port 1 on loopback refuses: exit 7 proves curl parsed every option
     * (a bad option would be 2). */
    run.base_url = "http://127.0.0.1:1/api";
    setenv("MANTA_TOKEN", TOKEN, 1);
    setenv("MANTA_SECRET", SECRET, 1);
    for (int i = 0; i < N_RESULTS; i++) {
        char *cmd = mh_report_curl_command(&run, &results[i]);
        ck_assert_ptr_nonnull(cmd);
        char *full = malloc(strlen(cmd) + 64);
        sprintf(full, "%s --max-time 5 2>/dev/null", cmd);
        int rc = system(full);
        ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 7, "case %d: curl exit %d", i,
                      WEXITSTATUS(rc));
        free(full);
        free(cmd);
    }
}
END_TEST

/* ---- writing files and parsing --report ---------------------------------------- */

START_TEST(report_write_creates_parent_dirs)
{
    char *dir = make_dir();
    char path[600];
    snprintf(path, sizeof path, "%s/a/b/c/report.json", dir);
    mh_report_target t = {MH_REPORT_JSON, path};
    mh_error err;
    mh_error_clear(&err);
    ck_assert_int_eq(mh_report_write(&run, &t, &err), MH_OK);
    size_t len;
    char *buf = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(buf);
    cJSON *doc = parse_json(buf, len);
    cJSON_Delete(doc);
    free(buf);
    char tmp[620];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ck_assert_int_ne(access(tmp, F_OK), 0);
    /* Overwrites an existing report in place. */
    t.format = MH_REPORT_JUNIT;
    ck_assert_int_eq(mh_report_write(&run, &t, &err), MH_OK);
    buf = tu_read_file(path, &len);
    ck_assert(strncmp(buf, "<?xml", 5) == 0);
    free(buf);
    snprintf(path, sizeof path, "%s/r.html", dir);
    t.format = MH_REPORT_HTML;
    ck_assert_int_eq(mh_report_write(&run, &t, &err), MH_OK);
    ck_assert_int_eq(access(path, F_OK), 0);
    remove_dir(dir);
}
END_TEST

START_TEST(report_write_unwritable_names_path)
{
    char *dir = make_dir();
    char file[600], path[700];
    snprintf(file, sizeof file, "%s/plain", dir);
    FILE *f = fopen(file, "w");
    fclose(f);
    /* A regular file where a directory should be: fails even for root. */
    snprintf(path, sizeof path, "%s/sub/report.json", file);
    mh_report_target t = {MH_REPORT_JSON, path};
    mh_error err;
    mh_error_clear(&err);
    ck_assert_int_eq(mh_report_write(&run, &t, &err), MH_ERR_IO);
    ck_assert_msg(strstr(err.message, path), "message lacks the path: %s", err.message);
    snprintf(path, sizeof path, "%s/report.json", file);
    mh_error_clear(&err);
    ck_assert_int_eq(mh_report_write(&run, &t, &err), MH_ERR_IO);
    ck_assert_msg(strstr(err.message, path), "message lacks the path: %s", err.message);
    /* A directory in the way of the file itself. */
    snprintf(path, sizeof path, "%s/adir", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    mh_error_clear(&err);
    ck_assert_int_eq(mh_report_write(&run, &t, &err), MH_ERR_IO);
    ck_assert(strstr(err.message, path));
    remove_dir(dir);
}
END_TEST

START_TEST(report_parse_target_formats)
{
    static const struct {
        const char *arg;
        mh_status st;
        mh_report_format fmt;
        const char *path;
    } rows[] = {
        {"json:reports/run.json", MH_OK, MH_REPORT_JSON, "reports/run.json"},
        {"junit:out.xml", MH_OK, MH_REPORT_JUNIT, "out.xml"},
        {"HTML:/tmp/a:b.html", MH_OK, MH_REPORT_HTML, "/tmp/a:b.html"},
        {"sarif:x.sarif", MH_OK, MH_REPORT_SARIF, "x.sarif"},
        {"xml:out.xml", MH_ERR_USAGE, 0, NULL},
        {"json", MH_ERR_USAGE, 0, NULL},
        {"json:", MH_ERR_USAGE, 0, NULL},
        {":out.json", MH_ERR_USAGE, 0, NULL},
        {"", MH_ERR_USAGE, 0, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        mh_report_target t = {MH_REPORT_HTML, NULL};
        mh_error err;
        mh_error_clear(&err);
        ck_assert_int_eq(mh_report_parse_target(rows[i].arg, &t, &err), rows[i].st);
        if (rows[i].st == MH_OK) {
            ck_assert_int_eq(t.format, rows[i].fmt);
            ck_assert_str_eq(t.path, rows[i].path);
        } else {
            ck_assert_ptr_null(t.path);
            ck_assert_msg(strstr(err.message, "--report"), "%s: %s", rows[i].arg, err.message);
        }
        mh_report_target_free(&t);
        ck_assert_ptr_null(t.path);
    }
    mh_report_target_free(NULL);
}
END_TEST

START_TEST(report_write_sarif_not_supported)
{
    char *dir = make_dir();
    char path[600];
    snprintf(path, sizeof path, "%s/r.sarif", dir);
    mh_report_target t = {MH_REPORT_SARIF, path};
    mh_error err;
    mh_error_clear(&err);
    mh_status st = mh_report_write(&run, &t, &err);
    /* SARIF is another issue's: until it lands, a usage error and no file. */
    if (st == MH_ERR_USAGE) {
        ck_assert(strstr(err.message, "not supported yet"));
        ck_assert_int_ne(access(t.path, F_OK), 0);
    } else {
        ck_assert_int_eq(st, MH_OK);
        ck_assert_int_eq(access(t.path, F_OK), 0);
    }
    remove_dir(dir);
}
END_TEST

/* ---- UTF-8 and escaping -------------------------------------------------------- */

START_TEST(report_utf8_len_rejects_invalid)
{
    static const struct {
        const char *s;
        size_t want;
    } rows[] = {
        {"a", 1},
        {"\xc3\xa9", 2},
        {"\xe6\xa0\x87", 3},
        {"\xf0\x9f\x98\x80", 4},
        {"\xc0\x80", 0},
        {"\xc1\xbf", 0},
        {"\xe0\x80\x80", 0},
        {"\xed\xa0\x80", 0},
        {"\xf4\x90\x80\x80", 0},
        {"\xf5\x80\x80\x80", 0},
        {"\xc3", 0},
        {"\xe6\xa0", 0},
        {"\x80", 0},
        {"\xff", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        ck_assert_msg(mh__utf8_seq_len((const unsigned char *)rows[i].s, strlen(rows[i].s)) ==
                          rows[i].want,
                      "row %zu", i);
}
END_TEST

START_TEST(report_xml_escape_all_five_and_controls)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    const char in[] = "<a href=\"x\">'&'</a>\x01\x1f\t\n\xff\xef\xbf\xbe";
    mh__report_xml_escape(f, in, sizeof in - 1, 1);
    fclose(f);
    ck_assert_str_eq(buf, "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
                          "\xef\xbf\xbd\xef\xbf\xbd&#9;&#10;\xef\xbf\xbd\xef\xbf\xbd");
    free(buf);
    /* Text: quotes, tab and newline stay as they are. */
    buf = NULL;
    f = open_memstream(&buf, &n);
    mh__report_xml_escape(f, in, sizeof in - 1, 0);
    fclose(f);
    ck_assert_str_eq(buf, "&lt;a href=\"x\"&gt;'&amp;'&lt;/a&gt;"
                          "\xef\xbf\xbd\xef\xbf\xbd\t\n\xef\xbf\xbd\xef\xbf\xbd");
    free(buf);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("report");
    TCase *t = tcase_create("report");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, report_json_shape_exact);
    tcase_add_test(t, report_json_values_right);
    tcase_add_test(t, report_json_secrets_redacted);
    tcase_add_test(t, report_json_interrupted_flagged);
    tcase_add_test(t, report_summary_counts_right);
    tcase_add_test(t, report_junit_wellformed);
    tcase_add_test(t, report_junit_xmllint_accepts);
    tcase_add_test(t, report_html_charts_escaped);
    tcase_add_test(t, report_console_default_lists_findings);
    tcase_add_test(t, report_console_quiet_one_line);
    tcase_add_test(t, report_console_verbose_every_case_colored);
    tcase_add_test(t, report_progress_line_format);
    tcase_add_test(t, report_curl_binary_body_byte_exact);
    tcase_add_test(t, report_curl_inline_body_and_headers_exact);
    tcase_add_test(t, report_curl_placeholder_text_literal);
    tcase_add_test(t, report_curl_edge_requests_exact);
    tcase_add_test(t, report_curl_real_curl_accepts_options);
    tcase_add_test(t, report_json_without_redactor_valid);
    tcase_add_test(t, report_write_creates_parent_dirs);
    tcase_add_test(t, report_write_unwritable_names_path);
    tcase_add_test(t, report_parse_target_formats);
    tcase_add_test(t, report_write_sarif_not_supported);
    tcase_add_test(t, report_utf8_len_rejects_invalid);
    tcase_add_test(t, report_xml_escape_all_five_and_controls);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
