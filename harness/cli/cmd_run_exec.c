/* cmd_run_exec.c — `run` after its flags are parsed: load the spec, start the
 * embedded server when no target is given, run, report, map to exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_common.h"
#include "cmd_run.h"
#include "spec_source.h"
#include "manta/baseline.h"
#include "manta/credential.h"
#include "manta/json_strict.h"
#include "manta/redact.h"
#include "refserver.h"
#include "manta/report.h"
#include "manta/runner.h"

/* "run", or "fuzz" when fuzz runs a session: messages name the command the
 * user typed. */
static const char *session_cmd = "run";
#define CMD session_cmd

void mh_run_cli_init(mh_run_cli *c)
{
    memset(c, 0, sizeof *c);
    c->concurrency = 4;
    c->timeout_ms = 10000;
    c->max_response_bytes = 1 << 20;
}

static void random_hex(char *buf, size_t bytes)
{
    for (size_t i = 0; i < bytes; i += 8) {
        uint64_t v = mh_cli_random_u64();
        for (size_t j = 0; j < 8 && i + j < bytes; j++)
            sprintf(buf + 2 * (i + j), "%02x", (unsigned)((v >> (8 * j)) & 0xff));
    }
}

void mh_run_cli_free(mh_run_cli *c)
{
    for (size_t i = 0; i < c->owned_count; i++)
        free(c->owned[i]);
    c->owned_count = 0;
}

/* The operation the embedded server serves: the first selected usable one
 * with a request body, else the first usable one; NULL when none. */
static const mh_operation *embedded_operation(const mh_run_session *s)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < s->op_count; i++)
            if (!s->ops[i]->skip_reason && (pass || s->ops[i]->body_count > 0))
                return s->ops[i];
    return NULL;
}

static int print_error(const mh_error *e)
{
    char line[1400];
    mh_cli_error(CMD, "%s", mh_error_format(e, line, sizeof line));
    return e->code == MH_ERR_NETWORK || e->code == MH_ERR_INTERNAL ? MH_EXIT_UNREACHABLE
                                                                   : MH_EXIT_USAGE;
}

/* 1 when the plan's cases belong to more than one operation. */
static int several_operations(const mh_plan *p)
{
    for (size_t i = 1; i < p->count; i++)
        if (p->cases[i]->op != p->cases[0]->op)
            return 1;
    return 0;
}

static int list_cases(const mh_runner_opts *o)
{
    mh_plan plan;
    mh_error err;
    mh_error_clear(&err);
    if (mh_gen_plan(&o->gen, &plan, &err) != MH_OK)
        return print_error(&err);
    mh_redactor *red =
        mh_runner_redactor(&o->gen, (const char *const *)plan.tokens, plan.token_count);
    printf("# seed %llu, run id %s, %zu cases\n", (unsigned long long)o->gen.seed, o->gen.run_id,
           plan.count);
    /* One operation keeps the bundled contract's listing as it always was;
     * several get a heading per operation (ids are unique within one). */
    int headings = several_operations(&plan);
    const mh_operation *shown = NULL;
    for (size_t i = 0; i < plan.count; i++) {
        if (!mh_runner_in_shard(i, o->shard_k, o->shard_n))
            continue;
        const mh_case *k = plan.cases[i];
        if (headings && k->op != shown) {
            shown = k->op;
            printf("## %s%s%s%s\n", k->op->id, k->op->operation_id ? " (" : "",
                   k->op->operation_id ? k->op->operation_id : "", k->op->operation_id ? ")" : "");
        }
        char *target = mh_redact(red, k->target, strlen(k->target));
        const char *what = k->skip_reason ? k->skip_reason : k->description ? k->description : "";
        char *desc = mh_redact(red, what, strlen(what));
        printf("%-44s %-6s %s  %s%s\n", k->id, k->method, target ? target : "",
               k->skip_reason ? "skipped: " : "", desc ? desc : "");
        free(target);
        free(desc);
    }
    mh_redactor_free(red);
    mh_plan_free(&plan);
    return MH_EXIT_OK;
}

typedef struct {
    int enabled;
    double t0;
    size_t total;
} progress_state;

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void on_progress(void *ctx, size_t done, size_t total, size_t failed)
{
    progress_state *p = ctx;
    if (!p->enabled)
        return;
    mh_report_progress(stdout, done, total, failed, mono_ms() - p->t0);
    if (done == total)
        fputc('\n', stdout);
    fflush(stdout);
}

