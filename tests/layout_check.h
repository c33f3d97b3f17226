/* layout_check.h -- the invariants of one layout of the window
 * (render/kr_layout.h), for the layout tests: every region, box and card
 * inside the window and apart from the others, cards (of pods and of ghosts)
 * never overlapping, mount lines never crossing a card that is not their
 * own, labels over no card, HPA cards in their boxes' strips over nothing.
 * Each check returns 0, or 1 after printing what
 * is wrong (the caller counts). Needs cmocka's print_message. */
#ifndef KS_LAYOUT_CHECK_H
#define KS_LAYOUT_CHECK_H

#include <stdio.h>

#include "kr_layout.h"

static inline int lc_inside(const char *ctx, kr_rect outer, kr_rect r, const char *what, int i)
{
    if (r.w == 0 || r.h == 0 || kr_rect_contains(outer, r))
        return 0;
    print_message("%s: %s %d (%d,%d %dx%d) outside (%d,%d %dx%d)\n", ctx, what, i, r.x, r.y, r.w,
                  r.h, outer.x, outer.y, outer.w, outer.h);
    return 1;
}

static inline int lc_apart(const char *ctx, kr_rect a, kr_rect b, const char *what, int i, int j)
{
    if (!kr_rect_overlaps(a, b))
        return 0;
    print_message("%s: %s %d (%d,%d %dx%d) overlaps %d (%d,%d %dx%d)\n", ctx, what, i, a.x, a.y,
                  a.w, a.h, j, b.x, b.y, b.w, b.h);
    return 1;
}

/* The cards of a layout: pods first, then ghosts. */
static inline kr_rect lc_card(const kr_layout *l, size_t i)
{
    return i < l->npod ? l->pod[i].r : l->ghost[i - l->npod].r;
}

static inline ks_id lc_card_pod(const kr_layout *l, size_t i)
{
    return i < l->npod ? l->pod[i].pod : l->ghost[i - l->npod].g.pod;
}

static inline int lc_card_box(const kr_layout *l, size_t i)
{
    return i < l->npod ? l->pod[i].box : l->ghost[i - l->npod].box;
}

/* No two cards intersect; every card inside its box's grid. */
static inline int lc_cards(const char *ctx, const kr_layout *l)
{
    size_t i, j, n = l->npod + l->nghost;
    int bad = 0;
    for (i = 0; i < n && bad < 5; i++) {
        kr_rect a = lc_card(l, i);
        if (a.w == 0)
            continue;
        bad += lc_inside(ctx, l->box[lc_card_box(l, i)].inner, a, "card", (int)i);
        for (j = i + 1; j < n; j++)
            bad += lc_apart(ctx, a, lc_card(l, j), "card", (int)i, (int)j);
    }
    return bad;
}

/* No mount line crosses a card but its own pod's, nor a box's header; its
 * label covers no card, no other label and no other mount's line, and
 * stays over the storage band's width. */
