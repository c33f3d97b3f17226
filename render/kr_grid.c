/* kr_grid.c -- the node boxes and the pod cards in their slots (rules in
 * kr_layout.h).
 *
 * Each box's grid is planned for its slots (kr_layout_state_box_slots: the
 * most it held, or was reserved), never for the pods it holds now, so
 * pods coming and going never move the others. Cards are chosen per frame:
 * the largest level at which every box holds all of its slots, with cards
 * at least as wide as the longest short name needs; each box then takes as
 * many columns as fit, so a pod's slot keeps its place in the grid.
 * Depends on: kr_layouti. No SDL.
 */
#include <stdlib.h>
#include <string.h>

#include "kr_layouti.h"
#include "core/ks_mem.h"
#include "net/ks_netpol.h"

#define MAX_GHOSTS 256

typedef struct level_geom {
    int h, wmin, wmax, gap;
    int band;                  /* room above each card row for its wall's marks */
} level_geom;

typedef struct grid {
    const kr_layout *l;
    int name_w;                /* a card's width for the longest short name */
    int chip_w;                /* a small card's width for it (0: suffix only) */
    int band;                  /* the wall band (kr_layout_wall_band), 0: none */
} grid;

static level_geom geom(const grid *g, kr_card_level lv, int dot)
{
    int b = g->l->font.body;
    level_geom r;
    switch (lv) {
    case KR_CARD_FULL:
        r.h = kr_iround(b * 4.4), r.wmin = kr_iround(b * 9.0), r.wmax = kr_iround(b * 14.0);
        r.gap = kr_iround(b * 0.6);
        break;
    case KR_CARD_MEDIUM:
        r.h = kr_iround(b * 2.8), r.wmin = kr_iround(b * 7.5), r.wmax = kr_iround(b * 12.0);
        r.gap = kr_iround(b * 0.5);
        break;
    case KR_CARD_SMALL:
        r.h = kr_iround(b * 1.9), r.wmin = kr_iround(b * 4.4), r.wmax = kr_iround(b * 6.5);
        r.gap = kr_iround(b * 0.35);
        break;
    default:
        r.h = r.wmin = r.wmax = dot;
        r.gap = kr_imax(2, dot / 4);
        break;
    }
    r.band = lv == KR_CARD_DOT ? 0 : g->band;
    if (lv <= KR_CARD_MEDIUM && g->name_w > r.wmin) {   /* cards sized to their names */
        r.wmin = g->name_w;
        r.wmax = kr_imax(r.wmax, r.wmin);
    }
    if (lv == KR_CARD_SMALL && g->chip_w > r.wmin) {
        r.wmin = g->chip_w;
        r.wmax = kr_imax(r.wmax, r.wmin);
    }
    return r;
}

/* The slot grid of a box for a level: as many columns as fit; false when
 * its slots do not fit. */
static bool fit_box(const grid *g, kr_box *b, kr_card_level lv, int dot, bool apply)
{
    level_geom q = geom(g, lv, dot);
    kr_rect in = b->inner;
    int cols, rows, n = kr_imax(1, b->nslots);
    cols = (in.w + q.gap) / (q.wmin + q.gap);
    rows = (in.h + q.gap) / (q.h + q.band + q.gap);
    if (cols < 1 || rows < 1 || cols * rows < n) {
        if (!apply)
            return false;
        cols = kr_imax(1, cols);
        rows = kr_imax(0, rows);
    }
    if (apply) {
        b->cols = cols;
        b->rows = rows;
        b->gap = q.gap;
        b->cell_h = q.h;
        b->band = q.band;
        b->cell_w = lv == KR_CARD_DOT ? dot : kr_imin(q.wmax, (in.w - (cols - 1) * q.gap) / cols);
        b->hidden = 0;
    }
    return true;
}

static void box_frame(const kr_layout *l, kr_box *b, kr_rect r)
{
    const kr_fonts *f = &l->font;
    int pad = kr_imax(3, kr_iround(f->body * 0.5));
    /* narrow boxes get a one-line small header: name and a status glyph */
    int hh = r.w >= 12 * f->body && r.h >= 4 * f->heading ? kr_iround(f->heading * 1.8)
                                                           : kr_iround(f->small * 1.6);
    if (r.w < 8 * f->body)
        pad = kr_imax(3, pad / 2);
    hh = kr_imin(hh, r.h);
    pad = kr_imin(pad, kr_imax(0, (r.h - hh) / 2));
    b->r = r;
    b->header = kr_rect_make(r.x + pad, r.y, r.w - 2 * pad, hh);
    b->inner = kr_rect_make(r.x + pad, r.y + hh, r.w - 2 * pad, r.h - hh - pad);
    /* the HPA strip (kr_layout.h): between the header and the grid, in
     * boxes wide enough for a card */
    b->hpa = kr_rect_make(b->inner.x, b->inner.y, 0, 0);
    if (l->hpa_strip > 0 && r.w >= 16 * f->body) {
        int sh = kr_imin(l->hpa_strip, b->inner.h);
        b->hpa = kr_rect_make(b->inner.x, b->inner.y, b->inner.w, sh);
        b->inner.y += sh + pad;
        b->inner.h = kr_imax(0, b->inner.h - sh - pad);
    }
    /* dots level: the counts per status sit on the header's right, in
     * place of the requests; narrow boxes have no room for them */
    b->counts = r.w >= 14 * f->body
                    ? kr_rect_make(b->header.x + b->header.w / 3, b->header.y,
                                   b->header.w - b->header.w / 3, b->header.h)
                    : kr_rect_make(b->header.x, b->header.y, 0, 0);
}

