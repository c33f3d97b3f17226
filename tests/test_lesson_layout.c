/* test_lesson_layout.c -- the focus of this file: the window's layout over
 * every frame of every shipped lesson and exercise (and the test
 * scenarios), as the window plays them: the slots planned from a run of
 * the whole lesson first (kr_layout_state_reserve), synced every 250 ms,
 * laid out every 500 ms at 1280x720 and 1920x1080. In every frame no two
 * cards intersect, no mount line crosses a card that is not its own, every
 * region stays in the window; and a pod keeps its card's place for its
 * whole life; the marks at NetworkPolicy walls overlap nothing. Lesson
 * 15's HPA card says what `kubectl get hpa` says, right above the pods it
 * scales; the HPA cards overlap nothing; lesson 21's CronJob card
 * gives the CronJob's next run on the lesson's clock, and its Jobs'
 * Completed pods fade from when they finished; lesson 17's StatefulSet pods
 * read in ordinal order and keep their places when made again.
 * Pure C, no SDL: text widths are estimated.
 *   test_lesson_layout [SCENARIO...]    (default: the shipped ones)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_batch.h"
#include "kr_layout.h"
#include "cluster/ks_workloads.h"
#include "kr_status.h"
#include "layout_check.h"
#include "core/ks_event.h"
#include "core/ks_strbuf.h"
#include "kubectl/ks_kubectl.h"
#include "load/ks_catalog.h"
#include "load/ks_scenario.h"
#include "run/ks_runner.h"

#define SYNC (250 * KS_MSEC)          /* as the window syncs its slots */
#define FRAME (500 * KS_MSEC)
#define KEEP KS_SEC                   /* ghosts, at speed 1 */
#define MAX_FILES 64

static char files[MAX_FILES][600];
static size_t nfiles;
static ks_arena *cat_ar;
static const ks_catalog *catalog;

typedef struct seen {
    ks_id pod, node;           /* node 0: not scheduled (it moves once, to its node) */
    kr_rect r;
} seen;

static ks_run *start(const ks_scenario *sc)
{
    ks_diags d;
    ks_run_options ro;
    memset(&ro, 0, sizeof ro);
    ro.no_fingerprint = true;
    ks_diags_init(&d);
    return ks_run_create(sc, catalog, &ro, &d);
}

/* One shipped lesson played on, laid out at one size at chosen moments. */
typedef struct lesson_fx {
    ks_arena *ar;
    ks_run *run;
    kr_layout_state *st;
    kr_layout l;
    kr_layout_input in;
} lesson_fx;

static void fx_open(lesson_fx *fx, const char *file, int w, int h)
{
    ks_scenario *sc;
    ks_diags d;
    char path[600];
    memset(fx, 0, sizeof *fx);
    ks_diags_init(&d);
    fx->ar = ks_arena_create(NULL);
    snprintf(path, sizeof path, "%s%s%s", file[0] == '/' ? "" : KS_SCENARIOS_DIR,
             file[0] == '/' ? "" : "/", file);
    assert_int_equal(ks_scenario_load_file(fx->ar, path, &sc, &d), KS_OK);
    fx->run = start(sc);
    fx->st = kr_layout_state_create();
    kr_layout_init(&fx->l);
    fx->in.w = w;
    fx->in.h = h;
    fx->in.traffic = true;
}

/* Plays on to t seconds and lays that frame out; returns the sim. */
static ks_sim *fx_at(lesson_fx *fx, double t)
{
    ks_sim *sim = ks_run_sim(fx->run);
    ks_run_until(sim, (ks_time)(t * KS_SEC));
    kr_layout_state_sync(fx->st, sim, KEEP);
    assert_int_equal(kr_layout_compute(&fx->l, fx->st, sim, &fx->in), 0);
    return sim;
}

static void fx_close(lesson_fx *fx)
{
    kr_layout_fini(&fx->l);
    kr_layout_state_destroy(fx->st);
    ks_run_destroy(fx->run);
    ks_arena_destroy(fx->ar);
}

