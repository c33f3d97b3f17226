/* ks_event.c -- the event queue.
 *
 * Ordering rule (the invariant everything else relies on): events run by
 * (time, priority, insertion sequence). Entries pack this into two 64-bit
 * words, tp = time<<8|prio and sk = seq<<24|slot, compared lexicographically;
 * sequence numbers are unique, so the order is total. sk is also the event
 * id; the slot table holds each event's handler.
 *
 * Two tiers keep the hot heap small (a ladder queue of two rungs): the
 * "near" tier is a 4-ary min-heap of entries with tp < bound, the "far" tier
 * KSI_BUCKETS unordered buckets of equal width in time from bound on, and an
 * unordered overflow beyond the last bucket. New events go where they fall
 * (O(1) for far ones). When the near heap runs dry, the next non-empty
 * bucket is taken (ks_event_far.c) and bound moves to its end: a full
 * bucket is sorted (ks_event_sort.c) into a run that feeds the heap one
 * entry at a time, so
 * the heap holds the run's next entry and the few events scheduled into the
 * near tier since (a pop is then a step along the run, not a sift-down
 * through hundreds of entries); a small one is simply heapified. When the
 * buckets are used up, the overflow is laid out in buckets anew, their
 * width chosen from a sample so that each holds about BUCKET_FILL entries.
 * Every near entry is below every far one and the run is sorted by (tp, sk),
 * so the order is exactly that of one big heap, whose hot part stays small.
 *
 * Cancelling frees the slot at once and leaves the entry behind as a
 * tombstone: an entry whose sk differs from its slot's sk is skipped when it
 * reaches the top (Redis ae.c marks and sweeps the same way). When
 * tombstones outnumber live events both tiers are swept, so cancel-heavy
 * workloads cannot grow the queue without bound.
 *
 * Posted events (ks_event_post) are never cancelled, so they need no slot:
 * they wait in a heap of their own whose entries carry the handler, keyed
 * like the others from the one sequence counter. Dispatch takes whichever
 * of the two tops is first, so the order is the same as if every event had
 * been scheduled, and a post costs no slot to take, check and free.
 */
#include "ks_event.h"

#include <stdlib.h>
#include <string.h>

#include "ks_error.h"
#include "internal/event_far.h"
#include "internal/sim.h"

#define SLOT_BITS 24
#define SLOT_MASK ((1u << SLOT_BITS) - 1)
#define SEQ_LIMIT ((uint64_t)1 << 40)
#define ARITY 4
#define LINE 64
#define NEAR_SPILL 8192     /* an unbounded heap this big is split in two */
#define PREFETCH_LEN 64     /* a heap this long has its top slots prefetched */
#define RUN_AHEAD 4         /* the run's slots are fetched this far ahead */
#define LIKELY(x) __builtin_expect(!!(x), 1)

_Static_assert(KSI_POST_SLOT >= KS_EVENT_MAX_PENDING, "a post's slot bits name no slot");
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Copies an entry word by word. The entry was just written as two words
 * (by sift_up), and a 16-byte load of two 8-byte stores in flight cannot
 * be forwarded from the store buffer: the CPU waits for both stores to
 * retire. The empty asm keeps the compiler from fusing the two moves. */
#define MOVE_ENTRY(dst, src) do { \
        (dst).tp = (src).tp; \
        __asm__("" ::: "memory"); \
        (dst).sk = (src).sk; \
    } while (0)

/* ---- the near heap -------------------------------------------------------- */
typedef unsigned __int128 key128;

static inline key128 key_of(ksi_heap_entry e)
{
    return (key128)e.tp << 64 | e.sk;
}

/* Puts e at h[i] (a hole) and sifts it up. (A branch-free first step was
 * slower on the M/M/1: the branch, even mispredicted half the time, lets
 * the CPU run ahead of the log() that the new event's time waits for.) */
static inline void sift_up(ksi_heap_entry *h, size_t i, ksi_heap_entry e)
{
    key128 ke = key_of(e);
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!(ke < key_of(h[parent])))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

/* Hole-based sift-down. The child choice is branch-free (the comparisons
 * of random keys would mispredict half the time); the near heap is small
 * enough to sit in cache, so those mispredictions were its main cost. */
