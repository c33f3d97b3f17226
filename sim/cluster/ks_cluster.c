/* ks_cluster.c -- the cluster's life (init, fini) and the changes a client
 * of the API server makes: apply, delete, scale, set image, rollout
 * restart, label, and the scenario's crash and node actions.
 */
#include "ks_cluster.h"

#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "storage/internal/data.h"
#include "net/internal/net.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

static ks_node *add_node(ks_sim *sim, const ks_object *o)
{
    ksi_cluster *c = sim->cluster;
    ks_node *n = ksi_zalloc(sim, sizeof *n);
    if (!n)
        return NULL;
    n->name = o ? o->meta.name : "node-1";
    if (o)
        n->labels = o->meta.labels;
    n->cpu = o ? o->u.node.cpu : 4000;
    n->memory = o ? o->u.node.memory : (int64_t)8 << 30;
    n->max_pods = o ? o->u.node.max_pods : 110;
    n->unschedulable = o ? o->u.node.unschedulable : false;
    n->ready = true;
    n->created = ks_now(sim);
    n->id = ksi_store_add(sim, KS_KIND_NODE, n, o);
    if (!n->id || ksi_grow(sim, (void **)&c->node_ids, &c->node_cap, c->nnodes + 1,
                           sizeof *c->node_ids))
        return NULL;
    c->node_ids[c->nnodes++] = n->id;
    return n;
}

/* The ingress addon, as minikube installs it (trimmed to what is used). */
static const char ingress_nginx_yaml[] =
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: ingress-nginx}\n---\n"
    "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"
    "spec: {controller: k8s.io/ingress-nginx}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ingress-nginx-controller\n"
    "  namespace: ingress-nginx\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n"
    "      app.kubernetes.io/name: ingress-nginx\n  template:\n    metadata:\n      labels:\n"
    "        app.kubernetes.io/name: ingress-nginx\n    spec:\n      containers:\n"
    "        - name: controller\n          image: registry.k8s.io/ingress-nginx/controller:v1.10.1\n"
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
        ksi_node_add_image(sim, c->node_ids[i],
                           "registry.k8s.io/ingress-nginx/controller:v1.10.1");
    for (i = 0; rc == KS_OK && i < m.n; i++) {
        ks_apply_result res;
        rc = ks_cluster_apply(sim, m.objs[i], &res, NULL);
    }
    c->ingress_nginx = rc == KS_OK;
    return rc;
}

int ks_cluster_init(ks_sim *sim, const ks_cluster_config *cfg)
{
    ksi_cluster *c = ks_mem_calloc(&sim->alloc, 1, sizeof *c);
    size_t i;
    if (!c)
        return KS_ENOMEM;
    sim->cluster = c;
    c->catalog = cfg->catalog;
    c->arena = ks_arena_create(&sim->alloc);
    c->events = ks_mem_calloc(&sim->alloc, KSI_EVENT_RING, sizeof *c->events);
    if (!c->arena || !c->events)
        return KS_ENOMEM;
    c->next_ip = (10u << 24) | (244u << 16) | (0u << 8) | 2;     /* 10.244.0.2 */
    if (ksi_storage_init(sim) != KS_OK)
        return KS_ENOMEM;
    if (cfg->nnodes == 0)
        add_node(sim, NULL);
    for (i = 0; i < cfg->nnodes; i++)
        add_node(sim, cfg->nodes[i]);
    if (!cfg->no_ingress_controller && install_ingress_nginx(sim) != KS_OK)
        return ks_sim_status(sim) ? ks_sim_status(sim) : KS_EINTERNAL;
    return ks_sim_status(sim);
}

