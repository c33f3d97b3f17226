/* ksv_write.c -- writes: create here, and the routing of every write to its
 * module (ksv_write.h): update and patch (ksv_update.c), delete,
 * deletecollection and eviction (ksv_delete.c), the scale subresource
 * (ksv_scale.c). Every write becomes kubectl steps of the run (ksv_step.c),
 * so it goes through the same paths as `kubesim shell`'s kubectl and a
 * recorded session replays it:
 *   a new object, or a whole manifest (apply)   kubectl create|apply -f FILE
 *   a label changed                              kubectl label KIND NAME k=v k2-
 *   replicas (scale, or a patch of spec.replicas) kubectl scale KIND/NAME --replicas=N
 *   a container's image (kubectl set image)      kubectl set image deployment/NAME c=img
 *   spec.template's restartedAt (rollout restart) kubectl rollout restart deployment/NAME
 *   a node's spec.unschedulable (cordon, drain)  kubectl cordon|uncordon NODE
 *   delete, an eviction (drain)                  kubectl delete KIND NAME [--grace-period=N]
 * Anything else a patch or update changes is applied as the whole object.
 * Errors are the API server's (apimachinery/pkg/api/errors/errors.go): 400
 * BadRequest, 404 NotFound, 409 AlreadyExists/Conflict, 422 Invalid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_body.h"
#include "ksv_write.h"
/* "Deployment.apps" as NewInvalid names a kind. */
static void group_kind(const ksv_resource *r, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s", r->kind, r->group[0] ? "." : "", r->group);
}

