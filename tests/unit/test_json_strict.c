/* test_json_strict.c — the strict JSON gate: accept/reject table, tree shape,
 * number literals, depth limits, big objects, strings and helpers; and the
 * exact decimal arithmetic on those literals (json/decimal.h). */
#include "json/decimal.h"
#include "manta/json_strict.h"
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the accept/reject table ----------------------------------------- */

typedef struct {
    const char *in;
    size_t len; /* explicit, so rows may hold NUL bytes */
    mh_json_rule rule;
    int line, col; /* expected location when non-zero */
    int depth;     /* opts.max_depth when non-zero */
    int cmp;       /* accepted rows: compare with cJSON_Parse's tree */
} row;

#define OK(s)                                                                                      \
    {                                                                                              \
        s, sizeof(s) - 1, MH_JSON_OK, 0, 0, 0, 1                                                   \
    }
/* accepted, but cJSON_Parse builds a different tree (U+0000, 1e400, ...) */
#define OKX(s)                                                                                     \
    {                                                                                              \
        s, sizeof(s) - 1, MH_JSON_OK, 0, 0, 0, 0                                                   \
    }
#define NO(s, r)                                                                                   \
    {                                                                                              \
        s, sizeof(s) - 1, MH_JSON_E_##r, 0, 0, 0, 0                                                \
    }
#define AT(s, r, l, c)                                                                             \
    {                                                                                              \
        s, sizeof(s) - 1, MH_JSON_E_##r, l, c, 0, 0                                                \
    }
#define DEPTH(s, d, r)                                                                             \
    {                                                                                              \
        s, sizeof(s) - 1, r, 0, 0, d, 0                                                            \
    }

