/* kr_hit.h -- render-internal: what is where on screen beyond the layout,
 * shared by the drawing passes (which draw there) and input (which hits
 * it): the selection's menu, the rows of the pods table and of the Events
 * panel, the timeline's scale, the card under a point. Measures text, never
 * draws.
 * Depends on: kr_scene, kr_status.
 */
#ifndef KR_HIT_H
#define KR_HIT_H

#include "kr_scene.h"

/* The menu items of the selection: labels and their keys; returns how many. */
int kr_hit_menu_items(const kr_scene *s, const ks_sim *sim, const char *labels[KR_MENU_MAX],
                      char keys[KR_MENU_MAX]);
/* The whole name of the selection, the menu's title. */
const char *kr_hit_menu_title(const kr_scene *s, const ks_sim *sim);
/* The rect of the selection's menu (w == 0 when closed): the title, then
 * a row per item. */
kr_rect kr_hit_menu_rect(kr_scene *s, const ks_sim *sim);
/* The menu item under (x, y), or -1. */
int kr_hit_menu_item(kr_scene *s, const ks_sim *sim, int x, int y);

/* Rows of the pods table: the top of the first, their height; returns how
 * many fit. */
int kr_hit_table_rows(const kr_scene *s, int *y0, int *rh);
/* The pod of the table row under (x, y), or NULL. */
const ks_pod *kr_hit_table_pod(kr_scene *s, const ks_sim *sim, int x, int y);

/* Rows of the Events panel: where the first starts, their height, the
 * index of the first event shown (the newest at the bottom); returns how
 * many fit. */
int kr_hit_event_rows(kr_scene *s, const ks_sim *sim, int *y0, int *rh, size_t *first);
/* The Kubernetes event of the Events row under (x, y), or NULL. */
const ks_k8s_event *kr_hit_event(kr_scene *s, const ks_sim *sim, int x, int y);

/* The timeline's bar runs from *x0 to *x1 and stands for the returned
 * length (the lesson's, or now when past it). */
ks_time kr_hit_timeline(const kr_scene *s, const ks_sim *sim, int *x0, int *x1);
/* The time under x on the timeline (clamped to its ends). */
ks_time kr_hit_timeline_time(const kr_scene *s, const ks_sim *sim, int x);

/* The last line of the goals panel: "H or click: the next hint". */
kr_rect kr_hit_hint_line(const kr_scene *s);
/* The pod whose card (as drawn) is under (x, y), or 0. */
ks_id kr_hit_pod(kr_scene *s, int x, int y);

#endif
