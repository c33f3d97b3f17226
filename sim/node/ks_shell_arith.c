/* ks_shell_arith.c -- sh's arithmetic expansion, $((...)): integers (C's
 * long), + - * / %, comparisons (< <= > >= == !=, 1 or 0), ! and unary
 * minus, parentheses; a name is its variable's value (unset or empty: 0),
 * as POSIX 2.6.4 and busybox's ash evaluate it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/shell.h"

typedef struct arith {
    const char *s;
    const char *(*lookup)(void *ud, const char *name);
    void *ud;
    const char *err;              /* the first problem, or NULL */
} arith;

static void blanks(arith *a)
{
    while (*a->s == ' ' || *a->s == '\t' || *a->s == '\n')
        a->s++;
}

static long expr(arith *a);

static long primary(arith *a)
{
    blanks(a);
    if (*a->s == '(') {
        long v;
        a->s++;
        v = expr(a);
        blanks(a);
        if (*a->s != ')') {
            a->err = a->err ? a->err : "missing )";
            return 0;
        }
        a->s++;
        return v;
    }
    if (isdigit((unsigned char)*a->s)) {
        char *end;
        long v = strtol(a->s, &end, 0);
        a->s = end;
        return v;
    }
    if (isalpha((unsigned char)*a->s) || *a->s == '_') {
        char name[64];
        size_t n = 0;
        const char *v;
        while ((isalnum((unsigned char)*a->s) || *a->s == '_') && n + 1 < sizeof name)
            name[n++] = *a->s++;
        name[n] = '\0';
        v = a->lookup ? a->lookup(a->ud, name) : NULL;
        return v && *v ? strtol(v, NULL, 0) : 0;
    }
    a->err = a->err ? a->err : "arithmetic syntax error";
    return 0;
}

static long unary(arith *a)
{
    blanks(a);
    if (*a->s == '-') {
        a->s++;
        return -unary(a);
    }
    if (*a->s == '+') {
        a->s++;
        return unary(a);
    }
    if (*a->s == '!') {
        a->s++;
        return !unary(a);
    }
    return primary(a);
}

static long mul(arith *a)
{
    long v = unary(a);
    for (;;) {
        char op;
        long r;
        blanks(a);
        op = *a->s;
        if (op != '*' && op != '/' && op != '%')
            return v;
        a->s++;
        r = unary(a);
        if (op == '*')
            v *= r;
        else if (r == 0)
            a->err = a->err ? a->err : "divide by zero";
        else
            v = op == '/' ? v / r : v % r;
    }
}

static long add(arith *a)
{
    long v = mul(a);
    for (;;) {
        blanks(a);
        if (*a->s == '+') {
            a->s++;
            v += mul(a);
        } else if (*a->s == '-') {
            a->s++;
            v -= mul(a);
        } else {
            return v;
        }
    }
}

static long expr(arith *a)
{
    long v = add(a);
    for (;;) {
        const char *s;
        blanks(a);
        s = a->s;
        if (s[0] == '<' && s[1] == '=')
            a->s += 2, v = v <= add(a);
        else if (s[0] == '>' && s[1] == '=')
            a->s += 2, v = v >= add(a);
        else if (s[0] == '=' && s[1] == '=')
            a->s += 2, v = v == add(a);
        else if (s[0] == '!' && s[1] == '=')
            a->s += 2, v = v != add(a);
        else if (s[0] == '<')
            a->s += 1, v = v < add(a);
        else if (s[0] == '>')
            a->s += 1, v = v > add(a);
        else
            return v;
    }
}

bool ksi_sh_arith(const char *text, const char *(*lookup)(void *ud, const char *name), void *ud,
                  long *out, const char **err)
{
    arith a = {text, lookup, ud, NULL};
    *out = expr(&a);
    blanks(&a);
    if (!a.err && *a.s)
        a.err = "arithmetic syntax error";
    *err = a.err;
    return a.err == NULL;
}
