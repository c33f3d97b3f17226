/* ks_event_far.c -- the far tier of the event queue (ks_event.c): buckets,
 * their overflow, and the refill that takes the next bucket into the near
 * heap.
 *
 * Every near entry is below every far one: an entry goes to the far tier when
 * tp >= bound, and a refill (only ever when the near heap is empty) takes
 * the next non-empty bucket and raises bound to its end. A bucket of
 * RUN_MIN or more is sorted (ks_event_sort.c) into a run that feeds the heap
 * one entry at a time; a smaller one is heapified. When the buckets are used
 * up, the overflow is laid out in buckets anew, their width chosen from a
 * sample so that each holds about BUCKET_FILL entries.
 * Depends on: the near heap's ksi_near_* (ks_event.c), ks_mem.
 */
#include <stdlib.h>
#include <string.h>

#include "internal/event_far.h"
#include "internal/sim.h"

#define FAR_ALL 512         /* an overflow this small moves to the heap whole */
#define SAMPLES 127         /* overflow entries sampled to size the buckets */
#define BUCKET_FILL 512    /* entries a bucket is sized to hold */
#define BUCKET_KEEP 8192    /* a bucket's room kept once it is emptied */
#define BUCKET_SPLIT 4096   /* a bucket this full is laid out anew, when the
                               far tier has doubled since it was laid out */
#define RUN_MIN 64          /* a bucket this full is sorted into a run */

/* memcpy of n entries; an empty tier may have no array yet (NULL), and
 * memcpy's arguments must never be NULL, even for 0 bytes (C11 7.24.1). */
static void copy_entries(ksi_heap_entry *dst, const ksi_heap_entry *src, size_t n)
{
    if (n)
        memcpy(dst, src, n * sizeof(ksi_heap_entry));
}

/* A small queue is one plain heap (bound = UINT64_MAX, everything is near).
 * When it grows past NEAR_SPILL, everything moves to the overflow and a
 * refill lays out buckets, giving two tiers again. Returns -1 only when out
 * of memory, leaving the queue as it was. */
