/* ks_shell_text.c -- the busybox applets that read text, on their files or
 * on their standard input (a pipe's previous stage): cat, grep, wc, head,
 * tail, cut, tr, sort, uniq, with the options course scripts use and
 * busybox's words for what goes wrong (coreutils/ and findutils/grep.c of
 * busybox; docs/kubernetes-behaviour.md, "kubesim's sh").
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"

typedef ksi_sh_op op;

#define MAX_LINES 512             /* lines sort and uniq keep */

/* Output collected, then written as the command's stdout (or its file). */
typedef struct text {
    char buf[PIPE_BUF_SIZE];
    size_t len;
    void *scratch;                /* sort's lines */
} text;

struct sort_buf {
    char lines[MAX_LINES][256];
};

static void put(text *t, const char *s, size_t n)
{
    ksi_sh_append(t->buf, sizeof t->buf, &t->len, s, n);
}

static void puts_f(text *t, const char *fmt, const char *s)
{
    char line[1100];
    int w = snprintf(line, sizeof line, fmt, s);
    if (w > 0)
        put(t, line, (size_t)w < sizeof line ? (size_t)w : sizeof line - 1);
}

static void putl(text *t, const char *fmt, long v)
{
    char line[64];
    int w = snprintf(line, sizeof line, fmt, v);
    if (w > 0)
        put(t, line, (size_t)w < sizeof line ? (size_t)w : sizeof line - 1);
}

/* The text of a file operand ("-": standard input); NULL with busybox's
 * complaint when there is no such file. */
static const char *input_of(const ks_shell_io *io, const char *cmd, const char *path)
{
    const char *s;
    char line[400];
    if (!path || strcmp(path, "-") == 0) {
        if (io->took_input)           /* read to its end: the script's next command
                                         finds none left */
            *io->took_input = true;
        return io->input ? io->input : "";
    }
    s = io->read_file ? io->read_file(io->ud, path) : NULL;
    if (!s) {
        /* libbb: fopen_or_warn (grep, wc, head, cut) says the name;
           open_or_warn and xfopen (cat, tail, sort, uniq) "can't open" */
        if (strcmp(cmd, "grep") == 0 || strcmp(cmd, "wc") == 0 || strcmp(cmd, "head") == 0
            || strcmp(cmd, "cut") == 0)
            snprintf(line, sizeof line, "%s: %s: No such file or directory", cmd, path);
        else
            snprintf(line, sizeof line, "%s: can't open '%s': No such file or directory", cmd,
                     path);
        ksi_sh_complain(io, line);
    }
    return s;
}

/* The next line of *s (without its newline) into line; false at the end. */
static bool next_line(const char **s, char *line, size_t n)
{
    const char *nl;
    size_t len;
    if (!**s)
        return false;
    nl = strchr(*s, '\n');
    len = nl ? (size_t)(nl - *s) : strlen(*s);
    snprintf(line, n, "%.*s", (int)len, *s);
    *s += len + (nl ? 1 : 0);
    return true;
}

/* Options as getopt32 reads them: "-abc" and "-n5"/"-n 5" for an option
 * that takes a value (one of with). Returns the first operand's index;
 * flags[c] set for each flag, vals[c] for each value; 0 with *bad set to
 * an unknown option. */
static size_t options(const op *o, const char *known, const char *with, const char *vals[128],
                      bool flags[128], char *bad)
{
    size_t i;
    *bad = 0;
    for (i = 1; i < o->argc; i++) {
        const char *a = o->argv[i];
        if (a[0] != '-' || !a[1] || (a[1] >= '0' && a[1] <= '9'))
            break;
        if (strcmp(a, "--") == 0)
            return i + 1;
        for (a++; *a; a++) {
            unsigned char c = (unsigned char)*a;
            if (c >= 128 || (!strchr(known, c) && !strchr(with, c))) {
                *bad = *a;
                return 0;
            }
            flags[c] = true;
            if (strchr(with, c)) {
                vals[c] = a[1] ? a + 1 : i + 1 < o->argc ? o->argv[++i] : "";
                break;
            }
        }
    }
    return i;
}

