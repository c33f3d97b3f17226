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

#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "cluster/ks_dns.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"
#include "net/ks_ingress.h"
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
    X(cronjob)        /* cluster/ks_cronjob.c: before job, same worker */              \
    X(job)            /* cluster/ks_job.c */                                           \
    X(ttlafterfinished) /* cluster/ks_ttl.c: finished Jobs with a TTL */               \
    X(gc)             /* cluster/ks_gc.c: what an object owned goes after it */     \
    X(eviction)       /* node/ks_eviction.c: the kubelet's eviction manager */     \
    X(metrics)        /* autoscale/ks_metrics.c: the metrics-server addon */     \
    X(hpa)            /* autoscale/ks_hpa.c: HorizontalPodAutoscalers */               \
    X(statefulset)    /* cluster/ks_statefulset.c */                                   \
    X(daemonset)      /* cluster/ks_daemonset.c */                                     \
    X(namespace)      /* cluster/ks_namespace.c: a deleted namespace's contents */ \
    X(serviceaccount) /* cluster/ks_serviceaccounts.c: each namespace's "default" */

#define DECLARE(name) int ksi_ctl_##name(ks_sim *sim);
CONTROLLERS(DECLARE)
#undef DECLARE

#define ENTRY(name) ksi_ctl_##name,
static int (*const controllers[])(ks_sim *sim) = {CONTROLLERS(ENTRY)};
#undef ENTRY

/* The ingress addon, as minikube installs it (trimmed to what is used):
 * the controller's requests are its manifest's, cpu 100m and memory 90Mi,
 * and its ServiceAccounts ingress-nginx (the controller's) and
 * ingress-nginx-admission (the webhook's Jobs', which kubesim does not run)
 * (minikube deploy/addons/ingress/ingress-deploy.yaml.tmpl), whose pod
 * template runs as serviceAccountName: ingress-nginx. Its nodeSelector
 * (kubernetes.io/os: linux, minikube.k8s.io/primary: "true") is left out:
 * kubesim's nodes do not carry minikube's labels. */
#define INGRESS_NGINX_IMAGE "registry.k8s.io/ingress-nginx/controller:" KS_INGRESS_NGINX_VERSION
static const char ingress_nginx_yaml[] =
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: ingress-nginx}\n---\n"
    "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ingress-nginx, namespace: "
    "ingress-nginx}\n---\n"
    "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ingress-nginx-admission, "
    "namespace: ingress-nginx}\n---\n"
    "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"
    "spec: {controller: k8s.io/ingress-nginx}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ingress-nginx-controller\n"
    "  namespace: ingress-nginx\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n"
    "      app.kubernetes.io/name: ingress-nginx\n  template:\n    metadata:\n      labels:\n"
    "        app.kubernetes.io/name: ingress-nginx\n    spec:\n"
    "      serviceAccountName: ingress-nginx\n      containers:\n"
    "        - name: controller\n          image: " INGRESS_NGINX_IMAGE "\n"
    "          ports: [{containerPort: 80, name: http}, {containerPort: 443, name: https}]\n"
    "          resources: {requests: {cpu: 100m, memory: 90Mi}}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ingress-nginx-controller\n"
    "  namespace: ingress-nginx\nspec:\n  type: LoadBalancer\n  selector:\n"
    "    app.kubernetes.io/name: ingress-nginx\n  ports:\n"
    "    - {name: http, port: 80, targetPort: http}\n"
    "    - {name: https, port: 443, targetPort: https}\n";

/* The metrics-server addon, as minikube's deploy/addons/metrics-server
 * installs it (trimmed): its resources requests and --metric-resolution=60s
 * are minikube's (the upstream manifests scrape every 15 s), and so are its
 * ServiceAccount (metrics-server-rbac.yaml) and the pod template's
 * serviceAccountName: metrics-server (metrics-server-deployment.yaml.tmpl). */
#define METRICS_SERVER_IMAGE "registry.k8s.io/metrics-server/metrics-server:v0.7.2"
static const char metrics_server_yaml[] =
    "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: metrics-server\n"
    "  namespace: kube-system\n  labels: {k8s-app: metrics-server}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: metrics-server\n"
    "  namespace: kube-system\n  labels: {k8s-app: metrics-server}\nspec:\n"
    "  selector:\n    matchLabels: {k8s-app: metrics-server}\n  template:\n"
    "    metadata:\n      name: metrics-server\n      labels: {k8s-app: metrics-server}\n"
    "    spec:\n      serviceAccountName: metrics-server\n"
    "      containers:\n        - name: metrics-server\n"
    "          image: " METRICS_SERVER_IMAGE "\n"
    "          args: [--cert-dir=/tmp, --secure-port=4443, --kubelet-use-node-status-port,\n"
    "                 --metric-resolution=60s, --kubelet-insecure-tls]\n"
    "          ports: [{containerPort: 4443, name: https}]\n"
    "          resources: {requests: {cpu: 100m, memory: 200Mi}}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: metrics-server\n"
    "  namespace: kube-system\n  labels: {k8s-app: metrics-server}\nspec:\n"
    "  selector: {k8s-app: metrics-server}\n"
    "  ports: [{name: https, port: 443, targetPort: https}]\n";

