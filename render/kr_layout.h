/* kr_layout.h -- where everything goes in the window: a pure function of
 * (cluster, window size, scale, what the panels hold) plus a small state
 * that gives each pod its slot for life.
 *
 *   top bar: title · restart ▶/❚❚ step · − speed + · ?            clock
 *   [Traffic]──[Ingress · rules]         [CronJob] | goals (exercises)|
 *   (svc :80 · 3/3 ready) (svc ...)                  | $ kubectl get pods|
 *   ┌ node-1 Ready ─── requests cpu · mem ┐ ┌ node-2 ┐| $ kubectl (last) |
 *   │ [HPA card: its pods below]          │ │        │|                  |
 *   │ [pod card] [pod card] ...           │ │        │| Events           |
 *   └─────────────────────────────────────┘ └────────┘| Requests         |
 *   Storage: (claim disk with records) ...           |                  |
 *   caption (two lines, always) ..........................................
 *   timeline with markers ................................................
 *
 * Sizes derive from one unit u = window height / 720 × --scale (a window
 * narrower than 4:3 takes its width instead), so text grows with the
 * window: at 1920x1080 the smallest text is 18 px, table and detail text
 * 20 px, pod names 24 px, captions 36 px.
 *
 * Pods become cards of one of four sizes, the largest at which every box
 * holds all of its slots: full (name, restarts, status pill, detail line),
 * medium (name and status), small (glyph and name suffix), then dots with
 * the counts per status in the box's header. Cards are at least as wide as
 * the shortest form of the longest name (kr_name_min), so names keep their
 * workload and suffix.
 *
 * Slots (kr_layout_state): a pod keeps its slot for its whole life; a new
 * pod takes the free slot nearest the pod it replaces (a going pod of the
 * same Deployment or ReplicaSet), else the lowest free one; a pod that is
 * gone stays as a ghost in its slot for a moment (the window fades it
 * there). A StatefulSet's pods read in ordinal order and each ordinal keeps
 * its slot as its home: a pod made again (same name) comes back to it. A box's slot count only grows, and the grid is planned for the
 * most slots its box held, in this run or in an earlier run of the same
 * lesson (kr_layout_state_reserve): the grid never re-flows while pods
 * come and go, and cards never overlap.
 *
 * Mount lines run from a pod card to its claim's disk through the gaps
 * between cards and boxes (kr_layout.mount), never across another card.
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
    int small;     /* secondary detail: tables, detail lines (>= 13) */
    int tiny;      /* counts and marks where nothing else fits (>= 12) */
} kr_fonts;

/* Width in pixels of text in a face and size. */
typedef int (*kr_measure_fn)(void *ud, kr_face face, int px, const char *text);

typedef enum kr_card_level { KR_CARD_FULL, KR_CARD_MEDIUM, KR_CARD_SMALL, KR_CARD_DOT,
                             KR_CARD_LEVELS } kr_card_level;

typedef enum kr_button { KR_BTN_RESTART, KR_BTN_PLAY, KR_BTN_STEP, KR_BTN_SLOWER,
                         KR_BTN_FASTER, KR_BTN_HELP, KR_BTN_COUNT } kr_button;

/* What the right panel's parts hold, so each is sized for it. */
typedef struct kr_panel_want {
    int goals;                 /* lines of the exercise checklist (0: no exercise) */
    int pods;                  /* rows of `kubectl get pods` */
    int output;                /* lines of the last kubectl command and its output */
    int events;                /* rows of Events */
    int routes;                /* rows of Requests */
} kr_panel_want;

typedef struct kr_layout_input {
    int w, h;                  /* window, pixels */
    double scale;              /* --scale (<= 0 means 1) */
    bool traffic;              /* draw the traffic source box */
    bool hide_panel;           /* no right panel (more room for the cluster) */
    bool live;                 /* live mode: no restart and step buttons */
    kr_panel_want want;
    kr_measure_fn measure;     /* NULL: an estimate from average glyph widths */
    void *measure_ud;
} kr_layout_input;

