/* ks_kubectl_objects.c -- what the kubectl commands share about the
 * cluster's objects: resource names and their aliases, lookups by name and
 * by label selector (sorted by namespace and name, as the API server lists
 * them), the time formats (AGE, RFC1123Z, RFC3339Nano), a few shared
 * cells, and the table writer: Go's text/tabwriter, which kubectl prints
 * every table with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal/kubectl.h"
#include "core/ks_error.h"
#include "load/ks_scenario.h"

/* ---- resources ---------------------------------------------------------------------- */
static const struct {
    const char *names[6];
    int kind;
    const char *plural;
} resources[] = {
    {{"pods", "pod", "po"}, KS_KIND_POD, "pods"},
    {{"deployments", "deployment", "deploy", "deployments.apps", "deployment.apps"},
     KS_KIND_DEPLOYMENT, "deployments.apps"},
    {{"replicasets", "replicaset", "rs", "replicasets.apps", "replicaset.apps"},
     KS_KIND_REPLICASET, "replicasets.apps"},
    {{"services", "service", "svc"}, KS_KIND_SERVICE, "services"},
    {{"endpoints", "endpoint", "ep"}, KS_KIND_ENDPOINTS, "endpoints"},
    {{"ingresses", "ingress", "ing", "ingresses.networking.k8s.io",
      "ingress.networking.k8s.io"}, KS_KIND_INGRESS, "ingresses.networking.k8s.io"},
    {{"ingressclasses", "ingressclass"}, KS_KIND_INGRESSCLASS,
     "ingressclasses.networking.k8s.io"},
    {{"secrets", "secret"}, KS_KIND_SECRET, "secrets"},
    {{"configmaps", "configmap", "cm"}, KS_KIND_CONFIGMAP, "configmaps"},
    {{"serviceaccounts", "serviceaccount", "sa"}, KS_KIND_SERVICEACCOUNT, "serviceaccounts"},
    {{"persistentvolumes", "persistentvolume", "pv"}, KS_KIND_PV, "persistentvolumes"},
    {{"persistentvolumeclaims", "persistentvolumeclaim", "pvc"}, KS_KIND_PVC,
     "persistentvolumeclaims"},
    {{"storageclasses", "storageclass", "sc", "storageclasses.storage.k8s.io",
      "storageclass.storage.k8s.io"}, KS_KIND_STORAGECLASS, "storageclasses.storage.k8s.io"},
    {{"jobs", "job", "jobs.batch", "job.batch"}, KS_KIND_JOB, "jobs.batch"},
    {{"cronjobs", "cronjob", "cj", "cronjobs.batch", "cronjob.batch"}, KS_KIND_CRONJOB,
     "cronjobs.batch"},
    {{"horizontalpodautoscalers", "horizontalpodautoscaler", "hpa",
      "horizontalpodautoscalers.autoscaling", "horizontalpodautoscaler.autoscaling"},
     KS_KIND_HPA, "horizontalpodautoscalers.autoscaling"},
    {{"statefulsets", "statefulset", "sts", "statefulsets.apps", "statefulset.apps"},
     KS_KIND_STATEFULSET, "statefulsets.apps"},
    {{"daemonsets", "daemonset", "ds", "daemonsets.apps", "daemonset.apps"},
     KS_KIND_DAEMONSET, "daemonsets.apps"},
    {{"networkpolicies", "networkpolicy", "netpol", "networkpolicies.networking.k8s.io",
      "networkpolicy.networking.k8s.io"}, KS_KIND_NETPOL, "networkpolicies.networking.k8s.io"},
    {{"nodes", "node", "no"}, KS_KIND_NODE, "nodes"},
    {{"namespaces", "namespace", "ns"}, KS_KIND_NAMESPACE, "namespaces"},
    {{"events", "event", "ev"}, KSI_KC_EVENTS, "events"},
    {{"leases", "lease", "leases.coordination.k8s.io", "lease.coordination.k8s.io"},
     KSI_KC_LEASES, "leases.coordination.k8s.io"},
    {{"all"}, KSI_KC_ALL, "all"},
};

