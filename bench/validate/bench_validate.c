/* bench_validate.c — parse + validate throughput of the engine.
 *
 *   bench_validate gen COUNT SEED OUT
 *       writes COUNT documents (deterministic for a seed) to OUT.
 *   bench_validate run SPEC DOCS REPS VERDICTS [--breakdown]
 *       reads every document into memory, then times REPS passes of
 *       mh_json_parse + mh_schema_validate (all violations collected) over
 *       them, prints the best pass as "key=value" words on stdout and writes
 *       one verdict line per document to VERDICTS. Times are the best
 *       wall-clock (best_s) and the best CPU time (best_cpu_s) of the passes.
 *       --breakdown first times the stages on their own: parse with out =
 *       NULL, tree built and freed, validation counting violations without
 *       recording them.
 *
 * Document file format (read by bench/validate/ajv.js too): per document a
 * header line "SCHEMA CATEGORY LENGTH\n", then LENGTH raw bytes, then "\n".
 * SCHEMA is 0 (BasicSuccessResponse) or 1 (ErrorResponse), alternating; the
 * category names what the generator did, so disagreements can be classified.
 * Verdict line: "1 0" valid, "0 N" N violations, "0 -1" not strict JSON.
 *
 * This is a benchmark front end, not library code: it prints and exits on
 * errors.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manta/json_strict.h"
#include "manta/schema.h"
#include "manta/spec.h"

static const char *const schema_names[2] = {"BasicSuccessResponse", "ErrorResponse"};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench_validate: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

/* ---- growable byte buffer ------------------------------------------------ */

typedef struct {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            die("out of memory");
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        die("sb_printf overflow");
    sb_put(b, tmp, (size_t)n);
}

/* ---- generator ------------------------------------------------------------ */

/* splitmix64: tiny, seedable, identical everywhere. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned rng_below(uint64_t *s, unsigned n)
{
    return (unsigned)(rng_next(s) % n);
}

typedef struct {
    sbuf doc;
    uint64_t rng;
    int spaced;    /* this document has whitespace between tokens */
    int first[16]; /* per open object/array: no member written yet */
    int depth;
} gen;

static void ws(gen *g)
{
    static const char *const pads[] = {" ", "\n  ", "\t", "", "\r\n    "};
    if (g->spaced)
        sb_puts(&g->doc, pads[rng_below(&g->rng, 5)]);
}

static void open_(gen *g, const char *bracket)
{
    sb_puts(&g->doc, bracket);
    g->first[++g->depth] = 1;
    ws(g);
}

static void close_(gen *g, const char *bracket)
{
    ws(g);
    sb_puts(&g->doc, bracket);
    g->depth--;
}

/* Comma (unless first) then the member name and colon. name is raw JSON
 * string content (may hold escapes). */
static void key(gen *g, const char *name)
{
    if (!g->first[g->depth]) {
        sb_puts(&g->doc, ",");
        ws(g);
    }
    g->first[g->depth] = 0;
    sb_printf(&g->doc, "\"%s\"", name);
    ws(g);
    sb_puts(&g->doc, ":");
    ws(g);
}

/* Comma before an array element. */
static void elem(gen *g)
{
    if (!g->first[g->depth]) {
        sb_puts(&g->doc, ",");
        ws(g);
    }
    g->first[g->depth] = 0;
}

static void raw(gen *g, const char *s)
{
    sb_puts(&g->doc, s);
}

/* Words of a message: plain ASCII, raw UTF-8, and escapes JSON allows. */
static const char *const words[] = {
    "Tag",
    "created",
    "personal",
    "tag",
    "already",
    "exists",
    "invalid",
    "token",
    "bot",
    "not",
    "found",
    "rate",
    "limit",
    "exceeded",
    "please",
    "retry",
    "later",
    "name",
    "must",
    "be",
    "unique",
    "the",
    "request",
    "was",
    "rejected",
    "caf\xc3\xa9",
    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
    "\xf0\x9f\x98\x80",
    "na\xc3\xafve",
    "\\n",
    "\\\"quoted\\\"",
    "caf\\u00e9",
    "\\ud83d\\ude00",
    "a\\/b",
    "\\t",
    "C:\\\\path",
    "\\u0041BC",
    "\\u0000",
};

