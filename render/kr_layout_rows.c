/* kr_layout_rows.c -- the rows of the cluster picture above and below the
 * node boxes: traffic and Ingresses (their rules whole, broken onto more
 * lines rather than cut) with the CronJob cards at the row's right end,
 * the Service pills (wrapping onto a second row before their names are
 * shortened), the storage band with its disks, and the HPA cards in the
 * strips at the top of the node boxes.
 * Rows the run has seen stay while their objects come and go
 * (kr_layout_seen), so the boxes below do not move.
 * Depends on: kr_layouti, kr_batch. No SDL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_batch.h"
#include "kr_layouti.h"
#include "autoscale/ks_hpa.h"
#include "core/ks_mem.h"

/* ---------------------------------------------------------------------------
 * Ingress rules as lines
 * ------------------------------------------------------------------------- */
int kr_layout_ingress_lines(const ks_object *ing, kr_measure_fn measure, void *ud, int px, int w,
                            char (*lines)[200], int max)
{
    static const char *const breaks[] = {" \xE2\x86\x92 ", " as "};   /* " → ", " as " */
    char rule[196];
    size_t i;
    int n = 0;
    for (i = 0; n < max && kr_ingress_rule_text(ing, i, rule, sizeof rule); i++) {
        const char *s = rule;
        int b = 0;
        /* the whole rule, else break before "→", then before "as" */
        while (*s && n < max) {
            const char *cut = NULL;
            char piece[200];
            int pw;
            snprintf(piece, sizeof piece, "%s%s", s == rule ? "" : "  ", s);
            pw = measure ? measure(ud, KR_FACE_MONO, px, piece)
                         : kr_layout_estimate(KR_FACE_MONO, px, piece);
            for (; pw > w && b < 2 && !cut; b++)
                cut = strstr(s, breaks[b]);
            if (cut && cut != s) {
                snprintf(lines[n++], sizeof lines[0], "%s%.*s", s == rule ? "" : "  ",
                         (int)(cut - s), s);
                s = cut + 1;                 /* the next line starts at its arrow */
                continue;
            }
            snprintf(lines[n++], sizeof lines[0], "%s", piece);
            break;
        }
    }
    return n;
}

/* ---------------------------------------------------------------------------
 * Traffic and Ingresses
 * ------------------------------------------------------------------------- */
#define MAX_RULE_LINES 6

int kr_hpa_square(const kr_layout *l)
{
    return kr_imax(8, kr_iround(l->font.body * 1.05));
}

int kr_hpa_squares_w(const kr_layout *l, int max)
{
    return kr_imin(kr_imax(max, 1), KR_HPA_SQUARES) * kr_hpa_square(l);
}

int kr_hpa_pad(const kr_layout *l)
{
    return kr_iround(l->font.body * 0.6);
}

int kr_hpa_line1(const kr_layout *l)
{
    return kr_iround(l->font.heading * 1.45);
}

int kr_hpa_line2(const kr_layout *l)
{
    return kr_iround(l->font.body * 1.5);
}

int kr_hpa_card_h(const kr_layout *l)
{
    return kr_hpa_pad(l) + kr_hpa_line1(l) + kr_hpa_line2(l);
}

ks_id kr_pod_hpa(const ks_sim *sim, const ks_pod *p)
{
    ks_id o = p->owner ? p->owner : ks_cluster_owner(sim, p->id), h;
    const ks_replicaset *rs;
    if (!o || !ks_cluster_next(sim, KS_KIND_HPA, 0))
        return 0;
    h = ks_hpa_of_target(sim, o);
    if (!h && (rs = ks_cluster_rs(sim, o)) != NULL && rs->owner)
        h = ks_hpa_of_target(sim, rs->owner);
    return h;
}

/* A card's natural width: its widest line, measured with the widest
 * figures it can show (so it keeps its size); with "→ Deployment/name"
 * after the metric when target. */
