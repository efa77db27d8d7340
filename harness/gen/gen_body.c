/* gen_body.c — the valid, boundary and malformed suites of an object body
 * (JSON, form or multipart): everything that varies the request body and
 * its media type. The probes that only JSON text can carry (escapes,
 * duplicate keys, syntax and shape breakers) are for JSON bodies only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"
#include "manta/json_strict.h"

#define SLUG_MAX 512

/* Starts a case whose body is the typical valid one, left in b for editing. */
static mh_case *begin_typical(mh__gen *g, mh_suite s, const char *slug, const char *desc,
                              const char *payload, mh__body *b)
{
    memset(b, 0, sizeof *b);
    mh_case *c = mh__case_begin(g, s, slug, desc);
    if (c)
        mh__body_typical(g, b, payload, 0);
    return c;
}

static void finish_json(mh__gen *g, mh_case *c, mh__body *b, mh__expect e)
{
    if (c)
        mh__case_json(g, c, b);
    else
        mh__body_free(b);
    mh__case_finish(g, c, e);
}

/* The typical body as text, for the syntax-breaking cases. */
static char *typical_text(mh__gen *g, size_t *len)
{
    mh__body b = {0};
    mh__body_typical(g, &b, "syntax", 0);
    char *t = mh__body_json(g, &b, len);
    mh__body_free(&b);
    return t;
}

static const char *main_key(const mh__gen *g)
{
    const mh__prop *p = mh__main_prop(g);
    return p ? p->name : "mh";
}

static const char *alnum = "abcdefghijklmnopqrstuvwxyz0123456789";

/* 1 for a JSON body; 0 for a form or multipart one. */
static int is_json(const mh__gen *g)
{
    return g->kind == MH__BODY_JSON_OBJECT;
}

static void add_random(mh__gen *g, mh__buf *b, size_t n, uint32_t lo, uint32_t span)
{
    for (size_t i = 0; i < n && !b->failed; i++)
        mh__buf_add_cp(b, lo + (uint32_t)mh_prng_below(&g->rng, span));
}

/* ---- valid ---- */

static const struct {
    const char *slug;
    const char *payload;
    const char *desc;
} valid_payloads[] = {
    {"ascii", "ascii tag", "a plain ASCII value"},
    {"cjk", "\xe6\xa8\x99\xe7\xb1\xa4", "a CJK value (\xe6\xa8\x99\xe7\xb1\xa4)"},
    {"spaces-inside", "tag with  inner spaces", "spaces inside the value"},
    {"emoji", "\xf0\x9f\x8f\xb7 tag \xf0\x9f\x98\x80", "emoji in the value"},
    {"mixed-scripts", "Mix \xe6\xb7\xb7\xe5\x90\x88 \xce\x95\xce\xbb \xd0\xba\xd0\xb8 123",
     "Latin, CJK, Greek and Cyrillic mixed"},
    {"digits", "0123456789", "digits in the value"},
    {"accented-latin", "caf\xc3\xa9 na\xc3\xafve \xc3\x86r\xc3\xb8", "accented Latin letters"},
    {"punctuation", "a-b_c.d (e) [f] #1", "ASCII punctuation"},
};

/* 1 when the body has a name-like property for the payloads to vary. */
static int has_name_like(const mh__gen *g)
{
    for (size_t i = 0; i < g->prop_count; i++)
        if (g->props[i].name_like)
            return 1;
    return 0;
}

