/* kr_display.h -- can this process open a window? (SDL2) */
#ifndef KR_DISPLAY_H
#define KR_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

/* True when a video display can be opened: SDL's video is then left
 * initialised for the window that follows (SDL_Quit, as kr_app_run's, ends
 * it). Otherwise false, with a short reason in why ("no DISPLAY or
 * WAYLAND_DISPLAY is set"). */
bool kr_display_available(char *why, size_t n);

#endif
