/* ks_ingress_regex.c -- nginx location paths (PCRE) translated to POSIX
 * extended regular expressions for <regex.h>.
 *
 * nginx compiles `~* "^<path>"` with PCRE; kubesim has only libc. The
 * translation keeps the syntax both share and rewrites what differs:
 *   \d \w \s (and \D \W \S)  -> bracket classes ([0-9], [_[:alnum:]], ...)
 *   \<punct>                   -> the character (escaped if special in ERE)
 *   (?:...)  (?<n>...)         -> ( ... ), with a map from PCRE group numbers
 *                                 to POSIX subexpressions for $1..$9
 *   (?i)                       -> dropped: locations are case-insensitive
 *   { not starting {m,n}       -> \{ (PCRE reads it literally)
 *   *? +? ?? {m,n}?            -> greedy, flagged (captures may differ)
 * Everything else in the list of ks_ingress.h fails with a reason. What PCRE
 * itself refuses fails in PCRE 8's words, with where it stopped (nginx
 * prints both): the controller image's nginx links Alpine's pcre (PCRE 8,
 * not PCRE2: images/nginx/rootfs/Dockerfile and build.sh in ingress-nginx),
 * whose pcre_compile.c says "missing )" (ERR14, at the pattern's end),
 * "unmatched parentheses" (ERR22, at the ')'), "nothing to repeat" (ERR9,
 * at the quantifier), "missing terminating ] for character class" (ERR6),
 * "\\ at end of pattern" (ERR1) and "syntax error in subpattern name
 * (missing terminator)" (ERR42, at the first character that is not a word
 * character).
 * Depends on: libc only.
 */
#include "internal/ingress_regex.h"

#include <string.h>

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(int c)
{
    return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'z');
}

typedef struct xlat {
    char *out;
    size_t n, cap;
    bool over;
    ksi_regex_xlat *r;
    int depth;                    /* open groups */
    bool can_repeat;              /* what came last takes a quantifier */
} xlat;

/* PCRE refuses the pattern: why (its words), stopping at p[at]. */
static bool pcre_fail(xlat *x, const char *why, size_t at)
{
    x->r->why = why;
    x->r->pcre = true;
    x->r->at = at;
    return false;
}

static void put(xlat *x, const char *s)
{
    size_t l = strlen(s);
    if (x->n + l >= x->cap) {
        x->over = true;
        return;
    }
    memcpy(x->out + x->n, s, l);
    x->n += l;
    x->out[x->n] = '\0';
}

static void putc1(xlat *x, char c)
{
    char s[2] = {c, '\0'};
    put(x, s);
}

static const char *shorthand(char c, bool in_bracket)
{
    switch (c) {
    case 'd': return in_bracket ? "0-9" : "[0-9]";
    case 'w': return in_bracket ? "_[:alnum:]" : "[_[:alnum:]]";
    case 's': return in_bracket ? "[:space:]" : "[[:space:]]";
    case 'D': return in_bracket ? NULL : "[^0-9]";
    case 'W': return in_bracket ? NULL : "[^_[:alnum:]]";
    case 'S': return in_bracket ? NULL : "[^[:space:]]";
    default: return NULL;
    }
}

/* [...] starting at p[*i] == '['; POSIX brackets take '\' literally. */
static bool bracket(xlat *x, const char *p, size_t *i)
{
    size_t j = *i + 1;
    putc1(x, '[');
    if (p[j] == '^')
        putc1(x, p[j++]);
    if (p[j] == ']')
        putc1(x, p[j++]);
    for (; p[j] && p[j] != ']'; j++) {
        if (p[j] == '[' && p[j + 1] == ':') {
            const char *end = strstr(p + j + 2, ":]");
            if (!end)
                break;
            for (; p + j < end + 1; j++)
                putc1(x, p[j]);
            putc1(x, ']');
        } else if (p[j] == '\\') {
            char c = p[++j];
            const char *sh = shorthand(c, true);
            if (sh) {
                put(x, sh);
            } else if (!c || is_alnum((unsigned char)c) || strchr("]^-\\", c)) {
                x->r->why = "inside [...] kubesim supports only \\d \\w \\s and escaped "
                         "punctuation other than ] ^ - \\ (put ] first, - last instead)";
                return false;
            } else {
                putc1(x, c);
            }
        } else {
            putc1(x, p[j]);
        }
    }
    if (p[j] != ']')
        return pcre_fail(x, "missing terminating ] for character class", strlen(p));
    putc1(x, ']');
    *i = j;
    return true;
}

/* A quantifier at p[at]: PCRE refuses one with nothing before it. */
static bool quantifiable(xlat *x, size_t at)
{
    if (!x->can_repeat)
        return pcre_fail(x, "nothing to repeat", at);
    x->can_repeat = false;
    return true;
}

