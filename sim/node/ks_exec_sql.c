/* ks_exec_sql.c -- the statements psql and mysql/mariadb answer in kubectl
 * exec, over the records the server in the container holds (their rows:
 * ks_exec_sql_rows.c).
 *
 * Answered:
 *   SELECT count(*) | * | <column>, ... FROM <table>
 *       [WHERE <column> =|<>|!=|<|>|<=|>= <value>]
 *       [ORDER BY <column> [ASC|DESC] [NULLS FIRST|LAST]] [LIMIT n] [;]
 *   SELECT <constant> [[AS] name], ...        (no FROM: one row)
 *   INSERT INTO <table> [(<column>, ...)] VALUES (<value>, ...)[, (...)] [;]
 * over the table the app stores (its catalog entry's stores:); with no
 * table known, every table holds the records as rows (id, created_at) and
 * INSERT is not simulated. Other valid SQL (AND/OR, GROUP BY, joins,
 * UPDATE...) is said to be beyond kubesim on stderr, exit 1, never an
 * invented answer; a statement that is not SQL, or names a table or a
 * column there is not, gets the server's own error as the client prints it
 * (PostgreSQL: src/backend/parser/scan.l "syntax error at or near",
 * parse_relation.c "relation \"%s\" does not exist", parse_expr.c "column
 * \"%s\" does not exist", with psql's "LINE 1:" and caret; MySQL:
 * ER_PARSE_ERROR 1064, ER_NO_SUCH_TABLE 1146, ER_BAD_FIELD_ERROR 1054,
 * ER_WRONG_VALUE_COUNT_ON_ROW 1136, ER_TRUNCATED_WRONG_VALUE_FOR_FIELD 1366).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal/sim.h"
#include "internal/sql.h"

#define MAX_TUPLES 32

typedef struct tok {
    enum { T_END, T_WORD, T_QUOTED, T_NUM, T_STRING, T_SYM } kind;
    const char *s;
    size_t len, off;
} tok;

typedef enum { Q_OK, Q_SYNTAX, Q_NO_COLUMN, Q_BEYOND } qstatus;
typedef enum { IN_FIELDS, IN_ORDER, IN_WHERE, IN_INSERT } clause;

/* INSERT's target columns and its rows of values (NULL: SQL NULL). */
typedef struct insert {
    int cols[KSI_SQL_MAXCOLS];
    tok col_tok[KSI_SQL_MAXCOLS];
    size_t ncols;                 /* 0: every column, in order */
    const char *vals[MAX_TUPLES][KSI_SQL_MAXCOLS];
    tok val_tok[MAX_TUPLES][KSI_SQL_MAXCOLS];
    size_t nvals[MAX_TUPLES], ntuples;
} insert;

typedef struct parser {
    const char *sql;
    size_t pos;
    tok t;
    ksi_sql_dialect d;
    const ksi_sql_cols *cols;
    ksi_exec *x;
    const tok *bad;               /* Q_SYNTAX, Q_NO_COLUMN: where */
    tok bad_tok;
    clause bad_in;                /* Q_NO_COLUMN: in which clause */
    tok table_tok, where_tok;
    bool is_insert;
    insert ins;
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
    } else if (isalpha((unsigned char)s[i]) || s[i] == '_') {
        p->t.kind = T_WORD;
        while (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '$')
            i++;
    } else if (isdigit((unsigned char)s[i])) {
        p->t.kind = T_NUM;
        while (isdigit((unsigned char)s[i]))
            i++;
    } else if (s[i] == '"' || s[i] == '`' || s[i] == '\'') {
        char q = s[i++];
        p->t.kind = q == '\'' ? T_STRING : T_QUOTED;
        while (s[i] && (s[i] != q || s[i + 1] == q))
            i += s[i] == q ? 2 : 1;  /* '' is a quote inside */
        if (s[i])
            i++;
    } else {
        p->t.kind = T_SYM;
        i++;
        if ((s[i - 1] == '<' && (s[i] == '=' || s[i] == '>'))
            || ((s[i - 1] == '>' || s[i - 1] == '!') && s[i] == '='))
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
    return t->kind == T_SYM && t->s[0] == c && t->len == 1;
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
    "update", "delete", "create", "drop", "alter", "with", "show", "explain",
    "begin", "commit", "rollback", "truncate", "grant", "revoke", "set", "table", "values",
    "copy", "vacuum", "analyze", "describe", "desc", "use", "call", "replace", "start", NULL};
