/* kvf_verify.h -- one scenario run twice: by kubesim (the normal runner)
 * and on a cluster (its API), with each expectation's two outcomes side by
 * side.
 *
 * The cluster side: a namespace of its own (kvf_cluster), the manifests
 * applied at 0s, then in time order (kvf_clock): the timeline's kubectl
 * steps through the real kubectl binary (--context, -n), traffic through the
 * service proxy (kvf_traffic), `crash` as a pod deletion (or `kill 1`
 * through pods/exec with allow_exec, kvf_exec; records then counted through
 * exec too), `node` cordon/uncordon/drain
 * through kubectl (uncordoned at the end), a machine's failure or recovery
 * through kubesim serve's node endpoint, a kind node's container (when
 * allowed: started again at the end) or skipped with a note (kvf_machine); each expectation observed at its time (kvf_observe), a `during:`
 * window at every step inside it. With observe_only, the scenario is
 * already running on the cluster (`kubesim serve SCENARIO`): nothing is
 * applied and no step is run, only observed.
 * Depends on: kvf_kubeconfig, kvf_client, kvf_cluster, kvf_manifest,
 * kvf_clock, kvf_traffic, kvf_observe; sim/run (ks_runner).
 */
#ifndef KVF_VERIFY_H
#define KVF_VERIFY_H

#include <stdbool.h>
#include <stdio.h>

#include "load/ks_catalog.h"
#include "load/ks_scenario.h"
#include "run/ks_runner.h"
#include "kvf_kubectl.h"
#include "kvf_observe.h"

#define KVF_MAX_NOTES 32

typedef struct kvf_options {
    const char *kubeconfig;       /* --kubeconfig FILE, or NULL */
    const char *context;          /* --context NAME, or NULL: current-context */
    const char *ns;               /* --namespace NS, or NULL: a fresh one */
    const char *kubectl;          /* the kubectl binary (NULL: "kubectl") */
    double speed;                 /* wall clocks: scenario seconds per second */
    bool keep;                    /* keep the namespace (and objects) */
    bool allow_exec;              /* crash: kill 1 through exec; records through exec */
    bool allow_node_stop;         /* node fail/recover: docker stop/start a kind node */
    bool observe_only;            /* apply nothing, run no step: only look */
    bool wall;                    /* never step a kubesim serve clock */
    long timeout_ms;              /* per request (0: 30 s) */
    FILE *log;                    /* what happens, as it happens (or NULL) */
} kvf_options;

/* One expectation: kubesim's outcome and the cluster's. */
typedef struct kvf_row {
    ks_expect_result sim;         /* a copy (sim.exp borrowed from the scenario) */
    kvf_outcome cluster;
    ks_time at;                   /* when the cluster's was decided */
    bool decided;                 /* both sides have a pass/fail verdict */
    bool differ;                  /* ...and they differ */
    bool sampling;                /* ...they differ, but a success rate's threshold
                                     lies inside either side's 95% interval: within
                                     sampling error (not counted as differing) */
} kvf_row;

typedef struct kvf_report {
    kvf_row *rows;                /* one per spec.expect item (malloc) */
    size_t nrows;
    size_t agree, differ, unobservable, sampling;
    char ns[254];                 /* where it ran */
    char server[256], context[256];
    char clock[200];              /* how time was kept */
    char notes[KVF_MAX_NOTES][400];   /* what was skipped or done otherwise */
    size_t nnotes;
} kvf_report;

/* Runs sc (with catalog cat) on both sides. Returns KS_OK when both ran
 * (the verdicts are in rep), else records why in d and returns its code:
 * bad input (the kubeconfig, an unreachable cluster, a manifest) or
 * KS_ENOMEM. rep is filled either way; free it with kvf_report_fini. */
int kvf_verify_run(const ks_scenario *sc, const ks_catalog *cat, const kvf_options *o,
                   kvf_report *rep, ks_diags *d);
void kvf_report_fini(kvf_report *rep);

#endif
