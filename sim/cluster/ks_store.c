/* ks_store.c -- the cluster's object table: ids, lookups, the revision of
 * every change (resourceVersions), sim-lifetime strings, Kubernetes Events.
 *
 * Every change to the table goes to the informers (ks_informer.c): adding,
 * updating and removing an object are the only ways controllers hear of it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

ksi_cluster *ksi_cluster_of(const ks_sim *sim)
{
    return sim->cluster;
}

/* ---- memory ------------------------------------------------------------------- */
void *ksi_zalloc(ks_sim *sim, size_t n)
{
    void *p = ks_arena_alloc(sim->cluster->arena, n);
    if (!p)
        ks_sim_fail(sim, KS_ENOMEM);
    return p;
}

const char *ksi_strdup(ks_sim *sim, const char *s)
{
    const char *p = ks_arena_strdup(sim->cluster->arena, s);
    if (!p)
        ks_sim_fail(sim, KS_ENOMEM);
    return p;
}

const char *ksi_printf(ks_sim *sim, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ksi_strdup(sim, buf);
}

int ksi_grow(ks_sim *sim, void **items, size_t *cap, size_t need, size_t elem)
{
    if (ks_mem_grow(&sim->alloc, items, cap, need, elem) != 0) {
        ks_sim_fail(sim, KS_ENOMEM);
        return -1;
    }
    return 0;
}

int ksi_owned_pods_track(ks_sim *sim, ks_id **pods, size_t *n, size_t *cap, const ksi_change *ch)
{
    size_t i;
    if (ch->type == KS_ADDED) {
        if (ksi_grow(sim, (void **)pods, cap, *n + 1, sizeof **pods))
            return -1;
        (*pods)[(*n)++] = ch->id;
    } else if (ch->type == KS_DELETED) {
        for (i = 0; i < *n && (*pods)[i] != ch->id; i++) {
        }
        if (i < *n)
            memmove(&(*pods)[i], &(*pods)[i + 1], (--*n - i) * sizeof **pods);
    }
    return 0;
}

void ksi_pod_list_free(ks_sim *sim, void *state, const ksi_pod_list_at *at)
{
    char *b = state;
    void **items = (void **)(b + at->items);
    size_t *n = (size_t *)(b + at->n), *cap = (size_t *)(b + at->cap);
    ks_mem_free(&sim->alloc, *items, *cap * at->elem);
    *items = NULL;
    *n = *cap = 0;
}

void ksi_pod_lists_free(ks_sim *sim, ks_kind kind, const ksi_pod_list_at *at)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, kind, id)) != 0) {
        void *state = ksi_store_status(sim, id, kind);
        if (state)
            ksi_pod_list_free(sim, state, at);
    }
}

/* ---- the table -------------------------------------------------------------- */
/* The object as handlers see it: its internal struct, or its manifest. */
static const void *object_of(const ksi_ref *r)
{
    return r->ptr ? r->ptr : (const void *)r->applied;
}

static void notify(ks_sim *sim, ks_change_type type, ks_id id, const ksi_ref *r, const void *old)
{
    ksi_change ch;
    ch.type = type;
    ch.kind = r->kind;
    ch.id = id;
    ch.obj = object_of(r);
    ch.old = old;
    ksi_informer_notify(sim, &ch);
}

ks_id ksi_store_add(ks_sim *sim, ks_kind kind, void *ptr, const ks_object *applied)
{
    ksi_cluster *c = sim->cluster;
    ksi_ref *r;
    ks_id id;
    if (c->nrefs == 0)
        c->nrefs = 1;                       /* id 0 means "none" */
    if (ksi_grow(sim, (void **)&c->refs, &c->refs_cap, c->nrefs + 1, sizeof *c->refs))
        return 0;
    id = (ks_id)c->nrefs++;
    r = &c->refs[id];
    r->kind = kind;
    r->created = ks_now(sim);
    r->applied = applied;
    r->ptr = ptr;
    r->version = ++c->revision;
    r->listed = kind;
    r->status = NULL;
    r->owner = 0;
    r->deleted_at = 0;
    r->terminating = false;
    r->next = 0;
    r->prev = c->last[kind];
    if (r->prev)
        c->refs[r->prev].next = id;
    else
        c->first[kind] = id;
    c->last[kind] = id;
    ksi_names_add(sim, id);
    return id;
}

void ksi_store_added(ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    if (r)
        notify(sim, KS_ADDED, id, r, NULL);
}

void ksi_store_update(ks_sim *sim, ks_id id, const void *old)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    if (!r)
        return;
    r->version = ++sim->cluster->revision;
    notify(sim, KS_UPDATED, id, r, old);
}

void ksi_store_touch(ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    if (r)
        r->version = ++sim->cluster->revision;
}

