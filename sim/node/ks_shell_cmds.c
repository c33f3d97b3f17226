/* ks_shell_cmds.c -- the commands kubesim's sh runs itself: busybox's
 * applets and sh's builtins (echo, printf, sleep, exit, cat, ...), each
 * with busybox's words for what goes wrong (see ks_shell.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"

typedef ksi_sh_op op;

#define FOREVER ((ks_time)1000000000 * KS_SEC)   /* a block that never ends */

#define say ksi_sh_say
#define complain ksi_sh_complain
#define emit_text ksi_sh_emit_text

/* Whether the image ships applet (sh's own commands are always there). */
static bool has(const ks_shell_io *io, const char *applet)
{
    return !io->has || io->has(io->ud, applet);
}

/* text with a newline, in buf. */
static const char *with_newline(char *buf, size_t n, const char *text)
{
    snprintf(buf, n, "%.*s\n", (int)(n > 1 ? n - 2 : 0), text);
    return buf;
}

/* Joins argv[from..] with spaces. */
static void join(char *buf, size_t n, const char *const *argv, size_t from, size_t argc)
{
    size_t len = 0, i;
    buf[0] = '\0';
    for (i = from; i < argc && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i > from ? " " : "", argv[i]);
}

static bool parse_seconds(const char *s, ks_time *out)
{
    char *end;
    double v;
    if (strcmp(s, "infinity") == 0 || strcmp(s, "inf") == 0) {
        *out = FOREVER;                 /* sleep infinity: coreutils and busybox */
        return true;
    }
    v = strtod(s, &end);
    if (end == s || v < 0 || v > 1e9)
        return false;
    if (*end == 's' && !end[1])
        end++;
    else if (*end == 'm' && !end[1])
        v *= 60, end++;
    else if (*end == 'h' && !end[1])
        v *= 3600, end++;
    if (*end)
        return false;
    *out = (ks_time)(v * 1e6 + 0.5);
    return true;
}

/* printf's FORMAT with %s, %d, %% and the escapes \n \t \\; the format is
 * reused while arguments remain, as printf does. */
static void format(char *out, size_t n, const char *fmt, const char *const *args, size_t nargs)
{
    size_t k = 0, used = 0;
    do {
        const char *f;
        for (f = fmt; *f && k + 1 < n; f++) {
            if (*f == '\\' && f[1]) {
                f++;
                out[k++] = *f == 'n' ? '\n' : *f == 't' ? '\t' : *f;
            } else if (*f == '%' && f[1] == '%') {
                out[k++] = '%';
                f++;
            } else if (*f == '%' && (f[1] == 's' || f[1] == 'd')) {
                const char *a = used < nargs ? args[used++] : (f[1] == 'd' ? "0" : "");
                k += (size_t)snprintf(out + k, n - k, "%s", a);
                if (k >= n)
                    k = n - 1;
                f++;
            } else {
                out[k++] = *f;
            }
        }
    } while (used < nargs && used > 0 && k + 1 < n);
    out[k] = '\0';
}


bool ks_shell_runs(const char *name)
{
    static const char *const progs[] = {"echo", "printf", "cat", "sleep", "true", "false",
                                        "touch", "rm", "test", "[", "env", "printenv",
                                        "hostname", "grep", "wc", "head", "tail", "cut",
                                        "tr", "sort", "uniq", "date", "read", "shift", "seq", "ls",
                                        "find", NULL};
    size_t i;
    for (i = 0; progs[i]; i++)
        if (strcmp(progs[i], name) == 0)
            return true;
    return false;
}

bool ks_shell_unrun_builtin(const char *name)
{
    /* POSIX's special built-ins (XCU 2.14) and ash's regular ones that a
       script uses, beyond those kubesim's sh runs (: exit shift read...) */
    static const char *const builtins[] = {
        "cd", "trap", "eval",
        "wait", "local", "return", "break", "continue", "ulimit", "umask", "getopts",
        "alias", "command", "type", "times", "pwd", NULL};
    size_t i;
    for (i = 0; builtins[i]; i++)
        if (strcmp(builtins[i], name) == 0)
            return true;
    return false;
}

bool ks_shell_is_shell(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    return strcmp(base, "sh") == 0 || strcmp(base, "bash") == 0 || strcmp(base, "ash") == 0;
}

