/* ks_binder.c -- the PersistentVolume controller: binds each pending claim
 * to the smallest Available volume of its class whose access modes include
 * the requested ones and whose capacity covers the request
 * (`storageClassName: ""` binds only to class-less volumes), or has the
 * class's provisioner make one (Immediate: at once; WaitForFirstConsumer:
 * the scheduler asks for it once a pod using the claim is placed); a claim
 * deleted while in use stays Terminating until no pod uses it, then its
 * volume is deleted (reclaim Delete, with its data) or Released (Retain,
 * never bound again). KUBERNETES.md section 11;
 * pkg/controller/volume/persistentvolume/pv_controller.go.
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

typedef struct binder {
    ksi_workqueue queue;              /* one key: the whole sync */
} binder;

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
    ks_pvc old = c->pub;
    const ks_pvc_spec *s = &c->pub.obj->u.pvc;
    const ks_object *sc;
    ksi_pv *best = NULL;
    ks_id id = 0;
    char reason[200];
    if (strcmp(c->pub.phase, "Pending") != 0 || c->pub.terminating)
        return;
    while ((id = ks_cluster_next(sim, KS_KIND_PV, id)) != 0) {
        ksi_pv *v = ksi_pv_get(sim, id);
        if (s->volume_name && strcmp(v->pub.name, s->volume_name) != 0)
            continue;
        if (pv_fits(v, c) && (!best || v->pub.capacity < best->pub.capacity))
            best = v;                     /* the smallest that fits */
    }
    if (best) {
        ksi_claims_bind(sim, c, best);
        return;
    }
    sc = c->pub.storage_class[0] ? ksi_claims_class(sim, c->pub.storage_class) : NULL;
    if (sc && !s->volume_name) {
        if (!sc->u.sc.wait_for_consumer || has_consumer(sim, c)) {
            ksi_claims_provision(sim, c, sc);
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
    if (strcmp(c->pub.pending_reason, reason) != 0) {
        snprintf(c->pub.pending_reason, sizeof c->pub.pending_reason, "%s", reason);
        ksi_store_update(sim, c->pub.id, &old);
    }
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
    ksi_pv *v = ksi_pv_get(sim, c->pub.pv);
    if (v) {
        ks_pv old = v->pub;
        v->pub.claim = 0;
        if (strcmp(v->pub.reclaim, "Delete") == 0) {
            ksi_claims_trace(sim, "Deleted", c->pub.obj->meta.name, v->pub.name, 0);
            ksi_store_remove(sim, v->pub.id);    /* its data goes with it */
        } else {
            v->pub.phase = "Released";
            ksi_claims_trace(sim, "Released", c->pub.obj->meta.name, v->pub.name, 0);
            ksi_store_update(sim, v->pub.id, &old);
        }
    }
    ksi_store_remove(sim, c->pub.id);
}

/* Claims are synced together, oldest first, then the deleted ones are
 * finished: the volumes of one class are shared between claims. */
static void sync_volumes(ks_sim *sim, void *ud, ks_id key)
{
    ks_id id = 0;
    (void)ud;
    (void)key;
    while ((id = ks_cluster_next(sim, KS_KIND_PVC, id)) != 0)
        try_bind(sim, ksi_pvc_get(sim, id));
    id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_PVC, id)) != 0) {
        ksi_pvc *c = ksi_pvc_get(sim, id);
        if (c->pub.terminating && !claim_in_use(sim, c))
            finish_claim(sim, c);
    }
}

/* ---- what it hears ---------------------------------------------------------------------- */
static void on_storage(ks_sim *sim, const ksi_change *ch, void *ud)
{
    binder *b = ud;
    if (ch->type != KS_DELETED)
        ksi_wq_add(sim, &b->queue, 0);
}

/* pvc-protection: the last pod using a deleted claim is gone. */
static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    binder *b = ud;
    const ksi_pod *p = ch->obj;
    size_t i;
    if (ch->type != KS_DELETED)
        return;
    for (i = 0; i < p->pub.spec->nvolumes; i++) {
        const ks_volume *v = &p->pub.spec->volumes[i];
        const ksi_pvc *c;
        if (v->type != KS_VOL_PVC)
            continue;
        c = ksi_pvc_get(sim, ks_cluster_find(sim, KS_KIND_PVC, p->pub.ns, v->source));
        if (c && c->pub.terminating)
            ksi_wq_add(sim, &b->queue, 0);
    }
}

static void stop(ks_sim *sim, void *ud)
{
    binder *b = ud;
    ksi_wq_fini(sim, &b->queue);
}

int ksi_ctl_binder(ks_sim *sim)
{
    binder *b = ksi_zalloc(sim, sizeof *b);
    if (!b
        || ksi_wq_init(sim, &b->queue, KSI_PRIO_VOLUMES, KSI_WQ_NEWEST_FIRST, sync_volumes, b)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_PVC) | KSI_KIND_BIT(KS_KIND_PV)
                                 | KSI_KIND_BIT(KS_KIND_STORAGECLASS), on_storage, b)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_POD), on_pod, b)
        || ksi_sim_add_part(sim, stop, b))
        return KS_ENOMEM;
    return KS_OK;
}
