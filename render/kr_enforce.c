/* kr_enforce.c -- the HorizontalPodAutoscaler and CronJob cards, the nodes'
 * CPU and memory bars and the NetworkPolicy walls (a drawing pass, see kr_enforce.h). Reads the sim through const
 * pointers only.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kr_batch.h"
#include "kr_enforce.h"
#include "kr_status.h"
#include "net/ks_netpol.h"

/* ---------------------------------------------------------------------------
 * HorizontalPodAutoscaler cards
 * ------------------------------------------------------------------------- */
/* The bar's colour: at the target (within the controller's tolerance,
 * 0.1) green; above it, where the HPA adds pods, vermillion; below, where
 * it removes them (after its window), sky blue. */
static kr_color ratio_color(const kr_hpa_view *v)
{
    if (!v->known)
        return KR_C_FAINT;
    if (v->ratio > 1.1)
        return KR_OI_VERMILLION;
    if (v->ratio < 0.9)
        return KR_OI_SKY;
    return KR_OI_GREEN;
}

/* A square a pod up to maxReplicas (more than KR_HPA_SQUARES: each stands
 * for several): filled for the current replicas, outlined for the desired
 * ones still to come, faint for the room up to max; a tick after minReplicas. */
static void squares(kr_scene *s, const kr_hpa_view *v, int x, int y, int lh)
{
    int sq = kr_hpa_square(&s->lay), n = v->max < KR_HPA_SQUARES ? v->max : KR_HPA_SQUARES;
    int side = sq * 4 / 5, k, top = y + (lh - side) / 2, rad = kr_px(s, 2, 1);
    double per = v->max > n ? (double)v->max / n : 1.0;
    for (k = 0; k < n; k++) {
        kr_rect r = {x + k * sq, top, side, side};
        double from = k * per;
        if (from < v->current)
            kr_round_fill(s->g, r, rad, KR_OI_PURPLE);
        else if (from < v->desired)
            kr_round_frame(s->g, r, rad, kr_px(s, 2, 1), KR_OI_PURPLE, false);
        else
            kr_round_frame(s->g, r, rad, kr_px(s, 1, 1), KR_C_FAINT, false);
    }
    if (v->min > 0 && v->min < v->max) {             /* minReplicas */
        float tx = x + (float)(v->min / per) * sq - (sq - side) / 2.0f;
        kr_line(s->g, tx, (float)top - 3, tx, (float)(top + side + 3), (float)kr_px(s, 2, 1),
                KR_C_DIM, 0);
    }
}

/* A card at the right of the Ingress row (a CronJob's): its box with an
 * edge of colour edge (dashed when dashed), its heading (bold, cut as a
 * name) and after it, where there is room, a dim second text (face, px,
 * cut). Returns the y below the heading's line. */
