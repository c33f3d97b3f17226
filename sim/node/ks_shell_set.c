/* ks_shell_set.c -- the builtins that change the script's own state: set
 * (-e, -x, --), export, unset, readonly, read, shift; and set -x's trace.
 * Their words come expanded (ks_shell_run.c). Behaviour and words are
 * busybox ash's (shell/ash.c: setcmd/options, exportcmd, unsetcmd,
 * shiftcmd, readcmd -> shell_builtin_read, evalcommand's xflag trace) and
 * POSIX XCU 2.14's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"

typedef ksi_sh_op op;

static bool is_name(const char *s, size_t n)
{
    size_t i;
    if (!n || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (i = 1; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')
              || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

static ks_shell_var *find_var(ks_shell_run *run, const char *name, size_t n)
{
    size_t i;
    for (i = 0; i < run->st.nvars; i++)
        if (strlen(run->st.vars[i].name) == n && strncmp(run->st.vars[i].name, name, n) == 0)
            return &run->st.vars[i];
    return NULL;
}

/* ---- set -x ------------------------------------------------------------------------ */
/* busybox ash maybe_single_quote: a word with a character outside
 * +,-./0-9:@A-Z]^_a-z is put in single quotes (a ' inside as "'"). */
static void quoted(char *out, size_t n, const char *s)
{
    const char *p;
    size_t k = 0;
    bool need = false;
    for (p = s; *p; p++)
        if (*p < '+' || (*p >= ';' && *p <= '?') || *p == '`' || *p == '[' || *p == '\\'
            || *p > 'z')
            need = true;
    if (!need) {
        snprintf(out, n, "%s", s);
        return;
    }
    for (p = s; k + 6 < n;) {
        size_t len = strcspn(p, "'");
        out[k++] = '\'';
        while (len-- && k + 3 < n)
            out[k++] = *p++;
        out[k++] = '\'';
        if (*p != '\'')
            break;
        out[k++] = '"';
        while (*p == '\'' && k + 2 < n)
            out[k++] = *p++;
        out[k++] = '"';
        if (!*p)
            break;
    }
    out[k] = '\0';
}

void ksi_sh_trace(const ks_shell_io *io, const char *const *assign, size_t nassign,
                  const char *const *argv, size_t argc)
{
    char line[1024], q[512];
    size_t i, k = 0;
    k += (size_t)snprintf(line, sizeof line, "+");      /* PS4's default "+ " */
    for (i = 0; i < nassign + argc && k < sizeof line; i++) {
        const char *w = i < nassign ? assign[i] : argv[i - nassign];
        const char *eq = i < nassign ? strchr(w, '=') : NULL;
        quoted(q, sizeof q, eq ? eq + 1 : w);
        k += (size_t)snprintf(line + k, sizeof line - k, " %.*s%s",
                              eq ? (int)(eq + 1 - w) : 0, w, q);
    }
    ksi_sh_complain(io, line);
}

/* ---- read, shift ------------------------------------------------------------------- */
/* read [-r] [NAME...] (busybox's shell_builtin_read): a line of standard
 * input split at IFS's blanks into the names, the last taking the rest
 * (REPLY when none); without -r a backslash quotes the next character and
 * a backslash-newline joins lines. Status 1 at the end of the input (the
 * names get what there was). Its input: its own < FILE or here-document,
 * else the loop's (done < FILE, cmd | while read), whose lines it uses up,
 * else the shell's (a container's is empty). */
