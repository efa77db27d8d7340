/* check.c — the checks of DESIGN.md (contract: check.h). */
#include "manta/check.h"
#include "check/headers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/json_strict.h"
#include "manta/schema.h"

/* Schema findings listed per body before the rest are only counted. */
#define MAX_SCHEMA_FINDINGS 100

_Static_assert(MH_CHECK_COUNT <= 64, "a check mask has 64 bits");

int mh_check_enabled(unsigned long long mask, mh_check_id id)
{
    if ((unsigned)id >= MH_CHECK_COUNT)
        return 0;
    return mask == 0 || (mask & MH_CHECK_BIT(id)) != 0;
}

/* "a, b, c" of every check name, truncated to fit n. */
static void known_checks(char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < MH_CHECK_COUNT && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "",
                                 mh_check_name((mh_check_id)i));
}

mh_status mh_check_parse_list(const char *list, unsigned long long *mask, mh_error *err)
{
    unsigned long long m = 0;
    const char *p = list ? list : "";
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end == start)
            continue;
        char name[64];
        size_t n = (size_t)(end - start);
        int i = -1;
        if (n < sizeof name) {
            memcpy(name, start, n);
            name[n] = '\0';
            i = mh_check_parse(name);
        }
        if (i < 0) {
            char known[400];
            known_checks(known, sizeof known);
            return mh_error_set(err, MH_ERR_USAGE, "--checks: unknown check '%.*s' (known: %s)",
                                (int)(n > 64 ? 64 : n), start, known);
        }
        m |= MH_CHECK_BIT(i);
    }
    if (m == 0)
        return mh_error_set(err, MH_ERR_USAGE, "--checks: empty list of checks");
    *mask = m;
    return MH_OK;
}

/* Appends a finding of check id when it is enabled; name and severity come
 * from the catalogue, so they can never disagree with it. */
static void add(mh_result *r, unsigned long long enabled, mh_check_id id, const char *path,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add(mh_result *r, unsigned long long enabled, mh_check_id id, const char *path,
                const char *fmt, ...)
{
    if (!mh_check_enabled(enabled, id))
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mh_result_add_finding(r, id, path, "%s", msg);
}

/* Copies the media type of a Content-Type value (no parameters, trimmed)
 * into buf; "" when absent. */
static void media_type_of(const char *ct, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!ct || n == 0)
        return;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    size_t len = strcspn(ct, ";");
    while (len > 0 && (ct[len - 1] == ' ' || ct[len - 1] == '\t'))
        len--;
    if (len >= n)
        len = n - 1;
    memcpy(buf, ct, len);
    buf[len] = '\0';
}

/* application/json or any type/subtype+json, case-insensitively. */
static int is_json_media(const char *ct)
{
    char mt[256];
    media_type_of(ct, mt, sizeof mt);
    size_t n = strlen(mt);
    if (strcasecmp(mt, "application/json") == 0)
        return 1;
    return n > 5 && strchr(mt, '/') && strcasecmp(mt + n - 5, "+json") == 0;
}

/* "200, 401, 403" into buf. */
static void declared_statuses(const mh_operation *op, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < op->response_count && used < n; i++)
        used +=
            (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", op->responses[i].status);
}

static void declared_media(const mh_response *resp, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < resp->media_count && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "",
                                 resp->media[i].media_type);
}

/* Parses body strictly; on rejection appends one finding and returns NULL. */
static cJSON *parse_strict(const char *body, size_t len, unsigned long long enabled, mh_result *r)
{
    cJSON *tree = NULL;
    mh_json_error je;
    memset(&je, 0, sizeof je);
    mh_json_rule rule = mh_json_parse(body ? body : "", body ? len : 0, NULL, &tree, &je);
    if (rule == MH_JSON_OK)
        return tree;
    add(r, enabled, MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE, "",
        "expected strict RFC 8259 JSON, got %s at %d:%d: %s", mh_json_rule_name(rule), je.line,
        je.column, je.message);
    return NULL;
}

static size_t schema_findings(const mh_schema *s, const cJSON *tree, unsigned long long enabled,
                              mh_result *r)
{
    mh_violations v = {0};
    size_t n = mh_schema_validate(s, tree, MH_DIR_RESPONSE, &v);
    /* A hostile body can break the schema a million times; a report needs
     * the first ones and the count. */
    size_t shown = v.count < MAX_SCHEMA_FINDINGS ? v.count : MAX_SCHEMA_FINDINGS;
    for (size_t i = 0; i < shown; i++)
        add(r, enabled, MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE, v.items[i].pointer, "%s",
            v.items[i].message);
    if (v.count > shown)
        add(r, enabled, MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE, "",
            "%zu more schema violations not listed", v.count - shown);
    mh_violations_free(&v);
    return n;
}

