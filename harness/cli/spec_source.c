/* spec_source.c — --spec as a file or an http(s) URL (spec_source.h). The
 * fetch goes through the engine's transport, so TLS verification, no
 * redirects and the size cap are the run's own rules. */
#include "spec_source.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manta/transport.h"

#define MAX_SPEC_BYTES (64u * 1024u * 1024u)

static int is_url(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* Splits url into its origin ("scheme://host:port", new string) and the
 * request target ("/path?query", pointing into url). NULL on OOM. */
static char *split_origin(const char *url, const char **target)
{
    const char *host = strstr(url, "://") + 3;
    size_t n = (size_t)(host - url) + strcspn(host, "/?#");
    char *origin = malloc(n + 1);
    if (origin) {
        memcpy(origin, url, n);
        origin[n] = '\0';
    }
    *target = url[n] ? url + n : "/";
    return origin;
}

/* mh_spec_fetch_fn over the transport: one GET, 200 only. */
static mh_status fetch(void *ctx, const char *url, char **buf, size_t *len, mh_error *err)
{
    const mh_cli_fetch_opts *o = ctx;
    const char *target;
    char *origin = split_origin(url, &target);
    char *path = strndup(target, strcspn(target, "#"));
    mh_transport_opts to;
    mh_transport_opts_default(&to);
    to.base_url = origin;
    to.cacert = o ? o->cacert : NULL;
    to.insecure = o ? o->insecure : 0;
    if (o && o->timeout_ms > 0)
        to.timeout_ms = o->timeout_ms;
    to.max_response_bytes = MAX_SPEC_BYTES;
    to.concurrency = 1;
    mh_transport *t = NULL;
    mh_case *c = mh_case_new();
    mh_exchange x;
    memset(&x, 0, sizeof x);
    mh_status st = origin && path && c ? mh_transport_new(&to, &t, err)
                                       : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    if (st == MH_OK) {
        c->method = strdup("GET");
        c->target = path;
        path = NULL;
        st = c->method && !mh_case_add_header(c, "Accept",
                                              "application/yaml, application/json;q=0.9, */*;q=0.5")
                 ? mh_transport_send_one(t, c, &x, err)
                 : mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    }
    if (st == MH_OK && (x.error != MH_XFER_OK || x.status != 200))
        st = x.error != MH_XFER_OK
                 ? mh_error_set(err, MH_ERR_IO, "cannot fetch %s: %s: %.200s", url,
                                mh_xfer_error_name(x.error), x.error_text ? x.error_text : "")
                 : mh_error_set(err, MH_ERR_IO, "cannot fetch %s: HTTP status %d (need 200)", url,
                                x.status);
    if (st == MH_OK) {
        *buf = x.body;
        *len = x.body_len;
        x.body = NULL;
    }
    mh_exchange_clear(&x);
    mh_case_free(c);
    mh_transport_free(t);
    free(path);
    free(origin);
    return st;
}

mh_status mh_cli_spec_load(const char *spec, const mh_cli_fetch_opts *o, mh_spec **out,
                           mh_error *err)
{
    if (!is_url(spec))
        return mh_spec_load(spec, out, err);
    return mh_spec_load_url(spec, fetch, (void *)o, out, err);
}
