/* kr_layout.c -- every rectangle of a frame, from (cluster, window, scale,
 * what the panels hold) and the slot state (see kr_layout.h for the
 * picture and the rules): the frame, the right panel, the order in which
 * the rows of the cluster picture give way. The rows are in
 * kr_layout_rows.c, the boxes and cards in kr_grid.c, mount lines in
 * kr_route.c; rectangles, lookups and the id index they all use in
 * kr_rects.c.
 *
 * Sizes derive from one unit u (1 at 1280x720, times --scale) through the
 * font sizes, so the whole picture scales together; floors keep small
 * windows legible.
 * Depends on: ks_cluster, kr_status. No SDL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_layouti.h"
#include "core/ks_mem.h"

/* ---------------------------------------------------------------------------
 * The layout's lifetime
 * ------------------------------------------------------------------------- */
void kr_layout_init(kr_layout *l)
{
    memset(l, 0, sizeof *l);
}

void kr_layout_fini(kr_layout *l)
{
    free(l->ing);
    free(l->hpa);
    free(l->cron);
    free(l->svc);
    free(l->box);
    free(l->pod);
    free(l->ghost);
    free(l->disk);
    free(l->mount);
    free(l->index);
    free(l->occ);
    memset(l, 0, sizeof *l);
}

/* ---------------------------------------------------------------------------
 * Frame: bars and caption
 * ------------------------------------------------------------------------- */
static void fonts(kr_layout *l)
{
    float u = l->u;
    l->font.title = kr_imax(12, kr_iround(22 * u));
    l->font.caption = kr_imax(14, kr_iround(24 * u));
    l->font.heading = kr_imax(12, kr_iround(18 * u));
    l->font.body = kr_imax(11, kr_iround(16 * u));
    l->font.small = kr_imax(10, kr_iround(13 * u));
    l->font.tiny = kr_imax(9, kr_iround(12 * u));
}

static void frame(kr_layout *l, const kr_layout_input *in, int m)
{
    const kr_fonts *f = &l->font;
    int bh = kr_iround(f->title * 2.1), b = kr_iround(f->title * 1.45), bw = kr_iround(b * 1.2);
    int clock_w = kr_measure(in, KR_FACE_BOLD, f->title, "t = 00:00.0") + m;
    int speed_w = kr_measure(in, KR_FACE_SANS, f->body, "\xC3\x97" "0.25") + m;
    int x, y, pad = kr_iround(f->caption * 0.45), tl, ch;
    l->topbar = kr_rect_make(0, 0, l->w, bh);
    l->clock = kr_rect_make(l->w - m - clock_w, 0, clock_w, bh);
    y = (bh - b) / 2;
    x = l->clock.x - m * 2 - bw;
    l->btn[KR_BTN_HELP] = kr_rect_make(x, y, bw, b);
    x -= m * 2 + bw;
    l->btn[KR_BTN_FASTER] = kr_rect_make(x, y, bw, b);
    x -= speed_w;
    l->speed = kr_rect_make(x, 0, speed_w, bh);
    x -= bw;
    l->btn[KR_BTN_SLOWER] = kr_rect_make(x, y, bw, b);
    /* live: time only moves on, so no restart and no step (zero-width
       buttons are neither drawn nor hit) */
    x -= m * 2 + bw;
    l->btn[KR_BTN_STEP] = kr_rect_make(x, y, in->live ? 0 : bw, b);
    if (!in->live)
        x -= m / 2 + bw;
    l->btn[KR_BTN_PLAY] = kr_rect_make(x, y, bw, b);
    x -= m / 2 + bw;
    l->btn[KR_BTN_RESTART] = kr_rect_make(x, y, in->live ? 0 : bw, b);
    if (in->live)
        x += m / 2 + bw;
    l->title = kr_rect_make(m, 0, kr_imax(0, x - 2 * m), bh);
    if (x < m)                   /* a very narrow window: controls only */
        l->title.w = 0;
    tl = kr_imax(14, kr_iround(f->small * 2.0));
    l->timeline = kr_rect_make(0, l->h - tl, l->w, tl);
    /* the caption always has room for two lines, so the picture above it
     * does not move when a longer caption comes (a short window: one) */
    ch = kr_iround((l->h < 30 * f->caption ? 1 : 2) * f->caption * 1.3) + 2 * pad;
    l->caption = kr_rect_make(m, l->timeline.y - m / 2 - ch, l->w - 2 * m, ch);
}

/* ---------------------------------------------------------------------------
 * The right panel: each part sized for what it holds
 * ------------------------------------------------------------------------- */
int kr_layout_panel_pad(const kr_layout *l)
{
    return kr_imax(5, kr_iround(12 * l->u));
}

int kr_layout_panel_head(const kr_layout *l)
{
    return kr_layout_panel_pad(l) / 3 + kr_iround(l->font.heading * 1.6);
}

int kr_layout_row_table(const kr_layout *l)
{
    return kr_iround(l->font.small * 1.5);
}

int kr_layout_row_events(const kr_layout *l)
{
    return kr_iround(l->font.small * 1.55);
}

