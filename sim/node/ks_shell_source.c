/* ks_shell_source.c -- `. FILE [ARGS]` and `source FILE` (busybox ash
 * dotcmd): the file the container sees (its layer, its volumes, a
 * ConfigMap's keys: io->read_file) is compiled and runs next in the
 * shell's own state, its variables, functions and options staying after
 * it; its end (or return) goes back after the `.`. A name without a slash
 * is looked for in $PATH only (ash find_dot_file; busybox's default
 * ASH_BASH_SOURCE_CURDIR=n: not in the working directory). A file that is
 * not there, or not found in $PATH, is a special builtin's error: sh says
 * so and exits 2 (ash_msg_and_raise_error, XCU 2.8.1).
 */
#include <stdio.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"
#include "internal/shell_parse.h"

#define SOURCED_MAX 8             /* files (path and text) kept compiled */

/* The files . compiled, each as (path, text, loop base): the same file
 * again (a loop's `. /cfg/env`) runs the program it already has, so a
 * long-running script does not grow its arena each time. */
struct ksi_sh_sourced {
    struct {
        const char *path, *text;
        size_t base;
        const ks_shell_prog *prog;
    } e[SOURCED_MAX];
    size_t n, next;               /* next: the one replaced when all are taken */
};

/* The image's PATH when the pod sets none (docker's busybox, alpine,
 * debian images: ENV PATH; as ks_container_io.c's env listing). */
