/* ks_sim.h -- one simulation: clock, event queue, seeded randomness, trace.
 *
 * Every function of the simulation takes the ks_sim first; there are no
 * globals, so several simulations can run side by side in one process (and
 * on several threads, one sim per thread). The struct is opaque.
 * Depends on: ks_mem, ks_rng, ks_time.
 */
#ifndef KS_SIM_H
#define KS_SIM_H

#include <stdint.h>

#include "ks_mem.h"
#include "ks_rng.h"
#include "ks_time.h"

typedef struct ks_sim ks_sim;

typedef struct ks_sim_config {
    uint64_t seed;            /* same seed + same inputs => same trace */
    ks_allocator alloc;       /* {NULL, NULL}: libc */
} ks_sim_config;

/* Independent random streams, one per purpose, so that (say) adding traffic
 * does not change the names of pods. */
typedef enum ks_rng_stream {
    KS_RNG_NAMES,       /* generated object names */
    KS_RNG_TRAFFIC,     /* request arrivals */
    KS_RNG_ROUTING,     /* kube-proxy / load-balancer choices */
    KS_RNG_SCHED,       /* the scheduler's choice among equal nodes */
    KS_RNG_WORKLOAD,    /* workload timings and behaviour */
    KS_RNG_DEMO,        /* the built-in demo */
    KS_RNG_SHELL,       /* $RANDOM in containers' shells (last: the others keep their seeds) */
    KS_RNG_COUNT
} ks_rng_stream;

/* Creates a simulation at time 0. Returns NULL when out of memory. */
ks_sim *ks_sim_create(const ks_sim_config *cfg);
/* Destroys it and everything it owns. NULL is fine. */
void ks_sim_destroy(ks_sim *sim);

/* The seed it was created with. */
uint64_t ks_sim_seed(const ks_sim *sim);
/* The random stream for one purpose (owned by the sim). */
ks_rng *ks_sim_rng(ks_sim *sim, ks_rng_stream stream);
/* The allocator every part of this sim uses. */
const ks_allocator *ks_sim_allocator(const ks_sim *sim);

/* Sticky failure: once an allocation inside the sim has failed the sim stops
 * dispatching and this returns KS_ENOMEM (SQLite's mallocFailed idea: callers
 * of deep helpers need not thread the error back by hand). KS_OK otherwise. */
int ks_sim_status(const ks_sim *sim);
/* Records a failure (first one wins) and stops the run. */
void ks_sim_fail(ks_sim *sim, int code);

/* Asks the running ks_run_until / ks_step loop to return after the current
 * event (e.g. a scenario's `pause:`). Cleared by the next run call. */
void ks_sim_stop(ks_sim *sim);

#endif
