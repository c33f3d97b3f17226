/* kr_anim.c -- request dots and crash bursts (see kr_anim.h). */
#include "kr_anim.h"

#include <stdlib.h>
#include <string.h>

#define CHAIN_SLOTS 4096        /* request id -> when its last hop ends (shown) */
#define EDGE_SLOTS 1024        /* (from, to) -> its last dot, for thinning */
#define MAX_BURSTS 64

typedef struct dot {
    kr_endpoint from, to;
    ks_time v0, v1;             /* shown from v0 to v1 (simulated time) */
    ks_time linger;             /* failed: stays at the end this long */
    int status;
    bool ok, timeout;
} dot;

typedef struct chain {
    uint64_t req;
    ks_time end;
    bool dropped;               /* thinned out: its later hops go too */
} chain;

typedef struct edge {
    uint64_t key;               /* from and to */
    ks_time last;               /* when its last dot was shown to start */
} edge;

typedef struct burst {
    ks_id pod;
    double t;
} burst;

struct kr_anim {
    dot *ring;
    size_t head, count;         /* oldest at head */
    ks_time min_visual;
    chain chains[CHAIN_SLOTS];
    edge edges[EDGE_SLOTS];
    size_t thinned;
    burst bursts[MAX_BURSTS];
    size_t nbursts;
};

kr_anim *kr_anim_create(void)
{
    kr_anim *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->ring = calloc(KR_ANIM_DOTS, sizeof(dot));
    if (!a->ring) {
        free(a);
        return NULL;
    }
    a->min_visual = 500 * KS_MSEC;
    return a;
}

void kr_anim_destroy(kr_anim *a)
{
    if (!a)
        return;
    free(a->ring);
    free(a);
}

void kr_anim_clear(kr_anim *a)
{
    a->head = a->count = 0;
    a->nbursts = 0;
    memset(a->chains, 0, sizeof a->chains);
    memset(a->edges, 0, sizeof a->edges);
    a->thinned = 0;
}

void kr_anim_set_min_visual(kr_anim *a, ks_time d)
{
    a->min_visual = d > 0 ? d : 1;
}

size_t kr_anim_count(const kr_anim *a)
{
    return a->count;
}

static uint64_t edge_key(const kr_hop *h)
{
    uint64_t k = (uint64_t)h->from.kind << 56 ^ (uint64_t)h->from.id << 32
                 ^ (uint64_t)h->to.kind << 24 ^ (uint64_t)h->to.id;
    return k ? k : 1;
}

size_t kr_anim_thinned(const kr_anim *a)
{
    return a->thinned;
}

void kr_anim_add_hop(kr_anim *a, const kr_hop *h)
{
    ks_time start = h->t_start, dur = h->t_end - h->t_start;
    chain *c = NULL;
    edge *e;
    uint64_t key = edge_key(h);
    dot *d;
    if (dur < a->min_visual)
        dur = a->min_visual;
    if (h->req) {
        /* the next hop of a request starts where the previous one is shown to end */
        c = &a->chains[(h->req * 0x9E3779B97F4A7C15ull) >> 52];
        if (c->req == h->req && c->dropped && h->ok) {
            a->thinned++;
            return;
        }
        if (c->req == h->req && c->end > start)
            start = c->end;
    }
    /* thinning: at high rates dots on one edge would merge into a bar, so
     * they keep a spacing; failures are always shown */
    e = &a->edges[(key * 0x9E3779B97F4A7C15ull) >> 54];
    if (h->ok && e->key == key && start >= e->last && start - e->last < a->min_visual / 6) {
        if (c) {
            c->req = h->req;
            c->dropped = true;
            c->end = start;
        }
        a->thinned++;
        return;
    }
    e->key = key;
    e->last = start;
    if (a->count == KR_ANIM_DOTS) {           /* full: the oldest goes */
        a->head = (a->head + 1) % KR_ANIM_DOTS;
        a->count--;
    }
    d = &a->ring[(a->head + a->count) % KR_ANIM_DOTS];
    a->count++;
    d->from = h->from;
    d->to = h->to;
    d->v0 = start;
    d->v1 = start + dur;
    d->ok = h->ok;
    d->timeout = h->timeout;
    d->status = h->status;
    d->linger = h->ok ? a->min_visual / 5 : a->min_visual;
    if (c) {
        c->req = h->req;
        c->end = d->v1;
        c->dropped = false;
    }
}

size_t kr_anim_dots(kr_anim *a, ks_time now, void (*fn)(void *ud, const kr_dot_view *d),
                    void *ud)
{
    size_t i, shown = 0, drop = 0;
    bool prefix = true;
    for (i = 0; i < a->count; i++) {
        dot *d = &a->ring[(a->head + i) % KR_ANIM_DOTS];
        kr_dot_view v;
        if (now >= d->v1 + d->linger) {       /* done: pruned if at the front */
            if (prefix)
                drop++;
            continue;
        }
        prefix = false;
        if (now < d->v0)
            continue;
        v.from = d->from;
        v.to = d->to;
        v.ok = d->ok;
        v.timeout = d->timeout;
        v.status = d->status;
        if (now <= d->v1) {
            v.frac = (float)(now - d->v0) / (float)(d->v1 - d->v0);
            v.alpha = 1.0f;
        } else {
            v.frac = 1.0f;
            v.alpha = 1.0f - (float)(now - d->v1) / (float)(d->linger ? d->linger : 1);
        }
        if (fn)
            fn(ud, &v);
        shown++;
    }
    a->head = (a->head + drop) % KR_ANIM_DOTS;
    a->count -= drop;
    return shown;
}

void kr_anim_add_burst(kr_anim *a, ks_id pod, double t)
{
    size_t i;
    for (i = 0; i < a->nbursts; i++)
        if (a->bursts[i].pod == pod) {        /* restart it */
            a->bursts[i].t = t;
            return;
        }
    if (a->nbursts == MAX_BURSTS) {
        memmove(a->bursts, a->bursts + 1, (MAX_BURSTS - 1) * sizeof(burst));
        a->nbursts--;
    }
    a->bursts[a->nbursts].pod = pod;
    a->bursts[a->nbursts].t = t;
    a->nbursts++;
}

size_t kr_anim_bursts(kr_anim *a, double t, void (*fn)(void *ud, ks_id pod, float phase),
                      void *ud)
{
    size_t i, k = 0, shown = 0;
    for (i = 0; i < a->nbursts; i++) {
        double ph = (t - a->bursts[i].t) / KR_BURST_SECONDS;
        if (ph >= 1.0)
            continue;                           /* over: dropped */
        a->bursts[k++] = a->bursts[i];
        if (ph < 0)
            continue;
        if (fn)
            fn(ud, a->bursts[i].pod, (float)ph);
        shown++;
    }
    a->nbursts = k;
    return shown;
}
