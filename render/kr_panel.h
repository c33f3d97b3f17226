/* kr_panel.h -- render-internal: the chrome around the cluster picture, a
 * drawing pass: the top bar, the right panel, the caption, the timeline.
 * Depends on: kr_scene.
 */
#ifndef KR_PANEL_H
#define KR_PANEL_H

#include "kr_scene.h"

void kr_panel_draw(kr_scene *s, const ks_sim *sim);

#endif
