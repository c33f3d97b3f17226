/* test_anim.c -- the focus of this file: request dots and crash bursts
 * (render/kr_anim.c) fed with synthetic hops, without SDL: hops too short
 * to see are stretched, a request's hops play in order, failed dots linger
 * with their status code, dense traffic is thinned (never failures), the
 * ring drops the oldest, bursts run on the animation clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kr_anim.h"

typedef struct seen {
    kr_dot_view v[64];
    size_t n;
} seen;

static void collect(void *ud, const kr_dot_view *d)
{
    seen *s = ud;
    if (s->n < 64)
        s->v[s->n++] = *d;
}

static seen look(kr_anim *a, ks_time now)
{
    seen s;
    memset(&s, 0, sizeof s);
    kr_anim_dots(a, now, collect, &s);
    return s;
}

static kr_hop hop(uint64_t req, kr_ep_kind fk, ks_id f, kr_ep_kind tk, ks_id t, ks_time t0,
                  ks_time t1, bool ok, int status)
{
    kr_hop h;
    memset(&h, 0, sizeof h);
    h.req = req;
    h.from.kind = fk;
    h.from.id = f;
    h.to.kind = tk;
    h.to.id = t;
    h.t_start = t0;
    h.t_end = t1;
    h.ok = ok;
    h.status = status;
    return h;
}

/* anim-1: a 2 ms hop is shown for the minimum visual time */
static void test_anim_short_hops_are_stretched(void **state)
{
    kr_anim *a = kr_anim_create();
    kr_hop h = hop(0, KR_EP_CLIENT, 0, KR_EP_INGRESS, 7, KS_SEC, KS_SEC + 2 * KS_MSEC, true, 200);
    seen s;
    (void)state;
    kr_anim_set_min_visual(a, 500 * KS_MSEC);
    kr_anim_add_hop(a, &h);
    s = look(a, KS_SEC - 1);
    assert_int_equal(s.n, 0);                       /* not started */
    s = look(a, KS_SEC + 250 * KS_MSEC);
    assert_int_equal(s.n, 1);
    assert_true(s.v[0].frac > 0.49f && s.v[0].frac < 0.51f);
    assert_int_equal(s.v[0].to.id, 7);
    assert_true(s.v[0].ok);
    s = look(a, KS_SEC + 501 * KS_MSEC);            /* arrived, lingering a little */
    assert_int_equal(s.n, 1);
    assert_true(s.v[0].frac == 1.0f && s.v[0].alpha < 1.0f);
    s = look(a, 3 * KS_SEC);
    assert_int_equal(s.n, 0);
    assert_int_equal(kr_anim_count(a), 0);          /* pruned */
    kr_anim_destroy(a);
}

/* anim-2: the hops of one request play one after the other */
static void test_anim_request_hops_chain(void **state)
{
    kr_anim *a = kr_anim_create();
    kr_hop h1 = hop(42, KR_EP_CLIENT, 0, KR_EP_INGRESS, 1, 0, KS_MSEC, true, 200);
    kr_hop h2 = hop(42, KR_EP_INGRESS, 1, KR_EP_SERVICE, 2, KS_MSEC, 2 * KS_MSEC, true, 200);
    kr_hop h3 = hop(42, KR_EP_SERVICE, 2, KR_EP_POD, 3, 2 * KS_MSEC, 5 * KS_MSEC, false, 503);
    seen s;
    (void)state;
    kr_anim_set_min_visual(a, KS_SEC);
    kr_anim_add_hop(a, &h1);
    kr_anim_add_hop(a, &h2);
    kr_anim_add_hop(a, &h3);
    s = look(a, 500 * KS_MSEC);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.v[0].to.kind, KR_EP_INGRESS);
    s = look(a, 1500 * KS_MSEC);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.v[0].to.kind, KR_EP_SERVICE);
    s = look(a, 2500 * KS_MSEC);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.v[0].to.kind, KR_EP_POD);
    assert_false(s.v[0].ok);
    /* a failed dot waits at its end with its status code */
    s = look(a, 3500 * KS_MSEC);
    assert_int_equal(s.n, 1);
    assert_true(s.v[0].frac == 1.0f);
    assert_int_equal(s.v[0].status, 503);
    assert_int_equal(look(a, 4100 * KS_MSEC).n, 0);
    kr_anim_destroy(a);
}

