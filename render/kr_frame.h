/* kr_frame.h -- frames as pixels: read back, hash, PNG, animated GIF.
 *
 * Frames are compared as decoded RGB24 pixels (never as PNG bytes: a zlib
 * upgrade changes the bytes, not the pixels). PNGs use libpng at
 * compression level 1 (TOOLCHAIN.md: 15 ms a frame, against 20 at the
 * default). GIFs use giflib when it was found at build time (KR_HAVE_GIF),
 * with a fixed palette made of the window's own colours: each frame is the
 * box that changed, its unchanged pixels transparent, and identical frames
 * only lengthen the previous one's delay.
 * Depends on: SDL2, libpng, giflib (optional).
 */
#ifndef KR_FRAME_H
#define KR_FRAME_H

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

/* Reads the renderer's target (w x h) as RGB24 rows of w*3 bytes into rgb.
 * Returns 0, or -1 with SDL's error. */
int kr_frame_read(SDL_Renderer *r, int w, int h, uint8_t *rgb);
/* FNV-1a 64 of n bytes: the golden-image hash of an RGB24 frame. */
uint64_t kr_rgb_hash(const uint8_t *rgb, size_t n);
/* Writes an RGB24 image as PNG (level 1). Returns 0, or -1 (message on
 * stderr, prefixed "PNG:"). */
int kr_png_write(const char *path, const uint8_t *rgb, int w, int h);

typedef struct kr_gif kr_gif;

/* Starts an animated GIF (looping) of w x h frames shown delay_cs
 * hundredths of a second each. NULL on failure, with why in err. The file
 * is created with mode 0666 & ~umask (not giflib's 0600). */
kr_gif *kr_gif_open(const char *path, int w, int h, int delay_cs, char *err, size_t n);
/* Adds an RGB24 frame. Returns 0 or -1. */
int kr_gif_add(kr_gif *g, const uint8_t *rgb);
/* Writes what is pending and closes. Returns 0 or -1. NULL is fine. */
int kr_gif_close(kr_gif *g);

#endif
