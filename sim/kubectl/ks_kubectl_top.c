/* ks_kubectl_top.c -- `kubectl top pod` and `kubectl top node`: what the
 * metrics API (metrics-server) says pods and nodes use, with kubectl's
 * columns and messages (staging/src/k8s.io/kubectl/pkg/cmd/top/top_pod.go,
 * top_node.go; pkg/metricsutil/metrics_printer.go): CPU as "%vm" of the
 * rounded-up millicores, memory as "%vMi" of whole MiB, and for nodes the
 * share of the allocatable; every cell ends in a tab, so lines end padded.
 * The column headers are those of kubectl 1.30, kubesim's version (newer
 * kubectl prints CPU(%) and MEMORY(%)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/kubectl.h"
#include "autoscale/ks_metrics.h"
#include "core/ks_error.h"

/* kubectl top pod: pods younger than this may have no metrics yet
 * (top_pod.go metricsCreationDelay) */
#define METRICS_CREATION_DELAY (2 * KS_MIN)

typedef struct top_row {
    ks_id id;
    const char *ns, *name, *container;
    int64_t milli, memory;            /* milli < 0: no metrics (a node) */
    int64_t key;                      /* --sort-by's value, biggest first */
} top_row;

/* --sort-by first (biggest first), nodes without metrics last, then by
 * namespace, name and container, as the metrics sorters do. */
static int by_key(const void *a, const void *b)
{
    const top_row *x = a, *y = b;
    int c;
    if ((x->milli < 0) != (y->milli < 0))
        return x->milli < 0 ? 1 : -1;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    if ((c = strcmp(x->ns, y->ns)) != 0)
        return c;
    if ((c = strcmp(x->name, y->name)) != 0)
        return c;
    return strcmp(x->container ? x->container : "", y->container ? y->container : "");
}

/* Why the API cannot answer, as kubectl says it; 0 when it can. */
static int api_missing(ksi_kc *k, const char *resource)
{
    switch (ks_metrics_state(k->sim)) {
    case KS_METRICS_ABSENT:
        return ksi_kc_error(k, "Metrics API not available");
    case KS_METRICS_UNAVAILABLE:
        /* the APIService is there, its pod is not ready */
        ksi_kc_line(k, "Error from server (ServiceUnavailable): the server is currently unable "
                       "to handle the request (get %s.metrics.k8s.io)", resource);
        return k->status = 1;
    default:
        return 0;
    }
}

static int parse_sort(ksi_kc *k)
{
    const char *s = ksi_kc_flag(k, "sort-by");
    if (!s || !*s)
        return 0;
    if (strcmp(s, "cpu") == 0)
        return 1;
    if (strcmp(s, "memory") == 0)
        return 2;
    ksi_kc_error(k, "--sort-by accepts only cpu or memory");
    return -1;
}

static void print_rows(ksi_kc *k, top_row *rows, size_t n, bool node, bool containers,
                       int sort)
{
    ks_strbuf sb;
    size_t i;
    for (i = 0; i < n; i++)
        rows[i].key = sort == 1 ? rows[i].milli : sort == 2 ? rows[i].memory : 0;
    qsort(rows, n, sizeof *rows, by_key);
    bool ns = k->all_ns && !node;
    ks_strbuf_init(&sb, ks_sim_allocator(k->sim));
    if (!ksi_kc_bool(k, "no-headers")) {
        if (ns)
            ks_strbuf_puts(&sb, "NAMESPACE\t");
        if (containers)
            ks_strbuf_puts(&sb, "POD\t");
        ks_strbuf_puts(&sb, node ? "NAME\tCPU(cores)\tCPU%\tMEMORY(bytes)\tMEMORY%\t\n"
                                 : "NAME\tCPU(cores)\tMEMORY(bytes)\t\n");
    }
    for (i = 0; i < n; i++) {
        if (ns)
            ks_strbuf_printf(&sb, "%s\t", rows[i].ns);
        if (containers)
            ks_strbuf_printf(&sb, "%s\t", rows[i].name);
        ks_strbuf_printf(&sb, "%s\t", containers ? rows[i].container : rows[i].name);
        if (node) {
            const ks_node *nd = ks_cluster_node(k->sim, rows[i].id);
            if (rows[i].milli < 0) {
                ks_strbuf_puts(&sb, "<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n");
                continue;
            }
            ks_strbuf_printf(&sb, "%lldm\t%lld%%\t%lldMi\t%lld%%\t\n", (long long)rows[i].milli,
                             (long long)(nd->cpu ? rows[i].milli * 100 / nd->cpu : 0),
                             (long long)(rows[i].memory >> 20),
                             (long long)(nd->memory ? rows[i].memory * 100 / nd->memory : 0));
        } else {
            ks_strbuf_printf(&sb, "%lldm\t%lldMi\t\n", (long long)rows[i].milli,
                             (long long)(rows[i].memory >> 20));
        }
    }
    ksi_kc_table(k, ks_strbuf_str(&sb), sb.len, 6, 3);
    ks_strbuf_fini(&sb);
}