ksi_ref *ksi_store_ref(const ks_sim *sim, ks_id id)
{
    const ksi_cluster *c = sim->cluster;
    if (!c || id == 0 || id >= c->nrefs || c->refs[id].kind == KS_KIND_COUNT)
        return NULL;
    return &c->refs[id];
}

void ksi_store_remove(ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    ksi_cluster *c;
    ksi_ref gone;
    if (!r)
        return;
    gone = *r;
    sim->cluster->revision++;
    /* handlers may still look it up (for its name), as the last time */
    notify(sim, KS_DELETED, id, &gone, NULL);
    ksi_names_remove(sim, id);
    c = sim->cluster;
    r = &c->refs[id];                       /* handlers may have grown the table */
    if (r->prev)
        c->refs[r->prev].next = r->next;
    else
        c->first[r->listed] = r->next;
    if (r->next)
        c->refs[r->next].prev = r->prev;
    else
        c->last[r->listed] = r->prev;
    r->kind = KS_KIND_COUNT;                /* the id is never reused */
    r->ptr = NULL;
    r->applied = NULL;
    r->status = NULL;
    r->version = 0;
}

uint64_t ks_cluster_revision(const ks_sim *sim)
{
    return sim->cluster ? sim->cluster->revision : 0;
}

uint64_t ks_cluster_version(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r ? r->version : 0;
}

static void *ptr_of(const ks_sim *sim, ks_id id, ks_kind kind)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r && r->kind == kind ? r->ptr : NULL;
}

ksi_pod *ksi_pod_get(const ks_sim *sim, ks_id id) { return ptr_of(sim, id, KS_KIND_POD); }
ksi_rs *ksi_rs_get(const ks_sim *sim, ks_id id) { return ptr_of(sim, id, KS_KIND_REPLICASET); }
ksi_deploy *ksi_deploy_get(const ks_sim *sim, ks_id id)
{
    return ptr_of(sim, id, KS_KIND_DEPLOYMENT);
}
ks_node *ksi_node_get(const ks_sim *sim, ks_id id) { return ptr_of(sim, id, KS_KIND_NODE); }
ksi_service *ksi_service_get(const ks_sim *sim, ks_id id)
{
    return ptr_of(sim, id, KS_KIND_SERVICE);
}
ksi_pvc *ksi_pvc_get(const ks_sim *sim, ks_id id) { return ptr_of(sim, id, KS_KIND_PVC); }
ksi_pv *ksi_pv_get(const ks_sim *sim, ks_id id) { return ptr_of(sim, id, KS_KIND_PV); }

void *ksi_store_status(const ks_sim *sim, ks_id id, ks_kind kind)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r && r->kind == kind ? r->status : NULL;
}

void ksi_store_set_owner(ks_sim *sim, ks_id id, ks_id owner)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    if (!r)
        return;
    r->owner = owner;
    if (ks_cluster_kind(sim, owner) == KS_KIND_POD)
        sim->cluster->pod_owned++;
}

int64_t ks_cluster_clock(const ks_sim *sim)
{
    return sim && sim->cluster ? sim->cluster->clock : KS_CLUSTER_DEFAULT_CLOCK;
}

int ks_cluster_set_owner(ks_sim *sim, ks_id id, ks_id owner)
{
    if (!ksi_store_ref(sim, id) || !ksi_store_ref(sim, owner))
        return KS_EUNKNOWN;
    ksi_store_set_owner(sim, id, owner);
    return KS_OK;
}

ks_id ks_cluster_owner(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r ? r->owner : 0;
}

bool ks_cluster_terminating(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r && r->terminating;
}

const ks_node *ks_cluster_node(const ks_sim *sim, ks_id id) { return ksi_node_get(sim, id); }
const ks_pod *ks_cluster_pod(const ks_sim *sim, ks_id id)
{
    ksi_pod *p = ksi_pod_get(sim, id);
    return p ? &p->pub : NULL;
}
const ks_replicaset *ks_cluster_rs(const ks_sim *sim, ks_id id)
{
    ksi_rs *r = ksi_rs_get(sim, id);
    return r ? &r->pub : NULL;
}
const ks_deployment *ks_cluster_deployment(const ks_sim *sim, ks_id id)
{
    ksi_deploy *d = ksi_deploy_get(sim, id);
    return d ? &d->pub : NULL;
}

const ks_object *ks_cluster_object(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r ? r->applied : NULL;
}

ks_kind ks_cluster_kind(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r ? r->kind : KS_KIND_COUNT;
}

ks_time ks_cluster_created(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r ? r->created : 0;
}

/* The next object of a kind after id `after` (0: the first), in creation
 * order, by the kind's list. A walk standing on an object removed since
 * goes on from where it was; one that was last when it was removed looks
 * at the ids after it, where newer objects are. */
