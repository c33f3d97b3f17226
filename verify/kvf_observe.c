/* kvf_observe.c -- expectations answered from the API. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/ks_validate.h"
#include "kvf_exec.h"
#include "kvf_count.h"
#include "kvf_observe.h"

struct kvf_observer {
    kvf_cluster *k;
    kvf_traffic *t;
    char ns[254];
    json_t *labels;               /* pod name -> its labels, of every pod seen */
    const ks_catalog *cat;        /* records through exec (NULL: not allowed) */
};

static json_t *get2(json_t *j, const char *a, const char *b)
{
    return json_object_get(json_object_get(j, a), b);
}

static const char *name_of(json_t *o)
{
    const char *n = json_string_value(get2(o, "metadata", "name"));
    return n ? n : "";
}

kvf_observer *kvf_observer_create(kvf_cluster *k, const char *ns, kvf_traffic *t)
{
    kvf_observer *o = calloc(1, sizeof *o);
    if (!o || !(o->labels = json_object())) {
        free(o);
        return NULL;
    }
    o->k = k;
    o->t = t;
    snprintf(o->ns, sizeof o->ns, "%s", ns);
    return o;
}

void kvf_observer_allow_exec(kvf_observer *o, const ks_catalog *cat)
{
    o->cat = cat;
}

void kvf_observer_destroy(kvf_observer *o)
{
    if (o) {
        json_decref(o->labels);
        free(o);
    }
}

void kvf_observer_poll(kvf_observer *o)
{
    char why[300];
    long status;
    json_t *items = kvf_cluster_list(o->k, "pods", o->ns, NULL, &status, why, sizeof why), *p;
    size_t i;
    json_array_foreach(items, i, p) {
        json_t *l = get2(p, "metadata", "labels");
        json_object_set(o->labels, name_of(p), l ? l : json_object());
    }
    json_decref(items);
}

const char *kvf_obs_state_name(kvf_obs_state s)
{
    static const char *const names[] = {"PASS", "FAIL", "NOT OBSERVABLE", "ERROR"};
    return names[s];
}

/* ---- a pod as kubectl prints it ------------------------------------------------------ */
static void terminated_reason(json_t *term, const char *prefix, char *buf, size_t n)
{
    const char *r = json_string_value(json_object_get(term, "reason"));
    long long sig = json_integer_value(json_object_get(term, "signal"));
    if (r && r[0])
        snprintf(buf, n, "%s%s", prefix, r);
    else if (sig)
        snprintf(buf, n, "%sSignal:%lld", prefix, sig);
    else
        snprintf(buf, n, "%sExitCode:%lld", prefix,
                 (long long)json_integer_value(json_object_get(term, "exitCode")));
}

static bool condition_true(json_t *pod, const char *type)
{
    json_t *c;
    size_t i;
    json_array_foreach(get2(pod, "status", "conditions"), i, c) {
        const char *t = json_string_value(json_object_get(c, "type"));
        const char *s = json_string_value(json_object_get(c, "status"));
        if (t && s && strcmp(t, type) == 0)
            return strcmp(s, "True") == 0;
    }
    return false;
}

void kvf_pod_status(json_t *pod, char *buf, size_t n)
{
    json_t *st = json_object_get(pod, "status"), *cs, *inits;
    const char *phase = json_string_value(json_object_get(st, "phase"));
    const char *preason = json_string_value(json_object_get(st, "reason"));
    bool initializing = false, running = false;
    size_t i, ni;
    snprintf(buf, n, "%s", preason && preason[0] ? preason : phase ? phase : "Unknown");
    inits = json_object_get(st, "initContainerStatuses");
    ni = json_array_size(get2(pod, "spec", "initContainers"));
    json_array_foreach(inits, i, cs) {
        json_t *state = json_object_get(cs, "state");
        json_t *term = json_object_get(state, "terminated");
        const char *w = json_string_value(get2(state, "waiting", "reason"));
        if (term && json_integer_value(json_object_get(term, "exitCode")) == 0)
            continue;
        if (term)
            terminated_reason(term, "Init:", buf, n);
        else if (w && w[0] && strcmp(w, "PodInitializing") != 0)
            snprintf(buf, n, "Init:%s", w);
        else
            snprintf(buf, n, "Init:%zu/%zu", i, ni);
        initializing = true;
        break;
    }
    if (!initializing || condition_true(pod, "Initialized")) {
        json_t *arr = json_object_get(st, "containerStatuses");
        for (i = json_array_size(arr); i-- > 0;) {
            json_t *state = json_object_get(cs = json_array_get(arr, i), "state");
            json_t *term = json_object_get(state, "terminated");
            const char *w = json_string_value(get2(state, "waiting", "reason"));
            if (w && w[0])
                snprintf(buf, n, "%s", w);
            else if (term)
                terminated_reason(term, "", buf, n);
            else if (json_is_true(json_object_get(cs, "ready")) && json_object_get(state, "running"))
                running = true;
        }
        if (strcmp(buf, "Completed") == 0 && running)
            snprintf(buf, n, "%s", condition_true(pod, "Ready") ? "Running" : "NotReady");
    }
    if (get2(pod, "metadata", "deletionTimestamp"))
        snprintf(buf, n, "%s", preason && strcmp(preason, "NodeLost") == 0 ? "Unknown"
                                                                          : "Terminating");
}

