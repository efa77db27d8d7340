/* cmd_validate.c — `manta-harness validate`: judge one JSON document, strictly,
 * against a named schema or as an operation's response would be judged. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/check.h"
#include "cli.h"
#include "cmd_common.h"
#include "spec_source.h"
#include "manta/fileio.h"
#include "manta/model.h"
#include "manta/spec.h"

#define CMD "validate"
#define MAX_INPUT (64UL * 1024 * 1024)

typedef struct {
    const char *spec;
    const char *schema;
    const char *operation;
    const char *status;
    const char *content_type;
    const char *file; /* NULL or "-" = stdin */
    int status_code;  /* parsed --status */
} options;

static void help(FILE *out)
{
    fprintf(
        out,
        "usage: manta-harness validate [--spec PATH] --schema NAME [FILE]\n"
        "       manta-harness validate [--spec PATH] --operation \"METHOD /path\" --status CODE\n"
        "                              [--content-type TYPE] [FILE]\n"
        "\n"
        "Validates one JSON document (FILE, or stdin when FILE is absent or -) strictly\n"
        "(RFC 8259: no BOM, trailing data, duplicate keys, invalid UTF-8, ...).\n"
        "\n"
        "  --spec PATH          OpenAPI 3.0.x document (default: the bundled contract)\n"
        "  --schema NAME        validate against components/schemas/NAME\n"
        "  --operation ID       validate as this operation's response, e.g.\n"
        "                       \"POST /openapi/personalTag\" (needs --status)\n"
        "  --status CODE        the HTTP status of that response (100-599)\n"
        "  --content-type TYPE  its Content-Type (default: application/json)\n"
        "  --help               this text\n"
        "\n"
        "Each violation is printed on stdout as\n"
        "  check: pointer: message\n"
        "where pointer is the RFC 6901 JSON pointer into the document; the whole\n"
        "document (the root) is the empty pointer, so such lines read\n"
        "  response_schema_conformance: : message\n"
        "Checks: response_schema_conformance (both modes), status_code_conformance and\n"
        "content_type_conformance (--operation mode). Nothing is printed when valid.\n"
        "\n"
        "Exit status: 0 valid, 1 invalid, 2 usage, spec or input error.\n");
}

/* Accepts "--flag value" and "--flag=value". Returns 1 and sets *val when
 * argv[*i] is flag, advancing *i; -1 when the value is missing; 0 otherwise. */
static int flag_value(int argc, char **argv, int *i, const char *flag, const char **val)
{
    size_t n = strlen(flag);
    const char *a = argv[*i];
    if (strncmp(a, flag, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

/* Returns -1 to continue, else an exit status (help or usage error). */
static int parse_args(int argc, char **argv, options *o)
{
    static const char *const flags[] = {"--spec", "--schema", "--operation", "--status",
                                        "--content-type"};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            help(stdout);
            return MH_EXIT_OK;
        }
        const char **slots[] = {&o->spec, &o->schema, &o->operation, &o->status, &o->content_type};
        int matched = 0;
        for (size_t f = 0; f < sizeof flags / sizeof flags[0] && !matched; f++) {
            int rc = flag_value(argc, argv, &i, flags[f], slots[f]);
            if (rc < 0) {
                mh_cli_error(CMD, "%s needs a value", flags[f]);
                return MH_EXIT_USAGE;
            }
            matched = rc;
        }
        if (matched && o->spec && !o->spec[0]) {
            mh_cli_error(CMD, "--spec: empty path");
            return MH_EXIT_USAGE;
        }
        if (matched)
            continue;
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            char name[64]; /* only the name: an "=value" may be a secret */
            mh_cli_error(CMD, "unknown option '%s' (see manta-harness validate --help)",
                         mh_cli_opt_name(argv[i], name, sizeof name));
            return MH_EXIT_USAGE;
        }
        if (o->file) {
            mh_cli_error(CMD, "one FILE at most, got '%s' and '%s'", o->file, argv[i]);
            return MH_EXIT_USAGE;
        }
        o->file = argv[i];
    }
    return -1;
}

static int parse_status(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 100 || v > 599)
        return -1;
    *out = (int)v;
    return 0;
}

