/* test_gen.c — the seeded, schema-driven case generator. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/gen.h"
#include "manta/json_strict.h"
#include "manta/jwt.h"
#include "manta/prng.h"
#include "manta/schema.h"
#include "gen/gen_internal.h"
#include "testutil.h"

#define RUN_ID "abcd1234"
#define BOT "bot1"
#define SECRET "s3cr3t-value"
#define KEY "gen-test-key"
#define NOW 1700000000LL
#define WIDGETS MH_TEST_DATA "/gen/widgets.json"
#define WIDGET_OP "PUT /v2/widgets/{widgetId}"

static mh_spec *spec;

/* memmem without _GNU_SOURCE. */
static const void *mem_find(const void *hay, size_t n, const void *needle, size_t m)
{
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp((const char *)hay + i, needle, m) == 0)
            return (const char *)hay + i;
    return NULL;
}
static const mh_operation *op;

static void load(const char *path, const char *id)
{
    mh_error err;
    ck_assert_msg(mh_spec_load(path, &spec, &err) == MH_OK, "%s", err.message);
    op = mh_spec_find_operation(spec, id, &err);
    ck_assert_msg(op != NULL, "%s", err.message);
}

static void setup_default(void)
{
    load(MH_TEST_SPEC, "POST /openapi/personalTag");
}

static void teardown(void)
{
    mh_spec_free(spec);
    spec = NULL;
}

static mh_gen_opts opts(void)
{
    mh_gen_opts o = {.spec = spec,
                     .op = op,
                     .seed = 42,
                     .run_id = RUN_ID,
                     .bot_id = BOT,
                     .secret = SECRET,
                     .jwt_key = KEY,
                     .now = NOW};
    return o;
}

static void plan(const mh_gen_opts *o, mh_plan *p)
{
    mh_error err;
    mh_status st = mh_gen_plan(o, p, &err);
    ck_assert_msg(st == MH_OK, "mh_gen_plan: %s", err.message);
}

static const mh_case *find(const mh_plan *p, const char *id)
{
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->cases[i]->id, id) == 0)
            return p->cases[i];
    return NULL;
}

static const mh_case *must_find(const mh_plan *p, const char *id)
{
    const mh_case *c = find(p, id);
    ck_assert_msg(c != NULL, "case %s missing", id);
    return c;
}

static size_t suite_count(const mh_plan *p, mh_suite s)
{
    size_t n = 0;
    for (size_t i = 0; i < p->count; i++)
        n += p->cases[i]->suite == s;
    return n;
}

static const char *header(const mh_case *c, const char *name)
{
    for (size_t i = 0; i < c->header_count; i++)
        if (strcasecmp(c->headers[i].name, name) == 0)
            return c->headers[i].value;
    return NULL;
}

/* Parses the body strictly; NULL when it is not strict JSON. */
static cJSON *parse(const mh_case *c)
{
    cJSON *t = NULL;
    if (!c->body || mh_json_parse(c->body, c->body_len, NULL, &t, NULL) != MH_JSON_OK)
        return NULL;
    return t;
}

/* Independent judgement: strict JSON and valid against the request schema. */
static int body_valid(const mh_case *c)
{
    cJSON *t = parse(c);
    if (!t)
        return 0;
    mh_violations v = {0};
    size_t n = mh_schema_validate(op->body[0].schema, t, MH_DIR_REQUEST, &v);
    mh_violations_free(&v);
    cJSON_Delete(t);
    return n == 0;
}

/* A string member of the body, copied (caller frees); NULL if absent. */
static char *member(const mh_case *c, const char *key)
{
    cJSON *t = parse(c);
    cJSON *m = t ? mh_json_get(t, key) : NULL;
    char *s = cJSON_IsString(m) ? strdup(m->valuestring) : NULL;
    cJSON_Delete(t);
    return s;
}

static char *bearer(const mh_case *c)
{
    const char *h = header(c, "Authorization");
    ck_assert_msg(h && strncmp(h, "Bearer ", 7) == 0, "%s: no bearer header", c->id);
    return strdup(h + 7);
}

/* ---- size and shape ---- */

START_TEST(gen_plan_default_has_every_suite)
{
    mh_gen_opts o = opts();
    mh_plan p;
    plan(&o, &p);
    ck_assert_uint_ge(p.count, 80);
    ck_assert_uint_ge(suite_count(&p, MH_SUITE_VALID), 8);
    ck_assert_uint_ge(suite_count(&p, MH_SUITE_BOUNDARY), 25);
    ck_assert_uint_ge(suite_count(&p, MH_SUITE_MALFORMED), 30);
    ck_assert_uint_ge(suite_count(&p, MH_SUITE_AUTH), 8);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_METHODS), 4);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_FUZZ), 0);
    /* Suites appear in DESIGN order. */
    for (size_t i = 1; i < p.count; i++)
        ck_assert_int_le(p.cases[i - 1]->suite, p.cases[i]->suite);
    for (size_t i = 0; i < p.count; i++) {
        const mh_case *c = p.cases[i];
        ck_assert_ptr_eq(c->op, op);
        ck_assert_msg(c->description && *c->description && !strchr(c->description, '\n'),
                      "%s: description", c->id);
        const char *slash = strchr(c->id, '/');
        ck_assert_msg(slash &&
                          strncmp(c->id, mh_suite_name(c->suite), (size_t)(slash - c->id)) == 0,
                      "%s: id prefix", c->id);
        for (const char *s = slash + 1; *s; s++)
            ck_assert_msg((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-',
                          "%s: slug not kebab-case", c->id);
    }
    mh_plan_free(&p);
    ck_assert_uint_eq(p.count, 0);
}
END_TEST

