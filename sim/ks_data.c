/* ks_data.c -- placeholder-free start of the data layer: volume trace events. */
#include <string.h>

#include "internal/cluster.h"
#include "internal/sim.h"

void ksi_storage_trace(ks_sim *sim, const char *what, const char *claim, const char *pv,
                       int64_t capacity)
{
    ks_trace_event tev;
    memset(&tev, 0, sizeof tev);
    tev.type = KS_TR_VOLUME;
    tev.kind = "PersistentVolumeClaim";
    tev.name = claim;
    tev.reason = what;
    tev.msg = pv;
    tev.n[0] = capacity;
    ks_trace_emit(sim, &tev);
}

void ksi_data_drop_pv(ks_sim *sim, ksi_pv *v, const char *why)
{
    (void)sim;
    (void)v;
    (void)why;
}
