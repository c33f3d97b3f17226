/* kvf_cluster.c -- discovery, a namespace, apply, list/get/delete. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "kvf_cluster.h"

struct kvf_cluster {
    kvf_client *c;
    kvf_resource res[KVF_MAX_RESOURCES];
    size_t nres;
};

/* Adds the resources of one APIResourceList (subresources such as
 * pods/log are left out). */
static void add_list(kvf_cluster *k, const char *group, const char *version, json_t *list)
{
    json_t *arr = json_object_get(list, "resources"), *r;
    size_t i;
    json_array_foreach(arr, i, r) {
        const char *name = json_string_value(json_object_get(r, "name"));
        const char *kind = json_string_value(json_object_get(r, "kind"));
        kvf_resource *x;
        if (!name || !kind || strchr(name, '/') || k->nres == KVF_MAX_RESOURCES)
            continue;
        x = &k->res[k->nres++];
        snprintf(x->group, sizeof x->group, "%s", group);
        snprintf(x->version, sizeof x->version, "%s", version);
        snprintf(x->kind, sizeof x->kind, "%s", kind);
        snprintf(x->name, sizeof x->name, "%s", name);
        x->namespaced = json_is_true(json_object_get(r, "namespaced"));
    }
}

kvf_cluster *kvf_cluster_create(kvf_client *c, char *why, size_t n)
{
    kvf_cluster *k = calloc(1, sizeof *k);
    json_t *core, *groups, *g;
    long status;
    size_t i;
    if (!k) {
        snprintf(why, n, "out of memory");
        return NULL;
    }
    k->c = c;
    if (!(core = kvf_client_get_json(c, "/api/v1", &status, why, n))) {
        free(k);
        return NULL;
    }
    add_list(k, "", "v1", core);
    json_decref(core);
    if (!(groups = kvf_client_get_json(c, "/apis", &status, why, n))) {
        free(k);
        return NULL;
    }
    json_array_foreach(json_object_get(groups, "groups"), i, g) {
        const char *name = json_string_value(json_object_get(g, "name"));
        json_t *pv = json_object_get(g, "preferredVersion"), *list;
        const char *gv = json_string_value(json_object_get(pv, "groupVersion"));
        const char *v = json_string_value(json_object_get(pv, "version"));
        char path[256], w[300];
        if (!name || !gv || !v)
            continue;
        snprintf(path, sizeof path, "/apis/%s", gv);
        if ((list = kvf_client_get_json(c, path, &status, w, sizeof w)) != NULL) {
            add_list(k, name, v, list);
            json_decref(list);
        }
    }
    json_decref(groups);
    return k;
}

void kvf_cluster_destroy(kvf_cluster *k)
{
    free(k);
}

kvf_client *kvf_cluster_client(kvf_cluster *k)
{
    return k->c;
}

size_t kvf_cluster_resource_count(const kvf_cluster *k)
{
    return k->nres;
}

const kvf_resource *kvf_cluster_find_kind(const kvf_cluster *k, const char *api_version,
                                          const char *kind)
{
    const char *slash = api_version ? strchr(api_version, '/') : NULL;
    size_t i, glen = slash ? (size_t)(slash - api_version) : 0;
    const char *version = slash ? slash + 1 : api_version;
    for (i = 0; kind && version && i < k->nres; i++) {
        const kvf_resource *r = &k->res[i];
        if (strcmp(r->kind, kind) == 0 && strlen(r->group) == glen
            && strncmp(r->group, api_version, glen) == 0 && strcmp(r->version, version) == 0)
            return r;
    }
    return NULL;
}

const kvf_resource *kvf_cluster_find(const kvf_cluster *k, const char *resource)
{
    const char *dot = strchr(resource, '.');
    size_t i, nlen = dot ? (size_t)(dot - resource) : strlen(resource);
    for (i = 0; i < k->nres; i++) {
        const kvf_resource *r = &k->res[i];
        if (strlen(r->name) == nlen && strncmp(r->name, resource, nlen) == 0
            && (dot ? strcmp(r->group, dot + 1) == 0 : true))
            return r;
    }
    return NULL;
}

