/* internal/runner.h -- the inside of a ks_run, shared by ks_runner.c (life,
 * loading, timeline, the run loop), ks_runner_expect.c (checking each kind
 * of expectation) and ks_runner_why.c (explanations). Not public API. */
#ifndef KSI_RUNNER_H
#define KSI_RUNNER_H

#include "cluster/ks_cluster.h"
#include "../ks_runner.h"
#include "core/ks_trace.h"

/* A moment at which expectations are looked at: an event at KS_PRIO_LAST.
 * Sorted by (t, order), the finish last at its time. */
typedef enum ksi_cp_kind {
    KSI_CP_AT,            /* `at: T` or `at: end`: decide it now */
    KSI_CP_WIN_START,     /* a `during:` window opens: check, then watch */
    KSI_CP_WIN_END,       /* it closes: check once more; held => PASS */
    KSI_CP_FINISH         /* the end of the run: the rest NOT_REACHED */
} ksi_cp_kind;

typedef struct ksi_checkpoint {
    ks_time t;
    ksi_cp_kind kind;
    size_t exp;           /* index into results */
    size_t order;         /* tie-break: stable by expectation index */
} ksi_checkpoint;

typedef struct ksi_unknown_line {      /* an unknown kind, shown by the apply */
    size_t entry;         /* spec.manifests item */
    const char *text;
} ksi_unknown_line;

struct ks_run {
    const ks_scenario *sc;
    ks_run_options opt;
    ks_sim *sim;
    ks_arena *ar;                 /* catalog, nodes, copies; outlives sim */
    const ks_catalog *catalog;
    ks_time end;
    /* spec.manifests, applied at 0s */
    ks_manifests m;
    size_t *first;                /* per item: its first object in m */
    ksi_unknown_line *unknown;
    size_t nunknown;
    /* spec.timeline, stably sorted by at */
    const ks_scn_step **steps;
    size_t nsteps;
    /* spec.expect */
    ks_expect_result *res;
    size_t nres;
    unsigned char *win_open;      /* per result: a window being watched */
    size_t nwin_open;
    ksi_checkpoint *cps;          /* each one an event at KS_PRIO_LAST */
    size_t ncps;
    bool paused, done;
    bool dirty, dirty_requests;   /* the trace moved since the last window check */
    ks_time windows_due;          /* a window check is scheduled then (-1: none) */
    /* the trace's fingerprint: ks_trace_hash of every event */
    uint64_t fp;
    /* labels of every pod seen, by id (for `events` selectors on pods that
     * are gone); only kept when such an expectation exists */
    bool want_labels;
    ks_kvs *labels;
    size_t labels_cap;
    ks_id last_pod;
    /* the latest records lost, as the trace told (for `records` whys) */
    char lost[3][240];
    size_t nlost;
};

/* ks_runner_load.c: ks_run_load_manifests, also telling where each item's
 * unknown-kind messages start in unknown (ufirst: nmanifests + 1 entries,
 * counting only the messages kept). */
int ksi_run_load(ks_arena *ar, const ks_scenario *sc, ks_manifests *out, size_t *first,
                 ks_diags *d, ks_diags *unknown, size_t *ufirst);

/* ks_runner_load.c: the files of the timeline's kubectl -f, loaded to
 * report their problems before the run. Unknown kinds go to unknown (and
 * do not make the result an error), the rest to d. */
int ksi_run_load_step_files(const ks_scenario *sc, ks_diags *d, ks_diags *unknown);

/* ks_runner_steps.c: event handlers (subject: the run). ksi_run_apply
 * applies spec.manifests (arg unused); ksi_run_step runs steps[arg];
 * ksi_run_default_traffic starts `kubesim apply`'s generators. */
void ksi_run_apply(ks_sim *sim, void *subject, uint64_t arg);
void ksi_run_step(ks_sim *sim, void *subject, uint64_t arg);
void ksi_run_default_traffic(ks_sim *sim, void *subject, uint64_t arg);
/* Emits a trace event; msg is printf-formatted (NULL fmt: no msg). */
void ksi_run_emit(ks_run *run, ks_trace_type type, const char *kind, const char *name,
                  const char *reason, int64_t n0, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* ks_runner_expect.c: looks at the cluster now and fills r's actual (and
 * why, when it does not hold). Returns whether the expectation holds. */
bool ksi_run_check(ks_run *run, ks_expect_result *r);
/* ks_runner_jobs.c: a `jobs` expectation, as ksi_run_check does for the
 * others (act: what was found; why: when it does not hold). */
struct ksi_text;
bool ksi_run_check_jobs(ks_run *run, ks_expect_result *r, struct ksi_text *act,
                        struct ksi_text *why);
/* Fills r's kind, what, when and expected texts (once, at creation). */
void ksi_run_describe(const ks_run *run, ks_expect_result *r);
/* Labels of pod id now, or as last seen (NULL when never seen). */
const ks_kvs *ksi_run_pod_labels(const ks_run *run, ks_id id);
/* Registers pods created since the last call (when want_labels). */
void ksi_run_track_pods(ks_run *run);

/* ks_runner_why.c: explanations, appended to buf (size n, NUL-terminated). */
typedef struct ksi_text {
    char *buf;
    size_t n, len;
} ksi_text;
void ksi_text_printf(ksi_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Why pod p is not Ready / not Running: its status and the detail a learner
 * needs (pending reason, waiting message, last exit, last log line). */
void ksi_why_pod(const ks_sim *sim, const ks_pod *p, ksi_text *t);
/* "no pod has label X (pods here: a [app=web], b [...])"; selector NULL:
 * "no such pod (pods here: ...)". ksi_pods_here: the parenthesis alone. */
void ksi_why_no_match(const ks_sim *sim, const char *selector, ksi_text *t);
void ksi_pods_here(const ks_sim *sim, ksi_text *t);
/* "; container web last exited with code 1 (Error); its log ends: ..."
 * for the container that restarted most (nothing when none did). */
void ksi_why_restarts(const ks_pod *p, ksi_text *t);
/* "app=web,tier=db" */
void ksi_kvs_format(const ks_kvs *m, ksi_text *t);
/* Where records a set of pods would read went (lost, shared...). */
void ksi_why_records(const ks_run *run, const ks_scn_selector *sel, ksi_text *t);

#endif