bool ks_shell_unsimulated(const char *name)
{
    static const char *const progs[] = {
        "mkdir", "ps",   "df",    "du",   "id",    "whoami", "uname", "mount",
        "sed", "awk",  "chmod", "chown", "cp",   "mv",    "ln",   "xargs", "stat",  "kill",
        "tee", "basename", "dirname", "expr", "rmdir", "readlink", "free", "nproc",
        NULL};
    size_t i;
    for (i = 0; progs[i]; i++)
        if (strcmp(progs[i], name) == 0)
            return true;
    return false;
}

void ksi_sh_usage(const ks_shell_io *io, const char *const *lines)
{
    size_t i;
    /* bb_show_usage (libbb/appletlib.c): bb_banner, " multi-call binary.",
       a blank line, "Usage: APPLET " and the applet's usage text, on stderr;
       then xfunc_die: exit 1. The banner of busybox:1.37.0 (Docker Hub's
       busybox:latest when read, 2026-12) */
    ksi_sh_complain(io, "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.");
    ksi_sh_complain(io, "");
    for (i = 0; lines[i]; i++)
        ksi_sh_complain(io, lines[i]);
}

/* seq [-w] [-s SEP] [FIRST [INC]] LAST (busybox coreutils/seq.c) over
 * integers; a number with a fraction is said not simulated. */
static int seq(const op *o, const ks_shell_io *io)
{
    static const char *const usage[] = {
        "Usage: seq [-w] [-s SEP] [FIRST [INC]] LAST", "",
        "Print numbers from FIRST to LAST, in steps of INC.", "FIRST, INC default to 1.", "",
        "\t-w\tPad with leading zeros", "\t-s SEP\tString separator", NULL};
    const char *sep = "\n", *num[3];
    char text[PIPE_BUF_SIZE], *end;
    long v[3] = {1, 1, 0}, x;
    size_t i, n = 0, k = 0, width = 0, count = 0;
    bool pad = false;
    for (i = 1; i < o->argc; i++) {
        const char *a = o->argv[i];
        if (strcmp(a, "-w") == 0)
            pad = true;
        else if (strcmp(a, "-s") == 0 && i + 1 < o->argc)
            sep = o->argv[++i];
        else if (strncmp(a, "-s", 2) == 0 && a[2])
            sep = a + 2;                /* getopt: -s, is -s , */
        else if (n < 3)
            num[n++] = a;
        else
            n = 4;
    }
    if (n == 0 || n > 3) {
        ksi_sh_usage(io, usage);
        return 1;
    }
    for (i = 0; i < n; i++) {
        if (strchr(num[i], '.')) {
            complain(io, "kubesim: seq with fractions is not simulated by kubesim's sh");
            return 1;
        }
        x = strtol(num[i], &end, 10);
        if (end == num[i] || *end) {
            ksi_sh_usage(io, usage);
            return 1;
        }
        v[n == 1 ? 2 : n == 2 ? (i ? 2 : 0) : i] = x;
        width = strlen(num[i]) > width ? strlen(num[i]) : width;
    }
    text[0] = '\0';
    for (x = v[0]; v[1] && (v[1] > 0 ? x <= v[2] : x >= v[2]) && count < 10000; x += v[1]) {
        int w = snprintf(text + k, sizeof text - k, "%s%0*ld", count ? sep : "",
                         pad ? (int)width : 0, x);
        if (w < 0 || k + (size_t)w >= sizeof text - 1)
            break;
        k += (size_t)w;
        count++;
    }
    if (count)
        snprintf(text + k, sizeof text - k, "\n");
    emit_text(io, o, text);
    return 0;
}

