/* ksv_json_core.c -- the cluster-level and configuration kinds: Nodes,
 * Namespaces, Secrets, ConfigMaps, PersistentVolumes, claims,
 * StorageClasses, and core/v1 Events (what kubectl describe lists under
 * Events:, found by involvedObject). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_json.h"
#include "core/ks_event.h"
#include "kubectl/ks_kubectl.h"
#include "load/ks_validate.h"

static json_t *node_condition(const ksv_ctx *c, const char *type, bool status, const char *reason,
                              const char *msg, ks_time at)
{
    json_t *o = json_object();
    ksv_set_str(o, "type", type);
    ksv_set_str(o, "status", status ? "True" : "False");
    ksv_set_time(c, o, "lastHeartbeatTime", at);
    ksv_set_time(c, o, "lastTransitionTime", at);
    ksv_set_str(o, "reason", reason);
    ksv_set_str(o, "message", msg);
    return o;
}

static json_t *resource_list(const ks_node *n)
{
    json_t *o = json_object();
    char buf[48];
    ksv_cpu_text(n->cpu, buf, sizeof buf);
    ksv_set_str(o, "cpu", buf);
    ksv_set_str(o, "ephemeral-storage", "102625208Ki");
    ksv_bytes_text(n->memory, buf, sizeof buf);
    ksv_set_str(o, "memory", buf);
    snprintf(buf, sizeof buf, "%lld", (long long)n->max_pods);
    ksv_set_str(o, "pods", buf);
    return o;
}

json_t *ksv_node(const ksv_ctx *c, const ks_node *n)
{
    json_t *meta = ksv_meta(c, n->name, NULL, n->id, KSV_UID_OBJECT, n->created, &n->labels, NULL);
    json_t *o = ksv_object("v1", "Node", meta), *spec, *st, *conds, *addrs, *info;
    ks_time now = n->down ? n->down_since : n->created;
    char ip[32];
    if (!o)
        return NULL;
    spec = json_object();
    if (n->unschedulable) {
        json_t *taints = json_array();
        ksv_set_bool(spec, "unschedulable", true);
        /* pkg/controller/nodelifecycle: the taint a cordon adds */
        json_array_append_new(taints, json_pack("{ssss}", "key",
                                                "node.kubernetes.io/unschedulable",
                                                "effect", "NoSchedule"));
        json_object_set_new(spec, "taints", taints);
    }
    json_object_set_new(o, "spec", spec);
    st = json_object();
    json_object_set_new(st, "capacity", resource_list(n));
    json_object_set_new(st, "allocatable", resource_list(n));
    conds = json_array();
    json_array_append_new(conds, node_condition(c, "MemoryPressure", false,
                                                "KubeletHasSufficientMemory",
                                                "kubelet has sufficient memory available",
                                                n->created));
    json_array_append_new(conds, node_condition(c, "DiskPressure", false,
                                                "KubeletHasNoDiskPressure",
                                                "kubelet has no disk pressure", n->created));
    json_array_append_new(conds, node_condition(c, "PIDPressure", false,
                                                "KubeletHasSufficientPID",
                                                "kubelet has sufficient PID available",
                                                n->created));
    if (n->ready)
        json_array_append_new(conds, node_condition(c, "Ready", true, "KubeletReady",
                                                    "kubelet is posting ready status", now));
    else
        json_array_append_new(conds, json_pack("{ssssssss}", "type", "Ready", "status",
                                               "Unknown", "reason", "NodeStatusUnknown",
                                               "message", "Kubelet stopped posting node status."));
    json_object_set_new(st, "conditions", conds);
    addrs = json_array();
    ks_kubectl_node_ip(c->sim, n->id, ip, sizeof ip);
    json_array_append_new(addrs, json_pack("{ssss}", "type", "InternalIP", "address", ip));
    json_array_append_new(addrs, json_pack("{ssss}", "type", "Hostname", "address", n->name));
    json_object_set_new(st, "addresses", addrs);
    info = json_object();
    ksv_set_str(info, "machineID", "6b7375626573696d0000000000000000");
    ksv_set_str(info, "systemUUID", "6b737562-6573-696d-0000-000000000000");
    ksv_set_str(info, "bootID", "6b737562-6573-696d-0000-000000000001");
    ksv_set_str(info, "kernelVersion", KS_KUBECTL_KERNEL);
    ksv_set_str(info, "osImage", KS_KUBECTL_OS_IMAGE);
    ksv_set_str(info, "containerRuntimeVersion", KS_KUBECTL_RUNTIME);
    ksv_set_str(info, "kubeletVersion", KS_KUBECTL_K8S_VERSION);
    ksv_set_str(info, "kubeProxyVersion", KS_KUBECTL_K8S_VERSION);
    ksv_set_str(info, "operatingSystem", "linux");
    ksv_set_str(info, "architecture", "amd64");
    json_object_set_new(st, "nodeInfo", info);
    json_object_set_new(o, "status", st);
    return o;
}

