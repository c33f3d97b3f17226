/* ks_kubectl_describe.c -- `kubectl describe` (pods in full; deployments,
 * services, nodes and claims in kubectl's shorter forms; the workload kinds
 * of ks_kubectl_describe_work.c).
 *
 * describe writes through the same tabwriter as kubectl's describers
 * (minwidth 0, padding 2) with kubectl's indentation levels of two spaces,
 * so blocks of "Key:\tvalue" lines align as they do on a real cluster; the
 * Events table is flushed on its own. Names that match no object exactly
 * describe every object whose name starts with them, as kubectl does.
 * Container IDs and image digests are made up, deterministically, from the
 * pod, the container and its restart count.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/describe.h"
#include "internal/kubectl.h"
#include "core/ks_error.h"
#include "load/ks_validate.h"
#include "node/ks_node.h"

/* ---- the describe writer ------------------------------------------------------------- */
void ksi_dw(ksi_describer *d, int level, const char *fmt, ...)
{
    va_list ap;
    int i;
    for (i = 0; i < level; i++)
        ks_strbuf_puts(&d->sb, "  ");
    va_start(ap, fmt);
    ks_strbuf_vprintf(&d->sb, fmt, ap);
    va_end(ap);
}

void ksi_dw_flush(ksi_describer *d)
{
    ks_kubectl_tabwrite(d->k->out, ks_strbuf_str(&d->sb), d->sb.len, 0, 2);
    ks_strbuf_clear(&d->sb);
}

static int cmp_kv(const void *a, const void *b)
{
    return strcmp(((const ks_kv *)a)->key, ((const ks_kv *)b)->key);
}

void ksi_dw_kvs(ksi_describer *d, const char *title, const ks_kvs *m, const char *sep)
{
    ks_kv *c;
    size_t i;
    ksi_dw(d, 0, "%s:\t", title);
    if (!m || m->n == 0 || !(c = ks_arena_alloc(d->k->tmp, m->n * sizeof *c))) {
        ksi_dw(d, 0, "<none>\n");
        return;
    }
    memcpy(c, m->items, m->n * sizeof *c);
    qsort(c, m->n, sizeof *c, cmp_kv);
    for (i = 0; i < m->n; i++)
        ksi_dw(d, 0, "%s%s%s%s\n", i ? "\t" : "", c[i].key, sep, c[i].value);
}

