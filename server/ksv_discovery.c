/* ksv_discovery.c -- /version and API discovery, from the resource table:
 * the legacy documents (APIVersions at /api, APIGroupList at /apis,
 * APIResourceList at /api/v1 and /apis/GROUP/VERSION) and the aggregated
 * one (apidiscovery.k8s.io/v2 APIGroupDiscoveryList, which kubectl 1.30+
 * asks for first with Accept: ...;as=APIGroupDiscoveryList and recognises
 * by the Content-Type it comes back with: client-go discovery/
 * aggregated_discovery.go). */
#include <stdio.h>
#include <string.h>

#include "kubectl/ks_kubectl.h"
#include "ksv_internal.h"

#define AGGREGATED_TYPE "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

void ksv_version(ksv_response *rs)
{
    /* KS_KUBECTL_K8S_VERSION is "v1.30.0": the version kubesim imitates */
    json_t *v = json_object();
    int major = 0, minor = 0;
    char buf[16];
    sscanf(KS_KUBECTL_K8S_VERSION, "v%d.%d", &major, &minor);
    snprintf(buf, sizeof buf, "%d", major);
    ksv_set_str(v, "major", buf);
    snprintf(buf, sizeof buf, "%d", minor);
    ksv_set_str(v, "minor", buf);
    ksv_set_str(v, "gitVersion", KS_KUBECTL_K8S_VERSION);
    ksv_set_str(v, "gitCommit", "kubesim");
    ksv_set_str(v, "gitTreeState", "clean");
    ksv_set_str(v, "buildDate", "2024-04-17T17:27:03Z");
    ksv_set_str(v, "goVersion", "go1.22.2");
    ksv_set_str(v, "compiler", "gc");
    ksv_set_str(v, "platform", "linux/amd64");
    ksv_reply_json(rs, 200, v);
}

/* ---- verbs and subresources ------------------------------------------------------------ */
static json_t *verbs(const ksv_resource *r)
{
    static const char *const all[] = {"create", "delete", "deletecollection", "get", "list",
                                      "patch", "update", "watch", NULL};
    static const char *const read[] = {"get", "list", "watch", NULL};
    static const char *const node[] = {"get", "list", "patch", "update", "watch", NULL};
    const char *const *v = r->writable ? all : strcmp(r->name, "nodes") == 0 ? node : read;
    json_t *a = json_array();
    for (; *v; v++)
        json_array_append_new(a, json_string(*v));
    return a;
}

typedef struct sub_info {
    const char *name, *group, *version, *kind;   /* kind NULL: the resource's own */
    const char *verbs;
} sub_info;

static const sub_info subs[] = {
    {"status", NULL, NULL, NULL, "get patch update"},
    {"scale", "autoscaling", "v1", "Scale", "get patch update"},
    {"log", NULL, NULL, NULL, "get"},
    {"eviction", "policy", "v1", "Eviction", "create"},
    {"exec", "", "v1", "PodExecOptions", "create get"},
    {"attach", "", "v1", "PodAttachOptions", "create get"},
    {"portforward", "", "v1", "PodPortForwardOptions", "create get"},
    {"binding", "", "v1", "Binding", "create"},
    {"proxy", "", "v1", "ServiceProxyOptions", "create delete get patch update"},
};

static const sub_info *sub_find(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(subs[i].name, name) == 0)
            return &subs[i];
    return NULL;
}

static json_t *words(const char *s)
{
    json_t *a = json_array();
    char w[64];
    while (s && *s) {
        size_t n = strcspn(s, " ,");
        snprintf(w, sizeof w, "%.*s", (int)(n < sizeof w ? n : sizeof w - 1), s);
        if (n)
            json_array_append_new(a, json_string(w));
        s += n + strspn(s + n, " ,");
    }
    return a;
}

/* Calls fn for each subresource of r. */
static void each_sub(const ksv_resource *r, void (*fn)(void *, const ksv_resource *,
                                                       const sub_info *), void *ud)
{
    const char *s = r->subresources;
    char w[32];
    while (s && *s) {
        size_t n = strcspn(s, " ");
        const sub_info *si;
        snprintf(w, sizeof w, "%.*s", (int)(n < sizeof w ? n : sizeof w - 1), s);
        if ((si = sub_find(w)) != NULL)
            fn(ud, r, si);
        s += n + strspn(s + n, " ");
    }
}