json_t *ksv_namespace(const ksv_ctx *c, const char *name, ks_time created)
{
    ks_kv label = {"kubernetes.io/metadata.name", name};
    ks_kvs labels = {&label, 1};
    json_t *meta = ksv_meta(c, name, NULL, ksv_hash(name, KSV_HASH_SEED), KSV_UID_NAMESPACE,
                            created, &labels, NULL);
    json_t *o = ksv_object("v1", "Namespace", meta);
    if (!o)
        return NULL;
    json_object_set_new(o, "spec", json_pack("{s[s]}", "finalizers", "kubernetes"));
    json_object_set_new(o, "status", json_pack("{ss}", "phase", "Active"));
    return o;
}

/* A node's Lease as the kubelet's lease controller keeps it
 * (component-helpers/apimachinery/lease/controller.go newLease: holderIdentity
 * and leaseDurationSeconds from the kubelet, renewTime a MicroTime;
 * pkg/kubelet/util/nodelease.go SetNodeOwnerFunc: owned by its Node, with
 * no controller flag). */
json_t *ksv_lease(const ksv_ctx *c, ks_id node)
{
    ks_lease l;
    json_t *meta, *o, *refs, *ref, *spec;
    char uid[40], day[48], micro[64];
    ks_time rel;
    if (!ks_cluster_node_lease(c->sim, node, &l))
        return NULL;
    meta = ksv_meta(c, l.name, "kube-node-lease", node, KSV_UID_LEASE, l.created, NULL, NULL);
    if (!(o = ksv_object("coordination.k8s.io/v1", "Lease", meta)))
        return NULL;
    ref = json_object();
    ksv_uid(node, KSV_UID_OBJECT, uid);
    ksv_set_str(ref, "apiVersion", "v1");
    ksv_set_str(ref, "kind", "Node");
    ksv_set_str(ref, "name", l.name);
    ksv_set_str(ref, "uid", uid);
    refs = json_array();
    json_array_append_new(refs, ref);
    json_object_set_new(meta, "ownerReferences", refs);
    spec = json_object();
    ksv_set_str(spec, "holderIdentity", l.name);
    ksv_set_int(spec, "leaseDurationSeconds", KS_NODE_LEASE_DURATION);
    /* a MicroTime (metav1.RFC3339Micro): microseconds always */
    rel = (ks_time)(ksv_wall_us(c, l.renewed) - (double)KS_KUBECTL_EPOCH * KS_SEC);
    ks_kubectl_rfc3339(rel - rel % KS_SEC, false, day, sizeof day);
    snprintf(micro, sizeof micro, "%.19s.%06lldZ", day, (long long)(rel % KS_SEC));
    ksv_set_str(spec, "renewTime", micro);
    json_object_set_new(o, "spec", spec);
    return o;
}

json_t *ksv_secret(const ksv_ctx *c, ks_id id, const ks_object *so)
{
    json_t *meta = ksv_meta(c, so->meta.name, so->meta.ns, id, KSV_UID_OBJECT,
                            ks_cluster_created(c->sim, id), &so->meta.labels,
                            &so->meta.annotations);
    json_t *o = ksv_object("v1", "Secret", meta), *data;
    size_t i;
    if (!o)
        return NULL;
    data = json_object();
    for (i = 0; i < so->u.secret.data.n; i++) {
        const char *v = so->u.secret.data.items[i].value ? so->u.secret.data.items[i].value : "";
        size_t len = strlen(v), cap = (len + 2) / 3 * 4 + 1;
        char *b64 = malloc(cap);
        if (!b64)
            break;
        ks_base64_encode(v, len, b64, cap);
        ksv_set_str(data, so->u.secret.data.items[i].key, b64);
        free(b64);
    }
    if (json_object_size(data))
        json_object_set_new(o, "data", data);
    else
        json_decref(data);
    ksv_set_str(o, "type", so->u.secret.type ? so->u.secret.type : "Opaque");
    return o;
}

json_t *ksv_configmap(const ksv_ctx *c, ks_id id, const ks_object *co)
{
    json_t *meta = ksv_meta(c, co->meta.name, co->meta.ns, id, KSV_UID_OBJECT,
                            ks_cluster_created(c->sim, id), &co->meta.labels,
                            &co->meta.annotations);
    json_t *o = ksv_object("v1", "ConfigMap", meta);
    if (!o)
        return NULL;
    ksv_set(o, "data", ksv_kvs(&co->u.cm.data, true));
    return o;
}

