/* kr_app.h -- the window: kubesim's frame loop, controls, and headless
 * frames (PNG screenshots, PNG sequences, animated GIFs).
 *
 * The caller says how to build the simulation from scratch (create); the
 * window owns it from there: it advances it with a fixed-timestep
 * accumulator (target += frame time x speed, at most 0.25 s of wall time a
 * frame; ks_run_until(target)), draws at up to 60 frames a second, and
 * re-creates it for restart and for jumps back in time: a run is a pure
 * function of its inputs, so re-simulating is exact. The teacher's own
 * actions (kill, delete, node failure, kubectl lines) are logged with their
 * times and replayed on a jump back, so they survive it.
 * Rendering never changes the simulation; user actions go in through the
 * same calls a scenario's timeline uses (ks_node_crash, _delete,
 * _node_action, and the kubectl callback).
 *
 * Headless frames use the software renderer on an RGB888 surface (no
 * window, no display), so they are identical on every machine with the
 * same fonts, and identical from run to run: recordings advance in steps
 * of simulated time, never of wall time.
 *
 * Keys: Space play/pause, Right/N next event, Left back 10 s, Home/End
 * start/end, +/- speed
 * (0.25x..64x), R restart, Tab/Shift-Tab select, Enter menu, K/D/L pod
 * actions, F/C/X node actions, : or / kubectl prompt, P panel, [ ] size,
 * F11 full screen, ? or F1 help, H next hint (exercises), S serve the
 * Kubernetes API (kubesim run: cfg.serve), Esc close,
 * Ctrl+Q quit. The mouse does the same through buttons, cards, menus and
 * the timeline.
 * Depends on: SDL2, SDL2_ttf, libpng, giflib (optional), ks_sim.
 */
#ifndef KR_APP_H
#define KR_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kr_anim.h"
#include "kr_data.h"
#include "core/ks_sim.h"
#include "core/ks_trace.h"
#include "world/ks_world.h"

/* A fresh simulation at t = 0 (manifests applied, timeline scheduled);
 * NULL on failure. Must be deterministic: the same every call. */
typedef ks_sim *(*kr_create_fn)(void *ud);
/* Frees a simulation made by create (NULL callback: ks_sim_destroy). */
typedef void (*kr_destroy_fn)(void *ud, ks_sim *sim);
/* Runs one kubectl command line ("get pods", without "kubectl") against
 * the simulation, writing what kubectl would print into out (n bytes) and
 * where its tables are into tables (ks_kubectl_run_tables; zeroed by the
 * caller: left so, no line is a table's). Returns its exit status (0 ok). */
struct ks_kubectl_tables;
typedef int (*kr_kubectl_fn)(void *ud, ks_sim *sim, const char *line, char *out, size_t n,
                             struct ks_kubectl_tables *tables);
/* Turns a trace event into a request hop for a moving dot; false when the
 * event is not a hop. Only for other sources of dots: by default the sim's
 * KS_TR_HOP events are drawn (kr_sim_hops). */
typedef bool (*kr_hop_fn)(void *ud, const ks_sim *sim, const ks_trace_event *ev, kr_hop *out);

/* kubesim run's S key: serve the Kubernetes API over sim, the simulation
 * shown, from now on, its clock as the window's (playing, speed). Returns 0
 * and puts what to tell the user in line (the kubeconfig line), or -1 with
 * why in line. The window is then live (kr_app_config.live), its
 * simulation still the caller's to destroy: the caller advances it, in
 * tick. */
typedef int (*kr_serve_fn)(void *ud, ks_sim *sim, bool playing, double speed, char *line,
                           size_t n);
typedef struct kr_app kr_app;
/* Live mode, before every frame: the caller's work (requests answered,
 * simulated time advanced, the clock agreed: kr_app_playing). */
typedef void (*kr_tick_fn)(void *ud, kr_app *a);

/* Exercise mode, called before every frame: fills the goal checklist (at
 * most max goals; returns how many) and a note under it ("2 of 3 goals
 * met", or why the last save did not load), and sets *reload when the
 * learner's files changed and ran again: the window then starts the
 * simulation afresh (create is called again). */
typedef size_t (*kr_goals_fn)(void *ud, kr_goal *out, size_t max, char *note, size_t n,
                              bool *reload);
/* The learner asks for the next hint (H, or a click on the goals' hint line). */
typedef void (*kr_hint_fn)(void *ud);

