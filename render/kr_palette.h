/* kr_palette.h -- the window's colours: the Okabe-Ito palette (safe for
 * colour-blind viewers) plus neutral greys, and the tone of each kubectl
 * STATUS. Colour is never the only signal: every tone is drawn together with
 * its status text (or, on the smallest cards, a glyph and a shape).
 * Depends on: libc only (no SDL), so layout tests can use it.
 */
#ifndef KR_PALETTE_H
#define KR_PALETTE_H

#include <stdint.h>

typedef struct kr_color {
    uint8_t r, g, b, a;
} kr_color;

#define KR_RGB(hex) ((kr_color){(uint8_t)((hex) >> 16), (uint8_t)((hex) >> 8), (uint8_t)(hex), 255})

/* Okabe & Ito (2008), "Color Universal Design". */
#define KR_OI_BLACK       KR_RGB(0x000000)
#define KR_OI_ORANGE      KR_RGB(0xE69F00)
#define KR_OI_SKY         KR_RGB(0x56B4E9)
#define KR_OI_GREEN       KR_RGB(0x009E73)   /* "bluish green" */
#define KR_OI_YELLOW      KR_RGB(0xF0E442)
#define KR_OI_BLUE        KR_RGB(0x0072B2)
#define KR_OI_VERMILLION  KR_RGB(0xD55E00)
#define KR_OI_PURPLE      KR_RGB(0xCC79A7)   /* "reddish purple" */

/* Neutrals of the window (light theme: projectors wash out dark ones,
 * except the terminal-like kubectl table, which reads as a terminal). */
#define KR_C_BG           KR_RGB(0xF3F3F0)
#define KR_C_BAR          KR_RGB(0x1F2428)   /* top bar */
#define KR_C_BAR_TEXT     KR_RGB(0xFFFFFF)
#define KR_C_BAR_DIM      KR_RGB(0xC4CAD0)
#define KR_C_TEXT         KR_RGB(0x1A1A1A)
#define KR_C_DIM          KR_RGB(0x5F6368)
#define KR_C_FAINT        KR_RGB(0x9AA0A6)
#define KR_C_LINE         KR_RGB(0x8A9096)
#define KR_C_BOX          KR_RGB(0xFFFFFF)
#define KR_C_BOX_EDGE     KR_RGB(0x80868B)
#define KR_C_CARD         KR_RGB(0xFFFFFF)
#define KR_C_STORAGE      KR_RGB(0xE9EDF2)
#define KR_C_DISK         KR_RGB(0xDCE6F2)
#define KR_C_TERM         KR_RGB(0x1E2227)   /* kubectl table background */
#define KR_C_TERM_TEXT    KR_RGB(0xE6E6E6)
#define KR_C_TERM_DIM     KR_RGB(0x9DA5AD)
#define KR_C_TERM_PROMPT  KR_RGB(0x8FD694)
#define KR_C_CAPTION      KR_RGB(0xFFF6DA)
#define KR_C_CAPTION_EDGE KR_RGB(0xE6B740)
#define KR_C_GONE         KR_RGB(0x8C8C8C)   /* Terminating */
#define KR_C_SELECT       KR_OI_BLUE

/* A pod's tone, from its kubectl STATUS. */
typedef enum kr_tone {
    KR_TONE_OK,        /* Running and Ready */
    KR_TONE_WAIT,      /* ContainerCreating, PodInitializing, Running but not Ready */
    KR_TONE_PENDING,   /* Pending: not scheduled yet */
    KR_TONE_BAD,       /* CrashLoopBackOff, Error, ImagePullBackOff, ... */
    KR_TONE_DONE,      /* Completed / Succeeded */
    KR_TONE_GONE,      /* Terminating */
    KR_TONE_COUNT
} kr_tone;

/* Fill colour of a tone, and the text colour that reads on it. */
kr_color kr_tone_color(kr_tone t);
kr_color kr_tone_text(kr_tone t);
/* A one-character UTF-8 glyph for a tone (DejaVu Sans has them all): shown
 * on the smallest cards, where the status text does not fit. */
const char *kr_tone_glyph(kr_tone t);
/* Blends a towards b by f in [0,1]. */
kr_color kr_color_mix(kr_color a, kr_color b, float f);

#endif
