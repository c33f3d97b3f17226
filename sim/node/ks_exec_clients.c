/* ks_exec_clients.c -- the database clients an image ships, run by kubectl
 * exec in the server's own container: they reach that server (its socket),
 * log in as its accounts allow, and answer over the records it holds.
 *
 * SQL clients answer the SELECTs and INSERTs of ks_exec_sql.c over the
 * server's records (each a row of the app's table, or id, created_at);
 * redis-cli (ks_exec_redis.c) answers over its keys. Anything else is said to be
 * beyond kubesim on stderr, exit 1: never an invented answer. The texts are
 * the real clients' (psql 16, mysql 8, redis-cli 7), when run without a
 * terminal, as `kubectl exec` without -t.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal/sim.h"
#include "internal/sql.h"
#include "load/ks_catalog.h"
#include "storage/internal/data.h"

static bool up(ksi_exec *x)
{
    return x->listening;
}

#define FLAGS_ALONE "tAqXaxl"    /* psql's options that take no value */

/* The value of option -X / --long (as "-Xv", "-X v", "--long=v", "--long v")
 * at argv[*i]; advances *i past it. NULL when argv[*i] is not that option. */
static const char *opt(const char *const *argv, size_t argc, size_t *i, char shortc,
                       const char *longname)
{
    const char *a = argv[*i];
    size_t ln = longname ? strlen(longname) : 0, j = 1;
    /* options without a value may come first in one word (psql -tAc SQL,
       as getopt reads it) */
    while (a[0] == '-' && a[j] && a[j] != shortc && strchr(FLAGS_ALONE, a[j]))
        j++;
    if (shortc && a[0] == '-' && a[1] != '-' && a[j] == shortc) {
        if (a[j + 1])
            return a + j + 1;
        if (*i + 1 < argc)
            return argv[++*i];
        return "";
    }
    if (longname && a[0] == '-' && a[1] == '-' && strncmp(a + 2, longname, ln) == 0) {
        if (a[2 + ln] == '=')
            return a + 3 + ln;
        if (!a[2 + ln] && *i + 1 < argc)
            return argv[++*i];
    }
    return NULL;
}

/* The SQL a client reads from its standard input when given no -c/-e
 * (kubectl exec -i, a pipe in sh): NULL when there is none or only blanks. */