static const row rows[] = {
    /* accepted: structure, scalars at top level, whitespace */
    OK("{}"),
    OK("[]"),
    OK(" \t\r\n[ ] \t\r\n"),
    OK("{\"a\":1}"),
    OK("[1,2,3]"),
    OK("[[[]]]"),
    OK("{\"a\":{\"a\":{\"a\":1}}}"),
    OK("[{\"a\":1},{\"a\":2}]"),
    OK("{\"a\":1,\"A\":2}"),
    OK("{\"\":0}"),
    OK("{ \"a\" : [ true , false , null ] }"),
    OK("0"),
    OK("-0"),
    OK("0.5"),
    OK("-0.0e-0"),
    OK("1E+2"),
    OK("1e-2"),
    OK("1.5E3"),
    OK("-123"),
    OK("123456789"),
    OK("true"),
    OK("false"),
    OK("null"),
    OK("\"str\""),
    OK("\"\""),
    /* accepted: escapes and Unicode */
    OK("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
    OK("[\"\\/\"]"),
    OK("\"\\u00e9\\u00E9\""),
    OK("\"\\uD834\\uDD1E\""),
    OK("\"\\uDBFF\\uDFFF\""),
    OK("\"\\uFFFF\\uFFFE\\uFDD0\""),
    OK("\"\xEF\xBF\xBF\""),                         /* U+FFFF: a noncharacter, still valid */
    OK("\"\xEF\xB7\x90\""),                         /* U+FDD0 */
    OK("\"\xF4\x8F\xBF\xBF\""),                     /* U+10FFFF */
    OK("\"\xF0\x9F\x98\x80\""),                     /* U+1F600 */
    OK("\"\xC2\x80\xDF\xBF\""),                     /* smallest and largest 2-byte forms */
    OK("\"\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\""), /* around the surrogates */
    OK("\"\x7f\""),                                 /* DEL is not a control character here */
    OK("\"\xE2\x80\xA8\""),                         /* U+2028 raw inside a string */
    OK("{\"\xC3\xA9\":\"\xC3\xA9\"}"),
    OKX("\"a\\u0000b\""),
    OKX("{\"foo\\u0000bar\":42}"),
    OKX("1e400"),
    OKX("-1e-400"),
    OKX("123456789012345678901234567890123456789012345678901234567890123456789"),
    /* empty */
    AT("", EMPTY, 1, 1),
    NO("   ", EMPTY),
    AT("\n\t\r\n ", EMPTY, 3, 2),
    /* byte-order mark */
    AT("\xEF\xBB\xBF{}", BOM, 1, 1),
    NO("\xEF\xBB\xBF", BOM),
    NO("\xEF\xBB\xBF\"\"", BOM),
    /* invalid UTF-8, inside and outside strings */
    AT("\"\xC0\x80\"", UTF8, 1, 2), /* overlong NUL */
    NO("\"\xC1\xBF\"", UTF8),
    NO("\"\xE0\x80\xAF\"", UTF8),     /* overlong 3-byte */
    NO("\"\xE0\x9F\xBF\"", UTF8),     /* overlong 3-byte, top */
    NO("\"\xF0\x80\x80\xAF\"", UTF8), /* overlong 4-byte */
    NO("\"\xF0\x8F\xBF\xBF\"", UTF8),
    NO("\"\xED\xA0\x80\"", UTF8),             /* U+D800 encoded */
    NO("\"\xED\xBF\xBF\"", UTF8),             /* U+DFFF encoded */
    NO("\"\xED\xA0\xBD\xED\xB8\x80\"", UTF8), /* CESU-8 pair */
    NO("\"\xF4\x90\x80\x80\"", UTF8),         /* U+110000 */
    NO("\"\xF5\x80\x80\x80\"", UTF8),
    NO("\"\xF8\x88\x80\x80\x80\"", UTF8),
    NO("\"\xFE\"", UTF8),
    NO("\"\xFF\"", UTF8),
    NO("\"\x80\"", UTF8), /* stray continuation */
    NO("\"\xBF\"", UTF8),
    NO("\"\xC3\xA9\x80\"", UTF8),
    AT("\"ab\xE2\x82\"", UTF8, 1, 4), /* truncated, then the quote */
    NO("\"\xE2\x82", UTF8),           /* truncated at the end */
    NO("\"\xF0\x9F\x98\"", UTF8),
    NO("\"\xC3"
       "a\"",
       UTF8),
    NO("[\xFF]", UTF8),
    NO("\xE5", UTF8),
    NO("\xEF\xBB{}", UTF8), /* incomplete BOM */
    NO("1 \xFF", UTF8),
    NO("{\"a\xFF\":1}", UTF8),
    NO("[1,\xC0\xAF]", UTF8),
    NO("[0\xE5]", UTF8),
    NO("[\"\\\xE5\"]", UTF8),
    NO("[\"\\u\xE5\"]", UTF8),
    /* raw NUL bytes anywhere */
    AT("\"a\0b\"", NUL, 1, 3),
    NO("\0", NUL),
    NO("[1,\0]", NUL),
    NO("[\0]", NUL),
    NO("123\0", NUL),
    NO("{\"a\":1}\0", NUL),
    NO("\"\\\0\"", NUL),
    NO("{\0:1}", NUL),
    NO("\"\\u00\0\"", NUL),
    /* raw control characters in strings */
    AT("[\"\t\"]", CONTROL, 1, 3),
    NO("\"a\nb\"", CONTROL),
    NO("\"a\rb\"", CONTROL),
    NO("\"\x01\"", CONTROL),
    NO("\"\x1f\"", CONTROL),
    NO("{\"a\x0b\":1}", CONTROL),
    /* escapes */
    AT("\"\\x41\"", ESCAPE, 1, 3),
    NO("\"\\'\"", ESCAPE),
    NO("\"\\a\"", ESCAPE),
    NO("\"\\U0041\"", ESCAPE),
    NO("\"\\ \"", ESCAPE),
    NO("\"\\0\"", ESCAPE),
    NO("[\"\\\xF0\x9F\x98\x80\"]", ESCAPE), /* n_string_escaped_emoji */
    AT("\"\\u12G4\"", ESCAPE, 1, 6),
    NO("\"\\uZZZZ\"", ESCAPE),
    NO("\"\\u00\"", ESCAPE),
    NO("[\"\\u00A\"]", ESCAPE),
    NO("\"\\u-123\"", ESCAPE),
    NO("[\"\\uD800\\u1x\"]", ESCAPE), /* n_string_1_surrogate_then_escape_u1x */
    NO("[\"\\uD800\\u\"]", ESCAPE),
    /* lone surrogates */
    AT("\"\\uD800\"", SURROGATE, 1, 2),
    NO("\"\\uDBFF\"", SURROGATE),
    AT("\"x\\uDC00\"", SURROGATE, 1, 3),
    NO("\"\\uDFFF\\uD800\"", SURROGATE),
    NO("\"\\uD800\\uD800\"", SURROGATE),
    NO("\"\\uD800abc\"", SURROGATE),
    NO("\"\\uD800\\n\"", SURROGATE),
    NO("[\"\\uD800\\\"]", SURROGATE),
    NO("\"\\uD800\\u0041\"", SURROGATE),
    NO("\"\\uD800\\uE000\"", SURROGATE),
    /* numbers */
    AT("01", NUMBER, 1, 1),
    NO("-01", NUMBER),
    NO("00", NUMBER),
    NO("[012]", NUMBER),
    NO("[-012]", NUMBER),
    AT("1.", NUMBER, 1, 3),
    NO("[1.]", NUMBER),
    NO("[-2.]", NUMBER),
    NO(".5", NUMBER),
    NO("[-.123]", NUMBER),
    NO("+1", NUMBER),
    NO("[+1]", NUMBER),
    NO("1e", NUMBER),
    NO("1e+", NUMBER),
    NO("1E-", NUMBER),
    NO("[1.5e]", NUMBER),
    NO("-", NUMBER),
    NO("[-]", NUMBER),
    NO("- 1", NUMBER),
    NO("0.e1", NUMBER),
    NO("2.e+3", NUMBER),
    NO("2.e-3", NUMBER),
    NO("NaN", NUMBER),
    NO("[NaN]", NUMBER),
    NO("-NaN", NUMBER),
    NO("Infinity", NUMBER),
    NO("-Infinity", NUMBER),
    NO("[0x1]", NUMBER),
    NO("[0x42]", NUMBER),
    NO("1.2.3", NUMBER),
    NO("[1ea]", NUMBER),
    NO("1e1.5", NUMBER),
    NO("[1.2a-3]", NUMBER),
    /* tokens */
    AT("[1 2]", TOKEN, 1, 4),
    NO("[1 true]", TOKEN),
    NO("[3[4]]", TOKEN),
    NO("//c\n1", TOKEN),
    NO("/*c*/1", TOKEN),
    NO("'a'", TOKEN),
    NO("['a']", TOKEN),
    NO("{'a':1}", TOKEN),
    NO("{a:1}", TOKEN),
    NO("{1:1}", TOKEN),
    NO("trux", TOKEN),
    NO("[tru]", TOKEN),
    NO("True", TOKEN),
    NO("nil", TOKEN),
    NO("abc", TOKEN),
    NO("[\f]", TOKEN), /* form feed is not whitespace */
    NO("[\x0b"
       "1]",
       TOKEN), /* nor is vertical tab */
    NO("\xC2\xA0"
       "1",
       TOKEN),                   /* nor U+00A0 */
    NO("[\xE2\x81\xA0]", TOKEN), /* U+2060 outside a string */
    NO("[\xC3\xA9]", TOKEN),
    NO("[1;2]", TOKEN),
    NO("{\"a\":1 \"b\":2}", TOKEN),
    NO("{\"a\" 1}", TOKEN),
    NO("{\"a\"}", TOKEN),
    NO("{\"a\"::1}", TOKEN),
    NO("{\"a\":}", TOKEN),
    NO("]", TOKEN),
    NO("}", TOKEN),
    NO("[}", TOKEN),
    NO("{]", TOKEN),
    NO("{\"a\":1]", TOKEN),
    NO("[1}", TOKEN),
    NO("[,1]", TOKEN),
    NO("[1,,2]", TOKEN),
    NO("{,}", TOKEN),
    NO("[<null>]", TOKEN),
    NO("[\\u000A\"\"]", TOKEN),
    NO("{[: \"x\"}", TOKEN),
    /* trailing commas */
    AT("[1,]", COMMA, 1, 3),
    NO("[1,2, ]", COMMA),
    AT("{\"a\":1,}", COMMA, 1, 7),
    NO("{\"a\":[],\n}", COMMA),
    NO("[[],]", COMMA),
    /* duplicate keys */
    AT("{\"a\":1,\"a\":2}", DUPKEY, 1, 8),
    NO("{\"a\":1,\"\\u0061\":2}", DUPKEY),
    NO("{\"a\":{\"b\":1,\"b\":2}}", DUPKEY),
    NO("[{\"x\":1},{\"y\":1,\"y\":2}]", DUPKEY),
    NO("{\"\\u00e9\":1,\"\xC3\xA9\":2}", DUPKEY),
    NO("{\"\":1,\"\":2}", DUPKEY),
    NO("{\"\\uD83D\\uDE00\":1,\"\xF0\x9F\x98\x80\":2}", DUPKEY),
    NO("{\"\\u0000\":1,\"\\u0000\":2}", DUPKEY),
    NO("{\"a\\/b\":1,\"a/b\":2}", DUPKEY),
    NO("{\"a\":1,\"b\":2,\"a\":3}", DUPKEY),
    /* depth */
    DEPTH("[[1]]", 2, MH_JSON_OK),
    DEPTH("[[[1]]]", 2, MH_JSON_E_DEPTH),
    DEPTH("{\"a\":{\"b\":1}}", 2, MH_JSON_OK),
    DEPTH("{\"a\":[{}]}", 2, MH_JSON_E_DEPTH),
    DEPTH("[]", 1, MH_JSON_OK),
    DEPTH("[[]]", 1, MH_JSON_E_DEPTH),
    DEPTH("1", 1, MH_JSON_OK),
    /* trailing data */
    AT("{\"a\":1}xyz", TRAILING, 1, 8),
    NO("1 2", TRAILING),
    NO("[]]", TRAILING),
    NO("[\"x\"]]", TRAILING),
    NO("{}}", TRAILING),
    NO("\"a\"\"b\"", TRAILING),
    NO("\"\"x", TRAILING),
    NO("nullx", TRAILING),
    NO("true false", TRAILING),
    NO("{\"a\":\"b\"}/**/", TRAILING),
    NO("{\"a\":\"b\"}#{}", TRAILING),
    NO("{\"a\": true} \"x\"", TRAILING),
    NO("[1]\xC3\xA9", TRAILING),
    /* truncated */
    AT("[", EOF, 1, 2),
    NO("{", EOF),
    NO("{\"a\"", EOF),
    NO("{\"a\":", EOF),
    NO("{\"a\":1", EOF),
    NO("[1,", EOF),
    NO("[1", EOF),
    NO("\"abc", EOF),
    NO("tru", EOF),
    NO("nul", EOF),
    NO("\"\\u12", EOF),
    NO("\"\\", EOF),
    NO("[\"\\\"]", EOF),
    NO("\"\\uD800\\", EOF),
    AT("[\"a\",\n4\n,1,", EOF, 3, 4),
    /* locations across lines */
    AT("{\n  \"a\": 01\n}", NUMBER, 2, 8),
    AT("{\n  \"a\": 1,\n  \"a\": 2\n}", DUPKEY, 3, 3),
    AT("[\r\n1,\r\n\"\\q\"]", ESCAPE, 3, 3),
    AT("[\n\n\n  \xFF]", UTF8, 4, 3),
};

#define NROWS ((int)(sizeof rows / sizeof rows[0]))

static char *copy_exact(const char *s, size_t n)
{
    /* exact-size copy, so ASan catches any read past len */
    char *b = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(b);
    memcpy(b, s, n);
    return b;
}

START_TEST(json_parse_table_matches)
{
    const row *r = &rows[_i];
    char *buf = copy_exact(r->in, r->len);
    mh_json_opts opts = {r->depth};
    mh_json_error err;
    cJSON *tree = (cJSON *)1;
    mh_json_rule got = mh_json_parse(buf, r->len, &opts, &tree, &err);
    ck_assert_msg(got == r->rule, "row %d: expected %s, got %s (%s at %d:%d)", _i,
                  mh_json_rule_name(r->rule), mh_json_rule_name(got), err.message, err.line,
                  err.column);
    if (got == MH_JSON_OK) {
        ck_assert_ptr_nonnull(tree);
        if (r->cmp) {
            cJSON *ref = cJSON_ParseWithLength(buf, r->len);
            ck_assert_msg(ref != NULL, "row %d: cJSON rejects it", _i);
            ck_assert_msg(cJSON_Compare(tree, ref, 1), "row %d: tree differs from cJSON's", _i);
            cJSON_Delete(ref);
        }
        cJSON_Delete(tree);
    } else {
        ck_assert_ptr_null(tree);
        ck_assert_int_eq(err.rule, got);
        ck_assert_msg(err.message[0] != '\0', "row %d: no message", _i);
        ck_assert_uint_le(err.offset, r->len);
        ck_assert_int_ge(err.line, 1);
        ck_assert_int_ge(err.column, 1);
        if (r->line) {
            ck_assert_msg(err.line == r->line && err.column == r->col,
                          "row %d: expected %d:%d, got %d:%d (%s)", _i, r->line, r->col, err.line,
                          err.column, err.message);
        }
    }
    free(buf);
}
END_TEST

START_TEST(json_table_covers_every_rule)
{
    int seen[MH_JSON_E_NOMEM + 1] = {0};
    for (int i = 0; i < NROWS; i++)
        seen[rows[i].rule]++;
    /* every rule but nomem has rows; accepted rows are many */
    for (int r = MH_JSON_OK; r < MH_JSON_E_NOMEM; r++)
        ck_assert_msg(seen[r] >= 1, "no row for %s", mh_json_rule_name((mh_json_rule)r));
    ck_assert_int_ge(NROWS, 100);
}
END_TEST

START_TEST(json_rule_name_stable)
{
    ck_assert_str_eq(mh_json_rule_name(MH_JSON_E_DUPKEY), "duplicate_key");
    ck_assert_str_eq(mh_json_rule_name(MH_JSON_E_COMMA), "trailing_comma");
    ck_assert_str_eq(mh_json_rule_name(MH_JSON_E_EOF), "truncated");
    ck_assert_str_eq(mh_json_rule_name(MH_JSON_E_NUL), "nul_byte");
    ck_assert_str_eq(mh_json_rule_name(MH_JSON_E_CONTROL), "control_char");
    ck_assert_str_eq(mh_json_rule_name(MH_JSON_E_TRAILING), "trailing_data");
    ck_assert_str_eq(mh_json_rule_name(MH_JSON_E_UTF8), "utf8");
    ck_assert_str_eq(mh_json_rule_name((mh_json_rule)999), "unknown");
    /* names are distinct snake_case */
    for (int a = 0; a <= MH_JSON_E_NOMEM; a++) {
        const char *na = mh_json_rule_name((mh_json_rule)a);
        for (const char *c = na; *c; c++)
            ck_assert_msg((*c >= 'a' && *c <= 'z') || *c == '_' || (*c >= '0' && *c <= '9'), "%s",
                          na);
        for (int b = a + 1; b <= MH_JSON_E_NOMEM; b++)
            ck_assert_str_ne(na, mh_json_rule_name((mh_json_rule)b));
    }
}
END_TEST

START_TEST(json_parse_error_message_names_key)
{
    mh_json_error err;
    const char *doc = "{\"name\":1,\"name\":2}";
    ck_assert_int_eq(mh_json_parse(doc, strlen(doc), NULL, NULL, &err), MH_JSON_E_DUPKEY);
    ck_assert_ptr_nonnull(strstr(err.message, "\"name\""));
    ck_assert_uint_eq(err.offset, 10);
    /* NULL err and NULL out are fine */
    ck_assert_int_eq(mh_json_parse(doc, strlen(doc), NULL, NULL, NULL), MH_JSON_E_DUPKEY);
    ck_assert_int_eq(mh_json_parse("[1]", 3, NULL, NULL, NULL), MH_JSON_OK);
    ck_assert_int_eq(mh_json_parse(NULL, 0, NULL, NULL, NULL), MH_JSON_E_EMPTY);
}
END_TEST

START_TEST(json_parse_respects_len_not_nul)
{
    cJSON *t = NULL;
    /* only the first len bytes count */
    ck_assert_int_eq(mh_json_parse("[1]xyz", 3, NULL, &t, NULL), MH_JSON_OK);
    cJSON_Delete(t);
    ck_assert_int_eq(mh_json_parse("\"abc\"", 4, NULL, &t, NULL), MH_JSON_E_EOF);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(mh_json_parse("12345", 2, NULL, &t, NULL), MH_JSON_OK);
    ck_assert_str_eq(t->valuestring, "12");
    cJSON_Delete(t);
}
END_TEST

/* ---- tree conventions ------------------------------------------------ */

static cJSON *parse_ok(const char *doc)
{
    cJSON *t = NULL;
    mh_json_error err;
    mh_json_rule r = mh_json_parse(doc, strlen(doc), NULL, &t, &err);
    ck_assert_msg(r == MH_JSON_OK, "%s: %s %s", doc, mh_json_rule_name(r), err.message);
    return t;
}

START_TEST(json_number_literal_kept)
{
    cJSON *t = parse_ok("[1.0e2, -0, 12345678901234567890123, 1e10, -1e10, 7, 0.25]");
    cJSON *n = t->child;
    ck_assert_str_eq(n->valuestring, "1.0e2");
    ck_assert(n->valuedouble == 100.0);
    ck_assert_int_eq(n->valueint, 100);
    n = n->next;
    ck_assert_str_eq(n->valuestring, "-0");
    ck_assert(n->valuedouble == 0.0);
    n = n->next;
    ck_assert_str_eq(n->valuestring, "12345678901234567890123");
    ck_assert(n->valuedouble > 1.2e22 && n->valuedouble < 1.3e22);
    ck_assert_int_eq(n->valueint, INT_MAX);
    n = n->next;
    ck_assert_int_eq(n->valueint, INT_MAX);
    n = n->next;
    ck_assert_int_eq(n->valueint, INT_MIN);
    n = n->next;
    ck_assert_int_eq(n->valueint, 7);
    ck_assert_str_eq(n->valuestring, "7");
    n = n->next;
    ck_assert(n->valuedouble == 0.25);
    /* the tree survives cJSON's own functions */
    cJSON *d = cJSON_Duplicate(t, 1);
    ck_assert(cJSON_Compare(t, d, 1));
    ck_assert_str_eq(cJSON_GetArrayItem(d, 0)->valuestring, "1.0e2");
    cJSON_Delete(d);
    cJSON_Delete(t);
}
END_TEST

START_TEST(json_tree_order_and_links)
{
    cJSON *t = parse_ok("{\"z\":1,\"a\":2,\"m\":[true,false,null,\"s\"]}");
    ck_assert(cJSON_IsObject(t));
    ck_assert_int_eq(cJSON_GetArraySize(t), 3);
    ck_assert_str_eq(t->child->string, "z");
    ck_assert_str_eq(t->child->next->string, "a");
    ck_assert_str_eq(t->child->prev->string, "m"); /* cJSON keeps the tail in child->prev */
    cJSON *m = mh_json_get(t, "m");
    ck_assert(cJSON_IsTrue(cJSON_GetArrayItem(m, 0)));
    ck_assert(cJSON_IsFalse(cJSON_GetArrayItem(m, 1)));
    ck_assert(cJSON_IsNull(cJSON_GetArrayItem(m, 2)));
    ck_assert_str_eq(cJSON_GetArrayItem(m, 3)->valuestring, "s");
    ck_assert_ptr_null(cJSON_GetArrayItem(m, 3)->next);
    /* cJSON's own append still works on our lists */
    cJSON_AddItemToArray(m, cJSON_CreateNumber(5));
    ck_assert_int_eq(cJSON_GetArraySize(m), 5);
    ck_assert_int_eq(cJSON_GetArrayItem(m, 4)->valueint, 5);
    char *s = cJSON_PrintUnformatted(t);
    ck_assert_str_eq(s, "{\"z\":1,\"a\":2,\"m\":[true,false,null,\"s\",5]}");
    free(s);
    cJSON_Delete(t);
}
END_TEST

START_TEST(json_get_case_sensitive)
{
    cJSON *t = parse_ok("{\"Name\":1,\"name\":2,\"a\\u0000b\":3}");
    ck_assert_int_eq(mh_json_get(t, "name")->valueint, 2);
    ck_assert_int_eq(mh_json_get(t, "Name")->valueint, 1);
    ck_assert_ptr_null(mh_json_get(t, "NAME"));
    ck_assert_ptr_null(mh_json_get(t, "nam"));
    ck_assert_int_eq(mh_json_get(t, "a\xC0\x80"
                                    "b")
                         ->valueint,
                     3);
    ck_assert_ptr_null(mh_json_get(t, NULL));
    ck_assert_ptr_null(mh_json_get(NULL, "name"));
    cJSON *arr = parse_ok("[1]");
    ck_assert_ptr_null(mh_json_get(arr, "0"));
    cJSON_Delete(arr);
    cJSON_Delete(t);
}
END_TEST

/* ---- mh_json_is_integer ---------------------------------------------- */

static const struct {
    const char *lit;
    int integer;
} int_rows[] = {
    {"0", 1},
    {"-0", 1},
    {"1", 1},
    {"-17", 1},
    {"1.0", 1},
    {"1.000", 1},
    {"1e2", 1},
    {"1E+2", 1},
    {"1.5e1", 1},
    {"0.1e1", 1},
    {"100e-2", 1},
    {"1e400", 1},
    {"0e-400", 1},
    {"0.0e-99999", 1},
    {"-0.0", 1},
    {"123456789012345678901234567890", 1},
    {"1.23456789012345678901e20", 1},
    {"2.50e1", 1},
    {"1.5", 0},
    {"1e-1", 0},
    {"-0.5", 0},
    {"1e-400", 0},
    {"0.1", 0},
    {"10e-2", 0},
    {"1.05e1", 0},
    {"123.456", 0},
    {"1.25e1", 0},
    {"1.23456789012345678901e19", 0},
    {"5e-324", 0},
    {"9007199254740993.5", 0},
    {"1e99999999999999999999999", 1},
    {"1e-99999999999999999999999", 0},
};

START_TEST(json_is_integer_exact)
{
    const char *lit = int_rows[_i].lit;
    cJSON *t = parse_ok(lit);
    ck_assert_str_eq(t->valuestring, lit);
    ck_assert_msg(mh_json_is_integer(t) == int_rows[_i].integer, "%s: expected %d", lit,
                  int_rows[_i].integer);
    cJSON_Delete(t);
}
END_TEST

START_TEST(json_is_integer_fallbacks)
{
    cJSON *n = cJSON_CreateNumber(3.0);
    ck_assert_int_eq(mh_json_is_integer(n), 1);
    n->valuedouble = 3.5;
    ck_assert_int_eq(mh_json_is_integer(n), 0);
    cJSON_Delete(n);
    cJSON *s = cJSON_CreateString("1");
    ck_assert_int_eq(mh_json_is_integer(s), 0);
    cJSON_Delete(s);
    ck_assert_int_eq(mh_json_is_integer(NULL), 0);
}
END_TEST

/* ---- depth ----------------------------------------------------------- */

static char *nest(int n, const char *open, const char *mid, const char *close, size_t *len)
{
    size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
    char *b = malloc((size_t)n * (lo + lc) + lm + 1), *o = b;
    ck_assert_ptr_nonnull(b);
    for (int i = 0; i < n; i++, o += lo)
        memcpy(o, open, lo);
    memcpy(o, mid, lm);
    o += lm;
    for (int i = 0; i < n; i++, o += lc)
        memcpy(o, close, lc);
    *len = (size_t)(o - b);
    return b;
}

START_TEST(json_parse_100000_deep_rejected)
{
    size_t n = 100000;
    char *b = malloc(n);
    memset(b, '[', n);
    mh_json_error err;
    cJSON *t = NULL;
    clock_t c0 = clock();
    ck_assert_int_eq(mh_json_parse(b, n, NULL, &t, &err), MH_JSON_E_DEPTH);
    ck_assert_ptr_null(t);
    ck_assert_uint_eq(err.offset, MH_JSON_DEFAULT_DEPTH);
    /* also with objects, and with a limit high enough to reach the end */
    size_t len;
    char *o = nest(100000, "{\"a\":", "1", "}", &len);
    ck_assert_int_eq(mh_json_parse(o, len, NULL, &t, &err), MH_JSON_E_DEPTH);
    /* a raised limit is honoured; 20,000 keeps cJSON_Delete's recursion modest */
    mh_json_opts big = {20001};
    ck_assert_int_eq(mh_json_parse(b, 20000, &big, &t, &err), MH_JSON_E_EOF);
    ck_assert_ptr_null(t);
    ck_assert_uint_eq(err.offset, 20000);
    ck_assert(clock() - c0 < CLOCKS_PER_SEC);
    free(o);
    free(b);
}
END_TEST

static void check_depth_boundary(int limit, const char *open, const char *mid, const char *close)
{
    mh_json_opts opts = {limit};
    size_t len;
    cJSON *t = NULL;
    mh_json_error err;
    char *ok = nest(limit, open, mid, close, &len);
    ck_assert_msg(mh_json_parse(ok, len, &opts, &t, &err) == MH_JSON_OK, "depth %d: %s", limit,
                  err.message);
    cJSON_Delete(t);
    free(ok);
    char *bad = nest(limit + 1, open, mid, close, &len);
    ck_assert_int_eq(mh_json_parse(bad, len, &opts, &t, &err), MH_JSON_E_DEPTH);
    ck_assert_uint_eq(err.offset, (size_t)limit * strlen(open));
    free(bad);
}

START_TEST(json_max_depth_boundary_exact)
{
    int limits[] = {1, 2, 5, 31, 32, 33, 64, 100, 1000};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        check_depth_boundary(limits[i], "[", "0", "]");
        check_depth_boundary(limits[i], "{\"k\":", "0", "}");
    }
    /* the default applies when opts is NULL or max_depth is 0 */
    size_t len;
    cJSON *t = NULL;
    char *ok = nest(MH_JSON_DEFAULT_DEPTH, "[", "", "]", &len);
    ck_assert_int_eq(mh_json_parse(ok, len, NULL, &t, NULL), MH_JSON_OK);
    cJSON_Delete(t);
    mh_json_opts zero = {0};
    ck_assert_int_eq(mh_json_parse(ok, len, &zero, &t, NULL), MH_JSON_OK);
    cJSON_Delete(t);
    free(ok);
    char *bad = nest(MH_JSON_DEFAULT_DEPTH + 1, "[", "", "]", &len);
    ck_assert_int_eq(mh_json_parse(bad, len, NULL, &t, NULL), MH_JSON_E_DEPTH);
    free(bad);
}
END_TEST

