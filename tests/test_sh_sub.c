/* test_sh_sub.c -- the focus of this file: what kubesim's sh keeps and
 * loses across subshells and the shell's own standard input, as busybox ash
 * (shell/ash.c) does: the last stage of `cmd | while read` and ( LIST ) are
 * subshells (their variables, exit and set -e end with them), read takes
 * one line of the shell's input and leaves the rest to the next command,
 * set -u ends the script at an unset variable, a file cannot be made in a
 * directory that is not there, and functions run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "node/ks_shell.h"

/* A container with an emptyDir at /data (it holds /data/logs/a.log) and
 * the image's own files elsewhere. */
typedef struct box {
    char log[2048];               /* stdout and stderr, in order, a line each */
    char wrote[512];              /* the last file written: "PATH=TEXT" */
    char became[128];             /* the image's program that took over: "ARGV..." */
    unsigned draws;               /* $RANDOM's draws of the stream */
} box;

static bool no_stream;            /* sh() gives the shell no random stream */
static long shell_pid;            /* sh()'s io.pid */

/* The simulation's stream, as a counter: 5, 6, 7... */
static unsigned b_random(void *ud)
{
    box *b = ud;
    return 5 + b->draws++;
}

static void b_line(void *ud, const char *line)
{
    box *b = ud;
    size_t len = strlen(b->log);
    snprintf(b->log + len, sizeof b->log - len, "%s\n", line);
}

static int b_write(void *ud, const char *path, const char *text, bool append)
{
    box *b = ud;
    (void)append;
    snprintf(b->wrote, sizeof b->wrote, "%s=%s", path, text);
    return 0;
}

static int b_list(void *ud, const char *dir, void (*each)(void *arg, const char *path),
                  void *arg)
{
    (void)ud;
    if (strncmp(dir, "/data", 5) != 0 || (dir[5] && dir[5] != '/'))
        return -1;                /* not under the mount: the image's */
    if (strcmp(dir, "/data") == 0 || strcmp(dir, "/data/logs") == 0) {
        each(arg, "/data/logs/a.log");
        return 1;
    }
    return 0;
}

/* The image's own main program is nginx (its catalog entrypoint). */
static bool b_become(void *ud, const char *const *argv, size_t argc)
{
    box *b = ud;
    size_t i;
    if (strcmp(argv[0], "nginx") != 0 && strcmp(argv[0], "/docker-entrypoint.sh") != 0)
        return false;
    for (i = 0; i < argc; i++)
        snprintf(b->became + strlen(b->became), sizeof b->became - strlen(b->became), "%s%s",
                 i ? "|" : "", argv[i]);
    return true;
}

/* sh -c SCRIPT with input as its standard input (NULL: none) */
static int sh(box *b, const char *script, const char *input)
{
    static const char *const no_args[1];
    const char *argv[] = {"sh", "-c", script};
    ks_arena *ar = ks_arena_create(NULL);
    ks_shell_io io;
    ks_shell_prog *prog;
    ks_shell_run *r = ks_arena_alloc(ar, sizeof *r);
    char why[160];
    ks_time t;
    int steps = 0, status;
    memset(&io, 0, sizeof io);
    memset(b, 0, sizeof *b);
    io.ud = b;
    io.out = b_line;
    io.write_file = b_write;
    io.list = b_list;
    io.become = b_become;
    io.random = no_stream ? NULL : b_random;
    io.pid = shell_pid;
    io.input = input;
    prog = ks_shell_compile(ar, argv, 3, no_args, 0, why, sizeof why);
    if (!prog) {
        snprintf(b->log, sizeof b->log, "%s", why);
        ks_arena_destroy(ar);
        return -1;
    }
    ks_shell_start(r, prog);
    while (ks_shell_step(r, &io, &t) && steps++ < 50) {
    }
    status = r->status;
    ks_arena_destroy(ar);
    return status;
}

/* sub-1: `cmd | while read` runs its loop in a subshell (ash evalpipe forks
 * every stage, the last too): the classic counter stays 0 after it; exit
 * in it leaves the loop only */
static void test_pipe_loop_is_subshell(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "n=0; printf 'a\\nb\\n' | while read l; do n=$((n+1)); "
                            "echo \"in $n $l\"; done; echo \"after $n\"", NULL), 0);
    assert_string_equal(b.log, "in 1 a\nin 2 b\nafter 0\n");
    assert_int_equal(sh(&b, "echo x | while read l; do exit 3; done; echo \"st=$?\"", NULL),
                     0);
    assert_string_equal(b.log, "st=3\n");
    /* a pipe inside the loop reads its own stage, not the loop's input */
    assert_int_equal(sh(&b, "printf 'a:1\\nb:2\\n' | while read l; do echo \"$l\" | "
                            "cut -d: -f2; done", NULL), 0);
    assert_string_equal(b.log, "1\n2\n");
}

