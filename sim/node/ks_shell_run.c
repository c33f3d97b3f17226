/* ks_shell_run.c -- a compiled sh program run in steps (see ks_shell.h):
 * each step runs until the program sleeps or exits; simple commands with
 * their words expanded and split (ks_shell_words.c), pipes, for loops,
 * assignments. The compiler is ks_shell.c.
 */
#include "ks_shell.h"
#include "internal/shell.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUSY_LIMIT 10000          /* steps without a sleep: a busy loop */

typedef ksi_sh_op op;

/* ---- run -------------------------------------------------------------------------- */
void ks_shell_start(ks_shell_run *run, const ks_shell_prog *prog)
{
    ksi_sh_begin(run, prog);
    if (prog->sources)            /* made now, so its $(...) share it */
        run->sourced = ksi_sh_sourced_new(prog->ar);
}

void ksi_sh_begin(ks_shell_run *run, const ks_shell_prog *prog)
{
    run->prog = prog;
    run->pc = 0;
    run->status = 0;
    run->exited = false;
    run->st.nvars = 0;
    memset(run->loop, 0, sizeof run->loop);
    run->st.arg0 = prog->arg0 ? prog->arg0 : "sh";
    run->st.params = prog->params;
    run->st.nparams = prog->nparams;
    run->st.errexit = prog->errexit;       /* sh -e -c SCRIPT */
    run->st.xtrace = prog->xtrace;
    run->st.pipefail = false;
    run->st.nredir = run->st.ninput = 0;
    memset(run->input, 0, sizeof run->input);
    memset(run->incap, 0, sizeof run->incap);
    run->follow_pc = run->follow_off = 0;
    run->hold = false;
    run->held_pc = 0;
    run->nsub = 0;
    run->st.nounset = prog->nounset;      /* sh -u -c SCRIPT */
    run->unset_name[0] = '\0';
    run->stdin_used = 0;
    run->st.nfuncs = run->st.nframes = run->jump = 0;
    run->became = false;
    memset(&run->rnd, 0, sizeof run->rnd);
    run->rnd_env_seen = run->rnd_off = false;
    run->rnd_text[0] = '\0';
    run->st.nsources = 0;
    run->sourced = NULL;
}

/* The shell's own standard input, what its commands have not read of it. */
static const char *shell_stdin(const ks_shell_run *run, const ks_shell_io *io)
{
    size_t len;
    if (!io->input)
        return NULL;
    len = strlen(io->input);
    return io->input + (run->stdin_used < len ? run->stdin_used : len);
}

/* Whether the directory a file would be created in is there (busybox ash
 * openredirect: open(O_CREAT) fails, "can't create PATH: nonexistent
 * directory"). At or under a volume mount (io->list does not say -1): taken
 * as there -- kubesim does not keep a volume's directories (a hostPath or a
 * claim may have them from before; mkdir is not run). Among the image's own
 * files, which kubesim knows only near their top: the root's directories of
 * a Linux image (FHS 3.0 chapter 3; busybox, alpine, debian and ubuntu
 * images have these) and, under /usr and /var, FHS's own (chapters 4 and 5:
 * /usr/bin, /usr/share, /var/lib, /var/log...); anything below those is
 * taken as there (/usr/share/nginx/html, /var/lib/postgresql/data), another
 * directory of /usr or /var is not (/usr/nope). A relative path is in the
 * working directory, which is there. */
static void no_file(void *arg, const char *path)
{
    (void)arg;
    (void)path;
}

/* Below /usr and /var, the directories FHS 3.0 names (4.2-4.3, 5.2-5.3,
 * the optional ones too) and the images' own (/var/www: busybox; /var/empty:
 * alpine; /var/backups, /var/mail: debian, ubuntu): rest's first name one of
 * them (other tops: anything, as there). */
