#define _GNU_SOURCE
#include "manta/casefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/fileio.h"
#include "manta/json_strict.h"
#include "manta/jwt.h"
#include "util/utf8.h"

/* A case file holds one request; anything this large is not one. */
#define MAX_CASEFILE ((size_t)512 << 20)

/* 1 when b[0..n) is UTF-8 without NUL bytes, so it can be stored as text. */
static int printable_text(const char *b, size_t n)
{
    return mh__utf8_valid(b, n) && !memchr(b, '\0', n);
}

static cJSON *case_json(const mh_case *k, const mh_redactor *red)
{
    cJSON *c = cJSON_CreateObject();
    char *target = mh_redact(red, k->target, strlen(k->target));
    cJSON_AddStringToObject(c, "id", k->id);
    cJSON_AddStringToObject(c, "suite", mh_suite_name(k->suite));
    /* Only a case reported under another "METHOD /path" than its operation's. */
    if (k->operation && (!k->op || strcmp(k->operation, k->op->id) != 0))
        cJSON_AddStringToObject(c, "operation", k->operation);
    cJSON_AddStringToObject(c, "method", k->method);
    cJSON_AddStringToObject(c, "target", target ? target : "");
    free(target);
    cJSON *hs = cJSON_AddArrayToObject(c, "headers");
    for (size_t i = 0; i < k->header_count; i++) {
        char *v = mh_redact(red, k->headers[i].value, strlen(k->headers[i].value));
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateString(k->headers[i].name));
        cJSON_AddItemToArray(pair, cJSON_CreateString(v ? v : ""));
        cJSON_AddItemToArray(hs, pair);
        free(v);
    }
    if (k->body) {
        size_t n = 0;
        char *b = mh_redact_len(red, k->body, k->body_len, &n);
        char *b64 = b ? mh_base64url_encode((const unsigned char *)b, n) : NULL;
        /* The text form is for people; body_base64 is what replay sends. */
        cJSON_AddStringToObject(c, "body",
                                b && printable_text(b, n) ? b : "(binary: see body_base64)");
        cJSON_AddStringToObject(c, "body_base64", b64 ? b64 : "");
        free(b);
        free(b64);
    } else {
        cJSON_AddNullToObject(c, "body");
    }
    cJSON_AddBoolToObject(c, "body_schema_valid", k->body_schema_valid);
    return c;
}

static cJSON *findings_json(const mh_result *r, const mh_redactor *red)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < r->finding_count; i++) {
        const mh_finding *f = &r->findings[i];
        char *m = mh_redact(red, f->message, strlen(f->message));
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "check", f->check);
        cJSON_AddStringToObject(o, "severity", f->severity == MH_SEV_ERROR ? "error" : "warning");
        cJSON_AddStringToObject(o, "message", m ? m : "");
        cJSON_AddStringToObject(o, "path", f->path ? f->path : "");
        cJSON_AddItemToArray(a, o);
        free(m);
    }
    return a;
}

static mh_status put_text(void *ctx, FILE *f, mh_error *err)
{
    (void)err;
    return fputs(ctx, f) >= 0 && fputc('\n', f) != EOF ? MH_OK : MH_ERR_IO;
}

mh_status mh_casefile_write(const char *path, const mh_result *r, const mh_redactor *red,
                            const char *spec_path, const char *base_url, uint64_t seed,
                            mh_error *err)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "tool", "manta-harness");
    cJSON_AddStringToObject(doc, "kind", "case");
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON_AddStringToObject(doc, "spec", spec_path ? spec_path : "");
    const mh_operation *op = r->kase->op;
    cJSON_AddStringToObject(doc, "operation", op ? op->id : mh_case_operation(r->kase));
    if (op && op->operation_id && *op->operation_id)
        cJSON_AddStringToObject(doc, "operation_id", op->operation_id);
    cJSON_AddStringToObject(doc, "base_url", base_url ? base_url : "");
    char seedbuf[32];
    snprintf(seedbuf, sizeof seedbuf, "%llu", (unsigned long long)seed);
    cJSON_AddItemToObject(doc, "seed", cJSON_CreateRaw(seedbuf));
    cJSON_AddItemToObject(doc, "case", case_json(r->kase, red));
    cJSON *resp = cJSON_AddObjectToObject(doc, "response");
    cJSON_AddNumberToObject(resp, "status", r->exchange.status);
    if (r->exchange.content_type)
        cJSON_AddStringToObject(resp, "content_type", r->exchange.content_type);
    cJSON_AddItemToObject(doc, "findings", findings_json(r, red));
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    mh_status st = mh_file_write_atomic(path, "", put_text, text, err);
    cJSON_free(text);
    if (st != MH_OK)
        mh_error_at_file(err, path, 0, 0, -1);
    return st;
}