/* Plays one scenario at one size; returns the problems found. */
static int play(const ks_scenario *sc, const char *name, int w, int h)
{
    kr_layout_state *scan = kr_layout_state_create(), *st = kr_layout_state_create();
    ks_run *run = start(sc);
    kr_layout l;
    kr_layout_input in;
    seen *cards = NULL;
    size_t ncards = 0, cap = 0, i, k;
    ks_time t, end = sc->duration;
    int bad = 0, frames = 0;
    char ctx[700];
    assert_non_null(run);
    /* the window's scan of the whole lesson */
    for (t = SYNC; t <= end; t += SYNC) {
        ks_run_until(ks_run_sim(run), t);
        kr_layout_state_sync(scan, ks_run_sim(run), KEEP);
    }
    ks_run_destroy(run);
    kr_layout_state_reserve(st, scan);
    run = start(sc);
    kr_layout_init(&l);
    memset(&in, 0, sizeof in);
    in.w = w;
    in.h = h;
    in.traffic = true;
    in.want.pods = 10;
    in.want.events = 20;
    in.want.routes = 3;
    for (t = SYNC; t <= end && bad < 10; t += SYNC) {
        ks_sim *sim = ks_run_sim(run);
        ks_run_until(sim, t);
        kr_layout_state_sync(st, sim, KEEP);
        if (t % FRAME)
            continue;
        assert_int_equal(kr_layout_compute(&l, st, sim, &in), 0);
        frames++;
        snprintf(ctx, sizeof ctx, "%.200s %dx%d at %.1fs", name, w, h, (double)t / KS_SEC);
        bad += lc_all(ctx, &l);
        /* a pod keeps its place for its life */
        for (i = 0; i < l.npod; i++) {
            for (k = 0; k < ncards && cards[k].pod != l.pod[i].pod; k++)
                ;
            if (k == ncards) {
                if (ncards == cap) {
                    cap = cap ? cap * 2 : 64;
                    cards = realloc(cards, cap * sizeof *cards);
                    assert_non_null(cards);
                }
                cards[ncards].pod = l.pod[i].pod;
                cards[ncards].node = l.box[l.pod[i].box].node;
                cards[ncards++].r = l.pod[i].r;
            } else if (cards[k].node != l.box[l.pod[i].box].node) {
                cards[k].node = l.box[l.pod[i].box].node;     /* scheduled */
                cards[k].r = l.pod[i].r;
            } else if (memcmp(&cards[k].r, &l.pod[i].r, sizeof(kr_rect)) != 0) {
                print_message("%s: pod %s moved from (%d,%d %dx%d) to (%d,%d %dx%d)\n", ctx,
                              ks_cluster_pod(sim, l.pod[i].pod)->name, cards[k].r.x,
                              cards[k].r.y, cards[k].r.w, cards[k].r.h, l.pod[i].r.x,
                              l.pod[i].r.y, l.pod[i].r.w, l.pod[i].r.h);
                cards[k].r = l.pod[i].r;
                bad++;
            }
        }
    }
    assert_true(frames > 10);
    free(cards);
    kr_layout_fini(&l);
    ks_run_destroy(run);
    kr_layout_state_destroy(scan);
    kr_layout_state_destroy(st);
    return bad;
}

/* lessons-1: every frame of every scenario, at two window sizes */
static void test_lesson_layout_every_frame(void **state)
{
    static const int sizes[][2] = {{1280, 720}, {1920, 1080}};
    size_t i, s;
    int bad = 0;
    (void)state;
    assert_true(nfiles > 0);
    for (i = 0; i < nfiles; i++) {
        ks_arena *ar = ks_arena_create(NULL);
        ks_scenario *sc;
        ks_diags d;
        const char *name = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 : files[i];
        ks_diags_init(&d);
        assert_int_equal(ks_scenario_load_file(ar, files[i], &sc, &d), KS_OK);
        if (sc->ngoals) {                    /* an exercise: as the window plays it */
            sc->expect = sc->goals;
            sc->nexpect = sc->ngoals;
        }
        for (s = 0; s < 2; s++)
            bad += play(sc, name, sizes[s][0], sizes[s][1]);
        ks_arena_destroy(ar);
    }
    assert_int_equal(bad, 0);
}

/* lessons-2: lesson 15's HPA card says what `kubectl get hpa` says (the
 * first metric against its target, the replicas, min and max) and sits in
 * its node's box right above php-apache's pods: in the strip under the
 * header, every php-apache card below it and counted by it (kr_pod_hpa),
 * the other pods not */
