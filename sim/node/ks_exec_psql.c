/* ks_exec_psql.c -- psql's own backslash commands in kubectl exec
 * (`psql -c '\l'`, `\dt`, `\d values`, `psql -l`), over what the server in
 * the container holds: the databases its entrypoint made and the table
 * its app stores (the catalog's stores:), printed as the psql of the
 * image's major version prints them.
 *
 * Sources: postgres src/bin/psql/describe.c (listAllDbs, listTables,
 * describeTableDetails, describeOneTableDetails) and command.c
 * (exec_command, HandleSlashCmds: "invalid command \%s", a failed command
 * exits 1 under -c); the docker-library/postgres image (LANG en_US.utf8,
 * initdb's databases postgres, template0, template1, then POSTGRES_DB,
 * all owned by POSTGRES_USER).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal/sim.h"
#include "internal/sql.h"

/* The image's postgres major version: its tag's leading number
 * (postgres:16.2-alpine: 16); an untagged, latest or alpine image pulls
 * the newest, 18 when written (assets/images.yaml's postgres entries). */
#define PG_NEWEST 18

static int pg_major(const ksi_exec *x)
{
    const char *image = x->p->pub.containers[x->c].spec->image;
    const char *slash = strrchr(image, '/');
    const char *colon = strchr(slash ? slash : image, ':');
    if (colon && isdigit((unsigned char)colon[1]))
        return atoi(colon + 1);
    return PG_NEWEST;
}

/* POSTGRES_USER (default postgres): the superuser that owns everything. */
static const char *owner(ksi_exec *x)
{
    const char *u = ksi_exec_getenv(x, "POSTGRES_USER");
    return u && *u ? u : "postgres";
}

static ksi_sql_table *new_table(ksi_exec *x, const char *title, size_t ncols, size_t nrows)
{
    ksi_sql_table *t = ks_arena_alloc(x->ar, sizeof *t);
    if (!t)
        return NULL;
    memset(t, 0, sizeof *t);
    t->title = title;
    t->ncols = ncols;
    t->nrows = nrows;
    t->cells = ks_arena_alloc(x->ar, (ncols * nrows + 1) * sizeof *t->cells);
    return t->cells ? t : NULL;
}

/* Each column as wide as its head or its cell's longest line. */
static void fit(ksi_sql_table *t)
{
    size_t r, c;
    for (c = 0; c < t->ncols; c++) {
        t->width[c] = strlen(t->head[c]);
        for (r = 0; r < t->nrows; r++) {
            const char *v = t->cells[r * t->ncols + c];
            while (v && *v) {
                size_t len = strcspn(v, "\n");
                if (len > t->width[c])
                    t->width[c] = len;
                v += len + (v[len] == '\n');
            }
        }
    }
}

/* \l: listAllDbs. Columns by version: 9.x-14 Name, Owner, Encoding,
 * Collate, Ctype, Access privileges; 15 adds ICU Locale and Locale
 * Provider after Ctype; 16 moves Locale Provider after Encoding and adds
 * ICU Rules; 17 renames ICU Locale to Locale. template0 and template1
 * carry initdb's ACL (=c/OWNER and OWNER=CTc/OWNER, one a line), the
 * others none. */
