/* ks_reply.c -- what a pod's workload answers to a request, from its image
 * catalog entry: routes, and the database and cache calls an api makes
 * through the env vars the real program reads (PGHOST, REDIS_HOST, ...).
 *
 * The failures are the ones a learner meets on a real cluster, with the
 * lines a Node.js app logs: an unset host means localhost (node-postgres
 * and node-redis defaults), so "connect ECONNREFUSED 127.0.0.1:5432"; a
 * name DNS does not know gives "getaddrinfo ENOTFOUND <name>"; a Service
 * with no ready endpoint refuses connections on its cluster IP; a wrong
 * password is refused by the database. Each makes the request a 500.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "cluster/ks_dns.h"
#include "storage/internal/data.h"
#include "internal/net.h"
#include "ks_netpol.h"
#include "core/internal/sim.h"
#include "node/internal/usage.h"
#include "node/internal/workload.h"

#define HOP (500 * KS_USEC)
/* A name lookup whose packets a policy drops fails after the resolver's
 * timeout x attempts, glibc's defaults 5 s x 2 (resolv.conf(5)); Node's
 * dns.lookup then reports EAI_AGAIN. */
#define DNS_GIVE_UP (10 * KS_SEC)
/* A TCP connect whose SYNs are dropped fails after Linux's 6 SYN retries,
 * 127 s (Documentation/networking/ip-sysctl.rst, tcp_syn_retries): ETIMEDOUT. */
#define SYN_GIVE_UP (127 * KS_SEC)

/* CoreDNS's pods as a policy sees them (kube-system, k8s-app=kube-dns). */
static const ks_kv kube_dns_label = {"k8s-app", "kube-dns"};
static const ks_kvs kube_dns_labels = {(ks_kv *)&kube_dns_label, 1};

static const char *env_or(const ks_kvs *env, const char *key, const char *dflt)
{
    const char *v = env && key ? ks_kvs_get(env, key) : NULL;
    return v && *v ? v : dflt;
}

/* How a program finds one peer: the env vars it reads and its client
 * library's defaults (assets/images.yaml, uses:). */
typedef struct peer_vars {
    unsigned use;                 /* KS_USE_DATABASE or KS_USE_CACHE */
    const char *host, *port, *default_host;
    int default_port;
    bool host_port;               /* the host var may be "name:port" */
} peer_vars;

static peer_vars peer_of(const ks_image_uses *u, bool db)
{
    peer_vars v;
    v.use = db ? KS_USE_DATABASE : KS_USE_CACHE;
    v.host = db ? u->db_host : u->cache_host;
    v.port = db ? u->db_port : u->cache_port;
    v.default_host = db ? u->db_default_host : u->cache_default_host;
    v.default_port = db ? u->db_default_port : u->cache_default_port;
    v.host_port = db ? u->db_host_port : u->cache_host_port;
    return v;
}

/* Connects from pod p (container c) to a peer named by env vars: returns
 * the peer pod and container, or 0 with the app's error line in err; a
 * NetworkPolicy that drops the DNS query or the connection adds the time
 * the program waits before it gives up to *waited. */
