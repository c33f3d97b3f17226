/* kr_layout.c -- every rectangle of a frame, from (cluster, window, scale)
 * and the slot state (see kr_layout.h for the picture and the rules).
 *
 * Sizes derive from one unit u (1 at 1280x720, times --scale) through the
 * font sizes, so the whole picture scales together; floors keep small
 * windows legible. Cards are chosen per frame: the largest level at which
 * every box holds all of its slots.
 * Depends on: ks_cluster, kr_status. No SDL.
 */
#include "kr_layout.h"
#include "core/ks_mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_status.h"

enum { IX_POD = 1, IX_SVC, IX_ING, IX_DISK, IX_BOX };

/* ---------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------- */
static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }
static int iround(double v) { return (int)floor(v + 0.5); }

bool kr_rect_overlaps(kr_rect a, kr_rect b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w
           && a.y < b.y + b.h && b.y < a.y + a.h;
}

bool kr_rect_contains(kr_rect a, kr_rect b)
{
    return b.x >= a.x && b.y >= a.y && b.x + b.w <= a.x + a.w && b.y + b.h <= a.y + a.h;
}

bool kr_rect_hit(kr_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static kr_rect rect(int x, int y, int w, int h)
{
    kr_rect r;
    r.x = x;
    r.y = y;
    r.w = w < 0 ? 0 : w;
    r.h = h < 0 ? 0 : h;
    return r;
}

int kr_layout_estimate(kr_face face, int px, const char *text)
{
    /* average advance per em of DejaVu on typical UI strings */
    static const double per_em[KR_FACE_COUNT] = {0.56, 0.64, 0.625, 0.625};
    return iround((double)kr_utf8_len(text) * per_em[face] * px);
}

static int measure(const kr_layout_input *in, kr_face f, int px, const char *s)
{
    return in->measure ? in->measure(in->measure_ud, f, px, s) : kr_layout_estimate(f, px, s);
}

static void index_set(kr_layout *l, ks_id id, int kind, size_t i)
{
    if (id < l->index_cap)
        l->index[id] = kind << 28 | (int)(i + 1);
}

static int index_get(const kr_layout *l, ks_id id, int kind)
{
    int v;
    if (id >= l->index_cap)
        return -1;
    v = l->index[id];
    return v && (v >> 28) == kind ? (v & 0x0fffffff) - 1 : -1;
}

void kr_layout_init(kr_layout *l)
{
    memset(l, 0, sizeof *l);
}

void kr_layout_fini(kr_layout *l)
{
    free(l->ing);
    free(l->svc);
    free(l->box);
    free(l->pod);
    free(l->disk);
    free(l->index);
    memset(l, 0, sizeof *l);
}

const kr_pod_place *kr_layout_find_pod(const kr_layout *l, ks_id pod)
{
    int i = index_get(l, pod, IX_POD);
    return i >= 0 ? &l->pod[i] : NULL;
}

const kr_place *kr_layout_find_service(const kr_layout *l, ks_id svc)
{
    int i = index_get(l, svc, IX_SVC);
    return i >= 0 ? &l->svc[i] : NULL;
}

const kr_place *kr_layout_find_disk(const kr_layout *l, ks_id id)
{
    int i = index_get(l, id, IX_DISK);
    return i >= 0 ? &l->disk[i] : NULL;
}

const kr_box *kr_layout_find_box(const kr_layout *l, ks_id node)
{
    int i = index_get(l, node, IX_BOX);
    return i >= 0 ? &l->box[i] : NULL;
}

/* ---------------------------------------------------------------------------
 * Frame: bars, panel, caption
 * ------------------------------------------------------------------------- */
static void fonts(kr_layout *l)
{
    float u = l->u;
    l->font.title = imax(12, iround(22 * u));
    l->font.caption = imax(14, iround(24 * u));
    l->font.heading = imax(12, iround(18 * u));
    l->font.body = imax(11, iround(16 * u));
    l->font.small = imax(10, iround(13 * u));
    l->font.tiny = imax(9, iround(11 * u));
}

static int caption_lines(const kr_layout_input *in, const kr_layout *l, int width)
{
    int wtext;
    if (!in->caption || !*in->caption)
        return 1;
    wtext = measure(in, KR_FACE_BOLD, l->font.caption, in->caption);
    return wtext <= width ? 1 : 2;      /* longer captions are cut at two lines */
}

static void frame(kr_layout *l, const kr_layout_input *in, int m)
{
    const kr_fonts *f = &l->font;
    int bh = iround(f->title * 2.1), b = iround(f->title * 1.45), bw = iround(b * 1.2);
    int clock_w = measure(in, KR_FACE_BOLD, f->title, "t = 00:00.0") + m;
    int speed_w = measure(in, KR_FACE_SANS, f->body, "\xC3\x97" "0.25") + m;
    int x, y, pad = iround(f->caption * 0.45), lines, tl;
    l->topbar = rect(0, 0, l->w, bh);
    l->clock = rect(l->w - m - clock_w, 0, clock_w, bh);
    y = (bh - b) / 2;
    x = l->clock.x - m * 2 - bw;
    l->btn[KR_BTN_HELP] = rect(x, y, bw, b);
    x -= m * 2 + bw;
    l->btn[KR_BTN_FASTER] = rect(x, y, bw, b);
    x -= speed_w;
    l->speed = rect(x, 0, speed_w, bh);
    x -= bw;
    l->btn[KR_BTN_SLOWER] = rect(x, y, bw, b);
    x -= m * 2 + bw;
    l->btn[KR_BTN_STEP] = rect(x, y, bw, b);
    x -= m / 2 + bw;
    l->btn[KR_BTN_PLAY] = rect(x, y, bw, b);
    x -= m / 2 + bw;
    l->btn[KR_BTN_RESTART] = rect(x, y, bw, b);
    l->title = rect(m, 0, imax(0, x - 2 * m), bh);
    if (x < m) {                 /* a very narrow window: controls only */
        l->title.w = 0;
    }
    tl = imax(14, iround(f->small * 2.0));
    l->timeline = rect(0, l->h - tl, l->w, tl);
    lines = caption_lines(in, l, l->w - 2 * m - 2 * pad);
    if (l->h < 30 * f->caption)       /* a short window: captions get one line */
        lines = 1;
    {
        int ch = iround(lines * f->caption * 1.3) + 2 * pad;
        l->caption = rect(m, l->timeline.y - m / 2 - ch, l->w - 2 * m, ch);
    }
}

static void panel(kr_layout *l, const kr_layout_input *in, int m, int y0, int y1)
{
    int pw, h, th, eh;
    if (in->hide_panel || l->w < 560) {
        l->panel = l->table = l->events = l->requests = rect(l->w, y0, 0, 0);
        return;
    }
    pw = iround(l->w * 0.3);
    pw = imin(pw, 26 * l->font.body);
    pw = imax(pw, imin(200, l->w / 3));
    l->panel = rect(l->w - m - pw, y0, pw, y1 - y0);
    h = l->panel.h - 2 * m;
    th = iround(h * 0.47);
    eh = iround(h * 0.30);
    l->table = rect(l->panel.x, y0, pw, th);
    l->events = rect(l->panel.x, y0 + th + m, pw, eh);
    l->requests = rect(l->panel.x, l->events.y + eh + m, pw, y1 - (l->events.y + eh + m));
}

/* ---------------------------------------------------------------------------
 * Rows above the nodes: traffic, Ingress, Services
 * ------------------------------------------------------------------------- */
static int row_ingress(kr_layout *l, const ks_sim *sim, const kr_layout_input *in, int y, int m)
{
    const kr_fonts *f = &l->font;
    int pad = iround(f->body * 0.6), rowh = 0, x = l->main.x, avail;
    ks_id id = 0;
    size_t i;
    l->ning = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_INGRESS, id)) != 0) {
        const ks_object *o = ks_cluster_object(sim, id);
        char line[256], head[200];
        size_t k, nlines;
        int w, h;
        if (!o || ks_mem_grow(NULL, (void **)&l->ing, &l->cap_ing, l->ning + 1, sizeof(kr_place)))
            continue;
        nlines = kr_ingress_rule_count(o);
        if (nlines > 3)
            nlines = 3;
        snprintf(head, sizeof head, "Ingress \xC2\xB7 %s", o->meta.name);
        w = measure(in, KR_FACE_BOLD, f->heading, head);
        for (k = 0; k < nlines && kr_ingress_rule_text(o, k, line, sizeof line); k++)
            w = imax(w, measure(in, KR_FACE_MONO, f->small, line));
        h = 2 * pad + iround(f->heading * 1.3) + iround((double)(nlines ? nlines : 1) * f->small * 1.4);
        l->ing[l->ning].id = id;
        l->ing[l->ning].pv = 0;
        l->ing[l->ning].r = rect(0, y, w + 2 * pad, h);
        l->ning++;
        rowh = imax(rowh, h);
    }
    if (in->traffic) {
        int tw = imax(measure(in, KR_FACE_BOLD, f->body, "Traffic"),
                      measure(in, KR_FACE_SANS, f->small, "1000.0 req/s")) + 2 * pad;
        rowh = imax(rowh, iround(f->body * 3.2));
        l->traffic = rect(x, y, tw, rowh);
        x += tw + 4 * m;
    } else {
        l->traffic = rect(x, y, 0, 0);
    }
    if (!l->ning)
        return in->traffic ? rowh : 0;
    /* share what is left among the Ingresses */
    avail = l->main.x + l->main.w - x - (int)(l->ning - 1) * m;
    for (i = 0; i < l->ning; i++) {
        int w = imin(l->ing[i].r.w, imax(0, avail / (int)(l->ning - i)));
        if (w < 6 * f->body) {          /* no room: hide the rest */
            l->ning = i;
            break;
        }
        l->ing[i].r.x = x;
        l->ing[i].r.w = w;
        l->ing[i].r.h = rowh;
        x += w + m;
        avail -= w;
        index_set(l, l->ing[i].id, IX_ING, i);
    }
    return rowh;
}

