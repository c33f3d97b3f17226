/* kr_anim.h -- what moves: request dots along their hops, and crash bursts.
 *
 * Dots are fed from trace events, one per hop: (request, from, to, start,
 * end, ok, status). Real hops last milliseconds, far too fast to see, so a
 * hop is shown for at least a minimum visual time (set from the playback
 * speed: about half a second of wall time), and the hops of one request
 * play one after another. A failed hop's dot stays a moment at its end with
 * its status code; a failure drawn where it happened is a hop whose two
 * ends are the same (it waits there, then says why). At high rates, ok dots on one edge are thinned to keep
 * them apart (a request thinned on one hop is thinned on all). Positions
 * are not stored: endpoints are ids that the
 * drawing code resolves through the layout each frame, so dots follow
 * their cards. Memory is a fixed ring: when it is full the oldest dots go.
 *
 * Bursts (a container exiting non-zero) are timed on the animation clock
 * (wall seconds in the window; simulated time / speed when headless), so a
 * burst looks the same at every playback speed.
 * No SDL: tested with synthetic events (tests/test_anim.c).
 * Depends on: ks_time, ks_cluster (ids).
 */
#ifndef KR_ANIM_H
#define KR_ANIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cluster/ks_cluster.h"

typedef enum kr_ep_kind {
    KR_EP_NONE,
    KR_EP_CLIENT,       /* the traffic source box */
    KR_EP_INGRESS,      /* an Ingress (id), or the ingress controller (0) */
    KR_EP_SERVICE,      /* a Service pill */
    KR_EP_POD,          /* a pod card */
    KR_EP_VOLUME,       /* a claim's disk (pvc id) */
    KR_EP_POLICY        /* the NetworkPolicy wall in front of a pod card
                           (pod id): dropped connections stop there */
} kr_ep_kind;

typedef struct kr_endpoint {
    kr_ep_kind kind;
    ks_id id;
} kr_endpoint;

typedef struct kr_hop {
    uint64_t req;          /* request id: its hops play in order (0: alone) */
    kr_endpoint from, to;
    ks_time t_start, t_end;
    bool ok;
    bool timeout;          /* failed: no answer came before the caller gave up */
    int status;            /* HTTP status, shown on failed dots (0: none) */
} kr_hop;

typedef struct kr_dot_view {
    kr_endpoint from, to;
    float frac;            /* 0 at from, 1 at to */
    float alpha;           /* fades out after arrival */
    bool ok;
    bool timeout;
    int status;
} kr_dot_view;

typedef struct kr_anim kr_anim;

#ifndef KR_ANIM_DOTS
#define KR_ANIM_DOTS 8192  /* dots kept at once */
#endif

kr_anim *kr_anim_create(void);
void kr_anim_destroy(kr_anim *a);
/* Forgets every dot and burst (restart, jump back). */
void kr_anim_clear(kr_anim *a);
/* Hops shorter than this (simulated time) are stretched to it. */
void kr_anim_set_min_visual(kr_anim *a, ks_time d);
/* Adds a hop's dot. */
void kr_anim_add_hop(kr_anim *a, const kr_hop *h);
/* Visits the dots visible at simulated time now, oldest first; returns how
 * many. The view is valid during the call only. */
size_t kr_anim_dots(kr_anim *a, ks_time now, void (*fn)(void *ud, const kr_dot_view *d),
                    void *ud);
/* Dots stored (visible or waiting to start). */
size_t kr_anim_count(const kr_anim *a);
/* Hops not shown because dots on their edge would have merged into a bar
 * (at most one ok dot per min_visual / 6 per edge; failures always show). */
size_t kr_anim_thinned(const kr_anim *a);

/* A crash burst on a pod card, starting at animation-clock time t (s). */
void kr_anim_add_burst(kr_anim *a, ks_id pod, double t);
/* Visits the bursts running at clock time t: phase 0..1. */
size_t kr_anim_bursts(kr_anim *a, double t, void (*fn)(void *ud, ks_id pod, float phase),
                      void *ud);

#define KR_BURST_SECONDS 0.9

#endif
