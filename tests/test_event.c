/* test_event.c -- the focus of this file: the event queue's total order,
 * cancel during dispatch, run-until bounds, and a million random operations
 * (scheduled, posted, cancelled, run) checked against a simple reference
 * queue. Posted events alone: test_event_post.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/ks_error.h"
#include "core/ks_event.h"
#include "core/ks_mem.h"
#include "core/ks_rng.h"
#include "core/ks_sim.h"
#include "core/internal/sim.h"

/* A log of which events ran, and at what time. */
typedef struct runlog {
    uint64_t arg[64];
    ks_time at[64];
    int n;
} runlog;

static void record(ks_sim *sim, void *subject, uint64_t arg)
{
    runlog *l = subject;
    if (l->n < 64) {
        l->arg[l->n] = arg;
        l->at[l->n] = ks_now(sim);
    }
    l->n++;
}

static ks_sim *new_sim(uint64_t seed)
{
    ks_sim_config cfg = {0};
    ks_sim *sim;
    cfg.seed = seed;
    sim = ks_sim_create(&cfg);
    assert_non_null(sim);
    return sim;
}

/* event-1: time first, then priority, then insertion order */
static void test_event_order_time_prio_seq(void **state)
{
    ks_sim *sim = new_sim(1);
    runlog l = {0};
    (void)state;
    ks_event_schedule(sim, 20, KS_PRIO_DEFAULT, record, &l, 1);
    ks_event_schedule(sim, 10, KS_PRIO_DEFAULT, record, &l, 2);
    ks_event_schedule(sim, 10, KS_PRIO_DEFAULT, record, &l, 3);   /* tie: after 2 */
    ks_event_schedule(sim, 10, KS_PRIO_FIRST, record, &l, 4);     /* prio beats seq */
    ks_event_schedule(sim, 10, KS_PRIO_LAST, record, &l, 5);
    ks_event_schedule(sim, 0, KS_PRIO_LAST, record, &l, 6);
    assert_int_equal(ks_event_count(sim), 6);
    assert_int_equal(ks_run_until(sim, 100), 6);
    assert_int_equal(l.n, 6);
    assert_int_equal(l.arg[0], 6);
    assert_int_equal(l.arg[1], 4);
    assert_int_equal(l.arg[2], 2);
    assert_int_equal(l.arg[3], 3);
    assert_int_equal(l.arg[4], 5);
    assert_int_equal(l.arg[5], 1);
    assert_int_equal(l.at[5], 20);
    assert_int_equal(ks_now(sim), 100);
    ks_sim_destroy(sim);
}

/* A handler that cancels the event whose id is in *subject, and one that
 * schedules another event at the current time. */
typedef struct canceller {
    ks_event_id victim;
    bool cancelled;
    runlog *log;
} canceller;

static void cancel_victim(ks_sim *sim, void *subject, uint64_t arg)
{
    canceller *c = subject;
    (void)arg;
    c->cancelled = ks_event_cancel(sim, c->victim);
}

/* event-2: cancel inside a handler, same time and later, and cancel of self */
static void test_event_cancel_in_handler(void **state)
{
    ks_sim *sim = new_sim(1);
    runlog l = {0};
    canceller c = {0}, self = {0};
    ks_event_id later;
    (void)state;
    ks_event_schedule(sim, 5, KS_PRIO_DEFAULT, cancel_victim, &c, 0);
    c.victim = ks_event_schedule(sim, 5, KS_PRIO_DEFAULT, record, &l, 1); /* same time */
    ks_event_schedule(sim, 5, KS_PRIO_DEFAULT, record, &l, 2);
    later = ks_event_schedule(sim, 50, KS_PRIO_DEFAULT, record, &l, 3);
    self.victim = ks_event_schedule(sim, 7, KS_PRIO_DEFAULT, cancel_victim, &self, 0);
    assert_true(ks_event_pending(sim, later));
    ks_run_until(sim, 100);
    assert_true(c.cancelled);
    assert_false(self.cancelled);     /* it was already running: not pending */
    assert_int_equal(l.n, 2);
    assert_int_equal(l.arg[0], 2);
    assert_int_equal(l.arg[1], 3);
    assert_false(ks_event_pending(sim, later));
    assert_false(ks_event_cancel(sim, later));   /* already ran */
    assert_false(ks_event_cancel(sim, 0));
    assert_false(ks_event_cancel(sim, 0xffffffffffffULL)); /* never existed */
    ks_sim_destroy(sim);
}

