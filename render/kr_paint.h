/* kr_paint.h -- render-internal: draws one whole frame of a scene.
 * Depends on: kr_scene.
 */
#ifndef KR_PAINT_H
#define KR_PAINT_H

#include "kr_scene.h"

/* Lays out and draws one whole frame of sim at size w x h. */
void kr_paint(kr_scene *s, const ks_sim *sim, int w, int h);

#endif
