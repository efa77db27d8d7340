/* report_text.c — the text every report writer shares (contract:
 * report_int.h): redaction of strings and bodies, capping a body on a UTF-8
 * boundary, the truncation note and XML/HTML escaping. Calls nothing else
 * of report/.
 */
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

char *mh__report_redact(const mh_run *run, const char *s)
{
    if (!s)
        s = "";
    return mh_redact(run ? run->redactor : NULL, s, strlen(s));
}

char *mh__report_redact_bytes(const mh_run *run, const char *s, size_t len, size_t *out_len)
{
    /* Secrets never contain NUL, so each NUL-free stretch is redacted on its
     * own and the NULs are kept. */
    mh__buf b = MH__BUF_INIT;
    size_t i = 0;
    for (;;) {
        const char *nul = memchr(s + i, '\0', len - i);
        size_t seg = nul ? (size_t)(nul - (s + i)) : len - i;
        char *red = mh_redact(run ? run->redactor : NULL, s + i, seg);
        if (!red) {
            mh__buf_free(&b);
            return NULL;
        }
        mh__buf_adds(&b, red);
        free(red);
        if (!nul)
            break;
        mh__buf_add(&b, "", 1);
        i += seg + 1;
    }
    return mh__buf_take(&b, out_len);
}

int mh__report_body(const mh_run *run, const char *s, size_t len, size_t cap, mh__report_text *out)
{
    memset(out, 0, sizeof *out);
    /* Redact before capping: a cut must never leave half a secret behind. */
    out->data = mh__report_redact_bytes(run, s ? s : "", s ? len : 0, &out->len);
    if (!out->data)
        return -1;
    if (out->len > cap) {
        size_t cut = cap;
        /* Back up over continuation bytes so no character is split. */
        for (int k = 0; k < 3 && cut > 0 && ((unsigned char)out->data[cut] & 0xC0) == 0x80; k++)
            cut--;
        out->omitted = out->len - cut;
        out->len = cut;
        out->data[cut] = '\0';
    }
    return 0;
}

void mh__report_truncation_note(char *buf, size_t n, size_t omitted)
{
    snprintf(buf, n, "\xE2\x80\xA6[truncated %zu bytes]", omitted);
}

/* Writes the escape of one ASCII byte c (XML text or attribute). */
static void xml_ascii(FILE *f, unsigned c, int attr)
{
    switch (c) {
    case '&':
        fputs("&amp;", f);
        break;
    case '<':
        fputs("&lt;", f);
        break;
    case '>':
        fputs("&gt;", f);
        break;
    case '"':
        fputs(attr ? "&quot;" : "\"", f); /* quotes only matter in attributes */
        break;
    case '\'':
        fputs(attr ? "&apos;" : "'", f);
        break;
    case '\t':
    case '\n':
    case '\r':
        if (attr)
            fprintf(f, "&#%u;", c);
        else
            fputc((int)c, f);
        break;
    default:
        if (c < 0x20)
            fputs("\xEF\xBF\xBD", f); /* XML 1.0 forbids other C0 controls */
        else
            fputc((int)c, f);
    }
}

void mh__report_xml_escape(FILE *f, const char *s, size_t len, int attr)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t l = mh__utf8_seq_len(u + i, len - i);
        if (l == 0) {
            fputs("\xEF\xBF\xBD", f);
            i++;
        } else if (l == 1) {
            xml_ascii(f, u[i], attr);
            i++;
        } else {
            /* U+FFFE and U+FFFF are not XML characters. */
            if (l == 3 && u[i] == 0xEF && u[i + 1] == 0xBF && u[i + 2] >= 0xBE)
                fputs("\xEF\xBF\xBD", f);
            else
                fwrite(u + i, 1, l, f);
            i += l;
        }
    }
}