void ksv_invalid(ksv_response *rs, const ksv_resource *r, const char *name, const char *field,
                 const char *why)
{
    char gk[160], msg[1200], path[200];
    json_t *causes = NULL, *c;
    size_t n = strcspn(why, " :");
    group_kind(r, gk, sizeof gk);
    /* the loader's messages start with the field they are about: "spec.replicas must ..." */
    if (!field && n < sizeof path && memchr(why, '.', n) && why[n] == ' '
        && strspn(why, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.[]_-") == n) {
        snprintf(path, sizeof path, "%.*s", (int)n, why);
        field = path;
        why += n + 1;
    }
    if (field)
        snprintf(msg, sizeof msg, "%s \"%s\" is invalid: %s: %s", gk, name ? name : "", field, why);
    else
        snprintf(msg, sizeof msg, "%s \"%s\" is invalid: %s", gk, name ? name : "", why);
    if (field) {
        causes = json_array();
        c = json_object();
        ksv_set_str(c, "reason", "FieldValueInvalid");
        ksv_set_str(c, "message", why);
        ksv_set_str(c, "field", field);
        json_array_append_new(causes, c);
    }
    ksv_fail_details(rs, 422, "Invalid", msg, name, r->group, r->kind, causes);
}

/* The object's JSON from the store, as a new reference (NULL: not there). */
json_t *ksv_wr_live(ksv_api *api, const ksv_target *t)
{
    const ksv_entry *e = ksv_store_get(api->store, t->r, t->ns, t->name);
    return e ? json_loadb(e->json, e->len, 0, NULL) : NULL;
}

/* Replies with the object now in the store (code), or with fallback. */
void ksv_wr_reply(ksv_api *api, const ksv_resource *r, const char *ns, const char *name,
                  int code, json_t *fallback, ksv_response *rs)
{
    const ksv_entry *e;
    ksv_api_sync(api);
    e = ksv_store_get(api->store, r, ns, name);
    if (e) {
        json_decref(fallback);
        rs->status = code;
        rs->content_type = "application/json";
        ks_strbuf_clear(&rs->body);
        ks_strbuf_append(&rs->body, e->json, e->len);
    } else if (fallback) {
        ksv_reply_json(rs, code, fallback);
    } else {
        ksv_success(rs, r, name);
    }
}

bool ksv_wr_dry_run(const ksv_request *rq)
{
    const char *v = ksv_param_get(rq, "dryRun");
    return v && strcmp(v, "All") == 0;
}

/* ---- checking a body against the request -------------------------------------------------- */
/* Fills apiVersion, kind and namespace when missing; false with a Status
   when the body names another kind, namespace or name. */
bool ksv_wr_check_body(const ksv_target *t, json_t *obj, const char *name, ksv_response *rs)
{
    char gv[80];
    json_t *meta = json_object_get(obj, "metadata");
    const char *av = json_string_value(json_object_get(obj, "apiVersion"));
    const char *kind = json_string_value(json_object_get(obj, "kind"));
    const char *ns, *n;
    ksv_group_version(t->r, gv, sizeof gv);
    if (!json_is_object(obj)) {
        ksv_fail(rs, 400, "BadRequest", "the body of the request is not an object");
        return false;
    }
    if ((av && strcmp(av, gv) != 0) || (kind && strcmp(kind, t->r->kind) != 0)) {
        ksv_fail(rs, 400, "BadRequest", "the API version in the data (%s) does not match the "
                 "expected API version (%s)", av ? av : "", gv);
        return false;
    }
    if (!av)
        json_object_set_new(obj, "apiVersion", json_string(gv));
    if (!kind)
        json_object_set_new(obj, "kind", json_string(t->r->kind));
    if (!json_is_object(meta)) {
        if (meta) {
            ksv_fail(rs, 400, "BadRequest", "metadata must be an object");
            return false;
        }
        json_object_set_new(obj, "metadata", meta = json_object());
    }
    ns = json_string_value(json_object_get(meta, "namespace"));
    if (t->r->namespaced) {
        if (ns && t->ns && strcmp(ns, t->ns) != 0) {
            ksv_fail(rs, 400, "BadRequest", "the namespace of the provided object does not "
                     "match the namespace sent on the request");
            return false;
        }
        if (!ns && t->ns)
            json_object_set_new(meta, "namespace", json_string(t->ns));
    } else if (ns) {
        json_object_del(meta, "namespace");
    }
    n = json_string_value(json_object_get(meta, "name"));
    if (name && n && strcmp(name, n) != 0) {
        ksv_fail(rs, 400, "BadRequest", "the name of the object (%s) does not match the name on "
                 "the URL (%s)", n, name);
        return false;
    }
    if (name && !n)
        json_object_set_new(meta, "name", json_string(name));
    if (!json_string_value(json_object_get(meta, "name"))) {
        ksv_invalid(rs, t->r, "", "metadata.name",
                    "Required value: name or generateName is required");
                    return false;
                    }
                    return true;
}

/* What the API server adds and a manifest does not hold. */
void ksv_wr_clean(json_t *obj)
{
    static const char *const meta_keys[] = {"uid", "resourceVersion", "creationTimestamp",
        "generation", "managedFields", "selfLink", "deletionTimestamp",
        "deletionGracePeriodSeconds", NULL};
    json_t *meta = json_object_get(obj, "metadata"), *ann;
    size_t i;
    json_object_del(obj, "status");
    for (i = 0; meta_keys[i]; i++)
        json_object_del(meta, meta_keys[i]);
    ann = json_object_get(meta, "annotations");
    json_object_del(ann, "deployment.kubernetes.io/revision");
    if (json_is_object(ann) && json_object_size(ann) == 0)
        json_object_del(meta, "annotations");
}

/* An admission webhook's refusal or failure, as kubectl printed it
 * (ks_kubectl_apply.c: 'Error from server (REASON): error when creating
 * "FILE": MESSAGE'): the API server's Status for it in rs, true. A
 * webhook that denies is 400 with its words (apiserver
 * admission/plugin/webhook/errors ToStatusErr: a code under 400 becomes
 * 400); one that cannot be called, failurePolicy Fail, is 500
 * InternalError, "Internal error occurred: failed calling webhook ..."
 * (webhook/validating/dispatcher.go: apierrors.NewInternalError). */
static bool webhook_status(ksv_response *rs, const char *why)
{
    static const struct {
        const char *prefix, *reason;
        int code;
    } kinds[] = {{"Error from server (InternalError): error when ", "InternalError", 500},
                 {"Error from server (BadRequest): error when ", "BadRequest", 400}};
    const char *msg;
    size_t i;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(why, kinds[i].prefix, strlen(kinds[i].prefix)) == 0
            && (msg = strstr(why, "\": ")) != NULL
            && (strncmp(msg + 3, "Internal error occurred: ", 25) == 0
                || strncmp(msg + 3, "admission webhook ", 18) == 0)) {
            ksv_fail(rs, kinds[i].code, kinds[i].reason, "%s", msg + 3);
            return true;
        }
    return false;
}

