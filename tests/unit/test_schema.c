/* test_schema.c — the OpenAPI 3.0 Schema Object validator, keyword by keyword. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manta/json_strict.h"
#include "manta/schema.h"
#include "manta/spec.h"
#include "testutil.h"

/* Wraps schema JSON text as components/schemas/T (plus optional other
 * schemas, "extra" is inserted as more members) in a minimal spec. */
static mh_spec *load_schemas(const char *schema, const char *extra, mh_error *err)
{
    const char *fmt = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"},"
                      "\"paths\":{},\"components\":{\"schemas\":{\"T\":%s%s%s}}}";
    size_t n = strlen(fmt) + strlen(schema) + (extra ? strlen(extra) : 0) + 8;
    char *doc = malloc(n);
    ck_assert_ptr_nonnull(doc);
    snprintf(doc, n, fmt, schema, extra ? "," : "", extra ? extra : "");
    mh_spec *sp = NULL;
    mh_spec_load_buffer(doc, strlen(doc), "inline", &sp, err);
    free(doc);
    return sp;
}

static cJSON *parse(const char *text)
{
    cJSON *v = NULL;
    mh_json_error je;
    ck_assert_msg(mh_json_parse(text, strlen(text), NULL, &v, &je) == MH_JSON_OK,
                  "bad test instance %s: %s", text, je.message);
    return v;
}

typedef struct {
    const char *schema;
    const char *instance;
    mh_direction dir;
    size_t count;
    const char *keyword; /* first violation's keyword, NULL when count == 0 */
    const char *pointer; /* first violation's pointer */
} vcase;

#define REQ MH_DIR_REQUEST
#define RSP MH_DIR_RESPONSE

