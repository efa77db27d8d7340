/* test_spec.c — the OpenAPI 3.0.x/3.1.x loader: operations, $refs, errors
 * with their locations, response and media lookup; the whole-document model
 * (parameter styles, examples and content, response headers, security
 * schemes and requirements; data in tests/data/spec/model.yaml); and the
 * JSON pointers it builds and follows (util/jsonptr.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "manta/spec.h"
#include "testutil.h"
#include "util/buf.h"
#include "util/jsonptr.h"

#define SPEC_DATA MH_TEST_DATA "/spec/"

/* 1-based line of the first line containing needle in file; 0 if none. */
static int line_of(const char *file, const char *needle)
{
    char *text = tu_read_file(file, NULL);
    ck_assert_ptr_nonnull(text);
    const char *hit = strstr(text, needle);
    int line = 0;
    if (hit) {
        line = 1;
        for (const char *p = text; p < hit; p++)
            line += *p == '\n';
    }
    free(text);
    return line;
}

static mh_spec *load_ok(const char *path)
{
    mh_spec *sp = NULL;
    mh_error err;
    mh_status st = mh_spec_load(path, &sp, &err);
    char buf[1200];
    ck_assert_msg(st == MH_OK, "%s: %s", path, mh_error_format(&err, buf, sizeof buf));
    ck_assert_ptr_nonnull(sp);
    return sp;
}

static cJSON *parse(const char *text)
{
    cJSON *v = NULL;
    ck_assert_int_eq(mh_json_parse(text, strlen(text), NULL, &v, NULL), MH_JSON_OK);
    return v;
}

static size_t violations_of(const mh_schema *s, const char *text, mh_direction dir)
{
    cJSON *v = parse(text);
    size_t n = mh_schema_validate(s, v, dir, NULL);
    cJSON_Delete(v);
    return n;
}

START_TEST(spec_load_bundled_ok)
{
    mh_spec *sp = load_ok(MH_TEST_SPEC);
    ck_assert_str_eq(mh_spec_name(sp), MH_TEST_SPEC);
    ck_assert_ptr_nonnull(mh_spec_document(sp));
    ck_assert_str_eq(mh_spec_server_url(sp), "https://mantago.cc/api");
    ck_assert_uint_eq(mh_spec_operation_count(sp), 1);
    ck_assert_ptr_null(mh_spec_operation(sp, 1));
    const mh_operation *op = mh_spec_operation(sp, 0);
    ck_assert_str_eq(op->method, "POST");
    ck_assert_str_eq(op->path, "/openapi/personalTag");
    ck_assert_str_eq(op->id, "POST /openapi/personalTag");
    ck_assert_ptr_null(op->operation_id);
    ck_assert_int_eq(op->path_line, line_of(MH_TEST_SPEC, "\"/openapi/personalTag\""));
    ck_assert_int_gt(op->path_line, 1);
    ck_assert_int_eq(op->bearer_auth, 1);
    ck_assert_uint_eq(op->param_count, 1);
    ck_assert_str_eq(op->params[0].name, "botId");
    ck_assert_str_eq(op->params[0].in, "query");
    ck_assert_int_eq(op->params[0].required, 1);
    ck_assert_ptr_nonnull(op->params[0].schema);
    ck_assert_int_eq(op->body_required, 1);
    ck_assert_uint_eq(op->body_count, 1);
    ck_assert_str_eq(op->body[0].media_type, "application/json");
    ck_assert_str_eq(mh_schema_location(op->body[0].schema),
                     "/components/schemas/CreatePersonalTagRequest");
    ck_assert_uint_eq(op->response_count, 6);
    const char *codes[] = {"200", "401", "403", "404", "429", "500"};
    for (size_t i = 0; i < 6; i++)
        ck_assert_str_eq(op->responses[i].status, codes[i]);
    ck_assert_str_eq(mh_spec_path_methods(sp, "/openapi/personalTag"), "POST");
    ck_assert_ptr_null(mh_spec_path_methods(sp, "/nope"));
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_load_bundled_response_refs_resolve)
{
    mh_spec *sp = load_ok(MH_TEST_SPEC);
    const mh_operation *op = mh_spec_find_operation(sp, "POST /openapi/personalTag", NULL);
    ck_assert_ptr_nonnull(op);
    mh_error err;
    const mh_schema *error_schema = mh_spec_schema(sp, "ErrorResponse", &err);
    const mh_schema *ok_schema = mh_spec_schema(sp, "BasicSuccessResponse", &err);
    ck_assert_ptr_nonnull(error_schema);

    const mh_response *r401 = mh_operation_response(op, 401);
    ck_assert_ptr_nonnull(r401);
    ck_assert_str_eq(r401->status, "401");
    ck_assert_str_eq(r401->description, "JWT token is invalid or expired");
    ck_assert_uint_eq(r401->media_count, 1);
    /* compiled once: every use of ErrorResponse is the same node */
    ck_assert_ptr_eq(r401->media[0].schema, error_schema);
    ck_assert_str_eq(mh_schema_location(r401->media[0].schema),
                     "/components/schemas/ErrorResponse");
    ck_assert_ptr_eq(mh_operation_response(op, 403)->media[0].schema, error_schema);
    ck_assert_ptr_eq(mh_operation_response(op, 429)->media[0].schema, error_schema);
    ck_assert_ptr_eq(mh_operation_response(op, 500)->media[0].schema, error_schema);
    ck_assert_ptr_eq(mh_operation_response(op, 200)->media[0].schema, ok_schema);
    ck_assert_ptr_eq(
        mh_schema_source(error_schema),
        mh_spec_deref(sp,
                      cJSON_GetObjectItemCaseSensitive(
                          cJSON_GetObjectItemCaseSensitive(
                              cJSON_GetObjectItemCaseSensitive(mh_spec_document(sp), "components"),
                              "schemas"),
                          "ErrorResponse")));
    /* no default and no range: undeclared codes have no response */
    ck_assert_ptr_null(mh_operation_response(op, 402));
    ck_assert_ptr_null(mh_operation_response(op, 201));
    mh_spec_free(sp);
}
END_TEST

typedef struct {
    const char *file; /* under tests/data/spec/ */
    mh_status code;
    const char *pointer; /* expected err.pointer */
    const char *needle;  /* must appear in the message */
    int line, column;    /* for JSON errors; 0 = not checked */
} load_error_case;

static const load_error_case load_errors[] = {
    {"does-not-exist.json", MH_ERR_IO, "", "No such file", 0, 0},
    {"", MH_ERR_IO, "", "Is a directory", 0, 0},
    {"invalid_json.json", MH_ERR_JSON, "", "trailing_comma", 4, 13},
    {"swagger2.json", MH_ERR_SPEC, "/swagger", "Swagger 2.0 document", 0, 0},
    {"openapi40.json", MH_ERR_SPEC, "/openapi", "\"4.0.0\": need 3.0.x or 3.1.x", 0, 0},
    {"openapi40.yaml", MH_ERR_SPEC, "/openapi", "\"4.0.0\": need 3.0.x or 3.1.x", 0, 0},
    {"invalid_yaml.yaml", MH_ERR_YAML, "", "invalid YAML", 4, 1},
    {"no_paths.json", MH_ERR_SPEC, "/paths", "paths", 0, 0},
    {"dangling_ref.json", MH_ERR_REF,
     "/paths/~1things/post/responses/200/content/application~1json/schema/$ref",
     "\"#/components/schemas/Missing\"", 0, 0},
    {"dangling_response_ref.json", MH_ERR_REF, "/paths/~1things/post/responses/401/$ref",
     "\"#/components/responses/Nope\"", 0, 0},
    {"remote_ref.json", MH_ERR_REF, "/components/schemas/A/$ref", "is not fetched", 0, 0},
    {"missing_file_ref.json", MH_ERR_REF, "/components/schemas/A/$ref", "cannot be read", 0, 0},
    {"ref_cycle.json", MH_ERR_REF, "/components/schemas/A/$ref", "cycle", 0, 0},
    {"allof_cycle.json", MH_ERR_REF, "/components/schemas/A", "#/components/schemas/A", 0, 0},
    {"bad_pattern.json", MH_ERR_SPEC, "/components/schemas/Tag/properties/name/pattern",
     "invalid pattern", 0, 0},
    {"bad_escape.json", MH_ERR_REF, "/components/schemas/User/$ref", "m~2n", 0, 0},
};

