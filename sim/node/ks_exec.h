/* ks_exec.h -- `kubectl exec`: a command run in a pod's running container,
 * as the kubelet's exec hands it to the container runtime, to completion.
 *
 * What runs is what the image has (its catalog entry's programs):
 *   sh, bash, ash      kubesim's sh (ks_shell.h), with the container's env
 *                      (HOSTNAME too), files, volumes and the pod's DNS
 *   echo, cat, env...  sh's own commands, in any image with sh
 *   psql, mysql, mariadb, redis-cli, pg_isready, mysqladmin, mariadb-admin
 *                      a client of the server in this container, answering
 *                      over the records it holds (ks_exec_clients.c)
 *   anything else      the runtime's refusal, as minikube's docker runtime
 *                      words it: "OCI runtime exec failed: exec failed: unable
 *                      to start container process: exec: \"X\": executable
 *                      file not found in $PATH: unknown", exit 126
 * Sleeps are not waited for: the command's time is not simulated.
 * Depends on: cluster (pods), node (processes), ks_strbuf.
 */
#ifndef KS_EXEC_H
#define KS_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "cluster/ks_cluster.h"
#include "core/ks_strbuf.h"

typedef enum ks_exec_outcome {
    KS_EXEC_RAN,                  /* the command ran: code is its exit status
                                     (126: the runtime could not start it) */
    KS_EXEC_NO_POD,               /* NotFound */
    KS_EXEC_COMPLETED,            /* the pod is Succeeded or Failed */
    KS_EXEC_NO_CONTAINER,         /* no container of that name (BadRequest) */
    KS_EXEC_NOT_RUNNING           /* the container is not running */
} ks_exec_outcome;

typedef struct ks_exec_result {
    ks_exec_outcome outcome;
    int code;                     /* exit status (KS_EXEC_RAN) */
    ks_strbuf out, err;           /* the command's stdout and stderr; when it
                                     did not run, err holds kubectl's message
                                     without its "error: " */
    size_t container;             /* the container index it ran in */
    bool defaulted;               /* no container named and the pod has more
                                     than one: kubectl says which it chose */
    ks_strbuf shell;              /* a shell that read its script from stdin:
                                     its state at its end as the sh lines that
                                     set it again (its functions' definitions
                                     as written, NAME='v', export NAME, unset
                                     NAME, set -o pipefail, set -e, set -u,
                                     set -x,
                                     and $? unless set -x is on), for a next
                                     exec to begin with:
                                     kubesim serve runs an interactive sh's
                                     lines one exec each. Else empty. */
    ks_strbuf order;              /* one byte for each byte of out and err, in
                                     the order the command wrote them: '1'
                                     stdout, '2' stderr (ks_exec_each_write) */
} ks_exec_result;

/* Calls each for every stretch of the command's output that went to one
 * stream, in the order the command wrote them (stream 1 stdout, 2
 * stderr): `sh -c 'echo a; echo b >&2; echo c'` is a (1), b (2), c (1),
 * as a real kubectl exec copies each stream as the process writes it. A
 * result without order (made by hand): out, then err. */
void ks_exec_each_write(const ks_exec_result *res,
                        void (*each)(void *ud, int stream, const char *s, size_t n), void *ud);

/* Runs argv[0..argc) in container (NULL: the pod's first, as kubectl
 * defaults) of pod. res is initialised here (ks_exec_result_fini frees it).
 * Returns res->outcome. */
ks_exec_outcome ks_exec(ks_sim *sim, ks_id pod, const char *container, const char *const *argv,
                        size_t argc, ks_exec_result *res);
/* ks_exec with input as the command's standard input, whole (kubectl exec
 * -i: what was piped in, read to its end; NULL: none, as /dev/null): a
 * shell with no -c reads its script from it (sh -s), sh's commands (cat,
 * grep, read...) and the database clients (psql, mysql: SQL with no -c/-e)
 * read it. */
ks_exec_outcome ks_exec_input(ks_sim *sim, ks_id pod, const char *container,
                              const char *const *argv, size_t argc, const char *input,
                              ks_exec_result *res);
void ks_exec_result_fini(ks_exec_result *res);
/* The pod's containers as kubectl lists them when it defaults or refuses
 * one (podcmd.AllContainerNames): "app, sidecar, setup (init)". */
void ks_exec_container_names(const ks_pod *p, ks_strbuf *out);

#endif
