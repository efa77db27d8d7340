/* report.c — the dispatcher on top of the report writers (contract:
 * report.h): --report FORMAT:PATH parsing, and writing one report
 * atomically with the writer of its format. The writers never call back
 * here (report_int.h draws the layers).
 */
#include "manta/report.h"

#include "manta/fileio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- --report FORMAT:PATH ---------------------------------------------------- */

static const char *const format_names[] = {"json", "junit", "html", "sarif"};

const char *mh_report_format_name(mh_report_format f)
{
    return (unsigned)f < 4 ? format_names[f] : "unknown";
}

mh_status mh_report_parse_target(const char *arg, mh_report_target *out, mh_error *err)
{
    const char *colon = arg ? strchr(arg, ':') : NULL;
    if (!colon)
        return mh_error_set(err, MH_ERR_USAGE,
                            "--report: expected FORMAT:PATH (json, junit, html or sarif), got '%s'",
                            arg ? arg : "");
    size_t fl = (size_t)(colon - arg);
    int found = -1;
    for (int i = 0; i < 4; i++)
        if (strlen(format_names[i]) == fl && strncasecmp(arg, format_names[i], fl) == 0)
            found = i;
    if (found < 0)
        return mh_error_set(err, MH_ERR_USAGE,
                            "--report: unknown format '%.*s' (expected json, junit, html or sarif)",
                            (int)(fl > 64 ? 64 : fl), arg);
    if (colon[1] == '\0')
        return mh_error_set(err, MH_ERR_USAGE, "--report: missing path after '%.*s:'", (int)fl,
                            arg);
    char *path = strdup(colon + 1);
    if (!path)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    out->format = (mh_report_format)found;
    out->path = path;
    return MH_OK;
}

void mh_report_target_free(mh_report_target *t)
{
    if (!t)
        return;
    free(t->path);
    t->path = NULL;
}

/* ---- atomic write ------------------------------------------------------------ */

/* mkdir -p of the directory part of path. Returns 0, or -1 with errno set and
 * the failing directory left in dir (dir holds at least strlen(path)+1). */
static int make_parents(const char *path, char *dir)
{
    strcpy(dir, path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(dir, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static mh_status write_format(const mh_run *run, mh_report_format fmt, FILE *f, mh_error *err)
{
    switch (fmt) {
    case MH_REPORT_JSON:
        return mh_report_json_write(run, f, err);
    case MH_REPORT_JUNIT:
        return mh_report_junit_write(run, f, err);
    case MH_REPORT_HTML:
        return mh_report_html_write(run, f, err);
    case MH_REPORT_SARIF:
        return mh_report_sarif_write(run, f, err);
    default:
        return mh_error_set(err, MH_ERR_USAGE, "--report: %s reports are not supported yet",
                            mh_report_format_name(fmt));
    }
}

typedef struct {
    const mh_run *run;
    mh_report_format format;
} report_job;

static mh_status write_job(void *ctx, FILE *f, mh_error *err)
{
    const report_job *j = ctx;
    return write_format(j->run, j->format, f, err);
}

mh_status mh_report_write(const mh_run *run, const mh_report_target *t, mh_error *err)
{
    char *dir = malloc(strlen(t->path) + 1);
    if (!dir)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    mh_status st;
    if (make_parents(t->path, dir) != 0) {
        st = mh_error_set(err, MH_ERR_IO, "cannot create directory %s for report %s: %s", dir,
                          t->path, strerror(errno));
    } else {
        report_job job = {run, t->format};
        st = mh_file_write_atomic(t->path, "report", write_job, &job, err);
    }
    free(dir);
    return st;
}