bool kvf_pod_ready(json_t *pod)
{
    return condition_true(pod, "Ready");
}

int kvf_pod_restarts(json_t *pod)
{
    json_t *cs;
    size_t i;
    int n = 0;
    json_array_foreach(get2(pod, "status", "containerStatuses"), i, cs)
        n += (int)json_integer_value(json_object_get(cs, "restartCount"));
    return n;
}

/* ---- the kinds --------------------------------------------------------------------------- */
static void api_error(kvf_outcome *out, long status, const char *why)
{
    /* a server that does not serve it cannot answer; one that failed did not */
    out->state = status == 404 || status == 405 || status == 501 || status == 0
                     ? (status ? KVF_OBS_UNOBSERVABLE : KVF_OBS_ERROR) : KVF_OBS_ERROR;
    snprintf(out->actual, sizeof out->actual, "%s", out->state == KVF_OBS_ERROR
                                                        ? "the API failed" : "not served here");
    snprintf(out->why, sizeof out->why, "%s", why);
}

static json_t *pods_of(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    char why[400];
    long status;
    json_t *items = kvf_cluster_list(o->k, "pods", o->ns, e->selector.text, &status, why,
                                     sizeof why);
    if (!items)
        api_error(out, status, why);
    return items;
}

/* The name of pod p's volume that is claim pvc, or NULL. */
static const char *claim_volume(json_t *p, const char *pvc)
{
    json_t *v;
    size_t i;
    json_array_foreach(get2(p, "spec", "volumes"), i, v) {
        const char *c = json_string_value(get2(v, "persistentVolumeClaim", "claimName"));
        if (c && strcmp(c, pvc) == 0)
            return json_string_value(json_object_get(v, "name"));
    }
    return NULL;
}

static bool mounts(json_t *c, const char *vol)
{
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(c, "volumeMounts"), i, m) {
        const char *n = json_string_value(json_object_get(m, "name"));
        if (n && strcmp(n, vol) == 0)
            return true;
    }
    return false;
}

/* records: the catalog's count command (images.yaml count:) run through
 * exec in each running container of the matching pods whose image has
 * one, the numbers it prints added up. kubesim counts a directory seen by
 * two pods once; here each pod's server answers for itself. The records of
 * a claim ({pvc: NAME}) are one set of data: counted once, through the
 * first running pod that mounts the claim in a container with a count
 * command (a claim's data can only be read through a pod). */
