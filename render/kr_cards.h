/* kr_cards.h -- render-internal: pod cards at their four sizes, the storage
 * disks with their records, and the mount lines between them.
 * Depends on: kr_scene.
 */
#ifndef KR_CARDS_H
#define KR_CARDS_H

#include "kr_scene.h"

/* Every pod of the layout, at the layout's card level. */
void kr_cards_draw(kr_scene *s, const ks_sim *sim);
/* The claims' and volumes' disks in the storage band. */
void kr_cards_disks(kr_scene *s, const ks_sim *sim);
/* Dashed lines from pods to the disks of the claims they mount, routed
 * between the cards, with their mount paths. */
void kr_cards_mounts(kr_scene *s, const ks_sim *sim);
/* Pods that are gone, fading out in their slots. */
void kr_cards_ghosts(kr_scene *s, const ks_sim *sim);

#endif