static void test_lesson_layout_hpa_card(void **state)
{
    static const struct {
        double at;
        const char *metric, *pods;
        double ratio;
    } want[] = {
        {12, "cpu <unknown> / 50%", "0 pods \xC2\xB7 min 1 \xC2\xB7 max 10", 0},
        {300, "cpu 235% / 50%", "5 pods \xC2\xB7 min 1 \xC2\xB7 max 10", 4.7},
        {700, "cpu 5% / 50%", "6 pods \xC2\xB7 min 1 \xC2\xB7 max 10", 0.1},
    };
    lesson_fx fx;
    size_t i;
    (void)state;
    fx_open(&fx, "15-autoscaling.yaml", 1280, 720);
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        ks_sim *sim = fx_at(&fx, want[i].at);
        kr_layout *l = &fx.l;
        kr_hpa_view v;
        size_t k, nphp = 0;
        assert_int_equal(l->nhpa, 1);
        assert_int_equal(l->ncron, 0);
        assert_true(kr_hpa_view_of(sim, l->hpa[0].id, &v));
        assert_string_equal(v.head, "HPA php-apache");
        assert_string_equal(v.target, "\xE2\x86\x92 Deployment/php-apache");
        assert_string_equal(v.metric, want[i].metric);
        assert_string_equal(v.pods, want[i].pods);
        assert_true(v.ratio > want[i].ratio - 0.01 && v.ratio < want[i].ratio + 0.01);
        assert_int_equal(l->nbox, 1);
        assert_true(kr_rect_contains(l->box[0].hpa, l->hpa[0].r));
        assert_true(l->hpa[0].r.y >= l->box[0].header.y + l->box[0].header.h);
        assert_true(l->hpa[0].r.x == l->box[0].inner.x);
        for (k = 0; k < l->npod; k++) {
            const ks_pod *p = ks_cluster_pod(sim, l->pod[k].pod);
            bool php = strncmp(p->name, "php-apache-", 11) == 0;
            assert_true(l->pod[k].r.y >= l->hpa[0].r.y + l->hpa[0].r.h);
            assert_int_equal(kr_pod_hpa(sim, p) == l->hpa[0].id, php);
            nphp += php;
        }
        assert_true(nphp >= 1);
        assert_int_equal(lc_all("lesson 15", l), 0);
        if (i + 1 == sizeof want / sizeof want[0]) {
            /* the check sees a card moved over the pods, or out of its strip */
            l->hpa[0].r.y += l->hpa[0].r.h;
            assert_true(lc_hpas("lesson 15, the HPA card moved down (expected)", l) > 0);
        }
    }
    fx_close(&fx);
}

/* lessons-2b: lesson 21's CronJob card (spec.clock 2026-01-05T09:00:00Z,
 * schedule every minute) says when the CronJob controller will make its
 * next Job on the lesson's clock, how long until then, and how many of its
 * Jobs run; it sits above the nodes at both sizes */
static void test_lesson_layout_cron_card(void **state)
{
    static const struct {
        double at;
        const char *next, *in, *line;
        double progress;
    } want[] = {
        {30, "next 09:01:00", "in 30 s", "now 09:00:30 UTC \xC2\xB7 0 active", 0.5},
        {70, "next 09:02:00", "in 50 s", "now 09:01:10 UTC \xC2\xB7 1 active", 10 / 60.0},
        {126, "next 09:03:00", "in 54 s", "now 09:02:06 UTC \xC2\xB7 1 active", 6 / 60.0},
    };
    static const int sizes[][2] = {{1280, 720}, {1920, 1080}};
    size_t i, k;
    (void)state;
    for (k = 0; k < 2; k++) {
        lesson_fx fx;
        fx_open(&fx, "21-jobs-and-cronjobs.yaml", sizes[k][0], sizes[k][1]);
        for (i = 0; i < sizeof want / sizeof want[0]; i++) {
            ks_sim *sim = fx_at(&fx, want[i].at);
            const kr_layout *l = &fx.l;
            kr_cron_view v;
            char buf[32];
            assert_int_equal(l->ncron, 1);
            assert_true(kr_cron_view_of(sim, l->cron[0].id, &v));
            assert_string_equal(v.head, "CronJob backup");
            assert_string_equal(v.schedule, "*/1 * * * *");
            assert_string_equal(v.next, want[i].next);
            assert_string_equal(v.in, want[i].in);
            assert_string_equal(v.line, want[i].line);
            assert_true(v.progress > want[i].progress - 0.01
                        && v.progress < want[i].progress + 0.01);
            assert_true(l->cron[0].r.y + l->cron[0].r.h < l->nodes.y);
            assert_int_equal(lc_all("lesson 21", l), 0);
            /* another day: its weekday (2026-01-05 is a Monday) */
            kr_wall_format(sim, 15 * 3600 * KS_SEC, ks_now(sim), buf, sizeof buf);
            assert_string_equal(buf, "Tue 00:00:00");
        }
        fx_close(&fx);
    }
}

