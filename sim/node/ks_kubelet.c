/* ks_kubelet.c -- the kubelet of every node: admission of the pods bound to
 * it, image pulls, env and Secret resolution, container start, restarts
 * with the real CrashLoopBackOff schedule, probes. Termination and node
 * failures are ks_termination.c's.
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
#include "internal/kubelet.h"
#include "internal/workload.h"
#include "core/ks_error.h"

#define KUBELET_SEES     (50 * KS_MSEC)   /* a bound pod reaches the kubelet */
#define CONFIG_RETRY     (10 * KS_SEC)
#define BACKOFF_BASE     (10 * KS_SEC)
#define BACKOFF_MAX      (300 * KS_SEC)
#define BACKOFF_RESET    (600 * KS_SEC)
#define TERM_EXIT        143              /* 128 + SIGTERM */
#define PLEG_RELIST      KS_SEC           /* pkg/kubelet/kubelet.go plegRelistPeriod: the
                                             kubelet sees a container exit within it */

enum { PROBE_LIVENESS, PROBE_READINESS, PROBE_STARTUP };

static void setup_step(ks_sim *sim, void *subject, uint64_t pod);

static ks_node *node_of(const ks_sim *sim, const ksi_pod *p)
{
    return ksi_node_get(sim, p->pub.node);
}

void ksi_kubelet_timer(ks_sim *sim, ks_event_id *slot, ks_time delay, ks_event_fn fn,
                       uint64_t arg)
{
    ks_event_cancel(sim, *slot);
    *slot = ks_event_after(sim, delay, KS_PRIO_DEFAULT, fn, NULL, arg);
}
#define set_timer ksi_kubelet_timer

ksi_pod *ksi_kubelet_pod_of(const ks_sim *sim, uint64_t arg, size_t *c)
{
    ksi_pod *p = ksi_pod_get(sim, (ks_id)(arg >> 8));
    *c = (size_t)(arg & 0xff);
    return p && *c < p->pub.ncontainers + p->pub.ninit ? p : NULL;
}
#define pc_pod ksi_kubelet_pod_of

/* Timers carry (pod id << 8 | container index). */
static uint64_t pc_arg(const ksi_pod *p, size_t c)
{
    return (uint64_t)p->pub.id << 8 | c;
}

/* ---- pod conditions ------------------------------------------------------------ */
/* Recomputes the pod's phase and Ready condition from its containers and
 * reports the status to the API server. */
void ksi_kubelet_refresh(ks_sim *sim, ksi_pod *p)
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
    for (i = 0; i < p->pub.ninit; i++)   /* sidecars must be ready too */
        if (p->pub.init[i].spec->sidecar && !p->pub.init[i].ready)
            ready = false;
    if (n && !n->ready)
        ready = false;                   /* the node controller's verdict */
    for (i = 0; i < p->pub.ninit; i++)   /* an init container that failed for good */
        if (p->pub.init[i].state == KS_CS_TERMINATED && p->pub.init[i].exit_code != 0
            && strcmp(p->pub.spec->restart_policy, "Never") == 0)
            p->pub.phase = "Failed";
    if (running && strcmp(p->pub.phase, "Pending") == 0)
        p->pub.phase = "Running";
    if (terminated == p->pub.ncontainers && p->pub.ncontainers
        && strcmp(p->pub.spec->restart_policy, "Always") != 0) {
        bool will_restart = false;
        for (i = 0; i < p->pub.ncontainers; i++)
            if (strcmp(p->pub.spec->restart_policy, "OnFailure") == 0
                && p->pub.containers[i].exit_code != 0)
                will_restart = true;
        if (!will_restart) {
            p->pub.phase = ok == terminated ? "Succeeded" : "Failed";
            /* the app containers are done: the kubelet stops the sidecars
               (KEP-753; kubesim: at once, as if they exited 0 on SIGTERM) */
            for (i = 0; i < p->pub.ninit; i++) {
                ks_container_status *cs = &p->pub.init[i];
                if (!cs->spec->sidecar || cs->state == KS_CS_TERMINATED)
                    continue;
                ksi_kubelet_stop_container(sim, p, p->pub.ncontainers + i);
                cs->state = KS_CS_TERMINATED;
                cs->exit_code = 0;
                cs->reason = "Completed";
                cs->finished_at = ks_now(sim);
                cs->ready = false;
            }
        }
    }
    if (ready != p->pub.ready) {
        p->pub.ready = ready;
        p->pub.ready_changed = ks_now(sim);
        if (ready)
            p->pub.ready_since = ks_now(sim);
    }
    ksi_pod_update(sim, p, NULL);      /* the status manager reports it */
}

