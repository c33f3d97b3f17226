/* ks_manifest_autoscale.c -- autoscaling: the HorizontalPodAutoscaler, as
 * autoscaling/v2 writes it (and autoscaling/v1's
 * targetCPUUtilizationPercentage, read into the same spec).
 *
 * Defaults: pkg/apis/autoscaling/v2/defaults.go (SetDefaults_
 * HorizontalPodAutoscaler): minReplicas 1; no metrics: cpu at 80 % of the
 * requests (pkg/apis/autoscaling/types.go DefaultCPUUtilization); a
 * behavior fills the rules it leaves out with defaultHPAScaleUpRules
 * (window 0, select Max, 4 Pods and 100 Percent per 15 s) and
 * defaultHPAScaleDownRules (select Max, 100 Percent per 15 s, no window:
 * the controller's --horizontal-pod-autoscaler-downscale-stabilization).
 * Validation: pkg/apis/autoscaling/validation/validation.go: maxReplicas >=
 * 1 and >= minReplicas; minReplicas >= 1 (0 only with the alpha
 * HPAScaleToZero gate, which kubesim does not have); a Utilization target
 * is > 0; stabilizationWindowSeconds 0..3600; policy periods 1..1800 s
 * and values > 0; selectPolicy Max, Min or Disabled.
 * kubesim's HPA scales Deployments, ReplicaSets and StatefulSets on the
 * resource metrics (cpu, memory) of metrics.k8s.io; Pods, Object and
 * External metrics are read whole, but need a custom or external metrics
 * adapter a minikube does not have: the controller says so (ks_hpa.c).
 */
#include <string.h>

#include "internal/manifest.h"
#include "ks_validate.h"

#define MAX_WINDOW 3600               /* MaxStabilizationWindowSeconds */
#define MAX_PERIOD 1800               /* MaxPeriodSeconds */

static const ks_hpa_rules default_up = {
    KS_HPA_SELECT_MAX, 0, {{false, 4, 15}, {true, 100, 15}}, 2};
static const ks_hpa_rules default_down = {KS_HPA_SELECT_MAX, -1, {{true, 100, 15}}, 1};

static bool read_rules(ks_reader *r, const ks_yaml_node *beh, const char *key, ks_hpa_rules *out)
{
    const ks_yaml_node *m = ks_rd_map(r, beh, key, false), *pols;
    const char *sel = NULL;
    size_t saved, i;
    int64_t v;
    bool ok = true;
    if (!m)
        return true;
    saved = ks_rd_push(r, key);
    if (ks_yaml_get(m, "stabilizationWindowSeconds")) {
        if ((ok = ks_rd_int(r, m, "stabilizationWindowSeconds", true, 0, MAX_WINDOW, &v)))
            out->window = (int32_t)v;
    }
    if (ks_rd_str(r, m, "selectPolicy", false, &sel)) {
        if (strcmp(sel, "Max") == 0)
            out->select = KS_HPA_SELECT_MAX;
        else if (strcmp(sel, "Min") == 0)
            out->select = KS_HPA_SELECT_MIN;
        else if (strcmp(sel, "Disabled") == 0)
            out->select = KS_HPA_SELECT_DISABLED;
        else
            ok = ks_rd_fail(r, ks_yaml_get(m, "selectPolicy"), KS_EINVAL,
                            "%s: Unsupported value: \"%s\": supported values: \"Disabled\", "
                            "\"Max\", \"Min\"", ks_rd_field(r, "selectPolicy"), sel);
    }
    if ((pols = ks_rd_seq(r, m, "policies", false)) != NULL) {
        if (pols->n > KS_HPA_MAX_POLICIES)
            ok = ks_rd_fail(r, pols, KS_ELIMIT, "%s: kubesim reads at most %d policies",
                            ks_rd_field(r, "policies"), KS_HPA_MAX_POLICIES);
        out->npolicies = 0;
        for (i = 0; ok && i < pols->n; i++) {
            const ks_yaml_node *p = pols->items[i];
            ks_hpa_policy *pol = &out->policies[out->npolicies];
            const char *type = NULL;
            size_t s2 = ks_rd_push(r, "policies");
            ks_rd_push_index(r, i);
            if (p->kind != KS_YAML_MAP) {
                ok = ks_rd_fail(r, p, KS_ESCHEMA, "%s must be an object with type, value and "
                                "periodSeconds", ks_rd_field(r, ""));
            } else {
                if (ks_rd_str(r, p, "type", true, &type)) {
                    if (strcmp(type, "Pods") != 0 && strcmp(type, "Percent") != 0)
                        ok = ks_rd_fail(r, ks_yaml_get(p, "type"), KS_EINVAL,
                                        "%s: Unsupported value: \"%s\": supported values: "
                                        "\"Percent\", \"Pods\"", ks_rd_field(r, "type"), type);
                    pol->percent = strcmp(type, "Percent") == 0;
                } else {
                    ok = false;
                }
                if (ks_rd_int(r, p, "value", true, 1, INT32_MAX, &v))
                    pol->value = (int32_t)v;
                else
                    ok = false;
                if (ks_rd_int(r, p, "periodSeconds", true, 1, MAX_PERIOD, &v))
                    pol->period = (int32_t)v;
                else
                    ok = false;
                out->npolicies++;
            }
            ks_rd_pop(r, s2);
        }
        if (ok && out->npolicies == 0 && out->select != KS_HPA_SELECT_DISABLED)
            ok = ks_rd_fail(r, pols, KS_EINVAL, "%s: Required value: must specify at least one "
                            "Policy", ks_rd_field(r, "policies"));
    }
    ks_rd_pop(r, saved);
    return ok;
}

