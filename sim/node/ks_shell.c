/* ks_shell.c -- a tiny sh, compiled to a flat list of operations so a run
 * can stop at any sleep and resume later (see ks_shell.h).
 *
 * Grammar (a subset of POSIX sh):
 *   list     := and_or ((';' | '\n') and_or)*
 *   and_or   := command (('&&' | '||') command)*
 *   command  := ('while' | 'until') list 'do' list 'done'
 *             | 'if' list 'then' list ('elif' list 'then' list)* ['else' list] 'fi'
 *             | word+ [('>' | '>>') word]
 * Compiled: a command is OP_CMD; `a && b` is a, JUMP_IF_FAIL end, b;
 * `a || b` is a, JUMP_IF_OK end, b; a loop is cond, JUMP_IF_FAIL out, body,
 * JUMP cond.
 */
#include "ks_shell.h"
#include "internal/shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPS 512
#define MAX_TOKENS 1024

typedef ksi_sh_op_kind op_kind;
typedef ksi_sh_op op;


/* ---- tokens ------------------------------------------------------------------- */
typedef enum { T_WORD, T_SEMI, T_AND, T_OR, T_PIPE, T_GT, T_GTGT, T_LT, T_HERESTR,
               T_END } tok_kind;

typedef struct tok {
    tok_kind kind;
    const char *word;
} tok;

typedef struct parser {
    ks_arena *ar;
    tok toks[MAX_TOKENS];
    size_t ntoks, pos;
    op ops[MAX_OPS];
    size_t nops;
    char *err;
    size_t errn;
    bool failed;
    size_t nloops;                /* for loops so far */
    ks_shell_prog *subs[MAX_SUBSTS];
    size_t nsubs;
    int depth;                    /* $(...) inside $(...): how deep */
} parser;

static bool fail(parser *p, const char *msg)
{
    if (!p->failed)
        snprintf(p->err, p->errn, "%s", msg);
    p->failed = true;
    return false;
}

static bool push_tok(parser *p, tok_kind k, const char *w)
{
    if (p->ntoks >= MAX_TOKENS - 1)
        return fail(p, "script too long");
    p->toks[p->ntoks].kind = k;
    p->toks[p->ntoks].word = w;
    p->ntoks++;
    return true;
}

static ks_shell_prog *compile_script(ks_arena *ar, const char *script, char *err, size_t errn,
                                     int depth);
static ks_shell_prog *compile(ks_arena *ar, const char *const *command, size_t ncommand,
                              const char *const *args, size_t nargs, char *err, size_t errn,
                              int depth);

/* $(...) or `...` at *s: its script compiled as a program of its own, and
 * in the word a mark that says which. */
static bool substitution(parser *p, const char **s, char *buf, size_t *n, size_t cap)
{
    bool backquote = **s == '`';
    const char *from = *s + (backquote ? 1 : 2), *e;
    int depth = 1;
    char q = 0;
    ks_shell_prog *sub;
    for (e = from; *e; e++) {
        if (backquote) {
            if (*e == '\\' && e[1])
                e++;
            else if (*e == '`')
                break;
            continue;
        }
        if (q) {
            q = *e == q ? 0 : q;
            continue;
        }
        if (*e == '\'' || *e == '"')
            q = *e;
        else if (*e == '(')
            depth++;
        else if (*e == ')' && --depth == 0)
            break;
    }
    if (!*e)
        return fail(p, backquote ? "syntax error: unterminated `" : "syntax error: unterminated $(");
    if (p->nsubs >= MAX_SUBSTS)
        return fail(p, "too many command substitutions");
    if (p->depth >= MAX_SUBST_DEPTH)
        return fail(p, "command substitutions nested this deep are not supported by kubesim's "
                       "shell");
    sub = compile_script(p->ar, ks_arena_strndup(p->ar, from, (size_t)(e - from)), p->err,
                         p->errn, p->depth + 1);
    if (!sub) {
        p->failed = true;
        return false;
    }
    p->subs[p->nsubs] = sub;
    if (*n + 2 < cap) {
        buf[(*n)++] = SUBST_MARK;
        buf[(*n)++] = (char)('A' + p->nsubs);
    }
    p->nsubs++;
    *s = e + 1;
    return true;
}