static const vcase cases[] = {
    /* type */
    {"{\"type\":\"string\"}", "\"a\"", RSP, 0, NULL, NULL},
    {"{\"type\":\"string\"}", "1", RSP, 1, "type", ""},
    {"{\"type\":\"integer\"}", "1", RSP, 0, NULL, NULL},
    {"{\"type\":\"integer\"}", "1.0", RSP, 0, NULL, NULL},
    {"{\"type\":\"integer\"}", "1e2", RSP, 0, NULL, NULL},
    {"{\"type\":\"integer\"}", "12345678901234567890", RSP, 0, NULL, NULL},
    {"{\"type\":\"integer\"}", "1.5", RSP, 1, "type", ""},
    {"{\"type\":\"integer\"}", "1e-1", RSP, 1, "type", ""},
    {"{\"type\":\"integer\"}", "true", RSP, 1, "type", ""},
    {"{\"type\":\"integer\"}", "\"1\"", RSP, 1, "type", ""},
    {"{\"type\":\"number\"}", "1.5", RSP, 0, NULL, NULL},
    {"{\"type\":\"number\"}", "7", RSP, 0, NULL, NULL},
    {"{\"type\":\"number\"}", "false", RSP, 1, "type", ""},
    {"{\"type\":\"boolean\"}", "false", RSP, 0, NULL, NULL},
    {"{\"type\":\"boolean\"}", "0", RSP, 1, "type", ""},
    {"{\"type\":\"array\"}", "[]", RSP, 0, NULL, NULL},
    {"{\"type\":\"array\"}", "{}", RSP, 1, "type", ""},
    {"{\"type\":\"object\"}", "{}", RSP, 0, NULL, NULL},
    {"{\"type\":\"object\"}", "[]", RSP, 1, "type", ""},
    {"{}", "null", RSP, 0, NULL, NULL},
    {"{}", "[1,{\"a\":null}]", RSP, 0, NULL, NULL},
    /* nullable */
    {"{\"type\":\"string\"}", "null", RSP, 1, "type", ""},
    {"{\"type\":\"string\",\"nullable\":true}", "null", RSP, 0, NULL, NULL},
    {"{\"type\":\"string\",\"nullable\":true,\"minLength\":3}", "null", RSP, 0, NULL, NULL},
    {"{\"type\":\"string\",\"nullable\":true,\"enum\":[\"a\"]}", "null", RSP, 1, "enum", ""},
    {"{\"type\":\"string\",\"nullable\":true,\"enum\":[\"a\",null]}", "null", RSP, 0, NULL, NULL},
    {"{\"nullable\":true,\"allOf\":[{\"type\":\"object\"}]}", "null", RSP, 0, NULL, NULL},
    {"{\"allOf\":[{\"type\":\"object\"}]}", "null", RSP, 1, "type", ""},
    /* enum */
    {"{\"enum\":[\"a\",\"b\"]}", "\"b\"", RSP, 0, NULL, NULL},
    {"{\"enum\":[\"a\",\"b\"]}", "\"c\"", RSP, 1, "enum", ""},
    {"{\"enum\":[1,2]}", "1.0", RSP, 0, NULL, NULL},
    {"{\"enum\":[1,2]}", "10e-1", RSP, 0, NULL, NULL},
    {"{\"enum\":[1,2]}", "true", RSP, 1, "enum", ""},
    {"{\"enum\":[0]}", "-0", RSP, 0, NULL, NULL},
    {"{\"enum\":[12345678901234567890]}", "12345678901234567891", RSP, 1, "enum", ""},
    {"{\"enum\":[{\"a\":[1,{\"b\":null}]}]}", "{\"a\":[1.0,{\"b\":null}]}", RSP, 0, NULL, NULL},
    {"{\"enum\":[{\"a\":1}]}", "{\"a\":1,\"b\":2}", RSP, 1, "enum", ""},
    {"{\"enum\":[[1,2]]}", "[2,1]", RSP, 1, "enum", ""},
    /* properties / required / additionalProperties */
    {"{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}", "{\"a\":\"x\"}", RSP, 0,
     NULL, NULL},
    {"{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}", "{\"a\":5}", RSP, 1,
     "type", "/a"},
    {"{\"type\":\"object\",\"required\":[\"message\"]}", "{}", RSP, 1, "required", ""},
    {"{\"type\":\"object\",\"required\":[\"a\",\"b\"]}", "{\"a\":1}", RSP, 1, "required", ""},
    {"{\"type\":\"object\",\"required\":[\"a\",\"b\"]}", "{}", RSP, 2, "required", ""},
    {"{\"properties\":{\"a\":{}},\"additionalProperties\":false}", "{\"a\":1}", RSP, 0, NULL, NULL},
    {"{\"properties\":{\"a\":{}},\"additionalProperties\":false}", "{\"a\":1,\"x\":2}", RSP, 1,
     "additionalProperties", "/x"},
    {"{\"additionalProperties\":true}", "{\"x\":2}", RSP, 0, NULL, NULL},
    {"{\"additionalProperties\":{\"type\":\"integer\"}}", "{\"x\":2,\"y\":3}", RSP, 0, NULL, NULL},
    {"{\"additionalProperties\":{\"type\":\"integer\"}}", "{\"x\":2,\"y\":\"3\"}", RSP, 1, "type",
     "/y"},
    {"{\"properties\":{\"a\":{\"type\":\"string\"}},\"additionalProperties\":{\"type\":"
     "\"integer\"}}",
     "{\"a\":\"s\",\"b\":1}", RSP, 0, NULL, NULL},
    /* pointer escaping */
    {"{\"additionalProperties\":false}", "{\"a/b\":1}", RSP, 1, "additionalProperties", "/a~1b"},
    {"{\"additionalProperties\":false}", "{\"m~n\":1}", RSP, 1, "additionalProperties", "/m~0n"},
    {"{\"properties\":{\"x/~y\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}}}",
     "{\"x/~y\":[1,2,\"3\"]}", RSP, 1, "type", "/x~1~0y/2"},
    {"{\"additionalProperties\":false}", "{\"\":1}", RSP, 1, "additionalProperties", "/"},
    /* items, minItems, maxItems, uniqueItems */
    {"{\"items\":{\"type\":\"string\"}}", "[\"a\",\"b\"]", RSP, 0, NULL, NULL},
    {"{\"items\":{\"type\":\"string\"}}", "[\"a\",1,true]", RSP, 2, "type", "/1"},
    {"{\"minItems\":2}", "[1]", RSP, 1, "minItems", ""},
    {"{\"minItems\":2}", "[1,2]", RSP, 0, NULL, NULL},
    {"{\"maxItems\":1}", "[1,2]", RSP, 1, "maxItems", ""},
    {"{\"maxItems\":1}", "[1]", RSP, 0, NULL, NULL},
    {"{\"uniqueItems\":true}", "[1,2,3]", RSP, 0, NULL, NULL},
    {"{\"uniqueItems\":true}", "[1,2,1.0]", RSP, 1, "uniqueItems", ""},
    {"{\"uniqueItems\":true}", "[{\"a\":1,\"b\":2},{\"b\":2,\"a\":1}]", RSP, 1, "uniqueItems", ""},
    {"{\"uniqueItems\":true}", "[[1],[1,1]]", RSP, 0, NULL, NULL},
    {"{\"uniqueItems\":true}", "[\"1\",1,true,null,{},[]]", RSP, 0, NULL, NULL},
    {"{\"uniqueItems\":true}",
     "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]", RSP, 0,
     NULL, NULL},
    {"{\"uniqueItems\":true}",
     "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,3e0]", RSP,
     1, "uniqueItems", ""},
    {"{\"uniqueItems\":false}", "[1,1]", RSP, 0, NULL, NULL},
    /* minLength / maxLength in code points */
    {"{\"minLength\":2}", "\"ab\"", RSP, 0, NULL, NULL},
    {"{\"minLength\":2}", "\"a\"", RSP, 1, "minLength", ""},
    {"{\"maxLength\":2}", "\"abc\"", RSP, 1, "maxLength", ""},
    {"{\"maxLength\":2}", "\"\xe4\xb8\xad\xe6\x96\x87\"", RSP, 0, NULL, NULL},
    {"{\"maxLength\":1}", "\"\xf0\x9f\x98\x80\"", RSP, 0, NULL, NULL},
    {"{\"maxLength\":1}", "\"\\ud83d\\ude00\"", RSP, 0, NULL, NULL},
    {"{\"minLength\":1,\"maxLength\":1}", "\"\\u0000\"", RSP, 0, NULL, NULL},
    {"{\"minLength\":3}", "5", RSP, 0, NULL, NULL},
    /* pattern */
    {"{\"pattern\":\"^[a-z]+$\"}", "\"abc\"", RSP, 0, NULL, NULL},
    {"{\"pattern\":\"^[a-z]+$\"}", "\"abC\"", RSP, 1, "pattern", ""},
    {"{\"pattern\":\"b\"}", "\"abc\"", RSP, 0, NULL, NULL},
    {"{\"pattern\":\"^\\\\d+$\"}", "\"123\"", RSP, 0, NULL, NULL},
    {"{\"pattern\":\"^\\\\d+$\"}", "\"\xd9\xa3\"", RSP, 1, "pattern", ""},
    {"{\"pattern\":\"^a$\"}", "\"a\\n\"", RSP, 1, "pattern", ""},
    {"{\"pattern\":\"^.$\"}", "\"\xe4\xb8\xad\"", RSP, 0, NULL, NULL},
    {"{\"pattern\":\"(?<=a)b\"}", "\"ab\"", RSP, 0, NULL, NULL},
    {"{\"pattern\":\"^a.b$\"}", "\"a\\u0000b\"", RSP, 0, NULL, NULL},
    {"{\"pattern\":\"^\\\\p{L}+$\"}", "\"\xc3\xa9t\xc3\xa9\"", RSP, 0, NULL, NULL},
    /* minimum / maximum / exclusive */
    {"{\"minimum\":1}", "1", RSP, 0, NULL, NULL},
    {"{\"minimum\":1}", "0.999", RSP, 1, "minimum", ""},
    {"{\"minimum\":1,\"exclusiveMinimum\":true}", "1", RSP, 1, "minimum", ""},
    {"{\"minimum\":1,\"exclusiveMinimum\":true}", "1.0001", RSP, 0, NULL, NULL},
    {"{\"maximum\":10}", "10", RSP, 0, NULL, NULL},
    {"{\"maximum\":10}", "10.5", RSP, 1, "maximum", ""},
    {"{\"maximum\":10,\"exclusiveMaximum\":true}", "10", RSP, 1, "maximum", ""},
    {"{\"maximum\":10,\"exclusiveMaximum\":true}", "-1e300", RSP, 0, NULL, NULL},
    {"{\"minimum\":0}", "\"-5\"", RSP, 0, NULL, NULL},
    /* multipleOf */
    {"{\"multipleOf\":0.1}", "0.3", RSP, 0, NULL, NULL},
    {"{\"multipleOf\":0.1}", "0.35", RSP, 1, "multipleOf", ""},
    {"{\"multipleOf\":0.01}", "19.99", RSP, 0, NULL, NULL},
    {"{\"multipleOf\":3}", "9", RSP, 0, NULL, NULL},
    {"{\"multipleOf\":3}", "10", RSP, 1, "multipleOf", ""},
    {"{\"multipleOf\":0.1}", "1e308", RSP, 0, NULL, NULL},
    {"{\"multipleOf\":7}", "1e308", RSP, 1, "multipleOf", ""},
    {"{\"multipleOf\":2}", "1e308", RSP, 0, NULL, NULL},
    {"{\"multipleOf\":1e-5}", "0.00003", RSP, 0, NULL, NULL},
    {"{\"multipleOf\":1e-5}", "0.000031", RSP, 1, "multipleOf", ""},
    {"{\"multipleOf\":1.5}", "4.5", RSP, 0, NULL, NULL},
    {"{\"multipleOf\":1.5}", "0", RSP, 0, NULL, NULL},
    {"{\"multipleOf\":100}", "50", RSP, 1, "multipleOf", ""},
    {"{\"multipleOf\":1}", "12345678901234567890", RSP, 0, NULL, NULL},
    {"{\"multipleOf\":10}", "12345678901234567891", RSP, 1, "multipleOf", ""},
    /* minProperties / maxProperties */
    {"{\"minProperties\":1}", "{}", RSP, 1, "minProperties", ""},
    {"{\"minProperties\":1}", "{\"a\":1}", RSP, 0, NULL, NULL},
    {"{\"maxProperties\":1}", "{\"a\":1,\"b\":2}", RSP, 1, "maxProperties", ""},
    {"{\"maxProperties\":1}", "{\"a\":1}", RSP, 0, NULL, NULL},
    /* allOf / anyOf / oneOf / not */
    {"{\"allOf\":[{\"type\":\"integer\"},{\"minimum\":3}]}", "4", RSP, 0, NULL, NULL},
    {"{\"allOf\":[{\"type\":\"integer\"},{\"minimum\":3}]}", "2.5", RSP, 2, "type", ""},
    {"{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}", "\"x\"", RSP, 0, NULL, NULL},
    {"{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}", "true", RSP, 1, "anyOf", ""},
    {"{\"properties\":{\"v\":{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}}}",
     "{\"v\":[]}", RSP, 1, "anyOf", "/v"},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}", "3", RSP, 0, NULL, NULL},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"number\"}]}", "3", RSP, 1, "oneOf", ""},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"number\"}]}", "3.5", RSP, 0, NULL, NULL},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}", "null", RSP, 1, "oneOf", ""},
    {"{\"not\":{\"type\":\"string\"}}", "3", RSP, 0, NULL, NULL},
    {"{\"not\":{\"type\":\"string\"}}", "\"3\"", RSP, 1, "not", ""},
    /* format */
    {"{\"format\":\"date-time\"}", "\"2024-02-29T12:30:00Z\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"date-time\"}", "\"2024-02-29t12:30:00.123+05:30\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"date-time\"}", "\"2023-02-29T12:30:00Z\"", RSP, 1, "format", ""},
    {"{\"format\":\"date-time\"}", "\"2024-01-01 12:30:00Z\"", RSP, 1, "format", ""},
    {"{\"format\":\"date-time\"}", "\"2024-01-01T24:00:00Z\"", RSP, 1, "format", ""},
    {"{\"format\":\"date-time\"}", "\"2024-01-01T12:00:00\"", RSP, 1, "format", ""},
    {"{\"format\":\"date\"}", "\"2000-02-29\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"date\"}", "\"1900-02-29\"", RSP, 1, "format", ""},
    {"{\"format\":\"date\"}", "\"2000-13-01\"", RSP, 1, "format", ""},
    {"{\"format\":\"time\"}", "\"23:59:60Z\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"time\"}", "\"23:59\"", RSP, 1, "format", ""},
    {"{\"format\":\"email\"}", "\"a.b+c@example.com\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"email\"}", "\"a..b@example.com\"", RSP, 1, "format", ""},
    {"{\"format\":\"email\"}", "\"no-at-sign\"", RSP, 1, "format", ""},
    {"{\"format\":\"uuid\"}", "\"123e4567-e89b-12d3-a456-426614174000\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"uuid\"}", "\"123e4567e89b12d3a456426614174000\"", RSP, 1, "format", ""},
    {"{\"format\":\"uri\"}", "\"https://example.com/a?b=c#d\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"uri\"}", "\"/relative/path\"", RSP, 1, "format", ""},
    {"{\"format\":\"uri\"}", "\"http://exa mple.com\"", RSP, 1, "format", ""},
    {"{\"format\":\"ipv4\"}", "\"192.168.0.1\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"ipv4\"}", "\"256.1.1.1\"", RSP, 1, "format", ""},
    {"{\"format\":\"ipv4\"}", "\"01.1.1.1\"", RSP, 1, "format", ""},
    {"{\"format\":\"ipv6\"}", "\"::1\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"ipv6\"}", "\"2001:db8::g\"", RSP, 1, "format", ""},
    {"{\"format\":\"byte\"}", "\"aGVsbG8=\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"byte\"}", "\"aGVsbG8\"", RSP, 1, "format", ""},
    {"{\"format\":\"byte\"}", "\"a=Vs\"", RSP, 1, "format", ""},
    {"{\"format\":\"int32\"}", "2147483647", RSP, 0, NULL, NULL},
    {"{\"format\":\"int32\"}", "-2147483648", RSP, 0, NULL, NULL},
    {"{\"format\":\"int32\"}", "2147483648", RSP, 1, "format", ""},
    {"{\"format\":\"int32\"}", "-2147483649", RSP, 1, "format", ""},
    {"{\"format\":\"int64\"}", "9223372036854775807", RSP, 0, NULL, NULL},
    {"{\"format\":\"int64\"}", "9223372036854775808", RSP, 1, "format", ""},
    {"{\"format\":\"int64\"}", "-9223372036854775808", RSP, 0, NULL, NULL},
    {"{\"format\":\"int64\"}", "1e30", RSP, 1, "format", ""},
    {"{\"format\":\"double\"}", "1e300", RSP, 0, NULL, NULL},
    {"{\"format\":\"float\"}", "1.5", RSP, 0, NULL, NULL},
    {"{\"format\":\"no-such-format\"}", "\"anything\"", RSP, 0, NULL, NULL},
    {"{\"format\":\"email\"}", "5", RSP, 0, NULL, NULL},
    /* readOnly / writeOnly by direction */
    {"{\"properties\":{\"id\":{\"type\":\"string\",\"readOnly\":true}},\"required\":[\"id\"]}",
     "{}", REQ, 0, NULL, NULL},
    {"{\"properties\":{\"id\":{\"type\":\"string\",\"readOnly\":true}},\"required\":[\"id\"]}",
     "{}", RSP, 1, "required", ""},
    {"{\"properties\":{\"id\":{\"type\":\"string\",\"readOnly\":true}}}", "{\"id\":\"x\"}", REQ, 1,
     "readOnly", "/id"},
    {"{\"properties\":{\"id\":{\"type\":\"string\",\"readOnly\":true}}}", "{\"id\":\"x\"}", RSP, 0,
     NULL, NULL},
    {"{\"properties\":{\"pw\":{\"type\":\"string\",\"writeOnly\":true}},\"required\":[\"pw\"]}",
     "{}", RSP, 0, NULL, NULL},
    {"{\"properties\":{\"pw\":{\"type\":\"string\",\"writeOnly\":true}},\"required\":[\"pw\"]}",
     "{}", REQ, 1, "required", ""},
    {"{\"properties\":{\"pw\":{\"type\":\"string\",\"writeOnly\":true}}}", "{\"pw\":\"x\"}", RSP, 1,
     "writeOnly", "/pw"},
    {"{\"properties\":{\"pw\":{\"type\":\"string\",\"writeOnly\":true}}}", "{\"pw\":\"x\"}", REQ, 0,
     NULL, NULL},
    /* unknown keywords ignored */
    {"{\"type\":\"string\",\"x-extension\":{\"a\":1},\"discriminator\":{\"propertyName\":\"t\"},"
     "\"example\":5}",
     "\"s\"", RSP, 0, NULL, NULL},
};

