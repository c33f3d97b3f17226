/* ks_exec_sql_rows.c -- the rows of the table a database server holds, as
 * psql and mysql print them (ks_exec_sql.c parses the statement).
 *
 * A record is a row. Its columns are those of the table the program that
 * wrote it stores (its catalog entry's stores:, e.g. the course server's
 * values(number)), each value its template for the record's number, or
 * the values an INSERT gave; with no table known, kubesim's own id (the
 * record's number) and created_at (when it was written). Tables are
 * printed as psql's print.c (aligned: headers centred, numbers
 * right-aligned, "(N rows)"; -A unaligned, '|' between fields; -t rows
 * only; NULL an empty cell) and as mysql prints without a terminal
 * (tab-separated, a header line unless -N, NULL as NULL; -t an ASCII
 * table).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal/sim.h"
#include "internal/sql.h"

void ksi_sql_columns(const ksi_exec *x, ksi_sql_cols *out)
{
    const ks_image_table *t = x->data ? ksi_data_table(x->data) : NULL;
    size_t i;
    memset(out, 0, sizeof *out);
    out->t = t;
    if (!t) {
        out->n = 2;
        out->name[0] = "id";
        out->num[0] = true;
        out->name[1] = "created_at";
        return;
    }
    for (i = 0; i < t->ncolumns && i < KSI_SQL_MAXCOLS; i++) {
        out->name[i] = t->columns[i].name;
        out->num[i] = t->columns[i].integer;
    }
    out->n = i;
}

/* created_at as the server prints it: PostgreSQL's timestamptz in the
 * image's TimeZone, Etc/UTC ("2024-01-01 00:00:12.5+00", fraction without
 * trailing zeros); MySQL's DATETIME, rounded to the second. */
static void timestamp(ksi_exec *x, ksi_sql_dialect d, ks_time at, char *buf, size_t n)
{
    int64_t us = at % KS_SEC, secs = at / KS_SEC;
    ks_civil c;
    char frac[16] = "";
    if (d != KSI_SQL_PG && us >= KS_SEC / 2)
        secs++;
    ks_civil_from_unix((int64_t)x->sim->cluster->clock + secs, &c);
    if (d == KSI_SQL_PG && us) {
        size_t k;
        snprintf(frac, sizeof frac, ".%06lld", (long long)us);
        for (k = strlen(frac); k > 1 && frac[k - 1] == '0'; k--)
            frac[k - 1] = '\0';
    }
    snprintf(buf, n, "%04lld-%02d-%02d %02d:%02d:%02d%s%s", (long long)c.year, c.month, c.day,
             c.hour, c.minute, c.second, frac, d == KSI_SQL_PG ? "+00" : "");
}

/* Record r's value in column col (NULL: SQL NULL), in buf when made. */
static const char *cell(ksi_exec *x, ksi_sql_dialect d, const ksi_sql_cols *cols,
                        const ksi_record *r, int col, char *buf, size_t n)
{
    if (!cols->t) {
        if (col == 0)
            snprintf(buf, n, "%lld", (long long)r->seq);
        else
            timestamp(x, d, r->at, buf, n);
        return buf;
    }
    if (r->vals)
        return r->vals[col];
    return ks_image_value(cols->t->columns[col].value, r->seq, buf, n);
}

/* a <=> b in column col: numbers by value, text by bytes (neither NULL). */
static int compare(const ksi_sql_cols *cols, int col, const char *a, const char *b)
{
    if (cols->num[col]) {
        long long va = strtoll(a, NULL, 10), vb = strtoll(b, NULL, 10);
        return va < vb ? -1 : va > vb;
    }
    return strcmp(a, b);
}

/* Whether a sorts after b in q's ORDER BY: by value, ascending or
 * descending, and NULLs first or last (q->nulls_first). */
static bool after(const ksi_sql_cols *cols, const ksi_sql_query *q, const char *a,
                  const char *b)
{
    int r;
    if (!a || !b)
        return a != b && (!a) != q->nulls_first;
    r = compare(cols, q->order, a, b);
    return q->desc ? r < 0 : r > 0;
}

static bool holds(const ksi_sql_cols *cols, const ksi_sql_query *q, const char *v)
{
    int r;
    if (!v || q->value_null)
        return false;             /* NULL compares to nothing */
    r = compare(cols, q->where, v, q->value);
    switch (q->op) {
    case KSI_OP_EQ: return r == 0;
    case KSI_OP_NE: return r != 0;
    case KSI_OP_LT: return r < 0;
    case KSI_OP_GT: return r > 0;
    case KSI_OP_LE: return r <= 0;
    default: return r >= 0;
    }
}

typedef struct row {
    const ksi_record *r;
    const char **v;               /* its cells, every column */
} row;

