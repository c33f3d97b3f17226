/* ksv_json_pod.c -- Pods and pod templates as the API server returns them:
 * the spec as applied with the API server's defaults filled in
 * (pkg/apis/core/v1/defaults.go: imagePullPolicy, terminationMessagePath,
 * dnsPolicy, schedulerName, restartPolicy...), and the status the kubelet
 * reports (phase, conditions, containerStatuses with state and lastState),
 * which kubectl describe and kubectl get -o wide read. */
#include <stdio.h>
#include <string.h>

#include "ksv_body.h"
#include "ksv_json.h"
#include "kubectl/ks_kubectl.h"

/* ---- the spec ------------------------------------------------------------------- */
static json_t *int_or_name(int port, const char *name)
{
    return name ? json_string(name) : json_integer(port);
}

static json_t *probe(const ks_probe *p)
{
    json_t *o;
    if (p->type == KS_PROBE_NONE)
        return NULL;
    o = json_object();
    if (p->type == KS_PROBE_HTTP) {
        json_t *h = json_object();
        ksv_set_str(h, "path", p->path ? p->path : "/");
        json_object_set_new(h, "port", int_or_name(p->port, p->port_name));
        ksv_set_str(h, "scheme", "HTTP");
        json_object_set_new(o, "httpGet", h);
    } else if (p->type == KS_PROBE_TCP) {
        json_t *t = json_object();
        json_object_set_new(t, "port", int_or_name(p->port, p->port_name));
        json_object_set_new(o, "tcpSocket", t);
    } else if (p->type == KS_PROBE_EXEC) {
        json_t *e = json_object(), *cmd = json_array();
        size_t i;
        for (i = 0; i < p->ncommand; i++)
            json_array_append_new(cmd, json_string(p->command[i]));
        json_object_set_new(e, "command", cmd);
        json_object_set_new(o, "exec", e);
    } else {
        json_t *g = json_object();
        ksv_set_int(g, "port", p->port);
        ksv_set_str(g, "service", "");
        json_object_set_new(o, "grpc", g);
    }
    ksv_set_int(o, "initialDelaySeconds", p->initial_delay);
    ksv_set_int(o, "timeoutSeconds", p->timeout);
    ksv_set_int(o, "periodSeconds", p->period);
    ksv_set_int(o, "successThreshold", p->success_threshold);
    ksv_set_int(o, "failureThreshold", p->failure_threshold);
    if (p->grace >= 0)
        ksv_set_int(o, "terminationGracePeriodSeconds", p->grace);
    return o;
}

static json_t *strings(const char **s, size_t n)
{
    json_t *a;
    size_t i;
    if (!n)
        return NULL;
    a = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(a, json_string(s[i]));
    return a;
}

static json_t *ref_of(const char *name, const char *key, bool optional, bool with_optional)
{
    json_t *r = json_object();
    ksv_set_str(r, "name", name);
    ksv_set_str(r, "key", key);
    if (with_optional && optional)
        ksv_set_bool(r, "optional", true);
    return r;
}

static json_t *env(const ks_container *c)
{
    json_t *a;
    size_t i;
    if (!c->nenv)
        return NULL;
    a = json_array();
    for (i = 0; i < c->nenv; i++) {
        const ks_env_var *e = &c->env[i];
        json_t *v = json_object();
        ksv_set_str(v, "name", e->name);
        if (e->ref == KS_REF_NONE) {
            ksv_set_str(v, "value", e->value ? e->value : "");
        } else {
            json_t *from = json_object();
            if (e->ref == KS_REF_SECRET)
                json_object_set_new(from, "secretKeyRef",
                                    ref_of(e->ref_name, e->ref_key, e->optional, true));
            else if (e->ref == KS_REF_CONFIGMAP)
                json_object_set_new(from, "configMapKeyRef",
                                    ref_of(e->ref_name, e->ref_key, e->optional, true));
            else {
                json_t *f = json_object();
                ksv_set_str(f, "apiVersion", "v1");
                ksv_set_str(f, "fieldPath", e->ref_key ? e->ref_key : e->ref_name);
                json_object_set_new(from, "fieldRef", f);
            }
            json_object_set_new(v, "valueFrom", from);
        }
        json_array_append_new(a, v);
    }
    return a;
}

