/* ks_traffic.c -- requests: generators, hop-by-hop travel, what the pods'
 * workloads answer, and statistics.
 *
 * A request is three events: it reaches its entry point (the ingress
 * controller, a node's port, a load balancer, a Service's cluster IP), it
 * reaches a pod, and the answer reaches the client. Each hop is a trace
 * event with its latency. Status codes come from what happened on the way
 * (KUBERNETES.md sections 7-8): no controller or no address = no response;
 * no route = 404 (the default backend); no ready endpoint = 503; a pod that
 * does not listen on the target port = 502; an api whose database or cache
 * cannot be reached = 500, with the error the real app logs.
 */
#include <string.h>

#include "cluster/internal/cluster.h"
#include "storage/internal/data.h"
#include "internal/net.h"
#include "core/internal/sim.h"
#include "node/internal/usage.h"
#include "node/internal/workload.h"
#include "core/ks_error.h"
#include "ks_netpol.h"
#include "internal/traffic.h"

#define HOP (500 * KS_USEC)           /* one network hop inside the cluster */
#define EDGE (2 * KS_MSEC)            /* client to the cluster's edge */
/* A connection to a pod on a dead node is never answered: the caller gives
 * up after its connect timeout. ingress-nginx's proxy-connect-timeout
 * defaults to 5 s (kubernetes.github.io/ingress-nginx/user-guide/
 * nginx-configuration/configmap/#proxy-connect-timeout), then it answers
 * 504; kubesim's generators, calling a Service from inside, wait as long. */
#define CONNECT_TIMEOUT (5 * KS_SEC)
/* ingress-nginx gives up on a backend that has not answered within
 * proxy-read-timeout, 60 s by default, and answers 504 (ingress-nginx
 * docs/user-guide/nginx-configuration/configmap.md, proxy-read-timeout) */
#define PROXY_READ_TIMEOUT (60 * KS_SEC)

struct generator;

typedef struct request {
    uint64_t id;
    struct generator *gen;            /* NULL for a one-off request */
    size_t route;
    ks_scn_target to;
    const char *method, *host;
    const char *path;                 /* as the pod sees it (rewritten) */
    ksi_text line;                    /* "METHOD path": the hops' text */
    int client;
    ks_time start;
    ks_id pod, svc;
    int port;                         /* the pod port it goes to */
    size_t c;                         /* the container serving it */
    uint32_t proc;                    /* its process (0: no connection open) */
    int status;
    bool dropped;                     /* a NetworkPolicy drops its SYN */
    ksi_text entry;                   /* "ingress", "nodeport:31515", ... */
    ks_traffic_done_fn done;          /* ks_traffic_send_cb's, or NULL */
    void *done_ud;
    ks_time connect_timeout;          /* its client's (CONNECT_TIMEOUT unless the caller's) */
    struct request *next_free;
} request;

typedef struct generator generator;
struct generator {
    ks_scn_traffic t;
    ks_time until;
    uint64_t sent;
    ks_id *sticky;                    /* per client: the pod its cookie names */
    ksi_text entry;                   /* "ingress", "nodeport:31515", ... */
    const char *method, *path;        /* interned */
    ksi_text line;                    /* "METHOD path" (interned) */
    size_t route;                     /* its statistics row, once known */
    bool routed;
};

static void traffic_fini(ks_sim *sim, void *ud);

/* Made when the first request or generator needs it; freed with the sim. */
static ksi_traffic *traffic_of(ks_sim *sim)
{
    ksi_cluster *c = sim->cluster;
    if (!c->traffic) {
        c->traffic = ks_mem_calloc(&sim->alloc, 1, sizeof(ksi_traffic));
        if (c->traffic && ksi_sim_add_part(sim, traffic_fini, c->traffic) != KS_OK) {
            ks_mem_free(&sim->alloc, c->traffic, sizeof(ksi_traffic));
            c->traffic = NULL;
        }
    }
    if (!c->traffic)
        ks_sim_fail(sim, KS_ENOMEM);
    return c->traffic;
}

static void hop(ks_sim *sim, const request *q, ksi_text from, ksi_text to, int status,
                ks_time latency)
{
    ksi_traffic_hop(sim, q->id, q->line, from, to, status, latency);
}
static ksi_text pod_ref(ks_sim *sim, ks_id pod)
{
    ksi_pod *p = ksi_pod_get(sim, pod);
    return p ? ksi_pod_text(sim, p) : KSI_TEXT("pod/?");
}

