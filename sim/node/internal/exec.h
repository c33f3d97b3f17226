/* internal/exec.h -- what ks_exec.c (the command, $PATH) and
 * ks_exec_clients.c (the database clients) share. */
#ifndef KSI_EXEC_H
#define KSI_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "cluster/internal/cluster.h"
#include "core/ks_strbuf.h"
#include "../ks_shell.h"

/* One exec: the container, its io (the process's env, files, DNS), the
 * command's stdout and stderr. */
typedef struct ksi_exec {
    ks_sim *sim;
    ksi_pod *p;
    size_t c;
    ks_shell_io base;
    struct ksi_dir *data;         /* the server's records (database, cache) */
    bool listening;               /* the server accepts connections */
    ks_strbuf *out, *err;
    ks_arena *ar;                 /* scratch for this exec */
    const char *const *assign;    /* `X=1 psql ...` in a script: NAME=value */
    size_t nassign;
    const char *input;            /* the running program's standard input (NULL: none) */
    bool can_signal;              /* kill may signal the container's process */
    ks_strbuf *state;             /* a shell reading its script from stdin:
                                     its state at its end (NULL: not kept) */
    int signal;                   /* the signal kill sent to PID 1 (0: none) */
} ksi_exec;

/* Runs argv in container c of p, whose running process gives base (its
 * io: ksi_workload_exec_io), data and listening; stdout and stderr
 * appended to out and err; returns the exit status (126: the image has no
 * such program). signal (NULL: kill cannot signal PID 1, as in a probe):
 * the signal `kill 1` sent to the container's process, 0 when none; the
 * caller ends the process (ks_node_crash). state (NULL: not kept): a
 * shell that reads its script from stdin writes its state at its end
 * there (ks_exec_result.shell). kubectl exec (ks_exec_api.c) and exec probes
 * (ks_container.c): it calls nothing of theirs, so the kubelet's files
 * and it never call each other in a circle. */
int ksi_exec_run(ks_sim *sim, ksi_pod *p, size_t c, const char *const *argv, size_t argc,
                 const ks_shell_io *base, struct ksi_dir *data, bool listening,
                 ks_strbuf *out, ks_strbuf *err, int *signal, ks_strbuf *state);
/* The container's env (HOSTNAME too), NULL when unset. */
const char *ksi_exec_getenv(ksi_exec *x, const char *name);
/* Runs a database client or tool named name (psql, pg_isready, mysql,
 * mariadb, mysqladmin, mariadb-admin, redis-cli) against this container's
 * server: true with its exit status; false when kubesim has no such client. */
bool ksi_exec_client(ksi_exec *x, const char *name, const char *const *argv, size_t argc,
                     int *status);

/* redis-cli against this container's server (ks_exec_redis.c): its exit
 * status. */
int ksi_redis_cli(ksi_exec *x, const char *const *argv, size_t argc);

/* The SQL dialect of a client's server, and how the client prints. */
typedef enum ksi_sql_dialect { KSI_SQL_PG, KSI_SQL_MYSQL, KSI_SQL_MARIADB } ksi_sql_dialect;
typedef struct ksi_sql_fmt {
    bool tuples, unaligned;       /* psql -t, -A */
    bool names, table, have_db;   /* mysql: not -N, -t, a database chosen */
    const char *db;               /* mysql: that database */
} ksi_sql_fmt;
/* Runs one statement of client (for its messages) over the records of
 * x->data, printed as the client prints; the client's exit status
 * (ks_exec_sql.c). */
int ksi_sql_run(ksi_exec *x, ksi_sql_dialect d, const char *client, const char *sql,
                const ksi_sql_fmt *f);

#endif
