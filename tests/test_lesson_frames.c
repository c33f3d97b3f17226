/* test_lesson_frames.c -- the focus of this file: frames of shipped lessons
 * and of the window's own test scenarios, drawn headless
 * (SDL_VIDEODRIVER=dummy, software renderer) at the moments they teach,
 * compared by a hash of their decoded RGB24 pixels with
 * tests/golden/lesson_frames.txt. Among them: a pod deleted and replaced
 * (lesson 7), a scale from 9 to 11 and back (window_reflow.yaml), long
 * names (window_long_names.yaml), requests timing out at a dead node
 * (lesson 13), the kubectl console with a typed command's output, and an
 * exercise in the window with its goals. The frames are written to
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
#include "core/ks_strbuf.h"
#include "kubectl/ks_kubectl.h"
#include "load/ks_catalog.h"
#include "load/ks_scenario.h"
#include "run/ks_runner.h"

typedef struct lesson {
    ks_arena *ar;
    ks_scenario *sc;
    ks_catalog *cat;
    ks_run *run;
    int hints;                 /* exercise frames: hints asked for */
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

/* The console's commands, through the real kubectl interpreter. */
static int kubectl(void *ud, ks_sim *sim, const char *line, char *out, size_t n,
                   ks_kubectl_tables *tables)
{
    lesson *l = ud;
    ks_strbuf b;
    int rc;
    ks_strbuf_init(&b, NULL);
    rc = ks_kubectl_run_tables(sim, line, l->sc->dir, &b, tables);
    snprintf(out, n, "%s", ks_strbuf_str(&b));
    ks_strbuf_fini(&b);
    return rc;
}

/* An exercise's checklist as the window gets it (cli/exercise_window.c
 * fills it from the graded run): the scenario's goals, the first ones met,
 * the hints asked for shown under the last. */
static size_t goals(void *ud, kr_goal *out, size_t max, char *note, size_t n, bool *reload)
{
    lesson *l = ud;
    size_t i, k = l->sc->ngoals < max ? l->sc->ngoals : max;
    (void)reload;
    for (i = 0; i < k; i++) {
        const ks_scn_expect *g = &l->sc->goals[i];
        memset(&out[i], 0, sizeof out[i]);
        out[i].title = g->title ? g->title : g->id;
        out[i].met = i + 1 < k;
        out[i].nhints = (int)g->nhints;
        if (!out[i].met && l->hints > 0 && g->nhints) {
            out[i].hint_no = l->hints < (int)g->nhints ? l->hints : (int)g->nhints;
            out[i].hint = g->hints[out[i].hint_no - 1];
        }
    }
    snprintf(note, n, "%zu of %zu goals met", k ? k - 1 : 0, k);
    return k;
}

static void hint(void *ud)
{
    ((lesson *)ud)->hints++;
}