/* ---- finishing ------------------------------------------------------------------------------ */
static void release(ksi_traffic *tr, request *q)
{
    q->next_free = tr->free;
    tr->free = q;
}

static void respond(ks_sim *sim, void *subject, uint64_t arg)
{
    request *q = subject;
    ksi_traffic *tr = sim->cluster->traffic;
    int64_t latency = ks_now(sim) - q->start;
    (void)arg;
    if (q->proc)                      /* the connection closes */
        ksi_usage_connect(sim, q->pod, q->c, q->proc, -1);
    ksi_traffic_record(sim, &tr->rows[q->route], q->status, latency);
    if (ks_trace_active(sim)) {
        ks_trace_event tev;
        memset(&tev, 0, sizeof tev);
        tev.type = KS_TR_REQUEST;
        tev.name = q->entry.s;
        tev.len[1] = (uint32_t)q->entry.n + 1;
        tev.msg = tr->rows[q->route].line.s ? tr->rows[q->route].line.s : "";
        tev.len[3] = (uint32_t)tr->rows[q->route].line.n + 1;
        tev.n[0] = (int64_t)q->id;
        tev.n[1] = q->status;
        tev.n[2] = latency;
        ks_trace_emit(sim, &tev);
    }
    if (q->done)
        q->done(q->done_ud, q->id, q->status, q->status > 0 ? q->pod : 0, latency);
    release(tr, q);
}

/* The answer goes back to the client after delay. */
static void answer(ks_sim *sim, request *q, int status, ks_time delay, ksi_text from)
{
    q->status = status;
    hop(sim, q, from, KSI_TEXT("client"), status, delay);
    ks_event_post_after(sim, delay, KS_PRIO_DEFAULT, respond, q, 0);
}

void ksi_traffic_count(ks_sim *sim, const char *method, const char *path, const char *service,
                       int status, ks_time latency)
{
    ksi_traffic *tr = traffic_of(sim);
    ks_scn_target to = {KS_SCN_TO_SERVICE, 0, NULL};
    if (!tr || !(method = ksi_traffic_intern(sim, tr, method, strlen(method)).s)
        || !(path = ksi_traffic_intern_path(sim, tr, path))
        || !(to.name = ksi_traffic_intern(sim, tr, service, strlen(service)).s))
        return;
    ksi_traffic_record(sim, &tr->rows[ksi_traffic_route_index(sim, tr, method, path, &to)], status, latency);
}

uint64_t ksi_traffic_new_id(ks_sim *sim)
{
    ksi_traffic *tr = traffic_of(sim);
    return tr ? ++tr->next_id : 0;
}

/* A queued request's turn came and it was served, or the ingress gave up. */
static void served(ks_sim *sim, void *subject, uint64_t arg)
{
    request *q = subject;
    ksi_pod *p = ksi_pod_get(sim, q->pod);
    (void)arg;
    if (!p || ksi_usage_gen(p, q->c) != q->proc)
        q->status = -1;               /* its process died while it waited */
    answer(sim, q, q->status >= 0 ? q->status : q->entry.s[0] == 'i' ? 502 : 0, HOP,
           pod_ref(sim, q->pod));
}

static void gateway_timeout(ks_sim *sim, void *subject, uint64_t arg)
{
    (void)arg;
    answer(sim, subject, 504, HOP, KSI_TEXT("ingress"));
}

/* Where the request's connection to the pod comes from, as a NetworkPolicy
 * sees it: the ingress controller's pod; for `service:` traffic the client
 * pod inside the cluster (a load generator in default, as the HPA
 * walkthrough's `kubectl run load-generator` makes: labelled
 * run=load-generator); from a NodePort or a load balancer, the node's
 * address (kube-proxy masquerades external traffic with
 * externalTrafficPolicy: Cluster). */
static const ks_kv load_generator_label = {"run", "load-generator"};
static const ks_kvs load_generator_labels = {(ks_kv *)&load_generator_label, 1};

