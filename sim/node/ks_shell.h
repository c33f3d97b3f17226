/* ks_shell.h -- the tiny shell that busybox/alpine containers run.
 *
 * Enough of sh for what course manifests put in `command:`/`args:`: echo
 * (with > and >> into files), sleep, exit, true, false, touch, rm, cat,
 * ls and find (what lies in the container's volumes: ks_shell_files.c),
 * test (and [ ]: -e -f -z -n, = !=, -eq -ne -lt -le -gt -ge), ';', '&&',
 * '||', newlines, `while`/`until ...; do ...; done` and `for NAME in
 * WORDS; do ...; done` loops, `if ...; then ...; elif ...; else ...; fi`,
 * NAME=VALUE assignments, $((...)) arithmetic, $(...) command
 * substitution (its output, trailing newlines dropped), nslookup (through the
 * cluster's DNS), and the container's environment in words: $VAR,
 * ${VAR}, ${VAR:-default}, $?, and the positional parameters of
 * `sh -c SCRIPT ARG0 ARG1...`: $0, $1..$9, ${10}, $#, $@, $*, shift, and
 * `for NAME; do` over them (not inside single quotes), `. FILE` / `source
 * FILE` (ks_shell_source.c). Anything else is "sh: NAME: not found" with status 127,
 * as busybox says. A program runs in steps: each step runs until it sleeps
 * or exits, so the kubelet can put the sleeps on the event queue.
 * Depends on: ks_mem, ks_time.
 */
#ifndef KS_SHELL_H
#define KS_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ks_mem.h"
#include "core/ks_time.h"

typedef struct ks_shell_prog ks_shell_prog;

/* What the program does to the world: its output lines and its files
 * (which live in the container's layer or its volumes). */
typedef struct ks_shell_io {
    void *ud;
    void (*out)(void *ud, const char *line);
    /* Each returns 0, or why the kernel refused, as errno says it
     * (KS_SHELL_E*; ks_shell_strerror gives its words). */
    int (*write_file)(void *ud, const char *path, const char *text, bool append);
    int (*remove_file)(void *ud, const char *path);        /* ENOENT: no such file */
    /* What open(path, O_WRONLY | O_CREAT) would say, writing nothing: a
     * redirection's file is opened before its command runs (busybox ash
     * openredirect), touch's utimensat. NULL: 0. */
    int (*can_write)(void *ud, const char *path);
    const char *(*read_file)(void *ud, const char *path);  /* NULL: no such file */
    const char *(*getenv)(void *ud, const char *name);     /* NULL: unset */
    /* nslookup NAME: the DNS server's address, the name that answered and
     * its addresses (at most max: a headless Service has one A record per
     * ready pod); returns how many, 0: NXDOMAIN, KS_SHELL_NO_SERVER: no
     * DNS server answered (NULL: nothing resolves) */
    size_t (*resolve)(void *ud, const char *name, char server[64], char fqdn[300],
                      char addr[][64], size_t max);
    /* What goes to stderr (NULL: to out, as a container's log has both). */
    void (*err)(void *ud, const char *line);
    /* Whether the image has an applet beyond sh's own commands (nslookup,
     * wget: busybox has them, a debian image does not); NULL: it has. */
    bool (*has)(void *ud, const char *program);
    /* Runs a program of the image that sh has no command for (psql):
     * true with its exit status; false: there is no such program (NULL:
     * none). */
    bool (*program)(void *ud, const struct ks_shell_io *io, const char *const *argv,
                    size_t argc, int *status);
    /* The i-th variable of the environment (env, printenv): its name, value
     * in *value; NULL past the last (NULL: no listing). */
    const char *(*env_at)(void *ud, size_t i, const char **value);
    /* Set by the shell itself while it runs a command substitution $(...)
     * or a stage of a pipe: what would go to out is collected here instead. */
    struct ks_shell_capture *capture;
    /* Set by the shell: the command's standard input (the previous stage
     * of a pipe; NULL: empty, as a container's /dev/null). */
    const char *input;
    /* Set by the shell for `X=1 cmd`: NAME=value strings the command gets
     * in its environment over the container's. */
    const char *const *assign;
    size_t nassign;
    /* The simulated wall clock, seconds since the epoch (date); NULL: 0. */
    long long (*now)(void *ud);
    /* A request from this container, as wget/curl send it (the cluster's
     * DNS, the Service's endpoints, the pod that answers): the HTTP status
     * and its body in body (n bytes), *took what it took; or a negative
     * KS_SHELL_HTTP_*; addr gets the address tried. NULL: nothing answers
     * (as KS_SHELL_HTTP_NO_NAME). */
    int (*http)(void *ud, const char *method, const char *host, int port, const char *path,
                char *body, size_t n, char addr[64], ks_time *took);
    /* Set by the shell for 2>&1 and 2>/dev/null: what would go to stderr
     * is collected here instead. */
    struct ks_shell_capture *errcap;
    /* ls, find: every file under dir (absolute) as the container sees it,
     * each(arg, path) with its absolute path. Returns 1 when dir is a
     * directory at or under a volume mount (all of it is known), 0 when
     * there is no such directory there, -1 when dir is among the image's
     * own files, which kubesim does not simulate. NULL: as -1. */
    int (*list)(void *ud, const char *dir, void (*each)(void *arg, const char *path),
                void *arg);
    /* Set by the shell: a text applet that read its standard input (cat,
     * grep... with no file) sets *took_input, so the script's next command
     * finds that input used up, as after a real read(2) of a pipe. */
    bool *took_input;
    /* argv names the image's own main program (exec nginx -g 'daemon off;',
     * exec docker-entrypoint.sh postgres): true when the container's
     * process becomes it -- the script ends there and the image's program
     * runs as its entrypoint would start it (NULL: never). */
    bool (*become)(void *ud, const char *const *argv, size_t argc);
    /* $RANDOM: a draw of 0..32767 (the simulation's KS_RNG_SHELL stream, one
     * draw a read); NULL: busybox ash's own generator, seeded with 1. */
    unsigned (*random)(void *ud);
    /* $$: the shell's process id; 0: 1, the container's main process. */
    long pid;
} ks_shell_io;

