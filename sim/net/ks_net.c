/* ks_net.c -- in-cluster networking: kube-proxy's choice of endpoint
 * (random per connection, as in iptables mode, among the endpoints of the
 * Service port), ingress-nginx's round robin, and the controller's routing
 * table (ks_ingress.c), rebuilt when an Ingress changes (KUBERNETES.md
 * sections 7 and 8). Names are cluster/ks_dns.c's.
 * A table nginx -t would refuse (a regex path PCRE cannot compile) is not
 * loaded: the controller's reload fails, it says so in a Warning event
 * RELOAD on its pod, and nginx keeps its last good table, for every
 * Ingress, until the configuration loads again (ingress-nginx
 * internal/ingress/controller/controller.go syncIngress, nginx.go OnUpdate
 * and testTemplate). It retries the failed sync: its work queue is
 * client-go's DefaultTypedControllerRateLimiter (5 ms doubling per failure,
 * at most 1000 s: workqueue/default_rate_limiters.go), behind its own
 * limiter of --sync-rate-limit 0.3 syncs a second (pkg/flags/flags.go;
 * nginx.go NewTokenBucketRateLimiter), so a retry comes max(1/0.3 s,
 * 5 ms * 2^(failures-1)) after a failure (internal/task/queue.go worker:
 * AddRateLimited on error).
 */
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "cluster/ks_dns.h"
#include "internal/net.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

/* An app asks for the same few names on every request: the Service a
 * (pod, name) resolves to is kept until the DNS records change
 * (ksi_dns_version), so a request does no lookup. */
#define RESOLVE_MEMO 64
#define RESOLVE_WAYS 4                /* a name may sit in any of 4 slots of its set */
#define RESOLVE_NAME 64               /* longer names are not kept */
#define PEER_MEMO 64                  /* processes' peers (ksi_net_peer_env) */
#define ROUTE_MEMO 16                 /* images' routes (ksi_net_route_memo) */
#define SERVING_MEMO 16               /* Service ports' ready endpoints (serving_of) */
#define SERVING_MAX 8                 /* more are not kept: counted per request */
#define SYNC_MIN_GAP (10 * KS_SEC / 3)  /* --sync-rate-limit 0.3 (flags.go) */
#define RETRY_BASE (5 * KS_MSEC)        /* client-go DefaultTypedControllerRateLimiter: */
#define RETRY_MAX (1000 * KS_SEC)       /* ItemExponentialFailureRateLimiter(5ms, 1000s) */
#define INGRESS_NS "ingress-nginx"
#define INGRESS_SVC "ingress-nginx-controller"

/* The ready endpoints that serve a Service port, in order: kube-proxy
 * picks among them on every connection, and they change only when the
 * DNS records' version does (a Service or any endpoints changed). */
typedef struct serving_memo {
    uint64_t version;             /* ksi_dns_version + 1 when listed; 0: empty */
    ks_id svc;
    size_t pi;
    size_t n;
    ks_id pod[SERVING_MAX];
} serving_memo;

typedef struct resolve_memo {
    uint64_t version;             /* ksi_dns_version + 1 when it was found; 0: empty */
    ks_id from;                   /* the asking pod, 0 for none */
    bool from_ip;                 /* whether it had its IP (its /etc/hosts) */
    char host[RESOLVE_NAME];
    ks_id svc;
} resolve_memo;

/* The network's state (the cluster's `net` slot). */
struct ksi_net {
    ks_ingress_table *ingress;    /* the controller's routes: the last table nginx loaded */
    uint64_t ingress_version;     /* counts rebuilds: a new table may reuse the old address */
    bool ingress_dirty;
    bool sync_pending;            /* a sync for a change is scheduled */
    unsigned reload_failures;     /* failed reloads in a row */
    ks_event_id retry;            /* the sync retried after a failure; 0: none */
    uint64_t *rr;                 /* ingress-nginx's round robin, by Service id */
    size_t rr_cap;
    resolve_memo memo[RESOLVE_MEMO];
    unsigned memo_turn;
    ksi_peer_env peers[PEER_MEMO];
    ksi_route_memo routes[ROUTE_MEMO];
    serving_memo serving[SERVING_MEMO];
};

