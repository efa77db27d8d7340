/* params.c — parameters (spec_int.h): name and location, style and explode
 * with the defaults of the location, allowReserved, deprecated, the example,
 * and a value declared by schema or by content. Uses loader.c only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/json_strict.h"
#include "spec/spec_int.h"
#include "util/jsonptr.h"

/* The styles OpenAPI defines and the locations each is allowed in. */
static const struct {
    const char *name;
    mh_param_style style;
    const char *in[2];
} styles[] = {
    {"form", MH_STYLE_FORM, {"query", "cookie"}},
    {"simple", MH_STYLE_SIMPLE, {"path", "header"}},
    {"label", MH_STYLE_LABEL, {"path", NULL}},
    {"matrix", MH_STYLE_MATRIX, {"path", NULL}},
    {"spaceDelimited", MH_STYLE_SPACE_DELIMITED, {"query", NULL}},
    {"pipeDelimited", MH_STYLE_PIPE_DELIMITED, {"query", NULL}},
    {"deepObject", MH_STYLE_DEEP_OBJECT, {"query", NULL}},
};

static const char *const locations[] = {"query", "header", "path", "cookie"};

/* Headers a parameter may not describe: OpenAPI says such a parameter
 * definition "SHALL be ignored" (they come from the body, the accepted
 * responses and the security schemes). */
static const char *const ignored_headers[] = {"Accept", "Content-Type", "Authorization"};

static int valid_location(const char *in)
{
    for (size_t i = 0; i < sizeof locations / sizeof locations[0]; i++)
        if (strcmp(in, locations[i]) == 0)
            return 1;
    return 0;
}

static int ignored(const mh_param *p)
{
    if (strcmp(p->in, "header") != 0)
        return 0;
    for (size_t i = 0; i < sizeof ignored_headers / sizeof ignored_headers[0]; i++)
        if (strcasecmp(p->name, ignored_headers[i]) == 0)
            return 1;
    return 0;
}

/* Sets "what" to `parameter "NAME"` for messages. */
static void describe(const mh_param *p, char *what, size_t n)
{
    snprintf(what, n, "parameter \"%.100s\"", p->name);
}

/* p->style from the declared "style" (obj at pointer at), else the default
 * of p->in; a style unknown or not allowed in that location is an error. */
static mh_status load_style(mh__loader *L, const cJSON *obj, const char *at, mh_param *p)
{
    int path_or_header = strcmp(p->in, "path") == 0 || strcmp(p->in, "header") == 0;
    p->style = path_or_header ? MH_STYLE_SIMPLE : MH_STYLE_FORM;
    const cJSON *style = mh_json_get(obj, "style");
    if (!style)
        return MH_OK;
    char *sp = mh__jsonptr_append(at, "style");
    if (!sp)
        return mh__spec_nomem(L);
    char msg[400];
    size_t i = 0;
    while (cJSON_IsString(style) && i < sizeof styles / sizeof styles[0] &&
           strcmp(styles[i].name, style->valuestring) != 0)
        i++;
    if (!cJSON_IsString(style) || i == sizeof styles / sizeof styles[0])
        snprintf(msg, sizeof msg, "parameter \"%.100s\": unknown style%s%.60s%s", p->name,
                 cJSON_IsString(style) ? " \"" : "",
                 cJSON_IsString(style) ? style->valuestring : "",
                 cJSON_IsString(style) ? "\"" : "");
    else if (strcmp(styles[i].in[0], p->in) != 0 &&
             !(styles[i].in[1] && strcmp(styles[i].in[1], p->in) == 0))
        snprintf(msg, sizeof msg, "parameter \"%.100s\": style \"%s\" is not allowed in %s",
                 p->name, styles[i].name, p->in);
    else {
        p->style = styles[i].style;
        msg[0] = '\0';
    }
    mh_status st = msg[0] ? mh__spec_err(L, sp, "%s", msg) : MH_OK;
    free(sp);
    return st;
}

/* explode (declared, else 1 for form only), allowReserved (query only),
 * deprecated, and the path rule: a path parameter is always required. */