/* ---- legacy documents --------------------------------------------------------------------- */
static void legacy_sub(void *ud, const ksv_resource *r, const sub_info *si)
{
    json_t *a = ud, *o = json_object();
    char name[96];
    snprintf(name, sizeof name, "%s/%s", r->name, si->name);
    ksv_set_str(o, "name", name);
    ksv_set_str(o, "singularName", "");
    ksv_set_bool(o, "namespaced", r->namespaced);
    if (si->kind) {
        ksv_set_str(o, "group", si->group);
        ksv_set_str(o, "version", si->version);
    }
    ksv_set_str(o, "kind", si->kind ? si->kind : r->kind);
    json_object_set_new(o, "verbs", words(si->verbs));
    json_array_append_new(a, o);
}

static void resource_list(ksv_response *rs, const char *group, const char *version)
{
    json_t *doc = json_object(), *a = json_array();
    char gv[128];
    size_t i;
    bool any = false;
    for (i = 0; i < ksv_nresources; i++) {
        const ksv_resource *r = &ksv_resources[i];
        json_t *o;
        if (strcmp(r->group, group) != 0 || strcmp(r->version, version) != 0)
            continue;
        any = true;
        o = json_object();
        ksv_set_str(o, "name", r->name);
        ksv_set_str(o, "singularName", r->singular);
        ksv_set_bool(o, "namespaced", r->namespaced);
        ksv_set_str(o, "kind", r->kind);
        json_object_set_new(o, "verbs", verbs(r));
        if (r->short_names)
            json_object_set_new(o, "shortNames", words(r->short_names));
        if (r->in_all)
            json_object_set_new(o, "categories", words("all"));
        json_array_append_new(a, o);
        each_sub(r, legacy_sub, a);
    }
    if (!any) {
        json_decref(a);
        json_decref(doc);
        ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
        return;
    }
    snprintf(gv, sizeof gv, "%s%s%s", group, group[0] ? "/" : "", version);
    ksv_set_str(doc, "kind", "APIResourceList");
    ksv_set_str(doc, "apiVersion", "v1");
    ksv_set_str(doc, "groupVersion", gv);
    json_object_set_new(doc, "resources", a);
    ksv_reply_json(rs, 200, doc);
}


/* Groups in order of first appearance in the table ("" first). kubectl
   drain evicts (pods/eviction, kind policy/v1 Eviction) only when the policy
   group is there (kubectl/pkg/drain CheckEvictionSupport): its
   poddisruptionbudgets are in the table. */
static size_t groups(const char **out, size_t max)
{
    size_t n = 0, i, j;
    for (i = 0; i < ksv_nresources; i++) {
        for (j = 0; j < n && strcmp(out[j], ksv_resources[i].group) != 0; j++) {
        }
        if (j == n && n < max)
            out[n++] = ksv_resources[i].group;
    }
    return n;
}

static const char *group_version(const char *group)
{
    size_t i;
    for (i = 0; i < ksv_nresources; i++)
        if (strcmp(ksv_resources[i].group, group) == 0)
            return ksv_resources[i].version;
    return NULL;
}

/* The versions of a group in table order, the preferred first
   (autoscaling: v2, then v1). */
static size_t group_versions(const char *group, const char **out, size_t max)
{
    size_t n = 0, i, j;
    for (i = 0; i < ksv_nresources; i++) {
        if (strcmp(ksv_resources[i].group, group) != 0)
            continue;
        for (j = 0; j < n && strcmp(out[j], ksv_resources[i].version) != 0; j++) {
        }
        if (j == n && n < max)
            out[n++] = ksv_resources[i].version;
    }
    return n;
}

static json_t *api_group(const char *g)
{
    json_t *o = json_object(), *vs = json_array();
    const char *vers[4];
    size_t nv = group_versions(g, vers, 4), i;
    ksv_set_str(o, "name", g);
    for (i = 0; i < nv; i++) {
        json_t *v = json_object();
        char gv[128];
        snprintf(gv, sizeof gv, "%.60s/%.60s", g, vers[i]);
        ksv_set_str(v, "groupVersion", gv);
        ksv_set_str(v, "version", vers[i]);
        json_array_append(vs, v);
        if (i == 0)
            json_object_set(o, "preferredVersion", v);
        json_decref(v);
    }
    json_object_set_new(o, "versions", vs);
    return o;
}

/* ---- the metrics addon's group (ksv_metrics.c): there only with the addon ------------------- */
#define METRICS_GROUP "metrics.k8s.io"
#define METRICS_VERSION "v1beta1"

