/* fuzz_yaml_parse.c — YAML documents (libyaml events into cJSON trees).
 *
 * Properties:
 * - mh_yaml_parse either builds a tree or fails with a named status and a
 *   one-line message located at line:column >= 1; never both, never a crash.
 * - the tree keeps json_strict.h's conventions: every string and member name
 *   is valid UTF-8 without a NUL byte, every number has a JSON literal that
 *   the strict parser accepts as a number, and nesting stays within the
 *   parser's depth limit.
 * - printing the tree and parsing the print strictly succeeds (a YAML
 *   document always has a JSON equivalent once loaded).
 * - mh_document_parse agrees with mh_yaml_parse on anything that does not
 *   look like JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "manta/json_strict.h"
#include "manta/yaml.h"

/* s is valid UTF-8 (NUL-free by construction): quoted, the strict parser
 * takes it. */
static void check_text(const char *s)
{
    char *quoted = mh_json_quote(s);
    MH_FUZZ_ASSERT(quoted != NULL);
    MH_FUZZ_ASSERT(mh_json_parse(quoted, strlen(quoted), NULL, NULL, NULL) == MH_JSON_OK);
    free(quoted);
}

static void check_tree(const cJSON *n, int depth)
{
    MH_FUZZ_ASSERT(depth <= MH_JSON_DEFAULT_DEPTH + 1);
    if (n->string)
        check_text(n->string);
    if (cJSON_IsString(n))
        check_text(n->valuestring);
    if (cJSON_IsNumber(n)) {
        MH_FUZZ_ASSERT(n->valuestring != NULL);
        cJSON *num = NULL;
        MH_FUZZ_ASSERT(mh_json_parse(n->valuestring, strlen(n->valuestring), NULL, &num, NULL) ==
                       MH_JSON_OK);
        MH_FUZZ_ASSERT(cJSON_IsNumber(num));
        cJSON_Delete(num);
    }
    for (const cJSON *c = n->child; c; c = c->next)
        check_tree(c, depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *tree = NULL;
    mh_error err;
    mh_error_clear(&err);
    mh_status st = mh_yaml_parse((const char *)data, size, "fuzz.yaml", &tree, &err);
    if (st != MH_OK) {
        MH_FUZZ_ASSERT(tree == NULL);
        MH_FUZZ_ASSERT(err.message[0] != '\0' && strchr(err.message, '\n') == NULL);
        MH_FUZZ_ASSERT(st == MH_ERR_NOMEM || (err.line >= 1 && err.column >= 1));
        return 0;
    }
    MH_FUZZ_ASSERT(tree != NULL);
    check_tree(tree, 1);
    char *printed = cJSON_PrintUnformatted(tree);
    if (printed) {
        cJSON *again = NULL;
        MH_FUZZ_ASSERT(mh_json_parse(printed, strlen(printed), NULL, &again, NULL) == MH_JSON_OK);
        cJSON_Delete(again);
        free(printed);
    }
    if (!mh_yaml_looks_like_json((const char *)data, size)) {
        cJSON *doc = NULL;
        MH_FUZZ_ASSERT(mh_document_parse((const char *)data, size, "fuzz.yaml", &doc, NULL) ==
                       MH_OK);
        MH_FUZZ_ASSERT(cJSON_Compare(doc, tree, 1));
        cJSON_Delete(doc);
    }
    cJSON_Delete(tree);
    return 0;
}
