/* test_sh.c -- the focus of this file: the tiny shell busybox containers
 * run (ks_shell): output, sleeps as steps, exit codes, && || ;, loops,
 * files, and busybox's answers to what it does not know. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "node/ks_expand.h"
#include "node/ks_shell.h"

typedef struct world {
    char out[16][128];
    int nout;
    char files[8][2][64];
    int nfiles;
} world;

/* the container's environment of these tests */
static const char *w_getenv(void *ud, const char *name)
{
    static const char *const env[][2] = {{"GREETING", "Hello"}, {"NAME", "Kubernetes"},
                                         {"EMPTY", ""}, {"POD_NAME", "web-0"}};
    size_t i;
    (void)ud;
    for (i = 0; i < sizeof env / sizeof env[0]; i++)
        if (strcmp(env[i][0], name) == 0)
            return env[i][1];
    return NULL;
}

static void w_out(void *ud, const char *line)
{
    world *w = ud;
    if (w->nout < 16)
        snprintf(w->out[w->nout++], 128, "%s", line);
}

static int find(world *w, const char *path)
{
    int i;
    for (i = 0; i < w->nfiles; i++)
        if (w->files[i][0][0] && strcmp(w->files[i][0], path) == 0)
            return i;
    return -1;
}

static int w_write(void *ud, const char *path, const char *text, bool append)
{
    world *w = ud;
    int i = find(w, path);
    if (i < 0 && w->nfiles < 8) {
        i = w->nfiles++;
        snprintf(w->files[i][0], 64, "%s", path);
        w->files[i][1][0] = '\0';
    }
    if (i >= 0) {
        if (!append)
            w->files[i][1][0] = '\0';
        strncat(w->files[i][1], text, 63 - strlen(w->files[i][1]));
    }
    return 0;
}

static int w_remove(void *ud, const char *path)
{
    world *w = ud;
    int i = find(w, path);
    if (i < 0)
        return KS_SHELL_ENOENT;
    w->files[i][0][0] = '\0';
    return 0;
}

static const char *w_read(void *ud, const char *path)
{
    world *w = ud;
    int i = find(w, path);
    return i < 0 ? NULL : w->files[i][1];
}

