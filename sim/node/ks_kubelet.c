/* ks_kubelet.c -- the kubelet of every node: image pulls, env and Secret
 * resolution, container start, restarts with the real CrashLoopBackOff
 * schedule, probes, graceful termination.
 *
 * Numbers (KUBERNETES.md sections 1-4, 9): restart back-off 0 s for the
 * first restart, then 10 s doubling to 300 s, reset after 10 minutes of
 * running; image pull back-off on the same schedule; probes default to
 * period 10 s, timeout 1 s, failure threshold 3; the grace period is the
 * pod's terminationGracePeriodSeconds (30 s). A missing Secret or key gives
 * CreateContainerConfigError with the real messages; the kubelet retries
 * every 10 s and within a second of the Secret appearing.
 */
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "core/internal/sim.h"
#include "internal/workload.h"
#include "core/ks_error.h"

#define KUBELET_SEES     (50 * KS_MSEC)   /* a bound pod reaches the kubelet */
#define CREATE_TIME      (300 * KS_MSEC)  /* sandbox + container create */
#define CONFIG_RETRY     (10 * KS_SEC)
#define BACKOFF_BASE     (10 * KS_SEC)
#define BACKOFF_MAX      (300 * KS_SEC)
#define BACKOFF_RESET    (600 * KS_SEC)
#define KILL_EXIT        137              /* 128 + SIGKILL */
#define TERM_EXIT        143              /* 128 + SIGTERM */

enum { PROBE_LIVENESS, PROBE_READINESS, PROBE_STARTUP };

static void setup_step(ks_sim *sim, void *subject, uint64_t pod);

static ks_node *node_of(const ks_sim *sim, const ksi_pod *p)
{
    return ksi_node_get(sim, p->pub.node);
}

static void set_timer(ks_sim *sim, ks_event_id *slot, ks_time delay, ks_event_fn fn,
                      uint64_t arg)
{
    ks_event_cancel(sim, *slot);
    *slot = ks_event_after(sim, delay, KS_PRIO_DEFAULT, fn, NULL, arg);
}

/* Timers carry (pod id << 8 | container index). */
static uint64_t pc_arg(const ksi_pod *p, size_t c)
{
    return (uint64_t)p->pub.id << 8 | c;
}

static ksi_pod *pc_pod(const ks_sim *sim, uint64_t arg, size_t *c)
{
    ksi_pod *p = ksi_pod_get(sim, (ks_id)(arg >> 8));
    *c = (size_t)(arg & 0xff);
    return p && *c < p->pub.ncontainers ? p : NULL;
}

/* ---- pod conditions ------------------------------------------------------------ */
static void refresh_pod(ks_sim *sim, ksi_pod *p)
{
    size_t i, running = 0, terminated = 0, ok = 0;
    bool ready = !p->pub.terminating && p->pub.ncontainers > 0;
    ks_node *n = node_of(sim, p);
    for (i = 0; i < p->pub.ncontainers; i++) {
        const ks_container_status *cs = &p->pub.containers[i];
        running += cs->state == KS_CS_RUNNING;
        if (cs->state == KS_CS_TERMINATED) {
            terminated++;
            ok += cs->exit_code == 0;
        }
        if (!cs->ready)
            ready = false;
    }
    if (n && !n->ready)
        ready = false;                   /* the node controller's verdict */
    if (running && strcmp(p->pub.phase, "Pending") == 0)
        p->pub.phase = "Running";
    if (terminated == p->pub.ncontainers && p->pub.ncontainers
        && strcmp(p->pub.spec->restart_policy, "Always") != 0) {
        bool will_restart = false;
        for (i = 0; i < p->pub.ncontainers; i++)
            if (strcmp(p->pub.spec->restart_policy, "OnFailure") == 0
                && p->pub.containers[i].exit_code != 0)
                will_restart = true;
        if (!will_restart)
            p->pub.phase = ok == terminated ? "Succeeded" : "Failed";
    }
    if (ready != p->pub.ready) {
        p->pub.ready = ready;
        if (ready)
            p->pub.ready_since = ks_now(sim);
        ksi_workload_pod_readiness(sim, p);
    }
    ksi_pod_update_status(sim, p);
    ksi_pod_changed(sim, p);
}

