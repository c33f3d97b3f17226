/* ks_shell_out.c -- where what kubesim's sh and its commands print goes:
 * stdout (a pipe's next stage, a $(...), a redirect's file, the log),
 * stderr, and the command's environment. The commands' files
 * (ks_shell_cmds.c, ks_shell_text.c, ks_shell_files.c, ks_shell_net.c,
 * ks_shell_perl.c) all write through here, so none calls back into another.
 */
#include <stdio.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"

/* line and a newline into c, as much as fits. */
static void capture_line(ks_shell_capture *c, const char *line)
{
    int w = snprintf(c->buf + c->len, c->n - c->len, "%s\n", line);
    if (w > 0)
        c->len = c->len + (size_t)w < c->n ? c->len + (size_t)w : c->n - 1;
}

void ksi_sh_say(const ks_shell_io *io, const char *line)
{
    if (io->capture) {                  /* inside $(...) */
        capture_line(io->capture, line);
        return;
    }
    if (io->out)
        io->out(io->ud, line);
}

/* A line for stderr (busybox's complaints): never into a pipe or a
 * $(...); a container's log takes both. */
void ksi_sh_complain(const ks_shell_io *io, const char *line)
{
    if (io->errcap) {                   /* 2>&1 into a pipe or a file; 2>/dev/null */
        capture_line(io->errcap, line);
        return;
    }
    if (io->err)
        io->err(io->ud, line);
    else if (io->out)
        io->out(io->ud, line);
}

const char *ksi_sh_getenv(const ks_shell_io *io, const char *name)
{
    size_t i, len = strlen(name);
    for (i = io->nassign; i-- > 0;)
        if (strncmp(io->assign[i], name, len) == 0 && io->assign[i][len] == '=')
            return io->assign[i] + len + 1;
    return io->getenv ? io->getenv(io->ud, name) : NULL;
}


/* Text with newlines: to its redirect file, or one log line per line (a
 * last line without its newline is written too). */
void ksi_sh_emit_text(const ks_shell_io *io, const ksi_sh_op *o, const char *text)
{
    if (o->redirect) {
        if (io->write_file)
            io->write_file(io->ud, o->redirect, text, o->append);
        return;
    }
    if (io->capture) {                  /* a pipe or $(...): the bytes as they are */
        ks_shell_capture *c = io->capture;
        int w = snprintf(c->buf + c->len, c->n - c->len, "%s", text);
        if (w > 0)
            c->len = c->len + (size_t)w < c->n ? c->len + (size_t)w : c->n - 1;
        return;
    }
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)len, text);
        ksi_sh_say(io, line);
        text += len + (nl ? 1 : 0);
    }
}

const char *ks_shell_strerror(int err)
{
    switch (err) {
    case 0:
        return "Success";
    case KS_SHELL_ENOENT:
        return "No such file or directory";
    case KS_SHELL_EROFS:
        return "Read-only file system";
    default:
        return "Unknown error";          /* glibc's words for a number it has none for */
    }
}

void ksi_sh_append(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
    if (n > cap - 1 - *len)
        n = cap - 1 - *len;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}
