/* schema.h — the Schema Object validator, OpenAPI 3.0 and 3.1.
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
 *
 * Semantics worth knowing (OpenAPI 3.0.3 documents; 3.1 below):
 * - There is no "null" type. A typed schema accepts null only with
 *   `nullable: true`; a nullable schema given null checks only `enum` (so the
 *   common `nullable: true, allOf: [{$ref}]` idiom accepts null). A schema
 *   without `type` places no type constraint, so null passes its type check
 *   (other keywords such as enum or allOf still apply).
 * - Keywords that only apply to one type (minLength, items, properties ...)
 *   are checked only when the instance has the declared type, so a wrong type
 *   is one violation, not many.
 * - `integer` is judged exactly from the number's literal (1.0 and
 *   12345678901234567890 are integers, 1.5 and true are not). minimum/maximum
 *   compare doubles. multipleOf and enum/uniqueItems number equality are exact
 *   on the decimal literals (0.3 is a multiple of 0.1; 1 equals 1.0).
 * - `required` naming a readOnly property is not enforced for requests, nor a
 *   writeOnly one for responses; a readOnly property present in a request (or
 *   writeOnly in a response) is a violation (keyword readOnly/writeOnly).
 *   The flags are read from the property's resolved schema.
 * - pattern: PCRE2 with PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, unanchored search
 *   like ECMA 262 RegExp.test. Compiled once; an uncompilable pattern is a
 *   spec error (MH_ERR_SPEC at its pointer). Differences from ECMA 262: \d,
 *   \w, \s and \b are ASCII-only in both (no PCRE2_UCP) except that PCRE2's
 *   \s lacks some Unicode spaces ECMA includes; lookbehind is supported but
 *   must be fixed-length in PCRE2; Unicode property escapes are \p{L} in both
 *   but ECMA needs the u flag (ECMA's long names, \p{Letter} and
 *   \p{Script=Greek}, are accepted and read as PCRE2's \p{L}, \p{Greek});
 *   PCRE2 accepts constructs ECMA rejects (possessive quantifiers, atomic
 *   groups, \A, \z, (?i)). A match that hits PCRE2's match limit
 *   (catastrophic backtracking) is reported as a pattern violation saying
 *   so.
 * - format: date-time/date/time (RFC 3339), email (dot-atom@domain), uuid,
 *   uri (absolute, RFC 3986 characters), ipv4 (no leading zeros), ipv6,
 *   byte (padded standard base64), int32/int64 (exact range), float/double
 *   (any number). Unknown formats are ignored.
 * - Annotations (title, description, default, example(s), deprecated,
 *   discriminator, xml, externalDocs, $comment, content*, x-*) have no
 *   effect. Any other keyword that is not checked (for the document's
 *   version) has no effect either, but never silently: it is a load-time
 *   warning naming its JSON pointer (mh_spec_warning in manta/spec.h).
 *   In 3.0 that includes the siblings of a $ref, which 3.0 ignores.
 *
 * OpenAPI 3.1 documents (openapi: 3.1.x) are JSON Schema 2020-12 instead:
 * - type may be a list, and "null" is a type; `nullable` is not a keyword
 *   (warned about). A null instance meets enum/const and the applicators.
 * - const; exclusiveMinimum/exclusiveMaximum are the bounds themselves (a
 *   boolean is read the 3.0 way, with a warning).
 * - $ref beside other keywords: both apply (a $ref with only annotations
 *   beside it is a plain reference). $defs hold schemas for "#/..." refs.
 * - true and false are schemas (false: keyword "false").
 * - prefixItems (items is then the schema of the rest), contains with
 *   minContains/maxContains, propertyNames, patternProperties (with
 *   additionalProperties for members matching neither), dependentRequired,
 *   dependentSchemas, if/then/else.
 * - format is asserted as in 3.0 (2020-12 makes it an annotation by default).
 * - Not supported, so warned about: $id, $anchor, $dynamicRef,
 *   $dynamicAnchor, $vocabulary, unevaluatedItems, unevaluatedProperties,
 *   and a $schema naming another dialect.
 *
 * Ownership: compiled schemas belong to the mh_spec that compiled them; the
 * violation list belongs to the caller. Validation allocates nothing while a
 * document is valid (pattern matching uses one match block per thread).
 */
#ifndef MANTA_SCHEMA_H
#define MANTA_SCHEMA_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "manta/error.h"

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
int mh_violations_add(mh_violations *v, const char *keyword, const char *pointer, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));

/* Validates instance (a tree from mh_json_parse) against s, appending every
 * violation to out. Returns the number of violations (0 = valid); out may be
 * NULL to only count them. s and instance are not modified; thread-safe for
 * concurrent calls on the same schema. Nothing is allocated while the
 * document is valid (except for paths deeper than 32 levels and uniqueItems
 * arrays over 128 items). anyOf/oneOf failures are one violation at the
 * instance location whose message summarises each branch's first error.
 * Instances nested deeper than 1000 levels get one "depth" violation. */
size_t mh_schema_validate(const mh_schema *s, const cJSON *instance, mh_direction dir,
                          mh_violations *out);

/* The schema's source object after $ref resolution (borrowed, lives as long
 * as the spec). Lets the case generator walk properties/required/type. */
const cJSON *mh_schema_source(const mh_schema *s);

/* The JSON pointer of the schema in its document, e.g.
 * "/components/schemas/ErrorResponse". Borrowed. */
const char *mh_schema_location(const mh_schema *s);

#endif
