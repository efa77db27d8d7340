/* report_int.h — what the report writers share (harness/report/ only).
 *
 * The report folder is layered: report_text.c (redaction, capping,
 * escaping) at the bottom; report_curl.c (the curl reproduction, report.h)
 * and report_summary.c (counters, plan index, report.h) above it; one
 * writer per format (report_json.c, report_junit.c, report_html.c,
 * report_sarif.c, report_console.c) above those; report.c, the dispatcher
 * (--report parsing and atomic writes), on top. Calls only go down.
 * report_merge.c reads reports back and uses none of this.
 */
#ifndef MH_REPORT_REPORT_INT_H
#define MH_REPORT_REPORT_INT_H

#include "manta/report.h"
#include "util/utf8.h"

/* A redacted, capped body: data[0..len) (may hold NULs; NUL-terminated),
 * omitted = bytes cut from the redacted body (0 when whole). */
typedef struct {
    char *data;
    size_t len;
    size_t omitted;
} mh__report_text;

/* Redacts s[0..len) (NULs allowed) and caps the result at cap bytes on a
 * UTF-8 boundary. NULL s gives an empty text. Returns 0, -1 on OOM. The
 * caller frees out->data. */
int mh__report_body(const mh_run *run, const char *s, size_t len, size_t cap, mh__report_text *out);

/* Redacts a NUL-free string; NULL s gives "". Caller frees; NULL on OOM. */
char *mh__report_redact(const mh_run *run, const char *s);

/* Redacts s[0..len), which may hold NULs (kept as they are). Returns a new
 * NUL-terminated buffer and its length in *out_len; caller frees; NULL on
 * OOM. */
char *mh__report_redact_bytes(const mh_run *run, const char *s, size_t len, size_t *out_len);

/* Writes s[0..len) escaped for XML/HTML text (attr 0: & < >) or attribute
 * values (attr 1: all five XML escapes, and tab/CR/LF as character
 * references so they survive attribute normalisation); invalid UTF-8, the C0
 * controls XML 1.0 forbids and U+FFFE/U+FFFF become U+FFFD. */
void mh__report_xml_escape(FILE *f, const char *s, size_t len, int attr);

/* The note appended to a capped body: "…[truncated N bytes]". */
void mh__report_truncation_note(char *buf, size_t n, size_t omitted);

#endif