static int unrecognized(const ks_shell_io *io, const char *cmd, char c)
{
    char line[120];
    snprintf(line, sizeof line, "%s: unrecognized option: %c", cmd, c);
    ksi_sh_complain(io, line);
    return 1;
}

/* ---- cat, head, tail ---------------------------------------------------------------- */
static int cat_head_tail(const op *o, const ks_shell_io *io, text *t)
{
    const char *cmd = o->argv[0], *vals[128] = {0};
    bool flags[128] = {0}, head = strcmp(cmd, "head") == 0, tail = strcmp(cmd, "tail") == 0;
    char bad, line[1024];
    size_t first = options(o, head || tail ? "qv" : "nbuv", head || tail ? "nc" : "", vals,
                           flags, &bad), i, nfiles;
    long n = 10, from = 0;
    int st = 0;
    if (!first && bad)
        return unrecognized(io, cmd, bad);
    if ((head || tail) && first < o->argc && o->argv[first][0] == '-'
        && o->argv[first][1] >= '0' && o->argv[first][1] <= '9')
        vals['n'] = o->argv[first++] + 1;   /* head -5: the old form */
    if (vals['n']) {
        char *end;
        from = tail && vals['n'][0] == '+';
        n = strtol(vals['n'] + from, &end, 10);
        if (*end || n < 0) {
            snprintf(line, sizeof line, "%s: invalid number '%s'", cmd, vals['n']);
            ksi_sh_complain(io, line);
            return 1;
        }
    }
    nfiles = o->argc - first;
    for (i = first; i < o->argc || (i == first && !nfiles); i++) {
        const char *s = input_of(io, cmd, nfiles ? o->argv[i] : NULL), *p;
        long k = 0, total = 0;
        if (!s) {
            st = 1;
            continue;
        }
        if ((head || tail) && nfiles > 1 && !flags['q'])
            puts_f(t, i > first ? "\n==> %s <==\n" : "==> %s <==\n", o->argv[i]);
        for (p = s; *p; p++)
            total += *p == '\n';
        total += p > s && p[-1] != '\n';
        p = s;
        while (next_line(&p, line, sizeof line)) {
            k++;
            if ((head && k > n) || (tail && !from && k <= total - n) || (tail && from && k < n))
                continue;
            if (flags['n'] && !head && !tail)
                putl(t, "%6ld\t", k);
            put(t, line, strlen(line));
            put(t, "\n", 1);
        }
    }
    return st;
}

/* ---- grep ------------------------------------------------------------------------------ */
static bool is_word_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Whether line matches: a fixed string (-F) or the regex, whole (-x), as a
 * word (-w: the match bounded by non-word characters). */
static bool grep_match(const char *line, const char *pat, const regex_t *re, bool fixed,
                       bool icase, bool word, bool whole)
{
    size_t so, eo;
    if (fixed) {
        const char *at;
        size_t plen = strlen(pat);
        for (at = line; *at; at++) {
            if (!(icase ? strncasecmp(at, pat, plen) : strncmp(at, pat, plen)))
                break;
        }
        if (!*at && plen)
            return false;
        so = (size_t)(at - line);
        eo = so + plen;
    } else {
        regmatch_t m;
        if (regexec(re, line, 1, &m, 0) != 0)
            return false;
        so = (size_t)m.rm_so;
        eo = (size_t)m.rm_eo;
    }
    if (whole)
        return so == 0 && eo == strlen(line);
    if (word)
        return (so == 0 || !is_word_char(line[so - 1])) && !is_word_char(line[eo]);
    return true;
}

