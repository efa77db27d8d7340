#include "manta/transport.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"

/* Header bytes kept per answer; beyond this the answer counts as too large. */
#define MAX_HEADER_BYTES (256 * 1024)
/* Longest sleep in the multi loop, so a stop flag is seen quickly. */
#define POLL_SLICE_MS 50
/* First backoff wait after a 429 without Retry-After; doubles per attempt. */
#define BACKOFF_BASE_MS 200

typedef enum { SLOT_FREE = 0, SLOT_RUNNING, SLOT_WAITING } slot_state;

typedef struct {
    CURL *easy;
    struct curl_slist *hdrs;
    char *request_target;
    char errbuf[CURL_ERROR_SIZE];
    slot_state state;
    size_t index;
    const mh_case *kase;
    int64_t not_before_ms; /* SLOT_WAITING: when the retry may start */
    mh_exchange x;         /* the attempt being received */
    mh__buf body;          /* the answer body as it arrives (capped at max_body);
                              handed to x.body when the exchange finishes */
    size_t header_bytes;
    size_t max_body;
    int too_large;
    int oom;
} slot;

struct mh_transport {
    mh_transport_opts o;
    char *base_url;
    char *cacert;
    char *origin;    /* "http://host:port/" — the URL libcurl connects to */
    char *base_path; /* "/api" or "" — prefix of every request target */
    CURLM *multi;
    slot *slots;
    int nslots;
    int64_t next_start_ms; /* rate limit: earliest next request start */
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_OK;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void mh_transport_opts_default(mh_transport_opts *o)
{
    memset(o, 0, sizeof *o);
    o->timeout_ms = 10000;
    o->connect_timeout_ms = 0;
    o->max_response_bytes = 1024 * 1024;
    o->concurrency = 4;
    o->rate_limit = 0;
    o->max_429_retries = 3;
    o->max_retry_wait_ms = 5000;
}

/* ---- options and base URL ---------------------------------------------- */

static mh_status check_numbers(const mh_transport_opts *o, mh_error *err)
{
    if (o->timeout_ms <= 0)
        return mh_error_set(err, MH_ERR_USAGE, "--timeout: must be a positive number of ms");
    if (o->connect_timeout_ms < 0)
        return mh_error_set(err, MH_ERR_USAGE, "connect timeout: must not be negative");
    if (o->max_response_bytes == 0)
        return mh_error_set(err, MH_ERR_USAGE, "--max-response-bytes: must be positive");
    if (o->concurrency < 1 || o->concurrency > 1024)
        return mh_error_set(err, MH_ERR_USAGE, "--concurrency: must be between 1 and 1024");
    if (!(o->rate_limit >= 0) || o->rate_limit > 1e6)
        return mh_error_set(err, MH_ERR_USAGE, "--rate-limit: must be 0 (unlimited) or positive");
    if (o->max_429_retries < 0 || o->max_429_retries > 100)
        return mh_error_set(err, MH_ERR_USAGE, "429 retries: must be between 0 and 100");
    if (o->max_retry_wait_ms < 0)
        return mh_error_set(err, MH_ERR_USAGE, "retry wait: must not be negative");
    return MH_OK;
}

/* Splits base_url into origin and path prefix (trailing slash dropped). */
static mh_status parse_base(mh_transport *t, mh_error *err)
{
    const char *u = t->o.base_url;
    if (!u || !*u)
        return mh_error_set(err, MH_ERR_USAGE, "--base-url: missing URL");
    CURLU *h = curl_url();
    if (!h)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    mh_status st = MH_ERR_USAGE;
    char *scheme = NULL, *part = NULL, *path = NULL;
    if (curl_url_set(h, CURLUPART_URL, u, CURLU_PATH_AS_IS | CURLU_NON_SUPPORT_SCHEME)) {
        mh_error_set(err, st, "--base-url: not a valid URL");
        goto done;
    }
    if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) ||
        (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)) {
        mh_error_set(err, st, "--base-url: scheme must be http or https");
        goto done;
    }
    if (!curl_url_get(h, CURLUPART_QUERY, &part, 0) ||
        !curl_url_get(h, CURLUPART_FRAGMENT, &part, 0) || strchr(u, '?') || strchr(u, '#')) {
        mh_error_set(err, st, "--base-url: must not have a query or fragment");
        goto done;
    }
    if (!curl_url_get(h, CURLUPART_USER, &part, 0)) {
        mh_error_set(err, st, "--base-url: must not contain user info");
        goto done;
    }
    if (curl_url_get(h, CURLUPART_PATH, &path, 0)) {
        mh_error_set(err, st, "--base-url: not a valid URL");
        goto done;
    }
    st = MH_ERR_NOMEM;
    size_t pl = strlen(path);
    while (pl > 0 && path[pl - 1] == '/')
        pl--;
    t->base_path = strndup(path, pl);
    if (!t->base_path || curl_url_set(h, CURLUPART_PATH, "/", 0) ||
        curl_url_get(h, CURLUPART_URL, &t->origin, 0)) {
        mh_error_set(err, st, "out of memory");
        goto done;
    }
    st = MH_OK;
