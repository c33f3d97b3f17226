/* ks_kubectl_cmd.c -- the command being run: its output lines and
 * kubectl's error forms, and its flags' values (pflag's parsing rules).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/kubectl.h"

/* ---- output ------------------------------------------------------------------------- */
void ksi_kc_line(ksi_kc *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ks_strbuf_vprintf(k->out, fmt, ap);
    va_end(ap);
    ks_strbuf_putc(k->out, '\n');
}

int ksi_kc_error(ksi_kc *k, const char *fmt, ...)
{
    va_list ap;
    ks_strbuf_puts(k->out, "error: ");
    va_start(ap, fmt);
    ks_strbuf_vprintf(k->out, fmt, ap);
    va_end(ap);
    ks_strbuf_putc(k->out, '\n');
    k->status = 1;
    return 1;
}

ks_arena *ksi_kc_object_arena(ksi_kc *k)
{
    ks_arena *ar = ks_arena_create(ks_sim_allocator(k->sim));
    if (!ar || ks_cluster_keep_arena(k->sim, ar) != KS_OK) {
        ks_arena_destroy(ar);
        ksi_kc_error(k, "out of memory");
        return NULL;
    }
    return ar;
}

int ksi_kc_usage_error(ksi_kc *k, const char *fmt, ...)
{
    va_list ap;
    ks_strbuf_puts(k->out, "error: ");
    va_start(ap, fmt);
    ks_strbuf_vprintf(k->out, fmt, ap);
    va_end(ap);
    ks_strbuf_printf(k->out, "\nSee 'kubectl %s -h' for help and examples\n", k->verb);
    k->status = 1;
    return 1;
}

void ksi_kc_table(ksi_kc *k, const char *text, size_t len, int minwidth, int padding)
{
    ks_kubectl_tables *t = k->tables;
    size_t start = k->out->len - k->out0;
    ks_kubectl_tabwrite(k->out, text, len, minwidth, padding);
    if (!t || k->out->len - k->out0 == start)
        return;
    if (t->n == KS_KUBECTL_MAX_TABLES) {        /* one more: the last range grows */
        t->end[t->n - 1] = k->out->len - k->out0;
        return;
    }
    t->start[t->n] = start;
    t->end[t->n++] = k->out->len - k->out0;
}

bool ks_kubectl_in_table(const ks_kubectl_tables *t, size_t off)
{
    size_t i;
    for (i = 0; t && i < t->n; i++)
        if (off >= t->start[i] && off < t->end[i])
            return true;
    return false;
}

const char *ksi_kc_fmt(ksi_kc *k, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(s = ks_arena_alloc(k->tmp, (size_t)n + 1)))
        return "";
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* ---- flags (pflag's parsing and its messages) --------------------------------------- */
const char *ksi_kc_flag(const ksi_kc *k, const char *name)
{
    size_t i;
    const char *v = NULL;
    for (i = 0; i < k->nflags; i++)
        if (strcmp(k->flags[i].def->name, name) == 0)
            v = k->flags[i].value;
    return v;
}

bool ksi_kc_has(const ksi_kc *k, const char *name)
{
    return ksi_kc_flag(k, name) != NULL;
}

int ksi_kc_parse_bool(const char *s)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True", NULL};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False", NULL};
    int i;
    for (i = 0; yes[i]; i++)
        if (strcmp(s, yes[i]) == 0)
            return 1;
    for (i = 0; no[i]; i++)
        if (strcmp(s, no[i]) == 0)
            return 0;
    return -1;
}

bool ksi_kc_bool(const ksi_kc *k, const char *name)
{
    const char *v = ksi_kc_flag(k, name);
    return v && ksi_kc_parse_bool(v) == 1;
}

/* 0 and *out set, 1 for bad syntax, 2 when out of range (strconv.ParseInt). */
int ksi_kc_parse_int(const char *s, int64_t *out)
{
    char *end;
    long long v;
    if (!*s || *s == ' ')
        return 1;
    errno = 0;
    v = strtoll(s, &end, 0);
    if (*end)
        return 1;
    if (errno == ERANGE)
        return 2;
    *out = v;
    return 0;
}

int64_t ksi_kc_int(const ksi_kc *k, const char *name, int64_t dflt)
{
    const char *v = ksi_kc_flag(k, name);
    int64_t n;
    return v && ksi_kc_parse_int(v, &n) == 0 ? n : dflt;
}

size_t ksi_kc_list(const ksi_kc *k, const char *name, const char ***out)
{
    size_t i, n = 0;
    const char **v = ks_arena_alloc(k->tmp, (k->nflags + 1) * sizeof *v);
    if (!v) {
        *out = NULL;
        return 0;
    }
    for (i = 0; i < k->nflags; i++)
        if (strcmp(k->flags[i].def->name, name) == 0)
            v[n++] = k->flags[i].value;
    *out = v;
    return n;
}

