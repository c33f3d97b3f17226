/* test_mem.c -- the focus of this file: arenas, the allocation hook, and
 * out-of-memory paths (every allocation failing in turn). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/ks_mem.h"
#include "core/ks_sim.h"

static void test_mem_arena_basics(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    char *s, *big;
    int *zero;
    int i;
    (void)state;
    assert_non_null(ar);
    s = ks_arena_strdup(ar, "postgres");
    assert_string_equal(s, "postgres");
    assert_string_equal(ks_arena_printf(ar, "%s-%d", "web", 3), "web-3");
    assert_string_equal(ks_arena_strndup(ar, "abcdef", 3), "abc");
    big = ks_arena_alloc(ar, 100000);        /* larger than a chunk */
    assert_non_null(big);
    memset(big, 'x', 100000);
    zero = ks_arena_alloc(ar, 64 * sizeof *zero);
    for (i = 0; i < 64; i++)
        assert_int_equal(zero[i], 0);
    assert_true((uintptr_t)zero % _Alignof(max_align_t) == 0);
    assert_string_equal(s, "postgres");      /* earlier data intact */
    assert_true(ks_arena_used(ar) >= 100000);
    ks_arena_destroy(ar);
    ks_arena_destroy(NULL);
}

static void test_mem_arena_oom(void **state)
{
    long n;
    (void)state;
    for (n = 1; n < 10; n++) {
        ks_failing_alloc fa = {0};
        ks_allocator a;
        ks_arena *ar;
        int i, got = 0;
        fa.fail_at = n;
        a = ks_allocator_failing(&fa);
        ar = ks_arena_create(&a);
        if (ar) {
            for (i = 0; i < 200; i++)
                got += ks_arena_alloc(ar, 1000) != NULL;
            assert_true(got < 200 || !fa.failed);
            ks_arena_destroy(ar);
        }
        assert_int_equal(fa.live, 0);
    }
}

static void test_mem_grow(void **state)
{
    ks_failing_alloc fa = {0};
    ks_allocator a = ks_allocator_failing(&fa);
    int *items = NULL;
    size_t cap = 0;
    (void)state;
    assert_int_equal(ks_mem_grow(&a, (void **)&items, &cap, 10, sizeof *items), 0);
    assert_true(cap >= 10);
    items[9] = 9;
    fa.fail_at = fa.count + 1;
    assert_int_equal(ks_mem_grow(&a, (void **)&items, &cap, 1000, sizeof *items), -1);
    assert_int_equal(items[9], 9);            /* kept on failure */
    assert_int_equal(ks_mem_grow(&a, (void **)&items, &cap, 5, sizeof *items), 0);
    ks_mem_free(&a, items, cap * sizeof *items);
    assert_int_equal(fa.live, 0);
}

static void test_mem_sim_create_oom(void **state)
{
    ks_failing_alloc fa = {0};
    ks_sim_config cfg = {0};
    (void)state;
    fa.fail_at = 1;
    cfg.alloc = ks_allocator_failing(&fa);
    assert_null(ks_sim_create(&cfg));
    assert_true(fa.failed);
    assert_int_equal(fa.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem_arena_basics),
        cmocka_unit_test(test_mem_arena_oom),
        cmocka_unit_test(test_mem_grow),
        cmocka_unit_test(test_mem_sim_create_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