/* The height a box of width w needs to hold its slots at a level (dot
 * size d); a large number when no column fits. */
static int box_need(const grid *g, const kr_box *b, int w, kr_card_level lv, int d)
{
    kr_box t = *b;
    level_geom q = geom(g, lv, d);
    int cols, rows;
    box_frame(g->l, &t, kr_rect_make(0, 0, w, 1 << 20));
    cols = (t.inner.w + q.gap) / (q.wmin + q.gap);
    if (cols < 1)
        return 1 << 24;
    rows = (kr_imax(1, b->nslots) + cols - 1) / cols;
    return t.header.h + (t.r.h - t.header.h - t.inner.h) + rows * (q.h + q.band + q.gap) - q.gap;
}

/* Heights of the grid rows for c columns at a level; the total height
 * (with gaps between rows) is returned. */
static int rows_need(const grid *g, int c, int bw, kr_card_level lv, int d, int m, int *need)
{
    const kr_layout *l = g->l;
    int n = (int)l->nbox, r = (n + c - 1) / c, j, k, total = (r - 1) * m;
    for (j = 0; j < r; j++) {
        need[j] = 0;
        for (k = j * c; k < n && k < (j + 1) * c; k++)
            need[j] = kr_imax(need[j], box_need(g, &l->box[k], bw, lv, d));
        total += need[j];
        if (total > 1 << 23)
            return 1 << 24;
    }
    return total;
}

/* The best level (and dot size) for c columns in an area of height h, and
 * whether small cards have room for short names; false when not even the
 * smallest dots fit. */
static bool level_for(grid *g, int c, int bw, int h, int m, int *need, kr_card_level *lv,
                      int *dot, bool *names)
{
    int k, d, chip_w = g->chip_w;
    bool ok = false;
    *names = false;
    *lv = KR_CARD_DOT;
    *dot = 3;
    for (k = KR_CARD_FULL; k < KR_CARD_DOT && !ok; k++)
        if (rows_need(g, c, bw, (kr_card_level)k, 0, m, need) <= h) {
            *lv = (kr_card_level)k;
            *dot = 0;
            *names = k == KR_CARD_SMALL && chip_w > 0;
            ok = true;
        }
    /* small cards with their short names did not fit: with suffixes only */
    g->chip_w = 0;
    if (!ok && rows_need(g, c, bw, KR_CARD_SMALL, 0, m, need) <= h) {
        *lv = KR_CARD_SMALL;
        *dot = 0;
        ok = true;
    }
    g->chip_w = chip_w;
    for (d = kr_imax(4, kr_iround(g->l->font.body * 1.1)); d >= 3 && !ok; d--)
        if (rows_need(g, c, bw, KR_CARD_DOT, d, m, need) <= h) {
            *dot = d;
            ok = true;
        }
    return ok;
}

/* Boxes in a grid of c columns; each grid row as tall as its fullest box
 * needs, the room left shared out; the arrangement with the largest cards
 * wins (then the biggest dots, then the squarest boxes). */