static int check_modes(options *o)
{
    if (o->schema && o->operation) {
        mh_cli_error(CMD, "--schema and --operation are exclusive: give one");
        return MH_EXIT_USAGE;
    }
    if (!o->schema && !o->operation) {
        mh_cli_error(CMD, "missing --schema NAME or --operation \"METHOD /path\"");
        return MH_EXIT_USAGE;
    }
    if (o->schema && (o->status || o->content_type)) {
        mh_cli_error(CMD, "%s only applies with --operation",
                     o->status ? "--status" : "--content-type");
        return MH_EXIT_USAGE;
    }
    if (o->operation && !o->status) {
        mh_cli_error(CMD, "--operation needs --status CODE");
        return MH_EXIT_USAGE;
    }
    if (o->status && parse_status(o->status, &o->status_code) != 0) {
        mh_cli_error(CMD, "--status: expected an HTTP status 100-599, got '%s'", o->status);
        return MH_EXIT_USAGE;
    }
    return -1;
}

/* Reads FILE, or stdin for NULL or "-", binary-safe, up to MAX_INPUT bytes.
 * Returns a NUL-terminated buffer the caller frees, or NULL after printing why. */
static char *read_input(const char *file, size_t *len)
{
    mh_error err;
    char *buf = NULL;
    mh_status st = !file || strcmp(file, "-") == 0
                       ? mh_stream_read(stdin, "stdin", MAX_INPUT, &buf, len, &err)
                       : mh_file_read(file, MAX_INPUT, &buf, len, &err);
    if (st != MH_OK)
        mh_cli_error(CMD, "%s", err.message);
    return buf;
}

static void print_findings(const mh_result *r)
{
    for (size_t i = 0; i < r->finding_count; i++)
        printf("%s: %s: %s\n", r->findings[i].check, r->findings[i].path, r->findings[i].message);
}

/* Judges the document; returns an exit status. */
static int judge(const options *o, const mh_spec *spec, const char *doc, size_t len)
{
    mh_error err;
    mh_error_clear(&err);
    mh_result r;
    memset(&r, 0, sizeof r);
    if (o->schema) {
        const mh_schema *s = mh_spec_schema(spec, o->schema, &err);
        if (!s) {
            mh_cli_error(CMD, "--schema: %s", err.message);
            return MH_EXIT_USAGE;
        }
        mh_check_body_schema(s, doc, len, 0, &r);
    } else {
        const mh_operation *op = mh_spec_find_operation(spec, o->operation, &err);
        if (!op) {
            mh_cli_error(CMD, "--operation: %s", err.message);
            return MH_EXIT_USAGE;
        }
        const char *ct = o->content_type ? o->content_type : "application/json";
        unsigned long long mask = MH_CHECK_BIT(MH_CHECK_STATUS_CODE_CONFORMANCE) |
                                  MH_CHECK_BIT(MH_CHECK_CONTENT_TYPE_CONFORMANCE) |
                                  MH_CHECK_BIT(MH_CHECK_RESPONSE_SCHEMA_CONFORMANCE);
        mh_check_response(op, o->status_code, *ct ? ct : NULL, doc, len, mask, &r);
    }
    print_findings(&r);
    int rc = r.finding_count ? MH_EXIT_FINDINGS : MH_EXIT_OK;
    mh_result_clear(&r);
    return rc;
}

int mh_cmd_validate(int argc, char **argv)
{
    options o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if ((rc = check_modes(&o)) >= 0)
        return rc;
    const char *spec_path = o.spec ? o.spec : mh_cli_default_spec();
    mh_spec *spec = NULL;
    mh_error err;
    mh_error_clear(&err);
    if (mh_cli_spec_load(spec_path, NULL, &spec, &err) != MH_OK) {
        char line[1400];
        mh_error_format(&err, line, sizeof line);
        if (err.file[0])
            mh_cli_error(CMD, "--spec: %s", line);
        else
            mh_cli_error(CMD, "--spec %s: %s", spec_path, line);
        return MH_EXIT_USAGE;
    }
    for (size_t i = 0; i < mh_spec_warning_count(spec); i++) { /* never the exit code */
        const char *ptr, *file, *msg = mh_spec_warning(spec, i, &ptr, &file);
        mh_cli_error(CMD, "warning: %s%s%s: %s", file ? file : "", file ? "#" : "", ptr, msg);
    }
    size_t len = 0;
    char *doc = read_input(o.file, &len);
    rc = doc ? judge(&o, spec, doc, len) : MH_EXIT_USAGE;
    free(doc);
    mh_spec_free(spec);
    return rc;
}