static int read_cmd(ks_shell_run *run, const op *o, const ks_shell_io *io,
                    const char *const *argv, size_t argc)
{
    char word[KS_SHELL_INPUT_SIZE / 2], line[1024];
    const char *in, *shell_in = NULL;
    size_t n = 0, a, *pos = NULL;
    bool raw = false, eof = true;
    int st;
    for (a = 1; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
        if (strcmp(argv[a], "-r") == 0 || strcmp(argv[a], "-s") == 0)
            raw = raw || argv[a][1] == 'r';
        else if ((strcmp(argv[a], "-p") == 0 || strcmp(argv[a], "-t") == 0) && a + 1 < argc)
            a++;                          /* a prompt (to a terminal only), a time-out */
        else {
            snprintf(line, sizeof line, "sh: read: illegal option %s", argv[a]);
            ksi_sh_complain(io, line);
            return 2;
        }
    }
    if (o->input) {
        in = ksi_sh_stdin_of(o, run, io, word, sizeof word, &st);
        if (st)
            return st;
    } else if (run->st.ninput && run->st.ninput <= KS_SHELL_INPUTS) {
        pos = &run->inpos[run->st.ninput - 1];
        in = run->input[run->st.ninput - 1] + *pos;
    } else {
        in = shell_in = io->input;        /* what is left of the shell's (ks_shell_run.c) */
    }
    for (; in && *in; in++) {
        if (*in == '\n') {
            eof = false;
            in++;
            break;
        }
        if (!raw && *in == '\\' && in[1]) {
            in++;
            if (*in == '\n')
                continue;                 /* a backslash-newline: the line goes on */
        }
        if (n + 1 < sizeof line)
            line[n++] = *in;
    }
    if (pos && in)
        *pos = (size_t)(in - run->input[run->st.ninput - 1]);
    if (shell_in)                         /* read(2) a byte at a time: only its line is
                                             used up, the next command reads on */
        run->stdin_used += (size_t)(in - shell_in);
    line[n] = '\0';
    {
        static const char *const reply[] = {"REPLY"};
        const char *const *names = a < argc ? argv + a : reply;
        size_t nn = a < argc ? argc - a : 1, k;
        char *p = line;
        for (k = 0; k < nn; k++) {
            char *end;
            while (*p == ' ' || *p == '\t')
                p++;
            if (k + 1 == nn) {                /* the last name: the rest, blanks trimmed */
                end = p + strlen(p);
                while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
                    *--end = '\0';
            } else {
                for (end = p; *end && *end != ' ' && *end != '\t'; end++) {
                }
                if (*end)
                    *end++ = '\0';
            }
            ksi_sh_set_var(run, names[k], strlen(names[k]), p);
            p = end;
        }
    }
    return eof ? 1 : 0;
}

/* shift [N]: $N+1... become $1...; N more than $# leaves them and gives
 * status 1 (busybox ash shiftcmd); a bad N ends the script (-1). */
static int shift(ks_shell_run *run, const ks_shell_io *io, const char *const *argv,
                 size_t argc)
{
    long k = 1;
    if (argc > 1) {
        char *end;
        k = strtol(argv[1], &end, 10);
        if (end == argv[1] || *end || k < 0) {
            char line[300];
            snprintf(line, sizeof line, "sh: Illegal number: %s", argv[1]);
            ksi_sh_complain(io, line);
            return -1;                    /* ash_msg_and_raise_error: sh exits 2 */
        }
    }
    if ((size_t)k > run->st.nparams)
        return 1;                         /* busybox ash shiftcmd: 1, nothing said */
    run->st.params += k;
    run->st.nparams -= (size_t)k;
    return 0;
}

/* ---- set, export, unset ------------------------------------------------------------ */
/* set -- ARGS (or set ARGS after the options): the new $1... (POSIX set). */
static void set_params(ks_shell_run *run, const char *const *argv, size_t argc)
{
    size_t i, used = 0;
    run->st.nparams = 0;
    for (i = 0; i < argc && i < KS_SHELL_SET_ARGS; i++) {
        int w = snprintf(run->setbuf + used, sizeof run->setbuf - used, "%s", argv[i]);
        if (w < 0 || used + (size_t)w + 1 > sizeof run->setbuf)
            break;
        run->setargs[i] = run->setbuf + used;
        used += (size_t)w + 1;
        run->st.nparams++;
    }
    run->st.params = run->setargs;
}

/* set [-+ex] [-o errexit|xtrace|pipefail] [--] [ARGS]: the options
 * kubesim's sh runs (-u: nounset, ks_shell_words.c); another option is
 * said on stderr with status 2 (kubesim check warns of both:
 * ks_shell_notes). set with no words lists the script's variables. */