/* ---- pods -------------------------------------------------------------------------------- */
/* verifyEmptyMetrics: no pod has metrics; an old one means they are
 * missing, young ones that they are not there yet. */
static int empty_pods(ksi_kc *k, const ks_id *ids, size_t n)
{
    size_t i;
    char age[40];
    if (n == 0) {
        if (k->all_ns)
            ksi_kc_line(k, "No resources found");
        else
            ksi_kc_line(k, "No resources found in %s namespace.", k->ns);
        return 0;
    }
    for (i = 0; i < n; i++) {
        const ks_pod *p = ks_cluster_pod(k->sim, ids[i]);
        if (ks_now(k->sim) - p->created > METRICS_CREATION_DELAY) {
            ks_duration_format(ks_now(k->sim) - p->created, age, sizeof age);
            return ksi_kc_error(k, "Metrics not available for pod %s/%s, age: %s", p->ns,
                                p->name, age);
        }
    }
    return ksi_kc_error(k, "metrics not available yet");
}

static int top_pods(ksi_kc *k)
{
    const char *seltext = ksi_kc_flag(k, "selector");
    bool containers = ksi_kc_bool(k, "containers");
    ks_selector sel;
    ks_id *ids;
    top_row *rows;
    size_t n, i, nrows = 0, per = 1;
    int sort = parse_sort(k);
    if (sort < 0)
        return 1;
    if (k->nargs > 2)
        return ksi_kc_usage_error(k, "pod [NAME | -l label]");
    if (k->nargs == 2 && seltext)
        return ksi_kc_error(k, "only one of NAME or selector can be provided");
    if (seltext && !ksi_kc_selector(k, seltext, &sel))
        return 1;
    if (ksi_kc_dry(k) || api_missing(k, "pods"))
        return k->status;
    if (k->nargs == 2) {
        ks_id id = ksi_kc_find(k, KS_KIND_POD, k->args[1]);
        if (!id)
            return ksi_kc_not_found(k, KS_KIND_POD, k->args[1]);
        n = 1;
        ids = ks_arena_alloc(k->tmp, sizeof *ids);
        if (!ids)
            return ksi_kc_error(k, "out of memory");
        ids[0] = id;
    } else {
        n = ksi_kc_select(k, KS_KIND_POD, seltext ? &sel : NULL, &ids);
    }
    for (i = 0; i < n; i++)              /* rows: one per container at most */
        if (ks_cluster_pod(k->sim, ids[i])->ncontainers + ks_cluster_pod(k->sim, ids[i])->ninit
            > per)
            per = ks_cluster_pod(k->sim, ids[i])->ncontainers
                  + ks_cluster_pod(k->sim, ids[i])->ninit;
    rows = ks_arena_alloc(k->tmp, (n * per + 1) * sizeof *rows);
    if (!rows)
        return ksi_kc_error(k, "out of memory");
    for (i = 0; i < n; i++) {
        const ks_pod *p = ks_cluster_pod(k->sim, ids[i]);
        ks_metrics_sample s;
        size_t c;
        if (!ks_metrics_pod(k->sim, ids[i], &s))
            continue;
        for (c = 0; c < p->ncontainers + p->ninit; c++) {       /* sidecars too */
            ks_metrics_sample cs;
            if (!ks_metrics_container(k->sim, ids[i], c, &cs))
                continue;
            /* a row per pod, or per container with --containers */
            if (containers || nrows == 0 || rows[nrows - 1].id != ids[i]) {
                memset(&rows[nrows], 0, sizeof rows[nrows]);
                rows[nrows].id = ids[i];
                rows[nrows].ns = p->ns;
                rows[nrows].name = p->name;
                rows[nrows].container = p->containers[c].spec->name;
                nrows++;
            }
            rows[nrows - 1].milli += ks_metrics_milli(cs.cpu_nano);
            rows[nrows - 1].memory += cs.memory;
        }
    }
    if (nrows == 0) {
        if (k->nargs == 2) {
            const ks_pod *p = ks_cluster_pod(k->sim, ids[0]);
            ksi_kc_line(k, "Error from server (NotFound): podmetrics.metrics.k8s.io \"%s/%s\" "
                           "not found", p->ns, p->name);
            return k->status = 1;
        }
        return empty_pods(k, ids, n);
    }
    print_rows(k, rows, nrows, false, containers, sort);
    return k->status;
}

