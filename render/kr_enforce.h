/* kr_enforce.h -- render-internal: what the cluster enforces, drawn on the
 * picture: the HorizontalPodAutoscaler cards (its Deployment's name, the
 * first metric against its target on a bar, a square a pod up to
 * maxReplicas), the CronJob cards (its schedule, the wait for its next run
 * on the cluster's clock) and the NetworkPolicy walls in front of the pod cards a
 * policy isolates for ingress (only when the network plugin enforces
 * policies), where dropped connections stop.
 * Depends on: kr_scene, kr_status.
 */
#ifndef KR_ENFORCE_H
#define KR_ENFORCE_H

#include "kr_scene.h"

/* The HPA cards of the layout. */
void kr_enforce_hpas(kr_scene *s, const ks_sim *sim);
/* The CronJob cards of the layout (kr_cron_view_of). */
void kr_enforce_crons(kr_scene *s, const ks_sim *sim);
/* A node's CPU and memory bars (kr_node_bars_of: the use now filled, a
 * tick at its pods' requests, the use in percent), right-aligned in r when
 * draw and they fit. Returns their width (0: the node is down). */
int kr_enforce_node_bars(kr_scene *s, const ks_sim *sim, const ks_node *n, kr_rect r, bool draw);
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
