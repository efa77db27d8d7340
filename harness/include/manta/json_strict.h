/* json_strict.h — the RFC 8259 gate in front of cJSON.
 *
 * cJSON alone is lenient (trailing data, BOM, invalid UTF-8, \uZZZZ, duplicate
 * keys, leading zeros, raw control characters ...). mh_json_parse() accepts
 * exactly RFC 8259 JSON text in UTF-8 and builds the result as an ordinary
 * cJSON tree, so the rest of the engine uses cJSON's API.
 *
 * Tree conventions (the contract the rest of the engine relies on):
 * - Number nodes keep their literal text in ->valuestring (e.g. "1.0e2"), so
 *   integer-ness and huge integers are judged exactly (mh_json_is_integer).
 *   valuedouble holds strtod()'s value (locale-independent), valueint is
 *   saturated to INT_MIN..INT_MAX as cJSON_CreateNumber does.
 * - Memory: each node is one cJSON_malloc block holding the node, its member
 *   name and its value text (string value or number literal). The node's type
 *   carries cJSON_StringIsConst when it has a name and, on string and number
 *   nodes only, cJSON_IsReference, which is how cJSON_Delete knows to free
 *   the block alone: cJSON_Delete of the root or of any detached subtree frees
 *   everything (hooks too). So test types with cJSON_Is* or (type & 0xFF),
 *   never type == ...; replace a string node rather than calling
 *   cJSON_SetValuestring on it (cJSON refuses references); copy trees with
 *   mh_json_duplicate, not cJSON_Duplicate, whose copies would keep pointing
 *   at the source's member names. Detaching, replacing, re-adding under a new
 *   name (cJSON_AddItemToObject) and printing work as usual.
 * - Strings are NUL-terminated UTF-8. A decoded U+0000 is stored as the two
 *   bytes C0 80 ("modified UTF-8") so strings never contain a NUL byte and
 *   code-point counts stay right; mh_json_utf8_length() counts it as one.
 * - Object member order is document order; duplicate names are rejected.
 * - Look members up with mh_json_get(): exact, case-sensitive
 *   (cJSON_GetObjectItem is case-insensitive).
 */
#ifndef MANTA_JSON_STRICT_H
#define MANTA_JSON_STRICT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "manta/error.h"

/* Each rule a document can break. Names (mh_json_rule_name) are stable. */
typedef enum {
    MH_JSON_OK = 0,
    MH_JSON_E_EMPTY,     /* "empty": no value at all (only whitespace) */
    MH_JSON_E_BOM,       /* "bom": UTF-8 byte-order mark */
    MH_JSON_E_UTF8,      /* "utf8": invalid UTF-8 (overlong, surrogate, > U+10FFFF, truncated) */
    MH_JSON_E_NUL,       /* "nul_byte": a raw NUL byte in the input */
    MH_JSON_E_CONTROL,   /* "control_char": raw U+0000..U+001F inside a string */
    MH_JSON_E_ESCAPE,    /* "escape": unknown escape or \u without 4 hex digits */
    MH_JSON_E_SURROGATE, /* "surrogate": \u escapes forming a lone surrogate */
    MH_JSON_E_NUMBER,    /* "number": leading zero, "1.", "+1", ".5", "1e", NaN, Infinity */
    MH_JSON_E_TOKEN,     /* "token": unexpected character (comments, single quotes, bare words) */
    MH_JSON_E_COMMA,     /* "trailing_comma": a comma before } or ] */
    MH_JSON_E_DUPKEY,    /* "duplicate_key": an object names a member twice */
    MH_JSON_E_DEPTH,     /* "depth": nesting deeper than the limit */
    MH_JSON_E_TRAILING,  /* "trailing_data": non-whitespace after the value */
    MH_JSON_E_EOF,       /* "truncated": input ends inside a value */
    MH_JSON_E_NOMEM      /* "nomem" */
} mh_json_rule;

typedef struct {
    /* Arrays+objects open at once; <= 0 means MH_JSON_DEFAULT_DEPTH. A depth
     * of exactly max_depth is accepted, one more is "depth". The parser itself
     * never recurses, but cJSON_Delete/Print/Compare/Duplicate do, so keep
     * this in the hundreds or low thousands. */
    int max_depth;
} mh_json_opts;

