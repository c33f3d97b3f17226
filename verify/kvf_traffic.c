/* kvf_traffic.c -- requests through the API server's service proxy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvf_traffic.h"

typedef struct sent {
    char *path;
    ks_scn_target to;
    char *to_name;
    int status;                   /* -1: no answer yet; 0: none came */
} sent;

/* What a started request's answer finds: its row (the log may move). */
typedef struct ticket {
    kvf_traffic *t;
    size_t i;
} ticket;

struct kvf_traffic {
    kvf_cluster *k;
    char ns[254];
    sent *log;
    size_t n, cap;
    uint64_t started;             /* of them, sent to the proxy */
    uint64_t answered;            /* of those, whose answer (or failure) has come */
};

kvf_traffic *kvf_traffic_create(kvf_cluster *k, const char *ns)
{
    kvf_traffic *t = calloc(1, sizeof *t);
    if (t) {
        t->k = k;
        snprintf(t->ns, sizeof t->ns, "%s", ns);
    }
    return t;
}

void kvf_traffic_destroy(kvf_traffic *t)
{
    size_t i;
    if (!t)
        return;
    for (i = 0; i < t->n; i++) {
        free(t->log[i].path);
        free(t->log[i].to_name);
    }
    free(t->log);
    free(t);
}

/* The port ("80" or "http") of a Service's first port, or of the one with
 * node port nodeport. */
static bool service_port(json_t *svc, int nodeport, char *port, size_t n)
{
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(svc, "spec"), "ports"), i, p) {
        if (nodeport && json_integer_value(json_object_get(p, "nodePort")) != nodeport)
            continue;
        snprintf(port, n, "%lld", (long long)json_integer_value(json_object_get(p, "port")));
        return true;
    }
    return false;
}

/* Finds the Service (namespace, name, port) behind a target. */
static bool route_of(kvf_traffic *t, const ks_scn_target *to, char *ns, char *name, char *port,
                     char *why, size_t n)
{
    long status;
    json_t *svc = NULL, *items, *s;
    size_t i;
    bool ok = false;
    switch (to->kind) {
    case KS_SCN_TO_NODEPORT:
        if (!(items = kvf_cluster_list(t->k, "services", t->ns, NULL, &status, why, n)))
            return false;
        json_array_foreach(items, i, s) {
            if (!ok && service_port(s, to->port, port, 16)) {
                snprintf(ns, 254, "%s", t->ns);
                snprintf(name, 254, "%s", json_string_value(json_object_get(
                                              json_object_get(s, "metadata"), "name")));
                ok = true;
            }
        }
        json_decref(items);
        if (!ok)
            snprintf(why, n, "no Service in %s has node port %d", t->ns, to->port);
        return ok;
    case KS_SCN_TO_SERVICE:
    case KS_SCN_TO_LOADBALANCER:
        snprintf(ns, 254, "%s", t->ns);
        snprintf(name, 254, "%s", to->name);
        break;
    default:                      /* ingress, or none */
        snprintf(ns, 254, "ingress-nginx");
        snprintf(name, 254, "ingress-nginx-controller");
        break;
    }
    if (!(svc = kvf_cluster_get(t->k, "services", ns, name, &status, why, n)))
        return false;
    ok = service_port(svc, 0, port, 16);
    if (!ok)
        snprintf(why, n, "Service %s/%s has no port", ns, name);
    json_decref(svc);
    return ok;
}

static void on_answer(void *ud, long status, const char *error)
{
    ticket *k = ud;
    (void)error;
    if (status >= 0) {            /* -1: the client went first (the log may be gone) */
        k->t->log[k->i].status = status > 0 ? (int)status : 0;
        k->t->answered++;
    }
    free(k);
}

int kvf_traffic_send(kvf_traffic *t, const ks_scn_traffic *g, char *route, size_t n)
{
    char ns[254], name[254], port[16], path[2048];
    const char *p = g->path ? g->path : "/";
    const char *method = g->method ? g->method : "GET";
    ticket *k;
    sent *s;
    int rc = -1;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        sent *g2 = realloc(t->log, cap * sizeof *g2);
        if (!g2) {
            snprintf(route, n, "out of memory");
            return 0;
        }
        t->log = g2;
        t->cap = cap;
    }
    s = &t->log[t->n];
    memset(s, 0, sizeof *s);
    s->path = strdup(p);
    s->to = g->to;
    s->to_name = g->to.name ? strdup(g->to.name) : NULL;
    s->to.name = s->to_name;
    if (route_of(t, &g->to, ns, name, port, route, n) && (k = malloc(sizeof *k))) {
        snprintf(path, sizeof path, "/api/v1/namespaces/%s/services/%s:%s/proxy%s", ns, name,
                 port, p[0] == '/' ? p : "/");
        snprintf(route, n, "service proxy: %s%s%s", path, g->host ? ", Host: " : "",
                 g->host ? g->host : "");
        k->t = t;
        k->i = t->n;
        s->status = -1;
        kvf_client_next_host(kvf_cluster_client(t->k), g->host);
        if ((rc = kvf_client_start(kvf_cluster_client(t->k), method, path, "application/json",
                                   strcmp(method, "GET") ? "{}" : NULL, 2, on_answer, k)) != 0) {
            s->status = 0;
            free(k);
        } else {
            t->started++;
        }
    }
    t->n++;
    return rc;
}

uint64_t kvf_traffic_sent(const kvf_traffic *t)
{
    return t->started;
}

uint64_t kvf_traffic_answered(const kvf_traffic *t)
{
    return t->answered;
}

static bool same_target(const ks_scn_target *a, const ks_scn_target *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == KS_SCN_TO_NODEPORT)
        return a->port == b->port;
    if (a->kind == KS_SCN_TO_SERVICE || a->kind == KS_SCN_TO_LOADBALANCER)
        return a->name && b->name && strcmp(a->name, b->name) == 0;
    return true;
}

void kvf_traffic_stats(const kvf_traffic *t, const char *path, const ks_scn_target *to, int lo,
                       int hi, uint64_t *count, uint64_t *ok)
{
    size_t i;
    *count = *ok = 0;
    for (i = 0; i < t->n; i++) {
        const sent *s = &t->log[i];
        if (s->status < 0)
            continue;             /* in flight: not finished yet */
        if (path && (!s->path || strcmp(s->path, path) != 0))
            continue;
        if (to && to->kind != KS_SCN_TO_NONE && !same_target(&s->to, to))
            continue;
        /* by class, as kubesim counts them (ks_traffic_stats) */
        if ((lo || hi) && (s->status / 100 < lo / 100 || s->status / 100 > hi / 100))
            continue;
        (*count)++;
        *ok += s->status >= 200 && s->status < 300;
    }
}
