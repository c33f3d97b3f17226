/* ks_kubectl_describe_work.c -- `kubectl describe` of the workload kinds
 * kept as their manifest: Jobs, CronJobs (and, as they come, StatefulSets,
 * DaemonSets), in the words and order of kubectl's describers
 * (staging/src/k8s.io/kubectl/pkg/describe/describe.go: describeJob,
 * describeCronJob and describeJobTemplate, v1.30), and HorizontalPodAutoscalers
 * (describeHorizontalPodAutoscalerV2, printDirectionBehavior) and
 * NetworkPolicies (describeNetworkPolicy, describeNetworkPolicySpec,
 * printNetworkPolicySpecIngressFrom / EgressTo).
 */
#include <stdio.h>
#include <string.h>

#include "autoscale/ks_hpa.h"
#include "core/ks_time.h"
#include "cluster/ks_workloads.h"
#include "internal/describe.h"
#include "internal/print.h"
#include "load/ks_validate.h"

/* The pod template with the labels its pods really get. */
static void template_with(ksi_describer *d, const ks_pod_template *t, const ks_kvs *labels)
{
    ks_pod_template copy = *t;
    copy.labels = *labels;
    ksi_dw_template(d, &copy);
}

static void controlled_by(ksi_describer *d, ks_id id)
{
    ks_id owner = ks_cluster_owner(d->k->sim, id);
    if (ks_cluster_kind(d->k->sim, owner) != KS_KIND_COUNT)
        ksi_dw(d, 0, "Controlled By:\t%s/%s\n", ks_kind_name(ks_cluster_kind(d->k->sim, owner)),
               ksi_kc_obj_name(d->k->sim, owner));
}

void ksi_describe_job(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_job *j = ks_cluster_job(k->sim, id);
    const ks_job_spec *spec;
    char dur[32];
    if (!j)
        return;
    spec = j->spec;
    ksi_dw(d, 0, "Name:\t%s\n", j->name);
    ksi_dw(d, 0, "Namespace:\t%s\n", j->ns);
    ksi_dw(d, 0, "Selector:\tbatch.kubernetes.io/controller-uid=%s\n", j->uid);
    /* with no labels of its own, a Job has its pods' (SetDefaults_Job) */
    ksi_dw_kvs(d, "Labels", j->obj->meta.labels.n ? &j->obj->meta.labels : &j->labels, "=");
    ksi_dw_kvs(d, "Annotations", &j->obj->meta.annotations, ": ");
    controlled_by(d, id);
    ksi_dw(d, 0, "Parallelism:\t%lld\n", (long long)spec->parallelism);
    if (spec->completions >= 0)
        ksi_dw(d, 0, "Completions:\t%lld\n", (long long)spec->completions);
    else
        ksi_dw(d, 0, "Completions:\t<unset>\n");
    ksi_dw(d, 0, "Completion Mode:\tNonIndexed\n");
    ksi_dw(d, 0, "Suspend:\t%s\n", spec->suspend ? "true" : "false");
    ksi_dw(d, 0, "Backoff Limit:\t%lld\n", (long long)spec->backoff_limit);
    if (spec->ttl_after_finished >= 0)
        ksi_dw(d, 0, "TTL Seconds After Finished:\t%lld\n", (long long)spec->ttl_after_finished);
    if (j->start_time >= 0)
        ksi_dw(d, 0, "Start Time:\t%s\n", ksi_kc_rfc1123z(k, j->start_time));
    if (j->completion_time >= 0)
        ksi_dw(d, 0, "Completed At:\t%s\n", ksi_kc_rfc1123z(k, j->completion_time));
    if (j->start_time >= 0 && j->completion_time >= 0) {
        ks_age_format(j->completion_time - j->start_time, dur, sizeof dur);
        ksi_dw(d, 0, "Duration:\t%s\n", dur);
    }
    if (spec->active_deadline > 0)
        ksi_dw(d, 0, "Active Deadline Seconds:\t%llds\n", (long long)spec->active_deadline);
    ksi_dw(d, 0, "Pods Statuses:\t%lld Active (%lld Ready) / %lld Succeeded / %lld Failed\n",
           (long long)j->active, (long long)j->ready, (long long)j->succeeded,
           (long long)j->failed);
    template_with(d, &spec->tmpl, &j->labels);
    ksi_dw_events(d, id);
}

