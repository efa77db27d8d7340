/* gen_style.c — parameter serialisation: a typed value written the way its
 * parameter's style and explode say, percent-encoded per RFC 3986. The rows
 * follow the style examples table of OpenAPI 3.1.1 (section 4.8.12.6, the
 * same as 3.0.4's): for a parameter "color" holding "blue", ["blue","black",
 * "brown"] or {"R":100,"G":200,"B":150}:
 *
 *   matrix    ;color=blue  ;color=blue,black,brown / ;color=blue;color=black...
 *   label     .blue        .blue,black,brown       / .blue.black.brown
 *   simple    blue         blue,black,brown         (objects R,100,... / R=100,...)
 *   form      color=blue   color=blue,black,brown  / color=blue&color=black...
 *   spaceDelimited         color=blue%20black%20brown
 *   pipeDelimited          color=blue%7Cblack%7Cbrown
 *   deepObject             color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150
 *
 * A location takes only its own styles (path: matrix, label, simple; query:
 * form, spaceDelimited, pipeDelimited, deepObject; header: simple; cookie:
 * form); another is read as the location's default, and a combination the
 * table leaves undefined (deepObject of an array, spaceDelimited exploded)
 * as form. The bottom of harness/gen/ beside gen_util.c: it calls nothing
 * else of the generator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"

/* RFC 3986 section 2.3. */
static int unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/* Reserved characters allowReserved lets through in a query value: the
 * gen-delims and sub-delims of RFC 3986 but those the query cannot hold or
 * that split it ('#', '[', ']', '&', '=', '+'; OpenAPI 3.1.1 allowReserved). */
static int reserved_ok(unsigned char c)
{
    return c && strchr(":/?@!$'()*,;", c) != NULL;
}

static int hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

typedef enum { ENC_URI = 0, ENC_RESERVED, ENC_HEADER } enc_mode;

/* Appends s[0..n) encoded: ENC_URI keeps unreserved characters only;
 * ENC_RESERVED also keeps reserved_ok ones and percent-encoded triples;
 * ENC_HEADER keeps printable ASCII (a header value is not a URI). */
static void put_enc(mh__buf *b, const char *s, size_t n, enc_mode m)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int keep = unreserved(c);
        if (m == ENC_RESERVED)
            keep = keep || reserved_ok(c) ||
                   (c == '%' && i + 2 < n && hex((unsigned char)s[i + 1]) &&
                    hex((unsigned char)s[i + 2]));
        if (m == ENC_HEADER)
            keep = c >= 0x20 && c < 0x7f && c != '%';
        if (keep)
            mh__buf_add(b, &s[i], 1);
        else
            mh__buf_addf(b, "%%%02X", c);
    }
}

static void put_enc_s(mh__buf *b, const char *s, enc_mode m)
{
    put_enc(b, s, strlen(s), m);
}

/* The text of a primitive (or, nested, any JSON value as JSON text): strings
 * as they are, numbers as their literal, booleans, null as "". New string;
 * NULL on OOM. */
static char *scalar_text(const cJSON *v)
{
    if (cJSON_IsString(v))
        return strdup(v->valuestring ? v->valuestring : "");
    if (cJSON_IsNumber(v)) {
        if (v->valuestring)
            return strdup(v->valuestring); /* the literal the strict parser kept */
        char t[64];
        double d = v->valuedouble;
        if (d == (double)(long long)d && d > -1e15 && d < 1e15)
            snprintf(t, sizeof t, "%lld", (long long)d);
        else
            snprintf(t, sizeof t, "%.17g", d);
        return strdup(t);
    }
    if (cJSON_IsBool(v))
        return strdup(cJSON_IsTrue(v) ? "true" : "false");
    if (!v || cJSON_IsNull(v))
        return strdup("");
    return cJSON_PrintUnformatted(v);
}

/* Appends the text of v encoded; records failure in b. */
static void put_value(mh__buf *b, const cJSON *v, enc_mode m)
{
    char *t = scalar_text(v);
    if (!t) {
        b->failed = 1;
        return;
    }
    put_enc_s(b, t, m);
    free(t);
}

