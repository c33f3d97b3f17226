/* ksv_json_net.c -- Services, their Endpoints and EndpointSlices, Ingresses
 * and IngressClasses. Endpoints and EndpointSlices are derived from the
 * Service's ready and not-ready pods, as the endpoints and endpointslice
 * controllers write them (pkg/controller/endpoint, endpointslice: ready
 * pods as addresses, others as notReadyAddresses / ready=false). */
#include <stdio.h>
#include <string.h>

#include "ksv_json.h"
#include "kubectl/ks_kubectl.h"

static const char *const svc_types[] = {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"};

static json_t *target_port_json(const ks_service_port *p)
{
    if (!p->target_port.set)
        return json_integer(p->port);
    if (p->target_port.is_str)
        return json_string(p->target_port.str);
    return json_integer((json_int_t)p->target_port.num);
}

json_t *ksv_service(const ksv_ctx *c, ks_id id, const ks_service *s, const ks_object *o)
{
    const ks_service_spec *sp;
    json_t *meta, *obj, *spec, *ports, *st, *ips;
    size_t i;
    if (!o)
        return NULL;
    sp = &o->u.svc;
    meta = ksv_meta(c, o->meta.name, o->meta.ns, id, KSV_UID_OBJECT, ks_cluster_created(c->sim, id),
                    &o->meta.labels, &o->meta.annotations);
    if (!(obj = ksv_object("v1", "Service", meta)))
        return NULL;
    spec = json_object();
    ports = json_array();
    for (i = 0; i < sp->nports; i++) {
        const ks_service_port *p = &sp->ports[i];
        json_t *pj = json_object();
        int np = s && i < KS_SERVICE_MAX_PORTS && s->node_port[i] ? s->node_port[i]
                                                                  : p->node_port;
        ksv_set_str(pj, "name", p->name);
        ksv_set_str(pj, "protocol", p->protocol ? p->protocol : "TCP");
        ksv_set_int(pj, "port", p->port);
        json_object_set_new(pj, "targetPort", target_port_json(p));
        if (np && sp->type != KS_SVC_CLUSTERIP)
            ksv_set_int(pj, "nodePort", np);
        json_array_append_new(ports, pj);
    }
    if (sp->nports)
        json_object_set_new(spec, "ports", ports);
    else
        json_decref(ports);
    ksv_set(spec, "selector", ksv_kvs(&sp->selector, true));
    if (sp->type != KS_SVC_EXTERNALNAME) {
        const char *ip = s && s->cluster_ip[0] ? s->cluster_ip : sp->headless ? "None" : NULL;
        ksv_set_str(spec, "clusterIP", ip);
        if (ip) {
            ips = json_array();
            json_array_append_new(ips, json_string(ip));
            json_object_set_new(spec, "clusterIPs", ips);
        }
    }
    ksv_set_str(spec, "type", svc_types[sp->type]);
    if (sp->type == KS_SVC_EXTERNALNAME)
        ksv_set_str(spec, "externalName", sp->external_name);
    ksv_set_str(spec, "sessionAffinity", sp->affinity_client_ip ? "ClientIP" : "None");
    if (sp->type == KS_SVC_NODEPORT || sp->type == KS_SVC_LOADBALANCER)
        ksv_set_str(spec, "externalTrafficPolicy", "Cluster");
    if (sp->type != KS_SVC_EXTERNALNAME) {
        ips = json_array();
        json_array_append_new(ips, json_string("IPv4"));
        json_object_set_new(spec, "ipFamilies", ips);
        ksv_set_str(spec, "ipFamilyPolicy", "SingleStack");
        ksv_set_str(spec, "internalTrafficPolicy", "Cluster");
    }
    if (sp->type == KS_SVC_LOADBALANCER)
        ksv_set_bool(spec, "allocateLoadBalancerNodePorts", true);
    json_object_set_new(obj, "spec", spec);
    st = json_object();
    if (sp->type == KS_SVC_LOADBALANCER && s && s->external_ip[0]) {
        json_t *lb = json_object(), *ing = json_array();
        json_array_append_new(ing, json_pack("{sssss[]}", "ip", s->external_ip, "ipMode", "VIP",
                                             "ports"));
        json_object_set_new(lb, "ingress", ing);
        json_object_set_new(st, "loadBalancer", lb);
    } else {
        json_object_set_new(st, "loadBalancer", json_object());
    }
    json_object_set_new(obj, "status", st);
    return obj;
}

/* {kind: Pod, name, namespace, uid} */
static json_t *pod_ref(const ks_pod *p)
{
    json_t *r = json_object();
    char uid[40];
    ksv_uid(p->id, KSV_UID_OBJECT, uid);
    ksv_set_str(r, "kind", "Pod");
    ksv_set_str(r, "namespace", p->ns);
    ksv_set_str(r, "name", p->name);
    ksv_set_str(r, "uid", uid);
    return r;
}

static void add_address(json_t *a, const ksv_ctx *c, const ks_pod *p)
{
    json_t *ad = json_object();
    const ks_node *n = ks_cluster_node(c->sim, p->node);
    ksv_set_str(ad, "ip", p->ip);
    if (n)
        ksv_set_str(ad, "nodeName", n->name);
    json_object_set_new(ad, "targetRef", pod_ref(p));
    json_array_append_new(a, ad);
}

/* The ports of a Service's endpoints, resolved against pod p. */
static json_t *endpoint_ports(const ks_service_spec *sp, const ks_pod *p, bool slice)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < sp->nports; i++) {
        json_t *pj = json_object();
        ksv_set_str(pj, "name", sp->ports[i].name ? sp->ports[i].name : slice ? "" : NULL);
        ksv_set_int(pj, "port", ks_kubectl_target_port(&sp->ports[i], p));
        ksv_set_str(pj, "protocol", sp->ports[i].protocol ? sp->ports[i].protocol : "TCP");
        json_array_append_new(a, pj);
    }
    return a;
}