void ksi_cluster_fini(ks_sim *sim)
{
    ksi_cluster *c = sim->cluster;
    size_t i;
    if (!c)
        return;
    sim->nsubs = 0;               /* tearing down is not part of the story */
    for (i = 1; i < c->nrefs; i++) {
        ksi_ref *r = &c->refs[i];
        if (r->kind == KS_KIND_POD)
            ksi_pod_remove(sim, r->ptr);
    }
    for (i = 1; i < c->nrefs; i++) {
        ksi_ref *r = &c->refs[i];
        if (r->kind == KS_KIND_SERVICE)
            ksi_service_free(sim, (ks_id)i);
        else if (r->kind == KS_KIND_REPLICASET) {
            ksi_rs *rs = r->ptr;
            ks_mem_free(&sim->alloc, rs->pods, rs->cap * sizeof *rs->pods);
        } else if (r->kind == KS_KIND_DEPLOYMENT) {
            ksi_deploy *d = r->ptr;
            ks_mem_free(&sim->alloc, d->rs, d->cap * sizeof *d->rs);
        }
    }
    ksi_data_fini(sim);
    ksi_net_fini(sim);
    ksi_traffic_fini(sim);
    for (i = 0; i < c->nkept; i++)
        ks_arena_destroy(c->kept[i]);
    ks_mem_free(&sim->alloc, c->kept, c->kept_cap * sizeof *c->kept);
    ks_mem_free(&sim->alloc, c->refs, c->refs_cap * sizeof *c->refs);
    ks_mem_free(&sim->alloc, c->events, KSI_EVENT_RING * sizeof *c->events);
    ks_mem_free(&sim->alloc, c->dirty_rs, c->dirty_rs_cap * sizeof *c->dirty_rs);
    ks_mem_free(&sim->alloc, c->dirty_deploy, c->dirty_deploy_cap * sizeof *c->dirty_deploy);
    ks_mem_free(&sim->alloc, c->pending, c->pending_cap * sizeof *c->pending);
    ks_mem_free(&sim->alloc, c->node_ids, c->node_cap * sizeof *c->node_ids);
    ks_arena_destroy(c->arena);
    ks_mem_free(&sim->alloc, c, sizeof *c);
    sim->cluster = NULL;
}

/* ---- apply ------------------------------------------------------------------ */
static int apply_deployment(ks_sim *sim, ks_id id, const ks_object *o, ks_apply_result *res,
                            ks_error *err)
{
    ksi_deploy *d;
    if (!id) {
        d = ksi_zalloc(sim, sizeof *d);
        if (!d)
            return KS_ENOMEM;
        d->pub.name = o->meta.name;
        d->pub.ns = o->meta.ns;
        d->pub.labels = o->meta.labels;
        d->pub.spec = &o->u.deploy;
        d->pub.tmpl = &o->u.deploy.tmpl;
        d->pub.replicas = o->u.deploy.replicas;
        d->pub.created = ks_now(sim);
        d->pub.id = ksi_store_add(sim, KS_KIND_DEPLOYMENT, d, o);
        if (!d->pub.id)
            return KS_ENOMEM;
        *res = KS_APPLY_CREATED;
        ksi_mark_deploy(sim, d->pub.id);
        return KS_OK;
    }
    d = ksi_deploy_get(sim, id);
    if (d->pub.spec->selector.match.n != o->u.deploy.selector.match.n
        || !ks_selector_matches(&o->u.deploy.selector, &d->pub.tmpl->labels)) {
        ks_error_set(err, KS_EINVAL, o->mark,
                     "The Deployment \"%s\" is invalid: spec.selector: Invalid value: field is "
                     "immutable; delete the Deployment first to change its selector",
                     o->meta.name);
        return KS_EINVAL;
    }
    if (o->u.deploy.tmpl.hash != d->pub.tmpl->hash)
        d->pub.tmpl = &o->u.deploy.tmpl;            /* a new rollout (or back) */
    else if (d->pub.tmpl != &o->u.deploy.tmpl)
        d->pub.tmpl = &o->u.deploy.tmpl;            /* same content, the applied copy */
    d->pub.replicas = o->u.deploy.replicas;
    d->pub.spec = &o->u.deploy;
    d->pub.labels = o->meta.labels;
    *res = KS_APPLY_CONFIGURED;
    ksi_mark_deploy(sim, id);
    return KS_OK;
}

static int apply_pod(ks_sim *sim, ks_id id, const ks_object *o, ks_apply_result *res,
                     ks_error *err)
{
    ksi_pod *p;
    if (id) {
        ks_error_set(err, KS_EINVAL, o->mark,
                     "The Pod \"%s\" is invalid: spec: Forbidden: pod updates may not change "
                     "fields other than the container images; delete the pod and apply again",
                     o->meta.name);
        return KS_EINVAL;
    }
    p = ksi_pod_create(sim, o->meta.name, o->meta.ns, NULL, &o->u.pod, &o->meta.labels, 0);
    if (!p)
        return KS_ENOMEM;
    p->pub.annotations = o->meta.annotations;
    ksi_store_ref(sim, p->pub.id)->applied = o;
    *res = KS_APPLY_CREATED;
    return KS_OK;
}

