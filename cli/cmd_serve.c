/* cmd_serve.c -- `kubesim serve [SCENARIO | -f DIR]`: the simulated cluster
 * behind the Kubernetes API, for the learner's own kubectl.
 *
 * Initialization: the scenario (or the manifests, or an empty cluster) is
 * loaded and run to 0s; the API listens on 127.0.0.1 (server/), and a
 * kubeconfig with a fresh random token is written.
 * Loop: the simulation runs in simulated time paced to wall time x --speed
 * (ks_run_advance to the wall's target: serve_run.c), the API answers between advances
 * (one thread: nothing runs while a request is answered), and watches hear
 * of changes after each advance. The poll waits until the next simulated
 * event is due or a request arrives.
 * De-initialization: at Ctrl-C (SIGINT) or SIGTERM, with --record FILE, the
 * session is written as a scenario (record.c).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ks_event.h"
#include "load/ks_scenario.h"
#include "load/ks_validate.h"
#include "run/ks_runner.h"
#include "../server/ksv_api.h"
#include "../server/ksv_http.h"
#include "commands.h"
#include "exercise.h"
#include "runcli.h"
#include "serve.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static bool option_misuse(const ksc_options *o)
{
    if (o->headless || o->json || o->junit || o->jobs || o->update_fingerprints || o->gif) {
        fprintf(stderr, "kubesim serve: error: that option does not apply to serve\n"
                        "Try 'kubesim serve --help'.\n");
        return true;
    }
    if (!o->window && (o->nshots || o->scale > 0 || o->width > 0)) {
        fprintf(stderr, "kubesim serve: error: --screenshot, --scale and --size are for the "
                        "window: add --window\nTry 'kubesim serve --help'.\n");
        return true;
    }
    if (o->record_dir && o->seed_set && o->npaths) {
        fprintf(stderr, "kubesim serve: error: --record with a scenario replays it with its "
                        "spec.seed; set the seed there instead of --seed\n");
        return true;
    }
    if (o->npaths > 1 || (o->npaths && o->nfiles)) {
        fprintf(stderr, "kubesim serve: error: give one scenario, or manifests with -f, "
                        "not both\nTry 'kubesim serve --help'.\n");
        return true;
    }
    return false;
}

/* Runs until stopped (or the window closed): a pass of the server
 * (ksc_server_step), then a wait for a request or the next simulated event;
 * with a window, a frame at most every FRAME_MS. */
#define FRAME_MS 16
static void serve_loop(ksc_server *srv, ksc_serve_window *win)
{
    ks_sim *sim = ks_run_sim(srv->run);
    double frame_at = 0;
    struct pollfd p = {ksv_http_fd(srv->http), POLLIN, 0};
    while (!stop_requested && ks_sim_status(sim) == KS_OK) {
        int wait_ms;
        if (win && ksc_wall_seconds() - frame_at >= FRAME_MS / 1000.0) {
            frame_at = ksc_wall_seconds();
            if (!ksc_serve_window_frame(win))
                break;                                 /* the window closed */
        }
        wait_ms = ksc_server_step(srv);
        if (win && wait_ms > FRAME_MS)
            wait_ms = FRAME_MS;
        if (poll(&p, 1, wait_ms) < 0 && errno != EINTR)
            break;
        ksv_http_run(srv->http);
    }
}

int ksc_cmd_serve(ksc_options *o)
{
    ks_arena *ar = NULL;
    ks_diags *d = NULL;
    const ks_catalog *cat;
    ks_scenario *sc = NULL;
    ks_run_options ro;
    ks_run *run = NULL;
    ksc_server srv;
    ksc_serve_window *win = NULL;
    ksv_api_config acfg;
    ksc_served served;
    struct sigaction sa, old_int, old_term;
    bool sa_set = false;
    FILE *log = NULL;
    int rc;

    memset(&served, 0, sizeof served);
    memset(&srv, 0, sizeof srv);
    if (option_misuse(o))
        return KSC_EXIT_BAD_INPUT;
    ar = ks_arena_create(NULL);
    d = malloc(sizeof *d);
    if (!ar || !d) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        rc = KSC_EXIT_INTERNAL;
        goto out;
    }
    ks_diags_init(d);
    if ((rc = ksc_load_catalog(ar, &cat)) != KSC_EXIT_OK)
        goto out;
    if ((rc = ksc_served_load(ar, o, &served, &sc, d)) != KSC_EXIT_OK)
        goto out;
    if (o->log_requests) {
        log = strcmp(o->log_requests, "-") == 0 ? stderr : fopen(o->log_requests, "w");
        if (!log) {
            fprintf(stderr, "kubesim serve: error: cannot write %s: %s\n", o->log_requests,
                    strerror(errno));
            rc = KSC_EXIT_BAD_INPUT;
            goto out;
        }
    }
    memset(&ro, 0, sizeof ro);
    ro.seed = o->seed;
    ro.seed_set = o->seed_set;
    /* a live cluster does not end with the lesson: it runs to --until (or a month) */
    ro.until = o->until_set ? o->until : KS_SCENARIO_MAX_DURATION;
    ro.until_set = true;
    /* the fingerprint is pinned in a recording (and costs a tenth of the run) */
    ro.no_fingerprint = !o->record_dir;
    run = ks_run_create(sc, cat, &ro, d);
    ksc_print_diags(d);
    if (!run) {
        rc = ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
        goto out;
    }
    ks_run_advance(run, 0);                    /* the manifests, applied */
    memset(&acfg, 0, sizeof acfg);
    acfg.session_dir = served.session_dir;
    acfg.session_rel = served.session_rel;
    acfg.log = log;
    acfg.speed = o->speed;
    acfg.paused = o->paused;
    /* ours before the window's: SDL leaves handlers it finds alone */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa_set = true;
    if ((rc = ksc_server_start(&srv, run, o, &acfg)) != KSC_EXIT_OK)
        goto out;
    if (o->window && !(win = ksc_serve_window_open(o, run, srv.api, served.what, srv.kubeconfig))) {
        rc = KSC_EXIT_BAD_INPUT;
        goto out;
    }
    printf("kubesim serve: %s at %s (Kubernetes %s API, simulated at %gx%s)\n", served.what,
           srv.url, "v1.30", o->speed,
           o->paused ? ", paused: PUT /kubesim/v1/clock moves it" : "");
    printf("export KUBECONFIG=%s    # then: kubectl get pods\n", srv.kubeconfig);
    fflush(stdout);

    if (win)
        printf("kubesim serve: in the window: Space pauses, - + change the speed, for "
               "kubectl too; closing it stops serve\n");
    fflush(stdout);
    serve_loop(&srv, win);
    ksc_serve_window_close(win);          /* before the run it shows goes */
    win = NULL;
    ksv_http_stop(srv.http);
    srv.http = NULL;
    rc = ks_sim_status(ks_run_sim(run)) == KS_OK ? KSC_EXIT_OK : KSC_EXIT_INTERNAL;
    if (rc == KSC_EXIT_OK && o->record_dir)
        rc = ksc_record_write(o->record_dir, &served, run, srv.api);
    printf("kubesim serve: stopped at %.3fs of simulated time\n",
           (double)ks_now(ks_run_sim(run)) / KS_SEC);
out:
    if (sa_set) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    ksc_serve_window_close(win);
    ksc_server_stop(&srv);
    ks_run_destroy(run);
    ksc_served_cleanup(&served);
    if (log && log != stderr)
        fclose(log);
    free(d);
    ks_arena_destroy(ar);
    return rc;
}
