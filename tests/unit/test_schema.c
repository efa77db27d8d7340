/* test_schema.c — the Schema Object validator, keyword by keyword: OpenAPI
 * 3.0 (the first part) and OpenAPI 3.1 = JSON Schema 2020-12 (the second),
 * and the load-time warnings for keywords it does not check. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manta/json_strict.h"
#include "manta/schema.h"
#include "manta/spec.h"
#include "schema/schema_int.h"
#include "testutil.h"
#include "tu_tmp.h"

/* Wraps schema JSON text as components/schemas/T (plus optional other
 * schemas, "extra" is inserted as more members) in a minimal spec of the
 * given OpenAPI version. */
static mh_spec *load_version(const char *version, const char *schema, const char *extra,
                             mh_error *err)
{
    const char *fmt = "{\"openapi\":\"%s\",\"info\":{\"title\":\"t\",\"version\":\"1\"},"
                      "\"paths\":{},\"components\":{\"schemas\":{\"T\":%s%s%s}}}";
    size_t n = strlen(fmt) + strlen(version) + strlen(schema) + (extra ? strlen(extra) : 0) + 8;
    char *doc = malloc(n);
    ck_assert_ptr_nonnull(doc);
    snprintf(doc, n, fmt, version, schema, extra ? "," : "", extra ? extra : "");
    mh_spec *sp = NULL;
    mh_spec_load_buffer(doc, strlen(doc), "inline", &sp, err);
    free(doc);
    return sp;
}

