/* kr_gfx.c -- antialiased primitives (see kr_gfx.h). */
#include "kr_gfx.h"

#include "kr_blit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEX_RADIUS 96        /* bigger discs are drawn as polygons */
#define MAX_SHAPES 96

typedef struct shape {
    int rad, th;                 /* th == 0: a disc */
    SDL_Texture *tex;
    uint8_t *mask;               /* its coverage, for kr_blit_mask */
} shape;

struct kr_gfx {
    SDL_Renderer *r;
    SDL_Surface *target;         /* the software renderer's surface, or NULL */
    shape shapes[MAX_SHAPES];
    int nshapes, next_evict;
    SDL_Vertex *v;
    int *idx;
    int nv, ni, cap_v, cap_i;
};

kr_gfx *kr_gfx_create(SDL_Renderer *r)
{
    kr_gfx *g = calloc(1, sizeof *g);
    if (g)
        g->r = r;
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return g;
}

void kr_gfx_destroy(kr_gfx *g)
{
    int i;
    if (!g)
        return;
    for (i = 0; i < g->nshapes; i++) {
        SDL_DestroyTexture(g->shapes[i].tex);
        free(g->shapes[i].mask);
    }
    free(g->v);
    free(g->idx);
    free(g);
}

SDL_Renderer *kr_gfx_renderer(kr_gfx *g)
{
    return g->r;
}

void kr_gfx_set_target(kr_gfx *g, SDL_Surface *target)
{
    g->target = target;
}

void kr_clip(kr_gfx *g, const kr_rect *r)
{
    SDL_Rect c;
    if (!r) {
        SDL_RenderSetClipRect(g->r, NULL);
        return;
    }
    c.x = r->x;
    c.y = r->y;
    c.w = r->w;
    c.h = r->h;
    SDL_RenderSetClipRect(g->r, &c);
}

static void color(kr_gfx *g, kr_color c)
{
    SDL_SetRenderDrawColor(g->r, c.r, c.g, c.b, c.a);
}

void kr_fill(kr_gfx *g, kr_rect r, kr_color c)
{
    SDL_Rect s;
    if (r.w <= 0 || r.h <= 0)
        return;
    s.x = r.x;
    s.y = r.y;
    s.w = r.w;
    s.h = r.h;
    color(g, c);
    /* NOTE: an opaque fill without blending is a plain memset-like fill in
     * the software renderer, several times faster than a blended one */
    if (c.a == 255)
        SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_NONE);
    SDL_RenderFillRect(g->r, &s);
    if (c.a == 255)
        SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_BLEND);
}

/* ---------------------------------------------------------------------------
 * Disc and ring textures, 4x4 supersampled coverage, white + alpha
 * ------------------------------------------------------------------------- */
