/* test_shell.c -- `kubesim shell`: completion candidates from a live sim
 * (cli/shell_complete.c, compiled in), and the program itself driven as a
 * learner drives it: at a pseudo-terminal (forkpty), typing kubectl lines,
 * moving the clock and completing with Tab; and from a pipe, as a script.
 * Every read has a deadline, and an alarm bounds the whole run.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../bench/bench_clock.h"
#include "../cli/shell.h"
#include "load/ks_catalog.h"
#include "run/ks_runner.h"
#include "load/ks_scenario.h"

#define DEADLINE_MS 20000             /* for one answer */

/* ---- a live sim for the completion tests ------------------------------------------- */
typedef struct fixture {
    ks_arena *ar;
    ks_run *run;
} fixture;

static int setup_sim(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    ks_diags *d = malloc(sizeof *d);
    ks_catalog *cat;
    ks_scenario *sc;
    assert_non_null(f);
    assert_non_null(d);
    ks_diags_init(d);
    f->ar = ks_arena_create(NULL);
    assert_int_equal(ks_catalog_load_file(f->ar, KS_ASSETS_DIR "/images.yaml", &cat, d), KS_OK);
    assert_int_equal(ks_scenario_load_file(f->ar, SHELL_SCENARIO, &sc, d), KS_OK);
    f->run = ks_run_create(sc, cat, NULL, d);
    assert_non_null(f->run);
    ks_run_advance(f->run, 20 * KS_SEC);
    free(d);
    *state = f;
    return 0;
}

static int teardown_sim(void **state)
{
    fixture *f = *state;
    ks_run_destroy(f->run);
    ks_arena_destroy(f->ar);
    free(f);
    return 0;
}

/* The candidates for the last word of line, joined by spaces. */
static char *complete(void **state, const char *line, bool *files)
{
    fixture *f = *state;
    static char joined[4096];
    const char *sp = strrchr(line, ' ');
    int start = sp ? (int)(sp - line) + 1 : 0;
    char **w = ksc_shell_complete(ks_run_sim(f->run), line, start, line + start, files);
    size_t i;
    assert_non_null(w);
    joined[0] = '\0';
    for (i = 0; w[i]; i++) {
        if (i)
            strcat(joined, " ");
        strncat(joined, w[i], sizeof joined - strlen(joined) - 1);
    }
    ksc_shell_words_free(w);
    return joined;
}

static void test_shell_complete_commands(void **state)
{
    bool files;
    char *c = complete(state, "", &files);
    assert_non_null(strstr(c, "advance"));
    assert_non_null(strstr(c, "get"));
    assert_non_null(strstr(c, "kubectl"));
    assert_false(files);
    assert_string_equal(complete(state, "adv", &files), "advance");
    assert_string_equal(complete(state, "sc", &files), "scale");
    assert_string_equal(complete(state, "kubectl desc", &files), "describe");
    assert_string_equal(complete(state, "run u", &files), "until");
    assert_string_equal(complete(state, "advance 3", &files), "");
}

static void test_shell_complete_types(void **state)
{
    bool files;
    assert_string_equal(complete(state, "get po", &files), "pods");
    assert_string_equal(complete(state, "get pe", &files),
                        "persistentvolumeclaims persistentvolumes");
    assert_string_equal(complete(state, "kubectl get dep", &files), "deployments");
    assert_string_equal(complete(state, "watch get no", &files), "nodes");
    assert_string_equal(complete(state, "watch -n 5s get se", &files), "secrets services");
    assert_string_equal(complete(state, "rollout re", &files), "restart");
    assert_string_equal(complete(state, "get pods -o w", &files), "wide");
}