START_TEST(spec_load_error_located)
{
    const load_error_case *c = &load_errors[_i];
    char path[512];
    snprintf(path, sizeof path, "%s%s", SPEC_DATA, c->file);
    mh_spec *sp = (mh_spec *)1;
    mh_error err;
    mh_status st = mh_spec_load(path, &sp, &err);
    char line[1200];
    mh_error_format(&err, line, sizeof line);
    ck_assert_msg(st == c->code && err.code == c->code, "%s: got %s: %s", c->file,
                  mh_status_name(st), line);
    ck_assert_ptr_null(sp);
    ck_assert_str_eq(err.file, path);
    ck_assert_msg(strcmp(err.pointer, c->pointer) == 0, "%s: pointer %s, expected %s", c->file,
                  err.pointer, c->pointer);
    ck_assert_msg(strstr(err.message, c->needle) != NULL, "%s: message \"%s\" lacks \"%s\"",
                  c->file, err.message, c->needle);
    ck_assert_ptr_null(strchr(line, '\n'));
    ck_assert_ptr_nonnull(strstr(line, path));
    if (c->line) {
        ck_assert_int_eq(err.line, c->line);
        ck_assert_int_eq(err.column, c->column);
        ck_assert_int_ge(err.offset, 0);
    }
}
END_TEST

START_TEST(spec_load_buffer_uses_name_and_length)
{
    /* valid document followed by bytes past len that must be ignored */
    const char *text = "{\"openapi\":\"3.0.0\",\"paths\":{}}GARBAGE";
    mh_spec *sp = NULL;
    mh_error err;
    ck_assert_int_eq(mh_spec_load_buffer(text, strlen(text) - 7, "mem.json", &sp, &err), MH_OK);
    ck_assert_str_eq(mh_spec_name(sp), "mem.json");
    ck_assert_uint_eq(mh_spec_operation_count(sp), 0);
    ck_assert_ptr_null(mh_spec_server_url(sp));
    mh_spec_free(sp);
    ck_assert_int_eq(mh_spec_load_buffer(text, strlen(text), "mem.json", &sp, &err), MH_ERR_JSON);
    ck_assert_ptr_null(sp);
    ck_assert_str_eq(err.file, "mem.json");
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.column, 31);
    ck_assert_ptr_nonnull(strstr(err.message, "trailing_data"));
    ck_assert_int_eq(mh_spec_load_buffer("[]", 2, "arr.json", &sp, &err), MH_ERR_SPEC);
    ck_assert_int_eq(mh_spec_load_buffer("{\"openapi\":3}", 13, "n.json", &sp, &err), MH_ERR_SPEC);
    ck_assert_str_eq(err.pointer, "/openapi");
    ck_assert_int_eq(
        mh_spec_load_buffer("{\"openapi\":\"3.0.x\",\"paths\":{}}", 30, "x.json", &sp, &err),
        MH_ERR_SPEC);
    mh_spec_free(NULL);
}
END_TEST

