/* ks_template_equal.c -- whether two pod templates are the same template as
 * the API server compares them: after defaulting (pkg/apis/core/v1/defaults.go
 * SetDefaults_Container, _PodSpec, _ContainerPort: imagePullPolicy,
 * protocol TCP, restartPolicy Always...), apiequality.Semantic.DeepEqual of
 * the two (apimachinery ValidateImmutableField). A Job's template is checked
 * so (pkg/apis/batch/validation ValidateJobSpecUpdate, validatePodTemplateUpdate):
 * a manifest sent back with the server's defaults written out is the same
 * template, one with another image is not. Tolerations and affinity, which
 * kubesim keeps as written (and serves) without simulating them, are compared
 * by content; fields kubesim neither reads nor keeps (securityContext...) are
 * not compared. */
#include <stdint.h>
#include <string.h>

#include "load/ks_manifest.h"

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool strs_eq(const char **a, size_t na, const char **b, size_t nb)
{
    size_t i;
    if (na != nb)
        return false;
    for (i = 0; i < na; i++)
        if (!str_eq(a[i], b[i]))
            return false;
    return true;
}

/* the same keys and values, in any order (a map) */
static bool kvs_eq(const ks_kvs *a, const ks_kvs *b)
{
    size_t i;
    if (a->n != b->n)
        return false;
    for (i = 0; i < a->n; i++)
        if (!str_eq(ks_kvs_get(b, a->items[i].key), a->items[i].value))
            return false;
    return true;
}

const char *ks_image_pull_policy(const char *image)
{
    const char *tag = strrchr(image ? image : "", ':');
    /* SetDefaults_Container: Always for :latest or no tag, else IfNotPresent */
    return (!tag || strchr(tag, '/') || strcmp(tag, ":latest") == 0) ? "Always" : "IfNotPresent";
}

const char *ks_container_pull_policy(const ks_container *c)
{
    return c->pull_policy ? c->pull_policy : ks_image_pull_policy(c->image);
}

static bool probe_eq(const ks_probe *a, const ks_probe *b)
{
    return a->type == b->type && str_eq(a->path, b->path) && a->port == b->port
           && str_eq(a->port_name, b->port_name)
           && strs_eq(a->command, a->ncommand, b->command, b->ncommand)
           && a->initial_delay == b->initial_delay && a->period == b->period
           && a->timeout == b->timeout && a->success_threshold == b->success_threshold
           && a->failure_threshold == b->failure_threshold && a->grace == b->grace;
}

static bool env_eq(const ks_env_var *a, const ks_env_var *b)
{
    return str_eq(a->name, b->name) && str_eq(a->value, b->value) && a->ref == b->ref
           && str_eq(a->ref_name, b->ref_name) && str_eq(a->ref_key, b->ref_key)
           && str_eq(a->divisor, b->divisor) && a->optional == b->optional;
}

static bool container_eq(const ks_container *a, const ks_container *b)
{
    size_t i;
    if (!str_eq(a->name, b->name) || !str_eq(a->image, b->image)
        || strcmp(ks_container_pull_policy(a), ks_container_pull_policy(b)) != 0
        || !strs_eq(a->command, a->ncommand, b->command, b->ncommand)
        || !strs_eq(a->args, a->nargs, b->args, b->nargs) || a->nenv != b->nenv
        || a->nenv_from != b->nenv_from || a->nports != b->nports || a->nmounts != b->nmounts
        || !probe_eq(&a->liveness, &b->liveness) || !probe_eq(&a->readiness, &b->readiness)
        || !probe_eq(&a->startup, &b->startup) || a->cpu_request != b->cpu_request
        || a->cpu_limit != b->cpu_limit || a->mem_request != b->mem_request
        || a->mem_limit != b->mem_limit || a->eph_request != b->eph_request
        || a->eph_limit != b->eph_limit || a->sidecar != b->sidecar)
        return false;
    for (i = 0; i < a->nenv; i++)
        if (!env_eq(&a->env[i], &b->env[i]))
            return false;
    for (i = 0; i < a->nenv_from; i++)
        if (a->env_from[i].ref != b->env_from[i].ref
            || !str_eq(a->env_from[i].name, b->env_from[i].name)
            || !str_eq(a->env_from[i].prefix, b->env_from[i].prefix)
            || a->env_from[i].optional != b->env_from[i].optional)
            return false;
    for (i = 0; i < a->nports; i++)      /* protocol: the loader's default is TCP */
        if (!str_eq(a->ports[i].name, b->ports[i].name) || a->ports[i].port != b->ports[i].port
            || !str_eq(a->ports[i].protocol, b->ports[i].protocol))
            return false;
    for (i = 0; i < a->nmounts; i++)
        if (!str_eq(a->mounts[i].name, b->mounts[i].name)
            || !str_eq(a->mounts[i].path, b->mounts[i].path)
            || !str_eq(a->mounts[i].sub_path, b->mounts[i].sub_path)
            || a->mounts[i].read_only != b->mounts[i].read_only)
            return false;
    return true;
}