static void arrange_boxes(kr_layout *l, grid *g, kr_rect area, int m)
{
    int n = (int)l->nbox, c, best_c = 1, best_score = -(1 << 30), dot = 0, *need;
    kr_card_level lv;
    bool names;
    if (!n)
        return;
    need = malloc((size_t)n * sizeof *need);
    if (!need)
        return;
    for (c = 1; c <= n; c++) {
        int r = (n + c - 1) / c, bw = (area.w - (c - 1) * m) / c, score, bh;
        if (bw < 3 * l->font.body && c > 1)
            continue;
        bh = (area.h - (r - 1) * m) / r;
        if (level_for(g, c, bw, area.h, m, need, &lv, &dot, &names))
            score = (KR_CARD_LEVELS - (int)lv) * 100000 + (lv == KR_CARD_DOT ? dot * 1000 : 0)
                    + kr_imin(bw, bh * 3) / 4;
        else                          /* nothing fits: the roomiest boxes */
            score = kr_imin(bw, bh * 3) / 4 - 100000;
        if (score > best_score) {
            best_score = score;
            best_c = c;
        }
    }
    {
        int r = (n + best_c - 1) / best_c, bw = (area.w - (best_c - 1) * m) / best_c;
        int total, extra, j, k, y = area.y;
        bool fits = level_for(g, best_c, bw, area.h, m, need, &lv, &dot, &names);
        if (!names)
            g->chip_w = 0;
        total = fits ? rows_need(g, best_c, bw, lv, dot, m, need) : area.h;
        extra = area.h - total;
        for (j = 0; j < r; j++) {
            int h = fits ? need[j] + extra / r + (j < extra % r ? 1 : 0)
                         : (area.h - (r - 1) * m) / r;
            for (k = j * best_c; k < n && k < (j + 1) * best_c; k++)
                box_frame(l, &l->box[k],
                          kr_rect_make(area.x + (k % best_c) * (bw + m), y, kr_imax(bw, 0),
                                       kr_imax(h, 0)));
            y += h + m;
        }
        l->level = lv;
        l->chip_names = lv == KR_CARD_SMALL && names;
        for (k = 0; k < n; k++)
            fit_box(g, &l->box[k], lv, dot, true);
    }
    free(need);
}

/* ---------------------------------------------------------------------------
 * Boxes, pods and ghosts
 * ------------------------------------------------------------------------- */
static int add_box(kr_layout *l, ks_id node, const kr_layout_state *st)
{
    kr_box *b;
    if (ks_mem_grow(NULL, (void **)&l->box, &l->cap_box, l->nbox + 1, sizeof(kr_box)))
        return -1;
    b = &l->box[l->nbox];
    memset(b, 0, sizeof *b);
    b->node = node;
    b->nslots = kr_layout_state_box_slots(st, node);
    if (node)
        kr_layout_index_set(l, node, KR_IX_BOX, l->nbox);
    l->nbox++;
    return 0;
}

static int box_index(const kr_layout *l, ks_id node)
{
    if (!node)
        return l->nbox && l->box[l->nbox - 1].node == 0 ? (int)l->nbox - 1 : -1;
    return kr_layout_index_get(l, node, KR_IX_BOX);
}

/* Gives pods the state does not know yet the lowest slots nobody holds. */
static int free_slots(kr_layout *l)
{
    size_t i, total = 0, b;
    size_t *base = malloc((l->nbox + 1) * sizeof *base);
    if (!base)
        return -1;
    for (b = 0; b < l->nbox; b++) {            /* room for every slot, and one per pod */
        base[b] = total;
        total += (size_t)kr_imax(l->box[b].nslots, 0) + (size_t)l->box[b].npods + 1;
    }
    if (ks_mem_grow(NULL, (void **)&l->occ, &l->cap_occ, total + 1, 1)) {
        free(base);
        return -1;
    }
    memset(l->occ, 0, total + 1);
    for (i = 0; i < l->npod; i++)
        if (l->pod[i].slot >= 0)
            l->occ[base[l->pod[i].box] + (size_t)l->pod[i].slot] = 1;
    for (i = 0; i < l->nghost; i++)
        l->occ[base[l->ghost[i].box] + (size_t)l->ghost[i].g.slot] = 1;
    for (i = 0; i < l->npod; i++) {
        kr_pod_place *pp = &l->pod[i];
        kr_box *bx = &l->box[pp->box];
        size_t s = 0;
        if (pp->slot >= 0)
            continue;
        while (l->occ[base[pp->box] + s])
            s++;
        l->occ[base[pp->box] + s] = 1;
        pp->slot = (int)s;
        bx->nslots = kr_imax(bx->nslots, pp->slot + 1);
    }
    free(base);
    return 0;
}

static bool on_node(const kr_layout *l, const ks_pod *p)
{
    return p->node && kr_layout_index_get(l, p->node, KR_IX_BOX) >= 0;
}

/* A pod with no node's box that goes to the "not scheduled" box: one that
 * waits (kr_pod_waits), or has a slot there already. */
static bool shown_waiting(const kr_layout *l, const kr_layout_state *st, const ks_sim *sim,
                          const ks_pod *p)
{
    ks_id box;
    int slot;
    return !on_node(l, p) && (kr_pod_waits(sim, p) || kr_layout_state_slot(st, p->id, &box, &slot));
}