START_TEST(spec_find_operation_unknown_lists_known)
{
    mh_spec *sp = load_ok(MH_TEST_SPEC);
    mh_error err;
    mh_error_clear(&err);
    ck_assert_ptr_nonnull(mh_spec_find_operation(sp, "post /openapi/personalTag", &err));
    ck_assert_ptr_null(mh_spec_find_operation(sp, "POST /openapi/personaltag", &err));
    ck_assert_int_eq(err.code, MH_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "\"POST /openapi/personaltag\""));
    ck_assert_ptr_nonnull(strstr(err.message, "POST /openapi/personalTag"));
    ck_assert_ptr_null(mh_spec_find_operation(sp, "GET /openapi/personalTag", &err));
    ck_assert_ptr_null(mh_spec_find_operation(sp, "nonsense", &err));
    ck_assert_ptr_null(mh_spec_find_operation(sp, "", NULL));
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_schema_unknown_lists_known)
{
    mh_spec *sp = load_ok(MH_TEST_SPEC);
    mh_error err;
    ck_assert_ptr_null(mh_spec_schema(sp, "Nope", &err));
    ck_assert_int_eq(err.code, MH_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "\"Nope\""));
    ck_assert_ptr_nonnull(strstr(err.message, "ErrorResponse"));
    ck_assert_str_eq(err.pointer, "/components/schemas/Nope");
    /* lookup is exact */
    ck_assert_ptr_null(mh_spec_schema(sp, "errorresponse", NULL));
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_refs_pointer_escapes_resolve)
{
    mh_spec *sp = load_ok(SPEC_DATA "escapes.json");
    mh_error err;
    const mh_schema *slash = mh_spec_schema(sp, "a/b", &err);
    ck_assert_ptr_nonnull(slash);
    ck_assert_str_eq(mh_schema_location(slash), "/components/schemas/a~1b");
    ck_assert_str_eq(mh_schema_location(mh_spec_schema(sp, "m~n", &err)),
                     "/components/schemas/m~0n");
    const mh_schema *h = mh_spec_schema(sp, "Holder", &err);
    ck_assert_ptr_nonnull(h);
    ck_assert_uint_eq(violations_of(h,
                                    "{\"slash\":1,\"tilde\":\"t\",\"space\":true,\"deep\":2,"
                                    "\"item\":\"ab\"}",
                                    MH_DIR_RESPONSE),
                      0);
    ck_assert_uint_eq(violations_of(h,
                                    "{\"slash\":\"1\",\"tilde\":1,\"space\":0,\"deep\":2.5,"
                                    "\"item\":\"a\"}",
                                    MH_DIR_RESPONSE),
                      5);
    /* the raw-node deref follows the same pointers */
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(mh_schema_source(h), "properties");
    const cJSON *space = mh_spec_deref(sp, cJSON_GetObjectItemCaseSensitive(props, "space"));
    ck_assert_ptr_eq(space, mh_schema_source(mh_spec_schema(sp, "with space", &err)));
    const cJSON *deep = mh_spec_deref(sp, cJSON_GetObjectItemCaseSensitive(props, "deep"));
    ck_assert_ptr_eq(deep, mh_schema_source(slash));
    ck_assert_ptr_eq(mh_spec_deref(sp, props), props);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_second_api_operations_ok)
{
    const char *file = SPEC_DATA "petstore.json";
    mh_spec *sp = load_ok(file);
    ck_assert_str_eq(mh_spec_server_url(sp), "http://pets.example/v2");
    ck_assert_uint_eq(mh_spec_operation_count(sp), 3);
    mh_error err;
    const mh_operation *get = mh_spec_find_operation(sp, "GET /pets/{petId}", &err);
    const mh_operation *del = mh_spec_find_operation(sp, "DELETE /pets/{petId}", &err);
    const mh_operation *add = mh_spec_find_operation(sp, "POST /pets", &err);
    ck_assert_ptr_nonnull(get);
    ck_assert_ptr_nonnull(del);
    ck_assert_ptr_nonnull(add);
    ck_assert_str_eq(get->operation_id, "getPet");
    ck_assert_str_eq(add->operation_id, "addPet");
    ck_assert_int_eq(get->path_line, line_of(file, "\"/pets/{petId}\""));
    ck_assert_int_eq(add->path_line, line_of(file, "\"/pets\":"));
    ck_assert_int_ne(get->path_line, add->path_line);
    ck_assert_str_eq(mh_spec_path_methods(sp, "/pets/{petId}"), "GET, DELETE");
    ck_assert_str_eq(mh_spec_path_methods(sp, "/pets"), "POST");
    /* effective security: bearer via a $ref'd scheme, [] disables, top-level apiKey is not */
    ck_assert_int_eq(get->bearer_auth, 1);
    ck_assert_int_eq(del->bearer_auth, 0);
    ck_assert_int_eq(add->bearer_auth, 0);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_parameters_merged_operation_wins)
{
    mh_spec *sp = load_ok(SPEC_DATA "petstore.json");
    const mh_operation *get = mh_spec_find_operation(sp, "GET /pets/{petId}", NULL);
    ck_assert_uint_eq(get->param_count, 3);
    const mh_param *pet = NULL, *trace = NULL, *fields = NULL;
    for (size_t i = 0; i < get->param_count; i++) {
        if (strcmp(get->params[i].name, "petId") == 0)
            pet = &get->params[i];
        else if (strcmp(get->params[i].name, "X-Trace") == 0)
            trace = &get->params[i];
        else if (strcmp(get->params[i].name, "fields") == 0)
            fields = &get->params[i];
    }
    ck_assert_ptr_nonnull(pet);
    ck_assert_ptr_nonnull(trace);
    ck_assert_ptr_nonnull(fields);
    ck_assert_str_eq(pet->in, "path");
    /* the operation's integer petId replaced the path's string one */
    ck_assert_uint_eq(violations_of(pet->schema, "5", MH_DIR_REQUEST), 0);
    ck_assert_uint_eq(violations_of(pet->schema, "\"5\"", MH_DIR_REQUEST), 1);
    ck_assert_str_eq(trace->in, "header");
    ck_assert_int_eq(trace->required, 0);
    ck_assert_uint_eq(violations_of(trace->schema, "\"not-a-uuid\"", MH_DIR_REQUEST), 1);
    const mh_operation *del = mh_spec_find_operation(sp, "DELETE /pets/{petId}", NULL);
    ck_assert_uint_eq(del->param_count, 2);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_request_body_ref_validates)
{
    mh_spec *sp = load_ok(SPEC_DATA "petstore.json");
    const mh_operation *add = mh_spec_find_operation(sp, "POST /pets", NULL);
    ck_assert_int_eq(add->body_required, 1);
    ck_assert_uint_eq(add->body_count, 1);
    const mh_schema *body = add->body[0].schema;
    ck_assert_str_eq(mh_schema_location(body), "/components/schemas/NewPet");
    ck_assert_uint_eq(violations_of(body, "{\"name\":\"Rex\",\"kind\":\"dog\"}", MH_DIR_REQUEST),
                      0);
    ck_assert_uint_eq(violations_of(body, "{\"name\":\" Rex\",\"kind\":\"cow\",\"id\":3,\"x\":1}",
                                    MH_DIR_REQUEST),
                      4);
    const mh_response *created = mh_operation_response(add, 201);
    ck_assert_ptr_nonnull(created);
    const mh_schema *pet = created->media[0].schema;
    ck_assert_uint_eq(
        violations_of(pet, "{\"name\":\"Rex\",\"kind\":\"dog\",\"id\":1}", MH_DIR_RESPONSE), 0);
    ck_assert_uint_eq(violations_of(pet, "{\"name\":\"Rex\",\"kind\":\"dog\"}", MH_DIR_RESPONSE),
                      1);
    ck_assert_ptr_null(mh_operation_response(add, 200));
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_response_lookup_range_default)
{
    mh_spec *sp = load_ok(SPEC_DATA "petstore.json");
    const mh_operation *get = mh_spec_find_operation(sp, "GET /pets/{petId}", NULL);
    ck_assert_str_eq(mh_operation_response(get, 200)->status, "200");
    ck_assert_str_eq(mh_operation_response(get, 201)->status, "2XX");
    ck_assert_str_eq(mh_operation_response(get, 299)->status, "2XX");
    ck_assert_str_eq(mh_operation_response(get, 404)->status, "404");
    const mh_response *r400 = mh_operation_response(get, 400);
    ck_assert_str_eq(r400->status, "4xx");
    ck_assert_str_eq(r400->description, "client error");
    ck_assert_str_eq(r400->media[0].media_type, "application/problem+json");
    ck_assert_str_eq(mh_operation_response(get, 500)->status, "default");
    ck_assert_str_eq(mh_operation_response(get, 302)->status, "default");
    ck_assert_str_eq(mh_operation_response(get, 999)->status, "default");
    ck_assert_uint_eq(mh_operation_response(get, 500)->media_count, 0);
    const mh_operation *del = mh_spec_find_operation(sp, "DELETE /pets/{petId}", NULL);
    ck_assert_str_eq(mh_operation_response(del, 204)->status, "204");
    ck_assert_ptr_null(mh_operation_response(del, 200));
    ck_assert_ptr_null(mh_operation_response(del, 500));
    mh_spec_free(sp);
}
END_TEST

typedef struct {
    int status;
    const char *content_type;
    const char *expect; /* media_type of the match; NULL = none */
} media_case;

static const media_case media_cases[] = {
    {200, "application/json", "application/json; charset=utf-8"},
    {200, "Application/JSON ; charset=UTF-8", "application/json; charset=utf-8"},
    {200, "  application/json  ", "application/json; charset=utf-8"},
    {200, "application/json;charset=latin1;x=y", "application/json; charset=utf-8"},
    {200, "application/xml", "application/*"},
    {200, "APPLICATION/octet-stream", "application/*"},
    {200, "text/html; charset=utf-8", "*/*"},
    {200, "application", NULL},
    {200, "", NULL},
    {200, NULL, NULL},
    {404, "text/plain;charset=us-ascii", "text/plain"},
    {404, "text/plainx", NULL},
    {404, "application/json", NULL},
    {400, "application/problem+json", "application/problem+json"},
    {400, "application/json", NULL},
};

START_TEST(spec_response_media_match)
{
    const media_case *c = &media_cases[_i];
    mh_spec *sp = load_ok(SPEC_DATA "petstore.json");
    const mh_operation *get = mh_spec_find_operation(sp, "GET /pets/{petId}", NULL);
    const mh_media *m = mh_response_media(mh_operation_response(get, c->status), c->content_type);
    if (c->expect) {
        ck_assert_msg(m != NULL, "%d %s: no match", c->status, c->content_type);
        ck_assert_str_eq(m->media_type, c->expect);
    } else {
        ck_assert_msg(m == NULL, "%d %s: matched %s", c->status,
                      c->content_type ? c->content_type : "(null)", m ? m->media_type : "");
    }
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_media_wildcard_schemas_differ)
{
    mh_spec *sp = load_ok(SPEC_DATA "petstore.json");
    const mh_operation *get = mh_spec_find_operation(sp, "GET /pets/{petId}", NULL);
    const mh_response *r = mh_operation_response(get, 200);
    ck_assert_ptr_nonnull(mh_response_media(r, "application/json")->schema);
    const mh_media *any = mh_response_media(r, "image/png");
    ck_assert_ptr_null(any->schema);
    const mh_media *app = mh_response_media(r, "application/xml");
    ck_assert_uint_eq(violations_of(app->schema, "\"text\"", MH_DIR_RESPONSE), 0);
    ck_assert_uint_eq(violations_of(app->schema, "{}", MH_DIR_RESPONSE), 1);
    ck_assert_ptr_null(mh_response_media(NULL, "application/json"));
    mh_spec_free(sp);
}
END_TEST

/* Inline documents the loader must refuse: code and pointer of the fault. */
typedef struct {
    const char *doc;
    mh_status code;
    const char *pointer;
    const char *needle;
} buffer_error_case;

#define HEAD "{\"openapi\":\"3.0.2\",\"info\":{\"title\":\"t\",\"version\":\"1\"},"
#define OP(body) HEAD "\"paths\":{\"/p\":{\"post\":" body "}}}"