void mh__suite_valid(mh__gen *g)
{
    mh__body b;
    if (!has_name_like(g)) {
        /* Without a name-like property the payloads would all send the same
         * body: the required properties, then every property. */
        mh_case *c =
            begin_typical(g, MH_SUITE_VALID, "typical", "the required properties", "typical", &b);
        finish_json(g, c, &b, MH__KEEP);
        c = mh__case_begin(g, MH_SUITE_VALID, "all-properties",
                           "every declared property, optional ones included");
        memset(&b, 0, sizeof b);
        if (c)
            mh__body_typical(g, &b, "all properties", 1);
        finish_json(g, c, &b, MH__KEEP);
        return;
    }
    for (size_t i = 0; i < sizeof valid_payloads / sizeof valid_payloads[0]; i++) {
        mh_case *c = begin_typical(g, MH_SUITE_VALID, valid_payloads[i].slug,
                                   valid_payloads[i].desc, valid_payloads[i].payload, &b);
        finish_json(g, c, &b, MH__KEEP);
    }
    /* Seeded random text: printable ASCII, then CJK ideographs. */
    static const struct {
        const char *slug, *desc;
        uint32_t lo, span;
        size_t n;
    } rnd[] = {{"random-printable", "random printable ASCII (seeded)", 0x21, 0x5E, 16},
               {"random-cjk", "random CJK ideographs (seeded)", 0x4E00, 0x51A6, 8}};
    for (size_t i = 0; i < 2; i++) {
        mh_case *c = mh__case_begin(g, MH_SUITE_VALID, rnd[i].slug, rnd[i].desc);
        mh__buf p = {0};
        add_random(g, &p, rnd[i].n, rnd[i].lo, rnd[i].span);
        char *payload = mh__gen_take(g, &p, NULL);
        memset(&b, 0, sizeof b);
        if (c && payload)
            mh__body_typical(g, &b, payload, 0);
        free(payload);
        finish_json(g, c, &b, MH__KEEP);
    }
    mh_case *c = mh__case_begin(g, MH_SUITE_VALID, "all-properties",
                                "every declared property, optional ones included");
    memset(&b, 0, sizeof b);
    if (c)
        mh__body_typical(g, &b, "all properties", 1);
    finish_json(g, c, &b, MH__KEEP);
}

/* ---- boundary ---- */

/* One case: the typical body with key set to raw (built by the caller after
 * begin, so it takes the case's random stream and the next unique name). */
typedef char *(*raw_fn)(mh__gen *g, const mh__prop *p, const void *arg);

static void prop_case(mh__gen *g, mh_suite s, const mh__prop *p, const char *what, const char *desc,
                      raw_fn fn, const void *arg, mh__expect e)
{
    char slug[SLUG_MAX];
    snprintf(slug, sizeof slug, "%s-%s", p->slug, what);
    mh__body b;
    mh_case *c = begin_typical(g, s, slug, desc, what, &b);
    if (c) {
        char *raw = fn(g, p, arg);
        if (!raw && !g->oom) { /* the probe does not fit this property */
            mh__body_free(&b);
            mh_case_free(c);
            return;
        }
        mh__body_set(g, &b, p->name, raw);
    }
    finish_json(g, c, &b, e);
}

static char *raw_text(mh__gen *g, const mh__prop *p, const void *arg)
{
    (void)p;
    return mh__quote(g, arg);
}

static char *raw_payload(mh__gen *g, const mh__prop *p, const void *arg)
{
    char *t = mh__payload_text(g, p, arg);
    char *q = t ? mh__quote(g, t) : NULL;
    free(t);
    return q;
}

static char *raw_length(mh__gen *g, const mh__prop *p, const void *arg)
{
    (void)p;
    size_t want = *(const size_t *)arg;
    char *base = mh__printf(g, "mh-%s-%lu", g->o->run_id, ++g->serial);
    if (!base)
        return NULL;
    mh__buf b = {0};
    size_t have = mh__utf8_count(base);
    if (want > have) {
        mh__buf_adds(&b, base);
        mh__buf_add(&b, "-", 1);
        for (size_t i = have + 1; i < want && !b.failed; i++)
            mh__buf_add(&b, &alnum[mh_prng_below(&g->rng, 36)], 1);
    } else {
        add_random(g, &b, want, 0x4E00, 0x51A6); /* too short for the prefix */
    }
    free(base);
    char *t = mh__gen_take(g, &b, NULL);
    char *q = t ? mh__quote(g, t) : NULL;
    free(t);
    return q;
}

/* Raw escapes after the unique prefix; arg points at {raw, decoded length}. */
typedef struct {
    const char *raw;
    size_t decoded;
} raw_escape;