int mh_run_cli_write_reports(const mh_run_cli *c, const mh_run *run, const char *cmd, int announce)
{
    int failed = 0;
    for (int i = 0; i < c->report_count; i++) {
        mh_report_target t = {0};
        mh_error err;
        mh_error_clear(&err);
        if (mh_report_parse_target(c->reports[i], &t, &err) != MH_OK ||
            mh_report_write(run, &t, &err) != MH_OK) {
            char line[1400];
            mh_cli_error(cmd, "%s", mh_error_format(&err, line, sizeof line));
            failed = 1;
        } else if (announce && !c->quiet) {
            printf("report: %s\n", t.path);
        }
        mh_report_target_free(&t);
    }
    return failed;
}

char *mh_run_cli_shown_url(const mh_run_cli *c)
{
    const char *url = c->base_url ? c->base_url : "";
    mh_redactor *red = mh_redactor_new();
    int rc = !red || mh_redactor_add(red, c->token, "$MANTA_TOKEN") ||
             mh_redactor_add(red, c->jwt_key, "$MANTA_JWT_KEY") ||
             mh_redactor_add(red, c->secret, "$MANTA_SECRET") ||
             mh_credential_redact_basic(red, c->basic);
    for (size_t i = 0; i < c->api_key_count && !rc; i++)
        rc = mh_credential_redact_api_key(red, c->api_keys[i].scheme, c->api_keys[i].value);
    if (rc) {
        mh_redactor_free(red);
        return NULL;
    }
    char *shown = mh_redact(red, url, strlen(url));
    mh_redactor_free(red);
    return shown;
}

static int exit_status(const mh_runner_out *out)
{
    /* Skipped cases are neutral: never sent, they neither fail the run nor
     * make the target look unreachable. */
    size_t sent = 0;
    for (size_t i = 0; i < out->count; i++)
        sent += out->results[i].outcome != MH_OUTCOME_SKIPPED;
    if (sent > 0 && out->answered == 0 && !out->interrupted)
        return MH_EXIT_UNREACHABLE;
    for (size_t i = 0; i < out->count; i++)
        if (out->results[i].outcome == MH_OUTCOME_FAILED ||
            out->results[i].outcome == MH_OUTCOME_INCONCLUSIVE)
            return MH_EXIT_FINDINGS;
    return MH_EXIT_OK;
}

/* Checks the report flags before anything is sent, so a typo costs nothing. */
static int validate_report_flags(const mh_run_cli *c)
{
    for (int i = 0; i < c->report_count; i++) {
        mh_report_target t = {0};
        mh_error err;
        mh_error_clear(&err);
        if (mh_report_parse_target(c->reports[i], &t, &err) != MH_OK)
            return print_error(&err);
        mh_report_target_free(&t);
    }
    return 0;
}

static int build_opts(mh_run_cli *c, const mh_run_session *s, mh_runner_opts *o, mh_error *err)
{
    const mh_spec *spec = s->spec;
    memset(o, 0, sizeof *o);
    o->gen.spec = spec;
    o->gen.op = s->ops[0];
    o->gen.ops = s->ops;
    o->gen.op_count = s->op_count;
    o->gen.params = c->params;
    o->gen.param_count = c->param_count;
    o->gen.properties = c->properties;
    o->gen.property_count = c->property_count;
    o->gen.seed = c->seed;
    o->gen.run_id = c->run_id;
    o->gen.bot_id = c->bot_id;
    o->gen.secret = c->secret;
    o->gen.token = c->jwt_key ? NULL : c->token;
    o->gen.api_keys = c->api_keys;
    o->gen.api_key_count = c->api_key_count;
    o->gen.basic = c->basic;
    o->gen.jwt_key = c->jwt_key;
    o->gen.now = (long long)time(NULL);
    o->gen.suites = c->suites;
    o->gen.max_cases = c->max_cases;
    o->gen.repeat = c->repeat;
    o->jwt_key = c->jwt_key;
    mh_transport_opts_default(&o->transport);
    o->transport.base_url = c->base_url;
    o->transport.timeout_ms = (long)c->timeout_ms;
    o->transport.max_response_bytes = c->max_response_bytes;
    o->transport.concurrency = c->concurrency;
    o->transport.rate_limit = c->rate_limit;
    o->transport.cacert = c->cacert;
    o->transport.insecure = c->insecure;
    o->checks.max_response_time_ms = (long)c->max_response_time_ms;
    o->checks.spec = spec;
    if (c->checks_list && mh_check_parse_list(c->checks_list, &o->checks.enabled, err) != MH_OK)
        return -1;
    o->shard_k = c->shard_k;
    o->shard_n = c->shard_n;
    return 0;
}

