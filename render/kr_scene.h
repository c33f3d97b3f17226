/* kr_scene.h -- render-internal: everything one frame is drawn from. The
 * scene owns the drawing resources (gfx, text cache), the layout and its
 * slot state, the animations, and the view state the user changes
 * (selection, menus, overlays). It reads the sim; it never changes it.
 * Drawing is split by area: kr_draw.c (the cluster picture), kr_panel.c
 * (top bar, right panel, caption, timeline), kr_ui.c (menus and overlays).
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
#include "kr_text.h"

typedef enum kr_mark { KR_MARK_CAPTION, KR_MARK_WARNING, KR_MARK_CRASH, KR_MARK_ACTION,
                       KR_MARK_KINDS } kr_mark;

typedef struct kr_marker {
    ks_time t;
    kr_mark kind;
} kr_marker;

typedef enum kr_sel { KR_SEL_NONE, KR_SEL_POD, KR_SEL_NODE } kr_sel;

#define KR_MENU_MAX 4

typedef struct kr_view {
    const char *title;
    ks_time duration;          /* the timeline's length */
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
    char output[8192];         /* the last kubectl output */
    bool output_open;
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
    kr_rect shown;             /* a card's rect last frame */
    kr_rect from;              /* tween start */
    double t0;                 /* tween start on the animation clock; 0 none */
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
    bool tween;                /* animate slot moves */
    double scale;
    kr_memo *memo;
    size_t cap_memo;
    const ks_pod **sorted;     /* the pods table's rows, reused per frame */
    size_t cap_sorted;
} kr_scene;

/* ---- kr_draw.c -------------------------------------------------------------- */
/* Creates the drawing resources for a renderer; assets_dir for the fonts. */
int kr_scene_init(kr_scene *s, SDL_Renderer *r, const char *assets_dir);
void kr_scene_fini(kr_scene *s);
/* The memo of an id (grown on demand; a static dummy on failure). */
kr_memo *kr_scene_memo(kr_scene *s, ks_id id);
/* Lays out and draws one whole frame of sim at size w x h. */
void kr_scene_draw(kr_scene *s, const ks_sim *sim, int w, int h);
/* The parts (called by kr_scene_draw). */
void kr_draw_cluster(kr_scene *s, const ks_sim *sim);
void kr_draw_chrome(kr_scene *s, const ks_sim *sim);
void kr_draw_overlays(kr_scene *s, const ks_sim *sim);
/* Records drawn as stacked blocks in r: count now (the last unsafe of them
 * orange: written while two servers shared the data), plus lost ones
 * falling and fading out (fade 1 = just lost, 0 = gone). One block stands
 * for several records when they do not fit ("■ = 12"). */
void kr_draw_records(kr_scene *s, kr_rect r, long count, long lost, float fade, long unsafe);
/* Centre of a card as drawn (after tweening), for dots and menus. */
kr_rect kr_scene_pod_rect(kr_scene *s, const kr_pod_place *p);

/* ---- kr_panel.c -------------------------------------------------------------- */
/* The pods of the table in kubectl's order (by namespace and name). */
size_t kr_panel_sorted_pods(const ks_sim *sim, const ks_pod ***out, size_t *cap);

/* The Kubernetes event of the Events panel row under (x, y), or NULL. */
const ks_k8s_event *kr_panel_event_at(kr_scene *s, const ks_sim *sim, int x, int y);

/* ---- kr_ui.c ------------------------------------------------------------------ */
/* The rect of the selection's menu (w == 0 when closed), and its item under
 * a point (-1 none). */
kr_rect kr_ui_menu_rect(kr_scene *s, const ks_sim *sim);
int kr_ui_menu_hit(kr_scene *s, const ks_sim *sim, int x, int y);
/* The menu items of the selection: labels and their keys. */
int kr_ui_menu_items(const kr_scene *s, const ks_sim *sim, const char *labels[KR_MENU_MAX],
                     char keys[KR_MENU_MAX]);

/* ---- shared drawing helpers ------------------------------------------------------ */
/* Scales a base size (at 1280x720) by the layout's unit, at least lo. */
int kr_px(const kr_scene *s, double base, int lo);
/* A colour with another alpha. */
kr_color kr_alpha(kr_color c, int a);

#endif