/* ---- image pulls ------------------------------------------------------------------- */
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
    ksi_msg_set(sim, &cs->message, KS_CONTAINER_MESSAGE_MAX, "failed to pull image \"%s\"",
                cs->spec->image);
    ksi_kubelet_refresh(sim, p);
    /* back-off 10 s, 20 s, ... 300 s between attempts */
    delay = BACKOFF_BASE;
    for (i = 1; i < p->st.pull_failures && delay < BACKOFF_MAX; i++)
        delay *= 2;
    if (delay > BACKOFF_MAX)
        delay = BACKOFF_MAX;
    cs->reason = "ImagePullBackOff";
    ksi_msg_set(sim, &cs->message, KS_CONTAINER_MESSAGE_MAX, "Back-off pulling image \"%s\"",
                cs->spec->image);
    ksi_event(sim, false, "BackOff", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Back-off pulling image \"%s\"", cs->spec->image);
    ksi_event(sim, true, "Failed", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
              "Error: ImagePullBackOff");
    ksi_kubelet_refresh(sim, p);
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

void ksi_kubelet_stop_container(ks_sim *sim, ksi_pod *p, size_t c)
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
    ksi_msg_set(sim, &cs->message, KS_CONTAINER_MESSAGE_MAX, "%s", "");
    cs->started_at = ks_now(sim);
    cs->started = !probe_of(cs, PROBE_STARTUP);
    cs->started_once |= cs->started;
    cs->ready = !probe_of(cs, PROBE_READINESS) && cs->started
                && (c < p->pub.ncontainers || cs->spec->sidecar);
    start_probes(sim, p, c);
    ksi_kubelet_refresh(sim, p);
    ksi_workload_start(sim, p, c);
    if (cs->spec->sidecar && cs->started)  /* the next init container may start */
        set_timer(sim, &p->st.timer, PLEG_RELIST, setup_step, p->pub.id);
}

/* The volumes it mounts: Secret and ConfigMap volumes must name existing
 * objects (else FailedMount with the kubelet's words), claims must exist. */
static bool volumes_ready(ks_sim *sim, ksi_pod *p, char *why, size_t n)
{
    size_t i;
    for (i = 0; i < p->pub.spec->nvolumes; i++) {
        const ks_volume *v = &p->pub.spec->volumes[i];
        ks_kind kind;
        const char *what;
        if (v->type == KS_VOL_SECRET) {
            kind = KS_KIND_SECRET;
            what = "secret";
        } else if (v->type == KS_VOL_CONFIGMAP) {
            kind = KS_KIND_CONFIGMAP;
            what = "configmap";
        } else if (v->type == KS_VOL_PVC) {
            kind = KS_KIND_PVC;
            what = "persistentvolumeclaim";
        } else {
            continue;
        }
        if (!ks_cluster_find(sim, kind, p->pub.ns, v->source)) {
            snprintf(why, n, "MountVolume.SetUp failed for volume \"%s\" : %s \"%s\" not found",
                     v->name, what, v->source);
            return false;
        }
    }
    return true;
}

/* Takes container c through pull, config and start; false when it must
 * wait (a pull, a back-off, a missing Secret), with the next step armed. */
