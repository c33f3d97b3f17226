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
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "storage/internal/data.h"
#include "internal/net.h"
#include "core/internal/sim.h"
#include "node/internal/usage.h"
#include "node/internal/workload.h"
#include "core/ks_error.h"
#include "ks_netpol.h"
#include "ks_traffic.h"

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
#define HIST_BUCKETS 256              /* latency histogram: 8 per power of 2 */
#define MAX_ROUTES 256

typedef struct route_row {
    const char *method, *path;
    ks_scn_target to;
    uint64_t count, ok, status[6];
    uint32_t hist[HIST_BUCKETS];
    uint64_t window[10];              /* requests per second, last 10 s */
    int64_t window_sec;
} route_row;

struct generator;

typedef struct request {
    uint64_t id;
    struct generator *gen;            /* NULL for a one-off request */
    size_t route;
    ks_scn_target to;
    const char *method, *host;
    char path[256];                   /* as the pod sees it (rewritten) */
    int client;
    ks_time start;
    ks_id pod, svc;
    int port;                         /* the pod port it goes to */
    size_t c;                         /* the container serving it */
    uint32_t proc;                    /* its process (0: no connection open) */
    int status;
    char entry[24];
    struct request *next_free;
} request;

typedef struct generator generator;
struct generator {
    ks_scn_traffic t;
    ks_time until;
    uint64_t sent;
    ks_id *sticky;                    /* per client: the pod its cookie names */
    char entry[24];                   /* "ingress", "nodeport:31515", ... */
};

/* Routing decisions repeat: a generator sends the same path again and
 * again. The controller's answer is cached per (table, host, path), so the
 * regexes run once per distinct request line, not per request. */
#define ROUTE_CACHE 64

typedef struct route_cache {
    const ks_ingress_table *table;
    const char *host;                 /* the generator's string (stable) */
    char path[256];
    ks_ingress_route route;
    bool ok;
} route_cache;

typedef struct ksi_traffic {
    route_cache cache[ROUTE_CACHE];
    route_row rows[MAX_ROUTES];
    size_t nrows;
    request *free;
    uint64_t next_id;
    generator **gens;
    size_t ngens, gens_cap;
} ksi_traffic;

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

