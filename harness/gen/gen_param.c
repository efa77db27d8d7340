/* gen_param.c — the values of an operation's parameters: configured
 * (--param, --bot-id), declared examples, or generated from the schema; and
 * judging a value against a parameter's schema. Above gen_value.c and
 * gen_util.c, below gen_case.c (see gen_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gen_internal.h"
#include "manta/json_strict.h"
#include "manta/schema.h"

/* The parameter --bot-id fills (DESIGN.md: "the botId parameter"). */
static int is_bot(const mh_param *p)
{
    return strcasecmp(p->name, "botId") == 0;
}

/* A string node, or NULL on OOM. */
static cJSON *string_node(mh__gen *g, const char *text)
{
    cJSON *n = cJSON_CreateString(text ? text : "");
    if (!n)
        g->oom = 1;
    return n;
}

/* The text as JSON of type t, when it parses to that type. */
static cJSON *as_type(const char *text, const char *t)
{
    cJSON *tree = NULL;
    if (!t || mh_json_parse(text, strlen(text), NULL, &tree, NULL) != MH_JSON_OK)
        return NULL;
    int ok = (strcmp(t, "integer") == 0 && cJSON_IsNumber(tree) && mh_json_is_integer(tree)) ||
             (strcmp(t, "number") == 0 && cJSON_IsNumber(tree)) ||
             (strcmp(t, "boolean") == 0 && cJSON_IsBool(tree)) ||
             (strcmp(t, "array") == 0 && cJSON_IsArray(tree)) ||
             (strcmp(t, "object") == 0 && cJSON_IsObject(tree)) ||
             (strcmp(t, "null") == 0 && cJSON_IsNull(tree));
    if (!ok) {
        cJSON_Delete(tree);
        return NULL;
    }
    return tree;
}

static cJSON *param_value(mh__gen *g, const cJSON *s, const char *text);

/* "a,b,c" as an array whose items take the items schema's type. */
static cJSON *comma_list(mh__gen *g, const cJSON *s, const char *text)
{
    cJSON *arr = cJSON_CreateArray();
    const cJSON *items = s ? mh__deref(g, mh_json_get(s, "items")) : NULL;
    for (const char *p = text; arr && *p;) {
        size_t n = strcspn(p, ",");
        char *one = mh__printf(g, "%.*s", (int)n, p);
        cJSON *item = one ? param_value(g, items, one) : NULL;
        free(one);
        if (!item) {
            cJSON_Delete(arr);
            arr = NULL;
            break;
        }
        cJSON_AddItemToArray(arr, item);
        p += n;
        p += *p == ',';
    }
    if (!arr)
        g->oom = 1;
    return arr;
}

/* The typed value of text for parameter schema s (source form, may be
 * NULL): JSON of the schema's type when the text parses so, a comma list for
 * an array, else a string. New tree (cJSON_Delete); NULL on OOM. */
static cJSON *param_value(mh__gen *g, const cJSON *s, const char *text)
{
    s = mh__deref(g, s);
    const char *t = mh__type(g, s);
    cJSON *v = t && strcmp(t, "string") != 0 ? as_type(text, t) : NULL;
    if (v)
        return v;
    if (t && strcmp(t, "array") == 0 && *text)
        return comma_list(g, s, text);
    return string_node(g, text);
}

int mh__param_valid(const mh_param *p, const cJSON *v)
{
    if (!p->schema)
        return 1;
    mh_violations viol = {0};
    int ok = mh_schema_validate(p->schema, v, MH_DIR_REQUEST, &viol) == 0;
    mh_violations_free(&viol);
    return ok;
}

/* An object parameter's generated value: every declared property (an
 * optional filter is worth showing), each from its schema. */
static char *object_text(mh__gen *g, const cJSON *s)
{
    mh__prop *props = NULL;
    size_t n = 0;
    if (mh__collect_props(g, s, &props, &n) < 0)
        return NULL;
    mh__body b = {0};
    for (size_t i = 0; i < n; i++)
        mh__body_add(g, &b, props[i].name, mh__gen_value(g, props[i].schema, 2));
    free(props);
    char *text = n ? mh__body_json(g, &b, NULL) : mh__gen_value(g, s, 1);
    mh__body_free(&b);
    return text;
}

/* A value generated from the schema: JSON text of mh__gen_value, parsed. */
static cJSON *generated(mh__gen *g, const mh_param *p)
{
    const cJSON *s = p->schema ? mh_schema_source(p->schema) : NULL;
    if (!s)
        return string_node(g, "sample");
    const char *t = mh__type(g, s);
    char *raw = t && strcmp(t, "object") == 0 ? object_text(g, s) : mh__gen_value(g, s, 1);
    cJSON *v = NULL;
    if (raw && mh_json_parse(raw, strlen(raw), NULL, &v, NULL) != MH_JSON_OK)
        v = NULL;
    free(raw);
    if (!v && !g->oom)
        v = string_node(g, "sample");
    return v;
}

/* Fills one parameter's value and source. */
static mh_status fill_one(mh__gen *g, mh__pval *v, mh_error *err)
{
    const mh_param *p = v->param;
    const mh_gen_opts *o = g->o;
    const char *conf = mh__config(g, o->params, o->param_count, p->name);
    const cJSON *s = p->schema ? mh_schema_source(p->schema) : NULL;
    if (conf) {
        v->value = param_value(g, s, conf);
        v->source = MH__SRC_CONFIG;
    } else if (is_bot(p) && o->bot_id) {
        v->value = param_value(g, s, o->bot_id);
        v->source = MH__SRC_CONFIG;
    } else if (p->example) {
        v->value = mh_json_duplicate(p->example);
        v->source = MH__SRC_EXAMPLE;
        if (!v->value)
            g->oom = 1;
    } else if (is_bot(p) && p->required) {
        return mh_error_set(err, MH_ERR_USAGE,
                            "operation %s needs the %s parameter \"%s\": pass --bot-id (or "
                            "MANTA_BOT_ID) or --param %s=VALUE",
                            g->op->id, p->in, p->name, p->name);
    } else {
        v->value = generated(g, p);
        v->source = MH__SRC_SCHEMA;
    }
    v->send = p->required || strcmp(p->in, "path") == 0 || v->source == MH__SRC_CONFIG;
    v->slug = mh__slug(g, p->name);
    if (!v->value || !v->slug)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    return MH_OK;
}

mh_status mh__params_setup(mh__gen *g, mh_error *err)
{
    const mh_operation *op = g->op;
    g->bot_index = -1;
    g->params = calloc(op->param_count ? op->param_count : 1, sizeof *g->params);
    if (!g->params)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < op->param_count; i++) {
        mh__pval *v = &g->params[g->param_count++];
        v->param = &op->params[i];
        mh_status st = fill_one(g, v, err);
        if (st != MH_OK)
            return st;
        if (g->bot_index < 0 && is_bot(v->param))
            g->bot_index = (int)g->param_count - 1;
    }
    return MH_OK;
}

void mh__params_free(mh__gen *g)
{
    for (size_t i = 0; i < g->param_count; i++) {
        cJSON_Delete(g->params[i].value);
        free(g->params[i].slug);
    }
    free(g->params);
    g->params = NULL;
    g->param_count = 0;
    g->bot_index = -1;
}
