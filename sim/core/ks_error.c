/* ks_error.c -- located error messages (see ks_error.h). */
#include "ks_error.h"

#include <stdio.h>
#include <string.h>

void ks_error_clear(ks_error *e)
{
    memset(e, 0, sizeof *e);
}

static void copy_file(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

int ks_error_setv(ks_error *e, int code, ks_mark at, const char *fmt, va_list ap)
{
    if (!e)
        return code;
    ks_error_clear(e);
    e->code = code;
    copy_file(e->file, sizeof e->file, at.file);
    e->line = at.line;
    e->col = at.col;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    return code;
}

int ks_error_set(ks_error *e, int code, ks_mark at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ks_error_setv(e, code, at, fmt, ap);
    va_end(ap);
    return code;
}

void ks_error_note(ks_error *e, ks_mark at, const char *fmt, ...)
{
    va_list ap;
    if (!e)
        return;
    copy_file(e->note_file, sizeof e->note_file, at.file);
    e->note_line = at.line;
    e->note_col = at.col;
    va_start(ap, fmt);
    vsnprintf(e->note, sizeof e->note, fmt, ap);
    va_end(ap);
}

/* "file:line:col: " with the parts that are known. */
static size_t format_where(char *buf, size_t n, const char *file,
                           unsigned line, unsigned col)
{
    int k;
    if (!file[0])
        k = snprintf(buf, n, "%s", "");
    else if (!line)
        k = snprintf(buf, n, "%s: ", file);
    else if (!col)
        k = snprintf(buf, n, "%s:%u: ", file, line);
    else
        k = snprintf(buf, n, "%s:%u:%u: ", file, line, col);
    return k < 0 ? 0 : (size_t)k;
}

size_t ks_error_format(const ks_error *e, const char *severity, char *buf, size_t n)
{
    char where[300], nwhere[300];
    int k;
    format_where(where, sizeof where, e->file, e->line, e->col);
    if (!e->note[0]) {
        k = snprintf(buf, n, "%s%s: %s", where, severity, e->msg);
    } else {
        format_where(nwhere, sizeof nwhere, e->note_file, e->note_line, e->note_col);
        k = snprintf(buf, n, "%s%s: %s\n%snote: %s", where, severity, e->msg,
                     nwhere, e->note);
    }
    return k < 0 ? 0 : (size_t)k;
}

const char *ks_error_code_name(int code)
{
    static const char *const names[] = {
        "OK", "ENOMEM", "EIO", "ESYNTAX", "ESCHEMA", "EINVAL",
        "ELIMIT", "EUNKNOWN", "EUSAGE", "EINTERNAL", "EFORBIDDEN"
    };
    if (code < 0 || code >= (int)(sizeof names / sizeof names[0]))
        return "E?";
    return names[code];
}