int kr_layout_row_requests(const kr_layout *l)
{
    return kr_iround(l->font.small * 1.7);
}

int kr_layout_row_goals(const kr_layout *l)
{
    return kr_iround(l->font.small * 1.5);
}

static void panel(kr_layout *l, const kr_layout_input *in, int m, int y0, int y1)
{
    const kr_panel_want *w = &in->want;
    int pw, pad = kr_layout_panel_pad(l), head = kr_layout_panel_head(l), h = y1 - y0, y;
    int rt = kr_layout_row_table(l), re = kr_layout_row_events(l);
    int req_h, goals_h = 0, term_want, term_min, out_h = 0, term_h, ev_min, rest;
    if (in->hide_panel || l->w < 560) {
        kr_rect none = kr_rect_make(l->w, y0, 0, 0);
        l->panel = l->goals = l->term = l->table = l->output = l->events = l->requests = none;
        return;
    }
    pw = kr_iround(l->w * 0.31);            /* room for kubectl's columns */
    pw = kr_imin(pw, 26 * l->font.body);
    pw = kr_imax(pw, kr_imin(200, l->w / 3));
    l->panel = kr_rect_make(l->w - m - pw, y0, pw, h);
    /* fixed parts first: Requests (its routes), the goals (all of them) */
    req_h = head + kr_layout_row_requests(l) * kr_imax(1, kr_imin(w->routes, 8)) + pad / 2;
    req_h = kr_imin(req_h, h / 4);
    if (w->goals > 0)
        goals_h = kr_imin(head + kr_layout_row_goals(l) * w->goals + pad, h * 45 / 100);
    rest = h - req_h - goals_h - m * (goals_h ? 3 : 2);
    /* the terminal: the pods table and the last command's output; Events
     * take what is left, at least three rows */
    ev_min = head + 3 * re + pad / 2;
    /* the table keeps the prompt, the header and its pods, up to 3 and
     * "… more" */
    term_min = 2 * pad + rt * kr_imin(6, 2 + kr_imax(1, w->pods));
    if (w->output > 0)
        out_h = rt * (kr_imin(w->output, 14) + 1) + pad;
    term_want = 2 * pad + rt * (2 + kr_imax(1, w->pods)) + out_h;
    term_h = kr_imax(term_min, kr_imin(term_want, rest - ev_min));
    if (out_h > term_h - term_min)                 /* the output first, the table scrolls */
        out_h = kr_imax(0, term_h - term_min);
    y = y0;
    l->goals = kr_rect_make(l->panel.x, y, pw, goals_h);
    if (goals_h)
        y += goals_h + m;
    l->term = kr_rect_make(l->panel.x, y, pw, term_h);
    l->table = kr_rect_make(l->panel.x, y, pw, term_h - out_h);
    l->output = kr_rect_make(l->panel.x, y + term_h - out_h, pw, out_h);
    y += term_h + m;
    l->events = kr_rect_make(l->panel.x, y, pw, kr_imax(0, y1 - req_h - m - y));
    l->requests = kr_rect_make(l->panel.x, y1 - req_h, pw, req_h);
}

/* ---------------------------------------------------------------------------
 * The whole frame
 * ------------------------------------------------------------------------- */
/* About the height every pod needs as the smallest dots (3 px, 2 apart) in
 * the best grid of node boxes, each with its one-line header: the rows
 * above give way before pods are hidden. */
static int dots_need(const kr_layout *l, const kr_layout_state *st, const ks_sim *sim, int m)
{
    ks_id id = 0;
    int fullest = kr_layout_state_box_slots(st, 0), boxes = fullest > 0, c, best = 1 << 24;
    int head = kr_iround(l->font.small * 1.6) + 8 + l->hpa_strip;
    while ((id = ks_cluster_next(sim, KS_KIND_NODE, id)) != 0) {
        fullest = kr_imax(fullest, kr_layout_state_box_slots(st, id));
        boxes++;
    }
    {   /* and the nodes that join later (kr_grid keeps their room) */
        ks_id planned[64];
        size_t np = kr_layout_state_planned(st, planned, 64), k;
        for (k = 0; k < np && k < 64; k++)
            if (!ks_cluster_node(sim, planned[k])) {
                fullest = kr_imax(fullest, kr_layout_state_box_slots(st, planned[k]));
                boxes++;
            }
    }
    for (c = 1; c <= kr_imax(1, boxes); c++) {
        int rows = (boxes + c - 1) / c, bw = (l->main.w - (c - 1) * m) / c;
        int per_row = (bw - 8) / 5, h;
        if (per_row < 1 || (bw < 3 * l->font.body && c > 1))   /* as kr_grid arranges */
            break;
        h = rows * (head + (fullest + per_row - 1) / per_row * 5) + (rows - 1) * m;
        best = kr_imin(best, h);
    }
    return best;
}

/* The rows from the top, the storage band at the bottom, the nodes between
 * (their boxes and cards). The nodes come first: when they would get less
 * than a quarter of the picture (or 5 lines), the storage band goes, then
 * the Ingress row, then the second row of Services, then the Services.
 * Returns 0, or -1 when out of memory. */