static int grep(const op *o, const ks_shell_io *io, text *t)
{
    const char *vals[128] = {0}, *pat;
    bool flags[128] = {0};
    char bad, line[1024];
    size_t first = options(o, "ivcnqEFwxlhsH", "e", vals, flags, &bad), i, nfiles;
    regex_t re;
    bool any = false;
    int st = 0;
    if (!first && bad)
        return unrecognized(io, "grep", bad);
    pat = vals['e'];
    if (!pat && first >= o->argc) {
        ksi_sh_complain(io, "BusyBox: grep: usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] "
                            "{ PATTERN | -e PATTERN... | -f FILE... } [FILE]...");
        return 2;
    }
    if (!pat)
        pat = o->argv[first++];
    if (!flags['F'] && regcomp(&re, pat, (flags['E'] ? REG_EXTENDED : 0)
                                              | (flags['i'] ? REG_ICASE : 0)) != 0) {
        snprintf(line, sizeof line, "grep: bad regex '%s'", pat);
        ksi_sh_complain(io, line);
        return 2;
    }
    nfiles = o->argc - first;
    for (i = first; i < o->argc || (i == first && !nfiles); i++) {
        const char *name = nfiles ? o->argv[i] : "(standard input)";
        const char *s = input_of(io, "grep", nfiles ? o->argv[i] : NULL);
        long k = 0, count = 0;
        bool prefix = (nfiles > 1 && !flags['h']) || flags['H'];
        if (!s) {
            st = 2;
            continue;
        }
        while (next_line(&s, line, sizeof line)) {
            k++;
            if (grep_match(line, pat, &re, flags['F'], flags['i'], flags['w'], flags['x'])
                == flags['v'])
                continue;
            count++;
            any = true;
            if (flags['q'] || flags['c'] || flags['l'])
                continue;
            if (prefix)
                puts_f(t, "%s:", name);
            if (flags['n'])
                putl(t, "%ld:", k);
            put(t, line, strlen(line));
            put(t, "\n", 1);
        }
        if (flags['c'] && !flags['q']) {
            if (prefix)
                puts_f(t, "%s:", name);
            putl(t, "%ld\n", count);
        }
        if (flags['l'] && count && !flags['q'])
            puts_f(t, "%s\n", name);
    }
    if (!flags['F'])
        regfree(&re);
    if (flags['q'] && any)
        return 0;
    return st ? st : any ? 0 : 1;
}

/* ---- wc ---------------------------------------------------------------------------------- */
/* busybox's wc.c: lines, words, bytes (and -L, the longest line) in that
 * order; "%9u" columns, but a bare number when one count of standard input
 * is asked for; the file's name after. */
static int wc(const op *o, const ks_shell_io *io, text *t)
{
    const char *vals[128] = {0};
    bool flags[128] = {0};
    char bad;
    size_t first = options(o, "lwcmL", "", vals, flags, &bad), i, nfiles, k;
    unsigned long totals[4] = {0};
    bool which[4];
    int nwhich = 0, st = 0;
    if (!first && bad)
        return unrecognized(io, "wc", bad);
    which[0] = flags['l'];
    which[1] = flags['w'];
    which[2] = flags['c'] || flags['m'];
    which[3] = flags['L'];
    if (!which[0] && !which[1] && !which[2] && !which[3])
        which[0] = which[1] = which[2] = true;
    for (k = 0; k < 4; k++)
        nwhich += which[k];
    nfiles = o->argc - first;
    for (i = first; i <= o->argc; i++) {
        unsigned long c[4] = {0}, pos = 0;
        const char *s, *name = i < o->argc ? o->argv[i] : "total", *fmt = "%9ld";
        bool in_word = false;
        if (i == o->argc && nfiles == 1)
            break;
        if (i < o->argc || !nfiles) {
            s = input_of(io, "wc", nfiles ? o->argv[i] : NULL);
            if (!s) {
                st = 1;
                continue;
            }
            for (; *s; s++) {
                unsigned char ch = (unsigned char)*s;
                c[2]++;
                if (ch == '\n') {
                    c[0]++;
                    c[3] = pos > c[3] ? pos : c[3];
                    pos = 0;
                } else {
                    pos += ch == '\t' ? 8 - pos % 8 : 1;
                }
                if (ch == ' ' || (ch >= 9 && ch <= 13)) {
                    in_word = false;
                } else if (ch >= 0x20 && ch < 0x7f && !in_word) {
                    in_word = true;
                    c[1]++;
                }
            }
            c[3] = pos > c[3] ? pos : c[3];
            for (k = 0; k < 4; k++)
                totals[k] += c[k];
        } else {
            memcpy(c, totals, sizeof c);
        }
        if (!nfiles && nwhich == 1)
            fmt = "%ld";
        for (k = 0; k < 4; k++)
            if (which[k]) {
                putl(t, fmt, (long)c[k]);
                fmt = " %9ld";
            }
        if (nfiles)
            puts_f(t, " %s\n", name);
        else
            put(t, "\n", 1);
        if (!nfiles)
            break;
    }
    return st;
}