/* When the last container of a pod exited (-1: not yet). */
static ks_time done_at(const ks_pod *p)
{
    ks_time t = -1;
    size_t c;
    for (c = 0; c < p->ncontainers; c++)
        if (p->containers[c].state == KS_CS_TERMINATED && p->containers[c].finished_at > t)
            t = p->containers[c].finished_at;
    return t;
}

/* lessons-2c: a Job's Completed pods fade from when they finished, over
 * KR_DONE_FADE (lesson 21: pi's at 70 s, all faded at 126 s); a running
 * pod, an Error pod and a Completed pod without a Job do not; a Job with
 * ttlSecondsAfterFinished (jobs_backoff's once, 20 s) has its pod faded by
 * the time the TTL controller deletes it */
static void test_lesson_layout_done_fade(void **state)
{
    lesson_fx fx;
    ks_sim *sim;
    ks_id id = 0, once = 0;
    int partial = 0, running = 0, failed = 0;
    ks_time t;
    (void)state;
    fx_open(&fx, "21-jobs-and-cronjobs.yaml", 1280, 720);
    sim = fx_at(&fx, 70);
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0) {
        const ks_pod *p = ks_cluster_pod(sim, id);
        double f = kr_done_fade(sim, p), want;
        if (strcmp(p->status, "Completed") != 0) {
            assert_true(f == 0);
            running += strcmp(p->status, "Running") == 0;
            failed += strcmp(p->status, "Error") == 0;
            continue;
        }
        want = (double)(ks_now(sim) - done_at(p)) / (double)KR_DONE_FADE;
        assert_true(f > 0 && ((f > want - 1e-9 && f < want + 1e-9) || (want >= 1 && f == 1)));
        partial += f < 1;
    }
    assert_true(partial >= 2 && running >= 2 && failed >= 2);
    {
        /* readable from the back of a classroom as they fade: the pill's
           words at least WCAG AA's 4.5:1 against it (white on the pale blue
           of a veiled pill was 2.1:1), the name's grey too */
        double f;
        for (f = 0.05; f <= 1.0001; f += 0.05) {
            kr_color ink, fill = kr_done_pill(KR_TONE_DONE, f, &ink);
            assert_true(kr_contrast(ink, fill) >= 4.5);
        }
        assert_true(kr_contrast(KR_C_DIM, KR_C_CARD) >= 4.5);
    }
    sim = fx_at(&fx, 126);
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0)
        if (strncmp(ks_cluster_pod(sim, id)->name, "pi-", 3) == 0)
            assert_true(kr_done_fade(sim, ks_cluster_pod(sim, id)) == 1);
    fx_close(&fx);

    fx_open(&fx, KS_TEST_SCENARIOS_DIR "/jobs_backoff.yaml", 1280, 720);
    sim = fx_at(&fx, 8);
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0)
        if (strncmp(ks_cluster_pod(sim, id)->name, "once-", 5) == 0)
            once = id;
    assert_true(once != 0);
    t = done_at(ks_cluster_pod(sim, once));
    assert_true(t > 0 && t < 8 * KS_SEC);
    sim = fx_at(&fx, (double)(t + 10 * KS_SEC) / KS_SEC);
    {
        /* 10 s of the time from its end to the Job's deletion, its 20 s TTL
         * after the Job completed: far more than 10 s of 60 */
        const ks_job *j = ks_cluster_job(sim, ks_cluster_owner(sim, once));
        ks_time gone;
        assert_non_null(j);
        gone = j->finished_at + 20 * KS_SEC;
        assert_true(fabs(kr_done_fade(sim, ks_cluster_pod(sim, once))
                         - (double)(10 * KS_SEC) / (double)(gone - t)) < 1e-9);
        sim = fx_at(&fx, (double)(gone - 100 * KS_MSEC) / KS_SEC);
        assert_true(kr_done_fade(sim, ks_cluster_pod(sim, once)) > 0.99);
    }
    fx_close(&fx);
}

/* lessons-2d: a StatefulSet's pods keep their ordinal's place (lesson 17):
 * postgres-0, -1, -2 read in ordinal order in every frame they are shown
 * (row by row, left to right), and postgres-1, deleted at 45 s and made
 * again by the StatefulSet controller, comes back to its old place, as
 * postgres-2 does after the scale down (62 s) and up (80 s); each of the
 * three disks has a mount label, none over another or another's line */