static int rows_and_nodes(kr_layout *l, const kr_layout_state *st, const ks_sim *sim,
                          const kr_layout_input *in, const kr_layout_seen *sn, int m, int gap)
{
    kr_layout_seen seen = *sn;
    int y = 0, rowa, rowb, band = 0, nodes_h = 0, max_svc_rows, drop, dots;
    dots = dots_need(l, st, sim, m);
    for (drop = 0; drop < 5; drop++) {
        int want = kr_imax(kr_imax(5 * l->font.body, l->main.h / 4), dots);
        y = l->main.y;
        rowa = drop < 2 ? kr_rows_ingress(l, sim, in, &seen, y, m) : 0;
        if (!rowa) {
            l->ning = l->ncron = 0;
            if (l->hpa_in_row)
                l->nhpa = 0;
            l->traffic = kr_rect_make(l->main.x, y, 0, 0);
        }
        if (rowa)
            y += rowa + gap + kr_iround(l->font.body * 0.6);
        band = drop < 1 ? kr_rows_storage_collect(l, sim, &seen, l->main.h < 24 * l->font.body)
                        : 0;
        if (!band)
            l->ndisk = l->disk_hidden = 0;
        max_svc_rows = drop >= 3 || l->main.h < 20 * l->font.body ? 1 : 2;
        rowb = drop < 4 ? kr_rows_services(l, sim, in, y, gap, max_svc_rows) : 0;
        if (!rowb && drop < 4 && seen.services)     /* Services to come: keep their row */
            rowb = kr_iround(l->font.body * 1.3) + kr_iround(l->font.small * 1.25)
                   + kr_iround(l->font.body * 0.5);
        if (!rowb) {
            l->nsvc = l->svc_hidden = 0;
            l->svc_more = kr_rect_make(0, 0, 0, 0);
        }
        if (rowb)
            y += rowb + gap + kr_iround(l->font.body * 0.4);
        nodes_h = l->main.y + l->main.h - y - (band ? band + gap : 0);
        if (nodes_h >= want)
            break;
    }
    l->nodes = kr_rect_make(l->main.x, y, l->main.w, nodes_h);
    if (band)
        kr_rows_storage_place(l, sim, in, l->nodes.y + l->nodes.h + gap, band, m);
    else
        l->storage = kr_rect_make(l->main.x, l->main.y + l->main.h, l->main.w, 0);
    return kr_grid_place(l, st, sim, in, l->nodes, m);
}

int kr_layout_compute(kr_layout *l, const kr_layout_state *st, const ks_sim *sim,
                      const kr_layout_input *in)
{
    static const ks_kind kinds[] = {KS_KIND_NODE, KS_KIND_POD, KS_KIND_SERVICE,
                                    KS_KIND_INGRESS, KS_KIND_PVC, KS_KIND_PV};
    double scale = in->scale > 0 ? in->scale : 1.0;
    kr_layout_seen seen = kr_layout_state_seen(st);
    int m, y0, y1, gap;
    size_t need = 1, k;
    l->w = kr_imax(in->w, 64);
    l->h = kr_imax(in->h, 64);
    /* text grows with the window's height; a window narrower than 4:3
     * lends its width instead */
    l->u = (float)(fmin(l->h / 720.0, l->w / 960.0) * scale);
    fonts(l);
    m = kr_imax(4, kr_iround(12 * l->u));
    gap = kr_imax(4, kr_iround(10 * l->u));
    /* the id index covers every object of the sim */
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        ks_id id = 0, last = 0;
        while ((id = ks_cluster_next(sim, kinds[k], id)) != 0)
            last = id;
        if (last + 1 > need)
            need = last + 1;
    }
    if (ks_mem_grow(NULL, (void **)&l->index, &l->index_cap, need, sizeof(int)))
        return -1;
    memset(l->index, 0, l->index_cap * sizeof(int));

    frame(l, in, m);
    y0 = l->topbar.h + m;
    y1 = l->caption.y - m;
    panel(l, in, m, y0, y1);
    l->main = kr_rect_make(m, y0, (l->panel.w ? l->panel.x - m : l->w - m) - m, y1 - y0);

    /* the HPA cards go in the strips of the node boxes; when no box is
     * wide enough for one, in the Ingress row at its right end */
    l->hpa_in_row = false;
    l->hpa_strip = seen.hpas ? kr_hpa_card_h(l) : 0;
    if (rows_and_nodes(l, st, sim, in, &seen, m, gap))
        return -1;
    if (l->hpa_strip) {
        size_t b;
        for (b = 0; b < l->nbox && !(l->box[b].hpa.h > 0 && !l->box[b].future); b++)
            ;
        if (b == l->nbox) {
            l->hpa_in_row = true;
            l->hpa_strip = 0;
            if (rows_and_nodes(l, st, sim, in, &seen, m, gap))
                return -1;
        }
    }
    kr_rows_hpa(l, sim, in);
    return kr_route_mounts(l, sim, in, gap);
}
