/* ks_shell_lex.c -- sh's tokenizer (the compiler is ks_shell.c): words
 * with their quotes marked, $(...) compiled as programs of their own,
 * operators, and here-documents (POSIX XCU 2.7.4: the text after the line
 * of <<WORD up to a line that is WORD; <<- strips leading tabs; a quoted
 * WORD means no expansion in the text). Redirections of a file descriptor:
 * 2>/dev/null, 2>&1, >&2 (what kubesim's sh does with each: ks_shell.c).
 */
#include "ks_shell.h"
#include "internal/shell_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool ksi_sh_fail(ksi_sh_parser *p, const char *msg)
{
    if (!p->failed)
        snprintf(p->err, p->errn, "%s", msg);
    p->failed = true;
    return false;
}

bool ksi_sh_push_tok(ksi_sh_parser *p, ksi_sh_tok_kind k, const char *w)
{
    if (p->ntoks >= MAX_TOKENS - 1)
        return ksi_sh_fail(p, "script too long");
    p->toks[p->ntoks].kind = k;
    p->toks[p->ntoks].word = w;
    p->toks[p->ntoks].at = p->at;
    p->ntoks++;
    return true;
}

/* $(...) or `...` at *s: its script compiled as a program of its own, and
 * in the word a mark that says which. */
static bool substitution(ksi_sh_parser *p, const char **s, char *buf, size_t *n, size_t cap)
{
    bool backquote = **s == '`';
    const char *from = *s + (backquote ? 1 : 2), *e;
    int depth = 1;
    char q = 0;
    ks_shell_prog *sub;
    for (e = from; *e; e++) {
        if (backquote) {
            if (*e == '\\' && e[1])
                e++;
            else if (*e == '`')
                break;
            continue;
        }
        if (q) {
            q = *e == q ? 0 : q;
            continue;
        }
        if (*e == '\'' || *e == '"')
            q = *e;
        else if (*e == '(')
            depth++;
        else if (*e == ')' && --depth == 0)
            break;
    }
    if (!*e)
        return ksi_sh_fail(p, backquote ? "syntax error: unterminated `" : "syntax error: unterminated $(");
    if (p->nsubs >= MAX_SUBSTS)
        return ksi_sh_fail(p, "too many command substitutions");
    if (p->depth >= MAX_SUBST_DEPTH)
        return ksi_sh_fail(p, "command substitutions nested this deep are not supported by kubesim's "
                       "shell");
    sub = ksi_sh_compile_script(p->ar, ks_arena_strndup(p->ar, from, (size_t)(e - from)), p->err,
                         p->errn, p->depth + 1);
    if (!sub) {
        p->failed = true;
        return false;
    }
    p->subs[p->nsubs] = sub;
    if (*n + 2 < cap) {
        buf[(*n)++] = SUBST_MARK;
        buf[(*n)++] = (char)('A' + p->nsubs);
    }
    p->nsubs++;
    *s = e + 1;
    return true;
}

/* A here-document waiting for its text: its token, its word, how. */
typedef struct heredoc {
    size_t tok;
    const char *word;
    bool quoted, strip;
} heredoc;

/* The text of a here-document as a word: quoted (no field splitting);
 * with a quoted WORD every $ stays; else $NAME, ${...}, $((...)), $(...)
 * and `...` expand, and a backslash quotes only $ ` \ and newline (XCU
 * 2.7.4). */
static const char *heredoc_word(ksi_sh_parser *p, const char *text, size_t len, bool quoted)
{
    size_t cap = 2 * len + 8, n = 0;
    char *buf = ks_arena_alloc(p->ar, cap);
    const char *s = text, *end = text + len;
    if (!buf) {
        ksi_sh_fail(p, "out of memory");
        return NULL;
    }
    buf[n++] = QUOTE_OPEN;
    while (s < end && n + 4 < cap) {
        if (quoted) {
            buf[n++] = *s == '$' ? LITERAL_DOLLAR : *s;
            s++;
        } else if (*s == '\\' && s + 1 < end && strchr("$`\\\n", s[1])) {
            if (s[1] != '\n')
                buf[n++] = s[1] == '$' ? LITERAL_DOLLAR : s[1];
            s += 2;
        } else if ((s[0] == '$' && s[1] == '(' && s[2] != '(') || *s == '`') {
            if (!substitution(p, &s, buf, &n, cap))
                return NULL;
        } else {
            buf[n++] = *s++;
        }
    }
    buf[n++] = QUOTE_CLOSE;
    buf[n] = '\0';
    return buf;
}

/* <<WORD or <<-WORD at *s (past the <<): its word, its token; the text
 * comes when the line ends (read_heredocs). */
