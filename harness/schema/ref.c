/* ref.c — following $ref chains: local references only ("#/..."), the
 * fragment percent-decoded and resolved as a JSON pointer, cycles and
 * overlong chains reported with the pointer of the offending $ref.
 */
#include "schema/schema_int.h"

#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "util/jsonptr.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes a URI fragment into a new string; NULL when malformed
 * (or out of memory; *bad says which). */
static char *percent_decode(const char *s, int *bad)
{
    char *out = malloc(strlen(s) + 1);
    *bad = 0;
    if (!out)
        return NULL;
    char *o = out;
    for (const char *p = s; *p; p++) {
        if (*p == '%') {
            int h = hexval((unsigned char)p[1]), l = h < 0 ? -1 : hexval((unsigned char)p[2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0)) {
                free(out);
                *bad = 1;
                return NULL;
            }
            *o++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static mh_status ref_error(mh_error *err, mh_status code, const char *at, const char *fmt,
                           const char *arg)
{
    mh_error_set(err, code, fmt, arg);
    if (err) {
        char *p = mh__jsonptr_append(at, "$ref");
        mh_error_at_pointer(err, p ? p : at);
        free(p);
    }
    return code;
}

#define MH_REF_CHAIN_MAX 64

/* The chain followed so far: the nodes whose $ref was taken. */
typedef struct {
    const cJSON *seen[MH_REF_CHAIN_MAX];
    size_t n;
} chain;

/* Checks that node's $ref value ref (found at pointer cur) may be followed:
 * a local string reference, not taken before in this chain, the chain not
 * too long. Records node in the chain. */
static mh_status ref_check(chain *ch, const cJSON *node, const cJSON *ref, const char *cur,
                           mh_error *err)
{
    if (!cJSON_IsString(ref))
        return ref_error(err, MH_ERR_REF, cur, "$ref must be a string%s", "");
    const char *r = ref->valuestring;
    if (r[0] != '#')
        return ref_error(err, MH_ERR_REF, cur,
                         "unsupported non-local $ref \"%s\": only local \"#/...\" references "
                         "are supported",
                         r);
    for (size_t i = 0; i < ch->n; i++)
        if (ch->seen[i] == node)
            return ref_error(err, MH_ERR_REF, cur, "$ref cycle through \"%s\"", r);
    if (ch->n == MH_REF_CHAIN_MAX)
        return ref_error(err, MH_ERR_REF, cur, "$ref chain too long at \"%s\"", r);
    ch->seen[ch->n++] = node;
    return MH_OK;
}

/* Resolves the local reference r (found at pointer cur) in root: *next is
 * its target and *next_ptr the target's pointer (new malloc'd string). */
static mh_status ref_resolve(const cJSON *root, const char *r, const char *cur, const cJSON **next,
                             char **next_ptr, mh_error *err)
{
    int bad = 0;
    char *decoded = percent_decode(r + 1, &bad);
    if (!decoded)
        return bad ? ref_error(err, MH_ERR_REF, cur, "malformed $ref \"%s\"", r)
                   : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    *next = mh__jsonptr_get(root, decoded);
    if (!*next) {
        free(decoded);
        return ref_error(err, MH_ERR_REF, cur, "dangling $ref \"%s\"", r);
    }
    *next_ptr = decoded;
    return MH_OK;
}

mh_status mh__ref_follow(const cJSON *root, const cJSON *node, const char *at, const cJSON **target,
                         char **target_ptr, mh_error *err)
{
    return mh__ref_follow_until(root, node, at, NULL, 0, target, target_ptr, err);
}

mh_status mh__ref_follow_until(const cJSON *root, const cJSON *node, const char *at,
                               int (*stop)(const cJSON *node), int test_start, const cJSON **target,
                               char **target_ptr, mh_error *err)
{
    chain ch;
    ch.n = 0;
    char *cur = strdup(at); /* pointer of node */
    if (!cur)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    mh_status st = MH_OK;
    const cJSON *ref;
    int first = 1;
    while ((ref = cJSON_IsObject(node) ? mh_json_get(node, "$ref") : NULL) != NULL) {
        if (stop && (test_start || !first) && stop(node))
            break;
        first = 0;
        const cJSON *next = NULL;
        char *next_ptr = NULL;
        if ((st = ref_check(&ch, node, ref, cur, err)) != MH_OK ||
            (st = ref_resolve(root, ref->valuestring, cur, &next, &next_ptr, err)) != MH_OK)
            break;
        free(cur);
        cur = next_ptr;
        node = next;
    }
    if (st == MH_OK) {
        *target = node;
        if (target_ptr) {
            *target_ptr = cur;
            cur = NULL;
        }
    }
    free(cur);
    return st;
}
