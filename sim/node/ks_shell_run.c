/* ks_shell_run.c -- a compiled sh program run in steps (see ks_shell.h):
 * each step runs until the program sleeps or exits; simple commands with
 * their words expanded and split (ks_shell_words.c), pipes, for loops,
 * assignments. The compiler is ks_shell.c.
 */
#include "ks_shell.h"
#include "internal/shell.h"

#include <stdio.h>
#include <string.h>

#define BUSY_LIMIT 10000          /* steps without a sleep: a busy loop */

typedef ksi_sh_op op;

/* ---- run -------------------------------------------------------------------------- */
void ks_shell_start(ks_shell_run *run, const ks_shell_prog *prog)
{
    run->prog = prog;
    run->pc = 0;
    run->status = 0;
    run->exited = false;
    run->nvars = 0;
    memset(run->loop, 0, sizeof run->loop);
}

#define MAX_ASSIGN 8              /* X=1 Y=2 cmd: assignments for one command */

/* Runs one simple command with its words expanded and split into fields;
 * `X=1 cmd` puts X=1 in the command's environment (not the script's);
 * returns its status; *sleep > 0 for sleep; *exit_now for exit. */
static int run_cmd(const op *o, const ks_shell_run *run, const ks_shell_io *io, int status,
                   ks_time *sleep, bool *exit_now)
{
    ksi_sh_scope sc = {run, io};
    char fields[4096], target[512], assigned[MAX_ASSIGN][300];
    const char *argv[MAX_WORDS], *assign[MAX_ASSIGN];
    ks_shell_io cio = *io;
    op x = *o;
    size_t i, argc = 0, used = 0, nassign = 0;
    *sleep = 0;
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