static inline int lc_mounts(const char *ctx, const kr_layout *l)
{
    size_t i, c, n = l->npod + l->nghost;
    int k, bad = 0;
    for (i = 0; i < l->nmount && bad < 5; i++) {
        const kr_mount *mt = &l->mount[i];
        if (mt->n < 2) {
            print_message("%s: mount %zu has %d points\n", ctx, i, mt->n);
            bad++;
            continue;
        }
        for (c = 0; c < n; c++) {
            kr_rect r = lc_card(l, c);
            if (lc_card_pod(l, c) == mt->pod || r.w == 0)
                continue;
            for (k = 0; k + 1 < mt->n; k++)
                if (kr_segment_crosses(r, mt->x[k], mt->y[k], mt->x[k + 1], mt->y[k + 1])) {
                    print_message("%s: mount %zu segment %d (%.0f,%.0f)-(%.0f,%.0f) crosses card "
                                  "%zu (%d,%d %dx%d)\n",
                                  ctx, i, k, mt->x[k], mt->y[k], mt->x[k + 1], mt->y[k + 1], c,
                                  r.x, r.y, r.w, r.h);
                    bad++;
                    break;
                }
            if (mt->label.w)
                bad += lc_apart(ctx, mt->label, r, "mount label/card", (int)i, (int)c);
        }
        for (c = 0; c < l->nmount && mt->label.w; c++) {
            const kr_mount *o = &l->mount[c];
            if (c == i)
                continue;
            if (c > i && o->label.w)
                bad += lc_apart(ctx, mt->label, o->label, "mount label/label", (int)i, (int)c);
            for (k = 0; k + 1 < o->n; k++)
                if (kr_segment_crosses(mt->label, o->x[k], o->y[k], o->x[k + 1], o->y[k + 1])) {
                    print_message("%s: mount label %zu (%s) covers mount %zu's line\n", ctx, i,
                                  mt->text, c);
                    bad++;
                    break;
                }
        }
        if (mt->label.w && (mt->label.x < l->storage.x
                            || mt->label.x + mt->label.w > l->storage.x + l->storage.w)) {
            print_message("%s: mount label %zu (%s) out of the band's width\n", ctx, i, mt->text);
            bad++;
        }
        for (c = 0; c < l->nbox; c++)
            for (k = 0; k + 1 < mt->n; k++)
                if (kr_segment_crosses(l->box[c].header, mt->x[k], mt->y[k], mt->x[k + 1],
                                       mt->y[k + 1])) {
                    print_message("%s: mount %zu crosses the header of box %zu\n", ctx, i, c);
                    bad++;
                    break;
                }
    }
    return bad;
}

/* Regions of the frame inside the window and apart; panel parts inside
 * the panel and apart; rows above the nodes apart from them. */
static inline int lc_frame(const char *ctx, const kr_layout *l)
{
    kr_rect win = {0, 0, l->w, l->h};
    kr_rect top[5];
    kr_rect part[5];
    size_t i, j;
    int k, bad = 0;
    top[0] = l->topbar;
    top[1] = l->main;
    top[2] = l->panel;
    top[3] = l->caption;
    top[4] = l->timeline;
    for (k = 0; k < 5; k++) {
        bad += lc_inside(ctx, win, top[k], "region", k);
        for (j = (size_t)k + 1; j < 5; j++)
            bad += lc_apart(ctx, top[k], top[j], "region", k, (int)j);
    }
    part[0] = l->goals;
    part[1] = l->term;
    part[2] = l->events;
    part[3] = l->requests;
    part[4] = l->table;
    for (k = 0; k < 4; k++) {
        bad += lc_inside(ctx, l->panel, part[k], "panel part", k);
        for (j = (size_t)k + 1; j < 4; j++)
            bad += lc_apart(ctx, part[k], part[j], "panel part", k, (int)j);
    }
    bad += lc_inside(ctx, l->term, l->table, "table", 0);
    bad += lc_inside(ctx, l->term, l->output, "output", 0);
    bad += lc_apart(ctx, l->table, l->output, "table/output", 0, 0);
    bad += lc_inside(ctx, l->main, l->nodes, "nodes", 0);
    bad += lc_inside(ctx, l->main, l->storage, "storage", 0);
    bad += lc_apart(ctx, l->nodes, l->storage, "nodes/storage", 0, 0);
    for (i = 0; i < l->ning; i++) {
        bad += lc_inside(ctx, l->main, l->ing[i].r, "ingress", (int)i);
        bad += lc_apart(ctx, l->ing[i].r, l->nodes, "ingress/nodes", (int)i, 0);
        bad += lc_apart(ctx, l->ing[i].r, l->traffic, "ingress/traffic", (int)i, 0);
    }
    for (i = 0; i < l->ncron; i++) {                /* CronJob cards: in the Ingress row */
        kr_rect c = l->cron[i].r;
        bad += lc_inside(ctx, l->main, c, "cron card", (int)i);
        bad += lc_apart(ctx, c, l->nodes, "cron card/nodes", (int)i, 0);
        bad += lc_apart(ctx, c, l->traffic, "cron card/traffic", (int)i, 0);
        for (j = 0; j < l->ning; j++)
            bad += lc_apart(ctx, c, l->ing[j].r, "cron card/ingress", (int)i, (int)j);
        for (j = 0; j < l->nsvc; j++)
            bad += lc_apart(ctx, c, l->svc[j].r, "cron card/service", (int)i, (int)j);
        for (j = i + 1; j < l->ncron; j++)
            bad += lc_apart(ctx, c, l->cron[j].r, "cron card", (int)i, (int)j);
    }
    for (i = 0; i < l->nsvc; i++) {
        bad += lc_inside(ctx, l->main, l->svc[i].r, "service", (int)i);
        bad += lc_apart(ctx, l->svc[i].r, l->nodes, "service/nodes", (int)i, 0);
        for (j = 0; j < l->ning; j++)
            bad += lc_apart(ctx, l->svc[i].r, l->ing[j].r, "service/ingress", (int)i, (int)j);
        for (j = i + 1; j < l->nsvc; j++)
            bad += lc_apart(ctx, l->svc[i].r, l->svc[j].r, "service", (int)i, (int)j);
    }
    for (i = 0; i < l->ndisk; i++) {
        bad += lc_inside(ctx, l->storage, l->disk[i].r, "disk", (int)i);
        for (j = i + 1; j < l->ndisk; j++)
            bad += lc_apart(ctx, l->disk[i].r, l->disk[j].r, "disk", (int)i, (int)j);
    }
    for (i = 0; i < l->nbox; i++) {
        bad += lc_inside(ctx, l->nodes, l->box[i].r, "box", (int)i);
        bad += lc_inside(ctx, l->box[i].r, l->box[i].inner, "box inner", (int)i);
        for (j = i + 1; j < l->nbox; j++)
            bad += lc_apart(ctx, l->box[i].r, l->box[j].r, "box", (int)i, (int)j);
    }
    return bad;
}

