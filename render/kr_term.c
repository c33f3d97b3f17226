/* kr_term.c -- a terminal's text as the window's terminal panel shows it
 * (see kr_status.h): tabs as spaces, long lines wrapped; the lines of
 * kubectl's tables (as kubectl says: ks_kubectl_tables) narrowed first
 * when they are wider than the panel, then wrapped too. Pure. */
#include "kr_status.h"

#include <stdio.h>
#include <string.h>

size_t kr_expand_tabs(const char *s, char *buf, size_t n)
{
    size_t o = 0, col = 0;
    if (!n)
        return 0;
    for (; *s && o + 1 < n; s++) {
        if (*s == '\t') {
            do {
                buf[o++] = ' ';
                col++;
            } while (col % 8 && o + 1 < n);
            continue;
        }
        buf[o++] = *s;
        col += ((unsigned char)*s & 0xC0) != 0x80;
    }
    buf[o] = '\0';
    return o;
}

void kr_term_table_line(kr_term_tables *t, size_t i)
{
    if (i < KR_TERM_MAX_LINES)
        t->bit[i / 8] |= (unsigned char)(1u << (i % 8));
}

static bool table_line(const kr_term_tables *t, size_t i)
{
    return t && i < KR_TERM_MAX_LINES && (t->bit[i / 8] >> (i % 8) & 1u);
}

/* One line of a terminal's text, its tabs expanded into exp; returns the
 * bytes it took (its newline too). */
static size_t next_line(const char *text, char *exp, size_t n)
{
    size_t k = strcspn(text, "\n");
    char raw[600];
    snprintf(raw, sizeof raw, "%.*s", (int)(k < sizeof raw - 1 ? k : sizeof raw - 1), text);
    kr_expand_tabs(raw, exp, n);
    return k + (text[k] == '\n');
}

/* A table wider than the terminal, narrowed before it wraps: its columns
 * two spaces apart instead of the table writer's three (kubectl's padding,
 * printers/tablegenerator). Its columns start where its first line has a
 * word after two spaces or more; a gap gives up a space where every line
 * of the table has three spaces there (or ends before it). */
#define KR_TERM_MAX_GAPS 32
typedef struct narrow {
    size_t at[KR_TERM_MAX_GAPS];   /* where a space goes: the gaps' last spaces */
    int n;
} narrow;

static bool three_spaces(const char *line, size_t at)
{
    return at >= strlen(line) || (at >= 2 && line[at] == ' ' && line[at - 1] == ' '
                                  && line[at - 2] == ' ');
}

/* Plans the table that starts at text (line i); no gaps when it fits. */
static void narrow_plan(const char *text, const kr_term_tables *t, size_t i, int cols, narrow *q)
{
    char exp[1200];
    size_t widest = 0, p;
    int j, k;
    q->n = 0;
    for (; *text && table_line(t, i); i++) {
        text += next_line(text, exp, sizeof exp);
        if (widest == 0)                              /* the first: the columns */
            for (p = 2; exp[p] && q->n < KR_TERM_MAX_GAPS; p++)
                if (exp[p] != ' ' && exp[p - 1] == ' ' && exp[p - 2] == ' ')
                    q->at[q->n++] = p - 1;
        widest = kr_utf8_len(exp) > widest ? kr_utf8_len(exp) : widest;
        for (j = k = 0; j < q->n; j++)                /* the gaps every line has */
            if (three_spaces(exp, q->at[j]))
                q->at[k++] = q->at[j];
        q->n = k;
    }
    if (widest <= (size_t)cols)
        q->n = 0;
}

/* line without the planned spaces, into out. */
static void narrow_line(const narrow *q, const char *line, char *out, size_t n)
{
    size_t i, o = 0;
    int j = 0;
    for (i = 0; line[i] && o + 1 < n; i++) {
        if (j < q->n && q->at[j] == i) {
            j++;
            continue;
        }
        out[o++] = line[i];
    }
    out[o] = '\0';
}

size_t kr_term_lines(const char *text, const kr_term_tables *tables, int cols,
                     void (*fn)(void *ud, const char *line, bool cont), void *ud)
{
    size_t n = 0, line;
    narrow q = {{0}, 0};
    if (cols < 8)
        cols = 8;
    for (line = 0; *text; line++) {
        size_t off = 0, len;
        char exp[1200];
        bool cont = false;
        /* a table wider than the terminal is narrowed first (its columns
           two spaces apart); what is still wider wraps, as a terminal of
           that width wraps kubectl's lines */
        if (table_line(tables, line)) {
            char raw[1200];
            if (line == 0 || !table_line(tables, line - 1))
                narrow_plan(text, tables, line, cols, &q);
            text += next_line(text, raw, sizeof raw);
            narrow_line(&q, raw, exp, sizeof exp);
        } else {
            text += next_line(text, exp, sizeof exp);
        }
        len = strlen(exp);
        do {                                  /* cols characters a line, as a terminal wraps */
            char piece[1200];
            size_t b = off, c = 0;
            while (exp[b] && c < (size_t)cols) {
                b++;
                while (((unsigned char)exp[b] & 0xC0) == 0x80)
                    b++;
                c++;
            }
            snprintf(piece, sizeof piece, "%.*s", (int)(b - off), exp + off);
            if (fn)
                fn(ud, piece, cont);
            n++;
            cont = true;
            off = b;
        } while (off < len);
    }
    return n;
}
