/* ksv_logs.c -- GET pods/NAME/log: a container's output as the kubelet
 * keeps it (the simulation's ring of its last KS_LOG_LINES lines per
 * container run), as text/plain, with the kubelet's query parameters
 * (k8s.io/api/core/v1 PodLogOptions): container, previous, tailLines,
 * timestamps, limitBytes, sinceSeconds, follow. A follow stream is a raw
 * watch (ksv_watch_open_raw) that gets the lines printed after each advance
 * of the simulation, and ends when that run of the container ends (a
 * crash, a restart, the pod deleted), as kubectl logs -f does. Errors are
 * the kubelet's, through the API server: 400 BadRequest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ksv_internal.h"
#include "ksv_watch.h"

typedef struct follow {
    char ns[256], pod[256], container[256];
    int restarts;             /* the run being followed */
    ks_time last_at;          /* the newest line sent, and how many lines at that instant */
    int same_at;
    bool timestamps;
} follow;

static void rfc3339_nano(const ksv_ctx *c, ks_time t, char *buf, size_t n)
{
    double wall_us = ksv_wall_us(c, t);
    time_t s = (time_t)(wall_us / 1e6);
    long ns = (long)((wall_us - (double)s * 1e6) * 1000.0);
    struct tm tm;
    char day[40];
    gmtime_r(&s, &tm);
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, n, "%s.%09ldZ", day, ns < 0 ? 0 : ns > 999999999 ? 999999999 : ns);
}

static const ks_pod *find_pod(ksv_api *api, const char *ns, const char *name)
{
    ks_id id = ks_cluster_find(api->sim, KS_KIND_POD, ns, name);
    return id ? ks_cluster_pod(api->sim, id) : NULL;
}

/* Appends line i of log (oldest first) to out. */
static void put_line(ksv_api *api, const ks_log *log, int i, bool stamps, ks_strbuf *out)
{
    int at = (log->first + i) % KS_LOG_LINES;
    if (stamps) {
        char ts[64];
        rfc3339_nano(&api->ctx, log->at[at], ts, sizeof ts);
        ks_strbuf_printf(out, "%s ", ts);
    }
    ks_strbuf_printf(out, "%s\n", log->line[at]);
}

/* Remembers the newest line of log as sent. */
static void mark_sent(follow *fw, const ks_log *log)
{
    int i;
    fw->last_at = -1;
    fw->same_at = 0;
    for (i = 0; log && i < log->count; i++) {
        ks_time t = log->at[(log->first + i) % KS_LOG_LINES];
        if (t != fw->last_at) {
            fw->last_at = t;
            fw->same_at = 0;
        }
        fw->same_at++;
    }
}

static void follow_free(void *p)
{
    free(p);
}

