/* shell_complete.c -- Tab completion for `kubesim shell` (see shell.h).
 *
 * The line before the word is split on blanks (quotes are rare in what a
 * learner completes, and a wrong guess only costs a candidate); a leading
 * "kubectl" and "watch [-n T]" are skipped, so the rest reads as a kubectl
 * command. Object names come from the live cluster, filtered by -n NS (the
 * default namespace otherwise; -A: all).
 */
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cluster/ks_cluster.h"

#define MAX_WORDS 64

typedef struct words {
    char **w;
    size_t n, cap;
    bool failed;
} words;

static void add(words *l, const char *prefix, const char *s)
{
    size_t lp = prefix ? strlen(prefix) : 0;
    char *c;
    if (l->failed)
        return;
    if (l->n + 1 >= l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        char **p = realloc(l->w, cap * sizeof *p);
        if (!p) {
            l->failed = true;
            return;
        }
        l->w = p;
        l->cap = cap;
    }
    if (!(c = malloc(lp + strlen(s) + 1))) {
        l->failed = true;
        return;
    }
    memcpy(c, prefix ? prefix : "", lp);
    strcpy(c + lp, s);
    l->w[l->n++] = c;
}

void ksc_shell_words_free(char **w)
{
    size_t i;
    for (i = 0; w && w[i]; i++)
        free(w[i]);
    free(w);
}

/* ---- what there is to complete --------------------------------------------------------- */
static const char *const shell_words[] = {"advance", "run", "watch", "time", "help", "exit",
                                          "quit", "kubectl", NULL};
static const char *const verbs[] = {"apply", "create", "delete", "get", "describe", "logs",
                                    "scale", "rollout", "set", "label", "cordon",
                                    "uncordon", "drain", "autoscale", "version", NULL};
/* the types a learner completes: plurals, and the short names everyone uses */
static const char *const types[] = {
    "pods", "deployments", "replicasets", "services", "svc", "endpoints", "ingresses",
    "secrets", "configmaps", "persistentvolumes", "pv", "persistentvolumeclaims", "pvc",
    "storageclasses", "hpa", "networkpolicies", "nodes", "namespaces", "events", "all", NULL};

static const struct {
    const char *names[6];
    ks_kind kind;
} aliases[] = {
    {{"pods", "pod", "po"}, KS_KIND_POD},
    {{"deployments", "deployment", "deploy", "deployments.apps", "deployment.apps"},
     KS_KIND_DEPLOYMENT},
    {{"replicasets", "replicaset", "rs"}, KS_KIND_REPLICASET},
    {{"services", "service", "svc"}, KS_KIND_SERVICE},
    {{"endpoints", "endpoint", "ep"}, KS_KIND_ENDPOINTS},
    {{"ingresses", "ingress", "ing"}, KS_KIND_INGRESS},
    {{"secrets", "secret"}, KS_KIND_SECRET},
    {{"configmaps", "configmap", "cm"}, KS_KIND_CONFIGMAP},
    {{"serviceaccounts", "serviceaccount", "sa"}, KS_KIND_SERVICEACCOUNT},
    {{"persistentvolumes", "persistentvolume", "pv"}, KS_KIND_PV},
    {{"persistentvolumeclaims", "persistentvolumeclaim", "pvc"}, KS_KIND_PVC},
    {{"storageclasses", "storageclass", "sc"}, KS_KIND_STORAGECLASS},
    {{"jobs", "job", "jobs.batch", "job.batch"}, KS_KIND_JOB},
    {{"cronjobs", "cronjob", "cj", "cronjobs.batch"}, KS_KIND_CRONJOB},
    {{"horizontalpodautoscalers", "horizontalpodautoscaler", "hpa"}, KS_KIND_HPA},
    {{"statefulsets", "statefulset", "sts"}, KS_KIND_STATEFULSET},
    {{"daemonsets", "daemonset", "ds"}, KS_KIND_DAEMONSET},
    {{"networkpolicies", "networkpolicy", "netpol"}, KS_KIND_NETPOL},
    {{"nodes", "node", "no"}, KS_KIND_NODE},
    {{"namespaces", "namespace", "ns"}, KS_KIND_NAMESPACE},
};

