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
#define QUOTE_OPEN '\x03'        /* a quoted part of a word begins: what */
#define QUOTE_CLOSE '\x04'       /* expands inside is not split into fields */
#define FIELD_SEP '\x05'         /* (expanded words) where fields split */
#define MAX_SUBST_DEPTH 4         /* $(...) inside $(...), this deep */
#define PIPE_BUF_SIZE 8192        /* what one stage of a pipe hands the next */
#define KSI_SH_SAID '\x01'        /* run->unset_name: a fatal expansion error, said */

/* What a command substitution's commands print. */
typedef struct ks_shell_capture {
    char *buf;
    size_t n, len;
} ks_shell_capture;

typedef enum {
    OP_CMD, OP_JUMP, OP_JUMP_IF_OK, OP_JUMP_IF_FAIL,
    OP_ASSIGN,                    /* NAME=VALUE ... (argv) */
    OP_FOR_INIT,                  /* for: loop's counter to 0 */
    OP_FOR_NEXT,                  /* for: next word into var, or jump to target */
    OP_PIPE,                      /* a | b | c: stages, each an OP_CMD */
    OP_NOP,                       /* a compound's place for a redirection */
    OP_OUT_PUSH,                  /* { ...; } > FILE, done >> FILE: output to redirect */
    OP_OUT_POP,
    OP_IN_PUSH,                   /* done < FILE, done <<EOF: standard input from input */
    OP_IN_POP,
    OP_LOOP_ZERO,                 /* while/until: no body run yet (status 0)... */
    OP_LOOP_SAVE,                 /* ...the body's status, kept... */
    OP_LOOP_END,                  /* ...is the loop's (POSIX 2.9.4.3) */
    OP_CASE,                      /* case: argv[0] the word, the rest patterns: status 0
                                     when one matches (none: 0, the no-match end) */
    OP_SUB_PUSH,                  /* ( ... ), cmd | while ...: a subshell begins (its
                                     OP_SUB_POP at target: exit and set -e end there)... */
    OP_SUB_POP,                   /* ...and ends: what it changed is undone */
    OP_FUNC,                      /* NAME() BODY: name defined, its body at the next op;
                                     target: after its OP_RETURN */
    OP_RETURN,                    /* the end of a function's body */
    OP_ZERO                       /* an if none of whose branches ran: status 0 */
} ksi_sh_op_kind;

typedef struct ksi_sh_op {
    ksi_sh_op_kind kind;
    size_t target;                /* jumps */
    const char **argv;            /* OP_CMD */
    size_t argc;
    const char *redirect;         /* > file, or NULL */
    bool append;                  /* >> */
    const char *input;            /* < file, <<< word (herestring), a here-document's
                                     text (heredoc), or NULL */
    bool herestring;
    bool heredoc;
    bool cond;                    /* a condition (if, while, left of && ||): set -e
                                     does not stop at its failure (POSIX 2.8.1, set -e) */
    bool err_null;                /* 2>/dev/null */
    bool err_out;                 /* 2>&1 */
    bool out_err;                 /* >&2 */
    const char *err_to;           /* 2> FILE, 2>> FILE (err_append), or NULL */
    const char *text;             /* OP_FUNC: the definition as written (NULL: unknown) */
    bool err_append;
    bool into_stdin;              /* OP_PIPE: its output is the standard input of the
                                     compound after it (cmd | while read ...) */
    size_t loop;                  /* OP_FOR_*: its counter in the run */
    const char *var;              /* OP_FOR_NEXT: the loop variable */
    size_t nassign;               /* OP_CMD: argv's first nassign words are
                                     NAME=value for this command only */
    const char *name;             /* OP_CMD: the command's name as written,
                                     without quotes (kubesim check) */
    struct ksi_sh_op *stages;     /* OP_PIPE */
    size_t nstages;
    /* Set on the copy run_cmd runs, for a command of the script itself (not
     * a stage of a pipe, not $(...)): a program that works before it prints
     * (perl's bpi) may wait first -- *hold = true, its time in its sleep,
     * nothing printed -- and runs again after it, with waited true. */
    bool *hold;
    bool waited;
    unsigned line;                /* OP_CMD: its line in the script (ash's errlinno; 0:
                                     none, the exec form) */
} ksi_sh_op;

