/* ratelimit.h — a token bucket per bot (requests per second, burst
 * max(1, rate)), locked, on the monotonic clock. */
#ifndef MH_REF_RATELIMIT_H
#define MH_REF_RATELIMIT_H

#include <pthread.h>

typedef struct {
    pthread_mutex_t mu;
    double rate;   /* tokens per second; <= 0 = unlimited */
    double burst;  /* bucket size */
    double tokens; /* current content */
    double last;   /* monotonic seconds of the last refill */
} mh__bucket;

/* Starts full. Returns 0, or -1 when the mutex cannot be created. */
int mh__bucket_init(mh__bucket *b, double rate);
void mh__bucket_destroy(mh__bucket *b);

/* Takes one token at monotonic time now (seconds). Returns 1 when taken;
 * 0 when empty, with *retry_after set to the whole seconds (>= 1) until a
 * token is available. Unlimited buckets always return 1. */
int mh__bucket_take(mh__bucket *b, double now, int *retry_after);

/* Monotonic clock in seconds. */
double mh__now_mono(void);

#endif
