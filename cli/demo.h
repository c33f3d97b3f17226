/* demo.h -- the built-in demo, run by `kubesim` until lessons exist: one pod
 * whose container exits with an error a few seconds after each start, so the
 * kubelet's restart back-off (immediate, then 10 s doubling to 300 s) plays
 * out on the event core. */
#ifndef KSC_DEMO_H
#define KSC_DEMO_H

#include "../sim/ks_sim.h"

typedef struct ksc_demo {
    int restarts;
    int crashes;
    const char *status;      /* kubectl STATUS now */
} ksc_demo;

/* Schedules the demo's first events on sim; d must outlive the run. */
void ksc_demo_start(ks_sim *sim, ksc_demo *d);

#endif