static void message(gen *g, int heavy)
{
    unsigned n = 1 + rng_below(&g->rng, 12);
    unsigned pool = sizeof words / sizeof words[0];
    raw(g, "\"");
    for (unsigned i = 0; i < n; i++) {
        unsigned w = heavy ? 25 + rng_below(&g->rng, pool - 25) : rng_below(&g->rng, 25 + 6);
        if (i)
            raw(g, " ");
        raw(g, words[w]);
    }
    raw(g, "\"");
}

static void code(gen *g)
{
    static const unsigned bases[] = {400, 401, 403, 404, 409, 422, 429, 500, 503};
    unsigned b = bases[rng_below(&g->rng, 9)];
    sb_printf(&g->doc, "%u%02u", b, rng_below(&g->rng, 100));
}

static void bot_id(gen *g)
{
    sb_printf(&g->doc, "\"bot-%08x\"", (unsigned)rng_next(&g->rng));
}

static void success(gen *g, int value)
{
    key(g, "success");
    raw(g, value ? "true" : "false");
}

/* A nested extra property: arrays, numbers of every form, null, nesting. */
static void extra_data(gen *g)
{
    key(g, "requestId");
    sb_printf(&g->doc, "\"r-%016llx\"", (unsigned long long)rng_next(&g->rng));
    key(g, "data");
    open_(g, "{");
    key(g, "id");
    sb_printf(&g->doc, "%u", rng_below(&g->rng, 1000000));
    key(g, "tags");
    open_(g, "[");
    for (unsigned i = 0, n = rng_below(&g->rng, 5); i < n; i++) {
        elem(g);
        message(g, 0);
    }
    close_(g, "]");
    key(g, "score");
    raw(g, rng_below(&g->rng, 2) ? "-1.25e3" : "0.5");
    key(g, "parent");
    raw(g, "null");
    close_(g, "}");
}

/* ---- the documents, by category --------------------------------------- */

/* BasicSuccessResponse with each member replaceable. NULL = omit. */
static void basic_doc(gen *g, const char *succ, const char *msg, int extra)
{
    int extra_first = extra && rng_below(&g->rng, 2);
    open_(g, "{");
    if (extra_first)
        extra_data(g);
    if (succ) {
        key(g, "success");
        raw(g, succ);
    }
    if (msg) {
        key(g, "message");
        if (*msg)
            raw(g, msg);
        else
            message(g, rng_below(&g->rng, 4) == 0);
    }
    if (extra && !extra_first)
        extra_data(g);
    close_(g, "}");
}

/* ErrorResponse; err_msg/err_code/bot "" = generate, NULL = omit. */
static void error_doc(gen *g, const char *succ, const char *err_msg, const char *err_code,
                      const char *bot, int extra)
{
    open_(g, "{");
    if (succ) {
        key(g, "success");
        raw(g, succ);
    }
    key(g, "errResponse");
    open_(g, "{");
    if (err_msg) {
        key(g, "message");
        if (*err_msg)
            raw(g, err_msg);
        else
            message(g, rng_below(&g->rng, 4) == 0);
    }
    if (err_code) {
        key(g, "code");
        if (*err_code)
            raw(g, err_code);
        else
            code(g);
    }
    if (bot) {
        key(g, "botId");
        if (*bot)
            raw(g, bot);
        else
            bot_id(g);
    }
    close_(g, "}");
    if (extra)
        extra_data(g);
    close_(g, "}");
}

