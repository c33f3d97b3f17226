/* kr_frame.c -- read-back, hash, PNG and GIF writers (see kr_frame.h). */
#include "kr_frame.h"

#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef KR_HAVE_GIF
#include <gif_lib.h>
#endif

int kr_frame_read(SDL_Renderer *r, int w, int h, uint8_t *rgb)
{
    SDL_Rect all = {0, 0, w, h};
    SDL_RenderFlush(r);
    return SDL_RenderReadPixels(r, &all, SDL_PIXELFORMAT_RGB24, rgb, w * 3) == 0 ? 0 : -1;
}

uint64_t kr_rgb_hash(const uint8_t *rgb, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ rgb[i]) * 1099511628211ull;
    return h;
}

/* ---------------------------------------------------------------------------
 * PNG
 * ------------------------------------------------------------------------- */
int kr_png_write(const char *path, const uint8_t *rgb, int w, int h)
{
    FILE *f = fopen(path, "wb");
    png_structp png = NULL;
    png_infop info = NULL;
    int y, rc = -1;
    if (!f) {
        fprintf(stderr, "PNG: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (png)
        info = png_create_info_struct(png);
    if (!png || !info)
        goto done;
    if (setjmp(png_jmpbuf(png)))
        goto done;
    png_init_io(png, f);
    /* Fast settings, measured on the frames of lesson 14 (TOOLCHAIN.md
     * section 3): zlib level 1 and no row filter. libpng's default tries
     * all five filters on every row and keeps the best guess: two thirds
     * of the encode's time, and on the window's flat panels and text the
     * unfiltered rows deflate smaller anyway (138 KB vs 160 KB a frame at
     * 1280x720; 8 ms vs 24 ms). The pixels are the same either way. */
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (y = 0; y < h; y++)
        png_write_row(png, (png_const_bytep)(rgb + (size_t)y * (size_t)w * 3));
    png_write_end(png, NULL);
    rc = 0;
done:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    if (fclose(f) != 0)
        rc = -1;
    if (rc)
        fprintf(stderr, "PNG: failed to write %s\n", path);
    return rc;
}

/* ---------------------------------------------------------------------------
 * GIF
 * ------------------------------------------------------------------------- */
#ifdef KR_HAVE_GIF
/* The GIF palette is fixed, built from the window's own colours (so they
 * come out exact and never shimmer from frame to frame), their blends
 * towards white, black and the dark panels (antialiased edges), a grey
 * ramp and a coarse colour cube for the rest. Index 255 is transparent:
 * pixels a frame does not change. Colours map to their nearest entry
 * through a cache of every colour seen. */
#define PAL_N 255
static const uint32_t base_colors[] = {
    0xF3F3F0, 0x1F2428, 0x1A1A1A, 0x5F6368, 0x9AA0A6, 0x8A9096, 0xFFFFFF, 0x80868B,
    0xE9EDF2, 0xDCE6F2, 0x1E2227, 0xE6E6E6, 0x9DA5AD, 0x8FD694, 0xFFF6DA, 0xE6B740,
    0x8C8C8C, 0x323A42, 0x46505A, 0xE8F3FB, 0xFBF1EC, 0xF4F9FD, 0xDCEBF7, 0xEEF3F9,
    0xE2E2DE, 0xEBEBE8, 0x3CCB9A, 0xFF8A3D, 0x007A5A, 0xB07800, 0xA54800, 0x006B4F,
    0xF1F1F1, 0xD0D4D8, 0xC4CAD0,
};
static const uint32_t tones[] = {0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00,
                                 0xCC79A7};

struct kr_gif {
    GifFileType *gif;
    int w, h, delay;
    uint8_t *shown;           /* what the viewer sees after the frames written */
    uint8_t *pending;         /* the next frame to write, held to merge repeats */
    int pending_delay;
    int have_pending, have_shown;
    GifByteType *out;
    GifColorType pal[256];
    int npal;
    uint8_t *cache;           /* 24-bit colour -> index + 1, 0 = not yet (calloc'd:
                                 only the pages of colours seen are touched) */
};

static void pal_add(kr_gif *g, uint32_t rgb)
{
    int i;
    for (i = 0; i < g->npal; i++)
        if (g->pal[i].Red == (rgb >> 16 & 255) && g->pal[i].Green == (rgb >> 8 & 255)
            && g->pal[i].Blue == (rgb & 255))
            return;
    if (g->npal == PAL_N)
        return;
    g->pal[g->npal].Red = (GifByteType)(rgb >> 16);
    g->pal[g->npal].Green = (GifByteType)(rgb >> 8);
    g->pal[g->npal].Blue = (GifByteType)rgb;
    g->npal++;
}

static uint32_t mix(uint32_t a, uint32_t b, int num, int den)
{
    uint32_t r = 0;
    int sh;
    for (sh = 0; sh <= 16; sh += 8) {
        int x = (int)(a >> sh & 255), y = (int)(b >> sh & 255);
        r |= (uint32_t)(x + (y - x) * num / den) << sh;
    }
    return r;
}

static void build_palette(kr_gif *g)
{
    size_t i;
    int k;
    for (i = 0; i < sizeof base_colors / sizeof base_colors[0]; i++)
        pal_add(g, base_colors[i]);
    for (i = 0; i < sizeof tones / sizeof tones[0]; i++) {
        pal_add(g, tones[i]);
        for (k = 1; k < 7; k++)                        /* towards white */
            pal_add(g, mix(tones[i], 0xFFFFFF, k, 7));
        for (k = 1; k < 4; k++)                        /* towards the dark panels */
            pal_add(g, mix(tones[i], 0x1E2227, k, 4));
    }
    for (k = 0; k < 32; k++)                           /* greys */
        pal_add(g, (uint32_t)(k * 255 / 31) * 0x010101u);
    for (k = 0; k < 6; k++) {                          /* text on light backgrounds */
        pal_add(g, mix(0x1A1A1A, 0xF3F3F0, k + 1, 7));
        pal_add(g, mix(0xE6E6E6, 0x1E2227, k + 1, 7));
    }
    for (k = 0; k < 5 * 6 * 5 && g->npal < PAL_N; k++)  /* a coarse cube */
        pal_add(g, (uint32_t)(k / 30 * 255 / 4) << 16 | (uint32_t)(k / 5 % 6 * 255 / 5) << 8
                       | (uint32_t)(k % 5 * 255 / 4));
}

static GifByteType nearest(kr_gif *g, const uint8_t *p)
{
    unsigned key = (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
    int i, best = 0;
    long bd = -1;
    if (g->cache[key])
        return (GifByteType)(g->cache[key] - 1);
    for (i = 0; i < g->npal; i++) {
        long dr = g->pal[i].Red - p[0], dg = g->pal[i].Green - p[1], db = g->pal[i].Blue - p[2];
        long d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
        if (bd < 0 || d < bd) {
            bd = d;
            best = i;
        }
    }
    g->cache[key] = (uint8_t)(best + 1);
    return (GifByteType)best;
}

kr_gif *kr_gif_open(const char *path, int w, int h, int delay_cs, char *err, size_t n)
{
    static const unsigned char loop[3] = {1, 0, 0};   /* loop forever */
    kr_gif *g = calloc(1, sizeof *g);
    size_t px = (size_t)w * (size_t)h;
    ColorMapObject *cmap;
    int fd, e = 0, rc;
    if (!g) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    g->w = w;
    g->h = h;
    g->delay = delay_cs > 0 ? delay_cs : 10;
    g->shown = malloc(px * 3);
    g->pending = malloc(px * 3);
    g->out = malloc(px);
    g->cache = calloc(1u << 24, 1);
    if (!g->shown || !g->pending || !g->out || !g->cache) {
        snprintf(err, n, "out of memory");
        kr_gif_close(g);
        return NULL;
    }
    build_palette(g);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        snprintf(err, n, "cannot write %s: %s", path, strerror(errno));
        kr_gif_close(g);
        return NULL;
    }
    g->gif = EGifOpenFileHandle(fd, &e);
    if (!g->gif) {
        close(fd);
        snprintf(err, n, "%s: %s", path, GifErrorString(e));
        kr_gif_close(g);
        return NULL;
    }
    EGifSetGifVersion(g->gif, true);
    cmap = GifMakeMapObject(256, g->pal);
    rc = !cmap || EGifPutScreenDesc(g->gif, w, h, 8, 0, cmap) == GIF_ERROR
         || EGifPutExtensionLeader(g->gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR
         || EGifPutExtensionBlock(g->gif, 11, "NETSCAPE2.0") == GIF_ERROR
         || EGifPutExtensionBlock(g->gif, 3, loop) == GIF_ERROR
         || EGifPutExtensionTrailer(g->gif) == GIF_ERROR;
    GifFreeMapObject(cmap);
    if (rc) {
        snprintf(err, n, "%s: %s", path, GifErrorString(g->gif->Error));
        kr_gif_close(g);
        return NULL;
    }
    return g;
}

/* Writes the pending frame: the box that differs from what is shown, its
 * unchanged pixels transparent. */
static int flush_pending(kr_gif *g)
{
    int x0 = 0, y0 = 0, x1 = g->w - 1, y1 = g->h - 1, x, y, bw, bh, i;
    GraphicsControlBlock gcb;
    GifByteType ext[4];
    size_t len, k;
    if (!g->have_pending)
        return 0;
    if (g->have_shown) {                       /* bounding box of the change */
        x0 = g->w;
        y0 = g->h;
        x1 = y1 = -1;
        for (y = 0; y < g->h; y++) {
            const uint8_t *a = g->shown + (size_t)y * g->w * 3, *b = g->pending + (size_t)y * g->w * 3;
            if (memcmp(a, b, (size_t)g->w * 3) == 0)
                continue;
            for (x = 0; x < g->w; x++)
                if (memcmp(a + x * 3, b + x * 3, 3) != 0) {
                    x0 = x < x0 ? x : x0;
                    x1 = x > x1 ? x : x1;
                }
            y0 = y < y0 ? y : y0;
            y1 = y;
        }
        if (x1 < 0)                            /* nothing changed: a 1 px frame */
            x0 = y0 = x1 = y1 = 0;
    }
    bw = x1 - x0 + 1;
    bh = y1 - y0 + 1;
    for (y = 0, k = 0; y < bh; y++)
        for (x = 0; x < bw; x++, k++) {
            size_t at = ((size_t)(y0 + y) * g->w + (size_t)(x0 + x)) * 3;
            g->out[k] = g->have_shown && memcmp(g->shown + at, g->pending + at, 3) == 0
                            ? 255 : nearest(g, g->pending + at);
        }
    memset(&gcb, 0, sizeof gcb);
    gcb.DisposalMode = DISPOSE_DO_NOT;
    gcb.DelayTime = g->pending_delay;
    gcb.TransparentColor = g->have_shown ? 255 : NO_TRANSPARENT_COLOR;
    len = EGifGCBToExtension(&gcb, ext);
    i = EGifPutExtension(g->gif, GRAPHICS_EXT_FUNC_CODE, (int)len, ext) == GIF_ERROR
        || EGifPutImageDesc(g->gif, x0, y0, bw, bh, false, NULL) == GIF_ERROR;
    for (y = 0; !i && y < bh; y++)
        i = EGifPutLine(g->gif, g->out + (size_t)y * bw, bw) == GIF_ERROR;
    memcpy(g->shown, g->pending, (size_t)g->w * g->h * 3);
    g->have_shown = 1;
    g->have_pending = 0;
    return i ? -1 : 0;
}

int kr_gif_add(kr_gif *g, const uint8_t *rgb)
{
    size_t n = (size_t)g->w * g->h * 3;
    if (g->have_pending && memcmp(g->pending, rgb, n) == 0) {
        g->pending_delay += g->delay;          /* the same picture: show it longer */
        return 0;
    }
    if (flush_pending(g))
        return -1;
    memcpy(g->pending, rgb, n);
    g->pending_delay = g->delay;
    g->have_pending = 1;
    return 0;
}

int kr_gif_close(kr_gif *g)
{
    int rc = 0, e = 0;
    if (!g)
        return 0;
    if (g->gif) {
        rc = flush_pending(g);
        if (EGifCloseFile(g->gif, &e) == GIF_ERROR)
            rc = -1;
    }
    free(g->shown);
    free(g->pending);
    free(g->out);
    free(g->cache);
    free(g);
    return rc;
}
#else  /* no giflib */
struct kr_gif {
    int unused;
};

kr_gif *kr_gif_open(const char *path, int w, int h, int delay_cs, char *err, size_t n)
{
    (void)path, (void)w, (void)h, (void)delay_cs;
    snprintf(err, n, "this kubesim was built without giflib (install libgif-dev and rebuild)");
    return NULL;
}

int kr_gif_add(kr_gif *g, const uint8_t *rgb)
{
    (void)g, (void)rgb;
    return -1;
}

int kr_gif_close(kr_gif *g)
{
    (void)g;
    return 0;
}
#endif
