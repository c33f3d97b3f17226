/* ks_validate.c -- Kubernetes value rules (see ks_validate.h). */
#include "ks_validate.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || is_digit(c); }
static bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

/* ---- quantities ---------------------------------------------------------- */
typedef struct suffix {
    const char *s;
    int base2;      /* power of 2 (binary SI) */
    int exp10;      /* power of 10 (decimal SI) */
} suffix;

static const suffix suffixes[] = {
    {"Ki", 10, 0}, {"Mi", 20, 0}, {"Gi", 30, 0}, {"Ti", 40, 0}, {"Pi", 50, 0}, {"Ei", 60, 0},
    {"n", 0, -9}, {"u", 0, -6}, {"m", 0, -3}, {"", 0, 0}, {"k", 0, 3}, {"M", 0, 6},
    {"G", 0, 9}, {"T", 0, 12}, {"P", 0, 15}, {"E", 0, 18},
};

const char *ks_quantity_parse(const char *s, int scale, int64_t *out)
{
    /* value = digits (as an integer m) * 10^(e10) * 2^(e2), then rounded up
       to units of 10^scale. Keep m < 10^18 to stay exact in int64. */
    const char *p = s;
    int64_t m = 0;
    int e10 = 0, e2 = 0, digits = 0, i;
    bool dot = false;
    if (!s || !*s)
        return "is empty";
    if (*p == '+')
        p++;
    if (*p == '-')
        return "must not be negative";
    for (; is_digit(*p) || (*p == '.' && !dot); p++) {
        if (*p == '.') {
            dot = true;
            continue;
        }
        digits++;
        if (m > 99999999999999999LL) {      /* too many digits: keep scale */
            if (!dot)
                e10++;
            continue;
        }
        m = m * 10 + (*p - '0');
        if (dot)
            e10--;
    }
    if (!digits)
        return "must start with a number, like 500m, 2Gi or 1.5";
    if (*p == 'e' || *p == 'E') {
        char *end;
        long x = strtol(p + 1, &end, 10);
        if (end == p + 1 || *end || x < -30 || x > 30)
            return "has a bad exponent (like 1e3)";
        e10 += (int)x;
        p = end;
    } else {
        bool found = false;
        for (i = 0; i < (int)(sizeof suffixes / sizeof suffixes[0]); i++)
            if (strcmp(p, suffixes[i].s) == 0) {
                e10 += suffixes[i].exp10;
                e2 = suffixes[i].base2;
                found = true;
                break;
            }
        if (!found)
            return "has an unknown unit (use Ki, Mi, Gi, Ti, or m, k, M, G, T; "
                   "note that 'mb' and 'GB' are not Kubernetes units)";
    }
    e10 -= scale;
    /* apply 2^e2 */
    for (i = 0; i < e2; i++) {
        if (m > INT64_MAX / 2)
            return "is too large";
        m *= 2;
    }
    for (; e10 > 0; e10--) {
        if (m > INT64_MAX / 10)
            return "is too large";
        m *= 10;
    }
    for (; e10 < 0; e10++) {
        int64_t q = m / 10;
        if (m % 10)
            q++;                         /* round up, as Kubernetes does */
        m = q;
    }
    *out = m;
    return NULL;
}

size_t ks_quantity_format_bytes(int64_t bytes, char *buf, size_t n)
{
    static const char *const units[] = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
    int i, k;
    for (i = 0; i < 6; i++) {
        int64_t unit = (int64_t)1 << (10 * (6 - i));
        if (bytes >= unit && bytes % unit == 0) {
            k = snprintf(buf, n, "%lld%s", (long long)(bytes / unit), units[i]);
            return k < 0 ? 0 : (size_t)k;
        }
    }
    k = snprintf(buf, n, "%lld", (long long)bytes);
    return k < 0 ? 0 : (size_t)k;
}

/* ---- names ------------------------------------------------------------- */
static const char *dns_label(const char *s, size_t max, bool letter_first)
{
    size_t len = strlen(s), i;
    if (!len)
        return "must not be empty";
    if (len > max)
        return max == 63 ? "must be at most 63 characters" : "is too long";
    for (i = 0; i < len; i++)
        if (!is_lower_alnum(s[i]) && s[i] != '-')
            return (s[i] >= 'A' && s[i] <= 'Z')
                       ? "must be lower case (a DNS name: a-z, 0-9 and '-')"
                       : "may contain only lower-case letters, digits and '-'";
    if (!is_lower_alnum(s[0]) || !is_lower_alnum(s[len - 1]))
        return "must start and end with a letter or digit";
    if (letter_first && !(s[0] >= 'a' && s[0] <= 'z'))
        return "must start with a letter";
    return NULL;
}

const char *ks_check_dns_label(const char *s)
{
    return dns_label(s, 63, false);
}

const char *ks_check_dns1035_label(const char *s)
{
    return dns_label(s, 63, true);
}