#define MH_JSON_DEFAULT_DEPTH 256

/* Where a rejection points: the first byte of the offending token or sequence
 * (the bracket that nests too deep, the opening quote of a duplicate name,
 * the backslash of a lone-surrogate escape, the lead byte of invalid UTF-8,
 * the comma of a trailing comma, the hex digit that is not one); for
 * "truncated" and "empty", the end of the input. The first error in document
 * order wins; a NUL byte, invalid UTF-8 or a BOM is named as such wherever
 * the grammar stumbles on it. */
typedef struct {
    mh_json_rule rule;
    size_t offset;     /* byte offset of the offending byte */
    int line;          /* 1-based */
    int column;        /* 1-based, in bytes */
    char message[160]; /* e.g. "duplicate key \"name\"" */
} mh_json_error;

/* Parses buf[0..len) strictly. buf need not be NUL-terminated and may contain
 * NUL bytes (which are rejected). On success returns MH_JSON_OK and stores a
 * new tree in *out, owned by the caller (cJSON_Delete). On failure returns the
 * rule broken, leaves *out NULL and fills err if non-NULL. opts may be NULL;
 * out may be NULL to validate only. buf may be NULL when len is 0.
 * Iterative: no recursion, so hostile nesting cannot overflow the stack.
 * Cost: one pass, O(len) time, duplicate names found with a hash set once an
 * object has more than a few members. */
mh_json_rule mh_json_parse(const char *buf, size_t len, const mh_json_opts *opts, cJSON **out,
                           mh_json_error *err);

/* Describes a rejection as an engine error: "invalid JSON[ in WHAT] (rule):
 * message" located at file line:column and byte offset. Returns the status
 * it set: MH_ERR_NOMEM for MH_JSON_E_NOMEM, else MH_ERR_JSON. what may be
 * NULL; err may be NULL. */
mh_status mh_json_error_describe(mh_error *err, mh_json_rule rule, const mh_json_error *je,
                                 const char *file, const char *what);

/* Stable snake_case name of a rule ("duplicate_key"). Never NULL. */
const char *mh_json_rule_name(mh_json_rule rule);

/* Case-sensitive, byte-exact member lookup (a name holding U+0000 is spelled
 * with C0 80). NULL when obj is not an object or has no member key. Borrowed
 * pointer into obj. O(members). */
cJSON *mh_json_get(const cJSON *obj, const char *key);

/* 1 when a number node's value is mathematically an integer, judged exactly
 * from its literal (digits x 10^exponent, any size, no rounding): 1, -0, 1.0,
 * 1e2, 1.5e1, 0.1e1, 1e400, 0e-400 and 123456789012345678901234567890 are
 * integers; 1.5, 1e-1, 1e-400 are not. So 1.0 and 1e2 count as integers, as in
 * JSON Schema draft 6+ and ajv: the mathematical value decides, not the
 * spelling. For nodes not made by mh_json_parse (no literal) it falls back to
 * the double (finite and whole). 0 for non-numbers and NULL. */
int mh_json_is_integer(const cJSON *num);

/* Deep copy of item (with its siblings' links cleared, like cJSON_Duplicate
 * with recurse) that owns every string it holds: names and values are copied
 * into separate cJSON_malloc blocks and cJSON_IsReference/StringIsConst are
 * cleared, so it outlives the source. Works on any cJSON tree. Caller owns
 * the result (cJSON_Delete). NULL for NULL item or on out-of-memory. */
cJSON *mh_json_duplicate(const cJSON *item);

/* Number of code points in a UTF-8 string from mh_json_parse (C0 80 counts as
 * one): the bytes that are not continuation bytes. 0 for NULL. */
size_t mh_json_utf8_length(const char *s);

/* Writes s as a JSON string literal (with quotes) into a new malloc'd buffer,
 * escaping per RFC 8259 and turning C0 80 back into \u0000. Caller frees.
 * '"', '\\' and C0 controls are escaped (\n, \t, ... or \u00XX); everything
 * else, including '/', DEL and non-ASCII, is copied as is. NULL s quotes as
 * "". NULL on out-of-memory. */
char *mh_json_quote(const char *s);

#endif