static const buffer_error_case buffer_errors[] = {
    {"{\"openapi\":\"3.0.2\",\"paths\":[]}", MH_ERR_SPEC, "/paths", "paths"},
    {"{\"openapi\":\"3\",\"paths\":{}}", MH_ERR_SPEC, "/openapi", "\"3\""},
    {"{\"openapi\":\"3.0.1-rc\",\"paths\":{}}", MH_ERR_SPEC, "/openapi", "3.0.1-rc"},
    {OP("{}"), MH_ERR_SPEC, "/paths/~1p/post/responses", "responses"},
    {OP("{\"responses\":{}}"), MH_ERR_SPEC, "/paths/~1p/post/responses", "responses"},
    {OP("[]"), MH_ERR_SPEC, "/paths/~1p/post", "operation"},
    {OP("{\"responses\":{\"200\":{\"description\":\"d\"}},\"security\":[{\"nope\":[]}]}"),
     MH_ERR_SPEC, "/paths/~1p/post/security", "\"nope\""},
    {OP("{\"responses\":{\"200\":{\"description\":\"d\"}},\"parameters\":[{\"in\":\"query\"}]}"),
     MH_ERR_SPEC, "/paths/~1p/post/parameters/0", "name"},
    {OP("{\"responses\":{\"200\":{\"description\":\"d\"}},\"parameters\":[{\"$ref\":"
        "\"#/components/parameters/P\"}]}"),
     MH_ERR_REF, "/paths/~1p/post/parameters/0/$ref", "#/components/parameters/P"},
    {OP("{\"responses\":{\"200\":{\"description\":\"d\"}},\"parameters\":[{\"name\":\"q\","
        "\"in\":\"query\",\"schema\":{\"type\":\"text\"}}]}"),
     MH_ERR_SPEC, "/paths/~1p/post/parameters/0/schema/type", "text"},
    {OP("{\"responses\":{\"200\":{\"description\":\"d\"}},\"requestBody\":{\"$ref\":"
        "\"#/components/requestBodies/B\"}}"),
     MH_ERR_REF, "/paths/~1p/post/requestBody/$ref", "#/components/requestBodies/B"},
    {OP("{\"responses\":{\"200\":{\"description\":\"d\",\"content\":{\"application/json\":"
        "{\"schema\":{\"properties\":{\"a\":{\"maxLength\":\"3\"}}}}}}}}"),
     MH_ERR_SPEC,
     "/paths/~1p/post/responses/200/content/application~1json/schema/properties/a/"
     "maxLength",
     "maxLength"},
    {OP("{\"responses\":{\"200\":{\"$ref\":\"#/components/responses/R\"}}}"), MH_ERR_REF,
     "/paths/~1p/post/responses/200/$ref", "#/components/responses/R"},
    {HEAD "\"paths\":{\"/p\":{\"post\":{\"responses\":{\"200\":{\"$ref\":\"#/components/"
          "responses/R\"}}}}},\"components\":{\"responses\":{\"R\":{\"$ref\":\"#/components/"
          "responses/R\"}}}}",
     MH_ERR_REF, "/components/responses/R/$ref", "cycle"},
    {HEAD "\"paths\":{\"/p\":{\"$ref\":\"#/x\"}}}", MH_ERR_REF, "/paths/~1p/$ref", "#/x"},
    {HEAD "\"paths\":{},\"components\":{\"schemas\":{\"A\":{\"$ref\":\"#/components/schemas/"
          "A%zz\"}}}}",
     MH_ERR_REF, "/components/schemas/A/$ref", "malformed"},
    {HEAD "\"paths\":{},\"components\":{\"schemas\":{\"A\":{\"$ref\":7}}}}", MH_ERR_REF,
     "/components/schemas/A/$ref", "string"},
    {HEAD "\"paths\":{},\"components\":{\"schemas\":{\"A\":{\"$ref\":\"#/openapi\"}}}}",
     MH_ERR_SPEC, "/openapi", "schema"},
    {HEAD "\"paths\":{\"/p\":{\"$ref\":\"#/info/title\"}}}", MH_ERR_SPEC, "/info/title",
     "path item"},
    {HEAD "\"paths\":{},\"components\":{\"schemas\":[]}}", MH_ERR_SPEC, "/components/schemas",
     "object"},
};

START_TEST(spec_load_buffer_error_located)
{
    const buffer_error_case *c = &buffer_errors[_i];
    mh_spec *sp = NULL;
    mh_error err;
    mh_status st = mh_spec_load_buffer(c->doc, strlen(c->doc), "doc.json", &sp, &err);
    ck_assert_msg(st == c->code, "case %d: %s: %s", _i, mh_status_name(st), err.message);
    ck_assert_ptr_null(sp);
    ck_assert_str_eq(err.file, "doc.json");
    ck_assert_msg(strcmp(err.pointer, c->pointer) == 0, "case %d: pointer %s, expected %s", _i,
                  err.pointer, c->pointer);
    ck_assert_msg(strstr(err.message, c->needle) != NULL, "case %d: \"%s\" lacks \"%s\"", _i,
                  err.message, c->needle);
}
END_TEST

START_TEST(spec_path_item_ref_and_content_params_ok)
{
    const char *doc =
        HEAD "\"paths\":{\"/a\":{\"$ref\":\"#/components/x-items/A\"}},"
             "\"components\":{\"x-items\":{\"A\":{\"get\":{\"parameters\":[{\"name\":\"f\","
             "\"in\":\"query\",\"content\":{\"application/json\":{\"schema\":{\"type\":"
             "\"object\",\"required\":[\"k\"]}}}}],\"responses\":{\"default\":{\"description\":"
             "\"any\"}}}}}}}";
    mh_spec *sp = NULL;
    mh_error err;
    ck_assert_msg(mh_spec_load_buffer(doc, strlen(doc), "doc.json", &sp, &err) == MH_OK, "%s",
                  err.message);
    const mh_operation *op = mh_spec_find_operation(sp, "GET /a", &err);
    ck_assert_ptr_nonnull(op);
    ck_assert_int_eq(op->bearer_auth, 0);
    ck_assert_uint_eq(op->param_count, 1);
    ck_assert_str_eq(mh_schema_location(op->params[0].schema),
                     "/components/x-items/A/get/parameters/0/content/application~1json/schema");
    ck_assert_uint_eq(violations_of(op->params[0].schema, "{}", MH_DIR_REQUEST), 1);
    ck_assert_str_eq(mh_operation_response(op, 200)->status, "default");
    ck_assert_str_eq(mh_spec_path_methods(sp, "/a"), "GET");
    /* a dangling raw ref derefs to NULL */
    cJSON *dangling = cJSON_Parse("{\"$ref\":\"#/nowhere\"}");
    ck_assert_ptr_null(mh_spec_deref(sp, dangling));
    cJSON_Delete(dangling);
    ck_assert_ptr_null(mh_spec_deref(sp, NULL));
    mh_spec_free(sp);
}
END_TEST

/* ---- JSON pointers (util/jsonptr.h) ---------------------------------- */

START_TEST(jsonptr_append_escapes_tilde_and_slash)
{
    char *p = mh__jsonptr_append("/a", "b~c/d");
    ck_assert_str_eq(p, "/a/b~0c~1d");
    free(p);
    p = mh__jsonptr_append("", "");
    ck_assert_str_eq(p, "/");
    free(p);
    p = mh__jsonptr_append_index("/x", 12);
    ck_assert_str_eq(p, "/x/12");
    free(p);
    ck_assert_uint_eq(mh__jsonptr_escaped_len("a/~b"), 6);
}
END_TEST

static const struct {
    const char *pointer;
    const char *found; /* the node printed, or NULL for none */
} jsonptr_rows[] = {
    {"/a~1b/~0/1", "20"},  {"/a~1b/~0/0", "10"}, {"/", "1"},           {"/arr/0", "true"},
    {"/a~1b/~0/01", NULL}, {"/a~1b/~0/2", NULL}, {"/a~1b/~0/-", NULL}, {"/a~1b/~2", NULL},
    {"/a~1b~", NULL},      {"a", NULL},          {"/A~1b", NULL},      {"/arr/0/x", NULL},
};

