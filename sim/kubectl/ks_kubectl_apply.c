/* ks_kubectl_apply.c -- the kubectl commands that read manifests or make
 * objects: apply -f, create -f, create secret generic, create configmap,
 * delete (by name, -l, --all, -f).
 *
 * Manifests are loaded with ks_manifest_load_path into a fresh arena that
 * is handed to the sim before anything from it is applied (the cluster
 * keeps pointers into it). As kubectl does, a document of an unknown kind
 * is reported ("resource mapping not found ... ensure CRDs are installed
 * first") while the other documents still apply; any other problem in a
 * file keeps that whole file from applying. Results come first, errors at
 * the end, one line each.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal/kubectl.h"
#include "core/ks_error.h"
#include "load/ks_validate.h"
#include "load/ks_yaml.h"

/* ---- loading ----------------------------------------------------------------------- */
typedef struct loaded {
    const char *typed;        /* the path as the learner wrote it */
    const char *path;         /* resolved against base_dir */
    ks_manifests m;
    ks_diags *d;
} loaded;

static const char *resolve(ksi_kc *k, const char *typed)
{
    if (typed[0] == '/' || !k->base_dir || !k->base_dir[0])
        return typed;
    return ksi_kc_fmt(k, "%s%s%s", k->base_dir,
                      k->base_dir[strlen(k->base_dir) - 1] == '/' ? "" : "/", typed);
}

/* The file name as kubectl would show it: relative to what was typed. */
static const char *shown(ksi_kc *k, const loaded *L, const char *file)
{
    size_t n = strlen(L->path);
    if (file && strncmp(file, L->path, n) == 0)
        return ksi_kc_fmt(k, "%s%s", L->typed, file + n);
    return file ? file : L->typed;
}

static bool load(ksi_kc *k, ks_arena *ar, const char *typed, loaded *L)
{
    memset(L, 0, sizeof *L);
    L->typed = typed;
    if (strstr(typed, "://"))
        return ksi_kc_error(k, "kubesim cannot download %s; save the file and use its path",
                            typed), false;
    if (strcmp(typed, "-") == 0)
        return ksi_kc_error(k, "kubesim cannot read manifests from standard input; use a "
                               "file or folder"), false;
    L->path = resolve(k, typed);
    {
        struct stat st;
        if (stat(L->path, &st) != 0)
            return ksi_kc_error(k, "the path \"%s\" does not exist", typed), false;
    }
    if (!(L->d = ks_arena_alloc(k->tmp, sizeof *L->d)))
        return ksi_kc_error(k, "out of memory"), false;
    ks_diags_init(L->d);
    ks_manifest_load_path(ar, L->path, NULL, &L->m, L->d);
    return true;
}

/* Whether an error other than an unknown kind was reported for file (or
 * errors were dropped, so nothing can be trusted). */
static bool file_is_bad(const loaded *L, const char *file)
{
    int i, kept = 0;
    for (i = 0; i < L->d->n; i++) {
        const ks_diag_item *it = &L->d->items[i];
        if (it->sev != KS_SEV_ERROR)
            continue;
        kept++;
        if (it->err.code != KS_EUNKNOWN && file && strcmp(it->err.file, file) == 0)
            return true;
        if (it->err.code != KS_EUNKNOWN && !it->err.file[0])
            return true;
    }
    return L->d->errors > kept;
}

/* Whether the object at root has its kind or apiVersion at the error's
 * position; then its metadata.name and namespace. */
static bool names_at(const ks_yaml_node *root, const ks_error *e, const char **name,
                     const char **ns)
{
    const ks_yaml_node *kind = ks_yaml_get(root, "kind"), *api = ks_yaml_get(root, "apiVersion");
    const ks_yaml_node *meta, *v;
    if (!((kind && kind->mark.line == e->line && kind->mark.col == e->col)
          || (api && api->mark.line == e->line && api->mark.col == e->col)))
        return false;
    meta = ks_yaml_get(root, "metadata");
    if ((v = ks_yaml_get(meta, "name")) && v->kind == KS_YAML_SCALAR)
        *name = v->str;
    if ((v = ks_yaml_get(meta, "namespace")) && v->kind == KS_YAML_SCALAR)
        *ns = v->str;
    return true;
}

