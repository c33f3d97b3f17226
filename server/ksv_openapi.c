/* ksv_openapi.c -- the OpenAPI documents kubectl reads before it writes.
 *
 * /openapi/v3 lists one document per group-version (kube-openapi
 * handler3: {"paths": {"apis/apps/v1": {"serverRelativeURL":
 * "/openapi/v3/apis/apps/v1?hash=..."}}}). Each document has the paths of
 * its resources, and the PATCH of each object carries the
 * x-kubernetes-group-version-kind extension and the path the
 * fieldValidation parameter: that is how kubectl (cli-runtime
 * resource/query_param_verifier_v3.go supportsQueryParamV3) learns that
 * the server validates fields itself, so it checks nothing on its side and
 * the simulation's loader says what is wrong. Schemas are kinds only
 * (type object, no properties): `kubectl explain` prints no fields.
 *
 * /openapi/v2 is served as protobuf (gnostic openapi_v2.Document), for
 * kubectl before 1.27 (Debian's 1.20): a document with no definitions, so
 * its client-side validation finds no schema and skips the object
 * (kubectl/pkg/util/openapi/validation: "resource is not present, let's
 * just skip validation"), and the server validates as above. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_internal.h"

#define KSV_K8S_VERSION "v1.30.0"

/* "api/v1" or "apis/apps/v1" */
static void gv_path(const ksv_resource *r, char *buf, size_t n)
{
    if (r->group[0])
        snprintf(buf, n, "apis/%s/%s", r->group, r->version);
    else
        snprintf(buf, n, "api/%s", r->version);
}

static json_t *gvk(const ksv_resource *r)
{
    json_t *o = json_object();
    ksv_set_str(o, "group", r->group);
    ksv_set_str(o, "version", r->version);
    ksv_set_str(o, "kind", r->kind);
    return o;
}

static json_t *param(const char *name, const char *in, bool required)
{
    json_t *p = json_object(), *schema = json_object();
    ksv_set_str(p, "name", name);
    ksv_set_str(p, "in", in);
    if (required)
        ksv_set_bool(p, "required", true);
    ksv_set_str(schema, "type", "string");
    json_object_set_new(p, "schema", schema);
    return p;
}

static json_t *operation(const ksv_resource *r, const char *id)
{
    json_t *op = json_object(), *responses = json_object(), *ok = json_object();
    ksv_set_str(op, "operationId", id);
    ksv_set_str(ok, "description", "OK");
    json_object_set_new(responses, "200", ok);
    json_object_set_new(op, "responses", responses);
    json_object_set_new(op, "x-kubernetes-group-version-kind", gvk(r));
    return op;
}

/* The schema name kube-openapi gives a kind: io.k8s.api.apps.v1.Deployment. */
static void schema_name(const ksv_resource *r, char *buf, size_t n)
{
    char group[64];
    const char *dot = strchr(r->group, '.');
    snprintf(group, sizeof group, "%.*s", dot ? (int)(dot - r->group) : (int)strlen(r->group),
             r->group[0] ? r->group : "core");
    snprintf(buf, n, "io.k8s.api.%s.%s.%s", group, r->version, r->kind);
}

static json_t *document(const char *want)
{
    json_t *doc = json_object(), *info = json_object(), *paths = json_object();
    json_t *components = json_object(), *schemas = json_object();
    size_t i;
    ksv_set_str(doc, "openapi", "3.0.0");
    ksv_set_str(info, "title", "Kubernetes (kubesim)");
    ksv_set_str(info, "version", KSV_K8S_VERSION);
    json_object_set_new(doc, "info", info);
    for (i = 0; i < ksv_nresources; i++) {
        const ksv_resource *r = &ksv_resources[i];
        char gp[120], coll[300], item[320], sname[200];
        json_t *cp, *ip, *params, *sch, *kinds;
        gv_path(r, gp, sizeof gp);
        if (strcmp(gp, want) != 0)
            continue;
        if (r->namespaced)
            snprintf(coll, sizeof coll, "/%s/namespaces/{namespace}/%s", gp, r->name);
        else
            snprintf(coll, sizeof coll, "/%s/%s", gp, r->name);
        snprintf(item, sizeof item, "%s/{name}", coll);
        cp = json_object();
        json_object_set_new(cp, "get", operation(r, "list"));
        ip = json_object();
        json_object_set_new(ip, "get", operation(r, "read"));
        if (r->writable || r->ks_kind == KS_KIND_NODE)
            json_object_set_new(ip, "patch", operation(r, "patch"));
        if (r->writable) {
            json_object_set_new(cp, "post", operation(r, "create"));
            json_object_set_new(ip, "put", operation(r, "replace"));
            json_object_set_new(ip, "delete", operation(r, "delete"));
        }
        params = json_array();
        json_array_append_new(params, param("name", "path", true));
        if (r->namespaced)
            json_array_append_new(params, param("namespace", "path", true));
        json_array_append_new(params, param("fieldValidation", "query", false));
        json_array_append_new(params, param("dryRun", "query", false));
        json_array_append_new(params, param("fieldManager", "query", false));
        json_object_set_new(ip, "parameters", params);
        json_object_set_new(paths, coll, cp);
        json_object_set_new(paths, item, ip);
        schema_name(r, sname, sizeof sname);
        sch = json_object();
        ksv_set_str(sch, "type", "object");
        kinds = json_array();
        json_array_append_new(kinds, gvk(r));
        json_object_set_new(sch, "x-kubernetes-group-version-kind", kinds);
        json_object_set_new(schemas, sname, sch);
    }
    json_object_set_new(doc, "paths", paths);
    json_object_set_new(components, "schemas", schemas);
    json_object_set_new(doc, "components", components);
    return doc;
}

