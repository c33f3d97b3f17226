/* ks_runner_why.c -- explanations for failed expectations: one line a
 * learner can act on, made of what the cluster shows (kubectl's STATUS, a
 * pod's pending reason, a container's last exit and log line, where data
 * lived and why it went). Pure reading; nothing changes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal/runner.h"
#include "world/ks_world.h"

void ksi_text_printf(ksi_text *t, const char *fmt, ...)
{
    va_list ap;
    int k;
    if (t->len + 1 >= t->n)
        return;
    va_start(ap, fmt);
    k = vsnprintf(t->buf + t->len, t->n - t->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        t->len += (size_t)k < t->n - t->len ? (size_t)k : t->n - t->len - 1;
}

void ksi_kvs_format(const ks_kvs *m, ksi_text *t)
{
    size_t i, shown = 0;
    for (i = 0; i < m->n; i++) {
        /* added by the ReplicaSet controller; nobody writes it by hand */
        if (strcmp(m->items[i].key, "pod-template-hash") == 0)
            continue;
        ksi_text_printf(t, "%s%s=%s", shown++ ? "," : "", m->items[i].key, m->items[i].value);
    }
    if (!shown)
        ksi_text_printf(t, "no labels");
}

/* Pods of the cluster's own add-ons, left out of "pods here" lists. */
static bool system_pod(const ks_pod *p)
{
    return ks_cluster_addon_namespace(p->ns);
}

/* The last line of a container's log (current run, else the previous). */
static const char *last_log_line(const ks_container_status *cs)
{
    const ks_log *l = cs->log && cs->log->count ? cs->log : cs->prev_log;
    if (!l || !l->count)
        return NULL;
    return l->line[(l->first + l->count - 1) % KS_LOG_LINES];
}

void ksi_why_pod(const ks_sim *sim, const ks_pod *p, ksi_text *t)
{
    const ks_node *n = ks_cluster_node(sim, p->node);
    size_t k;
    ksi_text_printf(t, "%s is %s", p->name, p->status ? p->status : "Unknown");
    if (p->terminating) {
        ksi_text_printf(t, " (it was deleted and is shutting down)");
        return;
    }
    if (!p->node) {
        if (p->pending_reason[0])
            ksi_text_printf(t, ": %s", p->pending_reason);
        else
            ksi_text_printf(t, ": not placed on a node yet");
        return;
    }
    if (n && n->down) {
        ksi_text_printf(t, ": its node %s is down", n->name);
        return;
    }
    for (k = 0; k < p->ncontainers + p->ninit; k++) {
        /* the init containers first: the app waits for them */
        size_t i = (k + p->ncontainers) % (p->ncontainers + p->ninit);
        const ks_container_status *cs = &p->containers[i];
        const char *line;
        if ((cs->ready && cs->state == KS_CS_RUNNING)
            || (i >= p->ncontainers && cs->state == KS_CS_TERMINATED && cs->exit_code == 0))
            continue;
        ksi_text_printf(t, ": %scontainer %s ", i >= p->ncontainers ? "init " : "",
                        cs->spec->name);
        if (cs->state == KS_CS_WAITING)
            ksi_text_printf(t, "is waiting (%s%s%s)", cs->reason ? cs->reason : "starting",
                            cs->message[0] ? ": " : "", cs->message);
        else if (cs->state == KS_CS_TERMINATED)
            ksi_text_printf(t, "has exited with code %d (%s)", cs->exit_code,
                            cs->reason ? cs->reason : "Error");
        else
            ksi_text_printf(t, "is running but not ready yet (starting, or its readiness "
                               "probe fails)");
        if (cs->restarts > 0 && cs->has_last)
            ksi_text_printf(t, "; it restarted %d time%s, last exit code %d (%s)",
                            cs->restarts, cs->restarts == 1 ? "" : "s", cs->last_exit_code,
                            cs->last_reason ? cs->last_reason : "Error");
        if ((line = last_log_line(cs)) != NULL)
            ksi_text_printf(t, "; its log ends: \"%s\"", line);
        return;
    }
    if (p->ready)
        ksi_text_printf(t, " and Ready");
}

