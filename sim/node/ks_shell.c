/* ks_shell.c -- a tiny sh, compiled to a flat list of operations so a run
 * can stop at any sleep and resume later (see ks_shell.h).
 *
 * Grammar (a subset of POSIX sh):
 *   list     := and_or ((';' | '\n') and_or)*
 *   and_or   := command (('&&' | '||') command)*
 *   pipeline := command ('|' command)*    (a compound only last: cmd | while ...)
 *   command  := compound redirect*
 *             | word+ redirect*
 *   compound := ('while' | 'until') list 'do' list 'done'
 *             | '(' list ')'
 *             | 'for' NAME ['in' word*] 'do' list 'done'
 *             | 'if' list 'then' list ('elif' list 'then' list)* ['else' list] 'fi'
 *             | '{' list '}'
 *   redirect := ('>' | '>>' | '<' | '<<<') word | '<<' WORD | 2>/dev/null | 2>&1 | >&2
 * Compiled: a command is OP_CMD; `a && b` is a, JUMP_IF_FAIL end, b;
 * `a || b` is a, JUMP_IF_OK end, b; a loop is cond, JUMP_IF_FAIL out, body,
 * JUMP cond; a compound's redirections are OP_IN_PUSH/OP_OUT_PUSH before it
 * (in two OP_NOP places kept for them) and their POPs after it. The
 * tokenizer is ks_shell_lex.c; a program made from a container's command
 * (sh's options, the exec form) is ks_shell_compile.c's.
 */
#include "ks_shell.h"
#include "internal/shell_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ksi_sh_op_kind op_kind;
typedef ksi_sh_op op;
typedef ksi_sh_parser parser;
typedef ksi_sh_tok tok;
#define fail ksi_sh_fail
#define push_tok ksi_sh_push_tok



/* ---- compile ----------------------------------------------------------------------- */
static size_t emit(parser *p, op_kind k)
{
    if (p->nops >= MAX_OPS) {
        fail(p, "script too long");
        return 0;
    }
    memset(&p->ops[p->nops], 0, sizeof p->ops[0]);
    p->ops[p->nops].kind = k;
    p->ops[p->nops].cond = p->cond > 0;
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
 * its branch when it fails; each branch jumps to the end. No else: the
 * last condition's failure ends at an OP_ZERO (XCU 2.9.4.4: an if that
 * runs no branch has status 0; `sh -ec 'if false; then :; fi'` exits 0). */
static bool parse_if(parser *p)
{
    size_t ends[32], nends = 0, k;
    bool otherwise = false;
    p->pos++;                                   /* if or elif */
    for (;;) {
        size_t skip;
        bool ok;
        p->cond++;
        ok = parse_list(p, "then");
        p->cond--;
        if (!ok)
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
            otherwise = true;
            if (!parse_list(p, "fi"))
                return false;
        }
        if (!is_word(peek(p), "fi"))
            return fail(p, "syntax error: 'then' without 'fi'");
        p->pos++;
        break;
    }
    if (!otherwise)
        emit(p, OP_ZERO);
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

const char **ksi_sh_copy_words(parser *p, const char *const *words, size_t n)
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
        return fail(p, "too many loops");
    loop = p->nloops++;
    init = emit(p, OP_FOR_INIT);
    next = emit(p, OP_FOR_NEXT);
    if (p->failed)
        return false;
    p->ops[init].loop = p->ops[next].loop = loop;
    p->ops[next].var = name;
    p->ops[next].argc = n;
    if (!(p->ops[next].argv = ksi_sh_copy_words(p, words, n)))
        return false;
    if (!parse_list(p, "done"))
        return false;
    if (!is_word(peek(p), "done"))
        return fail(p, "syntax error: 'do' without 'done'");
    p->pos++;
    p->ops[emit(p, OP_JUMP)].target = next;
    p->ops[next].target = p->nops;
    return !p->failed;
}

static bool is_redirect(const tok *t)
{
    return t->kind == T_GT || t->kind == T_GTGT || t->kind == T_LT || t->kind == T_HERESTR
           || t->kind == T_HEREDOC || t->kind == T_ERR_NULL || t->kind == T_ERR_OUT
           || t->kind == T_OUT_ERR || t->kind == T_ERR_TO || t->kind == T_ERR_APPEND;
}

/* A command's redirections into o: > >> FILE (redirect), < FILE, <<< WORD,
 * <<WORD (input), 2>/dev/null, 2>&1, >&2. compound: those of a loop, an if
 * or a group, where kubesim's sh runs only > >> < <<< <<. */