/* The style a location can take: another is read as its default. */
static mh_param_style effective_style(const mh_param *p)
{
    mh_param_style s = p->style;
    if (strcmp(p->in, "path") == 0)
        return s == MH_STYLE_MATRIX || s == MH_STYLE_LABEL ? s : MH_STYLE_SIMPLE;
    if (strcmp(p->in, "header") == 0)
        return MH_STYLE_SIMPLE;
    if (strcmp(p->in, "cookie") == 0)
        return MH_STYLE_FORM;
    if (s == MH_STYLE_SPACE_DELIMITED || s == MH_STYLE_PIPE_DELIMITED || s == MH_STYLE_DEEP_OBJECT)
        return s;
    return MH_STYLE_FORM;
}

/* Collects the parts of a value: for an array its items, for an object its
 * members (key, value); for a primitive the value itself. count 0 = the
 * value is undefined (null, an empty array or object). */
typedef struct {
    const cJSON *items[64];
    size_t count;
    int object;
} parts;

static void split(const cJSON *v, parts *ps)
{
    memset(ps, 0, sizeof *ps);
    if (!v || cJSON_IsNull(v))
        return;
    if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        ps->object = cJSON_IsObject(v);
        const cJSON *it;
        cJSON_ArrayForEach(it, v)
        {
            if (ps->count < sizeof ps->items / sizeof ps->items[0])
                ps->items[ps->count++] = it;
        }
        return;
    }
    ps->items[0] = v;
    ps->count = 1;
}

/* name=value pairs of a query or a cookie: the pair separator and how
 * values are encoded. */
typedef struct {
    const char *pair_sep; /* "&" or "; " */
    enc_mode enc;         /* of values */
} pairs_fmt;

static void put_name(mh__buf *b, const char *name)
{
    put_enc_s(b, name, ENC_URI);
}

/* form style (query, cookie): primitive "n=v"; array unexploded "n=a,b",
 * exploded "n=a&n=b"; object unexploded "n=k,v,k,v", exploded "k=v&k=v";
 * undefined "n=". sep joins the values of an unexploded list. */
static void ser_form(mh__buf *b, const char *name, const parts *ps, int explode, const char *sep,
                     const pairs_fmt *f)
{
    if (ps->count == 0) {
        put_name(b, name);
        mh__buf_add(b, "=", 1);
        return;
    }
    if (explode) {
        for (size_t i = 0; i < ps->count; i++) {
            if (i)
                mh__buf_adds(b, f->pair_sep);
            put_name(b, ps->object ? ps->items[i]->string : name);
            mh__buf_add(b, "=", 1);
            put_value(b, ps->items[i], f->enc);
        }
        return;
    }
    put_name(b, name);
    mh__buf_add(b, "=", 1);
    for (size_t i = 0; i < ps->count; i++) {
        if (i)
            mh__buf_adds(b, sep);
        if (ps->object) {
            put_enc_s(b, ps->items[i]->string, f->enc);
            mh__buf_adds(b, sep);
        }
        put_value(b, ps->items[i], f->enc);
    }
}

/* deepObject: n[k]=v for each member, nested objects as n[k][j]=v, arrays
 * as repeated n[k]=v. */
static void ser_deep(mh__buf *b, const char *prefix, const cJSON *obj, int *first, int depth)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, obj)
    {
        mh__buf key = MH__BUF_INIT;
        mh__buf_adds(&key, prefix);
        mh__buf_add(&key, "[", 1);
        mh__buf_adds(&key, m->string ? m->string : "");
        mh__buf_add(&key, "]", 1);
        if (key.failed) {
            b->failed = 1;
            mh__buf_free(&key);
            return;
        }
        if (cJSON_IsObject(m) && depth < 8) {
            ser_deep(b, key.p, m, first, depth + 1);
        } else {
            const cJSON *one = m;
            const cJSON *it = cJSON_IsArray(m) ? m->child : m;
            for (; it; it = cJSON_IsArray(one) ? it->next : NULL) {
                if (!*first)
                    mh__buf_add(b, "&", 1);
                *first = 0;
                put_name(b, key.p);
                mh__buf_add(b, "=", 1);
                put_value(b, it, ENC_URI);
            }
        }
        mh__buf_free(&key);
    }
}

/* simple (path, header) and label: the list joined by sep, object members
 * as "k,v" (unexploded) or "k=v" (exploded). */
