#define _GNU_SOURCE
#include "tu_tmp.h"

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int failures; /* removals that failed during one tu_rm_tree walk */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0)
        failures++;
    return 0;
}

void tu_tmp_init(tu_tmp *t, const char *tag)
{
    t->next = 0;
    snprintf(t->dir, sizeof t->dir, "/tmp/mh-%s-XXXXXX", tag);
    ck_assert_msg(mkdtemp(t->dir) != NULL, "cannot make a scratch folder %s", t->dir);
}

const char *tu_tmp_path(tu_tmp *t, const char *name)
{
    return tu_tmp_flag(t, NULL, name);
}

const char *tu_tmp_flag(tu_tmp *t, const char *format, const char *name)
{
    /* Copies first: the compiler cannot tell that name does not point into
     * t's buffers (-Werror=restrict). */
    char dir[sizeof t->dir], file[sizeof t->paths[0]];
    memcpy(dir, t->dir, sizeof dir);
    snprintf(file, sizeof file, "%s", name);
    char *b = t->paths[t->next++ % 8];
    int n = format ? snprintf(b, sizeof t->paths[0], "%s:%s/%s", format, dir, file)
                   : snprintf(b, sizeof t->paths[0], "%s/%s", dir, file);
    ck_assert_msg(n >= 0 && (size_t)n < sizeof t->paths[0], "path too long: %s/%s", dir, file);
    return b;
}

int tu_tmp_free(tu_tmp *t)
{
    return tu_rm_tree(t->dir);
}

int tu_rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    /* Not thread-safe (one counter), like the tests that call it. */
    failures = 0;
    if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        return -1;
    return failures == 0 ? 0 : -1;
}
