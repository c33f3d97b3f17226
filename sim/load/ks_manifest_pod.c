/* ks_manifest_pod.c -- Pods and the workloads that make them: pod specs
 * (containers, env, volumes, mounts, probes, resources), Pod, Deployment
 * and ReplicaSet, with the API server's validation rules.
 */
#include <stdio.h>
#include <string.h>

#include "internal/manifest.h"
#include "ks_validate.h"

/* Fields kubesim reads past without simulating them yet: each is a warning
 * where it is written (issue 15: nothing unsupported is silent). When one
 * gets simulated, it leaves its list. */
static const char *const pod_spec_ignored[] = {
    "affinity", "tolerations", "topologySpreadConstraints",
    "priorityClassName", "preemptionPolicy", "activeDeadlineSeconds", "hostNetwork",
    "dnsPolicy", "dnsConfig", "hostAliases", "runtimeClassName", "readinessGates",
    "ephemeralContainers", "schedulerName", "overhead", "shareProcessNamespace", "hostPID",
    "hostIPC", "securityContext", NULL};
static const char *const container_ignored[] = {"lifecycle", "volumeDevices", "resizePolicy",
                                                "securityContext", NULL};

/* Fields of a container we know (used or not), for misspelling warnings. */

/* The supported values of a valueFrom reference, as the API server lists
 * them in its NotSupported error (sorted) -- validation.go
 * validEnvDownwardAPIFieldPathExpressions (plus metadata.labels['k'] and
 * metadata.annotations['k']) and validContainerResourceFieldPathExpressions. */
static const char *const field_paths[] = {
    "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
    "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP",
    "status.podIPs", NULL};
static const char *const resource_paths[] = {
    "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
    "requests.ephemeral-storage", "requests.memory", NULL};

static bool subscripted(const char *path)
{
    size_t n = strlen(path);
    return (strncmp(path, "metadata.labels['", 17) == 0
            || strncmp(path, "metadata.annotations['", 22) == 0)
           && n > 2 && strcmp(path + n - 2, "']") == 0;
}

/* valueFrom.fieldRef (fieldPath) or resourceFieldRef (resource, and its
 * containerName and divisor): the path, checked against the supported ones. */
static bool read_ref_path(ks_reader *r, const ks_yaml_node *ref, bool resource, ks_env_var *v)
{
    const char *key = resource ? "resource" : "fieldPath", *path = NULL;
    const char *const *valid = resource ? resource_paths : field_paths;
    size_t s = ks_rd_push(r, resource ? "resourceFieldRef" : "fieldRef"), i, k = 0;
    char list[400];
    bool ok;
    v->ref = resource ? KS_REF_RESOURCE : KS_REF_FIELD;
    ok = ks_rd_str(r, ref, key, true, &path);
    if (resource) {
        ks_rd_str(r, ref, "containerName", false, &v->ref_name);
        ks_rd_str(r, ref, "divisor", false, &v->divisor);
    }
    if (ok && path) {
        for (i = 0; valid[i] && strcmp(valid[i], path) != 0; i++)
            ;
        if (!valid[i] && !(!resource && subscripted(path))) {
            for (i = 0, list[0] = '\0'; valid[i] && k < sizeof list; i++)
                k += (size_t)snprintf(list + k, sizeof list - k, "%s\"%s\"", i ? ", " : "",
                                      valid[i]);
            ok = ks_rd_fail(r, ks_yaml_get(ref, key), KS_EINVAL,
                            "%s: Unsupported value: \"%s\": supported values: %s",
                            ks_rd_field(r, key), path, list);
        }
        v->ref_key = path;
    }
    ks_rd_pop(r, s);
    return ok;
}