START_TEST(gen_plan_ids_unique_and_stable)
{
    mh_gen_opts o = opts();
    mh_plan p;
    plan(&o, &p);
    for (size_t i = 0; i < p.count; i++)
        for (size_t j = i + 1; j < p.count; j++)
            ck_assert_msg(strcmp(p.cases[i]->id, p.cases[j]->id) != 0, "duplicate id %s",
                          p.cases[i]->id);
    static const char *const ids[] = {
        "valid/ascii",
        "valid/cjk",
        "boundary/name-empty",
        "boundary/name-whitespace",
        "boundary/name-length-65536",
        "boundary/name-astral-emoji",
        "boundary/name-nul-escape",
        "boundary/name-json-escapes",
        "boundary/name-sql-injection",
        "boundary/extra-property",
        "boundary/duplicate-key-name",
        "boundary/bot-id-param-empty",
        "boundary/bot-id-param-repeated",
        "malformed/secret-missing",
        "malformed/name-missing",
        "malformed/name-wrong-type-number",
        "malformed/secret-wrong-type-null",
        "malformed/body-array",
        "malformed/body-empty",
        "malformed/body-string",
        "malformed/body-number",
        "malformed/body-boolean",
        "malformed/body-null",
        "malformed/body-whitespace",
        "malformed/json-truncated",
        "malformed/json-trailing-garbage",
        "malformed/json-trailing-comma",
        "malformed/json-single-quotes",
        "malformed/json-comment",
        "malformed/json-bom",
        "malformed/json-invalid-utf8",
        "boundary/name-lone-surrogate-escape",
        "malformed/json-raw-control-char",
        "malformed/json-nan",
        "malformed/json-leading-zero",
        "malformed/json-deep-nesting",
        "malformed/content-type-text-plain",
        "malformed/content-type-missing",
        "malformed/body-large-invalid",
        "malformed/bot-id-param-missing",
        "auth/no-authorization",
        "auth/bearer-empty",
        "auth/basic-scheme",
        "auth/tampered-signature",
        "auth/alg-none",
        "auth/expired-token",
        "auth/other-bot-token",
        "auth/secret-wrong",
        "methods/get",
        "methods/put",
        "methods/patch",
        "methods/delete",
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        must_find(&p, ids[i]);
    ck_assert_ptr_null(find(&p, "methods/post"));
    ck_assert_str_eq(p.cases[0]->id, "valid/ascii");
    mh_plan_free(&p);
}
END_TEST

/* ---- determinism ---- */

/* NULL when equal, else what differs (static text). */
static const char *case_diff(const mh_case *a, const mh_case *b)
{
    if (strcmp(a->id, b->id) || a->suite != b->suite || a->op != b->op)
        return "id/suite/op";
    if (strcmp(a->method, b->method) || strcmp(a->target, b->target))
        return "method/target";
    if (strcmp(a->description, b->description))
        return "description";
    if (a->header_count != b->header_count)
        return "header count";
    for (size_t i = 0; i < a->header_count; i++)
        if (strcmp(a->headers[i].name, b->headers[i].name) ||
            strcmp(a->headers[i].value, b->headers[i].value))
            return "header";
    if (!a->body != !b->body || a->body_len != b->body_len ||
        (a->body && memcmp(a->body, b->body, a->body_len)))
        return "body";
    if (a->body_schema_valid != b->body_schema_valid)
        return "body_schema_valid";
    return NULL;
}

START_TEST(gen_plan_same_seed_identical)
{
    mh_gen_opts o = opts();
    mh_plan a, b;
    plan(&o, &a);
    plan(&o, &b);
    ck_assert_uint_eq(a.count, b.count);
    for (size_t i = 0; i < a.count; i++) {
        const char *d = case_diff(a.cases[i], b.cases[i]);
        ck_assert_msg(d == NULL, "%s differs in %s", a.cases[i]->id, d);
    }
    ck_assert_uint_eq(a.token_count, b.token_count);
    for (size_t i = 0; i < a.token_count; i++)
        ck_assert_str_eq(a.tokens[i], b.tokens[i]);
    mh_plan_free(&a);
    mh_plan_free(&b);
}
END_TEST

/* s with every "from" replaced by "to" (same length). */
static char *swap_all(const char *s, size_t len, const char *from, const char *to)
{
    char *d = malloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    size_t fl = strlen(from);
    for (size_t i = 0; i + fl <= len; i++)
        if (memcmp(d + i, from, fl) == 0)
            memcpy(d + i, to, fl);
    return d;
}

START_TEST(gen_plan_run_id_changes_only_names)
{
    mh_gen_opts o = opts();
    mh_plan a, b;
    plan(&o, &a);
    o.run_id = "ffff0000";
    plan(&o, &b);
    ck_assert_uint_eq(a.count, b.count);
    size_t differing = 0;
    for (size_t i = 0; i < a.count; i++) {
        const mh_case *x = a.cases[i], *y = b.cases[i];
        ck_assert_str_eq(x->id, y->id);
        ck_assert_str_eq(x->target, y->target);
        ck_assert_uint_eq(x->body_len, y->body_len);
        ck_assert_int_eq(x->body_schema_valid, y->body_schema_valid);
        if (!x->body)
            continue;
        differing += memcmp(x->body, y->body, x->body_len) != 0;
        char *sx = swap_all(x->body, x->body_len, "mh-" RUN_ID "-", "mh-ffff0000-");
        ck_assert_msg(memcmp(sx, y->body, y->body_len) == 0, "%s: more than names differ", x->id);
        free(sx);
    }
    ck_assert_uint_gt(differing, 50);
    mh_plan_free(&a);
    mh_plan_free(&b);
}
END_TEST

START_TEST(gen_plan_seed_changes_random_parts)
{
    mh_gen_opts o = opts();
    mh_plan a, b;
    plan(&o, &a);
    o.seed = 43;
    plan(&o, &b);
    static const char *const random_ids[] = {"valid/random-printable", "valid/random-cjk",
                                             "boundary/name-length-100", "auth/garbage-token"};
    for (size_t i = 0; i < sizeof random_ids / sizeof random_ids[0]; i++) {
        const char *d = case_diff(must_find(&a, random_ids[i]), must_find(&b, random_ids[i]));
        ck_assert_msg(d != NULL, "%s did not change with the seed", random_ids[i]);
    }
    /* Fixed payloads stay put. */
    ck_assert_ptr_null(case_diff(must_find(&a, "valid/ascii"), must_find(&b, "valid/ascii")));
    ck_assert_ptr_null(
        case_diff(must_find(&a, "malformed/body-null"), must_find(&b, "malformed/body-null")));
    mh_plan_free(&a);
    mh_plan_free(&b);
}
END_TEST

START_TEST(gen_plan_suite_selection_keeps_random_parts)
{
    mh_gen_opts o = opts();
    mh_plan all, only;
    plan(&o, &all);
    o.suites = 1u << MH_SUITE_AUTH;
    plan(&o, &only);
    ck_assert_uint_eq(only.count, suite_count(&all, MH_SUITE_AUTH));
    const mh_case *x = must_find(&all, "auth/garbage-token");
    const mh_case *y = must_find(&only, "auth/garbage-token");
    ck_assert_str_eq(header(x, "Authorization"), header(y, "Authorization"));
    mh_plan_free(&all);
    mh_plan_free(&only);
}
END_TEST

/* ---- bodies ---- */

static int is_media_or_param_case(const mh_case *c)
{
    return strstr(c->id, "/content-type-") || strstr(c->id, "-param-missing");
}

START_TEST(gen_plan_bodies_classified)
{
    mh_gen_opts o = opts();
    mh_plan p;
    plan(&o, &p);
    for (size_t i = 0; i < p.count; i++) {
        const mh_case *c = p.cases[i];
        int valid = body_valid(c);
        ck_assert_msg(valid == c->body_schema_valid, "%s: body_schema_valid %d, judged %d", c->id,
                      c->body_schema_valid, valid);
        switch (c->suite) {
        case MH_SUITE_VALID:
        case MH_SUITE_AUTH:
            ck_assert_msg(valid, "%s: body should be schema-valid", c->id);
            break;
        case MH_SUITE_BOUNDARY:
            if (strstr(c->id, "duplicate-key"))
                ck_assert_msg(!parse(c) && !valid, "%s: duplicate keys are not strict", c->id);
            else if (strstr(c->id, "lone-surrogate"))
                /* valid RFC 8259 grammar, refused by the strict (answer) parser */
                ck_assert_msg(!parse(c) && c->body && strstr(c->body, "\\ud800"),
                              "%s: a lone surrogate escape in a boundary body", c->id);
            else
                ck_assert_msg(valid, "%s: boundary body should be schema-valid", c->id);
            break;
        case MH_SUITE_MALFORMED:
            if (is_media_or_param_case(c))
                ck_assert_msg(valid, "%s: carries a valid body", c->id);
            else
                ck_assert_msg(!valid, "%s: malformed body is valid", c->id);
            break;
        case MH_SUITE_METHODS:
            if (c->body)
                ck_assert_msg(valid, "%s: method body should be valid", c->id);
            break;
        default:
            ck_abort_msg("%s: unexpected suite", c->id);
        }
    }
    mh_plan_free(&p);
}
END_TEST

static size_t cp_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

START_TEST(gen_plan_names_unique_and_prefixed)
{
    mh_gen_opts o = opts();
    mh_plan p;
    plan(&o, &p);
    char *names[512];
    size_t n = 0;
    for (size_t i = 0; i < p.count; i++) {
        const mh_case *c = p.cases[i];
        if (c->suite == MH_SUITE_MALFORMED)
            continue;
        char *name = member(c, "name");
        if (!name)
            continue; /* duplicate keys, bodiless methods */
        if (c->suite == MH_SUITE_VALID || c->suite == MH_SUITE_AUTH) {
            ck_assert_msg(strncmp(name, "mh-" RUN_ID "-", 12) == 0, "%s: %s", c->id, name);
            ck_assert_uint_le(cp_count(name), 60);
            for (const unsigned char *s = (const unsigned char *)name; *s; s++)
                ck_assert_msg(*s >= 0x20 && *s != 0x7F, "%s: control character", c->id);
            char *secret = member(c, "secret");
            if (strcmp(c->id, "auth/secret-wrong") == 0)
                ck_assert_str_eq(secret, SECRET "-wrong");
            else
                ck_assert_str_eq(secret, SECRET);
            free(secret);
        }
        for (size_t k = 0; k < n; k++)
            ck_assert_msg(strcmp(names[k], name) != 0, "%s repeats a name", c->id);
        ck_assert_uint_lt(n, 512);
        names[n++] = name;
    }
    ck_assert_uint_ge(n, 40);
    for (size_t k = 0; k < n; k++)
        free(names[k]);
    mh_plan_free(&p);
}
END_TEST

START_TEST(gen_plan_boundary_extremes_exact)
{
    mh_gen_opts o = opts();
    mh_plan p;
    plan(&o, &p);
    static const size_t lengths[] = {1, 2, 100, 101, 255, 256, 1000, 4096, 65536};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        char id[64];
        snprintf(id, sizeof id, "boundary/name-length-%zu", lengths[i]);
        char *name = member(must_find(&p, id), "name");
        ck_assert_uint_eq(cp_count(name), lengths[i]);
        if (lengths[i] >= 100)
            ck_assert(strncmp(name, "mh-" RUN_ID "-", 12) == 0);
        free(name);
    }
    ck_assert_uint_gt(must_find(&p, "boundary/name-length-65536")->body_len, 65536);
    char *empty = member(must_find(&p, "boundary/name-empty"), "name");
    ck_assert_str_eq(empty, "");
    free(empty);
    char *astral = member(must_find(&p, "boundary/name-astral-max"), "name");
    ck_assert_ptr_nonnull(strstr(astral, "\xf4\x8f\xbf\xbf"));
    free(astral);
    const mh_case *esc = must_find(&p, "boundary/name-json-escapes");
    ck_assert_ptr_nonnull(
        mem_find(esc->body, esc->body_len, "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9", 30));
    const mh_case *nul = must_find(&p, "boundary/name-nul-escape");
    ck_assert_ptr_nonnull(mem_find(nul->body, nul->body_len, "\\u0000", 6));
    const mh_case *extra = must_find(&p, "boundary/extra-property");
    cJSON *t = parse(extra);
    ck_assert_int_eq(cJSON_GetArraySize(t), 3);
    cJSON_Delete(t);
    ck_assert_str_eq(must_find(&p, "boundary/bot-id-param-empty")->target,
                     "/openapi/personalTag?botId=");
    ck_assert_str_eq(must_find(&p, "boundary/bot-id-param-repeated")->target,
                     "/openapi/personalTag?botId=" BOT "&botId=" BOT);
    mh_plan_free(&p);
}
END_TEST

START_TEST(gen_plan_malformed_shapes_exact)
{
    mh_gen_opts o = opts();
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "malformed/body-empty");
    ck_assert_ptr_nonnull(c->body);
    ck_assert_uint_eq(c->body_len, 0);
    c = must_find(&p, "malformed/json-bom");
    ck_assert(memcmp(c->body, "\xef\xbb\xbf{", 4) == 0);
    c = must_find(&p, "malformed/json-deep-nesting");
    size_t depth = 0;
    for (size_t i = 0; i < c->body_len; i++)
        depth += c->body[i] == '[';
    ck_assert_uint_eq(depth, 10000);
    c = must_find(&p, "malformed/body-large-invalid");
    ck_assert_uint_ge(c->body_len, 1u << 18);
    ck_assert_uint_le(c->body_len, 2u << 18);
    ck_assert_int_eq(c->body[0], '{');
    c = must_find(&p, "malformed/content-type-text-plain");
    ck_assert_str_eq(header(c, "Content-Type"), "text/plain");
    ck_assert_int_eq(c->body_schema_valid, 1);
    c = must_find(&p, "malformed/content-type-missing");
    ck_assert_ptr_null(header(c, "Content-Type"));
    ck_assert_ptr_nonnull(header(c, "Authorization"));
    c = must_find(&p, "malformed/bot-id-param-missing");
    ck_assert_str_eq(c->target, "/openapi/personalTag");
    c = must_find(&p, "malformed/secret-missing");
    char *secret = member(c, "secret");
    ck_assert_ptr_null(secret);
    c = must_find(&p, "malformed/name-wrong-type-number");
    cJSON *t = parse(c);
    ck_assert(cJSON_IsNumber(mh_json_get(t, "name")));
    cJSON_Delete(t);
    mh_plan_free(&p);
}
END_TEST

START_TEST(gen_plan_headers_in_order)
{
    mh_gen_opts o = opts();
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/ascii");
    ck_assert_str_eq(c->method, "POST");
    ck_assert_str_eq(c->target, "/openapi/personalTag?botId=" BOT);
    ck_assert_uint_eq(c->header_count, 3);
    ck_assert_str_eq(c->headers[0].name, "Content-Type");
    ck_assert_str_eq(c->headers[0].value, "application/json");
    ck_assert_str_eq(c->headers[1].name, "Authorization");
    ck_assert_str_eq(c->headers[2].name, "Accept");
    ck_assert_str_eq(c->headers[2].value, "application/json");
    char *tok = bearer(c);
    ck_assert_uint_ge(p.token_count, 1);
    ck_assert_str_eq(p.tokens[0], tok);
    free(tok);
    c = must_find(&p, "methods/get");
    ck_assert_str_eq(c->method, "GET");
    ck_assert_ptr_null(c->body);
    ck_assert_ptr_nonnull(header(c, "Authorization"));
    c = must_find(&p, "methods/patch");
    ck_assert_int_eq(c->body_schema_valid, 1);
    mh_plan_free(&p);
}
END_TEST

/* ---- auth ---- */

