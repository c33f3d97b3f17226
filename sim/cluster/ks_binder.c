/* ks_storage.c -- PersistentVolumes, claims and StorageClasses: the binder,
 * the dynamic provisioner, reclaim policies, in-use protection.
 *
 * Rules (KUBERNETES.md section 11): a claim binds to the smallest Available
 * volume of its class whose access modes include the requested ones and
 * whose capacity covers the request; `storageClassName: ""` binds only to
 * class-less volumes; no class means the default class. A class with a
 * provisioner creates a volume for the claim (Immediate: at once;
 * WaitForFirstConsumer: once a pod using it is scheduled). Deleting a
 * claim in use leaves it Terminating until no pod uses it; then its volume
 * is deleted (reclaim Delete) or Released (Retain, never re-bound).
 * The default cluster has minikube's class: `standard`, provisioner
 * k8s.io/minikube-hostpath, Immediate, Delete.
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"
#include "load/ks_validate.h"

static ksi_pvc *pvc_get(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r && r->kind == KS_KIND_PVC ? r->ptr : NULL;
}

static ksi_pv *pv_get(const ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    return r && r->kind == KS_KIND_PV ? r->ptr : NULL;
}

const ks_pvc *ks_cluster_pvc(const ks_sim *sim, ks_id id)
{
    ksi_pvc *c = pvc_get(sim, id);
    return c ? &c->pub : NULL;
}

const ks_pv *ks_cluster_pv(const ks_sim *sim, ks_id id)
{
    ksi_pv *v = pv_get(sim, id);
    return v ? &v->pub : NULL;
}

/* The StorageClass object named name, or NULL. */
static const ks_object *find_class(const ks_sim *sim, const char *name)
{
    return ks_cluster_object(sim, ks_cluster_find(sim, KS_KIND_STORAGECLASS, NULL, name));
}

/* The default class (the newest, if several). */
static const ks_object *default_class(const ks_sim *sim)
{
    const ks_object *best = NULL;
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_STORAGECLASS, id)) != 0) {
        const ks_object *o = ks_cluster_object(sim, id);
        if (o && o->u.sc.is_default)
            best = o;
    }
    return best;
}

/* ---- binding ---------------------------------------------------------------------- */
static void bind(ks_sim *sim, ksi_pvc *c, ksi_pv *v)
{
    char cap[32];
    c->pub.pv = v->pub.id;
    c->pub.phase = "Bound";
    c->pub.pending_reason[0] = '\0';
    v->pub.claim = c->pub.id;
    v->pub.claim_ns = c->pub.obj->meta.ns;
    v->pub.claim_name = c->pub.obj->meta.name;
    v->pub.phase = "Bound";
    ks_quantity_format_bytes(v->pub.capacity, cap, sizeof cap);
    ksi_storage_trace(sim, "Bound", c->pub.obj->meta.name, v->pub.name, v->pub.capacity);
    ksi_sched_kick(sim);
}

static bool pv_fits(const ksi_pv *v, const ksi_pvc *c)
{
    const ks_pvc_spec *s = &c->pub.obj->u.pvc;
    if (strcmp(v->pub.phase, "Available") != 0)
        return false;
    if (v->pub.obj && v->pub.obj->u.pv.claim_name
        && (strcmp(v->pub.obj->u.pv.claim_name, c->pub.obj->meta.name) != 0
            || strcmp(v->pub.obj->u.pv.claim_ns, c->pub.obj->meta.ns) != 0))
        return false;                    /* reserved for another claim */
    if (strcmp(v->pub.storage_class, c->pub.storage_class) != 0)
        return false;
    if ((v->pub.access & s->access) != s->access)
        return false;
    return v->pub.capacity >= s->request;
}

static ksi_pv *new_pv(ks_sim *sim, const char *name, const ks_object *o)
{
    ksi_pv *v = ksi_zalloc(sim, sizeof *v);
    if (!v)
        return NULL;
    v->pub.name = name;
    v->pub.obj = o;
    v->pub.phase = "Available";
    v->pub.id = ksi_store_add(sim, KS_KIND_PV, v, o);
    return v->pub.id ? v : NULL;
}