/* The cluster's DNS, as minikube deploys it: its own copy of kubeadm's
 * CoreDNS addon ("minikube-specific CoreDNS manifests based on the default
 * kubeadm's embedded ones", minikube's dns package, DeployCoreDNS; kubeadm's:
 * cmd/kubeadm/app/phases/addons/dns/manifests.go): the ConfigMap coredns,
 * whose Corefile adds `log` and a hosts block naming the host
 * (host.minikube.internal, 192.168.49.1 under the docker driver) to
 * kubeadm's; the Deployment coredns with 1 replica (kubeadm's has 2;
 * minikube's node/start.go also scales it to 1 unless the cluster has
 * several control planes); the Service kube-dns at 10.96.0.10, the tenth
 * address of 10.96.0.0/12 (kubeadm's GetDNSIP). Its ServiceAccount coredns
 * is ks_serviceaccounts.c's. The image is kubeadm's for Kubernetes 1.30,
 * the version kubesim imitates (cmd/kubeadm/app/constants/constants.go
 * CoreDNSVersion v1.11.1), already on every node (minikube's preload).
 * The pod template is trimmed to what kubesim simulates: the probe ports
 * named as in kubeadm's (minikube's copy gives the numbers), no liveness
 * probe (the catalog's process listens on one port, the readiness probe's
 * 8181), no affinity, tolerations, nodeSelector kubernetes.io/os,
 * priorityClassName, securityContext or dnsPolicy: Default (kubesim reads
 * past them). */
#define COREDNS_IMAGE "registry.k8s.io/coredns/coredns:v1.11.1"
static const char coredns_yaml[] =
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\n"
    "data:\n  Corefile: |\n"
    "    .:53 {\n        log\n        errors\n        health {\n           lameduck 5s\n"
    "        }\n        ready\n        kubernetes cluster.local in-addr.arpa ip6.arpa {\n"
    "           pods insecure\n           fallthrough in-addr.arpa ip6.arpa\n"
    "           ttl 30\n        }\n        prometheus :9153\n        hosts {\n"
    "          192.168.49.1 host.minikube.internal\n          fallthrough\n        }\n"
    "        forward . /etc/resolv.conf {\n           max_concurrent 1000\n        }\n"
    "        cache 30\n        loop\n        reload\n        loadbalance\n    }\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: coredns\n"
    "  namespace: kube-system\n  labels: {k8s-app: kube-dns}\nspec:\n  replicas: 1\n"
    "  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxUnavailable: 1}\n"
    "  selector:\n    matchLabels: {k8s-app: kube-dns}\n  template:\n"
    "    metadata:\n      labels: {k8s-app: kube-dns}\n    spec:\n"
    "      serviceAccountName: coredns\n      containers:\n        - name: coredns\n"
    "          image: " COREDNS_IMAGE "\n          imagePullPolicy: IfNotPresent\n"
    "          resources:\n            limits: {memory: 170Mi}\n"
    "            requests: {cpu: 100m, memory: 70Mi}\n"
    "          args: [-conf, /etc/coredns/Corefile]\n"
    "          volumeMounts: [{name: config-volume, mountPath: /etc/coredns, readOnly: true}]\n"
    "          ports:\n            - {containerPort: 53, name: dns, protocol: UDP}\n"
    "            - {containerPort: 53, name: dns-tcp, protocol: TCP}\n"
    "            - {containerPort: 9153, name: metrics, protocol: TCP}\n"
    "            - {containerPort: 8080, name: liveness-probe, protocol: TCP}\n"
    "            - {containerPort: 8181, name: readiness-probe, protocol: TCP}\n"
    "          readinessProbe:\n"
    "            httpGet: {path: /ready, port: readiness-probe, scheme: HTTP}\n"
    "      volumes:\n        - name: config-volume\n"
    "          configMap:\n            name: coredns\n"
    "            items: [{key: Corefile, path: Corefile}]\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: kube-dns\n  namespace: kube-system\n"
    "  labels: {k8s-app: kube-dns, kubernetes.io/cluster-service: \"true\", "
    "kubernetes.io/name: CoreDNS}\n"
    "  annotations: {prometheus.io/port: \"9153\", prometheus.io/scrape: \"true\"}\n"
    "spec:\n  clusterIP: " KS_DNS_SERVER "\n  selector: {k8s-app: kube-dns}\n  ports:\n"
    "    - {name: dns, port: 53, protocol: UDP, targetPort: 53}\n"
    "    - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}\n"
    "    - {name: metrics, port: 9153, protocol: TCP, targetPort: 9153}\n";