/* ---- big documents --------------------------------------------------- */

static double cpu_seconds(clock_t c0)
{
    return (double)(clock() - c0) / CLOCKS_PER_SEC;
}

/* {"k0":0,"k1":1,...} with n members, then extra (may be "") and '}' */
static char *big_object(int n, const char *extra, size_t *len)
{
    size_t cap = (size_t)n * 24 + strlen(extra) + 4, k = 0;
    char *b = malloc(cap);
    ck_assert_ptr_nonnull(b);
    b[k++] = '{';
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(b + k, cap - k, "%s\"k%d\":%d", i ? "," : "", i, i);
    k += (size_t)snprintf(b + k, cap - k, "%s}", extra);
    *len = k;
    return b;
}

START_TEST(json_parse_huge_object_fast)
{
    size_t len;
    char *b = big_object(100000, "", &len);
    cJSON *t = NULL;
    mh_json_error err;
    clock_t c0 = clock();
    ck_assert_int_eq(mh_json_parse(b, len, NULL, &t, &err), MH_JSON_OK);
    double secs = cpu_seconds(c0);
    ck_assert_msg(secs < 1.0, "100,000 members took %.3f s", secs);
    ck_assert_int_eq(cJSON_GetArraySize(t), 100000);
    int i = 0;
    char name[16];
    for (cJSON *c = t->child; c; c = c->next, i++) {
        snprintf(name, sizeof name, "k%d", i);
        ck_assert_str_eq(c->string, name);
        ck_assert_int_eq(c->valueint, i);
    }
    ck_assert_int_eq(mh_json_get(t, "k99999")->valueint, 99999);
    cJSON_Delete(t);
    free(b);
}
END_TEST