/* The port of an Endpoints object applied by hand (kubesim keeps a
 * subset's first one). */
static json_t *manual_ports(const ks_endpoint_addr *a, bool slice)
{
    json_t *pj = json_object();
    ksv_set_str(pj, "name", a->port_name ? a->port_name : slice ? "" : NULL);
    ksv_set_int(pj, "port", a->port);
    ksv_set_str(pj, "protocol", "TCP");
    return json_pack("[o]", pj);
}

json_t *ksv_endpoints(const ksv_ctx *c, const ks_service *s, const ks_object *svc,
                      const ks_object *applied, ks_id id)
{
    const ks_object *named = applied ? applied : svc;
    json_t *meta, *o, *subsets = json_array();
    size_t i;
    if (!named)
        return NULL;
    meta = ksv_meta(c, named->meta.name, named->meta.ns, id, applied ? KSV_UID_OBJECT
                                                                  : KSV_UID_ENDPOINTS,
                    ks_cluster_created(c->sim, id), applied ? &applied->meta.labels
                                                         : &svc->meta.labels, NULL);
    if (!(o = ksv_object("v1", "Endpoints", meta))) {
        json_decref(subsets);
        return NULL;
    }
    if (s && svc && svc->u.svc.selector.n && (s->nready || s->nnot_ready)) {
        json_t *sub = json_object(), *ready = json_array(), *not_ready = json_array();
        const ks_pod *first = NULL;
        for (i = 0; i < s->nready; i++) {
            const ks_pod *p = ks_cluster_pod(c->sim, s->ready[i]);
            if (p) {
                add_address(ready, c, p);
                first = first ? first : p;
            }
        }
        for (i = 0; i < s->nnot_ready; i++) {
            const ks_pod *p = ks_cluster_pod(c->sim, s->not_ready[i]);
            if (p && p->ip[0]) {
                add_address(not_ready, c, p);
                first = first ? first : p;
            }
        }
        if (json_array_size(ready))
            json_object_set(sub, "addresses", ready);
        if (json_array_size(not_ready))
            json_object_set(sub, "notReadyAddresses", not_ready);
        json_decref(ready);
        json_decref(not_ready);
        json_object_set_new(sub, "ports", endpoint_ports(&svc->u.svc, first, false));
        if (json_object_size(sub) > 1)
            json_array_append_new(subsets, sub);
        else
            json_decref(sub);
    } else if (applied && applied->u.ep.naddrs) {
        json_t *sub = json_object(), *ready = json_array(), *not_ready = json_array();
        for (i = 0; i < applied->u.ep.naddrs; i++)
            json_array_append_new(applied->u.ep.addrs[i].ready ? ready : not_ready,
                                  json_pack("{ss}", "ip", applied->u.ep.addrs[i].ip));
        json_object_set_new(sub, "addresses", ready);
        if (json_array_size(not_ready))
            json_object_set_new(sub, "notReadyAddresses", not_ready);
        else
            json_decref(not_ready);
        if (applied->u.ep.addrs[0].port)
            json_object_set_new(sub, "ports", manual_ports(&applied->u.ep.addrs[0], false));
        json_array_append_new(subsets, sub);
    }
    if (json_array_size(subsets))
        json_object_set_new(o, "subsets", subsets);
    else
        json_decref(subsets);
    return o;
}

/* One slice per Service with a selector: <service>-<5 chars>, as the
 * endpointslice controller names them (generateName). */