json_t *ksv_serviceaccount(const ksv_ctx *c, ks_id id, const ks_object *so)
{
    json_t *meta = ksv_meta(c, so->meta.name, so->meta.ns, id, KSV_UID_OBJECT,
                            ks_cluster_created(c->sim, id), &so->meta.labels,
                            &so->meta.annotations);
    return ksv_object("v1", "ServiceAccount", meta);
}

json_t *ksv_access_modes(unsigned modes)
{
    static const char *const names[] = {"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
                                        "ReadWriteOncePod"};
    json_t *a = json_array();
    int i;
    for (i = 0; i < 4; i++)
        if (modes & (1u << i))
            json_array_append_new(a, json_string(names[i]));
    return a;
}

json_t *ksv_storage(int64_t bytes)
{
    char buf[48];
    ksv_bytes_text(bytes, buf, sizeof buf);
    return json_pack("{ss}", "storage", buf);
}

json_t *ksv_pv(const ksv_ctx *c, const ks_pv *pv)
{
    const ks_object *po = pv->obj;
    json_t *meta = ksv_meta(c, pv->name, NULL, pv->id, KSV_UID_OBJECT,
                            ks_cluster_created(c->sim, pv->id), po ? &po->meta.labels : NULL,
                            po ? &po->meta.annotations : NULL);
    json_t *o = ksv_object("v1", "PersistentVolume", meta), *spec;
    const char *host = po ? po->u.pv.host_path : NULL;
    char dyn[300];
    if (!o)
        return NULL;
    if (!po) {
        /* minikube's hostpath provisioner: /tmp/hostpath-provisioner/NS/CLAIM */
        json_t *ann = json_object();
        ksv_set_str(ann, "hostPathProvisionerIdentity", "minikube");
        ksv_set_str(ann, "pv.kubernetes.io/provisioned-by", "k8s.io/minikube-hostpath");
        json_object_set_new(json_object_get(o, "metadata"), "annotations", ann);
        snprintf(dyn, sizeof dyn, "/tmp/hostpath-provisioner/%s/%s",
                 pv->claim_ns ? pv->claim_ns : "default", pv->claim_name ? pv->claim_name : "");
        host = dyn;
    }
    spec = json_object();
    json_object_set_new(spec, "capacity", ksv_storage(pv->capacity));
    if (host)
        json_object_set_new(spec, "hostPath", json_pack("{ssss}", "path", host, "type", ""));
    json_object_set_new(spec, "accessModes", ksv_access_modes(pv->access));
    if (pv->claim_name) {
        json_t *ref = json_object();
        ksv_set_str(ref, "kind", "PersistentVolumeClaim");
        ksv_set_str(ref, "namespace", pv->claim_ns ? pv->claim_ns : "default");
        ksv_set_str(ref, "name", pv->claim_name);
        if (pv->claim) {
            char uid[40];
            ksv_uid(pv->claim, KSV_UID_OBJECT, uid);
            ksv_set_str(ref, "uid", uid);
            ksv_set_str(ref, "apiVersion", "v1");
        }
        json_object_set_new(spec, "claimRef", ref);
    }
    ksv_set_str(spec, "persistentVolumeReclaimPolicy", pv->reclaim ? pv->reclaim : "Delete");
    ksv_set_str(spec, "storageClassName", pv->storage_class ? pv->storage_class : "");
    ksv_set_str(spec, "volumeMode", "Filesystem");
    json_object_set_new(o, "spec", spec);
    json_object_set_new(o, "status", json_pack("{ss}", "phase",
                                               pv->phase ? pv->phase : "Available"));
    return o;
}