int ksi_far_spill(ks_sim *sim)
{
    ksi_queue *q = &sim->q;
    if (ks_mem_grow(&sim->alloc, (void **)&q->over.e, &q->over.cap, q->over.len + q->len,
                    sizeof *q->over.e) != 0)
        return -1;
    copy_entries(q->over.e + q->over.len, q->heap, q->len);
    q->over.len += q->len;
    q->far_len += q->len;
    q->len = 0;
    if (ksi_far_refill(sim) != 0) {
        q->bound = 0;     /* all far, none near: still ordered */
        ksi_near_set_room(q);
        return -1;
    }
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Lays the overflow out in buckets anew (every bucket is empty): their
 * width is a power of two chosen from a sample so that the first ones
 * hold about BUCKET_FILL entries each; base is the sample's least time,
 * and anything below it goes to bucket 0. What lies beyond the last bucket
 * stays in the overflow. Counts first, so that a failed allocation moves
 * nothing. Returns 0, or -1 when out of memory. Deterministic: the sample
 * is taken at a fixed stride. */
static int lay_out(ks_sim *sim)
{
    ksi_queue *q = &sim->q;
    uint64_t sample[SAMPLES], base, width, top;
    size_t count[KSI_BUCKETS] = {0};
    size_t i, k, keep = 0, stride = q->over.len / SAMPLES;
    unsigned shift = 0;
    if (!q->buckets) {
        q->buckets = ks_mem_calloc(&sim->alloc, KSI_BUCKETS, sizeof *q->buckets);
        if (!q->buckets)
            return -1;
    }
    for (i = 0; i < SAMPLES; i++)
        sample[i] = q->over.e[i * stride].tp;
    qsort(sample, SAMPLES, sizeof sample[0], cmp_u64);
    k = SAMPLES * BUCKET_FILL / q->over.len;
    k = k < 1 ? 1 : k > SAMPLES - 1 ? SAMPLES - 1 : k;
    base = sample[0];
    width = sample[k] - base;
    while (shift < 56 && ((uint64_t)1 << shift) < width)
        shift++;
    top = (UINT64_MAX - base) >> shift >= KSI_BUCKETS
              ? base + ((uint64_t)KSI_BUCKETS << shift) : UINT64_MAX;
    for (i = 0; i < q->over.len; i++) {
        uint64_t tp = q->over.e[i].tp;
        if (tp < top)
            count[tp < base ? 0 : (tp - base) >> shift]++;
    }
    for (k = 0; k < KSI_BUCKETS; k++)
        if (ks_mem_grow(&sim->alloc, (void **)&q->buckets[k].e, &q->buckets[k].cap,
                        count[k], sizeof *q->buckets[k].e) != 0)
            return -1;
    q->base = base;
    q->shift = shift;
    q->top = top;
    q->cur = 0;
    q->laid_for = q->far_len;
    for (i = 0; i < q->over.len; i++) {
        ksi_heap_entry e = q->over.e[i];
        if (e.tp < top) {
            ksi_bucket *b = &q->buckets[e.tp < base ? 0 : (e.tp - base) >> shift];
            b->e[b->len++] = e;
        } else {
            q->over.e[keep++] = e;
        }
    }
    q->over.len = keep;
    return 0;
}

/* Moves what the buckets hold back to the overflow, to be laid out anew:
 * the buckets were sized for a far tier that has grown since. Returns 0,
 * or -1 when out of memory (nothing moved). */
static int gather(ks_sim *sim)
{
    ksi_queue *q = &sim->q;
    size_t k;
    if (ks_mem_grow(&sim->alloc, (void **)&q->over.e, &q->over.cap, q->far_len,
                    sizeof *q->over.e) != 0)
        return -1;
    for (k = q->cur; k < KSI_BUCKETS; k++) {
        copy_entries(q->over.e + q->over.len, q->buckets[k].e, q->buckets[k].len);
        q->over.len += q->buckets[k].len;
        q->buckets[k].len = 0;
    }
    q->top = 0;
    return 0;
}

/* Takes bucket b (the heap is empty, no run is left) as a run: its array
 * becomes the run's, sorted, the run's old array the bucket's, and the
 * run's first entry goes into the heap. Returns 0, or -1 (nothing moved). */
static int take_run(ks_sim *sim, ksi_bucket *b)
{
    ksi_queue *q = &sim->q;
    ksi_bucket old = q->run;
    ksi_heap_entry *sorted;
    if (ksi_near_reserve(sim, 1) != 0
        || ks_mem_grow(&sim->alloc, (void **)&q->spare.e, &q->spare.cap, b->len,
                       sizeof *q->spare.e) != 0)
        return -1;
    q->run = *b;
    b->e = old.e;
    b->cap = old.cap;
    b->len = 0;
    q->far_len -= q->run.len;
    sorted = ksi_entries_sort(q->run.e, q->spare.e, q->run.len);
    if (sorted != q->run.e) {
        old = q->spare;
        q->spare.e = q->run.e;
        q->spare.cap = q->run.cap;
        q->run.e = old.e;
        q->run.cap = old.cap;
    }
    if (q->spare.cap > BUCKET_KEEP) {     /* scratch for a crowd: not kept */
        ks_mem_free(&sim->alloc, q->spare.e, q->spare.cap * sizeof *q->spare.e);
        q->spare = (ksi_bucket){NULL, 0, 0};
    }
    q->heap[0] = q->run.e[0];
    q->len = 1;
    q->run_sk = q->run.e[0].sk;
    q->run_cur = 1;
    return 0;
}

/* The near heap is empty: take the next non-empty bucket into it (laying
 * the overflow out in buckets when none is left, or taking it whole when
 * it is small), and raise bound to the end of what was taken. Every near
 * entry stays below every far one. Returns 0, or -1 when out of memory
 * (nothing is lost: the entries stay where they were). */
int ksi_far_refill(ks_sim *sim)
{
    ksi_queue *q = &sim->q;
    ksi_bucket *b;
    if (!q->run_sk && q->run_cur >= q->run.len && q->run.cap > BUCKET_KEEP) {
        /* a run used up that once held a crowd: its room is not kept (when
           no later bucket is big enough to take it over, it would be) */
        ks_mem_free(&sim->alloc, q->run.e, q->run.cap * sizeof *q->run.e);
        q->run = (ksi_bucket){NULL, 0, 0};
        q->run_cur = 0;
    }
    while (q->top && q->cur < KSI_BUCKETS && !q->buckets[q->cur].len)
        q->cur++;
    if (q->top && q->cur < KSI_BUCKETS && q->buckets[q->cur].len > BUCKET_SPLIT
        && q->far_len > 2 * q->laid_for)
        gather(sim);      /* on failure the crowded bucket is simply taken */
    if (!q->top || q->cur == KSI_BUCKETS) {
        q->top = 0;
        if (q->over.len <= FAR_ALL) {     /* small: one plain heap until it grows */
            if (ksi_near_reserve(sim, q->over.len) != 0)
                return -1;
            copy_entries(q->heap, q->over.e, q->over.len);
            q->len = q->over.len;
            q->far_len -= q->over.len;
            q->over.len = 0;
            q->bound = UINT64_MAX;
            ksi_near_set_room(q);
            ksi_near_heapify(q->heap, q->len);
            return 0;
        }
        if (lay_out(sim) != 0)
            return -1;
        while (q->cur < KSI_BUCKETS - 1 && !q->buckets[q->cur].len)
            q->cur++;                     /* (bucket 0 holds the sample's least) */
    }
    b = &q->buckets[q->cur];
    if (b->len >= RUN_MIN) {
        if (take_run(sim, b) != 0)
            return -1;
    } else {
        if (ksi_near_reserve(sim, b->len) != 0)
            return -1;
        copy_entries(q->heap, b->e, b->len);
        q->len = b->len;
        q->far_len -= b->len;
        b->len = 0;
    }
    if (b->cap > BUCKET_KEEP) {           /* a bucket that once held a crowd */
        ks_mem_free(&sim->alloc, b->e, b->cap * sizeof *b->e);
        b->e = NULL;
        b->cap = 0;
    }
    q->cur++;
    q->bound = q->cur == KSI_BUCKETS ? q->top : q->base + ((uint64_t)q->cur << q->shift);
    ksi_near_set_room(q);
    ksi_near_heapify(q->heap, q->len);
    return 0;
}
