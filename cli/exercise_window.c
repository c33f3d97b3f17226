/* exercise_window.c -- `kubesim exercise DIR` with a display: the exercise
 * plays in the window (render/kr_app.h) with its goals as a checklist panel.
 *
 * A thread watches the learner's files (watch.h); before each frame the
 * window asks for the checklist (goals_cb), and when a save came in, the
 * exercise runs again (exercise.h: the verdict, to the end, headless) and
 * the window plays the new files from the start. A save that does not load
 * keeps the last good checklist and says where it is broken. Hints come
 * only when asked for (H, or a click on the panel's hint line).
 * In a browser (the web build) no thread watches: the page writes the
 * learner's files and calls ksc_web_rerun, which counts as a save; it reads
 * the checklist with ksc_web_goals.
 * Built only with the window; otherwise ksc_exercise_window says there is
 * none and the terminal's loop runs.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exercise.h"
#include "load/ks_scenario.h"
#include "runcli.h"
#include "watch.h"

#ifdef KSC_HAVE_WINDOW
#include "../render/kr_app.h"
#include "../render/kr_display.h"
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#define MAX_RUNS 4           /* alive at once: the shown one, the scan, a restart */

typedef struct exwin {
    ksc_exercise *ex;
    const ks_catalog *cat;
    const ksc_options *o;
    ks_diags *d;
    ks_arena *ar, *old_ar;   /* the scenario the window plays; the one before */
    ks_scenario *sc;         /* its goals as its expectations */
    ks_run *runs[MAX_RUNS];
    char title[256];         /* a copy: the exercise's own dies with each re-run */
    char note[200];
    /* the watcher thread */
    ksc_watch *w;
    pthread_t thread;
    bool thread_on;
    volatile sig_atomic_t stop;
    pthread_mutex_t mu;
    bool changed;            /* a save came in (under mu) */
} exwin;

/* ---- the scenario the window plays ------------------------------------------------- */
/* Loads the exercise's file afresh for the window, goals as expectations.
 * Returns 0, or -1 (it did not load: the last one stays). */
static int load(exwin *x)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc;
    if (!ar || ks_scenario_load_file(ar, ksc_exercise_file(x->ex), &sc, x->d) != KS_OK) {
        ks_arena_destroy(ar);
        return -1;
    }
    if (sc->ngoals) {
        sc->expect = sc->goals;
        sc->nexpect = sc->ngoals;
    }
    ks_arena_destroy(x->old_ar);      /* runs of it were destroyed: a restart came between */
    x->old_ar = x->ar;
    x->ar = ar;
    x->sc = sc;
    return 0;
}

static ks_sim *x_create(void *ud)
{
    exwin *x = ud;
    ks_run_options ro;
    ks_run *run;
    int i, alive = 0;
    for (i = 0; i < MAX_RUNS; i++)
        alive += x->runs[i] != NULL;
    if (!alive && x->old_ar) {        /* nothing plays the old files any more */
        ks_arena_destroy(x->old_ar);
        x->old_ar = NULL;
    }
    memset(&ro, 0, sizeof ro);
    ro.seed = x->o->seed;
    ro.seed_set = x->o->seed_set;
    ro.pause_enabled = true;
    ro.no_fingerprint = true;
    ks_diags_init(x->d);
    run = ks_run_create(x->sc, x->cat, &ro, x->d);
    for (i = 0; run && i < MAX_RUNS; i++)
        if (!x->runs[i]) {
            x->runs[i] = run;
            return ks_run_sim(run);
        }
    ks_run_destroy(run);
    return NULL;
}

static void x_destroy(void *ud, ks_sim *sim)
{
    exwin *x = ud;
    int i;
    for (i = 0; i < MAX_RUNS; i++)
        if (x->runs[i] && ks_run_sim(x->runs[i]) == sim) {
            ks_run_destroy(x->runs[i]);
            x->runs[i] = NULL;
        }
}

