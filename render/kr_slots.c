/* kr_slots.c -- kr_layout_state: which slot of which node box each pod
 * holds, kept across frames so cards do not jump about (rules in
 * kr_layout.h). Render-owned state keyed by pod id; it only reads the sim.
 *
 * Cost: a sync is O(pods) plus O(pods) per pod that went away (to find its
 * replacement); fine for thousands of pods at 60 syncs a second, since pods
 * rarely go away in bulk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kr_layout.h"
#include "core/ks_mem.h"
#include "core/ks_event.h"

typedef struct entry {
    ks_id pod, group, box;
    int slot;                  /* -1: needs one */
    ks_time created, deleted_at;
    uint32_t gen;
} entry;

typedef struct slots {
    ks_id box;                 /* node id, 0 = unscheduled */
    ks_id *occ;                /* slot -> pod, 0 = free */
    ks_id *tag;                /* slot -> owner group that freed it, 0 = none */
    int n, cap;
} slots;

typedef struct freed {
    ks_id box, group;
    int slot;
    ks_time created;           /* of the pod that went away */
} freed;

struct kr_layout_state {
    entry *ents;
    size_t nents, cap;
    int32_t *where;            /* pod id -> index in ents, -1 */
    size_t where_cap;
    slots *boxes;
    size_t nboxes, boxes_cap;
    freed *fr;
    size_t nfr, fr_cap;
    ks_id *fresh;              /* pods needing a slot this sync */
    size_t nfresh, fresh_cap;
    uint32_t gen;
};

kr_layout_state *kr_layout_state_create(void)
{
    return calloc(1, sizeof(kr_layout_state));
}

void kr_layout_state_reset(kr_layout_state *st)
{
    size_t i;
    if (!st)
        return;
    for (i = 0; i < st->nboxes; i++) {
        free(st->boxes[i].occ);
        free(st->boxes[i].tag);
    }
    st->nboxes = 0;
    st->nents = 0;
    if (st->where)
        memset(st->where, 0xff, st->where_cap * sizeof st->where[0]);
}

void kr_layout_state_destroy(kr_layout_state *st)
{
    if (!st)
        return;
    kr_layout_state_reset(st);
    free(st->boxes);
    free(st->ents);
    free(st->where);
    free(st->fr);
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
    if (!create || ks_mem_grow(NULL, (void **)&st->boxes, &st->boxes_cap, st->nboxes + 1, sizeof(slots)))
        return NULL;
    memset(&st->boxes[st->nboxes], 0, sizeof(slots));
    st->boxes[st->nboxes].box = box;
    return &st->boxes[st->nboxes++];
}

static int slots_grow(slots *b, int need)
{
    int nc = b->cap ? b->cap : 8;
    ks_id *o, *t;
    if (need <= b->cap)
        return 0;
    while (nc < need)
        nc *= 2;
    o = realloc(b->occ, (size_t)nc * sizeof(ks_id));
    if (!o)
        return -1;
    b->occ = o;
    t = realloc(b->tag, (size_t)nc * sizeof(ks_id));
    if (!t)
        return -1;
    b->tag = t;
    memset(b->occ + b->cap, 0, (size_t)(nc - b->cap) * sizeof(ks_id));
    memset(b->tag + b->cap, 0, (size_t)(nc - b->cap) * sizeof(ks_id));
    b->cap = nc;
    return 0;
}

/* The owner group of a pod: its Deployment, else its ReplicaSet, else 0. */
static ks_id group_of(const ks_sim *sim, const ks_pod *p)
{
    const ks_replicaset *rs = p->owner ? ks_cluster_rs(sim, p->owner) : NULL;
    if (!rs)
        return 0;
    return rs->owner ? rs->owner : rs->id;
}

static void release(kr_layout_state *st, entry *e, ks_id tag)
{
    slots *b = box_of(st, e->box, false);
    if (b && e->slot >= 0 && e->slot < b->n && b->occ[e->slot] == e->pod) {
        b->occ[e->slot] = 0;
        b->tag[e->slot] = tag;
    }
    e->slot = -1;
}

static void trim(slots *b)
{
    while (b->n > 0 && b->occ[b->n - 1] == 0)
        b->tag[--b->n] = 0;
}

/* The pod that moves into a freed slot: the one in the box's last slot, if
 * it is of the same group and younger than the pod that went away (its
 * replacement, or a surge pod of a rolling update; never an older sibling,
 * so scaling down moves nothing). Only the tail of the grid moves, so pods
 * that have settled stay where they are and the grid closes up. */