static json_t *env_from(const ks_container *c)
{
    json_t *a;
    size_t i;
    if (!c->nenv_from)
        return NULL;
    a = json_array();
    for (i = 0; i < c->nenv_from; i++) {
        const ks_env_from *e = &c->env_from[i];
        json_t *v = json_object(), *r = json_object();
        ksv_set_str(r, "name", e->name);
        if (e->optional)
            ksv_set_bool(r, "optional", true);
        ksv_set_str(v, "prefix", e->prefix);
        json_object_set_new(v, e->ref == KS_REF_SECRET ? "secretRef" : "configMapRef", r);
        json_array_append_new(a, v);
    }
    return a;
}

static json_t *resources(const ks_container *c)
{
    json_t *r = json_object(), *req = json_object(), *lim = json_object();
    char buf[48];
    if (c->cpu_request) {
        ksv_cpu_text(c->cpu_request, buf, sizeof buf);
        ksv_set_str(req, "cpu", buf);
    }
    if (c->mem_request) {
        ksv_bytes_text(c->mem_request, buf, sizeof buf);
        ksv_set_str(req, "memory", buf);
    }
    if (c->cpu_limit) {
        ksv_cpu_text(c->cpu_limit, buf, sizeof buf);
        ksv_set_str(lim, "cpu", buf);
    }
    if (c->mem_limit) {
        ksv_bytes_text(c->mem_limit, buf, sizeof buf);
        ksv_set_str(lim, "memory", buf);
    }
    if (json_object_size(lim))
        json_object_set(r, "limits", lim);
    if (json_object_size(req))
        json_object_set(r, "requests", req);
    json_decref(req);
    json_decref(lim);
    return r;
}

static json_t *container(const ks_container *c)
{
    json_t *o = json_object(), *ports = NULL, *mounts = NULL;
    size_t i;
    ksv_set_str(o, "name", c->name);
    ksv_set_str(o, "image", c->image);
    ksv_set(o, "command", strings(c->command, c->ncommand));
    ksv_set(o, "args", strings(c->args, c->nargs));
    if (c->nports) {
        ports = json_array();
        for (i = 0; i < c->nports; i++) {
            json_t *p = json_object();
            ksv_set_str(p, "name", c->ports[i].name);
            ksv_set_int(p, "containerPort", c->ports[i].port);
            ksv_set_str(p, "protocol", c->ports[i].protocol ? c->ports[i].protocol : "TCP");
            json_array_append_new(ports, p);
        }
    }
    ksv_set(o, "ports", ports);
    ksv_set(o, "envFrom", env_from(c));
    ksv_set(o, "env", env(c));
    ksv_set(o, "resources", resources(c));
    if (c->nmounts) {
        mounts = json_array();
        for (i = 0; i < c->nmounts; i++) {
            json_t *m = json_object();
            ksv_set_str(m, "name", c->mounts[i].name);
            if (c->mounts[i].read_only)
                ksv_set_bool(m, "readOnly", true);
            ksv_set_str(m, "mountPath", c->mounts[i].path);
            ksv_set_str(m, "subPath", c->mounts[i].sub_path);
            json_array_append_new(mounts, m);
        }
    }
    ksv_set(o, "volumeMounts", mounts);
    ksv_set(o, "livenessProbe", probe(&c->liveness));
    ksv_set(o, "readinessProbe", probe(&c->readiness));
    ksv_set(o, "startupProbe", probe(&c->startup));
    /* defaults.go SetDefaults_Container: the termination message, and
     * Always for :latest (or no tag), IfNotPresent otherwise */
    ksv_set_str(o, "terminationMessagePath", "/dev/termination-log");
    ksv_set_str(o, "terminationMessagePolicy", "File");
    ksv_set_str(o, "imagePullPolicy", ks_container_pull_policy(c));
    return o;
}

static json_t *containers(const ks_container *c, size_t n)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < n; i++)
        json_array_append_new(a, container(&c[i]));
    return a;
}

