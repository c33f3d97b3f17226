/* ks_world.c -- the world assembled: the controllers, in the one order in
 * which they hear about change, and the cluster a course starts from.
 *
 * CONTROLLERS is the registry. Each entry names a function
 * `int ksi_ctl_<name>(ks_sim *)` defined in that controller's own file; it
 * makes the controller's state and registers its informers (handlers) and
 * work queues. Handlers of one change run in this order, so it is part of
 * what makes a run deterministic: keep it fixed, add new controllers at the
 * end unless they must hear something before an existing one (the kubelet
 * stops a pod's processes before the data layer drops its emptyDirs).
 * Adding a controller: one file, one line here (docs/architecture.md).
 */
#include "ks_world.h"

#include <string.h>

#include "cluster/internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"
#include "node/internal/kubelet.h"

#define CONTROLLERS(X)                                                                  \
    X(deployment)     /* cluster/ks_deployment.c: before replicaset, same worker */    \
    X(replicaset)     /* cluster/ks_replicaset.c */                                    \
    X(scheduler)      /* cluster/ks_sched.c */                                         \
    X(binder)         /* cluster/ks_binder.c: PersistentVolume controller */           \
    X(endpoints)      /* cluster/ks_endpoints.c */                                     \
    X(dns)            /* cluster/ks_dns.c: CoreDNS's records */                        \
    X(service)        /* cluster/ks_services.c: load balancers */                      \
    X(nodelifecycle)  /* cluster/ks_nodes.c */                                         \
    X(kubelet)        /* node/ks_kubelet.c */                                          \
    X(data)           /* storage/ks_data.c: after the kubelet */                       \
    X(net)            /* net/ks_net.c: DNS, the ingress controller's routes */   \
    X(job)            /* cluster/ks_job.c */                                           \
    X(ttlafterfinished) /* cluster/ks_ttl.c: finished Jobs with a TTL */               \
    X(gc)             /* cluster/ks_gc.c: what an object owned goes after it */     \
    X(eviction)       /* node/ks_eviction.c: the kubelet's eviction manager */

#define DECLARE(name) int ksi_ctl_##name(ks_sim *sim);
CONTROLLERS(DECLARE)
#undef DECLARE

#define ENTRY(name) ksi_ctl_##name,
static int (*const controllers[])(ks_sim *sim) = {CONTROLLERS(ENTRY)};
#undef ENTRY

/* The ingress addon, as minikube installs it (trimmed to what is used). */
#define INGRESS_NGINX_IMAGE "registry.k8s.io/ingress-nginx/controller:v1.10.1"
static const char ingress_nginx_yaml[] =
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: ingress-nginx}\n---\n"
    "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"
    "spec: {controller: k8s.io/ingress-nginx}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ingress-nginx-controller\n"
    "  namespace: ingress-nginx\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n"
    "      app.kubernetes.io/name: ingress-nginx\n  template:\n    metadata:\n      labels:\n"
    "        app.kubernetes.io/name: ingress-nginx\n    spec:\n      containers:\n"
    "        - name: controller\n          image: " INGRESS_NGINX_IMAGE "\n"
    "          ports: [{containerPort: 80, name: http}, {containerPort: 443, name: https}]\n"
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ingress-nginx-controller\n"
    "  namespace: ingress-nginx\nspec:\n  type: LoadBalancer\n  selector:\n"
    "    app.kubernetes.io/name: ingress-nginx\n  ports:\n"
    "    - {name: http, port: 80, targetPort: http}\n"
    "    - {name: https, port: 443, targetPort: https}\n";

static int install_ingress_nginx(ks_sim *sim)
{
    ksi_cluster *c = sim->cluster;
    ks_diags *d = ks_mem_alloc(&sim->alloc, sizeof *d);
    ks_manifests m = {0};
    size_t i;
    int rc;
    if (!d)
        return KS_ENOMEM;
    ks_diags_init(d);
    rc = ks_manifest_load_text(c->arena, "ingress-nginx.yaml", ingress_nginx_yaml,
                               sizeof ingress_nginx_yaml - 1, 1, 1, NULL, &m, d);
    ks_mem_free(&sim->alloc, d, sizeof *d);
    for (i = 0; i < c->nnodes; i++)          /* the addon is already running */
        ksi_node_add_image(sim, c->node_ids[i], INGRESS_NGINX_IMAGE);
    for (i = 0; rc == KS_OK && i < m.n; i++) {
        ks_apply_result res;
        rc = ks_cluster_apply(sim, m.objs[i], &res, NULL);
    }
    c->ingress_nginx = rc == KS_OK;
    return rc;
}

int ks_world_init(ks_sim *sim, const ks_world_config *cfg)
{
    size_t i;
    int rc = ksi_cluster_create(sim, cfg->catalog);
    for (i = 0; rc == KS_OK && i < sizeof controllers / sizeof controllers[0]; i++)
        rc = controllers[i](sim);
    if (rc != KS_OK)
        return rc;
    if (cfg->nnodes == 0)
        ksi_node_add(sim, NULL);
    for (i = 0; i < cfg->nnodes; i++)
        ksi_node_add(sim, cfg->nodes[i]);
    if (!cfg->no_ingress_controller && install_ingress_nginx(sim) != KS_OK)
        return ks_sim_status(sim) ? ks_sim_status(sim) : KS_EINTERNAL;
    return ks_sim_status(sim);
}

int ks_world_node_action(ks_sim *sim, ks_id node, ks_node_action action)
{
    switch (action) {
    case KS_NODE_FAIL:
        return ks_node_fail(sim, node);
    case KS_NODE_RECOVER:
        return ks_node_recover(sim, node);
    case KS_NODE_CORDON:
        return ks_cluster_cordon(sim, node, true);
    case KS_NODE_UNCORDON:
        return ks_cluster_cordon(sim, node, false);
    case KS_NODE_DRAIN:
        return ks_cluster_drain(sim, node);
    }
    return KS_EINVAL;
}
