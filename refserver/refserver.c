/* refserver.c — lifecycle of the reference server and the libmicrohttpd
 * glue: headers and the (capped) body of each request are gathered here and
 * handed to mh__judge (handler.c). The top of refserver/: it calls handler.c,
 * answer.c, names.c, log.c, store.c and ratelimit.c, and none of them calls
 * back. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "manta/credential.h"
#include "manta/json_strict.h"
#include "manta/redact.h"
#include "refserver_int.h"

#define DEFAULT_OP "POST /openapi/personalTag"
#define HUGE_ANSWER_BYTES (8u << 20)
#define UPLOAD_ABORT_BYTES (64ull << 20) /* close connections uploading more */

/* ---- per-connection request state ---- */

typedef struct {
    mh__buf body; /* at most MH_REFSERVER_MAX_BODY bytes of the body (its cap) */
    int too_large;
    unsigned long long uploaded; /* body bytes received, kept or not */
    double t0;
    int bot_params;
    const char *bot_id;
    size_t bot_id_len;
    const char *bot_param; /* the server's bot parameter name */
} request_state;

static void append_upload(request_state *rs, const char *data, size_t n)
{
    /* keep at most the cap; the rest is read and dropped, never buffered */
    size_t room = MH_REFSERVER_MAX_BODY - rs->body.len;
    if (n > room) {
        rs->too_large = 1;
        n = room;
    }
    if (!n)
        return;
    mh__buf_add(&rs->body, data, n);
    if (rs->body.failed)
        rs->too_large = 1; /* refuse rather than judge a truncated body */
}

static enum MHD_Result count_bot_id(void *cls, enum MHD_ValueKind kind, const char *key,
                                    size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    request_state *rs = cls;
    if (key_size == strlen(rs->bot_param) && memcmp(key, rs->bot_param, key_size) == 0) {
        rs->bot_params++;
        rs->bot_id = value;
        rs->bot_id_len = value ? value_size : 0;
    }
    return MHD_YES;
}

static struct MHD_Response *make_response(mh__answer *a)
{
    struct MHD_Response *resp;
    if (a->body_static) {
        resp = MHD_create_response_from_buffer(a->body_len, a->body, MHD_RESPMEM_PERSISTENT);
    } else {
        resp = MHD_create_response_from_buffer(a->body_len, a->body, MHD_RESPMEM_MUST_FREE);
        if (resp)
            a->body = NULL; /* MHD owns it now */
    }
    if (!resp)
        return NULL;
    char ra[16];
    snprintf(ra, sizeof ra, "%d", a->retry_after);
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, mh__answer_content_type(a)) !=
            MHD_YES ||
        (a->allow && MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, a->allow) != MHD_YES) ||
        (a->retry_after &&
         MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra) != MHD_YES)) {
        MHD_destroy_response(resp);
        return NULL;
    }
    return resp;
}

