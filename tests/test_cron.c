/* test_cron.c -- CronJob schedules (sim/load/ks_cron.c) and the calendar
 * arithmetic under them (sim/core/ks_time.c): robfig/cron/v3's rules and
 * words, checked against dates worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/ks_time.h"
#include "load/ks_cron.h"

static int64_t at(const char *rfc3339)
{
    int64_t t = 0;
    assert_int_equal(ks_rfc3339_parse(rfc3339, &t), 0);
    return t;
}

/* Next time after `from` of `spec`, as RFC 3339. */
static const char *next(const char *spec, const char *from, char *buf, size_t n)
{
    ks_cron c;
    char why[200];
    ks_civil d;
    int64_t t;
    assert_true(ks_cron_parse(spec, &c, why, sizeof why));
    t = ks_cron_next(&c, at(from));
    if (t < 0)
        return "never";
    ks_civil_from_unix(t, &d);
    snprintf(buf, n, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)d.year, d.month, d.day,
             d.hour, d.minute, d.second);
    return buf;
}

static void test_cron_calendar(void **state)
{
    ks_civil d;
    (void)state;
    assert_int_equal(at("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(at("2024-01-01T00:00:00Z"), 1704067200);
    assert_int_equal(at("2026-01-01T00:01:00Z") / 60, 29453761);   /* a CronJob's Job name */
    assert_int_equal(at("2024-02-29T12:00:00+02:00"), at("2024-02-29T10:00:00Z"));
    ks_civil_from_unix(at("2024-03-01T00:00:00Z"), &d);
    assert_int_equal(d.weekday, 5);                                  /* a Friday */
    assert_int_not_equal(ks_rfc3339_parse("2024-13-01T00:00:00Z", &(int64_t){0}), 0);
    assert_int_not_equal(ks_rfc3339_parse("2024-01-01 00:00:00", &(int64_t){0}), 0);
}

static void test_cron_next(void **state)
{
    char b[40];
    (void)state;
    assert_string_equal(next("*/1 * * * *", "2026-01-01T00:00:00Z", b, sizeof b),
                        "2026-01-01T00:01:00Z");
    assert_string_equal(next("*/15 * * * *", "2026-01-01T00:14:59Z", b, sizeof b),
                        "2026-01-01T00:15:00Z");
    assert_string_equal(next("*/15 * * * *", "2026-01-01T00:15:00Z", b, sizeof b),
                        "2026-01-01T00:30:00Z");
    assert_string_equal(next("0 9-17/4 * * MON-FRI", "2026-01-02T18:00:00Z", b, sizeof b),
                        "2026-01-05T09:00:00Z");                      /* Friday -> Monday */
    assert_string_equal(next("30 2 1,15 * *", "2026-01-15T03:00:00Z", b, sizeof b),
                        "2026-02-01T02:30:00Z");
    assert_string_equal(next("@hourly", "2026-01-01T10:59:59Z", b, sizeof b),
                        "2026-01-01T11:00:00Z");
    assert_string_equal(next("@daily", "2026-12-31T12:00:00Z", b, sizeof b),
                        "2027-01-01T00:00:00Z");
    assert_string_equal(next("@weekly", "2026-01-01T00:00:00Z", b, sizeof b),
                        "2026-01-04T00:00:00Z");                      /* the next Sunday */
    assert_string_equal(next("@yearly", "2026-06-01T00:00:00Z", b, sizeof b),
                        "2027-01-01T00:00:00Z");
    assert_string_equal(next("0 0 29 2 *", "2026-03-01T00:00:00Z", b, sizeof b),
                        "2028-02-29T00:00:00Z");                      /* leap years only */
    assert_string_equal(next("0 0 30 2 *", "2026-01-01T00:00:00Z", b, sizeof b), "never");
    /* day of month and day of week both restricted: either runs (cron's rule) */
    assert_string_equal(next("0 0 13 * 5", "2026-01-01T00:00:00Z", b, sizeof b),
                        "2026-01-02T00:00:00Z");                      /* a Friday, not the 13th */
    /* one of them a star: both must match */
    assert_string_equal(next("0 0 * * 5", "2026-01-01T00:00:00Z", b, sizeof b),
                        "2026-01-02T00:00:00Z");
    assert_string_equal(next("5/20 * * * *", "2026-01-01T00:06:00Z", b, sizeof b),
                        "2026-01-01T00:25:00Z");                      /* 5-59/20 */
    assert_string_equal(next("@every 90s", "2026-01-01T00:00:00Z", b, sizeof b),
                        "2026-01-01T00:01:30Z");
}

/* robfig/cron's words for what is wrong, as the API server relays them. */
static void test_cron_errors(void **state)
{
    static const struct {
        const char *spec, *why;
    } t[] = {
        {"* * * *", "expected exactly 5 fields, found 4: [* * * *]"},
        {"* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"},
        {"", "empty spec string"},
        {"60 * * * *", "end of range (60) above maximum (59): 60"},
        {"* 0-24 * * *", "end of range (24) above maximum (23): 0-24"},
        {"* * 0 * *", "beginning of range (0) below minimum (1): 0"},
        {"* * * * 7", "end of range (7) above maximum (6): 7"},
        {"5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"},
        {"*/0 * * * *", "step of range should be a positive number: */0"},
        {"1-2-3 * * * *", "too many hyphens: 1-2-3"},
        {"*/2/3 * * * *", "too many slashes: */2/3"},
        {"x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"},
        {"@often", "unrecognized descriptor: @often"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        ks_cron c;
        char why[200] = "";
        if (ks_cron_parse(t[i].spec, &c, why, sizeof why))
            fail_msg("'%s' parsed", t[i].spec);
        if (strcmp(why, t[i].why) != 0)
            fail_msg("'%s': got \"%s\", wanted \"%s\"", t[i].spec, why, t[i].why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cron_calendar),
        cmocka_unit_test(test_cron_next),
        cmocka_unit_test(test_cron_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
