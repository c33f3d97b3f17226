/* ks_manifest_net.c -- Services, Endpoints, Ingress (networking.k8s.io/v1,
 * and the removed extensions/v1beta1 form old course files use) and
 * NetworkPolicy (networking.k8s.io/v1).
 */
#include <stdio.h>
#include <string.h>

#include "internal/manifest.h"
#include "ks_validate.h"

static bool read_service_ports(ks_reader *r, const ks_yaml_node *spec, ks_service_spec *s)
{
    const ks_yaml_node *ps = ks_rd_seq(r, spec, "ports", false);
    size_t i, j, saved;
    bool ok = true;
    if (!ps)
        return !ks_yaml_get(spec, "ports");
    if (ps->n > KS_MANIFEST_MAX_SERVICE_PORTS)
        return ks_rd_fail(r, ps, KS_ELIMIT, "%s: kubesim simulates at most %d ports per "
                          "Service, not %zu", ks_rd_field(r, "ports"),
                          KS_MANIFEST_MAX_SERVICE_PORTS, ps->n);
    s->ports = ksi_alloc_items(r, ps, ps->n, sizeof *s->ports);
    if (!s->ports)
        return false;
    saved = ks_rd_push(r, "ports");
    for (i = 0; i < ps->n; i++) {
        const ks_yaml_node *p = ps->items[i];
        ks_service_port *sp = &s->ports[s->nports];
        size_t s2 = ks_rd_push_index(r, i);
        int64_t v;
        if (p->kind != KS_YAML_MAP) {
            ok = ks_rd_fail(r, p, KS_ESCHEMA, "%s must be an object with port and targetPort",
                            ks_rd_field(r, ""));
            ks_rd_pop(r, s2);
            continue;
        }
        sp->mark = p->mark;
        sp->protocol = "TCP";
        ks_rd_str(r, p, "protocol", false, &sp->protocol);
        if (ks_rd_str(r, p, "name", false, &sp->name))
            ok &= ksi_check_name(r, p, "name", ks_check_dns_label, sp->name);
        if (!ks_rd_int(r, p, "port", true, 1, 65535, &v)) {
            ok = false;
            ks_rd_pop(r, s2);
            continue;
        }
        sp->port = (int)v;
        ok &= ksi_read_intstr(r, p, "targetPort", &sp->target_port);
        if (!sp->target_port.set) {
            sp->target_port.set = true;           /* defaults to port */
            sp->target_port.num = sp->port;
        } else if (!sp->target_port.is_str
                   && (sp->target_port.num < 1 || sp->target_port.num > 65535)) {
            ok = ks_rd_fail(r, ks_yaml_get(p, "targetPort"), KS_EINVAL,
                            "%s must be between 1 and 65535", ks_rd_field(r, "targetPort"));
        } else if (sp->target_port.is_str) {
            ok &= ksi_check_name(r, p, "targetPort", ks_check_port_name, sp->target_port.str);
        }
        if (ks_yaml_get(p, "nodePort")) {
            if (s->type == KS_SVC_CLUSTERIP)
                ok = ks_rd_fail(r, ks_yaml_get(p, "nodePort"), KS_EINVAL,
                                "%s: may not be used when type is 'ClusterIP'; set type: "
                                "NodePort", ks_rd_field(r, "nodePort"));
            else if (ks_rd_int(r, p, "nodePort", false, 30000, 32767, &v))
                sp->node_port = (int)v;
            else
                ok = false;
        }
        /* a port is unique with its protocol: 53/UDP and 53/TCP are two
           (ValidateService keys ports and node ports by {Protocol, Port},
           pkg/apis/core/validation/validation.go; kube-dns has both) */
        for (j = 0; j < s->nports; j++) {
            if (strcmp(s->ports[j].protocol, sp->protocol) != 0)
                continue;
            if (s->ports[j].port == sp->port)
                ok = ks_rd_fail(r, ks_yaml_get(p, "port"), KS_EINVAL,
                                "%s: duplicate port %d/%s", ks_rd_field(r, "port"), sp->port,
                                sp->protocol);
            if (sp->node_port && s->ports[j].node_port == sp->node_port)
                ok = ks_rd_fail(r, ks_yaml_get(p, "nodePort"), KS_EINVAL,
                                "%s: duplicate nodePort %d/%s", ks_rd_field(r, "nodePort"),
                                sp->node_port, sp->protocol);
        }
        s->nports++;
        ks_rd_pop(r, s2);
    }
    if (s->nports > 1)
        for (i = 0; i < s->nports; i++)
            if (!s->ports[i].name)
                ok = ks_rd_fail(r, ps->items[i], KS_EINVAL,
                                "%s[%zu].name is required when a Service has several ports",
                                ks_rd_field(r, ""), i);
    ks_rd_pop(r, saved);
    return ok;
}

