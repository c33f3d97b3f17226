/* kr_hit.c -- what is where on screen beyond the layout (see kr_hit.h):
 * geometry the drawing passes draw at and input hits, computed in one
 * place so the two never disagree. No drawing here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kr_hit.h"
#include "kr_status.h"
#include "core/ks_event.h"

/* ---------------------------------------------------------------------------
 * Menu
 * ------------------------------------------------------------------------- */
int kr_hit_menu_items(const kr_scene *s, const ks_sim *sim, const char *labels[KR_MENU_MAX],
                     char keys[KR_MENU_MAX])
{
    const ks_node *n;
    if (s->view.sel == KR_SEL_POD && ks_cluster_pod(sim, s->view.sel_id)) {
        labels[0] = "Kill container (exit 1)";
        keys[0] = 'K';
        labels[1] = "Delete pod";
        keys[1] = 'D';
        labels[2] = "Describe and logs";
        keys[2] = 'L';
        return 3;
    }
    if (s->view.sel == KR_SEL_NODE && (n = ks_cluster_node(sim, s->view.sel_id)) != NULL) {
        labels[0] = n->down ? "Recover node" : "Fail node";
        keys[0] = 'F';
        labels[1] = n->unschedulable ? "Uncordon" : "Cordon";
        keys[1] = 'C';
        labels[2] = "Drain (cordon, evict pods)";
        keys[2] = 'X';
        return 3;
    }
    return 0;
}

/* The rect of the thing selected, as drawn. */
static bool sel_rect(kr_scene *s, kr_rect *r)
{
    if (s->view.sel == KR_SEL_POD) {
        const kr_pod_place *p = kr_layout_find_pod(&s->lay, s->view.sel_id);
        if (!p)
            return false;
        *r = p->r.w ? kr_scene_pod_rect(s, p) : s->lay.box[p->box].r;
        return true;
    }
    if (s->view.sel == KR_SEL_NODE) {
        const kr_box *b = kr_layout_find_box(&s->lay, s->view.sel_id);
        int w = 11 * s->lay.font.heading;
        if (!b)
            return false;
        *r = b->header;                    /* the name and its status, not the usage */
        r->w = r->w < w ? r->w : w;
        return true;
    }
    return false;
}

const char *kr_hit_menu_title(const kr_scene *s, const ks_sim *sim)
{
    const ks_pod *p = s->view.sel == KR_SEL_POD ? ks_cluster_pod(sim, s->view.sel_id) : NULL;
    const ks_node *n = s->view.sel == KR_SEL_NODE ? ks_cluster_node(sim, s->view.sel_id) : NULL;
    return p ? p->name : n ? n->name : "";
}

kr_rect kr_hit_menu_rect(kr_scene *s, const ks_sim *sim)
{
    const char *labels[KR_MENU_MAX];
    char keys[KR_MENU_MAX];
    const kr_fonts *f = &s->lay.font;
    int n = kr_hit_menu_items(s, sim, labels, keys), w, i, ih = (int)lround(f->body * 1.9);
    int pad = kr_px(s, 10, 4);
    kr_rect at, r = {0, 0, 0, 0};
    if (!s->view.menu || !n || !sel_rect(s, &at))
        return r;
    /* the whole name of what it acts on, then the actions */
    w = kr_text_width(s->t, KR_FACE_MONO_BOLD, f->small, kr_hit_menu_title(s, sim)) - 3 * f->body;
    for (i = 0; i < n; i++) {
        int lw = kr_text_width(s->t, KR_FACE_SANS, f->body, labels[i]);
        w = lw > w ? lw : w;
    }
    r.w = w + 2 * pad + 3 * f->body;
    r.h = (n + 1) * ih + 2 * pad / 2;
    r.x = at.x + at.w + kr_px(s, 8, 3);
    if (r.x + r.w > s->lay.w - 4)
        r.x = at.x - r.w - kr_px(s, 8, 3);
    if (r.x < 4)
        r.x = 4;
    r.y = at.y;
    if (r.y + r.h > s->lay.caption.y)
        r.y = s->lay.caption.y - r.h - 4;
    if (r.y < s->lay.topbar.h)
        r.y = s->lay.topbar.h + 4;
    return r;
}

int kr_hit_menu_item(kr_scene *s, const ks_sim *sim, int x, int y)
{
    kr_rect r = kr_hit_menu_rect(s, sim);
    int ih = (int)lround(s->lay.font.body * 1.9), pad = kr_px(s, 10, 4) / 2, i;
    const char *labels[KR_MENU_MAX];
    char keys[KR_MENU_MAX];
    int n = kr_hit_menu_items(s, sim, labels, keys);
    if (!r.w || !kr_rect_hit(r, x, y))
        return -1;
    i = (y - r.y - pad) / ih - 1;             /* under the title */
    return i >= 0 && i < n ? i : -1;
}