/* describeJobTemplate: a CronJob's job template, its unset fields as <unset>. */
static void job_template(ksi_describer *d, const ks_job_spec *j)
{
    ksi_dw(d, 0, "Selector:\t<unset>\n");
    if (j->parallelism_set)
        ksi_dw(d, 0, "Parallelism:\t%lld\n", (long long)j->parallelism);
    else
        ksi_dw(d, 0, "Parallelism:\t<unset>\n");
    if (j->completions_set)
        ksi_dw(d, 0, "Completions:\t%lld\n", (long long)j->completions);
    else
        ksi_dw(d, 0, "Completions:\t<unset>\n");
    if (j->active_deadline > 0)
        ksi_dw(d, 0, "Active Deadline Seconds:\t%llds\n", (long long)j->active_deadline);
    ksi_dw_template(d, &j->tmpl);
}

void ksi_describe_cronjob(ksi_describer *d, ks_id id)
{
    static const char *const policies[] = {"Allow", "Forbid", "Replace"};
    ksi_kc *k = d->k;
    const ks_cronjob *c = ks_cluster_cronjob(k->sim, id);
    const ks_cronjob_spec *spec;
    size_t i;
    if (!c)
        return;
    spec = c->spec;
    ksi_dw(d, 0, "Name:\t%s\n", c->name);
    ksi_dw(d, 0, "Namespace:\t%s\n", c->ns);
    ksi_dw_kvs(d, "Labels", &c->obj->meta.labels, "=");
    ksi_dw_kvs(d, "Annotations", &c->obj->meta.annotations, ": ");
    ksi_dw(d, 0, "Schedule:\t%s\n", spec->schedule);
    ksi_dw(d, 0, "Concurrency Policy:\t%s\n", policies[spec->concurrency]);
    ksi_dw(d, 0, "Suspend:\t%s\n", spec->suspend ? "True" : "False");
    ksi_dw(d, 0, "Successful Job History Limit:\t%lld\n", (long long)spec->successful_history);
    ksi_dw(d, 0, "Failed Job History Limit:\t%lld\n", (long long)spec->failed_history);
    if (spec->starting_deadline >= 0)
        ksi_dw(d, 0, "Starting Deadline Seconds:\t%llds\n", (long long)spec->starting_deadline);
    else
        ksi_dw(d, 0, "Starting Deadline Seconds:\t<unset>\n");
    job_template(d, &spec->job);
    if (c->last_schedule >= 0)
        ksi_dw(d, 0, "Last Schedule Time:\t%s\n", ksi_kc_rfc1123z(k, c->last_schedule));
    else
        ksi_dw(d, 0, "Last Schedule Time:\t<unset>\n");
    ksi_dw(d, 0, "Active Jobs:\t");
    for (i = 0; i < c->nactive; i++) {
        const ks_job *j = ks_cluster_job(k->sim, c->active[i]);
        ksi_dw(d, 0, "%s%s", i ? ", " : "", j ? j->name : "");
    }
    ksi_dw(d, 0, "%s\n", c->nactive ? "" : "<none>");
    ksi_dw_events(d, id);
}

/* printDirectionBehavior (kubectl pkg/describe/describe.go, the same from v0.30.0 to
 * its 2026 head: "- Type: %s\tValue: %d\tPeriod: %d seconds") */
static void behavior(ksi_describer *d, const char *direction, const ks_hpa_rules *r)
{
    static const char *const select[] = {"Max", "Min", "Disabled"};
    size_t i;
    ksi_dw(d, 1, "%s:\n", direction);
    if (r->window >= 0)
        ksi_dw(d, 2, "Stabilization Window: %d seconds\n", (int)r->window);
    if (r->npolicies) {
        ksi_dw(d, 2, "Select Policy: %s\n", select[r->select]);
        ksi_dw(d, 2, "Policies:\n");
        for (i = 0; i < r->npolicies; i++)
            ksi_dw(d, 3, "- Type: %s\tValue: %d\tPeriod: %d seconds\n",
                   r->policies[i].percent ? "Percent" : "Pods", (int)r->policies[i].value,
                   (int)r->policies[i].period);
    }
}