static json_t *volume(const ks_volume *v)
{
    json_t *o = json_object(), *src = json_object();
    char buf[48];
    ksv_set_str(o, "name", v->name);
    switch (v->type) {
    case KS_VOL_EMPTYDIR:
        if (v->memory)
            ksv_set_str(src, "medium", "Memory");
        if (v->size_limit) {
            ksv_bytes_text(v->size_limit, buf, sizeof buf);
            ksv_set_str(src, "sizeLimit", buf);
        }
        json_object_set_new(o, "emptyDir", src);
        break;
    case KS_VOL_HOSTPATH:
        ksv_set_str(src, "path", v->source);
        ksv_set_str(src, "type", "");
        json_object_set_new(o, "hostPath", src);
        break;
    case KS_VOL_PVC:
        ksv_set_str(src, "claimName", v->source);
        if (v->read_only)
            ksv_set_bool(src, "readOnly", true);
        json_object_set_new(o, "persistentVolumeClaim", src);
        break;
    case KS_VOL_SECRET:
        ksv_set_str(src, "secretName", v->source);
        ksv_set_int(src, "defaultMode", 420);       /* 0644, defaults.go */
        json_object_set_new(o, "secret", src);
        break;
    case KS_VOL_CONFIGMAP:
        ksv_set_str(src, "name", v->source);
        ksv_set_int(src, "defaultMode", 420);
        json_object_set_new(o, "configMap", src);
        break;
    default:
        json_decref(src);          /* a volume type kubesim does not model */
        break;
    }
    return o;
}

json_t *ksv_pod_spec(const ks_pod_spec *spec)
{
    json_t *o = json_object(), *vols = NULL;
    size_t i;
    if (!o)
        return NULL;
    if (spec->nvolumes) {
        vols = json_array();
        for (i = 0; i < spec->nvolumes; i++)
            json_array_append_new(vols, volume(&spec->volumes[i]));
    }
    ksv_set(o, "volumes", vols);
    if (spec->ninit)
        json_object_set_new(o, "initContainers", containers(spec->init, spec->ninit));
    json_object_set_new(o, "containers", containers(spec->containers, spec->ncontainers));
    ksv_set_str(o, "restartPolicy", spec->restart_policy ? spec->restart_policy : "Always");
    ksv_set_int(o, "terminationGracePeriodSeconds", spec->grace_seconds);
    ksv_set_str(o, "dnsPolicy", "ClusterFirst");
    ksv_set(o, "nodeSelector", ksv_kvs(&spec->node_selector, true));
    /* kept as written: kubesim does not simulate them */
    if (spec->tolerations && spec->tolerations->n)
        ksv_set(o, "tolerations", ksv_from_yaml(spec->tolerations));
    if (spec->affinity && spec->affinity->n)
        ksv_set(o, "affinity", ksv_from_yaml(spec->affinity));
    /* serviceAccount is the deprecated alias the API server writes beside
       serviceAccountName (conversion.go Convert_core_PodSpec_To_v1_PodSpec);
       "default" is the ServiceAccount admission plugin's, for pods alone
       (ksv_pod), not templates */
    ksv_set_str(o, "serviceAccountName", spec->service_account);
    ksv_set_str(o, "serviceAccount", spec->service_account);
    ksv_set_str(o, "nodeName", spec->node_name);
    json_object_set_new(o, "securityContext", json_object());
    ksv_set_str(o, "schedulerName", "default-scheduler");
    return o;
}

json_t *ksv_pod_template(const ks_pod_template *t)
{
    json_t *o = json_object(), *m = json_object();
    json_object_set_new(m, "creationTimestamp", json_null());
    ksv_set(m, "labels", ksv_kvs(&t->labels, true));
    ksv_set(m, "annotations", ksv_kvs(&t->annotations, true));
    json_object_set_new(o, "metadata", m);
    ksv_set(o, "spec", ksv_pod_spec(&t->spec));
    return o;
}

/* ---- the status ------------------------------------------------------------------ */
static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* 64 hex digits standing in for a container id or an image digest. */
static void hex64(uint64_t seed, char out[65])
{
    int i;
    for (i = 0; i < 4; i++)
        snprintf(out + i * 16, 17, "%016llx",
                 (unsigned long long)mix(seed += 0x9e3779b97f4a7c15ull));
}

