/* ks_template_hash.c -- a pod template's hash over the template as the API
 * server keeps it, after defaulting: the Deployment controller names a
 * ReplicaSet by controller.ComputeHash of its template as read back from the
 * API server (pkg/controller/controller_utils.go; the template is defaulted
 * when stored, pkg/apis/core/v1/defaults.go), so a template sent again with
 * the server's defaults written out (`kubectl get deploy -o yaml | kubectl
 * replace -f -`) or its keys in another order is the same template: no new
 * ReplicaSet, no rollout. kubesim hashes the manifest's YAML with what
 * defaulting fills in left out and each map's keys in any order:
 *   - a default the API server writes, where it writes it (dnsPolicy
 *     ClusterFirst, restartPolicy Always, imagePullPolicy by the image's
 *     tag, protocol TCP, a probe's periods, httpGet's path / and scheme HTTP,
 *     a volume's defaultMode 420, fieldRef's apiVersion v1...);
 *   - serviceAccount, the deprecated alias of serviceAccountName;
 *   - what is empty (null, "", {}, []: omitempty, and an empty volume
 *     source is emptyDir, SetDefaults_Volume);
 *   - a quantity by its value ("0.5" is "500m").
 * Fields kubesim does not read (tolerations, affinity...) are hashed as
 * written: changing them changes the template, as on a real cluster. */
#include <stdio.h>
#include <string.h>

#include "load/ks_manifest.h"
#include "load/ks_validate.h"
#include "load/ks_yaml.h"

/* Where in a template a map is: what its keys default to. */
typedef enum where {
    W_OTHER, W_TEMPLATE, W_POD, W_CONTAINERS, W_CONTAINER, W_PORTS, W_PORT, W_PROBE,
    W_HTTPGET, W_RESOURCES, W_QUANTITIES, W_VOLUMES, W_VOLUME, W_VOLUME_FILES, W_ENVS, W_ENV,
    W_VALUE_FROM, W_FIELD_REF
} where;

static const struct {
    where in;
    const char *key, *value;
} defaults[] = {
    {W_POD, "dnsPolicy", "ClusterFirst"},
    {W_POD, "restartPolicy", "Always"},
    {W_POD, "schedulerName", "default-scheduler"},
    {W_POD, "terminationGracePeriodSeconds", "30"},
    {W_CONTAINER, "terminationMessagePath", "/dev/termination-log"},
    {W_CONTAINER, "terminationMessagePolicy", "File"},
    {W_PORT, "protocol", "TCP"},
    {W_PROBE, "initialDelaySeconds", "0"},
    {W_PROBE, "timeoutSeconds", "1"},
    {W_PROBE, "periodSeconds", "10"},
    {W_PROBE, "successThreshold", "1"},
    {W_PROBE, "failureThreshold", "3"},
    {W_HTTPGET, "path", "/"},
    {W_HTTPGET, "scheme", "HTTP"},
    {W_VOLUME_FILES, "defaultMode", "420"},
    {W_FIELD_REF, "apiVersion", "v1"},
};

static const struct {
    where in;
    const char *key;
    where to;
} inside[] = {
    {W_TEMPLATE, "spec", W_POD},
    {W_POD, "containers", W_CONTAINERS},
    {W_POD, "initContainers", W_CONTAINERS},
    {W_POD, "volumes", W_VOLUMES},
    {W_CONTAINER, "ports", W_PORTS},
    {W_CONTAINER, "livenessProbe", W_PROBE},
    {W_CONTAINER, "readinessProbe", W_PROBE},
    {W_CONTAINER, "startupProbe", W_PROBE},
    {W_CONTAINER, "resources", W_RESOURCES},
    {W_CONTAINER, "env", W_ENVS},
    {W_PROBE, "httpGet", W_HTTPGET},
    {W_RESOURCES, "requests", W_QUANTITIES},
    {W_RESOURCES, "limits", W_QUANTITIES},
    {W_VOLUME, "secret", W_VOLUME_FILES},
    {W_VOLUME, "configMap", W_VOLUME_FILES},
    {W_ENV, "valueFrom", W_VALUE_FROM},
    {W_VALUE_FROM, "fieldRef", W_FIELD_REF},
};