static int collect(kr_layout *l, const kr_layout_state *st, const ks_sim *sim)
{
    kr_layout_seen seen = kr_layout_state_seen(st);
    kr_ghost gh[MAX_GHOSTS];
    size_t ng = kr_layout_state_ghosts(st, gh, MAX_GHOSTS), i;
    bool pending = seen.pending_box;
    ks_id id = 0;
    l->nbox = l->npod = l->nghost = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_NODE, id)) != 0)
        if (add_box(l, id, st))
            return -1;
    {   /* nodes that join later in the run: their room, empty, from the start */
        ks_id planned[64];
        size_t np = kr_layout_state_planned(st, planned, 64), k;
        for (k = 0; k < np && k < 64; k++)
            if (!ks_cluster_node(sim, planned[k])) {
                if (add_box(l, planned[k], st))
                    return -1;
                l->box[l->nbox - 1].future = true;
            }
    }
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        if (p && kr_ns_drawn(p->ns) && shown_waiting(l, st, sim, p))
            pending = true;
    }
    for (i = 0; i < ng && i < MAX_GHOSTS; i++)
        pending = pending || gh[i].box == 0;
    if (pending && add_box(l, 0, st))
        return -1;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        kr_pod_place *pp;
        ks_id sbox;
        int slot, bi;
        if (!p || !kr_ns_drawn(p->ns) || (!on_node(l, p) && !shown_waiting(l, st, sim, p)))
            continue;
        if (ks_mem_grow(NULL, (void **)&l->pod, &l->cap_pod, l->npod + 1, sizeof(kr_pod_place)))
            return -1;
        bi = box_index(l, p->node);
        if (bi < 0)
            bi = box_index(l, 0);
        pp = &l->pod[l->npod++];
        pp->pod = id;
        pp->box = bi;
        pp->slot = kr_layout_state_slot(st, id, &sbox, &slot) && sbox == p->node ? slot : -1;
        pp->r = kr_rect_make(0, 0, 0, 0);
        pp->hpa = kr_pod_hpa(sim, p);
        l->box[bi].npods++;
        if (pp->slot >= 0)
            l->box[bi].nslots = kr_imax(l->box[bi].nslots, pp->slot + 1);
        kr_layout_index_set(l, id, KR_IX_POD, l->npod - 1);
    }
    for (i = 0; i < ng && i < MAX_GHOSTS; i++) {
        int bi = box_index(l, gh[i].box);
        if (bi < 0)
            continue;                     /* its node is gone too */
        if (ks_mem_grow(NULL, (void **)&l->ghost, &l->cap_ghost, l->nghost + 1,
                        sizeof(kr_ghost_place)))
            return -1;
        l->ghost[l->nghost].g = gh[i];
        l->ghost[l->nghost].box = bi;
        l->ghost[l->nghost].r = kr_rect_make(0, 0, 0, 0);
        l->box[bi].nslots = kr_imax(l->box[bi].nslots, gh[i].slot + 1);
        l->nghost++;
    }
    return free_slots(l);
}

static kr_rect slot_rect(const kr_box *b, int slot)
{
    int col, row;
    if (b->cols < 1 || slot >= b->cols * b->rows)
        return kr_rect_make(0, 0, 0, 0);
    col = slot % b->cols;
    row = slot / b->cols;
    return kr_rect_make(b->inner.x + col * (b->cell_w + b->gap),
                        b->inner.y + row * (b->band + b->cell_h + b->gap) + b->band, b->cell_w,
                        b->cell_h);
}

int kr_grid_place(kr_layout *l, const kr_layout_state *st, const ks_sim *sim,
                  const kr_layout_input *in, kr_rect area, int m)
{
    kr_layout_seen seen = kr_layout_state_seen(st);
    grid g;
    size_t i;
    if (collect(l, st, sim))
        return -1;
    g.l = l;
    g.name_w = seen.widest_name[0]
                   ? kr_measure(in, KR_FACE_BOLD, l->font.body, seen.widest_name)
                         + 2 * kr_iround(l->font.body * 0.6) + 2
                   : 0;
    g.chip_w = seen.widest_name[0]
                   ? kr_measure(in, KR_FACE_BOLD, l->font.small, seen.widest_name)
                         + kr_measure(in, KR_FACE_BOLD, l->font.small, "\xE2\x9C\x94 ") + 10
                   : 0;
    g.band = ks_netpol_enforced(sim) ? kr_layout_wall_band(l) : 0;
    arrange_boxes(l, &g, area, m);
    for (i = 0; i < l->npod; i++) {
        kr_pod_place *pp = &l->pod[i];
        kr_box *b = &l->box[pp->box];
        pp->r = slot_rect(b, pp->slot);
        if (!pp->r.w)
            b->hidden++;
    }
    for (i = 0; i < l->nghost; i++) {
        kr_ghost_place *gp = &l->ghost[i];
        gp->r = slot_rect(&l->box[gp->box], gp->g.slot);
    }
    return 0;
}
