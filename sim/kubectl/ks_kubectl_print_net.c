/* ks_kubectl_print_net.c -- `kubectl get` for the network's kinds:
 * services, endpoints and ingresses, with kubectl's headers and cells
 * (printers.go printService, printEndpoints, printIngress).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/kubectl.h"
#include "internal/print.h"
#include "load/ks_validate.h"

const char *ksi_kc_service_ports(ksi_kc *k, const ks_service *s)
{
    const ks_service_spec *spec = &s->obj->u.svc;
    ks_strbuf sb;
    const char *r;
    size_t i;
    if (spec->nports == 0)
        return "<none>";
    ks_strbuf_init(&sb, ks_sim_allocator(k->sim));
    for (i = 0; i < spec->nports; i++) {
        const ks_service_port *p = &spec->ports[i];
        int np = i < KS_SERVICE_MAX_PORTS && s->node_port[i] ? s->node_port[i] : p->node_port;
        ks_strbuf_printf(&sb, "%s%d", i ? "," : "", p->port);
        if (np && spec->type != KS_SVC_CLUSTERIP)
            ks_strbuf_printf(&sb, ":%d", np);
        ks_strbuf_printf(&sb, "/%s", p->protocol ? p->protocol : "TCP");
    }
    r = ks_arena_strdup(k->tmp, ks_strbuf_str(&sb));
    ks_strbuf_fini(&sb);
    return r ? r : "";
}

/* The Service of id as the cluster keeps it (a stand-in when the cluster
 * does not track Services itself). */
static const ks_service *service_of(ksi_kc *k, ks_id id)
{
    const ks_service *s = ks_cluster_service(k->sim, id);
    ks_service *fake;
    if (s)
        return s;
    if (!(fake = ks_arena_alloc(k->tmp, sizeof *fake)))
        return NULL;
    fake->id = id;
    fake->obj = ks_cluster_object(k->sim, id);
    snprintf(fake->cluster_ip, sizeof fake->cluster_ip, "<none>");
    return fake->obj ? fake : NULL;
}