/* Applies the baseline (when given) and writes the new one (when asked).
 * Returns 0, or -1 after printing an error. */
static int apply_baselines(const mh_run_cli *c, mh_baseline *b, mh_runner_out *out,
                           mh_baseline_diff *diff)
{
    mh_error err;
    mh_error_clear(&err);
    if (b && mh_baseline_apply(b, out->results, out->count, diff, &err) != MH_OK) {
        print_error(&err);
        return -1;
    }
    if (c->write_baseline &&
        mh_baseline_write(c->write_baseline, out->results, out->count, &err) != MH_OK) {
        print_error(&err);
        return -1;
    }
    if (c->write_baseline && !c->quiet)
        printf("baseline written: %s\n", c->write_baseline);
    return 0;
}

static void print_baseline_summary(const mh_run_cli *c, const mh_baseline_diff *d)
{
    if (c->quiet)
        return;
    printf("baseline %s: %zu new, %zu known, %zu fixed\n", c->baseline, d->new_findings,
           d->known_findings, d->fixed_count);
    for (size_t i = 0; i < d->fixed_count; i++)
        printf("  fixed: %s%s%s %s%s\n", d->fixed[i].operation ? d->fixed[i].operation : "",
               d->fixed[i].operation ? " " : "", d->fixed[i].case_id, d->fixed[i].check,
               c->strict_baseline ? " (error: --strict-baseline)" : "");
}

static int run_status(const mh_run_cli *c, const mh_runner_out *out, const mh_baseline_diff *d)
{
    int status = exit_status(out);
    if (status == MH_EXIT_UNREACHABLE || !c->baseline)
        return status;
    return mh_baseline_run_failed(out->results, out->count, d, c->strict_baseline)
               ? MH_EXIT_FINDINGS
               : MH_EXIT_OK;
}

static int report_run(const mh_run_cli *c, const mh_runner_opts *o, const char *spec_path,
                      mh_runner_out *out, mh_baseline *b)
{
    mh_baseline_diff diff = {0};
    int failed = apply_baselines(c, b, out, &diff);
    mh_run run = {.tool_version = MH_VERSION,
                  .spec_path = spec_path,
                  .base_url = c->base_url,
                  .seed = o->gen.seed,
                  .run_id = o->gen.run_id,
                  .duration_ms = out->duration_ms,
                  .results = out->results,
                  .result_count = out->count,
                  .redactor = out->redactor,
                  .interrupted = out->interrupted,
                  .baseline = b ? &diff : NULL,
                  .shard_k = o->shard_k,
                  .shard_n = o->shard_n};
    mh_console_opts co = {.quiet = c->quiet, .verbose = c->verbose, .max_findings = 10};
    mh_report_console(&run, &co, stdout);
    if (b)
        print_baseline_summary(c, &diff);
    failed |= mh_run_cli_write_reports(c, &run, CMD, 1);
    int status = run_status(c, out, &diff);
    if (status == MH_EXIT_UNREACHABLE) {
        char *url = mh_run_cli_shown_url(c);
        mh_cli_error(CMD, "target unreachable: no request got an HTTP answer from %s",
                     url ? url : "the target");
        free(url);
    }
    mh_baseline_diff_clear(&diff);
    return failed && status == MH_EXIT_OK ? MH_EXIT_UNREACHABLE : status;
}

static int run_and_report(mh_run_cli *c, mh_runner_opts *o, const char *spec_path)
{
    mh_baseline *b = NULL;
    mh_error err;
    mh_error_clear(&err);
    /* A bad baseline is a configuration error: found before anything is sent. */
    if (c->baseline && mh_baseline_load(c->baseline, &b, &err) != MH_OK)
        return print_error(&err);
    static volatile sig_atomic_t stop;
    mh_cli_install_stop(&stop);
    o->stop = &stop;
    progress_state ps = {.enabled = !c->no_progress && !c->quiet && mh_cli_isatty(stdout),
                         .t0 = mono_ms()};
    o->progress = on_progress;
    o->progress_ctx = &ps;
    /* The console report's header names the version, spec, target, seed
     * and run id once, when the run ends. */
    fflush(stdout);
    mh_runner_out out;
    int status;
    if (mh_runner_run(o, &out, &err) != MH_OK) {
        status = print_error(&err);
    } else {
        status = report_run(c, o, spec_path, &out, b);
        mh_runner_out_free(&out);
    }
    mh_baseline_free(b);
    return status;
}

