/* kr_slots.c -- kr_layout_state: which slot of which node box each pod
 * holds, kept across frames (rules in kr_layout.h). Render-owned state
 * keyed by pod id; it only reads the sim.
 *
 * A pod keeps its slot for its whole life. A pod that is gone leaves a
 * ghost in its slot for ghost_keep of simulated time (the window fades it
 * out there), then the slot is free. A new pod takes the free slot nearest
 * to a going sibling of its owner group in the same box (the pod it
 * replaces), else the lowest free slot, else a new one. Slots are never
 * compacted: a box's slot count only grows (its high-water mark), so the
 * grid built for it never re-flows while pods come and go.
 *
 * Cost: a sync is O(pods + ghosts), plus O(slots) per new pod to find its
 * slot; fine for thousands of pods at 60 syncs a second.
 *
 * A StatefulSet's pods keep their ordinal's place: the first time ordinal
 * k of a set takes a slot in a box, that slot becomes its home there (kept
 * after the pod is gone, until the StatefulSet is deleted). A pod of that
 * ordinal takes its home again -- postgres-1 deleted and made again by the
 * StatefulSet controller comes back to postgres-1's place, its ghost
 * making way -- and no other pod takes a home while a free slot that is
 * no one's home exists. A new ordinal takes the lowest free slot after
 * those of its set's lower ordinals (and before its higher ones), so a
 * set's cards read in ordinal order, as `kubectl get pods` lists them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_layout.h"
#include "kr_status.h"
#include "cluster/ks_workloads.h"
#include "core/ks_event.h"
#include "core/ks_mem.h"

typedef struct entry {
    ks_id pod, group, box;
    int64_t ord;               /* its StatefulSet ordinal (group: the set), or -1 */
    int slot;                  /* -1: needs one */
    ks_time going;             /* terminating since (0: not) */
    ks_time gone_at;           /* a ghost since (0: the pod exists) */
    uint32_t gen;
    char name[96];             /* what a ghost's card says */
} entry;

typedef struct slots {
    ks_id box;                 /* node id, 0 = unscheduled */
    ks_id *occ;                /* slot -> pod (or its ghost), 0 = free */
    ks_id *hset;               /* slot -> the StatefulSet whose ordinal hord */
    int64_t *hord;             /* has it as its home, 0 = none */
    int n, cap;                /* n: the high-water mark */
    int reserve;               /* slots planned from an earlier run */
    bool planned;              /* a node of the earlier run (it may join later) */
} slots;

struct kr_layout_state {
    entry *ents;
    size_t nents, cap;
    int32_t *where;            /* pod id -> index in ents, -1 */
    size_t where_cap;
    slots *boxes;
    size_t nboxes, boxes_cap;
    ks_id *fresh;              /* pods needing a slot this sync */
    size_t nfresh, fresh_cap;
    uint32_t gen;
    kr_layout_seen seen, floor; /* maxima of this run, and reserved ones */
    kr_namer namer;            /* the workloads, to shorten names */
    bool names_dirty;          /* pods came since the names were measured */
};

static void free_slots(slots *b)
{
    free(b->occ);
    free(b->hset);
    free(b->hord);
}

kr_layout_state *kr_layout_state_create(void)
{
    return calloc(1, sizeof(kr_layout_state));
}

void kr_layout_state_reset(kr_layout_state *st)
{
    size_t i, k = 0;
    if (!st)
        return;
    /* keep the boxes that carry a reserve, emptied */
    for (i = 0; i < st->nboxes; i++) {
        slots *b = &st->boxes[i];
        if (b->reserve > 0 || b->planned) {
            if (b->occ)
                memset(b->occ, 0, (size_t)b->cap * sizeof(ks_id));
            if (b->hset)
                memset(b->hset, 0, (size_t)b->cap * sizeof(ks_id));
            b->n = 0;
            st->boxes[k++] = *b;
        } else {
            free_slots(b);
        }
    }
    st->nboxes = k;
    st->nents = 0;
    memset(&st->seen, 0, sizeof st->seen);
    if (st->where)
        memset(st->where, 0xff, st->where_cap * sizeof st->where[0]);
}

