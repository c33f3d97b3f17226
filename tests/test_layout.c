/* test_layout.c -- the focus of this file: the window's layout
 * (render/kr_layout*.c, kr_grid.c, kr_route.c, kr_slots.c, kr_status.c) as
 * a pure function, without SDL: every box and card inside the window and
 * apart from the others at 1280x720, 1920x1080, 800x600 and 640x400 for 1
 * to 1000 pods on 1 to 20 nodes; readable text sizes; a pod that keeps its
 * place for its life (deleted and replaced, scaled 9 -> 11 -> 9, a rolling
 * update), ghosts that fade in their slots, a grid planned for a whole
 * lesson; mount lines that cross no card; panels sized for what they
 * hold (the words on the cards: test_status.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "cluster_fixture.h"
#include "kr_layout.h"
#include "kr_status.h"
#include "world/ks_world.h"
#include "layout_check.h"

/* ---- a cluster of N nodes (the fixture takes at most 16) ------------------- */
static void big_init(fixture *f, uint64_t seed, int nodes)
{
    ks_sim_config cfg = {0};
    ks_world_config cc = {0};
    ks_diags d;
    ks_manifests m = {0};
    char path[512];
    char *yaml = malloc((size_t)nodes * 200 + 1);
    const ks_object *objs[64];
    size_t i, len = 0;
    cfg.seed = seed;
    f->sim = ks_sim_create(&cfg);
    f->ar = ks_arena_create(NULL);
    ks_diags_init(&d);
    snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
    assert_int_equal(ks_catalog_load_file(f->ar, path, &f->catalog, &d), KS_OK);
    for (i = 0; i < (size_t)nodes; i++)
        len += (size_t)sprintf(yaml + len,
                               "%sapiVersion: v1\nkind: Node\nmetadata: {name: node-%zu}\n"
                               "status: {allocatable: {cpu: '400', memory: 800Gi, pods: '2000'}}\n",
                               i ? "---\n" : "", i + 1);
    ks_manifest_load_text(f->ar, "nodes.yaml", yaml, len, 1, 1, NULL, &m, &d);
    assert_int_equal(d.errors, 0);
    for (i = 0; i < m.n && i < 64; i++)
        objs[i] = m.objs[i];
    cc.catalog = f->catalog;
    cc.nodes = objs;
    cc.nnodes = m.n;
    assert_int_equal(ks_world_init(f->sim, &cc), KS_OK);
    free(yaml);
}

static void apply_web(fixture *f, int replicas)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
             "  replicas: %d\n  selector: {matchLabels: {app: web}}\n"
             "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
             "      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n"
             "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
             "  selector: {app: web}\n  ports: [{port: 80}]\n"
             "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n"
             "  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 2Gi}}\n"
             "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"
             "spec:\n  ingressClassName: nginx\n  rules:\n  - http:\n      paths:\n"
             "      - {path: /, pathType: Prefix, backend: {service: {name: web, port: "
             "{number: 80}}}}\n",
             replicas);
    assert_int_equal(fixture_apply(f, yaml), 0);
}

/* Pods in the sim, all namespaces (the default cluster runs ingress-nginx). */
/* The pods the window draws: all but kube-system's (kr_ns_drawn). */
static size_t all_pods(fixture *f)
{
    ks_id id = 0;
    size_t n = 0;
    while ((id = ks_cluster_next(f->sim, KS_KIND_POD, id)) != 0)
        n += kr_ns_drawn(ks_cluster_pod(f->sim, id)->ns);
    return n;
}

static kr_layout_input input(int w, int h, double scale)
{
    kr_layout_input in;
    memset(&in, 0, sizeof in);
    in.w = w;
    in.h = h;
    in.scale = scale;
    in.traffic = true;
    in.want.pods = 12;
    in.want.events = 20;
    in.want.routes = 2;
    return in;
}

#define KEEP KS_SEC            /* ghosts, as the window at speed 1 */

