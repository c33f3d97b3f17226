/* window.c -- `kubesim run` and `kubesim apply` in the window: a scenario's
 * run handed to the renderer (render/kr_app.h), which re-creates it from
 * scratch for restart and for jumps back in time (a run is a pure function
 * of its inputs). Checks are events of the sim, so the window's own
 * ks_run_until checks expectations as the headless loop does.
 * Built only with the window (KUBESIM_GUI) and once render/kr_app.h exists;
 * otherwise ksc_window_run says why and the command runs headless.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runcli.h"

#ifdef KSC_HAVE_WINDOW
#include "../render/kr_app.h"
#include "../render/kr_display.h"
#include "kubectl/ks_kubectl.h"
#ifndef __EMSCRIPTEN__               /* no server in a page (web/web.mk) */
#define KSC_WINDOW_SERVES 1
#include "core/ks_event.h"
#include "serve.h"
#endif

#define MAX_RUNS 4           /* alive at once: the shown one, and a restart */

typedef struct window {
    const ks_scenario *sc;
    const ks_catalog *cat;
    ks_run_options ro;
    ks_run *runs[MAX_RUNS];
#ifdef KSC_WINDOW_SERVES
    const ksc_options *o;
    ks_run *served;                  /* the run the S key served, or NULL */
    ksc_server srv;
    ksc_served session;              /* its folder of objects written */
    ksc_serve_window *clock;         /* the window's and the API's one clock */
#endif
} window;

#ifdef KSC_WINDOW_SERVES
static void w_unserve(window *w)
{
    if (!w->served)
        return;
    ksc_serve_window_close(w->clock);
    ksc_server_stop(&w->srv);
    ksc_served_cleanup(&w->session);
    printf("kubesim %s: the Kubernetes API served from the window stopped at %.3fs\n",
           w->o->command, (double)ks_now(ks_run_sim(w->served)) / KS_SEC);
    w->served = NULL;
}

/* The S key: kubesim serve's server over the run shown, from its now on
 * (serve.h, ksc_server): the window is live from then on, and tick paces
 * the run as serve's loop does, a pass a frame. */
static int w_serve(void *ud, ks_sim *sim, bool playing, double speed, char *line, size_t n)
{
    window *w = ud;
    ksc_options o = *w->o;
    ksv_api_config acfg;
    int i;
    for (i = 0; i < MAX_RUNS && !(w->runs[i] && ks_run_sim(w->runs[i]) == sim); i++)
        ;
    if (i == MAX_RUNS) {
        snprintf(line, n, "internal error: the run shown is not known");
        return -1;
    }
    o.record_dir = NULL;                 /* run's --record is its PNG frames */
    memset(&w->session, 0, sizeof w->session);
    memset(&acfg, 0, sizeof acfg);
    acfg.speed = speed;
    acfg.paused = !playing;
    acfg.session_dir = w->session.session_dir;
    acfg.session_rel = w->session.session_rel;
    if (ksc_session_folder(&o, &w->session) != KSC_EXIT_OK
        || ksc_server_start(&w->srv, w->runs[i], &o, &acfg) != KSC_EXIT_OK) {
        ksc_server_stop(&w->srv);
        ksc_served_cleanup(&w->session);
        snprintf(line, n, "The API could not be served (the terminal says why)");
        return -1;
    }
    w->served = w->runs[i];
    /* a live cluster does not end with the lesson: it runs on (a month, as
       kubesim serve's) */
    ks_run_extend(w->served, KS_SCENARIO_MAX_DURATION);
    printf("kubesim %s: serving the Kubernetes API at %s (simulated at %gx%s), from the "
           "window\nexport KUBECONFIG=%s    # then: kubectl get pods\n", o.command, w->srv.url,
           speed, playing ? "" : ", paused: Space plays", w->srv.kubeconfig);
    fflush(stdout);
    snprintf(line, n, "export KUBECONFIG=%s", w->srv.kubeconfig);
    return 0;
}

static void w_tick(void *ud, kr_app *a)
{
    window *w = ud;
    if (!w->served)
        return;
    if (!w->clock)
        w->clock = ksc_serve_window_attach(a, w->srv.api);
    if (w->clock)
        ksc_serve_window_sync(w->clock);
    ksc_server_step(&w->srv);
}
#endif

static ks_sim *w_create(void *ud)
{
    window *w = ud;
    ks_diags *d = malloc(sizeof *d);
    ks_run *run;
    int i;
    if (!d)
        return NULL;
    ks_diags_init(d);
    run = ks_run_create(w->sc, w->cat, &w->ro, d);
    free(d);
    for (i = 0; run && i < MAX_RUNS; i++)
        if (!w->runs[i]) {
            w->runs[i] = run;
            return ks_run_sim(run);
        }
    ks_run_destroy(run);
    return NULL;
}

static void w_destroy(void *ud, ks_sim *sim)
{
    window *w = ud;
    int i;
    for (i = 0; i < MAX_RUNS; i++)
        if (w->runs[i] && ks_run_sim(w->runs[i]) == sim) {
#ifdef KSC_WINDOW_SERVES
            if (w->runs[i] == w->served)
                w_unserve(w);              /* the server before its run */
#endif
            ks_run_destroy(w->runs[i]);
            w->runs[i] = NULL;
        }
}

