/* ksv_exec_stdin.c -- pods/exec with stdin=true: the session reads what
 * the client sends over the WebSocket (k8s.io/apimachinery/pkg/util/
 * remotecommand; client-go transport/websocket): channel 0 stdin, 4 the
 * terminal's size ({"Width":W,"Height":H}, TerminalSize), 255 v5's CLOSE
 * of a stream (its id: 0, stdin ended, which `kubectl exec -i` sends at
 * the end of its input).
 *
 * Over v5 without a terminal the command waits for stdin's end, then runs
 * at a quiet instant with all of it as its standard input (the kubectl
 * step `exec POD -n NS -c C -i -- ARGS` with that stdin, kept for
 * --record): `echo 'echo hi' | kubectl exec -i POD -- sh` prints hi.
 *
 * v4 (the Python client's stream(), which offers only v4.channel.k8s.io)
 * has no CLOSE: stdin ends only when the client closes the connection,
 * and then nothing can be sent back. A shell reading its commands (sh,
 * bash... with no -c) therefore runs each command as it comes, as a real
 * sh reading a pipe does, and its output goes back while the connection
 * is open: write_stdin("echo hi\n") then readline_stdout() reads hi (the
 * client's examples/pod_exec.py). Any other command gets its stdin at the
 * close, and its output is lost, as a real `wc -l` waiting for the end of
 * its input would lose it (a real `cat` would echo each line at once:
 * kubesim does not).
 *
 * With a terminal (-it) the session is the terminal's line discipline
 * (the pty's, kubelet side: kubectl's own terminal is raw): what is typed
 * is echoed, erased with Backspace or Ctrl-U, ended with Enter; Ctrl-C
 * drops the line, Ctrl-D on an empty line is the end of the input; output
 * gets \r\n for \n (ONLCR). A shell (sh, bash... with no -c) runs each
 * line as it is entered, after a prompt ("> " while a command is not
 * complete: an if without its fi). `exit [N]` or Ctrl-D ends it with N
 * (else the last line's status); so does a failure under set -e. Any
 * other command gets every line at the end of its input, as without a
 * terminal.
 *
 * A shell's lines run as one step each, at the quiet instant when each
 * is complete; the shell's variables (assigned, exported, unset) and its
 * set -e/-x/-o pipefail and its functions carry from one line to the
 * next: the step's stdin
 * is the lines that set them again (ks_exec_result.shell) and then the
 * line, so a --record replay finds them too; $? too, except under set -x.
 * What does not carry: the working directory (kubesim's sh runs no cd). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_internal.h"
#include "ksv_ws.h"
#include "core/ks_mem.h"
#include "node/ks_shell.h"

#define MAX_INPUT (1024 * 1024)   /* stdin kept for one command */
#define MAX_LINE 4096             /* a terminal's line (Linux N_TTY: 4095 + newline) */

typedef struct xs {
    ksv_api *api;
    char ns[256], pod[256], container[256];
    char **argv;
    size_t argc;
    bool tty, per_line;           /* per_line: a shell on a terminal or over v4 */
    ks_strbuf input;              /* stdin so far (without a terminal, or not per line) */
    ks_strbuf pending;            /* per line: a command's lines so far (not complete) */
    ks_strbuf state;              /* per line: the shell's state, as lines (ks_exec.h) */
    char line[MAX_LINE];          /* the terminal's line being typed */
    size_t len;
    int esc;                      /* in an escape sequence: 1 after ESC, 2 after ESC [ */
    int last;                     /* the last line's exit status */
    unsigned width, height;       /* the terminal's size (resize messages) */
    bool done;
} xs;

static void xs_free(void *ud)
{
    xs *x = ud;
    size_t i;
    if (!x)
        return;
    for (i = 0; i < x->argc; i++)
        free(x->argv[i]);
    free(x->argv);
    ks_strbuf_fini(&x->input);
    ks_strbuf_fini(&x->pending);
    ks_strbuf_fini(&x->state);
    free(x);
}

/* Output as the terminal shows it: \r\n for \n on a terminal. */
static void send_out(xs *x, ksv_ws *w, unsigned char ch, const char *s, size_t n)
{
    ks_strbuf b;
    size_t i;
    if (!x->tty) {
        ksv_ws_send(w, ch, s, n);
        return;
    }
    ks_strbuf_init(&b, NULL);
    for (i = 0; i < n; i++) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            ks_strbuf_putc(&b, '\r');
        ks_strbuf_putc(&b, s[i]);
    }
    ksv_ws_send(w, ch, ks_strbuf_str(&b), b.len);
    ks_strbuf_fini(&b);
}