/* Every invariant of one layout, and that all pods are there. */
static void check_layout(const kr_layout *l, size_t npods)
{
    size_t i, shown = 0;
    int k;
    assert_int_equal(lc_all("layout", l), 0);
    for (k = 0; k < KR_BTN_COUNT; k++) {
        size_t j;
        assert_true(kr_rect_contains(l->topbar, l->btn[k]));
        assert_false(kr_rect_overlaps(l->btn[k], l->title));
        assert_false(kr_rect_overlaps(l->btn[k], l->clock));
        for (j = (size_t)k + 1; j < KR_BTN_COUNT; j++)
            assert_false(kr_rect_overlaps(l->btn[k], l->btn[j]));
    }
    for (i = 0; i < l->npod; i++)
        if (l->pod[i].r.w > 0) {
            shown++;
            assert_true(l->pod[i].r.w >= 3 && l->pod[i].r.h >= 3);
        }
    assert_int_equal(l->npod, npods);
    if (shown != npods)
        print_message("%dx%d: %zu of %zu pods shown, level %d, nodes area %dx%d\n", l->w, l->h,
                      shown, npods, (int)l->level, l->nodes.w, l->nodes.h);
    assert_int_equal(shown, npods);          /* up to 1000 pods, all are shown */
}

/* layout-1: bounds and overlaps over window sizes (the window's smallest,
 * 640x400, and --scale 2 too), node and pod counts */
static void test_layout_fits_everywhere(void **state)
{
    static const int sizes[][3] = {{1280, 720, 10}, {1920, 1080, 10}, {800, 600, 10},
                                   {640, 400, 10}, {1280, 720, 20}};   /* w, h, scale x 10 */
    static const int nodes[] = {1, 3, 20};
    static const int pods[] = {1, 12, 100, 1000};
    size_t a, b, c;
    (void)state;
    for (b = 0; b < sizeof nodes / sizeof nodes[0]; b++)
        for (c = 0; c < sizeof pods / sizeof pods[0]; c++) {
            fixture f;
            kr_layout_state *st = kr_layout_state_create();
            big_init(&f, 1, nodes[b]);
            apply_web(&f, pods[c]);
            run_to(&f, 10 * KS_SEC);
            assert_int_equal(kr_layout_state_sync(st, f.sim, KEEP), 0);
            for (a = 0; a < sizeof sizes / sizeof sizes[0]; a++) {
                kr_layout l;
                kr_layout_input in = input(sizes[a][0], sizes[a][1], sizes[a][2] / 10.0);
                kr_layout_init(&l);
                assert_int_equal(kr_layout_compute(&l, st, f.sim, &in), 0);
                assert_int_equal(l.nbox, (size_t)nodes[b]);
                check_layout(&l, all_pods(&f));
                if (pods[c] <= 3 && nodes[b] == 1 && sizes[a][0] >= 800 && sizes[a][2] == 10)
                    assert_int_equal(l.level, KR_CARD_FULL);
                if (pods[c] == 1000)
                    assert_int_equal(l.level, KR_CARD_DOT);
                /* no panel: still inside, nothing overlaps */
                in.hide_panel = true;
                assert_int_equal(kr_layout_compute(&l, st, f.sim, &in), 0);
                assert_int_equal(l.panel.w, 0);
                check_layout(&l, all_pods(&f));
                kr_layout_fini(&l);
            }
            kr_layout_state_destroy(st);
            fixture_fini(&f);
        }
}

/* live mode (a served cluster): time only moves on, so no restart and no
 * step button; the play button takes the step's place and the title the room */
