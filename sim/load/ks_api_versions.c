/* ks_api_versions.c -- which kinds and versions a Kubernetes API server
 * serves: the built-in kinds kubesim does not simulate (so that it can tell
 * them from custom resources), and the API versions Kubernetes stopped
 * serving, from the Deprecated API Migration Guide
 * (kubernetes/website content/en/docs/reference/using-api/
 * deprecation-guide.md, "Removed APIs by release": v1.16, v1.22, v1.25,
 * v1.26, v1.27, v1.29, v1.32).
 * Depends on: libc only.
 */
#include <string.h>

#include "internal/manifest.h"

/* Kinds a Kubernetes API server serves itself (kubectl api-resources on a
 * 1.34 cluster: the core group and the built-in API groups), by kind and
 * group/version. One of them that kubesim has no reader for is a kind
 * kubesim does not simulate yet -- not a custom resource whose CRD is
 * missing, which is what kubectl's "ensure CRDs are installed" is about. */
static const char *const builtin_kinds[][2] = {
    {"DaemonSet", "apps/"}, {"StatefulSet", "apps/"}, {"ControllerRevision", "apps/"},
    {"HorizontalPodAutoscaler", "autoscaling/"}, {"NetworkPolicy", "networking.k8s.io/"},
    {"IngressClass", "networking.k8s.io/"}, {"IPAddress", "networking.k8s.io/"},
    {"ServiceCIDR", "networking.k8s.io/"}, {"PodDisruptionBudget", "policy/"},
    {"EndpointSlice", "discovery.k8s.io/"}, {"Role", "rbac.authorization.k8s.io/"},
    {"RoleBinding", "rbac.authorization.k8s.io/"},
    {"ClusterRole", "rbac.authorization.k8s.io/"},
    {"ClusterRoleBinding", "rbac.authorization.k8s.io/"},
    {"PriorityClass", "scheduling.k8s.io/"}, {"RuntimeClass", "node.k8s.io/"},
    {"CSIDriver", "storage.k8s.io/"}, {"CSINode", "storage.k8s.io/"},
    {"CSIStorageCapacity", "storage.k8s.io/"}, {"VolumeAttachment", "storage.k8s.io/"},
    {"VolumeAttributesClass", "storage.k8s.io/"}, {"Lease", "coordination.k8s.io/"},
    {"CustomResourceDefinition", "apiextensions.k8s.io/"},
    {"MutatingWebhookConfiguration", "admissionregistration.k8s.io/"},
    {"ValidatingWebhookConfiguration", "admissionregistration.k8s.io/"},
    {"ValidatingAdmissionPolicy", "admissionregistration.k8s.io/"},
    {"ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io/"},
    {"APIService", "apiregistration.k8s.io/"},
    {"CertificateSigningRequest", "certificates.k8s.io/"},
    {"FlowSchema", "flowcontrol.apiserver.k8s.io/"},
    {"PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/"},
    {"Event", "events.k8s.io/"},
    /* dynamic resource allocation, served by default since 1.34 */
    {"DeviceClass", "resource.k8s.io/"}, {"ResourceClaim", "resource.k8s.io/"},
    {"ResourceClaimTemplate", "resource.k8s.io/"}, {"ResourceSlice", "resource.k8s.io/"},
    /* the reviews kubectl create -f and kubectl auth send */
    {"TokenReview", "authentication.k8s.io/"}, {"SelfSubjectReview", "authentication.k8s.io/"},
    {"SubjectAccessReview", "authorization.k8s.io/"},
    {"SelfSubjectAccessReview", "authorization.k8s.io/"},
    {"SelfSubjectRulesReview", "authorization.k8s.io/"},
    {"LocalSubjectAccessReview", "authorization.k8s.io/"},
    /* the core group: apiVersion v1 */
    {"Endpoints", ""}, {"LimitRange", ""}, {"ResourceQuota", ""},
    {"ReplicationController", ""}, {"PodTemplate", ""}, {"Event", ""}, {"Binding", ""},
    {"ComponentStatus", ""},
};

