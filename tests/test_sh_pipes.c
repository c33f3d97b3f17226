/* test_sh_pipes.c -- the focus of this file: kubesim's sh past simple
 * commands: pipes into busybox's text applets (grep, wc, head, tail, cut,
 * tr, sort, uniq), field splitting of unquoted expansions, `X=1 cmd`,
 * nested $(...), positional parameters, read and < / <<< redirections,
 * date from the simulated clock, a read-only mount's refusals, and
 * wget/curl's words for each way a request ends (the request itself is faked here; through the
 * cluster it is tests/scenarios/real/wget-service.yaml). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "node/ks_shell.h"

typedef struct world {
    char out[4096];               /* stdout and stderr, a line each */
    char files[4][2][256];
    int nfiles;
    const char *last_host;
} world;

static const char *w_getenv(void *ud, const char *name)
{
    (void)ud;
    if (strcmp(name, "LIST") == 0)
        return "a  b\tc";
    if (strcmp(name, "NAME") == 0)
        return "web";
    return NULL;
}

static const char *w_env_at(void *ud, size_t i, const char **value)
{
    (void)ud;
    if (i > 0)
        return NULL;
    *value = "web";
    return "NAME";
}

static void w_out(void *ud, const char *line)
{
    world *w = ud;
    strncat(w->out, line, sizeof w->out - strlen(w->out) - 2);
    strcat(w->out, "\n");
}

static int w_write(void *ud, const char *path, const char *text, bool append)
{
    world *w = ud;
    int i;
    for (i = 0; i < w->nfiles && strcmp(w->files[i][0], path) != 0; i++)
        ;
    if (i == w->nfiles && w->nfiles < 4)
        snprintf(w->files[w->nfiles++][0], 256, "%s", path), w->files[i][1][0] = '\0';
    if (i < 4) {
        if (!append)
            w->files[i][1][0] = '\0';
        strncat(w->files[i][1], text, 255 - strlen(w->files[i][1]));
    }
    return 0;
}

static const char *w_read(void *ud, const char *path)
{
    world *w = ud;
    int i;
    for (i = 0; i < w->nfiles; i++)
        if (strcmp(w->files[i][0], path) == 0)
            return w->files[i][1];
    return NULL;
}

/* 2026-12-07T06:54:57Z, a Monday */
static long long w_now(void *ud)
{
    (void)ud;
    return 1796626497LL;
}

/* The cluster, faked: web answers, empty has no endpoints, policed drops
 * the SYN, nothing else resolves. */
static int w_http(void *ud, const char *method, const char *host, int port, const char *path,
                  char *body, size_t n, char addr[64], ks_time *took)
{
    world *w = ud;
    (void)method;
    w->last_host = host;
    *took = 2 * KS_MSEC;
    if (strcmp(host, "web") == 0) {
        snprintf(addr, 64, "10.96.0.20");
        if (port != 80)
            return KS_SHELL_HTTP_REFUSED;
        snprintf(body, n, strcmp(path, "/") == 0 ? "Hello, world!\nHostname: web-1\n" : "");
        return strcmp(path, "/") == 0 ? 200 : 404;
    }
    if (strcmp(host, "empty") == 0) {
        snprintf(addr, 64, "10.96.0.21");
        return KS_SHELL_HTTP_REFUSED;
    }
    if (strcmp(host, "policed") == 0) {
        snprintf(addr, 64, "10.96.0.22");
        *took = 127 * KS_SEC;
        return KS_SHELL_HTTP_TIMEOUT;
    }
    return KS_SHELL_HTTP_NO_NAME;
}

/* A read-only mount at /ro (readOnly: true, a configMap...): what open(2)
 * and unlink(2) say there; nothing else can be removed here. */
static int w_can_write(void *ud, const char *path)
{
    (void)ud;
    return strncmp(path, "/ro/", 4) == 0 ? KS_SHELL_EROFS : 0;
}

static int w_remove(void *ud, const char *path)
{
    (void)ud;
    return strncmp(path, "/ro/", 4) == 0 ? KS_SHELL_EROFS : KS_SHELL_ENOENT;
}

