/* internal/event_far.h -- the event queue's two tiers, shared by the near
 * heap (ks_event.c) and the far tier (ks_event_far.c) only. The queue's
 * layout is ksi_queue in internal/sim.h. */
#ifndef KSI_EVENT_FAR_H
#define KSI_EVENT_FAR_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

/* Where a far entry goes: its bucket, or the overflow beyond them. */
static inline ksi_bucket *ksi_far_home(ksi_queue *q, uint64_t tp)
{
    return tp < q->top ? &q->buckets[(tp - q->base) >> q->shift] : &q->over;
}

/* The near heap is empty: takes the next non-empty bucket into it (laying
 * the overflow out in buckets when none is left, or taking it whole when it
 * is small), and raises bound. Returns 0, or -1 when out of memory (nothing
 * is lost). */
int ksi_far_refill(ks_sim *sim);
/* Moves a one-heap queue (bound = UINT64_MAX) grown past its spill size to
 * the far tier and refills: two tiers again. Returns -1 only when out of
 * memory, leaving the queue as it was. */
int ksi_far_spill(ks_sim *sim);

/* ---- what the far tier uses of the near heap (ks_event.c) ---------------- */
/* Grows the heap to hold need entries; 0, or -1 when out of memory. */
int ksi_near_reserve(ks_sim *sim, size_t need);
/* Makes h[0..len) a heap. */
void ksi_near_heapify(ksi_heap_entry *h, size_t len);
/* Sets q->room (what the fast path may add without a look at the slow
 * path) after cap or bound changed. */
void ksi_near_set_room(ksi_queue *q);

#endif