static void test_shell_complete_names(void **state)
{
    bool files;
    char *c = complete(state, "get pods web", &files);
    assert_int_equal(strncmp(c, "web-", 4), 0);          /* the one web pod */
    assert_null(strchr(c, ' '));
    assert_null(strstr(complete(state, "get pods ", &files), "ingress-nginx"));
    assert_non_null(strstr(complete(state, "get pods -n ingress-nginx ", &files),
                           "ingress-nginx-controller-"));
    assert_string_equal(complete(state, "scale deployment w", &files), "web");
    assert_string_equal(complete(state, "scale deploy", &files), "deployment deployment/web");
    assert_string_equal(complete(state, "describe svc w", &files), "web");
    assert_string_equal(complete(state, "get deployment/", &files), "deployment/web");
    assert_string_equal(complete(state, "cordon m", &files), "minikube");
    assert_string_equal(complete(state, "rollout restart deployment ", &files), "web");
    assert_string_equal(complete(state, "set image deployment/w", &files), "deployment/web");
    assert_int_equal(strncmp(complete(state, "logs w", &files), "web-", 4), 0);
}

static void test_shell_complete_flags_files(void **state)
{
    bool files;
    assert_string_equal(complete(state, "scale deployment web --r", &files), "--replicas=");
    assert_non_null(strstr(complete(state, "logs web-1 -", &files), "--previous"));
    complete(state, "apply -f ", &files);
    assert_true(files);
    complete(state, "get pods ", &files);
    assert_false(files);
}

/* ---- the program at a pseudo-terminal ----------------------------------------------- */
static long long now_ms(void)
{
    return (long long)(bench_wall() * 1000);
}

typedef struct child {
    pid_t pid;
    int fd;                            /* pty master, or the pipe it writes to */
    int in;                            /* the pipe it reads (pipe mode) */
    char buf[1 << 16];
    size_t len;
} child;

/* Reads until text appears after `from` (or the deadline). True if it did. */
static bool read_until(child *c, size_t from, const char *text)
{
    long long end = now_ms() + DEADLINE_MS;
    for (;;) {
        struct pollfd p = {c->fd, POLLIN, 0};
        long long left = end - now_ms();
        ssize_t n;
        c->buf[c->len] = '\0';
        if (strstr(c->buf + from, text))
            return true;
        if (left <= 0 || c->len + 1 >= sizeof c->buf)
            return false;
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        n = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
        if (n <= 0)
            return strstr(c->buf + from, text) != NULL;
        c->len += (size_t)n;
    }
}

/* The handshake before typing: the prompt is there (the caller waited for
 * it) and the line editor reads keys. libedit prints its prompt and then
 * sets the terminal raw; a key typed in between is read in the cooked mode
 * (a Tab is not a completion) or flushed away with the mode change (a
 * Ctrl-D lost). So wait until the terminal is no longer canonical. The
 * plain build reads cooked lines: nothing to wait for. */
static void wait_editing(child *c)
{
#ifdef KSC_HAVE_EDITLINE
    long long end = now_ms() + DEADLINE_MS;
    struct termios t;
    while (tcgetattr(c->fd, &t) == 0 && (t.c_lflag & ICANON) && now_ms() < end)
        usleep(2000);
    if (tcgetattr(c->fd, &t) != 0 || (t.c_lflag & ICANON))
        fail_msg("the shell never set the terminal raw to read a line");
#else
    (void)c;
#endif
}

/* Types line (and Enter), waits for the next prompt; returns the output
 * between, as a new string (free it). */
static char *type(child *c, const char *line, const char *next_prompt)
{
    size_t from = c->len;
    char *out;
    wait_editing(c);
    assert_int_equal(write(c->fd, line, strlen(line)), (ssize_t)strlen(line));
    assert_int_equal(write(c->fd, "\n", 1), 1);
    /* the prompt after Enter's echo: libedit redraws the prompt and the
       line as it edits (a completion, a line from history) */
    if (!read_until(c, from, "\n"))
        fail_msg("no echo of Enter after '%s'; the output was:\n%s", line, c->buf + from);
    if (!read_until(c, (size_t)(strchr(c->buf + from, '\n') - c->buf), next_prompt))
        fail_msg("no prompt '%s' after '%s'; the output was:\n%s", next_prompt, line,
                 c->buf + from);
    out = strdup(c->buf + from);
    assert_non_null(out);
    return out;
}