static bool records_verdict(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    json_t *items, *p, *c;
    long long total = 0;
    int pods = 0;
    size_t i, j;
    const char *through = NULL;
    bool layer_only = false;
    if (e->pvc) {
        char why[400];
        long status;
        if (!(items = kvf_cluster_list(o->k, "pods", o->ns, NULL, &status, why, sizeof why)))
            api_error(out, status, why);
    } else {
        items = pods_of(o, e, out);
    }
    if (!items)
        return false;
    json_array_foreach(items, i, p) {
        const char *ns = json_string_value(get2(p, "metadata", "namespace"));
        const char *phase = json_string_value(get2(p, "status", "phase"));
        const char *vol = e->pvc ? claim_volume(p, e->pvc) : NULL;
        bool counted = false;
        if (get2(p, "metadata", "deletionTimestamp") || !phase || strcmp(phase, "Running") != 0
            || (e->pvc && (!vol || through)))
            continue;
        json_array_foreach(get2(p, "spec", "containers"), j, c) {
            const char *img = json_string_value(json_object_get(c, "image"));
            const char *cn = json_string_value(json_object_get(c, "name"));
            const ks_image_entry *ie = img ? ks_catalog_find(o->cat, img) : NULL;
            kvf_exec_result r;
            const char *argv[64];
            size_t argc;
            char *end;
            long long n;
            if (!ie || !ie->ncount || !cn || (vol && (!mounts(c, vol) || counted)))
                continue;
            if (!(argc = kvf_count_argv(ie->count, ie->ncount, p, c, vol, argv, 64))) {
                layer_only = true;          /* a shell image with no data volume */
                continue;
            }
            if (kvf_exec(kvf_cluster_client(o->k), ns ? ns : o->ns, name_of(p), cn,
                         argv, argc, 30000, &r) != 0 || r.code != 0
                || (n = strtoll(r.out ? r.out : "", &end, 10), end == r.out || !r.out)) {
                out->state = KVF_OBS_ERROR;
                snprintf(out->actual, sizeof out->actual, "no count");
                snprintf(out->why, sizeof out->why, "exec %s in %s/%s: %.300s", ie->count[0],
                         name_of(p), cn, r.error[0] ? r.error : r.err ? r.err
                                                              : r.out ? r.out : "no number");
                kvf_exec_result_fini(&r);
                json_decref(items);
                return false;
            }
            kvf_exec_result_fini(&r);
            total += n;
            counted = true;
        }
        pods += counted;
        if (counted && vol)
            through = name_of(p);
    }
    if (!pods) {
        json_decref(items);
        out->state = KVF_OBS_UNOBSERVABLE;
        snprintf(out->actual, sizeof out->actual, "not observable here");
        if (layer_only)
            snprintf(out->why, sizeof out->why, "the matching containers mount no data volume: "
                     "the files their scripts write are in their layers, among the image's own "
                     "files, and cannot be counted apart");
        else if (e->pvc)
            snprintf(out->why, sizeof out->why, "no running pod mounts claim %s in a container "
                     "whose image has a count command in kubesim's catalog (images.yaml "
                     "count:): a claim's data is read through a pod", e->pvc);
        else
            snprintf(out->why, sizeof out->why, "no running container of the matching pods "
                     "has an image with a count command in kubesim's catalog (images.yaml "
                     "count:)");
        return false;
    }
    snprintf(out->actual, sizeof out->actual, "count %lld", total);
    if (through)
        snprintf(out->actual + strlen(out->actual), sizeof out->actual - strlen(out->actual),
                 " (through pod %s)", through);
    json_decref(items);
    if (pods > 1)
        snprintf(out->actual + strlen(out->actual), sizeof out->actual - strlen(out->actual),
                 " (from %d pods)", pods);
    return ks_scn_cmp_eval(&e->count, total);
}

static void pod_line(json_t *p, char *buf, size_t n)
{
    char st[64];
    const char *node = json_string_value(get2(p, "spec", "nodeName"));
    kvf_pod_status(p, st, sizeof st);
    snprintf(buf, n, "%s: %s, %s, %d restarts, %s%s", name_of(p), st,
             kvf_pod_ready(p) ? "ready" : "not ready", kvf_pod_restarts(p), node ? "on " : "",
             node ? node : "not scheduled");
}

static bool pods_verdict(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    json_t *items = pods_of(o, e, out), *p;
    long long n = 0, ready = 0, running = 0, wrong = 0;
    size_t i, len;
    char st[64];
    if (!items)
        return false;
    json_array_foreach(items, i, p) {
        kvf_pod_status(p, st, sizeof st);
        n++;
        ready += kvf_pod_ready(p);
        running += strcmp(st, "Running") == 0;
        wrong += e->status && strcmp(st, e->status) != 0;
    }
    len = (size_t)snprintf(out->actual, sizeof out->actual, "count %lld, ready %lld, running %lld",
                           n, ready, running);
    if (e->status && len < sizeof out->actual)
        snprintf(out->actual + len, sizeof out->actual - len, ", %lld not %s", wrong, e->status);
    len = 0;
    json_array_foreach(items, i, p) {
        if (i < 3 && len < sizeof out->why) {
            len += (size_t)snprintf(out->why + len, sizeof out->why - len, "%s", i ? "; " : "");
            if (len < sizeof out->why)
                pod_line(p, out->why + len, sizeof out->why - len);
            len = strlen(out->why);
        }
    }
    json_decref(items);
    return (!e->count.set || ks_scn_cmp_eval(&e->count, n))
           && (!e->ready.set || ks_scn_cmp_eval(&e->ready, ready))
           && (!e->running.set || ks_scn_cmp_eval(&e->running, running))
           && (!e->status || (n > 0 && wrong == 0));
}

