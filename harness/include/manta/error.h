/* error.h — errors as values, with a message and a location.
 *
 * Every engine function that can fail returns an mh_status and, when the
 * caller passes a non-NULL mh_error, fills it with a one-line message and
 * whatever location applies: a file with line:column and byte offset, a JSON
 * pointer, or a flag name. Library code never prints and never exits; the CLI
 * turns these into one line on stderr and an exit code.
 */
#ifndef MANTA_ERROR_H
#define MANTA_ERROR_H

#include <stddef.h>

typedef enum {
    MH_OK = 0,
    MH_ERR_USAGE,    /* bad flag or argument */
    MH_ERR_IO,       /* a file could not be read or written */
    MH_ERR_JSON,     /* input is not strict JSON */
    MH_ERR_SPEC,     /* not a usable OpenAPI 3.0.x document */
    MH_ERR_REF,      /* dangling or cyclic $ref */
    MH_ERR_NOTFOUND, /* unknown operation, schema, status */
    MH_ERR_NOMEM,
    MH_ERR_NETWORK, /* target unreachable */
    MH_ERR_INTERNAL,
    MH_ERR_YAML /* input is not a valid YAML document */
} mh_status;

typedef struct mh_error {
    mh_status code;
    char message[512];
    char file[256];    /* "" when not about a file */
    int line;          /* 1-based; 0 when unknown */
    int column;        /* 1-based, in bytes; 0 when unknown */
    long offset;       /* byte offset; -1 when unknown */
    char pointer[512]; /* JSON pointer ("" = whole document or n/a) */
} mh_error;

/* Resets e to MH_OK with empty message and no location. NULL is a no-op. */
void mh_error_clear(mh_error *e);

/* Sets code and a printf-style message, leaving the location as is.
 * Returns code so callers can `return mh_error_set(...)`. NULL e is allowed. */
mh_status mh_error_set(mh_error *e, mh_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Location setters; each is a no-op for NULL e. */
void mh_error_at_file(mh_error *e, const char *file, int line, int column, long offset);
void mh_error_at_pointer(mh_error *e, const char *pointer);

/* Formats e as one line: "file:line:col: message (at /pointer)" with the parts
 * that are set. Always NUL-terminates when n > 0. Returns buf. */
char *mh_error_format(const mh_error *e, char *buf, size_t n);

/* A short stable name for a status ("usage", "io", ...). Never NULL. */
const char *mh_status_name(mh_status s);

#endif
