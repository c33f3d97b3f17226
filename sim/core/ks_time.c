/* ks_time.c -- duration parsing and formatting (see ks_time.h). */
#include "ks_time.h"

#include <stdio.h>
#include <string.h>

/* Unit table: suffix and its length in nanoseconds (Go works in ns; we keep
 * ns internally while parsing so "1.5us" style inputs are judged exactly). */
static const struct {
    const char *suffix;
    int64_t ns;
} units[] = {
    {"ns", 1}, {"us", 1000}, {"\xc2\xb5s", 1000}, {"\xce\xbcs", 1000},
    {"ms", 1000000}, {"s", 1000000000}, {"m", 60000000000LL},
    {"h", 3600000000000LL},
};

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int ks_duration_parse(const char *s, ks_time *out)
{
    /* Accumulate in ns with an upper bound well inside int64. */
    const int64_t limit_ns = (int64_t)KS_TIME_MAX < INT64_MAX / 1000
                                 ? (int64_t)KS_TIME_MAX * 1000 : INT64_MAX;
    int64_t total = 0;
    if (!s || !*s)
        return -1;
    if (strcmp(s, "0") == 0) {
        *out = 0;
        return 0;
    }
    while (*s) {
        int64_t whole = 0, frac = 0, fscale = 1, unit = 0, part;
        int digits = 0, fdigits = 0;
        size_t i, ulen = 0;
        while (*s >= '0' && *s <= '9') {
            if (whole > (INT64_MAX - 9) / 10)
                return -1;
            whole = whole * 10 + (*s++ - '0');
            digits++;
        }
        if (*s == '.') {
            s++;
            while (*s >= '0' && *s <= '9') {
                if (fdigits < 15) {
                    frac = frac * 10 + (*s - '0');
                    fscale *= 10;
                } else if (*s != '0') {
                    return -1;      /* more precision than we can hold */
                }
                fdigits++;
                s++;
            }
        }
        if (!digits && !fdigits)
            return -1;
        for (i = 0; i < sizeof units / sizeof units[0]; i++) {
            size_t l = strlen(units[i].suffix);
            /* longest match wins: "ms" before "m", "µs" before "s" */
            if (strncmp(s, units[i].suffix, l) == 0 && l > ulen) {
                unit = units[i].ns;
                ulen = l;
            }
        }
        if (!unit)
            return -1;
        s += ulen;
        if (whole > limit_ns / unit)
            return -1;
        part = whole * unit;
        if (frac) {
            /* frac/fscale of a unit must be a whole number of ns: reduce
               the fraction first so nothing overflows */
            int64_t g = gcd64(unit, fscale), u = unit / g, fs = fscale / g;
            if (frac % fs || frac / fs > (limit_ns - part) / u)
                return -1;
            part += frac / fs * u;
        }
        if (part > limit_ns - total)
            return -1;
        total += part;
    }
    if (total % 1000)
        return -1;                 /* below the simulation's 1 us resolution */
    *out = total / 1000;
    return 0;
}

size_t ks_duration_format(ks_time d, char *buf, size_t n)
{
    char tmp[64];
    size_t len = 0;
    int k;
    if (d == 0) {
        k = snprintf(buf, n, "0s");
        return k < 0 ? 0 : (size_t)k;
    }
    if (d < 0) {
        tmp[len++] = '-';
        d = -d;
    }
    if (d < KS_SEC) {
        if (d % KS_MSEC == 0)
            k = snprintf(tmp + len, sizeof tmp - len, "%lldms", (long long)(d / KS_MSEC));
        else if (d >= KS_MSEC) {
            /* "1.5ms" */
            char f[8];
            int fl;
            snprintf(f, sizeof f, "%03lld", (long long)(d % KS_MSEC));
            fl = 3;
            while (fl > 0 && f[fl - 1] == '0')
                f[--fl] = '\0';
            k = snprintf(tmp + len, sizeof tmp - len, "%lld.%sms",
                         (long long)(d / KS_MSEC), f);
        } else
            k = snprintf(tmp + len, sizeof tmp - len, "%lldus", (long long)d);
        len += (size_t)(k < 0 ? 0 : k);
    } else {
        long long h = d / KS_HOUR, m = (d % KS_HOUR) / KS_MIN;
        long long us = d % KS_MIN, s = us / KS_SEC, f = us % KS_SEC;
        if (h)
            len += (size_t)snprintf(tmp + len, sizeof tmp - len, "%lldh", h);
        if (h || m)
            len += (size_t)snprintf(tmp + len, sizeof tmp - len, "%lldm", m);
        if (f) {
            char fs[8];
            int fl = 6;
            snprintf(fs, sizeof fs, "%06lld", f);
            while (fl > 0 && fs[fl - 1] == '0')
                fs[--fl] = '\0';
            len += (size_t)snprintf(tmp + len, sizeof tmp - len, "%lld.%ss", s, fs);
        } else {
            len += (size_t)snprintf(tmp + len, sizeof tmp - len, "%llds", s);
        }
    }
    k = snprintf(buf, n, "%s", tmp);
    return k < 0 ? 0 : (size_t)k;
}