/* A volume for the claim from its class's provisioner. */
static void provision(ks_sim *sim, ksi_pvc *c, const ks_object *sc)
{
    char uid[40];
    ks_rng *r = ks_sim_rng(sim, KS_RNG_NAMES);
    ksi_pv *v;
    snprintf(uid, sizeof uid, "%08llx-%04llx-%04llx",
             (unsigned long long)ks_rng_below(r, 0xffffffffULL),
             (unsigned long long)ks_rng_below(r, 0xffff),
             (unsigned long long)ks_rng_below(r, 0xffff));
    v = new_pv(sim, ksi_printf(sim, "pvc-%s", uid), NULL);
    if (!v)
        return;
    v->pub.capacity = c->pub.obj->u.pvc.request;
    v->pub.access = c->pub.obj->u.pvc.access;
    v->pub.reclaim = sc->u.sc.reclaim;
    v->pub.storage_class = sc->meta.name;
    ksi_event(sim, false, "Provisioning", KS_KIND_PVC, c->pub.obj->meta.name, c->pub.id,
              sc->u.sc.provisioner, "External provisioner is provisioning volume for claim "
              "\"%s/%s\"", c->pub.obj->meta.ns, c->pub.obj->meta.name);
    ksi_event(sim, false, "ProvisioningSucceeded", KS_KIND_PVC, c->pub.obj->meta.name,
              c->pub.id, sc->u.sc.provisioner, "Successfully provisioned volume %s",
              v->pub.name);
    ksi_storage_trace(sim, "Provisioned", c->pub.obj->meta.name, v->pub.name, v->pub.capacity);
    bind(sim, c, v);
}

/* Whether a scheduled pod uses the claim (WaitForFirstConsumer). */
static bool has_consumer(const ks_sim *sim, const ksi_pvc *c)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        size_t i;
        if (strcmp(p->ns, c->pub.obj->meta.ns) != 0 || p->terminating)
            continue;
        for (i = 0; i < p->spec->nvolumes; i++)
            if (p->spec->volumes[i].type == KS_VOL_PVC
                && strcmp(p->spec->volumes[i].source, c->pub.obj->meta.name) == 0)
                return true;
    }
    return false;
}

static void try_bind(ks_sim *sim, ksi_pvc *c)
{
    const ks_pvc_spec *s = &c->pub.obj->u.pvc;
    const ks_object *sc;
    ksi_pv *best = NULL;
    ks_id id = 0;
    char reason[200];
    if (strcmp(c->pub.phase, "Pending") != 0 || c->pub.terminating)
        return;
    while ((id = ks_cluster_next(sim, KS_KIND_PV, id)) != 0) {
        ksi_pv *v = pv_get(sim, id);
        if (s->volume_name && strcmp(v->pub.name, s->volume_name) != 0)
            continue;
        if (pv_fits(v, c) && (!best || v->pub.capacity < best->pub.capacity))
            best = v;                     /* the smallest that fits */
    }
    if (best) {
        bind(sim, c, best);
        return;
    }
    sc = c->pub.storage_class[0] ? find_class(sim, c->pub.storage_class) : NULL;
    if (sc && !s->volume_name) {
        if (!sc->u.sc.wait_for_consumer || has_consumer(sim, c)) {
            provision(sim, c, sc);
            return;
        }
        snprintf(reason, sizeof reason,
                 "waiting for first consumer to be created before binding");
        if (strcmp(c->pub.pending_reason, reason) != 0)
            ksi_event(sim, false, "WaitForFirstConsumer", KS_KIND_PVC, c->pub.obj->meta.name,
                      c->pub.id, "persistentvolume-controller", "%s", reason);
    } else if (c->pub.storage_class[0] && !sc) {
        snprintf(reason, sizeof reason, "storageclass.storage.k8s.io \"%s\" not found",
                 c->pub.storage_class);
        if (strcmp(c->pub.pending_reason, reason) != 0)
            ksi_event(sim, true, "ProvisioningFailed", KS_KIND_PVC, c->pub.obj->meta.name,
                      c->pub.id, "persistentvolume-controller", "%s", reason);
    } else {
        snprintf(reason, sizeof reason, "no persistent volumes available for this claim and "
                                        "no storage class is set");
        if (strcmp(c->pub.pending_reason, reason) != 0)
            ksi_event(sim, false, "FailedBinding", KS_KIND_PVC, c->pub.obj->meta.name,
                      c->pub.id, "persistentvolume-controller", "%s", reason);
    }
    snprintf(c->pub.pending_reason, sizeof c->pub.pending_reason, "%s", reason);
}