static int side_card(kr_scene *s, kr_rect r, kr_color edge, bool dashed, const char *head,
                     const char *sub, kr_face face, int px, kr_cut cut)
{
    const kr_fonts *f = &s->lay.font;
    int pad = (int)lround(f->body * 0.6), hw;
    kr_rect line = {r.x + pad, r.y + pad / 2, r.w - 2 * pad, (int)lround(f->heading * 1.35)};
    kr_round_fill(s->g, r, kr_px(s, 8, 3), KR_C_BOX);
    kr_round_frame(s->g, r, kr_px(s, 8, 3), kr_px(s, 2.5, 2), edge, dashed);
    hw = kr_text_box(s->t, KR_FACE_BOLD, f->heading, head, line, KR_LEFT, KR_CUT_NAME, KR_C_TEXT);
    if (line.w - hw > 4 * f->body)
        kr_text_box(s->t, face, px, sub,
                    (kr_rect){line.x + hw + f->body / 2, line.y, line.w - hw - f->body / 2, line.h},
                    KR_LEFT, cut, KR_C_DIM);
    return line.y + line.h;
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

/* The card right above the pods it scales (kr_layout.h): line one the
 * name, the first metric's bar and figures as large as the name (then its
 * target where there is room), line two a square a pod and the counts. */
static void hpa_card(kr_scene *s, const ks_sim *sim, const kr_place *pl)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r = pl->r, bar;
    kr_hpa_view v;
    int pad = kr_hpa_pad(&s->lay), l1 = kr_hpa_line1(&s->lay), l2 = kr_hpa_line2(&s->lay);
    int x = r.x + pad, y = r.y + pad / 2, right = r.x + r.w - pad, w, fill, mw, nw, bw, room;
    const char *metric;
    kr_color c;
    if (!kr_hpa_view_of(sim, pl->id, &v))
        return;
    c = ratio_color(&v);
    kr_round_fill(s->g, r, kr_px(s, 8, 3), KR_C_BOX);
    kr_round_frame(s->g, r, kr_px(s, 8, 3), kr_px(s, 2.5, 2), KR_OI_PURPLE, false);
    /* HPA php-apache [bar] cpu 59% / 50%  → Deployment/php-apache; where
     * the card is narrow the name gives way first, then the bar (down to
     * 3 ems), so the figures stay whole */
    metric = v.metric[0] ? v.metric : "no metrics";
    mw = kr_text_width(s->t, KR_FACE_BOLD, f->heading, metric);
    bw = KR_HPA_BAR_EM * f->body;
    room = right - x - f->body - bw - pad - mw;
    nw = kr_text_width(s->t, KR_FACE_BOLD, f->heading, v.head);
    if (room < nw)
        bw = imax(3 * f->body, bw - (nw - room));
    x += kr_text_box(s->t, KR_FACE_BOLD, f->heading, v.head,
                     (kr_rect){x, y, imax(0, right - x - f->body - bw - pad - mw), l1}, KR_LEFT,
                     KR_CUT_END, KR_C_TEXT)
         + f->body;
    bar = (kr_rect){x, y + l1 / 5, bw, l1 - 2 * (l1 / 5)};
    if (bar.x + bar.w <= right) {
        kr_round_fill(s->g, bar, kr_px(s, 3, 1), KR_C_STORAGE);
        fill = (int)lround(bar.w * fmin(v.ratio / 2.0, 1.0));
        if (fill > 0)
            kr_round_fill(s->g, (kr_rect){bar.x, bar.y, fill, bar.h}, kr_px(s, 3, 1), c);
        kr_line(s->g, bar.x + bar.w / 2.0f, (float)bar.y - kr_px(s, 3, 2),
                bar.x + bar.w / 2.0f, (float)(bar.y + bar.h + kr_px(s, 3, 2)),
                (float)kr_px(s, 2.5, 2), KR_C_TEXT, 0);
        x = bar.x + bar.w + pad;
        w = kr_text_box(s->t, KR_FACE_BOLD, f->heading, metric,
                        (kr_rect){x, y, imax(0, right - x), l1}, KR_LEFT, KR_CUT_END,
                        v.known && v.ratio > 1.1 ? KR_OI_VERMILLION : KR_C_TEXT);
        /* room kept for the widest figures, so the target does not move */
        x += imax(w, kr_text_width(s->t, KR_FACE_BOLD, f->heading, "cpu 9999% / 100%"))
             + f->body;
        if (right - x >= 4 * f->body)
            kr_text_box(s->t, KR_FACE_SANS, f->small, v.target,
                        (kr_rect){x, y, right - x, l1}, KR_LEFT, KR_CUT_MIDDLE, KR_C_DIM);
    }
    /* the replicas */
    y += l1;
    x = r.x + pad;
    squares(s, &v, x, y, l2);
    x += kr_hpa_squares_w(&s->lay, v.max) + pad;
    kr_text_box(s->t, KR_FACE_SANS, f->body, v.pods, (kr_rect){x, y, imax(0, right - x), l2},
                KR_LEFT, KR_CUT_END, KR_C_TEXT);
}

void kr_enforce_hpas(kr_scene *s, const ks_sim *sim)
{
    size_t i;
    for (i = 0; i < s->lay.nhpa; i++)
        hpa_card(s, sim, &s->lay.hpa[i]);
}

/* ---------------------------------------------------------------------------
 * CronJob cards
 * ------------------------------------------------------------------------- */
/*   CronJob backup  *\/1 * * * *
 *   [wait bar]  next 09:02:00  in 50 s
 *   now 09:01:10 UTC · 1 active
 * The bar fills from its last scheduled time to the next; the card's edge
 * is sky blue, a Job's Completed pods' blue beside it; dashed when the
 * CronJob is suspended. */
