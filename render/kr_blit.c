/* kr_blit.c -- tinted coverage masks into the software renderer's surface
 * (see kr_blit.h). The arithmetic is SDL 2.26's for a blended copy of a
 * white ARGB8888 texture with colour and alpha modulation to an RGB888
 * surface (SDL_Blit_ARGB8888_RGB888_Modulate_Blend), and the clipping is
 * SW_RunCommandQueue's (viewport, then the clip rectangle inside it), then
 * SDL_UpperBlit's (the surface's clip rectangle). Checked against the SDL
 * it runs with, once (sdl_agrees); the lesson-frame golden hashes hold
 * every frame to it.
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

/* x / 255 for x <= 65025, in each of the two 16-bit lanes of x (bits 0-15
 * and 16-31): (x + 1 + (x >> 8)) >> 8 is exact there, and a lane's sum
 * stays below 65536, so nothing carries into the other lane. */
static uint32_t div255x2(uint32_t x)
{
    return (x + 0x00010001u + (x >> 8 & 0x00FF00FFu)) >> 8 & 0x00FF00FFu;
}

static void blit(SDL_Renderer *r, SDL_Surface *target, const uint8_t *a, int pitch, int sx,
                 int sy, int w, int h, int dx, int dy, kr_color c)
{
    const uint32_t crb = (uint32_t)c.r << 16 | c.b, cg = c.g, ca = c.a;
    const uint32_t rgb = crb | cg << 8;
    SDL_Rect vp, clip;
    int x0, x1, y0, y1, x, y;
    SDL_RenderFlush(r);                     /* what is queued is drawn first */
    SDL_RenderGetViewport(r, &vp);
    if (SDL_RenderIsClipEnabled(r)) {
        SDL_RenderGetClipRect(r, &clip);
        clip.x += vp.x;
        clip.y += vp.y;
        if (!SDL_IntersectRect(&vp, &clip, &clip))
            return;                         /* nothing visible */
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
        const uint8_t *m = a + (size_t)(sy + y - dy) * (size_t)pitch + (sx + x0 - dx);
        for (x = x0; x < x1; x++, m++) {
            uint32_t sa, inv, d;
            if (!*m)
                continue;                   /* SDL leaves it as it is */
            sa = *m * ca / 255;           /* SDL: srcA = srcA * modulateA / 255 */
            if (sa == 255) {
                row[x] = rgb;               /* srcR = 255 * modulateR / 255, no blend */
                continue;
            }
            if (!sa)
                continue;
            /* dstR = srcR * srcA / 255 + (255 - srcA) * dstR / 255, R and B at once */
            inv = 255 - sa;
            d = row[x];
            row[x] = (div255x2(crb * sa) + div255x2((d & 0x00FF00FFu) * inv))
                     | ((cg * sa / 255 + (d >> 8 & 255) * inv / 255) << 8);
        }
    }
}

/* Does this SDL blend as blit() does? Both draw every coverage over a ramp
 * of backgrounds in a few tints, once, on scratch surfaces (SDL_blit_auto.c
 * is generated; another SDL release may round otherwise). */
static bool sdl_agrees(void)
{
    static const kr_color tints[] = {{0x00, 0x9E, 0x73, 255}, {0xD5, 0x5E, 0x00, 255},
                                     {0x00, 0x9E, 0x73, 200}, {0x1A, 0x1A, 0x1A, 37},
                                     {255, 255, 255, 230},    {0, 0, 0, 255},
                                     {0xFF, 0x8A, 0x3D, 128}, {0x56, 0xB4, 0xE9, 1}};
    enum { W = 256, H = sizeof tints / sizeof tints[0] };
    static int state = -1;
    SDL_Surface *m, *sa, *sb;
    SDL_Renderer *ra = NULL, *rb = NULL;
    SDL_Texture *tex = NULL;
    uint8_t *mask = NULL;
    int x, y, ok = 0;
    if (state >= 0)
        return state;
    m = SDL_CreateRGBSurfaceWithFormat(0, W, 1, 32, SDL_PIXELFORMAT_ARGB8888);
    sa = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    sb = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    if (m && sa && sb) {
        for (x = 0; x < W; x++)
            ((uint32_t *)m->pixels)[x] = (uint32_t)x << 24 | 0xFFFFFFu;
        for (y = 0; y < H; y++)
            for (x = 0; x < W; x++) {
                uint32_t v = (uint32_t)(x * 7 + y * 31) & 255;
                ((uint32_t *)((uint8_t *)sa->pixels + y * sa->pitch))[x] =
                    ((uint32_t *)((uint8_t *)sb->pixels + y * sb->pitch))[x] =
                        v << 16 | (255 - v) << 8 | (v * 3 & 255);
            }
        ra = SDL_CreateSoftwareRenderer(sa);
        rb = SDL_CreateSoftwareRenderer(sb);
        tex = ra ? SDL_CreateTextureFromSurface(ra, m) : NULL;
        mask = kr_blit_mask_of(m);
    }
    if (tex && rb && mask) {
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
        for (y = 0; y < H; y++) {
            SDL_Rect src = {0, 0, W, 1}, dst = {0, y, W, 1};
            SDL_SetTextureColorMod(tex, tints[y].r, tints[y].g, tints[y].b);
            SDL_SetTextureAlphaMod(tex, tints[y].a);
            SDL_RenderCopy(ra, tex, &src, &dst);
            blit(rb, sb, mask, W, 0, 0, W, 1, 0, y, tints[y]);
        }
        SDL_RenderFlush(ra);
        ok = 1;
        for (y = 0; y < H && ok; y++)
            for (x = 0; x < W; x++)
                if ((((uint32_t *)((uint8_t *)sa->pixels + y * sa->pitch))[x] ^
                     ((uint32_t *)((uint8_t *)sb->pixels + y * sb->pitch))[x]) & 0xFFFFFFu) {
                    ok = 0;
                    break;
                }
    }
    free(mask);
    if (tex)
        SDL_DestroyTexture(tex);
    if (ra)
        SDL_DestroyRenderer(ra);
    if (rb)
        SDL_DestroyRenderer(rb);
    SDL_FreeSurface(m);
    SDL_FreeSurface(sa);
    SDL_FreeSurface(sb);
    state = ok;
    return ok;
}

bool kr_blit_exact(void)
{
    return sdl_agrees();
}

bool kr_blit_mask(SDL_Renderer *r, SDL_Surface *target, const uint8_t *a, int pitch, int sx,
                  int sy, int w, int h, int dx, int dy, kr_color c)
{
    if (!target || !a || target->format->format != SDL_PIXELFORMAT_RGB888
        || SDL_MUSTLOCK(target) || (c.r & c.g & c.b & c.a) == 255 || !sdl_agrees())
        return false;
    blit(r, target, a, pitch, sx, sy, w, h, dx, dy, c);
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
