/* tu_hostile.h — a raw-socket HTTP/1.1 test server that misbehaves on demand.
 *
 * Listens on 127.0.0.1 on an ephemeral port and serves every connection in
 * its own thread with one scripted behaviour. Each request is read whole
 * (headers up to the blank line, then Content-Length bytes of body) and
 * recorded byte for byte, so tests can assert exactly what a client sent.
 * Everything is bounded: at most TU_HOSTILE_MAX_CONNS connections at once
 * (more are closed at once; finished ones are reaped), every wait is sliced
 * and checks the stop flag, an idle connection is dropped after 30 s, and
 * tu_hostile_stop returns promptly.
 *
 * Ownership: payload bytes are copied by tu_hostile_start; strings returned
 * by tu_hostile_base_url are owned by the server; tu_hostile_last_request and
 * tu_hostile_request return new buffers the caller frees.
 */
#ifndef MH_TU_HOSTILE_H
#define MH_TU_HOSTILE_H

#include <stddef.h>

#define TU_HOSTILE_MAX_CONNS 256

typedef enum {
    /* Answers each request with the payload bytes verbatim (a full HTTP
     * answer, chunked or not, or anything at all), keeping the connection
     * open for the next request. With a script, request k (counting over the
     * whole server) gets answer min(k, count-1). */
    TU_HOSTILE_RAW = 0,
    /* Like RAW, but closes the connection after each answer. */
    TU_HOSTILE_RAW_CLOSE,
    /* 200 application/json with Content-Length `size` (default 50 MB), body
     * generated on the fly in 64 KiB chunks. */
    TU_HOSTILE_HUGE,
    /* Like HUGE without Content-Length: the body ends when the connection
     * closes, so only the client's running count can stop it. */
    TU_HOSTILE_HUGE_UNSIZED,
    /* Reads the request and never answers; holds the connection until stop. */
    TU_HOSTILE_SILENT,
    /* Sends the payload (headers + part of a body), then resets the
     * connection (SO_LINGER 0 → RST). */
    TU_HOSTILE_RESET,
    /* Sends payload bytes (or built-in garbage when payload is NULL) that are
     * not HTTP, then closes. */
    TU_HOSTILE_GARBAGE,
    /* Sends the payload one byte every drip_ms (default 100) and closes. */
    TU_HOSTILE_DRIP,
    /* 200 application/json whose body is `size` (default 100000) '[' then as
     * many ']': valid JSON nested deeper than any sane parser allows. */
    TU_HOSTILE_DEEP_JSON
} tu_hostile_mode;

/* Computes the answer to request k (0-based over the server's life) from its
 * raw bytes: returns a new malloc'd buffer (the server frees it) of *out_len
 * bytes, or NULL to close the connection without answering. Runs on a
 * connection thread, possibly several at once: it must be thread-safe. */
typedef char *(*tu_hostile_answer_fn)(void *ctx, size_t k, const char *req, size_t len,
                                      size_t *out_len);

typedef struct {
    tu_hostile_mode mode;
    const char *payload; /* the answer bytes (RAW, RESET, GARBAGE, DRIP) */
    size_t len;
    const char *const *script; /* RAW/RAW_CLOSE: several answers, NUL-terminated strings */
    size_t script_count;
    size_t size;                    /* HUGE: body bytes; DEEP_JSON: depth; 0 = default */
    int drip_ms;                    /* DRIP: delay between bytes; 0 = 100 */
    tu_hostile_answer_fn answer_fn; /* RAW/RAW_CLOSE: overrides payload and script */
    void *answer_ctx;
    int speak_first; /* answer once as soon as a connection opens, without
                        reading a request (a server that talks first, or a
                        plain-text answer to a TLS client); then close */
} tu_hostile_opts;

typedef struct tu_hostile tu_hostile;

/* Starts a server answering every request with `len` payload bytes in the
 * given mode. NULL when it cannot start. */
tu_hostile *tu_hostile_start(tu_hostile_mode mode, const char *payload, size_t len);

/* Starts a server with full options; NULL when it cannot start. */
tu_hostile *tu_hostile_start_opts(const tu_hostile_opts *o);

/* "http://127.0.0.1:PORT" (no trailing slash); owned by the server. */
const char *tu_hostile_base_url(const tu_hostile *h);

/* The port the server listens on. */
int tu_hostile_port(const tu_hostile *h);

/* A copy of the raw bytes of the most recent complete request (NUL-terminated;
 * *len set when len is non-NULL); NULL when none arrived yet. Caller frees. */
char *tu_hostile_last_request(tu_hostile *h, size_t *len);

/* A copy of request k (0-based, in arrival order; the first 64 are kept);
 * NULL when there is no such request. Caller frees. */
char *tu_hostile_request(tu_hostile *h, size_t k, size_t *len);

/* Number of complete requests read so far. */
size_t tu_hostile_request_count(tu_hostile *h);

/* Number of connections accepted so far. */
size_t tu_hostile_connection_count(tu_hostile *h);

/* Waits until at least n requests arrived: 0, or -1 after timeout_ms. */
int tu_hostile_wait_requests(tu_hostile *h, size_t n, int timeout_ms);

/* Stops the server: closes every connection, joins every thread, frees all.
 * NULL is a no-op. */
void tu_hostile_stop(tu_hostile *h);

/* A loopback port on which nothing listens (bound, then closed); 0 on error. */
int tu_hostile_dead_port(void);

/* The value of header name (case-insensitive) in the head of a raw HTTP
 * request or answer (NUL-terminated; lines end in CRLF, the head in a blank
 * line), leading blanks skipped: a pointer into raw with *len set to the
 * value's length, or NULL when the head has no such header. Thread-safe. */
const char *tu_hostile_header(const char *raw, const char *name, size_t *len);

/* tu_hostile_header's value as a new NUL-terminated string the caller frees;
 * NULL when absent. */
char *tu_hostile_header_dup(const char *raw, const char *name);

/* The usual reason phrase of an HTTP status ("Not Found" for 404), for
 * answers a test writes by hand; "Whatever" for a status it does not know.
 * Static storage. */
const char *tu_hostile_reason(int status);

#endif
