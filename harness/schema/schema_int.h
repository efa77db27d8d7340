/* schema_int.h — the schema compiler and $ref resolution, used by harness/spec/.
 * A schema set owns every schema compiled from one document, memoized by the
 * resolved node, so each schema object is compiled once and recursive
 * references become cycles in the graph. */
#ifndef MH_SCHEMA_SCHEMA_INT_H
#define MH_SCHEMA_SCHEMA_INT_H

#include "manta/schema.h"

typedef struct mh__schema_set mh__schema_set;

/* New empty set over the document root (borrowed; must outlive the set).
 * NULL on out-of-memory. */
mh__schema_set *mh__schema_set_new(const cJSON *root);
/* Frees the set and every schema in it. NULL is a no-op. */
void mh__schema_set_free(mh__schema_set *set);

/* Compiles the schema object node found at JSON pointer `at` (following its
 * $ref chain) and everything it reaches. *out is owned by the set. Errors:
 * MH_ERR_REF (dangling, non-local or cyclic $ref, pointer set), MH_ERR_SPEC
 * (bad keyword value or pattern, pointer set), MH_ERR_NOMEM. */
mh_status mh__schema_compile(mh__schema_set *set, const cJSON *node, const char *at,
                             const mh_schema **out, mh_error *err);

/* Rejects graphs where a schema reaches itself through allOf/anyOf/oneOf/not
 * only (no keyword that descends into the instance): validating those would
 * never end. MH_ERR_REF naming the schema's pointer. */
mh_status mh__schema_set_check_cycles(mh__schema_set *set, mh_error *err);

/* Follows node's $ref chain (node itself when it has no $ref). On success
 * *target is the resolved node and, when target_ptr is non-NULL, *target_ptr a
 * new malloc'd JSON pointer of it (caller frees). Errors: MH_ERR_REF for
 * non-local, malformed, dangling or cyclic refs (err pointer: at + "/$ref"). */
mh_status mh__ref_follow(const cJSON *root, const cJSON *node, const char *at, const cJSON **target,
                         char **target_ptr, mh_error *err);

/* Resolves a JSON pointer ("" = root, "/a/b~1c") in root; NULL if absent or
 * malformed. */
const cJSON *mh__pointer_get(const cJSON *root, const char *pointer);

/* base + "/" + token with ~ and / escaped (RFC 6901); new malloc'd string or
 * NULL on out-of-memory. */
char *mh__pointer_append(const char *base, const char *token);

#endif