static ks_netpol_end source_of(const ks_sim *sim, const request *q)
{
    ks_netpol_end e = {NULL, NULL, NULL, NULL};
    if (q->entry.s[0] == 'i') {
        const ks_service *svc = ks_cluster_service(sim, ks_cluster_find(sim, KS_KIND_SERVICE,
            "ingress-nginx", "ingress-nginx-controller"));
        const ks_pod *p = svc && svc->nready ? ks_cluster_pod(sim, svc->ready[0]) : NULL;
        if (p)
            return ks_netpol_pod(p);
        e.ns = "ingress-nginx";
    } else if (q->to.kind == KS_SCN_TO_SERVICE) {
        e.ns = "default";
        e.labels = &load_generator_labels;
    } else {
        e.ip = KS_NODE_IP;
    }
    return e;
}

/* How long the connection to the pod is tried: through the ingress, nginx
 * connects (its proxy-connect-timeout); else the request's own client. */
static ks_time pod_connect_timeout(const request *q)
{
    return q->entry.s[0] == 'i' ? CONNECT_TIMEOUT : q->connect_timeout;
}

/* The request reaches its pod. */
static void at_pod(ks_sim *sim, void *subject, uint64_t arg)
{
    request *q = subject;
    ksi_pod *p = ksi_pod_get(sim, q->pod);
    ksi_text ref = pod_ref(sim, q->pod);
    ks_time took = 0, wait;
    int status;
    size_t c;
    (void)arg;
    if (!p || !ks_cluster_node(sim, p->pub.node) || ks_cluster_node(sim, p->pub.node)->down) {
        /* the pod's node is gone: the connection times out */
        answer(sim, q, q->entry.s[0] == 'i' ? 504 : 0, pod_connect_timeout(q), ref);
        return;
    }
    if (q->dropped) {
        /* a policy dropped the SYN: the caller's connect times out (the
           trace says where: in front of the pod, "policy:pod/NAME") */
        answer(sim, q, q->entry.s[0] == 'i' ? 504 : 0, pod_connect_timeout(q),
               ksi_pod_policy_text(sim, p));
        return;
    }
    /* a terminating pod still serves until its process exits */
    for (c = 0; c < p->pub.ncontainers; c++)
        if (ksi_workload_listening(p, c, q->port))
            break;
    if (c == p->pub.ncontainers) {
        /* nothing listens there: the connection is refused */
        answer(sim, q, q->entry.s[0] == 'i' ? 502 : 0, HOP, ref);
        return;
    }
    q->c = c;
    wait = ksi_usage_work(sim, p, c, p->pub.containers[c].image->load.cpu_per_request);
    q->proc = ksi_usage_connect(sim, q->pod, c, 0, +1);
    status = q->proc ? ksi_serve_interned(sim, p, c, q->method, q->path,
                                          q->line, q->id, &took) : -1;
    if (status < 0) {
        /* OOMKilled under the request: the connection is reset */
        answer(sim, q, q->entry.s[0] == 'i' ? 502 : 0, HOP, ref);
        return;
    }
    if (q->entry.s[0] == 'i' && HOP + wait + took > PROXY_READ_TIMEOUT) {
        /* slower than the ingress waits (throttled, or stuck connecting to
           its own peers): 504 at proxy-read-timeout */
        q->status = status;
        ks_event_post_after(sim, PROXY_READ_TIMEOUT - HOP, KS_PRIO_DEFAULT, gateway_timeout, q,
                            0);
        return;
    }
    if (wait == 0) {
        answer(sim, q, status, took + HOP, ref);
        return;
    }
    /* throttled: it waits for CPU; the ingress waits at most its timeout */
    q->status = status;
    ks_event_post_after(sim, wait + took, KS_PRIO_DEFAULT, served, q, 0);
}

/* The connection leaves for its pod; the policies in force now decide
 * whether its SYN gets there (a policy engine filters on the pod's node:
 * the hop is a millisecond). */
static void to_pod(ks_sim *sim, request *q, ksi_text from, ks_time delay)
{
    ksi_pod *p = ksi_pod_get(sim, q->pod);
    q->dropped = false;
    if (p && ks_netpol_enforced(sim)) {
        ks_netpol_end src = source_of(sim, q), dst = ks_netpol_pod(&p->pub);
        q->dropped = !ks_netpol_allows(sim, &src, &dst, q->port, "TCP");
    }
    hop(sim, q, from, q->dropped ? ksi_pod_policy_text(sim, p) : pod_ref(sim, q->pod), 0, delay);
    ks_event_post_after(sim, delay, KS_PRIO_DEFAULT, at_pod, q, 0);
}

