/* ks_shell_perl.c -- perl, as far as a course's Jobs use it: the Kubernetes
 * docs' pi Job (K8S/concepts/workloads/controllers/job/: image perl:5.34.0,
 * `perl -Mbignum=bpi -wle 'print bpi(2000)'`, "It computes π to 2000 places
 * and prints it out. It takes around 10s to complete").
 *
 * The script (-e / -le / -wle ..., options before it ignored but -l) is
 * statements separated by ';', each one of:
 *   print bpi(N)        pi to N significant digits, the last one rounded, as
 *                       Math::BigFloat's bpi gives it (computed here: Rabinowitz
 *                       and Wagon's spigot); it takes 10 s for N = 2000, as the
 *                       docs say, and N²-proportionally for other N (an
 *                       assumption: the work of bpi grows about so), at least
 *                       100 ms (perl's start)
 *   print "TEXT" / 'TEXT'   (\n and \t in double quotes)
 *   sleep N, exit N, die "TEXT" (TEXT on stderr, exit 255: perl's die with
 *                       $! and $? zero)
 * -l ends each print with a newline. Any other script (or a script file) is
 * not run: perl says so on stderr and exits 0, so that a Job around it still
 * shows what a Job does (what the real script would exit with cannot be
 * known); docs/kubernetes-behaviour.md says the same.
 * perl's STDOUT to a pipe (a container's log) is block-buffered: what the
 * script prints reaches the log when perl exits (PerlIO flushes at exit),
 * after bpi's compute time and the sleeps, not when the statement runs. So
 * a command of the script itself (the shell's hold) waits all of the
 * script's time first, then prints all of it; in a pipe or $(...) it
 * prints at once, its time after.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"

#define BPI_SECONDS_2000 10           /* the docs' "around 10s" for bpi(2000) */
#define PERL_START (100 * KS_MSEC)     /* perl's start: an assumption */
#define BPI_MAX_DIGITS 400             /* computed; past them the line is cut
                                          (the log keeps 160 characters) */

/* Pi to n significant digits (n <= BPI_MAX_DIGITS), the last rounded, in
 * out: "3.14159...". The spigot of Rabinowitz and Wagon (1995), with
 * guard digits so that the rounding is right. */
static void pi_digits(int n, char *out, size_t size)
{
    enum { GUARD = 8 };
    int want = n + GUARD, len = want * 10 / 3 + 2, i, j, k = 0, nines = 0, predigit = 0;
    int *a = malloc((size_t)len * sizeof *a);
    char *d = malloc((size_t)want + 2);
    if (!a || !d) {
        free(a);
        free(d);
        snprintf(out, size, "3");
        return;
    }
    for (i = 0; i < len; i++)
        a[i] = 2;
    for (j = 0; j < want; j++) {
        int q = 0;
        for (i = len; i > 0; i--) {
            int x = 10 * a[i - 1] + q * i;
            a[i - 1] = x % (2 * i - 1);
            q = x / (2 * i - 1);
        }
        a[0] = q % 10;
        q /= 10;
        if (q == 9) {
            nines++;
        } else if (q == 10) {
            d[k++] = (char)('0' + predigit + 1);
            for (; nines > 0; nines--)
                d[k++] = '0';
            predigit = 0;
        } else {
            if (j > 0)
                d[k++] = (char)('0' + predigit);
            predigit = q;
            for (; nines > 0; nines--)
                d[k++] = '9';
        }
    }
    /* d: "31415926..." (the guard digits absorb what is still pending) */
    if (k > n && d[n] >= '5') {           /* round half up at digit n */
        for (i = n - 1; i >= 0 && d[i] == '9'; i--)
            d[i] = '0';
        if (i >= 0)
            d[i]++;
    }
    if (n <= 1)
        snprintf(out, size, "%c", d[0]);
    else
        snprintf(out, size, "%c.%.*s", d[0], n - 1, d + 1);
    free(a);
    free(d);
}