void kr_layout_state_destroy(kr_layout_state *st)
{
    size_t i;
    if (!st)
        return;
    for (i = 0; i < st->nboxes; i++)
        free_slots(&st->boxes[i]);
    free(st->boxes);
    free(st->ents);
    free(st->where);
    free(st->fresh);
    free(st);
}

static entry *find(const kr_layout_state *st, ks_id pod)
{
    if (pod >= st->where_cap || st->where[pod] < 0)
        return NULL;
    return &st->ents[st->where[pod]];
}

static slots *box_of(kr_layout_state *st, ks_id box, bool create)
{
    size_t i;
    for (i = 0; i < st->nboxes; i++)
        if (st->boxes[i].box == box)
            return &st->boxes[i];
    if (!create
        || ks_mem_grow(NULL, (void **)&st->boxes, &st->boxes_cap, st->nboxes + 1, sizeof(slots)))
        return NULL;
    memset(&st->boxes[st->nboxes], 0, sizeof(slots));
    st->boxes[st->nboxes].box = box;
    return &st->boxes[st->nboxes++];
}

static int slots_grow(slots *b, int need)
{
    int nc = b->cap ? b->cap : 8;
    ks_id *o, *h;
    int64_t *k;
    if (need <= b->cap)
        return 0;
    while (nc < need)
        nc *= 2;
    o = realloc(b->occ, (size_t)nc * sizeof(ks_id));
    if (o)
        b->occ = o;
    h = o ? realloc(b->hset, (size_t)nc * sizeof(ks_id)) : NULL;
    if (h)
        b->hset = h;
    k = h ? realloc(b->hord, (size_t)nc * sizeof(int64_t)) : NULL;
    if (!k)
        return -1;
    b->hord = k;
    memset(o + b->cap, 0, (size_t)(nc - b->cap) * sizeof(ks_id));
    memset(h + b->cap, 0, (size_t)(nc - b->cap) * sizeof(ks_id));
    memset(k + b->cap, 0, (size_t)(nc - b->cap) * sizeof(int64_t));
    b->cap = nc;
    return 0;
}

/* The owner group of a pod: its Deployment, else its ReplicaSet, else its
 * StatefulSet (*ord: the pod's ordinal there, else -1), else 0. */
static ks_id group_of(const ks_sim *sim, const ks_pod *p, int64_t *ord)
{
    const ks_replicaset *rs = p->owner ? ks_cluster_rs(sim, p->owner) : NULL;
    const ks_statefulset *ss;
    *ord = -1;
    if (rs)
        return rs->owner ? rs->owner : rs->id;
    ss = p->owner ? ks_cluster_statefulset(sim, p->owner) : NULL;
    if (!ss || (*ord = ks_statefulset_ordinal(ss, p)) < 0)
        return 0;
    return ss->id;
}

static void release(kr_layout_state *st, entry *e)
{
    slots *b = box_of(st, e->box, false);
    if (b && e->slot >= 0 && e->slot < b->n && b->occ[e->slot] == e->pod)
        b->occ[e->slot] = 0;
    e->slot = -1;
}

/* The slot a new pod aims for: that of the most recently going sibling of
 * its group in its box (the pod it replaces), or -1. */
static int aim(const kr_layout_state *st, const entry *e)
{
    ks_time best = -1;
    int slot = -1;
    size_t i;
    if (!e->group)
        return -1;
    for (i = 0; i < st->nents; i++) {
        const entry *s = &st->ents[i];
        ks_time since = s->gone_at ? s->gone_at : s->going;
        if (s != e && s->group == e->group && s->box == e->box && s->slot >= 0 && since > 0
            && since > best) {
            best = since;
            slot = s->slot;
        }
    }
    return slot;
}

/* The lowest free slot in (lo, hi) that is no one's home (homes too when
 * any_home), or -1. */