static void schedule_now(ks_sim *sim, void *subject, uint64_t arg)
{
    runlog *l = subject;
    record(sim, l, arg);
    if (arg < 3)
        ks_event_schedule(sim, ks_now(sim), KS_PRIO_FIRST, schedule_now, l, arg + 10);
}

/* event-3: an event scheduled for now during dispatch never runs
 * re-entrantly: it runs after the current handler returns, ordered by
 * priority against the events already queued for now. */
static void test_event_schedule_now_during_dispatch(void **state)
{
    ks_sim *sim = new_sim(1);
    runlog l = {0};
    (void)state;
    ks_event_schedule(sim, 3, KS_PRIO_DEFAULT, schedule_now, &l, 1);
    ks_event_schedule(sim, 3, KS_PRIO_DEFAULT, schedule_now, &l, 2);
    ks_run_until(sim, 3);
    assert_int_equal(l.n, 4);
    assert_int_equal(l.arg[0], 1);
    assert_int_equal(l.arg[1], 11);   /* prio FIRST beats the queued DEFAULT */
    assert_int_equal(l.arg[2], 2);
    assert_int_equal(l.arg[3], 12);
    ks_sim_destroy(sim);
}

/* event-4: run-until runs events at exactly t, not after; sets the clock */
static void test_event_run_until_bounds(void **state)
{
    ks_sim *sim = new_sim(1);
    runlog l = {0};
    ks_time next;
    (void)state;
    ks_event_schedule(sim, 10, KS_PRIO_LAST, record, &l, 1);
    ks_event_schedule(sim, 11, KS_PRIO_FIRST, record, &l, 2);
    assert_int_equal(ks_run_until(sim, 9), 0);
    assert_int_equal(ks_now(sim), 9);
    assert_int_equal(ks_run_until(sim, 10), 1);
    assert_int_equal(ks_now(sim), 10);
    assert_true(ks_next_time(sim, &next));
    assert_int_equal(next, 11);
    assert_true(ks_step(sim));
    assert_int_equal(ks_now(sim), 11);
    assert_false(ks_step(sim));
    assert_false(ks_next_time(sim, &next));
    assert_int_equal(ks_run_until(sim, 5), 0);     /* the past: no-op */
    assert_int_equal(ks_now(sim), 11);
    assert_int_equal(ks_event_dispatched(sim), 2);
    ks_sim_destroy(sim);
}

static void stopper(ks_sim *sim, void *subject, uint64_t arg)
{
    record(sim, subject, arg);
    ks_sim_stop(sim);
}

/* event-5: ks_sim_stop makes run-until return after the current event,
 * leaving the clock there; reschedule moves an event */
static void test_event_stop_and_reschedule(void **state)
{
    ks_sim *sim = new_sim(1);
    runlog l = {0};
    ks_event_id id;
    (void)state;
    ks_event_schedule(sim, 5, KS_PRIO_DEFAULT, stopper, &l, 1);
    id = ks_event_schedule(sim, 6, KS_PRIO_DEFAULT, record, &l, 2);
    ks_event_schedule(sim, 8, KS_PRIO_DEFAULT, record, &l, 3);
    assert_int_equal(ks_run_until(sim, 100), 1);
    assert_int_equal(ks_now(sim), 5);
    id = ks_event_reschedule(sim, id, 9);
    assert_true(id != 0);
    assert_int_equal(ks_run_until(sim, 100), 2);
    assert_int_equal(l.arg[1], 3);
    assert_int_equal(l.arg[2], 2);
    assert_int_equal(l.at[2], 9);
    assert_int_equal(ks_event_reschedule(sim, id, 200), 0);   /* ran already */
    ks_sim_destroy(sim);
}