static enum MHD_Result answer(mh_refserver *s, struct MHD_Connection *conn, const char *url,
                              const char *method, request_state *rs)
{
    rs->bot_param = s->bot_param;
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, count_bot_id, rs);
    mh__request rq = {
        .method = method,
        .path = url,
        .bot_params = rs->bot_params,
        .bot_id = rs->bot_id,
        .bot_id_len = rs->bot_id_len,
        .authorization =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
        .content_type =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
        .body = rs->body.p,
        .body_len = rs->body.len,
        .too_large = rs->too_large,
    };
    mh__answer a;
    if (mh__judge(s, &rq, &a) != 0 || a.drop) {
        mh__log(s, method, url, &a, (mh__now_mono() - rs->t0) * 1e3);
        mh__answer_free(&a);
        return MHD_NO; /* closes the connection without an answer */
    }
    if (a.delay_ms) {
        struct timespec ts = {a.delay_ms / 1000, (long)(a.delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    struct MHD_Response *resp = make_response(&a);
    enum MHD_Result r = MHD_NO;
    if (resp) {
        r = MHD_queue_response(conn, (unsigned)a.status, resp);
        MHD_destroy_response(resp);
    }
    mh__log(s, method, url, &a, (mh__now_mono() - rs->t0) * 1e3);
    mh__answer_free(&a);
    return r;
}

/* 1 when the request announces a body over the cap and waits for
 * "100 Continue" before sending it. */
static int expects_oversized_body(struct MHD_Connection *conn)
{
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    const char *length =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return expect && strcasecmp(expect, "100-continue") == 0 && length &&
           strtoull(length, NULL, 10) > MH_REFSERVER_MAX_BODY;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    request_state *rs = *con_cls;
    if (!rs) {
        if (!(rs = calloc(1, sizeof *rs)))
            return MHD_NO;
        mh__buf_init(&rs->body, MH_REFSERVER_MAX_BODY);
        rs->t0 = mh__now_mono();
        *con_cls = rs;
        if (!expects_oversized_body(conn))
            return MHD_YES;
        /* the client waits for 100 Continue: answer now (the size check
         * needs headers only) and it never sends the body */
        rs->too_large = 1;
        return answer(cls, conn, url, method, rs);
    }
    if (*upload_data_size) {
        rs->uploaded += *upload_data_size;
        append_upload(rs, upload_data, *upload_data_size);
        *upload_data_size = 0;
        /* MHD cannot answer in the middle of an upload, so the rest of an
         * oversized body is read and dropped; past a hard bound the
         * connection is closed instead of reading forever */
        return rs->uploaded > UPLOAD_ABORT_BYTES ? MHD_NO : MHD_YES;
    }
    return answer(cls, conn, url, method, rs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    request_state *rs = *con_cls;
    if (rs) {
        mh__buf_free(&rs->body);
        free(rs);
        *con_cls = NULL;
    }
}

/* ---- lifecycle ---- */

static int is_string_schema(const mh_spec *spec, const cJSON *prop)
{
    const cJSON *type = mh_json_get(mh_spec_deref(spec, prop), "type");
    return cJSON_IsString(type) && strcmp(type->valuestring, "string") == 0;
}

/* Finds the request schema and its credential and name properties. */
static mh_status find_body_schema(mh_refserver *s, mh_error *err)
{
    const mh_operation *op = s->op;
    for (size_t i = 0; i < op->body_count && !s->req_schema; i++)
        if (mh__is_json_media(op->body[i].media_type))
            s->req_schema = op->body[i].schema;
    if (!s->req_schema)
        return mh_error_set(err, MH_ERR_SPEC, "operation %s has no application/json request schema",
                            op->id);
    const cJSON *src = mh_schema_source(s->req_schema);
    const cJSON *props = mh_json_get(src, "properties");
    const cJSON *prop;
    cJSON_ArrayForEach(prop, props)
    {
        if (mh_credential_name(prop->string) && is_string_schema(s->spec, prop)) {
            s->cred_prop = strdup(prop->string);
            break;
        }
    }
    const cJSON *req;
    cJSON_ArrayForEach(req, mh_json_get(src, "required"))
    {
        if (!cJSON_IsString(req) || (s->cred_prop && strcmp(req->valuestring, s->cred_prop) == 0))
            continue;
        if (is_string_schema(s->spec, mh_json_get(props, req->valuestring))) {
            s->name_prop = strdup(req->valuestring);
            break;
        }
    }
    if (!s->name_prop)
        return mh_error_set(err, MH_ERR_SPEC,
                            "operation %s: request schema has no required string name property",
                            op->id);
    return MH_OK;
}

static mh_status copy_config(mh_refserver *s, const mh_refserver_opts *o, mh_error *err)
{
    s->bots = calloc(o->bot_count, sizeof *s->bots);
    s->bot_lens = calloc(o->bot_count, sizeof *s->bot_lens);
    s->stores = calloc(o->bot_count, sizeof *s->stores);
    s->buckets = calloc(o->bot_count, sizeof *s->buckets);
    s->jwt_key = malloc(o->jwt_key_len + 1);
    if (!s->bots || !s->bot_lens || !s->stores || !s->buckets || !s->jwt_key)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    memcpy(s->jwt_key, o->jwt_key, o->jwt_key_len);
    s->jwt_key[o->jwt_key_len] = '\0';
    s->jwt_key_len = o->jwt_key_len;
    s->bot_count = o->bot_count;
    for (size_t i = 0; i < o->bot_count; i++) {
        if (!o->bot_ids[i] || !o->bot_ids[i][0])
            return mh_error_set(err, MH_ERR_USAGE, "--bot-id: empty bot id");
        s->bots[i] = strdup(o->bot_ids[i]);
        s->bot_lens[i] = strlen(o->bot_ids[i]);
        s->stores[i] = mh__store_new();
        if (!s->bots[i] || !s->stores[i] || mh__bucket_init(&s->buckets[i], o->rate_limit) != 0)
            return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
        s->buckets_ready++;
    }
    if (o->secret && !(s->secret = strdup(o->secret)))
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    s->secret_len = o->secret ? strlen(o->secret) : 0;
    /* A client may put the secret or the key in the path; the log must not
     * repeat it. */
    if (o->log && (!(s->log_redactor = mh_redactor_new()) ||
                   mh_redactor_add(s->log_redactor, s->secret, "$MANTA_SECRET") ||
                   mh_redactor_add(s->log_redactor, s->jwt_key, "$MANTA_JWT_KEY")))
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    return MH_OK;
}

static mh_status build_huge_body(mh_refserver *s, mh_error *err)
{
    static const char head[] = "{\"success\":true,\"message\":\"";
    s->huge_len = HUGE_ANSWER_BYTES;
    if (!(s->huge_body = malloc(s->huge_len)))
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    memset(s->huge_body, 'x', s->huge_len);
    memcpy(s->huge_body, head, sizeof head - 1);
    memcpy(s->huge_body + s->huge_len - 2, "\"}", 2);
    return MH_OK;
}

static mh_status listen_daemon(mh_refserver *s, const mh_refserver_opts *o, mh_error *err)
{
    const char *host = o->host && o->host[0] ? o->host : "127.0.0.1";
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (getaddrinfo(host, NULL, &hints, &ai) != 0 || !ai)
        return mh_error_set(err, MH_ERR_USAGE, "--host: cannot resolve '%s'", host);
    struct sockaddr_storage addr;
    memcpy(&addr, ai->ai_addr, ai->ai_addrlen);
    int v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    if (v6)
        ((struct sockaddr_in6 *)&addr)->sin6_port = htons(o->port);
    else
        ((struct sockaddr_in *)&addr)->sin_port = htons(o->port);
    /* 2 cores: two epoll threads; the slow fault sleeps, so it gets a thread
     * per connection instead to keep delays from queueing up */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | (v6 ? MHD_USE_IPv6 : 0);
    int slow = (s->faults & MH_FAULT_BIT(MH_FAULT_SLOW)) != 0;
    flags |= slow ? MHD_USE_THREAD_PER_CONNECTION : MHD_USE_EPOLL | MHD_USE_TURBO;
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(16 * 1024), MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(slow ? 0 : 2), MHD_OPTION_END);
    if (!s->daemon)
        return mh_error_set(err, MH_ERR_NETWORK, "cannot listen on %s port %u", host, o->port);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : o->port;
    snprintf(s->base_url, sizeof s->base_url, v6 ? "http://[%s]:%u" : "http://%s:%u", host,
             s->port);
    return MH_OK;
}

/* The bot parameter: the operation's first query parameter whose name
 * contains "bot" (any case), as the case generator finds it; "botId" (the
 * Manta contract's) when there is none. Borrowed from the spec. */
static const char *find_bot_param(const mh_operation *op)
{
    for (size_t i = 0; i < op->param_count; i++) {
        const char *n = op->params[i].name;
        if (strcmp(op->params[i].in, "query") != 0)
            continue;
        for (const char *p = n; *p; p++)
            if (strncasecmp(p, "bot", 3) == 0)
                return n;
    }
    return "botId";
}

mh_status mh_refserver_start(const mh_refserver_opts *o, mh_refserver **out, mh_error *err)
{
    *out = NULL;
    if (!o || !o->spec)
        return mh_error_set(err, MH_ERR_USAGE, "no spec given");
    if (!o->bot_ids || o->bot_count == 0)
        return mh_error_set(err, MH_ERR_USAGE, "--bot-id: at least one bot id is required");
    if (!o->jwt_key || o->jwt_key_len == 0)
        return mh_error_set(err, MH_ERR_USAGE, "--jwt-key: a non-empty key is required");
    mh_refserver *s = calloc(1, sizeof *s);
    if (!s)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory");
    pthread_mutex_init(&s->log_mu, NULL);
    atomic_init(&s->requests, 0);
    s->spec = o->spec;
    s->faults = o->faults;
    s->log = o->log;
    mh_status st = MH_OK;
    s->op = mh_spec_find_operation(o->spec, o->op_id ? o->op_id : DEFAULT_OP, err);
    if (!s->op) {
        st = MH_ERR_NOTFOUND;
        goto fail;
    }
    s->bot_param = find_bot_param(s->op);
    s->allow = mh_spec_path_methods(o->spec, s->op->path);
    if (!s->allow || !s->allow[0])
        s->allow = s->op->method;
    if ((st = find_body_schema(s, err)) != MH_OK || (st = copy_config(s, o, err)) != MH_OK)
        goto fail;
    if ((s->faults & MH_FAULT_BIT(MH_FAULT_HUGE_ANSWER)) && (st = build_huge_body(s, err)))
        goto fail;
    if (!o->no_listen && (st = listen_daemon(s, o, err)) != MH_OK)
        goto fail;
    *out = s;
    return MH_OK;
fail:
    mh_refserver_stop(s);
    return st;
}

const char *mh_refserver_base_url(const mh_refserver *s)
{
    return s->base_url;
}

unsigned short mh_refserver_port(const mh_refserver *s)
{
    return s->port;
}

void mh_refserver_stop(mh_refserver *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    for (size_t i = 0; i < s->bot_count; i++) {
        free(s->bots[i]);
        mh__store_free(s->stores[i]);
    }
    for (int i = 0; i < s->buckets_ready; i++)
        mh__bucket_destroy(&s->buckets[i]);
    free(s->bots);
    free(s->bot_lens);
    free(s->stores);
    free(s->buckets);
    if (s->secret)
        OPENSSL_cleanse(s->secret, s->secret_len);
    if (s->jwt_key)
        OPENSSL_cleanse(s->jwt_key, s->jwt_key_len);
    free(s->secret);
    free(s->jwt_key);
    free(s->cred_prop);
    free(s->name_prop);
    free(s->huge_body);
    mh_redactor_free(s->log_redactor);
    pthread_mutex_destroy(&s->log_mu);
    free(s);
}

static int bot_index(const mh_refserver *s, const char *bot_id)
{
    for (size_t i = 0; bot_id && i < s->bot_count; i++)
        if (strcmp(s->bots[i], bot_id) == 0)
            return (int)i;
    return -1;
}

size_t mh_refserver_tag_count(const mh_refserver *s, const char *bot_id)
{
    size_t n = 0;
    int only = bot_index(s, bot_id);
    if (bot_id && only < 0)
        return 0;
    for (size_t i = 0; i < s->bot_count; i++)
        if (!bot_id || (int)i == only)
            n += mh__store_count(s->stores[i]);
    return n;
}

int mh_refserver_has_tag(const mh_refserver *s, const char *bot_id, const char *name)
{
    int i = bot_index(s, bot_id);
    return i >= 0 && name && mh__store_has(s->stores[i], name, strlen(name));
}

unsigned long long mh_refserver_request_count(const mh_refserver *s)
{
    return atomic_load(&((mh_refserver *)s)->requests);
}