struct ks_shell_prog {
    ksi_sh_op *ops;
    size_t nops;
    const char *arg0;             /* sh -c SCRIPT ARG0 ARGS...: $0 (else the shell's name) */
    const char **params;          /* ARGS: $1... */
    size_t nparams;
    ks_shell_prog **subs;         /* its command substitutions, compiled */
    size_t nsubs;
    const char *notes[8];         /* what it runs otherwise than sh (ks_shell_notes) */
    size_t nnotes;
    bool errexit, xtrace, nounset;   /* sh -e -c, -x, -u: set -e, -x, -u from the start */
    bool bash;                    /* bash -c SCRIPT: bash's (kubesim runs it as sh) */
    ks_arena *ar;                 /* where it was compiled: its runs' loop inputs too */
    const char **funcs;           /* the functions it defines (kubesim check: no command) */
    size_t nfuncs;
    size_t loops_end;             /* its loops' counters are below this one */
    bool sources;                 /* it (or a $(...) of it) runs . FILE or source FILE */
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
/* in expanded and split into fields (POSIX 2.6.5: what an unquoted
 * expansion gives is split at blanks and newlines; an unquoted word that
 * expands to nothing is no field): at most max fields into argv, their
 * text in buf (n bytes, *used of them taken). Returns how many. */
size_t ksi_sh_fields(const char *in, const ksi_sh_scope *sc, int status, char *buf, size_t n,
                     size_t *used, const char **argv, size_t max);
/* NAME (nlen bytes of name) = value, in the script's variables
 * (ks_shell_scope.c). */
void ksi_sh_set_var(ks_shell_run *run, const char *name, size_t nlen, const char *value);
/* A read of $RANDOM (busybox ash change_random): 0..32767 as digits, a new
 * draw each read -- busybox's own generator once RANDOM=N (or the
 * environment's RANDOM) seeded it, else one draw of io->random
 * (ks_shell_scope.c). */
const char *ksi_sh_random(ks_shell_run *run, const ks_shell_io *io);

/* $((text)): its value; false with *err ("divide by zero") when it cannot
 * be computed. Names are variables (lookup; unset: 0). */
bool ksi_sh_arith(const char *text, const char *(*lookup)(void *ud, const char *name), void *ud,
                  long *out, const char **err);

/* Runs one simple command, its words expanded; returns its status; *sleep
 * > 0 for sleep; *exit_now for exit (status -1: exit with $?). */
int ksi_sh_builtin(const ksi_sh_op *o, const ks_shell_io *io, ks_time *sleep, bool *exit_now);

/* Output to the command's stdout (a pipe's next stage, a $(...), the
 * log) and to its stderr (ks_shell_out.c). */
void ksi_sh_say(const ks_shell_io *io, const char *line);
void ksi_sh_complain(const ks_shell_io *io, const char *line);
/* Text with newlines to o's redirect file, or line by line to stdout. */
void ksi_sh_emit_text(const ks_shell_io *io, const ksi_sh_op *o, const char *text);
/* The command's environment: `X=1 cmd`'s assignments, then io's. */
const char *ksi_sh_getenv(const ks_shell_io *io, const char *name);
/* n bytes of s onto buf (cap bytes, *len used), as many as fit, '\0' after. */
void ksi_sh_append(char *buf, size_t cap, size_t *len, const char *s, size_t n);

/* busybox's usage text for an applet (lines: "Usage: APPLET ...", ...,
 * NULL) after its banner, on stderr, as bb_show_usage prints it. */
void ksi_sh_usage(const ks_shell_io *io, const char *const *lines);

/* Subshells and functions (ks_shell_scope.c). The script ends with status
 * (exit, set -e, a fatal error), or its innermost subshell does. */
void ksi_sh_leave(ks_shell_run *run, int status);
/* OP_SUB_PUSH / OP_SUB_POP: what a subshell may change kept, put back. */
void ksi_sh_subshell(ks_shell_run *run, const ksi_sh_op *o);
/* OP_FUNC (defines it), OP_RETURN (back to its caller). */
void ksi_sh_function(ks_shell_run *run, const ksi_sh_op *o);
/* argv[0] a function of the script: its frame made, run->jump set; a
 * return or local inside one. Returns the status, or -2 when argv is none
 * of these. */
int ksi_sh_call(ks_shell_run *run, const ksi_sh_op *o, const ks_shell_io *io,
                const char *const *argv, size_t argc);

/* The script's own builtins (ks_shell_set.c): set, export, unset, readonly,
 * read, shift, exec's redirection-only form; argv expanded. Returns the
 * status (-1: a fatal error: sh exits 2), or -2 when argv[0] is none of them. */
int ksi_sh_state(ks_shell_run *run, const ksi_sh_op *o, const ks_shell_io *io,
                 const char *const *argv, size_t argc);
/* set -x: "+ WORDS" on stderr as busybox ash prints them (evalcommand). */
void ksi_sh_trace(const ks_shell_io *io, const char *const *assign, size_t nassign,
                  const char *const *argv, size_t argc);
/* The run's current standard input for a command without its own (a
 * loop's < FILE or pipe; NULL: none), and consumes one line of it for read
 * into line (false at its end). */
const char *ksi_sh_run_input(const ks_shell_run *run);
bool ksi_sh_read_line(ks_shell_run *run, const char **text, char *line, size_t n);
/* The command's standard input as stdin_of gives it (ks_shell_run.c). */
const char *ksi_sh_stdin_of(const ksi_sh_op *o, const ks_shell_run *run, const ks_shell_io *io,
                            char *buf, size_t n, int *st);

/* A run of prog begins: ks_shell_start without the table of the files .
 * compiled (a $(...) shares its shell's). */
void ksi_sh_begin(ks_shell_run *run, const ks_shell_prog *prog);

/* . FILE [ARGS], source FILE (ks_shell_source.c): the file's program runs
 * next in the script's own state (run->jump set); returns the status (-1:
 * a fatal error, sh exits 2), or -2 when argv[0] is neither. */
int ksi_sh_source(ks_shell_run *run, const ksi_sh_op *o, const ks_shell_io *io,
                  const char *const *argv, size_t argc);
/* An empty table of the files . compiled, in ar (NULL: out of memory). */
struct ksi_sh_sourced *ksi_sh_sourced_new(ks_arena *ar);
/* The file . runs has ended (its program's end, or return): back to the
 * program that ran it. */
void ksi_sh_source_end(ks_shell_run *run);

/* test WORDS, [ WORDS ] (without the ]), as busybox's test applet
 * (ks_shell_test.c): 0 true, 1 false, 2 an error (said in its words). */
int ksi_sh_test(const ks_shell_io *io, const char *const *words, size_t n);

/* The busybox applets that read text (ks_shell_text.c): cat, grep, wc,
 * head, tail, cut, tr, sort, uniq on their files or standard input. Returns
 * the exit status, or -1 when cmd is none of them. */
int ksi_sh_text(const ksi_sh_op *o, const ks_shell_io *io);
/* ls and find (ks_shell_files.c), on what the container's volumes hold;
 * -1 when cmd is neither. */
int ksi_sh_files(const ksi_sh_op *o, const ks_shell_io *io);
/* date, wget, curl (ks_shell_net.c); -1 when cmd is none of them. *sleep
 * gets what a request took. */
int ksi_sh_net(const ksi_sh_op *o, const ks_shell_io *io, ks_time *sleep);
/* perl, in an image that has it (ks_shell_perl.c): the Kubernetes docs'
 * pi Job's `print bpi(N)` and a few statements; -1 when cmd is not perl or
 * the image has none. *sleep gets what it takes. */
int ksi_sh_perl(const ksi_sh_op *o, const ks_shell_io *io, ks_time *sleep);

#endif
