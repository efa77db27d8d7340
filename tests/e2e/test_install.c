/* test_install.c — what a user installs and copies: the man page in step
 * with every subcommand's --help, `cmake --install` into a temporary prefix
 * (binary, contract, man page, libmh.a, headers, pkg-config file) with a
 * pkg-config build of a small program against it, the CI templates' command
 * lines valid for the current CLI, and scripts/ci-gate.sh run against the
 * reference server. */
#include "testutil.h"
#include "tu_server.h"
#include "tu_tmp.h"

#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "manta/json_strict.h"

#ifndef MH_BINARY_DIR
#error "tests/CMakeLists.txt passes MH_BINARY_DIR to test_install"
#endif
#ifndef MH_C_COMPILER
#define MH_C_COMPILER "cc"
#endif

static const char *const commands[] = {"run",  "validate", "serve",        "token",
                                       "fuzz", "replay",   "merge-reports"};
enum { NCMD = sizeof commands / sizeof commands[0] };

/* ---- flag sets --------------------------------------------------------------- */

typedef struct {
    char v[128][48];
    size_t n;
} flags;

static int flags_has(const flags *f, const char *s)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i], s) == 0)
            return 1;
    return 0;
}

/* Adds every "--word" of text (roff escapes "\-" already removed). */
static void flags_scan(flags *f, const char *text)
{
    for (const char *p = text; (p = strstr(p, "--")) != NULL;) {
        const char *s = p + 2;
        size_t n = 0;
        while (islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) ||
               (s[n] == '-' && islower((unsigned char)s[n + 1])))
            n++;
        if (n > 0 && (p == text || !isalnum((unsigned char)p[-1])) && n + 3 < sizeof f->v[0] &&
            f->n < 128) {
            char buf[48];
            snprintf(buf, sizeof buf, "--%.*s", (int)n, s);
            if (!flags_has(f, buf))
                strcpy(f->v[f->n++], buf);
        }
        p = s + n;
    }
}

/* The flags of `manta-harness cmd --help`; 0 when it has no help yet. */
static int help_flags(const char *cmd, flags *f)
{
    const char *argv[] = {"manta-harness", cmd, "--help", NULL};
    char *out = NULL, *err = NULL;
    int rc = tu_run_cli(argv, NULL, &out, &err, 30);
    memset(f, 0, sizeof *f);
    if (rc == 0)
        flags_scan(f, out);
    free(out);
    free(err);
    return rc == 0;
}

/* The man page text with roff's "\-" turned into "-". */
static char *man_text(void)
{
    char *t = tu_read_file(MH_SOURCE_DIR "/docs/manta-harness.1", NULL);
    ck_assert_ptr_nonnull(t);
    char *w = t;
    for (const char *r = t; *r; r++) {
        if (r[0] == '\\' && r[1] == '-') {
            *w++ = '-';
            r++;
        } else
            *w++ = *r;
    }
    *w = '\0';
    return t;
}

/* The flags of the man page's ".SS cmd ..." subsection. */
static int man_flags(const char *man, const char *cmd, flags *f)
{
    memset(f, 0, sizeof *f);
    char head[64];
    snprintf(head, sizeof head, "\n.SS %s", cmd);
    const char *p = man;
    while ((p = strstr(p, head)) != NULL) {
        char c = p[strlen(head)];
        if (c == ' ' || c == '\n')
            break;
        p++;
    }
    if (!p)
        return 0;
    p += 1;
    const char *end = strstr(p + 1, "\n.SS ");
    const char *sh = strstr(p + 1, "\n.SH ");
    if (!end || (sh && sh < end))
        end = sh;
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char *sec = strndup(p, len);
    flags_scan(f, sec);
    free(sec);
    return 1;
}