/* Clauses of a SELECT kubesim does not answer. */
static const char *const other_clauses[] = {
    "where", "group", "having", "join", "inner", "left", "right", "cross", "natural",
    "union", "offset", "for", "window", "as", "intersect", "except", "fetch", "and", "or",
    "is", "in", "like", "between", "not", "returning", "on", NULL};

static qstatus syntax(parser *p)
{
    p->bad_tok = p->t;
    p->bad = &p->bad_tok;
    return Q_SYNTAX;
}

/* The column t names (-1: none of the table's); a missing one noted as the
 * first bad name, in clause in. */
static int column(parser *p, const tok *t, clause in)
{
    size_t i;
    const char *s = t->s;
    size_t len = t->len;
    if (t->kind == T_QUOTED && len >= 2) {
        s++;
        len -= 2;
    }
    for (i = 0; i < p->cols->n; i++)
        if (strlen(p->cols->name[i]) == len
            && (t->kind == T_QUOTED ? strncmp(s, p->cols->name[i], len) == 0
                                    : strncasecmp(s, p->cols->name[i], len) == 0))
            return (int)i;
    if (!p->bad) {
        p->bad_tok = *t;
        p->bad = &p->bad_tok;
        p->bad_in = in;
    }
    return -1;
}

static bool is_name(const tok *t)
{
    return t->kind == T_WORD || t->kind == T_QUOTED;
}

/* A name as the server sees it: quotes off; unquoted, PostgreSQL folds it
 * to lower case. */
static void name_of(ksi_sql_dialect d, const tok *t, char *word, size_t n)
{
    size_t len = t->len;
    const char *s = t->s;
    char *c;
    if (t->kind == T_QUOTED && len >= 2) {
        s++;
        len -= 2;
    }
    snprintf(word, n, "%.*s", (int)len, s);
    for (c = word; d == KSI_SQL_PG && *c && t->kind != T_QUOTED; c++)
        *c = (char)tolower((unsigned char)*c);
}

static qstatus select_list(parser *p, ksi_sql_query *q)
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
            return Q_BEYOND;           /* a column named count */
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
        if (!is_name(&p->t))
            return syntax(p);
        if (q->ncols == KSI_SQL_MAXCOLS)
            return Q_BEYOND;
        q->cols[q->ncols++] = column(p, &p->t, IN_FIELDS);
        next(p);
        if (is_sym(&p->t, '(') || is_sym(&p->t, '+') || is_sym(&p->t, '-'))
            return Q_BEYOND;           /* functions, expressions */
        if (!is_sym(&p->t, ','))
            return Q_OK;
        next(p);
    }
}

/* A literal value: a number (-12), a 'string', NULL. In buf (n bytes);
 * returns false when the token is not one. */
static bool literal(parser *p, char *buf, size_t n, bool *null)
{
    bool neg = is_sym(&p->t, '-');
    size_t i, o = 0;
    *null = false;
    if (neg)
        next(p);
    if (p->t.kind == T_NUM) {
        snprintf(buf, n, "%s%.*s", neg ? "-" : "", (int)p->t.len, p->t.s);
    } else if (p->t.kind == T_STRING && !neg) {
        for (i = 1; i + 1 < p->t.len && o + 1 < n; i++) {
            buf[o++] = p->t.s[i];
            if (p->t.s[i] == '\'')
                i++;                   /* '' */
        }
        buf[o] = '\0';
    } else if (is_word(&p->t, "null") && !neg) {
        buf[0] = '\0';
        *null = true;
    } else {
        return false;
    }
    next(p);
    return true;
}