static uint64_t doc_hash(const char *gp)
{
    json_t *d = document(gp);
    char *s = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    uint64_t h = ksv_hash(s ? s : "", KSV_HASH_SEED);
    free(s);
    json_decref(d);
    return h;
}

static void index_v3(ksv_response *rs)
{
    json_t *root = json_object(), *paths = json_object();
    size_t i;
    for (i = 0; i < ksv_nresources; i++) {
        char gp[120], url[200];
        json_t *e;
        gv_path(&ksv_resources[i], gp, sizeof gp);
        if (json_object_get(paths, gp))
            continue;
        snprintf(url, sizeof url, "/openapi/v3/%s?hash=%016llX", gp,
                 (unsigned long long)doc_hash(gp));
        e = json_object();
        ksv_set_str(e, "serverRelativeURL", url);
        json_object_set_new(paths, gp, e);
    }
    json_object_set_new(root, "paths", paths);
    ksv_reply_json(rs, 200, root);
}

/* protobuf: a length-delimited field (wire type 2) */
static void pb_bytes(ks_strbuf *b, unsigned field, const char *s, size_t len)
{
    unsigned char v[12];
    size_t n = 0, len0 = len;
    ks_strbuf_putc(b, (char)(field << 3 | 2));
    do {
        v[n++] = (unsigned char)((len & 0x7f) | (len > 0x7f ? 0x80 : 0));
        len >>= 7;
    } while (len);
    ks_strbuf_append(b, (const char *)v, n);
    ks_strbuf_append(b, s, len0);
}

static void v2_protobuf(ksv_response *rs)
{
    ks_strbuf info;
    const char title[] = "Kubernetes (kubesim)", version[] = KSV_K8S_VERSION;
    ks_strbuf_init(&info, NULL);
    /* Info: title = 1, version = 2 (gnostic openapiv2/OpenAPIv2.proto; its
       OpenAPI v3 Info has version = 6) */
    pb_bytes(&info, 1, title, sizeof title - 1);
    pb_bytes(&info, 2, version, sizeof version - 1);
    /* Document: swagger = 1, info = 2 */
    rs->status = 200;
    rs->content_type = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    ks_strbuf_clear(&rs->body);
    pb_bytes(&rs->body, 1, "2.0", 3);
    pb_bytes(&rs->body, 2, info.buf ? info.buf : "", info.len);
    ks_strbuf_fini(&info);
}

static void v2_json(ksv_response *rs)
{
    json_t *doc = json_object(), *info = json_object();
    ksv_set_str(doc, "swagger", "2.0");
    ksv_set_str(info, "title", "Kubernetes (kubesim)");
    ksv_set_str(info, "version", KSV_K8S_VERSION);
    json_object_set_new(doc, "info", info);
    json_object_set_new(doc, "paths", json_object());
    json_object_set_new(doc, "definitions", json_object());
    ksv_reply_json(rs, 200, doc);
}

void ksv_openapi(const ksv_request *rq, ksv_response *rs, const char *const *seg, size_t n)
{
    char gp[200];
    if (n == 2 && strcmp(seg[1], "v2") == 0) {
        if (rq->accept && strstr(rq->accept, "protobuf"))
            v2_protobuf(rs);
        else
            v2_json(rs);
        return;
    }
    if (n == 2 && strcmp(seg[1], "v3") == 0) {
        index_v3(rs);
        return;
    }
    if (n >= 4 && n <= 5 && strcmp(seg[1], "v3") == 0) {
        size_t i;
        json_t *doc;
        gp[0] = '\0';
        for (i = 2; i < n; i++)
            snprintf(gp + strlen(gp), sizeof gp - strlen(gp), "%s%s", i > 2 ? "/" : "", seg[i]);
        doc = document(gp);
        if (json_object_size(json_object_get(doc, "paths"))) {
            ksv_reply_json(rs, 200, doc);
            return;
        }
        json_decref(doc);
    }
    ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
}