/* ---- watching ------------------------------------------------------------------------ */
#ifndef __EMSCRIPTEN__
static void *watcher(void *arg)
{
    exwin *x = arg;
    char what[1024];
    while (!x->stop)
        if (ksc_watch_wait(x->w, KSC_WATCH_DEBOUNCE_MS, &x->stop, -1, what, sizeof what) == 1) {
            pthread_mutex_lock(&x->mu);
            x->changed = true;
            pthread_mutex_unlock(&x->mu);
        }
    return NULL;
}
#endif

static void watch_stop(exwin *x)
{
    if (x->thread_on) {
        x->stop = 1;
        pthread_join(x->thread, NULL);    /* it wakes within a second */
        x->thread_on = false;
    }
    ksc_watch_destroy(x->w);
    x->w = NULL;
}

#ifdef __EMSCRIPTEN__
/* In a browser nothing watches files: the page writes the learner's
 * manifests into the in-memory file system and calls ksc_web_rerun (its
 * Run button), which counts as a save. */
static exwin *web_x;
static char web_goals[16384];

static int watch_start(exwin *x)
{
    web_x = x;
    return 0;
}

EMSCRIPTEN_KEEPALIVE void ksc_web_rerun(void)
{
    if (web_x)
        web_x->changed = true;       /* one thread: no lock needed */
}

EMSCRIPTEN_KEEPALIVE void ksc_web_hint(void)
{
    if (web_x)
        ksc_exercise_hint(web_x->ex);
}

/* The checklist for the page: the note ("2 of 3 goals met", or the first
 * error as file:line:col: error: ...) on the first line, then one line a
 * goal: met (1 or 0), tab, title, tab, the hint asked for (or ""). Tabs
 * and newlines inside the texts become spaces. */
static void web_put(size_t *k, const char *s)
{
    for (; s && *s && *k + 1 < sizeof web_goals; s++)
        web_goals[(*k)++] = (*s == '\t' || *s == '\n') ? ' ' : *s;
    web_goals[*k] = '\0';
}

EMSCRIPTEN_KEEPALIVE const char *ksc_web_goals(void)
{
    size_t k = 0, i, ng;
    web_goals[0] = '\0';
    if (!web_x)
        return web_goals;
    web_put(&k, web_x->note);
    ng = ksc_exercise_goal_count(web_x->ex);
    for (i = 0; i < ng; i++) {
        const ksc_goal *g = ksc_exercise_goal(web_x->ex, i);
        char head[8];
        snprintf(head, sizeof head, "\n%d\t", g->met ? 1 : 0);
        snprintf(web_goals + k, sizeof web_goals - k, "%s", head);
        k += strlen(web_goals + k);
        web_put(&k, g->title);
        snprintf(web_goals + k, sizeof web_goals - k, "\t");
        k += strlen(web_goals + k);
        web_put(&k, g->met ? "" : g->hint);
    }
    return web_goals;
}
#else
/* (Re)starts watching what the exercise reads now. Returns 0 or -1. */
static int watch_start(exwin *x)
{
    size_t i;
    watch_stop(x);
    x->stop = 0;
    if (!(x->w = ksc_watch_create(getenv("KUBESIM_WATCH_POLL") != NULL)))
        return -1;
    for (i = 0; i < ksc_exercise_place_count(x->ex); i++) {
        bool is_dir;
        const char *p = ksc_exercise_place(x->ex, i, &is_dir);
        if (ksc_watch_add(x->w, p, is_dir) != 0)
            return -1;
    }
    if (ksc_watch_start(x->w) != 0 || pthread_create(&x->thread, NULL, watcher, x) != 0)
        return -1;
    x->thread_on = true;
    return 0;
}
#endif

/* ---- the checklist ---------------------------------------------------------------- */
static void note_met(exwin *x)
{
    snprintf(x->note, sizeof x->note, "%zu of %zu goals met", ksc_exercise_met_count(x->ex),
             ksc_exercise_goal_count(x->ex));
}