START_TEST(gen_plan_auth_tokens_verify)
{
    mh_gen_opts o = opts();
    mh_plan p;
    plan(&o, &p);
    char *bot = NULL;
    char *valid = bearer(must_find(&p, "valid/ascii"));
    ck_assert_int_eq(mh_jwt_verify(valid, KEY, strlen(KEY), NOW, &bot), MH_JWT_OK);
    ck_assert_str_eq(bot, BOT);
    free(bot);

    char *expired = bearer(must_find(&p, "auth/expired-token"));
    ck_assert_int_eq(mh_jwt_verify(expired, KEY, strlen(KEY), NOW, NULL), MH_JWT_EXPIRED);
    /* Only the expiry is wrong: an hour and a half earlier it was fine. */
    ck_assert_int_eq(mh_jwt_verify(expired, KEY, strlen(KEY), NOW - 5400, NULL), MH_JWT_OK);

    char *other = bearer(must_find(&p, "auth/other-bot-token"));
    bot = NULL;
    ck_assert_int_eq(mh_jwt_verify(other, KEY, strlen(KEY), NOW, &bot), MH_JWT_OK);
    ck_assert_str_eq(bot, BOT "-other");
    free(bot);
    ck_assert_str_eq(must_find(&p, "auth/other-bot-token")->target,
                     "/openapi/personalTag?botId=" BOT);

    char *tampered = bearer(must_find(&p, "auth/tampered-signature"));
    ck_assert_str_ne(tampered, valid);
    ck_assert_int_eq(mh_jwt_verify(tampered, KEY, strlen(KEY), NOW, NULL), MH_JWT_BAD_SIG);
    char *none = bearer(must_find(&p, "auth/alg-none"));
    ck_assert_int_eq(mh_jwt_verify(none, KEY, strlen(KEY), NOW, NULL), MH_JWT_BAD_ALG);
    ck_assert_int_eq(none[strlen(none) - 1], '.'); /* empty signature */
    char *garbage = bearer(must_find(&p, "auth/garbage-token"));
    ck_assert_int_ne(mh_jwt_verify(garbage, KEY, strlen(KEY), NOW, NULL), MH_JWT_OK);

    /* Every credential token is registered for redaction. */
    const char *need[] = {valid, expired, other};
    for (size_t i = 0; i < 3; i++) {
        size_t k = 0;
        while (k < p.token_count && strcmp(p.tokens[k], need[i]) != 0)
            k++;
        ck_assert_msg(k < p.token_count, "token %zu not listed", i);
    }
    ck_assert_ptr_null(header(must_find(&p, "auth/no-authorization"), "Authorization"));
    ck_assert_str_eq(header(must_find(&p, "auth/bearer-empty"), "Authorization"), "Bearer ");
    ck_assert(strncmp(header(must_find(&p, "auth/basic-scheme"), "Authorization"), "Basic ", 6) ==
              0);
    free(valid);
    free(expired);
    free(other);
    free(tampered);
    free(none);
    free(garbage);
    mh_plan_free(&p);
}
END_TEST

START_TEST(gen_plan_auth_token_only)
{
    mh_gen_opts o = opts();
    o.jwt_key = NULL;
    o.token = "given.token.value";
    mh_plan p;
    plan(&o, &p);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_AUTH), 6);
    ck_assert_ptr_null(find(&p, "auth/expired-token"));
    ck_assert_ptr_null(find(&p, "auth/other-bot-token"));
    /* An opaque token has no signature or alg to attack. */
    ck_assert_ptr_null(find(&p, "auth/alg-none"));
    ck_assert_ptr_null(find(&p, "auth/tampered-signature"));
    must_find(&p, "auth/secret-wrong");
    ck_assert_str_eq(header(must_find(&p, "valid/ascii"), "Authorization"),
                     "Bearer given.token.value");
    ck_assert_uint_eq(p.token_count, 1);
    ck_assert_str_eq(p.tokens[0], "given.token.value");
    for (size_t i = 0; i < p.count; i++) {
        const char *h = header(p.cases[i], "Authorization");
        /* "bearer x" would be valid per RFC 7235: never an auth case. */
        ck_assert_msg(!h || strncmp(h, "bearer ", 7) != 0, "%s", p.cases[i]->id);
    }
    mh_plan_free(&p);
}
END_TEST

START_TEST(gen_plan_parameters_percent_encoded)
{
    mh_gen_opts o = opts();
    o.bot_id = "b 1/\xc3\xa9&x=y";
    mh_plan p;
    plan(&o, &p);
    ck_assert_str_eq(must_find(&p, "valid/ascii")->target,
                     "/openapi/personalTag?botId=b%201%2F%C3%A9%26x%3Dy");
    ck_assert_str_eq(
        must_find(&p, "boundary/bot-id-param-repeated")->target,
        "/openapi/personalTag?botId=b%201%2F%C3%A9%26x%3Dy&botId=b%201%2F%C3%A9%26x%3Dy");
    mh_plan_free(&p);
}
END_TEST

/* ---- max_cases and repeat ---- */

START_TEST(gen_plan_max_cases_keeps_every_suite)
{
    mh_gen_opts o = opts();
    mh_plan full, p;
    plan(&o, &full);
    o.max_cases = 12;
    plan(&o, &p);
    ck_assert_uint_eq(p.count, 12);
    for (int s = 0; s <= MH_SUITE_METHODS; s++)
        ck_assert_uint_ge(suite_count(&p, (mh_suite)s), 2);
    /* A subsequence of the full plan, in plan order. */
    size_t j = 0;
    for (size_t i = 0; i < p.count; i++) {
        while (j < full.count && strcmp(full.cases[j]->id, p.cases[i]->id) != 0)
            j++;
        ck_assert_msg(j < full.count, "%s out of order", p.cases[i]->id);
    }
    mh_plan_free(&p);
    o.max_cases = 3;
    plan(&o, &p);
    ck_assert_uint_eq(p.count, 3);
    ck_assert_str_eq(p.cases[0]->id, "valid/ascii");
    ck_assert_int_eq(p.cases[2]->suite, MH_SUITE_MALFORMED);
    mh_plan_free(&p);
    mh_plan_free(&full);
}
END_TEST

START_TEST(gen_plan_repeat_multiplies_with_fresh_names)
{
    mh_gen_opts o = opts();
    mh_plan one, three;
    plan(&o, &one);
    o.repeat = 3;
    plan(&o, &three);
    ck_assert_uint_eq(three.count, 3 * one.count);
    must_find(&three, "valid/ascii");
    must_find(&three, "valid/ascii#2");
    must_find(&three, "methods/delete#3");
    ck_assert_ptr_null(find(&three, "valid/ascii#1"));
    char *a = member(must_find(&three, "valid/ascii"), "name");
    char *b = member(must_find(&three, "valid/ascii#2"), "name");
    char *c = member(must_find(&three, "valid/ascii#3"), "name");
    ck_assert_str_ne(a, b);
    ck_assert_str_ne(b, c);
    ck_assert_str_ne(a, c);
    free(a);
    free(b);
    free(c);
    mh_plan_free(&one);
    mh_plan_free(&three);
}
END_TEST

/* ---- another operation, no code change ---- */

static void setup_widgets(void)
{
    load(WIDGETS, WIDGET_OP);
}

START_TEST(gen_plan_other_spec_is_schema_driven)
{
    mh_gen_opts o = opts();
    mh_plan p;
    plan(&o, &p);
    ck_assert_uint_ge(p.count, 60);
    for (size_t i = 0; i < p.count; i++) {
        const mh_case *c = p.cases[i];
        ck_assert_msg(strncmp(c->target, "/v2/widgets/", 12) == 0 && !strchr(c->target, '{'),
                      "%s: %s", c->id, c->target);
        if (c->body)
            ck_assert_msg(!mem_find(c->body, c->body_len, "\"name\"", 6) &&
                              !mem_find(c->body, c->body_len, "\"secret\"", 8),
                          "%s: Manta property names leaked", c->id);
        if (c->suite == MH_SUITE_VALID) {
            ck_assert_int_eq(c->body_schema_valid, 1);
            char *title = member(c, "title");
            char *key = member(c, "apiKey");
            ck_assert_uint_le(cp_count(title), 20);
            ck_assert(strncmp(title, "mh-" RUN_ID "-", 12) == 0);
            ck_assert_str_eq(key, SECRET);
            free(title);
            free(key);
        }
    }
    const mh_case *c = must_find(&p, "valid/ascii");
    ck_assert_str_eq(c->method, "PUT");
    /* Only a parameter named botId takes --bot-id; tenantBot comes from its schema. */
    ck_assert_str_eq(c->target, "/v2/widgets/sample?tenantBot=sample");
    ck_assert_ptr_null(strstr(c->target, "verbose")); /* optional parameter left out */
    ck_assert_str_eq(must_find(&p, "valid/all-parameters")->target,
                     "/v2/widgets/sample?tenantBot=sample&verbose=true");
    static const char *const ids[] = {
        "boundary/title-length-20",
        "malformed/title-length-21",
        "malformed/extra-property",
        "boundary/count-minimum",
        "malformed/count-below-minimum",
        "malformed/count-wrong-type-string",
        "malformed/count-wrong-type-number",
        "malformed/api-key-missing",
        "auth/api-key-wrong",
        "malformed/tenant-bot-param-missing",
        "malformed/widget-id-param-too-short",
        "malformed/verbose-param-wrong-type",
        "methods/patch",
        "methods/delete",
        "boundary/duplicate-key-title",
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        must_find(&p, ids[i]);
    ck_assert_ptr_null(find(&p, "methods/get")); /* declared on the path */
    ck_assert_ptr_null(find(&p, "methods/put"));
    ck_assert_ptr_null(find(&p, "boundary/title-length-100"));
    ck_assert_ptr_null(find(&p, "auth/secret-wrong"));
    ck_assert_ptr_null(find(&p, "boundary/tenant-bot-param-empty")); /* not the botId one */
    ck_assert_ptr_null(find(&p, "auth/other-bot-token"));            /* no botId parameter */
    char *key = member(must_find(&p, "auth/api-key-wrong"), "apiKey");
    ck_assert_str_eq(key, SECRET "-wrong");
    free(key);
    mh_plan_free(&p);
}
END_TEST

/* ---- errors ---- */

START_TEST(gen_plan_usage_errors)
{
    mh_gen_opts o = opts();
    mh_plan p;
    mh_error err;
    o.run_id = NULL;
    ck_assert_int_eq(mh_gen_plan(&o, &p, &err), MH_ERR_USAGE);
    ck_assert_uint_eq(p.count, 0);
    ck_assert_ptr_null(p.cases);
    o = opts();
    o.bot_id = NULL;
    ck_assert_int_eq(mh_gen_plan(&o, &p, &err), MH_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "--bot-id"));
    o = opts();
    o.secret = NULL;
    ck_assert_int_eq(mh_gen_plan(&o, &p, &err), MH_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "--secret"));
    ck_assert_ptr_nonnull(strstr(err.message, "secret")); /* names the property */
}
END_TEST

/* Without --token or --jwt-key a bearer operation is no error: what needs
 * credentials is one skipped case, the auth cases that need no valid token
 * and the methods cases still run, and no request carries a token. */
START_TEST(gen_plan_no_credentials_skips_what_needs_them)
{
    mh_gen_opts o = opts();
    o.jwt_key = NULL;
    mh_plan p;
    plan(&o, &p);
    const mh_case *skip = must_find(&p, "valid/no-credentials");
    ck_assert_ptr_nonnull(skip->skip_reason);
    ck_assert_ptr_nonnull(strstr(skip->skip_reason, "--token"));
    ck_assert_ptr_nonnull(strstr(skip->skip_reason, "--jwt-key"));
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_VALID), 1);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_BOUNDARY), 0);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_MALFORMED), 0);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_AUTH), 4);
    must_find(&p, "auth/no-authorization");
    must_find(&p, "auth/garbage-token");
    ck_assert_ptr_null(find(&p, "auth/tampered-signature"));
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_METHODS), 4);
    ck_assert_uint_eq(p.token_count, 0);
    for (size_t i = 0; i < p.count; i++) {
        const char *auth = header(p.cases[i], "Authorization");
        ck_assert_msg(!auth || strncmp(auth, "Bearer ey", 9) != 0, "%s sends a token",
                      p.cases[i]->id);
    }
    mh_plan_free(&p);
}
END_TEST

