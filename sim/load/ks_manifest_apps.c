/* ks_manifest_apps.c -- apps/v1 workloads kept as their manifest:
 * StatefulSet and DaemonSet, with the API server's defaults and validation
 * rules.
 *
 * Defaults: pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet):
 * replicas 1, podManagementPolicy OrderedReady, updateStrategy
 * RollingUpdate with partition 0, revisionHistoryLimit 10, and
 * persistentVolumeClaimRetentionPolicy Retain / Retain. Validation:
 * pkg/apis/apps/validation/validation.go (ValidateStatefulSetSpec): the
 * policy and strategy words, partition >= 0, the selector matching the
 * template's labels, restartPolicy Always; the template's volumeMounts may
 * name a volumeClaimTemplate (the controller adds the claim as a volume of
 * that name to each pod: stateful_set_utils.go updateStorage).
 */
#include <string.h>

#include "internal/manifest.h"
#include "ks_validate.h"

/* volumeClaimTemplates: each an object with metadata and a claim spec. */
static bool read_claims(ks_reader *r, const ks_yaml_node *spec, ks_statefulset_spec *s)
{
    const ks_yaml_node *seq = ks_rd_seq(r, spec, "volumeClaimTemplates", false);
    size_t saved, i, j;
    bool ok = true;
    if (!seq || !seq->n)
        return true;
    saved = ks_rd_push(r, "volumeClaimTemplates");
    s->claims = ksi_alloc_items(r, seq, seq->n, sizeof *s->claims);
    if (!s->claims)
        return false;
    for (i = 0; i < seq->n; i++) {
        const ks_yaml_node *item = seq->items[i], *meta;
        ks_object *c = ksi_alloc_items(r, item, 1, sizeof *c);
        size_t s2 = ks_rd_push_index(r, i);
        if (!c)
            return false;
        c->kind = KS_KIND_PVC;
        c->api_version = "v1";
        c->mark = c->meta.mark = item->mark;
        c->hash = ks_yaml_hash(item);
        if (item->kind != KS_YAML_MAP || !(meta = ks_rd_map(r, item, "metadata", true))) {
            ok = item->kind == KS_YAML_MAP ? false
                 : ks_rd_fail(r, item, KS_ESCHEMA, "%s must be an object with metadata "
                              "and spec", ks_rd_field(r, ""));
            ks_rd_pop(r, s2);
            continue;
        }
        {
            size_t s3 = ks_rd_push(r, "metadata");
            if (ks_rd_str(r, meta, "name", true, &c->meta.name)) {
                c->meta.name_mark = ks_yaml_get(meta, "name")->mark;
                ok &= ksi_check_name(r, meta, "name", ks_check_dns_label, c->meta.name);
            } else {
                ok = false;
            }
            ok &= ksi_read_kvs(r, meta, "labels", KSI_KV_LABELS, &c->meta.labels);
            ok &= ksi_read_kvs(r, meta, "annotations", KSI_KV_ANNOTATIONS, &c->meta.annotations);
            ks_rd_pop(r, s3);
        }
        ok &= ksi_read_pvc(r, item, c);
        for (j = 0; c->meta.name && j < s->nclaims; j++)
            if (strcmp(s->claims[j]->meta.name, c->meta.name) == 0)
                ok = ks_rd_fail(r, ks_yaml_get(meta, "name"), KS_EINVAL,
                                "%s: Duplicate value: \"%s\"", ks_rd_field(r, "metadata.name"),
                                c->meta.name);
        s->claims[s->nclaims++] = c;
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

/* The claims become volumes of the template (replacing one of the same
 * name, as updateStorage does), then the mounts are checked. */
static bool claims_as_volumes(ks_reader *r, ks_statefulset_spec *s)
{
    ks_pod_spec *ps = &s->tmpl.spec;
    ks_volume *v;
    size_t i, j, n = ps->nvolumes;
    if (s->nclaims) {
        v = ksi_alloc_items(r, NULL, ps->nvolumes + s->nclaims, sizeof *v);
        if (!v)
            return false;
        if (ps->nvolumes)
            memcpy(v, ps->volumes, ps->nvolumes * sizeof *v);
        for (i = 0; i < s->nclaims; i++) {
            const ks_object *c = s->claims[i];
            for (j = 0; j < n && strcmp(v[j].name, c->meta.name) != 0; j++) {
            }
            if (j == n)
                n++;
            v[j] = (ks_volume){.name = c->meta.name, .type = KS_VOL_PVC, .mark = c->mark};
        }
        ps->volumes = v;
        ps->nvolumes = n;
    }
    return ksi_check_mounts(r, ps);
}

/* One of words, or an error naming them (Unsupported value). */
static bool read_word(ks_reader *r, const ks_yaml_node *map, const char *key,
                      const char *const *words, int *out)
{
    const char *w;
    int i;
    if (!ks_yaml_get(map, key))
        return true;
    if (!ks_rd_str(r, map, key, false, &w))
        return false;
    for (i = 0; words[i]; i++)
        if (strcmp(w, words[i]) == 0) {
            *out = i;
            return true;
        }
    return ks_rd_fail(r, ks_yaml_get(map, key), KS_EINVAL,
                      "%s: Unsupported value: \"%s\": supported values: \"%s\", \"%s\"",
                      ks_rd_field(r, key), w, words[0], words[1]);
}

static bool read_strategy(ks_reader *r, const ks_yaml_node *spec, ks_statefulset_spec *s)
{
    static const char *const types[] = {"RollingUpdate", "OnDelete", NULL};
    const ks_yaml_node *st = ks_rd_map(r, spec, "updateStrategy", false), *ru;
    size_t saved;
    int type = 0;
    bool ok = true;
    if (!st)
        return true;
    saved = ks_rd_push(r, "updateStrategy");
    ok &= read_word(r, st, "type", types, &type);
    s->on_delete = type == 1;
    if ((ru = ks_rd_map(r, st, "rollingUpdate", false)) != NULL) {
        size_t s2 = ks_rd_push(r, "rollingUpdate");
        if (s->on_delete)
            ok = ks_rd_fail(r, ru, KS_EINVAL, "%s: Invalid value: only allowed for "
                            "updateStrategy 'RollingUpdate'", ks_rd_field(r, ""));
        if (ks_yaml_get(ru, "partition"))
            ok &= ks_rd_int(r, ru, "partition", false, 0, KS_MANIFEST_MAX_REPLICAS,
                            &s->partition);
        if (ks_yaml_get(ru, "maxUnavailable"))
            ks_diag_warn(r->d, ks_yaml_get(ru, "maxUnavailable")->mark,
                         "%s is alpha (feature gate MaxUnavailableStatefulSet, off by "
                         "default); kubesim updates one pod at a time, as a default cluster "
                         "does", ks_rd_field(r, "maxUnavailable"));
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_retention(ks_reader *r, const ks_yaml_node *spec, ks_statefulset_spec *s)
{
    static const char *const words[] = {"Retain", "Delete", NULL};
    const ks_yaml_node *p = ks_rd_map(r, spec, "persistentVolumeClaimRetentionPolicy", false);
    size_t saved;
    int deleted = 0, scaled = 0;
    bool ok = true;
    if (!p)
        return true;
    saved = ks_rd_push(r, "persistentVolumeClaimRetentionPolicy");
    ok &= read_word(r, p, "whenDeleted", words, &deleted);
    ok &= read_word(r, p, "whenScaled", words, &scaled);
    s->delete_when_deleted = deleted == 1;
    s->delete_when_scaled = scaled == 1;
    ks_rd_pop(r, saved);
    return ok;
}

bool ksi_read_statefulset(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    static const char *const policies[] = {"OrderedReady", "Parallel", NULL};
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true);
    ks_statefulset_spec *s = &o->u.sts;
    size_t saved;
    int policy = 0, errors;
    bool ok = true, tmpl_ok;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    s->revision_history_limit = 10;
    s->replicas = 1;
    if (ks_yaml_get(spec, "replicas"))
        ok &= ks_rd_int(r, spec, "replicas", false, 0, KS_MANIFEST_MAX_REPLICAS, &s->replicas);
    if (!ks_yaml_get(spec, "selector"))
        ok = ks_rd_fail(r, spec, KS_ESCHEMA,
                        "%s is required in apps/v1: add selector.matchLabels matching "
                        "template.metadata.labels", ks_rd_field(r, "selector"));
    else
        ok &= ksi_read_selector(r, spec, "selector", true, &s->selector);
    errors = r->d->errors;
    ksi_read_template(r, spec, &s->tmpl, KSI_RESTART_STATEFUL);
    tmpl_ok = r->d->errors == errors;
    if (tmpl_ok && !s->tmpl.labels.n)
        tmpl_ok = ks_rd_fail(r, ks_yaml_get(spec, "template"), KS_EINVAL,
                             "%s must have labels for the selector to match",
                             ks_rd_field(r, "template.metadata"));
    else if (ok && tmpl_ok && !ks_selector_matches(&s->selector, &s->tmpl.labels))
        ok = ks_rd_fail(r, ks_yaml_get(spec, "selector"), KS_EINVAL,
                        "%s: Invalid value: `selector` does not match template `labels`; "
                        "make selector.matchLabels equal to template.metadata.labels",
                        ks_rd_field(r, "template.metadata.labels"));
    if (ks_rd_str(r, spec, "serviceName", false, &s->service_name) && *s->service_name)
        ok &= ksi_check_name(r, spec, "serviceName", ks_check_dns_label, s->service_name);
    ok &= read_word(r, spec, "podManagementPolicy", policies, &policy);
    s->parallel = policy == 1;
    ok &= read_strategy(r, spec, s);
    ok &= read_retention(r, spec, s);
    if (ks_yaml_get(spec, "minReadySeconds"))
        ok &= ks_rd_int(r, spec, "minReadySeconds", false, 0, 86400, &s->min_ready_seconds);
    if (ks_yaml_get(spec, "revisionHistoryLimit"))
        ok &= ks_rd_int(r, spec, "revisionHistoryLimit", false, 0, 1000,
                        &s->revision_history_limit);
    if (ks_yaml_get(spec, "ordinals"))
        ok = ks_rd_fail(r, ks_yaml_get(spec, "ordinals"), KS_EINVAL,
                        "%s is not simulated by kubesim; its StatefulSets count from 0",
                        ks_rd_field(r, "ordinals"));
    ok &= read_claims(r, spec, s);
    if (tmpl_ok)
        ok &= claims_as_volumes(r, s);
    ks_rd_pop(r, saved);
    return ok && tmpl_ok;
}

/* DaemonSet: SetDefaults_DaemonSet (maxUnavailable 1, maxSurge 0);
 * ValidateDaemonSetSpec (selector, template, Always, the strategy words,
 * maxUnavailable > 0 when maxSurge is 0). */
bool ksi_read_daemonset(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    static const char *const types[] = {"RollingUpdate", "OnDelete", NULL};
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true), *st, *ru;
    ks_daemonset_spec *s = &o->u.ds;
    size_t saved;
    int type = 0;
    bool ok;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    s->max_unavailable = (ks_intstr){true, false, false, 1, NULL};
    s->revision_history_limit = 10;
    ok = ksi_read_workload(r, spec, NULL, &s->selector, &s->tmpl);
    if ((st = ks_rd_map(r, spec, "updateStrategy", false)) != NULL) {
        size_t s2 = ks_rd_push(r, "updateStrategy");
        ok &= read_word(r, st, "type", types, &type);
        s->on_delete = type == 1;
        if ((ru = ks_rd_map(r, st, "rollingUpdate", false)) != NULL) {
            size_t s3 = ks_rd_push(r, "rollingUpdate");
            ks_intstr v;
            ok &= ksi_read_intstr(r, ru, "maxUnavailable", &v);
            if (v.set)
                s->max_unavailable = v;
            if (v.set && v.is_str && !v.percent)
                ok = ks_rd_fail(r, ks_yaml_get(ru, "maxUnavailable"), KS_EINVAL,
                                "%s: Invalid value: \"%s\": a number or a percentage like "
                                "10%%", ks_rd_field(r, "maxUnavailable"), v.str);
            else if (v.set && v.num == 0)
                ok = ks_rd_fail(r, ks_yaml_get(ru, "maxUnavailable"), KS_EINVAL,
                                "%s: Invalid value: 0: cannot be 0 when maxSurge is 0",
                                ks_rd_field(r, "maxUnavailable"));
            if (ks_yaml_get(ru, "maxSurge"))
                ks_diag_warn(r->d, ks_yaml_get(ru, "maxSurge")->mark,
                             "%s is not simulated by kubesim: its DaemonSets replace a pod "
                             "only after the old one is gone (maxSurge 0)",
                             ks_rd_field(r, "maxSurge"));
            ks_rd_pop(r, s3);
        }
        ks_rd_pop(r, s2);
    }
    if (ks_yaml_get(spec, "minReadySeconds"))
        ok &= ks_rd_int(r, spec, "minReadySeconds", false, 0, 86400, &s->min_ready_seconds);
    if (ks_yaml_get(spec, "revisionHistoryLimit"))
        ok &= ks_rd_int(r, spec, "revisionHistoryLimit", false, 0, 1000,
                        &s->revision_history_limit);
    ks_rd_pop(r, saved);
    return ok;
}
