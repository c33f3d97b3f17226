/* ks_exec_sql.c -- the SELECTs psql and mysql/mariadb answer in kubectl
 * exec, over the records the server in the container holds.
 *
 * kubesim keeps each record a server stores as a row: its number in its
 * data directory (1, 2, 3... in the order written: `id`) and when it was
 * written (`created_at`); every table holds those rows (kubesim does not
 * know the app's schema). Answered: SELECT count(*) | * | id, created_at
 * FROM <table> [ORDER BY <column> [ASC|DESC]] [LIMIT n] [;]. Other valid
 * SQL (WHERE, INSERT, joins...) is said to be beyond kubesim on stderr,
 * exit 1, never an invented answer; a statement that is not SQL, or names
 * a column there is not, gets the server's own error, as the client prints
 * it (PostgreSQL: src/backend/parser/scan.l "syntax error at or near",
 * psql's "LINE 1:" and caret; MySQL: ER_PARSE_ERROR 1064, ER_BAD_FIELD_ERROR
 * 1054). Tables are printed as psql's print.c (aligned: headers centred,
 * numbers right-aligned, "(N rows)"; -A unaligned, '|' between fields; -t
 * rows only) and as mysql prints without a terminal (tab-separated, a
 * header line unless -N; -t an ASCII table).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal/sim.h"
#include "internal/exec.h"
#include "storage/internal/data.h"

enum { COL_ID, COL_CREATED, NCOLS };
static const char *const col_names[NCOLS] = {"id", "created_at"};

typedef struct tok {
    enum { T_END, T_WORD, T_QUOTED, T_NUM, T_SYM } kind;
    const char *s;
    size_t len, off;
} tok;

typedef struct query {
    bool count, star;
    int cols[8];
    size_t ncols;
    size_t col_off[8];
    char count_expr[32];          /* count(*) as typed: mysql's header */
    char table[128];
    int order;                    /* a column, -1: none */
    size_t order_off;
    bool desc;
    long long limit;              /* -1: none */
} query;

typedef enum { Q_OK, Q_SYNTAX, Q_NO_COLUMN, Q_BEYOND } qstatus;

typedef struct parser {
    const char *sql;
    size_t pos;
    tok t;
    ksi_sql_dialect d;
    const tok *bad;               /* Q_SYNTAX, Q_NO_COLUMN: where */
    tok bad_tok;
    bool bad_order;               /* Q_NO_COLUMN in ORDER BY */
} parser;

static void next(parser *p)
{
    const char *s = p->sql;
    size_t i = p->pos;
    while (s[i] && isspace((unsigned char)s[i]))
        i++;
    p->t.off = i;
    p->t.s = s + i;
    if (!s[i]) {
        p->t.kind = T_END;
        p->t.len = 0;
    } else if (isalpha((unsigned char)s[i]) || s[i] == '_') {
        p->t.kind = T_WORD;
        while (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '$')
            i++;
    } else if (isdigit((unsigned char)s[i])) {
        p->t.kind = T_NUM;
        while (isdigit((unsigned char)s[i]))
            i++;
    } else if (s[i] == '"' || s[i] == '`') {
        char q = s[i++];
        p->t.kind = T_QUOTED;
        while (s[i] && s[i] != q)
            i++;
        if (s[i])
            i++;
    } else {
        p->t.kind = T_SYM;
        i++;
    }
    p->t.len = i - p->t.off;
    p->pos = i;
}

static bool is_word(const tok *t, const char *w)
{
    return t->kind == T_WORD && strlen(w) == t->len && strncasecmp(t->s, w, t->len) == 0;
}

static bool is_sym(const tok *t, char c)
{
    return t->kind == T_SYM && t->s[0] == c;
}

static bool in_list(const tok *t, const char *const *list)
{
    for (; *list; list++)
        if (is_word(t, *list))
            return true;
    return false;
}

/* Words that cannot name a table unquoted (PostgreSQL's reserved keywords,
 * appendix "SQL Key Words"; MySQL 8's reserved words: VALUES is one there,
 * not in PostgreSQL) -- those a learner might try. */
static const char *const pg_reserved[] = {
    "select", "from", "where", "order", "group", "table", "limit", "desc", "asc", "all",
    "and", "or", "as", "by", "having", "union", "user", "offset", NULL};
