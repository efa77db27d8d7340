/* test_cli_run.c — `manta-harness run` end to end, as a CI user runs it.
 *
 * Each test starts its target in this process (the reference server with
 * one fault, or the raw-socket hostile server), runs the built CLI binary as
 * a child, and asserts on its exit status, its console output and the JSON
 * report it wrote. Every run is bounded in time; runs that only need a few
 * exchanges use --suite/--max-cases so the file also stays fast under
 * ASan+UBSan. The conformant and per-fault runs use the full default plan.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "manta/jwt.h"
#include "manta/model.h"
#include "refserver.h"
#include "manta/spec.h"
#include "testutil.h"
#include "tu_report.h"
#include "tu_hostile.h"
#include "tu_server.h"
#include "tu_tmp.h"

/* Known credentials: distinctive strings so a grep cannot hit them by chance. */
#define BOT "e2e-bot"
#define SECRET "e2e-S3CR3T-q7Zx9"
#define KEY "e2e-JWTKEY-w4Pv2"

/* ------------------------------------------------------------------ utils */

/* A growable argv: av[0] is ignored by tu_run_cli. */
typedef struct {
    const char *v[96];
    size_t n;
} args;

static void args_add(args *a, ...)
{
    va_list ap;
    va_start(ap, a);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) {
        ck_assert_uint_lt(a->n, 95);
        a->v[a->n++] = s;
    }
    a->v[a->n] = NULL;
    va_end(ap);
}

/* `run` against base_url with the known credentials and quiet console. */
static void args_run(args *a, const char *base_url)
{
    a->n = 0;
    args_add(a, "manta-harness", "run", "--no-progress", "--bot-id", BOT, "--secret", SECRET,
             "--jwt-key", KEY, NULL);
    if (base_url)
        args_add(a, "--base-url", base_url, NULL);
}

typedef struct {
    int status;
    char *out, *err;
    double ms;
} cli_result;

static cli_result run_cli(const args *a, int timeout_s)
{
    cli_result r;
    double t0 = tu_now_ms();
    r.status = tu_run_cli(a->v, NULL, &r.out, &r.err, timeout_s);
    r.ms = tu_now_ms() - t0;
    return r;
}

static void cli_free(cli_result *r)
{
    free(r->out);
    free(r->err);
}

static mh_severity severity_of(const char *check)
{
    for (size_t i = 0; i < mh_check_count; i++)
        if (strcmp(mh_checks[i].name, check) == 0)
            return mh_checks[i].severity;
    ck_abort_msg("check %s is not in mh_checks[]", check);
    return MH_SEV_ERROR;
}

/* ------------------------------------------------------------ refserver */

/* Asserts a clean run: exit 0, every case passed, nothing in by_check. */
static void assert_clean(const cli_result *r, const char *report_path)
{
    ck_assert_msg(r->status == 0, "exit %d, stderr: %s\nstdout: %.2000s", r->status, r->err,
                  r->out);
    cJSON *rep = tu_report_load(report_path);
    char keys[512];
    ck_assert_msg(tu_report_checks(rep, keys, sizeof keys) == 0, "findings: %s", keys);
    double cases = tu_report_summary_num(rep, "cases");
    ck_assert_double_eq(tu_report_summary_num(rep, "failed"), 0);
    ck_assert_double_eq(tu_report_summary_num(rep, "warnings"), 0);
    ck_assert_double_eq(tu_report_summary_num(rep, "inconclusive"), 0);
    ck_assert_double_eq(tu_report_summary_num(rep, "passed"), cases);
    cJSON *list = tu_report_get(rep, "cases");
    ck_assert_int_eq(cJSON_GetArraySize(list), (int)cases);
    cJSON *c;
    cJSON_ArrayForEach(c, list)
    {
        const char *outcome = cJSON_GetStringValue(tu_report_get(c, "outcome"));
        ck_assert_msg(outcome && strcmp(outcome, "passed") == 0, "%s: %s",
                      cJSON_GetStringValue(tu_report_get(c, "id")), outcome ? outcome : "?");
        ck_assert_int_eq(cJSON_GetArraySize(tu_report_get(c, "findings")), 0);
    }
    cJSON_Delete(rep);
}

START_TEST(run_embedded_default_conformant_clean)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    const char *rp = tu_tmp_path(&t, "r.json");
    char flag[300];
    snprintf(flag, sizeof flag, "json:%s", rp);
    args a = {0};
    args_add(&a, "manta-harness", "run", "--no-progress", "--report", flag, NULL);
    cli_result r = run_cli(&a, 120);
    assert_clean(&r, rp);
    cJSON *rep = tu_report_load(rp);
    ck_assert_double_ge(tu_report_summary_num(rep, "cases"), 80);
    cJSON_Delete(rep);
    cli_free(&r);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_external_refserver_conformant_clean)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_ref ref;
    tu_ref_start(&ref, BOT, SECRET, KEY, 0, 0);
    const char *rp = tu_tmp_path(&t, "r.json");
    char flag[300];
    snprintf(flag, sizeof flag, "json:%s", rp);
    args a;
    args_run(&a, mh_refserver_base_url(ref.srv));
    args_add(&a, "--report", flag, NULL);
    cli_result r = run_cli(&a, 120);
    assert_clean(&r, rp);
    ck_assert_uint_gt(mh_refserver_tag_count(ref.srv, BOT), 0);
    cli_free(&r);
    tu_ref_stop(&ref);
    tu_tmp_free(&t);
}
END_TEST

