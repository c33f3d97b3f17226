/* ks_namespace.c -- the namespace controller: a deleted Namespace shows
 * Terminating while everything in it is deleted, then goes
 * (pkg/controller/namespace/deletion/namespaced_resources_deleter.go: the
 * namespace gets a deletionTimestamp, its phase is Terminating, the
 * controller deletes every namespaced object in it -- pods gracefully,
 * through the API like any client -- and removes the namespace's
 * finalizer once none is left).
 *
 * ks_cluster_delete marks the Namespace (ksi_ref.terminating, deleted_at)
 * and tells the store; this controller hears it, deletes the contents, and
 * looks again whenever an object of a terminating namespace goes.
 */
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

/* kube-apiserver makes kube-system, kube-public and kube-node-lease
 * (pkg/controlplane/controller/systemnamespaces) and default (the kubernetes
 * Service's controller); sorted by name. */
const char *const ks_cluster_system_namespaces[KS_CLUSTER_SYSTEM_NAMESPACES] = {
    "default", "kube-node-lease", "kube-public", "kube-system"};

const char *const ks_cluster_addon_namespaces[KS_CLUSTER_ADDON_NAMESPACES] = {
    "ingress-nginx", "kube-system"};

bool ks_cluster_addon_namespace(const char *ns)
{
    size_t i;
    for (i = 0; ns && i < KS_CLUSTER_ADDON_NAMESPACES; i++)
        if (strcmp(ns, ks_cluster_addon_namespaces[i]) == 0)
            return true;
    return false;
}

#define NODE_LEASE "kube-node-lease"

/* Whether ns is a system namespace that is there now. */
static bool system_namespace(const ks_sim *sim, const char *ns)
{
    size_t i;
    for (i = 0; ns && i < KS_CLUSTER_SYSTEM_NAMESPACES; i++)
        if (strcmp(ns, ks_cluster_system_namespaces[i]) == 0)
            return strcmp(ns, NODE_LEASE) != 0 || !sim->cluster->lease_ns_gone;
    return false;
}

bool ks_cluster_namespace_exists(const ks_sim *sim, const char *ns)
{
    return system_namespace(sim, ns)
           || (ns && ks_cluster_find(sim, KS_KIND_NAMESPACE, NULL, ns) != 0);
}

ks_time ks_cluster_namespace_created(const ks_sim *sim, const char *ns)
{
    if (!system_namespace(sim, ns))
        return -1;
    return strcmp(ns, NODE_LEASE) == 0 ? sim->cluster->lease_ns_created : 0;
}

/* The controller runs every minute from the API server's start
 * (NewController: interval := 1 * time.Minute; wait.UntilWithContext). */
#define SYSTEM_NAMESPACES_INTERVAL KS_MIN

static void lease_ns_again(ks_sim *sim, void *subject, uint64_t arg);

static int next_pass(ks_sim *sim)
{
    ks_time next = (ks_now(sim) / SYSTEM_NAMESPACES_INTERVAL + 1) * SYSTEM_NAMESPACES_INTERVAL;
    return ks_event_schedule(sim, next, KSI_PRIO_GC, lease_ns_again, NULL, 0) ? KS_OK
                                                                              : KS_ENOMEM;
}

/* The system namespaces controller's pass (createNamespaceIfNeeded):
 * kube-node-lease is made again, unless someone made it meanwhile (then
 * that Namespace is it, and a later pass looks again). */
static void lease_ns_again(ks_sim *sim, void *subject, uint64_t arg)
{
    (void)subject;
    (void)arg;
    if (ks_cluster_find(sim, KS_KIND_NAMESPACE, NULL, NODE_LEASE)) {
        next_pass(sim);
        return;
    }
    sim->cluster->lease_ns_gone = false;
    sim->cluster->lease_ns_created = ks_now(sim);
}

int ks_cluster_namespace_delete_system(ks_sim *sim, const char *ns)
{
    ksi_cluster *c = sim->cluster;
    int rc;
    size_t i;
    if (!ns || strcmp(ns, NODE_LEASE) != 0 || c->lease_ns_gone)
        return KS_EUNKNOWN;
    if ((rc = next_pass(sim)) != KS_OK)
        return rc;
    c->lease_ns_gone = true;
    /* what is in it goes with it (its "default" ServiceAccount, say), as
       the namespace controller empties a deleted namespace */
    for (i = 1; i < c->nrefs; i++) {
        const char *ons, *oname;
        if (c->refs[i].kind == KS_KIND_COUNT || !ks_kind_namespaced(c->refs[i].kind))
            continue;
        ksi_store_name(sim, (ks_id)i, &ons, &oname);
        if (ons && strcmp(ons, NODE_LEASE) == 0)
            ks_cluster_delete(sim, (ks_id)i, -1, false);
    }
    return KS_OK;
}