/* The errno values the file callbacks return (Linux's numbers). */
#define KS_SHELL_ENOENT 2         /* no such file or directory */
#define KS_SHELL_EROFS 30         /* a read-only mount: readOnly: true, or a configMap,
                                     secret, downwardAPI or projected volume */

/* errno's words, as glibc's and musl's strerror give them. */
const char *ks_shell_strerror(int err);

#define KS_SHELL_HTTP_NO_NAME (-1)   /* the name does not resolve */
#define KS_SHELL_NO_SERVER ((size_t)-1) /* resolve: the DNS server does not answer */
#define KS_SHELL_HTTP_REFUSED (-2)   /* nothing listens / no endpoint */
#define KS_SHELL_HTTP_TIMEOUT (-3)   /* dropped (a policy, a node gone, no such port) */
#define KS_SHELL_HTTP_RESET (-4)     /* the server died under the request */

#define KS_SHELL_VARS 16          /* variables a script may assign */
#define KS_SHELL_LOOPS 16         /* for, while and until loops in one script */

typedef struct ks_shell_var {
    char name[32];
    char value[256];
    bool exported;                /* export NAME: in the environment of its commands */
    bool unset;                   /* unset NAME: hides the container's NAME too */
} ks_shell_var;

#define KS_SHELL_SET_ARGS 16      /* set -- ARGS: how many it keeps */
#define KS_SHELL_REDIRS 4         /* { ...; } > FILE, done > FILE: nested this deep */
#define KS_SHELL_INPUTS 2         /* done < FILE, cmd | while read: nested this deep */
#define KS_SHELL_INPUT_SIZE 8192  /* what one of them holds (a pipe's output, a file) */
#define KS_SHELL_SUBS 2           /* ( ... ), cmd | while ...: subshells nested this deep */

/* busybox ash's $RANDOM generator (shell/random.h random_t), once the
 * script seeds it (RANDOM=N, or RANDOM in the container's environment). */
typedef struct ks_shell_random {
    int32_t galois;               /* 0: not seeded (ash's UNINITED_RANDOM_T) */
    uint32_t lcg, x, y;
} ks_shell_random;

#define KS_SHELL_FUNCS 8          /* functions a script defines */
#define KS_SHELL_FRAMES 4         /* functions calling functions, this deep */
#define KS_SHELL_LOCALS 4         /* local NAME: in one function */

