/* ksv_write.c -- writes: create, update, patch (merge, strategic, JSON,
 * server-side apply), delete, deletecollection, and the scale and eviction
 * subresources. Every write becomes kubectl steps of the run (ksv_step.c),
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
#include "ksv_internal.h"

#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"
#define RESTARTED_AT "kubectl.kubernetes.io/restartedAt"

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
static json_t *live(ksv_api *api, const ksv_target *t)
{
    const ksv_entry *e = ksv_store_get(api->store, t->r, t->ns, t->name);
    return e ? json_loadb(e->json, e->len, 0, NULL) : NULL;
}

/* Replies with the object now in the store (code), or with fallback. */
static void reply_object(ksv_api *api, const ksv_resource *r, const char *ns, const char *name,
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

static bool is_dry_run(const ksv_request *rq)
{
    const char *v = ksv_param_get(rq, "dryRun");
    return v && strcmp(v, "All") == 0;
}

/* ---- checking a body against the request -------------------------------------------------- */
/* Fills apiVersion, kind and namespace when missing; false with a Status
   when the body names another kind, namespace or name. */
static bool check_body(const ksv_target *t, json_t *obj, const char *name, ksv_response *rs)
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
static void clean(json_t *obj)
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

/* ---- the steps ------------------------------------------------------------------------------ */
/* Runs the manifest obj as `kubectl VERB -f FILE`; false with a Status. */
static bool run_manifest(ksv_api *api, const ksv_resource *r, const char *verb, json_t *obj,
                         ksv_response *rs)
{
    const char *name = json_string_value(json_object_get(json_object_get(obj, "metadata"), "name"));
    char why[1024];
    if (ksv_step_manifest(api, verb, obj, why, sizeof why) != 0) {
        ksv_invalid(rs, r, name, NULL, why);
        return false;
    }
    return true;
}

/* Runs one kubectl line; false with a 422 Status (its output) in rs. */
static bool run_line(ksv_api *api, const ksv_resource *r, const char *name, const char *line,
                     ksv_response *rs)
{
    char why[1024];
    if (ksv_step_line(api, line, why, sizeof why) != 0) {
        ksv_invalid(rs, r, name, NULL, why);
        return false;
    }
    return true;
}

/* Whether s can go on a kubectl line as one word. */
static bool word_ok(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
              || strchr("-._/:@=+", *s)))
            return false;
    return true;
}

static void ns_flag(const ksv_target *t, char *buf, size_t n)
{
    if (t->r->namespaced && t->ns)
        snprintf(buf, n, " -n %s", t->ns);
    else
        buf[0] = '\0';
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
    if (!word_ok(cj) || strlen(cj) >= n)
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
    if (!check_body(t, obj, NULL, rs) || !ksv_fields_ok(rq, t->r, obj, rs))
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
    clean(obj);
    if (is_dry_run(rq)) {
        ksv_reply_json(rs, 201, json_incref(obj));
        return;
    }
    if (from && word_ok(name)) {
        char ns[300], line[900];
        ns_flag(t, ns, sizeof ns);
        snprintf(line, sizeof line, "kubectl create job %s --from=cronjob/%s%s", name, cj, ns);
        if (!run_line(api, t->r, name, line, rs))
            return;
    } else if (!run_manifest(api, t->r, "create", obj, rs)) {
        return;
    }
    reply_object(api, t->r, t->ns, name, 201, json_incref(obj), rs);
}

/* ---- update and patch: what changed, as kubectl steps ---------------------------------------------- */
static json_t *path_get(json_t *o, const char *const *keys)
{
    for (; *keys && o; keys++)
        o = json_object_get(o, *keys);
    return o;
}

/* The containers of a pod template (or of a pod). */
static json_t *containers(json_t *o, bool pod)
{
    static const char *const tpl[] = {"spec", "template", "spec", "containers", NULL};
    static const char *const pd[] = {"spec", "containers", NULL};
    return path_get(o, pod ? pd : tpl);
}

/* A copy of o without what the server keeps for itself, for comparing. */
static json_t *comparable(json_t *o)
{
    json_t *c = json_deep_copy(o), *meta;
    clean(c);
    meta = json_object_get(c, "metadata");
    json_object_del(meta, "ownerReferences");
    json_object_del(meta, "finalizers");
    return c;
}

