/* casefile.h — one case saved as a replayable JSON file.
 *
 * Secrets never reach the file: the token, JWT key and secret are replaced
 * by $MANTA_TOKEN, $MANTA_JWT_KEY and $MANTA_SECRET, and put back from the
 * replayer's own configuration. The body is stored exactly (base64url of the
 * redacted bytes) and, for people, as text.
 *
 *   {"tool":"manta-harness","kind":"case","version":1,"spec":"…",
 *    "operation":"POST /openapi/personalTag"[,"operation_id":"…"],"base_url":"…","seed":1,
 *    "case":{"id","suite"[,"operation"],"method","target","headers":[["Name","value"]…],
 *            "body":"…","body_base64":"…","body_schema_valid":true},
 *    "response":{"status":200,"content_type":"…"},
 *    "findings":[{"check","severity","message","path"}]}
 *
 * "operation" is the "METHOD /path" of the operation whose contract judges
 * the case, "operation_id" its operationId when declared: replay finds the
 * operation in the document by the first, else by the second (a case id is
 * unique only within its operation). case.operation is there only when the
 * case is reported under another "METHOD /path" (a methods case: the
 * method it sends).
 */
#ifndef MANTA_CASEFILE_H
#define MANTA_CASEFILE_H

#include <stdint.h>

#include "manta/model.h"
#include "manta/redact.h"

/* Writes r's case and findings to path (atomically, parent folder must
 * exist). MH_ERR_IO naming the path on failure. */
mh_status mh_casefile_write(const char *path, const mh_result *r, const mh_redactor *red,
                            const char *spec_path, const char *base_url, uint64_t seed,
                            mh_error *err);

typedef struct {
    char *spec;         /* as recorded */
    char *operation;    /* "POST /openapi/personalTag" */
    char *operation_id; /* its operationId; NULL when none was recorded */
    char *base_url;
    uint64_t seed;
    mh_case *kase; /* op NULL; operation set from case.operation; placeholders not yet filled */
} mh_casefile;

/* Loads path (strict JSON). MH_ERR_IO / MH_ERR_JSON (line:column) /
 * MH_ERR_SPEC (missing or mistyped member, with its JSON pointer). */
mh_status mh_casefile_load(const char *path, mh_casefile *out, mh_error *err);
void mh_casefile_free(mh_casefile *f);

/* Puts the real values back for the placeholders in c's target, headers and
 * body. NULL values leave their placeholder. Returns 0, -1 on OOM. */
int mh_casefile_fill(mh_case *c, const char *token, const char *jwt_key, const char *secret);

#endif