/* event-6: misuse (the past, bad priority) marks the sim failed, no crash */
static void test_event_misuse_fails_the_sim(void **state)
{
    ks_sim *sim = new_sim(1);
    runlog l = {0};
    (void)state;
    ks_run_until(sim, 100);
    assert_int_equal(ks_event_schedule(sim, 50, KS_PRIO_DEFAULT, record, &l, 1), 0);
    assert_int_equal(ks_sim_status(sim), KS_EINTERNAL);
    assert_int_equal(ks_event_schedule(sim, 150, KS_PRIO_DEFAULT, record, &l, 1), 0);
    assert_false(ks_step(sim));
    ks_sim_destroy(sim);
    sim = new_sim(1);
    assert_int_equal(ks_event_schedule(sim, 1, 256, record, &l, 1), 0);
    assert_int_equal(ks_sim_status(sim), KS_EINTERNAL);
    ks_sim_destroy(sim);
}

/* ---- event-7: a million random operations against a reference --------- */
typedef struct ref_ev {
    ks_time t;
    int prio;
    uint64_t seq;
    ks_event_id id;
} ref_ev;

typedef struct fuzz_state {
    ref_ev *pend;
    size_t npend;
    uint64_t last_dispatched;
    uint64_t dispatches;
} fuzz_state;

static void fuzz_handler(ks_sim *sim, void *subject, uint64_t arg)
{
    fuzz_state *f = subject;
    (void)sim;
    f->last_dispatched = arg;
    f->dispatches++;
}

static size_t ref_min(const fuzz_state *f)
{
    size_t i, best = 0;
    for (i = 1; i < f->npend; i++) {
        const ref_ev *a = &f->pend[i], *b = &f->pend[best];
        if (a->t < b->t || (a->t == b->t && (a->prio < b->prio
                              || (a->prio == b->prio && a->seq < b->seq))))
            best = i;
    }
    return best;
}

static void test_event_random_ops_match_reference(void **state)
{
    ks_sim *sim = new_sim(42);
    fuzz_state f = {0};
    ks_rng r;
    uint64_t seq = 0;
    long op;
    (void)state;
    f.pend = calloc(4096, sizeof *f.pend);
    assert_non_null(f.pend);
    ks_rng_seed(&r, 12345);
    for (op = 0; op < 1000000; op++) {
        uint64_t dice = ks_rng_below(&r, 100);
        if (dice < 45 && f.npend < 4096) {
            /* few distinct times and priorities, so ties are common */
            ks_time t = ks_now(sim) + (ks_time)ks_rng_below(&r, 50);
            int prio = (int)ks_rng_below(&r, 3) * 100;
            ref_ev *e = &f.pend[f.npend++];
            e->t = t;
            e->prio = prio;
            e->seq = seq++;
            if (dice < 15) {          /* a third of them posted: no id */
                e->id = 0;
                assert_int_equal(ks_event_post(sim, t, prio, fuzz_handler, &f, e->seq), KS_OK);
            } else {
                e->id = ks_event_schedule(sim, t, prio, fuzz_handler, &f, e->seq);
                assert_true(e->id != 0);
            }
        } else if (dice < 65 && f.npend) {
            size_t i = ks_rng_below(&r, f.npend);
            if (f.pend[i].id) {       /* a post cannot be cancelled */
                assert_true(ks_event_cancel(sim, f.pend[i].id));
                assert_false(ks_event_cancel(sim, f.pend[i].id));
                f.pend[i] = f.pend[--f.npend];
            }
        } else if (f.npend) {
            size_t i = ref_min(&f);
            uint64_t before = f.dispatches;
            assert_true(ks_step(sim));
            assert_int_equal(f.dispatches, before + 1);
            assert_int_equal(f.last_dispatched, f.pend[i].seq);
            assert_int_equal(ks_now(sim), f.pend[i].t);
            f.pend[i] = f.pend[--f.npend];
        } else {
            assert_false(ks_step(sim));
        }
        assert_int_equal(ks_event_count(sim), f.npend);
    }
    free(f.pend);
    ks_sim_destroy(sim);
}