const char *ks_check_dns_subdomain(const char *s)
{
    char part[254];
    const char *p = s, *dot;
    size_t len = strlen(s);
    if (!len)
        return "must not be empty";
    if (len > 253)
        return "must be at most 253 characters";
    for (;;) {
        const char *why;
        dot = strchr(p, '.');
        len = dot ? (size_t)(dot - p) : strlen(p);
        memcpy(part, p, len);
        part[len] = '\0';
        why = dns_label(part, 253, false);
        if (why)
            return why;
        if (!dot)
            return NULL;
        p = dot + 1;
    }
}

const char *ks_check_port_name(const char *s)
{
    size_t len = strlen(s), i;
    bool letter = false;
    if (!len || len > 15)
        return "must be 1 to 15 characters";
    for (i = 0; i < len; i++) {
        if (!is_lower_alnum(s[i]) && s[i] != '-')
            return "may contain only lower-case letters, digits and '-'";
        if (s[i] >= 'a' && s[i] <= 'z')
            letter = true;
        if (s[i] == '-' && i > 0 && s[i - 1] == '-')
            return "must not contain '--'";
    }
    if (s[0] == '-' || s[len - 1] == '-')
        return "must not start or end with '-'";
    if (!letter)
        return "must contain a letter";
    return NULL;
}

static const char *label_name(const char *s, size_t len)
{
    size_t i;
    if (!len)
        return "must not be empty";
    if (len > 63)
        return "must be at most 63 characters";
    for (i = 0; i < len; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return "may contain only letters, digits, '-', '_' and '.'";
    if (!is_alnum(s[0]) || !is_alnum(s[len - 1]))
        return "must start and end with a letter or digit";
    return NULL;
}

const char *ks_check_label_key(const char *s)
{
    const char *slash = strchr(s, '/');
    if (slash) {
        char prefix[254];
        size_t plen = (size_t)(slash - s);
        if (plen == 0 || plen > 253)
            return "has a bad prefix before '/'";
        memcpy(prefix, s, plen);
        prefix[plen] = '\0';
        if (ks_check_dns_subdomain(prefix))
            return "has a prefix that is not a DNS name";
        return label_name(slash + 1, strlen(slash + 1));
    }
    return label_name(s, strlen(s));
}

const char *ks_check_label_value(const char *s)
{
    size_t len = strlen(s);
    return len ? label_name(s, len) : NULL;
}

const char *ks_check_env_name(const char *s)
{
    size_t i;
    if (!*s)
        return "must not be empty";
    if (is_digit(s[0]))
        return "must not start with a digit";
    for (i = 0; s[i]; i++)
        if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
            return "may contain only letters, digits, '_', '-' and '.'";
    return NULL;
}

const char *ks_check_config_key(const char *s)
{
    size_t i, len = strlen(s);
    if (len > 253)
        return "must be no more than 253 characters";
    for (i = 0; i < len; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            break;
    if (!len || i < len)        /* RegexError's words, its double spaces too */
        return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
               "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation "
               "is '[-._a-zA-Z0-9]+')";
    if (strcmp(s, ".") == 0)
        return "must not be '.'";
    if (strcmp(s, "..") == 0)
        return "must not be '..'";
    if (strncmp(s, "..", 2) == 0)
        return "must not start with '..'";
    return NULL;
}

/* ---- base64 --------------------------------------------------------------- */
static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (is_digit(c))
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

const char *ks_base64_decode(const char *s, char *out, size_t cap, size_t *len)
{
    size_t n = strlen(s), i, o = 0;
    if (n % 4)
        return "is not valid base64 (its length is not a multiple of 4); to give "
               "plain text, use stringData instead of data";
    for (i = 0; i < n; i += 4) {
        int v[4], k, pad = 0;
        for (k = 0; k < 4; k++) {
            if (s[i + k] == '=' && i + 4 == n && k >= 2) {
                v[k] = 0;
                pad++;
            } else if (pad || (v[k] = b64_value(s[i + k])) < 0) {
                return "is not valid base64; to give plain text, use stringData "
                       "instead of data";
            }
        }
        if (o + 3 >= cap)
            return "is too long";
        out[o++] = (char)(v[0] << 2 | v[1] >> 4);
        if (pad < 2)
            out[o++] = (char)((v[1] & 15) << 4 | v[2] >> 2);
        if (pad < 1)
            out[o++] = (char)((v[2] & 3) << 6 | v[3]);
    }
    out[o] = '\0';
    *len = o;
    return NULL;
}

size_t ks_base64_encode(const char *s, size_t len, char *out, size_t cap)
{
    static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *u = (const unsigned char *)s;
    size_t i, o = 0;
    for (i = 0; i < len && o + 4 < cap; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (i + 1 < len ? (unsigned)u[i + 1] << 8 : 0)
                     | (i + 2 < len ? u[i + 2] : 0);
        out[o++] = tbl[v >> 18 & 63];
        out[o++] = tbl[v >> 12 & 63];
        out[o++] = i + 1 < len ? tbl[v >> 6 & 63] : '=';
        out[o++] = i + 2 < len ? tbl[v & 63] : '=';
    }
    if (cap)
        out[o < cap ? o : cap - 1] = '\0';
    return o;
}