static bool in_fhs(const char *top, size_t n, const char *rest)
{
    static const char *const usr[] = {"bin", "include", "lib", "lib32", "lib64", "libexec",
                                      "local", "sbin", "share", "src", "games", NULL};
    static const char *const var[] = {"cache", "lib", "local", "lock", "log", "opt", "run",
                                      "spool", "tmp", "account", "crash", "games", "mail",
                                      "yp", "www", "empty", "backups", NULL};
    const char *const *names = n == 3 && strncmp(top, "usr", 3) == 0   ? usr
                               : n == 3 && strncmp(top, "var", 3) == 0 ? var
                                                                      : NULL;
    size_t len = strcspn(rest, "/"), i;
    for (i = 0; names && names[i]; i++)
        if (strlen(names[i]) == len && strncmp(names[i], rest, len) == 0)
            return true;
    return !names;
}

static bool dir_exists(const ks_shell_io *io, const char *path)
{
    static const char *const root[] = {"bin", "dev", "etc",  "home", "lib", "lib64",
                                       "media", "mnt", "opt", "proc", "root", "run",
                                       "sbin", "srv", "sys", "tmp",  "usr", "var", NULL};
    const char *slash = strrchr(path, '/'), *second;
    char dir[512];
    size_t i, top;
    int known;
    if (path[0] != '/' || slash == path || !io->list)
        return true;                  /* (no io->list: a harness with no file system) */
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if ((known = io->list(io->ud, dir, no_file, NULL)) >= 0)
        return true;
    second = strchr(dir + 1, '/');
    top = second ? (size_t)(second - dir - 1) : strlen(dir + 1);
    for (i = 0; root[i]; i++)
        if (strlen(root[i]) == top && strncmp(root[i], dir + 1, top) == 0)
            return !second || in_fhs(dir + 1, top, second + 1);
    return false;
}

/* A file sh is to create or append to: false (and busybox's words) when its
 * directory is not there or its mount is read-only (ash openredirect: "can't
 * create %s: %s" with errmsg(errno, "nonexistent directory"), strerror's
 * words for any errno but ENOENT and ENOTDIR). */
static bool creatable(const ks_shell_io *io, const char *path)
{
    char line[600];
    int err = dir_exists(io, path) ? 0 : KS_SHELL_ENOENT;
    if (!err && io->can_write)
        err = io->can_write(io->ud, path);
    if (!err)
        return true;
    snprintf(line, sizeof line, "sh: can't create %.500s: %s", path,
             err == KS_SHELL_ENOENT ? "nonexistent directory" : ks_shell_strerror(err));
    ksi_sh_complain(io, line);
    return false;
}

#define MAX_ASSIGN 8              /* X=1 Y=2 cmd: assignments for one command */

static bool is_null(const char *path)
{
    return strcmp(path, "/dev/null") == 0;
}

/* A command's standard input: `< file` (its text), `<<< word` (the word
 * and a newline), a here-document (its text, expanded unless its word was
 * quoted: the compiler marked it), else the shell's (a pipe's previous
 * stage; NULL: empty, as a container's /dev/null). NULL and *st = 2 when
 * the file is not there (busybox ash openredirect: "can't open FILE: no
 * such file"). */
const char *ksi_sh_stdin_of(const op *o, const ks_shell_run *run, const ks_shell_io *io,
                            char *buf, size_t n, int *st)
{
    ksi_sh_scope sc = {run, io};
    const char *text;
    char line[600];
    size_t len;
    *st = 0;
    if (!o->input)
        return io->input;
    ksi_sh_expand(o->input, &sc, run->status, buf, n - 1);
    if (o->heredoc)
        return buf;
    if (o->herestring) {
        len = strlen(buf);
        buf[len] = '\n';
        buf[len + 1] = '\0';
        return buf;
    }
    if (is_null(buf))
        return "";
    if ((text = io->read_file ? io->read_file(io->ud, buf) : NULL) != NULL)
        return text;
    snprintf(line, sizeof line, "sh: can't open %.500s: no such file", buf);
    ksi_sh_complain(io, line);
    *st = 2;
    return NULL;
}

/* The loop's standard input, what is left of it (NULL: none). */
static const char *run_input(const ks_shell_run *run)
{
    if (!run->st.ninput || run->st.ninput > KS_SHELL_INPUTS)
        return NULL;
    return run->input[run->st.ninput - 1] + run->inpos[run->st.ninput - 1];
}

