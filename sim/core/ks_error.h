/* ks_error.h -- status codes, source locations and located error messages.
 *
 * Every function that can fail returns one of the KS_* codes and, when the
 * caller passes a ks_error, fills it with a message and the place in the
 * user's file that caused it. Printed gcc-style, so editors can jump to it:
 *     file:line:col: error: message
 *     file:line:col: note: context
 * Depends on: libc only.
 */
#ifndef KS_ERROR_H
#define KS_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum {
    KS_OK = 0,        /* success */
    KS_ENOMEM,        /* an allocation failed */
    KS_EIO,           /* a file could not be read or written */
    KS_ESYNTAX,       /* the YAML itself is malformed */
    KS_ESCHEMA,       /* a field has the wrong type, or is unknown/missing */
    KS_EINVAL,        /* a value is out of range or breaks a validation rule */
    KS_ELIMIT,        /* input exceeds a limit (size, depth, aliases, counts) */
    KS_EUNKNOWN,      /* an unknown kind, command or name */
    KS_EUSAGE,        /* bad command line */
    KS_EINTERNAL,     /* a bug in kubesim */
    KS_EFORBIDDEN     /* the API server refuses it (403 Forbidden: an admission plugin) */
};

/* A position in a user's file, 1-based (libyaml marks are 0-based: add 1).
 * file is borrowed: it must outlive the mark (loaders intern file names). */
typedef struct ks_mark {
    const char *file;
    unsigned line, col;
} ks_mark;

#define KS_MARK_NONE ((ks_mark){NULL, 0, 0})

typedef struct ks_error {
    int code;                 /* KS_OK when no error is recorded */
    char file[256];
    unsigned line, col;       /* 0 when unknown */
    char msg[512];
    /* optional second location: "note: while parsing X at file:l:c" */
    char note[256];
    char note_file[256];
    unsigned note_line, note_col;
} ks_error;

/* Clears e (code KS_OK, no message). */
void ks_error_clear(ks_error *e);

/* Fills e with code, location and a printf-style message; returns code so
 * call sites can write `return ks_error_set(e, KS_EINVAL, m, "...")`.
 * e may be NULL, then only the code is returned. */
int ks_error_set(ks_error *e, int code, ks_mark at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int ks_error_setv(ks_error *e, int code, ks_mark at, const char *fmt, va_list ap);

/* Adds the optional context location to an error already set. */
void ks_error_note(ks_error *e, ks_mark at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Formats e as "file:line:col: SEVERITY: msg" (+ "\nfile:l:c: note: ...")
 * into buf (always NUL-terminated). severity is "error" or "warning".
 * Missing parts are left out: "file: error: msg", or "error: msg".
 * Returns the length the full text needs, like snprintf. */
size_t ks_error_format(const ks_error *e, const char *severity, char *buf, size_t n);

/* The short name of a code ("ENOMEM"), for logs and tests. */
const char *ks_error_code_name(int code);

#endif
