/* ks_runner.h -- plays a scenario: builds its cluster, applies its
 * manifests, runs its timeline and checks its expectations.
 *
 * A ks_run owns one ks_sim (so runs on different threads never share
 * state). Creating it loads everything and schedules the work; nothing has
 * happened yet, so a caller can subscribe to the sim's trace (or pass a
 * subscriber in the options) before the first event. Advancing it runs the
 * simulation and checks each expectation at its time, after everything
 * else at that instant; a `during:` window is checked after every instant
 * inside it at which something happened. Each result is stored and emitted
 * as a KS_TR_EXPECT trace event. Nothing is printed.
 * Same scenario + catalog + seed => byte-identical trace and fingerprint.
 * Depends on: ks_cluster, ks_scenario, ks_catalog, ks_trace, ks_kubectl,
 * ks_traffic.
 */
#ifndef KS_RUNNER_H
#define KS_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "load/ks_catalog.h"
#include "load/ks_manifest.h"
#include "load/ks_scenario.h"
#include "core/ks_sim.h"
#include "core/ks_strbuf.h"
#include "node/ks_exec.h"
#include "core/ks_trace.h"

typedef struct ks_run ks_run;

typedef struct ks_run_options {
    uint64_t seed;            /* used when seed_set; else spec.seed */
    bool seed_set;
    ks_time until;            /* the run ends here when until_set (else at
                                 spec.duration); `at: end` means this time */
    bool until_set;
    bool pause_enabled;       /* `pause:` steps stop ks_run_advance (window) */
    bool default_traffic;     /* at 0s, after the apply: GET / at 2/s to every
                                 Ingress host and every NodePort and
                                 LoadBalancer Service (`kubesim apply`) */
    bool no_fingerprint;      /* skip hashing the trace (about a tenth of a
                                 busy run's time); the fingerprint stays 0 */
    ks_trace_fn trace;        /* an extra trace subscriber, added before
                                 anything is emitted (may be NULL) */
    void *trace_ud;
    ks_allocator alloc;       /* {NULL, NULL}: libc */
} ks_run_options;

/* Where an expectation stands. */
typedef enum ks_expect_state {
    KS_EXPECT_PENDING,        /* not checked yet (or a window still open) */
    KS_EXPECT_PASS,
    KS_EXPECT_FAIL,
    KS_EXPECT_NOT_REACHED     /* the run ended before its time */
} ks_expect_state;

typedef struct ks_expect_result {
    const ks_scn_expect *exp; /* borrowed from the scenario */
    size_t index;             /* in spec.expect */
    ks_expect_state state;
    ks_time at;               /* when decided: the check's time, or the first
                                 failing instant of a window */
    char kind[16];            /* "pods" */
    char what[160];           /* what it looks at: "component=server" */
    char when[72];            /* "40s", "end (2m)", "10s..40s" */
    char expected[200];       /* the comparison as written: "ready == 3" */
    char actual[300];         /* what was found: "ready 2 (of 3)" */
    char why[600];            /* failures: a line a learner can act on */
} ks_expect_result;

/* Creates a run of sc (which must outlive it) with base_catalog (may be
 * NULL; spec.images are searched first). Checks every timeline kubectl line
 * (ks_run_check_kubectl) and loads spec.manifests and the files of the
 * timeline's kubectl -f. Any problem is recorded, located, in d and the
 * run is not created (NULL; then d's first code says why: KS_ENOMEM for
 * memory, else bad input) -- except unknown kinds: they are recorded in d
 * as errors (bad input, so the caller's exit code is 2) and the run is
 * still created, showing them as error lines of their apply (the rest
 * applies, as with kubectl). */
ks_run *ks_run_create(const ks_scenario *sc, const ks_catalog *base_catalog,
                      const ks_run_options *opt, ks_diags *d);
/* Destroys the run and its sim. NULL is fine. */
void ks_run_destroy(ks_run *run);

/* The simulation (owned by the run), for subscribers and readers. */
ks_sim *ks_run_sim(ks_run *run);
const ks_scenario *ks_run_scenario(const ks_run *run);
/* When the run ends (spec.duration, or the until option). */
ks_time ks_run_end(const ks_run *run);

/* Runs the simulation to time t (clamped to the end), checking the
 * expectations due. Returns the events dispatched. Returns early (clock at
 * the last event) after a `pause:` step when pause_enabled, or when the sim
 * failed (ks_sim_status). At the end, expectations left pending become
 * NOT_REACHED and ks_run_done is true. Checks are events of the sim, so
 * ks_run_until(ks_run_sim(run), t) checks them as well (the window). */
uint64_t ks_run_advance(ks_run *run, ks_time t);
/* ks_run_advance to the end, resuming after pauses. Returns KS_OK or the
 * sim's failure code. */
int ks_run_to_end(ks_run *run);
bool ks_run_done(const ks_run *run);
/* A live run (a window's lesson served by its S key) goes on past the
 * lesson's end: the run ends at until instead. The lesson's expectations
 * keep the instants it gave them (`at: end`: its old end); a run that had
 * finished keeps its results and runs on, and ks_run_done is false until
 * it reaches until. Returns KS_OK, KS_EINVAL (until is not after the end
 * and now: nothing changes) or KS_ENOMEM. */
int ks_run_extend(ks_run *run, ks_time until);

