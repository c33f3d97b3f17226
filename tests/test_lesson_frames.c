/* test_lesson_frames.c -- the focus of this file: frames of three shipped
 * lessons, drawn headless (SDL_VIDEODRIVER=dummy, software renderer) at the
 * moments they teach, compared by a hash of their decoded RGB24 pixels with
 * tests/golden/lesson_frames.txt. The frames are written to
 * lesson-frames/ in the build tree to look at.
 *
 * After an intended change of the picture (or of the simulation's names
 * and timings), regenerate deliberately and look at the PNGs:
 *     KUBESIM_UPDATE_GOLDEN=1 ctest -R lesson_frames
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kr_app.h"
#include "kr_frame.h"
#include "load/ks_catalog.h"
#include "run/ks_runner.h"
#include "load/ks_scenario.h"

typedef struct lesson {
    ks_arena *ar;
    ks_scenario *sc;
    ks_catalog *cat;
    ks_run *run;
} lesson;

static ks_sim *create(void *ud)
{
    lesson *l = ud;
    ks_diags d;
    ks_run_options ro;
    memset(&ro, 0, sizeof ro);
    ro.no_fingerprint = true;
    ks_diags_init(&d);
    ks_run_destroy(l->run);
    l->run = ks_run_create(l->sc, l->cat, &ro, &d);
    return l->run ? ks_run_sim(l->run) : NULL;
}

static void destroy(void *ud, ks_sim *sim)
{
    lesson *l = ud;
    (void)sim;
    ks_run_destroy(l->run);
    l->run = NULL;
}

static void test_lesson_frames_golden(void **state)
{
    static const struct {
        const char *file, *name;
        double at;
    } frames[] = {
        {"05-container-layer.yaml", "lesson05_36.5s", 36.5},
        {"07-pvc-postgres.yaml", "lesson07_47s", 47},
        {"07-pvc-postgres.yaml", "lesson07_50.6s", 50.6},
        {"13-node-failure.yaml", "lesson13_370s", 370},
    };
    char golden[16][96], line[256], path[600];
    size_t ng = 0, i, k;
    int mismatches = 0;
    bool update = getenv("KUBESIM_UPDATE_GOLDEN") && *getenv("KUBESIM_UPDATE_GOLDEN") == '1';
    FILE *f;
    (void)state;
    mkdir(KS_OUT_DIR, 0777);
    snprintf(path, sizeof path, "%s/lesson_frames.txt", KS_GOLDEN_DIR);
    if ((f = fopen(path, "r")) != NULL) {
        while (ng < 16 && fgets(line, sizeof line, f))
            if (line[0] != '#' && sscanf(line, "%95s", golden[ng]) == 1)
                ng++;
        fclose(f);
    }
    f = update ? fopen(path, "w") : NULL;
    if (f)
        fprintf(f, "# NAME=HASH of decoded RGB24 pixels. Regenerate: "
                   "KUBESIM_UPDATE_GOLDEN=1 ctest -R lesson_frames\n");
    for (i = 0; i < sizeof frames / sizeof frames[0]; i++) {
        lesson l = {0};
        ks_diags d;
        kr_app_config cfg;
        uint8_t *rgb = NULL;
        int w = 0, h = 0;
        char entry[96], out[600];
        bool found = false;
        ks_diags_init(&d);
        l.ar = ks_arena_create(NULL);
        snprintf(path, sizeof path, "%s/%s", KS_SCENARIOS_DIR, frames[i].file);
        assert_int_equal(ks_scenario_load_file(l.ar, path, &l.sc, &d), KS_OK);
        snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
        assert_int_equal(ks_catalog_load_file(l.ar, path, &l.cat, &d), KS_OK);
        kr_app_config_init(&cfg);
        cfg.create = create;
        cfg.destroy = destroy;
        cfg.ud = &l;
        cfg.title = l.sc->title;
        cfg.duration = l.sc->duration;
        cfg.headless = true;
        cfg.quiet = true;
        cfg.assets_dir = KS_ASSETS_DIR;
        assert_int_equal(kr_app_snapshot(&cfg, (ks_time)(frames[i].at * 1e6), &rgb, &w, &h),
                         KR_OK);
        assert_int_equal(w, 1280);
        assert_int_equal(h, 720);
        snprintf(entry, sizeof entry, "%s=%016llx", frames[i].name,
                 (unsigned long long)kr_rgb_hash(rgb, (size_t)w * (size_t)h * 3));
        snprintf(out, sizeof out, "%s/%s.png", KS_OUT_DIR, frames[i].name);
        kr_png_write(out, rgb, w, h);
        if (f)
            fprintf(f, "%s\n", entry);
        for (k = 0; k < ng; k++)
            if (strncmp(golden[k], frames[i].name, strlen(frames[i].name)) == 0
                && golden[k][strlen(frames[i].name)] == '=') {
                found = true;
                if (strcmp(golden[k], entry) != 0 && !update) {
                    print_message("frame %s changed: %s, golden %s (look at %s; regenerate "
                                  "with KUBESIM_UPDATE_GOLDEN=1 if intended)\n",
                                  frames[i].name, entry, golden[k], out);
                    mismatches++;
                }
            }
        if (!found && !update) {
            print_message("frame %s has no golden hash (%s)\n", frames[i].name, entry);
            mismatches++;
        }
        free(rgb);
        ks_run_destroy(l.run);
        ks_arena_destroy(l.ar);
    }
    if (f)
        fclose(f);
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lesson_frames_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