static int run(ks_arena *ar, world *w, const char *script, ks_time *slept)
{
    const char *argv[3] = {"sh", "-c", script};
    char err[160];
    ks_shell_io io = {w,    w_out, w_write, w_remove, w_can_write, w_read, w_getenv, NULL, NULL,
                      NULL, NULL, w_env_at, NULL, NULL, NULL, 0, w_now, w_http, NULL, NULL, NULL,
                      NULL, NULL, 0};
    ks_shell_prog *prog = ks_shell_compile(ar, argv, 3, NULL, 0, err, sizeof err);
    ks_shell_run r;
    ks_time t;
    int n = 0;
    w->out[0] = '\0';
    if (slept)
        *slept = 0;
    if (!prog) {
        snprintf(w->out, sizeof w->out, "%s", err);
        return -1;
    }
    ks_shell_start(&r, prog);
    while (ks_shell_step(&r, &io, &t) && n++ < 100)
        if (slept)
            *slept += t;
    return r.status;
}

/* sh -c SCRIPT ARG0 ARGS...: the same, with positional parameters (script
 * NULL: args are the whole command) */
static int run_args(ks_arena *ar, world *w, const char *script, const char *const *args,
                    size_t nargs)
{
    const char *argv[3] = {"sh", "-c", script};
    char err[160];
    ks_shell_io io = {w,    w_out, w_write, NULL, NULL, w_read, w_getenv, NULL, NULL, NULL,
                      NULL, w_env_at, NULL, NULL, NULL, 0, w_now, w_http, NULL, NULL, NULL, NULL, NULL, 0};
    ks_shell_prog *prog = script ? ks_shell_compile(ar, argv, 3, args, nargs, err, sizeof err)
                                 : ks_shell_compile(ar, args, nargs, NULL, 0, err, sizeof err);
    ks_shell_run r;
    ks_time t;
    int n = 0;
    w->out[0] = '\0';
    if (!prog) {
        snprintf(w->out, sizeof w->out, "%s", err);
        return -1;
    }
    ks_shell_start(&r, prog);
    while (ks_shell_step(&r, &io, &t) && n++ < 100) {
    }
    return r.status;
}

/* sh-10: positional parameters as POSIX sh -c gives them (XCU sh: "sh -c
 * command_string [command_name [argument...]]": command_name is $0, the
 * arguments $1...), $#, $@ and $* (2.5.2), shift (busybox ash shiftcmd:
 * too many is status 1, nothing said), for NAME without in */
static void test_positional(void **state)
{
    static const char *const args[] = {"myname", "one", "two words", "three"};
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run_args(ar, &w, "echo \"$0 $# $1|$2|$3|$4|${10}\"; printf '[%s]' \"$@\"; "
                                      "echo; printf '[%s]' $@; echo; printf '[%s]' \"$*\"; "
                                      "echo; for a; do echo \"<$a>\"; done",
                              args, 4), 0);
    /* (this world writes what printf leaves unfinished as a line of its own) */
    assert_string_equal(w.out, "myname 3 one|two words|three||\n"
                               "[one][two words][three]\n\n"
                               "[one][two][words][three]\n\n"
                               "[one two words three]\n\n"
                               "<one>\n<two words>\n<three>\n");
    assert_int_equal(run_args(ar, &w, "shift; echo \"$# $1\"; shift 5; echo \"st=$? $#\"; "
                                      "echo $(echo \"in \\$(...): $1\")",
                              args, 4), 0);
    assert_string_equal(w.out, "2 two words\nst=1 2\nin $(...): two words\n");
    /* no arguments: $0 is the shell's name, "$@" is no field at all */
    assert_int_equal(run(ar, &w, "echo \"$0 $#\"; printf '[%s]' \"$@\"; echo end", NULL), 0);
    assert_string_equal(w.out, "sh 0\n[]\nend\n");
    assert_int_equal(run(ar, &w, "shift x; echo not here", NULL), 2);
    assert_string_equal(w.out, "sh: Illegal number: x\n");
    ks_arena_destroy(ar);
}

