/* ks_informer.c -- how controllers hear about change: the store's informers
 * and the controllers' work queues (client-go's tools/cache informers and
 * util/workqueue, run inside the deterministic event loop).
 *
 * The store calls ksi_informer_notify for every add, update and delete; the
 * handlers registered for that kind run at once, in registration order, and
 * only note work: a key in their controller's queue. The queue drains in
 * one event at the same simulated instant, at the controller's priority,
 * and its sync reconciles each key from the store as it is then. Order is
 * total -- handlers by registration, drains by (time, priority, insertion),
 * keys by the queue's fixed order -- so the same inputs give the same run.
 */
#include <stdlib.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

/* ---- informers ------------------------------------------------------------------ */
int ksi_informer_add(ks_sim *sim, unsigned kinds, ksi_handler_fn fn, void *ud)
{
    ksi_cluster *c = sim->cluster;
    if (c->nhandlers >= KSI_MAX_HANDLERS)
        return KS_ENOMEM;
    c->handlers[c->nhandlers].fn = fn;
    c->handlers[c->nhandlers].ud = ud;
    c->handlers[c->nhandlers].kinds = kinds;
    c->nhandlers++;
    return KS_OK;
}

void ksi_informer_notify(ks_sim *sim, const ksi_change *ch)
{
    ksi_cluster *c = sim->cluster;
    size_t i;
    for (i = 0; i < c->nhandlers; i++)
        if (c->handlers[i].kinds & KSI_KIND_BIT(ch->kind))
            c->handlers[i].fn(sim, ch, c->handlers[i].ud);
}

/* A public watcher rides on an informer for every kind. */
typedef struct watcher {
    ks_watch_fn fn;
    void *ud;
} watcher;

static void on_any_change(ks_sim *sim, const ksi_change *ch, void *ud)
{
    const watcher *w = ud;
    w->fn(sim, ch->type, ch->kind, ch->id, w->ud);
}

int ks_cluster_watch(ks_sim *sim, ks_watch_fn fn, void *ud)
{
    watcher *w = ksi_zalloc(sim, sizeof *w);
    if (!w)
        return KS_ENOMEM;
    w->fn = fn;
    w->ud = ud;
    return ksi_informer_add(sim, ~0u, on_any_change, w);
}

/* ---- work queues ------------------------------------------------------------------ */
#define WORKER_QUEUES 8
#define MAX_ROUNDS 100            /* controllers that keep waking each other */

typedef struct ksi_worker {
    int prio;
    ksi_workqueue *queues[WORKER_QUEUES];   /* in registration order */
    size_t nqueues;
    ks_event_id drain;
} ksi_worker;

int ksi_wq_init(ks_sim *sim, ksi_workqueue *q, int prio, ksi_wq_order order, ksi_sync_fn sync,
                void *ctl)
{
    ksi_cluster *c = sim->cluster;
    ksi_worker *w = NULL;
    size_t i;
    memset(q, 0, sizeof *q);
    q->sync = sync;
    q->ctl = ctl;
    q->order = order;
    for (i = 0; i < c->nworkers && !w; i++)
        if (c->workers[i]->prio == prio)
            w = c->workers[i];
    if (!w) {
        if (c->nworkers == KSI_MAX_WORKERS || !(w = ksi_zalloc(sim, sizeof *w)))
            return KS_ENOMEM;
        w->prio = prio;
        c->workers[c->nworkers++] = w;
    }
    if (w->nqueues == WORKER_QUEUES)
        return KS_ENOMEM;
    w->queues[w->nqueues++] = q;
    q->worker = w;
    return KS_OK;
}

static int by_id(const void *a, const void *b)
{
    ks_id x = *(const ks_id *)a, y = *(const ks_id *)b;
    return x < y ? -1 : x > y;
}

/* Syncs one queue until it is empty: newest first (a key added meanwhile
 * is next), or in passes by id. */
static void drain_queue(ks_sim *sim, ksi_workqueue *q)
{
    if (q->order == KSI_WQ_NEWEST_FIRST) {
        while (q->n && ks_sim_status(sim) == KS_OK)
            q->sync(sim, q->ctl, q->keys[--q->n]);
        return;
    }
    while (q->n && ks_sim_status(sim) == KS_OK) {
        size_t n = q->n, i;
        ks_id *keys = ks_mem_alloc(&sim->alloc, n * sizeof *keys);
        if (!keys) {
            ks_sim_fail(sim, KS_ENOMEM);
            return;
        }
        memcpy(keys, q->keys, n * sizeof *keys);
        q->n = 0;
        qsort(keys, n, sizeof *keys, by_id);
        for (i = 0; i < n; i++)
            q->sync(sim, q->ctl, keys[i]);
        ks_mem_free(&sim->alloc, keys, n * sizeof *keys);
    }
}