static int free_in(const slots *b, int lo, int hi, bool any_home)
{
    int s;
    for (s = lo + 1; s < b->n && s < hi; s++)
        if (!b->occ[s] && (any_home || !b->hset[s]))
            return s;
    return -1;
}

/* The slot a StatefulSet's pod takes (rules at the top), or -1: none free. */
static int ordinal_slot(kr_layout_state *st, const slots *b, const entry *e)
{
    int s, home = -1, lo = -1, hi = INT32_MAX, pick;
    for (s = 0; s < b->n; s++) {
        if (b->hset[s] != e->group)
            continue;
        if (b->hord[s] == e->ord)
            home = s;
        else if (b->hord[s] < e->ord)
            lo = s > lo ? s : lo;
        else if (s < hi)
            hi = s;
    }
    if (home >= 0) {
        entry *o = b->occ[home] ? find(st, b->occ[home]) : NULL;
        if (o && o->gone_at && o->group == e->group && o->ord == e->ord)
            release(st, o);              /* its ghost makes way */
        if (!b->occ[home])
            return home;
    }
    pick = free_in(b, lo, hi, false);
    if (pick < 0 && hi == INT32_MAX)
        return -1;                       /* a new slot, after all of them */
    if (pick < 0)
        pick = free_in(b, lo, INT32_MAX, false);
    return pick >= 0 ? pick : free_in(b, -1, INT32_MAX, true);
}

static int assign(kr_layout_state *st, entry *e)
{
    slots *b = box_of(st, e->box, true);
    int target, s, pick = -1;
    if (!b)
        return -1;
    if (e->ord >= 0) {
        pick = ordinal_slot(st, b, e);
    } else {
        target = aim(st, e);
        for (s = 0; s < b->n; s++) {
            if (b->occ[s] || b->hset[s])
                continue;
            if (target < 0) {            /* the lowest free slot */
                pick = s;
                break;
            }
            if (pick < 0 || abs(s - target) < abs(pick - target))
                pick = s;                /* the free slot nearest the replaced pod */
        }
        if (pick < 0)
            pick = free_in(b, -1, INT32_MAX, true);   /* a home, before a new slot */
    }
    if (pick < 0) {
        if (slots_grow(b, b->n + 1))
            return -1;
        pick = b->n++;
    }
    b->occ[pick] = e->pod;
    e->slot = pick;
    if (e->ord >= 0) {                   /* its home in this box, from now on */
        for (s = 0; s < b->n; s++)
            if (b->hset[s] == e->group && b->hord[s] == e->ord)
                b->hset[s] = 0;
    }
    b->hset[pick] = e->ord >= 0 ? e->group : 0;
    b->hord[pick] = e->ord >= 0 ? e->ord : 0;
    return 0;
}

/* Homes of StatefulSets that are gone are no one's. */
static void forget_homes(kr_layout_state *st, const ks_sim *sim)
{
    size_t i;
    int s;
    for (i = 0; i < st->nboxes; i++) {
        slots *b = &st->boxes[i];
        for (s = 0; s < b->n; s++)
            if (b->hset[s] && !b->occ[s] && !ks_cluster_statefulset(sim, b->hset[s]))
                b->hset[s] = 0;
    }
}

/* The shortest forms the window abbreviates the pods' names to
 * (kr_name_min, keeping the words that tell their workloads apart): the
 * widest one sizes the cards. */
static void note_names(kr_layout_state *st, const ks_sim *sim)
{
    ks_id id = 0;
    char buf[96];
    kr_namer_clear(&st->namer);
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0)
        if (kr_ns_drawn(ks_cluster_pod(sim, id)->ns))
            kr_namer_add(&st->namer, ks_cluster_pod(sim, id)->name);
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const char *name = ks_cluster_pod(sim, id)->name;
        if (!kr_ns_drawn(ks_cluster_pod(sim, id)->ns))
            continue;
        kr_name_min(name, kr_namer_words(&st->namer, name), buf, sizeof buf);
        if (kr_utf8_len(buf) > kr_utf8_len(st->seen.widest_name))
            memcpy(st->seen.widest_name, buf, sizeof buf);
    }
}