typedef struct plan {
    char lines[8][1024];
    size_t n;
} plan;

static bool plan_add(plan *p, const char *fmt, const char *a, const char *b, const char *c)
{
    if (p->n == sizeof p->lines / sizeof p->lines[0])
        return false;
    snprintf(p->lines[p->n++], sizeof p->lines[0], fmt, a, b, c);
    return true;
}

/* The steps that turn old into new when only labels, replicas, images, the
   restart annotation or a node's unschedulable changed; false when
   something else changed (then the whole object is applied). */
static bool plan_changes(const ksv_target *t, json_t *old, json_t *new, plan *p)
{
    json_t *want = comparable(old), *got = comparable(new), *ol, *nl, *v;
    const char *key, *kind = t->r->singular;
    char ns[300], buf[900];
    bool deploy = strcmp(t->r->name, "deployments") == 0;
    bool scalable = deploy || strcmp(t->r->name, "replicasets") == 0
                    || strcmp(t->r->name, "statefulsets") == 0;
    bool ok = false;
    ns_flag(t, ns, sizeof ns);
    p->n = 0;
    /* labels (kubectl label: pods, nodes, deployments, replicasets) */
    ol = json_object_get(json_object_get(want, "metadata"), "labels");
    nl = json_object_get(json_object_get(got, "metadata"), "labels");
    if (!json_equal(ol, nl) && (nl || ol)) {
        size_t len = 0;
        buf[0] = '\0';
        json_object_foreach(nl, key, v) {
            const char *s = json_string_value(v);
            if (!json_equal(json_object_get(ol, key), v) && len < sizeof buf)
                len += (size_t)snprintf(buf + len, sizeof buf - len, " %s=%s", key, s ? s : "");
        }
        json_object_foreach(ol, key, v) {
            if (!json_object_get(nl, key) && len < sizeof buf)
                len += (size_t)snprintf(buf + len, sizeof buf - len, " %s-", key);
        }
        if (!(t->r->ks_kind == KS_KIND_POD || t->r->ks_kind == KS_KIND_NODE || scalable))
            goto out;
        if (!plan_add(p, "kubectl label --overwrite %s %s%s", kind, t->name, buf))
            goto out;
        strncat(p->lines[p->n - 1], ns, sizeof p->lines[0] - strlen(p->lines[p->n - 1]) - 1);
        json_object_set(json_object_get(want, "metadata"), "labels", nl ? nl : json_object());
        if (!nl)
            json_object_del(json_object_get(want, "metadata"), "labels");
    }
    /* a node's spec.unschedulable (cordon, uncordon, drain) */
    if (t->r->ks_kind == KS_KIND_NODE) {
        static const char *const uk[] = {"spec", "unschedulable", NULL};
        bool was = json_is_true(path_get(want, uk)), is = json_is_true(path_get(got, uk));
        json_t *spec = json_object_get(want, "spec");
        if (was != is && !plan_add(p, "kubectl %s %s", is ? "cordon" : "uncordon", t->name, ""))
            goto out;
        if (json_is_object(spec)) {
            if (is)
                json_object_set_new(spec, "unschedulable", json_true());
            else
                json_object_del(spec, "unschedulable");
        }
        if (!is)
            json_object_del(json_object_get(got, "spec"), "unschedulable");
    }
    /* replicas (kubectl scale) */
    if (scalable) {
        static const char *const rk[] = {"spec", "replicas", NULL};
        json_t *o = path_get(want, rk), *n = path_get(got, rk);
        if (json_is_integer(n) && !json_equal(o, n)) {
            char r[32];
            snprintf(r, sizeof r, "%lld", (long long)json_integer_value(n));
            if (!plan_add(p, "kubectl scale %s/%s --replicas=%s", kind, t->name, r))
                goto out;
            strncat(p->lines[p->n - 1], ns, sizeof p->lines[0] - strlen(p->lines[p->n - 1]) - 1);
            json_object_set(json_object_get(want, "spec"), "replicas", n);
        }
    }
    if (deploy) {
        /* images (kubectl set image) */
        json_t *oc = containers(want, false), *nc = containers(got, false), *c;
        static const char *const ak[] = {"spec", "template", "metadata", "annotations", NULL};
        json_t *oa, *na;
        size_t i, len = 0;
        buf[0] = '\0';
        json_array_foreach(nc, i, c) {
            json_t *before = json_array_get(oc, i);
            const char *img = json_string_value(json_object_get(c, "image"));
            if (!before || !json_equal(json_object_get(before, "name"), json_object_get(c, "name")))
                goto out;
            if (img && !json_equal(json_object_get(before, "image"), json_object_get(c, "image"))) {
                len += (size_t)snprintf(buf + len, sizeof buf - len, " %s=%s",
                                        json_string_value(json_object_get(c, "name")), img);
                json_object_set(before, "image", json_object_get(c, "image"));
            }
        }
        if (len && !plan_add(p, "kubectl set image deployment/%s%s%s", t->name, buf, ns))
            goto out;
        /* spec.template's restartedAt (kubectl rollout restart) */
        oa = path_get(want, ak);
        na = path_get(got, ak);
        if (!json_equal(json_object_get(oa, RESTARTED_AT), json_object_get(na, RESTARTED_AT))
            && json_object_get(na, RESTARTED_AT)) {
            if (!plan_add(p, "kubectl rollout restart deployment/%s%s", t->name, ns, ""))
                goto out;
            if (!oa) {
                json_t *tm = path_get(want, (const char *const[]){"spec", "template", "metadata",
                                                                  NULL});
                if (json_is_object(tm))
                    json_object_set_new(tm, "annotations", oa = json_object());
            }
            json_object_set(oa, RESTARTED_AT, json_object_get(na, RESTARTED_AT));
        }
    }
    ok = json_equal(want, got);
out:
    json_decref(want);
    json_decref(got);
    for (size_t i = 0; ok && i < p->n; i++)
        if (strlen(p->lines[i]) >= sizeof p->lines[0] - 1)
            ok = false;
    return ok;
}

