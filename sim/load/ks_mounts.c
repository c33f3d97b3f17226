/* ks_mounts.c -- where a path of a container lies, and whether it can be
 * written there (ks_mounts.h). */
#include <string.h>

#include "ks_mounts.h"

const ks_volume *ks_mount_volume(const ks_pod_spec *ps, const ks_mount *m)
{
    size_t i;
    for (i = 0; i < ps->nvolumes; i++)
        if (strcmp(ps->volumes[i].name, m->name) == 0)
            return &ps->volumes[i];
    return NULL;
}

const ks_mount *ks_mount_of(const ks_pod_spec *ps, const ks_container *c, const char *path,
                            const ks_volume **vol, const char **rest)
{
    const ks_mount *best = NULL;
    size_t i, best_len = 0;
    *vol = NULL;
    *rest = path;
    for (i = 0; i < c->nmounts; i++) {
        const ks_mount *m = &c->mounts[i];
        size_t l = strlen(m->path);
        while (l > 1 && m->path[l - 1] == '/')
            l--;
        if (strncmp(path, m->path, l) == 0 && (path[l] == '/' || path[l] == '\0')
            && l >= best_len) {
            best = m;
            best_len = l;
        }
    }
    if (!best)
        return NULL;
    *rest = path + best_len + (path[best_len] == '/');
    *vol = ks_mount_volume(ps, best);
    return best;
}

const char *ks_mount_read_only(const ks_pod_spec *ps, const ks_container *c, const char *path)
{
    const ks_volume *v;
    const char *rest;
    const ks_mount *m = ks_mount_of(ps, c, path, &v, &rest);
    if (!m)
        return NULL;              /* the container's own layer */
    if (m->read_only)
        return "readOnly: true";
    switch (v ? v->type : KS_VOL_OTHER) {
    case KS_VOL_CONFIGMAP:
        return "a configMap volume";
    case KS_VOL_SECRET:
        return "a secret volume";
    case KS_VOL_DOWNWARD_API:
        return "a downwardAPI volume";
    case KS_VOL_PROJECTED:
        return "a projected volume";
    case KS_VOL_PVC:
        return v->read_only ? "a claim with readOnly: true" : NULL;
    default:
        return NULL;
    }
}
