/* ks_kubectl_change.c -- the kubectl commands that change objects in
 * place: scale, rollout (restart, status, history), set image, label,
 * cordon, uncordon and drain (with kubectl's refusals for pods without a
 * controller or with local storage); and version.
 */
#include <stdio.h>
#include <string.h>

#include "cluster/ks_workloads.h"
#include "internal/kubectl.h"
#include "core/ks_error.h"
#include "load/ks_validate.h"

/* ---- targets: TYPE NAME... or TYPE/NAME... --------------------------------------------- */
typedef struct target {
    int kind;
    const char *name;
} target;

/* Reads k->args[from..] as one TYPE and names, or TYPE/NAME words. Prints
 * kubectl's error and returns -1 when they make no sense. */
static int targets(ksi_kc *k, size_t from, target **out)
{
    size_t i, n = 0;
    const char *type, *name;
    target *t = ks_arena_alloc(k->tmp, (k->nargs + 1) * sizeof *t);
    if (!t)
        return ksi_kc_error(k, "out of memory"), -1;
    *out = t;
    if (from >= k->nargs)
        return 0;
    if (ksi_kc_split_slash(k, k->args[from], &type, &name)) {
        for (i = from; i < k->nargs; i++) {
            if (!ksi_kc_split_slash(k, k->args[i], &type, &name))
                return ksi_kc_error(k, "there is no need to specify a resource type as a "
                                       "separate argument when passing arguments in "
                                       "resource/name form (e.g. 'kubectl get "
                                       "resource/<resource_name>' instead of 'kubectl get "
                                       "resource resource/<resource_name>'"), -1;
            if ((t[n].kind = ksi_kc_resource(type)) == KSI_KC_NONE)
                return ksi_kc_no_type(k, type), -1;
            if (!*name)
                return ksi_kc_error(k, "arguments in resource/name form must have a single "
                                       "resource and name"), -1;
            t[n++].name = name;
        }
        return (int)n;
    }
    if ((t[0].kind = ksi_kc_resource(k->args[from])) == KSI_KC_NONE)
        return ksi_kc_no_type(k, k->args[from]), -1;
    for (i = from + 1; i < k->nargs; i++) {
        t[n].kind = t[0].kind;
        t[n++].name = k->args[i];
    }
    if (n == 0) {
        t[0].name = NULL;
        return 1;
    }
    return (int)n;
}