START_TEST(install_man_page_matches_help)
{
    char *man = man_text();
    char report[4096] = "";
    size_t used = 0;
    for (int c = 0; c < NCMD; c++) {
        flags h, m;
        int has_help = help_flags(commands[c], &h);
        ck_assert_msg(man_flags(man, commands[c], &m), "man page: no \".SS %s\" subsection",
                      commands[c]);
        if (!has_help)
            continue; /* a placeholder subcommand: nothing to compare yet */
        /* --help is every subcommand's; not every section repeats it. */
        for (size_t i = 0; i < h.n; i++)
            if (strcmp(h.v[i], "--help") != 0 && !flags_has(&m, h.v[i]))
                used += (size_t)snprintf(report + used, sizeof report - used,
                                         "\n  %s %s: in --help, missing from the man page",
                                         commands[c], h.v[i]);
        for (size_t i = 0; i < m.n; i++)
            if (strcmp(m.v[i], "--help") != 0 && !flags_has(&h, m.v[i]))
                used += (size_t)snprintf(report + used, sizeof report - used,
                                         "\n  %s %s: in the man page, not in --help", commands[c],
                                         m.v[i]);
        if (used >= sizeof report)
            used = sizeof report - 1;
    }
    free(man);
    ck_assert_msg(used == 0, "docs/manta-harness.1 out of step with --help:%s", report);
}
END_TEST

START_TEST(install_man_page_documents_exit_codes_and_version)
{
    char *man = man_text();
    ck_assert_ptr_nonnull(strstr(man, ".SH EXIT STATUS"));
    for (const char *code = "0123"; *code; code++) {
        char b[16];
        snprintf(b, sizeof b, ".B %c\n", *code);
        ck_assert_msg(strstr(man, b) != NULL, "exit status %c not documented", *code);
    }
    ck_assert_ptr_nonnull(strstr(man, "--version"));
    free(man);
    const char *argv[] = {"manta-harness", "--version", NULL};
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run_cli(argv, NULL, &out, &err, 10), 0);
    ck_assert_ptr_nonnull(strstr(out, "manta-harness "));
    free(out);
    free(err);
}
END_TEST

/* ---- cmake --install and pkg-config ------------------------------------------ */

static tu_tmp inst; /* the install prefix */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static int exists(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", inst.dir, rel);
    struct stat st;
    return stat(p, &st) == 0 && st.st_size > 0;
}

static const char probe_c[] =
    "#include <manta/json_strict.h>\n"
    "#include <manta/spec.h>\n"
    "#include <stdio.h>\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "    cJSON *doc = NULL;\n"
    "    if (argc < 2 || mh_json_parse(\"{\\\"a\\\":1}\", 7, NULL, &doc, NULL) != MH_JSON_OK)\n"
    "        return 1;\n"
    "    cJSON_Delete(doc);\n"
    "    mh_spec *spec = NULL;\n"
    "    mh_error err;\n"
    "    if (mh_spec_load(argv[1], &spec, &err) != MH_OK)\n"
    "        return 2;\n"
    "    const mh_operation *op = mh_spec_operation(spec, 0);\n"
    "    printf(\"%s line %d\\n\", op->id, op->path_line);\n"
    "    mh_spec_free(spec);\n"
    "    return 0;\n"
    "}\n";

