/* bench_events.c -- the event core's rate on the workloads of the shared DES
 * anchors (shared/anchors/README.md), so the figures compare one to one:
 *
 *   bench_events limit [DISPATCHES=20000000] [POPULATION=100000]
 *       POPULATION pending events, one per slot; each dispatch schedules its
 *       slot's next event at now + Exp(1 s); 10% of dispatches also cancel
 *       another slot's pending event and schedule a replacement.
 *   bench_events mm1 [EVENTS=1000000]
 *       M/M/1 (lambda 0.9, mu 1.0): arrival, service start, departure.
 *
 * Prints: events=N seconds=S events_per_s=R (+ details). Wall-clock timing
 * lives here, never in sim/. A run that cannot do what was asked (no
 * memory, a failed simulation, fewer events than asked) says so on stderr
 * and exits 1: it prints no figure.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ks_event.h"
#include "core/ks_rng.h"
#include "core/ks_sim.h"
#include "bench_clock.h"

static int fail(const char *what)
{
    fprintf(stderr, "bench_events: %s\n", what);
    return 1;
}

/* ---- limit: 100k pending, reschedule per dispatch, 10% cancels --------- */
typedef struct limit_state {
    ks_event_id *live;      /* pending event of each slot */
    uint32_t pop;
    ks_rng rng;
    uint64_t cancels;
} limit_state;

static void limit_handler(ks_sim *sim, void *subject, uint64_t slot)
{
    limit_state *s = subject;
    s->live[slot] = ks_event_after(sim, ks_rng_exp(&s->rng, 1e6), KS_PRIO_DEFAULT,
                                   limit_handler, s, slot);
    if (ks_rng_below(&s->rng, 10) == 0) {
        uint64_t other = ks_rng_below(&s->rng, s->pop);
        if (other != slot && ks_event_cancel(sim, s->live[other])) {
            s->cancels++;
            s->live[other] = ks_event_after(sim, ks_rng_exp(&s->rng, 1e6),
                                            KS_PRIO_DEFAULT, limit_handler, s, other);
        }
    }
}

static int run_limit(uint64_t dispatches, uint32_t pop)
{
    ks_sim_config cfg = {0};
    ks_sim *sim;
    limit_state s = {0};
    uint64_t done = 0;
    uint32_t i;
    double t0, t1;
    cfg.seed = 12345;
    sim = ks_sim_create(&cfg);
    s.live = calloc(pop, sizeof *s.live);
    if (pop < 2 || dispatches < 1)
        return fail("limit: POPULATION must be at least 2 and DISPATCHES at least 1");
    if (!sim || !s.live)
        return fail("limit: out of memory");
    s.pop = pop;
    ks_rng_seed(&s.rng, 12345);
    for (i = 0; i < pop; i++)
        s.live[i] = ks_event_after(sim, ks_rng_exp(&s.rng, 1e6), KS_PRIO_DEFAULT,
                                   limit_handler, &s, i);
    if (ks_sim_status(sim) != 0)
        return fail("limit: could not schedule the population (out of memory?)");
    t0 = bench_wall();
    while (done < dispatches && ks_step(sim))
        done++;
    t1 = bench_wall();
    if (done < dispatches || ks_sim_status(sim) != 0)
        return fail("limit: the event core stopped before the dispatches asked");
    printf("events=%llu seconds=%.4f events_per_s=%.0f population=%u cancels=%llu "
           "pending=%u\n", (unsigned long long)done, t1 - t0, (double)done / (t1 - t0),
           pop, (unsigned long long)s.cancels, ks_event_count(sim));
    free(s.live);
    ks_sim_destroy(sim);
    return 0;
}

/* ---- mm1 ----------------------------------------------------------------- */
typedef struct mm1 {
    ks_rng rng;
    ks_time *fifo;          /* arrival times waiting for service: a ring of
                               cap (a power of two) that doubles when full,
                               from 1,024, as the anchor's does */
    size_t head, tail, cap;
    int busy;
    uint64_t events, limit, served;
    double total_in_system;
} mm1;

static void mm1_start(ks_sim *sim, void *subject, uint64_t arg);

