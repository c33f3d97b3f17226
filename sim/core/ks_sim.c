/* ks_sim.c -- creation, seeding and failure state of a simulation. */
#include "ks_sim.h"

#include <string.h>

#include "ks_error.h"
#include "internal/sim.h"

ks_sim *ks_sim_create(const ks_sim_config *cfg)
{
    ks_allocator a = cfg && cfg->alloc.fn ? cfg->alloc : ks_allocator_default();
    ks_sim *sim = ks_mem_calloc(&a, 1, sizeof *sim);
    uint64_t st;
    int i;
    if (!sim)
        return NULL;
    sim->alloc = a;
    sim->seed = cfg ? cfg->seed : 0;
    sim->q.next_seq = 1;
    sim->q.bound = UINT64_MAX;    /* the queue starts as one plain heap */
    /* each stream from its own splitmix64-derived seed */
    st = sim->seed;
    for (i = 0; i < KS_RNG_COUNT; i++)
        ks_rng_seed(&sim->rng[i], ks_splitmix64(&st));
    return sim;
}

void ks_sim_destroy(ks_sim *sim)
{
    ks_allocator a;
    if (!sim)
        return;
    a = sim->alloc;
    sim->nsubs = 0;               /* tearing down is not part of the story */
    while (sim->nparts > 0) {
        ksi_sim_part *p = &sim->parts[--sim->nparts];
        p->fini(sim, p->ud);
    }
    ksi_queue_fini(sim);
    ks_mem_free(&a, sim, sizeof *sim);
}

int ksi_sim_add_part(ks_sim *sim, ksi_part_fini_fn fini, void *ud)
{
    if (sim->nparts >= KSI_SIM_PARTS)
        return KS_ENOMEM;
    sim->parts[sim->nparts].fini = fini;
    sim->parts[sim->nparts].ud = ud;
    sim->nparts++;
    return KS_OK;
}

uint64_t ks_sim_seed(const ks_sim *sim)
{
    return sim->seed;
}

ks_rng *ks_sim_rng(ks_sim *sim, ks_rng_stream stream)
{
    return &sim->rng[stream];
}

const ks_allocator *ks_sim_allocator(const ks_sim *sim)
{
    return &sim->alloc;
}

int ks_sim_status(const ks_sim *sim)
{
    return sim->status;
}

void ks_sim_fail(ks_sim *sim, int code)
{
    if (sim->status == KS_OK)
        sim->status = code;
    sim->stop = 1;
}

void ks_sim_stop(ks_sim *sim)
{
    sim->stop = 1;
}
