/* manifest_fixture.h -- manifests loaded from text for tests: the objects,
 * the diagnostics and the loader's code, and the first error. */
#ifndef KS_MANIFEST_FIXTURE_H
#define KS_MANIFEST_FIXTURE_H

#include <string.h>

#include "load/ks_manifest.h"

typedef struct loaded {
    ks_arena *ar;
    ks_diags d;
    ks_manifests m;
    int rc;
} loaded;

static inline void load(loaded *l, const char *text)
{
    memset(l, 0, sizeof *l);
    l->ar = ks_arena_create(NULL);
    assert_non_null(l->ar);
    ks_diags_init(&l->d);
    l->rc = ks_manifest_load_text(l->ar, "t.yaml", text, strlen(text), 1, 1, NULL, &l->m, &l->d);
}

static inline void unload(loaded *l)
{
    ks_arena_destroy(l->ar);
}

/* The first error of l, for assertions. */
static inline const ks_error *first_error(const loaded *l)
{
    int i;
    for (i = 0; i < l->d.n; i++)
        if (l->d.items[i].sev == KS_SEV_ERROR)
            return &l->d.items[i].err;
    return NULL;
}

#endif