/* anim-3: 1,000 requests a second on one edge are thinned; failures never */
static void test_anim_dense_traffic_is_thinned(void **state)
{
    kr_anim *a = kr_anim_create();
    int i;
    size_t shown;
    seen s;
    (void)state;
    kr_anim_set_min_visual(a, 600 * KS_MSEC);
    for (i = 0; i < 1000; i++) {
        kr_hop h = hop((uint64_t)i + 1, KR_EP_CLIENT, 0, KR_EP_INGRESS, 1, i * KS_MSEC,
                       i * KS_MSEC + KS_MSEC, i % 100 != 0, i % 100 ? 200 : 502);
        kr_anim_add_hop(a, &h);
    }
    /* at most one ok dot per 100 ms on the edge, plus the 10 failures */
    assert_true(kr_anim_count(a) <= 11 + 10);
    assert_true(kr_anim_thinned(a) >= 970);
    shown = kr_anim_dots(a, 999 * KS_MSEC, NULL, NULL);
    assert_true(shown >= 5);
    s = look(a, 999 * KS_MSEC);
    {
        size_t k, failed = 0;
        for (k = 0; k < s.n; k++)
            failed += !s.v[k].ok;
        assert_true(failed >= 1);
    }
    /* a request thinned on its first hop is thinned on the next ones */
    {
        kr_hop h = hop(2, KR_EP_INGRESS, 1, KR_EP_SERVICE, 5, 2 * KS_MSEC, 3 * KS_MSEC, true, 200);
        size_t before = kr_anim_count(a);
        kr_anim_add_hop(a, &h);
        assert_int_equal(kr_anim_count(a), before);
    }
    kr_anim_destroy(a);
}

/* anim-4: a full ring drops its oldest dots, never grows */
static void test_anim_ring_is_bounded(void **state)
{
    kr_anim *a = kr_anim_create();
    int i;
    (void)state;
    kr_anim_set_min_visual(a, KS_SEC);
    for (i = 0; i < KR_ANIM_DOTS + 500; i++) {       /* distinct edges: no thinning */
        kr_hop h = hop(0, KR_EP_POD, (ks_id)i + 1, KR_EP_POD, (ks_id)i + 100000, 0, KS_MSEC,
                       true, 200);
        kr_anim_add_hop(a, &h);
    }
    assert_int_equal(kr_anim_count(a), KR_ANIM_DOTS);
    kr_anim_clear(a);
    assert_int_equal(kr_anim_count(a), 0);
    kr_anim_destroy(a);
}

static void count_burst(void *ud, ks_id pod, float phase)
{
    float *last = ud;
    (void)pod;
    *last = phase;
}

/* anim-5: a burst runs KR_BURST_SECONDS of animation clock, then ends */
static void test_anim_bursts(void **state)
{
    kr_anim *a = kr_anim_create();
    float ph = -1;
    (void)state;
    kr_anim_add_burst(a, 9, 10.0);
    assert_int_equal(kr_anim_bursts(a, 9.5, count_burst, &ph), 0);
    assert_int_equal(kr_anim_bursts(a, 10.0 + KR_BURST_SECONDS / 2, count_burst, &ph), 1);
    assert_true(ph > 0.45f && ph < 0.55f);
    kr_anim_add_burst(a, 9, 10.5);                  /* the same pod again: restarts */
    assert_int_equal(kr_anim_bursts(a, 10.5 + KR_BURST_SECONDS * 0.9, count_burst, &ph), 1);
    assert_int_equal(kr_anim_bursts(a, 20.0, count_burst, &ph), 0);
    assert_int_equal(kr_anim_bursts(a, 10.6, count_burst, &ph), 0);   /* dropped for good */
    kr_anim_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anim_short_hops_are_stretched),
        cmocka_unit_test(test_anim_request_hops_chain),
        cmocka_unit_test(test_anim_dense_traffic_is_thinned),
        cmocka_unit_test(test_anim_ring_is_bounded),
        cmocka_unit_test(test_anim_bursts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