typedef struct metrics_res {
    const char *name, *singular, *kind;
    bool namespaced;
} metrics_res;

static const metrics_res metrics_resources[] = {
    {"nodes", "", "NodeMetrics", false},
    {"pods", "", "PodMetrics", true},
};

static json_t *metrics_resource(const metrics_res *m, bool aggregated)
{
    json_t *o = json_object();
    ksv_set_str(o, aggregated ? "resource" : "name", m->name);
    if (aggregated) {
        json_object_set_new(o, "responseKind", json_pack("{ssssss}", "group", METRICS_GROUP,
                                                         "version", METRICS_VERSION, "kind",
                                                         m->kind));
        ksv_set_str(o, "scope", m->namespaced ? "Namespaced" : "Cluster");
        ksv_set_str(o, "singularResource", m->singular);
    } else {
        ksv_set_str(o, "singularName", m->singular);
        ksv_set_bool(o, "namespaced", m->namespaced);
        ksv_set_str(o, "kind", m->kind);
    }
    json_object_set_new(o, "verbs", words("get list"));
    return o;
}

static json_t *metrics_resources_json(bool aggregated)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < sizeof metrics_resources / sizeof metrics_resources[0]; i++)
        json_array_append_new(a, metrics_resource(&metrics_resources[i], aggregated));
    return a;
}

static json_t *metrics_api_group(void)
{
    json_t *o = json_object(), *v = json_pack("{ssss}", "groupVersion",
                                              METRICS_GROUP "/" METRICS_VERSION, "version",
                                              METRICS_VERSION);
    ksv_set_str(o, "name", METRICS_GROUP);
    json_object_set_new(o, "versions", json_pack("[O]", v));
    json_object_set_new(o, "preferredVersion", v);
    return o;
}

static json_t *metrics_aggregated_group(void)
{
    json_t *v = json_object();
    ksv_set_str(v, "version", METRICS_VERSION);
    json_object_set_new(v, "resources", metrics_resources_json(true));
    ksv_set_str(v, "freshness", "Current");
    return json_pack("{s{sssn}s[o]}", "metadata", "name", METRICS_GROUP, "creationTimestamp",
                     "versions", v);
}

/* ---- aggregated discovery (apidiscovery.k8s.io/v2) ------------------------------------------ */
static json_t *response_kind(const char *group, const char *version, const char *kind)
{
    return json_pack("{ssssss}", "group", group, "version", version, "kind", kind);
}

static void aggregated_sub(void *ud, const ksv_resource *r, const sub_info *si)
{
    json_t *a = ud, *o = json_object();
    ksv_set_str(o, "subresource", si->name);
    json_object_set_new(o, "responseKind",
                        si->kind ? response_kind(si->group, si->version, si->kind)
                                 : response_kind(r->group, r->version, r->kind));
    json_object_set_new(o, "verbs", words(si->verbs));
    json_array_append_new(a, o);
}

static json_t *aggregated_version(const char *g, const char *ver)
{
    json_t *v = json_object(), *res = json_array();
    size_t i;
    for (i = 0; i < ksv_nresources; i++) {
        const ksv_resource *r = &ksv_resources[i];
        json_t *o, *sub;
        if (strcmp(r->group, g) != 0 || strcmp(r->version, ver) != 0)
            continue;
        o = json_object();
        ksv_set_str(o, "resource", r->name);
        json_object_set_new(o, "responseKind", response_kind(r->group, r->version, r->kind));
        ksv_set_str(o, "scope", r->namespaced ? "Namespaced" : "Cluster");
        ksv_set_str(o, "singularResource", r->singular);
        json_object_set_new(o, "verbs", verbs(r));
        if (r->short_names)
            json_object_set_new(o, "shortNames", words(r->short_names));
        if (r->in_all)
            json_object_set_new(o, "categories", words("all"));
        sub = json_array();
        each_sub(r, aggregated_sub, sub);
        if (json_array_size(sub))
            json_object_set_new(o, "subresources", sub);
        else
            json_decref(sub);
        json_array_append_new(res, o);
    }
    ksv_set_str(v, "version", ver);
    json_object_set_new(v, "resources", res);
    ksv_set_str(v, "freshness", "Current");
    return v;
}