/* Every word of every planned line can go on a kubectl line. */
static bool plan_words_ok(const plan *p)
{
    size_t i;
    for (i = 0; i < p->n; i++) {
        char copy[1024], *save = NULL, *w;
        snprintf(copy, sizeof copy, "%s", p->lines[i]);
        for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
            if (!word_ok(w))
                return false;
    }
    return true;
}

/* Makes the object old into new (both borrowed): steps when the change is
   one kubectl knows, else the whole object applied. Replies. */
static void change(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *old,
                   json_t *new, ksv_response *rs)
{
    plan p;
    json_t *ann = json_object_get(json_object_get(new, "metadata"), "annotations");
    const char *la = json_string_value(json_object_get(ann, LAST_APPLIED));
    const char *ola = json_string_value(
        json_object_get(json_object_get(json_object_get(old, "metadata"), "annotations"),
                        LAST_APPLIED));
    size_t i;
    if (!check_body(t, new, t->name, rs) || !ksv_fields_ok(rq, t->r, new, rs))
        return;
    if (is_dry_run(rq)) {
        ksv_reply_json(rs, 200, json_incref(new));
        return;
    }
    if (la && (!ola || strcmp(la, ola) != 0) && t->r->ks_kind != KS_KIND_NODE) {
        /* kubectl apply: the annotation holds the learner's manifest */
        json_t *m = json_loads(la, 0, NULL), *mm, *ma;
        if (m && check_body(t, m, t->name, rs) && ksv_fields_ok(rq, t->r, m, rs)) {
            mm = json_object_get(m, "metadata");
            ma = json_object_get(mm, "annotations");
            if (!json_is_object(ma))
                json_object_set_new(mm, "annotations", ma = json_object());
            json_object_set_new(ma, LAST_APPLIED, json_string(la));
            if (run_manifest(api, t->r, "apply", m, rs))
                reply_object(api, t->r, t->ns, t->name, 200, NULL, rs);
            json_decref(m);
            return;
        }
        json_decref(m);
        if (!m)
            ksv_invalid(rs, t->r, t->name, "metadata.annotations", "the last-applied "
                        "configuration is not JSON");
        return;
    }
    if (plan_changes(t, old, new, &p) && plan_words_ok(&p)) {
        for (i = 0; i < p.n; i++)
            if (!run_line(api, t->r, t->name, p.lines[i], rs))
                return;
        reply_object(api, t->r, t->ns, t->name, 200, NULL, rs);
        return;
    }
    if (t->r->ks_kind == KS_KIND_NODE) {
        ksv_invalid(rs, t->r, t->name, "spec", "kubesim changes a node's labels and "
                    "spec.unschedulable only (the cluster's nodes come from the scenario)");
        return;
    }
    {
        json_t *m = json_deep_copy(new);
        clean(m);
        if ((t->r->ks_kind != KS_KIND_JOB || ksv_job_update(api, t, old, m, rs))
            && run_manifest(api, t->r, "apply", m, rs))
            reply_object(api, t->r, t->ns, t->name, 200, NULL, rs);
        json_decref(m);
    }
}

