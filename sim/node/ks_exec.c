/* ks_exec.c -- a command run in a container (see ks_exec.h): what the
 * image's $PATH finds for argv[0]: kubesim's sh, sh's own commands, a
 * database client (ks_exec_clients.c), or the runtime's "executable file
 * not found". Which pod and container, and whether it runs: ks_exec_api.c.
 */
#include "ks_exec.h"

#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "internal/exec.h"
#include "ks_shell.h"

#define MAX_SLEEPS 1000           /* a command still sleeping after this many is stopped */

/* ---- the container's io, with the command's own stdout and stderr ------------------ */
static void x_out(void *ud, const char *line)
{
    ksi_exec *x = ud;
    ks_strbuf_printf(ksi_out(x), "%s\n", line);
}

static void x_err(void *ud, const char *line)
{
    ksi_exec *x = ud;
    ks_strbuf_printf(ksi_err(x), "%s\n", line);
}

static int x_write(void *ud, const char *path, const char *text, bool append)
{
    ksi_exec *x = ud;
    return x->base.write_file ? x->base.write_file(x->base.ud, path, text, append) : 0;
}

static int x_remove(void *ud, const char *path)
{
    ksi_exec *x = ud;
    return x->base.remove_file ? x->base.remove_file(x->base.ud, path) : KS_SHELL_ENOENT;
}

static int x_can_write(void *ud, const char *path)
{
    ksi_exec *x = ud;
    return x->base.can_write ? x->base.can_write(x->base.ud, path) : 0;
}

static const char *x_read(void *ud, const char *path)
{
    ksi_exec *x = ud;
    return x->base.read_file ? x->base.read_file(x->base.ud, path) : NULL;
}

const char *ksi_exec_getenv(ksi_exec *x, const char *name)
{
    size_t i, len = strlen(name);
    for (i = x->nassign; i-- > 0;)
        if (strncmp(x->assign[i], name, len) == 0 && x->assign[i][len] == '=')
            return x->assign[i] + len + 1;
    return x->base.getenv ? x->base.getenv(x->base.ud, name) : NULL;
}

static const char *x_getenv(void *ud, const char *name)
{
    return ksi_exec_getenv(ud, name);
}

static size_t x_resolve(void *ud, const char *name, char server[64], char fqdn[300],
                        char addr[][64], size_t max)
{
    ksi_exec *x = ud;
    return x->base.resolve ? x->base.resolve(x->base.ud, name, server, fqdn, addr, max) : 0;
}

static bool x_has(void *ud, const char *program)
{
    ksi_exec *x = ud;
    return ks_image_has_program(x->p->pub.containers[x->c].image, program);
}

static const char *x_env_at(void *ud, size_t i, const char **value)
{
    ksi_exec *x = ud;
    return x->base.env_at ? x->base.env_at(x->base.ud, i, value) : NULL;
}

static long long x_now(void *ud)
{
    ksi_exec *x = ud;
    return x->base.now ? x->base.now(x->base.ud) : 0;
}

static int x_http(void *ud, const char *method, const char *host, int port, const char *path,
                  char *body, size_t n, char addr[64], ks_time *took)
{
    ksi_exec *x = ud;
    *took = 0;
    addr[0] = '\0';
    return x->base.http ? x->base.http(x->base.ud, method, host, port, path, body, n, addr, took)
                        : KS_SHELL_HTTP_NO_NAME;
}

static int x_list(void *ud, const char *dir, void (*each)(void *arg, const char *path),
                  void *arg)
{
    ksi_exec *x = ud;
    return x->base.list ? x->base.list(x->base.ud, dir, each, arg) : -1;
}

static bool x_program(void *ud, const ks_shell_io *io, const char *const *argv, size_t argc,
                      int *status);

static unsigned x_random(void *ud)
{
    ksi_exec *x = ud;
    return x->base.random ? x->base.random(x->base.ud) : 0;
}

/* $$ of a shell kubectl exec starts: not the container's PID 1 but a later
 * process of its PID namespace; 7, as runc's exec of a first sh shows in
 * a busybox pod (a real number depends on what ran before). */
#define EXEC_PID 7

static ks_shell_io exec_io(ksi_exec *x)
{
    ks_shell_io io = {x,         x_out,     x_write, x_remove,  x_can_write, x_read,
                      x_getenv,  x_resolve, x_err,   x_has,     x_program, x_env_at, NULL,
                      x->input,  NULL,      0,       x_now,     x_http,  NULL,     x_list, NULL, NULL,
                      x_random,  EXEC_PID};
    return io;
}

/* ---- what $PATH finds ---------------------------------------------------------------- */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool is_shell(const char *name)
{
    return ks_shell_is_shell(name);
}

/* Programs of their own in an image with a shell (coreutils, or busybox's
 * applets): what kubesim's sh runs, and what it says it does not. */
static bool is_sh_program(const char *name)
{
    return ks_shell_runs(name) || ks_shell_unsimulated(name);
}

/* Whether argv is a shell that reads its script from standard input: no
 * -c (alone or in a group, -ec), no script file (sh, sh -s, sh -i, bash -). */