static json_t *aggregated_group(const char *g)
{
    json_t *item = json_object(), *meta = json_object(), *vs = json_array();
    const char *vers[4];
    size_t nv = group_versions(g, vers, 4), i;
    if (g[0])
        ksv_set_str(meta, "name", g);
    json_object_set_new(meta, "creationTimestamp", json_null());
    json_object_set_new(item, "metadata", meta);
    for (i = 0; i < nv; i++)
        json_array_append_new(vs, aggregated_version(g, vers[i]));
    json_object_set_new(item, "versions", vs);
    return item;
}

static bool wants_aggregated(const ksv_request *rq)
{
    const char *a = rq->accept;
    /* the first media type the client prefers decides */
    return a && strstr(a, "as=APIGroupDiscoveryList") && strstr(a, "v=v2")
           && (!strstr(a, "application/json,") || strstr(a, "APIGroupDiscoveryList")
                                                      < strstr(a, "application/json,"));
}

static void aggregated(ksv_response *rs, bool core, bool metrics)
{
    json_t *doc = json_object(), *items = json_array();
    const char *gs[32];
    size_t n = groups(gs, 32), i;
    ksv_set_str(doc, "kind", "APIGroupDiscoveryList");
    ksv_set_str(doc, "apiVersion", "apidiscovery.k8s.io/v2");
    json_object_set_new(doc, "metadata", json_object());
    for (i = 0; i < n; i++)
        if ((gs[i][0] == '\0') == core)
            json_array_append_new(items, aggregated_group(gs[i]));
    if (metrics && !core)
        json_array_append_new(items, metrics_aggregated_group());
    json_object_set_new(doc, "items", items);
    ksv_reply_json(rs, 200, doc);
    rs->content_type = AGGREGATED_TYPE;
}

void ksv_discovery(const ksv_request *rq, ksv_response *rs, const char *const *seg, size_t n,
                   bool metrics)
{
    bool core = strcmp(seg[0], "api") == 0;
    bool mgroup = metrics && !core && n >= 2 && strcmp(seg[1], METRICS_GROUP) == 0;
    if (n == 1 && wants_aggregated(rq)) {
        aggregated(rs, core, metrics);
    } else if (mgroup && n == 2) {
        json_t *g = metrics_api_group();
        ksv_set_str(g, "kind", "APIGroup");
        ksv_set_str(g, "apiVersion", "v1");
        ksv_reply_json(rs, 200, g);
    } else if (mgroup && n == 3 && strcmp(seg[2], METRICS_VERSION) == 0) {
        json_t *doc = json_object();
        ksv_set_str(doc, "kind", "APIResourceList");
        ksv_set_str(doc, "apiVersion", "v1");
        ksv_set_str(doc, "groupVersion", METRICS_GROUP "/" METRICS_VERSION);
        json_object_set_new(doc, "resources", metrics_resources_json(false));
        ksv_reply_json(rs, 200, doc);
    } else if (n == 1 && core) {
        json_t *doc = json_object(), *cidrs = json_array();
        ksv_set_str(doc, "kind", "APIVersions");
        json_object_set_new(doc, "versions", json_pack("[s]", "v1"));
        json_array_append_new(cidrs, json_pack("{ssss}", "clientCIDR", "0.0.0.0/0",
                                               "serverAddress", "127.0.0.1"));
        json_object_set_new(doc, "serverAddressByClientCIDRs", cidrs);
        ksv_reply_json(rs, 200, doc);
    } else if (n == 1) {
        json_t *doc = json_object(), *a = json_array();
        const char *gs[32];
        size_t ng = groups(gs, 32), i;
        ksv_set_str(doc, "kind", "APIGroupList");
        ksv_set_str(doc, "apiVersion", "v1");
        for (i = 0; i < ng; i++)
            if (gs[i][0])
                json_array_append_new(a, api_group(gs[i]));
        if (metrics)
            json_array_append_new(a, metrics_api_group());
        json_object_set_new(doc, "groups", a);
        ksv_reply_json(rs, 200, doc);
    } else if (core && n == 2) {
        resource_list(rs, "", seg[1]);
    } else if (!core && n == 2) {
        json_t *g;
        if (!group_version(seg[1])) {
            ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
            return;
        }
        g = api_group(seg[1]);
        ksv_set_str(g, "kind", "APIGroup");
        ksv_set_str(g, "apiVersion", "v1");
        ksv_reply_json(rs, 200, g);
    } else if (!core && n == 3) {
        resource_list(rs, seg[1], seg[2]);
    } else {
        ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
    }
}
