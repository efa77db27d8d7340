/* report_curl.c — the case URL and the curl reproduction of a case
 * (contract: report.h). Uses report_text.c for redaction only.
 */
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/credential.h"
#include "util/buf.h"

char *mh_report_case_url(const mh_run *run, const mh_case *c)
{
    const char *base = run->base_url ? run->base_url : "";
    const char *target = c && c->target ? c->target : "/";
    size_t bl = strlen(base), tl = strlen(target);
    /* Same join as the transport (mh_transport_request_target): one
     * trailing slash of the base goes when the target starts with one. */
    if (bl > 0 && target[0] == '/' && base[bl - 1] == '/')
        bl--;
    char *u = malloc(bl + tl + 1);
    if (!u)
        return NULL;
    memcpy(u, base, bl);
    memcpy(u + bl, target, tl + 1);
    return u;
}

/* The placeholders of the run's redactor (manta/credential.h names the
 * scheme credentials' ones), and these always. */
static const char *const placeholders[] = {"$MANTA_TOKEN", "$MANTA_JWT_KEY", "$MANTA_SECRET"};
#define PLACEHOLDER_COUNT 3

/* One piece of a shell word: literal bytes, or a placeholder to expand. */
typedef struct {
    int var;        /* 1 = the placeholder ph, expanded by the shell */
    const char *ph; /* borrowed from placeholders[] or the run's redactor */
    const char *s;
    size_t len;
} piece;

/* The pieces of one shell word, in order. */
typedef struct {
    mh__buf v;     /* piece[] */
    mh__buf owned; /* char *[]: redacted buffers the pieces point into */
} pieces;

static size_t pieces_count(const pieces *p)
{
    return p->v.len / sizeof(piece);
}

static const piece *pieces_at(const pieces *p, size_t i)
{
    return (const piece *)p->v.p + i;
}

static void pieces_free(pieces *p)
{
    char **owned = (char **)p->owned.p;
    for (size_t i = 0; owned && i < p->owned.len / sizeof *owned; i++)
        free(owned[i]);
    mh__buf_free(&p->owned);
    mh__buf_free(&p->v);
}

static int pieces_add(pieces *p, int var, const char *ph, const char *s, size_t len)
{
    if (!var && len == 0)
        return 0;
    piece pc = {var, ph, s, len};
    mh__buf_add(&p->v, &pc, sizeof pc);
    return p->v.failed ? -1 : 0;
}

/* Keeps buf until pieces_free; -1 on OOM (buf is then still the caller's). */
static int pieces_own(pieces *p, char *buf)
{
    mh__buf_add(&p->owned, &buf, sizeof buf);
    return p->owned.failed ? -1 : 0;
}

/* First placeholder text in s[0..len) (the longest one that starts there):
 * its offset, and the placeholder in *ph; -1 if none. */
static long find_placeholder(const mh_run *run, const char *s, size_t len, const char **ph)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '$')
            continue;
        *ph = mh_redact_placeholder_at(run->redactor, s + i, len - i);
        for (int k = 0; k < PLACEHOLDER_COUNT; k++) {
            size_t pl = strlen(placeholders[k]);
            if (pl <= len - i && memcmp(s + i, placeholders[k], pl) == 0 &&
                (!*ph || strlen(*ph) < pl))
                *ph = placeholders[k];
        }
        if (*ph)
            return (long)i;
    }
    return -1;
}

/* The shell text that expands to placeholder ph: "$NAME", and for the
 * values derived from $MANTA_BASIC (USER:PASS) their derivation. */
static void put_var(FILE *f, const char *ph)
{
    if (strcmp(ph, MH_PLACEHOLDER_BASIC_B64) == 0)
        fputs("\"$(printf %s \"$MANTA_BASIC\" | base64 | tr -d '\\n')\"", f);
    else if (strcmp(ph, MH_PLACEHOLDER_BASIC_PASSWORD) == 0)
        fputs("\"${MANTA_BASIC#*:}\"", f);
    else
        fprintf(f, "\"%s\"", ph);
}

/* Redacts one stretch of original text (no placeholder text in it) and
 * splits the result at the placeholders the redactor put in. */
static int pieces_redacted(pieces *p, const mh_run *run, const char *s, size_t len)
{
    size_t rl;
    char *red = mh__report_redact_bytes(run, s, len, &rl);
    if (!red || pieces_own(p, red) != 0) {
        free(red);
        return -1;
    }
    size_t i = 0;
    const char *ph;
    long at;
    while ((at = find_placeholder(run, red + i, rl - i, &ph)) >= 0) {
        if (pieces_add(p, 0, NULL, red + i, (size_t)at) != 0 || pieces_add(p, 1, ph, NULL, 0) != 0)
            return -1;
        i += (size_t)at + strlen(ph);
    }
    return pieces_add(p, 0, NULL, red + i, rl - i);
}

