/* ks_kubectl_logs.c -- `kubectl logs`: a container's current output, or
 * the previous run's (--previous), from the ring the kubelet keeps; the
 * pod chosen for deployment/NAME as kubectl chooses it, and kubectl's
 * errors for containers that have not started or have no previous run.
 */
#include <stdio.h>
#include <string.h>

#include "internal/kubectl.h"

/* ---- logs ------------------------------------------------------------------------------ */
const ks_pod *ksi_kc_pod_for(ksi_kc *k, const char *arg, bool logs)
{
    const char *type, *name;
    int kind = KS_KIND_POD;
    ks_id id, *pods;
    const ks_selector *sel = NULL;
    size_t n, i, best = 0;
    if (ksi_kc_split_slash(k, arg, &type, &name)) {
        if ((kind = ksi_kc_resource(type)) == KSI_KC_NONE) {
            ksi_kc_no_type(k, type);
            return NULL;
        }
    } else {
        name = arg;
    }
    if (ksi_kc_dry(k))
        return NULL;
    if (kind >= KS_KIND_COUNT || !(id = ksi_kc_find(k, kind, name))) {
        ksi_kc_not_found(k, kind, name);
        return NULL;
    }
    if (kind == KS_KIND_POD)
        return ks_cluster_pod(k->sim, id);
    if (kind == KS_KIND_DEPLOYMENT)
        sel = &ks_cluster_deployment(k->sim, id)->spec->selector;
    else if (kind == KS_KIND_REPLICASET)
        sel = &ks_cluster_rs(k->sim, id)->selector;
    else if (kind != KS_KIND_JOB) {
        if (logs)
            ksi_kc_error(k, "cannot get the logs from %s", ksi_kc_plural(kind));
        else
            ksi_kc_error(k, "cannot attach to %s: selector for %s not implemented",
                         ksi_kc_plural(kind), ksi_kc_plural(kind));
        return NULL;
    }
    n = ksi_kc_select(k, KS_KIND_POD, sel, &pods);
    if (!sel) {                                /* a Job: the pods it made */
        size_t m = 0;
        for (i = 0; i < n; i++)
            if (ks_cluster_owner(k->sim, pods[i]) == id)
                pods[m++] = pods[i];
        n = m;
    }
    if (n == 0) {
        ksi_kc_error(k, "timed out waiting for the condition");
        return NULL;
    }
    for (i = 0; i < n; i++)                    /* kubectl prefers a running, ready pod */
        if (ks_cluster_pod(k->sim, pods[i])->ready && !ks_cluster_pod(k->sim, pods[i])->terminating) {
            best = i;
            break;
        }
    if (n > 1 && logs)               /* logsforobject.go says it; exec does not */
        ksi_kc_line(k, "Found %zu pods, using pod/%s", n, ks_cluster_pod(k->sim, pods[best])->name);
    return ks_cluster_pod(k->sim, pods[best]);
}

static void print_log(ksi_kc *k, const ks_log *log, int64_t tail, bool stamps)
{
    int i, from = 0;
    if (!log)
        return;
    if (tail >= 0 && tail < log->count)
        from = log->count - (int)tail;
    for (i = from; i < log->count; i++) {
        int at = (log->first + i) % KS_LOG_LINES;
        if (stamps)
            ksi_kc_line(k, "%s %s", ksi_kc_rfc3339(k, log->at[at]), log->line[at]);
        else
            ksi_kc_line(k, "%s", log->line[at]);
    }
}

int ksi_kc_logs(ksi_kc *k)
{
    const char *cname = ksi_kc_flag(k, "container");
    bool previous = ksi_kc_bool(k, "previous"), all = ksi_kc_bool(k, "all-containers");
    int64_t tail = ksi_kc_int(k, "tail", -1);
    const ks_pod *p;
    size_t c = 0, last;
    if (k->nargs == 0)
        return ksi_kc_usage_error(k, "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c "
                                     "CONTAINER]'.\nPOD or TYPE/NAME is a required argument "
                                     "for the logs command");
    if (k->nargs > 2 || (k->nargs == 2 && cname))
        return ksi_kc_usage_error(k, "only one of -c or an inline [CONTAINER] arg is allowed");
    if (k->nargs == 2)
        cname = k->args[1];
    if (!(p = ksi_kc_pod_for(k, k->args[0], true)))
        return k->status;                      /* said why (or only checking) */
    if (cname) {
        size_t every = p->ncontainers + p->ninit;          /* init containers too */
        for (c = 0; c < every && strcmp(p->containers[c].spec->name, cname) != 0; c++) {
        }
        if (c == every) {
            ksi_kc_line(k, "Error from server (BadRequest): container %s is not valid for pod %s",
                        cname, p->name);
            k->status = 1;
            return 1;
        }
    } else if (p->ncontainers > 1 && !all) {
        ks_strbuf names;
        size_t i;
        ks_strbuf_init(&names, ks_sim_allocator(k->sim));
        for (i = 0; i < p->ncontainers; i++)
            ks_strbuf_printf(&names, "%s%s", i ? ", " : "", p->containers[i].spec->name);
        ksi_kc_line(k, "Defaulted container \"%s\" out of: %s", p->containers[0].spec->name,
                    ks_strbuf_str(&names));
        ks_strbuf_fini(&names);
    }
    last = all && !cname ? p->ncontainers : c + 1;
    for (; c < last; c++) {
        const ks_container_status *cs = &p->containers[c];
        if (previous) {
            if (cs->restarts == 0) {
                ksi_kc_line(k, "Error from server (BadRequest): previous terminated container "
                               "\"%s\" in pod \"%s\" not found", cs->spec->name, p->name);
                k->status = 1;
                continue;
            }
            print_log(k, cs->prev_log, tail, ksi_kc_bool(k, "timestamps"));
            continue;
        }
        if (cs->state == KS_CS_WAITING && !cs->has_last && !cs->restarts) {
            const char *why = !cs->reason ? "ContainerCreating"
                              : strcmp(cs->reason, "ImagePullBackOff") == 0
                                      || strcmp(cs->reason, "ErrImagePull") == 0
                                  ? "trying and failing to pull image" : cs->reason;
            ksi_kc_line(k, "Error from server (BadRequest): container \"%s\" in pod \"%s\" is "
                           "waiting to start: %s", cs->spec->name, p->name, why);
            k->status = 1;
            continue;
        }
        print_log(k, cs->log, tail, ksi_kc_bool(k, "timestamps"));
    }
    return k->status;
}
