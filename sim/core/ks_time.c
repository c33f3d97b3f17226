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
    const char *sign = t < 0 ? "-" : "";
    long long a = t < 0 ? -(long long)t : (long long)t;
    int k = snprintf(buf, n, "%s%lld.%03llds", sign, a / 1000000,
                     (a % 1000000) / 1000);
    return k < 0 ? 0 : (size_t)k;
}