static ks_id connect_peer(ks_sim *sim, ksi_pod *p, size_t c, const peer_vars *v,
                          size_t *peer_c, char *err, size_t n, ks_time *waited)
{
    ks_netpol_end self = ks_netpol_pod(&p->pub);
    const ks_kvs *env = ksi_workload_env(sim, p, c);
    uint32_t gen = env ? ksi_usage_gen(p, c) : 0;
    ksi_peer_env *m = gen ? ksi_net_peer_env(sim, gen, v->use) : NULL;
    const char *name = NULL;
    char buf[256];
    const ks_service *svc;
    ks_id pod;
    ksi_pod *peer;
    int pi, target = 0, port;
    size_t k;
    if (m && m->gen == gen && m->use == v->use) {
        name = m->has_host ? m->name : NULL;  /* read before, by this process */
        port = m->port;
    } else {
        const char *host = env_or(env, v->host, v->default_host), *colon;
        port = atoi(env_or(env, v->port, "0"));
        if (!port)
            port = v->default_port;
        if (host) {
            size_t len;
            colon = v->host_port ? strrchr(host, ':') : NULL;
            len = colon ? (size_t)(colon - host) : strlen(host);
            if (len >= sizeof buf)
                len = sizeof buf - 1;
            memcpy(buf, host, len);
            buf[len] = '\0';
            name = buf;
            if (colon && atoi(colon + 1) > 0)
                port = atoi(colon + 1);
        }
        if (m && (!name || strlen(name) < sizeof m->name)) {
            m->gen = gen;
            m->use = v->use;
            m->has_host = name != NULL;
            m->login_gen = 0;
            m->dns_version = 0;
            if (name)
                memcpy(m->name, name, strlen(name) + 1);
            m->port = port;
        }
    }
    if (!name || ksi_net_loopback(name)) {
        /* the pod's own loopback (the client library's default host, or
           localhost): another container of the pod that listens there, as
           a sidecar database or cache; no DNS, no policy */
        for (k = 0; k < p->pub.ncontainers; k++)
            if (k != c && ksi_workload_listening(p, k, port)) {
                *peer_c = k;
                return p->pub.id;
            }
        snprintf(err, n, "Error: connect ECONNREFUSED 127.0.0.1:%d", port);
        return 0;
    }
    {
        /* the lookup goes to CoreDNS on UDP 53 first: an egress policy that
           forgets DNS, or no CoreDNS pod ready, breaks every name */
        ks_netpol_end dns = {"kube-system", &kube_dns_labels, NULL, NULL};
        if ((ks_netpol_enforced(sim) && !ks_netpol_allows(sim, &self, &dns, 53, "UDP"))
            || (!ks_dns_server_up(sim) && ks_dns_asks_server(&p->pub, name))) {
            snprintf(err, n, "Error: getaddrinfo EAI_AGAIN %.120s", name);
            if (waited)
                *waited += DNS_GIVE_UP;
            return 0;
        }
    }
    if (m && m->gen == gen && m->use == v->use) {
        /* this process's peer name (kept above): its Service, resolved
           once per change of the DNS records */
        uint64_t version = ksi_dns_version(sim) + 1;
        bool from_ip = p->pub.ip[0] != '\0';
        if (m->dns_version != version || m->from_ip != from_ip) {
            m->svc = ksi_net_resolve(sim, &p->pub, name);
            m->dns_version = version;
            m->from_ip = from_ip;
        }
        svc = ks_cluster_service(sim, m->svc);
    } else {
        svc = ks_cluster_service(sim, ksi_net_resolve(sim, &p->pub, name));
    }
    if (!svc) {
        snprintf(err, n, "Error: getaddrinfo ENOTFOUND %.120s", name);
        return 0;
    }
    pi = ksi_net_service_port(svc, port, NULL);
    if (pi < 0 || !(pod = ksi_net_pick(sim, svc, (size_t)pi, &target))) {
        snprintf(err, n, "Error: connect ECONNREFUSED %s:%d", svc->cluster_ip, port);
        return 0;
    }
    peer = ksi_pod_get(sim, pod);
    if (peer && ks_netpol_enforced(sim)) {
        ks_netpol_end to = ks_netpol_pod(&peer->pub);
        if (!ks_netpol_allows(sim, &self, &to, target, "TCP")) {
            snprintf(err, n, "Error: connect ETIMEDOUT %s:%d", svc->cluster_ip, port);
            if (waited)
                *waited += SYN_GIVE_UP;
            return 0;
        }
    }
    for (k = 0; peer && k < peer->pub.ncontainers; k++)
        if (ksi_workload_listening(peer, k, target)) {
            *peer_c = k;
            return pod;
        }
    snprintf(err, n, "Error: connect ECONNREFUSED %s:%d", peer ? peer->pub.ip : "?", target);
    return 0;
}