void ksi_dw_events(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    size_t n = ks_cluster_event_count(k->sim), i, m = 0, j;
    const ks_k8s_event **ev = ks_arena_alloc(k->tmp, (n + 1) * sizeof *ev);
    for (i = 0; ev && i < n; i++) {
        const ks_k8s_event *e = ks_cluster_event(k->sim, i);
        if (e->object == id)
            ev[m++] = e;
    }
    if (m == 0) {
        ksi_dw(d, 0, "Events:\t<none>\n");
        return;
    }
    for (i = 1; i < m; i++)                   /* stable insertion sort by last seen */
        for (j = i; j > 0 && ev[j - 1]->last > ev[j]->last; j--) {
            const ks_k8s_event *x = ev[j];
            ev[j] = ev[j - 1];
            ev[j - 1] = x;
        }
    ksi_dw_flush(d);
    ksi_dw(d, 0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    ksi_dw(d, 1, "----\t------\t----\t----\t-------\n");
    for (i = 0; i < m; i++)
        ksi_dw(d, 1, "%s\t%s\t%s\t%s\t%s\n", ev[i]->warning ? "Warning" : "Normal",
               ev[i]->reason, ksi_kc_event_age(k, ev[i]), ev[i]->source ? ev[i]->source : "",
               ev[i]->message);
}

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

static const char *cpu_text(ksi_kc *k, int64_t milli)
{
    return milli % 1000 ? ksi_kc_fmt(k, "%lldm", (long long)milli)
                        : ksi_kc_fmt(k, "%lld", (long long)(milli / 1000));
}

static const char *mem_text(ksi_kc *k, int64_t bytes)
{
    char buf[32];
    ks_quantity_format_bytes(bytes, buf, sizeof buf);
    return ksi_kc_fmt(k, "%s", buf);
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
            ksi_dw(d, 3, "cpu:\t%s\n", cpu_text(k, c->cpu_limit));
        if (c->mem_limit)
            ksi_dw(d, 3, "memory:\t%s\n", mem_text(k, c->mem_limit));
    }
    if (c->cpu_request || c->mem_request || c->cpu_limit || c->mem_limit) {
        int64_t cpu = c->cpu_request ? c->cpu_request : c->cpu_limit;
        int64_t mem = c->mem_request ? c->mem_request : c->mem_limit;
        ksi_dw(d, 2, "Requests:\n");
        if (cpu)
            ksi_dw(d, 3, "cpu:\t%s\n", cpu_text(k, cpu));
        if (mem)
            ksi_dw(d, 3, "memory:\t%s\n", mem_text(k, mem));
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
              v->size_limit ? mem_text(d->k, v->size_limit) : "<unset>");
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

static void describe_pod(ksi_describer *d, ks_id id)
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

/* ---- deployments, services, nodes, claims ------------------------------------------------ */
static const char *intstr_text(ksi_kc *k, const ks_intstr *v, const char *dflt)
{
    if (!v->set)
        return dflt;
    if (v->is_str)
        return v->str;
    return ksi_kc_fmt(k, v->percent ? "%lld%%" : "%lld", (long long)v->num);
}

static void describe_deployment(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_deployment *dp = ks_cluster_deployment(k->sim, id);
    const ks_replicaset *cur = ks_cluster_rs(k->sim, dp->current_rs);
    ks_strbuf old;
    ks_kvs ann;
    ks_kv rev;
    ks_id r = 0;
    int64_t unavailable = dp->replicas - dp->available;
    ksi_dw(d, 0, "Name:\t%s\n", dp->name);
    ksi_dw(d, 0, "Namespace:\t%s\n", dp->ns);
    ksi_dw(d, 0, "CreationTimestamp:\t%s\n", ksi_kc_rfc1123z(k, dp->created));
    ksi_dw_kvs(d, "Labels", &dp->labels, "=");
    rev.key = "deployment.kubernetes.io/revision";
    rev.value = ksi_kc_fmt(k, "%d", dp->revision);
    ann.items = &rev;
    ann.n = 1;
    ksi_dw_kvs(d, "Annotations", &ann, ": ");
    ksi_dw(d, 0, "Selector:\t%s\n", ksi_kc_labels_text(k, &dp->spec->selector.match));
    ksi_dw(d, 0, "Replicas:\t%lld desired | %lld updated | %lld total | %lld available | %lld "
            "unavailable\n", (long long)dp->replicas, (long long)dp->updated,
      (long long)dp->total, (long long)dp->available,
      (long long)(unavailable > 0 ? unavailable : 0));
    ksi_dw(d, 0, "StrategyType:\t%s\n", dp->spec->recreate ? "Recreate" : "RollingUpdate");
    ksi_dw(d, 0, "MinReadySeconds:\t%lld\n", (long long)dp->spec->min_ready_seconds);
    if (!dp->spec->recreate)
        ksi_dw(d, 0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n",
          intstr_text(k, &dp->spec->max_unavailable, "25%"),
          intstr_text(k, &dp->spec->max_surge, "25%"));
    ksi_dw_template(d, dp->tmpl);
    ksi_dw(d, 0, "Conditions:\n  Type\tStatus\tReason\n");
    ksi_dw(d, 1, "----\t------\t------\n");
    ksi_dw(d, 1, "Available \t%s\t%s\n", dp->available >= dp->replicas - 0 ? "True" : "False",
      dp->available >= dp->replicas ? "MinimumReplicasAvailable"
                                    : "MinimumReplicasUnavailable");
    ksi_dw(d, 1, "Progressing \tTrue\t%s\n",
      dp->updated == dp->replicas && dp->available == dp->replicas && dp->total == dp->replicas
          ? "NewReplicaSetAvailable" : "ReplicaSetUpdated");
    ks_strbuf_init(&old, ks_sim_allocator(k->sim));
    while ((r = ks_cluster_next(k->sim, KS_KIND_REPLICASET, r)) != 0) {
        const ks_replicaset *x = ks_cluster_rs(k->sim, r);
        if (x->owner == id && r != dp->current_rs && (x->replicas || x->current))
            ks_strbuf_printf(&old, "%s%s (%lld/%lld replicas created)", old.len ? ", " : "",
                             x->name, (long long)x->current, (long long)x->replicas);
    }
    ksi_dw(d, 0, "OldReplicaSets:\t%s\n", old.len ? ks_strbuf_str(&old) : "<none>");
    ks_strbuf_fini(&old);
    if (cur)
        ksi_dw(d, 0, "NewReplicaSet:\t%s (%lld/%lld replicas created)\n", cur->name,
          (long long)cur->current, (long long)cur->replicas);
    else
        ksi_dw(d, 0, "NewReplicaSet:\t<none>\n");
    ksi_dw_events(d, id);
}

/* The addresses of an Endpoints object applied by hand, for a Service
 * without a selector (the API server's own, default/kubernetes, too):
 * ip:port, the port its subset gives, else the Service's. */
static void manual_endpoints(ksi_kc *k, const ks_object *svc, const ks_service_port *sp,
                             ks_strbuf *eps)
{
    ks_id ep = ks_cluster_find(k->sim, KS_KIND_ENDPOINTS, svc->meta.ns, svc->meta.name);
    const ks_object *eo = ks_cluster_object(k->sim, ep);
    size_t i, shown = 0;
    for (i = 0; eo && i < eo->u.ep.naddrs; i++)
        if (eo->u.ep.addrs[i].ready)
            ks_strbuf_printf(eps, "%s%s:%d", shown++ ? "," : "", eo->u.ep.addrs[i].ip,
                             eo->u.ep.addrs[i].port ? eo->u.ep.addrs[i].port : sp->port);
}

static void describe_service(ksi_describer *d, ks_id id)
{
    static const char *const types[] = {"ClusterIP", "NodePort", "LoadBalancer",
                                        "ExternalName"};
    ksi_kc *k = d->k;
    const ks_service *s = ks_cluster_service(k->sim, id);
    const ks_object *o = s ? s->obj : ks_cluster_object(k->sim, id);
    const ks_service_spec *spec = &o->u.svc;
    size_t i, j;
    ksi_dw(d, 0, "Name:\t%s\n", o->meta.name);
    ksi_dw(d, 0, "Namespace:\t%s\n", o->meta.ns);
    ksi_dw_kvs(d, "Labels", &o->meta.labels, "=");
    ksi_dw_kvs(d, "Annotations", &o->meta.annotations, ": ");
    ksi_dw(d, 0, "Selector:\t%s\n", spec->selector.n ? ksi_kc_labels_text(k, &spec->selector)
                                                 : "<none>");
    ksi_dw(d, 0, "Type:\t%s\n", types[spec->type]);
    if (spec->type == KS_SVC_EXTERNALNAME) {
        ksi_dw(d, 0, "External Name:\t%s\n", spec->external_name ? spec->external_name : "");
    } else {
        ksi_dw(d, 0, "IP Family Policy:\tSingleStack\nIP Families:\tIPv4\n");
        ksi_dw(d, 0, "IP:\t%s\nIPs:\t%s\n", s ? s->cluster_ip : "", s ? s->cluster_ip : "");
    }
    if (s && spec->type == KS_SVC_LOADBALANCER && s->external_ip[0])
        ksi_dw(d, 0, "LoadBalancer Ingress:\t%s\n", s->external_ip);
    for (i = 0; i < spec->nports; i++) {
        const ks_service_port *sp = &spec->ports[i];
        const char *proto = sp->protocol ? sp->protocol : "TCP";
        ks_strbuf eps;
        size_t shown = 0;
        ksi_dw(d, 0, "Port:\t%s\t%d/%s\n", sp->name ? sp->name : "<unset>", sp->port, proto);
        ksi_dw(d, 0, "TargetPort:\t%s/%s\n", intstr_text(k, &sp->target_port,
                                                     ksi_kc_fmt(k, "%d", sp->port)), proto);
        if (s && s->node_port[i] && spec->type != KS_SVC_CLUSTERIP)
            ksi_dw(d, 0, "NodePort:\t%s\t%d/%s\n", sp->name ? sp->name : "<unset>", s->node_port[i],
              proto);
        ks_strbuf_init(&eps, ks_sim_allocator(k->sim));
        if (!spec->selector.n)
            manual_endpoints(k, o, sp, &eps);
        for (j = 0; s && j < s->nready; j++) {
            const ks_pod *p = ks_cluster_pod(k->sim, s->ready[j]);
            if (p && ks_service_serves(s, j, i))
                ks_strbuf_printf(&eps, "%s%s:%d", shown++ ? "," : "", p->ip,
                                 ks_service_target_port(sp, p));
        }
        ksi_dw(d, 0, "Endpoints:\t%s\n", ks_strbuf_str(&eps));
        ks_strbuf_fini(&eps);
    }
    ksi_dw(d, 0, "Session Affinity:\t%s\n", spec->affinity_client_ip ? "ClientIP" : "None");
    if (spec->type == KS_SVC_NODEPORT || spec->type == KS_SVC_LOADBALANCER)
        ksi_dw(d, 0, "External Traffic Policy:\tCluster\n");
    ksi_dw(d, 0, "Internal Traffic Policy:\tCluster\n");
    ksi_dw_events(d, id);
}

/* "100m (5%)": a quantity and its share of the allocatable, as
 * describeNodeResource prints them (kubectl pkg/describe/describe.go). */
static const char *share(ksi_kc *k, int64_t v, int64_t of, bool cpu)
{
    return ksi_kc_fmt(k, "%s (%lld%%)", cpu ? cpu_text(k, v) : mem_text(k, v),
                      (long long)(of ? v * 100 / of : 0));
}

static int64_t pod_limit(const ks_pod *p, bool cpu)
{
    int64_t sum = 0;
    size_t i;
    for (i = 0; i < p->spec->ncontainers; i++)
        sum += cpu ? p->spec->containers[i].cpu_limit : p->spec->containers[i].mem_limit;
    return sum;
}

static void node_conditions(ksi_describer *d, const ks_node *n)
{
    ksi_dw(d, 0, "Conditions:\n  Type\tStatus\tReason\tMessage\n");
    ksi_dw(d, 1, "----\t------\t------\t-------\n");
    /* the kubelet's node conditions (pkg/kubelet/nodestatus/setters.go) */
    if (!n->ready) {
        ksi_dw(d, 1, "MemoryPressure \tUnknown \tNodeStatusUnknown \tKubelet stopped posting "
                     "node status.\n");
        ksi_dw(d, 1, "Ready \tUnknown \tNodeStatusUnknown \tKubelet stopped posting node "
                     "status.\n");
        return;
    }
    if (n->memory_pressure)
        ksi_dw(d, 1, "MemoryPressure \tTrue \tKubeletHasInsufficientMemory \tkubelet has "
                     "insufficient memory available\n");
    else
        ksi_dw(d, 1, "MemoryPressure \tFalse \tKubeletHasSufficientMemory \tkubelet has "
                     "sufficient memory available\n");
    ksi_dw(d, 1, "Ready \tTrue \tKubeletReady \tkubelet is posting ready status\n");
}

static void describe_node(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_node *n = ks_cluster_node(k->sim, id);
    ks_id *pods;
    size_t np, i, count = 0;
    int64_t cpu_lim = 0, mem_lim = 0;
    bool all = k->all_ns;
    ksi_dw(d, 0, "Name:\t%s\n", n->name);
    ksi_dw_kvs(d, "Labels", &n->labels, "=");
    ksi_dw(d, 0, "CreationTimestamp:\t%s\n", ksi_kc_rfc1123z(k, n->created));
    ksi_dw(d, 0, "Taints:\t%s\n", n->memory_pressure
                                      ? "node.kubernetes.io/memory-pressure:NoSchedule" : "<none>");
    ksi_dw(d, 0, "Unschedulable:\t%s\n", n->unschedulable ? "true" : "false");
    node_conditions(d, n);
    ksi_dw(d, 0, "Addresses:\n  InternalIP:\t%s\n  Hostname:\t%s\n", ksi_kc_node_ip(k, id),
           n->name);
    ksi_dw(d, 0, "Allocatable:\n  cpu:\t%s\n  memory:\t%s\n  pods:\t%lld\n",
           cpu_text(k, n->cpu), mem_text(k, n->memory), (long long)n->max_pods);
    k->all_ns = true;
    np = ksi_kc_select(k, KS_KIND_POD, NULL, &pods);
    k->all_ns = all;
    for (i = 0; i < np; i++) {
        const ks_pod *p = ks_cluster_pod(k->sim, pods[i]);
        /* non-terminated: on this node, and not Succeeded or Failed */
        if (p->node != id || p->terminating || strcmp(p->phase, "Succeeded") == 0
            || strcmp(p->phase, "Failed") == 0)
            pods[i] = 0;
        else
            count++;
    }
    ksi_dw(d, 0, "Non-terminated Pods:\t(%zu in total)\n", count);
    ksi_dw(d, 1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\t"
                 "Memory Limits\tAge\n");
    ksi_dw(d, 1, "---------\t----\t\t------------\t----------\t---------------\t"
                 "-------------\t---\n");
    for (i = 0; i < np; i++) {
        const ks_pod *p = pods[i] ? ks_cluster_pod(k->sim, pods[i]) : NULL;
        if (!p)
            continue;
        cpu_lim += pod_limit(p, true);
        mem_lim += pod_limit(p, false);
        ksi_dw(d, 1, "%s\t%s\t\t%s\t%s\t%s\t%s\t%s\n", p->ns, p->name,
               share(k, p->cpu, n->cpu, true), share(k, pod_limit(p, true), n->cpu, true),
               share(k, p->memory, n->memory, false),
               share(k, pod_limit(p, false), n->memory, false), ksi_kc_age(k, p->created));
    }
    ksi_dw(d, 0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., "
                 "overcommitted.)\n");
    ksi_dw(d, 1, "Resource\tRequests\tLimits\n");
    ksi_dw(d, 1, "--------\t--------\t------\n");
    ksi_dw(d, 1, "cpu\t%s\t%s\n", share(k, n->cpu_used, n->cpu, true),
           share(k, cpu_lim, n->cpu, true));
    ksi_dw(d, 1, "memory\t%s\t%s\n", share(k, n->memory_used, n->memory, false),
           share(k, mem_lim, n->memory, false));
    ksi_dw_events(d, id);
}

static void describe_pvc(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_object *o = ks_cluster_object(k->sim, id);
    const ks_pvc *c = ks_cluster_pvc(k->sim, id);
    const ks_pv *pv = c ? ks_cluster_pv(k->sim, c->pv) : NULL;
    ks_strbuf users;
    ks_id *pods;
    size_t np, i, v;
    char modes[32] = "";
    ksi_dw(d, 0, "Name:\t%s\n", o->meta.name);
    ksi_dw(d, 0, "Namespace:\t%s\n", o->meta.ns);
    ksi_dw(d, 0, "StorageClass:\t%s\n", c && c->storage_class ? c->storage_class
                                   : o->u.pvc.storage_class ? o->u.pvc.storage_class : "");
    ksi_dw(d, 0, "Status:\t%s\n", c && c->terminating ? "Terminating"
                             : c && c->phase ? c->phase : "Pending");
    ksi_dw(d, 0, "Volume:\t%s\n", pv ? pv->name : "");
    ksi_dw_kvs(d, "Labels", &o->meta.labels, "=");
    ksi_dw_kvs(d, "Annotations", &o->meta.annotations, ": ");
    ksi_dw(d, 0, "Finalizers:\t[kubernetes.io/pvc-protection]\n");
    if (pv)
        ks_access_modes_format(pv->access, modes, sizeof modes);
    ksi_dw(d, 0, "Capacity:\t%s\n", pv ? mem_text(k, pv->capacity) : "");
    ksi_dw(d, 0, "Access Modes:\t%s\n", modes);
    ksi_dw(d, 0, "VolumeMode:\tFilesystem\n");
    ks_strbuf_init(&users, ks_sim_allocator(k->sim));
    np = ksi_kc_select(k, KS_KIND_POD, NULL, &pods);
    for (i = 0; i < np; i++) {
        const ks_pod *p = ks_cluster_pod(k->sim, pods[i]);
        for (v = 0; p->spec && v < p->spec->nvolumes; v++)
            if (p->spec->volumes[v].type == KS_VOL_PVC && p->spec->volumes[v].source
                && strcmp(p->spec->volumes[v].source, o->meta.name) == 0) {
                ks_strbuf_printf(&users, "%s%s", users.len ? "\n\t" : "", p->name);
                break;
            }
    }
    ksi_dw(d, 0, "Used By:\t%s\n", users.len ? ks_strbuf_str(&users) : "<none>");
    ks_strbuf_fini(&users);
    ksi_dw_events(d, id);
}

/* The kinds kubesim describes. */
static void (*const describers[KS_KIND_COUNT])(ksi_describer *d, ks_id id) = {
    [KS_KIND_POD] = describe_pod,         [KS_KIND_DEPLOYMENT] = describe_deployment,
    [KS_KIND_SERVICE] = describe_service, [KS_KIND_NODE] = describe_node,
    [KS_KIND_PVC] = describe_pvc,         [KS_KIND_JOB] = ksi_describe_job,
    [KS_KIND_CRONJOB] = ksi_describe_cronjob, [KS_KIND_HPA] = ksi_describe_hpa,
    [KS_KIND_STATEFULSET] = ksi_describe_statefulset,
    [KS_KIND_DAEMONSET] = ksi_describe_daemonset,
    [KS_KIND_NETPOL] = ksi_describe_netpol,
    [KS_KIND_SERVICEACCOUNT] = ksi_describe_serviceaccount,
};

int ksi_kc_describe(ksi_kc *k)
{
    const char *type, *name, *seltext = ksi_kc_flag(k, "selector");
    ks_selector sel;
    ks_id *ids;
    size_t n = 0, i, a, first = 0;
    int kind;
    ksi_describer d;
    bool slash;
    if (k->nargs == 0)
        return ksi_kc_error(k, "You must specify the type of resource to describe. Use "
                               "\"kubectl api-resources\" for a complete list of supported "
                               "resources.");
    if (seltext && !ksi_kc_selector(k, seltext, &sel))
        return 1;
    slash = ksi_kc_split_slash(k, k->args[0], &type, &name);
    if (!slash) {
        type = k->args[0];
        first = 1;
    }
    if ((kind = ksi_kc_resource(type)) == KSI_KC_NONE)
        return ksi_kc_error(k, "the server doesn't have a resource type \"%s\"", type);
    if (kind == KSI_KC_LEASES && !slash)
        return ksi_kc_dry(k) ? 0 : ksi_kc_describe_leases(k, k->args + 1, k->nargs - 1);
    if (kind == KSI_KC_LEASES && k->nargs == 1)
        return ksi_kc_dry(k) ? 0 : ksi_kc_describe_leases(k, &name, 1);
    if (kind >= KS_KIND_COUNT || !describers[kind])
        return ksi_kc_error(k, "kubesim describes pods, deployments, jobs, cronjobs, "
                               "horizontalpodautoscalers, networkpolicies, services, "
                               "serviceaccounts, nodes and persistentvolumeclaims; try kubectl "
                               "get %s", type);
    if (slash || k->nargs > first) {
        ks_id *all;
        size_t nall = ksi_kc_dry(k) ? 0 : ksi_kc_select(k, kind, NULL, &all);
        ids = ks_arena_alloc(k->tmp, (nall + k->nargs + 1) * sizeof *ids);
        if (!ids)
            return ksi_kc_error(k, "out of memory");
        for (a = slash ? 0 : 1; a < k->nargs; a++) {
            size_t before = n;
            if (slash && a > 0 && !ksi_kc_split_slash(k, k->args[a], &type, &name))
                return ksi_kc_error(k, "there is no need to specify a resource type as a "
                                       "separate argument when passing arguments in "
                                       "resource/name form");
            if (!slash)
                name = k->args[a];
            else if (ksi_kc_resource(type) != kind)
                return ksi_kc_error(k, "kubesim describes one type per command");
            if (ksi_kc_dry(k))
                continue;
            if ((ids[n] = ksi_kc_find(k, kind, name)) != 0) {
                n++;
                continue;
            }
            for (i = 0; i < nall; i++)        /* kubectl falls back to a name prefix */
                if (strncmp(ksi_kc_obj_name(k->sim, all[i]), name, strlen(name)) == 0)
                    ids[n++] = all[i];
            if (n == before)
                ksi_kc_not_found(k, kind, name);
        }
    } else if (ksi_kc_dry(k)) {
        return 0;
    } else {
        n = ksi_kc_select(k, kind, seltext ? &sel : NULL, &ids);
        if (n == 0) {
            if (ksi_kc_namespaced(kind) && !k->all_ns)
                ksi_kc_line(k, "No resources found in %s namespace.", k->ns);
            else
                ksi_kc_line(k, "No resources found");
            return k->status;
        }
    }
    if (ksi_kc_dry(k))
        return k->status;
    memset(&d, 0, sizeof d);
    d.k = k;
    ks_strbuf_init(&d.sb, ks_sim_allocator(k->sim));
    for (i = 0; i < n; i++) {
        if (i)
            ks_strbuf_puts(k->out, "\n\n");
        describers[kind](&d, ids[i]);
        ksi_dw_flush(&d);
    }
    ks_strbuf_fini(&d.sb);
    return k->status;
}