static bool containers_eq(const ks_container *a, size_t na, const ks_container *b, size_t nb)
{
    size_t i;
    if (na != nb)
        return false;
    for (i = 0; i < na; i++)
        if (!container_eq(&a[i], &b[i]))
            return false;
    return true;
}

static bool volume_eq(const ks_volume *a, const ks_volume *b)
{
    /* items are a list in the API (KeyToPath): kept in their order */
    size_t i;
    if (!str_eq(a->name, b->name) || a->type != b->type || !str_eq(a->source, b->source)
        || a->memory != b->memory || a->size_limit != b->size_limit
        || a->read_only != b->read_only || a->items.n != b->items.n)
        return false;
    for (i = 0; i < a->items.n; i++)
        if (!str_eq(a->items.items[i].key, b->items.items[i].key)
            || !str_eq(a->items.items[i].value, b->items.items[i].value))
            return false;
    return true;
}

/* the same content, maps' keys in any order (absent and empty alike) */
static bool yaml_eq(const ks_yaml_node *a, const ks_yaml_node *b)
{
    return ks_yaml_hash_unordered(a) == ks_yaml_hash_unordered(b);
}

/* restartPolicy and serviceAccountName as defaulted: Always, default */
static const char *or_default(const char *s, const char *def)
{
    return s ? s : def;
}

bool ks_pod_template_equal(const ks_pod_template *a, const ks_pod_template *b, unsigned flags)
{
    const ks_pod_spec *x = &a->spec, *y = &b->spec;
    size_t i;
    bool sched = !(flags & KS_TMPL_MUTABLE_SCHEDULING);
    if ((sched && (!kvs_eq(&a->labels, &b->labels) || !kvs_eq(&a->annotations, &b->annotations)
                   || !kvs_eq(&x->node_selector, &y->node_selector)
                   || !yaml_eq(x->tolerations, y->tolerations)
                   || !yaml_eq(x->affinity, y->affinity)))
        || !containers_eq(x->containers, x->ncontainers, y->containers, y->ncontainers)
        || !containers_eq(x->init, x->ninit, y->init, y->ninit) || x->nvolumes != y->nvolumes
        || strcmp(or_default(x->restart_policy, "Always"), or_default(y->restart_policy, "Always"))
        || !str_eq(x->node_name, y->node_name) || !str_eq(x->hostname, y->hostname)
        || !str_eq(x->subdomain, y->subdomain) || x->no_service_links != y->no_service_links
        || strcmp(or_default(x->service_account, "default"),
                  or_default(y->service_account, "default"))
        || x->grace_seconds != y->grace_seconds || x->daemon != y->daemon)
        return false;
    for (i = 0; i < x->nvolumes; i++)
        if (!volume_eq(&x->volumes[i], &y->volumes[i]))
            return false;
    return true;
}

/* Every field of these structs is compared above: a field added to one must be
   compared too (or said here why not), and these sizes brought up to date. */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(ks_container) == 440, "compare the new field of ks_container");
_Static_assert(sizeof(ks_pod_spec) == 144, "compare the new field of ks_pod_spec");
_Static_assert(sizeof(ks_probe) == 72, "compare the new field of ks_probe");
_Static_assert(sizeof(ks_volume) == 80, "compare the new field of ks_volume");
_Static_assert(sizeof(ks_env_var) == 72, "compare the new field of ks_env_var");
#endif