static int row_services(kr_layout *l, const ks_sim *sim, const kr_layout_input *in, int y,
                        int m, int max_rows)
{
    const kr_fonts *f = &l->font;
    int ph = iround(f->body * 1.3) + iround(f->small * 1.25) + iround(f->body * 0.5);
    int pad = iround(f->body * 0.8), rows = 0, minw, per_row;
    int more_w = measure(in, KR_FACE_BOLD, f->body, "+999 more") + 2 * pad;
    size_t total = 0, i, first;
    ks_id id = 0;
    int *nat = NULL;
    l->nsvc = l->svc_hidden = 0;
    l->svc_more = rect(0, 0, 0, 0);
    /* every Service with its natural width */
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *s = ks_cluster_service(sim, id);
        char name[160], rest[64];
        int *nn;
        if (!s || !s->obj)
            continue;
        if (ks_mem_grow(NULL, (void **)&l->svc, &l->cap_svc, l->nsvc + 1, sizeof(kr_place)))
            break;
        nn = realloc(nat, (l->nsvc + 1) * sizeof *nat);
        if (!nn)
            break;
        nat = nn;
        kr_service_labels(s, name, sizeof name, rest, sizeof rest);
        nat[l->nsvc] = imin(2 * pad + imax(measure(in, KR_FACE_BOLD, f->body, name),
                                           measure(in, KR_FACE_SANS, f->small, rest)),
                            20 * f->body);
        l->svc[l->nsvc].id = id;
        l->svc[l->nsvc].pv = 0;
        l->nsvc++;
    }
    total = l->nsvc;
    if (!total) {
        free(nat);
        return 0;
    }
    /* pills shrink (long names lose their middle) before they wrap */
    minw = imin(8 * f->body, l->main.w);
    per_row = imax(1, (l->main.w + m) / (minw + m));
    for (first = 0; first < total && rows < max_rows; rows++) {
        size_t n = imin((int)(total - first), per_row), k;
        int avail, cap, x = l->main.x;
        if (rows == max_rows - 1 && first + n < total) {
            /* the last row: leave room for "+N more" */
            while (n > 1 && (int)n * (minw + m) + more_w > l->main.w)
                n--;
        }
        avail = l->main.w - (int)(n - 1) * m
                - (rows == max_rows - 1 && first + n < total ? more_w + m : 0);
        cap = avail / (int)n;
        for (;;) {                    /* water-filling: give unused room back */
            int used = 0, wide = 0, ncap;
            for (k = first; k < first + n; k++) {
                used += imin(nat[k], cap);
                wide += nat[k] > cap;
            }
            if (!wide || avail - used < (int)wide)
                break;
            ncap = cap + (avail - used) / wide;
            if (ncap <= cap)
                break;
            cap = ncap;
        }
        for (k = first; k < first + n; k++) {
            int w = imax(imin(nat[k], cap), imin(minw, cap));
            l->svc[k].r = rect(x, y + rows * (ph + m), w, ph);
            x += w + m;
        }
        first += n;
        if (first < total && rows == max_rows - 1) {
            l->svc_hidden = total - first;
            l->svc_more = rect(x, y + rows * (ph + m), more_w, ph);
        }
    }
    l->nsvc = first;
    for (i = 0; i < l->nsvc; i++)
        index_set(l, l->svc[i].id, IX_SVC, i);
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
    l->disk[l->ndisk].id = id;
    l->disk[l->ndisk].pv = pv;
    l->disk[l->ndisk].r = rect(0, 0, 0, 0);
    l->ndisk++;
    return 0;
}