#define NRESOURCES (sizeof resources / sizeof resources[0])

/* Resources a Kubernetes API server serves that kubesim's kubectl does not
 * show (`kubectl api-resources` of a 1.34 cluster: names, singulars, short
 * names), so that it does not say the server lacks them. */
static const char *const unshown[] = {
    "endpointslices", "endpointslice", "endpointslices.discovery.k8s.io",
    "poddisruptionbudgets", "poddisruptionbudget", "pdb", "roles", "role", "rolebindings",
    "rolebinding", "clusterroles", "clusterrole", "clusterrolebindings", "clusterrolebinding",
    "limitranges", "limitrange", "limits", "resourcequotas", "resourcequota", "quota",
    "replicationcontrollers", "replicationcontroller", "rc", "podtemplates", "podtemplate",
    "controllerrevisions", "controllerrevision", "priorityclasses", "priorityclass", "pc",
    "runtimeclasses", "runtimeclass", "csidrivers", "csidriver", "csinodes", "csinode",
    "csistoragecapacities", "volumeattachments", "volumeattachment", "volumeattributesclasses",
    "vac", "customresourcedefinitions", "customresourcedefinition", "crd", "crds",
    "apiservices", "apiservice", "certificatesigningrequests", "certificatesigningrequest",
    "csr", "mutatingwebhookconfigurations", "validatingwebhookconfigurations",
    "validatingadmissionpolicies", "validatingadmissionpolicybindings", "flowschemas",
    "prioritylevelconfigurations", "componentstatuses", "componentstatus", "cs",
    "ipaddresses", "ipaddress", "ip", "servicecidrs", "servicecidr", "deviceclasses",
    "resourceclaims", "resourceclaimtemplates", "resourceslices", NULL};

int ksi_kc_no_type(ksi_kc *k, const char *type)
{
    size_t i;
    for (i = 0; unshown[i]; i++)
        if (strcasecmp(type, unshown[i]) == 0)
            return ksi_kc_error(k, "kubesim's kubectl does not show %s yet: a built-in resource "
                                   "of Kubernetes, not simulated here", type);
    return ksi_kc_error(k, "the server doesn't have a resource type \"%s\"", type);
}

int ksi_kc_resource(const char *word)
{
    size_t i, j;
    for (i = 0; i < NRESOURCES; i++)
        for (j = 0; j < 6 && resources[i].names[j]; j++)
            if (strcasecmp(word, resources[i].names[j]) == 0)
                return resources[i].kind;
    return KSI_KC_NONE;
}

const char *ksi_kc_plural(int kind)
{
    size_t i;
    for (i = 0; i < NRESOURCES; i++)
        if (resources[i].kind == kind)
            return resources[i].plural;
    return "resources";
}

bool ksi_kc_namespaced(int kind)
{
    return kind != KS_KIND_NODE && kind != KS_KIND_PV && kind != KS_KIND_STORAGECLASS
           && kind != KS_KIND_NAMESPACE && kind != KS_KIND_INGRESSCLASS;
}

const char *ksi_kc_obj_name(const ks_sim *sim, ks_id id)
{
    const ks_object *o;
    switch (ks_cluster_kind(sim, id)) {
    case KS_KIND_POD:
        return ks_cluster_pod(sim, id)->name;
    case KS_KIND_DEPLOYMENT:
        return ks_cluster_deployment(sim, id)->name;
    case KS_KIND_REPLICASET:
        return ks_cluster_rs(sim, id)->name;
    case KS_KIND_NODE:
        return ks_cluster_node(sim, id)->name;
    case KS_KIND_PV:
        if (ks_cluster_pv(sim, id))
            return ks_cluster_pv(sim, id)->name;
        break;
    case KS_KIND_COUNT:
        return NULL;
    default:
        break;
    }
    o = ks_cluster_object(sim, id);
    return o ? o->meta.name : NULL;
}