/* The database's answer to a login (its auth: accounts, from its own env):
 * true, or false with its refusal in err. No accounts: every login. */
static bool login(ks_sim *sim, ksi_pod *p, size_t c, ksi_pod *q, size_t qc, char *err, size_t n)
{
    const ks_image_uses *u = &p->pub.containers[c].image->uses;
    const ks_image_auth *a = &q->pub.containers[qc].image->auth;
    const ks_kvs *mine = ksi_workload_env(sim, p, c), *theirs = ksi_workload_env(sim, q, qc);
    const char *user = env_or(mine, u->db_user, u->db_default_user);
    const char *have = env_or(mine, u->db_password, u->db_default_password);
    const char *t;
    size_t i, k = 0;
    bool found = false, guarded = false;
    if (!a->naccounts)
        return true;
    /* an account is its user's name and the password its entrypoint set;
       several entries may name one user (mariadb's MARIADB_ and MYSQL_
       aliases): a user with no password set anywhere logs in without one */
    for (i = 0; i < a->naccounts; i++) {
        const ks_image_account *acc = &a->accounts[i];
        const char *name = env_or(theirs, acc->user_env, acc->user);
        const char *want = env_or(theirs, acc->password_env, NULL);
        if (!user)
            user = name;          /* no user given: the client's own default */
        if (!name || strcmp(name, user) != 0)
            continue;
        found = true;
        if (want && have && strcmp(want, have) == 0)
            return true;
        guarded = guarded || want;
    }
    if (found && !guarded)
        return true;
    /* the refusal, {user} and {client} filled in */
    for (t = a->denied ? a->denied : "access denied for user {user}"; *t && k + 1 < n; t++) {
        const char *sub = strncmp(t, "{user}", 6) == 0 ? (user ? user : "")
                          : strncmp(t, "{client}", 8) == 0 ? p->pub.ip : NULL;
        if (sub) {
            k += (size_t)snprintf(err + k, n - k, "%s", sub);
            t += sub == p->pub.ip ? 7 : 5;
            if (k >= n)
                k = n - 1;
        } else {
            err[k++] = *t;
        }
    }
    err[k] = '\0';
    return false;
}

/* login's answer, kept when it is yes: both processes' envs and images are
 * fixed for their lives, so an api logs in to its database once per pair
 * of processes, not per query (the answer is the same). */
static bool logged_in(ks_sim *sim, ksi_pod *p, size_t c, ksi_pod *q, size_t qc, char *err,
                      size_t n)
{
    uint32_t me = ksi_usage_gen(p, c), them = ksi_usage_gen(q, qc);
    ksi_peer_env *m = me && them ? ksi_net_peer_env(sim, me, KS_USE_DATABASE) : NULL;
    bool kept = m && m->gen == me && m->use == KS_USE_DATABASE;
    if (kept && m->login_gen == them)
        return true;
    if (!login(sim, p, c, q, qc, err, n))
        return false;
    if (kept)
        m->login_gen = them;
    return true;
}

/* A call from the api to its database or cache; false with the app's log
 * line written. */
