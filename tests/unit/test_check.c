/* test_check.c — every check fires when it must and stays quiet otherwise.
 *
 * The table below is the heart: one row per (suite, answer) with the exact
 * multiset of checks expected and the outcome. Rows run against the bundled
 * contract; a second, synthetic spec covers no-content responses, "default",
 * NXX ranges, +json media types and several methods on one path. */
#include <stdlib.h>
#include <string.h>

#include "manta/check.h"
#include "manta/json_strict.h"
#include "manta/redact.h"
#include "manta/spec.h"
#include "testutil.h"

#define OP_ID "POST /openapi/personalTag"
#define SECRET "s3cr3t-value"
#define TOKEN "eyJhbGciOiJIUzI1NiJ9.eyJib3RJZCI6ImIxIn0.c2ln"
#define OKBODY "{\"success\":true,\"message\":\"created\"}"
#define ERRBODY(code) "{\"success\":false,\"errResponse\":{\"message\":\"no\",\"code\":" #code "}}"
#define JSON "application/json"

typedef struct {
    const char *name;
    mh_suite suite;
    const char *method; /* NULL = POST */
    int status;
    const char *content_type;   /* NULL = no Content-Type header */
    const char *body;           /* NULL = empty */
    const char *hname, *hvalue; /* one extra answer header, optional */
    double elapsed_ms;
    int rate_limited;
    mh_xfer_error xerr;
    int body_schema_valid;
    const char *expect; /* sorted, comma-separated check names; "" = none */
    mh_outcome outcome;
} row;

#define P MH_OUTCOME_PASSED
#define F MH_OUTCOME_FAILED
#define W MH_OUTCOME_WARNING
#define I MH_OUTCOME_INCONCLUSIVE

