/* bench_clock.h -- the clocks the benchmarks (and tests/test_shell.c's
 * deadlines) read: one copy, not one per program. Header-only: each bench
 * is its own program. Needs _POSIX_C_SOURCE >= 199309L (clock_gettime). */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <time.h>

/* Clock id's seconds (CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
 * CLOCK_THREAD_CPUTIME_ID). */
static inline double bench_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Wall seconds from an arbitrary start, never going back. */
static inline double bench_wall(void)
{
    return bench_clock(CLOCK_MONOTONIC);
}

#endif