static void any_ok(gen *g, int schema)
{
    if (schema == 0)
        basic_doc(g, rng_below(&g->rng, 2) ? "true" : "false", "", rng_below(&g->rng, 4) == 0);
    else
        error_doc(g, "false", "", "", rng_below(&g->rng, 2) ? "" : NULL,
                  rng_below(&g->rng, 4) == 0);
}

/* Conformant. */
static void c_ok(gen *g, int schema)
{
    any_ok(g, schema);
}
static void c_ok_extra(gen *g, int schema)
{
    if (schema == 0)
        basic_doc(g, "true", "", 1);
    else
        error_doc(g, "false", "", "", "", 1);
}
static void c_ok_unicode(gen *g, int schema)
{
    open_(g, "{");
    success(g, 1);
    key(g, schema ? "errResponse" : "m\\u0065ssage");
    if (schema) {
        open_(g, "{");
        key(g, "m\\u0065ssage");
        message(g, 1);
        key(g, "\\u0063ode");
        code(g);
        close_(g, "}");
    } else {
        message(g, 1);
    }
    close_(g, "}");
}
static void c_ok_number_forms(gen *g, int schema)
{
    static const char *const forms[] = {"1.0",
                                        "1e2",
                                        "-0",
                                        "4.0001e4",
                                        "0.5e1",
                                        "123456789012345678901234567890",
                                        "-9007199254740993"};
    if (schema == 0) {
        open_(g, "{");
        success(g, 1);
        key(g, "message");
        message(g, 0);
        key(g, "n");
        raw(g, forms[rng_below(&g->rng, 7)]);
        close_(g, "}");
    } else {
        error_doc(g, "false", "", forms[rng_below(&g->rng, 7)], "", 0);
    }
}

/* Conformant JSON, not conformant to the schema. */
static void s_missing_required(gen *g, int schema)
{
    unsigned w = rng_below(&g->rng, schema ? 4 : 3);
    if (schema == 0)
        basic_doc(g, w == 1 ? "true" : NULL, w == 0 ? "" : NULL, w == 2);
    else if (w == 0)
        error_doc(g, NULL, "", "", "", 0);
    else if (w == 3)
        basic_doc(g, "false", "", 0); /* no errResponse */
    else
        error_doc(g, "false", w == 1 ? NULL : "", w == 2 ? NULL : "", "", 0);
}
static void s_wrong_type(gen *g, int schema)
{
    static const char *const bad_bool[] = {"\"true\"", "1", "null", "{}"};
    static const char *const bad_str[] = {"42", "null", "[\"a\"]", "false"};
    static const char *const bad_int[] = {"\"40001\"", "400.5", "true", "null", "1e-1"};
    unsigned w = rng_below(&g->rng, 3);
    if (schema == 0)
        basic_doc(g, w == 0 ? bad_bool[rng_below(&g->rng, 4)] : "true",
                  w == 0 ? "" : bad_str[rng_below(&g->rng, 4)], 0);
    else
        error_doc(g, w == 0 ? bad_bool[rng_below(&g->rng, 4)] : "false",
                  w == 1 ? bad_str[rng_below(&g->rng, 4)] : "",
                  w == 2 ? bad_int[rng_below(&g->rng, 5)] : "", w == 1 ? "7" : "", 0);
}
static void s_wrong_container(gen *g, int schema)
{
    static const char *const roots[] = {"[]", "\"ok\"", "null", "200", "true", "[{}]"};
    static const char *const errs[] = {"[]", "\"failed\"", "null", "500"};
    if (schema == 0 || rng_below(&g->rng, 2)) {
        raw(g, roots[rng_below(&g->rng, 6)]);
        return;
    }
    open_(g, "{");
    success(g, 0);
    key(g, "errResponse");
    raw(g, errs[rng_below(&g->rng, 4)]);
    close_(g, "}");
}
static void s_wrong_case(gen *g, int schema)
{
    open_(g, "{");
    key(g, "Success");
    raw(g, "true");
    key(g, schema ? "ErrResponse" : "Message");
    if (schema) {
        open_(g, "{");
        key(g, "message");
        message(g, 0);
        key(g, "code");
        code(g);
        close_(g, "}");
    } else {
        message(g, 0);
    }
    close_(g, "}");
}
static void s_extra_nesting(gen *g, int schema)
{
    open_(g, "{");
    if (schema == 0) {
        key(g, "data");
        basic_doc(g, "true", "", 0);
    } else {
        success(g, 0);
        key(g, "errResponse");
        open_(g, "{");
        key(g, "error");
        open_(g, "{");
        key(g, "message");
        message(g, 0);
        key(g, "code");
        code(g);
        close_(g, "}");
        close_(g, "}");
    }
    close_(g, "}");
}
static void s_all_wrong(gen *g, int schema)
{
    if (schema == 0)
        basic_doc(g, "\"yes\"", "42", 1);
    else
        error_doc(g, "\"false\"", "1", "\"x\"", "false", 0);
}