static const char *stdin_sql(const ksi_exec *x)
{
    const char *s;
    for (s = x->input; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return x->input;
    return NULL;
}

/* ---- postgres: psql, pg_isready ------------------------------------------------------- */
#define PG_SOCKET "/var/run/postgresql/.s.PGSQL.5432"

/* The roles the entrypoint made: POSTGRES_USER (default postgres). */
static bool pg_role(ksi_exec *x, const char *user)
{
    const ks_image_auth *a = &x->p->pub.containers[x->c].image->auth;
    size_t i;
    for (i = 0; i < a->naccounts; i++) {
        const char *u = a->accounts[i].user_env ? ksi_exec_getenv(x, a->accounts[i].user_env)
                                                : NULL;
        if (!u || !*u)
            u = a->accounts[i].user;
        if (u && strcmp(u, user) == 0)
            return true;
    }
    return a->naccounts == 0;
}

/* Its databases: postgres, and POSTGRES_DB (default: POSTGRES_USER). */
static bool pg_database(ksi_exec *x, const char *db)
{
    const char *want = ksi_exec_getenv(x, "POSTGRES_DB");
    if (!want || !*want)
        want = ksi_exec_getenv(x, "POSTGRES_USER");
    return strcmp(db, "postgres") == 0 || strcmp(db, "template1") == 0
           || (want && *want && strcmp(db, want) == 0);
}

static int psql(ksi_exec *x, const char *const *argv, size_t argc)
{
    const char *user = ksi_exec_getenv(x, "PGUSER"), *db = ksi_exec_getenv(x, "PGDATABASE");
    const char *sql = NULL, *host = NULL, *v;
    bool tuples = false, unaligned = false, list = false;
    size_t i, npos = 0;
    ksi_sql_fmt fmt;
    for (i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (f[0] == '-' && f[1] != '-')
            for (f++; *f && strchr(FLAGS_ALONE, *f); f++) {
                tuples = tuples || *f == 't';
                unaligned = unaligned || *f == 'A';
                list = list || *f == 'l';
            }
        if ((v = opt(argv, argc, &i, 'U', "username")))
            user = v;
        else if ((v = opt(argv, argc, &i, 'd', "dbname")))
            db = v;
        else if ((v = opt(argv, argc, &i, 'c', "command")))
            sql = v;
        else if ((v = opt(argv, argc, &i, 'h', "host")))
            host = v;
        else if (opt(argv, argc, &i, 'p', "port"))
            continue;
        else if (argv[i][0] == '-') {
            list = list || strcmp(argv[i], "--list") == 0;
            tuples = tuples || strchr(argv[i], 't') || strcmp(argv[i], "--tuples-only") == 0;
            unaligned = unaligned || (argv[i][1] != '-' && strchr(argv[i], 'A'));
        } else if (npos++ == 0)
            db = argv[i];
        else
            user = argv[i];
    }
    if (host && strcmp(host, "localhost") != 0 && strcmp(host, "127.0.0.1") != 0) {
        ks_strbuf_printf(ksi_err(x), "kubesim: psql -h %s: exec's psql reaches only the server in "
                                 "its own container here\n", host);
        return 2;
    }
    /* kubectl exec runs as the image's user, root: psql's default role */
    if (!user || !*user)
        user = "root";
    if (!db || !*db)
        db = list ? "postgres" : user;     /* startup.c: -l connects to postgres */
    if (!up(x)) {
        ks_strbuf_printf(ksi_err(x), "psql: error: connection to server on socket \"" PG_SOCKET
                                 "\" failed: No such file or directory\n\tIs the server running "
                                 "locally and accepting connections on that socket?\n");
        return 2;
    }
    /* the image's pg_hba.conf trusts local connections: no password asked */
    if (!pg_role(x, user) || !pg_database(x, db)) {
        ks_strbuf_printf(ksi_err(x), "psql: error: connection to server on socket \"" PG_SOCKET
                                 "\" failed: FATAL:  %s \"%s\" does not exist\n",
                         pg_role(x, user) ? "database" : "role", pg_role(x, user) ? db : user);
        return 2;
    }
    memset(&fmt, 0, sizeof fmt);
    fmt.tuples = tuples;
    fmt.unaligned = unaligned;
    if (list)                       /* -l lists the databases, and only that */
        return ksi_psql_meta(x, "\\l", user, db, &fmt);
    if (!sql && !(sql = stdin_sql(x)))
        return 0;                   /* no terminal, no input: psql reads nothing */
    /* -c is either one backslash command or SQL (psql(1), -c) */
    if (sql[strspn(sql, " \t\n")] == '\\')
        return ksi_psql_meta(x, sql, user, db, &fmt);
    return ksi_sql_run(x, KSI_SQL_PG, "psql", sql, &fmt);
}

static int pg_isready(ksi_exec *x)
{
    ks_strbuf_printf(ksi_out(x), "/var/run/postgresql:5432 - %s\n",
                     up(x) ? "accepting connections" : "no response");
    return up(x) ? 0 : 2;
}

/* ---- mysql, mariadb --------------------------------------------------------------------- */
#define MY_SOCKET "/var/run/mysqld/mysqld.sock"

/* Whether user with password (NULL: none given) may log in. */
static bool my_login(ksi_exec *x, const char *user, const char *password)
{
    const ks_image_auth *a = &x->p->pub.containers[x->c].image->auth;
    size_t i;
    for (i = 0; i < a->naccounts; i++) {
        const ks_image_account *ac = &a->accounts[i];
        const char *u = ac->user_env ? ksi_exec_getenv(x, ac->user_env) : NULL;
        const char *pw = ac->password_env ? ksi_exec_getenv(x, ac->password_env) : NULL;
        if (!u || !*u)
            u = ac->user;
        if (!u || strcmp(u, user) != 0)
            continue;
        if ((!pw || !*pw) ? !password || !*password : password && strcmp(pw, password) == 0)
            return true;
    }
    return a->naccounts == 0;
}

static int mysql(ksi_exec *x, const char *name, const char *const *argv, size_t argc)
{
    const char *user = "root", *password = NULL, *sql = NULL, *db = NULL, *v;
    bool names = true, table = false;
    size_t i;
    ksi_sql_fmt fmt;
    bool maria = strncmp(name, "mariadb", 7) == 0;
    for (i = 1; i < argc; i++) {
        if ((v = opt(argv, argc, &i, 'u', "user")))
            user = v;
        else if (strncmp(argv[i], "-p", 2) == 0 && argv[i][1] == 'p')
            password = argv[i] + 2;  /* -pSECRET; a bare -p asks, and reads nothing */
        else if (strncmp(argv[i], "--password=", 11) == 0)
            password = argv[i] + 11;
        else if ((v = opt(argv, argc, &i, 'e', "execute")))
            sql = v;
        else if ((v = opt(argv, argc, &i, 'D', "database")))
            db = v;
        else if (opt(argv, argc, &i, 'h', "host") || opt(argv, argc, &i, 'P', "port"))
            continue;
        else if (strcmp(argv[i], "-N") == 0 || strcmp(argv[i], "--skip-column-names") == 0)
            names = false;
        else if (strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "--table") == 0)
            table = true;
        else if (argv[i][0] != '-')
            db = argv[i];
    }
    if (password && *password && !maria)
        ks_strbuf_printf(ksi_err(x), "mysql: [Warning] Using a password on the command line "
                                 "interface can be insecure.\n");
    if (!up(x)) {
        ks_strbuf_printf(ksi_err(x), "ERROR 2002 (HY000): Can't connect to local %s server "
                                 "through socket '" MY_SOCKET "' (2)\n",
                         maria ? "server" : "MySQL");
        return 1;
    }
    if (!my_login(x, user, password)) {
        ks_strbuf_printf(ksi_err(x), "ERROR 1045 (28000): Access denied for user '%s'@'localhost' "
                                 "(using password: %s)\n", user, password && *password ? "YES"
                                                                                       : "NO");
        return 1;
    }
    if (!sql && !(sql = stdin_sql(x)))
        return 0;
    memset(&fmt, 0, sizeof fmt);
    fmt.names = names;
    fmt.table = table;
    fmt.have_db = db != NULL;
    fmt.db = db;
    return ksi_sql_run(x, maria ? KSI_SQL_MARIADB : KSI_SQL_MYSQL, name, sql, &fmt);
}