size_t mh_check_body_schema(const mh_schema *s, const char *body, size_t body_len,
                            unsigned long long enabled, mh_result *r)
{
    size_t before = r->finding_count;
    cJSON *tree = parse_strict(body, body_len, enabled, r);
    if (tree && s)
        schema_findings(s, tree, enabled, r);
    cJSON_Delete(tree);
    return r->finding_count - before;
}

/* Judges the Content-Type; returns the matched declared media or NULL. */
static const mh_media *check_media(const mh_response *resp, int status, const char *ct,
                                   size_t body_len, unsigned long long enabled, mh_result *r)
{
    if (resp->media_count == 0) {
        if (body_len > 0)
            add(r, enabled, MH_CHECK_CONTENT_TYPE_CONFORMANCE, "",
                "status %d declares no content, got a body of %zu bytes (Content-Type %.100s)",
                status, body_len, ct ? ct : "absent");
        return NULL;
    }
    char want[512];
    declared_media(resp, want, sizeof want);
    if (!ct || !*ct) {
        add(r, enabled, MH_CHECK_CONTENT_TYPE_CONFORMANCE, "",
            "expected Content-Type %s for status %d, got no Content-Type", want, status);
        return NULL;
    }
    const mh_media *m = mh_response_media(resp, ct);
    if (!m)
        add(r, enabled, MH_CHECK_CONTENT_TYPE_CONFORMANCE, "",
            "expected Content-Type %s for status %d, got %.200s", want, status, ct);
    return m;
}

void mh_check_response(const mh_operation *op, int status, const char *content_type,
                       const char *body, size_t body_len, unsigned long long enabled, mh_result *r)
{
    if (!op || !r || op->response_count == 0) /* 3.1: no responses declared, none judged */
        return;
    const mh_response *resp = mh_operation_response(op, status);
    if (!resp) {
        char want[512];
        declared_statuses(op, want, sizeof want);
        add(r, enabled, MH_CHECK_STATUS_CODE_CONFORMANCE, "",
            "expected a declared status (%s) for %s, got %d", want, op->id, status);
        return;
    }
    const mh_media *m = check_media(resp, status, content_type, body_len, enabled, r);
    /* Only a body claimed to be (and declared as) JSON with a schema is judged
     * against that schema: a wrong media type was reported above already. */
    if (!m || !m->schema || !is_json_media(content_type))
        return;
    if (!mh_check_enabled(enabled, MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE))
        return;
    mh_check_body_schema(m->schema, body, body_len, enabled, r);
}

static int is_2xx(int s)
{
    return s >= 200 && s <= 299;
}

/* 1 when the method name occurs in an Allow-style list ("GET, POST"). */
static int list_has_method(const char *list, const char *method, size_t mlen)
{
    const char *p = list;
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, ", \t");
        if (n == mlen && strncasecmp(p, method, n) == 0)
            return 1;
        p += n;
    }
    return 0;
}

/* 1 when any Allow field line lists the method: a list header may be split
 * over several field lines (RFC 9110 section 5.3), "Allow: GET" then
 * "Allow: POST" meaning "Allow: GET, POST". */
static int allow_lists(const mh_exchange *x, const char *method, size_t mlen)
{
    for (size_t i = 0; i < x->header_count; i++) {
        const mh_header *h = &x->headers[i];
        if (h->name && h->value && strcasecmp(h->name, "Allow") == 0 &&
            list_has_method(h->value, method, mlen))
            return 1;
    }
    return 0;
}

static void check_allow(const mh_check_opts *o, const mh_result *r, mh_result *out)
{
    const mh_exchange *x = &r->exchange;
    const mh_operation *op = r->kase ? r->kase->op : NULL;
    const char *declared = NULL;
    if (op && o && o->spec)
        declared = mh_spec_path_methods(o->spec, op->path);
    if ((!declared || !*declared) && op)
        declared = op->method;
    const char *allow = mh_exchange_header(x, "Allow");
    if (!allow) {
        add(out, o ? o->enabled : 0, MH_CHECK_ALLOW_HEADER_CONFORMANCE, "",
            "expected an Allow header listing %s on a 405 answer, got none",
            declared ? declared : "the declared methods");
        return;
    }
    if (!declared)
        return;
    const char *p = declared;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        if (n && !allow_lists(x, p, n)) {
            add(out, o ? o->enabled : 0, MH_CHECK_ALLOW_HEADER_CONFORMANCE, "",
                "expected the Allow header to list %s, got \"%.200s\"", declared, allow);
            return;
        }
        p += n;
    }
}

