/* ksv_exec_stdin.c -- pods/exec with stdin=true: the session reads what
 * the client sends over the WebSocket (k8s.io/apimachinery/pkg/util/
 * remotecommand; client-go transport/websocket): channel 0 stdin, 4 the
 * terminal's size ({"Width":W,"Height":H}, TerminalSize), 255 v5's CLOSE
 * of a stream (its id: 0, stdin ended, which `kubectl exec -i` sends at
 * the end of its input).
 *
 * Without a terminal the command waits for stdin's end, then runs at a
 * quiet instant with all of it as its standard input (the kubectl step
 * `exec POD -n NS -c C -i -- ARGS` with that stdin, kept for --record):
 * `echo 'echo hi' | kubectl exec -i POD -- sh` prints hi. Over v4 (no
 * CLOSE) stdin ends when the client closes the connection: the command
 * runs, its output has nowhere to go.
 *
 * With a terminal (-it) the session is the terminal's line discipline
 * (the pty's, kubelet side: kubectl's own terminal is raw): what is typed
 * is echoed, erased with Backspace or Ctrl-U, ended with Enter; Ctrl-C
 * drops the line, Ctrl-D on an empty line is the end of the input; output
 * gets \r\n for \n (ONLCR). A shell (sh, bash... with no -c) runs each
 * line as it is entered, as one step with that line as its stdin, after a
 * prompt; its variables do not carry from one line to the next (each line
 * is its own exec). `exit [N]` or Ctrl-D ends it with N (else the last
 * line's status). Any other command gets every line at the end of its
 * input, as without a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_internal.h"
#include "ksv_ws.h"
#include "node/ks_shell.h"

#define MAX_INPUT (1024 * 1024)   /* stdin kept for one command */
#define MAX_LINE 4096             /* a terminal's line (Linux N_TTY: 4095 + newline) */

typedef struct xs {
    ksv_api *api;
    char ns[256], pod[256], container[256];
    char **argv;
    size_t argc;
    bool tty, per_line;           /* per_line: a shell on a terminal */
    ks_strbuf input;              /* stdin so far (without a terminal, or not per line) */
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
    ks_strbuf line;
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
    ksv_step_exec(x->api, at, ks_strbuf_str(&line), id, x->container,
                  (const char *const *)x->argv, x->argc, input, &res);
    ks_strbuf_fini(&line);
    ran = res.outcome == KS_EXEC_RAN;
    send_out(x, w, 1, ks_strbuf_str(&res.out), res.out.len);
    if (ran)
        send_out(x, w, x->tty ? 1 : 2, ks_strbuf_str(&res.err), res.err.len);
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

/* The end of stdin: the command runs (unless a shell ran its lines). */
static void end_of_input(xs *x, ksv_ws *w)
{
    if (x->per_line) {
        finish_code(x, w, x->last);
        return;
    }
    if (run(x, w, ks_strbuf_str(&x->input)))
        finish_code(x, w, x->last);
}

/* A line entered on the terminal (its \n included). */
static void line_entered(xs *x, ksv_ws *w)
{
    int code;
    const char *s = x->line;
    x->line[x->len] = '\0';
    x->len = 0;
    if (!x->per_line) {
        ks_strbuf_puts(&x->input, s);
        return;
    }
    while (blank(*s))
        s++;
    if (is_exit(x, x->line, &code)) {
        finish_code(x, w, code);
        return;
    }
    if (*s && !run(x, w, x->line))
        return;
    prompt(x, w);
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
                          const char *const *argv, size_t argc, bool tty)
{
    xs *x = calloc(1, sizeof *x);
    size_t i;
    if (!x || !(x->argv = calloc(argc, sizeof *x->argv))) {
        free(x);
        return false;
    }
    x->api = api;
    ks_strbuf_init(&x->input, NULL);
    snprintf(x->ns, sizeof x->ns, "%s", p->ns);
    snprintf(x->pod, sizeof x->pod, "%s", p->name);
    snprintf(x->container, sizeof x->container, "%s", container);
    for (i = 0; i < argc; i++)
        if (!(x->argv[x->argc++] = strdup(argv[i]))) {
            xs_free(x);
            return false;
        }
    x->tty = tty;
    /* a shell reading its commands from the terminal: no -c, no script */
    x->per_line = tty && ks_shell_is_shell(argv[0]);
    for (i = 1; x->per_line && i < argc; i++)
        x->per_line = argv[i][0] == '-' && (argv[i][1] == '-' || !strchr(argv[i], 'c'));
    up->reader.ud = x;
    up->reader.on_msg = on_msg;
    up->reader.free_ud = xs_free;
    if (x->per_line) {
        char p0[300];
        prompt_text(x, p0, sizeof p0);
        ksv_upgrade_add(up, 1, p0, strlen(p0));
    }
    return true;
}