done:
    curl_free(scheme);
    curl_free(part);
    curl_free(path);
    curl_url_cleanup(h);
    return st;
}

static void free_fields(mh_transport *t)
{
    if (t->slots) {
        for (int i = 0; i < t->nslots; i++) {
            if (t->slots[i].easy)
                curl_easy_cleanup(t->slots[i].easy);
            curl_slist_free_all(t->slots[i].hdrs);
            free(t->slots[i].request_target);
            mh_exchange_clear(&t->slots[i].x);
            mh__buf_free(&t->slots[i].body);
        }
    }
    if (t->multi)
        curl_multi_cleanup(t->multi);
    free(t->slots);
    free(t->base_url);
    free(t->cacert);
    curl_free(t->origin);
    free(t->base_path);
}

mh_status mh_transport_new(const mh_transport_opts *o, mh_transport **out, mh_error *err)
{
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK)
        return mh_error_set(err, MH_ERR_INTERNAL, "libcurl initialisation failed");
    mh_status st = check_numbers(o, err);
    if (st != MH_OK)
        return st;
    mh_transport *t = calloc(1, sizeof *t);
    if (!t)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    t->o = *o;
    if ((st = parse_base(t, err)) != MH_OK)
        goto fail;
    st = mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    t->base_url = strdup(o->base_url);
    t->cacert = o->cacert ? strdup(o->cacert) : NULL;
    t->nslots = o->concurrency;
    t->slots = calloc((size_t)t->nslots, sizeof *t->slots);
    t->multi = curl_multi_init();
    if (!t->base_url || (o->cacert && !t->cacert) || !t->slots || !t->multi)
        goto fail;
    t->o.base_url = t->base_url;
    t->o.cacert = t->cacert;
    if (t->o.connect_timeout_ms == 0)
        t->o.connect_timeout_ms = t->o.timeout_ms < 3000 ? t->o.timeout_ms : 3000;
    for (int i = 0; i < t->nslots; i++)
        if (!(t->slots[i].easy = curl_easy_init()))
            goto fail;
    curl_multi_setopt(t->multi, CURLMOPT_MAXCONNECTS, (long)t->nslots);
    curl_multi_setopt(t->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)t->nslots);
    mh_error_clear(err);
    *out = t;
    return MH_OK;
fail:
    free_fields(t);
    free(t);
    return st;
}

void mh_transport_free(mh_transport *t)
{
    if (!t)
        return;
    free_fields(t);
    free(t);
}

char *mh_transport_request_target(const mh_transport *t, const char *target)
{
    const char *bp = t->base_path;
    size_t bl = strlen(bp), tl = strlen(target);
    if (bl > 0 && target[0] == '/' && bp[bl - 1] == '/')
        bl--;
    char *s = malloc(bl + tl + 1);
    if (!s)
        return NULL;
    memcpy(s, bp, bl);
    memcpy(s + bl, target, tl + 1);
    return s;
}

/* ---- receiving ----------------------------------------------------------- */

/* Keeps at most max_body bytes; a short count makes libcurl abort the
 * transfer, so an oversized answer is never buffered beyond the cap. */
static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    slot *s = ud;
    size_t n = size * nmemb;
    size_t room = s->max_body - s->body.len;
    size_t take = n <= room ? n : room;
    mh__buf_add(&s->body, p, take);
    if (s->body.failed) {
        s->oom = 1;
        return 0;
    }
    if (take < n) {
        s->too_large = 1;
        return 0;
    }
    return n;
}