ksi_peer_env *ksi_net_peer_env(ks_sim *sim, uint32_t gen, unsigned use)
{
    return &sim->cluster->net->peers[(gen * 2654435761u + use) % PEER_MEMO];
}

ksi_route_memo *ksi_net_route_memo(ks_sim *sim, const void *image, const char *method,
                                   const char *path)
{
    uint64_t h = ((uint64_t)(uintptr_t)image ^ (uint64_t)(uintptr_t)path * 31u
                  ^ (uint64_t)(uintptr_t)method * 7u) * 0x9e3779b97f4a7c15ull;
    /* four ways a set: the few routes an app serves stay, wherever the
       addresses fall; a new one goes first and the set's last goes */
    ksi_route_memo *set = &sim->cluster->net->routes[(h >> 62) * 4];
    size_t i;
    for (i = 0; i < 4; i++)
        if (set[i].image == image && set[i].method == method && set[i].path == path)
            return &set[i];
    memmove(set + 1, set, 3 * sizeof *set);
    set[0].image = NULL;
    return &set[0];
}

/* Whether host can be a dotted IPv4 address for sscanf's %u (which takes
 * leading blanks and signs): a name starting with a letter cannot. */
static bool maybe_address(const char *host)
{
    char c = host[0];
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

bool ksi_net_loopback(const char *host)
{
    unsigned a1, a2, a3, a4;
    char end;
    if (strcmp(host, "localhost") == 0 || strcmp(host, "localhost.") == 0
        || strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0)
        return true;
    if (!maybe_address(host))               /* a name: asked on every call */
        return false;
    return sscanf(host, "%u.%u.%u.%u%c", &a1, &a2, &a3, &a4, &end) == 4 && a1 == 127
           && a2 < 256 && a3 < 256 && a4 < 256;
}

ks_id ksi_net_resolve(ks_sim *sim, const ks_pod *from, const char *host)
{
    struct ksi_net *net = sim->cluster->net;
    ks_dns_answer a;
    ks_id svc = 0, pod = 0;
    unsigned a1, a2, a3, a4;
    char end;
    size_t len;
    uint64_t version, h = 1469598103934665603ull;
    resolve_memo *m = NULL;
    if (!host || !*host)
        return 0;
    if (maybe_address(host) && sscanf(host, "%u.%u.%u.%u%c", &a1, &a2, &a3, &a4, &end) == 4) {
        ks_dns_owner(sim, host, &svc, &pod);  /* an address: nothing to look up */
        return svc;
    }
    len = strlen(host);
    if (net && len < RESOLVE_NAME) {
        size_t i, set;
        version = ksi_dns_version(sim) + 1;
        /* the set comes from where the name is (an app asks with the same
         * env string every time), so it is not hashed byte by byte; which
         * slot holds what never changes an answer, only how often it hits */
        h = (h ^ (uint64_t)(uintptr_t)host) * 1099511628211ull;
        h = (h ^ (from ? from->id : 0)) * 1099511628211ull;
        h ^= h >> 29;                     /* the pod's id reaches the low bits */
        h *= 0xbf58476d1ce4e5b9ull;
        set = (size_t)(h >> 58) % (RESOLVE_MEMO / RESOLVE_WAYS) * RESOLVE_WAYS;
        for (i = set; i < set + RESOLVE_WAYS; i++) {
            resolve_memo *e = &net->memo[i];
            if (e->version == version && e->from == (from ? from->id : 0)
                && e->from_ip == (from && from->ip[0]) && strcmp(e->host, host) == 0)
                return e->svc;
            if (!m && e->version != version)
                m = e;                        /* empty or stale: take it */
        }
        if (!m)                               /* all in use: the ways take turns */
            m = &net->memo[set + net->memo_turn++ % RESOLVE_WAYS];
    }
    ks_dns_resolve(sim, from, host, &a);
    svc = a.n ? a.svc : 0;
    if (m) {
        m->version = version;
        m->from = from ? from->id : 0;
        m->from_ip = from && from->ip[0];
        memcpy(m->host, host, len + 1);
        m->svc = svc;
    }
    return svc;
}

ks_id ksi_net_nodeport(const ks_sim *sim, int port, size_t *index)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_SERVICE, id)) != 0) {
        const ks_service *s = ks_cluster_service(sim, id);
        size_t i;
        for (i = 0; i < KS_SERVICE_MAX_PORTS; i++)
            if (s->node_port[i] == port) {
                *index = i;
                return id;
            }
    }
    return 0;
}

