/* ksv_table_cols.c -- the columns of each served resource's Table as the
 * API server of v1.30 defines them (pkg/printers/internalversion/
 * printers.go, AddHandlers: each resource's TableColumnDefinitions, their
 * names, types, and priority 1 for the columns only `-o wide` shows),
 * and where each cell comes from: kubesim's own kubectl printer
 * (ks_kubectl_columns), by its header, which is the column's name in
 * capitals ("Up-to-date" is UP-TO-DATE), or a function here for what that
 * printer does not print (an EndpointSlice's columns, an event's wide
 * columns, a claim's VolumeAttributesClass). The server generates every
 * row wide (the API server's table convertor asks its printers for
 * Wide: true); kubectl leaves out the priority-1 columns unless -o wide. */
#include <stdio.h>
#include <string.h>

#include "ksv_internal.h"
#include "ksv_table.h"

/* ---- cells the printer does not give ---------------------------------------------------- */
static const char *str_at(json_t *o, const char *a, const char *b)
{
    json_t *v = json_object_get(o, a);
    if (b)
        v = json_object_get(v, b);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* listWithMoreString: the first three, "a,b,c + N more...", or <unset> */
static void more(char *buf, size_t n, size_t count, size_t max)
{
    size_t k = strlen(buf);
    if (count > max)
        snprintf(buf + k, n - k, " + %zu more...", count - max);
    else if (count == 0)
        snprintf(buf, n, "<unset>");
}

static void append(char *buf, size_t n, const char *s)
{
    size_t k = strlen(buf);
    snprintf(buf + k, n - k, "%s%s", k ? "," : "", s);
}

/* formatDiscoveryPorts: each port's number, else its name, else "*" */
static void slice_ports(const ksv_cell *c, char *buf, size_t n)
{
    json_t *ports = json_object_get(c->obj, "ports"), *p;
    size_t i, count = 0;
    char num[32];
    buf[0] = '\0';
    json_array_foreach(ports, i, p) {
        json_t *port = json_object_get(p, "port"), *name = json_object_get(p, "name");
        if (count++ >= 3)
            continue;
        if (json_is_integer(port))
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(port));
        else
            snprintf(num, sizeof num, "%s", json_is_string(name) ? json_string_value(name) : "*");
        append(buf, n, num);
    }
    more(buf, n, count, 3);
}

/* formatDiscoveryEndpoints: the endpoints' addresses */
static void slice_endpoints(const ksv_cell *c, char *buf, size_t n)
{
    json_t *eps = json_object_get(c->obj, "endpoints"), *ep, *a;
    size_t i, j, count = 0;
    buf[0] = '\0';
    json_array_foreach(eps, i, ep) {
        json_array_foreach(json_object_get(ep, "addresses"), j, a) {
            if (count++ < 3 && json_is_string(a))
                append(buf, n, json_string_value(a));
        }
    }
    more(buf, n, count, 3);
}

static void slice_type(const ksv_cell *c, char *buf, size_t n)
{
    snprintf(buf, n, "%s", str_at(c->obj, "addressType", NULL));
}

/* a slice is as old as its Service (ksv_endpointslice) */
static void slice_age(const ksv_cell *c, char *buf, size_t n)
{
    ks_age_format(ks_now(c->sim) - ks_cluster_created(c->sim, (ks_id)c->key), buf, n);
}

static void name_cell(const ksv_cell *c, char *buf, size_t n)
{
    snprintf(buf, n, "%s", c->e->name);
}

/* printEvent: LAST SEEN the lastTimestamp's age (kubesim's own kubectl
   prints "(xN over M)" after it, as kubectl describe does) */
static void event_last(const ksv_cell *c, char *buf, size_t n)
{
    const ks_k8s_event *e = ks_cluster_event(c->sim, (size_t)c->key);
    ks_age_format(ks_now(c->sim) - e->last, buf, n);
}

static void event_first(const ksv_cell *c, char *buf, size_t n)
{
    const ks_k8s_event *e = ks_cluster_event(c->sim, (size_t)c->key);
    ks_age_format(ks_now(c->sim) - e->first, buf, n);
}

static void event_subobject(const ksv_cell *c, char *buf, size_t n)
{
    snprintf(buf, n, "%s", str_at(c->obj, "involvedObject", "fieldPath"));
}

/* formatEventSource: component (or reportingComponent), ", host" */
static void event_source(const ksv_cell *c, char *buf, size_t n)
{
    const char *comp = str_at(c->obj, "source", "component");
    const char *host = str_at(c->obj, "source", "host");
    if (!*comp)
        comp = str_at(c->obj, "reportingComponent", NULL);
    if (!*host)
        host = str_at(c->obj, "reportingInstance", NULL);
    snprintf(buf, n, "%s%s%s", comp, *host ? ", " : "", host);
}