static int apply_replicaset(ks_sim *sim, ks_id id, const ks_object *o, ks_apply_result *res)
{
    ksi_rs *rs;
    if (id) {
        rs = ksi_rs_get(sim, id);
        rs->pub.replicas = o->u.rs.replicas;
        *res = KS_APPLY_CONFIGURED;
        ksi_mark_rs(sim, id);
        return KS_OK;
    }
    id = ksi_rs_create(sim, NULL, &o->u.rs.tmpl, o->u.rs.tmpl.hash, o->u.rs.replicas);
    if (!id)
        return KS_ENOMEM;
    rs = ksi_rs_get(sim, id);
    rs->pub.name = o->meta.name;
    rs->pub.selector = o->u.rs.selector;
    ksi_store_ref(sim, id)->applied = o;
    *res = KS_APPLY_CREATED;
    return KS_OK;
}

/* Whether the live object moved away from what was applied (kubectl scale,
 * set image, rollout restart): applying the same file again puts it back,
 * as `kubectl apply` does. */
static bool drifted(const ks_sim *sim, ks_id id, const ks_object *applied)
{
    const ksi_deploy *d = ksi_deploy_get(sim, id);
    const ksi_rs *rs = ksi_rs_get(sim, id);
    if (d)
        return d->pub.replicas != applied->u.deploy.replicas
               || d->pub.tmpl != &applied->u.deploy.tmpl;
    if (rs)
        return rs->pub.replicas != applied->u.rs.replicas;
    return false;
}

int ks_cluster_apply(ks_sim *sim, const ks_object *o, ks_apply_result *res, ks_error *err)
{
    ks_id id = ks_cluster_find(sim, o->kind, o->meta.ns, o->meta.name);
    ksi_ref *r = ksi_store_ref(sim, id);
    int rc = KS_OK;
    if (r && r->applied && r->applied->hash == o->hash && !drifted(sim, id, r->applied)) {
        *res = KS_APPLY_UNCHANGED;
        return KS_OK;
    }
    switch (o->kind) {
    case KS_KIND_DEPLOYMENT:
        rc = apply_deployment(sim, id, o, res, err);
        break;
    case KS_KIND_POD:
        rc = apply_pod(sim, id, o, res, err);
        break;
    case KS_KIND_REPLICASET:
        rc = apply_replicaset(sim, id, o, res);
        break;
    case KS_KIND_SERVICE:
        if ((rc = ksi_service_check_ports(sim, id, o, err)) != KS_OK)
            return rc;
        *res = id ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
        rc = ksi_service_apply(sim, id, o, &id);
        break;
    case KS_KIND_PVC:
    case KS_KIND_PV:
    case KS_KIND_STORAGECLASS:
        *res = id ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
        rc = ksi_storage_apply(sim, id, o, err);
        break;
    case KS_KIND_NODE:
        if (!id && !add_node(sim, o))
            return KS_ENOMEM;
        *res = id ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
        ksi_sched_kick(sim);
        break;
    default:
        if (!id && !(id = ksi_store_add(sim, o->kind, NULL, o)))
            return KS_ENOMEM;
        *res = r ? KS_APPLY_CONFIGURED : KS_APPLY_CREATED;
        if (o->kind == KS_KIND_SECRET || o->kind == KS_KIND_CONFIGMAP)
            ksi_kubelet_config_changed(sim);
    }
    if (o->kind == KS_KIND_INGRESS || o->kind == KS_KIND_INGRESSCLASS)
        ksi_net_ingress_dirty(sim);
    if (rc == KS_OK) {
        id = ks_cluster_find(sim, o->kind, o->meta.ns, o->meta.name);
        if ((r = ksi_store_ref(sim, id)) != NULL) {
            r->applied = o;
            r->applied_hash = o->hash;
        }
    }
    return rc != KS_OK ? rc : ks_sim_status(sim);
}

