/* spec_source.h — where --spec comes from: a file, or an http(s) URL fetched
 * once with the run's TLS options. CLI-only. */
#ifndef MH_CLI_SPEC_SOURCE_H
#define MH_CLI_SPEC_SOURCE_H

#include "manta/spec.h"

typedef struct {
    const char *cacert; /* --cacert, NULL = system CAs */
    int insecure;       /* --insecure */
    long timeout_ms;    /* --timeout for each fetch; 0 = 10000 */
} mh_cli_fetch_opts;

/* Loads the document named by spec: mh_spec_load for a path, mh_spec_load_url
 * for an http:// or https:// URL (fetched with o's TLS settings and timeout,
 * redirects not followed, at most 64 MiB, status 200 only; its relative
 * $refs fetched the same way from the same origin). o may be NULL. Same
 * ownership and errors as those two. */
mh_status mh_cli_spec_load(const char *spec, const mh_cli_fetch_opts *o, mh_spec **out,
                           mh_error *err);

#endif