static const char *const my_reserved[] = {
    "select", "from", "where", "order", "group", "table", "limit", "desc", "asc", "all",
    "and", "or", "as", "by", "having", "union", "values", "key", "keys", "index", "rows",
    "row", "rank", "groups", NULL};
/* Statements of SQL kubesim does not run (valid, but beyond it). */
static const char *const other_statements[] = {
    "insert", "update", "delete", "create", "drop", "alter", "with", "show", "explain",
    "begin", "commit", "rollback", "truncate", "grant", "revoke", "set", "table", "values",
    "copy", "vacuum", "analyze", "describe", "desc", "use", "call", "replace", "start", NULL};
/* Clauses of a SELECT kubesim does not answer. */
static const char *const other_clauses[] = {
    "where", "group", "having", "join", "inner", "left", "right", "cross", "natural",
    "union", "offset", "for", "window", "as", "intersect", "except", "fetch", NULL};

static qstatus syntax(parser *p)
{
    p->bad_tok = p->t;
    p->bad = &p->bad_tok;
    return Q_SYNTAX;
}

static int column(const tok *t)
{
    size_t i;
    const char *s = t->s;
    size_t len = t->len;
    if (t->kind == T_QUOTED && len >= 2) {
        s++;
        len -= 2;
    }
    for (i = 0; i < NCOLS; i++)
        if (strlen(col_names[i]) == len
            && (t->kind == T_QUOTED ? strncmp(s, col_names[i], len) == 0
                                    : strncasecmp(s, col_names[i], len) == 0))
            return (int)i;
    return -1;
}

static qstatus select_list(parser *p, query *q)
{
    if (is_sym(&p->t, '*')) {
        q->star = true;
        next(p);
        return Q_OK;
    }
    if (is_word(&p->t, "count")) {
        size_t start = p->t.off;
        next(p);
        if (!is_sym(&p->t, '('))
            return Q_BEYOND;           /* a column named count: none here */
        next(p);
        if (!is_sym(&p->t, '*'))
            return p->t.kind == T_END || is_sym(&p->t, ')') ? syntax(p) : Q_BEYOND;
        next(p);
        if (!is_sym(&p->t, ')'))
            return syntax(p);
        snprintf(q->count_expr, sizeof q->count_expr, "%.*s",
                 (int)(p->t.off + 1 - start), p->sql + start);
        q->count = true;
        next(p);
        return is_sym(&p->t, ',') ? Q_BEYOND : Q_OK;
    }
    for (;;) {
        if (p->t.kind != T_WORD && p->t.kind != T_QUOTED)
            return syntax(p);
        if (q->ncols == sizeof q->cols / sizeof q->cols[0])
            return Q_BEYOND;
        q->col_off[q->ncols] = p->t.off;
        q->cols[q->ncols++] = column(&p->t);
        if (q->cols[q->ncols - 1] < 0) {
            p->bad_tok = p->t;
            p->bad = &p->bad_tok;
        }
        next(p);
        if (is_sym(&p->t, '(') || is_sym(&p->t, '+') || is_sym(&p->t, '-'))
            return Q_BEYOND;           /* functions, expressions */
        if (!is_sym(&p->t, ','))
            return Q_OK;
        next(p);
    }
}