static void mm1_count(ks_sim *sim, mm1 *m)
{
    if (++m->events >= m->limit)
        ks_sim_stop(sim);
}

static void mm1_depart(ks_sim *sim, void *subject, uint64_t arrived)
{
    mm1 *m = subject;
    mm1_count(sim, m);
    m->served++;
    m->total_in_system += (double)(ks_now(sim) - (ks_time)arrived) / 1e6;
    m->busy = 0;
    if (m->head != m->tail)
        ks_event_post_after(sim, 0, KS_PRIO_DEFAULT, mm1_start, m, 0);
}

static void mm1_start(ks_sim *sim, void *subject, uint64_t arg)
{
    mm1 *m = subject;
    ks_time arrived;
    (void)arg;
    mm1_count(sim, m);
    arrived = m->fifo[m->head++ % m->cap];
    m->busy = 1;
    ks_event_post_after(sim, ks_rng_exp(&m->rng, 1e6), KS_PRIO_DEFAULT, mm1_depart, m,
                   (uint64_t)arrived);
}

/* Doubles the ring, keeping its order: the waiting customers move to the
 * front of the new one. Rare, so kept out of the handler (inlined, its
 * registers would be saved and restored on every arrival). */
static __attribute__((noinline, cold)) int mm1_grow(mm1 *m)
{
    ks_time *n = malloc(2 * m->cap * sizeof *n);
    size_t i, len = m->tail - m->head;
    if (!n)
        return -1;
    for (i = 0; i < len; i++)
        n[i] = m->fifo[(m->head + i) % m->cap];
    free(m->fifo);
    m->fifo = n;
    m->head = 0;
    m->tail = len;
    m->cap *= 2;
    return 0;
}

static void mm1_arrive(ks_sim *sim, void *subject, uint64_t arg)
{
    mm1 *m = subject;
    (void)arg;
    mm1_count(sim, m);
    if (m->tail - m->head == m->cap && mm1_grow(m) != 0) {
        fprintf(stderr, "mm1: out of memory\n");
        exit(1);
    }
    m->fifo[m->tail++ % m->cap] = ks_now(sim);
    if (!m->busy && m->tail - m->head == 1)
        ks_event_post_after(sim, 0, KS_PRIO_DEFAULT, mm1_start, m, 0);
    ks_event_post_after(sim, ks_rng_exp(&m->rng, 1e6 / 0.9), KS_PRIO_DEFAULT, mm1_arrive, m, 0);
}

static int run_mm1(uint64_t events)
{
    ks_sim *sim = ks_sim_create(NULL);
    mm1 m = {0};
    double t0, t1;
    m.cap = 1024;
    m.fifo = malloc(m.cap * sizeof *m.fifo);
    m.limit = events;
    if (events < 1)
        return fail("mm1: EVENTS must be at least 1");
    if (!sim || !m.fifo)
        return fail("mm1: out of memory");
    ks_rng_seed(&m.rng, 12345);
    ks_event_post_after(sim, ks_rng_exp(&m.rng, 1e6 / 0.9), KS_PRIO_DEFAULT, mm1_arrive, &m, 0);
    t0 = bench_wall();
    ks_run_until(sim, KS_TIME_MAX);
    t1 = bench_wall();
    if (m.events < m.limit || ks_sim_status(sim) != 0)
        return fail("mm1: the event core stopped before the events asked");
    printf("events=%llu seconds=%.4f events_per_s=%.0f mean_time_in_system=%.2f\n",
           (unsigned long long)m.events, t1 - t0, (double)m.events / (t1 - t0),
           m.served ? m.total_in_system / (double)m.served : 0.0);
    free(m.fifo);
    ks_sim_destroy(sim);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "limit";
    if (strcmp(mode, "limit") == 0)
        return run_limit(argc > 2 ? strtoull(argv[2], NULL, 10) : 20000000,
                         argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : 100000);
    if (strcmp(mode, "mm1") == 0)
        return run_mm1(argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000);
    fprintf(stderr, "usage: bench_events limit [DISPATCHES] [POPULATION]\n"
                    "       bench_events mm1 [EVENTS]\n");
    return 2;
}