/* A slot's buffer holds need bytes: made (or grown, doubling up to
 * KS_SHELL_INPUT_SIZE) in the program's arena; a run reuses it after. A
 * run of a $(...) starts with none: one that reads a loop's input makes
 * its own each time (an arena frees at the process's end). */
static bool input_room(ks_shell_run *run, size_t i, size_t need)
{
    size_t cap = run->incap[i] ? run->incap[i] : 64;
    char *buf;
    if (need > KS_SHELL_INPUT_SIZE)
        need = KS_SHELL_INPUT_SIZE;
    if (run->input[i] && need <= run->incap[i])
        return true;
    while (cap < need)
        cap *= 2;
    if (cap > KS_SHELL_INPUT_SIZE)
        cap = KS_SHELL_INPUT_SIZE;
    if (!(buf = ks_arena_alloc(run->prog->ar, cap)))
        return false;
    run->input[i] = buf;
    run->incap[i] = cap;
    return true;
}

static void push_input(ks_shell_run *run, const char *text)
{
    static char none[1];
    if (run->st.ninput < KS_SHELL_INPUTS) {
        size_t i = run->st.ninput;
        if (!text)
            text = "";
        if (input_room(run, i, strlen(text) + 1)) {
            snprintf(run->input[i], run->incap[i], "%s", text);
        } else {                          /* out of memory: an empty input */
            run->input[i] = none;
            run->incap[i] = 0;
        }
        run->inpos[i] = 0;
    }
    run->st.ninput++;
}

/* Where the command's output goes: its own > FILE (expanded into target),
 * else the innermost { ...; } > FILE or done > FILE around it (appended
 * to: its push truncated it), else NULL (stdout). */
static const char *out_target(const op *o, const ks_shell_run *run, const ks_shell_io *io,
                              int status, char *target, size_t n, bool *append)
{
    ksi_sh_scope sc = {run, io};
    if (o->redirect) {
        *append = o->append;
        return ksi_sh_expand(o->redirect, &sc, status, target, n);
    }
    *append = true;
    if (run->st.nredir && run->st.nredir <= KS_SHELL_REDIRS && !io->capture)
        return run->redir[run->st.nredir - 1];
    return NULL;
}

static bool follows(const char *const *argv, size_t argc)
{
    size_t i;
    for (i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1] && argv[i][1] != '-'
            && (strchr(argv[i], 'f') || strchr(argv[i], 'F')))
            return true;
    return false;
}

/* tail -f FILE / tail -F FILE (busybox coreutils/tail.c): the file's last
 * lines (tail without -f), then every second (its sleep_period) what was
 * added since, until the container stops; the command holds its place
 * (run->hold). A follow of /dev/null, of nothing or of several files just
 * blocks. */
static int follow(ks_shell_run *run, ksi_sh_op *x, const ks_shell_io *io, const char **argv,
                  size_t argc, ks_time *sleep)
{
    const char *args[MAX_WORDS], *file = NULL, *text;
    char opts[MAX_WORDS][32];
    size_t i, n = 0, files = 0, len;
    bool retry = false, exit_now = false;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i && a[0] == '-' && a[1] && (strchr(a, 'f') || strchr(a, 'F'))) {
            size_t k = 0;
            for (; *a && k + 1 < sizeof opts[0]; a++)
                if (*a != 'f' && *a != 'F')
                    opts[n][k++] = *a;
                else
                    retry = retry || *a == 'F';
            opts[n][k] = '\0';
            if (k > 1)
                args[n] = opts[n], n++;
            continue;
        }
        if (i && (a[0] != '-' || !a[1]) && !(i > 1 && strcmp(argv[i - 1], "-n") == 0))
            file = a, files++;
        args[n++] = a;
    }
    text = file && io->read_file ? io->read_file(io->ud, file) : NULL;
    if (files != 1 || is_null(file) || (!text && !retry && run->follow_pc != run->pc + 1)) {
        if (files == 1 && !is_null(file) && !text) {
            x->argv = args;
            x->argc = n;
            return ksi_sh_builtin(x, io, sleep, &exit_now);   /* can't open: 1 */
        }
        *sleep = (ks_time)1000000000 * KS_SEC;                 /* blocks */
        return 0;
    }
    len = text ? strlen(text) : 0;
    if (run->follow_pc != run->pc + 1) {        /* first: tail's own lines */
        run->follow_pc = run->pc + 1;
        x->argv = args;
        x->argc = n;
        if (text)
            ksi_sh_builtin(x, io, sleep, &exit_now);
        run->follow_off = len;
    } else if (len > run->follow_off) {         /* what was added */
        ksi_sh_emit_text(io, x, text + run->follow_off);
        run->follow_off = len;
    } else if (len < run->follow_off) {
        run->follow_off = len;                  /* truncated: from its new end */
    }
    *sleep = KS_SEC;
    run->hold = true;
    return 0;
}