static bool pod_ok(const ks_scn_expect *e, json_t *p)
{
    char st[64];
    const char *node = json_string_value(get2(p, "spec", "nodeName"));
    kvf_pod_status(p, st, sizeof st);
    return !(e->status && strcmp(st, e->status) != 0)
           && !(e->pod_ready >= 0 && kvf_pod_ready(p) != (e->pod_ready == 1))
           && !(e->restarts.set && !ks_scn_cmp_eval(&e->restarts, kvf_pod_restarts(p)))
           && !(e->node && (!node || strcmp(node, e->node) != 0));
}

static bool pod_verdict(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    json_t *items, *p, *bad = NULL, *first;
    size_t i, len = 0;
    long status;
    char why[400];
    if (e->name) {
        if (!(p = kvf_cluster_get(o->k, "pods", o->ns, e->name, &status, why, sizeof why))) {
            if (status == 404) {
                snprintf(out->actual, sizeof out->actual, "no pod named %s", e->name);
                return false;
            }
            api_error(out, status, why);
            return false;
        }
        items = json_array();
        json_array_append_new(items, p);
    } else if (!(items = pods_of(o, e, out))) {
        return false;
    }
    if (!json_array_size(items)) {
        snprintf(out->actual, sizeof out->actual, "no pod");
        json_decref(items);
        return false;
    }
    json_array_foreach(items, i, p)
        if (!bad && !pod_ok(e, p))
            bad = p;
    first = json_array_get(items, 0);
    if (json_array_size(items) > 1)
        len = (size_t)snprintf(out->actual, sizeof out->actual, "%zu pods; ",
                               json_array_size(items));
    pod_line(bad ? bad : first, out->actual + len, sizeof out->actual - len);
    json_decref(items);
    return !bad;
}

static bool endpoints_verdict(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    long status;
    char why[400];
    json_t *ep = kvf_cluster_get(o->k, "endpoints", o->ns, e->service, &status, why, sizeof why);
    json_t *ips = json_object(), *sub, *a;
    size_t i, k;
    long long notready = 0, ready;
    if (!ep) {
        json_decref(ips);
        if (status == 404) {
            snprintf(out->actual, sizeof out->actual, "no Service named %s", e->service);
            return false;
        }
        api_error(out, status, why);
        return false;
    }
    json_array_foreach(json_object_get(ep, "subsets"), i, sub) {
        json_array_foreach(json_object_get(sub, "addresses"), k, a) {
            const char *ip = json_string_value(json_object_get(a, "ip"));
            json_object_set_new(ips, ip ? ip : "", json_true());
        }
        notready += (long long)json_array_size(json_object_get(sub, "notReadyAddresses"));
    }
    ready = (long long)json_object_size(ips);
    snprintf(out->actual, sizeof out->actual, "ready %lld", ready);
    if (notready)
        snprintf(out->actual + strlen(out->actual), sizeof out->actual - strlen(out->actual),
                 " (%lld not ready)", notready);
    json_decref(ips);
    json_decref(ep);
    return ks_scn_cmp_eval(&e->ready, ready);
}

