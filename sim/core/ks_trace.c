/* ks_trace.c -- trace subscribers and the JSON / text forms of an event. */
#include "ks_trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal/sim.h"

static const struct {
    const char *name;
    const char *num[3];        /* JSON keys of n[0..2]; NULL: not shown */
} type_info[KS_TR_TYPE_COUNT] = {
    [KS_TR_CAPTION] = {"caption", {NULL, NULL}},
    [KS_TR_EVENT] = {"event", {"warning", NULL}},
    [KS_TR_STATUS] = {"status", {"restarts", NULL}},
    [KS_TR_LOG] = {"log", {NULL, NULL}},
    [KS_TR_ENDPOINTS] = {"endpoints", {"ready", NULL}},
    [KS_TR_VOLUME] = {"volume", {"capacity", NULL}},
    [KS_TR_KUBECTL] = {"kubectl", {"error", NULL}},
    [KS_TR_ACTION] = {"action", {"error", NULL}},
    [KS_TR_EXPECT] = {"expect", {"passed", "index"}},
    [KS_TR_RECORDS] = {"records", {"count", "total"}},
    [KS_TR_HOP] = {"hop", {"req", "status", "latency_us"}},
    [KS_TR_REQUEST] = {"request", {"req", "status", "latency_us"}},
};

int ks_trace_subscribe(ks_sim *sim, ks_trace_fn fn, void *ud)
{
    if (sim->nsubs >= KS_TRACE_MAX_SUBSCRIBERS)
        return -1;
    sim->subs[sim->nsubs].fn = fn;
    sim->subs[sim->nsubs].ud = ud;
    sim->nsubs++;
    return 0;
}

void ks_trace_unsubscribe(ks_sim *sim, ks_trace_fn fn, void *ud)
{
    int i;
    for (i = 0; i < sim->nsubs; i++)
        if (sim->subs[i].fn == fn && sim->subs[i].ud == ud) {
            memmove(&sim->subs[i], &sim->subs[i + 1],
                    (size_t)(sim->nsubs - i - 1) * sizeof sim->subs[0]);
            sim->nsubs--;
            return;
        }
}

void ks_trace_emit(ks_sim *sim, ks_trace_event *ev)
{
    int i;
    ev->t = sim->now;
    ev->seq = ++sim->trace_seq;
    for (i = 0; i < sim->nsubs; i++)
        sim->subs[i].fn(sim->subs[i].ud, ev);
}

bool ks_trace_active(const ks_sim *sim)
{
    return sim->nsubs > 0;
}

uint64_t ks_trace_count(const ks_sim *sim)
{
    return sim->trace_seq;
}

const char *ks_trace_type_name(ks_trace_type type)
{
    return (unsigned)type < KS_TR_TYPE_COUNT ? type_info[type].name : "unknown";
}

/* ---- the hash of an event ------------------------------------------------- */
#define HASH_K 0x9e3779b97f4a7c15ull

static inline uint64_t hash_word(uint64_t h, uint64_t w)
{
    return (h ^ w) * HASH_K;
}

/* A string as words: its length + 1 (0 is NULL), then its bytes 8 at a
 * time in little-endian order, the last word padded with zeros. */
static inline uint64_t load_le64(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* The last r bytes (1..7) of s[0..n) as a zero-padded little-endian word:
 * loads that stay inside the string, overlapping where they must (the
 * bytes both hold are equal, so or-ing them changes nothing), instead of a
 * copy into a padded buffer (a memcpy call per string, a fifth of the
 * hash's cost in a busy run). */
static inline uint64_t tail_le(const char *s, size_t n, size_t r)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const char *p = s + n - r;
    if (n >= 8)                          /* the word ending with the string */
        return load_le64(s + n - 8) >> (8 * (8 - r));
    if (r >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + r - 4, 4);
        return (uint64_t)a | (uint64_t)b << (8 * (r - 4));
    }
    if (r >= 2) {
        uint16_t a, b;
        memcpy(&a, p, 2);
        memcpy(&b, p + r - 2, 2);
        return (uint64_t)a | (uint64_t)b << (8 * (r - 2));
    }
    return (unsigned char)*p;
#else
    char last[8] = {0};
    memcpy(last, s + n - r, r);
    return load_le64(last);
#endif
}