static int hpa_natural(const kr_layout *l, const kr_layout_input *in, const kr_hpa_view *v,
                       bool target)
{
    const kr_fonts *f = &l->font;
    int pad = kr_hpa_pad(l), w1, w2;
    char widest[96];
    snprintf(widest, sizeof widest, "%d \xE2\x86\x92 %d pods \xC2\xB7 min %d \xC2\xB7 max %d",
             (int)v->max, (int)v->max, (int)v->min, (int)v->max);
    w1 = kr_measure(in, KR_FACE_BOLD, f->heading, v->head) + f->body + KR_HPA_BAR_EM * f->body
         + pad
         + kr_imax(kr_measure(in, KR_FACE_BOLD, f->heading, v->metric),
                   kr_measure(in, KR_FACE_BOLD, f->heading, "cpu 9999% / 100%"));
    if (target)
        w1 += f->body + kr_measure(in, KR_FACE_SANS, f->small, v->target);
    w2 = kr_hpa_squares_w(l, v->max) + pad + kr_measure(in, KR_FACE_SANS, f->body, widest);
    return kr_imax(w1, w2) + 2 * pad;
}

void kr_rows_hpa(kr_layout *l, const ks_sim *sim, const kr_layout_input *in)
{
    enum { MAX_HPA = 8 };
    ks_id ids[MAX_HPA], id = 0;
    int box[MAX_HPA], nat[MAX_HPA], full[MAX_HPA], n = 0, k, j, first = -1;
    int count[MAX_HPA][64];
    size_t i, b;
    if (l->hpa_in_row)
        return;                      /* placed with the Ingress row */
    l->nhpa = 0;
    if (!l->hpa_strip)
        return;
    for (b = 0; b < l->nbox && first < 0; b++)
        if (l->box[b].hpa.h > 0 && !l->box[b].future)
            first = (int)b;
    if (first < 0)
        return;
    while ((id = ks_cluster_next(sim, KS_KIND_HPA, id)) != 0 && n < MAX_HPA) {
        kr_hpa_view v;
        if (!kr_hpa_view_of(sim, id, &v))
            continue;
        ids[n] = id;
        nat[n] = hpa_natural(l, in, &v, false);
        full[n] = hpa_natural(l, in, &v, true);
        n++;
    }
    /* each card goes to the box with most of the pods its HPA scales (the
     * layout found each pod's HPA once: kr_pod_place.hpa) */
    memset(count, 0, sizeof count);
    for (i = 0; i < l->npod; i++) {
        int bx = l->pod[i].box;
        if (!l->pod[i].hpa || bx >= 64 || l->box[bx].hpa.h <= 0)
            continue;
        for (k = 0; k < n && ids[k] != l->pod[i].hpa; k++)
            ;
        if (k < n)
            count[k][bx]++;
    }
    for (k = 0; k < n; k++) {
        int best = first;
        for (b = 0; b < l->nbox && b < 64; b++)
            if (count[k][b] > count[k][best])
                best = (int)b;
        box[k] = best;
    }
    /* each box's cards from the left of its strip, with their targets when
     * all fit, else without; more than fit: the narrow ones keep their
     * width and the wide ones share the rest (their text cut at the end) */
    for (b = 0; b < l->nbox; b++) {
        kr_rect st = l->box[b].hpa;
        int used = 0, used_nat = 0, cnt = 0, x = st.x, cap;
        int gap = l->box[b].gap > 0 ? l->box[b].gap : kr_hpa_pad(l);
        for (k = 0; k < n; k++)
            if (box[k] == (int)b) {
                used += full[k] + (cnt ? gap : 0);
                used_nat += nat[k] + (cnt ? gap : 0);
                cnt++;
            }
        if (!cnt)
            continue;
        cap = used_nat <= st.w ? st.w : (st.w - (cnt - 1) * gap) / cnt;
        for (;;) {                    /* water-filling: give unused room back */
            int room = st.w - (cnt - 1) * gap, wide = 0, ncap;
            for (k = 0; k < n; k++)
                if (box[k] == (int)b) {
                    room -= kr_imin(nat[k], cap);
                    wide += nat[k] > cap;
                }
            if (!wide || room < wide || (ncap = cap + room / wide) <= cap)
                break;
            cap = ncap;
        }
        for (k = 0; k < n; k++) {
            int w;
            if (box[k] != (int)b)
                continue;
            w = used <= st.w ? full[k] : kr_imin(nat[k], cap);
            if (w <= 0
                || ks_mem_grow(NULL, (void **)&l->hpa, &l->cap_hpa, l->nhpa + 1, sizeof(kr_place)))
                break;
            j = (int)l->nhpa++;
            l->hpa[j].id = ids[k];
            l->hpa[j].pv = 0;
            l->hpa[j].r = kr_rect_make(x, st.y, kr_imin(w, st.x + st.w - x), st.h);
            x += w + gap;
        }
    }
}