START_TEST(install_prefix_has_everything_and_pkgconfig_builds)
{
    tu_tmp_init(&inst, "install");
    const char *prefix = inst.dir;
    ck_assert_int_eq(
        sh("cmake --install '%s' --prefix '%s' >'%s.log' 2>&1", MH_BINARY_DIR, prefix, prefix), 0);
    static const char *const files[] = {"bin/manta-harness",
                                        "share/manta-harness/manta-openapi.json",
                                        "share/man/man1/manta-harness.1",
                                        "lib/libmh.a",
                                        "include/manta/spec.h",
                                        "include/manta/json_strict.h",
                                        "include/manta/error.h",
                                        "lib/pkgconfig/manta-harness.pc"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        ck_assert_msg(exists(files[i]), "%s not installed under %s", files[i], prefix);
    ck_assert_msg(!exists("include/manta/cli.h"), "CLI header installed");
    /* Public headers carry no internals: nothing named mh__ is installed. */
    ck_assert_int_eq(sh("! grep -l 'mh__' '%s'/include/manta/*.h >&2", prefix), 0);

    /* The installed binary finds the installed contract by itself. */
    char report[600];
    snprintf(report, sizeof report, "%s/r.json", prefix);
    ck_assert_int_eq(sh("cd / && '%s/bin/manta-harness' run --quiet --no-progress --seed 1 "
                        "--max-cases 5 --report 'json:%s' >/dev/null 2>&1",
                        prefix, report),
                     0);
    char *text = tu_read_file(report, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(strstr(text, "share/manta-harness/manta-openapi.json") != NULL &&
                      strstr(text, prefix) != NULL,
                  "installed binary used another contract: %.300s", text);
    free(text);

    /* A program built only from the installed .pc. Under the sanitizer
     * build libmh.a needs the sanitizer runtimes at link time too. */
    char src[600];
    snprintf(src, sizeof src, "%s/probe.c", prefix);
    FILE *f = fopen(src, "w");
    ck_assert_ptr_nonnull(f);
    fputs(probe_c, f);
    fclose(f);
    ck_assert_msg(
        sh("PKG_CONFIG_PATH='%s/lib/pkgconfig' && export PKG_CONFIG_PATH && '%s' %s -o "
           "'%s/probe' '%s' $(pkg-config --cflags --libs manta-harness) >'%s/cc.log' 2>&1",
           prefix, MH_C_COMPILER, tu_sanitized() ? "-fsanitize=address,undefined" : "", prefix, src,
           prefix) == 0,
        "pkg-config build failed: see %s/cc.log", prefix);
    char out[600];
    snprintf(out, sizeof out, "%s/probe.out", prefix);
    ck_assert_int_eq(sh("ASAN_OPTIONS=detect_leaks=1 '%s/probe' "
                        "'%s/share/manta-harness/manta-openapi.json' >'%s'",
                        prefix, prefix, out),
                     0);
    text = tu_read_file(out, NULL);
    ck_assert_msg(strncmp(text, "POST /openapi/personalTag line ", 31) == 0, "probe: %s", text);
    free(text);
    ck_assert_int_eq(tu_tmp_free(&inst), 0);
}
END_TEST

/* ---- CI templates ------------------------------------------------------------- */

/* Checks every manta-harness invocation in file (continuation lines joined)
 * against its subcommand's --help; appends problems to report. Returns how
 * many invocations were found. */
static int check_template(const char *file, char *report, size_t n)
{
    char *text = tu_read_file(file, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", file);
    char *lines[1024];
    size_t count = 0;
    for (char *l = strtok(text, "\n"); l && count < 1024; l = strtok(NULL, "\n"))
        lines[count++] = l;
    int found = 0;
    for (size_t i = 0; i < count; i++) {
        char *at = strstr(lines[i], "manta-harness ");
        char *hash = strchr(lines[i], '#');
        if (!at || (hash && hash < at))
            continue;
        char joined[2048];
        snprintf(joined, sizeof joined, "%s", at);
        /* "\" continuations and folded YAML lines that carry on with flags. */
        while (i + 1 < count) {
            size_t l = strlen(joined);
            const char *t = lines[i + 1] + strspn(lines[i + 1], " \t");
            if (!(l && joined[l - 1] == '\\') && strncmp(t, "--", 2) != 0)
                break;
            snprintf(joined + l, sizeof joined - l, " %s", t);
            i++;
        }
        char sub[32] = "";
        sscanf(joined + strlen("manta-harness "), "%31[a-z-]", sub);
        int c;
        for (c = 0; c < NCMD && strcmp(commands[c], sub) != 0; c++)
            ;
        if (c == NCMD)
            continue; /* prose, not an invocation */
        found++;
        flags h, used;
        ck_assert_msg(help_flags(sub, &h), "%s: `manta-harness %s --help` failed", file, sub);
        memset(&used, 0, sizeof used);
        flags_scan(&used, joined);
        for (size_t k = 0; k < used.n; k++)
            if (!flags_has(&h, used.v[k])) {
                size_t l = strlen(report);
                snprintf(report + l, n - l, "\n  %s: %s %s is not a flag of %s", file, sub,
                         used.v[k], sub);
            }
    }
    free(text);
    return found;
}

START_TEST(install_ci_templates_use_valid_flags)
{
    char report[4096] = "";
    int gh = check_template(MH_SOURCE_DIR "/scripts/ci/github-actions.yml", report, sizeof report);
    int gl = check_template(MH_SOURCE_DIR "/scripts/ci/gitlab-ci.yml", report, sizeof report);
    ck_assert_msg(gh >= 2 && gl >= 2, "templates invoke manta-harness too rarely (%d, %d)", gh, gl);
    /* The wrapper's own run flags: every --flag on its `set --` lines. */
    char *gate = tu_read_file(MH_SOURCE_DIR "/scripts/ci-gate.sh", NULL);
    ck_assert_ptr_nonnull(gate);
    flags run, used;
    ck_assert(help_flags("run", &run));
    memset(&used, 0, sizeof used);
    for (char *line = strtok(gate, "\n"); line; line = strtok(NULL, "\n"))
        if (strstr(line, "set -- "))
            flags_scan(&used, line);
    ck_assert_uint_ge(used.n, 4);
    for (size_t i = 0; i < used.n; i++)
        if (!flags_has(&run, used.v[i])) {
            size_t l = strlen(report);
            snprintf(report + l, sizeof report - l, "\n  ci-gate.sh: run %s is not a run flag",
                     used.v[i]);
        }
    free(gate);
    ck_assert_msg(report[0] == '\0', "CI templates out of step with the CLI:%s", report);
}
END_TEST

/* ---- ci-gate.sh against the reference server ---------------------------------- */

START_TEST(install_ci_gate_runs_against_reference_server)
{
    tu_tmp t;
    tu_tmp_init(&t, "gate");
    const char *dir = t.dir;
    const char *args[] = {"--port",    "0",
                          "--bot-id",  "gate-bot",
                          "--secret",  "gate-s3cret-value",
                          "--jwt-key", "gate-k3y-0123456789",
                          NULL};
    tu_serve srv;
    ck_assert_int_eq(tu_serve_start(&srv, args, NULL, 0), 0);
    const char *url = srv.url;
    /* Secrets go in the environment, as in CI; two shards then a merge. */
    int rc[2];
    for (int k = 1; k <= 2; k++)
        rc[k - 1] =
            sh("cd '%s' && env MANTA_HARNESS='%s' MANTA_BASE_URL='%s' MANTA_BOT_ID=gate-bot "
               "MANTA_SECRET=gate-s3cret-value MANTA_JWT_KEY=gate-k3y-0123456789 "
               "MANTA_SHARD=%d/2 MANTA_BASELINE=none.json "
               "sh '%s/scripts/ci-gate.sh' --quiet >gate-%d.out 2>&1",
               dir, MH_BINARY, url, k, MH_SOURCE_DIR, k);
    int none = sh("cd '%s' && env -u MANTA_BASE_URL MANTA_HARNESS='%s' sh "
                  "'%s/scripts/ci-gate.sh' >none.out 2>&1",
                  dir, MH_BINARY, MH_SOURCE_DIR);
    tu_serve_stop(&srv, SIGTERM, NULL);
    ck_assert_msg(rc[0] == 0 && rc[1] == 0, "ci-gate.sh exit %d, %d (see %s/gate-*.out)", rc[0],
                  rc[1], dir);
    ck_assert_int_eq(none, 2); /* no target named: a configuration error */
    static const char *const outs[] = {"manta-shard-1-of-2.json", "junit-shard-1-of-2.xml",
                                       "manta-shard-2-of-2.sarif", "report-shard-2-of-2.html"};
    for (size_t i = 0; i < 4; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/reports/%s", dir, outs[i]);
        struct stat st;
        ck_assert_msg(stat(p, &st) == 0 && st.st_size > 0, "missing %s", p);
    }
    /* The templates' merge step, on the wrapper's outputs. */
    ck_assert_int_eq(sh("cd '%s' && '%s' merge-reports reports/manta.json "
                        "reports/manta-shard-*.json --junit reports/junit.xml >merge.out 2>&1",
                        dir, MH_BINARY),
                     0);
    char p[256];
    snprintf(p, sizeof p, "%s/reports/manta.json", dir);
    size_t len;
    char *text = tu_read_file(p, &len);
    cJSON *doc = NULL;
    ck_assert_int_eq(mh_json_parse(text, len, NULL, &doc, NULL), MH_JSON_OK);
    const cJSON *seed = mh_json_get(doc, "seed");
    ck_assert_str_eq(seed->valuestring, "1"); /* the gate's fixed default */
    ck_assert_int_gt(mh_json_get(mh_json_get(doc, "summary"), "cases")->valueint, 10);
    cJSON_Delete(doc);
    free(text);
    ck_assert_int_eq(tu_tmp_free(&t), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("install");
    TCase *tc = tcase_create("docs");
    tcase_add_test(tc, install_man_page_matches_help);
    tcase_add_test(tc, install_man_page_documents_exit_codes_and_version);
    tcase_add_test(tc, install_ci_templates_use_valid_flags);
    suite_add_tcase(s, tc);
    TCase *inst = tcase_create("install");
    tcase_set_timeout(inst, 180);
    tcase_add_test(inst, install_prefix_has_everything_and_pkgconfig_builds);
    tcase_add_test(inst, install_ci_gate_runs_against_reference_server);
    suite_add_tcase(s, inst);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