static qstatus parse(parser *p, query *q)
{
    qstatus st;
    memset(q, 0, sizeof *q);
    q->order = -1;
    q->limit = -1;
    next(p);
    if (!is_word(&p->t, "select"))
        return in_list(&p->t, other_statements) ? Q_BEYOND : syntax(p);
    next(p);
    if ((st = select_list(p, q)) != Q_OK)
        return st;
    if (!is_word(&p->t, "from"))
        return p->t.kind == T_END || in_list(&p->t, other_clauses) ? Q_BEYOND : syntax(p);
    next(p);
    if (p->t.kind == T_WORD && in_list(&p->t, p->d == KSI_SQL_PG ? pg_reserved : my_reserved))
        return syntax(p);
    if (p->t.kind != T_WORD && p->t.kind != T_QUOTED)
        return p->t.kind == T_SYM && is_sym(&p->t, '(') ? Q_BEYOND : syntax(p);
    snprintf(q->table, sizeof q->table, "%.*s", (int)p->t.len, p->t.s);
    next(p);
    if (is_word(&p->t, "order")) {
        next(p);
        if (!is_word(&p->t, "by"))
            return syntax(p);
        next(p);
        if (p->t.kind != T_WORD && p->t.kind != T_QUOTED)
            return syntax(p);
        q->order = column(&p->t);
        q->order_off = p->t.off;
        if (q->order < 0 && !p->bad) {
            p->bad_tok = p->t;
            p->bad = &p->bad_tok;
            p->bad_order = true;
        }
        next(p);
        if (is_word(&p->t, "desc") || is_word(&p->t, "asc")) {
            q->desc = is_word(&p->t, "desc");
            next(p);
        }
        if (is_sym(&p->t, ','))
            return Q_BEYOND;
    }
    if (is_word(&p->t, "limit")) {
        next(p);
        if (p->t.kind != T_NUM)
            return p->t.kind == T_WORD && is_word(&p->t, "all") ? Q_BEYOND : syntax(p);
        q->limit = strtoll(p->t.s, NULL, 10);
        next(p);
    }
    if (is_sym(&p->t, ';'))
        next(p);
    if (p->t.kind != T_END)
        return in_list(&p->t, other_clauses) || is_sym(&p->t, ',') || is_sym(&p->t, '.')
                   ? Q_BEYOND : syntax(p);
    return p->bad ? Q_NO_COLUMN : Q_OK;
}

/* ---- the server's errors ------------------------------------------------------------- */
/* ERROR:  ...\nLINE n: <that line>\n<caret under off> (psql's reportErrorPosition). */
static void pg_error(ksi_exec *x, const char *sql, size_t off, const char *fmt, const char *arg)
{
    size_t start = 0, i, line = 1, end;
    ks_strbuf_printf(x->err, "ERROR:  ");
    ks_strbuf_printf(x->err, fmt, arg);
    ks_strbuf_printf(x->err, "\n");
    for (i = 0; i < off && sql[i]; i++)
        if (sql[i] == '\n') {
            line++;
            start = i + 1;
        }
    for (end = start; sql[end] && sql[end] != '\n'; end++) {
    }
    i = (size_t)snprintf(NULL, 0, "LINE %zu: ", line);
    ks_strbuf_printf(x->err, "LINE %zu: %.*s\n%*s^\n", line, (int)(end - start), sql + start,
                     (int)(i + off - start), "");
}

static int sql_error(ksi_exec *x, ksi_sql_dialect d, const char *sql, const parser *p)
{
    char word[160];
    const tok *t = p->bad;
    snprintf(word, sizeof word, "%.*s", (int)t->len, t->s);
    if (d == KSI_SQL_PG) {
        if (t->kind == T_END)
            pg_error(x, sql, t->off, "syntax error at end of input%s", "");
        else
            pg_error(x, sql, t->off, "syntax error at or near \"%s\"", word);
        return 1;
    }
    ks_strbuf_printf(x->err, "ERROR 1064 (42000) at line 1: You have an error in your SQL "
                             "syntax; check the manual that corresponds to your %s server "
                             "version for the right syntax to use near '%s' at line 1\n",
                     d == KSI_SQL_MARIADB ? "MariaDB" : "MySQL", t->s);
    return 1;
}

static int no_column(ksi_exec *x, ksi_sql_dialect d, const char *sql, const parser *p)
{
    char word[160];
    const tok *t = p->bad;
    size_t len = t->len;
    const char *s = t->s;
    if (t->kind == T_QUOTED && len >= 2) {
        s++;
        len -= 2;
    }
    snprintf(word, sizeof word, "%.*s", (int)len, s);
    if (d == KSI_SQL_PG) {
        /* unquoted names are folded to lower case */
        char *c;
        for (c = word; *c && t->kind != T_QUOTED; c++)
            *c = (char)tolower((unsigned char)*c);
        pg_error(x, sql, t->off, "column \"%s\" does not exist", word);
        return 1;
    }
    ks_strbuf_printf(x->err, "ERROR 1054 (42S22) at line 1: Unknown column '%s' in '%s'\n", word,
                     p->bad_order ? "order clause" : "field list");
    return 1;
}

/* ---- the rows -------------------------------------------------------------------------- */
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