static void sift_down(ksi_heap_entry *h, size_t len, size_t i)
{
    ksi_heap_entry e = h[i];
    key128 ke = key_of(e);
    for (;;) {
        size_t first = i * ARITY + 1, best, c, end;
        key128 kb;
        if (first >= len)
            break;
        best = first;
        kb = key_of(h[first]);
        if (first + ARITY <= len) {
            key128 k1 = key_of(h[first + 1]), k2 = key_of(h[first + 2]),
                   k3 = key_of(h[first + 3]);
            size_t b01 = k1 < kb ? first + 1 : first;
            key128 m01 = k1 < kb ? k1 : kb;
            size_t b23 = k3 < k2 ? first + 3 : first + 2;
            key128 m23 = k3 < k2 ? k3 : k2;
            best = m23 < m01 ? b23 : b01;
            kb = m23 < m01 ? m23 : m01;
        } else {
            end = len;
            for (c = first + 1; c < end; c++) {
                key128 kc = key_of(h[c]);
                if (kc < kb) {
                    kb = kc;
                    best = c;
                }
            }
        }
        if (!(kb < ke))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

void ksi_near_heapify(ksi_heap_entry *h, size_t len)
{
    size_t i;
    for (i = len / ARITY + 1; i-- > 0;)
        if (i < len)
            sift_down(h, len, i);
}

/* What the fast path may add to the near heap without a look at the slow
 * path: up to its capacity, and while it is one unbounded heap, up to the
 * size at which it spills. */
void ksi_near_set_room(ksi_queue *q)
{
    q->room = q->bound == UINT64_MAX && q->cap > NEAR_SPILL ? NEAR_SPILL : q->cap;
}

/* Grows the heap to hold need entries, keeping heap[1] on a cache-line
 * boundary (the block is over-allocated by one line; when a realloc moves
 * it, the entries are shifted into place). */
int ksi_near_reserve(ks_sim *sim, size_t need)
{
    ksi_queue *q = &sim->q;
    size_t ncap = q->cap ? q->cap : 1024, old_off, off;
    char *mem;
    if (need <= q->cap)
        return 0;
    while (ncap < need)
        ncap *= 2;
    old_off = q->heap_mem ? (size_t)((char *)q->heap - (char *)q->heap_mem) : 0;
    mem = ks_mem_realloc(&sim->alloc, q->heap_mem,
                         q->cap * sizeof *q->heap + LINE, ncap * sizeof *q->heap + LINE);
    if (!mem)
        return -1;
    off = (LINE - ((uintptr_t)(mem + sizeof *q->heap) % LINE)) % LINE;
    if (off != old_off)
        memmove(mem + off, mem + old_off, q->len * sizeof *q->heap);
    q->heap_mem = mem;
    q->heap = (ksi_heap_entry *)(mem + off);
    q->cap = ncap;
    ksi_near_set_room(q);
    return 0;
}

/* The run's next entry takes the place of the one popped from the top.
 * Slots are likely cache misses: one a few entries on is fetched now. */
static void run_advance(ksi_queue *q)
{
    ksi_heap_entry e = q->run.e[q->run_cur++];
    if (q->run_cur + RUN_AHEAD < q->run.len)
        __builtin_prefetch(&q->slots[q->run.e[q->run_cur + RUN_AHEAD].sk & SLOT_MASK]);
    q->run_sk = e.sk;
    q->heap[0] = e;
    if (q->len > 1)
        sift_down(q->heap, q->len, 0);
}

static inline void heap_pop(ksi_queue *q)
{
    size_t len;
    if (UNLIKELY(q->heap[0].sk == q->run_sk)) {
        if (q->run_cur < q->run.len) {
            run_advance(q);
            return;
        }
        q->run_sk = 0;
        q->run.len = q->run_cur = 0;
    }
    len = --q->len;
    if (len) {
        MOVE_ENTRY(q->heap[0], q->heap[len]);
        if (len > 1)
            sift_down(q->heap, len, 0);
    }
}

/* ---- slots ---------------------------------------------------------------- */
static inline int entry_live(const ksi_queue *q, ksi_heap_entry e)
{
    return q->slots[e.sk & SLOT_MASK].sk == e.sk;
}

static void slot_free(ksi_queue *q, uint32_t slot)
{
    q->slots[slot].sk = 0;
    q->slots[slot].arg = q->free_head;
    q->free_head = slot + 1;
}

static int slot_take(ks_sim *sim, uint32_t *out)
{
    ksi_queue *q = &sim->q;
    if (q->free_head) {
        *out = q->free_head - 1;
        q->free_head = (uint32_t)q->slots[*out].arg;
        return 0;
    }
    if (q->nslots >= KS_EVENT_MAX_PENDING)
        return -1;
    if (ks_mem_grow(&sim->alloc, (void **)&q->slots, &q->slots_cap,
                    q->nslots + 1, sizeof *q->slots) != 0)
        return -1;
    *out = (uint32_t)q->nslots++;
    return 0;
}

/* ---- posted events -------------------------------------------------------- */
/* A plain binary heap of entries that carry their handler: no slot to take,
 * fill, check or free. Events that are never cancelled are most of what a
 * simulation schedules (a request's next hop, the M/M/1's customers). */
static inline key128 post_key(const ksi_post_entry *e)
{
    return (key128)e->tp << 64 | e->sk;
}

/* Copies a post's entry word by word. An entry is written as five words
 * (post_put) and often read back a few dozen instructions later (the
 * M/M/1's next event): gcc's 16-byte copies of it would wait for the stores
 * to retire, as a 16-byte load cannot be forwarded from two 8-byte stores
 * in flight (see MOVE_ENTRY). The empty asm keeps each word in a register. */
static inline void post_move(ksi_post_entry *dst, const ksi_post_entry *src)
{
    uint64_t tp = src->tp, sk = src->sk, arg = src->arg;
    ks_event_fn fn = src->fn;
    void *subject = src->subject;
    __asm__("" : "+r"(tp), "+r"(sk), "+r"(fn), "+r"(subject), "+r"(arg));
    dst->tp = tp;
    dst->sk = sk;
    dst->fn = fn;
    dst->subject = subject;
    dst->arg = arg;
}

/* Hole-based sift-down of h[0]. The posts' heap is binary: with 40-byte
 * entries a node's four children would not share a cache line, which is
 * what the near heap's four are for. */
static void post_sift_down(ksi_post_entry *h, size_t len)
{
    ksi_post_entry e = h[0];
    key128 ke = post_key(&e);
    size_t i = 0, c;
    while ((c = 2 * i + 1) < len) {
        if (c + 1 < len && post_key(&h[c + 1]) < post_key(&h[c]))
            c++;
        if (!(post_key(&h[c]) < ke))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

/* Removes the earliest post (the heap is not empty). */
static inline void post_pop(ksi_queue *q)
{
    size_t len = --q->nposts;
    if (len) {
        post_move(&q->posts[0], &q->posts[len]);
        if (len > 1)
            post_sift_down(q->posts, len);
    }
}

/* ---- the two tiers (the far one is ks_event_far.c) ------------------------ */
static int queue_insert(ks_sim *sim, ksi_heap_entry e)
{
    ksi_queue *q = &sim->q;
    ksi_bucket *b;
    if (q->bound == UINT64_MAX && q->len >= NEAR_SPILL)
        ksi_far_spill(sim);       /* on failure it simply stays one heap */
    if (e.tp < q->bound) {
        if (ksi_near_reserve(sim, q->len + 1) != 0)
            return -1;
        sift_up(q->heap, q->len, e);
        q->len++;
        return 0;
    }
    b = ksi_far_home(q, e.tp);
    if (ks_mem_grow(&sim->alloc, (void **)&b->e, &b->cap, b->len + 1, sizeof *b->e) != 0)
        return -1;
    b->e[b->len++] = e;
    q->far_len++;
    return 0;
}

/* Drops the tombstones of one run of entries. */
static size_t sweep_run(const ksi_queue *q, ksi_heap_entry *e, size_t len)
{
    size_t i, n = 0;
    for (i = 0; i < len; i++)
        if (entry_live(q, e[i]))
            e[n++] = e[i];
    return n;
}

/* Drops tombstones from both tiers: O(n), amortised over the cancels that
 * made them. */
static void sweep(ksi_queue *q)
{
    size_t k;
    q->len = sweep_run(q, q->heap, q->len);
    if (q->run_cur < q->run.len)
        q->run.len = q->run_cur + sweep_run(q, q->run.e + q->run_cur, q->run.len - q->run_cur);
    if (q->run_sk && q->slots[q->run_sk & SLOT_MASK].sk != q->run_sk) {
        q->run_sk = 0;    /* the run's entry in the heap was a tombstone */
        if (q->run_cur < q->run.len) {
            q->heap[q->len++] = q->run.e[q->run_cur];
            q->run_sk = q->run.e[q->run_cur++].sk;
        }
    }
    ksi_near_heapify(q->heap, q->len);
    q->over.len = sweep_run(q, q->over.e, q->over.len);
    q->far_len = q->over.len;
    for (k = 0; q->buckets && k < KSI_BUCKETS; k++) {
        q->buckets[k].len = sweep_run(q, q->buckets[k].e, q->buckets[k].len);
        q->far_len += q->buckets[k].len;
    }
}

/* The live minimum, popping tombstones and refilling as needed; NULL when
 * no event is pending. */
static ksi_heap_entry *live_top(ks_sim *sim)
{
    ksi_queue *q = &sim->q;
    for (;;) {
        while (q->len) {
            if (entry_live(q, q->heap[0]))
                return &q->heap[0];
            heap_pop(q);
        }
        if (!q->far_len)
            return NULL;
        if (ksi_far_refill(sim) != 0) {
            ks_sim_fail(sim, KS_ENOMEM);
            return NULL;
        }
    }
}

/* ---- public API ----------------------------------------------------------- */
/* The whole check-take-insert, for any case: a failed sim, a bad call, no
 * free slot, a heap to grow, spill or refill. */
static ks_event_id schedule_slow(ks_sim *sim, ks_time at, int prio, ks_event_fn fn,
                                 void *subject, uint64_t arg)
{
    ksi_queue *q = &sim->q;
    ksi_event_slot *s;
    uint32_t slot;
    uint64_t sk;
    if (sim->status != KS_OK)
        return 0;
    /* the past, a bad priority or no handler are bugs in the caller */
    if (at < sim->now || at > KS_TIME_MAX || prio < 0 || prio > 255 || !fn
        || q->next_seq >= SEQ_LIMIT) {
        ks_sim_fail(sim, KS_EINTERNAL);
        return 0;
    }
    if (slot_take(sim, &slot) != 0) {
        ks_sim_fail(sim, KS_ENOMEM);
        return 0;
    }
    sk = q->next_seq << SLOT_BITS | slot;
    if (queue_insert(sim, (ksi_heap_entry){(uint64_t)at << 8 | (uint64_t)prio, sk}) != 0) {
        slot_free(q, slot);
        ks_sim_fail(sim, KS_ENOMEM);
        return 0;
    }
    q->next_seq++;
    s = &q->slots[slot];
    s->fn = fn;
    s->subject = subject;
    s->arg = arg;
    s->sk = sk;
    q->live++;
    return sk;
}

/* The common case in a few dozen instructions: a healthy sim, a good call,
 * a free slot, and room in the tier the event falls in. Anything else goes
 * the slow way, which does the same thing with every check. */
static inline __attribute__((always_inline)) ks_event_id
schedule(ks_sim *sim, ks_time at, int prio, ks_event_fn fn, void *subject, uint64_t arg,
         bool time_checked)
{
    ksi_queue *q = &sim->q;
    ksi_event_slot *s;
    ksi_bucket *far;
    uint64_t tp = (uint64_t)at << 8 | (uint64_t)(unsigned)prio, sk;
    uint32_t slot;
    size_t len;
    if (UNLIKELY(sim->status != KS_OK
                 || (!time_checked && (at < sim->now || at > KS_TIME_MAX))
                 || (unsigned)prio > 255 || !fn || q->next_seq >= SEQ_LIMIT
                 || !q->free_head))
        return schedule_slow(sim, at, prio, fn, subject, arg);
    len = q->len;
    far = NULL;
    if (UNLIKELY(tp >= q->bound || len >= q->room)) {
        if (tp < q->bound)
            return schedule_slow(sim, at, prio, fn, subject, arg);
        far = ksi_far_home(q, tp);
        if (far->len >= far->cap)
            return schedule_slow(sim, at, prio, fn, subject, arg);
    }
    slot = q->free_head - 1;
    s = &q->slots[slot];
    q->free_head = (uint32_t)s->arg;
    sk = q->next_seq++ << SLOT_BITS | slot;
    s->fn = fn;
    s->subject = subject;
    s->arg = arg;
    s->sk = sk;
    q->live++;
    if (LIKELY(!far)) {
        sift_up(q->heap, len, (ksi_heap_entry){tp, sk});
        q->len = len + 1;
    } else {
        far->e[far->len++] = (ksi_heap_entry){tp, sk};
        q->far_len++;
    }
    return sk;
}

ks_event_id ks_event_schedule(ks_sim *sim, ks_time at, int prio, ks_event_fn fn,
                              void *subject, uint64_t arg)
{
    return schedule(sim, at, prio, fn, subject, arg, false);
}

/* now + delay, with delay clamped to [0, KS_TIME_MAX - now]: one test of
 * both ends (a negative delay is a huge one unsigned). */
static inline ks_time after(const ks_sim *sim, ks_time delay)
{
    ks_time room = KS_TIME_MAX - sim->now;
    if (UNLIKELY((uint64_t)delay > (uint64_t)room))
        delay = delay < 0 ? 0 : room;
    return sim->now + delay;
}

ks_event_id ks_event_after(ks_sim *sim, ks_time delay, int prio, ks_event_fn fn,
                           void *subject, uint64_t arg)
{
    return schedule(sim, after(sim, delay), prio, fn, subject, arg, true);
}

/* Puts a post in the heap (room checked), sifting it up from a hole. */
static inline __attribute__((always_inline)) void post_put(ksi_queue *q, uint64_t tp,
                                                           ks_event_fn fn, void *subject,
                                                           uint64_t arg)
{
    ksi_post_entry *h = q->posts;
    uint64_t sk = q->next_seq++ << SLOT_BITS | KSI_POST_SLOT;
    key128 k = (key128)tp << 64 | sk;
    size_t i = q->nposts++;
    while (i > 0 && k < post_key(&h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i].tp = tp;
    h[i].sk = sk;
    h[i].fn = fn;
    h[i].subject = subject;
    h[i].arg = arg;
}

/* The whole check-grow-insert, for any case the fast path leaves: a failed
 * sim, a bad call, a full heap. */
static int post_slow(ks_sim *sim, ks_time at, int prio, ks_event_fn fn, void *subject,
                     uint64_t arg)
{
    ksi_queue *q = &sim->q;
    if (sim->status != KS_OK)
        return sim->status;
    /* the past, a bad priority or no handler are bugs in the caller */
    if (at < sim->now || at > KS_TIME_MAX || prio < 0 || prio > 255 || !fn
        || q->next_seq >= SEQ_LIMIT) {
        ks_sim_fail(sim, KS_EINTERNAL);
        return KS_EINTERNAL;
    }
    if (q->nposts >= q->posts_cap
        && (q->nposts >= KS_EVENT_MAX_PENDING
            || ks_mem_grow(&sim->alloc, (void **)&q->posts, &q->posts_cap, q->nposts + 1,
                           sizeof *q->posts) != 0)) {
        ks_sim_fail(sim, KS_ENOMEM);
        return KS_ENOMEM;
    }
    post_put(q, (uint64_t)at << 8 | (uint64_t)prio, fn, subject, arg);
    return KS_OK;
}

/* A post has no slot: the fast path is the checks, then the heap's sift.
 * Anything unusual goes the slow way, which does the same with every check. */
static inline __attribute__((always_inline)) int post(ks_sim *sim, ks_time at, int prio,
                                                      ks_event_fn fn, void *subject,
                                                      uint64_t arg, bool time_checked)
{
    ksi_queue *q = &sim->q;
    if (UNLIKELY(sim->status != KS_OK
                 || (!time_checked && (at < sim->now || at > KS_TIME_MAX))
                 || (unsigned)prio > 255 || !fn || q->next_seq >= SEQ_LIMIT
                 || q->nposts >= q->posts_cap))
        return post_slow(sim, at, prio, fn, subject, arg);
    post_put(q, (uint64_t)at << 8 | (uint64_t)(unsigned)prio, fn, subject, arg);
    return KS_OK;
}

int ks_event_post(ks_sim *sim, ks_time at, int prio, ks_event_fn fn, void *subject,
                  uint64_t arg)
{
    return post(sim, at, prio, fn, subject, arg, false);
}

int ks_event_post_after(ks_sim *sim, ks_time delay, int prio, ks_event_fn fn, void *subject,
                        uint64_t arg)
{
    return post(sim, after(sim, delay), prio, fn, subject, arg, true);
}

bool ks_event_pending(const ks_sim *sim, ks_event_id id)
{
    uint32_t slot = (uint32_t)(id & SLOT_MASK);
    return id && slot < sim->q.nslots && sim->q.slots[slot].sk == id;
}

bool ks_event_cancel(ks_sim *sim, ks_event_id id)
{
    ksi_queue *q = &sim->q;
    size_t total;
    if (!ks_event_pending(sim, id))
        return false;
    slot_free(q, (uint32_t)(id & SLOT_MASK));
    q->live--;
    total = q->len + (q->run.len - q->run_cur) + q->far_len;
    if (total > 1024 && total - q->live > q->live)
        sweep(q);
    return true;
}

/* The tp of a pending event's entry in one run, or 0. */
static uint64_t find_in(const ksi_heap_entry *e, size_t len, ks_event_id id)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (e[i].sk == id)
            return e[i].tp;
    return 0;
}

/* Finds the entry of a pending event in either tier (O(n); rare). */
static uint64_t find_tp(const ksi_queue *q, ks_event_id id)
{
    uint64_t tp = find_in(q->heap, q->len, id);
    size_t k;
    if (!tp && q->run_cur < q->run.len)
        tp = find_in(q->run.e + q->run_cur, q->run.len - q->run_cur, id);
    if (!tp)
        tp = find_in(q->over.e, q->over.len, id);
    for (k = 0; !tp && q->buckets && k < KSI_BUCKETS; k++)
        tp = find_in(q->buckets[k].e, q->buckets[k].len, id);
    return tp;
}

ks_event_id ks_event_reschedule(ks_sim *sim, ks_event_id id, ks_time at)
{
    ksi_event_slot s;
    uint64_t tp;
    if (!ks_event_pending(sim, id))
        return 0;
    s = sim->q.slots[id & SLOT_MASK];
    tp = find_tp(&sim->q, id);
    ks_event_cancel(sim, id);
    return ks_event_schedule(sim, at, (int)(tp & 0xff), s.fn, s.subject, s.arg);
}

ks_time ks_now(const ks_sim *sim)
{
    return sim->now;
}

uint32_t ks_event_count(const ks_sim *sim)
{
    return sim->q.live + (uint32_t)sim->q.nposts;
}

uint64_t ks_event_dispatched(const ks_sim *sim)
{
    return sim->q.dispatched;
}

/* Whether the earliest post runs before top, the near heap's live top
 * (NULL when no event with a slot is pending). */
static inline bool post_first(const ksi_queue *q, const ksi_heap_entry *top)
{
    return q->nposts && (!top || post_key(&q->posts[0]) < key_of(*top));
}

bool ks_next_time(ks_sim *sim, ks_time *t)
{
    ksi_heap_entry *top = live_top(sim);
    if (sim->status != KS_OK)
        return false;
    if (post_first(&sim->q, top))
        *t = (ks_time)(sim->q.posts[0].tp >> 8);
    else if (top)
        *t = (ks_time)(top->tp >> 8);
    else
        return false;
    return true;
}

/* The slots of the next events are likely cache misses when the heap is
 * large (the slot table is visited in time order, i.e. at random): start
 * loading the next top's slot and those of its children (one of which is
 * the top after it) now, so the loads overlap this handler and the next
 * dispatch. A short heap's slots are in cache already. Inlined always: gcc
 * finds a function that only prefetches "const" and drops calls to it. */
static inline __attribute__((always_inline)) void prefetch_next(const ksi_queue *q)
{
    const ksi_heap_entry *h = q->heap;
    if (q->len < PREFETCH_LEN)
        return;
    __builtin_prefetch(&q->slots[h[0].sk & SLOT_MASK]);
    __builtin_prefetch(&q->slots[h[1].sk & SLOT_MASK]);
    __builtin_prefetch(&q->slots[h[2].sk & SLOT_MASK]);
    __builtin_prefetch(&q->slots[h[3].sk & SLOT_MASK]);
    __builtin_prefetch(&q->slots[h[4].sk & SLOT_MASK]);
}

/* Dispatches the top event (known live). The slot is freed before the call,
 * so the handler may schedule (and reuse the slot) or cancel freely. */
static inline __attribute__((always_inline)) void dispatch_top(ks_sim *sim,
                                                                ksi_heap_entry top)
{
    ksi_queue *q = &sim->q;
    uint32_t slot = (uint32_t)(top.sk & SLOT_MASK);
    ksi_event_slot *s = &q->slots[slot];
    ks_event_fn fn = s->fn;
    void *subject = s->subject;
    uint64_t arg = s->arg;
    heap_pop(q);
    prefetch_next(q);
    s->sk = 0;
    s->arg = q->free_head;
    q->free_head = slot + 1;
    q->live--;
    q->dispatched++;
    sim->now = (ks_time)(top.tp >> 8);
    fn(sim, subject, arg);
}

/* Dispatches the earliest post. */
static inline __attribute__((always_inline)) void dispatch_post(ks_sim *sim)
{
    ksi_queue *q = &sim->q;
    ksi_post_entry e = q->posts[0];
    post_pop(q);
    q->dispatched++;
    sim->now = (ks_time)(e.tp >> 8);
    e.fn(sim, e.subject, e.arg);
}

bool ks_step(ks_sim *sim)
{
    ksi_heap_entry *top;
    sim->stop = 0;
    if (sim->status != KS_OK)
        return false;
    top = live_top(sim);
    if (sim->status != KS_OK)
        return false;
    if (post_first(&sim->q, top))
        dispatch_post(sim);
    else if (top)
        dispatch_top(sim, *top);
    else
        return false;
    return true;
}

/* A failure stops the sim (ks_sim_fail sets stop), so the loop watches stop
 * alone after each dispatch. */
uint64_t ks_run_until(ks_sim *sim, ks_time t)
{
    ksi_queue *q = &sim->q;
    uint64_t n = 0;
    uint64_t limit = t < 0 ? 0 : ((uint64_t)(t > KS_TIME_MAX ? KS_TIME_MAX : t) << 8) | 0xff;
    sim->stop = 0;
    if (sim->status != KS_OK)
        return 0;
    for (;;) {
        const ksi_heap_entry *top = NULL;
        if (LIKELY(q->len)) {
            top = &q->heap[0];
            if (UNLIKELY(!entry_live(q, *top))) {
                heap_pop(q);
                continue;
            }
        } else if (UNLIKELY(q->far_len)) {
            top = live_top(sim);
            if (sim->status != KS_OK)
                break;
        }
        if (post_first(q, top)) {
            if (q->posts[0].tp > limit)
                break;
            dispatch_post(sim);
        } else {
            if (!top || top->tp > limit)
                break;
            dispatch_top(sim, *top);
        }
        n++;
        if (UNLIKELY(sim->stop))
            break;
    }
    if (sim->status == KS_OK && !sim->stop && t > sim->now)
        sim->now = t > KS_TIME_MAX ? KS_TIME_MAX : t;
    return n;
}

void ksi_queue_fini(ks_sim *sim)
{
    ksi_queue *q = &sim->q;
    size_t k;
    if (q->heap_mem)
        ks_mem_free(&sim->alloc, q->heap_mem, q->cap * sizeof *q->heap + LINE);
    for (k = 0; q->buckets && k < KSI_BUCKETS; k++)
        ks_mem_free(&sim->alloc, q->buckets[k].e, q->buckets[k].cap * sizeof *q->buckets[k].e);
    ks_mem_free(&sim->alloc, q->buckets, q->buckets ? KSI_BUCKETS * sizeof *q->buckets : 0);
    ks_mem_free(&sim->alloc, q->over.e, q->over.cap * sizeof *q->over.e);
    ks_mem_free(&sim->alloc, q->run.e, q->run.cap * sizeof *q->run.e);
    ks_mem_free(&sim->alloc, q->spare.e, q->spare.cap * sizeof *q->spare.e);
    ks_mem_free(&sim->alloc, q->posts, q->posts_cap * sizeof *q->posts);
    ks_mem_free(&sim->alloc, q->slots, q->slots_cap * sizeof *q->slots);
}
