/* fuzz_kubectl.c -- each line of a fuzz input as a kubectl command line,
 * as the timeline and `kubesim shell` take it: checked without a cluster
 * (ks_kubectl_check, what `kubesim check` does), then run against a small
 * live cluster (a Deployment, a Service, a ConfigMap) with 2 simulated
 * seconds between lines. Lines that read files (-f, -k) are checked but
 * not run: the target stays off the machine's files. Linked into the
 * libFuzzer harness (tests/fuzz/run.sh kubectl) and into the replay program
 * ctest runs over tests/fuzz/kubectl_corpus (fuzz_replay.c). */
#include "fuzz_run_util.h"
#include "fuzz_target.h"
#include "core/ks_event.h"
#include "kubectl/ks_kubectl.h"

static const char scenario[] =
    FUZZ_WEB_SCENARIO("60s")
    "        ---\n        apiVersion: v1\n        kind: ConfigMap\n        metadata: {name: cfg}\n"
    "        data: {a: b}\n";

static bool reads_files(const char *line)
{
    return strstr(line, "-f") || strstr(line, "--filename") || strstr(line, "-k")
           || strstr(line, "--kustomize");
}

static void one_line(const char *line, void *ud)
{
    ks_run *run = ud;
    ks_strbuf out;
    ks_strbuf_init(&out, NULL);
    ks_kubectl_check(line, &out);
    if (run && !reads_files(line)) {
        ks_strbuf_clear(&out);
        ks_run_kubectl(run, line, &out);
        ks_run_advance(run, ks_now(ks_run_sim(run)) + 2 * KS_SEC);
    }
    ks_strbuf_fini(&out);
}

int ks_fuzz_one(const uint8_t *data, size_t size)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_run *run;
    if (!ar)
        return 0;
    run = fuzz_run_text(ar, scenario, 5 * KS_SEC);
    fuzz_lines(data, size, one_line, run);
    ks_run_destroy(run);
    ks_arena_destroy(ar);
    return 0;
}
