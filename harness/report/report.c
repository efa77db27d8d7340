/* report.c — what the report writers share (contract: report.h): --report
 * parsing, atomic writes, the summary, body redaction and capping, UTF-8 and
 * XML escaping, the curl reproduction and the progress line.
 */
#include "manta/report.h"
#include "report_int.h"

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

/* ---- summary ----------------------------------------------------------------- */

size_t mh_report_plan_index(const mh_run *run, size_t i)
{
    if (run->plan_index)
        return run->plan_index[i];
    if (run->shard_n > 0 && run->shard_k > 0)
        return i * run->shard_n + (run->shard_k - 1);
    return i;
}

static int check_index(const char *name)
{
    for (size_t i = 0; i < mh_check_count && i < MH_REPORT_MAX_CHECKS; i++)
        if (name && strcmp(mh_checks[i].name, name) == 0)
            return (int)i;
    return -1;
}

void mh_summary_compute(const mh_run *run, mh_summary *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < run->result_count; i++) {
        const mh_result *r = &run->results[i];
        unsigned su = r->kase ? (unsigned)r->kase->suite : 0;
        if (su >= MH_SUITE_COUNT)
            su = 0;
        s->cases++;
        s->suite_cases[su]++;
        switch (r->outcome) {
        case MH_OUTCOME_PASSED:
            s->passed++;
            s->suite_passed[su]++;
            break;
        case MH_OUTCOME_FAILED:
            s->failed++;
            s->suite_failed[su]++;
            break;
        case MH_OUTCOME_WARNING:
            s->warnings++;
            s->suite_warnings[su]++;
            break;
        default:
            s->inconclusive++;
            s->suite_inconclusive[su]++;
            break;
        }
        for (size_t k = 0; k < r->finding_count; k++) {
            int ci = check_index(r->findings[k].check);
            s->findings++;
            if (ci >= 0)
                s->by_check[ci]++;
            else
                s->other_findings++;
        }
    }
}

/* ---- redaction, capping, UTF-8 ---------------------------------------------- */

char *mh__report_redact(const mh_run *run, const char *s)
{
    if (!s)
        s = "";
    return mh_redact(run ? run->redactor : NULL, s, strlen(s));
}

/* Redacts s[0..len) that may hold NULs: secrets never contain NUL, so each
 * NUL-free stretch is redacted on its own and the NULs are kept. */
static char *redact_bytes(const mh_run *run, const char *s, size_t len, size_t *out_len)
{
    size_t cap = len + 1, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    size_t i = 0;
    for (;;) {
        const char *nul = memchr(s + i, '\0', len - i);
        size_t seg = nul ? (size_t)(nul - (s + i)) : len - i;
        char *red = mh_redact(run ? run->redactor : NULL, s + i, seg);
        if (!red) {
            free(buf);
            return NULL;
        }
        size_t rl = strlen(red);
        if (n + rl + 2 > cap) {
            size_t nc = (n + rl + 2) * 2;
            char *nb = realloc(buf, nc);
            if (!nb) {
                free(red);
                free(buf);
                return NULL;
            }
            buf = nb;
            cap = nc;
        }
        memcpy(buf + n, red, rl);
        n += rl;
        free(red);
        if (!nul)
            break;
        buf[n++] = '\0';
        i += seg + 1;
    }
    buf[n] = '\0';
    *out_len = n;
    return buf;
}

int mh__report_body(const mh_run *run, const char *s, size_t len, size_t cap, mh__report_text *out)
{
    memset(out, 0, sizeof *out);
    /* Redact before capping: a cut must never leave half a secret behind. */
    out->data = redact_bytes(run, s ? s : "", s ? len : 0, &out->len);
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

void mh__report_xml_escape(FILE *f, const char *s, size_t len, int attr)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = u[i];
        size_t l = mh__utf8_seq_len(u + i, len - i);
        if (l == 0) {
            fputs("\xEF\xBF\xBD", f);
            i++;
            continue;
        }
        if (l > 1) {
            /* U+FFFE and U+FFFF are not XML characters. */
            if (l == 3 && c == 0xEF && u[i + 1] == 0xBF && u[i + 2] >= 0xBE)
                fputs("\xEF\xBF\xBD", f);
            else
                fwrite(u + i, 1, l, f);
            i += l;
            continue;
        }
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
        i++;
    }
}

/* ---- URL and curl reproduction ---------------------------------------------- */

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

static const char *const placeholders[] = {"$MANTA_TOKEN", "$MANTA_JWT_KEY", "$MANTA_SECRET"};
#define PLACEHOLDER_COUNT 3

/* One piece of a shell word: literal bytes, or a placeholder to expand. */
typedef struct {
    int var; /* 1 = placeholders[idx], expanded by the shell */
    int idx;
    const char *s;
    size_t len;
} piece;

typedef struct {
    piece *v;
    size_t n, cap;
    char **owned; /* redacted buffers the pieces point into */
    size_t owned_n, owned_cap;
} pieces;

static void pieces_free(pieces *p)
{
    for (size_t i = 0; i < p->owned_n; i++)
        free(p->owned[i]);
    free(p->owned);
    free(p->v);
    memset(p, 0, sizeof *p);
}

