/* yaml.c — YAML documents as strict-JSON-style cJSON trees (yaml.h).
 *
 * libyaml does the parsing (and resolves anchors into shared nodes); this
 * file only turns its node graph into a cJSON tree, resolving plain scalars by
 * the YAML 1.2 core schema. Written by hand because no packaged library maps
 * YAML onto cJSON with JSON literals kept for exact numbers.
 */
#include "manta/yaml.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "manta/json_strict.h"
#include "util/buf.h"

/* One open sequence or mapping. */
typedef struct {
    cJSON *node;        /* attached to its parent already (or the root) */
    char *anchor;       /* registered when the container ends */
    size_t first_node;  /* ctx.nodes when it started: its size for aliases */
    char *key;          /* mapping: the pending key, NULL when a key is expected */
    yaml_mark_t key_at; /* where the pending key starts */
    int merging;        /* mapping: the pending key is the merge key << */
    cJSON *merges;      /* mapping: values given to <<, applied at the end */
} frame;

typedef struct {
    char *name;
    const cJSON *node; /* in the tree */
    size_t count;      /* nodes it holds */
} anchor;

typedef struct {
    const char *name;
    mh_error *err;
    mh_status st;
    size_t nodes;
    cJSON *root;
    frame stack[MH_JSON_DEFAULT_DEPTH + 1];
    int depth;
    anchor *anchors;
    size_t anchor_count, anchor_cap;
} ctx;

static mh_status fail_at(ctx *c, const yaml_mark_t *m, mh_status st, const char *fmt,
                         const char *arg)
{
    if (c->st != MH_OK)
        return c->st;
    c->st = st;
    mh_error_set(c->err, st, fmt, arg);
    if (m)
        mh_error_at_file(c->err, c->name ? c->name : "", (int)m->line + 1, (int)m->column + 1,
                         (long)m->index);
    return st;
}

/* fail_at for int-returning steps: always -1. */
static int fail(ctx *c, const yaml_mark_t *m, mh_status st, const char *fmt, const char *arg)
{
    fail_at(c, m, st, fmt, arg);
    return -1;
}

static int text_is(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return 1;
    return 0;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};
static const char *const special_floats[] = {".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf",
                                             "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
                                             ".NaN",  ".NAN",  NULL};

static int all_digits(const char *s, size_t n, int base)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        if (base == 8 ? (ch < '0' || ch > '7') : base == 16 ? !isxdigit(ch) : !isdigit(ch))
            return 0;
    }
    return 1;
}

/* Writes the JSON literal of a YAML 1.2 decimal int/float into b; 0 when s is
 * not one. [-+]? ( \.[0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static int decimal_literal(const char *s, mh__buf *b)
{
    const char *p = s;
    int neg = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    const char *ip = p;
    while (isdigit((unsigned char)*p))
        p++;
    size_t il = (size_t)(p - ip);
    const char *fp = NULL;
    size_t fl = 0;
    if (*p == '.') {
        fp = ++p;
        while (isdigit((unsigned char)*p))
            p++;
        fl = (size_t)(p - fp);
    }
    if (il == 0 && fl == 0)
        return 0;
    const char *ep = NULL;
    if (*p == 'e' || *p == 'E') {
        ep = ++p;
        if (*p == '-' || *p == '+')
            p++;
        if (!isdigit((unsigned char)*p))
            return 0;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p)
        return 0;
    while (il > 1 && *ip == '0') /* JSON has no leading zeros */
        ip++, il--;
    if (neg)
        mh__buf_add(b, "-", 1);
    mh__buf_add(b, il ? ip : "0", il ? il : 1);
    if (fp) {
        mh__buf_add(b, ".", 1);
        mh__buf_add(b, fl ? fp : "0", fl ? fl : 1);
    }
    if (ep) {
        mh__buf_add(b, "e", 1);
        mh__buf_adds(b, ep);
    }
    return 1;
}

/* The JSON literal of an integer or float scalar in b; 0 when s is neither. */
static int number_literal(const char *s, mh__buf *b)
{
    size_t n = strlen(s);
    if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        int base = s[1] == 'o' ? 8 : 16;
        if (!all_digits(s + 2, n - 2, base))
            return 0;
        errno = 0;
        unsigned long long v = strtoull(s + 2, NULL, base);
        if (errno == ERANGE)
            return 0; /* stays a string rather than a wrong number */
        mh__buf_addf(b, "%llu", v);
        return 1;
    }
    return decimal_literal(s, b);
}

