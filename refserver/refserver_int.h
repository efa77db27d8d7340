/* refserver_int.h — internals shared by the reference server's files. They
 * form layers, each calling only the ones below it (never back up):
 *
 *   refserver.c  daemon glue and lifecycle (mh_refserver_start/stop, queries)
 *   handler.c    the judging rules (mh__judge) and mh_refserver_handle
 *   answer.c     answer bodies and content type
 *   names.c      name business rules, media-type matching
 *   log.c        the request log
 *   store.c, ratelimit.c  the tag store and the token buckets
 *   faults.c     the fault table (calls nothing here)
 */
#ifndef MH_REFSERVER_INT_H
#define MH_REFSERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "manta/redact.h"
#include "manta/schema.h"
#include "manta/spec.h"
#include "ratelimit.h"
#include "refserver.h"
#include "store.h"

struct MHD_Daemon;

struct mh_refserver {
    const mh_spec *spec;
    const mh_operation *op;
    const char *allow;           /* declared methods on op's path, borrowed from spec */
    const char *bot_param;       /* the query parameter naming the bot ("botId") */
    const mh_schema *req_schema; /* the operation's application/json request schema */
    char *cred_prop;             /* credential property name, NULL when none */
    char *name_prop;             /* the name property */
    char **bots;
    size_t *bot_lens;
    size_t bot_count;
    mh__store **stores;  /* one per bot */
    mh__bucket *buckets; /* one per bot */
    int buckets_ready;   /* how many buckets were initialised */
    char *secret;        /* NULL = credential not checked */
    size_t secret_len;
    char *jwt_key;
    size_t jwt_key_len;
    unsigned long long faults;
    FILE *log;
    mh_redactor *log_redactor; /* secret and key out of logged paths; NULL when silent */
    pthread_mutex_t log_mu;
    char *huge_body; /* the huge-answer fault's 200 body, built at start */
    size_t huge_len;
    atomic_ullong requests;
    struct MHD_Daemon *daemon;
    unsigned short port;
    char base_url[96];
};

/* One request as the judging rules see it; everything borrowed. */
typedef struct {
    const char *method;
    const char *path;
    int bot_params;     /* how many botId query parameters were given */
    const char *bot_id; /* decoded value of the last one (may be NULL) */
    size_t bot_id_len;
    const char *authorization; /* header value or NULL */
    const char *content_type;  /* header value or NULL */
    const char *body;
    size_t body_len;
    int too_large; /* the body went over MH_REFSERVER_MAX_BODY (body holds a prefix) */
} mh__request;

/* One answer. body is malloc'd unless body_static (then borrowed from the
 * server). allow is borrowed. */
typedef struct {
    int status;
    int drop; /* close the connection without answering */
    int html; /* html-content-type fault */
    char *body;
    size_t body_len;
    int body_static;
    const char *allow;
    int retry_after; /* seconds; 0 = no header */
    int delay_ms;
} mh__answer;

/* handler.c: applies the rules to rq and fills a (a owns its body: free it
 * with mh__answer_free, also after a failure). Counts the request. Returns 0,
 * or -1 on OOM. */
int mh__judge(mh_refserver *s, const mh__request *rq, mh__answer *a);

/* log.c: logs "METHOD PATH STATUS MSms" (status "-" when dropped) to s->log
 * when there is one; the path is bounded, control bytes become '?', secrets
 * are redacted. Thread-safe. */
void mh__log(mh_refserver *s, const char *method, const char *path, const mh__answer *a, double ms);

/* answer.c: frees a's body unless it is borrowed (body_static). */
void mh__answer_free(mh__answer *a);
/* answer.c: the Content-Type of the answer a (static string). */
const char *mh__answer_content_type(const mh__answer *a);

/* Bodies (answer.c): each returns a new malloc'd body (length in *len) or
 * NULL on OOM. token is the bearer token sent (echo-token fault) or NULL;
 * bot_id is a configured bot or NULL. */
char *mh__error_body(const mh_refserver *s, int status, const char *message, const char *bot_id,
                     const char *token, size_t *len);
char *mh__success_body(const mh_refserver *s, const char *message, size_t *len);

/* Name rules (names.c). Trims Unicode white space off s (a string from
 * mh_json_parse) into [*start, *start + *len). Returns 0 when the trimmed
 * name has 1..100 code points and no control character, 1 for a bad length,
 * 2 for a control character. */
int mh__name_check(const char *s, const char **start, size_t *len);
/* 1 when s[0..len) contains a CJK ideograph, kana or hangul syllable. */
int mh__has_cjk(const char *s, size_t len);

/* 1 when a media type is application/json, parameters allowed. */
int mh__is_json_media(const char *ct);

#endif