/* event-8: two simulations side by side do not disturb each other */
static void test_event_two_sims_side_by_side(void **state)
{
    ks_sim *a = new_sim(1), *b = new_sim(1);
    runlog la = {0}, lb = {0};
    (void)state;
    ks_event_schedule(a, 10, KS_PRIO_DEFAULT, record, &la, 1);
    ks_event_schedule(b, 20, KS_PRIO_DEFAULT, record, &lb, 2);
    ks_run_until(a, 15);
    assert_int_equal(la.n, 1);
    assert_int_equal(lb.n, 0);
    assert_int_equal(ks_now(b), 0);
    ks_run_until(b, 30);
    assert_int_equal(lb.n, 1);
    assert_int_equal(la.n, 1);
    ks_sim_destroy(a);
    ks_sim_destroy(b);
}

/* Schedules count events at (i * mul) % mod with every allocation from
 * the n-th on failing, for each n below max_n, and runs them: refused
 * while scheduling (nothing runs), or while refilling the near heap, the
 * sim is marked failed; what ran, ran in order; nothing leaks. */
static void oom_queue(long max_n, int count, int mul, int mod)
{
    long n;
    for (n = 1; n < max_n; n++) {
        ks_failing_alloc fa = {0};
        ks_sim_config cfg = {0};
        ks_sim *sim;
        runlog l = {0};
        int i, scheduled = 0;
        uint64_t ran;
        fa.fail_at = n;
        cfg.alloc = ks_allocator_failing(&fa);
        sim = ks_sim_create(&cfg);
        if (!sim) {
            assert_int_equal(fa.live, 0);
            continue;
        }
        for (i = 0; i < count; i++)
            if (ks_event_schedule(sim, (ks_time)(((int64_t)i * mul) % mod), KS_PRIO_DEFAULT,
                                  record, &l, (uint64_t)i))
                scheduled++;
        ran = ks_run_until(sim, KS_TIME_MAX);
        if (fa.failed) {
            assert_int_equal(ks_sim_status(sim), KS_ENOMEM);
            assert_true(ran < (uint64_t)scheduled || scheduled < count);
            if (scheduled < count)
                assert_int_equal(ran, 0);
        } else {
            assert_int_equal(ran, count);
        }
        for (i = 1; i < l.n && i < 64; i++)
            assert_true(l.at[i] >= l.at[i - 1]);
        ks_sim_destroy(sim);
        assert_int_equal(fa.live, 0);
    }
}

/* event-9: out of memory while scheduling marks the sim failed; nothing
 * leaks and nothing crashes, whichever allocation fails */
static void test_event_oom_every_allocation(void **state)
{
    (void)state;
    oom_queue(40, 3000, 1, 3001);
}

/* event-10: heavy cancel churn (tombstones swept by compaction) stays exact */
static void test_event_cancel_churn_bounded(void **state)
{
    ks_sim *sim = new_sim(1);
    runlog l = {0};
    ks_event_id id = 0;
    int i;
    (void)state;
    for (i = 0; i < 200000; i++) {
        ks_event_cancel(sim, id);
        id = ks_event_schedule(sim, 1000 + i, KS_PRIO_DEFAULT, record, &l, 0);
        assert_true(id != 0);
    }
    assert_int_equal(ks_event_count(sim), 1);
    assert_int_equal(ks_run_until(sim, KS_TIME_MAX), 1);
    assert_int_equal(l.at[0], 1000 + 199999);
    ks_sim_destroy(sim);
}

/* event-11: a large queue (two tiers: the far tier's buckets laid out,
 * used up, laid out anew as it grows) runs in exactly the total order:
 * 60,000 events at first, a tenth of them cancelled, each dispatch
 * scheduling a later one until 300,000 have run, with few distinct times
 * and priorities so that ties are common. Every key dispatched is greater
 * than the one before, and every event not cancelled runs exactly once. */
typedef struct big_state {
    ks_rng r;
    ks_event_id *id;          /* by arg: its pending event, 0 when none */
    uint64_t last_key[2];     /* (t << 8 | prio, seq) of the last dispatch */
    uint64_t *seq_of;         /* by arg: the seq its pending event was given */
    uint64_t *prio_of;        /* by arg: and its priority */
    uint64_t next_seq, ran, more;
    size_t n;
} big_state;