/* -------------------------------------------------------------- faults */

/* Loops over the fault table: each fault fires exactly its check. */
START_TEST(run_fault_fires_exactly_its_check)
{
    const mh_refserver_fault_info *f = &mh_refserver_faults[_i];
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_ref ref;
    tu_ref_start(&ref, BOT, SECRET, KEY, MH_FAULT_BIT(_i), 0);
    const char *rp = tu_tmp_path(&t, "r.json");
    char flag[300];
    snprintf(flag, sizeof flag, "json:%s", rp);
    args a;
    args_run(&a, mh_refserver_base_url(ref.srv));
    args_add(&a, "--report", flag, "--concurrency", "16", "--seed", "11", NULL);
    if (strcmp(f->check, "max_response_time") == 0)
        args_add(&a, "--max-response-time", "150", NULL); /* the slow fault delays 300 ms */
    cli_result r = run_cli(&a, 180);
    cJSON *rep = tu_report_load(rp);
    char keys[512];
    size_t n = tu_report_checks(rep, keys, sizeof keys);
    ck_assert_msg(n == 1 && tu_report_has_check(rep, f->check), "fault %s: expected {%s}, got {%s}",
                  f->name, f->check, keys);
    int want = severity_of(f->check) == MH_SEV_ERROR ? 1 : 0;
    ck_assert_msg(r.status == want, "fault %s: exit %d, want %d; stderr: %s", f->name, r.status,
                  want, r.err);
    if (want == 0)
        ck_assert_double_gt(tu_report_summary_num(rep, "warnings"), 0);
    else
        ck_assert_double_gt(tu_report_summary_num(rep, "failed"), 0);
    cJSON_Delete(rep);
    cli_free(&r);
    tu_ref_stop(&ref);
    tu_tmp_free(&t);
}
END_TEST

/* ------------------------------------------------------------- hostile */

/* Runs a short plan against a hostile server; returns the parsed report. */
static cJSON *run_hostile(tu_hostile *h, tu_tmp *t, const char *timeout_ms, cli_result *r)
{
    const char *rp = tu_tmp_path(t, "r.json");
    char flag[300];
    snprintf(flag, sizeof flag, "json:%s", rp);
    args a;
    args_run(&a, tu_hostile_base_url(h));
    args_add(&a, "--suite", "valid", "--max-cases", "2", "--concurrency", "2", "--timeout",
             timeout_ms, "--report", flag, NULL);
    *r = run_cli(&a, 60);
    return tu_report_load(rp);
}

/* The hostile finding: transport_error (or the given check) and nothing else
 * of a different kind, exit status as DESIGN.md says. */
static void assert_only(const cJSON *rep, const char *check, const cli_result *r, int want_exit)
{
    char keys[512];
    size_t n = tu_report_checks(rep, keys, sizeof keys);
    ck_assert_msg(tu_report_has_check(rep, check), "expected %s, got {%s}", check, keys);
    ck_assert_msg(r->status == want_exit, "exit %d, want %d; stderr: %s", r->status, want_exit,
                  r->err);
    (void)n;
}

/* Runs the CLI with stdout/stderr to files and waits with wait4, so the
 * child's own peak RSS is known; optionally sends sig once ready(ctx) says
 * so. Returns the exit status (-1 when killed by a signal or timed out). */
typedef int (*ready_fn)(void *ctx);