static void sync_storage(ks_sim *sim, void *subject, uint64_t arg)
{
    ks_id id = 0;
    (void)subject;
    (void)arg;
    while ((id = ks_cluster_next(sim, KS_KIND_PVC, id)) != 0)
        try_bind(sim, pvc_get(sim, id));
    ksi_storage_release_unused(sim);
}

void ksi_storage_dirty(ks_sim *sim)
{
    ksi_cluster *c = sim->cluster;
    if (!ks_event_pending(sim, c->storage_event))
        c->storage_event = ks_event_schedule(sim, ks_now(sim), 205, sync_storage, NULL, 0);
}

/* ---- apply / delete ---------------------------------------------------------------------- */
int ksi_storage_apply(ks_sim *sim, ks_id id, const ks_object *o, ks_error *err)
{
    ksi_ref *r;
    if (o->kind == KS_KIND_STORAGECLASS) {
        if (!id && !ksi_store_add(sim, KS_KIND_STORAGECLASS, NULL, o))
            return KS_ENOMEM;
    } else if (o->kind == KS_KIND_PV) {
        ksi_pv *v = id ? pv_get(sim, id) : new_pv(sim, o->meta.name, o);
        if (!v)
            return KS_ENOMEM;
        v->pub.obj = o;
        v->pub.capacity = o->u.pv.capacity;
        v->pub.access = o->u.pv.access;
        v->pub.reclaim = o->u.pv.reclaim;
        v->pub.storage_class = o->u.pv.storage_class ? o->u.pv.storage_class : "";
    } else {
        ksi_pvc *c = pvc_get(sim, id);
        if (c) {
            if (c->pub.obj->u.pvc.request != o->u.pvc.request
                || c->pub.obj->u.pvc.access != o->u.pvc.access) {
                ks_error_set(err, KS_EINVAL, o->mark,
                             "The PersistentVolumeClaim \"%s\" is invalid: spec: Forbidden: "
                             "spec is immutable after creation except resources.requests for "
                             "bound claims", o->meta.name);
                return KS_EINVAL;
            }
        } else {
            const ks_object *sc;
            c = ksi_zalloc(sim, sizeof *c);
            if (!c || !(c->pub.id = ksi_store_add(sim, KS_KIND_PVC, c, o)))
                return KS_ENOMEM;
            c->pub.phase = "Pending";
            /* no class: the default class, if there is one */
            sc = o->u.pvc.storage_class ? NULL : default_class(sim);
            c->pub.storage_class = o->u.pvc.storage_class ? o->u.pvc.storage_class
                                   : sc ? sc->meta.name : "";
        }
        c->pub.obj = o;
    }
    if ((r = ksi_store_ref(sim, id)) != NULL)
        r->applied = o;
    ksi_storage_dirty(sim);
    return ks_sim_status(sim);
}

static bool claim_in_use(const ks_sim *sim, const ksi_pvc *c)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        size_t i;
        if (strcmp(p->ns, c->pub.obj->meta.ns) != 0)
            continue;
        for (i = 0; i < p->spec->nvolumes; i++)
            if (p->spec->volumes[i].type == KS_VOL_PVC
                && strcmp(p->spec->volumes[i].source, c->pub.obj->meta.name) == 0)
                return true;
    }
    return false;
}

