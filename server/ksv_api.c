/* ksv_api.c -- one API over a running simulation: life, the request log,
 * and routing a request to discovery, OpenAPI, reads, writes, logs, exec
 * and watches. Paths are those of the API server:
 *   /version /healthz /livez /readyz
 *   /api /api/v1 /apis /apis/GROUP /apis/GROUP/VERSION      (discovery)
 *   /openapi/v2 /openapi/v3 /openapi/v3/api/v1 /openapi/v3/apis/GROUP/VERSION
 *   {/api/v1 | /apis/GROUP/VERSION} [/namespaces/NS] /RESOURCE [/NAME [/SUBRESOURCE]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kubectl/ks_kubectl.h"
#include "ksv_internal.h"
#include "ksv_watch.h"
#include "ksv_ws.h"

#define MAX_SEGMENTS 12

ksv_api *ksv_api_create(ks_run *run, const ksv_api_config *cfg)
{
    ksv_api *api = calloc(1, sizeof *api);
    if (!api)
        return NULL;
    api->run = run;
    api->sim = ks_run_sim(run);
    if (cfg)
        api->cfg = *cfg;
    api->ctx.sim = api->sim;
    api->ctx.epoch_us = api->cfg.epoch_us ? api->cfg.epoch_us : KS_KUBECTL_EPOCH * KS_SEC;
    api->ctx.speed = api->cfg.speed > 0 ? api->cfg.speed : 1;
    api->ctx.wall_us = api->cfg.wall_us;
    api->paused = api->cfg.paused;
    if ((api->ctx.wall_us && !(api->ctx.time = ksv_timemap_create(&api->ctx, ks_now(api->sim))))
        || !(api->store = ksv_store_create(&api->ctx))) {
        ksv_timemap_destroy(api->ctx.time);
        free(api);
        return NULL;
    }
    return api;
}

void ksv_api_destroy(ksv_api *api)
{
    size_t i;
    if (!api)
        return;
    for (i = 0; i < api->nsteps; i++) {
        free(api->steps[i].line);
        free(api->steps[i].input);
    }
    free(api->steps);
    while (api->nwatches)
        ksv_watch_close(api, api->watches[0]);
    free(api->watches);
    ksv_proxy_drop_all(api);
    ksv_watch_forget(api);
    ksv_store_destroy(api->store);
    ksv_timemap_destroy(api->ctx.time);
    free(api);
}

void ksv_response_init(ksv_response *rs)
{
    memset(rs, 0, sizeof *rs);
    ks_strbuf_init(&rs->body, NULL);
    rs->status = 500;
    rs->content_type = "application/json";
}

void ksv_response_fini(ksv_response *rs)
{
    ks_strbuf_fini(&rs->body);
    ksv_upgrade_free(rs->upgrade);
    rs->upgrade = NULL;
    ksv_proxy_drop(rs->proxied);
    rs->proxied = NULL;
}

bool ksv_param_bool(const ksv_request *rq, const char *key)
{
    /* apimachinery pkg/runtime/conversion.go Convert_Slice_string_To_bool:
       absent, "0" or "false" (any case) is false; anything else, "" too, true */
    const char *v = ksv_param_get(rq, key);
    return v && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0;
}

const char *ksv_param_get(const ksv_request *rq, const char *key)
{
    size_t i;
    for (i = rq->nparams; i-- > 0;)
        if (strcmp(rq->params[i].key, key) == 0)
            return rq->params[i].value ? rq->params[i].value : "";
    return NULL;
}

size_t ksv_api_steps(const ksv_api *api)
{
    return api->nsteps;
}

void ksv_api_step(const ksv_api *api, size_t i, ks_time *at, const char **line)
{
    *at = api->steps[i].at;
    *line = api->steps[i].line;
}

const char *ksv_api_step_input(const ksv_api *api, size_t i)
{
    return api->steps[i].input;
}