static void conflict(ksv_response *rs, const ksv_resource *r, const char *name)
{
    char q[160], msg[700];
    ksv_qualified(r, q, sizeof q);
    snprintf(msg, sizeof msg, "Operation cannot be fulfilled on %s \"%s\": the object has been "
             "modified; please apply your changes to the latest version and try again", q, name);
    ksv_fail_details(rs, 409, "Conflict", msg, name, r->group, r->name, NULL);
}

static void update(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *obj,
                   ksv_response *rs)
{
    json_t *old = live(api, t);
    const char *rv = json_string_value(json_object_get(json_object_get(obj, "metadata"),
                                                       "resourceVersion"));
    const char *orv = json_string_value(json_object_get(json_object_get(old, "metadata"),
                                                        "resourceVersion"));
    if (!old)
        ksv_not_found(rs, t->r, t->name);
    else if (rv && rv[0] && orv && strcmp(rv, orv) != 0)
        conflict(rs, t->r, t->name);
    else
        change(api, rq, t, old, obj, rs);
    json_decref(old);
}

static void patch(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *body,
                  ksv_response *rs)
{
    const char *ct = rq->content_type ? rq->content_type : "";
    json_t *old = live(api, t), *new;
    char err[600];
    if (strncmp(ct, "application/apply-patch", 23) == 0) {
        /* server-side apply: the body is the whole intent */
        if (!check_body(t, body, t->name, rs) || !ksv_fields_ok(rq, t->r, body, rs))
            goto out;
        clean(body);
        if (is_dry_run(rq))
            ksv_reply_json(rs, old ? 200 : 201, json_incref(body));
        else if (run_manifest(api, t->r, "apply", body, rs))
            reply_object(api, t->r, t->ns, t->name, old ? 200 : 201, NULL, rs);
        goto out;
    }
    if (!old) {
        ksv_not_found(rs, t->r, t->name);
        goto out;
    }
    if (strncmp(ct, "application/merge-patch+json", 28) == 0)
        new = ksv_merge_patch(json_deep_copy(old), body);
    else if (strncmp(ct, "application/strategic-merge-patch+json", 38) == 0)
        new = ksv_strategic_patch(json_deep_copy(old), body);
    else if (strncmp(ct, "application/json-patch+json", 27) == 0)
        new = ksv_json_patch(json_deep_copy(old), body, err, sizeof err);
    else {
        ksv_fail(rs, 415, "UnsupportedMediaType", "the body of the request was in an unknown "
                 "format - accepted media types include: application/json-patch+json, "
                 "application/merge-patch+json, application/apply-patch+yaml, "
                 "application/strategic-merge-patch+json");
        goto out;
    }
    if (!new) {
        ksv_fail(rs, 422, "Invalid", "%s", err);
        goto out;
    }
    change(api, rq, t, old, new, rs);
    json_decref(new);
out:
    json_decref(old);
}

/* ---- delete ------------------------------------------------------------------------------------ */
/* gracePeriodSeconds and propagationPolicy, from the query or a
   DeleteOptions body; false with a Status. */