static int by_order(const ksi_record *a, const ksi_record *b, int col, bool desc)
{
    int64_t va = col == COL_CREATED ? a->at : a->seq, vb = col == COL_CREATED ? b->at : b->seq;
    int r = va < vb ? -1 : va > vb;
    if (!r)
        r = a->seq < b->seq ? -1 : a->seq > b->seq;
    return desc ? -r : r;
}

typedef struct table {
    const char *head[NCOLS];
    bool right[NCOLS];
    size_t ncols, nrows;
    char **cells;                 /* nrows * ncols */
    size_t width[NCOLS];
} table;

static void put_cells(ksi_exec *x, ksi_sql_dialect d, const query *q, table *t,
                      const ksi_record *r, size_t row)
{
    size_t c;
    for (c = 0; c < t->ncols; c++) {
        int col = q->star ? (int)c : q->cols[c];
        char buf[64];
        if (col == COL_ID)
            snprintf(buf, sizeof buf, "%lld", (long long)r->seq);
        else
            timestamp(x, d, r->at, buf, sizeof buf);
        t->cells[row * t->ncols + c] = ks_arena_strdup(x->ar, buf);
    }
}

/* The rows of q over the records, in t. */
static bool fill(ksi_exec *x, ksi_sql_dialect d, const query *q, table *t)
{
    const ksi_record *rows = NULL;
    size_t n = x->data ? ksi_data_rows(x->data, &rows) : 0, i, k, c;
    size_t *order;
    t->ncols = q->star ? NCOLS : q->ncols;
    for (c = 0; c < t->ncols; c++) {
        int col = q->star ? (int)c : q->cols[c];
        t->head[c] = col_names[col];
        t->right[c] = col == COL_ID;    /* psql right-aligns numbers */
    }
    t->nrows = q->limit >= 0 && (size_t)q->limit < n ? (size_t)q->limit : n;
    order = ks_arena_alloc(x->ar, (n ? n : 1) * sizeof *order);
    t->cells = ks_arena_alloc(x->ar, (t->nrows * t->ncols + 1) * sizeof *t->cells);
    if (!order || !t->cells)
        return false;
    for (i = 0; i < n; i++) {         /* insertion sort: a few thousand rows at most */
        size_t j = i;
        while (q->order >= 0 && j > 0
               && by_order(&rows[order[j - 1]], &rows[i], q->order, q->desc) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (k = 0; k < t->nrows; k++)
        put_cells(x, d, q, t, &rows[order[k]], k);
    for (c = 0; c < t->ncols; c++) {
        t->width[c] = strlen(t->head[c]);
        for (k = 0; k < t->nrows; k++)
            if (strlen(t->cells[k * t->ncols + c]) > t->width[c])
                t->width[c] = strlen(t->cells[k * t->ncols + c]);
    }
    return true;
}

static void dashes(ks_strbuf *b, size_t n)
{
    while (n--)
        ks_strbuf_printf(b, "-");
}

static void psql_table(ksi_exec *x, const table *t, const ksi_sql_fmt *f)
{
    size_t r, c;
    const char *sep = f->unaligned ? "|" : " | ";
    if (!f->tuples) {
        for (c = 0; c < t->ncols; c++) {
            size_t sp = t->width[c] - strlen(t->head[c]);
            if (f->unaligned)
                ks_strbuf_printf(x->out, "%s%s", c ? "|" : "", t->head[c]);
            else
                ks_strbuf_printf(x->out, "%s%*s%s%*s", c ? "| " : " ", (int)(sp / 2), "",
                                 t->head[c], (int)((sp + 1) / 2), "");
            if (!f->unaligned)
                ks_strbuf_printf(x->out, " ");
        }
        ks_strbuf_printf(x->out, "\n");
        for (c = 0; c < t->ncols && !f->unaligned; c++) {
            ks_strbuf_printf(x->out, "%s", c ? "+" : "");
            dashes(x->out, t->width[c] + 2);
        }
        if (!f->unaligned)
            ks_strbuf_printf(x->out, "\n");
    }
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            const char *v = t->cells[r * t->ncols + c];
            int pad = (int)(t->width[c] - strlen(v));
            bool last = c + 1 == t->ncols;
            if (f->unaligned)
                ks_strbuf_printf(x->out, "%s%s", c ? sep : "", v);
            else if (t->right[c])
                ks_strbuf_printf(x->out, "%s%*s%s", c ? "| " : " ", pad, "", v);
            else
                ks_strbuf_printf(x->out, "%s%s%*s", c ? "| " : " ", v, last ? 0 : pad, "");
            if (!f->unaligned && !last)
                ks_strbuf_printf(x->out, " ");
        }
        ks_strbuf_printf(x->out, "\n");
    }
    if (!f->tuples)
        ks_strbuf_printf(x->out, "(%zu row%s)\n", t->nrows, t->nrows == 1 ? "" : "s");
    if (!f->unaligned)
        ks_strbuf_printf(x->out, "\n");
}