static char *raw_escaped(mh__gen *g, const mh__prop *p, const void *arg)
{
    const raw_escape *r = arg;
    double mx = -1;
    int bounded = mh__num(p->schema, "maxLength", &mx);
    char *base = mh__printf(g, "mh-%s-%lu ", g->o->run_id, ++g->serial);
    char *q = base ? mh__quote(g, base) : NULL;
    free(base);
    if (!q)
        return NULL;
    mh__buf b = {0};
    size_t qlen = strlen(q) - 1; /* without the closing quote */
    if (!bounded || (double)(mh__utf8_count(q) - 2 + r->decoded) <= mx)
        mh__buf_add(&b, q, qlen);
    else if ((double)r->decoded <= mx)
        mh__buf_add(&b, "\"", 1);
    else {
        free(q);
        return NULL;
    }
    free(q);
    mh__buf_adds(&b, r->raw);
    mh__buf_add(&b, "\"", 1);
    return mh__gen_take(g, &b, NULL);
}

static const struct {
    const char *what, *payload, *desc;
} payloads[] = {
    {"astral-emoji", "\xf0\x9f\x98\x80 astral \xf0\x9f\x98\x80", "astral-plane emoji U+1F600"},
    {"astral-max", "max \xf4\x8f\xbf\xbf", "the last code point U+10FFFF"},
    {"combining-marks", "e\xcc\x81\xcc\xa7 a\xcc\x88\xcc\x84 Z\xcd\xa7\xcc\x91",
     "combining diacritical marks"},
    {"zero-width",
     "a\xe2\x80\x8b"
     "b\xe2\x80\x8d"
     "c\xef\xbb\xbf"
     "d",
     "zero-width space, joiner and no-break space"},
    {"bidi-override",
     "\xe2\x80\xae"
     "abc\xe2\x80\xac",
     "right-to-left override"},
    {"sql-injection", "' OR 1=1 --", "SQL-injection-looking text"},
    {"script-tag", "<script>alert(1)</script>", "HTML script tag"},
    {"jndi-lookup", "${jndi:ldap://127.0.0.1/a}", "JNDI lookup string"},
    {"format-string", "%s%n%x%d", "printf format directives"},
    {"path-traversal", "../../etc/passwd", "path traversal text"},
};

/* keep: the strict parser refuses the body, yet it is not malformed for a
 * request, so it stays in boundary (MH__KEEP) instead of moving. */
static const struct {
    const char *what, *desc;
    raw_escape esc;
    int keep;
} escapes[] = {
    {"nul-escape", "a \\u0000 escape inside the value", {"a\\u0000b", 3}, 0},
    {"json-escapes",
     "every JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9)",
     {"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9", 17},
     0},
    {"surrogate-pair-escape", "an escaped surrogate pair (U+1F600)", {"\\ud83d\\ude00", 1}, 0},
    /* Valid RFC 8259 grammar, so not malformed for a request (answers stay
     * strict: the checker rejects a lone surrogate in a body it judges). */
    {"lone-surrogate-escape",
     "a lone surrogate escape \\ud800 (valid JSON grammar)",
     {"lone \\ud800", 6},
     1},
};

static void length_cases(mh__gen *g, const mh__prop *p)
{
    static const size_t lengths[] = {1, 2, 100, 101, 255, 256, 1000, 4096, 65536};
    double mn = 0, mx = 0;
    int has_min = mh__num(p->schema, "minLength", &mn) && mn > 0;
    int has_max = mh__num(p->schema, "maxLength", &mx) && mx >= 0;
    size_t want[16], n = 0;
    if (has_min && mn > 1)
        want[n++] = (size_t)mn - 1; /* just too short: ends in malformed */
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t l = lengths[i];
        if (has_min && has_max && (double)l > mn && n && want[n - 1] < (size_t)mn)
            want[n++] = (size_t)mn;
        if (has_max && (double)l > mx)
            break;
        if (!has_min || (double)l >= mn)
            want[n++] = l;
    }
    if (has_min && mn > 1 && (n == 0 || want[n - 1] < (size_t)mn))
        want[n++] = (size_t)mn;
    if (has_max && (n == 0 || want[n - 1] != (size_t)mx))
        want[n++] = (size_t)mx;
    if (has_max)
        want[n++] = (size_t)mx + 1; /* just too long: ends in malformed */
    for (size_t i = 0; i < n; i++) {
        if (i && want[i] <= want[i - 1])
            continue;
        char what[64], desc[128];
        snprintf(what, sizeof what, "length-%zu", want[i]);
        snprintf(desc, sizeof desc, "a value of %zu code points", want[i]);
        prop_case(g, MH_SUITE_BOUNDARY, p, what, desc, raw_length, &want[i], MH__EXPECT_VALID);
    }
}

