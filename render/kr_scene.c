/* kr_scene.c -- the scene (see kr_scene.h): drawing resources, what is
 * remembered per object across frames (memos: record counts), the
 * pods in kubectl's order, and the size and colour helpers every drawing
 * pass uses. No drawing here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_scene.h"
#include "kr_status.h"
#include "core/ks_event.h"

/* ---------------------------------------------------------------------------
 * Scene
 * ------------------------------------------------------------------------- */
int kr_px(const kr_scene *s, double base, int lo)
{
    int v = (int)lround(base * s->lay.u);
    return v < lo ? lo : v;
}

kr_color kr_alpha(kr_color c, int a)
{
    c.a = (uint8_t)(a < 0 ? 0 : a > 255 ? 255 : a);
    return c;
}

int kr_scene_init(kr_scene *s, SDL_Renderer *r, const char *assets_dir)
{
    memset(s, 0, sizeof *s);
    s->r = r;
    s->g = kr_gfx_create(r);
    s->t = kr_text_create(r, assets_dir);
    s->st = kr_layout_state_create();
    s->anim = kr_anim_create();
    s->data = kr_data_placeholder();
    s->view.speed = 1.0;
    s->scale = 1.0;
    s->ghost_keep = KS_SEC;
    s->output_keep = 20 * KS_SEC;
    kr_layout_init(&s->lay);
    if (!s->g || !s->t || !s->st || !s->anim) {
        kr_scene_fini(s);
        return -1;
    }
    return 0;
}

void kr_scene_set_target(kr_scene *s, SDL_Surface *target)
{
    kr_gfx_set_target(s->g, target);
    kr_text_set_target(s->t, target);
}

void kr_scene_fini(kr_scene *s)
{
    kr_layout_fini(&s->lay);
    kr_layout_state_destroy(s->st);
    kr_anim_destroy(s->anim);
    kr_text_destroy(s->t);
    kr_gfx_destroy(s->g);
    free(s->memo);
    free((void *)s->sorted);
    free((void *)s->listed);
    free(s->events);
    free(s->view.marks);
    memset(s, 0, sizeof *s);
}

kr_memo *kr_scene_memo(kr_scene *s, ks_id id)
{
    static kr_memo dummy;
    if (id >= s->cap_memo) {
        size_t nc = s->cap_memo ? s->cap_memo : 256, i;
        kr_memo *m;
        while (nc <= id)
            nc *= 2;
        m = realloc(s->memo, nc * sizeof *m);
        if (!m) {
            memset(&dummy, 0, sizeof dummy);
            dummy.records = -1;
            return &dummy;
        }
        memset(m + s->cap_memo, 0, (nc - s->cap_memo) * sizeof *m);
        for (i = s->cap_memo; i < nc; i++)
            m[i].records = -1;
        s->memo = m;
        s->cap_memo = nc;
    }
    return &s->memo[id];
}

kr_rect kr_scene_pod_rect(const kr_scene *s, const kr_pod_place *p)
{
    return p->r.w > 0 ? p->r : s->lay.box[p->box].r;
}

/* ---------------------------------------------------------------------------
 * The pods table's order
 * ------------------------------------------------------------------------- */
static int by_name(const void *a, const void *b)
{
    const ks_pod *x = *(const ks_pod *const *)a, *y = *(const ks_pod *const *)b;
    int c = strcmp(x->ns, y->ns);
    return c ? c : strcmp(x->name, y->name);
}

/* Whether v[0..n) is in order, each strictly before the next. */
static bool in_order(const void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    size_t i;
    for (i = 1; i < n; i++)
        if (cmp((const char *)v + (i - 1) * size, (const char *)v + i * size) >= 0)
            return false;
    return true;
}

/* Called twice a frame, with the same pods nearly always: when the cluster
 * lists the very pods it listed last time, last time's order is checked
 * (n comparisons) instead of sorted again (n log n). */