/* What a subshell may change and loses when it ends: the script's
 * variables, parameters, options, and how many redirections, loop inputs,
 * functions, calls and files of . are in effect (ksi_sh_subshell keeps it
 * whole at the subshell's start and puts it back at its end). */
typedef struct ks_shell_state {
    ks_shell_var vars[KS_SHELL_VARS];     /* assigned by the script (NAME=v, for) */
    size_t nvars;
    const char *arg0;             /* $0 */
    const char *const *params;    /* $1 ... ($@), after shift */
    size_t nparams;               /* $# */
    bool errexit;                 /* set -e */
    bool xtrace;                  /* set -x: "+ cmd" lines on stderr */
    bool pipefail;                /* set -o pipefail: a pipe fails when a stage does */
    bool nounset;                 /* set -u: an unset variable is a fatal error */
    size_t nredir;                /* run->redir in effect */
    size_t ninput;                /* run->input in effect */
    size_t nfuncs;                /* run->funcs defined */
    size_t nframes;               /* run->frames running */
    size_t nsources;              /* run->sources running */
} ks_shell_state;

/* A subshell: the state at its start; end: its OP_SUB_POP, in prog (exit
 * and set -e inside it go there). */
typedef struct ks_shell_sub {
    ks_shell_state saved;
    const ks_shell_prog *prog;
    size_t end;
} ks_shell_sub;

/* A function the script defined (NAME() { ...; }): its body's first op
 * and its OP_RETURN. */
typedef struct ks_shell_func {
    const char *name;
    const ks_shell_prog *prog;    /* the program its body is in (a file . read: its own) */
    const char *text;             /* NAME() { ...; } as written (NULL: unknown) */
    size_t start, end;
} ks_shell_func;

/* A function running: where it returns to, the caller's parameters, its
 * own ($1... from the call's words) and its local variables' old state. */
typedef struct ks_shell_frame {
    size_t ret, end;
    const ks_shell_prog *prog;    /* the caller's program (ret is an op of it) */
    const char *arg0;
    const char *const *params;
    size_t nparams;
    char buf[512];
    const char *args[KS_SHELL_SET_ARGS];
    ks_shell_var locals[KS_SHELL_LOCALS];   /* as they were before `local` */
    bool had[KS_SHELL_LOCALS];              /* ...whether the script had set it */
    size_t nlocals;
} ks_shell_frame;

#define KS_SHELL_SOURCES 4        /* . FILE inside . FILE, this deep */

/* A file that `. FILE [ARGS]` runs (busybox ash dotcmd): the program it
 * was called from and where it goes on there; with ARGS, the caller's
 * parameters (put back at its end) and the file's own. */
typedef struct ks_shell_source {
    const ks_shell_prog *prog;
    size_t ret;                   /* the op of prog + 1 after the . */
    size_t nframes;               /* functions running when it began (return: whose) */
    bool has_args;
    const char *arg0;
    const char *const *params;
    size_t nparams;
    char buf[256];
    const char *args[KS_SHELL_SET_ARGS];
} ks_shell_source;

struct ksi_sh_sourced;            /* the files . compiled (ks_shell_source.c) */

