/* ks_shell_files.c -- the applets that list files: ls (names, one a line,
 * as ls prints them into a pipe or a file: -1 -a -A) and find (PATH...
 * with -type f|d, -name GLOB, -maxdepth N, -print), on what the container
 * sees (its layer and its volumes, io->list), with busybox's words for what
 * goes wrong (coreutils/ls.c and findutils/find.c of busybox 1.36). kubesim
 * verify counts a shell image's records with `find DIR -type f | wc -l`
 * (assets/images.yaml, count:), which busybox and debian both run.
 * A container's own directory is / (a workingDir is not simulated). What
 * lies at or under a volume mount is known (the mount hides the image's
 * files there); the image's own files (/, /etc, /bin) are not simulated, and
 * ls or find there says so (status 2) rather than list a part of them.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"

typedef ksi_sh_op op;

#define MAX_LISTED 2048           /* paths one operand lists */

typedef struct listing {
    char out[PIPE_BUF_SIZE];      /* what the command prints */
    size_t out_len;
    char names[MAX_LISTED * 32];   /* the paths io->list gave, each ended by '\0' */
    size_t names_len;
    size_t off[MAX_LISTED];
    size_t n;
} listing;

static void put(listing *l, const char *s)
{
    ksi_sh_append(l->out, sizeof l->out, &l->out_len, s, strlen(s));
}

static void putln(listing *l, const char *a, const char *b)
{
    put(l, a);
    put(l, b);
    put(l, "\n");
}

static void collect(void *arg, const char *path)
{
    listing *l = arg;
    size_t len = strlen(path) + 1;
    if (l->n == MAX_LISTED || len > sizeof l->names - l->names_len)
        return;
    memcpy(l->names + l->names_len, path, len);
    l->off[l->n++] = l->names_len;
    l->names_len += len;
}

static const char *name_at(const listing *l, size_t i)
{
    return l->names + l->off[i];
}

/* An operand as an absolute path without a trailing '/' ("" is the root):
 * a container's directory is /. */
static void absolute(const char *operand, char *out, size_t n)
{
    size_t len;
    snprintf(out, n, "%s%s", operand[0] == '/' ? "" : "/", operand);
    len = strlen(out);
    while (len > 0 && out[len - 1] == '/')
        out[--len] = '\0';
    if (strcmp(out, "/.") == 0 || (len >= 2 && strcmp(out + len - 2, "/.") == 0))
        out[len - 2] = '\0';
}

/* Lists what lies under abs into l (names emptied first). Returns 2 for a
 * file, 1 for a directory, 0 when there is nothing there, -1 for a place
 * among the image's own files (not simulated). */
static int look(const ks_shell_io *io, const char *abs, listing *l)
{
    l->n = l->names_len = 0;
    if (abs[0] && io->read_file && io->read_file(io->ud, abs))
        return 2;
    return io->list ? io->list(io->ud, abs[0] ? abs : "/", collect, l) : -1;
}

/* A directory of the image's: kubesim knows only what is written or mounted. */
static int image_dir(const ks_shell_io *io, const char *cmd, const char *operand)
{
    char line[700];
    snprintf(line, sizeof line, "kubesim: %s %s: the image's own files are not simulated; "
                                "kubesim's %s lists what lies in the container's volumes",
             cmd, operand, cmd);
    ksi_sh_complain(io, line);
    return 2;
}

static void missing(const ks_shell_io *io, const char *cmd, const char *operand)
{
    char line[600];
    snprintf(line, sizeof line, "%s: %s: No such file or directory", cmd, operand);
    ksi_sh_complain(io, line);
}

static int not_run(const ks_shell_io *io, const char *cmd, const char *what)
{
    char line[300];
    snprintf(line, sizeof line, "kubesim: %s %s is in the image, but kubesim's %s does not "
                                "run it", cmd, what, cmd);
    ksi_sh_complain(io, line);
    return 2;
}

