/* test_rng.c -- the focus of this file: the seeded PRNG gives the published
 * xoshiro256** stream (vectors from an independent implementation), and the
 * derived helpers stay in range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ks_rng.h"
#include "core/ks_sim.h"

static void test_rng_fixed_seed_vectors(void **state)
{
    static const struct {
        uint64_t seed;
        uint64_t out[4];
    } v[] = {
        {0, {0x99ec5f36cb75f2b4ULL, 0xbf6e1f784956452aULL, 0x1a5f849d4933e6e0ULL,
             0x6aa594f1262d2d2cULL}},
        {7, {0xb358faf74ef9765aULL, 0x475c3d964f482cd2ULL, 0xd6f1d349952c7996ULL,
             0xfb2938731e807240ULL}},
        {0xdeadbeef, {0xc5555444a74d7e83ULL, 0x65c30d37b4b16e38ULL,
                      0x54f773200a4efa23ULL, 0x429aed75fb958af7ULL}},
    };
    size_t i, j;
    (void)state;
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        ks_rng r;
        ks_rng_seed(&r, v[i].seed);
        for (j = 0; j < 4; j++)
            assert_int_equal(ks_rng_u64(&r), v[i].out[j]);
    }
}

static void test_rng_below_in_range_and_covers(void **state)
{
    ks_rng r;
    int seen[7] = {0}, i;
    (void)state;
    ks_rng_seed(&r, 99);
    for (i = 0; i < 7000; i++) {
        uint64_t x = ks_rng_below(&r, 7);
        assert_true(x < 7);
        seen[x]++;
    }
    for (i = 0; i < 7; i++)        /* expected 1000 each; 5 sigma is ~150 */
        assert_in_range(seen[i], 850, 1150);
    assert_int_equal(ks_rng_below(&r, 0), 0);
    assert_int_equal(ks_rng_below(&r, 1), 0);
}

static void test_rng_unit_and_exp(void **state)
{
    ks_rng r;
    double sum = 0;
    int i;
    (void)state;
    ks_rng_seed(&r, 5);
    for (i = 0; i < 100000; i++) {
        double u = ks_rng_unit(&r);
        assert_true(u >= 0.0 && u < 1.0);
    }
    for (i = 0; i < 100000; i++) {
        int64_t x = ks_rng_exp(&r, 1000.0);
        assert_true(x >= 0);
        sum += (double)x;
    }
    /* mean 1000, sd of the mean 1000/sqrt(1e5) ~ 3.2 */
    assert_true(sum / 100000 > 980 && sum / 100000 < 1020);
}

/* Streams of one sim are independent and reproducible from the seed. */
static void test_rng_sim_streams(void **state)
{
    ks_sim_config cfg = {0};
    ks_sim *a, *b;
    uint64_t x, y;
    (void)state;
    cfg.seed = 7;
    a = ks_sim_create(&cfg);
    b = ks_sim_create(&cfg);
    assert_non_null(a);
    assert_non_null(b);
    x = ks_rng_u64(ks_sim_rng(a, KS_RNG_NAMES));
    y = ks_rng_u64(ks_sim_rng(b, KS_RNG_NAMES));
    assert_int_equal(x, y);
    /* drawing from one stream leaves the others untouched */
    ks_rng_u64(ks_sim_rng(a, KS_RNG_TRAFFIC));
    assert_int_equal(ks_rng_u64(ks_sim_rng(a, KS_RNG_NAMES)),
                     ks_rng_u64(ks_sim_rng(b, KS_RNG_NAMES)));
    assert_true(ks_rng_u64(ks_sim_rng(a, KS_RNG_ROUTING))
                != ks_rng_u64(ks_sim_rng(a, KS_RNG_WORKLOAD)));
    assert_int_equal(ks_sim_seed(a), 7);
    ks_sim_destroy(a);
    ks_sim_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_fixed_seed_vectors),
        cmocka_unit_test(test_rng_below_in_range_and_covers),
        cmocka_unit_test(test_rng_unit_and_exp),
        cmocka_unit_test(test_rng_sim_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