/* ---- routing ----------------------------------------------------------------------------- */
static size_t split(char *path, char **seg, size_t max)
{
    size_t n = 0;
    char *save = NULL, *tok;
    for (tok = strtok_r(path, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (n == max)
            return max + 1;
        seg[n++] = tok;
    }
    return n;
}

/* Reads a resource path (after /api/v1 or /apis/G/V) into t. Returns false
 * when the path names no resource we serve (then rs is a 404 Status). */
static bool target(const char *group, const char *version, char **seg, size_t n, ksv_target *t,
                   ksv_response *rs)
{
    size_t i = 0;
    memset(t, 0, sizeof *t);
    if (n >= 3 && strcmp(seg[0], "namespaces") == 0
        && !(n == 3 && (strcmp(seg[2], "status") == 0 || strcmp(seg[2], "finalize") == 0))) {
        t->ns = seg[1];
        i = 2;
    }
    if (i >= n) {
        ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
        return false;
    }
    t->r = ksv_resource_find(group, version, seg[i]);
    if (!t->r || n - i > 3 || (t->ns && !t->r->namespaced)) {
        ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
        return false;
    }
    t->name = n - i >= 2 ? seg[i + 1] : NULL;
    t->sub = n - i == 3 ? seg[i + 2] : NULL;
    if (t->name && t->r->namespaced && !t->ns) {
        ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
        return false;
    }
    return true;
}

static bool sync(ksv_api *api)
{
    return ksv_api_sync(api);
}

static void resource_request(ksv_api *api, const ksv_request *rq, const ksv_target *t,
                             ksv_response *rs)
{
    bool get = strcmp(rq->method, "GET") == 0;
    if (!sync(api)) {
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return;
    }
    if (get && !t->name && ksv_param_bool(rq, "watch")) {
        ksv_watch_open(api, rq, t, rs);
        return;
    }
    if (get && !t->sub) {
        if (t->name)
            ksv_get(api, rq, t, rs);
        else
            ksv_list(api, rq, t, rs);
        return;
    }
    if (get && t->sub && strcmp(t->sub, "status") == 0) {
        ksv_get(api, rq, t, rs);
        return;
    }
    if (get && t->sub && strcmp(t->sub, "log") == 0 && t->r->ks_kind == KS_KIND_POD) {
        ksv_logs(api, rq, t, rs);
        return;
    }
    if (t->sub && t->r->ks_kind == KS_KIND_POD && strcmp(t->sub, "exec") == 0
        && (get || strcmp(rq->method, "POST") == 0)) {
        ksv_exec(api, rq, t, rs);
        return;
    }
    if (t->sub && t->r->ks_kind == KS_KIND_POD
        && (strcmp(t->sub, "attach") == 0
            || strcmp(t->sub, "portforward") == 0)) {
        ksv_fail(rs, 400, "BadRequest", "kubesim does not simulate %s: the containers of the "
                 "simulation run no processes to %s (kubectl logs and describe show what they do)",
                 t->sub, strcmp(t->sub, "portforward") == 0 ? "forward ports to" : "enter");
        return;
    }
    ksv_write(api, rq, t, rs);
}

static void log_request(ksv_api *api, const ksv_request *rq, const ksv_response *rs)
{
    size_t i;
    if (!api->cfg.log)
        return;
    fprintf(api->cfg.log, "%s %s", rq->method, rq->path);
    for (i = 0; i < rq->nparams; i++)
        fprintf(api->cfg.log, "%c%s=%s", i ? '&' : '?', rq->params[i].key,
                rq->params[i].value ? rq->params[i].value : "");
    if (rs->proxied)              /* its answer has its own line (ksv_proxy_answer) */
        fprintf(api->cfg.log, " -> proxied, held for the simulation's answer");
    else
        fprintf(api->cfg.log, " -> %d (%zu bytes)", rs->status, rs->body.len);
    fprintf(api->cfg.log, " accept=\"%s\" content-type=\"%s\" body=%zu agent=\"%s\"\n",
            rq->accept ? rq->accept : "",
            rq->content_type ? rq->content_type : "", rq->body_len,
            rq->user_agent ? rq->user_agent : "");
    fflush(api->cfg.log);
}

void ksv_api_handle(ksv_api *api, const ksv_request *rq, ksv_response *rs)
{
    char *path = strdup(rq->path ? rq->path : "/"), *seg[MAX_SEGMENTS];
    size_t n;
    ksv_target t;
    ks_strbuf_clear(&rs->body);
    if (!path) {
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return;
    }
    if (strcmp(path, "/kubesim/v1/clock") == 0) {
        ksv_clock(api, rq, rs);
        log_request(api, rq, rs);
        free(path);
        return;
    }
    if (strcmp(path, "/kubesim/v1/cluster") == 0) {
        ksv_cluster_shape(api, rq, rs);
        log_request(api, rq, rs);
        free(path);
        return;
    }
    if (strncmp(path, "/kubesim/v1/nodes/", 18) == 0) {
        /* /kubesim/v1/nodes/NAME/ACTION */
        char *name = path + 18, *act = strchr(name, '/');
        if (act && act != name && !strchr(act + 1, '/')) {
            *act++ = '\0';
            ksv_node_action(api, rq, name, act, rs);
        } else {
            ksv_fail(rs, 404, "NotFound", "kubesim's node actions are POST "
                     "/kubesim/v1/nodes/NAME/fail and /recover");
        }
        log_request(api, rq, rs);
        free(path);
        return;
    }
    if (strncmp(path, "/api/v1/namespaces/", 19) == 0) {
        /* /api/v1/namespaces/NS/services/NAME[:PORT]/proxy[/PATH]: the path is the service's */
        char *ns = path + 19, *s = strchr(ns, '/'), *name, *p;
        if (s && strncmp(s, "/services/", 10) == 0 && (name = s + 10, p = strchr(name, '/'))
            && strncmp(p, "/proxy", 6) == 0 && (p[6] == '\0' || p[6] == '/')) {
            *s = '\0';
            *p = '\0';
            ksv_proxy(api, rq, ns, name, p[6] ? p + 7 : "", rs);
            log_request(api, rq, rs);
            free(path);
            return;
        }
    }
    n = split(path, seg, MAX_SEGMENTS);
    if (n > MAX_SEGMENTS) {
        ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
    } else if (n == 1 && strcmp(seg[0], "version") == 0) {
        ksv_version(rs);
    } else if (n == 1 && (strcmp(seg[0], "healthz") == 0 || strcmp(seg[0], "livez") == 0
                          || strcmp(seg[0], "readyz") == 0)) {
        rs->status = 200;
        rs->content_type = "text/plain; charset=utf-8";
        ks_strbuf_puts(&rs->body, "ok");
    } else if (n >= 1 && strcmp(seg[0], "openapi") == 0) {
        ksv_openapi(rq, rs, (const char *const *)seg, n);
    } else if (n >= 1 && n <= 2 && strcmp(seg[0], "api") == 0) {
        ksv_discovery(rq, rs, (const char *const *)seg, n, false);
    } else if (n >= 1 && n <= 3 && strcmp(seg[0], "apis") == 0) {
        ksv_discovery(rq, rs, (const char *const *)seg, n, ksv_metrics_served(api));
    } else if (n >= 4 && strcmp(seg[0], "apis") == 0 && strcmp(seg[1], "metrics.k8s.io") == 0) {
        ksv_metrics(api, rq, (const char *const *)seg, n, rs);
    } else if (n >= 3 && strcmp(seg[0], "api") == 0) {
        if (target("", seg[1], seg + 2, n - 2, &t, rs))
            resource_request(api, rq, &t, rs);
    } else if (n >= 4 && strcmp(seg[0], "apis") == 0) {
        if (target(seg[1], seg[2], seg + 3, n - 3, &t, rs))
            resource_request(api, rq, &t, rs);
    } else {
        ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
    }
    log_request(api, rq, rs);
    free(path);
}

bool ksv_api_after_advance(ksv_api *api)
{
    size_t i;
    if (!api->nwatches)
        return false;                 /* no one to tell: sync when asked */
    sync(api);
    ksv_logs_after_advance(api);
    for (i = 0; i < api->nwatches; i++)
        if (ksv_watch_pending(api->watches[i]) || ksv_watch_ended(api->watches[i]))
            return true;
    return false;
}