/* metadata.name / namespace of the document (or item of a List) whose kind
 * or apiVersion sits at the error's position. */
static void doc_names(ksi_kc *k, const ks_error *e, const char **name, const char **ns)
{
    ks_yaml_stream *s = NULL;
    ks_diags *d = ks_arena_alloc(k->tmp, sizeof *d);
    size_t i, j;
    *name = *ns = "";
    if (!d)
        return;
    ks_diags_init(d);
    if (ks_yaml_load_file(k->tmp, e->file, NULL, &s, d) != KS_OK || !s)
        return;
    for (i = 0; i < s->ndocs; i++) {
        const ks_yaml_node *items = ks_yaml_get(s->docs[i].root, "items");
        if (names_at(s->docs[i].root, e, name, ns))
            return;
        for (j = 0; items && items->kind == KS_YAML_SEQ && j < items->n; j++)
            if (names_at(items->items[j], e, name, ns))
                return;
    }
}

static void print_errors(ksi_kc *k, const loaded *L)
{
    int i;
    for (i = 0; i < L->d->n; i++) {
        const ks_diag_item *it = &L->d->items[i];
        const ks_error *e = &it->err;
        const char *p = strstr(e->msg, "no matches for kind \"");
        char kind[64], ver[128];
        if (it->sev != KS_SEV_ERROR)
            continue;
        if (strncmp(e->msg, "no objects passed to apply", 26) == 0)
            continue;             /* kubectl's own line says it, once, at the end */
        if (e->code == KS_EUNKNOWN && p
            && sscanf(p, "no matches for kind \"%63[^\"]\" in version \"%127[^\"]\"", kind,
                      ver) == 2) {
            const char *name, *ns;
            doc_names(k, e, &name, &ns);
            ksi_kc_error(k, "resource mapping not found for name: \"%s\" namespace: \"%s\" "
                            "from \"%s\": no matches for kind \"%s\" in version \"%s\"", name,
                         ns, shown(k, L, e->file), kind, ver);
            ksi_kc_line(k, "ensure CRDs are installed first");
            continue;
        }
        if (!e->file[0])
            ksi_kc_error(k, "%s", e->msg);
        else if (!e->line)
            ksi_kc_error(k, "%s: %s", shown(k, L, e->file), e->msg);
        else
            ksi_kc_error(k, "%s:%u:%u: %s", shown(k, L, e->file), e->line, e->col, e->msg);
        if (e->note[0] && e->note_file[0] && e->note_line)
            ksi_kc_line(k, "%s:%u:%u: note: %s", shown(k, L, e->note_file), e->note_line,
                        e->note_col, e->note);
        else if (e->note[0])
            ksi_kc_line(k, "note: %s", e->note);
    }
    if (L->d->errors + L->d->warnings > L->d->n)
        ksi_kc_error(k, "%d more problems in %s are not shown",
                     L->d->errors + L->d->warnings - L->d->n, L->typed);
}

static void print_warnings(ksi_kc *k, const loaded *L)
{
    int i;
    for (i = 0; i < L->d->n; i++) {
        const ks_error *e = &L->d->items[i].err;
        if (L->d->items[i].sev != KS_SEV_WARNING)
            continue;
        if (e->line)
            ksi_kc_line(k, "Warning: %s:%u:%u: %s", shown(k, L, e->file), e->line, e->col,
                        e->msg);
        else
            ksi_kc_line(k, "Warning: %s: %s", shown(k, L, e->file), e->msg);
    }
}

static void print_apply_error(ksi_kc *k, const ks_error *e)
{
    if (strncmp(e->msg, "The ", 4) == 0)
        ksi_kc_line(k, "%s", e->msg);
    else
        ksi_kc_line(k, "error: %s", e->msg[0] ? e->msg : "could not apply");
    k->status = 1;
}

