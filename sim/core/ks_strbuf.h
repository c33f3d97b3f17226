/* ks_strbuf.h -- a growable, always NUL-terminated string.
 *
 * For text the simulation hands to a caller (kubectl's output): memory
 * comes from a ks_allocator, so out-of-memory tests reach it too. A failed
 * allocation is sticky: later appends are dropped and ks_strbuf_failed says
 * so; the text built before stays readable.
 * Depends on: ks_mem.
 */
#ifndef KS_STRBUF_H
#define KS_STRBUF_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

#include "ks_mem.h"

typedef struct ks_strbuf {
    char *buf;                /* NULL until something is appended */
    size_t len, cap;
    ks_allocator alloc;       /* copied at init ({NULL, NULL}: libc) */
    bool failed;              /* an allocation was refused */
} ks_strbuf;

/* Starts an empty buffer drawing from a (NULL: the default allocator). */
void ks_strbuf_init(ks_strbuf *b, const ks_allocator *a);
/* Frees the text; b can be used again (empty) afterwards. */
void ks_strbuf_fini(ks_strbuf *b);
/* Empties the text, keeping the memory. */
void ks_strbuf_clear(ks_strbuf *b);

/* Append n bytes / a string / formatted text. Return 0, or -1 when memory
 * ran out (then nothing more is appended until ks_strbuf_clear). */
int ks_strbuf_append(ks_strbuf *b, const char *s, size_t n);
int ks_strbuf_puts(ks_strbuf *b, const char *s);
int ks_strbuf_putc(ks_strbuf *b, char c);
int ks_strbuf_printf(ks_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ks_strbuf_vprintf(ks_strbuf *b, const char *fmt, va_list ap);

/* The text so far ("" when empty; valid until the next append). */
const char *ks_strbuf_str(const ks_strbuf *b);
/* Whether an append was dropped for lack of memory. */
bool ks_strbuf_failed(const ks_strbuf *b);

#endif
