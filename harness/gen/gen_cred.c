/* gen_cred.c — the credentials of security schemes: whether an operation is
 * secured, which alternative of its security the requests carry (the first
 * one all of whose schemes are configured), and where each credential goes:
 * Authorization (Bearer or Basic), or an API key as a header, a query
 * parameter or a cookie, as the auth cases vary it (g->cred). Above
 * gen_util.c and gen_style.c, below gen_case.c, gen_op.c and gen_auth.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gen_internal.h"
#include "manta/credential.h"

int mh__cred_bearer(const mh_security_scheme *s)
{
    return s->type == MH_SCHEME_HTTP_BEARER || s->type == MH_SCHEME_OAUTH2 ||
           s->type == MH_SCHEME_OPENID;
}

int mh__cred_wants_token(const mh_operation *op)
{
    for (size_t i = 0; !op->skip_reason && i < op->security_count; i++)
        for (size_t k = 0; k < op->security[i].count; k++)
            if (mh__cred_bearer(op->security[i].schemes[k]))
                return 1;
    return 0;
}

/* The configured API key of the scheme called name (the last one given
 * wins); NULL when none. */
static const char *api_key_of(const mh_gen_opts *o, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; i < o->api_key_count; i++)
        if (o->api_keys[i].scheme && strcmp(o->api_keys[i].scheme, name) == 0)
            v = o->api_keys[i].value;
    return v;
}

const char *mh__cred_api_key(const mh__gen *g, const mh_security_scheme *s)
{
    return s->type == MH_SCHEME_API_KEY ? api_key_of(g->o, s->name) : NULL;
}

/* 1 when the credential of s is configured in o. */
static int configured(const mh_gen_opts *o, const mh_security_scheme *s)
{
    if (mh__cred_bearer(s))
        return o->token || o->jwt_key;
    if (s->type == MH_SCHEME_HTTP_BASIC)
        return o->basic != NULL;
    if (s->type == MH_SCHEME_API_KEY)
        return api_key_of(o, s->name) != NULL;
    return 0; /* another http scheme, mutualTLS: nothing can be configured */
}

/* The alternative of op the requests carry: the first whose schemes are
 * all configured (the anonymous {} has none to configure); NULL when none
 * is. *secured: op has requirements and none of them is anonymous. */
static const mh_security_req *choose(const mh_gen_opts *o, const mh_operation *op, int *secured)
{
    *secured = op->security_count > 0;
    for (size_t i = 0; i < op->security_count; i++)
        if (op->security[i].count == 0)
            *secured = 0;
    for (size_t i = 0; i < op->security_count; i++) {
        const mh_security_req *r = &op->security[i];
        size_t k = 0;
        while (k < r->count && configured(o, r->schemes[k]))
            k++;
        if (k == r->count)
            return r;
    }
    return NULL;
}

/* What to give for scheme s, after "security scheme NAME: ". */
static void hint(mh__buf *b, const mh_security_scheme *s)
{
    if (mh__cred_bearer(s))
        mh__buf_adds(b, "give --token or --jwt-key (or MANTA_TOKEN / MANTA_JWT_KEY)");
    else if (s->type == MH_SCHEME_HTTP_BASIC)
        mh__buf_adds(b, "give --basic USER:PASS (or MANTA_BASIC)");
    else if (s->type == MH_SCHEME_API_KEY)
        mh__buf_addf(b, "give --api-key %s=...", s->name);
    else if (s->http_scheme)
        mh__buf_addf(b,
                     "the http scheme %s cannot be configured (bearer and basic can, and "
                     "apiKey, oauth2 and openIdConnect)",
                     s->http_scheme);
    else
        mh__buf_adds(b, "its type cannot be configured (http bearer and basic, apiKey, oauth2 "
                        "and openIdConnect can)");
}

/* "no credentials for security scheme A: give ...; or security scheme B:
 * give ..." over every alternative of op (the schemes of each that are not
 * configured). New string; NULL on OOM. */
static char *missing_reason(const mh_gen_opts *o, const mh_operation *op)
{
    mh__buf b = MH__BUF_INIT;
    mh__buf_adds(&b, "no credentials for ");
    for (size_t i = 0; i < op->security_count && b.len < 600; i++) {
        const mh_security_req *r = &op->security[i];
        if (i)
            mh__buf_adds(&b, "; or ");
        int first = 1;
        for (size_t k = 0; k < r->count; k++) {
            if (configured(o, r->schemes[k]))
                continue;
            mh__buf_addf(&b, "%ssecurity scheme %s: ", first ? "" : ", and ", r->schemes[k]->name);
            hint(&b, r->schemes[k]);
            first = 0;
        }
    }
    return mh__buf_take(&b, NULL);
}

mh_gen_access mh_gen_op_access(const mh_gen_opts *o, const mh_operation *op, char **why)
{
    if (why)
        *why = NULL;
    int secured = 0;
    const mh_security_req *r = op->skip_reason ? NULL : choose(o, op, &secured);
    if (op->skip_reason || !secured)
        return MH_GEN_PUBLIC;
    if (r)
        return MH_GEN_CREDENTIALS;
    if (why)
        *why = missing_reason(o, op);
    return MH_GEN_NO_CREDENTIALS;
}