/* Not strict JSON: both sides must reject. */
static void j_syntax(gen *g, int schema)
{
    static const char *const basic[] = {
        "{\"success\":true,\"message\":\"ok\",}",
        "{'success':true,'message':'ok'}",
        "{success:true,message:\"ok\"}",
        "/* c */{\"success\":true,\"message\":\"ok\"}",
        "{\"success\":true,\"message\":\"ok\"} // c",
        "{\"success\":tru,\"message\":\"ok\"}",
        "{\"success\":true \"message\":\"ok\"}",
        "{\"success\":true,\"message\":\"bad \\x41 escape\"}",
        "{\"success\":true,\"message\":\"bad \\uZZZZ escape\"}",
        "{\"success\":true,\"message\":\"tab\there\"}",
        "{\"success\":true,\"message\":\"new\nline\"}",
        "",
        "   \n",
        "{\"success\":true,\"message\":[1,2,]}",
        "{\"success\":True,\"message\":\"ok\"}",
    };
    static const char *const error[] = {
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":NaN}}",
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":Infinity}}",
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":040001}}",
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":+400}}",
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":400.}}",
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":.5}}",
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":1e}}",
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":-}}",
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":0x1F}}",
        "{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":400}",
    };
    if (schema == 0)
        raw(g, basic[rng_below(&g->rng, sizeof basic / sizeof basic[0])]);
    else
        raw(g, error[rng_below(&g->rng, sizeof error / sizeof error[0])]);
}
static void j_trailing(gen *g, int schema)
{
    static const char *const tails[] = {"xyz", "}", "]", ",", "{}", "\"a\"", "0"};
    any_ok(g, schema);
    if (rng_below(&g->rng, 3) == 0)
        any_ok(g, schema);
    else
        raw(g, tails[rng_below(&g->rng, 7)]);
}
static void j_truncated(gen *g, int schema)
{
    any_ok(g, schema);
    g->doc.len = 1 + rng_below(&g->rng, (unsigned)g->doc.len - 1);
    g->doc.p[g->doc.len] = '\0';
}
static void j_bytes(gen *g, int schema)
{
    /* Invalid UTF-8 (bad continuation, overlong, encoded surrogate, above
     * U+10FFFF, truncated sequence), a BOM, a raw NUL. */
    static const char *const bad[] = {"\xc3\x28", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "\xe6\x97", "\xff",     "\x80"};
    unsigned w = rng_below(&g->rng, 9);
    if (w == 7)
        raw(g, "\xef\xbb\xbf");
    open_(g, "{");
    success(g, 0);
    key(g, schema ? "errResponse" : "message");
    if (schema) {
        open_(g, "{");
        key(g, "code");
        code(g);
        key(g, "message");
    }
    raw(g, "\"bad ");
    if (w < 7)
        raw(g, bad[w]);
    else if (w == 8)
        sb_put(&g->doc, "\0", 1);
    raw(g, " bytes\"");
    if (schema)
        close_(g, "}");
    close_(g, "}");
}