static int spawn_cli(const args *a, const tu_tmp *t, ready_fn ready, void *ctx, int sig,
                     int timeout_s, struct rusage *ru, char **out, char **err)
{
    char op[256], ep[256];
    snprintf(op, sizeof op, "%s/stdout", t->dir);
    snprintf(ep, sizeof ep, "%s/stderr", t->dir);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fo = open(op, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(ep, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fi = open("/dev/null", O_RDONLY);
        if (fo < 0 || fe < 0 || fi < 0)
            _exit(127);
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        const char *av[96];
        av[0] = MH_BINARY;
        for (size_t i = 1; i <= a->n; i++)
            av[i] = a->v[i];
        execv(MH_BINARY, (char *const *)av);
        _exit(127);
    }
    double deadline = tu_now_ms() + timeout_s * 1000.0;
    int status = 0, signalled = 0;
    pid_t w;
    while ((w = wait4(pid, &status, WNOHANG, ru)) == 0) {
        if (tu_now_ms() > deadline) {
            kill(pid, SIGKILL);
            w = wait4(pid, &status, 0, ru);
            break;
        }
        if (ready && !signalled && ready(ctx)) {
            kill(pid, sig);
            signalled = 1;
        }
        usleep(5000);
    }
    ck_assert_int_eq(w, pid);
    if (out)
        *out = tu_read_file(op, NULL);
    if (err)
        *err = tu_read_file(ep, NULL);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

START_TEST(run_hostile_huge_answer_transport_error_bounded_memory)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_HUGE, NULL, 0); /* 50 MB */
    ck_assert_ptr_nonnull(h);
    const char *rp = tu_tmp_path(&t, "r.json");
    char flag[300];
    snprintf(flag, sizeof flag, "json:%s", rp);
    args a;
    args_run(&a, tu_hostile_base_url(h));
    args_add(&a, "--suite", "valid", "--max-cases", "2", "--concurrency", "2", "--report", flag,
             NULL);
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    char *out = NULL, *err = NULL;
    double t0 = tu_now_ms();
    int st = spawn_cli(&a, &t, NULL, NULL, 0, 60, &ru, &out, &err);
    double ms = tu_now_ms() - t0;
    cJSON *rep = tu_report_load(rp);
    cli_result r = {st, out, err, ms};
    /* The status line and headers arrived: the target answered, exit 1. */
    assert_only(rep, "transport_error", &r, 1);
    ck_assert_msg(ms < 30000, "took %.0f ms", ms);
    if (!tu_sanitized())
        ck_assert_msg(ru.ru_maxrss < 64 * 1024, "peak RSS %ld KiB", ru.ru_maxrss);
    cJSON_Delete(rep);
    cli_free(&r);
    tu_hostile_stop(h);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_hostile_unsized_huge_answer_transport_error)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_hostile_opts o = {.mode = TU_HOSTILE_HUGE_UNSIZED};
    tu_hostile *h = tu_hostile_start_opts(&o);
    ck_assert_ptr_nonnull(h);
    cli_result r;
    cJSON *rep = run_hostile(h, &t, "10000", &r);
    assert_only(rep, "transport_error", &r, 1);
    cJSON_Delete(rep);
    cli_free(&r);
    tu_hostile_stop(h);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_hostile_silent_times_out_exit_3)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_SILENT, NULL, 0);
    ck_assert_ptr_nonnull(h);
    cli_result r;
    cJSON *rep = run_hostile(h, &t, "300", &r);
    /* Not one request got an HTTP answer: DESIGN.md's exit 3. */
    assert_only(rep, "transport_error", &r, 3);
    ck_assert_msg(r.ms < 10000, "took %.0f ms with --timeout 300", r.ms);
    ck_assert_uint_ge(tu_hostile_request_count(h), 1);
    cJSON_Delete(rep);
    cli_free(&r);
    tu_hostile_stop(h);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_hostile_reset_mid_body_transport_error)
{
    static const char part[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: 200\r\n\r\n{\"success\":true,\"mess";
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_RESET, part, sizeof part - 1);
    ck_assert_ptr_nonnull(h);
    cli_result r;
    cJSON *rep = run_hostile(h, &t, "5000", &r);
    assert_only(rep, "transport_error", &r, 1); /* headers came: an answer */
    cJSON_Delete(rep);
    cli_free(&r);
    tu_hostile_stop(h);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_hostile_garbage_transport_error_exit_3)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_GARBAGE, NULL, 0);
    ck_assert_ptr_nonnull(h);
    cli_result r;
    cJSON *rep = run_hostile(h, &t, "5000", &r);
    assert_only(rep, "transport_error", &r, 3);
    ck_assert_msg(r.ms < 15000, "took %.0f ms", r.ms);
    cJSON_Delete(rep);
    cli_free(&r);
    tu_hostile_stop(h);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_hostile_deep_json_schema_finding_no_crash)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_hostile_opts o = {.mode = TU_HOSTILE_DEEP_JSON, .size = 100000};
    tu_hostile *h = tu_hostile_start_opts(&o);
    ck_assert_ptr_nonnull(h);
    cli_result r;
    cJSON *rep = run_hostile(h, &t, "10000", &r);
    assert_only(rep, "response_schema_conformance", &r, 1);
    ck_assert(!tu_report_has_check(rep, "transport_error"));
    /* The finding says why: nesting depth. */
    int depth_named = 0;
    cJSON *c, *f;
    cJSON_ArrayForEach(c, tu_report_get(rep, "cases"))
    {
        cJSON_ArrayForEach(f, tu_report_get(c, "findings"))
        {
            const char *m = cJSON_GetStringValue(tu_report_get(f, "message"));
            if (m && (strstr(m, "deep") || strstr(m, "depth") || strstr(m, "nest")))
                depth_named = 1;
        }
    }
    ck_assert_msg(depth_named, "no finding mentions the nesting depth");
    cJSON_Delete(rep);
    cli_free(&r);
    tu_hostile_stop(h);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_hostile_slow_drip_times_out)
{
    static const char answer[] =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        "Content-Length: 39\r\n\r\n{\"success\":true,\"message\":\"dripped\"}";
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_hostile_opts o = {
        .mode = TU_HOSTILE_DRIP, .payload = answer, .len = sizeof answer - 1, .drip_ms = 100};
    tu_hostile *h = tu_hostile_start_opts(&o);
    ck_assert_ptr_nonnull(h);
    cli_result r;
    /* 1 s at one byte per 100 ms: the status line never completes. */
    cJSON *rep = run_hostile(h, &t, "1000", &r);
    assert_only(rep, "transport_error", &r, 3);
    ck_assert_msg(r.ms < 15000, "took %.0f ms with --timeout 1000", r.ms);
    cJSON_Delete(rep);
    cli_free(&r);
    tu_hostile_stop(h);
    tu_tmp_free(&t);
}
END_TEST