void ksi_describe_hpa(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_hpa *h = ks_cluster_hpa(k->sim, id);
    size_t i;
    int c;
    if (!h)
        return;
    ksi_dw(d, 0, "Name:\t%s\n", h->obj->meta.name);
    ksi_dw(d, 0, "Namespace:\t%s\n", h->obj->meta.ns);
    ksi_dw_kvs(d, "Labels", &h->obj->meta.labels, "=");
    ksi_dw_kvs(d, "Annotations", &h->obj->meta.annotations, ": ");
    ksi_dw(d, 0, "CreationTimestamp:\t%s\n", ksi_kc_rfc1123z(k, h->created));
    ksi_dw(d, 0, "Reference:\t%s/%s\n", h->spec->target_kind, h->spec->target_name);
    ksi_dw(d, 0, "Metrics:\t( current / target )\n");
    for (i = 0; i < h->spec->nmetrics; i++) {
        const ks_hpa_metric *m = &h->spec->metrics[i];
        const char *cur = ksi_hpa_current_text(k, h, i, true), *want = ksi_hpa_target_text(k, m);
        const char *per = m->value ? "(target value)" : "(target average value)";
        if (m->source == KS_HPA_PODS) {
            ksi_dw(d, 1, "\"%s\" on pods:\t%s / %s\n", m->resource, cur, want);
            continue;
        }
        if (m->source == KS_HPA_OBJECT) {
            ksi_dw(d, 1, "\"%s\" on %s/%s %s:\t%s / %s\n", m->resource, m->object_kind,
                   m->object_name, per, cur, want);
            continue;
        }
        if (m->source == KS_HPA_EXTERNAL) {
            ksi_dw(d, 1, "\"%s\" %s:\t%s / %s\n", m->resource, per, cur, want);
            continue;
        }
        if (m->source == KS_HPA_CONTAINER_RESOURCE)
            ksi_dw(d, 1, "resource %s of container \"%s\" on pods", m->resource, m->container);
        else
            ksi_dw(d, 1, "resource %s on pods", m->resource);
        if (m->utilization)
            ksi_dw(d, 1, "(as a percentage of request):\t%s / %s\n", ksi_hpa_current_text(k, h, i, true),
                   ksi_hpa_target_text(k, m));
        else
            ksi_dw(d, 0, ":\t%s / %s\n", ksi_hpa_current_text(k, h, i, true), ksi_hpa_target_text(k, m));
    }
    ksi_dw(d, 0, "Min replicas:\t%d\n", (int)h->spec->min_replicas);
    ksi_dw(d, 0, "Max replicas:\t%d\n", (int)h->spec->max_replicas);
    if (h->spec->has_behavior) {
        ksi_dw(d, 0, "Behavior:\n");
        behavior(d, "Scale Up", &h->spec->up);
        behavior(d, "Scale Down", &h->spec->down);
    }
    ksi_dw(d, 0, "%s pods:\t%d current / %d desired\n", h->spec->target_kind, (int)h->current,
           (int)h->desired);
    for (c = 0; c < KS_HPA_NCOND && !h->cond[c].set; c++)
        ;
    if (c < KS_HPA_NCOND) {
        ksi_dw(d, 0, "Conditions:\n");
        ksi_dw(d, 1, "Type\tStatus\tReason\tMessage\n");
        ksi_dw(d, 1, "----\t------\t------\t-------\n");
        for (c = 0; c < KS_HPA_NCOND; c++)
            if (h->cond[c].set)
                ksi_dw(d, 1, "%s\t%s\t%s\t%s\n", ks_hpa_condition_name(c),
                       h->cond[c].status ? "True" : "False", h->cond[c].reason,
                       h->cond[c].message);
    }
    ksi_dw_events(d, id);
}

/* describeVolumeClaimTemplates */
static void claim_templates(ksi_describer *d, const ks_statefulset_spec *spec)
{
    size_t i, j;
    if (!spec->nclaims) {
        ksi_dw(d, 0, "Volume Claims:\t<none>\n");
        return;
    }
    ksi_dw(d, 0, "Volume Claims:\n");
    for (i = 0; i < spec->nclaims; i++) {
        const ks_object *c = spec->claims[i];
        static const char *const modes[] = {"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
                                            "ReadWriteOncePod"};
        char cap[32];
        const ks_kvs *sets[2] = {&c->meta.labels, &c->meta.annotations};
        static const char *const titles[2] = {"Labels", "Annotations"};
        ksi_dw(d, 1, "Name:\t%s\n", c->meta.name);
        ksi_dw(d, 1, "StorageClass:\t%s\n", c->u.pvc.storage_class ? c->u.pvc.storage_class : "");
        for (j = 0; j < 2; j++) {
            size_t m;
            if (!sets[j]->n)
                ksi_dw(d, 1, "%s:\t<none>\n", titles[j]);
            for (m = 0; m < sets[j]->n; m++)
                ksi_dw(d, 1, "%s%s\t%s%s%s\n", m ? "" : titles[j], m ? "" : ":",
                       sets[j]->items[m].key, j ? ": " : "=", sets[j]->items[m].value);
        }
        ks_quantity_format_bytes(c->u.pvc.request, cap, sizeof cap);
        ksi_dw(d, 1, "Capacity:\t%s\n", cap);
        ksi_dw(d, 1, "Access Modes:\t[");
        for (j = 0; j < 4; j++)
            if (c->u.pvc.access & (1u << j))
                ksi_dw(d, 0, "%s%s", (c->u.pvc.access & ((1u << j) - 1)) ? " " : "", modes[j]);
        ksi_dw(d, 0, "]\n");
    }
}