static mh_spec *load_schemas(const char *schema, const char *extra, mh_error *err)
{
    return load_version("3.0.3", schema, extra, err);
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
    /* 3.0 stays 3.0: a type list is a union (without null), 3.1-only
     * keywords are not checked (a load-time warning says so) */
    {"{\"type\":[\"string\",\"integer\"]}", "1", RSP, 0, NULL, NULL},
    {"{\"type\":[\"string\",\"integer\"]}", "true", RSP, 1, "type", ""},
    {"{\"type\":[\"string\",\"integer\"]}", "null", RSP, 1, "type", ""},
    {"{\"const\":\"a\"}", "\"b\"", RSP, 0, NULL, NULL},
    {"{\"prefixItems\":[{\"type\":\"integer\"}]}", "[\"a\"]", RSP, 0, NULL, NULL},
    {"{\"type\":\"string\",\"nullable\":true,\"not\":{\"type\":\"string\"}}", "null", RSP, 0, NULL,
     NULL},
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
    /* 3.0 has no null type, no numeric exclusive bounds, no boolean schemas */
    {"{\"type\":[\"string\",\"null\"]}", MH_ERR_SPEC, "/components/schemas/T/type"},
    {"{\"exclusiveMinimum\":5}", MH_ERR_SPEC, "/components/schemas/T/exclusiveMinimum"},
    {"{\"properties\":{\"a\":false}}", MH_ERR_SPEC, "/components/schemas/T/properties/a"},
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

/* ---- OpenAPI 3.1 (JSON Schema 2020-12) ---------------------------------- */

/* A 3.1 case: T = schema, plus the members of extra (NULL for none) as more
 * components/schemas entries. */
typedef struct {
    const char *schema;
    const char *extra;
    const char *instance;
    size_t count;
    const char *keyword; /* first violation's keyword, NULL when count == 0 */
    const char *pointer; /* first violation's pointer */
} vcase31;

#define BASE_STR "\"Base\":{\"type\":\"string\",\"minLength\":2}"

static const vcase31 cases31[] = {
    /* type lists and "null" */
    {"{\"type\":[\"string\",\"null\"]}", NULL, "null", 0, NULL, NULL},
    {"{\"type\":[\"string\",\"null\"]}", NULL, "\"a\"", 0, NULL, NULL},
    {"{\"type\":[\"string\",\"null\"]}", NULL, "1", 1, "type", ""},
    {"{\"type\":\"null\"}", NULL, "null", 0, NULL, NULL},
    {"{\"type\":\"null\"}", NULL, "0", 1, "type", ""},
    {"{\"type\":\"string\"}", NULL, "null", 1, "type", ""},
    {"{\"type\":[\"string\",\"null\"],\"minLength\":2}", NULL, "null", 0, NULL, NULL},
    {"{\"type\":[\"string\",\"null\"],\"minLength\":2}", NULL, "\"a\"", 1, "minLength", ""},
    {"{\"type\":[\"string\",\"null\"],\"enum\":[\"a\"]}", NULL, "null", 1, "enum", ""},
    /* unlike 3.0's nullable, null still meets the applicators */
    {"{\"type\":[\"string\",\"null\"],\"not\":{\"type\":\"null\"}}", NULL, "null", 1, "not", ""},
    {"{\"type\":[\"string\",\"null\"],\"not\":{\"type\":\"null\"}}", NULL, "\"a\"", 0, NULL, NULL},
    /* const */
    {"{\"const\":\"a\"}", NULL, "\"a\"", 0, NULL, NULL},
    {"{\"const\":\"a\"}", NULL, "\"b\"", 1, "const", ""},
    {"{\"const\":null}", NULL, "null", 0, NULL, NULL},
    {"{\"const\":null}", NULL, "0", 1, "const", ""},
    {"{\"const\":1}", NULL, "1.0", 0, NULL, NULL},
    {"{\"const\":{\"a\":[1]}}", NULL, "{\"a\":[true]}", 1, "const", ""},
    /* numeric exclusiveMinimum / exclusiveMaximum */
    {"{\"exclusiveMinimum\":5}", NULL, "5", 1, "exclusiveMinimum", ""},
    {"{\"exclusiveMinimum\":5}", NULL, "5.1", 0, NULL, NULL},
    {"{\"exclusiveMinimum\":5}", NULL, "\"1\"", 0, NULL, NULL},
    {"{\"exclusiveMaximum\":5}", NULL, "5", 1, "exclusiveMaximum", ""},
    {"{\"exclusiveMaximum\":5}", NULL, "4", 0, NULL, NULL},
    {"{\"minimum\":1,\"exclusiveMinimum\":true}", NULL, "1", 1, "minimum", ""},
    {"{\"minimum\":1,\"exclusiveMinimum\":true}", NULL, "2", 0, NULL, NULL},
    /* $ref beside other keywords: both apply */
    {"{\"$ref\":\"#/components/schemas/Base\",\"maxLength\":3}", BASE_STR, "\"ab\"", 0, NULL, NULL},
    {"{\"$ref\":\"#/components/schemas/Base\",\"maxLength\":3}", BASE_STR, "\"a\"", 1, "minLength",
     ""},
    {"{\"$ref\":\"#/components/schemas/Base\",\"maxLength\":3}", BASE_STR, "\"abcd\"", 1,
     "maxLength", ""},
    {"{\"$ref\":\"#/components/schemas/Base\",\"description\":\"d\"}", BASE_STR, "\"a\"", 1,
     "minLength", ""},
    {"{\"properties\":{\"id\":{\"$ref\":\"#/components/schemas/Base\",\"readOnly\":true}}}",
     BASE_STR, "{\"id\":\"ab\"}", 1, "readOnly", "/id"},
    /* $defs */
    {"{\"$defs\":{\"pos\":{\"minimum\":0}},\"properties\":{\"a\":{\"$ref\":\"#/components/schemas/"
     "T/"
     "$defs/pos\"}}}",
     NULL, "{\"a\":-1}", 1, "minimum", "/a"},
    {"{\"$defs\":{\"pos\":{\"minimum\":0}},\"properties\":{\"a\":{\"$ref\":\"#/components/schemas/"
     "T/"
     "$defs/pos\"}}}",
     NULL, "{\"a\":1}", 0, NULL, NULL},
    /* prefixItems, then items for the rest */
    {"{\"prefixItems\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}", NULL, "[1,\"a\",true]", 0,
     NULL, NULL},
    {"{\"prefixItems\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}", NULL, "[\"a\"]", 1, "type",
     "/0"},
    {"{\"prefixItems\":[{\"type\":\"integer\"}],\"items\":{\"type\":\"string\"}}", NULL,
     "[1,\"a\",\"b\"]", 0, NULL, NULL},
    {"{\"prefixItems\":[{\"type\":\"integer\"}],\"items\":{\"type\":\"string\"}}", NULL, "[1,2]", 1,
     "type", "/1"},
    {"{\"prefixItems\":[{}],\"items\":false}", NULL, "[1,2]", 1, "false", "/1"},
    {"{\"prefixItems\":[{}],\"items\":false}", NULL, "[1]", 0, NULL, NULL},
    {"{\"items\":{\"type\":\"integer\"}}", NULL, "[1,\"x\"]", 1, "type", "/1"},
    /* dependentRequired */
    {"{\"dependentRequired\":{\"a\":[\"b\"]}}", NULL, "{\"a\":1}", 1, "dependentRequired", ""},
    {"{\"dependentRequired\":{\"a\":[\"b\"]}}", NULL, "{\"a\":1,\"b\":2}", 0, NULL, NULL},
    {"{\"dependentRequired\":{\"a\":[\"b\"]}}", NULL, "{\"b\":1}", 0, NULL, NULL},
    /* examples: an annotation */
    {"{\"type\":\"integer\",\"examples\":[\"x\"]}", NULL, "1", 0, NULL, NULL},
    {"{\"type\":\"integer\",\"examples\":[\"x\"]}", NULL, "\"x\"", 1, "type", ""},
    /* boolean schemas */
    {"true", NULL, "{\"a\":[1]}", 0, NULL, NULL},
    {"false", NULL, "1", 1, "false", ""},
    {"{\"properties\":{\"a\":false}}", NULL, "{\"a\":1}", 1, "false", "/a"},
    {"{\"properties\":{\"a\":false}}", NULL, "{}", 0, NULL, NULL},
    {"{\"not\":true}", NULL, "1", 1, "not", ""},
    /* contains, minContains, maxContains */
    {"{\"contains\":{\"type\":\"integer\"}}", NULL, "[\"a\",1]", 0, NULL, NULL},
    {"{\"contains\":{\"type\":\"integer\"}}", NULL, "[\"a\"]", 1, "contains", ""},
    {"{\"contains\":{\"type\":\"integer\"}}", NULL, "[]", 1, "contains", ""},
    {"{\"contains\":{\"type\":\"integer\"}}", NULL, "{}", 0, NULL, NULL},
    {"{\"contains\":{\"type\":\"integer\"},\"minContains\":2,\"maxContains\":3}", NULL, "[1]", 1,
     "minContains", ""},
    {"{\"contains\":{\"type\":\"integer\"},\"minContains\":2,\"maxContains\":3}", NULL, "[1,2,3,4]",
     1, "maxContains", ""},
    {"{\"contains\":{\"type\":\"integer\"},\"minContains\":2,\"maxContains\":3}", NULL,
     "[1,\"a\",2]", 0, NULL, NULL},
    {"{\"contains\":{\"type\":\"integer\"},\"minContains\":0}", NULL, "[]", 0, NULL, NULL},
    /* propertyNames */
    {"{\"propertyNames\":{\"maxLength\":3}}", NULL, "{\"abcd\":1}", 1, "maxLength", "/abcd"},
    {"{\"propertyNames\":{\"maxLength\":3}}", NULL, "{\"abc\":1}", 0, NULL, NULL},
    {"{\"propertyNames\":{\"pattern\":\"^[a-z]+$\"}}", NULL, "{\"a1\":1}", 1, "pattern", "/a1"},
    /* patternProperties, with additionalProperties for what matches neither */
    {"{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}", NULL,
     "{\"x-a\":\"s\"}", 0, NULL, NULL},
    {"{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}", NULL,
     "{\"x-a\":1}", 1, "type", "/x-a"},
    {"{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}", NULL,
     "{\"y\":1}", 1, "additionalProperties", "/y"},
    {"{\"properties\":{\"a\":{}},\"patternProperties\":{\"^b\":{}},\"additionalProperties\":{"
     "\"type\":\"integer\"}}",
     NULL, "{\"a\":\"s\",\"b1\":\"s\",\"c\":1}", 0, NULL, NULL},
    {"{\"properties\":{\"a\":{}},\"patternProperties\":{\"^b\":{}},\"additionalProperties\":{"
     "\"type\":\"integer\"}}",
     NULL, "{\"c\":\"s\"}", 1, "type", "/c"},
    {"{\"patternProperties\":{\"^\\\\p{Letter}+$\":{\"type\":\"number\"}}}", NULL, "{\"ab\":\"x\"}",
     1, "type", "/ab"},
    /* dependentSchemas */
    {"{\"dependentSchemas\":{\"a\":{\"required\":[\"b\"]}}}", NULL, "{\"a\":1}", 1, "required", ""},
    {"{\"dependentSchemas\":{\"a\":{\"required\":[\"b\"]}}}", NULL, "{\"a\":1,\"b\":1}", 0, NULL,
     NULL},
    {"{\"dependentSchemas\":{\"a\":{\"required\":[\"b\"]}}}", NULL, "{}", 0, NULL, NULL},
    /* if / then / else */
    {"{\"if\":{\"type\":\"integer\"},\"then\":{\"minimum\":0},\"else\":{\"type\":\"string\"}}",
     NULL, "-1", 1, "minimum", ""},
    {"{\"if\":{\"type\":\"integer\"},\"then\":{\"minimum\":0},\"else\":{\"type\":\"string\"}}",
     NULL, "1", 0, NULL, NULL},
    {"{\"if\":{\"type\":\"integer\"},\"then\":{\"minimum\":0},\"else\":{\"type\":\"string\"}}",
     NULL, "\"s\"", 0, NULL, NULL},
    {"{\"if\":{\"type\":\"integer\"},\"then\":{\"minimum\":0},\"else\":{\"type\":\"string\"}}",
     NULL, "true", 1, "type", ""},
    {"{\"then\":{\"minimum\":0}}", NULL, "-1", 0, NULL, NULL},
};

START_TEST(schema31_validate_table)
{
    const vcase31 *c = &cases31[_i];
    mh_error err;
    mh_spec *sp = load_version("3.1.0", c->schema, c->extra, &err);
    ck_assert_msg(sp != NULL, "case %d: schema %s did not load: %s (at %s)", _i, c->schema,
                  err.message, err.pointer);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    ck_assert_ptr_nonnull(s);
    cJSON *inst = parse(c->instance);
    mh_violations v = {0};
    size_t n = mh_schema_validate(s, inst, MH_DIR_REQUEST, &v);
    ck_assert_msg(n == c->count && v.count == c->count,
                  "case %d: schema %s instance %s: expected %zu violations, got %zu (%s %s: %s)",
                  _i, c->schema, c->instance, c->count, n, n ? v.items[0].keyword : "",
                  n ? v.items[0].pointer : "", n ? v.items[0].message : "");
    if (c->count) {
        ck_assert_msg(strcmp(v.items[0].keyword, c->keyword) == 0,
                      "case %d: keyword %s, expected %s", _i, v.items[0].keyword, c->keyword);
        ck_assert_msg(strcmp(v.items[0].pointer, c->pointer) == 0,
                      "case %d: pointer \"%s\", expected \"%s\"", _i, v.items[0].pointer,
                      c->pointer);
        ck_assert(v.items[0].message[0] != '\0');
    }
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

static const bad_schema bad_schemas31[] = {
    {"{\"type\":\"nul\"}", MH_ERR_SPEC, "/components/schemas/T/type"},
    {"{\"type\":[]}", MH_ERR_SPEC, "/components/schemas/T/type"},
    {"{\"exclusiveMinimum\":\"5\"}", MH_ERR_SPEC, "/components/schemas/T/exclusiveMinimum"},
    {"{\"items\":[{}]}", MH_ERR_SPEC, "/components/schemas/T/items"},
    {"{\"prefixItems\":[]}", MH_ERR_SPEC, "/components/schemas/T/prefixItems"},
    {"{\"patternProperties\":{\"(\":{}}}", MH_ERR_SPEC,
     "/components/schemas/T/patternProperties/("},
    {"{\"dependentRequired\":{\"a\":[1]}}", MH_ERR_SPEC,
     "/components/schemas/T/dependentRequired/a"},
    {"{\"contains\":{},\"minContains\":-1}", MH_ERR_SPEC, "/components/schemas/T/minContains"},
    {"{\"properties\":{\"a\":5}}", MH_ERR_SPEC, "/components/schemas/T/properties/a"},
    /* a $ref beside keywords that leads back to itself never descends */
    {"{\"$ref\":\"#/components/schemas/T\",\"minimum\":1}", MH_ERR_REF, "/components/schemas/T"},
    {"{\"if\":{\"$ref\":\"#/components/schemas/T\"}}", MH_ERR_REF, ""},
    {"{\"dependentSchemas\":{\"a\":{\"$ref\":\"#/components/schemas/T\"}}}", MH_ERR_REF, ""},
};

START_TEST(schema31_compile_bad_schema_fails)
{
    const bad_schema *b = &bad_schemas31[_i];
    mh_error err;
    mh_spec *sp = load_version("3.1.0", b->schema, NULL, &err);
    ck_assert_msg(sp == NULL, "%s compiled", b->schema);
    ck_assert_msg(err.code == b->code, "%s: %s (%s)", b->schema, mh_status_name(err.code),
                  err.message);
    if (b->pointer[0])
        ck_assert_str_eq(err.pointer, b->pointer);
    else
        ck_assert(err.pointer[0] == '/');
}
END_TEST

/* Recursion through descending keywords stays fine in 3.1 (a tree whose
 * children are $refs beside other keywords). */
START_TEST(schema31_validate_recursive_tree_ok)
{
    mh_error err;
    mh_spec *sp = load_version(
        "3.1.0",
        "{\"type\":\"object\",\"properties\":{\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":"
        "\"#/components/schemas/"
        "T\",\"required\":[\"v\"]}},\"v\":{\"type\":[\"integer\",\"null\"]}}}",
        NULL, &err);
    ck_assert_msg(sp != NULL, "%s", err.message);
    const mh_schema *s = mh_spec_schema(sp, "T", &err);
    cJSON *ok = parse("{\"kids\":[{\"v\":1,\"kids\":[{\"v\":null}]}]}");
    cJSON *bad = parse("{\"kids\":[{\"v\":1,\"kids\":[{\"kids\":[]}]}]}");
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(s, ok, MH_DIR_RESPONSE, &v), 0);
    ck_assert_uint_eq(mh_schema_validate(s, bad, MH_DIR_RESPONSE, &v), 1);
    ck_assert_str_eq(v.items[0].keyword, "required");
    ck_assert_str_eq(v.items[0].pointer, "/kids/0/kids/0");
    mh_violations_free(&v);
    cJSON_Delete(ok);
    cJSON_Delete(bad);
    mh_spec_free(sp);
}
END_TEST

/* A $ref with only annotations beside it is a plain reference: the schema
 * is the target's (what the case generator walks); with a keyword beside it
 * the reference is one more schema, so the source is the referring object. */
START_TEST(schema31_ref_source)
{
    mh_error err;
    mh_spec *sp = load_version("3.1.0",
                               "{\"properties\":{\"a\":{\"$ref\":\"#/components/schemas/Base\","
                               "\"description\":\"d\"},\"b\":{\"$ref\":\"#/components/schemas/"
                               "Base\",\"maxLength\":3}}}",
                               BASE_STR, &err);
    ck_assert_msg(sp != NULL, "%s", err.message);
    const mh_schema *base = mh_spec_schema(sp, "Base", &err);
    const mh_schema *t = mh_spec_schema(sp, "T", &err);
    ck_assert_uint_eq(t->nprops, 2);
    ck_assert_ptr_eq(t->props[0].schema, base); /* a plain reference: shared */
    ck_assert_ptr_ne(t->props[1].schema, base);
    ck_assert_ptr_nonnull(
        cJSON_GetObjectItemCaseSensitive(mh_schema_source(t->props[1].schema), "maxLength"));
    cJSON *inst = parse("{\"a\":\"x\",\"b\":\"xxxx\"}");
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(t, inst, MH_DIR_RESPONSE, &v), 2);
    ck_assert_ptr_nonnull(find_violation(&v, "minLength", "/a"));
    ck_assert_ptr_nonnull(find_violation(&v, "maxLength", "/b"));
    ck_assert_str_eq(mh_schema_location(base), "/components/schemas/Base");
    mh_violations_free(&v);
    cJSON_Delete(inst);
    mh_spec_free(sp);
}
END_TEST