static const char *get_string(const cJSON *o, const char *key)
{
    const cJSON *v = mh_json_get(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* 1 when s is a non-empty RFC 9110 token (a method or a header name). */
static int is_token(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("!#$%&'*+-.^_`|~", *s)))
            return 0;
    return 1;
}

/* 1 when s has no control byte but tab: a hand-edited file must not turn a
 * header value or the target into extra header lines. */
static int is_field_text(const char *s)
{
    for (; *s; s++)
        if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
            return 0;
    return 1;
}

static int load_headers(mh_case *k, const cJSON *hs)
{
    const cJSON *pair;
    cJSON_ArrayForEach(pair, hs)
    {
        const cJSON *n = cJSON_GetArrayItem(pair, 0), *v = cJSON_GetArrayItem(pair, 1);
        if (!cJSON_IsString(n) || !cJSON_IsString(v) || !is_token(n->valuestring) ||
            !is_field_text(v->valuestring) || mh_case_add_header(k, n->valuestring, v->valuestring))
            return -1;
    }
    return 0;
}

static mh_status load_case(const cJSON *c, mh_casefile *out, mh_error *err)
{
    const char *id = get_string(c, "id"), *method = get_string(c, "method"),
               *target = get_string(c, "target"), *suite = get_string(c, "suite"),
               *b64 = get_string(c, "body_base64");
    const cJSON *hs = mh_json_get(c, "headers");
    if (!id || !method || !target || !suite || !cJSON_IsArray(hs)) {
        mh_error_at_pointer(err, "/case");
        return mh_error_set(err, MH_ERR_SPEC,
                            "not a manta-harness case file: case needs id, "
                            "suite, method, target and headers");
    }
    if (!is_token(method) || target[0] != '/' || !is_field_text(target)) {
        mh_error_at_pointer(err, is_token(method) ? "/case/target" : "/case/method");
        return mh_error_set(err, MH_ERR_SPEC,
                            is_token(method) ? "target must be a path starting with '/', "
                                               "without control characters"
                                             : "method must be an HTTP token (letters, digits, "
                                               "!#$%%&'*+-.^_`|~)");
    }
    mh_case *k = out->kase = mh_case_new();
    if (!k)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    k->id = strdup(id);
    k->method = strdup(method);
    k->target = strdup(target);
    int s = mh_suite_parse(suite);
    k->suite = s < 0 ? MH_SUITE_FUZZ : (mh_suite)s;
    k->body_schema_valid = cJSON_IsTrue(mh_json_get(c, "body_schema_valid"));
    const char *label = get_string(c, "operation");
    if (label && !is_field_text(label)) {
        mh_error_at_pointer(err, "/case/operation");
        return mh_error_set(err, MH_ERR_SPEC, "operation must be \"METHOD /path\" text");
    }
    if (label && !(k->operation = strdup(label)))
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    if (load_headers(k, hs)) {
        mh_error_at_pointer(err, "/case/headers");
        return mh_error_set(err, MH_ERR_SPEC,
                            "headers must be [name, value] string pairs (names HTTP tokens, "
                            "values without control characters)");
    }
    if (b64) {
        unsigned char *body = NULL;
        size_t n = 0;
        if (mh_base64url_decode(b64, strlen(b64), &body, &n) ||
            mh_case_set_body(k, (const char *)body, n)) {
            free(body);
            mh_error_at_pointer(err, "/case/body_base64");
            return mh_error_set(err, MH_ERR_SPEC, "body_base64 is not base64url");
        }
        free(body);
    }
    return k->id && k->method && k->target ? MH_OK
                                           : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
}