static bool heredoc_start(ksi_sh_parser *p, const char **sp, heredoc *h)
{
    const char *s = *sp;
    char word[128];
    size_t n = 0;
    h->strip = *s == '-';
    h->quoted = false;
    s += h->strip;
    while (*s == ' ' || *s == '\t')
        s++;
    while (*s && !strchr(" \t;\n&|<>()", *s) && n + 1 < sizeof word) {
        if (*s == '\'' || *s == '"') {
            char q = *s++;
            h->quoted = true;
            while (*s && *s != q && n + 1 < sizeof word)
                word[n++] = *s++;
            if (*s == q)
                s++;
            continue;
        }
        if (*s == '\\' && s[1]) {
            h->quoted = true;
            s++;
        }
        word[n++] = *s++;
    }
    if (!n)
        return ksi_sh_fail(p, "syntax error: a word must follow '<<'");
    h->word = ks_arena_strndup(p->ar, word, n);
    h->tok = p->ntoks;
    *sp = s;
    return ksi_sh_push_tok(p, T_HEREDOC, NULL);
}

/* The texts of the here-documents of the line that just ended, from *sp:
 * each up to its word's line (or the script's end, as ash takes it). */
static bool read_heredocs(ksi_sh_parser *p, const char **sp, heredoc *hs, size_t nh)
{
    const char *s = *sp;
    size_t k;
    for (k = 0; k < nh; k++) {
        char *text = ks_arena_alloc(p->ar, strlen(s) + 1);
        size_t len = 0;
        if (!text)
            return ksi_sh_fail(p, "out of memory");
        while (*s) {
            const char *eol = strchr(s, '\n');
            size_t ll = eol ? (size_t)(eol - s) : strlen(s);
            if (hs[k].strip)
                while (ll && *s == '\t')
                    s++, ll--;
            if (ll == strlen(hs[k].word) && strncmp(s, hs[k].word, ll) == 0) {
                s += ll + (eol ? 1 : 0);
                break;
            }
            memcpy(text + len, s, ll);
            len += ll;
            text[len++] = '\n';
            s += ll + (eol ? 1 : 0);
        }
        if (len >= KS_SHELL_INPUT_SIZE / 2 - 16)    /* what a command's stdin holds */
            return ksi_sh_fail(p, "a here-document over 4 KiB is not supported by kubesim's "
                                  "shell");
        p->toks[hs[k].tok].word = heredoc_word(p, text, len, hs[k].quoted);
        if (!p->toks[hs[k].tok].word)
            return false;
    }
    *sp = s;
    return true;
}

/* 2>/dev/null, 2>&1, >&2, 1>&2 at s (after a word of digits, or at >):
 * their token; *len the characters taken; false: none of them. */
static bool fd_redirect(ksi_sh_parser *p, const char *digits, const char *s, size_t *len)
{
    const char *t = s;
    bool two = digits && strcmp(digits, "2") == 0;
    if (digits && strcmp(digits, "1") != 0 && !two)
        return false;
    if (t[0] == '>' && t[1] == '&' && t[2] == '1' && two) {
        *len = 3;
        return ksi_sh_push_tok(p, T_ERR_OUT, NULL);
    }
    if (t[0] == '>' && t[1] == '&' && t[2] == '2' && !two) {
        *len = 3;
        return ksi_sh_push_tok(p, T_OUT_ERR, NULL);
    }
    if (two && t[0] == '>') {
        t += 1 + (t[1] == '>');
        while (*t == ' ' || *t == '\t')
            t++;
        if (strncmp(t, "/dev/null", 9) == 0 && (!t[9] || strchr(" \t;\n&|)", t[9]))) {
            *len = (size_t)(t + 9 - s);
            return ksi_sh_push_tok(p, T_ERR_NULL, NULL);
        }
        *len = (size_t)(t - s);       /* 2> FILE, 2>> FILE: the file is the next word */
        return ksi_sh_push_tok(p, s[1] == '>' ? T_ERR_APPEND : T_ERR_TO, NULL);
    }
    return false;
}

