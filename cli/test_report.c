/* test_report.c -- `kubesim test`'s machine-readable reports: JUnit XML
 * (--junit FILE) for CI dashboards and JSON Lines verdicts (--json FILE)
 * for graders. Both list the scenarios in the order they were found.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "runcli.h"
#include "testjob.h"

static int close_report(FILE *f, const char *path)
{
    if (ferror(f) | (fclose(f) != 0)) {
        fprintf(stderr, "kubesim test: error: writing %s failed\n", path);
        return -1;
    }
    return 0;
}

static FILE *open_report(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "kubesim test: error: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static const char *job_name(const ksc_job *j)
{
    return j->sc && j->sc->name ? j->sc->name : j->path;
}

/* ---- JUnit ------------------------------------------------------------------------------ */
/* One expectation's lines in a failure's text. */
static void junit_expectation(FILE *f, const ksc_job *j, const ks_expect_result *r)
{
    fprintf(f, "%s at ", r->state == KS_EXPECT_FAIL ? "FAIL" : "NOT CHECKED");
    ksc_xml_str(f, r->when);
    fputs(": ", f);
    ksc_xml_str(f, r->kind);
    fputc(' ', f);
    ksc_xml_str(f, r->what);
    fputs("\n  expected: ", f);
    ksc_xml_str(f, r->expected);
    fputs("\n  got: ", f);
    ksc_xml_str(f, r->state == KS_EXPECT_FAIL ? r->actual : "not checked");
    if (r->why[0]) {
        fputs("\n  why: ", f);
        ksc_xml_str(f, r->why);
    }
    fprintf(f, "\n  at ");
    ksc_xml_str(f, j->path);
    fprintf(f, ":%u:%u\n", r->exp->mark.line, r->exp->mark.col);
}

static void junit_case(FILE *f, const ksc_job *j)
{
    char sum[200];
    size_t i;
    fprintf(f, "    <testcase name=\"");
    ksc_xml_str(f, job_name(j));
    fprintf(f, "\" classname=\"");
    ksc_xml_str(f, j->path);
    fprintf(f, "\" time=\"%.3f\">\n", j->seconds);
    ksc_job_summary(j, sum, sizeof sum);
    if (j->skipped) {
        fprintf(f, "      <skipped message=\"");
        ksc_xml_str(f, sum);
        fprintf(f, "\"/>\n");
    } else if (j->status != KSC_JOB_RAN) {
        fprintf(f, "      <error message=\"%s\" type=\"%s\">",
                j->status == KSC_JOB_BAD_INPUT ? "the scenario could not be loaded"
                                               : "internal error",
                j->status == KSC_JOB_BAD_INPUT ? "BadInput" : "InternalError");
        ksc_xml_str(f, j->diags);
        fprintf(f, "</error>\n");
    } else if (!j->ok) {
        /* one failure with everything: many readers keep only the first */
        fprintf(f, "      <failure message=\"");
        ksc_xml_str(f, sum);
        fprintf(f, "\" type=\"%s\">", j->failed || j->unreached ? "ExpectationFailed"
                                                                : "FingerprintChanged");
        for (i = 0; i < j->nres; i++)
            if (j->res[i].state == KS_EXPECT_FAIL || j->res[i].state == KS_EXPECT_NOT_REACHED)
                junit_expectation(f, j, &j->res[i]);
        if (j->fp_note[0])
            ksc_xml_str(f, j->fp_note);
        fprintf(f, "</failure>\n");
    }
    fprintf(f, "      <system-out>seed=0x%llx fingerprint=%s</system-out>\n",
            (unsigned long long)j->seed, j->fingerprint[0] ? j->fingerprint : "(not computed)");
    fprintf(f, "    </testcase>\n");
}

