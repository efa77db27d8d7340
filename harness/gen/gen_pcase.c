/* gen_pcase.c — the parameter cases of the valid, boundary and malformed
 * suites (DESIGN.md "Whole documents"): every optional parameter sent; the
 * botId parameter empty and repeated; a value that only breaks a format
 * (boundary); a required query, header or cookie parameter missing and a
 * value that breaks its schema (malformed). Path parameters are never
 * omitted or emptied: that is another path. Above gen_case.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"
#include "manta/json_strict.h"
#include "manta/schema.h"

#define SLUG_MAX 512
/* Longest value a too-long probe sends (a maxLength above it is left alone). */
#define MAX_PROBE_LENGTH 4096

/* Starts a case of the parameter's suite with the typical body and the
 * variant applied; the caller finishes it. */
static mh_case *begin_param(mh__gen *g, mh_suite s, const char *slug, const char *desc,
                            const char *payload, const mh__variant *v)
{
    mh_case *c = mh__case_begin(g, s, slug, desc);
    mh__case_typical(g, c, payload);
    if (c)
        mh__case_params(g, c, v);
    return c;
}

static int is_path(const mh__pval *pv)
{
    return strcmp(pv->param->in, "path") == 0;
}

void mh__param_suite_valid(mh__gen *g)
{
    size_t optional = 0;
    for (size_t i = 0; i < g->param_count; i++)
        optional += !g->params[i].send;
    if (!optional)
        return;
    mh__variant v = {.all = 1, .index = -1};
    mh_case *c =
        begin_param(g, MH_SUITE_VALID, "all-parameters",
                    "every declared parameter, optional ones included", "all parameters", &v);
    mh__case_finish(g, c, MH__KEEP);
}

void mh__param_bot_cases(mh__gen *g)
{
    if (g->bot_index < 0)
        return;
    const mh__pval *pv = &g->params[g->bot_index];
    static const struct {
        const char *what, *desc;
        mh__pmode mode;
    } modes[] = {{"param-empty", "the bot parameter present but empty", MH__P_EMPTY},
                 {"param-repeated", "the bot parameter given twice", MH__P_REPEAT}};
    for (size_t i = 0; i < 2; i++) {
        if (modes[i].mode == MH__P_REPEAT && strcmp(pv->param->in, "query") != 0)
            continue;
        if (is_path(pv) && modes[i].mode == MH__P_EMPTY)
            continue;
        char s[SLUG_MAX];
        snprintf(s, sizeof s, "%s-%s", pv->slug, modes[i].what);
        mh__variant v = {.index = g->bot_index, .mode = modes[i].mode};
        mh_case *c = begin_param(g, MH_SUITE_BOUNDARY, s, modes[i].desc, "bot", &v);
        mh__case_finish(g, c, MH__EXPECT_VALID);
    }
}

/* One case sending parameter i with value (a probe): kept when the value
 * is what want says (valid = 0: it breaks the schema). Takes value over. */
static void value_case(mh__gen *g, size_t i, mh_suite s, const char *what, const char *desc,
                       cJSON *value)
{
    const mh__pval *pv = &g->params[i];
    if (!value) {
        g->oom = 1;
        return;
    }
    if (mh__param_valid(pv->param, value) ||
        (is_path(pv) && cJSON_IsString(value) && !*value->valuestring)) {
        cJSON_Delete(value); /* not a violation after all, or an empty path segment */
        return;
    }
    char slug[SLUG_MAX], full[SLUG_MAX];
    snprintf(slug, sizeof slug, "%s-param-%s", pv->slug, what);
    snprintf(full, sizeof full, "the %s parameter \"%s\" %s", pv->param->in, pv->param->name, desc);
    mh__variant v = {.index = (int)i, .mode = MH__P_VALUE, .value = value};
    mh_case *c = begin_param(g, s, slug, full, "param", &v);
    mh__case_finish(g, c, MH__KEEP);
    cJSON_Delete(value);
}

/* ---- boundary: formats ---- */