/* The height of the cards at the right of the Ingress row (HPA and
 * CronJob cards alike): a heading line, a line as large as the heading with
 * a bar, a line of body text. */
static int side_card_h(const kr_layout *l)
{
    const kr_fonts *f = &l->font;
    return 2 * kr_iround(f->body * 0.6) + kr_iround(f->heading * 1.35)
           + kr_iround(f->heading * 1.5) + kr_iround(f->body * 1.5);
}

/* Places n cards of natural widths nat (ids) from x leftwards, none left
 * of left, into *arr: more than fits, each gets an equal share (its text
 * cut at the end), and those that would be narrower than minw go. Returns
 * where the first one begins, less the margin m (x when there is none). */
static int place_right(kr_place **arr, size_t *cap, size_t *count, const ks_id *ids, int *nat,
                       int n, int minw, int y, int h, int m, int x, int left)
{
    int used = 0, k;
    *count = 0;
    for (k = 0; k < n; k++)
        used += nat[k] + (k ? m : 0);
    while (n > 0 && used > x - left) {
        int share = (x - left - (n - 1) * m) / n;
        if (share >= minw) {
            for (k = 0; k < n; k++)
                nat[k] = kr_imin(nat[k], share);
            break;
        }
        n--;
        used -= nat[n] + (n ? m : 0);
    }
    for (k = 0; k < n; k++) {
        if (ks_mem_grow(NULL, (void **)arr, cap, *count + 1, sizeof(kr_place)))
            break;
        x -= nat[k];
        (*arr)[*count].id = ids[k];
        (*arr)[*count].pv = 0;
        (*arr)[*count].r = kr_rect_make(x, y, nat[k], h);
        (*count)++;
        x -= m;
    }
    return x;
}

/* The CronJob cards, from x leftwards, none left of left: each as wide as
 * its widest line (kr_cron_view_of: its name and schedule; the wait's bar
 * and the next run; the clock now and its active Jobs), measured with the
 * widest figures it can show so the card keeps its size. Returns where the
 * first one begins, less the margin (x when there is none); their height
 * in *h (kept while the run has seen a CronJob, so the rows below stay
 * put). */
static int cron_cards(kr_layout *l, const ks_sim *sim, const kr_layout_input *in,
                      const kr_layout_seen *seen, int y, int m, int x, int left, int *h)
{
    const kr_fonts *f = &l->font;
    int pad = kr_iround(f->body * 0.6), nat[8], n = 0;
    ks_id id = 0, ids[8];
    l->ncron = 0;
    *h = seen->cronjobs ? side_card_h(l) : 0;
    if (!seen->cronjobs)
        return x;
    while ((id = ks_cluster_next(sim, KS_KIND_CRONJOB, id)) != 0 && n < 8) {
        kr_cron_view v;
        int w1, w2, w3;
        if (!kr_cron_view_of(sim, id, &v))
            continue;
        w1 = kr_measure(in, KR_FACE_BOLD, f->heading, v.head) + f->body
             + kr_measure(in, KR_FACE_MONO, f->body, v.schedule);
        w2 = KR_CRON_BAR_EM * f->body + pad
             + kr_measure(in, KR_FACE_BOLD, f->heading, kr_cron_widest_next) + f->body / 2
             + kr_measure(in, KR_FACE_SANS, f->body, kr_cron_widest_in);
        w3 = kr_measure(in, KR_FACE_SANS, f->body, kr_cron_widest_line);
        ids[n] = id;
        nat[n] = kr_imin(kr_imax(w1, kr_imax(w2, w3)) + 2 * pad, l->main.w);
        n++;
    }
    return place_right(&l->cron, &l->cap_cron, &l->ncron, ids, nat, n,
                       (KR_CRON_BAR_EM + 10) * f->body, y, *h, m, x, left);
}