void ksv_slice_name(const char *svc, ks_id id, char *buf, size_t n)
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    uint64_t h = ksv_hash(svc, KSV_HASH_SEED ^ id);
    char suffix[6];
    int i;
    for (i = 0; i < 5; i++, h /= 27)
        suffix[i] = alphabet[h % 27];
    suffix[5] = '\0';
    snprintf(buf, n, "%s-%s", svc, suffix);
}

/* The API server's EndpointSlice, as its endpoint reconciler writes it
 * (pkg/controlplane/reconcilers/endpointsadapter.go, updateEndpointSlice):
 * named as the Service, labelled only kubernetes.io/service-name, each
 * address ready. */
static json_t *apiserver_slice(const ksv_ctx *c, const ks_service *s)
{
    const ks_object *svc = s->obj;
    ks_id ep = ks_cluster_find(c->sim, KS_KIND_ENDPOINTS, svc->meta.ns, svc->meta.name);
    const ks_object *eo = ks_cluster_object(c->sim, ep);
    ks_kv label = {"kubernetes.io/service-name", svc->meta.name};
    ks_kvs lkvs = {&label, 1};
    json_t *o = ksv_object("discovery.k8s.io/v1", "EndpointSlice",
                           ksv_meta(c, svc->meta.name, svc->meta.ns, s->id, KSV_UID_SLICE,
                                    ks_cluster_created(c->sim, s->id), &lkvs, NULL));
    json_t *eps = json_array();
    size_t i;
    if (!o) {
        json_decref(eps);
        return NULL;
    }
    ksv_set_str(o, "addressType", "IPv4");
    for (i = 0; eo && i < eo->u.ep.naddrs; i++)
        json_array_append_new(eps, json_pack("{s:[s],s:{s:b}}", "addresses",
                                             eo->u.ep.addrs[i].ip, "conditions", "ready",
                                             eo->u.ep.addrs[i].ready));
    json_object_set_new(o, "endpoints", eps);
    if (eo && eo->u.ep.naddrs && eo->u.ep.addrs[0].port)
        json_object_set_new(o, "ports", manual_ports(&eo->u.ep.addrs[0], true));
    return o;
}

static void slice_endpoint(json_t *a, const ksv_ctx *c, const ks_pod *p, bool ready)
{
    json_t *e = json_object(), *addrs = json_array(), *cond = json_object();
    const ks_node *n = ks_cluster_node(c->sim, p->node);
    json_array_append_new(addrs, json_string(p->ip));
    json_object_set_new(e, "addresses", addrs);
    ksv_set_bool(cond, "ready", ready && !p->terminating);
    ksv_set_bool(cond, "serving", ready);
    ksv_set_bool(cond, "terminating", p->terminating);
    json_object_set_new(e, "conditions", cond);
    json_object_set_new(e, "targetRef", pod_ref(p));
    if (n)
        ksv_set_str(e, "nodeName", n->name);
    json_array_append_new(a, e);
}

json_t *ksv_endpointslice(const ksv_ctx *c, const ks_service *s)
{
    const ks_object *svc = s ? s->obj : NULL;
    json_t *meta, *o, *eps, *refs;
    ks_kv labels[2];
    ks_kvs lkvs = {labels, 2};
    const ks_pod *first = NULL;
    char name[300];
    size_t i;
    if (!svc)
        return NULL;
    if (ks_service_is_apiserver(svc))
        return apiserver_slice(c, s);
    eps = json_array();
    refs = json_array();
    labels[0].key = "endpointslice.kubernetes.io/managed-by";
    labels[0].value = "endpointslice-controller.k8s.io";
    labels[1].key = "kubernetes.io/service-name";
    labels[1].value = svc->meta.name;
    ksv_slice_name(svc->meta.name, s->id, name, sizeof name);
    meta = ksv_meta(c, name, svc->meta.ns, s->id, KSV_UID_SLICE, ks_cluster_created(c->sim, s->id),
                    &lkvs, NULL);
    if (meta) {
        char gen[300];
        snprintf(gen, sizeof gen, "%s-", svc->meta.name);
        ksv_set_str(meta, "generateName", gen);
        json_array_append_new(refs, ksv_owner_ref("v1", "Service", svc->meta.name, s->id));
        json_object_set_new(meta, "ownerReferences", refs);
    } else {
        json_decref(refs);
    }
    if (!(o = ksv_object("discovery.k8s.io/v1", "EndpointSlice", meta))) {
        json_decref(eps);
        return NULL;
    }
    ksv_set_str(o, "addressType", "IPv4");
    for (i = 0; i < s->nready; i++) {
        const ks_pod *p = ks_cluster_pod(c->sim, s->ready[i]);
        if (p) {
            slice_endpoint(eps, c, p, true);
            first = first ? first : p;
        }
    }
    for (i = 0; i < s->nnot_ready; i++) {
        const ks_pod *p = ks_cluster_pod(c->sim, s->not_ready[i]);
        if (p && p->ip[0]) {
            slice_endpoint(eps, c, p, false);
            first = first ? first : p;
        }
    }
    json_object_set_new(o, "endpoints", json_array_size(eps) ? eps : json_null());
    if (!json_array_size(eps))
        json_decref(eps);
    json_object_set_new(o, "ports", endpoint_ports(&svc->u.svc, first, true));
    return o;
}