/* NamespaceLifecycle's Register: sets.NewString(metav1.NamespaceDefault,
 * metav1.NamespaceSystem, metav1.NamespacePublic); kube-node-lease may go
 * (the API server makes it again). */
bool ks_cluster_namespace_immortal(const char *ns)
{
    return ns && (strcmp(ns, "default") == 0 || strcmp(ns, "kube-system") == 0
                  || strcmp(ns, "kube-public") == 0);
}

/* NamespaceLifecycle on a create: the namespace must exist and not be
 * terminating ("unable to create new content in namespace %s because it is
 * being terminated", a Forbidden). */
int ksi_namespace_admit(ks_sim *sim, const ks_object *o, ks_error *err)
{
    ks_id ns;
    if (!ks_kind_namespaced(o->kind) || !o->meta.ns)
        return KS_OK;
    if (system_namespace(sim, o->meta.ns))
        return KS_OK;
    if (!(ns = ks_cluster_find(sim, KS_KIND_NAMESPACE, NULL, o->meta.ns)))
        return ks_error_set(err, KS_EUNKNOWN, o->mark, "namespaces \"%s\" not found",
                            o->meta.ns);
    if (ks_cluster_terminating(sim, ns))
        return ks_error_set(err, KS_EFORBIDDEN, o->mark,
                            "%s \"%s\" is forbidden: unable to create new content in "
                            "namespace %s because it is being terminated",
                            ks_kind_plural(o->kind), o->meta.name, o->meta.ns);
    return KS_OK;
}

typedef struct ns_controller {
    ksi_workqueue queue;
    size_t terminating;           /* namespaces being deleted, ever: 0 skips the scan */
} ns_controller;

/* The namespace's name (a Namespace object is its manifest). */
static const char *ns_name(const ks_sim *sim, ks_id id)
{
    const ks_object *o = ks_cluster_object(sim, id);
    return o ? o->meta.name : NULL;
}

static void sync_ns(ks_sim *sim, void *ud, ks_id id)
{
    ksi_cluster *c = sim->cluster;
    ksi_ref *r = ksi_store_ref(sim, id);
    const char *name = ns_name(sim, id);
    size_t i, left = 0;
    (void)ud;
    if (!r || !r->terminating || !name)
        return;
    /* O(objects) per look: fine below 100k objects, and only while a
       namespace is being deleted */
    for (i = 1; i < c->nrefs; i++) {
        const char *ons, *oname;
        const ksi_pod *p;
        if (c->refs[i].kind == KS_KIND_COUNT || c->refs[i].kind == KS_KIND_NAMESPACE
            || c->refs[i].kind == KS_KIND_NODE || c->refs[i].kind == KS_KIND_PV
            || c->refs[i].kind == KS_KIND_STORAGECLASS
            || c->refs[i].kind == KS_KIND_INGRESSCLASS)
            continue;
        ksi_store_name(sim, (ks_id)i, &ons, &oname);
        if (!ons || strcmp(ons, name) != 0)
            continue;
        left++;
        p = ksi_pod_get(sim, (ks_id)i);
        if (p && p->pub.terminating)
            continue;                   /* going already, in its grace period */
        ks_cluster_delete(sim, (ks_id)i, -1, false);
    }
    if (!left)
        ksi_store_remove(sim, id);      /* empty: the finalizer is removed */
}

/* A Namespace marked for deletion is emptied; when anything goes, a
 * terminating namespace it was in looks again (one handler: the store has
 * room for a few only). */
static void on_change(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ns_controller *ctl = ud;
    const char *ons, *oname;
    ks_id id = 0;
    if (ch->kind == KS_KIND_NAMESPACE) {
        const ksi_ref *r = ksi_store_ref(sim, ch->id);
        if (ch->type == KS_UPDATED && r && r->terminating) {
            ctl->terminating++;
            ksi_wq_add(sim, &ctl->queue, ch->id);
        }
        return;
    }
    if (ch->type != KS_DELETED || !ctl->terminating)
        return;
    ksi_store_name(sim, ch->id, &ons, &oname);
    while ((id = ks_cluster_next(sim, KS_KIND_NAMESPACE, id)) != 0) {
        const char *name = ns_name(sim, id);
        if (ks_cluster_terminating(sim, id) && name && ons && strcmp(name, ons) == 0)
            ksi_wq_add(sim, &ctl->queue, id);
    }
}

static void stop(ks_sim *sim, void *ud)
{
    ksi_wq_fini(sim, &((ns_controller *)ud)->queue);
}

int ksi_ctl_namespace(ks_sim *sim)
{
    ns_controller *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl
        || ksi_wq_init(sim, &ctl->queue, KSI_PRIO_GC, KSI_WQ_OLDEST_OBJECT_FIRST, sync_ns, ctl)
        || ksi_informer_add(sim, ~0u, on_change, ctl) || ksi_sim_add_part(sim, stop, ctl))
        return KS_ENOMEM;
    return KS_OK;
}
