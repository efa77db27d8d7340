/* answer.c — the JSON bodies the reference server emits (strict JSON: every
 * string goes through mh_json_quote), with the body-shaping faults. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manta/json_strict.h"
#include "refserver_int.h"

static int on(const mh_refserver *s, mh_refserver_fault f)
{
    return (s->faults & MH_FAULT_BIT(f)) != 0;
}

/* message plus the echo faults' leaks, quoted. */
static char *quoted_message(const mh_refserver *s, const char *message, const char *token)
{
    const char *secret = on(s, MH_FAULT_ECHO_SECRET) && s->secret ? s->secret : NULL;
    const char *tok = on(s, MH_FAULT_ECHO_TOKEN) && token ? token : NULL;
    size_t n = strlen(message) + (secret ? strlen(secret) + 16 : 0) + (tok ? strlen(tok) + 16 : 0);
    char *text = malloc(n + 1);
    if (!text)
        return NULL;
    int k = snprintf(text, n + 1, "%s", message);
    if (secret)
        k += snprintf(text + k, n + 1 - (size_t)k, " (secret: %s)", secret);
    if (tok)
        snprintf(text + k, n + 1 - (size_t)k, " (token: %s)", tok);
    char *q = mh_json_quote(text);
    free(text);
    return q;
}

char *mh__error_body(const mh_refserver *s, int status, const char *message, const char *bot_id,
                     const char *token, size_t *len)
{
    char *msg = quoted_message(s, message, token);
    char *bot = bot_id ? mh_json_quote(bot_id) : NULL;
    char *out = NULL;
    if (!msg || (bot_id && !bot))
        goto done;
    size_t cap = strlen(msg) + (bot ? strlen(bot) : 0) + 128;
    if (!(out = malloc(cap)))
        goto done;
    const char *dup = on(s, MH_FAULT_DUPLICATE_KEYS) ? "\"success\":false," : "";
    int k;
    if (status == 403 && on(s, MH_FAULT_ERROR_NO_ERRRESPONSE)) {
        k = snprintf(out, cap, "{%s\"success\":false,\"message\":%s}", dup, msg);
    } else {
        const char *cq = on(s, MH_FAULT_CODE_STRING) ? "\"" : "";
        k = snprintf(out, cap,
                     "{%s\"success\":false,\"errResponse\":{\"message\":%s,\"code\":%s%d%s", dup,
                     msg, cq, status, cq);
        if (bot)
            k += snprintf(out + k, cap - (size_t)k, ",\"botId\":%s", bot);
        k += snprintf(out + k, cap - (size_t)k, "}}");
    }
    if (on(s, MH_FAULT_TRAILING_GARBAGE))
        k += snprintf(out + k, cap - (size_t)k, "garbage");
    *len = (size_t)k;
done:
    free(msg);
    free(bot);
    return out;
}

char *mh__success_body(const mh_refserver *s, const char *message, size_t *len)
{
    char *msg = mh_json_quote(message);
    if (!msg)
        return NULL;
    size_t cap = strlen(msg) + 96;
    char *out = malloc(cap);
    if (out) {
        const char *flag = on(s, MH_FAULT_SUCCESS_STRING)  ? "\"true\""
                           : on(s, MH_FAULT_SUCCESS_FALSE) ? "false"
                                                           : "true";
        int k = snprintf(out, cap, "{%s\"success\":%s",
                         on(s, MH_FAULT_DUPLICATE_KEYS) ? "\"success\":true," : "", flag);
        if (!on(s, MH_FAULT_DROP_MESSAGE))
            k += snprintf(out + k, cap - (size_t)k, ",\"message\":%s", msg);
        k += snprintf(out + k, cap - (size_t)k, "}%s",
                      on(s, MH_FAULT_TRAILING_GARBAGE) ? "garbage" : "");
        *len = (size_t)k;
    }
    free(msg);
    return out;
}
