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
 * Everything else in the list of ks_ingress.h fails with a reason.
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
} xlat;

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
    if (p[j] != ']') {
        x->r->why = "missing ']'";
        return false;
    }
    putc1(x, ']');
    *i = j;
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

static bool translate(xlat *x, const char *p)
{
    size_t i;
    for (i = 0; p[i]; i++) {
        char c = p[i];
        if (c == '\\') {
            const char *sh;
            c = p[++i];
            if (!c) {
                x->r->why = "trailing '\\'";
                return false;
            }
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
            bool capture = true;
            if (p[i + 1] == '?') {
                if (strncmp(p + i, "(?i)", 4) == 0) {
                    i += 3;               /* already case-insensitive */
                    continue;
                } else if (p[i + 2] == ':') {
                    capture = false;
                    i += 2;
                } else if ((p[i + 2] == '<' && p[i + 3] != '=' && p[i + 3] != '!')
                           || (p[i + 2] == 'P' && p[i + 3] == '<')) {
                    const char *gt = strchr(p + i, '>');
                    if (!gt) {
                        x->r->why = "unterminated group name";
                        return false;
                    }
                    i = (size_t)(gt - p);
                } else {
                    x->r->why = "(?...) constructs other than (?:...), (?<name>...) and (?i) "
                             "are not supported (no lookaround)";
                    return false;
                }
            }
            x->r->posix_groups++;    /* ERE has no non-capturing group */
            if (capture && ++x->r->pcre_groups <= 9)
                x->r->gmap[x->r->pcre_groups] = (unsigned char)x->r->posix_groups;
            putc1(x, '(');
        } else if (c == '*' || c == '+' || c == '?') {
            putc1(x, c);
            if (!quant_suffix(x, p, &i))
                return false;
        } else if (c == '{') {
            size_t j = i + 1;
            while (is_digit((unsigned char)p[j]))
                j++;
            if (j > i + 1 && p[j] == ',')
                for (j++; is_digit((unsigned char)p[j]);)
                    j++;
            if (j > i + 1 && p[j] == '}') {   /* a quantifier */
                for (; i <= j; i++)
                    putc1(x, p[i]);
                i = j;
                if (!quant_suffix(x, p, &i))
                    return false;
            } else {
                put(x, "\\{");    /* PCRE: a literal brace */
            }
        } else if (c == '}') {
            put(x, "\\}");
        } else {
            putc1(x, c);
        }
    }
    if (x->over)
        x->r->why = "path too long";
    return !x->over;
}

bool ksi_regex_translate(const char *p, char *out, size_t n, size_t cap, ksi_regex_xlat *r)
{
    xlat x = {out, n, cap, n >= cap, r};
    memset(r, 0, sizeof *r);
    if (n < cap)
        out[n] = '\0';
    return translate(&x, p);
}

