/* report_sarif.c — SARIF 2.1.0 for code scanning (contract: report.h).
 *
 * One run, one result per finding. Rules are the checks of DESIGN.md, in
 * mh_checks[] order (so a check's ruleIndex is stable from run to run), then
 * any other check name a finding carries. Each result points at the
 * operation in the spec file: artifactLocation.uri is the spec path as given
 * (relative to the current directory when it lies under it, which is what
 * GitHub needs to map alerts onto the repository) and region.startLine the
 * line of the operation's path key. partialFingerprints are built from the
 * case id and the check (and the JSON pointer when there is one), never from
 * messages or timings, so the same finding keeps its identity across runs.
 * With a baseline applied, baselineState says "new" or "unchanged".
 *
 * Built as a cJSON tree (SARIF documents hold no bodies, so they stay small);
 * every string is redacted and made valid UTF-8 before it goes in.
 */
#include "manta/report.h"
#include "report_int.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef MH_HOMEPAGE
#define MH_HOMEPAGE "https://github.com/manta-harness/manta-harness"
#endif

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

typedef struct {
    const char *name;
    int security; /* tagged "security" for code scanning's security view */
    const char *text;
} rule_doc;

static const rule_doc rule_docs[] = {
    {"not_a_server_error", 1, "The server answered with a 5xx status."},
    {"status_code_conformance", 0, "The status code is not declared for the operation."},
    {"content_type_conformance", 0, "The response media type is not declared for that status."},
    {"response_schema_conformance", 0,
     "The response body is not strict JSON or violates the declared schema."},
    {"negative_data_rejection", 0, "A malformed request was accepted with a 2xx status."},
    {"positive_data_acceptance", 0, "A valid request was not accepted with a 2xx status."},
    {"ignored_auth", 1, "A request with missing or invalid credentials was accepted."},
    {"sensitive_data_exposure", 1,
     "An answer contains the configured secret, the JWT key or a bearer token."},
    {"transport_error", 1,
     "The exchange failed: reset, timeout, TLS failure or a response over the size cap."},
    {"max_response_time", 0, "The answer was slower than --max-response-time."},
    {"success_flag_consistency", 0,
     "The success flag contradicts the status (2xx with false, or an error status with true)."},
    {"unsupported_method", 0, "An undeclared method on the path was accepted with a 2xx status."},
    {"allow_header_conformance", 0,
     "A 405 answer lacks an Allow header listing the declared methods."},
};

static const rule_doc *rule_doc_find(const char *name)
{
    for (size_t i = 0; i < sizeof rule_docs / sizeof rule_docs[0]; i++)
        if (strcmp(rule_docs[i].name, name) == 0)
            return &rule_docs[i];
    return NULL;
}

/* The rule list: mh_checks[] first, then unknown check names in order of
 * first appearance. Names are borrowed. */
typedef struct {
    const char **names;
    mh_severity *sev;
    size_t n;
} rule_list;

static int rules_index(const rule_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->names[i], name) == 0)
            return (int)i;
    return -1;
}

static int rules_build(const mh_run *run, rule_list *l)
{
    size_t cap = mh_check_count;
    for (size_t i = 0; i < run->result_count; i++)
        cap += run->results[i].finding_count;
    l->names = malloc((cap ? cap : 1) * sizeof *l->names);
    l->sev = malloc((cap ? cap : 1) * sizeof *l->sev);
    l->n = 0;
    if (!l->names || !l->sev)
        return -1;
    for (size_t i = 0; i < mh_check_count; i++) {
        l->names[l->n] = mh_checks[i].name;
        l->sev[l->n++] = mh_checks[i].severity;
    }
    for (size_t i = 0; i < run->result_count; i++)
        for (size_t k = 0; k < run->results[i].finding_count; k++) {
            const mh_finding *f = &run->results[i].findings[k];
            if (f->check && rules_index(l, f->check) < 0) {
                l->names[l->n] = f->check;
                l->sev[l->n++] = f->severity;
            }
        }
    return 0;
}

/* A redacted copy of s with every invalid UTF-8 byte replaced by U+FFFD.
 * Caller frees; NULL on OOM. */