START_TEST(json_parse_huge_object_duplicate_found)
{
    const char *extras[] = {",\"k5\":0", ",\"\\u006b99998\":0", ",\"k0\":0", ",\"k99999\":0"};
    for (size_t e = 0; e < sizeof extras / sizeof extras[0]; e++) {
        size_t len;
        char *b = big_object(100000, extras[e], &len);
        cJSON *t = NULL;
        mh_json_error err;
        clock_t c0 = clock();
        ck_assert_int_eq(mh_json_parse(b, len, NULL, &t, &err), MH_JSON_E_DUPKEY);
        ck_assert(cpu_seconds(c0) < 1.0);
        ck_assert_uint_eq(err.offset, len - strlen(extras[e])); /* extra + "}" */
        ck_assert_ptr_null(t);
        free(b);
    }
}
END_TEST

START_TEST(json_parse_huge_array_fast)
{
    size_t n = 200000, len = 0;
    char *b = malloc(n * 2 + 2);
    b[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        b[len++] = i ? ',' : '7';
        if (i)
            b[len++] = '7';
    }
    b[len++] = ']';
    cJSON *t = NULL;
    clock_t c0 = clock();
    ck_assert_int_eq(mh_json_parse(b, len, NULL, &t, NULL), MH_JSON_OK);
    ck_assert(cpu_seconds(c0) < 1.0);
    ck_assert_int_eq(cJSON_GetArraySize(t), (int)n);
    cJSON_Delete(t);
    free(b);
}
END_TEST