/* The API server's own Service, default/kubernetes, and its Endpoints, as
 * the API server keeps them (pkg/controlplane/controller/kubernetesservice:
 * the first address of the service range, 10.96.0.1 under kubeadm's and
 * minikube's 10.96.0.0/12; port https 443 to the secure port, minikube's
 * 8443; labels component=apiserver, provider=kubernetes; no selector. Its
 * Endpoints are written by the endpoint reconciler, pkg/controlplane/
 * reconcilers/endpointsadapter.go: the API server's address, labelled
 * skip-mirror). minikube's API server listens on its node's address: the
 * first node's, 192.168.49.2. */
static const char kubernetes_service_yaml[] =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: kubernetes\n  namespace: default\n"
    "  labels: {component: apiserver, provider: kubernetes}\nspec:\n  type: ClusterIP\n"
    "  clusterIP: 10.96.0.1\n"
    "  ports: [{name: https, port: 443, protocol: TCP, targetPort: 8443}]\n---\n"
    "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: kubernetes\n  namespace: default\n"
    "  labels: {endpointslice.kubernetes.io/skip-mirror: \"true\"}\nsubsets:\n"
    "  - addresses: [{ip: 192.168.49.2}]\n"
    "    ports: [{name: https, port: 8443, protocol: TCP}]\n";

/* The API server's bootstrap controller puts default/kubernetes back: every
 * EndpointInterval, 10 s (pkg/controlplane/controller/kubernetesservice/
 * controller.go: wait.NonSlidingUntil(UpdateKubernetesService, c.EndpointInterval);
 * pkg/controlplane/reconcilers DefaultEndpointReconcilerInterval), it creates
 * the Service when missing (CreateOrUpdateMasterServiceIfNeeded) and
 * reconciles its Endpoints (ReconcileEndpoints). Its ticks count from the
 * API server's start, 0 s here: a learner's `kubectl delete svc kubernetes`
 * is undone at the next multiple of 10 s. */
#define KUBERNETES_SERVICE_INTERVAL (10 * KS_SEC)

static int install_addon(ks_sim *sim, const char *file, const char *yaml, size_t len,
                         const char *image);

static void kubernetes_service_sync(ks_sim *sim, void *subject, uint64_t arg)
{
    (void)subject;
    (void)arg;
    if (ks_cluster_find(sim, KS_KIND_SERVICE, "default", "kubernetes")
        && ks_cluster_find(sim, KS_KIND_ENDPOINTS, "default", "kubernetes"))
        return;                       /* a second deletion at the same tick */
    install_addon(sim, "kubernetes-service.yaml", kubernetes_service_yaml,
                  sizeof kubernetes_service_yaml - 1, NULL);
}

static void kubernetes_service_gone(ks_sim *sim, const ksi_change *ch, void *ud)
{
    const ks_object *o;
    ks_time next;
    (void)ud;
    if (ch->type != KS_DELETED)
        return;
    o = ch->kind == KS_KIND_SERVICE ? ((const ksi_service *)ch->obj)->pub.obj : ch->obj;
    if (!o || !o->meta.name || strcmp(o->meta.name, "kubernetes") != 0
        || strcmp(o->meta.ns ? o->meta.ns : "default", "default") != 0)
        return;
    next = (ks_now(sim) / KUBERNETES_SERVICE_INTERVAL + 1) * KUBERNETES_SERVICE_INTERVAL;
    ks_event_post(sim, next, KSI_PRIO_ENDPOINTS, kubernetes_service_sync, NULL, 0);
}

