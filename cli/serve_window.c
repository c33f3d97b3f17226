/* serve_window.c -- `kubesim serve --window`: the window (render/, the one
 * `kubesim run` opens) over the cluster that the API serves, so a teacher
 * projects the animation while typing real kubectl beside it.
 *
 * The window is in live mode (kr_app_config.live): the serve loop owns the
 * run and advances it; the window draws it as it is after each advance. One
 * clock: the window's Space and -/+ set the API's (ksv_api_set_clock, what
 * PUT /kubesim/v1/clock sets), and a client's PUT shows in the window. Time
 * only moves on (no restart, back or timeline jump: a live cluster has no
 * past to go to). The window's kubectl prompt and its pod and node actions
 * run through the API as its writes do (ksv_api_kubectl), so --record keeps
 * them. Closing the window stops serve as Ctrl-C does.
 * Built only with the window (KUBESIM_GUI); otherwise --window is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runcli.h"
#include "serve.h"
#include "kubectl/ks_kubectl.h"

#ifdef KSC_HAVE_WINDOW
#include "../render/kr_app.h"
#include "../render/kr_display.h"

struct ksc_serve_window {
    kr_app_config cfg;
    kr_app *app;
    bool attached;               /* the app is another's: close leaves it */
    ksv_api *api;
    char title[700];
    char serving[4200];
    bool paused;                 /* the clock as last agreed by both */
    double speed;
};

static int sw_kubectl(void *ud, ks_sim *sim, const char *line, char *out, size_t n,
                      ks_kubectl_tables *tables)
{
    ksc_serve_window *w = ud;
    ks_strbuf b;
    int rc;
    (void)sim;
    ks_strbuf_init(&b, NULL);
    rc = ksv_api_kubectl(w->api, line, &b, tables);
    snprintf(out, n, "%s", ks_strbuf_str(&b));
    ks_strbuf_fini(&b);
    return rc;
}

ksc_serve_window *ksc_serve_window_open(const ksc_options *o, ks_run *run, ksv_api *api,
                                        const char *what, const char *kubeconfig)
{
    ksc_serve_window *w;
    const ks_scenario *sc = ks_run_scenario(run);
    char why[256];
    if (!kr_display_available(why, sizeof why)) {
        fprintf(stderr, "kubesim serve: error: --window: %s; serve without --window, or "
                        "start it where a display is (DISPLAY set)\n", why);
        return NULL;
    }
    if (!(w = calloc(1, sizeof *w))) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        return NULL;
    }
    w->api = api;
    w->paused = ksv_api_paused(api, NULL);
    w->speed = ksv_api_speed(api);
    snprintf(w->title, sizeof w->title, "%s (kubesim serve)",
             sc && (sc->title || sc->name) ? (sc->title ? sc->title : sc->name) : what);
    kr_app_config_init(&w->cfg);
    w->cfg.title = w->title;
    w->cfg.duration = sc && sc->duration > 0 ? sc->duration : 0;
    w->cfg.live = ks_run_sim(run);
    w->cfg.kubectl = sw_kubectl;
    w->cfg.ud = w;
    w->cfg.seed = o->seed_set ? o->seed : sc ? sc->seed : 0;
    w->cfg.speed = w->speed;
    w->cfg.start_paused = w->paused;
    w->cfg.scale = o->scale > 0 ? o->scale : 1;
    w->cfg.width = o->width;
    w->cfg.height = o->height;
    w->cfg.screenshots = o->shots;
    w->cfg.nscreenshots = (size_t)o->nshots;
    w->cfg.quiet = o->quiet;
    snprintf(w->serving, sizeof w->serving, "export KUBECONFIG=%s", kubeconfig);
    w->cfg.serving = w->serving;
    w->cfg.state_file = getenv("KUBESIM_WINDOW_STATE");
    if (w->cfg.state_file && !w->cfg.state_file[0])
        w->cfg.state_file = NULL;
    if (!(w->app = kr_app_open(&w->cfg))) {
        free(w);
        return NULL;
    }
    return w;
}

ksc_serve_window *ksc_serve_window_attach(kr_app *app, ksv_api *api)
{
    ksc_serve_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->app = app;
    w->attached = true;
    w->api = api;
    w->paused = ksv_api_paused(api, NULL);
    w->speed = ksv_api_speed(api);
    return w;
}

void ksc_serve_window_sync(ksc_serve_window *w)
{
    double wspeed, aspeed = ksv_api_speed(w->api);
    bool wpaused = !kr_app_playing(w->app, &wspeed), apaused = ksv_api_paused(w->api, NULL);
    if (wpaused != w->paused || wspeed != w->speed) {
        ksv_api_set_clock(w->api, wpaused, wspeed);
    } else if (apaused != w->paused || aspeed != w->speed) {
        kr_app_set_playing(w->app, !apaused, aspeed);
    }
    w->paused = !kr_app_playing(w->app, &w->speed);
}

bool ksc_serve_window_frame(ksc_serve_window *w)
{
    bool open = kr_app_frame(w->app);
    if (open)
        ksc_serve_window_sync(w);
    return open;
}

void ksc_serve_window_close(ksc_serve_window *w)
{
    if (!w)
        return;
    if (!w->attached)
        kr_app_close(w->app);
    free(w);
}

#else

ksc_serve_window *ksc_serve_window_open(const ksc_options *o, ks_run *run, ksv_api *api,
                                        const char *what, const char *kubeconfig)
{
    (void)kubeconfig;
    (void)o;
    (void)run;
    (void)api;
    (void)what;
    fprintf(stderr, "kubesim serve: error: --window: this kubesim was built without the window "
                    "(KUBESIM_GUI=OFF); serve without --window\n");
    return NULL;
}

bool ksc_serve_window_frame(ksc_serve_window *w)
{
    (void)w;
    return false;
}

void ksc_serve_window_close(ksc_serve_window *w)
{
    (void)w;
}

ksc_serve_window *ksc_serve_window_attach(struct kr_app *app, ksv_api *api)
{
    (void)app;
    (void)api;
    return NULL;
}

void ksc_serve_window_sync(ksc_serve_window *w)
{
    (void)w;
}

#endif