static bool count_only(ksi_exec *x, ksi_sql_dialect d, const ksi_sql_query *q, size_t n,
                       ksi_sql_table *t)
{
    char num[32];
    /* without WHERE: every record the server holds, kept as a row or not */
    snprintf(num, sizeof num, "%lld",
             q->where < 0 ? (long long)(x->data ? ksi_data_records(x->data) : 0)
                          : (long long)n);
    t->ncols = t->nrows = 1;
    t->head[0] = d == KSI_SQL_PG ? "count" : q->count_expr;
    t->right[0] = true;
    t->cells = ks_arena_alloc(x->ar, sizeof *t->cells);
    if (!t->cells)
        return false;
    t->cells[0] = ks_arena_strdup(x->ar, num);
    t->width[0] = strlen(num) > strlen(t->head[0]) ? strlen(num) : strlen(t->head[0]);
    return true;
}

bool ksi_sql_select(ksi_exec *x, ksi_sql_dialect d, const ksi_sql_cols *cols,
                    const ksi_sql_query *q, ksi_sql_table *t)
{
    const ksi_record *recs = NULL;
    size_t n = x->data ? ksi_data_rows(x->data, &recs) : 0, i, k, c, m = 0;
    row *rows = ks_arena_alloc(x->ar, (n ? n : 1) * sizeof *rows);
    char buf[256];
    if (!rows)
        return false;
    for (i = 0; i < n; i++) {
        const char **v = ks_arena_alloc(x->ar, cols->n * sizeof *v);
        size_t j;
        if (!v)
            return false;
        for (c = 0; c < cols->n; c++) {
            const char *s = cell(x, d, cols, &recs[i], (int)c, buf, sizeof buf);
            v[c] = s ? ks_arena_strdup(x->ar, s) : NULL;
        }
        if (q->where >= 0 && !holds(cols, q, v[q->where]))
            continue;
        /* insertion sort, stable: a few thousand rows at most */
        for (j = m; q->order >= 0 && j > 0; j--) {
            if (!after(cols, q, rows[j - 1].v[q->order], v[q->order]))
                break;
            rows[j] = rows[j - 1];
        }
        rows[j] = (row){&recs[i], v};
        m++;
    }
    if (q->count)
        return count_only(x, d, q, m, t);
    t->ncols = q->star ? cols->n : q->ncols;
    for (c = 0; c < t->ncols; c++) {
        int col = q->star ? (int)c : q->cols[c];
        t->head[c] = cols->name[col];
        t->right[c] = cols->num[col];       /* psql right-aligns numbers */
    }
    t->nrows = q->limit >= 0 && (size_t)q->limit < m ? (size_t)q->limit : m;
    t->cells = ks_arena_alloc(x->ar, (t->nrows * t->ncols + 1) * sizeof *t->cells);
    if (!t->cells)
        return false;
    for (k = 0; k < t->nrows; k++)
        for (c = 0; c < t->ncols; c++)
            t->cells[k * t->ncols + c] = rows[k].v[q->star ? (int)c : q->cols[c]];
    for (c = 0; c < t->ncols; c++) {
        t->width[c] = strlen(t->head[c]);
        for (k = 0; k < t->nrows; k++) {
            const char *v = t->cells[k * t->ncols + c];
            size_t w = v ? strlen(v) : d == KSI_SQL_PG ? 0 : 4;
            if (w > t->width[c])
                t->width[c] = w;
        }
    }
    return true;
}

/* ---- printed as the client prints ------------------------------------------------------ */
static void dashes(ks_strbuf *b, size_t n)
{
    while (n--)
        ks_strbuf_printf(b, "-");
}

/* The n-th line (0-based) of cell v (NULL: none), its length in *len. */
static const char *cell_line(const char *v, size_t n, size_t *len)
{
    for (; v && n; n--)
        v = strchr(v, '\n') ? strchr(v, '\n') + 1 : NULL;
    *len = v ? strcspn(v, "\n") : 0;
    return v;
}

/* One row of an aligned table: a cell of several lines takes as many, each
 * but the last ended by '+' after its column's width (print.c's nl_right
 * of the ascii line style). */
static void psql_row(ksi_exec *x, const ksi_sql_table *t, size_t r)
{
    size_t line, c, len;
    bool more = true;
    for (line = 0; more; line++) {
        more = false;
        for (c = 0; c < t->ncols; c++) {
            const char *v = t->cells[r * t->ncols + c], *s = cell_line(v, line, &len);
            bool last = c + 1 == t->ncols, cont = s && s[len] == '\n';
            int pad = (int)(t->width[c] - len);
            more = more || cont;
            ks_strbuf_printf(ksi_out(x), "%s", c ? "| " : " ");
            if (t->right[c])
                ks_strbuf_printf(ksi_out(x), "%*s%.*s", pad, "", (int)len, s ? s : "");
            else
                ks_strbuf_printf(ksi_out(x), "%.*s%*s", (int)len, s ? s : "",
                                 last && !cont ? 0 : pad, "");
            if (cont)
                ks_strbuf_printf(ksi_out(x), "+");
            else if (!last)
                ks_strbuf_printf(ksi_out(x), " ");
        }
        ks_strbuf_printf(ksi_out(x), "\n");
    }
}