static bool script_on_stdin(const char *const *argv, size_t argc)
{
    size_t i;
    if (!is_shell(base_name(argv[0])))
        return false;
    for (i = 1; i < argc; i++)
        if (argv[i][0] != '-' || (argv[i][1] != '-' && strchr(argv[i], 'c')))
            return false;
    return true;
}

/* A single-quoted word of sh ('...', a ' as '\''). */
static void sh_quote(ks_strbuf *b, const char *s)
{
    ks_strbuf_putc(b, '\'');
    for (; *s; s++)
        if (*s == '\'')
            ks_strbuf_puts(b, "'\\''");
        else
            ks_strbuf_putc(b, *s);
    ks_strbuf_putc(b, '\'');
}

/* A shell's state at its end as the lines that set it again (ks_exec.h
 * ks_exec_result.shell): its functions' definitions first (as written),
 * the options last, so that set -x traces none of the assignments; then $? by a shell that exits with it (in an AND list,
 * which set -e lets fail: XCU 2.8.1), unless set -x would trace that. */
static void shell_state(const ks_shell_run *run, ks_strbuf *b)
{
    size_t i;
    ks_strbuf_clear(b);
    for (i = 0; i < run->st.nfuncs; i++)     /* its functions, as they were written */
        if (run->funcs[i].text)
            ks_strbuf_printf(b, "%s\n", run->funcs[i].text);
    for (i = 0; i < run->st.nvars; i++) {
        const ks_shell_var *v = &run->st.vars[i];
        if (v->unset) {
            ks_strbuf_printf(b, "unset %s\n", v->name);
            continue;
        }
        ks_strbuf_printf(b, "%s=", v->name);
        sh_quote(b, v->value);
        ks_strbuf_putc(b, '\n');
        if (v->exported)
            ks_strbuf_printf(b, "export %s\n", v->name);
    }
    if (run->st.pipefail)
        ks_strbuf_puts(b, "set -o pipefail\n");
    if (run->st.errexit)
        ks_strbuf_puts(b, "set -e\n");
    if (run->st.nounset)
        ks_strbuf_puts(b, "set -u\n");
    if (run->st.xtrace)
        ks_strbuf_puts(b, "set -x\n");
    else if (run->status != 0)
        ks_strbuf_printf(b, "sh -c 'exit %d' && :\n", run->status);
}

/* Runs argv through kubesim's sh (a script with sh -c, one command, or a
 * script read from standard input), ignoring its sleeps. */
static int run_sh(ksi_exec *x, const char *const *argv, size_t argc)
{
    char why[240];
    const char *from_stdin[3], *input = x->input;
    ks_strbuf *state = x->state;   /* the exec's own shell's; none a shell it starts */
    ks_shell_io io;
    ks_shell_prog *prog;
    ks_shell_run run;
    ks_time sleep;
    int sleeps = 0;
    x->state = NULL;
    if (!input || !script_on_stdin(argv, argc))
        state = NULL;
    if (input && script_on_stdin(argv, argc)) {
        /* sh reads its script from standard input, which it then holds:
           the script's commands find it at its end */
        from_stdin[0] = argv[0];
        from_stdin[1] = "-c";
        from_stdin[2] = input;
        argv = from_stdin;
        argc = 3;
        x->input = NULL;
    }
    io = exec_io(x);
    prog = ks_shell_compile(x->ar, argv, argc, NULL, 0, why, sizeof why);
    x->input = input;
    if (!prog) {
        ks_strbuf_printf(ksi_err(x), "sh: %s\n", why);
        return 2;
    }
    ks_shell_start(&run, prog);
    while (ks_shell_step(&run, &io, &sleep))
        if (++sleeps >= MAX_SLEEPS) {
            ks_strbuf_printf(ksi_err(x), "kubesim: the command was still running after %d "
                                     "sleeps; kubesim stopped it (a real exec would wait)\n",
                             sleeps);
            return 130;
        }
    if (state)
        shell_state(&run, state);
    return run.status;
}

/* ---- kill ------------------------------------------------------------------------------ */
/* kill [-s SIG | -SIG | -N] PID...: the only process in the container's
 * PID namespace that kubesim knows is its main process, PID 1; signalling
 * it ends the container (ksi_exec_run's caller: exit 128 + the signal, as
 * a process killed by it). Signal 0 only checks it exists. The words are
 * busybox's (kill applet) and the runtime's for an unknown signal. */
static int signal_number(const char *s)
{
    static const struct { const char *name; int num; } sigs[] = {
        {"HUP", 1}, {"INT", 2}, {"QUIT", 3}, {"KILL", 9}, {"USR1", 10}, {"USR2", 12},
        {"TERM", 15}};
    size_t i;
    if (*s >= '0' && *s <= '9') {
        int n = 0;
        for (; *s >= '0' && *s <= '9' && n < 100; s++)
            n = n * 10 + (*s - '0');
        return *s || n > 64 ? -1 : n;
    }
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (strcmp(sigs[i].name, s) == 0)
            return sigs[i].num;
    return -1;
}

