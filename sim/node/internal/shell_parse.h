/* internal/shell_parse.h -- what sh's compiler (ks_shell.c) and its
 * tokenizer (ks_shell_lex.c) share. */
#ifndef KSI_SHELL_PARSE_H
#define KSI_SHELL_PARSE_H

#include "shell.h"

#define MAX_OPS 512
#define MAX_TOKENS 1024
#define MAX_NOTES 8               /* what kubesim check is told of one script */

typedef enum {
    T_WORD, T_SEMI, T_AND, T_OR, T_PIPE, T_GT, T_GTGT, T_LT, T_HERESTR,
    T_HEREDOC,                    /* <<WORD: word is the document's text, marked */
    T_ERR_NULL,                   /* 2>/dev/null: stderr dropped */
    T_ERR_OUT,                    /* 2>&1: stderr where stdout goes */
    T_OUT_ERR,                    /* >&2: stdout to stderr */
    T_ERR_TO, T_ERR_APPEND,       /* 2> FILE, 2>> FILE: the file is the next word */
    T_DSEMI,                      /* ;; (the end of a case item) */
    T_LPAREN, T_RPAREN,           /* ( ) */
    T_END
} ksi_sh_tok_kind;

typedef struct ksi_sh_tok {
    ksi_sh_tok_kind kind;
    const char *word;
    const char *at;               /* where it starts in the script's text */
} ksi_sh_tok;

typedef struct ksi_sh_parser {
    ks_arena *ar;
    ksi_sh_tok toks[MAX_TOKENS];
    size_t ntoks, pos;
    ksi_sh_op ops[MAX_OPS];
    size_t nops;
    char *err;
    size_t errn;
    bool failed;
    size_t nloops;                /* for loops so far */
    ks_shell_prog *subs[MAX_SUBSTS];
    size_t nsubs;
    int depth;                    /* $(...) inside $(...): how deep */
    int cond;                     /* inside an if's or a loop's condition */
    int subs_open;                /* subshells around what is parsed */
    const char *funcs[KS_SHELL_FUNCS];   /* the functions it defines */
    size_t nfuncs;
    bool in_func;                 /* inside a function's body */
    bool errexit, xtrace, nounset;   /* sh -e, sh -x, sh -u */
    bool bash;                    /* the script is bash's (bash -c): kubesim runs it as sh */
    const char *at;               /* the tokenizer's place: the next token starts there */
    const char *script;           /* the script's text (an op's line is counted from it) */
    const char *notes[MAX_NOTES]; /* what it runs otherwise than sh (set -u...) */
    size_t nnotes;
} ksi_sh_parser;

bool ksi_sh_fail(ksi_sh_parser *p, const char *msg);
/* w without its quote marks (a command's name as kubesim check shows it). */
const char *ksi_sh_unquoted(ksi_sh_parser *p, const char *w);
/* What kubesim check is told (ks_shell_notes.c): exec NAME of a program
 * sh has no command for, set's options it does not run. */
void ksi_sh_note_exec(ksi_sh_parser *p, const char *name);
void ksi_sh_note_set(ksi_sh_parser *p, const char *const *w, size_t n);
/* ...and ${NAME...} forms sh does not have (${A[0]}, ${A^^}) or kubesim
 * does not run (${A:1:2}, ${A/x/y}). */
void ksi_sh_note_params(ksi_sh_parser *p, const char *s);
/* ...and a function of the script called in a pipe or a $(...). */
void ksi_sh_note_functions(ksi_sh_parser *p);
/* The script's text into p's tokens (here-documents read at their line's end). */
bool ksi_sh_tokenize(ksi_sh_parser *p, const char *s);
bool ksi_sh_push_tok(ksi_sh_parser *p, ksi_sh_tok_kind k, const char *w);
/* The script's tokens parsed into p's ops (ks_shell.c's grammar): false
 * with p->err when they do not parse. */
bool ksi_sh_parse(ksi_sh_parser *p);
/* n words copied into p's arena (NULL: out of memory, said in p->err). */
const char **ksi_sh_copy_words(ksi_sh_parser *p, const char *const *words, size_t n);
/* A $(...)'s script, compiled as a program of its own. */
ks_shell_prog *ksi_sh_compile_script(ks_arena *ar, const char *script, char *err, size_t errn,
                                     int depth);
/* A file's text that `. FILE` runs in the shell's own state: its loops
 * numbered from loop_base on (the caller's counters stay its own). */
ks_shell_prog *ksi_sh_compile_sourced(ks_arena *ar, const char *text, size_t loop_base,
                                      char *err, size_t errn);

#endif