bool ksi_read_service(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true);
    ks_service_spec *s = &o->u.svc;
    const char *type = "ClusterIP", *aff = NULL;
    size_t saved;
    bool ok = true;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    if (ks_rd_str(r, spec, "type", false, &type)) {
        if (strcmp(type, "ClusterIP") == 0)
            s->type = KS_SVC_CLUSTERIP;
        else if (strcmp(type, "NodePort") == 0)
            s->type = KS_SVC_NODEPORT;
        else if (strcmp(type, "LoadBalancer") == 0)
            s->type = KS_SVC_LOADBALANCER;
        else if (strcmp(type, "ExternalName") == 0)
            s->type = KS_SVC_EXTERNALNAME;
        else
            ok = ks_rd_fail(r, ks_yaml_get(spec, "type"), KS_EINVAL,
                            "%s must be ClusterIP, NodePort, LoadBalancer or ExternalName, "
                            "not '%s'", ks_rd_field(r, "type"), type);
    }
    if (ks_rd_str(r, spec, "clusterIP", false, &s->cluster_ip))
        s->headless = strcmp(s->cluster_ip, "None") == 0;
    if (s->headless && s->type != KS_SVC_CLUSTERIP)
        ok = ks_rd_fail(r, ks_yaml_get(spec, "clusterIP"), KS_EINVAL,
                        "%s: None (headless) is only valid for type ClusterIP",
                        ks_rd_field(r, "clusterIP"));
    ok &= ksi_read_kvs(r, spec, "selector", KSI_KV_LABELS, &s->selector);
    ok &= read_service_ports(r, spec, s);
    ks_rd_bool(r, spec, "publishNotReadyAddresses", false, &s->publish_not_ready);
    if (s->type == KS_SVC_EXTERNALNAME)
        ok &= ks_rd_str(r, spec, "externalName", true, &s->external_name);
    else if (!s->nports && !s->headless && ok)
        ok = ks_rd_fail(r, spec, KS_ESCHEMA, "%s is required: list at least one port",
                        ks_rd_field(r, "ports"));
    if (ks_rd_str(r, spec, "sessionAffinity", false, &aff)) {
        if (strcmp(aff, "ClientIP") == 0)
            s->affinity_client_ip = true;
        else if (strcmp(aff, "None") != 0)
            ok = ks_rd_fail(r, ks_yaml_get(spec, "sessionAffinity"), KS_EINVAL,
                            "%s must be None or ClientIP", ks_rd_field(r, "sessionAffinity"));
    }
    ks_rd_pop(r, saved);
    return ok;
}

bool ksi_read_endpoints(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *subsets = ks_rd_seq(r, doc, "subsets", false);
    size_t i, j, total = 0;
    if (!subsets)
        return true;
    for (i = 0; i < subsets->n; i++) {
        const ks_yaml_node *a = ks_yaml_get(subsets->items[i], "addresses");
        const ks_yaml_node *na = ks_yaml_get(subsets->items[i], "notReadyAddresses");
        total += (a && a->kind == KS_YAML_SEQ ? a->n : 0) + (na && na->kind == KS_YAML_SEQ ? na->n : 0);
    }
    o->u.ep.addrs = ksi_alloc_items(r, subsets, total, sizeof *o->u.ep.addrs);
    if (!o->u.ep.addrs)
        return false;
    for (i = 0; i < subsets->n; i++) {
        const ks_yaml_node *ports = ks_yaml_get(subsets->items[i], "ports");
        int64_t port = 0;
        const char *port_name = NULL;
        int ready;
        if (ports && ports->kind == KS_YAML_SEQ && ports->n) {
            ks_rd_int(r, ports->items[0], "port", false, 1, 65535, &port);
            ks_rd_str(r, ports->items[0], "name", false, &port_name);
        }
        for (ready = 1; ready >= 0; ready--) {
            const ks_yaml_node *a = ks_yaml_get(subsets->items[i],
                                                ready ? "addresses" : "notReadyAddresses");
            for (j = 0; a && a->kind == KS_YAML_SEQ && j < a->n; j++) {
                ks_endpoint_addr *e = &o->u.ep.addrs[o->u.ep.naddrs];
                if (ks_rd_str(r, a->items[j], "ip", true, &e->ip)) {
                    e->ready = ready;
                    e->port = (int)port;
                    e->port_name = port_name;
                    o->u.ep.naddrs++;
                }
            }
        }
    }
    return true;
}