/* --------------------------------------------------------- determinism */

static char *list_cases(const char *seed, const char *run_id, const char *shard)
{
    args a = {0};
    args_add(&a, "manta-harness", "run", "--list-cases", "--seed", seed, "--run-id", run_id, NULL);
    if (shard)
        args_add(&a, "--shard", shard, NULL);
    cli_result r = run_cli(&a, 60);
    ck_assert_msg(r.status == 0, "list-cases exit %d: %s", r.status, r.err);
    free(r.err);
    return r.out;
}

static char *list_cases_bot(const char *seed, const char *run_id)
{
    args a = {0};
    args_add(&a, "manta-harness", "run", "--list-cases", "--seed", seed, "--run-id", run_id,
             "--bot-id", BOT, "--jwt-key", KEY, "--secret", SECRET, NULL);
    cli_result r = run_cli(&a, 60);
    ck_assert_msg(r.status == 0, "list-cases exit %d: %s", r.status, r.err);
    free(r.err);
    return r.out;
}

/* Replaces every occurrence of from by to (same length) in place. */
static void replace_all(char *s, const char *from, const char *to)
{
    size_t n = strlen(from);
    ck_assert_uint_eq(n, strlen(to));
    for (char *p = strstr(s, from); p; p = strstr(p + n, from))
        memcpy(p, to, n);
}

/* As DESIGN.md says: same seed and spec, same plan byte for byte. Without
 * --bot-id the CLI fills in credentials itself; they must not change the
 * printed plan either. */
START_TEST(run_list_cases_same_seed_identical)
{
    char *a = list_cases("7", "abc", NULL);
    char *b = list_cases("7", "abc", NULL);
    ck_assert_uint_gt(tu_count_lines(a), 80);
    ck_assert_msg(strcmp(a, b) == 0,
                  "two --list-cases --seed 7 --run-id abc differ:\n%.300s\n%.300s", a, b);
    free(a);
    free(b);
}
END_TEST

START_TEST(run_list_cases_seed_and_run_id_effects)
{
    char *a = list_cases_bot("7", "runAAAA");
    char *a2 = list_cases_bot("7", "runAAAA");
    char *b = list_cases_bot("7", "runBBBB");
    ck_assert_msg(strcmp(a, a2) == 0, "same seed and run id, different plans");
    ck_assert_msg(strcmp(a, b) != 0, "the run id does not show in the plan");
    ck_assert_ptr_nonnull(strstr(a, "# seed 7"));
    /* Another run id changes only the names (the id inside them). */
    replace_all(a2, "runAAAA", "runBBBB");
    ck_assert_msg(strcmp(a2, b) == 0, "another run id changed more than the names");
    free(a);
    free(a2);
    free(b);
}
END_TEST