static int list_databases(ksi_exec *x, const ksi_sql_fmt *f)
{
    static const char *const heads12[] = {"Name", "Owner", "Encoding", "Collate", "Ctype",
                                          "Access privileges"};
    static const char *const heads15[] = {"Name", "Owner", "Encoding", "Collate", "Ctype",
                                          "ICU Locale", "Locale Provider", "Access privileges"};
    static const char *const heads16[] = {"Name", "Owner", "Encoding", "Locale Provider",
                                          "Collate", "Ctype", "ICU Locale", "ICU Rules",
                                          "Access privileges"};
    const char *dbs[4] = {"postgres", "template0", "template1", NULL}, *o = owner(x);
    const char *want = ksi_exec_getenv(x, "POSTGRES_DB");
    const char *const *heads;
    int major = pg_major(x);
    size_t n = 3, ncols, r, c, i;
    ksi_sql_table *t;
    if (!want || !*want)
        want = ksi_exec_getenv(x, "POSTGRES_USER");
    if (want && *want && strcmp(want, "postgres") != 0) {
        /* ORDER BY the name */
        for (i = n; i > 0 && strcmp(dbs[i - 1], want) > 0; i--)
            dbs[i] = dbs[i - 1];
        dbs[i] = want;
        n++;
    }
    heads = major >= 16 ? heads16 : major == 15 ? heads15 : heads12;
    ncols = major >= 16 ? 9 : major == 15 ? 8 : 6;
    if (!(t = new_table(x, "List of databases", ncols, n)))
        return 1;
    for (c = 0; c < ncols; c++)
        t->head[c] = major >= 17 && strcmp(heads[c], "ICU Locale") == 0 ? "Locale" : heads[c];
    for (r = 0; r < n; r++)
        for (c = 0; c < ncols; c++) {
            const char *h = heads[c], *v = "";
            if (strcmp(h, "Name") == 0)
                v = dbs[r];
            else if (strcmp(h, "Owner") == 0)
                v = o;
            else if (strcmp(h, "Encoding") == 0)
                v = "UTF8";
            else if (strcmp(h, "Collate") == 0 || strcmp(h, "Ctype") == 0)
                v = "en_US.utf8";            /* the image's LANG */
            else if (strcmp(h, "Locale Provider") == 0)
                v = "libc";
            else if (strcmp(h, "Access privileges") == 0 && strncmp(dbs[r], "template", 8) == 0)
                v = ks_arena_printf(x->ar, "=c/%s\n%s=CTc/%s", o, o, o);
            t->cells[r * ncols + c] = v;
        }
    fit(t);
    ksi_sql_print(x, KSI_SQL_PG, t, f);
    return 0;
}

/* What kubesim cannot say: the server holds records of a table it does
 * not know the name of. */
static int unknown_tables(ksi_exec *x, const char *cmd)
{
    ks_strbuf_printf(ksi_err(x), "kubesim: psql here does not know this server's tables (no "
                             "app's catalog entry describes them): \\%s is not simulated\n", cmd);
    return 1;
}

/* \dt, \d: listTables over the one table the app stores, owned by the
 * superuser. Nothing stored yet: "Did not find any tables." (15 on; 14
 * and before, and \d: "... relations."), on stderr, and still exit 0.
 * The title is "List of relations" (18: "List of tables" for \dt). */
static int list_tables(ksi_exec *x, const ksi_sql_cols *cols, bool tables_only,
                       const ksi_sql_fmt *f)
{
    static const char *const heads[] = {"Schema", "Name", "Type", "Owner"};
    int major = pg_major(x);
    ksi_sql_table *t;
    size_t c;
    if (!cols->t && x->data && ksi_data_records(x->data) > 0)
        return unknown_tables(x, tables_only ? "dt" : "d");
    if (!cols->t) {
        ks_strbuf_printf(ksi_err(x), "Did not find any %s.\n",
                         tables_only && major >= 15 ? "tables" : "relations");
        return 0;
    }
    if (!(t = new_table(x, tables_only && major >= 18 ? "List of tables" : "List of relations",
                        4, 1)))
        return 1;
    for (c = 0; c < 4; c++)
        t->head[c] = heads[c];
    t->cells[0] = "public";
    t->cells[1] = cols->t->name;
    t->cells[2] = "table";
    t->cells[3] = owner(x);
    fit(t);
    ksi_sql_print(x, KSI_SQL_PG, t, f);
    return 0;
}

/* \d NAME: describeOneTableDetails of a table (12 on: Column, Type,
 * Collation, Nullable, Default; no index, no footer). Unknown:
 * `Did not find any relation named "NAME".`, a failed command. */