static cJSON *number_node(const char *literal)
{
    cJSON *num = cJSON_CreateNumber(strtod(literal, NULL));
    if (!num)
        return NULL;
    num->valuestring = strdup(literal);
    if (!num->valuestring) {
        cJSON_Delete(num);
        return NULL;
    }
    return num;
}

/* A string node; NUL bytes become C0 80 as json_strict.h promises. */
static cJSON *string_node(const char *s, size_t n)
{
    if (!memchr(s, '\0', n))
        return cJSON_CreateString(s);
    mh__buf b = MH__BUF_INIT;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0') {
            mh__buf_add(&b, s + start, i - start);
            mh__buf_add(&b, "\xC0\x80", 2);
            start = i + 1;
        }
    }
    mh__buf_add(&b, s + start, n - start);
    char *text = mh__buf_take(&b, NULL);
    cJSON *node = text ? cJSON_CreateString(text) : NULL;
    free(text);
    return node;
}

static int tag_is(const yaml_event_t *e, const char *short_tag)
{
    const char *t = (const char *)e->data.scalar.tag;
    return t && strcmp(t, short_tag) == 0;
}

/* The node of a scalar event by the core schema; NULL after fail_at. */
static cJSON *scalar(ctx *c, const yaml_event_t *e)
{
    const char *s = (const char *)e->data.scalar.value;
    size_t len = e->data.scalar.length;
    int tagged = e->data.scalar.tag != NULL && !tag_is(e, "!");
    if (tag_is(e, YAML_STR_TAG) || (!tagged && !e->data.scalar.plain_implicit))
        return string_node(s, len);
    int want_num = tag_is(e, YAML_INT_TAG) || tag_is(e, YAML_FLOAT_TAG);
    if (!want_num && text_is(s, null_words))
        return cJSON_CreateNull();
    if (!want_num && text_is(s, true_words))
        return cJSON_CreateTrue();
    if (!want_num && text_is(s, false_words))
        return cJSON_CreateFalse();
    if (text_is(s, special_floats)) {
        fail_at(c, &e->start_mark, MH_ERR_YAML, "YAML value %s has no JSON equivalent", s);
        return NULL;
    }
    mh__buf lit = MH__BUF_INIT;
    if (strlen(s) == len && number_literal(s, &lit)) {
        char *text = mh__buf_take(&lit, NULL);
        cJSON *num = text ? number_node(text) : NULL;
        free(text);
        return num;
    }
    mh__buf_free(&lit);
    if (tagged) {
        fail_at(c, &e->start_mark, MH_ERR_YAML, "scalar '%.80s' does not match its tag", s);
        return NULL;
    }
    return string_node(s, len);
}

