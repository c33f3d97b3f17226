/* ks_kubectl_hpa.c -- `kubectl autoscale` as
 * staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go makes an HPA:
 * an autoscaling/v2 HorizontalPodAutoscaler named as its target, --max
 * required, --min and --cpu-percent optional (without it the API server's
 * default, 80 %). `get hpa` is in ks_kubectl_print_work.c, `describe hpa`
 * in ks_kubectl_describe_work.c.
 */
#include <stdio.h>
#include <string.h>

#include "autoscale/ks_hpa.h"
#include "core/ks_error.h"
#include "internal/kubectl.h"

/* ---- kubectl autoscale (TYPE NAME | TYPE/NAME) --max=N [--min=N] [--cpu-percent=N] ---- */
static ks_object *new_hpa(ks_arena *ar, const char *ns, const char *kind, const char *name,
                          int32_t min, int32_t max, int32_t cpu)
{
    ks_object *o = ks_arena_alloc(ar, sizeof *o);
    ks_hpa_spec *h;
    if (!o || !(o->meta.name = ks_arena_strdup(ar, name))
        || !(o->meta.ns = ks_arena_strdup(ar, ns)))
        return NULL;
    o->kind = KS_KIND_HPA;
    o->api_version = "autoscaling/v2";
    o->mark = o->meta.mark = o->meta.name_mark = KS_MARK_NONE;
    h = &o->u.hpa;
    h->target_kind = kind;
    h->target_name = o->meta.name;
    h->target_api = "apps/v1";
    h->min_replicas = min;
    h->max_replicas = max;
    h->metrics[0] = (ks_hpa_metric){.resource = "cpu", .utilization = true,
                                    .average_utilization = cpu};
    h->nmetrics = 1;
    o->hash = 1469598103934665603ull ^ (uint64_t)(min * 31 + max * 1009 + cpu * 65537);
    return o;
}

int ksi_kc_autoscale(ksi_kc *k)
{
    const char *type = NULL, *name = NULL, *kind;
    int64_t min = ksi_kc_int(k, "min", -1), max = ksi_kc_int(k, "max", -1);
    int64_t cpu = ksi_kc_int(k, "cpu-percent", -1);
    ks_apply_result res;
    ks_error err;
    ks_arena *ar;
    ks_object *o;
    int rk;
    if (k->nargs == 1 && ksi_kc_split_slash(k, k->args[0], &type, &name))
        ;
    else if (k->nargs == 2) {
        type = k->args[0];
        name = k->args[1];
    } else
        return ksi_kc_usage_error(k, "You must provide the type and name of the resource to "
                                     "autoscale: kubectl autoscale deployment NAME --max=N");
    rk = ksi_kc_resource(type);
    if (rk != KS_KIND_DEPLOYMENT && rk != KS_KIND_REPLICASET && rk != KS_KIND_STATEFULSET)
        return ksi_kc_error(k, "cannot autoscale a %s: kubesim autoscales Deployments, "
                               "ReplicaSets and StatefulSets", type);
    if (max < 1)
        return ksi_kc_error(k, "--max=MAXPODS is required and must be at least 1");
    if (min > max)
        return ksi_kc_error(k, "--max=MAXPODS must be larger or equal to --min=MINPODS");
    if (ksi_kc_has(k, "min") && min < 1)
        return ksi_kc_error(k, "--min=MINPODS must be at least 1");
    if (ksi_kc_dry(k))
        return 0;
    if (!ksi_kc_find(k, rk, name))
        return ksi_kc_not_found(k, rk, name);
    if (ks_cluster_find(k->sim, KS_KIND_HPA, k->ns, name))
        return ksi_kc_error(k, "failed to create horizontalpodautoscaler: "
                               "horizontalpodautoscalers.autoscaling \"%s\" already exists", name);
    kind = rk == KS_KIND_DEPLOYMENT ? "Deployment"
           : rk == KS_KIND_REPLICASET ? "ReplicaSet" : "StatefulSet";
    if (!(ar = ksi_kc_object_arena(k)))
        return 1;
    /* no --cpu-percent: the API server's default target (80 %) */
    if (!(o = new_hpa(ar, k->ns, kind, name, (int32_t)(min < 1 ? 1 : min), (int32_t)max,
                      (int32_t)(cpu > 0 ? cpu : 80))))
        return ksi_kc_error(k, "out of memory");
    ks_error_clear(&err);
    if (ks_cluster_apply(k->sim, o, &res, &err) != KS_OK)
        return ksi_kc_error(k, "failed to create horizontalpodautoscaler: %s", err.msg);
    ksi_kc_line(k, "horizontalpodautoscaler.autoscaling/%s autoscaled", name);
    return 0;
}