size_t kr_scene_sorted_pods(kr_scene *s, const ks_sim *sim)
{
    size_t n = 0;
    bool same;
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        if (!p || strcmp(p->ns, "default") != 0)
            continue;
        if (n == s->cap_sorted) {
            size_t nc = s->cap_sorted ? s->cap_sorted * 2 : 64;
            const ks_pod **ns = realloc((void *)s->sorted, nc * sizeof *ns), **nl;
            if (ns)
                s->sorted = ns;
            nl = ns ? realloc((void *)s->listed, nc * sizeof *nl) : NULL;
            if (!nl) {
                s->nsorted = 0;             /* the sorted rows may be short: redo */
                break;
            }
            s->listed = nl;
            s->cap_sorted = nc;
        }
        same = n < s->nsorted && s->listed[n] == p;
        if (!same)
            s->nsorted = 0;                 /* another list than last time */
        s->listed[n++] = p;
    }
    if (n != s->nsorted || !in_order((const void *)s->sorted, n, sizeof *s->sorted, by_name)) {
        if (n)
            memcpy((void *)s->sorted, (const void *)s->listed, n * sizeof *s->sorted);
        if (n > 1)
            qsort((void *)s->sorted, n, sizeof *s->sorted, by_name);
    }
    s->nsorted = n;
    return n;
}

/* ---------------------------------------------------------------------------
 * Events by last time, the terminal, the goals
 * ------------------------------------------------------------------------- */
static const ks_sim *sort_sim;            /* qsort has no user pointer */

static int by_last(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const ks_k8s_event *ex = ks_cluster_event(sort_sim, x), *ey = ks_cluster_event(sort_sim, y);
    if (ex->last != ey->last)
        return ex->last < ey->last ? -1 : 1;
    return x < y ? -1 : x > y;               /* equal times: as they were listed */
}

/* Last time's order, with the events added since at its end, is checked
 * first (n comparisons): it holds unless an event was seen again or the
 * list dropped its oldest. by_last orders every pair, so an order that
 * holds is the one qsort gives. */
size_t kr_scene_sorted_events(kr_scene *s, const ks_sim *sim)
{
    size_t n = ks_cluster_event_count(sim), i;
    if (n > s->cap_events) {
        size_t *e = realloc(s->events, n * sizeof *e);
        if (!e) {
            s->nevents = 0;
            return 0;
        }
        s->events = e;
        s->cap_events = n;
    }
    if (n < s->nevents)
        s->nevents = 0;
    for (i = s->nevents; i < n; i++)
        s->events[i] = i;
    s->nevents = n;
    sort_sim = sim;
    if (n > 1 && !in_order(s->events, n, sizeof *s->events, by_last)) {
        for (i = 0; i < n; i++)
            s->events[i] = i;
        qsort(s->events, n, sizeof *s->events, by_last);
    }
    return n;
}

int kr_scene_term_cols(const kr_scene *s)
{
    int adv = kr_text_width(s->t, KR_FACE_MONO, s->lay.font.small, "MMMMMMMMMM");
    int w = s->lay.term.w - 2 * kr_layout_panel_pad(&s->lay);
    return adv > 0 && w > 0 ? w * 10 / adv - 1 : 0;    /* a column spare: rounding */
}

bool kr_scene_output_shown(const kr_scene *s, const ks_sim *sim)
{
    return s->view.output_open && s->view.output[0]
           && ks_now(sim) - s->view.output_at < s->output_keep;
}

int kr_scene_output_lines(const kr_scene *s, int cols)
{
    if (!s->view.output[0])
        return 0;
    return (int)kr_term_lines(s->view.output, &s->view.output_tables,
                              cols > 0 ? cols : 1 << 20, NULL, NULL);
}

int kr_scene_goal_lines(const kr_scene *s)
{
    int i, n = 1;
    if (!s->exercise)
        return 0;
    for (i = 0; i < s->ngoals; i++)
        n += 1 + (s->goals[i].hint && !s->goals[i].met ? 3 : 0);
    return n + 1;                      /* and the line that asks for a hint */
}
