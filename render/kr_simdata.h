/* kr_simdata.h -- the window's figures and request dots, from the
 * simulation's own data layer, traffic statistics and trace (see
 * kr_simdata.c). kr_app uses these when its config gives no data source
 * and no hop callback.
 * Depends on: ks_cluster, ks_traffic, ks_trace, kr_anim, kr_data.
 */
#ifndef KR_SIMDATA_H
#define KR_SIMDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "kr_anim.h"
#include "kr_data.h"
#include "cluster/ks_cluster.h"
#include "core/ks_trace.h"

/* Records per claim and per pod (ks_cluster_pvc_records,
 * ks_cluster_pod_records), per-route figures and the entering rate
 * (ks_traffic_route). A static source; ud is unused. */
const kr_data_source *kr_data_sim(void);

/* Data a pod keeps itself (its container layer, its memory, its emptyDirs):
 * where the records would be lost with a restart or a deletion. */
typedef struct kr_pod_data {
    bool found;
    long records;
    const char *where;        /* "in its layer" (the container's writable
                                 layer), "in memory", "in emptyDir" */
    long lost;                /* lost from its directories, the last 30 s */
    ks_time lost_at;
} kr_pod_data;
bool kr_sim_pod_data(const ks_sim *sim, ks_id pod, kr_pod_data *out);

/* Whether two database servers write a volume's data at once (the hazard
 * DESIGN.md asks to show): the most writers seen on one of its directories
 * and the records written unreliably. */
bool kr_sim_volume_hazard(const ks_sim *sim, ks_id pv, int *writers, long *unreliable);

/* The dots of a KS_TR_HOP trace event, in out (1 or 2: a hop into a pod
 * goes through the Service pill that selects it). 0 when the event is not a
 * hop, names something not on screen, or is a good answer (not drawn). */
size_t kr_sim_hops(const ks_sim *sim, const ks_trace_event *ev, kr_hop out[2]);

#endif