/* The HPA cards at the right end of the Ingress row, when no node box is
 * wide enough for its strip (kr_layout.hpa_in_row; kr_layout.h), the same
 * way as the CronJob cards; their height in *h. */
static int hpa_row_cards(kr_layout *l, const ks_sim *sim, const kr_layout_input *in,
                         const kr_layout_seen *seen, int y, int m, int x, int left, int *h)
{
    int nat[8], n = 0;
    ks_id id = 0, ids[8];
    *h = 0;
    if (!l->hpa_in_row)
        return x;
    l->nhpa = 0;
    if (!seen->hpas)
        return x;
    *h = kr_hpa_card_h(l);
    while ((id = ks_cluster_next(sim, KS_KIND_HPA, id)) != 0 && n < 8) {
        kr_hpa_view v;
        if (!kr_hpa_view_of(sim, id, &v))
            continue;
        ids[n] = id;
        nat[n++] = kr_imin(hpa_natural(l, in, &v, true), l->main.w);
    }
    return place_right(&l->hpa, &l->cap_hpa, &l->nhpa, ids, nat, n,
                       (KR_HPA_BAR_EM + 6) * l->font.body, y, *h, m, x, left);
}

/* The traffic box and the cards at the right take the row's height. */
static void side_cards_h(kr_layout *l, int rowh)
{
    size_t i;
    for (i = 0; i < l->ncron; i++)
        l->cron[i].r.h = rowh;
    l->traffic.h = l->traffic.w ? rowh : 0;
}

int kr_rows_ingress(kr_layout *l, const ks_sim *sim, const kr_layout_input *in,
                    const kr_layout_seen *seen, int y, int m)
{
    const kr_fonts *f = &l->font;
    int pad = kr_iround(f->body * 0.6), rowh = 0, x = l->main.x, avail, right, cron_h, hpa_h;
    ks_id id = 0;
    size_t i;
    char lines[MAX_RULE_LINES][200];
    l->ning = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_INGRESS, id)) != 0) {
        const ks_object *o = ks_cluster_object(sim, id);
        if (!o || ks_mem_grow(NULL, (void **)&l->ing, &l->cap_ing, l->ning + 1, sizeof(kr_place)))
            continue;
        l->ing[l->ning].id = id;
        l->ing[l->ning].pv = 0;
        l->ning++;
    }
    if (in->traffic || seen->ingresses) {
        int tw = kr_imax(kr_measure(in, KR_FACE_BOLD, f->body, "Traffic"),
                         kr_measure(in, KR_FACE_SANS, f->small, "1000.0 req/s")) + 2 * pad;
        rowh = kr_iround(f->body * 3.2);
        l->traffic = kr_rect_make(x, y, tw, rowh);
        x += tw + 4 * m;
    } else {
        l->traffic = kr_rect_make(x, y, 0, 0);
    }
    right = hpa_row_cards(l, sim, in, seen, y, m, l->main.x + l->main.w, x, &hpa_h);
    right = cron_cards(l, sim, in, seen, y, m, right, x, &cron_h);
    cron_h = kr_imax(cron_h, hpa_h);
    if (l->ncron || (l->hpa_in_row && l->nhpa))
        right -= 3 * m;
    else
        right = l->main.x + l->main.w;
    if (!l->ning) {
        rowh = kr_imax(rowh, cron_h);
        side_cards_h(l, rowh);
        return rowh;
    }
    /* each Ingress as wide as its longest rule on one line when they all
     * fit; else the narrow ones keep theirs and the wide ones share the
     * rest (water-filling), their rules broken onto more lines rather than
     * losing their ends */
    avail = right - x - (int)(l->ning - 1) * m;
    if (avail < (int)l->ning * 8 * f->body) {    /* no room for them all: the first ones */
        l->ning = (size_t)kr_imax(1, (avail + m) / (8 * f->body + m));
        avail = right - x - (int)(l->ning - 1) * m;
    }
    {
        int nat[16], wide = 0, k, cap;
        size_t nn = l->ning < 16 ? l->ning : 16;
        l->ning = nn;
        for (i = 0; i < nn; i++) {
            const ks_object *o = ks_cluster_object(sim, l->ing[i].id);
            char head[200];
            int n = kr_layout_ingress_lines(o, in->measure, in->measure_ud, f->small, 1 << 20,
                                            lines, MAX_RULE_LINES);
            snprintf(head, sizeof head, "Ingress \xC2\xB7 %s", o->meta.name);
            nat[i] = kr_measure(in, KR_FACE_BOLD, f->heading, head);
            for (k = 0; k < n; k++)
                nat[i] = kr_imax(nat[i], kr_measure(in, KR_FACE_MONO, f->small, lines[k]));
            nat[i] += 2 * pad;
        }
        cap = avail / (int)nn;
        for (;;) {                    /* water-filling: give unused room back */
            int used = 0, ncap;
            wide = 0;
            for (i = 0; i < nn; i++) {
                used += kr_imin(nat[i], cap);
                wide += nat[i] > cap;
            }
            if (!wide || avail - used < wide)
                break;
            ncap = cap + (avail - used) / wide;
            if (ncap <= cap)
                break;
            cap = ncap;
        }
        for (i = 0; i < nn; i++) {
            const ks_object *o = ks_cluster_object(sim, l->ing[i].id);
            int w = kr_imin(nat[i], cap);
            int n = kr_layout_ingress_lines(o, in->measure, in->measure_ud, f->small, w - 2 * pad,
                                            lines, MAX_RULE_LINES);
            l->ing[i].r = kr_rect_make(x, y, w, 0);
            l->ing[i].lines = n;
            rowh = kr_imax(rowh, 2 * pad + kr_iround(f->heading * 1.3)
                                     + kr_iround((double)kr_imax(1, n) * f->small * 1.4));
            x += w + m;
            kr_layout_index_set(l, l->ing[i].id, KR_IX_ING, i);
        }
    }
    rowh = kr_imax(rowh, cron_h);
    for (i = 0; i < l->ning; i++)
        l->ing[i].r.h = rowh;
    side_cards_h(l, rowh);
    return rowh;
}