/* 1 when a string (member name or value) of the tree contains a secret. */
static int tree_contains(const mh_redactor *secrets, const cJSON *n, const char **which)
{
    for (; n; n = n->next) {
        if (n->string && mh_redact_contains(secrets, n->string, strlen(n->string), which))
            return 1;
        if (cJSON_IsString(n) && n->valuestring &&
            mh_redact_contains(secrets, n->valuestring, strlen(n->valuestring), which))
            return 1;
        if (n->child && tree_contains(secrets, n->child, which))
            return 1;
    }
    return 0;
}

/* A JSON body may spell a secret with any escapes (Go writes '&' as \u0026,
 * Python non-ASCII as \uXXXX): the raw search misses those, so the decoded
 * strings are searched too. Only a body with a backslash can differ from its
 * decoded strings; parsed leniently (cJSON, nesting capped at
 * CJSON_NESTING_LIMIT) so a body with other faults is still searched. */
static int json_strings_contain(const mh_redactor *secrets, const char *body, size_t len,
                                const char **which)
{
    if (!memchr(body, '\\', len))
        return 0;
    cJSON *tree = cJSON_ParseWithLength(body, len);
    int hit = tree && tree_contains(secrets, tree, which);
    cJSON_Delete(tree);
    return hit;
}

/* sensitive_data_exposure: one finding per place (body, each header). */
static void check_secrets(const mh_check_opts *o, mh_result *r)
{
    if (!o || !o->secrets)
        return;
    const mh_exchange *x = &r->exchange;
    const char *which = NULL;
    if (x->body && (mh_redact_contains(o->secrets, x->body, x->body_len, &which) ||
                    json_strings_contain(o->secrets, x->body, x->body_len, &which)))
        add(r, o->enabled, MH_CHECK_SENSITIVE_DATA_EXPOSURE, "",
            "expected no secret in the answer, the body contains %s", which);
    if (x->reason && mh_redact_contains(o->secrets, x->reason, strlen(x->reason), &which))
        add(r, o->enabled, MH_CHECK_SENSITIVE_DATA_EXPOSURE, "",
            "expected no secret in the answer, the status line's reason phrase contains %s", which);
    int ct_seen = 0;
    for (size_t i = 0; i < x->header_count; i++) {
        const mh_header *h = &x->headers[i];
        if (h->name && strcasecmp(h->name, "Content-Type") == 0)
            ct_seen = 1;
        if (h->value && mh_redact_contains(o->secrets, h->value, strlen(h->value), &which))
            add(r, o->enabled, MH_CHECK_SENSITIVE_DATA_EXPOSURE, "",
                "expected no secret in the answer, header %.100s contains %s",
                h->name ? h->name : "?", which);
    }
    if (!ct_seen && x->content_type &&
        mh_redact_contains(o->secrets, x->content_type, strlen(x->content_type), &which))
        add(r, o->enabled, MH_CHECK_SENSITIVE_DATA_EXPOSURE, "",
            "expected no secret in the answer, header Content-Type contains %s", which);
}

/* A top-level boolean "success" member contradicting the status class. */
static void check_success_flag(unsigned long long enabled, mh_result *r)
{
    const mh_exchange *x = &r->exchange;
    if (!mh_check_enabled(enabled, MH_CHECK_SUCCESS_FLAG_CONSISTENCY) || !x->body ||
        x->body_len == 0)
        return;
    if (!is_json_media(x->content_type))
        return;
    int ok = is_2xx(x->status), bad = x->status >= 400 && x->status <= 599;
    if (!ok && !bad)
        return;
    cJSON *tree = NULL;
    if (mh_json_parse(x->body, x->body_len, NULL, &tree, NULL) != MH_JSON_OK)
        return; /* a malformed body is response_schema_conformance's business */
    const cJSON *flag = mh_json_get(tree, "success");
    if (flag && cJSON_IsBool(flag)) {
        if (ok && cJSON_IsFalse(flag))
            add(r, enabled, MH_CHECK_SUCCESS_FLAG_CONSISTENCY, "/success",
                "expected success: true with status %d, got false", x->status);
        else if (bad && cJSON_IsTrue(flag))
            add(r, enabled, MH_CHECK_SUCCESS_FLAG_CONSISTENCY, "/success",
                "expected success: false with error status %d, got true", x->status);
    }
    cJSON_Delete(tree);
}

static void check_methods_suite(const mh_check_opts *o, unsigned long long en, mh_result *r)
{
    const mh_exchange *x = &r->exchange;
    const char *method = r->kase && r->kase->method ? r->kase->method : "?";
    if (is_2xx(x->status))
        add(r, en, MH_CHECK_UNSUPPORTED_METHOD, "",
            "expected an undeclared method (%.20s) to be refused, got %d", method, x->status);
    if (x->status == 405 && mh_check_enabled(en, MH_CHECK_ALLOW_HEADER_CONFORMANCE))
        check_allow(o, r, r);
}

