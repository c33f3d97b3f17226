/* ks_diag.h -- a list of located errors and warnings, so one run reports
 * every problem (up to a cap), not only the first.
 * Depends on: ks_error.
 */
#ifndef KS_DIAG_H
#define KS_DIAG_H

#include "ks_error.h"

#define KS_DIAG_CAP 50            /* messages kept; later ones are counted */

typedef enum ks_severity { KS_SEV_ERROR, KS_SEV_WARNING } ks_severity;

typedef struct ks_diag_item {
    ks_severity sev;
    ks_error err;
} ks_diag_item;

typedef struct ks_diags {
    ks_diag_item items[KS_DIAG_CAP];
    int n;                        /* items kept */
    int errors, warnings;         /* all reported, kept or not */
} ks_diags;

/* Clears d. */
void ks_diags_init(ks_diags *d);
/* Records an error; returns code (for `return ks_diag_error(...)`). */
int ks_diag_error(ks_diags *d, int code, ks_mark at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Records a warning. */
void ks_diag_warn(ks_diags *d, ks_mark at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a note to the most recent message (no-op if it was dropped). */
void ks_diag_note(ks_diags *d, ks_mark at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Copies a ks_error in as an error. */
void ks_diag_add(ks_diags *d, const ks_error *e);
/* Formats item i ("file:l:c: error: ..."); returns length needed. */
size_t ks_diag_format(const ks_diags *d, int i, char *buf, size_t n);
/* Code of the first error, or KS_OK when there is none. */
int ks_diag_first_code(const ks_diags *d);

#endif
