/* cmd_apply.c -- `kubesim apply -f DIR`: the sandbox. The manifests alone,
 * applied at 0s to a default cluster (one node as `minikube start` makes
 * it), with default traffic: GET / at 2 requests/s to every Ingress host
 * and every NodePort and LoadBalancer Service. Headless it prints the log
 * and then what `kubectl get pods` and a request count would show.
 * Exit 0 when it ran, 2 on bad input, 3 on an internal error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "kubectl/ks_kubectl.h"
#include "run/ks_runner.h"
#include "load/ks_scenario.h"
#include "commands.h"
#include "report.h"
#include "runcli.h"

/* A scenario made of the -f paths and nothing else. */
static ks_scenario *sandbox(ks_arena *ar, const ksc_options *o)
{
    ks_scenario *sc = ks_arena_alloc(ar, sizeof *sc);
    int i;
    if (!sc || !(sc->nodes = ks_arena_alloc(ar, sizeof *sc->nodes))
        || !(sc->manifests = ks_arena_alloc(ar, (size_t)o->nfiles * sizeof *sc->manifests)))
        return NULL;
    sc->file = o->files[0];
    sc->dir = ".";
    sc->name = "apply";
    sc->seed = o->seed_set ? o->seed : 1;
    sc->duration = o->until_set ? o->until : KS_SCENARIO_DEFAULT_DURATION;
    sc->nodes[0].name = KS_SCENARIO_DEFAULT_NODE;
    sc->nodes[0].cpu_milli = KS_SCENARIO_DEFAULT_CPU_MILLI;
    sc->nodes[0].memory_bytes = KS_SCENARIO_DEFAULT_MEMORY;
    sc->nnodes = 1;
    sc->default_node = true;
    sc->ingress_nginx = true;
    for (i = 0; i < o->nfiles; i++) {
        struct stat st;
        ks_scn_manifest *m = &sc->manifests[i];
        m->mark = (ks_mark){o->files[i], 0, 0};
        m->path = m->resolved = o->files[i];
        m->is_dir = stat(o->files[i], &st) == 0 && S_ISDIR(st.st_mode);
    }
    sc->nmanifests = (size_t)o->nfiles;
    return sc;
}

/* What `kubectl get pods` prints now, then the requests by route. */
static void print_summary(ks_run *run)
{
    ks_sim *sim = ks_run_sim(run);
    ks_strbuf out;
    const char *s, *nl;
    char end[32];
    ks_duration_format(ks_run_end(run), end, sizeof end);
    printf("\nat %s: kubectl get pods\n", end);
    ks_strbuf_init(&out, NULL);
    ks_kubectl_run(sim, "get pods", NULL, &out);
    for (s = ks_strbuf_str(&out); *s; s = *nl ? nl + 1 : nl) {
        nl = strchr(s, '\n');
        if (!nl)
            nl = s + strlen(s);
        printf("  %.*s\n", (int)(nl - s), s);
    }
    ks_strbuf_fini(&out);
    if (!ksc_print_routes(stdout, sim))
        printf("\n  no requests: no Ingress, NodePort or LoadBalancer Service to send them "
               "to\n");
}

int ksc_cmd_apply(ksc_options *o)
{
    ks_arena *ar = NULL;
    ks_diags *d = NULL;
    const ks_catalog *cat;
    ks_scenario *sc;
    ks_run_options ro;
    ks_run *run = NULL;
    ksc_report rep;
    bool rep_open = false;
    int rc, i;

    for (i = 0; i < o->npaths && o->nfiles < KSC_MAX_PATHS; i++)
        o->files[o->nfiles++] = o->paths[i];        /* `apply DIR` works too */
    if (o->nfiles == 0) {
        fprintf(stderr, "kubesim apply: error: give the manifests with -f FILE-OR-FOLDER\n"
                        "Try 'kubesim apply --help'.\n");
        return KSC_EXIT_BAD_INPUT;
    }
    ar = ks_arena_create(NULL);
    d = malloc(sizeof *d);
    if (!ar || !d || !(sc = sandbox(ar, o))) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        rc = KSC_EXIT_INTERNAL;
        goto out;
    }
    if ((rc = ksc_load_catalog(ar, &cat)) != KSC_EXIT_OK)
        goto out;
    memset(&ro, 0, sizeof ro);
    ro.default_traffic = true;
    if ((rc = ksc_window_run(o, sc, cat, &ro)) >= 0)
        goto out;
    if (ksc_report_start(&rep, o->quiet ? NULL : stdout, o->json) != 0) {
        rc = KSC_EXIT_BAD_INPUT;
        goto out;
    }
    rep_open = true;
    ro.trace = ksc_report_event;
    ro.trace_ud = &rep;
    ks_diags_init(d);
    run = ks_run_create(sc, cat, &ro, d);
    ksc_print_diags(d);
    if (!run) {
        rc = ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
        goto out;
    }
    if (!o->quiet)
        printf("kubesim apply: %d path%s on a default cluster   seed=0x%llx\n\n", o->nfiles,
               o->nfiles == 1 ? "" : "s", (unsigned long long)sc->seed);
    fflush(stdout);
    rc = ks_run_to_end(run) == KS_OK ? KSC_EXIT_OK : KSC_EXIT_INTERNAL;
    rep_open = false;
    if (ksc_report_end(&rep, o->json) != 0 && rc == KSC_EXIT_OK)
        rc = KSC_EXIT_BAD_INPUT;
    if (rc == KSC_EXIT_INTERNAL)
        fprintf(stderr, "kubesim: internal error: the simulation failed\n");
    else
        print_summary(run);
    rc = ksc_input_verdict(d, rc);
out:
    if (rep_open)
        ksc_report_end(&rep, o->json);
    ks_run_destroy(run);
    free(d);
    ks_arena_destroy(ar);
    return rc;
}