static qstatus where(parser *p, ksi_sql_query *q)
{
    static const struct {
        const char *s;
        ksi_sql_op op;
    } ops[] = {{"=", KSI_OP_EQ}, {"<>", KSI_OP_NE}, {"!=", KSI_OP_NE}, {"<", KSI_OP_LT},
               {">", KSI_OP_GT}, {"<=", KSI_OP_LE}, {">=", KSI_OP_GE}};
    size_t i;
    next(p);
    if (!is_name(&p->t))
        return p->t.kind == T_END ? syntax(p) : Q_BEYOND;
    q->where = column(p, &p->t, IN_WHERE);
    next(p);
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (p->t.kind == T_SYM && p->t.len == strlen(ops[i].s)
            && strncmp(p->t.s, ops[i].s, p->t.len) == 0)
            break;
    if (i == sizeof ops / sizeof ops[0])
        return p->t.kind == T_END ? syntax(p) : Q_BEYOND;   /* IS NULL, IN, LIKE... */
    q->op = ops[i].op;
    next(p);
    p->where_tok = p->t;
    if (!literal(p, q->value, sizeof q->value, &q->value_null))
        return p->t.kind == T_END ? syntax(p) : Q_BEYOND;   /* a column, an expression */
    return Q_OK;
}

static qstatus table_name(parser *p, char *out, size_t n)
{
    if (p->t.kind == T_WORD && in_list(&p->t, p->d == KSI_SQL_PG ? pg_reserved : my_reserved))
        return syntax(p);
    if (!is_name(&p->t))
        return is_sym(&p->t, '(') ? Q_BEYOND : syntax(p);
    p->table_tok = p->t;
    snprintf(out, n, "%.*s", (int)p->t.len, p->t.s);
    next(p);
    return Q_OK;
}

/* The end of a statement: an optional ';', then nothing (one statement at
 * a time here). */
static qstatus end(parser *p)
{
    if (is_sym(&p->t, ';')) {
        next(p);
        if (p->t.kind != T_END)
            return Q_BEYOND;
    }
    if (p->t.kind != T_END)
        return in_list(&p->t, other_clauses) || is_sym(&p->t, ',') || is_sym(&p->t, '.')
                   ? Q_BEYOND : syntax(p);
    return p->bad ? Q_NO_COLUMN : Q_OK;
}

static bool starts_literal(const tok *t)
{
    return t->kind == T_NUM || t->kind == T_STRING || is_sym(t, '-') || is_word(t, "null");
}

/* SELECT 1, 'text', NULL [AS name] with no FROM: one row of those values.
 * A column's name is PostgreSQL's "?column?" (parse_target.c
 * FigureColname: a constant has none), MySQL's the expression as written
 * (a string: its text; NULL: "NULL"), or the AS name. */
static qstatus constants(parser *p, ksi_sql_query *q)
{
    for (;;) {
        char buf[256];
        bool null;
        tok first = p->t;
        size_t i = q->nconsts;
        if (i == KSI_SQL_MAXCOLS)
            return Q_BEYOND;
        if (!literal(p, buf, sizeof buf, &null))
            return p->t.kind == T_END ? syntax(p) : Q_BEYOND;
        q->nconsts++;
        q->const_val[i] = null ? NULL : ks_arena_strdup(p->x->ar, buf);
        q->const_num[i] = first.kind == T_NUM || is_sym(&first, '-');
        if (p->d == KSI_SQL_PG)
            q->const_head[i] = "?column?";
        else if (null)
            q->const_head[i] = "NULL";
        else if (first.kind == T_STRING)
            q->const_head[i] = q->const_val[i];
        else
            q->const_head[i] = ks_arena_printf(p->x->ar, "%.*s", (int)(p->t.off - first.off),
                                               first.s);
        if (is_sym(&p->t, '+') || is_sym(&p->t, '*') || is_sym(&p->t, '/') || is_sym(&p->t, '-')
            || is_sym(&p->t, '|') || is_sym(&p->t, ':'))
            return Q_BEYOND;           /* expressions, casts */
        if (is_word(&p->t, "as") || (p->t.kind == T_QUOTED)
            || (p->t.kind == T_WORD && !is_word(&p->t, "from") && !in_list(&p->t, other_clauses)
                && !in_list(&p->t, p->d == KSI_SQL_PG ? pg_reserved : my_reserved))) {
            char name[160];
            if (is_word(&p->t, "as"))
                next(p);
            if (!is_name(&p->t))
                return syntax(p);
            name_of(p->d, &p->t, name, sizeof name);
            q->const_head[i] = ks_arena_strdup(p->x->ar, name);
            next(p);
        }
        if (!is_sym(&p->t, ','))
            break;
        next(p);
    }
    if (is_word(&p->t, "from"))
        return Q_BEYOND;               /* a constant for every row */
    return end(p);
}

