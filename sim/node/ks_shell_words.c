/* ks_shell_words.c -- a word as sh expands it when its command runs:
 * parameters ($NAME, ${NAME:-word}, $?), the script's own variables over
 * the environment's, $((...)) (ks_shell_arith.c) and $(...) (its program
 * run to completion, its output collected).
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_shell.h"
#include "internal/shell.h"

static bool is_name_char(char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (!first && c >= '0' && c <= '9');
}


/* A variable: the script's own (NAME=v, for), then the environment;
 * RANDOM a new number each read (until unset RANDOM). */
static const char *var(const ksi_sh_scope *sc, const char *name)
{
    size_t i;
    if (sc->run && !sc->run->rnd_off && strcmp(name, "RANDOM") == 0)
        return ksi_sh_random((ks_shell_run *)sc->run, sc->io);
    for (i = 0; sc->run && i < sc->run->st.nvars; i++)
        if (strcmp(sc->run->st.vars[i].name, name) == 0)
            return sc->run->st.vars[i].unset ? NULL : sc->run->st.vars[i].value;
    return sc->io && sc->io->getenv ? sc->io->getenv(sc->io->ud, name) : NULL;
}

/* A positional parameter by its number ($0 the shell's name); NULL: unset. */
static const char *positional(const ksi_sh_scope *sc, size_t i)
{
    if (!sc->run)
        return i == 0 ? "sh" : NULL;
    if (i == 0)
        return sc->run->st.arg0 ? sc->run->st.arg0 : "sh";
    return i <= sc->run->st.nparams ? sc->run->st.params[i - 1] : NULL;
}

/* $@ and $*: the parameters, each its own field where they are split or
 * "$@" is quoted; "$*" quoted joins them with a space (IFS's first). */
static void put_all(const ksi_sh_scope *sc, char *out, size_t n, size_t *k, bool split,
                    bool in_q, bool at)
{
    size_t i, np = sc->run ? sc->run->st.nparams : 0;
    for (i = 0; i < np && *k + 1 < n; i++) {
        const char *v = sc->run->st.params[i];
        if (i)
            out[(*k)++] = split && (at || !in_q) ? FIELD_SEP : ' ';
        for (; *v && *k + 1 < n; v++)
            out[(*k)++] = split && !in_q && (*v == ' ' || *v == '\t' || *v == '\n')
                              ? FIELD_SEP : *v;
    }
}

/* $(...): the sub-program run to completion (its sleeps not waited for)
 * with the script's variables, its output in out, trailing newlines
 * dropped. Its stderr goes where the script's goes. */
static void substitute(const ksi_sh_scope *sc, const ks_shell_prog *sub, char *out, size_t n)
{
    ks_shell_run run, *r = &run;   /* its own $(...) are its program's */
    ks_shell_io io = *sc->io;
    ks_shell_capture cap = {out, n, 0};
    ks_time sleep;
    int guard = 0;
    size_t i;
    out[0] = '\0';
    ksi_sh_begin(r, sub);
    if (sc->run) {
        r->sourced = sc->run->sourced;      /* . FILE: the files its shell compiled */
        memcpy(r->st.vars, sc->run->st.vars, sizeof r->st.vars);
        r->st.nvars = sc->run->st.nvars;
        r->st.arg0 = sc->run->st.arg0;            /* a subshell has the same $0 $1... */
        r->st.params = sc->run->st.params;
        r->st.nparams = sc->run->st.nparams;
        r->st.nounset = sc->run->st.nounset;
        r->rnd_env_seen = true;             /* ash's child: its own draws, not a reseed */
        memcpy(r->funcs, sc->run->funcs, sizeof r->funcs);   /* named, not runnable here */
        r->st.nfuncs = sc->run->st.nfuncs;
        for (i = 0; i < r->st.nfuncs; i++)
            r->funcs[i].start = (size_t)-1;
    }
    io.capture = &cap;
    while (ks_shell_step(r, &io, &sleep) && guard++ < 1000) {
    }
    while (cap.len && out[cap.len - 1] == '\n')
        out[--cap.len] = '\0';
}

static const char *arith_lookup(void *ud, const char *name)
{
    return var(ud, name);
}

/* What an expansion gives, appended at out[*k] (n bytes); unquoted (split),
 * its blanks and newlines are where fields split. */
static void put(char *out, size_t n, size_t *k, const char *v, size_t len, bool split)
{
    size_t i;
    for (i = 0; i < len && v[i] && *k + 1 < n; i++)
        out[(*k)++] = split && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n') ? FIELD_SEP : v[i];
}

