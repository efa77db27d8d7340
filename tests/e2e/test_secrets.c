/* test_secrets.c — the token, the JWT key, the body secret and the
 * credentials of security schemes (API keys in a header, the query and a
 * cookie; http basic user:pass, its password and its base64) never leave
 * the harness: every subcommand x every output it makes (stdout, stderr,
 * json/junit/html/sarif reports, baselines, fuzz case files, merged reports,
 * serve's log), with secrets that need JSON escaping and percent-encoding,
 * given by flag and by environment, against the in-process reference server
 * whose echo-secret and echo-token faults put them into the answers, and
 * against a server that echoes every scheme credential it receives
 * (tests/data/whole/secured.yaml).
 *
 * Each secret carries a distinctive alphanumeric core: whatever escaping an
 * output applies (JSON, \u, percent, HTML, XML, shell quoting) keeps those
 * bytes, so finding the core anywhere is a leak. The raw, JSON-escaped and
 * percent-encoded whole forms are checked too, and every JWT-looking string
 * is verified against the key: a valid one in an output is a leaked token. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <dirent.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "manta/json_strict.h"
#include "manta/jwt.h"
#include "refserver.h"
#include "manta/spec.h"
#include "testutil.h"
#include "tu_report.h"
#include "tu_hostile.h"
#include "tu_server.h"
#include "tu_tmp.h"

#define BOT "sec-bot"
/* quote, backslash, solidus, space, non-ASCII, shell and HTML specials */
#define SECRET "s\"e\\c/r e\xe2\x82\xac t'<&>QzS3cX7"
#define SECRET_CORE "QzS3cX7"
#define KEY "k\"ey/\\ \xc3\xa9'<&>JwK9yV2"
#define KEY_CORE "JwK9yV2"

/* The credentials of security schemes (secured.yaml), each with its core. */
#define SECURED MH_TEST_DATA "/whole/secured.yaml"
#define KEY_HDR "h\"k\\y/ \xc3\xa9'<&>HkQ7pR4"
#define KEY_HDR_CORE "HkQ7pR4"
#define KEY_QRY "q k&y=/\xe2\x82\xac'<>QkT5mW8"
#define KEY_QRY_CORE "QkT5mW8"
#define KEY_CK "c\"k'<&>CkZ3nV6"
#define KEY_CK_CORE "CkZ3nV6"
#define BASIC_UP "bob:p\"a s/s\xc3\xa9'<&>BpX2kL9"
#define BASIC_CORE "BpX2kL9"
#define BASIC_B64 "Ym9iOnAiYSBzL3PDqSc8Jj5CcFgya0w5" /* base64 of BASIC_UP */
#define OPAQUE "opq.T0k\"en/\xc3\xa9<&>TkN8vB1"
#define OPAQUE_CORE "TkN8vB1"

/* ------------------------------------------------------------- leak scan */