/* target.averageValue: a quantity (scale -3: millicores, 0: bytes) */
static bool read_value(ks_reader *r, const ks_yaml_node *target, int scale, int64_t *out)
{
    const ks_yaml_node *n = ks_yaml_get(target, "averageValue");
    const char *why;
    if (!n || n->kind != KS_YAML_SCALAR)
        return ks_rd_fail(r, n ? n : target, KS_ESCHEMA, "%s is required: a quantity like "
                          "500m or 100Mi", ks_rd_field(r, "averageValue"));
    if ((why = ks_quantity_parse(n->str, scale, out)) != NULL)
        return ks_rd_fail(r, n, KS_EINVAL, "%s '%s' is not a valid quantity: it %s",
                          ks_rd_field(r, "averageValue"), n->str, why);
    return true;
}

/* A Pods, Object or External metric's target: AverageValue (and, for
 * Object and External, Value), a quantity kept in milli-units as the
 * controller reads it (MilliValue). */
static bool read_custom_target(ks_reader *r, const ks_yaml_node *src, const char *source,
                               bool value_ok, ks_hpa_metric *out)
{
    const ks_yaml_node *target = ks_rd_map(r, src, "target", true), *n;
    const char *ttype = NULL, *key = "averageValue", *why;
    size_t saved;
    bool ok = true;
    if (!target)
        return false;
    saved = ks_rd_push(r, "target");
    if (!ks_rd_str(r, target, "type", true, &ttype)) {
        ks_rd_pop(r, saved);
        return false;
    }
    if (value_ok && strcmp(ttype, "Value") == 0) {
        key = "value";
        out->value = true;
    } else if (strcmp(ttype, "AverageValue") != 0) {
        ok = ks_rd_fail(r, ks_yaml_get(target, "type"), KS_EINVAL,
                        "%s: Invalid value: \"%s\": a %s metric's target is %s",
                        ks_rd_field(r, "type"), ttype, source,
                        value_ok ? "Value or AverageValue" : "AverageValue");
    }
    n = ks_yaml_get(target, key);
    if (ok && (!n || n->kind != KS_YAML_SCALAR))
        ok = ks_rd_fail(r, n ? n : target, KS_ESCHEMA, "%s is required: a quantity like 100 "
                        "or 500m", ks_rd_field(r, key));
    else if (ok && (why = ks_quantity_parse(n->str, -3, &out->average_value)) != NULL)
        ok = ks_rd_fail(r, n, KS_EINVAL, "%s '%s' is not a valid quantity: it %s",
                        ks_rd_field(r, key), n->str, why);
    else if (ok && out->average_value <= 0)
        ok = ks_rd_fail(r, n, KS_EINVAL, "%s: Invalid value: must be positive",
                        ks_rd_field(r, key));
    ks_rd_pop(r, saved);
    return ok;
}

