/* ks_kubectl_print.c -- `kubectl get`: one printer per resource, with
 * kubectl's headers and cells (KUBERNETES.md sections 1 and 13;
 * printers.go), aligned by the table writer (ks_kubectl_tabwrite) with
 * kubectl's settings: minimum width 6, padding 3.
 *
 * Lists come sorted by namespace and name, as the API server returns them.
 * Several types in one command (get all, get pods,svc) print one table
 * each, separated by a blank line, with names as TYPE/NAME. Events are
 * listed oldest first by when they last happened.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal/kubectl.h"
#include "internal/print.h"
#include "core/ks_error.h"
#include "load/ks_validate.h"

/* ---- a table being built ----------------------------------------------------------------- */
static void put_cell(ks_strbuf *sb, const char *s, bool last)
{
    for (; s && *s; s++)
        ks_strbuf_putc(sb, *s == '\t' || *s == '\n' ? ' ' : *s);
    ks_strbuf_putc(sb, last ? '\n' : '\t');
}

/* Hands the cells of one row to t->fn (key: 0 for the header). */
static void row_to_fn(ksi_table *t, uint64_t key, va_list ap)
{
    const char *cells[KSI_MAX_CELLS], *c;
    size_t n = 0;
    while ((c = va_arg(ap, const char *)) != NULL && n < KSI_MAX_CELLS)
        cells[n++] = c;
    t->ncells = n;
    t->fn(t->ud, key, cells, n);
}

void ksi_table_row(ksi_table *t, bool header, uint64_t key, const char *ns, const char *labels,
                   ...)
{
    va_list ap;
    const char *c, *next;
    if (header && !t->headers)
        return;
    if (t->fn) {
        va_start(ap, labels);
        row_to_fn(t, header ? 0 : key, ap);
        va_end(ap);
        if (!header)
            t->rows++;
        return;
    }
    if (t->ns_column)
        put_cell(&t->sb, ns, false);
    va_start(ap, labels);
    c = va_arg(ap, const char *);
    if (!header && t->prefix && c)
        c = ksi_kc_fmt(t->k, "%s%s", t->prefix, c);
    while (c) {
        next = va_arg(ap, const char *);
        put_cell(&t->sb, c, !next && !t->label_column);
        c = next;
    }
    va_end(ap);
    if (t->label_column)
        put_cell(&t->sb, labels, true);
    if (!header)
        t->rows++;
}

/* ---- cells ----------------------------------------------------------------------------- */
const char *ksi_kc_selector_text(ksi_kc *k, const ks_selector *s)
{
    static const char *const ops[] = {"in", "notin", "", "!"};
    ks_strbuf sb;
    const char *r;
    size_t i, j;
    if (s->match.n == 0 && s->nexprs == 0)
        return "<none>";
    ks_strbuf_init(&sb, ks_sim_allocator(k->sim));
    ks_strbuf_puts(&sb, ksi_kc_labels_text(k, &s->match));
    if (s->match.n == 0)
        ks_strbuf_clear(&sb);
    for (i = 0; i < s->nexprs; i++) {
        const ks_sel_req *q = &s->exprs[i];
        if (sb.len)
            ks_strbuf_putc(&sb, ',');
        if (q->op == KS_SEL_EXISTS || q->op == KS_SEL_NOT_EXISTS) {
            ks_strbuf_printf(&sb, "%s%s", ops[q->op], q->key);
            continue;
        }
        ks_strbuf_printf(&sb, "%s %s (", q->key, ops[q->op]);
        for (j = 0; j < q->nvalues; j++)
            ks_strbuf_printf(&sb, "%s%s", j ? "," : "", q->values[j]);
        ks_strbuf_putc(&sb, ')');
    }
    r = ks_arena_strdup(k->tmp, ks_strbuf_str(&sb));
    ks_strbuf_fini(&sb);
    return r ? r : "";
}

const char *ksi_kc_num(ksi_kc *k, int64_t v)
{
    return ksi_kc_fmt(k, "%lld", (long long)v);
}

