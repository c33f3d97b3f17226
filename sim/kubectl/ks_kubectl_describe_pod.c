/* ks_kubectl_describe_pod.c -- `kubectl describe pod`, in full (kubectl's
 * PodDescriber: describe.go describePod), and the Pod Template block the
 * workload kinds share. Container IDs and image digests are made up,
 * deterministically, from the pod, the container and its restart count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/describe.h"
#include "internal/kubectl.h"
#include "load/ks_validate.h"
#include "node/ks_node.h"

/* 64 hex digits from a seed: stands in for container IDs and digests. */
static const char *hex64(ksi_kc *k, uint64_t seed)
{
    char buf[65];
    int i;
    for (i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        snprintf(buf + i * 16, 17, "%016llx", (unsigned long long)(z ^ (z >> 31)));
    }
    return ksi_kc_fmt(k, "%s", buf);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* ---- pods ------------------------------------------------------------------------------- */
static void probe(ksi_describer *d, const char *title, const ks_probe *p)
{
    const char *what;
    char attrs[160];
    if (p->type == KS_PROBE_NONE)
        return;
    snprintf(attrs, sizeof attrs, "delay=%ds timeout=%ds period=%ds #success=%d #failure=%d",
             p->initial_delay, p->timeout, p->period, p->success_threshold,
             p->failure_threshold);
    if (p->type == KS_PROBE_HTTP)
        what = ksi_kc_fmt(d->k, "http-get http://:%s%s", p->port_name ? p->port_name
                          : ksi_kc_fmt(d->k, "%d", p->port), p->path ? p->path : "");
    else if (p->type == KS_PROBE_TCP)
        what = ksi_kc_fmt(d->k, "tcp-socket :%s", p->port_name ? p->port_name
                          : ksi_kc_fmt(d->k, "%d", p->port));
    else if (p->type == KS_PROBE_GRPC)
        what = ksi_kc_fmt(d->k, "grpc <pod>:%d ", p->port);
    else {
        ks_strbuf sb;
        size_t i;
        ks_strbuf_init(&sb, ks_sim_allocator(d->k->sim));
        for (i = 0; i < p->ncommand; i++)
            ks_strbuf_printf(&sb, "%s%s", i ? " " : "", p->command[i]);
        what = ksi_kc_fmt(d->k, "exec [%s]", ks_strbuf_str(&sb));
        ks_strbuf_fini(&sb);
    }
    ksi_dw(d, 2, "%s:\t%s %s\n", title, what, attrs);
}

static void container_state(ksi_describer *d, const char *title, ks_cstate st, const char *reason,
                            int code, ks_time started, ks_time finished)
{
    ksi_kc *k = d->k;
    if (st == KS_CS_RUNNING) {
        ksi_dw(d, 2, "%s:\tRunning\n", title);
        ksi_dw(d, 3, "Started:\t%s\n", ksi_kc_rfc1123z(k, started));
    } else if (st == KS_CS_TERMINATED) {
        ksi_dw(d, 2, "%s:\tTerminated\n", title);
        if (reason)
            ksi_dw(d, 3, "Reason:\t%s\n", reason);
        ksi_dw(d, 3, "Exit Code:\t%d\n", code);
        ksi_dw(d, 3, "Started:\t%s\n", ksi_kc_rfc1123z(k, started));
        ksi_dw(d, 3, "Finished:\t%s\n", ksi_kc_rfc1123z(k, finished));
    } else {
        ksi_dw(d, 2, "%s:\tWaiting\n", title);
        if (reason)
            ksi_dw(d, 3, "Reason:\t%s\n", reason);
    }
}

static int cmp_mount(const void *a, const void *b)
{
    return strcmp(((const ks_mount *)a)->path, ((const ks_mount *)b)->path);
}

/* One container: status is NULL for a template (describe deployment). */
static void container(ksi_describer *d, const ks_pod *p, const ks_container *c,
                      const ks_container_status *cs, const char *space, const char *sa)
{
    ksi_kc *k = d->k;
    ks_strbuf ports, hports;
    ks_mount *mounts;
    size_t i;
    ksi_dw(d, 1, "%s%s:\n", space[0] ? " " : "", c->name);
    if (cs) {
        bool ran = cs->state != KS_CS_WAITING || cs->has_last || cs->restarts;
        uint64_t seed = hash_str(hash_str(hash_str(14695981039346656037ull, p->name), c->name),
                                 ksi_kc_fmt(k, "%d", cs->restarts));
        ksi_dw(d, 2, "Container ID:\t%s\n", ran ? ksi_kc_fmt(k, "docker://%s", hex64(k, seed)) : "");
        ksi_dw(d, 2, "Image:\t%s\n", c->image);
        ksi_dw(d, 2, "Image ID:\t%s\n", ran ? ksi_kc_fmt(k, "docker-pullable://%s@sha256:%s",
                                                   c->image, hex64(k, hash_str(7, c->image)))
                                       : "");
    } else {
        ksi_dw(d, 2, "Image:\t%s\n", c->image);
    }
    ks_strbuf_init(&ports, ks_sim_allocator(k->sim));
    ks_strbuf_init(&hports, ks_sim_allocator(k->sim));
    for (i = 0; i < c->nports; i++) {
        const char *proto = c->ports[i].protocol ? c->ports[i].protocol : "TCP";
        ks_strbuf_printf(&ports, "%s%d/%s", i ? ", " : "", c->ports[i].port, proto);
        ks_strbuf_printf(&hports, "%s0/%s", i ? ", " : "", proto);
    }
    ksi_dw(d, 2, "%s:\t%s\n", c->nports > 1 ? "Ports" : "Port",
      c->nports ? ks_strbuf_str(&ports) : "<none>");
    ksi_dw(d, 2, "%s:\t%s\n", c->nports > 1 ? "Host Ports" : "Host Port",
      c->nports ? ks_strbuf_str(&hports) : "<none>");
    ks_strbuf_fini(&ports);
    ks_strbuf_fini(&hports);
    if (c->ncommand) {
        ksi_dw(d, 2, "Command:\n");
        for (i = 0; i < c->ncommand; i++)
            ksi_dw(d, 3, "%s\n", c->command[i]);
    }
    if (c->nargs) {
        ksi_dw(d, 2, "Args:\n");
        for (i = 0; i < c->nargs; i++)
            ksi_dw(d, 3, "%s\n", c->args[i]);
    }
    if (cs) {
        container_state(d, "State", cs->state, cs->reason, cs->exit_code, cs->started_at,
                        cs->finished_at);
        if (cs->has_last && cs->state != KS_CS_TERMINATED)
            container_state(d, "Last State", KS_CS_TERMINATED, cs->last_reason,
                            cs->last_exit_code, cs->last_started, cs->last_finished);
        ksi_dw(d, 2, "Ready:\t%s\n", cs->ready ? "True" : "False");
        ksi_dw(d, 2, "Restart Count:\t%d\n", cs->restarts);
    }
    if (c->cpu_limit || c->mem_limit) {
        ksi_dw(d, 2, "Limits:\n");
        if (c->cpu_limit)
            ksi_dw(d, 3, "cpu:\t%s\n", ksi_dw_cpu(k, c->cpu_limit));
        if (c->mem_limit)
            ksi_dw(d, 3, "memory:\t%s\n", ksi_dw_mem(k, c->mem_limit));
    }
    if (c->cpu_request || c->mem_request || c->cpu_limit || c->mem_limit) {
        int64_t cpu = c->cpu_request ? c->cpu_request : c->cpu_limit;
        int64_t mem = c->mem_request ? c->mem_request : c->mem_limit;
        ksi_dw(d, 2, "Requests:\n");
        if (cpu)
            ksi_dw(d, 3, "cpu:\t%s\n", ksi_dw_cpu(k, cpu));
        if (mem)
            ksi_dw(d, 3, "memory:\t%s\n", ksi_dw_mem(k, mem));
    }
    probe(d, "Liveness", &c->liveness);
    probe(d, "Readiness", &c->readiness);
    probe(d, "Startup", &c->startup);
    if (c->nenv_from) {
        ksi_dw(d, 2, "Environment Variables from:\n");
        for (i = 0; i < c->nenv_from; i++) {
            const ks_env_from *e = &c->env_from[i];
            const char *from = e->ref == KS_REF_SECRET ? "Secret" : "ConfigMap";
            if (e->prefix && e->prefix[0])
                ksi_dw(d, 3, "%s\t%s with prefix '%s'\tOptional: %s\n", e->name, from, e->prefix,
                  e->optional ? "true" : "false");
            else
                ksi_dw(d, 3, "%s\t%s\tOptional: %s\n", e->name, from, e->optional ? "true" : "false");
        }
    }
    ksi_dw(d, 2, "Environment:%s\n", c->nenv ? "" : "\t<none>");
    for (i = 0; i < c->nenv; i++) {
        const ks_env_var *e = &c->env[i];
        const char *opt = e->optional ? "true" : "false";
        if (e->ref == KS_REF_SECRET)
            ksi_dw(d, 3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %s\n", e->name,
              e->ref_key, e->ref_name, opt);
        else if (e->ref == KS_REF_CONFIGMAP)
            ksi_dw(d, 3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %s\n", e->name,
              e->ref_key, e->ref_name, opt);
        else if (e->ref == KS_REF_FIELD || e->ref == KS_REF_RESOURCE) {
            char buf[64];                  /* describe.go: "%s:\t%s (%s:%s)", "%s:\t%s (%s)" */
            const char *v = p ? ks_node_env_from(d->k->sim, p, c, e, buf, sizeof buf) : "";
            if (e->ref == KS_REF_FIELD)
                ksi_dw(d, 3, "%s:\t%s (v1:%s)\n", e->name, v,
                       e->ref_key ? e->ref_key : "metadata.name");
            else
                ksi_dw(d, 3, "%s:\t%s (%s)\n", e->name, v, e->ref_key);
        }
        else {
            const char *v = e->value ? e->value : "", *nl;
            bool first = true;
            do {                                 /* a multi-line value: one line each */
                nl = strchr(v, '\n');
                ksi_dw(d, 3, first ? "%s:\t%.*s\n" : "%s\t%.*s\n", first ? e->name : "",
                  nl ? (int)(nl - v) : (int)strlen(v), v);
                first = false;
                v = nl ? nl + 1 : v;
            } while (nl);
        }
    }
    ksi_dw(d, 2, "Mounts:%s\n", c->nmounts || sa ? "" : "\t<none>");
    mounts = ks_arena_alloc(k->tmp, (c->nmounts + 1) * sizeof *mounts);
    if (mounts) {
        size_t nm = c->nmounts;
        if (nm)
            memcpy(mounts, c->mounts, nm * sizeof *mounts);
        if (sa) {                   /* the service account token every pod mounts */
            memset(&mounts[nm], 0, sizeof *mounts);
            mounts[nm].path = "/var/run/secrets/kubernetes.io/serviceaccount";
            mounts[nm].name = sa;
            mounts[nm].read_only = true;
            nm++;
        }
        qsort(mounts, nm, sizeof *mounts, cmp_mount);
        for (i = 0; i < nm; i++)
            ksi_dw(d, 3, "%s from %s (%s%s%s%s)\n", mounts[i].path, mounts[i].name,
              mounts[i].read_only ? "ro" : "rw", mounts[i].sub_path ? ",path=\"" : "",
              mounts[i].sub_path ? mounts[i].sub_path : "", mounts[i].sub_path ? "\"" : "");
    }
}

static void volumes(ksi_describer *d, const ks_pod_spec *spec, const char *space, const char *sa)
{
    size_t i;
    if (sa) {
        if (spec->nvolumes)
            volumes(d, spec, space, NULL);
        else
            ksi_dw(d, 0, "%sVolumes:\n", space);
        ksi_dw(d, 1, "%s:\n", sa);
        ksi_dw(d, 2, "Type:\tProjected (a volume that contains injected data from multiple "
                "sources)\n");
        ksi_dw(d, 2, "TokenExpirationSeconds:\t3607\n");
        ksi_dw(d, 2, "ConfigMapName:\tkube-root-ca.crt\n    Optional:\tfalse\n");
        ksi_dw(d, 2, "DownwardAPI:\ttrue\n");
        return;
    }
    if (spec->nvolumes == 0) {
        ksi_dw(d, 0, "%sVolumes:\t<none>\n", space);
        return;
    }
    ksi_dw(d, 0, "%sVolumes:\n", space);
    for (i = 0; i < spec->nvolumes; i++) {
        const ks_volume *v = &spec->volumes[i];
        ksi_dw(d, 1, "%s%s:\n", space[0] ? " " : "", v->name);
        switch (v->type) {
        case KS_VOL_EMPTYDIR:
            ksi_dw(d, 2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                    "    Medium:\t%s\n    SizeLimit:\t%s\n", v->memory ? "Memory" : "",
              v->size_limit ? ksi_dw_mem(d->k, v->size_limit) : "<unset>");
            break;
        case KS_VOL_HOSTPATH:
            ksi_dw(d, 2, "Type:\tHostPath (bare host directory volume)\n    Path:\t%s\n"
                    "    HostPathType:\t\n", v->source ? v->source : "");
            break;
        case KS_VOL_PVC:
            ksi_dw(d, 2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in "
                    "the same namespace)\n    ClaimName:\t%s\n    ReadOnly:\t%s\n",
              v->source ? v->source : "", v->read_only ? "true" : "false");
            break;
        case KS_VOL_SECRET:
            ksi_dw(d, 2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t%s\n"
                    "    Optional:\tfalse\n", v->source ? v->source : "");
            break;
        case KS_VOL_CONFIGMAP:
            ksi_dw(d, 2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t%s\n"
                    "    Optional:\tfalse\n", v->source ? v->source : "");
            break;
        default:
            ksi_dw(d, 1, "<unknown>\n");
        }
    }
}

void ksi_dw_template(ksi_describer *d, const ks_pod_template *t)
{
    size_t i;
    ksi_dw(d, 0, "Pod Template:\n");
    ksi_dw_kvs(d, "  Labels", &t->labels, "=");
    if (t->annotations.n)
        ksi_dw_kvs(d, "  Annotations", &t->annotations, ": ");
    if (t->spec.ninit)
        ksi_dw(d, 0, "  Init Containers:\n");
    for (i = 0; i < t->spec.ninit; i++)
        container(d, NULL, &t->spec.init[i], NULL, "  ", NULL);
    ksi_dw(d, 0, "  Containers:\n");
    for (i = 0; i < t->spec.ncontainers; i++)
        container(d, NULL, &t->spec.containers[i], NULL, "  ", NULL);
    volumes(d, &t->spec, "  ", NULL);
    ksi_dw_kvs(d, "  Node-Selectors", &t->spec.node_selector, "=");
    ksi_dw(d, 0, "  Tolerations:\t<none>\n");
}

void ksi_describe_pod(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_pod *p = ks_cluster_pod(k->sim, id);
    const ks_node *n = ks_cluster_node(k->sim, p->node);
    bool all_ready = p->ncontainers > 0;
    size_t i;
    char sa[32] = "kube-api-access-";
    uint64_t h = hash_str(hash_str(14695981039346656037ull, p->ns), p->name);
    for (i = 0; i < 5; i++, h /= 27)           /* the kubernetes name alphabet */
        sa[16 + i] = "bcdfghjklmnpqrstvwxz2456789"[h % 27];
    sa[21] = '\0';
    ksi_dw(d, 0, "Name:\t%s\n", p->name);
    ksi_dw(d, 0, "Namespace:\t%s\n", p->ns);
    ksi_dw(d, 0, "Priority:\t0\n");
    ksi_dw(d, 0, "Service Account:\t%s\n",
           p->spec && p->spec->service_account ? p->spec->service_account : "default");
    if (n)
        ksi_dw(d, 0, "Node:\t%s/%s\n", n->name, ksi_kc_node_ip(k, n->id));
    else
        ksi_dw(d, 0, "Node:\t<none>\n");
    if (n)
        ksi_dw(d, 0, "Start Time:\t%s\n", ksi_kc_rfc1123z(k, p->scheduled_at));
    ksi_dw_kvs(d, "Labels", &p->labels, "=");
    ksi_dw_kvs(d, "Annotations", &p->annotations, ": ");
    if (p->terminating && strcmp(p->phase, "Failed") != 0 && strcmp(p->phase, "Succeeded") != 0) {
        ksi_dw(d, 0, "Status:\tTerminating (lasts %s)\n", ksi_kc_age(k, p->grace_until));
        ksi_dw(d, 0, "Termination Grace Period:\t%llds\n",
          (long long)((p->grace_until - p->deleted_at) / KS_SEC));
    } else {
        ksi_dw(d, 0, "Status:\t%s\n", p->phase);
    }
    if (p->evicted)
        ksi_dw(d, 0, "Reason:\tEvicted\n");
    if (p->message)
        ksi_dw(d, 0, "Message:\t%s\n", p->message);
    ksi_dw(d, 0, "IP:\t%s\n", p->ip);
    if (p->ip[0])
        ksi_dw(d, 0, "IPs:\n  IP:\t%s\n", p->ip);
    else
        ksi_dw(d, 0, "IPs:\t<none>\n");
    if (ks_cluster_kind(k->sim, p->owner) != KS_KIND_COUNT)
        ksi_dw(d, 0, "Controlled By:\t%s/%s\n", ks_kind_name(ks_cluster_kind(k->sim, p->owner)),
               ksi_kc_obj_name(k->sim, p->owner));
    if (p->ninit)                              /* describePod: before the others */
        ksi_dw(d, 0, "Init Containers:\n");
    for (i = 0; i < p->ninit; i++)
        container(d, p, p->init[i].spec, &p->init[i], "", sa);
    ksi_dw(d, 0, "Containers:\n");
    for (i = 0; i < p->ncontainers; i++) {
        container(d, p, p->containers[i].spec, &p->containers[i], "", sa);
        all_ready &= p->containers[i].ready;
    }
    /* describePod prints each of status.conditions' type and status, in
       their order (DisruptionTarget's place: ks_pod_disruption_first) */
    ksi_dw(d, 0, "Conditions:\n  Type\tStatus\n");
    if (p->disruption && ks_pod_disruption_first(k->sim, p))
        ksi_dw(d, 1, "DisruptionTarget \tTrue \n");
    if (n) {
        ksi_dw(d, 1, "PodReadyToStartContainers \tTrue \n");
        ksi_dw(d, 1, "Initialized \t%s \n", ks_pod_initialized(p) ? "True" : "False");
        ksi_dw(d, 1, "Ready \t%s \n", p->ready ? "True" : "False");
        ksi_dw(d, 1, "ContainersReady \t%s \n", all_ready ? "True" : "False");
    }
    ksi_dw(d, 1, "PodScheduled \t%s \n", n ? "True" : "False");
    if (p->disruption && !ks_pod_disruption_first(k->sim, p))
        ksi_dw(d, 1, "DisruptionTarget \tTrue \n");
    volumes(d, p->spec, "", sa);
    ksi_dw(d, 0, "QoS Class:\t%s\n", ks_qos_name(ks_pod_qos(p->spec)));
    ksi_dw_kvs(d, "Node-Selectors", &p->spec->node_selector, "=");
    ksi_dw(d, 0, "Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
            "\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n");
    ksi_dw_events(d, id);
}
