/* cmd_merge_reports.c — `manta-harness merge-reports OUT.json IN.json...`:
 * combine the JSON reports of `run --shard K/N` into one, and re-emit JUnit
 * and HTML from the merged data (report_merge.h does the work). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manta/baseline.h"
#include "cli.h"
#include "cmd_common.h"
#include "manta/fileio.h"
#include "manta/report.h"
#include "manta/report_merge.h"

static const char CMD[] = "merge-reports";

static void help(FILE *out)
{
    fprintf(out,
            "usage: manta-harness merge-reports OUT.json IN.json... [--junit PATH] [--html PATH]\n"
            "\n"
            "Combines the JSON reports of one run split with --shard K/N into OUT.json, as\n"
            "if the run had not been split: cases in plan order (by each case's \"index\"),\n"
            "the summary recomputed from the cases. duration_ms is the longest shard's,\n"
            "since shards run in parallel. Baseline sections are added up (fixed entries\n"
            "joined). The inputs must come from the same tool version, spec, seed and\n"
            "base URL; they are read strictly and are already redacted.\n"
            "\n"
            "  --junit PATH   also write the merged JUnit XML report to PATH\n"
            "  --html PATH    also write the merged HTML report to PATH\n"
            "  --help         this text\n"
            "\n"
            "A plan index found in two inputs (a shard given twice) is an error; indexes\n"
            "no input holds (a shard not given) are reported as a warning.\n"
            "\n"
            "Exit status: 0 merged and no case fails the gate, 1 merged and some case\n"
            "has a new error-severity finding or is inconclusive, 2 usage error or\n"
            "unusable input (unreadable, invalid JSON, reports of different runs),\n"
            "3 internal error.\n");
}

typedef struct {
    const char *out, *junit, *html;
    const char **inputs;
    size_t input_count;
} options;

static int take_value(int argc, char **argv, int *i, const char *flag, const char **slot)
{
    size_t n = strlen(flag);
    if (strncmp(argv[*i], flag, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *slot = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *slot = argv[++*i];
    return 1;
}

/* Returns -1 to continue, else an exit status. */
static int parse_args(int argc, char **argv, options *o)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            help(stdout);
            return MH_EXIT_OK;
        }
        int rc = take_value(argc, argv, &i, "--junit", &o->junit);
        if (rc == 0)
            rc = take_value(argc, argv, &i, "--html", &o->html);
        if (rc < 0) {
            mh_cli_error(CMD, "%s needs a value", argv[i]);
            return MH_EXIT_USAGE;
        }
        if (rc > 0)
            continue;
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            char name[64]; /* only the name: an "=value" may be a secret */
            mh_cli_error(CMD, "unknown option '%s' (see manta-harness merge-reports --help)",
                         mh_cli_opt_name(argv[i], name, sizeof name));
            return MH_EXIT_USAGE;
        }
        if (!o->out)
            o->out = argv[i];
        else
            o->inputs[o->input_count++] = argv[i];
    }
    if (!o->out || o->input_count == 0) {
        mh_cli_error(CMD, "expected OUT.json and at least one IN.json (see --help)");
        return MH_EXIT_USAGE;
    }
    return -1;
}

static int fail(const mh_error *err)
{
    char line[1400];
    mh_cli_error(CMD, "%s", mh_error_format(err, line, sizeof line));
    return err->code == MH_ERR_NOMEM || err->code == MH_ERR_INTERNAL ? MH_EXIT_UNREACHABLE
                                                                     : MH_EXIT_USAGE;
}

static mh_status tree_job(void *ctx, FILE *f, mh_error *err)
{
    return mh_report_tree_write(ctx, f, err);
}

/* Writes the merged tree to path atomically. */
static int write_tree(const cJSON *doc, const char *path, mh_error *err)
{
    return mh_file_write_atomic(path, "", tree_job, (void *)doc, err);
}

static int emit(const mh_run *run, mh_report_format fmt, const char *path)
{
    if (!path)
        return 0;
    mh_error err;
    mh_report_target t = {fmt, (char *)path};
    if (mh_report_write(run, &t, &err) != MH_OK)
        return fail(&err);
    printf("report: %s\n", path);
    return 0;
}

static int render(const cJSON *merged, const options *o, size_t missing)
{
    mh_error err;
    mh_report_model *m = NULL;
    if (write_tree(merged, o->out, &err) != MH_OK)
        return fail(&err);
    printf("report: %s\n", o->out);
    if (mh_report_model_from_json(merged, &m, &err) != MH_OK)
        return fail(&err);
    int rc = emit(&m->run, MH_REPORT_JUNIT, o->junit);
    if (rc == 0)
        rc = emit(&m->run, MH_REPORT_HTML, o->html);
    if (rc == 0) {
        mh_summary s;
        mh_summary_compute(&m->run, &s);
        printf("merged %zu reports: %zu cases: %zu passed, %zu failed, %zu warnings, "
               "%zu inconclusive",
               o->input_count, s.cases, s.passed, s.failed, s.warnings, s.inconclusive);
        if (s.skipped)
            printf(", %zu skipped", s.skipped);
        printf(" (seed %llu)\n", (unsigned long long)m->run.seed);
        if (missing)
            fprintf(stderr,
                    "manta-harness %s: warning: %zu cases of the plan are in no input "
                    "(a shard missing?)\n",
                    CMD, missing);
        rc = mh_baseline_run_failed(m->results, m->count, NULL, 0) ? MH_EXIT_FINDINGS : MH_EXIT_OK;
    }
    mh_report_model_free(m);
    return rc;
}

int mh_cmd_merge_reports(int argc, char **argv)
{
    options o = {0};
    o.inputs = calloc((size_t)argc, sizeof *o.inputs);
    cJSON **docs = calloc((size_t)argc, sizeof *docs);
    cJSON *merged = NULL;
    int rc = o.inputs && docs ? parse_args(argc, argv, &o) : MH_EXIT_UNREACHABLE;
    mh_error err;
    size_t loaded = 0, missing = 0;
    for (; rc < 0 && loaded < o.input_count; loaded++)
        if (mh_report_read(o.inputs[loaded], &docs[loaded], &err) != MH_OK)
            rc = fail(&err);
    if (rc < 0 && mh_report_merge((const cJSON *const *)docs, o.inputs, o.input_count, &merged,
                                  &missing, &err) != MH_OK)
        rc = fail(&err);
    if (rc < 0)
        rc = render(merged, &o, missing);
    cJSON_Delete(merged);
    for (size_t i = 0; docs && i < o.input_count; i++)
        cJSON_Delete(docs[i]);
    free(docs);
    free(o.inputs);
    return rc;
}