static bool call(ks_sim *sim, ksi_pod *p, size_t c, unsigned use, bool write,
                 ksi_text line, uint64_t id, ks_time *took)
{
    const ks_image_uses *u = &p->pub.containers[c].image->uses;
    bool db = use == KS_USE_DATABASE;
    size_t pc = 0;
    char err[200];
    ksi_text from, to;
    peer_vars v = peer_of(u, db);
    ks_id peer = connect_peer(sim, p, c, &v, &pc, err, sizeof err, took);
    ksi_pod *q = ksi_pod_get(sim, peer);
    const ks_image_entry *e;
    ksi_dir *d;
    ks_time wait;
    if (!q) {
        ks_cluster_log(sim, p->pub.id, c, "%s", err);
        return false;
    }
    e = q->pub.containers[pc].image;
    if (db && !logged_in(sim, p, c, q, pc, err, sizeof err)) {
        ks_cluster_log(sim, p->pub.id, c, "error: %s", err);
        return false;
    }
    from = ksi_pod_text(sim, p);
    to = ksi_pod_text(sim, q);
    /* the query waits for the peer's CPU when the peer is throttled */
    wait = ksi_usage_work(sim, q, pc, e->load.cpu_per_request);
    ksi_traffic_hop(sim, id, line, from, to, 0, HOP);
    ksi_traffic_hop(sim, id, line, to, from, 200, HOP + wait + e->latency);
    *took += 2 * HOP + wait + e->latency;
    d = ksi_workload_data(q, pc);
    if (write && d) {
        /* its rows are the program's: the table its catalog entry names */
        if (db && p->pub.containers[c].image->table.name)
            ksi_data_set_table(d, &p->pub.containers[c].image->table);
        ksi_data_write(sim, d, 1);
        if (!ksi_usage_check(sim, q, pc)) {
            /* the peer was OOMKilled holding the new record: the
               connection drops under the client */
            ks_cluster_log(sim, p->pub.id, c, "Error: read ECONNRESET");
            return false;
        }
    }
    return true;
}

/* The lines a worker writes for a job ({n}: the record's number). */
static void job_logs(ks_sim *sim, const ksi_pod *w, size_t c, int64_t n)
{
    const ks_image_entry *e = w->pub.containers[c].image;
    char line[200];
    size_t i;
    for (i = 0; i < e->nlog_job; i++)
        ks_cluster_log(sim, w->pub.id, c, "%s",
                       ks_image_value(e->log_job[i], n, line, sizeof line));
}

/* A worker that also uses a database (the voting app's: LPOP votes, then
 * INSERT INTO votes) takes the job out of the cache and stores it as a row
 * of its table there; *n gets the row's number. False, with its error in its
 * log, when it cannot reach or log in to the database: the job stays. */
static bool store_job(ks_sim *sim, ksi_pod *w, size_t c, ksi_dir *cache, int64_t *n)
{
    const ks_image_entry *e = w->pub.containers[c].image;
    peer_vars v = peer_of(&e->uses, true);
    size_t pc = 0;
    char err[200];
    ksi_pod *q = ksi_pod_get(sim, connect_peer(sim, w, c, &v, &pc, err, sizeof err, NULL));
    ksi_dir *d;
    if (!q) {
        ks_cluster_log(sim, w->pub.id, c, "%s", err);
        return false;
    }
    if (!logged_in(sim, w, c, q, pc, err, sizeof err)) {
        ks_cluster_log(sim, w->pub.id, c, "error: %s", err);
        return false;
    }
    if (!(d = ksi_workload_data(q, pc)))
        return false;
    if (e->table.name)
        ksi_data_set_table(d, &e->table);
    ksi_usage_work(sim, q, pc, q->pub.containers[pc].image->load.cpu_per_request);
    ksi_data_write(sim, d, 1);
    ksi_usage_check(sim, q, pc);
    ksi_data_take(sim, cache, 1);
    *n = ksi_data_records(d);
    return true;
}

/* Workers connected to the cache that got a new value take it: the
 * course's fibonacci worker computes it and writes the result back to the
 * cache; one that uses a database too moves every job waiting there into it
 * (store_job). */
