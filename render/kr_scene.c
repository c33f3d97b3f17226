/* kr_scene.c -- the scene (see kr_scene.h): drawing resources, what is
 * remembered per object across frames (memos: tweens, record counts), the
 * pods in kubectl's order, and the size and colour helpers every drawing
 * pass uses. No drawing here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_scene.h"

#define TWEEN_SECONDS 0.35

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
    s->tween = true;
    kr_layout_init(&s->lay);
    if (!s->g || !s->t || !s->st || !s->anim) {
        kr_scene_fini(s);
        return -1;
    }
    return 0;
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

static kr_rect lerp_rect(kr_rect a, kr_rect b, double f)
{
    kr_rect r;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    f = f * f * (3 - 2 * f);                  /* smoothstep */
    r.x = (int)lround(a.x + (b.x - a.x) * f);
    r.y = (int)lround(a.y + (b.y - a.y) * f);
    r.w = (int)lround(a.w + (b.w - a.w) * f);
    r.h = (int)lround(a.h + (b.h - a.h) * f);
    return r;
}

kr_rect kr_scene_pod_rect(kr_scene *s, const kr_pod_place *p)
{
    kr_memo *m;
    if (p->r.w == 0)
        return p->r;
    m = kr_scene_memo(s, p->pod);
    if (m->t0 <= 0 || s->clock - m->t0 >= TWEEN_SECONDS)
        return p->r;
    return lerp_rect(m->from, p->r, (s->clock - m->t0) / TWEEN_SECONDS);
}

/* Starts a tween for every card that moved since last frame (a
 * replacement taking the slot it replaces). Cards that changed size (the
 * whole grid re-laid out) snap: many cards gliding at once read as chaos. */
void kr_scene_track_moves(kr_scene *s)
{
    size_t i;
    for (i = 0; i < s->lay.npod; i++) {
        const kr_pod_place *p = &s->lay.pod[i];
        kr_memo *m = kr_scene_memo(s, p->pod);
        if (memcmp(&m->shown, &p->r, sizeof p->r) != 0) {
            if (s->tween && m->shown.w == p->r.w && m->shown.h == p->r.h && p->r.w > 0) {
                kr_rect cur = m->t0 > 0 && s->clock - m->t0 < TWEEN_SECONDS
                                  ? lerp_rect(m->from, m->shown, (s->clock - m->t0) / TWEEN_SECONDS)
                                  : m->shown;
                m->from = cur;
                m->t0 = s->clock > 0 ? s->clock : 1e-9;
            } else {
                m->t0 = 0;
            }
            m->shown = p->r;
        }
    }
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

size_t kr_scene_sorted_pods(kr_scene *s, const ks_sim *sim)
{
    const ks_pod ***out = &s->sorted;
    size_t *cap = &s->cap_sorted;
    size_t n = 0;
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        if (!p || strcmp(p->ns, "default") != 0)
            continue;
        if (n == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            const ks_pod **np = realloc((void *)*out, nc * sizeof *np);
            if (!np)
                break;
            *out = np;
            *cap = nc;
        }
        (*out)[n++] = p;
    }
    if (n > 1)
        qsort((void *)*out, n, sizeof **out, by_name);
    return n;
}
