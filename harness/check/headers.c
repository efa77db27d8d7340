/* headers.c — declared response headers: present when required, values that
 * match their schemas (headers.h). */
#include "check/headers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/check.h"
#include "manta/json_strict.h"
#include "manta/schema.h"
#include "util/buf.h"

/* Every field line named name, joined with ", "; NULL when absent or OOM.
 * Caller frees. */
static char *joined_value(const mh_exchange *x, const char *name)
{
    mh__buf b = MH__BUF_INIT;
    int found = 0;
    for (size_t i = 0; i < x->header_count; i++) {
        if (strcasecmp(x->headers[i].name, name) != 0)
            continue;
        if (found++)
            mh__buf_adds(&b, ", ");
        mh__buf_adds(&b, x->headers[i].value ? x->headers[i].value : "");
    }
    if (!found)
        return NULL;
    return mh__buf_take(&b, NULL);
}

/* The first type a schema source names ("integer", or the first non-null
 * entry of a 3.1 type list); NULL when it names none. */
static const char *type_of(const cJSON *src)
{
    const cJSON *t = mh_json_get(src, "type");
    if (cJSON_IsString(t))
        return t->valuestring;
    for (const cJSON *e = cJSON_IsArray(t) ? t->child : NULL; e; e = e->next)
        if (cJSON_IsString(e) && strcmp(e->valuestring, "null") != 0)
            return e->valuestring;
    return NULL;
}

/* s[0..n) trimmed of spaces and tabs, as a new string. */
static char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *t = malloc(n + 1);
    if (t) {
        memcpy(t, s, n);
        t[n] = '\0';
    }
    return t;
}

/* The instance a header text stands for under a schema of type type: a
 * JSON number or boolean when the text is one (else the text as a string, so
 * the validator names the type mismatch), a string otherwise. */
static cJSON *scalar_of(const char *text, const char *type)
{
    int numeric = type && (!strcmp(type, "integer") || !strcmp(type, "number"));
    int boolean = type && !strcmp(type, "boolean");
    if (numeric || boolean) {
        cJSON *v = NULL;
        if (mh_json_parse(text, strlen(text), NULL, &v, NULL) == MH_JSON_OK &&
            (numeric ? cJSON_IsNumber(v) : cJSON_IsBool(v)))
            return v;
        cJSON_Delete(v);
    }
    return cJSON_CreateString(text);
}

/* The instance of an array-typed header: its comma-separated items. */
static cJSON *array_of(const char *text, const cJSON *src)
{
    const char *item_type = type_of(mh_json_get(src, "items"));
    cJSON *arr = cJSON_CreateArray();
    for (const char *p = text; arr && *text;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *one = trimmed(p, n);
        cJSON *v = one ? scalar_of(one, item_type) : NULL;
        free(one);
        if (!v) {
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, v);
        if (!comma)
            break;
        p = comma + 1;
    }
    return arr;
}

static int json_like(const char *mt)
{
    size_t n = strcspn(mt, ";");
    return (n == 16 && strncasecmp(mt, "application/json", 16) == 0) ||
           (n > 5 && strncasecmp(mt + n - 5, "+json", 5) == 0);
}

/* check.h's mask rule (0 = every check on), here so this file calls nothing
 * of check.c (check.c calls it). */
static int on(unsigned long long en)
{
    return en == 0 || (en & MH_CHECK_BIT(MH_CHECK_RESPONSE_HEADERS_CONFORMANCE)) != 0;
}

static void add(mh_result *r, unsigned long long en, const char *fmt, const char *a, const char *b,
                const char *c)
{
    if (on(en))
        mh_result_add_finding(r, MH_CHECK_RESPONSE_HEADERS_CONFORMANCE, "", fmt, a, b, c);
}

/* Judges one present header's value against its declaration. */
static void judge_value(const mh_header_decl *h, const char *text, unsigned long long en,
                        mh_result *r)
{
    const cJSON *src = h->schema ? mh_schema_source(h->schema) : NULL;
    const char *type = type_of(src);
    cJSON *inst = NULL;
    if (h->content_type && json_like(h->content_type)) {
        if (mh_json_parse(text, strlen(text), NULL, &inst, NULL) != MH_JSON_OK) {
            add(r, en, "header %s: expected %s text, got \"%.200s\"", h->name, h->content_type,
                text);
            return;
        }
    } else if (!h->schema || (type && !strcmp(type, "object")))
        return; /* nothing to hold it against, or a serialisation we cannot know */
    else
        inst = type && !strcmp(type, "array") ? array_of(text, src) : scalar_of(text, type);
    mh_violations v = {0};
    if (inst && h->schema && mh_schema_validate(h->schema, inst, MH_DIR_RESPONSE, &v) > 0) {
        for (size_t i = 0; i < v.count; i++) {
            const char *ptr = v.items[i].pointer;
            add(r, en, "header %s: %s%s", h->name, ptr[0] ? ptr : "", ptr[0] ? ": " : "");
            /* the message is kept separate: it may hold '%' */
            mh_finding *f = &r->findings[r->finding_count - 1];
            if (on(en) && f->message) {
                mh__buf m = MH__BUF_INIT;
                mh__buf_adds(&m, f->message);
                mh__buf_adds(&m, v.items[i].message);
                char *joined = mh__buf_take(&m, NULL);
                if (joined) {
                    free(f->message);
                    f->message = joined;
                }
            }
        }
    }
    mh_violations_free(&v);
    cJSON_Delete(inst);
}

void mh__check_headers(const mh_operation *op, const mh_exchange *x, unsigned long long enabled,
                       mh_result *r)
{
    const mh_response *resp = op ? mh_operation_response(op, x->status) : NULL;
    for (size_t i = 0; resp && i < resp->header_count; i++) {
        const mh_header_decl *h = &resp->headers[i];
        char *text = joined_value(x, h->name);
        if (!text) {
            if (h->required)
                add(r, enabled, "expected the required header %s in a %s answer, it is absent%s",
                    h->name, resp->status, "");
            continue;
        }
        judge_value(h, text, enabled, r);
        free(text);
    }
}