static void mysql_rule(ksi_exec *x, const table *t)
{
    size_t c;
    for (c = 0; c < t->ncols; c++) {
        ks_strbuf_printf(x->out, "+");
        dashes(x->out, t->width[c] + 2);
    }
    ks_strbuf_printf(x->out, "+\n");
}

/* mysql without a terminal: tab-separated, the names first (-N: none);
 * -t: its ASCII table. An empty result prints nothing. */
static void mysql_table(ksi_exec *x, const table *t, const ksi_sql_fmt *f)
{
    size_t r, c;
    if (!t->nrows)
        return;
    if (f->table) {
        mysql_rule(x, t);
        if (f->names) {
            for (c = 0; c < t->ncols; c++)
                ks_strbuf_printf(x->out, "| %-*s ", (int)t->width[c], t->head[c]);
            ks_strbuf_printf(x->out, "|\n");
            mysql_rule(x, t);
        }
    } else if (f->names) {
        for (c = 0; c < t->ncols; c++)
            ks_strbuf_printf(x->out, "%s%s", c ? "\t" : "", t->head[c]);
        ks_strbuf_printf(x->out, "\n");
    }
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            const char *v = t->cells[r * t->ncols + c];
            if (!f->table)
                ks_strbuf_printf(x->out, "%s%s", c ? "\t" : "", v);
            else
                ks_strbuf_printf(x->out, t->right[c] ? "| %*s " : "| %-*s ",
                                 (int)t->width[c], v);
        }
        ks_strbuf_printf(x->out, f->table ? "|\n" : "\n");
    }
    if (f->table)
        mysql_rule(x, t);
}

int ksi_sql_run(ksi_exec *x, ksi_sql_dialect d, const char *client, const char *sql,
                const ksi_sql_fmt *f)
{
    parser p = {sql, 0, {T_END, NULL, 0, 0}, d, NULL, {T_END, NULL, 0, 0}, false};
    query q;
    table t;
    char num[32], *cell = num;
    qstatus st = parse(&p, &q);
    if (st == Q_SYNTAX)
        return sql_error(x, d, sql, &p);
    if (st == Q_BEYOND) {
        ks_strbuf_printf(x->err, "kubesim: %s here answers SELECT count(*), * or id, created_at "
                                 "FROM <table> [ORDER BY <column> [DESC]] [LIMIT n]: kubesim "
                                 "keeps each record as a row (id, created_at), not the app's "
                                 "tables\n", client);
        return 1;
    }
    if (d != KSI_SQL_PG && !f->have_db && !strchr(q.table, '.')) {
        ks_strbuf_printf(x->err, "ERROR 1046 (3D000) at line 1: No database selected\n");
        return 1;
    }
    if (st == Q_NO_COLUMN)
        return no_column(x, d, sql, &p);
    memset(&t, 0, sizeof t);
    if (q.count) {
        snprintf(num, sizeof num, "%lld", (long long)(x->data ? ksi_data_records(x->data) : 0));
        t.ncols = t.nrows = 1;
        t.head[0] = d == KSI_SQL_PG ? "count" : q.count_expr;
        t.right[0] = true;
        t.cells = &cell;
        t.width[0] = strlen(num) > strlen(t.head[0]) ? strlen(num) : strlen(t.head[0]);
    } else if (!fill(x, d, &q, &t)) {
        return 1;
    }
    if (d == KSI_SQL_PG)
        psql_table(x, &t, f);
    else
        mysql_table(x, &t, f);
    return 0;
}