static inline uint64_t hash_str(uint64_t h, const char *s, uint32_t given)
{
    size_t n, i;
    if (!s)
        return hash_word(h, 0);
    n = given ? given - 1 : strlen(s);
    h = hash_word(h, (uint64_t)n + 1);
    for (i = 0; i + 8 <= n; i += 8)
        h = hash_word(h, load_le64(s + i));
    if (i < n)
        h = hash_word(h, tail_le(s, n, n - i));
    return h;
}

uint64_t ks_trace_hash(uint64_t h, const ks_trace_event *ev)
{
    const char *const *num;
    h = hash_word(h, ev->seq);
    h = hash_word(h, (uint64_t)ev->t);
    h = hash_word(h, (uint64_t)ev->type);
    h = hash_str(h, ev->kind, ev->len[0]);
    h = hash_str(h, ev->name, ev->len[1]);
    h = hash_str(h, ev->reason, ev->len[2]);
    h = hash_str(h, ev->msg, ev->len[3]);
    if ((unsigned)ev->type >= KS_TR_TYPE_COUNT)
        return h;
    num = type_info[ev->type].num;
    if (num[0])
        h = hash_word(h, (uint64_t)ev->n[0]);
    if (num[1])
        h = hash_word(h, (uint64_t)ev->n[1]);
    if (num[2])
        h = hash_word(h, (uint64_t)ev->n[2]);
    return h;
}

/* ---- formatting: a bounded string builder ------------------------------ */
typedef struct sbuf {
    char *buf;
    size_t cap, len;     /* len counts what would have been written */
} sbuf;

static void sb_putc(sbuf *b, char c)
{
    if (b->len + 1 < b->cap)
        b->buf[b->len] = c;
    b->len++;
}

/* n bytes of s: a block copy of what fits (every event of a busy run goes
 * through here when the trace is hashed or written) */
static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->len + 1 < b->cap) {
        size_t room = b->cap - 1 - b->len;
        memcpy(b->buf + b->len, s, n < room ? n : room);
    }
    b->len += n;
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sb_puts(b, tmp);
}

static size_t sb_finish(sbuf *b)
{
    if (b->cap)
        b->buf[b->len < b->cap ? b->len : b->cap - 1] = '\0';
    return b->len;
}

/* JSON string with the escapes RFC 8259 requires. */
static void sb_json_str(sbuf *b, const char *s)
{
    sb_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        size_t run = 0;
        while (s[run] && (unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run) {                    /* a run of characters needing no escape */
            sb_putn(b, s, run);
            s += run - 1;
            continue;
        }
        if (c == '"' || c == '\\') {
            sb_putc(b, '\\');
            sb_putc(b, (char)c);
        } else if (c == '\n') {
            sb_puts(b, "\\n");
        } else if (c == '\t') {
            sb_puts(b, "\\t");
        } else if (c < 0x20) {
            sb_printf(b, "\\u%04x", c);
        } else {
            sb_putc(b, (char)c);
        }
    }
    sb_putc(b, '"');
}

/* Seconds as an exact decimal with trailing zeros trimmed: 12.5, 0, 3.000001 */
/* Decimal integers without printf: the JSON form is made for every event of
 * a run whose trace is hashed, and snprintf was most of its cost. */
static void sb_u64(sbuf *b, unsigned long long v)
{
    char tmp[24];
    int k = sizeof tmp;
    do
        tmp[--k] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    sb_putn(b, tmp + k, sizeof tmp - (size_t)k);
}

static void sb_i64(sbuf *b, long long v)
{
    if (v < 0) {
        sb_putc(b, '-');
        sb_u64(b, 0ull - (unsigned long long)v);
    } else {
        sb_u64(b, (unsigned long long)v);
    }
}

/* Seconds as an exact decimal with trailing zeros trimmed: 12.5, 0, 3.000001 */
static void sb_seconds(sbuf *b, ks_time t)
{
    char frac[7];
    int fl = 6, k;
    long long a = t < 0 ? -(long long)t : (long long)t, f = a % 1000000;
    for (k = 5; k >= 0; k--, f /= 10)
        frac[k] = (char)('0' + f % 10);
    while (fl > 0 && frac[fl - 1] == '0')
        fl--;
    if (t < 0)
        sb_putc(b, '-');
    sb_u64(b, (unsigned long long)(a / 1000000));
    if (fl) {
        sb_putc(b, '.');
        sb_putn(b, frac, (size_t)fl);
    }
}