/* The template as written: without the claims the reader added as volumes. */
static void template_without_claims(ksi_describer *d, const ks_pod_template *t)
{
    ks_pod_template copy = *t;
    ks_volume *v = ks_arena_alloc(d->k->tmp, (t->spec.nvolumes + 1) * sizeof *v);
    size_t i;
    if (!v)
        return;
    copy.spec.volumes = v;
    copy.spec.nvolumes = 0;
    for (i = 0; i < t->spec.nvolumes; i++)
        if (t->spec.volumes[i].type != KS_VOL_PVC || t->spec.volumes[i].source)
            v[copy.spec.nvolumes++] = t->spec.volumes[i];
    ksi_dw_template(d, &copy);
}

/* describeStatefulSet (v1.30). */
void ksi_describe_statefulset(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_statefulset *s = ks_cluster_statefulset(k->sim, id);
    int64_t running = 0, waiting = 0, succeeded = 0, failed = 0;
    ks_id pid = 0;
    if (!s)
        return;
    while ((pid = ks_cluster_next(k->sim, KS_KIND_POD, pid)) != 0) {  /* its selector's pods */
        const ks_pod *p = ks_cluster_pod(k->sim, pid);
        if (strcmp(p->ns, s->ns) != 0 || !ks_selector_matches(&s->spec->selector, &p->labels))
            continue;
        running += strcmp(p->phase, "Running") == 0;
        waiting += strcmp(p->phase, "Pending") == 0;
        succeeded += strcmp(p->phase, "Succeeded") == 0;
        failed += strcmp(p->phase, "Failed") == 0;
    }
    ksi_dw(d, 0, "Name:\t%s\n", s->name);
    ksi_dw(d, 0, "Namespace:\t%s\n", s->ns);
    ksi_dw(d, 0, "CreationTimestamp:\t%s\n", ksi_kc_rfc1123z(k, s->created));
    ksi_dw(d, 0, "Selector:\t%s\n", ksi_kc_selector_text(k, &s->spec->selector));
    ksi_dw_kvs(d, "Labels", &s->obj->meta.labels, "=");
    ksi_dw_kvs(d, "Annotations", &s->obj->meta.annotations, ": ");
    ksi_dw(d, 0, "Replicas:\t%lld desired | %lld total\n", (long long)s->spec->replicas,
           (long long)s->replicas);
    ksi_dw(d, 0, "Update Strategy:\t%s\n", s->spec->on_delete ? "OnDelete" : "RollingUpdate");
    if (!s->spec->on_delete)
        ksi_dw(d, 1, "Partition:\t%lld\n", (long long)s->spec->partition);
    ksi_dw(d, 0, "Pods Status:\t%lld Running / %lld Waiting / %lld Succeeded / %lld Failed\n",
           (long long)running, (long long)waiting, (long long)succeeded, (long long)failed);
    template_without_claims(d, &s->spec->tmpl);
    claim_templates(d, s->spec);
    ksi_dw_events(d, id);
}