/* psql's print.c print_aligned_text and print_unaligned_text: the title
 * centred over the table's width (widths + 3 a column - 1), headers
 * centred, numbers right-aligned, the last column unpadded, "(N rows)"
 * unless -t or a \d, then a blank line (aligned only). */
static void psql_table(ksi_exec *x, const ksi_sql_table *t, const ksi_sql_fmt *f)
{
    size_t r, c, total = 0;
    for (c = 0; c < t->ncols; c++)
        total += t->width[c] + 3;
    total -= total ? 1 : 0;
    if (t->title && !f->tuples) {
        size_t tw = strlen(t->title);
        if (f->unaligned)
            ks_strbuf_printf(ksi_out(x), "%s\n", t->title);
        else
            ks_strbuf_printf(ksi_out(x), "%*s%s\n", (int)(tw < total ? (total - tw) / 2 : 0), "",
                             t->title);
    }
    if (!f->tuples) {
        for (c = 0; c < t->ncols; c++) {
            size_t sp = t->width[c] - strlen(t->head[c]);
            if (f->unaligned)
                ks_strbuf_printf(ksi_out(x), "%s%s", c ? "|" : "", t->head[c]);
            else
                ks_strbuf_printf(ksi_out(x), "%s%*s%s%*s ", c ? "| " : " ", (int)(sp / 2), "",
                                 t->head[c], (int)((sp + 1) / 2), "");
        }
        ks_strbuf_printf(ksi_out(x), "\n");
        for (c = 0; c < t->ncols && !f->unaligned; c++) {
            ks_strbuf_printf(ksi_out(x), "%s", c ? "+" : "");
            dashes(ksi_out(x), t->width[c] + 2);
        }
        if (!f->unaligned)
            ks_strbuf_printf(ksi_out(x), "\n");
    }
    for (r = 0; r < t->nrows; r++) {
        if (!f->unaligned) {
            psql_row(x, t, r);
            continue;
        }
        for (c = 0; c < t->ncols; c++) {
            const char *v = t->cells[r * t->ncols + c];
            ks_strbuf_printf(ksi_out(x), "%s%s", c ? "|" : "", v ? v : "");
        }
        ks_strbuf_printf(ksi_out(x), "\n");
    }
    if (!f->tuples && !t->no_footer)
        ks_strbuf_printf(ksi_out(x), "(%zu row%s)\n", t->nrows, t->nrows == 1 ? "" : "s");
    if (!f->unaligned)
        ks_strbuf_printf(ksi_out(x), "\n");
}

static void mysql_rule(ksi_exec *x, const ksi_sql_table *t)
{
    size_t c;
    for (c = 0; c < t->ncols; c++) {
        ks_strbuf_printf(ksi_out(x), "+");
        dashes(ksi_out(x), t->width[c] + 2);
    }
    ks_strbuf_printf(ksi_out(x), "+\n");
}

/* mysql without a terminal: tab-separated, the names first (-N: none);
 * -t: its ASCII table. An empty result prints nothing. */
static void mysql_table(ksi_exec *x, const ksi_sql_table *t, const ksi_sql_fmt *f)
{
    size_t r, c;
    if (!t->nrows)
        return;
    if (f->table) {
        mysql_rule(x, t);
        if (f->names) {
            for (c = 0; c < t->ncols; c++)
                ks_strbuf_printf(ksi_out(x), "| %-*s ", (int)t->width[c], t->head[c]);
            ks_strbuf_printf(ksi_out(x), "|\n");
            mysql_rule(x, t);
        }
    } else if (f->names) {
        for (c = 0; c < t->ncols; c++)
            ks_strbuf_printf(ksi_out(x), "%s%s", c ? "\t" : "", t->head[c]);
        ks_strbuf_printf(ksi_out(x), "\n");
    }
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            const char *v = t->cells[r * t->ncols + c];
            v = v ? v : "NULL";
            if (!f->table)
                ks_strbuf_printf(ksi_out(x), "%s%s", c ? "\t" : "", v);
            else
                ks_strbuf_printf(ksi_out(x), t->right[c] ? "| %*s " : "| %-*s ",
                                 (int)t->width[c], v);
        }
        ks_strbuf_printf(ksi_out(x), f->table ? "|\n" : "\n");
    }
    if (f->table)
        mysql_rule(x, t);
}

void ksi_sql_print(ksi_exec *x, ksi_sql_dialect d, const ksi_sql_table *t,
                   const ksi_sql_fmt *f)
{
    if (d == KSI_SQL_PG)
        psql_table(x, t, f);
    else
        mysql_table(x, t, f);
}