const char *ksi_kc_obj_ns(const ks_sim *sim, ks_id id)
{
    const ks_object *o;
    switch (ks_cluster_kind(sim, id)) {
    case KS_KIND_POD:
        return ks_cluster_pod(sim, id)->ns;
    case KS_KIND_DEPLOYMENT:
        return ks_cluster_deployment(sim, id)->ns;
    case KS_KIND_REPLICASET:
        return ks_cluster_rs(sim, id)->ns;
    case KS_KIND_NODE:
    case KS_KIND_PV:
    case KS_KIND_STORAGECLASS:
    case KS_KIND_NAMESPACE:
    case KS_KIND_INGRESSCLASS:
    case KS_KIND_COUNT:
        return "";
    default:
        o = ks_cluster_object(sim, id);
        return o && o->meta.ns ? o->meta.ns : "default";
    }
}

const ks_kvs *ksi_kc_obj_labels(const ks_sim *sim, ks_id id)
{
    static const ks_kvs none = {NULL, 0};
    const ks_object *o;
    switch (ks_cluster_kind(sim, id)) {
    case KS_KIND_POD:
        return &ks_cluster_pod(sim, id)->labels;
    case KS_KIND_DEPLOYMENT:
        return &ks_cluster_deployment(sim, id)->labels;
    case KS_KIND_REPLICASET:
        return &ks_cluster_rs(sim, id)->labels;
    case KS_KIND_NODE:
        return &ks_cluster_node(sim, id)->labels;
    default:
        o = ks_cluster_object(sim, id);
        return o ? &o->meta.labels : &none;
    }
}

ks_id ksi_kc_find(const ksi_kc *k, int kind, const char *name)
{
    if (kind >= KS_KIND_COUNT)
        return 0;
    if (kind == KS_KIND_ENDPOINTS) {          /* a Service's endpoints share its name */
        ks_id id = ks_cluster_find(k->sim, KS_KIND_SERVICE, k->ns, name);
        return id ? id : ks_cluster_find(k->sim, KS_KIND_ENDPOINTS, k->ns, name);
    }
    return ks_cluster_find(k->sim, (ks_kind)kind, k->ns, name);
}

typedef struct sel_item {
    ks_id id;
    const char *ns, *name;
} sel_item;

static int cmp_item(const void *a, const void *b)
{
    const sel_item *x = a, *y = b;
    int c = strcmp(x->ns, y->ns);
    return c ? c : strcmp(x->name, y->name);
}

static size_t collect(ksi_kc *k, ks_kind kind, const ks_selector *sel, sel_item *items,
                      size_t n, size_t cap)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(k->sim, kind, id)) != 0 && n < cap) {
        const char *ns = ksi_kc_obj_ns(k->sim, id), *name = ksi_kc_obj_name(k->sim, id);
        if (!name || (ksi_kc_namespaced(kind) && !k->all_ns && strcmp(ns, k->ns) != 0))
            continue;
        if (sel && !ks_selector_matches(sel, ksi_kc_obj_labels(k->sim, id)))
            continue;
        items[n].id = id;
        items[n].ns = ns;
        items[n].name = name;
        n++;
    }
    return n;
}

static size_t count_kind(const ks_sim *sim, ks_kind kind)
{
    ks_id id = 0;
    size_t n = 0;
    while ((id = ks_cluster_next(sim, kind, id)) != 0)
        n++;
    return n;
}