static bool parse_redirects(parser *p, op *o, bool compound)
{
    while (is_redirect(peek(p))) {
        ksi_sh_tok_kind k = peek(p)->kind;
        p->pos++;
        if (k == T_ERR_NULL || k == T_ERR_OUT || k == T_OUT_ERR) {
            if (compound)
                return fail(p, "2>/dev/null, 2>&1 or >&2 on a loop, an if or a { } group is "
                               "not supported by kubesim's shell");
            o->err_null = o->err_null || k == T_ERR_NULL;
            o->err_out = o->err_out || k == T_ERR_OUT;
            o->out_err = o->out_err || k == T_OUT_ERR;
            continue;
        }
        if (k == T_ERR_TO || k == T_ERR_APPEND) {   /* 2> FILE, 2>> FILE */
            if (compound)
                return fail(p, "2> FILE on a loop, an if or a { } group is not supported by "
                               "kubesim's shell");
            if (peek(p)->kind != T_WORD)
                return fail(p, "syntax error: a file name must follow a redirection");
            o->err_to = p->toks[p->pos++].word;
            o->err_append = k == T_ERR_APPEND;
            continue;
        }
        if (k == T_HEREDOC) {
            o->input = p->toks[p->pos - 1].word;   /* the document's text */
            o->heredoc = true;
            o->herestring = false;
            continue;
        }
        if (peek(p)->kind != T_WORD)
            return fail(p, k == T_HERESTR ? "syntax error: a word must follow '<<<'"
                                          : "syntax error: a file name must follow a "
                                            "redirection");
        if (k == T_LT || k == T_HERESTR) {
            o->input = p->toks[p->pos++].word;   /* < file, <<< word: standard input */
            o->herestring = k == T_HERESTR;
            o->heredoc = false;
        } else {
            o->append = k == T_GTGT;
            o->redirect = p->toks[p->pos++].word;
        }
    }
    return true;
}

/* while/until LIST do LIST done */
static bool parse_while(parser *p)
{
    size_t cond, exit_jump, loop;
    bool until = is_word(peek(p), "until");
    bool ok;
    p->pos++;
    if (p->nloops >= KS_SHELL_LOOPS)
        return fail(p, "too many loops");
    loop = p->nloops++;
    p->ops[emit(p, OP_LOOP_ZERO)].loop = loop;
    cond = p->nops;
    p->cond++;
    ok = parse_list(p, "do");
    p->cond--;
    if (!ok)
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
    p->ops[emit(p, OP_LOOP_SAVE)].loop = loop;
    p->ops[emit(p, OP_JUMP)].target = cond;
    p->ops[exit_jump].target = p->nops;
    p->ops[emit(p, OP_LOOP_END)].loop = loop;
    return !p->failed;
}

static bool starts_compound(const tok *t)
{
    return t->kind == T_LPAREN || is_word(t, "if") || is_word(t, "for") || is_word(t, "while") || is_word(t, "until")
           || is_word(t, "{") || is_word(t, "case");
}

/* A case item's patterns up to its ')': "a|b)" comes as a, |, b, ) (the
 * tokenizer's pipe and parenthesis); "(a)" has POSIX's optional '('. */
static bool case_patterns(parser *p, const char **pats, size_t *np)
{
    if (peek(p)->kind == T_LPAREN)              /* (a) b): POSIX's optional ( */
        p->pos++;
    for (;;) {
        if (peek(p)->kind != T_WORD)
            return fail(p, "syntax error: a case pattern was expected");
        if (*np < MAX_WORDS - 1)
            pats[(*np)++] = p->toks[p->pos].word;
        p->pos++;
        if (peek(p)->kind == T_RPAREN) {
            p->pos++;
            return true;
        }
        if (peek(p)->kind != T_PIPE)
            return fail(p, "syntax error: a case pattern must end with ')'");
        p->pos++;
    }
}

/* case WORD in PATTERN[|PATTERN]...) LIST ;; ... esac (XCU 2.9.4.3): each
 * item an OP_CASE (its word and patterns: status 0 when one matches, as
 * fnmatch), JUMP_IF_FAIL to the next item, its list, JUMP to the end; no
 * item matching: status 0. */