static bool tokenize(parser *p, const char *s)
{
    char buf[1024];
    while (*s) {
        size_t n = 0;
        bool quoted = false;
        if (*s == ' ' || *s == '\t') {
            s++;
            continue;
        }
        if (*s == '#') {                      /* comment to end of line */
            while (*s && *s != '\n')
                s++;
            continue;
        }
        if (*s == ';' || *s == '\n') {
            if (!push_tok(p, T_SEMI, NULL))
                return false;
            s++;
            continue;
        }
        if (s[0] == '&' && s[1] == '&') {
            if (!push_tok(p, T_AND, NULL))
                return false;
            s += 2;
            continue;
        }
        if (s[0] == '|') {
            bool two = s[1] == '|';
            if (!push_tok(p, two ? T_OR : T_PIPE, NULL))
                return false;
            s += two ? 2 : 1;
            continue;
        }
        if (*s == '>') {
            bool two = s[1] == '>';
            if (!push_tok(p, two ? T_GTGT : T_GT, NULL))
                return false;
            s += two ? 2 : 1;
            continue;
        }
        if (s[0] == '<' && s[1] == '<' && s[2] == '<') {   /* busybox ash's here-string */
            if (!push_tok(p, T_HERESTR, NULL))
                return false;
            s += 3;
            continue;
        }
        if (s[0] == '<' && s[1] == '<')
            return fail(p, "here-documents (<<) are not supported by kubesim's shell");
        if (*s == '<') {
            if (!push_tok(p, T_LT, NULL))
                return false;
            s++;
            continue;
        }
        if (*s == '&' || *s == '(' || *s == ')')
            return fail(p, "background jobs and subshells are not supported by kubesim's "
                           "shell");
        while (*s && !strchr(" \t;\n&|><", *s)) {
            if (*s == '\'' || *s == '"') {
                char q = *s++;
                quoted = true;
                if (n < sizeof buf - 1)
                    buf[n++] = QUOTE_OPEN;
                while (*s && *s != q) {
                    bool escaped = q == '"' && *s == '\\' && s[1];
                    if (q == '"' && ((s[0] == '$' && s[1] == '(' && s[2] != '(') || *s == '`')) {
                        if (!substitution(p, &s, buf, &n, sizeof buf))
                            return false;
                        continue;
                    }
                    if (escaped)
                        s++;
                    if (n < sizeof buf - 1)   /* a $ that must stay a $ */
                        buf[n++] = *s == '$' && (q == '\'' || escaped) ? LITERAL_DOLLAR : *s;
                    s++;
                }
                if (*s != q)
                    return fail(p, "unterminated quoted string");
                if (n < sizeof buf - 1)
                    buf[n++] = QUOTE_CLOSE;
                s++;
            } else if ((s[0] == '$' && s[1] == '(' && s[2] != '(') || *s == '`') {
                if (!substitution(p, &s, buf, &n, sizeof buf))
                    return false;
            } else if (s[0] == '$' && s[1] == '(' && s[2] == '(') {
                int depth = 0;            /* $((...)) whole, blanks and all */
                if (n < sizeof buf - 1)
                    buf[n++] = *s;
                s++;                      /* the $ */
                do {
                    depth += *s == '(' ? 1 : *s == ')' ? -1 : 0;
                    if (n < sizeof buf - 1)
                        buf[n++] = *s;
                    s++;
                } while (*s && depth > 0);
                if (depth > 0)
                    return fail(p, "syntax error: unterminated $((");
            } else {
                bool escaped = *s == '\\' && s[1];
                if (escaped)
                    s++;
                if (escaped && n + 3 < sizeof buf) {  /* a quoted character */
                    buf[n++] = QUOTE_OPEN;
                    buf[n++] = *s == '$' ? LITERAL_DOLLAR : *s;
                    buf[n++] = QUOTE_CLOSE;
                } else if (n < sizeof buf - 1) {
                    buf[n++] = *s;
                }
                s++;
            }
        }
        if (!n && !quoted)
            continue;
        if (!push_tok(p, T_WORD, ks_arena_strndup(p->ar, buf, n)))
            return false;
    }
    return push_tok(p, T_END, NULL);
}

/* ---- compile ----------------------------------------------------------------------- */
static size_t emit(parser *p, op_kind k)
{
    if (p->nops >= MAX_OPS) {
        fail(p, "script too long");
        return 0;
    }
    memset(&p->ops[p->nops], 0, sizeof p->ops[0]);
    p->ops[p->nops].kind = k;
    return p->nops++;
}

static const tok *peek(parser *p)
{
    return &p->toks[p->pos];
}

static bool is_word(const tok *t, const char *w)
{
    return t->kind == T_WORD && strcmp(t->word, w) == 0;
}