typedef struct kr_app_config {
    const char *title;             /* the lesson title, top left */
    ks_time duration;              /* the timeline's length (0: 2 minutes) */
    kr_create_fn create;           /* required */
    kr_destroy_fn destroy;         /* optional */
    kr_kubectl_fn kubectl;         /* optional: the prompt says there is none */
    kr_hop_fn hop;                 /* optional: NULL draws the sim's own
                                      KS_TR_HOP events (kr_simdata.h) */
    kr_goals_fn goals;             /* optional: an exercise's checklist */
    kr_hint_fn hint;               /* optional: with goals, hints on request */
    void *ud;                      /* passed to the callbacks */
    const kr_data_source *data;    /* records, request figures (NULL: the
                                      sim's own, kr_data_sim()) */
    uint64_t seed;                 /* shown in the help overlay only */

    bool headless;                 /* no window: write the files below, return */
    const char *const *screenshots;   /* "T:FILE": the frame at simulated time T
                                      (Go duration like 47.2s or 2m, or seconds)
                                      as PNG; in the window too, while playing */
    size_t nscreenshots;
    const char *record_dir;        /* PNG frames DIR/frame_000000.png, ... */
    const char *gif_file;          /* an animated GIF of the lesson */
    double fps;                    /* frames a second for --record/--gif (10) */
    ks_time until;                 /* where --record/--gif stop (0: duration) */

    double speed;                  /* initial speed, 0.25 .. 64 (1); recordings
                                      cover speed simulated seconds a second */
    double scale;                  /* text and cards, 0.5 .. 3 (1) */
    int width, height;             /* window / frame size; 0: the display's
                                      usable area (frames: 1280 x 720) */
    const char *assets_dir;        /* the fonts; NULL: $KUBESIM_ASSETS, next
                                      to the executable, or the build's own */
    bool start_paused;             /* the window opens paused */
    ks_time start;                 /* window: opens at this simulated time (0) */
    int max_frames;                /* > 0: the window closes after that many
                                      frames (tests) */
    const char *input_script;      /* one input per frame, for tests and kiosk
                                      demos (kr_app_snapshot: all of them at
                                      t): SDL key names ("Space Tab Return
                                      K"), "text:get_pods" (typed; '_' is a
                                      space), "click:X,Y", "move:X,Y", "wait" */
    bool quiet;                    /* no progress lines on stderr */

    ks_sim *live;                  /* live mode (kubesim serve --window): a
                                      simulation the caller owns and advances;
                                      the window shows it and never creates,
                                      advances or re-creates it (create may be
                                      NULL; restart, back and the timeline say
                                      so). Its Space and -/+ only change what
                                      kr_app_playing reports; the caller paces
                                      the simulation by it and tells the window
                                      of other changes (kr_app_set_playing).
                                      Pod and node actions become kubectl lines
                                      through the kubectl callback. */
    const char *serving;           /* live mode: how to reach its API (the
                                      kubeconfig line), shown at the start */
    kr_serve_fn serve;             /* optional: the S key serves the API */
    kr_tick_fn tick;               /* with serve: each frame once serving */
    const char *state_file;        /* window mode: after a frame whose content
                                      changed, what it shows as text (the
                                      clock, play/pause, speed, the caption,
                                      each pod card): tests read it */
} kr_app_config;

/* Return codes, as the CLI's exit codes. */
enum { KR_OK = 0, KR_EINPUT = 2, KR_EINTERNAL = 3 };

/* Defaults: the display's size (1280x720 for files), speed 1, scale 1,
 * 10 fps, 2 minutes. */
void kr_app_config_init(kr_app_config *cfg);

/* Opens the window (or, headless, writes the files asked for) and runs
 * until the user quits. Returns KR_OK, KR_EINPUT (a bad "T:FILE", a file
 * that cannot be written) or KR_EINTERNAL (SDL failed), with a message on
 * stderr. */
int kr_app_run(const kr_app_config *cfg);

/* The window, one frame at a time, for a caller that owns the loop (a
 * browser's frame callback; kr_app_run's own loop uses the same three).
 * kr_app_open opens the window with the simulation at cfg->start (cfg must
 * outlive the app); NULL on failure, with a message on stderr.
 * kr_app_frame handles input, advances, draws and presents one frame,
 * without waiting; it returns false once the user has quit (or after
 * cfg->max_frames). kr_app_close closes the window (NULL: nothing). */
kr_app *kr_app_open(const kr_app_config *cfg);
bool kr_app_frame(kr_app *a);
void kr_app_close(kr_app *a);
/* The simulated time shown. */
ks_time kr_app_now(const kr_app *a);
/* The lesson's caption shown now ("" when none); valid until the next
 * frame. */
const char *kr_app_caption(const kr_app *a);
/* Text and cards, 0.5 .. 3 (the [ and ] keys change it too). */
void kr_app_set_scale(kr_app *a, double scale);
/* Whether the window plays (Space, the play button) and at what speed
 * (-/+): in live mode, what the caller paces the simulation by. */
bool kr_app_playing(const kr_app *a, double *speed);
/* Live mode: the clock was set elsewhere (an API client): the window shows
 * it (speed clamped to 0.25 .. 64). */
void kr_app_set_playing(kr_app *a, bool playing, double speed);

/* Renders the frame at simulated time t headless. *rgb (malloc'd, free it)
 * gets w*h*3 bytes of RGB24; *w, *h the size. Returns KR_OK or an error. */
int kr_app_snapshot(const kr_app_config *cfg, ks_time t, uint8_t **rgb, int *w, int *h);

/* Parses "T:FILE". Returns 0 and sets *t and *file (pointing into spec),
 * or -1 when T is not a duration. */
int kr_parse_shot(const char *spec, ks_time *t, const char **file);

/* The directory with the fonts, as kr_app_run would find it (cfg NULL: no
 * override). Returns a static string, or NULL when none was found. */
const char *kr_app_assets_dir(const kr_app_config *cfg);

#endif
