/* fileio.c — whole-file and whole-stream reads (contract: fileio.h). */
#include "manta/fileio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB ((size_t)1 << 20)

static mh_status fail_errno(mh_error *err, const char *name, int e)
{
    if (!e)
        e = EIO;
    mh_error_set(err, MH_ERR_IO, "cannot read %s: %s", name, strerror(e));
    errno = e;
    return MH_ERR_IO;
}

static mh_status fail_too_big(mh_error *err, const char *name, size_t max_bytes)
{
    if (max_bytes % MIB == 0)
        mh_error_set(err, MH_ERR_IO, "%s: larger than the %zu MiB input limit", name,
                     max_bytes / MIB);
    else
        mh_error_set(err, MH_ERR_IO, "%s: larger than the %zu-byte input limit", name, max_bytes);
    errno = EFBIG;
    return MH_ERR_IO;
}

static mh_status fail_nomem(mh_error *err)
{
    mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    errno = ENOMEM;
    return MH_ERR_NOMEM;
}

/* Reads into buf (capacity cap + 1 for the NUL), growing it; hint sizes the
 * first allocation so a regular file is read without reallocating. */
static mh_status read_loop(FILE *f, const char *name, size_t max_bytes, size_t hint, char **out,
                           size_t *len, mh_error *err)
{
    size_t cap = hint ? hint : 65536, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return fail_nomem(err);
    for (;;) {
        errno = 0;
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (n > max_bytes) {
            free(buf);
            return fail_too_big(err, name, max_bytes);
        }
        if (k == 0 && ferror(f)) {
            int e = errno;
            free(buf);
            return fail_errno(err, name, e);
        }
        if (k == 0 && feof(f))
            break;
        if (n == cap) {
            /* Never hold more than one byte past max_bytes: that tells "too large". */
            size_t ncap = cap > (SIZE_MAX - 1) / 2 ? SIZE_MAX - 1 : cap * 2;
            if (ncap > max_bytes)
                ncap = max_bytes + 1;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                return fail_nomem(err);
            }
            buf = nb;
            cap = ncap;
        }
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return MH_OK;
}

mh_status mh_stream_read(FILE *f, const char *name, size_t max_bytes, char **out, size_t *len,
                         mh_error *err)
{
    return read_loop(f, name, max_bytes, 0, out, len, err);
}

mh_status mh_file_read(const char *path, size_t max_bytes, char **out, size_t *len, mh_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail_errno(err, path, errno);
    struct stat sb;
    mh_status st;
    size_t hint = 0;
    if (fstat(fileno(f), &sb) != 0)
        st = fail_errno(err, path, errno);
    else if (S_ISDIR(sb.st_mode))
        st = fail_errno(err, path, EISDIR);
    else if (S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size > max_bytes)
        st = fail_too_big(err, path, max_bytes); /* without reading it */
    else {
        /* +1 so the read that finds end of file needs no reallocation. */
        if (S_ISREG(sb.st_mode) && sb.st_size > 0)
            hint = (size_t)sb.st_size + 1;
        st = read_loop(f, path, max_bytes, hint, out, len, err);
    }
    int e = errno;
    fclose(f);
    errno = e;
    return st;
}

static mh_status write_failed(mh_error *err, const char *what, const char *path, int e)
{
    return mh_error_set(err, MH_ERR_IO, "cannot write %s%s%s: %s", what, *what ? " " : "", path,
                        strerror(e));
}

mh_status mh_file_write_atomic(const char *path, const char *what, mh_file_writer writer, void *ctx,
                               mh_error *err)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 5);
    if (!tmp)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp", 5);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        mh_status st = write_failed(err, what, path, errno);
        free(tmp);
        return st;
    }
    errno = 0;
    mh_status st = writer(ctx, f, err);
    int e = errno ? errno : EIO;
    if (st == MH_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        st = MH_ERR_IO, e = errno;
    if (fclose(f) != 0 && st == MH_OK)
        st = MH_ERR_IO, e = errno;
    if (st == MH_OK && rename(tmp, path) != 0)
        st = MH_ERR_IO, e = errno;
    if (st == MH_ERR_IO && (!err || err->code != MH_ERR_IO))
        write_failed(err, what, path, e);
    if (st != MH_OK)
        unlink(tmp);
    free(tmp);
    return st;
}
