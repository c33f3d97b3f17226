/* kr_layout.h -- where everything goes in the window: a pure function of
 * (cluster, window size, scale) plus a small state that keeps each pod in
 * its slot across frames.
 *
 *   top bar: title · restart ▶/❚❚ step · − speed + · ?            clock
 *   [Traffic]──[Ingress · rules]                     | kubectl get pods |
 *   (svc :80 · 3/3 ready) (svc ...)                  |                  |
 *   ┌ node-1 Ready ──────── cpu · mem ┐ ┌ node-2 ┐   | Events           |
 *   │ [pod card] [pod card] ...       │ │        │   |                  |
 *   └─────────────────────────────────┘ └────────┘   | Requests         |
 *   Storage: (claim disk with records) ...           |                  |
 *   caption ..............................................................
 *   timeline with markers ................................................
 *
 * Pods become cards of one of four sizes, the largest that lets every pod
 * of every node fit: full (name, restarts, status pill, detail line),
 * medium (name and status), small (glyph and name suffix), then dots with
 * the counts per status in the box's header. Text sizes scale with the window and --scale;
 * at 1280x720 body text is 16 px, the caption 24 px.
 *
 * Slots: a pod keeps its slot in its node's grid while it exists. A new pod
 * takes the slot most recently freed by a pod of the same owner (its
 * Deployment, else its ReplicaSet) on that node, else the first free slot.
 * When a pod that was being replaced goes away, its replacement (same owner,
 * same node, created after the deletion) moves into its slot: the grid stays
 * put and compact through deletions, crashes and rolling updates.
 *
 * No SDL here: text widths come from a callback (or an estimate).
 * Depends on: ks_cluster, kr_status.
 */
#ifndef KR_LAYOUT_H
#define KR_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "cluster/ks_cluster.h"

typedef struct kr_rect {
    int x, y, w, h;
} kr_rect;

/* Font faces (assets/DejaVuSans*.ttf). */
typedef enum kr_face { KR_FACE_SANS, KR_FACE_BOLD, KR_FACE_MONO, KR_FACE_MONO_BOLD,
                       KR_FACE_COUNT } kr_face;

/* Text sizes in pixels (em), per role. */
typedef struct kr_fonts {
    int title;     /* top bar title and clock */
    int caption;   /* the lesson caption (>= 24 at 1280x720) */
    int heading;   /* node names, panel and box headings */
    int body;      /* pod names, statuses, labels (>= 16 at 1280x720) */
    int small;     /* secondary detail: tables, detail lines (>= 12) */
    int tiny;      /* counts and marks where nothing else fits */
} kr_fonts;

/* Width in pixels of text in a face and size. */
typedef int (*kr_measure_fn)(void *ud, kr_face face, int px, const char *text);

typedef enum kr_card_level { KR_CARD_FULL, KR_CARD_MEDIUM, KR_CARD_SMALL, KR_CARD_DOT,
                             KR_CARD_LEVELS } kr_card_level;

typedef enum kr_button { KR_BTN_RESTART, KR_BTN_PLAY, KR_BTN_STEP, KR_BTN_SLOWER,
                         KR_BTN_FASTER, KR_BTN_HELP, KR_BTN_COUNT } kr_button;

typedef struct kr_layout_input {
    int w, h;                  /* window, pixels */
    double scale;              /* --scale (<= 0 means 1) */
    const char *caption;       /* the current caption, or NULL */
    bool traffic;              /* draw the traffic source box */
    bool hide_panel;           /* no right panel (more room for the cluster) */
    kr_measure_fn measure;     /* NULL: an estimate from average glyph widths */
    void *measure_ud;
} kr_layout_input;

/* A node's box (node 0: the box of pods not scheduled yet). */
typedef struct kr_box {
    ks_id node;
    kr_rect r;                 /* the box */
    kr_rect header;            /* name, Ready label, cpu/mem */
    kr_rect inner;             /* the slot grid */
    kr_rect counts;            /* dots level: the counts per status (in the
                                  header's right part; w == 0: no room) */
    int cols, rows;            /* grid */
    int cell_w, cell_h, gap;   /* a slot's card and the space between */
    int nslots;                /* slots in use (highest + 1) */
    int npods;
    int hidden;                /* pods that did not fit even as dots */
} kr_box;