/* Collects the disks; returns the band height needed (0: none). */
static int storage_collect(kr_layout *l, const ks_sim *sim, bool compact)
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
    if (!l->ndisk)
        return 0;
    return iround(l->font.heading * 1.5) + iround(l->font.body * (compact ? 2.6 : 4.4))
           + iround(l->font.body * 0.9);
}

static void storage_place(kr_layout *l, const ks_sim *sim, const kr_layout_input *in, int y,
                          int h, int m)
{
    const kr_fonts *f = &l->font;
    int pad = iround(f->body * 0.6), head = iround(f->heading * 1.5);
    int dy = y + head, dh = h - head - pad, x, right, minw = 12 * f->body;
    size_t i, fit;
    int total = 0, *wants = NULL;
    l->storage = rect(l->main.x, y, l->main.w, h);
    x = l->storage.x + pad;
    right = l->storage.x + l->storage.w - pad;
    wants = malloc(l->ndisk * sizeof *wants);
    if (!wants) {
        l->ndisk = 0;
        return;
    }
    for (i = 0; i < l->ndisk; i++) {
        char t[300];
        disk_text(sim, l->disk[i].id == l->disk[i].pv ? 0 : l->disk[i].id, l->disk[i].pv, t,
                  sizeof t);
        wants[i] = imin(imax(measure(in, KR_FACE_BOLD, f->small, t) + 4 * pad, minw),
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
            w = imax(minw, (right - l->storage.x - pad - (int)(fit - 1) * m
                            - (l->disk_hidden ? 3 * f->body : 0)) / (int)fit);
        w = imin(w, right - x);
        l->disk[i].r = rect(x, dy, w, dh);
        index_set(l, l->disk[i].id, IX_DISK, i);
        if (l->disk[i].pv && l->disk[i].pv != l->disk[i].id)
            index_set(l, l->disk[i].pv, IX_DISK, i);
        x += w + m;
    }
    l->ndisk = fit;
    free(wants);
}

/* ---------------------------------------------------------------------------
 * Node boxes and pod cards
 * ------------------------------------------------------------------------- */
typedef struct level_geom {
    int h, wmin, wmax, gap;
} level_geom;

static level_geom geom(const kr_layout *l, kr_card_level lv, int dot)
{
    int b = l->font.body;
    level_geom g;
    switch (lv) {
    case KR_CARD_FULL:
        g.h = iround(b * 4.75), g.wmin = iround(b * 10.0), g.wmax = iround(b * 13.5);
        g.gap = iround(b * 0.6);
        break;
    case KR_CARD_MEDIUM:
        g.h = iround(b * 3.1), g.wmin = iround(b * 7.5), g.wmax = iround(b * 11.0);
        g.gap = iround(b * 0.5);
        break;
    case KR_CARD_SMALL:
        g.h = iround(b * 1.9), g.wmin = iround(b * 4.4), g.wmax = iround(b * 6.5);
        g.gap = iround(b * 0.35);
        break;
    default:
        g.h = g.wmin = g.wmax = dot;
        g.gap = imax(2, dot / 4);
        break;
    }
    return g;
}

/* The slot grid of a box for a level; false when nslots do not fit. */
static bool fit_box(const kr_layout *l, kr_box *b, kr_card_level lv, int dot, bool apply)
{
    level_geom g = geom(l, lv, dot);
    kr_rect in = b->inner;
    int cols_max, rows_max, cols, n = imax(1, b->nslots);
    cols_max = (in.w + g.gap) / (g.wmin + g.gap);
    rows_max = (in.h + g.gap) / (g.h + g.gap);
    if (cols_max < 1 || rows_max < 1 || cols_max * rows_max < n) {
        if (!apply)
            return false;
        cols_max = imax(1, cols_max);
        rows_max = imax(0, rows_max);
    }
    cols = imax((n + imax(1, rows_max) - 1) / imax(1, rows_max), (in.w + g.gap) / (g.wmax + g.gap));
    cols = imax(1, imin(cols, cols_max));
    if (apply) {
        b->cols = cols;
        b->rows = rows_max;
        b->gap = g.gap;
        b->cell_h = g.h;
        b->cell_w = lv == KR_CARD_DOT ? dot : imin(g.wmax, (in.w - (cols - 1) * g.gap) / cols);
        b->hidden = imax(0, b->nslots - cols * rows_max);
    }
    return true;
}

static void box_frame(const kr_layout *l, kr_box *b, kr_rect r)
{
    const kr_fonts *f = &l->font;
    int pad = imax(3, iround(f->body * 0.5));
    /* narrow boxes get a one-line small header: name and a status glyph */
    int hh = r.w >= 12 * f->body && r.h >= 4 * f->heading ? iround(f->heading * 1.8)
                                                           : iround(f->small * 1.6);
    if (r.w < 8 * f->body)
        pad = imax(3, pad / 2);
    hh = imin(hh, r.h);
    pad = imin(pad, imax(0, (r.h - hh) / 2));
    b->r = r;
    b->header = rect(r.x + pad, r.y, r.w - 2 * pad, hh);
    b->inner = rect(r.x + pad, r.y + hh, r.w - 2 * pad, r.h - hh - pad);
    /* dots level: the counts per status sit on the header's right, in
     * place of cpu/mem; narrow boxes have no room for them */
    b->counts = r.w >= 14 * f->body ? rect(b->header.x + b->header.w / 3, b->header.y,
                                           b->header.w - b->header.w / 3, b->header.h)
                                    : rect(b->header.x, b->header.y, 0, 0);
}

/* The height a box of width w needs to hold its slots at a level (dot
 * size d); a large number when no column fits. */
static int box_need(const kr_layout *l, const kr_box *b, int w, kr_card_level lv, int d)
{
    kr_box t = *b;
    level_geom g = geom(l, lv, d);
    int cols, rows;
    box_frame(l, &t, rect(0, 0, w, 1 << 20));
    cols = (t.inner.w + g.gap) / (g.wmin + g.gap);
    if (cols < 1)
        return 1 << 24;
    rows = (imax(1, b->nslots) + cols - 1) / cols;
    return t.header.h + (t.r.h - t.header.h - t.inner.h) + rows * (g.h + g.gap) - g.gap;
}

/* Heights of the grid rows for c columns at a level; the total height
 * (with gaps between rows) is returned. */
static int rows_need(const kr_layout *l, int c, int bw, kr_card_level lv, int d, int m, int *need)
{
    int n = (int)l->nbox, r = (n + c - 1) / c, j, k, total = (r - 1) * m;
    for (j = 0; j < r; j++) {
        need[j] = 0;
        for (k = j * c; k < n && k < (j + 1) * c; k++)
            need[j] = imax(need[j], box_need(l, &l->box[k], bw, lv, d));
        total += need[j];
        if (total > 1 << 23)
            return 1 << 24;
    }
    return total;
}

/* The best level (and dot size) for c columns in an area of height h;
 * false when not even the smallest dots fit. */
static bool level_for(const kr_layout *l, int c, int bw, int h, int m, int *need,
                      kr_card_level *lv, int *dot)
{
    int k, d;
    for (k = KR_CARD_FULL; k < KR_CARD_DOT; k++)
        if (rows_need(l, c, bw, (kr_card_level)k, 0, m, need) <= h) {
            *lv = (kr_card_level)k;
            *dot = 0;
            return true;
        }
    for (d = imax(4, iround(l->font.body * 1.1)); d >= 3; d--)
        if (rows_need(l, c, bw, KR_CARD_DOT, d, m, need) <= h) {
            *lv = KR_CARD_DOT;
            *dot = d;
            return true;
        }
    *lv = KR_CARD_DOT;
    *dot = 3;
    return false;
}

/* Boxes in a grid of c columns; each grid row as tall as its fullest box
 * needs, the room left shared out; the arrangement with the largest cards
 * wins (then the biggest dots, then the squarest boxes). */
static void arrange_boxes(kr_layout *l, kr_rect area, int m)
{
    int n = (int)l->nbox, c, best_c = 1, best_score = -(1 << 30), dot = 0, *need;
    kr_card_level lv;
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
        if (level_for(l, c, bw, area.h, m, need, &lv, &dot))
            score = (KR_CARD_LEVELS - (int)lv) * 100000 + (lv == KR_CARD_DOT ? dot * 1000 : 0)
                    + imin(bw, bh * 3) / 4;
        else                          /* nothing fits: the roomiest boxes */
            score = imin(bw, bh * 3) / 4 - 100000;
        if (score > best_score) {
            best_score = score;
            best_c = c;
        }
    }
    {
        int r = (n + best_c - 1) / best_c, bw = (area.w - (best_c - 1) * m) / best_c;
        int total, extra, j, k, y = area.y;
        bool fits = level_for(l, best_c, bw, area.h, m, need, &lv, &dot);
        total = fits ? rows_need(l, best_c, bw, lv, dot, m, need) : area.h;
        extra = area.h - total;
        for (j = 0; j < r; j++) {
            int h = fits ? need[j] + extra / r + (j < extra % r ? 1 : 0)
                         : (area.h - (r - 1) * m) / r;
            for (k = j * best_c; k < n && k < (j + 1) * best_c; k++)
                box_frame(l, &l->box[k],
                          rect(area.x + (k % best_c) * (bw + m), y, imax(bw, 0), imax(h, 0)));
            y += h + m;
        }
        l->level = lv;
        for (k = 0; k < n; k++)
            fit_box(l, &l->box[k], lv, dot, true);
    }
    free(need);
}