/* An operation without a request body plans its parameter cases. */
START_TEST(gen_plan_no_body_plans_parameters)
{
    mh_error err;
    const mh_operation *get = mh_spec_find_operation(spec, "GET /v2/widgets/{widgetId}", &err);
    ck_assert_ptr_nonnull(get);
    mh_gen_opts o = opts();
    o.op = get;
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/typical");
    ck_assert_str_eq(c->target, "/v2/widgets/sample");
    ck_assert_ptr_null(c->body);
    ck_assert_ptr_null(header(c, "Content-Type"));
    ck_assert_ptr_nonnull(header(c, "Authorization"));
    ck_assert_int_eq(c->body_schema_valid, 1);
    /* A generated id may not exist: any declared status is accepted. */
    ck_assert_int_eq(c->any_declared_status, 1);
    for (size_t i = 0; i < p.count; i++)
        ck_assert_msg(p.cases[i]->suite != MH_SUITE_MALFORMED || !p.cases[i]->body,
                      "%s: a body-less operation got a body case", p.cases[i]->id);
    mh_plan_free(&p);
}
END_TEST

/* ---- parameter serialisation (gen_style.c) ---- */

/* The style examples table of OpenAPI 3.1.1 (4.8.12.6), for a parameter
 * "color": undefined, "blue", ["blue","black","brown"] and
 * {"R":100,"G":200,"B":150}. NULL = n/a in the table (not checked). */
static const struct {
    const char *in;
    mh_param_style style;
    int explode;
    const char *undef, *string, *array, *object;
} style_table[] = {
    {"path", MH_STYLE_MATRIX, 0, ";color", ";color=blue", ";color=blue,black,brown",
     ";color=R,100,G,200,B,150"},
    {"path", MH_STYLE_MATRIX, 1, ";color", ";color=blue", ";color=blue;color=black;color=brown",
     ";R=100;G=200;B=150"},
    {"path", MH_STYLE_LABEL, 0, ".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"},
    {"path", MH_STYLE_LABEL, 1, ".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"},
    {"path", MH_STYLE_SIMPLE, 0, "", "blue", "blue,black,brown", "R,100,G,200,B,150"},
    {"path", MH_STYLE_SIMPLE, 1, "", "blue", "blue,black,brown", "R=100,G=200,B=150"},
    {"header", MH_STYLE_SIMPLE, 0, "", "blue", "blue,black,brown", "R,100,G,200,B,150"},
    {"header", MH_STYLE_SIMPLE, 1, "", "blue", "blue,black,brown", "R=100,G=200,B=150"},
    {"query", MH_STYLE_FORM, 0, "color=", "color=blue", "color=blue,black,brown",
     "color=R,100,G,200,B,150"},
    {"query", MH_STYLE_FORM, 1, "color=", "color=blue", "color=blue&color=black&color=brown",
     "R=100&G=200&B=150"},
    {"query", MH_STYLE_SPACE_DELIMITED, 0, NULL, NULL, "color=blue%20black%20brown",
     "color=R%20100%20G%20200%20B%20150"},
    {"query", MH_STYLE_PIPE_DELIMITED, 0, NULL, NULL, "color=blue%7Cblack%7Cbrown",
     "color=R%7C100%7CG%7C200%7CB%7C150"},
    {"query", MH_STYLE_DEEP_OBJECT, 1, NULL, NULL, NULL,
     "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"},
    /* Cookies take form; pairs are joined with "; " as in a Cookie header. */
    {"cookie", MH_STYLE_FORM, 0, "color=", "color=blue", "color=blue,black,brown",
     "color=R,100,G,200,B,150"},
    {"cookie", MH_STYLE_FORM, 1, "color=", "color=blue", "color=blue; color=black; color=brown",
     "R=100; G=200; B=150"},
};

/* Serialises the JSON text value (NULL = undefined) for parameter p. */
static char *serialize(const mh_param *p, const char *json)
{
    cJSON *v = json ? cJSON_Parse(json) : NULL;
    ck_assert(!json || v);
    char *t = mh__param_serialize(p, v);
    cJSON_Delete(v);
    ck_assert_ptr_nonnull(t);
    return t;
}

static void expect_serialized(const mh_param *p, const char *json, const char *want)
{
    if (!want)
        return;
    char *got = serialize(p, json);
    ck_assert_msg(strcmp(got, want) == 0,
                  "%s style %d explode %d value %s: got \"%s\", want \"%s\"", p->in, (int)p->style,
                  p->explode, json ? json : "undefined", got, want);
    free(got);
}

START_TEST(gen_style_examples_table_exact)
{
    for (size_t i = 0; i < sizeof style_table / sizeof style_table[0]; i++) {
        mh_param p = {.name = "color",
                      .in = style_table[i].in,
                      .style = style_table[i].style,
                      .explode = style_table[i].explode};
        expect_serialized(&p, NULL, style_table[i].undef);
        expect_serialized(&p, "\"blue\"", style_table[i].string);
        expect_serialized(&p, "[\"blue\",\"black\",\"brown\"]", style_table[i].array);
        expect_serialized(&p, "{\"R\":100,\"G\":200,\"B\":150}", style_table[i].object);
    }
}
END_TEST

/* RFC 3986: only unreserved characters stay; allowReserved lets reserved
 * ones through in the query but those that split it; numbers and booleans
 * go as their literal; names are encoded too; a style the location cannot
 * take is read as its default. */
START_TEST(gen_style_percent_encoding_exact)
{
    static const struct {
        const char *in;
        mh_param_style style;
        int explode, reserved;
        const char *name, *json, *want;
    } rows[] = {
        {"query", MH_STYLE_FORM, 1, 0, "q", "\"a b&c/d=e\"", "q=a%20b%26c%2Fd%3De"},
        {"query", MH_STYLE_FORM, 1, 1, "q", "\"a b&c/d=e?:@!$'()*,;#[]+\"",
         "q=a%20b%26c/d%3De?:@!$'()*,;%23%5B%5D%2B"},
        {"query", MH_STYLE_FORM, 1, 1, "q", "\"100%25 and 100%\"", "q=100%25%20and%20100%25"},
        {"query", MH_STYLE_FORM, 1, 0, "q", "\"100%25\"", "q=100%2525"},
        {"query", MH_STYLE_FORM, 1, 0, "a b[c]", "\"x\"", "a%20b%5Bc%5D=x"},
        {"query", MH_STYLE_FORM, 1, 0, "q", "\"caf\xc3\xa9 ~-._\"", "q=caf%C3%A9%20~-._"},
        {"query", MH_STYLE_FORM, 0, 0, "n", "[1,2.5,true]", "n=1,2.5,true"},
        {"query", MH_STYLE_FORM, 1, 0, "n", "[\"a,b\",\"c\"]", "n=a%2Cb&n=c"},
        {"query", MH_STYLE_FORM, 0, 0, "n", "[\"a,b\",\"c\"]", "n=a%2Cb,c"},
        {"query", MH_STYLE_DEEP_OBJECT, 1, 0, "f", "{\"a\":{\"b\":1},\"c\":[\"x\",\"y\"]}",
         "f%5Ba%5D%5Bb%5D=1&f%5Bc%5D=x&f%5Bc%5D=y"},
        {"query", MH_STYLE_SIMPLE, 0, 0, "q", "\"x\"", "q=x"},
        {"path", MH_STYLE_SIMPLE, 0, 0, "id", "\"a/b c?\"", "a%2Fb%20c%3F"},
        {"path", MH_STYLE_FORM, 0, 0, "id", "5", "5"},
        {"path", MH_STYLE_MATRIX, 0, 0, "id", "\"a;b\"", ";id=a%3Bb"},
        {"header", MH_STYLE_SIMPLE, 0, 0, "X-A", "\"a b/c;d\"", "a b/c;d"},
        {"header", MH_STYLE_SIMPLE, 0, 0, "X-A", "\"caf\xc3\xa9\\n\"", "caf%C3%A9%0A"},
        {"cookie", MH_STYLE_FORM, 0, 0, "s", "\"a b;c\"", "s=a%20b%3Bc"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        mh_param p = {.name = rows[i].name,
                      .in = rows[i].in,
                      .style = rows[i].style,
                      .explode = rows[i].explode,
                      .allow_reserved = rows[i].reserved};
        expect_serialized(&p, rows[i].json, rows[i].want);
    }
}
END_TEST

/* A parameter declared by content carries its value as JSON text. */
START_TEST(gen_style_content_parameter_is_json_text)
{
    mh_param p = {.name = "c", .in = "query", .content_type = "application/json"};
    expect_serialized(&p, "{\"lat\":1,\"long\":2}", "c=%7B%22lat%22%3A1%2C%22long%22%3A2%7D");
    p.in = "header";
    expect_serialized(&p, "{\"lat\":1}", "{\"lat\":1}");
}
END_TEST

/* ---- whole documents: tests/data/whole/pets.yaml ---- */

#define PETS MH_TEST_DATA "/whole/pets.yaml"

static void setup_pets(void)
{
    load(PETS, "listPets");
}

/* The operation sel of the loaded document (usable or not). */
static const mh_operation *op_of(const char *sel)
{
    for (size_t i = 0; i < mh_spec_operation_count(spec); i++)
        if (mh_gen_selects(mh_spec_operation(spec, i), sel))
            return mh_spec_operation(spec, i);
    ck_abort_msg("no operation %s", sel);
    return NULL;
}

/* Options for every operation of the document, in document order. */
static const mh_operation *all_ops[32];

static mh_gen_opts pets_opts(void)
{
    mh_gen_opts o = opts();
    size_t n = mh_spec_operation_count(spec);
    ck_assert_uint_le(n, 32);
    for (size_t i = 0; i < n; i++)
        all_ops[i] = mh_spec_operation(spec, i);
    o.ops = all_ops;
    o.op_count = n;
    o.op = NULL;
    return o;
}

/* The case id of operation key ("METHOD /path" or methods label). */
static const mh_case *find_in(const mh_plan *p, const char *key, const char *id)
{
    for (size_t i = 0; i < p->count; i++) {
        const mh_case *c = p->cases[i];
        const char *k = c->operation ? c->operation : c->op->id;
        if (strcmp(k, key) == 0 && strcmp(c->id, id) == 0)
            return c;
    }
    return NULL;
}

static const mh_case *must_find_in(const mh_plan *p, const char *key, const char *id)
{
    const mh_case *c = find_in(p, key, id);
    ck_assert_msg(c != NULL, "case %s of %s missing", id, key);
    return c;
}

START_TEST(gen_select_by_id_operation_id_tag_and_exclude)
{
    const mh_operation **ops = NULL;
    size_t n = 0;
    mh_error err;
    ck_assert_int_eq(mh_gen_select(spec, NULL, &ops, &n, &err), MH_OK);
    ck_assert_uint_eq(n, mh_spec_operation_count(spec)); /* every one, unusable too */
    for (size_t i = 0; i < n; i++)
        ck_assert_ptr_eq(ops[i], mh_spec_operation(spec, i)); /* document order */
    free(ops);
    const char *sels[] = {"delete /pets/{petId}", "listPets"};
    const char *tags[] = {"write"};
    const char *excl[] = {"addNote"};
    mh_gen_selection sel = {.operations = sels,
                            .operation_count = 2,
                            .tags = tags,
                            .tag_count = 1,
                            .excludes = excl,
                            .exclude_count = 1};
    ck_assert_int_eq(mh_gen_select(spec, &sel, &ops, &n, &err), MH_OK);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(ops[0]->id, "GET /pets");
    ck_assert_str_eq(ops[1]->id, "POST /pets");
    ck_assert_str_eq(ops[2]->id, "PATCH /pets/{petId}");
    ck_assert_str_eq(ops[3]->id, "DELETE /pets/{petId}");
    free(ops);
    /* An unusable operation can be selected: it plans one skipped case. */
    const char *broken[] = {"brokenOp"};
    mh_gen_selection sb = {.operations = broken, .operation_count = 1};
    ck_assert_int_eq(mh_gen_select(spec, &sb, &ops, &n, &err), MH_OK);
    ck_assert_uint_eq(n, 1);
    free(ops);
}
END_TEST

START_TEST(gen_select_unknown_lists_operations)
{
    const mh_operation **ops = NULL;
    size_t n = 0;
    mh_error err;
    const char *bad[] = {"GET /nope"};
    mh_gen_selection sel = {.operations = bad, .operation_count = 1};
    ck_assert_int_eq(mh_gen_select(spec, &sel, &ops, &n, &err), MH_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "GET /nope"));
    ck_assert_ptr_nonnull(strstr(err.message, "GET /pets, POST /pets, GET /pets/{petId}"));
    mh_gen_selection ex = {.excludes = bad, .exclude_count = 1};
    ck_assert_int_eq(mh_gen_select(spec, &ex, &ops, &n, &err), MH_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "--exclude"));
    const char *tag[] = {"nosuchtag"};
    mh_gen_selection st = {.tags = tag, .tag_count = 1};
    ck_assert_int_eq(mh_gen_select(spec, &st, &ops, &n, &err), MH_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "nosuchtag"));
    ck_assert_ptr_nonnull(strstr(err.message, "pets, read, write"));
    const char *all[] = {"listPets"};
    mh_gen_selection none = {
        .operations = all, .operation_count = 1, .excludes = all, .exclude_count = 1};
    ck_assert_int_eq(mh_gen_select(spec, &none, &ops, &n, &err), MH_ERR_USAGE);
    ck_assert_ptr_null(ops);
}
END_TEST