/* ${NAME#pattern} ${NAME##pattern} ${NAME%pattern} ${NAME%%pattern}
 * (POSIX 2.6.2): value without its shortest or longest prefix (#) or
 * suffix (%) that the pattern (itself expanded; fnmatch's glob) matches;
 * into buf. */
static const char *strip(const ksi_sh_scope *sc, int status, const char *value, char op,
                         const char *in, const char *close, char *buf, size_t n)
{
    bool longest = *in == op;
    char word[256], pat[256], part[512];
    size_t len, i;
    if (!value)
        return NULL;
    in += longest;
    snprintf(word, sizeof word, "%.*s", (int)(close - in), in);
    ksi_sh_expand(word, sc, status, pat, sizeof pat);
    len = strlen(value);
    for (i = 0; i <= len; i++) {
        size_t cut = longest ? len - i : i;  /* how much of it the pattern takes */
        if (op == '#') {
            snprintf(part, sizeof part, "%.*s", (int)cut, value);
            if (fnmatch(pat, part, 0) == 0) {
                snprintf(buf, n, "%s", value + cut);
                return buf;
            }
        } else if (fnmatch(pat, value + len - cut, 0) == 0) {
            snprintf(buf, n, "%.*s", (int)(len - cut), value);
            return buf;
        }
    }
    return value;
}

/* ${NAME:?word} on an unset NAME: "sh: NAME: word" (ash's varunset; "parameter
 * not set" without a word) on stderr. ash then ends the script (status 2);
 * kubesim's sh goes on (kubesim check says so). */
static void complain_unset(const ksi_sh_scope *sc, int status, const char *name, const char *w,
                           size_t wlen)
{
    char word[256], text[300], line[440];   /* "sh: " + a name (< 128) + ": " + text */
    snprintf(word, sizeof word, "%.*s", (int)wlen, w);
    ksi_sh_expand(word, sc, status, text, sizeof text);
    snprintf(line, sizeof line, "sh: %s: %s", name, *text ? text : "parameter not set");
    if (sc->io)
        ksi_sh_complain(sc->io, line);
}

/* ${NAME...} with what follows NAME not one of sh's: busybox ash says
 * "syntax error: bad substitution" and ends (2); ${A[i]} is a bash array
 * (kubesim says so too); ${A:1:2} ${A/x/y} busybox runs, kubesim's sh does
 * not (it says so, 2). kubesim check warns at all of them. */
static void bad_substitution(const ksi_sh_scope *sc, const char *name, const char *rest,
                             const char *close)
{
    char line[300];
    bool bash = sc->run && sc->run->prog->bash;
    if (!sc->io || !sc->run)
        return;
    if (*rest == ':' || *rest == '/')
        snprintf(line, sizeof line, "kubesim: ${%.40s%.*s} (busybox sh's substring or "
                 "replacement) is not run by kubesim's sh", name, (int)(close - rest), rest);
    else if (*rest == '[' && bash)
        snprintf(line, sizeof line, "kubesim: bash arrays (${%.40s[...]}) are not supported by "
                 "kubesim's shell, which runs bash scripts as busybox sh", name);
    else
        snprintf(line, sizeof line, "sh: syntax error: bad substitution");
    ksi_sh_complain(sc->io, line);
    if (*rest == '[' && !bash)
        ksi_sh_complain(sc->io, "kubesim: ${NAME[...]} is a bash array; sh (busybox ash) has "
                                "no arrays");
    ((ks_shell_run *)sc->run)->unset_name[0] = KSI_SH_SAID;   /* the shell ends, 2 */
}

/* Variables busybox ash sets itself (var.c's varinit, ash's own): never
 * unset for set -u, whatever the container's environment has. */
static bool ash_sets(const char *name)
{
    static const char *const own[] = {"IFS", "PS1", "PS2", "PS4", "OPTIND", "PPID", "PWD",
                                      "LINENO", "HOME", "PATH", NULL};
    size_t i;
    for (i = 0; own[i]; i++)
        if (strcmp(own[i], name) == 0)
            return true;
    return false;
}

/* A word with its parameters expanded: $NAME, ${NAME}, ${NAME:-word},
 * ${NAME-word}, ${NAME:+word}, ${NAME:=word}, ${NAME:?word}, ${#NAME},
 * ${NAME#pat} ${NAME##pat} ${NAME%pat} ${NAME%%pat}, $?, $#, $0..$9, ${N},
 * $@, $* ; a quoted or escaped $ stays. Into out (n bytes); with
 * split, unquoted expansions' blanks become FIELD_SEP, and *quoted says
 * whether the word had quotes. */