int ksi_net_service_port(const ks_service *svc, int port, const char *name)
{
    size_t i;
    for (i = 0; i < svc->obj->u.svc.nports; i++) {
        const ks_service_port *p = &svc->obj->u.svc.ports[i];
        if (strcmp(p->protocol, "TCP") != 0)
            continue;                 /* what connects here speaks TCP (kube-dns: 53 twice) */
        if ((name && p->name && strcmp(p->name, name) == 0) || (!name && p->port == port))
            return (int)i;
    }
    return -1;
}

int ksi_net_target_port(const ks_service *svc, size_t pi, const ks_pod *p)
{
    return ks_service_target_port(&svc->obj->u.svc.ports[pi], p);
}

/* The ready endpoints of svc that serve its port pi, in order; *n gets
 * their count. A Service without ports (headless) has every one. */
static size_t serving(const ks_service *svc, size_t pi, size_t want, ks_id *pod)
{
    size_t k, n = 0;
    bool any = svc->obj->u.svc.nports == 0;
    for (k = 0; k < svc->nready; k++)
        if (any || ks_service_serves(svc, k, pi)) {
            if (n == want)
                *pod = svc->ready[k];
            n++;
        }
    return n;
}

static int port_on(const ks_service *svc, size_t pi, const ks_pod *p)
{
    return svc->obj->u.svc.nports ? ksi_net_target_port(svc, pi, p) : 0;
}

/* serving()'s list for (svc, pi), kept while the DNS records' version
 * stays; NULL when the network has no table or there are more than
 * SERVING_MAX (then serving() counts them, as before). */
static const serving_memo *serving_of(ks_sim *sim, const ks_service *svc, size_t pi)
{
    struct ksi_net *net = sim->cluster->net;
    uint64_t version;
    serving_memo *m;
    size_t k;
    if (!net)
        return NULL;
    version = ksi_dns_version(sim) + 1;
    /* two ways a set: the few Services an app calls on every request
       stay, whatever their ids */
    m = &net->serving[((svc->id * 0x9e3779b97f4a7c15ull + pi) >> 32) % (SERVING_MEMO / 2) * 2];
    if (m[0].version == version && m[0].svc == svc->id && m[0].pi == pi)
        return &m[0];
    if (m[1].version == version && m[1].svc == svc->id && m[1].pi == pi)
        return &m[1];
    if (m[0].version == version)          /* the other way: stale, or the older */
        m[1] = m[0];
    m->version = 0;
    m->n = serving(svc, pi, (size_t)-1, &m->pod[0]);
    if (m->n > SERVING_MAX)
        return NULL;
    for (k = 0; k < m->n; k++)
        serving(svc, pi, k, &m->pod[k]);
    m->version = version;
    m->svc = svc->id;
    m->pi = pi;
    return m;
}

/* The k-th of the n that serve (svc, pi): from the kept list, or counted. */
static ks_id serving_at(const ks_service *svc, size_t pi, const serving_memo *m, size_t k)
{
    ks_id pod = 0;
    if (m)
        return m->pod[k];
    serving(svc, pi, k, &pod);
    return pod;
}

