/* ksv_update.c -- update (PUT) and patch (merge, strategic, JSON, server-side
 * apply) of an object: what changed becomes the kubectl steps that make it
 * (labels, replicas, images, rollout restart, cordon), kubectl apply's
 * last-applied manifest is applied as written, anything else as the whole
 * object (ksv_write.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_body.h"
#include "ksv_write.h"

#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"
#define RESTARTED_AT "kubectl.kubernetes.io/restartedAt"

/* The containers of a pod template (or of a pod). */
static json_t *containers(json_t *o, bool pod)
{
    static const char *const tpl[] = {"spec", "template", "spec", "containers", NULL};
    static const char *const pd[] = {"spec", "containers", NULL};
    return ksv_wr_path_get(o, pod ? pd : tpl);
}

/* A copy of o without what the server keeps for itself, for comparing. */
static json_t *comparable(json_t *o)
{
    json_t *c = json_deep_copy(o), *meta;
    ksv_wr_clean(c);
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
    ksv_wr_ns_flag(t, ns, sizeof ns);
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
        bool was = json_is_true(ksv_wr_path_get(want, uk)), is = json_is_true(ksv_wr_path_get(got, uk));
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
        json_t *o = ksv_wr_path_get(want, rk), *n = ksv_wr_path_get(got, rk);
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
        oa = ksv_wr_path_get(want, ak);
        na = ksv_wr_path_get(got, ak);
        if (!json_equal(json_object_get(oa, RESTARTED_AT), json_object_get(na, RESTARTED_AT))
            && json_object_get(na, RESTARTED_AT)) {
            if (!plan_add(p, "kubectl rollout restart deployment/%s%s", t->name, ns, ""))
                goto out;
            if (!oa) {
                json_t *tm = ksv_wr_path_get(want, (const char *const[]){"spec", "template", "metadata",
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
            if (!ksv_wr_word_ok(w))
                return false;
    }
    return true;
}

/* A Pod's manifest m (borrowed) with the pod's spec as the simulation has it
   (without what the API server adds: nodeName, the default ServiceAccount and
   tolerations): its update, checked (ksv_pod_update), changes the metadata
   alone. */
static void pod_spec_as_is(ksv_api *api, const ksv_target *t, json_t *m)
{
    const ks_pod *p = ks_cluster_pod(api->sim, ks_cluster_find(api->sim, KS_KIND_POD, t->ns,
                                                                t->name));
    if (p && json_is_object(m))
        ksv_set(m, "spec", ksv_pod_spec(p->spec));
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
    bool changed;
    if (!ksv_wr_check_body(t, new, t->name, rs) || !ksv_fields_ok(rq, t->r, new, rs))
        return;
    if (t->r->ks_kind == KS_KIND_POD) {
        if (!ksv_pod_update(t, old, new, &changed, rs))
            return;
        if (changed) {
            ksv_fail(rs, 400, "BadRequest", "kubesim does not simulate changing a running pod's "
                     "images, activeDeadlineSeconds or tolerations in place (the API server "
                     "allows it): change the template of the pod's Deployment, or delete the "
                     "pod and create it again");
            return;
        }
        /* the spec stands as it is (its defaults and what kubesim adds):
           what is left to change is the metadata */
        json_object_set(new, "spec", json_object_get(old, "spec"));
    }
    if (ksv_wr_dry_run(rq)) {
        ksv_reply_json(rs, 200, json_incref(new));
        return;
    }
    if (la && (!ola || strcmp(la, ola) != 0) && t->r->ks_kind != KS_KIND_NODE) {
        /* kubectl apply: the annotation holds the learner's manifest */
        json_t *m = json_loads(la, 0, NULL), *mm, *ma;
        if (m && ksv_wr_check_body(t, m, t->name, rs) && ksv_fields_ok(rq, t->r, m, rs)) {
            mm = json_object_get(m, "metadata");
            ma = json_object_get(mm, "annotations");
            if (!json_is_object(ma))
                json_object_set_new(mm, "annotations", ma = json_object());
            json_object_set_new(ma, LAST_APPLIED, json_string(la));
            if (t->r->ks_kind == KS_KIND_POD)
                pod_spec_as_is(api, t, m);
            if (ksv_wr_manifest(api, t->r, "apply", m, rs))
                ksv_wr_reply(api, t->r, t->ns, t->name, 200, NULL, rs);
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
            if (!ksv_wr_line(api, t->r, t->name, p.lines[i], rs))
                return;
        ksv_wr_reply(api, t->r, t->ns, t->name, 200, NULL, rs);
        return;
    }
    if (t->r->ks_kind == KS_KIND_NODE) {
        ksv_invalid(rs, t->r, t->name, "spec", "kubesim changes a node's labels and "
                    "spec.unschedulable only (the cluster's nodes come from the scenario)");
        return;
    }
    {
        json_t *m = json_deep_copy(new);
        ksv_wr_clean(m);
        if (t->r->ks_kind == KS_KIND_POD)
            pod_spec_as_is(api, t, m);
        if ((t->r->ks_kind != KS_KIND_JOB || ksv_job_update(api, t, old, m, rs))
            && ksv_wr_manifest(api, t->r, "apply", m, rs))
            ksv_wr_reply(api, t->r, t->ns, t->name, 200, NULL, rs);
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

void ksv_update(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *obj,
                ksv_response *rs)
{
    json_t *old = ksv_wr_live(api, t);
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

void ksv_patch(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *body,
               ksv_response *rs)
{
    const char *ct = rq->content_type ? rq->content_type : "";
    json_t *old = ksv_wr_live(api, t), *new;
    char err[600];
    if (strncmp(ct, "application/apply-patch", 23) == 0) {
        /* server-side apply: the body is the whole intent */
        if (!ksv_wr_check_body(t, body, t->name, rs) || !ksv_fields_ok(rq, t->r, body, rs))
            goto out;
        ksv_wr_clean(body);
        if (ksv_wr_dry_run(rq))
            ksv_reply_json(rs, old ? 200 : 201, json_incref(body));
        else if (ksv_wr_manifest(api, t->r, "apply", body, rs))
            ksv_wr_reply(api, t->r, t->ns, t->name, old ? 200 : 201, NULL, rs);
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