static where within(where w, const ks_yaml_node *key)
{
    size_t i;
    if (w == W_QUANTITIES)
        return W_QUANTITIES;                 /* each value of requests, limits */
    for (i = 0; i < sizeof inside / sizeof inside[0]; i++)
        if (inside[i].in == w && strcmp(inside[i].key, key->str) == 0)
            return inside[i].to;
    return W_OTHER;
}

/* an item of a list at w */
static where item_of(where w)
{
    return w == W_CONTAINERS ? W_CONTAINER : w == W_PORTS ? W_PORT : w == W_VOLUMES ? W_VOLUME
           : w == W_ENVS ? W_ENV : W_OTHER;
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static bool scalar_is(const ks_yaml_node *n, const char *s)
{
    return n && n->kind == KS_YAML_SCALAR && strcmp(n->str, s) == 0;
}

/* the value key has at w in map m when the API server defaults it, or NULL */
static const char *default_of(where w, const ks_yaml_node *m, const char *key)
{
    size_t i;
    if (w == W_CONTAINER && strcmp(key, "imagePullPolicy") == 0) {
        const ks_yaml_node *image = ks_yaml_get(m, "image");
        return ks_image_pull_policy(image && image->kind == KS_YAML_SCALAR ? image->str : "");
    }
    for (i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (defaults[i].in == w && strcmp(defaults[i].key, key) == 0)
            return defaults[i].value;
    return NULL;
}

/* The hash of n at w; false when n is empty (as if it were not there).
 * Recursion depth is bounded by the parser's max_depth. */
static bool hash_node(const ks_yaml_node *n, where w, uint64_t *out)
{
    uint64_t h = ks_yaml_fnv(0xcbf29ce484222325ULL, &n->kind, sizeof n->kind);
    size_t i, present = 0;
    if (n->kind == KS_YAML_SCALAR) {
        int64_t q;
        char buf[32];
        if (n->len == 0 || ks_yaml_is_null(n))
            return false;
        if (w == W_QUANTITIES && !ks_quantity_parse(n->str, -3, &q)) {
            snprintf(buf, sizeof buf, "%lld", (long long)q);
            *out = ks_yaml_fnv(h, buf, strlen(buf));
        } else {
            *out = ks_yaml_fnv(h, n->str, n->len);
        }
        return true;
    }
    if (n->kind == KS_YAML_SEQ) {
        for (i = 0; i < n->n; i++) {
            uint64_t v = 0;
            hash_node(n->items[i], item_of(w), &v);     /* an empty item is still one */
            h = mix(h ^ v);
        }
        *out = h;
        return n->n > 0;
    }
    for (i = 0; i < n->n; i++) {                        /* a map: keys in any order */
        const ks_yaml_node *k = n->items[2 * i], *v = n->items[2 * i + 1];
        const char *key = k->kind == KS_YAML_SCALAR ? k->str : "";
        const char *def = default_of(w, n, key);
        uint64_t vh;
        if (def && scalar_is(v, def))
            continue;
        if (w == W_POD && strcmp(key, "serviceAccount") == 0) {
            if (ks_yaml_get(n, "serviceAccountName"))
                continue;                               /* the alias of that */
            key = "serviceAccountName";
        }
        if (!hash_node(v, within(w, k), &vh))
            continue;
        h += mix(ks_yaml_fnv(ks_yaml_fnv(0xcbf29ce484222325ULL, key, strlen(key)), "=", 1) ^ vh);
        present++;
    }
    *out = mix(h ^ present);
    return present > 0;
}

uint32_t ks_template_hash(const ks_yaml_node *tmpl)
{
    uint64_t h = 0;
    hash_node(tmpl, W_TEMPLATE, &h);
    return (uint32_t)(h >> 16);
}

uint32_t ks_yaml_hash_unordered(const ks_yaml_node *n)
{
    uint64_t h = 0;
    if (!n || !hash_node(n, W_OTHER, &h))
        return 0;                                       /* absent or empty */
    return (uint32_t)(h >> 16) | 1u;
}