static const shape *shape_tex(kr_gfx *g, int rad, int th)
{
    SDL_Surface *s;
    SDL_Texture *tex;
    uint8_t *mask;
    int i, x, y, size = 2 * rad;
    double ro = rad, ri = th > 0 ? rad - th : -1;
    for (i = 0; i < g->nshapes; i++)
        if (g->shapes[i].rad == rad && g->shapes[i].th == th)
            return &g->shapes[i];
    s = SDL_CreateRGBSurfaceWithFormat(0, size, size, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    for (y = 0; y < size; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (x = 0; x < size; x++) {
            int sx, sy, hits = 0;
            for (sy = 0; sy < 4; sy++)
                for (sx = 0; sx < 4; sx++) {
                    double px = x + (sx + 0.5) / 4 - rad, py = y + (sy + 0.5) / 4 - rad;
                    double d2 = px * px + py * py;
                    hits += d2 <= ro * ro && (ri < 0 || d2 >= ri * ri);
                }
            row[x] = (Uint32)(hits * 255 / 16) << 24 | 0xFFFFFF;
        }
    }
    tex = SDL_CreateTextureFromSurface(g->r, s);
    mask = kr_blit_mask_of(s);
    SDL_FreeSurface(s);
    if (!tex) {
        free(mask);
        return NULL;
    }
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    if (g->nshapes == MAX_SHAPES) {         /* round-robin eviction */
        i = g->next_evict;
        g->next_evict = (g->next_evict + 1) % MAX_SHAPES;
        SDL_DestroyTexture(g->shapes[i].tex);
        free(g->shapes[i].mask);
    } else {
        i = g->nshapes++;
    }
    g->shapes[i].rad = rad;
    g->shapes[i].th = th;
    g->shapes[i].tex = tex;
    g->shapes[i].mask = mask;
    return &g->shapes[i];
}

/* Part of a shape, tinted c: straight into the target when kr_blit can,
 * else an SDL copy with colour and alpha modulation (the same pixels). */
static void copy(kr_gfx *g, const shape *t, int sx, int sy, int sw, int sh, int dx, int dy,
                 kr_color c)
{
    SDL_Rect src = {sx, sy, sw, sh}, dst = {dx, dy, sw, sh};
    if (kr_blit_mask(g->r, g->target, t->mask, 2 * t->rad, sx, sy, sw, sh, dx, dy, c))
        return;
    SDL_SetTextureColorMod(t->tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(t->tex, c.a);
    SDL_RenderCopy(g->r, t->tex, &src, &dst);
}

/* The four corners of r from a disc/ring shape of radius rad. */
static void corners(kr_gfx *g, const shape *t, kr_rect r, int rad, kr_color c)
{
    copy(g, t, 0, 0, rad, rad, r.x, r.y, c);
    copy(g, t, rad, 0, rad, rad, r.x + r.w - rad, r.y, c);
    copy(g, t, 0, rad, rad, rad, r.x, r.y + r.h - rad, c);
    copy(g, t, rad, rad, rad, rad, r.x + r.w - rad, r.y + r.h - rad, c);
}

static int clamp_rad(kr_rect r, int rad)
{
    int m = (r.w < r.h ? r.w : r.h) / 2;
    if (rad > m)
        rad = m;
    if (rad > MAX_TEX_RADIUS)
        rad = MAX_TEX_RADIUS;
    return rad < 0 ? 0 : rad;
}

void kr_round_fill(kr_gfx *g, kr_rect r, int rad, kr_color c)
{
    const shape *t;
    if (r.w <= 0 || r.h <= 0)
        return;
    rad = clamp_rad(r, rad);
    t = rad > 0 ? shape_tex(g, rad, 0) : NULL;
    if (!t) {
        kr_fill(g, r, c);
        return;
    }
    corners(g, t, r, rad, c);
    kr_fill(g, (kr_rect){r.x + rad, r.y, r.w - 2 * rad, r.h}, c);
    kr_fill(g, (kr_rect){r.x, r.y + rad, rad, r.h - 2 * rad}, c);
    kr_fill(g, (kr_rect){r.x + r.w - rad, r.y + rad, rad, r.h - 2 * rad}, c);
}

/* A straight piece of frame, solid or dashed, along x (horizontal) or y. */
static void edge(kr_gfx *g, int x, int y, int len, int th, bool horiz, bool dashed, kr_color c)
{
    int d = 3 * th + 3, gap = 2 * th + 3, p;
    if (len <= 0)
        return;
    if (!dashed) {
        kr_fill(g, horiz ? (kr_rect){x, y, len, th} : (kr_rect){x, y, th, len}, c);
        return;
    }
    for (p = gap / 2; p < len; p += d + gap) {
        int k = p + d > len ? len - p : d;
        kr_fill(g, horiz ? (kr_rect){x + p, y, k, th} : (kr_rect){x, y + p, th, k}, c);
    }
}

void kr_round_frame(kr_gfx *g, kr_rect r, int rad, int th, kr_color c, bool dashed)
{
    const shape *t;
    if (r.w <= 0 || r.h <= 0 || th <= 0)
        return;
    rad = clamp_rad(r, rad);
    if (rad < th)
        rad = th;
    t = shape_tex(g, rad, th);
    if (t)
        corners(g, t, r, rad, c);
    edge(g, r.x + rad, r.y, r.w - 2 * rad, th, true, dashed, c);
    edge(g, r.x + rad, r.y + r.h - th, r.w - 2 * rad, th, true, dashed, c);
    edge(g, r.x, r.y + rad, r.h - 2 * rad, th, false, dashed, c);
    edge(g, r.x + r.w - th, r.y + rad, r.h - 2 * rad, th, false, dashed, c);
}

void kr_disc(kr_gfx *g, float cx, float cy, int rad, kr_color c)
{
    const shape *t;
    if (rad <= 0)
        return;
    if (rad > MAX_TEX_RADIUS) {
        kr_ellipse(g, (kr_rect){(int)(cx - rad), (int)(cy - rad), 2 * rad, 2 * rad}, c);
        return;
    }
    t = shape_tex(g, rad, 0);
    if (!t)
        return;
    copy(g, t, 0, 0, 2 * rad, 2 * rad, (int)lroundf(cx) - rad, (int)lroundf(cy) - rad, c);
}

void kr_ring(kr_gfx *g, float cx, float cy, int rad, int th, kr_color c)
{
    const shape *t;
    if (rad <= 0 || th <= 0)
        return;
    if (rad > MAX_TEX_RADIUS) {
        kr_ellipse_frame(g, (kr_rect){(int)(cx - rad), (int)(cy - rad), 2 * rad, 2 * rad},
                         (float)th, c);
        return;
    }
    t = shape_tex(g, rad, th);
    if (!t)
        return;
    copy(g, t, 0, 0, 2 * rad, 2 * rad, (int)lroundf(cx) - rad, (int)lroundf(cy) - rad, c);
}

/* ---------------------------------------------------------------------------
 * Geometry: a small vertex/index batch flushed per primitive
 * ------------------------------------------------------------------------- */
static int vert(kr_gfx *g, float x, float y, kr_color c, Uint8 a)
{
    SDL_Vertex *v;
    if (g->nv == g->cap_v) {
        int nc = g->cap_v ? g->cap_v * 2 : 256;
        SDL_Vertex *nv = realloc(g->v, (size_t)nc * sizeof *nv);
        if (!nv)
            return -1;
        g->v = nv;
        g->cap_v = nc;
    }
    v = &g->v[g->nv];
    v->position.x = x;
    v->position.y = y;
    v->color.r = c.r;
    v->color.g = c.g;
    v->color.b = c.b;
    v->color.a = a;
    v->tex_coord.x = v->tex_coord.y = 0;
    return g->nv++;
}

static void tri(kr_gfx *g, int a, int b, int c)
{
    if (a < 0 || b < 0 || c < 0)
        return;
    if (g->ni + 3 > g->cap_i) {
        int nc = g->cap_i ? g->cap_i * 2 : 512;
        int *ni = realloc(g->idx, (size_t)nc * sizeof *ni);
        if (!ni)
            return;
        g->idx = ni;
        g->cap_i = nc;
    }
    g->idx[g->ni++] = a;
    g->idx[g->ni++] = b;
    g->idx[g->ni++] = c;
}

static void flush(kr_gfx *g)
{
    if (g->ni)
        SDL_RenderGeometry(g->r, NULL, g->v, g->nv, g->idx, g->ni);
    g->nv = g->ni = 0;
}

static void quad(kr_gfx *g, int a, int b, int c, int d)
{
    tri(g, a, b, c);
    tri(g, a, c, d);
}

/* One straight segment with feathered long edges. */
static void segment(kr_gfx *g, float x0, float y0, float x1, float y1, float w, kr_color c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy), nx, ny, hw, fw;
    int a0, a1, b0, b1, o0, o1, p0, p1;
    if (len < 0.01f)
        return;
    nx = -dy / len;
    ny = dx / len;
    hw = w / 2 - 0.5f;
    if (hw < 0)
        hw = 0;
    fw = hw + 1.0f;
    a0 = vert(g, x0 + nx * hw, y0 + ny * hw, c, c.a);
    a1 = vert(g, x1 + nx * hw, y1 + ny * hw, c, c.a);
    b0 = vert(g, x0 - nx * hw, y0 - ny * hw, c, c.a);
    b1 = vert(g, x1 - nx * hw, y1 - ny * hw, c, c.a);
    o0 = vert(g, x0 + nx * fw, y0 + ny * fw, c, 0);
    o1 = vert(g, x1 + nx * fw, y1 + ny * fw, c, 0);
    p0 = vert(g, x0 - nx * fw, y0 - ny * fw, c, 0);
    p1 = vert(g, x1 - nx * fw, y1 - ny * fw, c, 0);
    if (hw > 0)
        quad(g, a0, a1, b1, b0);
    quad(g, o0, o1, a1, a0);
    quad(g, b0, b1, p1, p0);
}

void kr_line(kr_gfx *g, float x0, float y0, float x1, float y1, float w, kr_color c, float dash)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy), p;
    if (len < 0.01f)
        return;
    if (dash <= 0) {
        segment(g, x0, y0, x1, y1, w, c);
    } else {
        for (p = 0; p < len; p += 2 * dash) {
            float e = p + dash > len ? len : p + dash;
            segment(g, x0 + dx * p / len, y0 + dy * p / len, x0 + dx * e / len,
                    y0 + dy * e / len, w, c);
            if (g->nv > 4000)
                flush(g);
        }
    }
    flush(g);
}