/* ---- nodes --------------------------------------------------------------------------------- */
static int top_nodes(ksi_kc *k)
{
    const char *seltext = ksi_kc_flag(k, "selector");
    ks_selector sel;
    ks_id *ids;
    top_row *rows;
    size_t n, i, with = 0;
    int sort = parse_sort(k);
    if (sort < 0)
        return 1;
    if (k->nargs > 2)
        return ksi_kc_usage_error(k, "node [NAME | -l label]");
    if (seltext && !ksi_kc_selector(k, seltext, &sel))
        return 1;
    if (ksi_kc_dry(k) || api_missing(k, "nodes"))
        return k->status;
    if (k->nargs == 2) {
        ks_id id = ksi_kc_find(k, KS_KIND_NODE, k->args[1]);
        if (!id)
            return ksi_kc_not_found(k, KS_KIND_NODE, k->args[1]);
        ids = ks_arena_alloc(k->tmp, sizeof *ids);
        if (!ids)
            return ksi_kc_error(k, "out of memory");
        ids[0] = id;
        n = 1;
    } else {
        n = ksi_kc_select(k, KS_KIND_NODE, seltext ? &sel : NULL, &ids);
    }
    rows = ks_arena_alloc(k->tmp, (n + 1) * sizeof *rows);
    if (!rows)
        return ksi_kc_error(k, "out of memory");
    for (i = 0; i < n; i++) {
        ks_metrics_sample s;
        memset(&rows[i], 0, sizeof rows[i]);
        rows[i].id = ids[i];
        rows[i].ns = "";
        rows[i].name = ks_cluster_node(k->sim, ids[i])->name;
        rows[i].milli = -1;                  /* <unknown> unless it has metrics */
        if (ks_metrics_node(k->sim, ids[i], &s)) {
            rows[i].milli = ks_metrics_milli(s.cpu_nano);
            rows[i].memory = s.memory;
            with++;
        }
    }
    if (with == 0) {
        if (k->nargs == 2) {
            ksi_kc_line(k, "Error from server (NotFound): nodemetrics.metrics.k8s.io \"%s\" not "
                           "found", rows[0].name);
            return k->status = 1;
        }
        return ksi_kc_error(k, "metrics not available yet");
    }
    /* nodes with metrics, sorted; then the ones without, as <unknown> */
    print_rows(k, rows, n, true, false, sort);
    return k->status;
}

int ksi_kc_top(ksi_kc *k)
{
    const char *what = k->nargs ? k->args[0] : NULL;
    if (!what) {
        ksi_kc_line(k, "Display resource (CPU/memory) usage.\n\n The top command allows you to "
                       "see the resource consumption for nodes or pods.\n\n This command "
                       "requires Metrics Server to be correctly configured and working on the "
                       "server.\n\nAvailable Commands:\n  node          Display resource "
                       "(CPU/memory) usage of nodes\n  pod           Display resource "
                       "(CPU/memory) usage of pods\n\nUsage:\n  kubectl top [flags] [options]");
        return 0;
    }
    if (strcmp(what, "pod") == 0 || strcmp(what, "pods") == 0 || strcmp(what, "po") == 0)
        return top_pods(k);
    if (strcmp(what, "node") == 0 || strcmp(what, "nodes") == 0 || strcmp(what, "no") == 0)
        return top_nodes(k);
    return ksi_kc_error(k, "unknown command \"%s\" for \"kubectl top\"", what);
}
