/* kr_panel.h -- render-internal: the chrome around the cluster picture, a
 * drawing pass: the top bar, the right panel, the caption, the timeline.
 * Depends on: kr_scene.
 */
#ifndef KR_PANEL_H
#define KR_PANEL_H

#include "kr_scene.h"

void kr_panel_draw(kr_scene *s, const ks_sim *sim);
/* Rows the Requests panel needs for these routes at its width as laid out
 * (a route too long for one row takes two). */
int kr_panel_route_rows(kr_scene *s, const kr_route_stat *st, size_t n);

#endif
