/* ks_fetch.c -- a request a container's own program sends (wget, curl in
 * kubesim's sh): the pod's resolver, the Service's port, kube-proxy's pick
 * of a ready endpoint, the NetworkPolicies in force, the container that
 * listens there and its answer (ksi_serve, as traffic gets it), all at
 * once; what it took comes back for the shell to wait. Reached from the
 * node layer through the cluster's `fetch` slot (node/ is below net/).
 */
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "cluster/ks_dns.h"
#include "core/internal/sim.h"
#include "internal/net.h"
#include "ks_netpol.h"
#include "node/internal/usage.h"
#include "node/internal/workload.h"
#include "node/ks_shell.h"
#include "storage/internal/data.h"

#define HOP (500 * KS_USEC)               /* one hop inside the cluster (ks_traffic.c) */
/* Linux gives up a connect whose SYNs are dropped after tcp_syn_retries (6)
 * retries, 127 s (Documentation/networking/ip-sysctl.rst); a lookup whose
 * packets are dropped, after resolv.conf's timeout x attempts (5 s x 2). */
#define SYN_GIVE_UP (127 * KS_SEC)
#define DNS_GIVE_UP (10 * KS_SEC)

static const ks_kv kube_dns_label = {"k8s-app", "kube-dns"};
static const ks_kvs kube_dns_labels = {(ks_kv *)&kube_dns_label, 1};

/* text into body (n bytes), {hostname} as the pod's name (hello-app). */
static void fill(char *body, size_t n, const char *text, const ksi_pod *p)
{
    size_t k = 0;
    for (; text && *text && k + 1 < n; text++) {
        if (strncmp(text, "{hostname}", 10) == 0) {
            k += (size_t)snprintf(body + k, n - k, "%s", p->pub.name);
            if (k >= n)
                k = n - 1;
            text += 9;
        } else {
            body[k++] = *text;
        }
    }
    body[k] = '\0';
}

/* What container c of p answers GET path with: the file it serves (its
 * text when written in the container or a volume, a ConfigMap's key, or
 * as the image ships it: pages: in assets/images.yaml), the route's body,
 * or the image's own page (body:: for a web server, its index file). Text
 * the catalog does not give is empty. */
static void body_of(ks_sim *sim, const ksi_pod *p, size_t c, const char *path, int status,
                    char *body, size_t n)
{
    const ks_image_entry *e = p->pub.containers[c].image;
    const ks_image_route *r;
    body[0] = '\0';
    if (status >= 400)
        return;
    if (e->web.docroot) {
        char rel[300], full[600];
        bool mounted;
        const char *text;
        ks_catalog_file_path(e, path, rel, sizeof rel);
        snprintf(full, sizeof full, "%s%s", e->web.docroot, rel);
        text = ksi_data_peek(sim, p, c, full, &mounted);
        if (text || strcmp(rel + 1, e->web.index ? e->web.index : "index.html") != 0) {
            if (!text && !mounted)           /* the image's own file */
                text = ks_catalog_page(e, rel, p->pub.containers[c].spec->image);
            fill(body, n, text, p);
            return;
        }
    } else if (e->nroutes && (r = ks_catalog_route(e, "GET", path)) != NULL && r->body) {
        fill(body, n, r->body, p);
        return;
    }
    fill(body, n, ks_catalog_body(e, p->pub.containers[c].spec->image), p);
}

static bool is_address(const char *host)
{
    unsigned a, b, c, d;
    char end;
    return host[0] >= '0' && host[0] <= '9'
           && sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) == 4;
}