/* metric: {name, selector}: the selector (matchLabels and matchExpressions,
 * as any label selector: ValidateLabelSelector) kept as the controller
 * prints it, metav1.LabelSelector's String() (apimachinery
 * pkg/apis/meta/v1/generated.pb.go: matchLabels with sorted keys, then
 * each requirement as LabelSelectorRequirement{Key:K,Operator:OP,Values:[a b],}) */
static bool read_identifier(ks_reader *r, const ks_yaml_node *src, ks_hpa_metric *out)
{
    static const char *const ops[] = {"In", "NotIn", "Exists", "DoesNotExist"};
    const ks_yaml_node *m = ks_rd_map(r, src, "metric", true);
    const ks_selector *sel = &out->metric_selector;
    const char *labels = "", *exprs = "";
    size_t saved, i, k;
    bool ok;
    if (!m)
        return false;
    saved = ks_rd_push(r, "metric");
    ok = ks_rd_str(r, m, "name", true, &out->resource);
    if (ok && ks_yaml_get(m, "selector") && !ks_yaml_is_null(ks_yaml_get(m, "selector"))) {
        const ks_kv *done[64];
        size_t nd = 0;
        ok = ksi_read_selector(r, m, "selector", false, &out->metric_selector);
        for (i = 0; ok && i < sel->match.n && i < 64; i++) {     /* in key order */
            const ks_kv *best = NULL;
            for (k = 0; k < sel->match.n; k++) {
                const ks_kv *kv = &sel->match.items[k];
                size_t d;
                for (d = 0; d < nd && done[d] != kv; d++)
                    ;
                if (d == nd && (!best || strcmp(kv->key, best->key) < 0))
                    best = kv;
            }
            done[nd++] = best;
            labels = ks_arena_printf(r->ar, "%s%s: %s,", labels, best->key,
                                     best->value ? best->value : "");
        }
        for (i = 0; ok && i < sel->nexprs; i++) {
            const ks_sel_req *q = &sel->exprs[i];
            const char *vals = "";
            for (k = 0; k < q->nvalues; k++)
                vals = ks_arena_printf(r->ar, "%s%s%s", vals, k ? " " : "", q->values[k]);
            exprs = ks_arena_printf(r->ar, "%sLabelSelectorRequirement{Key:%s,Operator:%s,"
                                    "Values:[%s],},", exprs, q->key, ops[q->op], vals);
        }
        if (ok)
            out->selector = ks_arena_printf(r->ar, "&LabelSelector{MatchLabels:map[string]"
                                            "string{%s},MatchExpressions:[]LabelSelector"
                                            "Requirement{%s},}", labels, exprs);
    }
    ks_rd_pop(r, saved);
    return ok;
}

/* type Pods, Object or External: read whole, so kubectl shows it and the
 * controller says why it cannot get it */
static bool read_custom(ks_reader *r, const ks_yaml_node *m, const char *type,
                        ks_hpa_metric *out)
{
    const char *key = strcmp(type, "Pods") == 0 ? "pods" : strcmp(type, "Object") == 0
                                                              ? "object" : "external";
    const ks_yaml_node *src = ks_rd_map(r, m, key, true), *obj;
    size_t saved;
    bool ok;
    if (!src)
        return false;
    out->source = key[0] == 'p' ? KS_HPA_PODS : key[0] == 'o' ? KS_HPA_OBJECT : KS_HPA_EXTERNAL;
    saved = ks_rd_push(r, key);
    ok = read_identifier(r, src, out);
    if (ok && out->source == KS_HPA_OBJECT) {
        if (!(obj = ks_rd_map(r, src, "describedObject", true)))
            ok = false;
        else {
            size_t s2 = ks_rd_push(r, "describedObject");
            ok = ks_rd_str(r, obj, "kind", true, &out->object_kind)
                 && ks_rd_str(r, obj, "name", true, &out->object_name);
            ks_rd_pop(r, s2);
        }
    }
    ok = ok && read_custom_target(r, src, type, out->source != KS_HPA_PODS, out);
    ks_rd_pop(r, saved);
    return ok;
}

