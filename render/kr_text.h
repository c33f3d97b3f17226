/* kr_text.h -- fonts and text drawing with a cache of rendered labels.
 *
 * Each distinct (face, size, string) is rendered once by SDL_ttf
 * (TTF_RenderUTF8_Blended, in white) into a texture, and drawn in any colour
 * through the texture's colour modulation. The cache is LRU-bounded by
 * entries and by pixels, so a long run with changing text (clocks, ages,
 * countdowns) keeps a flat memory profile.
 * Fonts come from assets/DejaVuSans{,-Bold,Mono}.ttf; a missing file falls
 * back to the system copy, and failing that text is not drawn (with one
 * "ASSET: [path] not found -> using placeholder" log line), so the lesson
 * keeps running.
 * Depends on: SDL2, SDL2_ttf, kr_layout (faces), kr_palette.
 */
#ifndef KR_TEXT_H
#define KR_TEXT_H

#include <SDL.h>
#include <stdbool.h>

#include "kr_layout.h"
#include "kr_palette.h"

typedef struct kr_text kr_text;

#ifndef KR_TEXT_MAX_ENTRIES
#define KR_TEXT_MAX_ENTRIES 3000            /* cached labels */
#endif
#ifndef KR_TEXT_MAX_PIXELS
#define KR_TEXT_MAX_PIXELS (12u << 20)      /* about 48 MB of label textures */
#endif

/* Loads the fonts from assets_dir (NULL: the system's DejaVu). Never NULL
 * unless out of memory; check kr_text_ok for whether fonts were found. */
kr_text *kr_text_create(SDL_Renderer *r, const char *assets_dir);
void kr_text_destroy(kr_text *t);
bool kr_text_ok(const kr_text *t);
/* The surface a software renderer draws on: labels are then drawn into it
 * directly (kr_blit.h), the same pixels. NULL (the default): SDL copies. */
void kr_text_set_target(kr_text *t, SDL_Surface *target);

/* Width in pixels of s; the measure callback for kr_layout. */
int kr_text_width(kr_text *t, kr_face f, int px, const char *s);
int kr_text_measure(void *t, kr_face f, int px, const char *s);
/* Height of a line (font height) in pixels. */
int kr_text_height(kr_text *t, kr_face f, int px);

/* Draws s with its top-left at (x, y); returns its width. */
int kr_text_draw(kr_text *t, kr_face f, int px, const char *s, int x, int y, kr_color c);

typedef enum kr_align { KR_LEFT, KR_CENTER, KR_RIGHT } kr_align;
/* How text too wide for its box is shortened; KR_CUT_SQUEEZE first narrows
 * it by up to 1/1.3 (still readable), then cuts its end. */
typedef enum kr_cut { KR_CUT_END, KR_CUT_MIDDLE, KR_CUT_NAME, KR_CUT_SQUEEZE } kr_cut;

/* Draws s in box r, vertically centred, aligned, shortened with an
 * ellipsis (at its end, its middle, or as a pod name: kr_name_short) to
 * fit r.w. Returns the width drawn. */
int kr_text_box(kr_text *t, kr_face f, int px, const char *s, kr_rect r, kr_align a,
                kr_cut cut, kr_color c);
/* Shortens s into buf so it fits max_w pixels. */
void kr_text_fit(kr_text *t, kr_face f, int px, const char *s, int max_w, kr_cut cut,
                 char *buf, size_t n);
/* Shortens a pod's name into buf so it fits max_w pixels, keeping at least
 * min_words words of its owner (kr_namer_words) while it can. */
void kr_text_fit_name(kr_text *t, kr_face f, int px, const char *name, int max_w, int min_words,
                      char *buf, size_t n);
/* Splits s into at most max_lines lines of at most max_w pixels (words kept
 * whole where possible; the last line ends with "…" if cut). Lines are
 * stored NUL-separated in buf; returns the number of lines. */
int kr_text_wrap(kr_text *t, kr_face f, int px, const char *s, int max_w, int max_lines,
                 char *buf, size_t n);

/* Cache figures, for the benchmark. */
void kr_text_stats(const kr_text *t, size_t *entries, size_t *pixels, size_t *renders);
/* Marks the start of a frame (the LRU clock). */
void kr_text_frame(kr_text *t);

#endif