static int collect_pods(kr_layout *l, const kr_layout_state *st, const ks_sim *sim)
{
    ks_id id = 0;
    size_t i;
    bool pending = false;
    l->nbox = l->npod = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_NODE, id)) != 0) {
        if (ks_mem_grow(NULL, (void **)&l->box, &l->cap_box, l->nbox + 1, sizeof(kr_box)))
            return -1;
        memset(&l->box[l->nbox], 0, sizeof(kr_box));
        l->box[l->nbox].node = id;
        index_set(l, id, IX_BOX, l->nbox);
        l->nbox++;
    }
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        kr_pod_place *pp;
        ks_id sbox;
        int slot, bi;
        if (!p)
            continue;
        if (ks_mem_grow(NULL, (void **)&l->pod, &l->cap_pod, l->npod + 1, sizeof(kr_pod_place)))
            return -1;
        bi = p->node ? index_get(l, p->node, IX_BOX) : -1;
        if (bi < 0)
            pending = true;
        pp = &l->pod[l->npod++];
        pp->pod = id;
        pp->box = bi;             /* -1: the unscheduled box, resolved below */
        pp->slot = kr_layout_state_slot(st, id, &sbox, &slot) && sbox == p->node ? slot : -1;
        pp->r = rect(0, 0, 0, 0);
    }
    if (pending) {
        if (ks_mem_grow(NULL, (void **)&l->box, &l->cap_box, l->nbox + 1, sizeof(kr_box)))
            return -1;
        memset(&l->box[l->nbox], 0, sizeof(kr_box));
        l->nbox++;
    }
    /* slots: known ones from the state, then unknown pods after them */
    for (i = 0; i < l->npod; i++) {
        kr_pod_place *pp = &l->pod[i];
        if (pp->box < 0)
            pp->box = (int)l->nbox - 1;
        l->box[pp->box].npods++;
        if (pp->slot >= 0)
            l->box[pp->box].nslots = imax(l->box[pp->box].nslots, pp->slot + 1);
    }
    for (i = 0; i < l->npod; i++) {
        kr_pod_place *pp = &l->pod[i];
        if (pp->slot < 0)
            pp->slot = l->box[pp->box].nslots++;
        index_set(l, pp->pod, IX_POD, i);
    }
    return 0;
}