/* sh-11: read (busybox's shell_builtin_read) from < FILE, <<< WORD (ash's
 * here-string), a container's empty standard input (status 1), a pipe's
 * subshell (its names lost); the builtins kubesim's sh does not run say so
 * (trap) */
static void test_read_redirect(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "echo 'a b  c d' > /f; read x y rest < /f; "
                                 "echo \"$x|$y|$rest\"; read -r line <<< '  hi  there '; "
                                 "echo \"[$line]\"; read z; echo \"$? [$z]\"; "
                                 "echo one | read w; echo \"[$w]\"; read <<< 'r e'; "
                                 "echo \"[$REPLY]\"; wc -w < /f; read v <<< 'a\\ b'; echo \"$v\"",
                         NULL), 0);
    assert_string_equal(w.out, "a|b|c d\n[hi  there]\n1 []\n[]\n[r e]\n4\na b\n");
    assert_int_equal(run(ar, &w, "cat < /nope; echo $?", NULL), 0);
    assert_string_equal(w.out, "sh: can't open /nope: no such file\n2\n");
    assert_int_equal(run(ar, &w, "trap 'echo bye' EXIT", NULL), 2);
    assert_string_equal(w.out, "kubesim: 'trap' is a builtin of sh that kubesim's sh does "
                               "not run\n");
    ks_arena_destroy(ar);
}

/* pipe-1: each stage's output is the next one's input; the status is the
 * last stage's; busybox's text applets as they print */
static void test_pipes_text_applets(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "printf 'b\\na\\nc\\na\\n' > /f; cat /f | sort | uniq -c; "
                                 "grep -c a /f; grep -n c /f; grep -v a /f | wc -l; wc -l /f; "
                                 "echo one two | wc; head -n 2 /f | tail -1; tail -n 2 /f | head -1",
                         NULL), 0);
    assert_string_equal(w.out, "      2 a\n      1 b\n      1 c\n"   /* uniq -c: %7d */
                               "2\n3:c\n2\n"
                               "        4 /f\n"                       /* a file: %9u NAME */
                               "        1         2         8\n"      /* stdin, 3 counts */
                               "a\nc\n");
    assert_int_equal(run(ar, &w, "echo 'x:y:z' | cut -d: -f2,3; echo hello | tr a-z A-Z; "
                                 "echo 'a  b' | tr -s ' '; echo abc | tr -d b; "
                                 "printf '10\\n9\\n100\\n' | sort -n -r | head -1; "
                                 "echo Kubernetes | cut -c 1-4",
                         NULL), 0);
    assert_string_equal(w.out, "y:z\nHELLO\na b\nac\n100\nKube\n");
    /* grep's status: 1 when nothing matched, 2 for a missing file */
    assert_int_equal(run(ar, &w, "echo abc | grep -q z", NULL), 1);
    assert_int_equal(run(ar, &w, "grep x /nope", NULL), 2);
    assert_string_equal(w.out, "grep: /nope: No such file or directory\n");
    assert_int_equal(run(ar, &w, "echo ERROR x | grep -E 'ERR(OR)?' | grep -iw 'x' > /g; cat /g",
                         NULL), 0);
    assert_string_equal(w.out, "ERROR x\n");
    /* stderr is never piped: the log gets it */
    assert_int_equal(run(ar, &w, "cat /nope | wc -l", NULL), 0);
    assert_string_equal(w.out, "cat: can't open '/nope': No such file or directory\n0\n");
    ks_arena_destroy(ar);
}

/* sh-9: field splitting (POSIX 2.6.5), X=1 cmd, nested $(...), backquotes */
static void test_fields_assign_nested(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "for x in $LIST; do echo \"[$x]\"; done; for x in \"$LIST\"; "
                                 "do echo \"[$x]\"; done; echo $UNSET | wc -c; "
                                 "printf '%s|' $LIST \"\" $UNSET",
                         NULL), 0);
    assert_string_equal(w.out, "[a]\n[b]\n[c]\n[a  b\tc]\n1\na|b|c||\n");
    assert_int_equal(run(ar, &w, "X=1 printenv X; echo \"[$X]\"; NAME=db env; "
                                 "NAME=db echo $NAME", NULL), 0);
    assert_string_equal(w.out, "1\n[]\nNAME=db\nweb\n");
    assert_int_equal(run(ar, &w, "echo $(echo $(echo deep) `echo back`) \"$(echo 'a  b')\"",
                         NULL), 0);
    assert_string_equal(w.out, "deep back a  b\n");
    ks_arena_destroy(ar);
}

