/* ks_time.h -- simulated time: 64-bit integer microseconds, never doubles,
 * never the wall clock. Durations parse and print the Kubernetes/Go way
 * ("500ms", "10s", "2m30s", "1.5h").
 * Depends on: libc only.
 */
#ifndef KS_TIME_H
#define KS_TIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t ks_time;             /* microseconds of simulated time */

#define KS_USEC   ((ks_time)1)
#define KS_MSEC   ((ks_time)1000)
#define KS_SEC    ((ks_time)1000000)
#define KS_MIN    (60 * KS_SEC)
#define KS_HOUR   (60 * KS_MIN)
/* Latest representable time (2^55-1 us, about 1142 years): the event queue
 * packs time and priority into one 64-bit key. */
#define KS_TIME_MAX (((ks_time)1 << 55) - 1)

/* Parses a Go-style duration ("300ms", "1.5s", "2h45m", "0"). Units: us (or
 * µs), ms, s, m, h; ns only in whole microseconds. No sign, no spaces.
 * Returns 0 and sets *out, or -1 when s is not a valid duration in range. */
int ks_duration_parse(const char *s, ks_time *out);

/* Formats d as Go does, shortest exact form: "1m30s", "500ms", "2.5s", "0s".
 * Returns the length written (buf always NUL-terminated). */
size_t ks_duration_format(ks_time d, char *buf, size_t n);

/* Formats t as seconds with millisecond precision, e.g. "47.200s".
 * Exact, from integers, so logs are byte-identical across runs. */
size_t ks_time_format_secs(ks_time t, char *buf, size_t n);

/* ---- calendar dates ----------------------------------------------------------
 * Wall-clock times that a scenario pins (spec.clock) and that CronJob
 * schedules count in: seconds since 1970-01-01T00:00:00Z, UTC, proleptic
 * Gregorian (H. Hinnant's algorithms). Pure arithmetic: nothing here reads
 * a clock. */
typedef struct ks_civil {
    int64_t year;
    int month, day;               /* 1-12, 1-31 */
    int hour, minute, second;
    int weekday;                  /* 0 Sunday .. 6 Saturday */
} ks_civil;

/* The date and time of secs. */
void ks_civil_from_unix(int64_t secs, ks_civil *out);
/* The seconds of a date and time (weekday is ignored; fields out of range
 * carry over, so day 32 is the 1st of the next month). */
int64_t ks_unix_from_civil(const ks_civil *c);
/* Parses RFC 3339 ("2026-01-01T00:00:00Z", "...+02:00"; fractions of a
 * second are dropped) into *secs. Returns 0, or -1 when s is not one. */
int ks_rfc3339_parse(const char *s, int64_t *secs);

#endif