static void run_case(const vcase *c, size_t idx)
{
    mh_error err;
    mh_spec *sp = load_schemas(c->schema, NULL, &err);
    ck_assert_msg(sp != NULL, "case %zu: schema %s did not load: %s", idx, c->schema, err.message);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    ck_assert_ptr_nonnull(s);
    cJSON *inst = parse(c->instance);
    mh_violations v = {0};
    size_t n = mh_schema_validate(s, inst, c->dir, &v);
    ck_assert_msg(n == c->count && v.count == c->count,
                  "case %zu: schema %s instance %s: expected %zu violations, got %zu (%s %s: %s)",
                  idx, c->schema, c->instance, c->count, n, n ? v.items[0].keyword : "",
                  n ? v.items[0].pointer : "", n ? v.items[0].message : "");
    if (c->count) {
        ck_assert_msg(strcmp(v.items[0].keyword, c->keyword) == 0,
                      "case %zu: keyword %s, expected %s", idx, v.items[0].keyword, c->keyword);
        ck_assert_msg(strcmp(v.items[0].pointer, c->pointer) == 0,
                      "case %zu: pointer \"%s\", expected \"%s\"", idx, v.items[0].pointer,
                      c->pointer);
        ck_assert(v.items[0].message[0] != '\0');
    }
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}