/* A function of the script called in a pipe's stage or in $(...) (whose
 * program is not the function's): said, status 2, never "not found". */
static bool foreign_function(const ks_shell_run *run, const ks_shell_io *io, const char *name,
                             int *st)
{
    char line[300];
    size_t i;
    for (i = 0; i < run->st.nfuncs && strcmp(run->funcs[i].name, name) != 0; i++) {
    }
    if (i == run->st.nfuncs)
        return false;
    snprintf(line, sizeof line, "kubesim: the function %.100s in a pipe or in $(...) is not "
                                "run by kubesim's sh", name);
    ksi_sh_complain(io, line);
    *st = 2;
    return true;
}

/* Runs one simple command with its words expanded and split into fields;
 * `X=1 cmd` puts X=1 in the command's environment (not the script's), and
 * so do `export`ed variables; its output to its redirection's file.
 * Returns its status (-1 with *exit_now: exit with $?); *sleep > 0 for
 * sleep; *exit_now for exit; *exec_now for exec CMD (busybox ash execcmd:
 * the command replaces the shell, its status is the shell's). stage: a
 * stage of a pipe (a subshell: set, export, read there change nothing). */
static int run_cmd(const op *o, ks_shell_run *run, const ks_shell_io *io, int status,
                   ks_time *sleep, bool *exit_now, bool *exec_now, bool stage)
{
    ksi_sh_scope sc = {run, io};
    char fields[4096], target[512], word[KS_SHELL_INPUT_SIZE / 2];
    char assigned[MAX_ASSIGN + KS_SHELL_VARS][300], out[PIPE_BUF_SIZE];
    const char *argv[MAX_WORDS], *assign[MAX_ASSIGN + KS_SHELL_VARS], *to;
    ks_shell_io cio = *io;
    ks_shell_capture cap = {out, sizeof out, 0}, drop, ecap;
    char dropped[2], etarget[256], errs[2048];
    const char *err_to = NULL;
    op x = *o;
    size_t i, argc = 0, used = 0, nassign = 0, nown;
    bool append, took = false;
    int st = 0;
    *sleep = 0;
    for (i = 0; i < run->st.nvars; i++)          /* export NAME: the commands' environment */
        if (run->st.vars[i].exported && !run->st.vars[i].unset) {
            snprintf(assigned[nassign], sizeof assigned[0], "%s=%s", run->st.vars[i].name,
                     run->st.vars[i].value);
            assign[nassign] = assigned[nassign];
            nassign++;
        }
    nown = nassign;
    for (i = 0; i < o->nassign && i < MAX_ASSIGN; i++) {
        const char *eq = strchr(o->argv[i], '=');
        char value[256];
        ksi_sh_expand(eq + 1, &sc, status, value, sizeof value);
        snprintf(assigned[nassign], sizeof assigned[0], "%.*s=%s", (int)(eq - o->argv[i]),
                 o->argv[i], value);
        assign[nassign] = assigned[nassign];
        nassign++;
    }
    for (i = o->nassign; i < o->argc && argc < MAX_WORDS && used < sizeof fields; i++) {
        size_t len;
        argc += ksi_sh_fields(o->argv[i], &sc, status, fields + used, sizeof fields - used,
                              &len, argv + argc, MAX_WORDS - argc);
        used += len;
    }
    if (run->unset_name[0])
        return -1;                    /* set -u: an unset variable; sh ends (ks_shell_step) */
    if (run->st.xtrace && run->held_pc != run->pc + 1)   /* once, not each time it is held */
        ksi_sh_trace(io, assign + nown, nassign - nown, argv, argc);
    if (!argc)
        return 0;                     /* the words expanded to nothing */
    to = out_target(o, run, io, status, target, sizeof target, &append);
    if (to && strcmp(to, "/dev/stdout") == 0)
        to = NULL;                    /* the shell's own output (its log) */
    else if (to && !is_null(to) && strcmp(to, "/dev/stderr") != 0 && !creatable(io, to))
        return strcmp(argv[0], "exec") == 0 && !stage ? -1 : 1;  /* ash: a special builtin's
                                                                    redirection ends sh */
    if (o->err_to) {                  /* 2> FILE: as > FILE, for stderr */
        err_to = ksi_sh_expand(o->err_to, &sc, status, etarget, sizeof etarget);
        if (is_null(err_to) || strcmp(err_to, "/dev/stderr") == 0)
            err_to = NULL;
        else if (strcmp(err_to, "/dev/stdout") == 0)
            x.err_out = true, err_to = NULL;
        else if (!creatable(io, err_to))
            return strcmp(argv[0], "exec") == 0 && !stage ? -1 : 1;
    }
    if (strcmp(argv[0], "exec") == 0 && !stage) {
        if (argc == 1) {              /* exec > FILE: the shell's own output from now on */
            if (o->redirect && run->st.nredir < KS_SHELL_REDIRS) {
                if (!is_null(to) && !append && io->write_file && strcmp(to, "/dev/stderr"))
                    io->write_file(io->ud, to, "", false);
                snprintf(run->redir[run->st.nredir++], sizeof run->redir[0], "%s", to);
            }
            return 0;
        }
        *exec_now = true;
        memmove(argv, argv + 1, --argc * sizeof *argv);
    }
    cio.input = o->input ? ksi_sh_stdin_of(o, run, io, word, sizeof word, &st)
                : stage ? io->input          /* the previous stage's output */
                : run_input(run) ? run_input(run) : shell_stdin(run, io);
    cio.took_input = &took;
    if (o->input && st)
        return st;
    if (nassign) {
        cio.assign = assign;
        cio.nassign = nassign;
    }
    x.argv = argv;
    x.argc = argc;
    x.nassign = 0;
    x.redirect = NULL;
    if (o->out_err || (to && strcmp(to, "/dev/stderr") == 0)) {   /* >&2: to stderr */
        to = NULL;
        to = NULL;
        cio.capture = NULL;
        cio.out = io->err ? io->err : io->out;
    }
    if (to)
        cio.capture = &cap;           /* to its file when it is done */
    if (o->err_out || x.err_out)      /* 2>&1: where stdout goes now */
        cio.errcap = cio.capture;
    if (err_to) {                     /* 2> FILE: into the file when it is done */
        ecap.buf = errs;
        ecap.n = sizeof errs;
        ecap.len = 0;
        errs[0] = '\0';
        cio.errcap = &ecap;
    }
    if (o->err_null) {                /* 2>/dev/null: nowhere */
        drop.buf = dropped;
        drop.n = sizeof dropped;
        drop.len = 0;
        cio.errcap = &drop;
    }
    if (!stage) {                     /* a command of the script: it may wait first */
        x.hold = &run->hold;
        x.waited = run->held_pc == run->pc + 1;
    }
    if (!stage && !to && strcmp(argv[0], "tail") == 0 && follows(argv, argc))
        st = follow(run, &x, &cio, argv, argc, sleep);
    else if (!stage && (st = ksi_sh_call(run, o, &cio, argv, argc)) != -2)
        ;                             /* a function, return, local */
    else if (foreign_function(run, &cio, argv[0], &st))
        ;
    else if (!stage && (st = ksi_sh_state(run, &x, &cio, argv, argc)) != -2)
        ;
    else if (!stage && (st = ksi_sh_source(run, o, &cio, argv, argc)) != -2)
        ;                             /* . FILE: its program runs next */
    else if (!stage && !run->nsub && io->become && io->become(io->ud, argv, argc)) {
        run->became = true;           /* the image's program: it runs, sh is gone (exec) or
                                         waits for it for ever (no exec): the script ends */
        *exec_now = true;
        st = 0;
    } else
        st = ksi_sh_builtin(&x, &cio, sleep, exit_now);
    if (to && !is_null(to) && io->write_file && (cap.len || o->redirect))
        io->write_file(io->ud, to, out, append);
    if (err_to && io->write_file)
        io->write_file(io->ud, err_to, errs, o->err_append);
    if (took && io->took_input)
        *io->took_input = true;       /* a pipe's first stage read the shell's input */
    if (took && !stage && !o->input && !run_input(run) && io->input)
        run->stdin_used = strlen(io->input);   /* cat, grep...: read to its end */
    return st;
}