START_TEST(jsonptr_get_resolves_or_rejects)
{
    const char *doc = "{\"a/b\":{\"~\":[10,20]},\"\":1,\"arr\":[true]}";
    cJSON *root = NULL;
    ck_assert_int_eq(mh_json_parse(doc, strlen(doc), NULL, &root, NULL), MH_JSON_OK);
    ck_assert_ptr_eq(mh__jsonptr_get(root, ""), root);
    const cJSON *hit = mh__jsonptr_get(root, jsonptr_rows[_i].pointer);
    if (!jsonptr_rows[_i].found) {
        ck_assert_msg(hit == NULL, "%s should name nothing", jsonptr_rows[_i].pointer);
    } else {
        ck_assert_msg(hit != NULL, "%s names nothing", jsonptr_rows[_i].pointer);
        char *text = cJSON_PrintUnformatted(hit);
        ck_assert_str_eq(text, jsonptr_rows[_i].found);
        free(text);
    }
    cJSON_Delete(root);
}
END_TEST

/* ---- whole documents: YAML, files referring to files, unusable operations ---- */

#define MULTI SPEC_DATA "multi/"

static const mh_operation *op_named(const mh_spec *sp, const char *id)
{
    for (size_t i = 0; i < mh_spec_operation_count(sp); i++)
        if (strcmp(mh_spec_operation(sp, i)->id, id) == 0)
            return mh_spec_operation(sp, i);
    return NULL;
}

START_TEST(spec_load_yaml_across_files_ok)
{
    mh_spec *sp = load_ok(MULTI "root.yaml");
    ck_assert_int_eq(mh_spec_openapi_minor(sp), 0);
    ck_assert_uint_eq(mh_spec_operation_count(sp), 4);
    const mh_operation *list = op_named(sp, "GET /pets");
    ck_assert_ptr_null(list->skip_reason);
    ck_assert_uint_eq(list->param_count, 2); /* an anchor and a parameter from a JSON file */
    ck_assert_str_eq(list->params[0].name, "limit");
    ck_assert_str_eq(list->params[1].name, "offset");
    /* the path item itself lives in another file, and refers back to the root */
    mh_error err;
    const mh_operation *get = mh_spec_find_operation(sp, "getPet", &err);
    ck_assert_ptr_nonnull(get);
    ck_assert_str_eq(get->id, "GET /pets/{id}");
    ck_assert_int_eq(get->path_line, 34);
    const mh_response *ok = mh_operation_response(get, 200);
    const mh_response *other = mh_operation_response(get, 404);
    ck_assert_str_eq(other->status, "default");
    static const char good[] = "{\"id\":1,\"name\":\"a\",\"owner\":{\"pets\":[{\"id\":2,"
                               "\"name\":\"b\"}]},\"siblings\":[{\"id\":3,\"name\":\"c\"}]}";
    static const char bad[] = "{\"id\":1,\"name\":\"a\",\"siblings\":[{\"id\":\"x\",\"name\":1}]}";
    cJSON *g = cJSON_Parse(good), *b = cJSON_Parse(bad), *e = cJSON_Parse("{\"message\":7}");
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(ok->media[0].schema, g, MH_DIR_RESPONSE, &v), 0);
    ck_assert_uint_eq(mh_schema_validate(ok->media[0].schema, b, MH_DIR_RESPONSE, &v), 2);
    mh_violations_clear(&v);
    ck_assert_uint_eq(mh_schema_validate(other->media[0].schema, e, MH_DIR_RESPONSE, &v), 1);
    mh_violations_free(&v);
    cJSON_Delete(g);
    cJSON_Delete(b);
    cJSON_Delete(e);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_unusable_operations_kept_with_reason)
{
    mh_spec *sp = load_ok(MULTI "root.yaml");
    const mh_operation *post = op_named(sp, "POST /pets");
    ck_assert_ptr_nonnull(post->skip_reason);
    ck_assert_msg(strstr(post->skip_reason, "notDeclared"), "%s", post->skip_reason);
    ck_assert_str_eq(post->skip_pointer, "/paths/~1pets/post/security");
    const mh_operation *empty = op_named(sp, "GET /empty");
    ck_assert_msg(strstr(empty->skip_reason, "responses"), "%s", empty->skip_reason);
    ck_assert_str_eq(empty->skip_pointer, "/paths/~1empty/get/responses");
    /* selecting one says why it cannot be tested */
    mh_error err;
    ck_assert_ptr_null(mh_spec_find_operation(sp, "createPet", &err));
    ck_assert_int_eq(err.code, MH_ERR_SPEC);
    ck_assert_msg(strstr(err.message, "cannot be tested") && strstr(err.message, "notDeclared"),
                  "%s", err.message);
    ck_assert_str_eq(err.pointer, "/paths/~1pets/post/security");
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_nothing_usable_fails_with_first_reason)
{
    static const char doc[] = "openapi: 3.1.0\n"
                              "info: {title: t, version: '1'}\n"
                              "paths:\n"
                              "  /a:\n"
                              "    get:\n"
                              "      responses: {}\n";
    mh_spec *sp = NULL;
    mh_error err;
    ck_assert_int_eq(mh_spec_load_buffer(doc, sizeof doc - 1, "only.yaml", &sp, &err), MH_ERR_SPEC);
    ck_assert_msg(strstr(err.message, "no operation can be tested: GET /a"), "%s", err.message);
    ck_assert_str_eq(err.pointer, "/paths/~1a/get/responses");
    ck_assert_str_eq(err.file, "only.yaml");
}
END_TEST

START_TEST(spec_ref_cycle_across_files_names_the_file)
{
    mh_spec *sp = (mh_spec *)1;
    mh_error err;
    ck_assert_int_eq(mh_spec_load(MULTI "cycle-a.yaml", &sp, &err), MH_ERR_REF);
    ck_assert_ptr_null(sp);
    ck_assert_msg(strstr(err.message, "cycle") && strstr(err.message, "cycle-b.yaml#/B") &&
                      !strstr(err.message, "x-manta-bundle"),
                  "%s", err.message);
}
END_TEST

START_TEST(spec_broken_referenced_file_located_in_it)
{
    mh_spec *sp = (mh_spec *)1;
    mh_error err;
    ck_assert_int_eq(mh_spec_load(MULTI "bad-ref-file.yaml", &sp, &err), MH_ERR_YAML);
    ck_assert_msg(strstr(err.file, "multi/broken.yaml") && err.line == 3, "%s:%d", err.file,
                  err.line);
}
END_TEST