struct to_ws {
    xs *x;
    ksv_ws *w;
};

static void send_write(void *ud, int stream, const char *s, size_t n)
{
    struct to_ws *to = ud;
    send_out(to->x, to->w, to->x->tty ? 1 : (unsigned char)stream, s, n);
}

static void send_text(xs *x, ksv_ws *w, const char *s)
{
    send_out(x, w, 1, s, strlen(s));
}

/* The end: the Status on channel 3 (exit code as ServeExec words it). */
static void finish(xs *x, ksv_ws *w, const ks_exec_result *res)
{
    char *st = ksv_exec_status(res);
    ksv_ws_send(w, 3, st ? st : "", st ? strlen(st) : 0);
    free(st);
    ksv_ws_finish(w);
    x->done = true;
}

static void finish_code(xs *x, ksv_ws *w, int code)
{
    ks_exec_result res;
    memset(&res, 0, sizeof res);
    res.outcome = KS_EXEC_RAN;
    res.code = code;
    finish(x, w, &res);
}

/* Runs the command with input as its stdin, as a kubectl step; sends its
 * output. Returns false when it cannot run (the pod or its container went:
 * then the session is finished with a Status saying so). */
static bool run(xs *x, ksv_ws *w, const char *input)
{
    ks_exec_result res;
    ks_strbuf line, stdin_text;
    ks_time at = ks_run_quiet_instant(x->api->run);
    ks_id id = ks_cluster_find(x->api->sim, KS_KIND_POD, x->ns, x->pod);
    size_t i;
    bool ran;
    if (!id) {
        memset(&res, 0, sizeof res);
        res.outcome = KS_EXEC_NO_POD;
        ks_strbuf_init(&res.err, NULL);
        ks_strbuf_printf(&res.err, "pods \"%s\" not found", x->pod);
        finish(x, w, &res);
        ks_strbuf_fini(&res.err);
        return false;
    }
    ks_strbuf_init(&line, NULL);
    ks_strbuf_printf(&line, "kubectl exec %s -n %s -c %s -i --", x->pod, x->ns, x->container);
    for (i = 0; i < x->argc; i++)
        ksv_exec_quote(&line, x->argv[i]);
    /* a shell's line: after the lines that set its state again */
    ks_strbuf_init(&stdin_text, NULL);
    if (x->per_line)
        ks_strbuf_puts(&stdin_text, ks_strbuf_str(&x->state));
    ks_strbuf_puts(&stdin_text, input);
    ksv_step_exec(x->api, at, ks_strbuf_str(&line), id, x->container,
                  (const char *const *)x->argv, x->argc, ks_strbuf_str(&stdin_text), &res);
    ks_strbuf_fini(&stdin_text);
    ks_strbuf_fini(&line);
    ran = res.outcome == KS_EXEC_RAN;
    if (ran && x->per_line) {
        ks_strbuf_clear(&x->state);
        ks_strbuf_puts(&x->state, ks_strbuf_str(&res.shell));
    }
    if (ran) {
        /* each stream's frames in the order the command wrote them */
        struct to_ws to = {x, w};
        ks_exec_each_write(&res, send_write, &to);
    }
    x->last = res.code;
    if (!ran)
        finish(x, w, &res);
    ks_exec_result_fini(&res);
    return ran;
}

/* The shell's prompt: busybox ash's and bash's as root in /. */
static void prompt_text(const xs *x, char *p, size_t n)
{
    const char *name = strrchr(x->argv[0], '/');
    name = name ? name + 1 : x->argv[0];
    if (strcmp(name, "bash") == 0)
        snprintf(p, n, "root@%.250s:/# ", x->pod);
    else
        snprintf(p, n, "/ # ");
}

static void prompt(xs *x, ksv_ws *w)
{
    char p[300];
    prompt_text(x, p, sizeof p);
    send_text(x, w, p);
}

/* "exit" or "exit N" alone on a line: true with N in *code (else the last
 * status). */
static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static bool is_exit(const xs *x, const char *s, int *code)
{
    while (blank(*s))
        s++;
    if (strncmp(s, "exit", 4) != 0 || (s[4] && !blank(s[4])))
        return false;
    s += 4;
    while (blank(*s))
        s++;
    *code = x->last;
    if (!*s)
        return true;
    *code = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        *code = (*code * 10 + (*s - '0')) % 256;
    while (blank(*s))
        s++;
    return *s == '\0';
}

