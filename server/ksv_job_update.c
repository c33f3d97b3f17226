/* ksv_job_update.c -- a Job sent back whole (kubectl patch, label, edit,
 * replace) as the API server takes it (pkg/apis/batch/validation
 * ValidateJobSpecUpdate, validatePodTemplateUpdate; strategy.go
 * validationOptionsForJob): what the server generated at create (the
 * selector on batch.kubernetes.io/controller-uid, the four labels of the
 * template: generateSelector) is taken out again when it comes back as it
 * went, so the simulation gets the Job as its manifest; completions and the
 * template may not change (compared after defaulting, ks_pod_template_equal:
 * defaults written out are no change), except a suspended Job that never
 * started its template's labels, annotations and nodeSelector. A change is
 * refused with the API server's Status: field.Invalid with the new value
 * printed as Go's %#v prints it (apimachinery field/errors.go ErrorBody). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ks_workloads.h"
#include "ksv_internal.h"

static const char *const generated[] = {"batch.kubernetes.io/controller-uid",
                                        "batch.kubernetes.io/job-name", "controller-uid",
                                        "job-name", NULL};

static json_t *at(json_t *o, const char *a, const char *b, const char *c)
{
    o = json_object_get(o, a);
    if (b)
        o = json_object_get(o, b);
    if (c)
        o = json_object_get(o, c);
    return o;
}

/* map[string]string{"a":"1", "b":"2"}, keys sorted as fmt prints a map */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void go_map(ks_strbuf *b, json_t *m)
{
    const char *keys[128], *k;
    json_t *v;
    size_t n = 0, i;
    if (!json_is_object(m) || !json_object_size(m)) {
        ks_strbuf_printf(b, "map[string]string(nil)");
        return;
    }
    json_object_foreach(m, k, v)
        if (n < sizeof keys / sizeof keys[0])
            keys[n++] = k;
    qsort(keys, n, sizeof keys[0], cmp_str);
    ks_strbuf_printf(b, "map[string]string{");
    for (i = 0; i < n; i++) {
        const char *s = json_string_value(json_object_get(m, keys[i]));
        ks_strbuf_printf(b, "%s\"%s\":\"%s\"", i ? ", " : "", keys[i], s ? s : "");
    }
    ks_strbuf_printf(b, "}");
}

/* The 422 of field.Invalid(path, value, "field is immutable"). */
static void immutable(ksv_response *rs, const ksv_target *t, const char *field, const char *value)
{
    char *why = malloc(strlen(value) + 64);
    if (!why) {
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return;
    }
    sprintf(why, "Invalid value: %s: field is immutable", value);
    ksv_invalid(rs, t->r, t->name, field, why);
    free(why);
}

/* The template as the API server prints it in the message: its ObjectMeta
   in full, the PodSpec cut short (the API server prints it in full, with
   the memory addresses of its pointers, which no two servers share). */
static void template_changed(ksv_response *rs, const ksv_target *t, json_t *tmpl)
{
    ks_strbuf b;
    ks_strbuf_init(&b, NULL);
    ks_strbuf_printf(&b, "core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:\"\", "
                      "GenerateName:\"\", Namespace:\"\", SelfLink:\"\", UID:\"\", "
                      "ResourceVersion:\"\", Generation:0, CreationTimestamp:time.Date(1, "
                      "time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, "
                      "DeletionGracePeriodSeconds:(*int64)(nil), Labels:");
    go_map(&b, at(tmpl, "metadata", "labels", NULL));
    ks_strbuf_printf(&b, ", Annotations:");
    go_map(&b, at(tmpl, "metadata", "annotations", NULL));
    ks_strbuf_printf(&b, ", OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), "
                      "ManagedFields:[]v1.ManagedFieldsEntry(nil)}, Spec:core.PodSpec{...}}");
    immutable(rs, t, "spec.template", ks_strbuf_str(&b));
    ks_strbuf_fini(&b);
}

static void selector_changed(ksv_response *rs, const ksv_target *t, json_t *sel)
{
    ks_strbuf b;
    ks_strbuf_init(&b, NULL);
    ks_strbuf_printf(&b, "v1.LabelSelector{MatchLabels:");
    go_map(&b, json_object_get(sel, "matchLabels"));
    ks_strbuf_printf(&b, ", MatchExpressions:[]v1.LabelSelectorRequirement(nil)}");
    immutable(rs, t, "spec.selector", ks_strbuf_str(&b));
    ks_strbuf_fini(&b);
}

/* The Job m (the whole object to apply, borrowed) as its manifest: the
   server's selector and template labels out when unchanged from old (the
   live object); false with a Status when an immutable field changed. */
bool ksv_job_update(ksv_api *api, const ksv_target *t, json_t *old, json_t *m, ksv_response *rs)
{
    json_t *spec = json_object_get(m, "spec"), *sel = json_object_get(spec, "selector");
    json_t *labels = at(spec, "template", "metadata", "labels");
    json_t *was = at(json_object_get(old, "spec"), "template", "metadata", NULL);
    ks_id id = ks_cluster_find(api->sim, KS_KIND_JOB, t->ns, t->name);
    const ks_job *j = ks_cluster_job(api->sim, id);
    char why[1024];
    ks_object *o;
    ks_arena *ar;
    json_t *sent;
    bool same = true, suspended_new, ok = true;
    size_t i;
    if (!j || !j->obj)
        return true;             /* gone meanwhile: the apply says so */
    if (sel && !json_equal(sel, at(old, "spec", "selector", NULL))) {
        selector_changed(rs, t, sel);
        return false;
    }
    json_object_del(spec, "selector");
    for (i = 0; generated[i]; i++)
        same &= json_equal(json_object_get(labels, generated[i]),
                           json_object_get(json_object_get(was, "labels"), generated[i]));
    suspended_new = j->obj->u.job.suspend && j->start_time < 0;
    if (!same && !suspended_new) {
        template_changed(rs, t, json_object_get(spec, "template"));
        return false;
    }
    sent = json_deep_copy(json_object_get(spec, "template"));   /* for the message */
    for (i = 0; same && generated[i]; i++)
        json_object_del(labels, generated[i]);
    /* the template after defaulting, against the one the Job has */
    if (!(ar = ks_arena_create(NULL))) {
        json_decref(sent);
        return true;
    }
    o = ksv_load_object(ar, m, why, sizeof why);
    if (o && o->kind == KS_KIND_JOB) {
        if (o->u.job.completions != j->obj->u.job.completions) {
            char v[32];
            snprintf(v, sizeof v, "%lld", (long long)o->u.job.completions);
            immutable(rs, t, "spec.completions", v);
            ok = false;
        } else if (!ks_pod_template_equal(&j->obj->u.job.tmpl, &o->u.job.tmpl,
                                          suspended_new ? KS_TMPL_MUTABLE_SCHEDULING : 0)) {
            template_changed(rs, t, sent);
            ok = false;
        }
    }
    json_decref(sent);
    ks_arena_destroy(ar);
    return ok;                   /* a manifest the loader refuses: the apply says why */
}