/* Operation after operation in the order given; ids unique within the
 * operation they are reported under; methods once per path, each under the
 * method it sends, with an operation of that path; unusable and unsendable
 * operations one skipped case each. */
START_TEST(gen_plan_whole_document_by_operation)
{
    mh_gen_opts o = pets_opts();
    mh_plan p;
    plan(&o, &p);
    size_t at = 0;
    for (size_t k = 0; k < o.op_count; k++) {
        ck_assert_msg(at < p.count && p.cases[at]->op == o.ops[k], "%s not planned in order",
                      o.ops[k]->id);
        while (at < p.count && p.cases[at]->op == o.ops[k])
            at++;
    }
    ck_assert_uint_eq(at, p.count);
    for (size_t i = 0; i < p.count; i++)
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(
                strcmp(p.cases[i]->id, p.cases[j]->id) != 0 ||
                    strcmp(p.cases[i]->operation ? p.cases[i]->operation : p.cases[i]->op->id,
                           p.cases[j]->operation ? p.cases[j]->operation : p.cases[j]->op->id) != 0,
                "%s twice", p.cases[i]->id);
    /* methods: /pets declares GET and POST; /pets/{petId} GET, PATCH, DELETE */
    const mh_case *m = must_find_in(&p, "PUT /pets", "methods/put");
    ck_assert_str_eq(m->method, "PUT");
    ck_assert_ptr_eq(m->op, op_of("listPets"));
    must_find_in(&p, "PATCH /pets", "methods/patch");
    must_find_in(&p, "DELETE /pets", "methods/delete");
    ck_assert_ptr_null(find_in(&p, "GET /pets", "methods/get"));
    ck_assert_ptr_null(find_in(&p, "POST /pets", "methods/post"));
    must_find_in(&p, "PUT /pets/{petId}", "methods/put");
    must_find_in(&p, "POST /pets/{petId}", "methods/post");
    ck_assert_ptr_null(find_in(&p, "PATCH /pets/{petId}", "methods/patch"));
    size_t methods = 0;
    for (size_t i = 0; i < p.count; i++) {
        const mh_case *c = p.cases[i];
        methods += c->suite == MH_SUITE_METHODS;
        ck_assert_msg(c->suite != MH_SUITE_METHODS || c->operation, "%s: no operation label",
                      c->id);
        ck_assert_msg((c->suite == MH_SUITE_METHODS) == (c->operation != NULL), "%s", c->id);
    }
    /* /pets 3, /pets/{petId} 2, photo 4, notes 4, comment 4, /login 4, /broken none */
    ck_assert_uint_eq(methods, 21);
    const mh_case *u = must_find_in(&p, "GET /broken", "valid/operation-unusable");
    ck_assert_ptr_nonnull(strstr(u->skip_reason, "undefinedScheme"));
    ck_assert_ptr_nonnull(strstr(u->skip_reason, "/paths/~1broken/get/security"));
    const mh_case *r = must_find_in(&p, "PUT /pets/{petId}/photo", "valid/request-body");
    ck_assert_ptr_nonnull(strstr(r->skip_reason, "image/png"));
    size_t skipped = 0;
    for (size_t i = 0; i < p.count; i++)
        skipped += p.cases[i]->skip_reason != NULL;
    ck_assert_uint_eq(skipped, 2);
    mh_plan_free(&p);
}
END_TEST

/* An unusable operation is never silently dropped, whatever the suites. */
START_TEST(gen_plan_unusable_operation_one_skipped_case)
{
    mh_gen_opts o = opts();
    o.op = op_of("brokenOp");
    o.suites = 1u << MH_SUITE_AUTH;
    mh_plan p;
    plan(&o, &p);
    ck_assert_uint_eq(p.count, 1);
    ck_assert_str_eq(p.cases[0]->id, "valid/operation-unusable");
    ck_assert_ptr_nonnull(p.cases[0]->skip_reason);
    mh_plan_free(&p);
}
END_TEST

/* A plan with no case at all is an error that says so. */
START_TEST(gen_plan_empty_is_usage_error)
{
    mh_gen_opts o = opts();
    o.op = op_of("listPets");
    o.suites = 1u << MH_SUITE_AUTH; /* a public operation has no auth cases */
    mh_plan p;
    mh_error err;
    ck_assert_int_eq(mh_gen_plan(&o, &p, &err), MH_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "empty"));
    ck_assert_uint_eq(p.count, 0);
}
END_TEST

/* Values: --param for that operation, then global, then the example, then
 * the schema; headers and cookies carry them too. */
START_TEST(gen_plan_parameter_values_in_order)
{
    mh_gen_opts o = opts();
    o.op = op_of("listPets");
    o.suites = 1u << MH_SUITE_VALID;
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/typical");
    ck_assert_str_eq(c->target, "/pets?limit=20"); /* the example */
    ck_assert_str_eq(header(c, "X-Request-Id"), "123e4567-e89b-42d3-a456-426614174000");
    ck_assert_ptr_null(header(c, "Cookie")); /* optional, not configured */
    c = must_find(&p, "valid/all-parameters");
    ck_assert_str_eq(c->target, "/pets?status=available&tags=sample&filter%5Bcolor%5D=sample&"
                                "filter%5Bsize%5D=1&limit=20&sort=sample");
    ck_assert_str_eq(header(c, "Cookie"), "session=sample");
    mh_plan_free(&p);

    const mh_gen_value params[] = {
        {NULL, "limit", "5"},
        {"GET /pets", "limit", "7"},
        {"showPet", "limit", "9"},
        {NULL, "session", "s e;s"},
        {NULL, "status", "sold,available"},
        {"listPets", "X-Request-Id", "00000000-0000-4000-8000-000000000000"},
    };
    o.params = params;
    o.param_count = sizeof params / sizeof params[0];
    plan(&o, &p);
    c = must_find(&p, "valid/typical");
    /* configured optional parameters are sent in the standard request */
    ck_assert_str_eq(c->target, "/pets?status=sold,available&limit=7");
    ck_assert_str_eq(header(c, "Cookie"), "session=s%20e%3Bs");
    ck_assert_str_eq(header(c, "X-Request-Id"), "00000000-0000-4000-8000-000000000000");
    mh_plan_free(&p);
}
END_TEST

/* DESIGN.md: 2xx is demanded only when every path parameter and every
 * required query and header parameter was configured or came from an
 * example, and the operation declares a 2xx. */
