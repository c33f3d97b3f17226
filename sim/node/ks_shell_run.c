/* ks_shell_run.c -- a compiled sh program run in steps (see ks_shell.h):
 * each step runs until the program sleeps or exits; simple commands with
 * their words expanded and split (ks_shell_words.c), pipes, for loops,
 * assignments. The compiler is ks_shell.c.
 */
#include "ks_shell.h"
#include "internal/shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUSY_LIMIT 10000          /* steps without a sleep: a busy loop */

typedef ksi_sh_op op;

static const char *stdin_of(const op *o, const ks_shell_run *run, const ks_shell_io *io,
                            char *buf, size_t n, int *st);

/* ---- run -------------------------------------------------------------------------- */
void ks_shell_start(ks_shell_run *run, const ks_shell_prog *prog)
{
    run->prog = prog;
    run->pc = 0;
    run->status = 0;
    run->exited = false;
    run->nvars = 0;
    memset(run->loop, 0, sizeof run->loop);
    run->arg0 = prog->arg0 ? prog->arg0 : "sh";
    run->params = prog->params;
    run->nparams = prog->nparams;
}

/* read [-r] [NAME...] (busybox's shell_builtin_read): a line of standard
 * input split at IFS's blanks into the names, the last taking the rest
 * (REPLY when none); without -r a backslash quotes the next character and
 * a backslash-newline joins lines. Status 1 at the end of the input (the
 * names get what there was): a container's standard input is empty. Run by
 * the script itself; in a pipe a stage is a subshell, so its names are
 * lost, as in sh. */
static int read_cmd(ks_shell_run *run, const op *o, const ks_shell_io *io)
{
    ksi_sh_scope sc = {run, io};
    char fields[2048], word[512], line[1024];
    const char *argv[MAX_WORDS], *in;
    size_t i, argc = 0, used = 0, n = 0, a;
    bool raw = false, eof = true;
    int st;
    for (i = 1; i < o->argc && argc < MAX_WORDS && used < sizeof fields; i++) {
        size_t took;
        argc += ksi_sh_fields(o->argv[i], &sc, run->status, fields + used,
                              sizeof fields - used, &took, argv + argc, MAX_WORDS - argc);
        used += took;
    }
    for (a = 0; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
        if (strcmp(argv[a], "-r") == 0 || strcmp(argv[a], "-s") == 0)
            raw = raw || argv[a][1] == 'r';
        else if ((strcmp(argv[a], "-p") == 0 || strcmp(argv[a], "-t") == 0) && a + 1 < argc)
            a++;                          /* a prompt (to a terminal only), a time-out */
        else {
            snprintf(line, sizeof line, "sh: read: illegal option %s", argv[a]);
            ksi_sh_complain(io, line);
            return 2;
        }
    }
    in = stdin_of(o, run, io, word, sizeof word, &st);
    if (st)
        return st;
    for (; in && *in; in++) {
        if (*in == '\n') {
            eof = false;
            break;
        }
        if (!raw && *in == '\\' && in[1]) {
            in++;
            if (*in == '\n')
                continue;                 /* a backslash-newline: the line goes on */
        }
        if (n + 1 < sizeof line)
            line[n++] = *in;
    }
    line[n] = '\0';
    {
        static const char *const reply[] = {"REPLY"};
        const char *const *names = a < argc ? argv + a : reply;
        size_t nn = a < argc ? argc - a : 1, k;
        char *p = line;
        for (k = 0; k < nn; k++) {
            char *end;
            while (*p == ' ' || *p == '\t')
                p++;
            if (k + 1 == nn) {                /* the last name: the rest, blanks trimmed */
                end = p + strlen(p);
                while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
                    *--end = '\0';
            } else {
                for (end = p; *end && *end != ' ' && *end != '\t'; end++) {
                }
                if (*end)
                    *end++ = '\0';
            }
            ksi_sh_set_var(run, names[k], strlen(names[k]), p);
            p = end;
        }
    }
    return eof ? 1 : 0;
}