void ksv_logs(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs)
{
    const ks_pod *p = find_pod(api, t->ns, t->name);
    const char *cname = ksv_param_get(rq, "container"), *v;
    bool previous = ksv_param_bool(rq, "previous"), stamps = ksv_param_bool(rq, "timestamps");
    long long tail = -1, limit = -1, since = -1;
    const ks_container_status *cs = NULL;
    const ks_log *log;
    size_t c;
    int i, from = 0;
    if (!p) {
        ksv_not_found(rs, t->r, t->name);
        return;
    }
    if ((v = ksv_param_get(rq, "tailLines")))
        tail = strtoll(v, NULL, 10);
    if ((v = ksv_param_get(rq, "limitBytes")))
        limit = strtoll(v, NULL, 10);
    if ((v = ksv_param_get(rq, "sinceSeconds")))
        since = strtoll(v, NULL, 10);
    if (!cname || !cname[0]) {
        if (p->ncontainers != 1) {
            /* registry/core/pod/strategy.go: "a container name must be specified for pod %s, choose one of: %s" */
            ks_strbuf names;
            ks_strbuf_init(&names, NULL);
            for (c = 0; c < p->ncontainers; c++)
                ks_strbuf_printf(&names, "%s%s", c ? " " : "", p->containers[c].spec->name);
            ksv_fail(rs, 400, "BadRequest", "a container name must be specified for pod %s, "
                     "choose one of: [%s]", p->name, ks_strbuf_str(&names));
            ks_strbuf_fini(&names);
            return;
        }
        cs = &p->containers[0];
    } else {
        /* the app containers, then the init containers (one array) */
        for (c = 0; c < p->ncontainers + p->ninit; c++)
            if (strcmp(p->containers[c].spec->name, cname) == 0)
                cs = &p->containers[c];
        if (!cs) {
            ksv_fail(rs, 400, "BadRequest", "container %s is not valid for pod %s", cname,
                     p->name);
            return;
        }
    }
    if (previous && cs->restarts == 0) {
        ksv_fail(rs, 400, "BadRequest", "previous terminated container \"%s\" in pod \"%s\" "
                 "not found", cs->spec->name, p->name);
        return;
    }
    if (!previous && cs->state == KS_CS_WAITING && !cs->has_last && !cs->restarts) {
        const char *why = !cs->reason ? "ContainerCreating"
                          : strcmp(cs->reason, "ImagePullBackOff") == 0
                                  || strcmp(cs->reason, "ErrImagePull") == 0
                              ? "trying and failing to pull image" : cs->reason;
        ksv_fail(rs, 400, "BadRequest", "container \"%s\" in pod \"%s\" is waiting to start: %s",
                 cs->spec->name, p->name, why);
        return;
    }
    log = previous ? cs->prev_log : cs->log;
    rs->status = 200;
    rs->content_type = "text/plain";
    ks_strbuf_clear(&rs->body);
    if (log && tail >= 0 && tail < log->count)
        from = log->count - (int)tail;
    for (i = from; log && i < log->count; i++) {
        ks_time at = log->at[(log->first + i) % KS_LOG_LINES];
        if (since >= 0 && at < ks_now(api->sim) - (ks_time)since * KS_SEC)
            continue;
        put_line(api, log, i, stamps, &rs->body);
    }
    if (limit >= 0 && (size_t)limit < rs->body.len)
        rs->body.len = (size_t)limit;
    if (ksv_param_bool(rq, "follow") && !previous && cs->state != KS_CS_TERMINATED) {
        follow *fw = calloc(1, sizeof *fw);
        ksv_watch *w;
        char *text;
        size_t len = rs->body.len;
        if (!fw || !(text = malloc(len + 1))) {
            free(fw);
            ksv_fail(rs, 500, "InternalError", "out of memory");
            return;
        }
        memcpy(text, rs->body.buf ? rs->body.buf : "", len);
        snprintf(fw->ns, sizeof fw->ns, "%s", p->ns);
        snprintf(fw->pod, sizeof fw->pod, "%s", p->name);
        snprintf(fw->container, sizeof fw->container, "%s", cs->spec->name);
        fw->restarts = cs->restarts;
        fw->timestamps = stamps;
        mark_sent(fw, log);
        w = ksv_watch_open_raw(api, rs, "text/plain", fw, follow_free);
        if (w)
            ksv_watch_append(w, text, len);
        free(text);
    }
}

/* New lines of one followed container; false when its run is over. */
static bool follow_more(ksv_api *api, ksv_watch *w, follow *fw)
{
    const ks_pod *p = find_pod(api, fw->ns, fw->pod);
    const ks_container_status *cs = NULL;
    const ks_log *log;
    ks_strbuf out;
    size_t c;
    int i, seen = 0;
    for (c = 0; p && c < p->ncontainers; c++)
        if (strcmp(p->containers[c].spec->name, fw->container) == 0)
            cs = &p->containers[c];
    if (!cs)
        return false;
    /* the run followed ended and another began: its last lines are the previous log */
    log = cs->restarts != fw->restarts ? cs->prev_log : cs->log;
    ks_strbuf_init(&out, NULL);
    for (i = 0; log && i < log->count; i++) {
        ks_time at = log->at[(log->first + i) % KS_LOG_LINES];
        if (at < fw->last_at)
            continue;
        if (at == fw->last_at && ++seen <= fw->same_at)
            continue;
        put_line(api, log, i, fw->timestamps, &out);
    }
    if (out.len)
        ksv_watch_append(w, out.buf, out.len);
    ks_strbuf_fini(&out);
    mark_sent(fw, log);
    return cs->restarts == fw->restarts && cs->state != KS_CS_TERMINATED && !p->terminating;
}

void ksv_logs_after_advance(ksv_api *api)
{
    size_t i;
    for (i = 0; i < api->nwatches; i++) {
        ksv_watch *w = api->watches[i];
        follow *fw = ksv_watch_state(w);
        if (fw && !ksv_watch_ended(w) && !follow_more(api, w, fw))
            ksv_watch_end(w);
    }
}
