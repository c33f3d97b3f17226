/* kr_draw.h -- render-internal: the cluster picture, a drawing pass.
 * Depends on: kr_scene.
 */
#ifndef KR_DRAW_H
#define KR_DRAW_H

#include "kr_scene.h"

/* Traffic, Ingress, Services, node boxes with their cards, storage, lines,
 * request dots and bursts, inside the layout's main area. */
void kr_draw_cluster(kr_scene *s, const ks_sim *sim);

#endif