/* shift [N]: $N+1... become $1...; N more than $# leaves them and gives
 * status 1 (busybox ash shiftcmd); a bad N ends the script (-1). */
static int shift(ks_shell_run *run, const op *o, const ks_shell_io *io)
{
    ksi_sh_scope sc = {run, io};
    char word[64];
    long k = 1;
    if (o->argc > 1) {
        char *end;
        ksi_sh_expand(o->argv[1], &sc, run->status, word, sizeof word);
        k = strtol(word, &end, 10);
        if (end == word || *end || k < 0) {
            char line[128];
            snprintf(line, sizeof line, "sh: Illegal number: %s", word);
            ksi_sh_complain(io, line);
            return -1;                    /* ash_msg_and_raise_error: sh exits 2 */
        }
    }
    if ((size_t)k > run->nparams)
        return 1;                         /* busybox ash shiftcmd: 1, nothing said */
    run->params += k;
    run->nparams -= (size_t)k;
    return 0;
}

#define MAX_ASSIGN 8              /* X=1 Y=2 cmd: assignments for one command */

/* A command's standard input: `< file` (its text), `<<< word` (the word
 * and a newline), else the shell's (a pipe's previous stage; NULL: empty,
 * as a container's /dev/null). NULL and *st = 2 when the file is not there
 * (busybox ash openredirect: "can't open FILE: no such file"). */
static const char *stdin_of(const op *o, const ks_shell_run *run, const ks_shell_io *io,
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
    if (o->herestring) {
        len = strlen(buf);
        buf[len] = '\n';
        buf[len + 1] = '\0';
        return buf;
    }
    if ((text = io->read_file ? io->read_file(io->ud, buf) : NULL) != NULL)
        return text;
    snprintf(line, sizeof line, "sh: can't open %s: no such file", buf);
    ksi_sh_complain(io, line);
    *st = 2;
    return NULL;
}

/* Runs one simple command with its words expanded and split into fields;
 * `X=1 cmd` puts X=1 in the command's environment (not the script's);
 * returns its status; *sleep > 0 for sleep; *exit_now for exit. */
static int run_cmd(const op *o, const ks_shell_run *run, const ks_shell_io *io, int status,
                   ks_time *sleep, bool *exit_now)
{
    ksi_sh_scope sc = {run, io};
    char fields[4096], target[512], assigned[MAX_ASSIGN][300], word[512];
    const char *argv[MAX_WORDS], *assign[MAX_ASSIGN];
    ks_shell_io cio = *io;
    op x = *o;
    size_t i, argc = 0, used = 0, nassign = 0;
    int st;
    *sleep = 0;
    cio.input = stdin_of(o, run, io, word, sizeof word, &st);
    if (st)
        return st;
    for (i = 0; i < o->nassign && nassign < MAX_ASSIGN; i++) {
        const char *eq = strchr(o->argv[i], '=');
        char value[256];
        ksi_sh_expand(eq + 1, &sc, status, value, sizeof value);
        snprintf(assigned[nassign], sizeof assigned[0], "%.*s=%s", (int)(eq - o->argv[i]),
                 o->argv[i], value);
        assign[nassign] = assigned[nassign];
        nassign++;
    }
    for (i = o->nassign; i < o->argc && argc < MAX_WORDS && used < sizeof fields; i++) {
        size_t took;
        argc += ksi_sh_fields(o->argv[i], &sc, status, fields + used, sizeof fields - used,
                              &took, argv + argc, MAX_WORDS - argc);
        used += took;
    }
    if (!argc)
        return 0;                     /* the words expanded to nothing */
    x.argv = argv;
    x.argc = argc;
    x.nassign = 0;
    if (o->redirect)
        x.redirect = ksi_sh_expand(o->redirect, &sc, status, target, sizeof target);
    if (nassign) {
        cio.assign = assign;
        cio.nassign = nassign;
    }
    return ksi_sh_builtin(&x, &cio, sleep, exit_now);
}