START_TEST(gen_plan_valid_demands_2xx_only_when_known)
{
    static const struct {
        const char *op;
        int configure;
        int any;
    } rows[] = {
        {"listPets", 0, 1},  /* X-Request-Id generated */
        {"listPets", 1, 0},  /* configured; limit from its example */
        {"showPet", 0, 1},   /* petId generated */
        {"showPet", 1, 0},   /* petId configured */
        {"deletePet", 1, 1}, /* no 2xx declared */
        {"login", 0, 0},     /* no parameters, 204 declared */
    };
    const mh_gen_value conf[] = {{NULL, "X-Request-Id", "00000000-0000-4000-8000-000000000000"},
                                 {NULL, "petId", "7"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        mh_gen_opts o = opts();
        o.op = op_of(rows[i].op);
        o.params = rows[i].configure ? conf : NULL;
        o.param_count = rows[i].configure ? 2 : 0;
        mh_plan p;
        plan(&o, &p);
        for (size_t k = 0; k < p.count; k++) {
            const mh_case *c = p.cases[k];
            int want = c->suite == MH_SUITE_VALID ? rows[i].any : 0;
            ck_assert_msg(c->any_declared_status == want, "%s %s: any_declared_status %d",
                          rows[i].op, c->id, c->any_declared_status);
        }
        mh_plan_free(&p);
    }
}
END_TEST

/* --property sets a declared top-level property in every case but the
 * malformed ones (and the property's own probes); JSON for non-strings. */
START_TEST(gen_plan_property_in_non_malformed_cases)
{
    mh_gen_opts o = opts();
    o.op = op_of("createPet");
    const mh_gen_value props[] = {
        {NULL, "tag", "cat"}, {"createPet", "age", "7"}, {NULL, "undeclared", "x"}};
    o.properties = props;
    o.property_count = 3;
    mh_plan p;
    plan(&o, &p);
    size_t with = 0;
    for (size_t i = 0; i < p.count; i++) {
        const mh_case *c = p.cases[i];
        cJSON *t = parse(c);
        if (!t)
            continue;
        const cJSON *tag = mh_json_get(t, "tag"), *age = mh_json_get(t, "age");
        ck_assert_ptr_null(mh_json_get(t, "undeclared"));
        int own = strstr(c->id, "/tag-") || strstr(c->id, "/age-");
        /* Cases built as malformed; a boundary probe beyond a limit that
         * moved there was built with it, which breaks nothing. */
        int built_malformed = strstr(c->id, "-missing") || strstr(c->id, "-wrong-type-") ||
                              strstr(c->id, "/content-type-") || strstr(c->id, "/json-");
        if (c->suite == MH_SUITE_MALFORMED) {
            ck_assert_msg(own || !built_malformed || !tag, "%s: a malformed case got the property",
                          c->id);
        } else if (!own && c->suite != MH_SUITE_METHODS) {
            ck_assert_msg(cJSON_IsString(tag) && strcmp(tag->valuestring, "cat") == 0, "%s", c->id);
            ck_assert_msg(cJSON_IsNumber(age) && age->valuedouble == 7, "%s", c->id);
            with++;
        }
        cJSON_Delete(t);
    }
    ck_assert_uint_ge(with, 20);
    mh_plan_free(&p);
}
END_TEST

/* Negative parameter cases: missing required (never a path parameter),
 * type, enum, range, length, an array item; format-only is boundary. */
START_TEST(gen_plan_parameter_negative_cases_exact)
{
    mh_gen_opts o = opts();
    o.op = op_of("listPets");
    mh_plan p;
    plan(&o, &p);
    static const struct {
        const char *id, *target;
    } want[] = {
        {"malformed/limit-param-missing", "/pets"},
        {"malformed/x-request-id-param-missing", "/pets?limit=20"},
        {"malformed/limit-param-wrong-type", "/pets?limit=mh-not-a-number"},
        {"malformed/limit-param-not-integer", "/pets?limit=1.5"},
        {"malformed/limit-param-below-minimum", "/pets?limit=0"},
        {"malformed/limit-param-above-maximum", "/pets?limit=101"},
        {"malformed/status-param-item-not-in-enum", "/pets?status=mh-not-in-enum&limit=20"},
        {"malformed/session-param-too-short", "/pets?limit=20"},
        {"malformed/sort-param-pattern-mismatch",
         "/pets?limit=20&sort=~mh%20pattern%20mismatch%21~"},
        {"boundary/x-request-id-param-not-uuid", "/pets?limit=20"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const mh_case *c = must_find(&p, want[i].id);
        ck_assert_msg(strcmp(c->target, want[i].target) == 0, "%s: %s", c->id, c->target);
        ck_assert_int_eq(c->any_declared_status, 0);
    }
    ck_assert_ptr_null(
        header(must_find(&p, "malformed/x-request-id-param-missing"), "X-Request-Id"));
    ck_assert_str_eq(header(must_find(&p, "malformed/session-param-too-short"), "Cookie"),
                     "session=xxx");
    ck_assert_str_eq(header(must_find(&p, "boundary/x-request-id-param-not-uuid"), "X-Request-Id"),
                     "mh-not-a-uuid");
    mh_plan_free(&p);
    o.op = op_of("showPet");
    plan(&o, &p);
    ck_assert_ptr_null(find(&p, "malformed/pet-id-param-missing")); /* another path */
    ck_assert_str_eq(must_find(&p, "malformed/pet-id-param-below-minimum")->target, "/pets/0");
    mh_plan_free(&p);
}
END_TEST

/* Form and multipart bodies are encoded as such and judged by their fields. */
START_TEST(gen_plan_form_and_multipart_bodies)
{
    mh_gen_opts o = opts();
    o.op = op_of("login");
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/ascii");
    ck_assert_str_eq(header(c, "Content-Type"), "application/x-www-form-urlencoded");
    ck_assert_str_eq(c->body, "user=mh-" RUN_ID "-1%20ascii%20tag");
    ck_assert_int_eq(c->body_schema_valid, 1);
    c = must_find(&p, "valid/all-properties");
    ck_assert_ptr_nonnull(strstr(c->body, "&remember=true&roles=sample"));
    c = must_find(&p, "malformed/remember-wrong-type-string");
    ck_assert_ptr_nonnull(strstr(c->body, "&remember=mh-not-a-boolean"));
    ck_assert_int_eq(c->body_schema_valid, 0);
    c = must_find(&p, "malformed/user-missing");
    ck_assert_str_eq(c->body, "");
    ck_assert_ptr_null(find(&p, "malformed/json-truncated")); /* JSON text probes: JSON only */
    ck_assert_ptr_null(find(&p, "boundary/user-nul-escape"));
    mh_plan_free(&p);

    o.op = op_of("addNote");
    plan(&o, &p);
    c = must_find(&p, "valid/all-properties");
    ck_assert_str_eq(header(c, "Content-Type"), "multipart/form-data; boundary="
                                                "mh-boundary-7b1d0c5e9a");
    char want[512];
    snprintf(want, sizeof want,
             "--mh-boundary-7b1d0c5e9a\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n"
             "mh-%s-11 all properties\r\n"
             "--mh-boundary-7b1d0c5e9a\r\nContent-Disposition: form-data; name=\"meta\"\r\n"
             "Content-Type: application/json\r\n\r\n{}\r\n"
             "--mh-boundary-7b1d0c5e9a--\r\n",
             RUN_ID);
    ck_assert_str_eq(c->body, want);
    ck_assert_str_eq(c->target, "/pets/;petId=1/notes");
    mh_plan_free(&p);
}
END_TEST

/* An optional body may be left out: an empty one is not malformed. */
START_TEST(gen_plan_optional_body_empty_not_malformed)
{
    mh_gen_opts o = opts();
    o.op = op_of("updatePet");
    mh_plan p;
    plan(&o, &p);
    ck_assert_ptr_null(find(&p, "malformed/body-empty"));
    ck_assert_ptr_null(find(&p, "malformed/body-whitespace"));
    must_find(&p, "malformed/body-array");
    /* no name-like property: the payload variants would be one body */
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_VALID), 2);
    must_find(&p, "valid/typical");
    mh_plan_free(&p);
    o.op = op_of("createPet");
    plan(&o, &p);
    must_find(&p, "malformed/body-empty");
    mh_plan_free(&p);
}
END_TEST

/* A public operation sends no token and has no auth cases. */
START_TEST(gen_plan_public_operation_sends_no_token)
{
    mh_gen_opts o = opts();
    o.op = op_of("showPet");
    mh_plan p;
    plan(&o, &p);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_AUTH), 0);
    for (size_t i = 0; i < p.count; i++)
        ck_assert_ptr_null(header(p.cases[i], "Authorization"));
    ck_assert_uint_eq(p.token_count, 0);
    ck_assert_str_eq(header(must_find(&p, "valid/typical"), "Accept"), "application/json");
    mh_plan_free(&p);
}
END_TEST

/* Another media type is sent from its declared example; Accept names the
 * declared answer types; a header parameter called Accept is ignored. */
START_TEST(gen_plan_example_body_and_accept)
{
    mh_gen_opts o = opts();
    o.op = op_of("putComment");
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/example");
    ck_assert_str_eq(c->body, "good dog");
    ck_assert_str_eq(header(c, "Content-Type"), "text/plain");
    size_t accepts = 0;
    for (size_t i = 0; i < c->header_count; i++)
        accepts += strcasecmp(c->headers[i].name, "Accept") == 0;
    ck_assert_uint_eq(accepts, 1);
    ck_assert_str_eq(header(c, "Accept"), "text/plain");
    ck_assert_ptr_null(header(must_find(&p, "malformed/content-type-missing"), "Content-Type"));
    ck_assert_ptr_null(find(&p, "malformed/accept-param-missing"));
    ck_assert_ptr_null(find(&p, "malformed/accept-param-not-in-enum"));
    mh_plan_free(&p);
}
END_TEST

/* --max-cases over several operations: every operation's first case
 * before any second one, kept in plan order. */
START_TEST(gen_plan_max_cases_spreads_over_operations)
{
    mh_gen_opts o = pets_opts();
    o.max_cases = o.op_count;
    mh_plan p;
    plan(&o, &p);
    ck_assert_uint_eq(p.count, o.op_count);
    for (size_t i = 0; i < p.count; i++) {
        ck_assert_ptr_eq(p.cases[i]->op, o.ops[i]);
        ck_assert_int_eq(p.cases[i]->suite, MH_SUITE_VALID);
    }
    mh_plan_free(&p);
}
END_TEST

/* A fragment in a path key is never sent; a query written into the key
 * stays, and the parameters follow it with '&'. */
START_TEST(gen_plan_path_key_fragment_and_query)
{
    static const char doc[] =
        "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{"
        "\"/c#form\":{\"get\":{\"parameters\":[{\"name\":\"q\",\"in\":\"query\",\"required\":true,"
        "\"schema\":{\"type\":\"string\"}}],\"responses\":{\"200\":{\"description\":\"ok\"}}}},"
        "\"/s?type=a\":{\"get\":{\"parameters\":[{\"name\":\"q\",\"in\":\"query\",\"required\":"
        "true,\"schema\":{\"type\":\"string\"}}],\"responses\":{\"200\":{\"description\":\"ok\"}}}}"
        "}}";
    mh_spec *sp = NULL;
    mh_error err;
    ck_assert_msg(mh_spec_load_buffer(doc, strlen(doc), "frag.json", &sp, &err) == MH_OK, "%s",
                  err.message);
    const mh_operation *ops[2] = {mh_spec_operation(sp, 0), mh_spec_operation(sp, 1)};
    mh_gen_opts o = {.spec = sp,
                     .ops = ops,
                     .op_count = 2,
                     .seed = 1,
                     .run_id = RUN_ID,
                     .suites = 1u << MH_SUITE_VALID};
    mh_plan p;
    plan(&o, &p);
    ck_assert_uint_eq(p.count, 2);
    ck_assert_str_eq(p.cases[0]->target, "/c?q=sample");
    ck_assert_str_eq(p.cases[1]->target, "/s?type=a&q=sample");
    mh_plan_free(&p);
    mh_spec_free(sp);
}
END_TEST

/* ---- security: tests/data/whole/secured.yaml ---- */

#define SECURED MH_TEST_DATA "/whole/secured.yaml"
#define KEY_H "hdr-key-1"
#define KEY_Q "q key/1"
#define KEY_C "cookie-key-1"
#define BASIC "alice:open sesame"
#define BASIC_B64 "YWxpY2U6b3BlbiBzZXNhbWU="

static void setup_secured(void)
{
    load(SECURED, "listItems");
}

static const mh_gen_api_key all_keys[] = {
    {"key_header", KEY_H}, {"key_query", KEY_Q}, {"key_cookie", KEY_C}};

/* One operation of secured.yaml, no credentials at all. */
static mh_gen_opts sec_opts(const char *sel)
{
    mh_gen_opts o = opts();
    o.op = op_of(sel);
    o.jwt_key = NULL;
    o.secret = NULL;
    o.bot_id = NULL;
    return o;
}

/* The names of c's headers joined by ',' into buf. */
static const char *header_names(const mh_case *c, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < c->header_count; i++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", i ? "," : "", c->headers[i].name);
    return buf;
}

/* The auth case ids of p joined by ',' into buf. */
static const char *auth_ids(const mh_plan *p, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < p->count; i++)
        if (p->cases[i]->suite == MH_SUITE_AUTH)
            snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", *buf ? "," : "",
                     p->cases[i]->id + 5);
    return buf;
}