/* ---- load-time warnings ------------------------------------------------ */

/* The i-th warning's pointer, failing the test when there is none. */
static const char *warning_pointer(const mh_spec *sp, size_t i, const char **msg)
{
    const char *ptr = NULL, *file = (const char *)1;
    const char *m = mh_spec_warning(sp, i, &ptr, &file);
    ck_assert_msg(m != NULL, "no warning %zu", i);
    ck_assert_ptr_null(file);
    if (msg)
        *msg = m;
    return ptr;
}

START_TEST(schema31_unsupported_keyword_warns)
{
    mh_error err;
    mh_spec *sp =
        load_version("3.1.0",
                     "{\"type\":\"object\",\"properties\":{\"a\":{\"unevaluatedItems\":false}},"
                     "\"unevaluatedProperties\":false}",
                     NULL, &err);
    ck_assert_msg(sp != NULL, "%s", err.message); /* loads: a warning, not a failure */
    ck_assert_uint_eq(mh_spec_warning_count(sp), 2);
    const char *msg;
    ck_assert_str_eq(warning_pointer(sp, 0, &msg), "/components/schemas/T/unevaluatedProperties");
    ck_assert_ptr_nonnull(strstr(msg, "unevaluatedProperties"));
    ck_assert_ptr_nonnull(strstr(msg, "not checked"));
    ck_assert_str_eq(warning_pointer(sp, 1, NULL),
                     "/components/schemas/T/properties/a/unevaluatedItems");
    ck_assert_ptr_null(mh_spec_warning(sp, 2, NULL, NULL));
    /* Asking for the schema again compiles nothing new: still said once. */
    ck_assert_ptr_nonnull(mh_spec_schema(sp, "T", &err));
    ck_assert_uint_eq(mh_spec_warning_count(sp), 2);
    mh_spec_free(sp);
}
END_TEST

