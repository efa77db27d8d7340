/* ratelimit.c — see ratelimit.h. */
#include "ratelimit.h"

#include <math.h>
#include <time.h>

double mh__now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int mh__bucket_init(mh__bucket *b, double rate)
{
    b->rate = rate;
    b->burst = rate > 1 ? rate : 1;
    b->tokens = b->burst;
    b->last = mh__now_mono();
    return pthread_mutex_init(&b->mu, NULL) == 0 ? 0 : -1;
}

void mh__bucket_destroy(mh__bucket *b)
{
    pthread_mutex_destroy(&b->mu);
}

int mh__bucket_take(mh__bucket *b, double now, int *retry_after)
{
    if (b->rate <= 0)
        return 1;
    int ok;
    pthread_mutex_lock(&b->mu);
    if (now > b->last) {
        b->tokens += (now - b->last) * b->rate;
        if (b->tokens > b->burst)
            b->tokens = b->burst;
        b->last = now;
    }
    if (b->tokens >= 1) {
        b->tokens -= 1;
        ok = 1;
    } else {
        double wait = ceil((1 - b->tokens) / b->rate);
        *retry_after = wait < 1 ? 1 : wait > 86400 ? 86400 : (int)wait;
        ok = 0;
    }
    pthread_mutex_unlock(&b->mu);
    return ok;
}