/* describeDaemonSet (v1.30). */
void ksi_describe_daemonset(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_daemonset *ds = ks_cluster_daemonset(k->sim, id);
    int64_t running = 0, waiting = 0, succeeded = 0, failed = 0;
    ks_kv gen;
    ks_kvs ann;
    ks_id pid = 0;
    if (!ds)
        return;
    while ((pid = ks_cluster_next(k->sim, KS_KIND_POD, pid)) != 0) {
        const ks_pod *p = ks_cluster_pod(k->sim, pid);
        if (p->owner != id)
            continue;
        running += strcmp(p->phase, "Running") == 0;
        waiting += strcmp(p->phase, "Pending") == 0;
        succeeded += strcmp(p->phase, "Succeeded") == 0;
        failed += strcmp(p->phase, "Failed") == 0;
    }
    ksi_dw(d, 0, "Name:\t%s\n", ds->name);
    ksi_dw(d, 0, "Namespace:\t%s\n", ds->ns);
    ksi_dw(d, 0, "Selector:\t%s\n", ksi_kc_selector_text(k, &ds->spec->selector));
    ksi_dw(d, 0, "Node-Selector:\t%s\n",
           ksi_kc_labels_text(k, &ds->spec->tmpl.spec.node_selector));
    ksi_dw_kvs(d, "Labels", &ds->obj->meta.labels, "=");
    /* the API server's annotation of the template generation */
    gen.key = "deprecated.daemonset.template.generation";
    gen.value = ksi_kc_fmt(k, "%lld", (long long)ds->generation);
    ann.items = &gen;
    ann.n = 1;
    ksi_dw_kvs(d, "Annotations", ds->obj->meta.annotations.n ? &ds->obj->meta.annotations : &ann,
               ": ");
    ksi_dw(d, 0, "Desired Number of Nodes Scheduled: %lld\n", (long long)ds->desired);
    ksi_dw(d, 0, "Current Number of Nodes Scheduled: %lld\n", (long long)ds->current);
    ksi_dw(d, 0, "Number of Nodes Scheduled with Up-to-date Pods: %lld\n",
           (long long)ds->updated);
    ksi_dw(d, 0, "Number of Nodes Scheduled with Available Pods: %lld\n",
           (long long)ds->available);
    ksi_dw(d, 0, "Number of Nodes Misscheduled: %lld\n", (long long)ds->misscheduled);
    ksi_dw(d, 0, "Pods Status:\t%lld Running / %lld Waiting / %lld Succeeded / %lld Failed\n",
           (long long)running, (long long)waiting, (long long)succeeded, (long long)failed);
    ksi_dw_template(d, &ds->spec->tmpl);
    ksi_dw_events(d, id);
}

/* ---- NetworkPolicies ---- */
static void np_port(ksi_describer *d, const char *indent, const ks_netpol_port *p)
{
    if (p->any_port)
        ksi_dw(d, 0, "%sTo Port: <nil>/%s\n", indent, p->protocol);
    else if (p->port.is_str)
        ksi_dw(d, 0, "%sTo Port: %s/%s\n", indent, p->port.str, p->protocol);
    else if (p->end_port)
        ksi_dw(d, 0, "%sTo Port: %lld-%d/%s\n", indent, (long long)p->port.num, p->end_port,
               p->protocol);
    else
        ksi_dw(d, 0, "%sTo Port: %lld/%s\n", indent, (long long)p->port.num, p->protocol);
}

static void np_peer(ksi_describer *d, const char *indent, const char *word,
                    const ks_netpol_peer *p)
{
    ksi_kc *k = d->k;
    size_t i;
    ksi_dw(d, 0, "%s%s:\n", indent, word);
    if (p->has_pods && p->has_namespaces) {
        ksi_dw(d, 1, "%sNamespaceSelector: %s\n", indent,
               ksi_kc_selector_text(k, &p->namespaces));
        ksi_dw(d, 1, "%sPodSelector: %s\n", indent, ksi_kc_selector_text(k, &p->pods));
    } else if (p->has_pods) {
        ksi_dw(d, 1, "%sPodSelector: %s\n", indent, ksi_kc_selector_text(k, &p->pods));
    } else if (p->has_namespaces) {
        ksi_dw(d, 1, "%sNamespaceSelector: %s\n", indent,
               ksi_kc_selector_text(k, &p->namespaces));
    } else if (p->cidr) {
        const char *except = "";
        for (i = 0; i < p->nexcept; i++)
            except = ksi_kc_fmt(k, "%s%s%s", except, i ? ", " : "", p->except[i]);
        ksi_dw(d, 1, "%sIPBlock:\n", indent);
        ksi_dw(d, 2, "%sCIDR: %s\n", indent, p->cidr);
        ksi_dw(d, 2, "%sExcept: %s\n", indent, except);
    }
}