static int describe_table(ksi_exec *x, const ksi_sql_cols *cols, const char *name,
                          const ksi_sql_fmt *f)
{
    static const char *const heads[] = {"Column", "Type", "Collation", "Nullable", "Default"};
    const char *last = strrchr(name, '.') ? strrchr(name, '.') + 1 : name;
    char low[128];
    size_t i, c;
    ksi_sql_table *t;
    if (!cols->t && x->data && ksi_data_records(x->data) > 0)
        return unknown_tables(x, "d");
    /* an unquoted pattern is folded to lower case (processSQLNamePattern) */
    for (i = 0; last[i] && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)last[i]);
    low[i] = '\0';
    if (!cols->t || strcmp(low, cols->t->name) != 0
        || (last != name && strncmp(name, "public.", 7) != 0)) {
        ks_strbuf_printf(ksi_err(x), "Did not find any relation named \"%s\".\n", name);
        return 1;
    }
    if (!(t = new_table(x, ks_arena_printf(x->ar, "Table \"public.%s\"", cols->t->name), 5,
                        cols->n)))
        return 1;
    t->no_footer = true;
    for (c = 0; c < 5; c++)
        t->head[c] = heads[c];
    for (i = 0; i < cols->n; i++) {
        const char **row = &t->cells[i * 5];
        row[0] = cols->name[i];
        row[1] = cols->num[i] ? "integer" : "text";
        row[2] = row[3] = row[4] = "";
    }
    fit(t);
    ksi_sql_print(x, KSI_SQL_PG, t, f);
    return 0;
}

/* psql's backslash commands that kubesim does not answer: valid, so not
 * "invalid command" (command.c exec_command's list, the common ones). */
static bool known_command(const char *cmd)
{
    static const char *const known[] = {
        "a", "bind", "c", "C", "cd", "connect", "conninfo", "copy", "copyright",
        "crosstabview", "e", "echo", "edit", "ef", "elif", "else", "encoding", "endif",
        "errverbose", "ev", "f", "g", "gdesc", "getenv", "gexec", "gset", "gx", "h", "H",
        "help", "html", "i", "if", "include", "include_relative", "ir", "l", "list", "o",
        "out", "p", "password", "print", "prompt", "pset", "q", "qecho", "quit", "r",
        "reset", "s", "set", "setenv", "sf", "sv", "t", "T", "timing", "unset", "w",
        "warn", "watch", "write", "x", "z", "!", "?", NULL};
    size_t i;
    if (cmd[0] == 'd' || strncmp(cmd, "lo_", 3) == 0)
        return true;                   /* the \d family, large objects */
    for (i = 0; known[i]; i++)
        if (strcmp(cmd, known[i]) == 0)
            return true;
    return false;
}

int ksi_psql_meta(ksi_exec *x, const char *line, const char *user, const char *db,
                  const ksi_sql_fmt *f)
{
    char cmd[32], arg[128];
    size_t n = 0, a = 0;
    ksi_sql_cols cols;
    const char *s = line + strspn(line, " \t\n") + 1;   /* past the backslash */
    while (*s && !isspace((unsigned char)*s) && *s != '\\' && n + 1 < sizeof cmd)
        cmd[n++] = *s++;
    cmd[n] = '\0';
    s += strspn(s, " \t\n");
    while (*s && !isspace((unsigned char)*s) && a + 1 < sizeof arg)
        arg[a++] = *s++;
    arg[a] = '\0';
    s += strspn(s, " \t\n;");
    ksi_sql_columns(x, &cols);
    if (!*s && (strcmp(cmd, "l") == 0 || strcmp(cmd, "list") == 0) && !a)
        return list_databases(x, f);
    if (!*s && (strcmp(cmd, "dt") == 0 || strcmp(cmd, "d") == 0) && !a)
        return list_tables(x, &cols, cmd[1] == 't', f);
    if (!*s && strcmp(cmd, "d") == 0)
        return describe_table(x, &cols, arg, f);
    if (!*s && (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0))
        return 0;
    if (!*s && strcmp(cmd, "conninfo") == 0 && !a) {
        ks_strbuf_printf(ksi_out(x), "You are connected to database \"%s\" as user \"%s\" via "
                                 "socket in \"/var/run/postgresql\" at port \"5432\".\n", db,
                         user);
        return 0;
    }
    if (!known_command(cmd)) {
        ks_strbuf_printf(ksi_err(x), "invalid command \\%s\n", cmd);
        return 1;
    }
    ks_strbuf_printf(ksi_err(x), "kubesim: psql here answers \\l, \\dt, \\d, \\d TABLE, "
                             "\\conninfo and \\q; \\%s is not simulated\n", cmd);
    return 1;
}