static bool parse_list(parser *p, const char *stop);
static bool parse_list2(parser *p, const char *stop1, const char *stop2, const char *stop3);

/* if c1; then b1; elif c2; then b2; else b3; fi: each condition jumps over
 * its branch when it fails; each branch jumps to the end. */
static bool parse_if(parser *p)
{
    size_t ends[32], nends = 0, k;
    p->pos++;                                   /* if or elif */
    for (;;) {
        size_t skip;
        if (!parse_list(p, "then"))
            return false;
        if (!is_word(peek(p), "then"))
            return fail(p, "syntax error: 'if' without 'then'");
        p->pos++;
        skip = emit(p, OP_JUMP_IF_FAIL);
        if (!parse_list2(p, "elif", "else", "fi"))
            return false;
        if (nends >= 32)
            return fail(p, "too many elif");
        ends[nends++] = emit(p, OP_JUMP);
        p->ops[skip].target = p->nops;
        if (is_word(peek(p), "elif")) {
            p->pos++;
            continue;
        }
        if (is_word(peek(p), "else")) {
            p->pos++;
            if (!parse_list(p, "fi"))
                return false;
        }
        if (!is_word(peek(p), "fi"))
            return fail(p, "syntax error: 'then' without 'fi'");
        p->pos++;
        break;
    }
    for (k = 0; k < nends; k++)
        p->ops[ends[k]].target = p->nops;
    return !p->failed;
}