/* ---- cut --------------------------------------------------------------------------------- */
/* Whether position k (1-based) is in LIST (N, N-M, N-, -M, by commas). */
static bool in_list(const char *list, long k)
{
    while (*list) {
        char *end;
        long lo = 1, hi;
        if (*list != '-')
            lo = strtol(list, &end, 10), list = end;
        hi = lo;
        if (*list == '-') {
            list++;
            hi = *list >= '0' && *list <= '9' ? strtol(list, &end, 10) : 1L << 30;
            if (*list >= '0' && *list <= '9')
                list = end;
        }
        if (k >= lo && k <= hi)
            return true;
        if (*list != ',')
            return false;
        list++;
    }
    return false;
}

static int cut(const op *o, const ks_shell_io *io, text *t)
{
    const char *vals[128] = {0}, *list;
    bool flags[128] = {0};
    char bad, line[1024], delim;
    size_t first = options(o, "s", "dfcb", vals, flags, &bad), i, nfiles;
    int st = 0;
    if (!first && bad)
        return unrecognized(io, "cut", bad);
    list = vals['f'] ? vals['f'] : vals['c'] ? vals['c'] : vals['b'];
    if (!list || !*list || (list[0] < '0' && list[0] != '-') || list[0] > '9') {
        ksi_sh_complain(io, list ? "cut: invalid range" :
                                   "cut: expected a list of bytes, characters, or fields");
        return 1;
    }
    delim = vals['d'] ? vals['d'][0] : '\t';
    nfiles = o->argc - first;
    for (i = first; i < o->argc || (i == first && !nfiles); i++) {
        const char *s = input_of(io, "cut", nfiles ? o->argv[i] : NULL);
        if (!s) {
            st = 1;
            continue;
        }
        while (next_line(&s, line, sizeof line)) {
            long k = 0;
            bool out = false;
            const char *f = line;
            if (!vals['f']) {                    /* characters (bytes) */
                for (; *f; f++)
                    if (in_list(list, ++k))
                        put(t, f, 1);
                put(t, "\n", 1);
                continue;
            }
            if (!strchr(line, delim)) {          /* no delimiter: the whole line */
                if (!flags['s'])
                    puts_f(t, "%s\n", line);
                continue;
            }
            while (f) {
                const char *e = strchr(f, delim);
                size_t len = e ? (size_t)(e - f) : strlen(f);
                if (in_list(list, ++k)) {
                    if (out)
                        put(t, &delim, 1);
                    put(t, f, len);
                    out = true;
                }
                f = e ? e + 1 : NULL;
            }
            put(t, "\n", 1);
        }
    }
    return st;
}

/* ---- tr ------------------------------------------------------------------------------------ */
/* A tr SET spelled out: ranges a-z, \n \t \\ and [:upper:] [:lower:]
 * [:digit:] [:space:] [:alpha:] [:alnum:]. Returns its length. */