/* The requests of a run (method, url, headers, body) as one JSON text. */
static char *run_requests(const char *base_url, tu_tmp *t, const char *seed)
{
    const char *rp = tu_tmp_path(t, "seed.json");
    char flag[300];
    snprintf(flag, sizeof flag, "json:%s", rp);
    args a;
    args_run(&a, base_url);
    args_add(&a, "--suite", "valid,boundary,malformed", "--seed", seed, "--run-id", "seedrun",
             "--concurrency", "8", "--quiet", "--report", flag, NULL);
    cli_result r = run_cli(&a, 60);
    ck_assert_msg(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
    cli_free(&r);
    cJSON *rep = tu_report_load(rp);
    cJSON *reqs = cJSON_CreateArray(), *c;
    cJSON_ArrayForEach(c, tu_report_get(rep, "cases"))
    {
        cJSON_AddItemToArray(reqs, cJSON_Duplicate(tu_report_get(c, "request"), 1));
    }
    char *text = cJSON_PrintUnformatted(reqs);
    ck_assert_int_gt(cJSON_GetArraySize(reqs), 50);
    cJSON_Delete(reqs);
    cJSON_Delete(rep);
    return text;
}

/* What goes on the wire: the same seed (and run id) sends the same requests
 * byte for byte; another seed sends other ones. */
START_TEST(run_seed_determines_requests)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_ref ref;
    tu_ref_start(&ref, BOT, SECRET, KEY, 0, 0);
    const char *url = mh_refserver_base_url(ref.srv);
    char *a = run_requests(url, &t, "7");
    char *b = run_requests(url, &t, "7");
    char *c = run_requests(url, &t, "8");
    ck_assert_msg(strcmp(a, b) == 0, "the same seed sent different requests");
    ck_assert_msg(strcmp(a, c) != 0, "another seed sent the same requests");
    free(a);
    free(b);
    free(c);
    tu_ref_stop(&ref);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_seed_printed_in_console_and_report)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    const char *rp = tu_tmp_path(&t, "r.json");
    char flag[300];
    snprintf(flag, sizeof flag, "json:%s", rp);
    args a = {0};
    args_add(&a, "manta-harness", "run", "--no-progress", "--suite", "methods", "--seed",
             "987654321", "--report", flag, NULL);
    cli_result r = run_cli(&a, 60);
    ck_assert_int_eq(r.status, 0);
    /* The version line comes once, first, and the header block under it
     * (up to the first blank line) names the seed. */
    ck_assert_msg(strncmp(r.out, "manta-harness ", 14) == 0, "first line: %s", r.out);
    ck_assert_msg(!strstr(r.out + 1, "\nmanta-harness "), "the version line twice: %s", r.out);
    char *nl = strstr(r.out, "\n\n");
    ck_assert_ptr_nonnull(nl);
    *nl = '\0';
    ck_assert_msg(strstr(r.out, "987654321") != NULL, "header: %s", r.out);
    cJSON *rep = tu_report_load(rp);
    ck_assert_double_eq(tu_report_get(rep, "seed")->valuedouble, 987654321);
    cJSON_Delete(rep);
    cli_free(&r);

    /* Without --seed a random one is chosen and still printed and reported. */
    a.n = 0;
    args_add(&a, "manta-harness", "run", "--no-progress", "--suite", "methods", "--report", flag,
             NULL);
    r = run_cli(&a, 60);
    ck_assert_int_eq(r.status, 0);
    rep = tu_report_load(rp);
    char seed[32];
    snprintf(seed, sizeof seed, "%.0f", tu_report_get(rep, "seed")->valuedouble);
    nl = strstr(r.out, "\n\n");
    ck_assert_ptr_nonnull(nl);
    *nl = '\0';
    ck_assert_msg(strstr(r.out, seed) != NULL, "seed %s not in header: %s", seed, r.out);
    cJSON_Delete(rep);
    cli_free(&r);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_shards_partition_plan)
{
    char *full = list_cases_bot("5", "shardid");
    char *parts[3];
    char sh[8];
    for (int k = 0; k < 3; k++) {
        snprintf(sh, sizeof sh, "%d/3", k + 1);
        args a = {0};
        args_add(&a, "manta-harness", "run", "--list-cases", "--seed", "5", "--run-id", "shardid",
                 "--bot-id", BOT, "--jwt-key", KEY, "--secret", SECRET, "--shard", sh, NULL);
        cli_result r = run_cli(&a, 60);
        ck_assert_int_eq(r.status, 0);
        free(r.err);
        parts[k] = r.out;
    }
    /* Every case line of the full plan is in exactly one shard, and the
     * shards hold nothing else. */
    size_t total = 0, in_full = 0;
    char *save = NULL;
    char *copy = strdup(full);
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        in_full++;
        int hits = 0;
        for (int k = 0; k < 3; k++) {
            size_t n = strlen(line);
            for (const char *p = strstr(parts[k], line); p; p = strstr(p + 1, line))
                if ((p == parts[k] || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
                    hits++;
        }
        ck_assert_msg(hits == 1, "case line in %d shards: %s", hits, line);
    }
    for (int k = 0; k < 3; k++) {
        size_t lines = tu_count_lines(parts[k]);
        ck_assert_uint_ge(lines, 2);
        total += lines - 1; /* minus the header */
        ck_assert_uint_gt(lines - 1, 0);
        free(parts[k]);
    }
    ck_assert_uint_ge(in_full, 80);
    ck_assert_uint_eq(total, in_full);
    free(copy);
    free(full);
}
END_TEST

/* ----------------------------------------------------------- redaction */

static void assert_no_secret_in(const char *what, const char *text, const char *const *secrets)
{
    ck_assert_msg(text != NULL, "%s missing", what);
    for (size_t i = 0; secrets[i]; i++)
        ck_assert_msg(strstr(text, secrets[i]) == NULL, "%s contains secret #%zu", what, i);
}

/* One run against a server that echoes the secret and the token, writing
 * every report format; nothing may carry a credential. */
static void redaction_run(const char *token)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_ref ref;
    tu_ref_start(&ref, BOT, SECRET, KEY,
                 MH_FAULT_BIT(MH_FAULT_ECHO_SECRET) | MH_FAULT_BIT(MH_FAULT_ECHO_TOKEN), 0);
    const char *names[] = {"r.json", "r.xml", "r.html"};
    char flags[3][300];
    snprintf(flags[0], 300, "json:%s", tu_tmp_path(&t, names[0]));
    snprintf(flags[1], 300, "junit:%s", tu_tmp_path(&t, names[1]));
    snprintf(flags[2], 300, "html:%s", tu_tmp_path(&t, names[2]));
    args a = {0};
    args_add(&a, "manta-harness", "run", "--no-progress", "--verbose", "--base-url",
             mh_refserver_base_url(ref.srv), "--bot-id", BOT, "--secret", SECRET, "--report",
             flags[0], "--report", flags[1], "--report", flags[2], "--concurrency", "8", NULL);
    if (token)
        args_add(&a, "--token", token, NULL);
    else
        args_add(&a, "--jwt-key", KEY, NULL);
    cli_result r = run_cli(&a, 120);
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
    const char *secrets[] = {SECRET, KEY, token, NULL};
    assert_no_secret_in("stdout", r.out, secrets);
    assert_no_secret_in("stderr", r.err, secrets);
    for (int i = 0; i < 3; i++) {
        char *text = tu_read_file(tu_tmp_path(&t, names[i]), NULL);
        assert_no_secret_in(names[i], text, secrets);
        if (i == 0) {
            ck_assert_ptr_nonnull(strstr(text, "$MANTA_TOKEN"));
            ck_assert_ptr_nonnull(strstr(text, "$MANTA_SECRET"));
        }
        free(text);
    }
    /* The leak was found, and the curl reproductions use placeholders. */
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    ck_assert(tu_report_has_check(rep, "sensitive_data_exposure"));
    int curl_token = 0, curl_secret = 0;
    cJSON *c;
    cJSON_ArrayForEach(c, tu_report_get(rep, "cases"))
    {
        const char *curl = cJSON_GetStringValue(tu_report_get(c, "curl"));
        ck_assert_ptr_nonnull(curl);
        curl_token |= strstr(curl, "$MANTA_TOKEN") != NULL;
        curl_secret |= strstr(curl, "$MANTA_SECRET") != NULL;
    }
    ck_assert(curl_token && curl_secret);
    cJSON_Delete(rep);
    cli_free(&r);
    tu_ref_stop(&ref);
    tu_tmp_free(&t);
}

