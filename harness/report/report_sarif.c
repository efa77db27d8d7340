/* report_sarif.c — SARIF 2.1.0 for code scanning (contract: report.h).
 *
 * One run, one result per finding. Rules are the checks of the catalogue
 * (check_list.h), in its order (so a check's ruleIndex is stable from run to
 * run) and with its rule texts, then any other check name a finding
 * carries. Each result points at the
 * operation in the spec file: artifactLocation.uri is the spec path as given
 * (relative to the current directory when it lies under it, which is what
 * GitHub needs to map alerts onto the repository) and region.startLine the
 * line of the operation's path key. partialFingerprints are built from the
 * case's operation ("METHOD /path"), its id and the check (and the JSON
 * pointer when there is one), never from messages or timings, so the same
 * finding keeps its identity across runs; case ids are unique only within
 * their operation, hence the operation. With a baseline applied,
 * baselineState says "new" or "unchanged". Skipped cases (never sent) have
 * no findings and so no results.
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

#include "util/buf.h"

#ifndef MH_HOMEPAGE
#define MH_HOMEPAGE "https://github.com/manta-harness/manta-harness"
#endif

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

/* One rule: a check of the catalogue, or a check name some finding carries
 * that the catalogue lacks (a report of another version read back; id is
 * then MH_CHECK_COUNT). The name is borrowed. */
typedef struct {
    const char *name;
    mh_check_id id;
    mh_severity sev;
} rule;

/* The rule list: the catalogue first, in its order (so rule i is check i),
 * then unknown check names in order of first appearance. */
typedef struct {
    rule *v;
    size_t n;
} rule_list;

/* The ruleIndex of a finding's check; -1 when it has none. */
static int rules_index(const rule_list *l, mh_check_id id, const char *name)
{
    if ((unsigned)id < MH_CHECK_COUNT)
        return (int)id;
    for (size_t i = MH_CHECK_COUNT; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int rules_build(const mh_run *run, rule_list *l)
{
    size_t cap = MH_CHECK_COUNT; /* at most every finding adds one */
    for (size_t i = 0; i < run->result_count; i++)
        cap += run->results[i].finding_count;
    l->v = malloc(cap * sizeof *l->v);
    l->n = 0;
    if (!l->v)
        return -1;
    for (int i = 0; i < MH_CHECK_COUNT; i++)
        l->v[l->n++] = (rule){mh_check_name((mh_check_id)i), (mh_check_id)i,
                              mh_check_severity((mh_check_id)i)};
    for (size_t i = 0; i < run->result_count; i++)
        for (size_t k = 0; k < run->results[i].finding_count; k++) {
            const mh_finding *f = &run->results[i].findings[k];
            if (f->check && rules_index(l, f->check_id, f->check) < 0)
                l->v[l->n++] = (rule){f->check, MH_CHECK_COUNT, f->severity};
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
    mh__buf out = MH__BUF_INIT;
    const unsigned char *u = (const unsigned char *)red;
    for (size_t i = 0; i < len;) {
        size_t l = mh__utf8_seq_len(u + i, len - i);
        if (l == 0) {
            mh__buf_adds(&out, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        mh__buf_add(&out, u + i, l);
        i += l;
    }
    free(red);
    return mh__buf_take(&out, NULL);
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

static cJSON *rule_object(const rule *u)
{
    const char *name = u->name;
    mh_severity sev = u->sev;
    /* An unknown check has no text of its own: its name stands in. */
    const char *text = (unsigned)u->id < MH_CHECK_COUNT ? mh_check_sarif_text(u->id) : name;
    cJSON *r = cJSON_CreateObject();
    if (!r || add_str(r, "id", name) || add_str(r, "name", name))
        goto fail;
    cJSON *sd = cJSON_AddObjectToObject(r, "shortDescription");
    if (!sd || add_str(sd, "text", text) || add_str(r, "helpUri", MH_HOMEPAGE))
        goto fail;
    cJSON *cfg = cJSON_AddObjectToObject(r, "defaultConfiguration");
    if (!cfg || add_str(cfg, "level", level_of(sev)))
        goto fail;
    cJSON *props = cJSON_AddObjectToObject(r, "properties");
    cJSON *tags = props ? cJSON_AddArrayToObject(props, "tags") : NULL;
    if (!tags)
        goto fail;
    if (mh_check_is_security(u->id))
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
        cJSON *r = rule_object(&l->v[i]);
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

/* "<check>: <METHOD /path> case <id>: <message> (at <pointer>)" */
static char *message_text(const mh_result *r, const mh_finding *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    fprintf(m, "%s: %s case %s: %s", f->check ? f->check : "finding", mh_case_operation(r->kase),
            r->kase && r->kase->id ? r->kase->id : "?", f->message ? f->message : "");
    if (f->path && *f->path)
        fprintf(m, " (at %s)", f->path);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* "METHOD /path|case|check[|pointer]": stable across runs. Caller frees;
 * NULL on OOM. */
static char *fingerprint(const mh_result *r, const mh_finding *f)
{
    char *key = NULL;
    size_t kl = 0;
    FILE *m = open_memstream(&key, &kl);
    if (!m)
        return NULL;
    fprintf(m, "%s|%s|%s", mh_case_operation(r->kase), r->kase && r->kase->id ? r->kase->id : "",
            f->check ? f->check : "");
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
              !cJSON_AddNumberToObject(res, "ruleIndex", rules_index(l, f->check_id, check)) ||
              add_str(res, "level", level_of(f->severity)) ||
              !(msg = cJSON_AddObjectToObject(res, "message")) ||
              add_text(run, msg, "text", text) ||
              !(locs = cJSON_AddArrayToObject(res, "locations")) ||
              !(fp = cJSON_AddObjectToObject(res, "partialFingerprints")) ||
              add_text(run, fp, "mantaHarnessFinding/v2", key);
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
        if (r->outcome == MH_OUTCOME_SKIPPED)
            continue; /* never sent: nothing was found */
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
    free(l.v);
    if (!text)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    fputs(text, f);
    fputc('\n', f);
    free(text);
    if (ferror(f))
        return mh_error_set(err, MH_ERR_IO, "write error");
    return MH_OK;
}