/* "mh-not-a-<format>" fitted to the schema's length bounds with 'x'. */
static cJSON *not_format(mh__gen *g, const cJSON *s, const char *format)
{
    double mn = 0, mx = -1;
    mh__num(s, "minLength", &mn);
    int has_max = mh__num(s, "maxLength", &mx);
    mh__buf b = MH__BUF_INIT;
    mh__buf_addf(&b, "mh-not-a-%s", format);
    while (!b.failed && (double)b.len < mn && b.len < MAX_PROBE_LENGTH)
        mh__buf_add(&b, "x", 1);
    if (!b.failed && has_max && mx >= 1 && (double)b.len > mx)
        b.p[b.len = (size_t)mx] = '\0';
    char *t = mh__gen_take(g, &b, NULL);
    cJSON *v = t ? cJSON_CreateString(t) : NULL;
    free(t);
    return v;
}

void mh__param_suite_boundary(mh__gen *g)
{
    for (size_t i = 0; i < g->param_count; i++) {
        const mh__pval *pv = &g->params[i];
        const cJSON *s =
            pv->param->schema ? mh__deref(g, mh_schema_source(pv->param->schema)) : NULL;
        const cJSON *f = s ? mh_json_get(s, "format") : NULL;
        const char *t = mh__type(g, s);
        /* Only the format may break: no enum or pattern to satisfy too. */
        if (!cJSON_IsString(f) || !t || strcmp(t, "string") != 0 || mh_json_get(s, "enum") ||
            mh_json_get(s, "pattern") || pv->param->content_type)
            continue;
        char *fslug = mh__slug(g, f->valuestring);
        char what[128], desc[256];
        snprintf(what, sizeof what, "not-%s", fslug ? fslug : "format");
        snprintf(desc, sizeof desc, "with a value that is not a %.100s (only the format breaks)",
                 f->valuestring);
        free(fslug);
        value_case(g, i, MH_SUITE_BOUNDARY, what, desc, not_format(g, s, f->valuestring));
    }
}

/* ---- malformed ---- */

static void missing_cases(mh__gen *g)
{
    for (size_t i = 0; i < g->param_count; i++) {
        const mh__pval *pv = &g->params[i];
        if (!pv->param->required || is_path(pv))
            continue;
        char s[SLUG_MAX], desc[SLUG_MAX];
        snprintf(s, sizeof s, "%s-param-missing", pv->slug);
        snprintf(desc, sizeof desc, "the required %s parameter \"%s\" left out", pv->param->in,
                 pv->param->name);
        mh__variant v = {.index = (int)i, .mode = MH__P_OMIT};
        mh_case *c = begin_param(g, MH_SUITE_MALFORMED, s, desc, "no param", &v);
        mh__case_finish(g, c, MH__KEEP);
    }
}

/* A probe value: what it is called, what it does, and the value. */
typedef struct {
    const char *what;
    const char *desc;
    cJSON *value;
} probe;

static cJSON *number(double d)
{
    char t[64];
    snprintf(t, sizeof t, "%.17g", d);
    cJSON *n = cJSON_CreateNumber(d);
    if (n && d == floor(d) && fabs(d) < 1e15) {
        snprintf(t, sizeof t, "%.0f", d);
        n->valuestring = strdup(t); /* the literal the serialiser writes */
        if (!n->valuestring) {
            cJSON_Delete(n);
            n = NULL;
        }
    }
    return n;
}

static cJSON *repeated(char c, size_t n)
{
    char *t = malloc(n + 1);
    if (!t)
        return NULL;
    memset(t, c, n);
    t[n] = '\0';
    cJSON *v = cJSON_CreateString(t);
    free(t);
    return v;
}

/* The numeric bound kw of s as a probe just outside it: below a minimum
 * (or at an exclusive one), above a maximum. */
static int bound_probe(const cJSON *s, int integer, int low, cJSON **out)
{
    const char *kw = low ? "minimum" : "maximum";
    const char *ex = low ? "exclusiveMinimum" : "exclusiveMaximum";
    double v = 0, step = integer ? 1 : 0.5;
    const cJSON *exn = mh_json_get(s, ex);
    if (cJSON_IsNumber(exn)) /* 3.1: the exclusive bound itself */
        v = exn->valuedouble;
    else if (mh__num(s, kw, &v))
        v = cJSON_IsTrue(exn) ? v : (low ? v - step : v + step);
    else
        return 0;
    *out = number(v);
    return 1;
}

/* Fills up to 8 probes that break schema s (a parameter's, or an array's
 * items); returns how many. The values are checked again by the caller. */