START_TEST(run_redacts_minted_credentials_everywhere)
{
    redaction_run(NULL);
}
END_TEST

START_TEST(run_redacts_given_token_everywhere)
{
    long long now = (long long)time(NULL);
    char *token = mh_jwt_mint(KEY, strlen(KEY), BOT, now, now + 3600);
    ck_assert_ptr_nonnull(token);
    redaction_run(token);
    free(token);
}
END_TEST

/* ---------------------------------------------------------- exit codes */

START_TEST(run_bad_flags_exit_2_nothing_sent)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_hostile *h = tu_hostile_start(TU_HOSTILE_SILENT, NULL, 0);
    ck_assert_ptr_nonnull(h);
    const char *bad_spec = tu_tmp_path(&t, "bad.json");
    FILE *f = fopen(bad_spec, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\n  \"openapi\": \"3.0.0\",\n  oops\n}\n", f);
    fclose(f);
    const char *const cases[][3] = {
        {"--bogus-flag", NULL, NULL},
        {"--seed", "abc", NULL},
        {"--shard", "3/2", NULL},
        {"--suite", "nope", NULL},
        {"--checks", "nope", NULL},
        {"--report", "xml:foo", NULL},
        {"--spec", "/nonexistent/dir/spec.json", NULL},
        {"--spec", bad_spec, "3:"}, /* the message locates the error */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        args a;
        args_run(&a, tu_hostile_base_url(h));
        args_add(&a, cases[i][0], cases[i][1], NULL);
        cli_result r = run_cli(&a, 30);
        ck_assert_msg(r.status == 2, "%s %s: exit %d", cases[i][0], cases[i][1] ? cases[i][1] : "",
                      r.status);
        ck_assert_msg(r.err[0] != '\0', "%s: nothing on stderr", cases[i][0]);
        if (cases[i][2])
            ck_assert_msg(strstr(r.err, cases[i][2]) != NULL, "no line:col in: %s", r.err);
        assert_no_secret_in("stderr", r.err, (const char *const[]){SECRET, KEY, NULL});
        cli_free(&r);
    }
    ck_assert_uint_eq(tu_hostile_connection_count(h), 0);
    ck_assert_uint_eq(tu_hostile_request_count(h), 0);
    tu_hostile_stop(h);
    tu_tmp_free(&t);
}
END_TEST

START_TEST(run_unreachable_exit_3_one_line_fast)
{
    int port = tu_hostile_dead_port();
    ck_assert_int_gt(port, 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    args a;
    args_run(&a, url);
    cli_result r = run_cli(&a, 60);
    ck_assert_msg(r.status == 3, "exit %d: %s", r.status, r.err);
    ck_assert_msg(tu_count_lines(r.err) == 1, "stderr is not one line: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "unreachable"));
    ck_assert_msg(r.ms < 5000, "took %.0f ms", r.ms);
    cli_free(&r);
}
END_TEST

/* ------------------------------------------------------------- reports */

START_TEST(run_reports_written_on_failure_nested_dir)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_ref ref;
    tu_ref_start(&ref, BOT, SECRET, KEY, MH_FAULT_BIT(MH_FAULT_CRASH_500), 0);
    char fj[300], fx[300], fh[300];
    snprintf(fj, sizeof fj, "json:%s", tu_tmp_path(&t, "a/b/c/r.json"));
    snprintf(fx, sizeof fx, "junit:%s", tu_tmp_path(&t, "x/r.xml"));
    snprintf(fh, sizeof fh, "html:%s", tu_tmp_path(&t, "h/i/r.html"));
    args a;
    args_run(&a, mh_refserver_base_url(ref.srv));
    args_add(&a, "--suite", "malformed", "--report", fj, "--report", fx, "--report", fh, NULL);
    cli_result r = run_cli(&a, 60);
    ck_assert_int_eq(r.status, 1);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "a/b/c/r.json"));
    ck_assert(tu_report_has_check(rep, "not_a_server_error"));
    cJSON_Delete(rep);
    char *x = tu_read_file(tu_tmp_path(&t, "x/r.xml"), NULL);
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(strstr(x, "<testsuite"));
    ck_assert_ptr_nonnull(strstr(x, "<failure"));
    free(x);
    char *html = tu_read_file(tu_tmp_path(&t, "h/i/r.html"), NULL);
    ck_assert_ptr_nonnull(html);
    ck_assert_ptr_nonnull(strstr(html, "<svg"));
    ck_assert_ptr_nonnull(strstr(html, "not_a_server_error"));
    free(html);
    cli_free(&r);
    tu_ref_stop(&ref);
    tu_tmp_free(&t);
}
END_TEST