static void name_like_cases(mh__gen *g, const mh__prop *p)
{
    length_cases(g, p);
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++)
        prop_case(g, MH_SUITE_BOUNDARY, p, payloads[i].what, payloads[i].desc, raw_payload,
                  payloads[i].payload, MH__EXPECT_VALID);
    for (size_t i = 0; is_json(g) && i < sizeof escapes / sizeof escapes[0]; i++)
        prop_case(g, MH_SUITE_BOUNDARY, p, escapes[i].what, escapes[i].desc, raw_escaped,
                  &escapes[i].esc, escapes[i].keep ? MH__KEEP : MH__EXPECT_VALID);
}

static void extra_property_case(mh__gen *g)
{
    char key[64] = "mhExtra";
    for (int k = 2; k < 100; k++) { /* a name the schema does not declare */
        size_t i = 0;
        while (i < g->prop_count && strcmp(g->props[i].name, key) != 0)
            i++;
        if (i == g->prop_count)
            break;
        snprintf(key, sizeof key, "mhExtra%d", k);
    }
    mh__body b;
    mh_case *c = begin_typical(g, MH_SUITE_BOUNDARY, "extra-property", "an unknown extra property",
                               "extra", &b);
    if (c)
        mh__body_add(g, &b, key, mh__quote(g, "mh-extra"));
    finish_json(g, c, &b, MH__EXPECT_VALID);
}

static void duplicate_key_case(mh__gen *g)
{
    const mh__prop *p = mh__main_prop(g);
    if (!p)
        return;
    char slug[SLUG_MAX], desc[SLUG_MAX];
    snprintf(slug, sizeof slug, "duplicate-key-%s", p->slug);
    snprintf(desc, sizeof desc, "\"%s\" twice, both values schema-valid (not strict JSON)",
             p->name);
    mh__body b;
    mh_case *c = begin_typical(g, MH_SUITE_BOUNDARY, slug, desc, "first", &b);
    if (c) {
        char *raw = NULL;
        if (p->name_like) {
            char *t = mh__unique_text(g, p, "second", 60);
            raw = t ? mh__quote(g, t) : NULL;
            free(t);
        } else {
            raw = p->credential ? mh__quote(g, g->o->secret) : mh__gen_value(g, p->schema, 1);
        }
        mh__body_add(g, &b, p->name, raw);
    }
    finish_json(g, c, &b, MH__EXPECT_NONSTRICT);
}

static char *raw_number(mh__gen *g, const mh__prop *p, const void *arg)
{
    (void)p;
    return mh__strdup(g, arg);
}

static void number_cases(mh__gen *g, const mh__prop *p)
{
    int integer = strcmp(p->type, "integer") == 0;
    double lo = 0, hi = 0;
    int has_lo = mh__num(p->schema, "minimum", &lo), has_hi = mh__num(p->schema, "maximum", &hi);
    int ex_lo = mh__flag(p->schema, "exclusiveMinimum");
    int ex_hi = mh__flag(p->schema, "exclusiveMaximum");
    char v[64];
    if (has_lo) {
        double at = ex_lo ? (integer ? lo + 1 : lo + 0.001) : lo;
        snprintf(v, sizeof v, integer ? "%.0f" : "%.17g", at);
        prop_case(g, MH_SUITE_BOUNDARY, p, "minimum", "the smallest allowed number", raw_number, v,
                  MH__EXPECT_VALID);
        snprintf(v, sizeof v, integer ? "%.0f" : "%.17g", ex_lo ? lo : lo - 1);
        prop_case(g, MH_SUITE_BOUNDARY, p, "below-minimum", "a number below the minimum",
                  raw_number, v, MH__EXPECT_VALID);
    } else {
        prop_case(g, MH_SUITE_BOUNDARY, p, "negative-large", "a large negative number", raw_number,
                  integer ? "-9007199254740991" : "-1.7976931348623157e308", MH__EXPECT_VALID);
    }
    if (has_hi) {
        double at = ex_hi ? (integer ? hi - 1 : hi - 0.001) : hi;
        snprintf(v, sizeof v, integer ? "%.0f" : "%.17g", at);
        prop_case(g, MH_SUITE_BOUNDARY, p, "maximum", "the largest allowed number", raw_number, v,
                  MH__EXPECT_VALID);
        snprintf(v, sizeof v, integer ? "%.0f" : "%.17g", ex_hi ? hi : hi + 1);
        prop_case(g, MH_SUITE_BOUNDARY, p, "above-maximum", "a number above the maximum",
                  raw_number, v, MH__EXPECT_VALID);
    } else {
        prop_case(g, MH_SUITE_BOUNDARY, p, "large", "a large positive number", raw_number,
                  integer ? "9007199254740991" : "1.7976931348623157e308", MH__EXPECT_VALID);
    }
}