/* date: busybox's default format, +FORMAT, -I, -R; from the simulated clock */
static void test_date(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "date; date -u +%Y-%m-%dT%H:%M:%SZ; date -I; date -R; "
                                 "echo $(date +%s)", NULL), 0);
    assert_string_equal(w.out, "Mon Dec  7 06:54:57 UTC 2026\n2026-12-07T06:54:57Z\n"
                               "2026-12-07\nMon, 07 Dec 2026 06:54:57 +0000\n1796626497\n");
    assert_int_equal(run(ar, &w, "date -d yesterday", NULL), 1);
    ks_arena_destroy(ar);
}

/* A read-only mount refuses every write in the program's own words: sh
 * opens a redirection's file before the command runs (busybox ash
 * openredirect: "can't create %s: %s", strerror(EROFS); status 1, the
 * command not run), touch (coreutils/touch.c bb_simple_perror_msg), rm
 * (libbb/remove_file.c: -f quiets ENOENT only), wget -O (xopen: "can't
 * open '%s'"), curl -o (tool_cb_wrt.c warnf, then CURLE_WRITE_ERROR). */
static void test_read_only_mount(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "echo x > /ro/f; echo $?", NULL), 0);
    assert_string_equal(w.out, "sh: can't create /ro/f: Read-only file system\n1\n");
    assert_int_equal(run(ar, &w, "echo x >> /ro/f || echo failed", NULL), 0);
    assert_string_equal(w.out, "sh: can't create /ro/f: Read-only file system\nfailed\n");
    assert_int_equal(run(ar, &w, "cat /tmp/nope 2> /ro/err", NULL), 1);
    assert_string_equal(w.out, "sh: can't create /ro/err: Read-only file system\n");
    assert_int_equal(run(ar, &w, "{ echo a; echo b; } > /ro/f", NULL), 1);
    assert_string_equal(w.out, "sh: can't create /ro/f: Read-only file system\n");
    assert_int_equal(run(ar, &w, "touch /ro/f /tmp/ok", NULL), 1);
    assert_string_equal(w.out, "touch: /ro/f: Read-only file system\n");
    assert_int_equal(run(ar, &w, "rm -f /ro/f /tmp/none; echo $?", NULL), 0);
    assert_string_equal(w.out, "rm: can't remove '/ro/f': Read-only file system\n1\n");
    assert_int_equal(run(ar, &w, "rm /tmp/none", NULL), 1);
    assert_string_equal(w.out, "rm: can't remove '/tmp/none': No such file or directory\n");
    assert_int_equal(run(ar, &w, "wget -q -O /ro/page http://web", NULL), 1);
    assert_string_equal(w.out, "wget: can't open '/ro/page': Read-only file system\n");
    assert_int_equal(run(ar, &w, "curl -s -o /ro/page http://web", NULL), 23);
    assert_string_equal(w.out, "");
    assert_int_equal(run(ar, &w, "curl -o /ro/page http://web", NULL), 23);
    assert_string_equal(w.out, "Warning: Failed to open the file /ro/page: Read-only file system\n"
                               "curl: (23) Failure writing output to destination, passed 30 "
                               "returned 0\n");
    assert_int_equal(w.nfiles, 1);            /* /tmp/ok alone was made */
    assert_string_equal(w.files[0][0], "/tmp/ok");
    ks_arena_destroy(ar);
}

/* wget and curl: the body, and each failure in the program's own words and
 * exit code; the request's time is a sleep of the script */