/* ---------------------------------------------------------------------------
 * The pods table and the Events panel
 * ------------------------------------------------------------------------- */
int kr_hit_table_rows(const kr_scene *s, int *y0, int *rh)
{
    kr_rect r = s->lay.table;
    int pad = kr_layout_panel_pad(&s->lay), rows;
    *rh = kr_layout_row_table(&s->lay);
    *y0 = r.y + pad + 2 * *rh;               /* under the prompt and the header */
    rows = (r.h - 2 * pad) / *rh - 2;
    return rows < 0 ? 0 : rows;
}

const ks_pod *kr_hit_table_pod(kr_scene *s, const ks_sim *sim, int x, int y)
{
    int y0, rh, row;
    size_t n;
    if (!kr_rect_hit(s->lay.table, x, y))
        return NULL;
    kr_hit_table_rows(s, &y0, &rh);
    if (y < y0)
        return NULL;
    row = (y - y0) / rh + s->view.table_scroll;
    n = kr_scene_sorted_pods(s, sim);
    return row >= 0 && (size_t)row < n ? s->sorted[row] : NULL;
}

/* Rows of the Events panel: where the first starts, their height, how many
 * fit, and the index (in s->events, sorted here) of the first event shown:
 * the newest at the bottom. */
int kr_hit_event_rows(kr_scene *s, const ks_sim *sim, int *y0, int *rh, size_t *first)
{
    kr_rect r = s->lay.events;
    int rows;
    size_t n = kr_scene_sorted_events(s, sim);
    *rh = kr_layout_row_events(&s->lay);
    *y0 = r.y + kr_layout_panel_head(&s->lay);
    rows = (r.y + r.h - kr_layout_panel_pad(&s->lay) / 2 - *y0) / *rh;
    if (rows < 0)
        rows = 0;
    *first = n > (size_t)rows ? n - (size_t)rows : 0;
    return rows;
}

const ks_k8s_event *kr_hit_event(kr_scene *s, const ks_sim *sim, int x, int y)
{
    int y0, rh, rows, i;
    size_t first;
    if (s->lay.events.w <= 0 || !kr_rect_hit(s->lay.events, x, y))
        return NULL;
    rows = kr_hit_event_rows(s, sim, &y0, &rh, &first);
    if (y < y0)
        return NULL;
    i = (y - y0) / rh;
    return i < rows && first + (size_t)i < ks_cluster_event_count(sim)
               ? ks_cluster_event(sim, s->events[first + (size_t)i])
               : NULL;
}

/* ---------------------------------------------------------------------------
 * The timeline and the cards
 * ------------------------------------------------------------------------- */
ks_time kr_hit_timeline(const kr_scene *s, const ks_sim *sim, int *x0, int *x1)
{
    kr_rect r = s->lay.timeline;
    ks_time dur = s->view.duration > 0 ? s->view.duration : 60 * KS_SEC, now = ks_now(sim);
    char buf[32];
    int m = kr_px(s, 12, 4);
    if (now > dur)
        dur = now;
    kr_clock_format(dur, buf, sizeof buf);
    *x0 = r.x + m;
    *x1 = r.x + r.w - 2 * m - kr_text_width(s->t, KR_FACE_SANS, s->lay.font.tiny, buf);
    return dur;
}

ks_time kr_hit_timeline_time(const kr_scene *s, const ks_sim *sim, int x)
{
    int x0, x1;
    ks_time dur = kr_hit_timeline(s, sim, &x0, &x1);
    if (x1 <= x0)
        return 0;
    x = x < x0 ? x0 : x > x1 ? x1 : x;
    return (ks_time)((double)(x - x0) / (x1 - x0) * (double)dur);
}

kr_rect kr_hit_hint_line(const kr_scene *s)
{
    kr_rect r = s->lay.goals;
    int pad = kr_layout_panel_pad(&s->lay), rh = kr_layout_row_goals(&s->lay);
    return (kr_rect){r.x + pad, r.y + r.h - pad / 2 - rh, r.w - 2 * pad, rh};
}

ks_id kr_hit_pod(kr_scene *s, int x, int y)
{
    size_t i;
    for (i = 0; i < s->lay.npod; i++)
        if (s->lay.pod[i].r.w > 0 && kr_rect_hit(kr_scene_pod_rect(s, &s->lay.pod[i]), x, y))
            return s->lay.pod[i].pod;
    return 0;
}