static json_t *backend(const ks_ingress_backend *b)
{
    json_t *o = json_object(), *svc = json_object(), *port = json_object();
    ksv_set_str(svc, "name", b->service);
    if (b->port_name)
        ksv_set_str(port, "name", b->port_name);
    else
        ksv_set_int(port, "number", b->port);
    json_object_set_new(svc, "port", port);
    json_object_set_new(o, "service", svc);
    return o;
}

json_t *ksv_ingress(const ksv_ctx *c, ks_id id, const ks_object *o)
{
    static const char *const path_types[] = {"Prefix", "Exact", "ImplementationSpecific"};
    const ks_ingress_spec *ing = &o->u.ing;
    json_t *meta = ksv_meta(c, o->meta.name, o->meta.ns, id, KSV_UID_OBJECT,
                            ks_cluster_created(c->sim, id), &o->meta.labels, &o->meta.annotations);
    json_t *obj = ksv_object("networking.k8s.io/v1", "Ingress", meta), *spec, *rules, *st, *lb;
    ks_id ctl = ks_cluster_find(c->sim, KS_KIND_SERVICE, "ingress-nginx", "ingress-nginx-controller");
    const ks_service *cs = ctl ? ks_cluster_service(c->sim, ctl) : NULL;
    size_t r, p;
    if (!obj)
        return NULL;
    spec = json_object();
    if (!ing->class_from_annotation)
        ksv_set_str(spec, "ingressClassName", ing->class_name);
    if (ing->has_default_backend)
        json_object_set_new(spec, "defaultBackend", backend(&ing->default_backend));
    if (ing->ntls_hosts) {
        json_t *tls = json_array(), *t = json_object(), *hosts = json_array();
        for (r = 0; r < ing->ntls_hosts; r++)
            json_array_append_new(hosts, json_string(ing->tls_hosts[r]));
        json_object_set_new(t, "hosts", hosts);
        json_array_append_new(tls, t);
        json_object_set_new(spec, "tls", tls);
    }
    rules = json_array();
    for (r = 0; r < ing->nrules; r++) {
        const ks_ingress_rule *rule = &ing->rules[r];
        json_t *rj = json_object(), *http = json_object(), *paths = json_array();
        ksv_set_str(rj, "host", rule->host);
        for (p = 0; p < rule->npaths; p++) {
            json_t *pj = json_object();
            ksv_set_str(pj, "path", rule->paths[p].path);
            ksv_set_str(pj, "pathType", path_types[rule->paths[p].type]);
            json_object_set_new(pj, "backend", backend(&rule->paths[p].backend));
            json_array_append_new(paths, pj);
        }
        json_object_set_new(http, "paths", paths);
        json_object_set_new(rj, "http", http);
        json_array_append_new(rules, rj);
    }
    if (ing->nrules)
        json_object_set_new(spec, "rules", rules);
    else
        json_decref(rules);
    json_object_set_new(obj, "spec", spec);
    st = json_object();
    lb = json_object();
    if (cs && ing->class_name && strcmp(ing->class_name, "nginx") == 0) {
        char ip[32];
        json_t *a = json_array();
        if (cs->external_ip[0])
            snprintf(ip, sizeof ip, "%s", cs->external_ip);
        else
            ks_kubectl_node_ip(c->sim, 0, ip, sizeof ip);
        json_array_append_new(a, json_pack("{ss}", "ip", ip));
        json_object_set_new(lb, "ingress", a);
    }
    json_object_set_new(st, "loadBalancer", lb);
    json_object_set_new(obj, "status", st);
    return obj;
}

json_t *ksv_ingressclass(const ksv_ctx *c, ks_id id, const ks_object *o)
{
    json_t *meta = ksv_meta(c, o->meta.name, NULL, id, KSV_UID_OBJECT, ks_cluster_created(c->sim, id),
                            &o->meta.labels, &o->meta.annotations);
    json_t *obj = ksv_object("networking.k8s.io/v1", "IngressClass", meta), *spec;
    if (!obj)
        return NULL;
    spec = json_object();
    ksv_set_str(spec, "controller", o->u.ingclass.controller);
    json_object_set_new(obj, "spec", spec);
    return obj;
}