/* a | b | c: each stage runs to its end, its output the next one's input
 * (each stage a subshell: exit leaves only its stage); the pipe's status
 * is the last stage's, its sleep the last stage's. With into_stdin (cmd |
 * while read ...) the last stage's output is the compound's input. */
static int run_pipe(const op *o, ks_shell_run *run, const ks_shell_io *io, int status,
                    ks_time *sleep)
{
    static char none[1];
    char bufs[2][PIPE_BUF_SIZE];
    const char *input = run_input(run) ? run_input(run) : shell_stdin(run, io);
    size_t k;
    int st = 0, failed = 0;
    bool took = false;
    for (k = 0; k < o->nstages; k++) {
        ks_shell_io sio = *io;
        ks_shell_capture cap = {bufs[k % 2], PIPE_BUF_SIZE, 0};
        ks_time pause = 0;
        bool exit_now = false, exec_now = false;
        bufs[k % 2][0] = '\0';
        sio.input = input ? input : none;
        if (k + 1 < o->nstages || o->into_stdin)
            sio.capture = &cap;
        sio.took_input = k == 0 ? &took : NULL;
        st = run_cmd(&o->stages[k], run, &sio, status, &pause, &exit_now, &exec_now, true);
        if (st < 0)
            st = status;              /* exit without a number: $? */
        failed = st ? st : failed;
        input = bufs[k % 2];
        if (k + 1 == o->nstages && !o->into_stdin)
            *sleep = pause;
    }
    if (took && !run_input(run) && io->input)
        run->stdin_used = strlen(io->input);   /* its first stage read the shell's input */
    if (o->into_stdin)
        push_input(run, input);
    return run->st.pipefail ? failed : st;   /* pipefail: the last stage that failed */
}

