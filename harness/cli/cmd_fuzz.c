/* cmd_fuzz.c — `manta-harness fuzz`: run's target options plus a budget;
 * every unique finding is saved as a replayable case file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manta/casefile.h"
#include "cli.h"
#include "cmd_common.h"
#include "cmd_run.h"
#include "manta/fuzz.h"
#include "manta/report.h"

#define CMD "fuzz"

static void usage(FILE *out)
{
    fputs("usage: manta-harness fuzz [run's target options] (--duration S | --iterations N)\n"
          "                          [--seed N] [--out DIR] [--report FORMAT:PATH]...\n"
          "\n"
          "Network fuzzing of the selected operations (default: every one): seeded,\n"
          "structure-aware mutations of their generated cases (JSON type swaps, long and\n"
          "special strings, numeric extremes, byte-level havoc on the raw body, Content-Type\n"
          "and query mutations). Every check applies; negative_data_rejection is decided by\n"
          "validating the mutated body.\n"
          "Findings are deduplicated by check, status and signature; each is saved as a\n"
          "replayable file (re-send it with `manta-harness replay FILE`).\n"
          "\n"
          "  --duration S      stop after S seconds\n"
          "  --iterations N    stop after N requests\n"
          "  --out DIR         where finding files go (default reports/fuzz)\n"
          "  --seed N          mutation and plan seed (default random; printed)\n"
          "\n"
          "Target options as for `manta-harness run` (see run --help): --spec, --operation,\n"
          "--tag, --exclude, --param, --property,\n"
          "--base-url, --token, --jwt-key, --bot-id, --secret, --basic, --api-key,\n"
          "--cacert, --insecure,\n"
          "--checks, --run-id, --concurrency, --rate-limit, --timeout, --max-response-time,\n"
          "--max-response-bytes, --report, --no-progress, --quiet, --verbose.\n"
          "\n"
          "exit status: 0 no error finding; 1 error finding; 2 usage or configuration error;\n"
          "3 target unreachable.\n",
          out);
}

typedef struct {
    double duration_s;
    long long iterations;
    const char *out_dir;
} fuzz_flags;

/* Takes the fuzz-only flags out of argv (compacting it); run's parser gets
 * the rest. Returns -1 after printing on error, 1 for --help. */
static int take_fuzz_flags(int *argc, char **argv, fuzz_flags *f)
{
    int w = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        }
        int is_d = strcmp(a, "--duration") == 0, is_i = strcmp(a, "--iterations") == 0,
            is_o = strcmp(a, "--out") == 0;
        if (!is_d && !is_i && !is_o) {
            argv[w++] = argv[i];
            continue;
        }
        if (i + 1 >= *argc) {
            mh_cli_error(CMD, "option '%s' needs a value (see --help)", a);
            return -1;
        }
        const char *v = argv[++i];
        if (is_o)
            f->out_dir = v;
        else if (is_d ? mh_cli_parse_double(CMD, "--duration", v, 0.001, &f->duration_s)
                      : mh_cli_parse_long(CMD, "--iterations", v, 1, 1000000000, &f->iterations))
            return -1;
    }
    *argc = w;
    if (f->duration_s <= 0 && f->iterations <= 0) {
        mh_cli_error(CMD, "give a budget: --duration S or --iterations N");
        return -1;
    }
    return 0;
}

typedef struct {
    int enabled;
} status_state;

static void on_status(void *ctx, size_t iterations, size_t findings, double elapsed_ms)
{
    status_state *s = ctx;
    if (!s->enabled)
        return;
    printf("\r%zu requests  %.0f exec/s  %zu unique findings", iterations,
           elapsed_ms > 0 ? (double)iterations * 1e3 / elapsed_ms : 0.0, findings);
    fflush(stdout);
}

