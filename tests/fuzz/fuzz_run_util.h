/* fuzz_run_util.h -- for the fuzz targets that run a simulation
 * (fuzz_kubectl.c, fuzz_expect.c, fuzz_run.c): a scenario text built
 * around the input, loaded and run for a bounded simulated time with the
 * image catalog of assets/. Header-only: each target is its own program. */
#ifndef KS_FUZZ_RUN_UTIL_H
#define KS_FUZZ_RUN_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ks_strbuf.h"
#include "load/ks_catalog.h"
#include "load/ks_scenario.h"
#include "run/ks_runner.h"

#define FUZZ_MAX_LINES 16              /* input lines used */
/* A scenario's head with a Deployment web (2 nginx pods) behind a Service
 * web, as an inline manifest; a target adds its own sections after it. */
#define FUZZ_WEB_SCENARIO(duration)                                                            \
    "apiVersion: kubesim/v1\nkind: Scenario\nmetadata: {name: fuzz}\nspec:\n  duration: "       \
    duration "\n  manifests:\n    - inline: |\n"                                                \
    "        apiVersion: apps/v1\n        kind: Deployment\n        metadata: {name: web}\n"   \
    "        spec:\n          replicas: 2\n          selector: {matchLabels: {app: web}}\n"    \
    "          template:\n            metadata: {labels: {app: web}}\n"                      \
    "            spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}\n" \
    "        ---\n        apiVersion: v1\n        kind: Service\n        metadata: {name: web}\n" \
    "        spec: {selector: {app: web}, ports: [{port: 80}]}\n"
#define FUZZ_MAX_LINE 400              /* bytes of one line */

static ks_arena *fuzz_cat_arena;
static ks_catalog *fuzz_catalog;

/* The image catalog, loaded once. */
static inline const ks_catalog *fuzz_catalog_get(void)
{
    if (!fuzz_catalog) {
        ks_diags d;
        char path[1024];
        ks_diags_init(&d);
        fuzz_cat_arena = ks_arena_create(NULL);
        snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
        if (!fuzz_cat_arena || ks_catalog_load_file(fuzz_cat_arena, path, &fuzz_catalog, &d))
            abort();
    }
    return fuzz_catalog;
}

/* Splits data into at most FUZZ_MAX_LINES lines of at most FUZZ_MAX_LINE
 * bytes (NUL bytes end a line); calls fn(line, ud) for each non-empty one. */
static inline void fuzz_lines(const unsigned char *data, size_t size,
                              void (*fn)(const char *line, void *ud), void *ud)
{
    char line[FUZZ_MAX_LINE + 1];
    size_t i = 0, n, lines = 0;
    while (i < size && lines < FUZZ_MAX_LINES) {
        n = 0;
        while (i < size && data[i] != '\n' && data[i] != '\0') {
            if (n < FUZZ_MAX_LINE)
                line[n++] = (char)data[i];
            i++;
        }
        i++;
        line[n] = '\0';
        if (n) {
            fn(line, ud);
            lines++;
        }
    }
}

/* Loads the scenario text and, when it loads, runs it to its end (or
 * until, when not 0). Returns the run (destroy it), or NULL. */
static inline ks_run *fuzz_run_text(ks_arena *ar, const char *text, ks_time until)
{
    ks_scenario *sc = NULL;
    ks_run_options opt;
    ks_diags *d = malloc(sizeof *d);
    ks_run *run = NULL;
    if (!d)
        return NULL;
    ks_diags_init(d);
    if (ks_scenario_parse(ar, "fuzz/fuzz.yaml", text, strlen(text), &sc, d) == KS_OK && sc) {
        memset(&opt, 0, sizeof opt);
        opt.no_fingerprint = true;
        ks_diags_init(d);
        run = ks_run_create(sc, fuzz_catalog_get(), &opt, d);
        if (run && until)
            ks_run_advance(run, until);
        else if (run)
            ks_run_to_end(run);
    }
    free(d);
    return run;
}

/* Appends s to b indented by pad spaces after every newline (a YAML block). */
static inline void fuzz_indent(ks_strbuf *b, const char *s, size_t len, int pad)
{
    size_t i;
    for (i = 0; i < len; i++) {
        ks_strbuf_append(b, s + i, 1);
        if (s[i] == '\n')
            ks_strbuf_printf(b, "%*s", pad, "");
    }
}

#endif