static entry *replacement(kr_layout_state *st, const freed *f)
{
    slots *b = box_of(st, f->box, false);
    entry *q;
    int t;
    if (!f->group || !b)
        return NULL;
    for (t = b->n - 1; t > f->slot && !b->occ[t]; t--)
        ;
    if (t <= f->slot)
        return NULL;
    q = find(st, b->occ[t]);
    if (!q || q->group != f->group || q->created <= f->created || q->deleted_at)
        return NULL;
    return q;
}

static int assign(kr_layout_state *st, entry *e)
{
    slots *b = box_of(st, e->box, true);
    int s, pick = -1, pass;
    if (!b)
        return -1;
    /* same group's freed slot, then an untagged one, then any free one */
    for (pass = 0; pass < 3 && pick < 0; pass++)
        for (s = 0; s < b->n && pick < 0; s++)
            if (!b->occ[s] && ((pass == 0 && e->group && b->tag[s] == e->group)
                               || (pass == 1 && !b->tag[s]) || pass == 2))
                pick = s;
    if (pick < 0) {
        if (slots_grow(b, b->n + 1))
            return -1;
        pick = b->n++;
    }
    b->occ[pick] = e->pod;
    b->tag[pick] = 0;
    e->slot = pick;
    return 0;
}

int kr_layout_state_sync(kr_layout_state *st, const ks_sim *sim)
{
    ks_time now = ks_now(sim);
    ks_id id = 0;
    size_t i;
    int rc = 0;
    st->gen++;
    st->nfr = st->nfresh = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        entry *e = find(st, id);
        if (!p)
            continue;
        if (!e) {
            if (ks_mem_grow(NULL, (void **)&st->ents, &st->cap, st->nents + 1, sizeof(entry)))
                return -1;
            if (id >= st->where_cap) {
                size_t old = st->where_cap;
                if (ks_mem_grow(NULL, (void **)&st->where, &st->where_cap, (size_t)id + 1, sizeof(int32_t)))
                    return -1;
                memset(st->where + old, 0xff, (st->where_cap - old) * sizeof(int32_t));
            }
            e = &st->ents[st->nents];
            memset(e, 0, sizeof *e);
            e->pod = id;
            e->slot = -1;
            e->box = p->node;
            e->group = group_of(sim, p);
            e->created = p->created;
            st->where[id] = (int32_t)st->nents++;
        } else if (e->box != p->node) {
            release(st, e, 0);                 /* scheduled: moves boxes */
            e->box = p->node;
        }
        e->gen = st->gen;
        if (p->terminating && !e->deleted_at)
            e->deleted_at = p->deleted_at ? p->deleted_at : now;
        if (e->slot < 0) {
            if (ks_mem_grow(NULL, (void **)&st->fresh, &st->fresh_cap, st->nfresh + 1, sizeof(ks_id)))
                return -1;
            st->fresh[st->nfresh++] = id;
        }
    }
    /* pods that are gone: free their slots, remembering their owner */
    for (i = 0; i < st->nents;) {
        entry *e = &st->ents[i];
        if (e->gen == st->gen) {
            i++;
            continue;
        }
        if (e->slot >= 0 && !ks_mem_grow(NULL, (void **)&st->fr, &st->fr_cap, st->nfr + 1, sizeof(freed))) {
            freed *f = &st->fr[st->nfr++];
            f->box = e->box;
            f->group = e->group;
            f->slot = e->slot;
            f->created = e->created;
        }
        release(st, e, e->group);
        st->where[e->pod] = -1;
        if (i != st->nents - 1) {
            *e = st->ents[st->nents - 1];
            st->where[e->pod] = (int32_t)i;
        }
        st->nents--;
    }
    /* replacements move into the slots of the pods they replaced */
    for (i = 0; i < st->nfr; i++) {
        entry *q = replacement(st, &st->fr[i]);
        slots *b = box_of(st, st->fr[i].box, false);
        if (!q || !b || b->occ[st->fr[i].slot])
            continue;
        release(st, q, 0);
        b->occ[st->fr[i].slot] = q->pod;
        b->tag[st->fr[i].slot] = 0;
        q->slot = st->fr[i].slot;
    }
    /* new pods, in creation order */
    for (i = 0; i < st->nfresh; i++) {
        entry *e = find(st, st->fresh[i]);
        if (e && e->slot < 0 && assign(st, e))
            rc = -1;
    }
    for (i = 0; i < st->nboxes; i++)
        trim(&st->boxes[i]);
    return rc;
}

bool kr_layout_state_slot(const kr_layout_state *st, ks_id pod, ks_id *box, int *slot)
{
    const entry *e = st ? find(st, pod) : NULL;
    if (!e || e->slot < 0)
        return false;
    *box = e->box;
    *slot = e->slot;
    return true;
}