/* ---------------------------------------------------------------------------
 * Service pills
 * ------------------------------------------------------------------------- */
/* The x at which a vertical line from pill i passes no other pill, going
 * down (dir > 0: to the nodes) or up (dir < 0: to the Ingress): its middle
 * when free, else the free x in its span nearest the middle (-1: none). */
static int clear_x(const kr_layout *l, size_t i, int m, int dir)
{
    kr_rect p = l->svc[i].r;
    int best = -1, x, mid = p.x + p.w / 2, step = kr_imax(1, m / 2);
    for (x = p.x + m; x <= p.x + p.w - m; x += step) {
        size_t k;
        bool free_x = true;
        for (k = 0; k < l->nsvc && free_x; k++)
            if ((dir > 0 ? l->svc[k].r.y > p.y : l->svc[k].r.y < p.y)
                && x >= l->svc[k].r.x - 2 && x <= l->svc[k].r.x + l->svc[k].r.w + 2)
                free_x = false;
        if (free_x && (best < 0 || abs(x - mid) < abs(best - mid)))
            best = x;
    }
    return best;
}

int kr_rows_services(kr_layout *l, const ks_sim *sim, const kr_layout_input *in, int y, int m,
                     int max_rows)
{
    const kr_fonts *f = &l->font;
    int ph = kr_iround(f->body * 1.3) + kr_iround(f->small * 1.25) + kr_iround(f->body * 0.5);
    int pad = kr_iround(f->body * 0.8), rows = 0, minw, x, total_w = 0, rows_full;
    int more_w = kr_measure(in, KR_FACE_BOLD, f->body, "+999 more") + 2 * pad;
    size_t total, i, first, k;
    ks_id id = 0;
    int *nat = NULL;
    l->nsvc = l->svc_hidden = 0;
    l->svc_more = kr_rect_make(0, 0, 0, 0);
    /* every Service with its natural width */
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *s = ks_cluster_service(sim, id);
        char name[160], rest[64];
        int *nn;
        if (!s || !kr_service_drawn(s->obj))
            continue;                 /* not the app's: the cluster's own */
        if (ks_mem_grow(NULL, (void **)&l->svc, &l->cap_svc, l->nsvc + 1, sizeof(kr_place)))
            break;
        nn = realloc(nat, (l->nsvc + 1) * sizeof *nat);
        if (!nn)
            break;
        nat = nn;
        kr_service_labels(s, name, sizeof name, rest, sizeof rest);
        nat[l->nsvc] = kr_imin(2 * pad + kr_imax(kr_measure(in, KR_FACE_BOLD, f->body, name),
                                                 kr_measure(in, KR_FACE_SANS, f->small, rest)),
                               l->main.w);
        total_w += nat[l->nsvc] + m;
        l->svc[l->nsvc].id = id;
        l->svc[l->nsvc].pv = 0;
        l->nsvc++;
    }
    total = l->nsvc;
    if (!total) {
        free(nat);
        return 0;
    }
    /* natural widths, wrapping onto a second row before names shrink; when
     * even the rows do not hold them, every pill of a row gets an equal
     * share (long names lose their last words) */
    minw = kr_imin(7 * f->body, l->main.w);
    rows_full = total_w <= l->main.w + m ? 1 : max_rows;
    for (first = 0; first < total && rows < rows_full; rows++) {
        size_t n = 0;
        int used = 0, last_row = rows == rows_full - 1;
        while (first + n < total && used + nat[first + n] <= l->main.w) {
            used += nat[first + n] + m;
            n++;
        }
        if (last_row && first + n < total) {
            /* the rest share the last row, at least minw each, "+N more" after */
            size_t left = total - first;
            n = (size_t)kr_imax(1, (l->main.w + m) / (minw + m));
            if (n < left) {
                while (n > 1 && (int)n * (minw + m) + more_w > l->main.w)
                    n--;
            } else {
                n = left;
            }
        }
        if (!n)
            n = 1;
        x = l->main.x;
        {
            int natural = 0, share;
            for (k = first; k < first + n; k++)
                natural += nat[k];
            share = (l->main.w - (int)(n - 1) * m
                     - (last_row && first + n < total ? more_w + m : 0)) / (int)n;
            for (k = first; k < first + n; k++) {
                int w = natural + (int)(n - 1) * m <= l->main.w ? nat[k] : kr_imin(nat[k], share);
                l->svc[k].r = kr_rect_make(x, y + rows * (ph + m), w, ph);
                x += w + m;
            }
        }
        first += n;
        if (first < total && last_row) {
            l->svc_hidden = total - first;
            l->svc_more = kr_rect_make(x, y + rows * (ph + m), more_w, ph);
        }
    }
    l->nsvc = first;
    for (i = 0; i < l->nsvc; i++) {
        kr_layout_index_set(l, l->svc[i].id, KR_IX_SVC, i);
        l->svc[i].drop = clear_x(l, i, m, 1);
        l->svc[i].rise = clear_x(l, i, m, -1);
    }
    free(nat);
    return rows * ph + (rows - 1) * m;
}

