/* test_event_post.c -- the focus of this file: posted events (no id, never
 * cancelled) run in the one order of (time, priority, scheduling order)
 * with scheduled ones, are counted, seen and stepped like them, and fail
 * the sim on a bad call as ks_event_schedule does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/ks_error.h"
#include "core/ks_event.h"
#include "core/ks_mem.h"
#include "core/ks_sim.h"

/* Which events ran, and when. */
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

static ks_sim *new_sim(void)
{
    ks_sim *sim = ks_sim_create(NULL);
    assert_non_null(sim);
    return sim;
}

/* post-1: posts and scheduled events share one order: time, then
 * priority, then the order they were scheduled in, whichever the kind */
static void test_post_order_with_scheduled(void **state)
{
    ks_sim *sim = new_sim();
    runlog l = {0};
    static const uint64_t want[] = {7, 4, 2, 3, 6, 5, 1};
    int i;
    (void)state;
    assert_int_equal(ks_event_post(sim, 20, KS_PRIO_DEFAULT, record, &l, 1), KS_OK);
    assert_true(ks_event_schedule(sim, 10, KS_PRIO_DEFAULT, record, &l, 2) != 0);
    assert_int_equal(ks_event_post(sim, 10, KS_PRIO_DEFAULT, record, &l, 3), KS_OK);
    assert_int_equal(ks_event_post(sim, 10, KS_PRIO_FIRST, record, &l, 4), KS_OK);
    assert_true(ks_event_schedule(sim, 10, KS_PRIO_LAST, record, &l, 5) != 0);
    assert_int_equal(ks_event_post(sim, 10, KS_PRIO_DEFAULT, record, &l, 6), KS_OK);
    assert_int_equal(ks_event_post_after(sim, 0, KS_PRIO_LAST, record, &l, 7), KS_OK);
    assert_int_equal(ks_event_count(sim), 7);
    assert_int_equal(ks_run_until(sim, 100), 7);
    assert_int_equal(l.n, 7);
    for (i = 0; i < 7; i++)
        assert_int_equal(l.arg[i], want[i]);
    assert_int_equal(l.at[0], 0);
    assert_int_equal(l.at[6], 20);
    assert_int_equal(ks_event_count(sim), 0);
    ks_sim_destroy(sim);
}

/* A handler that posts one event delay later, until n are done. */
typedef struct chain {
    runlog log;
    int left;
} chain;

static void chain_step(ks_sim *sim, void *subject, uint64_t arg)
{
    chain *c = subject;
    record(sim, &c->log, arg);
    if (--c->left > 0)
        ks_event_post_after(sim, 10, KS_PRIO_DEFAULT, chain_step, c, arg + 1);
}

/* post-2: ks_next_time sees a post, ks_step runs one, ks_run_until stops
 * before one past its bound and leaves the clock at the bound; a post made
 * during dispatch for now runs after the current event */
static void test_post_step_next_time_bounds(void **state)
{
    ks_sim *sim = new_sim();
    chain c = {{{0}, {0}, 0}, 5};
    ks_time t = -1;
    (void)state;
    assert_false(ks_next_time(sim, &t));
    assert_int_equal(ks_event_post(sim, 5, KS_PRIO_DEFAULT, chain_step, &c, 0), KS_OK);
    assert_true(ks_next_time(sim, &t));
    assert_int_equal(t, 5);
    assert_true(ks_step(sim));
    assert_int_equal(ks_now(sim), 5);
    assert_int_equal(ks_event_count(sim), 1);
    assert_int_equal(ks_run_until(sim, 30), 2);          /* at 15 and 25 */
    assert_int_equal(ks_now(sim), 30);
    assert_true(ks_next_time(sim, &t));
    assert_int_equal(t, 35);
    assert_int_equal(ks_run_until(sim, KS_TIME_MAX), 2);
    assert_int_equal(c.log.n, 5);
    assert_int_equal(c.log.arg[4], 4);
    assert_int_equal(c.log.at[4], 45);
    assert_false(ks_step(sim));
    ks_sim_destroy(sim);
}

/* post-3: a post in the past, with a bad priority or without a handler is
 * a bug in the caller: the sim is marked failed (KS_EINTERNAL) and nothing
 * more runs; a negative delay means now */
static void test_post_misuse_fails_the_sim(void **state)
{
    ks_sim *sim = new_sim();
    runlog l = {0};
    (void)state;
    ks_run_until(sim, 100);
    assert_int_equal(ks_event_post_after(sim, -5, KS_PRIO_DEFAULT, record, &l, 1), KS_OK);
    assert_int_equal(ks_run_until(sim, 100), 1);
    assert_int_equal(l.at[0], 100);
    assert_int_equal(ks_event_post(sim, 50, KS_PRIO_DEFAULT, record, &l, 2), KS_EINTERNAL);
    assert_int_equal(ks_sim_status(sim), KS_EINTERNAL);
    assert_int_equal(ks_event_post(sim, 150, KS_PRIO_DEFAULT, record, &l, 3), KS_EINTERNAL);
    assert_false(ks_step(sim));
    ks_sim_destroy(sim);
    sim = new_sim();
    assert_int_equal(ks_event_post(sim, 1, 256, record, &l, 4), KS_EINTERNAL);
    ks_sim_destroy(sim);
    sim = new_sim();
    assert_int_equal(ks_event_post_after(sim, 1, KS_PRIO_DEFAULT, NULL, &l, 5), KS_EINTERNAL);
    assert_int_equal(ks_run_until(sim, KS_TIME_MAX), 0);
    assert_int_equal(l.n, 1);
    ks_sim_destroy(sim);
}

/* post-4: out of memory while posting marks the sim failed with KS_ENOMEM,
 * whichever allocation fails; what ran, ran in order; nothing leaks */
static void test_post_oom_every_allocation(void **state)
{
    long n;
    (void)state;
    for (n = 1; n < 20; n++) {
        ks_failing_alloc fa = {0};
        ks_sim_config cfg = {0};
        ks_sim *sim;
        runlog l = {0};
        int i, posted = 0;
        fa.fail_at = n;
        cfg.alloc = ks_allocator_failing(&fa);
        sim = ks_sim_create(&cfg);
        if (!sim)
            continue;
        for (i = 0; i < 3000; i++)
            if (ks_event_post(sim, (ks_time)(((int64_t)i * 7) % 3001), KS_PRIO_DEFAULT, record,
                              &l, (uint64_t)i) == KS_OK)
                posted++;
        if (fa.failed) {
            assert_true(posted < 3000);
            assert_int_equal(ks_sim_status(sim), KS_ENOMEM);
            assert_int_equal(ks_run_until(sim, KS_TIME_MAX), 0);
        } else {
            assert_int_equal(ks_run_until(sim, KS_TIME_MAX), 3000);
            for (i = 1; i < 64; i++)
                assert_true(l.at[i] >= l.at[i - 1]);
        }
        ks_sim_destroy(sim);
        assert_int_equal(fa.live, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_post_order_with_scheduled),
        cmocka_unit_test(test_post_step_next_time_bounds),
        cmocka_unit_test(test_post_misuse_fails_the_sim),
        cmocka_unit_test(test_post_oom_every_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