static bool read_env(ks_reader *r, const ks_yaml_node *c, ks_container *out)
{
    const ks_yaml_node *env = ks_rd_seq(r, c, "env", false);
    size_t i, saved;
    bool ok = true;
    if (!env)
        return !ks_yaml_get(c, "env") || ks_yaml_is_null(ks_yaml_get(c, "env"));
    out->env = ksi_alloc_items(r, env, env->n, sizeof *out->env);
    if (!out->env)
        return false;
    saved = ks_rd_push(r, "env");
    for (i = 0; i < env->n; i++) {
        const ks_yaml_node *e = env->items[i], *from, *ref;
        ks_env_var *v = &out->env[out->nenv];
        size_t s2 = ks_rd_push_index(r, i);
        const char *why;
        if (e->kind != KS_YAML_MAP) {
            ok = ks_rd_fail(r, e, KS_ESCHEMA, "%s must be an object with name and value",
                            ks_rd_field(r, ""));
            ks_rd_pop(r, s2);
            continue;
        }
        v->mark = e->mark;
        if (!ks_rd_str(r, e, "name", true, &v->name)) {
            ok = false;
        } else if ((why = ks_check_env_name(v->name)) != NULL) {
            ok = ks_rd_fail(r, ks_yaml_get(e, "name"), KS_EINVAL,
                            "%s '%s' is not a valid variable name: it %s",
                            ks_rd_field(r, "name"), v->name, why);
        }
        if (ks_yaml_get(e, "value") && !ks_yaml_is_null(ks_yaml_get(e, "value"))) {
            /* an unquoted 6379 fails at apply time on a real cluster too */
            ok &= ks_rd_str(r, e, "value", false, &v->value);
        }
        from = ks_rd_map(r, e, "valueFrom", false);
        if (from) {
            size_t s3 = ks_rd_push(r, "valueFrom");
            if ((ref = ks_rd_map(r, from, "secretKeyRef", false)) != NULL)
                v->ref = KS_REF_SECRET;
            else if ((ref = ks_rd_map(r, from, "configMapKeyRef", false)) != NULL)
                v->ref = KS_REF_CONFIGMAP;
            else if (ks_yaml_get(from, "fieldRef"))
                ok &= read_ref_path(r, ks_yaml_get(from, "fieldRef"), false, v);
            else if (ks_yaml_get(from, "resourceFieldRef"))
                ok &= read_ref_path(r, ks_yaml_get(from, "resourceFieldRef"), true, v);
            else
                ok = ks_rd_fail(r, from, KS_EINVAL,
                                "%s needs secretKeyRef, configMapKeyRef or fieldRef",
                                ks_rd_field(r, ""));
            if (ref) {
                size_t s4 = ks_rd_push(r, v->ref == KS_REF_SECRET ? "secretKeyRef"
                                                                    : "configMapKeyRef");
                ok &= ks_rd_str(r, ref, "name", true, &v->ref_name);
                ok &= ks_rd_str(r, ref, "key", true, &v->ref_key);
                ks_rd_bool(r, ref, "optional", false, &v->optional);
                ks_rd_pop(r, s4);
            }
            ks_rd_pop(r, s3);
            if (v->value)
                ok = ks_rd_fail(r, e, KS_EINVAL, "%s may not have both value and valueFrom",
                                ks_rd_field(r, ""));
        }
        if (v->name)
            out->nenv++;
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_env_from(ks_reader *r, const ks_yaml_node *c, ks_container *out)
{
    const ks_yaml_node *ef = ks_rd_seq(r, c, "envFrom", false);
    size_t i, saved;
    bool ok = true;
    if (!ef)
        return true;
    out->env_from = ksi_alloc_items(r, ef, ef->n, sizeof *out->env_from);
    if (!out->env_from)
        return false;
    saved = ks_rd_push(r, "envFrom");
    for (i = 0; i < ef->n; i++) {
        const ks_yaml_node *e = ef->items[i], *ref;
        ks_env_from *f = &out->env_from[out->nenv_from];
        size_t s2 = ks_rd_push_index(r, i);
        f->mark = e->mark;
        if ((ref = ks_rd_map(r, e, "secretRef", false)) != NULL)
            f->ref = KS_REF_SECRET;
        else if ((ref = ks_rd_map(r, e, "configMapRef", false)) != NULL)
            f->ref = KS_REF_CONFIGMAP;
        if (!ref) {
            ok = ks_rd_fail(r, e, KS_EINVAL, "%s needs secretRef or configMapRef",
                            ks_rd_field(r, ""));
        } else {
            ks_rd_str(r, e, "prefix", false, &f->prefix);
            ok &= ks_rd_str(r, ref, "name", true, &f->name);
            ks_rd_bool(r, ref, "optional", false, &f->optional);
            out->nenv_from++;
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_ports(ks_reader *r, const ks_yaml_node *c, ks_container *out)
{
    const ks_yaml_node *ports = ks_rd_seq(r, c, "ports", false);
    size_t i, saved;
    bool ok = true;
    if (!ports)
        return true;
    out->ports = ksi_alloc_items(r, ports, ports->n, sizeof *out->ports);
    if (!out->ports)
        return false;
    saved = ks_rd_push(r, "ports");
    for (i = 0; i < ports->n; i++) {
        const ks_yaml_node *p = ports->items[i];
        ks_port *port = &out->ports[out->nports];
        size_t s2 = ks_rd_push_index(r, i);
        int64_t num;
        port->protocol = "TCP";
        if (ks_rd_int(r, p, "containerPort", true, 1, 65535, &num)) {
            port->port = (int)num;
            if (ks_rd_str(r, p, "name", false, &port->name))
                ok &= ksi_check_name(r, p, "name", ks_check_port_name, port->name);
            ks_rd_str(r, p, "protocol", false, &port->protocol);
            out->nports++;
        } else {
            ok = false;
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_mounts(ks_reader *r, const ks_yaml_node *c, ks_container *out)
{
    const ks_yaml_node *ms = ks_rd_seq(r, c, "volumeMounts", false);
    size_t i, saved;
    bool ok = true;
    if (!ms)
        return true;
    out->mounts = ksi_alloc_items(r, ms, ms->n, sizeof *out->mounts);
    if (!out->mounts)
        return false;
    saved = ks_rd_push(r, "volumeMounts");
    for (i = 0; i < ms->n; i++) {
        const ks_yaml_node *m = ms->items[i];
        ks_mount *mt = &out->mounts[out->nmounts];
        size_t s2 = ks_rd_push_index(r, i);
        bool have_name, have_path;
        mt->mark = m->mark;
        /* both read (and reported) before either is judged, in this order */
        have_name = ks_rd_str(r, m, "name", true, &mt->name);
        have_path = ks_rd_str(r, m, "mountPath", true, &mt->path);
        if (have_name && have_path) {
            if (mt->path[0] != '/')
                ok = ks_rd_fail(r, ks_yaml_get(m, "mountPath"), KS_EINVAL,
                                "%s must be an absolute path (start with /)",
                                ks_rd_field(r, "mountPath"));
            if (ks_rd_str(r, m, "subPath", false, &mt->sub_path)
                && (mt->sub_path[0] == '/' || strstr(mt->sub_path, "..")))
                ok = ks_rd_fail(r, ks_yaml_get(m, "subPath"), KS_EINVAL,
                                "%s must be a relative path without '..'",
                                ks_rd_field(r, "subPath"));
            ks_rd_bool(r, m, "readOnly", false, &mt->read_only);
            out->nmounts++;
        } else {
            ok = false;
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_probe(ks_reader *r, const ks_yaml_node *c, const char *key, ks_probe *p)
{
    const ks_yaml_node *pr = ks_rd_map(r, c, key, false), *h;
    size_t saved;
    int64_t v;
    bool ok = true;
    /* the real defaults (KUBERNETES.md section 4) */
    p->type = KS_PROBE_NONE;
    p->initial_delay = 0;
    p->period = 10;
    p->timeout = 1;
    p->success_threshold = 1;
    p->failure_threshold = 3;
    p->grace = -1;
    if (!pr)
        return true;
    saved = ks_rd_push(r, key);
    if ((h = ks_rd_map(r, pr, "httpGet", false)) != NULL) {
        size_t s2 = ks_rd_push(r, "httpGet");
        p->type = KS_PROBE_HTTP;
        p->path = "/";
        ks_rd_str(r, h, "path", false, &p->path);
        if (ks_yaml_int(ks_yaml_get(h, "port"), &v) && v >= 1 && v <= 65535)
            p->port = (int)v;
        else if (!ks_rd_str(r, h, "port", true, &p->port_name))
            ok = false;
        ks_rd_pop(r, s2);
    } else if ((h = ks_rd_map(r, pr, "tcpSocket", false)) != NULL
               || (h = ks_rd_map(r, pr, "grpc", false)) != NULL) {
        p->type = ks_yaml_get(pr, "tcpSocket") ? KS_PROBE_TCP : KS_PROBE_GRPC;
        if (ks_yaml_int(ks_yaml_get(h, "port"), &v) && v >= 1 && v <= 65535)
            p->port = (int)v;
        else if (!ks_rd_str(r, h, "port", true, &p->port_name))
            ok = false;
    } else if ((h = ks_rd_map(r, pr, "exec", false)) != NULL) {
        size_t s2 = ks_rd_push(r, "exec");
        p->type = KS_PROBE_EXEC;
        ok &= ks_rd_str_list(r, h, "command", true, &p->command, &p->ncommand);
        ks_rd_pop(r, s2);
    } else {
        ok = ks_rd_fail(r, pr, KS_EINVAL, "%s needs one of httpGet, tcpSocket, exec or grpc",
                        ks_rd_field(r, ""));
    }
#define PROBE_INT(field, var, min)                                                 \
    if (ks_yaml_get(pr, field)) {                                                  \
        if (ks_rd_int(r, pr, field, false, min, 86400, &v))                        \
            p->var = (int)v;                                                       \
        else                                                                       \
            ok = false;                                                            \
    }
    PROBE_INT("initialDelaySeconds", initial_delay, 0)
    PROBE_INT("periodSeconds", period, 1)
    PROBE_INT("timeoutSeconds", timeout, 1)
    PROBE_INT("successThreshold", success_threshold, 1)
    PROBE_INT("failureThreshold", failure_threshold, 1)
    PROBE_INT("terminationGracePeriodSeconds", grace, 1)
#undef PROBE_INT
    if (strcmp(key, "readinessProbe") != 0 && p->success_threshold != 1)
        ok = ks_rd_fail(r, ks_yaml_get(pr, "successThreshold"), KS_EINVAL,
                        "%s must be 1 for a %s", ks_rd_field(r, "successThreshold"), key);
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_resources(ks_reader *r, const ks_yaml_node *c, ks_container *out)
{
    const ks_yaml_node *res = ks_rd_map(r, c, "resources", false), *req, *lim;
    size_t saved;
    bool ok = true;
    if (!res)
        return true;
    saved = ks_rd_push(r, "resources");
    if ((req = ks_rd_map(r, res, "requests", false)) != NULL) {
        size_t s2 = ks_rd_push(r, "requests");
        ok &= ksi_read_quantity(r, req, "cpu", -3, false, &out->cpu_request);
        ok &= ksi_read_quantity(r, req, "memory", 0, false, &out->mem_request);
        ok &= ksi_read_quantity(r, req, "ephemeral-storage", 0, false, &out->eph_request);
        ks_rd_pop(r, s2);
    }
    if ((lim = ks_rd_map(r, res, "limits", false)) != NULL) {
        size_t s2 = ks_rd_push(r, "limits");
        ok &= ksi_read_quantity(r, lim, "cpu", -3, false, &out->cpu_limit);
        ok &= ksi_read_quantity(r, lim, "memory", 0, false, &out->mem_limit);
        ok &= ksi_read_quantity(r, lim, "ephemeral-storage", 0, false, &out->eph_limit);
        ks_rd_pop(r, s2);
    }
    /* with only a limit, the request defaults to the limit */
    if (!out->cpu_request)
        out->cpu_request = out->cpu_limit;
    if (!out->mem_request)
        out->mem_request = out->mem_limit;
    if (!out->eph_request)
        out->eph_request = out->eph_limit;
    if (out->cpu_limit && out->cpu_request > out->cpu_limit)
        ok = ks_rd_fail(r, res, KS_EINVAL, "%s: the cpu request must not exceed its limit",
                        ks_rd_field(r, ""));
    if (out->mem_limit && out->mem_request > out->mem_limit)
        ok = ks_rd_fail(r, res, KS_EINVAL, "%s: the memory request must not exceed its limit",
                        ks_rd_field(r, ""));
    if (out->eph_limit && out->eph_request > out->eph_limit)
        ok = ks_rd_fail(r, res, KS_EINVAL, "%s: the ephemeral-storage request must not exceed "
                        "its limit", ks_rd_field(r, ""));
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_container(ks_reader *r, const ks_yaml_node *c, ks_container *out)
{
    bool ok = true;
    if (c->kind != KS_YAML_MAP)
        return ks_rd_fail(r, c, KS_ESCHEMA, "%s must be an object with name and image",
                          ks_rd_field(r, ""));
    ks_rd_ignored(r, c, container_ignored);
    out->mark = c->mark;
    if (ks_rd_str(r, c, "name", true, &out->name))
        ok &= ksi_check_name(r, c, "name", ks_check_dns_label, out->name);
    else
        ok = false;
    if (ks_rd_str(r, c, "image", true, &out->image)) {
        out->image_mark = ks_yaml_get(c, "image")->mark;
        if (!out->image[0] || strchr(out->image, ' '))
            ok = ks_rd_fail(r, ks_yaml_get(c, "image"), KS_EINVAL,
                            "%s '%s' is not an image reference", ks_rd_field(r, "image"),
                            out->image);
    } else {
        ok = false;
    }
    ks_rd_str(r, c, "imagePullPolicy", false, &out->pull_policy);
    out->command_mark = ks_yaml_get(c, "command") ? ks_yaml_get(c, "command")->mark
                        : ks_yaml_get(c, "args") ? ks_yaml_get(c, "args")->mark : c->mark;
    if (ks_yaml_get(c, "command"))
        ok &= ks_rd_str_list(r, c, "command", false, &out->command, &out->ncommand);
    if (ks_yaml_get(c, "args"))
        ok &= ks_rd_str_list(r, c, "args", false, &out->args, &out->nargs);
    ok &= read_env(r, c, out);
    ok &= read_env_from(r, c, out);
    ok &= read_ports(r, c, out);
    ok &= read_mounts(r, c, out);
    ok &= read_probe(r, c, "livenessProbe", &out->liveness);
    ok &= read_probe(r, c, "readinessProbe", &out->readiness);
    ok &= read_probe(r, c, "startupProbe", &out->startup);
    ok &= read_resources(r, c, out);
    return ok;
}

static bool read_containers(ks_reader *r, const ks_yaml_node *spec, const char *key,
                            bool required, ks_container **out, size_t *n)
{
    const ks_yaml_node *cs = ks_rd_seq(r, spec, key, required);
    size_t i, j, saved;
    bool ok = true;
    *n = 0;
    if (!cs)
        return !required;
    if (required && cs->n == 0)
        return ks_rd_fail(r, cs, KS_EINVAL, "%s must list at least one container",
                          ks_rd_field(r, key));
    *out = ksi_alloc_items(r, cs, cs->n, sizeof **out);
    if (!*out)
        return false;
    saved = ks_rd_push(r, key);
    for (i = 0; i < cs->n; i++) {
        size_t s2 = ks_rd_push_index(r, i);
        ks_container *c = &(*out)[*n];
        /* counted even with errors, so later checks (mounts) still run */
        ok &= read_container(r, cs->items[i], c);
        if (strcmp(key, "initContainers") == 0 && ks_yaml_get(cs->items[i], "restartPolicy")) {
            /* KEP-753: an init container that keeps running beside the app
               (pkg/apis/core/validation validateInitContainers: Always only) */
            const char *rp = NULL;
            if (ks_rd_str(r, cs->items[i], "restartPolicy", false, &rp) && strcmp(rp, "Always"))
                ok = ks_rd_fail(r, ks_yaml_get(cs->items[i], "restartPolicy"), KS_EINVAL,
                                "%s: Unsupported value: \"%s\": supported values: \"Always\"",
                                ks_rd_field(r, "restartPolicy"), rp);
            else if (rp)
                c->sidecar = true;
        }
        for (j = 0; c->name && j < *n; j++)
            if ((*out)[j].name && strcmp((*out)[j].name, c->name) == 0)
                ok = ks_rd_fail(r, ks_yaml_get(cs->items[i], "name"), KS_EINVAL,
                                "%s: duplicate container name '%s'",
                                ks_rd_field(r, "name"), c->name);
        (*n)++;
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

/* A configMap's or secret's items: [{key, path}]: only those keys become
 * files, each at its path (the kubelet's atomic writer projects them so). */
static bool read_items(ks_reader *r, const ks_yaml_node *src, ks_volume *vol)
{
    const ks_yaml_node *items = ks_rd_seq(r, src, "items", false);
    size_t i, saved;
    bool ok = true;
    if (!items || !items->n)
        return true;
    if (!(vol->items.items = ks_arena_alloc(r->ar, items->n * sizeof *vol->items.items)))
        return ks_rd_fail(r, items, KS_ENOMEM, "out of memory");
    saved = ks_rd_push(r, "items");
    for (i = 0; i < items->n; i++) {
        size_t s2 = ks_rd_push_index(r, i);
        const char *key = NULL, *path = NULL;
        ok &= ks_rd_str(r, items->items[i], "key", true, &key);
        ok &= ks_rd_str(r, items->items[i], "path", true, &path);
        if (key && path) {
            vol->items.items[vol->items.n].key = path;
            vol->items.items[vol->items.n].value = key;
            vol->items.n++;
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

static bool read_volumes(ks_reader *r, const ks_yaml_node *spec, ks_pod_spec *ps)
{
    const ks_yaml_node *vs = ks_rd_seq(r, spec, "volumes", false);
    size_t i, j, saved;
    bool ok = true;
    if (!vs)
        return true;
    ps->volumes = ksi_alloc_items(r, vs, vs->n, sizeof *ps->volumes);
    if (!ps->volumes)
        return false;
    saved = ks_rd_push(r, "volumes");
    for (i = 0; i < vs->n; i++) {
        const ks_yaml_node *v = vs->items[i], *src;
        ks_volume *vol = &ps->volumes[ps->nvolumes];
        size_t s2 = ks_rd_push_index(r, i);
        vol->mark = v->mark;
        if (!ks_rd_str(r, v, "name", true, &vol->name)
            || !ksi_check_name(r, v, "name", ks_check_dns_label, vol->name)) {
            ok = false;
            ks_rd_pop(r, s2);
            continue;
        }
        vol->type = KS_VOL_OTHER;
        if (ks_yaml_get(v, "emptyDir")) {
            const char *medium = NULL;
            src = ks_rd_map(r, v, "emptyDir", false);
            vol->type = KS_VOL_EMPTYDIR;
            if (src) {
                size_t s3 = ks_rd_push(r, "emptyDir");
                if (ks_rd_str(r, src, "medium", false, &medium))
                    vol->memory = strcmp(medium, "Memory") == 0;
                ok &= ksi_read_quantity(r, src, "sizeLimit", 0, false, &vol->size_limit);
                ks_rd_pop(r, s3);
            }
        } else if ((src = ks_rd_map(r, v, "hostPath", false)) != NULL) {
            size_t s3 = ks_rd_push(r, "hostPath");
            vol->type = KS_VOL_HOSTPATH;
            ok &= ks_rd_str(r, src, "path", true, &vol->source);
            ks_rd_pop(r, s3);
        } else if ((src = ks_rd_map(r, v, "persistentVolumeClaim", false)) != NULL) {
            size_t s3 = ks_rd_push(r, "persistentVolumeClaim");
            vol->type = KS_VOL_PVC;
            ok &= ks_rd_str(r, src, "claimName", true, &vol->source);
            ks_rd_bool(r, src, "readOnly", false, &vol->read_only);
            ks_rd_pop(r, s3);
        } else if ((src = ks_rd_map(r, v, "secret", false)) != NULL) {
            size_t s3 = ks_rd_push(r, "secret");
            vol->type = KS_VOL_SECRET;
            ok &= ks_rd_str(r, src, "secretName", true, &vol->source);
            ok &= read_items(r, src, vol);
            ks_rd_pop(r, s3);
        } else if ((src = ks_rd_map(r, v, "configMap", false)) != NULL) {
            size_t s3 = ks_rd_push(r, "configMap");
            vol->type = KS_VOL_CONFIGMAP;
            ok &= ks_rd_str(r, src, "name", true, &vol->source);
            ok &= read_items(r, src, vol);
            ks_rd_pop(r, s3);
        } else if (ks_yaml_get(v, "downwardAPI")) {
            vol->type = KS_VOL_DOWNWARD_API;      /* files kubesim does not show, read-only */
        } else if (ks_yaml_get(v, "projected")) {
            vol->type = KS_VOL_PROJECTED;
        }
        for (j = 0; j < ps->nvolumes; j++)
            if (strcmp(ps->volumes[j].name, vol->name) == 0)
                ok = ks_rd_fail(r, ks_yaml_get(v, "name"), KS_EINVAL,
                                "%s: duplicate volume name '%s'", ks_rd_field(r, "name"),
                                vol->name);
        ps->nvolumes++;
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

/* Every volumeMount must name a volume of the pod (the API server checks). */
static bool check_mounts(ks_reader *r, const ks_pod_spec *ps, const ks_container *cs, size_t n)
{
    size_t i, j, k;
    bool ok = true;
    for (i = 0; i < n; i++)
        for (j = 0; j < cs[i].nmounts; j++) {
            for (k = 0; k < ps->nvolumes; k++)
                if (strcmp(ps->volumes[k].name, cs[i].mounts[j].name) == 0)
                    break;
            if (k == ps->nvolumes) {
                ks_diag_error(r->d, KS_EINVAL, cs[i].mounts[j].mark,
                              "container %s mounts volume '%s', but the pod has no volume "
                              "of that name; add it under spec.volumes",
                              cs[i].name ? cs[i].name : "(unnamed)", cs[i].mounts[j].name);
                ok = false;
            }
        }
    return ok;
}

bool ksi_check_mounts(ks_reader *r, const ks_pod_spec *ps)
{
    bool ok = check_mounts(r, ps, ps->containers, ps->ncontainers);
    return check_mounts(r, ps, ps->init, ps->ninit) && ok;
}

/* resourceFieldRef limits.ephemeral-storage of a container that sets no
 * such limit is the node's allocatable ephemeral-storage, its disk (the
 * kubelet's defaultPodLimitsForDownwardAPI, kubelet_resources.go): kubesim
 * has no node disk, so it says so where the env var is, and gives 0. */
static void check_storage_refs(ks_reader *r, const ks_pod_spec *ps)
{
    size_t i, k, j;
    for (i = 0; i < ps->ncontainers + ps->ninit; i++) {
        const ks_container *c = i < ps->ncontainers ? &ps->containers[i]
                                                    : &ps->init[i - ps->ncontainers];
        for (k = 0; k < c->nenv; k++) {
            const ks_env_var *v = &c->env[k];
            const ks_container *t = c;
            if (v->ref != KS_REF_RESOURCE || !v->ref_key
                || strcmp(v->ref_key, "limits.ephemeral-storage") != 0)
                continue;
            for (j = 0; v->ref_name && j < ps->ncontainers; j++)
                if (strcmp(ps->containers[j].name, v->ref_name) == 0)
                    t = &ps->containers[j];
            if (!t->eph_limit)
                ks_diag_warn(r->d, v->mark, "env %s: limits.ephemeral-storage of container "
                             "'%s', which sets no ephemeral-storage limit, is the node's "
                             "allocatable ephemeral-storage (its disk); kubesim does not "
                             "simulate the node's disk and gives 0", v->name, t->name);
        }
    }
}

static bool read_pod_spec(ks_reader *r, const ks_yaml_node *holder, ks_pod_spec *ps,
                          ksi_restart_rule rule)
{
    const ks_yaml_node *spec = ks_rd_map(r, holder, "spec", true);
    size_t saved;
    bool ok = true;
    ps->restart_policy = "Always";
    ps->grace_seconds = 30;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    ks_rd_ignored(r, spec, pod_spec_ignored);
    ok &= read_volumes(r, spec, ps);
    ok &= read_containers(r, spec, "containers", true, &ps->containers, &ps->ncontainers);
    ok &= read_containers(r, spec, "initContainers", false, &ps->init, &ps->ninit);
    check_storage_refs(r, ps);
    if (ks_rd_str(r, spec, "restartPolicy", false, &ps->restart_policy)
        && strcmp(ps->restart_policy, "Always") && strcmp(ps->restart_policy, "OnFailure")
        && strcmp(ps->restart_policy, "Never"))
        ok = ks_rd_fail(r, ks_yaml_get(spec, "restartPolicy"), KS_EINVAL,
                        "%s must be Always, OnFailure or Never, not '%s'",
                        ks_rd_field(r, "restartPolicy"), ps->restart_policy);
    else if (rule != KSI_RESTART_ANY && rule != KSI_RESTART_JOB
             && strcmp(ps->restart_policy, "Always"))
        ok = ks_rd_fail(r, ks_yaml_get(spec, "restartPolicy"), KS_EINVAL,
                        "%s: Unsupported value \"%s\": supported values: \"Always\" "
                        "(the pods of a Deployment, StatefulSet or DaemonSet always restart)",
                        ks_rd_field(r, "restartPolicy"), ps->restart_policy);
    else if (rule == KSI_RESTART_JOB && strcmp(ps->restart_policy, "Always") == 0)
        /* pkg/apis/batch/validation: a Job's pods must end (unset is Always) */
        ok = ks_rd_fail(r, ks_yaml_get(spec, "restartPolicy") ? ks_yaml_get(spec, "restartPolicy")
                                                             : spec, KS_EINVAL,
                        "%s: Unsupported value: \"Always\": supported values: \"OnFailure\", "
                        "\"Never\" (a Job's pods must finish: say restartPolicy: Never or "
                        "OnFailure)", ks_rd_field(r, "restartPolicy"));
    ks_rd_str(r, spec, "nodeName", false, &ps->node_name);
    if (!ks_rd_str(r, spec, "serviceAccountName", false, &ps->service_account))
        ks_rd_str(r, spec, "serviceAccount", false, &ps->service_account);
    /* RFC 1123 labels (ValidatePodSpec, pkg/apis/core/validation) */
    if (ks_rd_str(r, spec, "hostname", false, &ps->hostname))
        ok &= ksi_check_name(r, spec, "hostname", ks_check_dns_label, ps->hostname);
    if (ks_rd_str(r, spec, "subdomain", false, &ps->subdomain))
        ok &= ksi_check_name(r, spec, "subdomain", ks_check_dns_label, ps->subdomain);
    if (ks_yaml_get(spec, "enableServiceLinks")) {
        bool links = true;
        ok &= ks_rd_bool(r, spec, "enableServiceLinks", false, &links);
        ps->no_service_links = !links;
    }
    ok &= ksi_read_kvs(r, spec, "nodeSelector", KSI_KV_ANY, &ps->node_selector);
    ps->tolerations = ks_yaml_get(spec, "tolerations");     /* kept as written */
    ps->affinity = ks_yaml_get(spec, "affinity");
    if (ps->tolerations && ps->tolerations->kind != KS_YAML_SEQ)
        ps->tolerations = NULL;
    if (ps->affinity && ps->affinity->kind != KS_YAML_MAP)
        ps->affinity = NULL;
    if (ks_yaml_get(spec, "terminationGracePeriodSeconds"))
        ok &= ks_rd_int(r, spec, "terminationGracePeriodSeconds", false, 0, 86400,
                        &ps->grace_seconds);
    if (rule != KSI_RESTART_STATEFUL)           /* its reader checks, claims added */
        ok &= ksi_check_mounts(r, ps);
    ks_rd_pop(r, saved);
    return ok;
}

bool ksi_read_pod(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    return read_pod_spec(r, doc, &o->u.pod, KSI_RESTART_ANY);
}

/* template: metadata.labels (required for workloads) and spec. */
bool ksi_read_template(ks_reader *r, const ks_yaml_node *spec, ks_pod_template *t,
                       ksi_restart_rule rule)
{
    const ks_yaml_node *tmpl = ks_rd_map(r, spec, "template", true), *meta;
    size_t saved;
    bool ok = true;
    if (!tmpl)
        return false;
    saved = ks_rd_push(r, "template");
    t->mark = tmpl->mark;
    t->hash = ks_template_hash(tmpl);
    meta = ks_rd_map(r, tmpl, "metadata", false);
    if (meta) {
        size_t s2 = ks_rd_push(r, "metadata");
        ok &= ksi_read_kvs(r, meta, "labels", KSI_KV_LABELS, &t->labels);
        ok &= ksi_read_kvs(r, meta, "annotations", KSI_KV_ANNOTATIONS, &t->annotations);
        ks_rd_pop(r, s2);
    }
    ok &= read_pod_spec(r, tmpl, &t->spec, rule);
    ks_rd_pop(r, saved);
    return ok;
}

/* replicas, selector, template, and the rule that bites: the selector must
 * match the template's labels (replicas NULL: the kind has none). */
bool ksi_read_workload(ks_reader *r, const ks_yaml_node *spec, int64_t *replicas,
                       ks_selector *sel, ks_pod_template *t)
{
    bool ok = true, sel_ok, tmpl_ok;
    int errors;
    if (replicas)
        *replicas = 1;
    if (replicas && ks_yaml_get(spec, "replicas"))
        ok &= ks_rd_int(r, spec, "replicas", false, 0, KS_MANIFEST_MAX_REPLICAS, replicas);
    if (!ks_yaml_get(spec, "selector"))
        sel_ok = ks_rd_fail(r, spec, KS_ESCHEMA,
                            "%s is required in apps/v1: add selector.matchLabels matching "
                            "template.metadata.labels", ks_rd_field(r, "selector"));
    else
        sel_ok = ksi_read_selector(r, spec, "selector", true, sel);
    /* the labels are judged even when the pod spec has other problems */
    errors = r->d->errors;
    ksi_read_template(r, spec, t, KSI_RESTART_ALWAYS);
    tmpl_ok = r->d->errors == errors;
    if (ks_yaml_get(spec, "template") && !t->labels.n)
        tmpl_ok = ks_rd_fail(r, ks_yaml_get(spec, "template"), KS_EINVAL,
                             "%s must have labels for the selector to match",
                             ks_rd_field(r, "template.metadata"));
    else if (sel_ok && t->labels.n && !ks_selector_matches(sel, &t->labels))
        sel_ok = ks_rd_fail(r, ks_yaml_get(spec, "selector"), KS_EINVAL,
                            "%s: Invalid value: selector does not match template labels; make "
                            "selector.matchLabels equal to template.metadata.labels",
                            ks_rd_field(r, "template.metadata.labels"));
    return ok && sel_ok && tmpl_ok;
}

bool ksi_read_deployment(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true), *strat, *ru;
    ks_deployment_spec *d = &o->u.deploy;
    size_t saved;
    bool ok;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    ok = ksi_read_workload(r, spec, &d->replicas, &d->selector, &d->tmpl);
    d->max_surge = (ks_intstr){true, true, true, 25, "25%"};
    d->max_unavailable = d->max_surge;
    d->revision_history_limit = 10;
    d->progress_deadline = 600;
    if ((strat = ks_rd_map(r, spec, "strategy", false)) != NULL) {
        const char *type = "RollingUpdate";
        size_t s2 = ks_rd_push(r, "strategy");
        if (ks_rd_str(r, strat, "type", false, &type)) {
            if (strcmp(type, "Recreate") == 0)
                d->recreate = true;
            else if (strcmp(type, "RollingUpdate") != 0)
                ok = ks_rd_fail(r, ks_yaml_get(strat, "type"), KS_EINVAL,
                                "%s must be RollingUpdate or Recreate, not '%s'",
                                ks_rd_field(r, "type"), type);
        }
        if ((ru = ks_rd_map(r, strat, "rollingUpdate", false)) != NULL) {
            size_t s3 = ks_rd_push(r, "rollingUpdate");
            ks_intstr surge, unavail;
            if (d->recreate)
                ok = ks_rd_fail(r, ru, KS_EINVAL, "%s may not be set when type is Recreate",
                                ks_rd_field(r, ""));
            ok &= ksi_read_intstr(r, ru, "maxSurge", &surge);
            ok &= ksi_read_intstr(r, ru, "maxUnavailable", &unavail);
            if (surge.set)
                d->max_surge = surge;
            if (unavail.set)
                d->max_unavailable = unavail;
            if (d->max_surge.num == 0 && d->max_unavailable.num == 0)
                ok = ks_rd_fail(r, ru, KS_EINVAL,
                                "%s: maxSurge and maxUnavailable may not both be 0",
                                ks_rd_field(r, ""));
            ks_rd_pop(r, s3);
        }
        ks_rd_pop(r, s2);
    }
    if (ks_yaml_get(spec, "minReadySeconds"))
        ok &= ks_rd_int(r, spec, "minReadySeconds", false, 0, 86400, &d->min_ready_seconds);
    if (ks_yaml_get(spec, "revisionHistoryLimit"))
        ok &= ks_rd_int(r, spec, "revisionHistoryLimit", false, 0, 1000,
                        &d->revision_history_limit);
    ks_rd_pop(r, saved);
    return ok;
}

bool ksi_read_replicaset(ks_reader *r, const ks_yaml_node *doc, ks_object *o)
{
    const ks_yaml_node *spec = ks_rd_map(r, doc, "spec", true);
    size_t saved;
    bool ok;
    if (!spec)
        return false;
    saved = ks_rd_push(r, "spec");
    ok = ksi_read_workload(r, spec, &o->u.rs.replicas, &o->u.rs.selector, &o->u.rs.tmpl);
    ks_rd_pop(r, saved);
    return ok;
}