static mh_status load_flags(mh__loader *L, const cJSON *obj, const char *at, mh_param *p)
{
    const cJSON *explode = mh_json_get(obj, "explode");
    p->explode = p->style == MH_STYLE_FORM;
    if (explode && !cJSON_IsBool(explode)) {
        char *ep = mh__jsonptr_append(at, "explode");
        mh_status st =
            ep ? mh__spec_err(L, ep, "parameter \"%s\": explode must be true or false", p->name)
               : mh__spec_nomem(L);
        free(ep);
        return st;
    }
    if (explode)
        p->explode = cJSON_IsTrue(explode);
    p->allow_reserved =
        strcmp(p->in, "query") == 0 && cJSON_IsTrue(mh_json_get(obj, "allowReserved"));
    p->deprecated = cJSON_IsTrue(mh_json_get(obj, "deprecated"));
    /* OpenAPI: for a path parameter "required" MUST be true. A document
     * that omits it or says false is wrong, but the path cannot be built
     * without the value, so the parameter is required all the same and the
     * operation stays usable. */
    p->required = strcmp(p->in, "path") == 0 || cJSON_IsTrue(mh_json_get(obj, "required"));
    return MH_OK;
}

/* The parameter object obj (at pointer at, its $refs already followed). */
static mh_status load_param_at(mh__loader *L, const cJSON *obj, const char *at, mh_param *p)
{
    memset(p, 0, sizeof *p);
    const cJSON *name = mh_json_get(obj, "name"), *in = mh_json_get(obj, "in");
    if (!cJSON_IsString(name) || !cJSON_IsString(in))
        return mh__spec_err(L, at, "a parameter needs string \"name\" and \"in\"%s", "");
    p->name = name->valuestring;
    p->in = in->valuestring;
    if (!valid_location(p->in)) {
        char *ip = mh__jsonptr_append(at, "in");
        mh_status st = ip ? mh__spec_err(L, ip,
                                         "parameter \"%s\": \"in\" must be query, header, "
                                         "path or cookie",
                                         p->name)
                          : mh__spec_nomem(L);
        free(ip);
        return st;
    }
    mh_status st = load_style(L, obj, at, p);
    if (st == MH_OK)
        st = load_flags(L, obj, at, p);
    char what[128];
    describe(p, what, sizeof what);
    mh__spec_value v;
    if (st == MH_OK)
        st = mh__spec_value_load(L, obj, at, what, &v);
    if (st == MH_OK) {
        p->schema = v.schema;
        p->content_type = v.content_type;
        p->example = v.example;
    }
    return st;
}

static mh_status load_param(mh__loader *L, const cJSON *node, const char *at, mh_param *p)
{
    const cJSON *obj;
    char *where = NULL;
    mh_status st = mh__spec_deref_object(L, node, at, "a parameter", &obj, &where);
    if (st != MH_OK)
        return st;
    st = load_param_at(L, obj, where, p);
    free(where);
    return st;
}

/* Adds p to v, replacing the parameter with the same name and location. */
static mh_status merge_param(mh__loader *L, mh__buf *v, const mh_param *p)
{
    mh_param *list = (mh_param *)(void *)v->p;
    size_t n = v->len / sizeof *list;
    for (size_t k = 0; k < n; k++)
        if (strcmp(list[k].name, p->name) == 0 && strcmp(list[k].in, p->in) == 0) {
            list[k] = *p;
            return MH_OK;
        }
    mh__buf_add(v, p, sizeof *p);
    return v->failed ? mh__spec_nomem(L) : MH_OK;
}

mh_status mh__spec_load_params(mh__loader *L, const cJSON *arr, const char *at, mh__buf *v)
{
    if (!arr)
        return MH_OK;
    if (!cJSON_IsArray(arr))
        return mh__spec_err(L, at, "parameters must be an array%s", "");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char *pp = mh__jsonptr_append_index(at, i);
        if (!pp)
            return mh__spec_nomem(L);
        mh_param p;
        mh_status st = load_param(L, it, pp, &p);
        free(pp);
        if (st == MH_OK && !ignored(&p))
            st = merge_param(L, v, &p);
        if (st != MH_OK)
            return st;
    }
    return MH_OK;
}