void mh__suite_boundary(mh__gen *g)
{
    for (size_t i = 0; i < g->prop_count; i++) {
        const mh__prop *p = &g->props[i];
        if (p->credential || !p->type || strcmp(p->type, "string") != 0)
            continue;
        prop_case(g, MH_SUITE_BOUNDARY, p, "empty", "an empty string", raw_text, "",
                  MH__EXPECT_VALID);
        prop_case(g, MH_SUITE_BOUNDARY, p, "whitespace", "a whitespace-only string", raw_text,
                  "   ", MH__EXPECT_VALID);
    }
    for (size_t i = 0; i < g->prop_count; i++)
        if (g->props[i].name_like)
            name_like_cases(g, &g->props[i]);
    extra_property_case(g);
    if (is_json(g))
        duplicate_key_case(g);
    mh__param_bot_cases(g);
    for (size_t i = 0; i < g->prop_count; i++) {
        const char *t = g->props[i].type;
        if (t && (strcmp(t, "integer") == 0 || strcmp(t, "number") == 0))
            number_cases(g, &g->props[i]);
    }
}

/* ---- malformed ---- */

static void missing_cases(mh__gen *g)
{
    for (size_t i = 0; i < g->prop_count; i++) {
        const mh__prop *p = &g->props[i];
        if (!p->required)
            continue;
        char slug[SLUG_MAX], desc[SLUG_MAX];
        snprintf(slug, sizeof slug, "%s-missing", p->slug);
        snprintf(desc, sizeof desc, "the required property \"%s\" left out", p->name);
        mh__body b;
        mh_case *c = begin_typical(g, MH_SUITE_MALFORMED, slug, desc, "missing", &b);
        mh__body_remove(&b, p->name);
        finish_json(g, c, &b, MH__EXPECT_INVALID);
    }
}

static int type_is(const mh__prop *p, const char *t)
{
    return p->type && strcmp(p->type, t) == 0;
}

static void wrong_type_cases(mh__gen *g)
{
    for (size_t i = 0; i < g->prop_count; i++) {
        const mh__prop *p = &g->props[i];
        const struct {
            const char *kind, *article, *raw;
            int skip;
        } wrong[] = {
            {"number", "a ", type_is(p, "integer") ? "1.5" : "42", type_is(p, "number")},
            {"boolean", "a ", "true", type_is(p, "boolean")},
            {"null", "", "null", p->nullable},
            {"array", "an ", "[]", type_is(p, "array")},
            {"object", "an ", "{}", type_is(p, "object")},
            {"string", "a ", "\"42\"", type_is(p, "string")},
        };
        for (size_t k = 0; k < sizeof wrong / sizeof wrong[0]; k++) {
            if (wrong[k].skip)
                continue;
            char what[64], desc[SLUG_MAX];
            snprintf(what, sizeof what, "wrong-type-%s", wrong[k].kind);
            snprintf(desc, sizeof desc, "\"%s\" given as %s%s", p->name, wrong[k].article,
                     wrong[k].kind);
            prop_case(g, MH_SUITE_MALFORMED, p, what, desc, raw_number, wrong[k].raw,
                      MH__EXPECT_INVALID);
        }
    }
}

/* A form field is text: only a number or boolean property given text that
 * is neither has the wrong type there. */
static void form_wrong_type_cases(mh__gen *g)
{
    for (size_t i = 0; i < g->prop_count; i++) {
        const mh__prop *p = &g->props[i];
        int num = type_is(p, "integer") || type_is(p, "number");
        if (!num && !type_is(p, "boolean"))
            continue;
        char desc[SLUG_MAX];
        snprintf(desc, sizeof desc, "\"%s\" given as text that is not a %s", p->name,
                 num ? "number" : "boolean");
        prop_case(g, MH_SUITE_MALFORMED, p, "wrong-type-string", desc, raw_number,
                  num ? "\"mh-not-a-number\"" : "\"mh-not-a-boolean\"", MH__EXPECT_INVALID);
    }
}