/* The for loop's words, expanded and split; the i-th field into the loop
 * variable. False when there are no more. */
static bool for_next(ks_shell_run *run, const op *o, const ks_shell_io *io, size_t i)
{
    ksi_sh_scope sc = {run, io};
    char fields[4096];
    const char *argv[64];
    size_t k, n = 0, used = 0;
    for (k = 0; k < o->argc && n < 64 && used < sizeof fields; k++) {
        size_t took;
        n += ksi_sh_fields(o->argv[k], &sc, run->status, fields + used, sizeof fields - used,
                           &took, argv + n, 64 - n);
        used += took;
    }
    if (i >= n)
        return false;
    ksi_sh_set_var(run, o->var, strlen(o->var), argv[i]);
    return true;
}

/* NAME=VALUE ... on their own: the script's variables (traced by set -x). */
static void assign_vars(ks_shell_run *run, const op *o, const ks_shell_io *io)
{
    ksi_sh_scope sc = {run, io};
    char value[256], traced[8][300];
    const char *tr[8];
    size_t i;
    for (i = 0; i < o->argc; i++) {
        const char *w = o->argv[i], *eq = strchr(w, '=');
        ksi_sh_expand(eq + 1, &sc, run->status, value, sizeof value);
        ksi_sh_set_var(run, w, (size_t)(eq - w), value);
        if (i < 8) {
            snprintf(traced[i], sizeof traced[i], "%.*s=%s", (int)(eq - w), w, value);
            tr[i] = traced[i];
        }
    }
    if (run->st.xtrace)
        ksi_sh_trace(io, tr, o->argc < 8 ? o->argc : 8, NULL, 0);
}