int ksc_write_junit(const char *path, const ksc_job *jobs, size_t n)
{
    FILE *f = open_report(path);
    size_t i, failures = 0, errors = 0, skipped = 0;
    double total = 0;
    if (!f)
        return -1;
    for (i = 0; i < n; i++) {
        total += jobs[i].seconds;
        if (jobs[i].skipped)
            skipped++;
        else if (jobs[i].status != KSC_JOB_RAN)
            errors++;
        else if (!jobs[i].ok)
            failures++;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"kubesim\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
               "time=\"%.3f\">\n"
               "  <testsuite name=\"kubesim scenarios\" tests=\"%zu\" failures=\"%zu\" "
               "errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
            n, failures, errors, total, n, failures, errors, skipped, total);
    for (i = 0; i < n; i++)
        junit_case(f, &jobs[i]);
    fprintf(f, "  </testsuite>\n</testsuites>\n");
    return close_report(f, path);
}

/* ---- JSON verdicts ---------------------------------------------------------------------- */
static void json_key(FILE *f, const char *key, const char *val, bool comma)
{
    fprintf(f, "%s\"%s\":", comma ? "," : "", key);
    if (val)
        ksc_json_str(f, val);
    else
        fputs("null", f);
}

static void json_expectation(FILE *f, const ks_expect_result *r, bool comma)
{
    char at[32];
    fprintf(f, "%s{\"index\":%zu", comma ? "," : "", r->index);
    json_key(f, "kind", r->kind, true);
    json_key(f, "what", r->what, true);
    json_key(f, "when", r->when, true);
    if (r->exp->id)
        json_key(f, "id", r->exp->id, true);
    fprintf(f, ",\"line\":%u,\"passed\":%s", r->exp->mark.line,
            r->state == KS_EXPECT_PASS ? "true" : "false");
    json_key(f, "state", r->state == KS_EXPECT_PASS   ? "pass"
                         : r->state == KS_EXPECT_FAIL ? "fail"
                                                      : "not_reached", true);
    json_key(f, "expected", r->expected, true);
    json_key(f, "actual", r->state == KS_EXPECT_NOT_REACHED ? NULL : r->actual, true);
    json_key(f, "why", r->why[0] ? r->why : NULL, true);
    if (r->state != KS_EXPECT_NOT_REACHED) {
        ks_time_format_secs(r->at, at, sizeof at);
        at[strlen(at) - 1] = '\0';          /* "40.000s" -> seconds as a number */
        fprintf(f, ",\"at\":%s", at);
    }
    fputc('}', f);
}

int ksc_write_verdicts(const char *path, const ksc_job *jobs, size_t n)
{
    FILE *f = open_report(path);
    size_t i, k;
    if (!f)
        return -1;
    for (i = 0; i < n; i++) {
        const ksc_job *j = &jobs[i];
        fprintf(f, "{");
        json_key(f, "name", j->sc ? j->sc->name : NULL, false);
        json_key(f, "title", j->sc ? j->sc->title : NULL, true);
        json_key(f, "file", j->path, true);
        fprintf(f, ",\"passed\":%s,\"skipped\":%s", j->ok ? "true" : "false",
                j->skipped ? "true" : "false");
        json_key(f, "verdict", j->skipped ? "skipped" : j->status != KSC_JOB_RAN ? "error"
                               : j->ok ? "passed" : "failed", true);
        json_key(f, "error", j->status == KSC_JOB_RAN ? NULL : j->diags ? j->diags : "error",
                 true);
        fprintf(f, ",\"seed\":%llu", (unsigned long long)j->seed);
        json_key(f, "fingerprint", j->fingerprint[0] ? j->fingerprint : NULL, true);
        json_key(f, "pinned_fingerprint", j->sc ? j->sc->fingerprint : NULL, true);
        fprintf(f, ",\"fingerprint_matches\":%s",
                !j->fp_checked ? "null" : j->fp_mismatch ? "false" : "true");
        fprintf(f, ",\"expectations\":[");
        for (k = 0; k < j->nres; k++)
            json_expectation(f, &j->res[k], k > 0);
        fprintf(f, "],\"seconds\":%.3f}\n", j->seconds);
    }
    return close_report(f, path);
}
