/* gen_op.c — one operation's inputs for the suites: its security (from
 * gen_cred.c), what its body is (and its top-level properties), its
 * parameters' values, what its requests accept, and whether its valid
 * cases may demand a 2xx. Above gen_cred.c, gen_param.c and gen_value.c,
 * below gen.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gen_internal.h"
#include "manta/credential.h"
#include "manta/json_strict.h"
#include "manta/schema.h"

/* The media type of mt (no parameters, no surrounding blanks) compared
 * case-insensitively with want; want "+json" matches any +json suffix. */
static int media_is(const char *mt, const char *want)
{
    while (*mt == ' ')
        mt++;
    size_t n = strcspn(mt, ";");
    while (n && mt[n - 1] == ' ')
        n--;
    size_t w = strlen(want);
    if (want[0] == '+')
        return n > w && strncasecmp(mt + n - w, want, w) == 0;
    return n == w && strncasecmp(mt, want, w) == 0;
}

static int is_json_media(const char *mt)
{
    return media_is(mt, "application/json") || media_is(mt, "+json");
}

static int is_object_schema(mh__gen *g, const mh_media *m)
{
    const char *t = m->schema ? mh__type(g, mh_schema_source(m->schema)) : NULL;
    return t && strcmp(t, "object") == 0;
}

/* The first media type that is of kind want, or NULL. */
static const mh_media *find_media(mh__gen *g, mh__body_kind want)
{
    const mh_operation *op = g->op;
    for (size_t i = 0; i < op->body_count; i++) {
        const mh_media *m = &op->body[i];
        switch (want) {
        case MH__BODY_JSON_VALUE:
            if (m->schema && is_json_media(m->media_type))
                return m;
            break;
        case MH__BODY_FORM:
            if (media_is(m->media_type, "application/x-www-form-urlencoded") &&
                is_object_schema(g, m))
                return m;
            break;
        case MH__BODY_MULTIPART:
            if (media_is(m->media_type, "multipart/form-data") && is_object_schema(g, m))
                return m;
            break;
        case MH__BODY_EXAMPLE:
            if (m->example)
                return m;
            break;
        default:
            break;
        }
    }
    return NULL;
}

/* "a, b" of the body's media types, for the unsendable reason. */
static char *media_list(mh__gen *g)
{
    mh__buf b = MH__BUF_INIT;
    mh__buf_add(&b, "", 0);
    for (size_t i = 0; i < g->op->body_count && b.len < 300; i++)
        mh__buf_addf(&b, "%s%s", i ? ", " : "", g->op->body[i].media_type);
    return mh__gen_take(g, &b, NULL);
}

/* Chooses the body: JSON (object or other), form, multipart, an example,
 * or none; an unsendable required body sets g->unsendable. */
static mh_status choose_body(mh__gen *g, mh_error *err)
{
    static const mh__body_kind order[] = {MH__BODY_JSON_VALUE, MH__BODY_FORM, MH__BODY_MULTIPART,
                                          MH__BODY_EXAMPLE};
    g->kind = MH__BODY_NONE;
    for (size_t i = 0; i < 4 && !g->media; i++) {
        g->media = find_media(g, order[i]);
        g->kind = g->media ? order[i] : MH__BODY_NONE;
    }
    if (g->kind == MH__BODY_JSON_VALUE && is_object_schema(g, g->media))
        g->kind = MH__BODY_JSON_OBJECT;
    if (g->media && g->media->schema)
        g->root = mh_schema_source(g->media->schema);
    if (!g->media && g->op->body_count && g->op->body_required) {
        char *types = media_list(g);
        g->unsendable = types ? mh__printf(g,
                                           "nothing sendable: the required request body (%s) "
                                           "has no JSON, form or multipart object schema and no "
                                           "example",
                                           types)
                              : NULL;
        free(types);
        if (!g->unsendable)
            return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    return MH_OK;
}

/* The top-level properties of an object body (JSON, form, multipart). */
static mh_status setup_props(mh__gen *g, mh_error *err)
{
    if (g->kind != MH__BODY_JSON_OBJECT && g->kind != MH__BODY_FORM &&
        g->kind != MH__BODY_MULTIPART)
        return MH_OK;
    if (mh__collect_props(g, g->root, &g->props, &g->prop_count) < 0)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < g->prop_count; i++) {
        mh__prop *p = &g->props[i];
        int str = p->type && strcmp(p->type, "string") == 0;
        /* A credential only where the operation is secured: a public
         * create-user operation's "password" is the new user's, not ours. */
        p->credential = str && g->secured && mh_credential_name(p->name);
        p->name_like = str && p->required && !p->credential && !mh_json_get(p->schema, "enum") &&
                       !mh_json_get(p->schema, "format") && !mh_json_get(p->schema, "pattern");
        p->slug = mh__slug(g, p->name);
        if (!p->slug)
            return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
        if (p->credential && !g->o->secret &&
            !mh__config(g, g->o->properties, g->o->property_count, p->name))
            return mh_error_set(err, MH_ERR_USAGE,
                                "the request body of %s has the credential property \"%s\": pass "
                                "--secret (or MANTA_SECRET)",
                                g->op->id, p->name);
    }
    return MH_OK;
}

