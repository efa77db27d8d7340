/* report_merge.h — JSON reports read back: merging shard reports and
 * rebuilding the result model from a report.
 *
 * `run --shard K/N` writes one JSON report per shard; each case carries its
 * "index" in the full plan. Merging reads every shard report strictly
 * (json_strict.h), checks that they describe the same run (tool name and
 * version, spec, seed and base_url), puts the cases back in plan order,
 * and recomputes the summary: counts (skipped included) and by_check from
 * the cases; the baseline section as the sum of the shards' (fixed lists
 * joined, sorted by operation, case, check, each entry once); duration_ms
 * as the largest shard's, because shards run in parallel; and by_operation
 * from the cases again, grouped by their "operation_id", else "operation",
 * in plan order (each operation's duration_ms its exchanges' times added
 * up, its baseline new/known from its findings' "known" flags and fixed the
 * run's fixed entries that are its). The run_id, interrupted flag and other
 * top-level members come from the first report (interrupted is true when
 * any shard was).
 *
 * The merged document is kept as a cJSON tree from mh_json_parse, so every
 * case is carried over byte for byte (bodies already redacted and capped by
 * the writer, curl commands included) and numbers keep their literal text
 * (a 64-bit seed survives). mh_report_model_from_json() rebuilds mh_result,
 * mh_case and mh_exchange structs from such a tree, so the JUnit and HTML
 * writers can render it like a live run.
 *
 * Ownership: trees returned here are the caller's (cJSON_Delete); a model
 * owns everything it points to (mh_report_model_free).
 */
#ifndef MANTA_REPORT_MERGE_H
#define MANTA_REPORT_MERGE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>

#include "manta/baseline.h"
#include "manta/error.h"
#include "manta/model.h"
#include "manta/redact.h"
#include "manta/report.h"

/* Reads one JSON report strictly and checks its shape: an object with
 * tool.name "manta-harness", string spec and base_url, an integer seed and a
 * cases array whose entries have an integer "index" >= 0 and a string "id".
 * On success *out is the tree (caller deletes). MH_ERR_IO when unreadable,
 * MH_ERR_JSON for invalid JSON (file line:column) or a wrong shape (file and
 * JSON pointer), MH_ERR_NOMEM. */
mh_status mh_report_read(const char *path, cJSON **out, mh_error *err);

/* Merges the reports docs[0..n) (n >= 1; names[i] names docs[i] in
 * messages) into a new tree *out; the inputs are not modified.
 * MH_ERR_USAGE when they disagree on tool, spec, seed or base_url (the
 * message names both files and both values), or when one plan index
 * appears in two reports (the same shard given twice); MH_ERR_NOMEM.
 * *missing (may be NULL) receives how many indexes below the largest one no
 * report has: a shard that was not given. */
mh_status mh_report_merge(const cJSON *const *docs, const char *const *names, size_t n, cJSON **out,
                          size_t *missing, mh_error *err);

/* Writes a report tree as JSON text: strings escaped as mh_json_quote does,
 * numbers from mh_json_parse with their literal text, other numbers as
 * integers when whole. One case per line, like the report writer. */
mh_status mh_report_tree_write(const cJSON *doc, FILE *f, mh_error *err);

/* A report rebuilt as a run. The run borrows everything from the model. */
typedef struct {
    mh_run run;
    mh_result *results;
    size_t count;
    size_t *plan_index; /* per result */
    mh_operation *ops;  /* one per distinct "operation"; only id, operation_id, method, path set */
    size_t op_count;
    char **strings; /* owned strings the run and findings borrow */
    size_t string_count;
    mh_redactor *redactor; /* turns the stand-ins below back into placeholders */
    mh_baseline_diff baseline;
    int has_baseline;
} mh_report_model;

/* Rebuilds the results of a report tree (as checked by mh_report_read).
 * Bodies and headers are the report's (redacted, possibly capped); U+0000
 * in them becomes a NUL byte again. The placeholders $MANTA_TOKEN,
 * $MANTA_JWT_KEY and $MANTA_SECRET in requests are swapped for private
 * stand-ins the model's redactor maps back, so the curl reproductions the
 * writers derive expand them from the environment as the originals did. A
 * case whose "operation" is not among those of the tree gets op NULL; a
 * skipped case gets its skip_reason and skip_pointer back.
 * On success *out is a new model (mh_report_model_free). MH_ERR_NOMEM. */
mh_status mh_report_model_from_json(const cJSON *doc, mh_report_model **out, mh_error *err);

/* Frees m and everything it owns. NULL is a no-op. */
void mh_report_model_free(mh_report_model *m);

#endif
