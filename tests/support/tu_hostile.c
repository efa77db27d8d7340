#include "tu_hostile.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define KEPT_REQUESTS 64
#define MAX_REQUEST_BYTES (64u * 1024 * 1024)
#define SLICE_MS 100
#define IDLE_LIMIT_MS 30000 /* a connection idle this long is dropped */
#define HUGE_CHUNK (64 * 1024)

struct tu_hostile {
    tu_hostile_opts o;
    char *payload;
    char **script;
    int listen_fd;
    int stop_pipe[2];
    atomic_int stopping;
    pthread_t acceptor;
    pthread_mutex_t mu;
    struct conn *live[TU_HOSTILE_MAX_CONNS]; /* connections whose thread is not joined */
    size_t nlive;
    size_t nconns; /* accepted over the server's life */
    char *reqs[KEPT_REQUESTS];
    size_t req_lens[KEPT_REQUESTS];
    char *last;
    size_t last_len;
    size_t nreq;
    int port;
    char url[64];
};

typedef struct conn {
    tu_hostile *h;
    int fd;
    pthread_t thread;
    atomic_int finished;
    char *buf; /* bytes read and not yet consumed as a request */
    size_t len, cap;
} conn;

/* Waits until fd is ready for events or the server stops: 1 ready, 0 timed
 * out, -1 stopping or error. */
static int wait_fd(tu_hostile *h, int fd, short events, int timeout_ms)
{
    struct pollfd p[2] = {{.fd = h->stop_pipe[0], .events = POLLIN}, {.fd = fd, .events = events}};
    int n = poll(p, fd >= 0 ? 2 : 1, timeout_ms);
    if (atomic_load(&h->stopping) || (n > 0 && p[0].revents))
        return -1;
    if (n < 0)
        return errno == EINTR ? 0 : -1;
    return n > 0 && fd >= 0 && p[1].revents ? 1 : 0;
}

/* Sleeps ms unless the server stops first; -1 when stopping. */
static int nap(tu_hostile *h, int ms)
{
    return wait_fd(h, -1, 0, ms) < 0 ? -1 : 0;
}

static int send_all(tu_hostile *h, int fd, const char *p, size_t n)
{
    int idle = 0;
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (k > 0) {
            p += k;
            n -= (size_t)k;
            idle = 0;
            continue;
        }
        if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return -1;
        int w = wait_fd(h, fd, POLLOUT, SLICE_MS);
        if (w < 0 || (w == 0 && (idle += SLICE_MS) >= IDLE_LIMIT_MS))
            return -1;
    }
    return 0;
}

static size_t content_length(const char *head, size_t n)
{
    const char *key = "\r\ncontent-length:";
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl <= n; i++)
        if (strncasecmp(head + i, key, kl) == 0)
            return (size_t)strtoull(head + i + kl, NULL, 10);
    return 0;
}

/* Length of the complete request at the start of c->buf, 0 if incomplete. */
static size_t complete_request(const conn *c)
{
    for (size_t i = 0; i + 4 <= c->len; i++) {
        if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0) {
            size_t total = i + 4 + content_length(c->buf, i + 2);
            return total <= c->len ? total : 0;
        }
    }
    return 0;
}

static void record(tu_hostile *h, const char *p, size_t n, size_t *index)
{
    char *a = malloc(n + 1), *b = malloc(n + 1);
    if (a) {
        memcpy(a, p, n);
        a[n] = '\0';
    }
    if (b) {
        memcpy(b, p, n);
        b[n] = '\0';
    }
    pthread_mutex_lock(&h->mu);
    *index = h->nreq;
    if (h->nreq < KEPT_REQUESTS && a) {
        h->reqs[h->nreq] = a;
        h->req_lens[h->nreq] = n;
        a = NULL;
    }
    free(h->last);
    h->last = b;
    h->last_len = b ? n : 0;
    h->nreq++;
    pthread_mutex_unlock(&h->mu);
    free(a);
}

/* Reads one whole request and records it: 1 read, 0 peer closed or idle,
 * -1 stopping or error. */