static void test_wget_curl(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    ks_time slept;
    (void)state;
    assert_int_equal(run(ar, &w, "wget -q -O- http://web", &slept), 0);
    assert_string_equal(w.out, "Hello, world!\nHostname: web-1\n");
    assert_int_equal(slept, 2 * KS_MSEC);
    assert_int_equal(run(ar, &w, "wget -O- web:80/", NULL), 0);
    assert_string_equal(w.out, "Connecting to web (10.96.0.20:80)\nwriting to stdout\n"
                               "Hello, world!\nHostname: web-1\nwritten to stdout\n");
    assert_int_equal(run(ar, &w, "wget -q http://web/ && cat index.html | head -1", NULL), 0);
    assert_string_equal(w.out, "Hello, world!\n");
    assert_int_equal(run(ar, &w, "wget -q -O- http://nosuch", NULL), 1);
    assert_string_equal(w.out, "wget: bad address 'nosuch'\n");
    assert_int_equal(run(ar, &w, "wget -q -O- http://empty", NULL), 1);
    assert_string_equal(w.out, "wget: can't connect to remote host (10.96.0.21): "
                               "Connection refused\n");
    assert_int_equal(run(ar, &w, "wget -q -O- http://web/missing", NULL), 1);
    assert_string_equal(w.out, "wget: server returned error: HTTP/1.1 404 Not Found\n");
    assert_int_equal(run(ar, &w, "wget -q -T 5 -O- http://policed", &slept), 1);
    assert_string_equal(w.out, "wget: download timed out\n");
    assert_int_equal(slept, 5 * KS_SEC);
    assert_int_equal(run(ar, &w, "curl -s http://web | grep Host", NULL), 0);
    assert_string_equal(w.out, "Hostname: web-1\n");
    assert_int_equal(run(ar, &w, "curl -s http://nosuch", NULL), 6);
    assert_string_equal(w.out, "");                      /* -s: silent */
    assert_int_equal(run(ar, &w, "curl -sS http://nosuch", NULL), 6);
    assert_string_equal(w.out, "curl: (6) Could not resolve host: nosuch\n");
    assert_int_equal(run(ar, &w, "curl http://empty:80", NULL), 7);
    /* curl 8.21.0's words (lib/cf-ip-happy.c, lib/strerror.c) */
    assert_string_equal(w.out, "curl: (7) Failed to connect to empty:80 after 2 ms: "
                               "Could not connect to server\n");
    /* the kernel gave up on the SYN (ETIMEDOUT): the same words, exit 28 */
    assert_int_equal(run(ar, &w, "curl -S http://policed", &slept), 28);
    assert_string_equal(w.out, "curl: (28) Failed to connect to policed:80 after 127000 ms: "
                               "Could not connect to server\n");
    assert_int_equal(run(ar, &w, "curl -s", NULL), 2);
    assert_string_equal(w.out, "curl: (2) no URL specified\ncurl: try 'curl --help' or "
                               "'curl --manual' for more information\n");
    assert_int_equal(run(ar, &w, "curl --frobnicate http://web", NULL), 2);
    assert_string_equal(w.out, "curl: option --frobnicate: is unknown\ncurl: try 'curl "
                               "--help' or 'curl --manual' for more information\n");
    assert_int_equal(run(ar, &w, "curl -s -o /dev/null -w '%{http_code}\\n' http://web/x; "
                                 "curl -fsS http://web/x", NULL), 22);
    assert_string_equal(w.out, "404\ncurl: (22) The requested URL returned error: 404\n");
    assert_int_equal(run(ar, &w, "curl -s --connect-timeout 3 http://policed", &slept), 28);
    assert_int_equal(slept, 3 * KS_SEC);
    ks_arena_destroy(ar);
}

/* script-1: exec CMD replaces the shell (busybox ash execcmd: its status
 * is the container's, nothing after it runs, its sleep is the shell's);
 * exec > FILE sends the rest of the script's output there */
static void test_exec(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    ks_time slept;
    (void)state;
    assert_int_equal(run(ar, &w, "echo start; exec false; echo never", NULL), 1);
    assert_string_equal(w.out, "start\n");
    assert_int_equal(run(ar, &w, "exec sleep 5; echo never", &slept), 0);
    assert_int_equal(slept, 5 * KS_SEC);
    assert_string_equal(w.out, "");
    assert_int_equal(run(ar, &w, "exec printf '%s\\n' \"$NAME\"", NULL), 0);
    assert_string_equal(w.out, "web\n");
    assert_int_equal(run(ar, &w, "exec > /log; echo one; echo two >&2; echo three", NULL), 0);
    assert_string_equal(w.out, "two\n");
    assert_string_equal(w.files[0][0], "/log");
    assert_string_equal(w.files[0][1], "one\nthree\n");
    ks_arena_destroy(ar);
}

