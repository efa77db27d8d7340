/* schema.h — the OpenAPI 3.0 Schema Object validator.
 *
 * Schemas are compiled once (by the spec loader, which owns them) into a graph
 * of mh_schema nodes; $refs become pointers, so recursive schemas are fine.
 * Validation walks the instance and the compiled graph and reports every
 * violation with its keyword and the JSON pointer into the instance.
 *
 * Keywords: type (incl. integer), nullable, enum, properties, required,
 * additionalProperties (bool or schema), items, minItems, maxItems,
 * uniqueItems, minLength/maxLength (code points), pattern (PCRE2, UTF mode:
 * see README for differences from ECMA 262), minimum/maximum with boolean
 * exclusiveMinimum/exclusiveMaximum, multipleOf, minProperties,
 * maxProperties, allOf, anyOf, oneOf, not, format (date-time, date, email,
 * uuid, uri, ipv4, ipv6, byte, int32, int64, float, double; unknown ignored),
 * readOnly/writeOnly by direction.
 */
#ifndef MH_SCHEMA_H
#define MH_SCHEMA_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "mh_error.h"

typedef struct mh_schema mh_schema;

typedef enum {
    MH_DIR_RESPONSE = 0, /* readOnly allowed, writeOnly properties must be absent */
    MH_DIR_REQUEST = 1   /* writeOnly allowed, readOnly properties must be absent */
} mh_direction;

/* One violation. All strings owned by the mh_violations list. */
typedef struct {
    char *keyword; /* "type", "required", "additionalProperties", ... */
    char *pointer; /* JSON pointer into the instance, "" for the root */
    char *message; /* "expected integer, got string" */
} mh_violation;

typedef struct {
    mh_violation *items;
    size_t count;
    size_t cap;
} mh_violations;

/* Empties the list, keeping its capacity. */
void mh_violations_clear(mh_violations *v);
/* Frees everything the list owns; the struct itself is the caller's. */
void mh_violations_free(mh_violations *v);
/* Appends one violation (copies the strings). Returns 0, or -1 on OOM. */
int mh_violations_add(mh_violations *v, const char *keyword, const char *pointer,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Validates instance (a tree from mh_json_parse) against s, appending every
 * violation to out. Returns the number appended (0 = valid). s and instance
 * are not modified; thread-safe for concurrent calls on the same schema. */
size_t mh_schema_validate(const mh_schema *s, const cJSON *instance, mh_direction dir,
                          mh_violations *out);

/* The schema's source object after $ref resolution (borrowed, lives as long
 * as the spec). Lets the case generator walk properties/required/type. */
const cJSON *mh_schema_source(const mh_schema *s);

/* The JSON pointer of the schema in its document, e.g.
 * "/components/schemas/ErrorResponse". Borrowed. */
const char *mh_schema_location(const mh_schema *s);

#endif