/* Whether text (a shell's lines so far) is not a whole command yet, so
 * that sh reads on: an if without its fi, a loop without its done, a
 * quote or $( not closed, a line ending in |, && or || (kubesim's sh
 * compiles it and says why not). */
static bool incomplete(const char *text)
{
    const char *argv[3] = {"sh", "-c", text};
    char why[160];
    size_t n = strlen(text);
    ks_arena *ar;
    bool more = false;
    while (n > 0 && blank(text[n - 1]))
        n--;
    if (n > 0 && (text[n - 1] == '|' || text[n - 1] == '\\'
                  || (n > 1 && text[n - 1] == '&' && text[n - 2] == '&')))
        return true;
    if (!(ar = ks_arena_create(NULL)))
        return false;
    if (!ks_shell_compile(ar, argv, 3, NULL, 0, why, sizeof why))
        more = strstr(why, " without '") || strstr(why, "unterminated");
    ks_arena_destroy(ar);
    return more;
}

/* A line a shell reads (its \n included; per line): the end at `exit
 * [N]`, the rest awaited when the command is not whole, else the command
 * run. Returns false when the session is finished. */
static bool shell_line(xs *x, ksv_ws *w, const char *line, size_t n)
{
    int code;
    const char *s;
    bool ok;
    ks_strbuf_append(&x->pending, line, n);
    s = ks_strbuf_str(&x->pending);
    while (blank(*s))
        s++;
    if (is_exit(x, s, &code)) {
        finish_code(x, w, code);
        return false;
    }
    if (!*s) {
        ks_strbuf_clear(&x->pending);
        return true;
    }
    if (x->pending.len < MAX_INPUT && incomplete(s))
        return true;
    ok = run(x, w, s);
    ks_strbuf_clear(&x->pending);
    if (ok && x->last != 0 && strstr(ks_strbuf_str(&x->state), "set -e\n")) {
        finish_code(x, w, x->last);       /* set -e: sh ends at a failure */
        return false;
    }
    return ok;
}

/* The shell's prompt: PS1, or PS2 ("> ") while a command is not whole. */
static void shell_prompt(xs *x, ksv_ws *w)
{
    if (x->pending.len)
        send_text(x, w, "> ");
    else
        prompt(x, w);
}

/* The end of stdin: the command runs (a shell: what it has not run yet). */
static void end_of_input(xs *x, ksv_ws *w)
{
    if (x->per_line) {
        const char *s = ks_strbuf_str(&x->pending);
        while (blank(*s))
            s++;
        if (*s && !run(x, w, s))
            return;
        finish_code(x, w, x->last);
        return;
    }
    if (run(x, w, ks_strbuf_str(&x->input)))
        finish_code(x, w, x->last);
}

/* Without a terminal, a shell's stdin over v4: each whole line read. */
static void shell_input(xs *x, ksv_ws *w, const unsigned char *data, size_t len)
{
    ks_strbuf rest;
    const char *s, *nl;
    ks_strbuf_append(&x->input, (const char *)data, len);
    s = ks_strbuf_str(&x->input);
    while ((nl = strchr(s, '\n')) != NULL) {
        if (!shell_line(x, w, s, (size_t)(nl + 1 - s)))
            return;
        s = nl + 1;
    }
    ks_strbuf_init(&rest, NULL);
    ks_strbuf_puts(&rest, s);
    ks_strbuf_fini(&x->input);
    x->input = rest;
}

/* A line entered on the terminal (its \n included). */
static void line_entered(xs *x, ksv_ws *w)
{
    x->line[x->len] = '\0';
    x->len = 0;
    if (!x->per_line) {
        ks_strbuf_puts(&x->input, x->line);
        return;
    }
    if (shell_line(x, w, x->line, strlen(x->line)))
        shell_prompt(x, w);
}

/* A byte typed on the terminal (N_TTY in canonical mode with ECHO, ICRNL). */
static void typed(xs *x, ksv_ws *w, unsigned char ch)
{
    if (x->esc) {                 /* arrows and the like: not edited here */
        x->esc = x->esc == 1 && ch == '[' ? 2 : (ch >= 0x40 && ch <= 0x7e) ? 0 : x->esc;
        return;
    }
    if (ch == 0x1b) {
        x->esc = 1;
    } else if (ch == '\r' || ch == '\n') {
        send_text(x, w, "\n");
        x->line[x->len++] = '\n';
        line_entered(x, w);
    } else if (ch == 0x7f || ch == 0x08) {          /* erase a character (UTF-8 whole) */
        while (x->len > 0 && ((unsigned char)x->line[--x->len] & 0xc0) == 0x80)
            ;
        send_text(x, w, "\b \b");
    } else if (ch == 0x15) {                        /* Ctrl-U: kill the line */
        for (; x->len > 0; x->len--)
            send_text(x, w, "\b \b");
    } else if (ch == 0x03) {                        /* Ctrl-C */
        x->len = 0;
        ks_strbuf_clear(&x->pending);
        send_text(x, w, "^C\n");
        if (x->per_line) {
            x->last = 130;
            prompt(x, w);
        } else {
            finish_code(x, w, 130);
        }
    } else if (ch == 0x04) {                        /* Ctrl-D: the end, on an empty line */
        if (x->len == 0)
            end_of_input(x, w);
    } else if ((ch >= 0x20 || ch == '\t') && x->len + 2 < MAX_LINE) {
        char c = (char)ch;
        x->line[x->len++] = c;
        send_out(x, w, 1, &c, 1);
    }
}

