/* cmd_run.c -- `kubesim run SCENARIO`: play one scenario. In the window
 * when there is one (seam: the renderer is not built yet); headless, print
 * the event log as a timeline, then the outcome table and a summary line.
 * Exit 0 when every expectation held, 1 when one failed, 2 on bad input,
 * 3 on an internal error. Expectations after --until are not reached, and
 * not failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/ks_runner.h"
#include "load/ks_scenario.h"
#include "commands.h"
#include "report.h"
#include "runcli.h"

/* Exit code for a failed load: memory is our problem, the rest is input. */
static int load_failure(const ks_diags *d)
{
    return ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
}

int ksc_cmd_run(ksc_options *o)
{
    ks_arena *ar = NULL;
    ks_diags *d = NULL;
    const ks_catalog *cat;
    ks_scenario *sc;
    ks_run_options ro;
    ks_run *run = NULL;
    ksc_report rep;
    bool rep_open = false;
    size_t passed, failed, unreached;
    char fp[17], end[32];
    int rc;

    if (o->npaths != 1) {
        fprintf(stderr, "kubesim run: error: %s\nTry 'kubesim run --help'.\n",
                o->npaths ? "give one scenario file (to run many, use kubesim test)"
                          : "give the scenario file to run");
        return KSC_EXIT_BAD_INPUT;
    }
    ar = ks_arena_create(NULL);
    d = malloc(sizeof *d);
    if (!ar || !d) {
        rc = KSC_EXIT_INTERNAL;
        fprintf(stderr, "kubesim: error: out of memory\n");
        goto out;
    }
    if ((rc = ksc_load_catalog(ar, &cat)) != KSC_EXIT_OK)
        goto out;
    ks_diags_init(d);
    if (ks_scenario_load_file(ar, o->paths[0], &sc, d) != KS_OK) {
        ksc_print_diags(d);
        rc = load_failure(d);
        goto out;
    }
    memset(&ro, 0, sizeof ro);
    ro.seed = o->seed;
    ro.seed_set = o->seed_set;
    ro.until = o->until;
    ro.until_set = o->until_set;
    if ((rc = ksc_window_run(o, sc, cat, &ro)) >= 0)
        goto out;
    if (ksc_report_start(&rep, o->quiet ? NULL : stdout, o->json) != 0) {
        rc = KSC_EXIT_BAD_INPUT;
        goto out;
    }
    rep_open = true;
    if (!o->quiet || o->json) {   /* -q with no --json: nothing to write */
        ro.trace = ksc_report_event;
        ro.trace_ud = &rep;
    }
    run = ks_run_create(sc, cat, &ro, d);
    ksc_print_diags(d);           /* warnings, or why it could not start */
    if (!run) {
        rc = load_failure(d);
        goto out;
    }
    ks_duration_format(ks_run_end(run), end, sizeof end);
    if (!o->quiet)
        printf("kubesim run: %s%s%s%s   seed=0x%llx   until %s\n\n", sc->name,
               sc->title ? " -- \"" : "", sc->title ? sc->title : "", sc->title ? "\"" : "",
               (unsigned long long)ks_sim_seed(ks_run_sim(run)), end);
    fflush(stdout);
    rc = ks_run_to_end(run) == KS_OK ? KSC_EXIT_OK : KSC_EXIT_INTERNAL;
    if (ksc_report_end(&rep, o->json) != 0 && rc == KSC_EXIT_OK)
        rc = KSC_EXIT_BAD_INPUT;
    rep_open = false;
    if (rc == KSC_EXIT_INTERNAL) {
        fprintf(stderr, "kubesim: internal error: the simulation failed (%s)\n",
                ks_error_code_name(ks_sim_status(ks_run_sim(run))));
        goto out;
    }
    if (!o->quiet)
        ksc_print_routes(stdout, ks_run_sim(run));
    ksc_print_outcomes(stdout, run);
    ks_run_tally(run, &passed, &failed, &unreached);
    ks_run_fingerprint_hex(run, fp);
    printf("%zu passed, %zu failed", passed, failed);
    if (unreached)
        printf(", %zu not reached", unreached);
    printf("   seed=0x%llx fingerprint=%s\n", (unsigned long long)ks_sim_seed(ks_run_sim(run)),
           fp);
    if (rc == KSC_EXIT_OK && failed)
        rc = KSC_EXIT_FAILED;
    rc = ksc_input_verdict(d, rc);
out:
    if (rep_open)
        ksc_report_end(&rep, o->json);
    ks_run_destroy(run);
    free(d);
    ks_arena_destroy(ar);
    return rc;
}
