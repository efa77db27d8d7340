/* security.c — components/securitySchemes and each operation's effective
 * security requirements (spec_int.h), and the scheme accessors (spec.h).
 * Uses loader.c only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/json_strict.h"
#include "spec/spec_int.h"
#include "util/jsonptr.h"

#define SCHEMES "/components/securitySchemes"

/* ------------------------------------------------------------------ */
/* schemes */

/* The string member key of obj (at pointer at), or an error naming the
 * scheme and the member. */
static mh_status need_string(mh__loader *L, const cJSON *obj, const char *at, const char *key,
                             const char *scheme, const char **out)
{
    const cJSON *v = mh_json_get(obj, key);
    if (cJSON_IsString(v) && v->valuestring[0]) {
        *out = v->valuestring;
        return MH_OK;
    }
    char msg[300];
    snprintf(msg, sizeof msg, "security scheme \"%.100s\" needs a string \"%s\"", scheme, key);
    char *kp = mh__jsonptr_append(at, key);
    mh_status st = kp ? mh__spec_err(L, kp, "%s", msg) : mh__spec_nomem(L);
    free(kp);
    return st;
}

/* An apiKey scheme: "in" (header, query or cookie) and "name". */
static mh_status load_api_key(mh__loader *L, const cJSON *obj, const char *at,
                              mh_security_scheme *s)
{
    mh_status st = need_string(L, obj, at, "in", s->name, &s->in);
    if (st == MH_OK && strcmp(s->in, "header") != 0 && strcmp(s->in, "query") != 0 &&
        strcmp(s->in, "cookie") != 0) {
        char *ip = mh__jsonptr_append(at, "in");
        st = ip ? mh__spec_err(L, ip,
                               "security scheme \"%s\": \"in\" must be header, query or cookie",
                               s->name)
                : mh__spec_nomem(L);
        free(ip);
    }
    if (st == MH_OK)
        st = need_string(L, obj, at, "name", s->name, &s->param_name);
    s->type = MH_SCHEME_API_KEY;
    return st;
}

/* The scheme object obj (at pointer at, $refs followed) into s. */
static mh_status load_scheme_at(mh__loader *L, const cJSON *obj, const char *at,
                                mh_security_scheme *s)
{
    const char *type = NULL;
    mh_status st = need_string(L, obj, at, "type", s->name, &type);
    if (st != MH_OK)
        return st;
    if (strcmp(type, "http") == 0) {
        st = need_string(L, obj, at, "scheme", s->name, &s->http_scheme);
        if (st == MH_OK && strcasecmp(s->http_scheme, "bearer") == 0)
            s->type = MH_SCHEME_HTTP_BEARER;
        else if (st == MH_OK && strcasecmp(s->http_scheme, "basic") == 0)
            s->type = MH_SCHEME_HTTP_BASIC;
        else
            s->type = MH_SCHEME_OTHER;
        return st;
    }
    if (strcmp(type, "apiKey") == 0)
        return load_api_key(L, obj, at, s);
    if (strcmp(type, "oauth2") == 0)
        s->type = MH_SCHEME_OAUTH2;
    else if (strcmp(type, "openIdConnect") == 0)
        s->type = MH_SCHEME_OPENID;
    else if (strcmp(type, "mutualTLS") == 0)
        s->type = MH_SCHEME_OTHER;
    else {
        char *tp = mh__jsonptr_append(at, "type");
        st = tp ? mh__spec_err(L, tp, "security scheme \"%s\": unknown type", s->name)
                : mh__spec_nomem(L);
        free(tp);
    }
    return st;
}

/* The scheme entry it of components/securitySchemes into s. Errors say why
 * it cannot be used (MH_ERR_SPEC/MH_ERR_REF, pointer set). */
static mh_status load_scheme(mh__loader *L, const cJSON *it, mh_security_scheme *s)
{
    memset(s, 0, sizeof *s);
    s->name = it->string;
    char *at = mh__jsonptr_append(SCHEMES, it->string);
    if (!at)
        return mh__spec_nomem(L);
    const cJSON *obj;
    char *where = NULL;
    mh_status st = mh__spec_deref_object(L, it, at, "a security scheme", &obj, &where);
    free(at);
    if (st == MH_OK)
        st = load_scheme_at(L, obj, where, s);
    free(where);
    return st;
}