/* A compound's redirection takes effect (OP_OUT_PUSH, OP_IN_PUSH); false
 * when its file cannot be created (the compound does not run, status 1:
 * ash's evaltree NREDIR). */
static bool push_redirect(ks_shell_run *run, const op *o, const ks_shell_io *io)
{
    ksi_sh_scope sc = {run, io};
    char buf[KS_SHELL_INPUT_SIZE / 2];
    int st = 0;
    if (o->kind == OP_IN_PUSH) {
        const char *text = ksi_sh_stdin_of(o, run, io, buf, sizeof buf, &st);
        push_input(run, text);
        if (st)
            run->status = st;
        return true;
    }
    ksi_sh_expand(o->redirect, &sc, run->status, buf, 256);
    if (!is_null(buf) && !creatable(io, buf)) {
        snprintf(buf, 256, "/dev/null");
        run->st.nredir++;
        if (run->st.nredir <= KS_SHELL_REDIRS)
            snprintf(run->redir[run->st.nredir - 1], sizeof run->redir[0], "/dev/null");
        return false;
    }
    if (!o->append && !is_null(buf) && io->write_file)
        io->write_file(io->ud, buf, "", false);   /* > FILE: made empty at once */
    if (run->st.nredir < KS_SHELL_REDIRS)
        snprintf(run->redir[run->st.nredir], sizeof run->redir[0], "%.255s", buf);
    run->st.nredir++;
    return true;
}

/* set -u and an unset variable expanded (ks_shell_words.c), or a fatal
 * ${NAME:?word}: sh says so (ash varunset) and ends with 2 (its subshell). */
static bool unset_ends(ks_shell_run *run, const ks_shell_io *io)
{
    char line[160];
    if (!run->unset_name[0])
        return false;
    snprintf(line, sizeof line, "sh: %s: parameter not set", run->unset_name);
    if (run->unset_name[0] != KSI_SH_SAID)
        ksi_sh_complain(io, line);
    run->unset_name[0] = '\0';
    ksi_sh_leave(run, 2);
    return true;
}

