/* ks_serviceaccounts.c -- the serviceaccounts controller: every active
 * namespace has a ServiceAccount named "default"
 * (kube-controller-manager's pkg/controller/serviceaccount/
 * serviceaccounts_controller.go: DefaultServiceAccountsControllerOptions
 * ensures {Name: "default"}; a Namespace added or updated, or a
 * ServiceAccount deleted, queues its namespace; syncNamespace creates what
 * is missing, and nothing in a namespace that is not Active).
 *
 * The controller starts as the cluster does, before anything is applied,
 * with its informers' first list: every namespace there then (the four the
 * API server makes -- default, kube-node-lease, kube-public, kube-system,
 * which are not objects of kubesim's store and have keys of their own,
 * SYSTEM_KEY -- and the addons'), so a new cluster's namespaces have their
 * "default" ServiceAccount from 0 s, as a real one has when a course starts. */
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define DEFAULT_SA "default"
/* keys for the system namespaces, far above any object's id */
#define SYSTEM_KEY ((ks_id)0x7fff0000u)

typedef struct sa_controller {
    ksi_workqueue queue;
} sa_controller;

/* kube-system's ServiceAccounts of kube-controller-manager's controllers.
 * With --use-service-account-credentials (kubeadm, and so minikube, sets it:
 * cmd/kubeadm/app/phases/controlplane/manifests.go) each controller builds
 * its client as its own ServiceAccount, which the client builder creates in
 * kube-system when missing (the cmd/kube-controller-manager/app files:
 * ClientBuilder.ClientOrDie(logger, "deployment-controller") and so on;
 * staging/src/k8s.io/controller-manager/pkg/clientbuilder). These are the
 * controllers a v1.30 kubeadm cluster runs: the default set, no cloud
 * provider (no service-controller, route-controller), kubeadm's
 * bootstrapsigner and tokencleaner; their RBAC subjects are the same names
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/
 * controller-role-bindings.yaml). */
static const char *const controller_sas[] = {
    "attachdetach-controller", "bootstrap-signer", "certificate-controller",
    "clusterrole-aggregation-controller", "cronjob-controller", "daemon-set-controller",
    "deployment-controller", "disruption-controller", "endpoint-controller",
    "endpointslice-controller", "endpointslicemirroring-controller",
    "ephemeral-volume-controller", "expand-controller", "generic-garbage-collector",
    "horizontal-pod-autoscaler", "job-controller", "legacy-service-account-token-cleaner",
    "namespace-controller", "node-controller", "persistent-volume-binder",
    "pod-garbage-collector", "pv-protection-controller", "pvc-protection-controller",
    "replicaset-controller", "replication-controller", "resourcequota-controller",
    "root-ca-cert-publisher", "service-account-controller", "statefulset-controller",
    "token-cleaner", "ttl-after-finished-controller", "ttl-controller",
    "validatingadmissionpolicy-status-controller",
    /* and the addons kubeadm installs, whose pods kubesim does not run (it
       answers DNS and proxies Services itself): CoreDNS's and kube-proxy's
       (cmd/kubeadm/app/phases/addons/dns/manifests.go, serviceAccountName:
       coredns; addons/proxy/proxy.go, KubeProxyServiceAccountName), and
       minikube's storage-provisioner (deploy/addons/storage-provisioner/
       storage-provisioner.yaml.tmpl) */
    "coredns", "kube-proxy", "storage-provisioner",
};

/* A ServiceAccount as the controllers create it: a name and a namespace,
 * as DefaultServiceAccountsControllerOptions gives "default" and the
 * client builder the controllers' (no labels, no secrets). */
static void create_sa(ks_sim *sim, const char *ns, const char *name)
{
    ksi_cluster *c = sim->cluster;
    ks_object *o = ks_arena_alloc(c->arena, sizeof *o);
    const unsigned char *s;
    ks_id id;
    if (!o || !(ns = ks_arena_strdup(c->arena, ns))) {
        ks_sim_fail(sim, KS_ENOMEM);
        return;
    }
    memset(o, 0, sizeof *o);
    o->kind = KS_KIND_SERVICEACCOUNT;
    o->api_version = "v1";
    o->meta.name = name;
    o->meta.ns = ns;
    o->hash = 14695981039346656037ull;          /* FNV-1a of the namespace... */
    for (s = (const unsigned char *)ns; *s; s++)
        o->hash = (o->hash ^ *s) * 1099511628211ull;
    if (strcmp(name, DEFAULT_SA) != 0)          /* ...and of another name */
        for (s = (const unsigned char *)name; *s; s++)
            o->hash = (o->hash ^ *s) * 1099511628211ull;
    if (!(id = ksi_store_add(sim, KS_KIND_SERVICEACCOUNT, NULL, o)))
        return;
    ksi_store_added(sim, id);
}