mh_status mh_casefile_load(const char *path, mh_casefile *out, mh_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len = 0;
    char *text = NULL;
    mh_status st = mh_file_read(path, MAX_CASEFILE, &text, &len, err);
    if (st != MH_OK)
        return st;
    cJSON *doc = NULL;
    mh_json_error je;
    mh_json_rule rule = mh_json_parse(text, len, NULL, &doc, &je);
    free(text);
    if (rule != MH_JSON_OK)
        return mh_json_error_describe(err, rule, &je, path, "case file");
    const char *op = get_string(doc, "operation");
    const cJSON *c = mh_json_get(doc, "case");
    st = MH_OK;
    if (!op || !cJSON_IsObject(c)) {
        mh_error_at_file(err, path, 0, 0, -1);
        st = mh_error_set(err, MH_ERR_SPEC,
                          "not a manta-harness case file (needs operation "
                          "and case)");
    } else {
        out->operation = strdup(op);
        const char *op_id = get_string(doc, "operation_id");
        out->operation_id = op_id && *op_id ? strdup(op_id) : NULL;
        out->spec = strdup(get_string(doc, "spec") ? get_string(doc, "spec") : "");
        out->base_url = strdup(get_string(doc, "base_url") ? get_string(doc, "base_url") : "");
        const cJSON *seed = mh_json_get(doc, "seed");
        out->seed = cJSON_IsNumber(seed) ? strtoull(seed->valuestring, NULL, 10) : 0;
        st = load_case(c, out, err);
        if (st != MH_OK)
            mh_error_at_file(err, path, 0, 0, -1);
    }
    cJSON_Delete(doc);
    if (st != MH_OK)
        mh_casefile_free(out);
    return st;
}

void mh_casefile_free(mh_casefile *f)
{
    if (!f)
        return;
    free(f->spec);
    free(f->operation);
    free(f->operation_id);
    free(f->base_url);
    mh_case_free(f->kase);
    memset(f, 0, sizeof *f);
}

/* Replaces every placeholder in s[0..*len) by its value; new buffer in *out. */
static int fill_bytes(const char *s, size_t len, const char *const names[3],
                      const char *const values[3], char **out, size_t *out_len)
{
    size_t cap = len + 1, n = 0;
    for (int i = 0; i < 3; i++)
        if (values[i])
            cap += len / strlen(names[i]) * strlen(values[i]);
    char *b = malloc(cap);
    if (!b)
        return -1;
    for (size_t at = 0; at < len;) {
        int hit = -1;
        for (int i = 0; i < 3 && hit < 0; i++)
            if (values[i] && len - at >= strlen(names[i]) &&
                memcmp(s + at, names[i], strlen(names[i])) == 0)
                hit = i;
        if (hit < 0) {
            b[n++] = s[at++];
            continue;
        }
        memcpy(b + n, values[hit], strlen(values[hit]));
        n += strlen(values[hit]);
        at += strlen(names[hit]);
    }
    b[n] = '\0';
    *out = b;
    *out_len = n;
    return 0;
}

int mh_casefile_fill(mh_case *c, const char *token, const char *jwt_key, const char *secret)
{
    static const char *const names[3] = {"$MANTA_TOKEN", "$MANTA_JWT_KEY", "$MANTA_SECRET"};
    const char *const values[3] = {token, jwt_key, secret};
    char *b;
    size_t n;
    if (fill_bytes(c->target, strlen(c->target), names, values, &b, &n))
        return -1;
    free(c->target);
    c->target = b;
    for (size_t i = 0; i < c->header_count; i++) {
        if (fill_bytes(c->headers[i].value, strlen(c->headers[i].value), names, values, &b, &n))
            return -1;
        free(c->headers[i].value);
        c->headers[i].value = b;
    }
    if (c->body) {
        if (fill_bytes(c->body, c->body_len, names, values, &b, &n))
            return -1;
        free(c->body);
        c->body = b;
        c->body_len = n;
    }
    return 0;
}