static bool parse_case(parser *p)
{
    const char *pats[MAX_WORDS];
    size_t ends[64], nends = 0, k, at;
    const char *word;
    p->pos++;
    if (peek(p)->kind != T_WORD)
        return fail(p, "syntax error: 'case' without a word");
    word = p->toks[p->pos++].word;
    while (peek(p)->kind == T_SEMI)
        p->pos++;
    if (!is_word(peek(p), "in"))
        return fail(p, "syntax error: 'case' without 'in'");
    p->pos++;
    for (;;) {
        size_t np = 1, skip;
        while (peek(p)->kind == T_SEMI)
            p->pos++;
        if (is_word(peek(p), "esac"))
            break;
        if (peek(p)->kind == T_END)
            return fail(p, "syntax error: 'case' without 'esac'");
        pats[0] = word;
        if (!case_patterns(p, pats, &np))
            return false;
        at = emit(p, OP_CASE);
        skip = emit(p, OP_JUMP_IF_FAIL);
        if (p->failed || !(p->ops[at].argv = ksi_sh_copy_words(p, pats, np)))
            return false;
        p->ops[at].argc = np;
        p->ops[at].cond = true;
        if (!parse_list2(p, "esac", NULL, NULL))
            return false;
        if (nends >= 64)
            return fail(p, "too many case items");
        ends[nends++] = emit(p, OP_JUMP);
        p->ops[skip].target = p->nops;
        if (peek(p)->kind == T_DSEMI)
            p->pos++;
        else if (!is_word(peek(p), "esac"))
            return fail(p, "syntax error: a case item must end with ';;'");
    }
    p->pos++;                                   /* esac */
    emit(p, OP_CASE);                           /* no item matched: 0 */
    for (k = 0; k < nends; k++)
        p->ops[ends[k]].target = p->nops;
    return !p->failed;
}

static bool parse_command(parser *p);

/* A subshell around a list (( LIST )) or a command (the last stage of a
 * pipe): OP_SUB_PUSH, its target the OP_SUB_POP where exit and set -e
 * inside it end up, ..., OP_SUB_POP. */
static bool subshell(parser *p, bool list)
{
    size_t push = emit(p, OP_SUB_PUSH);
    bool ok;
    if (p->failed)
        return false;
    if (++p->subs_open > KS_SHELL_SUBS)
        return fail(p, "subshells nested this deep are not supported by kubesim's shell");
    ok = list ? parse_list(p, NULL) : parse_command(p);
    p->subs_open--;
    if (!ok)
        return false;
    p->ops[push].target = emit(p, OP_SUB_POP);
    return !p->failed;
}

/* A loop, an if or a { } group, and its redirections: they take effect
 * before it runs (OP_IN_PUSH, OP_OUT_PUSH in the two places kept for them)
 * and end after it (POSIX XCU 2.9.4: a compound command's redirections
 * apply to all of it). */
static bool parse_compound(parser *p)
{
    size_t slot = emit(p, OP_NOP);
    bool ok;
    op r;
    emit(p, OP_NOP);
    if (p->failed)
        return false;
    if (is_word(peek(p), "if"))
        ok = parse_if(p);
    else if (is_word(peek(p), "for"))
        ok = parse_for(p);
    else if (is_word(peek(p), "case"))
        ok = parse_case(p);
    else if (peek(p)->kind == T_LPAREN) {
        p->pos++;
        ok = subshell(p, true);
        if (ok && peek(p)->kind != T_RPAREN)
            return fail(p, "syntax error: '(' without ')'");
        p->pos++;
    } else if (is_word(peek(p), "{")) {
        p->pos++;
        ok = parse_list(p, "}");
        if (ok && !is_word(peek(p), "}"))
            return fail(p, "syntax error: '{' without '}'");
        p->pos++;
    } else
        ok = parse_while(p);
    if (!ok)
        return false;
    memset(&r, 0, sizeof r);
    if (!parse_redirects(p, &r, true))
        return false;
    if (r.input) {
        p->ops[slot] = r;
        p->ops[slot].kind = OP_IN_PUSH;
        p->ops[slot].redirect = NULL;
    }
    if (r.redirect) {
        p->ops[slot + 1] = r;
        p->ops[slot + 1].kind = OP_OUT_PUSH;
        p->ops[slot + 1].input = NULL;
        p->ops[slot + 1].target = emit(p, OP_OUT_POP);   /* where it goes when it fails */
    }
    if (r.input)
        emit(p, OP_IN_POP);
    return !p->failed;
}

/* NAME() COMPOUND (XCU 2.9.5): OP_FUNC (NAME defined when it runs, its
 * target after the body), the compound, OP_RETURN. */