static size_t tr_set(const char *s, unsigned char *out, size_t n)
{
    static const struct {
        const char *name, *chars;
    } classes[] = {{"[:upper:]", "A-Z"}, {"[:lower:]", "a-z"}, {"[:digit:]", "0-9"},
                   {"[:alpha:]", "A-Za-z"}, {"[:alnum:]", "0-9A-Za-z"}, {"[:space:]", " \t\n\r\f\v"}};
    size_t k = 0, c;
    while (*s && k < n) {
        unsigned char ch;
        for (c = 0; c < sizeof classes / sizeof classes[0]; c++)
            if (strncmp(s, classes[c].name, strlen(classes[c].name)) == 0)
                break;
        if (c < sizeof classes / sizeof classes[0]) {
            k += tr_set(classes[c].chars, out + k, n - k);
            s += strlen(classes[c].name);
            continue;
        }
        ch = (unsigned char)*s++;
        if (ch == '\\' && *s) {
            ch = (unsigned char)*s++;
            ch = ch == 'n' ? '\n' : ch == 't' ? '\t' : ch == 'r' ? '\r' : ch;
        }
        if (s[0] == '-' && s[1]) {
            unsigned char hi = (unsigned char)s[1], x;
            s += 2;
            for (x = ch; x <= hi && k < n; x++) {
                out[k++] = x;
                if (x == 255)
                    break;
            }
            continue;
        }
        out[k++] = ch;
    }
    return k;
}

static int tr(const op *o, const ks_shell_io *io, text *t)
{
    const char *vals[128] = {0}, *s = input_of(io, "tr", NULL);
    bool flags[128] = {0}, in1[256] = {0}, in_last[256] = {0};
    unsigned char set1[512], set2[512], map[256];
    char bad;
    size_t first = options(o, "ds", "", vals, flags, &bad), n1, n2 = 0, k;
    int last = -1;
    if (!first && bad)
        return unrecognized(io, "tr", bad);
    if (first >= o->argc || (!flags['d'] && !flags['s'] && first + 1 >= o->argc)) {
        ksi_sh_complain(io, "BusyBox: tr: usage: tr [-cds] STRING1 [STRING2]");
        return 1;
    }
    n1 = tr_set(o->argv[first], set1, sizeof set1);
    if (first + 1 < o->argc)
        n2 = tr_set(o->argv[first + 1], set2, sizeof set2);
    for (k = 0; k < 256; k++)
        map[k] = (unsigned char)k;
    for (k = 0; k < n1; k++) {
        in1[set1[k]] = true;
        if (n2 && !flags['d'])
            map[set1[k]] = set2[k < n2 ? k : n2 - 1];   /* SET2 is padded with its last */
    }
    for (k = 0; k < (flags['d'] || !n2 ? n1 : n2); k++)
        in_last[flags['d'] || !n2 ? set1[k] : set2[k]] = true;
    if (flags['d'] && n2) {                  /* -ds SET1 SET2: squeeze SET2 */
        memset(in_last, 0, sizeof in_last);
        for (k = 0; k < n2; k++)
            in_last[set2[k]] = true;
    }
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (flags['d'] && in1[ch])
            continue;
        ch = map[ch];
        if (flags['s'] && in_last[ch] && last == ch)
            continue;
        last = ch;
        put(t, (const char *)&ch, 1);
    }
    return 0;
}

/* ---- sort, uniq -------------------------------------------------------------------------- */
typedef struct sort_opts {
    bool numeric, reverse;
    long key;                     /* -k N: from field N (0: the whole line) */
    char sep;                     /* -t C (0: blanks) */
} sort_opts;

static const char *sort_key(const char *line, const sort_opts *so)
{
    long f;
    for (f = 1; f < so->key && *line; f++) {
        if (so->sep) {
            const char *e = strchr(line, so->sep);
            line = e ? e + 1 : line + strlen(line);
        } else {
            while (*line == ' ' || *line == '\t')
                line++;
            while (*line && *line != ' ' && *line != '\t')
                line++;
        }
    }
    return line;
}

/* sort's order: the key (numeric: by its leading number), then the whole
 * line as the last resort (busybox and GNU sort both do), so the order is
 * total and the same on every machine. */