size_t ks_kubectl_refusal(const ks_error *err, const char *file, char *buf,
                          size_t n)
{
    int len = 0;
    if (err->code == KS_EUNKNOWN)
        len = snprintf(buf, n, "Error from server (NotFound): error when creating \"%s\": %s",
                       file, err->msg);
    else if (err->code == KS_EFORBIDDEN)
        len = snprintf(buf, n, "Error from server (Forbidden): error when creating \"%s\": %s",
                       file, err->msg);
    else if (n)
        buf[0] = '\0';
    return len > 0 ? (size_t)len : 0;
}

/* apply -f / create -f: create says "created" and refuses existing objects. */
static int apply_files(ksi_kc *k, bool create)
{
    const char **files;
    size_t nfiles = ksi_kc_list(k, "filename", &files), f, i, objects = 0;
    if (nfiles == 0)
        return ksi_kc_error(k, "must specify one of -f and -k");
    if (k->nargs)
        return ksi_kc_error(k, "Unexpected args: [%s]\nSee 'kubectl %s -h' for help and "
                               "examples", k->args[0], k->verb);
    if (ksi_kc_dry(k))
        return 0;
    for (f = 0; f < nfiles; f++) {
        loaded L;
        ks_arena *ar = ksi_kc_object_arena(k);
        if (!ar)
            return 1;
        if (!load(k, ar, files[f], &L))
            continue;
        print_warnings(k, &L);
        for (i = 0; i < L.m.n; i++) {
            const ks_object *o = L.m.objs[i];
            ks_apply_result res;
            ks_error err;
            if (file_is_bad(&L, o->mark.file))
                continue;
            objects++;
            if (create && ks_cluster_find(k->sim, o->kind, o->meta.ns, o->meta.name)) {
                ksi_kc_line(k, "Error from server (AlreadyExists): error when creating \"%s\": "
                               "%s \"%s\" already exists", shown(k, &L, o->mark.file),
                            ksi_kc_plural(o->kind), o->meta.name);
                k->status = 1;
                continue;
            }
            ks_error_clear(&err);
            if (ks_cluster_apply(k->sim, o, &res, &err) != KS_OK) {
                char line[1024];
                if (ks_kubectl_refusal(&err, shown(k, &L, o->mark.file), line,
                                       sizeof line)) {
                    ksi_kc_line(k, "%s", line);
                    k->status = 1;
                    continue;
                }
                if (strncmp(err.msg, "admission webhook", 17) == 0
                    || strncmp(err.msg, "Internal error occurred:", 24) == 0) {
                    /* the API server's words for a webhook's refusal, or its
                     * failure to call one */
                    bool exists = ks_cluster_find(k->sim, o->kind, o->meta.ns, o->meta.name);
                    ksi_kc_line(k, "Error from server (%s): error when %s \"%s\": %s",
                                err.msg[0] == 'I' ? "InternalError" : "BadRequest",
                                exists ? "applying patch to" : "creating",
                                shown(k, &L, o->mark.file), err.msg);
                    k->status = 1;
                    continue;
                }
                print_apply_error(k, &err);
                continue;
            }
            ksi_kc_line(k, "%s/%s %s", ks_kind_resource(o->kind), o->meta.name,
                        res == KS_APPLY_CREATED ? "created"
                        : res == KS_APPLY_CONFIGURED ? "configured" : "unchanged");
        }
        print_errors(k, &L);
    }
    if (objects == 0 && k->status == 0)
        return ksi_kc_error(k, "no objects passed to %s", create ? "create" : "apply");
    return k->status;
}

int ksi_kc_apply(ksi_kc *k)
{
    return apply_files(k, false);
}

/* ---- create secret generic / configmap ------------------------------------------------- */
static bool valid_config_key(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
              || *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (h ^ 0xff) * 1099511628211ull;
}