START_TEST(spec_find_operation_lists_whole_ids)
{
    /* 60 operations: the list in the error ends with "and N more", never mid-name */
    mh__buf doc = MH__BUF_INIT;
    mh__buf_adds(&doc, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for (int i = 0; i < 60; i++)
        mh__buf_addf(&doc,
                     "  /resource-number-%02d:\n    get:\n      responses: {'200': "
                     "{description: ok}}\n",
                     i);
    size_t len = 0;
    char *text = mh__buf_take(&doc, &len);
    mh_spec *sp = NULL;
    mh_error err;
    ck_assert_int_eq(mh_spec_load_buffer(text, len, "many.yaml", &sp, &err), MH_OK);
    ck_assert_ptr_null(mh_spec_find_operation(sp, "GET /nope", &err));
    ck_assert_msg(strstr(err.message, "more)"), "%s", err.message);
    const char *tail = strstr(err.message, ", and ");
    ck_assert_ptr_nonnull(tail);
    ck_assert_msg(tail[-1] >= '0' && tail[-1] <= '9', "cut mid-name: %s", err.message);
    mh_spec_free(sp);
    free(text);
}
END_TEST

START_TEST(spec_openapi31_loads)
{
    mh_spec *sp = load_ok(SPEC_DATA "openapi31.json");
    ck_assert_int_eq(mh_spec_openapi_minor(sp), 1);
    mh_spec_free(sp);
}
END_TEST

/* ---- the whole-document model (model.yaml) ---------------------------- */

#define MODEL SPEC_DATA "model.yaml"

static const mh_param *param_named(const mh_operation *op, const char *name, const char *in)
{
    for (size_t i = 0; i < op->param_count; i++)
        if (strcmp(op->params[i].name, name) == 0 && strcmp(op->params[i].in, in) == 0)
            return &op->params[i];
    return NULL;
}

static const mh_operation *usable(const mh_spec *sp, const char *id)
{
    mh_error err;
    const mh_operation *op = mh_spec_find_operation(sp, id, &err);
    ck_assert_msg(op != NULL, "%s: %s", id, err.message);
    return op;
}

/* 1 when the JSON text equals the example v. */
static int example_is(const cJSON *v, const char *text)
{
    cJSON *want = parse(text);
    int same = v && cJSON_Compare(v, want, 1);
    cJSON_Delete(want);
    return same;
}

START_TEST(spec_param_defaults_per_location)
{
    mh_spec *sp = load_ok(MODEL);
    const mh_operation *op = usable(sp, "getItem");
    static const struct {
        const char *name, *in;
        mh_param_style style;
        int explode, required;
    } want[] = {
        {"id", "path", MH_STYLE_SIMPLE, 0, 1},
        {"trace", "header", MH_STYLE_SIMPLE, 0, 0},
        {"q", "query", MH_STYLE_FORM, 1, 0},
        {"session", "cookie", MH_STYLE_FORM, 1, 0},
    };
    ck_assert_uint_eq(op->param_count, 4);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const mh_param *p = &op->params[i]; /* path's first, then the operation's */
        ck_assert_str_eq(p->name, want[i].name);
        ck_assert_str_eq(p->in, want[i].in);
        ck_assert_msg(p->style == want[i].style, "%s: style %d", p->name, (int)p->style);
        ck_assert_msg(p->explode == want[i].explode, "%s: explode %d", p->name, p->explode);
        ck_assert_int_eq(p->required, want[i].required);
        ck_assert_int_eq(p->allow_reserved, 0);
        ck_assert_int_eq(p->deprecated, 0);
        ck_assert_ptr_null(p->example);
        ck_assert_ptr_null(p->content_type);
        ck_assert_ptr_nonnull(p->schema);
    }
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_param_ignored_headers_left_out)
{
    mh_spec *sp = load_ok(MODEL);
    const mh_operation *op = usable(sp, "getItem");
    ck_assert_ptr_null(param_named(op, "Accept", "header"));
    ck_assert_ptr_null(param_named(op, "content-type", "header"));
    ck_assert_ptr_null(param_named(op, "Authorization", "header"));
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_param_override_stays_in_its_operation)
{
    mh_spec *sp = load_ok(MODEL);
    const mh_param *own = param_named(usable(sp, "getItem"), "id", "path");
    const mh_param *path = param_named(usable(sp, "putItem"), "id", "path");
    /* GET declares an integer id; PUT, declared after it, keeps the path's string one */
    ck_assert_uint_eq(violations_of(own->schema, "5", MH_DIR_REQUEST), 0);
    ck_assert_uint_eq(violations_of(own->schema, "\"5\"", MH_DIR_REQUEST), 1);
    ck_assert_uint_eq(violations_of(path->schema, "\"5\"", MH_DIR_REQUEST), 0);
    ck_assert_uint_eq(violations_of(path->schema, "5", MH_DIR_REQUEST), 1);
    ck_assert_uint_eq(usable(sp, "putItem")->param_count, 2);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_param_declared_styles)
{
    mh_spec *sp = load_ok(MODEL);
    const mh_operation *op = usable(sp, "GET /styles/{m}/{l}/{loose}");
    static const struct {
        const char *name, *in;
        mh_param_style style;
        int explode, required, allow_reserved, deprecated;
    } want[] = {
        {"m", "path", MH_STYLE_MATRIX, 1, 1, 0, 0},
        {"l", "path", MH_STYLE_LABEL, 0, 1, 0, 0},
        {"loose", "path", MH_STYLE_SIMPLE, 0, 1, 0, 0}, /* "required" absent: still required */
        {"s", "query", MH_STYLE_SPACE_DELIMITED, 0, 0, 0, 0},
        {"p", "query", MH_STYLE_PIPE_DELIMITED, 0, 0, 0, 0},
        {"d", "query", MH_STYLE_DEEP_OBJECT, 1, 0, 0, 0},
        {"f", "query", MH_STYLE_FORM, 0, 1, 1, 1},
        {"h", "header", MH_STYLE_SIMPLE, 1, 0, 0, 0}, /* allowReserved is for query only */
    };
    ck_assert_uint_eq(op->param_count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const mh_param *p = param_named(op, want[i].name, want[i].in);
        ck_assert_msg(p != NULL, "%s missing", want[i].name);
        ck_assert_msg(p->style == want[i].style, "%s: style %d", p->name, (int)p->style);
        ck_assert_msg(p->explode == want[i].explode, "%s: explode %d", p->name, p->explode);
        ck_assert_msg(p->required == want[i].required, "%s: required", p->name);
        ck_assert_msg(p->allow_reserved == want[i].allow_reserved, "%s: allowReserved", p->name);
        ck_assert_msg(p->deprecated == want[i].deprecated, "%s: deprecated", p->name);
    }
    mh_spec_free(sp);
}
END_TEST

/* Operations of model.yaml that cannot be used: why and where. */
static const struct {
    const char *id, *pointer, *needle;
} unusable_rows[] = {
    {"GET /broken", "/paths/~1broken/get/parameters/0/style",
     "style \"matrix\" is not allowed in query"},
    {"PUT /broken", "/paths/~1broken/put/parameters/0/style", "unknown style \"tilde\""},
    {"POST /broken", "/paths/~1broken/post/parameters/0/content", "exactly one media type"},
    {"PATCH /broken", "/paths/~1broken/patch/parameters/0/explode",
     "explode must be true or false"},
    {"DELETE /broken", "/paths/~1broken/delete/parameters/0/in", "\"in\" must be query, header"},
    {"OPTIONS /broken", "/paths/~1broken/options/parameters/0", "both \"schema\" and \"content\""},
    {"GET /broken-path/{id}", "/paths/~1broken-path~1{id}/parameters/0/style",
     "style \"form\" is not allowed in path"},
    {"DELETE /broken-path/{id}", "/paths/~1broken-path~1{id}/parameters/0/style",
     "style \"form\" is not allowed in path"},
    {"PUT /secured", "/components/securitySchemes/noIn/in", "\"noIn\" needs a string \"in\""},
    {"PATCH /secured", "/components/securitySchemes/badIn/in", "must be header, query or cookie"},
    {"DELETE /secured", "/components/securitySchemes/noName/name", "needs a string \"name\""},
};