static const row rows[] = {
    /* valid */
    {"valid-200-ok", MH_SUITE_VALID, NULL, 200, JSON, OKBODY, NULL, NULL, 1, 0, 0, 1, "", P},
    {"valid-200-charset", MH_SUITE_VALID, NULL, 200, "application/json; charset=utf-8", OKBODY,
     NULL, NULL, 1, 0, 0, 1, "", P},
    {"valid-200-case-charset", MH_SUITE_VALID, NULL, 200, "Application/JSON;Charset=UTF-8", OKBODY,
     NULL, NULL, 1, 0, 0, 1, "", P},
    {"valid-200-connection-close", MH_SUITE_VALID, NULL, 200, JSON, OKBODY, "Connection", "close",
     1, 0, 0, 1, "", P},
    {"valid-200-html", MH_SUITE_VALID, NULL, 200, "text/html", "<p>ok</p>", NULL, NULL, 1, 0, 0, 1,
     "content_type_conformance", F},
    {"valid-200-no-content-type", MH_SUITE_VALID, NULL, 200, NULL, OKBODY, NULL, NULL, 1, 0, 0, 1,
     "content_type_conformance", F},
    {"valid-200-missing-required", MH_SUITE_VALID, NULL, 200, JSON, "{\"success\":true}", NULL,
     NULL, 1, 0, 0, 1, "response_schema_conformance", F},
    {"valid-200-wrong-type", MH_SUITE_VALID, NULL, 200, JSON,
     "{\"success\":\"yes\",\"message\":\"m\"}", NULL, NULL, 1, 0, 0, 1,
     "response_schema_conformance", F},
    {"valid-200-empty-body", MH_SUITE_VALID, NULL, 200, JSON, NULL, NULL, NULL, 1, 0, 0, 1,
     "response_schema_conformance", F},
    {"valid-200-trailing-data", MH_SUITE_VALID, NULL, 200, JSON, OKBODY " x", NULL, NULL, 1, 0, 0,
     1, "response_schema_conformance", F},
    {"valid-200-bom", MH_SUITE_VALID, NULL, 200, JSON, "\xEF\xBB\xBF" OKBODY, NULL, NULL, 1, 0, 0,
     1, "response_schema_conformance", F},
    {"valid-200-invalid-utf8", MH_SUITE_VALID, NULL, 200, JSON,
     "{\"success\":true,\"message\":\"\xC3\x28\"}", NULL, NULL, 1, 0, 0, 1,
     "response_schema_conformance", F},
    {"valid-200-lone-surrogate", MH_SUITE_VALID, NULL, 200, JSON,
     "{\"success\":true,\"message\":\"\\ud800\"}", NULL, NULL, 1, 0, 0, 1,
     "response_schema_conformance", F},
    {"valid-200-duplicate-key", MH_SUITE_VALID, NULL, 200, JSON,
     "{\"success\":true,\"message\":\"a\",\"message\":\"b\"}", NULL, NULL, 1, 0, 0, 1,
     "response_schema_conformance", F},
    {"valid-200-nan", MH_SUITE_VALID, NULL, 200, JSON, "{\"success\":NaN,\"message\":\"m\"}", NULL,
     NULL, 1, 0, 0, 1, "response_schema_conformance", F},
    {"valid-403", MH_SUITE_VALID, NULL, 403, JSON, ERRBODY(403), NULL, NULL, 1, 0, 0, 1,
     "positive_data_acceptance", F},
    {"valid-418-undeclared", MH_SUITE_VALID, NULL, 418, JSON, ERRBODY(418), NULL, NULL, 1, 0, 0, 1,
     "positive_data_acceptance,status_code_conformance", F},
    {"valid-500", MH_SUITE_VALID, NULL, 500, JSON, ERRBODY(500), NULL, NULL, 1, 0, 0, 1,
     "not_a_server_error,positive_data_acceptance", F},
    {"valid-429-rate-limited", MH_SUITE_VALID, NULL, 429, JSON, ERRBODY(429), "Retry-After", "1", 1,
     1, 0, 1, "", I},
    {"valid-429-final", MH_SUITE_VALID, NULL, 429, JSON, ERRBODY(429), NULL, NULL, 1, 0, 0, 1, "",
     I},
    {"malformed-429-final", MH_SUITE_MALFORMED, NULL, 429, JSON, ERRBODY(429), "Retry-After", "2",
     1, 1, 0, 0, "", I},
    {"valid-429-rate-limited-bad-body", MH_SUITE_VALID, NULL, 429, JSON, "{}", NULL, NULL, 1, 1, 0,
     1, "response_schema_conformance,response_schema_conformance", F},
    {"valid-200-success-false", MH_SUITE_VALID, NULL, 200, JSON,
     "{\"success\":false,\"message\":\"m\"}", NULL, NULL, 1, 0, 0, 1, "success_flag_consistency",
     W},
    {"valid-timeout", MH_SUITE_VALID, NULL, 0, NULL, NULL, NULL, NULL, 1, 0, MH_XFER_TIMEOUT, 1,
     "transport_error", F},
    {"valid-reset-partial", MH_SUITE_VALID, NULL, 200, JSON, "{\"succ", NULL, NULL, 1, 0,
     MH_XFER_RESET, 1, "transport_error", F},
    {"valid-too-large", MH_SUITE_VALID, NULL, 200, JSON, OKBODY, NULL, NULL, 1, 0,
     MH_XFER_TOO_LARGE, 1, "transport_error", F},
    {"valid-slow", MH_SUITE_VALID, NULL, 200, JSON, OKBODY, NULL, NULL, 1500, 0, 0, 1,
     "max_response_time", F},
    {"valid-secret-in-body", MH_SUITE_VALID, NULL, 200, JSON,
     "{\"success\":true,\"message\":\"" SECRET "\"}", NULL, NULL, 1, 0, 0, 1,
     "sensitive_data_exposure", F},
    {"valid-token-in-header", MH_SUITE_VALID, NULL, 200, JSON, OKBODY, "X-Debug", "Bearer " TOKEN,
     1, 0, 0, 1, "sensitive_data_exposure", F},
    {"valid-secret-in-content-type", MH_SUITE_VALID, NULL, 200, "text/" SECRET, OKBODY, NULL, NULL,
     1, 0, 0, 1, "content_type_conformance,sensitive_data_exposure", F},
    /* boundary */
    {"boundary-200", MH_SUITE_BOUNDARY, NULL, 200, JSON, OKBODY, NULL, NULL, 1, 0, 0, 1, "", P},
    {"boundary-403", MH_SUITE_BOUNDARY, NULL, 403, JSON, ERRBODY(403), NULL, NULL, 1, 0, 0, 1, "",
     P},
    {"boundary-500", MH_SUITE_BOUNDARY, NULL, 500, JSON, ERRBODY(500), NULL, NULL, 1, 0, 0, 1,
     "not_a_server_error", F},
    {"boundary-403-bad-body", MH_SUITE_BOUNDARY, NULL, 403, JSON, "{\"success\":false}", NULL, NULL,
     1, 0, 0, 1, "response_schema_conformance", F},
    /* malformed */
    {"malformed-403", MH_SUITE_MALFORMED, NULL, 403, JSON, ERRBODY(403), NULL, NULL, 1, 0, 0, 0, "",
     P},
    {"malformed-200", MH_SUITE_MALFORMED, NULL, 200, JSON, OKBODY, NULL, NULL, 1, 0, 0, 0,
     "negative_data_rejection", F},
    {"malformed-400-undeclared", MH_SUITE_MALFORMED, NULL, 400, JSON, ERRBODY(400), NULL, NULL, 1,
     0, 0, 0, "status_code_conformance", F},
    {"malformed-403-success-true", MH_SUITE_MALFORMED, NULL, 403, JSON,
     "{\"success\":true,\"errResponse\":{\"message\":\"no\",\"code\":403}}", NULL, NULL, 1, 0, 0, 0,
     "success_flag_consistency", W},
    /* auth */
    {"auth-401", MH_SUITE_AUTH, NULL, 401, JSON, ERRBODY(401), NULL, NULL, 1, 0, 0, 1, "", P},
    {"auth-200", MH_SUITE_AUTH, NULL, 200, JSON, OKBODY, NULL, NULL, 1, 0, 0, 1, "ignored_auth", F},
    /* methods: only five checks apply */
    {"methods-405-allow", MH_SUITE_METHODS, "GET", 405, "text/plain", "nope", "Allow", "POST", 1, 0,
     0, 0, "", P},
    {"methods-405-allow-lower", MH_SUITE_METHODS, "GET", 405, JSON, ERRBODY(405), "Allow",
     "get, post", 1, 0, 0, 0, "", P},
    {"methods-405-no-allow", MH_SUITE_METHODS, "GET", 405, JSON, ERRBODY(405), NULL, NULL, 1, 0, 0,
     0, "allow_header_conformance", W},
    {"methods-405-allow-wrong", MH_SUITE_METHODS, "GET", 405, JSON, ERRBODY(405), "Allow",
     "GET, HEAD", 1, 0, 0, 0, "allow_header_conformance", W},
    {"methods-200", MH_SUITE_METHODS, "DELETE", 200, JSON, OKBODY, NULL, NULL, 1, 0, 0, 0,
     "unsupported_method", W},
    {"methods-500", MH_SUITE_METHODS, "PUT", 500, NULL, NULL, NULL, NULL, 1, 0, 0, 0,
     "not_a_server_error", F},
    {"methods-405-secret", MH_SUITE_METHODS, "GET", 405, "text/plain", "key " SECRET, "Allow",
     "POST", 1, 0, 0, 0, "sensitive_data_exposure", F},
    {"methods-405-slow-bad-body", MH_SUITE_METHODS, "GET", 405, JSON, "{{{", "Allow", "POST", 9999,
     0, 0, 0, "", P},
    {"methods-reset", MH_SUITE_METHODS, "GET", 0, NULL, NULL, NULL, NULL, 1, 0, MH_XFER_RESET, 0,
     "transport_error", F},
    /* fuzz */
    {"fuzz-invalid-200", MH_SUITE_FUZZ, NULL, 200, JSON, OKBODY, NULL, NULL, 1, 0, 0, 0,
     "negative_data_rejection", F},
    {"fuzz-valid-200", MH_SUITE_FUZZ, NULL, 200, JSON, OKBODY, NULL, NULL, 1, 0, 0, 1, "", P},
    {"fuzz-invalid-403", MH_SUITE_FUZZ, NULL, 403, JSON, ERRBODY(403), NULL, NULL, 1, 0, 0, 0, "",
     P},
};