/* s past blanks. */
static const char *skip(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* A quoted string at s ("..." with \n \t \\ \" escapes, or '...') into out;
 * returns the end past its quote, or NULL when s is not one. */
static const char *quoted(const char *s, char *out, size_t n)
{
    char q = *s;
    size_t k = 0;
    if (q != '"' && q != '\'')
        return NULL;
    for (s++; *s && *s != q; s++) {
        char c = *s;
        if (c == '\\' && s[1] && (q == '"' || s[1] == '\'' || s[1] == '\\')) {
            c = *++s;
            if (q == '"')
                c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        if (k + 1 < n)
            out[k++] = c;
    }
    out[k] = '\0';
    return *s == q ? s + 1 : NULL;
}

/* A statement's end: blanks, then ';' or the script's end. */
static const char *end_of(const char *s)
{
    s = skip(s);
    if (*s == ';')
        return s + 1;
    return *s ? NULL : s;
}

/* Prints text, with the -l newline. */
static void put(const ks_shell_io *io, const ksi_sh_op *o, const char *text, bool l)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s", text, l ? "\n" : "");
    ksi_sh_emit_text(io, o, buf);
}

/* Runs the script; returns its exit status, the time it takes in *took, or
 * -1 when a statement is not one kubesim runs (then nothing has run). */
static int run(const char *script, const ks_shell_io *io, const ksi_sh_op *o, bool l,
               ks_time *took, bool dry)
{
    const char *s = skip(script);
    char text[600];
    long v;
    while (*s) {
        const char *e = NULL;
        char *num;
        if (strncmp(s, "print", 5) == 0 && isspace((unsigned char)s[5])) {
            const char *a = skip(s + 5);
            if (strncmp(a, "bpi(", 4) == 0 && (v = strtol(a + 4, &num, 10)) > 0 && *num == ')'
                && (e = end_of(num + 1)) != NULL) {
                double r = (double)v / 2000.0;
                ks_time t = (ks_time)(r * r * BPI_SECONDS_2000 * KS_SEC);
                *took += t > PERL_START ? t : PERL_START;
                if (!dry) {
                    pi_digits(v < BPI_MAX_DIGITS ? (int)v : BPI_MAX_DIGITS, text, sizeof text);
                    put(io, o, text, l);
                }
            } else if ((e = quoted(a, text, sizeof text)) != NULL && (e = end_of(e)) != NULL) {
                if (!dry)
                    put(io, o, text, l);
            } else {
                return -1;
            }
        } else if (strncmp(s, "sleep", 5) == 0 && (v = strtol(s + 5, &num, 10)) >= 0
                   && num != s + 5 && (e = end_of(num)) != NULL) {
            *took += (ks_time)v * KS_SEC;
        } else if (strncmp(s, "exit", 4) == 0 && (e = end_of(s + 4)) != NULL) {
            return 0;
        } else if (strncmp(s, "exit", 4) == 0 && (v = strtol(s + 4, &num, 10)) >= 0
                   && num != s + 4 && (e = end_of(num)) != NULL) {
            return (int)(v & 255);
        } else if (strncmp(s, "die", 3) == 0 && (e = quoted(skip(s + 3), text, sizeof text))
                   && (e = end_of(e)) != NULL) {
            if (!dry) {
                size_t n = strlen(text);
                if (n && text[n - 1] == '\n')
                    text[n - 1] = '\0';
                else
                    snprintf(text + n, sizeof text - n, " at -e line 1.");
                ksi_sh_complain(io, text);
            }
            return 255;
        } else {
            return -1;
        }
        s = skip(e);
    }
    return 0;
}

int ksi_sh_perl(const ksi_sh_op *o, const ks_shell_io *io, ks_time *sleep)
{
    const char *script = NULL;
    bool l = false;
    size_t i;
    int st;
    ks_time took = 0;
    if (strcmp(o->argv[0], "perl") != 0 || !io->has || !io->has(io->ud, "perl"))
        return -1;
    for (i = 1; i < o->argc && !script; i++) {
        const char *a = o->argv[i];
        if (a[0] != '-' || strcmp(a, "--") == 0)
            break;                              /* a script file */
        if (a[1] == 'M' || a[1] == 'm' || a[1] == 'I')
            continue;                           /* -Mbignum=bpi: modules */
        if (strchr(a + 1, 'l'))
            l = true;
        if (strchr(a + 1, 'e') || strchr(a + 1, 'E'))
            script = i + 1 < o->argc ? o->argv[++i] : "";
    }
    if (!script || run(script, io, o, l, &took, true) < 0) {
        ksi_sh_complain(io, "kubesim: perl here runs only print bpi(N), print \"...\", sleep, "
                            "exit and die; this script was not run (exit 0, as if done)");
        *sleep = PERL_START;
        return 0;
    }
    if (o->hold && !o->waited) {                /* its time first, then its output */
        *o->hold = true;
        *sleep = took > 0 ? took : PERL_START;
        return 0;
    }
    took = 0;
    st = run(script, io, o, l, &took, false);
    *sleep = o->waited ? 0 : took > 0 ? took : PERL_START;
    return st;
}