static bool parse_function(parser *p, const char *word)
{
    const char *name = ksi_sh_unquoted(p, word), *eq = strchr(name, '=');
    const char *from = p->pos ? p->toks[p->pos - 1].at : NULL, *to;
    size_t at, k;
    p->pos++;
    if (eq && eq > name && is_name(name, (size_t)(eq - name - (eq[-1] == '+')))) {
        /* NAME=(a b c), NAME+=(d): a bash array. ash: NAME= is an
           assignment, the ( unexpected; NAME+= a word, taken as a
           function's name (simplecmd, raise_error_unexpected_syntax) */
        char buf[200];
        int nlen = (int)(eq - name - (eq[-1] == '+'));
        if (p->bash)
            snprintf(buf, sizeof buf, "bash arrays (%.*s=(...)) are not supported by kubesim's "
                                      "shell, which runs bash scripts as busybox sh", nlen, name);
        else
            snprintf(buf, sizeof buf, "syntax error: unexpected %s\nkubesim: %.*s=(...) is a "
                                      "bash array; sh (busybox ash) has no arrays",
                     eq[-1] == '+' ? "word (expecting \")\")" : "\"(\"", nlen, name);
        return fail(p, buf);
    }
    if (peek(p)->kind != T_RPAREN)
        return fail(p, "syntax error: unexpected word (expecting \")\")");   /* ash simplecmd */
    p->pos++;
    while (peek(p)->kind == T_SEMI)
        p->pos++;
    if (!is_name(name, strlen(name)) || !starts_compound(peek(p)))
        return fail(p, "syntax error: a function's body must be a compound command "
                       "(NAME() { ...; })");
    if (p->in_func)
        return fail(p, "a function defined inside a function is not supported by kubesim's "
                       "shell");
    for (k = 0; k < p->nfuncs && strcmp(p->funcs[k], name) != 0; k++) {
    }
    if (k == KS_SHELL_FUNCS)
        return fail(p, "more than 8 functions are not supported by kubesim's shell");
    p->funcs[k] = name;
    p->nfuncs += k == p->nfuncs;
    at = emit(p, OP_FUNC);
    if (p->failed)
        return false;
    p->ops[at].name = name;
    p->in_func = true;
    if (!parse_compound(p))
        return false;
    p->in_func = false;
    to = peek(p)->at;                 /* the definition's text: an interactive sh keeps it */
    if (from && to && to > from) {
        while (to > from && strchr(" \t\n;", to[-1]))
            to--;
        p->ops[at].text = ks_arena_strndup(p->ar, from, (size_t)(to - from));
    }
    emit(p, OP_RETURN);
    p->ops[at].target = p->nops;
    return !p->failed;
}

/* The line of the script at (a token's start) is on, from 1 (0: not in
 * the script's text). */
static unsigned line_of(const parser *p, const char *at)
{
    unsigned line = 1;
    const char *s;
    if (!p->script || !at || at < p->script)
        return 0;
    for (s = p->script; s < at && *s; s++)
        line += *s == '\n';
    return line;
}

static bool parse_command(parser *p)
{
    const char *words[MAX_WORDS];
    size_t n = 0, at, nassign = 0;
    op *o;
    if (starts_compound(peek(p)))
        return parse_compound(p);
    /* keywords are keywords only where a command starts: `echo done` prints */
    while (peek(p)->kind == T_WORD) {
        if (n >= MAX_WORDS)
            return fail(p, "command too long");
        words[n++] = p->toks[p->pos++].word;
    }
    if (!n)
        return fail(p, "syntax error: a command was expected");
    if (n == 1 && peek(p)->kind == T_LPAREN)
        return parse_function(p, words[0]);
    while (nassign < n && is_assignment(words[nassign]))
        nassign++;
    if (nassign == n && !is_redirect(peek(p))) {
        at = emit(p, OP_ASSIGN);
        if (p->failed)
            return false;
        p->ops[at].argc = n;
        return (p->ops[at].argv = ksi_sh_copy_words(p, words, n)) != NULL;
    }
    if (nassign == n)
        return fail(p, "an assignment with a redirection is not supported by kubesim's shell");
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
    o->line = line_of(p, p->toks[p->pos - n].at);
    o->name = ksi_sh_unquoted(p, words[nassign]);
    if (strcmp(o->name, "exec") == 0 && n > nassign + 1) {
        o->name = ksi_sh_unquoted(p, words[nassign + 1]);   /* kubesim check: what exec runs */
        ksi_sh_note_exec(p, o->name);
    }
    else if (strcmp(o->name, "set") == 0)
        ksi_sh_note_set(p, words + nassign + 1, n - nassign - 1);
    if (!parse_redirects(p, o, false))
        return false;
    if (peek(p)->kind == T_WORD)
        return fail(p, "words after a redirection are not supported by kubesim's shell; "
                       "put the redirection last");
    return true;
}

