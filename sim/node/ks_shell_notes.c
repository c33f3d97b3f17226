/* ks_shell_notes.c -- what kubesim check is told of a script: the
 * constructs kubesim's sh runs otherwise than sh (ks_shell_notes), noted
 * while the compiler (ks_shell.c) reads them, and the commands a compiled
 * program names (ks_shell_commands) and the files it writes
 * (ks_shell_writes). Nothing here calls the run
 * (ks_shell_run.c): the compiler stays below it.
 */
#include <stdio.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell_parse.h"

/* w without its quote marks (a command's name as kubesim check shows it). */
const char *ksi_sh_unquoted(ksi_sh_parser *p, const char *w)
{
    char *u = ks_arena_strndup(p->ar, w, strlen(w)), *d = u;
    const char *s;
    if (!u)
        return w;
    for (s = w; *s; s++)
        if (*s != QUOTE_OPEN && *s != QUOTE_CLOSE)
            *d++ = *s == LITERAL_DOLLAR ? '$' : *s;
    *d = '\0';
    return u;
}

/* exec NAME of a program kubesim's sh has no command for (the image's own
 * server: exec nginx -g 'daemon off;'), noted for kubesim check. */
void ksi_sh_note_exec(ksi_sh_parser *p, const char *name)
{
    static const char *const known[] = {"wget", "curl", "nslookup", "perl", "psql",
                                        "pg_isready", "mysql", "mysqladmin", "mariadb",
                                        "mariadb-admin", "redis-cli", NULL};
    const char *base = strrchr(name, '/');
    char buf[320];
    size_t i;
    base = base ? base + 1 : name;
    if (ks_shell_runs(base) || ks_shell_is_shell(base) || ks_shell_unsimulated(base)
        || strchr(base, '$') || p->nnotes >= MAX_NOTES)
        return;
    for (i = 0; known[i]; i++)
        if (strcmp(known[i], base) == 0)
            return;
    snprintf(buf, sizeof buf, "'exec %.60s' (not a program kubesim knows in this image -- an "
                              "image's entrypoint in assets/images.yaml runs -- so in kubesim "
                              "'sh: %.60s: not found', exit 127)", name, name);
    p->notes[p->nnotes++] = ks_arena_strdup(p->ar, buf);
}

void ksi_sh_note_set(ksi_sh_parser *p, const char *const *w, size_t n)
{
    size_t i;
    for (i = 0; i < n && p->nnotes < MAX_NOTES; i++) {
        const char *u = ksi_sh_unquoted(p, w[i]), *c;
        char buf[100];
        if (strcmp(u, "--") == 0 || (u[0] != '-' && u[0] != '+') || !u[1])
            break;
        for (c = u + 1; *c && p->nnotes < MAX_NOTES; c++) {
            if (*c == 'o' && i + 1 < n) {
                const char *name = ksi_sh_unquoted(p, w[++i]);
                if (strcmp(name, "errexit") == 0 || strcmp(name, "xtrace") == 0
                    || strcmp(name, "pipefail") == 0 || strcmp(name, "nounset") == 0)
                    continue;
                snprintf(buf, sizeof buf, "'set -o %.20s' (in kubesim it says so on stderr, "
                                          "status 2)", name);
            } else if (*c == 'e' || *c == 'x' || *c == 'u') {
                continue;
            } else {
                snprintf(buf, sizeof buf, "'set -%c' (in kubesim it says so on stderr, status 2)",
                         *c);
            }
            p->notes[p->nnotes++] = ks_arena_strdup(p->ar, buf);
        }
    }
}

/* ${NAME...} that sh does not expand, noted for kubesim check (at the
 * first of each kind): ${A[0]} ${A[@]} (bash arrays), ${A^^} (ash: "bad
 * substitution", exit 2), ${A:1:2} ${A/x/y} (busybox runs them, kubesim's
 * sh says so and exits 2). */
void ksi_sh_note_params(ksi_sh_parser *p, const char *s)
{
    bool seen[3] = {false, false, false};
    for (; (s = strstr(s, "${")) != NULL && p->nnotes < MAX_NOTES; s++) {
        const char *n = s + 2 + (s[2] == '#'), *e = n;
        int kind;
        while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || *e == '_'
               || (e > n && *e >= '0' && *e <= '9'))
            e++;
        if (e == n || !*e || strchr("}-=?+#%", *e) || (*e == ':' && e[1] && strchr("-=?+", e[1])))
            continue;
        kind = *e == '[' ? 0 : (*e == ':' || *e == '/') ? 1 : 2;
        if (seen[kind])
            continue;
        seen[kind] = true;
        p->notes[p->nnotes++] =
            kind == 0 ? (p->bash ? "'${NAME[...]}' (a bash array: kubesim runs bash scripts as "
                                   "busybox sh, which has none; kubesim says so, exit 2)"
                                 : "'${NAME[...]}' (a bash array: busybox sh says \"syntax "
                                   "error: bad substitution\" and exits 2, in kubesim too)")
            : kind == 1 ? "'${NAME:offset:length}' or '${NAME/pattern/word}' (busybox sh runs "
                          "them; kubesim's sh says so and exits 2)"
                        : "a '${NAME...}' that sh does not have (busybox sh says \"syntax "
                          "error: bad substitution\" and exits 2, in kubesim too)";
    }
}