/* Names repeat across sibling and nested objects without being duplicates,
 * also once those objects are large enough to use the hash set. */
START_TEST(json_duplicates_scoped_per_object)
{
    char doc[4096];
    size_t k = 0;
    k += (size_t)snprintf(doc + k, sizeof doc - k, "{");
    for (int i = 0; i < 20; i++)
        k += (size_t)snprintf(doc + k, sizeof doc - k, "\"k%d\":%d,", i, i);
    k += (size_t)snprintf(doc + k, sizeof doc - k, "\"inner\":{");
    for (int i = 0; i < 30; i++)
        k += (size_t)snprintf(doc + k, sizeof doc - k, "%s\"k%d\":{\"k%d\":1}", i ? "," : "", i, i);
    k += (size_t)snprintf(doc + k, sizeof doc - k, "},\"k25\":1,\"k29\":2,\"inner2\":[{\"k1\":1}]");
    size_t open_end = k;
    /* accepted as is */
    snprintf(doc + k, sizeof doc - k, "}");
    cJSON *t = parse_ok(doc);
    ck_assert_int_eq(cJSON_GetArraySize(t), 24);
    ck_assert_int_eq(cJSON_GetArraySize(mh_json_get(t, "inner")), 30);
    cJSON_Delete(t);
    /* a name of the outer object repeated after the inner object closed */
    snprintf(doc + open_end, sizeof doc - open_end, ",\"k7\":0}");
    mh_json_error err;
    ck_assert_int_eq(mh_json_parse(doc, strlen(doc), NULL, NULL, &err), MH_JSON_E_DUPKEY);
    ck_assert_uint_eq(err.offset, open_end + 1);
    /* ... and one spelled with escapes */
    snprintf(doc + open_end, sizeof doc - open_end, ",\"\\u006B\\u0031\\u0039\":0}");
    ck_assert_int_eq(mh_json_parse(doc, strlen(doc), NULL, NULL, &err), MH_JSON_E_DUPKEY);
    ck_assert_ptr_nonnull(strstr(err.message, "k19"));
    /* ... and "inner" itself */
    snprintf(doc + open_end, sizeof doc - open_end, ",\"inner\":0}");
    ck_assert_int_eq(mh_json_parse(doc, strlen(doc), NULL, NULL, &err), MH_JSON_E_DUPKEY);
}
END_TEST

