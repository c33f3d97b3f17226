/* kr_gfx.h -- drawing primitives SDL2 lacks, antialiased and fast on the
 * software renderer: rounded boxes and frames (solid or dashed), discs and
 * rings, thick lines (solid or dashed), triangles, ellipses.
 *
 * Discs and corners are textures rendered once per radius (coverage by
 * 4x4 supersampling) and tinted with colour modulation; lines and ellipses
 * are SDL_RenderGeometry triangles with a one-pixel feather whose alpha
 * falls to zero, which antialiases their edges.
 * Depends on: SDL2, kr_layout (rects), kr_palette.
 */
#ifndef KR_GFX_H
#define KR_GFX_H

#include <SDL.h>
#include <stdbool.h>

#include "kr_layout.h"
#include "kr_palette.h"

typedef struct kr_gfx kr_gfx;

kr_gfx *kr_gfx_create(SDL_Renderer *r);
void kr_gfx_destroy(kr_gfx *g);
SDL_Renderer *kr_gfx_renderer(kr_gfx *g);
/* The surface a software renderer draws on (SDL_CreateSoftwareRenderer's):
 * discs and corners are then drawn into it directly (kr_blit.h), the same
 * pixels in a fraction of the time. NULL (the default): SDL copies. */
void kr_gfx_set_target(kr_gfx *g, SDL_Surface *target);

void kr_fill(kr_gfx *g, kr_rect r, kr_color c);
/* A filled box with rounded corners of radius rad. */
void kr_round_fill(kr_gfx *g, kr_rect r, int rad, kr_color c);
/* Its outline, th pixels thick, inside r. dashed: dashes of about 3*th. */
void kr_round_frame(kr_gfx *g, kr_rect r, int rad, int th, kr_color c, bool dashed);
/* A disc of radius rad centred at (cx, cy) (float for moving dots). */
void kr_disc(kr_gfx *g, float cx, float cy, int rad, kr_color c);
/* A ring: a circle outline th pixels thick. */
void kr_ring(kr_gfx *g, float cx, float cy, int rad, int th, kr_color c);
/* A line of width w. dash > 0: dashes and gaps of that length. */
void kr_line(kr_gfx *g, float x0, float y0, float x1, float y1, float w, kr_color c, float dash);
/* A filled triangle (antialiased edges). */
void kr_triangle(kr_gfx *g, float x0, float y0, float x1, float y1, float x2, float y2,
                 kr_color c);
/* A filled ellipse in r (antialiased). */
void kr_ellipse(kr_gfx *g, kr_rect r, kr_color c);
/* An ellipse outline th pixels thick. */
void kr_ellipse_frame(kr_gfx *g, kr_rect r, float th, kr_color c);
/* Sets a clip rectangle (NULL: none). */
void kr_clip(kr_gfx *g, const kr_rect *r);

#endif
