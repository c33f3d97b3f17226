/* kr_display.c -- display detection. Without DISPLAY/WAYLAND_DISPLAY, SDL
 * 2.26 silently falls back to an offscreen EGL driver (TOOLCHAIN.md §6), which
 * is not a window anyone can see: treat that as "no display". */
#include "kr_display.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool kr_display_available(char *why, size_t n)
{
    const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && (strcmp(drv, "dummy") == 0 || strcmp(drv, "offscreen") == 0)) {
        snprintf(why, n, "SDL_VIDEODRIVER=%s shows no window", drv);
        return false;
    }
    if ((!x || !*x) && (!w || !*w)) {
        snprintf(why, n, "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)");
        return false;
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(why, n, "cannot open the display: %s", SDL_GetError());
        return false;
    }
    /* Kept open (SDL counts the inits; SDL_Quit ends it): closing it here
       would close the X connection, and an X server whose last client
       leaves resets itself (Xvfb by default), refusing the window's own
       connection a moment later ("x11 not available"). */
    return true;
}
