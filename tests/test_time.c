/* test_time.c -- the focus of this file: Go/Kubernetes-style durations are
 * parsed strictly and printed in their shortest exact form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ks_time.h"

static void test_time_parse_valid(void **state)
{
    static const struct {
        const char *in;
        ks_time us;
    } ok[] = {
        {"0", 0}, {"0s", 0}, {"10s", 10 * KS_SEC}, {"500ms", 500 * KS_MSEC},
        {"2m", 2 * KS_MIN}, {"1h", KS_HOUR}, {"2h45m", 2 * KS_HOUR + 45 * KS_MIN},
        {"1.5s", 1500 * KS_MSEC}, {"1.5h", 90 * KS_MIN}, {".5s", 500 * KS_MSEC},
        {"250us", 250}, {"3\xc2\xb5s", 3}, {"1000ns", 1}, {"1m30s", 90 * KS_SEC},
        {"0.001ms", 1}, {"300s", 300 * KS_SEC},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ks_time t = -1;
        assert_int_equal(ks_duration_parse(ok[i].in, &t), 0);
        assert_int_equal(t, ok[i].us);
    }
}

static void test_time_parse_invalid(void **state)
{
    static const char *const bad[] = {
        "", "10", "s", "-1s", "+1s", "1 s", "10x", "1.2.3s", "1ns", "0.0001ms",
        "99999999999999999999s", "10s ", "1d", "m5", "1e3s", "300000000000h",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ks_time t = 42;
        assert_int_equal(ks_duration_parse(bad[i], &t), -1);
        assert_int_equal(t, 42);          /* untouched on error */
    }
    assert_int_equal(ks_duration_parse(NULL, NULL), -1);
}

static void test_time_format(void **state)
{
    static const struct {
        ks_time us;
        const char *out;
    } v[] = {
        {0, "0s"}, {10 * KS_SEC, "10s"}, {500 * KS_MSEC, "500ms"},
        {90 * KS_SEC, "1m30s"}, {KS_HOUR, "1h0m0s"}, {1500 * KS_MSEC, "1.5s"},
        {250, "250us"}, {1500, "1.5ms"}, {-2 * KS_SEC, "-2s"},
        {KS_HOUR + 1, "1h0m0.000001s"},
    };
    size_t i;
    char buf[64];
    (void)state;
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        ks_duration_format(v[i].us, buf, sizeof buf);
        assert_string_equal(buf, v[i].out);
    }
}

static void test_time_round_trip(void **state)
{
    ks_time t;
    char buf[64], back[64];
    (void)state;
    for (t = 0; t < 5 * KS_HOUR; t = t * 3 + 7) {
        ks_time parsed;
        ks_duration_format(t, buf, sizeof buf);
        assert_int_equal(ks_duration_parse(buf, &parsed), 0);
        assert_int_equal(parsed, t);
        ks_duration_format(parsed, back, sizeof back);
        assert_string_equal(back, buf);
    }
    ks_time_format_secs(47200 * KS_MSEC, buf, sizeof buf);
    assert_string_equal(buf, "47.200s");
    ks_time_format_secs(5, buf, sizeof buf);
    assert_string_equal(buf, "0.000s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_parse_valid),
        cmocka_unit_test(test_time_parse_invalid),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_time_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
