/* gen_select.c — which operations a run takes: --operation, --tag and
 * --exclude over the document's operations (gen.h). Calls only the spec. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gen_internal.h"

int mh_gen_selects(const mh_operation *op, const char *sel)
{
    if (!op || !sel)
        return 0;
    if (op->operation_id && strcmp(op->operation_id, sel) == 0)
        return 1;
    const char *sp = strchr(sel, ' ');
    if (!sp || !op->method || !op->path)
        return 0;
    size_t mlen = (size_t)(sp - sel);
    return strlen(op->method) == mlen && strncasecmp(op->method, sel, mlen) == 0 &&
           strcmp(op->path, sp + 1) == 0;
}

static int has_tag(const mh_operation *op, const char *tag)
{
    for (size_t i = 0; i < op->tag_count; i++)
        if (strcmp(op->tags[i], tag) == 0)
            return 1;
    return 0;
}

/* The error of a selector that names no operation: the spec's own message,
 * which lists the operations (whole names only). */
static mh_status unknown_selector(const mh_spec *spec, const char *sel, const char *flag,
                                  mh_error *err)
{
    mh_error e;
    mh_error_clear(&e);
    if (mh_spec_find_operation(spec, sel, &e) || e.code != MH_ERR_NOTFOUND)
        return MH_OK; /* known after all (an unusable operation is known) */
    return mh_error_set(err, MH_ERR_NOTFOUND, "%s: %s", flag, e.message);
}

/* "a, b, c" of the document's tags, first seen first, cut to fit buf whole. */
static void known_tags(const mh_spec *spec, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < mh_spec_operation_count(spec); i++) {
        const mh_operation *op = mh_spec_operation(spec, i);
        for (size_t t = 0; t < op->tag_count; t++) {
            const char *tag = op->tags[t];
            int seen = 0;
            for (size_t j = 0; j < i && !seen; j++)
                seen = has_tag(mh_spec_operation(spec, j), tag);
            for (size_t u = 0; u < t && !seen; u++)
                seen = strcmp(op->tags[u], tag) == 0;
            if (seen)
                continue;
            if (used + strlen(tag) + 8 >= n) {
                snprintf(buf + used, n - used, "%s...", used ? ", " : "");
                return;
            }
            used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", tag);
        }
    }
}

/* Checks that every selector and tag names something. */
static mh_status check_names(const mh_spec *spec, const mh_gen_selection *sel, mh_error *err)
{
    size_t count = mh_spec_operation_count(spec);
    for (int list = 0; list < 2; list++) {
        const char *const *sels = list ? sel->excludes : sel->operations;
        size_t n = list ? sel->exclude_count : sel->operation_count;
        for (size_t k = 0; k < n; k++) {
            size_t i = 0;
            while (i < count && !mh_gen_selects(mh_spec_operation(spec, i), sels[k]))
                i++;
            if (i == count &&
                unknown_selector(spec, sels[k], list ? "--exclude" : "--operation", err) != MH_OK)
                return err ? err->code : MH_ERR_NOTFOUND;
        }
    }
    for (size_t k = 0; k < sel->tag_count; k++) {
        size_t i = 0;
        while (i < count && !has_tag(mh_spec_operation(spec, i), sel->tags[k]))
            i++;
        if (i == count) {
            char tags[400];
            known_tags(spec, tags, sizeof tags);
            return mh_error_set(err, MH_ERR_NOTFOUND,
                                "--tag: no operation has the tag \"%.100s\" "
                                "(tags: %s)",
                                sel->tags[k], tags[0] ? tags : "none");
        }
    }
    return MH_OK;
}

static int picked(const mh_operation *op, const mh_gen_selection *sel)
{
    int any = sel->operation_count || sel->tag_count;
    int in = !any;
    for (size_t k = 0; k < sel->operation_count && !in; k++)
        in = mh_gen_selects(op, sel->operations[k]);
    for (size_t k = 0; k < sel->tag_count && !in; k++)
        in = has_tag(op, sel->tags[k]);
    for (size_t k = 0; k < sel->exclude_count && in; k++)
        in = !mh_gen_selects(op, sel->excludes[k]);
    return in;
}

mh_status mh_gen_select(const mh_spec *spec, const mh_gen_selection *sel, const mh_operation ***out,
                        size_t *n, mh_error *err)
{
    static const mh_gen_selection none = {0};
    *out = NULL;
    *n = 0;
    if (!sel)
        sel = &none;
    mh_status st = check_names(spec, sel, err);
    if (st != MH_OK)
        return st;
    size_t count = mh_spec_operation_count(spec);
    const mh_operation **ops = calloc(count ? count : 1, sizeof *ops);
    if (!ops)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < count; i++)
        if (picked(mh_spec_operation(spec, i), sel))
            ops[k++] = mh_spec_operation(spec, i);
    if (k == 0) {
        free(ops);
        return mh_error_set(err, MH_ERR_USAGE,
                            "no operation selected: --exclude removed every operation that "
                            "--operation and --tag chose");
    }
    *out = ops;
    *n = k;
    return MH_OK;
}