typedef struct kr_pod_place {
    ks_id pod;
    int box;                   /* index in boxes */
    int slot;
    kr_rect r;                 /* the card (w == 0: not shown) */
} kr_pod_place;

typedef struct kr_place {      /* a Service pill, an Ingress, a storage disk */
    ks_id id;                  /* the Service / Ingress / claim (or volume) */
    ks_id pv;                  /* disks: the bound volume, or 0 */
    kr_rect r;
} kr_place;

typedef struct kr_layout {
    int w, h;
    float u;                   /* 1.0 at 1280x720, scale 1 */
    kr_fonts font;
    kr_card_level level;       /* card size used in every box */
    kr_rect topbar, title, clock, speed;
    kr_rect btn[KR_BTN_COUNT];
    kr_rect main;              /* the cluster picture */
    kr_rect traffic;           /* w == 0: none */
    kr_place *ing;
    size_t ning;
    kr_place *svc;
    size_t nsvc, svc_hidden;   /* pills that did not fit: "+N more" */
    kr_rect svc_more;
    kr_rect nodes;             /* the area holding the boxes */
    kr_box *box;
    size_t nbox;
    kr_pod_place *pod;
    size_t npod;
    kr_rect storage;           /* h == 0: no claims and no volumes */
    kr_place *disk;
    size_t ndisk, disk_hidden;
    kr_rect panel;             /* w == 0: hidden */
    kr_rect table, events, requests;
    kr_rect caption;
    kr_rect timeline;
    /* internal: capacity of the arrays, id -> place index */
    size_t cap_ing, cap_svc, cap_box, cap_pod, cap_disk;
    int *index;
    size_t index_cap;
} kr_layout;

/* ---- slot state ------------------------------------------------------------- */
typedef struct kr_layout_state kr_layout_state;

/* Creates an empty state (NULL when out of memory). */
kr_layout_state *kr_layout_state_create(void);
void kr_layout_state_destroy(kr_layout_state *st);
/* Forgets every slot (after the simulation is re-created). */
void kr_layout_state_reset(kr_layout_state *st);
/* Brings the slots up to date with the pods of sim: frees the slots of pods
 * that are gone, moves replacements into them, gives new pods a slot.
 * Returns 0, or -1 when out of memory (the state stays usable). */
int kr_layout_state_sync(kr_layout_state *st, const ks_sim *sim);
/* A pod's box (node id, 0 = not scheduled) and slot; false if unknown. */
bool kr_layout_state_slot(const kr_layout_state *st, ks_id pod, ks_id *box, int *slot);

/* ---- the layout ------------------------------------------------------------- */
void kr_layout_init(kr_layout *l);
void kr_layout_fini(kr_layout *l);
/* Computes every rectangle for this frame. Pods not yet known to st are
 * placed after the others (call kr_layout_state_sync first). Returns 0, or
 * -1 when out of memory. */
int kr_layout_compute(kr_layout *l, const kr_layout_state *st, const ks_sim *sim,
                      const kr_layout_input *in);

/* Lookups by id, NULL when not placed. */
const kr_pod_place *kr_layout_find_pod(const kr_layout *l, ks_id pod);
const kr_place *kr_layout_find_service(const kr_layout *l, ks_id svc);
const kr_place *kr_layout_find_disk(const kr_layout *l, ks_id pvc_or_pv);
const kr_box *kr_layout_find_box(const kr_layout *l, ks_id node);

/* Estimated text width (the measure used when none is given). */
int kr_layout_estimate(kr_face face, int px, const char *text);
/* Whether two rectangles overlap / a contains b / p is inside r. */
bool kr_rect_overlaps(kr_rect a, kr_rect b);
bool kr_rect_contains(kr_rect a, kr_rect b);
bool kr_rect_hit(kr_rect r, int x, int y);

#endif
