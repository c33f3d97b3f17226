/* serve_run.c -- serving one run (serve.h, ksc_server): the API over it,
 * HTTPS on the loopback with a fresh token, the kubeconfig that says so,
 * and the pacing of simulated time to the wall clock x speed. `kubesim
 * serve` polls between passes (cmd_serve.c); `kubesim run`'s window, once
 * its S key asked to serve, makes one pass a frame (window.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/ks_event.h"
#include "load/ks_validate.h"
#include "runcli.h"
#include "serve.h"

static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
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

int ksc_server_start(ksc_server *s, ks_run *run, const ksc_options *o, ksv_api_config *acfg)
{
    ksv_http_config hcfg;
    char token[65], err[400];
    memset(s, 0, sizeof s[0]);
    s->run = run;
    /* simulated now is the wall's now: ages read true (at 1x; a window's
       run served later is already at some time) */
    acfg->epoch_us = wall_us()
                     - (int64_t)((double)ks_now(ks_run_sim(run)) / (acfg->speed > 0 ? acfg->speed : 1));
    acfg->wall_us = wall_us;                 /* and times never ahead of the wall */
    if (!(s->api = ksv_api_create(run, acfg)) || make_token(token) != 0) {
        fprintf(stderr, "kubesim: error: out of memory (or no system randomness)\n");
        return KSC_EXIT_INTERNAL;
    }
    memset(&hcfg, 0, sizeof hcfg);
    hcfg.address = o->address ? o->address : "127.0.0.1";
    hcfg.port = o->port >= 0 ? o->port : 0;
    hcfg.token = token;
    hcfg.log = acfg->log;
    if (!(s->http = ksv_http_start(s->api, &hcfg, err, sizeof err))) {
        fprintf(stderr, "kubesim serve: error: %s\n", err);
        return KSC_EXIT_BAD_INPUT;
    }
    if (o->kubeconfig)
        snprintf(s->kubeconfig, sizeof s->kubeconfig, "%s", o->kubeconfig);
    else
        default_kubeconfig(s->kubeconfig, sizeof s->kubeconfig);
    if (write_kubeconfig(s->kubeconfig, hcfg.address, ksv_http_port(s->http), token,
                         ksv_http_cert(s->http)) != 0) {
        fprintf(stderr, "kubesim serve: error: cannot write the kubeconfig %s: %s\n",
                s->kubeconfig, strerror(errno));
        return KSC_EXIT_BAD_INPUT;
    }
    snprintf(s->url, sizeof s->url, "https://%s:%d", hcfg.address, ksv_http_port(s->http));
    if (strcmp(hcfg.address, "127.0.0.1") != 0)
        fprintf(stderr, "kubesim serve: warning: listening on %s, not only this machine's "
                        "loopback; anyone with the token can change the simulation\n",
                hcfg.address);
    s->wall0 = ksc_wall_seconds();
    s->sim0 = ks_now(ks_run_sim(run));
    ksv_api_paused(s->api, &s->gen0);
    return KSC_EXIT_OK;
}

int ksc_server_step(ksc_server *s)
{
    ks_sim *sim = ks_run_sim(s->run);
    ks_time target, next;
    int wait_ms = 1000, mhd;
    unsigned gen;
    bool paused = ksv_api_paused(s->api, &gen);
    double speed = ksv_api_speed(s->api);
    if (gen != s->gen0) {                /* the clock was set: pacing from now */
        s->gen0 = gen;
        s->wall0 = ksc_wall_seconds();
        s->sim0 = ks_now(sim);
    }
    target = s->sim0 + (ks_time)((ksc_wall_seconds() - s->wall0) * speed * KS_SEC);
    if (!paused && target > ks_now(sim) && !ks_run_done(s->run))
        ks_run_advance(s->run, target);
    if (ksv_api_after_advance(s->api))
        ksv_http_wake(s->http);
    ksv_http_run(s->http);
    if (!paused && !ks_run_done(s->run) && ks_next_time(sim, &next)) {
        double due = (double)(next - ks_now(sim)) / KS_SEC / speed * 1000.0;
        wait_ms = due < 0 ? 0 : due > 1000 ? 1000 : (int)due + 1;
    }
    mhd = ksv_http_timeout_ms(s->http);
    if (mhd >= 0 && mhd < wait_ms)
        wait_ms = mhd;
    return wait_ms;
}

void ksc_server_stop(ksc_server *s)
{
    ksv_http_stop(s->http);
    s->http = NULL;
    ksv_api_destroy(s->api);
    s->api = NULL;
}