bool ksi_api_builtin(const char *kind, const char *api)
{
    size_t i, len;
    for (i = 0; i < sizeof builtin_kinds / sizeof builtin_kinds[0]; i++) {
        const char *g = builtin_kinds[i][1];
        if (strcmp(kind, builtin_kinds[i][0]) != 0)
            continue;
        len = strlen(g);
        if (len ? strncmp(api, g, len) == 0 : strcmp(api, "v1") == 0)
            return true;
    }
    return false;
}

/* The guide's removals: version, kinds (space-separated), the release
 * that stopped serving it, and what to use instead. */
static const ksi_removed_api removed[] = {
    {"extensions/v1beta1", "NetworkPolicy", "1.16", "networking.k8s.io/v1"},
    {"extensions/v1beta1", "DaemonSet Deployment ReplicaSet", "1.16", "apps/v1"},
    {"extensions/v1beta1", "PodSecurityPolicy", "1.16", NULL},   /* then policy/v1beta1, gone too */
    {"apps/v1beta1", "Deployment StatefulSet ReplicaSet", "1.16", "apps/v1"},
    {"apps/v1beta2", "DaemonSet Deployment StatefulSet ReplicaSet", "1.16", "apps/v1"},
    {"admissionregistration.k8s.io/v1beta1",
     "MutatingWebhookConfiguration ValidatingWebhookConfiguration", "1.22",
     "admissionregistration.k8s.io/v1"},
    {"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.22",
     "apiextensions.k8s.io/v1"},
    {"apiregistration.k8s.io/v1beta1", "APIService", "1.22", "apiregistration.k8s.io/v1"},
    {"authentication.k8s.io/v1beta1", "TokenReview", "1.22", "authentication.k8s.io/v1"},
    {"authorization.k8s.io/v1beta1",
     "LocalSubjectAccessReview SelfSubjectAccessReview SubjectAccessReview "
     "SelfSubjectRulesReview", "1.22", "authorization.k8s.io/v1"},
    {"certificates.k8s.io/v1beta1", "CertificateSigningRequest", "1.22",
     "certificates.k8s.io/v1"},
    {"coordination.k8s.io/v1beta1", "Lease", "1.22", "coordination.k8s.io/v1"},
    {"extensions/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"},
    {"networking.k8s.io/v1beta1", "Ingress IngressClass", "1.22", "networking.k8s.io/v1"},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRole ClusterRoleBinding Role RoleBinding",
     "1.22", "rbac.authorization.k8s.io/v1"},
    {"scheduling.k8s.io/v1beta1", "PriorityClass", "1.22", "scheduling.k8s.io/v1"},
    {"storage.k8s.io/v1beta1", "CSIDriver CSINode StorageClass VolumeAttachment", "1.22",
     "storage.k8s.io/v1"},
    {"batch/v1beta1", "CronJob", "1.25", "batch/v1"},
    {"discovery.k8s.io/v1beta1", "EndpointSlice", "1.25", "discovery.k8s.io/v1"},
    {"events.k8s.io/v1beta1", "Event", "1.25", "events.k8s.io/v1"},
    {"autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25", "autoscaling/v2"},
    {"policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1"},
    {"policy/v1beta1", "PodSecurityPolicy", "1.25", NULL},   /* Pod Security Admission */
    {"node.k8s.io/v1beta1", "RuntimeClass", "1.25", "node.k8s.io/v1"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema PriorityLevelConfiguration", "1.26",
     "flowcontrol.apiserver.k8s.io/v1"},
    {"autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2"},
    {"storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", "storage.k8s.io/v1"},
    {"flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema PriorityLevelConfiguration", "1.29",
     "flowcontrol.apiserver.k8s.io/v1"},
    {"flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema PriorityLevelConfiguration", "1.32",
     "flowcontrol.apiserver.k8s.io/v1"},
};

/* Whether the space-separated list has word. */
static bool has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    const char *p = list;
    while ((p = strstr(p, word)) != NULL) {
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
            return true;
        p += n;
    }
    return false;
}

const ksi_removed_api *ksi_api_removed(const char *api, const char *kind)
{
    size_t i;
    for (i = 0; i < sizeof removed / sizeof removed[0]; i++)
        if (strcmp(api, removed[i].version) == 0 && has_word(removed[i].kinds, kind))
            return &removed[i];
    return NULL;
}
