/* ks_dns.c -- the cluster's DNS records and a pod's resolver (ks_dns.h).
 *
 * The records are one table sorted by name, rebuilt from the store when it
 * is asked after a change: a Service added, changed or removed (its
 * informer), or any Service's endpoints changed (the endpoints controller
 * bumps endpoints_epoch). Apps ask for the same few names on every
 * request, so a lookup is a binary search.
 */
#include "ks_dns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

typedef struct dns_rr {
    const char *name;             /* FQDN, lower case, no final dot */
    const char *addr;             /* an A record, or NULL for a CNAME */
    const char *cname;
    ks_id svc;
    uint32_t seq;                 /* insertion order: ties keep it */
} dns_rr;

/* The DNS server's state (the cluster's `dns` slot). */
struct ksi_dns {
    ks_arena *ar;                 /* the table's names, remade at each build */
    dns_rr *rr;
    size_t n, cap;
    uint64_t services;            /* bumped at every Service change */
    uint64_t built_services, built_endpoints;
    bool built;
    bool server_up;               /* the DNS Service has a ready endpoint */
};

/* ---- building the table -------------------------------------------------------- */
static void add(ks_sim *sim, struct ksi_dns *dns, const char *name, const char *addr,
                const char *cname, ks_id svc)
{
    dns_rr *r;
    char *lower;
    size_t i;
    if (ksi_grow(sim, (void **)&dns->rr, &dns->cap, dns->n + 1, sizeof *dns->rr))
        return;
    lower = ks_arena_strdup(dns->ar, name);
    if (!lower) {
        ks_sim_fail(sim, KS_ENOMEM);
        return;
    }
    for (i = 0; lower[i]; i++)
        if (lower[i] >= 'A' && lower[i] <= 'Z')
            lower[i] = (char)(lower[i] - 'A' + 'a');
    r = &dns->rr[dns->n];
    r->name = lower;
    r->addr = addr;
    r->cname = cname;
    r->svc = svc;
    r->seq = (uint32_t)dns->n++;
}

static int rr_cmp(const void *a, const void *b)
{
    const dns_rr *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* The records of one Service (kubernetes/dns docs/specification.md 2.3-2.5). */
static void add_service(ks_sim *sim, struct ksi_dns *dns, const ks_service *s)
{
    const ks_object *o = s->obj;
    const char *base = ks_arena_printf(dns->ar, "%s.%s.svc." KS_DNS_DOMAIN, o->meta.name,
                                       o->meta.ns);
    size_t k;
    if (!base) {
        ks_sim_fail(sim, KS_ENOMEM);
        return;
    }
    if (o->u.svc.type == KS_SVC_EXTERNALNAME) {
        add(sim, dns, base, NULL, o->u.svc.external_name, s->id);
        return;
    }
    if (!o->u.svc.headless) {
        add(sim, dns, base, s->cluster_ip, NULL, s->id);
        return;
    }
    /* headless: the ready endpoints, and the named ones by their hostname
     * (ShouldSetHostname, staging/src/k8s.io/endpointslice/util) */
    for (k = 0; k < s->nready; k++) {
        const ks_pod *p = ks_cluster_pod(sim, s->ready[k]);
        if (!p || !p->ip[0])
            continue;
        add(sim, dns, base, p->ip, NULL, s->id);
        if (p->spec->hostname && p->spec->subdomain
            && strcmp(p->spec->subdomain, o->meta.name) == 0 && strcmp(p->ns, o->meta.ns) == 0)
            add(sim, dns, ks_arena_printf(dns->ar, "%s.%s", p->spec->hostname, base), p->ip,
                NULL, s->id);
    }
}

/* Whether s is the Service pods send their queries to: the address their
 * resolv.conf names (KS_DNS_SERVER, whatever the Service is called: the
 * packets go to the address) on UDP port 53, with a ready endpoint for
 * kube-proxy to send them to. */
static bool serves_dns(const ks_service *s)
{
    const ks_object *o = s->obj;
    size_t i;
    if (strcmp(s->cluster_ip, KS_DNS_SERVER) != 0 || s->nready == 0)
        return false;
    for (i = 0; i < o->u.svc.nports; i++)
        if (o->u.svc.ports[i].port == 53 && strcmp(o->u.svc.ports[i].protocol, "UDP") == 0)
            return true;
    return false;
}

static struct ksi_dns *table(ks_sim *sim)
{
    struct ksi_dns *dns = sim->cluster->dns;
    ks_id id = 0;
    if (dns->built && dns->built_services == dns->services
        && dns->built_endpoints == sim->cluster->endpoints_epoch)
        return dns;
    ks_arena_destroy(dns->ar);
    dns->n = 0;
    if (!(dns->ar = ks_arena_create(&sim->alloc))) {
        ks_sim_fail(sim, KS_ENOMEM);
        dns->built = false;
        return dns;
    }
    dns->server_up = false;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *s = ks_cluster_service(sim, id);
        add_service(sim, dns, s);
        dns->server_up |= serves_dns(s);
    }
    if (dns->n)
        qsort(dns->rr, dns->n, sizeof *dns->rr, rr_cmp);
    dns->built = true;
    dns->built_services = dns->services;
    dns->built_endpoints = sim->cluster->endpoints_epoch;
    return dns;
}