static int need_resources(ksi_kc *k)
{
    return ksi_kc_error(k, "You must provide one or more resources by argument or filename.\n"
                           "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                           "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
}

/* ---- scale --------------------------------------------------------------------------- */
int ksi_kc_scale(ksi_kc *k)
{
    target *t;
    int n, i;
    int64_t replicas;
    if (!ksi_kc_has(k, "replicas"))
        return ksi_kc_error(k, "required flag(s) \"replicas\" not set");
    replicas = ksi_kc_int(k, "replicas", -1);
    if (replicas < 0)
        return ksi_kc_error(k, "The --replicas=COUNT flag is required, and COUNT must be "
                               "greater than or equal to 0");
    if ((n = targets(k, 0, &t)) < 0)
        return 1;
    if (n == 0)
        return need_resources(k);
    for (i = 0; i < n; i++) {
        ks_id id;
        if (!t[i].name)
            return ksi_kc_error(k, "resource(s) were provided, but no name was specified");
        if (t[i].kind != KS_KIND_DEPLOYMENT && t[i].kind != KS_KIND_REPLICASET
            && t[i].kind != KS_KIND_STATEFULSET)
            return ksi_kc_error(k, "no scaler has been implemented for {\"%s\" \"%s\"}",
                                t[i].kind == KS_KIND_POD || t[i].kind >= KS_KIND_COUNT
                                    ? "" : "apps",
                                t[i].kind < KS_KIND_COUNT ? ks_kind_name((ks_kind)t[i].kind)
                                                          : t[i].name);
        if (ksi_kc_dry(k))
            continue;
        if (!(id = ksi_kc_find(k, t[i].kind, t[i].name))) {
            ksi_kc_not_found(k, t[i].kind, t[i].name);
            continue;
        }
        if (replicas > KS_MANIFEST_MAX_REPLICAS) {
            ksi_kc_line(k, "The %s \"%s\" is invalid: spec.replicas: Invalid value: %lld: "
                           "kubesim simulates at most %d replicas",
                        ks_kind_name((ks_kind)t[i].kind), t[i].name, (long long)replicas,
                        KS_MANIFEST_MAX_REPLICAS);
            k->status = 1;
            continue;
        }
        if (ks_cluster_scale(k->sim, id, replicas) != KS_OK)
            return ksi_kc_error(k, "could not scale %s", t[i].name);
        ksi_kc_line(k, "%s/%s scaled", ks_kind_resource((ks_kind)t[i].kind), t[i].name);
    }
    return k->status;
}

/* ---- rollout --------------------------------------------------------------------------- */
/* StatefulSetStatusViewer (kubectl/pkg/polymorphichelpers/rollout_status.go):
 * the defaulted RollingUpdate always has a partition, so its words are the
 * partitioned ones. */
static void rollout_status_sts(ksi_kc *k, const ks_statefulset *s)
{
    int64_t want = s->spec->replicas - s->spec->partition;
    if (s->spec->on_delete)
        ksi_kc_error(k, "rollout status is only available for RollingUpdate strategy type");
    else if (s->ready < s->spec->replicas)
        ksi_kc_line(k, "Waiting for %lld pods to be ready...",
                    (long long)(s->spec->replicas - s->ready));
    else if (s->updated < want)
        ksi_kc_line(k, "Waiting for partitioned roll out to finish: %lld out of %lld new pods "
                       "have been updated...", (long long)s->updated, (long long)want);
    else
        ksi_kc_line(k, "partitioned roll out complete: %lld new pods have been updated...",
                    (long long)s->updated);
}

/* DaemonSetStatusViewer (same file). */
static void rollout_status_ds(ksi_kc *k, const ks_daemonset *d)
{
    if (d->spec->on_delete)
        ksi_kc_error(k, "rollout status is only available for RollingUpdate strategy type");
    else if (d->updated < d->desired)
        ksi_kc_line(k, "Waiting for daemon set \"%s\" rollout to finish: %lld out of %lld new "
                       "pods have been updated...", d->name, (long long)d->updated,
                    (long long)d->desired);
    else if (d->available < d->desired)
        ksi_kc_line(k, "Waiting for daemon set \"%s\" rollout to finish: %lld of %lld updated "
                       "pods are available...", d->name, (long long)d->available,
                    (long long)d->desired);
    else
        ksi_kc_line(k, "daemon set \"%s\" successfully rolled out", d->name);
}

static void rollout_sts(ksi_kc *k, const char *sub, ks_id id)
{
    const ks_statefulset *s = ks_cluster_statefulset(k->sim, id);
    const ks_daemonset *d = ks_cluster_daemonset(k->sim, id);
    ks_kind kind = ks_cluster_kind(k->sim, id);
    if (strcmp(sub, "restart") == 0) {
        if (ks_cluster_rollout_restart(k->sim, id) != KS_OK)
            ksi_kc_error(k, "out of memory");
        else
            ksi_kc_line(k, "%s/%s restarted", ks_kind_resource(kind), ksi_kc_obj_name(k->sim, id));
    } else if (strcmp(sub, "status") == 0) {
        if (s)
            rollout_status_sts(k, s);
        else
            rollout_status_ds(k, d);
    } else {
        ksi_kc_error(k, "kubesim keeps no ControllerRevisions: \"rollout history\" works on "
                        "Deployments only");
    }
}

static int rollout_status(ksi_kc *k, const ks_deployment *d)
{
    if (d->updated < d->replicas)
        ksi_kc_line(k, "Waiting for deployment \"%s\" rollout to finish: %lld out of %lld new "
                       "replicas have been updated...", d->name, (long long)d->updated,
                    (long long)d->replicas);
    else if (d->total > d->updated)
        ksi_kc_line(k, "Waiting for deployment \"%s\" rollout to finish: %lld old replicas "
                       "are pending termination...", d->name,
                    (long long)(d->total - d->updated));
    else if (d->available < d->updated)
        ksi_kc_line(k, "Waiting for deployment \"%s\" rollout to finish: %lld of %lld updated "
                       "replicas are available...", d->name, (long long)d->available,
                    (long long)d->updated);
    else
        ksi_kc_line(k, "deployment \"%s\" successfully rolled out", d->name);
    return 0;
}

static void rollout_history(ksi_kc *k, const ks_deployment *d)
{
    ks_strbuf t;
    ks_id id = 0;
    int revs[256], n = 0, i, j;
    while ((id = ks_cluster_next(k->sim, KS_KIND_REPLICASET, id)) != 0 && n < 256)
        if (ks_cluster_rs(k->sim, id)->owner == d->id)
            revs[n++] = ks_cluster_rs(k->sim, id)->revision;
    for (i = 1; i < n; i++)                    /* insertion sort: a few revisions */
        for (j = i; j > 0 && revs[j - 1] > revs[j]; j--) {
            int x = revs[j];
            revs[j] = revs[j - 1];
            revs[j - 1] = x;
        }
    ksi_kc_line(k, "deployment.apps/%s ", d->name);
    ks_strbuf_init(&t, ks_sim_allocator(k->sim));
    ks_strbuf_puts(&t, "REVISION\tCHANGE-CAUSE\n");
    for (i = 0; i < n; i++)
        ks_strbuf_printf(&t, "%d\t<none>\n", revs[i]);
    ksi_kc_table(k, ks_strbuf_str(&t), t.len, 0, 2);
    ks_strbuf_fini(&t);
    ksi_kc_line(k, "%s", "");
}

int ksi_kc_rollout(ksi_kc *k)
{
    static const char *const subs[] = {"history", "pause", "restart", "resume", "status",
                                       "undo", NULL};
    const char *sub = k->nargs ? k->args[0] : NULL;
    target *t;
    int n, i;
    if (!sub) {
        ksi_kc_line(k, "Manage the rollout of one or many resources.\n\nAvailable Commands:\n"
                       "  history       View rollout history\n"
                       "  restart       Restart a resource\n"
                       "  status        Show the status of the rollout\n\n"
                       "Usage:\n  kubectl rollout SUBCOMMAND [options]");
        return 0;
    }
    for (i = 0; subs[i] && strcmp(subs[i], sub) != 0; i++) {
    }
    if (!subs[i])
        return ksi_kc_error(k, "unknown command \"%s\" for \"kubectl rollout\"", sub);
    if (strcmp(sub, "pause") == 0 || strcmp(sub, "resume") == 0 || strcmp(sub, "undo") == 0)
        return ksi_kc_error(k, "kubesim does not simulate \"kubectl rollout %s\"; use set "
                               "image, apply or rollout restart", sub);
    if ((n = targets(k, 1, &t)) < 0)
        return 1;
    if (n == 0)
        return ksi_kc_error(k, "required resource not specified");
    for (i = 0; i < n; i++) {
        ks_id id;
        const ks_deployment *d;
        if (!t[i].name)
            return ksi_kc_error(k, "resource(s) were provided, but no name was specified");
        if (ksi_kc_dry(k))
            continue;
        if ((t[i].kind == KS_KIND_STATEFULSET || t[i].kind == KS_KIND_DAEMONSET)
            && (id = ksi_kc_find(k, t[i].kind, t[i].name))) {
            rollout_sts(k, sub, id);
            continue;
        }
        if (t[i].kind != KS_KIND_DEPLOYMENT) {
            if (t[i].kind >= KS_KIND_COUNT || !ksi_kc_find(k, t[i].kind, t[i].name)) {
                ksi_kc_not_found(k, t[i].kind, t[i].name);
                continue;
            }
            ksi_kc_error(k, "%s \"%s\" %s is not supported", ksi_kc_plural(t[i].kind),
                         t[i].name, strcmp(sub, "restart") == 0 ? "restarting" : sub);
            continue;
        }
        if (!(id = ksi_kc_find(k, t[i].kind, t[i].name)) ||
            !(d = ks_cluster_deployment(k->sim, id))) {
            ksi_kc_not_found(k, t[i].kind, t[i].name);
            continue;
        }
        if (strcmp(sub, "restart") == 0) {
            if (ks_cluster_rollout_restart(k->sim, id) != KS_OK)
                return ksi_kc_error(k, "out of memory");
            ksi_kc_line(k, "deployment.apps/%s restarted", t[i].name);
        } else if (strcmp(sub, "status") == 0) {
            rollout_status(k, d);
        } else {
            rollout_history(k, d);
        }
    }
    return k->status;
}

/* ---- set image ----------------------------------------------------------------------- */
/* The template a Deployment, StatefulSet or DaemonSet makes pods from now,
 * or NULL. */
static const ks_pod_template *live_template(const ks_sim *sim, ks_id id)
{
    const ks_deployment *d = ks_cluster_deployment(sim, id);
    const ks_statefulset *s = ks_cluster_statefulset(sim, id);
    const ks_daemonset *ds = ks_cluster_daemonset(sim, id);
    return d ? d->tmpl : s ? &s->spec->tmpl : ds ? &ds->spec->tmpl : NULL;
}

int ksi_kc_set(ksi_kc *k)
{
    const char **res, **pairs;
    size_t i, nres = 0, npairs = 0;
    if (k->nargs == 0)
        return ksi_kc_error(k, "kubesim simulates \"kubectl set image\" only");
    if (strcmp(k->args[0], "image") != 0)
        return ksi_kc_error(k, "unknown command \"%s\" for \"kubectl set\"", k->args[0]);
    k->verb = "set image";                     /* for "See 'kubectl set image -h'" */
    res = ks_arena_alloc(k->tmp, (k->nargs + 1) * sizeof *res);
    pairs = ks_arena_alloc(k->tmp, (k->nargs + 1) * sizeof *pairs);
    if (!res || !pairs)
        return ksi_kc_error(k, "out of memory");
    for (i = 1; i < k->nargs; i++) {
        if (strchr(k->args[i], '='))
            pairs[npairs++] = k->args[i];
        else
            res[nres++] = k->args[i];
    }
    if (nres == 0)
        return ksi_kc_usage_error(k, "one or more resources must be specified as <resource> "
                                     "<name> or <resource>/<name>");
    if (npairs == 0)
        return ksi_kc_usage_error(k, "at least one image update is required");
    k->args = res;
    k->nargs = nres;
    {
        target *t;
        int n = targets(k, 0, &t), j;
        if (n < 0)
            return 1;
        for (j = 0; j < n; j++) {
            ks_id id;
            const ks_pod_template *tmpl;
            bool changed = false;
            if (!t[j].name)
                return ksi_kc_error(k, "resource(s) were provided, but no name was "
                                       "specified");
            if (ksi_kc_dry(k))
                continue;
            if (!(id = ksi_kc_find(k, t[j].kind, t[j].name))) {
                ksi_kc_not_found(k, t[j].kind, t[j].name);
                continue;
            }
            if (!(tmpl = live_template(k->sim, id))) {
                ksi_kc_error(k, "kubesim sets images of deployments, statefulsets and daemonsets only "
                                "(%s/%s)",
                             ks_kind_resource((ks_kind)t[j].kind), t[j].name);
                continue;
            }
            for (i = 0; i < npairs; i++) {
                const char *eq = strchr(pairs[i], '=');
                const char *cname = ks_arena_strndup(k->tmp, pairs[i],
                                                     (size_t)(eq - pairs[i]));
                size_t c;
                ks_error err;
                ks_error_clear(&err);
                if (!cname)
                    return ksi_kc_error(k, "out of memory");
                for (c = 0; c < tmpl->spec.ncontainers; c++) {
                    const char *name = tmpl->spec.containers[c].name;
                    if (strcmp(cname, "*") != 0 && strcmp(cname, name) != 0)
                        continue;
                    if (ks_cluster_set_image(k->sim, id, name, eq + 1, &err) != KS_OK)
                        return ksi_kc_error(k, "%s", err.msg[0] ? err.msg : "out of memory");
                    changed = true;
                    tmpl = live_template(k->sim, id);
                }
                if (!changed && strcmp(cname, "*") != 0) {
                    ksi_kc_error(k, "unable to find container named \"%s\"", cname);
                    break;
                }
            }
            if (changed)
                ksi_kc_line(k, "%s/%s image updated", ks_kind_resource((ks_kind)t[j].kind),
                            t[j].name);
        }
    }
    return k->status;
}

/* ---- label --------------------------------------------------------------------------- */
static size_t labels_size(const ks_kvs *l)
{
    size_t i, n = 0;
    for (i = 0; i < l->n; i++)
        n += strlen(l->items[i].key) + strlen(l->items[i].value) + 6;
    return n;
}

int ksi_kc_label(ksi_kc *k)
{
    const char **res, **specs, *sel_text;
    size_t i, nres = 0, nspecs = 0;
    bool overwrite = ksi_kc_bool(k, "overwrite");
    target *t;
    int n, j;
    res = ks_arena_alloc(k->tmp, (k->nargs + 1) * sizeof *res);
    specs = ks_arena_alloc(k->tmp, (k->nargs + 1) * sizeof *specs);
    if (!res || !specs)
        return ksi_kc_error(k, "out of memory");
    for (i = 0; i < k->nargs; i++) {
        size_t len = strlen(k->args[i]);
        if (strchr(k->args[i], '=') || (len > 1 && k->args[i][len - 1] == '-'))
            specs[nspecs++] = k->args[i];
        else
            res[nres++] = k->args[i];
    }
    if (nres == 0)
        return ksi_kc_usage_error(k, "one or more resources must be specified as <resource> "
                                     "<name> or <resource>/<name>");
    if (nspecs == 0)
        return ksi_kc_usage_error(k, "at least one label update is required");
    for (i = 0; i < nspecs; i++) {
        const char *eq = strchr(specs[i], '='), *why;
        if (!eq)
            continue;
        if (strchr(eq + 1, '='))
            return ksi_kc_error(k, "invalid label spec: %s", specs[i]);
        if ((why = ks_check_label_value(eq + 1)) != NULL)
            return ksi_kc_error(k, "invalid label value: \"%s\": a valid label must be an "
                                   "empty string or consist of alphanumeric characters, '-', "
                                   "'_' or '.', and must start and end with an alphanumeric "
                                   "character (%s)", specs[i], why);
    }
    k->args = res;
    k->nargs = nres;
    if ((n = targets(k, 0, &t)) < 0)
        return 1;
    if ((sel_text = ksi_kc_flag(k, "selector")) != NULL) {
        /* label TYPE -l SEL: every object of TYPE the selector matches */
        ks_selector sel;
        ks_id *ids;
        size_t m, x;
        if (n != 1 || t[0].name)
            return ksi_kc_error(k, "name cannot be provided when a selector is specified");
        if (!ksi_kc_selector(k, sel_text, &sel))
            return 1;
        if (ksi_kc_dry(k))
            return 0;
        m = ksi_kc_select(k, t[0].kind, &sel, &ids);
        if (!m) {
            ksi_kc_line(k, "No resources found in %s namespace.", k->ns);
            return 0;
        }
        if (!(t = ks_arena_alloc(k->tmp, m * sizeof *t)))
            return ksi_kc_error(k, "out of memory");
        for (x = 0; x < m; x++) {
            t[x].kind = ks_cluster_kind(k->sim, ids[x]);
            t[x].name = ksi_kc_obj_name(k->sim, ids[x]);
        }
        n = (int)m;
    }
    for (j = 0; j < n; j++) {
        ks_id id;
        const ks_kvs *l;
        size_t before;
        bool changed = false, bad = false;
        if (!t[j].name)
            return ksi_kc_error(k, "resource(s) were provided, but no name was specified");
        if (ksi_kc_dry(k))
            continue;
        if (!(id = ksi_kc_find(k, t[j].kind, t[j].name))) {
            ksi_kc_not_found(k, t[j].kind, t[j].name);
            continue;
        }
        if (t[j].kind != KS_KIND_POD && t[j].kind != KS_KIND_NODE
            && t[j].kind != KS_KIND_DEPLOYMENT && t[j].kind != KS_KIND_REPLICASET) {
            ksi_kc_error(k, "kubesim labels pods, nodes, deployments and replicasets only");
            continue;
        }
        l = ksi_kc_obj_labels(k->sim, id);
        before = labels_size(l);
        for (i = 0; i < nspecs && !bad; i++) {
            const char *eq = strchr(specs[i], '='), *key, *why, *old;
            key = ks_arena_strndup(k->tmp, specs[i],
                                   eq ? (size_t)(eq - specs[i]) : strlen(specs[i]) - 1);
            if (!key)
                return ksi_kc_error(k, "out of memory");
            if (eq && (why = ks_check_label_key(key)) != NULL) {
                ksi_kc_line(k, "The %s \"%s\" is invalid: metadata.labels: Invalid value: "
                               "\"%s\": %s", ks_kind_name((ks_kind)t[j].kind), t[j].name, key,
                            why);
                k->status = 1;
                bad = true;
            } else if (eq && (old = ks_kvs_get(l, key)) != NULL && !overwrite) {
                ksi_kc_error(k, "'%s' already has a value (%s), and --overwrite is false", key,
                             old);
                bad = true;
            }
        }
        if (bad)
            continue;
        for (i = 0; i < nspecs; i++) {
            const char *eq = strchr(specs[i], '='), *old;
            const char *key = ks_arena_strndup(k->tmp, specs[i], eq ? (size_t)(eq - specs[i])
                                                                     : strlen(specs[i]) - 1);
            if (!key)
                return ksi_kc_error(k, "out of memory");
            l = ksi_kc_obj_labels(k->sim, id);
            old = ks_kvs_get(l, key);
            if (!eq && !old) {
                ksi_kc_line(k, "label \"%s\" not found.", key);
                continue;
            }
            if (eq && old && strcmp(old, eq + 1) == 0)
                continue;
            if (ks_cluster_label(k->sim, id, key, eq ? eq + 1 : NULL) != KS_OK)
                return ksi_kc_error(k, "out of memory");
            changed = true;
        }
        l = ksi_kc_obj_labels(k->sim, id);
        ksi_kc_line(k, "%s/%s %s", ks_kind_resource((ks_kind)t[j].kind), t[j].name,
                    !changed ? "not labeled"
                    : !overwrite && labels_size(l) < before ? "unlabeled" : "labeled");
    }
    return k->status;
}

/* ---- nodes: cordon, uncordon, drain --------------------------------------------------- */
static const ks_node *node_arg(ksi_kc *k, const char *name)
{
    ks_id id = ks_cluster_find(k->sim, KS_KIND_NODE, NULL, name);
    const ks_node *n = id ? ks_cluster_node(k->sim, id) : NULL;
    if (!n)
        ksi_kc_not_found(k, KS_KIND_NODE, name);
    return n;
}

int ksi_kc_cordon(ksi_kc *k)
{
    bool cordon = strcmp(k->verb, "cordon") == 0;
    size_t i;
    if (k->nargs == 0)
        return ksi_kc_usage_error(k, "USAGE: %s NODE [flags]", k->verb);
    for (i = 0; i < k->nargs && !ksi_kc_dry(k); i++) {
        const ks_node *n = node_arg(k, k->args[i]);
        if (!n)
            continue;
        if (n->unschedulable == cordon) {
            ksi_kc_line(k, "node/%s already %s", n->name, cordon ? "cordoned" : "uncordoned");
            continue;
        }
        ks_cluster_cordon(k->sim, n->id, cordon);
        ksi_kc_line(k, "node/%s %s", n->name, cordon ? "cordoned" : "uncordoned");
    }
    return k->status;
}

static bool has_emptydir(const ks_pod *p)
{
    size_t i;
    for (i = 0; p->spec && i < p->spec->nvolumes; i++)
        if (p->spec->volumes[i].type == KS_VOL_EMPTYDIR)
            return true;
    return false;
}

/* kubectl drain (staging/src/k8s.io/kubectl/pkg/drain/filters.go): pods
 * without a controller need --force, pods with an emptyDir
 * --delete-emptydir-data, and a DaemonSet's pods --ignore-daemonsets (they
 * are then left where they are). */
int ksi_kc_drain(ksi_kc *k)
{
    bool force = ksi_kc_bool(k, "force");
    bool emptydir_ok = ksi_kc_bool(k, "delete-emptydir-data") || ksi_kc_bool(k, "delete-local-data");
    bool ignore_ds = ksi_kc_bool(k, "ignore-daemonsets");
    const ks_node *n;
    ks_strbuf bare, local, daemon;
    ks_id *pods;
    const char *errs[3];
    size_t npods = 0, i;
    int errors = 0;
    if (k->nargs == 0)
        return ksi_kc_usage_error(k, "USAGE: drain NODE [flags]");
    if (k->nargs > 1)
        return ksi_kc_error(k, "kubesim drains one node at a time");
    if (ksi_kc_dry(k))
        return 0;
    if (!(n = node_arg(k, k->args[0])))
        return 1;
    ksi_kc_line(k, "node/%s %s", n->name, n->unschedulable ? "already cordoned" : "cordoned");
    if (!n->unschedulable)
        ks_cluster_cordon(k->sim, n->id, true);
    k->all_ns = true;
    npods = ksi_kc_select(k, KS_KIND_POD, NULL, &pods);
    ks_strbuf_init(&bare, ks_sim_allocator(k->sim));
    ks_strbuf_init(&local, ks_sim_allocator(k->sim));
    ks_strbuf_init(&daemon, ks_sim_allocator(k->sim));
    for (i = 0; i < npods; i++) {
        const ks_pod *p = ks_cluster_pod(k->sim, pods[i]);
        if (p->node != n->id || p->terminating) {
            pods[i] = 0;
            continue;
        }
        if (ks_cluster_kind(k->sim, p->owner) == KS_KIND_DAEMONSET) {
            ks_strbuf_printf(&daemon, "%s%s/%s", daemon.len ? ", " : "", p->ns, p->name);
            pods[i] = 0;                         /* never evicted */
            continue;
        }
        if (!p->owner)
            ks_strbuf_printf(&bare, "%s%s/%s", bare.len ? ", " : "", p->ns, p->name);
        if (has_emptydir(p))
            ks_strbuf_printf(&local, "%s%s/%s", local.len ? ", " : "", p->ns, p->name);
    }
    if (bare.len && !force)
        errs[errors++] = ksi_kc_fmt(k, "cannot delete Pods declare no controller (use --force "
                                       "to override): %s", ks_strbuf_str(&bare));
    if (daemon.len && !ignore_ds)
        errs[errors++] = ksi_kc_fmt(k, "cannot delete DaemonSet-managed Pods (use "
                                       "--ignore-daemonsets to ignore): %s",
                                    ks_strbuf_str(&daemon));
    if (local.len && !emptydir_ok)
        errs[errors++] = ksi_kc_fmt(k, "cannot delete Pods with local storage (use "
                                       "--delete-emptydir-data to override): %s",
                                    ks_strbuf_str(&local));
    if (errors) {
        const char *all = errors == 1 ? errs[0]
                          : errors == 2 ? ksi_kc_fmt(k, "[%s, %s]", errs[0], errs[1])
                                        : ksi_kc_fmt(k, "[%s, %s, %s]", errs[0], errs[1],
                                                     errs[2]);
        ksi_kc_line(k, "error: unable to drain node \"%s\" due to error:%s, continuing "
                       "command...", n->name, all);
        ksi_kc_line(k, "There are pending nodes to be drained:\n %s", n->name);
        ksi_kc_error(k, "%s", all);
    } else {
        if (daemon.len)
            ksi_kc_line(k, "Warning: ignoring DaemonSet-managed Pods: %s",
                        ks_strbuf_str(&daemon));
        if (bare.len)
            ksi_kc_line(k, "Warning: deleting Pods that declare no controller: %s",
                        ks_strbuf_str(&bare));
        for (i = 0; i < npods; i++)
            if (pods[i])
                ksi_kc_line(k, "evicting pod %s/%s", ks_cluster_pod(k->sim, pods[i])->ns,
                            ks_cluster_pod(k->sim, pods[i])->name);
        for (i = 0; i < npods; i++)
            if (pods[i])
                ksi_kc_line(k, "pod/%s evicted", ks_cluster_pod(k->sim, pods[i])->name);
        ks_cluster_drain(k->sim, n->id);
        ksi_kc_line(k, "node/%s drained", n->name);
    }
    ks_strbuf_fini(&bare);
    ks_strbuf_fini(&local);
    ks_strbuf_fini(&daemon);
    return k->status;
}

int ksi_kc_version(ksi_kc *k)
{
    ksi_kc_line(k, "Client Version: %s\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n"
                   "Server Version: %s", KS_KUBECTL_K8S_VERSION, KS_KUBECTL_K8S_VERSION);
    return 0;
}