/* A case with a literal body (len bytes; NULL body_text = none). */
static void literal_case(mh__gen *g, const char *slug, const char *desc, const char *text,
                         size_t len)
{
    mh_case *c = mh__case_begin(g, MH_SUITE_MALFORMED, slug, desc);
    if (c) {
        char *body = malloc(len + 1);
        if (!body)
            g->oom = 1;
        else {
            memcpy(body, text, len);
            body[len] = '\0';
        }
        mh__case_body(g, c, body, len);
    }
    mh__case_finish(g, c, MH__EXPECT_INVALID);
}

static void shape_cases(mh__gen *g)
{
    static const struct {
        const char *slug, *text, *desc;
    } shapes[] = {
        {"body-array", "[]", "an array instead of an object"},
        {"body-string", "\"str\"", "a string instead of an object"},
        {"body-number", "42", "a number instead of an object"},
        {"body-boolean", "true", "a boolean instead of an object"},
        {"body-null", "null", "null instead of an object"},
        {"body-empty", "", "an empty body (zero bytes)"},
        {"body-whitespace", " \r\n\t ", "a whitespace-only body"},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        /* An optional body may be left out: an empty one is not malformed. */
        if (!g->op->body_required && i >= 5)
            continue;
        literal_case(g, shapes[i].slug, shapes[i].desc, shapes[i].text, strlen(shapes[i].text));
    }
}

/* Syntax breakers applied to the typical body text t (which ends in '}'). */
static char *break_syntax(mh__gen *g, int kind, const char *t, size_t len, size_t *out_len)
{
    mh__buf b = {0};
    switch (kind) {
    case 0: /* truncated */
        mh__buf_add(&b, t, len / 2);
        break;
    case 1: /* trailing garbage */
        mh__buf_add(&b, t, len);
        mh__buf_adds(&b, " garbage");
        break;
    case 2: /* trailing comma */
        mh__buf_add(&b, t, len - 1);
        mh__buf_adds(&b, ",}");
        break;
    case 3: /* single quotes */
        for (size_t i = 0; i < len; i++)
            mh__buf_add(&b, t[i] == '"' ? "'" : &t[i], 1);
        break;
    case 4: /* comment */
        mh__buf_adds(&b, "{/* comment */");
        mh__buf_add(&b, t + 1, len - 1);
        break;
    default: /* BOM */
        mh__buf_adds(&b, "\xef\xbb\xbf");
        mh__buf_add(&b, t, len);
        break;
    }
    return mh__gen_take(g, &b, out_len);
}

static void syntax_cases(mh__gen *g)
{
    static const struct {
        const char *slug, *desc;
    } kinds[] = {
        {"json-truncated", "JSON cut in the middle"},
        {"json-trailing-garbage", "valid JSON followed by garbage"},
        {"json-trailing-comma", "a trailing comma before }"},
        {"json-single-quotes", "single-quoted strings"},
        {"json-comment", "a /* comment */ inside the object"},
        {"json-bom", "a UTF-8 byte-order mark before valid JSON"},
    };
    for (int k = 0; k < 6; k++) {
        mh_case *c = mh__case_begin(g, MH_SUITE_MALFORMED, kinds[k].slug, kinds[k].desc);
        if (c) {
            size_t len = 0, out_len = 0;
            char *t = typical_text(g, &len);
            char *body = t ? break_syntax(g, k, t, len, &out_len) : NULL;
            free(t);
            mh__case_body(g, c, body, out_len);
        }
        mh__case_finish(g, c, MH__EXPECT_INVALID);
    }
}

/* Raw values that break JSON inside a property of the typical body. */
static char *raw_broken(mh__gen *g, const mh__prop *p, const void *arg)
{
    (void)p;
    const char *what = arg;
    if (strcmp(what, "deep") == 0) {
        mh__buf b = {0};
        for (int i = 0; i < 10000; i++)
            mh__buf_add(&b, "[", 1);
        for (int i = 0; i < 10000; i++)
            mh__buf_add(&b, "]", 1);
        return mh__gen_take(g, &b, NULL);
    }
    char *base = mh__printf(g, "\"mh-%s-%lu %s\"", g->o->run_id, ++g->serial, what);
    return base;
}