static void test_layout_live_buttons(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    kr_layout_input in = input(1920, 1080, 1.0);
    kr_rect step, title;
    int k;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    apply_web(&f, 3);
    run_to(&f, 10 * KS_SEC);
    kr_layout_state_sync(st, f.sim, KEEP);
    kr_layout_init(&l);
    kr_layout_compute(&l, st, f.sim, &in);
    step = l.btn[KR_BTN_STEP];
    title = l.title;
    in.live = true;
    kr_layout_compute(&l, st, f.sim, &in);
    assert_int_equal(l.btn[KR_BTN_RESTART].w, 0);
    assert_int_equal(l.btn[KR_BTN_STEP].w, 0);
    assert_int_equal(l.btn[KR_BTN_PLAY].x, step.x);
    assert_true(l.title.w > title.w);
    for (k = 0; k < KR_BTN_COUNT; k++)
        if (l.btn[k].w > 0) {
            assert_true(kr_rect_contains(l.topbar, l.btn[k]));
            assert_false(kr_rect_overlaps(l.btn[k], l.title));
        }
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* layout-2: text sizes readable from the back of a room: they grow with the
 * window's height; at 1920x1080 the smallest is 18 px */
static void test_layout_text_sizes(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    kr_layout_input in = input(1280, 720, 1.0);
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    apply_web(&f, 3);
    run_to(&f, 10 * KS_SEC);
    kr_layout_state_sync(st, f.sim, KEEP);
    kr_layout_init(&l);
    kr_layout_compute(&l, st, f.sim, &in);
    assert_true(l.font.body >= 16);
    assert_true(l.font.caption >= 24);
    assert_true(l.font.heading >= 16);
    assert_true(l.font.title >= 20);
    assert_true(l.font.small >= 13);
    assert_true(l.font.tiny >= 12);
    /* the caption keeps room for two lines */
    assert_true(l.caption.h >= 2 * 24);
    /* a full card holds a 16 px name line, the status pill and a detail line */
    assert_int_equal(l.level, KR_CARD_FULL);
    assert_true(l.pod[0].r.h >= 16 + 24 + 12);
    /* the display's size: the smallest text is 18 px, tables 20, names 24 */
    in = input(1920, 1080, 1.0);
    kr_layout_compute(&l, st, f.sim, &in);
    assert_int_equal(l.font.body, 24);
    assert_int_equal(l.font.tiny, 18);
    assert_int_equal(l.font.small, 20);
    assert_int_equal(l.font.caption, 36);
    /* a 4:3 projector: by its height too */
    in = input(1400, 1050, 1.0);
    kr_layout_compute(&l, st, f.sim, &in);
    assert_true(l.font.tiny >= 17);
    /* --scale on top */
    in = input(1280, 720, 1.5);
    kr_layout_compute(&l, st, f.sim, &in);
    assert_int_equal(l.font.body, 24);
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

static kr_rect rect_of(fixture *f, kr_layout_state *st, kr_layout *l, ks_id pod)
{
    kr_layout_input in = input(1280, 720, 1.0);
    const kr_pod_place *p;
    assert_int_equal(kr_layout_state_sync(st, f->sim, KEEP), 0);
    assert_int_equal(kr_layout_compute(l, st, f->sim, &in), 0);
    assert_int_equal(lc_all("rect_of", l), 0);
    p = kr_layout_find_pod(l, pod);
    assert_non_null(p);
    return p->r;
}

/* The n-th pod of the web Deployment, in creation order. */
static ks_id nth_pod(fixture *f, int n)
{
    ks_id id = 0;
    while ((id = ks_cluster_next(f->sim, KS_KIND_POD, id)) != 0)
        if (strncmp(ks_cluster_pod(f->sim, id)->name, "web-", 4) == 0 && n-- == 0)
            return id;
    return 0;
}

static ks_id newest_pod(fixture *f)
{
    ks_id id = 0, last = 0;
    while ((id = ks_cluster_next(f->sim, KS_KIND_POD, id)) != 0)
        last = id;
    return last;
}

/* A pod's card as first seen, to check it never moves. */
typedef struct seen_card {
    ks_id pod;
    kr_rect r;
} seen_card;

typedef struct tracker {
    seen_card c[256];
    size_t n;
    int moved;
} tracker;

static void track(tracker *t, const kr_layout *l)
{
    size_t i, k;
    for (i = 0; i < l->npod; i++) {
        for (k = 0; k < t->n && t->c[k].pod != l->pod[i].pod; k++)
            ;
        if (k == t->n && t->n < 256) {
            t->c[t->n].pod = l->pod[i].pod;
            t->c[t->n++].r = l->pod[i].r;
        } else if (k < t->n && memcmp(&t->c[k].r, &l->pod[i].r, sizeof(kr_rect)) != 0) {
            print_message("pod %u moved from (%d,%d) to (%d,%d)\n", (unsigned)l->pod[i].pod,
                          t->c[k].r.x, t->c[k].r.y, l->pod[i].r.x, l->pod[i].r.y);
            t->c[k].r = l->pod[i].r;
            t->moved++;
        }
    }
}

/* Runs to t in steps of 100 ms, laying out every step: no pod moves, no
 * card overlaps. */
static void play(fixture *f, kr_layout_state *st, kr_layout *l, tracker *t, ks_time to)
{
    kr_layout_input in = input(1280, 720, 1.0);
    ks_time now = ks_now(f->sim);
    while (now < to) {
        now += 100 * KS_MSEC;
        run_to(f, now);
        assert_int_equal(kr_layout_state_sync(st, f->sim, KEEP), 0);
        assert_int_equal(kr_layout_compute(l, st, f->sim, &in), 0);
        assert_int_equal(lc_all("play", l), 0);
        track(t, l);
    }
    assert_int_equal(t->moved, 0);
}

/* layout-3: a pod deleted and replaced: the old one stays in its slot while
 * Terminating, then fades there as a ghost; the replacement takes the free
 * slot nearest it; no pod ever moves */
static void test_layout_replacement_keeps_places(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    tracker t = {0};
    kr_rect before[3], r;
    ks_id ids[3], victim, repl;
    kr_ghost g[4];
    int i;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    apply_web(&f, 3);
    kr_layout_init(&l);
    play(&f, st, &l, &t, 10 * KS_SEC);
    for (i = 0; i < 3; i++) {
        ids[i] = nth_pod(&f, i);
        before[i] = rect_of(&f, st, &l, ids[i]);
    }
    victim = ids[1];                                   /* the middle one */
    assert_int_equal(ks_cluster_delete(f.sim, victim, -1, false), KS_OK);
    play(&f, st, &l, &t, 10 * KS_SEC + 100 * KS_MSEC);
    repl = newest_pod(&f);
    assert_true(repl != victim && repl > ids[2]);
    /* both visible: the old one Terminating in its slot, the new one apart */
    r = rect_of(&f, st, &l, victim);
    assert_memory_equal(&r, &before[1], sizeof r);
    r = rect_of(&f, st, &l, repl);
    for (i = 0; i < 3; i++)
        assert_false(kr_rect_overlaps(r, before[i]));
    /* the old one is gone: a ghost in its slot for a moment, then a hole;
     * nothing moves */
    while (ks_cluster_pod(f.sim, victim))
        play(&f, st, &l, &t, ks_now(f.sim) + 100 * KS_MSEC);
    assert_int_equal(kr_layout_state_ghosts(st, g, 4), 1);
    assert_int_equal(g[0].pod, victim);
    assert_int_equal(l.nghost, 1);
    assert_memory_equal(&l.ghost[0].r, &before[1], sizeof r);
    play(&f, st, &l, &t, ks_now(f.sim) + KEEP + 200 * KS_MSEC);
    assert_int_equal(kr_layout_state_ghosts(st, g, 4), 0);
    /* a new pod takes the hole: a forced delete of the first, replaced */
    assert_int_equal(ks_cluster_delete(f.sim, ids[0], 0, true), KS_OK);
    play(&f, st, &l, &t, ks_now(f.sim) + KEEP + 500 * KS_MSEC);
    r = rect_of(&f, st, &l, newest_pod(&f));
    assert_true(memcmp(&r, &before[0], sizeof r) == 0 || memcmp(&r, &before[1], sizeof r) == 0);
    /* a crash-looping pod keeps its slot too */
    assert_int_equal(ks_node_crash(f.sim, ids[2], NULL, 1, "Error"), KS_OK);
    play(&f, st, &l, &t, ks_now(f.sim) + 3 * KS_SEC);
    r = rect_of(&f, st, &l, ids[2]);
    assert_memory_equal(&r, &before[2], sizeof r);
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* layout-4: scaling 9 -> 11 -> 9 -> 11: no pod moves, the grid never
 * re-flows (same card size and columns), the two new pods of the second
 * scale-up take the slots the first two left */
static void test_layout_scale_no_reflow(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    tracker t = {0};
    kr_card_level lv;
    int cols, i;
    ks_id d;
    kr_rect first_new[2];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    apply_web(&f, 9);
    kr_layout_init(&l);
    play(&f, st, &l, &t, 10 * KS_SEC);
    lv = l.level;
    cols = l.box[0].cols;
    d = ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, "default", "web");
    assert_int_equal(ks_cluster_scale(f.sim, d, 11), KS_OK);
    play(&f, st, &l, &t, 20 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", NULL), 11);
    for (i = 0; i < 2; i++)
        first_new[i] = kr_layout_find_pod(&l, nth_pod(&f, 9 + i))->r;
    assert_int_equal(ks_cluster_scale(f.sim, d, 9), KS_OK);
    play(&f, st, &l, &t, 40 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", NULL), 9);
    assert_int_equal(kr_layout_state_box_slots(st, l.box[0].node), 12);   /* + ingress-nginx */
    assert_int_equal(ks_cluster_scale(f.sim, d, 11), KS_OK);
    play(&f, st, &l, &t, 50 * KS_SEC);
    for (i = 0; i < 2; i++) {
        kr_rect r = kr_layout_find_pod(&l, nth_pod(&f, 9 + i))->r;
        assert_true(memcmp(&r, &first_new[0], sizeof r) == 0
                    || memcmp(&r, &first_new[1], sizeof r) == 0);
    }
    assert_int_equal(l.level, lv);
    assert_int_equal(l.box[0].cols, cols);
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* layout-5: a rolling update: every pod keeps its place for its life and
 * the grid ends where it began */
static void test_layout_rolling_update(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    tracker t = {0};
    ks_id d;
    ks_error e;
    int cols;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    apply_web(&f, 4);
    kr_layout_init(&l);
    play(&f, st, &l, &t, 10 * KS_SEC);
    cols = l.box[0].cols;
    d = ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, "default", "web");
    assert_int_equal(ks_cluster_set_image(f.sim, d, "web", "nginx:1.25", &e), KS_OK);
    play(&f, st, &l, &t, 130 * KS_SEC);
    assert_int_equal(count_pods(&f, "web-", NULL), 4);
    assert_int_equal(l.box[0].cols, cols);
    assert_true(t.n > 5);                       /* old pods, and new ones, were seen */
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* layout-6: a grid planned from an earlier run of the same lesson: its
 * size is right from the first frame, and does not change as pods come */
static void test_layout_reserve(void **state)
{
    fixture a, b;
    kr_layout l;
    kr_layout_state *scan = kr_layout_state_create(), *st = kr_layout_state_create();
    kr_layout_input in = input(1280, 720, 1.0);
    ks_id d;
    int cols;
    (void)state;
    /* the earlier run: 3 pods, then 12 */
    assert_int_equal(fixture_init(&a, 1, NULL), KS_OK);
    apply_web(&a, 3);
    run_to(&a, 10 * KS_SEC);
    kr_layout_state_sync(scan, a.sim, KEEP);
    d = ks_cluster_find(a.sim, KS_KIND_DEPLOYMENT, "default", "web");
    assert_int_equal(ks_cluster_scale(a.sim, d, 12), KS_OK);
    run_to(&a, 20 * KS_SEC);
    kr_layout_state_sync(scan, a.sim, KEEP);
    assert_int_equal(kr_layout_state_reserve(st, scan), 0);
    /* this run, at its start, has the room for 13 already */
    assert_int_equal(fixture_init(&b, 1, NULL), KS_OK);
    apply_web(&b, 3);
    run_to(&b, 10 * KS_SEC);
    kr_layout_state_sync(st, b.sim, KEEP);
    kr_layout_init(&l);
    assert_int_equal(kr_layout_compute(&l, st, b.sim, &in), 0);
    assert_true(l.box[0].nslots >= 13);
    assert_true(l.box[0].cols * l.box[0].rows >= 13);
    cols = l.box[0].cols;
    assert_true(kr_layout_state_seen(st).services >= 2);
    /* reset (a restart) keeps the reserve */
    kr_layout_state_reset(st);
    kr_layout_state_sync(st, b.sim, KEEP);
    assert_int_equal(kr_layout_compute(&l, st, b.sim, &in), 0);
    assert_int_equal(l.box[0].cols, cols);
    assert_true(l.box[0].nslots >= 13);
    kr_layout_fini(&l);
    kr_layout_state_destroy(scan);
    kr_layout_state_destroy(st);
    fixture_fini(&a);
    fixture_fini(&b);
}

/* layout-7: pods the scheduler cannot place get a box of their own; a pod
 * on its way to a node in an instant does not */
static void test_layout_unscheduled_box(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    kr_layout_input in = input(1280, 720, 1.0);
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n"
                      "  containers: [{name: a, image: nginx, resources: {requests: {cpu: '64'}}}]\n");
    run_to(&f, 5 * KS_SEC);
    kr_layout_state_sync(st, f.sim, KEEP);
    kr_layout_init(&l);
    kr_layout_compute(&l, st, f.sim, &in);
    assert_int_equal(l.nbox, 2);
    assert_int_equal(l.box[1].node, 0);
    assert_int_equal(kr_layout_find_pod(&l, first_pod(&f, "big")->id)->box, 1);
    /* kube-system's CoreDNS pod and Service are not drawn; the ingress
       controller's are */
    assert_null(kr_layout_find_pod(&l, first_pod(&f, "coredns-")->id));
    assert_non_null(kr_layout_find_pod(&l, first_pod(&f, "ingress-nginx-controller-")->id));
    assert_int_equal(l.nsvc, 1);
    check_layout(&l, all_pods(&f));
    assert_true(kr_layout_state_seen(st).pending_box);
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* layout-8: a claim's mount line from a pod in the middle of a full grid
 * runs between the cards, to the disk */
static void test_layout_mount_routes(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    tracker t = {0};
    const kr_pod_place *db;
    const kr_mount *mt;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    apply_web(&f, 5);
    fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: db}\nspec:\n"
                      "  containers: [{name: pg, image: 'postgres:12', env: [{name: "
                      "POSTGRES_PASSWORD, value: x}], volumeMounts: [{name: d, mountPath: "
                      "/var/lib/postgresql/data}]}]\n"
                      "  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n");
    kr_layout_init(&l);
    play(&f, st, &l, &t, 5 * KS_SEC);
    apply_web(&f, 12);                          /* cards below the database's: the grid */
    run_to(&f, 15 * KS_SEC);                    /* grows past its plan, once */
    t.n = 0;
    play(&f, st, &l, &t, 16 * KS_SEC);
    assert_int_equal(l.nmount, 1);
    mt = &l.mount[0];
    db = kr_layout_find_pod(&l, first_pod(&f, "db")->id);
    assert_non_null(db);
    assert_int_equal(mt->pod, db->pod);
    /* from the card's bottom to the disk's top, straight runs only */
    assert_true(mt->x[0] >= db->r.x && mt->x[0] <= db->r.x + db->r.w);
    assert_true(mt->y[0] == (float)(db->r.y + db->r.h));
    assert_true(mt->y[mt->n - 1] > (float)l.disk[mt->disk].r.y);
    assert_true(kr_rect_hit(l.disk[mt->disk].r, (int)mt->x[mt->n - 1], (int)mt->y[mt->n - 1]));
    {
        int k;
        for (k = 0; k + 1 < mt->n; k++)
            assert_true(mt->x[k] == mt->x[k + 1] || mt->y[k] == mt->y[k + 1]);
    }
    assert_true(mt->label.w > 0 && mt->path && strcmp(mt->path, "/var/lib/postgresql/data") == 0);
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* layout-9: the right panel's parts are sized for what they hold */
static void test_layout_panel_sizes(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    kr_layout_input in = input(1280, 720, 1.0);
    int t9, t11;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    apply_web(&f, 3);
    run_to(&f, 10 * KS_SEC);
    kr_layout_state_sync(st, f.sim, KEEP);
    kr_layout_init(&l);
    in.want.pods = 9;
    kr_layout_compute(&l, st, f.sim, &in);
    t9 = l.table.h;
    assert_int_equal(l.output.h, 0);
    assert_int_equal(l.goals.h, 0);
    in.want.pods = 11;
    kr_layout_compute(&l, st, f.sim, &in);
    t11 = l.table.h;
    assert_true(t11 > t9);                      /* grows for 11 pods ... */
    in.want.pods = 9;
    kr_layout_compute(&l, st, f.sim, &in);
    assert_int_equal(l.table.h, t9);            /* ... and back for 9 */
    /* a command's output: below the table, in the terminal */
    in.want.output = 4;
    kr_layout_compute(&l, st, f.sim, &in);
    assert_true(l.output.h >= 4 * kr_layout_row_table(&l));
    assert_true(kr_rect_contains(l.term, l.output));
    /* an exercise's goals: at the top, all of them */
    in.want.goals = 5;
    kr_layout_compute(&l, st, f.sim, &in);
    assert_true(l.goals.h >= 5 * kr_layout_row_goals(&l));
    assert_true(l.goals.y < l.term.y);
    assert_int_equal(lc_frame("panel", &l), 0);
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* layout-10: Ingress rules whole: broken before "→" and "as", never cut */
static void test_layout_ingress_lines(void **state)
{
    fixture f;
    ks_id id;
    char lines[6][200];
    int n;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    fixture_apply(&f, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
                      "  name: app\n  annotations: {nginx.ingress.kubernetes.io/rewrite-target: "
                      "/$1, nginx.ingress.kubernetes.io/use-regex: 'true'}\n"
                      "spec:\n  ingressClassName: nginx\n  rules:\n  - http:\n      paths:\n"
                      "      - {path: /api/?(.*), pathType: ImplementationSpecific, backend: "
                      "{service: {name: server-cluster-ip-service, port: {number: 5000}}}}\n");
    id = ks_cluster_find(f.sim, KS_KIND_INGRESS, "default", "app");
    n = kr_layout_ingress_lines(ks_cluster_object(f.sim, id), NULL, NULL, 13, 2000, lines, 6);
    assert_int_equal(n, 1);
    assert_string_equal(lines[0], "/api/?(.*) \xE2\x86\x92 server-cluster-ip-service:5000 as /$1");
    n = kr_layout_ingress_lines(ks_cluster_object(f.sim, id), NULL, NULL, 13, 340, lines, 6);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0], "/api/?(.*)");
    assert_string_equal(lines[1], "  \xE2\x86\x92 server-cluster-ip-service:5000 as /$1");
    n = kr_layout_ingress_lines(ks_cluster_object(f.sim, id), NULL, NULL, 13, 200, lines, 6);
    assert_int_equal(n, 3);
    assert_string_equal(lines[2], "  as /$1");
    fixture_fini(&f);
}

/* layout-11: a segment crosses a rectangle's inside, not its edge */
static void test_layout_segment_crosses(void **state)
{
    kr_rect r = {10, 10, 20, 20};
    (void)state;
    assert_true(kr_segment_crosses(r, 0, 20, 40, 20));      /* straight through */
    assert_true(kr_segment_crosses(r, 20, 0, 20, 15));      /* into it */
    assert_false(kr_segment_crosses(r, 20, 30, 20, 50));    /* from its bottom edge, away */
    assert_false(kr_segment_crosses(r, 0, 10, 40, 10));     /* along its top edge */
    assert_false(kr_segment_crosses(r, 0, 0, 40, 5));       /* above it */
    assert_true(kr_segment_crosses(r, 0, 0, 40, 40));       /* the diagonal */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_fits_everywhere),
        cmocka_unit_test(test_layout_text_sizes),
        cmocka_unit_test(test_layout_live_buttons),
        cmocka_unit_test(test_layout_replacement_keeps_places),
        cmocka_unit_test(test_layout_scale_no_reflow),
        cmocka_unit_test(test_layout_rolling_update),
        cmocka_unit_test(test_layout_reserve),
        cmocka_unit_test(test_layout_unscheduled_box),
        cmocka_unit_test(test_layout_mount_routes),
        cmocka_unit_test(test_layout_panel_sizes),
        cmocka_unit_test(test_layout_ingress_lines),
        cmocka_unit_test(test_layout_segment_crosses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