static bool volume_verdict(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    bool is_pvc = e->kind == KS_SCN_EXP_PVC;
    long status;
    char why[400], capt[32] = "";
    json_t *obj = kvf_cluster_get(o->k, is_pvc ? "persistentvolumeclaims" : "persistentvolumes",
                                  is_pvc ? o->ns : NULL, e->name, &status, why, sizeof why);
    const char *phase, *sclass, *cap;
    int64_t bytes = -1;
    bool ok;
    if (!obj) {
        if (status == 404) {
            snprintf(out->actual, sizeof out->actual, "no %s named %s",
                     is_pvc ? "claim" : "volume", e->name);
            return false;
        }
        api_error(out, status, why);
        return false;
    }
    phase = json_string_value(get2(obj, "status", "phase"));
    sclass = json_string_value(get2(obj, "spec", "storageClassName"));
    /* a claim's capacity is its volume's (status.capacity once bound) */
    cap = json_string_value(json_object_get(is_pvc ? get2(obj, "status", "capacity")
                                                   : get2(obj, "spec", "capacity"), "storage"));
    if (cap && !ks_quantity_parse(cap, 0, &bytes))
        ks_quantity_format_bytes(bytes, capt, sizeof capt);
    snprintf(out->actual, sizeof out->actual, "status %s, capacity %s, storageClass %s",
             phase ? phase : "none", capt[0] ? capt : "none yet",
             sclass && sclass[0] ? sclass : "none");
    ok = !(e->status && (!phase || strcmp(phase, e->status) != 0))
         && !(e->capacity && bytes != e->capacity_bytes)
         && !(e->storage_class && strcmp(sclass ? sclass : "", e->storage_class) != 0);
    json_decref(obj);
    return ok;
}

/* The labels of a pod seen now or before, as a ks_kvs (items malloc'd). */
static bool labels_of(kvf_observer *o, const char *pod, ks_kvs *out)
{
    json_t *l = json_object_get(o->labels, pod), *v;
    const char *k;
    size_t i = 0;
    out->n = 0;
    out->items = NULL;
    if (!l)
        return false;
    out->items = calloc(json_object_size(l) + 1, sizeof *out->items);
    if (!out->items)
        return false;
    json_object_foreach(l, k, v) {
        out->items[i].key = k;
        out->items[i].value = json_string_value(v) ? json_string_value(v) : "";
        i++;
    }
    out->n = i;
    return true;
}

/* The count of the events of items with e's reason (and about a pod e's
 * selector matches); with nodes_only, only those about a Node. */
static long long count_events(kvf_observer *o, const ks_scn_expect *e, json_t *items,
                              bool nodes_only)
{
    long long count = 0;
    json_t *ev;
    size_t i;
    json_array_foreach(items, i, ev) {
        const char *reason = json_string_value(json_object_get(ev, "reason"));
        json_t *io = json_object_get(ev, "involvedObject");
        json_t *c = json_object_get(ev, "count");
        const char *kind = json_string_value(json_object_get(io, "kind"));
        if (!reason || strcmp(reason, e->reason) != 0)
            continue;
        if (nodes_only && (!kind || strcmp(kind, "Node") != 0))
            continue;
        if (e->selector.text) {
            const char *pod = json_string_value(json_object_get(io, "name"));
            ks_kvs l;
            bool m;
            if (!kind || strcmp(kind, "Pod") != 0 || !pod || !labels_of(o, pod, &l))
                continue;
            m = ks_selector_matches(&e->selector.sel, &l);
            free(l.items);
            if (!m)
                continue;
        }
        count += c && json_integer_value(c) > 0 ? json_integer_value(c) : 1;
    }
    return count;
}

/* The run's events, and the kubelet's and node controller's about nodes:
 * a node is cluster-scoped, and its events go to the namespace "default"
 * (the event recorder's metav1.NamespaceDefault for an object without a
 * namespace: client-go tools/record/event.go makeEvent), as kubesim test
 * counts them too (every namespace). */
static bool events_verdict(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    long status;
    char why[400];
    json_t *items = kvf_cluster_list(o->k, "events", o->ns, NULL, &status, why, sizeof why);
    long long count;
    if (!items) {
        api_error(out, status, why);
        return false;
    }
    kvf_observer_poll(o);
    count = count_events(o, e, items, false);
    json_decref(items);
    if (strcmp(o->ns, "default") != 0 && !e->selector.text
        && (items = kvf_cluster_list(o->k, "events", "default", NULL, &status, why,
                                     sizeof why)) != NULL) {
        count += count_events(o, e, items, true);
        json_decref(items);
    }
    snprintf(out->actual, sizeof out->actual, "count %lld", count);
    return ks_scn_cmp_eval(&e->count, count);
}

/* Whether a container's log (or its previous run's) holds text: 1 yes,
 * 0 no, -1 the server does not give logs (why says). */