static char *percent(const char *s, int lower)
{
    const char *hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
    char *out = malloc(strlen(s) * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

/* Fails when text holds secret s (named name) in any form. */
static void assert_no_form(const char *where, const char *text, size_t len, const char *name,
                           const char *s, const char *core)
{
    char *quoted = mh_json_quote(s);
    ck_assert_ptr_nonnull(quoted);
    quoted[strlen(quoted) - 1] = '\0';
    char *up = percent(s, 0), *low = percent(s, 1);
    const char *forms[] = {s, quoted + 1, up, low, core};
    const char *form_names[] = {"raw", "JSON-escaped", "percent-encoded", "percent-encoded",
                                "core (some escaped form)"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        if (forms[i] && tu_contains(text, len, forms[i])) {
            const char *at = memmem(text, len, forms[i], strlen(forms[i]));
            size_t off = (size_t)(at - text), from = off > 80 ? off - 80 : 0;
            ck_abort_msg("%s leaks the %s (%s) at byte %zu: ...%.*s...", where, name, form_names[i],
                         off, (int)(len - from < 200 ? len - from : 200), text + from);
        }
    }
    free(quoted);
    free(up);
    free(low);
}

/* Fails when text holds a JWT whose signature verifies with KEY and which
 * is not expired: a usable bearer token. */
static void assert_no_live_token(const char *where, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while ((p = memmem(p, (size_t)(end - p), "eyJ", 3)) != NULL) {
        const char *q = p;
        while (q < end && (((*q | 32) >= 'a' && (*q | 32) <= 'z') || (*q >= '0' && *q <= '9') ||
                           *q == '-' || *q == '_' || *q == '.'))
            q++;
        char *tok = strndup(p, (size_t)(q - p));
        mh_jwt_result r = mh_jwt_verify(tok, KEY, strlen(KEY), time(NULL), NULL);
        ck_assert_msg(r != MH_JWT_OK, "%s leaks a valid bearer token: %s", where, tok);
        free(tok);
        p = q;
    }
}

/* Every check on one output; extra_token is a token the test gave (or NULL). */
static void assert_clean_text(const char *where, const char *text, size_t len,
                              const char *extra_token)
{
    if (!text)
        return;
    assert_no_form(where, text, len, "body secret", SECRET, SECRET_CORE);
    assert_no_form(where, text, len, "JWT key", KEY, KEY_CORE);
    assert_no_form(where, text, len, "header API key", KEY_HDR, KEY_HDR_CORE);
    assert_no_form(where, text, len, "query API key", KEY_QRY, KEY_QRY_CORE);
    assert_no_form(where, text, len, "cookie API key", KEY_CK, KEY_CK_CORE);
    assert_no_form(where, text, len, "basic credentials", BASIC_UP, BASIC_CORE);
    assert_no_form(where, text, len, "basic credentials (base64)", BASIC_B64, NULL);
    assert_no_form(where, text, len, "opaque token", OPAQUE, OPAQUE_CORE);
    if (extra_token)
        assert_no_form(where, text, len, "token", extra_token, NULL);
    assert_no_live_token(where, text, len);
}

static const char *scan_token; /* for the nftw callback */
static int scanned_files;

static int scan_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag != FTW_F)
        return 0;
    size_t len = 0;
    char *text = tu_read_file(path, &len);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    assert_clean_text(path, text, len, scan_token);
    scanned_files++;
    free(text);
    return 0;
}

/* Checks every file under dir; returns how many were read. */
static int assert_clean_dir(const char *dir, const char *extra_token)
{
    scan_token = extra_token;
    scanned_files = 0;
    nftw(dir, scan_entry, 16, FTW_PHYS);
    return scanned_files;
}

/* ------------------------------------------------------------- fixtures */

static const unsigned long long ECHO_BOTH =
    MH_FAULT_BIT(MH_FAULT_ECHO_SECRET) | MH_FAULT_BIT(MH_FAULT_ECHO_TOKEN);

/* Runs the CLI and checks both streams; returns the exit status. */
static int run_clean(const char *const *argv, const char *extra_token, char **out_keep)
{
    char *out = NULL, *err = NULL;
    int rc = tu_run_cli(argv, NULL, &out, &err, 120);
    char where[160];
    snprintf(where, sizeof where, "stdout of '%s %s'", argv[1], argv[2] ? argv[2] : "");
    assert_clean_text(where, out, out ? strlen(out) : 0, extra_token);
    snprintf(where, sizeof where, "stderr of '%s %s'", argv[1], argv[2] ? argv[2] : "");
    assert_clean_text(where, err, err ? strlen(err) : 0, extra_token);
    ck_assert_msg(rc >= 0 && rc <= 3, "exit %d; stderr: %s", rc, err ? err : "");
    if (out_keep)
        *out_keep = out;
    else
        free(out);
    free(err);
    return rc;
}

/* 1 when the JSON report at path names check in summary.by_check. */
static int report_has_check(const char *path, const char *check)
{
    cJSON *rep = tu_report_load(path);
    int has = tu_report_has_check(rep, check);
    cJSON_Delete(rep);
    return has;
}

