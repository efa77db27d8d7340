#include "manta/model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const suite_names[MH_SUITE_COUNT] = {"valid", "boundary", "malformed",
                                                        "auth",  "methods",  "fuzz"};

const char *mh_suite_name(mh_suite s)
{
    return (unsigned)s < MH_SUITE_COUNT ? suite_names[s] : "unknown";
}

int mh_suite_parse(const char *name)
{
    for (int i = 0; i < MH_SUITE_COUNT; i++)
        if (name && strcmp(name, suite_names[i]) == 0)
            return i;
    return -1;
}

const char *mh_xfer_error_name(mh_xfer_error e)
{
    static const char *const names[] = {"ok",  "timeout",   "connect",  "reset",
                                        "tls", "too_large", "protocol", "other"};
    return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : "other";
}

const char *mh_outcome_name(mh_outcome o)
{
    static const char *const names[] = {"passed", "failed", "warning", "inconclusive", "skipped"};
    return (unsigned)o < sizeof names / sizeof names[0] ? names[o] : "unknown";
}

mh_case *mh_case_new(void)
{
    return calloc(1, sizeof(mh_case));
}

static void free_headers(mh_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].name);
        free(h[i].value);
    }
    free(h);
}

void mh_case_free(mh_case *c)
{
    if (!c)
        return;
    free(c->id);
    free(c->method);
    free(c->target);
    free_headers(c->headers, c->header_count);
    free(c->body);
    free(c->description);
    free(c->operation);
    free(c->skip_reason);
    free(c->skip_pointer);
    free(c);
}

int mh_case_add_header(mh_case *c, const char *name, const char *value)
{
    mh_header *h = realloc(c->headers, (c->header_count + 1) * sizeof *h);
    if (!h)
        return -1;
    c->headers = h;
    char *n = strdup(name), *v = strdup(value ? value : "");
    if (!n || !v) {
        free(n);
        free(v);
        return -1;
    }
    h[c->header_count].name = n;
    h[c->header_count].value = v;
    c->header_count++;
    return 0;
}

void mh_exchange_clear(mh_exchange *x)
{
    if (!x)
        return;
    free(x->error_text);
    free(x->content_type);
    free(x->reason);
    free_headers(x->headers, x->header_count);
    free(x->body);
    memset(x, 0, sizeof *x);
}

/* Appends one finding with a copy of message and path; -1 on OOM. */
static int append_finding(mh_result *r, mh_check_id id, const char *name, mh_severity sev,
                          const char *path, const char *message)
{
    mh_finding *f = realloc(r->findings, (r->finding_count + 1) * sizeof *f);
    if (!f)
        return -1;
    r->findings = f;
    f = &r->findings[r->finding_count];
    f->check_id = id;
    f->check = name;
    f->severity = sev;
    f->known = 0;
    f->message = strdup(message);
    f->path = strdup(path ? path : "");
    if (!f->message || !f->path) {
        free(f->message);
        free(f->path);
        return -1;
    }
    r->finding_count++;
    return 0;
}

int mh_result_add_finding(mh_result *r, mh_check_id check, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return append_finding(r, check, mh_check_name(check), mh_check_severity(check), path, msg);
}

int mh_result_add_finding_named(mh_result *r, const char *check, mh_severity sev, const char *path,
                                const char *message)
{
    char msg[1024]; /* the same cap as live findings' messages */
    snprintf(msg, sizeof msg, "%s", message ? message : "");
    int id = mh_check_parse(check);
    if (id >= 0)
        check = mh_check_name((mh_check_id)id); /* static, as live findings have */
    return append_finding(r, id >= 0 ? (mh_check_id)id : MH_CHECK_COUNT, check, sev, path, msg);
}

void mh_result_clear(mh_result *r)
{
    if (!r)
        return;
    mh_case_free(r->kase);
    mh_exchange_clear(&r->exchange);
    for (size_t i = 0; i < r->finding_count; i++) {
        free(r->findings[i].message);
        free(r->findings[i].path);
    }
    free(r->findings);
    memset(r, 0, sizeof *r);
}

