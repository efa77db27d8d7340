/* fuzz_response_check.c — one answer judged exactly as the runner judges it.
 *
 * Input: 2 bytes (big-endian, status = 100 + n % 500), a Content-Type line up
 * to '\n' ("-" = header absent), then the body. The answer is judged by
 * mh_check_response against the bundled contract's "POST /openapi/personalTag".
 *
 * Properties: only the three response checks ever fire, each with its
 * DESIGN.md severity; an undeclared status always yields a
 * status_code_conformance finding; a JSON answer the check passes is also
 * strict JSON that the declared schema accepts (judged independently here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/check.h"
#include "fuzz_util.h"
#include "manta/json_strict.h"
#include "manta/model.h"
#include "manta/spec.h"

static mh_spec *spec;
static const mh_operation *op;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *path = mh_fuzz_contract_path();
    mh_error err;
    if (mh_spec_load(path, &spec, &err) != MH_OK ||
        !(op = mh_spec_find_operation(spec, "POST /openapi/personalTag", &err))) {
        char line[1024];
        fprintf(stderr, "fuzz_response_check: %s\n", mh_error_format(&err, line, sizeof line));
        abort();
    }
    return 0;
}

static int response_check(mh_check_id id)
{
    return id == MH_CHECK_STATUS_CODE_CONFORMANCE || id == MH_CHECK_CONTENT_TYPE_CONFORMANCE ||
           id == MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE;
}

static void check_findings(const mh_result *r, int status)
{
    int status_finding = 0;
    for (size_t i = 0; i < r->finding_count; i++) {
        const mh_finding *f = &r->findings[i];
        MH_FUZZ_ASSERT(f->check && response_check(f->check_id));
        MH_FUZZ_ASSERT(mh_check_parse(f->check) == (int)f->check_id);
        MH_FUZZ_ASSERT(mh_check_severity(f->check_id) == f->severity);
        MH_FUZZ_ASSERT(f->message != NULL && f->path != NULL);
        status_finding |= f->check_id == MH_CHECK_STATUS_CODE_CONFORMANCE;
    }
    if (!mh_operation_response(op, status))
        MH_FUZZ_ASSERT(status_finding);
}

/* When the check found nothing and the answer claimed a JSON media type with a
 * schema, the body must be strict JSON valid against that schema. */
static void check_passed_body(int status, const char *ctype, const char *body, size_t len)
{
    const mh_response *resp = mh_operation_response(op, status);
    const mh_media *media = resp && ctype ? mh_response_media(resp, ctype) : NULL;
    if (!media || !media->schema || strncasecmp(ctype, "application/json", 16) != 0)
        return;
    cJSON *doc = NULL;
    MH_FUZZ_ASSERT(mh_json_parse(body, len, NULL, &doc, NULL) == MH_JSON_OK);
    mh_violations v = {0};
    MH_FUZZ_ASSERT(mh_schema_validate(media->schema, doc, MH_DIR_RESPONSE, &v) == 0);
    mh_violations_free(&v);
    cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int status = 100 + ((data[0] << 8) | data[1]) % 500;
    const uint8_t *rest = data + 2, *end = data + size;
    const uint8_t *nl = memchr(rest, '\n', (size_t)(end - rest));
    if (!nl)
        return 0;
    char *ctype = mh_fuzz_strndup(rest, (size_t)(nl - rest));
    int absent = strcmp(ctype, "-") == 0;
    /* An exact-size body copy: ASan catches any read past its end. */
    size_t len = (size_t)(end - nl - 1);
    char *body = malloc(len ? len : 1);
    if (!body)
        abort();
    memcpy(body, nl + 1, len);

    mh_result r;
    memset(&r, 0, sizeof r);
    mh_check_response(op, status, absent ? NULL : ctype, body, len, 0, &r);
    check_findings(&r, status);
    if (r.finding_count == 0 && !absent)
        check_passed_body(status, ctype, body, len);
    mh_result_clear(&r);
    free(body);
    free(ctype);
    return 0;
}
