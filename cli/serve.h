/* serve.h -- what `kubesim serve` serves (serve_load.c) and how a session
 * is written down as a scenario (record.c). */
#ifndef KSC_SERVE_H
#define KSC_SERVE_H

#include <stdbool.h>

#include "core/ks_diag.h"
#include "load/ks_scenario.h"
#include "../server/ksv_api.h"
#include "../server/ksv_http.h"
#include "options.h"

typedef struct ksc_served {
    char what[600];           /* for the first line: "lesson 07 (FILE)" */
    char *text;               /* the served scenario's text (malloc) */
    size_t len;
    char file[4096];          /* parsed as this file: relative paths start at its folder */
    bool generated;           /* text made here (-f DIR, or an empty cluster) */
    char session_dir[4096];   /* objects written through the API, as files */
    char session_rel[4096];   /* the same, as the kubectl steps name it */
    bool session_tmp;         /* a temporary folder, removed at the end */
} ksc_served;

/* Makes the scenario to serve from o: SCENARIO (a file or an exercise
 * folder), -f PATHS (the manifests on a default cluster), or nothing (an
 * empty default cluster); with --record FILE, the session folder goes
 * beside FILE. Returns an exit code (KSC_EXIT_OK: *sc set, in ar). */
int ksc_served_load(ks_arena *ar, const ksc_options *o, ksc_served *s, ks_scenario **sc,
                    ks_diags *d);
/* The folder of the objects written through the API: beside --record's
 * FILE, else a temporary one (s->session_tmp). Returns an exit code. */
int ksc_session_folder(const ksc_options *o, ksc_served *s);
/* Frees s (and removes a temporary session folder). */
void ksc_served_cleanup(ksc_served *s);

/* Writes the session as a scenario at path: the served scenario with the
 * API's kubectl steps added to its timeline at their instants and its
 * duration set to now; then replays it headless and pins its fingerprint.
 * Returns an exit code. */
int ksc_record_write(const char *path, const ksc_served *s, ks_run *run, const ksv_api *api);

/* Serving one run (serve_run.c): the API, HTTPS, the kubeconfig, pacing. */
typedef struct ksc_server {
    ks_run *run;
    ksv_api *api;
    struct ksv_http *http;
    char kubeconfig[4096];        /* where it was written */
    char url[128];                /* https://127.0.0.1:PORT */
    double wall0;                 /* pacing: the wall and simulated times */
    ks_time sim0;                 /*   it counts from, since the clock was */
    unsigned gen0;                /*   set (generation gen0) */
} ksc_server;

/* Starts serving run: the API over it (acfg: the caller's session folder,
 * log, speed and paused; the wall-clock fields are set here), HTTPS on o's
 * --address and --port with a new token, the kubeconfig written (o's
 * --kubeconfig, or ~/.kube/kubesim). Prints nothing but errors. Returns an
 * exit code; ksc_server_stop undoes what was done, in every case. */
int ksc_server_start(ksc_server *s, ks_run *run, const ksc_options *o, ksv_api_config *acfg);
/* One pass: simulated time to the wall's target x speed (unless the clock
 * is paused), watches told of changes, requests answered. Returns the
 * milliseconds until the next pass is due (the caller polls that long). */
int ksc_server_step(ksc_server *s);
void ksc_server_stop(ksc_server *s);

/* The window over a served run (serve_window.c): kubesim serve --window. */
typedef struct ksc_serve_window ksc_serve_window;
/* Opens it (what: the served thing, for the title when the scenario has
 * none; kubeconfig: shown as the line to type); NULL, with a message on
 * stderr, when there is no display or no window in this build. */
ksc_serve_window *ksc_serve_window_open(const ksc_options *o, ks_run *run, ksv_api *api,
                                        const char *what, const char *kubeconfig);
/* One frame: input (its clock keys set the API's clock, and a client's
 * setting shows), then the run as it is now. False once the window closed. */
bool ksc_serve_window_frame(ksc_serve_window *w);
void ksc_serve_window_close(ksc_serve_window *w);
/* A window opened elsewhere (kubesim run's, whose S key served it): only
 * the clock agreed (ksc_serve_window_sync); close leaves the window open. */
struct kr_app;
ksc_serve_window *ksc_serve_window_attach(struct kr_app *app, ksv_api *api);
/* One clock: a change made in the window goes to the API; else one made by
 * a client shows in the window. */
void ksc_serve_window_sync(ksc_serve_window *w);

#endif