static int mysqladmin(ksi_exec *x, const char *const *argv, size_t argc)
{
    size_t i;
    bool ping = false;
    for (i = 1; i < argc; i++)
        ping = ping || strcmp(argv[i], "ping") == 0;
    if (!ping) {
        ks_strbuf_printf(ksi_err(x), "kubesim: %s here answers only ping\n", argv[0]);
        return 1;
    }
    if (!up(x)) {
        ks_strbuf_printf(ksi_err(x), "%s: connect to server at 'localhost' failed\nerror: 'Can't "
                                 "connect to local server through socket '" MY_SOCKET "' (2)'\n",
                         argv[0]);
        return 1;
    }
    /* 0 whenever the server runs, even when the login is refused (its manual) */
    ks_strbuf_printf(ksi_out(x), "mysqld is alive\n");
    return 0;
}

bool ksi_exec_client(ksi_exec *x, const char *name, const char *const *argv, size_t argc,
                     int *status)
{
    if (strcmp(name, "psql") == 0)
        *status = psql(x, argv, argc);
    else if (strcmp(name, "pg_isready") == 0)
        *status = pg_isready(x);
    else if (strcmp(name, "mysql") == 0 || strcmp(name, "mariadb") == 0)
        *status = mysql(x, name, argv, argc);
    else if (strcmp(name, "mysqladmin") == 0 || strcmp(name, "mariadb-admin") == 0)
        *status = mysqladmin(x, argv, argc);
    else if (strcmp(name, "redis-cli") == 0)
        *status = ksi_redis_cli(x, argv, argc);
    else
        return false;
    return true;
}
