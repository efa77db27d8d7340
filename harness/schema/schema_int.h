/* schema_int.h — the private header of harness/schema/.
 *
 * The first part is what harness/spec/ uses: schema sets and $ref following.
 * A schema set owns every schema compiled from one document, memoized by the
 * resolved node, so each schema object is compiled once and recursive
 * references become cycles in the graph.
 *
 * The rest is shared by the files of this folder only, one stage each:
 *   violation.c  the mh_violations list (public) and message formatting
 *   ref.c        following $ref chains
 *   format.c     the string formats (date-time, email, uuid, ...)
 *   regex.c      pattern compilation and matching (PCRE2)
 *   equal.c      deep equality of instances (enum, uniqueItems)
 *   compile.c    schema objects -> mh_schema graph; the set; cycle check
 *   validate.c   walking an instance against the graph
 * Calls go down that list's dependencies only: compile.c uses ref, format
 * and regex; validate.c uses violation, format, regex and equal; none of
 * those calls back.
 */
#ifndef MH_SCHEMA_SCHEMA_INT_H
#define MH_SCHEMA_SCHEMA_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "manta/schema.h"

/* ---- for harness/spec/ ----------------------------------------------- */

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
 * non-local, malformed, dangling or cyclic refs (err pointer: at + "/$ref"),
 * MH_ERR_NOMEM. (ref.c) */
mh_status mh__ref_follow(const cJSON *root, const cJSON *node, const char *at, const cJSON **target,
                         char **target_ptr, mh_error *err);

/* ---- inside harness/schema/ only --------------------------------------- */

/* Bits of mh_schema.types. */
enum {
    MH__T_STRING = 1,
    MH__T_NUMBER = 2,
    MH__T_INTEGER = 4,
    MH__T_BOOLEAN = 8,
    MH__T_ARRAY = 16,
    MH__T_OBJECT = 32
};

/* The formats checked; anything else is F_NONE (ignored). */
typedef enum {
    MH__F_NONE = 0,
    MH__F_DATETIME,
    MH__F_DATE,
    MH__F_TIME,
    MH__F_EMAIL,
    MH__F_UUID,
    MH__F_URI,
    MH__F_IPV4,
    MH__F_IPV6,
    MH__F_BYTE,
    MH__F_INT32,
    MH__F_INT64
} mh__format;

/* A compiled pattern (opaque; regex.c). */
typedef struct mh__regex mh__regex;

typedef struct {
    const char *name; /* borrowed from the document */
    mh_schema *schema;
} mh__prop;

typedef struct {
    mh_schema **v;
    size_t n;
} mh__schema_list;

/* One compiled schema object. Owned by its set (compile.c builds it);
 * validate.c only reads it. Strings and cJSON nodes are borrowed from the
 * document. */
struct mh_schema {
    const cJSON *src;
    char *location;
    unsigned types; /* MH__T_* bits; 0 = any type */
    int nullable, read_only, write_only;
    const cJSON *enum_values;
    mh__prop *props;
    size_t nprops;
    const char **required;
    size_t nrequired;
    int additional; /* 1 allowed (default), 0 forbidden, 2 schema */
    mh_schema *additional_schema;
    mh_schema *items;
    double min_items, max_items, min_len, max_len, min_props, max_props; /* -1 absent */
    int unique;
    mh__regex *pattern;
    const char *pattern_src;
    const cJSON *minimum, *maximum, *multiple_of;
    int excl_min, excl_max;
    mh__schema_list all_of, any_of, one_of;
    mh_schema *not_;
    mh__format format;
    const char *format_name;
    int color; /* cycle check */
};

/* violation.c */

/* Formats into buf (n bytes) when the text fits, else into a new malloc'd
 * buffer (*heap, freed by the caller; NULL when buf was used). Returns the
 * text and its length in *len; NULL on a formatting error or out-of-memory.
 * One formatting pass in the common case. */
char *mh__vformat(char *buf, size_t n, char **heap, size_t *len, const char *fmt, va_list ap);

/* Appends a violation with keyword and message msg[0..mlen) and room for a
 * pointer of plen bytes, which the caller writes at the returned address
 * (its terminating NUL is in place). NULL on out-of-memory (v unchanged). */
char *mh__violation_new(mh_violations *v, const char *keyword, size_t plen, const char *msg,
                        size_t mlen);

/* format.c */

/* The format called name, MH__F_NONE when it is not one we check. */
mh__format mh__format_lookup(const char *name);

/* 1 when the string s is valid for the string format f (date-time, date,
 * time, email, uuid, uri, ipv4, ipv6, byte); 1 for any other f. */
int mh__format_string_ok(mh__format f, const char *s);

/* regex.c */

/* Compiles the pattern src (PCRE2, UTF mode, $ only at the very end). On
 * failure returns -1 and writes "invalid pattern: <why> at offset <n>" into
 * msg (n bytes). *out is the caller's (mh__regex_free). */
int mh__regex_compile(const char *src, mh__regex **out, char *msg, size_t n);

/* Frees a compiled pattern. NULL is a no-op. */
void mh__regex_free(mh__regex *re);

enum { MH__REGEX_LIMIT = -1, MH__REGEX_ERROR = -2 };

/* Searches s (a string from mh_json_parse, C0 80 for U+0000) for re,
 * unanchored. 1 match, 0 no match, MH__REGEX_LIMIT when the backtracking
 * limits stopped it, MH__REGEX_ERROR on any other failure (out of memory
 * included). Thread-safe: one match block per thread. */
int mh__regex_test(const mh__regex *re, const char *s);

/* equal.c */

/* 1 when the instances a and b are equal: same type, numbers by exact
 * value (1 == 1.0), strings byte for byte, arrays in order, objects as sets
 * of members. */
int mh__instance_equal(const cJSON *a, const cJSON *b);

/* 1 when the n items of the array arr are all distinct; else 0 with the
 * indices of a duplicate pair in *i1 < *i2 (the first pair found: by a hash
 * sort from 16 items on, so not always the first in document order). Never
 * fails: falls back to pairwise comparison when out of memory. */
int mh__unique_items(const cJSON *arr, size_t n, size_t *i1, size_t *i2);

#endif
