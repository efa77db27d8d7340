/* test_replay_ops.c — case files carry their operation, and `replay` finds
 * it in a document of several operations: by "METHOD /path", else by the
 * recorded operationId, and judges the answer against that operation's
 * contract (not another's with the same case id). A methods case keeps the
 * "METHOD /path" it is reported under. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/casefile.h"
#include "manta/json_strict.h"
#include "manta/model.h"
#include "manta/spec.h"
#include "tu_hostile.h"
#include "tu_tmp.h"

/* Two operations: POST /things declares 200 with a JSON object; GET
 * /things/{id} declares only 201. A 200 {} answer conforms to the first
 * and breaks status_code_conformance for the second. */
static const char spec_text[] =
    "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{"
    "\"/things\":{\"post\":{\"operationId\":\"createThing\",\"requestBody\":{\"content\":"
    "{\"application/json\":{\"schema\":{\"type\":\"object\"}}}},\"responses\":{\"200\":"
    "{\"description\":\"ok\",\"content\":{\"application/json\":{\"schema\":{\"type\":"
    "\"object\"}}}}}}},"
    "\"/things/{id}\":{\"get\":{\"operationId\":\"getThing\",\"parameters\":[{\"name\":\"id\","
    "\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}],\"responses\":{"
    "\"201\":{\"description\":\"made\",\"content\":{\"application/json\":{\"schema\":"
    "{\"type\":\"object\"}}}}}}}}}";

static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 2\r\n\r\n{}";

static tu_tmp tmp;
static mh_spec *spec;
static char spec_path[256];

static void setup(void)
{
    tu_tmp_init(&tmp, "replay-ops");
    snprintf(spec_path, sizeof spec_path, "%s", tu_tmp_path(&tmp, "things.json"));
    FILE *f = fopen(spec_path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(spec_text, f);
    fclose(f);
    mh_error err;
    ck_assert_msg(mh_spec_load(spec_path, &spec, &err) == MH_OK, "%s", err.message);
}

static void teardown(void)
{
    mh_spec_free(spec);
    ck_assert_int_eq(tu_tmp_free(&tmp), 0);
}

/* Writes the case file of a case (id "valid/ascii", as both operations
 * would name their first valid case) of the operation sel to name. */
static const char *write_case(const char *sel, const char *method, const char *target,
                              const char *label, const char *name)
{
    mh_error err;
    const mh_operation *op = mh_spec_find_operation(spec, sel, &err);
    ck_assert_msg(op != NULL, "%s", err.message);
    mh_result r = {0};
    r.kase = mh_case_new();
    r.kase->id = strdup("valid/ascii");
    r.kase->suite = MH_SUITE_VALID;
    r.kase->op = op;
    r.kase->method = strdup(method);
    r.kase->target = strdup(target);
    r.kase->operation = label ? strdup(label) : NULL;
    mh_case_add_header(r.kase, "Accept", "application/json");
    r.exchange.status = 200;
    const char *path = tu_tmp_path(&tmp, name);
    ck_assert_int_eq(mh_casefile_write(path, &r, NULL, spec_path, "http://127.0.0.1:1", 4, &err),
                     MH_OK);
    mh_result_clear(&r);
    return path;
}

/* Runs `replay path --base-url url`; returns the exit status, stdout in *out. */
static int replay(const char *path, const char *url, char **out)
{
    const char *argv[] = {"manta-harness", "replay", path, "--base-url", url, NULL};
    char *err = NULL;
    int rc = tu_run_cli(argv, NULL, out, &err, 60);
    if (rc != 0 && rc != 1)
        fprintf(stderr, "replay stderr: %s\n", err ? err : "");
    free(err);
    return rc;
}

START_TEST(replay_ops_casefile_records_operation)
{
    const char *path = write_case("GET /things/{id}", "GET", "/things/abc", NULL, "c.json");
    char *text = tu_read_file(path, NULL);
    cJSON *doc = NULL;
    ck_assert_int_eq(mh_json_parse(text, strlen(text), NULL, &doc, NULL), MH_JSON_OK);
    ck_assert_str_eq(mh_json_get(doc, "operation")->valuestring, "GET /things/{id}");
    ck_assert_str_eq(mh_json_get(doc, "operation_id")->valuestring, "getThing");
    ck_assert_ptr_null(mh_json_get(mh_json_get(doc, "case"), "operation"));
    cJSON_Delete(doc);
    free(text);
    mh_casefile cf;
    mh_error err;
    ck_assert_int_eq(mh_casefile_load(path, &cf, &err), MH_OK);
    ck_assert_str_eq(cf.operation, "GET /things/{id}");
    ck_assert_str_eq(cf.operation_id, "getThing");
    ck_assert_ptr_null(cf.kase->operation);
    mh_casefile_free(&cf);

    /* A methods case keeps the "METHOD /path" it is reported under. */
    path = write_case("GET /things/{id}", "DELETE", "/things/abc", "DELETE /things/{id}", "m.json");
    ck_assert_int_eq(mh_casefile_load(path, &cf, &err), MH_OK);
    ck_assert_str_eq(cf.operation, "GET /things/{id}");
    ck_assert_str_eq(cf.kase->operation, "DELETE /things/{id}");
    ck_assert_str_eq(mh_case_operation(cf.kase), "DELETE /things/{id}");
    mh_casefile_free(&cf);
}
END_TEST

START_TEST(replay_ops_second_operation_judged_by_its_contract)
{
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, answer, sizeof answer - 1);
    ck_assert_ptr_nonnull(h);
    const char *url = tu_hostile_base_url(h);

    /* The first operation's case: 200 {} conforms. */
    char *out = NULL;
    const char *first = write_case("createThing", "POST", "/things", NULL, "first.json");
    ck_assert_int_eq(replay(first, url, &out), 0);
    ck_assert_msg(strstr(out, "POST /things valid/ascii -> 200"), "%s", out);
    free(out);

    /* The second's, with the same case id: 201 only, so 200 is a finding. */
    const char *second = write_case("GET /things/{id}", "GET", "/things/abc", NULL, "second.json");
    ck_assert_int_eq(replay(second, url, &out), 1);
    ck_assert_msg(strstr(out, "GET /things/{id} valid/ascii -> 200") &&
                      strstr(out, "status_code_conformance"),
                  "%s", out);
    free(out);
    char *req = tu_hostile_last_request(h, NULL);
    ck_assert_msg(req && strncmp(req, "GET /things/abc HTTP/1.1\r\n", 26) == 0, "%s", req);
    free(req);
    tu_hostile_stop(h);
}
END_TEST

