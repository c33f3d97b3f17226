/* fuzz_selector.c -- one fuzz input as a label selector as kubectl -l and
 * the scenarios' selector: fields take it ("app=web,tier notin (db),!canary"),
 * parsed and matched against a few label sets. Linked into the libFuzzer
 * harness (tests/fuzz/run.sh selector) and into the replay program ctest
 * runs over tests/fuzz/selector_corpus (fuzz_replay.c). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "load/ks_scenario.h"

int ks_fuzz_one(const uint8_t *data, size_t size)
{
    static ks_kv a[] = {{"app", "web"}, {"tier", "front"}, {"app.kubernetes.io/name", "x"}};
    static ks_kv b[] = {{"app", "db"}, {"canary", ""}};
    const ks_kvs sets[] = {{a, 3}, {b, 2}, {NULL, 0}};
    ks_arena *ar = ks_arena_create(NULL);
    char *text = malloc(size + 1), why[300];
    ks_selector sel;
    size_t i;
    if (ar && text) {
        memcpy(text, data, size);
        text[size] = '\0';
        if (ks_scn_selector_parse(ar, text, &sel, why, sizeof why) == KS_OK)
            for (i = 0; i < sizeof sets / sizeof sets[0]; i++)
                (void)ks_selector_matches(&sel, &sets[i]);
    }
    free(text);
    ks_arena_destroy(ar);
    return 0;
}