static size_t goals_cb(void *ud, kr_goal *out, size_t max, char *note, size_t n, bool *reload)
{
    exwin *x = ud;
    size_t i, ng;
    bool changed;
    pthread_mutex_lock(&x->mu);
    changed = x->changed;
    x->changed = false;
    pthread_mutex_unlock(&x->mu);
    if (changed) {
        size_t places = ksc_exercise_place_count(x->ex);
        int rc = ksc_exercise_run(x->ex, x->d);
        if (rc == KSC_EXIT_OK && load(x) == 0) {
            note_met(x);
            *reload = true;
        } else if (x->d->n > 0) {
            char buf[1024];
            ks_diag_format(x->d, 0, buf, sizeof buf);
            snprintf(x->note, sizeof x->note, "%.199s", buf);
        } else {
            snprintf(x->note, sizeof x->note, "the run failed; save again to retry");
        }
        if (x->o->json)
            ksc_exercise_write_json(x->ex, rc == KSC_EXIT_BAD_INPUT ? x->d : NULL, x->o->json);
        if (ksc_exercise_place_count(x->ex) != places)
            watch_start(x);            /* it reads other files now */
    }
    ng = ksc_exercise_goal_count(x->ex);
    for (i = 0; i < ng && i < max; i++) {
        const ksc_goal *g = ksc_exercise_goal(x->ex, i);
        out[i].title = g->title;
        out[i].met = g->met;
        out[i].hint = g->hint;
        out[i].hint_no = g->hint_no;
        out[i].nhints = g->nhints;
    }
    snprintf(note, n, "%s", x->note);
    return i;
}

static void hint_cb(void *ud)
{
    exwin *x = ud;
    ksc_exercise_hint(x->ex);
}

int ksc_exercise_window(ksc_exercise *ex, const ks_catalog *cat, const ksc_options *o)
{
    exwin x;
    kr_app_config cfg;
    char why[256];
    int rc, i;
    bool display = !o->headless && kr_display_available(why, sizeof why);
    if (!display && !o->nshots)
        return -1;
    memset(&x, 0, sizeof x);
    x.ex = ex;
    x.cat = cat;
    x.o = o;
    pthread_mutex_init(&x.mu, NULL);
    if (!(x.d = malloc(sizeof *x.d)) || load(&x) != 0 || (display && watch_start(&x) != 0)) {
        watch_stop(&x);
        free(x.d);
        ks_arena_destroy(x.ar);
        pthread_mutex_destroy(&x.mu);
        return -1;
    }
    note_met(&x);
    kr_app_config_init(&cfg);
    snprintf(x.title, sizeof x.title, "%s", ksc_exercise_title(ex));
    cfg.title = x.title;
    cfg.duration = ksc_exercise_end(ex);
    cfg.create = x_create;
    cfg.destroy = x_destroy;
    cfg.goals = goals_cb;
    cfg.hint = hint_cb;
    cfg.ud = &x;
    cfg.seed = ksc_exercise_seed(ex);
    if (o->scale > 0)
        cfg.scale = o->scale;
    if (o->width > 0) {
        cfg.width = o->width;
        cfg.height = o->height;
    }
    cfg.screenshots = o->shots;
    cfg.nscreenshots = (size_t)o->nshots;
    cfg.headless = !display;          /* only the frames asked for */
    if (display) {
        fprintf(stdout, "exercise: %s -- in the window: its goals are in the Goals panel; "
                        "save a file to run it again, H for a hint.\n", ksc_exercise_title(ex));
        fflush(stdout);
    }
    rc = kr_app_run(&cfg);
    watch_stop(&x);
    for (i = 0; i < MAX_RUNS; i++)
        ks_run_destroy(x.runs[i]);
    ks_arena_destroy(x.ar);
    ks_arena_destroy(x.old_ar);
    free(x.d);
    pthread_mutex_destroy(&x.mu);
    if (rc != KR_OK)
        return rc;
    if (!display)
        return -1;                    /* the frames are written: then the report */
    return ksc_exercise_passed(ex) ? KSC_EXIT_OK : KSC_EXIT_FAILED;
}

#else

int ksc_exercise_window(ksc_exercise *ex, const ks_catalog *cat, const ksc_options *o)
{
    (void)ex;
    (void)cat;
    (void)o;
    return -1;                       /* no window: the terminal's loop */
}

#endif