static void clear_headers(mh_exchange *x)
{
    for (size_t i = 0; i < x->header_count; i++) {
        free(x->headers[i].name);
        free(x->headers[i].value);
    }
    free(x->headers);
    x->headers = NULL;
    x->header_count = 0;
}

static size_t trimmed_len(const char *p, size_t n)
{
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return n;
}

/* Appends a folded continuation line to the previous header's value. */
static int fold_header(mh_exchange *x, const char *p, size_t n)
{
    if (x->header_count == 0)
        return 0;
    while (n > 0 && (*p == ' ' || *p == '\t'))
        p++, n--;
    mh_header *h = &x->headers[x->header_count - 1];
    size_t vl = strlen(h->value);
    char *v = realloc(h->value, vl + 1 + n + 1);
    if (!v)
        return -1;
    v[vl] = ' ';
    memcpy(v + vl + 1, p, n);
    v[vl + 1 + n] = '\0';
    h->value = v;
    return 0;
}

static int add_header(mh_exchange *x, const char *p, size_t n)
{
    const char *colon = memchr(p, ':', n);
    if (!colon)
        return 0; /* not a header line; nothing to keep */
    const char *v = colon + 1;
    size_t vl = n - (size_t)(v - p);
    while (vl > 0 && (*v == ' ' || *v == '\t'))
        v++, vl--;
    mh_header *hs = realloc(x->headers, (x->header_count + 1) * sizeof *hs);
    if (!hs)
        return -1;
    x->headers = hs;
    char *name = strndup(p, (size_t)(colon - p)), *value = strndup(v, vl);
    if (!name || !value) {
        free(name);
        free(value);
        return -1;
    }
    hs[x->header_count].name = name;
    hs[x->header_count].value = value;
    x->header_count++;
    return 0;
}

/* Keeps the reason phrase of a status line ("HTTP/1.1 200 OK" -> "OK"): it
 * is part of the answer's head, so the secret checks look at it too. */
static int keep_reason(mh_exchange *x, const char *p, size_t n)
{
    free(x->reason);
    x->reason = NULL;
    const char *end = p + n, *sp = memchr(p, ' ', n);
    sp = sp ? memchr(sp + 1, ' ', (size_t)(end - sp - 1)) : NULL;
    if (!sp || sp + 1 >= end)
        return 0;
    x->reason = strndup(sp + 1, (size_t)(end - sp - 1));
    return x->reason ? 0 : -1;
}

/* Collects the header lines of the final response: a status line starts a new
 * response (after a 1xx), so the previous one's headers are dropped. */
static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    slot *s = ud;
    size_t n = size * nmemb;
    s->header_bytes += n;
    if (s->header_bytes > MAX_HEADER_BYTES) {
        s->too_large = 1;
        return 0;
    }
    if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
        clear_headers(&s->x);
        if (keep_reason(&s->x, p, trimmed_len(p, n)) != 0) {
            s->oom = 1;
            return 0;
        }
        return n;
    }
    size_t len = trimmed_len(p, n);
    if (len == 0)
        return n;
    int rc = (p[0] == ' ' || p[0] == '\t') ? fold_header(&s->x, p, len) : add_header(&s->x, p, len);
    if (rc != 0) {
        s->oom = 1;
        return 0;
    }
    return n;
}

/* ---- sending --------------------------------------------------------------- */

static int case_has_header(const mh_case *c, const char *name)
{
    for (size_t i = 0; i < c->header_count; i++)
        if (strcasecmp(c->headers[i].name, name) == 0)
            return 1;
    return 0;
}

static int append_header(struct curl_slist **l, const char *name, const char *value)
{
    size_t nl = strlen(name), vl = strlen(value);
    char *line = malloc(nl + vl + 3);
    if (!line)
        return -1;
    /* "Name;" is libcurl's spelling of a header with an empty value ("Name:"
     * would remove the header instead). */
    if (vl == 0)
        snprintf(line, nl + 3, "%s;", name);
    else
        snprintf(line, nl + vl + 3, "%s: %s", name, value);
    struct curl_slist *n = curl_slist_append(*l, line);
    free(line);
    if (!n)
        return -1;
    *l = n;
    return 0;
}