static void big_schedule(ks_sim *sim, big_state *b, uint64_t arg, ks_time t, int prio);

static void big_handler(ks_sim *sim, void *subject, uint64_t arg)
{
    big_state *b = subject;
    uint64_t key = (uint64_t)ks_now(sim) << 8 | b->prio_of[arg];
    assert_true(b->id[arg] != 0);
    b->id[arg] = 0;
    /* (time, priority, seq) only grows: nothing is scheduled at now */
    if (b->ran)
        assert_true(key > b->last_key[0]
                    || (key == b->last_key[0] && b->seq_of[arg] > b->last_key[1]));
    b->last_key[0] = key;
    b->last_key[1] = b->seq_of[arg];
    b->ran++;
    if (b->more) {
        b->more--;
        big_schedule(sim, b, arg, ks_now(sim) + 1 + (ks_time)ks_rng_below(&b->r, 2000000),
                     (int)ks_rng_below(&b->r, 3) * 100);
    }
}

static void big_schedule(ks_sim *sim, big_state *b, uint64_t arg, ks_time t, int prio)
{
    /* a coarse grid of times: many events share one */
    t -= t % 97;
    if (t <= ks_now(sim))
        t = ks_now(sim) + 1;
    b->seq_of[arg] = b->next_seq++;
    b->prio_of[arg] = (uint64_t)prio;
    b->id[arg] = ks_event_schedule(sim, t, prio, big_handler, b, arg);
    assert_true(b->id[arg] != 0);
}

static void test_event_large_queue_order(void **state)
{
    ks_sim *sim = new_sim(3);
    big_state b = {0};
    uint64_t cancelled = 0, i;
    (void)state;
    b.n = 60000;
    b.id = calloc(b.n, sizeof *b.id);
    b.seq_of = calloc(b.n, sizeof *b.seq_of);
    b.prio_of = calloc(b.n, sizeof *b.prio_of);
    assert_non_null(b.prio_of);
    assert_non_null(b.id);
    assert_non_null(b.seq_of);
    ks_rng_seed(&b.r, 99);
    for (i = 0; i < b.n; i++)
        big_schedule(sim, &b, i, 1 + (ks_time)ks_rng_below(&b.r, 5000000),
                     (int)ks_rng_below(&b.r, 3) * 100);
    for (i = 0; i < b.n; i += 10) {
        assert_true(ks_event_cancel(sim, b.id[i]));
        b.id[i] = 0;
        cancelled++;
    }
    assert_int_equal(ks_event_count(sim), b.n - cancelled);
    b.more = 300000 - (b.n - cancelled);
    ks_run_until(sim, KS_TIME_MAX);
    assert_int_equal(ks_sim_status(sim), KS_OK);
    assert_int_equal(b.ran, 300000);
    assert_int_equal(ks_event_count(sim), 0);
    for (i = 0; i < b.n; i++)
        assert_int_equal(b.id[i], 0);
    free(b.id);
    free(b.seq_of);
    free(b.prio_of);
    ks_sim_destroy(sim);
}

/* event-12: a large queue against the reference order exactly: 20,000
 * events (two tiers; a sixth of them posted, in the posts' heap) and 500
 * sparse ones far beyond them, 60 % cancelled
 * (tombstones swept from every tier), every 7th left moved later (found in
 * whichever tier holds it); what runs is sorted by (time, priority, seq). */
typedef struct ord_ev {
    ks_time t;
    int prio;
    uint64_t seq, idx;        /* idx: the arg it runs with */
    ks_event_id id;
    int cancelled;
} ord_ev;

static int ord_cmp(const void *x, const void *y)
{
    const ord_ev *a = x, *b = y;
    if (a->cancelled != b->cancelled)
        return a->cancelled - b->cancelled;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->prio != b->prio)
        return a->prio < b->prio ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void ord_record(ks_sim *sim, void *subject, uint64_t arg)
{
    uint64_t *out = subject;
    (void)sim;
    out[out[0]++ + 1] = arg;
}