static int add_anchor(ctx *c, const char *name, const cJSON *node, size_t count)
{
    if (c->anchor_count == c->anchor_cap) {
        mh__buf grow = MH__BUF_INIT; /* one growth rule: copy into a larger buffer */
        mh__buf_add(&grow, c->anchors, c->anchor_count * sizeof *c->anchors);
        if (!mh__buf_reserve(&grow, (c->anchor_cap ? c->anchor_cap : 8) * sizeof *c->anchors))
            return -1;
        free(c->anchors);
        c->anchor_cap = grow.cap / sizeof *c->anchors;
        c->anchors = (anchor *)(void *)mh__buf_take(&grow, NULL);
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    c->anchors[c->anchor_count++] = (anchor){copy, node, count};
    return 0;
}

/* The latest anchor of that name (YAML lets a name be reused). */
static const anchor *find_anchor(const ctx *c, const char *name)
{
    for (size_t i = c->anchor_count; i-- > 0;)
        if (strcmp(c->anchors[i].name, name) == 0)
            return &c->anchors[i];
    return NULL;
}

/* Places a finished value: the root, the next array item, a mapping value,
 * or a pending merge. Takes v (freed on failure). */
static int place(ctx *c, cJSON *v, const yaml_mark_t *m)
{
    if (c->depth == 0) {
        c->root = v;
        return 0;
    }
    frame *f = &c->stack[c->depth - 1];
    if (cJSON_IsArray(f->node)) {
        cJSON_AddItemToArray(f->node, v);
        return 0;
    }
    if (f->merging) {
        f->merging = 0;
        if (!f->merges && !(f->merges = cJSON_CreateArray())) {
            cJSON_Delete(v);
            return fail(c, m, MH_ERR_NOMEM, "out of memory%s", "");
        }
        cJSON_AddItemToArray(f->merges, v);
        return 0;
    }
    char *key = f->key;
    f->key = NULL;
    if (mh_json_get(f->node, key)) {
        fail_at(c, &f->key_at, MH_ERR_YAML, "duplicate key \"%.200s\"", key);
        free(key);
        cJSON_Delete(v);
        return -1;
    }
    cJSON_AddItemToObject(f->node, key, v);
    free(key);
    return 0;
}

/* A scalar where a mapping key is expected: becomes the pending key. */
static int take_key(ctx *c, frame *f, const yaml_event_t *e)
{
    const char *s = (const char *)e->data.scalar.value;
    if (memchr(s, '\0', e->data.scalar.length))
        return fail(c, &e->start_mark, MH_ERR_YAML, "mapping key holds a NUL byte%s", "");
    if (e->data.scalar.plain_implicit && strcmp(s, "<<") == 0 && !e->data.scalar.tag) {
        f->merging = 1;
        return 0;
    }
    f->key = strdup(s);
    f->key_at = e->start_mark;
    return f->key ? 0 : fail(c, &e->start_mark, MH_ERR_NOMEM, "out of memory%s", "");
}

static int expects_key(const ctx *c)
{
    if (c->depth == 0)
        return 0;
    const frame *f = &c->stack[c->depth - 1];
    return cJSON_IsObject(f->node) && !f->key && !f->merging;
}

static int count_node(ctx *c, size_t n, const yaml_mark_t *m)
{
    if (n > MH_YAML_MAX_NODES - c->nodes)
        return fail(c, m, MH_ERR_YAML, "aliases expand to more than %s nodes", "4194304");
    c->nodes += n;
    return 0;
}

/* Applies the << values of a finished mapping: keys it has win. */
static int apply_merges(ctx *c, frame *f, const yaml_mark_t *m)
{
    for (const cJSON *v = f->merges ? f->merges->child : NULL; v; v = v->next) {
        const cJSON *one = cJSON_IsArray(v) ? v->child : v;
        for (; one; one = cJSON_IsArray(v) ? one->next : NULL) {
            if (!cJSON_IsObject(one))
                return fail(c, m, MH_ERR_YAML, "merge key << needs mappings%s", "");
            for (const cJSON *kv = one->child; kv; kv = kv->next) {
                if (mh_json_get(f->node, kv->string))
                    continue;
                cJSON *copy = mh_json_duplicate(kv);
                if (!copy)
                    return fail(c, m, MH_ERR_NOMEM, "out of memory%s", "");
                cJSON_AddItemToObject(f->node, kv->string, copy);
            }
        }
    }
    return 0;
}

static int start_container(ctx *c, const yaml_event_t *e, int is_map)
{
    const char *anchor_name =
        (const char *)(is_map ? e->data.mapping_start.anchor : e->data.sequence_start.anchor);
    if (c->depth >= MH_JSON_DEFAULT_DEPTH)
        return fail(c, &e->start_mark, MH_ERR_YAML, "nesting deeper than %s", "256");
    if (count_node(c, 1, &e->start_mark) != 0)
        return -1;
    cJSON *node = is_map ? cJSON_CreateObject() : cJSON_CreateArray();
    if (!node)
        return fail(c, &e->start_mark, MH_ERR_NOMEM, "out of memory%s", "");
    if (place(c, node, &e->start_mark) != 0)
        return -1;
    frame *f = &c->stack[c->depth++];
    memset(f, 0, sizeof *f);
    f->node = node;
    f->first_node = c->nodes - 1;
    if (anchor_name && !(f->anchor = strdup(anchor_name)))
        return fail(c, &e->start_mark, MH_ERR_NOMEM, "out of memory%s", "");
    return 0;
}

static void frame_clear(frame *f)
{
    free(f->anchor);
    free(f->key);
    cJSON_Delete(f->merges);
    memset(f, 0, sizeof *f);
}

static int end_container(ctx *c, const yaml_event_t *e)
{
    frame *f = &c->stack[c->depth - 1];
    int rc = apply_merges(c, f, &e->start_mark);
    if (rc == 0 && f->anchor && add_anchor(c, f->anchor, f->node, c->nodes - f->first_node) != 0)
        rc = fail(c, &e->start_mark, MH_ERR_NOMEM, "out of memory%s", "");
    frame_clear(f);
    c->depth--;
    return rc;
}

static int on_scalar(ctx *c, const yaml_event_t *e)
{
    if (expects_key(c))
        return take_key(c, &c->stack[c->depth - 1], e);
    if (count_node(c, 1, &e->start_mark) != 0)
        return -1;
    cJSON *v = scalar(c, e);
    if (!v)
        return fail(c, &e->start_mark, MH_ERR_NOMEM, "out of memory%s", ""); /* first wins */
    const cJSON *placed = v;
    if (place(c, v, &e->start_mark) != 0)
        return -1;
    if (e->data.scalar.anchor && add_anchor(c, (const char *)e->data.scalar.anchor, placed, 1) != 0)
        return fail(c, &e->start_mark, MH_ERR_NOMEM, "out of memory%s", "");
    return 0;
}

static int on_alias(ctx *c, const yaml_event_t *e)
{
    const anchor *a = find_anchor(c, (const char *)e->data.alias.anchor);
    if (!a) /* also an alias inside the node it names: that node is not finished */
        return fail(c, &e->start_mark, MH_ERR_YAML, "unknown anchor *%.100s",
                    (const char *)e->data.alias.anchor);
    if (expects_key(c))
        return fail(c, &e->start_mark, MH_ERR_YAML, "mapping keys must be scalars%s", "");
    if (count_node(c, a->count, &e->start_mark) != 0)
        return -1;
    cJSON *copy = mh_json_duplicate(a->node);
    if (!copy)
        return fail(c, &e->start_mark, MH_ERR_NOMEM, "out of memory%s", "");
    return place(c, copy, &e->start_mark);
}

/* Handles one event; 1 when the document is complete, 0 to go on, -1 on error. */
static int on_event(ctx *c, const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        return on_scalar(c, e);
    case YAML_ALIAS_EVENT:
        return on_alias(c, e);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (expects_key(c))
            return fail(c, &e->start_mark, MH_ERR_YAML, "mapping keys must be scalars%s", "");
        return start_container(c, e, e->type == YAML_MAPPING_START_EVENT);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return end_container(c, e);
    case YAML_DOCUMENT_END_EVENT:
        return 1;
    default:
        return 0;
    }
}

