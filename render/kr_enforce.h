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
/* Where a dropped connection to pod stops: a strip just above its card's
 * wall (its box's top edge when the pod is a small card or a dot). False
 * when the pod is not on screen. */
bool kr_enforce_policy_rect(const kr_scene *s, ks_id pod, kr_rect *out);

#endif