static char *mint(long long ttl)
{
    long long now = (long long)time(NULL);
    char *t = mh_jwt_mint(KEY, strlen(KEY), BOT, now, now + ttl);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* ---------------------------------------------------------------- tests */

/* run with every output at once: the leak must be found (the echo faults
 * fire) and reported without the secret anywhere. */
static void run_all_outputs(int via_env, int use_token)
{
    tu_ref t;
    tu_ref_start(&t, BOT, SECRET, KEY, ECHO_BOTH, 0);
    tu_tmp d;
    tu_tmp_init(&d, "secrets");
    const char *json = tu_tmp_flag(&d, "json", "r.json");
    const char *junit = tu_tmp_flag(&d, "junit", "r.xml");
    const char *html = tu_tmp_flag(&d, "html", "r.html");
    const char *sarif = tu_tmp_flag(&d, "sarif", "r.sarif");
    const char *bl = tu_tmp_path(&d, "baseline.json");
    char *tok = use_token ? mint(3600) : NULL;
    const char *av[40] = {"manta-harness",    "run",
                          "--no-progress",    "--verbose",
                          "--suite",          "valid,malformed,auth",
                          "--max-cases",      "14",
                          "--seed",           "7",
                          "--base-url",       t.url,
                          "--report",         json,
                          "--report",         junit,
                          "--report",         html,
                          "--report",         sarif,
                          "--write-baseline", bl};
    size_t n = 22;
    if (via_env) {
        setenv("MANTA_BOT_ID", BOT, 1);
        setenv("MANTA_SECRET", SECRET, 1);
        setenv(use_token ? "MANTA_TOKEN" : "MANTA_JWT_KEY", use_token ? tok : KEY, 1);
    } else {
        av[n++] = "--bot-id";
        av[n++] = BOT;
        av[n++] = "--secret";
        av[n++] = SECRET;
        av[n++] = use_token ? "--token" : "--jwt-key";
        av[n++] = use_token ? tok : KEY;
    }
    av[n] = NULL;
    int rc = run_clean(av, tok, NULL);
    unsetenv("MANTA_BOT_ID");
    unsetenv("MANTA_SECRET");
    unsetenv("MANTA_TOKEN");
    unsetenv("MANTA_JWT_KEY");
    ck_assert_int_eq(rc, 1);
    ck_assert_msg(report_has_check(json + 5, "sensitive_data_exposure"),
                  "the echo faults did not fire: nothing was tested");
    ck_assert_int_eq(assert_clean_dir(d.dir, tok), 5);
    free(tok);
    tu_tmp_free(&d);
    tu_ref_stop(&t);
}

START_TEST(secrets_run_flags_key_all_outputs_clean)
{
    run_all_outputs(0, 0);
}
END_TEST

START_TEST(secrets_run_env_key_all_outputs_clean)
{
    run_all_outputs(1, 0);
}
END_TEST

START_TEST(secrets_run_flags_token_all_outputs_clean)
{
    run_all_outputs(0, 1);
}
END_TEST

START_TEST(secrets_run_env_token_all_outputs_clean)
{
    run_all_outputs(1, 1);
}
END_TEST

START_TEST(secrets_list_cases_clean)
{
    char *tok = mint(3600);
    const char *with_key[] = {
        "manta-harness", "run",  "--list-cases", "--verbose", "--jwt-key", KEY,
        "--secret",      SECRET, "--bot-id",     BOT,         NULL};
    char *out = NULL;
    ck_assert_int_eq(run_clean(with_key, NULL, &out), 0);
    ck_assert_msg(strstr(out, "auth/") != NULL, "no plan listed: %s", out);
    free(out);
    const char *with_token[] = {"manta-harness", "run",  "--list-cases", "--token", tok,
                                "--secret",      SECRET, "--bot-id",     BOT,       NULL};
    ck_assert_int_eq(run_clean(with_token, tok, NULL), 0);
    free(tok);
}
END_TEST

/* fuzz saves finding files; replay re-sends one; merge-reports combines. */
START_TEST(secrets_fuzz_casefiles_replay_clean)
{
    tu_ref t;
    tu_ref_start(&t, BOT, SECRET, KEY, ECHO_BOTH, 0);
    tu_tmp d;
    tu_tmp_init(&d, "secrets");
    const char *outdir = tu_tmp_path(&d, "cases");
    const char *json = tu_tmp_flag(&d, "json", "f.json");
    const char *fz[] = {
        "manta-harness", "fuzz",     "--iterations", "40",         "--seed", "3",        "--out",
        outdir,          "--report", json,           "--base-url", t.url,    "--bot-id", BOT,
        "--secret",      SECRET,     "--jwt-key",    KEY,          NULL};
    ck_assert_int_eq(run_clean(fz, NULL, NULL), 1);
    ck_assert_int_ge(assert_clean_dir(d.dir, NULL), 2);

    /* replay every saved file, secrets from the environment */
    DIR *dir = opendir(outdir);
    ck_assert_ptr_nonnull(dir);
    struct dirent *e;
    int replayed = 0;
    setenv("MANTA_SECRET", SECRET, 1);
    setenv("MANTA_JWT_KEY", KEY, 1);
    setenv("MANTA_BOT_ID", BOT, 1);
    while ((e = readdir(dir)) != NULL && replayed < 4) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", outdir, e->d_name);
        const char *rp[] = {"manta-harness", "replay", path, "--base-url", t.url, NULL};
        run_clean(rp, NULL, NULL);
        replayed++;
    }
    unsetenv("MANTA_SECRET");
    unsetenv("MANTA_JWT_KEY");
    unsetenv("MANTA_BOT_ID");
    closedir(dir);
    ck_assert_int_gt(replayed, 0);
    tu_tmp_free(&d);
    tu_ref_stop(&t);
}
END_TEST