void mh_results_free(mh_result *results, size_t n)
{
    for (size_t i = 0; results && i < n; i++)
        mh_result_clear(&results[i]);
    free(results);
}

const char *mh_exchange_header(const mh_exchange *x, const char *name)
{
    for (size_t i = 0; i < x->header_count; i++)
        if (strcasecmp(x->headers[i].name, name) == 0)
            return x->headers[i].value;
    return NULL;
}

int mh_case_set_body(mh_case *c, const char *body, size_t len)
{
    char *copy = NULL;
    if (body) {
        copy = malloc(len + 1);
        if (!copy)
            return -1;
        memcpy(copy, body, len);
        copy[len] = '\0';
    }
    free(c->body);
    c->body = copy;
    c->body_len = body ? len : 0;
    return 0;
}

void mh_case_remove_header(mh_case *c, const char *name)
{
    size_t w = 0;
    for (size_t i = 0; i < c->header_count; i++) {
        if (strcasecmp(c->headers[i].name, name) == 0) {
            free(c->headers[i].name);
            free(c->headers[i].value);
            continue;
        }
        c->headers[w++] = c->headers[i];
    }
    c->header_count = w;
}

static char *dup_or_null(const char *s, int *failed)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *failed = 1;
    return d;
}

mh_case *mh_case_clone(const mh_case *c)
{
    mh_case *k = mh_case_new();
    if (!k)
        return NULL;
    int failed = 0;
    k->suite = c->suite;
    k->op = c->op;
    k->body_schema_valid = c->body_schema_valid;
    k->any_declared_status = c->any_declared_status;
    k->id = dup_or_null(c->id, &failed);
    k->method = dup_or_null(c->method, &failed);
    k->target = dup_or_null(c->target, &failed);
    k->description = dup_or_null(c->description, &failed);
    k->operation = dup_or_null(c->operation, &failed);
    k->skip_reason = dup_or_null(c->skip_reason, &failed);
    k->skip_pointer = dup_or_null(c->skip_pointer, &failed);
    for (size_t i = 0; i < c->header_count && !failed; i++)
        failed = mh_case_add_header(k, c->headers[i].name, c->headers[i].value) != 0;
    if (!failed && c->body)
        failed = mh_case_set_body(k, c->body, c->body_len) != 0;
    if (failed) {
        mh_case_free(k);
        return NULL;
    }
    return k;
}

const char *mh_case_operation(const mh_case *c)
{
    if (c && c->operation)
        return c->operation;
    return c && c->op && c->op->id ? c->op->id : "";
}

const char *mh_case_operation_id(const mh_case *c)
{
    if (!c || !c->op || !c->op->operation_id || !*c->op->operation_id)
        return NULL;
    /* A case reported under another "METHOD /path" (methods) is not the
     * operation's own, so it does not carry its operationId. */
    if (c->operation && (!c->op->id || strcmp(c->operation, c->op->id) != 0))
        return NULL;
    return c->op->operation_id;
}

const char *mh_case_operation_key(const mh_case *c)
{
    const char *id = mh_case_operation_id(c);
    return id ? id : mh_case_operation(c);
}

char *mh_case_skip_pointer(const mh_case *c)
{
    if (!c)
        return NULL;
    if (c->skip_pointer)
        return *c->skip_pointer ? strdup(c->skip_pointer) : NULL;
    const mh_operation *op = c->op;
    if (!op || !op->skip_reason || !op->skip_pointer || !*op->skip_pointer)
        return NULL;
    if (!op->skip_file)
        return strdup(op->skip_pointer);
    size_t n = strlen(op->skip_file) + strlen(op->skip_pointer) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s#%s", op->skip_file, op->skip_pointer);
    return s;
}
