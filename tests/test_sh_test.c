/* test_sh_test.c -- test and [ ] in kubesim's sh, as busybox's test applet
 * (coreutils/test.c, mirror/busybox 371fe9f) parses and words them: an
 * empty variable left out of `[ $CODE -eq 200 ]` is "sh: 200: unknown
 * operand", status 2; a word that is no number "sh: x: bad number"; -a,
 * -o, ! and ( ) as its grammar reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "node/ks_shell.h"
#include "run/ks_runner.h"

static char out[2048];

static void line(void *ud, const char *text)
{
    size_t len = strlen(out);
    (void)ud;
    snprintf(out + len, sizeof out - len, "%s\n", text);
}

/* /cfg/a is a file (a ConfigMap key), /data a volume's directory. */
static const char *read_file(void *ud, const char *path)
{
    (void)ud;
    return strcmp(path, "/cfg/a") == 0 ? "x\n" : strcmp(path, "/cfg/empty") == 0 ? "" : NULL;
}

static int list(void *ud, const char *dir, void (*each)(void *arg, const char *path), void *arg)
{
    (void)ud;
    (void)each;
    (void)arg;
    return strcmp(dir, "/data") == 0 ? 1 : strncmp(dir, "/data/", 6) == 0 ? 0 : -1;
}

/* sh -c SCRIPT: its status, its output and stderr in out. */
static int sh(const char *script)
{
    const char *argv[] = {"sh", "-c", script};
    ks_arena *ar = ks_arena_create(NULL);
    ks_shell_io io;
    ks_shell_prog *prog;
    ks_shell_run *r = ks_arena_alloc(ar, sizeof *r);
    char why[160];
    ks_time t;
    int status;
    memset(&io, 0, sizeof io);
    out[0] = '\0';
    io.out = line;
    io.read_file = read_file;
    io.list = list;
    prog = ks_shell_compile(ar, argv, 3, NULL, 0, why, sizeof why);
    assert_non_null(prog);
    ks_shell_start(r, prog);
    while (ks_shell_step(r, &io, &t)) {
    }
    status = r->status;
    ks_arena_destroy(ar);
    return status;
}

/* test-1: the words left when a variable is empty (test_main: "X: unknown
 * operand", 2) -- the Online Boutique loadgenerator's `test $STATUSCODE
 * -ne 200` when wget printed nothing */
static void test_missing_operand(void **state)
{
    (void)state;
    assert_int_equal(sh("C=; [ $C -eq 200 ]"), 2);
    assert_string_equal(out, "sh: 200: unknown operand\n");
    assert_int_equal(sh("C=; test $C -ne 200; echo $?"), 0);
    assert_string_equal(out, "sh: 200: unknown operand\n2\n");
    assert_int_equal(sh("[ 200 -eq ]"), 2);
    assert_string_equal(out, "sh: -eq: unknown operand\n");
    assert_int_equal(sh("[ 1 -eq 1 2 ]"), 2);
    assert_string_equal(out, "sh: 2: unknown operand\n");
    assert_int_equal(sh("[ 1 -eq 1"), 2);
    assert_string_equal(out, "sh: missing ]\n");
}

/* test-2: getn's words ("X: bad number"), and comparisons that hold */
static void test_numbers(void **state)
{
    (void)state;
    assert_int_equal(sh("[ abc -lt 3 ]"), 2);
    assert_string_equal(out, "sh: abc: bad number\n");
    assert_int_equal(sh("[ \"\" -eq 0 ]"), 2);
    assert_string_equal(out, "sh: bad number\n");   /* syntax(): an empty op is left out */
    assert_int_equal(sh("[ 10 -gt 9 ] && [ 3 -le 3 ] && [ -1 -lt 0 ] && [ ! 2 -ne 2 ]"), 0);
    assert_int_equal(sh("[ 10 -lt 9 ]"), 1);
    assert_string_equal(out, "");
}

/* test-3: -a -o ! ( ) and strings, as its grammar reads them */
static void test_grammar(void **state)
{
    (void)state;
    assert_int_equal(sh("A=x B=; [ -n \"$A\" -a -z \"$B\" ]"), 0);
    assert_int_equal(sh("[ a = b -o c = c ]"), 0);
    assert_int_equal(sh("[ a = b -o c = d ]"), 1);
    assert_int_equal(sh("[ ! a = a ]"), 1);
    assert_int_equal(sh("[ \\( a = a \\) -a \\( b != c \\) ]"), 0);
    assert_int_equal(sh("[ ]"), 1);
    assert_int_equal(sh("[ -z ]"), 0);                   /* one word: not empty */
    assert_int_equal(sh("[ ! ]"), 0);
    assert_int_equal(sh("[ b \\> a ] && [ a \\< b ]"), 0);
    assert_int_equal(sh("[ \\( a = a ]"), 2);
    assert_string_equal(out, "sh: closing paren expected\n");
    assert_int_equal(sh("[ a -a ]"), 2);                 /* aexpr: -a, then nothing */
    assert_string_equal(out, "sh: argument expected\n");
    assert_int_equal(sh("[ = ]"), 0);
}

/* test-4: files as the container sees them; what kubesim does not know of
 * the image's files (modes, owners) it says, 2 */
static void test_files(void **state)
{
    (void)state;
    assert_int_equal(sh("[ -f /cfg/a ] && [ -e /cfg/a ] && [ -s /cfg/a ]"), 0);
    assert_int_equal(sh("[ -s /cfg/empty ]"), 1);
    assert_int_equal(sh("[ -d /data ] && [ ! -d /cfg/a ] && [ ! -e /data/nope ]"), 0);
    assert_int_equal(sh("[ -f /nope ]"), 1);
    assert_int_equal(sh("[ -x /cfg/a ]"), 2);
    assert_string_equal(out, "kubesim: test -x /cfg/a: kubesim's sh does not know this of the "
                             "image's files\n");
}

/* check-1: kubesim check warns at a program inside $(...) that kubesim's
 * sh does not run (Online Boutique's loadgenerator init container,
 * GoogleCloudPlatform/microservices-demo release/kubernetes-manifests.yaml:
 * STATUSCODE=$(wget --server-response http://${FRONTEND_ADDR} 2>&1 | awk
 * '/^  HTTP/{print $2}'), at the container's command */
static void test_check_substitution(void **state)
{
    static const char y[] =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: lg}\nspec:\n  initContainers:\n"
        "    - name: frontend-check\n      image: busybox:latest\n"
        "      command: [/bin/sh, -exc, 'S=$(wget --server-response http://f 2>&1 | awk "
        "\"/HTTP/{print $2}\"); test $S -ne 200 && exit 1; echo ok']\n"
        "  containers:\n    - {name: main, image: busybox, command: [sh, -c, 'sleep 9']}\n";
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_manifests m = {0};
    char buf[512];
    (void)state;
    ks_diags_init(&d);
    ks_manifest_load_text(ar, "lg.yaml", y, sizeof y - 1, 1, 1, NULL, &m, &d);
    assert_int_equal(d.n, 0);
    ks_run_check_commands(&m, 0, NULL, &d);
    assert_int_equal(d.n, 1);
    ks_diag_format(&d, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "lg.yaml:8:16: warning: container 'frontend-check': kubesim's "
                                "sh does not run 'awk' inside $(...)"));
    ks_arena_destroy(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_operand),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_grammar),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_check_substitution),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