static void wake_workers(ks_sim *sim, ksi_dir *cache)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        ksi_pod *w = ksi_pod_get(sim, id);
        size_t c, pc;
        char err[200];
        for (c = 0; c < w->pub.ncontainers; c++) {
            const ks_image_entry *e = w->pub.containers[c].image;
            ks_id peer;
            ksi_pod *r;
            peer_vars v;
            int64_t n = 0;
            if (e->kind != KS_IMAGE_WORKER || w->pub.containers[c].state != KS_CS_RUNNING)
                continue;
            v = peer_of(&e->uses, false);
            peer = connect_peer(sim, w, c, &v, &pc, err, sizeof err, NULL);
            r = ksi_pod_get(sim, peer);
            if (!r || ksi_workload_data(r, pc) != cache)
                continue;
            ksi_usage_work(sim, w, c, e->load.cpu_per_job);
            if (e->uses.what & KS_USE_DATABASE) {
                /* it pops until the list is empty (the voting worker's loop
                   polls every 100 ms; kubesim wakes it at each push) */
                while (ksi_data_records(cache) > 0 && store_job(sim, w, c, cache, &n))
                    job_logs(sim, w, c, n);
            } else {
                job_logs(sim, w, c, ksi_data_records(cache) + 1);
                ksi_data_write(sim, cache, 1);
                ksi_usage_check(sim, r, pc);
            }
            return;                       /* one worker takes each job */
        }
    }
}

static int serve(ks_sim *sim, ksi_pod *p, size_t c, const char *method, const char *path,
                 bool interned, ksi_text line, uint64_t id, ks_time *took)
{
    const ks_image_entry *e = p->pub.containers[c].image;
    const ks_image_route *r;
    ksi_dir *d = ksi_workload_data(p, c);
    *took = e->latency;
    switch (e->kind) {
    case KS_IMAGE_DATABASE:
    case KS_IMAGE_CACHE:
        /* traffic straight to a database: POST stores a record */
        if (d && (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0)) {
            ksi_data_write(sim, d, 1);
            if (!ksi_usage_check(sim, p, c))
                return -1;                /* OOMKilled: the connection drops */
        }
        return 200;
    case KS_IMAGE_WORKER:
    case KS_IMAGE_SHELL:
    case KS_IMAGE_STRESS:
        return 200;
    default:
        break;
    }
    if (e->web.docroot)
        return ksi_workload_http(sim, p, c, method, path);
    if (!e->nroutes)
        return 200;
    if (interned) {
        ksi_route_memo *m = ksi_net_route_memo(sim, e, method, path);
        if (m->image != e || m->method != method || m->path != path) {
            m->image = e;
            m->method = method;
            m->path = path;
            m->route = ks_catalog_route(e, method, path);
        }
        r = m->route;
    } else {
        r = ks_catalog_route(e, method, path);
    }
    if (!r)
        return 404;
    if ((r->reads | r->writes) & KS_USE_DATABASE
        && !call(sim, p, c, KS_USE_DATABASE, r->writes & KS_USE_DATABASE, line, id, took))
        return 500;
    if ((r->reads | r->writes) & KS_USE_CACHE) {
        if (!call(sim, p, c, KS_USE_CACHE, r->writes & KS_USE_CACHE, line, id, took))
            return 500;
        if (r->writes & KS_USE_CACHE) {
            /* find the cache this api just wrote to, for its workers */
            size_t pc = 0;
            char err[200];
            peer_vars v = peer_of(&e->uses, false);
            ksi_pod *q = ksi_pod_get(sim, connect_peer(sim, p, c, &v, &pc, err, sizeof err,
                                                    NULL));
            if (q && ksi_workload_data(q, pc))
                wake_workers(sim, ksi_workload_data(q, pc));
        }
    }
    return r->status ? r->status : 200;
}

int ksi_serve(ks_sim *sim, ksi_pod *p, size_t c, const char *method, const char *path,
              ksi_text line, uint64_t id, ks_time *took)
{
    return serve(sim, p, c, method, path, false, line, id, took);
}

int ksi_serve_interned(ks_sim *sim, ksi_pod *p, size_t c, const char *method,
                       const char *path, ksi_text line, uint64_t id, ks_time *took)
{
    return serve(sim, p, c, method, path, true, line, id, took);
}