/* Fills missing credentials with random ones (hex, never printed): for the
 * embedded server, and so that --list-cases works without any. */
static int fill_random_creds(mh_run_cli *c, mh_run_creds *ec)
{
    if (c->token && !c->jwt_key) {
        if (c->base_url || c->list_cases)
            return 0;
        mh_cli_error(CMD, "--token needs --base-url: the embedded server only accepts tokens "
                          "minted with its own key (give --jwt-key or nothing)");
        return -1;
    }
    if (c->list_cases) {
        /* A listed plan must not change from one call to the next. */
        snprintf(ec->bot_id, sizeof ec->bot_id, "example-bot");
        snprintf(ec->secret, sizeof ec->secret, "example-secret");
        snprintf(ec->jwt_key, sizeof ec->jwt_key, "example-jwt-key");
    } else {
        memcpy(ec->bot_id, "bot-", 4);
        random_hex(ec->bot_id + 4, 6);
        random_hex(ec->secret, 16);
        random_hex(ec->jwt_key, 32);
    }
    if (!c->bot_id)
        c->bot_id = ec->bot_id;
    if (!c->secret)
        c->secret = ec->secret;
    if (!c->jwt_key)
        c->jwt_key = ec->jwt_key;
    return 0;
}

/* The embedded default target, on an ephemeral loopback port. */
static int start_embedded(mh_run_cli *c, const mh_spec *spec, const char *op_id, mh_refserver **srv)
{
    mh_refserver_opts so;
    memset(&so, 0, sizeof so);
    so.host = "127.0.0.1";
    so.spec = spec;
    so.op_id = op_id;
    so.bot_ids = &c->bot_id;
    so.bot_count = 1;
    so.secret = c->secret;
    so.jwt_key = c->jwt_key;
    so.jwt_key_len = strlen(c->jwt_key);
    mh_error err;
    mh_error_clear(&err);
    if (mh_refserver_start(&so, srv, &err) != MH_OK) {
        print_error(&err);
        return -1;
    }
    c->base_url = mh_refserver_base_url(*srv);
    return 0;
}

/* Checks that the operation of every --param and --property SEL:NAME=VALUE
 * exists (an unknown one lists the operations). */
static int check_value_selectors(const mh_run_cli *c, const mh_spec *spec)
{
    for (int list = 0; list < 2; list++) {
        const mh_gen_value *v = list ? c->properties : c->params;
        size_t n = list ? c->property_count : c->param_count;
        for (size_t i = 0; i < n; i++) {
            if (!v[i].operation)
                continue;
            size_t k = 0;
            while (k < mh_spec_operation_count(spec) &&
                   !mh_gen_selects(mh_spec_operation(spec, k), v[i].operation))
                k++;
            if (k < mh_spec_operation_count(spec))
                continue;
            mh_error err;
            mh_error_clear(&err);
            mh_spec_find_operation(spec, v[i].operation, &err);
            mh_cli_error(CMD, "%s %s: %s", list ? "--property" : "--param", v[i].name, err.message);
            return -1;
        }
    }
    return 0;
}

/* The selected operations into s (--operation, --tag, --exclude). */
static int select_operations(const mh_run_cli *c, mh_run_session *s)
{
    mh_gen_selection sel = {.operations = c->operations,
                            .operation_count = c->operation_count,
                            .tags = c->tags,
                            .tag_count = c->tag_count,
                            .excludes = c->excludes,
                            .exclude_count = c->exclude_count};
    mh_error err;
    mh_error_clear(&err);
    if (mh_gen_select(s->spec, &sel, &s->ops, &s->op_count, &err) != MH_OK)
        return print_error(&err);
    return check_value_selectors(c, s->spec) ? MH_EXIT_USAGE : 0;
}

/* The run goes on when some selected operation can be tested with the
 * credentials given (the others then skip what needs credentials); when
 * every usable one is secured and has none, that is a usage error, as it
 * always was for the bundled contract without a token. */