static int x_kill(ksi_exec *x, const char *const *argv, size_t argc)
{
    int sig = 15, status = 0;
    size_t i = 1;
    if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
        sig = signal_number(argv[i + 1]);
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
        sig = signal_number(argv[i] + 1);
        i++;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (sig < 0) {
        ks_strbuf_printf(ksi_err(x), "kill: bad signal name '%s'\n", argv[i - 1]);
        return 1;
    }
    if (i == argc) {
        ks_strbuf_printf(ksi_err(x), "kill: usage: kill [-s SIG | -SIG] PID...\n");
        return 1;
    }
    for (; i < argc; i++) {
        if (strcmp(argv[i], "1") != 0) {
            ks_strbuf_printf(ksi_err(x), "kill: can't kill pid %s: No such process\n", argv[i]);
            status = 1;
        } else if (!x->can_signal) {
            ks_strbuf_printf(ksi_err(x), "kubesim: kill 1 in a probe is not simulated\n");
            status = 1;
        } else if (sig != 0) {
            x->signal = sig;
        }
    }
    return status;
}

/* A program of the image run outside sh: true with its status; false when
 * the image has no such program. */
static bool run_program(ksi_exec *x, const char *const *argv, size_t argc, int *status)
{
    const char *name = base_name(argv[0]);
    const ks_image_entry *e = x->p->pub.containers[x->c].image;
    bool sh = ks_image_has_program(e, "sh");
    if (!ks_image_has_program(e, name) && !(sh && is_sh_program(name)))
        return false;
    if (strcmp(name, "kill") == 0)
        *status = x_kill(x, argv, argc);
    else if (is_shell(name) || is_sh_program(name) || strcmp(name, "nslookup") == 0
        || strcmp(name, "wget") == 0 || strcmp(name, "curl") == 0)
        *status = run_sh(x, argv, argc);
    else if (!ksi_exec_client(x, name, argv, argc, status)) {
        ks_strbuf_printf(ksi_err(x), "kubesim: %s is in the image, but kubesim does not run it\n",
                         name);
        *status = 126;
    }
    return true;
}

/* A command sh has none of its own for: the image's clients (psql in a
 * script); sh's own commands are sh's business, not run again. */
static bool x_program(void *ud, const ks_shell_io *io, const char *const *argv, size_t argc,
                      int *status)
{
    ksi_exec *x = ud;
    const char *name = base_name(argv[0]);
    const char *const *assign = x->assign, *input = x->input;
    size_t nassign = x->nassign;
    bool ran = true;
    x->assign = io->assign;             /* X=1 psql: in the program's environment */
    x->nassign = io->nassign;
    x->input = io->input;               /* echo 'SELECT 1' | psql */
    if (is_shell(name) && ks_image_has_program(x->p->pub.containers[x->c].image, name))
        *status = run_sh(x, argv, argc);
    else if (strcmp(name, "kill") == 0)           /* sh's builtin */
        *status = x_kill(x, argv, argc);
    else if (is_sh_program(name) || !ks_image_has_program(x->p->pub.containers[x->c].image, name))
        ran = false;
    else
        ran = run_program(x, argv, argc, status);
    x->assign = assign;
    x->nassign = nassign;
    x->input = input;
    return ran;
}

/* ---- exec ----------------------------------------------------------------------------- */
int ksi_exec_run(ks_sim *sim, ksi_pod *p, size_t c, const char *const *argv, size_t argc,
                 const ks_shell_io *base, struct ksi_dir *data, bool listening,
                 ks_strbuf *out, ks_strbuf *err, ks_strbuf *order, int *signal,
                 ks_strbuf *state)
{
    ksi_exec x;
    int code = 0;
    memset(&x, 0, sizeof x);
    x.sim = sim;
    x.p = p;
    x.c = c;
    x.out = out;
    x.err = err;
    x.order = order;
    x.base = *base;
    x.data = data;
    x.listening = listening;
    x.input = base->input;
    x.can_signal = signal != NULL;
    x.state = state;
    if (signal)
        *signal = 0;
    if (argc == 0)
        return 0;
    if (!(x.ar = ks_arena_create(ks_sim_allocator(sim)))) {
        ks_sim_fail(sim, KS_ENOMEM);
        return 1;
    }
    if (!run_program(&x, argv, argc, &code)) {
        /* dockerd writes the runtime's error to the exec's stdout; kubectl
           then reports exit code 126 */
        if (strchr(argv[0], '/'))
            ks_strbuf_printf(ksi_out(&x), "OCI runtime exec failed: exec failed: unable to start "
                                  "container process: exec: \"%s\": stat %s: no such file "
                                  "or directory: unknown\n", argv[0], argv[0]);
        else
            ks_strbuf_printf(ksi_out(&x), "OCI runtime exec failed: exec failed: unable to start "
                                  "container process: exec: \"%s\": executable file not "
                                  "found in $PATH: unknown\n", argv[0]);
        code = 126;
    }
    ksi_exec_note(&x);
    ks_arena_destroy(x.ar);
    if (signal)
        *signal = x.signal;
    return code;
}