static int create_data(ksi_kc *k, ks_kind kind, const char *name)
{
    const char **lits, *why, *what = kind == KS_KIND_SECRET ? "secret" : "configmap";
    size_t n = ksi_kc_list(k, "from-literal", &lits), i, j;
    ks_arena *ar;
    ks_object *o;
    ks_kv *items;
    ks_apply_result res;
    ks_error err;
    if (ksi_kc_has(k, "from-file"))
        return ksi_kc_error(k, "kubesim cannot read --from-file; use --from-literal "
                               "KEY=VALUE");
    if ((why = ks_check_dns_subdomain(name)) != NULL)
        return ksi_kc_error(k, "failed to create %s %s \"%s\" is invalid: metadata.name: "
                               "Invalid value: \"%s\": %s", what, ks_kind_name(kind), name,
                            name, why);
    for (i = 0; i < n; i++) {
        const char *eq = strchr(lits[i], '=');
        const char *key = eq ? ks_arena_strndup(k->tmp, lits[i], (size_t)(eq - lits[i])) : NULL;
        if (!eq || eq == lits[i])
            return ksi_kc_error(k, "invalid literal source %s, expected key=value", lits[i]);
        if (!key)
            return ksi_kc_error(k, "out of memory");
        if (!valid_config_key(key))
            return ksi_kc_error(k, "\"%s\" is not a valid key name for a %s: a valid config key "
                                   "must consist of alphanumeric characters, '-', '_' or '.' "
                                   "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex "
                                   "used for validation is '[-._a-zA-Z0-9]+')", key,
                                ks_kind_name(kind));
        for (j = 0; j < i; j++)
            if (strncmp(lits[j], lits[i], (size_t)(eq - lits[i]) + 1) == 0)
                return ksi_kc_error(k, "cannot add key %s, another key by that name already "
                                       "exists in data", key);
    }
    if (ksi_kc_dry(k))
        return 0;
    if (ks_cluster_find(k->sim, kind, k->ns, name))
        return ksi_kc_error(k, "failed to create %s %s \"%s\" already exists", what,
                            ksi_kc_plural(kind), name);
    if (!(ar = ksi_kc_object_arena(k)))
        return 1;
    o = ks_arena_alloc(ar, sizeof *o);
    items = ks_arena_alloc(ar, (n + 1) * sizeof *items);
    if (!o || !items || !(o->meta.name = ks_arena_strdup(ar, name))
        || !(o->meta.ns = ks_arena_strdup(ar, k->ns)))
        return ksi_kc_error(k, "out of memory");
    o->kind = kind;
    o->api_version = "v1";
    o->mark = o->meta.mark = o->meta.name_mark = KS_MARK_NONE;
    o->hash = fnv(fnv(fnv(14695981039346656037ull, ks_kind_name(kind)), k->ns), name);
    for (i = 0; i < n; i++) {
        const char *eq = strchr(lits[i], '=');
        items[i].key = ks_arena_strndup(ar, lits[i], (size_t)(eq - lits[i]));
        items[i].value = ks_arena_strdup(ar, eq + 1);
        if (!items[i].key || !items[i].value)
            return ksi_kc_error(k, "out of memory");
        o->hash = fnv(fnv(o->hash, items[i].key), items[i].value);
    }
    if (kind == KS_KIND_SECRET) {
        const char *type = ksi_kc_flag(k, "type");
        o->u.secret.type = type ? ks_arena_strdup(ar, type) : "Opaque";
        o->u.secret.data.items = items;
        o->u.secret.data.n = n;
    } else {
        o->u.cm.data.items = items;
        o->u.cm.data.n = n;
    }
    ks_error_clear(&err);
    if (ks_cluster_apply(k->sim, o, &res, &err) != KS_OK)
        return ksi_kc_error(k, "failed to create %s %s", what, err.msg);
    ksi_kc_line(k, "%s/%s created", what, name);
    return 0;
}

/* kubectl create namespace NAME (create_namespace.go): the API server's
 * error as it is, not wrapped; a namespace being deleted is there still. */
static int create_namespace(ksi_kc *k)
{
    const char *name, *why, *text;
    ks_id id;
    if (k->nargs != 2)
        return ksi_kc_error(k, "exactly one NAME is required, got %zu", k->nargs - 1);
    name = k->args[1];
    if ((why = ks_check_dns_label(name)) != NULL) {
        ksi_kc_line(k, "The Namespace \"%s\" is invalid: metadata.name: Invalid value: "
                       "\"%s\": %s", name, name, why);
        k->status = 1;
        return 1;
    }
    if (ksi_kc_dry(k))
        return 0;
    if (ks_cluster_namespace_exists(k->sim, name)) {
        id = ks_cluster_find(k->sim, KS_KIND_NAMESPACE, NULL, name);
        ksi_kc_line(k, "Error from server (AlreadyExists): %snamespaces \"%s\" already exists",
                    id && ks_cluster_terminating(k->sim, id) ? "object is being deleted: " : "",
                    name);
        k->status = 1;
        return 1;
    }
    text = ks_arena_printf(k->tmp, "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n",
                           name);
    return ksi_kc_create_text(k, text, "namespace", name);
}