size_t ksi_kc_select(ksi_kc *k, int kind, const ks_selector *sel, ks_id **out)
{
    size_t cap, n, i;
    sel_item *items;
    *out = NULL;
    if (kind >= KS_KIND_COUNT)
        return 0;
    cap = count_kind(k->sim, (ks_kind)kind)
          + (kind == KS_KIND_ENDPOINTS ? count_kind(k->sim, KS_KIND_SERVICE) : 0);
    items = ks_arena_alloc(k->tmp, (cap + 1) * sizeof *items);
    *out = ks_arena_alloc(k->tmp, (cap + 1) * sizeof **out);
    if (!items || !*out)
        return 0;
    n = collect(k, (ks_kind)kind, sel, items, 0, cap);
    if (kind == KS_KIND_ENDPOINTS) {
        /* every Service has Endpoints of its name; applied ones fill the rest */
        size_t m = n, j;
        n = collect(k, KS_KIND_SERVICE, sel, items, n, cap);
        for (i = 0, j = 0; i < n; i++) {
            size_t x;
            bool dup = false;
            for (x = m; i < m && x < n; x++)
                dup |= strcmp(items[x].name, items[i].name) == 0
                       && strcmp(items[x].ns, items[i].ns) == 0;
            if (!dup)
                items[j++] = items[i];
        }
        n = j;
    }
    qsort(items, n, sizeof *items, cmp_item);
    for (i = 0; i < n; i++)
        (*out)[i] = items[i].id;
    return n;
}

bool ksi_kc_selector(ksi_kc *k, const char *text, ks_selector *sel)
{
    char why[200];
    int rc = ks_scn_selector_parse(k->tmp, text, sel, why, sizeof why);
    if (rc == KS_OK)
        return true;
    ksi_kc_error(k, "unable to parse requirement: %s", rc == KS_ENOMEM ? "out of memory" : why);
    return false;
}

bool ksi_kc_split_slash(ksi_kc *k, const char *word, const char **type, const char **name)
{
    const char *slash = strchr(word, '/');
    if (!slash)
        return false;
    *type = ks_arena_strndup(k->tmp, word, (size_t)(slash - word));
    *name = slash + 1;
    if (!*type)
        *type = "";
    return true;
}

/* ---- time ---------------------------------------------------------------------------- */
const char *ksi_kc_age(ksi_kc *k, ks_time t)
{
    char buf[32];
    ks_age_format(ks_now(k->sim) - t, buf, sizeof buf);
    return ksi_kc_fmt(k, "%s", buf);
}

/* The wall-clock date of simulated time t, when time 0 is epoch (seconds
 * since 1970), and the microseconds past its second. */
static void wall(int64_t epoch, ks_time t, ks_civil *c, int64_t *us)
{
    ks_civil_from_unix(epoch + (t >= 0 ? t / KS_SEC : (t - KS_SEC + 1) / KS_SEC), c);
    *us = t >= 0 ? t % KS_SEC : (KS_SEC + t % KS_SEC) % KS_SEC;
}

const char *ksi_kc_rfc1123z(ksi_kc *k, ks_time t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    ks_civil c;
    int64_t us;
    wall(ks_cluster_clock(k->sim), t, &c, &us);
    return ksi_kc_fmt(k, "%s, %02d %s %04lld %02d:%02d:%02d +0000", days[c.weekday], c.day,
                      months[c.month - 1], (long long)c.year, c.hour, c.minute, c.second);
}

static size_t rfc3339(int64_t epoch, ks_time t, bool fraction, char *buf, size_t n)
{
    ks_civil c;
    int64_t us;
    int i, len;
    char frac[16] = "";
    wall(epoch, t, &c, &us);
    if (us && fraction) {
        snprintf(frac, sizeof frac, ".%06lld", (long long)us);
        for (i = (int)strlen(frac) - 1; i > 0 && frac[i] == '0'; i--)
            frac[i] = '\0';
    }
    len = snprintf(buf, n, "%04lld-%02d-%02dT%02d:%02d:%02d%sZ", (long long)c.year, c.month,
                   c.day, c.hour, c.minute, c.second, frac);
    return len < 0 ? 0 : (size_t)len;
}