static int log_has(kvf_observer *o, const char *pod, const char *container, bool previous,
                   const char *text, long *status, char *why, size_t n)
{
    char path[1024];
    kvf_response r;
    int found = -1;
    snprintf(path, sizeof path, "/api/v1/namespaces/%s/pods/%s/log?container=%s%s", o->ns, pod,
             container, previous ? "&previous=true" : "");
    kvf_client_request(kvf_cluster_client(o->k), "GET", path, NULL, NULL, 0, &r);
    *status = r.status;
    if (r.status >= 200 && r.status < 300)
        found = r.body && strstr(r.body, text) != NULL;
    else
        kvf_response_why(&r, why, n);
    kvf_response_fini(&r);
    return found;
}

static bool log_verdict(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    json_t *items = pods_of(o, e, out), *p, *c;
    size_t i, k;
    long status = 0, last = 0;
    char why[400] = "";
    int asked = 0, answered = 0;
    if (!items)
        return false;
    json_array_foreach(items, i, p) {
        /* init containers first, as they ran (kubesim looks in them too) */
        json_t *all = json_array();
        json_array_extend(all, get2(p, "spec", "initContainers"));
        json_array_extend(all, get2(p, "spec", "containers"));
        json_array_foreach(all, k, c) {
            const char *cn = json_string_value(json_object_get(c, "name"));
            int prev;
            for (prev = 0; prev < 2 && cn; prev++) {
                int f = log_has(o, name_of(p), cn, prev, e->contains, &status, why, sizeof why);
                asked++;
                if (f >= 0)
                    answered++;
                else
                    last = status;
                if (f == 1) {
                    snprintf(out->actual, sizeof out->actual, "found in %s (container %s%s)",
                             name_of(p), cn, prev ? ", previous run" : "");
                    json_decref(all);
                    json_decref(items);
                    return true;
                }
            }
        }
        json_decref(all);
    }
    if (!json_array_size(items))
        snprintf(out->actual, sizeof out->actual, "no pod");
    else if (!answered && asked)
        api_error(out, last, why);
    else
        snprintf(out->actual, sizeof out->actual, "not found in %zu pod%s",
                 json_array_size(items), json_array_size(items) == 1 ? "" : "s");
    json_decref(items);
    return false;
}

/* A Job's STATUS as kubesim's printer and kubectl's say it: Complete or
 * Failed by its conditions, else Suspended or Running. */
static const char *job_status(json_t *job)
{
    json_t *c;
    size_t i;
    json_array_foreach(get2(job, "status", "conditions"), i, c) {
        const char *t = json_string_value(json_object_get(c, "type"));
        const char *st = json_string_value(json_object_get(c, "status"));
        if (t && st && strcmp(st, "True") == 0
            && (strcmp(t, "Complete") == 0 || strcmp(t, "Failed") == 0))
            return t;
    }
    return json_is_true(get2(job, "spec", "suspend")) ? "Suspended" : "Running";
}

static bool jobs_verdict(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    char why[400];
    long status;
    json_t *items = kvf_cluster_list(o->k, "jobs", o->ns, e->name ? NULL : e->selector.text,
                                     &status, why, sizeof why), *j, *first = NULL, *bad = NULL;
    size_t i;
    int n = 0;
    if (!items) {
        api_error(out, status, why);
        return false;
    }
    json_array_foreach(items, i, j) {
        long long s = json_integer_value(get2(j, "status", "succeeded"));
        long long f = json_integer_value(get2(j, "status", "failed"));
        long long a = json_integer_value(get2(j, "status", "active"));
        if (e->name && strcmp(name_of(j), e->name) != 0)
            continue;
        n++;
        if (!first)
            first = j;
        if (!bad && ((e->status && strcmp(job_status(j), e->status) != 0)
                     || (e->succeeded.set && !ks_scn_cmp_eval(&e->succeeded, s))
                     || (e->failed.set && !ks_scn_cmp_eval(&e->failed, f))
                     || (e->active.set && !ks_scn_cmp_eval(&e->active, a))))
            bad = j;
    }
    if (!n) {
        snprintf(out->actual, sizeof out->actual, "no job");
    } else {
        j = bad ? bad : first;
        snprintf(out->actual, sizeof out->actual, "%s%s: %s, %lld succeeded, %lld failed, "
                 "%lld active", n > 1 ? "several jobs; " : "", name_of(j), job_status(j),
                 (long long)json_integer_value(get2(j, "status", "succeeded")),
                 (long long)json_integer_value(get2(j, "status", "failed")),
                 (long long)json_integer_value(get2(j, "status", "active")));
    }
    json_decref(items);
    return n && !bad;
}