ks_id ksi_net_pick(ks_sim *sim, const ks_service *svc, size_t pi, int *target)
{
    const serving_memo *m = serving_of(sim, svc, pi);
    ks_id pod = 0;
    size_t n = m ? m->n : serving(svc, pi, (size_t)-1, &pod);
    if (!n)
        return 0;
    pod = serving_at(svc, pi, m, (size_t)ks_rng_below(ks_sim_rng(sim, KS_RNG_ROUTING), n));
    *target = port_on(svc, pi, ks_cluster_pod(sim, pod));
    return pod;
}

ks_id ksi_net_round_robin(ks_sim *sim, const ks_service *svc, size_t pi, int *target)
{
    struct ksi_net *net = sim->cluster->net;
    const serving_memo *m = serving_of(sim, svc, pi);
    ks_id pod = 0;
    size_t n = m ? m->n : serving(svc, pi, (size_t)-1, &pod);
    if (!n)
        return 0;
    if (svc->id >= net->rr_cap) {
        size_t had = net->rr_cap;
        if (ks_mem_grow(&sim->alloc, (void **)&net->rr, &net->rr_cap, svc->id + 1,
                        sizeof *net->rr)) {
            ks_sim_fail(sim, KS_ENOMEM);
            return 0;
        }
        memset(net->rr + had, 0, (net->rr_cap - had) * sizeof *net->rr);
    }
    pod = serving_at(svc, pi, m, (size_t)(net->rr[svc->id]++ % n));
    *target = port_on(svc, pi, ks_cluster_pod(sim, pod));
    return pod;
}

/* ---- the ingress controller's table ---------------------------------------------------- */
static void ingress_sync(ks_sim *sim, void *subject, uint64_t retry);

/* The controller pod, as the Service's first ready endpoint (0: none). */
static ks_id controller_pod(const ks_sim *sim)
{
    const ks_service *svc = ks_cluster_service(sim, ks_cluster_find(sim, KS_KIND_SERVICE,
                                                                    INGRESS_NS, INGRESS_SVC));
    return svc && svc->nready ? svc->ready[0] : 0;
}

/* nginx -t refused the new configuration: the Warning event on the
 * controller pod (k8s.IngressPodDetails), in OnUpdate's words, condensed
 * to one line (the real one spans the dashes of testTemplate, the error
 * log's timestamped copy and the temporary file's name and line), and the
 * retry. */
static void reload_failed(ks_sim *sim, struct ksi_net *c, const ks_ingress_failure *f)
{
    ks_id pod = controller_pod(sim);
    const ks_pod *p = pod ? ks_cluster_pod(sim, pod) : NULL;
    ks_time gap = RETRY_BASE;
    unsigned k;
    if (p)
        ksi_event(sim, true, "RELOAD", KS_KIND_POD, p->name, pod, "nginx-ingress-controller",
                  "Error reloading NGINX: Error: exit status 1 nginx: [emerg] %s in "
                  "/tmp/nginx/nginx-cfg nginx: configuration file /tmp/nginx/nginx-cfg test "
                  "failed", f->text);
    for (k = 1; k < c->reload_failures && gap < RETRY_MAX; k++)
        gap *= 2;
    if (gap > RETRY_MAX)
        gap = RETRY_MAX;
    if (c->reload_failures < 64)          /* the gap is at RETRY_MAX long before */
        c->reload_failures++;
    ks_event_cancel(sim, c->retry);
    c->retry = ks_event_after(sim, gap > SYNC_MIN_GAP ? gap : SYNC_MIN_GAP, KSI_PRIO_ENDPOINTS,
                              ingress_sync, c, 1);
}