/* The marks at every card's NetworkPolicy wall (when its box has a band):
 * the strip inside its box's grid, over no card, no box header and no
 * other strip, clear of every mount label; the ring and both labels ("504
 * timeout", "dropped", as the window measures them here by estimate)
 * inside the strip and apart. */
static inline int lc_walls(const char *ctx, const kr_layout *l)
{
    size_t i, j, n = l->npod + l->nghost;
    int bad = 0;
    for (i = 0; i < l->npod && bad < 5; i++) {
        kr_wall_marks m, o;
        kr_rect ring;
        if (!kr_layout_wall_marks(l, &l->pod[i], NULL, NULL, "504 timeout", &m))
            continue;
        ring = (kr_rect){m.cx - m.ring, m.cy - m.ring, 2 * m.ring, 2 * m.ring};
        bad += lc_inside(ctx, l->box[l->pod[i].box].inner, m.strip, "wall strip", (int)i);
        bad += lc_inside(ctx, m.strip, ring, "wall ring", (int)i);
        bad += lc_inside(ctx, m.strip, m.left, "wall left label", (int)i);
        bad += lc_inside(ctx, m.strip, m.right, "wall right label", (int)i);
        bad += lc_apart(ctx, m.left, ring, "wall left label/ring", (int)i, (int)i);
        bad += lc_apart(ctx, m.right, ring, "wall right label/ring", (int)i, (int)i);
        for (j = 0; j < n; j++)
            bad += lc_apart(ctx, m.strip, lc_card(l, j), "wall strip/card", (int)i, (int)j);
        for (j = 0; j < l->nbox; j++)
            bad += lc_apart(ctx, m.strip, l->box[j].header, "wall strip/box header", (int)i,
                            (int)j);
        for (j = 0; j < l->nmount; j++)
            bad += lc_apart(ctx, m.strip, l->mount[j].label, "wall strip/mount label", (int)i,
                            (int)j);
        for (j = i + 1; j < l->npod; j++)
            if (kr_layout_wall_marks(l, &l->pod[j], NULL, NULL, NULL, &o))
                bad += lc_apart(ctx, m.strip, o.strip, "wall strip", (int)i, (int)j);
    }
    return bad;
}

