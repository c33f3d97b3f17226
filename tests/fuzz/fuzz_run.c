/* fuzz_run.c -- a fuzz input as the manifests of a scenario (inline, so
 * no files are read), run for 30 simulated seconds with traffic to a
 * Service named web and a node drained at 15 s: whatever loads must
 * simulate without a crash, a hang or a leak. Linked into the libFuzzer
 * harness (tests/fuzz/run.sh run) and into the replay program ctest runs
 * over tests/fuzz/run_corpus (fuzz_replay.c). */
#include "fuzz_run_util.h"
#include "fuzz_target.h"

#define MAX_INPUT 16384                 /* bytes of manifests */

static const char head[] =
    "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: fuzz}\nspec:\n  duration: 30s\n"
    "  timeline:\n    - {at: 5s, traffic: {to: \"service:web\", rate: 20/s, for: 20s}}\n"
    "    - {at: 15s, kubectl: \"drain minikube --ignore-daemonsets --delete-emptydir-data\"}\n"
    "  manifests:\n    - inline: |\n        ";

int ks_fuzz_one(const uint8_t *data, size_t size)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_strbuf text;
    size_t n = size < MAX_INPUT ? size : MAX_INPUT;
    const char *nul = memchr(data, '\0', n);
    if (!ar)
        return 0;
    if (nul)
        n = (size_t)(nul - (const char *)data);
    ks_strbuf_init(&text, NULL);
    ks_strbuf_puts(&text, head);
    fuzz_indent(&text, (const char *)data, n, 8);
    ks_strbuf_putc(&text, '\n');
    if (!ks_strbuf_failed(&text))
        ks_run_destroy(fuzz_run_text(ar, ks_strbuf_str(&text), 0));
    ks_strbuf_fini(&text);
    ks_arena_destroy(ar);
    return 0;
}