START_TEST(spec_model_unusable_located)
{
    mh_spec *sp = load_ok(MODEL);
    const mh_operation *op = op_named(sp, unusable_rows[_i].id);
    ck_assert_msg(op != NULL, "%s not listed", unusable_rows[_i].id);
    ck_assert_msg(op->skip_reason && strstr(op->skip_reason, unusable_rows[_i].needle), "%s: %s",
                  unusable_rows[_i].id, op->skip_reason ? op->skip_reason : "(usable)");
    ck_assert_str_eq(op->skip_pointer, unusable_rows[_i].pointer);
    mh_error err;
    ck_assert_ptr_null(mh_spec_find_operation(sp, unusable_rows[_i].id, &err));
    ck_assert_int_eq(err.code, MH_ERR_SPEC);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_param_examples_and_content)
{
    mh_spec *sp = load_ok(MODEL);
    const mh_operation *op = usable(sp, "GET /examples");
    /* "example" wins over "examples" */
    ck_assert(example_is(param_named(op, "direct", "query")->example, "7"));
    /* an externalValue-only entry is passed over: the next entry's value */
    ck_assert(example_is(param_named(op, "listed", "query")->example, "3"));
    /* an Example object's $ref is followed */
    ck_assert(example_is(param_named(op, "referenced", "query")->example, "5"));
    ck_assert_ptr_null(param_named(op, "none", "header")->example);
    /* declared by content: its media type, its schema and its example */
    const mh_param *filter = param_named(op, "filter", "query");
    ck_assert_str_eq(filter->content_type, "application/json");
    ck_assert_uint_eq(violations_of(filter->schema, "{}", MH_DIR_REQUEST), 1);
    ck_assert_uint_eq(violations_of(filter->schema, "{\"k\":1}", MH_DIR_REQUEST), 0);
    ck_assert(example_is(filter->example, "{\"k\":\"v\"}"));
    ck_assert_ptr_null(param_named(op, "direct", "query")->content_type);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_media_examples)
{
    mh_spec *sp = load_ok(MODEL);
    const mh_operation *put = usable(sp, "putItem");
    ck_assert_uint_eq(put->body_count, 2);
    ck_assert_str_eq(put->body[0].media_type, "application/json");
    ck_assert(example_is(put->body[0].example, "{\"from\":\"example\"}"));
    ck_assert_str_eq(put->body[1].media_type, "application/xml");
    ck_assert_ptr_null(put->body[1].schema);
    ck_assert(example_is(put->body[1].example, "5")); /* examples entry via $ref */
    const mh_response *ok = mh_operation_response(usable(sp, "getItem"), 200);
    ck_assert(example_is(ok->media[0].example, "{\"from\":\"examples\"}"));
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_response_headers_declared)
{
    mh_spec *sp = load_ok(MODEL);
    const mh_response *ok = mh_operation_response(usable(sp, "getItem"), 200);
    /* the declared Content-Type is ignored, as OpenAPI says */
    ck_assert_uint_eq(ok->header_count, 4);
    const mh_header_decl *h = ok->headers;
    ck_assert_str_eq(h[0].name, "X-Rate-Limit");
    ck_assert_int_eq(h[0].required, 1);
    ck_assert_ptr_null(h[0].content_type);
    ck_assert_uint_eq(violations_of(h[0].schema, "\"x\"", MH_DIR_RESPONSE), 1);
    ck_assert_uint_eq(violations_of(h[0].schema, "3", MH_DIR_RESPONSE), 0);
    ck_assert_str_eq(h[1].name, "X-Note");
    ck_assert_int_eq(h[1].required, 0);
    ck_assert_str_eq(h[2].name, "X-Meta");
    ck_assert_str_eq(h[2].content_type, "application/json");
    ck_assert_uint_eq(violations_of(h[2].schema, "{}", MH_DIR_RESPONSE), 1);
    ck_assert_str_eq(h[3].name, "X-Shared"); /* $ref to components/headers */
    ck_assert_int_eq(h[3].required, 1);
    ck_assert_uint_eq(violations_of(h[3].schema, "\"x\"", MH_DIR_RESPONSE), 1);
    ck_assert_uint_eq(violations_of(h[3].schema, "\"sx\"", MH_DIR_RESPONSE), 0);
    ck_assert_uint_eq(mh_operation_response(usable(sp, "putItem"), 204)->header_count, 0);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_security_schemes_listed)
{
    mh_spec *sp = load_ok(MODEL);
    static const struct {
        const char *name;
        mh_scheme_type type;
        const char *in, *param_name, *http_scheme;
    } want[] = {
        {"bearer", MH_SCHEME_HTTP_BEARER, NULL, NULL, "Bearer"},
        {"basic", MH_SCHEME_HTTP_BASIC, NULL, NULL, "BASIC"},
        {"digest", MH_SCHEME_OTHER, NULL, NULL, "digest"},
        {"keyHeader", MH_SCHEME_API_KEY, "header", "X-API-Key", NULL},
        {"keyQuery", MH_SCHEME_API_KEY, "query", "api_key", NULL},
        {"keyCookie", MH_SCHEME_API_KEY, "cookie", "sid", NULL}, /* through a $ref */
        {"oauth", MH_SCHEME_OAUTH2, NULL, NULL, NULL},
        {"oidc", MH_SCHEME_OPENID, NULL, NULL, NULL},
    };
    /* noIn, badIn and noName cannot be used: not listed */
    ck_assert_uint_eq(mh_spec_scheme_count(sp), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const mh_security_scheme *s = mh_spec_scheme(sp, i);
        ck_assert_str_eq(s->name, want[i].name);
        ck_assert_msg(s->type == want[i].type, "%s: type %d", s->name, (int)s->type);
        ck_assert_pstr_eq(s->in, want[i].in);
        ck_assert_pstr_eq(s->param_name, want[i].param_name);
        ck_assert_pstr_eq(s->http_scheme, want[i].http_scheme);
        ck_assert_ptr_eq(mh_spec_find_scheme(sp, want[i].name), s);
    }
    ck_assert_ptr_null(mh_spec_scheme(sp, sizeof want / sizeof want[0]));
    ck_assert_ptr_null(mh_spec_find_scheme(sp, "noIn"));
    ck_assert_ptr_null(mh_spec_find_scheme(sp, "nope"));
    mh_spec_free(sp);
}
END_TEST

/* The names of requirement r's schemes, "a+b" ("" for {}). */
static void req_names(const mh_security_req *r, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < r->count; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, n - used, "%s%s", i ? "+" : "", r->schemes[i]->name);
    }
}

/* Operation id, its requirements as "a+b|c|" ('|' after each), bearer_auth. */
static const struct {
    const char *id, *alternatives;
    int bearer;
} security_rows[] = {
    {"GET /secured", "keyHeader+keyQuery|oauth||", 0},
    {"POST /secured", "basic|keyCookie|oidc|digest|", 0},
    {"getItem", "bearer|", 1}, /* the document's security */
    {"putItem", "", 0},        /* security: [] is public */
    {"GET /examples", "|", 0}, /* [{}]: anonymous allowed */
};

START_TEST(spec_security_alternatives_and)
{
    mh_spec *sp = load_ok(MODEL);
    const mh_operation *op = usable(sp, security_rows[_i].id);
    char got[200] = "", one[100];
    for (size_t i = 0; i < op->security_count; i++) {
        req_names(&op->security[i], one, sizeof one);
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s|", one);
        for (size_t k = 0; k < op->security[i].count; k++)
            ck_assert_ptr_eq(op->security[i].schemes[k],
                             mh_spec_find_scheme(sp, op->security[i].schemes[k]->name));
    }
    ck_assert_str_eq(got, security_rows[_i].alternatives);
    ck_assert_int_eq(op->bearer_auth, security_rows[_i].bearer);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_security_none_declared_is_public)
{
    static const char doc[] = "openapi: 3.1.0\n"
                              "info: {title: t, version: '1'}\n"
                              "paths:\n"
                              "  /a:\n"
                              "    get:\n"
                              "      responses: {'200': {description: ok}}\n";
    mh_spec *sp = NULL;
    mh_error err;
    ck_assert_int_eq(mh_spec_load_buffer(doc, sizeof doc - 1, "open.yaml", &sp, &err), MH_OK);
    const mh_operation *op = mh_spec_operation(sp, 0);
    ck_assert_uint_eq(op->security_count, 0);
    ck_assert_ptr_null(op->security);
    ck_assert_int_eq(op->bearer_auth, 0);
    ck_assert_uint_eq(mh_spec_scheme_count(sp), 0);
    ck_assert_ptr_null(mh_spec_find_scheme(sp, "bearer"));
    mh_spec_free(sp);
}
END_TEST

/* ---- a document read from a URL: relative $refs fetched from the same origin ---- */

typedef struct {
    const char *url, *text;
} fake_doc;

