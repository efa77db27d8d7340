/* transport.h — sends cases over HTTP(S) exactly as generated (libcurl multi).
 *
 * A transport owns one libcurl multi handle (and with it a connection cache,
 * so keep-alive connections are reused across cases and across runs) plus one
 * easy handle per concurrency slot. It is not thread-safe: use one transport
 * per thread.
 *
 * What goes out is the case, byte for byte where HTTP allows it:
 *  - the request line is "<method> <base path><target> HTTP/1.1"; the target
 *    is sent verbatim (CURLOPT_REQUEST_TARGET), so empty or repeated query
 *    parameters, dot segments and odd escapes survive untouched;
 *  - the case's headers follow Host in the case's order; libcurl's default
 *    Content-Type (form-urlencoded) and Expect: 100-continue are suppressed
 *    unless the case sets them; libcurl's "Accept: * / *" is only sent when the
 *    case has no Accept of its own; no User-Agent or Accept-Encoding is added;
 *  - a body (may hold NULs) is sent with Content-Length; a NULL body means no
 *    body: POST, PUT and PATCH then carry "Content-Length: 0", other methods
 *    carry no length at all; HEAD never carries a body.
 * Redirects are never followed, only http and https are allowed, TLS
 * verification is on unless insecure, HTTP/1.1 is used throughout.
 */
#ifndef MANTA_TRANSPORT_H
#define MANTA_TRANSPORT_H

#include <signal.h>
#include <stddef.h>

#include "manta/error.h"
#include "manta/model.h"

typedef struct {
    const char *base_url;      /* "http://127.0.0.1:8080/api"; borrowed, copied by _new */
    long timeout_ms;           /* whole exchange of one attempt; default 10000 */
    long connect_timeout_ms;   /* 0 = min(timeout_ms, 3000) (the default) */
    size_t max_response_bytes; /* body cap, default 1 MiB; over it → MH_XFER_TOO_LARGE */
    int concurrency;           /* requests in flight, default 4 */
    double rate_limit;         /* request starts per second across all slots; 0 = unlimited */
    const char *cacert;        /* CA bundle file, NULL = system default; copied by _new */
    int insecure;              /* 1 = skip TLS peer and host verification */
    int max_429_retries;       /* default 3 */
    long max_retry_wait_ms;    /* cap on one Retry-After / backoff wait, default 5000 */
} mh_transport_opts;

/* Fills o with the defaults above (base_url NULL). This function can't fail. */
void mh_transport_opts_default(mh_transport_opts *o);

typedef struct mh_transport mh_transport;

/* Creates a transport. Validates the options: base_url must be http or https
 * with a host and without query, fragment or user info (MH_ERR_USAGE naming
 * --base-url), numbers must be in range (MH_ERR_USAGE naming the flag). On
 * failure *out is left untouched. Free with mh_transport_free. */
mh_status mh_transport_new(const mh_transport_opts *o, mh_transport **out, mh_error *err);

/* Frees the transport and closes its connections. NULL is a no-op. */
void mh_transport_free(mh_transport *t);

/* Called once per finished case, in completion order, on the calling thread.
 * index is the case's position in the array given to mh_transport_run. The
 * contents of *x are moved to the callee, which must mh_exchange_clear them
 * eventually; *x itself is only valid during the call.
 *
 * The exchange: error is MH_XFER_OK when a complete HTTP answer arrived (any
 * status); otherwise error_text holds libcurl's message (never headers, so
 * never a token) and status/headers/body hold whatever part of the answer had
 * arrived (status 0 when none). Headers are those of the final response only
 * (a 100 Continue's are dropped). body is NUL-terminated, at most
 * max_response_bytes long. elapsed_ms is that of the last attempt; attempts is
 * 1 + the number of 429 retries; rate_limited is 1 when the answer is still
 * 429 after max_429_retries retries. */
typedef void (*mh_transport_done_fn)(void *ctx, size_t index, mh_exchange *x);

/* Sends cases[0..n) keeping up to concurrency requests in flight, starting
 * them in array order, spaced by rate_limit. A 429 answer is retried after
 * Retry-After (delta-seconds; an HTTP-date counts as 1 s) or an exponential
 * backoff, each wait capped at max_retry_wait_ms; waiting never blocks the
 * other slots. Returns when every case was reported, or as soon as *stop
 * (may be NULL; polled at least every 50 ms) becomes nonzero: cases not yet
 * started are then not reported, cases in flight or waiting for a retry are
 * aborted and reported with MH_XFER_OTHER "interrupted".
 * The cases are borrowed and must stay unchanged until the call returns.
 * Returns MH_OK (also when stopped), MH_ERR_NOMEM or MH_ERR_INTERNAL (libcurl
 * multi failure; cases in flight are then reported as interrupted too). */
mh_status mh_transport_run(mh_transport *t, mh_case *const *cases, size_t n,
                           mh_transport_done_fn done, void *ctx, volatile sig_atomic_t *stop,
                           mh_error *err);

/* Sends one case and waits for its exchange, which the caller owns (clear
 * with mh_exchange_clear). *x is zeroed first. Returns as mh_transport_run. */
mh_status mh_transport_send_one(mh_transport *t, const mh_case *c, mh_exchange *x, mh_error *err);

/* The request target put on the request line for a case target: the base
 * URL's path (trailing slashes dropped) followed by target verbatim. Returns
 * a new string the caller frees, NULL on OOM. Exposed so the runner can show
 * exactly what is sent (--list-cases) and for tests. */
char *mh_transport_request_target(const mh_transport *t, const char *target);

#endif