/* ---- the steps ------------------------------------------------------------------------------ */
/* Runs the manifest obj as `kubectl VERB -f FILE`; false with a Status: 422,
 * or a webhook's (webhook_status). */
bool ksv_wr_manifest(ksv_api *api, const ksv_resource *r, const char *verb, json_t *obj,
                     ksv_response *rs)
{
    const char *name = json_string_value(json_object_get(json_object_get(obj, "metadata"), "name"));
    char why[1024];
    if (ksv_step_manifest(api, verb, obj, why, sizeof why) != 0) {
        if (!webhook_status(rs, why))
            ksv_invalid(rs, r, name, NULL, why);
        return false;
    }
    return true;
}

/* Runs one kubectl line; false with a Status (its output) in rs: 422, or a
 * webhook's (webhook_status). */
bool ksv_wr_line(ksv_api *api, const ksv_resource *r, const char *name, const char *line,
                 ksv_response *rs)
{
    char why[1024];
    if (ksv_step_line(api, line, why, sizeof why) != 0) {
        if (!webhook_status(rs, why))
            ksv_invalid(rs, r, name, NULL, why);
        return false;
    }
    return true;
}

/* Whether s can go on a kubectl line as one word. */
bool ksv_wr_word_ok(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
              || strchr("-._/:@=+", *s)))
            return false;
    return true;
}

void ksv_wr_ns_flag(const ksv_target *t, char *buf, size_t n)
{
    if (t->r->namespaced && t->ns)
        snprintf(buf, n, " -n %s", t->ns);
    else
        buf[0] = '\0';
}

/* o[keys[0]][keys[1]]..., or NULL. */
json_t *ksv_wr_path_get(json_t *o, const char *const *keys)
{
    for (; *keys && o; keys++)
        o = json_object_get(o, *keys);
    return o;
}

/* ---- create ----------------------------------------------------------------------------------- */
/* `kubectl create job NAME --from=cronjob/CJ` (create_job.go: annotation
   cronjob.kubernetes.io/instantiate=manual, the CronJob as controller) is
   that step in the simulation too: CJ in buf, or false. */