static struct curl_slist *build_headers(const mh_case *c)
{
    struct curl_slist *l = NULL;
    for (size_t i = 0; i < c->header_count; i++)
        if (append_header(&l, c->headers[i].name, c->headers[i].value) != 0)
            goto fail;
    /* "Name:" with nothing after it removes a header libcurl would add. */
    if (!case_has_header(c, "Content-Type") && !(l = curl_slist_append(l, "Content-Type:")))
        goto fail;
    if (!case_has_header(c, "Expect") && !(l = curl_slist_append(l, "Expect:")))
        goto fail;
    return l;
fail:
    curl_slist_free_all(l);
    return NULL;
}

static int method_is(const mh_case *c, const char *m)
{
    return c->method && strcmp(c->method, m) == 0;
}

static void set_method_and_body(CURL *e, const mh_case *c)
{
    const char *m = c->method ? c->method : "GET";
    if (strcmp(m, "HEAD") == 0) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        return;
    }
    int zero_len = method_is(c, "POST") || method_is(c, "PUT") || method_is(c, "PATCH");
    if (c->body || zero_len) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(c->body ? c->body_len : 0));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->body ? c->body : "");
        if (strcmp(m, "POST") != 0)
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
        return;
    }
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    if (strcmp(m, "GET") != 0)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
}

static void reset_attempt(slot *s)
{
    int attempts = s->x.attempts;
    mh_exchange_clear(&s->x);
    s->x.attempts = attempts;
    mh__buf_free(&s->body);
    s->header_bytes = 0;
    s->too_large = 0;
    s->oom = 0;
    s->errbuf[0] = '\0';
}

/* Configures the slot's easy handle for case c; -1 on OOM. */
static int prepare(mh_transport *t, slot *s, const mh_case *c)
{
    CURL *e = s->easy;
    curl_easy_reset(e);
    curl_slist_free_all(s->hdrs);
    free(s->request_target);
    s->hdrs = build_headers(c);
    s->request_target = mh_transport_request_target(t, c->target ? c->target : "/");
    if (!s->hdrs || !s->request_target)
        return -1;
    s->max_body = t->o.max_response_bytes;
    mh__buf_free(&s->body);
    mh__buf_init(&s->body, s->max_body);
    curl_easy_setopt(e, CURLOPT_URL, t->origin);
    curl_easy_setopt(e, CURLOPT_REQUEST_TARGET, s->request_target);
    curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, s->hdrs);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, t->o.timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, t->o.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->o.max_response_bytes);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, t->o.insecure ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, t->o.insecure ? 0L : 2L);
    if (t->o.cacert)
        curl_easy_setopt(e, CURLOPT_CAINFO, t->o.cacert);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(e, CURLOPT_PRIVATE, s);
    set_method_and_body(e, c);
    return 0;
}

/* ---- completion ------------------------------------------------------------ */

static mh_xfer_error map_error(CURLcode rc, const slot *s)
{
    if (s->too_large)
        return MH_XFER_TOO_LARGE;
    switch (rc) {
    case CURLE_OK:
        return MH_XFER_OK;
    case CURLE_OPERATION_TIMEDOUT: {
        /* A connect that never completed (a blackholed host) is an
         * unreachable target, not a slow answer. */
        curl_off_t connected = 0;
        curl_easy_getinfo(s->easy, CURLINFO_CONNECT_TIME_T, &connected);
        return connected == 0 ? MH_XFER_CONNECT : MH_XFER_TIMEOUT;
    }
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return MH_XFER_CONNECT;
    case CURLE_RECV_ERROR: {
        /* libcurl reports broken chunked framing as a receive error too; a
         * reset comes with the socket's errno (ECONNRESET), a framing error
         * with none. Decided by value, never by message text. */
        long os_errno = 0;
        curl_easy_getinfo(s->easy, CURLINFO_OS_ERRNO, &os_errno);
        return os_errno ? MH_XFER_RESET : MH_XFER_PROTOCOL;
    }
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return MH_XFER_RESET;
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_WRITE_ERROR:
        return s->oom ? MH_XFER_OTHER : MH_XFER_TOO_LARGE;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
    case CURLE_PEER_FAILED_VERIFICATION:
        return MH_XFER_TLS;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_BAD_CONTENT_ENCODING:
        return MH_XFER_PROTOCOL;
    default:
        return MH_XFER_OTHER;
    }
}

