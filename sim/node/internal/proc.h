/* internal/proc.h -- a container's process record, shared by the files of
 * ks_container*.c: ks_container.c starts, stops and probes it,
 * ks_container_io.c is the shell's view of it (files, env, DNS, HTTP).
 * A process's state lives in its own arena, freed when the process ends. */
#ifndef KSI_PROC_H
#define KSI_PROC_H

#include "cluster/internal/cluster.h"
#include "storage/internal/data.h"
#include "node/internal/usage.h"
#include "node/internal/workload.h"
#include "node/ks_shell.h"

typedef struct ksi_proc {
    ks_arena *ar;
    ks_kvs env;
    size_t env_cap;
    const ks_kvs *svc_env;        /* the Service link variables at its start, */
    ksi_svc_env *svc_held;        /* shared (NULL: none yet) */
    int port;                     /* where it listens (0: nowhere) */
    bool listening;
    ks_event_id timer;            /* listen / shell step / exit */
    ks_shell_prog *prog;
    ks_shell_run *run;            /* a shell's state (4.7 KB), in ar: only a
                                     process that runs sh has one */
    ksi_dir *data;                /* where its records are: a database's data
                                     directory, a cache's memory, the last
                                     directory a shell wrote to */
    const char *etc;              /* /etc/resolv.conf, NUL, /etc/hosts as the
                                     runtime and the kubelet wrote them (made
                                     at the first read; NULL: not yet) */
    bool server;                  /* counted as a server on data */
    bool metered;                 /* running: usage is being measured */
    ksi_usage usage;
    ks_id pod;
    size_t c;
    ks_sim *sim;
} ksi_proc;

/* The pod whose container pr runs, or NULL when pr is no longer its
 * process (the pod is gone, or the container restarted). */
static inline ksi_pod *ksi_proc_pod(ks_sim *sim, ksi_proc *pr)
{
    ksi_pod *p = ksi_pod_get(sim, pr->pod);
    return p && p->cst[pr->c].proc == pr ? p : NULL;
}

/* The shell's io for pr: its output to the container's log, its files
 * where the mounts say, its env, the pod's DNS, wget/curl (ks_container_io.c). */
ks_shell_io ksi_proc_shell_io(ksi_proc *pr);

#endif