/* ---- answering ------------------------------------------------------------------- */
/* "10-244-0-5.default.pod.cluster.local" -> "10.244.0.5" (pods insecure:
 * any well-formed name answers with the address it spells). */
static bool pod_record(const char *name, char *addr, size_t n)
{
    unsigned a, b, c, d;
    int used = 0;
    const char *rest;
    if (sscanf(name, "%3u-%3u-%3u-%3u.%n", &a, &b, &c, &d, &used) != 4 || !used)
        return false;
    rest = strchr(name + used, '.');
    if (a > 255 || b > 255 || c > 255 || d > 255 || !rest || rest == name + used
        || strcmp(rest, ".pod." KS_DNS_DOMAIN) != 0)
        return false;
    snprintf(addr, n, "%u.%u.%u.%u", a, b, c, d);
    return true;
}

void ks_dns_query(ks_sim *sim, const char *name, ks_dns_answer *out)
{
    struct ksi_dns *dns = table(sim);
    size_t len = strlen(name), lo = 0, hi, i;
    memset(out, 0, sizeof *out);
    out->rcode = KS_DNS_NXDOMAIN;
    if (len && name[len - 1] == '.')
        len--;
    if (len == 0 || len >= sizeof out->name)
        return;
    for (i = 0; i < len; i++)
        out->name[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
    out->name[len] = '\0';
    if (pod_record(out->name, out->addr[0], sizeof out->addr[0])) {
        out->rcode = KS_DNS_NOERROR;
        out->n = 1;
        return;
    }
    hi = dns->n;
    while (lo < hi) {                         /* the first record of the name */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(dns->rr[mid].name, out->name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (i = lo; i < dns->n && strcmp(dns->rr[i].name, out->name) == 0; i++) {
        const dns_rr *r = &dns->rr[i];
        out->rcode = KS_DNS_NOERROR;
        out->svc = r->svc;
        if (r->cname)
            out->cname = r->cname;
        else if (out->n < KS_DNS_MAX_ANSWERS)
            snprintf(out->addr[out->n++], sizeof out->addr[0], "%s", r->addr);
    }
}

size_t ks_dns_search(const char *ns, char list[][KS_DNS_NAME_MAX], size_t max)
{
    size_t n = 0;
    if (n < max)
        snprintf(list[n++], KS_DNS_NAME_MAX, "%s.svc." KS_DNS_DOMAIN, ns);
    if (n < max)
        snprintf(list[n++], KS_DNS_NAME_MAX, "svc." KS_DNS_DOMAIN);
    if (n < max)
        snprintf(list[n++], KS_DNS_NAME_MAX, KS_DNS_DOMAIN);
    return n;
}

/* The pod's /etc/hosts: its hostname (and FQDN with a subdomain). */
static bool hosts_file(const ks_pod *p, const char *name, ks_dns_answer *out)
{
    const char *host = p->spec->hostname ? p->spec->hostname : p->name;
    char fqdn[KS_DNS_NAME_MAX];
    if (!p->ip[0])
        return false;
    snprintf(fqdn, sizeof fqdn, "%s.%s.%s.svc." KS_DNS_DOMAIN, host,
             p->spec->subdomain ? p->spec->subdomain : "", p->ns);
    if (strcmp(name, host) != 0 && !(p->spec->subdomain && strcmp(name, fqdn) == 0))
        return false;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->addr[0], sizeof out->addr[0], "%s", p->ip);
    out->n = 1;
    return true;
}

static bool try_name(ks_sim *sim, const char *name, const char *domain, ks_dns_answer *out)
{
    char full[KS_DNS_NAME_MAX * 2];
    size_t a = strlen(name), b = domain ? strlen(domain) + 1 : 0;
    if (a + b >= sizeof full) {               /* longer than any DNS name */
        ks_dns_query(sim, "", out);
        return false;
    }
    memcpy(full, name, a);
    if (domain) {
        full[a] = '.';
        memcpy(full + a + 1, domain, b);      /* with its NUL */
    } else {
        full[a] = '\0';
    }
    ks_dns_query(sim, full, out);
    return out->n > 0;
}

bool ks_dns_server_up(ks_sim *sim)
{
    return table(sim)->server_up;
}

bool ks_dns_asks_server(const ks_pod *p, const char *name)
{
    ks_dns_answer local;
    unsigned a, b, c, d;
    char end;
    if (sscanf(name, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) == 4)
        return false;                         /* an address: nothing to look up */
    return !(p && hosts_file(p, name, &local));
}

void ks_dns_resolve(ks_sim *sim, const ks_pod *p, const char *name, ks_dns_answer *out)
{
    char search[KS_DNS_MAX_SEARCH][KS_DNS_NAME_MAX];
    size_t ns = ks_dns_search(p ? p->ns : "default", search, KS_DNS_MAX_SEARCH), i, dots = 0;
    size_t len = strlen(name);
    ks_dns_answer first;
    if (p && hosts_file(p, name, out))
        return;
    if (!ks_dns_server_up(sim)) {             /* every query goes unanswered */
        memset(out, 0, sizeof *out);
        snprintf(out->name, sizeof out->name, "%s", name);
        out->rcode = KS_DNS_TIMEOUT;
        return;
    }
    if (len && name[len - 1] == '.') {        /* absolute */
        ks_dns_query(sim, name, out);
        return;
    }
    for (i = 0; i < len; i++)
        dots += name[i] == '.';
    /* glibc res_search: ndots or more dots, the name as it is first */
    if (dots >= KS_DNS_NDOTS && try_name(sim, name, NULL, out))
        return;
    for (i = 0; i < ns; i++)
        if (try_name(sim, name, search[i], out))
            return;
    if (dots < KS_DNS_NDOTS && try_name(sim, name, NULL, out))
        return;
    ks_dns_query(sim, name, &first);          /* the failure names the name asked */
    *out = first;
    out->rcode = KS_DNS_NXDOMAIN;
}

void ks_dns_owner(const ks_sim *sim, const char *ip, ks_id *svc, ks_id *pod)
{
    ks_id id = 0;
    *svc = *pod = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0)
        if (strcmp(ks_cluster_service(sim, id)->cluster_ip, ip) == 0) {
            *svc = id;
            return;
        }
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0)
        if (strcmp(ks_cluster_pod(sim, id)->ip, ip) == 0) {
            *pod = id;
            return;
        }
}

uint64_t ksi_dns_version(const ks_sim *sim)
{
    /* both only grow: the sum changes when either does */
    return sim->cluster->dns->services + sim->cluster->endpoints_epoch;
}

uint64_t ksi_services_version(const ks_sim *sim)
{
    return sim->cluster->dns->services;
}

/* ---- what it hears ------------------------------------------------------------------- */
static void on_service(ks_sim *sim, const ksi_change *ch, void *ud)
{
    struct ksi_dns *dns = ud;
    (void)sim;
    (void)ch;
    dns->services++;
}

static void dns_fini(ks_sim *sim, void *ud)
{
    struct ksi_dns *dns = ud;
    ks_arena_destroy(dns->ar);
    ks_mem_free(&sim->alloc, dns->rr, dns->cap * sizeof *dns->rr);
    sim->cluster->dns = NULL;
}

int ksi_ctl_dns(ks_sim *sim)
{
    struct ksi_dns *dns = ksi_zalloc(sim, sizeof *dns);
    if (!dns || ksi_sim_add_part(sim, dns_fini, dns)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_SERVICE), on_service, dns))
        return KS_ENOMEM;
    sim->cluster->dns = dns;
    return KS_OK;
}