static int ref_saw_requests(void *ctx)
{
    return mh_refserver_request_count(ctx) >= 3;
}

START_TEST(run_sigint_writes_every_report_interrupted)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_ref ref;
    tu_ref_start(&ref, BOT, SECRET, KEY, MH_FAULT_BIT(MH_FAULT_SLOW), 0);
    char fj[300], fx[300], fh[300];
    snprintf(fj, sizeof fj, "json:%s", tu_tmp_path(&t, "r.json"));
    snprintf(fx, sizeof fx, "junit:%s", tu_tmp_path(&t, "r.xml"));
    snprintf(fh, sizeof fh, "html:%s", tu_tmp_path(&t, "r.html"));
    args a;
    args_run(&a, mh_refserver_base_url(ref.srv));
    args_add(&a, "--concurrency", "1", "--repeat", "10", "--report", fj, "--report", fx, "--report",
             fh, NULL);
    struct rusage ru;
    char *out = NULL, *err = NULL;
    double t0 = tu_now_ms();
    int st = spawn_cli(&a, &t, ref_saw_requests, ref.srv, SIGINT, 60, &ru, &out, &err);
    double ms = tu_now_ms() - t0;
    /* Interrupted runs did not conclude every case: never 0, never a crash. */
    ck_assert_msg(st == 1 || st == 130, "exit %d after SIGINT; stderr: %s", st, err);
    ck_assert_msg(ms < 20000, "SIGINT took %.0f ms to stop the run", ms);
    cJSON *rep = tu_report_load(tu_tmp_path(&t, "r.json"));
    ck_assert(cJSON_IsTrue(tu_report_get(rep, "interrupted")));
    /* Cases never sent are inconclusive, and the exchange cut short by the
     * interruption is not the server's transport error: a conformant (only
     * slow) server must not get a finding because the user pressed ^C. */
    ck_assert_double_gt(tu_report_summary_num(rep, "inconclusive"), 0);
    ck_assert_double_lt(tu_report_summary_num(rep, "passed"), 880);
    char keys[512];
    ck_assert_msg(tu_report_checks(rep, keys, sizeof keys) == 0,
                  "findings after SIGINT against a conformant server: {%s}", keys);
    cJSON_Delete(rep);
    char *x = tu_read_file(tu_tmp_path(&t, "r.xml"), NULL);
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(strstr(x, "</testsuites>"));
    free(x);
    char *html = tu_read_file(tu_tmp_path(&t, "r.html"), NULL);
    ck_assert_ptr_nonnull(html);
    ck_assert_ptr_nonnull(strstr(html, "</html>"));
    free(html);
    free(out);
    free(err);
    tu_ref_stop(&ref);
    tu_tmp_free(&t);
}
END_TEST

/* ------------------------------------------- harmless differences pass */

/* A conformant server that words its answers differently from ours: the
 * reference server's judgement (mh_refserver_handle) sent back chunked,
 * with `Connection: close`, a charset parameter, and a 429 + Retry-After
 * for the very first request. */
typedef struct {
    mh_refserver *srv;
} variant_ctx;

static char *variant_answer(void *vctx, size_t k, const char *req, size_t len, size_t *out_len)
{
    variant_ctx *ctx = vctx;
    const char *hdr_end = strstr(req, "\r\n\r\n");
    if (!hdr_end)
        return NULL;
    const char *body = hdr_end + 4;
    size_t body_len = len - (size_t)(body - req);
    char method[16] = "", target[70000] = "";
    if (sscanf(req, "%15s %69999s", method, target) != 2)
        return NULL;
    char *q = strchr(target, '?');
    if (q)
        *q++ = '\0';
    char *auth_s = tu_hostile_header_dup(req, "Authorization");
    char *ct_s = tu_hostile_header_dup(req, "Content-Type");
    mh_refserver_answer ans;
    memset(&ans, 0, sizeof ans);
    int rc = 0;
    if (k == 0) {
        ans.status = 429;
        ans.content_type = strdup("application/json");
        ans.body =
            strdup("{\"success\":false,\"errResponse\":{\"code\":429,\"msg\":\"slow down\"}}");
        ans.body_len = strlen(ans.body);
        ans.retry_after = strdup("1");
    } else {
        rc = mh_refserver_handle(ctx->srv, method, target, q, auth_s, ct_s, body, body_len, &ans);
    }
    free(auth_s);
    free(ct_s);
    if (rc != 0)
        return NULL;
    size_t half = ans.body_len / 2;
    size_t cap = ans.body_len + 512;
    char *out = malloc(cap);
    int n = snprintf(out, cap,
                     "HTTP/1.1 %d %s\r\nContent-Type: %s; charset=utf-8\r\n"
                     "Transfer-Encoding: chunked\r\nConnection: close\r\n",
                     ans.status, tu_hostile_reason(ans.status), ans.content_type);
    if (ans.allow)
        n += snprintf(out + n, cap - (size_t)n, "Allow: %s\r\n", ans.allow);
    if (ans.retry_after)
        n += snprintf(out + n, cap - (size_t)n, "Retry-After: %s\r\n", ans.retry_after);
    n += snprintf(out + n, cap - (size_t)n, "\r\n");
    /* Two chunks, so a reader that stops at the first one is caught. */
    if (half) {
        n += snprintf(out + n, cap - (size_t)n, "%zx\r\n", half);
        memcpy(out + n, ans.body, half);
        n += (int)half;
        n += snprintf(out + n, cap - (size_t)n, "\r\n");
    }
    if (ans.body_len > half) {
        n += snprintf(out + n, cap - (size_t)n, "%zx\r\n", ans.body_len - half);
        memcpy(out + n, ans.body + half, ans.body_len - half);
        n += (int)(ans.body_len - half);
        n += snprintf(out + n, cap - (size_t)n, "\r\n");
    }
    n += snprintf(out + n, cap - (size_t)n, "0\r\n\r\n");
    *out_len = (size_t)n;
    mh_refserver_answer_clear(&ans);
    return out;
}

