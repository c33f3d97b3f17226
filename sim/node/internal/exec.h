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
    ks_strbuf *out, *err;
    ks_arena *ar;                 /* scratch for this exec */
} ksi_exec;

/* Runs argv in container c of p (running: ksi_workload_exec_io holds),
 * its stdout and stderr appended to out and err; returns its exit status
 * (126: the image has no such program). Kubectl exec and exec probes. */
int ksi_exec_run(ks_sim *sim, ksi_pod *p, size_t c, const char *const *argv, size_t argc,
                 ks_strbuf *out, ks_strbuf *err);
/* The container's env (HOSTNAME too), NULL when unset. */
const char *ksi_exec_getenv(ksi_exec *x, const char *name);
/* Runs a database client or tool named name (psql, pg_isready, mysql,
 * mariadb, mysqladmin, mariadb-admin, redis-cli) against this container's
 * server: true with its exit status; false when kubesim has no such client. */
bool ksi_exec_client(ksi_exec *x, const char *name, const char *const *argv, size_t argc,
                     int *status);

#endif
