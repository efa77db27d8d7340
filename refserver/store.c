/* store.c — see store.h. */
#include "store.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *name; /* NULL = empty slot */
    size_t len;
    uint64_t hash;
} slot;

struct mh__store {
    pthread_mutex_t mu;
    slot *slots;
    size_t cap; /* power of two */
    size_t count;
};

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

mh__store *mh__store_new(void)
{
    mh__store *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->cap = 64;
    st->slots = calloc(st->cap, sizeof *st->slots);
    if (!st->slots || pthread_mutex_init(&st->mu, NULL) != 0) {
        free(st->slots);
        free(st);
        return NULL;
    }
    return st;
}

void mh__store_free(mh__store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->cap; i++)
        free(st->slots[i].name);
    free(st->slots);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

/* Slot holding name, or the empty slot where it would go. Caller locks. */
static slot *find(slot *slots, size_t cap, const char *name, size_t len, uint64_t h)
{
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        slot *sl = &slots[i];
        if (!sl->name || (sl->hash == h && sl->len == len && memcmp(sl->name, name, len) == 0))
            return sl;
    }
}

static int grow(mh__store *st)
{
    size_t cap = st->cap * 2;
    slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < st->cap; i++)
        if (st->slots[i].name)
            *find(slots, cap, st->slots[i].name, st->slots[i].len, st->slots[i].hash) =
                st->slots[i];
    free(st->slots);
    st->slots = slots;
    st->cap = cap;
    return 0;
}

int mh__store_insert(mh__store *st, const char *name, size_t len)
{
    uint64_t h = fnv1a(name, len);
    int r = -1;
    pthread_mutex_lock(&st->mu);
    /* keep the load under 3/4 so probes stay short and an empty slot exists */
    if ((st->count + 1) * 4 > st->cap * 3 && grow(st) != 0)
        goto done;
    slot *sl = find(st->slots, st->cap, name, len, h);
    if (sl->name) {
        r = 0;
        goto done;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        goto done;
    memcpy(copy, name, len);
    copy[len] = '\0';
    *sl = (slot){copy, len, h};
    st->count++;
    r = 1;
done:
    pthread_mutex_unlock(&st->mu);
    return r;
}

int mh__store_has(mh__store *st, const char *name, size_t len)
{
    uint64_t h = fnv1a(name, len);
    pthread_mutex_lock(&st->mu);
    int r = find(st->slots, st->cap, name, len, h)->name != NULL;
    pthread_mutex_unlock(&st->mu);
    return r;
}

size_t mh__store_count(mh__store *st)
{
    pthread_mutex_lock(&st->mu);
    size_t n = st->count;
    pthread_mutex_unlock(&st->mu);
    return n;
}