/* One warning per keyword found, in the order found, however often the
 * schema holding it is referenced. */
START_TEST(schema31_warning_once_per_schema)
{
    mh_error err;
    mh_spec *sp = load_version("3.1.0",
                               "{\"allOf\":[{\"$ref\":\"#/components/schemas/U\"}],\"properties\":{"
                               "\"a\":{\"$ref\":\"#/components/schemas/U\"},\"b\":{\"items\":{"
                               "\"$ref\":\"#/components/schemas/U\"}}}}",
                               "\"U\":{\"$dynamicRef\":\"#x\"}", &err);
    ck_assert_msg(sp != NULL, "%s", err.message);
    ck_assert_uint_eq(mh_spec_warning_count(sp), 1);
    ck_assert_str_eq(warning_pointer(sp, 0, NULL), "/components/schemas/U/$dynamicRef");
    mh_spec_free(sp);
}
END_TEST

typedef struct {
    const char *version;
    const char *schema;
    const char *pointer; /* the one warning's pointer; NULL: no warning */
    const char *says;    /* in its message */
} warn_case;

static const warn_case warn_cases[] = {
    /* annotations and extensions are never warnings */
    {"3.1.0",
     "{\"title\":\"t\",\"description\":\"d\",\"default\":1,\"examples\":[1],\"example\":1,"
     "\"deprecated\":true,\"$comment\":\"c\",\"xml\":{},\"externalDocs\":{},\"discriminator\":{"
     "\"propertyName\":\"k\"},\"readOnly\":true,\"contentMediaType\":\"text/plain\",\"x-a\":1,"
     "\"format\":\"no-such-format\",\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
     "\"$defs\":{}}",
     NULL, NULL},
    {"3.1.0", "{\"$schema\":\"https://spec.openapis.org/oas/3.1/dialect/base\"}", NULL, NULL},
    {"3.1.0",
     "{\"properties\":{\"a\":{\"$ref\":\"#/components/schemas/T\",\"summary\":\"s\","
     "\"description\":\"d\"}}}",
     NULL, NULL},
    {"3.0.3",
     "{\"title\":\"t\",\"description\":\"d\",\"default\":1,\"example\":1,\"deprecated\":true,"
     "\"xml\":{},\"externalDocs\":{},\"discriminator\":{\"propertyName\":\"k\"},\"writeOnly\":"
     "true,\"nullable\":true,\"x-a\":1,\"format\":\"no-such-format\"}",
     NULL, NULL},
    /* keywords not checked */
    {"3.1.0", "{\"unevaluatedItems\":false}", "/components/schemas/T/unevaluatedItems",
     "not supported"},
    {"3.1.0", "{\"$id\":\"https://example.com/s\"}", "/components/schemas/T/$id", "not supported"},
    {"3.1.0", "{\"$anchor\":\"a\"}", "/components/schemas/T/$anchor", "not supported"},
    {"3.1.0", "{\"type\":\"string\",\"nullable\":true}", "/components/schemas/T/nullable",
     "OpenAPI 3.0 keyword"},
    {"3.1.0", "{\"additionalItems\":false}", "/components/schemas/T/additionalItems",
     "unknown keyword"},
    {"3.1.0", "{\"$schema\":\"http://json-schema.org/draft-04/schema#\"}",
     "/components/schemas/T/$schema", "another dialect"},
    {"3.1.0", "{\"minimum\":1,\"exclusiveMinimum\":true}", "/components/schemas/T/exclusiveMinimum",
     "OpenAPI 3.0 form"},
    {"3.0.3", "{\"const\":1}", "/components/schemas/T/const", "not an OpenAPI 3.0 keyword"},
    {"3.0.3", "{\"type\":\"object\",\"patternProperties\":{}}",
     "/components/schemas/T/patternProperties", "not an OpenAPI 3.0 keyword"},
    {"3.0.3", "{\"foo\":1}", "/components/schemas/T/foo", "unknown keyword"},
    /* 3.0 ignores what is beside a $ref (annotations aside) */
    {"3.0.3",
     "{\"properties\":{\"a\":{\"$ref\":\"#/components/schemas/T\",\"maxLength\":1,"
     "\"description\":\"d\"}}}",
     "/components/schemas/T/properties/a/maxLength", "beside $ref is ignored"},
};