/* ---- statistics ---------------------------------------------------------------------- */
static int bucket_of(int64_t us)
{
    int b = 0;
    uint64_t v = us < 1 ? 1 : (uint64_t)us;
    while (v >= 16) {                 /* 8 sub-buckets per doubling */
        v >>= 1;
        b++;
    }
    b = b * 8 + (int)(v & 7);
    return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

/* The smallest latency of bucket b (its label for percentiles). */
static int64_t bucket_value(int b)
{
    return b < 8 ? b : (int64_t)(8 | (b % 8)) << (b / 8);
}

static bool same_target(const ks_scn_target *a, const ks_scn_target *b)
{
    return a->kind == b->kind && a->port == b->port
           && strcmp(a->name ? a->name : "", b->name ? b->name : "") == 0;
}

static size_t route_index(ksi_traffic *tr, const char *method, const char *path,
                          const ks_scn_target *to)
{
    size_t i;
    for (i = 0; i < tr->nrows; i++)
        if (strcmp(tr->rows[i].method, method) == 0 && strcmp(tr->rows[i].path, path) == 0
            && same_target(&tr->rows[i].to, to))
            return i;
    if (tr->nrows == MAX_ROUTES)
        return MAX_ROUTES - 1;        /* bounded: the rest share the last row */
    tr->rows[tr->nrows].method = method;
    tr->rows[tr->nrows].path = path;
    tr->rows[tr->nrows].to = *to;
    return tr->nrows++;
}

static void record(ks_sim *sim, route_row *r, int status, int64_t latency)
{
    int64_t sec = ks_now(sim) / KS_SEC;
    r->count++;
    r->status[status >= 100 && status < 600 ? status / 100 : 0]++;
    if (status >= 200 && status < 300)
        r->ok++;
    r->hist[bucket_of(latency)]++;
    if (sec != r->window_sec) {
        int64_t k;
        for (k = r->window_sec + 1; k <= sec && k <= r->window_sec + 10; k++)
            r->window[k % 10] = 0;
        r->window_sec = sec;
    }
    r->window[sec % 10]++;
}

static int64_t percentile(const uint32_t *hist, uint64_t count, double q)
{
    uint64_t want = (uint64_t)(q * (double)count + 0.999999), seen = 0;
    int b;
    if (!count)
        return 0;
    for (b = 0; b < HIST_BUCKETS; b++) {
        seen += hist[b];
        if (seen >= want)
            return bucket_value(b);
    }
    return bucket_value(HIST_BUCKETS - 1);
}

void ks_traffic_stats(const ks_sim *sim, const char *path, const ks_scn_target *to, int lo,
                      int hi, ks_req_stats *out)
{
    const ksi_traffic *tr = sim->cluster ? sim->cluster->traffic : NULL;
    uint32_t hist[HIST_BUCKETS];
    size_t i;
    int b;
    memset(out, 0, sizeof *out);
    memset(hist, 0, sizeof hist);
    for (i = 0; tr && i < tr->nrows; i++) {
        const route_row *r = &tr->rows[i];
        uint64_t n;
        if (path && strcmp(r->path, path) != 0)
            continue;
        if (to && to->kind != KS_SCN_TO_NONE && !same_target(&r->to, to))
            continue;
        if (lo || hi) {
            int cls;
            n = 0;
            for (cls = lo / 100; cls <= hi / 100 && cls < 6; cls++)
                n += r->status[cls];
            out->count += n;
            out->ok += lo <= 299 && hi >= 200 ? r->ok : 0;
            continue;
        }
        out->count += r->count;
        out->ok += r->ok;
        for (b = 0; b < 6; b++)
            out->status[b] += r->status[b];
        for (b = 0; b < HIST_BUCKETS; b++)
            hist[b] += r->hist[b];
    }
    out->p50 = percentile(hist, out->count, 0.50);
    out->p95 = percentile(hist, out->count, 0.95);
    out->p99 = percentile(hist, out->count, 0.99);
}

size_t ks_traffic_route_count(const ks_sim *sim)
{
    return sim->cluster && sim->cluster->traffic ? sim->cluster->traffic->nrows : 0;
}

void ks_traffic_route(const ks_sim *sim, size_t i, ks_route_stats *out)
{
    const route_row *r = &sim->cluster->traffic->rows[i];
    int64_t sec = ks_now(sim) / KS_SEC, k;
    uint64_t last10 = 0;
    memset(out, 0, sizeof *out);
    out->method = r->method;
    out->path = r->path;
    out->to = r->to;
    ks_traffic_stats(sim, r->path, &r->to, 0, 0, &out->stats);
    for (k = sec - 9; k <= sec; k++)
        if (k >= 0 && k <= r->window_sec && k > r->window_sec - 10)
            last10 += r->window[k % 10];
    out->rate = (double)last10 / 10.0;
}

/* ---- trace ---------------------------------------------------------------------------- */
static void hop(ks_sim *sim, const request *q, const char *from, const char *to, int status,
                ks_time latency)
{
    ks_trace_event tev;
    char msg[300];
    if (!ks_trace_active(sim))
        return;
    snprintf(msg, sizeof msg, "%s %s", q->method, q->path);
    memset(&tev, 0, sizeof tev);
    tev.type = KS_TR_HOP;
    tev.name = from;
    tev.reason = to;
    tev.msg = msg;
    tev.n[0] = (int64_t)q->id;
    tev.n[1] = status;
    tev.n[2] = latency;
    ks_trace_emit(sim, &tev);
}

static const char *pod_ref(const ks_sim *sim, ks_id pod, char *buf, size_t n)
{
    const ks_pod *p = ks_cluster_pod(sim, pod);
    snprintf(buf, n, "pod/%s", p ? p->name : "?");
    return buf;
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
    record(sim, &tr->rows[q->route], q->status, latency);
    if (ks_trace_active(sim)) {
        ks_trace_event tev;
        char msg[300];
        snprintf(msg, sizeof msg, "%s %s", q->method, tr->rows[q->route].path);
        memset(&tev, 0, sizeof tev);
        tev.type = KS_TR_REQUEST;
        tev.name = q->entry;
        tev.msg = msg;
        tev.n[0] = (int64_t)q->id;
        tev.n[1] = q->status;
        tev.n[2] = latency;
        ks_trace_emit(sim, &tev);
    }
    release(tr, q);
}

/* The answer goes back to the client after delay. */
static void answer(ks_sim *sim, request *q, int status, ks_time delay, const char *from)
{
    q->status = status;
    hop(sim, q, from, "client", status, delay);
    ks_event_after(sim, delay, KS_PRIO_DEFAULT, respond, q, 0);
}

void ksi_traffic_hop(ks_sim *sim, uint64_t id, const char *method, const char *path,
                     const char *from, const char *to, int status, ks_time latency)
{
    request q;
    q.id = id;
    q.method = method;
    snprintf(q.path, sizeof q.path, "%s", path);
    hop(sim, &q, from, to, status, latency);
}

/* A queued request's turn came and it was served, or the ingress gave up. */
static void served(ks_sim *sim, void *subject, uint64_t arg)
{
    request *q = subject;
    ksi_pod *p = ksi_pod_get(sim, q->pod);
    char ref[96];
    (void)arg;
    if (!p || ksi_usage_gen(p, q->c) != q->proc)
        q->status = -1;               /* its process died while it waited */
    answer(sim, q, q->status >= 0 ? q->status : q->entry[0] == 'i' ? 502 : 0, HOP,
           pod_ref(sim, q->pod, ref, sizeof ref));
}

static void gateway_timeout(ks_sim *sim, void *subject, uint64_t arg)
{
    (void)arg;
    answer(sim, subject, 504, HOP, "ingress");
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
    if (q->entry[0] == 'i') {
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

/* The request reaches its pod. */
static void at_pod(ks_sim *sim, void *subject, uint64_t arg)
{
    request *q = subject;
    ksi_pod *p = ksi_pod_get(sim, q->pod);
    char ref[96];
    ks_time took = 0, wait;
    int status;
    size_t c;
    (void)arg;
    pod_ref(sim, q->pod, ref, sizeof ref);
    if (!p || !ks_cluster_node(sim, p->pub.node) || ks_cluster_node(sim, p->pub.node)->down) {
        /* the pod's node is gone: the connection times out */
        answer(sim, q, q->entry[0] == 'i' ? 504 : 0, CONNECT_TIMEOUT, ref);
        return;
    }
    if (ks_netpol_enforced(sim)) {
        ks_netpol_end from = source_of(sim, q), to = ks_netpol_pod(&p->pub);
        if (!ks_netpol_allows(sim, &from, &to, q->port, "TCP")) {
            /* a policy drops the SYN: the caller's connect times out */
            answer(sim, q, q->entry[0] == 'i' ? 504 : 0, CONNECT_TIMEOUT, ref);
            return;
        }
    }
    /* a terminating pod still serves until its process exits */
    for (c = 0; c < p->pub.ncontainers; c++)
        if (ksi_workload_listening(p, c, q->port))
            break;
    if (c == p->pub.ncontainers) {
        /* nothing listens there: the connection is refused */
        answer(sim, q, q->entry[0] == 'i' ? 502 : 0, HOP, ref);
        return;
    }
    q->c = c;
    wait = ksi_usage_work(sim, p, c, p->pub.containers[c].image->load.cpu_per_request);
    q->proc = ksi_usage_connect(sim, q->pod, c, 0, +1);
    status = q->proc ? ksi_serve(sim, p, c, q->method, q->path, q->id, &took) : -1;
    if (status < 0) {
        /* OOMKilled under the request: the connection is reset */
        answer(sim, q, q->entry[0] == 'i' ? 502 : 0, HOP, ref);
        return;
    }
    if (q->entry[0] == 'i' && HOP + wait + took > PROXY_READ_TIMEOUT) {
        /* slower than the ingress waits (throttled, or stuck connecting to
           its own peers): 504 at proxy-read-timeout */
        q->status = status;
        ks_event_after(sim, PROXY_READ_TIMEOUT - HOP, KS_PRIO_DEFAULT, gateway_timeout, q, 0);
        return;
    }
    if (wait == 0) {
        answer(sim, q, status, took + HOP, ref);
        return;
    }
    /* throttled: it waits for CPU; the ingress waits at most its timeout */
    q->status = status;
    ks_event_after(sim, wait + took, KS_PRIO_DEFAULT, served, q, 0);
}

static void to_pod(ks_sim *sim, request *q, const char *from, ks_time delay)
{
    char ref[96];
    hop(sim, q, from, pod_ref(sim, q->pod, ref, sizeof ref), 0, delay);
    ks_event_after(sim, delay, KS_PRIO_DEFAULT, at_pod, q, 0);
}

/* ---- entry points ----------------------------------------------------------------------------- */
static uint32_t hash_str(const char *s, uint32_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static bool cached_route(ksi_traffic *tr, const ks_ingress_table *t, const char *host,
                         const char *path, ks_ingress_route *out)
{
    route_cache *e = &tr->cache[hash_str(path, hash_str(host ? host : "", 2166136261u))
                                % ROUTE_CACHE];
    if (e->table != t || e->host != host || strcmp(e->path, path) != 0) {
        e->table = t;
        e->host = host;
        snprintf(e->path, sizeof e->path, "%s", path);
        e->ok = ks_ingress_route_request(t, host, path, &e->route) == KS_OK;
    }
    if (e->ok)
        memcpy(out, &e->route, sizeof *out);
    return e->ok;
}

static void via_ingress(ks_sim *sim, request *q)
{
    const ks_ingress_table *t = ksi_net_ingress(sim);
    ks_ingress_route r;
    const ks_service *svc;
    ks_id ctrl = ks_cluster_find(sim, KS_KIND_SERVICE, "ingress-nginx",
                                 "ingress-nginx-controller");
    int pi;
    if (!sim->cluster->ingress_nginx || !ctrl || !ks_cluster_service(sim, ctrl)->nready) {
        answer(sim, q, 0, EDGE, "ingress");    /* nothing listens at the address */
        return;
    }
    if (!t || !cached_route(sim->cluster->traffic, t, q->host, q->path, &r)
        || r.via == KS_VIA_CONTROLLER_DEFAULT) {
        answer(sim, q, t && r.via == KS_VIA_CONTROLLER_DEFAULT ? r.status : 404, HOP, "ingress");
        return;
    }
    snprintf(q->path, sizeof q->path, "%.255s", r.uri);
    svc = ks_cluster_service(sim, ks_cluster_find(sim, KS_KIND_SERVICE, r.ns, r.service));
    pi = svc ? ksi_net_service_port(svc, r.port, r.port_name) : -1;
    if (!svc || pi < 0) {
        answer(sim, q, 503, HOP, "ingress");    /* the backend Service is missing */
        return;
    }
    q->svc = svc->id;
    /* cookie affinity keeps a client on its pod while that pod is ready */
    if (r.affinity && q->gen && q->gen->sticky && q->client >= 0) {
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
        answer(sim, q, 503, HOP, "ingress");
        return;
    }
    to_pod(sim, q, "ingress", HOP);
}

static void via_service(ks_sim *sim, request *q, const ks_service *svc, size_t pi,
                        const char *from)
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
        via_service(sim, q, svc, pi, "nodeport");
        return;
    case KS_SCN_TO_LOADBALANCER:
        svc = ks_cluster_service(sim, ks_cluster_find(sim, KS_KIND_SERVICE, NULL, q->to.name));
        if (svc && !svc->external_ip[0])
            svc = NULL;                        /* EXTERNAL-IP <pending>: no address */
        via_service(sim, q, svc, 0, "loadbalancer");
        return;
    case KS_SCN_TO_SERVICE:
    default:
        svc = ks_cluster_service(sim, ksi_net_resolve(sim, NULL, q->to.name));
        via_service(sim, q, svc, 0, "service");
        return;
    }
}

static int send_request(ks_sim *sim, generator *g, const ks_scn_target *to, const char *method,
                        const char *path, const char *host, int client)
{
    ksi_traffic *tr = traffic_of(sim);
    request *q;
    size_t len;
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
    q->method = method;
    q->host = host;
    q->client = client;
    q->start = ks_now(sim);
    q->route = route_index(tr, method, path, to);
    len = strlen(path);
    if (len >= sizeof q->path)
        len = sizeof q->path - 1;
    memcpy(q->path, path, len);
    q->path[len] = '\0';
    if (g)
        memcpy(q->entry, g->entry, sizeof q->entry);
    else
        ks_scn_target_format(to, q->entry, sizeof q->entry);
    hop(sim, q, "client", q->entry, 0, EDGE);
    ks_event_after(sim, EDGE, KS_PRIO_DEFAULT, at_entry, q, 0);
    return KS_OK;
}

int ks_traffic_send(ks_sim *sim, const ks_scn_target *to, const char *method, const char *path,
                    const char *host, int client)
{
    return send_request(sim, NULL, to, method, path, host, client);
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
                 g->t.clients ? (int)(g->sent % (uint64_t)g->t.clients) : -1);
    g->sent++;
    if (!g->t.constant)
        gap = ks_rng_exp(ks_sim_rng(sim, KS_RNG_TRAFFIC), (double)gap);
    ks_event_after(sim, gap, KS_PRIO_DEFAULT, arrival, g, 0);
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
    ks_scn_target_format(&t->to, g->entry, sizeof g->entry);
    g->until = t->duration ? ks_now(sim) + t->duration : 0;
    if (t->clients > 0 && !(g->sticky = ksi_zalloc(sim, (size_t)t->clients * sizeof *g->sticky)))
        return KS_ENOMEM;
    tr->gens[tr->ngens++] = g;
    first = t->constant ? 0 : ks_rng_exp(ks_sim_rng(sim, KS_RNG_TRAFFIC),
                                         (double)ks_scn_traffic_interval(t));
    ks_event_after(sim, first, KS_PRIO_DEFAULT, arrival, g, 0);
    return ks_sim_status(sim);
}

static void traffic_fini(ks_sim *sim, void *ud)
{
    ksi_traffic *tr = ud;
    ks_mem_free(&sim->alloc, tr->gens, tr->gens_cap * sizeof *tr->gens);
    ks_mem_free(&sim->alloc, tr, sizeof *tr);
    sim->cluster->traffic = NULL;
}
