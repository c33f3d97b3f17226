/* ks_shell_scope.c -- what a script keeps and undoes: its variables
 * (ksi_sh_set_var: a leaf, so the words, the builtins and the run all call
 * down into it and no file of the shell calls back), subshells (( ... ),
 * the loop of `cmd | while read`), functions (NAME() { ...; }, their
 * parameters, return, local), and the end of the script or of the
 * subshell it is in (exit, set -e, set -u). As busybox ash (shell/ash.c:
 * evalsubshell, evalpipe, evalfun, returncmd, localcmd).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"

/* busybox ash's INIT_RANDOM_T (shell/random.h). */
static void seed_random(ks_shell_random *r, const char *value)
{
    uint32_t t = (uint32_t)strtoul(value, NULL, 10);
    r->galois = (int32_t)(t ? t : 1);
    r->x = t ? t : 1;
    r->lcg = r->y = t;
}

/* busybox ash's next_random (shell/random.c): an LCG, a Galois LFSR and a
 * 64-bit xorshift combined; bash's range (& 0x7fff). */
static unsigned next_random(ks_shell_random *r)
{
    uint32_t t;
    r->lcg = 1664525u * r->lcg + 1013904223u;
    t = (uint32_t)r->galois << 1;
    if (r->galois < 0)
        t ^= 0x8000000bu;
    r->galois = (int32_t)t;
    do {
        t = r->x ^ (r->x << 2);
        r->x = r->y;
        r->y = r->y ^ (r->y >> 3) ^ t ^ (t >> 7);
    } while (r->y == 0 && r->x <= 2);
    t = (uint32_t)r->galois - r->lcg + r->y;
    return t & 0x7fff;
}

const char *ksi_sh_random(ks_shell_run *run, const ks_shell_io *io)
{
    unsigned v;
    if (!run->rnd_env_seen) {         /* ash imports RANDOM=N from its environment: a seed */
        const char *env = io && io->getenv ? io->getenv(io->ud, "RANDOM") : NULL;
        run->rnd_env_seen = true;
        if (env)
            seed_random(&run->rnd, env);
    }
    if (run->rnd.galois)
        v = next_random(&run->rnd);
    else if (io && io->random)
        v = io->random(io->ud) & 0x7fff;
    else {
        seed_random(&run->rnd, "1");   /* no stream: ash's generator, seeded with 1 */
        v = next_random(&run->rnd);
    }
    snprintf(run->rnd_text, sizeof run->rnd_text, "%u", v);
    return run->rnd_text;
}

/* NAME (nlen bytes of name) = value, in the script's variables (beyond
 * KS_SHELL_VARS: dropped). RANDOM=N seeds $RANDOM (until unset RANDOM). */
void ksi_sh_set_var(ks_shell_run *run, const char *name, size_t nlen, const char *value)
{
    size_t i;
    if (nlen == 6 && strncmp(name, "RANDOM", 6) == 0 && !run->rnd_off) {
        seed_random(&run->rnd, value);     /* ash change_random: set/reset */
        run->rnd_env_seen = true;
        return;
    }
    for (i = 0; i < run->st.nvars; i++)
        if (strlen(run->st.vars[i].name) == nlen && strncmp(run->st.vars[i].name, name, nlen) == 0)
            break;
    if (i == run->st.nvars) {
        if (run->st.nvars == KS_SHELL_VARS || nlen >= sizeof run->st.vars[0].name)
            return;                   /* beyond kubesim's 16: dropped (documented) */
        snprintf(run->st.vars[i].name, sizeof run->st.vars[i].name, "%.*s", (int)nlen, name);
        run->st.vars[i].exported = false;
        run->st.nvars++;
    }
    run->st.vars[i].unset = false;
    snprintf(run->st.vars[i].value, sizeof run->st.vars[i].value, "%s", value);
}

/* The script ends here with status (exit, set -e, a fatal error), or, in a
 * subshell, the subshell does: at its OP_SUB_POP. */