/* ---- logs ------------------------------------------------------------------------- */
void ks_cluster_log(ks_sim *sim, ks_id pod, size_t c, const char *fmt, ...)
{
    ksi_pod *p = ksi_pod_get(sim, pod);
    ks_container_status *cs;
    ks_trace_event tev;
    va_list ap;
    int i;
    if (!p || c >= p->pub.ncontainers)
        return;
    cs = &p->pub.containers[c];
    if (!cs->log && !(cs->log = ks_mem_calloc(&sim->alloc, 1, sizeof *cs->log))) {
        ks_sim_fail(sim, KS_ENOMEM);
        return;
    }
    if (cs->log->count == KS_LOG_LINES) {
        cs->log->first = (cs->log->first + 1) % KS_LOG_LINES;
        cs->log->count--;
    }
    i = (cs->log->first + cs->log->count++) % KS_LOG_LINES;
    va_start(ap, fmt);
    vsnprintf(cs->log->line[i], sizeof cs->log->line[i], fmt, ap);
    va_end(ap);
    cs->log->at[i] = ks_now(sim);
    memset(&tev, 0, sizeof tev);
    tev.type = KS_TR_LOG;
    tev.kind = "Pod";
    tev.name = p->pub.name;
    tev.reason = cs->spec->name;
    tev.msg = cs->log->line[i];
    ks_trace_emit(sim, &tev);
}

/* ---- image pulls ------------------------------------------------------------------- */
static bool image_on_node(ks_sim *sim, ks_node *n, const char *image)
{
    return ksi_node_has_image(sim, n->id, image);
}

static const char *short_duration(ks_time t, char *buf, size_t n)
{
    ks_duration_format(t, buf, n);
    return buf;
}

static void pull_done(ks_sim *sim, void *subject, uint64_t arg)
{
    size_t c;
    ksi_pod *p = pc_pod(sim, arg, &c);
    char d[32];
    (void)subject;
    if (!p)
        return;
    ksi_node_add_image(sim, p->pub.node, p->pub.containers[c].spec->image);
    p->cst[c].image_ready = true;
    ksi_event(sim, false, "Pulled", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Successfully pulled image \"%s\" in %s", p->pub.containers[c].spec->image,
              short_duration(p->pub.containers[c].image->pull, d, sizeof d));
    setup_step(sim, NULL, p->pub.id);
}