/* ---- delete -------------------------------------------------------------------- */
static void delete_pod(ks_sim *sim, ksi_pod *p, int64_t grace, bool force)
{
    if (force) {
        ksi_kubelet_pod_deleted(sim, p, 0);
        if (ksi_pod_get(sim, p->pub.id))
            ksi_pod_remove(sim, p);
        return;
    }
    if (!p->pub.terminating)
        ksi_kubelet_pod_deleted(sim, p, grace < 0 ? p->pub.spec->grace_seconds : grace);
}

static void delete_rs(ks_sim *sim, ksi_rs *rs)
{
    size_t i;
    for (i = 0; i < rs->npods; i++) {
        ksi_pod *p = ksi_pod_get(sim, rs->pods[i]);
        if (p) {
            p->pub.owner = 0;                       /* orphaned, then deleted */
            delete_pod(sim, p, -1, false);
        }
    }
    ks_mem_free(&sim->alloc, rs->pods, rs->cap * sizeof *rs->pods);
    rs->pods = NULL;
    rs->npods = rs->cap = 0;
    ksi_store_remove(sim, rs->pub.id);
}

int ks_cluster_delete(ks_sim *sim, ks_id id, int64_t grace, bool force)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    size_t i;
    if (!r)
        return KS_EUNKNOWN;
    switch (r->kind) {
    case KS_KIND_POD:
        delete_pod(sim, r->ptr, grace, force);
        break;
    case KS_KIND_REPLICASET:
        delete_rs(sim, r->ptr);
        break;
    case KS_KIND_DEPLOYMENT: {
        ksi_deploy *d = r->ptr;
        for (i = 0; i < d->nrs; i++) {
            ksi_rs *rs = ksi_rs_get(sim, d->rs[i]);
            if (rs)
                delete_rs(sim, rs);
        }
        ks_mem_free(&sim->alloc, d->rs, d->cap * sizeof *d->rs);
        d->rs = NULL;
        d->nrs = d->cap = 0;
        ksi_store_remove(sim, id);
        break;
    }
    case KS_KIND_NODE:
        return KS_EINVAL;
    case KS_KIND_SERVICE:
        ksi_service_free(sim, id);
        ksi_store_remove(sim, id);
        ksi_endpoints_dirty(sim);
        break;
    case KS_KIND_PVC:
    case KS_KIND_PV:
    case KS_KIND_STORAGECLASS:
        return ksi_storage_delete(sim, id);
    default:
        if (r->kind == KS_KIND_INGRESS || r->kind == KS_KIND_INGRESSCLASS)
            ksi_net_ingress_dirty(sim);
        ksi_store_remove(sim, id);
    }
    ksi_sched_kick(sim);
    return ks_sim_status(sim);
}

/* ---- other changes ------------------------------------------------------------------ */
int ks_cluster_scale(ks_sim *sim, ks_id id, int64_t replicas)
{
    ksi_deploy *d = ksi_deploy_get(sim, id);
    ksi_rs *rs = ksi_rs_get(sim, id);
    if (replicas < 0 || replicas > KS_MANIFEST_MAX_REPLICAS)
        return KS_EINVAL;
    if (d) {
        d->pub.replicas = replicas;
        ksi_mark_deploy(sim, id);
    } else if (rs) {
        rs->pub.replicas = replicas;
        ksi_mark_rs(sim, id);
    } else {
        return KS_EUNKNOWN;
    }
    return KS_OK;
}

/* A copy of d's template (and its containers), to change one thing. */
static ks_pod_template *copy_template(ks_sim *sim, ksi_deploy *d)
{
    ks_pod_template *t = ksi_zalloc(sim, sizeof *t);
    ks_container *cs;
    if (!t)
        return NULL;
    *t = *d->pub.tmpl;
    cs = ksi_zalloc(sim, (t->spec.ncontainers + 1) * sizeof *cs);
    if (!cs)
        return NULL;
    memcpy(cs, t->spec.containers, t->spec.ncontainers * sizeof *cs);
    t->spec.containers = cs;
    return t;
}