START_TEST(schema_validate_table)
{
    run_case(&cases[_i], (size_t)_i);
}
END_TEST

/* Finds the violation with this pointer and keyword; NULL when absent. */
static const mh_violation *find_violation(const mh_violations *v, const char *kw, const char *ptr)
{
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->items[i].keyword, kw) == 0 && strcmp(v->items[i].pointer, ptr) == 0)
            return &v->items[i];
    return NULL;
}

START_TEST(schema_validate_reports_every_violation)
{
    mh_error err;
    mh_spec *sp = load_schemas(
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"a\",\"message\"],"
        "\"properties\":{\"a\":{\"type\":\"integer\"},\"message\":{},\"b\":{\"type\":\"array\","
        "\"items\":"
        "{\"type\":\"string\",\"maxLength\":1}}}}",
        NULL, &err);
    ck_assert_ptr_nonnull(sp);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    cJSON *inst = parse("{\"a\":\"x\",\"b\":[\"ok\",3,\"y\"],\"z\":1}");
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(s, inst, MH_DIR_RESPONSE, &v), 5);
    const mh_violation *r = find_violation(&v, "required", "");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->message, "missing required property \"message\"");
    const mh_violation *t = find_violation(&v, "type", "/a");
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->message, "expected integer, got string");
    ck_assert_ptr_nonnull(find_violation(&v, "maxLength", "/b/0"));
    ck_assert_ptr_nonnull(find_violation(&v, "type", "/b/1"));
    const mh_violation *x = find_violation(&v, "additionalProperties", "/z");
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->message, "unexpected property \"z\"");
    /* clear keeps the list usable; the next run appends afresh */
    mh_violations_clear(&v);
    ck_assert_uint_eq(v.count, 0);
    cJSON *good = parse("{\"a\":1,\"message\":\"m\",\"b\":[\"x\"]}");
    ck_assert_uint_eq(mh_schema_validate(s, good, MH_DIR_RESPONSE, &v), 0);
    ck_assert_uint_eq(v.count, 0);
    cJSON_Delete(good);
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_validate_recursive_tree_ok)
{
    mh_error err;
    mh_spec *sp = load_schemas(
        "{\"type\":\"object\",\"required\":[\"v\"],\"properties\":{\"v\":{\"type\":\"integer\"},"
        "\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/T\"}}}}",
        NULL, &err);
    ck_assert_msg(sp != NULL, "%s", err.message);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    cJSON *good = parse("{\"v\":1,\"kids\":[{\"v\":2},{\"v\":3,\"kids\":[{\"v\":4}]}]}");
    cJSON *bad = parse("{\"v\":1,\"kids\":[{\"v\":2},{\"v\":3,\"kids\":[{\"v\":\"4\"},{}]}]}");
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(s, good, MH_DIR_REQUEST, &v), 0);
    ck_assert_uint_eq(mh_schema_validate(s, bad, MH_DIR_REQUEST, &v), 2);
    ck_assert_ptr_nonnull(find_violation(&v, "type", "/kids/1/kids/0/v"));
    ck_assert_ptr_nonnull(find_violation(&v, "required", "/kids/1/kids/1"));
    mh_violations_free(&v);
    cJSON_Delete(good);
    cJSON_Delete(bad);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_validate_mutual_recursion_ok)
{
    mh_error err;
    mh_spec *sp = load_schemas(
        "{\"type\":\"object\",\"properties\":{\"b\":{\"$ref\":\"#/components/schemas/B\"}}}",
        "\"B\":{\"type\":\"object\",\"properties\":{\"t\":{\"$ref\":\"#/components/schemas/T\"},"
        "\"n\":{\"type\":\"number\"}}}",
        &err);
    ck_assert_msg(sp != NULL, "%s", err.message);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    ck_assert_str_eq(mh_schema_location(s), "/components/schemas/T");
    cJSON *inst = parse("{\"b\":{\"t\":{\"b\":{\"n\":\"x\"}}}}");
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(s, inst, MH_DIR_RESPONSE, &v), 1);
    ck_assert_str_eq(v.items[0].pointer, "/b/t/b/n");
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_validate_oneof_message_names_branches)
{
    mh_error err;
    mh_spec *sp = load_schemas("{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"object\","
                               "\"required\":[\"k\"]}]}",
                               NULL, &err);
    ck_assert_ptr_nonnull(sp);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    cJSON *inst = parse("{}");
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(s, inst, MH_DIR_RESPONSE, &v), 1);
    ck_assert_str_eq(v.items[0].keyword, "anyOf");
    ck_assert_ptr_nonnull(strstr(v.items[0].message, "expected integer, got object"));
    ck_assert_ptr_nonnull(strstr(v.items[0].message, "missing required property \"k\""));
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_validate_count_only_without_list)
{
    mh_error err;
    mh_spec *sp = load_schemas("{\"type\":\"object\",\"required\":[\"a\",\"b\"]}", NULL, &err);
    ck_assert_ptr_nonnull(sp);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    cJSON *inst = parse("{}");
    ck_assert_uint_eq(mh_schema_validate(s, inst, MH_DIR_RESPONSE, NULL), 2);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_validate_deep_instance_pointer)
{
    mh_error err;
    /* deeper than the inline path stack, so the pointer stack must grow */
    mh_spec *sp = load_schemas("{\"type\":\"array\",\"items\":{\"$ref\":"
                               "\"#/components/schemas/T\"}}",
                               NULL, &err);
    ck_assert_msg(sp != NULL, "%s", err.message);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    char text[256] = "", expect[256] = "";
    for (int i = 0; i < 40; i++)
        strcat(text, "[");
    strcat(text, "\"x\"");
    for (int i = 0; i < 40; i++) {
        strcat(text, "]");
        strcat(expect, "/0");
    }
    cJSON *inst = parse(text);
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(s, inst, MH_DIR_RESPONSE, &v), 1);
    ck_assert_str_eq(v.items[0].pointer, expect);
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

