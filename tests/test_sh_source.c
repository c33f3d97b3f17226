/* test_sh_source.c -- `. FILE` and `source FILE` in kubesim's sh, as busybox
 * ash runs them (shell/ash.c dotcmd, find_dot_file, setinputfile): the
 * file runs in the shell's own state (its variables and functions stay),
 * a name without '/' is looked for in $PATH only, a file that is not there
 * ends the script with 2 and ash's words, return ends the file, ARGS are
 * its $1... while it runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "node/ks_shell.h"

/* A container whose files are a few paths with their text (a ConfigMap
 * volume at /cfg, a script in /usr/local/bin). */
typedef struct box {
    char log[4096];
    const char *const *files;     /* path, text, path, text..., NULL */
    unsigned reads;               /* read_file calls */
} box;

static void b_line(void *ud, const char *line)
{
    box *b = ud;
    size_t len = strlen(b->log);
    snprintf(b->log + len, sizeof b->log - len, "%s\n", line);
}

static const char *b_read(void *ud, const char *path)
{
    box *b = ud;
    size_t i;
    b->reads++;
    for (i = 0; b->files && b->files[i]; i += 2)
        if (strcmp(b->files[i], path) == 0)
            return b->files[i + 1];
    return NULL;
}

static const char *b_getenv(void *ud, const char *name)
{
    (void)ud;
    return strcmp(name, "APP") == 0 ? "shop" : NULL;
}

/* sh -c SCRIPT over files; its status (-1: it did not compile). *arena_used
 * (when asked): what the arena held at its end. */
static int sh_in(box *b, const char *const *files, const char *script, size_t *arena_used)
{
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
    b->files = files;
    io.ud = b;
    io.out = b_line;
    io.read_file = b_read;
    io.getenv = b_getenv;
    prog = ks_shell_compile(ar, argv, 3, NULL, 0, why, sizeof why);
    if (!prog) {
        snprintf(b->log, sizeof b->log, "%s", why);
        ks_arena_destroy(ar);
        return -1;
    }
    ks_shell_start(r, prog);
    while (ks_shell_step(r, &io, &t) && steps++ < 200) {
    }
    status = r->status;
    if (arena_used)
        *arena_used = ks_arena_used(ar);
    ks_arena_destroy(ar);
    return status;
}

static const char *const cfg[] = {
    "/cfg/env.sh", "MODE=prod\nPORT=${PORT:-8080}\nexport MODE\n",
    "/cfg/lib.sh", "greet() { echo \"hello $1 from $APP\"; }\nLIB=1\n",
    "/cfg/early.sh", "A=1\nif [ -n \"$A\" ]; then return 3; fi\nA=never\n",
    "/cfg/args.sh", "echo \"in: $# $1 $2\"\n",
    "/cfg/loop.sh", "for x in p q; do echo \"inner $x\"; done\n",
    "/cfg/bad.sh", "if true; then echo x\n",
    "/cfg/empty.sh", "",
    "/cfg/exit.sh", "echo bye; exit 4\n",
    "/usr/local/bin/tool.sh", "TOOL=found\n",
    NULL};

/* source-1: the file's assignments and functions are the shell's after it
 * (dotcmd runs cmdloop in the same shell), with both spellings */
static void test_runs_in_the_shell(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh_in(&b, cfg, ". /cfg/env.sh; echo \"$MODE:$PORT\"; source /cfg/lib.sh; "
                                    "greet ann; echo \"lib=$LIB\"", NULL), 0);
    assert_string_equal(b.log, "prod:8080\nhello ann from shop\nlib=1\n");
}

/* source-2: a file that is not there: "sh: .: line N: can't open 'F': No
 * such file or directory", and sh exits 2 (setinputfile ->
 * ash_msg_and_raise_perror, a special builtin's error); a name without '/'
 * not in $PATH: "F: not found" (find_dot_file, CURDIR off), also 2 */
static void test_missing_file_ends_sh(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh_in(&b, cfg, "echo one\n. /cfg/nope.sh\necho never", NULL), 2);
    assert_string_equal(b.log, "one\nsh: .: line 2: can't open '/cfg/nope.sh': No such file "
                               "or directory\n");
    assert_int_equal(sh_in(&b, cfg, "source env.sh || echo never", NULL), 2);
    assert_string_equal(b.log, "sh: source: line 1: env.sh: not found\n");
    /* ...in a subshell only the subshell ends */
    assert_int_equal(sh_in(&b, cfg, "( . /nope ); echo \"after $?\"", NULL), 0);
    assert_string_equal(b.log, "sh: .: line 1: can't open '/nope': No such file or "
                               "directory\nafter 2\n");
}

