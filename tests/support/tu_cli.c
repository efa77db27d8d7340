/* tu_cli.c — command lines and their results (tu_cli.h). */
#include "tu_cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

void tu_args_add(tu_args *a, ...)
{
    va_list ap;
    va_start(ap, a);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) {
        ck_assert_uint_lt(a->n, 63);
        a->v[a->n++] = s;
    }
    a->v[a->n] = NULL;
    va_end(ap);
}

tu_cli tu_cli_run(const tu_args *a)
{
    tu_cli r;
    r.status = tu_run_cli(a->v, NULL, &r.out, &r.err, 120);
    ck_assert_msg(r.status >= 0, "the CLI did not finish");
    return r;
}

void tu_cli_free(tu_cli *r)
{
    free(r->out);
    free(r->err);
}

tu_cli tu_cli_usage(const tu_args *a, const char *const *names, size_t n)
{
    tu_cli r = tu_cli_run(a);
    ck_assert_msg(r.status == 2, "exit %d, want 2; stderr: %s", r.status, r.err);
    ck_assert_msg(tu_count_lines(r.err) == 1, "want one stderr line, got: %s", r.err);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(strstr(r.err, names[i]), "stderr does not name '%s': %s", names[i], r.err);
    return r;
}

void tu_expect_in(const char *text, const char *want)
{
    ck_assert_msg(strstr(text, want) != NULL, "request lacks \"%s\":\n%s", want, text);
}
