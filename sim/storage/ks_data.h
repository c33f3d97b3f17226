/* ks_data.h -- the data layer: where records live (a container's layer, a
 * process's memory, an emptyDir, a node's directory, a volume), and what
 * survives what. Read by the renderer, the expectations and kubectl.
 * Depends on: cluster (ids of pods, nodes, volumes).
 */
#ifndef KS_DATA_H
#define KS_DATA_H

#include "cluster/ks_cluster.h"

/* ---- data: where records live, and what survives ---------------------------------- */
typedef enum ks_data_kind {
    KS_DATA_LAYER,        /* a container's writable layer: gone when it restarts */
    KS_DATA_MEMORY,       /* a process's memory (a cache): gone when it restarts */
    KS_DATA_EMPTYDIR,     /* an emptyDir: survives restarts, gone with the pod */
    KS_DATA_HOSTPATH,     /* a directory on a node: stays on that node */
    KS_DATA_VOLUME        /* a PersistentVolume: follows its claim */
} ks_data_kind;

typedef struct ks_datadir {
    uint32_t id;                          /* stable while it exists */
    ks_data_kind kind;
    ks_id pod;                            /* LAYER, MEMORY, EMPTYDIR */
    int container;                        /* LAYER, MEMORY */
    ks_id node;                           /* HOSTPATH */
    ks_id pv;                             /* VOLUME */
    const char *volume;                   /* emptyDir name, host path */
    const char *path;                     /* directory inside ("postgres/") */
    int64_t records;                      /* records a reader finds now */
    int64_t unreliable;                   /* written while two servers shared it */
    int64_t lost;                         /* records lost here so far */
    ks_time lost_at;                      /* when (for fading) */
    const char *lost_why;
    int writers;                          /* database servers using it now */
    bool initialized;                     /* a database has initialised it */
    bool gone;                            /* the storage itself is gone */
} ks_datadir;

/* Data directories, including ones gone in the last 30 s (so a renderer
 * can fade them): i in [0, ks_datadir_count). */
size_t ks_datadir_count(const ks_sim *sim);
const ks_datadir *ks_datadir_get(const ks_sim *sim, size_t i);
/* Records on a claim's volume (all directories), -1 if it has none. */
int64_t ks_pvc_records(const ks_sim *sim, ks_id pvc);


#endif
