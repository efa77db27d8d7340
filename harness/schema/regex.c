/* regex.c — the pattern keyword on PCRE2: compiling a pattern once (UTF
 * mode, $ only at the very end, as ECMA 262 reads it) and an unanchored
 * search like RegExp.test, with one match block per thread (freed at thread
 * exit) and shared limits that bound catastrophic backtracking.
 *
 * An mh__regex is a pcre2_code: the opaque type keeps PCRE2 out of
 * schema_int.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema/schema_int.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
/* Shared, read-only after creation: bounds backtracking so a hostile string
 * against a catastrophic pattern costs milliseconds, not minutes. */
static pcre2_match_context *match_ctx;

#define MH_PATTERN_MATCH_LIMIT 1000000
#define MH_PATTERN_DEPTH_LIMIT 10000

static void md_destroy(void *p)
{
    pcre2_match_data_free(p);
}

static void md_init(void)
{
    pthread_key_create(&md_key, md_destroy);
    match_ctx = pcre2_match_context_create(NULL);
    if (match_ctx) {
        pcre2_set_match_limit(match_ctx, MH_PATTERN_MATCH_LIMIT);
        pcre2_set_depth_limit(match_ctx, MH_PATTERN_DEPTH_LIMIT);
    }
}

static pcre2_match_data *thread_match_data(void)
{
    pthread_once(&md_once, md_init);
    pcre2_match_data *md = pthread_getspecific(md_key);
    if (!md) {
        md = pcre2_match_data_create(1, NULL);
        if (md && pthread_setspecific(md_key, md) != 0) {
            pcre2_match_data_free(md);
            md = NULL;
        }
    }
    return md;
}

/* ECMA 262 General_Category long names PCRE2 (before 10.43) only knows
 * by their short ones. */
static const char *const categories[][2] = {
    {"Letter", "L"},
    {"Cased_Letter", "L&"},
    {"Uppercase_Letter", "Lu"},
    {"Lowercase_Letter", "Ll"},
    {"Titlecase_Letter", "Lt"},
    {"Modifier_Letter", "Lm"},
    {"Other_Letter", "Lo"},
    {"Mark", "M"},
    {"Nonspacing_Mark", "Mn"},
    {"Spacing_Mark", "Mc"},
    {"Enclosing_Mark", "Me"},
    {"Number", "N"},
    {"Decimal_Number", "Nd"},
    {"Letter_Number", "Nl"},
    {"Other_Number", "No"},
    {"Punctuation", "P"},
    {"Connector_Punctuation", "Pc"},
    {"Dash_Punctuation", "Pd"},
    {"Open_Punctuation", "Ps"},
    {"Close_Punctuation", "Pe"},
    {"Initial_Punctuation", "Pi"},
    {"Final_Punctuation", "Pf"},
    {"Other_Punctuation", "Po"},
    {"Symbol", "S"},
    {"Math_Symbol", "Sm"},
    {"Currency_Symbol", "Sc"},
    {"Modifier_Symbol", "Sk"},
    {"Other_Symbol", "So"},
    {"Separator", "Z"},
    {"Space_Separator", "Zs"},
    {"Line_Separator", "Zl"},
    {"Paragraph_Separator", "Zp"},
    {"Other", "C"},
    {"Control", "Cc"},
    {"Format", "Cf"},
    {"Surrogate", "Cs"},
    {"Private_Use", "Co"},
    {"Unassigned", "Cn"},
};

/* The PCRE2 spelling of the ECMA property name[0..len): "General_Category="
 * / "gc=" and "Script=" / "sc=" prefixes dropped, long category names
 * shortened; appended to b. */
static void add_property(mh__buf *b, const char *name, size_t len)
{
    static const char *const prefixes[] = {"General_Category=", "gc=", "Script=", "sc="};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t k = strlen(prefixes[i]);
        if (len > k && strncmp(name, prefixes[i], k) == 0) {
            name += k;
            len -= k;
            break;
        }
    }
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++) {
        if (strlen(categories[i][0]) == len && strncmp(name, categories[i][0], len) == 0) {
            mh__buf_adds(b, categories[i][1]);
            return;
        }
    }
    mh__buf_add(b, name, len);
}

/* src with each \p{...} / \P{...} in PCRE2's spelling (a new malloc'd
 * string), or NULL when it has none (or on out-of-memory). */
static char *ecma_properties(const char *src)
{
    if (!strstr(src, "\\p{") && !strstr(src, "\\P{"))
        return NULL;
    mh__buf b = MH__BUF_INIT;
    for (const char *p = src; *p; p++) {
        if (p[0] != '\\' || !p[1]) {
            mh__buf_add(&b, p, 1);
            continue;
        }
        const char *end = (p[1] == 'p' || p[1] == 'P') && p[2] == '{' ? strchr(p + 3, '}') : NULL;
        if (!end) { /* any other escape: both characters as they are */
            mh__buf_add(&b, p, 2);
            p++;
            continue;
        }
        mh__buf_add(&b, p, 3);
        add_property(&b, p + 3, (size_t)(end - (p + 3)));
        mh__buf_adds(&b, "}");
        p = end;
    }
    return mh__buf_take(&b, NULL);
}

static pcre2_code *compile(const char *src, int *code, PCRE2_SIZE *off)
{
    return pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_DOLLAR_ENDONLY,
                         code, off, NULL);
}

int mh__regex_compile(const char *src, mh__regex **out, char *msg, size_t n)
{
    int code = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *re = compile(src, &code, &off);
    if (!re) {
        /* ECMA 262 property names PCRE2 spells otherwise (\p{Letter},
         * \p{Script=Greek}): retried in PCRE2's spelling; a pattern that
         * still fails reports its own error. */
        char *alt = ecma_properties(src);
        int code2 = 0;
        PCRE2_SIZE off2 = 0;
        re = alt ? compile(alt, &code2, &off2) : NULL;
        free(alt);
    }
    if (!re) {
        PCRE2_UCHAR why[160];
        pcre2_get_error_message(code, why, sizeof why);
        snprintf(msg, n, "invalid pattern: %s at offset %zu", (const char *)why, (size_t)off);
        return -1;
    }
    *out = (mh__regex *)(void *)re;
    return 0;
}

void mh__regex_free(mh__regex *re)
{
    if (re)
        pcre2_code_free((pcre2_code *)(void *)re);
}

/* s with every C0 80 (how mh_json_parse stores U+0000, invalid UTF-8 for
 * PCRE2) turned back into a NUL byte: a new malloc'd copy of *len bytes
 * (updated), or NULL on out-of-memory. */
static char *with_real_nuls(const char *s, size_t *len)
{
    char *copy = malloc(*len + 1);
    if (!copy)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < *len; i++) {
        if ((unsigned char)s[i] == 0xC0 && (unsigned char)s[i + 1] == 0x80) {
            copy[o++] = '\0';
            i++;
        } else {
            copy[o++] = s[i];
        }
    }
    *len = o;
    return copy;
}

int mh__regex_test(const mh__regex *re, const char *s)
{
    pcre2_match_data *md = thread_match_data();
    if (!md)
        return MH__REGEX_ERROR;
    size_t len = strlen(s);
    char *copy = NULL;
    if (memchr(s, 0xC0, len) && !(copy = with_real_nuls(s, &len)))
        return MH__REGEX_ERROR;
    int rc = pcre2_match((const pcre2_code *)(const void *)re, (PCRE2_SPTR)(copy ? copy : s), len,
                         0, 0, md, match_ctx);
    free(copy);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ? MH__REGEX_LIMIT
                                                                        : MH__REGEX_ERROR;
}