mh_status mh__cred_init(mh__gen *g, mh_error *err)
{
    if (!g->o->basic)
        return MH_OK;
    char *b64 = mh_credential_basic_b64(g->o->basic);
    g->basic_header = b64 ? mh__printf(g, "Basic %s", b64) : NULL;
    free(b64);
    return g->basic_header ? MH_OK : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
}

mh_status mh__cred_setup(mh__gen *g, mh_error *err)
{
    g->req = choose(g->o, g->op, &g->secured);
    g->use_bearer = 0;
    for (size_t k = 0; g->req && k < g->req->count; k++)
        g->use_bearer = g->use_bearer || mh__cred_bearer(g->req->schemes[k]);
    if (g->use_bearer && !g->token)
        g->req = NULL; /* cannot happen: the plan minted or copied the token */
    if (g->req || !g->secured)
        return MH_OK;
    g->no_creds = missing_reason(g->o, g->op);
    if (!g->no_creds)
        g->oom = 1;
    return g->no_creds ? MH_OK : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
}

int mh__cred_authorization(mh__gen *g, mh_case *c)
{
    for (size_t k = 0; g->req && k < g->req->count; k++) {
        const mh_security_scheme *s = g->req->schemes[k];
        if (mh__cred_bearer(s)) {
            char *auth = mh__printf(g, "Bearer %s", g->token);
            int rc = auth ? mh_case_add_header(c, "Authorization", auth) : -1;
            free(auth);
            return rc;
        }
        if (s->type == MH_SCHEME_HTTP_BASIC && g->basic_header)
            return mh_case_add_header(c, "Authorization", g->basic_header);
    }
    return 0;
}

/* Where and with what value the API key of s goes in this request: *in is
 * its location ("header", "query", "cookie"); NULL when it is left out. */
static const char *api_key_sent(const mh__gen *g, const mh_security_scheme *s, const char **in)
{
    *in = s->in;
    if (g->cred.scheme != s)
        return mh__cred_api_key(g, s);
    switch (g->cred.mode) {
    case MH__CRED_OMIT:
        return NULL;
    case MH__CRED_VALUE:
        return g->cred.value;
    case MH__CRED_MOVE:
        *in = g->cred.in;
        return mh__cred_api_key(g, s);
    default:
        return mh__cred_api_key(g, s);
    }
}

/* Calls fn for every API key of the request that goes in location in. */
typedef void (*key_fn)(mh__gen *g, const mh_security_scheme *s, const char *value, void *ctx);

static void each_key(mh__gen *g, const char *in, key_fn fn, void *ctx)
{
    for (size_t k = 0; g->req && k < g->req->count; k++) {
        const mh_security_scheme *s = g->req->schemes[k];
        const char *where = NULL;
        const char *v = s->type == MH_SCHEME_API_KEY ? api_key_sent(g, s, &where) : NULL;
        if (v && strcmp(where, in) == 0)
            fn(g, s, v, ctx);
    }
}

static void add_header(mh__gen *g, const mh_security_scheme *s, const char *value, void *ctx)
{
    if (mh_case_add_header(ctx, s->param_name, value) != 0)
        g->oom = 1;
}

int mh__cred_headers(mh__gen *g, mh_case *c)
{
    each_key(g, "header", add_header, c);
    return g->oom ? -1 : 0;
}

void mh__cred_remove_headers(mh__gen *g, mh_case *c)
{
    for (size_t k = 0; g->req && k < g->req->count; k++)
        if (g->req->schemes[k]->type == MH_SCHEME_API_KEY)
            mh_case_remove_header(c, g->req->schemes[k]->param_name);
}

/* "name=value" of the API key of s as a form parameter in location in. */
static char *pair(mh__gen *g, const mh_security_scheme *s, const char *value, const char *in)
{
    mh_param p = {.name = s->param_name, .in = in, .style = MH_STYLE_FORM, .explode = 1};
    cJSON *v = cJSON_CreateString(value);
    char *t = v ? mh__param_serialize(&p, v) : NULL;
    cJSON_Delete(v);
    if (!t)
        g->oom = 1;
    return t;
}

typedef struct {
    mh__buf *b;
    int *first; /* query: a '?' is due */
} join_ctx;

static void add_query(mh__gen *g, const mh_security_scheme *s, const char *value, void *ctx)
{
    join_ctx *j = ctx;
    char *t = pair(g, s, value, "query");
    if (t) {
        mh__buf_add(j->b, *j->first ? "?" : "&", 1);
        mh__buf_adds(j->b, t);
        *j->first = 0;
    }
    free(t);
}

void mh__cred_query(mh__gen *g, mh__buf *b, int *first)
{
    join_ctx j = {b, first};
    each_key(g, "query", add_query, &j);
}

static void add_cookie(mh__gen *g, const mh_security_scheme *s, const char *value, void *ctx)
{
    mh__buf *b = ctx;
    char *t = pair(g, s, value, "cookie");
    if (t) {
        if (b->len)
            mh__buf_adds(b, "; ");
        mh__buf_adds(b, t);
    }
    free(t);
}

void mh__cred_cookies(mh__gen *g, mh__buf *cookie)
{
    each_key(g, "cookie", add_cookie, cookie);
}