static void cron_card(kr_scene *s, const ks_sim *sim, const kr_place *pl)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r = pl->r, bar;
    kr_cron_view v;
    int pad = (int)lround(f->body * 0.6), lh, hw, y, x, fill;
    if (!kr_cron_view_of(sim, pl->id, &v))
        return;
    y = side_card(s, r, KR_OI_SKY, v.suspended, v.head, v.schedule, KR_FACE_MONO, f->body,
                  KR_CUT_END);
    /* the wait for the next run, as large as the name */
    lh = (int)lround(f->heading * 1.5);
    bar = (kr_rect){r.x + pad, y + lh / 4, KR_CRON_BAR_EM * f->body, lh - 2 * (lh / 4)};
    kr_round_fill(s->g, bar, kr_px(s, 3, 1), KR_C_STORAGE);
    fill = v.progress > 0 ? (int)lround(bar.w * v.progress) : 0;
    if (fill > 0)
        kr_round_fill(s->g, (kr_rect){bar.x, bar.y, fill, bar.h}, kr_px(s, 3, 1), KR_OI_SKY);
    x = bar.x + bar.w + pad;
    hw = kr_text_box(s->t, KR_FACE_BOLD, f->heading, v.next,
                     (kr_rect){x, y, r.x + r.w - pad - x, lh}, KR_LEFT, KR_CUT_END, KR_C_TEXT);
    x += hw + f->body / 2;
    if (v.in[0] && r.x + r.w - pad - x > f->body)
        kr_text_box(s->t, KR_FACE_SANS, f->body, v.in, (kr_rect){x, y, r.x + r.w - pad - x, lh},
                    KR_LEFT, KR_CUT_END, KR_C_DIM);
    /* the clock now, and its Jobs running */
    y += lh;
    kr_text_box(s->t, KR_FACE_SANS, f->body, v.line,
                (kr_rect){r.x + pad, y, r.w - 2 * pad, (int)lround(f->body * 1.5)}, KR_LEFT,
                KR_CUT_END, KR_C_TEXT);
}

void kr_enforce_crons(kr_scene *s, const ks_sim *sim)
{
    size_t i;
    for (i = 0; i < s->lay.ncron; i++)
        cron_card(s, sim, &s->lay.cron[i]);
}

/* ---------------------------------------------------------------------------
 * Node CPU and memory bars
 * ------------------------------------------------------------------------- */
/* One bar: its label, the use now filled (blue; vermillion when the node
 * has MemoryPressure, on the memory bar), a dark tick at what the pods
 * request, the use as a percentage after it (room for "100%" kept, so it
 * does not jitter). Returns its width. */
static int node_bar(kr_scene *s, const char *label, double use, double req, int pct, bool alarm,
                    int x, kr_rect h, bool draw)
{
    const kr_fonts *f = &s->lay.font;
    int lw = kr_text_width(s->t, KR_FACE_SANS, f->small, label) + f->small / 3;
    int bw = 4 * f->body, pw = kr_text_width(s->t, KR_FACE_BOLD, f->small, "100%") + f->small / 3;
    int bh = f->small * 2 / 3 > 4 ? f->small * 2 / 3 : 4, by = h.y + (h.h - bh) / 2, fill;
    char buf[16];
    if (!draw)
        return lw + bw + pw;
    kr_text_box(s->t, KR_FACE_SANS, f->small, label, (kr_rect){x, h.y, lw, h.h}, KR_LEFT,
                KR_CUT_END, KR_C_DIM);
    x += lw;
    kr_round_fill(s->g, (kr_rect){x, by, bw, bh}, bh / 3, KR_C_STORAGE);
    fill = (int)lround(bw * fmin(fmax(use, 0.0), 1.0));
    if (fill > 0)
        kr_round_fill(s->g, (kr_rect){x, by, fill, bh}, bh / 3,
                      alarm ? KR_OI_VERMILLION : KR_OI_BLUE);
    if (req > 0) {
        float tx = x + (float)(bw * fmin(req, 1.0));
        kr_line(s->g, tx, (float)by - kr_px(s, 3, 2), tx, (float)(by + bh + kr_px(s, 3, 2)),
                (float)kr_px(s, 2, 1), KR_C_TEXT, 0);
    }
    snprintf(buf, sizeof buf, "%d%%", pct);
    kr_text_box(s->t, KR_FACE_BOLD, f->small, buf, (kr_rect){x + bw + f->small / 3, h.y, pw, h.h},
                KR_LEFT, KR_CUT_END, alarm ? KR_OI_VERMILLION : KR_C_TEXT);
    return lw + bw + pw;
}

/* The legend of the tick: a tick and "requests", dim. Returns its width. */
static int tick_legend(kr_scene *s, int x, kr_rect h, bool draw)
{
    const kr_fonts *f = &s->lay.font;
    int tw = kr_px(s, 2, 1) + f->small / 3, w = tw + kr_text_width(s->t, KR_FACE_SANS, f->small,
                                                                    "requests");
    int bh = f->small * 2 / 3 > 4 ? f->small * 2 / 3 : 4, by = h.y + (h.h - bh) / 2;
    if (draw) {
        kr_line(s->g, (float)x, (float)by - kr_px(s, 3, 2), (float)x,
                (float)(by + bh + kr_px(s, 3, 2)), (float)kr_px(s, 2, 1), KR_C_TEXT, 0);
        kr_text_box(s->t, KR_FACE_SANS, f->small, "requests", (kr_rect){x + tw, h.y, w - tw, h.h},
                    KR_LEFT, KR_CUT_END, KR_C_DIM);
    }
    return w;
}

