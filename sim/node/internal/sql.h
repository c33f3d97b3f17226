/* internal/sql.h -- what ks_exec_sql.c (the statements psql and mysql
 * answer) and ks_exec_sql_rows.c (the table's rows, printed as the client
 * prints them) share. */
#ifndef KSI_SQL_H
#define KSI_SQL_H

#include "exec.h"
#include "load/ks_catalog.h"
#include "storage/internal/data.h"

#define KSI_SQL_MAXCOLS 8

/* The columns of the server's table: its writer's (catalog stores:), or,
 * when none is known, kubesim's own id and created_at. */
typedef struct ksi_sql_cols {
    const ks_image_table *t;      /* NULL: id, created_at */
    size_t n;
    const char *name[KSI_SQL_MAXCOLS];
    bool num[KSI_SQL_MAXCOLS];
} ksi_sql_cols;

typedef enum { KSI_OP_EQ, KSI_OP_NE, KSI_OP_LT, KSI_OP_GT, KSI_OP_LE, KSI_OP_GE } ksi_sql_op;

typedef struct ksi_sql_query {
    bool count, star;
    int cols[KSI_SQL_MAXCOLS];
    size_t ncols;
    char count_expr[32];          /* count(*) as typed: mysql's header */
    char table[128];
    int order;                    /* a column, -1: none */
    bool desc;
    bool nulls_first;             /* NULLs before the other values: NULLS
                                     FIRST/LAST, or the server's default */
    long long limit;              /* -1: none */
    int where;                    /* WHERE <column> <op> <value>; -1: none */
    ksi_sql_op op;
    char value[256];
    bool value_null;
    size_t nconsts;               /* SELECT 1, 'text' (no FROM): its values */
    const char *const_val[KSI_SQL_MAXCOLS];    /* NULL: NULL */
    const char *const_head[KSI_SQL_MAXCOLS];   /* the column's name */
    bool const_num[KSI_SQL_MAXCOLS];
} ksi_sql_query;

/* A result: its column heads, rows of cells (NULL: SQL NULL; a cell may
 * hold lines, as psql's \l's access privileges). */
#define KSI_SQL_MAXHEADS 12
typedef struct ksi_sql_table {
    const char *title;            /* psql's title above it (\l), or NULL */
    bool no_footer;               /* psql: no "(N rows)" (\d TABLE) */
    const char *head[KSI_SQL_MAXHEADS];
    bool right[KSI_SQL_MAXHEADS];
    size_t ncols, nrows;
    const char **cells;           /* nrows * ncols */
    size_t width[KSI_SQL_MAXHEADS];
} ksi_sql_table;

void ksi_sql_columns(const ksi_exec *x, ksi_sql_cols *out);
/* Selects q's rows (WHERE, ORDER BY, LIMIT; count(*)) into t; false when
 * out of memory. */
bool ksi_sql_select(ksi_exec *x, ksi_sql_dialect d, const ksi_sql_cols *cols,
                    const ksi_sql_query *q, ksi_sql_table *t);
void ksi_sql_print(ksi_exec *x, ksi_sql_dialect d, const ksi_sql_table *t,
                   const ksi_sql_fmt *f);
/* psql's backslash command line (\l, \dt, \d [TABLE], \conninfo, \q) of
 * user connected to db, as the image's psql prints it; its exit status
 * (ks_exec_psql.c). */
int ksi_psql_meta(ksi_exec *x, const char *line, const char *user, const char *db,
                  const ksi_sql_fmt *f);

#endif