static void test_event_large_queue_reference(void **state)
{
    enum { DENSE = 20000, N = DENSE + 500 };
    ks_sim *sim = new_sim(5);
    ord_ev *ev = calloc(N, sizeof *ev);
    uint64_t *out = calloc(N + 1, sizeof *out), seq = 0, live = 0;
    ks_rng r;
    size_t i;
    (void)state;
    assert_non_null(ev);
    assert_non_null(out);
    ks_rng_seed(&r, 7);
    for (i = 0; i < N; i++) {
        ev[i].t = i < DENSE ? 1 + (ks_time)ks_rng_below(&r, 1000) * (ks_time)ks_rng_below(&r, 1000)
                            : 1000000000 + (ks_time)(i - DENSE) * 1000000;
        ev[i].prio = (int)ks_rng_below(&r, 4) * 60;
        ev[i].seq = seq++;
        ev[i].idx = i;
        if (i % 5 == 4 && i % 7 != 0) {      /* posted: neither cancelled nor moved */
            assert_int_equal(ks_event_post(sim, ev[i].t, ev[i].prio, ord_record, out, i),
                             KS_OK);
            continue;
        }
        ev[i].id = ks_event_schedule(sim, ev[i].t, ev[i].prio, ord_record, out, i);
        assert_true(ev[i].id != 0);
    }
    for (i = 0; i < N; i++)
        if (i % 5 < 3) {
            assert_true(ks_event_cancel(sim, ev[i].id));
            ev[i].cancelled = 1;
        }
    for (i = 0; i < N; i++)
        if (!ev[i].cancelled && i % 7 == 0) {
            ev[i].t += 12345;
            ev[i].seq = seq++;
            ev[i].id = ks_event_reschedule(sim, ev[i].id, ev[i].t);
            assert_true(ev[i].id != 0);
        }
    for (i = 0; i < N; i++)
        live += !ev[i].cancelled;
    assert_int_equal(ks_event_count(sim), live);
    assert_int_equal(ks_run_until(sim, KS_TIME_MAX), live);
    assert_int_equal(out[0], live);
    qsort(ev, N, sizeof *ev, ord_cmp);
    for (i = 0; i < live; i++)
        assert_int_equal(out[i + 1], ev[i].idx);
    free(ev);
    free(out);
    ks_sim_destroy(sim);
}

/* event-14: cancels in the middle of a run: half the dense queue has run
 * (the near tier is a bucket sorted into a run, partly consumed), then the
 * next event and two thirds of the rest are cancelled (tombstones swept
 * from the run too, its entry in the heap among them); what runs in all is
 * still the reference order. */
static void test_event_cancel_mid_run(void **state)
{
    enum { N = 20000 };
    ks_sim *sim = new_sim(11);
    ord_ev *ev = calloc(N, sizeof *ev), *by_time = calloc(N, sizeof *ev);
    uint64_t *out = calloc(N + 1, sizeof *out), live = 0, ran;
    ks_rng r;
    size_t i;
    (void)state;
    assert_non_null(ev);
    assert_non_null(by_time);
    assert_non_null(out);
    ks_rng_seed(&r, 13);
    for (i = 0; i < N; i++) {
        ev[i].t = 1 + (ks_time)ks_rng_below(&r, 1000) * (ks_time)ks_rng_below(&r, 1000);
        ev[i].prio = (int)ks_rng_below(&r, 4) * 60;
        ev[i].seq = i;
        ev[i].idx = i;
        ev[i].id = ks_event_schedule(sim, ev[i].t, ev[i].prio, ord_record, out, i);
        assert_true(ev[i].id != 0);
    }
    memcpy(by_time, ev, N * sizeof *ev);
    qsort(by_time, N, sizeof *ev, ord_cmp);
    ran = ks_run_until(sim, by_time[N / 2].t - 1);
    assert_true(ran > 0 && ran < N);
    assert_true(ks_event_cancel(sim, ev[by_time[ran].idx].id));   /* the next one */
    ev[by_time[ran].idx].cancelled = 1;
    for (i = 0; i < N; i++)
        if (!ev[i].cancelled && i % 3 != 0 && ks_event_cancel(sim, ev[i].id))
            ev[i].cancelled = 1;
    for (i = 0; i < N; i++)
        live += !ev[i].cancelled;
    assert_int_equal(ks_event_count(sim), live - ran);
    assert_int_equal(ks_run_until(sim, KS_TIME_MAX), live - ran);
    assert_int_equal(out[0], live);
    qsort(ev, N, sizeof *ev, ord_cmp);
    for (i = 0; i < live; i++)
        assert_int_equal(out[i + 1], ev[i].idx);
    free(ev);
    free(by_time);
    free(out);
    ks_sim_destroy(sim);
}