int kr_enforce_node_bars(kr_scene *s, const ks_sim *sim, const ks_node *n, kr_rect r, bool draw)
{
    /* beside the bars, in this order of preference: what `kubectl top
     * node` prints, labelled so, with the legend of the tick; without the
     * legend; labelled "top", with the legend; the legend alone; nothing.
     * kubectl's figures are metrics-server's 60 s window, so they lag the
     * bars (kr_status.h kr_node_usage_text forms 3 and 4) */
    static const struct {
        int form;                 /* 0: no figures */
        bool legend;
    } tries[] = {{3, true}, {3, false}, {4, true}, {0, true}, {0, false}};
    kr_node_bars b;
    int gap = s->lay.font.body, cw, mw, lw = 0, tw = 0, x, w = 0;
    size_t k;
    char top[96] = "";
    if (!kr_node_bars_of(sim, n, &b))
        return 0;
    cw = node_bar(s, "cpu", b.cpu, b.cpu_req, b.cpu_pct, false, 0, r, false);
    mw = node_bar(s, "memory", b.mem, b.mem_req, b.mem_pct, n->memory_pressure, 0, r, false);
    for (k = 0; k < sizeof tries / sizeof tries[0]; k++) {
        lw = tries[k].legend ? tick_legend(s, 0, r, false) + gap : 0;
        tw = 0;
        if (tries[k].form) {
            char widest[96];
            if (!kr_node_usage_text(sim, n, tries[k].form, top, sizeof top))
                continue;
            /* measured with the node's whole allocatable, so the choice
               holds while the figures change */
            snprintf(widest, sizeof widest, "%s %lldm 100%% %lldMi 100%%",
                     tries[k].form == 3 ? "kubectl top node" : "top", (long long)n->cpu,
                     (long long)(n->memory >> 20));
            tw = kr_text_width(s->t, KR_FACE_SANS, s->lay.font.small, widest) + gap;
        }
        w = tw + lw + cw + gap + mw;
        if (w <= r.w)
            break;
    }
    if (!draw || w > r.w)
        return w;
    x = r.x + r.w - w;
    if (tw)
        kr_text_box(s->t, KR_FACE_SANS, s->lay.font.small, top, (kr_rect){x, r.y, tw - gap, r.h},
                    KR_LEFT, KR_CUT_END, KR_C_DIM);
    x += tw;
    if (lw)
        tick_legend(s, x, r, true);
    node_bar(s, "cpu", b.cpu, b.cpu_req, b.cpu_pct, false, x + lw, r, true);
    node_bar(s, "memory", b.mem, b.mem_req, b.mem_pct, n->memory_pressure, x + lw + cw + gap, r,
             true);
    return w;
}

/* ---------------------------------------------------------------------------
 * NetworkPolicy walls
 * ------------------------------------------------------------------------- */
void kr_enforce_walls(kr_scene *s, const ks_sim *sim)
{
    size_t i;
    int th = kr_layout_wall_thick(&s->lay), rad = kr_px(s, 8, 3);
    if (!ks_netpol_enforced(sim) || s->lay.level == KR_CARD_DOT)
        return;
    for (i = 0; i < s->lay.npod; i++) {
        const kr_pod_place *p = &s->lay.pod[i];
        const ks_pod *pod = ks_cluster_pod(sim, p->pod);
        kr_rect r = p->r;
        if (r.w <= 0 || !pod || !ks_netpol_isolated(sim, pod, false))
            continue;
        /* a dark bar across the card's top edge: what comes in stops at it
         * unless a rule lets it through */
        kr_round_fill(s->g, (kr_rect){r.x + rad / 2, r.y - th / 2, r.w - rad, th}, th / 2,
                      KR_C_BAR);
    }
}

bool kr_enforce_marks(const kr_scene *s, ks_id pod, const char *left, kr_wall_marks *out)
{
    return kr_layout_wall_marks(&s->lay, kr_layout_find_pod(&s->lay, pod), kr_text_measure, s->t,
                                left, out);
}

bool kr_enforce_policy_rect(const kr_scene *s, ks_id pod, kr_rect *out)
{
    const kr_pod_place *p = kr_layout_find_pod(&s->lay, pod);
    kr_wall_marks m;
    if (!p)
        return false;
    if (kr_enforce_marks(s, pod, NULL, &m))      /* the ring in the band above its wall */
        *out = (kr_rect){m.cx - m.ring, m.cy - m.ring, 2 * m.ring, 2 * m.ring};
    else                                               /* a dot, or its box */
        *out = kr_scene_pod_rect(s, p);
    return true;
}