/* A node's box (node 0: the box of pods not scheduled yet). */
typedef struct kr_box {
    ks_id node;
    kr_rect r;                 /* the box */
    kr_rect header;            /* name, Ready label, requests */
    kr_rect inner;             /* the slot grid */
    kr_rect counts;            /* dots level: the counts per status (in the
                                  header's right part; w == 0: no room) */
    int cols, rows;            /* grid */
    int cell_w, cell_h, gap;   /* a slot's card and the space between */
    int band;                  /* room above each row of cards for the marks
                                  at a NetworkPolicy wall (0: none) */
    kr_rect hpa;               /* the strip between the header and the grid
                                  holding the HPA cards of the pods below
                                  (h == 0: none) */
    int nslots;                /* slots planned (its high-water mark) */
    int npods;
    int hidden;                /* pods that did not fit even as dots */
    bool future;               /* room kept for a node that joins later: empty */
} kr_box;

typedef struct kr_pod_place {
    ks_id pod;
    int box;                   /* index in boxes */
    int slot;
    kr_rect r;                 /* the card (w == 0: not shown) */
    ks_id hpa;                 /* the HPA that scales it (kr_pod_hpa), or 0 */
} kr_pod_place;

/* A pod that is gone, fading out in its slot. */
typedef struct kr_ghost {
    ks_id pod, box;            /* box: node id */
    int slot;
    ks_time gone_at;           /* simulated time it went */
    const char *name;          /* valid until the next sync */
} kr_ghost;

typedef struct kr_ghost_place {
    kr_ghost g;
    int box;                   /* index in boxes */
    kr_rect r;                 /* w == 0: not shown */
} kr_ghost_place;

typedef struct kr_place {      /* a Service pill, an Ingress, a storage disk */
    ks_id id;                  /* the Service / Ingress / claim (or volume) */
    ks_id pv;                  /* disks: the bound volume, or 0 */
    kr_rect r;
    int lines;                 /* Ingresses: text lines of its rules */
    int drop, rise;            /* Services: x of a line down to the nodes /
                                  up to the Ingress that passes no other
                                  pill (-1: none) */
} kr_place;

#define KR_ROUTE_POINTS 10

/* A mount line: from a pod card to the disk of a claim it mounts, as a
 * polyline through the gaps between cards. */
typedef struct kr_mount {
    ks_id pod;
    int disk;                  /* index in disk */
    const char *path;          /* the mountPath, NULL when unknown */
    float x[KR_ROUTE_POINTS], y[KR_ROUTE_POINTS];
    int n;                     /* points */
    kr_rect label;             /* where its label goes (w == 0: nowhere) */
    char text[96];             /* the label: "mount: PATH", or a shorter
                                  form where that does not fit (kr_route.c) */
    bool labelled, tried;      /* wants a label (not terminating); placed */
} kr_mount;