/* sub-2: ( LIST ): variables, cd-like state, exit and set -e stay inside
 * (XCU 2.9.4.1 "( compound-list ): executed in a subshell environment") */
static void test_paren_subshell(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "X=out; (X=in; echo \"$X\"; exit 4); echo \"$? $X\"", NULL), 0);
    assert_string_equal(b.log, "in\n4 out\n");
    assert_int_equal(sh(&b, "(set -e; false; echo never); echo \"st=$?\"; (echo a; echo b) | "
                            "wc -l", NULL), -1);
    assert_string_equal(b.log, "a loop, an if or an assignment in a pipe is not supported by "
                               "kubesim's shell (but last, as in cmd | while read LINE; do ...; "
                               "done)");
    assert_int_equal(sh(&b, "(set -e; false; echo never); echo \"st=$?\"", NULL), 0);
    assert_string_equal(b.log, "st=1\n");
    assert_int_equal(sh(&b, "set -e; (false); echo never", NULL), 1);
    assert_string_equal(b.log, "");
    assert_int_equal(sh(&b, "case a in (a) echo yes;; esac; echo )", NULL), -1);
    assert_string_equal(b.log, "syntax error: unexpected )");
}

/* sub-3: the shell's standard input: read takes its line (ash's read
 * builtin reads a byte at a time), the next command reads on; cat reads
 * to the end, so a read after it finds nothing (status 1) */
static void test_read_then_cat(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "read A; echo \"A=$A\"; cat", "first\nsecond\nthird\n"), 0);
    assert_string_equal(b.log, "A=first\nsecond\nthird\n");
    assert_int_equal(sh(&b, "read A; read B; echo \"$B\"; cat; read C; echo \"st=$? [$C]\"",
                        "1\n2\n3\n"), 0);
    assert_string_equal(b.log, "2\n3\nst=1 []\n");
    assert_int_equal(sh(&b, "read A; cat | wc -l", "1\n2\n3\n"), 0);
    assert_string_equal(b.log, "2\n");
}

/* sub-4: set -u / set -o nounset / sh -u: an unset parameter ends the
 * script with "sh: NAME: parameter not set", 2 (ash varunset); ${N:-x},
 * ${N+x} and ash's own variables are not errors; in $(...) only the
 * substitution's subshell ends */
static void test_nounset(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "set -u; echo \"${N:-d} ${N+x} $PWD\"; echo \"[$N]\"; echo never",
                        NULL), 2);
    assert_string_equal(b.log, "d  \nsh: N: parameter not set\n");
    assert_int_equal(sh(&b, "set -o nounset; echo \"$1\"", NULL), 2);
    assert_string_equal(b.log, "sh: 1: parameter not set\n");
    assert_int_equal(sh(&b, "set -u; X=$(echo $N); echo \"after [$X]\"; set +u; echo \"$N.\"",
                        NULL), 0);
    assert_string_equal(b.log, "sh: N: parameter not set\nafter []\n.\n");
    assert_int_equal(sh(&b, "(set -u; echo $N); echo \"st=$?\"", NULL), 0);
    assert_string_equal(b.log, "sh: N: parameter not set\nst=2\n");
}

/* sub-5: a file in a directory that is not there (busybox ash
 * openredirect: "can't create F: nonexistent directory", the command not
 * run, status 1); the image's own files: the root's directories (/tmp,
 * /var...) */