/* Splits original text s[0..len) into pieces: text that already reads like
 * a placeholder stays literal; secrets become expandable placeholders. */
static int pieces_build(pieces *p, const mh_run *run, const char *s, size_t len)
{
    size_t i = 0;
    const char *ph;
    long at;
    while ((at = find_placeholder(run, s + i, len - i, &ph)) >= 0) {
        size_t pl = strlen(ph);
        if (pieces_redacted(p, run, s + i, (size_t)at) != 0 ||
            pieces_add(p, 0, NULL, s + i + at, pl) != 0)
            return -1;
        i += (size_t)at + pl;
    }
    return pieces_redacted(p, run, s + i, len - i);
}

/* 1 when the bytes can sit inside single quotes and read well: valid UTF-8
 * without control characters other than tab and newline. */
static int plain_text(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t l = mh__utf8_seq_len(u + i, len - i);
        if (l == 0 || (l == 1 && ((u[i] < 0x20 && u[i] != '\t' && u[i] != '\n') || u[i] == 0x7F)))
            return 0;
        i += l;
    }
    return 1;
}

/* ANSI-C quoting ($'...') keeps control bytes and invalid UTF-8 exact and the
 * command ASCII. */
static void shell_ansi_c(FILE *f, const char *s, size_t len)
{
    fputs("$'", f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == '\'')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c >= 0x7F)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
    fputc('\'', f);
}

/* 1 when s needs no quoting at all: letters, digits and _ . / : , + @ % -. */
static int bare_word(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:,+@%-",
                    s[i]) ||
            s[i] == '\0')
            return 0;
    return 1;
}

/* Writes the pieces as one shell word: adjacent plain literals share one
 * single-quoted run ('\'' for a quote), placeholders are "$NAME", other
 * literals $'...'. */
static void shell_word(FILE *f, const pieces *p)
{
    size_t n = pieces_count(p);
    if (n == 0) {
        fputs("''", f);
        return;
    }
    const piece *first = pieces_at(p, 0);
    if (n == 1 && !first->var && bare_word(first->s, first->len)) {
        fwrite(first->s, 1, first->len, f);
        return;
    }
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        const piece *pc = pieces_at(p, i);
        if (!pc->var && plain_text(pc->s, pc->len)) {
            if (!open)
                fputc('\'', f);
            open = 1;
            for (size_t k = 0; k < pc->len; k++) {
                if (pc->s[k] == '\'')
                    fputs("'\\''", f);
                else
                    fputc(pc->s[k], f);
            }
            continue;
        }
        if (open)
            fputc('\'', f);
        open = 0;
        if (pc->var)
            put_var(f, pc->ph);
        else
            shell_ansi_c(f, pc->s, pc->len);
    }
    if (open)
        fputc('\'', f);
}

/* Writes one shell word for original text s[0..len). -1 on OOM. */
static int emit_word(FILE *f, const mh_run *run, const char *s, size_t len)
{
    pieces p = {MH__BUF_INIT, MH__BUF_INIT};
    int rc = pieces_build(&p, run, s, len);
    if (rc == 0)
        shell_word(f, &p);
    pieces_free(&p);
    return rc;
}

/* printf '%b%s%b' 'lit' "$VAR" 'lit' |  — %b literals use \\ and \0ooo
 * escapes, so NULs and any byte survive and the command stays ASCII. */
static void emit_printf(FILE *f, const pieces *p)
{
    size_t n = pieces_count(p);
    fputs("printf '", f);
    for (size_t i = 0; i < n; i++)
        fputs(pieces_at(p, i)->var ? "%s" : "%b", f);
    fputc('\'', f);
    for (size_t i = 0; i < n; i++) {
        const piece *pc = pieces_at(p, i);
        fputc(' ', f);
        if (pc->var) {
            put_var(f, pc->ph);
            continue;
        }
        fputc('\'', f);
        for (size_t k = 0; k < pc->len; k++) {
            unsigned char c = (unsigned char)pc->s[k];
            if (c == '\\')
                fputs("\\\\", f);
            else if (c == '\'')
                fputs("'\\''", f);
            else if (c < 0x20 || c >= 0x7F)
                fprintf(f, "\\0%03o", c);
            else
                fputc(c, f);
        }
        fputc('\'', f);
    }
    fputs(" | ", f);
}