static void note_counts(kr_layout_state *st, const ks_sim *sim)
{
    static const ks_kind kinds[] = {KS_KIND_INGRESS, KS_KIND_SERVICE, KS_KIND_PVC, KS_KIND_PV,
                                    KS_KIND_HPA, KS_KIND_CRONJOB};
    size_t n[6] = {0, 0, 0, 0, 0, 0}, k;
    for (k = 0; k < 6; k++) {
        ks_id id = 0;
        while ((id = ks_cluster_next(sim, kinds[k], id)) != 0)
            n[k] += kinds[k] != KS_KIND_SERVICE || kr_service_drawn(ks_cluster_object(sim, id));
    }
    if (n[0] > st->seen.ingresses)
        st->seen.ingresses = n[0];
    if (n[1] > st->seen.services)
        st->seen.services = n[1];
    if (n[2] + n[3] > st->seen.volumes)
        st->seen.volumes = n[2] + n[3];
    if (n[4] > st->seen.hpas)
        st->seen.hpas = n[4];
    if (n[5] > st->seen.cronjobs)
        st->seen.cronjobs = n[5];
}

/* A new entry for pod p; NULL when out of memory. */
static entry *add(kr_layout_state *st, const ks_sim *sim, const ks_pod *p)
{
    entry *e;
    if (ks_mem_grow(NULL, (void **)&st->ents, &st->cap, st->nents + 1, sizeof(entry)))
        return NULL;
    if (p->id >= st->where_cap) {
        size_t old = st->where_cap;
        if (ks_mem_grow(NULL, (void **)&st->where, &st->where_cap, (size_t)p->id + 1,
                        sizeof(int32_t)))
            return NULL;
        memset(st->where + old, 0xff, (st->where_cap - old) * sizeof(int32_t));
    }
    e = &st->ents[st->nents];
    memset(e, 0, sizeof *e);
    e->pod = p->id;
    e->slot = -1;
    e->box = p->node;
    e->group = group_of(sim, p, &e->ord);
    snprintf(e->name, sizeof e->name, "%s", p->name);
    st->where[p->id] = (int32_t)st->nents++;
    st->names_dirty = true;
    return e;
}

/* Forgets an entry (the last one takes its place) and frees its slot. */
static void drop(kr_layout_state *st, entry *e)
{
    size_t i = (size_t)(e - st->ents);
    release(st, e);
    st->where[e->pod] = -1;
    if (i != st->nents - 1) {
        *e = st->ents[st->nents - 1];
        st->where[e->pod] = (int32_t)i;
    }
    st->nents--;
}

/* Pods that are gone become ghosts; ghosts older than keep free their slot. */
static void sweep(kr_layout_state *st, ks_time now, ks_time keep)
{
    size_t i;
    for (i = 0; i < st->nents;) {
        entry *e = &st->ents[i];
        if (e->gen == st->gen) {
            i++;
            continue;
        }
        if (!e->gone_at && e->slot >= 0 && keep > 0) {
            e->gone_at = now > 0 ? now : 1;
            i++;
            continue;
        }
        if (e->gone_at && now - e->gone_at < keep) {
            i++;
            continue;
        }
        drop(st, e);
    }
}