/* The bundled contract's response schemas against good and bad bodies. */
typedef struct {
    const char *schema;
    const char *body;
    size_t count;
    const char *keyword;
    const char *pointer;
} bundled_case;

static const bundled_case bundled[] = {
    {"BasicSuccessResponse", "{\"success\":true,\"message\":\"ok\"}", 0, NULL, NULL},
    {"BasicSuccessResponse", "{\"success\":true,\"message\":\"ok\",\"extra\":[1]}", 0, NULL, NULL},
    {"BasicSuccessResponse", "{\"success\":\"true\",\"message\":\"ok\"}", 1, "type", "/success"},
    {"BasicSuccessResponse", "{\"success\":true}", 1, "required", ""},
    {"BasicSuccessResponse", "[]", 1, "type", ""},
    {"BasicSuccessResponse", "{\"success\":true,\"message\":null}", 1, "type", "/message"},
    {"ErrorResponse",
     "{\"success\":false,\"errResponse\":{\"message\":\"bad\",\"code\":403,\"botId\":\"b\"}}", 0,
     NULL, NULL},
    {"ErrorResponse", "{\"success\":false,\"errResponse\":{\"message\":\"bad\",\"code\":403.0}}", 0,
     NULL, NULL},
    {"ErrorResponse", "{\"success\":false,\"errResponse\":{\"message\":\"bad\",\"code\":\"403\"}}",
     1, "type", "/errResponse/code"},
    {"ErrorResponse", "{\"success\":false,\"errResponse\":{\"code\":401}}", 1, "required",
     "/errResponse"},
    {"ErrorResponse", "{\"success\":false}", 1, "required", ""},
    {"ErrorResponse", "{\"success\":false,\"errResponse\":{\"message\":1,\"code\":4.5}}", 2, "type",
     "/errResponse/message"},
    {"CreatePersonalTagRequest", "{\"secret\":\"s\",\"name\":\"n\"}", 0, NULL, NULL},
    {"CreatePersonalTagRequest", "{\"secret\":\"s\"}", 1, "required", ""},
};