/* ---------------------------------------------------------------------------
 * Storage band
 * ------------------------------------------------------------------------- */
static void disk_text(const ks_sim *sim, ks_id pvc, ks_id pv, char *buf, size_t n)
{
    const ks_pv *v = pv ? ks_cluster_pv(sim, pv) : NULL;
    const ks_pvc *c = pvc ? ks_cluster_pvc(sim, pvc) : NULL;
    char cap[32] = "", modes[32] = "";
    if (v) {
        kr_bytes_format(v->capacity, cap, sizeof cap);
        ks_access_modes_format(v->access, modes, sizeof modes);
        snprintf(buf, n, "%s \xC2\xB7 %s \xC2\xB7 %s \xC2\xB7 %s", v->name, cap, modes, v->phase);
    } else if (c && c->obj) {
        kr_bytes_format(c->obj->u.pvc.request, cap, sizeof cap);
        ks_access_modes_format(c->obj->u.pvc.access, modes, sizeof modes);
        snprintf(buf, n, "%s \xC2\xB7 %s \xC2\xB7 %s", cap, modes, c->phase);
    } else {
        snprintf(buf, n, "volume");
    }
}

static int add_disk(kr_layout *l, ks_id id, ks_id pv)
{
    if (ks_mem_grow(NULL, (void **)&l->disk, &l->cap_disk, l->ndisk + 1, sizeof(kr_place)))
        return -1;
    memset(&l->disk[l->ndisk], 0, sizeof(kr_place));
    l->disk[l->ndisk].id = id;
    l->disk[l->ndisk].pv = pv;
    l->ndisk++;
    return 0;
}

