/* fuzz_spec_load.c — the input as an OpenAPI document.
 *
 * Drives mh_spec_load_buffer (strict parse, $ref resolution, schema
 * compilation, cycle checks) and, when the document loads, walks every
 * operation: lookups by id, status and media type, and validation of a few
 * fixed instances in both directions against every compiled schema reached
 * (parameters, request bodies, responses), so the compiled graph is run.
 *
 * Properties: a failure comes with a known error code and a message; a loaded
 * spec's accessors agree with each other.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "manta/json_strict.h"
#include "manta/spec.h"

static const char *const instance_texts[] = {
    "{\"success\":true,\"message\":\"ok\"}",
    "{\"success\":false,\"errResponse\":{\"message\":\"x\",\"code\":403,\"botId\":\"b\"}}",
    "{\"secret\":\"s\",\"name\":\"n\",\"a~b\":\"x\",\"c/d\":1.5,\"kids\":[{\"kids\":[]}]}",
    "[1,\"a\",null,true,{\"k\":[]},1.0,1e400]",
    "\"2024-01-31T23:59:60Z\"",
    "-12.5",
    "null",
};
#define INSTANCES (sizeof instance_texts / sizeof instance_texts[0])
static cJSON *instances[INSTANCES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < INSTANCES; i++)
        if (mh_json_parse(instance_texts[i], strlen(instance_texts[i]), NULL, &instances[i],
                          NULL) != MH_JSON_OK)
            abort();
    return 0;
}

static void validate_all(const mh_schema *s)
{
    if (!s)
        return;
    MH_FUZZ_ASSERT(mh_schema_source(s) != NULL && mh_schema_location(s) != NULL);
    mh_violations v = {0};
    for (size_t i = 0; i < INSTANCES; i++) {
        mh_schema_validate(s, instances[i], MH_DIR_RESPONSE, &v);
        mh_schema_validate(s, instances[i], MH_DIR_REQUEST, &v);
    }
    for (size_t i = 0; i < v.count; i++)
        MH_FUZZ_ASSERT(v.items[i].keyword && v.items[i].pointer && v.items[i].message);
    mh_violations_free(&v);
}

/* 1 for "type/subtype" spelled with RFC 7230 token characters only: such a
 * declared media type must be found by looking itself up. */
static int plain_media_type(const char *m)
{
    const char *slash = strchr(m, '/');
    if (!slash || slash == m || !slash[1] || strchr(slash + 1, '/'))
        return 0;
    for (const char *p = m; *p; p++)
        if (p != slash && !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789!#$%&'*+-.^_`|~",
                                  *p))
            return 0;
    return 1;
}

static void walk_operation(const mh_spec *spec, const mh_operation *op)
{
    MH_FUZZ_ASSERT(op->method && op->path && op->id);
    /* An unusable operation is listed but cannot be selected. */
    MH_FUZZ_ASSERT((mh_spec_find_operation(spec, op->id, NULL) != NULL) == !op->skip_reason);
    if (op->skip_reason) {
        MH_FUZZ_ASSERT(op->skip_pointer != NULL);
        return;
    }
    MH_FUZZ_ASSERT(mh_spec_path_methods(spec, op->path) != NULL);
    for (size_t i = 0; i < op->param_count; i++)
        validate_all(op->params[i].schema);
    for (size_t i = 0; i < op->body_count; i++)
        validate_all(op->body[i].schema);
    for (size_t i = 0; i < op->response_count; i++) {
        const mh_response *r = &op->responses[i];
        for (size_t m = 0; m < r->media_count; m++) {
            if (plain_media_type(r->media[m].media_type))
                MH_FUZZ_ASSERT(mh_response_media(r, r->media[m].media_type) != NULL);
            validate_all(r->media[m].schema);
        }
    }
    static const int statuses[] = {200, 204, 401, 404, 429, 500, 599};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        const mh_response *r = mh_operation_response(op, statuses[i]);
        if (r)
            mh_response_media(r, "application/json; charset=utf-8");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mh_spec *spec = NULL;
    mh_error err;
    mh_status st = mh_spec_load_buffer((const char *)data, size, "fuzz.json", &spec, &err);
    if (st != MH_OK) {
        MH_FUZZ_ASSERT(spec == NULL);
        MH_FUZZ_ASSERT(err.code == st && st > MH_OK && st <= MH_ERR_YAML);
        MH_FUZZ_ASSERT(strcmp(mh_status_name(st), "unknown") != 0);
        MH_FUZZ_ASSERT(err.message[0] != '\0');
        return 0;
    }
    MH_FUZZ_ASSERT(spec != NULL && mh_spec_document(spec) != NULL);
    mh_spec_server_url(spec);
    for (size_t i = 0; i < mh_spec_operation_count(spec); i++)
        walk_operation(spec, mh_spec_operation(spec, i));
    const cJSON *schemas =
        mh_json_get(mh_json_get(mh_spec_document(spec), "components"), "schemas");
    const cJSON *each;
    cJSON_ArrayForEach(each, schemas)
    {
        if (each->string)
            validate_all(mh_spec_schema(spec, each->string, NULL));
    }
    mh_spec_free(spec);
    return 0;
}
