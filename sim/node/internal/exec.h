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
    ks_strbuf *order;             /* which stream each byte of out and err
                                     was written to, in write order
                                     (ks_exec_result.order; NULL: not kept) */
    size_t noted_out, noted_err;  /* the bytes of out and err noted there */
} ksi_exec;

/* What out and err gained since the last note, in x->order: one stream
 * only, when every write goes through ksi_out and ksi_err (else stdout's
 * first). Inline: the exec files call it, and it calls none of them. */
static inline void ksi_exec_note(ksi_exec *x)
{
    if (!x->order)
        return;
    for (; x->noted_out < x->out->len; x->noted_out++)
        ks_strbuf_putc(x->order, '1');
    for (; x->noted_err < x->err->len; x->noted_err++)
        ks_strbuf_putc(x->order, '2');
}

/* out and err, to write to: what was written before is noted in x->order
 * first, so that every write goes to order in its turn. Every write of an
 * exec goes through them. */
static inline ks_strbuf *ksi_out(ksi_exec *x)
{
    ksi_exec_note(x);
    return x->out;
}

static inline ks_strbuf *ksi_err(ksi_exec *x)
{
    ksi_exec_note(x);
    return x->err;
}

/* Runs argv in container c of p, whose running process gives base (its
 * io: ksi_workload_exec_io), data and listening; stdout and stderr
 * appended to out and err; returns the exit status (126: the image has no
 * such program). signal (NULL: kill cannot signal PID 1, as in a probe):
 * the signal `kill 1` sent to the container's process, 0 when none; the
 * caller ends the process (ks_node_crash). state (NULL: not kept): a
 * shell that reads its script from stdin writes its state at its end
 * there (ks_exec_result.shell). order (NULL: not kept): the streams'
 * write order (ks_exec_result.order). kubectl exec (ks_exec_api.c) and exec probes
 * (ks_container.c): it calls nothing of theirs, so the kubelet's files
 * and it never call each other in a circle. */
int ksi_exec_run(ks_sim *sim, ksi_pod *p, size_t c, const char *const *argv, size_t argc,
                 const ks_shell_io *base, struct ksi_dir *data, bool listening,
                 ks_strbuf *out, ks_strbuf *err, ks_strbuf *order, int *signal,
                 ks_strbuf *state);
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