/* {"Width":W,"Height":H}: kept; nothing is laid out to it here. */
static void resized(xs *x, const unsigned char *data, size_t len)
{
    json_t *j = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, NULL);
    json_t *wd = json_object_get(j, "Width"), *ht = json_object_get(j, "Height");
    if (json_is_integer(wd) && json_is_integer(ht) && json_integer_value(wd) >= 0
        && json_integer_value(ht) >= 0 && json_integer_value(wd) <= 65535
        && json_integer_value(ht) <= 65535) {
        x->width = (unsigned)json_integer_value(wd);
        x->height = (unsigned)json_integer_value(ht);
    }
    json_decref(j);
}

static void on_msg(void *ud, ksv_ws *w, const unsigned char *data, size_t len)
{
    xs *x = ud;
    size_t i;
    if (x->done)
        return;
    if (!data) {                                    /* the client closed */
        end_of_input(x, w);
        return;
    }
    switch (data[0]) {
    case 0:
        if (x->tty) {
            for (i = 1; i < len && !x->done; i++)
                typed(x, w, data[i]);
        } else if (x->per_line && x->input.len + len - 1 <= MAX_INPUT) {
            shell_input(x, w, data + 1, len - 1);
        } else if (x->input.len + len - 1 > MAX_INPUT) {
            ks_exec_result res;
            memset(&res, 0, sizeof res);
            res.outcome = KS_EXEC_NOT_RUNNING;
            ks_strbuf_init(&res.err, NULL);
            ks_strbuf_printf(&res.err, "kubesim keeps at most %d bytes of an exec's stdin",
                             MAX_INPUT);
            finish(x, w, &res);
            ks_strbuf_fini(&res.err);
        } else {
            ks_strbuf_append(&x->input, (const char *)data + 1, len - 1);
        }
        break;
    case 4:
        resized(x, data + 1, len - 1);
        break;
    case 255:                                       /* v5 CLOSE: stream data[1] ended */
        if (len > 1 && data[1] == 0)
            end_of_input(x, w);
        break;
    default:
        break;
    }
}

bool ksv_exec_stdin_start(ksv_api *api, ksv_upgrade *up, const ks_pod *p, const char *container,
                          const char *const *argv, size_t argc, bool tty, bool v4)
{
    xs *x = calloc(1, sizeof *x);
    size_t i;
    if (!x || !(x->argv = calloc(argc, sizeof *x->argv))) {
        free(x);
        return false;
    }
    x->api = api;
    ks_strbuf_init(&x->input, NULL);
    ks_strbuf_init(&x->pending, NULL);
    ks_strbuf_init(&x->state, NULL);
    snprintf(x->ns, sizeof x->ns, "%s", p->ns);
    snprintf(x->pod, sizeof x->pod, "%s", p->name);
    snprintf(x->container, sizeof x->container, "%s", container);
    for (i = 0; i < argc; i++)
        if (!(x->argv[x->argc++] = strdup(argv[i]))) {
            xs_free(x);
            return false;
        }
    x->tty = tty;
    /* a shell reading its commands from the terminal, or over v4 (no end
       of stdin but the close): no -c, no script */
    x->per_line = (tty || v4) && ks_shell_is_shell(argv[0]);
    for (i = 1; x->per_line && i < argc; i++)
        x->per_line = argv[i][0] == '-' && (argv[i][1] == '-' || !strchr(argv[i], 'c'));
    up->reader.ud = x;
    up->reader.on_msg = on_msg;
    up->reader.free_ud = xs_free;
    if (x->per_line && tty) {
        char p0[300];
        prompt_text(x, p0, sizeof p0);
        ksv_upgrade_add(up, 1, p0, strlen(p0));
    }
    return true;
}
