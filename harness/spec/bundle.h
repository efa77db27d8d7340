/* bundle.h — $refs to other files, resolved once at load (harness/spec/ only).
 *
 * A document may refer to schemas, parameters or whole path items in other
 * files ("schemas.yaml#/Pet", "./common/errors.json"). mh__bundle reads each
 * referenced file once (JSON or YAML, decided by content), resolving its path
 * from the folder of the file that names it, grafts it into the root document
 * under /x-manta-bundle/<n>, and rewrites every $ref, in the root and in the
 * grafted files, into a local pointer. After it the rest of the engine sees
 * one document with local pointers only, so cycles across files are the
 * ordinary $ref cycles the schema compiler already detects.
 *
 * Remote references (http:, https:, any "scheme://", "//host") are never
 * fetched: MH_ERR_REF naming the reference and its pointer.
 */
#ifndef MH_SPEC_BUNDLE_H
#define MH_SPEC_BUNDLE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "manta/error.h"

/* Where the bundled files went: paths[i] is the file grafted at
 * /x-manta-bundle/<i+1>. */
typedef struct {
    char **paths;
    size_t count;
} mh__bundle_files;

#define MH__BUNDLE_MEMBER "x-manta-bundle"
/* Most files one document may pull in. */
#define MH__BUNDLE_MAX_FILES 1000

/* Bundles every external $ref of root (loaded from root_path, which may be
 * NULL for a document that came from memory: relative references then
 * resolve from the current folder). On success root holds the grafted files
 * and *files lists them (free with mh__bundle_files_free). On failure root
 * may be partly rewritten (the caller discards it) and err says which
 * reference, where (file and JSON pointer) and why: MH_ERR_REF for remote or
 * unreadable references and too many files, the parser's status for a
 * referenced file that does not parse, MH_ERR_NOMEM. */
mh_status mh__bundle(cJSON *root, const char *root_path, mh__bundle_files *files, mh_error *err);

/* Reads the document at an http(s) URL (spec.h's mh_spec_fetch_fn). */
typedef mh_status (*mh__fetch_fn)(void *ctx, const char *url, char **buf, size_t *len,
                                  mh_error *err);

/* mh__bundle for a root document that came from root_url: relative
 * references resolve against the referring document's URL (dot segments
 * removed), so they stay on its scheme, host and port, and are fetched with
 * fetch; every other rule is mh__bundle's. */
mh_status mh__bundle_url(cJSON *root, const char *root_url, mh__fetch_fn fetch, void *ctx,
                         mh__bundle_files *files, mh_error *err);

/* 1 when s starts with "http://" or "https://" (case-insensitive). */
int mh__is_http_url(const char *s);

void mh__bundle_files_free(mh__bundle_files *files);

/* Maps a pointer into the bundled document back to its file: for
 * "/x-manta-bundle/2/components/schemas/Pet" stores files->paths[1] in *file
 * and returns the rest ("/components/schemas/Pet", borrowed from pointer).
 * Returns pointer itself (and *file NULL) for a pointer into the root. */
const char *mh__bundle_locate(const mh__bundle_files *files, const char *pointer,
                              const char **file);

/* Rewrites, in place, every "#/x-manta-bundle/<n>" inside the message text
 * msg (capacity cap) as "<file>#", so messages name files, not the graft. */
void mh__bundle_rename(const mh__bundle_files *files, char *msg, size_t cap);

#endif
