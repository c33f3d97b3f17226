/* internal/shell.h -- what ks_shell.c (words, the compiler, the run) and
 * ks_shell_cmds.c (the commands it runs itself) share. */
#ifndef KSI_SHELL_H
#define KSI_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "../ks_shell.h"

#define MAX_WORDS 32
#define LITERAL_DOLLAR '\x01'     /* a quoted or escaped $: not expanded */
#define SUBST_MARK '\x02'         /* then 'A' + k: the output of the program's
                                     k-th command substitution */
#define MAX_SUBSTS 16

/* What a command substitution's commands print. */
typedef struct ks_shell_capture {
    char *buf;
    size_t n, len;
} ks_shell_capture;

typedef enum {
    OP_CMD, OP_JUMP, OP_JUMP_IF_OK, OP_JUMP_IF_FAIL,
    OP_ASSIGN,                    /* NAME=VALUE ... (argv) */
    OP_FOR_INIT,                  /* for: loop's counter to 0 */
    OP_FOR_NEXT                   /* for: next word into var, or jump to target */
} ksi_sh_op_kind;

typedef struct ksi_sh_op {
    ksi_sh_op_kind kind;
    size_t target;                /* jumps */
    const char **argv;            /* OP_CMD */
    size_t argc;
    const char *redirect;         /* > file, or NULL */
    bool append;                  /* >> */
    size_t loop;                  /* OP_FOR_*: its counter in the run */
    const char *var;              /* OP_FOR_NEXT: the loop variable */
} ksi_sh_op;

struct ks_shell_prog {
    ksi_sh_op *ops;
    size_t nops;
    ks_shell_prog **subs;         /* its command substitutions, compiled */
    size_t nsubs;
};

/* Where a word's names are looked up: the script's run, then io's env. */
typedef struct ksi_sh_scope {
    const ks_shell_run *run;
    const ks_shell_io *io;
} ksi_sh_scope;

/* in expanded into out (n bytes): parameters, $((...)), $(...); a quoted
 * or escaped $ stays. Returns out. */
const char *ksi_sh_expand(const char *in, const ksi_sh_scope *sc, int status, char *out,
                          size_t n);
/* NAME (nlen bytes of name) = value, in the script's variables. */
void ksi_sh_set_var(ks_shell_run *run, const char *name, size_t nlen, const char *value);

/* $((text)): its value; false with *err ("divide by zero") when it cannot
 * be computed. Names are variables (lookup; unset: 0). */
bool ksi_sh_arith(const char *text, const char *(*lookup)(void *ud, const char *name), void *ud,
                  long *out, const char **err);

/* Runs one simple command, its words expanded; returns its status; *sleep
 * > 0 for sleep; *exit_now for exit (status -1: exit with $?). */
int ksi_sh_builtin(const ksi_sh_op *o, const ks_shell_io *io, ks_time *sleep, bool *exit_now);

#endif