/* Where JSON.parse and the strict parser differ by design. */
static void d_duplicate_key(gen *g, int schema)
{
    /* The second name is spelled plainly or with an escape: duplicates are
     * judged on the decoded names. */
    any_ok(g, schema);
    g->doc.len--; /* reopen the root object */
    raw(g, rng_below(&g->rng, 2) ? ",\"success\":" : ",\"succ\\u0065ss\":");
    raw(g, schema ? "false}" : "true}");
}
static void d_lone_surrogate(gen *g, int schema)
{
    static const char *const lone[] = {"\"\\ud800\"", "\"x\\udc00y\"", "\"\\ud83d \\ude00\""};
    const char *m = lone[rng_below(&g->rng, 3)];
    if (schema == 0)
        basic_doc(g, "true", m, 0);
    else
        error_doc(g, "false", m, "", NULL, 0);
}
static void d_exact_number(gen *g, int schema)
{
    /* 1e400 is an integer (JS: Infinity, which ajv also counts as one);
     * 1e-400, 40001.0000000000000001 and 9007199254740993.5 are not (JS
     * rounds them to 0, 40001 and 9007199254740994). */
    static const char *const forms[] = {"1e400", "1e-400", "40001.0000000000000001",
                                        "9007199254740993.5"};
    if (schema == 0)
        basic_doc(g, "true", "", 0);
    else
        error_doc(g, "false", "", forms[rng_below(&g->rng, 4)], NULL, 0);
}
static void d_deep(gen *g, int schema)
{
    any_ok(g, schema);
    g->doc.len--;
    raw(g, ",\"trace\":");
    for (int i = 0; i < 300; i++)
        raw(g, "[");
    for (int i = 0; i < 300; i++)
        raw(g, "]");
    raw(g, "}");
}

typedef enum { K_OK, K_SCHEMA, K_JSON, K_DESIGN } kind;

static const struct category {
    const char *name;
    kind kind;
    void (*make)(gen *, int schema);
} categories[] = {
    {"ok", K_OK, c_ok},
    {"ok_extra", K_OK, c_ok_extra},
    {"ok_unicode", K_OK, c_ok_unicode},
    {"ok_number_forms", K_OK, c_ok_number_forms},
    {"missing_required", K_SCHEMA, s_missing_required},
    {"wrong_type", K_SCHEMA, s_wrong_type},
    {"wrong_container", K_SCHEMA, s_wrong_container},
    {"wrong_case", K_SCHEMA, s_wrong_case},
    {"extra_nesting", K_SCHEMA, s_extra_nesting},
    {"all_wrong", K_SCHEMA, s_all_wrong},
    {"json_syntax", K_JSON, j_syntax},
    {"json_trailing", K_JSON, j_trailing},
    {"json_truncated", K_JSON, j_truncated},
    {"json_bytes", K_JSON, j_bytes},
    {"design_duplicate_key", K_DESIGN, d_duplicate_key},
    {"design_lone_surrogate", K_DESIGN, d_lone_surrogate},
    {"design_exact_number", K_DESIGN, d_exact_number},
    {"design_depth", K_DESIGN, d_deep},
};
#define N_CATEGORIES (sizeof categories / sizeof categories[0])

/* 60% conformant, 34% schema violations, 5% not JSON, 1% known differences. */
static kind pick_kind(uint64_t *rng)
{
    unsigned r = rng_below(rng, 100);
    return r < 60 ? K_OK : r < 94 ? K_SCHEMA : r < 99 ? K_JSON : K_DESIGN;
}

static const struct category *pick_category(uint64_t *rng)
{
    kind k = pick_kind(rng);
    unsigned n = 0;
    for (size_t i = 0; i < N_CATEGORIES; i++)
        n += categories[i].kind == k;
    unsigned want = rng_below(rng, n);
    for (size_t i = 0; i < N_CATEGORIES; i++)
        if (categories[i].kind == k && want-- == 0)
            return &categories[i];
    return &categories[0];
}

