/* report_int.h — helpers shared by the report writers (harness/report/ only). */
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

/* Writes s[0..len) escaped for XML/HTML text (attr 0: & < >) or attribute
 * values (attr 1: all five XML escapes, and tab/CR/LF as character
 * references so they survive attribute normalisation); invalid UTF-8, the C0
 * controls XML 1.0 forbids and U+FFFE/U+FFFF become U+FFFD. */
void mh__report_xml_escape(FILE *f, const char *s, size_t len, int attr);

/* The note appended to a capped body: "…[truncated N bytes]". */
void mh__report_truncation_note(char *buf, size_t n, size_t omitted);

#endif
