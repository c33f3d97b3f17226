/* ks_claims.c -- PersistentVolumeClaims, PersistentVolumes and
 * StorageClasses as the API server keeps them (immutable claim specs,
 * pv-protection, pvc-protection's terminating mark, the default class
 * admitted into class-less claims), and the two acts the controllers share:
 * binding a claim to a volume and provisioning a volume for a claim.
 * The default cluster has minikube's class: `standard`, provisioner
 * k8s.io/minikube-hostpath, Immediate, Delete (KUBERNETES.md section 11).
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"
#include "load/ks_validate.h"

const ks_pvc *ks_cluster_pvc(const ks_sim *sim, ks_id id)
{
    ksi_pvc *c = ksi_pvc_get(sim, id);
    return c ? &c->pub : NULL;
}

const ks_pv *ks_cluster_pv(const ks_sim *sim, ks_id id)
{
    ksi_pv *v = ksi_pv_get(sim, id);
    return v ? &v->pub : NULL;
}

const ks_object *ksi_claims_class(const ks_sim *sim, const char *name)
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
void ksi_claims_bind(ks_sim *sim, ksi_pvc *c, ksi_pv *v)
{
    ks_pvc old_claim = c->pub;
    ks_pv old_volume = v->pub;
    char cap[32];
    c->pub.pv = v->pub.id;
    c->pub.phase = "Bound";
    c->pub.pending_reason[0] = '\0';
    v->pub.claim = c->pub.id;
    v->pub.claim_ns = c->pub.obj->meta.ns;
    v->pub.claim_name = c->pub.obj->meta.name;
    v->pub.phase = "Bound";
    ks_quantity_format_bytes(v->pub.capacity, cap, sizeof cap);
    ksi_claims_trace(sim, "Bound", c->pub.obj->meta.name, v->pub.name, v->pub.capacity);
    ksi_store_update(sim, v->pub.id, &old_volume);
    ksi_store_update(sim, c->pub.id, &old_claim);
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
    return v->pub.id ? v : NULL;           /* told once complete */
}

void ksi_claims_provision(ks_sim *sim, ksi_pvc *c, const ks_object *sc)
{
    char uid[40];
    ks_rng *r = ks_sim_rng(sim, KS_RNG_NAMES);
    ksi_pv *v;
    /* one draw per statement: C leaves the order of arguments open (gcc and
       clang differ). Last group first: the order gcc used, so traces pinned
       before stay the same. */
    unsigned long long g3 = ks_rng_below(r, 0xffff);
    unsigned long long g2 = ks_rng_below(r, 0xffff);
    unsigned long long g1 = ks_rng_below(r, 0xffffffffULL);
    snprintf(uid, sizeof uid, "%08llx-%04llx-%04llx", g1, g2, g3);
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
    ksi_store_added(sim, v->pub.id);
    ksi_claims_trace(sim, "Provisioned", c->pub.obj->meta.name, v->pub.name, v->pub.capacity);
    ksi_claims_bind(sim, c, v);
}

/* ---- apply / delete ---------------------------------------------------------------------- */
int ksi_claims_apply(ks_sim *sim, ks_id id, const ks_object *o, ks_error *err)
{
    ksi_ref *r;
    if (o->kind == KS_KIND_STORAGECLASS) {
        if (!id && !ksi_store_add(sim, KS_KIND_STORAGECLASS, NULL, o))
            return KS_ENOMEM;
    } else if (o->kind == KS_KIND_PV) {
        ksi_pv *v = id ? ksi_pv_get(sim, id) : new_pv(sim, o->meta.name, o);
        if (!v)
            return KS_ENOMEM;
        v->pub.obj = o;
        v->pub.capacity = o->u.pv.capacity;
        v->pub.access = o->u.pv.access;
        v->pub.reclaim = o->u.pv.reclaim;
        v->pub.storage_class = o->u.pv.storage_class ? o->u.pv.storage_class : "";
    } else {
        ksi_pvc *c = ksi_pvc_get(sim, id);
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
    return ks_sim_status(sim);              /* the caller tells the store */
}

int ksi_claims_delete(ks_sim *sim, ks_id id)
{
    ksi_ref *r = ksi_store_ref(sim, id);
    if (r->kind == KS_KIND_PVC) {
        ksi_pvc *c = r->ptr;
        ks_pvc old = c->pub;
        if (c->pub.terminating)
            return ks_sim_status(sim);   /* deleted again: nothing moves */
        c->pub.terminating = true;       /* kubernetes.io/pvc-protection */
        c->pub.deleted_at = ks_now(sim);
        ksi_store_update(sim, id, &old);
        return ks_sim_status(sim);
    }
    if (r->kind == KS_KIND_PV) {
        ksi_pv *v = r->ptr;
        if (v->pub.claim)
            return KS_EINVAL;            /* kubernetes.io/pv-protection */
    }
    ksi_store_remove(sim, id);           /* its data goes with it (storage/) */
    return ks_sim_status(sim);
}

/* ---- the default class -------------------------------------------------------------------------- */
int ksi_claims_init(ks_sim *sim)
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
    if (!ksi_store_add(sim, KS_KIND_STORAGECLASS, NULL, o))
        return KS_ENOMEM;
    return KS_OK;                        /* there is no one to tell yet */
}

void ksi_claims_trace(ks_sim *sim, const char *what, const char *claim, const char *pv,
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