START_TEST(schema_warnings_table)
{
    const warn_case *w = &warn_cases[_i];
    mh_error err;
    mh_spec *sp = load_version(w->version, w->schema, NULL, &err);
    ck_assert_msg(sp != NULL, "case %d: %s did not load: %s", _i, w->schema, err.message);
    const char *msg = NULL, *ptr = NULL;
    if (mh_spec_warning_count(sp))
        ptr = warning_pointer(sp, 0, &msg);
    ck_assert_msg(mh_spec_warning_count(sp) == (w->pointer ? 1u : 0u),
                  "case %d (%s %s): %zu warnings, first %s: %s", _i, w->version, w->schema,
                  mh_spec_warning_count(sp), ptr ? ptr : "-", msg ? msg : "-");
    if (w->pointer) {
        ck_assert_str_eq(ptr, w->pointer);
        ck_assert_msg(strstr(msg, w->says) != NULL, "case %d: \"%s\" lacks \"%s\"", _i, msg,
                      w->says);
    }
    mh_spec_free(sp);
}
END_TEST

/* Warnings come from every schema the document uses, operations included,
 * and the bundled contract has none. */
START_TEST(schema_warnings_in_operations)
{
    const char *doc =
        "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{\"/x\":{"
        "\"get\":{\"responses\":{\"200\":{\"description\":\"ok\",\"content\":{\"application/json\":"
        "{\"schema\":{\"type\":\"array\",\"unevaluatedItems\":false}}}}}}}}}";
    mh_error err;
    mh_spec *sp = NULL;
    ck_assert_int_eq(mh_spec_load_buffer(doc, strlen(doc), "inline", &sp, &err), MH_OK);
    ck_assert_uint_eq(mh_spec_warning_count(sp), 1);
    ck_assert_str_eq(warning_pointer(sp, 0, NULL),
                     "/paths/~1x/get/responses/200/content/application~1json/schema/"
                     "unevaluatedItems");
    mh_spec_free(sp);
    ck_assert_int_eq(mh_spec_load(MH_TEST_SPEC, &sp, &err), MH_OK);
    ck_assert_uint_eq(mh_spec_warning_count(sp), 0);
    ck_assert_ptr_null(mh_spec_warning(sp, 0, NULL, NULL));
    mh_spec_free(sp);
}
END_TEST