static json_t *terminated(const ksv_ctx *c, const char *reason, int code, ks_time started, ks_time finished,
                          const char *cid)
{
    json_t *t = json_object(), *w = json_object();
    ksv_set_int(t, "exitCode", code);
    ksv_set_str(t, "reason", reason ? reason : (code ? "Error" : "Completed"));
    ksv_set_time(c, t, "startedAt", started);
    ksv_set_time(c, t, "finishedAt", finished);
    ksv_set_str(t, "containerID", cid);
    json_object_set_new(w, "terminated", t);
    return w;
}

/* One of status.containerStatuses or (init) status.initContainerStatuses. */
static json_t *container_status(const ksv_ctx *c, const ks_pod *p, const ks_container_status *cs,
                                bool init)
{
    json_t *o = json_object(), *state = json_object(), *last = json_object();
    char cid[80], digest[65], image_id[400];
    bool ran = cs->state != KS_CS_WAITING || cs->restarts > 0 || cs->has_last;
    uint64_t seed = ksv_hash(cs->spec->name, ksv_hash(p->name, KSV_HASH_SEED));
    hex64(seed + (uint64_t)cs->restarts, digest);
    snprintf(cid, sizeof cid, "docker://%s", digest);
    hex64(ksv_hash(cs->spec->image, 7), digest);
    snprintf(image_id, sizeof image_id, "docker-pullable://%s@sha256:%s", cs->spec->image,
             digest);
    ksv_set_str(o, "name", cs->spec->name);
    if (cs->state == KS_CS_RUNNING) {
        json_t *r = json_object();
        ksv_set_time(c, r, "startedAt", cs->started_at);
        json_object_set_new(state, "running", r);
    } else if (cs->state == KS_CS_TERMINATED) {
        json_decref(state);
        state = terminated(c, cs->reason, cs->exit_code, cs->started_at, cs->finished_at, cid);
    } else {
        json_t *w = json_object();
        /* kubelet_pods.go convertToAPIContainerStatuses: the default waiting
         * reason is ContainerCreating, PodInitializing for an init container */
        ksv_set_str(w, "reason", cs->reason ? cs->reason
                                 : init ? "PodInitializing" : "ContainerCreating");
        if (cs->message[0])
            ksv_set_str(w, "message", cs->message);
        json_object_set_new(state, "waiting", w);
    }
    json_object_set_new(o, "state", state);
    if (cs->has_last) {
        char prev[80];
        hex64(seed + (uint64_t)cs->restarts - 1, digest);
        snprintf(prev, sizeof prev, "docker://%s", digest);
        json_decref(last);
        last = terminated(c, cs->last_reason, cs->last_exit_code, cs->last_started,
                          cs->last_finished, prev);
    }
    json_object_set_new(o, "lastState", last);
    ksv_set_bool(o, "ready", cs->ready);
    ksv_set_int(o, "restartCount", cs->restarts);
    ksv_set_str(o, "image", cs->spec->image);
    ksv_set_str(o, "imageID", ran ? image_id : "");
    if (ran)
        ksv_set_str(o, "containerID", cid);
    ksv_set_bool(o, "started", cs->state == KS_CS_RUNNING && cs->started);
    return o;
}

static void condition(const ksv_ctx *c, json_t *a, const char *type, bool status, ks_time at)
{
    json_t *o = json_object();
    ksv_set_str(o, "type", type);
    ksv_set_str(o, "status", status ? "True" : "False");
    json_object_set_new(o, "lastProbeTime", json_null());
    ksv_set_time(c, o, "lastTransitionTime", at);
    json_array_append_new(a, o);
}

/* DisruptionTarget (ks_pod.disruption: who set it, and why): the kubelet's
 * eviction manager's (TerminationByKubelet) as its status manager sends
 * it, once the containers have ended (mergePodStatus), with their end as
 * its time; the others' when they set it. */