static const struct {
    const char *verb;
    const char *flags;             /* blank-separated */
} verb_flags[] = {
    {"apply", "-f --filename= --recursive"},
    {"create", "-f --filename= --from-literal= --from-file= --image= --from="},
    {"delete", "-f --filename= -l --selector= --all --grace-period= --force --now "
               "--ignore-not-found"},
    {"get", "-o --output= -l --selector= -A --all-namespaces --show-labels --no-headers -n "
            "--namespace="},
    {"describe", "-l --selector= -A --all-namespaces -n --namespace="},
    {"logs", "-c --container= -p --previous --tail= --timestamps --all-containers"},
    {"scale", "--replicas="},
    {"autoscale", "--min= --max= --cpu-percent="},
    {"rollout", "--revision="},
    {"label", "--overwrite"},
    {"drain", "--ignore-daemonsets --delete-emptydir-data --force --grace-period="},
};

/* The kind a type word names (the first of a comma list); KS_KIND_COUNT if none. */
static ks_kind kind_of(const char *word)
{
    char buf[64];
    size_t i, j, n = strcspn(word, ",/");
    if (n >= sizeof buf)
        return KS_KIND_COUNT;
    memcpy(buf, word, n);
    buf[n] = '\0';
    for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        for (j = 0; j < 6 && aliases[i].names[j]; j++)
            if (strcasecmp(buf, aliases[i].names[j]) == 0)
                return aliases[i].kind;
    return KS_KIND_COUNT;
}

/* An object's name and namespace through the public lookups. */
static const char *obj_name(const ks_sim *sim, ks_kind kind, ks_id id, const char **ns)
{
    const ks_object *o;
    *ns = NULL;
    switch (kind) {
    case KS_KIND_POD: {
        const ks_pod *p = ks_cluster_pod(sim, id);
        return p ? (*ns = p->ns, p->name) : NULL;
    }
    case KS_KIND_DEPLOYMENT: {
        const ks_deployment *d = ks_cluster_deployment(sim, id);
        return d ? (*ns = d->ns, d->name) : NULL;
    }
    case KS_KIND_REPLICASET: {
        const ks_replicaset *r = ks_cluster_rs(sim, id);
        return r ? (*ns = r->ns, r->name) : NULL;
    }
    case KS_KIND_NODE: {
        const ks_node *n = ks_cluster_node(sim, id);
        return n ? n->name : NULL;
    }
    case KS_KIND_PV: {
        const ks_pv *v = ks_cluster_pv(sim, id);
        return v ? v->name : NULL;
    }
    default:
        o = ks_cluster_object(sim, id);
        return o ? (*ns = o->meta.ns, o->meta.name) : NULL;
    }
}

static void add_names(words *out, const ks_sim *sim, ks_kind kind, const char *ns,
                      const char *prefix)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, kind, id)) != 0) {
        const char *ons, *name = obj_name(sim, kind, id, &ons);
        if (!name)
            continue;
        if (ns && ons && strcmp(ns, ons) != 0)
            continue;
        add(out, prefix, name);
    }
}

static void add_list(words *out, const char *const *list, const char *prefix)
{
    for (; *list; list++)
        add(out, prefix, *list);
}

static void add_flags(words *out, const char *verb)
{
    size_t i;
    for (i = 0; i < sizeof verb_flags / sizeof verb_flags[0]; i++) {
        const char *p = verb_flags[i].flags;
        if (strcmp(verb, verb_flags[i].verb) != 0)
            continue;
        while (*p) {
            char buf[48];
            size_t n = strcspn(p, " ");
            if (n < sizeof buf) {
                memcpy(buf, p, n);
                buf[n] = '\0';
                add(out, NULL, buf);
            }
            p += n;
            p += strspn(p, " ");
        }
    }
}

/* ---- the line ------------------------------------------------------------------------ */
static int split(const char *line, int start, char w[][64], int max)
{
    int n = 0, i = 0;
    while (i < start && n < max) {
        int b;
        while (i < start && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i >= start)
            break;
        b = i;
        while (i < start && line[i] != ' ' && line[i] != '\t')
            i++;
        snprintf(w[n++], 64, "%.*s", i - b, line + b);
    }
    return n;
}

