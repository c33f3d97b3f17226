/* kr_layouti.h -- render-internal: what the layout's files share
 * (kr_layout.c: frame, panel, the order rows give way; kr_layout_rows.c:
 * Ingress, Service and storage rows; kr_grid.c: node boxes and cards;
 * kr_route.c: mount lines; kr_rects.c, under them all: rectangles, the id
 * index, lookups). Pure C, no SDL.
 * Depends on: kr_layout, kr_status.
 */
#ifndef KR_LAYOUTI_H
#define KR_LAYOUTI_H

#include <math.h>

#include "kr_layout.h"
#include "kr_status.h"

enum { KR_IX_POD = 1, KR_IX_SVC, KR_IX_ING, KR_IX_DISK, KR_IX_BOX };

static inline int kr_imax(int a, int b) { return a > b ? a : b; }
static inline int kr_imin(int a, int b) { return a < b ? a : b; }
static inline int kr_iround(double v) { return (int)floor(v + 0.5); }

static inline kr_rect kr_rect_make(int x, int y, int w, int h)
{
    kr_rect r;
    r.x = x;
    r.y = y;
    r.w = w < 0 ? 0 : w;
    r.h = h < 0 ? 0 : h;
    return r;
}

static inline int kr_measure(const kr_layout_input *in, kr_face f, int px, const char *s)
{
    return in->measure ? in->measure(in->measure_ud, f, px, s) : kr_layout_estimate(f, px, s);
}

/* ---- kr_rects.c ---- */
/* id -> place index, by kind. */
void kr_layout_index_set(kr_layout *l, ks_id id, int kind, size_t i);
int kr_layout_index_get(const kr_layout *l, ks_id id, int kind);

/* ---- kr_layout_rows.c ---- */
/* The traffic box and the Ingress row at y; returns its height (0: none). */
int kr_rows_ingress(kr_layout *l, const ks_sim *sim, const kr_layout_input *in,
                    const kr_layout_seen *seen, int y, int m);
/* The Service pills at y, in at most max_rows rows; returns their height. */
int kr_rows_services(kr_layout *l, const ks_sim *sim, const kr_layout_input *in, int y, int m,
                     int max_rows);
/* Collects the storage band's disks; returns the band's height (0: none). */
int kr_rows_storage_collect(kr_layout *l, const ks_sim *sim, const kr_layout_seen *seen,
                            bool compact);
/* Places the band at y, h tall, and its disks in it. */
void kr_rows_storage_place(kr_layout *l, const ks_sim *sim, const kr_layout_input *in, int y,
                           int h, int m);
/* The HPA cards in the boxes' strips (after kr_grid_place; kr_layout.h). */
void kr_rows_hpa(kr_layout *l, const ks_sim *sim, const kr_layout_input *in);

/* ---- kr_grid.c ---- */
/* The node boxes in area, the pods in their slots, the ghosts. Returns 0 or
 * -1 (out of memory). */
int kr_grid_place(kr_layout *l, const kr_layout_state *st, const ks_sim *sim,
                  const kr_layout_input *in, kr_rect area, int m);

/* ---- kr_route.c ---- */
/* The mount lines of the pods placed. Returns 0 or -1 (out of memory). */
int kr_route_mounts(kr_layout *l, const ks_sim *sim, const kr_layout_input *in, int m);

#endif
