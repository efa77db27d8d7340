/* gen_other.c — the valid, boundary and malformed suites of operations
 * whose body is not an object: a JSON value of another schema, a declared
 * example of another media type, or no body at all. Their parameters carry
 * the rest (gen_pcase.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"

void mh__other_valid(mh__gen *g)
{
    const char *slug = g->kind == MH__BODY_EXAMPLE ? "example" : "typical";
    const char *desc = g->kind == MH__BODY_EXAMPLE      ? "the request body's declared example"
                       : g->kind == MH__BODY_JSON_VALUE ? "a body generated from its schema"
                                                        : "the standard request";
    mh_case *c = mh__case_begin(g, MH_SUITE_VALID, slug, desc);
    mh__case_typical(g, c, "valid");
    mh__case_finish(g, c, MH__KEEP);
}

void mh__other_boundary(mh__gen *g)
{
    mh__param_bot_cases(g);
}

/* A malformed case with a literal body (len bytes). */
static void literal_case(mh__gen *g, const char *slug, const char *desc, const char *text,
                         size_t len)
{
    mh_case *c = mh__case_begin(g, MH_SUITE_MALFORMED, slug, desc);
    if (c) {
        char *body = malloc(len + 1);
        if (!body) {
            g->oom = 1;
        } else {
            memcpy(body, text, len);
            body[len] = '\0';
        }
        mh__case_body(g, c, body, len);
    }
    mh__case_finish(g, c, MH__EXPECT_INVALID);
}

/* JSON bodies of another schema: values of the wrong shape (kept only when
 * the schema refuses them), broken JSON text, no body when one is required;
 * and the media type broken for every body. */
static void json_value_cases(mh__gen *g)
{
    static const struct {
        const char *slug, *text, *desc;
    } shapes[] = {
        {"body-object", "{}", "an object"},     {"body-array", "[]", "an array"},
        {"body-string", "\"str\"", "a string"}, {"body-number", "42", "a number"},
        {"body-boolean", "true", "a boolean"},  {"body-null", "null", "null"},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        literal_case(g, shapes[i].slug, shapes[i].desc, shapes[i].text, strlen(shapes[i].text));
    if (g->op->body_required)
        literal_case(g, "body-empty", "an empty body (zero bytes)", "", 0);
    literal_case(g, "json-truncated", "JSON cut in the middle", "[\"mh", 4);
    literal_case(g, "json-trailing-garbage", "valid JSON followed by garbage", "null garbage", 12);
    literal_case(g, "json-single-quotes", "single-quoted strings", "'mh'", 4);
}

static void media_type_case(mh__gen *g, const char *slug, const char *desc, const char *ct)
{
    mh_case *c = mh__case_begin(g, MH_SUITE_MALFORMED, slug, desc);
    mh__case_typical(g, c, "media type");
    if (c)
        mh__case_header(g, c, "Content-Type", ct);
    mh__case_finish(g, c, MH__KEEP);
}

void mh__other_malformed(mh__gen *g)
{
    if (g->kind == MH__BODY_JSON_VALUE) {
        json_value_cases(g);
        media_type_case(g, "content-type-text-plain", "a valid body sent as text/plain",
                        "text/plain");
    }
    if (g->kind == MH__BODY_JSON_VALUE || g->kind == MH__BODY_EXAMPLE)
        media_type_case(g, "content-type-missing", "a valid body with no Content-Type header",
                        NULL);
}