void ksi_print_services(ksi_table *t, const ks_id *ids, size_t n, bool wide)
{
    static const char *const types[] = {"ClusterIP", "NodePort", "LoadBalancer",
                                        "ExternalName"};
    ksi_kc *k = t->k;
    size_t i;
    if (wide)
        HEAD(t, "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR");
    else
        HEAD(t, "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
    for (i = 0; i < n; i++) {
        const ks_service *s = service_of(k, ids[i]);
        const ks_service_spec *spec;
        const char *ext = "<none>", *cip;
        if (!s)
            continue;
        spec = &s->obj->u.svc;
        cip = s->cluster_ip[0] ? s->cluster_ip : "<none>";
        if (spec->type == KS_SVC_LOADBALANCER)
            ext = s->external_ip[0] ? s->external_ip : "<pending>";
        else if (spec->type == KS_SVC_EXTERNALNAME) {
            ext = spec->external_name ? spec->external_name : "<none>";
            cip = "<none>";
        }
        if (wide)
            ROW(t, ids[i], s->obj->meta.name, types[spec->type], cip, ext,
                ksi_kc_service_ports(k, s), ksi_kc_age(k, ks_cluster_created(k->sim, ids[i])),
                spec->selector.n ? ksi_kc_labels_text(k, &spec->selector) : "<none>");
        else
            ROW(t, ids[i], s->obj->meta.name, types[spec->type], cip, ext,
                ksi_kc_service_ports(k, s), ksi_kc_age(k, ks_cluster_created(k->sim, ids[i])));
    }
}

int ks_kubectl_target_port(const ks_service_port *sp, const ks_pod *p)
{
    return ks_service_target_port(sp, p);
}

/* kubectl's formatEndpoints: ip:port for each port and ready address, the
 * first three, then "+ N more...". */
static const char *endpoints_text(ksi_kc *k, ks_id id)
{
    const ks_service *s = ks_cluster_kind(k->sim, id) == KS_KIND_SERVICE ? service_of(k, id)
                                                                          : NULL;
    const ks_object *o = ks_cluster_object(k->sim, id);
    ks_strbuf sb;
    const char *r;
    size_t shown = 0, count = 0, i, j;
    ks_strbuf_init(&sb, ks_sim_allocator(k->sim));
    if (s && s->obj->u.svc.selector.n) {
        if (s->nready == 0 && s->nnot_ready == 0)
            return "<none>";
        for (i = 0; i < s->obj->u.svc.nports || (i == 0 && s->obj->u.svc.nports == 0); i++) {
            for (j = 0; j < s->nready; j++) {
                const ks_pod *p = ks_cluster_pod(k->sim, s->ready[j]);
                if (!p || (s->obj->u.svc.nports && !ks_service_serves(s, j, i)))
                    continue;
                count++;
                if (shown == 3)
                    continue;
                if (s->obj->u.svc.nports)
                    ks_strbuf_printf(&sb, "%s%s:%d", shown ? "," : "", p->ip,
                                     ks_kubectl_target_port(&s->obj->u.svc.ports[i], p));
                else
                    ks_strbuf_printf(&sb, "%s%s", shown ? "," : "", p->ip);
                shown++;
            }
        }
    } else {
        /* an Endpoints object applied by hand, for a Service without selector */
        ks_id ep = ks_cluster_find(k->sim, KS_KIND_ENDPOINTS, ksi_kc_obj_ns(k->sim, id),
                                   ksi_kc_obj_name(k->sim, id));
        const ks_object *eo = ks_cluster_object(k->sim, ep);
        int port = s && s->obj->u.svc.nports ? s->obj->u.svc.ports[0].port : 0;
        (void)o;
        if (!eo || eo->u.ep.naddrs == 0) {
            ks_strbuf_fini(&sb);
            return "<none>";
        }
        for (i = 0; i < eo->u.ep.naddrs; i++) {
            if (!eo->u.ep.addrs[i].ready)
                continue;
            count++;
            if (shown == 3)
                continue;
            if (eo->u.ep.addrs[i].port || port)
                ks_strbuf_printf(&sb, "%s%s:%d", shown ? "," : "", eo->u.ep.addrs[i].ip,
                                 eo->u.ep.addrs[i].port ? eo->u.ep.addrs[i].port : port);
            else
                ks_strbuf_printf(&sb, "%s%s", shown ? "," : "", eo->u.ep.addrs[i].ip);
            shown++;
        }
    }
    if (count > shown)
        ks_strbuf_printf(&sb, " + %zu more...", count - shown);
    r = ks_arena_strdup(k->tmp, ks_strbuf_str(&sb));
    ks_strbuf_fini(&sb);
    return r ? r : "";
}

void ksi_print_endpoints(ksi_table *t, const ks_id *ids, size_t n)
{
    ksi_kc *k = t->k;
    size_t i;
    HEAD(t, "NAME", "ENDPOINTS", "AGE");
    for (i = 0; i < n; i++)
        ROW(t, ids[i], ksi_kc_obj_name(k->sim, ids[i]), endpoints_text(k, ids[i]),
            ksi_kc_age(k, ks_cluster_created(k->sim, ids[i])));
}

static const char *ingress_address(ksi_kc *k, const ks_ingress_spec *ing)
{
    ks_id id = ks_cluster_find(k->sim, KS_KIND_SERVICE, "ingress-nginx",
                               "ingress-nginx-controller");
    const ks_service *s = id ? ks_cluster_service(k->sim, id) : NULL;
    if (!ing->class_name || strcmp(ing->class_name, "nginx") != 0 || !s)
        return "";
    return s->external_ip[0] ? s->external_ip : ksi_kc_node_ip(k, 0);
}

void ksi_print_ingresses(ksi_table *t, const ks_id *ids, size_t n)
{
    ksi_kc *k = t->k;
    size_t i, r;
    HEAD(t, "NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE");
    for (i = 0; i < n; i++) {
        const ks_object *o = ks_cluster_object(k->sim, ids[i]);
        const ks_ingress_spec *ing = &o->u.ing;
        ks_strbuf sb;
        const char *hosts;
        ks_strbuf_init(&sb, ks_sim_allocator(k->sim));
        for (r = 0; r < ing->nrules; r++)
            if (ing->rules[r].host)
                ks_strbuf_printf(&sb, "%s%s", sb.len ? "," : "", ing->rules[r].host);
        hosts = ksi_kc_fmt(k, "%s", sb.len ? ks_strbuf_str(&sb) : "*");
        ks_strbuf_fini(&sb);
        ROW(t, ids[i], o->meta.name, ing->class_name ? ing->class_name : "<none>", hosts,
            ingress_address(k, ing), ing->ntls_hosts ? "80, 443" : "80",
            ksi_kc_age(k, ks_cluster_created(k->sim, ids[i])));
    }
}