static int case_has_header(const mh_case *c, const char *name)
{
    for (size_t i = 0; i < c->header_count; i++)
        if (strcasecmp(c->headers[i].name, name) == 0)
            return 1;
    return 0;
}

/* 1 when h is Authorization: Basic with the configured credentials:
 * written as curl's -u "$MANTA_BASIC", which builds the same header. */
static int basic_credentials(const mh_run *run, const mh_header *h)
{
    if (strcasecmp(h->name, "Authorization") != 0 || strncmp(h->value, "Basic ", 6) != 0)
        return 0;
    char *red = mh__report_redact_bytes(run, h->value + 6, strlen(h->value + 6), NULL);
    int yes = red && strcmp(red, MH_PLACEHOLDER_BASIC_B64) == 0;
    free(red);
    return yes;
}

static int emit_header(FILE *f, const mh_run *run, const mh_header *h)
{
    if (basic_credentials(run, h)) {
        fputs(" -u \"$MANTA_BASIC\"", f);
        return 0;
    }
    size_t nl = strlen(h->name), vl = strlen(h->value);
    char *line = malloc(nl + vl + 3);
    if (!line)
        return -1;
    /* "Name;" is curl's spelling of an empty header ("Name:" removes it). */
    if (vl == 0)
        snprintf(line, nl + 2, "%s;", h->name);
    else
        snprintf(line, nl + vl + 3, "%s: %s", h->name, h->value);
    fputs(" -H ", f);
    int rc = emit_word(f, run, line, strlen(line));
    free(line);
    return rc;
}

/* Inline bodies must fit one argv string (Linux caps one at 128 KiB). */
#define INLINE_BODY_MAX (32 * 1024)

static int method_is(const mh_case *c, const char *m)
{
    return c->method && strcmp(c->method, m) == 0;
}

/* Writes the whole command to f; -1 on OOM. */
static int curl_command(FILE *f, const mh_run *run, const mh_case *c)
{
    const char *m = c->method ? c->method : "GET";
    int head = strcmp(m, "HEAD") == 0;
    pieces body = {MH__BUF_INIT, MH__BUF_INIT};
    int piped = 0, rc = -1;
    if (c->body && !head) {
        if (pieces_build(&body, run, c->body, c->body_len) != 0)
            goto done;
        /* A leading '@' (even from an expanded secret) would make curl read a file. */
        piped = c->body_len > INLINE_BODY_MAX || c->body[0] == '@' ||
                (pieces_count(&body) > 0 && pieces_at(&body, 0)->var) ||
                !plain_text(c->body, c->body_len);
        if (piped)
            emit_printf(f, &body);
    }
    fputs("curl -sS --path-as-is -g", f);
    if (head)
        fputs(" -I", f);
    else {
        fputs(" -X ", f);
        if (emit_word(f, run, m, strlen(m)) != 0)
            goto done;
    }
    char *url = mh_report_case_url(run, c);
    fputc(' ', f);
    int urc = url ? emit_word(f, run, url, strlen(url)) : -1;
    free(url);
    if (urc != 0)
        goto done;
    if (!case_has_header(c, "User-Agent"))
        fputs(" -H 'User-Agent:'", f);
    for (size_t i = 0; i < c->header_count; i++)
        if (emit_header(f, run, &c->headers[i]) != 0)
            goto done;
    if (!case_has_header(c, "Content-Type"))
        fputs(" -H 'Content-Type:'", f);
    if (c->body && !head && c->body_len > 1024 && !case_has_header(c, "Expect"))
        fputs(" -H 'Expect:'", f);
    if (c->body && !head) {
        fputs(" --data-binary ", f);
        if (piped)
            fputs("@-", f);
        else
            shell_word(f, &body);
    } else if (!c->body && (method_is(c, "POST") || method_is(c, "PUT") || method_is(c, "PATCH")))
        fputs(" --data-binary ''", f); /* the transport sends Content-Length: 0 */
    rc = 0;
done:
    pieces_free(&body);
    return rc;
}

char *mh_report_curl_command(const mh_run *run, const mh_result *r)
{
    if (!r || !r->kase)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    int rc = curl_command(f, run, r->kase);
    if (fclose(f) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    /* Belt and braces: the pieces were redacted, but nothing leaves unredacted. */
    char *out = mh_redact(run->redactor, buf, len);
    free(buf);
    return out;
}
