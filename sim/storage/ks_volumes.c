/* ks_volumes.c -- the volumes a pod mounts, as the kubelet checks them
 * before its containers start: Secret and ConfigMap volumes must name
 * existing objects (else FailedMount with the kubelet's words), claims must
 * exist. */
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "node/internal/workload.h"

bool ksi_volumes_ready(ks_sim *sim, ksi_pod *p, char *why, size_t n)
{
    size_t i;
    for (i = 0; i < p->pub.spec->nvolumes; i++) {
        const ks_volume *v = &p->pub.spec->volumes[i];
        ks_kind kind;
        const char *what;
        if (v->type == KS_VOL_SECRET) {
            kind = KS_KIND_SECRET;
            what = "secret";
        } else if (v->type == KS_VOL_CONFIGMAP) {
            kind = KS_KIND_CONFIGMAP;
            what = "configmap";
        } else if (v->type == KS_VOL_PVC) {
            kind = KS_KIND_PVC;
            what = "persistentvolumeclaim";
        } else {
            continue;
        }
        if (!ks_cluster_find(sim, kind, p->pub.ns, v->source)) {
            snprintf(why, n, "MountVolume.SetUp failed for volume \"%s\" : %s \"%s\" not found",
                     v->name, what, v->source);
            return false;
        }
    }
    return true;
}

void ksi_volumes_attach(ks_sim *sim, ksi_pod *p)
{
    (void)sim;
    (void)p;
}

void ksi_volumes_detach(ks_sim *sim, ksi_pod *p)
{
    (void)sim;
    (void)p;
}