static mh_spec *contract;
static mh_redactor *secrets;

static void setup(void)
{
    mh_error err;
    mh_error_clear(&err);
    ck_assert_int_eq(mh_spec_load(MH_TEST_SPEC, &contract, &err), MH_OK);
    secrets = mh_redactor_new();
    ck_assert_int_eq(mh_redactor_add(secrets, SECRET, "$MANTA_SECRET"), 0);
    ck_assert_int_eq(mh_redactor_add(secrets, TOKEN, "$MANTA_TOKEN"), 0);
}

static void teardown(void)
{
    mh_spec_free(contract);
    mh_redactor_free(secrets);
    contract = NULL;
    secrets = NULL;
}

static void add_answer_header(mh_exchange *x, const char *name, const char *value)
{
    x->headers = realloc(x->headers, (x->header_count + 1) * sizeof *x->headers);
    ck_assert_ptr_nonnull(x->headers);
    x->headers[x->header_count].name = strdup(name);
    x->headers[x->header_count].value = strdup(value);
    x->header_count++;
}

/* Builds a result for one row; the caller clears it. */
static void build(const row *w, const mh_operation *op, mh_result *r)
{
    memset(r, 0, sizeof *r);
    r->kase = mh_case_new();
    ck_assert_ptr_nonnull(r->kase);
    r->kase->id = strdup(w->name);
    r->kase->suite = w->suite;
    r->kase->op = op;
    r->kase->method = strdup(w->method ? w->method : "POST");
    r->kase->body_schema_valid = w->body_schema_valid;
    mh_exchange *x = &r->exchange;
    x->error = w->xerr;
    x->error_text = w->xerr ? strdup("Connection reset by peer") : NULL;
    x->status = w->status;
    if (w->content_type) {
        x->content_type = strdup(w->content_type);
        add_answer_header(x, "Content-Type", w->content_type);
    }
    if (w->hname)
        add_answer_header(x, w->hname, w->hvalue);
    size_t len = w->body ? strlen(w->body) : 0;
    x->body = malloc(len + 1);
    memcpy(x->body, w->body ? w->body : "", len + 1);
    x->body_len = len;
    x->elapsed_ms = w->elapsed_ms;
    x->attempts = 1;
    x->rate_limited = w->rate_limited;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The finding check names, sorted, comma-joined, into buf. */
static void got_checks(const mh_result *r, char *buf, size_t n)
{
    const char *names[64];
    size_t k = r->finding_count < 64 ? r->finding_count : 64;
    for (size_t i = 0; i < k; i++)
        names[i] = r->findings[i].check;
    qsort(names, k, sizeof names[0], cmp_str);
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        if (i)
            strncat(buf, ",", n - strlen(buf) - 1);
        strncat(buf, names[i], n - strlen(buf) - 1);
    }
}