static int read_request(conn *c, size_t *index, char **req, size_t *req_len)
{
    int idle = 0;
    for (;;) {
        size_t total = complete_request(c);
        if (total > 0) {
            record(c->h, c->buf, total, index);
            *req = malloc(total + 1);
            if (!*req)
                return -1;
            memcpy(*req, c->buf, total);
            (*req)[total] = '\0';
            *req_len = total;
            memmove(c->buf, c->buf + total, c->len - total);
            c->len -= total;
            return 1;
        }
        if (c->len == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 16384;
            char *b = cap <= MAX_REQUEST_BYTES ? realloc(c->buf, cap) : NULL;
            if (!b)
                return -1;
            c->buf = b;
            c->cap = cap;
        }
        ssize_t k = recv(c->fd, c->buf + c->len, c->cap - c->len, MSG_DONTWAIT);
        if (k == 0)
            return 0;
        if (k > 0) {
            c->len += (size_t)k;
            idle = 0;
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return -1;
        int w = wait_fd(c->h, c->fd, POLLIN, SLICE_MS);
        if (w < 0)
            return -1;
        if (w == 0 && (idle += SLICE_MS) >= IDLE_LIMIT_MS)
            return 0;
    }
}

static int send_huge(tu_hostile *h, int fd, int sized)
{
    size_t size = h->o.size ? h->o.size : 50u * 1000 * 1000;
    char head[160];
    if (sized)
        snprintf(head, sizeof head,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                 size);
    else
        snprintf(head, sizeof head,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
    if (send_all(h, fd, head, strlen(head)) != 0)
        return -1;
    char *chunk = malloc(HUGE_CHUNK);
    if (!chunk)
        return -1;
    memset(chunk, 'x', HUGE_CHUNK);
    int rc = 0;
    for (size_t sent = 0; sent < size && rc == 0;) {
        size_t n = size - sent < HUGE_CHUNK ? size - sent : HUGE_CHUNK;
        rc = send_all(h, fd, chunk, n);
        sent += n;
    }
    free(chunk);
    return rc;
}

static int send_deep(tu_hostile *h, int fd)
{
    size_t depth = h->o.size ? h->o.size : 100000;
    char head[160];
    snprintf(head, sizeof head,
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
             2 * depth);
    char *body = malloc(2 * depth);
    if (!body)
        return -1;
    memset(body, '[', depth);
    memset(body + depth, ']', depth);
    int rc = send_all(h, fd, head, strlen(head)) == 0 ? send_all(h, fd, body, 2 * depth) : -1;
    free(body);
    return rc;
}

static int send_drip(tu_hostile *h, int fd)
{
    int ms = h->o.drip_ms > 0 ? h->o.drip_ms : 100;
    for (size_t i = 0; i < h->o.len; i++) {
        if (nap(h, ms) != 0 || send_all(h, fd, h->payload + i, 1) != 0)
            return -1;
    }
    return 0;
}

static void reset_connection(int fd)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

/* The answer for request k: the script entry or the payload. */
static const char *answer(const tu_hostile *h, size_t k, size_t *len)
{
    if (h->o.script_count > 0) {
        const char *a = h->script[k < h->o.script_count ? k : h->o.script_count - 1];
        *len = strlen(a);
        return a;
    }
    *len = h->o.len;
    return h->payload;
}

/* Sends what the test's callback computed for this request. */
static int serve_computed(tu_hostile *h, int fd, size_t k, const char *req, size_t req_len)
{
    size_t len = 0;
    char *a = h->o.answer_fn(h->o.answer_ctx, k, req, req_len, &len);
    if (!a)
        return 0;
    int ok = send_all(h, fd, a, len) == 0;
    free(a);
    return ok && h->o.mode == TU_HOSTILE_RAW;
}

/* Serves one request; 1 to keep the connection for another, 0 to close. */
static int serve_one(tu_hostile *h, int fd, size_t k, const char *req, size_t req_len)
{
    static const char garbage[] = "\x00\xff\xfe garbage, not HTTP \x01\x02\r\n\r\n";
    size_t len;
    const char *a;
    switch (h->o.mode) {
    case TU_HOSTILE_RAW:
    case TU_HOSTILE_RAW_CLOSE:
        if (h->o.answer_fn)
            return serve_computed(h, fd, k, req, req_len);
        a = answer(h, k, &len);
        return send_all(h, fd, a, len) == 0 && h->o.mode == TU_HOSTILE_RAW;
    case TU_HOSTILE_HUGE:
    case TU_HOSTILE_HUGE_UNSIZED:
        send_huge(h, fd, h->o.mode == TU_HOSTILE_HUGE);
        return 0;
    case TU_HOSTILE_SILENT:
        while (nap(h, SLICE_MS) == 0)
            ;
        return 0;
    case TU_HOSTILE_RESET:
        send_all(h, fd, h->payload, h->o.len);
        nap(h, 50); /* let the bytes leave before the RST overtakes them */
        reset_connection(fd);
        return 0;
    case TU_HOSTILE_GARBAGE:
        if (h->payload)
            send_all(h, fd, h->payload, h->o.len);
        else
            send_all(h, fd, garbage, sizeof garbage - 1);
        return 0;
    case TU_HOSTILE_DRIP:
        send_drip(h, fd);
        return 0;
    case TU_HOSTILE_DEEP_JSON:
        return send_deep(h, fd) == 0;
    }
    return 0;
}

static void *conn_main(void *arg)
{
    conn *c = arg;
    size_t k, len;
    char *req = NULL;
    if (c->h->o.speak_first)
        serve_one(c->h, c->fd, 0, "", 0);
    while (!c->h->o.speak_first && read_request(c, &k, &req, &len) == 1) {
        int again = serve_one(c->h, c->fd, k, req, len);
        free(req);
        if (!again)
            break;
    }
    close(c->fd);
    c->fd = -1;
    atomic_store(&c->finished, 1);
    return NULL;
}

static void join_conn(conn *c)
{
    pthread_join(c->thread, NULL);
    free(c->buf);
    free(c);
}

/* Joins the connection threads that have finished; with all set, every one
 * (the caller has made them finish). Only the acceptor or stop call this. */
static void reap(tu_hostile *h, int all)
{
    size_t kept = 0;
    for (size_t i = 0; i < h->nlive; i++) {
        if (all || atomic_load(&h->live[i]->finished))
            join_conn(h->live[i]);
        else
            h->live[kept++] = h->live[i];
    }
    h->nlive = kept;
}

static void accept_one(tu_hostile *h)
{
    int fd = accept(h->listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    reap(h, 0);
    conn *c = h->nlive < TU_HOSTILE_MAX_CONNS ? calloc(1, sizeof *c) : NULL;
    if (c) {
        c->h = h;
        c->fd = fd;
        if (pthread_create(&c->thread, NULL, conn_main, c) == 0) {
            h->live[h->nlive++] = c;
            pthread_mutex_lock(&h->mu);
            h->nconns++;
            pthread_mutex_unlock(&h->mu);
            return;
        }
    }
    close(fd);
    free(c);
}

static void *accept_main(void *arg)
{
    tu_hostile *h = arg;
    for (;;) {
        int w = wait_fd(h, h->listen_fd, POLLIN, SLICE_MS);
        if (w < 0)
            break;
        if (w > 0)
            accept_one(h);
    }
    return NULL;
}

static int listen_loopback(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &al) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    *port = ntohs(a.sin_port);
    return fd;
}

static void free_server(tu_hostile *h)
{
    if (h->script)
        for (size_t i = 0; i < h->o.script_count; i++)
            free(h->script[i]);
    free(h->script);
    free(h->payload);
    for (size_t i = 0; i < KEPT_REQUESTS; i++)
        free(h->reqs[i]);
    free(h->last);
    free(h);
}

static int copy_inputs(tu_hostile *h, const tu_hostile_opts *o)
{
    if (o->payload) {
        if (!(h->payload = malloc(o->len + 1)))
            return -1;
        memcpy(h->payload, o->payload, o->len);
        h->payload[o->len] = '\0';
    }
    if (o->script_count > 0) {
        if (!(h->script = calloc(o->script_count, sizeof *h->script)))
            return -1;
        for (size_t i = 0; i < o->script_count; i++)
            if (!(h->script[i] = strdup(o->script[i])))
                return -1;
    }
    return 0;
}

tu_hostile *tu_hostile_start_opts(const tu_hostile_opts *o)
{
    tu_hostile *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->o = *o;
    h->o.payload = NULL;
    h->o.script = NULL;
    h->listen_fd = -1;
    if (copy_inputs(h, o) != 0) {
        free_server(h);
        return NULL;
    }
    if (pipe(h->stop_pipe) != 0) {
        free_server(h);
        return NULL;
    }
    pthread_mutex_init(&h->mu, NULL);
    h->listen_fd = listen_loopback(&h->port);
    if (h->listen_fd < 0 || pthread_create(&h->acceptor, NULL, accept_main, h) != 0) {
        if (h->listen_fd >= 0)
            close(h->listen_fd);
        close(h->stop_pipe[0]);
        close(h->stop_pipe[1]);
        pthread_mutex_destroy(&h->mu);
        free_server(h);
        return NULL;
    }
    snprintf(h->url, sizeof h->url, "http://127.0.0.1:%d", h->port);
    return h;
}

tu_hostile *tu_hostile_start(tu_hostile_mode mode, const char *payload, size_t len)
{
    tu_hostile_opts o = {.mode = mode, .payload = payload, .len = len};
    return tu_hostile_start_opts(&o);
}

const char *tu_hostile_base_url(const tu_hostile *h)
{
    return h->url;
}

int tu_hostile_port(const tu_hostile *h)
{
    return h->port;
}

static char *dup_bytes(const char *p, size_t n, size_t *len)
{
    if (!p)
        return NULL;
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    memcpy(s, p, n + 1);
    if (len)
        *len = n;
    return s;
}

char *tu_hostile_last_request(tu_hostile *h, size_t *len)
{
    pthread_mutex_lock(&h->mu);
    char *s = dup_bytes(h->last, h->last_len, len);
    pthread_mutex_unlock(&h->mu);
    return s;
}

char *tu_hostile_request(tu_hostile *h, size_t k, size_t *len)
{
    pthread_mutex_lock(&h->mu);
    char *s = k < KEPT_REQUESTS ? dup_bytes(h->reqs[k], h->req_lens[k], len) : NULL;
    pthread_mutex_unlock(&h->mu);
    return s;
}

size_t tu_hostile_request_count(tu_hostile *h)
{
    pthread_mutex_lock(&h->mu);
    size_t n = h->nreq;
    pthread_mutex_unlock(&h->mu);
    return n;
}

int tu_hostile_wait_requests(tu_hostile *h, size_t n, int timeout_ms)
{
    for (int waited = 0;; waited += 10) {
        if (tu_hostile_request_count(h) >= n)
            return 0;
        if (waited >= timeout_ms)
            return -1;
        usleep(10 * 1000);
    }
}

size_t tu_hostile_connection_count(tu_hostile *h)
{
    pthread_mutex_lock(&h->mu);
    size_t n = h->nconns;
    pthread_mutex_unlock(&h->mu);
    return n;
}

void tu_hostile_stop(tu_hostile *h)
{
    if (!h)
        return;
    atomic_store(&h->stopping, 1);
    ssize_t w = write(h->stop_pipe[1], "x", 1);
    (void)w;
    pthread_join(h->acceptor, NULL);
    /* The acceptor is gone, so the live list no longer changes. */
    reap(h, 1);
    close(h->listen_fd);
    close(h->stop_pipe[0]);
    close(h->stop_pipe[1]);
    pthread_mutex_destroy(&h->mu);
    free_server(h);
}

int tu_hostile_dead_port(void)
{
    int port = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &al) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

const char *tu_hostile_header(const char *raw, const char *name, size_t *len)
{
    size_t n = strlen(name);
    const char *end = strstr(raw, "\r\n\r\n");
    for (const char *p = strstr(raw, "\r\n"); p && p < end; p = strstr(p + 2, "\r\n")) {
        const char *h = p + 2;
        if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
            h += n + 1;
            while (*h == ' ' || *h == '\t')
                h++;
            *len = (size_t)(strstr(h, "\r\n") - h);
            return h;
        }
    }
    return NULL;
}

char *tu_hostile_header_dup(const char *raw, const char *name)
{
    size_t n = 0;
    const char *v = tu_hostile_header(raw, name, &n);
    if (!v)
        return NULL;
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, v, n);
        s[n] = '\0';
    }
    return s;
}

const char *tu_hostile_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 302:
        return "Found";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    }
    return "Whatever";
}