static const char default_path[] =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* "sh: .: line N: " (ash_vmsg: arg0, the builtin's name, the line). */
static void say_error(const ks_shell_io *io, const ksi_sh_op *o, const char *cmd,
                      const char *what)
{
    char line[700];
    if (o->line)
        snprintf(line, sizeof line, "sh: %s: line %u: %.600s", cmd, o->line, what);
    else
        snprintf(line, sizeof line, "sh: %s: %.600s", cmd, what);
    ksi_sh_complain(io, line);
}

/* The file's text (its path in path), or NULL. name without '/': each
 * directory of $PATH in turn. */
static const char *find_file(const ks_shell_run *run, const ks_shell_io *io, const char *name,
                             char *path, size_t n)
{
    ksi_sh_scope sc = {run, io};
    char dirs[1024];
    const char *d, *text;
    if (!io->read_file)
        return NULL;
    if (strchr(name, '/')) {
        snprintf(path, n, "%s", name);
        return io->read_file(io->ud, name);
    }
    ksi_sh_expand("${PATH}", &sc, run->status, dirs, sizeof dirs);
    for (d = dirs[0] ? dirs : default_path; *d;) {
        size_t len = strcspn(d, ":");
        snprintf(path, n, "%.*s%s%s", (int)len, d, len ? "/" : "", name);
        if ((text = io->read_file(io->ud, path)) != NULL)
            return text;
        d += len + (d[len] == ':');
    }
    return NULL;
}

struct ksi_sh_sourced *ksi_sh_sourced_new(ks_arena *ar)
{
    return ks_arena_alloc(ar, sizeof(struct ksi_sh_sourced));
}

/* The file's program, compiled once per (path, text, loop base); NULL
 * with err when it does not parse. */
static const ks_shell_prog *program_of(ks_shell_run *run, const char *path, const char *text,
                                       char *err, size_t errn)
{
    ks_arena *ar = run->prog->ar;
    struct ksi_sh_sourced *c = run->sourced;
    size_t base = run->prog->loops_end, i;
    ks_shell_prog *prog;
    for (i = 0; c && i < c->n; i++)
        if (c->e[i].base == base && strcmp(c->e[i].path, path) == 0
            && strcmp(c->e[i].text, text) == 0)
            return c->e[i].prog;
    if (!(prog = ksi_sh_compile_sourced(ar, text, base, err, errn)))
        return NULL;
    if (!c && (c = run->sourced = ksi_sh_sourced_new(ar)) == NULL)
        return prog;              /* (a run ks_shell_start did not make one for) */
    i = c->n < SOURCED_MAX ? c->n++ : c->next++ % SOURCED_MAX;
    c->e[i].path = ks_arena_strdup(ar, path);
    c->e[i].text = ks_arena_strdup(ar, text);
    c->e[i].base = base;
    c->e[i].prog = prog;
    if (!c->e[i].path || !c->e[i].text)
        c->n = i;                 /* out of memory: not kept */
    return prog;
}

/* ". FILE ARGS": $1... are ARGS while the file runs (ash dotcmd saves
 * shellparam), the caller's put back at its end. */
static void set_args(ks_shell_run *run, ks_shell_source *s, const char *const *argv, size_t argc)
{
    size_t i, used = 0;
    s->has_args = argc > 0;
    s->arg0 = run->st.arg0;
    s->params = run->st.params;
    s->nparams = run->st.nparams;
    if (!argc)
        return;
    for (i = 0; i < argc && i < KS_SHELL_SET_ARGS; i++) {
        size_t len = strlen(argv[i]);
        if (used + len + 1 > sizeof s->buf)
            len = used + 1 < sizeof s->buf ? sizeof s->buf - used - 1 : 0;
        memcpy(s->buf + used, argv[i], len);
        s->buf[used + len] = '\0';
        s->args[i] = s->buf + used;
        used += len + 1;
        if (used >= sizeof s->buf)
            used = sizeof s->buf - 1;
    }
    run->st.params = s->args;
    run->st.nparams = i;
}

int ksi_sh_source(ks_shell_run *run, const ksi_sh_op *o, const ks_shell_io *io,
                  const char *const *argv, size_t argc)
{
    char path[600], err[300], what[700];
    const ks_shell_prog *prog;
    const char *text;
    ks_shell_source *s;
    size_t a = 1;
    if (strcmp(argv[0], ".") != 0 && strcmp(argv[0], "source") != 0)
        return -2;
    if (a < argc && strcmp(argv[a], "--") == 0)
        a++;                          /* nextopt: a "--" before the file */
    if (a >= argc)
        return 2;                     /* ash: no file, status 2, nothing said */
    if (o->redirect || o->input || o->err_to || run->st.nsources == KS_SHELL_SOURCES) {
        snprintf(what, sizeof what, "kubesim: %s: %s", argv[0],
                 run->st.nsources == KS_SHELL_SOURCES
                     ? "files read by . inside files read by . more than 4 deep are not "
                       "supported by kubesim's sh"
                     : "a redirection of . FILE is not supported by kubesim's sh");
        ksi_sh_complain(io, what);
        return 2;
    }
    if (!(text = find_file(run, io, argv[a], path, sizeof path))) {
        if (strchr(argv[a], '/'))     /* ash setinputfile: open(2)'s errno */
            snprintf(what, sizeof what, "can't open '%.500s': No such file or directory",
                     argv[a]);
        else                          /* ash find_dot_file: not in $PATH */
            snprintf(what, sizeof what, "%.500s: not found", argv[a]);
        say_error(io, o, argv[0], what);
        return -1;
    }
    if (!(prog = program_of(run, path, text, err, sizeof err))) {
        snprintf(what, sizeof what, "sh: %.300s: %.300s", path, err);   /* (kubesim's
                                                                           compiler has no
                                                                           line for it) */
        ksi_sh_complain(io, what);
        return -1;
    }
    s = &run->sources[run->st.nsources++];
    s->prog = run->prog;
    s->ret = run->pc + 1;
    s->nframes = run->st.nframes;
    set_args(run, s, argv + a + 1, argc - a - 1);
    run->prog = prog;
    run->jump = 1;                    /* the file's first op; an empty file: status 0 */
    return 0;
}

void ksi_sh_source_end(ks_shell_run *run)
{
    ks_shell_source *s;
    if (!run->st.nsources)
        return;
    s = &run->sources[--run->st.nsources];
    if (s->has_args) {
        run->st.arg0 = s->arg0;
        run->st.params = s->params;
        run->st.nparams = s->nparams;
    }
    run->prog = s->prog;
    run->pc = s->ret;
}
