/* testjob.h -- one scenario of `kubesim test`: what it was, what happened.
 * Filled by a worker thread (cmd_test.c), read by the printers and the
 * JUnit / JSON writers (test_report.c) once done. */
#ifndef KSC_TESTJOB_H
#define KSC_TESTJOB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "run/ks_runner.h"

typedef enum ksc_job_status {
    KSC_JOB_RAN,              /* loaded and ran (expectations may fail) */
    KSC_JOB_BAD_INPUT,        /* could not be loaded: see diags */
    KSC_JOB_INTERNAL          /* the simulation failed (memory) */
} ksc_job_status;

typedef struct ksc_job {
    const char *path;
    ks_arena *ar;             /* the scenario (results point into it) */
    const ks_scenario *sc;    /* NULL when it could not be loaded */
    ksc_job_status status;
    char *diags;              /* formatted messages (malloc), or NULL */
    ks_expect_result *res;    /* copies (malloc) */
    size_t nres;
    size_t passed, failed, unreached;
    uint64_t seed;
    char fingerprint[17];
    bool fp_checked;          /* the file pins one and it was compared */
    bool fp_mismatch;
    char fp_note[400];        /* what happened to the fingerprint, or "" */
    double seconds;           /* wall time */
    bool ok;                  /* the verdict: it passed */
    bool skipped;             /* not a test (an exercise): neither passed nor
                                 failed, in every report */
} ksc_job;

/* One-line summary of why a job failed ("2 of 5 expectations failed"). */
void ksc_job_summary(const ksc_job *j, char *buf, size_t n);

/* JUnit XML (the form Jenkins, GitLab and Ant read; tests/junit.xsd): one
 * testcase per scenario; a failing one has one <failure> listing every
 * failed expectation (and a changed fingerprint), bad input an <error>, a
 * skipped one <skipped/>; the suite counts each apart. Returns 0, or -1
 * with a message on stderr. */
int ksc_write_junit(const char *path, const ksc_job *jobs, size_t n);
/* JSON Lines: one verdict object per scenario, for graders: "verdict" is
 * "passed", "failed", "skipped" or "error" ("passed" is true only for the
 * first). */
int ksc_write_verdicts(const char *path, const ksc_job *jobs, size_t n);

/* Rewrites the `fingerprint:` of the scenario file at path to hex (adds
 * it under spec, after seed: or as spec's first key, when missing); the
 * rest of the file is kept byte for byte. Returns 1 when the file was
 * changed, 0 when it already said so, -1 with the reason in why. */
int ksc_pin_fingerprint(const char *path, const char *hex, char *why, size_t n);

#endif