/* ---- ls ------------------------------------------------------------------------------- */
typedef struct span {             /* len bytes at s: a name inside a path */
    const char *s;
    size_t len;
} span;

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    int c = strncmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static bool span_in(const span *list, size_t n, const char *s, size_t len)
{
    size_t k;
    for (k = 0; k < n; k++)
        if (list[k].len == len && strncmp(list[k].s, s, len) == 0)
            return true;
    return false;
}

/* The names right under abs (its entries), sorted, each once. */
static void ls_dir(listing *l, const char *abs, bool all, bool almost)
{
    static const span dots[] = {{".", 1}, {"..", 2}};
    span entries[MAX_LISTED];
    char line[600];
    size_t n = 0, i, len = strlen(abs);
    for (i = 0; i < l->n; i++) {
        const char *rest = name_at(l, i) + len + 1;
        size_t m = strcspn(rest, "/");
        if ((rest[0] == '.' && !all && !almost) || span_in(entries, n, rest, m))
            continue;
        entries[n].s = rest;
        entries[n++].len = m;
    }
    qsort(entries, n, sizeof entries[0], cmp_span);
    for (i = 0; all && i < 2; i++)
        putln(l, dots[i].s, "");
    for (i = 0; i < n; i++) {
        snprintf(line, sizeof line, "%.*s", (int)entries[i].len, entries[i].s);
        putln(l, line, "");
    }
}

/* ls [-1aA] [PATH...]: as into a pipe or a file, one name a line; files
 * first, then each directory (busybox: with its name and a colon when
 * there are several operands). */
static int ls(const op *o, const ks_shell_io *io, listing *l)
{
    char abs[600], what[8];
    size_t first = 1, i, nops;
    bool all = false, almost = false;
    int st = 0, kind, pass;
    for (; first < o->argc && o->argv[first][0] == '-' && o->argv[first][1]; first++) {
        const char *a = o->argv[first] + 1;
        if (strcmp(o->argv[first], "--") == 0) {
            first++;
            break;
        }
        for (; *a; a++) {
            all |= *a == 'a';
            almost |= *a == 'A';
            if (!strchr("aA1", *a)) {
                snprintf(what, sizeof what, "-%c", *a);
                return not_run(io, "ls", what);
            }
        }
    }
    nops = o->argc - first;
    for (pass = 0; pass < 2; pass++) {
        for (i = first; i < o->argc || (i == first && !nops); i++) {
            const char *operand = nops ? o->argv[i] : ".";
            absolute(operand, abs, sizeof abs);
            kind = look(io, abs, l);
            if (pass == 0 && kind < 0) {
                st = image_dir(io, "ls", operand);
            } else if (pass == 0 && kind == 0) {
                missing(io, "ls", operand);
                st = st ? st : 1;
            } else if (pass == 0 && kind == 2) {
                putln(l, operand, "");
            } else if (pass == 1 && kind == 1) {
                if (nops > 1) {
                    put(l, l->out_len ? "\n" : "");
                    putln(l, operand, ":");
                }
                ls_dir(l, abs, all, almost);
            }
        }
    }
    return st;
}

/* ---- find ----------------------------------------------------------------------------- */
typedef struct find_expr {
    char type;                    /* 'f', 'd' or 0 */
    const char *name;             /* -name GLOB, or NULL */
    long maxdepth;                /* -1: any */
} find_expr;

static bool find_matches(const find_expr *e, const char *path, bool is_dir, long depth)
{
    const char *base = strrchr(path, '/');
    base = base && base[1] ? base + 1 : path;
    if (e->maxdepth >= 0 && depth > e->maxdepth)
        return false;
    if (e->type && e->type != (is_dir ? 'd' : 'f'))
        return false;
    return !e->name || fnmatch(e->name, base, 0) == 0;
}