static int check_credentials(const mh_run_session *s)
{
    const mh_operation *first = NULL;
    for (size_t i = 0; i < s->op_count; i++) {
        if (s->ops[i]->skip_reason)
            continue;
        if (mh_gen_op_access(&s->opts.gen, s->ops[i], NULL) != MH_GEN_NO_CREDENTIALS)
            return 0;
        if (!first)
            first = s->ops[i];
    }
    if (!first)
        return 0; /* nothing usable: the plan says why */
    char *why = NULL;
    mh_gen_op_access(&s->opts.gen, first, &why);
    mh_cli_error(CMD, "%s%s: %s",
                 s->op_count > 1 ? "every selected operation needs credentials; " : "", first->id,
                 why ? why : "no credentials");
    free(why);
    return MH_EXIT_USAGE;
}

/* The apiKey schemes of spec, "a, b" (at most about 300 bytes), into buf;
 * returns how many there are. */
static size_t api_key_schemes(const mh_spec *spec, char *buf, size_t n)
{
    size_t count = 0, at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < mh_spec_scheme_count(spec); i++) {
        const mh_security_scheme *sc = mh_spec_scheme(spec, i);
        if (sc->type != MH_SCHEME_API_KEY)
            continue;
        if (at < n && at < 300) {
            int w = snprintf(buf + at, n - at, "%s%s", count ? ", " : "", sc->name);
            at = w < 0 ? n : at + (size_t)w;
        }
        count++;
    }
    return count;
}

/* 1 when c has an API key for the scheme called name. */
static int has_api_key(const mh_run_cli *c, const char *name)
{
    for (size_t i = 0; i < c->api_key_count; i++)
        if (strcmp(c->api_keys[i].scheme, name) == 0)
            return 1;
    return 0;
}

/* Adds the key of scheme name (borrowed) from the environment variable
 * var, when it is set; -1 (printed) when its value cannot be sent. */
static int api_key_from_env(mh_run_cli *c, const char *name, const char *var)
{
    const char *v = mh_cli_or_env(NULL, var);
    if (!v || has_api_key(c, name) || c->api_key_count == MH_RUN_CLI_MAX_LIST)
        return 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p < 0x20 || *p == 0x7F) {
            mh_cli_error(CMD, "%s: the value holds a control character (CR, LF ...)", var);
            return -1;
        }
    }
    c->api_keys[c->api_key_count++] = (mh_gen_api_key){name, v};
    return 0;
}

/* Checks every --api-key SCHEME against the document (an apiKey scheme of
 * it, else exit 2 listing them), then takes MANTA_API_KEY_<SCHEME> for
 * each apiKey scheme without a key, and MANTA_API_KEY when the document
 * has exactly one. */
static int resolve_api_keys(mh_run_cli *c, const mh_spec *spec)
{
    char names[400];
    size_t count = api_key_schemes(spec, names, sizeof names);
    for (size_t i = 0; i < c->api_key_flags; i++) {
        const mh_security_scheme *sc = mh_spec_find_scheme(spec, c->api_keys[i].scheme);
        if (sc && sc->type == MH_SCHEME_API_KEY)
            continue;
        mh_cli_error(CMD, "--api-key %.100s: %s (apiKey schemes of the document: %s)",
                     c->api_keys[i].scheme,
                     sc ? "that security scheme is not of type apiKey"
                        : "the document has no such security scheme",
                     count ? names : "none");
        return MH_EXIT_USAGE;
    }
    const mh_security_scheme *only = NULL;
    for (size_t i = 0; i < mh_spec_scheme_count(spec); i++) {
        const mh_security_scheme *sc = mh_spec_scheme(spec, i);
        if (sc->type != MH_SCHEME_API_KEY)
            continue;
        char var[160];
        if (api_key_from_env(c, sc->name, mh_credential_api_key_var(sc->name, var, sizeof var)))
            return MH_EXIT_USAGE;
        only = sc;
    }
    if (count == 1 && api_key_from_env(c, only->name, "MANTA_API_KEY"))
        return MH_EXIT_USAGE;
    if (count > 1 && mh_cli_or_env(NULL, "MANTA_API_KEY") && !c->quiet)
        mh_cli_error(CMD,
                     "warning: MANTA_API_KEY is not used: the document has %zu apiKey schemes "
                     "(%s); give --api-key SCHEME=VALUE or MANTA_API_KEY_<SCHEME>",
                     count, names);
    return 0;
}