static bool prepare_and_run(ks_sim *sim, ksi_pod *p, const ks_node *n, size_t c)
{
    ks_container_status *cs = &p->pub.containers[c];
    char why[190];
    if (!cs->image->pullable) {
        pull_failed(sim, p, c);
        return false;
    }
    if (!p->cst[c].image_ready) {
        if (!ksi_node_has_image(sim, n->id, cs->spec->image)) {
            ksi_event(sim, false, "Pulling", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                      "Pulling image \"%s\"", cs->spec->image);
            set_timer(sim, &p->st.timer, cs->image->pull, pull_done, pc_arg(p, c));
            return false;
        }
        p->cst[c].image_ready = true;
        ksi_event(sim, false, "Pulled", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "Container image \"%s\" already present on machine", cs->spec->image);
    }
    if (!ksi_workload_resolve_env(sim, p, c, why, sizeof why)) {
        p->st.config_error = true;
        cs->state = KS_CS_WAITING;
        cs->reason = "CreateContainerConfigError";
        ksi_msg_set(sim, &cs->message, KS_CONTAINER_MESSAGE_MAX, "%s", why);
        ksi_event(sim, true, "Failed", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "Error: %s", why);
        ksi_kubelet_refresh(sim, p);
        set_timer(sim, &p->st.timer, CONFIG_RETRY, setup_step, p->pub.id);
        return false;
    }
    p->st.config_error = false;
    run_container(sim, p, c);
    return true;
}

/* The kubelet's pod sync: the init containers one at a time, each to
 * completion, in order; then every app container that is not running yet
 * (pkg/kubelet/kuberuntime/kuberuntime_container.go computeInitContainerActions). */
static void setup_step(ks_sim *sim, void *subject, uint64_t pod)
{
    ksi_pod *p = ksi_pod_get(sim, (ks_id)pod);
    ks_node *n;
    size_t c, apps;
    char why[190];
    (void)subject;
    if (!p || p->pub.terminating || !(n = node_of(sim, p)) || n->down)
        return;
    if (!volumes_ready(sim, p, why, sizeof why)) {
        ksi_event(sim, true, "FailedMount", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "%s", why);
        set_timer(sim, &p->st.timer, CONFIG_RETRY, setup_step, p->pub.id);
        return;
    }
    apps = p->pub.ncontainers;
    for (c = apps; c < apps + p->pub.ninit; c++) {
        ks_container_status *cs = &p->pub.containers[c];
        if (cs->spec->sidecar && (cs->started_once || ks_container_sidecar_running(cs))
            && (cs->state == KS_CS_RUNNING || ks_pod_initialized(&p->pub))) {
            if (cs->state != KS_CS_RUNNING || cs->started)
                continue;                /* a sidecar that started: the next one */
            return;                      /* its startup probe has not passed yet */
        }
        if (cs->state == KS_CS_TERMINATED && cs->exit_code == 0 && !cs->spec->sidecar)
            continue;                    /* done */
        if (cs->state == KS_CS_WAITING && !cs->restarts && !cs->has_last)
            prepare_and_run(sim, p, n, c);
        return;                          /* running, or failed: its exit decides */
    }
    for (c = 0; c < apps; c++) {
        ks_container_status *cs = &p->pub.containers[c];
        if (cs->state != KS_CS_WAITING || cs->restarts || cs->has_last)
            continue;                    /* started once: restarts are separate */
        if (!prepare_and_run(sim, p, n, c))
            return;
    }
}