static int fetch_once(ks_sim *sim, ks_id from, const char *method, const char *host, int port,
                      const char *path, char *body, size_t n, char addr[64], ks_time *took)
{
    ksi_pod *src = ksi_pod_get(sim, from), *p;
    ks_netpol_end self = src ? ks_netpol_pod(&src->pub) : (ks_netpol_end){NULL, NULL, NULL, NULL};
    ks_id svc = 0, pod = 0;
    int target = port, status;
    uint64_t id;
    size_t c;
    char line[300];
    ksi_text text;
    int ln;
    body[0] = '\0';
    addr[0] = '\0';
    *took = 0;
    if (src && ksi_net_loopback(host)) {
        /* the pod's own network namespace: no DNS, no kube-proxy, no
           NetworkPolicy (it filters what enters and leaves the pod) */
        snprintf(addr, 64, "%s", is_address(host) ? host : "127.0.0.1");
        pod = from;
    } else if (!is_address(host)) {
        ks_dns_answer a;
        if (src && ks_netpol_enforced(sim)) {
            /* the lookup goes to CoreDNS on UDP 53 first */
            ks_netpol_end dns = {"kube-system", &kube_dns_labels, NULL, NULL};
            if (!ks_netpol_allows(sim, &self, &dns, 53, "UDP")) {
                *took = DNS_GIVE_UP;
                return KS_SHELL_HTTP_NO_NAME;
            }
        }
        ks_dns_resolve(sim, src ? &src->pub : NULL, host, &a);
        if (a.rcode == KS_DNS_TIMEOUT)
            *took = DNS_GIVE_UP;               /* no DNS server answers */
        if (a.rcode != KS_DNS_NOERROR || !a.n)
            return KS_SHELL_HTTP_NO_NAME;
        snprintf(addr, 64, "%s", a.addr[0]);
    } else {
        snprintf(addr, 64, "%s", host);
    }
    if (!pod)
        ks_dns_owner(sim, addr, &svc, &pod);
    if (svc) {
        const ks_service *s = ks_cluster_service(sim, svc);
        int pi = s ? ksi_net_service_port(s, port, NULL) : -1;
        /* kube-proxy rejects a Service port with no ready endpoint */
        if (pi < 0 || !(pod = ksi_net_pick(sim, s, (size_t)pi, &target)))
            return KS_SHELL_HTTP_REFUSED;
    }
    p = ksi_pod_get(sim, pod);
    if (!p || !ks_cluster_node(sim, p->pub.node) || ks_cluster_node(sim, p->pub.node)->down) {
        *took = SYN_GIVE_UP;                   /* nobody answers the SYN */
        return KS_SHELL_HTTP_TIMEOUT;
    }
    if (src && p != src && ks_netpol_enforced(sim)) {
        ks_netpol_end to = ks_netpol_pod(&p->pub);
        if (!ks_netpol_allows(sim, &self, &to, target, "TCP")) {
            *took = SYN_GIVE_UP;
            return KS_SHELL_HTTP_TIMEOUT;
        }
    }
    for (c = 0; c < p->pub.ncontainers; c++)
        if (ksi_workload_listening(p, c, target))
            break;
    if (c == p->pub.ncontainers) {
        *took = HOP;
        return KS_SHELL_HTTP_REFUSED;
    }
    ln = snprintf(line, sizeof line, "%s %s", method, path);
    text.s = line;
    text.n = ln < 0 ? 0 : (size_t)ln < sizeof line ? (size_t)ln : sizeof line - 1;
    id = ksi_traffic_new_id(sim);
    *took = ksi_usage_work(sim, p, c, p->pub.containers[c].image->load.cpu_per_request);
    {
        ks_time served = 0;
        status = ksi_serve(sim, p, c, method, path, text, id, &served);
        *took += served + 2 * HOP;
    }
    if (src && p != src)
        ksi_traffic_hop(sim, id, text, ksi_pod_text(sim, src), ksi_pod_text(sim, p), 0, HOP);
    if (status < 0)
        return KS_SHELL_HTTP_RESET;            /* it died under the request */
    if (src && p != src)
        ksi_traffic_hop(sim, id, text, ksi_pod_text(sim, p), ksi_pod_text(sim, src), status,
                        *took);
    body_of(sim, p, c, path, status, body, n);
    return status;
}

/* A request through a Service counts in its route, as the window's
 * Requests panel and `requests` expectations show them; one to a pod's
 * address or a name that does not resolve counts nowhere. */
static int fetch(ks_sim *sim, ks_id from, const char *method, const char *host, int port,
                 const char *path, char *body, size_t n, char addr[64], ks_time *took)
{
    int status = fetch_once(sim, from, method, host, port, path, body, n, addr, took);
    ks_id svc = 0, pod = 0;
    const ks_service *s;
    if (!addr[0])
        return status;
    ks_dns_owner(sim, addr, &svc, &pod);
    if ((s = ks_cluster_service(sim, svc)) != NULL && s->obj)
        ksi_traffic_count(sim, method, path, s->obj->meta.name, status > 0 ? status : 0, *took);
    return status;
}

void ksi_net_fetch_init(ks_sim *sim)
{
    sim->cluster->fetch = fetch;
}