/* The namespace the line asks for: -n NS, --namespace[=]NS; NULL for -A. */
static const char *line_namespace(char w[][64], int n)
{
    int i;
    for (i = 0; i < n; i++) {
        if (strcmp(w[i], "-A") == 0 || strcmp(w[i], "--all-namespaces") == 0)
            return NULL;
        if ((strcmp(w[i], "-n") == 0 || strcmp(w[i], "--namespace") == 0) && i + 1 < n)
            return w[i + 1];
        if (strncmp(w[i], "--namespace=", 12) == 0)
            return w[i] + 12;
        if (strncmp(w[i], "-n", 2) == 0 && w[i][2])
            return w[i] + 2;
    }
    return "default";
}

/* Positional words after the verb, flags (and the values of -n, -l, -o, -c) left out. */
static int positional(char w[][64], int n, int from, int *pos)
{
    int i, k = 0;
    for (i = from; i < n; i++) {
        if (w[i][0] == '-') {
            if ((strcmp(w[i], "-n") == 0 || strcmp(w[i], "-l") == 0 || strcmp(w[i], "-o") == 0
                 || strcmp(w[i], "-c") == 0 || strcmp(w[i], "-f") == 0
                 || strcmp(w[i], "--namespace") == 0 || strcmp(w[i], "--selector") == 0
                 || strcmp(w[i], "--output") == 0 || strcmp(w[i], "--container") == 0
                 || strcmp(w[i], "--filename") == 0)
                && i + 1 < n)
                i++;
            continue;
        }
        pos[k++] = i;
    }
    return k;
}