static const fake_doc fake_docs[] = {
    {"https://api.example.test/v1/openapi.yaml",
     "openapi: 3.1.0\n"
     "info: {title: remote, version: '1'}\n"
     "paths:\n"
     "  /pets/{id}:\n"
     "    get:\n"
     "      parameters: [{$ref: '/shared/params.yaml#/id'}]\n"
     "      responses:\n"
     "        '200': {description: ok, content: {application/json: {schema: {$ref: "
     "'schemas/pet.yaml#/Pet'}}}}\n"
     "        default: {description: err, content: {application/json: {schema: {$ref: "
     "'../common/./errors.json#/Error'}}}}\n"
     "components:\n"
     "  schemas:\n"
     "    Name: {type: string, maxLength: 10}\n"},
    {"https://api.example.test/v1/schemas/pet.yaml",
     "Pet: {type: object, required: [name], properties: {name: {$ref: "
     "'../openapi.yaml#/components/schemas/Name'}}}\n"},
    {"https://api.example.test/common/errors.json", "{\"Error\": {\"type\": \"object\"}}"},
    {"https://api.example.test/shared/params.yaml",
     "id: {name: id, in: path, required: true, schema: {type: integer}}\n"},
    {"https://api.example.test/remote.yaml",
     "openapi: 3.0.3\ninfo: {title: r, version: '1'}\npaths: {}\ncomponents: {schemas: "
     "{A: {$ref: 'https://elsewhere.test/a.json#/A'}}}\n"},
    {"https://api.example.test/broken-ref.yaml",
     "openapi: 3.0.3\ninfo: {title: r, version: '1'}\npaths:\n  /a:\n    get:\n      "
     "responses: {'200': {$ref: 'missing.yaml#/R'}}\n"},
};

typedef struct {
    char fetched[8][128];
    int count;
} fetch_log;

static mh_status fake_fetch(void *ctx, const char *url, char **buf, size_t *len, mh_error *err)
{
    fetch_log *log = ctx;
    if (log->count < 8)
        snprintf(log->fetched[log->count++], sizeof log->fetched[0], "%s", url);
    for (size_t i = 0; i < sizeof fake_docs / sizeof fake_docs[0]; i++)
        if (strcmp(fake_docs[i].url, url) == 0) {
            *buf = strdup(fake_docs[i].text);
            *len = strlen(*buf);
            return MH_OK;
        }
    return mh_error_set(err, MH_ERR_NETWORK, "404 Not Found");
}

START_TEST(spec_load_url_fetches_relative_refs_from_the_same_origin)
{
    fetch_log log = {.count = 0};
    mh_spec *sp = NULL;
    mh_error err;
    ck_assert_int_eq(mh_spec_load_url(fake_docs[0].url, fake_fetch, &log, &sp, &err), MH_OK);
    ck_assert_int_eq(log.count, 4); /* the root, then each referenced document once */
    ck_assert_str_eq(log.fetched[1], "https://api.example.test/shared/params.yaml");
    ck_assert_str_eq(log.fetched[2], "https://api.example.test/v1/schemas/pet.yaml");
    ck_assert_str_eq(log.fetched[3], "https://api.example.test/common/errors.json");
    const mh_operation *op = mh_spec_operation(sp, 0);
    ck_assert_ptr_null(op->skip_reason);
    ck_assert_str_eq(op->params[0].name, "id");
    cJSON *long_name = cJSON_Parse("{\"name\":\"far too long a name\"}");
    mh_violations v = {0};
    ck_assert_uint_eq(mh_schema_validate(mh_operation_response(op, 200)->media[0].schema, long_name,
                                         MH_DIR_RESPONSE, &v),
                      1); /* the ref back into the root document's Name */
    mh_violations_free(&v);
    cJSON_Delete(long_name);
    mh_spec_free(sp);
}
END_TEST

START_TEST(spec_load_url_refuses_other_hosts_and_names_failed_fetches)
{
    fetch_log log = {.count = 0};
    mh_spec *sp = NULL;
    mh_error err;
    ck_assert_int_eq(
        mh_spec_load_url("https://api.example.test/remote.yaml", fake_fetch, &log, &sp, &err),
        MH_ERR_REF);
    ck_assert_msg(strstr(err.message, "elsewhere.test") && strstr(err.message, "not fetched"), "%s",
                  err.message);
    ck_assert_int_eq(log.count, 1);
    ck_assert_int_eq(
        mh_spec_load_url("https://api.example.test/broken-ref.yaml", fake_fetch, &log, &sp, &err),
        MH_ERR_REF);
    ck_assert_msg(strstr(err.message, "https://api.example.test/missing.yaml") &&
                      strstr(err.message, "404"),
                  "%s", err.message);
    ck_assert_int_eq(
        mh_spec_load_url("https://api.example.test/none.yaml", fake_fetch, &log, &sp, &err),
        MH_ERR_NETWORK);
    ck_assert_str_eq(err.file, "https://api.example.test/none.yaml");
    ck_assert_int_eq(mh_spec_load_url("ftp://x/y", fake_fetch, &log, &sp, &err), MH_ERR_USAGE);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("spec");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, spec_load_bundled_ok);
    tcase_add_test(tc, spec_load_yaml_across_files_ok);
    tcase_add_test(tc, spec_unusable_operations_kept_with_reason);
    tcase_add_test(tc, spec_nothing_usable_fails_with_first_reason);
    tcase_add_test(tc, spec_ref_cycle_across_files_names_the_file);
    tcase_add_test(tc, spec_broken_referenced_file_located_in_it);
    tcase_add_test(tc, spec_find_operation_lists_whole_ids);
    tcase_add_test(tc, spec_openapi31_loads);
    tcase_add_test(tc, spec_load_url_fetches_relative_refs_from_the_same_origin);
    tcase_add_test(tc, spec_load_url_refuses_other_hosts_and_names_failed_fetches);
    tcase_add_test(tc, spec_load_bundled_response_refs_resolve);
    tcase_add_loop_test(tc, spec_load_error_located, 0,
                        (int)(sizeof load_errors / sizeof load_errors[0]));
    tcase_add_test(tc, spec_load_buffer_uses_name_and_length);
    tcase_add_test(tc, spec_find_operation_unknown_lists_known);
    tcase_add_test(tc, spec_schema_unknown_lists_known);
    tcase_add_test(tc, spec_refs_pointer_escapes_resolve);
    tcase_add_test(tc, spec_second_api_operations_ok);
    tcase_add_test(tc, spec_parameters_merged_operation_wins);
    tcase_add_test(tc, spec_request_body_ref_validates);
    tcase_add_test(tc, spec_response_lookup_range_default);
    tcase_add_loop_test(tc, spec_response_media_match, 0,
                        (int)(sizeof media_cases / sizeof media_cases[0]));
    tcase_add_test(tc, spec_media_wildcard_schemas_differ);
    tcase_add_loop_test(tc, spec_load_buffer_error_located, 0,
                        (int)(sizeof buffer_errors / sizeof buffer_errors[0]));
    tcase_add_test(tc, spec_path_item_ref_and_content_params_ok);
    suite_add_tcase(s, tc);

    tc = tcase_create("model");
    tcase_add_test(tc, spec_param_defaults_per_location);
    tcase_add_test(tc, spec_param_ignored_headers_left_out);
    tcase_add_test(tc, spec_param_override_stays_in_its_operation);
    tcase_add_test(tc, spec_param_declared_styles);
    tcase_add_loop_test(tc, spec_model_unusable_located, 0,
                        (int)(sizeof unusable_rows / sizeof unusable_rows[0]));
    tcase_add_test(tc, spec_param_examples_and_content);
    tcase_add_test(tc, spec_media_examples);
    tcase_add_test(tc, spec_response_headers_declared);
    tcase_add_test(tc, spec_security_schemes_listed);
    tcase_add_loop_test(tc, spec_security_alternatives_and, 0,
                        (int)(sizeof security_rows / sizeof security_rows[0]));
    tcase_add_test(tc, spec_security_none_declared_is_public);
    suite_add_tcase(s, tc);

    tc = tcase_create("jsonptr");
    tcase_add_test(tc, jsonptr_append_escapes_tilde_and_slash);
    tcase_add_loop_test(tc, jsonptr_get_resolves_or_rejects, 0,
                        (int)(sizeof jsonptr_rows / sizeof jsonptr_rows[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