static void test_nonexistent_directory(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "echo x > /nope/f; echo \"st=$?\"", NULL), 0);
    assert_string_equal(b.log, "sh: can't create /nope/f: nonexistent directory\nst=1\n");
    assert_string_equal(b.wrote, "");
    /* under the mount every directory is taken as there (kubesim keeps no
       directories of a volume: a hostPath may have them) */
    assert_int_equal(sh(&b, "echo x >> /data/new/f; echo \"st=$?\"", NULL), 0);
    assert_string_equal(b.log, "st=0\n");
    assert_string_equal(b.wrote, "/data/new/f=x\n");
    assert_int_equal(sh(&b, "echo y > /tmp/f", NULL), 0);
    assert_string_equal(b.wrote, "/tmp/f=y\n");
    assert_int_equal(sh(&b, "for i in 1; do echo z; done > /opt2/f; echo \"st=$?\"", NULL), 0);
    assert_string_equal(b.log, "sh: can't create /opt2/f: nonexistent directory\nst=1\n");
    /* exec's redirection failing ends sh (a special builtin, XCU 2.8.1) */
    assert_int_equal(sh(&b, "exec > /nope/log; echo never", NULL), 2);
    /* /dev/stdout and /dev/stderr are the shell's own, no files */
    assert_int_equal(sh(&b, "echo out > /dev/stdout; echo err > /dev/stderr", NULL), 0);
    assert_string_equal(b.log, "out\nerr\n");
    assert_string_equal(b.wrote, "");
}

/* sub-6: functions (XCU 2.9.5; ash evalfun): defined when their definition
 * runs, $1... the call's words ($0 stays), $# theirs, return N, local
 * (ash's localcmd: back as it was after the return), exit ends the shell;
 * a function in a pipe's stage or in $(...) is said, 2 */
static void test_functions(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "log() { echo \"[$0] $# $1: $2\"; }\nlog info \"two words\"; "
                            "log; echo \"after $#\"", NULL), 0);
    assert_string_equal(b.log, "[sh] 2 info: two words\n[sh] 0 : \nafter 0\n");
    assert_int_equal(sh(&b, "check() {\n  if [ \"$1\" = ok ]; then return 0; fi\n  return 3\n"
                            "  echo never\n}\ncheck ok; echo \"a=$?\"; check no; echo \"b=$?\"; "
                            "check no || echo failed", NULL), 0);
    assert_string_equal(b.log, "a=0\nb=3\nfailed\n");
    assert_int_equal(sh(&b, "X=1; f() { local X=2 Y=3; echo \"in $X $Y\"; }; f; "
                            "echo \"out $X [${Y:-}]\"", NULL), 0);
    assert_string_equal(b.log, "in 2 3\nout 1 []\n");
    assert_int_equal(sh(&b, "wait_for() { n=0; until [ $n -ge $1 ]; do n=$((n+1)); done; "
                            "echo \"waited $n\"; }\nwait_for 3; die() { echo \"$*\" >&2; "
                            "exit 1; }\ndie bad thing; echo never", NULL), 1);
    assert_string_equal(b.log, "waited 3\nbad thing\n");
    assert_int_equal(sh(&b, "f() { echo hi; }; f | wc -l; X=$(f); echo \"[$X]\"", NULL), 0);
    assert_string_equal(b.log, "kubesim: the function f in a pipe or in $(...) is not run by "
                               "kubesim's sh\n0\nkubesim: the function f in a pipe or in $(...) "
                               "is not run by kubesim's sh\n[]\n");
    assert_int_equal(sh(&b, "g; g() { echo late; }; g", NULL), 0);
    assert_string_equal(b.log, "sh: g: not found\nlate\n");
}

/* sub-7: what kubesim check is told: a function is no command of the image
 * (nor are return and local in it); one called in $(...) is noted */
static void test_check_notes(void **state)
{
    const char *argv[] = {"sh", "-c", "f() { local A=1; return 0; }; f; X=$(f); f | wc -l"};
    const char *names[8];
    char why[160];
    ks_arena *ar = ks_arena_create(NULL);
    ks_shell_prog *prog = ks_shell_compile(ar, argv, 3, NULL, 0, why, sizeof why);
    size_t n;
    (void)state;
    assert_non_null(prog);
    n = ks_shell_commands(prog, names, 8);
    assert_int_equal(n, 2);                   /* the pipe's stages: f and wc */
    assert_string_equal(names[0], "f");
    assert_string_equal(names[1], "wc");
    n = ks_shell_notes(prog, names, 8);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "the function 'f' in a pipe or in $(...) (kubesim's sh says "
                                  "so there, status 2)");
    ks_arena_destroy(ar);
}

/* sub-8: a script that starts the image's own program (nginxinc/docker-nginx:
 * CMD ["nginx", "-g", "daemon off;"]) -- exec'd, by "$@", or waited for
 * without exec -- ends there: the program takes the process over, status 0,
 * nothing after it runs; another image's program is not found (127) */