bool ks_shell_step(ks_shell_run *run, const ks_shell_io *io, ks_time *sleep)
{
    unsigned busy = 0;
    for (;;) {
        const op *o;
        ks_time pause = 0;
        bool exit_now = false, exec_now = false;
        int st = 0;
        if (!run->exited && run->pc >= run->prog->nops && run->st.nsources) {
            ksi_sh_source_end(run);             /* a file . ran is done: back after the . */
            continue;
        }
        if (run->exited || run->pc >= run->prog->nops)
            break;
        o = &run->prog->ops[run->pc];
        if (++busy > BUSY_LIMIT) {              /* a loop that never sleeps */
            *sleep = KS_SEC;
            return true;
        }
        if (unset_ends(run, io))
            continue;
        switch (o->kind) {
        case OP_JUMP:
            run->pc = o->target;
            continue;
        case OP_JUMP_IF_OK:
            run->pc = run->status == 0 ? o->target : run->pc + 1;
            continue;
        case OP_JUMP_IF_FAIL:
            run->pc = run->status != 0 ? o->target : run->pc + 1;
            continue;
        case OP_FOR_NEXT:
            if (!for_next(run, o, io, run->loop[o->loop])) {
                run->pc = o->target;    /* no words left */
                continue;
            }
            run->loop[o->loop]++;
            run->pc++;
            continue;
        case OP_ASSIGN:
            assign_vars(run, o, io);
            run->status = 0;
            run->pc++;
            continue;
        case OP_NOP:
            run->pc++;
            continue;
        case OP_OUT_PUSH:
        case OP_IN_PUSH:
            if (push_redirect(run, o, io)) {
                run->pc++;
            } else {
                run->status = 1;
                run->pc = o->target;            /* its OP_OUT_POP */
            }
            continue;
        case OP_FUNC:
        case OP_RETURN:
            ksi_sh_function(run, o);
            continue;
        case OP_SUB_PUSH:
        case OP_SUB_POP:
            ksi_sh_subshell(run, o);
            run->pc++;
            if (o->kind == OP_SUB_POP && run->st.errexit && run->status && !o->cond)
                ksi_sh_leave(run, run->status);        /* set -e: a failed subshell */
            continue;
        case OP_OUT_POP:
            run->st.nredir -= run->st.nredir > 0;
            run->pc++;
            continue;
        case OP_IN_POP:
            run->st.ninput -= run->st.ninput > 0;
            run->pc++;
            continue;
        case OP_FOR_INIT:
            run->loop[o->loop] = 0;
            run->status = 0;                    /* no words: 0 (POSIX for) */
            run->pc++;
            continue;
        case OP_LOOP_ZERO:
        case OP_LOOP_SAVE:
            run->lstatus[o->loop] = o->kind == OP_LOOP_ZERO ? 0 : run->status;
            run->pc++;
            continue;
        case OP_CASE: {                          /* XCU 2.9.4.3: fnmatch, in order */
            ksi_sh_scope sc = {run, io};
            char subject[512], pat[256];
            size_t i;
            ksi_sh_expand(o->argv ? o->argv[0] : "", &sc, run->status, subject, sizeof subject);
            run->status = o->argc > 1;
            for (i = 1; i < o->argc && run->status; i++)
                run->status = fnmatch(ksi_sh_expand(o->argv[i], &sc, 0, pat, sizeof pat),
                                      subject, 0) != 0;
            run->pc++;
            continue;
        }
        case OP_LOOP_END:
            run->status = run->lstatus[o->loop];
            run->pc++;
            continue;
        case OP_ZERO:
            run->status = 0;
            run->pc++;
            continue;
        case OP_PIPE:
            st = run_pipe(o, run, io, run->status, &pause);
            break;
        case OP_CMD:
            st = run_cmd(o, run, io, run->status, &pause, &exit_now, &exec_now, false);
            break;
        }
        if (run->jump) {                        /* a function called, or returning */
            run->pc = run->jump - 1;
            run->jump = 0;
            run->status = st;
            continue;
        }
        if (run->hold) {                        /* tail -f, perl: again after its sleep */
            run->hold = false;
            run->held_pc = run->pc + 1;
            *sleep = pause;
            return true;
        }
        run->held_pc = 0;
        run->pc++;
        if (unset_ends(run, io))
            continue;
        if (exit_now && !exec_now) {            /* exit: the shell, or its subshell */
            ksi_sh_leave(run, st >= 0 ? st : run->status);
            continue;
        }
        if (st < 0) {                           /* shift, export: sh ends */
            ksi_sh_leave(run, 2);
            continue;
        }
        run->status = st;
        if (exec_now || (run->st.errexit && st != 0 && !o->cond && !o->into_stdin))
            ksi_sh_leave(run, st);                     /* exec, set -e: the script ends here */
        if (pause > 0) {
            *sleep = pause;
            return true;
        }
    }
    run->exited = true;
    return false;
}

int ks_shell_exec(ks_arena *ar, const char *const *argv, size_t argc, const ks_shell_io *io)
{
    char err[128];
    ks_shell_prog *prog = ks_shell_compile(ar, argv, argc, NULL, 0, err, sizeof err);
    ks_shell_run run;
    ks_time sleep;
    int guard = 0;
    if (!prog)
        return 2;
    ks_shell_start(&run, prog);
    while (ks_shell_step(&run, io, &sleep) && guard++ < 1000)
        ;
    return run.status;
}