/* The user:pass a Basic header carries (caller frees). */
static char *basic_decoded(const mh_case *c)
{
    const char *h = header(c, "Authorization");
    ck_assert_msg(h && strncmp(h, "Basic ", 6) == 0, "%s: %s", c->id, h ? h : "(none)");
    /* standard base64 -> base64url without padding, then decode */
    char *u = strdup(h + 6);
    size_t n = strlen(u);
    for (size_t i = 0; i < n; i++)
        u[i] = u[i] == '+' ? '-' : u[i] == '/' ? '_' : u[i];
    while (n && u[n - 1] == '=')
        u[--n] = '\0';
    unsigned char *raw = NULL;
    size_t len = 0;
    ck_assert_int_eq(mh_base64url_decode(u, n, &raw, &len), 0);
    char *t = strndup((const char *)raw, len);
    free(raw);
    free(u);
    return t;
}

/* API keys go where their scheme says: a header (after Accept), the query
 * (after the parameters, percent-encoded) or the Cookie header (before the
 * cookie parameters); no Authorization for them. */
START_TEST(gen_security_api_keys_where_the_scheme_says)
{
    char names[256];
    mh_gen_opts o = sec_opts("listItems");
    o.api_keys = all_keys;
    o.api_key_count = 3;
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/typical");
    ck_assert_str_eq(c->target, "/items?limit=5");
    ck_assert_str_eq(header(c, "X-API-Key"), KEY_H);
    ck_assert_str_eq(header_names(c, names, sizeof names), "Accept,X-API-Key");
    mh_plan_free(&p);

    o.op = op_of("createItem");
    plan(&o, &p);
    c = must_find(&p, "valid/ascii");
    ck_assert_str_eq(c->target, "/items?api_key=q%20key%2F1");
    ck_assert_str_eq(header_names(c, names, sizeof names), "Content-Type,Accept");
    mh_plan_free(&p);

    o.op = op_of("showItem");
    plan(&o, &p);
    c = must_find(&p, "valid/typical");
    ck_assert_str_eq(c->target, "/items/7");
    ck_assert_str_eq(header(c, "Cookie"), "session_key=" KEY_C "; theme=dark");
    ck_assert_ptr_null(header(c, "Authorization"));
    mh_plan_free(&p);
}
END_TEST

/* http basic: Authorization: Basic base64(user:pass), where Bearer goes. */
START_TEST(gen_security_basic_header_exact)
{
    char names[256];
    mh_gen_opts o = sec_opts("changePassword");
    o.basic = BASIC;
    o.secret = SECRET;
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/ascii");
    ck_assert_str_eq(header(c, "Authorization"), "Basic " BASIC_B64);
    ck_assert_str_eq(header_names(c, names, sizeof names), "Content-Type,Authorization,Accept");
    mh_plan_free(&p);
}
END_TEST

/* With several alternatives the first one whose credentials are all
 * configured is sent; with none, the cases that need them are one skipped
 * case naming what to give for each alternative. */
START_TEST(gen_security_first_configured_alternative)
{
    mh_gen_opts o = sec_opts("createItem");
    mh_plan p;
    plan(&o, &p);
    const mh_case *skip = must_find(&p, "valid/no-credentials");
    ck_assert_str_eq(skip->skip_reason,
                     "no credentials for security scheme key_query: give --api-key "
                     "key_query=...; or security scheme basic: give --basic USER:PASS (or "
                     "MANTA_BASIC)");
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_VALID), 1);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_MALFORMED), 0);
    mh_plan_free(&p);

    o.basic = BASIC; /* the second alternative only */
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/ascii");
    ck_assert_str_eq(header(c, "Authorization"), "Basic " BASIC_B64);
    ck_assert_str_eq(c->target, "/items");
    mh_plan_free(&p);

    o.api_keys = all_keys; /* both: the first wins */
    o.api_key_count = 3;
    plan(&o, &p);
    c = must_find(&p, "valid/ascii");
    ck_assert_ptr_null(header(c, "Authorization"));
    ck_assert_str_eq(c->target, "/items?api_key=q%20key%2F1");
    mh_plan_free(&p);
}
END_TEST

/* An AND requirement needs every scheme of it configured, and then sends
 * them all. */
START_TEST(gen_security_and_requirement_needs_every_scheme)
{
    mh_gen_opts o = sec_opts("deleteItem");
    o.api_keys = all_keys;
    o.api_key_count = 3;
    char *why = NULL;
    ck_assert_int_eq(mh_gen_op_access(&o, o.op, &why), MH_GEN_NO_CREDENTIALS);
    ck_assert_str_eq(why, "no credentials for security scheme bearer: give --token or "
                          "--jwt-key (or MANTA_TOKEN / MANTA_JWT_KEY)");
    free(why);
    o.token = "opaque-token-1";
    ck_assert_int_eq(mh_gen_op_access(&o, o.op, &why), MH_GEN_CREDENTIALS);
    ck_assert_ptr_null(why);
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/typical");
    ck_assert_str_eq(header(c, "Authorization"), "Bearer opaque-token-1");
    ck_assert_str_eq(header(c, "X-API-Key"), KEY_H);
    mh_plan_free(&p);
}
END_TEST

/* oauth2 (and openIdConnect) take the bearer token. */
START_TEST(gen_security_oauth2_takes_the_token)
{
    mh_gen_opts o = sec_opts("listReports");
    mh_plan p;
    plan(&o, &p);
    ck_assert_ptr_nonnull(strstr(must_find(&p, "valid/no-credentials")->skip_reason, "--token"));
    mh_plan_free(&p);
    o.jwt_key = KEY;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/typical");
    char *tok = bearer(c);
    ck_assert_int_eq(mh_jwt_verify(tok, KEY, strlen(KEY), NOW, NULL), MH_JWT_OK);
    free(tok);
    must_find(&p, "auth/tampered-signature");
    mh_plan_free(&p);
}
END_TEST

/* A scheme nothing can be configured for (http digest): the operation's
 * other cases are skipped with that reason; its auth suite is one bare
 * request. */
START_TEST(gen_security_unconfigurable_scheme)
{
    mh_gen_opts o = sec_opts("legacy");
    o.api_keys = all_keys;
    o.api_key_count = 3;
    o.basic = BASIC;
    o.token = "opaque-token-1";
    mh_plan p;
    plan(&o, &p);
    ck_assert_ptr_nonnull(
        strstr(must_find(&p, "valid/no-credentials")->skip_reason, "digest cannot be configured"));
    char ids[512];
    ck_assert_str_eq(auth_ids(&p, ids, sizeof ids), "no-credentials");
    const mh_case *c = must_find(&p, "auth/no-credentials");
    ck_assert_ptr_null(header(c, "Authorization"));
    ck_assert_ptr_null(c->skip_reason);
    mh_plan_free(&p);
}
END_TEST

/* Optional security ({} among the alternatives): configured credentials are
 * sent, none is no reason to skip, and there are no auth cases. */
START_TEST(gen_security_optional_security_no_auth_cases)
{
    mh_gen_opts o = sec_opts("maybeSigned");
    ck_assert_int_eq(mh_gen_op_access(&o, o.op, NULL), MH_GEN_PUBLIC);
    mh_plan p;
    plan(&o, &p);
    ck_assert_ptr_null(header(must_find(&p, "valid/typical"), "X-API-Key"));
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_AUTH), 0);
    for (size_t i = 0; i < p.count; i++)
        ck_assert_ptr_null(p.cases[i]->skip_reason);
    mh_plan_free(&p);
    o.api_keys = all_keys;
    o.api_key_count = 3;
    plan(&o, &p);
    ck_assert_str_eq(header(must_find(&p, "valid/typical"), "X-API-Key"), KEY_H);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_AUTH), 0);
    mh_plan_free(&p);
}
END_TEST

/* The auth suite of an apiKey scheme: missing, empty, garbage, and the
 * valid key in each of the two other places; without a key only the first
 * three. The other parameters stay as they are. */
START_TEST(gen_security_api_key_auth_cases_exact)
{
    char ids[512];
    mh_gen_opts o = sec_opts("listItems");
    o.api_keys = all_keys;
    o.api_key_count = 3;
    mh_plan p;
    plan(&o, &p);
    ck_assert_str_eq(auth_ids(&p, ids, sizeof ids),
                     "key-header-missing,key-header-empty,key-header-garbage,key-header-in-query,"
                     "key-header-in-cookie");
    const mh_case *c = must_find(&p, "auth/key-header-missing");
    ck_assert_ptr_null(header(c, "X-API-Key"));
    ck_assert_ptr_null(header(c, "Cookie"));
    ck_assert_str_eq(c->target, "/items?limit=5");
    ck_assert_str_eq(header(must_find(&p, "auth/key-header-empty"), "X-API-Key"), "");
    const char *g = header(must_find(&p, "auth/key-header-garbage"), "X-API-Key");
    ck_assert_uint_eq(strlen(g), 32);
    ck_assert_str_ne(g, KEY_H);
    c = must_find(&p, "auth/key-header-in-query");
    ck_assert_str_eq(c->target, "/items?limit=5&X-API-Key=" KEY_H);
    ck_assert_ptr_null(header(c, "X-API-Key"));
    c = must_find(&p, "auth/key-header-in-cookie");
    ck_assert_str_eq(header(c, "Cookie"), "X-API-Key=" KEY_H);
    ck_assert_ptr_null(header(c, "X-API-Key"));
    ck_assert_str_eq(c->target, "/items?limit=5");
    mh_plan_free(&p);

    o.op = op_of("showItem"); /* a cookie key beside a cookie parameter */
    plan(&o, &p);
    c = must_find(&p, "auth/key-cookie-in-query");
    ck_assert_str_eq(c->target, "/items/7?session_key=" KEY_C);
    ck_assert_str_eq(header(c, "Cookie"), "theme=dark");
    c = must_find(&p, "auth/key-cookie-in-header");
    ck_assert_str_eq(header(c, "session_key"), KEY_C);
    ck_assert_str_eq(header(must_find(&p, "auth/key-cookie-empty"), "Cookie"),
                     "session_key=; theme=dark");
    mh_plan_free(&p);

    o.api_keys = NULL; /* no key: what needs none */
    o.api_key_count = 0;
    o.op = op_of("listItems");
    plan(&o, &p);
    ck_assert_str_eq(auth_ids(&p, ids, sizeof ids),
                     "key-header-missing,key-header-empty,key-header-garbage");
    ck_assert_ptr_nonnull(strstr(must_find(&p, "valid/no-credentials")->skip_reason,
                                 "security scheme key_header: give --api-key key_header=..."));
    mh_plan_free(&p);
}
END_TEST

/* The auth suite of http basic: no Authorization, empty and random
 * credentials, the configured user with a random wrong password (never
 * derived from the real one: base64 hides nothing), then the wrong
 * credential property. */