/* ---- entry points ----------------------------------------------------------------------------- */
/* The Service (ns, name) whose id was found before as *id: looked up again
 * only when that one is gone (ids are never reused). */
static const ks_service *service_named(ks_sim *sim, ks_id *id, const char *ns, const char *name)
{
    const ks_service *svc = *id ? ks_cluster_service(sim, *id) : NULL;
    if (!svc) {
        *id = ks_cluster_find(sim, KS_KIND_SERVICE, ns, name);
        svc = ks_cluster_service(sim, *id);
    }
    return svc;
}

/* The controller's answer for (table, host, method, path): computed once,
 * with the rewritten path and the request line the hops show after it.
 * NULL when the controller has no route (404). path is interned. */
static route_cache *cached_route(ks_sim *sim, ksi_traffic *tr, const ks_ingress_table *t,
                                 uint64_t version, const char *host, const char *method,
                                 const char *path)
{
    size_t n = strlen(path);
    route_cache *e = &tr->cache[ksi_traffic_hash(method, strlen(method),
                                           ksi_traffic_hash(path, n, ksi_traffic_hash(host ? host : "",
                                                      host ? strlen(host) : 0, 2166136261u)))
                                % ROUTE_CACHE];
    if (e->version != version || e->host != host || e->path != path || strcmp(e->method, method) != 0) {
        e->version = version;
        e->host = host;
        e->method = method;
        e->path = path;
        e->svc = 0;
        e->ok = ks_ingress_route_request(t, host, path, &e->route) == KS_OK;
        e->uri = e->ok ? ksi_traffic_intern_path(sim, tr, e->route.uri) : NULL;
        e->line = e->uri ? ksi_traffic_intern_line(sim, tr, method, e->uri) : (ksi_text){NULL, 0};
        if (e->ok && !e->line.s)
            e->version = 0;                    /* out of memory: not kept */
    }
    return e->ok && e->line.s ? e : NULL;
}

static void via_ingress(ks_sim *sim, request *q)
{
    ksi_traffic *tr = sim->cluster->traffic;
    uint64_t version = 0;
    const ks_ingress_table *t = ksi_net_ingress(sim, &version);
    const ks_ingress_route *r = NULL;
    route_cache *e = NULL;
    const ks_service *ctrl = service_named(sim, &tr->ctrl, "ingress-nginx",
                                           "ingress-nginx-controller");
    const ks_service *svc;
    int pi;
    if (!sim->cluster->ingress_nginx || !ctrl || !ctrl->nready) {
        answer(sim, q, 0, EDGE, KSI_TEXT("ingress"));    /* nothing listens at the address */
        return;
    }
    if (t && (e = cached_route(sim, tr, t, version, q->host, q->method, q->path)) != NULL)
        r = &e->route;
    if (!r || r->via == KS_VIA_CONTROLLER_DEFAULT) {
        answer(sim, q, r ? r->status : 404, HOP, KSI_TEXT("ingress"));
        return;
    }
    q->path = e->uri;
    q->line = e->line;
    svc = service_named(sim, &e->svc, r->ns, r->service);
    pi = svc ? ksi_net_service_port(svc, r->port, r->port_name) : -1;
    if (!svc || pi < 0) {
        answer(sim, q, 503, HOP, KSI_TEXT("ingress"));    /* the backend Service is missing */
        return;
    }
    q->svc = svc->id;
    /* cookie affinity keeps a client on its pod while that pod is ready */
    if (r->affinity && q->gen && q->gen->sticky && q->client >= 0) {
        ks_id want = q->gen->sticky[q->client];
        size_t k;
        for (k = 0; want && k < svc->nready; k++)
            if (svc->ready[k] == want && ks_service_serves(svc, k, (size_t)pi)) {
                q->pod = want;
                q->port = ksi_net_target_port(svc, (size_t)pi, ks_cluster_pod(sim, want));
            }
        if (!q->pod) {
            q->pod = ksi_net_round_robin(sim, svc, (size_t)pi, &q->port);
            q->gen->sticky[q->client] = q->pod;
        }
    }
    if (!q->pod)
        q->pod = ksi_net_round_robin(sim, svc, (size_t)pi, &q->port);
    if (!q->pod) {
        answer(sim, q, 503, HOP, KSI_TEXT("ingress"));
        return;
    }
    to_pod(sim, q, KSI_TEXT("ingress"), HOP);
}