/* Every finding: known check, severity from the table, no secret leaked. */
static void assert_findings_sane(const mh_result *r, const char *name)
{
    for (size_t i = 0; i < r->finding_count; i++) {
        const mh_finding *f = &r->findings[i];
        int idx = mh_check_parse(f->check);
        ck_assert_msg(idx >= 0, "%s: unknown check %s", name, f->check);
        ck_assert_msg(idx == (int)f->check_id, "%s: check_id of %s", name, f->check);
        ck_assert_msg(f->severity == mh_check_severity(f->check_id), "%s: severity of %s", name,
                      f->check);
        ck_assert_ptr_nonnull(f->message);
        ck_assert_msg(f->message[0] != '\0', "%s: empty message", name);
        ck_assert_msg(!strstr(f->message, SECRET) && !strstr(f->message, TOKEN),
                      "%s: secret in message: %s", name, f->message);
        ck_assert_msg(!strstr(f->path, SECRET), "%s: secret in path", name);
    }
}

START_TEST(check_table_rows_match)
{
    const row *w = &rows[_i];
    const mh_operation *op = mh_spec_find_operation(contract, OP_ID, NULL);
    ck_assert_ptr_nonnull(op);
    mh_check_opts o = {secrets, 1000, 0, contract};
    mh_result r;
    build(w, op, &r);
    mh_check_result(&o, &r);
    char got[1024];
    got_checks(&r, got, sizeof got);
    ck_assert_msg(strcmp(got, w->expect) == 0, "%s: expected [%s], got [%s] (first: %s)", w->name,
                  w->expect, got, r.finding_count ? r.findings[0].message : "-");
    ck_assert_msg(r.outcome == w->outcome, "%s: outcome %s, expected %s", w->name,
                  mh_outcome_name(r.outcome), mh_outcome_name(w->outcome));
    assert_findings_sane(&r, w->name);
    mh_result_clear(&r);
}
END_TEST

/* Runs a row with a check mask; returns the finding count. */
static size_t run_masked(const row *w, unsigned long long mask, long max_ms)
{
    const mh_operation *op = mh_spec_find_operation(contract, OP_ID, NULL);
    mh_check_opts o = {secrets, max_ms, mask, contract};
    mh_result r;
    build(w, op, &r);
    mh_check_result(&o, &r);
    size_t n = r.finding_count;
    mh_result_clear(&r);
    return n;
}

static const row *find_row(const char *name)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    ck_abort_msg("no row %s", name);
    return NULL;
}

START_TEST(check_disabled_never_fires)
{
    unsigned long long only_status = 0, all_but_ct = 0;
    ck_assert_int_eq(mh_check_parse_list("status_code_conformance", &only_status, NULL), MH_OK);
    for (int i = 0; i < MH_CHECK_COUNT; i++)
        if (i != MH_CHECK_CONTENT_TYPE_CONFORMANCE)
            all_but_ct |= MH_CHECK_BIT(i);
    ck_assert_uint_eq(run_masked(find_row("valid-200-html"), all_but_ct, 1000), 0);
    ck_assert_uint_eq(run_masked(find_row("valid-200-html"), 0, 1000), 1);
    ck_assert_uint_eq(run_masked(find_row("valid-500"), only_status, 1000), 0);
    ck_assert_uint_eq(run_masked(find_row("valid-200-trailing-data"), only_status, 1000), 0);
    ck_assert_uint_eq(run_masked(find_row("valid-timeout"), only_status, 1000), 0);
    /* max_response_time is off when the limit is 0. */
    ck_assert_uint_eq(run_masked(find_row("valid-slow"), 0, 0), 0);
    ck_assert_uint_eq(run_masked(find_row("valid-slow"), 0, 2000), 0);
}
END_TEST

/* The catalogue is DESIGN.md's table: these names, this order (the JSON
 * report's by_check order and the SARIF rule order), these severities. */