START_TEST(schema_validate_bundled_spec)
{
    const bundled_case *c = &bundled[_i];
    mh_error err;
    mh_spec *sp = NULL;
    ck_assert_int_eq(mh_spec_load(MH_TEST_SPEC, &sp, &err), MH_OK);
    const mh_schema *s = mh_spec_schema(sp, c->schema, &err);
    ck_assert_ptr_nonnull(s);
    cJSON *inst = parse(c->body);
    mh_violations v = {0};
    size_t n = mh_schema_validate(s, inst, MH_DIR_RESPONSE, &v);
    ck_assert_msg(n == c->count, "%s %s: %zu violations, expected %zu", c->schema, c->body, n,
                  c->count);
    if (c->count) {
        ck_assert_str_eq(v.items[0].keyword, c->keyword);
        ck_assert_str_eq(v.items[0].pointer, c->pointer);
    }
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

typedef struct {
    const mh_schema *s;
    const cJSON *good, *bad;
    int failures;
} thread_arg;

static void *hammer(void *p)
{
    thread_arg *a = p;
    mh_violations v = {0};
    for (int i = 0; i < 2000; i++) {
        if (mh_schema_validate(a->s, a->good, MH_DIR_RESPONSE, NULL) != 0)
            a->failures++;
        mh_violations_clear(&v);
        if (mh_schema_validate(a->s, a->bad, MH_DIR_RESPONSE, &v) != 2)
            a->failures++;
    }
    mh_violations_free(&v);
    return NULL;
}

START_TEST(schema_validate_concurrent_ok)
{
    mh_error err;
    mh_spec *sp = load_schemas("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"string\","
                               "\"pattern\":\"^[a-z]+[0-9]*$\"},\"k\":{\"type\":\"integer\"}}}",
                               NULL, &err);
    ck_assert_ptr_nonnull(sp);
    cJSON *good = parse("{\"n\":\"abc123\",\"k\":1}");
    cJSON *bad = parse("{\"n\":\"123abc\",\"k\":1.5}");
    thread_arg args[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (thread_arg){mh_spec_schema(sp, "T", &err), good, bad, 0};
        ck_assert_int_eq(pthread_create(&th[i], NULL, hammer, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(args[i].failures, 0);
    }
    cJSON_Delete(good);
    cJSON_Delete(bad);
    mh_spec_free(sp);
}
END_TEST

/* Schemas the compiler must refuse, with the pointer of the bad keyword. */
typedef struct {
    const char *schema;
    mh_status code;
    const char *pointer;
} bad_schema;

static const bad_schema bad_schemas[] = {
    {"{\"pattern\":\"([a-z\"}", MH_ERR_SPEC, "/components/schemas/T/pattern"},
    {"{\"properties\":{\"a\":{\"pattern\":\"a{2,1}\"}}}", MH_ERR_SPEC,
     "/components/schemas/T/properties/a/pattern"},
    {"{\"type\":\"null\"}", MH_ERR_SPEC, "/components/schemas/T/type"},
    {"{\"minLength\":-1}", MH_ERR_SPEC, "/components/schemas/T/minLength"},
    {"{\"maxItems\":1.5}", MH_ERR_SPEC, "/components/schemas/T/maxItems"},
    {"{\"multipleOf\":0}", MH_ERR_SPEC, "/components/schemas/T/multipleOf"},
    {"{\"required\":[1]}", MH_ERR_SPEC, "/components/schemas/T/required"},
    {"{\"allOf\":[]}", MH_ERR_SPEC, "/components/schemas/T/allOf"},
    {"{\"items\":5}", MH_ERR_SPEC, "/components/schemas/T/items"},
    {"{\"additionalProperties\":\"no\"}", MH_ERR_SPEC,
     "/components/schemas/T/additionalProperties"},
    {"{\"nullable\":\"yes\"}", MH_ERR_SPEC, "/components/schemas/T/nullable"},
    {"{\"items\":{\"$ref\":\"#/components/schemas/Nope\"}}", MH_ERR_REF,
     "/components/schemas/T/items/$ref"},
    {"{\"allOf\":[{\"$ref\":\"#/components/schemas/T\"}]}", MH_ERR_REF, "/components/schemas/T"},
    {"{\"anyOf\":[{\"not\":{\"$ref\":\"#/components/schemas/T\"}}]}", MH_ERR_REF, ""},
};

START_TEST(schema_compile_bad_schema_fails)
{
    const bad_schema *b = &bad_schemas[_i];
    mh_error err;
    mh_spec *sp = load_schemas(b->schema, NULL, &err);
    ck_assert_msg(sp == NULL, "%s compiled", b->schema);
    ck_assert_msg(err.code == b->code, "%s: %s (%s)", b->schema, mh_status_name(err.code),
                  err.message);
    if (b->pointer[0])
        ck_assert_str_eq(err.pointer, b->pointer);
    else
        ck_assert(err.pointer[0] == '/');
    ck_assert_ptr_null(strchr(err.message, '\n'));
}
END_TEST

START_TEST(schema_violations_add_copies)
{
    mh_violations v = {0};
    char kw[] = "type";
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(mh_violations_add(&v, kw, "/a", "n=%d", i), 0);
    kw[0] = 'X';
    ck_assert_uint_eq(v.count, 20);
    ck_assert_str_eq(v.items[0].keyword, "type");
    ck_assert_str_eq(v.items[19].message, "n=19");
    mh_violations_free(&v);
    ck_assert_uint_eq(v.count, 0);
    ck_assert_ptr_null(v.items);
    mh_violations_free(NULL);
    mh_violations_clear(NULL);
}
END_TEST

/* Messages longer than the stack buffer, pointers with multi-digit indexes
 * and escaped tokens, NULL keyword/pointer and a name longer than the
 * buffer: every part of a violation comes out whole. */
START_TEST(schema_violation_texts_whole)
{
    mh_violations v = {0};
    char long_text[700];
    memset(long_text, 'm', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    ck_assert_int_eq(mh_violations_add(&v, NULL, NULL, "<%s>", long_text), 0);
    ck_assert_str_eq(v.items[0].keyword, "");
    ck_assert_str_eq(v.items[0].pointer, "");
    ck_assert_uint_eq(strlen(v.items[0].message), sizeof long_text + 1);
    ck_assert_int_eq(v.items[0].message[0], '<');
    ck_assert_int_eq(v.items[0].message[sizeof long_text], '>');
    mh_violations_clear(&v);

    mh_error err;
    mh_spec *sp = load_schemas("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"array\","
                               "\"items\":{\"type\":[\"string\",\"integer\",\"object\"]}}}",
                               NULL, &err);
    ck_assert_ptr_nonnull(sp);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    char doc[2048];
    size_t k = (size_t)snprintf(doc, sizeof doc, "{\"a/b~c\":[");
    for (int i = 0; i < 120; i++)
        k += (size_t)snprintf(doc + k, sizeof doc - k, "%s%s", i ? "," : "",
                              i == 0 || i == 9 || i == 10 || i == 100 || i == 119 ? "true" : "1");
    k += (size_t)snprintf(doc + k, sizeof doc - k, "],\"");
    for (int i = 0; i < 300; i++)
        doc[k++] = 'n';
    snprintf(doc + k, sizeof doc - k, "\":[null]}");
    cJSON *inst = parse(doc);
    ck_assert_uint_eq(mh_schema_validate(s, inst, MH_DIR_RESPONSE, &v), 6);
    const char *ptrs[] = {"/a~1b~0c/0", "/a~1b~0c/9", "/a~1b~0c/10", "/a~1b~0c/100",
                          "/a~1b~0c/119"};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_str_eq(v.items[i].keyword, "type");
        ck_assert_str_eq(v.items[i].pointer, ptrs[i]);
        ck_assert_str_eq(v.items[i].message, "expected string or integer or object, got boolean");
    }
    ck_assert_uint_eq(strlen(v.items[5].pointer), 1 + 300 + 2);
    ck_assert_str_eq(v.items[5].pointer + 301, "/0");
    ck_assert_str_eq(v.items[5].message, "expected string or integer or object, got null");
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_validate_catastrophic_pattern_bounded)
{
    mh_error err;
    mh_spec *sp = load_schemas("{\"type\":\"string\",\"pattern\":\"^(a|a?)+$\"}", NULL, &err);
    ck_assert_msg(sp != NULL, "%s", err.message);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    char text[80] = "\"";
    for (int i = 0; i < 60; i++)
        strcat(text, "a");
    strcat(text, "b\"");
    cJSON *inst = parse(text);
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(s, inst, MH_DIR_RESPONSE, &v), 1);
    ck_assert_str_eq(v.items[0].keyword, "pattern");
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_validate_depth_guard)
{
    mh_error err;
    mh_spec *sp = load_schemas(
        "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/T\"}}", NULL, &err);
    ck_assert_ptr_nonnull(sp);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    enum { DEPTH = 1500 };
    char *text = malloc(2 * DEPTH + 1);
    memset(text, '[', DEPTH);
    memset(text + DEPTH, ']', DEPTH);
    text[2 * DEPTH] = '\0';
    mh_json_opts opts = {4000};
    cJSON *inst = NULL;
    ck_assert_int_eq(mh_json_parse(text, 2 * DEPTH, &opts, &inst, NULL), MH_JSON_OK);
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(s, inst, MH_DIR_RESPONSE, &v), 1);
    ck_assert_str_eq(v.items[0].keyword, "depth");
    mh_violations_free(&v);
    cJSON_Delete(inst);
    free(text);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_validate_many_documents_fast)
{
    mh_error err;
    mh_spec *sp = NULL;
    ck_assert_int_eq(mh_spec_load(MH_TEST_SPEC, &sp, &err), MH_OK);
    const mh_schema *s = mh_spec_schema(sp, "ErrorResponse", &err);
    cJSON *good = parse("{\"success\":false,\"errResponse\":{\"message\":\"m\",\"code\":403,"
                        "\"botId\":\"b\"}}");
    mh_violations v = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t total = 0;
    for (int i = 0; i < 50000; i++)
        total += mh_schema_validate(s, good, MH_DIR_RESPONSE, &v);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_uint_eq(total, 0);
    ck_assert_ptr_null(v.items); /* the success path never touched the list */
    ck_assert_msg(secs < 3.0, "50000 validations took %.2fs", secs);
    cJSON_Delete(good);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_validate_enum_message_bounded)
{
    char schema[8192] = "{\"enum\":[";
    for (int i = 0; i < 500; i++) {
        char num[16];
        snprintf(num, sizeof num, "%s%d", i ? "," : "", i);
        strcat(schema, num);
    }
    strcat(schema, "]}");
    mh_error err;
    mh_spec *sp = load_schemas(schema, NULL, &err);
    ck_assert_ptr_nonnull(sp);
    cJSON *inst = parse("\"x\"");
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(mh_spec_schema(sp, "T", &err), inst, MH_DIR_RESPONSE, &v),
                      1);
    ck_assert_uint_lt(strlen(v.items[0].message), 300);
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

START_TEST(schema_location_and_source)
{
    mh_error err;
    mh_spec *sp = load_schemas("{\"properties\":{\"a/b\":{\"type\":\"string\"}}}", NULL, &err);
    ck_assert_ptr_nonnull(sp);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    ck_assert_str_eq(mh_schema_location(s), "/components/schemas/T");
    const cJSON *src = mh_schema_source(s);
    ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(src, "properties"));
    ck_assert_ptr_null(mh_schema_source(NULL));
    ck_assert_ptr_null(mh_schema_location(NULL));
    ck_assert_uint_eq(mh_schema_validate(NULL, src, MH_DIR_RESPONSE, NULL), 0);
    mh_spec_free(sp);
}
END_TEST