mh_status mh__spec_load_schemes(mh__loader *L)
{
    const cJSON *all = mh_json_get(mh_json_get(L->sp->doc, "components"), "securitySchemes");
    if (!cJSON_IsObject(all))
        return MH_OK;
    mh_security_scheme *list =
        mh__spec_alloc(L->sp, (size_t)mh__spec_count_members(all) * sizeof *list);
    if (!list)
        return mh__spec_nomem(L);
    L->sp->schemes = list;
    /* A scheme that cannot be used is only left out here; an operation
     * that needs it reloads it with the real error (find_scheme). */
    mh_error scratch;
    mh__loader quiet = *L;
    quiet.err = &scratch;
    for (const cJSON *it = all->child; it; it = it->next) {
        mh_status st = load_scheme(&quiet, it, &list[L->sp->scheme_count]);
        if (st == MH_ERR_NOMEM)
            return mh__spec_nomem(L);
        if (st == MH_OK)
            L->sp->scheme_count++;
    }
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* requirements */

/* The usable scheme name, for a requirement found at pointer at; an
 * undefined one, or one that cannot be used, is the error. */
static mh_status find_scheme(mh__loader *L, const char *name, const char *at,
                             const mh_security_scheme **out)
{
    *out = mh_spec_find_scheme(L->sp, name);
    if (*out)
        return MH_OK;
    const cJSON *all = mh_json_get(mh_json_get(L->sp->doc, "components"), "securitySchemes");
    const cJSON *node = cJSON_IsObject(all) ? mh_json_get(all, name) : NULL;
    if (!node) {
        mh_error_set(L->err, MH_ERR_SPEC, "security requirement names unknown scheme \"%s\"", name);
        mh_error_at_pointer(L->err, at);
        return MH_ERR_SPEC;
    }
    mh_security_scheme again;
    mh_status st = load_scheme(L, node, &again);
    /* Loaded once already and refused: the same answer again. */
    return st != MH_OK ? st : mh__spec_err(L, at, "security scheme \"%s\" cannot be used", name);
}

/* One requirement object req (at pointer at) into r; bearer is set when it
 * names an http bearer scheme. */
static mh_status load_requirement(mh__loader *L, const cJSON *req, const char *at,
                                  mh_security_req *r, int *bearer)
{
    if (!cJSON_IsObject(req))
        return mh__spec_err(L, at, "a security requirement must be an object%s", "");
    size_t n = (size_t)mh__spec_count_members(req);
    const mh_security_scheme **list = mh__spec_alloc(L->sp, n * sizeof *list);
    if (!list)
        return mh__spec_nomem(L);
    r->schemes = list;
    for (const cJSON *s = req->child; s; s = s->next) {
        mh_status st = find_scheme(L, s->string, at, &list[r->count]);
        if (st != MH_OK)
            return st;
        *bearer |= list[r->count]->type == MH_SCHEME_HTTP_BEARER;
        r->count++;
    }
    return MH_OK;
}

mh_status mh__spec_load_security(mh__loader *L, const cJSON *opnode, const char *opat,
                                 mh_operation *op)
{
    const cJSON *sec = mh_json_get(opnode, "security");
    char *at = sec ? mh__jsonptr_append(opat, "security") : strdup("/security");
    if (!at)
        return mh__spec_nomem(L);
    if (!sec)
        sec = mh_json_get(L->sp->doc, "security");
    mh_status st = MH_OK;
    if (sec && !cJSON_IsArray(sec))
        st = mh__spec_err(L, at, "security must be an array%s", "");
    size_t n = st == MH_OK ? (size_t)mh__spec_count_members(sec) : 0;
    mh_security_req *reqs = n ? mh__spec_alloc(L->sp, n * sizeof *reqs) : NULL;
    if (n && !reqs)
        st = mh__spec_nomem(L);
    for (const cJSON *req = n ? sec->child : NULL; req && st == MH_OK; req = req->next)
        st = load_requirement(L, req, at, &reqs[op->security_count++], &op->bearer_auth);
    op->security = reqs;
    free(at);
    return st;
}

/* ------------------------------------------------------------------ */
/* accessors (spec.h) */

size_t mh_spec_scheme_count(const mh_spec *spec)
{
    return spec->scheme_count;
}

const mh_security_scheme *mh_spec_scheme(const mh_spec *spec, size_t i)
{
    return i < spec->scheme_count ? &spec->schemes[i] : NULL;
}

const mh_security_scheme *mh_spec_find_scheme(const mh_spec *spec, const char *name)
{
    for (size_t i = 0; i < spec->scheme_count; i++)
        if (strcmp(spec->schemes[i].name, name) == 0)
            return &spec->schemes[i];
    return NULL;
}