/* ---- exits and restarts --------------------------------------------------------------- */
void ksi_kubelet_restart(ks_sim *sim, void *subject, uint64_t arg)
{
    size_t c;
    ksi_pod *p = pc_pod(sim, arg, &c);
    ks_container_status *cs;
    char why[KS_CONTAINER_MESSAGE_MAX];
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
    if (!ksi_workload_resolve_env(sim, p, c, why, sizeof why)) {
        ksi_msg_set(sim, &cs->message, KS_CONTAINER_MESSAGE_MAX, "%s", why);
        cs->state = KS_CS_WAITING;
        cs->reason = "CreateContainerConfigError";
        p->st.config_error = true;
        ksi_kubelet_refresh(sim, p);
        set_timer(sim, &p->cst[c].restart_timer, CONFIG_RETRY, ksi_kubelet_restart, arg);
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
    ksi_kubelet_stop_container(sim, p, c);
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
    ksi_kubelet_refresh(sim, p);
    if (p->pub.terminating)
        return;
    if (cs->spec->sidecar) {             /* restartPolicy Always of its own */
        if (strcmp(p->pub.phase, "Succeeded") == 0 || strcmp(p->pub.phase, "Failed") == 0)
            return;
    } else if (c >= p->pub.ncontainers && code == 0) {   /* an init container done */
        set_timer(sim, &p->st.timer, PLEG_RELIST, setup_step, p->pub.id);
        return;
    } else if (strcmp(policy, "Never") == 0
               || (strcmp(policy, "OnFailure") == 0 && code == 0)) {
        return;
    }
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
        ksi_msg_set(sim, &cs->message, KS_CONTAINER_MESSAGE_MAX,
                 "back-off %s restarting failed container=%s pod=%s_%s", d, cs->spec->name,
                 p->pub.name, p->pub.ns);
        ksi_event(sim, true, "BackOff", KS_KIND_POD, p->pub.name, p->pub.id, "kubelet",
                  "Back-off restarting failed container %s in pod %s_%s", cs->spec->name,
                  p->pub.name, p->pub.ns);
        ksi_kubelet_refresh(sim, p);
    }
    set_timer(sim, &p->cst[c].restart_timer, delay, ksi_kubelet_restart, pc_arg(p, c));
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
            cs->started = cs->started_once = true;
            cs->ready = !probe_of(cs, PROBE_READINESS);
            ksi_kubelet_refresh(sim, p);
            if (cs->spec->sidecar)       /* started: the next init container */
                set_timer(sim, &p->st.timer, PLEG_RELIST, setup_step, p->pub.id);
            return;                      /* a startup probe stops once passed */
        }
        if (k == PROBE_READINESS && !cs->ready
            && p->cst[c].probe_successes[k] >= pr->success_threshold) {
            cs->ready = true;
            ksi_kubelet_refresh(sim, p);
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
                    ksi_kubelet_refresh(sim, p);
                }
            } else {
                kill_for_probe(sim, p, c, k == PROBE_LIVENESS ? "liveness" : "startup");
                return;
            }
        }
    }
    set_timer(sim, &p->cst[c].probe_timer[k], pr->period * KS_SEC, probe_tick, arg);
}

void ksi_kubelet_admit(ks_sim *sim, ksi_pod *p, ks_time delay)
{
    set_timer(sim, &p->st.timer, delay, setup_step, p->pub.id);
}

/* ---- what it hears ------------------------------------------------------------------- */
/* A pod bound to a node is admitted by that node's kubelet, which starts
 * it; a pod marked for deletion is stopped by it (ks_termination.c); a pod
 * gone from the API has its containers torn down. */
static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ksi_pod *p = (ksi_pod *)ch->obj;
    ks_node *n = node_of(sim, p);
    (void)ud;
    if (ch->type == KS_DELETED) {
        ksi_kubelet_teardown(sim, p);
        return;
    }
    if (!n)
        return;
    if (!p->st.admitted && !p->pub.terminating) {
        p->st.admitted = true;
        ksi_kubelet_admit(sim, p, KUBELET_SEES + CREATE_TIME);
    } else if (p->pub.terminating && !p->st.killing && !n->down) {
        ksi_kubelet_kill(sim, p);
    }
}

/* A Secret or ConfigMap appeared or changed: pods waiting on one retry
 * within a second. */
static void on_config(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ks_id id = 0;
    (void)ud;
    if (ch->type == KS_DELETED)
        return;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        if (p->st.config_error)
            set_timer(sim, &p->st.timer, KS_SEC, setup_step, p->pub.id);
    }
}

/* The machine and its processes go with the sim: nothing is told. */
static void stop(ks_sim *sim, void *ud)
{
    ks_id id = 0;
    (void)ud;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *p = ksi_pod_get(sim, id);
        size_t c;
        for (c = 0; c < p->pub.ncontainers + p->pub.ninit; c++)
            ksi_workload_free(sim, p, c);
    }
    ksi_service_env_fini(sim);
}

int ksi_ctl_kubelet(ks_sim *sim)
{
    if (ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_POD), on_pod, NULL)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_SECRET) | KSI_KIND_BIT(KS_KIND_CONFIGMAP),
                            on_config, NULL)
        || ksi_sim_add_part(sim, stop, NULL))
        return KS_ENOMEM;
    return KS_OK;
}