START_TEST(json_parse_duplicate_deep_inside)
{
    mh_json_error err;
    const char *doc = "{\"a\":[{\"b\":{\"c\":1,\"d\":{\"e\":[],\"e\":[]}}}]}";
    ck_assert_int_eq(mh_json_parse(doc, strlen(doc), NULL, NULL, &err), MH_JSON_E_DUPKEY);
    ck_assert_uint_eq(err.offset, (size_t)(strstr(doc, "\"e\":[]}") - doc));
    ck_assert_ptr_nonnull(strstr(err.message, "\"e\""));
}
END_TEST

/* ---- strings, U+0000 and the helpers --------------------------------- */

START_TEST(json_nul_round_trips_through_quote)
{
    cJSON *t = parse_ok("\"a\\u0000b\\u0000\"");
    ck_assert_uint_eq(strlen(t->valuestring), 6);
    ck_assert_mem_eq(t->valuestring,
                     "a\xC0\x80"
                     "b\xC0\x80",
                     6);
    ck_assert_uint_eq(mh_json_utf8_length(t->valuestring), 4);
    char *q = mh_json_quote(t->valuestring);
    ck_assert_str_eq(q, "\"a\\u0000b\\u0000\"");
    cJSON *back = parse_ok(q);
    ck_assert_str_eq(back->valuestring, t->valuestring);
    free(q);
    cJSON_Delete(back);
    cJSON_Delete(t);
}
END_TEST

START_TEST(json_quote_round_trips_everything)
{
    /* every byte-level case: all C0 controls, quote, backslash, slash, DEL,
     * multi-byte and astral characters, C0 80 */
    char s[128];
    size_t k = 0;
    for (int c = 1; c < 0x20; c++)
        s[k++] = (char)c;
    memcpy(s + k, "\"\\/\x7f\xC3\xA9\xF0\x9F\x98\x80\xC0\x80z", 13);
    k += 13;
    s[k] = '\0';
    char *q = mh_json_quote(s);
    ck_assert_ptr_nonnull(q);
    ck_assert_ptr_nonnull(strstr(q, "\\n\\u000b\\f\\r"));
    ck_assert_ptr_nonnull(strstr(q, "\\\"\\\\/"));
    cJSON *t = parse_ok(q);
    ck_assert_str_eq(t->valuestring, s);
    cJSON_Delete(t);
    free(q);
    q = mh_json_quote("");
    ck_assert_str_eq(q, "\"\"");
    free(q);
}
END_TEST

START_TEST(json_utf8_length_counts_code_points)
{
    ck_assert_uint_eq(mh_json_utf8_length(""), 0);
    ck_assert_uint_eq(mh_json_utf8_length("abc"), 3);
    ck_assert_uint_eq(mh_json_utf8_length("\xF0\x9F\x98\x80"), 1); /* astral */
    ck_assert_uint_eq(mh_json_utf8_length("e\xCC\x81"), 2);        /* e + combining */
    ck_assert_uint_eq(mh_json_utf8_length("\xC0\x80"), 1);         /* U+0000 */
    ck_assert_uint_eq(mh_json_utf8_length("\xC3\xA9t\xC3\xA9"), 3);
    ck_assert_uint_eq(mh_json_utf8_length("\xE2\x82\xAC\xF4\x8F\xBF\xBF"), 2);
    ck_assert_uint_eq(mh_json_utf8_length(NULL), 0);
    cJSON *t = parse_ok("\"\\uD83D\\uDE00x\\u0000\"");
    ck_assert_uint_eq(mh_json_utf8_length(t->valuestring), 3);
    cJSON_Delete(t);
}
END_TEST

START_TEST(json_escapes_decode)
{
    cJSON *t = parse_ok("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"\\u00e9\\u20AC\\uD834\\uDD1E\","
                        "\"caf\xC3\xA9\",\"\\u007f\x7f\"]");
    ck_assert_str_eq(cJSON_GetArrayItem(t, 0)->valuestring, "\"\\/\b\f\n\r\t");
    ck_assert_str_eq(cJSON_GetArrayItem(t, 1)->valuestring, "\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E");
    ck_assert_str_eq(cJSON_GetArrayItem(t, 2)->valuestring, "caf\xC3\xA9");
    ck_assert_str_eq(cJSON_GetArrayItem(t, 3)->valuestring, "\x7f\x7f");
    cJSON_Delete(t);
}
END_TEST

/* A long string with escapes beyond the small inline scratch buffer. */
START_TEST(json_long_escaped_string)
{
    size_t n = 5000, k = 0;
    char *b = malloc(n * 6 + 3);
    b[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        memcpy(b + k, i % 2 ? "\\u00e9" : "x\\n", i % 2 ? 6 : 3);
        k += i % 2 ? 6 : 3;
    }
    b[k++] = '"';
    cJSON *t = NULL;
    ck_assert_int_eq(mh_json_parse(b, k, NULL, &t, NULL), MH_JSON_OK);
    ck_assert_uint_eq(strlen(t->valuestring), n / 2 * 2 + n / 2 * 2);
    ck_assert_uint_eq(mh_json_utf8_length(t->valuestring), n / 2 * 2 + n / 2);
    cJSON_Delete(t);
    free(b);
}
END_TEST