void kvf_rate_interval(uint64_t ok, uint64_t n, double *lo, double *hi)
{
    const double z = 1.959964;    /* the normal quantile of 97.5 % */
    double p, d, c, h;
    if (n == 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    p = (double)ok / (double)n;
    d = 1 + z * z / (double)n;
    c = (p + z * z / (2.0 * (double)n)) / d;
    h = z * sqrt(p * (1 - p) / (double)n + z * z / (4.0 * (double)n * (double)n)) / d;
    *lo = c - h < 0 ? 0 : c - h;
    *hi = c + h > 1 ? 1 : c + h;
}

bool kvf_rate_within_sampling(const ks_scn_expect *e, uint64_t ok, uint64_t n)
{
    double lo, hi, t;
    if (e->kind != KS_SCN_EXP_REQUESTS || !e->success.set || n == 0)
        return false;
    t = (double)e->success.value / (100.0 * KS_SCN_PCT_SCALE);
    kvf_rate_interval(ok, n, &lo, &hi);
    return lo < t && t < hi;
}

static bool requests_verdict(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    uint64_t count = 0, ok = 0;
    if (o->t)
        kvf_traffic_stats(o->t, e->path, &e->to, e->http_lo, e->http_hi, &count, &ok);
    snprintf(out->actual, sizeof out->actual, "count %llu", (unsigned long long)count);
    if (count)
        snprintf(out->actual + strlen(out->actual), sizeof out->actual - strlen(out->actual),
                 ", success %.2f%%", 100.0 * (double)ok / (double)count);
    if (count && e->success.set) {
        double lo, hi;
        kvf_rate_interval(ok, count, &lo, &hi);
        snprintf(out->actual + strlen(out->actual), sizeof out->actual - strlen(out->actual),
                 " (95%% interval %.1f-%.1f%%)", 100 * lo, 100 * hi);
        out->sampling = kvf_rate_within_sampling(e, ok, count);
    }
    return (!e->count.set || ks_scn_cmp_eval(&e->count, (int64_t)count))
           && (!e->success.set || ks_scn_cmp_eval_ratio(&e->success, (int64_t)ok,
                                                        (int64_t)count));
}

void kvf_observe(kvf_observer *o, const ks_scn_expect *e, kvf_outcome *out)
{
    bool ok = false;
    memset(out, 0, sizeof *out);
    out->state = KVF_OBS_FAIL;
    switch (e->kind) {
    case KS_SCN_EXP_PODS:
        ok = pods_verdict(o, e, out);
        break;
    case KS_SCN_EXP_POD:
        ok = pod_verdict(o, e, out);
        break;
    case KS_SCN_EXP_ENDPOINTS:
        ok = endpoints_verdict(o, e, out);
        break;
    case KS_SCN_EXP_PVC:
    case KS_SCN_EXP_PV:
        ok = volume_verdict(o, e, out);
        break;
    case KS_SCN_EXP_EVENTS:
        ok = events_verdict(o, e, out);
        break;
    case KS_SCN_EXP_LOG:
        ok = log_verdict(o, e, out);
        break;
    case KS_SCN_EXP_REQUESTS:
        ok = requests_verdict(o, e, out);
        break;
    case KS_SCN_EXP_RECORDS:
        if (o->cat) {
            ok = records_verdict(o, e, out);
            break;
        }
        out->state = KVF_OBS_UNOBSERVABLE;
        snprintf(out->actual, sizeof out->actual, "not observable here");
        snprintf(out->why, sizeof out->why, "records are a workload's data; the API does not "
                 "show them (--allow-exec counts them through exec, with the catalog's count "
                 "command)");
        return;
    case KS_SCN_EXP_JOBS:
        ok = jobs_verdict(o, e, out);
        break;
    }
    if (out->state == KVF_OBS_FAIL)
        out->state = ok ? KVF_OBS_PASS : KVF_OBS_FAIL;
}
