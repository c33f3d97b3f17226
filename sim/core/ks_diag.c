/* ks_diag.c -- error and warning lists (see ks_diag.h). */
#include "ks_diag.h"

#include <stdio.h>
#include <string.h>

void ks_diags_init(ks_diags *d)
{
    memset(d, 0, sizeof *d);
}

static ks_diag_item *next_item(ks_diags *d, ks_severity sev)
{
    if (sev == KS_SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->n >= KS_DIAG_CAP)
        return NULL;
    d->items[d->n].sev = sev;
    return &d->items[d->n++];
}

int ks_diag_error(ks_diags *d, int code, ks_mark at, const char *fmt, ...)
{
    ks_diag_item *it = next_item(d, KS_SEV_ERROR);
    va_list ap;
    if (it) {
        va_start(ap, fmt);
        ks_error_setv(&it->err, code, at, fmt, ap);
        va_end(ap);
    }
    return code;
}

void ks_diag_warn(ks_diags *d, ks_mark at, const char *fmt, ...)
{
    ks_diag_item *it = next_item(d, KS_SEV_WARNING);
    va_list ap;
    if (it) {
        va_start(ap, fmt);
        ks_error_setv(&it->err, KS_OK, at, fmt, ap);
        va_end(ap);
    }
}

void ks_diag_note(ks_diags *d, ks_mark at, const char *fmt, ...)
{
    ks_error *e;
    va_list ap;
    if (!d->n || d->n >= KS_DIAG_CAP + 1)
        return;
    if (d->errors + d->warnings > d->n)
        return;                  /* the message it belongs to was dropped */
    e = &d->items[d->n - 1].err;
    snprintf(e->note_file, sizeof e->note_file, "%s", at.file ? at.file : "");
    e->note_line = at.line;
    e->note_col = at.col;
    va_start(ap, fmt);
    vsnprintf(e->note, sizeof e->note, fmt, ap);
    va_end(ap);
}

void ks_diag_add(ks_diags *d, const ks_error *e)
{
    ks_diag_item *it = next_item(d, KS_SEV_ERROR);
    if (it)
        it->err = *e;
}

size_t ks_diag_format(const ks_diags *d, int i, char *buf, size_t n)
{
    return ks_error_format(&d->items[i].err,
                           d->items[i].sev == KS_SEV_ERROR ? "error" : "warning", buf, n);
}

int ks_diag_first_code(const ks_diags *d)
{
    int i;
    for (i = 0; i < d->n; i++)
        if (d->items[i].sev == KS_SEV_ERROR)
            return d->items[i].err.code ? d->items[i].err.code : KS_EINVAL;
    return d->errors ? KS_EINVAL : KS_OK;
}