void kvf_cluster_path(const kvf_resource *r, const char *ns, const char *name, char *buf,
                      size_t n)
{
    size_t len;
    if (r->group[0])
        len = (size_t)snprintf(buf, n, "/apis/%s/%s", r->group, r->version);
    else
        len = (size_t)snprintf(buf, n, "/api/%s", r->version);
    if (len < n && r->namespaced && ns)
        len += (size_t)snprintf(buf + len, n - len, "/namespaces/%s", ns);
    if (len < n)
        len += (size_t)snprintf(buf + len, n - len, "/%s", r->name);
    if (len < n && name)
        snprintf(buf + len, n - len, "/%s", name);
}

static void url_escape(const char *s, char *out, size_t n)
{
    size_t o = 0;
    for (; *s && o + 4 < n; s++) {
        unsigned char ch = (unsigned char)*s;
        if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~')
            out[o++] = (char)ch;
        else
            o += (size_t)snprintf(out + o, n - o, "%%%02X", ch);
    }
    out[o] = '\0';
}

int kvf_cluster_namespace(kvf_cluster *k, const char *want, const char *prefix,
                          const char *fallback, char *ns, size_t nsn, bool *created,
                          char *note, size_t n)
{
    unsigned char raw[3];
    char body[512], name[64];
    kvf_response r;
    *created = false;
    note[0] = '\0';
    if (want) {
        snprintf(ns, nsn, "%s", want);
        return 0;
    }
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        raw[0] = raw[1] = raw[2] = 0;
    snprintf(name, sizeof name, "%.40s-%02x%02x%02x", prefix, raw[0], raw[1], raw[2]);
    snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                                "\"metadata\":{\"name\":\"%s\",\"labels\":"
                                "{\"app.kubernetes.io/managed-by\":\"kubesim-verify\"}}}", name);
    if (kvf_client_request(k->c, "POST", "/api/v1/namespaces", "application/json", body,
                           strlen(body), &r) != 0) {
        snprintf(note, n, "%s", r.error);
        kvf_response_fini(&r);
        return -1;
    }
    if (r.status >= 200 && r.status < 300) {
        snprintf(ns, nsn, "%s", name);
        *created = true;
    } else {
        char why[300];
        kvf_response_why(&r, why, sizeof why);
        snprintf(ns, nsn, "%s", fallback);
        snprintf(note, n, "the server did not create namespace %s (%s): using namespace %s",
                 name, why, fallback);
    }
    kvf_response_fini(&r);
    return 0;
}

int kvf_cluster_delete_namespace(kvf_cluster *k, const char *ns, char *why, size_t n)
{
    kvf_response r;
    char path[400];
    int rc = 0;
    snprintf(path, sizeof path, "/api/v1/namespaces/%s", ns);
    if (kvf_client_request(k->c, "DELETE", path, NULL, NULL, 0, &r) != 0
        || (r.status >= 300 && r.status != 404)) {
        kvf_response_why(&r, why, n);
        rc = -1;
    }
    kvf_response_fini(&r);
    return rc;
}

/* "deployment.apps/web" */
static void kind_name(const kvf_resource *r, const char *name, char *buf, size_t n)
{
    char lower[64];
    size_t i;
    for (i = 0; r->kind[i] && i < sizeof lower - 1; i++)
        lower[i] = (char)tolower((unsigned char)r->kind[i]);
    lower[i] = '\0';
    snprintf(buf, n, "%s%s%s/%s", lower, r->group[0] ? "." : "", r->group, name);
}