/* Accept: application/json when a declared answer is JSON, else the
 * declared media types (the first few), else any type. */
static mh_status setup_accept(mh__gen *g, mh_error *err)
{
    const mh_operation *op = g->op;
    int json = 0;
    mh__buf b = MH__BUF_INIT;
    mh__buf_add(&b, "", 0);
    for (size_t i = 0; i < op->response_count; i++) {
        for (size_t k = 0; k < op->responses[i].media_count; k++) {
            const char *mt = op->responses[i].media[k].media_type;
            json = json || is_json_media(mt);
            if (!strstr(b.p ? b.p : "", mt) && b.len < 200)
                mh__buf_addf(&b, "%s%s", b.len ? ", " : "", mt);
        }
    }
    if (json || !b.len || b.failed) {
        mh__buf_free(&b);
        g->accept = mh__strdup(g, json ? "application/json" : "*/*");
    } else {
        g->accept = mh__gen_take(g, &b, NULL);
    }
    return g->accept ? MH_OK : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
}

/* DESIGN.md: a valid case demands 2xx only when the operation declares one
 * and every path parameter and every required query and header parameter
 * was configured or came from an example. */
static int demands_2xx(const mh__gen *g)
{
    int has_2xx = 0;
    for (size_t i = 0; i < g->op->response_count && !has_2xx; i++)
        has_2xx = g->op->responses[i].status[0] == '2';
    if (!has_2xx)
        return 0;
    for (size_t i = 0; i < g->param_count; i++) {
        const mh__pval *v = &g->params[i];
        const char *in = v->param->in;
        int counts =
            strcmp(in, "path") == 0 ||
            (v->param->required && (strcmp(in, "query") == 0 || strcmp(in, "header") == 0));
        if (counts && v->source == MH__SRC_SCHEMA)
            return 0;
    }
    return 1;
}

mh_status mh__op_setup(mh__gen *g, const mh_operation *op, mh_error *err)
{
    mh__op_clear(g);
    g->op = op;
    if (op->skip_reason)
        return MH_OK;
    mh_status st = mh__cred_setup(g, err);
    if (st == MH_OK)
        st = choose_body(g, err);
    if (st == MH_OK)
        st = setup_props(g, err);
    if (st == MH_OK)
        st = mh__params_setup(g, err);
    if (st == MH_OK)
        st = setup_accept(g, err);
    if (st == MH_OK)
        g->demand_2xx = demands_2xx(g);
    if (st == MH_OK && g->oom)
        st = mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    return st;
}

void mh__op_clear(mh__gen *g)
{
    for (size_t i = 0; i < g->prop_count; i++)
        free(g->props[i].slug);
    free(g->props);
    mh__params_free(g);
    free(g->no_creds);
    free(g->unsendable);
    free(g->accept);
    g->op = NULL;
    g->kind = MH__BODY_NONE;
    g->media = NULL;
    g->root = NULL;
    g->props = NULL;
    g->prop_count = 0;
    g->secured = 0;
    g->req = NULL;
    g->use_bearer = 0;
    memset(&g->cred, 0, sizeof g->cred);
    g->no_creds = NULL;
    g->unsendable = NULL;
    g->accept = NULL;
    g->demand_2xx = 0;
}
