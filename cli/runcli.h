/* runcli.h -- what the commands that run scenarios share: the image
 * catalog, the window seam, the outcome table, JSON and XML escaping. */
#ifndef KSC_RUNCLI_H
#define KSC_RUNCLI_H

#include <stdbool.h>
#include <stdio.h>

#include "load/ks_catalog.h"
#include "run/ks_runner.h"
#include "options.h"

/* The exit code of a command that ran although its input has errors
 * (unknown kinds: ks_run_create makes the run and records them in d):
 * bad input, saying so again on stderr, unless rc is an internal error. */
int ksc_input_verdict(const ks_diags *d, int rc);

/* Loads assets/images.yaml: from $KUBESIM_ASSETS (a folder holding it, or
 * the file itself), else from the source tree's assets/ (compile-time
 * KUBESIM_ASSETS_DIR). Returns KSC_EXIT_OK, or prints why and returns
 * KSC_EXIT_BAD_INPUT (missing or broken) / KSC_EXIT_INTERNAL (memory). */
int ksc_load_catalog(ks_arena *ar, const ks_catalog **out);
/* Whether a file name ends in .yaml or .yml. */
bool ksc_yaml_name(const char *name);
/* What the file at path is to a command looking for scenarios: a scenario
 * (or a broken file claiming to be one), another file, or no readable
 * regular file (ks_scenario_probe). Never blocks. */
ks_scn_probe ksc_probe_file(const char *path);
/* Where kubesim's data folder NAME is: $env_var, the source tree
 * (built_in), or share/kubesim/NAME beside the installed binary. */
void ksc_data_dir(const char *name, const char *env_var, const char *built_in, char *buf,
                  size_t n);

/* KSC_HAVE_WINDOW: the window is built in (KUBESIM_GUI, with render/ there):
 * window.c, exercise_window.c and serve_window.c use it then. */
#if defined(KUBESIM_GUI) && defined(__has_include)
#if __has_include("../render/kr_app.h")
#define KSC_HAVE_WINDOW 1
#endif
#endif

/* Plays sc in the window (window.c) with the run options ro (seed, until,
 * default traffic). Returns the exit code when the window ran, or -1 after
 * saying on stderr why there is none ("kubesim CMD: ...; running
 * headless."): then the caller runs headless. */
int ksc_window_run(const ksc_options *o, const ks_scenario *sc, const ks_catalog *cat,
                   const ks_run_options *ro);

/* Prints "outcome at T:" and one aligned row per expectation (PASS/FAIL,
 * when, kind and what, expected, actual; a `why:` line under failures). */
void ksc_print_outcomes(FILE *f, const ks_run *run);

/* Requests by route (method, path, entry point): count, 2xx, latency, as
 * a table; nothing when no request was sent. Returns the rows printed. */
size_t ksc_print_routes(FILE *f, ks_sim *sim);

/* Writes s as a JSON string (quotes included) / as XML text. */
void ksc_json_str(FILE *f, const char *s);
void ksc_xml_str(FILE *f, const char *s);

/* The monotonic clock in seconds, from an arbitrary start: for timings, and
 * for pacing serve to the wall. */
double ksc_wall_seconds(void);

#endif
