/* equal.c — deep equality of instances, for enum and uniqueItems: numbers
 * by exact value on their literals (json/decimal), objects as unordered sets
 * of members; and the uniqueItems search, pairwise for short arrays and by
 * sorting order-independent hashes for long ones.
 */
#include "schema/schema_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json/decimal.h"
#include "manta/json_strict.h"

int mh__instance_equal(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return mh__dec_equal(a, b);
    if ((a->type & 0xFF) != (b->type & 0xFF))
        return 0;
    if (cJSON_IsString(a))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsArray(a)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next)
            if (!mh__instance_equal(x, y))
                return 0;
        return !x && !y;
    }
    if (cJSON_IsObject(a)) {
        size_t na = 0, nb = 0;
        for (const cJSON *x = a->child; x; x = x->next) {
            const cJSON *y = mh_json_get(b, x->string);
            if (!y || !mh__instance_equal(x, y))
                return 0;
            na++;
        }
        for (const cJSON *y = b->child; y; y = y->next)
            nb++;
        return na == nb;
    }
    return 1; /* true, false, null */
}

/* An order-independent hash consistent with mh__instance_equal (FNV-1a). */
static uint64_t json_hash(const cJSON *v)
{
    if (cJSON_IsNumber(v))
        return mh__dec_hash(v);
    uint64_t h = 1469598103934665603ULL;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ULL)
    if (cJSON_IsString(v)) {
        MIX('s');
        for (const char *p = v->valuestring; *p; p++)
            MIX((unsigned char)*p);
    } else if (cJSON_IsArray(v)) {
        MIX('a');
        for (const cJSON *c = v->child; c; c = c->next)
            MIX(json_hash(c));
    } else if (cJSON_IsObject(v)) {
        uint64_t sum = 0;
        for (const cJSON *c = v->child; c; c = c->next) {
            uint64_t kh = 1469598103934665603ULL;
            for (const char *p = c->string; *p; p++)
                kh = (kh ^ (unsigned char)*p) * 1099511628211ULL;
            sum += kh * 31 + json_hash(c);
        }
        MIX('o');
        MIX(sum);
    } else {
        MIX(v->type & 0xFF);
    }
#undef MIX
    return h;
}

/* mh__unique_items by comparing every pair, in document order. */
static int unique_slow(const cJSON *arr, size_t *i1, size_t *i2)
{
    size_t i = 0;
    for (const cJSON *a = arr->child; a; a = a->next, i++) {
        size_t j = i + 1;
        for (const cJSON *b = a->next; b; b = b->next, j++) {
            if (mh__instance_equal(a, b)) {
                *i1 = i;
                *i2 = j;
                return 0;
            }
        }
    }
    return 1;
}

typedef struct {
    uint64_t h;
    size_t idx;
    const cJSON *v;
} hashed;

static int cmp_hashed(const void *a, const void *b)
{
    const hashed *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int mh__unique_items(const cJSON *arr, size_t n, size_t *i1, size_t *i2)
{
    if (n < 16)
        return unique_slow(arr, i1, i2);
    hashed local[128];
    hashed *hv = n <= 128 ? local : malloc(n * sizeof *hv);
    if (!hv)
        return unique_slow(arr, i1, i2);
    size_t i = 0;
    for (const cJSON *a = arr->child; a; a = a->next, i++)
        hv[i] = (hashed){json_hash(a), i, a};
    qsort(hv, n, sizeof *hv, cmp_hashed);
    int ok = 1;
    for (size_t k = 0; k < n && ok; k++)
        for (size_t m = k + 1; m < n && hv[m].h == hv[k].h; m++)
            if (mh__instance_equal(hv[k].v, hv[m].v)) {
                *i1 = hv[k].idx;
                *i2 = hv[m].idx;
                ok = 0;
                break;
            }
    if (hv != local)
        free(hv);
    return ok;
}
