#include "manta/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void mh_error_clear(mh_error *e)
{
    if (!e)
        return;
    memset(e, 0, sizeof *e);
    e->offset = -1;
}

mh_status mh_error_set(mh_error *e, mh_status code, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return code;
}

void mh_error_at_file(mh_error *e, const char *file, int line, int column, long offset)
{
    if (!e)
        return;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->line = line;
    e->column = column;
    e->offset = offset;
}

void mh_error_at_pointer(mh_error *e, const char *pointer)
{
    if (!e)
        return;
    snprintf(e->pointer, sizeof e->pointer, "%s", pointer ? pointer : "");
}

char *mh_error_format(const mh_error *e, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (!e)
        return buf;
    size_t used = 0;
#define MH_APPEND(...)                                                                             \
    do {                                                                                           \
        if (used < n) {                                                                            \
            int k = snprintf(buf + used, n - used, __VA_ARGS__);                                   \
            if (k > 0)                                                                             \
                used += (size_t)k;                                                                 \
        }                                                                                          \
    } while (0)
    if (e->file[0])
        MH_APPEND("%s:", e->file);
    if (e->line > 0)
        MH_APPEND("%d:%d:", e->line, e->column);
    if (e->file[0] || e->line > 0)
        MH_APPEND(" ");
    MH_APPEND("%s", e->message);
    if (e->pointer[0])
        MH_APPEND(" (at %s)", e->pointer);
#undef MH_APPEND
    return buf;
}

const char *mh_status_name(mh_status s)
{
    static const char *const names[] = {"ok",       "usage", "io",      "json",     "spec", "ref",
                                        "notfound", "nomem", "network", "internal", "yaml"};
    if ((unsigned)s < sizeof names / sizeof names[0])
        return names[s];
    return "unknown";
}