static int sort_cmp(const char *a, const char *b, const sort_opts *so)
{
    const char *ka = sort_key(a, so), *kb = sort_key(b, so);
    int r;
    if (so->numeric) {
        double x = strtod(ka, NULL), y = strtod(kb, NULL);
        r = x < y ? -1 : x > y ? 1 : 0;
    } else {
        r = strcmp(ka, kb);
    }
    if (!r)
        r = strcmp(a, b);
    return so->reverse ? -r : r;
}

static int sort_uniq(const op *o, const ks_shell_io *io, text *t)
{
    char (*lines)[256] = ((struct sort_buf *)t->scratch)->lines;
    const char *vals[128] = {0}, *s;
    bool flags[128] = {0}, is_sort = strcmp(o->argv[0], "sort") == 0;
    char bad, line[1024];
    size_t first = options(o, is_sort ? "nrus" : "cdu", is_sort ? "kt" : "", vals, flags, &bad);
    size_t n = 0, i, j;
    sort_opts so = {false, false, 0, 0};
    if (!first && bad)
        return unrecognized(io, o->argv[0], bad);
    so.numeric = flags['n'];
    so.reverse = flags['r'];
    so.key = vals['k'] ? strtol(vals['k'], NULL, 10) : 0;
    so.sep = vals['t'] ? vals['t'][0] : 0;
    if (!(s = input_of(io, o->argv[0], first < o->argc ? o->argv[first] : NULL)))
        return 2;
    while (n < MAX_LINES && next_line(&s, line, sizeof line))
        snprintf(lines[n++], sizeof lines[0], "%.255s", line);
    for (i = 1; is_sort && i < n; i++) {    /* insertion sort: stable, small inputs */
        char cur[256];
        memcpy(cur, lines[i], sizeof cur);
        for (j = i; j > 0 && sort_cmp(lines[j - 1], cur, &so) > 0; j--)
            memcpy(lines[j], lines[j - 1], sizeof cur);
        memcpy(lines[j], cur, sizeof cur);
    }
    for (i = 0; i < n; i = j) {
        long dups;
        for (j = i + 1; j < n && strcmp(lines[j], lines[i]) == 0; j++)
            ;
        dups = (long)(j - i);
        if (is_sort && !flags['u'])
            j = i + 1, dups = 1;
        if (!is_sort && ((flags['d'] && dups < 2) || (flags['u'] && dups > 1)))
            continue;
        if (flags['c'] && !is_sort)
            putl(t, "%7ld ", dups);
        puts_f(t, "%s\n", lines[i]);
    }
    return 0;
}

int ksi_sh_text(const op *o, const ks_shell_io *io)
{
    static const char *const names[] = {"cat", "head", "tail", "grep", "wc", "cut", "tr",
                                        "sort", "uniq"};
    const char *cmd = o->argv[0];
    ks_allocator a = ks_allocator_default();
    text *t;
    size_t i;
    int st;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(cmd, names[i]) == 0)
            break;
    if (i == sizeof names / sizeof names[0])
        return -1;
    if (!(t = ks_mem_alloc(&a, sizeof *t)))
        return 1;
    if (i >= 7 && !(t->scratch = ks_mem_alloc(&a, sizeof(struct sort_buf)))) {
        ks_mem_free(&a, t, sizeof *t);
        return 1;
    }
    t->len = 0;
    t->buf[0] = '\0';
    switch (i) {
    case 0: case 1: case 2: st = cat_head_tail(o, io, t); break;
    case 3: st = grep(o, io, t); break;
    case 4: st = wc(o, io, t); break;
    case 5: st = cut(o, io, t); break;
    case 6: st = tr(o, io, t); break;
    default: st = sort_uniq(o, io, t); break;
    }
    if (t->len || o->redirect)
        ksi_sh_emit_text(io, o, t->buf);
    if (i >= 7)
        ks_mem_free(&a, t->scratch, sizeof(struct sort_buf));
    ks_mem_free(&a, t, sizeof *t);
    return st;
}