/* What find prints for what lies at rest (len bytes) under operand. */
static void find_print(listing *l, const char *operand, const char *rest, size_t len)
{
    size_t n = strlen(operand);
    char line[1100];
    snprintf(line, sizeof line, "%s%s%.*s", operand,
             !len || (n && operand[n - 1] == '/') ? "" : "/", (int)len, rest);
    putln(l, line, "");
}

/* One directory operand: itself, then each file after the directories
 * above it not printed yet (a file's parents are directories). */
static void find_tree(listing *l, const char *operand, const char *abs, const find_expr *e)
{
    span dirs[MAX_LISTED];
    size_t i, ndirs = 0, len = strlen(abs);
    if (find_matches(e, operand, true, 0))
        find_print(l, operand, "", 0);
    for (i = 0; i < l->n; i++) {
        const char *rest = name_at(l, i) + len + 1, *slash;
        char dir[600];
        long depth = 1;
        for (slash = strchr(rest, '/'); slash; slash = strchr(slash + 1, '/'), depth++) {
            size_t m = (size_t)(slash - rest);
            if (span_in(dirs, ndirs, rest, m))
                continue;
            dirs[ndirs].s = rest;
            dirs[ndirs++].len = m;
            snprintf(dir, sizeof dir, "%.*s", (int)m, rest);
            if (find_matches(e, dir, true, depth))
                find_print(l, operand, rest, m);
        }
        if (find_matches(e, rest, false, depth))
            find_print(l, operand, rest, strlen(rest));
    }
}

/* find [PATH...] [-type f|d] [-name GLOB] [-maxdepth N] [-print] */
static int find(const op *o, const ks_shell_io *io, listing *l)
{
    find_expr e = {0, NULL, -1};
    char abs[600], line[300];
    size_t end = 1, i;
    int st = 0;
    while (end < o->argc && o->argv[end][0] != '-' && o->argv[end][0] != '('
           && o->argv[end][0] != '!')
        end++;
    for (i = end; i < o->argc; i++) {
        const char *a = o->argv[i], *v = i + 1 < o->argc ? o->argv[i + 1] : NULL;
        if (strcmp(a, "-print") == 0)
            continue;
        if (strcmp(a, "-type") != 0 && strcmp(a, "-name") != 0 && strcmp(a, "-maxdepth") != 0)
            return not_run(io, "find", a);
        if (!v) {
            snprintf(line, sizeof line, "find: %s requires an argument", a);
            ksi_sh_complain(io, line);
            return 1;
        }
        i++;
        if (a[1] == 'n')
            e.name = v;
        else if (a[1] == 'm')
            e.maxdepth = strtol(v, NULL, 10);
        else if ((v[0] == 'f' || v[0] == 'd') && !v[1])
            e.type = v[0];
        else
            return not_run(io, "find -type", v);
    }
    for (i = 1; i < end || (i == 1 && end == 1); i++) {
        const char *operand = end > 1 ? o->argv[i] : ".";
        int kind;
        absolute(operand, abs, sizeof abs);
        kind = look(io, abs, l);
        if (kind < 0) {
            st = image_dir(io, "find", operand);
        } else if (kind == 0) {
            missing(io, "find", operand);
            st = st ? st : 1;
        } else if (kind == 2) {
            if (find_matches(&e, operand, false, 0))
                putln(l, operand, "");
        } else {
            find_tree(l, operand, abs, &e);
        }
    }
    return st;
}

int ksi_sh_files(const op *o, const ks_shell_io *io)
{
    ks_allocator a = ks_allocator_default();
    bool is_ls = strcmp(o->argv[0], "ls") == 0;
    listing *l;
    int st;
    if (!is_ls && strcmp(o->argv[0], "find") != 0)
        return -1;
    if (!(l = ks_mem_alloc(&a, sizeof *l)))
        return 1;
    l->out_len = 0;
    l->out[0] = '\0';
    st = is_ls ? ls(o, io, l) : find(o, io, l);
    if (l->out_len || o->redirect)
        ksi_sh_emit_text(io, o, l->out);
    ks_mem_free(&a, l, sizeof *l);
    return st;
}
