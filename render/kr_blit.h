/* kr_blit.h -- render-internal: a white coverage mask (discs, corners,
 * labels) drawn tinted straight into the software renderer's surface, with
 * the very arithmetic SDL2 uses for that copy, so the pixels are the same.
 *
 * Why: SDL_RenderCopy of a colour-modulated, blended texture on the
 * software renderer goes through SDL_Blit_ARGB8888_RGB888_Modulate_Blend
 * (SDL_blit_auto.c), which does two divisions and a blend on every pixel of
 * the rectangle, the transparent ones too; with 1,000 pods and 2,000 request
 * dots that loop was 60 % of a frame. Here the transparent pixels are
 * skipped and the opaque ones stored.
 *
 * Only for what this path reproduces exactly: an SDL_PIXELFORMAT_RGB888
 * target, and a tint that is not opaque white (SDL then takes
 * BlitRGBtoRGBPixelAlpha, which rounds differently). Otherwise kr_blit_mask
 * returns false and the caller uses SDL_RenderCopy; also when, drawn once
 * both ways on a scratch surface, this SDL blends otherwise.
 * Depends on: SDL2, kr_palette.
 */
#ifndef KR_BLIT_H
#define KR_BLIT_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "kr_palette.h"

/* Draws the w x h part of mask a (one coverage byte a pixel, pitch bytes a
 * row) at (sx, sy) to (dx, dy) of target, tinted c, clipped by the
 * renderer's viewport and clip rectangle. target: the surface r draws on
 * (SDL_CreateSoftwareRenderer's), or NULL. False: not done, copy with SDL. */
bool kr_blit_mask(SDL_Renderer *r, SDL_Surface *target, const uint8_t *a, int pitch, int sx,
                  int sy, int w, int h, int dx, int dy, kr_color c);

/* Whether this SDL blends as kr_blit_mask does (checked once, on scratch
 * surfaces); when not, kr_blit_mask always returns false. */
bool kr_blit_exact(void);

/* The coverage bytes of a white ARGB8888 surface (TTF_RenderUTF8_Blended in
 * white, a disc): malloc'd, w*h bytes; NULL when a visible pixel is not
 * white (then the mask would not be the texture) or out of memory. */
uint8_t *kr_blit_mask_of(const SDL_Surface *s);

#endif
