/* ks_shell_test.c -- test and [ ], as busybox's test applet (ash's
 * builtin) parses and says them: POSIX's rules for 0 to 4 arguments, then
 * the grammar ! -a -o ( ), unary and binary primaries, and its words for
 * what is wrong ("X: unknown operand", "X: bad number", "argument
 * expected", "missing ]"), status 2. Files are what the container sees
 * (io->read_file, io->list). Source: mirror/busybox 371fe9f
 * coreutils/test.c (test_main, oexpr, aexpr, nexpr, primary, binop, getn).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"

typedef enum {
    EOI, UNARY, BINARY, NOT, AND, OR, LPAREN, RPAREN, OPERAND
} kind;

/* A parse of test's words: where it is, and the first error said (2). */
typedef struct tparse {
    const ks_shell_io *io;
    const char *const *args;      /* NULL-ended */
    size_t at;
    int failed;                   /* 2: said, the test's status */
} tparse;

/* busybox's ops_table, by kind: the file, string and integer primaries
 * (unary, binary), ! -a -o ( ). */
static kind kind_of(const char *s)
{
    static const char *const unary[] = {"-r", "-w", "-x", "-e", "-f", "-d", "-c", "-b", "-p",
                                        "-u", "-g", "-k", "-s", "-t", "-z", "-n", "-h", "-O",
                                        "-G", "-L", "-S", NULL};
    static const char *const binary[] = {"=", "==", "!=", "<", ">", "-eq", "-ne", "-ge", "-gt",
                                         "-le", "-lt", "-nt", "-ot", "-ef", NULL};
    size_t i;
    if (!s)
        return EOI;
    for (i = 0; unary[i]; i++)
        if (strcmp(s, unary[i]) == 0)
            return UNARY;
    for (i = 0; binary[i]; i++)
        if (strcmp(s, binary[i]) == 0)
            return BINARY;
    return strcmp(s, "!") == 0    ? NOT
           : strcmp(s, "-a") == 0 ? AND
           : strcmp(s, "-o") == 0 ? OR
           : strcmp(s, "(") == 0  ? LPAREN
           : strcmp(s, ")") == 0  ? RPAREN
                                  : OPERAND;
}

/* busybox syntax(): "OP: MSG" (or "MSG") on stderr, the test's status 2. */
static long syntax(tparse *t, const char *op, const char *msg)
{
    char line[400];
    if (t->failed)
        return 0;
    if (op && *op)
        snprintf(line, sizeof line, "sh: %.200s: %s", op, msg);
    else
        snprintf(line, sizeof line, "sh: %s", msg);
    ksi_sh_complain(t->io, line);
    t->failed = 2;
    return 0;
}

/* getn: a whole decimal number (blanks after it allowed). */
static long getn(tparse *t, const char *s)
{
    char *p;
    long r;
    errno = 0;
    r = strtol(s, &p, 10);
    if (errno)
        return syntax(t, s, "out of range");
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    if (p == s || *p)
        return syntax(t, s, "bad number");
    return r;
}

static const char *arg(const tparse *t, size_t i)
{
    const char *const *a = t->args;
    size_t k;
    for (k = 0; k < i && a[k]; k++) {
    }
    return a[k];
}

static void no_file(void *arg, const char *path)
{
    (void)arg;
    (void)path;
}

/* A file primary on path: -e -f -s as the container sees its files, -d
 * as its volumes' directories; the rest kubesim does not know (modes,
 * owners, links, devices): said, 2. */
static long file_test(tparse *t, const char *op, const char *path)
{
    const ks_shell_io *io = t->io;
    const char *text = io->read_file ? io->read_file(io->ud, path) : NULL;
    char line[300];
    int dir;
    if (strcmp(op, "-f") == 0 || strcmp(op, "-s") == 0)
        return text && (op[1] == 'f' || *text);
    if (strcmp(op, "-e") == 0 || strcmp(op, "-d") == 0) {
        if (text)
            return op[1] == 'e';
        dir = io->list ? io->list(io->ud, path, no_file, NULL) : -1;
        if (dir >= 0)
            return dir;
        if (op[1] == 'e')
            return 0;
    }
    snprintf(line, sizeof line, "kubesim: test %s %.200s: kubesim's sh does not know this of "
                                "the image's files", op, path);
    ksi_sh_complain(io, line);
    t->failed = 2;
    return 0;
}

static bool is_int_op(const char *op)
{
    static const char *const ops[] = {"-eq", "-ne", "-ge", "-gt", "-le", "-lt", NULL};
    size_t i;
    for (i = 0; ops[i]; i++)
        if (strcmp(op, ops[i]) == 0)
            return true;
    return false;
}