/* source-3: a name without '/' is looked for in each directory of $PATH
 * (the image's PATH, or the script's own) */
static void test_path_search(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh_in(&b, cfg, ". tool.sh; echo \"$TOOL\"", NULL), 0);
    assert_string_equal(b.log, "found\n");
    assert_int_equal(sh_in(&b, cfg, "PATH=/cfg; . env.sh; echo \"$MODE\"", NULL), 0);
    assert_string_equal(b.log, "prod\n");
}

/* source-4: return at the file's top ends the file with its status; exit
 * ends the shell; an empty file is status 0 ("false; . empty; echo $?"
 * prints 0, dotcmd's comment); ARGS are $1... only while it runs */
static void test_return_exit_args(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh_in(&b, cfg, ". /cfg/early.sh; echo \"st=$? A=$A\"", NULL), 0);
    assert_string_equal(b.log, "st=3 A=1\n");
    assert_int_equal(sh_in(&b, cfg, ". /cfg/exit.sh; echo never", NULL), 4);
    assert_string_equal(b.log, "bye\n");
    assert_int_equal(sh_in(&b, cfg, "false; . /cfg/empty.sh; echo \"st=$?\"", NULL), 0);
    assert_string_equal(b.log, "st=0\n");
    assert_int_equal(sh_in(&b, cfg, "set -- x; . /cfg/args.sh a b; echo \"out: $# $1\"", NULL),
                     0);
    assert_string_equal(b.log, "in: 2 a b\nout: 1 x\n");
}

/* source-5: a loop in the file keeps its own counter (the caller's loop
 * around the . goes on), and the same file sourced again is compiled once:
 * a script sourcing it 40 times grows its arena no more than one sourcing
 * it twice (the program is kept per path and text) */
static void test_loops_and_reuse(void **state)
{
    box b;
    size_t twice, many;
    (void)state;
    assert_int_equal(sh_in(&b, cfg, "for y in 1 2; do . /cfg/loop.sh; echo \"outer $y\"; done",
                           NULL), 0);
    assert_string_equal(b.log, "inner p\ninner q\nouter 1\ninner p\ninner q\nouter 2\n");
    assert_int_equal(sh_in(&b, cfg, "i=0; while [ $i -lt 02 ]; do . /cfg/env.sh; "
                                    "i=$((i+1)); done; echo $MODE", &twice), 0);
    assert_int_equal(sh_in(&b, cfg, "i=0; while [ $i -lt 40 ]; do . /cfg/env.sh; "
                                    "i=$((i+1)); done; echo $MODE", &many), 0);
    assert_string_equal(b.log, "prod\n");
    assert_int_equal(many, twice);
    /* ...and from a $(...) too, sharing its shell's compiled files */
    assert_int_equal(sh_in(&b, cfg, "i=0; while [ $i -lt 02 ]; do m=$(. /cfg/env.sh; echo $MODE); "
                                    "i=$((i+1)); done; echo $m", &twice), 0);
    assert_int_equal(sh_in(&b, cfg, "i=0; while [ $i -lt 40 ]; do m=$(. /cfg/env.sh; echo $MODE); "
                                    "i=$((i+1)); done; echo $m", &many), 0);
    assert_string_equal(b.log, "prod\n");
    assert_int_equal(many, twice);
}

/* source-6: a file sh cannot parse: sh names it and exits 2 */
static void test_syntax_error(void **state)
{
    box b;
    (void)state;
    assert_int_equal(sh_in(&b, cfg, ". /cfg/bad.sh; echo never", NULL), 2);
    assert_non_null(strstr(b.log, "sh: /cfg/bad.sh: syntax error"));
    assert_null(strstr(b.log, "never"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_in_the_shell),
        cmocka_unit_test(test_missing_file_ends_sh),
        cmocka_unit_test(test_path_search),
        cmocka_unit_test(test_return_exit_args),
        cmocka_unit_test(test_loops_and_reuse),
        cmocka_unit_test(test_syntax_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
