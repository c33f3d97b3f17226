/* ksv_delete.c -- delete, deletecollection and pods/eviction (kubectl drain)
 * as `kubectl delete` steps, with the grace period and propagation of the
 * request's DeleteOptions (ksv_write.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_write.h"

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

void ksv_delete_one(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *opts,
                    bool eviction, ksv_response *rs)
{
    char flags[64], ns[300], line[1024];
    json_t *old = ksv_wr_live(api, t);
    if (!old) {
        ksv_not_found(rs, t->r, t->name);
        return;
    }
    if (eviction)
        opts = json_object_get(opts, "deleteOptions");
    if (!delete_options(rq, opts, flags, sizeof flags, rs) || !ksv_wr_word_ok(t->name))
        goto out;
    if (ksv_wr_dry_run(rq)) {
        ksv_reply_json(rs, 200, json_incref(old));
        goto out;
    }
    ksv_wr_ns_flag(t, ns, sizeof ns);
    snprintf(line, sizeof line, "kubectl delete %s %s%s%s", t->r->singular, t->name, ns,
             flags);
             if (!ksv_wr_line(api, t->r, t->name, line, rs))
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
            ksv_wr_reply(api, t->r, t->ns, t->name, 200, NULL, rs);   /* terminating */
        else
            ksv_reply_json(rs, 200, json_incref(old));
    }
out:
    json_decref(old);
}

void ksv_delete_collection(ksv_api *api, const ksv_request *rq, const ksv_target *t,
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
    if (sel && sel[0] && !ksv_wr_word_ok(sel)) {
        ksv_fail(rs, 400, "BadRequest", "kubesim reads labelSelector=%s as one word only", sel);
        return;
    }
    ksv_wr_ns_flag(t, ns, sizeof ns);
    snprintf(line, sizeof line, "kubectl delete %s %s%s%s%s", t->r->singular,
             sel && sel[0] ? "-l " : "--all", sel && sel[0] ? sel : "", ns, flags);
             if (!ksv_wr_line(api, t->r, "", line, rs))
        return;
    ksv_api_sync(api);
    ksv_list(api, rq, t, rs);
}