static bool delete_options(const ksv_request *rq, json_t *opts, char *flags, size_t n,
                           ksv_response *rs)
{
    const char *gp = ksv_param_get(rq, "gracePeriodSeconds");
    const char *pp = ksv_param_get(rq, "propagationPolicy");
    long long grace = -1;
    if (gp) {
        char *end;
        grace = strtoll(gp, &end, 10);
        if (*end || grace < 0) {
            ksv_fail(rs, 400, "BadRequest", "invalid gracePeriodSeconds: %s", gp);
            return false;
        }
    } else if (json_is_integer(json_object_get(opts, "gracePeriodSeconds"))) {
        grace = json_integer_value(json_object_get(opts, "gracePeriodSeconds"));
    }
    if (!pp)
        pp = json_string_value(json_object_get(opts, "propagationPolicy"));
    if (!pp && json_is_false(json_object_get(opts, "orphanDependents")))
        pp = "Background";
    if (pp && strcmp(pp, "Background") != 0 && strcmp(pp, "Foreground") != 0) {
        ksv_fail(rs, 422, "Invalid", "propagationPolicy %s: kubesim deletes dependents in the "
                 "background (Background and Foreground are served; Orphan is not simulated)",
                 pp);
        return false;
    }
    flags[0] = '\0';
    if (grace >= 0)
        snprintf(flags, n, " --grace-period=%lld%s", grace, grace == 0 ? " --force" : "");
    return true;
}

static void delete_one(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *opts,
                       bool eviction, ksv_response *rs)
{
    char flags[64], ns[300], line[1024];
    json_t *old = live(api, t);
    if (!old) {
        ksv_not_found(rs, t->r, t->name);
        return;
    }
    if (eviction)
        opts = json_object_get(opts, "deleteOptions");
    if (!delete_options(rq, opts, flags, sizeof flags, rs) || !word_ok(t->name))
        goto out;
    if (is_dry_run(rq)) {
        ksv_reply_json(rs, 200, json_incref(old));
        goto out;
    }
    ns_flag(t, ns, sizeof ns);
    snprintf(line, sizeof line, "kubectl delete %s %s%s%s", t->r->singular, t->name, ns,
             flags);
    if (!run_line(api, t->r, t->name, line, rs))
        goto out;
    if (eviction) {
        /* policy/v1 Eviction: 201 with a Status of success (registry/core/pod/storage/eviction.go) */
        json_t *st = json_object();
        ksv_set_str(st, "kind", "Status");
        ksv_set_str(st, "apiVersion", "v1");
        json_object_set_new(st, "metadata", json_object());
        ksv_set_str(st, "status", "Success");
        ksv_set_int(st, "code", 201);
        ksv_reply_json(rs, 201, st);
    } else {
        ksv_api_sync(api);
        if (ksv_store_get(api->store, t->r, t->ns, t->name))
            reply_object(api, t->r, t->ns, t->name, 200, NULL, rs);   /* terminating */
        else
            ksv_reply_json(rs, 200, json_incref(old));
    }
out:
    json_decref(old);
}

static void delete_collection(ksv_api *api, const ksv_request *rq, const ksv_target *t,
                              ksv_response *rs)
{
    const char *sel = ksv_param_get(rq, "labelSelector");
    char flags[64], ns[300], line[1200];
    if (ksv_param_get(rq, "fieldSelector")) {
        ksv_fail(rs, 400, "BadRequest", "kubesim deletes collections by label selector only");
        return;
    }
    if (!delete_options(rq, NULL, flags, sizeof flags, rs))
        return;
    if (sel && sel[0] && !word_ok(sel)) {
        ksv_fail(rs, 400, "BadRequest", "kubesim reads labelSelector=%s as one word only", sel);
        return;
    }
    ns_flag(t, ns, sizeof ns);
    snprintf(line, sizeof line, "kubectl delete %s %s%s%s%s", t->r->singular,
             sel && sel[0] ? "-l " : "--all", sel && sel[0] ? sel : "", ns, flags);
    if (!run_line(api, t->r, "", line, rs))
        return;
    ksv_api_sync(api);
    ksv_list(api, rq, t, rs);
}