/* One metrics[] item. */
static bool read_metric(ks_reader *r, const ks_yaml_node *m, ks_hpa_metric *out)
{
    const ks_yaml_node *res, *target;
    const char *type = NULL, *ttype = NULL, *key;
    int64_t v;
    bool ok = true;
    if (m->kind != KS_YAML_MAP)
        return ks_rd_fail(r, m, KS_ESCHEMA, "%s must be an object with type and resource",
                          ks_rd_field(r, ""));
    if (!ks_rd_str(r, m, "type", true, &type))
        return false;
    if (strcmp(type, "Pods") == 0 || strcmp(type, "Object") == 0
        || strcmp(type, "External") == 0)
        return read_custom(r, m, type, out);
    if (strcmp(type, "ContainerResource") == 0)
        out->source = KS_HPA_CONTAINER_RESOURCE;
    else if (strcmp(type, "Resource") != 0)
        return ks_rd_fail(r, ks_yaml_get(m, "type"), KS_EINVAL,
                          "%s: Unsupported value: \"%s\": supported values: \"ContainerResource\", "
                          "\"External\", \"Object\", \"Pods\", \"Resource\"",
                          ks_rd_field(r, "type"), type);
    key = out->source == KS_HPA_CONTAINER_RESOURCE ? "containerResource" : "resource";
    if (!(res = ks_rd_map(r, m, key, true)))
        return false;
    ks_rd_push(r, key);
    if (!ks_rd_str(r, res, "name", true, &out->resource))
        return false;
    /* validateContainerResourceSource: the container, a DNS-1123 label */
    if (out->source == KS_HPA_CONTAINER_RESOURCE) {
        const ks_yaml_node *cn = ks_yaml_get(res, "container");
        if (!cn || cn->kind != KS_YAML_SCALAR || !cn->str || !cn->str[0])
            return ks_rd_fail(r, cn ? cn : res, KS_EINVAL,
                              "%s: Required value: must specify a container",
                              ks_rd_field(r, "container"));
        if (!ks_rd_str(r, res, "container", true, &out->container))
            return false;
    }
    if (strcmp(out->resource, "cpu") != 0 && strcmp(out->resource, "memory") != 0)
        return ks_rd_fail(r, ks_yaml_get(res, "name"), KS_EINVAL,
                          "%s: Unsupported value: \"%s\": the resource metrics API serves "
                          "\"cpu\" and \"memory\"", ks_rd_field(r, "name"), out->resource);
    if (!(target = ks_rd_map(r, res, "target", true)))
        return false;
    ks_rd_push(r, "target");
    if (!ks_rd_str(r, target, "type", true, &ttype))
        return false;
    if (strcmp(ttype, "Utilization") == 0) {
        out->utilization = true;
        if (!ks_rd_int(r, target, "averageUtilization", true, 1, INT32_MAX, &v))
            return false;
        out->average_utilization = (int32_t)v;
    } else if (strcmp(ttype, "AverageValue") == 0) {
        ok = read_value(r, target, strcmp(out->resource, "cpu") == 0 ? -3 : 0,
                        &out->average_value);
        if (ok && out->average_value <= 0)
            ok = ks_rd_fail(r, ks_yaml_get(target, "averageValue"), KS_EINVAL,
                            "%s: Invalid value: must be positive",
                            ks_rd_field(r, "averageValue"));
    } else {
        ok = ks_rd_fail(r, ks_yaml_get(target, "type"), KS_EINVAL,
                        "%s: Invalid value: \"%s\": a %s metric's target is "
                        "Utilization or AverageValue", ks_rd_field(r, "type"), ttype, type);
    }
    return ok;
}