void kr_triangle(kr_gfx *g, float x0, float y0, float x1, float y1, float x2, float y2,
                 kr_color c)
{
    float xs[3] = {x0, x1, x2}, ys[3] = {y0, y1, y2};
    float cx = (x0 + x1 + x2) / 3, cy = (y0 + y1 + y2) / 3;
    int v[3], i;
    for (i = 0; i < 3; i++)
        v[i] = vert(g, xs[i], ys[i], c, c.a);
    tri(g, v[0], v[1], v[2]);
    for (i = 0; i < 3; i++) {       /* a feather outwards along each edge */
        int j = (i + 1) % 3, o0, o1;
        float ex = xs[j] - xs[i], ey = ys[j] - ys[i], l = sqrtf(ex * ex + ey * ey);
        float nx, ny, mx = (xs[i] + xs[j]) / 2 - cx, my = (ys[i] + ys[j]) / 2 - cy;
        if (l < 0.01f)
            continue;
        nx = -ey / l;
        ny = ex / l;
        if (nx * mx + ny * my < 0) {
            nx = -nx;
            ny = -ny;
        }
        o0 = vert(g, xs[i] + nx, ys[i] + ny, c, 0);
        o1 = vert(g, xs[j] + nx, ys[j] + ny, c, 0);
        quad(g, v[i], v[j], o1, o0);
    }
    flush(g);
}

