/* cmd_serve.c -- `kubesim serve [SCENARIO | -f DIR]`: the simulated cluster
 * behind the Kubernetes API, for the learner's own kubectl.
 *
 * Initialization: the scenario (or the manifests, or an empty cluster) is
 * loaded and run to 0s; the API listens on 127.0.0.1 (server/), and a
 * kubeconfig with a fresh random token is written.
 * Loop: the simulation runs in simulated time paced to wall time x --speed
 * (ks_run_advance to the wall's target), the API answers between advances
 * (one thread: nothing runs while a request is answered), and watches hear
 * of changes after each advance. The poll waits until the next simulated
 * event is due or a request arrives.
 * De-initialization: at Ctrl-C (SIGINT) or SIGTERM, with --record FILE, the
 * session is written as a scenario (record.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A token of 32 hex digits from the system's randomness (not the sim's). */
static int make_token(char out[65])
{
    unsigned char raw[16];
    size_t i;
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return -1;
    for (i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

/* Where the kubeconfig goes by default: ~/.kube/kubesim (its own file: the
 * learner's ~/.kube/config is not touched). */
static void default_kubeconfig(char *buf, size_t n)
{
    const char *home = getenv("HOME");
    if (home && home[0]) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/.kube", home);
        mkdir(dir, 0700);
        snprintf(buf, n, "%s/.kube/kubesim", home);
    } else {
        snprintf(buf, n, "kubesim.kubeconfig");
    }
}

static int write_kubeconfig(const char *path, const char *address, int port, const char *token,
                            const char *cert)
{
    size_t clen = strlen(cert), cap = (clen + 2) / 3 * 4 + 1;
    char *ca = malloc(cap);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f || !ca) {
        if (f)
            fclose(f);
        else if (fd >= 0)
            close(fd);
        free(ca);
        return -1;
    }
    ks_base64_encode(cert, clen, ca, cap);
    fprintf(f, "# Written by kubesim serve: the simulated cluster, for kubectl.\n"
               "apiVersion: v1\n"
               "kind: Config\n"
               "clusters:\n"
               "- name: kubesim\n"
               "  cluster:\n"
               "    server: https://%s:%d\n"
               "    certificate-authority-data: %s\n"
               "users:\n"
               "- name: kubesim\n"
               "  user:\n"
               "    token: %s\n"
               "contexts:\n"
               "- name: kubesim\n"
               "  context:\n"
               "    cluster: kubesim\n"
               "    user: kubesim\n"
               "    namespace: default\n"
               "current-context: kubesim\n"
               "preferences: {}\n",
            address, port, ca, token);
    free(ca);
    return fclose(f) == 0 ? 0 : -1;
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

static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Runs until stopped (or the window closed): simulated time follows the
 * wall clock x speed, unless the clock is paused (then it moves only when
 * a client sets it); after a client (or the window's keys) set it, pacing
 * starts again from the simulated now at the speed set. With a window, a
 * frame at most every FRAME_MS. */
#define FRAME_MS 16
static void serve_loop(ks_run *run, ksv_api *api, ksv_http *http, ksc_serve_window *win)
{
    ks_sim *sim = ks_run_sim(run);
    double wall0 = now_s(), speed, frame_at = 0;
    ks_time sim0 = ks_now(sim);
    unsigned gen0, gen;
    struct pollfd p = {ksv_http_fd(http), POLLIN, 0};
    ksv_api_paused(api, &gen0);
    while (!stop_requested && ks_sim_status(sim) == KS_OK) {
        ks_time target, next;
        int wait_ms = 1000, mhd;
        bool paused;
        if (win && now_s() - frame_at >= FRAME_MS / 1000.0) {
            frame_at = now_s();
            if (!ksc_serve_window_frame(win))
                break;                                 /* the window closed */
        }
        paused = ksv_api_paused(api, &gen);
        speed = ksv_api_speed(api);
        if (gen != gen0) {
            gen0 = gen;
            wall0 = now_s();
            sim0 = ks_now(sim);
        }
        target = sim0 + (ks_time)((now_s() - wall0) * speed * KS_SEC);
        if (!paused && target > ks_now(sim) && !ks_run_done(run))
            ks_run_advance(run, target);
        if (ksv_api_after_advance(api))
            ksv_http_wake(http);
        ksv_http_run(http);
        if (!paused && !ks_run_done(run) && ks_next_time(sim, &next)) {
            double due = (double)(next - ks_now(sim)) / KS_SEC / speed * 1000.0;
            wait_ms = due < 0 ? 0 : due > 1000 ? 1000 : (int)due + 1;
        }
        mhd = ksv_http_timeout_ms(http);
        if (mhd >= 0 && mhd < wait_ms)
            wait_ms = mhd;
        if (win && wait_ms > FRAME_MS)
            wait_ms = FRAME_MS;
        if (poll(&p, 1, wait_ms) < 0 && errno != EINTR)
            break;
        ksv_http_run(http);
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
    ksv_api *api = NULL;
    ksv_http *http = NULL;
    ksc_serve_window *win = NULL;
    ksv_api_config acfg;
    ksv_http_config hcfg;
    ksc_served served;
    struct sigaction sa, old_int, old_term;
    bool sa_set = false;
    FILE *log = NULL;
    char token[65], kubeconfig[4096], err[400];
    int rc;

    memset(&served, 0, sizeof served);
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
    acfg.epoch_us = wall_us();               /* simulated 0s is now: ages read true */
    acfg.wall_us = wall_us;                  /* and times never ahead of the wall */
    if (!(api = ksv_api_create(run, &acfg)) || make_token(token) != 0) {
        fprintf(stderr, "kubesim: error: out of memory (or no system randomness)\n");
        rc = KSC_EXIT_INTERNAL;
        goto out;
    }
    /* ours before the window's: SDL leaves handlers it finds alone */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa_set = true;
    if (o->window && !(win = ksc_serve_window_open(o, run, api, served.what))) {
        rc = KSC_EXIT_BAD_INPUT;
        goto out;
    }
    memset(&hcfg, 0, sizeof hcfg);
    hcfg.address = o->address ? o->address : "127.0.0.1";
    hcfg.port = o->port >= 0 ? o->port : 0;
    hcfg.token = token;
    hcfg.log = log;
    if (!(http = ksv_http_start(api, &hcfg, err, sizeof err))) {
        fprintf(stderr, "kubesim serve: error: %s\n", err);
        rc = KSC_EXIT_BAD_INPUT;
        goto out;
    }
    if (o->kubeconfig)
        snprintf(kubeconfig, sizeof kubeconfig, "%s", o->kubeconfig);
    else
        default_kubeconfig(kubeconfig, sizeof kubeconfig);
    if (write_kubeconfig(kubeconfig, hcfg.address, ksv_http_port(http), token,
                         ksv_http_cert(http)) != 0) {
        fprintf(stderr, "kubesim serve: error: cannot write the kubeconfig %s: %s\n",
                kubeconfig, strerror(errno));
        rc = KSC_EXIT_BAD_INPUT;
        goto out;
    }
    if (strcmp(hcfg.address, "127.0.0.1") != 0)
        fprintf(stderr, "kubesim serve: warning: listening on %s, not only this machine's "
                        "loopback; anyone with the token can change the simulation\n",
                hcfg.address);
    printf("kubesim serve: %s at https://%s:%d (Kubernetes %s API, simulated at %gx%s)\n",
           served.what, hcfg.address, ksv_http_port(http), "v1.30", o->speed,
           o->paused ? ", paused: PUT /kubesim/v1/clock moves it" : "");
    printf("export KUBECONFIG=%s    # then: kubectl get pods\n", kubeconfig);
    fflush(stdout);

    if (win)
        printf("kubesim serve: in the window: Space pauses, - + change the speed, for "
               "kubectl too; closing it stops serve\n");
    fflush(stdout);
    serve_loop(run, api, http, win);
    ksc_serve_window_close(win);          /* before the run it shows goes */
    win = NULL;
    ksv_http_stop(http);
    http = NULL;
    rc = ks_sim_status(ks_run_sim(run)) == KS_OK ? KSC_EXIT_OK : KSC_EXIT_INTERNAL;
    if (rc == KSC_EXIT_OK && o->record_dir)
        rc = ksc_record_write(o->record_dir, &served, run, api);
    printf("kubesim serve: stopped at %.3fs of simulated time\n",
           (double)ks_now(ks_run_sim(run)) / KS_SEC);
out:
    if (sa_set) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    ksc_serve_window_close(win);
    ksv_http_stop(http);
    ksv_api_destroy(api);
    ks_run_destroy(run);
    ksc_served_cleanup(&served);
    if (log && log != stderr)
        fclose(log);
    free(d);
    ks_arena_destroy(ar);
    return rc;
}