const char *ksi_kc_containers_text(ksi_kc *k, const ks_pod_spec *spec, bool images)
{
    ks_strbuf sb;
    const char *r;
    size_t i;
    ks_strbuf_init(&sb, ks_sim_allocator(k->sim));
    for (i = 0; i < spec->ncontainers; i++)
        ks_strbuf_printf(&sb, "%s%s", i ? "," : "",
                         images ? spec->containers[i].image : spec->containers[i].name);
    r = ks_arena_strdup(k->tmp, ks_strbuf_str(&sb));
    ks_strbuf_fini(&sb);
    return r ? r : "";
}

/* ---- one printer per kind ------------------------------------------------------------- */
static void print_pods(ksi_table *t, const ks_id *ids, size_t n, bool wide)
{
    ksi_kc *k = t->k;
    size_t i;
    if (wide)
        HEAD(t, "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
             "READINESS GATES");
    else
        HEAD(t, "NAME", "READY", "STATUS", "RESTARTS", "AGE");
    for (i = 0; i < n; i++) {
        const ks_pod *p = ks_cluster_pod(k->sim, ids[i]);
        const ks_node *node = ks_cluster_node(k->sim, p->node);
        char ready[32], restarts[64];
        ks_pod_ready_text(p, ready, sizeof ready);
        ks_pod_restarts_text(k->sim, p, restarts, sizeof restarts);
        if (wide)
            ROW(t, ids[i], p->name, ready, p->status, restarts, ksi_kc_age(k, p->created),
                p->ip[0] ? p->ip : "<none>", node ? node->name : "<none>", "<none>", "<none>");
        else
            ROW(t, ids[i], p->name, ready, p->status, restarts, ksi_kc_age(k, p->created));
    }
}

