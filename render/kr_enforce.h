/* kr_enforce.h -- render-internal: what the cluster enforces, drawn on the
 * picture: the HorizontalPodAutoscaler cards (its Deployment's name, the
 * first metric against its target on a bar, a square a pod up to
 * maxReplicas) and the NetworkPolicy walls in front of the pod cards a
 * policy isolates for ingress (only when the network plugin enforces
 * policies), where dropped connections stop.
 * Depends on: kr_scene, kr_status.
 */
#ifndef KR_ENFORCE_H
#define KR_ENFORCE_H

#include "kr_scene.h"

/* The HPA cards of the layout. */
void kr_enforce_hpas(kr_scene *s, const ks_sim *sim);
/* The walls in front of isolated pods' cards (cards with a name: the full
 * and medium sizes). */
void kr_enforce_walls(kr_scene *s, const ks_sim *sim);
/* Where a dropped connection to pod stops: the ring in the band above its
 * card's wall (kr_layout_wall_marks; the pod's dot, or its box, when there
 * is no band). False when the pod is not on screen. */
bool kr_enforce_policy_rect(const kr_scene *s, ks_id pod, kr_rect *out);
/* The marks at pod's wall with the status left (measured with the
 * window's fonts); false when there is no band. */
bool kr_enforce_marks(const kr_scene *s, ks_id pod, const char *left, kr_wall_marks *out);

#endif
