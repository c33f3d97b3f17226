/* kr_data.h -- figures the window shows that the simulation does not
 * expose yet: records per volume, per-route request statistics, the rate
 * of traffic entering the cluster. Each is a callback, so a data layer can
 * plug in without touching the drawing code; kr_data_placeholder() answers
 * "not known" to all (the window then leaves those figures out).
 *
 * Request hops are not here: they arrive on the trace and go to kr_anim
 * (see kr_app.c, on_trace), or are added directly with kr_anim_add_hop.
 * Depends on: ks_cluster.
 */
#ifndef KR_DATA_H
#define KR_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "cluster/ks_cluster.h"

/* Records on one volume, as a query would return them now. */
typedef struct kr_records {
    long count;             /* records there */
    bool known;             /* false: no figure (nothing drawn) */
    const char *where;      /* for a pod: "in its layer" (the container's
                               writable layer), "in memory", "in emptyDir",
                               "on a volume"; or NULL */
    long lost;              /* records lost there recently (0: none) */
    ks_time lost_at;        /* when */
    long unsafe;            /* written while two servers shared the data */
} kr_records;

/* One route of the Requests panel ("GET /api/values"). */
typedef struct kr_route_stat {
    char method[12];
    char path[96];
    double rate;            /* requests per second, recent */
    double success;         /* share of 2xx in 0..1; < 0: none yet */
    double p99_ms;          /* latency; < 0: none yet */
    long total;
} kr_route_stat;

/* An exercise's goal, as its checklist panel shows it. */
typedef struct kr_goal {
    const char *title;
    bool met;
    const char *hint;       /* the hints asked for so far, the latest; NULL: none */
    int hint_no, nhints;    /* which hint that is (from 1), of how many */
} kr_goal;

typedef struct kr_data_source {
    void *ud;
    /* Records on a claim's volume (pvc != 0), or on a pod's volume by
     * name (pod != 0: an emptyDir, or the container layer when volume is
     * NULL). Fills out; false when not known. */
    bool (*records)(void *ud, const ks_sim *sim, ks_id pvc, ks_id pod, const char *volume,
                    kr_records *out);
    /* Per-route figures, most important first; returns how many it filled. */
    size_t (*routes)(void *ud, const ks_sim *sim, kr_route_stat *out, size_t max);
    /* Requests per second entering the cluster; < 0 when not known. */
    double (*traffic_rate)(void *ud, const ks_sim *sim);
} kr_data_source;

/* Knows nothing: no records, no routes, no rate. */
const kr_data_source *kr_data_placeholder(void);

/* Convenience wrappers that accept a NULL source or NULL callbacks. */
bool kr_data_records(const kr_data_source *d, const ks_sim *sim, ks_id pvc, ks_id pod,
                     const char *volume, kr_records *out);
size_t kr_data_routes(const kr_data_source *d, const ks_sim *sim, kr_route_stat *out,
                      size_t max);
double kr_data_traffic_rate(const kr_data_source *d, const ks_sim *sim);

#endif