START_TEST(secrets_merge_reports_clean)
{
    tu_ref t;
    tu_ref_start(&t, BOT, SECRET, KEY, ECHO_BOTH, 0);
    tu_tmp d;
    tu_tmp_init(&d, "secrets");
    const char *paths[2];
    for (int k = 0; k < 2; k++) {
        char shard[8], name[16];
        snprintf(shard, sizeof shard, "%d/2", k + 1);
        snprintf(name, sizeof name, "s%d.json", k + 1);
        const char *flag = tu_tmp_flag(&d, "json", name);
        paths[k] = flag + 5;
        const char *av[] = {
            "manta-harness", "run",  "--no-progress", "--quiet", "--suite",  "valid,auth",
            "--seed",        "11",   "--run-id",      "sec1",    "--shard",  shard,
            "--report",      flag,   "--base-url",    t.url,     "--bot-id", BOT,
            "--secret",      SECRET, "--jwt-key",     KEY,       NULL};
        ck_assert_int_eq(run_clean(av, NULL, NULL), 1);
    }
    const char *merged = tu_tmp_path(&d, "merged.json");
    const char *mr[] = {"manta-harness", "merge-reports", merged, paths[0], paths[1], NULL};
    run_clean(mr, NULL, NULL);
    ck_assert_msg(report_has_check(merged, "sensitive_data_exposure"), "merge lost the finding");
    ck_assert_int_eq(assert_clean_dir(d.dir, NULL), 3);
    tu_tmp_free(&d);
    tu_ref_stop(&t);
}
END_TEST