/* Fills the slot's exchange from the finished easy handle. */
static void finish_exchange(slot *s, CURLcode rc)
{
    long code = 0;
    curl_off_t total_us = 0;
    char *ct = NULL;
    curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(s->easy, CURLINFO_TOTAL_TIME_T, &total_us);
    curl_easy_getinfo(s->easy, CURLINFO_CONTENT_TYPE, &ct);
    s->x.status = (int)code;
    s->x.elapsed_ms = (double)total_us / 1000.0;
    if (ct && !s->x.content_type)
        s->x.content_type = strdup(ct);
    if (!s->x.body)
        s->x.body = mh__buf_take(&s->body, &s->x.body_len);
    s->x.error = map_error(rc, s);
    if (s->x.error != MH_XFER_OK) {
        const char *msg = s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);
        if (s->too_large && rc != CURLE_FILESIZE_EXCEEDED)
            msg = "answer exceeds the size cap";
        s->x.error_text = strdup(msg);
    }
}

/* Parses Retry-After: delta-seconds, or 1 s for anything else (HTTP-date);
 * -1 when absent. */
static long retry_after_ms(const mh_exchange *x)
{
    const char *v = mh_exchange_header(x, "Retry-After");
    if (!v)
        return -1;
    char *end;
    long sec = strtol(v, &end, 10);
    if (end != v && sec >= 0 && (*end == '\0' || *end == ' '))
        return sec > 86400 ? 86400L * 1000 : sec * 1000;
    return 1000;
}

static long retry_wait_ms(const mh_transport *t, const mh_exchange *x)
{
    long w = retry_after_ms(x);
    if (w < 0) {
        w = BACKOFF_BASE_MS;
        for (int i = 1; i < x->attempts && w < t->o.max_retry_wait_ms; i++)
            w *= 2;
    }
    return w < t->o.max_retry_wait_ms ? w : t->o.max_retry_wait_ms;
}

typedef struct {
    mh_transport *t;
    mh_case *const *cases;
    size_t n, next;
    size_t active; /* slots RUNNING or WAITING */
    mh_transport_done_fn done;
    void *ctx;
} run_state;

static void report(run_state *r, slot *s)
{
    mh_exchange x = s->x;
    memset(&s->x, 0, sizeof s->x);
    mh__buf_free(&s->body);
    s->state = SLOT_FREE;
    s->kase = NULL;
    r->active--;
    r->done(r->ctx, s->index, &x);
}

static void report_failure(run_state *r, slot *s, const char *why)
{
    mh_exchange_clear(&s->x);
    s->x.error = MH_XFER_OTHER;
    s->x.error_text = strdup(why);
    s->x.attempts = s->x.attempts ? s->x.attempts : 1;
    report(r, s);
}

/* Rate limiting: may a request start now? Books the start when it may. */
static int may_start(mh_transport *t, int64_t now)
{
    if (t->o.rate_limit <= 0)
        return 1;
    if (now < t->next_start_ms)
        return 0;
    t->next_start_ms = now + (int64_t)(1000.0 / t->o.rate_limit);
    return 1;
}

static int launch(run_state *r, slot *s)
{
    reset_attempt(s);
    s->x.attempts++;
    if (curl_multi_add_handle(r->t->multi, s->easy) != CURLM_OK)
        return -1;
    s->state = SLOT_RUNNING;
    return 0;
}

static void on_done(run_state *r, slot *s, CURLcode rc)
{
    curl_multi_remove_handle(r->t->multi, s->easy);
    finish_exchange(s, rc);
    if (s->x.error == MH_XFER_OK && s->x.status == 429) {
        if (s->x.attempts <= r->t->o.max_429_retries) {
            s->state = SLOT_WAITING;
            s->not_before_ms = now_ms() + retry_wait_ms(r->t, &s->x);
            return;
        }
        s->x.rate_limited = 1;
    }
    report(r, s);
}