static bool is_name(const char *s, size_t n)
{
    size_t i;
    if (!n || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return false;
    for (i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'
              || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* NAME=VALUE */
static bool is_assignment(const char *w)
{
    const char *eq = strchr(w, '=');
    return eq && is_name(w, (size_t)(eq - w));
}

/* w without its quote marks (a command's name as kubesim check shows it). */
static const char *unquoted(parser *p, const char *w)
{
    char *u = ks_arena_strndup(p->ar, w, strlen(w)), *d = u;
    const char *s;
    if (!u)
        return w;
    for (s = w; *s; s++)
        if (*s != QUOTE_OPEN && *s != QUOTE_CLOSE)
            *d++ = *s == LITERAL_DOLLAR ? '$' : *s;
    *d = '\0';
    return u;
}

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

/* After a loop's done: a redirection there is refused, in words. */
static bool loop_redirect(parser *p)
{
    tok_kind k = p->toks[p->pos].kind;
    if (k == T_LT || k == T_HERESTR || k == T_GT || k == T_GTGT)
        return fail(p, "a redirection on a loop (done < FILE, done > FILE) is not supported by "
                       "kubesim's shell");
    return true;
}

static const char **copy_words(parser *p, const char *const *words, size_t n)
{
    const char **v = ks_arena_alloc(p->ar, (n ? n : 1) * sizeof *v);
    if (!v) {
        fail(p, "out of memory");
        return NULL;
    }
    memcpy(v, words, n * sizeof *words);
    return v;
}

/* for NAME [in WORD...]; do LIST; done: INIT sets the loop's counter to
 * 0; NEXT puts the next word in NAME, or leaves the loop; the body jumps
 * back to NEXT. */
static bool parse_for(parser *p)
{
    const char *words[MAX_WORDS];
    size_t n = 0, init, next, loop;
    const char *name;
    p->pos++;
    if (peek(p)->kind != T_WORD || !is_name(peek(p)->word, strlen(peek(p)->word)))
        return fail(p, "syntax error: bad for loop variable");
    name = p->toks[p->pos++].word;
    if (is_word(peek(p), "in")) {
        p->pos++;
        while (peek(p)->kind == T_WORD) {
            if (n >= MAX_WORDS)
                return fail(p, "for loop too long");
            words[n++] = p->toks[p->pos++].word;
        }
    } else {
        static const char all[] = {QUOTE_OPEN, '$', '@', QUOTE_CLOSE, '\0'};
        words[n++] = all;                      /* for NAME; do: for NAME in "$@" */
    }
    while (peek(p)->kind == T_SEMI)
        p->pos++;
    if (!is_word(peek(p), "do"))
        return fail(p, "syntax error: 'for' without 'do'");
    p->pos++;
    if (p->nloops >= KS_SHELL_LOOPS)
        return fail(p, "too many for loops");
    loop = p->nloops++;
    init = emit(p, OP_FOR_INIT);
    next = emit(p, OP_FOR_NEXT);
    if (p->failed)
        return false;
    p->ops[init].loop = p->ops[next].loop = loop;
    p->ops[next].var = name;
    p->ops[next].argc = n;
    if (!(p->ops[next].argv = copy_words(p, words, n)))
        return false;
    if (!parse_list(p, "done"))
        return false;
    if (!is_word(peek(p), "done"))
        return fail(p, "syntax error: 'do' without 'done'");
    p->pos++;
    if (!loop_redirect(p))
        return false;
    p->ops[emit(p, OP_JUMP)].target = next;
    p->ops[next].target = p->nops;
    return !p->failed;
}

static bool parse_command(parser *p)
{
    const char *words[MAX_WORDS];
    size_t n = 0, at, nassign = 0;
    op *o;
    if (is_word(peek(p), "if"))
        return parse_if(p);
    if (is_word(peek(p), "for"))
        return parse_for(p);
    if (is_word(peek(p), "while") || is_word(peek(p), "until")) {
        size_t cond, exit_jump;
        bool until = is_word(peek(p), "until");
        p->pos++;
        cond = p->nops;
        if (!parse_list(p, "do"))
            return false;
        if (!is_word(peek(p), "do"))
            return fail(p, until ? "syntax error: 'until' without 'do'"
                                 : "syntax error: 'while' without 'do'");
        p->pos++;
        exit_jump = emit(p, until ? OP_JUMP_IF_OK : OP_JUMP_IF_FAIL);
        if (!parse_list(p, "done"))
            return false;
        if (!is_word(peek(p), "done"))
            return fail(p, "syntax error: 'do' without 'done'");
        p->pos++;
        if (!loop_redirect(p))
            return false;
        p->ops[emit(p, OP_JUMP)].target = cond;
        p->ops[exit_jump].target = p->nops;
        return !p->failed;
    }
    /* keywords are keywords only where a command starts: `echo done` prints */
    while (peek(p)->kind == T_WORD) {
        if (n >= MAX_WORDS)
            return fail(p, "command too long");
        words[n++] = p->toks[p->pos++].word;
    }
    if (!n)
        return fail(p, "syntax error: a command was expected");
    while (nassign < n && is_assignment(words[nassign]))
        nassign++;
    if (nassign == n) {
        at = emit(p, OP_ASSIGN);
        if (p->failed)
            return false;
        p->ops[at].argc = n;
        return (p->ops[at].argv = copy_words(p, words, n)) != NULL;
    }
    at = emit(p, OP_CMD);
    if (p->failed)
        return false;
    o = &p->ops[at];
    o->argv = ks_arena_alloc(p->ar, n * sizeof *o->argv);
    if (!o->argv)
        return fail(p, "out of memory");
    memcpy(o->argv, words, n * sizeof *words);
    o->argc = n;
    o->nassign = nassign;
    o->name = unquoted(p, words[nassign]);
    while (peek(p)->kind == T_GT || peek(p)->kind == T_GTGT || peek(p)->kind == T_LT
           || peek(p)->kind == T_HERESTR) {
        tok_kind k = peek(p)->kind;
        p->pos++;
        if (peek(p)->kind != T_WORD)
            return fail(p, k == T_HERESTR ? "syntax error: a word must follow '<<<'"
                                          : "syntax error: a file name must follow a "
                                            "redirection");
        if (k == T_LT || k == T_HERESTR) {
            o->input = p->toks[p->pos++].word;   /* < file, <<< word: standard input */
            o->herestring = k == T_HERESTR;
        } else {
            o->append = k == T_GTGT;
            o->redirect = p->toks[p->pos++].word;
        }
    }
    if (peek(p)->kind == T_WORD)
        return fail(p, "words after a redirection are not supported by kubesim's shell; "
                       "put the redirection last");
    return true;
}

/* command ('|' command)*: a pipe of simple commands is one OP_PIPE, its
 * stages the commands' OP_CMDs (a loop or an if in a pipe is refused). */
static bool parse_pipeline(parser *p)
{
    size_t first = p->nops, k;
    op *stages;
    if (!parse_command(p))
        return false;
    if (peek(p)->kind != T_PIPE)
        return true;
    while (peek(p)->kind == T_PIPE) {
        p->pos++;
        while (peek(p)->kind == T_SEMI)       /* a newline may follow | */
            p->pos++;
        if (!parse_command(p))
            return false;
    }
    for (k = first; k < p->nops; k++)
        if (p->ops[k].kind != OP_CMD)
            return fail(p, "a loop, an if or an assignment in a pipe is not supported by "
                           "kubesim's shell");
    if (!(stages = ks_arena_alloc(p->ar, (p->nops - first) * sizeof *stages)))
        return fail(p, "out of memory");
    memcpy(stages, &p->ops[first], (p->nops - first) * sizeof *stages);
    k = p->nops - first;
    p->nops = first;
    first = emit(p, OP_PIPE);
    if (p->failed)
        return false;
    p->ops[first].stages = stages;
    p->ops[first].nstages = k;
    return true;
}

static bool parse_and_or(parser *p)
{
    if (!parse_pipeline(p))
        return false;
    while (peek(p)->kind == T_AND || peek(p)->kind == T_OR) {
        size_t j = emit(p, peek(p)->kind == T_AND ? OP_JUMP_IF_FAIL : OP_JUMP_IF_OK);
        p->pos++;
        while (peek(p)->kind == T_SEMI)       /* a newline may follow && */
            p->pos++;
        if (!parse_pipeline(p))
            return false;
        p->ops[j].target = p->nops;
    }
    return true;
}

static bool is_stop(const tok *t, const char *a, const char *b, const char *c)
{
    return (a && is_word(t, a)) || (b && is_word(t, b)) || (c && is_word(t, c));
}

/* Parses and_or lists until one of the stop keywords or the end. */
static bool parse_list2(parser *p, const char *stop1, const char *stop2, const char *stop3)
{
    for (;;) {
        while (peek(p)->kind == T_SEMI)
            p->pos++;
        if (peek(p)->kind == T_END || is_stop(peek(p), stop1, stop2, stop3))
            return true;
        if (!parse_and_or(p))
            return false;
        if (peek(p)->kind != T_SEMI && peek(p)->kind != T_END
            && !is_stop(peek(p), stop1, stop2, stop3))
            return fail(p, "syntax error near an unexpected token");
    }
}

static bool parse_list(parser *p, const char *stop)
{
    return parse_list2(p, stop, NULL, NULL);
}

static bool is_shell(const char *s)
{
    return strcmp(s, "sh") == 0 || strcmp(s, "/bin/sh") == 0 || strcmp(s, "bash") == 0
           || strcmp(s, "/bin/bash") == 0 || strcmp(s, "ash") == 0 || strcmp(s, "/bin/ash") == 0;
}

static ks_shell_prog *compile(ks_arena *ar, const char *const *command, size_t ncommand,
                              const char *const *args, size_t nargs, char *err, size_t errn,
                              int depth)
{
    const char *argv[MAX_WORDS + 2], *arg0 = NULL, *const *params = NULL;
    size_t argc = 0, i, nparams = 0;
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
    for (i = 0; i < ncommand && argc < MAX_WORDS; i++)
        argv[argc++] = command[i];
    for (i = 0; i < nargs && argc < MAX_WORDS; i++)
        argv[argc++] = args[i];
    if (argc >= 3 && is_shell(argv[0]) && strcmp(argv[1], "-c") == 0) {
        if (!tokenize(p, argv[2]))
            return NULL;
        /* POSIX sh -c: "command_name" (ARG0) is $0, the rest $1... */
        arg0 = argc > 3 ? argv[3] : argv[0];
        params = argv + 4;
        nparams = argc > 4 ? argc - 4 : 0;
    } else if (argc == 0 || (argc == 1 && is_shell(argv[0]))) {
        push_tok(p, T_END, NULL);                   /* sh with no input: exit 0 */
    } else {
        for (i = 0; i < argc; i++)                  /* exec form: one command */
            push_tok(p, T_WORD, literal(p, argv[i]));
        push_tok(p, T_END, NULL);
    }
    if (p->failed || !parse_list(p, NULL))
        return NULL;
    prog = ks_arena_alloc(ar, sizeof *prog);
    if (!prog || !(prog->ops = ks_arena_alloc(ar, (p->nops + 1) * sizeof *prog->ops))) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    memcpy(prog->ops, p->ops, p->nops * sizeof *p->ops);
    prog->nops = p->nops;
    prog->arg0 = arg0 ? arg0 : argc ? argv[0] : "sh";
    prog->nparams = nparams;
    if (nparams && !(prog->params = copy_words(p, params, nparams)))
        return NULL;
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
    return compile(ar, command, ncommand, args, nargs, err, errn, 0);
}

static ks_shell_prog *compile_script(ks_arena *ar, const char *script, char *err, size_t errn,
                                     int depth)
{
    const char *argv[3] = {"sh", "-c", script};
    if (!script) {
        snprintf(err, errn, "out of memory");
        return NULL;
    }
    return compile(ar, argv, 3, NULL, 0, err, errn, depth);
}