typedef struct ks_shell_run {
    const ks_shell_prog *prog;
    size_t pc;
    int status;                   /* $? */
    bool exited;
    ks_shell_state st;            /* what a subshell gets back at its end */
    size_t loop[KS_SHELL_LOOPS];  /* each for loop's next word */
    int lstatus[KS_SHELL_LOOPS];  /* each while loop's last body status */
    char setbuf[1024];            /* set -- ARGS: their text... */
    const char *setargs[KS_SHELL_SET_ARGS];   /* ...and the new $1... */
    char redir[KS_SHELL_REDIRS][256];         /* where a group's or loop's output goes */
    char *input[KS_SHELL_INPUTS];         /* a loop's standard input (at most
                                             KS_SHELL_INPUT_SIZE - 1 bytes)... */
    size_t inpos[KS_SHELL_INPUTS];        /* ...read this far */
    size_t incap[KS_SHELL_INPUTS];        /* input[i]'s size: made on first use in
                                             the program's arena, grown to need, kept
                                             for the run (a shell that never reads a
                                             loop's input costs no 2 x 8 KiB) */
    size_t follow_pc;             /* tail -f: its op + 1 (0: none)... */
    size_t follow_off;            /* ...and how much of its file it printed */
    bool hold;                    /* the command runs again after its sleep */
    size_t held_pc;               /* the op + 1 that ran and was held (0: none) */
    ks_shell_sub sub[KS_SHELL_SUBS];   /* the subshells it is in... */
    size_t nsub;                       /* ...how many */
    char unset_name[128];         /* set -u: this unset one was expanded (ash varunset; a name
                                     as long as expand reads one) */
    size_t stdin_used;            /* how much of the shell's standard input was read */
    ks_shell_func funcs[KS_SHELL_FUNCS];    /* the functions defined so far... */
    ks_shell_frame frames[KS_SHELL_FRAMES]; /* ...those running */
    size_t jump;                  /* a call or return: the op + 1 to go on at (0: none) */
    bool became;                  /* it ended as the image's main program (io->become) */
    ks_shell_random rnd;          /* $RANDOM after RANDOM=N (else io->random's draws) */
    bool rnd_env_seen;            /* the environment's RANDOM was looked at (first read) */
    bool rnd_off;                 /* unset RANDOM: a plain variable from then on */
    char rnd_text[8];             /* the last $RANDOM's digits */
    ks_shell_source sources[KS_SHELL_SOURCES];   /* the files . is running */
    struct ksi_sh_sourced *sourced;   /* the files it compiled, kept for the next . of the
                                         same text (made in the program's arena; a $(...)
                                         shares its shell's) */
} ks_shell_run;

/* Builds a program from a container's command and args (either may be
 * empty). With neither, the image's default (busybox: an interactive sh
 * with no input, which exits 0 at once). Returns NULL and a reason in err
 * when the script cannot be parsed (the container then exits 2, as sh). */
ks_shell_prog *ks_shell_compile(ks_arena *ar, const char *const *command, size_t ncommand,
                                const char *const *args, size_t nargs, char *err, size_t errn);

/* Starts a run. */
void ks_shell_start(ks_shell_run *run, const ks_shell_prog *prog);
/* Runs until the program sleeps (returns true, *sleep set) or exits
 * (returns false; run->status is the exit code; run->became: it became the
 * image's main program, which now runs in its place). */
bool ks_shell_step(ks_shell_run *run, const ks_shell_io *io, ks_time *sleep);

/* Whether name is a program every image with a shell has (coreutils, or
 * busybox's applets: ls, grep, ps...) that kubesim's sh does not run: it
 * says so on stderr and exits 127, never pretending the program is absent. */
bool ks_shell_unsimulated(const char *name);

/* Whether name is a builtin of sh (export, cd, set, trap...) that
 * kubesim's sh does not run: it says so on stderr, status 2. */
bool ks_shell_unrun_builtin(const char *name);

/* Whether name is a program kubesim's sh runs itself (echo, cat, sleep,
 * env...), which any image with sh has; or a shell (sh, bash, ash, a path
 * to one). */
bool ks_shell_runs(const char *name);
bool ks_shell_is_shell(const char *name);

/* The command names of a compiled program, in order, at most max (their
 * first word as written); returns how many. For `kubesim check`. */
size_t ks_shell_commands(const ks_shell_prog *prog, const char **out, size_t max);

/* ...and those of its command substitutions $(...), at any depth (their
 * output is a word of the script: a program there that kubesim's sh does
 * not run leaves it empty). */
size_t ks_shell_subst_commands(const ks_shell_prog *prog, const char **out, size_t max);

/* What kubesim's sh would run otherwise than sh in a compiled program
 * ("'set -u' (...)", each with what kubesim does instead), at most max;
 * returns how many. For `kubesim check`. */
size_t ks_shell_notes(const ks_shell_prog *prog, const char **out, size_t max);

/* The files a compiled program writes (a redirection's, touch's), in
 * order, at most max: only those written as a plain absolute path (no
 * expansion, no quotes, not /dev/...); returns how many. For `kubesim
 * check` (a write onto a read-only mount). */
size_t ks_shell_writes(const ks_shell_prog *prog, const char **out, size_t max);

/* Runs a one-off command line (an exec probe) to completion, ignoring
 * sleeps; returns its exit status. */
int ks_shell_exec(ks_arena *ar, const char *const *argv, size_t argc, const ks_shell_io *io);

#endif