static qstatus parse_select(parser *p, ksi_sql_query *q)
{
    qstatus st;
    next(p);
    if (starts_literal(&p->t))
        return constants(p, q);
    if ((st = select_list(p, q)) != Q_OK)
        return st;
    if (!is_word(&p->t, "from"))
        return p->t.kind == T_END || in_list(&p->t, other_clauses) ? Q_BEYOND : syntax(p);
    next(p);
    if ((st = table_name(p, q->table, sizeof q->table)) != Q_OK)
        return st;
    if (is_word(&p->t, "where") && (st = where(p, q)) != Q_OK)
        return st;
    if (is_word(&p->t, "order")) {
        next(p);
        if (!is_word(&p->t, "by"))
            return syntax(p);
        next(p);
        if (!is_name(&p->t))
            return p->t.kind == T_NUM ? Q_BEYOND : syntax(p);
        q->order = column(p, &p->t, IN_ORDER);
        next(p);
        if (is_word(&p->t, "desc") || is_word(&p->t, "asc")) {
            q->desc = is_word(&p->t, "desc");
            next(p);
        }
        /* NULLs sort as larger than any value in PostgreSQL (first when
           descending: the SELECT reference, "ORDER BY"), as smaller in
           MySQL (first ascending: "Working with NULL Values") */
        q->nulls_first = p->d == KSI_SQL_PG ? q->desc : !q->desc;
        if (is_word(&p->t, "nulls")) {
            /* NULLS FIRST/LAST is PostgreSQL's (SQL:2003); MySQL's grammar
               has no such words: a syntax error there (sql_yacc.yy
               order_clause) */
            if (p->d != KSI_SQL_PG)
                return syntax(p);
            next(p);
            if (!is_word(&p->t, "first") && !is_word(&p->t, "last"))
                return syntax(p);
            q->nulls_first = is_word(&p->t, "first");
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
    return end(p);
}

static qstatus parse_insert(parser *p, ksi_sql_query *q)
{
    insert *in = &p->ins;
    qstatus st;
    p->is_insert = true;
    next(p);
    if (!is_word(&p->t, "into"))
        return syntax(p);
    next(p);
    if ((st = table_name(p, q->table, sizeof q->table)) != Q_OK)
        return st;
    if (is_sym(&p->t, '(')) {
        do {
            next(p);
            if (!is_name(&p->t))
                return syntax(p);
            if (in->ncols == KSI_SQL_MAXCOLS)
                return Q_BEYOND;
            in->col_tok[in->ncols] = p->t;
            in->cols[in->ncols++] = column(p, &p->t, IN_INSERT);
            next(p);
        } while (is_sym(&p->t, ','));
        if (!is_sym(&p->t, ')'))
            return syntax(p);
        next(p);
    }
    if (!is_word(&p->t, "values"))
        return in_list(&p->t, other_clauses) || is_word(&p->t, "select")
                       || is_word(&p->t, "default") ? Q_BEYOND : syntax(p);
    do {
        size_t r = in->ntuples;
        next(p);
        if (!is_sym(&p->t, '('))
            return syntax(p);
        if (r == MAX_TUPLES)
            return Q_BEYOND;
        do {
            char buf[256];
            bool null;
            next(p);
            if (in->nvals[r] == KSI_SQL_MAXCOLS)
                return Q_BEYOND;
            in->val_tok[r][in->nvals[r]] = p->t;
            if (!literal(p, buf, sizeof buf, &null))
                return p->t.kind == T_END || is_sym(&p->t, ')') ? syntax(p) : Q_BEYOND;
            in->vals[r][in->nvals[r]++] = null ? NULL : ks_arena_strdup(p->x->ar, buf);
        } while (is_sym(&p->t, ','));
        if (!is_sym(&p->t, ')'))
            return syntax(p);
        in->ntuples++;
        next(p);
    } while (is_sym(&p->t, ','));
    return end(p);
}

static qstatus parse(parser *p, ksi_sql_query *q)
{
    memset(q, 0, sizeof *q);
    q->order = -1;
    q->where = -1;
    q->limit = -1;
    next(p);
    if (is_word(&p->t, "select"))
        return parse_select(p, q);
    if (is_word(&p->t, "insert"))
        return parse_insert(p, q);
    return in_list(&p->t, other_statements) ? Q_BEYOND : syntax(p);
}
/* ---- the server's errors ------------------------------------------------------------- */
/* ERROR:  ...\nLINE n: <that line>\n<caret under off> (psql's reportErrorPosition). */
static void pg_error(ksi_exec *x, const char *sql, size_t off, const char *fmt, const char *arg)
{
    size_t start = 0, i, line = 1, end;
    ks_strbuf_printf(ksi_err(x), "ERROR:  ");
    ks_strbuf_printf(ksi_err(x), fmt, arg);
    ks_strbuf_printf(ksi_err(x), "\n");
    for (i = 0; i < off && sql[i]; i++)
        if (sql[i] == '\n') {
            line++;
            start = i + 1;
        }
    for (end = start; sql[end] && sql[end] != '\n'; end++) {
    }
    i = (size_t)snprintf(NULL, 0, "LINE %zu: ", line);
    ks_strbuf_printf(ksi_err(x), "LINE %zu: %.*s\n%*s^\n", line, (int)(end - start), sql + start,
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
    /* near the rest of the statement, at most 80 characters (ER_PARSE_ERROR
       "near '%-.80s'"); the client does not send the ';' that ends it */
    {
        size_t n = strlen(t->s);
        while (n && (isspace((unsigned char)t->s[n - 1]) || t->s[n - 1] == ';'))
            n--;
        ks_strbuf_printf(ksi_err(x), "ERROR 1064 (42000) at line 1: You have an error in your "
                                 "SQL syntax; check the manual that corresponds to your %s "
                                 "server version for the right syntax to use near '%.*s' at "
                                 "line 1\n", d == KSI_SQL_MARIADB ? "MariaDB" : "MySQL",
                         (int)(n < 80 ? n : 80), t->s);
    }
    return 1;
}

static int no_column(ksi_exec *x, ksi_sql_dialect d, const char *sql, const parser *p,
                     const char *table)
{
    static const char *const where_in[] = {"field list", "order clause", "where clause",
                                           "field list"};
    char word[160];
    name_of(d, p->bad, word, sizeof word);
    if (d == KSI_SQL_PG) {
        char what[400];
        snprintf(what, sizeof what, p->bad_in == IN_INSERT ? "column \"%s\" of relation "
                                                             "\"%s\" does not exist"
                                                           : "column \"%s\" does not exist%.0s",
                 word, table);
        pg_error(x, sql, p->bad->off, "%s", what);
        return 1;
    }
    ks_strbuf_printf(ksi_err(x), "ERROR 1054 (42S22) at line 1: Unknown column '%s' in '%s'\n",
                     word, where_in[p->bad_in]);
    return 1;
}

/* Whether the statement's table is the one the server holds: the app's
 * (a schema-qualified name by its last part), or any when none is known. */
static bool table_exists(ksi_sql_dialect d, const parser *p, const ksi_sql_cols *cols)
{
    char word[160];
    const char *last;
    name_of(d, &p->table_tok, word, sizeof word);
    last = p->table_tok.kind == T_WORD && strrchr(word, '.') ? strrchr(word, '.') + 1 : word;
    return !cols->t || strcmp(last, cols->t->name) == 0;
}

static int no_table(ksi_exec *x, ksi_sql_dialect d, const char *sql, const parser *p,
                    const ksi_sql_fmt *f)
{
    char word[160];
    name_of(d, &p->table_tok, word, sizeof word);
    if (d == KSI_SQL_PG) {
        pg_error(x, sql, p->table_tok.off, "relation \"%s\" does not exist", word);
        return 1;
    }
    ks_strbuf_printf(ksi_err(x), "ERROR 1146 (42S02) at line 1: Table '%s%s%s' doesn't exist\n",
                     strchr(word, '.') ? "" : f->db ? f->db : "", strchr(word, '.') ? "" : ".",
                     word);
    return 1;
}

/* INSERT: one record per row of values, in the table's column order. */
static int run_insert(ksi_exec *x, ksi_sql_dialect d, const char *sql, const parser *p,
                      const ksi_sql_cols *cols)
{
    const insert *in = &p->ins;
    size_t r, c, want = in->ncols ? in->ncols : cols->n;
    for (r = 0; r < in->ntuples; r++) {
        if (in->nvals[r] != want && (d != KSI_SQL_PG || in->nvals[r] > want || in->ncols)) {
            if (d != KSI_SQL_PG)
                ks_strbuf_printf(ksi_err(x), "ERROR 1136 (21S01) at line 1: Column count doesn't "
                                         "match value count at row %zu\n", r + 1);
            else
                pg_error(x, sql, in->nvals[r] > want ? in->val_tok[r][want].off
                                                     : in->col_tok[in->nvals[r]].off,
                         "INSERT has more %s", in->nvals[r] > want
                             ? "expressions than target columns"
                             : "target columns than expressions");
            return 1;
        }
        for (c = 0; c < in->nvals[r]; c++) {
            int col = in->ncols ? in->cols[c] : (int)c;
            const char *v = in->vals[r][c], *e = v;
            if (v && cols->num[col] && (*e == '-' ? e++ : e, !*e || e[strspn(e, "0123456789")])) {
                if (d == KSI_SQL_PG)
                    pg_error(x, sql, in->val_tok[r][c].off, "invalid input syntax for type "
                             "integer: \"%s\"", v);
                else
                    ks_strbuf_printf(ksi_err(x), "ERROR 1366 (HY000) at line 1: Incorrect integer "
                                     "value: '%s' for column '%s' at row %zu\n", v,
                                     cols->name[col], r + 1);
                return 1;
            }
        }
    }
    for (r = 0; r < in->ntuples; r++) {
        const char *row[KSI_SQL_MAXCOLS] = {NULL};
        for (c = 0; c < in->nvals[r]; c++)
            row[in->ncols ? in->cols[c] : (int)c] = in->vals[r][c];
        ksi_data_insert(x->sim, x->data, row, cols->n);
    }
    /* psql prints the command's tag; mysql in batch mode nothing */
    if (d == KSI_SQL_PG)
        ks_strbuf_printf(ksi_out(x), "INSERT 0 %zu\n", in->ntuples);
    return 0;
}

/* v, a string compared with a number in MySQL, as the number it is taken
 * for: its leading number ("12abc" 12, "abc" 0), in place; false when
 * that has a fraction (kubesim compares whole numbers only). */
static bool mysql_number(char *v, size_t n)
{
    char *end;
    double num = strtod(v, &end);
    long long whole = (long long)num;
    if ((double)whole != num)
        return false;
    snprintf(v, n, "%lld", whole);
    return true;
}

/* SELECT 1, 'text': one row of the constants. */
static int run_constants(ksi_exec *x, ksi_sql_dialect d, ksi_sql_query *q,
                         const ksi_sql_fmt *f)
{
    ksi_sql_table t;
    size_t c;
    memset(&t, 0, sizeof t);
    t.ncols = q->nconsts;
    t.nrows = 1;
    t.cells = q->const_val;
    for (c = 0; c < t.ncols; c++) {
        size_t w = q->const_val[c] ? strlen(q->const_val[c]) : d == KSI_SQL_PG ? 0 : 4;
        t.head[c] = q->const_head[c];
        t.right[c] = q->const_num[c];
        t.width[c] = strlen(t.head[c]) > w ? strlen(t.head[c]) : w;
    }
    ksi_sql_print(x, d, &t, f);
    return 0;
}

int ksi_sql_run(ksi_exec *x, ksi_sql_dialect d, const char *client, const char *sql,
                const ksi_sql_fmt *f)
{
    parser p;
    ksi_sql_query q;
    ksi_sql_table t;
    ksi_sql_cols cols;
    qstatus st;
    memset(&p, 0, sizeof p);
    p.sql = sql;
    p.d = d;
    p.x = x;
    p.cols = &cols;
    ksi_sql_columns(x, &cols);
    st = parse(&p, &q);
    if (st == Q_SYNTAX)
        return sql_error(x, d, sql, &p);
    if (st == Q_BEYOND || (p.is_insert && !cols.t)) {
        ks_strbuf_printf(ksi_err(x), "kubesim: %s here answers SELECT <columns> | count(*) FROM "
                                 "<table> [WHERE <column> =|<|> <value>] [ORDER BY <column> "
                                 "[ASC|DESC]] [LIMIT n], and INSERT INTO <table> VALUES (...) "
                                 "into a table the app's catalog entry describes: this "
                                 "statement is not simulated%s\n", client,
                         cols.t ? "" : " (kubesim does not know this server's tables: its "
                                       "rows are its records, id and created_at)");
        return 1;
    }
    if (q.nconsts)
        return run_constants(x, d, &q, f);
    if (d != KSI_SQL_PG && !f->have_db && !strchr(q.table, '.')) {
        ks_strbuf_printf(ksi_err(x), "ERROR 1046 (3D000) at line 1: No database selected\n");
        return 1;
    }
    /* the FROM clause is resolved before the columns (parse_relation.c) */
    if (!table_exists(d, &p, &cols))
        return no_table(x, d, sql, &p, f);
    if (st == Q_NO_COLUMN)
        return no_column(x, d, sql, &p, cols.t ? cols.t->name : q.table);
    if (p.is_insert)
        return x->data ? run_insert(x, d, sql, &p, &cols) : 1;
    if (q.where >= 0 && cols.num[q.where] && !q.value_null) {
        const char *e = q.value + (q.value[0] == '-');
        if (!*e || e[strspn(e, "0123456789")]) {
            /* PostgreSQL reads the quoted literal as the column's type
               (its type is unknown until then: parse_coerce.c), which
               fails; MySQL compares a number with a string as numbers, the
               string's leading number or 0 (its manual, "Type Conversion
               in Expression Evaluation") */
            if (d == KSI_SQL_PG) {
                pg_error(x, sql, p.where_tok.off, "invalid input syntax for type integer: "
                         "\"%s\"", q.value);
                return 1;
            }
            if (!mysql_number(q.value, sizeof q.value)) {
                ks_strbuf_printf(ksi_err(x), "kubesim: %s here compares a number column with a "
                                         "whole number; this statement is not simulated\n",
                                 client);
                return 1;
            }
        }
    }
    memset(&t, 0, sizeof t);
    if (!ksi_sql_select(x, d, &cols, &q, &t))
        return 1;
    ksi_sql_print(x, d, &t, f);
    return 0;
}