static char *clean_text(const mh_run *run, const char *s)
{
    char *red = mh__report_redact(run, s);
    if (!red)
        return NULL;
    size_t len = strlen(red);
    char *out = malloc(len * 3 + 1), *o = out;
    if (!out) {
        free(red);
        return NULL;
    }
    const unsigned char *u = (const unsigned char *)red;
    for (size_t i = 0; i < len;) {
        size_t l = mh__utf8_seq_len(u + i, len - i);
        if (l == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            continue;
        }
        memcpy(o, u + i, l);
        o += l;
        i += l;
    }
    *o = '\0';
    free(red);
    return out;
}

/* Adds a string member; -1 on OOM. */
static int add_str(cJSON *obj, const char *key, const char *s)
{
    return cJSON_AddStringToObject(obj, key, s ? s : "") ? 0 : -1;
}

static int add_text(const mh_run *run, cJSON *obj, const char *key, const char *s)
{
    char *c = clean_text(run, s);
    int rc = c ? add_str(obj, key, c) : -1;
    free(c);
    return rc;
}

static const char *level_of(mh_severity s)
{
    return s == MH_SEV_ERROR ? "error" : "warning";
}

static cJSON *rule_object(const char *name, mh_severity sev)
{
    const rule_doc *d = rule_doc_find(name);
    cJSON *r = cJSON_CreateObject();
    if (!r || add_str(r, "id", name) || add_str(r, "name", name))
        goto fail;
    cJSON *sd = cJSON_AddObjectToObject(r, "shortDescription");
    if (!sd || add_str(sd, "text", d ? d->text : name) || add_str(r, "helpUri", MH_HOMEPAGE))
        goto fail;
    cJSON *cfg = cJSON_AddObjectToObject(r, "defaultConfiguration");
    if (!cfg || add_str(cfg, "level", level_of(sev)))
        goto fail;
    cJSON *props = cJSON_AddObjectToObject(r, "properties");
    cJSON *tags = props ? cJSON_AddArrayToObject(props, "tags") : NULL;
    if (!tags)
        goto fail;
    if (d && d->security)
        cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
    cJSON_AddItemToArray(tags, cJSON_CreateString("contract"));
    if (add_str(props, "problem.severity", level_of(sev)))
        goto fail;
    return r;
fail:
    cJSON_Delete(r);
    return NULL;
}

static cJSON *driver_object(const mh_run *run, const rule_list *l)
{
    cJSON *d = cJSON_CreateObject();
    if (!d || add_str(d, "name", "manta-harness") ||
        add_text(run, d, "version", run->tool_version ? run->tool_version : "") ||
        add_str(d, "informationUri", MH_HOMEPAGE))
        goto fail;
    cJSON *rules = cJSON_AddArrayToObject(d, "rules");
    if (!rules)
        goto fail;
    for (size_t i = 0; i < l->n; i++) {
        cJSON *r = rule_object(l->names[i], l->sev[i]);
        if (!r)
            goto fail;
        cJSON_AddItemToArray(rules, r);
    }
    return d;
fail:
    cJSON_Delete(d);
    return NULL;
}

/* Appends s to buf percent-encoding what a URI path may not hold as is. */
static void uri_escape(FILE *m, const char *s)
{
    static const char ok[] = "-._~/!$&'()*+,;=:@";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            (*p != 0 && strchr(ok, *p)))
            fputc(*p, m);
        else
            fprintf(m, "%%%02X", *p);
    }
}

/* The spec's URI: relative when the path is relative or lies under the
 * current directory, a file:// URI otherwise. *relative says which. Caller
 * frees; NULL on OOM. */
