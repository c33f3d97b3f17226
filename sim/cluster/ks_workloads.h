/* ks_workloads.h -- the status of the workload kinds that are kept as their
 * manifest (Job, and the kinds that come after it): what their controllers
 * report, for kubectl, the window and expectations.
 *
 * Each kind's controller (one file in sim/cluster/) keeps this status and
 * defines the lookup. Lookups return NULL for a dead id or another kind;
 * pointers are valid until the next event runs, like every cluster lookup.
 * Depends on: ks_cluster.
 */
#ifndef KS_WORKLOADS_H
#define KS_WORKLOADS_H

#include "ks_cluster.h"

/* ---- Jobs (ks_job.c) ---------------------------------------------------------- */
typedef struct ks_job {
    ks_id id;
    const ks_object *obj;                 /* as applied (or made by its CronJob) */
    const char *name, *ns;
    const ks_job_spec *spec;
    const char *uid;                      /* its controller-uid label */
    ks_kvs labels;                        /* of its pods: the template's, then
                                             controller-uid and job-name */
    int64_t active, ready, succeeded, failed;
    ks_time start_time, completion_time;  /* -1: not set */
    bool complete, failed_cond, suspended; /* conditions Complete / Failed /
                                              Suspended */
    const char *reason, *message;         /* of the Failed condition */
    ks_time finished_at;                  /* when Complete or Failed was set */
    ks_time created;
} ks_job;

/* The Job of id, or NULL. */
const ks_job *ks_cluster_job(const ks_sim *sim, ks_id id);
/* kubectl's STATUS of a Job: Complete, Failed, Terminating, Suspended or
 * Running (printers.go printJob, v1.30). */
const char *ks_job_status_text(const ks_sim *sim, const ks_job *j);

/* ---- CronJobs (ks_cronjob.c) ------------------------------------------------------ */
typedef struct ks_cronjob {
    ks_id id;
    const ks_object *obj;                 /* as applied */
    const char *name, *ns;
    const ks_cronjob_spec *spec;
    ks_id *active;                        /* its Jobs still running (status.active) */
    size_t nactive;
    ks_time last_schedule;                /* the scheduled time of its last Job; -1: none */
    ks_time last_successful;              /* when its last Job completed; -1: none */
    ks_time next_run;                     /* the next scheduled time; -1: none (suspended,
                                             or a schedule that never fires) */
    ks_time created;
} ks_cronjob;

/* The CronJob of id, or NULL. */
const ks_cronjob *ks_cluster_cronjob(const ks_sim *sim, ks_id id);

/* ---- StatefulSets (ks_statefulset.c) ------------------------------------------------ */
typedef struct ks_statefulset {
    ks_id id;
    const ks_object *obj;                 /* as applied (or scaled, restarted) */
    const char *name, *ns;
    const ks_statefulset_spec *spec;
    /* status (computeReplicaStatus): pods that exist, Running and Ready,
     * available (ready minReadySeconds), at the current / update revision */
    int64_t replicas, ready, available, current, updated;
    const char *current_revision;         /* "<name>-<hash>" */
    const char *update_revision;
    ks_time created;
} ks_statefulset;

/* ---- DaemonSets (ks_daemonset.c) ----------------------------------------------------- */
typedef struct ks_daemonset {
    ks_id id;
    const ks_object *obj;                 /* as applied (or restarted) */
    const char *name, *ns;
    const ks_daemonset_spec *spec;
    const char *hash;                     /* controller-revision-hash of its template */
    int64_t generation;                   /* pod-template-generation */
    /* status: nodes that should run its pod, that do, with a ready /
     * up-to-date / available one, and nodes running one they should not */
    int64_t desired, current, ready, updated, available, misscheduled;
    ks_time created;
} ks_daemonset;

/* The DaemonSet of id, or NULL. */
const ks_daemonset *ks_cluster_daemonset(const ks_sim *sim, ks_id id);

/* The StatefulSet of id, or NULL. */
const ks_statefulset *ks_cluster_statefulset(const ks_sim *sim, ks_id id);
/* The ordinal of one of its pods ("web-2": 2), or -1 (getOrdinal). */
int64_t ks_statefulset_ordinal(const ks_statefulset *s, const ks_pod *p);

#endif