json_t *ksv_pvc(const ksv_ctx *c, ks_id id, const ks_object *co)
{
    const ks_pvc *claim = ks_cluster_pvc(c->sim, id);
    const ks_pv *pv = c ? ks_cluster_pv(c->sim, claim->pv) : NULL;
    json_t *meta = ksv_meta(c, co->meta.name, co->meta.ns, id, KSV_UID_OBJECT,
                            ks_cluster_created(c->sim, id), &co->meta.labels,
                            &co->meta.annotations);
    json_t *o = ksv_object("v1", "PersistentVolumeClaim", meta), *spec, *st;
    const char *sc = claim && claim->storage_class ? claim->storage_class : co->u.pvc.storage_class;
    if (!o)
        return NULL;
    if (pv) {
        json_t *ann = json_object_get(json_object_get(o, "metadata"), "annotations");
        if (!ann) {
            ann = json_object();
            json_object_set_new(json_object_get(o, "metadata"), "annotations", ann);
        }
        ksv_set_str(ann, "pv.kubernetes.io/bind-completed", "yes");
        if (!pv->obj)
            ksv_set_str(ann, "volume.kubernetes.io/storage-provisioner",
                        "k8s.io/minikube-hostpath");
    }
    spec = json_object();
    json_object_set_new(spec, "accessModes", ksv_access_modes(co->u.pvc.access));
    json_object_set_new(spec, "resources",
                        json_pack("{so}", "requests", ksv_storage(co->u.pvc.request)));
    if (sc)
        ksv_set_str(spec, "storageClassName", sc);
    ksv_set_str(spec, "volumeName", pv ? pv->name : co->u.pvc.volume_name);
    ksv_set_str(spec, "volumeMode", "Filesystem");
    json_object_set_new(o, "spec", spec);
    st = json_object();
    ksv_set_str(st, "phase", claim && claim->phase ? claim->phase : "Pending");
    if (pv) {
        json_object_set_new(st, "accessModes", ksv_access_modes(pv->access));
        json_object_set_new(st, "capacity", ksv_storage(pv->capacity));
    }
    json_object_set_new(o, "status", st);
    if (claim && claim->terminating) {
        /* deleted, kept by its kubernetes.io/pvc-protection finalizer: the
           time of the delete, set once (a claim's grace is 0) */
        ksv_set_time(c, json_object_get(o, "metadata"), "deletionTimestamp", claim->deleted_at);
        ksv_set_int(json_object_get(o, "metadata"), "deletionGracePeriodSeconds", 0);
    }
    return o;
}

json_t *ksv_storageclass(const ksv_ctx *c, ks_id id, const ks_object *so)
{
    const ks_storageclass_spec *sc = &so->u.sc;
    json_t *meta = ksv_meta(c, so->meta.name, NULL, id, KSV_UID_OBJECT, ks_cluster_created(c->sim, id),
                            &so->meta.labels, &so->meta.annotations);
    json_t *o = ksv_object("storage.k8s.io/v1", "StorageClass", meta);
    if (!o)
        return NULL;
    ksv_set_str(o, "provisioner", sc->provisioner);
    ksv_set_str(o, "reclaimPolicy", sc->reclaim ? sc->reclaim : "Delete");
    ksv_set_str(o, "volumeBindingMode", sc->wait_for_consumer ? "WaitForFirstConsumer"
                                                               : "Immediate");
    return o;
}

/* core/v1 Event, named <object>.<16 hex digits> like the event recorder's. */
json_t *ksv_event(const ksv_ctx *c, size_t i, uint64_t key)
{
    const ks_k8s_event *e = ks_cluster_event(c->sim, i);
    const char *ns = ks_kubectl_event_namespace(c->sim, i);
    json_t *meta, *o, *inv;
    char name[320], uid[40];
    const char *api = e->kind == KS_KIND_DEPLOYMENT || e->kind == KS_KIND_REPLICASET ? "apps/v1"
                                                                                      : "v1";
    snprintf(name, sizeof name, "%s.%016llx", e->name ? e->name : "kubesim",
             (unsigned long long)key);
    meta = ksv_meta(c, name, ns, key, KSV_UID_EVENT, e->first, NULL, NULL);
    if (!(o = ksv_object("v1", "Event", meta)))
        return NULL;
    inv = json_object();
    ksv_set_str(inv, "kind", ks_kind_name(e->kind));
    if (e->kind != KS_KIND_NODE)
        ksv_set_str(inv, "namespace", ns);
    ksv_set_str(inv, "name", e->name);
    ksv_uid(e->object, KSV_UID_OBJECT, uid);
    if (e->object)
        ksv_set_str(inv, "uid", uid);
    ksv_set_str(inv, "apiVersion", api);
    json_object_set_new(o, "involvedObject", inv);
    ksv_set_str(o, "reason", e->reason);
    ksv_set_str(o, "message", e->message);
    json_object_set_new(o, "source", json_pack("{ss}", "component", e->source ? e->source : ""));
    ksv_set_time(c, o, "firstTimestamp", e->first);
    ksv_set_time(c, o, "lastTimestamp", e->last);
    ksv_set_int(o, "count", e->count);
    ksv_set_str(o, "type", e->warning ? "Warning" : "Normal");
    json_object_set_new(o, "eventTime", json_null());
    ksv_set_str(o, "reportingComponent", e->source ? e->source : "");
    ksv_set_str(o, "reportingInstance", "");
    return o;
}