static char *spec_uri(const char *path, int *relative)
{
    char cwd[PATH_MAX];
    const char *rel = NULL;
    if (path[0] != '/')
        rel = path;
    else if (getcwd(cwd, sizeof cwd)) {
        size_t cl = strlen(cwd);
        if (cl > 1 && strncmp(path, cwd, cl) == 0 && path[cl] == '/')
            rel = path + cl + 1;
    }
    while (rel && strncmp(rel, "./", 2) == 0)
        rel += 2;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    *relative = rel != NULL;
    if (!rel)
        fputs("file://", m);
    uri_escape(m, rel ? rel : path);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static cJSON *location_object(const char *uri, int relative, int line)
{
    cJSON *loc = cJSON_CreateObject();
    cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON *art = phys ? cJSON_AddObjectToObject(phys, "artifactLocation") : NULL;
    cJSON *reg = phys ? cJSON_AddObjectToObject(phys, "region") : NULL;
    if (!art || !reg || add_str(art, "uri", uri) ||
        (relative && add_str(art, "uriBaseId", "%SRCROOT%")) ||
        !cJSON_AddNumberToObject(reg, "startLine", line >= 1 ? line : 1)) {
        cJSON_Delete(loc);
        return NULL;
    }
    return loc;
}

/* "case <id>: <message> (at <pointer>)" */
static char *message_text(const mh_result *r, const mh_finding *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    fprintf(m, "%s: case %s: %s", f->check ? f->check : "finding",
            r->kase && r->kase->id ? r->kase->id : "?", f->message ? f->message : "");
    if (f->path && *f->path)
        fprintf(m, " (at %s)", f->path);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* "case|check[|pointer]": stable across runs. Caller frees; NULL on OOM. */
static char *fingerprint(const mh_result *r, const mh_finding *f)
{
    char *key = NULL;
    size_t kl = 0;
    FILE *m = open_memstream(&key, &kl);
    if (!m)
        return NULL;
    fprintf(m, "%s|%s", r->kase && r->kase->id ? r->kase->id : "", f->check ? f->check : "");
    if (f->path && *f->path)
        fprintf(m, "|%s", f->path);
    if (fclose(m) != 0) {
        free(key);
        return NULL;
    }
    return key;
}

static cJSON *result_object(const mh_run *run, const rule_list *l, const mh_result *r,
                            const mh_finding *f, const char *uri, int relative)
{
    const char *check = f->check ? f->check : "";
    int line = r->kase && r->kase->op ? r->kase->op->path_line : 1;
    char *text = message_text(r, f), *key = fingerprint(r, f);
    cJSON *res = cJSON_CreateObject(), *msg = NULL, *locs = NULL, *fp = NULL;
    int bad = !text || !key || !res || add_str(res, "ruleId", check) ||
              !cJSON_AddNumberToObject(res, "ruleIndex", rules_index(l, check)) ||
              add_str(res, "level", level_of(f->severity)) ||
              !(msg = cJSON_AddObjectToObject(res, "message")) ||
              add_text(run, msg, "text", text) ||
              !(locs = cJSON_AddArrayToObject(res, "locations")) ||
              !(fp = cJSON_AddObjectToObject(res, "partialFingerprints")) ||
              add_text(run, fp, "mantaHarnessFinding/v1", key);
    if (!bad && run->baseline)
        bad = add_str(res, "baselineState", f->known ? "unchanged" : "new");
    cJSON *loc = bad ? NULL : location_object(uri, relative, line);
    free(text);
    free(key);
    if (!loc) {
        cJSON_Delete(res);
        return NULL;
    }
    cJSON_AddItemToArray(locs, loc);
    return res;
}

static cJSON *sarif_document(const mh_run *run, const rule_list *l)
{
    int relative = 0;
    char *uri = spec_uri(run->spec_path ? run->spec_path : "", &relative);
    cJSON *doc = cJSON_CreateObject(), *one = cJSON_CreateObject();
    cJSON *runs = NULL, *tool = NULL, *driver = NULL, *results = NULL;
    int bad = !uri || !doc || !one || add_str(doc, "$schema", SARIF_SCHEMA) ||
              add_str(doc, "version", "2.1.0") || !(runs = cJSON_AddArrayToObject(doc, "runs")) ||
              !(tool = cJSON_AddObjectToObject(one, "tool")) || !(driver = driver_object(run, l));
    if (!bad) {
        cJSON_AddItemToObject(tool, "driver", driver);
        cJSON_AddItemToArray(runs, one);
        one = NULL;
        bad = !(results = cJSON_AddArrayToObject(runs->child, "results"));
    }
    for (size_t i = 0; !bad && i < run->result_count; i++) {
        const mh_result *r = &run->results[i];
        for (size_t k = 0; !bad && k < r->finding_count; k++) {
            cJSON *res = result_object(run, l, r, &r->findings[k], uri, relative);
            bad = !res;
            if (res)
                cJSON_AddItemToArray(results, res);
        }
    }
    free(uri);
    cJSON_Delete(one);
    if (bad) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

mh_status mh_report_sarif_write(const mh_run *run, FILE *f, mh_error *err)
{
    rule_list l = {0};
    cJSON *doc = rules_build(run, &l) == 0 ? sarif_document(run, &l) : NULL;
    char *text = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    free(l.names);
    free(l.sev);
    if (!text)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    fputs(text, f);
    fputc('\n', f);
    free(text);
    if (ferror(f))
        return mh_error_set(err, MH_ERR_IO, "write error");
    return MH_OK;
}