static void disruption(const ksv_ctx *c, json_t *a, const ks_pod *p)
{
    json_t *o = json_object();
    bool kubelet = strcmp(p->disruption, "TerminationByKubelet") == 0 && p->ncontainers;
    ksv_set_str(o, "type", "DisruptionTarget");
    ksv_set_str(o, "status", "True");
    json_object_set_new(o, "lastProbeTime", json_null());
    ksv_set_time(c, o, "lastTransitionTime",
                 kubelet ? p->containers[0].finished_at : p->disrupted_at);
    ksv_set_str(o, "reason", p->disruption);
    ksv_set_str(o, "message", p->disruption_message ? p->disruption_message : "");
    json_array_append_new(a, o);
}

static json_t *pod_status(const ksv_ctx *c, const ks_pod *p)
{
    json_t *st = json_object(), *conds = json_array(), *cs = json_array(), *ips;
    const ks_node *node = ks_cluster_node(c->sim, p->node);
    bool all_running = p->ncontainers > 0;
    size_t i;
    char host_ip[32];
    ksv_set_str(st, "phase", p->phase ? p->phase : "Pending");
    if (p->disruption && ks_pod_disruption_first(c->sim, p))
        disruption(c, conds, p);
    for (i = 0; i < p->ncontainers; i++)
        all_running &= p->containers[i].state == KS_CS_RUNNING;
    if (node) {
        condition(c, conds, "PodReadyToStartContainers", p->ip[0] != 0, p->scheduled_at);
        condition(c, conds, "Initialized", ks_pod_initialized(p), p->scheduled_at);
        condition(c, conds, "Ready", p->ready, p->ready ? p->ready_since : p->scheduled_at);
        condition(c, conds, "ContainersReady", p->ready, p->ready ? p->ready_since : p->scheduled_at);
    }
    if (node || p->pending_reason[0]) {
        json_t *o = json_object();
        ksv_set_str(o, "type", "PodScheduled");
        ksv_set_str(o, "status", node ? "True" : "False");
        json_object_set_new(o, "lastProbeTime", json_null());
        ksv_set_time(c, o, "lastTransitionTime", node ? p->scheduled_at : p->created);
        if (!node) {
            ksv_set_str(o, "reason", "Unschedulable");
            ksv_set_str(o, "message", p->pending_reason);
        }
        json_array_append_new(conds, o);
    }
    if (p->disruption && !ks_pod_disruption_first(c->sim, p))
        disruption(c, conds, p);
    json_object_set_new(st, "conditions", conds);
    if (p->evicted) {
        /* the pod's reason and the kubelet's message (its containers keep
           their own terminated state: Error, which kubectl shows) */
        ksv_set_str(st, "reason", "Evicted");
        ksv_set_str(st, "message", p->message ? p->message : "");
    }
    if (node) {
        ks_kubectl_node_ip(c->sim, p->node, host_ip, sizeof host_ip);
        ksv_set_str(st, "hostIP", host_ip);
        ips = json_array();
        json_array_append_new(ips, json_pack("{ss}", "ip", host_ip));
        json_object_set_new(st, "hostIPs", ips);
    }
    if (p->ip[0]) {
        ksv_set_str(st, "podIP", p->ip);
        ips = json_array();
        json_array_append_new(ips, json_pack("{ss}", "ip", p->ip));
        json_object_set_new(st, "podIPs", ips);
    }
    if (node)
        ksv_set_time(c, st, "startTime", p->scheduled_at);
    for (i = 0; i < p->ncontainers && node; i++)
        json_array_append_new(cs, container_status(c, p, &p->containers[i], false));
    if (node)
        json_object_set_new(st, "containerStatuses", cs);
    else
        json_decref(cs);
    if (node && p->ninit) {
        /* kubectl's STATUS (Init:1/2, Init:CrashLoopBackOff) is read from these */
        json_t *ics = json_array();
        for (i = 0; i < p->ninit; i++)
            json_array_append_new(ics, container_status(c, p, &p->init[i], true));
        json_object_set_new(st, "initContainerStatuses", ics);
    }
    ksv_set_str(st, "qosClass", ks_qos_name(ks_pod_qos(p->spec)));
    (void)all_running;
    return st;
}

/* Whether tolerations has one for key (any key when it has none) and effect
   (any effect when it has none), as the DefaultTolerationSeconds plugin and
   the DaemonSet controller look. */