static void check_suite_expectation(const mh_case *k, unsigned long long en, mh_result *r)
{
    int st = r->exchange.status;
    switch (k->suite) {
    case MH_SUITE_MALFORMED:
        if (is_2xx(st))
            add(r, en, MH_CHECK_NEGATIVE_DATA_REJECTION, "",
                "expected a malformed request to be rejected with a 4xx, got %d", st);
        break;
    case MH_SUITE_FUZZ:
        if (is_2xx(st) && !k->body_schema_valid)
            add(r, en, MH_CHECK_NEGATIVE_DATA_REJECTION, "",
                "expected a schema-invalid request to be rejected with a 4xx, got %d", st);
        break;
    case MH_SUITE_VALID:
        /* 429 was retried by the transport; still 429 means inconclusive.
         * A case that does not demand 2xx takes any declared status
         * (status_code_conformance judges the rest). */
        if (!is_2xx(st) && st != 429 && !k->any_declared_status)
            add(r, en, MH_CHECK_POSITIVE_DATA_ACCEPTANCE, "",
                "expected a valid request to be accepted with a 2xx, got %d", st);
        break;
    case MH_SUITE_AUTH:
        if (is_2xx(st))
            add(r, en, MH_CHECK_IGNORED_AUTH, "",
                "expected a request with bad credentials to be refused, got %d", st);
        break;
    default:
        break;
    }
}

/* Rewrites every finding from index `from` through the redactor. */
static void redact_findings(const mh_redactor *secrets, mh_result *r, size_t from)
{
    if (!secrets)
        return;
    for (size_t i = from; i < r->finding_count; i++) {
        mh_finding *f = &r->findings[i];
        char *m = mh_redact(secrets, f->message, strlen(f->message));
        char *p = mh_redact(secrets, f->path, strlen(f->path));
        if (m) {
            free(f->message);
            f->message = m;
        }
        if (p) {
            free(f->path);
            f->path = p;
        }
        /* On OOM keep a message that cannot leak rather than the original. */
        if (!m && f->message)
            f->message[0] = '\0';
        if (!p && f->path)
            f->path[0] = '\0';
    }
}

static mh_outcome outcome_of(const mh_result *r)
{
    int err = 0, warn = 0;
    for (size_t i = 0; i < r->finding_count; i++) {
        if (r->findings[i].severity == MH_SEV_ERROR)
            err = 1;
        else
            warn = 1;
    }
    if (err)
        return MH_OUTCOME_FAILED;
    /* A final 429 means the case was never judged by the server, whether or
     * not the transport's retry budget ran out. */
    if (r->exchange.rate_limited || r->exchange.status == 429)
        return MH_OUTCOME_INCONCLUSIVE;
    return warn ? MH_OUTCOME_WARNING : MH_OUTCOME_PASSED;
}

static void check_exchange(const mh_check_opts *o, unsigned long long en, mh_result *r)
{
    const mh_exchange *x = &r->exchange;
    const mh_case *k = r->kase;
    if (x->error != MH_XFER_OK) {
        add(r, en, MH_CHECK_TRANSPORT_ERROR, "", "expected a complete HTTP answer, got %s: %.300s",
            mh_xfer_error_name(x->error), x->error_text ? x->error_text : "no detail");
        return;
    }
    if (x->status >= 500 && x->status <= 599)
        add(r, en, MH_CHECK_NOT_A_SERVER_ERROR, "", "expected no server error, got %d", x->status);
    check_secrets(o, r);
    if (k && k->suite == MH_SUITE_METHODS) {
        check_methods_suite(o, en, r);
        return;
    }
    if (k && k->op) {
        mh_check_response(k->op, x->status, x->content_type, x->body, x->body_len, en, r);
        mh__check_headers(k->op, x, en, r);
    }
    if (k)
        check_suite_expectation(k, en, r);
    check_success_flag(en, r);
    if (o && o->max_response_time_ms > 0 && x->elapsed_ms > (double)o->max_response_time_ms)
        add(r, en, MH_CHECK_MAX_RESPONSE_TIME, "", "expected an answer within %ld ms, took %.1f ms",
            o->max_response_time_ms, x->elapsed_ms);
}

void mh_check_result(const mh_check_opts *o, mh_result *r)
{
    if (!r)
        return;
    unsigned long long en = o ? o->enabled : 0;
    size_t from = r->finding_count;
    check_exchange(o, en, r);
    redact_findings(o ? o->secrets : NULL, r, from);
    r->outcome = outcome_of(r);
}
