/* ks_strbuf.c -- growable strings (see ks_strbuf.h). */
#include "ks_strbuf.h"

#include <stdio.h>
#include <string.h>

void ks_strbuf_init(ks_strbuf *b, const ks_allocator *a)
{
    memset(b, 0, sizeof *b);
    if (a)
        b->alloc = *a;
}

void ks_strbuf_fini(ks_strbuf *b)
{
    ks_mem_free(&b->alloc, b->buf, b->cap);
    b->buf = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

void ks_strbuf_clear(ks_strbuf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->buf)
        b->buf[0] = '\0';
}

/* Room for need more bytes plus the NUL. */
static int reserve(ks_strbuf *b, size_t need)
{
    size_t ncap;
    char *p;
    if (b->failed)
        return -1;
    if (need >= (size_t)-1 / 2 - b->len) {
        b->failed = true;
        return -1;
    }
    if (b->len + need + 1 <= b->cap)
        return 0;
    ncap = b->cap ? b->cap : 256;
    while (ncap < b->len + need + 1)
        ncap *= 2;
    p = ks_mem_realloc(&b->alloc, b->buf, b->cap, ncap);
    if (!p) {
        b->failed = true;
        return -1;
    }
    b->buf = p;
    b->cap = ncap;
    return 0;
}

int ks_strbuf_append(ks_strbuf *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

int ks_strbuf_puts(ks_strbuf *b, const char *s)
{
    return ks_strbuf_append(b, s, strlen(s));
}

int ks_strbuf_putc(ks_strbuf *b, char c)
{
    return ks_strbuf_append(b, &c, 1);
}

int ks_strbuf_vprintf(ks_strbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || reserve(b, (size_t)n) != 0)
        return -1;
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int ks_strbuf_printf(ks_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = ks_strbuf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *ks_strbuf_str(const ks_strbuf *b)
{
    return b->buf ? b->buf : "";
}

bool ks_strbuf_failed(const ks_strbuf *b)
{
    return b->failed;
}