/* Rewrites the top-level "operation" (and "operation_id", NULL = removed)
 * of the case file src into name. */
static const char *edit_case(const char *src, const char *operation, const char *operation_id,
                             const char *name)
{
    char *text = tu_read_file(src, NULL);
    cJSON *doc = NULL;
    ck_assert_int_eq(mh_json_parse(text, strlen(text), NULL, &doc, NULL), MH_JSON_OK);
    free(text);
    cJSON_ReplaceItemInObjectCaseSensitive(doc, "operation", cJSON_CreateString(operation));
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "operation_id");
    if (operation_id)
        cJSON_AddStringToObject(doc, "operation_id", operation_id);
    char *printed = cJSON_Print(doc);
    cJSON_Delete(doc);
    const char *path = tu_tmp_path(&tmp, name);
    FILE *f = fopen(path, "w");
    fputs(printed, f);
    fclose(f);
    free(printed);
    return path;
}

START_TEST(replay_ops_found_by_operation_id)
{
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RAW, answer, sizeof answer - 1);
    ck_assert_ptr_nonnull(h);
    const char *url = tu_hostile_base_url(h);
    const char *src = write_case("GET /things/{id}", "GET", "/things/abc", NULL, "src.json");
    char *out = NULL;

    /* The path was renamed since: the recorded operationId finds it. */
    const char *renamed = edit_case(src, "GET /old/{id}", "getThing", "renamed.json");
    ck_assert_int_eq(replay(renamed, url, &out), 1);
    ck_assert_msg(strstr(out, "GET /things/{id} valid/ascii -> 200"), "%s", out);
    free(out);

    /* An operationId in "operation" itself (a hand-written file). */
    const char *by_id = edit_case(src, "getThing", NULL, "by-id.json");
    ck_assert_int_eq(replay(by_id, url, &out), 1);
    ck_assert_msg(strstr(out, "GET /things/{id} valid/ascii"), "%s", out);
    free(out);

    /* Neither known: usage error, nothing sent. */
    size_t before = tu_hostile_request_count(h);
    const char *unknown = edit_case(src, "GET /old/{id}", "gone", "unknown.json");
    const char *argv[] = {"manta-harness", "replay", unknown, "--base-url", url, NULL};
    char *err = NULL;
    ck_assert_int_eq(tu_run_cli(argv, NULL, &out, &err, 60), 2);
    ck_assert_msg(strstr(err, "GET /old/{id}"), "%s", err);
    ck_assert_uint_eq(tu_hostile_request_count(h), before);
    free(out);
    free(err);
    tu_hostile_stop(h);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("replay_ops");
    TCase *tc = tcase_create("replay_ops");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, replay_ops_casefile_records_operation);
    tcase_add_test(tc, replay_ops_second_operation_judged_by_its_contract);
    tcase_add_test(tc, replay_ops_found_by_operation_id);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