START_TEST(gen_security_basic_auth_cases_exact)
{
    char ids[512];
    mh_gen_opts o = sec_opts("changePassword");
    o.basic = BASIC;
    o.secret = SECRET;
    mh_plan p;
    plan(&o, &p);
    ck_assert_str_eq(auth_ids(&p, ids, sizeof ids),
                     "no-authorization,basic-empty,basic-garbage,basic-wrong-password,"
                     "password-wrong");
    ck_assert_ptr_null(header(must_find(&p, "auth/no-authorization"), "Authorization"));
    ck_assert_str_eq(header(must_find(&p, "auth/basic-empty"), "Authorization"), "Basic ");
    char *garbage = basic_decoded(must_find(&p, "auth/basic-garbage"));
    char *wrong = basic_decoded(must_find(&p, "auth/basic-wrong-password"));
    ck_assert_msg(strncmp(garbage, "alice:", 6) != 0 && strchr(garbage, ':'), "%s", garbage);
    ck_assert_msg(strncmp(wrong, "alice:", 6) == 0 && !strstr(wrong, "open") &&
                      !strstr(wrong, "sesame"),
                  "%s", wrong);
    free(garbage);
    free(wrong);
    mh_plan_free(&p);
    o.basic = NULL;
    plan(&o, &p);
    ck_assert_str_eq(auth_ids(&p, ids, sizeof ids), "no-authorization,basic-empty,basic-garbage");
    mh_plan_free(&p);
}
END_TEST

/* A credential-like body property is a credential only in a secured
 * operation: a public create-user operation's "password" gets a generated
 * value, needs no --secret and has no wrong-secret case; a secured
 * operation's "password" carries --secret, needs it, and gets one. (The
 * Manta contract's "secret": gen_plan_usage_errors and
 * gen_plan_ids_unique_and_stable.) */
START_TEST(gen_security_credential_property_only_when_secured)
{
    mh_gen_opts o = sec_opts("createUser"); /* no --secret */
    mh_plan p;
    plan(&o, &p);
    ck_assert_uint_eq(suite_count(&p, MH_SUITE_AUTH), 0);
    mh_plan_free(&p);
    o.secret = SECRET;
    plan(&o, &p);
    for (size_t i = 0; i < p.count; i++) {
        const mh_case *c = p.cases[i];
        ck_assert_msg(!c->body || !mem_find(c->body, c->body_len, SECRET, strlen(SECRET)),
                      "%s sends the secret", c->id);
    }
    char *pw = member(must_find(&p, "valid/ascii"), "password");
    ck_assert_uint_ge(strlen(pw), 8);
    free(pw);
    mh_plan_free(&p);

    o = sec_opts("changePassword");
    o.basic = BASIC;
    mh_error err;
    ck_assert_int_eq(mh_gen_plan(&o, &p, &err), MH_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "\"password\""));
    ck_assert_ptr_nonnull(strstr(err.message, "--secret"));
    o.secret = SECRET;
    plan(&o, &p);
    pw = member(must_find(&p, "valid/ascii"), "password");
    ck_assert_str_eq(pw, SECRET);
    free(pw);
    pw = member(must_find(&p, "auth/password-wrong"), "password");
    ck_assert_str_eq(pw, SECRET "-wrong");
    free(pw);
    mh_plan_free(&p);
}
END_TEST

/* Every declared property, optional ones included: never a readOnly one
 * (the server's to set); a 3.1 type array [string, "null"] is a string of
 * its format; an anyOf of objects takes the first branch's properties. */
START_TEST(gen_plan_all_properties_readonly_type_array_anyof)
{
    mh_gen_opts o = sec_opts("createItem");
    o.basic = BASIC;
    o.suites = 1u << MH_SUITE_VALID;
    mh_plan p;
    plan(&o, &p);
    const mh_case *c = must_find(&p, "valid/all-properties");
    cJSON *t = parse(c);
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_null(mh_json_get(t, "id"));
    const cJSON *due = mh_json_get(t, "due");
    ck_assert_msg(cJSON_IsString(due) && strlen(due->valuestring) == 10 &&
                      due->valuestring[4] == '-',
                  "%.*s", (int)c->body_len, c->body);
    ck_assert_ptr_nonnull(mh_json_get(mh_json_get(t, "owner"), "user"));
    ck_assert_int_eq(c->body_schema_valid, 1);
    cJSON_Delete(t);
    mh_plan_free(&p);
}
END_TEST

/* The JWT attacks (tampered signature, alg:none) only when the bearer token
 * is a JWT; expired and other-bot only with a key. */
START_TEST(gen_plan_auth_jwt_attacks_only_for_jwts)
{
    mh_gen_opts o = opts();
    o.jwt_key = NULL;
    o.token = "opaque.token-value.x";
    mh_plan p;
    plan(&o, &p);
    ck_assert_ptr_null(find(&p, "auth/tampered-signature"));
    ck_assert_ptr_null(find(&p, "auth/alg-none"));
    must_find(&p, "auth/token-scheme");
    must_find(&p, "auth/garbage-token");
    mh_plan_free(&p);
    char *jwt = mh_jwt_mint(KEY, strlen(KEY), BOT, NOW, NOW + 60);
    o.token = jwt;
    plan(&o, &p);
    char *t = bearer(must_find(&p, "auth/tampered-signature"));
    ck_assert_int_eq(mh_jwt_verify(t, KEY, strlen(KEY), NOW, NULL), MH_JWT_BAD_SIG);
    free(t);
    must_find(&p, "auth/alg-none");
    ck_assert_ptr_null(find(&p, "auth/expired-token"));
    ck_assert_ptr_null(find(&p, "auth/other-bot-token"));
    mh_plan_free(&p);
    free(jwt);
}
END_TEST

/* ---- small pieces ---- */

START_TEST(gen_new_run_id_is_8_hex)
{
    char *a = mh_gen_new_run_id(), *b = mh_gen_new_run_id();
    ck_assert_uint_eq(strlen(a), 8);
    ck_assert_uint_eq(strspn(a, "0123456789abcdef"), 8);
    ck_assert_str_ne(a, b);
    free(a);
    free(b);
}
END_TEST

START_TEST(prng_same_seed_same_sequence)
{
    mh_prng a, b, c;
    mh_prng_seed(&a, 7);
    mh_prng_seed(&b, 7);
    mh_prng_seed(&c, 8);
    int differs = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = mh_prng_next(&a);
        ck_assert(x == mh_prng_next(&b));
        differs |= x != mh_prng_next(&c);
        ck_assert_uint_lt(mh_prng_below(&a, 10), 10);
        mh_prng_below(&b, 10);
        mh_prng_below(&c, 10);
    }
    ck_assert(differs);
    ck_assert_uint_eq(mh_prng_below(&a, 0), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("gen");
    TCase *tc = tcase_create("default-spec");
    tcase_add_checked_fixture(tc, setup_default, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, gen_plan_default_has_every_suite);
    tcase_add_test(tc, gen_plan_ids_unique_and_stable);
    tcase_add_test(tc, gen_plan_same_seed_identical);
    tcase_add_test(tc, gen_plan_run_id_changes_only_names);
    tcase_add_test(tc, gen_plan_seed_changes_random_parts);
    tcase_add_test(tc, gen_plan_suite_selection_keeps_random_parts);
    tcase_add_test(tc, gen_plan_bodies_classified);
    tcase_add_test(tc, gen_plan_names_unique_and_prefixed);
    tcase_add_test(tc, gen_plan_boundary_extremes_exact);
    tcase_add_test(tc, gen_plan_malformed_shapes_exact);
    tcase_add_test(tc, gen_plan_headers_in_order);
    tcase_add_test(tc, gen_plan_auth_tokens_verify);
    tcase_add_test(tc, gen_plan_auth_token_only);
    tcase_add_test(tc, gen_plan_auth_jwt_attacks_only_for_jwts);
    tcase_add_test(tc, gen_plan_parameters_percent_encoded);
    tcase_add_test(tc, gen_plan_max_cases_keeps_every_suite);
    tcase_add_test(tc, gen_plan_repeat_multiplies_with_fresh_names);
    tcase_add_test(tc, gen_plan_usage_errors);
    tcase_add_test(tc, gen_plan_no_credentials_skips_what_needs_them);
    suite_add_tcase(s, tc);

    TCase *tw = tcase_create("widgets-spec");
    tcase_add_checked_fixture(tw, setup_widgets, teardown);
    tcase_set_timeout(tw, 60);
    tcase_add_test(tw, gen_plan_other_spec_is_schema_driven);
    tcase_add_test(tw, gen_plan_no_body_plans_parameters);
    suite_add_tcase(s, tw);

    TCase *tk = tcase_create("whole-document");
    tcase_add_checked_fixture(tk, setup_pets, teardown);
    tcase_set_timeout(tk, 60);
    tcase_add_test(tk, gen_select_by_id_operation_id_tag_and_exclude);
    tcase_add_test(tk, gen_select_unknown_lists_operations);
    tcase_add_test(tk, gen_plan_whole_document_by_operation);
    tcase_add_test(tk, gen_plan_unusable_operation_one_skipped_case);
    tcase_add_test(tk, gen_plan_empty_is_usage_error);
    tcase_add_test(tk, gen_plan_parameter_values_in_order);
    tcase_add_test(tk, gen_plan_valid_demands_2xx_only_when_known);
    tcase_add_test(tk, gen_plan_property_in_non_malformed_cases);
    tcase_add_test(tk, gen_plan_parameter_negative_cases_exact);
    tcase_add_test(tk, gen_plan_form_and_multipart_bodies);
    tcase_add_test(tk, gen_plan_optional_body_empty_not_malformed);
    tcase_add_test(tk, gen_plan_public_operation_sends_no_token);
    tcase_add_test(tk, gen_plan_path_key_fragment_and_query);
    tcase_add_test(tk, gen_plan_example_body_and_accept);
    tcase_add_test(tk, gen_plan_max_cases_spreads_over_operations);
    suite_add_tcase(s, tk);

    TCase *ts = tcase_create("security");
    tcase_add_checked_fixture(ts, setup_secured, teardown);
    tcase_set_timeout(ts, 60);
    tcase_add_test(ts, gen_security_api_keys_where_the_scheme_says);
    tcase_add_test(ts, gen_security_basic_header_exact);
    tcase_add_test(ts, gen_security_first_configured_alternative);
    tcase_add_test(ts, gen_security_and_requirement_needs_every_scheme);
    tcase_add_test(ts, gen_security_oauth2_takes_the_token);
    tcase_add_test(ts, gen_security_unconfigurable_scheme);
    tcase_add_test(ts, gen_security_optional_security_no_auth_cases);
    tcase_add_test(ts, gen_security_api_key_auth_cases_exact);
    tcase_add_test(ts, gen_security_basic_auth_cases_exact);
    tcase_add_test(ts, gen_security_credential_property_only_when_secured);
    tcase_add_test(ts, gen_plan_all_properties_readonly_type_array_anyof);
    suite_add_tcase(s, ts);

    TCase *tp = tcase_create("pieces");
    tcase_add_test(tp, gen_style_examples_table_exact);
    tcase_add_test(tp, gen_style_percent_encoding_exact);
    tcase_add_test(tp, gen_style_content_parameter_is_json_text);
    tcase_add_test(tp, gen_new_run_id_is_8_hex);
    tcase_add_test(tp, prng_same_seed_same_sequence);
    suite_add_tcase(s, tp);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