static size_t probes_for(mh__gen *g, const cJSON *s, probe *out)
{
    size_t n = 0;
    const char *t = mh__type(g, s);
    int integer = t && strcmp(t, "integer") == 0;
    int numeric = integer || (t && strcmp(t, "number") == 0);
    double d = 0;
    if (numeric)
        out[n++] = (probe){"wrong-type", "with text that is not a number",
                           cJSON_CreateString("mh-not-a-number")};
    if (integer)
        out[n++] = (probe){"not-integer", "with a fraction", number(1.5)};
    if (t && strcmp(t, "boolean") == 0)
        out[n++] = (probe){"wrong-type", "with text that is not a boolean",
                           cJSON_CreateString("mh-not-a-boolean")};
    const cJSON *en = mh_json_get(s, "enum");
    if (cJSON_IsArray(en) && en->child) {
        double top = 0;
        int nums = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, en)
        {
            if (cJSON_IsNumber(e) && (!nums++ || e->valuedouble > top))
                top = e->valuedouble;
        }
        out[n++] = (probe){"not-in-enum", "with a value outside its enum",
                           nums ? number(floor(top) + 1) : cJSON_CreateString("mh-not-in-enum")};
    }
    cJSON *b = NULL;
    if (numeric && bound_probe(s, integer, 1, &b))
        out[n++] = (probe){"below-minimum", "below its minimum", b};
    if (numeric && bound_probe(s, integer, 0, &b))
        out[n++] = (probe){"above-maximum", "above its maximum", b};
    if (mh__num(s, "minLength", &d) && d >= 1 && d <= MAX_PROBE_LENGTH)
        out[n++] = (probe){"too-short", "shorter than its minLength", repeated('x', (size_t)d - 1)};
    if (mh__num(s, "maxLength", &d) && d >= 0 && d < MAX_PROBE_LENGTH)
        out[n++] = (probe){"too-long", "longer than its maxLength", repeated('x', (size_t)d + 1)};
    if (cJSON_IsString(mh_json_get(s, "pattern")))
        out[n++] = (probe){"pattern-mismatch", "not matching its pattern",
                           cJSON_CreateString("~mh pattern mismatch!~")};
    return n;
}

/* One item that breaks the items schema, in an array long enough for
 * minItems (the other items valid). */
static void item_cases(mh__gen *g, size_t i, const cJSON *s)
{
    const cJSON *items = mh__deref(g, mh_json_get(s, "items"));
    if (!cJSON_IsObject(items))
        return;
    probe ps[8];
    size_t n = probes_for(g, items, ps);
    double mn = 0;
    mh__num(s, "minItems", &mn);
    for (size_t k = 0; k < n; k++) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t j = 1; arr && (double)j < mn && j < 16; j++) {
            char *raw = mh__gen_value(g, items, 1);
            cJSON *one = NULL;
            if (raw && mh_json_parse(raw, strlen(raw), NULL, &one, NULL) == MH_JSON_OK)
                cJSON_AddItemToArray(arr, one);
            free(raw);
        }
        if (arr && ps[k].value) {
            cJSON_AddItemToArray(arr, ps[k].value);
            ps[k].value = NULL;
        }
        cJSON_Delete(ps[k].value);
        char what[64], desc[128];
        snprintf(what, sizeof what, "item-%s", ps[k].what);
        snprintf(desc, sizeof desc, "with one array item %s", ps[k].desc);
        value_case(g, i, MH_SUITE_MALFORMED, what, desc, arr);
    }
}

void mh__param_suite_malformed(mh__gen *g)
{
    missing_cases(g);
    for (size_t i = 0; i < g->param_count && !g->oom; i++) {
        const mh_param *p = g->params[i].param;
        const cJSON *s = p->schema ? mh__deref(g, mh_schema_source(p->schema)) : NULL;
        if (!cJSON_IsObject(s) || p->content_type)
            continue;
        probe ps[8];
        size_t n = probes_for(g, s, ps);
        for (size_t k = 0; k < n; k++)
            value_case(g, i, MH_SUITE_MALFORMED, ps[k].what, ps[k].desc, ps[k].value);
        const char *t = mh__type(g, s);
        if (t && strcmp(t, "array") == 0)
            item_cases(g, i, s);
    }
}
