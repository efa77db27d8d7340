/* store.h — thread-safe in-memory set of tag names (one per bot).
 *
 * An open-addressing hash set of byte strings under one mutex: the
 * duplicate check and the insert happen under the same lock, so two
 * concurrent creates of one name cannot both succeed. Names are copied in.
 */
#ifndef MH_REF_STORE_H
#define MH_REF_STORE_H

#include <stddef.h>

typedef struct mh__store mh__store;

/* New empty store; NULL on OOM. Free with mh__store_free (NULL ok). */
mh__store *mh__store_new(void);
void mh__store_free(mh__store *st);

/* Inserts name[0..len) atomically. Returns 1 when inserted, 0 when it was
 * already there (nothing changed), -1 on OOM (nothing changed). */
int mh__store_insert(mh__store *st, const char *name, size_t len);

/* 1 when name[0..len) is stored. */
int mh__store_has(mh__store *st, const char *name, size_t len);

/* Number of names stored. */
size_t mh__store_count(mh__store *st);

#endif