bool ksi_sh_tokenize(ksi_sh_parser *p, const char *s)
{
    char buf[1024];
    heredoc hs[4];
    size_t nh = 0, fl;
    while (*s) {
        size_t n = 0;
        bool quoted = false;
        p->at = s;
        if (*s == ' ' || *s == '\t') {
            s++;
            continue;
        }
        if (*s == '#') {                      /* comment to end of line */
            while (*s && *s != '\n')
                s++;
            continue;
        }
        if (s[0] == ';' && s[1] == ';') {
            if (!ksi_sh_push_tok(p, T_DSEMI, NULL))
                return false;
            s += 2;
            continue;
        }
        if (*s == ';' || *s == '\n') {
            bool nl = *s == '\n';
            if (!ksi_sh_push_tok(p, T_SEMI, NULL))
                return false;
            s++;
            if (nl && nh) {
                if (!read_heredocs(p, &s, hs, nh))
                    return false;
                nh = 0;
            }
            continue;
        }
        if (s[0] == '&' && s[1] == '&') {
            if (!ksi_sh_push_tok(p, T_AND, NULL))
                return false;
            s += 2;
            continue;
        }
        if (s[0] == '|') {
            bool two = s[1] == '|';
            if (!ksi_sh_push_tok(p, two ? T_OR : T_PIPE, NULL))
                return false;
            s += two ? 2 : 1;
            continue;
        }
        if (*s == '>' && fd_redirect(p, NULL, s, &fl)) {
            s += fl;
            continue;
        }
        if (p->failed)
            return false;
        if (*s >= '0' && *s <= '9' && (s[1] == '>' || (s[1] == '<' && s[2] != '<'))) {
            char d[2] = {*s, 0};
            if (fd_redirect(p, d, s + 1, &fl)) {
                s += 1 + fl;
                continue;
            }
            if (p->failed)
                return false;
            if (*s != '1' && *s != '0')
                return ksi_sh_fail(p, "this redirection of a file descriptor is not supported "
                                      "by kubesim's shell");
            s++;                      /* 1> is >, 0< is < */
            continue;
        }
        if (*s == '>') {
            bool two = s[1] == '>';
            if (!ksi_sh_push_tok(p, two ? T_GTGT : T_GT, NULL))
                return false;
            s += two ? 2 : 1;
            continue;
        }
        if (s[0] == '<' && s[1] == '<' && s[2] == '<') {   /* busybox ash's here-string */
            if (!ksi_sh_push_tok(p, T_HERESTR, NULL))
                return false;
            s += 3;
            continue;
        }
        if (s[0] == '<' && s[1] == '<') {
            if (nh >= sizeof hs / sizeof hs[0])
                return ksi_sh_fail(p, "too many here-documents on one line");
            s += 2;
            if (!heredoc_start(p, &s, &hs[nh++]))
                return false;
            continue;
        }
        if (*s == '<') {
            if (!ksi_sh_push_tok(p, T_LT, NULL))
                return false;
            s++;
            continue;
        }
        if (*s == '(' || *s == ')') {         /* ( list ), NAME(), a case pattern's ) */
            if (!ksi_sh_push_tok(p, *s == '(' ? T_LPAREN : T_RPAREN, NULL))
                return false;
            s++;
            continue;
        }
        if (*s == '&')
            return ksi_sh_fail(p, "background jobs (&) are not supported by kubesim's shell");
        while (*s && !strchr(" \t;\n&|><()", *s)) {
            if (*s == '\'' || *s == '"') {
                char q = *s++;
                quoted = true;
                if (n < sizeof buf - 1)
                    buf[n++] = QUOTE_OPEN;
                while (*s && *s != q) {
                    /* in "...", a backslash quotes only $ ` " \ and newline
                       (XCU 2.2.3): "%s\n" keeps its \n for printf */
                    bool escaped = q == '"' && *s == '\\' && s[1] && strchr("$`\"\\\n", s[1]);
                    if (escaped && s[1] == '\n') {
                        s += 2;               /* a backslash-newline: the line goes on */
                        continue;
                    }
                    if (q == '"' && ((s[0] == '$' && s[1] == '(' && s[2] != '(') || *s == '`')) {
                        if (!substitution(p, &s, buf, &n, sizeof buf))
                            return false;
                        continue;
                    }
                    if (escaped)
                        s++;
                    if (n < sizeof buf - 1)   /* a $ that must stay a $ */
                        buf[n++] = *s == '$' && (q == '\'' || escaped) ? LITERAL_DOLLAR : *s;
                    s++;
                }
                if (*s != q)
                    return ksi_sh_fail(p, "unterminated quoted string");
                if (n < sizeof buf - 1)
                    buf[n++] = QUOTE_CLOSE;
                s++;
            } else if ((s[0] == '$' && s[1] == '(' && s[2] != '(') || *s == '`') {
                if (!substitution(p, &s, buf, &n, sizeof buf))
                    return false;
            } else if (s[0] == '$' && s[1] == '(' && s[2] == '(') {
                int depth = 0;            /* $((...)) whole, blanks and all */
                if (n < sizeof buf - 1)
                    buf[n++] = *s;
                s++;                      /* the $ */
                do {
                    depth += *s == '(' ? 1 : *s == ')' ? -1 : 0;
                    if (n < sizeof buf - 1)
                        buf[n++] = *s;
                    s++;
                } while (*s && depth > 0);
                if (depth > 0)
                    return ksi_sh_fail(p, "syntax error: unterminated $((");
            } else {
                bool escaped = *s == '\\' && s[1];
                if (escaped)
                    s++;
                if (escaped && n + 3 < sizeof buf) {  /* a quoted character */
                    buf[n++] = QUOTE_OPEN;
                    buf[n++] = *s == '$' ? LITERAL_DOLLAR : *s;
                    buf[n++] = QUOTE_CLOSE;
                } else if (n < sizeof buf - 1) {
                    buf[n++] = *s;
                }
                s++;
            }
        }
        if (!n && !quoted)
            continue;
        if (!ksi_sh_push_tok(p, T_WORD, ks_arena_strndup(p->ar, buf, n)))
            return false;
    }
    if (nh && !read_heredocs(p, &s, hs, nh))  /* <<EOF on the last line: empty */
        return false;
    p->at = s;
    return ksi_sh_push_tok(p, T_END, NULL);
}