static void sts_order(const kr_layout *l, const ks_sim *sim, kr_rect where[3], int *n)
{
    size_t i;
    int k;
    kr_rect r[3];
    bool have[3] = {false, false, false};
    for (i = 0; i < l->npod; i++) {
        const ks_pod *p = ks_cluster_pod(sim, l->pod[i].pod);
        if (p && strncmp(p->name, "postgres-", 9) == 0 && p->name[9] >= '0' && p->name[9] <= '2'
            && !p->name[10] && l->pod[i].r.w > 0) {
            r[p->name[9] - '0'] = l->pod[i].r;
            have[p->name[9] - '0'] = true;
        }
    }
    *n = 0;
    for (k = 0; k < 3; k++) {
        if (!have[k])
            continue;
        where[k] = r[k];
        (*n)++;
    }
    for (k = 0; k + 1 < 3; k++) {
        int j;
        for (j = k + 1; j < 3; j++)
            if (have[k] && have[j])  /* k before j: an earlier row, or the same row further left */
                assert_true(r[k].y < r[j].y || (r[k].y == r[j].y && r[k].x < r[j].x));
    }
}

static void test_lesson_layout_sts_order(void **state)
{
    static const double at[] = {20, 44, 50, 60, 95, 120};
    static const int sizes[][2] = {{1280, 720}, {1920, 1080}};
    size_t i, k;
    (void)state;
    for (k = 0; k < 2; k++) {
        lesson_fx fx;
        kr_rect first[3], now[3];
        int n;
        fx_open(&fx, "17-statefulset-postgres.yaml", sizes[k][0], sizes[k][1]);
        for (i = 0; i < sizeof at / sizeof at[0]; i++) {
            ks_sim *sim = fx_at(&fx, at[i]);
            sts_order(&fx.l, sim, i == 0 ? first : now, &n);
            assert_int_equal(n, 3);
            /* a recreated pod in its old place, the same card */
            if (i > 0)
                assert_memory_equal(first, now, sizeof first);
        }
        {
            /* at 120 s each of the three disks has its mount label, whole
             * (lc_mounts: apart from each other and from the other lines) */
            size_t m, labelled = 0;
            for (m = 0; m < fx.l.nmount; m++)
                if (fx.l.mount[m].label.w) {
                    assert_true(strstr(fx.l.mount[m].text, "/data") != NULL);
                    labelled++;
                }
            assert_int_equal(labelled, 3);
            assert_int_equal(lc_all("lesson 17 at 120s", &fx.l), 0);
        }
        fx_close(&fx);
    }
}

/* lessons-3: lesson 16 (calico enforces its policies): every card row has
 * a band above it, and while the default-deny policy drops the ingress's
 * connections (50 s) each isolated pod's wall has room for its ring,
 * "dropped" and the status (504); lc_walls checks they overlap nothing in
 * every frame */
static void test_lesson_layout_wall_marks(void **state)
{
    static const int sizes[][2] = {{1280, 720}, {1920, 1080}};
    size_t i, k;
    (void)state;
    for (k = 0; k < 2; k++) {
        lesson_fx fx;
        const kr_layout *l = &fx.l;
        int marks = 0;
        fx_open(&fx, "16-network-policy.yaml", sizes[k][0], sizes[k][1]);
        fx_at(&fx, 50);
        assert_int_equal(lc_all("lesson 16 at 50s", l), 0);
        for (i = 0; i < l->npod; i++) {
            kr_wall_marks m;
            assert_true(l->box[l->pod[i].box].band > 0);
            assert_true(kr_layout_wall_marks(l, &l->pod[i], NULL, NULL, "504 timeout", &m));
            assert_true(m.left.w > 0 && m.right.w > 0);
            /* the estimate is wider than DejaVu (which fits "504 timeout"
             * in the frames): the status code at least */
            assert_true(m.left_len == 3 || m.left_len == strlen("504 timeout"));
            marks++;
        }
        assert_true(marks >= 9);
        fx_close(&fx);
    }
}

/* lessons-4: without a network plugin that enforces policies (lesson 15,
 * minikube's default) the grid keeps no band */
static void test_lesson_layout_no_band(void **state)
{
    lesson_fx fx;
    size_t i;
    (void)state;
    fx_open(&fx, "15-autoscaling.yaml", 1280, 720);
    fx_at(&fx, 300);
    for (i = 0; i < fx.l.nbox; i++)
        assert_int_equal(fx.l.box[i].band, 0);
    fx_close(&fx);
}