static void pull_failed(ks_sim *sim, ksi_pod *p, size_t c)
{
    ks_container_status *cs = &p->pub.containers[c];
    ks_time delay;
    int i;
    p->st.pull_failures++;
    ksi_event(sim, true, "Failed", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Failed to pull image \"%s\": rpc error: code = NotFound desc = failed to pull "
              "and unpack image \"%s\": not found", cs->spec->image, cs->spec->image);
    ksi_event(sim, true, "Failed", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Error: ErrImagePull");
    cs->state = KS_CS_WAITING;
    cs->reason = "ErrImagePull";
    snprintf(cs->message, sizeof cs->message, "failed to pull image \"%s\"", cs->spec->image);
    refresh_pod(sim, p);
    /* back-off 10 s, 20 s, ... 300 s between attempts */
    delay = BACKOFF_BASE;
    for (i = 1; i < p->st.pull_failures && delay < BACKOFF_MAX; i++)
        delay *= 2;
    if (delay > BACKOFF_MAX)
        delay = BACKOFF_MAX;
    cs->reason = "ImagePullBackOff";
    snprintf(cs->message, sizeof cs->message, "Back-off pulling image \"%s\"", cs->spec->image);
    ksi_event(sim, false, "BackOff", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Back-off pulling image \"%s\"", cs->spec->image);
    ksi_event(sim, true, "Failed", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Error: ImagePullBackOff");
    refresh_pod(sim, p);
    set_timer(sim, &p->st.timer, delay, setup_step, p->pub.id);
}

/* ---- container start ------------------------------------------------------------------- */
static void probe_tick(ks_sim *sim, void *subject, uint64_t arg);

static const ks_probe *probe_of(const ks_container_status *cs, int kind)
{
    const ks_probe *pr = kind == PROBE_LIVENESS ? &cs->spec->liveness
                         : kind == PROBE_READINESS ? &cs->spec->readiness : &cs->spec->startup;
    return pr->type == KS_PROBE_NONE ? NULL : pr;
}

static void start_probes(ks_sim *sim, ksi_pod *p, size_t c)
{
    int k;
    for (k = 0; k < 3; k++) {
        const ks_probe *pr = probe_of(&p->pub.containers[c], k);
        p->cst[c].probe_failures[k] = p->cst[c].probe_successes[k] = 0;
        if (pr)
            set_timer(sim, &p->cst[c].probe_timer[k], pr->initial_delay * KS_SEC, probe_tick,
                      pc_arg(p, c) << 2 | (uint64_t)k);
    }
}

static void stop_timers(ks_sim *sim, ksi_pod *p, size_t c)
{
    int k;
    for (k = 0; k < 3; k++)
        ks_event_cancel(sim, p->cst[c].probe_timer[k]);
    ks_event_cancel(sim, p->cst[c].exit_timer);
    ks_event_cancel(sim, p->cst[c].restart_timer);
    ksi_workload_stop(sim, p, c);
}

/* Runs container c: Created, Started, then its workload. */
static void run_container(ks_sim *sim, ksi_pod *p, size_t c)
{
    ks_container_status *cs = &p->pub.containers[c];
    ksi_event(sim, false, "Created", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Created container %s", cs->spec->name);
    ksi_event(sim, false, "Started", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Started container %s", cs->spec->name);
    cs->state = KS_CS_RUNNING;
    cs->reason = NULL;
    cs->message[0] = '\0';
    cs->started_at = ks_now(sim);
    cs->started = !probe_of(cs, PROBE_STARTUP);
    cs->ready = !probe_of(cs, PROBE_READINESS) && cs->started;
    start_probes(sim, p, c);
    refresh_pod(sim, p);
    ksi_workload_start(sim, p, c);
}

/* The kubelet's pod sync: takes the next container that is not running
 * through pull, config and start. */
static void setup_step(ks_sim *sim, void *subject, uint64_t pod)
{
    ksi_pod *p = ksi_pod_get(sim, (ks_id)pod);
    ks_node *n;
    size_t c;
    char why[190];
    (void)subject;
    if (!p || p->pub.terminating || !(n = node_of(sim, p)) || n->down)
        return;
    if (!ksi_volumes_ready(sim, p, why, sizeof why)) {
        ksi_event(sim, true, "FailedMount", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "%s", why);
        set_timer(sim, &p->st.timer, CONFIG_RETRY, setup_step, p->pub.id);
        return;
    }
    for (c = 0; c < p->pub.ncontainers; c++) {
        ks_container_status *cs = &p->pub.containers[c];
        if (cs->state != KS_CS_WAITING || cs->restarts || cs->has_last)
            continue;                    /* started once: restarts are separate */
        if (!cs->image->pullable) {
            pull_failed(sim, p, c);
            return;
        }
        if (!p->cst[c].image_ready) {
            if (!image_on_node(sim, n, cs->spec->image)) {
                ksi_event(sim, false, "Pulling", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                          "Pulling image \"%s\"", cs->spec->image);
                set_timer(sim, &p->st.timer, cs->image->pull, pull_done, pc_arg(p, c));
                return;
            }
            p->cst[c].image_ready = true;
            ksi_event(sim, false, "Pulled", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                      "Container image \"%s\" already present on machine", cs->spec->image);
        }
        if (!ksi_workload_resolve_env(sim, p, c, why, sizeof why)) {
            p->st.config_error = true;
            cs->state = KS_CS_WAITING;
            cs->reason = "CreateContainerConfigError";
            snprintf(cs->message, sizeof cs->message, "%s", why);
            ksi_event(sim, true, "Failed", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                      "Error: %s", why);
            refresh_pod(sim, p);
            set_timer(sim, &p->st.timer, CONFIG_RETRY, setup_step, p->pub.id);
            return;
        }
        p->st.config_error = false;
        run_container(sim, p, c);
    }
}

void ksi_kubelet_pod_bound(ks_sim *sim, ksi_pod *p)
{
    ksi_volumes_attach(sim, p);
    set_timer(sim, &p->st.timer, KUBELET_SEES + CREATE_TIME, setup_step, p->pub.id);
}

void ksi_kubelet_config_changed(ks_sim *sim)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        if (p->st.config_error)
            set_timer(sim, &p->st.timer, KS_SEC, setup_step, p->pub.id);
    }
}

/* ---- exits and restarts --------------------------------------------------------------- */
static void restart_container(ks_sim *sim, void *subject, uint64_t arg)
{
    size_t c;
    ksi_pod *p = pc_pod(sim, arg, &c);
    ks_container_status *cs;
    (void)subject;
    if (!p || p->pub.terminating)
        return;
    cs = &p->pub.containers[c];
    cs->restarts++;
    cs->last_restart = ks_now(sim);
    /* the old run's output becomes `logs --previous` */
    if (cs->prev_log)
        ks_mem_free(&sim->alloc, cs->prev_log, sizeof *cs->prev_log);
    cs->prev_log = cs->log;
    cs->log = NULL;
    ksi_event(sim, false, "Pulled", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Container image \"%s\" already present on machine", cs->spec->image);
    if (!ksi_workload_resolve_env(sim, p, c, cs->message, sizeof cs->message)) {
        cs->state = KS_CS_WAITING;
        cs->reason = "CreateContainerConfigError";
        p->st.config_error = true;
        refresh_pod(sim, p);
        set_timer(sim, &p->cst[c].restart_timer, CONFIG_RETRY, restart_container, arg);
        return;
    }
    run_container(sim, p, c);
}

/* The container's process has ended with code (reason: Completed, Error,
 * OOMKilled). Decides on a restart as restartPolicy and the back-off say. */
void ksi_container_exited(ks_sim *sim, ksi_pod *p, size_t c, int code, const char *reason)
{
    ks_container_status *cs = &p->pub.containers[c];
    const char *policy = p->pub.spec->restart_policy;
    ks_time delay;
    if (cs->state != KS_CS_RUNNING)
        return;
    stop_timers(sim, p, c);
    cs->state = KS_CS_TERMINATED;
    cs->exit_code = code;
    cs->reason = reason ? reason : code == 0 ? "Completed" : "Error";
    cs->finished_at = ks_now(sim);
    cs->ready = false;
    cs->has_last = true;
    cs->last_reason = cs->reason;
    cs->last_exit_code = code;
    cs->last_started = cs->started_at;
    cs->last_finished = cs->finished_at;
    refresh_pod(sim, p);
    if (p->pub.terminating)
        return;
    if (strcmp(policy, "Never") == 0 || (strcmp(policy, "OnFailure") == 0 && code == 0))
        return;
    /* running 10 minutes without trouble resets the back-off */
    if (ks_now(sim) - cs->started_at >= BACKOFF_RESET)
        cs->backoff = 0;
    delay = cs->backoff;
    cs->backoff = !cs->backoff ? BACKOFF_BASE : cs->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX
                                                                              : cs->backoff * 2;
    if (delay > 0) {                     /* the first failure restarts at once */
        char d[32];
        ks_duration_format(delay, d, sizeof d);
        cs->state = KS_CS_WAITING;
        cs->reason = "CrashLoopBackOff";
        cs->backoff_until = ks_now(sim) + delay;
        snprintf(cs->message, sizeof cs->message,
                 "back-off %s restarting failed container=%s pod=%s_%s", d, cs->spec->name,
                 p->pub.name, p->pub.ns);
        ksi_event(sim, true, "BackOff", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "Back-off restarting failed container %s in pod %s_%s", cs->spec->name,
                  p->pub.name, p->pub.ns);
        refresh_pod(sim, p);
    }
    set_timer(sim, &p->cst[c].restart_timer, delay, restart_container, pc_arg(p, c));
}

void ksi_kubelet_crash(ks_sim *sim, ksi_pod *p, size_t c, int exit_code, const char *reason)
{
    if (reason && strcmp(reason, "OOMKilled") == 0 && exit_code == 1)
        exit_code = KILL_EXIT;
    ksi_container_exited(sim, p, c, exit_code, reason);
}

/* ---- probes -------------------------------------------------------------------------------- */
static void kill_for_probe(ks_sim *sim, ksi_pod *p, size_t c, const char *which)
{
    ks_container_status *cs = &p->pub.containers[c];
    ksi_event(sim, false, "Killing", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Container %s failed %s probe, will be restarted", cs->spec->name, which);
    ksi_container_exited(sim, p, c, TERM_EXIT, "Error");
}

static void probe_tick(ks_sim *sim, void *subject, uint64_t arg)
{
    int k = (int)(arg & 3);
    size_t c;
    ksi_pod *p = pc_pod(sim, arg >> 2, &c);
    ks_container_status *cs;
    const ks_probe *pr;
    char why[240];
    bool ok;
    static const char *const names[] = {"Liveness", "Readiness", "Startup"};
    (void)subject;
    if (!p || p->pub.terminating)
        return;
    cs = &p->pub.containers[c];
    pr = probe_of(cs, k);
    if (!pr || cs->state != KS_CS_RUNNING)
        return;
    /* liveness and readiness wait for the startup probe */
    if (k != PROBE_STARTUP && !cs->started) {
        set_timer(sim, &p->cst[c].probe_timer[k], pr->period * KS_SEC, probe_tick, arg);
        return;
    }
    ok = ksi_workload_probe(sim, p, c, pr, why, sizeof why);
    if (ok) {
        p->cst[c].probe_failures[k] = 0;
        p->cst[c].probe_successes[k]++;
        if (k == PROBE_STARTUP) {
            cs->started = true;
            cs->ready = !probe_of(cs, PROBE_READINESS);
            refresh_pod(sim, p);
            return;                      /* a startup probe stops once passed */
        }
        if (k == PROBE_READINESS && !cs->ready
            && p->cst[c].probe_successes[k] >= pr->success_threshold) {
            cs->ready = true;
            refresh_pod(sim, p);
        }
    } else {
        p->cst[c].probe_successes[k] = 0;
        p->cst[c].probe_failures[k]++;
        ksi_event(sim, true, "Unhealthy", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "%s probe failed: %s", names[k], why);
        if (p->cst[c].probe_failures[k] >= pr->failure_threshold) {
            if (k == PROBE_READINESS) {
                if (cs->ready) {
                    cs->ready = false;
                    refresh_pod(sim, p);
                }
            } else {
                kill_for_probe(sim, p, c, k == PROBE_LIVENESS ? "liveness" : "startup");
                return;
            }
        }
    }
    set_timer(sim, &p->cst[c].probe_timer[k], pr->period * KS_SEC, probe_tick, arg);
}

/* ---- termination ---------------------------------------------------------------------------- */
void ksi_pod_remove(ks_sim *sim, ksi_pod *p)
{
    ks_node *n = ksi_node_get(sim, p->pub.node);
    size_t c;
    ks_id id = p->pub.id;
    ks_event_cancel(sim, p->st.timer);
    ks_event_cancel(sim, p->st.kill_timer);
    for (c = 0; c < p->pub.ncontainers; c++) {
        ks_container_status *cs = &p->pub.containers[c];
        stop_timers(sim, p, c);
        ks_mem_free(&sim->alloc, cs->log, sizeof *cs->log);
        ks_mem_free(&sim->alloc, cs->prev_log, sizeof *cs->prev_log);
    }
    if (n) {
        n->pods--;
        n->cpu_used -= p->pub.cpu;
        n->memory_used -= p->pub.memory;
    }
    if (id) {
        ksi_volumes_detach(sim, p);
        ksi_workload_pod_gone(sim, p);
        ksi_store_remove(sim, id);
        if (p->pub.owner)
            ksi_rs_pod_removed(sim, p->pub.owner, id);
        ksi_sched_kick(sim);
    }
    ks_mem_free(&sim->alloc, p->pub.containers, p->pub.ncontainers * sizeof *p->pub.containers);
    ks_mem_free(&sim->alloc, p->cst, p->pub.ncontainers * sizeof *p->cst);
    ks_mem_free(&sim->alloc, p, sizeof *p);
}

static void finish_termination(ks_sim *sim, void *subject, uint64_t pod)
{
    ksi_pod *p = ksi_pod_get(sim, (ks_id)pod);
    size_t c;
    (void)subject;
    if (!p)
        return;
    for (c = 0; c < p->pub.ncontainers; c++)
        if (p->pub.containers[c].state == KS_CS_RUNNING)
            return;                      /* still shutting down */
    ksi_pod_remove(sim, p);
}

static void container_stopped(ks_sim *sim, void *subject, uint64_t arg)
{
    size_t c;
    ksi_pod *p = pc_pod(sim, arg >> 1, &c);
    (void)subject;
    if (!p)
        return;
    ksi_container_exited(sim, p, c, (arg & 1) ? KILL_EXIT : 0, (arg & 1) ? "Error" : "Completed");
    finish_termination(sim, NULL, p->pub.id);
}

void ksi_kubelet_pod_deleted(ks_sim *sim, ksi_pod *p, int64_t grace)
{
    ks_node *n = node_of(sim, p);
    size_t c;
    p->pub.terminating = true;
    p->pub.deleted_at = ks_now(sim);
    p->pub.grace_until = ks_now(sim) + grace * KS_SEC;
    ks_event_cancel(sim, p->st.timer);
    refresh_pod(sim, p);
    if (!n) {                            /* never scheduled: gone at once */
        ksi_pod_remove(sim, p);
        return;
    }
    if (n->down)
        return;                          /* no kubelet: stuck Terminating */
    for (c = 0; c < p->pub.ncontainers; c++) {
        ks_container_status *cs = &p->pub.containers[c];
        ks_time stop;
        int k;
        if (cs->state != KS_CS_RUNNING)
            continue;
        ksi_event(sim, false, "Killing", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "Stopping container %s", cs->spec->name);
        for (k = 0; k < 3; k++)
            ks_event_cancel(sim, p->cst[c].probe_timer[k]);
        ks_event_cancel(sim, p->cst[c].exit_timer);
        ksi_workload_sigterm(sim, p, c);
        /* SIGTERM: the process exits within its shutdown time, or is killed
           when the grace period runs out */
        stop = cs->image->shutdown;
        if (stop <= grace * KS_SEC)
            p->cst[c].exit_timer = ks_event_after(sim, stop, KS_PRIO_DEFAULT, container_stopped,
                                                  NULL, pc_arg(p, c) << 1);
        else
            p->cst[c].exit_timer = ks_event_after(sim, grace * KS_SEC, KS_PRIO_DEFAULT,
                                                  container_stopped, NULL,
                                                  pc_arg(p, c) << 1 | 1);
    }
    set_timer(sim, &p->st.kill_timer, 0, finish_termination, p->pub.id);
}

/* ---- node down and up ------------------------------------------------------------------------ */
void ksi_kubelet_node_down(ks_sim *sim, ks_node *n)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        size_t c;
        if (p->pub.node != n->id)
            continue;
        /* the machine is gone: processes and timers with it; the API still
           shows the last status the kubelet reported */
        ks_event_cancel(sim, p->st.timer);
        ks_event_cancel(sim, p->st.kill_timer);
        for (c = 0; c < p->pub.ncontainers; c++)
            stop_timers(sim, p, c);
    }
}

void ksi_kubelet_node_up(ks_sim *sim, ks_node *n)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        size_t c;
        if (p->pub.node != n->id)
            continue;
        if (p->pub.terminating) {        /* deleted while away: clean up */
            ksi_pod_remove(sim, p);
            continue;
        }
        /* the node rebooted: containers start again */
        for (c = 0; c < p->pub.ncontainers; c++) {
            ks_container_status *cs = &p->pub.containers[c];
            if (cs->state == KS_CS_RUNNING) {
                cs->state = KS_CS_TERMINATED;
                cs->reason = "Unknown";
                cs->exit_code = 255;
                cs->has_last = true;
                cs->last_reason = "Unknown";
                cs->last_exit_code = 255;
                cs->last_started = cs->started_at;
                cs->last_finished = ks_now(sim);
                set_timer(sim, &p->cst[c].restart_timer, CREATE_TIME, restart_container,
                          pc_arg(p, c));
            }
        }
        set_timer(sim, &p->st.timer, CREATE_TIME, setup_step, p->pub.id);
        refresh_pod(sim, p);
    }
}
