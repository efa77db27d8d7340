/* bundle.c — external $refs grafted into the root document (bundle.h). */
#include "spec/bundle.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/fileio.h"
#include "manta/json_strict.h"
#include "manta/yaml.h"
#include "util/buf.h"
#include "util/jsonptr.h"

/* Largest referenced file read. */
#define MAX_FILE_BYTES (64u * 1024u * 1024u)

typedef struct {
    mh__bundle_files *files;
    cJSON **trees; /* trees[i]: files->paths[i], not yet grafted */
    mh__buf trees_buf;
    mh__buf paths_buf; /* char *[]: files->paths points into it while bundling */
    mh_error *err;
    const char *root_path;
    char root_canon[PATH_MAX]; /* "" when the root is not a file */
    mh__fetch_fn fetch;        /* set: documents are URLs, read with it */
    void *fetch_ctx;
} bundler;

static int is_remote(const char *ref)
{
    if (strncmp(ref, "//", 2) == 0)
        return 1;
    for (const char *p = ref; *p && *p != '/' && *p != '#'; p++)
        if (p[0] == ':' && p[1] == '/' && p[2] == '/')
            return 1;
    return strncmp(ref, "http:", 5) == 0 || strncmp(ref, "https:", 6) == 0;
}

/* The folder of path with a trailing slash ("" for a bare name, NULL path). */
static char *folder_of(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    size_t n = slash ? (size_t)(slash - path) + 1 : 0;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

/* A bad reference, located at its $ref member (at is the object's pointer). */
static mh_status ref_error(bundler *b, const char *doc, const char *at, const char *fmt,
                           const char *ref)
{
    mh_error_set(b->err, MH_ERR_REF, fmt, ref);
    mh_error_at_file(b->err, doc ? doc : "", 0, 0, -1);
    char *member = mh__jsonptr_append(at, "$ref");
    mh_error_at_pointer(b->err, member ? member : at);
    free(member);
    return MH_ERR_REF;
}

/* Index (1-based) of the file at canonical path canon, loading it when it
 * is new. 0 on failure (err set). */
static size_t file_index(bundler *b, const char *canon, const char *shown)
{
    for (size_t i = 0; i < b->files->count; i++)
        if (strcmp(b->files->paths[i], canon) == 0)
            return i + 1;
    if (b->files->count >= MH__BUNDLE_MAX_FILES) {
        mh_error_set(b->err, MH_ERR_REF, "more than %d referenced files", MH__BUNDLE_MAX_FILES);
        return 0;
    }
    char *buf = NULL;
    size_t len = 0;
    if (b->fetch) {
        if (b->fetch(b->fetch_ctx, canon, &buf, &len, b->err) != MH_OK) {
            char why[sizeof b->err->message];
            snprintf(why, sizeof why, "%s", b->err ? b->err->message : "");
            mh_error_set(b->err, MH_ERR_REF, "cannot fetch referenced document %s: %s", canon, why);
            return 0;
        }
    } else if (mh_file_read(canon, MAX_FILE_BYTES, &buf, &len, b->err) != MH_OK) {
        mh_error_set(b->err, MH_ERR_REF, "cannot read referenced file %s: %s", shown,
                     strerror(errno));
        return 0;
    }
    cJSON *tree = NULL;
    mh_status st = mh_document_parse(buf, len, canon, &tree, b->err);
    free(buf);
    if (st != MH_OK)
        return 0;
    char *copy = strdup(canon);
    mh__buf_add(&b->trees_buf, &tree, sizeof tree);
    mh__buf_add(&b->paths_buf, &copy, sizeof copy);
    if (!copy || b->trees_buf.failed || b->paths_buf.failed) {
        free(copy);
        cJSON_Delete(tree);
        mh_error_set(b->err, MH_ERR_NOMEM, "out of memory");
        return 0;
    }
    b->trees = (cJSON **)(void *)b->trees_buf.p;
    b->files->paths = (char **)(void *)b->paths_buf.p;
    return ++b->files->count;
}

/* "#/x-manta-bundle/<k><fragment>" as a new string; NULL on OOM. */
static char *bundled_ref(size_t k, const char *fragment)
{
    mh__buf out = MH__BUF_INIT;
    if (k)
        mh__buf_addf(&out, "#/%s/%zu%s", MH__BUNDLE_MEMBER, k, fragment);
    else
        mh__buf_addf(&out, "#%s", fragment);
    return mh__buf_take(&out, NULL);
}

/* The canonical path of the file a $ref names (r[0..flen)), relative to the
 * folder of doc_path; NULL when it cannot be resolved (errno set) or OOM. */
static char *resolve_file(const char *doc_path, const char *r, size_t flen, char *canon)
{
    char *dir = r[0] == '/' ? strdup("") : folder_of(doc_path);
    mh__buf joined = MH__BUF_INIT;
    if (dir) {
        mh__buf_adds(&joined, dir);
        mh__buf_add(&joined, r, flen);
    }
    free(dir);
    char *path = mh__buf_take(&joined, NULL);
    char *ok = path ? realpath(path, canon) : NULL;
    free(path);
    return ok;
}

int mh__is_http_url(const char *s)
{
    return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

/* Length of "scheme://authority" at the start of url. */
static size_t origin_len(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    return (size_t)(p - url) + strcspn(p, "/?#");
}

/* Removes "." and ".." segments from path (RFC 3986 5.2.4), in place; a ".."
 * never climbs above the root. */
static void remove_dots(char *path)
{
    char *out = path;
    for (const char *in = path; *in;) {
        const char *end = strchr(in + 1, '/');
        size_t n = end ? (size_t)(end - in) : strlen(in);
        if (n == 2 && in[1] == '.') {                        /* "/." */
        } else if (n == 3 && in[1] == '.' && in[2] == '.') { /* "/.." */
            while (out > path && *--out != '/')
                ;
        } else {
            memmove(out, in, n);
            out += n;
        }
        in += n;
    }
    if (out == path)
        *out++ = '/';
    *out = '\0';
}

/* The URL a relative reference r[0..flen) names from the document at base
 * (same scheme, host and port by construction); NULL on OOM. */
static char *resolve_url(const char *base, const char *r, size_t flen)
{
    size_t o = origin_len(base);
    mh__buf path = MH__BUF_INIT;
    if (r[0] == '/')
        mh__buf_add(&path, r, flen);
    else {
        const char *rest = base + o;
        size_t dir = strcspn(rest, "?#");
        while (dir && rest[dir - 1] != '/')
            dir--;
        mh__buf_add(&path, dir ? rest : "/", dir ? dir : 1);
        mh__buf_add(&path, r, flen);
    }
    char *p = mh__buf_take(&path, NULL);
    if (!p)
        return NULL;
    if (p[0] != '/') { /* always starts with '/' here; kept for safety */
        free(p);
        return NULL;
    }
    remove_dots(p);
    mh__buf url = MH__BUF_INIT;
    mh__buf_add(&url, base, o);
    mh__buf_adds(&url, p);
    free(p);
    return mh__buf_take(&url, NULL);
}

/* Rewrites the $ref member ref of obj, found in the file with index doc
 * (0 = the root) at pointer at, into a local pointer. */
static mh_status rewrite_ref(bundler *b, cJSON *obj, const cJSON *ref, size_t doc, const char *at)
{
    const char *doc_path = doc ? b->files->paths[doc - 1] : b->root_path;
    const char *r = ref->valuestring;
    if (is_remote(r))
        return ref_error(b, doc_path, at,
                         "remote $ref \"%.300s\" is not fetched: download it and refer to the file",
                         r);
    const char *hash = strchr(r, '#');
    const char *fragment = hash ? hash + 1 : "";
    if (*fragment && *fragment != '/')
        return ref_error(b, doc_path, at,
                         "$ref \"%.300s\": the part after # must be a JSON pointer", r);
    if (hash == r && doc == 0)
        return MH_OK; /* a local pointer of the root stays as it is */
    size_t target = doc;
    if (hash != r && b->fetch) { /* names another document at a URL */
        char *url = resolve_url(doc_path, r, hash ? (size_t)(hash - r) : strlen(r));
        if (!url)
            return mh_error_set(b->err, MH_ERR_NOMEM, "out of memory");
        target = strcmp(url, b->root_path) == 0 ? 0 : file_index(b, url, r);
        int root = strcmp(url, b->root_path) == 0;
        free(url);
        if (!target && !root) {
            if (b->err && !b->err->file[0]) {
                char *member = mh__jsonptr_append(at, "$ref");
                mh_error_at_file(b->err, doc_path ? doc_path : "", 0, 0, -1);
                mh_error_at_pointer(b->err, member ? member : at);
                free(member);
            }
            return b->err ? b->err->code : MH_ERR_REF;
        }
    } else if (hash != r) { /* names a file */
        char canon[PATH_MAX];
        if (!resolve_file(doc_path, r, hash ? (size_t)(hash - r) : strlen(r), canon))
            return ref_error(b, doc_path, at, "$ref \"%.300s\" names a file that cannot be read",
                             r);
        /* A reference back into the root document stays in the root. */
        target = strcmp(canon, b->root_canon) == 0 ? 0 : file_index(b, canon, r);
        if (!target && strcmp(canon, b->root_canon) != 0) { /* says where in that file */
            if (b->err && !b->err->file[0]) {
                char *member = mh__jsonptr_append(at, "$ref");
                mh_error_at_file(b->err, doc_path ? doc_path : "", 0, 0, -1);
                mh_error_at_pointer(b->err, member ? member : at);
                free(member);
            }
            return b->err ? b->err->code : MH_ERR_REF;
        }
    }
    char *local = bundled_ref(target, fragment);
    cJSON *fresh = local ? cJSON_CreateString(local) : NULL;
    free(local);
    if (!fresh || !cJSON_ReplaceItemInObjectCaseSensitive(obj, "$ref", fresh)) {
        cJSON_Delete(fresh);
        return mh_error_set(b->err, MH_ERR_NOMEM, "out of memory");
    }
    return MH_OK;
}

/* Rewrites every $ref below node (of file doc, at pointer at). */
static mh_status walk(bundler *b, cJSON *node, size_t doc, const char *at)
{
    const cJSON *ref = cJSON_IsObject(node) ? mh_json_get(node, "$ref") : NULL;
    if (cJSON_IsString(ref)) {
        mh_status st = rewrite_ref(b, node, ref, doc, at);
        if (st != MH_OK)
            return st;
    }
    size_t index = 0;
    for (cJSON *c = node->child; c; c = c->next, index++) {
        if (!cJSON_IsObject(c) && !cJSON_IsArray(c))
            continue;
        char *cat = cJSON_IsObject(node) ? mh__jsonptr_append(at, c->string)
                                         : mh__jsonptr_append_index(at, index);
        if (!cat)
            return mh_error_set(b->err, MH_ERR_NOMEM, "out of memory");
        mh_status st = walk(b, c, doc, cat);
        free(cat);
        if (st != MH_OK)
            return st;
    }
    return MH_OK;
}

/* Hangs every loaded file under root's x-manta-bundle member. */
static mh_status graft(bundler *b, cJSON *root)
{
    cJSON *holder = cJSON_CreateObject();
    if (!holder || !cJSON_AddItemToObject(root, MH__BUNDLE_MEMBER, holder)) {
        cJSON_Delete(holder);
        return mh_error_set(b->err, MH_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < b->files->count; i++) {
        char key[24];
        snprintf(key, sizeof key, "%zu", i + 1);
        cJSON_AddItemToObject(holder, key, b->trees[i]);
        b->trees[i] = NULL;
    }
    return MH_OK;
}

static mh_status bundle(bundler *pb, cJSON *root);

mh_status mh__bundle(cJSON *root, const char *root_path, mh__bundle_files *files, mh_error *err)
{
    memset(files, 0, sizeof *files);
    bundler b = {files, NULL, MH__BUF_INIT, MH__BUF_INIT, err, root_path, "", NULL, NULL};
    if (!root_path || !realpath(root_path, b.root_canon))
        b.root_canon[0] = '\0';
    return bundle(&b, root);
}

mh_status mh__bundle_url(cJSON *root, const char *root_url, mh__fetch_fn fetch, void *ctx,
                         mh__bundle_files *files, mh_error *err)
{
    memset(files, 0, sizeof *files);
    bundler b = {files, NULL, MH__BUF_INIT, MH__BUF_INIT, err, root_url, "", fetch, ctx};
    return bundle(&b, root);
}

/* Walks the root, then every document found while walking, and grafts them. */
static mh_status bundle(bundler *pb, cJSON *root)
{
    bundler b = *pb;
    mh__bundle_files *files = b.files;
    if (!cJSON_IsObject(root))
        return MH_OK;
    mh_status st = walk(&b, root, 0, "");
    /* Files found while walking files are appended: walk each once. */
    for (size_t i = 0; st == MH_OK && i < files->count; i++)
        st = walk(&b, b.trees[i], i + 1, "");
    if (st == MH_OK && files->count)
        st = graft(&b, root);
    for (size_t i = 0; i < files->count && b.trees; i++)
        cJSON_Delete(b.trees[i]);
    mh__buf_free(&b.trees_buf);
    files->paths = (char **)(void *)mh__buf_take(&b.paths_buf, NULL); /* owned by files now */
    if (st != MH_OK || (!files->paths && files->count))
        mh__bundle_files_free(files);
    return st;
}

void mh__bundle_files_free(mh__bundle_files *files)
{
    if (!files)
        return;
    for (size_t i = 0; files->paths && i < files->count; i++)
        free(files->paths[i]);
    free(files->paths);
    memset(files, 0, sizeof *files);
}

const char *mh__bundle_locate(const mh__bundle_files *files, const char *pointer, const char **file)
{
    static const char prefix[] = "/" MH__BUNDLE_MEMBER "/";
    *file = NULL;
    if (!pointer || strncmp(pointer, prefix, sizeof prefix - 1) != 0)
        return pointer;
    char *end;
    unsigned long k = strtoul(pointer + sizeof prefix - 1, &end, 10);
    if (k == 0 || k > files->count || (*end && *end != '/'))
        return pointer;
    *file = files->paths[k - 1];
    return end;
}

void mh__bundle_rename(const mh__bundle_files *files, char *msg, size_t cap)
{
    static const char prefix[] = "#/" MH__BUNDLE_MEMBER "/";
    mh__buf out = MH__BUF_INIT;
    const char *p = msg;
    for (const char *hit; (hit = strstr(p, prefix)) != NULL;) {
        char *end;
        unsigned long k = strtoul(hit + sizeof prefix - 1, &end, 10);
        mh__buf_add(&out, p, (size_t)(hit - p));
        if (k == 0 || k > files->count) {
            mh__buf_add(&out, hit, (size_t)(end - hit));
        } else {
            mh__buf_adds(&out, files->paths[k - 1]);
            mh__buf_adds(&out, "#");
        }
        p = end;
    }
    if (p == msg)
        return; /* nothing to rename */
    mh__buf_adds(&out, p);
    char *text = mh__buf_take(&out, NULL);
    if (text)
        snprintf(msg, cap, "%s", text);
    free(text);
}