size_t ks_time_format_secs(ks_time t, char *buf, size_t n)
{
    /* "%s%lld.%03llds" without printf: the headless log stamps every line */
    char tmp[32];
    long long a = t < 0 ? -(long long)t : (long long)t, s = a / 1000000;
    int ms = (int)((a % 1000000) / 1000), k = (int)sizeof tmp;
    size_t len;
    tmp[--k] = 's';
    tmp[--k] = (char)('0' + ms % 10);
    tmp[--k] = (char)('0' + ms / 10 % 10);
    tmp[--k] = (char)('0' + ms / 100);
    tmp[--k] = '.';
    do
        tmp[--k] = (char)('0' + s % 10);
    while ((s /= 10) != 0);
    if (t < 0)
        tmp[--k] = '-';
    len = sizeof tmp - (size_t)k;
    if (n) {
        size_t c = len < n ? len : n - 1;
        memcpy(buf, tmp + k, c);
        buf[c] = '\0';
    }
    return len;
}

/* ---- calendar dates ------------------------------------------------------------- */
/* Days since 1970-01-01 to a civil date and back (H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms"). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    yoe = z - era * 146097;
    yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
    doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void ks_civil_from_unix(int64_t secs, ks_civil *out)
{
    int64_t days = (secs >= 0 ? secs : secs - 86399) / 86400, rem = secs - days * 86400;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->weekday = (int)(((days % 7) + 11) % 7);      /* 1970-01-01 was a Thursday */
    out->hour = (int)(rem / 3600);
    out->minute = (int)(rem / 60 % 60);
    out->second = (int)(rem % 60);
}

int64_t ks_unix_from_civil(const ks_civil *c)
{
    /* months beyond December carry into the year; days carry by arithmetic */
    int64_t y = c->year + (c->month - 1) / 12;
    int m = (c->month - 1) % 12 + 1;
    return (days_from_civil(y, m, 1) + c->day - 1) * 86400 + (int64_t)c->hour * 3600
           + (int64_t)c->minute * 60 + c->second;
}

static int digits(const char **s, int n)
{
    int v = 0, i;
    for (i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        v = v * 10 + (**s - '0');
    }
    return v;
}

int ks_rfc3339_parse(const char *s, int64_t *secs)
{
    ks_civil c;
    int off = 0, y;
    memset(&c, 0, sizeof c);
    if (!s || (y = digits(&s, 4)) < 0 || *s++ != '-' || (c.month = digits(&s, 2)) < 1
        || c.month > 12 || *s++ != '-' || (c.day = digits(&s, 2)) < 1 || c.day > 31
        || (*s != 'T' && *s != 't') || !*s++ || (c.hour = digits(&s, 2)) < 0 || c.hour > 23
        || *s++ != ':' || (c.minute = digits(&s, 2)) < 0 || c.minute > 59 || *s++ != ':'
        || (c.second = digits(&s, 2)) < 0 || c.second > 60)
        return -1;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9')
            return -1;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, hh, mm;
        if ((hh = digits(&s, 2)) < 0 || hh > 23 || *s++ != ':' || (mm = digits(&s, 2)) < 0
            || mm > 59)
            return -1;
        off = sign * (hh * 3600 + mm * 60);
    } else {
        return -1;
    }
    if (*s)
        return -1;
    c.year = y;
    *secs = ks_unix_from_civil(&c) - off;
    return 0;
}
