/* responses.c — request bodies, responses and the headers they declare
 * (spec_int.h), and the lookups that pick a response for a status and a
 * media type for a Content-Type (spec.h). Uses loader.c only.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/json_strict.h"
#include "spec/spec_int.h"
#include "util/jsonptr.h"

/* ------------------------------------------------------------------ */
/* loading */

mh_status mh__spec_load_body(mh__loader *L, const cJSON *node, const char *at, mh_operation *op)
{
    if (!node)
        return MH_OK;
    const cJSON *rb;
    char *where = NULL;
    mh_status st = mh__spec_deref_object(L, node, at, "requestBody", &rb, &where);
    if (st != MH_OK)
        return st;
    op->body_required = cJSON_IsTrue(mh_json_get(rb, "required"));
    char *cp = mh__jsonptr_append(where, "content");
    free(where);
    if (!cp)
        return mh__spec_nomem(L);
    st = mh__spec_content(L, mh_json_get(rb, "content"), cp, &op->body, &op->body_count);
    free(cp);
    return st;
}

/* One header declaration: it (a Header object or its $ref, at pointer at). */
static mh_status load_header(mh__loader *L, const cJSON *it, const char *at, mh_header_decl *h)
{
    const cJSON *obj;
    char *where = NULL;
    mh_status st = mh__spec_deref_object(L, it, at, "a header", &obj, &where);
    if (st != MH_OK)
        return st;
    char what[128];
    snprintf(what, sizeof what, "header \"%.100s\"", it->string);
    mh__spec_value v;
    st = mh__spec_value_load(L, obj, where, what, &v);
    free(where);
    h->name = it->string;
    h->required = cJSON_IsTrue(mh_json_get(obj, "required"));
    h->schema = v.schema;
    h->content_type = v.content_type;
    return st;
}

/* r->headers from the response's "headers" map (at pointer at). A
 * "Content-Type" entry is left out: OpenAPI says it is ignored (the media
 * types say what it may be). */
static mh_status load_headers(mh__loader *L, const cJSON *headers, const char *at, mh_response *r)
{
    if (!headers)
        return MH_OK;
    if (!cJSON_IsObject(headers))
        return mh__spec_err(L, at, "headers must be an object%s", "");
    mh_header_decl *h = mh__spec_alloc(L->sp, (size_t)mh__spec_count_members(headers) * sizeof *h);
    if (!h)
        return mh__spec_nomem(L);
    r->headers = h;
    for (const cJSON *it = headers->child; it; it = it->next) {
        if (strcasecmp(it->string, "Content-Type") == 0)
            continue;
        char *hp = mh__jsonptr_append(at, it->string);
        mh_status st = hp ? load_header(L, it, hp, &h[r->header_count]) : mh__spec_nomem(L);
        free(hp);
        if (st != MH_OK)
            return st;
        r->header_count++;
    }
    return MH_OK;
}

static mh_status load_response(mh__loader *L, const cJSON *node, const char *at, mh_response *r)
{
    const cJSON *obj;
    char *where = NULL;
    mh_status st = mh__spec_deref_object(L, node, at, "a response", &obj, &where);
    if (st != MH_OK)
        return st;
    r->status = node->string;
    const cJSON *d = mh_json_get(obj, "description");
    r->description = cJSON_IsString(d) ? d->valuestring : "";
    char *cp = mh__jsonptr_append(where, "content");
    char *hp = mh__jsonptr_append(where, "headers");
    free(where);
    st = cp && hp ? mh__spec_content(L, mh_json_get(obj, "content"), cp, &r->media, &r->media_count)
                  : mh__spec_nomem(L);
    if (st == MH_OK)
        st = load_headers(L, mh_json_get(obj, "headers"), hp, r);
    free(cp);
    free(hp);
    return st;
}

mh_status mh__spec_load_responses(mh__loader *L, const cJSON *resps, const char *at,
                                  mh_operation *op)
{
    /* OpenAPI 3.1 makes "responses" optional: then nothing about the answer
     * is declared (status, media type and body are not judged). 3.0 requires
     * a non-empty object. */
    if (L->sp->minor >= 1 && !resps)
        return MH_OK;
    if (!cJSON_IsObject(resps) || !resps->child)
        return mh__spec_err(L, at, "an operation needs a non-empty \"responses\" object%s", "");
    mh_response *r = mh__spec_alloc(L->sp, (size_t)mh__spec_count_members(resps) * sizeof *r);
    if (!r)
        return mh__spec_nomem(L);
    op->responses = r;
    for (const cJSON *it = resps->child; it; it = it->next) {
        char *rp = mh__jsonptr_append(at, it->string);
        if (!rp)
            return mh__spec_nomem(L);
        mh_status st = load_response(L, it, rp, &r[op->response_count]);
        free(rp);
        if (st != MH_OK)
            return st;
        op->response_count++;
    }
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* lookups (spec.h) */

const mh_response *mh_operation_response(const mh_operation *op, int status)
{
    char code[16];
    snprintf(code, sizeof code, "%d", status);
    for (size_t i = 0; i < op->response_count; i++)
        if (strcmp(op->responses[i].status, code) == 0)
            return &op->responses[i];
    if (status >= 100 && status <= 599) {
        for (size_t i = 0; i < op->response_count; i++) {
            const char *s = op->responses[i].status;
            if (strlen(s) == 3 && s[0] == '0' + status / 100 &&
                toupper((unsigned char)s[1]) == 'X' && toupper((unsigned char)s[2]) == 'X')
                return &op->responses[i];
        }
    }
    for (size_t i = 0; i < op->response_count; i++)
        if (strcmp(op->responses[i].status, "default") == 0)
            return &op->responses[i];
    return NULL;
}

/* Bounds of the type/subtype part of a media type: whitespace trimmed,
 * parameters dropped. */
static void media_essence(const char *s, const char **start, size_t *len)
{
    while (*s == ' ' || *s == '\t')
        s++;
    const char *e = s;
    while (*e && *e != ';')
        e++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *start = s;
    *len = (size_t)(e - s);
}

const mh_media *mh_response_media(const mh_response *r, const char *content_type)
{
    if (!r || !content_type)
        return NULL;
    const char *ct;
    size_t ctlen;
    media_essence(content_type, &ct, &ctlen);
    const char *slash = memchr(ct, '/', ctlen);
    size_t typelen = slash ? (size_t)(slash - ct) : 0;
    const mh_media *range = NULL, *any = NULL;
    for (size_t i = 0; i < r->media_count; i++) {
        const char *m;
        size_t mlen;
        media_essence(r->media[i].media_type, &m, &mlen);
        if (mlen == ctlen && ctlen && strncasecmp(m, ct, ctlen) == 0)
            return &r->media[i];
        if (!slash || !typelen)
            continue; /* wildcards only cover a real type/subtype */
        if (mlen == 3 && strncmp(m, "*/*", 3) == 0)
            any = any ? any : &r->media[i];
        else if (mlen == typelen + 2 && strncasecmp(m, ct, typelen) == 0 &&
                 strncmp(m + typelen, "/*", 2) == 0)
            range = range ? range : &r->media[i];
    }
    return range ? range : any;
}