static int cmd_gen(int argc, char **argv)
{
    if (argc != 5)
        die("usage: bench_validate gen COUNT SEED OUT");
    long count = strtol(argv[2], NULL, 10);
    gen g = {.rng = strtoull(argv[3], NULL, 10)};
    FILE *f = fopen(argv[4], "wb");
    if (!f || count <= 0)
        die("cannot write %s (or bad COUNT)", argv[4]);
    for (long i = 0; i < count; i++) {
        int schema = (int)(i % 2);
        const struct category *c = pick_category(&g.rng);
        g.doc.len = 0;
        g.depth = 0;
        g.spaced = rng_below(&g.rng, 5) == 0;
        c->make(&g, schema);
        fprintf(f, "%d %s %zu\n", schema, c->name, g.doc.len);
        if (g.doc.len)
            fwrite(g.doc.p, 1, g.doc.len, f);
        fputc('\n', f);
    }
    free(g.doc.p);
    if (fclose(f) != 0)
        die("write error on %s", argv[4]);
    return 0;
}

/* ---- the timed run ------------------------------------------------------ */

typedef struct {
    const char *p;
    size_t len;
    int schema;
} doc;

typedef struct {
    char *data; /* whole file */
    doc *docs;
    size_t count;
    size_t bytes; /* document bytes, without headers */
} doc_set;

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot read %s", path);
    sbuf b = {0};
    char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_put(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.p ? b.p : calloc(1, 1);
}

/* Parses "SCHEMA CATEGORY LENGTH\n" at s (NUL-terminated buffer); returns the
 * header's length or 0 when malformed. (No sscanf: glibc's strlen()s the
 * whole remaining buffer on every call.) */
static size_t parse_header(const char *s, int *schema, size_t *n)
{
    const char *p = s;
    if ((*p != '0' && *p != '1') || p[1] != ' ')
        return 0;
    *schema = *p - '0';
    p += 2;
    while (*p && *p != ' ' && *p != '\n')
        p++;
    if (*p != ' ' || p[1] < '0' || p[1] > '9')
        return 0;
    char *end;
    unsigned long long v = strtoull(p + 1, &end, 10);
    if (*end != '\n')
        return 0;
    *n = (size_t)v;
    return (size_t)(end + 1 - s);
}