/* The HPA cards (kr_layout.h): each inside the strip of a box, between
 * its header and its grid (or, when no box is wide enough for one, in the
 * Ingress row: above the nodes, apart from the traffic box, the Ingresses,
 * the Service pills and the CronJob cards); apart from every card (of pods
 * and ghosts), box header, wall strip, mount line and label, and from each
 * other; a strip inside its box, under its header, above its grid. */
static inline int lc_hpas(const char *ctx, const kr_layout *l)
{
    size_t i, j, n = l->npod + l->nghost;
    int bad = 0, k;
    for (i = 0; i < l->nbox; i++) {
        const kr_box *b = &l->box[i];
        if (!b->hpa.h)
            continue;
        bad += lc_inside(ctx, b->r, b->hpa, "hpa strip", (int)i);
        bad += lc_apart(ctx, b->hpa, b->header, "hpa strip/header", (int)i, (int)i);
        bad += lc_apart(ctx, b->hpa, b->inner, "hpa strip/grid", (int)i, (int)i);
    }
    for (i = 0; i < l->nhpa && bad < 5; i++) {
        kr_rect r = l->hpa[i].r;
        kr_wall_marks m;
        int in = 0;
        for (j = 0; j < l->nbox; j++)
            in += l->box[j].hpa.h && kr_rect_contains(l->box[j].hpa, r);
        if (l->hpa_in_row) {
            bad += lc_inside(ctx, l->main, r, "hpa in row", (int)i);
            bad += lc_apart(ctx, r, l->nodes, "hpa/nodes", (int)i, 0);
            bad += lc_apart(ctx, r, l->traffic, "hpa/traffic", (int)i, 0);
            for (j = 0; j < l->ning; j++)
                bad += lc_apart(ctx, r, l->ing[j].r, "hpa/ingress", (int)i, (int)j);
            for (j = 0; j < l->nsvc; j++)
                bad += lc_apart(ctx, r, l->svc[j].r, "hpa/service", (int)i, (int)j);
            for (j = 0; j < l->ncron; j++)
                bad += lc_apart(ctx, r, l->cron[j].r, "hpa/cron card", (int)i, (int)j);
        } else if (!in) {
            print_message("%s: hpa %zu (%d,%d %dx%d) in no box's strip\n", ctx, i, r.x, r.y, r.w,
                          r.h);
            bad++;
        }
        for (j = 0; j < n; j++)
            bad += lc_apart(ctx, r, lc_card(l, j), "hpa/card", (int)i, (int)j);
        for (j = 0; j < l->nbox; j++)
            bad += lc_apart(ctx, r, l->box[j].header, "hpa/box header", (int)i, (int)j);
        for (j = 0; j < l->npod; j++)
            if (kr_layout_wall_marks(l, &l->pod[j], NULL, NULL, "504 timeout", &m))
                bad += lc_apart(ctx, r, m.strip, "hpa/wall strip", (int)i, (int)j);
        for (j = 0; j < l->nmount; j++) {
            const kr_mount *mt = &l->mount[j];
            for (k = 0; k + 1 < mt->n; k++)
                if (kr_segment_crosses(r, mt->x[k], mt->y[k], mt->x[k + 1], mt->y[k + 1])) {
                    print_message("%s: mount %zu crosses hpa %zu\n", ctx, j, i);
                    bad++;
                    break;
                }
            if (mt->label.w)
                bad += lc_apart(ctx, r, mt->label, "hpa/mount label", (int)i, (int)j);
        }
        for (j = i + 1; j < l->nhpa; j++)
            bad += lc_apart(ctx, r, l->hpa[j].r, "hpa", (int)i, (int)j);
    }
    return bad;
}

static inline int lc_all(const char *ctx, const kr_layout *l)
{
    return lc_frame(ctx, l) + lc_cards(ctx, l) + lc_mounts(ctx, l) + lc_walls(ctx, l)
           + lc_hpas(ctx, l);
}

#endif