/* Runs script to its end; returns the exit status and the sleeps' total. */
static int run(ks_arena *ar, world *w, const char *script, ks_time *slept, int *steps)
{
    const char *argv[3] = {"sh", "-c", script};
    char err[128];
    ks_shell_io io = {w, w_out, w_write, w_remove, NULL, w_read, w_getenv, NULL, NULL, NULL, NULL, NULL, NULL,
                      NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    ks_shell_prog *prog = ks_shell_compile(ar, argv, 3, NULL, 0, err, sizeof err);
    ks_shell_run r;
    ks_time t;
    int n = 0;
    *slept = 0;
    if (!prog)
        return -1;
    ks_shell_start(&r, prog);
    while (ks_shell_step(&r, &io, &t) && n < 100) {
        *slept += t;
        n++;
    }
    if (steps)
        *steps = n;
    return r.status;
}

static void test_sh_echo_sleep_exit(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    ks_time slept;
    int steps;
    (void)state;
    assert_int_equal(run(ar, &w, "echo starting up; sleep 5; echo 'cannot reach the db'; exit 3",
                         &slept, &steps), 3);
    assert_int_equal(w.nout, 2);
    assert_string_equal(w.out[0], "starting up");
    assert_string_equal(w.out[1], "cannot reach the db");
    assert_int_equal(slept, 5 * KS_SEC);
    assert_int_equal(steps, 1);
    ks_arena_destroy(ar);
}

static void test_sh_and_or_keywords_as_words(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    ks_time slept;
    (void)state;
    assert_int_equal(run(ar, &w, "false && echo no; true || echo no; false || echo done; "
                                 "echo do while", &slept, NULL), 0);
    assert_int_equal(w.nout, 2);
    assert_string_equal(w.out[0], "done");       /* `done` is a word here */
    assert_string_equal(w.out[1], "do while");
    ks_arena_destroy(ar);
}

static void test_sh_loop_sleeps_in_steps(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    const char *argv[3] = {"sh", "-c", "while true; do echo tick; sleep 2; done"};
    char err[128];
    ks_shell_io io = {&w, w_out, w_write, w_remove, NULL, w_read, w_getenv, NULL, NULL, NULL, NULL, NULL, NULL,
                      NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    ks_shell_prog *prog = ks_shell_compile(ar, argv, 3, NULL, 0, err, sizeof err);
    ks_shell_run r;
    ks_time t;
    int i;
    (void)state;
    assert_non_null(prog);
    ks_shell_start(&r, prog);
    for (i = 0; i < 3; i++) {
        assert_true(ks_shell_step(&r, &io, &t));
        assert_int_equal(t, 2 * KS_SEC);
    }
    assert_int_equal(w.nout, 3);
    assert_string_equal(w.out[2], "tick");
    ks_arena_destroy(ar);
}

static void test_sh_files(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    ks_time slept;
    (void)state;
    assert_int_equal(run(ar, &w, "echo a > /data/x; echo b >> /data/x; touch /tmp/h; "
                                 "cat /data/x; test -f /tmp/h && rm /tmp/h; [ -e /tmp/h ]",
                         &slept, NULL), 1);
    assert_string_equal(w.out[0], "a");
    assert_string_equal(w.out[1], "b");
    assert_string_equal(w_read(&w, "/data/x"), "a\nb\n");
    assert_null(w_read(&w, "/tmp/h"));
    assert_int_equal(run(ar, &w, "cat /nope", &slept, NULL), 1);
    assert_string_equal(w.out[w.nout - 1], "cat: can't open '/nope': No such file or directory");
    ks_arena_destroy(ar);
}

/* nslookup answers from the resolver it is given: "db" only once
 * `resolvable` is set (a Service appeared). */
static bool resolvable;

static size_t w_resolve(void *ud, const char *name, char server[64], char fqdn[300],
                        char addr[][64], size_t max)
{
    (void)ud;
    snprintf(server, 64, "10.96.0.10");
    if (strcmp(name, "pets") == 0 && max >= 2) {      /* a headless Service, 2 ready pods */
        snprintf(fqdn, 300, "pets.default.svc.cluster.local");
        snprintf(addr[0], 64, "10.244.0.5");
        snprintf(addr[1], 64, "10.244.0.6");
        return 2;
    }
    if (!resolvable || strcmp(name, "db") != 0 || max < 1)
        return 0;
    snprintf(fqdn, 300, "db.default.svc.cluster.local");
    snprintf(addr[0], 64, "10.96.1.2");
    return 1;
}

/* The classic init container: `until nslookup db; do sleep 2; done`. */
static void test_sh_until_nslookup(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    const char *argv[3] = {"sh", "-c", "until nslookup db; do echo waiting; sleep 2; done"};
    char err[128];
    ks_shell_io io = {&w, w_out, w_write, w_remove, NULL, w_read, NULL, w_resolve, NULL, NULL, NULL, NULL, NULL,
                      NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    ks_shell_prog *prog = ks_shell_compile(ar, argv, 3, NULL, 0, err, sizeof err);
    ks_shell_run r;
    ks_time t;
    (void)state;
    assert_non_null(prog);
    resolvable = false;
    ks_shell_start(&r, prog);
    assert_true(ks_shell_step(&r, &io, &t));       /* not found: sleeps */
    assert_int_equal(t, 2 * KS_SEC);
    assert_string_equal(w.out[0], "Server:\t\t10.96.0.10");
    assert_string_equal(w.out[3], "** server can't find db: NXDOMAIN");
    assert_string_equal(w.out[4], "waiting");
    resolvable = true;
    assert_false(ks_shell_step(&r, &io, &t));      /* found: the loop ends, exit 0 */
    assert_int_equal(r.status, 0);
    assert_string_equal(w.out[w.nout - 2], "Name:\tdb.default.svc.cluster.local");
    assert_string_equal(w.out[w.nout - 1], "Address: 10.96.1.2");
    ks_arena_destroy(ar);
}

/* A headless Service's name: busybox nslookup prints each A record as its
 * own Name/Address pair (networking/nslookup.c parse_reply). */
static void test_sh_nslookup_headless(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    const char *argv[3] = {"sh", "-c", "nslookup pets"};
    char err[128];
    ks_shell_io io = {&w, w_out, w_write, w_remove, NULL, w_read, NULL, w_resolve, NULL, NULL, NULL, NULL, NULL,
                      NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    ks_shell_prog *prog = ks_shell_compile(ar, argv, 3, NULL, 0, err, sizeof err);
    ks_shell_run r;
    ks_time t;
    (void)state;
    assert_non_null(prog);
    ks_shell_start(&r, prog);
    assert_false(ks_shell_step(&r, &io, &t));
    assert_int_equal(r.status, 0);
    assert_int_equal(w.nout, 7);
    assert_string_equal(w.out[3], "Name:\tpets.default.svc.cluster.local");
    assert_string_equal(w.out[4], "Address: 10.244.0.5");
    assert_string_equal(w.out[5], "Name:\tpets.default.svc.cluster.local");
    assert_string_equal(w.out[6], "Address: 10.244.0.6");
    ks_arena_destroy(ar);
}

static void test_sh_unknown_and_syntax(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    ks_time slept;
    const char *none[1] = {NULL};
    char err[128];
    ks_shell_prog *prog;
    ks_shell_run r;
    (void)state;
    assert_int_equal(run(ar, &w, "frobnicate http://x", &slept, NULL), 127);
    assert_string_equal(w.out[0], "sh: frobnicate: not found");
    assert_int_equal(run(ar, &w, "echo 'open", &slept, NULL), -1);
    /* what it cannot run is refused, never run wrong */
    assert_int_equal(run(ar, &w, "sleep 1 &", &slept, NULL), -1);
    assert_int_equal(run(ar, &w, "while true; do echo; done | cat", &slept, NULL), -1);
    assert_int_equal(run(ar, &w, "echo $((1 + 2))", &slept, NULL), 0);  /* arithmetic runs */
    assert_int_equal(run(ar, &w, "echo '$(date)'", &slept, NULL), 0);    /* quoted: text */
    /* no command at all: busybox's default sh has no input and exits 0 */
    prog = ks_shell_compile(ar, none, 0, NULL, 0, err, sizeof err);
    assert_non_null(prog);
    ks_shell_start(&r, prog);
    assert_false(ks_shell_step(&r, NULL, &slept));
    assert_int_equal(r.status, 0);
    ks_arena_destroy(ar);
}

/* sh-6: the container's environment in words, as sh expands them */
static void test_sh_parameters(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    ks_time slept;
    (void)state;
    assert_int_equal(run(ar, &w, "echo \"$GREETING ${NAME}!\"; echo '$NAME' \\$NAME; "
                                 "echo ${UNSET:-fallback} ${EMPTY:-dflt} ${EMPTY-kept}.; "
                                 "false; echo $?; echo $POD_NAME > /data/$POD_NAME.txt; "
                                 "cat /data/web-0.txt; echo 5$ $",
                         &slept, NULL), 0);
    assert_string_equal(w.out[0], "Hello Kubernetes!");
    assert_string_equal(w.out[1], "$NAME $NAME");        /* single quotes, backslash */
    assert_string_equal(w.out[2], "fallback dflt .");    /* :- also for empty; - not */
    assert_string_equal(w.out[3], "1");
    assert_string_equal(w.out[4], "web-0");              /* the redirect target too */
    assert_string_equal(w.out[5], "5$ $");
    ks_arena_destroy(ar);
}

/* Runs script from no output: its exit status, then each line it printed
 * (the list ends with NULL), no more; steps (when not NULL) as run's. */
static void expect_run(ks_arena *ar, world *w, const char *script, int status, int *steps, ...)
{
    va_list ap;
    const char *line;
    ks_time slept;
    int n = 0;
    w->nout = 0;
    assert_int_equal(run(ar, w, script, &slept, steps), status);
    va_start(ap, steps);
    while ((line = va_arg(ap, const char *)) != NULL) {
        assert_true(n < w->nout);
        assert_string_equal(w->out[n++], line);
    }
    va_end(ap);
    assert_int_equal(w->nout, n);
}

/* sh-7: if/elif/else/fi and until loops */
static void test_sh_if_until(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    int steps;
    (void)state;
    expect_run(ar, &w, "if [ -e /ready ]; then echo a; elif false; then echo b; "
                       "else echo c; fi; if true; then echo d; fi",
               0, NULL, "c", "d", NULL);
    /* wait for a file, as init-style scripts do: it never comes, so the
       loop sleeps on and on (the test stops it after 100 steps) */
    expect_run(ar, &w, "until [ -e /ready ]; do sleep 2; done; echo up", 0, &steps, NULL);
    assert_int_equal(steps, 100);
    expect_run(ar, &w, "touch /ready; until [ -e /ready ]; do sleep 2; done; echo up", 0,
               &steps, "up", NULL);
    assert_int_equal(steps, 0);
    expect_run(ar, &w, "if true; then echo x", -1, NULL, NULL);   /* no fi */
    ks_arena_destroy(ar);
}

/* sh-8: for loops, NAME=value, $((...)) and test's comparisons: a counter
 * loop as init scripts write it; a variable outlives the loop; the
 * environment is read when the script has no variable of that name. */
static void test_sh_for_vars_arith(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    world w = {0};
    int steps;
    (void)state;
    expect_run(ar, &w, "for s in db cache \"$NAME\"; do echo \"waiting for $s\"; done; "
                       "echo last=$s",
               0, NULL, "waiting for db", "waiting for cache", "waiting for Kubernetes",
               "last=Kubernetes", NULL);
    expect_run(ar, &w, "i=0; while [ $i -lt 3 ]; do echo try $i; i=$((i + 1)); "
                       "sleep 1; done; echo $((i * 10 % 7)) $(( (2+3)*-2 )); "
                       "GREETING=Hi; echo $GREETING",
               0, &steps, "try 0", "try 1", "try 2", "2 -10",
               "Hi", NULL);                              /* the script's own, over env */
    assert_int_equal(steps, 3);                          /* three sleeps */
    expect_run(ar, &w, "[ abc = abc ] && [ -n \"$EMPTY\" ] || echo empty; "
                       "[ 3 -ge x ]; echo $?; for x; do echo never; done",
               0, NULL, "empty", "sh: x: bad number", "2", NULL);
    /* $(...): its output, trailing newlines dropped, the script's variables */
    expect_run(ar, &w, "echo hi > /data/f; n=\"$(cat /data/f)\"; v=x; "
                       "echo \"got $n$(echo $v; echo)\" $(false)end",
               0, NULL, "got hix end", NULL);
    ks_arena_destroy(ar);
}

static const char *map_lookup(void *ud, const char *name)
{
    return w_getenv(ud, name);
}

/* expand-1: the kubelet's $(VAR) references (expansion/expand.go) */
static void test_kubelet_expansion(void **state)
{
    static const char *const t[][2] = {
        {"$(GREETING), $(NAME)", "Hello, Kubernetes"},
        {"$(UNDEFINED) stays", "$(UNDEFINED) stays"},     /* undefined: as written */
        {"$$(NAME) is escaped", "$(NAME) is escaped"},    /* $$ is one $ */
        {"$$$(NAME)", "$Kubernetes"},
        {"$NAME ${NAME}", "$NAME ${NAME}"},               /* the shell's syntax: untouched */
        {"$(NAME", "$(NAME"},                             /* never closed */
        {"cost: 5$", "cost: 5$"},
        {"$(EMPTY)x", "x"},
        {"", ""},
    };
    ks_arena *ar = ks_arena_create(NULL);
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_string_equal(ks_expand(ar, t[i][0], map_lookup, NULL), t[i][1]);
    ks_arena_destroy(ar);
}

static bool w_has_perl(void *ud, const char *program)
{
    (void)ud;
    return strcmp(program, "perl") == 0;
}

/* sh-perl: the perl of the perl image (has: perl), as the docs' pi Job runs
 * it: print bpi(N) is pi to N digits, the last rounded (Math::BigFloat's
 * bpi), 10 s for 2000 (the docs' "around 10s"), N^2-proportional, at least
 * 100 ms; print, exit, die (255), all printed after that time (perl's
 * buffered STDOUT, flushed at exit), not at its start; another script says
 * it was not run and exits 0; without perl in the image, sh does not find it */
static void test_sh_perl(void **state)
{
    static const struct {
        const char *script;
        int status;
        const char *out;
        ks_time took;
    } t[] = {
        {"perl -Mbignum=bpi -wle 'print bpi(10)'", 0, "3.141592654", 100 * KS_MSEC},
        {"perl -Mbignum=bpi -wle 'print bpi(5)'", 0, "3.1416", 100 * KS_MSEC},
        {"perl -Mbignum=bpi -wle 'print bpi(2000)'", 0,
         "3.14159265358979323846264338327950288419716939937510", 10 * KS_SEC},
        {"perl -Mbignum=bpi -le 'print bpi(1000)'", 0, "3.14159", 2500 * KS_MSEC},
        {"perl -le 'print \"hi\"; sleep 2; exit 3'", 3, "hi", 2 * KS_SEC},
        {"perl -e 'die \"no database\\n\"'", 255, "no database", 100 * KS_MSEC},
        {"perl -e 'die \"no database\"'", 255, "no database at -e line 1.", 100 * KS_MSEC},
        {"perl -e 'my @a = (1); print @a'", 0, "kubesim: perl here runs only", 100 * KS_MSEC},
        {"perl job.pl", 0, "kubesim: perl here runs only", 100 * KS_MSEC},
    };
    ks_arena *ar = ks_arena_create(NULL);
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        world w;
        const char *argv[3] = {"sh", "-c", t[i].script};
        char err[128];
        ks_shell_io io = {&w, w_out, w_write, w_remove, NULL, w_read, w_getenv, NULL, NULL,
                          w_has_perl, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
        ks_shell_prog *prog = ks_shell_compile(ar, argv, 3, NULL, 0, err, sizeof err);
        ks_shell_run r;
        ks_time step, took = 0;
        size_t first = (size_t)-1;
        memset(&w, 0, sizeof w);
        assert_non_null(prog);
        ks_shell_start(&r, prog);
        while (ks_shell_step(&r, &io, &step)) {
            if (first == (size_t)-1)
                first = w.nout;               /* printed before its first wait */
            took += step;
        }
        /* its output after its time (STDOUT to a pipe is flushed at exit),
           not at its start; a script kubesim does not run says so at once */
        if (strncmp(t[i].out, "kubesim", 7) != 0)
            assert_int_equal(first, 0);
        assert_int_equal(r.status, t[i].status);
        assert_true(w.nout >= 1);
        if (strncmp(w.out[0], t[i].out, strlen(t[i].out)) != 0)
            fail_msg("%s: printed \"%s\", wanted \"%s...\"", t[i].script, w.out[0], t[i].out);
        if (t[i].out[1] == '.')                  /* the digits: exactly so many */
            assert_true(strlen(w.out[0]) == strlen(t[i].out) || t[i].took >= KS_SEC);
        assert_int_equal(took, t[i].took);
    }
    {   /* busybox has no perl */
        world w;
        ks_time slept;
        memset(&w, 0, sizeof w);
        assert_int_equal(run(ar, &w, "perl -e 'print 1'", &slept, NULL), 127);
        assert_string_equal(w.out[0], "sh: perl: not found");
    }
    ks_arena_destroy(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sh_echo_sleep_exit),
        cmocka_unit_test(test_sh_and_or_keywords_as_words),
        cmocka_unit_test(test_sh_loop_sleeps_in_steps),
        cmocka_unit_test(test_sh_files),
        cmocka_unit_test(test_sh_perl),
        cmocka_unit_test(test_sh_unknown_and_syntax),
        cmocka_unit_test(test_sh_parameters),
        cmocka_unit_test(test_sh_if_until),
        cmocka_unit_test(test_sh_for_vars_arith),
        cmocka_unit_test(test_kubelet_expansion),
        cmocka_unit_test(test_sh_until_nslookup),
        cmocka_unit_test(test_sh_nslookup_headless),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