/* The simple commands emitted since first, made the stages of one OP_PIPE. */
static bool make_pipe(parser *p, size_t first, bool into_stdin)
{
    size_t k, n = p->nops - first;
    op *stages;
    for (k = first; k < p->nops; k++)
        if (p->ops[k].kind != OP_CMD)
            return fail(p, "a loop, an if or an assignment in a pipe is not supported by "
                           "kubesim's shell (but last, as in cmd | while read LINE; do ...; "
                           "done)");
    if (!(stages = ks_arena_alloc(p->ar, n * sizeof *stages)))
        return fail(p, "out of memory");
    memcpy(stages, &p->ops[first], n * sizeof *stages);
    p->nops = first;
    first = emit(p, OP_PIPE);
    if (p->failed)
        return false;
    p->ops[first].stages = stages;
    p->ops[first].nstages = n;
    p->ops[first].into_stdin = into_stdin;
    return true;
}

/* command ('|' command)*: a pipe of simple commands is one OP_PIPE, its
 * stages the commands' OP_CMDs. A loop, an if or a group may be the last
 * stage (cmd | while read LINE; do ...; done): the OP_PIPE's output is its
 * standard input (OP_IN_POP after it). That stage is a subshell, as in
 * busybox ash and dash (OP_SUB_PUSH/POP around it): what it assigns is
 * lost when it ends. */
static bool parse_pipeline(parser *p)
{
    size_t first = p->nops;
    if (!parse_command(p))
        return false;
    if (peek(p)->kind != T_PIPE)
        return true;
    while (peek(p)->kind == T_PIPE) {
        p->pos++;
        while (peek(p)->kind == T_SEMI)       /* a newline may follow | */
            p->pos++;
        if (starts_compound(peek(p))) {
            if (!make_pipe(p, first, true) || !subshell(p, false))
                return false;
            emit(p, OP_IN_POP);
            if (peek(p)->kind == T_PIPE)
                return fail(p, "a loop, an if or a { } group in the middle of a pipe is not "
                               "supported by kubesim's shell");
            return !p->failed;
        }
        if (!parse_command(p))
            return false;
    }
    return make_pipe(p, first, false);
}

/* and_or: every pipeline but the last is a condition (set -e does not stop
 * at its failure, POSIX set -e). */
static bool parse_and_or(parser *p)
{
    size_t start = p->nops, k;
    if (!parse_pipeline(p))
        return false;
    while (peek(p)->kind == T_AND || peek(p)->kind == T_OR) {
        size_t j;
        for (k = start; k < p->nops; k++)
            p->ops[k].cond = true;
        j = emit(p, peek(p)->kind == T_AND ? OP_JUMP_IF_FAIL : OP_JUMP_IF_OK);
        p->pos++;
        while (peek(p)->kind == T_SEMI)       /* a newline may follow && */
            p->pos++;
        start = p->nops;
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
        if (peek(p)->kind == T_END || peek(p)->kind == T_RPAREN
            || is_stop(peek(p), stop1, stop2, stop3))
            return true;
        if (peek(p)->kind == T_DSEMI)           /* a case item's end */
            return stop1 && strcmp(stop1, "esac") == 0 ? true
                                                       : fail(p, "syntax error: ';;' outside "
                                                                 "a case");
        if (!parse_and_or(p))
            return false;
        if (peek(p)->kind != T_SEMI && peek(p)->kind != T_END && peek(p)->kind != T_DSEMI
            && peek(p)->kind != T_RPAREN && !is_stop(peek(p), stop1, stop2, stop3))
            return fail(p, "syntax error near an unexpected token");
    }
}

static bool parse_list(parser *p, const char *stop)
{
    return parse_list2(p, stop, NULL, NULL);
}

bool ksi_sh_parse(parser *p)
{
    if (p->failed || !parse_list(p, NULL))
        return false;
    if (peek(p)->kind != T_END)
        return fail(p, "syntax error: unexpected )");
    return true;
}