static bool tolerates(json_t *tolerations, const char *key, const char *effect)
{
    size_t i;
    json_t *t;
    json_array_foreach(tolerations, i, t) {
        const char *k = json_string_value(json_object_get(t, "key"));
        const char *e = json_string_value(json_object_get(t, "effect"));
        if ((!k || !*k || strcmp(k, key) == 0) && (!e || !*e || strcmp(e, effect) == 0))
            return true;
    }
    return false;
}

/* The tolerations a pod gets beside its own: a DaemonSet's pods the
 * controller's (pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations:
 * node problems never evict them, node conditions never keep them off),
 * every other pod 300 s for a node not ready or unreachable (the
 * DefaultTolerationSeconds admission plugin,
 * plugin/pkg/admission/defaulttolerationseconds), which kubesim's node
 * lifecycle controller waits before it evicts (ks_nodes.c). */
void ksv_default_tolerations(json_t *spec, bool daemon)
{
    static const char *const daemon_taints[][2] = {
        {"node.kubernetes.io/not-ready", "NoExecute"},
        {"node.kubernetes.io/unreachable", "NoExecute"},
        {"node.kubernetes.io/disk-pressure", "NoSchedule"},
        {"node.kubernetes.io/memory-pressure", "NoSchedule"},
        {"node.kubernetes.io/pid-pressure", "NoSchedule"},
        {"node.kubernetes.io/unschedulable", "NoSchedule"},
    };
    json_t *list = json_object_get(spec, "tolerations");
    size_t i, n = daemon ? sizeof daemon_taints / sizeof daemon_taints[0] : 2;
    if (!list && json_object_set_new(spec, "tolerations", list = json_array()) != 0)
        return;
    for (i = 0; i < n; i++) {
        json_t *t;
        if (tolerates(list, daemon_taints[i][0], daemon_taints[i][1]) || !(t = json_object()))
            continue;
        ksv_set_str(t, "key", daemon_taints[i][0]);
        ksv_set_str(t, "operator", "Exists");
        ksv_set_str(t, "effect", daemon_taints[i][1]);
        if (!daemon)
            ksv_set_int(t, "tolerationSeconds", 300);
        json_array_append_new(list, t);
    }
}

json_t *ksv_pod(const ksv_ctx *c, const ks_pod *p)
{
    json_t *meta = ksv_meta(c, p->name, p->ns, p->id, KSV_UID_OBJECT, p->created, &p->labels,
                            &p->annotations);
    json_t *o, *spec;
    const ks_replicaset *rs = ks_cluster_rs(c->sim, p->owner);
    const ks_node *node = ks_cluster_node(c->sim, p->node);
    if (meta && rs) {
        json_t *refs = json_array();
        char gen[300];
        snprintf(gen, sizeof gen, "%s-", rs->name);
        ksv_set_str(meta, "generateName", gen);
        json_array_append_new(refs, ksv_owner_ref("apps/v1", "ReplicaSet", rs->name, rs->id));
        json_object_set_new(meta, "ownerReferences", refs);
    } else if (meta) {
        /* a Job's, StatefulSet's or DaemonSet's (kubectl drain skips a
           DaemonSet's pods by this reference) */
        ksv_set(meta, "ownerReferences", ksv_owner_refs(c, ks_cluster_owner(c->sim, p->id)));
    }
    if (meta && p->terminating) {
        ksv_set_time_after(c, meta, "deletionTimestamp", p->deleted_at, p->grace_until);
        ksv_set_int(meta, "deletionGracePeriodSeconds",
                    (p->grace_until - p->deleted_at) / KS_SEC);
    }
    o = ksv_object("v1", "Pod", meta);
    if (!o)
        return NULL;
    spec = ksv_pod_spec(p->spec);
    if (spec && node)
        ksv_set_str(spec, "nodeName", node->name);
    if (spec && !p->spec->service_account) {
        /* plugin/pkg/admission/serviceaccount: a pod without one runs as
           its namespace's default ServiceAccount */
        ksv_set_str(spec, "serviceAccountName", "default");
        ksv_set_str(spec, "serviceAccount", "default");
    }
    if (spec)
        ksv_default_tolerations(spec, p->spec->daemon);
    ksv_set(o, "spec", spec);
    ksv_set(o, "status", pod_status(c, p));
    return o;
}