START_TEST(run_harmless_variants_pass_clean)
{
    tu_tmp t;
    tu_tmp_init(&t, "e2e");
    tu_ref ref;
    tu_ref_start(&ref, BOT, SECRET, KEY, 0, 1);
    variant_ctx ctx = {ref.srv};
    tu_hostile_opts o = {
        .mode = TU_HOSTILE_RAW_CLOSE, .answer_fn = variant_answer, .answer_ctx = &ctx};
    tu_hostile *h = tu_hostile_start_opts(&o);
    ck_assert_ptr_nonnull(h);
    const char *rp = tu_tmp_path(&t, "r.json");
    char flag[300];
    snprintf(flag, sizeof flag, "json:%s", rp);
    args a;
    args_run(&a, tu_hostile_base_url(h));
    args_add(&a, "--report", flag, NULL);
    cli_result r = run_cli(&a, 120);
    assert_clean(&r, rp);
    ck_assert_uint_gt(mh_refserver_tag_count(ref.srv, BOT), 0);
    /* The first request was refused with 429 and retried. */
    ck_assert_uint_gt(tu_hostile_request_count(h), 80);
    cli_free(&r);
    tu_hostile_stop(h);
    tu_ref_stop(&ref);
    tu_tmp_free(&t);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("cli_run");
    TCase *clean = tcase_create("clean");
    tcase_set_timeout(clean, 240);
    tcase_add_test(clean, run_embedded_default_conformant_clean);
    tcase_add_test(clean, run_external_refserver_conformant_clean);
    tcase_add_test(clean, run_harmless_variants_pass_clean);
    suite_add_tcase(s, clean);

    TCase *faults = tcase_create("faults");
    tcase_set_timeout(faults, 240);
    tcase_add_loop_test(faults, run_fault_fires_exactly_its_check, 0,
                        (int)mh_refserver_fault_count);
    suite_add_tcase(s, faults);

    TCase *hostile = tcase_create("hostile");
    tcase_set_timeout(hostile, 120);
    tcase_add_test(hostile, run_hostile_huge_answer_transport_error_bounded_memory);
    tcase_add_test(hostile, run_hostile_unsized_huge_answer_transport_error);
    tcase_add_test(hostile, run_hostile_silent_times_out_exit_3);
    tcase_add_test(hostile, run_hostile_reset_mid_body_transport_error);
    tcase_add_test(hostile, run_hostile_garbage_transport_error_exit_3);
    tcase_add_test(hostile, run_hostile_deep_json_schema_finding_no_crash);
    tcase_add_test(hostile, run_hostile_slow_drip_times_out);
    suite_add_tcase(s, hostile);

    TCase *plan = tcase_create("plan");
    tcase_set_timeout(plan, 120);
    tcase_add_test(plan, run_list_cases_same_seed_identical);
    tcase_add_test(plan, run_list_cases_seed_and_run_id_effects);
    tcase_add_test(plan, run_seed_printed_in_console_and_report);
    tcase_add_test(plan, run_seed_determines_requests);
    tcase_add_test(plan, run_shards_partition_plan);
    suite_add_tcase(s, plan);

    TCase *cli = tcase_create("cli");
    tcase_set_timeout(cli, 120);
    tcase_add_test(cli, run_redacts_minted_credentials_everywhere);
    tcase_add_test(cli, run_redacts_given_token_everywhere);
    tcase_add_test(cli, run_bad_flags_exit_2_nothing_sent);
    tcase_add_test(cli, run_unreachable_exit_3_one_line_fast);
    tcase_add_test(cli, run_reports_written_on_failure_nested_dir);
    tcase_add_test(cli, run_sigint_writes_every_report_interrupted);
    suite_add_tcase(s, cli);
    return s;
}

int main(void)
{
    return tu_run_suite(make_suite());
}
