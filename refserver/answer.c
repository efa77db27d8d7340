/* answer.c — what the reference server answers: the JSON bodies it emits
 * (strict JSON: every string goes through mh_json_quote) with the
 * body-shaping faults, and the answer's content type. Calls no other file of
 * refserver/. */
#include <stdlib.h>

#include "util/buf.h"
#include "manta/json_strict.h"
#include "refserver_int.h"

static int on(const mh_refserver *s, mh_refserver_fault f)
{
    return (s->faults & MH_FAULT_BIT(f)) != 0;
}

/* message plus the echo faults' leaks, quoted. NULL on OOM. */
static char *quoted_message(const mh_refserver *s, const char *message, const char *token)
{
    mh__buf text = MH__BUF_INIT;
    mh__buf_adds(&text, message);
    if (on(s, MH_FAULT_ECHO_SECRET) && s->secret)
        mh__buf_addf(&text, " (secret: %s)", s->secret);
    if (on(s, MH_FAULT_ECHO_TOKEN) && token)
        mh__buf_addf(&text, " (token: %s)", token);
    char *t = mh__buf_take(&text, NULL);
    char *q = t ? mh_json_quote(t) : NULL;
    free(t);
    return q;
}

char *mh__error_body(const mh_refserver *s, int status, const char *message, const char *bot_id,
                     const char *token, size_t *len)
{
    char *msg = quoted_message(s, message, token);
    char *bot = bot_id ? mh_json_quote(bot_id) : NULL;
    char *out = NULL;
    if (msg && (!bot_id || bot)) {
        mh__buf b = MH__BUF_INIT;
        mh__buf_adds(&b, on(s, MH_FAULT_DUPLICATE_KEYS) ? "{\"success\":false," : "{");
        if (status == 403 && on(s, MH_FAULT_ERROR_NO_ERRRESPONSE)) {
            mh__buf_addf(&b, "\"success\":false,\"message\":%s}", msg);
        } else {
            const char *cq = on(s, MH_FAULT_CODE_STRING) ? "\"" : "";
            mh__buf_addf(&b, "\"success\":false,\"errResponse\":{\"message\":%s,\"code\":%s%d%s",
                         msg, cq, status, cq);
            if (bot)
                mh__buf_addf(&b, ",\"botId\":%s", bot);
            mh__buf_adds(&b, "}}");
        }
        if (on(s, MH_FAULT_TRAILING_GARBAGE))
            mh__buf_adds(&b, "garbage");
        out = mh__buf_take(&b, len);
    }
    free(msg);
    free(bot);
    return out;
}

char *mh__success_body(const mh_refserver *s, const char *message, size_t *len)
{
    char *msg = mh_json_quote(message);
    if (!msg)
        return NULL;
    const char *flag = on(s, MH_FAULT_SUCCESS_STRING)  ? "\"true\""
                       : on(s, MH_FAULT_SUCCESS_FALSE) ? "false"
                                                       : "true";
    mh__buf b = MH__BUF_INIT;
    mh__buf_addf(&b, "{%s\"success\":%s", on(s, MH_FAULT_DUPLICATE_KEYS) ? "\"success\":true," : "",
                 flag);
    if (!on(s, MH_FAULT_DROP_MESSAGE))
        mh__buf_addf(&b, ",\"message\":%s", msg);
    mh__buf_addf(&b, "}%s", on(s, MH_FAULT_TRAILING_GARBAGE) ? "garbage" : "");
    free(msg);
    return mh__buf_take(&b, len);
}

void mh__answer_free(mh__answer *a)
{
    if (!a->body_static)
        free(a->body);
    a->body = NULL;
}

const char *mh__answer_content_type(const mh__answer *a)
{
    return a->html ? "text/html; charset=utf-8" : "application/json";
}
