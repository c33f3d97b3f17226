/* kr_appi.h -- render-internal: the state of a running kr_app, shared by
 * kr_app.c (the simulation, its time, actions), kr_input.c (keys and mouse
 * -> actions), kr_window.c (the window's loop) and kr_headless.c (files).
 * Depends on: kr_app, kr_scene.
 */
#ifndef KR_APPI_H
#define KR_APPI_H

#include <SDL.h>

#include "kr_app.h"
#include "kr_scene.h"

#define KR_DEFAULT_DURATION (2 * KS_MIN)

typedef enum kr_act { KR_ACT_KILL, KR_ACT_DELETE, KR_ACT_NODE, KR_ACT_KUBECTL } kr_act;

/* A user action, kept to replay it after a jump back. */
typedef struct kr_action {
    ks_time t;
    kr_act kind;
    int arg;                    /* ks_node_action for KR_ACT_NODE */
    char ns[64];
    char name[256];             /* pod or node name, or the kubectl line */
} kr_action;

typedef struct kr_app {
    const kr_app_config *cfg;
    ks_sim *sim;
    kr_scene sc;
    SDL_Window *win;
    SDL_Renderer *r;
    int w, h;
    bool running;
    bool headless;
    ks_time target;              /* where playback wants the sim to be */
    double wall0;                /* wall clock at start, seconds */
    kr_action *acts;             /* the user's actions, in time order */
    size_t nacts, cap_acts;
    bool replaying;
    kr_marker *pre;              /* markers from the scan of the whole run */
    size_t npre;
    kr_marker *live;             /* markers since the run left the scan's path */
    size_t nlive, cap_live;
    ks_time diverged;            /* time of the first user action (KS_TIME_MAX) */
    bool *shot_done;             /* window mode: screenshots taken */
    double last;                 /* window mode: the clock at the last frame */
    size_t script_pos;           /* window mode: where the input script is */
    int frames;                  /* window mode: frames drawn */
    ks_time shown;               /* window mode: the time of the last frame */
    bool live_mode;              /* cfg->live, or serving since the S key */
    char serving[600];           /* what the S key's serve said */
    unsigned long state_hash;    /* window mode: what state_file last said */
} kr_app;

/* ---- kr_app.c ---- */
/* Sets up a (zeroed) app on a renderer of w x h: scene, markers, the sim
 * at t = 0. Returns 0 or -1. kr_app_fini undoes it (not the renderer). */
int kr_app_init(kr_app *a, const kr_app_config *cfg, SDL_Renderer *r, int w, int h);
void kr_app_fini(kr_app *a);
/* Exercise mode (cfg->goals): takes the checklist, and starts afresh when
 * the learner's files ran again. */
void kr_app_exercise(kr_app *a);
/* Draws the frame of the sim's current time. */
void kr_app_draw(kr_app *a);
/* The timeline's length. */
ks_time kr_app_duration(const kr_app *a);
double kr_clampd(double v, double lo, double hi);
/* Re-creates the simulation at t = 0 (restart). Returns 0 or -1. */
int kr_app_reset(kr_app *a, bool keep_actions);
/* Advances the simulation to t (forward only), in steps that keep the
 * slot state in sync; stops early at a scenario pause. Returns false if
 * the simulation stopped before t. */
bool kr_app_advance(kr_app *a, ks_time t);
/* Jumps to t: forward by running, backward by re-simulating. */
void kr_app_jump(kr_app *a, ks_time t);
/* Runs to the next event. */
void kr_app_step(kr_app *a);
/* Applies a user action now and logs it. */
void kr_app_act(kr_app *a, kr_act kind, const char *ns, const char *name, int arg);
/* How long (simulated) a pod that is gone stays as a fading ghost. */
ks_time kr_app_ghost_keep(const kr_app *a);
/* Shows a short note for a few seconds. */
void kr_app_toast(kr_app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The animation clock now, seconds. */
double kr_app_clock(const kr_app *a);
/* Speeds available, and changes by steps. */
void kr_app_speed_step(kr_app *a, int dir);
/* Live mode (cfg->live): says that time cannot be moved from the window and
 * returns true (the caller then does nothing); false otherwise. */
bool kr_app_live_refuses(kr_app *a, const char *what);

/* ---- kr_live.c ---- */
/* Live mode: a pod or node action as the kubectl line that does it (NULL,
 * with a toast saying why, when kubectl has none). */
const char *kr_live_action_line(kr_app *a, kr_act kind, const char *ns, const char *name,
                                int arg, char *buf, size_t n);
/* Live mode: line (how to reach the API: the kubeconfig line) in the
 * terminal panel, and for the S key's toast. */
void kr_live_announce(kr_app *a, const char *line);
/* The S key: serve the API (cfg->serve), the window live from then on. */
void kr_live_serve(kr_app *a);
/* Writes cfg->state_file when what the frame shows changed. */
void kr_live_write_state(kr_app *a);

/* ---- kr_input.c ---- */
/* Handles one SDL event: turns it into actions on the app and changes of
 * the view; never draws. */
void kr_input_event(kr_app *a, const SDL_Event *e);
/* The next input of a script (kr_app_config.input_script) from *pos, which
 * moves past it, as an event; false for "wait" (or a key it does not
 * know, said on stderr) and at the end. */
bool kr_input_script_next(const char *script, size_t *pos, SDL_Event *e);

/* ---- kr_headless.c ---- */
/* kr_app_run without a window: the files cfg asks for. */
int kr_app_headless(const kr_app_config *cfg);

#endif