/* Secrets given in the wrong place: error messages must not echo them. */
START_TEST(secrets_bad_flags_not_echoed)
{
    char *tok = mint(3600);
    char tok_eq[1024], key_eq[256], sec_eq[256];
    snprintf(tok_eq, sizeof tok_eq, "--token=%s", tok);
    snprintf(key_eq, sizeof key_eq, "--jwt-keyy=%s", KEY);
    snprintf(sec_eq, sizeof sec_eq, "--secrett=%s", SECRET);
    char quiet_eq[256];
    snprintf(quiet_eq, sizeof quiet_eq, "--quiet=%s", SECRET);
    const char *const cases[][14] = {
        {"manta-harness", "validate", tok_eq, NULL},
        {"manta-harness", "merge-reports", sec_eq, NULL},
        {"manta-harness", "run", key_eq, NULL},
        {"manta-harness", "run", sec_eq, "--list-cases", NULL},
        {"manta-harness", "run", quiet_eq, NULL},
        {"manta-harness", "run", "--secret", SECRET, "--jwt-key", KEY, "--seed", "x", NULL},
        {"manta-harness", "run", "--jwt-key", KEY, "--secret", SECRET, "--bogus", NULL},
        {"manta-harness", "run", "--jwt-key", KEY, "--secret", SECRET, "stray", NULL},
        {"manta-harness", "run", "--jwt-key", KEY, "--secret", SECRET, "--report", "pdf:x", NULL},
        {"manta-harness", "run", "--jwt-key", KEY, "--secret", SECRET, "--base-url",
         "http://127.0.0.1:1/api", "--suite", "valid", "--max-cases", "1", NULL},
        {"manta-harness", "run", "--token", tok, "--secret", SECRET, NULL},
        {"manta-harness", "fuzz", tok_eq, "--iterations", "1", NULL},
        {"manta-harness", "fuzz", "--jwt-key", KEY, "--secret", SECRET, "--iterations", "0", NULL},
        {"manta-harness", "replay", "--secret", SECRET, "--jwt-key", KEY, NULL},
        {"manta-harness", "replay", sec_eq, "/nonexistent", NULL},
        {"manta-harness", "token", "--jwt-key", KEY, "--bot-id", BOT, "--ttl", "x", NULL},
        {"manta-harness", "token", key_eq, "--bot-id", BOT, NULL},
        {"manta-harness", "serve", "--jwt-key", KEY, "--secret", SECRET, "--bot-id", BOT, "--port",
         "x", NULL},
        {"manta-harness", "serve", sec_eq, "--bot-id", BOT, NULL},
        {"manta-harness", "serve", "--bot-id", BOT, "--secret", SECRET, "--jwt-key", KEY, "--host",
         "not a host", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = run_clean(cases[i], tok, NULL);
        ck_assert_msg(rc != 0 && rc != -1, "case %zu (%s %s) exit %d", i, cases[i][1], cases[i][2],
                      rc);
    }
    free(tok);
}
END_TEST

/* ------------------------------------------------- security schemes */

/* Answers every request 200 with the credentials it carried echoed back:
 * the whole request head as a JSON string body, and the X-API-Key,
 * Authorization and Cookie values and the target in headers. */
static char *echo_answer(void *ctx, size_t k, const char *req, size_t len, size_t *out_len)
{
    (void)ctx;
    (void)k;
    const char *end = memmem(req, len, "\r\n\r\n", 4);
    char *head = strndup(req, end ? (size_t)(end - req) : len);
    char *body = head ? mh_json_quote(head) : NULL;
    char *key = tu_hostile_header_dup(req, "X-API-Key");
    char *auth = tu_hostile_header_dup(req, "Authorization");
    char *cookie = tu_hostile_header_dup(req, "Cookie");
    size_t line = strcspn(req, "\r");
    char *a = NULL;
    int n = body ? asprintf(&a,
                            "HTTP/1.1 200 OK\r\nX-Echo-Target: %.*s\r\nX-Echo-Key: %s\r\n"
                            "X-Echo-Auth: %s\r\nX-Echo-Cookie: %s\r\nContent-Type: "
                            "application/json\r\nContent-Length: %zu\r\n\r\n%s",
                            (int)line, req, key ? key : "-", auth ? auth : "-",
                            cookie ? cookie : "-", strlen(body), body)
                 : -1;
    free(head);
    free(body);
    free(key);
    free(auth);
    free(cookie);
    if (n < 0)
        return NULL;
    *out_len = (size_t)n;
    return a;
}

/* run over the secured operations with every scheme credential, every
 * output at once, against the echo server: the leaks are found and no
 * output holds a credential. */
static void run_scheme_outputs(int via_env)
{
    tu_hostile_opts ho = {.mode = TU_HOSTILE_RAW, .answer_fn = echo_answer};
    tu_hostile *h = tu_hostile_start_opts(&ho);
    ck_assert_ptr_nonnull(h);
    tu_tmp d;
    tu_tmp_init(&d, "secrets-schemes");
    const char *json = tu_tmp_flag(&d, "json", "r.json");
    const char *junit = tu_tmp_flag(&d, "junit", "r.xml");
    const char *html = tu_tmp_flag(&d, "html", "r.html");
    const char *sarif = tu_tmp_flag(&d, "sarif", "r.sarif");
    const char *bl = tu_tmp_path(&d, "baseline.json");
    const char *av[64] = {"manta-harness",    "run",
                          "--no-progress",    "--verbose",
                          "--spec",           SECURED,
                          "--suite",          "valid,auth",
                          "--max-cases",      "60",
                          "--seed",           "9",
                          "--base-url",       tu_hostile_base_url(h),
                          "--report",         json,
                          "--report",         junit,
                          "--report",         html,
                          "--report",         sarif,
                          "--write-baseline", bl,
                          "--operation",      "listItems",
                          "--operation",      "createItem",
                          "--operation",      "showItem",
                          "--operation",      "changePassword",
                          "--operation",      "listReports"};
    size_t n = 34;
    if (via_env) {
        setenv("MANTA_API_KEY_KEY_HEADER", KEY_HDR, 1);
        setenv("MANTA_API_KEY_KEY_QUERY", KEY_QRY, 1);
        setenv("MANTA_API_KEY_KEY_COOKIE", KEY_CK, 1);
        setenv("MANTA_BASIC", BASIC_UP, 1);
        setenv("MANTA_TOKEN", OPAQUE, 1);
        setenv("MANTA_SECRET", SECRET, 1);
    } else {
        static const char *const flags[] = {"--api-key", "key_header=" KEY_HDR,
                                            "--api-key", "key_query=" KEY_QRY,
                                            "--api-key", "key_cookie=" KEY_CK,
                                            "--basic",   BASIC_UP,
                                            "--token",   OPAQUE,
                                            "--secret",  SECRET};
        for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
            av[n++] = flags[i];
    }
    av[n] = NULL;
    int rc = run_clean(av, NULL, NULL);
    unsetenv("MANTA_API_KEY_KEY_HEADER");
    unsetenv("MANTA_API_KEY_KEY_QUERY");
    unsetenv("MANTA_API_KEY_KEY_COOKIE");
    unsetenv("MANTA_BASIC");
    unsetenv("MANTA_TOKEN");
    unsetenv("MANTA_SECRET");
    ck_assert_int_eq(rc, 1);
    size_t len = 0;
    char *text = tu_read_file(json + 5, &len);
    ck_assert_ptr_nonnull(text);
    static const char *const found[] = {"$MANTA_API_KEY_KEY_HEADER", "$MANTA_API_KEY_KEY_QUERY",
                                        "$MANTA_API_KEY_KEY_COOKIE", "$MANTA_BASIC_B64",
                                        "$MANTA_TOKEN"};
    for (size_t i = 0; i < sizeof found / sizeof found[0]; i++) {
        char what[96];
        snprintf(what, sizeof what, "contains %s", found[i]);
        ck_assert_msg(strstr(text, what), "no sensitive_data_exposure naming %s: nothing tested",
                      found[i]);
    }
    free(text);
    ck_assert_int_eq(assert_clean_dir(d.dir, NULL), 5);
    tu_tmp_free(&d);
    tu_hostile_stop(h);
}

START_TEST(secrets_scheme_credentials_flags_all_outputs_clean)
{
    run_scheme_outputs(0);
}
END_TEST

START_TEST(secrets_scheme_credentials_env_all_outputs_clean)
{
    run_scheme_outputs(1);
}
END_TEST

/* --list-cases shows every plan with the scheme credentials given. */
START_TEST(secrets_scheme_credentials_list_cases_clean)
{
    const char *av[] = {"manta-harness",
                        "run",
                        "--list-cases",
                        "--verbose",
                        "--spec",
                        SECURED,
                        "--api-key",
                        "key_header=" KEY_HDR,
                        "--api-key",
                        "key_query=" KEY_QRY,
                        "--api-key",
                        "key_cookie=" KEY_CK,
                        "--basic",
                        BASIC_UP,
                        "--token",
                        OPAQUE,
                        "--secret",
                        SECRET,
                        NULL};
    char *out = NULL;
    ck_assert_int_eq(run_clean(av, NULL, &out), 0);
    ck_assert_msg(strstr(out, "?api_key=$MANTA_API_KEY_KEY_QUERY"), "%s", out);
    free(out);
}
END_TEST

/* fuzz with scheme credentials: its finding files (replayable) hold
 * placeholders only. */
START_TEST(secrets_scheme_credentials_fuzz_casefiles_clean)
{
    tu_hostile_opts ho = {.mode = TU_HOSTILE_RAW, .answer_fn = echo_answer};
    tu_hostile *h = tu_hostile_start_opts(&ho);
    ck_assert_ptr_nonnull(h);
    tu_tmp d;
    tu_tmp_init(&d, "secrets-schemes-fuzz");
    const char *fz[] = {"manta-harness",
                        "fuzz",
                        "--iterations",
                        "30",
                        "--seed",
                        "4",
                        "--spec",
                        SECURED,
                        "--operation",
                        "listItems",
                        "--operation",
                        "createItem",
                        "--operation",
                        "changePassword",
                        "--out",
                        tu_tmp_path(&d, "cases"),
                        "--report",
                        tu_tmp_flag(&d, "json", "f.json"),
                        "--base-url",
                        tu_hostile_base_url(h),
                        "--api-key",
                        "key_header=" KEY_HDR,
                        "--api-key",
                        "key_query=" KEY_QRY,
                        "--basic",
                        BASIC_UP,
                        "--secret",
                        SECRET,
                        NULL};
    ck_assert_int_eq(run_clean(fz, NULL, NULL), 1);
    ck_assert_int_ge(assert_clean_dir(d.dir, NULL), 2);
    tu_tmp_free(&d);
    tu_hostile_stop(h);
}
END_TEST

/* ---------------------------------------------------------------- serve */

/* serve with secrets in the environment, driven by `run` (whose own
 * outputs are checked too); its stderr log must stay clean. */
START_TEST(secrets_serve_log_clean)
{
    const char *vars[] = {"MANTA_JWT_KEY=" KEY, "MANTA_SECRET=" SECRET, NULL};
    const char *sv[] = {"--port",      "0",       "--bot-id",   BOT, "--fault",
                        "echo-secret", "--fault", "echo-token", NULL};
    tu_serve srv;
    tu_serve_start(&srv, sv, vars, 1);
    const char *url = srv.url;
    ck_assert_msg(strncmp(url, "http://", 7) == 0, "serve printed '%s'", url);

    /* the secrets, percent-encoded, in the path and query of requests */
    char *enc = percent(SECRET, 0), *kenc = percent(KEY, 1);
    char probe[1024];
    snprintf(probe, sizeof probe, "%s/p/%s/%s", url, enc, kenc);
    const char *av[] = {"manta-harness",
                        "run",
                        "--no-progress",
                        "--suite",
                        "valid,auth",
                        "--max-cases",
                        "8",
                        "--base-url",
                        url,
                        "--bot-id",
                        BOT,
                        "--secret",
                        SECRET,
                        "--jwt-key",
                        KEY,
                        NULL};
    ck_assert_int_eq(run_clean(av, NULL, NULL), 1);
    const char *av2[] = {"manta-harness",
                         "run",
                         "--no-progress",
                         "--suite",
                         "methods",
                         "--max-cases",
                         "2",
                         "--base-url",
                         probe,
                         "--bot-id",
                         BOT,
                         "--secret",
                         SECRET,
                         "--jwt-key",
                         KEY,
                         NULL};
    ck_assert_int_le(run_clean(av2, NULL, NULL), 1); /* answered, not unreachable */
    free(enc);
    free(kenc);

    char *log = NULL;
    tu_serve_stop(&srv, SIGTERM, &log);
    ck_assert_msg(strstr(log, " 401 ") != NULL, "no request log lines: %s", log);
    assert_clean_text("serve's stderr log", log, strlen(log), NULL);
    free(log);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("secrets");
    TCase *tc = tcase_create("secrets");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, secrets_run_flags_key_all_outputs_clean);
    tcase_add_test(tc, secrets_run_env_key_all_outputs_clean);
    tcase_add_test(tc, secrets_run_flags_token_all_outputs_clean);
    tcase_add_test(tc, secrets_run_env_token_all_outputs_clean);
    tcase_add_test(tc, secrets_list_cases_clean);
    tcase_add_test(tc, secrets_fuzz_casefiles_replay_clean);
    tcase_add_test(tc, secrets_merge_reports_clean);
    tcase_add_test(tc, secrets_bad_flags_not_echoed);
    tcase_add_test(tc, secrets_serve_log_clean);
    tcase_add_test(tc, secrets_scheme_credentials_flags_all_outputs_clean);
    tcase_add_test(tc, secrets_scheme_credentials_env_all_outputs_clean);
    tcase_add_test(tc, secrets_scheme_credentials_list_cases_clean);
    tcase_add_test(tc, secrets_scheme_credentials_fuzz_casefiles_clean);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