static void ser_simple(mh__buf *b, const parts *ps, int explode, const char *sep, enc_mode enc)
{
    for (size_t i = 0; i < ps->count; i++) {
        if (i)
            mh__buf_adds(b, sep);
        if (ps->object) {
            put_enc_s(b, ps->items[i]->string, enc);
            mh__buf_adds(b, explode ? "=" : ",");
        }
        put_value(b, ps->items[i], enc);
    }
}

static void ser_matrix(mh__buf *b, const char *name, const parts *ps, int explode)
{
    if (ps->count == 0) {
        mh__buf_add(b, ";", 1);
        put_name(b, name);
        return;
    }
    if (!explode) {
        mh__buf_add(b, ";", 1);
        put_name(b, name);
        mh__buf_add(b, "=", 1);
        ser_simple(b, ps, 0, ",", ENC_URI);
        return;
    }
    for (size_t i = 0; i < ps->count; i++) {
        mh__buf_add(b, ";", 1);
        put_name(b, ps->object ? ps->items[i]->string : name);
        mh__buf_add(b, "=", 1);
        put_value(b, ps->items[i], ENC_URI);
    }
}

/* A parameter declared by content carries its value as that media type:
 * JSON text (a string as it is for other types), written as one primitive
 * in the location's default style. */
static char *serialize_content(const mh_param *p, const cJSON *v)
{
    char *text = cJSON_IsString(v) && !strstr(p->content_type, "json") ? strdup(v->valuestring)
                 : v                                                   ? cJSON_PrintUnformatted(v)
                                                                       : strdup("null");
    if (!text)
        return NULL;
    cJSON *str = cJSON_CreateString(text);
    free(text);
    if (!str)
        return NULL;
    mh_param q = *p;
    q.content_type = NULL;
    q.style = strcmp(p->in, "path") == 0 || strcmp(p->in, "header") == 0 ? MH_STYLE_SIMPLE
                                                                         : MH_STYLE_FORM;
    q.explode = 0;
    char *out = mh__param_serialize(&q, str);
    cJSON_Delete(str);
    return out;
}

char *mh__param_serialize(const mh_param *p, const cJSON *v)
{
    if (p->content_type)
        return serialize_content(p, v);
    mh__buf b = MH__BUF_INIT;
    mh__buf_add(&b, "", 0);
    parts ps;
    split(v, &ps);
    int container = cJSON_IsArray(v) || cJSON_IsObject(v);
    int explode = p->explode != 0;
    mh_param_style style = effective_style(p);
    if (!container && (style == MH_STYLE_SPACE_DELIMITED || style == MH_STYLE_PIPE_DELIMITED ||
                       style == MH_STYLE_DEEP_OBJECT))
        style = MH_STYLE_FORM; /* undefined for primitives: the query's default */
    if (style == MH_STYLE_DEEP_OBJECT && !cJSON_IsObject(v))
        style = MH_STYLE_FORM;
    if ((style == MH_STYLE_SPACE_DELIMITED || style == MH_STYLE_PIPE_DELIMITED) && explode)
        style = MH_STYLE_FORM;
    const pairs_fmt query = {"&", p->allow_reserved ? ENC_RESERVED : ENC_URI};
    const pairs_fmt cookie = {"; ", ENC_URI};
    switch (style) {
    case MH_STYLE_MATRIX:
        ser_matrix(&b, p->name, &ps, explode);
        break;
    case MH_STYLE_LABEL:
        mh__buf_add(&b, ".", 1);
        ser_simple(&b, &ps, explode, explode ? "." : ",", ENC_URI);
        break;
    case MH_STYLE_SIMPLE:
        ser_simple(&b, &ps, explode, ",", strcmp(p->in, "header") == 0 ? ENC_HEADER : ENC_URI);
        break;
    case MH_STYLE_SPACE_DELIMITED:
        ser_form(&b, p->name, &ps, 0, "%20", &query);
        break;
    case MH_STYLE_PIPE_DELIMITED:
        ser_form(&b, p->name, &ps, 0, "%7C", &query);
        break;
    case MH_STYLE_DEEP_OBJECT: {
        int first = 1;
        ser_deep(&b, p->name, v, &first, 0);
        break;
    }
    default: {
        int is_cookie = strcmp(p->in, "cookie") == 0;
        /* A primitive is one "name=value" whatever explode says. */
        ser_form(&b, p->name, &ps, explode && container, ",", is_cookie ? &cookie : &query);
        break;
    }
    }
    return mh__buf_take(&b, NULL);
}