/* Starts new cases in free slots and due retries, as the rate limit allows. */
static mh_status start_due(run_state *r, mh_error *err)
{
    mh_transport *t = r->t;
    int64_t now = now_ms();
    for (int i = 0; i < t->nslots; i++) {
        slot *s = &t->slots[i];
        if (s->state == SLOT_WAITING && s->not_before_ms <= now && may_start(t, now)) {
            if (launch(r, s) != 0)
                return mh_error_set(err, MH_ERR_INTERNAL, "libcurl multi: cannot add a transfer");
        } else if (s->state == SLOT_FREE && r->next < r->n && may_start(t, now)) {
            s->index = r->next;
            s->kase = r->cases[r->next++];
            s->x.attempts = 0;
            s->state = SLOT_WAITING; /* counted as active from here on */
            r->active++;
            if (prepare(t, s, s->kase) != 0) {
                report_failure(r, s, "out of memory preparing the request");
                continue;
            }
            if (launch(r, s) != 0)
                return mh_error_set(err, MH_ERR_INTERNAL, "libcurl multi: cannot add a transfer");
        }
    }
    return MH_OK;
}

/* How long the loop may sleep: until the next due retry or rate slot. */
static int sleep_budget(const run_state *r)
{
    const mh_transport *t = r->t;
    int64_t now = now_ms(), wake = now + POLL_SLICE_MS;
    for (int i = 0; i < t->nslots; i++)
        if (t->slots[i].state == SLOT_WAITING && t->slots[i].not_before_ms < wake)
            wake = t->slots[i].not_before_ms;
    if (t->o.rate_limit > 0 && r->next < r->n && t->next_start_ms < wake)
        wake = t->next_start_ms;
    return wake > now ? (int)(wake - now) : 0;
}

/* Reports finished transfers; returns how many finished. */
static int drain_messages(run_state *r)
{
    CURLMsg *m;
    int left, finished = 0;
    while ((m = curl_multi_info_read(r->t->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        finished++;
        void *priv = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
        CURLcode rc = m->data.result;
        if (priv)
            on_done(r, priv, rc);
    }
    return finished;
}

static void abort_all(run_state *r)
{
    for (int i = 0; i < r->t->nslots; i++) {
        slot *s = &r->t->slots[i];
        if (s->state == SLOT_RUNNING)
            curl_multi_remove_handle(r->t->multi, s->easy);
        if (s->state != SLOT_FREE)
            report_failure(r, s, "interrupted");
    }
}

mh_status mh_transport_run(mh_transport *t, mh_case *const *cases, size_t n,
                           mh_transport_done_fn done, void *ctx, volatile sig_atomic_t *stop,
                           mh_error *err)
{
    run_state r = {.t = t, .cases = cases, .n = n, .done = done, .ctx = ctx};
    mh_status st = MH_OK;
    while ((r.next < r.n || r.active > 0) && !(stop && *stop)) {
        if ((st = start_due(&r, err)) != MH_OK)
            break;
        int running = 0;
        if (curl_multi_perform(t->multi, &running) != CURLM_OK) {
            st = mh_error_set(err, MH_ERR_INTERNAL, "libcurl multi: perform failed");
            break;
        }
        int finished = drain_messages(&r);
        if (r.active == 0 && r.next >= r.n)
            break;
        /* A freed slot takes the next case now, not after a poll slice. */
        if (finished > 0 && r.next < r.n)
            continue;
        if (curl_multi_poll(t->multi, NULL, 0, sleep_budget(&r), NULL) != CURLM_OK) {
            st = mh_error_set(err, MH_ERR_INTERNAL, "libcurl multi: poll failed");
            break;
        }
    }
    abort_all(&r);
    return st;
}

typedef struct {
    mh_exchange *x;
    int got;
} one_ctx;

static void take_one(void *ctx, size_t index, mh_exchange *x)
{
    one_ctx *o = ctx;
    (void)index;
    *o->x = *x;
    o->got = 1;
}

mh_status mh_transport_send_one(mh_transport *t, const mh_case *c, mh_exchange *x, mh_error *err)
{
    memset(x, 0, sizeof *x);
    one_ctx o = {.x = x};
    mh_case *list[1] = {(mh_case *)c};
    return mh_transport_run(t, list, 1, take_one, &o, NULL, err);
}
