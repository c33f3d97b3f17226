/* ks_mounts.h -- where a path of a container lies: the volumeMount it is
 * under, that mount's volume, and whether the mount is read-only, from the
 * pod's spec alone (the data layer asks at run time, kubesim check before).
 * Depends on: ks_manifest (the pod spec).
 */
#ifndef KS_MOUNTS_H
#define KS_MOUNTS_H

#include "load/ks_manifest.h"

/* The mount of container c that path lies under (the deepest), its volume
 * in *vol (NULL when the pod has none of its name) and *rest, the path
 * inside the mount; NULL when the path is in the container's own layer. */
const ks_mount *ks_mount_of(const ks_pod_spec *ps, const ks_container *c, const char *path,
                            const ks_volume **vol, const char **rest);
/* The volume m mounts, NULL when the pod has none of that name. */
const ks_volume *ks_mount_volume(const ks_pod_spec *ps, const ks_mount *m);
/* Why path lies on a read-only mount, which refuses every write (EROFS):
 * "readOnly: true" on its volumeMount, "a configMap volume" (also secret,
 * downwardAPI, projected: the kubelet always mounts these read-only, their
 * plugins' GetAttributes ReadOnly: true, pkg/volume/configmap etc.;
 * kubelet_pods.go makeMounts: ReadOnly: mount.ReadOnly || mustMountRO),
 * "a claim with readOnly: true"; NULL when it is writable. */
const char *ks_mount_read_only(const ks_pod_spec *ps, const ks_container *c, const char *path);

#endif
