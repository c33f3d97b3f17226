/* ks_cron.h -- CronJob schedules, as Kubernetes reads them: the standard
 * five fields of cron and the @ descriptors, parsed by robfig/cron/v3's
 * ParseStandard (what pkg/controller/cronjob and the API server's
 * validation call), with its words for what is wrong.
 *
 *   minute hour day-of-month month day-of-week
 *   field := * | ? | N | N-M | a list of those with commas; any with /STEP
 *            (N/STEP means N-max/STEP); months JAN-DEC, days SUN-SAT
 *   ranges: minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-6 (0 Sunday)
 *   @yearly @annually @monthly @weekly @daily @midnight @hourly, @every DURATION
 * When both day-of-month and day-of-week are restricted, a day matching
 * either runs (cron's rule); when either is * or ?, both must match.
 * Times are UTC seconds since 1970 (kubesim runs CronJobs in UTC).
 * Depends on: ks_time.
 */
#ifndef KS_CRON_H
#define KS_CRON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ks_cron {
    uint64_t minute;              /* bit per allowed value */
    uint32_t hour, dom, dow;
    uint16_t month;
    bool dom_star, dow_star;      /* the field was * or ? */
    int64_t every;                /* @every: the interval in seconds (0: a cron line) */
} ks_cron;

/* Parses a schedule. Returns true, or false with robfig/cron's reason in
 * why ("expected exactly 5 fields, found 4: [...]"). */
bool ks_cron_parse(const char *text, ks_cron *out, char *why, size_t n);

/* The first time strictly after `after` (UTC seconds) that the schedule
 * fires, or -1 when it never does within five years (February 30th). */
int64_t ks_cron_next(const ks_cron *c, int64_t after);

#endif
