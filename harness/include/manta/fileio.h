/* fileio.h — read a whole file or stream into memory, once, the same way
 * everywhere.
 *
 * Both functions return a NUL-terminated buffer (the NUL is not counted in
 * *len, so binary input with embedded NULs is kept whole) that the caller owns
 * and frees with free(). On failure *out and *len are left unaltered, err says
 * why and errno holds the cause (EISDIR for a directory, EFBIG for input over
 * max_bytes, the read's own errno otherwise), so a caller that words its own
 * message can use strerror(errno).
 */
#ifndef MANTA_FILEIO_H
#define MANTA_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manta/error.h"

/* max_bytes for "no limit but memory". */
#define MH_FILE_NO_LIMIT SIZE_MAX

/* Reads the file at path. Errors: MH_ERR_IO "cannot read PATH: REASON" when
 * it cannot be opened or read or is a directory ("Is a directory"),
 * MH_ERR_IO "PATH: larger than the N MiB input limit" when it holds more than
 * max_bytes, MH_ERR_NOMEM when memory runs out. No location is set: the
 * message names the path. */
mh_status mh_file_read(const char *path, size_t max_bytes, char **out, size_t *len, mh_error *err);

/* Reads f to its end (stdin, a pipe); name stands for it in messages. Does not
 * close f. Errors as for mh_file_read with name in place of PATH. */
mh_status mh_stream_read(FILE *f, const char *name, size_t max_bytes, char **out, size_t *len,
                         mh_error *err);

/* Puts a document into f; returns MH_OK, or an error it has described in err
 * (MH_ERR_IO for a write error may be left undescribed: the caller words it). */
typedef mh_status (*mh_file_writer)(void *ctx, FILE *f, mh_error *err);

/* Writes path atomically: writer fills PATH.tmp, which is flushed, fsync'd and
 * renamed over path, so a reader never sees half a file and an interrupted
 * write leaves the old one. Parent directories must exist. On failure the
 * temporary file is removed; a write, flush or rename failure is MH_ERR_IO
 * "cannot write WHAT PATH: REASON" (WHAT e.g. "report"; "" for none); errors
 * the writer reports itself come back as it set them. */
mh_status mh_file_write_atomic(const char *path, const char *what, mh_file_writer writer, void *ctx,
                               mh_error *err);

#endif