static void via_service(ks_sim *sim, request *q, const ks_service *svc, size_t pi,
                        ksi_text from)
{
    if (!svc || !(q->pod = ksi_net_pick(sim, svc, pi, &q->port))) {
        answer(sim, q, 0, HOP, from);          /* connection refused */
        return;
    }
    q->svc = svc->id;
    to_pod(sim, q, from, HOP);
}

static void at_entry(ks_sim *sim, void *subject, uint64_t arg)
{
    request *q = subject;
    const ks_service *svc = NULL;
    size_t pi = 0;
    (void)arg;
    switch (q->to.kind) {
    case KS_SCN_TO_INGRESS:
        via_ingress(sim, q);
        return;
    case KS_SCN_TO_NODEPORT:
        svc = ks_cluster_service(sim, ksi_net_nodeport(sim, q->to.port, &pi));
        via_service(sim, q, svc, pi, KSI_TEXT("nodeport"));
        return;
    case KS_SCN_TO_LOADBALANCER:
        svc = ks_cluster_service(sim, ks_cluster_find(sim, KS_KIND_SERVICE, NULL, q->to.name));
        if (svc && !svc->external_ip[0])
            svc = NULL;                        /* EXTERNAL-IP <pending>: no address */
        via_service(sim, q, svc, 0, KSI_TEXT("loadbalancer"));
        return;
    case KS_SCN_TO_SERVICE:
    default:
        svc = ks_cluster_service(sim, ksi_net_resolve(sim, NULL, q->to.name));
        if (svc && q->to.port)                 /* a port of the Service named (the proxy) */
            for (pi = 0; pi < svc->obj->u.svc.nports
                         && svc->obj->u.svc.ports[pi].port != q->to.port; pi++) {
            }
        if (svc && pi == svc->obj->u.svc.nports && q->to.port)
            svc = NULL;
        via_service(sim, q, svc, pi, KSI_TEXT("service"));
        return;
    }
}

static int send_request(ks_sim *sim, generator *g, const ks_scn_target *to, const char *method,
                        const char *path, const char *host, int client, ks_time connect_timeout,
                        ks_traffic_done_fn done, void *ud, uint64_t *id)
{
    ksi_traffic *tr = traffic_of(sim);
    request *q;
    if (!tr)
        return KS_ENOMEM;
    q = tr->free;
    if (q)
        tr->free = q->next_free;
    else if (!(q = ksi_zalloc(sim, sizeof *q)))
        return KS_ENOMEM;
    memset(q, 0, sizeof *q);
    q->id = ++tr->next_id;
    q->gen = g;
    q->to = *to;
    q->host = host;
    q->client = client;
    q->start = ks_now(sim);
    q->done = done;
    q->done_ud = ud;
    q->connect_timeout = connect_timeout > 0 ? connect_timeout : CONNECT_TIMEOUT;
    if (id)
        *id = q->id;
    if (g && g->routed) {
        q->route = g->route;          /* rows are never removed: found once */
    } else {
        q->route = ksi_traffic_route_index(sim, tr, method, path, to);
        tr->rows[q->route].sent = true;
        if (g) {
            g->route = q->route;
            g->routed = true;
        }
    }
    if (g) {
        q->method = g->method;
        q->path = g->path;
        q->line = g->line;
        q->entry = g->entry;
    } else {
        char entry[24];
        ks_scn_target_format(to, entry, sizeof entry);
        q->method = ksi_traffic_intern(sim, tr, method, strlen(method)).s;
        q->path = ksi_traffic_intern_path(sim, tr, path);
        q->line = ksi_traffic_intern_line(sim, tr, method, q->path ? q->path : "");
        q->entry = ksi_traffic_intern(sim, tr, entry, strlen(entry));
    }
    if (!q->method || !q->path || !q->line.s || !q->entry.s) {
        release(tr, q);
        return KS_ENOMEM;
    }
    hop(sim, q, KSI_TEXT("client"), q->entry, 0, EDGE);
    ks_event_post_after(sim, EDGE, KS_PRIO_DEFAULT, at_entry, q, 0);
    return KS_OK;
}

int ks_traffic_send(ks_sim *sim, const ks_scn_target *to, const char *method, const char *path,
                    const char *host, int client)
{
    return send_request(sim, NULL, to, method, path, host, client, 0, NULL, NULL, NULL);
}