/* A warning in a file a $ref pulled in names that file and the pointer in
 * it. */
START_TEST(schema_warnings_name_bundled_file)
{
    tu_tmp t;
    tu_tmp_init(&t, "schema-warn");
    FILE *f = fopen(tu_tmp_path(&t, "other.yaml"), "w");
    ck_assert_ptr_nonnull(f);
    fputs("S:\n  type: object\n  unevaluatedProperties: false\n", f);
    fclose(f);
    char main_path[300];
    snprintf(main_path, sizeof main_path, "%s", tu_tmp_path(&t, "main.yaml"));
    f = fopen(main_path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
          "components:\n  schemas:\n    A:\n      $ref: 'other.yaml#/S'\n",
          f);
    fclose(f);
    mh_error err;
    mh_spec *sp = NULL;
    ck_assert_msg(mh_spec_load(main_path, &sp, &err) == MH_OK, "%s", err.message);
    ck_assert_uint_eq(mh_spec_warning_count(sp), 1);
    const char *ptr = NULL, *file = NULL;
    ck_assert_ptr_nonnull(mh_spec_warning(sp, 0, &ptr, &file));
    ck_assert_ptr_nonnull(file);
    ck_assert_ptr_nonnull(strstr(file, "other.yaml"));
    ck_assert_str_eq(ptr, "/S/unevaluatedProperties");
    mh_spec_free(sp);
    tu_tmp_free(&t);
}
END_TEST