static int make_dir(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/* Saves each finding as <out>/finding-NNN-<check>.json and prints it. */
static int save_findings(const mh_fuzz_out *out, const mh_run_session *s, const mh_run_cli *c,
                         const char *dir)
{
    if (out->count && make_dir(dir)) {
        mh_cli_error(CMD, "--out: cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    int failed = 0;
    for (size_t i = 0; i < out->count; i++) {
        const mh_result *r = &out->findings[i];
        char path[4096];
        snprintf(path, sizeof path, "%s/finding-%03zu-%s.json", dir, i + 1, r->findings[0].check);
        mh_error err;
        mh_error_clear(&err);
        if (mh_casefile_write(path, r, out->redactor, s->spec_path, c->base_url, c->seed, &err) !=
            MH_OK) {
            char line[1400];
            mh_cli_error(CMD, "%s", mh_error_format(&err, line, sizeof line));
            failed = 1;
            continue;
        }
        char *msg =
            mh_redact(out->redactor, r->findings[0].message, strlen(r->findings[0].message));
        if (!c->quiet)
            printf("  %s [%s] %s\n    replay: manta-harness replay %s\n", r->findings[0].check,
                   r->kase->id, msg ? msg : "", path);
        free(msg);
    }
    return failed ? -1 : 0;
}

static int fuzz_exit(const mh_fuzz_out *out)
{
    if (out->iterations > 0 && out->answered == 0 && !out->interrupted)
        return MH_EXIT_UNREACHABLE;
    for (size_t i = 0; i < out->count; i++)
        if (out->findings[i].outcome == MH_OUTCOME_FAILED)
            return MH_EXIT_FINDINGS;
    return MH_EXIT_OK;
}

static int run_campaign(mh_run_cli *c, mh_run_session *s, const fuzz_flags *f)
{
    static volatile sig_atomic_t stop;
    mh_cli_install_stop(&stop);
    status_state ss = {.enabled = !c->no_progress && !c->quiet && mh_cli_isatty(stdout)};
    mh_fuzz_opts o = {.gen = s->opts.gen,
                      .transport = s->opts.transport,
                      .checks = s->opts.checks,
                      .seed = c->seed,
                      .iterations = (size_t)f->iterations,
                      .duration_s = f->duration_s,
                      .status = on_status,
                      .status_ctx = &ss,
                      .stop = &stop};
    if (!c->quiet) {
        char *url = mh_run_cli_shown_url(c);
        char what[64];
        if (o.gen.op_count > 1)
            snprintf(what, sizeof what, "%zu operations", o.gen.op_count);
        printf("manta-harness %s fuzz: %s against %s, seed %llu\n", MH_VERSION,
               o.gen.op_count > 1 ? what : o.gen.op->id, url ? url : "the target",
               (unsigned long long)c->seed);
        free(url);
    }
    fflush(stdout);
    mh_fuzz_out out;
    mh_error err;
    mh_error_clear(&err);
    if (mh_fuzz_run(&o, &out, &err) != MH_OK) {
        char line[1400];
        mh_cli_error(CMD, "%s", mh_error_format(&err, line, sizeof line));
        return err.code == MH_ERR_USAGE || err.code == MH_ERR_SPEC ? MH_EXIT_USAGE
                                                                   : MH_EXIT_UNREACHABLE;
    }
    if (ss.enabled)
        putchar('\n');
    if (!c->quiet)
        printf("%zu requests in %.1f s (%.0f exec/s), %zu unique findings%s\n", out.iterations,
               out.duration_ms / 1e3,
               out.duration_ms > 0 ? (double)out.iterations * 1e3 / out.duration_ms : 0.0,
               out.count, out.interrupted ? " (interrupted)" : "");
    int bad = save_findings(&out, s, c, f->out_dir);
    mh_run run = {.tool_version = MH_VERSION,
                  .spec_path = s->spec_path,
                  .base_url = c->base_url,
                  .seed = c->seed,
                  .run_id = c->run_id,
                  .duration_ms = out.duration_ms,
                  .results = out.findings,
                  .result_count = out.count,
                  .redactor = out.redactor,
                  .interrupted = out.interrupted};
    bad |= mh_run_cli_write_reports(c, &run, CMD, 0);
    int status = fuzz_exit(&out);
    if (status == MH_EXIT_UNREACHABLE) {
        char *url = mh_run_cli_shown_url(c);
        mh_cli_error(CMD, "target unreachable: no request got an HTTP answer from %s",
                     url ? url : "the target");
        free(url);
    }
    mh_fuzz_out_free(&out);
    return bad && status == MH_EXIT_OK ? MH_EXIT_UNREACHABLE : status;
}

int mh_cmd_fuzz(int argc, char **argv)
{
    fuzz_flags f = {.out_dir = "reports/fuzz"};
    int rc = take_fuzz_flags(&argc, argv, &f);
    if (rc)
        return rc > 0 ? MH_EXIT_OK : MH_EXIT_USAGE;
    mh_run_cli c;
    mh_run_cli_init(&c);
    rc = mh_run_cli_parse(argc, argv, &c);
    if (rc) {
        mh_run_cli_free(&c);
        return rc > 0 ? MH_EXIT_OK : MH_EXIT_USAGE;
    }
    mh_run_session s;
    int status = mh_run_session_open(&c, &s);
    if (status == 0)
        status = run_campaign(&c, &s, &f);
    mh_run_session_close(&s);
    mh_run_cli_free(&c);
    return status;
}