/* ---- Ingress ----------------------------------------------------------------- */
/* backend: v1 {service: {name, port: {number|name}}}, or the old
 * {serviceName, servicePort}. */
static bool read_backend(ks_reader *r, const ks_yaml_node *holder, const char *key, bool legacy,
                         ks_ingress_backend *b)
{
    const ks_yaml_node *be = ks_rd_map(r, holder, key, true), *svc, *port;
    size_t saved;
    bool ok = true;
    int64_t v;
    if (!be)
        return false;
    saved = ks_rd_push(r, key);
    b->mark = be->mark;
    if (legacy || ks_yaml_get(be, "serviceName")) {
        if (!legacy)
            ok = ks_rd_fail(r, ks_yaml_key(be, "serviceName"), KS_ESCHEMA,
                            "%s: serviceName/servicePort is the removed v1beta1 form; in "
                            "networking.k8s.io/v1 write service: {name: ..., port: {number: "
                            "...}}", ks_rd_field(r, "serviceName"));
        ok &= ks_rd_str(r, be, "serviceName", true, &b->service);
        if (ks_yaml_int(ks_yaml_get(be, "servicePort"), &v) && v >= 1 && v <= 65535)
            b->port = (int)v;
        else
            ok &= ks_rd_str(r, be, "servicePort", true, &b->port_name);
    } else {
        static const char *const port_known[] = {"number", "name", NULL};
        svc = ks_rd_map(r, be, "service", true);
        if (svc) {
            size_t s2 = ks_rd_push(r, "service");
            ok &= ks_rd_str(r, svc, "name", true, &b->service);
            port = ks_rd_map(r, svc, "port", true);
            if (port) {
                size_t s3 = ks_rd_push(r, "port");
                ks_rd_strict(r, port, port_known);
                if (ks_yaml_get(port, "number")) {
                    if (ks_rd_int(r, port, "number", false, 1, 65535, &v))
                        b->port = (int)v;
                    else
                        ok = false;
                } else if (!ks_rd_str(r, port, "name", false, &b->port_name)) {
                    ok = ks_rd_fail(r, port, KS_ESCHEMA, "%s needs number or name",
                                    ks_rd_field(r, ""));
                }
                ks_rd_pop(r, s3);
            } else {
                ok = false;
            }
            ks_rd_pop(r, s2);
        } else {
            ok = false;
        }
    }
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_paths(ks_reader *r, const ks_yaml_node *http, bool legacy, ks_ingress_rule *rule)
{
    const ks_yaml_node *ps = ks_rd_seq(r, http, "paths", true);
    size_t i, saved;
    bool ok = true;
    if (!ps)
        return false;
    rule->paths = ksi_alloc_items(r, ps, ps->n, sizeof *rule->paths);
    if (!rule->paths)
        return false;
    saved = ks_rd_push(r, "paths");
    for (i = 0; i < ps->n; i++) {
        const ks_yaml_node *p = ps->items[i];
        ks_ingress_path *ip = &rule->paths[rule->npaths];
        const char *type = NULL;
        size_t s2 = ks_rd_push_index(r, i);
        ip->mark = p->mark;
        ip->path = "/";
        ks_rd_str(r, p, "path", false, &ip->path);
        if (ks_rd_str(r, p, "pathType", !legacy, &type)) {
            if (strcmp(type, "Prefix") == 0)
                ip->type = KS_PATH_PREFIX;
            else if (strcmp(type, "Exact") == 0)
                ip->type = KS_PATH_EXACT;
            else if (strcmp(type, "ImplementationSpecific") == 0)
                ip->type = KS_PATH_IMPL;
            else
                ok = ks_rd_fail(r, ks_yaml_get(p, "pathType"), KS_EINVAL,
                                "%s must be Prefix, Exact or ImplementationSpecific, not '%s'",
                                ks_rd_field(r, "pathType"), type);
        } else if (legacy) {
            ip->type = KS_PATH_IMPL;          /* v1beta1 had no pathType */
        } else {
            ok = false;
        }
        if (ip->path[0] != '/')
            ok = ks_rd_fail(r, ks_yaml_get(p, "path"), KS_EINVAL,
                            "%s must be an absolute path (start with /)",
                            ks_rd_field(r, "path"));
        if (read_backend(r, p, "backend", legacy, &ip->backend))
            rule->npaths++;
        else
            ok = false;
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

/* The ingress-nginx annotations kubesim's router reads (net/ks_ingress.c):
 * use-regex, rewrite-target, cookie affinity; the snippets are the
 * webhook's refusals. Any other nginx.ingress.kubernetes.io/ key (canary,
 * canary-weight, ssl-redirect, proxy-body-size, enable-cors, ...) is a
 * warning at its key: it would take effect on a cluster. */
static void nginx_annotations(ks_reader *r, const ks_yaml_node *doc)
{
    static const char *const read[] = {
        "use-regex", "rewrite-target", "affinity", "affinity-mode", "session-cookie-name",
        "session-cookie-path", "session-cookie-max-age", "session-cookie-expires",
        "session-cookie-change-on-failure", NULL};
    static const char prefix[] = "nginx.ingress.kubernetes.io/";
    const ks_yaml_node *meta = ks_yaml_get(doc, "metadata");
    const ks_yaml_node *ann = meta ? ks_yaml_get(meta, "annotations") : NULL;
    size_t i, k, len;
    for (i = 0; ann && ann->kind == KS_YAML_MAP && i < ann->n; i++) {
        const ks_yaml_node *key = ann->items[2 * i];
        const char *name = key->str;
        bool known = false;
        if (!name || strncmp(name, prefix, sizeof prefix - 1) != 0)
            continue;
        name += sizeof prefix - 1;
        len = strlen(name);
        for (k = 0; read[k] && !known; k++)
            known = strcmp(name, read[k]) == 0;
        if (known || (len >= 8 && strcmp(name + len - 8, "-snippet") == 0))
            continue;
        ks_diag_warn(r->d, key->mark,
                     "metadata.annotations.%s: kubesim does not simulate this ingress-nginx "
                     "annotation yet; it is ignored here (on a cluster it would take effect)",
                     key->str);
    }
}

bool ksi_read_ingress(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true), *rules, *tls;
    ks_ingress_spec *g = &o->u.ing;
    const char *ann_class = ks_kvs_get(&o->meta.annotations, "kubernetes.io/ingress.class");
    size_t i, j, saved;
    bool ok = true;
    if (!spec)
        return false;
    nginx_annotations(r, doc);
    g->legacy = strcmp(o->api_version, "networking.k8s.io/v1") != 0;
    saved = ks_rd_push(r, "spec");
    if (!ks_rd_str(r, spec, "ingressClassName", false, &g->class_name) && ann_class) {
        g->class_name = ann_class;
        g->class_from_annotation = true;
    }
    if (ks_yaml_get(spec, g->legacy ? "backend" : "defaultBackend")) {
        ok &= read_backend(r, spec, g->legacy ? "backend" : "defaultBackend", g->legacy,
                           &g->default_backend);
        g->has_default_backend = true;
    }
    rules = ks_rd_seq(r, spec, "rules", false);
    if (rules) {
        size_t s2 = ks_rd_push(r, "rules");
        g->rules = ksi_alloc_items(r, rules, rules->n, sizeof *g->rules);
        for (i = 0; g->rules && i < rules->n; i++) {
            const ks_yaml_node *ru = rules->items[i], *http;
            ks_ingress_rule *rule = &g->rules[g->nrules];
            size_t s3 = ks_rd_push_index(r, i);
            rule->mark = ru->mark;
            if (ks_rd_str(r, ru, "host", false, &rule->host) && rule->host[0] != '*'
                && ks_check_dns_subdomain(rule->host))
                ok = ks_rd_fail(r, ks_yaml_get(ru, "host"), KS_EINVAL,
                                "%s '%s' is not a DNS name (no scheme, port or path)",
                                ks_rd_field(r, "host"), rule->host);
            http = ks_rd_map(r, ru, "http", false);
            if (http) {
                size_t s4 = ks_rd_push(r, "http");
                ok &= read_paths(r, http, g->legacy, rule);
                ks_rd_pop(r, s4);
            }
            g->nrules++;
            ks_rd_pop(r, s3);
        }
        ks_rd_pop(r, s2);
    }
    tls = ks_rd_seq(r, spec, "tls", false);
    {
        /* the hosts are read (kubectl get ingress's PORTS 80, 443), but no
           request is TLS here: ingress-nginx would answer a TLS host's http
           request with a 308 to https (ssl-redirect, true by default) */
        static const char *const not_simulated[] = {"tls", NULL};
        ks_rd_ignored(r, spec, not_simulated);
    }
    for (i = 0; tls && i < tls->n; i++) {
        const char **hosts;
        size_t n;
        if (ks_rd_str_list(r, tls->items[i], "hosts", false, &hosts, &n)) {
            const char **all = ksi_alloc_items(r, tls, g->ntls_hosts + n, sizeof *all);
            if (!all)
                return false;
            for (j = 0; j < g->ntls_hosts; j++)
                all[j] = g->tls_hosts[j];
            for (j = 0; j < n; j++)
                all[g->ntls_hosts + j] = hosts[j];
            g->tls_hosts = all;
            g->ntls_hosts += n;
        }
    }
    if (!g->nrules && !g->has_default_backend && ok)
        ok = ks_rd_fail(r, spec, KS_EINVAL, "%s: an Ingress needs rules or a defaultBackend",
                        ks_rd_field(r, ""));
    ks_rd_pop(r, saved);
    return ok;
}

/* ---- NetworkPolicy (networking.k8s.io/v1) ------------------------------------------
 * As the API server reads it: pkg/apis/networking/v1/defaults.go
 * (SetDefaults_NetworkPolicy: policyTypes Ingress, plus Egress when egress
 * rules are given; a port's protocol TCP) and pkg/apis/networking/
 * validation/validation.go (a peer needs a selector or an ipBlock, and an
 * ipBlock no selector; an ipBlock's except lies inside its cidr; endPort
 * needs a numeric port no greater than it). */

/* "10.0.0.0/8" -> network and mask; false when it is no IPv4 CIDR */
static bool parse_cidr(const char *s, uint32_t *net, uint32_t *mask)
{
    unsigned a, b, c, d, bits;
    char tail;
    if (sscanf(s, "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &bits, &tail) != 5 || a > 255
        || b > 255 || c > 255 || d > 255 || bits > 32)
        return false;
    *mask = bits ? 0xffffffffu << (32 - bits) : 0;
    *net = ((uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | (uint32_t)d) & *mask;
    return true;
}

static bool read_ipblock(ks_reader *r, const ks_yaml_node *blk, ks_netpol_peer *p)
{
    size_t i;
    bool ok = true;
    if (!ks_rd_str(r, blk, "cidr", true, &p->cidr))
        return false;
    p->v6 = strchr(p->cidr, ':') != NULL;
    if (!p->v6 && !parse_cidr(p->cidr, &p->net, &p->mask))
        return ks_rd_fail(r, ks_yaml_get(blk, "cidr"), KS_EINVAL,
                          "%s: Invalid value: \"%s\": must be a valid CIDR like 10.0.0.0/16",
                          ks_rd_field(r, "cidr"), p->cidr);
    if (!ks_rd_str_list(r, blk, "except", false, &p->except, &p->nexcept))
        return false;
    if (p->nexcept) {
        p->except_net = ksi_alloc_items(r, blk, p->nexcept, sizeof *p->except_net);
        p->except_mask = ksi_alloc_items(r, blk, p->nexcept, sizeof *p->except_mask);
        if (!p->except_net || !p->except_mask)
            return false;
    }
    for (i = 0; i < p->nexcept && !p->v6; i++)
        if (!parse_cidr(p->except[i], &p->except_net[i], &p->except_mask[i])
            || p->except_mask[i] < p->mask
            || (p->except_net[i] & p->mask) != p->net)
            ok = ks_rd_fail(r, ks_yaml_get(blk, "except"), KS_EINVAL,
                            "%s: Invalid value: \"%s\": must be a strict subset of `cidr`",
                            ks_rd_field(r, "except"), p->except[i]);
    return ok;
}

static bool read_peers(ks_reader *r, const ks_yaml_node *rule, const char *key,
                       ks_netpol_rule *out)
{
    const ks_yaml_node *ps = ks_rd_seq(r, rule, key, false);
    size_t i, saved;
    bool ok = true;
    if (!ps)
        return !ks_yaml_get(rule, key) || ks_yaml_is_null(ks_yaml_get(rule, key));
    if (!ps->n)
        return true;
    if (!(out->peers = ksi_alloc_items(r, ps, ps->n, sizeof *out->peers)))
        return false;
    saved = ks_rd_push(r, key);
    for (i = 0; i < ps->n; i++) {
        const ks_yaml_node *pn = ps->items[i], *blk;
        ks_netpol_peer *p = &out->peers[out->npeers++];
        size_t s2 = ks_rd_push_index(r, i);
        if (pn->kind != KS_YAML_MAP) {
            ok = ks_rd_fail(r, pn, KS_ESCHEMA, "%s must be an object with podSelector, "
                            "namespaceSelector or ipBlock", ks_rd_field(r, ""));
            ks_rd_pop(r, s2);
            continue;
        }
        p->has_pods = ks_yaml_get(pn, "podSelector") != NULL;
        p->has_namespaces = ks_yaml_get(pn, "namespaceSelector") != NULL;
        ok &= ksi_read_selector(r, pn, "podSelector", false, &p->pods);
        ok &= ksi_read_selector(r, pn, "namespaceSelector", false, &p->namespaces);
        if ((blk = ks_rd_map(r, pn, "ipBlock", false)) != NULL) {
            size_t s3 = ks_rd_push(r, "ipBlock");
            if (p->has_pods || p->has_namespaces)
                ok = ks_rd_fail(r, blk, KS_EINVAL, "%s: Forbidden: may not specify both "
                                "ipBlock and another peer", ks_rd_field(r, ""));
            else
                ok &= read_ipblock(r, blk, p);
            ks_rd_pop(r, s3);
        } else if (!p->has_pods && !p->has_namespaces) {
            ok = ks_rd_fail(r, pn, KS_EINVAL, "%s: Required value: must specify a peer "
                            "(podSelector, namespaceSelector or ipBlock)", ks_rd_field(r, ""));
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_np_ports(ks_reader *r, const ks_yaml_node *rule, ks_netpol_rule *out)
{
    const ks_yaml_node *ps = ks_rd_seq(r, rule, "ports", false);
    size_t i, saved;
    bool ok = true;
    if (!ps || !ps->n)
        return true;
    if (!(out->ports = ksi_alloc_items(r, ps, ps->n, sizeof *out->ports)))
        return false;
    saved = ks_rd_push(r, "ports");
    for (i = 0; i < ps->n; i++) {
        const ks_yaml_node *pn = ps->items[i];
        ks_netpol_port *p = &out->ports[out->nports++];
        size_t s2 = ks_rd_push_index(r, i);
        int64_t end = 0;
        p->protocol = "TCP";
        if (pn->kind != KS_YAML_MAP) {
            ok = ks_rd_fail(r, pn, KS_ESCHEMA, "%s must be an object with protocol and port",
                            ks_rd_field(r, ""));
            ks_rd_pop(r, s2);
            continue;
        }
        if (ks_rd_str(r, pn, "protocol", false, &p->protocol) && strcmp(p->protocol, "TCP") != 0
            && strcmp(p->protocol, "UDP") != 0 && strcmp(p->protocol, "SCTP") != 0)
            ok = ks_rd_fail(r, ks_yaml_get(pn, "protocol"), KS_EINVAL,
                            "%s: Unsupported value: \"%s\": supported values: \"SCTP\", "
                            "\"TCP\", \"UDP\"", ks_rd_field(r, "protocol"), p->protocol);
        ok &= ksi_read_intstr(r, pn, "port", &p->port);
        p->any_port = !p->port.set;
        if (p->port.set && !p->port.is_str && (p->port.num < 1 || p->port.num > 65535))
            ok = ks_rd_fail(r, ks_yaml_get(pn, "port"), KS_EINVAL,
                            "%s: Invalid value: %lld: must be between 1 and 65535, inclusive",
                            ks_rd_field(r, "port"), (long long)p->port.num);
        if (ks_yaml_get(pn, "endPort")
            && ks_rd_int(r, pn, "endPort", true, 1, 65535, &end)) {
            p->end_port = (int)end;
            if (!p->port.set || p->port.is_str || end < p->port.num)
                ok = ks_rd_fail(r, ks_yaml_get(pn, "endPort"), KS_EINVAL,
                                "%s: Invalid value: %lld: must be greater than or equal to "
                                "`port` (a number)", ks_rd_field(r, "endPort"), (long long)end);
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_np_rules(ks_reader *r, const ks_yaml_node *spec, const char *key,
                          const char *peers, ks_netpol_rule **out, size_t *n)
{
    const ks_yaml_node *rs = ks_rd_seq(r, spec, key, false);
    size_t i, saved;
    bool ok = true;
    if (!rs || !rs->n)
        return true;
    if (!(*out = ksi_alloc_items(r, rs, rs->n, sizeof **out)))
        return false;
    saved = ks_rd_push(r, key);
    for (i = 0; i < rs->n; i++) {
        const ks_yaml_node *rn = rs->items[i];
        ks_netpol_rule *rule = &(*out)[(*n)++];
        size_t s2 = ks_rd_push_index(r, i);
        if (rn->kind != KS_YAML_MAP) {
            if (!(rn->kind == KS_YAML_MAP || ks_yaml_is_null(rn)))
                ok = ks_rd_fail(r, rn, KS_ESCHEMA, "%s must be an object with %s and ports",
                                ks_rd_field(r, ""), peers);
        } else {
            ok &= read_peers(r, rn, peers, rule);
            ok &= read_np_ports(r, rn, rule);
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

bool ksi_read_netpol(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true);
    ks_netpol_spec *np = &o->u.netpol;
    const char **types = NULL;
    size_t ntypes = 0, i, saved;
    bool ok = true;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    if (!ks_yaml_get(spec, "podSelector"))
        ok = ks_rd_fail(r, spec, KS_ESCHEMA, "%s: Required value: podSelector ({} selects every "
                        "pod of the namespace)", ks_rd_field(r, "podSelector"));
    else
        ok &= ksi_read_selector(r, spec, "podSelector", false, &np->pod_selector);
    ok &= read_np_rules(r, spec, "ingress", "from", &np->in, &np->nin);
    ok &= read_np_rules(r, spec, "egress", "to", &np->out, &np->nout);
    if (ks_rd_str_list(r, spec, "policyTypes", false, &types, &ntypes) && ntypes) {
        for (i = 0; i < ntypes; i++) {
            if (strcmp(types[i], "Ingress") == 0)
                np->ingress = true;
            else if (strcmp(types[i], "Egress") == 0)
                np->egress = true;
            else
                ok = ks_rd_fail(r, ks_yaml_get(spec, "policyTypes"), KS_EINVAL,
                                "%s: Unsupported value: \"%s\": supported values: \"Egress\", "
                                "\"Ingress\"", ks_rd_field(r, "policyTypes"), types[i]);
        }
    } else {
        np->ingress = true;                    /* SetDefaults_NetworkPolicy */
        np->egress = ks_yaml_get(spec, "egress") != NULL && np->nout > 0;
    }
    ks_rd_pop(r, saved);
    return ok;
}