static mh_status parser_error(ctx *c, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        return fail_at(c, NULL, MH_ERR_NOMEM, "out of memory reading YAML%s", "");
    const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->context_mark;
    char what[300];
    snprintf(what, sizeof what, "%s%s%s", p->problem ? p->problem : "error", p->context ? " " : "",
             p->context ? p->context : "");
    return fail_at(c, m, MH_ERR_YAML, "invalid YAML: %s", what);
}

/* Runs the parser to the end of the first document, then makes sure the
 * stream holds nothing else. */
static void parse_events(ctx *c, yaml_parser_t *p)
{
    int done = 0;
    while (c->st == MH_OK) {
        yaml_event_t e;
        if (!yaml_parser_parse(p, &e)) {
            parser_error(c, p);
            return;
        }
        int stream_end = e.type == YAML_STREAM_END_EVENT;
        if (done && e.type == YAML_DOCUMENT_START_EVENT)
            fail_at(c, &e.start_mark, MH_ERR_YAML, "invalid YAML: more than one document%s", "");
        else if (!done && on_event(c, &e) == 1)
            done = 1;
        yaml_event_delete(&e);
        if (stream_end)
            break;
    }
    if (c->st == MH_OK && !c->root) {
        yaml_mark_t start = {0, 0, 0};
        fail_at(c, &start, MH_ERR_YAML, "invalid YAML: the document is empty%s", "");
    }
}

mh_status mh_yaml_parse(const char *buf, size_t len, const char *name, cJSON **out, mh_error *err)
{
    *out = NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory reading YAML");
    yaml_parser_set_input_string(&parser, (const unsigned char *)(buf ? buf : ""), len);
    ctx *c = calloc(1, sizeof *c);
    if (!c) {
        yaml_parser_delete(&parser);
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory reading YAML");
    }
    c->name = name;
    c->err = err;
    parse_events(c, &parser);
    yaml_parser_delete(&parser);
    while (c->depth > 0)
        frame_clear(&c->stack[--c->depth]);
    for (size_t i = 0; i < c->anchor_count; i++)
        free(c->anchors[i].name);
    free(c->anchors);
    mh_status st = c->st;
    if (st == MH_OK)
        *out = c->root;
    else
        cJSON_Delete(c->root);
    free(c);
    return st;
}

int mh_yaml_looks_like_json(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* a BOM before JSON: the strict parser names it */
    for (; i < len; i++) {
        char ch = buf[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
            continue;
        return ch == '{' || ch == '[';
    }
    return 0;
}

mh_status mh_document_parse(const char *buf, size_t len, const char *name, cJSON **out,
                            mh_error *err)
{
    *out = NULL;
    if (!mh_yaml_looks_like_json(buf, len))
        return mh_yaml_parse(buf, len, name, out, err);
    mh_json_error je;
    mh_json_rule rule = mh_json_parse(buf, len, NULL, out, &je);
    if (rule == MH_JSON_OK)
        return MH_OK;
    return mh_json_error_describe(err, rule, &je, name, NULL);
}