/* --list-cases needs no credentials: every apiKey scheme without a key and
 * http basic get example values (redacted like real ones, one distinct key
 * per scheme), so the listed plan is the one a run with credentials
 * sends. */
static void example_scheme_creds(mh_run_cli *c, const mh_spec *spec, mh_run_creds *ec)
{
    for (size_t i = 0; i < mh_spec_scheme_count(spec); i++) {
        const mh_security_scheme *sc = mh_spec_scheme(spec, i);
        if (sc->type != MH_SCHEME_API_KEY || has_api_key(c, sc->name) ||
            c->api_key_count == MH_RUN_CLI_MAX_LIST)
            continue;
        char *v = ec->api_keys[c->api_key_count];
        snprintf(v, sizeof ec->api_keys[0], "example-api-key-%zu", c->api_key_count + 1);
        c->api_keys[c->api_key_count++] = (mh_gen_api_key){sc->name, v};
    }
    if (!c->basic)
        c->basic = "example-user:example-password";
}

/* Starts the embedded reference server on the operation it will serve. */
static int open_embedded(mh_run_cli *c, mh_run_session *s)
{
    const mh_operation *op = embedded_operation(s);
    if (!op) {
        mh_cli_error(CMD, "no usable operation selected for the embedded reference server; "
                          "pass --base-url");
        return MH_EXIT_USAGE;
    }
    if (start_embedded(c, s->spec, op->id, &s->server))
        return MH_EXIT_USAGE;
    /* The embedded server answers with the Manta endpoint's semantics
     * whatever the spec says; another API's findings would be its own. */
    if ((strcmp(op->id, "POST /openapi/personalTag") != 0 || s->op_count > 1) && !c->quiet)
        fprintf(stderr,
                "manta-harness %s: note: no --base-url, so %s is tested against the embedded "
                "reference server, which implements POST /openapi/personalTag semantics; "
                "pass --base-url to test your API\n",
                CMD, s->op_count > 1 ? "the document" : op->id);
    return 0;
}

int mh_run_session_open(mh_run_cli *c, mh_run_session *s)
{
    memset(s, 0, sizeof *s);
    session_cmd = c->cmd ? c->cmd : "run";
    if (validate_report_flags(c))
        return MH_EXIT_USAGE;
    s->spec_path = c->spec_path ? c->spec_path : mh_cli_default_spec();
    mh_error err;
    mh_error_clear(&err);
    mh_cli_fetch_opts fo = {c->cacert, c->insecure, (long)c->timeout_ms};
    if (mh_cli_spec_load(s->spec_path, &fo, &s->spec, &err) != MH_OK)
        return print_error(&err);
    for (size_t i = 0; i < mh_spec_warning_count(s->spec); i++) { /* never the exit code */
        const char *ptr, *file, *msg = mh_spec_warning(s->spec, i, &ptr, &file);
        mh_cli_error(CMD, "warning: %s%s%s: %s", file ? file : "", file ? "#" : "", ptr, msg);
    }
    int status = select_operations(c, s);
    if (status || (status = resolve_api_keys(c, s->spec)) != 0)
        return status;
    if (c->list_cases)
        example_scheme_creds(c, s->spec, &s->creds);
    if (!c->seed_set)
        c->seed = mh_cli_random_u64() >> 11; /* keep it short enough to type */
    if (!c->run_id)
        c->run_id = s->run_id = mh_gen_new_run_id();
    if ((!c->base_url || c->list_cases) && fill_random_creds(c, &s->creds))
        return MH_EXIT_USAGE;
    if (!c->base_url && !c->list_cases && (status = open_embedded(c, s)) != 0)
        return status;
    if (build_opts(c, s, &s->opts, &err))
        return print_error(&err);
    return check_credentials(s);
}

void mh_run_session_close(mh_run_session *s)
{
    mh_refserver_stop(s->server);
    free(s->ops);
    free(s->run_id);
    mh_spec_free(s->spec);
    memset(s, 0, sizeof *s);
}

int mh_run_cli_execute(mh_run_cli *c)
{
    mh_run_session s;
    int status = mh_run_session_open(c, &s);
    if (status == 0)
        status = c->list_cases ? list_cases(&s.opts) : run_and_report(c, &s.opts, s.spec_path);
    mh_run_session_close(&s);
    return status;
}
