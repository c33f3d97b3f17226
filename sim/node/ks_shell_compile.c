/* ks_shell_compile.c -- a program from a container's command and args (see
 * ks_shell.h): sh's options before its script (sh -ec SCRIPT), the script's
 * $0 and $1..., the exec form as one command; and a $(...)'s or a sourced
 * file's script. The grammar is ks_shell.c's, the tokenizer ks_shell_lex.c's.
 */
#include "ks_shell.h"
#include "internal/shell_parse.h"

#include <stdio.h>
#include <string.h>

typedef ksi_sh_parser parser;
#define fail ksi_sh_fail
#define push_tok ksi_sh_push_tok

/* An argument of the exec form ([echo, "$HOME"]): no shell reads it, so it
 * is one field, taken as written. */
static const char *literal(parser *p, const char *w)
{
    size_t n = strlen(w), k = 0;
    char *u = ks_arena_alloc(p->ar, n + 3);
    if (!u)
        return w;
    u[k++] = QUOTE_OPEN;
    for (; *w; w++)
        u[k++] = *w == '$' ? LITERAL_DOLLAR : *w;
    u[k++] = QUOTE_CLOSE;
    u[k] = '\0';
    return u;
}

/* sh's options before its script (POSIX sh: sh -c [-abCefhimnuvx]...;
 * `sh -ec SCRIPT`, `bash -ecx SCRIPT`, `sh -e -c SCRIPT`): the index of the
 * script, or 0 when there is no -c; -e and -x are set -e and set -x, any
 * other option is noted for kubesim check. */
static size_t sh_options(parser *p, const char *const *argv, size_t argc)
{
    size_t s;
    for (s = 1; s < argc && argv[s][0] == '-' && argv[s][1] && strcmp(argv[s], "--") != 0;) {
        const char *c;
        bool script = false;
        for (c = argv[s] + 1; *c; c++) {
            char buf[100];
            if (*c == 'c')
                script = true;
            else if (*c == 'e')
                p->errexit = true;
            else if (*c == 'x')
                p->xtrace = true;
            else if (*c == 'u')
                p->nounset = true;
            else if (p->nnotes < MAX_NOTES) {
                snprintf(buf, sizeof buf, "'sh -%c' (kubesim's sh leaves it out)", *c);
                p->notes[p->nnotes++] = ks_arena_strdup(p->ar, buf);
            }
        }
        s++;
        if (script)
            return s < argc ? s : 0;
    }
    return 0;
}

static bool is_source(const char *name)
{
    return name && (strcmp(name, ".") == 0 || strcmp(name, "source") == 0);
}

/* Whether the program runs . FILE (or source FILE), itself or in a $(...). */
static bool runs_source(const parser *p)
{
    size_t i, k;
    for (i = 0; i < p->nops; i++) {
        if (p->ops[i].kind == OP_CMD && is_source(p->ops[i].name))
            return true;
        for (k = 0; p->ops[i].kind == OP_PIPE && k < p->ops[i].nstages; k++)
            if (is_source(p->ops[i].stages[k].name))
                return true;
    }
    for (i = 0; i < p->nsubs; i++)
        if (p->subs[i]->sources)
            return true;
    return false;
}

static ks_shell_prog *compile(ks_arena *ar, const char *const *command, size_t ncommand,
                              const char *const *args, size_t nargs, char *err, size_t errn,
                              int depth, size_t loop_base)
{
    const char *argv[MAX_WORDS + 2], *arg0 = NULL, *const *params = NULL;
    size_t argc = 0, i, nparams = 0, script;
    parser *p = ks_arena_alloc(ar, sizeof *p);
    ks_shell_prog *prog;
    if (!p) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    p->ar = ar;
    p->err = err;
    p->errn = errn;
    p->depth = depth;
    p->nloops = loop_base;
    for (i = 0; i < ncommand && argc < MAX_WORDS; i++)
        argv[argc++] = command[i];
    for (i = 0; i < nargs && argc < MAX_WORDS; i++)
        argv[argc++] = args[i];
    if (argc) {
        const char *base = strrchr(argv[0], '/');
        p->bash = strcmp(base ? base + 1 : argv[0], "bash") == 0;
    }
    if (argc >= 3 && ks_shell_is_shell(argv[0]) && (script = sh_options(p, argv, argc)) > 0) {
        p->script = argv[script];
        if (!ksi_sh_tokenize(p, argv[script]))
            return NULL;
        ksi_sh_note_params(p, argv[script]);
        /* POSIX sh -c: "command_name" (ARG0) is $0, the rest $1... */
        arg0 = argc > script + 1 ? argv[script + 1] : argv[0];
        params = argv + script + 2;
        nparams = argc > script + 2 ? argc - script - 2 : 0;
    } else if (argc == 0 || (argc == 1 && ks_shell_is_shell(argv[0]))) {
        push_tok(p, T_END, NULL);                   /* sh with no input: exit 0 */
    } else {
        for (i = 0; i < argc; i++)                  /* exec form: one command */
            push_tok(p, T_WORD, literal(p, argv[i]));
        push_tok(p, T_END, NULL);
    }
    if (!ksi_sh_parse(p))
        return NULL;
    ksi_sh_note_functions(p);
    prog = ks_arena_alloc(ar, sizeof *prog);
    if (!prog || !(prog->ops = ks_arena_alloc(ar, (p->nops + 1) * sizeof *prog->ops))) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    memcpy(prog->ops, p->ops, p->nops * sizeof *p->ops);
    prog->nops = p->nops;
    prog->ar = ar;
    prog->arg0 = arg0 ? arg0 : argc ? argv[0] : "sh";
    prog->nparams = nparams;
    if (nparams && !(prog->params = ksi_sh_copy_words(p, params, nparams)))
        return NULL;
    prog->nnotes = p->nnotes;
    prog->errexit = p->errexit;
    prog->xtrace = p->xtrace;
    prog->nounset = p->nounset;
    prog->bash = p->bash;
    prog->nfuncs = p->nfuncs;
    prog->loops_end = p->nloops;
    prog->sources = runs_source(p);
    if (p->nfuncs && !(prog->funcs = ksi_sh_copy_words(p, p->funcs, p->nfuncs)))
        return NULL;
    memcpy(prog->notes, p->notes, sizeof prog->notes);
    prog->nsubs = p->nsubs;
    if (p->nsubs && !(prog->subs = ks_arena_alloc(ar, p->nsubs * sizeof *prog->subs))) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    if (p->nsubs)
        memcpy(prog->subs, p->subs, p->nsubs * sizeof *p->subs);
    return prog;
}

ks_shell_prog *ks_shell_compile(ks_arena *ar, const char *const *command, size_t ncommand,
                                const char *const *args, size_t nargs, char *err, size_t errn)
{
    return compile(ar, command, ncommand, args, nargs, err, errn, 0, 0);
}

ks_shell_prog *ksi_sh_compile_script(ks_arena *ar, const char *script, char *err, size_t errn,
                                     int depth)
{
    const char *argv[3] = {"sh", "-c", script};
    if (!script) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    return compile(ar, argv, 3, NULL, 0, err, errn, depth, 0);
}

ks_shell_prog *ksi_sh_compile_sourced(ks_arena *ar, const char *text, size_t loop_base,
                                      char *err, size_t errn)
{
    const char *argv[3] = {"sh", "-c", text};
    return compile(ar, argv, 3, NULL, 0, err, errn, 0, loop_base);
}