/* script-2: set -e stops at a failing command but not in a condition
 * (POSIX set -e: if/while/until conditions, all but the last of && ||);
 * set -x traces each command as ash's evalcommand does ("+ " and the
 * words, maybe_single_quote'd); set -- gives $1...; set -u is said */
static void test_set(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "set -e; echo a; false; echo b", NULL), 1);
    assert_string_equal(w.out, "a\n");
    assert_int_equal(run(ar, &w, "set -e; if false; then echo x; fi; false || echo ok; "
                                 "while false; do :; done; false && echo no; echo end", NULL), 0);
    assert_string_equal(w.out, "ok\nend\n");
    assert_int_equal(run(ar, &w, "set -eo errexit; cat /nope; echo never", NULL), 1);
    assert_int_equal(run(ar, &w, "set -x; X=1; echo \"$X two\" $NAME; set +x; echo quiet",
                         NULL), 0);
    assert_string_equal(w.out, "+ X=1\n+ echo '1 two' web\n1 two web\n+ set +x\nquiet\n");
    assert_int_equal(run(ar, &w, "set -- a 'b c'; echo $#; echo \"$2\"; shift; echo \"$1\"",
                         NULL), 0);
    assert_string_equal(w.out, "2\nb c\nb c\n");
    /* set -u: busybox ash varunset ends the script, 2 (the command not run) */
    assert_int_equal(run(ar, &w, "set -eu; echo \"[${NOPE:-}]\"; echo \"[$NOPE]\"", NULL), 2);
    assert_string_equal(w.out, "[]\nsh: NOPE: parameter not set\n");
    assert_int_equal(run(ar, &w, "set -v; echo $?", NULL), 0);
    assert_string_equal(w.out, "kubesim: set -v is not simulated by kubesim's sh\n2\n");
    assert_int_equal(run(ar, &w, "false | true; echo $?; set -o pipefail; false | true; "
                                 "echo $?", NULL), 0);
    assert_string_equal(w.out, "0\n1\n");
    ks_arena_destroy(ar);
}

/* script-3: export NAME=value / export NAME: in the environment of the
 * commands (printenv, env); unset NAME hides the container's NAME too
 * (POSIX unset); a bad name ends the script (ash setvar) */
static void test_export_unset(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "A=1; printenv A; export A B=2; printenv A B; export C; "
                                 "C=3; printenv C; unset NAME; echo \"[$NAME]\"; env", NULL), 0);
    assert_string_equal(w.out, "1\n2\n3\n[]\nNAME=web\nA=1\nB=2\nC=3\n");
    assert_int_equal(run(ar, &w, "export 1x=2; echo never", NULL), 2);
    assert_string_equal(w.out, "sh: export: 1x: bad variable name\n");
    ks_arena_destroy(ar);
}

/* script-4: here-documents (POSIX XCU 2.7.4): <<EOF expands, <<'EOF' does
 * not, <<-EOF strips leading tabs; cat > FILE <<EOF writes the file */
static void test_heredoc(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "cat <<EOF\nhello $NAME\n  $(echo sub) \\$HOME\nEOF\n"
                                 "cat <<'EOF'\nhello $NAME\nEOF\n"
                                 "cat <<-END\n\tin tabs\n\tEND\necho after", NULL), 0);
    assert_string_equal(w.out, "hello web\n  sub $HOME\nhello $NAME\nin tabs\nafter\n");
    assert_int_equal(run(ar, &w, "cat > /data/conf <<EOF\nname=$NAME\nport=80\nEOF\n"
                                 "cat /data/conf", NULL), 0);
    assert_string_equal(w.files[0][1], "name=web\nport=80\n");
    assert_string_equal(w.out, "name=web\nport=80\n");
    assert_int_equal(run(ar, &w, "while read k; do echo \"[$k]\"; done <<EOF\na\nb\nEOF\n",
                         NULL), 0);
    assert_string_equal(w.out, "[a]\n[b]\n");
    ks_arena_destroy(ar);
}