void ksi_pods_here(const ks_sim *sim, ksi_text *t)
{
    /* pods with the same labels (a Deployment's replicas) are one entry */
    struct {
        char labels[160];
        const char *name;
        int n;
    } g[4];
    int ng = 0, i, hidden = 0;
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        char lab[160];
        ksi_text lt = {lab, sizeof lab, 0};
        if (system_pod(p))
            continue;
        lab[0] = '\0';
        ksi_kvs_format(&p->labels, &lt);
        for (i = 0; i < ng && strcmp(g[i].labels, lab) != 0; i++)
            ;
        if (i < ng) {
            g[i].n++;
        } else if (ng < 4) {
            memcpy(g[ng].labels, lab, sizeof lab);
            g[ng].name = p->name;
            g[ng++].n = 1;
        } else {
            hidden++;
        }
    }
    for (i = 0; i < ng; i++) {
        ksi_text_printf(t, "%s%s [%s]", i ? ", " : " (pods here: ", g[i].name, g[i].labels);
        if (g[i].n > 1)
            ksi_text_printf(t, " and %d more like it", g[i].n - 1);
    }
    if (hidden)
        ksi_text_printf(t, ", %d more", hidden);
    ksi_text_printf(t, "%s", ng ? ")" : " (there are no pods at all)");
}

void ksi_why_no_match(const ks_sim *sim, const char *selector, ksi_text *t)
{
    if (selector)
        ksi_text_printf(t, "no pod has label %s", selector);
    else
        ksi_text_printf(t, "no such pod");
    ksi_pods_here(sim, t);
}

void ksi_why_restarts(const ks_pod *p, ksi_text *t)
{
    const ks_container_status *worst = NULL;
    const char *line;
    size_t i;
    for (i = 0; i < p->ncontainers; i++)
        if (!worst || p->containers[i].restarts > worst->restarts)
            worst = &p->containers[i];
    if (!worst || !worst->restarts)
        return;
    ksi_text_printf(t, "; container %s", worst->spec->name);
    if (worst->has_last)
        ksi_text_printf(t, " last exited with code %d (%s)", worst->last_exit_code,
                        worst->last_reason ? worst->last_reason : "Error");
    else
        ksi_text_printf(t, " restarted");
    if ((line = last_log_line(worst)) != NULL)
        ksi_text_printf(t, "; its log ends: \"%s\"", line);
}

static const char *where(ks_data_kind k)
{
    switch (k) {
    case KS_DATA_LAYER:
        return "the container's writable layer";
    case KS_DATA_MEMORY:
        return "the process's memory";
    case KS_DATA_EMPTYDIR:
        return "an emptyDir volume";
    case KS_DATA_HOSTPATH:
        return "a hostPath directory";
    case KS_DATA_VOLUME:
        return "a PersistentVolume";
    }
    return "somewhere";
}

/* Whether directory dd belongs to a pod that matches sel (or to a pod that
 * is gone, whose labels can no longer be read), or is shared storage. */
static bool concerns(const ks_run *run, const ks_datadir *dd, const ks_scn_selector *sel)
{
    const ks_kvs *labels;
    if (!sel || !sel->text || dd->kind == KS_DATA_VOLUME || dd->kind == KS_DATA_HOSTPATH)
        return true;
    labels = ksi_run_pod_labels(run, dd->pod);
    return !labels || ks_selector_matches(&sel->sel, labels);
}

void ksi_why_records(const ks_run *run, const ks_scn_selector *sel, ksi_text *t)
{
    size_t i, n = ks_datadir_count(run->sim);
    int said = 0;
    for (i = 0; i < n && said < 2; i++) {
        const ks_datadir *dd = ks_datadir_get(run->sim, i);
        const ks_pod *p = ks_cluster_pod(run->sim, dd->pod);
        if (!concerns(run, dd, sel) || (dd->lost <= 0 && dd->unreliable <= 0))
            continue;
        if (dd->lost > 0)
            ksi_text_printf(t, "%s%lld record%s lost from %s%s%s: %s", said ? "; " : "",
                            (long long)dd->lost, dd->lost == 1 ? " was" : "s were",
                            where(dd->kind), p ? " of pod " : "", p ? p->name : "",
                            dd->lost_why ? dd->lost_why : "it is gone");
        else
            ksi_text_printf(t, "%s%lld record%s written while two database servers shared "
                               "one data directory, so they cannot be trusted",
                            said ? "; " : "", (long long)dd->unreliable,
                            dd->unreliable == 1 ? " was" : "s were");
        said++;
    }
    /* directories gone for a while are swept: what the trace said then */
    for (i = 0; !said && i < run->nlost; i++)
        ksi_text_printf(t, "%s%s", i ? "; " : "", run->lost[i]);
    if (!said && !run->nlost)
        ksi_text_printf(t, "no records were lost: fewer were written (does traffic reach "
                           "the app, and does the app reach this database?)");
}