int ksi_kc_create_text(ksi_kc *k, const char *text, const char *what, const char *name)
{
    ks_manifests m = {0};
    ks_apply_result res;
    ks_error err;
    ks_diags *d = ks_arena_alloc(k->tmp, sizeof *d);
    ks_arena *ar = ksi_kc_object_arena(k);
    int rc;
    if (!ar)
        return 1;
    text = text ? ks_arena_strdup(ar, text) : NULL;
    if (d)
        ks_diags_init(d);
    rc = text && d ? ks_manifest_load_text(ar, "kubectl", text, strlen(text), 1, 1, NULL, &m, d)
                   : KS_ENOMEM;
    ks_error_clear(&err);
    if (rc != KS_OK || m.n != 1) {
        char why[300] = "out of memory";
        if (d && d->n)
            ks_diag_format(d, 0, why, sizeof why);
        return ksi_kc_error(k, "failed to create %s %s", what, why);
    }
    if (ks_cluster_apply(k->sim, m.objs[0], &res, &err) != KS_OK)
        return ksi_kc_error(k, "failed to create %s %s", what, err.msg);
    ksi_kc_line(k, "%s/%s created", what, name);
    return 0;
}

int ksi_kc_create(ksi_kc *k)
{
    if (ksi_kc_has(k, "filename"))
        return apply_files(k, true);
    if (k->nargs == 0)
        return ksi_kc_error(k, "must specify one of -f and -k");
    if (strcmp(k->args[0], "secret") == 0) {
        if (k->nargs < 2)
            return ksi_kc_error(k, "kubesim creates secrets with \"kubectl create secret "
                                   "generic NAME --from-literal=KEY=VALUE\"");
        if (strcmp(k->args[1], "generic") != 0)
            return ksi_kc_error(k, strcmp(k->args[1], "docker-registry") == 0
                                       || strcmp(k->args[1], "tls") == 0
                                   ? "kubesim creates generic secrets only"
                                   : "unknown command \"%s\" for \"kubectl create secret\"",
                                k->args[1]);
        if (k->nargs != 3)
            return ksi_kc_error(k, "exactly one NAME is required, got %zu", k->nargs - 2);
        return create_data(k, KS_KIND_SECRET, k->args[2]);
    }
    if (strcmp(k->args[0], "job") == 0)
        return ksi_kc_create_job(k);
    if (strcmp(k->args[0], "namespace") == 0 || strcmp(k->args[0], "ns") == 0)
        return create_namespace(k);
    if (strcmp(k->args[0], "configmap") == 0 || strcmp(k->args[0], "cm") == 0) {
        if (k->nargs != 2)
            return ksi_kc_error(k, "exactly one NAME is required, got %zu", k->nargs - 1);
        return create_data(k, KS_KIND_CONFIGMAP, k->args[1]);
    }
    return ksi_kc_error(k, "kubesim does not simulate \"kubectl create %s\"; it creates "
                           "secrets (generic), configmaps, jobs, namespaces, and objects from files "
                           "(-f)",
                        k->args[0]);
}

/* ---- delete -------------------------------------------------------------------------------- */
typedef struct del_opts {
    int64_t grace;            /* -1: the pod's own */
    bool force;               /* grace 0 and --force: remove at once */
    bool warned;
} del_opts;

/* The system namespaces: NamespaceLifecycle refuses to delete default,
 * kube-system, kube-public; kube-node-lease goes (and comes back). Returns
 * whether name was one of them, answered. */