/* script-5: redirections of a loop or a group apply to all of it (XCU
 * 2.9.4); a pipe into while read (its lines one by one); 2>/dev/null,
 * 2>&1 */
static void test_compound_redirect(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "for i in 1 2; do echo $i; done > /a; "
                                 "for i in 3; do echo $i; done >> /a; "
                                 "{ echo x; echo y; } > /b; i=0; "
                                 "while [ $i -lt 2 ]; do i=$((i+1)); echo w$i; done >> /b; "
                                 "cat /a /b", NULL), 0);
    assert_string_equal(w.out, "1\n2\n3\nx\ny\nw1\nw2\n");
    assert_int_equal(run(ar, &w, "printf 'a 1\\nb 2\\n' | while read k v; do echo \"$v=$k\"; "
                                 "done; echo one two | while read x; do echo \"<$x>\"; done; "
                                 "while read l; do echo \"-$l\"; done < /a", NULL), 0);
    assert_string_equal(w.out, "1=a\n2=b\n<one two>\n-1\n-2\n-3\n");
    assert_int_equal(run(ar, &w, "cat /nope 2>/dev/null; echo $?; cat /nope > /c 2>&1; "
                                 "cat /c; echo to-err >&2", NULL), 0);
    assert_string_equal(w.out, "1\ncat: can't open '/nope': No such file or directory\n"
                               "to-err\n");
    assert_int_equal(run(ar, &w, "seq 3 | while read n; do echo \"n$n\"; done; seq -s, 2 2 6; "
                                 "seq -w 9 10; printf \"%s\\n\" a b | cat", NULL), 0);
    assert_string_equal(w.out, "n1\nn2\nn3\n2,4,6\n09\n10\na\nb\n");
    /* a loop's input buffer is made on first use and grown to need: a
       short input, then a longer one (292 bytes) in the same slot, then
       nested loops reusing both slots. A loop that is a pipe's stage runs in
       a subshell, as in busybox ash: evalpipe (shell/ash.c) forkshell()s
       every stage of a pipe, the last one too (no lastpipe), so s and t set
       inside `cmd | while read` are gone after the loop (dash does the same;
       POSIX XCU 2.12 allows either, ash is what the images run). The
       { ...; } forms read the values inside the same subshell: 100, 50. */
    assert_int_equal(run(ar, &w, "echo a | while read x; do echo $x; done; "
                                 "seq 100 | while read n; do s=$n; done; echo $s; "
                                 "seq 3 | while read n; do seq 50 | while read m; do t=$m; "
                                 "done; echo $n-$t; done", NULL), 0);
    assert_string_equal(w.out, "a\n\n1-\n2-\n3-\n");
    assert_int_equal(run(ar, &w, "seq 100 | { while read n; do s=$n; done; echo $s; }; "
                                 "seq 3 | while read n; do seq 50 | { while read m; do t=$m; "
                                 "done; echo $n-$t; }; done", NULL), 0);
    assert_string_equal(w.out, "100\n1-50\n2-50\n3-50\n");
    ks_arena_destroy(ar);
}

/* wget-usage: busybox wget with no URL (`wget -qO URL` takes the URL for
 * -O's file) or an unknown option prints bb_show_usage's banner and
 * networking/wget.c's usage text on stderr, status 1 */
static void test_wget_usage(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "wget -qO http://web/", NULL), 1);
    assert_non_null(strstr(w.out, "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call "
                                  "binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o "
                                  "LOGFILE] [--header STR]\n\t[--post-data STR | --post-file "
                                  "FILE] [-Y on/off]\n"));
    assert_non_null(strstr(w.out, "\t-Y on/off\tUse proxy\n"));
    assert_int_equal(run(ar, &w, "wget --bogus http://web/; echo $?; wget -z", NULL), 1);
    assert_true(strncmp(w.out, "wget: unrecognized option '--bogus'\nBusyBox v1.37.0", 50) == 0);
    assert_non_null(strstr(w.out, "Use proxy\n1\nwget: invalid option -- 'z'\nBusyBox"));
    ks_arena_destroy(ar);
}