static void sync_namespace(ks_sim *sim, void *ud, ks_id key)
{
    sa_controller *ctl = ud;
    const char *ns;
    if (key >= SYSTEM_KEY) {
        if (key - SYSTEM_KEY >= KS_CLUSTER_SYSTEM_NAMESPACES)
            return;
        ns = ks_cluster_system_namespaces[key - SYSTEM_KEY];
        if (!ks_cluster_namespace_exists(sim, ns)) {
            /* kube-node-lease, deleted: the API server makes it again at
               its system namespaces controller's next pass, each whole
               minute (ks_namespace.c), which the informer would tell */
            ksi_wq_add_after(sim, &ctl->queue, key,
                             (ks_now(sim) / KS_MIN + 1) * KS_MIN);
            return;
        }
    } else {
        const ks_object *o = ks_cluster_object(sim, key);
        if (!o || ks_cluster_kind(sim, key) != KS_KIND_NAMESPACE
            || ks_cluster_terminating(sim, key))
            return;                           /* gone, or not Active */
        ns = o->meta.name;
    }
    if (!ks_cluster_find(sim, KS_KIND_SERVICEACCOUNT, ns, DEFAULT_SA))
        create_sa(sim, ns, DEFAULT_SA);
}

/* The key of namespace ns: its object's id, or its system key (0: none). */
static ks_id key_of(const ks_sim *sim, const char *ns)
{
    size_t i;
    for (i = 0; ns && i < KS_CLUSTER_SYSTEM_NAMESPACES; i++)
        if (strcmp(ns, ks_cluster_system_namespaces[i]) == 0)
            return SYSTEM_KEY + (ks_id)i;
    return ns ? ks_cluster_find(sim, KS_KIND_NAMESPACE, NULL, ns) : 0;
}

static void on_change(ks_sim *sim, const ksi_change *ch, void *ud)
{
    sa_controller *ctl = ud;
    if (ch->kind == KS_KIND_NAMESPACE) {
        if (ch->type != KS_DELETED)           /* namespaceAdded, namespaceUpdated */
            ksi_wq_add(sim, &ctl->queue, ch->id);
    } else if (ch->type == KS_DELETED) {      /* serviceAccountDeleted */
        const char *ns, *name;
        ks_id key;
        ksi_store_name(sim, ch->id, &ns, &name);
        if ((key = key_of(sim, ns)) != 0)
            ksi_wq_add(sim, &ctl->queue, key);
    }
}

/* The first list (client-go's informer delivers an Add for each object it
 * lists when it starts). */
static void start(ks_sim *sim, void *subject, uint64_t arg)
{
    ks_id id = 0;
    size_t i;
    (void)arg;
    for (i = 0; i < KS_CLUSTER_SYSTEM_NAMESPACES; i++)
        sync_namespace(sim, subject, SYSTEM_KEY + (ks_id)i);
    /* kube-controller-manager starts with the cluster: its controllers'
       clients, created once (a deleted one comes back only when its
       controller next asks for a token, which kubesim does not do) */
    for (i = 0; i < sizeof controller_sas / sizeof controller_sas[0]; i++)
        if (!ks_cluster_find(sim, KS_KIND_SERVICEACCOUNT, "kube-system", controller_sas[i]))
            create_sa(sim, "kube-system", controller_sas[i]);
    while ((id = ks_cluster_next(sim, KS_KIND_NAMESPACE, id)) != 0)
        sync_namespace(sim, subject, id);
}

static void stop(ks_sim *sim, void *ud)
{
    ksi_wq_fini(sim, &((sa_controller *)ud)->queue);
}

int ksi_ctl_serviceaccount(ks_sim *sim)
{
    sa_controller *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl
        || ksi_wq_init(sim, &ctl->queue, KSI_PRIO_GC, KSI_WQ_OLDEST_OBJECT_FIRST,
                       sync_namespace, ctl)
        || ksi_informer_add(sim,
                            KSI_KIND_BIT(KS_KIND_NAMESPACE)
                                | KSI_KIND_BIT(KS_KIND_SERVICEACCOUNT),
                            on_change, ctl)
        || ksi_sim_add_part(sim, stop, ctl)
        || !ks_event_schedule(sim, 0, KS_PRIO_FIRST, start, ctl, 0))
        return KS_ENOMEM;
    return KS_OK;
}