static void np_rules(ksi_describer *d, const ks_netpol_rule *rules, size_t n, bool egress)
{
    const char *indent = "    ", *word = egress ? "To" : "From";
    size_t i, j;
    if (n == 0) {
        ksi_dw(d, 0, "%s<none> (Selected pods are isolated for %s connectivity)\n", indent,
               egress ? "egress" : "ingress");
        return;
    }
    for (i = 0; i < n; i++) {
        if (rules[i].nports == 0)
            ksi_dw(d, 0, "%sTo Port: <any> (traffic allowed to all ports)\n", indent);
        for (j = 0; j < rules[i].nports; j++)
            np_port(d, indent, &rules[i].ports[j]);
        if (rules[i].npeers == 0)
            ksi_dw(d, 0, egress ? "%sTo: <any> (traffic not restricted by destination)\n"
                                : "%sFrom: <any> (traffic not restricted by source)\n", indent);
        for (j = 0; j < rules[i].npeers; j++)
            np_peer(d, indent, word, &rules[i].peers[j]);
        if (i + 1 != n)
            ksi_dw(d, 0, "%s----------\n", indent);
    }
}

void ksi_describe_netpol(ksi_describer *d, ks_id id)
{
    ksi_kc *k = d->k;
    const ks_object *o = ks_cluster_object(k->sim, id);
    const ks_netpol_spec *np;
    ks_civil c;
    char created[64];
    if (!o)
        return;
    np = &o->u.netpol;
    /* metav1.Time's String(): Go's "2006-01-02 15:04:05 -0700 MST" in UTC */
    ks_civil_from_unix(ks_cluster_clock(k->sim) + ks_cluster_created(k->sim, id) / KS_SEC, &c);
    snprintf(created, sizeof created, "%04lld-%02d-%02d %02d:%02d:%02d +0000 UTC",
             (long long)c.year, c.month, c.day, c.hour, c.minute, c.second);
    ksi_dw(d, 0, "Name:\t%s\n", o->meta.name);
    ksi_dw(d, 0, "Namespace:\t%s\n", o->meta.ns);
    ksi_dw(d, 0, "Created on:\t%s\n", created);
    ksi_dw_kvs(d, "Labels", &o->meta.labels, "=");
    ksi_dw_kvs(d, "Annotations", &o->meta.annotations, ": ");
    ksi_dw(d, 0, "Spec:\n");
    if (!np->pod_selector.match.n && !np->pod_selector.nexprs)
        ksi_dw(d, 1, "PodSelector:     <none> (Allowing the specific traffic to all pods in "
                     "this namespace)\n");
    else
        ksi_dw(d, 1, "PodSelector:     %s\n", ksi_kc_selector_text(k, &np->pod_selector));
    if (np->ingress) {
        ksi_dw(d, 1, "Allowing ingress traffic:\n");
        np_rules(d, np->in, np->nin, false);
    } else {
        ksi_dw(d, 1, "Not affecting ingress traffic\n");
    }
    if (np->egress) {
        ksi_dw(d, 1, "Allowing egress traffic:\n");
        np_rules(d, np->out, np->nout, true);
    } else {
        ksi_dw(d, 1, "Not affecting egress traffic\n");
    }
    ksi_dw(d, 1, "Policy Types: %s\n", np->ingress && np->egress ? "Ingress, Egress"
                                        : np->egress ? "Egress" : "Ingress");
}

/* kubectl's describeServiceAccount (pkg/describe/describe.go): name,
 * namespace, labels, annotations, the image pull secrets one a line under
 * one header ("<none>" when none; kubectl 1.24+ prints no Mountable secrets
 * or Tokens), then the events. */
void ksi_describe_serviceaccount(ksi_describer *d, ks_id id)
{
    const ks_object *o = ks_cluster_object(d->k->sim, id);
    size_t i;
    if (!o)
        return;
    ksi_dw(d, 0, "Name:\t%s\n", o->meta.name);
    ksi_dw(d, 0, "Namespace:\t%s\n", o->meta.ns);
    ksi_dw_kvs(d, "Labels", &o->meta.labels, "=");
    ksi_dw_kvs(d, "Annotations", &o->meta.annotations, ": ");
    if (!o->u.sa.npull)
        ksi_dw(d, 0, "Image pull secrets:\t<none>\n");
    for (i = 0; i < o->u.sa.npull; i++)
        ksi_dw(d, 0, "%s\t%s\n", i ? "                   " : "Image pull secrets:",
               o->u.sa.pull_secrets[i]);
    ksi_dw_events(d, id);
}
