/* cmd_check.c -- `kubesim check PATH...`: load scenarios and manifests
 * without running them and print every problem, gcc-style. A scenario is
 * checked with everything it would apply (spec.manifests and the -f paths
 * of its kubectl steps); a file or folder loaded twice is reported once. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/ks_manifest.h"
#include "run/ks_runner.h"
#include "load/ks_scenario.h"
#include "commands.h"
#include "runcli.h"

static int by_place(const void *a, const void *b)
{
    const ks_error *x = &((const ks_diag_item *)a)->err, *y = &((const ks_diag_item *)b)->err;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->col < y->col ? -1 : (x->col > y->col);
}

/* Prints d's messages to stderr, in file and line order (a stable sort:
 * equal places keep the order they were found in). */
void ksc_print_diags(const ks_diags *d)
{
    ks_diag_item sorted[KS_DIAG_CAP];
    char buf[2048];
    int i, j;
    for (i = 0; i < d->n; i++) {
        /* insertion sort: stable, and n is at most KS_DIAG_CAP */
        for (j = i; j > 0 && by_place(&sorted[j - 1], &d->items[i]) > 0; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = d->items[i];
    }
    for (i = 0; i < d->n; i++) {
        ks_error_format(&sorted[i].err, sorted[i].sev == KS_SEV_ERROR ? "error" : "warning",
                        buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
    if (d->errors + d->warnings > d->n)
        fprintf(stderr, "kubesim: %d more messages not shown\n",
                d->errors + d->warnings - d->n);
}

/* ---- what check has seen ------------------------------------------------------------ */
typedef struct checker {
    ks_arena *ar;
    ks_diags *d;
    ks_manifests m;
    const ks_catalog *cat;     /* the images' (NULL: it did not load) */
    size_t scenarios;
    size_t base;               /* where the objects of the cluster being checked
                                  begin in m (a scenario is a cluster of its own;
                                  the manifest files given apply to one) */
    char **seen;               /* manifest files and folders loaded (resolved) */
    size_t nseen, cap;
} checker;

/* Whether path was loaded already (then its messages are not repeated). */
static bool seen_before(checker *c, const char *path)
{
    char real[PATH_MAX];
    const char *key = realpath(path, real) ? real : path;
    size_t i;
    for (i = 0; i < c->nseen; i++)
        if (strcmp(c->seen[i], key) == 0)
            return true;
    if (c->nseen == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        char **p = ks_arena_alloc(c->ar, cap * sizeof *p);
        if (!p)
            return false;
        if (c->nseen)
            memcpy(p, c->seen, c->nseen * sizeof *p);
        c->seen = p;
        c->cap = cap;
    }
    if ((c->seen[c->nseen] = ks_arena_strdup(c->ar, key)) != NULL)
        c->nseen++;
    return false;
}

/* Manifests as the default cluster would take them: loaded, then what its
 * admission webhooks refuse (ingress-nginx's). */
static void check_manifests(checker *c, const char *path)
{
    size_t from = c->m.n;
    if (!seen_before(c, path)) {
        ks_manifest_load_path(c->ar, path, NULL, &c->m, c->d);
        ks_run_admission(&c->m, c->base, from, c->d);
        ks_run_check_commands(&c->m, from, c->cat, c->d);
    }
}

static bool is_scenario(const char *path)
{
    return ksc_probe_file(path) == KS_SCN_PROBE_SCENARIO;
}

/* A scenario, its timeline's kubectl lines, then what it applies:
 * spec.manifests and kubectl -f paths. */
static void check_scenario(checker *c, const char *path)
{
    ks_scenario *sc;
    const ks_catalog *base_cat = c->cat, *cat = c->cat;
    size_t i, k;
    c->scenarios++;
    c->base = c->m.n;
    if (seen_before(c, path) || ks_scenario_load_file(c->ar, path, &sc, c->d) != KS_OK)
        return;
    ks_run_check_kubectl(sc, c->d);      /* the run's own parser, located */
    if (c->cat && sc->nimages) {
        /* the images as the run knows them: spec.images first */
        ks_catalog *own;
        if (ks_catalog_with_overrides(c->ar, c->cat, sc->images, sc->nimages, &own) == KS_OK)
            cat = own;
    }
    c->cat = cat;
    for (i = 0; i < sc->nmanifests; i++) {
        const ks_scn_manifest *mf = &sc->manifests[i];
        if (mf->path && seen_before(c, mf->resolved))
            continue;
        /* one item at a time: ks_run_load_manifests loads them all */
        {
            ks_scenario one = *sc;
            size_t from = c->m.n;
            one.manifests = &sc->manifests[i];
            one.nmanifests = 1;
            ks_run_load_manifests(c->ar, &one, &c->m, NULL, c->d, NULL);
            ks_run_check_commands(&c->m, from, c->cat, c->d);
            if (sc->ingress_nginx)        /* spec.cluster.ingressController: none: no webhook */
                ks_run_admission(&c->m, c->base, from, c->d);
        }
    }
    for (i = 0; i < sc->ntimeline; i++) {
        const char **files;
        size_t n;
        if (sc->timeline[i].action != KS_SCN_ACT_KUBECTL
            || ks_run_kubectl_files(c->ar, sc->timeline[i].kubectl, &files, &n) != KS_OK)
            continue;
        for (k = 0; k < n; k++) {
            const char *p = files[k][0] == '/' ? files[k]
                                              : ks_arena_printf(c->ar, "%s/%s", sc->dir,
                                                                files[k]);
            if (p)
                check_manifests(c, p);
        }
    }
    c->base = c->m.n;                     /* what comes next is another cluster */
    c->cat = base_cat;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder: like kubectl, its .yaml, .yml and .json files, not subfolders;
 * scenario files among them are checked as scenarios, with what they
 * apply. A folder without scenarios is loaded as manifests, as before. */
static void check_folder(checker *c, const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    bool any = false;
    if (!dp) {
        check_manifests(c, dir);           /* says why, located */
        return;
    }
    while ((e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name);
        struct stat st;
        char *full;
        if (e->d_name[0] == '.'
            || !((len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0)
                 || (len > 4 && strcmp(e->d_name + len - 4, ".yml") == 0)
                 || (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)))
            continue;
        full = ks_arena_printf(c->ar, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                               e->d_name);
        if (full && stat(full, &st) == 0 && S_ISDIR(st.st_mode))
            continue;                  /* subfolders are not read, as kubectl -f DIR */
        if (full && n == cap) {
            char **p = ks_arena_alloc(c->ar, (cap ? 2 * cap : 32) * sizeof *p);
            if (p && n)
                memcpy(p, names, n * sizeof *p);
            names = p;
            cap = cap ? 2 * cap : 32;
        }
        if (full && names)
            names[n++] = full;
    }
    closedir(dp);
    for (i = 0; i < n && !any; i++)
        any = is_scenario(names[i]);
    if (!any) {
        check_manifests(c, dir);
        return;
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (i = 0; i < n; i++) {
        if (is_scenario(names[i]))
            check_scenario(c, names[i]);
        else
            check_manifests(c, names[i]);
    }
}

int ksc_cmd_check(ksc_options *o)
{
    checker c;
    int i, rc = KSC_EXIT_OK;
    if (o->npaths == 0) {
        fprintf(stderr, "kubesim check: error: give at least one file or folder to check\n"
                        "Try 'kubesim check --help'.\n");
        return KSC_EXIT_BAD_INPUT;
    }
    memset(&c, 0, sizeof c);
    c.ar = ks_arena_create(NULL);
    c.d = ks_mem_alloc(NULL, sizeof *c.d);
    if (!c.ar || !c.d) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        ks_arena_destroy(c.ar);
        ks_mem_free(NULL, c.d, sizeof *c.d);
        return KSC_EXIT_INTERNAL;
    }
    ks_diags_init(c.d);
    if (ksc_load_catalog(c.ar, &c.cat) != KSC_EXIT_OK)
        c.cat = NULL;                 /* (said; the scripts are checked without it) */
    for (i = 0; i < o->npaths; i++) {
        struct stat st;
        if (stat(o->paths[i], &st) == 0 && S_ISDIR(st.st_mode))
            check_folder(&c, o->paths[i]);
        else if (is_scenario(o->paths[i]))
            check_scenario(&c, o->paths[i]);
        else
            check_manifests(&c, o->paths[i]);
    }
    ksc_print_diags(c.d);
    fflush(stderr);
    if (c.d->errors)
        rc = KSC_EXIT_BAD_INPUT;
    if (!o->quiet) {
        printf("%s: ", c.d->errors ? "check failed" : "check passed");
        if (c.scenarios)
            printf("%zu scenario%s, ", c.scenarios, c.scenarios == 1 ? "" : "s");
        printf("%zu object%s in %zu file%s; %d error%s, %d warning%s\n", c.m.n,
               c.m.n == 1 ? "" : "s", c.m.files, c.m.files == 1 ? "" : "s",
               c.d->errors, c.d->errors == 1 ? "" : "s", c.d->warnings,
               c.d->warnings == 1 ? "" : "s");
    }
    ks_mem_free(NULL, c.d, sizeof *c.d);
    ks_arena_destroy(c.ar);
    return rc;
}
