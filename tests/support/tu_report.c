#include "tu_report.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

cJSON *tu_report_load(const char *path)
{
    char *text = tu_read_file(path, NULL);
    ck_assert_msg(text != NULL, "no report at %s", path);
    cJSON *j = cJSON_Parse(text);
    ck_assert_msg(j != NULL, "report %s is not JSON", path);
    free(text);
    return j;
}

cJSON *tu_report_get(const cJSON *o, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    ck_assert_msg(v != NULL, "report lacks \"%s\"", key);
    return v;
}

double tu_report_summary_num(const cJSON *rep, const char *key)
{
    cJSON *v = tu_report_get(tu_report_get(rep, "summary"), key);
    ck_assert(cJSON_IsNumber(v));
    return v->valuedouble;
}

int tu_report_has_check(const cJSON *rep, const char *check)
{
    const cJSON *bc = tu_report_get(tu_report_get(rep, "summary"), "by_check");
    return cJSON_GetObjectItemCaseSensitive(bc, check) != NULL;
}

size_t tu_report_checks(const cJSON *rep, char *buf, size_t cap)
{
    const cJSON *bc = tu_report_get(tu_report_get(rep, "summary"), "by_check");
    const char *names[64];
    size_t n = 0, shown = 0;
    for (const cJSON *c = bc->child; c; c = c->next, n++)
        if (shown < 64)
            names[shown++] = c->string;
    for (size_t i = 1; i < shown; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    buf[0] = '\0';
    for (size_t i = 0; i < shown; i++) {
        if (i)
            strncat(buf, ",", cap - strlen(buf) - 1);
        strncat(buf, names[i], cap - strlen(buf) - 1);
    }
    return n;
}