size_t ks_kubectl_rfc3339(ks_time t, bool fraction, char *buf, size_t n)
{
    return rfc3339(KS_KUBECTL_EPOCH, t, fraction, buf, n);
}

const char *ksi_kc_rfc3339(ksi_kc *k, ks_time t)
{
    char buf[48];
    rfc3339(ks_cluster_clock(k->sim), t, true, buf, sizeof buf);
    return ksi_kc_fmt(k, "%s", buf);
}

/* ---- cells several printers use ---------------------------------------------------- */
static int cmp_kv(const void *a, const void *b)
{
    return strcmp(((const ks_kv *)a)->key, ((const ks_kv *)b)->key);
}

static const ks_kv *sorted(ksi_kc *k, const ks_kvs *m)
{
    ks_kv *c = ks_arena_alloc(k->tmp, (m->n + 1) * sizeof *c);
    if (!c)
        return NULL;
    if (m->n)
        memcpy(c, m->items, m->n * sizeof *c);
    qsort(c, m->n, sizeof *c, cmp_kv);
    return c;
}

const char *ksi_kc_labels_text(ksi_kc *k, const ks_kvs *labels)
{
    ks_strbuf sb;
    const ks_kv *kv;
    const char *r;
    size_t i;
    if (!labels || labels->n == 0 || !(kv = sorted(k, labels)))
        return "<none>";
    ks_strbuf_init(&sb, ks_sim_allocator(k->sim));
    for (i = 0; i < labels->n; i++)
        ks_strbuf_printf(&sb, "%s%s=%s", i ? "," : "", kv[i].key, kv[i].value);
    r = ks_arena_strdup(k->tmp, ks_strbuf_str(&sb));
    ks_strbuf_fini(&sb);
    return r ? r : "";
}

size_t ks_kubectl_node_ip(const ks_sim *sim, ks_id node, char *buf, size_t n)
{
    ks_id id = 0;
    unsigned i = 2;
    int len;
    while ((id = ks_cluster_next(sim, KS_KIND_NODE, id)) != 0 && id != node)
        i++;
    len = snprintf(buf, n, "192.168.49.%u", i);
    return len < 0 ? 0 : (size_t)len;
}

const char *ksi_kc_node_ip(ksi_kc *k, ks_id node)
{
    char buf[32];
    ks_kubectl_node_ip(k->sim, node, buf, sizeof buf);
    return ksi_kc_fmt(k, "%s", buf);
}

const char *ksi_kc_event_object(ksi_kc *k, const ks_k8s_event *e)
{
    const char *kind = ks_kind_name(e->kind);
    char lower[40];
    size_t i;
    for (i = 0; kind[i] && i + 1 < sizeof lower; i++)
        lower[i] = (char)(kind[i] >= 'A' && kind[i] <= 'Z' ? kind[i] + 32 : kind[i]);
    lower[i] = '\0';
    return e->name ? ksi_kc_fmt(k, "%s/%s", lower, e->name) : ksi_kc_fmt(k, "%s", lower);
}

const char *ksi_kc_event_age(ksi_kc *k, const ks_k8s_event *e)
{
    if (e->count > 1)
        return ksi_kc_fmt(k, "%s (x%d over %s)", ksi_kc_age(k, e->last), e->count,
                          ksi_kc_age(k, e->first));
    return ksi_kc_age(k, e->first);
}

/* ---- Go's text/tabwriter -------------------------------------------------------------- */
typedef struct tw_cell {
    const char *s;
    size_t size, width;
} tw_cell;

typedef struct tw_line {
    tw_cell *cells;
    size_t n;
} tw_line;

typedef struct tw {
    ks_strbuf *out;
    tw_line *lines;
    size_t nlines;
    size_t *widths;
    size_t minwidth, padding;
} tw;

static size_t runes(const char *s, size_t n)
{
    size_t i, r = 0;
    for (i = 0; i < n; i++)
        r += ((unsigned char)s[i] & 0xc0) != 0x80;
    return r;
}

