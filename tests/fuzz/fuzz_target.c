/* fuzz_target.c -- one fuzz input through every loader of user files.
 * Linked into the libFuzzer harness (fuzz_loader.c) and into the replay
 * program CI runs over the seed corpus under ASan (fuzz_replay.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_target.h"
#include "load/ks_catalog.h"
#include "load/ks_manifest.h"
#include "load/ks_scenario.h"

int ks_fuzz_one(const uint8_t *data, size_t size)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_manifests m;
    ks_yaml_stream *s = NULL;
    size_t i;
    if (!ar)
        return 0;
    ks_diags_init(&d);
    memset(&m, 0, sizeof m);
    ks_manifest_load_text(ar, "fuzz.yaml", (const char *)data, size, 1, 1, NULL, &m, &d);
    /* the same bytes as a scenario (its own reader and rules) */
    ks_diags_init(&d);
    ks_yaml_parse(ar, "fuzz.yaml", (const char *)data, size, NULL, &s, &d);
    for (i = 0; s && i < s->ndocs; i++) {
        ks_scenario *sc = NULL;
        ks_scenario_read_doc(ar, &s->docs[i], "fuzz/fuzz.yaml", (const char *)data, size, &sc,
                             &d);
    }
    /* and as an image catalog */
    {
        ks_catalog *cat = NULL;
        ks_diags_init(&d);
        ks_catalog_parse(ar, "fuzz.yaml", (const char *)data, size, &cat, &d);
    }
    ks_arena_destroy(ar);
    return 0;
}