/* Runs every group of tests/data/schema/cases.json (see its first
 * description for the format). */
static void run_group(const cJSON *group, int gi)
{
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(group, "description");
    char *schema = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(group, "schema"));
    const cJSON *others = cJSON_GetObjectItemCaseSensitive(group, "others");
    char *extra = NULL;
    if (others) {
        char *o = cJSON_PrintUnformatted(others);
        extra = strdup(o + 1); /* drop the braces: members become siblings of T */
        extra[strlen(extra) - 1] = '\0';
        free(o);
    }
    mh_error err;
    mh_spec *sp = load_schemas(schema, extra, &err);
    ck_assert_msg(sp != NULL, "group %d (%s): %s", gi, desc->valuestring, err.message);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    int ti = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(group, "tests"))
    {
        const cJSON *dir = cJSON_GetObjectItemCaseSensitive(t, "direction");
        mh_direction d =
            dir && strcmp(dir->valuestring, "request") == 0 ? MH_DIR_REQUEST : MH_DIR_RESPONSE;
        size_t want = (size_t)cJSON_GetObjectItemCaseSensitive(t, "violations")->valueint;
        mh_violations v = {0};
        size_t n = mh_schema_validate(s, cJSON_GetObjectItemCaseSensitive(t, "instance"), d, &v);
        ck_assert_msg(n == want, "group %d (%s) test %d: %zu violations, expected %zu (%s %s: %s)",
                      gi, desc->valuestring, ti, n, want, n ? v.items[0].keyword : "",
                      n ? v.items[0].pointer : "", n ? v.items[0].message : "");
        const cJSON *kw = cJSON_GetObjectItemCaseSensitive(t, "keyword");
        const cJSON *ptr = cJSON_GetObjectItemCaseSensitive(t, "pointer");
        if (kw)
            ck_assert_msg(strcmp(v.items[0].keyword, kw->valuestring) == 0,
                          "group %d test %d: keyword %s, expected %s", gi, ti, v.items[0].keyword,
                          kw->valuestring);
        if (ptr)
            ck_assert_msg(strcmp(v.items[0].pointer, ptr->valuestring) == 0,
                          "group %d test %d: pointer %s, expected %s", gi, ti, v.items[0].pointer,
                          ptr->valuestring);
        mh_violations_free(&v);
        ti++;
    }
    ck_assert_int_gt(ti, 0);
    mh_spec_free(sp);
    free(schema);
    free(extra);
}