static bool system_namespace(ksi_kc *k, int kind, const char *name)
{
    if (kind != KS_KIND_NAMESPACE)
        return false;
    if (ks_cluster_namespace_delete_system(k->sim, name) == KS_OK) {
        ksi_kc_line(k, "namespace \"%s\" deleted", name);
        return true;
    }
    if (!ks_cluster_namespace_immortal(name))
        return false;
    ksi_kc_line(k, "Error from server (Forbidden): namespaces \"%s\" is forbidden: this "
                   "namespace may not be deleted", name);
    k->status = 1;
    return true;
}

static void delete_one(ksi_kc *k, del_opts *o, ks_id id, int kind, const char *name)
{
    int rc;
    bool force = o->force && kind == KS_KIND_POD;
    name = ks_arena_strdup(k->tmp, name);       /* the object may go with it */
    if (!name) {
        ksi_kc_error(k, "out of memory");
        return;
    }
    if (force && !o->warned) {
        ksi_kc_line(k, "Warning: Immediate deletion does not wait for confirmation that the "
                       "running resource has been terminated. The resource may continue to "
                       "run on the cluster indefinitely.");
        o->warned = true;
    }
    rc = ks_cluster_delete(k->sim, id, o->grace, force);
    if (rc == KS_EINVAL) {
        ksi_kc_error(k, "kubesim does not delete nodes; use kubectl drain, or a node failure "
                        "in the scenario");
        return;
    }
    if (rc != KS_OK) {
        ksi_kc_error(k, "could not delete %s \"%s\"", ksi_kc_plural(kind), name);
        return;
    }
    ksi_kc_line(k, "%s \"%s\" %sdeleted", ks_kind_resource((ks_kind)kind), name,
                force ? "force " : "");
}

static int delete_files(ksi_kc *k, del_opts *o)
{
    const char **files;
    size_t nfiles = ksi_kc_list(k, "filename", &files), f, i;
    bool ignore = ksi_kc_bool(k, "ignore-not-found");
    for (f = 0; f < nfiles; f++) {
        loaded L;
        if (!load(k, k->tmp, files[f], &L))
            continue;
        for (i = 0; i < L.m.n; i++) {
            const ks_object *obj = L.m.objs[i];
            ks_id id;
            if (file_is_bad(&L, obj->mark.file))
                continue;
            if (system_namespace(k, obj->kind, obj->meta.name))
                continue;
            id = ks_cluster_find(k->sim, obj->kind, obj->meta.ns, obj->meta.name);
            if (!id) {
                if (!ignore) {
                    ksi_kc_line(k, "Error from server (NotFound): error when deleting \"%s\": "
                                   "%s \"%s\" not found", shown(k, &L, obj->mark.file),
                                ksi_kc_plural(obj->kind), obj->meta.name);
                    k->status = 1;
                }
                continue;
            }
            delete_one(k, o, id, obj->kind, obj->meta.name);
        }
        print_errors(k, &L);
    }
    return k->status;
}

/* The kinds `all` stands for, in kubectl's order. */
static const int all_kinds[] = {KS_KIND_POD, KS_KIND_SERVICE, KS_KIND_DAEMONSET,
                                KS_KIND_DEPLOYMENT, KS_KIND_REPLICASET, KS_KIND_STATEFULSET,
                                KS_KIND_HPA, KS_KIND_CRONJOB, KS_KIND_JOB};