int kr_rows_storage_collect(kr_layout *l, const ks_sim *sim, const kr_layout_seen *seen,
                            bool compact)
{
    ks_id id = 0;
    l->ndisk = l->disk_hidden = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_PVC, id)) != 0) {
        const ks_pvc *c = ks_cluster_pvc(sim, id);
        if (c)
            add_disk(l, id, c->pv);
    }
    while ((id = ks_cluster_next(sim, KS_KIND_PV, id)) != 0) {
        const ks_pv *v = ks_cluster_pv(sim, id);
        if (v && (!v->claim || !ks_cluster_pvc(sim, v->claim)))
            add_disk(l, id, id);
    }
    if (!l->ndisk && !seen->volumes)
        return 0;
    return kr_iround(l->font.heading * 1.5) + kr_iround(l->font.body * (compact ? 2.6 : 4.4))
           + kr_iround(l->font.body * 0.9);
}

void kr_rows_storage_place(kr_layout *l, const ks_sim *sim, const kr_layout_input *in, int y,
                           int h, int m)
{
    const kr_fonts *f = &l->font;
    int pad = kr_iround(f->body * 0.6), head = kr_iround(f->heading * 1.5);
    int dy = y + head, dh = h - head - pad, x, right, minw = 12 * f->body;
    size_t i, fit;
    int total = 0, *wants = NULL;
    l->storage = kr_rect_make(l->main.x, y, l->main.w, h);
    l->storage_title = l->storage.x + pad + kr_measure(in, KR_FACE_BOLD, f->heading, "Storage");
    x = l->storage.x + pad;
    right = l->storage.x + l->storage.w - pad;
    if (!l->ndisk)
        return;
    wants = malloc(l->ndisk * sizeof *wants);
    if (!wants) {
        l->ndisk = 0;
        return;
    }
    for (i = 0; i < l->ndisk; i++) {
        char t[300];
        disk_text(sim, l->disk[i].id == l->disk[i].pv ? 0 : l->disk[i].id, l->disk[i].pv, t,
                  sizeof t);
        wants[i] = kr_imin(kr_imax(kr_measure(in, KR_FACE_BOLD, f->small, t) + 4 * pad, minw),
                           24 * f->body);
        total += wants[i] + m;
    }
    /* shrink towards the minimum, then hide what still does not fit */
    for (fit = l->ndisk; fit > 0 && (int)fit * (minw + m) > right - x + m; fit--)
        ;
    l->disk_hidden = l->ndisk - fit;
    if (l->disk_hidden && fit > 0 && (int)fit * (minw + m) + 3 * f->body > right - x + m) {
        fit--;
        l->disk_hidden++;
    }
    for (i = 0; i < fit; i++) {
        int w = wants[i];
        if (total > right - x + m)
            w = kr_imax(minw, (right - l->storage.x - pad - (int)(fit - 1) * m
                               - (l->disk_hidden ? 3 * f->body : 0)) / (int)fit);
        w = kr_imin(w, right - x);
        l->disk[i].r = kr_rect_make(x, dy, w, dh);
        kr_layout_index_set(l, l->disk[i].id, KR_IX_DISK, i);
        if (l->disk[i].pv && l->disk[i].pv != l->disk[i].id)
            kr_layout_index_set(l, l->disk[i].pv, KR_IX_DISK, i);
        x += w + m;
    }
    l->ndisk = fit;
    free(wants);
}