/* The claim is gone: its volume follows its reclaim policy. */
static void finish_claim(ks_sim *sim, ksi_pvc *c)
{
    ksi_pv *v = pv_get(sim, c->pub.pv);
    if (v) {
        v->pub.claim = 0;
        if (strcmp(v->pub.reclaim, "Delete") == 0) {
            ksi_storage_trace(sim, "Deleted", c->pub.obj->meta.name, v->pub.name, 0);
            ksi_data_drop_pv(sim, v, "its claim was deleted and its reclaim policy is Delete");
            ksi_store_remove(sim, v->pub.id);
        } else {
            v->pub.phase = "Released";
            ksi_storage_trace(sim, "Released", c->pub.obj->meta.name, v->pub.name, 0);
        }
    }
    ksi_store_remove(sim, c->pub.id);
}

void ksi_storage_release_unused(ks_sim *sim)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_PVC, id)) != 0) {
        ksi_pvc *c = pvc_get(sim, id);
        if (c->pub.terminating && !claim_in_use(sim, c))
            finish_claim(sim, c);
    }
}

int ksi_storage_delete(ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    if (r->kind == KS_KIND_PVC) {
        ksi_pvc *c = r->ptr;
        c->pub.terminating = true;       /* kubernetes.io/pvc-protection */
        ksi_storage_dirty(sim);
        return KS_OK;
    }
    if (r->kind == KS_KIND_PV) {
        ksi_pv *v = r->ptr;
        if (v->pub.claim)
            return KS_EINVAL;            /* kubernetes.io/pv-protection */
        ksi_data_drop_pv(sim, v, "the volume was deleted");
    }
    ksi_store_remove(sim, id);
    return KS_OK;
}

/* ---- the scheduler's question ------------------------------------------------------------------ */
bool ksi_storage_pod_ready(ks_sim *sim, const ks_pod *p, char *why, size_t n)
{
    size_t i;
    bool ok = true;
    for (i = 0; i < p->spec->nvolumes; i++) {
        const ks_volume *vol = &p->spec->volumes[i];
        ksi_pvc *c;
        const ks_object *sc;
        if (vol->type != KS_VOL_PVC)
            continue;
        c = pvc_get(sim, ks_cluster_find(sim, KS_KIND_PVC, p->ns, vol->source));
        if (!c) {
            snprintf(why, n, "persistentvolumeclaim \"%s\" not found", vol->source);
            return false;
        }
        if (c->pub.terminating) {
            snprintf(why, n, "persistentvolumeclaim \"%s\" is being deleted", vol->source);
            return false;
        }
        if (strcmp(c->pub.phase, "Bound") == 0)
            continue;
        sc = c->pub.storage_class[0] ? find_class(sim, c->pub.storage_class) : NULL;
        if (sc && sc->u.sc.wait_for_consumer) {
            provision(sim, c, sc);       /* the first consumer is here */
            continue;
        }
        snprintf(why, n, "pod has unbound immediate PersistentVolumeClaims");
        ok = false;
    }
    return ok;
}

/* ---- the default class -------------------------------------------------------------------------- */
int ksi_storage_init(ks_sim *sim)
{
    ks_object *o = ksi_zalloc(sim, sizeof *o);
    ks_kv *ann = ksi_zalloc(sim, sizeof *ann);
    if (!o || !ann)
        return KS_ENOMEM;
    o->kind = KS_KIND_STORAGECLASS;
    o->api_version = "storage.k8s.io/v1";
    o->meta.name = "standard";
    o->meta.ns = "default";
    ann->key = "storageclass.kubernetes.io/is-default-class";
    ann->value = "true";
    o->meta.annotations.items = ann;
    o->meta.annotations.n = 1;
    o->u.sc.provisioner = "k8s.io/minikube-hostpath";
    o->u.sc.reclaim = "Delete";
    o->u.sc.is_default = true;
    return ksi_store_add(sim, KS_KIND_STORAGECLASS, NULL, o) ? KS_OK : KS_ENOMEM;
}

void ksi_storage_trace(ks_sim *sim, const char *what, const char *claim, const char *pv,
                       int64_t capacity)
{
    ks_trace_event tev;
    memset(&tev, 0, sizeof tev);
    tev.type = KS_TR_VOLUME;
    tev.kind = "PersistentVolumeClaim";
    tev.name = claim;
    tev.reason = what;
    tev.msg = pv;
    tev.n[0] = capacity;
    ks_trace_emit(sim, &tev);
}
