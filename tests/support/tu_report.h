/* tu_report.h — reading the JSON reports the CLI writes, for the tests.
 * Every function fails the current Check test (ck_assert) instead of
 * returning an error. */
#ifndef MH_TU_REPORT_H
#define MH_TU_REPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Parses the report at path; caller frees with cJSON_Delete. */
cJSON *tu_report_load(const char *path);

/* Member key of o (case-sensitive), which must exist. Borrowed. */
cJSON *tu_report_get(const cJSON *o, const char *key);

/* summary.<key> as a number. */
double tu_report_summary_num(const cJSON *rep, const char *key);

/* 1 when summary.by_check names check. */
int tu_report_has_check(const cJSON *rep, const char *check);

/* The check names of summary.by_check, sorted and joined with ',' into buf
 * (cap bytes, cut to fit; "" when none). Returns how many there are. */
size_t tu_report_checks(const cJSON *rep, char *buf, size_t cap);

#endif