static void place_pods(kr_layout *l)
{
    size_t i;
    for (i = 0; i < l->npod; i++) {
        kr_pod_place *pp = &l->pod[i];
        const kr_box *b = &l->box[pp->box];
        int col, row;
        if (b->cols < 1 || pp->slot >= b->cols * b->rows) {
            pp->r = rect(0, 0, 0, 0);
            continue;
        }
        col = pp->slot % b->cols;
        row = pp->slot / b->cols;
        pp->r = rect(b->inner.x + col * (b->cell_w + b->gap), b->inner.y + row * (b->cell_h + b->gap),
                     b->cell_w, b->cell_h);
    }
}

/* ---------------------------------------------------------------------------
 * The whole frame
 * ------------------------------------------------------------------------- */
int kr_layout_compute(kr_layout *l, const kr_layout_state *st, const ks_sim *sim,
                      const kr_layout_input *in)
{
    double scale = in->scale > 0 ? in->scale : 1.0;
    int m, y = 0, y0, y1, rowa, rowb, band = 0, gap, nodes_h = 0, max_svc_rows = 2, drop;
    ks_id id = 0;
    size_t need = 1;
    l->w = imax(in->w, 64);
    l->h = imax(in->h, 64);
    l->u = (float)(fmin(l->w / 1280.0, l->h / 720.0) * scale);
    fonts(l);
    m = imax(4, iround(12 * l->u));
    gap = imax(4, iround(10 * l->u));
    /* the id index covers every object of the sim */
    while ((id = ks_cluster_next(sim, KS_KIND_NODE, id)) != 0)
        need = id + 1;
    {
        static const ks_kind kinds[] = {KS_KIND_POD, KS_KIND_SERVICE, KS_KIND_INGRESS,
                                        KS_KIND_PVC, KS_KIND_PV};
        size_t k;
        for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            ks_id last = 0;
            id = 0;
            while ((id = ks_cluster_next(sim, kinds[k], id)) != 0)
                last = id;
            if (last + 1 > need)
                need = last + 1;
        }
    }
    if (ks_mem_grow(NULL, (void **)&l->index, &l->index_cap, need, sizeof(int)))
        return -1;
    memset(l->index, 0, l->index_cap * sizeof(int));

    frame(l, in, m);
    y0 = l->topbar.h + m;
    y1 = l->caption.y - m;
    panel(l, in, m, y0, y1);
    l->main = rect(m, y0, (l->panel.w ? l->panel.x - m : l->w - m) - m, y1 - y0);

    /* rows from the top; the storage band at the bottom; nodes between.
     * The nodes come first: when they would get less than a quarter of the
     * picture (or 5 lines), the storage band goes, then the Ingress row,
     * then the second row of Services, then the Services. */
    for (drop = 0; drop < 5; drop++) {
        int want = imax(5 * l->font.body, l->main.h / 4);
        y = l->main.y;
        rowa = drop < 2 ? row_ingress(l, sim, in, y, m) : 0;
        if (!rowa) {
            l->ning = 0;
            l->traffic = rect(l->main.x, y, 0, 0);
        }
        if (rowa)
            y += rowa + gap + iround(l->font.body * 0.6);
        band = drop < 1 ? storage_collect(l, sim, l->main.h < 24 * l->font.body) : 0;
        if (!band)
            l->ndisk = l->disk_hidden = 0;
        max_svc_rows = drop >= 3 || l->main.h < 20 * l->font.body ? 1 : 2;
        rowb = drop < 4 ? row_services(l, sim, in, y, gap, max_svc_rows) : 0;
        if (!rowb) {
            l->nsvc = l->svc_hidden = 0;
            l->svc_more = rect(0, 0, 0, 0);
        }
        if (rowb)
            y += rowb + gap + iround(l->font.body * 0.4);
        nodes_h = l->main.y + l->main.h - y - (band ? band + gap : 0);
        if (nodes_h >= want)
            break;
    }
    if (drop == 5)                    /* it all went: the nodes take what there is */
        drop = 4;
    l->nodes = rect(l->main.x, y, l->main.w, nodes_h);
    if (band)
        storage_place(l, sim, in, l->nodes.y + l->nodes.h + gap, band, m);
    else
        l->storage = rect(l->main.x, l->main.y + l->main.h, l->main.w, 0);

    if (collect_pods(l, st, sim))
        return -1;
    arrange_boxes(l, l->nodes, m);
    place_pods(l);
    return 0;
}
