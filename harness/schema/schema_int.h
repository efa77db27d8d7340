/* schema_int.h — the private header of harness/schema/.
 *
 * The first part is what harness/spec/ uses: schema sets and $ref following.
 * A schema set owns every schema compiled from one document, memoized by the
 * resolved node, so each schema object is compiled once and recursive
 * references become cycles in the graph.
 *
 * The rest is shared by the files of this folder only, one stage each:
 *   violation.c  the mh_violations list (public) and message formatting
 *   keywords.c   what each keyword is in each dialect; the warning list
 *   ref.c        following $ref chains
 *   format.c     the string formats (date-time, email, uuid, ...)
 *   regex.c      pattern compilation and matching (PCRE2)
 *   equal.c      deep equality of instances (enum, uniqueItems)
 *   compile.c    schema objects -> mh_schema graph; the set; cycle check
 *   validate.c   walking an instance against the graph
 * Calls go down that list's dependencies only: compile.c uses keywords,
 * ref, format and regex; validate.c uses violation, format, regex and equal; none of
 * those calls back.
 */
#ifndef MH_SCHEMA_SCHEMA_INT_H
#define MH_SCHEMA_SCHEMA_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "manta/schema.h"
#include "util/buf.h"

/* ---- for harness/spec/ ----------------------------------------------- */

typedef struct mh__schema_set mh__schema_set;

/* The Schema Object dialect of a document. OpenAPI 3.0: the 3.0.3 Schema
 * Object (nullable, boolean exclusiveMinimum/Maximum, $ref siblings ignored).
 * OpenAPI 3.1: JSON Schema 2020-12 (type arrays and "null", const, numeric
 * exclusive bounds, $ref beside other keywords, boolean schemas, ...). */
typedef enum { MH__DIALECT_OAS30 = 0, MH__DIALECT_OAS31 = 1 } mh__dialect;

/* New empty set over the document root (borrowed; must outlive the set),
 * compiling schemas of the given dialect. NULL on out-of-memory. */
mh__schema_set *mh__schema_set_new(const cJSON *root, mh__dialect dialect);
/* Frees the set and every schema in it. NULL is a no-op. */
void mh__schema_set_free(mh__schema_set *set);

/* The warnings compiling has collected so far: a keyword the validator does
 * not check (for the set's dialect) in a compiled schema, each said once,
 * in the order found. The i-th message (NULL when i is out of range) and, in
 * *pointer when non-NULL, the JSON pointer of the keyword in the document;
 * both borrowed from the set. */
size_t mh__schema_set_warning_count(const mh__schema_set *set);
const char *mh__schema_set_warning(const mh__schema_set *set, size_t i, const char **pointer);

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

/* mh__ref_follow that stops early: a node of the chain with a $ref for which
 * stop(node) is 1 is the target (its $ref not taken). The start node is
 * tested only when test_start; otherwise its $ref is always taken (node must
 * then have one). stop may be NULL (never stop). Same errors. (ref.c) */
mh_status mh__ref_follow_until(const cJSON *root, const cJSON *node, const char *at,
                               int (*stop)(const cJSON *node), int test_start, const cJSON **target,
                               char **target_ptr, mh_error *err);

/* ---- inside harness/schema/ only --------------------------------------- */

/* Bits of mh_schema.types. MH__T_NULL only in OpenAPI 3.1 schemas. */
enum {
    MH__T_STRING = 1,
    MH__T_NUMBER = 2,
    MH__T_INTEGER = 4,
    MH__T_BOOLEAN = 8,
    MH__T_ARRAY = 16,
    MH__T_OBJECT = 32,
    MH__T_NULL = 64
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

/* patternProperties: one pattern and the schema of the members it matches. */
typedef struct {
    mh__regex *re;
    const char *src; /* borrowed */
    mh_schema *schema;
} mh__pattern_prop;

/* dependentRequired: when `name` is present, `names` must be too. */
typedef struct {
    const char *name;
    const char **names;
    size_t n;
} mh__dep_required;

/* The OpenAPI 3.1 (JSON Schema 2020-12) keywords 3.0 does not have. A schema
 * has one only when it uses any of them, so 3.0 schemas never pay for it. */
typedef struct {
    int never;           /* the boolean schema false */
    mh_schema *ref;      /* $ref beside other keywords: both apply */
    const cJSON *const_; /* const (any JSON value, null included) */
    int has_const;
    const cJSON *excl_min, *excl_max; /* numeric exclusiveMinimum/Maximum */
    mh__schema_list prefix;           /* prefixItems */
    mh_schema *rest_items;            /* items after prefixItems */
    mh_schema *contains;
    double min_contains, max_contains; /* -1 absent */
    mh_schema *property_names;
    mh__pattern_prop *patterns;
    size_t npatterns;
    int additional; /* with patternProperties: 1 allowed, 0 forbidden, 2 schema */
    mh_schema *additional_schema;
    mh__dep_required *dep_required;
    size_t ndep_required;
    mh__prop *dep_schemas;
    size_t ndep_schemas;
    mh_schema *if_, *then_, *else_;
} mh__schema_ext;

/* One compiled schema object. Owned by its set (compile.c builds it);
 * validate.c only reads it. Strings and cJSON nodes are borrowed from the
 * document. */
struct mh_schema {
    const cJSON *src;
    char *location;
    unsigned types; /* MH__T_* bits; 0 = any type */
    int nullable;   /* 1: 3.0 nullable; 2: 3.1 type lists "null" */
    int read_only, write_only;
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
    mh__schema_ext *x; /* 3.1-only keywords, NULL when none */
    int applies;       /* any of allOf/anyOf/oneOf/not/x: one test for all */
    int color;         /* cycle check */
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

/* keywords.c */

typedef enum {
    MH__KW_CHECKED = 0,   /* the validator checks it */
    MH__KW_ANNOTATION,    /* no effect on validity, by design (x-* too) */
    MH__KW_UNSUPPORTED,   /* a keyword of the dialect the validator does not check */
    MH__KW_OTHER_DIALECT, /* a keyword of the other OpenAPI version only */
    MH__KW_UNKNOWN        /* no keyword of either */
} mh__keyword_class;

/* What the Schema Object member name is in dialect d. Cannot fail. */
mh__keyword_class mh__keyword_classify(mh__dialect d, const char *name);

/* 1 when name is a pure annotation (title, description, examples, x-*, ...)
 * in both dialects: a $ref with only such siblings is a plain reference. */
int mh__keyword_is_annotation(const char *name);

/* A list of warnings (pointer + message), each said once. Zero-initialise
 * (MH__BUF_INIT list); free with mh__warnings_free. */
typedef struct {
    mh__buf list;
} mh__warnings;

/* Adds the warning (message printf-style, cut at 511 bytes) unless the same
 * pointer and message are already listed. 0, or -1 on out-of-memory (the
 * list unchanged). */
int mh__warnings_add(mh__warnings *w, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t mh__warnings_count(const mh__warnings *w);
/* The i-th message (NULL when out of range), its pointer in *pointer when
 * non-NULL; both owned by the list. */
const char *mh__warnings_get(const mh__warnings *w, size_t i, const char **pointer);
/* Frees what the list owns; the struct itself is the caller's. */
void mh__warnings_free(mh__warnings *w);

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