static int count(const char *s, const char *what)
{
    int n = 0;
    while ((s = strstr(s, what)) != NULL) {
        n++;
        s += strlen(what);
    }
    return n;
}

static int wait_exit(pid_t pid)
{
    long long end = now_ms() + DEADLINE_MS;
    int st;
    while (now_ms() < end) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        usleep(20000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

static void spawn_tty(child *c)
{
    struct winsize ws = {40, 120, 0, 0};
    memset(c, 0, sizeof *c);
    c->pid = forkpty(&c->fd, NULL, NULL, &ws);
    assert_true(c->pid >= 0);
    if (c->pid == 0) {
        setenv("TERM", "dumb", 1);
        setenv("INPUTRC", "/dev/null", 1);
        execl(KUBESIM_BIN, KUBESIM_BIN, "shell", SHELL_SCENARIO, (char *)NULL);
        _exit(127);
    }
}

static void test_shell_tty_session(void **state)
{
    child *c = calloc(1, sizeof *c);
    char *out;
    (void)state;
    assert_non_null(c);
    spawn_tty(c);
    if (!read_until(c, 0, "kubesim 0s> "))
        fail_msg("no first prompt; the output was:\n%s", c->buf);
    assert_non_null(strstr(c->buf, "The manifests are applied"));      /* the banner */

    out = type(c, "get pods", "kubesim 0s> ");
    assert_non_null(strstr(out, "NAME"));
    assert_int_equal(count(out, "web-"), 1);
    assert_null(strstr(out, "Running"));
    free(out);

    out = type(c, "advance 20s", "kubesim 20s> ");
    assert_non_null(strstr(out, "Started container web"));            /* the news */
    assert_non_null(strstr(out, "web is starting"));                  /* a caption */
    assert_non_null(strstr(out, "now 20s"));
    free(out);

    out = type(c, "get pods", "kubesim 20s> ");
    assert_int_equal(count(out, "Running"), 1);
    free(out);

    out = type(c, "scale deployment web --replicas=3", "kubesim 20s> ");
    assert_non_null(strstr(out, "deployment.apps/web scaled"));
    free(out);

    out = type(c, "advance 10s", "kubesim 30s> ");
    assert_non_null(strstr(out, "Scaled up replica set"));
    free(out);

    out = type(c, "kubectl get pods", "kubesim 30s> ");
    assert_int_equal(count(out, "Running"), 3);
    assert_int_equal(count(out, "1/1"), 3);
    free(out);

    /* Tab completes: "get deploy<Tab>" runs "get deployments" */
    out = type(c, "get deploy\t", "kubesim 30s> ");
#ifdef KSC_HAVE_EDITLINE
    if (!strstr(out, "UP-TO-DATE") || !strstr(out, "3/3"))
        fail_msg("get deploy<Tab> did not list the deployment:\n%s", out);
#endif
    free(out);

    out = type(c, "time", "kubesim 30s> ");
    assert_non_null(strstr(out, "30s (simulated)"));
    free(out);

#ifdef KSC_HAVE_EDITLINE
    /* history: the up arrow brings "time" back */
    out = type(c, "\033[A", "kubesim 30s> ");
    if (!strstr(out, "30s (simulated)"))
        fail_msg("the up arrow did not bring back the last line:\n%s", out);
    free(out);
#endif

    out = type(c, "get pod nosuch", "kubesim 30s> ");
    assert_non_null(strstr(out, "Error from server (NotFound): pods \"nosuch\" not found"));
    free(out);

    /* Ctrl-C at the prompt: a new prompt, not the end */
    wait_editing(c);
    assert_int_equal(write(c->fd, "get po\003", 7), 7);
    {
        size_t from = c->len;
        assert_true(read_until(c, from, "kubesim 30s> "));
    }
    out = type(c, "help", "kubesim 30s> ");
    assert_non_null(strstr(out, "advance DURATION"));
    free(out);

    assert_int_equal(write(c->fd, "exit\n", 5), 5);
    assert_int_equal(wait_exit(c->pid), 0);
    close(c->fd);
    free(c);
}

/* Ctrl-D at the prompt ends it too. */
static void test_shell_tty_eof(void **state)
{
    child *c = calloc(1, sizeof *c);
    (void)state;
    assert_non_null(c);
    spawn_tty(c);
    assert_true(read_until(c, 0, "kubesim 0s> "));
    wait_editing(c);
    assert_int_equal(write(c->fd, "\004", 1), 1);
    assert_int_equal(wait_exit(c->pid), 0);
    close(c->fd);
    free(c);
}

/* ---- the program from a pipe --------------------------------------------------------- */
static void test_shell_pipe(void **state)
{
    static const char script[] =
        "get pods\n"
        "advance 20s\n"
        "get pods\n"
        "# a comment, and a blank line\n"
        "\n"
        "kubectl scale deployment web --replicas=3\n"
        "run until 30s\n"
        "get pods\n"
        "watch get deployments\n"
        "time\n";
    int to[2], from[2];
    child *c = calloc(1, sizeof *c);
    char *out;
    pid_t pid;
    (void)state;
    assert_non_null(c);
    assert_int_equal(pipe(to), 0);
    assert_int_equal(pipe(from), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        dup2(from[1], 2);
        close(to[1]);
        close(from[0]);
        execl(KUBESIM_BIN, KUBESIM_BIN, "shell", SHELL_SCENARIO, (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    assert_int_equal(write(to[1], script, sizeof script - 1), (ssize_t)(sizeof script - 1));
    close(to[1]);                                   /* EOF ends it */
    c->fd = from[0];
    read_until(c, 0, "\x01never\x01");              /* all of it, to EOF */
    out = c->buf;
    assert_int_equal(wait_exit(pid), 0);
    assert_null(strstr(out, "kubesim 0s>"));        /* no prompt, no banner */
    assert_null(strstr(out, "The manifests are applied"));
    assert_int_equal(strncmp(out, "NAME ", 5), 0);  /* the first output first */
    assert_non_null(strstr(out, "now 20s"));
    assert_non_null(strstr(out, "deployment.apps/web scaled"));
    assert_non_null(strstr(out, "now 30s"));
    assert_int_equal(count(out, "Every 2s: get deployments"), 5);
    assert_non_null(strstr(out, "(at 38s)"));
    assert_non_null(strstr(out, "38s (simulated)"));
    close(c->fd);
    free(c);
}

/* A scenario that does not load: exit 2, located. */
static void test_shell_bad_scenario(void **state)
{
    char cmd[1024];
    FILE *p;
    char buf[4096] = "";
    size_t n;
    (void)state;
    snprintf(cmd, sizeof cmd, "'%s' shell /nonexistent/scenario.yaml </dev/null 2>&1",
             KUBESIM_BIN);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    assert_int_equal(WEXITSTATUS(pclose(p)), 2);
    assert_non_null(strstr(buf, "/nonexistent/scenario.yaml"));
}

int main(void)
{
    const struct CMUnitTest sim_tests[] = {
        cmocka_unit_test(test_shell_complete_commands),
        cmocka_unit_test(test_shell_complete_types),
        cmocka_unit_test(test_shell_complete_names),
        cmocka_unit_test(test_shell_complete_flags_files),
    };
    const struct CMUnitTest program_tests[] = {
        cmocka_unit_test(test_shell_tty_session),
        cmocka_unit_test(test_shell_tty_eof),
        cmocka_unit_test(test_shell_pipe),
        cmocka_unit_test(test_shell_bad_scenario),
    };
    int rc;
    signal(SIGPIPE, SIG_IGN);
    alarm(120);                        /* nothing here may hang */
    rc = cmocka_run_group_tests_name("shell completion", sim_tests, setup_sim, teardown_sim);
    rc |= cmocka_run_group_tests_name("shell program", program_tests, NULL, NULL);
    return rc;
}