/* ---- inputs from outside the scenario (kubesim serve) ------------------------
 * A change made live must replay identically from a recording: a timeline
 * step {at: T, kubectl: LINE} runs at T before anything else scheduled for
 * T (KS_PRIO_DEFAULT, scheduled first), so a live input is applied at an
 * instant at which nothing has run and nothing is pending. */

/* Moves the clock forward to the nearest such instant after now (running
 * the events before it) and returns it. */
ks_time ks_run_quiet_instant(ks_run *run);
/* Runs a kubectl command line now exactly as a timeline `kubectl:` step
 * does: the command and each line of its output go on the trace; relative
 * -f paths start at the scenario's folder. Appends the output to out when
 * it is non-NULL. Returns kubectl's exit status (0 or 1). */
int ks_run_kubectl(ks_run *run, const char *line, ks_strbuf *out);
/* The same, and where the tables of its output are (ks_kubectl_run_tables:
 * byte ranges of what it appended to out). */
struct ks_kubectl_tables;
int ks_run_kubectl_tables(ks_run *run, const char *line, ks_strbuf *out,
                          struct ks_kubectl_tables *tables);
/* Runs a timeline `node:` step now, as the step does (on the trace): the
 * machine named name fails or recovers, or is cordoned, uncordoned or
 * drained (not added: a joining node is a step's). Returns KS_OK, or
 * KS_EUNKNOWN (no node of that name; nothing happens, nothing is traced)
 * or KS_EINVAL (add). */
int ks_run_node(ks_run *run, const char *name, ks_scn_node_action action);
/* Runs argv in container (named) of pod now (ks_exec), exactly as the
 * timeline step `kubectl: LINE` does when line is the same exec as a
 * kubectl command line ("exec NAME -n NS -c C [-i] -- ARGS", input the
 * step's stdin: the command's standard input, NULL: none): line and
 * kubectl's output go on the trace, so a recording of it replays byte
 * for byte; the command's own stdout, stderr and exit code in res (which
 * ks_exec_result_fini frees). pod must exist. */
ks_exec_outcome ks_run_exec(ks_run *run, const char *line, ks_id pod, const char *container,
                            const char *const *argv, size_t argc, const char *input,
                            ks_exec_result *res);

/* Results, one per spec.expect item, in file order. */
size_t ks_run_result_count(const ks_run *run);
const ks_expect_result *ks_run_result(const ks_run *run, size_t i);
/* Counts of results in each state. */
void ks_run_tally(const ks_run *run, size_t *passed, size_t *failed, size_t *not_reached);
const char *ks_expect_state_name(ks_expect_state s);    /* "PASS", ... */

/* The fingerprint of the trace so far: ks_trace_hash of every event in
 * order, from KS_TRACE_HASH_SEED (0 with no_fingerprint).
 * ks_run_fingerprint_hex writes it as 16 lower-case hex digits. */
uint64_t ks_run_fingerprint(const ks_run *run);
void ks_run_fingerprint_hex(const ks_run *run, char out[17]);

/* Loads a scenario's spec.manifests into out (objects of item i are
 * out->objs[first[i] .. first[i+1]), when first is non-NULL with room for
 * sc->nmanifests + 1). Unknown kinds go to unknown when it is non-NULL
 * (else to d, as errors); every other message goes to d. Returns KS_OK, or
 * the first error's code. Used by the runner and by `kubesim check`. */
/* What the default cluster's admission webhooks (ingress-nginx's, KS_INGRESS_
 * NGINX_VERSION) would refuse among m->objs[from..], as errors in d at the
 * refused path or annotation, in the webhook's words: `kubectl apply`
 * would fail for them and apply nothing of them. An Ingress whose host and
 * path one of m->objs[base..] applied before it defines is refused too
 * (base: where the objects of this cluster begin, a scenario's first).
 * What it admits but the controller cannot load (a regex path nginx cannot
 * compile: every reload fails) or kubesim cannot route is a warning at the
 * path (ks_ingress_failure_explain).
 * Returns KS_OK, KS_EINVAL or KS_ENOMEM. Used by `kubesim check`. */
int ks_run_admission(const ks_manifests *m, size_t base, size_t from, ks_diags *d);

/* What kubesim's sh would not run in the containers' scripts of m's objects
 * from index from on: a construct it refuses (a pipe, $(...)), a program it
 * does not run (ls, grep): a warning at the command's place, never a
 * container run wrong in silence. Used by `kubesim check`. cat (NULL:
 * none): the images' catalog, whose entrypoints a script may exec. */
void ks_run_check_commands(const ks_manifests *m, size_t from, const ks_catalog *cat,
                           ks_diags *d);

int ks_run_load_manifests(ks_arena *ar, const ks_scenario *sc, ks_manifests *out,
                          size_t *first, ks_diags *d, ks_diags *unknown);

/* Reads every timeline kubectl line with the parser the run uses
 * (ks_kubectl_check); a line that would fail is an error at its place:
 * "spec.timeline[3].kubectl: this line would fail when it runs: invalid
 * argument ...". Returns KS_OK or the first error's code. */
int ks_run_check_kubectl(const ks_scenario *sc, ks_diags *d);

/* The -f / --filename paths of a kubectl step (apply, create, delete,
 * replace), as written; *n of them, in ar. For `kubesim check`. */
int ks_run_kubectl_files(ks_arena *ar, const char *line, const char ***paths, size_t *n);

#endif