/* Every special byte at every position of strings long enough for the
 * word-at-a-time scan: the plain run before and after it is kept, the
 * special byte is decoded, accepted or rejected at its own offset. */
START_TEST(json_string_special_byte_at_every_position)
{
    static const struct {
        const char *bytes, *decoded;
        mh_json_rule rule;
    } specials[] = {
        {"\xC3\xA9", "\xC3\xA9", MH_JSON_OK},
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", MH_JSON_OK},
        {"\\n", "\n", MH_JSON_OK},
        {"\\u0041", "A", MH_JSON_OK},
        {"\x7f", "\x7f", MH_JSON_OK},
        {"\x1f", NULL, MH_JSON_E_CONTROL},
        {"\x80", NULL, MH_JSON_E_UTF8},
        {"\xC3(", NULL, MH_JSON_E_UTF8},
        {"\xED\xA0\x80", NULL, MH_JSON_E_UTF8},
    };
    for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++) {
        for (size_t len = 0; len < 40; len++) {
            for (size_t at = 0; at <= len; at++) {
                char doc[128], want[128];
                size_t sl = strlen(specials[k].bytes);
                doc[0] = '"';
                memset(doc + 1, 'a', len);
                memcpy(doc + 1 + at, specials[k].bytes, sl);
                memset(doc + 1 + at + sl, 'b', len - at);
                doc[1 + len + sl] = '"';
                size_t n = len + sl + 2;
                cJSON *t = NULL;
                mh_json_error err;
                mh_json_rule r = mh_json_parse(doc, n, NULL, &t, &err);
                ck_assert_msg(r == specials[k].rule, "special %zu len %zu at %zu: %s", k, len, at,
                              mh_json_rule_name(r));
                if (r != MH_JSON_OK) {
                    ck_assert_uint_eq(err.offset, 1 + at);
                    continue;
                }
                memset(want, 'a', at);
                strcpy(want + at, specials[k].decoded);
                memset(want + strlen(want), 'b', len - at);
                want[at + strlen(specials[k].decoded) + len - at] = '\0';
                ck_assert_str_eq(t->valuestring, want);
                cJSON_Delete(t);
            }
        }
    }
}
END_TEST

/* Names and values both decoded (escapes), in small and hashed objects:
 * the pending name and the value never overwrite each other. */
START_TEST(json_escaped_names_and_values)
{
    char doc[2048];
    size_t k = (size_t)snprintf(doc, sizeof doc, "{");
    for (int i = 0; i < 12; i++)
        k += (size_t)snprintf(doc + k, sizeof doc - k,
                              "%s\"n\\u00e9%d\\t\":\"v\\\\%d\\u0041\\uD83D\\uDE00\"", i ? "," : "",
                              i, i);
    snprintf(doc + k, sizeof doc - k, ",\"plain\":[\"x\\\"y\",{\"\\u0000\":\"\\u0000\"}]}");
    cJSON *t = parse_ok(doc);
    int i = 0;
    for (cJSON *c = t->child; i < 12; c = c->next, i++) {
        char name[32], value[32];
        snprintf(name, sizeof name, "n\xC3\xA9%d\t", i);
        snprintf(value, sizeof value, "v\\%dA\xF0\x9F\x98\x80", i);
        ck_assert_str_eq(c->string, name);
        ck_assert_str_eq(c->valuestring, value);
        ck_assert_ptr_eq(mh_json_get(t, name), c);
    }
    cJSON *plain = mh_json_get(t, "plain");
    ck_assert_str_eq(plain->child->valuestring, "x\"y");
    ck_assert_str_eq(plain->child->next->child->string, "\xC0\x80");
    ck_assert_str_eq(plain->child->next->child->valuestring, "\xC0\x80");
    cJSON_Delete(t);
    /* the 12th name again, spelled without escapes: still a duplicate */
    snprintf(doc + k, sizeof doc - k, ",\"n\xC3\xA9%d\\t\":0}", 11);
    mh_json_error err;
    ck_assert_int_eq(mh_json_parse(doc, strlen(doc), NULL, NULL, &err), MH_JSON_E_DUPKEY);
    ck_assert_uint_eq(err.offset, k + 1);
}
END_TEST

/* Parsed trees keep names and values inside each node's block; cJSON's own
 * surgery on them must neither leak nor free twice (ASan checks). */
START_TEST(json_tree_surgery_frees_cleanly)
{
    cJSON *t = parse_ok("{\"a\":\"x\",\"b\":1.5,\"c\":{\"d\":[1,\"e\"]},\"f\":true}");
    cJSON *a = cJSON_DetachItemViaPointer(t, mh_json_get(t, "a"));
    ck_assert_str_eq(a->string, "a");
    ck_assert_str_eq(a->valuestring, "x");
    cJSON_AddItemToObject(t, "renamed", a); /* the name moves out of the block */
    cJSON *c = cJSON_DetachItemViaPointer(t, mh_json_get(t, "c"));
    cJSON_AddItemToArray(mh_json_get(c, "d"), cJSON_CreateString("new"));
    ck_assert(cJSON_ReplaceItemInObjectCaseSensitive(t, "b", cJSON_CreateNull()));
    cJSON_AddItemToObject(t, "c2", c);
    char *txt = cJSON_PrintUnformatted(t);
    ck_assert_str_eq(txt,
                     "{\"b\":null,\"f\":true,\"renamed\":\"x\",\"c2\":{\"d\":[1,\"e\",\"new\"]}}");
    free(txt);
    ck_assert_ptr_null(cJSON_SetValuestring(a, "refused")); /* documented */
    cJSON_Delete(cJSON_DetachItemViaPointer(t, mh_json_get(t, "f")));
    cJSON_Delete(t);
}
END_TEST

START_TEST(json_duplicate_outlives_source)
{
    const char *doc = "{\"k\":\"v\\u00e9\",\"n\":[1.0e2,-0,{\"deep\":null}],\"t\":true,\"o\":{}}";
    cJSON *t = parse_ok(doc);
    cJSON *d = mh_json_duplicate(t);
    ck_assert_ptr_nonnull(d);
    ck_assert(cJSON_Compare(t, d, 1));
    cJSON_Delete(t); /* the copy must not point into the source */
    cJSON *again = parse_ok(doc);
    ck_assert(cJSON_Compare(again, d, 1));
    ck_assert_str_eq(cJSON_GetArrayItem(mh_json_get(d, "n"), 0)->valuestring, "1.0e2");
    ck_assert_str_eq(cJSON_GetArrayItem(mh_json_get(d, "n"), 2)->child->string, "deep");
    ck_assert_ptr_eq(d->child->prev, mh_json_get(d, "o")); /* tail kept in child->prev */
    for (cJSON *c = d->child; c; c = c->next)
        ck_assert_int_eq(c->type & (cJSON_IsReference | cJSON_StringIsConst), 0);
    /* a copy owns its strings: cJSON may change them */
    ck_assert_ptr_nonnull(cJSON_SetValuestring(mh_json_get(d, "k"), "longer than before"));
    cJSON_Delete(again);
    cJSON_Delete(d);
    /* trees not made by the parser copy too */
    cJSON *made = cJSON_CreateObject();
    cJSON_AddStringToObject(made, "s", "t");
    cJSON_AddItemToObjectCS(made, "const", cJSON_CreateNumber(3));
    d = mh_json_duplicate(made);
    ck_assert(cJSON_Compare(made, d, 1));
    cJSON_Delete(made);
    ck_assert_str_eq(mh_json_get(d, "const")->string, "const");
    cJSON_Delete(d);
    ck_assert_ptr_null(mh_json_duplicate(NULL));
}
END_TEST