static int segments_for(kr_rect r)
{
    int n = (int)((r.w + r.h) * 0.8f);
    return n < 24 ? 24 : n > 160 ? 160 : n;
}

void kr_ellipse(kr_gfx *g, kr_rect r, kr_color c)
{
    float cx = r.x + r.w / 2.0f, cy = r.y + r.h / 2.0f, rx = r.w / 2.0f, ry = r.h / 2.0f;
    int n = segments_for(r), i, centre, first = -1, prev_in = -1, prev_out = -1;
    if (r.w <= 0 || r.h <= 0)
        return;
    centre = vert(g, cx, cy, c, c.a);
    for (i = 0; i <= n; i++) {
        float a = (float)(2 * M_PI * i / n), ca = cosf(a), sa = sinf(a);
        int vin = i == n ? first : vert(g, cx + (rx - 0.5f) * ca, cy + (ry - 0.5f) * sa, c, c.a);
        int vout = vert(g, cx + (rx + 0.5f) * ca, cy + (ry + 0.5f) * sa, c, 0);
        if (i == 0)
            first = vin;
        if (i > 0) {
            tri(g, centre, prev_in, vin);
            quad(g, prev_in, prev_out, vout, vin);
        }
        prev_in = vin;
        prev_out = vout;
    }
    flush(g);
}

void kr_ellipse_frame(kr_gfx *g, kr_rect r, float th, kr_color c)
{
    float cx = r.x + r.w / 2.0f, cy = r.y + r.h / 2.0f, rx = r.w / 2.0f, ry = r.h / 2.0f;
    int n = segments_for(r), i, p[4] = {-1, -1, -1, -1};
    float rr[4] = {0.5f, -0.5f, -(th - 0.5f), -(th + 0.5f)};
    Uint8 al[4] = {0, c.a, c.a, 0};
    if (r.w <= 0 || r.h <= 0)
        return;
    if (th < 1.0f)
        th = 1.0f;
    rr[2] = -(th - 0.5f);
    rr[3] = -(th + 0.5f);
    for (i = 0; i <= n; i++) {
        float a = (float)(2 * M_PI * i / n), ca = cosf(a), sa = sinf(a);
        int k, q[4];
        for (k = 0; k < 4; k++)
            q[k] = vert(g, cx + (rx + rr[k]) * ca, cy + (ry + rr[k]) * sa, c, al[k]);
        if (i > 0)
            for (k = 0; k < 3; k++)
                quad(g, p[k], q[k], q[k + 1], p[k + 1]);
        memcpy(p, q, sizeof p);
    }
    flush(g);
}