static void test_exec_image_program(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "echo init > /tmp/ready && exec nginx -g 'daemon off;'; echo never",
                        NULL), 0);
    assert_string_equal(b.became, "nginx|-g|daemon off;");
    assert_string_equal(b.log, "");
    assert_int_equal(sh(&b, "set -- /docker-entrypoint.sh nginx -g 'daemon off;'; echo wrap; "
                            "exec \"$@\"", NULL), 0);
    assert_string_equal(b.became, "/docker-entrypoint.sh|nginx|-g|daemon off;");
    assert_string_equal(b.log, "wrap\n");
    assert_int_equal(sh(&b, "nginx -g 'daemon off;'; echo never", NULL), 0);
    assert_string_equal(b.became, "nginx|-g|daemon off;");
    assert_string_equal(b.log, "");
    assert_int_equal(sh(&b, "exec redis-server", NULL), 127);
    assert_string_equal(b.log, "sh: redis-server: not found\n");
    assert_string_equal(b.became, "");
}

/* sub-9: $RANDOM is a new draw each read, exactly one (a sleep's re-run
 * after it draws no second); RANDOM=N seeds busybox's own generator, whose
 * numbers these are (busybox 1.35 `sh -c 'RANDOM=1; echo $RANDOM $RANDOM
 * $RANDOM; RANDOM=42; echo $RANDOM'`); unset RANDOM makes it a plain
 * variable (ash change_random, shell/random.c) */
static void test_random(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "echo $RANDOM ${RANDOM} \"$RANDOM\"; echo $((RANDOM % 2))", NULL), 0);
    assert_string_equal(b.log, "5 6 7\n0\n");
    assert_int_equal(b.draws, 4);
    assert_int_equal(sh(&b, "sleep $((RANDOM % 3 + 1)); echo done", NULL), 0);
    assert_int_equal(b.draws, 1);
    assert_int_equal(sh(&b, "RANDOM=1; echo $RANDOM $RANDOM $RANDOM; RANDOM=42; echo $RANDOM",
                        NULL), 0);
    assert_string_equal(b.log, "9882 31274 32415\n20351\n");
    assert_int_equal(b.draws, 0);
    assert_int_equal(sh(&b, "unset RANDOM; echo \"[$RANDOM]\"; RANDOM=3; echo $RANDOM $RANDOM",
                        NULL), 0);
    assert_string_equal(b.log, "[]\n3 3\n");
    no_stream = true;                 /* no stream: ash's generator seeded with 1 */
    assert_int_equal(sh(&b, "echo $RANDOM", NULL), 0);
    assert_string_equal(b.log, "9882\n");
    no_stream = false;
}

/* sub-10: $$ is the shell's pid, the same in a subshell (ash rootpid): 1
 * as the container's process, io.pid for an exec'd shell; $! with no
 * background job is nothing (ash varvalue: backgndpid 0) */
static void test_pids(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "echo $$ \"[$!]\"; (echo $$); echo $(echo $$)", NULL), 0);
    assert_string_equal(b.log, "1 []\n1\n1\n");
    shell_pid = 7;
    assert_int_equal(sh(&b, "echo \"pid $$\"", NULL), 0);
    assert_string_equal(b.log, "pid 7\n");
    shell_pid = 0;
}

/* sub-11: bash arrays, in busybox ash's words (busybox 1.35: `sh -c
 * 'CRARGS=(a b c)'` says `sh: syntax error: unexpected "("`, exit 2; `echo
 * ${A[@]}` `syntax error: bad substitution`, 2, when it is expanded) and
 * kubesim's hint; kubernetes/examples' cockroachdb StatefulSet builds its
 * flags as CRARGS=(...) in bash -ecx, which kubesim runs as sh: it says so */