void ksi_sh_leave(ks_shell_run *run, int status)
{
    run->status = status;
    if (run->nsub && run->nsub <= KS_SHELL_SUBS) {
        const ks_shell_sub *b = &run->sub[run->nsub - 1];
        run->prog = b->prog;          /* out of the files . ran inside it */
        run->st.nsources = b->saved.nsources;
        run->pc = b->end;
        return;
    }
    if (run->st.nsources)                /* out of every file . is running */
        run->prog = run->sources[0].prog;
    run->st.nsources = 0;
    run->pc = run->prog->nops;        /* ks_shell_step's loop ends there */
}

/* ( ... ), cmd | while ...: a subshell begins (OP_SUB_PUSH: what it may
 * change is kept) or ends (OP_SUB_POP: put back, its status stays $?). */
void ksi_sh_subshell(ks_shell_run *run, const ksi_sh_op *o)
{
    if (o->kind == OP_SUB_PUSH) {
        if (run->nsub < KS_SHELL_SUBS) {   /* the compiler allows no deeper */
            ks_shell_sub *b = &run->sub[run->nsub];
            b->saved = run->st;
            b->prog = run->prog;
            b->end = o->target;
        }
        run->nsub++;
        return;
    }
    if (!run->nsub)
        return;
    if (--run->nsub < KS_SHELL_SUBS)      /* its functions, and calls it left by exit */
        run->st = run->sub[run->nsub].saved;
}


/* OP_FUNC: NAME is defined (again: redefined) and its body skipped;
 * OP_RETURN: the body's end, back to the caller with its parameters, its
 * locals as they were; the function's status is its last command's. */
void ksi_sh_function(ks_shell_run *run, const ksi_sh_op *o)
{
    ks_shell_frame *f;
    size_t i;
    if (o->kind == OP_FUNC) {
        for (i = 0; i < run->st.nfuncs && strcmp(run->funcs[i].name, o->name) != 0; i++) {
        }
        if (i < KS_SHELL_FUNCS) {         /* the compiler allows no more */
            run->funcs[i].name = o->name;
            run->funcs[i].prog = run->prog;
            run->funcs[i].text = o->text;
            run->funcs[i].start = run->pc + 1;
            run->funcs[i].end = o->target - 1;
            run->st.nfuncs += i == run->st.nfuncs;
        }
        run->status = 0;
        run->pc = o->target;
        return;
    }
    if (!run->st.nframes) {
        run->pc++;
        return;
    }
    f = &run->frames[--run->st.nframes];
    while (f->nlocals--) {                /* the locals, newest first */
        ks_shell_var *saved = &f->locals[f->nlocals];
        for (i = 0; i < run->st.nvars && strcmp(run->st.vars[i].name, saved->name) != 0; i++) {
        }
        if (i == run->st.nvars)
            continue;
        if (f->had[f->nlocals])
            run->st.vars[i] = *saved;
        else                              /* not the script's before: gone again */
            memmove(&run->st.vars[i], &run->st.vars[i + 1], (--run->st.nvars - i) * sizeof run->st.vars[0]);
    }
    run->st.arg0 = f->arg0;
    run->st.params = f->params;
    run->st.nparams = f->nparams;
    run->prog = f->prog;
    run->pc = f->ret;
}

/* local NAME[=VALUE]...: the variable's state kept in the function's frame
 * (put back at its return), then NAME set (to VALUE, or as it was). */
static int local_cmd(ks_shell_run *run, const ks_shell_io *io, const char *const *argv,
                     size_t argc)
{
    ks_shell_frame *f = &run->frames[run->st.nframes - 1];
    size_t a, i;
    for (a = 1; a < argc; a++) {
        const char *eq = strchr(argv[a], '=');
        size_t nlen = eq ? (size_t)(eq - argv[a]) : strlen(argv[a]);
        if (f->nlocals == KS_SHELL_LOCALS || nlen >= sizeof f->locals[0].name) {
            ksi_sh_complain(io, "kubesim: more than 4 local variables in a function are not "
                                "supported by kubesim's sh");
            return 2;
        }
        for (i = 0; i < run->st.nvars; i++)
            if (strlen(run->st.vars[i].name) == nlen && strncmp(run->st.vars[i].name, argv[a], nlen) == 0)
                break;
        f->had[f->nlocals] = i < run->st.nvars;
        if (i < run->st.nvars)
            f->locals[f->nlocals] = run->st.vars[i];
        else
            snprintf(f->locals[f->nlocals].name, sizeof f->locals[0].name, "%.*s", (int)nlen,
                     argv[a]);
        f->nlocals++;
        if (eq)
            ksi_sh_set_var(run, argv[a], nlen, eq + 1);
    }
    return 0;
}

