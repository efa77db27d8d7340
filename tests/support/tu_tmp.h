/* tu_tmp.h — scratch folders for the tests: made fresh under /tmp, removed
 * with everything in them. Every function that can fail the test does so
 * with ck_assert; the others return a status. */
#ifndef MH_TU_TMP_H
#define MH_TU_TMP_H

#include <stddef.h>

/* A scratch folder and room for the paths a test builds in it. */
typedef struct {
    char dir[64];       /* "/tmp/mh-<tag>-XXXXXX", made unique by tu_tmp_init */
    char paths[8][256]; /* rotating buffers for tu_tmp_path and tu_tmp_flag */
    unsigned next;
} tu_tmp;

/* Creates a fresh folder /tmp/mh-<tag>-XXXXXX and fills t (t->dir names it).
 * Fails the current test when the folder cannot be made. Remove it with
 * tu_tmp_free. */
void tu_tmp_init(tu_tmp *t, const char *tag);

/* "<dir>/<name>" in one of t's eight rotating buffers: owned by t and valid
 * until eight more tu_tmp_path/tu_tmp_flag calls on t. */
const char *tu_tmp_path(tu_tmp *t, const char *name);

/* "<format>:<dir>/<name>", a --report argument (format "json", "junit",
 * ...), in one of the same rotating buffers; the path starts at
 * strlen(format) + 1. A NULL format gives tu_tmp_path's "<dir>/<name>". */
const char *tu_tmp_flag(tu_tmp *t, const char *format, const char *name);

/* Removes t's folder and everything under it. Returns 0 when all of it is
 * gone, -1 otherwise. */
int tu_tmp_free(tu_tmp *t);

/* Removes path and, when it is a folder, everything under it (symbolic links
 * are removed, never followed). Returns 0 when all of it is gone (or was
 * never there), -1 otherwise. */
int tu_rm_tree(const char *path);

#endif
