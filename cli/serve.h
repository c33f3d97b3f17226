/* serve.h -- what `kubesim serve` serves (serve_load.c) and how a session
 * is written down as a scenario (record.c). */
#ifndef KSC_SERVE_H
#define KSC_SERVE_H

#include <stdbool.h>

#include "core/ks_diag.h"
#include "load/ks_scenario.h"
#include "../server/ksv_api.h"
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
/* Frees s (and removes a temporary session folder). */
void ksc_served_cleanup(ksc_served *s);

/* Writes the session as a scenario at path: the served scenario with the
 * API's kubectl steps added to its timeline at their instants and its
 * duration set to now; then replays it headless and pins its fingerprint.
 * Returns an exit code. */
int ksc_record_write(const char *path, const ksc_served *s, ks_run *run, const ksv_api *api);

/* The window over a served run (serve_window.c): kubesim serve --window. */
typedef struct ksc_serve_window ksc_serve_window;
/* Opens it (what: the served thing, for the title when the scenario has
 * none); NULL, with a message on stderr, when there is no display or no
 * window in this build. */
ksc_serve_window *ksc_serve_window_open(const ksc_options *o, ks_run *run, ksv_api *api,
                                        const char *what);
/* One frame: input (its clock keys set the API's clock, and a client's
 * setting shows), then the run as it is now. False once the window closed. */
bool ksc_serve_window_frame(ksc_serve_window *w);
void ksc_serve_window_close(ksc_serve_window *w);

#endif