int kvf_cluster_apply(kvf_cluster *k, const char *ns, json_t *obj, char *what, size_t n)
{
    const char *av = json_string_value(json_object_get(obj, "apiVersion"));
    const char *kind = json_string_value(json_object_get(obj, "kind"));
    json_t *meta = json_object_get(obj, "metadata");
    const char *name = json_string_value(json_object_get(meta, "name"));
    const kvf_resource *r = kvf_cluster_find_kind(k, av, kind);
    char path[1024], kn[256], why[400];
    kvf_response rs;
    char *body;
    int rc = -1;
    if (!r || !name) {
        snprintf(what, n, "%s %s: %s", kind ? kind : "(no kind)", name ? name : "(no name)",
                 !r ? "the server does not serve this kind" : "the object has no name");
        return -1;
    }
    kind_name(r, name, kn, sizeof kn);
    if (r->namespaced && json_is_object(meta))
        json_object_set_new(meta, "namespace", json_string(ns));
    if (!(body = json_dumps(obj, JSON_COMPACT))) {
        snprintf(what, n, "%s: out of memory", kn);
        return -1;
    }
    kvf_cluster_path(r, ns, name, path, sizeof path);
    strncat(path, "?fieldManager=kubesim-verify&force=true", sizeof path - strlen(path) - 1);
    if (kvf_client_request(k->c, "PATCH", path, "application/apply-patch+yaml", body,
                           strlen(body), &rs) == 0 && rs.status >= 200 && rs.status < 300) {
        snprintf(what, n, "%s serverside-applied", kn);
        rc = 0;
    } else if (rs.status == 0) {
        snprintf(what, n, "%s: %s", kn, rs.error);
    } else if (rs.status == 405 || rs.status == 415 || rs.status == 501) {
        /* no server-side apply here: create it */
        kvf_response_fini(&rs);
        kvf_cluster_path(r, ns, NULL, path, sizeof path);
        if (kvf_client_request(k->c, "POST", path, "application/json", body, strlen(body), &rs)
                == 0 && rs.status >= 200 && rs.status < 300) {
            snprintf(what, n, "%s created", kn);
            rc = 0;
        } else {
            kvf_response_why(&rs, why, sizeof why);
            snprintf(what, n, "%s: %s", kn, why);
        }
    } else {
        kvf_response_why(&rs, why, sizeof why);
        snprintf(what, n, "%s: %s", kn, why);
    }
    kvf_response_fini(&rs);
    free(body);
    return rc;
}

json_t *kvf_cluster_list(kvf_cluster *k, const char *resource, const char *ns,
                         const char *selector, long *status, char *why, size_t n)
{
    const kvf_resource *r = kvf_cluster_find(k, resource);
    char path[2048], esc[1024];
    json_t *list, *items;
    *status = 0;
    if (!r) {
        snprintf(why, n, "the server does not serve %s", resource);
        return NULL;
    }
    kvf_cluster_path(r, ns, NULL, path, sizeof path);
    if (selector && selector[0]) {
        url_escape(selector, esc, sizeof esc);
        strncat(path, "?labelSelector=", sizeof path - strlen(path) - 1);
        strncat(path, esc, sizeof path - strlen(path) - 1);
    }
    if (!(list = kvf_client_get_json(k->c, path, status, why, n)))
        return NULL;
    items = json_object_get(list, "items");
    if (!json_is_array(items)) {
        snprintf(why, n, "GET %s: the answer has no items", path);
        json_decref(list);
        return NULL;
    }
    json_incref(items);
    json_decref(list);
    return items;
}

json_t *kvf_cluster_get(kvf_cluster *k, const char *resource, const char *ns, const char *name,
                        long *status, char *why, size_t n)
{
    const kvf_resource *r = kvf_cluster_find(k, resource);
    char path[2048];
    *status = 0;
    if (!r) {
        snprintf(why, n, "the server does not serve %s", resource);
        return NULL;
    }
    kvf_cluster_path(r, ns, name, path, sizeof path);
    return kvf_client_get_json(k->c, path, status, why, n);
}

long kvf_cluster_delete(kvf_cluster *k, const char *resource, const char *ns, const char *name,
                        char *why, size_t n)
{
    const kvf_resource *r = kvf_cluster_find(k, resource);
    char path[2048];
    kvf_response rs;
    long status;
    if (!r) {
        snprintf(why, n, "the server does not serve %s", resource);
        return 0;
    }
    kvf_cluster_path(r, ns, name, path, sizeof path);
    kvf_client_request(k->c, "DELETE", path, NULL, NULL, 0, &rs);
    status = rs.status;
    if (status < 200 || status >= 300)
        kvf_response_why(&rs, why, n);
    kvf_response_fini(&rs);
    return status;
}