static const char *expand(const char *in, const ksi_sh_scope *sc, int status, char *out,
                          size_t n, bool split, bool *quoted, bool *quoted_at)
{
    size_t k = 0;
    char name[128], num[24], stripped[512];
    bool in_q = false;
    while (*in && k + 1 < n) {
        const char *value = NULL, *dflt = NULL;
        size_t dlen = 0, nl = 0;
        bool colon = false, must = false;   /* must: set -u ends sh when it is unset */
        if (*in == QUOTE_OPEN || *in == QUOTE_CLOSE) {
            in_q = *in++ == QUOTE_OPEN;
            *quoted = true;
            continue;
        }
        if (*in == SUBST_MARK && in[1]) {
            size_t idx = (size_t)(in[1] - 'A');
            char text[PIPE_BUF_SIZE / 2];
            in += 2;
            if (sc->run && idx < sc->run->prog->nsubs) {
                substitute(sc, sc->run->prog->subs[idx], text, sizeof text);
                put(out, n, &k, text, sizeof text, split && !in_q);
            }
            continue;
        }
        if (*in == LITERAL_DOLLAR || *in != '$') {
            out[k++] = *in == LITERAL_DOLLAR ? '$' : *in;
            in++;
            continue;
        }
        in++;
        if (in[0] == '(' && in[1] == '(') {
            /* $((expr)): its variables expanded, then computed */
            const char *from = in + 2, *e;
            int depth = 2;
            char inner[256], expanded[256];
            long v = 0;
            const char *why;
            for (e = from; *e; e++) {
                depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
                if (depth == 0)
                    break;
            }
            snprintf(inner, sizeof inner, "%.*s", (int)(e > from + 1 ? e - from - 1 : 0), from);
            ksi_sh_expand(inner, sc, status, expanded, sizeof expanded);
            if (!ksi_sh_arith(expanded, arith_lookup, (void *)sc, &v, &why)) {
                char line[300];
                snprintf(line, sizeof line, "sh: %s", why);
                if (sc->io && (sc->io->err || sc->io->out))
                    (sc->io->err ? sc->io->err : sc->io->out)(sc->io->ud, line);
            }
            snprintf(num, sizeof num, "%ld", v);
            value = num;
            in = *e ? e + 1 : e;
        } else if (*in == '?') {
            snprintf(num, sizeof num, "%d", status);
            value = num;
            in++;
        } else if (*in == '$') {              /* the shell's pid (ash rootpid) */
            snprintf(num, sizeof num, "%ld", sc->io && sc->io->pid ? sc->io->pid : 1L);
            value = num;
            in++;
        } else if (*in == '!') {              /* no background job: nothing (ash) */
            in++;
        } else if (*in == '#') {
            snprintf(num, sizeof num, "%zu", sc->run ? sc->run->st.nparams : 0);
            value = num;
            in++;
        } else if (*in >= '0' && *in <= '9') {
            snprintf(name, sizeof name, "%c", *in);
            value = positional(sc, (size_t)(*in++ - '0'));   /* $10 is ${1}0 */
            must = true;
        } else if (*in == '@' || *in == '*') {
            if (*in == '@' && in_q && !(sc->run && sc->run->st.nparams))
                *quoted_at = true;            /* "$@" with none: no field */
            put_all(sc, out, n, &k, split, in_q, *in == '@');
            in++;
            continue;
        } else if (*in == '{' && in[1] && strchr("?#$!", in[1]) && in[2] == '}') {
            /* ${?} ${#} ${$} ${!}: as $? $# $$ $! */
            if (in[1] == '?')
                snprintf(num, sizeof num, "%d", status);
            else if (in[1] == '#')
                snprintf(num, sizeof num, "%zu", sc->run ? sc->run->st.nparams : 0);
            else if (in[1] == '$')
                snprintf(num, sizeof num, "%ld", sc->io && sc->io->pid ? sc->io->pid : 1L);
            value = in[1] == '!' ? NULL : num;
            in += 3;
        } else if (*in == '{' && in[1] >= '0' && in[1] <= '9') {
            char *close;
            unsigned long i = strtoul(in + 1, &close, 10);
            if (*close != '}') {
                out[k++] = '$';
                continue;
            }
            value = positional(sc, (size_t)i);
            snprintf(name, sizeof name, "%lu", i);
            must = true;
            in = close + 1;
        } else if (*in == '{') {
            const char *close = strchr(in, '}');
            bool length = false;
            char op = 0;
            if (!close) {
                out[k++] = '$';
                continue;
            }
            in++;
            if (*in == '#' && in + 1 < close && is_name_char(in[1], true)) {
                length = true;                /* ${#NAME} */
                in++;
            }
            while (in < close && is_name_char(*in, nl == 0) && nl + 1 < sizeof name)
                name[nl++] = *in++;
            name[nl] = '\0';
            if (in[0] == ':' && in + 1 < close && strchr("-=?+", in[1]))
                colon = true, in++;
            if (in < close && strchr("-=?+#%", *in))
                op = *in++;
            else if (in < close && nl) {      /* ${A[0]}, ${A^^}, ${A:1:2}, ${A/x/y} */
                bad_substitution(sc, name, in, close);
                in = close + 1;
                continue;
            }
            value = var(sc, name);
            must = !op || op == '#' || op == '%';   /* ash evalvar: not for - = ? + */
            if (length) {
                snprintf(num, sizeof num, "%zu", value ? strlen(value) : 0);
                value = num;
            } else if (op == '#' || op == '%') {
                value = strip(sc, status, value, op, in, close, stripped, sizeof stripped);
            } else if (op) {
                bool unset = !value || (colon && !*value);
                dflt = in;
                dlen = (size_t)(close - in);
                if (op == '+') {              /* ${NAME:+word}: the word when set */
                    if (unset)
                        dflt = NULL;
                    value = NULL;
                } else if (!unset) {
                    dflt = NULL;
                } else if (op == '?') {       /* ${NAME:?word}: said, and sh ends */
                    complain_unset(sc, status, name, dflt, dlen);
                    dflt = NULL;
                    value = NULL;
                    if (sc->run)
                        ((ks_shell_run *)sc->run)->unset_name[0] = KSI_SH_SAID;
                } else if (op == '=' && sc->run) {   /* ${NAME:=word}: assigned too */
                    char word[256], text[512];
                    snprintf(word, sizeof word, "%.*s", (int)dlen, dflt);
                    ksi_sh_expand(word, sc, status, text, sizeof text);
                    ksi_sh_set_var((ks_shell_run *)sc->run, name, nl, text);
                }
            }
            in = close + 1;
        } else if (is_name_char(*in, true)) {
            while (is_name_char(*in, false) && nl + 1 < sizeof name)
                name[nl++] = *in++;
            name[nl] = '\0';
            value = var(sc, name);
            must = true;
        } else {
            out[k++] = '$';                     /* a lone $ is itself */
            continue;
        }
        if (must && !value && sc->run && sc->run->st.nounset && !sc->run->unset_name[0]
            && !ash_sets(name))              /* set -u: said by ks_shell_step */
            snprintf(((ks_shell_run *)sc->run)->unset_name, sizeof sc->run->unset_name, "%s",
                     name);
        if (dflt) {                          /* the word, itself expanded */
            char word[256], text[512];
            snprintf(word, sizeof word, "%.*s", (int)dlen, dflt);
            ksi_sh_expand(word, sc, status, text, sizeof text);
            put(out, n, &k, text, sizeof text, split && !in_q);
        } else if (value) {
            put(out, n, &k, value, strlen(value), split && !in_q);
        }
    }
    out[k] = '\0';
    return out;
}

const char *ksi_sh_expand(const char *in, const ksi_sh_scope *sc, int status, char *out,
                          size_t n)
{
    bool quoted = false, quoted_at = false;
    return expand(in, sc, status, out, n, false, &quoted, &quoted_at);
}

size_t ksi_sh_fields(const char *in, const ksi_sh_scope *sc, int status, char *buf, size_t n,
                     size_t *used, const char **argv, size_t max)
{
    bool quoted = false, quoted_at = false;
    size_t len, i = 0, nf = 0;
    *used = 0;
    if (n < 2 || !max)
        return 0;
    expand(in, sc, status, buf, n, true, &quoted, &quoted_at);
    len = strlen(buf);
    while (i < len && nf < max) {
        while (i < len && buf[i] == FIELD_SEP)
            buf[i++] = '\0';
        if (i == len)
            break;
        argv[nf++] = buf + i;
        while (i < len && buf[i] != FIELD_SEP)
            i++;
        buf[i] = i < len ? '\0' : buf[i];
        i += i < len;
    }
    if (!nf && quoted && !quoted_at) {       /* "" is one empty field; "$@" none */
        buf[0] = '\0';
        argv[nf++] = buf;
    }
    *used = len + 1;
    return nf;
}