START_TEST(check_catalogue_names_severities_in_design_order)
{
    static const struct {
        const char *name;
        mh_severity sev;
        int security;
    } want[] = {
        {"not_a_server_error", MH_SEV_ERROR, 1},
        {"status_code_conformance", MH_SEV_ERROR, 0},
        {"content_type_conformance", MH_SEV_ERROR, 0},
        {"response_headers_conformance", MH_SEV_ERROR, 0},
        {"response_schema_conformance", MH_SEV_ERROR, 0},
        {"negative_data_rejection", MH_SEV_ERROR, 0},
        {"positive_data_acceptance", MH_SEV_ERROR, 0},
        {"ignored_auth", MH_SEV_ERROR, 1},
        {"sensitive_data_exposure", MH_SEV_ERROR, 1},
        {"transport_error", MH_SEV_ERROR, 1},
        {"max_response_time", MH_SEV_ERROR, 0},
        {"success_flag_consistency", MH_SEV_WARNING, 0},
        {"unsupported_method", MH_SEV_WARNING, 0},
        {"allow_header_conformance", MH_SEV_WARNING, 0},
    };
    ck_assert_int_eq(MH_CHECK_COUNT, (int)(sizeof want / sizeof want[0]));
    ck_assert_uint_eq(mh_check_count, MH_CHECK_COUNT);
    for (int i = 0; i < MH_CHECK_COUNT; i++) {
        mh_check_id id = (mh_check_id)i;
        ck_assert_str_eq(mh_check_name(id), want[i].name);
        ck_assert_str_eq(mh_checks[i].name, want[i].name);
        ck_assert_int_eq(mh_check_severity(id), want[i].sev);
        ck_assert_int_eq(mh_check_is_security(id), want[i].security);
        ck_assert_int_eq(mh_check_parse(want[i].name), i);
        ck_assert_msg(*mh_check_description(id), "%s: no description", want[i].name);
        ck_assert_msg(*mh_check_sarif_text(id), "%s: no SARIF text", want[i].name);
    }
    ck_assert_int_eq(MH_CHECK_TRANSPORT_ERROR, 9);
}
END_TEST

START_TEST(check_catalogue_unknown_ids_and_names)
{
    ck_assert_int_eq(mh_check_parse("nope"), -1);
    ck_assert_int_eq(mh_check_parse(NULL), -1);
    ck_assert_int_eq(mh_check_parse("Ignored_Auth"), -1); /* names are exact */
    ck_assert_int_eq(mh_check_parse("ignored_auth "), -1);
    ck_assert_str_eq(mh_check_name(MH_CHECK_COUNT), "unknown");
    ck_assert_str_eq(mh_check_name((mh_check_id)-1), "unknown");
    ck_assert_int_eq(mh_check_severity(MH_CHECK_COUNT), MH_SEV_ERROR);
    ck_assert_str_eq(mh_check_description(MH_CHECK_COUNT), "");
    ck_assert_str_eq(mh_check_sarif_text(MH_CHECK_COUNT), "");
    ck_assert_int_eq(mh_check_is_security(MH_CHECK_COUNT), 0);
    ck_assert_int_eq(mh_check_enabled(0, MH_CHECK_COUNT), 0);
    ck_assert_int_eq(mh_check_enabled(0, MH_CHECK_IGNORED_AUTH), 1);
    ck_assert_int_eq(mh_check_enabled(MH_CHECK_BIT(MH_CHECK_IGNORED_AUTH), MH_CHECK_IGNORED_AUTH),
                     1);
    ck_assert_int_eq(
        mh_check_enabled(MH_CHECK_BIT(MH_CHECK_IGNORED_AUTH), MH_CHECK_TRANSPORT_ERROR), 0);
}
END_TEST

/* A finding by id takes name and severity from the catalogue; a finding
 * by name (a stored report read back) keeps an unknown name as is. */