static int w_kubectl(void *ud, ks_sim *sim, const char *line, char *out, size_t n,
                     ks_kubectl_tables *tables)
{
    window *w = ud;
    ks_strbuf b;
    int rc;
    ks_strbuf_init(&b, NULL);
#ifdef KSC_WINDOW_SERVES
    if (w->served && ks_run_sim(w->served) == sim)   /* as the API's writes: at a quiet instant */
        rc = ksv_api_kubectl(w->srv.api, line, &b, tables);
    else
#endif
        rc = ks_kubectl_run_tables(sim, line, w->sc->dir, &b, tables);
    snprintf(out, n, "%s", ks_strbuf_str(&b));
    ks_strbuf_fini(&b);
    return rc;
}

/* A screenshot after the run's end would show the end, not what was asked
 * for: bad input, said before anything is drawn. */
static bool shots_after_end(const ksc_options *o, ks_time end)
{
    int i;
    for (i = 0; i < o->nshots; i++) {
        ks_time t;
        const char *file;
        char at[32], until[32];
        if (kr_parse_shot(o->shots[i], &t, &file) != 0 || t <= end)
            continue;          /* a malformed one: the renderer says how to write it */
        ks_duration_format(t, at, sizeof at);
        ks_duration_format(end, until, sizeof until);
        fprintf(stderr, "kubesim %s: error: --screenshot %s: the run ends at %s, before %s; "
                        "pick a time up to %s, or run longer with --until %s\n",
                o->command, o->shots[i], until, at, until, at);
        return true;
    }
    return false;
}

int ksc_window_run(const ksc_options *o, const ks_scenario *sc, const ks_catalog *cat,
                   const ks_run_options *ro)
{
    window w;                        /* kr_app_run calls back only while it runs */
    kr_app_config cfg;
    char why[256];
    int rc, i;
    bool files = o->nshots || o->record_dir || o->gif;
    bool display = !o->headless && kr_display_available(why, sizeof why);
    if (!display && !files) {
        if (!o->headless)
            fprintf(stderr, "kubesim %s: %s; running headless.\n", o->command, why);
        return -1;
    }
    memset(&w, 0, sizeof w);
    w.sc = sc;
    w.cat = cat;
    w.ro = *ro;
    w.ro.pause_enabled = true;
    w.ro.no_fingerprint = true;
    w.ro.trace = NULL;               /* the window subscribes itself */
    kr_app_config_init(&cfg);
    cfg.title = sc->title ? sc->title : sc->name;
    cfg.duration = ro->until_set ? ro->until : sc->duration;
    cfg.create = w_create;
    cfg.destroy = w_destroy;
    cfg.kubectl = w_kubectl;
    cfg.state_file = getenv("KUBESIM_WINDOW_STATE");    /* tests */
    if (cfg.state_file && !cfg.state_file[0])
        cfg.state_file = NULL;
#ifdef KSC_WINDOW_SERVES
    w.o = o;
    if (display) {
        cfg.serve = w_serve;
        cfg.tick = w_tick;
    }
#endif
    cfg.ud = &w;
    cfg.data = NULL;                 /* the renderer reads the sim itself */
    cfg.seed = ro->seed_set ? ro->seed : sc->seed;
    cfg.speed = o->speed;
    cfg.start = o->start;
    if (o->scale > 0)
        cfg.scale = o->scale;
    if (shots_after_end(o, cfg.duration))
        return KSC_EXIT_BAD_INPUT;
    if (o->start > cfg.duration) {
        char at[32], until[32];
        ks_duration_format(o->start, at, sizeof at);
        ks_duration_format(cfg.duration, until, sizeof until);
        fprintf(stderr, "kubesim %s: error: --start %s: the run ends at %s; pick a time up to "
                        "%s\n", o->command, at, until, until);
        return KSC_EXIT_BAD_INPUT;
    }
    if (o->width > 0) {
        cfg.width = o->width;
        cfg.height = o->height;
    }
    cfg.screenshots = o->shots;
    cfg.nscreenshots = (size_t)o->nshots;
    cfg.record_dir = o->record_dir;
    cfg.gif_file = o->gif;
    cfg.quiet = o->quiet;
    /* no window: the frames asked for are drawn headless, then the run
       goes on as text */
    cfg.headless = !display;
    if (!display && !o->headless)
        fprintf(stderr, "kubesim %s: %s; writing the frames asked for, then running "
                        "headless.\n", o->command, why);
    rc = kr_app_run(&cfg);
#ifdef KSC_WINDOW_SERVES
    w_unserve(&w);
#endif
    for (i = 0; i < MAX_RUNS; i++)
        ks_run_destroy(w.runs[i]);
    if (!display)
        return rc == KR_OK ? -1 : rc;     /* then the headless text run */
    return rc;
}

#else

int ksc_window_run(const ksc_options *o, const ks_scenario *sc, const ks_catalog *cat,
                   const ks_run_options *ro)
{
    (void)sc;
    (void)cat;
    (void)ro;
    if (o->nshots || o->record_dir || o->gif) {
        fprintf(stderr, "kubesim %s: error: --screenshot, --record and --gif need the window, "
                        "and this kubesim was built without it (KUBESIM_GUI=OFF)\n",
                o->command);
        return 2;
    }
    if (o->headless)
        return -1;
#ifdef KUBESIM_GUI
    fprintf(stderr, "kubesim %s: the window is not built yet (issue #8); running headless.\n",
            o->command);
#else
    fprintf(stderr, "kubesim %s: built without the window (KUBESIM_GUI=OFF); running "
                    "headless.\n", o->command);
#endif
    return -1;
}

#endif