/* ---- exact decimals (json/decimal.h) --------------------------------- */

/* A number node from the strict parser, literal kept; caller deletes. */
static cJSON *number(const char *lit)
{
    cJSON *n = NULL;
    ck_assert_int_eq(mh_json_parse(lit, strlen(lit), NULL, &n, NULL), MH_JSON_OK);
    ck_assert(cJSON_IsNumber(n));
    return n;
}

static const struct {
    const char *a, *b;
    int equal;
} dec_equal_rows[] = {
    {"1", "1.0", 1},
    {"1e2", "100", 1},
    {"0", "-0.0", 1},
    {"0.1", "0.10", 1},
    {"1.5e1", "15", 1},
    {"1", "2", 0},
    {"-1", "1", 0},
    {"0.1", "0.01", 0},
    {"1e400", "1e400", 1},
    {"1e400", "1e401", 0},
    {"123456789012345678901", "123456789012345678901.0", 1},
};

START_TEST(json_decimal_equal_and_hash_agree)
{
    cJSON *a = number(dec_equal_rows[_i].a), *b = number(dec_equal_rows[_i].b);
    ck_assert_int_eq(mh__dec_equal(a, b), dec_equal_rows[_i].equal);
    if (dec_equal_rows[_i].equal)
        ck_assert(mh__dec_hash(a) == mh__dec_hash(b));
    cJSON_Delete(a);
    cJSON_Delete(b);
}
END_TEST

static const struct {
    const char *x, *m;
    int multiple;
} dec_multiple_rows[] = {
    {"0.3", "0.1", 1},  {"0.35", "0.1", 0}, {"7", "2", 0},
    {"8", "2", 1},      {"0", "0.7", 1},    {"1e400", "1", 1},
    {"-4.5", "1.5", 1}, {"1", "0.3", 0},    {"12345678901234567890123", "3", 1},
};

START_TEST(json_decimal_multiple_of_exact)
{
    cJSON *x = number(dec_multiple_rows[_i].x), *m = number(dec_multiple_rows[_i].m);
    ck_assert_msg(mh__dec_multiple_of(x, m) == dec_multiple_rows[_i].multiple, "%s / %s",
                  dec_multiple_rows[_i].x, dec_multiple_rows[_i].m);
    cJSON_Delete(x);
    cJSON_Delete(m);
}
END_TEST

static const struct {
    const char *lit;
    int bits, in;
} dec_range_rows[] = {
    {"2147483647", 32, 1},
    {"2147483648", 32, 0},
    {"-2147483648", 32, 1},
    {"-2147483649", 32, 0},
    {"9223372036854775807", 64, 1},
    {"9223372036854775808", 64, 0},
    {"-9223372036854775808", 64, 1},
    {"1e9", 32, 1},
    {"3e9", 32, 0},
    {"0", 32, 1},
};

START_TEST(json_decimal_int_range_exact)
{
    cJSON *n = number(dec_range_rows[_i].lit);
    ck_assert_msg(mh__dec_int_in_range(n, dec_range_rows[_i].bits) == dec_range_rows[_i].in,
                  "%s in int%d", dec_range_rows[_i].lit, dec_range_rows[_i].bits);
    cJSON_Delete(n);
}
END_TEST

START_TEST(json_decimal_without_literal_uses_doubles)
{
    cJSON *a = cJSON_CreateNumber(0.5), *b = number("0.50"), *m = cJSON_CreateNumber(0.25);
    ck_assert_int_eq(mh__dec_equal(a, b), 1);
    ck_assert_int_eq(mh__dec_multiple_of(a, m), 1);
    ck_assert_int_eq(mh__dec_multiple_of(m, a), 0);
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(m);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("json_strict");
    TCase *tc = tcase_create("table");
    tcase_add_loop_test(tc, json_parse_table_matches, 0, NROWS);
    tcase_add_test(tc, json_table_covers_every_rule);
    tcase_add_test(tc, json_rule_name_stable);
    tcase_add_test(tc, json_parse_error_message_names_key);
    tcase_add_test(tc, json_parse_respects_len_not_nul);
    suite_add_tcase(s, tc);

    tc = tcase_create("tree");
    tcase_add_test(tc, json_number_literal_kept);
    tcase_add_test(tc, json_tree_order_and_links);
    tcase_add_test(tc, json_get_case_sensitive);
    tcase_add_test(tc, json_tree_surgery_frees_cleanly);
    tcase_add_test(tc, json_duplicate_outlives_source);
    tcase_add_loop_test(tc, json_is_integer_exact, 0, (int)(sizeof int_rows / sizeof int_rows[0]));
    tcase_add_test(tc, json_is_integer_fallbacks);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, json_parse_100000_deep_rejected);
    tcase_add_test(tc, json_max_depth_boundary_exact);
    tcase_add_test(tc, json_parse_huge_object_fast);
    tcase_add_test(tc, json_parse_huge_object_duplicate_found);
    tcase_add_test(tc, json_parse_huge_array_fast);
    tcase_add_test(tc, json_duplicates_scoped_per_object);
    tcase_add_test(tc, json_parse_duplicate_deep_inside);
    suite_add_tcase(s, tc);

    tc = tcase_create("strings");
    tcase_add_test(tc, json_nul_round_trips_through_quote);
    tcase_add_test(tc, json_quote_round_trips_everything);
    tcase_add_test(tc, json_utf8_length_counts_code_points);
    tcase_add_test(tc, json_escapes_decode);
    tcase_add_test(tc, json_long_escaped_string);
    tcase_add_test(tc, json_string_special_byte_at_every_position);
    tcase_add_test(tc, json_escaped_names_and_values);
    suite_add_tcase(s, tc);

    tc = tcase_create("decimal");
    tcase_add_loop_test(tc, json_decimal_equal_and_hash_agree, 0,
                        (int)(sizeof dec_equal_rows / sizeof dec_equal_rows[0]));
    tcase_add_loop_test(tc, json_decimal_multiple_of_exact, 0,
                        (int)(sizeof dec_multiple_rows / sizeof dec_multiple_rows[0]));
    tcase_add_loop_test(tc, json_decimal_int_range_exact, 0,
                        (int)(sizeof dec_range_rows / sizeof dec_range_rows[0]));
    tcase_add_test(tc, json_decimal_without_literal_uses_doubles);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