/* event-13: the same with a large queue (spilling to two tiers, laying
 * buckets out), its times out of order */
static void test_event_oom_large_queue(void **state)
{
    (void)state;
    oom_queue(80, 30000, 7919, 30011);
}

/* event-15: the sort a bucket goes through to become a run (ks_event_sort.c)
 * gives the (tp, sk) order of qsort: on narrow and full 64-bit spans, on
 * groups of one tp far longer than the insertion sort takes, and on sizes
 * around its threshold. */
static int entry_cmp(const void *x, const void *y)
{
    const ksi_heap_entry *a = x, *b = y;
    if (a->tp != b->tp)
        return a->tp < b->tp ? -1 : 1;
    return a->sk < b->sk ? -1 : a->sk > b->sk;
}

static void test_event_run_sort(void **state)
{
    static const size_t sizes[] = {0, 1, 5, 31, 32, 33, 100, 800, 5000};
    ksi_heap_entry *a = calloc(5000, sizeof *a), *tmp = calloc(5000, sizeof *a),
                   *ref = calloc(5000, sizeof *a), *got;
    ks_rng r;
    size_t s, i;
    int shape;
    (void)state;
    assert_non_null(a);
    assert_non_null(tmp);
    assert_non_null(ref);
    ks_rng_seed(&r, 17);
    for (shape = 0; shape < 4; shape++)
        for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            for (i = 0; i < sizes[s]; i++) {
                uint64_t u = ks_rng_u64(&r);
                a[i].tp = shape == 0 ? (1000000 + u % 50000) << 8 | 128    /* a bucket */
                        : shape == 1 ? u                                      /* any word */
                        : shape == 2 ? (uint64_t)(u % 3) << 40                /* long ties */
                                     : 42;                                    /* one tp */
                a[i].sk = (ks_rng_u64(&r) >> 24) << 24 | i;                  /* unique */
            }
            memcpy(ref, a, sizes[s] * sizeof *a);
            if (sizes[s])
                qsort(ref, sizes[s], sizeof *ref, entry_cmp);
            got = ksi_entries_sort(a, tmp, sizes[s]);
            assert_true(got == a || got == tmp);
            for (i = 0; i < sizes[s]; i++) {
                assert_int_equal(got[i].tp, ref[i].tp);
                assert_int_equal(got[i].sk, ref[i].sk);
            }
        }
    free(a);
    free(tmp);
    free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_order_time_prio_seq),
        cmocka_unit_test(test_event_cancel_in_handler),
        cmocka_unit_test(test_event_schedule_now_during_dispatch),
        cmocka_unit_test(test_event_run_until_bounds),
        cmocka_unit_test(test_event_stop_and_reschedule),
        cmocka_unit_test(test_event_misuse_fails_the_sim),
        cmocka_unit_test(test_event_random_ops_match_reference),
        cmocka_unit_test(test_event_two_sims_side_by_side),
        cmocka_unit_test(test_event_oom_every_allocation),
        cmocka_unit_test(test_event_cancel_churn_bounded),
        cmocka_unit_test(test_event_large_queue_order),
        cmocka_unit_test(test_event_large_queue_reference),
        cmocka_unit_test(test_event_oom_large_queue),
        cmocka_unit_test(test_event_cancel_mid_run),
        cmocka_unit_test(test_event_run_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