const ks_ingress_table *ksi_net_ingress(ks_sim *sim, uint64_t *version)
{
    struct ksi_net *c = sim->cluster->net;
    const ks_object **objs = NULL;
    ks_ingress_table *fresh = NULL;
    size_t n = 0, cap = 0;
    ks_diags *d;
    ks_id id = 0;
    *version = c->ingress_version;
    if (!c->ingress_dirty)
        return c->ingress;
    c->ingress_dirty = false;
    while ((id = ks_cluster_next(sim, KS_KIND_INGRESS, id)) != 0) {
        if (ksi_grow(sim, (void **)&objs, &cap, n + 1, sizeof *objs))
            return c->ingress;
        objs[n++] = ks_cluster_object(sim, id);
    }
    id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_INGRESSCLASS, id)) != 0) {
        if (ksi_grow(sim, (void **)&objs, &cap, n + 1, sizeof *objs))
            return c->ingress;
        objs[n++] = ks_cluster_object(sim, id);
    }
    d = ks_mem_alloc(&sim->alloc, sizeof *d);
    if (d) {
        const ks_ingress_failure *bad;
        ks_diags_init(d);
        ks_ingress_table_create(&sim->alloc, NULL, objs, n, &fresh, d);
        if ((bad = ks_ingress_table_reload_error(fresh)) != NULL) {
            reload_failed(sim, c, bad);        /* nginx keeps the last good one */
            ks_ingress_table_destroy(fresh);
        } else {
            c->reload_failures = 0;
            ks_event_cancel(sim, c->retry);
            c->retry = 0;
            ks_ingress_table_destroy(c->ingress);
            c->ingress = fresh;
            *version = ++c->ingress_version;
            if (d->warnings && d->n)           /* tell the class in the log */
                ksi_event(sim, true, "IngressIgnored", KS_KIND_INGRESS, "ingress-nginx", 0,
                          "nginx-ingress-controller", "%s", d->items[0].err.msg);
        }
        ks_mem_free(&sim->alloc, d, sizeof *d);
    }
    ks_mem_free(&sim->alloc, objs, cap * sizeof *objs);
    return c->ingress;
}

/* The controller's sync: for a change (retry 0), or again after a failed
 * reload (retry 1; nothing to do once a later sync loaded). */
static void ingress_sync(ks_sim *sim, void *subject, uint64_t retry)
{
    struct ksi_net *net = subject;
    uint64_t version;
    if (retry) {
        net->retry = 0;
        if (!net->reload_failures)
            return;
        net->ingress_dirty = true;
    } else {
        net->sync_pending = false;
    }
    ksi_net_ingress(sim, &version);
}

/* ---- what it hears ------------------------------------------------------------------- */
/* An Ingress or IngressClass changed: the controller syncs at once (its
 * first token of --sync-rate-limit is there; kubesim does not delay later
 * ones), and a request before that rebuilds the routes itself. */
static void on_change(ks_sim *sim, const ksi_change *ch, void *ud)
{
    struct ksi_net *net = ud;
    (void)ch;
    net->ingress_dirty = true;
    if (!net->sync_pending && sim->cluster->ingress_nginx) {
        net->sync_pending = true;
        ks_event_schedule(sim, ks_now(sim), KSI_PRIO_ENDPOINTS, ingress_sync, net, 0);
    }
}

static void net_fini(ks_sim *sim, void *ud)
{
    struct ksi_net *net = ud;
    ks_ingress_table_destroy(net->ingress);
    ks_mem_free(&sim->alloc, net->rr, net->rr_cap * sizeof *net->rr);
    sim->cluster->net = NULL;
}

int ksi_ctl_net(ks_sim *sim)
{
    struct ksi_net *net = ksi_zalloc(sim, sizeof *net);
    if (!net || ksi_sim_add_part(sim, net_fini, net)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_INGRESS)
                                 | KSI_KIND_BIT(KS_KIND_INGRESSCLASS), on_change, net))
        return KS_ENOMEM;
    sim->cluster->net = net;
    ksi_net_fetch_init(sim);
    return KS_OK;
}