/* return [N]: the function ends with N (else $?), at its OP_RETURN; or
 * the file . runs does, at its end. */
static int return_cmd(ks_shell_run *run, const ks_shell_io *io, const char *const *argv,
                      size_t argc)
{
    char *end;
    long n = argc > 1 ? strtol(argv[1], &end, 10) : run->status;
    if (argc > 1 && (*end || !*argv[1] || n < 0)) {
        char line[300];
        snprintf(line, sizeof line, "sh: return: Illegal number: %.200s", argv[1]);
        ksi_sh_complain(io, line);
        n = 2;
    }
    if (run->st.nsources && run->sources[run->st.nsources - 1].nframes == run->st.nframes)
        run->jump = run->prog->nops + 1;  /* in a file . runs, no function: the file ends
                                             (POSIX return; ash dotcmd's cmdloop) */
    else
        run->jump = run->frames[run->st.nframes - 1].end + 1;
    return (int)(n & 255);
}

int ksi_sh_call(ks_shell_run *run, const ksi_sh_op *o, const ks_shell_io *io,
                const char *const *argv, size_t argc)
{
    ks_shell_frame *f;
    size_t i, fn, used = 0;
    if ((run->st.nframes || run->st.nsources) && strcmp(argv[0], "return") == 0)
        return return_cmd(run, io, argv, argc);
    if (run->st.nframes && strcmp(argv[0], "local") == 0)
        return local_cmd(run, io, argv, argc);
    for (i = 0; i < run->st.nfuncs && strcmp(run->funcs[i].name, argv[0]) != 0; i++) {
    }
    if (i == run->st.nfuncs || run->funcs[i].start == (size_t)-1)
        return -2;                        /* none, or the caller's of a $(...) */
    fn = i;
    if (run->st.nframes == KS_SHELL_FRAMES || o->redirect || o->input || argc > KS_SHELL_SET_ARGS) {
        char line[300];
        snprintf(line, sizeof line, "kubesim: %.100s: %s", argv[0],
                 run->st.nframes == KS_SHELL_FRAMES
                     ? "functions calling functions more than 4 deep are not supported by "
                       "kubesim's sh"
                 : argc > KS_SHELL_SET_ARGS ? "a function call with more than 15 arguments is "
                                              "not supported by kubesim's sh"
                                            : "a redirection of a function call is not "
                                              "supported by kubesim's sh");
        ksi_sh_complain(io, line);
        return 2;
    }
    f = &run->frames[run->st.nframes++];
    f->ret = run->pc + 1;
    f->prog = run->prog;
    f->end = run->funcs[fn].end;
    f->arg0 = run->st.arg0;                  /* $0 stays the shell's (ash evalfun) */
    f->params = run->st.params;
    f->nparams = run->st.nparams;
    f->nlocals = 0;
    for (i = 1; i < argc; i++) {          /* $1...: the call's words */
        size_t len = strlen(argv[i]);
        if (used + len + 1 > sizeof f->buf)
            len = used < sizeof f->buf ? sizeof f->buf - used - 1 : 0;
        memcpy(f->buf + used, argv[i], len);
        f->buf[used + len] = '\0';
        f->args[i - 1] = f->buf + used;
        used += len + 1;
        if (used >= sizeof f->buf)
            used = sizeof f->buf - 1;
    }
    run->st.params = f->args;
    run->st.nparams = argc - 1;
    run->prog = run->funcs[fn].prog;
    run->jump = run->funcs[fn].start + 1;    /* its body's first op */
    return 0;
}
