/* internal/sim.h -- the inside of ks_sim, shared by sim/ modules only. */
#ifndef KSI_SIM_H
#define KSI_SIM_H

#include "../ks_event.h"
#include "../ks_sim.h"
#include "../ks_trace.h"

/* A heap entry: 16 bytes, so a 4-ary node's children share a cache line.
 *   tp = time << 8 | priority        (time < 2^55 fits)
 *   sk = seq << 24 | slot             (seq < 2^40; slot < 2^24)
 * Comparing (tp, sk) is exactly (time, priority, seq); sk doubles as the
 * event id, and a slot whose sk no longer matches marks a cancelled entry. */
typedef struct ksi_heap_entry {
    uint64_t tp, sk;
} ksi_heap_entry;

/* 32 bytes: two slots per cache line. A free slot keeps its free-list link
 * (next free slot + 1, 0 = end) in arg. */
typedef struct ksi_event_slot {
    ks_event_fn fn;
    void *subject;
    uint64_t arg;
    uint64_t sk;          /* id of the pending event here, 0 when free */
} ksi_event_slot;

/* An event posted with ks_event_post: it is never cancelled, so it takes
 * no slot and its entry carries its handler. Its key (tp, sk) is a slot
 * entry's with slot KSI_POST_SLOT (never a slot's index), so the posts and
 * the near heap merge into the one order of (time, priority, sequence). */
typedef struct ksi_post_entry {
    uint64_t tp, sk;
    ks_event_fn fn;
    void *subject;
    uint64_t arg;
} ksi_post_entry;

#define KSI_POST_SLOT ((1u << 24) - 1)

/* An unordered run of heap entries: one bucket of the far tier, or its
 * overflow. */
typedef struct ksi_bucket {
    ksi_heap_entry *e;
    size_t len, cap;
} ksi_bucket;

#define KSI_BUCKETS 256

/* Two tiers (see ks_event.c): a small heap of the soonest events, and a far
 * tier of the rest (tp >= bound): KSI_BUCKETS buckets of equal width in
 * time, then an overflow bag beyond them. */
typedef struct ksi_queue {
    ksi_heap_entry *heap; /* near tier: entries with tp < bound; aligned so
                             heap[1] starts a cache line, so each node's 4
                             children share one line */
    void *heap_mem;       /* the allocation heap points into */
    size_t len, cap;
    size_t room;          /* entries the near heap takes on the fast path:
                             cap, or less while one heap may still spill;
                             0 sends the next insert to the slow path */
    uint64_t bound;
    ksi_bucket *buckets;  /* far tier: bucket i holds the entries with tp in
                             [base + (i << shift), base + ((i + 1) << shift));
                             NULL until the queue first has two tiers */
    uint64_t base;
    uint64_t top;         /* base + (KSI_BUCKETS << shift); 0: no buckets */
    unsigned shift;
    uint32_t cur;         /* the next bucket to take into the heap */
    size_t far_len;       /* entries in the buckets and the overflow */
    size_t laid_for;      /* far_len when the buckets were laid out */
    ksi_bucket over;      /* far tier, overflow: tp >= top, unordered */
    ksi_bucket run;       /* near tier, a bucket sorted when it was taken:
                             run.e[run_cur - 1] is in the heap (its sk is
                             run_sk), run.e[run_cur..len) wait their turn */
    size_t run_cur;
    uint64_t run_sk;      /* sk of the run's entry in the heap; 0: none */
    ksi_bucket spare;     /* the radix sort's second buffer */
    ksi_post_entry *posts; /* a binary min-heap of the posted events */
    size_t nposts, posts_cap;
    ksi_event_slot *slots;
    size_t nslots, slots_cap;
    uint32_t free_head;   /* slot index + 1; 0 = empty free list */
    uint32_t live;        /* pending, not cancelled (posts not counted) */
    uint64_t next_seq;
    uint64_t dispatched;
} ksi_queue;

typedef struct ksi_subscriber {
    ks_trace_fn fn;
    void *ud;
} ksi_subscriber;

/* A part built by a higher layer, torn down with the sim. */
typedef void (*ksi_part_fini_fn)(ks_sim *sim, void *ud);
typedef struct ksi_sim_part {
    ksi_part_fini_fn fini;
    void *ud;
} ksi_sim_part;
#define KSI_SIM_PARTS 32

struct ks_sim {
    ks_allocator alloc;
    uint64_t seed;
    ks_time now;
    int status;           /* KS_OK, or the first failure */
    int stop;             /* ks_sim_stop requested */
    ksi_queue q;
    ks_rng rng[KS_RNG_COUNT];
    ksi_subscriber subs[KS_TRACE_MAX_SUBSCRIBERS];
    int nsubs;
    uint64_t trace_seq;
    struct ksi_cluster *cluster;  /* NULL until ks_world_init; owned by the
                                     layer that made it (cluster/) */
    ksi_sim_part parts[KSI_SIM_PARTS];
    int nparts;
};

void ksi_queue_fini(ks_sim *sim);
/* Sorts n entries by (tp, sk), using tmp (room for n) as scratch; returns
 * the one of a and tmp that holds the result (ks_event_sort.c). */
ksi_heap_entry *ksi_entries_sort(ksi_heap_entry *a, ksi_heap_entry *tmp, size_t n);
/* Registers a part of the simulation that a higher layer built (the
 * cluster, the data layer, the network...) to be torn down by
 * ks_sim_destroy, last registered first, with the trace already muted.
 * The core knows nothing of them. Returns KS_OK, or KS_ENOMEM when more
 * than KSI_SIM_PARTS were registered. */
int ksi_sim_add_part(ks_sim *sim, ksi_part_fini_fn fini, void *ud);

#endif
