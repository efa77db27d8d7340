/* bench_load.c — how long loading (parse + $ref bundling + compiling every
 * schema) of one OpenAPI document takes, and how much memory it holds.
 *
 * usage: bench_load FILE [REPS]   prints: "load FILE: best B ms, median M ms
 * over REPS, N operations, RSS after load R KiB, file S bytes". Peak RSS of
 * the whole process is measured from outside (GNU time) by run.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "manta/spec.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_load FILE [REPS]\n");
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (reps < 1 || reps > 1000)
        reps = 5;
    double *t = calloc((size_t)reps, sizeof *t);
    size_t ops = 0;
    long rss = 0;
    for (int i = 0; i < reps; i++) {
        mh_spec *sp = NULL;
        mh_error err;
        double t0 = now_ms();
        if (mh_spec_load(argv[1], &sp, &err) != MH_OK) {
            char line[1400];
            fprintf(stderr, "bench_load: %s\n", mh_error_format(&err, line, sizeof line));
            free(t);
            return 1;
        }
        t[i] = now_ms() - t0;
        ops = mh_spec_operation_count(sp);
        if (i == 0)
            rss = rss_kib();
        mh_spec_free(sp);
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    struct stat st;
    long long size = stat(argv[1], &st) == 0 ? (long long)st.st_size : -1;
    printf("load %s: best %.2f ms, median %.2f ms over %d, %zu operations, RSS after load %ld "
           "KiB, file %lld bytes\n",
           argv[1], t[0], t[reps / 2], reps, ops, rss, size);
    free(t);
    return 0;
}