/* run and validate print each warning once on stderr, and the exit status
 * is what it would be without it. */
START_TEST(schema_warnings_printed_by_cli)
{
    tu_tmp t;
    tu_tmp_init(&t, "schema-cli");
    const char *spec = tu_tmp_path(&t, "spec.json");
    FILE *f = fopen(spec, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{},"
          "\"components\":{\"schemas\":{\"T\":{\"type\":\"object\",\"required\":[\"a\"],"
          "\"unevaluatedProperties\":false},\"U\":{\"$ref\":\"#/components/schemas/T\"}}}}",
          f);
    fclose(f);
    const char *line = "manta-harness validate: warning: /components/schemas/T/"
                       "unevaluatedProperties: \"unevaluatedProperties\" is not supported by the "
                       "validator: not checked\n";
    const char *ok[] = {"validate", "validate", "--spec", spec, "--schema", "U", NULL};
    const char *bad[] = {"validate", "validate", "--spec", spec, "--schema", "T", NULL};
    char *out = NULL, *errs = NULL;
    ck_assert_int_eq(tu_run_cli(ok, "{\"a\":1,\"b\":2}", &out, &errs, 30), 0);
    ck_assert_msg(strstr(errs, line) != NULL && strstr(strstr(errs, line) + 1, line) == NULL,
                  "stderr: %s", errs);
    free(out);
    free(errs);
    ck_assert_int_eq(tu_run_cli(bad, "{}", &out, &errs, 30), 1);
    ck_assert_ptr_nonnull(strstr(errs, line));
    free(out);
    free(errs);
    tu_tmp_free(&t);
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
    TCase *t31 = tcase_create("oas31");
    tcase_add_loop_test(t31, schema31_validate_table, 0, (int)(sizeof cases31 / sizeof cases31[0]));
    tcase_add_loop_test(t31, schema31_compile_bad_schema_fails, 0,
                        (int)(sizeof bad_schemas31 / sizeof bad_schemas31[0]));
    tcase_add_test(t31, schema31_validate_recursive_tree_ok);
    tcase_add_test(t31, schema31_ref_source);
    suite_add_tcase(s, t31);
    TCase *tw = tcase_create("warnings");
    tcase_add_test(tw, schema31_unsupported_keyword_warns);
    tcase_add_test(tw, schema31_warning_once_per_schema);
    tcase_add_loop_test(tw, schema_warnings_table, 0,
                        (int)(sizeof warn_cases / sizeof warn_cases[0]));
    tcase_add_test(tw, schema_warnings_in_operations);
    tcase_add_test(tw, schema_warnings_name_bundled_file);
    tcase_add_test(tw, schema_warnings_printed_by_cli);
    suite_add_tcase(s, tw);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