typedef struct kr_layout {
    int w, h;
    float u;                   /* 1.0 at 1280x720, scale 1 */
    kr_fonts font;
    kr_card_level level;       /* card size used in every box */
    bool chip_names;           /* small cards have room for short names */
    kr_rect topbar, title, clock, speed;
    kr_rect btn[KR_BTN_COUNT];
    kr_rect main;              /* the cluster picture */
    kr_rect traffic;           /* w == 0: none */
    kr_place *ing;
    size_t ning;
    kr_place *hpa;             /* HorizontalPodAutoscaler cards (id: the
                                  HPA), in the HPA strip of the box that
                                  holds most of its target's pods */
    size_t nhpa;
    int hpa_strip;             /* that strip's height in every box (0: the
                                  run has seen no HPA, or they are in the row) */
    bool hpa_in_row;           /* no box is wide enough for a strip: the HPA
                                  cards are at the right of the Ingress row */
    kr_place *cron;            /* CronJob cards (id: the CronJob), at the
                                  right of the Ingress row */
    size_t ncron;
    kr_place *svc;
    size_t nsvc, svc_hidden;   /* pills that did not fit: "+N more" */
    kr_rect svc_more;
    kr_rect nodes;             /* the area holding the boxes */
    kr_box *box;
    size_t nbox;
    kr_pod_place *pod;
    size_t npod;
    kr_ghost_place *ghost;
    size_t nghost;
    kr_rect storage;           /* h == 0: no claims and no volumes */
    int storage_title;         /* x where the band's title "Storage" ends */
    kr_place *disk;
    size_t ndisk, disk_hidden;
    kr_mount *mount;
    size_t nmount;
    kr_rect panel;             /* w == 0: hidden */
    kr_rect goals;             /* the exercise checklist (h == 0: none) */
    kr_rect term;              /* the terminal: the pods table, then output */
    kr_rect table;             /* `kubectl get pods`, inside term */
    kr_rect output;            /* the last kubectl command, inside term (h == 0: none) */
    kr_rect events, requests;
    kr_rect caption;
    kr_rect timeline;
    /* internal: capacity of the arrays, id -> place index */
    size_t cap_ing, cap_hpa, cap_cron, cap_svc, cap_box, cap_pod, cap_ghost, cap_disk, cap_mount;
    int *index;
    size_t index_cap;
    unsigned char *occ;        /* slot occupancy while placing pods */
    size_t cap_occ;
} kr_layout;

/* ---- slot state ------------------------------------------------------------- */
typedef struct kr_layout_state kr_layout_state;

/* The most of each thing seen at once in a run: the layout keeps room for
 * them so rows and bands do not come and go. */
typedef struct kr_layout_seen {
    size_t ingresses, services, volumes;
    size_t hpas;               /* HorizontalPodAutoscalers */
    size_t cronjobs;
    bool pending_box;          /* a pod waited unscheduled at some point */
    char widest_name[96];      /* the longest kr_name_min of a pod */
} kr_layout_seen;

/* Creates an empty state (NULL when out of memory). */
kr_layout_state *kr_layout_state_create(void);
void kr_layout_state_destroy(kr_layout_state *st);
/* Forgets every slot and ghost (after the simulation is re-created); the
 * reserve stays. */
void kr_layout_state_reset(kr_layout_state *st);
/* Brings the slots up to date with the pods of sim: pods that are gone
 * become ghosts for ghost_keep of simulated time, then free their slots;
 * new pods get slots. Returns 0, or -1 when out of memory (the state stays
 * usable). */
int kr_layout_state_sync(kr_layout_state *st, const ks_sim *sim, ks_time ghost_keep);
/* A pod's box (node id, 0 = not scheduled) and slot; false if unknown. */
bool kr_layout_state_slot(const kr_layout_state *st, ks_id pod, ks_id *box, int *slot);
/* The ghosts, into out (at most max); returns how many there are. */
size_t kr_layout_state_ghosts(const kr_layout_state *st, kr_ghost *out, size_t max);
/* Slots to plan for a box: its high-water mark, or its reserve if more. */
int kr_layout_state_box_slots(const kr_layout_state *st, ks_id box);
/* The maxima seen (or reserved). */
kr_layout_seen kr_layout_state_seen(const kr_layout_state *st);
/* Takes the slot counts and maxima of another state (a run of the whole
 * lesson made beforehand) as floors. Returns 0 or -1 (out of memory). */
int kr_layout_state_reserve(kr_layout_state *st, const kr_layout_state *run);
/* The nodes of that run, in the order they came (ids; a node that joins
 * later in the run has its box planned from the start, so the grid does not
 * re-flow when it comes): at most max into out; returns how many. */
size_t kr_layout_state_planned(const kr_layout_state *st, ks_id *out, size_t max);

/* ---- the layout ------------------------------------------------------------- */
void kr_layout_init(kr_layout *l);
void kr_layout_fini(kr_layout *l);
/* Computes every rectangle for this frame (call kr_layout_state_sync
 * first; pods it does not know yet go to free slots). Returns 0, or -1 when
 * out of memory. */
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
/* The lines of an Ingress's rules at width w in the mono face at px: a
 * rule that does not fit breaks before its "→" and before "as", never
 * losing its end. Returns the lines written (at most max). */