START_TEST(check_finding_by_id_and_by_name)
{
    mh_result r;
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(mh_result_add_finding(&r, MH_CHECK_UNSUPPORTED_METHOD, NULL, "got %d", 200),
                     0);
    ck_assert_int_eq(r.findings[0].check_id, MH_CHECK_UNSUPPORTED_METHOD);
    ck_assert_ptr_eq(r.findings[0].check, mh_check_name(MH_CHECK_UNSUPPORTED_METHOD));
    ck_assert_int_eq(r.findings[0].severity, MH_SEV_WARNING);
    ck_assert_str_eq(r.findings[0].message, "got 200");
    ck_assert_str_eq(r.findings[0].path, "");
    char known[] = "ignored_auth", other[] = "custom_future_check";
    ck_assert_int_eq(mh_result_add_finding_named(&r, known, MH_SEV_WARNING, "/p", "m"), 0);
    ck_assert_int_eq(r.findings[1].check_id, MH_CHECK_IGNORED_AUTH);
    ck_assert_ptr_eq(r.findings[1].check, mh_check_name(MH_CHECK_IGNORED_AUTH)); /* static */
    ck_assert_int_eq(r.findings[1].severity, MH_SEV_WARNING); /* the stored severity */
    ck_assert_int_eq(mh_result_add_finding_named(&r, other, MH_SEV_ERROR, NULL, NULL), 0);
    ck_assert_int_eq(r.findings[2].check_id, MH_CHECK_COUNT);
    ck_assert_ptr_eq(r.findings[2].check, other); /* borrowed */
    ck_assert_str_eq(r.findings[2].message, "");
    char longmsg[3000];
    memset(longmsg, 'x', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    ck_assert_int_eq(mh_result_add_finding_named(&r, known, MH_SEV_ERROR, "", longmsg), 0);
    ck_assert_uint_eq(strlen(r.findings[3].message), 1023); /* like live messages */
    mh_result_clear(&r);
}
END_TEST

START_TEST(check_parse_list_known_and_unknown)
{
    unsigned long long m = 0;
    ck_assert_int_eq(mh_check_parse_list("not_a_server_error, ignored_auth", &m, NULL), MH_OK);
    ck_assert_uint_eq(m, MH_CHECK_BIT(MH_CHECK_NOT_A_SERVER_ERROR) |
                             MH_CHECK_BIT(MH_CHECK_IGNORED_AUTH));
    for (int i = 0; i < MH_CHECK_COUNT; i++) {
        ck_assert_int_eq(mh_check_parse_list(mh_check_name((mh_check_id)i), &m, NULL), MH_OK);
        ck_assert_uint_eq(m, MH_CHECK_BIT(i));
    }
    mh_error err;
    mh_error_clear(&err);
    m = 42;
    ck_assert_int_eq(mh_check_parse_list("ignored_auth,bogus_check", &m, &err), MH_ERR_USAGE);
    ck_assert_uint_eq(m, 42);
    ck_assert_ptr_nonnull(strstr(err.message, "bogus_check"));
    ck_assert_ptr_nonnull(strstr(err.message, "--checks"));
    ck_assert_ptr_nonnull(strstr(err.message, "allow_header_conformance"));
    ck_assert_int_eq(mh_check_parse_list("", &m, &err), MH_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "--checks"));
}
END_TEST

START_TEST(check_schema_pointer_in_path)
{
    const mh_operation *op = mh_spec_find_operation(contract, OP_ID, NULL);
    mh_result r;
    memset(&r, 0, sizeof r);
    const char *body = "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":\"403\"}}";
    mh_check_response(op, 403, JSON, body, strlen(body), 0, &r);
    ck_assert_uint_eq(r.finding_count, 1);
    ck_assert_str_eq(r.findings[0].check, "response_schema_conformance");
    ck_assert_str_eq(r.findings[0].path, "/errResponse/code");
    ck_assert_int_eq(r.findings[0].severity, MH_SEV_ERROR);
    mh_result_clear(&r);
}
END_TEST

/* Each strict-JSON rejection is one finding naming the rule and line:col. */
START_TEST(check_strict_json_rule_named)
{
    static const struct {
        const char *body;
        size_t len;
        const char *rule;
    } cases[] = {
        {OKBODY " x", 0, "trailing_data"},
        {"\xEF\xBB\xBF" OKBODY, 0, "bom"},
        {"{\"success\":true,\"message\":\"\xFF\"}", 0, "utf8"},
        {"{\"success\":true,\"message\":\"\\udc00\"}", 0, "surrogate"},
        {"{\"success\":true,\"success\":true,\"message\":\"m\"}", 0, "duplicate_key"},
        {"{\"success\":true,\"message\":NaN}", 0, "number"},
        {"{\"success\":true,\"message\":\"a\0b\"}", 32, "nul_byte"},
        {"", 0, "empty"},
    };
    const mh_operation *op = mh_spec_find_operation(contract, OP_ID, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mh_result r;
        memset(&r, 0, sizeof r);
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].body);
        mh_check_response(op, 200, JSON, cases[i].body, len, 0, &r);
        ck_assert_msg(r.finding_count == 1, "case %zu: %zu findings", i, r.finding_count);
        ck_assert_str_eq(r.findings[0].check, "response_schema_conformance");
        ck_assert_msg(strstr(r.findings[0].message, cases[i].rule) != NULL, "case %zu: %s", i,
                      r.findings[0].message);
        ck_assert_msg(strstr(r.findings[0].message, "1:") != NULL, "case %zu: no line:col: %s", i,
                      r.findings[0].message);
        mh_result_clear(&r);
    }
}
END_TEST