static const mh__prop *numeric_or_main(const mh__gen *g)
{
    for (size_t i = 0; i < g->prop_count; i++)
        if (type_is(&g->props[i], "integer") || type_is(&g->props[i], "number"))
            return &g->props[i];
    return mh__main_prop(g);
}

static void value_break_cases(mh__gen *g)
{
    const mh__prop *p = mh__main_prop(g);
    const mh__prop *num = numeric_or_main(g);
    mh__prop fallback = {.name = "mh", .slug = "mh"};
    if (!p)
        p = num = &fallback;
    static const struct {
        const char *slug, *desc, *raw;
        int numeric;
    } v[] = {
        {"json-invalid-utf8", "invalid UTF-8 bytes inside a string", "bad \xc3\x28\xff", 0},
        {"json-raw-control-char", "a raw control character inside a string", "ctl \x01", 0},
        {"json-nan", "NaN as a number", NULL, 1},
        {"json-leading-zero", "a number with a leading zero", NULL, 2},
        {"json-deep-nesting", "10,000 nested arrays inside a property", "deep", 3},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const mh__prop *target = v[i].numeric == 1 || v[i].numeric == 2 ? num : p;
        mh__body b;
        mh_case *c = begin_typical(g, MH_SUITE_MALFORMED, v[i].slug, v[i].desc, "broken", &b);
        if (c) {
            char *raw = v[i].numeric == 1   ? mh__strdup(g, "NaN")
                        : v[i].numeric == 2 ? mh__strdup(g, "0123")
                                            : raw_broken(g, target, v[i].raw);
            mh__body_set(g, &b, target->name, raw);
        }
        finish_json(g, c, &b, MH__EXPECT_INVALID);
    }
}

static void media_type_cases(mh__gen *g)
{
    mh__body b;
    mh_case *c = begin_typical(g, MH_SUITE_MALFORMED, "content-type-text-plain",
                               "a valid body sent as text/plain", "text plain", &b);
    if (c)
        mh__case_header(g, c, "Content-Type", "text/plain");
    finish_json(g, c, &b, MH__KEEP);
    c = begin_typical(g, MH_SUITE_MALFORMED, "content-type-missing",
                      "a valid body with no Content-Type header", "no type", &b);
    if (c)
        mh__case_header(g, c, "Content-Type", NULL);
    finish_json(g, c, &b, MH__KEEP);
}

static void large_invalid_case(mh__gen *g)
{
    mh__body b;
    mh_case *c = begin_typical(
        g, MH_SUITE_MALFORMED, "body-large-invalid",
        "about 256 KiB (4x the usual 64 KiB cap): a valid object prefix, then cut inside a string",
        "large", &b);
    if (c) {
        const char *key = main_key(g);
        mh__body_remove(&b, key);
        size_t len = 0;
        char *t = mh__body_json(g, &b, &len);
        char *k = mh__quote(g, key);
        mh__buf out = {0};
        if (t && k) {
            mh__buf_add(&out, t, len - 1); /* drop the closing brace */
            if (b.items.len)
                mh__buf_add(&out, ",", 1);
            mh__buf_adds(&out, k);
            mh__buf_addf(&out, ":\"mh-%s-%lu ", g->o->run_id, ++g->serial);
            while (!out.failed && out.len < (1u << 18) + 64) /* just over 256 KiB */
                mh__buf_adds(&out, "large-body-padding-");
        }
        free(t);
        free(k);
        mh__body_free(&b);
        size_t blen = 0;
        char *body = mh__gen_take(g, &out, &blen);
        mh__case_body(g, c, body, blen);
    }
    mh__case_finish(g, c, MH__EXPECT_INVALID);
}

void mh__suite_malformed(mh__gen *g)
{
    missing_cases(g);
    if (!is_json(g)) {
        form_wrong_type_cases(g);
        media_type_cases(g);
        return;
    }
    wrong_type_cases(g);
    shape_cases(g);
    syntax_cases(g);
    value_break_cases(g);
    media_type_cases(g);
    large_invalid_case(g);
}