int ksi_kc_delete(ksi_kc *k)
{
    del_opts o = {-1, false, false};
    const char *seltext = ksi_kc_flag(k, "selector");
    bool all = ksi_kc_bool(k, "all"), any = false, ignore = ksi_kc_bool(k, "ignore-not-found");
    ks_selector sel;
    size_t i, t;
    if (ksi_kc_bool(k, "now")) {
        if (ksi_kc_has(k, "grace-period"))
            return ksi_kc_error(k, "--now and --grace-period cannot be specified together");
        o.grace = 1;
    }
    if (ksi_kc_has(k, "grace-period"))
        o.grace = ksi_kc_int(k, "grace-period", -1);
    if (o.grace == 0 && !ksi_kc_bool(k, "force"))
        o.grace = 1;
    if (ksi_kc_bool(k, "force") && o.grace < 0)
        o.grace = 0;
    o.force = ksi_kc_bool(k, "force") && o.grace == 0;
    if (ksi_kc_has(k, "filename")) {
        if (k->nargs)
            return ksi_kc_error(k, "Unexpected args: [%s]\nSee 'kubectl delete -h' for help "
                                   "and examples", k->args[0]);
        return ksi_kc_dry(k) ? 0 : delete_files(k, &o);
    }
    if (k->nargs == 0)
        return ksi_kc_error(k, "You must provide one or more resources by argument or "
                               "filename.\nExample resource specifications include:\n"
                               "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                               "   '<resource> <name>'\n   '<resource>'");
    if (seltext && !ksi_kc_selector(k, seltext, &sel))
        return 1;
    if (strchr(k->args[0], '/') || k->nargs > 1) {
        /* named objects: TYPE NAME... or TYPE/NAME... */
        const char *type, *name;
        if (seltext || all)
            return ksi_kc_error(k, "name cannot be provided when a selector is specified");
        for (i = 0; i < k->nargs; i++) {
            int kind;
            ks_id id;
            if (ksi_kc_split_slash(k, k->args[i], &type, &name)) {
                if (i == 0 && k->nargs > 1 && !strchr(k->args[1], '/'))
                    return ksi_kc_error(k, "there is no need to specify a resource type as a "
                                           "separate argument when passing arguments in "
                                           "resource/name form");
            } else if (strchr(k->args[0], '/')) {
                return ksi_kc_error(k, "there is no need to specify a resource type as a "
                                       "separate argument when passing arguments in "
                                       "resource/name form");
            } else {
                if (i == 0)
                    continue;
                type = k->args[0];
                name = k->args[i];
            }
            if ((kind = ksi_kc_resource(type)) == KSI_KC_NONE)
                return ksi_kc_no_type(k, type);
            if (kind >= KS_KIND_COUNT)
                return ksi_kc_error(k, "kubesim cannot delete %s by name", type);
            if (ksi_kc_dry(k) || system_namespace(k, kind, name))
                continue;
            if (!(id = ksi_kc_find(k, kind, name)) || (kind == KS_KIND_ENDPOINTS
                                                       && ks_cluster_kind(k->sim, id)
                                                              != KS_KIND_ENDPOINTS)) {
                if (!ignore)
                    ksi_kc_not_found(k, kind, name);
                continue;
            }
            delete_one(k, &o, id, kind, name);
        }
        return k->status;
    }
    /* one TYPE[,TYPE] with -l or --all */
    if (!seltext && !all)
        return ksi_kc_error(k, "resource(s) were provided, but no name was specified");
    {
        char *types = ks_arena_strdup(k->tmp, k->args[0]), *save = NULL, *tok;
        for (tok = types ? strtok_r(types, ",", &save) : NULL; tok;
             tok = strtok_r(NULL, ",", &save)) {
            int kind = ksi_kc_resource(tok);
            size_t nk = kind == KSI_KC_ALL ? sizeof all_kinds / sizeof all_kinds[0] : 1;
            if (kind == KSI_KC_NONE || kind == KSI_KC_EVENTS)
                return ksi_kc_no_type(k, tok);
            for (t = 0; t < nk; t++) {
                int kk = kind == KSI_KC_ALL ? all_kinds[t] : kind;
                ks_id *ids;
                size_t n;
                if (kk == KS_KIND_NODE)
                    return ksi_kc_error(k, "kubesim does not delete nodes; use kubectl drain");
                if (ksi_kc_dry(k))
                    continue;
                n = ksi_kc_select(k, kk, seltext ? &sel : NULL, &ids);
                for (i = 0; i < n; i++) {
                    const char *name = ksi_kc_obj_name(k->sim, ids[i]);
                    if (!name || (kk == KS_KIND_ENDPOINTS
                                  && ks_cluster_kind(k->sim, ids[i]) != KS_KIND_ENDPOINTS))
                        continue;                /* gone with its owner, or a Service's */
                    delete_one(k, &o, ids[i], kk, name);
                    any = true;
                }
            }
        }
    }
    if (!any && k->status == 0 && !ksi_kc_dry(k))
        ksi_kc_line(k, "No resources found");
    return k->status;
}