static void tw_write_lines(tw *t, size_t nw, size_t line0, size_t line1)
{
    size_t i, j, k;
    for (i = line0; i < line1; i++) {
        const tw_line *l = &t->lines[i];
        for (j = 0; j < l->n; j++) {
            ks_strbuf_append(t->out, l->cells[j].s, l->cells[j].size);
            if (j < nw)
                for (k = l->cells[j].width; k < t->widths[j]; k++)
                    ks_strbuf_putc(t->out, ' ');
        }
        if (i + 1 < t->nlines)
            ks_strbuf_putc(t->out, '\n');
    }
}

/* tabwriter's format(): a column block is a run of lines that have a
 * tab-terminated cell in this column; its width is the widest cell plus
 * padding (at least minwidth); blocks nest column by column. */
static void tw_format(tw *t, size_t nw, size_t line0, size_t line1)
{
    size_t column = nw, cur;
    for (cur = line0; cur < line1; cur++) {
        size_t width;
        if (column + 1 >= t->lines[cur].n)
            continue;
        tw_write_lines(t, nw, line0, cur);
        line0 = cur;
        width = t->minwidth;
        for (; cur < line1; cur++) {
            const tw_line *l = &t->lines[cur];
            if (column + 1 >= l->n)
                break;
            if (l->cells[column].width + t->padding > width)
                width = l->cells[column].width + t->padding;
        }
        t->widths[nw] = width;
        tw_format(t, nw + 1, line0, cur);
        line0 = cur;
    }
    tw_write_lines(t, nw, line0, line1);
}

void ks_kubectl_tabwrite(ks_strbuf *out, const char *text, size_t len, int minwidth,
                         int padding)
{
    tw t;
    tw_cell *cells;
    size_t i, ncells = 1, nlines = 1, maxcells = 1, cur = 1, c = 0, l = 0, start = 0;
    const ks_allocator *a = &out->alloc;
    for (i = 0; i < len; i++) {
        if (text[i] == '\t') {
            ncells++;
            if (++cur > maxcells)
                maxcells = cur;
        } else if (text[i] == '\n') {
            ncells++;
            nlines++;
            cur = 1;
        }
    }
    memset(&t, 0, sizeof t);
    t.out = out;
    t.minwidth = minwidth > 0 ? (size_t)minwidth : 0;
    t.padding = padding > 0 ? (size_t)padding : 0;
    t.nlines = nlines;
    t.lines = ks_mem_calloc(a, nlines, sizeof *t.lines);
    cells = ks_mem_calloc(a, ncells, sizeof *cells);
    t.widths = ks_mem_calloc(a, maxcells + 1, sizeof *t.widths);
    if (!t.lines || !cells || !t.widths) {
        ks_strbuf_append(out, text, len);          /* unaligned beats nothing */
    } else {
        t.lines[0].cells = cells;
        for (i = 0; i <= len; i++) {
            if (i < len && text[i] != '\t' && text[i] != '\n')
                continue;
            cells[c].s = text + start;
            cells[c].size = i - start;
            cells[c].width = runes(text + start, i - start);
            c++;
            t.lines[l].n++;
            start = i + 1;
            if (i < len && text[i] == '\n')
                t.lines[++l].cells = cells + c;
        }
        tw_format(&t, 0, 0, nlines);
    }
    ks_mem_free(a, t.lines, nlines * sizeof *t.lines);
    ks_mem_free(a, cells, ncells * sizeof *cells);
    ks_mem_free(a, t.widths, (maxcells + 1) * sizeof *t.widths);
}

int ksi_kc_not_found(ksi_kc *k, int kind, const char *name)
{
    ksi_kc_line(k, "Error from server (NotFound): %s \"%s\" not found", ksi_kc_plural(kind),
                name);
    k->status = 1;
    return 1;
}
