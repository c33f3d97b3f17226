/* kvf_count.c -- see kvf_count.h. A data volume is one whose contents a
 * container writes and kubesim counts as records (sim/storage/ks_data.c:
 * emptyDir, hostPath, a claim); ConfigMap, Secret, downward API and
 * projected volumes are read-only files the cluster put there. */
#include "kvf_count.h"

#include <stdbool.h>
#include <string.h>

#define MOUNTS_WORD "{mounts}"

/* Whether the volume named name in pod p holds data its containers write. */
static bool data_volume(json_t *p, const char *name)
{
    static const char *const kinds[] = {"emptyDir", "hostPath", "persistentVolumeClaim",
                                        "ephemeral"};
    json_t *v;
    size_t i, k;
    json_array_foreach(json_object_get(json_object_get(p, "spec"), "volumes"), i, v) {
        const char *n = json_string_value(json_object_get(v, "name"));
        if (!n || strcmp(n, name) != 0)
            continue;
        for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (json_object_get(v, kinds[k]))
                return true;
        return false;
    }
    return false;
}

size_t kvf_count_argv(const char *const *count, size_t ncount, json_t *p, json_t *c,
                      const char *vol, const char **argv, size_t max)
{
    size_t i, j, n = 0, before;
    json_t *m;
    for (i = 0; i < ncount; i++) {
        if (strcmp(count[i], MOUNTS_WORD) != 0) {
            if (n == max)
                return 0;
            argv[n++] = count[i];
            continue;
        }
        before = n;
        json_array_foreach(json_object_get(c, "volumeMounts"), j, m) {
            const char *name = json_string_value(json_object_get(m, "name"));
            const char *path = json_string_value(json_object_get(m, "mountPath"));
            if (!name || !path || (vol ? strcmp(name, vol) != 0 : !data_volume(p, name)))
                continue;
            if (n == max)
                return 0;
            argv[n++] = path;
        }
        if (n == before)
            return 0;
    }
    return n;
}