/* a | b | c: each stage runs to its end, its output the next one's input
 * (each stage a subshell: exit leaves only its stage); the pipe's status
 * is the last stage's, its sleep the last stage's. */
static int run_pipe(const op *o, const ks_shell_run *run, const ks_shell_io *io, int status,
                    ks_time *sleep)
{
    static char none[1];
    char bufs[2][PIPE_BUF_SIZE];
    const char *input = io->input;
    size_t k;
    int st = 0;
    for (k = 0; k < o->nstages; k++) {
        ks_shell_io sio = *io;
        ks_shell_capture cap = {bufs[k % 2], PIPE_BUF_SIZE, 0};
        ks_time pause = 0;
        bool exit_now = false;
        bufs[k % 2][0] = '\0';
        sio.input = input ? input : none;
        if (k + 1 < o->nstages)
            sio.capture = &cap;
        st = run_cmd(&o->stages[k], run, &sio, status, &pause, &exit_now);
        if (st < 0)
            st = status;              /* exit without a number: $? */
        input = bufs[k % 2];
        if (k + 1 == o->nstages)
            *sleep = pause;
    }
    return st;
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

bool ks_shell_step(ks_shell_run *run, const ks_shell_io *io, ks_time *sleep)
{
    unsigned busy = 0;
    while (!run->exited && run->pc < run->prog->nops) {
        const op *o = &run->prog->ops[run->pc];
        ks_time pause = 0;
        bool exit_now = false;
        int st;
        if (++busy > BUSY_LIMIT) {              /* a loop that never sleeps */
            *sleep = KS_SEC;
            return true;
        }
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
        case OP_ASSIGN: {
            ksi_sh_scope sc = {run, io};
            char value[256];
            size_t i;
            for (i = 0; i < o->argc; i++) {
                const char *w = o->argv[i], *eq = strchr(w, '=');
                ksi_sh_expand(eq + 1, &sc, run->status, value, sizeof value);
                ksi_sh_set_var(run, w, (size_t)(eq - w), value);
            }
            run->status = 0;
            run->pc++;
            continue;
        }
        case OP_PIPE:
            st = run_pipe(o, run, io, run->status, &pause);
            run->pc++;
            run->status = st;
            if (pause > 0) {
                *sleep = pause;
                return true;
            }
            continue;
        case OP_FOR_INIT:
            run->loop[o->loop] = 0;
            run->pc++;
            continue;
        case OP_CMD:
            break;
        }
        if (o->name && !o->nassign && !o->redirect
            && (strcmp(o->name, "shift") == 0 || strcmp(o->name, "read") == 0)) {
            /* the script's own state */
            run->status = o->name[0] == 's' ? shift(run, o, io) : read_cmd(run, o, io);
            run->pc++;
            if (run->status < 0) {            /* shift: an illegal number ends sh */
                run->status = 2;
                run->exited = true;
                break;
            }
            continue;
        }
        st = run_cmd(o, run, io, run->status, &pause, &exit_now);
        run->pc++;
        if (exit_now) {
            if (st >= 0)
                run->status = st;
            run->exited = true;
            break;
        }
        run->status = st;
        if (pause > 0) {
            *sleep = pause;
            return true;
        }
    }
    run->exited = true;
    return false;
}

size_t ks_shell_commands(const ks_shell_prog *prog, const char **out, size_t max)
{
    size_t i, n = 0;
    for (i = 0; i < prog->nops && n < max; i++) {
        size_t k;
        if (prog->ops[i].kind == OP_CMD && prog->ops[i].name)
            out[n++] = prog->ops[i].name;
        for (k = 0; prog->ops[i].kind == OP_PIPE && k < prog->ops[i].nstages && n < max; k++)
            out[n++] = prog->ops[i].stages[k].name;
    }
    return n;
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