/* ingress-nginx's validating webhook (net/ks_ingress.c says what it refuses). */
static bool admit_ingress(ks_sim *sim, const ks_object *o, char *msg, size_t n, void *ud)
{
    ks_ingress_refusal r[16];
    size_t k = ks_ingress_refusals(NULL, o, r, 16);
    (void)ud;
    /* The addon's ValidatingWebhookConfiguration (cluster-scoped) outlives
     * the ingress-nginx namespace: once the namespace is deleted, the
     * webhook's Service is gone and, failurePolicy Fail, every Ingress is
     * refused (the API server's webhook dispatcher; kubesim has one Service
     * for the controller and its admission port, gone together). */
    if (o->kind == KS_KIND_INGRESS
        && !ks_cluster_find(sim, KS_KIND_SERVICE, "ingress-nginx", "ingress-nginx-controller")) {
        snprintf(msg, n, "Internal error occurred: failed calling webhook \"" KS_INGRESS_WEBHOOK
                 "\": failed to call webhook: Post \"https://ingress-nginx-controller-admission"
                 ".ingress-nginx.svc:443/networking/v1/ingresses?timeout=10s\": service "
                 "\"ingress-nginx-controller-admission\" not found");
        return false;
    }
    if (k) {
        ks_ingress_denial(r, k, msg, n);
        return false;
    }
    if (ks_ingress_ours(NULL, o)) {          /* checkOverlap, against the stored ones */
        ks_id id = 0;
        while ((id = ks_cluster_next(sim, KS_KIND_INGRESS, id)) != 0) {
            const ks_object *e = ks_cluster_object(sim, id);
            char text[300];
            ks_mark at;
            if (e && ks_ingress_overlap(o, e, text, sizeof text, &at)) {
                snprintf(msg, n, "admission webhook \"" KS_INGRESS_WEBHOOK "\" denied the "
                         "request: %s", text);
                return false;
            }
        }
    }
    return true;
}

/* Applies an addon's manifests; its image (NULL: none) is already on every
 * node. */
static int install_addon(ks_sim *sim, const char *file, const char *yaml, size_t len,
                         const char *image)
{
    ksi_cluster *c = sim->cluster;
    ks_diags *d = ks_mem_alloc(&sim->alloc, sizeof *d);
    ks_manifests m = {0};
    size_t i;
    int rc;
    if (!d)
        return KS_ENOMEM;
    ks_diags_init(d);
    rc = ks_manifest_load_text(c->arena, file, yaml, len, 1, 1, NULL, &m, d);
    ks_mem_free(&sim->alloc, d, sizeof *d);
    for (i = 0; image && i < c->nnodes; i++)
        ksi_node_add_image(sim, c->node_ids[i], image);
    for (i = 0; rc == KS_OK && i < m.n; i++) {
        ks_apply_result res;
        rc = ks_cluster_apply(sim, m.objs[i], &res, NULL);
    }
    return rc;
}

int ks_world_init(ks_sim *sim, const ks_world_config *cfg)
{
    size_t i;
    int rc = ksi_cluster_create(sim, cfg->catalog);
    if (rc == KS_OK && cfg->clock)
        sim->cluster->clock = cfg->clock;
    for (i = 0; rc == KS_OK && i < sizeof controllers / sizeof controllers[0]; i++)
        rc = controllers[i](sim);
    if (rc != KS_OK)
        return rc;
    if (cfg->nnodes == 0)
        ksi_node_add(sim, NULL);
    for (i = 0; i < cfg->nnodes; i++)
        ksi_node_add(sim, cfg->nodes[i]);
    sim->cluster->network_policy = cfg->network_policy;
    if (install_addon(sim, "kubernetes-service.yaml", kubernetes_service_yaml,
                      sizeof kubernetes_service_yaml - 1, NULL) != KS_OK)
        return ks_sim_status(sim) ? ks_sim_status(sim) : KS_EINTERNAL;
    if ((rc = ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_SERVICE)
                                        | KSI_KIND_BIT(KS_KIND_ENDPOINTS),
                               kubernetes_service_gone, NULL)) != KS_OK)
        return rc;
    if (install_addon(sim, "coredns.yaml", coredns_yaml, sizeof coredns_yaml - 1,
                      COREDNS_IMAGE) != KS_OK)
        return ks_sim_status(sim) ? ks_sim_status(sim) : KS_EINTERNAL;
    if (!cfg->no_ingress_controller) {
        if (install_addon(sim, "ingress-nginx.yaml", ingress_nginx_yaml,
                          sizeof ingress_nginx_yaml - 1, INGRESS_NGINX_IMAGE) != KS_OK)
            return ks_sim_status(sim) ? ks_sim_status(sim) : KS_EINTERNAL;
        sim->cluster->ingress_nginx = true;
        /* its admission webhook, as the addon's ValidatingWebhookConfiguration */
        if ((rc = ks_cluster_admission_add(sim, admit_ingress, NULL)) != KS_OK)
            return rc;
    }
    if (cfg->metrics_server) {
        if (install_addon(sim, "metrics-server.yaml", metrics_server_yaml,
                          sizeof metrics_server_yaml - 1, METRICS_SERVER_IMAGE) != KS_OK)
            return ks_sim_status(sim) ? ks_sim_status(sim) : KS_EINTERNAL;
        sim->cluster->metrics_api = true;    /* its APIService, v1beta1.metrics.k8s.io */
    }
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