/* frames-1: each frame matches its golden hash */
static void test_lesson_frames_golden(void **state)
{
    static const struct {
        const char *dir, *file, *name;
        double at;
        int w, h;
        const char *script;    /* inputs at that moment (kr_app_config.input_script) */
        int exercise;          /* 1: an exercise; 2: live mode (cfg.live) */
    } frames[] = {
        {KS_SCENARIOS_DIR, "05-container-layer.yaml", "lesson05_36.5s", 36.5, 1280, 720, NULL, 0},
        {KS_SCENARIOS_DIR, "07-pvc-postgres.yaml", "lesson07_47s", 47, 1280, 720, NULL, 0},
        /* deleted and replaced: Terminating in its slot, the new pod apart */
        {KS_SCENARIOS_DIR, "07-pvc-postgres.yaml", "lesson07_50.6s", 50.6, 1280, 720, NULL, 0},
        /* gone: fading where it stood; nothing else moved */
        {KS_SCENARIOS_DIR, "07-pvc-postgres.yaml", "lesson07_51.6s", 51.6, 1280, 720, NULL, 0},
        {KS_SCENARIOS_DIR, "07-pvc-postgres.yaml", "lesson07_50.6s_1920", 50.6, 1920, 1080, NULL,
         0},
        /* the lesson's own `kubectl get pvc` in the terminal panel */
        {KS_SCENARIOS_DIR, "07-pvc-postgres.yaml", "lesson07_63s", 63, 1280, 720, NULL, 0},
        /* the console: a command typed, its output in the panel, the next
         * one being typed */
        {KS_SCENARIOS_DIR, "07-pvc-postgres.yaml", "console_55s", 55, 1280, 720,
         "text:: text:get_pods_-o_wide Return text:describe_pvc", 0},
        /* Esc closes the console, its output too */
        {KS_SCENARIOS_DIR, "07-pvc-postgres.yaml", "console_closed_55s", 55, 1280, 720,
         "text:: text:get_pods Return Escape", 0},
        {KS_SCENARIOS_DIR, "10-ingress-routing.yaml", "lesson10_50s_1920", 50, 1920, 1080, NULL,
         0},
        /* requests to the dead node time out where they fail */
        {KS_SCENARIOS_DIR, "13-node-failure.yaml", "lesson13_30s", 30, 1280, 720, NULL, 0},
        {KS_SCENARIOS_DIR, "13-node-failure.yaml", "lesson13_370s", 370, 1280, 720, NULL, 0},
        /* the HPA at work: node and pod cards show the metrics API's usage */
        {KS_SCENARIOS_DIR, "15-autoscaling.yaml", "lesson15_300s_1920", 300, 1920, 1080, NULL,
         0},
        /* its card: no sample yet (<unknown>, no pods counted before the
         * first sync); the spike over, 6 pods kept by the window */
        {KS_SCENARIOS_DIR, "15-autoscaling.yaml", "lesson15_12s", 12, 1280, 720, NULL, 0},
        {KS_SCENARIOS_DIR, "15-autoscaling.yaml", "lesson15_700s", 700, 1280, 720, NULL, 0},
        /* default-deny under Calico: walls on the isolated pods, requests
         * stopping at them, "dropped", then 504 after the 5 s connect */
        {KS_SCENARIOS_DIR, "16-network-policy.yaml", "lesson16_50s", 50, 1280, 720, NULL, 0},
        {KS_SCENARIOS_DIR, "16-network-policy.yaml", "lesson16_50s_1920", 50, 1920, 1080, NULL,
         0},
        /* allowed through the walls: postgres only from the server */
        {KS_SCENARIOS_DIR, "16-network-policy.yaml", "lesson16_100s", 100, 1280, 720, NULL, 0},
        /* memory-demo-2 OOMKilled in CrashLoopBackOff; the BestEffort hog
         * evicted under MemoryPressure; the Guaranteed pod running */
        /* kubectl get daemonsets,pods -o wide: the table cut at the
         * terminal panel's edge, its columns aligned, not wrapped */
        {KS_SCENARIOS_DIR, "19-daemonset.yaml", "lesson19_12s", 12, 1280, 720, NULL, 0},
        {KS_SCENARIOS_DIR, "20-oomkilled.yaml", "lesson20_72s_1920", 72, 1920, 1080, NULL, 0},
        /* a Job's pods as cards: pi's five Completed (exit code 0), migrate's
         * four Error (exit code 1) after BackoffLimitExceeded, a CronJob's
         * Job running beside its finished ones; the CronJob's card: next
         * run 09:03:00 on the lesson's clock, in 54 s */
        {KS_SCENARIOS_DIR, "21-jobs-and-cronjobs.yaml", "lesson21_126s_1920", 126, 1920, 1080,
         NULL, 0},
        /* the CronJob's card at 1280x720: next 09:02:00, in 50 s, 1 active */
        {KS_SCENARIOS_DIR, "21-jobs-and-cronjobs.yaml", "lesson21_70s", 70, 1280, 720, NULL, 0},
        /* 9, then 11, back to 9 (the newest fade), 11 again in the holes,
         * then a pod deleted and replaced */
        {KS_TEST_SCENARIOS_DIR, "window_reflow.yaml", "reflow_15s", 15, 1280, 720, NULL, 0},
        {KS_TEST_SCENARIOS_DIR, "window_reflow.yaml", "reflow_30s", 30, 1280, 720, NULL, 0},
        {KS_TEST_SCENARIOS_DIR, "window_reflow.yaml", "reflow_35.6s", 35.6, 1280, 720, NULL, 0},
        {KS_TEST_SCENARIOS_DIR, "window_reflow.yaml", "reflow_50s", 50, 1280, 720, NULL, 0},
        {KS_TEST_SCENARIOS_DIR, "window_reflow.yaml", "reflow_55.5s", 55.5, 1280, 720, NULL, 0},
        {KS_TEST_SCENARIOS_DIR, "window_long_names.yaml", "long_names_30s", 30, 1280, 720, NULL,
         0},
        {KS_TEST_SCENARIOS_DIR, "window_long_names.yaml", "long_names_30s_1920", 30, 1920, 1080,
         "move:900,560", 0},
        /* an exercise: its goals panel, a hint asked for (H) */
        {KS_SCENARIOS_DIR, "exercises/01-keep-postgres-data/exercise.yaml", "exercise_30s", 30,
         1280, 720, "h", 1},
        /* live mode (serve --window): the keys help (F1) lists only the keys
           that work there: no stepping, back, Home/End, restart, S */
        {KS_SCENARIOS_DIR, "01-pod-crash.yaml", "live_help_0s", 0, 1280, 720, "F1", 2},
    };
    char golden[64][96], line[256], path[600];
    size_t ng = 0, i, k;
    int mismatches = 0;
    bool update = getenv("KUBESIM_UPDATE_GOLDEN") && *getenv("KUBESIM_UPDATE_GOLDEN") == '1';
    FILE *f;
    (void)state;
    mkdir(KS_OUT_DIR, 0777);
    snprintf(path, sizeof path, "%s/lesson_frames.txt", KS_GOLDEN_DIR);
    if ((f = fopen(path, "r")) != NULL) {
        while (ng < 64 && fgets(line, sizeof line, f))
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
        snprintf(path, sizeof path, "%s/%s", frames[i].dir, frames[i].file);
        assert_int_equal(ks_scenario_load_file(l.ar, path, &l.sc, &d), KS_OK);
        snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
        assert_int_equal(ks_catalog_load_file(l.ar, path, &l.cat, &d), KS_OK);
        kr_app_config_init(&cfg);
        cfg.create = create;
        cfg.destroy = destroy;
        cfg.kubectl = kubectl;
        cfg.ud = &l;
        cfg.title = l.sc->title;
        cfg.duration = l.sc->duration;
        cfg.headless = true;
        cfg.quiet = true;
        cfg.assets_dir = KS_ASSETS_DIR;
        cfg.width = frames[i].w;
        cfg.height = frames[i].h;
        cfg.input_script = frames[i].script;
        if (frames[i].exercise == 1) {
            cfg.goals = goals;
            cfg.hint = hint;
        } else if (frames[i].exercise == 2) {
            cfg.live = create(&l);
            cfg.serving = "export KUBECONFIG=~/.kube/kubesim";
            assert_non_null(cfg.live);
        }
        assert_int_equal(kr_app_snapshot(&cfg, (ks_time)(frames[i].at * 1e6), &rgb, &w, &h),
                         KR_OK);
        assert_int_equal(w, frames[i].w);
        assert_int_equal(h, frames[i].h);
        if (frames[i].exercise == 1)
            assert_int_equal(l.hints, 1);            /* H asked for one */
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