static int set_cmd(ks_shell_run *run, const op *o, const ks_shell_io *io,
                   const char *const *argv, size_t argc)
{
    char line[400];
    size_t a;
    if (argc == 1) {                      /* set: the variables, NAME='value' */
        size_t i;
        char q[300];
        for (i = 0; i < run->st.nvars; i++) {
            if (run->st.vars[i].unset)
                continue;
            quoted(q, sizeof q, run->st.vars[i].value);
            snprintf(line, sizeof line, "%s=%s", run->st.vars[i].name, q);
            ksi_sh_emit_text(io, o, line), ksi_sh_emit_text(io, o, "\n");
        }
        return 0;
    }
    for (a = 1; a < argc; a++) {
        const char *w = argv[a];
        bool on = w[0] == '-';
        if (strcmp(w, "--") == 0) {
            set_params(run, argv + a + 1, argc - a - 1);
            return 0;
        }
        if ((w[0] != '-' && w[0] != '+') || !w[1]) {
            set_params(run, argv + a, argc - a);   /* set ARGS */
            return 0;
        }
        for (w++; *w; w++) {
            if (*w == 'o' && a + 1 < argc) {      /* -o NAME, also in -eo NAME */
                const char *name = argv[++a];
                if (strcmp(name, "errexit") == 0)
                    run->st.errexit = on;
                else if (strcmp(name, "xtrace") == 0)
                    run->st.xtrace = on;
                else if (strcmp(name, "pipefail") == 0)
                    run->st.pipefail = on;
                else if (strcmp(name, "nounset") == 0)
                    run->st.nounset = on;
                else {
                    snprintf(line, sizeof line, "kubesim: set -o %s is not simulated by "
                                                "kubesim's sh", name);
                    ksi_sh_complain(io, line);
                    return 2;
                }
            } else if (*w == 'e') {
                run->st.errexit = on;
            } else if (*w == 'x') {
                run->st.xtrace = on;
            } else if (*w == 'u') {
                run->st.nounset = on;        /* ks_shell_words.c: ash's varunset */
            } else {
                snprintf(line, sizeof line, "kubesim: set %c%c is not simulated by kubesim's "
                                            "sh", on ? '-' : '+', *w);
                ksi_sh_complain(io, line);
                return 2;
            }
        }
    }
    return 0;
}

/* export NAME[=value]... / readonly: the variable set (when a value is
 * given) and in the environment of the commands the script runs; unset
 * NAME...: gone, the container's own NAME too (POSIX unset; ash unsetcmd).
 * readonly is taken as a plain assignment (kubesim's sh does not refuse a
 * later assignment: kubesim check says so). */
static int export_cmd(ks_shell_run *run, const ks_shell_io *io, const char *const *argv,
                      size_t argc, bool unset, bool readonly)
{
    size_t a;
    char line[300];
    int st = 0;
    for (a = 1; a < argc; a++) {
        const char *w = argv[a], *eq = strchr(w, '=');
        size_t n = eq ? (size_t)(eq - w) : strlen(w);
        ks_shell_var *v;
        if (strcmp(w, "-p") == 0 || strcmp(w, "-f") == 0 || strcmp(w, "-v") == 0)
            continue;
        if (!is_name(w, n) || (unset && eq)) {
            snprintf(line, sizeof line, "sh: %s: %.*s: bad variable name",   /* ash setvar */
                     unset ? "unset" : readonly ? "readonly" : "export", (int)n, w);
            ksi_sh_complain(io, line);
            st = -1;                      /* ash: a special builtin's error ends sh */
            continue;
        }
        if (unset) {
            run->rnd_off = run->rnd_off || (n == 6 && strncmp(w, "RANDOM", 6) == 0);
            if (!(v = find_var(run, w, n))) {
                ksi_sh_set_var(run, w, n, "");
                v = find_var(run, w, n);
            }
            if (v) {
                v->value[0] = '\0';
                v->unset = true;
                v->exported = false;
            }
            continue;
        }
        if (eq) {
            ksi_sh_set_var(run, w, n, eq + 1);
        } else if (!find_var(run, w, n)) {
            /* export NAME of the container's own: it is in the environment
               already; a name never set stays unset, exported when it is */
            const char *env = io->getenv ? io->getenv(io->ud, w) : NULL;
            ksi_sh_set_var(run, w, n, env ? env : "");
            if (!env && (v = find_var(run, w, n)) != NULL)
                v->unset = true;
        }
        if ((v = find_var(run, w, n)) != NULL)
            v->exported = v->exported || !readonly;
    }
    return st;
}

int ksi_sh_state(ks_shell_run *run, const op *o, const ks_shell_io *io,
                 const char *const *argv, size_t argc)
{
    const char *cmd = argv[0];
    if (strcmp(cmd, "set") == 0)
        return set_cmd(run, o, io, argv, argc);
    if (strcmp(cmd, "export") == 0 || strcmp(cmd, "unset") == 0 || strcmp(cmd, "readonly") == 0)
        return export_cmd(run, io, argv, argc, cmd[0] == 'u', cmd[0] == 'r');
    if (strcmp(cmd, "read") == 0)
        return read_cmd(run, o, io, argv, argc);
    if (strcmp(cmd, "shift") == 0)
        return shift(run, io, argv, argc);
    return -2;
}