int kr_layout_state_sync(kr_layout_state *st, const ks_sim *sim, ks_time ghost_keep)
{
    ks_time now = ks_now(sim);
    ks_id id = 0;
    size_t i;
    int rc = 0;
    st->gen++;
    st->nfresh = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_NODE, id)) != 0)   /* a box per node, */
        if (!box_of(st, id, true))                               /* pods or not */
            return -1;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        entry *e = find(st, id);
        if (!p || !kr_ns_drawn(p->ns) || (!p->node && !e && !kr_pod_waits(sim, p)))
            continue;                        /* not drawn, or on its way to a node */
        if (e && e->gone_at) {               /* an id used again: a new pod */
            drop(st, e);
            e = NULL;
        }
        if (!e && !(e = add(st, sim, p)))
            return -1;
        if (e->box != p->node) {             /* scheduled: into its node's box */
            release(st, e);
            e->box = p->node;
        }
        e->gen = st->gen;
        if (p->terminating && !e->going)
            e->going = p->deleted_at ? p->deleted_at : (now > 0 ? now : 1);
        if (e->slot < 0) {
            if (ks_mem_grow(NULL, (void **)&st->fresh, &st->fresh_cap, st->nfresh + 1,
                            sizeof(ks_id)))
                return -1;
            st->fresh[st->nfresh++] = id;
        }
    }
    sweep(st, now, ghost_keep);
    forget_homes(st, sim);
    for (i = 0; i < st->nfresh; i++) {       /* new pods, in creation order */
        entry *e = find(st, st->fresh[i]);
        if (e && e->slot < 0 && assign(st, e))
            rc = -1;
    }
    note_counts(st, sim);
    if (st->names_dirty) {             /* only when pods came: O(pods x workloads) */
        note_names(st, sim);
        st->names_dirty = false;
    }
    return rc;
}

bool kr_layout_state_slot(const kr_layout_state *st, ks_id pod, ks_id *box, int *slot)
{
    const entry *e = st ? find(st, pod) : NULL;
    if (!e || e->slot < 0 || e->gone_at)
        return false;
    *box = e->box;
    *slot = e->slot;
    return true;
}

size_t kr_layout_state_ghosts(const kr_layout_state *st, kr_ghost *out, size_t max)
{
    size_t i, n = 0;
    for (i = 0; st && i < st->nents; i++) {
        const entry *e = &st->ents[i];
        if (!e->gone_at || e->slot < 0)
            continue;
        if (out && n < max) {
            out[n].pod = e->pod;
            out[n].box = e->box;
            out[n].slot = e->slot;
            out[n].gone_at = e->gone_at;
            out[n].name = e->name;
        }
        n++;
    }
    return n;
}

int kr_layout_state_box_slots(const kr_layout_state *st, ks_id box)
{
    size_t i;
    for (i = 0; st && i < st->nboxes; i++)
        if (st->boxes[i].box == box)
            return st->boxes[i].n > st->boxes[i].reserve ? st->boxes[i].n
                                                         : st->boxes[i].reserve;
    return 0;
}

kr_layout_seen kr_layout_state_seen(const kr_layout_state *st)
{
    kr_layout_seen s;
    memset(&s, 0, sizeof s);
    if (!st)
        return s;
    s = st->seen;
    if (st->floor.ingresses > s.ingresses)
        s.ingresses = st->floor.ingresses;
    if (st->floor.services > s.services)
        s.services = st->floor.services;
    if (st->floor.volumes > s.volumes)
        s.volumes = st->floor.volumes;
    if (st->floor.hpas > s.hpas)
        s.hpas = st->floor.hpas;
    if (st->floor.cronjobs > s.cronjobs)
        s.cronjobs = st->floor.cronjobs;
    if (kr_utf8_len(st->floor.widest_name) > kr_utf8_len(s.widest_name))
        memcpy(s.widest_name, st->floor.widest_name, sizeof s.widest_name);
    s.pending_box = kr_layout_state_box_slots(st, 0) > 0;
    return s;
}

int kr_layout_state_reserve(kr_layout_state *st, const kr_layout_state *run)
{
    size_t i;
    st->floor = kr_layout_state_seen(run);
    for (i = 0; i < run->nboxes; i++) {
        const slots *r = &run->boxes[i];
        slots *b = box_of(st, r->box, true);
        int n = r->n > r->reserve ? r->n : r->reserve;
        if (!b)
            return -1;
        if (n > b->reserve)
            b->reserve = n;
        b->planned = r->box != 0;
    }
    return 0;
}

size_t kr_layout_state_planned(const kr_layout_state *st, ks_id *out, size_t max)
{
    size_t i, n = 0;
    for (i = 0; st && i < st->nboxes; i++)
        if (st->boxes[i].planned) {
            if (out && n < max)
                out[n] = st->boxes[i].box;
            n++;
        }
    return n;
}