/* lessons-4: the node header's figures beside its bars are what `kubectl
 * top node` prints (its row's CPU(cores) CPU% MEMORY(bytes) MEMORY%), in
 * lesson 15 before the first sample (none), at the spike and after it */
static void test_lesson_layout_top_node(void **state)
{
    static const double at[] = {12, 200, 300, 700};
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc;
    ks_diags d;
    ks_run *run;
    ks_strbuf out;
    char path[600], want[200], name[64], cpu[32], cpup[32], mem[32], memp[32], buf[200];
    size_t i;
    (void)state;
    ks_diags_init(&d);
    ks_strbuf_init(&out, NULL);
    snprintf(path, sizeof path, "%s/15-autoscaling.yaml", KS_SCENARIOS_DIR);
    assert_int_equal(ks_scenario_load_file(ar, path, &sc, &d), KS_OK);
    run = start(sc);
    for (i = 0; i < sizeof at / sizeof at[0]; i++) {
        ks_sim *sim = ks_run_sim(run);
        const ks_node *n;
        const char *row;
        ks_run_until(sim, (ks_time)(at[i] * KS_SEC));
        n = ks_cluster_node(sim, ks_cluster_next(sim, KS_KIND_NODE, 0));
        ks_strbuf_clear(&out);
        ks_kubectl_run(sim, "top node", NULL, &out);
        if (i == 0) {              /* no sample yet: kubectl errs, no figures */
            assert_int_equal(kr_node_usage_text(sim, n, 3, buf, sizeof buf), 0);
            continue;
        }
        row = strchr(ks_strbuf_str(&out), '\n');
        assert_non_null(row);
        assert_int_equal(sscanf(row + 1, "%63s %31s %31s %31s %31s", name, cpu, cpup, mem, memp),
                         5);
        snprintf(want, sizeof want, "kubectl top node %s %s %s %s", cpu, cpup, mem, memp);
        assert_true(kr_node_usage_text(sim, n, 3, buf, sizeof buf) > 0);
        assert_string_equal(buf, want);
    }
    ks_strbuf_fini(&out);
    ks_run_destroy(run);
    ks_arena_destroy(ar);
}

static void add_dir(const char *dir, bool recurse)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char names[128][256];
    size_t n = 0, i;
    if (!dp)
        return;
    while ((e = readdir(dp)) != NULL && n < 128)
        if (e->d_name[0] != '.')
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    closedir(dp);
    qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    for (i = 0; i < n && nfiles < MAX_FILES; i++) {
        char path[600];
        size_t len = strlen(names[i]);
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (len > 5 && strcmp(names[i] + len - 5, ".yaml") == 0) {
            FILE *f = fopen(path, "r");
            char buf[4096];
            size_t k = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
            if (f)
                fclose(f);
            buf[k] = '\0';
            if (strstr(buf, "kind: Scenario"))
                snprintf(files[nfiles++], sizeof files[0], "%s", path);
        } else if (recurse && strcmp(names[i], "k8s") != 0 && strcmp(names[i], "files") != 0
                   && strcmp(names[i], "solution") != 0) {
            add_dir(path, true);
        }
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lesson_layout_every_frame),
        cmocka_unit_test(test_lesson_layout_hpa_card),
        cmocka_unit_test(test_lesson_layout_top_node),
        cmocka_unit_test(test_lesson_layout_cron_card),
        cmocka_unit_test(test_lesson_layout_done_fade),
        cmocka_unit_test(test_lesson_layout_sts_order),
        cmocka_unit_test(test_lesson_layout_wall_marks),
        cmocka_unit_test(test_lesson_layout_no_band),
    };
    ks_diags d;
    char path[600];
    int i;
    ks_diags_init(&d);
    cat_ar = ks_arena_create(NULL);
    snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
    if (ks_catalog_load_file(cat_ar, path, (ks_catalog **)&catalog, &d) != KS_OK) {
        fprintf(stderr, "cannot load %s\n", path);
        return 1;
    }
    for (i = 1; i < argc && nfiles < MAX_FILES; i++)
        snprintf(files[nfiles++], sizeof files[0], "%s", argv[i]);
    if (argc < 2) {
        add_dir(KS_SCENARIOS_DIR, true);
        add_dir(KS_TEST_SCENARIOS_DIR, false);
        if (nfiles < 20) {
            fprintf(stderr, "only %zu scenarios found in %s\n", nfiles, KS_SCENARIOS_DIR);
            return 1;
        }
    }
    i = cmocka_run_group_tests(tests, NULL, NULL);
    ks_arena_destroy(cat_ar);
    return i;
}