/* A function the program defines, or return and local when it has one. */
static bool own_command(const ks_shell_prog *prog, const char *name)
{
    size_t i;
    if (prog->nfuncs && (strcmp(name, "return") == 0 || strcmp(name, "local") == 0))
        return true;
    for (i = 0; i < prog->nfuncs; i++)
        if (strcmp(prog->funcs[i], name) == 0)
            return true;
    return false;
}

size_t ks_shell_commands(const ks_shell_prog *prog, const char **out, size_t max)
{
    size_t i, n = 0;
    for (i = 0; i < prog->nops && n < max; i++) {
        size_t k;
        if (prog->ops[i].kind == OP_CMD && prog->ops[i].name
            && !own_command(prog, prog->ops[i].name))
            out[n++] = prog->ops[i].name;
        for (k = 0; prog->ops[i].kind == OP_PIPE && k < prog->ops[i].nstages && n < max; k++)
            out[n++] = prog->ops[i].stages[k].name;
    }
    return n;
}

size_t ks_shell_subst_commands(const ks_shell_prog *prog, const char **out, size_t max)
{
    size_t k, n = 0;
    for (k = 0; k < prog->nsubs && n < max; k++) {
        n += ks_shell_commands(prog->subs[k], out + n, max - n);
        n += ks_shell_subst_commands(prog->subs[k], out + n, max - n);
    }
    return n;
}

/* A function of the script called in a pipe's stage or in a $(...):
 * kubesim's sh runs it only as a command of the script itself. */
static void note_call(ksi_sh_parser *p, const char *name)
{
    char buf[200];
    size_t i;
    for (i = 0; i < p->nfuncs && p->nnotes < MAX_NOTES; i++)
        if (name && strcmp(p->funcs[i], name) == 0) {
            snprintf(buf, sizeof buf, "the function '%.60s' in a pipe or in $(...) (kubesim's "
                                      "sh says so there, status 2)", name);
            p->notes[p->nnotes++] = ks_arena_strdup(p->ar, buf);
            return;
        }
}

void ksi_sh_note_functions(ksi_sh_parser *p)
{
    const char *names[64];
    size_t i, k, n, before = p->nnotes;     /* one note is enough */
    for (i = 0; i < p->nops && p->nnotes == before; i++)
        for (k = 0; p->ops[i].kind == OP_PIPE && k < p->ops[i].nstages; k++)
            note_call(p, p->ops[i].stages[k].name);
    for (i = 0; i < p->nsubs && p->nnotes == before; i++) {
        n = ks_shell_commands(p->subs[i], names, 64);
        for (k = 0; k < n && p->nnotes == before; k++)
            note_call(p, names[k]);
    }
}

size_t ks_shell_notes(const ks_shell_prog *prog, const char **out, size_t max)
{
    size_t i, n = 0, k;
    for (i = 0; i < prog->nnotes && n < max; i++)
        out[n++] = prog->notes[i];
    for (k = 0; k < prog->nsubs && n < max; k++)     /* and those of its $(...) */
        n += ks_shell_notes(prog->subs[k], out + n, max - n);
    return n;
}

/* A path as written that names one file whatever the run: absolute, with
 * nothing to expand or unquote, not a device. */
static bool literal_path(const char *w)
{
    const char *s;
    if (!w || w[0] != '/' || strncmp(w, "/dev/", 5) == 0)
        return false;
    for (s = w; *s; s++)
        if ((unsigned char)*s < 0x20 || strchr("$*?[`\\", *s))
            return false;
    return true;
}

static void add_write(const char *path, const char **out, size_t *n, size_t max)
{
    if (literal_path(path) && *n < max)
        out[(*n)++] = path;
}

size_t ks_shell_writes(const ks_shell_prog *prog, const char **out, size_t max)
{
    size_t i, k, a, n = 0;
    for (i = 0; i < prog->nops; i++) {
        const ksi_sh_op *o = &prog->ops[i];
        const ksi_sh_op *stage = o->kind == OP_PIPE ? o->stages : o;
        size_t nstages = o->kind == OP_PIPE ? o->nstages : 1;
        for (k = 0; k < nstages; k++, stage++) {
            add_write(stage->redirect, out, &n, max);
            add_write(stage->err_to, out, &n, max);
            if (stage->kind == OP_CMD && stage->name && strcmp(stage->name, "touch") == 0)
                for (a = stage->nassign + 1; a < stage->argc; a++)
                    add_write(stage->argv[a], out, &n, max);
        }
    }
    return n;
}