START_TEST(schema_validate_data_file_cases)
{
    size_t len;
    char *text = tu_read_file(MH_TEST_DATA "/schema/cases.json", &len);
    ck_assert_ptr_nonnull(text);
    cJSON *groups = NULL;
    mh_json_error je;
    ck_assert_msg(mh_json_parse(text, len, NULL, &groups, &je) == MH_JSON_OK,
                  "cases.json:%d:%d: %s", je.line, je.column, je.message);
    int gi = 0;
    const cJSON *g;
    cJSON_ArrayForEach(g, groups) run_group(g, gi++);
    ck_assert_int_ge(gi, 10);
    cJSON_Delete(groups);
    free(text);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("validate");
    tcase_add_loop_test(tc, schema_validate_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, schema_validate_reports_every_violation);
    tcase_add_test(tc, schema_validate_recursive_tree_ok);
    tcase_add_test(tc, schema_validate_mutual_recursion_ok);
    tcase_add_test(tc, schema_validate_oneof_message_names_branches);
    tcase_add_test(tc, schema_validate_count_only_without_list);
    tcase_add_test(tc, schema_validate_deep_instance_pointer);
    tcase_add_loop_test(tc, schema_validate_bundled_spec, 0,
                        (int)(sizeof bundled / sizeof bundled[0]));
    tcase_add_test(tc, schema_validate_concurrent_ok);
    tcase_add_loop_test(tc, schema_compile_bad_schema_fails, 0,
                        (int)(sizeof bad_schemas / sizeof bad_schemas[0]));
    tcase_add_test(tc, schema_violations_add_copies);
    tcase_add_test(tc, schema_violation_texts_whole);
    tcase_add_test(tc, schema_validate_catastrophic_pattern_bounded);
    tcase_add_test(tc, schema_validate_depth_guard);
    tcase_add_test(tc, schema_validate_many_documents_fast);
    tcase_add_test(tc, schema_validate_enum_message_bounded);
    tcase_add_test(tc, schema_location_and_source);
    tcase_add_test(tc, schema_validate_data_file_cases);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
