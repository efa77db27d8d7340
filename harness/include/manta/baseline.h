/* baseline.h — known findings, so a gate fails only on what is new.
 *
 * A baseline is the set of (operation, case id, check) triples a run
 * produced, kept in a small JSON file meant to be committed and reviewed in
 * pull requests. It is keyed by operation, case id and check name only —
 * never by message text, status or timing — so the same behaviour of the
 * target always gives the same file:
 *
 *   {
 *     "tool": "manta-harness",
 *     "version": 1,
 *     "findings": [
 *       {"operation": "POST /openapi/personalTag", "case": "malformed/name-wrong-type-number",
 *        "check": CHECK},
 *       {"operation": "POST /openapi/personalTag", "case": "valid/ascii", "check": CHECK}
 *     ]
 *   }
 *
 * where each CHECK is a check name of the catalogue (check_list.h) as a
 * JSON string: the file keeps names, so it reads well in a review. The
 * operation is the case's "METHOD /path" (mh_case_operation): case ids are
 * unique only within their operation. An entry without "operation" (a file
 * written before operations were recorded, when the harness tested one
 * operation) matches that case id in any operation.
 *
 * Entries are sorted by operation, case, then check (byte order; no
 * operation first) and unique, one per line, so a diff of the file reads
 * as "this finding appeared / went away". Several findings of one check on
 * one case (e.g. schema violations at different JSON pointers) are one
 * entry. Warnings are recorded like errors.
 *
 * Applying a baseline to a run's results marks each finding known (listed)
 * or new, and lists the fixed entries: listed, but the case ran to a
 * conclusion and the check no longer fires. Entries whose case is not among
 * the results or did not conclude (another shard's, a suite not selected,
 * --max-cases, inconclusive, skipped) are neither fixed nor new: a shard
 * never calls its siblings' entries fixed.
 *
 * Exit policy (mh_baseline_run_failed): a run fails on a new error-severity
 * finding or an inconclusive case; skipped cases and known findings never
 * fail it; fixed entries fail it only in strict mode (--strict-baseline).
 *
 * Ownership: mh_baseline and mh_baseline_diff own all their strings; free
 * them with mh_baseline_free / mh_baseline_diff_clear (NULL-safe).
 */
#ifndef MANTA_BASELINE_H
#define MANTA_BASELINE_H

#include <stddef.h>
#include <stdio.h>

#include "manta/error.h"
#include "manta/model.h"

/* Format version written in and required from baseline files. */
#define MH_BASELINE_VERSION 1

typedef struct {
    char *operation; /* "POST /openapi/personalTag"; NULL = any operation (older files) */
    char *case_id;   /* "malformed/name-wrong-type-number" */
    char *check;     /* a check name (check_list.h) */
} mh_baseline_entry;

typedef struct mh_baseline {
    mh_baseline_entry *entries; /* sorted by operation, case_id, check; unique */
    size_t count;
} mh_baseline;

typedef struct mh_baseline_diff {
    size_t new_findings;      /* findings not listed (each finding counted) */
    size_t new_errors;        /* of those, error severity */
    size_t known_findings;    /* findings listed in the baseline */
    mh_baseline_entry *fixed; /* listed, case concluded, check silent; sorted */
    size_t fixed_count;
} mh_baseline_diff;

/* Reads a baseline file strictly (json_strict.h). On success *out is a new
 * baseline the caller frees with mh_baseline_free; entries are sorted and
 * deduplicated whatever the file's order. Errors (*out untouched):
 * MH_ERR_IO when unreadable; MH_ERR_JSON when not strict JSON (err->file,
 * line and column set, message names the rule) or when the shape is wrong
 * (not an object, "tool" not "manta-harness", "version" not 1, "findings"
 * not an array of {"case": string, "check": string} with an optional
 * "operation": string, or a "check" that is not a check of the catalogue,
 * check_list.h; err->pointer names the offending member). Unknown extra
 * members are ignored, for forward compatibility. */
mh_status mh_baseline_load(const char *path, mh_baseline **out, mh_error *err);

/* Parses a baseline from memory; name is used in error locations. Same
 * contract as mh_baseline_load. */
mh_status mh_baseline_parse(const char *buf, size_t len, const char *name, mh_baseline **out,
                            mh_error *err);

/* Frees b and its entries. NULL is a no-op. */
void mh_baseline_free(mh_baseline *b);

/* Builds the baseline of results[0..n): one entry per (operation, case,
 * check) with at least one finding; the operation is mh_case_operation's
 * (none when that is ""). Caller frees with mh_baseline_free. MH_ERR_NOMEM. */
mh_status mh_baseline_from_results(const mh_result *results, size_t n, mh_baseline **out,
                                   mh_error *err);

/* Writes b in the documented format to f. MH_ERR_IO on a write error. */
mh_status mh_baseline_print(const mh_baseline *b, FILE *f, mh_error *err);

/* Records the findings of results[0..n) as the baseline file at path,
 * atomically (path.tmp then rename; missing parent directories are not
 * created). MH_ERR_IO names the path; MH_ERR_NOMEM. */
mh_status mh_baseline_write(const char *path, const mh_result *results, size_t n, mh_error *err);

/* Marks every finding of results[0..n) known (1) or new (0) against b and
 * fills *diff (which the caller clears with mh_baseline_diff_clear). Only
 * findings' known flags change. MH_ERR_NOMEM leaves *diff empty. */
mh_status mh_baseline_apply(const mh_baseline *b, mh_result *results, size_t n,
                            mh_baseline_diff *diff, mh_error *err);

/* Frees the fixed list and zeroes d. NULL is a no-op. */
void mh_baseline_diff_clear(mh_baseline_diff *d);

/* 1 when r alone fails a gate that honours known findings: it has an
 * error-severity finding not marked known, or it is inconclusive. A
 * skipped case never fails it. Without a
 * baseline applied no finding is known, so this is the plain exit rule. */
int mh_baseline_outcome_failed(const mh_result *r);

/* 1 when the whole run fails the gate: some result fails
 * (mh_baseline_outcome_failed), or strict and diff lists fixed entries.
 * diff may be NULL (no baseline). */
int mh_baseline_run_failed(const mh_result *results, size_t n, const mh_baseline_diff *diff,
                           int strict);

#endif