static void event_count(const ksv_cell *c, char *buf, size_t n)
{
    json_t *v = json_object_get(c->obj, "count");
    snprintf(buf, n, "%lld", json_is_integer(v) && json_integer_value(v) ? (long long)
             json_integer_value(v) : 1LL);
}

/* PV and PVC: spec.volumeAttributesClassName (kubesim has none), spec.volumeMode */
static void unset(const ksv_cell *c, char *buf, size_t n)
{
    (void)c;
    snprintf(buf, n, "<unset>");
}

static void volume_mode(const ksv_cell *c, char *buf, size_t n)
{
    const char *m = str_at(c->obj, "spec", "volumeMode");
    snprintf(buf, n, "%s", *m ? m : "<unset>");
}

/* ---- the tables ------------------------------------------------------------------------- */
#define S "string"
#define I "integer"
#define B "boolean"
#define WIDE_TEMPLATE {"Containers", S, 1, NULL}, {"Images", S, 1, NULL}
static const ksv_table_def defs[] = {
    {"", "namespaces", {{"Name", S, 0, NULL}, {"Status", S, 0, NULL}, {"Age", S, 0, NULL}}},
    {"", "nodes", {{"Name", S, 0, NULL}, {"Status", S, 0, NULL}, {"Roles", S, 0, NULL},
                   {"Age", S, 0, NULL}, {"Version", S, 0, NULL}, {"Internal-IP", S, 1, NULL},
                   {"External-IP", S, 1, NULL}, {"OS-Image", S, 1, NULL},
                   {"Kernel-Version", S, 1, NULL}, {"Container-Runtime", S, 1, NULL}}},
    {"", "pods", {{"Name", S, 0, NULL}, {"Ready", S, 0, NULL}, {"Status", S, 0, NULL},
                  {"Restarts", S, 0, NULL}, {"Age", S, 0, NULL}, {"IP", S, 1, NULL},
                  {"Node", S, 1, NULL}, {"Nominated Node", S, 1, NULL},
                  {"Readiness Gates", S, 1, NULL}}},
    {"", "services", {{"Name", S, 0, NULL}, {"Type", S, 0, NULL}, {"Cluster-IP", S, 0, NULL},
                      {"External-IP", S, 0, NULL}, {"Port(s)", S, 0, NULL},
                      {"Age", S, 0, NULL}, {"Selector", S, 1, NULL}}},
    {"", "endpoints", {{"Name", S, 0, NULL}, {"Endpoints", S, 0, NULL}, {"Age", S, 0, NULL}}},
    {"", "secrets", {{"Name", S, 0, NULL}, {"Type", S, 0, NULL}, {"Data", S, 0, NULL},
                     {"Age", S, 0, NULL}}},
    {"", "configmaps", {{"Name", S, 0, NULL}, {"Data", S, 0, NULL}, {"Age", S, 0, NULL}}},
    {"", "serviceaccounts", {{"Name", S, 0, NULL}, {"Secrets", S, 0, NULL},
                             {"Age", S, 0, NULL}}},
    {"", "persistentvolumes",
     {{"Name", S, 0, NULL}, {"Capacity", S, 0, NULL}, {"Access Modes", S, 0, NULL},
      {"Reclaim Policy", S, 0, NULL}, {"Status", S, 0, NULL}, {"Claim", S, 0, NULL},
      {"StorageClass", S, 0, NULL}, {"VolumeAttributesClass", S, 0, unset},
      {"Reason", S, 0, NULL}, {"Age", S, 0, NULL}, {"VolumeMode", S, 1, volume_mode}}},
    {"", "persistentvolumeclaims",
     {{"Name", S, 0, NULL}, {"Status", S, 0, NULL}, {"Volume", S, 0, NULL},
      {"Capacity", S, 0, NULL}, {"Access Modes", S, 0, NULL}, {"StorageClass", S, 0, NULL},
      {"VolumeAttributesClass", S, 0, unset}, {"Age", S, 0, NULL},
      {"VolumeMode", S, 1, volume_mode}}},
    {"", "events", {{"Last Seen", S, 0, event_last}, {"Type", S, 0, NULL},
                    {"Reason", S, 0, NULL}, {"Object", S, 0, NULL},
                    {"Subobject", S, 1, event_subobject}, {"Source", S, 1, event_source},
                    {"Message", S, 0, NULL}, {"First Seen", S, 1, event_first},
                    {"Count", S, 1, event_count}, {"Name", S, 1, name_cell}}},
    {"apps", "deployments", {{"Name", S, 0, NULL}, {"Ready", S, 0, NULL},
                             {"Up-to-date", S, 0, NULL}, {"Available", S, 0, NULL},
                             {"Age", S, 0, NULL}, WIDE_TEMPLATE, {"Selector", S, 1, NULL}}},
    {"apps", "daemonsets", {{"Name", S, 0, NULL}, {"Desired", I, 0, NULL}, {"Current", I, 0, NULL},
                            {"Ready", I, 0, NULL}, {"Up-to-date", I, 0, NULL},
                            {"Available", I, 0, NULL}, {"Node Selector", S, 0, NULL},
                            {"Age", S, 0, NULL}, WIDE_TEMPLATE, {"Selector", S, 1, NULL}}},
    {"apps", "replicasets", {{"Name", S, 0, NULL}, {"Desired", I, 0, NULL},
                             {"Current", I, 0, NULL}, {"Ready", I, 0, NULL},
                             {"Age", S, 0, NULL}, WIDE_TEMPLATE, {"Selector", S, 1, NULL}}},
    {"apps", "statefulsets", {{"Name", S, 0, NULL}, {"Ready", S, 0, NULL}, {"Age", S, 0, NULL},
                              WIDE_TEMPLATE}},
    {"autoscaling", "horizontalpodautoscalers",
     {{"Name", S, 0, NULL}, {"Reference", S, 0, NULL}, {"Targets", S, 0, NULL},
      {"MinPods", S, 0, NULL}, {"MaxPods", S, 0, NULL}, {"Replicas", S, 0, NULL},
      {"Age", S, 0, NULL}}},
    {"batch", "cronjobs", {{"Name", S, 0, NULL}, {"Schedule", S, 0, NULL},
                           {"Timezone", S, 0, NULL}, {"Suspend", B, 0, NULL},
                           {"Active", I, 0, NULL}, {"Last Schedule", S, 0, NULL},
                           {"Age", S, 0, NULL}, WIDE_TEMPLATE, {"Selector", S, 1, NULL}}},
    {"batch", "jobs", {{"Name", S, 0, NULL}, {"Status", S, 0, NULL},
                       {"Completions", S, 0, NULL}, {"Duration", S, 0, NULL},
                       {"Age", S, 0, NULL}, WIDE_TEMPLATE, {"Selector", S, 1, NULL}}},
    {"coordination.k8s.io", "leases", {{"Name", S, 0, NULL}, {"Holder", S, 0, NULL},
                                       {"Age", S, 0, NULL}}},
    {"discovery.k8s.io", "endpointslices",
     {{"Name", S, 0, name_cell}, {"AddressType", S, 0, slice_type},
      {"Ports", S, 0, slice_ports}, {"Endpoints", S, 0, slice_endpoints},
      {"Age", S, 0, slice_age}}},
    {"networking.k8s.io", "networkpolicies", {{"Name", S, 0, NULL}, {"Pod-Selector", S, 0, NULL},
                                              {"Age", S, 0, NULL}}},
    {"networking.k8s.io", "ingresses", {{"Name", S, 0, NULL}, {"Class", S, 0, NULL},
                                        {"Hosts", S, 0, NULL}, {"Address", S, 0, NULL},
                                        {"Ports", S, 0, NULL}, {"Age", S, 0, NULL}}},
    {"networking.k8s.io", "ingressclasses", {{"Name", S, 0, NULL}, {"Controller", S, 0, NULL},
                                             {"Parameters", S, 0, NULL}, {"Age", S, 0, NULL}}},
    /* none are simulated: the columns, for an empty list's Table */
    {"policy", "poddisruptionbudgets",
     {{"Name", S, 0, name_cell}, {"Min Available", S, 0, unset},
      {"Max Unavailable", S, 0, unset}, {"Allowed Disruptions", I, 0, unset},
      {"Age", S, 0, unset}}},
    {"storage.k8s.io", "storageclasses",
     {{"Name", S, 0, NULL}, {"Provisioner", S, 0, NULL}, {"ReclaimPolicy", S, 0, NULL},
      {"VolumeBindingMode", S, 0, NULL}, {"AllowVolumeExpansion", S, 0, NULL},
      {"Age", S, 0, NULL}}},
};

const ksv_table_def *ksv_table_def_of(const ksv_resource *r)
{
    size_t i;
    for (i = 0; i < sizeof defs / sizeof defs[0]; i++)
        if (strcmp(defs[i].group, r->group) == 0 && strcmp(defs[i].resource, r->name) == 0)
            return &defs[i];
    return NULL;
}

size_t ksv_table_ncols(const ksv_table_def *d)
{
    size_t n = 0;
    while (n < KSV_TABLE_MAX_COLS && d->cols[n].name)
        n++;
    return n;
}
