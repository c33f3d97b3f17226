/* ks_manifest.c -- Kubernetes manifests: files, folders, documents, object
 * metadata, and the simple kinds (Namespace, Node, Secret, ConfigMap, PV,
 * PVC, StorageClass, IngressClass). Pods, Deployments and ReplicaSets are
 * in ks_manifest_pod.c, StatefulSets in ks_manifest_apps.c, Jobs and CronJobs
 * in ks_manifest_batch.c, Services and Ingress in ks_manifest_net.c; the
 * helpers they share (labels, selectors, quantities) in ks_manifest_fields.c.
 */
#include "ks_manifest.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal/manifest.h"
#include "internal/schema.h"
#include "ks_validate.h"

/* ---- kinds ---------------------------------------------------------------- */
typedef struct kind_info {
    const char *name, *resource;
    const char *versions[3];          /* accepted apiVersions; a removed one
                                         (ksi_api_removed) is read with a warning */
    bool (*read)(ks_reader *, const ks_yaml_node *, ks_object *);
} kind_info;

static bool read_namespace(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
static bool read_node(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
static bool read_secret(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
static bool read_configmap(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
static bool read_pv(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
static bool read_storageclass(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
static bool read_ingressclass(ks_reader *r, const ks_yaml_node *doc, ks_object *o);
static bool read_serviceaccount(ks_reader *r, const ks_yaml_node *doc, ks_object *o);

static const kind_info kinds[KS_KIND_COUNT] = {
    [KS_KIND_NAMESPACE] = {"Namespace", "namespace", {"v1"}, read_namespace},
    [KS_KIND_NODE] = {"Node", "node", {"v1"}, read_node},
    [KS_KIND_POD] = {"Pod", "pod", {"v1"}, ksi_read_pod},
    [KS_KIND_DEPLOYMENT] = {"Deployment", "deployment.apps", {"apps/v1"}, ksi_read_deployment},
    [KS_KIND_REPLICASET] = {"ReplicaSet", "replicaset.apps", {"apps/v1"}, ksi_read_replicaset},
    [KS_KIND_SERVICE] = {"Service", "service", {"v1"}, ksi_read_service},
    [KS_KIND_ENDPOINTS] = {"Endpoints", "endpoints", {"v1"}, ksi_read_endpoints},
    [KS_KIND_INGRESS] = {"Ingress", "ingress.networking.k8s.io",
                         {"networking.k8s.io/v1", "extensions/v1beta1",
                          "networking.k8s.io/v1beta1"}, ksi_read_ingress},
    [KS_KIND_INGRESSCLASS] = {"IngressClass", "ingressclass.networking.k8s.io",
                              {"networking.k8s.io/v1"}, read_ingressclass},
    [KS_KIND_SECRET] = {"Secret", "secret", {"v1"}, read_secret},
    [KS_KIND_CONFIGMAP] = {"ConfigMap", "configmap", {"v1"}, read_configmap},
    [KS_KIND_PV] = {"PersistentVolume", "persistentvolume", {"v1"}, read_pv},
    [KS_KIND_PVC] = {"PersistentVolumeClaim", "persistentvolumeclaim", {"v1"}, ksi_read_pvc},
    [KS_KIND_STORAGECLASS] = {"StorageClass", "storageclass.storage.k8s.io",
                              {"storage.k8s.io/v1"}, read_storageclass},
    [KS_KIND_JOB] = {"Job", "job.batch", {"batch/v1"}, ksi_read_job},
    [KS_KIND_CRONJOB] = {"CronJob", "cronjob.batch", {"batch/v1"}, ksi_read_cronjob},
    [KS_KIND_HPA] = {"HorizontalPodAutoscaler", "horizontalpodautoscaler.autoscaling",
                     {"autoscaling/v2", "autoscaling/v1"}, ksi_read_hpa},
    [KS_KIND_STATEFULSET] = {"StatefulSet", "statefulset.apps", {"apps/v1"},
                             ksi_read_statefulset},
    [KS_KIND_DAEMONSET] = {"DaemonSet", "daemonset.apps", {"apps/v1"}, ksi_read_daemonset},
    [KS_KIND_NETPOL] = {"NetworkPolicy", "networkpolicy.networking.k8s.io",
                        {"networking.k8s.io/v1"}, ksi_read_netpol},
    [KS_KIND_SERVICEACCOUNT] = {"ServiceAccount", "serviceaccount", {"v1"},
                                read_serviceaccount},
};

const char *ks_kind_name(ks_kind k)
{
    return (unsigned)k < KS_KIND_COUNT ? kinds[k].name : "?";
}

const char *ks_kind_resource(ks_kind k)
{
    return (unsigned)k < KS_KIND_COUNT ? kinds[k].resource : "?";
}

/* metadata: name, namespace, labels, annotations. */
static bool read_meta(ks_reader *r, const ks_yaml_node *doc, ks_object *o, bool namespaced)
{
    const ks_yaml_node *m = ks_rd_map(r, doc, "metadata", true);
    size_t saved;
    bool ok = true;
    o->meta.ns = "default";
    o->meta.mark = doc->mark;
    if (!m)
        return false;
    saved = ks_rd_push(r, "metadata");
    if (ks_rd_str(r, m, "name", true, &o->meta.name)) {
        const char *(*rule)(const char *) =
            o->kind == KS_KIND_SERVICE ? ks_check_dns1035_label
            : o->kind == KS_KIND_NAMESPACE ? ks_check_dns_label : ks_check_dns_subdomain;
        o->meta.name_mark = ks_yaml_get(m, "name")->mark;
        ok &= ksi_check_name(r, m, "name", rule, o->meta.name);
    } else {
        ok = false;
    }
    if (ks_yaml_get(m, "namespace")) {
        if (!namespaced)
            ks_diag_warn(r->d, ks_yaml_get(m, "namespace")->mark,
                         "%s is ignored: a %s is not namespaced", ks_rd_field(r, "namespace"),
                         ks_kind_name(o->kind));
        else if (ks_rd_str(r, m, "namespace", false, &o->meta.ns))
            ok &= ksi_check_name(r, m, "namespace", ks_check_dns_label, o->meta.ns);
        else
            ok = false;
    }
    ok &= ksi_read_kvs(r, m, "labels", KSI_KV_LABELS, &o->meta.labels);
    ok &= ksi_read_kvs(r, m, "annotations", KSI_KV_ANNOTATIONS, &o->meta.annotations);
    ks_rd_pop(r, saved);
    return ok;
}

/* ---- simple kinds -------------------------------------------------------- */
static bool read_namespace(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    (void)r;
    (void)doc;
    (void)o;
    return true;
}

static bool read_node(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", false), *st, *alloc;
    ks_node_spec *n = &o->u.node;
    bool ok = true;
    n->cpu = 4000;
    n->memory = (int64_t)8 << 30;
    n->max_pods = 110;
    if (spec) {
        size_t saved = ks_rd_push(r, "spec");
        ks_rd_bool(r, spec, "unschedulable", false, &n->unschedulable);
        ks_rd_pop(r, saved);
    }
    st = ks_rd_map(r, doc, "status", false);
    alloc = st ? ks_rd_map(r, st, "allocatable", false) : NULL;
    if (!alloc && st)
        alloc = ks_rd_map(r, st, "capacity", false);
    if (alloc) {
        size_t saved = ks_rd_push(r, "status.allocatable");
        if (ks_yaml_get(alloc, "cpu"))
            ok &= ksi_read_quantity(r, alloc, "cpu", -3, false, &n->cpu);
        if (ks_yaml_get(alloc, "memory"))
            ok &= ksi_read_quantity(r, alloc, "memory", 0, false, &n->memory);
        if (ks_yaml_get(alloc, "pods"))
            ok &= ksi_read_quantity(r, alloc, "pods", 0, false, &n->max_pods);
        ks_rd_pop(r, saved);
    }
    return ok;
}

/* The data of a ConfigMap or Secret, as the API server limits it
 * (ValidateConfigMap, ValidateSecret in pkg/apis/core/validation:
 * MaxSecretSize, 1 MiB of values in all); at the object's data. */
static bool data_size_ok(ks_reader *r, const ks_yaml_node *doc, const char *field, size_t size)
{
    const ks_yaml_node *at = ks_yaml_get(doc, "data") ? ks_yaml_get(doc, "data") : doc;
    if (size <= KS_MAX_SECRET_SIZE)
        return true;
    return ks_rd_fail(r, at, KS_ELIMIT, "%s: Too long: must have at most %d bytes (the values "
                      "hold %zu bytes; a bigger file belongs in a volume, not in the object)",
                      field, KS_MAX_SECRET_SIZE, size);
}

static bool read_secret(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    ks_secret_spec *s = &o->u.secret;
    ks_kvs data, sdata;
    size_t i, j, *lens, size = 0;
    bool ok = true;
    s->type = "Opaque";
    if (ks_yaml_get(doc, "type"))
        ok &= ks_rd_str(r, doc, "type", false, &s->type);
    ok &= ksi_read_kvs(r, doc, "data", KSI_KV_DATA, &data);
    ok &= ksi_read_kvs(r, doc, "stringData", KSI_KV_DATA, &sdata);
    s->data.items = ksi_alloc_items(r, doc, data.n + sdata.n, sizeof *s->data.items);
    lens = ksi_alloc_items(r, doc, data.n + sdata.n, sizeof *lens);
    if (!s->data.items || !lens)
        return false;
    for (i = 0; i < data.n; i++) {
        const ks_yaml_node *dm = ks_yaml_get(doc, "data");
        const ks_yaml_node *vn = ks_yaml_get(dm, data.items[i].key);
        size_t cap = strlen(data.items[i].value) + 4, len;
        char *buf = ks_arena_alloc(r->ar, cap);
        const char *why;
        if (!buf)
            return ks_rd_fail(r, vn, KS_ENOMEM, "out of memory");
        if ((why = ks_base64_decode(data.items[i].value, buf, cap, &len)) != NULL) {
            ok = ks_rd_fail(r, vn, KS_EINVAL, "data.%s %s", data.items[i].key, why);
            continue;
        }
        s->data.items[s->data.n].key = data.items[i].key;
        s->data.items[s->data.n].value = buf;
        lens[s->data.n++] = len;
    }
    /* stringData is merged into data and wins on conflicts */
    for (i = 0; i < sdata.n; i++) {
        for (j = 0; j < s->data.n; j++)
            if (strcmp(s->data.items[j].key, sdata.items[i].key) == 0)
                break;
        s->data.items[j] = sdata.items[i];
        lens[j] = strlen(sdata.items[i].value);
        if (j == s->data.n)
            s->data.n++;
    }
    for (i = 0; i < s->data.n; i++)
        size += lens[i];
    return data_size_ok(r, doc, "data", size) && ok;
}

/* A ServiceAccount: its name is what pods name in serviceAccountName (the
 * ServiceAccount admission checks it); its token, secrets and
 * imagePullSecrets are not simulated (no API calls come from a pod, pulls
 * need no credentials): imagePullSecrets' names are kept for describe. */
static bool read_serviceaccount(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    static const char *const ignored[] = {"secrets", "imagePullSecrets", NULL};
    const ks_yaml_node *seq = ks_rd_seq(r, doc, "imagePullSecrets", false);
    size_t i, at;
    bool ok = true;
    ks_rd_ignored(r, doc, ignored);
    if (!seq || !seq->n)
        return true;
    if (!(o->u.sa.pull_secrets = ks_arena_alloc(r->ar, seq->n * sizeof *o->u.sa.pull_secrets)))
        return ks_rd_fail(r, seq, KS_ENOMEM, "out of memory");
    at = ks_rd_push(r, "imagePullSecrets");
    for (i = 0; i < seq->n; i++) {
        size_t item = ks_rd_push_index(r, i);
        const char *name = NULL;
        if (seq->items[i]->kind != KS_YAML_MAP)
            ok = ks_rd_fail(r, seq->items[i], KS_ESCHEMA, "%s must be a mapping with a name",
                            ks_rd_field(r, ""));
        else if (ks_rd_str(r, seq->items[i], "name", false, &name) && name)
            o->u.sa.pull_secrets[o->u.sa.npull++] = name;
        ks_rd_pop(r, item);
    }
    ks_rd_pop(r, at);
    return ok;
}

/* binaryData is read for its keys and size only: nothing mounts it yet. */
static bool read_configmap(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    ks_kvs bin;
    size_t i, size = 0;
    bool ok = ksi_read_kvs(r, doc, "data", KSI_KV_DATA, &o->u.cm.data);
    ok &= ksi_read_kvs(r, doc, "binaryData", KSI_KV_DATA, &bin);
    for (i = 0; i < o->u.cm.data.n; i++) {
        const char *k = o->u.cm.data.items[i].key;
        size += strlen(o->u.cm.data.items[i].value);
        if (ks_kvs_get(&bin, k))
            ok = ks_rd_fail(r, ks_yaml_key(ks_yaml_get(doc, "data"), k), KS_EINVAL,
                            "data[%s]: Invalid value: \"%s\": duplicate of key present in "
                            "binaryData", k, k);
    }
    for (i = 0; i < bin.n; i++) {
        const char *v = bin.items[i].value;
        size_t n = strlen(v);
        /* base64: 3 bytes per 4 characters, less the padding */
        size += n / 4 * 3 - (n >= 4 && v[n - 1] == '=') - (n >= 4 && v[n - 2] == '=');
    }
    return data_size_ok(r, doc, "[]", size) && ok;
}

static bool read_access_modes(ks_reader *r, const ks_yaml_node *spec, unsigned *out)
{
    const char **modes;
    size_t n, i;
    bool ok = true;
    *out = 0;
    if (!ks_rd_str_list(r, spec, "accessModes", true, &modes, &n))
        return false;
    for (i = 0; i < n; i++) {
        if (strcmp(modes[i], "ReadWriteOnce") == 0)
            *out |= KS_RWO;
        else if (strcmp(modes[i], "ReadOnlyMany") == 0)
            *out |= KS_ROX;
        else if (strcmp(modes[i], "ReadWriteMany") == 0)
            *out |= KS_RWX;
        else if (strcmp(modes[i], "ReadWriteOncePod") == 0)
            *out |= KS_RWOP;
        else
            ok = ks_rd_fail(r, ks_yaml_get(spec, "accessModes")->items[i], KS_EINVAL,
                            "%s[%zu] must be ReadWriteOnce, ReadOnlyMany, ReadWriteMany or "
                            "ReadWriteOncePod, not '%s'", ks_rd_field(r, "accessModes"), i,
                            modes[i]);
    }
    if (ok && !*out)
        ok = ks_rd_fail(r, ks_yaml_get(spec, "accessModes"), KS_EINVAL,
                        "%s must list at least one mode, e.g. ReadWriteOnce",
                        ks_rd_field(r, "accessModes"));
    return ok;
}

static bool read_pv(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true), *cap, *hp, *cr;
    ks_pv_spec *pv = &o->u.pv;
    size_t saved;
    bool ok = true;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    pv->reclaim = "Retain";
    pv->storage_class = "";
    cap = ks_rd_map(r, spec, "capacity", true);
    if (cap) {
        size_t s2 = ks_rd_push(r, "capacity");
        ok &= ksi_read_quantity(r, cap, "storage", 0, true, &pv->capacity);
        ks_rd_pop(r, s2);
    } else {
        ok = false;
    }
    ok &= read_access_modes(r, spec, &pv->access);
    if (ks_rd_str(r, spec, "persistentVolumeReclaimPolicy", false, &pv->reclaim)
        && strcmp(pv->reclaim, "Retain") && strcmp(pv->reclaim, "Delete")
        && strcmp(pv->reclaim, "Recycle"))
        ok = ks_rd_fail(r, ks_yaml_get(spec, "persistentVolumeReclaimPolicy"), KS_EINVAL,
                        "%s must be Retain, Delete or Recycle",
                        ks_rd_field(r, "persistentVolumeReclaimPolicy"));
    if (ks_yaml_get(spec, "storageClassName"))
        ok &= ks_rd_str(r, spec, "storageClassName", false, &pv->storage_class)
              || ks_yaml_is_null(ks_yaml_get(spec, "storageClassName"));
    if ((hp = ks_rd_map(r, spec, "hostPath", false)) != NULL) {
        size_t s2 = ks_rd_push(r, "hostPath");
        ok &= ks_rd_str(r, hp, "path", true, &pv->host_path);
        ks_rd_pop(r, s2);
    }
    if ((cr = ks_rd_map(r, spec, "claimRef", false)) != NULL) {
        size_t s2 = ks_rd_push(r, "claimRef");
        pv->claim_ns = "default";
        ks_rd_str(r, cr, "namespace", false, &pv->claim_ns);
        ok &= ks_rd_str(r, cr, "name", true, &pv->claim_name);
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

bool ksi_read_pvc(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true), *res, *req;
    ks_pvc_spec *c = &o->u.pvc;
    size_t saved;
    bool ok = true;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    ok &= read_access_modes(r, spec, &c->access);
    res = ks_rd_map(r, spec, "resources", true);
    if (res) {
        size_t s2 = ks_rd_push(r, "resources");
        req = ks_rd_map(r, res, "requests", true);
        if (req) {
            size_t s3 = ks_rd_push(r, "requests");
            ok &= ksi_read_quantity(r, req, "storage", 0, true, &c->request);
            ks_rd_pop(r, s3);
        } else {
            ok = false;
        }
        ks_rd_pop(r, s2);
    } else {
        ok = false;
    }
    if (ks_yaml_get(spec, "storageClassName")
        && !ks_yaml_is_null(ks_yaml_get(spec, "storageClassName")))
        ok &= ks_rd_str(r, spec, "storageClassName", false, &c->storage_class);
    if (ks_yaml_get(spec, "volumeName"))
        ok &= ks_rd_str(r, spec, "volumeName", false, &c->volume_name);
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_storageclass(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    ks_storageclass_spec *sc = &o->u.sc;
    const char *mode = NULL, *def;
    bool ok = ks_rd_str(r, doc, "provisioner", true, &sc->provisioner);
    sc->reclaim = "Delete";
    if (ks_rd_str(r, doc, "reclaimPolicy", false, &sc->reclaim) && strcmp(sc->reclaim, "Delete")
        && strcmp(sc->reclaim, "Retain"))
        ok = ks_rd_fail(r, ks_yaml_get(doc, "reclaimPolicy"), KS_EINVAL,
                        "reclaimPolicy must be Delete or Retain, not '%s'", sc->reclaim);
    if (ks_rd_str(r, doc, "volumeBindingMode", false, &mode)) {
        if (strcmp(mode, "WaitForFirstConsumer") == 0)
            sc->wait_for_consumer = true;
        else if (strcmp(mode, "Immediate") != 0)
            ok = ks_rd_fail(r, ks_yaml_get(doc, "volumeBindingMode"), KS_EINVAL,
                            "volumeBindingMode must be Immediate or WaitForFirstConsumer, "
                            "not '%s'", mode);
    }
    def = ks_kvs_get(&o->meta.annotations, "storageclass.kubernetes.io/is-default-class");
    sc->is_default = def && strcmp(def, "true") == 0;
    return ok;
}

static bool read_ingressclass(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", false);
    const char *def = ks_kvs_get(&o->meta.annotations,
                                 "ingressclass.kubernetes.io/is-default-class");
    o->u.ingclass.controller = "k8s.io/ingress-nginx";
    if (spec) {
        size_t saved = ks_rd_push(r, "spec");
        ks_rd_str(r, spec, "controller", false, &o->u.ingclass.controller);
        ks_rd_pop(r, saved);
    }
    o->u.ingclass.is_default = def && strcmp(def, "true") == 0;
    return true;
}

/* The resource's plural with its group, as API errors name it (the
 * resources the API server serves; kubectl api-resources). */
const char *ks_kind_plural(ks_kind k)
{
    static const char *const plural[KS_KIND_COUNT] = {
        [KS_KIND_NAMESPACE] = "namespaces", [KS_KIND_NODE] = "nodes", [KS_KIND_POD] = "pods",
        [KS_KIND_DEPLOYMENT] = "deployments.apps", [KS_KIND_REPLICASET] = "replicasets.apps",
        [KS_KIND_SERVICE] = "services", [KS_KIND_ENDPOINTS] = "endpoints",
        [KS_KIND_INGRESS] = "ingresses.networking.k8s.io",
        [KS_KIND_INGRESSCLASS] = "ingressclasses.networking.k8s.io",
        [KS_KIND_SECRET] = "secrets", [KS_KIND_CONFIGMAP] = "configmaps",
        [KS_KIND_PV] = "persistentvolumes", [KS_KIND_PVC] = "persistentvolumeclaims",
        [KS_KIND_STORAGECLASS] = "storageclasses.storage.k8s.io", [KS_KIND_JOB] = "jobs.batch",
        [KS_KIND_CRONJOB] = "cronjobs.batch",
        [KS_KIND_HPA] = "horizontalpodautoscalers.autoscaling",
        [KS_KIND_NETPOL] = "networkpolicies.networking.k8s.io",
        [KS_KIND_STATEFULSET] = "statefulsets.apps", [KS_KIND_DAEMONSET] = "daemonsets.apps",
        [KS_KIND_SERVICEACCOUNT] = "serviceaccounts",
    };
    return (unsigned)k < KS_KIND_COUNT && plural[k] ? plural[k] : "?";
}

/* ---- documents ------------------------------------------------------------ */
bool ks_kind_namespaced(ks_kind k)
{
    return k != KS_KIND_NAMESPACE && k != KS_KIND_NODE && k != KS_KIND_PV
           && k != KS_KIND_STORAGECLASS && k != KS_KIND_INGRESSCLASS;
}


/* kubectl's refusal of a version Kubernetes no longer serves, at api_at. */
static int removed_version(ks_diags *d, ks_mark api_at, const char *kind, const char *api,
                           const ksi_removed_api *gone)
{
    return ks_diag_error(d, KS_EUNKNOWN, api_at,
                         "no matches for kind \"%s\" in version \"%s\": Kubernetes %s stopped "
                         "serving it, so kubectl apply fails (resource mapping not found ... "
                         "ensure CRDs are installed first); %s%s", kind, api, gone->removed_in,
                         gone->use ? "use apiVersion: " : "PodSecurityPolicy has no successor: "
                         "use Pod Security Admission (namespace labels pod-security.kubernetes.io/"
                         "enforce)", gone->use ? gone->use : "");
}

/* One object: a document's root, or an item of a List. */
static int from_node(ks_arena *ar, const ks_yaml_node *root, ks_object **out, ks_diags *d)
{
    const ks_yaml_node *api_node;
    const ksi_removed_api *gone;
    const char *api = NULL, *kind = NULL;
    bool have_api, have_kind;
    ks_reader r;
    ks_object *o;
    int errors = d->errors, first = d->n;
    size_t k, v;
    *out = NULL;
    ks_reader_init(&r, ar, d);
    if (ks_yaml_is_null(root))
        return KS_OK;                           /* empty document: skipped */
    if (root->kind != KS_YAML_MAP)
        return ks_diag_error(d, KS_ESCHEMA, root->mark,
                             "a manifest must be an object with apiVersion, kind and "
                             "metadata, not %s", root->kind == KS_YAML_SEQ ? "a list"
                                                                           : "a plain value");
    if (!ks_yaml_get(root, "apiVersion") && !ks_yaml_get(root, "kind"))
        return ks_diag_error(d, KS_ESCHEMA, root->mark,
                             "this document is not a Kubernetes object: it has no apiVersion "
                             "and no kind");
    /* both read (and reported) before either is judged, in this order */
    have_api = ks_rd_str(&r, root, "apiVersion", true, &api);
    have_kind = ks_rd_str(&r, root, "kind", true, &kind);
    if (!have_api || !have_kind)
        return KS_ESCHEMA;
    api_node = ks_yaml_get(root, "apiVersion");
    gone = ksi_api_removed(api, kind);
    if (strncmp(api, "kubesim/", 8) == 0 || strcmp(kind, "Scenario") == 0)
        return ks_diag_error(d, KS_ESCHEMA, ks_yaml_get(root, "kind")->mark,
                             "this is a kubesim scenario (kind: %s), not a Kubernetes "
                             "manifest: play it with kubesim run or kubesim test, and list "
                             "only manifests under spec.manifests or after kubectl apply -f",
                             kind);
    for (k = 0; k < KS_KIND_COUNT; k++)
        if (strcmp(kind, kinds[k].name) == 0)
            break;
    for (v = 0; k < KS_KIND_COUNT && v < 3 && kinds[k].versions[v]; v++)
        if (strcmp(api, kinds[k].versions[v]) == 0)
            break;
    if (gone && (k == KS_KIND_COUNT || v == 3 || !kinds[k].versions[v]))
        return removed_version(d, api_node->mark, kind, api, gone);
    if (k == KS_KIND_COUNT) {
        /* kubectl's words for a kind no installed API serves */
        if (ksi_api_builtin(kind, api))
            return ks_diag_error(d, KS_EUNKNOWN, ks_yaml_get(root, "kind")->mark,
                                 "kubesim does not simulate %s (%s, a built-in kind of "
                                 "Kubernetes) yet: this object is left out, the other objects "
                                 "still load", kind, api);
        return ks_diag_error(d, KS_EUNKNOWN, ks_yaml_get(root, "kind")->mark,
                             "resource mapping not found: no matches for kind \"%s\" in version "
                             "\"%s\"; ensure CRDs are installed first (kubesim simulates only "
                             "the built-in kinds; the other objects still load)", kind, api);
    }
    if (v == 3 || !kinds[k].versions[v])
        return ks_diag_error(d, KS_EUNKNOWN, api_node->mark,
                             "no matches for kind \"%s\" in version \"%s\"; use apiVersion: %s",
                             kind, api, kinds[k].versions[0]);
    if (gone)                                   /* the Ingress of old course files */
        ks_diag_warn(d, api_node->mark,
                     "%s %s was removed in Kubernetes %s; kubesim reads it so old course "
                     "files still run, but a current cluster rejects it: use apiVersion: %s",
                     api, kind, gone->removed_in, kinds[k].versions[0]);
    /* decoded strictly first, as the API server decodes before it validates */
    if (!ksi_schema_check(&r, api, kind, root))
        return KS_ESCHEMA;
    o = ks_arena_alloc(ar, sizeof *o);
    if (!o)
        return ks_diag_error(d, KS_ENOMEM, root->mark, "out of memory");
    o->kind = (ks_kind)k;
    o->api_version = api;
    o->mark = root->mark;
    o->hash = ks_yaml_hash(root);
    read_meta(&r, root, o, ks_kind_namespaced(o->kind));
    kinds[k].read(&r, root, o);
    if (d->errors > errors)                     /* this object's first error's code */
        return first < d->n && d->items[first].err.code ? d->items[first].err.code : KS_EINVAL;
    *out = o;
    return KS_OK;
}

int ks_manifest_from_doc(ks_arena *ar, const ks_yaml_doc *doc, ks_object **out, ks_diags *d)
{
    return from_node(ar, doc->root, out, d);
}

static int add_object(ks_arena *ar, ks_manifests *out, ks_object *o, ks_diags *d)
{
    if (out->n >= KS_MANIFEST_MAX_OBJECTS)
        return ks_diag_error(d, KS_ELIMIT, o->mark, "too many objects (the limit is %d)",
                             KS_MANIFEST_MAX_OBJECTS);
    if (out->n == out->cap) {
        size_t ncap = out->cap ? out->cap * 2 : 16;
        ks_object **p = ks_arena_alloc(ar, ncap * sizeof *p);
        if (!p)
            return ks_diag_error(d, KS_ENOMEM, o->mark, "out of memory");
        if (out->n)
            memcpy(p, out->objs, out->n * sizeof *p);
        out->objs = p;
        out->cap = ncap;
    }
    out->objs[out->n++] = o;
    return KS_OK;
}

/* The items of a list document (kind: List, or any kind ending in List
 * with items, as kubectl get -o yaml writes them): kubectl decodes it as
 * an UnstructuredList and applies each item (apimachinery unstructured
 * JSON scheme's decode: an object with "items" is a list; cli-runtime
 * FlattenListVisitor). NULL when root is one object. */
static const ks_yaml_node *list_items(const ks_yaml_node *root)
{
    const ks_yaml_node *kind = ks_yaml_get(root, "kind"), *items = ks_yaml_get(root, "items");
    size_t n;
    if (!items || !kind || kind->kind != KS_YAML_SCALAR || (n = strlen(kind->str)) < 4
        || strcmp(kind->str + n - 4, "List") != 0)
        return NULL;
    return items;
}

/* Reads one object into out: its error, if the first, goes to *rc;
 * unknown kinds are counted. Returns add_object's failure, which stops the
 * stream. */
static int load_one(ks_arena *ar, const ks_yaml_node *root, ks_manifests *out, ks_diags *d,
                    int *rc)
{
    ks_object *o;
    int r = from_node(ar, root, &o, d);
    if (r == KS_EUNKNOWN)
        out->unknown_kinds++;
    if (r != KS_OK && *rc == KS_OK)
        *rc = r;
    return o ? add_object(ar, out, o, d) : KS_OK;
}

/* Reads every document of a parsed stream, and every item of a list.
 * Unknown kinds are counted and skipped; other errors make the result an
 * error. */
static int load_stream(ks_arena *ar, const ks_yaml_stream *s, ks_manifests *out, ks_diags *d)
{
    size_t i, k;
    int rc = KS_OK, r;
    for (i = 0; i < s->ndocs; i++) {
        const ks_yaml_node *root = s->docs[i].root, *items = list_items(root);
        if (!items) {
            if ((r = load_one(ar, root, out, d, &rc)) != KS_OK)
                return r;
        } else if (items->kind == KS_YAML_SEQ) {
            for (k = 0; k < items->n; k++)
                if ((r = load_one(ar, items->items[k], out, d, &rc)) != KS_OK)
                    return r;
        } else if (!ks_yaml_is_null(items)) {
            r = ks_diag_error(d, KS_ESCHEMA, items->mark, "items of a %s must be a list of "
                              "objects", ks_yaml_get(root, "kind")->str);
            if (rc == KS_OK)
                rc = r;
        }
    }
    return rc;
}

int ks_manifest_load_text(ks_arena *ar, const char *file, const char *text, size_t len,
                          unsigned line0, unsigned col0, const ks_yaml_limits *lim,
                          ks_manifests *out, ks_diags *d)
{
    ks_yaml_stream *s;
    int rc;
    size_t i, first = (size_t)d->n;
    rc = ks_yaml_parse(ar, file, text, len, lim, &s, d);
    if (s) {
        int rc2 = load_stream(ar, s, out, d);
        if (rc == KS_OK)
            rc = rc2;
    }
    /* shift the marks of this text's messages to where it sits in its file */
    for (i = first; i < (size_t)d->n && (line0 > 1 || col0 > 1); i++) {
        ks_error *e = &d->items[i].err;
        if (e->line) {
            if (e->line == 1)
                e->col += col0 - 1;
            e->line += line0 - 1;
        }
        if (e->note_line) {
            if (e->note_line == 1)
                e->note_col += col0 - 1;
            e->note_line += line0 - 1;
        }
    }
    return rc;
}

static int has_manifest_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0)
           || (n > 4 && strcmp(name + n - 4, ".yml") == 0)
           || (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_file(ks_arena *ar, const char *path, const ks_yaml_limits *lim,
                     ks_manifests *out, ks_diags *d, bool in_folder)
{
    ks_yaml_stream *s;
    int rc = ks_yaml_load_file(ar, path, lim, &s, d), rc2;
    out->files++;
    if (!s)
        return rc;
    if (in_folder && (s->ndocs == 0 || (s->ndocs == 1 && ks_yaml_is_null(s->docs[0].root))))
        ks_diag_warn(d, (ks_mark){s->file, 0, 0}, "no objects in this file (it is empty)");
    rc2 = load_stream(ar, s, out, d);
    return rc != KS_OK ? rc : rc2;
}

/* kubectl apply -f PATH with nothing in it fails: "error: no objects passed
 * to apply" (kubectl's apply.go, when its resource visitor found none). An
 * empty file inside a folder with objects is only a warning. Errors already
 * said why there is nothing (a parse error, an unknown kind: the latter is
 * not an object kubectl could pass either, but it has its own message). */
static int no_objects(const char *path, size_t before, int errors, const ks_manifests *out,
                      ks_diags *d)
{
    if (out->n > before || d->errors > errors)
        return KS_OK;
    return ks_diag_error(d, KS_EINVAL, (ks_mark){path, 0, 0},
                         "no objects passed to apply: %s holds no Kubernetes object (it is "
                         "empty, or only comments); kubectl apply -f fails the same way",
                         path);
}

int ks_manifest_load_path(ks_arena *ar, const char *path, const ks_yaml_limits *lim,
                          ks_manifests *out, ks_diags *d)
{
    struct stat st;
    DIR *dir;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = KS_OK;
    if (stat(path, &st) != 0)
        return ks_diag_error(d, KS_EIO, (ks_mark){path, 0, 0},
                             "cannot read: %s; check the path", strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        size_t before = out->n;
        int errors = d->errors;
        rc = load_file(ar, path, lim, out, d, false);
        return rc == KS_OK ? no_objects(path, before, errors, out, d) : rc;
    }
    dir = opendir(path);
    if (!dir)
        return ks_diag_error(d, KS_EIO, (ks_mark){path, 0, 0}, "cannot read folder: %s",
                             strerror(errno));
    while ((e = readdir(dir)) != NULL) {
        char *full;
        if (e->d_name[0] == '.' || !has_manifest_ext(e->d_name))
            continue;
        full = ks_arena_printf(ar, "%s%s%s", path,
                               path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
        if (full && stat(full, &st) == 0 && S_ISDIR(st.st_mode))
            continue;                  /* not recursive, as kubectl apply -f DIR */
        if (full && n == cap) {
            char **bigger = ks_arena_alloc(ar, (cap ? cap * 2 : 32) * sizeof *names);
            if (bigger && n)
                memcpy(bigger, names, n * sizeof *names);
            names = bigger;
            cap = cap ? cap * 2 : 32;
        }
        if (!full || !names) {
            closedir(dir);
            return ks_diag_error(d, KS_ENOMEM, (ks_mark){path, 0, 0}, "out of memory");
        }
        names[n++] = full;
    }
    closedir(dir);
    if (n == 0)
        return ks_diag_error(d, KS_EIO, (ks_mark){path, 0, 0},
                             "no manifests in this folder (kubesim reads *.yaml, *.yml and "
                             "*.json files, not subfolders)");
    qsort(names, n, sizeof *names, cmp_str);
    {
        size_t before = out->n;
        int errors = d->errors;
        for (i = 0; i < n; i++) {
            int r = load_file(ar, names[i], lim, out, d, true);
            if (r != KS_OK && rc == KS_OK)
                rc = r;
            if (r == KS_ENOMEM || r == KS_ELIMIT)
                break;
        }
        return rc == KS_OK ? no_objects(path, before, errors, out, d) : rc;
    }
}
