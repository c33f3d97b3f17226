/* internal/shell.h -- what ks_shell.c (words, the compiler, the run) and
 * ks_shell_cmds.c (the commands it runs itself) share. */
#ifndef KSI_SHELL_H
#define KSI_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "../ks_shell.h"

#define MAX_WORDS 32
#define LITERAL_DOLLAR '\x01'     /* a quoted or escaped $: not expanded */

typedef enum { OP_CMD, OP_JUMP, OP_JUMP_IF_OK, OP_JUMP_IF_FAIL } ksi_sh_op_kind;

typedef struct ksi_sh_op {
    ksi_sh_op_kind kind;
    size_t target;                /* jumps */
    const char **argv;            /* OP_CMD */
    size_t argc;
    const char *redirect;         /* > file, or NULL */
    bool append;                  /* >> */
} ksi_sh_op;

/* Runs one simple command, its words expanded; returns its status; *sleep
 * > 0 for sleep; *exit_now for exit (status -1: exit with $?). */
int ksi_sh_builtin(const ksi_sh_op *o, const ks_shell_io *io, ks_time *sleep, bool *exit_now);

#endif