/* After a quantifier: a lazy '?' is dropped (greedy), a possessive '+' fails. */
static bool quant_suffix(xlat *x, const char *p, size_t *i)
{
    if (p[*i + 1] == '?') {
        x->r->lazy = true;
        (*i)++;
    } else if (p[*i + 1] == '+') {
        x->r->why = "possessive quantifiers (*+ ++ ?+) are not supported";
        return false;
    }
    return true;
}

/* A group's opening at p[*i] == '(': (?i) is dropped, (?:...) and
 * (?<name>...) become plain groups; lookaround and the rest fail. */
static bool group(xlat *x, const char *p, size_t *i)
{
    bool capture = true;
    size_t j;
    if (p[*i + 1] == '?') {
        if (strncmp(p + *i, "(?i)", 4) == 0) {
            *i += 3;                  /* already case-insensitive */
            return true;
        } else if (p[*i + 2] == ':') {
            capture = false;
            *i += 2;
        } else if ((p[*i + 2] == '<' && p[*i + 3] != '=' && p[*i + 3] != '!')
                   || (p[*i + 2] == 'P' && p[*i + 3] == '<')) {
            for (j = *i + (p[*i + 2] == 'P' ? 4 : 3); is_alnum((unsigned char)p[j])
                                                       || p[j] == '_'; j++)
                ;
            if (p[j] != '>')
                return pcre_fail(x, "syntax error in subpattern name (missing terminator)", j);
            *i = j;
        } else {
            x->r->why = "(?...) constructs other than (?:...), (?<name>...) and (?i) "
                        "are not supported (no lookaround)";
            return false;
        }
    }
    x->r->posix_groups++;            /* ERE has no non-capturing group */
    if (capture && ++x->r->pcre_groups <= 9)
        x->r->gmap[x->r->pcre_groups] = (unsigned char)x->r->posix_groups;
    x->depth++;
    x->can_repeat = false;
    putc1(x, '(');
    return true;
}

/* A '{' at p[*i]: a quantifier {m}, {m,} or {m,n}, else a literal brace. */
static bool brace(xlat *x, const char *p, size_t *i)
{
    size_t j = *i + 1;
    while (is_digit((unsigned char)p[j]))
        j++;
    if (j > *i + 1 && p[j] == ',')
        for (j++; is_digit((unsigned char)p[j]);)
            j++;
    if (j == *i + 1 || p[j] != '}') {
        put(x, "\\{");                /* PCRE: a literal brace */
        x->can_repeat = true;
        return true;
    }
    if (!quantifiable(x, *i))
        return false;
    for (; *i <= j; (*i)++)
        putc1(x, p[*i]);
    *i = j;
    return quant_suffix(x, p, i);
}

static bool translate(xlat *x, const char *p)
{
    size_t i;
    for (i = 0; p[i]; i++) {
        char c = p[i];
        bool atom = true;
        if (c == '\\') {
            const char *sh;
            c = p[++i];
            if (!c)
                return pcre_fail(x, "\\ at end of pattern", i);
            if ((sh = shorthand(c, false)) != NULL) {
                put(x, sh);
            } else if (is_alnum((unsigned char)c)) {
                x->r->why = "only the escapes \\d \\D \\w \\W \\s \\S and \\<punctuation> are "
                         "supported (no backreferences or \\b)";
                return false;
            } else {
                if (strchr(".[]()*+?{}|^$\\", c))
                    putc1(x, '\\');
                putc1(x, c);
            }
        } else if (c == '[') {
            if (!bracket(x, p, &i))
                return false;
        } else if (c == '(') {
            if (!group(x, p, &i))
                return false;
            atom = false;
        } else if (c == ')') {
            if (x->depth == 0)
                return pcre_fail(x, "unmatched parentheses", i);
            x->depth--;
            putc1(x, c);
        } else if (c == '*' || c == '+' || c == '?') {
            if (!quantifiable(x, i))
                return false;
            putc1(x, c);
            if (!quant_suffix(x, p, &i))
                return false;
            atom = false;
        } else if (c == '{') {
            if (!brace(x, p, &i))
                return false;
            atom = x->can_repeat;
        } else if (c == '}') {
            put(x, "\\}");
        } else {
            putc1(x, c);
            atom = c != '|';
        }
        x->can_repeat = atom;
    }
    if (x->depth > 0)
        return pcre_fail(x, "missing )", i);
    if (x->over)
        x->r->why = "path too long";
    return !x->over;
}

bool ksi_regex_translate(const char *p, char *out, size_t n, size_t cap, ksi_regex_xlat *r)
{
    xlat x = {out, n, cap, n >= cap, r, 0, false};
    memset(r, 0, sizeof *r);
    if (n < cap)
        out[n] = '\0';
    return translate(&x, p);
}