static void print_deployments(ksi_table *t, const ks_id *ids, size_t n, bool wide)
{
    ksi_kc *k = t->k;
    size_t i;
    if (wide)
        HEAD(t, "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES",
             "SELECTOR");
    else
        HEAD(t, "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
    for (i = 0; i < n; i++) {
        const ks_deployment *d = ks_cluster_deployment(k->sim, ids[i]);
        const char *ready = ksi_kc_fmt(k, "%lld/%lld", (long long)d->ready,
                                       (long long)d->replicas);
        if (wide)
            ROW(t, ids[i], d->name, ready, ksi_kc_num(k, d->updated), ksi_kc_num(k, d->available),
                ksi_kc_age(k, d->created), ksi_kc_containers_text(k, &d->tmpl->spec, false),
                ksi_kc_containers_text(k, &d->tmpl->spec, true), ksi_kc_selector_text(k, &d->spec->selector));
        else
            ROW(t, ids[i], d->name, ready, ksi_kc_num(k, d->updated), ksi_kc_num(k, d->available),
                ksi_kc_age(k, d->created));
    }
}

static void print_replicasets(ksi_table *t, const ks_id *ids, size_t n, bool wide)
{
    ksi_kc *k = t->k;
    size_t i;
    if (wide)
        HEAD(t, "NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES",
             "SELECTOR");
    else
        HEAD(t, "NAME", "DESIRED", "CURRENT", "READY", "AGE");
    for (i = 0; i < n; i++) {
        const ks_replicaset *r = ks_cluster_rs(k->sim, ids[i]);
        if (wide)
            ROW(t, ids[i], r->name, ksi_kc_num(k, r->replicas), ksi_kc_num(k, r->current), ksi_kc_num(k, r->ready),
                ksi_kc_age(k, r->created), ksi_kc_containers_text(k, &r->tmpl->spec, false),
                ksi_kc_containers_text(k, &r->tmpl->spec, true), ksi_kc_selector_text(k, &r->selector));
        else
            ROW(t, ids[i], r->name, ksi_kc_num(k, r->replicas), ksi_kc_num(k, r->current), ksi_kc_num(k, r->ready),
                ksi_kc_age(k, r->created));
    }
}

static void print_simple(ksi_table *t, int kind, const ks_id *ids, size_t n)
{
    ksi_kc *k = t->k;
    size_t i;
    char cap[32], modes[32];
    switch (kind) {
    case KS_KIND_SECRET:
        HEAD(t, "NAME", "TYPE", "DATA", "AGE");
        break;
    case KS_KIND_CONFIGMAP:
        HEAD(t, "NAME", "DATA", "AGE");
        break;
    case KS_KIND_SERVICEACCOUNT:
        HEAD(t, "NAME", "SECRETS", "AGE");   /* no token Secrets since 1.24 */
        break;
    case KS_KIND_PVC:
        HEAD(t, "NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "AGE");
        break;
    case KS_KIND_PV:
        HEAD(t, "NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM",
             "STORAGECLASS", "REASON", "AGE");
        break;
    case KS_KIND_STORAGECLASS:
        HEAD(t, "NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE",
             "ALLOWVOLUMEEXPANSION", "AGE");
        break;
    case KS_KIND_INGRESSCLASS:
        HEAD(t, "NAME", "CONTROLLER", "PARAMETERS", "AGE");
        break;
    default:
        HEAD(t, "NAME", "STATUS", "AGE");
    }
    for (i = 0; i < n; i++) {
        const ks_object *o = ks_cluster_object(k->sim, ids[i]);
        const char *age = ksi_kc_age(k, ks_cluster_created(k->sim, ids[i]));
        if (kind == KS_KIND_PV) {
            const ks_pv *pv = ks_cluster_pv(k->sim, ids[i]);
            if (!pv)
                continue;
            ks_quantity_format_bytes(pv->capacity, cap, sizeof cap);
            ks_access_modes_format(pv->access, modes, sizeof modes);
            ROW(t, ids[i], pv->name, cap, modes, pv->reclaim ? pv->reclaim : "Delete",
                pv->phase ? pv->phase : "Available",
                pv->claim_name ? ksi_kc_fmt(k, "%s/%s", pv->claim_ns ? pv->claim_ns : "default",
                                            pv->claim_name) : "",
                pv->storage_class ? pv->storage_class : "", "", age);
            continue;
        }
        if (!o)
            continue;
        if (kind == KS_KIND_SECRET) {
            ROW(t, ids[i], o->meta.name, o->u.secret.type ? o->u.secret.type : "Opaque",
                ksi_kc_num(k, (int64_t)o->u.secret.data.n), age);
        } else if (kind == KS_KIND_CONFIGMAP) {
            ROW(t, ids[i], o->meta.name, ksi_kc_num(k, (int64_t)o->u.cm.data.n), age);
        } else if (kind == KS_KIND_SERVICEACCOUNT) {
            ROW(t, ids[i], o->meta.name, "0", age);
        } else if (kind == KS_KIND_PVC) {
            const ks_pvc *c = ks_cluster_pvc(k->sim, ids[i]);
            const ks_pv *pv = c ? ks_cluster_pv(k->sim, c->pv) : NULL;
            const char *sc = c && c->storage_class ? c->storage_class
                             : o->u.pvc.storage_class ? o->u.pvc.storage_class : "";
            cap[0] = modes[0] = '\0';
            if (pv) {
                ks_quantity_format_bytes(pv->capacity, cap, sizeof cap);
                ks_access_modes_format(pv->access, modes, sizeof modes);
            }
            ROW(t, ids[i], o->meta.name,
                c && c->terminating ? "Terminating" : c && c->phase ? c->phase : "Pending",
                pv ? pv->name : "", cap, modes, sc, age);
        } else if (kind == KS_KIND_STORAGECLASS) {
            const ks_storageclass_spec *sc = &o->u.sc;
            ROW(t, ids[i],
                sc->is_default ? ksi_kc_fmt(k, "%s (default)", o->meta.name) : o->meta.name,
                sc->provisioner ? sc->provisioner : "", sc->reclaim ? sc->reclaim : "Delete",
                sc->wait_for_consumer ? "WaitForFirstConsumer" : "Immediate", "false", age);
        } else if (kind == KS_KIND_INGRESSCLASS) {
            ROW(t, ids[i], o->meta.name,
                o->u.ingclass.controller ? o->u.ingclass.controller : "", "<none>", age);
        } else {
            ROW(t, ids[i], o->meta.name, "Active", age);
        }
    }
}

static const char *node_roles(ksi_kc *k, const ks_node *n)
{
    ks_strbuf sb;
    const char *r;
    size_t i;
    static const char prefix[] = "node-role.kubernetes.io/";
    ks_strbuf_init(&sb, ks_sim_allocator(k->sim));
    for (i = 0; i < n->labels.n; i++) {
        const char *key = n->labels.items[i].key;
        if (strncmp(key, prefix, sizeof prefix - 1) == 0 && key[sizeof prefix - 1])
            ks_strbuf_printf(&sb, "%s%s", sb.len ? "," : "", key + sizeof prefix - 1);
        else if (strcmp(key, "kubernetes.io/role") == 0)
            ks_strbuf_printf(&sb, "%s%s", sb.len ? "," : "", n->labels.items[i].value);
    }
    r = ksi_kc_fmt(k, "%s", sb.len ? ks_strbuf_str(&sb) : "<none>");
    ks_strbuf_fini(&sb);
    return r;
}

static void print_nodes(ksi_table *t, const ks_id *ids, size_t n, bool wide)
{
    ksi_kc *k = t->k;
    size_t i;
    if (wide)
        HEAD(t, "NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP",
             "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME");
    else
        HEAD(t, "NAME", "STATUS", "ROLES", "AGE", "VERSION");
    for (i = 0; i < n; i++) {
        const ks_node *nd = ks_cluster_node(k->sim, ids[i]);
        const char *status = ksi_kc_fmt(k, "%s%s", nd->ready ? "Ready" : "NotReady",
                                        nd->unschedulable ? ",SchedulingDisabled" : "");
        if (wide)
            ROW(t, ids[i], nd->name, status, node_roles(k, nd), ksi_kc_age(k, nd->created),
                KS_KUBECTL_K8S_VERSION, ksi_kc_node_ip(k, ids[i]), "<none>",
                KS_KUBECTL_OS_IMAGE, KS_KUBECTL_KERNEL, KS_KUBECTL_RUNTIME);
        else
            ROW(t, ids[i], nd->name, status, node_roles(k, nd), ksi_kc_age(k, nd->created),
                KS_KUBECTL_K8S_VERSION);
    }
}

/* ---- events -------------------------------------------------------------------------------- */
typedef struct ev_item {
    const ks_k8s_event *e;
    size_t i;
} ev_item;

static int cmp_event(const void *a, const void *b)
{
    const ev_item *x = a, *y = b;
    if (x->e->last != y->e->last)
        return x->e->last < y->e->last ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;      /* the list's own order */
}

/* Events carry no namespace here: an object still alive tells its own;
 * nodes' events live in "default", as on a real cluster, and so do those
 * of objects already gone. */
static const char *event_ns(ksi_kc *k, const ks_k8s_event *e)
{
    const char *ns = e->kind == KS_KIND_NODE || ks_cluster_kind(k->sim, e->object) != e->kind
                         ? "" : ksi_kc_obj_ns(k->sim, e->object);
    return ns[0] ? ns : "default";
}

/* Rows of the events whose list indices are in idx, in that order. */
static void event_rows(ksi_table *t, const size_t *idx, size_t n)
{
    ksi_kc *k = t->k;
    size_t i;
    HEAD(t, "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
    for (i = 0; i < n; i++) {
        const ks_k8s_event *e = ks_cluster_event(k->sim, idx[i]);
        ksi_table_row(t, false, idx[i] + 1, event_ns(k, e), "", ksi_kc_event_age(k, e),
            e->warning ? "Warning" : "Normal", e->reason, ksi_kc_event_object(k, e),
            e->message, (const char *)NULL);
    }
}

static size_t print_events(ksi_kc *k, ksi_table *t)
{
    size_t n = ks_cluster_event_count(k->sim), i, m = 0;
    ev_item *ev = ks_arena_alloc(k->tmp, (n + 1) * sizeof *ev);
    size_t *idx = ks_arena_alloc(k->tmp, (n + 1) * sizeof *idx);
    if (!ev || !idx)
        return 0;
    for (i = 0; i < n; i++) {
        ev[m].e = ks_cluster_event(k->sim, i);
        ev[m].i = i;
        if (k->all_ns || strcmp(event_ns(k, ev[m].e), k->ns) == 0)
            m++;
    }
    qsort(ev, m, sizeof *ev, cmp_event);
    for (i = 0; i < m; i++)
        idx[i] = ev[i].i;
    if (m)
        event_rows(t, idx, m);
    return m;
}

const char *ks_kubectl_event_namespace(ks_sim *sim, size_t i)
{
    ksi_kc k;
    memset(&k, 0, sizeof k);
    k.sim = sim;
    return event_ns(&k, ks_cluster_event(sim, i));
}

/* ---- get --------------------------------------------------------------------------------- */
static void print_kind(ksi_table *t, int kind, const ks_id *ids, size_t n, bool wide)
{
    switch (kind) {
    case KS_KIND_POD:
        print_pods(t, ids, n, wide);
        break;
    case KS_KIND_DEPLOYMENT:
        print_deployments(t, ids, n, wide);
        break;
    case KS_KIND_REPLICASET:
        print_replicasets(t, ids, n, wide);
        break;
    case KS_KIND_SERVICE:
        ksi_print_services(t, ids, n, wide);
        break;
    case KS_KIND_ENDPOINTS:
        ksi_print_endpoints(t, ids, n);
        break;
    case KS_KIND_INGRESS:
        ksi_print_ingresses(t, ids, n);
        break;
    case KS_KIND_NODE:
        print_nodes(t, ids, n, wide);
        break;
    case KS_KIND_JOB:
        ksi_print_jobs(t, ids, n, wide);
        break;
    case KS_KIND_CRONJOB:
        ksi_print_cronjobs(t, ids, n, wide);
        break;
    case KS_KIND_HPA:
        ksi_print_hpas(t, ids, n);
        break;
    case KS_KIND_STATEFULSET:
        ksi_print_statefulsets(t, ids, n, wide);
        break;
    case KS_KIND_DAEMONSET:
        ksi_print_daemonsets(t, ids, n, wide);
        break;
    case KS_KIND_NETPOL:
        ksi_print_netpols(t, ids, n);
        break;
    default:
        print_simple(t, kind, ids, n);
    }
}

static void null_row(void *ud, uint64_t key, const char *const *cells, size_t n)
{
    (void)ud, (void)key, (void)cells, (void)n;
}

size_t ks_kubectl_columns(ks_sim *sim, int kind, const uint64_t *keys, size_t n,
                          ks_kubectl_row_fn fn, void *ud)
{
    ksi_kc k;
    ksi_table t;
    size_t normal, i;
    ks_id *ids = NULL;
    size_t *idx = NULL;
    memset(&k, 0, sizeof k);
    memset(&t, 0, sizeof t);
    k.sim = sim;
    k.ns = "default";
    k.all_ns = true;
    if (!(k.tmp = ks_arena_create(ks_sim_allocator(sim))))
        return 0;
    t.k = &k;
    t.headers = true;
    ids = ks_arena_alloc(k.tmp, (n + 1) * sizeof *ids);
    idx = ks_arena_alloc(k.tmp, (n + 1) * sizeof *idx);
    if (!ids || !idx) {
        ks_arena_destroy(k.tmp);
        return 0;
    }
    for (i = 0; i < n; i++) {
        ids[i] = (ks_id)keys[i];
        idx[i] = (size_t)keys[i];
    }
    /* how many columns kubectl shows without -o wide: the plain header */
    t.fn = null_row;
    if (kind < KS_KIND_COUNT)
        print_kind(&t, kind, ids, 0, false);
    normal = t.ncells;
    t.fn = fn;
    t.ud = ud;
    if (kind == KS_KUBECTL_EVENTS)
        event_rows(&t, idx, n);
    else if (kind == KS_KUBECTL_LEASES)
        ksi_lease_rows(&t, ids, n);
    else if (kind == KS_KIND_NAMESPACE)
        ksi_namespace_rows(&t, idx, n);
    else if (kind < KS_KIND_COUNT)
        print_kind(&t, kind, ids, n, true);
    if (kind >= KS_KIND_COUNT || kind == KS_KIND_NAMESPACE)
        normal = t.ncells ? t.ncells : normal;
    ks_arena_destroy(k.tmp);
    return normal;
}

int ksi_kc_get(ksi_kc *k)
{
    const char *output = ksi_kc_flag(k, "output"), *seltext = ksi_kc_flag(k, "selector");
    bool wide = false, names_only = false, multi, any = false;
    int kinds[KS_KIND_COUNT + 4], nkinds = 0, i;
    const char **names;
    size_t nnames = 0, a;
    ks_selector sel;
    ksi_table t;
    if (output) {
        if (strcmp(output, "wide") == 0)
            wide = true;
        else if (strcmp(output, "name") == 0)
            names_only = true;
        else if (!strcmp(output, "yaml") || !strcmp(output, "json")
                 || !strncmp(output, "jsonpath", 8) || !strncmp(output, "custom-columns", 14)
                 || !strncmp(output, "go-template", 11))
            return ksi_kc_error(k, "kubesim does not print -o %s; use kubectl describe", output);
        else
            return ksi_kc_error(k, "unable to match a printer suitable for the output format "
                                   "\"%s\", allowed formats are: custom-columns,"
                                   "custom-columns-file,go-template,go-template-file,json,"
                                   "jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                                   "templatefile,wide,yaml", output);
    }
    if (k->nargs == 0) {
        ksi_kc_line(k, "You must specify the type of resource to get. Use \"kubectl "
                       "api-resources\" for a complete list of supported resources.\n");
        ksi_kc_error(k, "Required resource not specified.\nUse \"kubectl explain <resource>\" "
                        "for a detailed description of that resource (e.g. kubectl explain "
                        "pods).\nSee 'kubectl get -h' for help and examples");
        return 1;
    }
    if (seltext && !ksi_kc_selector(k, seltext, &sel))
        return 1;
    names = ks_arena_alloc(k->tmp, (k->nargs + 1) * sizeof *names);
    if (!names)
        return ksi_kc_error(k, "out of memory");
    if (strchr(k->args[0], '/')) {
        /* TYPE/NAME words: one small table per word's type, in order */
        const char *type, *name;
        for (a = 0; a < k->nargs; a++) {
            int kind;
            if (!ksi_kc_split_slash(k, k->args[a], &type, &name))
                return ksi_kc_error(k, "there is no need to specify a resource type as a "
                                       "separate argument when passing arguments in "
                                       "resource/name form (e.g. 'kubectl get "
                                       "resource/<resource_name>' instead of 'kubectl get "
                                       "resource resource/<resource_name>'");
            if ((kind = ksi_kc_resource(type)) == KSI_KC_NONE)
                return ksi_kc_no_type(k, type);
        }
    } else {
        char *types = ks_arena_strdup(k->tmp, k->args[0]), *save = NULL, *tok;
        for (tok = types ? strtok_r(types, ",", &save) : NULL; tok;
             tok = strtok_r(NULL, ",", &save)) {
            int kind = ksi_kc_resource(tok);
            if (kind == KSI_KC_NONE)
                return ksi_kc_no_type(k, tok);
            if (kind == KSI_KC_ALL) {
                /* kubectl's category "all", in its order */
                static const int all[] = {KS_KIND_POD, KS_KIND_SERVICE, KS_KIND_DAEMONSET,
                                          KS_KIND_DEPLOYMENT, KS_KIND_REPLICASET,
                                          KS_KIND_STATEFULSET, KS_KIND_HPA, KS_KIND_CRONJOB,
                                          KS_KIND_JOB};
                int nall = (int)(sizeof all / sizeof all[0]);
                for (i = 0; i < nall && nkinds < KS_KIND_COUNT + 3; i++)
                    kinds[nkinds++] = all[i];
                if (nkinds == nall)
                    kinds[nkinds++] = KSI_KC_ALL;     /* marks "all": always prefix */
            } else if (nkinds < KS_KIND_COUNT + 3) {
                kinds[nkinds++] = kind;
            }
        }
        for (a = 1; a < k->nargs; a++)
            names[nnames++] = k->args[a];
        if (nnames && seltext)
            return ksi_kc_error(k, "name cannot be provided when a selector is specified");
    }
    if (ksi_kc_dry(k))
        return 0;
    memset(&t, 0, sizeof t);
    t.k = k;
    t.headers = !ksi_kc_bool(k, "no-headers");
    t.ns_column = k->all_ns;
    t.label_column = ksi_kc_bool(k, "show-labels");
    ks_strbuf_init(&t.sb, ks_sim_allocator(k->sim));
    if (strchr(k->args[0], '/')) {
        for (a = 0; a < k->nargs; a++) {
            const char *type, *name;
            int kind;
            ks_id id;
            ksi_kc_split_slash(k, k->args[a], &type, &name);
            kind = ksi_kc_resource(type);
            ks_strbuf_clear(&t.sb);
            t.rows = 0;
            if (kind == KSI_KC_LEASES) {
                if (ksi_print_leases(k, &t, &name, 1, names_only) && !names_only) {
                    if (any)
                        ks_strbuf_putc(k->out, '\n');
                    ks_kubectl_tabwrite(k->out, ks_strbuf_str(&t.sb), t.sb.len, 6, 3);
                }
                any = true;
                continue;
            }
            if (kind >= KS_KIND_COUNT || !(id = ksi_kc_find(k, kind, name))) {
                ksi_kc_not_found(k, kind, name);
                continue;
            }
            ks_strbuf_clear(&t.sb);
            t.rows = 0;
            if (names_only) {
                ksi_kc_line(k, "%s/%s", ks_kind_resource((ks_kind)kind), name);
                any = true;
                continue;
            }
            t.prefix = k->nargs > 1 ? ksi_kc_fmt(k, "%s/", ks_kind_resource((ks_kind)kind))
                                    : NULL;
            print_kind(&t, kind, &id, 1, wide);
            if (any)
                ks_strbuf_putc(k->out, '\n');
            ksi_kc_table(k, ks_strbuf_str(&t.sb), t.sb.len, 6, 3);
            any = true;
        }
        ks_strbuf_fini(&t.sb);
        return k->status;
    }
    multi = nkinds > 1;
    for (i = 0; i < nkinds; i++) {
        int kind = kinds[i];
        ks_id *ids;
        size_t n;
        if (kind == KSI_KC_ALL)
            continue;
        ks_strbuf_clear(&t.sb);
        t.rows = 0;
        t.prefix = multi ? ksi_kc_fmt(k, "%s/", ks_kind_resource((ks_kind)kind)) : NULL;
        if (kind == KSI_KC_EVENTS) {
            if (names_only || nnames) {
                k->status = ksi_kc_error(k, "kubesim lists events in tables only");
                continue;
            }
            if (print_events(k, &t) == 0)
                continue;
        } else if (kind == KSI_KC_LEASES) {
            if (ksi_print_leases(k, &t, names, nnames, names_only) == 0)
                continue;
            any |= names_only;
        } else if (kind == KS_KIND_NAMESPACE && !seltext) {
            if (names_only) {
                k->status = ksi_kc_error(k, "kubesim lists namespaces in tables only");
                continue;
            }
            if (ksi_print_namespaces(k, &t, names, nnames) == 0)
                continue;
        } else {
            if (nnames) {
                ids = ks_arena_alloc(k->tmp, (nnames + 1) * sizeof *ids);
                for (a = 0, n = 0; ids && a < nnames; a++) {
                    ks_id id = ksi_kc_find(k, kind, names[a]);
                    if (id)
                        ids[n++] = id;
                    else
                        ksi_kc_not_found(k, kind, names[a]);
                }
            } else {
                n = ksi_kc_select(k, kind, seltext ? &sel : NULL, &ids);
            }
            if (n == 0)
                continue;
            if (names_only) {
                size_t j;
                for (j = 0; j < n; j++)
                    ksi_kc_line(k, "%s/%s", ks_kind_resource((ks_kind)kind),
                                ksi_kc_obj_name(k->sim, ids[j]));
                any = true;
                continue;
            }
            print_kind(&t, kind, ids, n, wide);
        }
        if (t.rows == 0)
            continue;
        if (any)
            ks_strbuf_putc(k->out, '\n');
        ksi_kc_table(k, ks_strbuf_str(&t.sb), t.sb.len, 6, 3);
        any = true;
    }
    ks_strbuf_fini(&t.sb);
    if (!any && k->status == 0) {
        bool cluster_scoped = true;
        for (i = 0; i < nkinds; i++)
            cluster_scoped &= kinds[i] < KS_KIND_COUNT && !ksi_kc_namespaced(kinds[i]);
        if (k->all_ns || cluster_scoped)
            ksi_kc_line(k, "No resources found");
        else
            ksi_kc_line(k, "No resources found in %s namespace.", k->ns);
    }
    return k->status;
}