static int pieces_add(pieces *p, int var, int idx, const char *s, size_t len)
{
    if (!var && len == 0)
        return 0;
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 8;
        piece *nv = realloc(p->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        p->v = nv;
        p->cap = nc;
    }
    p->v[p->n++] = (piece){var, idx, s, len};
    return 0;
}

static int pieces_own(pieces *p, char *buf)
{
    if (p->owned_n == p->owned_cap) {
        size_t nc = p->owned_cap ? p->owned_cap * 2 : 4;
        char **no = realloc(p->owned, nc * sizeof *no);
        if (!no)
            return -1;
        p->owned = no;
        p->owned_cap = nc;
    }
    p->owned[p->owned_n++] = buf;
    return 0;
}

/* First placeholder text in s[0..len): its offset and index; -1 if none. */
static long find_placeholder(const char *s, size_t len, int *idx)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '$')
            continue;
        for (int k = 0; k < PLACEHOLDER_COUNT; k++) {
            size_t pl = strlen(placeholders[k]);
            if (pl <= len - i && memcmp(s + i, placeholders[k], pl) == 0) {
                *idx = k;
                return (long)i;
            }
        }
    }
    return -1;
}

/* Redacts one stretch of original text (no placeholder text in it) and
 * splits the result at the placeholders the redactor put in. */
static int pieces_redacted(pieces *p, const mh_run *run, const char *s, size_t len)
{
    size_t rl;
    char *red = redact_bytes(run, s, len, &rl);
    if (!red || pieces_own(p, red) != 0) {
        free(red);
        return -1;
    }
    size_t i = 0;
    int idx;
    long at;
    while ((at = find_placeholder(red + i, rl - i, &idx)) >= 0) {
        if (pieces_add(p, 0, 0, red + i, (size_t)at) != 0 || pieces_add(p, 1, idx, NULL, 0) != 0)
            return -1;
        i += (size_t)at + strlen(placeholders[idx]);
    }
    return pieces_add(p, 0, 0, red + i, rl - i);
}

/* Splits original text s[0..len) into pieces: text that already reads like
 * a placeholder stays literal; secrets become expandable placeholders. */
static int pieces_build(pieces *p, const mh_run *run, const char *s, size_t len)
{
    size_t i = 0;
    int idx;
    long at;
    while ((at = find_placeholder(s + i, len - i, &idx)) >= 0) {
        size_t pl = strlen(placeholders[idx]);
        if (pieces_redacted(p, run, s + i, (size_t)at) != 0 ||
            pieces_add(p, 0, 0, s + i + at, pl) != 0)
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
    if (p->n == 0) {
        fputs("''", f);
        return;
    }
    if (p->n == 1 && !p->v[0].var && bare_word(p->v[0].s, p->v[0].len)) {
        fwrite(p->v[0].s, 1, p->v[0].len, f);
        return;
    }
    int open = 0;
    for (size_t i = 0; i < p->n; i++) {
        const piece *pc = &p->v[i];
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
            fprintf(f, "\"%s\"", placeholders[pc->idx]);
        else
            shell_ansi_c(f, pc->s, pc->len);
    }
    if (open)
        fputc('\'', f);
}

/* Writes one shell word for original text s[0..len). -1 on OOM. */
static int emit_word(FILE *f, const mh_run *run, const char *s, size_t len)
{
    pieces p = {0};
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
    fputs("printf '", f);
    for (size_t i = 0; i < p->n; i++)
        fputs(p->v[i].var ? "%s" : "%b", f);
    fputc('\'', f);
    for (size_t i = 0; i < p->n; i++) {
        fputc(' ', f);
        if (p->v[i].var) {
            fprintf(f, "\"%s\"", placeholders[p->v[i].idx]);
            continue;
        }
        fputc('\'', f);
        for (size_t k = 0; k < p->v[i].len; k++) {
            unsigned char c = (unsigned char)p->v[i].s[k];
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

static int emit_header(FILE *f, const mh_run *run, const mh_header *h)
{
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
    pieces body = {0};
    int piped = 0, rc = -1;
    if (c->body && !head) {
        if (pieces_build(&body, run, c->body, c->body_len) != 0)
            goto done;
        /* A leading '@' (even from an expanded secret) would make curl read a file. */
        piped = c->body_len > INLINE_BODY_MAX || c->body[0] == '@' ||
                (body.n > 0 && body.v[0].var) || !plain_text(c->body, c->body_len);
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

/* ---- progress ---------------------------------------------------------------- */

void mh_report_progress(FILE *out, size_t done, size_t total, size_t failed, double elapsed_ms)
{
    enum { WIDTH = 20 };
    char bar[WIDTH + 1];
    size_t fill = total ? (done >= total ? WIDTH : done * WIDTH / total) : 0;
    for (size_t i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[WIDTH] = '\0';
    double rate = elapsed_ms > 0 ? (double)done * 1000.0 / elapsed_ms : 0.0;
    fprintf(out, "\r[%s] %zu/%zu cases  %zu failed  %.1f req/s   ", bar, done, total, failed, rate);
    fflush(out);
}