START_TEST(check_deep_nesting_rejected)
{
    const mh_operation *op = mh_spec_find_operation(contract, OP_ID, NULL);
    size_t depth = 100000;
    char *body = malloc(depth * 2 + 1);
    memset(body, '[', depth);
    memset(body + depth, ']', depth);
    body[depth * 2] = '\0';
    mh_result r;
    memset(&r, 0, sizeof r);
    mh_check_response(op, 200, JSON, body, depth * 2, 0, &r);
    ck_assert_uint_eq(r.finding_count, 1);
    ck_assert_ptr_nonnull(strstr(r.findings[0].message, "depth"));
    mh_result_clear(&r);
    free(body);
}
END_TEST

/* A synthetic spec exercising what the bundled contract does not. */
static const char *const synthetic =
    "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{"
    "\"/things\":{"
    " \"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}},"
    " \"post\":{\"requestBody\":{\"content\":{\"application/json\":{\"schema\":{\"type\":"
    "\"object\"}}}},"
    "  \"responses\":{"
    "   \"204\":{\"description\":\"no content\"},"
    "   \"2XX\":{\"description\":\"ok\",\"content\":{\"application/vnd.t+json\":{\"schema\":"
    "{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{\"id\":{\"type\":\"integer\"}}}"
    "}}},"
    "   \"default\":{\"description\":\"err\",\"content\":{\"application/problem+json\":"
    "{\"schema\":{\"type\":\"object\",\"required\":[\"title\"]}},\"text/plain\":{}}}"
    "}}},"
    "\"/many\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\",\"content\":"
    "{\"application/json\":{\"schema\":{\"type\":\"array\",\"items\":{\"type\":"
    "\"integer\"}}}}}}}}}}";

static mh_spec *load_synthetic(void)
{
    mh_spec *s = NULL;
    mh_error err;
    mh_error_clear(&err);
    mh_status st = mh_spec_load_buffer(synthetic, strlen(synthetic), "synthetic.json", &s, &err);
    ck_assert_msg(st == MH_OK, "synthetic spec: %s", err.message);
    return s;
}

static size_t response_findings(const mh_operation *op, int status, const char *ct,
                                const char *body, const char *want_check)
{
    mh_result r;
    memset(&r, 0, sizeof r);
    mh_check_response(op, status, ct, body, body ? strlen(body) : 0, 0, &r);
    size_t n = r.finding_count;
    if (want_check && n)
        ck_assert_str_eq(r.findings[0].check, want_check);
    mh_result_clear(&r);
    return n;
}

START_TEST(check_synthetic_ranges_default_and_no_content)
{
    mh_spec *s = load_synthetic();
    const mh_operation *op = mh_spec_find_operation(s, "POST /things", NULL);
    ck_assert_ptr_nonnull(op);
    /* 204 declares no content: empty body fine, a body is not. */
    ck_assert_uint_eq(response_findings(op, 204, NULL, NULL, NULL), 0);
    ck_assert_uint_eq(response_findings(op, 204, JSON, "{}", "content_type_conformance"), 1);
    /* 2XX range with a +json media type and a schema. */
    ck_assert_uint_eq(response_findings(op, 201, "application/vnd.t+json", "{\"id\":1}", NULL), 0);
    ck_assert_uint_eq(response_findings(op, 201, "application/vnd.t+json; charset=utf-8",
                                        "{\"id\":\"x\"}", "response_schema_conformance"),
                      1);
    ck_assert_uint_eq(response_findings(op, 201, JSON, "{\"id\":1}", "content_type_conformance"),
                      1);
    /* default covers any other status; text/plain without schema: not judged. */
    ck_assert_uint_eq(
        response_findings(op, 418, "application/problem+json", "{\"title\":\"t\"}", NULL), 0);
    ck_assert_uint_eq(
        response_findings(op, 503, "application/problem+json", "{}", "response_schema_conformance"),
        1);
    ck_assert_uint_eq(response_findings(op, 400, "text/plain", "not json at all", NULL), 0);
    ck_assert_uint_eq(response_findings(op, 400, NULL, "x", "content_type_conformance"), 1);
    mh_spec_free(s);
}
END_TEST

START_TEST(check_schema_findings_capped)
{
    mh_spec *s = load_synthetic();
    const mh_operation *op = mh_spec_find_operation(s, "GET /many", NULL);
    ck_assert_ptr_nonnull(op);
    char body[2048] = "[";
    for (int i = 0; i < 150; i++)
        strcat(body, i ? ",\"x\"" : "\"x\"");
    strcat(body, "]");
    mh_result r;
    memset(&r, 0, sizeof r);
    mh_check_response(op, 200, JSON, body, strlen(body), 0, &r);
    ck_assert_uint_eq(r.finding_count, 101);
    ck_assert_str_eq(r.findings[0].path, "/0");
    ck_assert_str_eq(r.findings[99].path, "/99");
    ck_assert_str_eq(r.findings[100].path, "");
    ck_assert_ptr_nonnull(strstr(r.findings[100].message, "50 more"));
    mh_result_clear(&r);
    /* Under the cap: every violation listed, nothing counted. */
    memset(&r, 0, sizeof r);
    mh_check_response(op, 200, JSON, "[\"a\",2,\"b\"]", 11, 0, &r);
    ck_assert_uint_eq(r.finding_count, 2);
    mh_result_clear(&r);
    mh_spec_free(s);
}
END_TEST

