/* kr_scene.h -- render-internal: everything one frame is drawn from. The
 * scene owns the drawing resources (gfx, text cache), the layout and its
 * slot state, the animations, and the view state the user changes
 * (selection, menus, overlays). It reads the sim; it never changes it.
 *
 * render/ in layers, each calling only the ones above it in this list:
 *   pure:      kr_status, kr_slots, kr_rects -> kr_grid, kr_route,
 *              kr_layout_rows -> kr_layout; kr_anim, kr_data, kr_simdata
 *   drawing:   kr_gfx, kr_text, kr_frame (primitives and pixels)
 *   scene:     kr_scene (this: resources, memos), kr_hit (what is
 *              where beyond the layout: menus, table rows, the timeline)
 *   passes:    kr_cards, kr_enforce -> kr_draw (the cluster picture), kr_panel (top
 *              bar, right panel, caption, timeline), kr_ui (overlays)
 *   frame:     kr_paint (layout, then the passes in order)
 *   app:       kr_app (the sim's lifetime, actions, time)
 *   input:     kr_input (SDL events -> actions on the app; no drawing)
 *   loops:     kr_headless (files), kr_window (the window; kr_app_run)
 * Depends on: SDL2, kr_gfx, kr_text, kr_layout, kr_anim, kr_data.
 */
#ifndef KR_SCENE_H
#define KR_SCENE_H

#include <SDL.h>
#include <stdbool.h>

#include "kr_anim.h"
#include "kr_data.h"
#include "kr_gfx.h"
#include "kr_layout.h"
#include "kr_status.h"
#include "kr_text.h"

typedef enum kr_mark { KR_MARK_CAPTION, KR_MARK_WARNING, KR_MARK_CRASH, KR_MARK_ACTION,
                       KR_MARK_KINDS } kr_mark;

typedef struct kr_marker {
    ks_time t;
    kr_mark kind;
} kr_marker;

typedef enum kr_sel { KR_SEL_NONE, KR_SEL_POD, KR_SEL_NODE } kr_sel;

#define KR_MENU_MAX 4
#define KR_GOALS_MAX 16

typedef struct kr_view {
    const char *title;
    ks_time duration;          /* the timeline's length */
    const char *live;          /* live mode: how to reach the API (the
                                  kubeconfig line), shown where the timeline
                                  is; NULL: not live */
    bool playing;
    double speed;
    kr_sel sel;                /* the selection (Tab, click) */
    ks_id sel_id;
    bool menu;                 /* the action menu of the selection */
    int menu_item;
    ks_id logs_pod;            /* the describe/logs card, 0: closed */
    bool help;
    bool prompt;               /* the kubectl line is open */
    char input[256];
    char history[16][256];     /* kubectl lines typed, oldest first */
    int nhistory, history_at;
    char output[8192];         /* the last kubectl command and its output */
    kr_term_tables output_tables; /* which lines of output are a table's */
    bool output_open;          /* shown in the terminal panel (Esc: not) */
    ks_time output_at;         /* when it was written (simulated) */
    bool hide_panel;
    int mouse_x, mouse_y;
    bool mouse_in;
    int table_scroll;
    char caption[600];
    char toast[200];           /* a short note after an action */
    double toast_until;
    kr_marker *marks;
    size_t nmarks, cap_marks;
    bool kubectl_ok;           /* a kubectl interpreter was given */
} kr_view;

/* What the renderer remembers per object id across frames. */
typedef struct kr_memo {
    long records;              /* a volume's last record count, -1 unknown */
    long lost;                 /* records that just went away */
    double lost_t;
} kr_memo;

typedef struct kr_scene {
    SDL_Renderer *r;
    kr_gfx *g;
    kr_text *t;
    kr_layout lay;
    kr_layout_state *st;
    kr_anim *anim;
    const kr_data_source *data;
    kr_view view;
    double clock;              /* the animation clock, seconds */
    double scale;
    ks_time ghost_keep;        /* how long a gone pod fades (simulated) */
    ks_time output_keep;       /* how long a command's output shows */
    kr_memo *memo;
    size_t cap_memo;
    const ks_pod **sorted;     /* the pods table's rows, reused per frame */
    const ks_pod **listed;     /* the same pods as the cluster lists them */
    size_t cap_sorted, nsorted;
    size_t *events;            /* the Events panel's order, reused per frame */
    size_t nevents;
    size_t cap_events;
    kr_namer namer;            /* the workloads on screen: how names shorten */
    bool exercise;             /* an exercise: the goals panel shows */
    kr_goal goals[KR_GOALS_MAX];
    int ngoals;
    char goals_note[200];      /* under the goals: how many met, or a load error */
} kr_scene;

/* ---- the scene (kr_scene.c) ------------------------------------------------------ */
/* Creates the drawing resources for a renderer; assets_dir for the fonts. */
int kr_scene_init(kr_scene *s, SDL_Renderer *r, const char *assets_dir);
void kr_scene_fini(kr_scene *s);
/* The surface of a software renderer (SDL_CreateSoftwareRenderer's), so
 * discs, corners and labels are drawn into it directly (kr_blit.h). */
void kr_scene_set_target(kr_scene *s, SDL_Surface *target);
/* The memo of an id (grown on demand; a static dummy on failure). */
kr_memo *kr_scene_memo(kr_scene *s, ks_id id);
/* Where a pod is drawn: its card, or (not shown as a card) its box. */
kr_rect kr_scene_pod_rect(const kr_scene *s, const kr_pod_place *p);
/* The pods of the `kubectl get pods` table in kubectl's order (by
 * namespace and name), in s->sorted; returns how many. */
size_t kr_scene_sorted_pods(kr_scene *s, const ks_sim *sim);
/* The Kubernetes events in the order of `kubectl get events
 * --sort-by=.lastTimestamp` (oldest first), as indexes for
 * ks_cluster_event, in s->events; returns how many. */
size_t kr_scene_sorted_events(kr_scene *s, const ks_sim *sim);
/* Whether the last kubectl command's output shows in the terminal panel:
 * it is open and younger than output_keep. */
bool kr_scene_output_shown(const kr_scene *s, const ks_sim *sim);
/* Columns of the terminal panel, as laid out (0: none). */
int kr_scene_term_cols(const kr_scene *s);
/* Lines of the terminal's output (s->view.output) at cols columns (<= 0:
 * not wrapped). */
int kr_scene_output_lines(const kr_scene *s, int cols);
/* Lines the goals panel needs: a line a goal, the hints asked for (three
 * lines each), and the note. */
int kr_scene_goal_lines(const kr_scene *s);

/* ---- shared drawing helpers ------------------------------------------------------ */
/* Scales a base size (at 1280x720) by the layout's unit, at least lo. */
int kr_px(const kr_scene *s, double base, int lo);
/* A colour with another alpha. */
kr_color kr_alpha(kr_color c, int a);

#endif