static bool read_target(ks_reader *r, const ks_yaml_node *spec, ks_hpa_spec *h)
{
    const ks_yaml_node *ref = ks_rd_map(r, spec, "scaleTargetRef", true);
    size_t saved;
    bool ok = true;
    if (!ref)
        return false;
    saved = ks_rd_push(r, "scaleTargetRef");
    ok &= ks_rd_str(r, ref, "kind", true, &h->target_kind);
    ok &= ks_rd_str(r, ref, "name", true, &h->target_name);
    ks_rd_str(r, ref, "apiVersion", false, &h->target_api);
    if (ok && strcmp(h->target_kind, "Deployment") != 0
        && strcmp(h->target_kind, "ReplicaSet") != 0 && strcmp(h->target_kind, "StatefulSet") != 0)
        ok = ks_rd_fail(r, ks_yaml_get(ref, "kind"), KS_EINVAL,
                        "%s: kubesim's HPA scales a Deployment, a ReplicaSet or a StatefulSet "
                        "(the kinds with a scale subresource it runs), not a %s",
                        ks_rd_field(r, "kind"), h->target_kind);
    ks_rd_pop(r, saved);
    return ok;
}

bool ksi_read_hpa(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true), *ms, *beh;
    ks_hpa_spec *h = &o->u.hpa;
    bool v1 = strcmp(o->api_version, "autoscaling/v1") == 0, ok = true;
    int64_t v;
    size_t saved, i;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    ok &= read_target(r, spec, h);
    h->min_replicas = 1;
    if (ks_yaml_get(spec, "minReplicas")) {
        if ((ok &= ks_rd_int(r, spec, "minReplicas", true, 1, INT32_MAX, &v)))
            h->min_replicas = (int32_t)v;
    }
    if (ks_rd_int(r, spec, "maxReplicas", true, 1, INT32_MAX, &v))
        h->max_replicas = (int32_t)v;
    else
        ok = false;
    if (ok && h->max_replicas < h->min_replicas)
        ok = ks_rd_fail(r, ks_yaml_get(spec, "maxReplicas"), KS_EINVAL,
                        "%s: Invalid value: %d: must be greater than or equal to "
                        "`minReplicas`", ks_rd_field(r, "maxReplicas"), (int)h->max_replicas);
    if (v1 && ks_yaml_get(spec, "targetCPUUtilizationPercentage")) {
        if ((ok &= ks_rd_int(r, spec, "targetCPUUtilizationPercentage", true, 1, INT32_MAX, &v)))
            h->metrics[h->nmetrics++] = (ks_hpa_metric){
                .resource = "cpu", .utilization = true, .average_utilization = (int32_t)v};
    } else if (!v1 && (ms = ks_rd_seq(r, spec, "metrics", false)) != NULL) {
        if (ms->n > KS_HPA_MAX_METRICS)
            return ks_rd_fail(r, ms, KS_ELIMIT, "%s: kubesim reads at most %d metrics",
                              ks_rd_field(r, "metrics"), KS_HPA_MAX_METRICS);
        for (i = 0; ok && i < ms->n; i++) {
            size_t s2 = ks_rd_push(r, "metrics");
            ks_rd_push_index(r, i);
            ok &= read_metric(r, ms->items[i], &h->metrics[h->nmetrics++]);
            ks_rd_pop(r, s2);
        }
    }
    if (h->nmetrics == 0)                     /* DefaultCPUUtilization */
        h->metrics[h->nmetrics++] = (ks_hpa_metric){.resource = "cpu", .utilization = true,
                                                    .average_utilization = 80};
    if (!v1 && (beh = ks_rd_map(r, spec, "behavior", false)) != NULL) {
        size_t s2 = ks_rd_push(r, "behavior");
        h->has_behavior = true;
        h->up = default_up;
        h->down = default_down;
        ok &= read_rules(r, beh, "scaleUp", &h->up);
        ok &= read_rules(r, beh, "scaleDown", &h->down);
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}