static void load_docs(const char *path, doc_set *set)
{
    size_t len, cap = 1024, at = 0;
    set->data = read_all(path, &len);
    set->docs = malloc(cap * sizeof *set->docs);
    set->count = set->bytes = 0;
    while (set->docs && at < len) {
        int schema;
        size_t n, used = parse_header(set->data + at, &schema, &n);
        if (used == 0 || n > len - at - used || len - at - used - n < 1)
            die("%s: bad record at byte %zu", path, at);
        at += used;
        if (set->count == cap) {
            doc *d = realloc(set->docs, (cap *= 2) * sizeof *d);
            if (!d)
                die("out of memory");
            set->docs = d;
        }
        set->docs[set->count++] = (doc){set->data + at, n, schema};
        set->bytes += n;
        at += n + 1;
    }
    if (!set->docs)
        die("out of memory");
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* How much of the work a pass does; the breakdown times each one. */
typedef enum {
    ST_SYNTAX, /* strict parse with out = NULL (still builds the tree: duplicate check) */
    ST_TREE,   /* strict parse into a cJSON tree, then cJSON_Delete */
    ST_COUNT,  /* ... + validate, counting violations only */
    ST_FULL    /* ... + validate, every violation recorded (the benchmark) */
} stage;

/* One document: -1 not strict JSON, else the number of violations. */
static long check_one(const doc *d, const mh_schema *const *schemas, mh_violations *v, stage st)
{
    cJSON *tree = NULL;
    if (mh_json_parse(d->p, d->len, NULL, st == ST_SYNTAX ? NULL : &tree, NULL) != MH_JSON_OK)
        return -1;
    long n = 0;
    if (st == ST_FULL)
        mh_violations_clear(v);
    if (st >= ST_COUNT)
        n = (long)mh_schema_validate(schemas[d->schema], tree, MH_DIR_RESPONSE,
                                     st == ST_FULL ? v : NULL);
    cJSON_Delete(tree);
    return n;
}

/* Best wall-clock time of reps passes over every document at stage st; the
 * best CPU time (this process) in *cpu. CPU time stays meaningful when other
 * work shares the cores. */
static double best_pass(const doc_set *set, const mh_schema *const *schemas, int reps, stage st,
                        long *verdict, double *cpu)
{
    mh_violations v = {0};
    double best = 1e30, best_cpu = 1e30;
    for (int r = 0; r < (reps > 0 ? reps : 1); r++) {
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        for (size_t i = 0; i < set->count; i++)
            verdict[i] = check_one(&set->docs[i], schemas, &v, st);
        double t = clock_s(CLOCK_MONOTONIC) - t0, c = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        best = t < best ? t : best;
        best_cpu = c < best_cpu ? c : best_cpu;
    }
    mh_violations_free(&v);
    *cpu = best_cpu;
    return best;
}

static void write_verdicts(const char *path, const long *verdict, size_t n)
{
    FILE *out = fopen(path, "w");
    if (!out)
        die("cannot write %s", path);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%d %ld\n", verdict[i] == 0, verdict[i]);
    if (fclose(out) != 0)
        die("write error on %s", path);
}

static int cmd_run(int argc, char **argv)
{
    int breakdown = argc == 7 && strcmp(argv[6], "--breakdown") == 0;
    if (argc != 6 && !breakdown)
        die("usage: bench_validate run SPEC DOCS REPS VERDICTS [--breakdown]");
    mh_error err;
    mh_spec *spec = NULL;
    if (mh_spec_load(argv[2], &spec, &err) != MH_OK)
        die("%s: %s", argv[2], err.message);
    const mh_schema *schemas[2];
    for (int i = 0; i < 2; i++)
        if (!(schemas[i] = mh_spec_schema(spec, schema_names[i], &err)))
            die("%s", err.message);
    doc_set set;
    load_docs(argv[3], &set);
    int reps = atoi(argv[4]);
    long *verdict = calloc(set.count ? set.count : 1, sizeof *verdict);
    if (!verdict)
        die("out of memory");
    if (breakdown) {
        static const char *const names[] = {"syntax", "tree", "count"};
        for (stage st = ST_SYNTAX; st < ST_FULL; st++) {
            double cpu, wall = best_pass(&set, schemas, reps, st, verdict, &cpu);
            printf("%s_s=%.6f %s_cpu_s=%.6f ", names[st], wall, names[st], cpu);
        }
    }
    double cpu, best = best_pass(&set, schemas, reps, ST_FULL, verdict, &cpu);
    write_verdicts(argv[5], verdict, set.count);
    size_t valid = 0, not_json = 0;
    for (size_t i = 0; i < set.count; i++) {
        valid += verdict[i] == 0;
        not_json += verdict[i] < 0;
    }
    printf("docs=%zu bytes=%zu best_s=%.6f best_cpu_s=%.6f valid=%zu invalid=%zu not_json=%zu\n",
           set.count, set.bytes, best, cpu, valid, set.count - valid, not_json);
    free(verdict);
    free(set.docs);
    free(set.data);
    mh_spec_free(spec);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "gen") == 0)
        return cmd_gen(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return cmd_run(argc, argv);
    die("usage: bench_validate gen COUNT SEED OUT | run SPEC DOCS REPS VERDICTS [--breakdown]");
}