START_TEST(check_allow_lists_every_declared_method)
{
    mh_spec *s = load_synthetic();
    const mh_operation *op = mh_spec_find_operation(s, "POST /things", NULL);
    static const struct {
        const char *allow;
        size_t want;
    } cases[] = {
        {"POST", 1}, {"GET, POST", 0}, {"post,get", 0}, {"GET POST HEAD", 0}, {"GET", 1}, {"", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        row w = {"methods-put",
                 MH_SUITE_METHODS,
                 "PUT",
                 405,
                 NULL,
                 NULL,
                 "Allow",
                 cases[i].allow,
                 1,
                 0,
                 0,
                 0,
                 NULL,
                 P};
        mh_check_opts o = {NULL, 0, 0, s};
        mh_result r;
        build(&w, op, &r);
        mh_check_result(&o, &r);
        ck_assert_msg(r.finding_count == cases[i].want, "Allow '%s': %zu findings", cases[i].allow,
                      r.finding_count);
        if (r.finding_count) {
            ck_assert_str_eq(r.findings[0].check, "allow_header_conformance");
            ck_assert_int_eq(r.outcome, MH_OUTCOME_WARNING);
        }
        mh_result_clear(&r);
    }
    mh_spec_free(s);
}
END_TEST

START_TEST(check_null_opts_all_checks_on)
{
    const mh_operation *op = mh_spec_find_operation(contract, OP_ID, NULL);
    mh_result r;
    build(find_row("valid-500"), op, &r);
    mh_check_result(NULL, &r);
    ck_assert_uint_eq(r.finding_count, 2);
    ck_assert_int_eq(r.outcome, MH_OUTCOME_FAILED);
    mh_result_clear(&r);
    /* Without secrets, sensitive_data_exposure has nothing to look for. */
    build(find_row("valid-secret-in-body"), op, &r);
    mh_check_result(NULL, &r);
    ck_assert_uint_eq(r.finding_count, 0);
    ck_assert_int_eq(r.outcome, MH_OUTCOME_PASSED);
    mh_result_clear(&r);
}
END_TEST

START_TEST(check_secret_json_escaped_in_body_detected)
{
    mh_redactor *sec = mh_redactor_new();
    mh_redactor_add(sec, "zq\"wx/1", "$MANTA_SECRET");
    const mh_operation *op = mh_spec_find_operation(contract, OP_ID, NULL);
    row w = {"escaped", MH_SUITE_VALID,
             NULL,      200,
             JSON,      "{\"success\":true,\"message\":\"zq\\\"wx\\/1\"}",
             NULL,      NULL,
             1,         0,
             0,         1,
             NULL,      F};
    mh_check_opts o = {sec, 0, 0, NULL};
    mh_result r;
    build(&w, op, &r);
    mh_check_result(&o, &r);
    ck_assert_uint_eq(r.finding_count, 1);
    ck_assert_str_eq(r.findings[0].check, "sensitive_data_exposure");
    ck_assert_ptr_nonnull(strstr(r.findings[0].message, "$MANTA_SECRET"));
    ck_assert_ptr_null(strstr(r.findings[0].message, "zq"));
    mh_result_clear(&r);
    mh_redactor_free(sec);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("check");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_loop_test(t, check_table_rows_match, 0, (int)(sizeof rows / sizeof rows[0]));
    tcase_add_test(t, check_disabled_never_fires);
    tcase_add_test(t, check_parse_list_known_and_unknown);
    tcase_add_test(t, check_catalogue_names_severities_in_design_order);
    tcase_add_test(t, check_catalogue_unknown_ids_and_names);
    tcase_add_test(t, check_finding_by_id_and_by_name);
    tcase_add_test(t, check_schema_pointer_in_path);
    tcase_add_test(t, check_strict_json_rule_named);
    tcase_add_test(t, check_deep_nesting_rejected);
    tcase_add_test(t, check_synthetic_ranges_default_and_no_content);
    tcase_add_test(t, check_allow_lists_every_declared_method);
    tcase_add_test(t, check_schema_findings_capped);
    tcase_add_test(t, check_null_opts_all_checks_on);
    tcase_add_test(t, check_secret_json_escaped_in_body_detected);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