static void sb_field(sbuf *b, const char *key, const char *val)
{
    if (!val)
        return;
    sb_putn(b, ",\"", 2);
    sb_puts(b, key);
    sb_putn(b, "\":", 2);
    sb_json_str(b, val);
}

size_t ks_trace_format_json(const ks_trace_event *ev, char *buf, size_t n)
{
    sbuf b = {buf, n, 0};
    int i;
    sb_puts(&b, "{\"seq\":");
    sb_u64(&b, (unsigned long long)ev->seq);
    sb_puts(&b, ",\"t\":");
    sb_seconds(&b, ev->t);
    sb_field(&b, "type", ks_trace_type_name(ev->type));
    sb_field(&b, "kind", ev->kind);
    sb_field(&b, "name", ev->name);
    sb_field(&b, "reason", ev->reason);
    sb_field(&b, "msg", ev->msg);
    if ((unsigned)ev->type < KS_TR_TYPE_COUNT)
        for (i = 0; i < 3; i++)
            if (type_info[ev->type].num[i]) {
                sb_putn(&b, ",\"", 2);
                sb_puts(&b, type_info[ev->type].num[i]);
                sb_putn(&b, "\":", 2);
                sb_i64(&b, (long long)ev->n[i]);
            }
    sb_putc(&b, '}');
    return sb_finish(&b);
}

/* s into dst[cap] from offset at, truncated, NUL-terminated: the new end. */
static size_t put_trunc(char *dst, size_t cap, size_t at, const char *s)
{
    size_t k = strlen(s);
    if (at >= cap)
        return at;
    if (k > cap - 1 - at)
        k = cap - 1 - at;
    memcpy(dst + at, s, k);
    dst[at + k] = '\0';
    return at + k;
}

size_t ks_trace_format_text(const ks_trace_event *ev, char *buf, size_t n)
{
    sbuf b = {buf, n, 0};
    char t[32], obj[160];
    size_t k;
    ks_time_format_secs(ev->t, t, sizeof t);
    obj[0] = '\0';
    if (ev->kind && ev->name) {
        /* kubectl's resource/name form, lower-case kind: pod/web-7c9f4 */
        size_t j;
        for (j = 0; ev->kind[j] && j < 40; j++)
            obj[j] = (char)(ev->kind[j] >= 'A' && ev->kind[j] <= 'Z'
                                ? ev->kind[j] + 32 : ev->kind[j]);
        obj[j] = '\0';
        put_trunc(obj, sizeof obj, put_trunc(obj, sizeof obj, j, "/"), ev->name);
    } else if (ev->name) {
        put_trunc(obj, sizeof obj, 0, ev->name);
    }
    for (k = strlen(t); k < 10; k++)       /* "%10s  " */
        sb_putc(&b, ' ');
    sb_puts(&b, t);
    sb_putn(&b, "  ", 2);
    if (ev->type == KS_TR_CAPTION) {
        sb_puts(&b, "== ");
        sb_puts(&b, ev->msg ? ev->msg : "");
        return sb_finish(&b);
    }
    if (ev->type == KS_TR_KUBECTL) {
        /* as a terminal shows it: the prompt, then the output indented */
        sb_puts(&b, ev->reason ? "$ kubectl " : "  ");
        sb_puts(&b, ev->msg ? ev->msg : "");
        return sb_finish(&b);
    }
    if (ev->type == KS_TR_EXPECT) {
        /* "expect pods component=server" in the object column */
        snprintf(obj, sizeof obj, "expect %s %s", ev->kind ? ev->kind : "?",
                 ev->name ? ev->name : "");
    }
    sb_puts(&b, obj);
    for (k = strlen(obj); k < 44; k++)
        sb_putc(&b, ' ');
    sb_putc(&b, ' ');
    if (ev->reason) {
        sb_puts(&b, ev->reason);
        for (k = strlen(ev->reason); k < 18; k++)
            sb_putc(&b, ' ');
        sb_putc(&b, ' ');
    }
    if (ev->msg)
        sb_puts(&b, ev->msg);
    /* no trailing blanks */
    while (b.len > 0 && b.len <= b.cap && b.buf[b.len - 1] == ' ')
        b.len--;
    return sb_finish(&b);
}