static void complete_kubectl(words *out, const ks_sim *sim, char w[][64], int n,
                             const char *text, bool *files)
{
    const char *verb = w[0], *ns = line_namespace(w, n);
    int pos[MAX_WORDS], np = positional(w, n, 1, pos);
    const char *slash = strchr(text, '/');
    ks_kind kind;

    if (n >= 2 && (strcmp(w[n - 1], "-f") == 0 || strcmp(w[n - 1], "--filename") == 0)) {
        *files = true;
        return;
    }
    if (n >= 2 && (strcmp(w[n - 1], "-o") == 0 || strcmp(w[n - 1], "--output") == 0)) {
        add(out, NULL, "wide");
        add(out, NULL, "name");
        add(out, NULL, "yaml");
        return;
    }
    if (n >= 2 && (strcmp(w[n - 1], "-n") == 0 || strcmp(w[n - 1], "--namespace") == 0)) {
        add_names(out, sim, KS_KIND_NAMESPACE, NULL, NULL);
        return;
    }
    if (text[0] == '-') {
        add_flags(out, verb);
        return;
    }
    /* TYPE/NAME */
    if (slash && (kind = kind_of(text)) != KS_KIND_COUNT) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%.*s/", (int)(slash - text), text);
        add_names(out, sim, kind, ns, prefix);
        return;
    }
    if (strcmp(verb, "get") == 0 || strcmp(verb, "describe") == 0
        || strcmp(verb, "delete") == 0 || strcmp(verb, "label") == 0) {
        if (np == 0)
            add_list(out, types, NULL);
        else if ((kind = kind_of(w[pos[0]])) != KS_KIND_COUNT && !strchr(w[pos[0]], '/')
                 && (strcmp(verb, "label") != 0 || np == 1))
            add_names(out, sim, kind, ns, NULL);
    } else if (strcmp(verb, "logs") == 0) {
        if (np == 0) {
            add_names(out, sim, KS_KIND_POD, ns, NULL);
            add(out, NULL, "deployment/");
        }
    } else if (strcmp(verb, "scale") == 0) {
        if (np == 0) {
            add(out, NULL, "deployment");
            add(out, NULL, "replicaset");
            add_names(out, sim, KS_KIND_DEPLOYMENT, ns, "deployment/");
        } else if (np == 1 && (kind = kind_of(w[pos[0]])) != KS_KIND_COUNT) {
            add_names(out, sim, kind, ns, NULL);
        }
        add(out, NULL, "--replicas=");
    } else if (strcmp(verb, "rollout") == 0) {
        static const char *const subs[] = {"restart", "status", "history", NULL};
        if (np == 0)
            add_list(out, subs, NULL);
        else if (np == 1) {
            add(out, NULL, "deployment");
            add_names(out, sim, KS_KIND_DEPLOYMENT, ns, "deployment/");
        } else if (np == 2 && kind_of(w[pos[1]]) == KS_KIND_DEPLOYMENT)
            add_names(out, sim, KS_KIND_DEPLOYMENT, ns, NULL);
    } else if (strcmp(verb, "set") == 0) {
        if (np == 0)
            add(out, NULL, "image");
        else if (np == 1)
            add_names(out, sim, KS_KIND_DEPLOYMENT, ns, "deployment/");
    } else if (strcmp(verb, "cordon") == 0 || strcmp(verb, "uncordon") == 0
               || strcmp(verb, "drain") == 0) {
        if (np == 0)
            add_names(out, sim, KS_KIND_NODE, NULL, NULL);
    } else if (strcmp(verb, "create") == 0) {
        if (np == 0) {
            add(out, NULL, "secret");
            add(out, NULL, "configmap");
            add(out, NULL, "-f");
        } else if (np == 1 && strcmp(w[pos[0]], "secret") == 0)
            add(out, NULL, "generic");
        else if (np >= 2)
            add(out, NULL, "--from-literal=");
    } else if (strcmp(verb, "apply") == 0) {
        add(out, NULL, "-f");
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **ksc_shell_complete(const ks_sim *sim, const char *line, int start, const char *text,
                          bool *files)
{
    char w[MAX_WORDS][64];
    int n = split(line, start, w, MAX_WORDS), skip = 0;
    words all = {0}, out = {0};
    size_t i, tl = strlen(text);

    *files = false;
    /* watch [-n T] CMD..., kubectl CMD... */
    if (skip < n && strcmp(w[skip], "watch") == 0) {
        skip++;
        if (skip < n && (strcmp(w[skip], "-n") == 0 || strcmp(w[skip], "--interval") == 0))
            skip += 2;
        else if (skip < n && strncmp(w[skip], "-n", 2) == 0)
            skip++;
    }
    if (skip < n && strcmp(w[skip], "kubectl") == 0)
        skip++;
    if (skip >= n) {
        if (skip == 0)
            add_list(&all, shell_words, NULL);
        add_list(&all, verbs, NULL);
    } else if (skip == 0 && strcmp(w[0], "run") == 0) {
        if (n == 1)
            add(&all, NULL, "until");
    } else if (skip == 0 && (strcmp(w[0], "advance") == 0 || strcmp(w[0], "time") == 0
                             || strcmp(w[0], "help") == 0 || strcmp(w[0], "exit") == 0
                             || strcmp(w[0], "quit") == 0)) {
        /* nothing to complete */
    } else {
        complete_kubectl(&all, sim, w + skip, n - skip, text, files);
    }
    /* keep the ones that start with text, sorted, once each */
    for (i = 0; i < all.n; i++)
        if (strncmp(all.w[i], text, tl) == 0)
            add(&out, NULL, all.w[i]);
    if (all.w)
        all.w[all.n] = NULL;       /* add() keeps room for it */
    ksc_shell_words_free(all.w);
    if (out.failed) {
        if (out.w)
            out.w[out.n] = NULL;
        ksc_shell_words_free(out.w);
        return NULL;
    }
    if (!out.w && !(out.w = calloc(1, sizeof *out.w)))
        return NULL;
    qsort(out.w, out.n, sizeof *out.w, cmp_str);
    {
        size_t j = 0;
        for (i = 0; i < out.n; i++) {
            if (j && strcmp(out.w[j - 1], out.w[i]) == 0)
                free(out.w[i]);
            else
                out.w[j++] = out.w[i];
        }
        out.n = j;
    }
    out.w[out.n] = NULL;
    return out.w;
}