static void test_arrays(void **state)
{
    const char *bash[] = {"/bin/bash", "-ecx", "CRARGS=(start --logtostderr)"};
    const char *argv[] = {"sh", "-c", "echo ${A[@]} ${B:1:2}; echo ${C^^}"};
    const char *notes[8];
    char why[240];
    ks_arena *ar = ks_arena_create(NULL);
    ks_shell_prog *prog;
    box b;
    (void)state;
    assert_int_equal(sh(&b, "echo hi\nCRARGS=(a b c)", NULL), -1);
    assert_string_equal(b.log, "syntax error: unexpected \"(\"\nkubesim: CRARGS=(...) is a "
                               "bash array; sh (busybox ash) has no arrays");
    assert_int_equal(sh(&b, "A+=(d)", NULL), -1);
    assert_true(strncmp(b.log, "syntax error: unexpected word (expecting \")\")\n", 44) == 0);
    assert_int_equal(sh(&b, "f(x) { :; }", NULL), -1);
    assert_string_equal(b.log, "syntax error: unexpected word (expecting \")\")");
    assert_int_equal(sh(&b, "A='x y'; echo one; echo ${A[@]}; echo never", NULL), 2);
    assert_string_equal(b.log, "one\nsh: syntax error: bad substitution\nkubesim: ${NAME[...]} "
                               "is a bash array; sh (busybox ash) has no arrays\n");
    assert_int_equal(sh(&b, "A=hello; echo ${A^^}", NULL), 2);
    assert_string_equal(b.log, "sh: syntax error: bad substitution\n");
    assert_int_equal(sh(&b, "A=hello; echo ${A:1:2}", NULL), 2);
    assert_string_equal(b.log, "kubesim: ${A:1:2} (busybox sh's substring or replacement) is "
                               "not run by kubesim's sh\n");
    assert_int_equal(sh(&b, "A=x; echo ${A} ${A:-d} ${#A} ${A%x}. ${#} ${?}", NULL), 0);
    assert_string_equal(b.log, "x x 1 . 0 0\n");
    assert_null(ks_shell_compile(ar, bash, 3, NULL, 0, why, sizeof why));
    assert_string_equal(why, "bash arrays (CRARGS=(...)) are not supported by kubesim's shell, "
                             "which runs bash scripts as busybox sh");
    prog = ks_shell_compile(ar, argv, 3, NULL, 0, why, sizeof why);
    assert_non_null(prog);
    assert_int_equal(ks_shell_notes(prog, notes, 8), 3);
    assert_true(strstr(notes[0], "a bash array: busybox sh says") != NULL);
    assert_true(strstr(notes[1], "${NAME:offset:length}") != NULL);
    assert_true(strstr(notes[2], "bad substitution") != NULL);
    ks_arena_destroy(ar);
}

/* sub-12: 2> FILE and 2>> FILE: stderr into the file (made, or added to),
 * stdout where it was; 2> into a missing directory as > (ash
 * openredirect: "can't create", status 1); 2>/dev/stdout is 2>&1 */
static void test_stderr_to_file(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "echo out; cat /nope 2> /data/err.log; echo \"status $?\"", NULL), 0);
    assert_string_equal(b.log, "out\nstatus 1\n");
    assert_string_equal(b.wrote, "/data/err.log=cat: can't open '/nope': No such file or "
                                 "directory\n");
    assert_int_equal(sh(&b, "echo fine 2>>/data/err.log", NULL), 0);
    assert_string_equal(b.log, "fine\n");
    assert_string_equal(b.wrote, "/data/err.log=");
    assert_int_equal(sh(&b, "echo x 2> /nodir/e.log; echo \"status $?\"", NULL), 0);
    assert_string_equal(b.log, "sh: can't create /nodir/e.log: nonexistent directory\n"
                               "status 1\n");
    assert_int_equal(sh(&b, "X=$(cat /nope 2>/dev/stdout); echo \"got: $X\"", NULL), 0);
    assert_string_equal(b.log, "got: cat: can't open '/nope': No such file or directory\n");
}

/* sub-13: below /usr and /var, the directories FHS 3.0 names are there
 * (and all below them); another is not: ash's "can't create" */
static void test_fhs_directories(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh(&b, "echo x > /usr/nope/f; echo \"status $?\"", NULL), 0);
    assert_string_equal(b.log, "sh: can't create /usr/nope/f: nonexistent directory\n"
                               "status 1\n");
    assert_int_equal(sh(&b, "echo x > /var/nope/f; echo \"status $?\"", NULL), 0);
    assert_string_equal(b.log, "sh: can't create /var/nope/f: nonexistent directory\n"
                               "status 1\n");
    assert_int_equal(sh(&b, "echo a > /usr/share/nginx/html/index.html; echo b > /var/log/x.log;"
                            " echo c > /usr/f; echo d > /etc/nginx/conf.d/x; echo \"status $?\"",
                        NULL), 0);
    assert_string_equal(b.log, "status 0\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipe_loop_is_subshell),
        cmocka_unit_test(test_paren_subshell),
        cmocka_unit_test(test_read_then_cat),
        cmocka_unit_test(test_nounset),
        cmocka_unit_test(test_nonexistent_directory),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_check_notes),
        cmocka_unit_test(test_exec_image_program),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_pids),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_stderr_to_file),
        cmocka_unit_test(test_fhs_directories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