static bool str_is(json_t *v, const char *s)
{
    return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

static bool from_cronjob(const ksv_target *t, json_t *obj, char *buf, size_t n)
{
    json_t *meta = json_object_get(obj, "metadata"), *ref;
    const char *cj = NULL;
    size_t i;
    if (t->r->ks_kind != KS_KIND_JOB
        || !str_is(json_object_get(json_object_get(meta, "annotations"),
                                       "cronjob.kubernetes.io/instantiate"), "manual"))
        return false;
    json_array_foreach(json_object_get(meta, "ownerReferences"), i, ref)
        if (str_is(json_object_get(ref, "kind"), "CronJob")
            && json_is_true(json_object_get(ref, "controller")))
            cj = json_string_value(json_object_get(ref, "name"));
    if (!ksv_wr_word_ok(cj) || strlen(cj) >= n)
        return false;
    snprintf(buf, n, "%s", cj);
    return true;
}

static void create(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *obj,
                   ksv_response *rs)
{
    const char *name;
    char cj[300];
    bool from;
    if (json_is_object(obj))
        ksv_generate_name(api, t->r, t->ns, obj);
    if (!ksv_wr_check_body(t, obj, NULL, rs) || !ksv_fields_ok(rq, t->r, obj, rs))
        return;
    name = json_string_value(json_object_get(json_object_get(obj, "metadata"), "name"));
    if (ksv_store_get(api->store, t->r, t->ns, name)) {
        char q[160], msg[600];
        ksv_qualified(t->r, q, sizeof q);
        snprintf(msg, sizeof msg, "%s \"%s\" already exists", q, name);
        ksv_fail_details(rs, 409, "AlreadyExists", msg, name, t->r->group, t->r->name, NULL);
        return;
    }
    from = from_cronjob(t, obj, cj, sizeof cj);
    ksv_wr_clean(obj);
    if (ksv_wr_dry_run(rq)) {
        ksv_reply_json(rs, 201, json_incref(obj));
        return;
    }
    if (from && ksv_wr_word_ok(name)) {
        char ns[300], line[900];
        ksv_wr_ns_flag(t, ns, sizeof ns);
        snprintf(line, sizeof line, "kubectl create job %s --from=cronjob/%s%s", name, cj, ns);
        if (!ksv_wr_line(api, t->r, name, line, rs))
            return;
    } else if (!ksv_wr_manifest(api, t->r, "create", obj, rs)) {
        return;
    }
    ksv_wr_reply(api, t->r, t->ns, name, 201, json_incref(obj), rs);
}

/* ---- routing ------------------------------------------------------------------------------------ */
void ksv_write(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs)
{
    const char *m = rq->method;
    const char *ct = rq->content_type ? rq->content_type : "";
    bool yaml = strstr(ct, "yaml") != NULL;
    json_t *body = NULL;
    char err[600];
    bool needs_body = strcmp(m, "DELETE") != 0 && strcmp(m, "GET") != 0;
    if (!t->r->writable && !(t->r->ks_kind == KS_KIND_NODE && strcmp(m, "PATCH") == 0
                             && !t->sub)) {
        if (t->r->ks_kind < 0 && strcmp(t->r->name, "poddisruptionbudgets") == 0)
            ksv_fail(rs, 405, "MethodNotAllowed", "kubesim does not simulate "
                     "PodDisruptionBudgets: kubectl drain evicts pods without them");
        else
            ksv_fail(rs, 405, "MethodNotAllowed", "the simulation owns %s: kubesim does not "
                     "write them through the API", t->r->name);
        return;
    }
    if (rq->body_len || needs_body) {
        if (!(body = ksv_body_decode(rq->body, rq->body_len, yaml, err, sizeof err))) {
            ksv_fail(rs, 400, "BadRequest", "%s", err);
            return;
        }
    }
    if (t->sub) {
        if (strcmp(t->sub, "scale") == 0 && t->name && strstr(t->r->subresources, "scale"))
            ksv_scale(api, rq, t, body, rs);
        else if (strcmp(t->sub, "eviction") == 0 && strcmp(m, "POST") == 0
                 && t->r->ks_kind == KS_KIND_POD)
            ksv_delete_one(api, rq, t, body, true, rs);
        else if (strcmp(t->sub, "status") == 0)
            ksv_fail(rs, 405, "MethodNotAllowed", "the simulation owns the status of %s: "
                     "kubesim does not write it through the API", t->r->name);
        else
            ksv_fail(rs, 405, "MethodNotAllowed",
                     "the server does not allow this method on the requested resource");
                     } else if (strcmp(m, "POST") == 0 && !t->name) {
                     create(api, rq, t, body, rs);
                     } else if (strcmp(m, "PUT") == 0 && t->name) {
                     ksv_update(api, rq, t, body, rs);
                     } else if (strcmp(m, "PATCH") == 0 && t->name) {
                     ksv_patch(api, rq, t, body, rs);
                     } else if (strcmp(m, "DELETE") == 0 && t->name) {
                     ksv_delete_one(api, rq, t, body, false, rs);
                     } else if (strcmp(m, "DELETE") == 0) {
                     ksv_delete_collection(api, rq, t, rs);
                     } else {
                     ksv_fail(rs, 405, "MethodNotAllowed",
                     "the server does not allow this method on the requested resource");
                     }
                     json_decref(body);
}
