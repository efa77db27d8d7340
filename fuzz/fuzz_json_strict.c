/* fuzz_json_strict.c — the strict RFC 8259 parser, differentially.
 *
 * Properties:
 * - accepted: cJSON parses the same bytes too and its tree equals ours
 *   (types, member names and order, strings byte for byte, numbers as
 *   doubles), and our number nodes keep a literal that strtod maps to the
 *   stored double. Skipped when the document holds \u0000 (we store C0 80,
 *   cJSON truncates at the NUL) or a number literal longer than cJSON's
 *   63-byte number buffer.
 * - rejected: the rule is a documented one with a real name, the offset lies
 *   within the input and line/column are 1-based.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "manta/json_strict.h"

/* cJSON 1.7.15 copies at most 63 bytes of a number literal before strtod. */
#define CJSON_NUMBER_BUF 63

/* 1 when every number literal in t is short enough for cJSON to read whole;
 * *finite cleared when a number overflowed to infinity. Also checks that
 * each literal is what the double came from. */
static int numbers_comparable(const cJSON *t, int *finite)
{
    for (; t; t = t->next) {
        if (cJSON_IsNumber(t)) {
            MH_FUZZ_ASSERT(t->valuestring != NULL);
            MH_FUZZ_ASSERT(strtod(t->valuestring, NULL) == t->valuedouble);
            if (!isfinite(t->valuedouble))
                *finite = 0;
            if (strlen(t->valuestring) > CJSON_NUMBER_BUF)
                return 0;
        }
        if (t->child && !numbers_comparable(t->child, finite))
            return 0;
    }
    return 1;
}

/* Exact, order-sensitive tree equality (cJSON_Compare treats inf != inf). */
static int same_tree(const cJSON *a, const cJSON *b)
{
    for (; a && b; a = a->next, b = b->next) {
        if ((a->type & 0xff) != (b->type & 0xff))
            return 0;
        if ((a->string == NULL) != (b->string == NULL))
            return 0;
        if (a->string && strcmp(a->string, b->string) != 0)
            return 0;
        if (cJSON_IsString(a) && strcmp(a->valuestring, b->valuestring) != 0)
            return 0;
        if (cJSON_IsNumber(a) && (a->valuedouble != b->valuedouble || a->valueint != b->valueint))
            return 0;
        if (!same_tree(a->child, b->child))
            return 0;
    }
    return a == NULL && b == NULL;
}

/* 1 when the text holds the escape \u0000 (a backslash that is itself
 * escaped, as in "\\u0000", is a false positive: that only skips a case). */
static int has_nul_escape(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i + 6 <= size; i++)
        if (memcmp(data + i, "\\u0000", 6) == 0)
            return 1;
    return 0;
}

static void check_accepted(const uint8_t *data, size_t size, const cJSON *strict)
{
    int finite = 1;
    if (!numbers_comparable(strict, &finite))
        return;
    if (has_nul_escape(data, size))
        return;
    char *copy = mh_fuzz_strndup(data, size);
    cJSON *lenient = cJSON_ParseWithLength(copy, size);
    MH_FUZZ_ASSERT(lenient != NULL);
    MH_FUZZ_ASSERT(same_tree(strict, lenient));
    if (finite)
        MH_FUZZ_ASSERT(cJSON_Compare(strict, lenient, 1));
    cJSON_Delete(lenient);
    free(copy);
}

static void check_rejected(mh_json_rule rule, const mh_json_error *err, size_t size)
{
    MH_FUZZ_ASSERT(rule > MH_JSON_OK && rule <= MH_JSON_E_NOMEM);
    MH_FUZZ_ASSERT(strcmp(mh_json_rule_name(rule), "unknown") != 0);
    MH_FUZZ_ASSERT(err->rule == rule);
    MH_FUZZ_ASSERT(err->offset <= size);
    MH_FUZZ_ASSERT(err->line >= 1 && err->column >= 1);
    MH_FUZZ_ASSERT(memchr(err->message, '\0', sizeof err->message) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *tree = NULL;
    mh_json_error err;
    memset(&err, 0, sizeof err);
    mh_json_rule rule = mh_json_parse((const char *)data, size, NULL, &tree, &err);
    if (rule == MH_JSON_OK) {
        MH_FUZZ_ASSERT(tree != NULL);
        check_accepted(data, size, tree);
        cJSON_Delete(tree);
    } else {
        MH_FUZZ_ASSERT(tree == NULL);
        check_rejected(rule, &err, size);
    }
    return 0;
}