static uint32_t mix_hash(uint32_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int ks_cluster_set_image(ks_sim *sim, ks_id id, const char *container, const char *image,
                         ks_error *err)
{
    ksi_deploy *d = ksi_deploy_get(sim, id);
    ks_pod_template *t;
    size_t i;
    if (!d)
        return KS_EUNKNOWN;
    for (i = 0; i < d->pub.tmpl->spec.ncontainers; i++)
        if (strcmp(d->pub.tmpl->spec.containers[i].name, container) == 0)
            break;
    if (i == d->pub.tmpl->spec.ncontainers) {
        ks_error_set(err, KS_EUNKNOWN, KS_MARK_NONE,
                     "unable to find container named \"%s\"", container);
        return KS_EUNKNOWN;
    }
    if (strcmp(d->pub.tmpl->spec.containers[i].image, image) == 0)
        return KS_OK;
    if (!(t = copy_template(sim, d)))
        return KS_ENOMEM;
    t->spec.containers[i].image = ksi_strdup(sim, image);
    t->hash = mix_hash(t->hash, image);
    d->pub.tmpl = t;
    ksi_mark_deploy(sim, id);
    return ks_sim_status(sim);
}

int ks_cluster_rollout_restart(ks_sim *sim, ks_id id)
{
    ksi_deploy *d = ksi_deploy_get(sim, id);
    ks_pod_template *t;
    ks_kv *ann;
    char stamp[32];
    if (!d)
        return KS_EUNKNOWN;
    if (!(t = copy_template(sim, d)))
        return KS_ENOMEM;
    ann = ksi_zalloc(sim, (t->annotations.n + 1) * sizeof *ann);
    if (!ann)
        return KS_ENOMEM;
    if (t->annotations.n)
        memcpy(ann, t->annotations.items, t->annotations.n * sizeof *ann);
    ks_time_format_secs(ks_now(sim), stamp, sizeof stamp);
    ann[t->annotations.n].key = "kubectl.kubernetes.io/restartedAt";
    ann[t->annotations.n].value = ksi_strdup(sim, stamp);
    t->annotations.items = ann;
    t->annotations.n++;
    t->hash = mix_hash(t->hash, stamp);
    d->pub.tmpl = t;
    ksi_mark_deploy(sim, id);
    return ks_sim_status(sim);
}

static ks_kvs *labels_of(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    if (!r)
        return NULL;
    switch (r->kind) {
    case KS_KIND_POD:
        return &((ksi_pod *)r->ptr)->pub.labels;
    case KS_KIND_NODE:
        return &((ks_node *)r->ptr)->labels;
    case KS_KIND_DEPLOYMENT:
        return &((ksi_deploy *)r->ptr)->pub.labels;
    case KS_KIND_REPLICASET:
        return &((ksi_rs *)r->ptr)->pub.labels;
    default:
        return NULL;
    }
}

int ks_cluster_label(ks_sim *sim, ks_id id, const char *key, const char *value)
{
    ks_kvs *l = labels_of(sim, id);
    ks_kv *items;
    size_t i, n = 0;
    if (!l)
        return KS_EUNKNOWN;
    items = ksi_zalloc(sim, (l->n + 1) * sizeof *items);
    if (!items)
        return KS_ENOMEM;
    for (i = 0; i < l->n; i++)
        if (strcmp(l->items[i].key, key) != 0)
            items[n++] = l->items[i];
    if (value) {
        items[n].key = ksi_strdup(sim, key);
        items[n].value = ksi_strdup(sim, value);
        n++;
    }
    l->items = items;
    l->n = n;
    if (ks_cluster_kind(sim, id) == KS_KIND_POD)
        ksi_pod_changed(sim, ksi_pod_get(sim, id));
    return ks_sim_status(sim);
}

int ks_cluster_crash(ks_sim *sim, ks_id id, const char *container, int exit_code,
                     const char *reason)
{
    ksi_pod *p = ksi_pod_get(sim, id);
    size_t i = 0;
    if (!p)
        return KS_EUNKNOWN;
    if (container) {
        for (i = 0; i < p->pub.ncontainers; i++)
            if (strcmp(p->pub.containers[i].spec->name, container) == 0)
                break;
        if (i == p->pub.ncontainers)
            return KS_EUNKNOWN;
    }
    if (p->pub.containers[i].state != KS_CS_RUNNING)
        return KS_EINVAL;
    ksi_kubelet_crash(sim, p, i, exit_code, reason);
    return ks_sim_status(sim);
}
