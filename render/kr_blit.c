/* kr_blit.c -- tinted coverage masks into the software renderer's surface
 * (see kr_blit.h). The arithmetic is SDL 2.26's for a blended copy of a
 * white ARGB8888 texture with colour and alpha modulation to an RGB888
 * surface (SDL_Blit_ARGB8888_RGB888_Modulate_Blend), and the clipping is
 * SW_RunCommandQueue's (viewport, then the clip rectangle inside it), then
 * SDL_UpperBlit's (the surface's clip rectangle). The lesson-frame golden
 * hashes hold every frame to it.
 */
#include "kr_blit.h"

#include <stdlib.h>

static int imax(int a, int b)
{
    return a > b ? a : b;
}

static int imin(int a, int b)
{
    return a < b ? a : b;
}

bool kr_blit_mask(SDL_Renderer *r, SDL_Surface *target, const uint8_t *a, int pitch, int sx,
                  int sy, int w, int h, int dx, int dy, kr_color c)
{
    const uint32_t cr = c.r, cg = c.g, cb = c.b, ca = c.a, rgb = cr << 16 | cg << 8 | cb;
    SDL_Rect vp, clip;
    int x0, x1, y0, y1, x, y;
    if (!target || !a || target->format->format != SDL_PIXELFORMAT_RGB888
        || SDL_MUSTLOCK(target) || (c.r & c.g & c.b & c.a) == 255)
        return false;
    SDL_RenderFlush(r);                     /* what is queued is drawn first */
    SDL_RenderGetViewport(r, &vp);
    if (SDL_RenderIsClipEnabled(r)) {
        SDL_RenderGetClipRect(r, &clip);
        clip.x += vp.x;
        clip.y += vp.y;
        if (!SDL_IntersectRect(&vp, &clip, &clip))
            return true;                    /* nothing visible */
    } else {
        clip = vp;
    }
    dx += vp.x;
    dy += vp.y;
    x0 = imax(imax(dx, clip.x), 0);
    y0 = imax(imax(dy, clip.y), 0);
    x1 = imin(imin(dx + w, clip.x + clip.w), target->w);
    y1 = imin(imin(dy + h, clip.y + clip.h), target->h);
    for (y = y0; y < y1; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)target->pixels + (size_t)y * (size_t)target->pitch);
        const uint8_t *m = a + (size_t)(sy + y - dy) * (size_t)pitch + (sx - dx);
        for (x = x0; x < x1; x++) {
            uint32_t sa, inv, d, pr, pg, pb;
            if (!m[x])
                continue;                   /* SDL leaves it as it is */
            sa = m[x] * ca / 255;
            if (sa == 255) {
                row[x] = rgb;
                continue;
            }
            if (!sa)
                continue;
            inv = 255 - sa;
            d = row[x];
            pr = cr * sa / 255 + inv * (d >> 16 & 255) / 255;
            pg = cg * sa / 255 + inv * (d >> 8 & 255) / 255;
            pb = cb * sa / 255 + inv * (d & 255) / 255;
            row[x] = pr << 16 | pg << 8 | pb;
        }
    }
    return true;
}

uint8_t *kr_blit_mask_of(const SDL_Surface *s)
{
    uint8_t *m;
    int x, y;
    if (!s || s->format->format != SDL_PIXELFORMAT_ARGB8888 || SDL_MUSTLOCK(s) || s->w <= 0
        || s->h <= 0)
        return NULL;
    m = malloc((size_t)s->w * (size_t)s->h);
    if (!m)
        return NULL;
    for (y = 0; y < s->h; y++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (x = 0; x < s->w; x++) {
            uint32_t p = row[x], al = p >> 24;
            if (al && (p & 0xFFFFFFu) != 0xFFFFFFu) {
                free(m);
                return NULL;
            }
            m[(size_t)y * (size_t)s->w + (size_t)x] = (uint8_t)al;
        }
    }
    return m;
}