static bool worker_busy(const ksi_worker *w)
{
    size_t i;
    for (i = 0; i < w->nqueues; i++)
        if (w->queues[i]->n)
            return true;
    return false;
}

static void drain(ks_sim *sim, void *subject, uint64_t arg)
{
    ksi_worker *w = subject;
    int rounds = 0;
    size_t i;
    (void)arg;
    while (worker_busy(w) && rounds++ < MAX_ROUNDS && ks_sim_status(sim) == KS_OK)
        for (i = 0; i < w->nqueues; i++)
            drain_queue(sim, w->queues[i]);
}

void ksi_wq_add(ks_sim *sim, ksi_workqueue *q, ks_id key)
{
    ksi_worker *w = q->worker;
    size_t i;
    for (i = 0; i < q->n; i++)
        if (q->keys[i] == key)
            return;                          /* already waiting: one sync */
    if (ksi_grow(sim, (void **)&q->keys, &q->cap, q->n + 1, sizeof *q->keys))
        return;
    q->keys[q->n++] = key;
    if (!ks_event_pending(sim, w->drain))
        w->drain = ks_event_schedule(sim, ks_now(sim), w->prio, drain, w, 0);
}

static ksi_wq_later *later_of(ksi_workqueue *q, ks_id key)
{
    size_t i;
    for (i = 0; i < q->nlater; i++)
        if (q->later[i].key == key)
            return &q->later[i];
    return NULL;
}

static void later_drop(ksi_workqueue *q, ksi_wq_later *l)
{
    *l = q->later[--q->nlater];
}

static void added_later(ks_sim *sim, void *subject, uint64_t key)
{
    ksi_workqueue *q = subject;
    ksi_wq_later *l = later_of(q, (ks_id)key);
    if (l)
        later_drop(q, l);
    ksi_wq_add(sim, q, (ks_id)key);
}

void ksi_wq_add_after(ks_sim *sim, ksi_workqueue *q, ks_id key, ks_time t)
{
    ksi_wq_later *l = later_of(q, key);
    if (l && ks_event_pending(sim, l->ev) && l->at <= t)
        return;
    if (!l) {
        if (ksi_grow(sim, (void **)&q->later, &q->later_cap, q->nlater + 1, sizeof *q->later))
            return;
        l = &q->later[q->nlater++];
        l->key = key;
        l->ev = 0;
    }
    ks_event_cancel(sim, l->ev);
    l->ev = ks_event_schedule(sim, t, q->worker->prio, added_later, q, key);
    l->at = t;
}

void ksi_wq_forget(ks_sim *sim, ksi_workqueue *q, ks_id key)
{
    ksi_wq_later *l = later_of(q, key);
    if (!l)
        return;
    ks_event_cancel(sim, l->ev);
    later_drop(q, l);
}

bool ksi_workload_settled(ks_sim *sim, const ksi_change *ch, ksi_workqueue *q, void *state,
                          const ksi_pod_list_at *at)
{
    if (ch->type == KS_DELETED) {
        if (state) {
            ksi_wq_forget(sim, q, ch->id);
            ksi_pod_list_free(sim, state, at);
        }
        return true;
    }
    return ch->type == KS_UPDATED && !ch->old;
}

static void workload_ctl_stop(ks_sim *sim, void *ud)
{
    ksi_workload_ctl *ctl = ud;
    ksi_pod_lists_free(sim, ctl->kind, ctl->pods);
    ksi_wq_fini(sim, &ctl->queue);
}

ksi_workload_ctl *ksi_workload_ctl_start(ks_sim *sim, ks_kind kind, const ksi_pod_list_at *pods,
                                         int prio, ksi_wq_order order, ksi_sync_fn sync,
                                         ksi_handler_fn on_obj, ksi_handler_fn on_pod)
{
    ksi_workload_ctl *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl)
        return NULL;
    ctl->kind = kind;
    ctl->pods = pods;
    if (ksi_wq_init(sim, &ctl->queue, prio, order, sync, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(kind), on_obj, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_POD), on_pod, ctl)
        || ksi_sim_add_part(sim, workload_ctl_stop, ctl))
        return NULL;
    return ctl;
}

void ksi_wq_fini(ks_sim *sim, ksi_workqueue *q)
{
    ks_mem_free(&sim->alloc, q->keys, q->cap * sizeof *q->keys);
    ks_mem_free(&sim->alloc, q->later, q->later_cap * sizeof *q->later);
    q->keys = NULL;
    q->later = NULL;
    q->n = q->cap = q->nlater = q->later_cap = 0;
}