/* binop: args[at] OP args[at+2]. */
static long binop(tparse *t)
{
    const char *a = arg(t, t->at), *op = arg(t, t->at + 1), *b = arg(t, t->at + 2);
    int c;
    t->at += 2;
    if (!b)
        return syntax(t, op, "argument expected");
    if (is_int_op(op)) {
        long x = getn(t, a), y = t->failed ? 0 : getn(t, b);
        if (t->failed)
            return 0;
        return strcmp(op, "-eq") == 0   ? x == y
               : strcmp(op, "-ne") == 0 ? x != y
               : strcmp(op, "-ge") == 0 ? x >= y
               : strcmp(op, "-gt") == 0 ? x > y
               : strcmp(op, "-le") == 0 ? x <= y
                                        : x < y;
    }
    if (op[0] != '-') {
        c = strcmp(a, b);
        return op[0] == '=' ? c == 0 : op[0] == '!' ? c != 0 : op[0] == '<' ? c < 0 : c > 0;
    }
    return file_test(t, op, a);   /* -nt -ot -ef: not known */
}

static long oexpr(tparse *t);

/* primary: ( EXPR ), A BINOP B, UNOP A, or a string (true when not empty). */
static long primary(tparse *t)
{
    const char *a = arg(t, t->at);
    kind k = kind_of(a);
    if (k == EOI)
        return syntax(t, NULL, "argument expected");
    if (k == LPAREN) {
        long r;
        t->at++;
        r = oexpr(t);
        if (kind_of(arg(t, ++t->at)) != RPAREN)
            return syntax(t, NULL, "closing paren expected");
        return r;
    }
    if (arg(t, t->at + 1) && arg(t, t->at + 2) && kind_of(arg(t, t->at + 1)) == BINARY)
        return binop(t);
    if (k == UNARY && arg(t, t->at + 1)) {
        const char *x = arg(t, ++t->at);
        if (strcmp(a, "-z") == 0 || strcmp(a, "-n") == 0)
            return (x[0] == '\0') == (a[1] == 'z');
        if (strcmp(a, "-t") == 0) {
            getn(t, x);
            return 0;             /* a container's fds are no terminal (kubectl run -t aside) */
        }
        return file_test(t, a, x);
    }
    return a[0] != '\0';
}

static long nexpr(tparse *t)
{
    if (kind_of(arg(t, t->at)) == NOT) {
        if (kind_of(arg(t, t->at + 1)) == EOI)
            return 1;             /* [ ! ]: "! ARG" may miss ARG */
        t->at++;
        return !nexpr(t);
    }
    return primary(t);
}

static long aexpr(tparse *t)
{
    long r = nexpr(t);
    if (!t->failed && kind_of(arg(t, t->at + 1)) == AND) {
        t->at += 2;
        return aexpr(t) && r;
    }
    return r;
}

static long oexpr(tparse *t)
{
    long r = aexpr(t);
    if (!t->failed && kind_of(arg(t, t->at + 1)) == OR) {
        t->at += 2;
        return oexpr(t) || r;
    }
    return r;
}

/* test_main after "[...]": POSIX's special cases of 0-4 arguments (a
 * leading ! negates; 3: a binary primary first; 4: ( X Y )), else the
 * grammar; words left over: "X: unknown operand", 2. */
int ksi_sh_test(const ks_shell_io *io, const char *const *words, size_t n)
{
    const char *a[MAX_WORDS + 1];
    tparse t = {io, a, 0, 0};
    size_t i, from = 0;
    int negate = 0;
    long r;
    char line[300];
    for (i = 0; i < n && i < MAX_WORDS; i++)
        a[i] = words[i];
    a[i] = NULL;
    for (;;) {
        size_t left = n - from;
        if (left == 0)
            return 1 ^ negate;
        if (left == 1)
            return (a[from][0] == '\0') ^ negate;
        if (left == 3 && kind_of(a[from + 1]) == BINARY) {
            t.at = from;
            r = binop(&t);
            return t.failed ? t.failed : (r == 0) ^ negate;
        }
        if (left == 4 && strcmp(a[from], "(") == 0 && strcmp(a[from + 3], ")") == 0) {
            a[from + 3] = NULL;   /* ( X Y ): the two-argument test of X Y */
            from++;
            n = from + 2;
        }
        if (kind_of(a[from]) != NOT)
            break;
        from++;
        negate ^= 1;
    }
    t.at = 0;                     /* the grammar reads every word again, ! and ( too
                                     (test_main's args, not its argv) */
    r = oexpr(&t);
    if (t.failed)
        return t.failed;
    if (arg(&t, t.at) && arg(&t, t.at + 1)) {
        snprintf(line, sizeof line, "sh: %.200s: unknown operand", arg(&t, t.at + 1));
        ksi_sh_complain(io, line);
        return 2;
    }
    return r == 0;
}