int ks_traffic_send_cb(ks_sim *sim, const ks_scn_target *to, const char *method,
                       const char *path, const char *host, ks_time connect_timeout,
                       ks_traffic_done_fn done, void *ud, uint64_t *id)
{
    /* the caller's strings live only as long as its request: the route rows
       and the request keep interned copies, one per distinct text (a long
       serve session proxying the same requests does not grow) */
    ksi_traffic *tr = traffic_of(sim);
    ks_scn_target t = *to;
    const char *m, *pa, *h;
    if (!tr)
        return KS_ENOMEM;
    m = ksi_traffic_intern(sim, tr, method, strlen(method)).s;
    pa = ksi_traffic_intern(sim, tr, path, strlen(path)).s;
    h = host ? ksi_traffic_intern(sim, tr, host, strlen(host)).s : NULL;
    t.name = to->name ? ksi_traffic_intern(sim, tr, to->name, strlen(to->name)).s : NULL;
    if (!m || !pa || (host && !h) || (to->name && !t.name))
        return KS_ENOMEM;
    return send_request(sim, NULL, &t, m, pa, h, -1, connect_timeout, done, ud, id);
}

/* ---- generators -------------------------------------------------------------------------------- */
static void arrival(ks_sim *sim, void *subject, uint64_t arg)
{
    generator *g = subject;
    ks_time gap = ks_scn_traffic_interval(&g->t);
    (void)arg;
    if (g->until && ks_now(sim) >= g->until)
        return;
    send_request(sim, g, &g->t.to, g->t.method, g->t.path, g->t.host,
                 g->t.clients ? (int)(g->sent % (uint64_t)g->t.clients) : -1, 0, NULL, NULL,
                 NULL);
    g->sent++;
    if (!g->t.constant)
        gap = ks_rng_exp(ks_sim_rng(sim, KS_RNG_TRAFFIC), (double)gap);
    ks_event_post_after(sim, gap, KS_PRIO_DEFAULT, arrival, g, 0);
}

int ks_traffic_start(ks_sim *sim, const ks_scn_traffic *t)
{
    ksi_traffic *tr = traffic_of(sim);
    generator *g;
    ks_time first;
    if (!tr || ksi_grow(sim, (void **)&tr->gens, &tr->gens_cap, tr->ngens + 1, sizeof *tr->gens))
        return KS_ENOMEM;
    g = ksi_zalloc(sim, sizeof *g);
    if (!g)
        return KS_ENOMEM;
    g->t = *t;
    {
        char entry[24];
        ks_scn_target_format(&t->to, entry, sizeof entry);
        g->entry = ksi_traffic_intern(sim, tr, entry, strlen(entry));
        g->method = ksi_traffic_intern(sim, tr, t->method, strlen(t->method)).s;
        g->path = ksi_traffic_intern_path(sim, tr, t->path);
        g->line = g->path ? ksi_traffic_intern_line(sim, tr, t->method, g->path)
                          : (ksi_text){NULL, 0};
        if (!g->entry.s || !g->method || !g->line.s)
            return KS_ENOMEM;
    }
    g->until = t->duration ? ks_now(sim) + t->duration : 0;
    if (t->clients > 0 && !(g->sticky = ksi_zalloc(sim, (size_t)t->clients * sizeof *g->sticky)))
        return KS_ENOMEM;
    tr->gens[tr->ngens++] = g;
    first = t->constant ? 0 : ks_rng_exp(ks_sim_rng(sim, KS_RNG_TRAFFIC),
                                         (double)ks_scn_traffic_interval(t));
    ks_event_post_after(sim, first, KS_PRIO_DEFAULT, arrival, g, 0);
    return ks_sim_status(sim);
}

static void traffic_fini(ks_sim *sim, void *ud)
{
    ksi_traffic *tr = ud;
    ks_arena_destroy(tr->strs.ar);
    ks_mem_free(&sim->alloc, tr->strs.slots, tr->strs.cap * sizeof *tr->strs.slots);
    ks_mem_free(&sim->alloc, tr->strs.hash, tr->strs.cap * sizeof *tr->strs.hash);
    ks_mem_free(&sim->alloc, tr->gens, tr->gens_cap * sizeof *tr->gens);
    ks_mem_free(&sim->alloc, tr, sizeof *tr);
    sim->cluster->traffic = NULL;
}
