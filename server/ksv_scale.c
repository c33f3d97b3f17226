/* ksv_scale.c -- the scale subresource (autoscaling/v1 Scale): read, and
 * written (PUT, merge or JSON patch) as a `kubectl scale` step (ksv_write.h). */
#include <stdio.h>
#include <string.h>

#include "ksv_body.h"
#include "ksv_write.h"

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
    json_object_set_new(spec, "replicas", json_integer(json_integer_value(ksv_wr_path_get(obj, rk))));
    json_object_set_new(s, "spec", spec);
    json_object_set_new(st, "replicas", json_integer(json_integer_value(ksv_wr_path_get(obj, sk))));
    selector[0] = '\0';
    sel = ksv_wr_path_get(obj, lk);
    json_object_foreach(sel, key, v) {
        if (len < sizeof selector)
            len += (size_t)snprintf(selector + len, sizeof selector - len, "%s%s=%s",
                                    len ? "," : "", key, json_string_value(v));
    }
    ksv_set_str(st, "selector", selector);
    json_object_set_new(s, "status", st);
    return s;
}

void ksv_scale(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *body,
               ksv_response *rs)
{
    json_t *old = ksv_wr_live(api, t), *cur, *new = NULL;
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
    if (!new || !json_is_integer(ksv_wr_path_get(new, rk)) || json_integer_value(ksv_wr_path_get(new, rk)) < 0) {
        ksv_fail(rs, 422, "Invalid", "Scale.autoscaling \"%s\" is invalid: spec.replicas: %s",
                 t->name, err[0] ? err : "Invalid value: must be greater than or equal to 0");
                 } else if (ksv_wr_dry_run(rq)) {
                 ksv_reply_json(rs, 200, json_incref(new));
                 } else {
                 ksv_wr_ns_flag(t, ns, sizeof ns);
                 snprintf(line, sizeof line, "kubectl scale %s/%s --replicas=%lld%s", t->r->singular,
                 t->name, (long long)json_integer_value(ksv_wr_path_get(new, rk)), ns);
                 if (ksv_wr_line(api, t->r, t->name, line, rs)) {
                 json_t *now;
                 ksv_api_sync(api);
                 now = ksv_wr_live(api, t);
                 ksv_reply_json(rs, 200, scale_of(now ? now : old, t));
                 json_decref(now);
                 }
                 }
                 json_decref(new);
                 json_decref(cur);
                 json_decref(old);
}