/* ---- scale -------------------------------------------------------------------------------------- */
static json_t *scale_of(json_t *obj, const ksv_target *t)
{
    json_t *meta = json_object_get(obj, "metadata"), *s = json_object(), *m = json_object();
    json_t *spec = json_object(), *st = json_object(), *sel;
    static const char *const rk[] = {"spec", "replicas", NULL};
    static const char *const sk[] = {"status", "replicas", NULL};
    static const char *const lk[] = {"spec", "selector", "matchLabels", NULL};
    const char *key;
    json_t *v;
    char selector[600];
    size_t len = 0;
    ksv_set_str(s, "kind", "Scale");
    ksv_set_str(s, "apiVersion", "autoscaling/v1");
    ksv_set_str(m, "name", t->name);
    ksv_set_str(m, "namespace", t->ns);
    json_object_set(m, "uid", json_object_get(meta, "uid"));
    json_object_set(m, "resourceVersion", json_object_get(meta, "resourceVersion"));
    json_object_set(m, "creationTimestamp", json_object_get(meta, "creationTimestamp"));
    json_object_set_new(s, "metadata", m);
    json_object_set_new(spec, "replicas", json_integer(json_integer_value(path_get(obj, rk))));
    json_object_set_new(s, "spec", spec);
    json_object_set_new(st, "replicas", json_integer(json_integer_value(path_get(obj, sk))));
    selector[0] = '\0';
    sel = path_get(obj, lk);
    json_object_foreach(sel, key, v) {
        if (len < sizeof selector)
            len += (size_t)snprintf(selector + len, sizeof selector - len, "%s%s=%s",
                                    len ? "," : "", key, json_string_value(v));
    }
    ksv_set_str(st, "selector", selector);
    json_object_set_new(s, "status", st);
    return s;
}

static void scale(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *body,
                  ksv_response *rs)
{
    json_t *old = live(api, t), *cur, *new = NULL;
    const char *ct = rq->content_type ? rq->content_type : "";
    static const char *const rk[] = {"spec", "replicas", NULL};
    char err[600] = "", ns[300], line[600];
    if (!old) {
        ksv_not_found(rs, t->r, t->name);
        return;
    }
    cur = scale_of(old, t);
    if (strcmp(rq->method, "GET") == 0) {
        ksv_reply_json(rs, 200, cur);
        json_decref(old);
        return;
    }
    if (strcmp(rq->method, "PUT") == 0)
        new = json_incref(body);
    else if (strncmp(ct, "application/json-patch+json", 27) == 0)
        new = ksv_json_patch(json_deep_copy(cur), body, err, sizeof err);
    else
        new = ksv_merge_patch(json_deep_copy(cur), body);
    if (!new || !json_is_integer(path_get(new, rk)) || json_integer_value(path_get(new, rk)) < 0) {
        ksv_fail(rs, 422, "Invalid", "Scale.autoscaling \"%s\" is invalid: spec.replicas: %s",
                 t->name, err[0] ? err : "Invalid value: must be greater than or equal to 0");
    } else if (is_dry_run(rq)) {
        ksv_reply_json(rs, 200, json_incref(new));
    } else {
        ns_flag(t, ns, sizeof ns);
        snprintf(line, sizeof line, "kubectl scale %s/%s --replicas=%lld%s", t->r->singular,
                 t->name, (long long)json_integer_value(path_get(new, rk)), ns);
        if (run_line(api, t->r, t->name, line, rs)) {
            json_t *now;
            ksv_api_sync(api);
            now = live(api, t);
            ksv_reply_json(rs, 200, scale_of(now ? now : old, t));
            json_decref(now);
        }
    }
    json_decref(new);
    json_decref(cur);
    json_decref(old);
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
            scale(api, rq, t, body, rs);
        else if (strcmp(t->sub, "eviction") == 0 && strcmp(m, "POST") == 0
                 && t->r->ks_kind == KS_KIND_POD)
            delete_one(api, rq, t, body, true, rs);
        else if (strcmp(t->sub, "status") == 0)
            ksv_fail(rs, 405, "MethodNotAllowed", "the simulation owns the status of %s: "
                     "kubesim does not write it through the API", t->r->name);
        else
            ksv_fail(rs, 405, "MethodNotAllowed",
                     "the server does not allow this method on the requested resource");
    } else if (strcmp(m, "POST") == 0 && !t->name) {
        create(api, rq, t, body, rs);
    } else if (strcmp(m, "PUT") == 0 && t->name) {
        update(api, rq, t, body, rs);
    } else if (strcmp(m, "PATCH") == 0 && t->name) {
        patch(api, rq, t, body, rs);
    } else if (strcmp(m, "DELETE") == 0 && t->name) {
        delete_one(api, rq, t, body, false, rs);
    } else if (strcmp(m, "DELETE") == 0) {
        delete_collection(api, rq, t, rs);
    } else {
        ksv_fail(rs, 405, "MethodNotAllowed",
                 "the server does not allow this method on the requested resource");
    }
    json_decref(body);
}