ks_id ks_cluster_next(const ks_sim *sim, ks_kind kind, ks_id after)
{
    const ksi_cluster *c = sim->cluster;
    ks_id id;
    if (!c || kind >= KS_KIND_COUNT)
        return 0;
    if (after == 0)
        return c->first[kind];
    if (after < c->nrefs && c->refs[after].kind == kind)
        return c->refs[after].next;     /* live objects link live ones */
    id = after;
    while (id < c->nrefs && c->refs[id].listed == kind) {
        const ksi_ref *r = &c->refs[id];
        if (id != after && r->kind == kind)
            return id;
        if (r->next == 0 && r->kind == KS_KIND_COUNT)
            break;                      /* removed while last: scan on */
        if (r->next == 0)
            return 0;
        id = r->next;
    }
    for (id = (id > after ? id : after) + 1; id < c->nrefs; id++)
        if (c->refs[id].kind == kind)
            return id;
    return 0;
}

/* Name and namespace of any object, for lookups. */
void ksi_store_name(const ks_sim *sim, ks_id id, const char **ns, const char **name)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    *ns = "default";
    *name = NULL;
    if (!r)
        return;
    switch (r->kind) {
    case KS_KIND_POD:
        *ns = ((ksi_pod *)r->ptr)->pub.ns;
        *name = ((ksi_pod *)r->ptr)->pub.name;
        break;
    case KS_KIND_REPLICASET:
        *ns = ((ksi_rs *)r->ptr)->pub.ns;
        *name = ((ksi_rs *)r->ptr)->pub.name;
        break;
    case KS_KIND_DEPLOYMENT:
        *ns = ((ksi_deploy *)r->ptr)->pub.ns;
        *name = ((ksi_deploy *)r->ptr)->pub.name;
        break;
    case KS_KIND_NODE:
        *name = ((ks_node *)r->ptr)->name;
        break;
    default:
        if (r->applied) {
            *ns = r->applied->meta.ns;
            *name = r->applied->meta.name;
        }
    }
}

/* ---- Kubernetes events --------------------------------------------------------- */
void ksi_event(ks_sim *sim, bool warning, const char *reason, ks_kind kind, const char *name,
               ks_id obj, const char *source, const char *fmt, ...)
{
    ksi_cluster *c = sim->cluster;
    ks_k8s_event *e = NULL;
    ks_trace_event tev;
    char msg[400];
    size_t i, n = c->nevents < KSI_EVENT_RING ? c->nevents : KSI_EVENT_RING;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* aggregate like the event recorder: same object, reason and message */
    for (i = 0; i < n && i < 64; i++) {
        size_t k = (c->events_head + KSI_EVENT_RING - 1 - i) % KSI_EVENT_RING;
        ks_k8s_event *x = &c->events[k];
        if (x->object == obj && strcmp(x->reason, reason) == 0 && strcmp(x->message, msg) == 0) {
            e = x;
            break;
        }
    }
    if (e) {
        e->count++;
        e->last = ks_now(sim);
    } else {
        e = &c->events[c->events_head];
        c->events_head = (c->events_head + 1) % KSI_EVENT_RING;
        c->nevents++;
        memset(e, 0, sizeof *e);
        e->first = e->last = ks_now(sim);
        e->count = 1;
        e->warning = warning;
        e->reason = reason;
        e->kind = kind;
        e->name = name;
        e->object = obj;
        e->source = source;
        snprintf(e->message, sizeof e->message, "%s", msg);
    }
    memset(&tev, 0, sizeof tev);
    tev.type = KS_TR_EVENT;
    tev.kind = ks_kind_name(kind);
    tev.name = name;
    tev.reason = reason;
    tev.msg = msg;
    tev.n[0] = warning;
    ks_trace_emit(sim, &tev);
}

size_t ks_cluster_event_count(const ks_sim *sim)
{
    const ksi_cluster *c = sim->cluster;
    return !c ? 0 : c->nevents < KSI_EVENT_RING ? c->nevents : KSI_EVENT_RING;
}

const ks_k8s_event *ks_cluster_event(const ks_sim *sim, size_t i)
{
    const ksi_cluster *c = sim->cluster;
    size_t n = ks_cluster_event_count(sim), start;
    if (i >= n)
        return NULL;
    start = c->nevents < KSI_EVENT_RING ? 0 : c->events_head;
    return &c->events[(start + i) % KSI_EVENT_RING];
}

void ksi_random_suffix(ks_sim *sim, char out[6])
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    ks_rng *r = ks_sim_rng(sim, KS_RNG_NAMES);
    int i;
    for (i = 0; i < 5; i++)
        out[i] = alphabet[ks_rng_below(r, sizeof alphabet - 1)];
    out[5] = '\0';
}

int ks_cluster_keep_arena(ks_sim *sim, ks_arena *ar)
{
    ksi_cluster *c = sim->cluster;
    if (ksi_grow(sim, (void **)&c->kept, &c->kept_cap, c->nkept + 1, sizeof *c->kept))
        return KS_ENOMEM;
    c->kept[c->nkept++] = ar;
    return KS_OK;
}
