/* log.c — the reference server's request log: one line per answer, the
 * client's path bounded, without control bytes and with the secret and the
 * key redacted. The bottom of refserver/: it calls no other file here. */
#include <stdio.h>
#include <stdlib.h>

#include "manta/redact.h"
#include "refserver_int.h"

void mh__log(mh_refserver *s, const char *method, const char *path, const mh__answer *a, double ms)
{
    if (!s->log)
        return;
    /* the path is client data: print it bounded and without control bytes */
    char p[201];
    size_t i = 0;
    for (; path && path[i] && i < sizeof p - 1; i++)
        p[i] = (unsigned char)path[i] < 0x20 || path[i] == 0x7f ? '?' : path[i];
    p[i] = '\0';
    char *shown = mh_redact(s->log_redactor, p, i);
    const char *path_out = shown ? shown : "(path withheld)";
    pthread_mutex_lock(&s->log_mu);
    if (a->drop || !a->status)
        fprintf(s->log, "%.16s %s - %.2fms (connection closed)\n", method, path_out, ms);
    else
        fprintf(s->log, "%.16s %s %d %.2fms\n", method, path_out, a->status, ms);
    fflush(s->log);
    pthread_mutex_unlock(&s->log_mu);
    free(shown);
}