/* script-6: parameter expansions (POSIX 2.6.2): ${#N}, ${N:+w}, ${N:=w},
 * ${N:?w}, ${N#p} ${N##p} ${N%p} ${N%%p}; sh -ec SCRIPT sets -e (POSIX sh's
 * options before -c) */
static void test_param_expansion(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    const char *args[] = {"sh", "-ec", "echo one; false; echo two"};
    (void)state;
    assert_int_equal(run(ar, &w, "P=/var/lib/app/data.tar.gz; echo ${#P} ${P##*/} ${P#*/} "
                                 "${P%/*} ${P%%.*} ${P%.gz}; echo \"[${NAME:+set}][${NOPE:+x}]\"; "
                                 "echo ${D:=dflt} $D; echo \"${NOPE:?is required}\"; echo never",
                         NULL), 2);             /* ${NAME:?word}: ash ends the script, 2 */
    assert_string_equal(w.out, "24 data.tar.gz var/lib/app/data.tar.gz /var/lib/app "
                               "/var/lib/app/data /var/lib/app/data.tar\n[set][]\ndflt dflt\n"
                               "sh: NOPE: is required\n");
    assert_int_equal(run_args(ar, &w, NULL, args, 3), 1);
    assert_string_equal(w.out, "one\n");
    ks_arena_destroy(ar);
}

/* case-1: case WORD in PATTERN|PATTERN) LIST ;; ... esac (XCU 2.9.4.3,
 * fnmatch patterns, the first item that matches; none: status 0); a
 * function definition is refused at start */
static void test_case(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    (void)state;
    assert_int_equal(run(ar, &w, "case \"$NAME\" in api|web) echo svc;; *) echo other;; esac; "
                                 "case x in y) echo no;; esac; echo \"st=$?\"\nMODE=prod\n"
                                 "case $MODE in\n  dev) echo d ;;\n  prod*) echo p; echo q ;;\n"
                                 "  *) echo never\nesac", NULL), 0);
    assert_string_equal(w.out, "svc\nst=0\np\nq\n");
    /* a function's body may be any compound, a case too (test_sh_sub has the rest) */
    assert_int_equal(run(ar, &w, "f() case $1 in a) echo A;; *) echo other;; esac\nf a; f b",
                         NULL), 0);
    assert_string_equal(w.out, "A\nother\n");
    ks_arena_destroy(ar);
}

/* follow-1: tail -f / -F FILE (busybox coreutils/tail.c): the last lines,
 * then a look every second (sleep_period 1) for what was added; the script
 * stays there; tail -f of a file that is not there: "can't open", 1 */
static void test_tail_follow(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    ks_time slept;
    (void)state;
    run(ar, &w, "printf 'a\\nb\\n' > /l; tail -n 1 -F /l; echo never", &slept);
    assert_string_equal(w.out, "b\n");
    assert_int_equal(slept, 100 * KS_SEC);     /* the harness stops at 100 steps, 1 s each */
    assert_int_equal(run(ar, &w, "tail -f /nope; echo $?", NULL), 0);
    assert_string_equal(w.out, "tail: can't open '/nope': No such file or directory\n1\n");
    ks_arena_destroy(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipes_text_applets),
        cmocka_unit_test(test_fields_assign_nested),
        cmocka_unit_test(test_date),
        cmocka_unit_test(test_wget_curl),
        cmocka_unit_test(test_read_only_mount),
        cmocka_unit_test(test_positional),
        cmocka_unit_test(test_read_redirect),
        cmocka_unit_test(test_exec),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_export_unset),
        cmocka_unit_test(test_heredoc),
        cmocka_unit_test(test_compound_redirect),
        cmocka_unit_test(test_wget_usage),
        cmocka_unit_test(test_param_expansion),
        cmocka_unit_test(test_tail_follow),
        cmocka_unit_test(test_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