/* The commands sh runs itself (internal/shell.h). */
int ksi_sh_builtin(const op *o, const ks_shell_io *io, ks_time *sleep, bool *exit_now)
{
    const char *cmd = o->argv[0];
    char line[1024];
    *sleep = 0;
    if (strcmp(cmd, "printf") == 0) {
        if (o->argc < 2) {
            complain(io, "printf: usage: printf FORMAT [ARGUMENT]...");
            return 1;
        }
        format(line, sizeof line, o->argv[1], o->argv + 2, o->argc - 2);
        emit_text(io, o, line);
        return 0;
    }
    if (strcmp(cmd, "echo") == 0) {
        size_t from = 1;
        bool newline = true, escapes = false;
        /* busybox echo's flags: -n (no newline), -e (backslash escapes) */
        while (from < o->argc && o->argv[from][0] == '-' && o->argv[from][1]
               && strspn(o->argv[from] + 1, "neE") == strlen(o->argv[from] + 1)) {
            newline = newline && !strchr(o->argv[from], 'n');
            escapes = escapes || strchr(o->argv[from], 'e');
            from++;
        }
        if (escapes || !newline) {
            char raw[1024];
            const char *r;
            size_t k = 0;
            join(raw, sizeof raw, o->argv, from, o->argc);
            for (r = raw; *r && k + 2 < sizeof line; r++) {
                if (escapes && *r == '\\' && r[1]) {
                    r++;
                    line[k++] = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
                } else {
                    line[k++] = *r;
                }
            }
            if (newline)
                line[k++] = '\n';
            line[k] = '\0';
            emit_text(io, o, line);
            return 0;
        }
        join(line, sizeof line, o->argv, from, o->argc);
        if (o->redirect) {
            if (io->write_file) {
                char withnl[1100];
                snprintf(withnl, sizeof withnl, "%s\n", line);
                io->write_file(io->ud, o->redirect, withnl, o->append);
            }
        } else {
            say(io, line);
        }
        return 0;
    }
    if (strcmp(cmd, "true") == 0 || strcmp(cmd, ":") == 0)
        return 0;
    if (strcmp(cmd, "seq") == 0)
        return seq(o, io);
    if (strcmp(cmd, "false") == 0)
        return 1;
    if (strcmp(cmd, "sleep") == 0) {
        if (o->argc < 2 || !parse_seconds(o->argv[1], sleep)) {
            complain(io, "sleep: invalid number");
            return 1;
        }
        return 0;
    }
    if (strcmp(cmd, "exit") == 0) {
        *exit_now = true;
        return o->argc > 1 ? (int)(strtol(o->argv[1], NULL, 10) & 255) : -1;
    }
    if (strcmp(cmd, "touch") == 0) {
        /* busybox coreutils/touch.c: utimensat, else open(O_CREAT); either
           refused: bb_simple_perror_msg(file), "touch: FILE: Read-only file
           system", status 1 */
        size_t i;
        int st = 0, err = 0;
        for (i = 1; i < o->argc; i++) {
            if (io->can_write)
                err = io->can_write(io->ud, o->argv[i]);
            if (!err && io->write_file && (!io->read_file || !io->read_file(io->ud, o->argv[i])))
                err = io->write_file(io->ud, o->argv[i], "", true);
            if (err) {
                snprintf(line, sizeof line, "touch: %s: %s", o->argv[i], ks_shell_strerror(err));
                complain(io, line);
                st = 1;
            }
        }
        return st;
    }
    if (strcmp(cmd, "rm") == 0) {
        /* busybox libbb/remove_file.c: lstat's ENOENT is quiet under -f,
           unlink's failure never is: "rm: can't remove 'FILE': %s" */
        size_t i;
        bool force = false;
        int st = 0;
        for (i = 1; i < o->argc; i++) {
            int err;
            if (o->argv[i][0] == '-') {
                force = force || strchr(o->argv[i], 'f');
                continue;
            }
            err = io->remove_file ? io->remove_file(io->ud, o->argv[i]) : KS_SHELL_ENOENT;
            if (err && !(force && err == KS_SHELL_ENOENT)) {
                snprintf(line, sizeof line, "rm: can't remove '%s': %s", o->argv[i],
                         ks_shell_strerror(err));
                complain(io, line);
                st = 1;
            }
        }
        return st;
    }
    if (strcmp(cmd, "nslookup") == 0 && o->argc > 1 && has(io, cmd)) {
        /* busybox nslookup: the server, then the answer or NXDOMAIN; each A
           record as its own Name/Address pair (parse_reply in
           networking/nslookup.c) */
        char server[64] = "", name[300] = "", addr[16][64];
        size_t found = io->resolve ? io->resolve(io->ud, o->argv[1], server, name, addr, 16) : 0;
        size_t a;
        if (found == KS_SHELL_NO_SERVER) {
            /* no reply: the server lines come with the first one; the
               queries are retried until the 5 s timeout (send_queries,
               default_timeout), then nslookup_main gives up */
            say(io, ";; connection timed out; no servers could be reached");
            say(io, "");
            *sleep = 5 * KS_SEC;
            return 1;
        }
        snprintf(line, sizeof line, "Server:\t\t%s", server);
        say(io, line);
        snprintf(line, sizeof line, "Address:\t%s:53", server);
        say(io, line);
        say(io, "");
        if (!found) {
            snprintf(line, sizeof line, "** server can't find %s: NXDOMAIN", o->argv[1]);
            say(io, line);
            return 1;
        }
        for (a = 0; a < found; a++) {
            snprintf(line, sizeof line, "Name:\t%s", name);
            say(io, line);
            snprintf(line, sizeof line, "Address: %s", addr[a]);
            say(io, line);
        }
        return 0;
    }
    if (strcmp(cmd, "test") == 0 || strcmp(cmd, "[") == 0) {
        bool bracket = strcmp(cmd, "[") == 0;
        if (bracket && strcmp(o->argv[o->argc - 1], "]") != 0) {
            complain(io, "sh: missing ]");   /* bb_simple_error_msg: applet_name (sh) */
            return 2;
        }
        return ksi_sh_test(io, o->argv + 1, o->argc - 1 - bracket);
    }
    if (strcmp(cmd, "tail") == 0 && o->argc > 1 && strcmp(o->argv[1], "-f") == 0) {
        *sleep = FOREVER;               /* tail -f /dev/null: keeps the container up */
        return 0;
    }
    if (strcmp(cmd, "printenv") == 0 || strcmp(cmd, "env") == 0) {
        size_t i;
        const char *name, *value;
        if (o->argc > 1 && strcmp(cmd, "printenv") == 0) {
            int st = 0;
            for (i = 1; i < o->argc; i++) {
                value = ksi_sh_getenv(io, o->argv[i]);
                if (value)
                    emit_text(io, o, with_newline(line, sizeof line, value));
                else
                    st = 1;
            }
            return st;
        }
        for (i = 0; io->env_at && (name = io->env_at(io->ud, i, &value)) != NULL; i++) {
            char kv[1024];
            size_t k, len = strlen(name);
            for (k = 0; k < io->nassign; k++)  /* X=1 env: X is the assignment's */
                if (strncmp(io->assign[k], name, len) == 0 && io->assign[k][len] == '=')
                    break;
            if (k < io->nassign)
                continue;
            snprintf(kv, sizeof kv, "%s=%s", name, value);
            emit_text(io, o, with_newline(line, sizeof line, kv));
        }
        for (i = 0; i < io->nassign; i++)
            emit_text(io, o, with_newline(line, sizeof line, io->assign[i]));
        return 0;
    }
    if (strcmp(cmd, "set") == 0 || strcmp(cmd, "export") == 0 || strcmp(cmd, "unset") == 0
        || strcmp(cmd, "readonly") == 0)
        return 0;                       /* in a pipe's stage: a subshell's, lost with it */
    if (strcmp(cmd, "read") == 0 || strcmp(cmd, "shift") == 0) {
        /* a pipe's stage is a subshell: what it reads or shifts is lost
           with it (the script's own read and shift: ks_shell_run.c) */
        return cmd[0] == 'r' && !(io->input && strchr(io->input, '\n'));
    }
    if (strcmp(cmd, ".") == 0 || strcmp(cmd, "source") == 0) {
        /* the script's own . runs the file (ks_shell_source.c); a pipe's
           stage is a subshell, which kubesim's sh does not give one */
        snprintf(line, sizeof line, "kubesim: '%s FILE' in a pipe is not run by kubesim's sh",
                 cmd);
        complain(io, line);
        return 2;
    }
    if (ks_shell_unrun_builtin(cmd)) {
        snprintf(line, sizeof line, "kubesim: '%s' is a builtin of sh that kubesim's sh does "
                                    "not run", cmd);
        complain(io, line);
        return 2;
    }
    if (strcmp(cmd, "hostname") == 0) {
        const char *h = ksi_sh_getenv(io, "HOSTNAME");
        emit_text(io, o, with_newline(line, sizeof line, h ? h : "localhost"));
        return 0;
    }
    {
        int st = ksi_sh_text(o, io);
        if (st >= 0 || (st = ksi_sh_files(o, io)) >= 0)
            return st;
        if ((st = ksi_sh_net(o, io, sleep)) >= 0)
            return st;
        if ((st = ksi_sh_perl(o, io, sleep)) >= 0)
            return st;
        if (io->program && io->program(io->ud, io, o->argv, o->argc, &st))
            return st;
    }
    if (ks_shell_unsimulated(cmd))
        snprintf(line, sizeof line, "kubesim: %s is in the image, but kubesim's sh does not "
                                    "run it", cmd);
    else
        snprintf(line, sizeof line, "sh: %s: not found", cmd);
    complain(io, line);
    return 127;
}