int kr_layout_ingress_lines(const ks_object *ing, kr_measure_fn measure, void *ud, int px, int w,
                            char (*lines)[200], int max);
/* Whether the segment (x0,y0)-(x1,y1) passes through the inside of r. */
bool kr_segment_crosses(kr_rect r, float x0, float y0, float x1, float y1);

/* HPA cards sit right above the pods they scale: while the run has seen an
 * HPA, every box (wide enough) has a strip between its header and its
 * grid (kr_layout.hpa_strip high), and each HPA's card goes into the strip
 * of the box holding most of its target's pods (ties, and none: the first
 * box with a strip), left to right, each as wide as its two lines need
 * (cut when they do not all fit). When no box is wide enough (many nodes
 * side by side), the cards go to the right end of the Ingress row instead. Line one: "HPA name", the first metric
 * on a bar KR_HPA_BAR_EM body ems long (the target at its middle) and
 * "cpu 59% / 50%" (then "→ Deployment/name" where there is room); line
 * two: a square a pod up to maxReplicas (at most KR_HPA_SQUARES) and
 * "5 → 6 pods · min 1 · max 10". */
#define KR_HPA_BAR_EM 7
#define KR_HPA_SQUARES 20
int kr_hpa_square(const kr_layout *l);
int kr_hpa_squares_w(const kr_layout *l, int max);
/* The card's height, its padding, and its lines' heights. */
int kr_hpa_card_h(const kr_layout *l);
int kr_hpa_pad(const kr_layout *l);
int kr_hpa_line1(const kr_layout *l);
int kr_hpa_line2(const kr_layout *l);
/* The HPA that scales a pod's ReplicaSet, StatefulSet or Deployment, or 0
 * (its card carries the HPA's purple square). The layout looks once a pod,
 * each time it is computed: kr_pod_place.hpa. */
ks_id kr_pod_hpa(const ks_sim *sim, const ks_pod *p);
/* CronJob cards: the bar of the wait for the next run is KR_CRON_BAR_EM
 * body ems long. */
#define KR_CRON_BAR_EM 4

/* NetworkPolicy walls: when the cluster's network plugin enforces
 * policies, every row of cards (all sizes but dots) has a band above it,
 * kr_layout_wall_band high, where a connection a policy drops stops at
 * the card's wall: a ring, the caller's status left of it ("504 timeout"),
 * "dropped" right of it, all inside the card's width, over nothing else. */
typedef struct kr_wall_marks {
    kr_rect strip;             /* above the card, its wall excluded */
    int cx, cy, ring;          /* the ring's centre and radius */
    kr_rect left, right;       /* the two labels (w == 0: no room) */
    size_t left_len;           /* bytes of the dot's status shown in left
                                  (its first word when the whole does not
                                  fit; 0: none) */
} kr_wall_marks;
int kr_layout_wall_band(const kr_layout *l);
/* The wall's thickness (drawn across the card's top edge, half in the band). */
int kr_layout_wall_thick(const kr_layout *l);
/* The marks at pod p's wall, centred in its strip with room for "504
 * timeout" left and "dropped" right, or what fits of them (the status
 * alone, then no "dropped", then the ring alone); left_len for this dot's
 * status left (NULL: none). False when its box has no band or p is not
 * shown. */
bool kr_layout_wall_marks(const kr_layout *l, const kr_pod_place *p, kr_measure_fn measure,
                          void *ud, const char *left, kr_wall_marks *out);

/* Row heights of the panel's parts (shared with the drawing). */
int kr_layout_row_table(const kr_layout *l);
int kr_layout_row_events(const kr_layout *l);
int kr_layout_row_requests(const kr_layout *l);
int kr_layout_row_goals(const kr_layout *l);
/* The height of a panel's heading (its top padding included). */
int kr_layout_panel_head(const kr_layout *l);
/* Padding inside panels. */
int kr_layout_panel_pad(const kr_layout *l);

#endif
