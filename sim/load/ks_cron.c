/* ks_cron.c -- CronJob schedules (see ks_cron.h): robfig/cron/v3's
 * parser.go (ParseStandard: getField, getRange, parseDescriptor, its error
 * texts) and spec.go (SpecSchedule.Next, dayMatches; ConstantDelaySchedule
 * for @every), in UTC.
 */
#include "ks_cron.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ks_time.h"

typedef struct bounds {
    int min, max;
    const char *const *names;     /* names[i] stands for min + i */
} bounds;

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const dow_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static const bounds fields[5] = {
    {0, 59, NULL}, {0, 23, NULL}, {1, 31, NULL}, {1, 12, month_names}, {0, 6, dow_names},
};

#define STAR_BIT 63                   /* robfig's starBit, in a 64-bit set */

static bool fail(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool fail(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return false;
}

/* mustParseInt / parseIntOrName */
static bool parse_value(const char *s, size_t len, const bounds *b, int *out, char *why,
                        size_t n)
{
    char buf[32], *end;
    long v;
    size_t i;
    if (len >= sizeof buf)
        return fail(why, n, "failed to parse int from %.*s: value out of range", (int)len, s);
    memcpy(buf, s, len);
    buf[len] = '\0';
    for (i = 0; b->names && b->names[i]; i++)
        if (strlen(b->names[i]) == len && strncasecmp(b->names[i], buf, len) == 0) {
            *out = b->min + (int)i;
            return true;
        }
    if (!len || !(isdigit((unsigned char)buf[0]) || buf[0] == '-' || buf[0] == '+'))
        return fail(why, n, "failed to parse int from %s: strconv.Atoi: parsing \"%s\": "
                            "invalid syntax", buf, buf);
    v = strtol(buf, &end, 10);
    if (*end)
        return fail(why, n, "failed to parse int from %s: strconv.Atoi: parsing \"%s\": "
                            "invalid syntax", buf, buf);
    if (v < 0)
        return fail(why, n, "negative number (%ld) not allowed: %s", v, buf);
    if (v > 1000000)
        return fail(why, n, "failed to parse int from %s: value out of range", buf);
    *out = (int)v;
    return true;
}

/* One comma-free range: "*", "5", "1-5", "*\/15", "10/5". */
static bool parse_range(const char *expr, size_t len, const bounds *b, uint64_t *bits,
                        char *why, size_t n)
{
    const char *slash = memchr(expr, '/', len), *dash;
    size_t rlen = slash ? (size_t)(slash - expr) : len;
    int start, end, step = 1, v;
    bool star = false, single;
    if (slash && memchr(slash + 1, '/', len - rlen - 1))
        return fail(why, n, "too many slashes: %.*s", (int)len, expr);
    dash = memchr(expr, '-', rlen);
    single = !dash;
    if ((rlen == 1 && (expr[0] == '*' || expr[0] == '?'))) {
        start = b->min;
        end = b->max;
        star = true;
    } else {
        if (dash && memchr(dash + 1, '-', rlen - (size_t)(dash - expr) - 1))
            return fail(why, n, "too many hyphens: %.*s", (int)rlen, expr);
        if (!parse_value(expr, dash ? (size_t)(dash - expr) : rlen, b, &start, why, n))
            return false;
        end = start;
        if (dash && !parse_value(dash + 1, rlen - (size_t)(dash - expr) - 1, b, &end, why, n))
            return false;
    }
    if (slash) {
        if (!parse_value(slash + 1, len - rlen - 1, &fields[0], &step, why, n))
            return false;
        if (single)
            end = b->max;             /* "N/step" means "N-max/step" */
        if (step > 1)
            star = false;
    }
    if (start < b->min)
        return fail(why, n, "beginning of range (%d) below minimum (%d): %.*s", start, b->min,
                    (int)len, expr);
    if (end > b->max)
        return fail(why, n, "end of range (%d) above maximum (%d): %.*s", end, b->max,
                    (int)len, expr);
    if (start > end)
        return fail(why, n, "beginning of range (%d) beyond end of range (%d): %.*s", start,
                    end, (int)len, expr);
    if (step == 0)
        return fail(why, n, "step of range should be a positive number: %.*s", (int)len, expr);
    for (v = start; v <= end; v += step)
        *bits |= (uint64_t)1 << v;
    if (star)
        *bits |= (uint64_t)1 << STAR_BIT;
    return true;
}

static bool parse_field(const char *f, size_t len, const bounds *b, uint64_t *bits, char *why,
                        size_t n)
{
    const char *p = f, *end = f + len;
    *bits = 0;
    while (p <= end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        size_t l = comma ? (size_t)(comma - p) : (size_t)(end - p);
        if (!parse_range(p, l, b, bits, why, n))
            return false;
        if (!comma)
            break;
        p = comma + 1;
    }
    return true;
}

static const struct {
    const char *name, *spec;
} descriptors[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

bool ks_cron_parse(const char *text, ks_cron *out, char *why, size_t n)
{
    const char *p = text, *start[6];
    size_t len[6], nf = 0, i;
    uint64_t bits[5];
    memset(out, 0, sizeof *out);
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return fail(why, n, "empty spec string");
    if (*p == '@') {
        size_t l = strcspn(p, " \t");
        for (i = 0; i < sizeof descriptors / sizeof descriptors[0]; i++)
            if (strlen(descriptors[i].name) == l && strncmp(descriptors[i].name, p, l) == 0
                && !p[l + strspn(p + l, " \t")])
                return ks_cron_parse(descriptors[i].spec, out, why, n);
        if (strncmp(p, "@every ", 7) == 0) {
            ks_time d;
            const char *arg = p + 7;
            while (*arg == ' ')
                arg++;
            if (ks_duration_parse(arg, &d) != 0)
                return fail(why, n, "failed to parse duration %s: time: invalid duration \"%s\"",
                            p, arg);
            d -= d % KS_SEC;
            out->every = d < KS_SEC ? 1 : d / KS_SEC;     /* at least 1 s, whole seconds */
            return true;
        }
        return fail(why, n, "unrecognized descriptor: %s", p);
    }
    while (*p && nf < 6) {
        start[nf] = p;
        len[nf] = strcspn(p, " \t");
        p += len[nf];
        nf++;
        while (*p == ' ' || *p == '\t')
            p++;
    }
    if (nf != 5 || *p) {
        char list[200];
        size_t k = 0;
        for (p = text; *p == ' ' || *p == '\t'; p++) {
        }
        nf = 0;
        k += (size_t)snprintf(list, sizeof list, "[");
        while (*p && k < sizeof list) {
            size_t l = strcspn(p, " \t");
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%.*s", nf ? " " : "", (int)l, p);
            nf++;
            p += l;
            while (*p == ' ' || *p == '\t')
                p++;
        }
        if (k < sizeof list)
            snprintf(list + k, sizeof list - k, "]");
        return fail(why, n, "expected exactly 5 fields, found %zu: %s", nf, list);
    }
    for (i = 0; i < 5; i++)
        if (!parse_field(start[i], len[i], &fields[i], &bits[i], why, n))
            return false;
    out->minute = bits[0] & ~((uint64_t)1 << STAR_BIT);
    out->hour = (uint32_t)bits[1];
    out->dom = (uint32_t)bits[2];
    out->month = (uint16_t)bits[3];
    out->dow = (uint32_t)bits[4];
    out->dom_star = (bits[2] >> STAR_BIT) & 1;
    out->dow_star = (bits[4] >> STAR_BIT) & 1;
    return true;
}

/* spec.go dayMatches: both must match when either field is a star,
 * otherwise either does. */
static bool day_matches(const ks_cron *c, const ks_civil *t)
{
    bool dom = (c->dom >> t->day) & 1, dow = (c->dow >> t->weekday) & 1;
    return c->dom_star || c->dow_star ? dom && dow : dom || dow;
}

/* spec.go SpecSchedule.Next: move to the next allowed month, day, hour,
 * minute, starting over when a field wraps; give up after five years. */
int64_t ks_cron_next(const ks_cron *c, int64_t after)
{
    ks_civil t;
    int64_t limit;
    bool added = false;
    if (c->every)
        return after + c->every;
    ks_civil_from_unix(after + 60 - ((after % 60) + 60) % 60, &t);   /* the next whole minute */
    limit = t.year + 5;
wrap:
    if (t.year > limit)
        return -1;
    while (!((c->month >> t.month) & 1)) {
        if (!added) {
            added = true;
            t.day = 1;
            t.hour = t.minute = 0;
        }
        t.month++;
        ks_civil_from_unix(ks_unix_from_civil(&t), &t);
        if (t.month == 1)
            goto wrap;
    }
    while (!day_matches(c, &t)) {
        if (!added) {
            added = true;
            t.hour = t.minute = 0;
        }
        t.day++;
        ks_civil_from_unix(ks_unix_from_civil(&t), &t);
        if (t.day == 1)
            goto wrap;
    }
    while (!((c->hour >> t.hour) & 1)) {
        if (!added) {
            added = true;
            t.minute = 0;
        }
        t.hour++;
        ks_civil_from_unix(ks_unix_from_civil(&t), &t);
        if (t.hour == 0)
            goto wrap;
    }
    while (!((c->minute >> t.minute) & 1)) {
        added = true;
        t.minute++;
        ks_civil_from_unix(ks_unix_from_civil(&t), &t);
        if (t.minute == 0)
            goto wrap;
    }
    t.second = 0;
    return ks_unix_from_civil(&t);
}
