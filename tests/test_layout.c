/* test_layout.c -- the focus of this file: the window's layout
 * (render/kr_layout.c, kr_slots.c, kr_status.c) as a pure function,
 * without SDL: every box and card inside the window and apart from the
 * others at 1280x720, 1920x1080 and 800x600 for 1 to 1000 pods on 1 to 20
 * nodes; readable text sizes; cards that stay put when pods are replaced;
 * the words on the cards. */
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
static size_t all_pods(fixture *f)
{
    ks_id id = 0;
    size_t n = 0;
    while ((id = ks_cluster_next(f->sim, KS_KIND_POD, id)) != 0)
        n++;
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
    in.caption = "The pod is gone, but its claim is not: the new pod mounts the same volume.";
    return in;
}

static void assert_inside(kr_rect outer, kr_rect r, const char *what, int i)
{
    if (r.w == 0 || r.h == 0)
        return;
    if (!kr_rect_contains(outer, r))
        fail_msg("%s %d (%d,%d %dx%d) outside (%d,%d %dx%d)", what, i, r.x, r.y, r.w, r.h, outer.x,
                 outer.y, outer.w, outer.h);
}

static void assert_apart(kr_rect a, kr_rect b, const char *what, int i, int j)
{
    if (kr_rect_overlaps(a, b))
        fail_msg("%s %d (%d,%d %dx%d) overlaps %d (%d,%d %dx%d)", what, i, a.x, a.y, a.w, a.h, j,
                 b.x, b.y, b.w, b.h);
}

/* Every invariant of one layout. */
static void check_layout(const kr_layout *l, size_t npods)
{
    kr_rect win = {0, 0, l->w, l->h};
    kr_rect top[6];
    size_t i, j, shown = 0;
    int k;
    top[0] = l->topbar;
    top[1] = l->main;
    top[2] = l->panel;
    top[3] = l->caption;
    top[4] = l->timeline;
    top[5] = l->nodes;
    for (k = 0; k < 5; k++) {
        assert_inside(win, top[k], "region", k);
        for (j = (size_t)k + 1; j < 5; j++)
            assert_apart(top[k], top[j], "region", k, (int)j);
    }
    for (k = 0; k < KR_BTN_COUNT; k++) {
        assert_inside(l->topbar, l->btn[k], "button", k);
        assert_apart(l->btn[k], l->title, "button/title", k, 0);
        assert_apart(l->btn[k], l->clock, "button/clock", k, 0);
        for (j = (size_t)k + 1; j < KR_BTN_COUNT; j++)
            assert_apart(l->btn[k], l->btn[j], "button", k, (int)j);
    }
    assert_inside(l->panel, l->table, "table", 0);
    assert_inside(l->panel, l->events, "events", 0);
    assert_inside(l->panel, l->requests, "requests", 0);
    assert_apart(l->table, l->events, "panel", 0, 1);
    assert_apart(l->events, l->requests, "panel", 1, 2);
    assert_inside(l->main, l->nodes, "nodes", 0);
    assert_inside(l->main, l->storage, "storage", 0);
    assert_apart(l->nodes, l->storage, "nodes/storage", 0, 0);
    assert_inside(l->main, l->traffic, "traffic", 0);
    for (i = 0; i < l->ning; i++) {
        assert_inside(l->main, l->ing[i].r, "ingress", (int)i);
        assert_apart(l->ing[i].r, l->traffic, "ingress/traffic", (int)i, 0);
        assert_apart(l->ing[i].r, l->nodes, "ingress/nodes", (int)i, 0);
    }
    for (i = 0; i < l->nsvc; i++) {
        assert_inside(l->main, l->svc[i].r, "service", (int)i);
        assert_apart(l->svc[i].r, l->nodes, "service/nodes", (int)i, 0);
        assert_apart(l->svc[i].r, l->traffic, "service/traffic", (int)i, 0);
        for (j = 0; j < l->ning; j++)
            assert_apart(l->svc[i].r, l->ing[j].r, "service/ingress", (int)i, (int)j);
        for (j = i + 1; j < l->nsvc; j++)
            assert_apart(l->svc[i].r, l->svc[j].r, "service", (int)i, (int)j);
    }
    for (i = 0; i < l->ndisk; i++) {
        assert_inside(l->storage, l->disk[i].r, "disk", (int)i);
        for (j = i + 1; j < l->ndisk; j++)
            assert_apart(l->disk[i].r, l->disk[j].r, "disk", (int)i, (int)j);
    }
    for (i = 0; i < l->nbox; i++) {
        assert_inside(l->nodes, l->box[i].r, "box", (int)i);
        assert_inside(l->box[i].r, l->box[i].inner, "box inner", (int)i);
        assert_inside(l->box[i].r, l->box[i].header, "box header", (int)i);
        assert_apart(l->box[i].header, l->box[i].inner, "box header/inner", (int)i, (int)i);
        for (j = i + 1; j < l->nbox; j++)
            assert_apart(l->box[i].r, l->box[j].r, "box", (int)i, (int)j);
    }
    for (i = 0; i < l->npod; i++) {
        const kr_pod_place *p = &l->pod[i];
        kr_rect grid = l->box[p->box].inner;
        if (p->r.w == 0)
            continue;
        shown++;
        assert_inside(grid, p->r, "card", (int)i);
        assert_true(p->r.w >= 3 && p->r.h >= 3);
        for (j = i + 1; j < l->npod; j++)
            if (l->pod[j].box == p->box)
                assert_apart(p->r, l->pod[j].r, "card", (int)i, (int)j);
    }
    assert_int_equal(l->npod, npods);
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
            assert_int_equal(kr_layout_state_sync(st, f.sim), 0);
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

/* layout-2: text sizes readable from the back of a room */
static void test_layout_text_sizes(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    kr_layout_input in = input(1280, 720, 1.0);
    (void)state;
    fixture_init(&f, 1, NULL);
    apply_web(&f, 3);
    run_to(&f, 10 * KS_SEC);
    kr_layout_state_sync(st, f.sim);
    kr_layout_init(&l);
    kr_layout_compute(&l, st, f.sim, &in);
    assert_true(l.font.body >= 16);
    assert_true(l.font.caption >= 24);
    assert_true(l.font.heading >= 16);
    assert_true(l.font.title >= 20);
    assert_true(l.font.small >= 12);
    assert_true(l.caption.h >= 24);
    /* a full card holds a 16 px name line, the status pill and a detail line */
    assert_int_equal(l.level, KR_CARD_FULL);
    assert_true(l.pod[0].r.h >= 16 + 24 + 12);
    /* bigger windows and --scale make everything bigger */
    in = input(1920, 1080, 1.0);
    kr_layout_compute(&l, st, f.sim, &in);
    assert_int_equal(l.font.body, 24);
    in = input(1280, 720, 1.5);
    kr_layout_compute(&l, st, f.sim, &in);
    assert_int_equal(l.font.body, 24);
    assert_true(l.font.caption >= 36);
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

static kr_rect rect_of(fixture *f, kr_layout_state *st, kr_layout *l, ks_id pod)
{
    kr_layout_input in = input(1280, 720, 1.0);
    const kr_pod_place *p;
    assert_int_equal(kr_layout_state_sync(st, f->sim), 0);
    assert_int_equal(kr_layout_compute(l, st, f->sim, &in), 0);
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

/* layout-3: a replacement takes the slot of the pod it replaced; the other
 * pods never move */
static void test_layout_replacement_keeps_slot(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    kr_rect before[3], r;
    ks_id ids[3], victim, repl;
    int i;
    (void)state;
    fixture_init(&f, 1, NULL);
    apply_web(&f, 3);
    kr_layout_init(&l);
    run_to(&f, 10 * KS_SEC);
    for (i = 0; i < 3; i++) {
        ids[i] = nth_pod(&f, i);
        before[i] = rect_of(&f, st, &l, ids[i]);
    }
    victim = ids[1];                                   /* the middle one */
    assert_int_equal(ks_cluster_delete(f.sim, victim, -1, false), KS_OK);
    run_to(&f, 10 * KS_SEC + 50 * KS_MSEC);
    repl = newest_pod(&f);
    assert_true(repl != victim && repl > ids[2]);
    /* both visible: the old one Terminating in its slot, the new one after */
    r = rect_of(&f, st, &l, victim);
    assert_memory_equal(&r, &before[1], sizeof r);
    r = rect_of(&f, st, &l, repl);
    assert_false(kr_rect_overlaps(r, before[0]) || kr_rect_overlaps(r, before[1])
                 || kr_rect_overlaps(r, before[2]));
    /* the old one is gone: its replacement moves into its slot */
    run_to(&f, 12 * KS_SEC);
    assert_null(ks_cluster_pod(f.sim, victim));
    r = rect_of(&f, st, &l, repl);
    assert_memory_equal(&r, &before[1], sizeof r);
    r = rect_of(&f, st, &l, ids[0]);
    assert_memory_equal(&r, &before[0], sizeof r);
    r = rect_of(&f, st, &l, ids[2]);
    assert_memory_equal(&r, &before[2], sizeof r);
    /* a forced delete: the replacement appears in the freed slot at once */
    assert_int_equal(ks_cluster_delete(f.sim, ids[0], 0, true), KS_OK);
    run_to(&f, 12 * KS_SEC + 50 * KS_MSEC);
    r = rect_of(&f, st, &l, newest_pod(&f));
    assert_memory_equal(&r, &before[0], sizeof r);
    /* a crash-looping pod keeps its slot too */
    assert_int_equal(ks_node_crash(f.sim, ids[2], NULL, 1, "Error"), KS_OK);
    run_to(&f, 13 * KS_SEC);
    r = rect_of(&f, st, &l, ids[2]);
    assert_memory_equal(&r, &before[2], sizeof r);
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* layout-4: a rolling update ends with the new pods in the old slots */
static void test_layout_rolling_update_stays_compact(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    kr_rect before[4];
    ks_id d;
    ks_error e;
    int i, k;
    (void)state;
    fixture_init(&f, 1, NULL);
    apply_web(&f, 4);
    kr_layout_init(&l);
    run_to(&f, 10 * KS_SEC);
    for (i = 0; i < 4; i++)
        before[i] = rect_of(&f, st, &l, nth_pod(&f, i));
    d = ks_cluster_find(f.sim, KS_KIND_DEPLOYMENT, "default", "web");
    assert_int_equal(ks_cluster_set_image(f.sim, d, "web", "nginx:1.25", &e), KS_OK);
    for (k = 0; k < 1200; k++) {                       /* a sync every 100 ms */
        run_to(&f, 10 * KS_SEC + k * 100 * KS_MSEC);
        kr_layout_state_sync(st, f.sim);
    }
    assert_int_equal(count_pods(&f, "web-", NULL), 4);
    for (i = 0; i < 4; i++) {
        kr_rect r = rect_of(&f, st, &l, nth_pod(&f, i));
        int j, found = 0;
        for (j = 0; j < 4; j++)
            found += memcmp(&r, &before[j], sizeof r) == 0;
        assert_int_equal(found, 1);
    }
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* layout-5: pods not scheduled get a box of their own */
static void test_layout_unscheduled_box(void **state)
{
    fixture f;
    kr_layout l;
    kr_layout_state *st = kr_layout_state_create();
    kr_layout_input in = input(1280, 720, 1.0);
    (void)state;
    fixture_init(&f, 1, NULL);
    fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n"
                      "  containers: [{name: a, image: nginx, resources: {requests: {cpu: '64'}}}]\n");
    run_to(&f, 5 * KS_SEC);
    kr_layout_state_sync(st, f.sim);
    kr_layout_init(&l);
    kr_layout_compute(&l, st, f.sim, &in);
    assert_int_equal(l.nbox, 2);
    assert_int_equal(l.box[1].node, 0);
    assert_int_equal(kr_layout_find_pod(&l, first_pod(&f, "big")->id)->box, 1);
    check_layout(&l, all_pods(&f));
    kr_layout_fini(&l);
    kr_layout_state_destroy(st);
    fixture_fini(&f);
}

/* status-1: the words on the cards */
static void test_status_words(void **state)
{
    char buf[128];
    (void)state;
    kr_ellipsize_middle("postgres-5c8b7d9f-9wq7z", 16, buf, sizeof buf);
    assert_int_equal(kr_utf8_len(buf), 16);
    assert_string_equal(buf + strlen(buf) - 5, "9wq7z");
    kr_name_short("client-5d8f7b9c6d-q4dtc", 14, buf, sizeof buf);
    assert_string_equal(buf, "client-\xE2\x80\xA6-q4dtc");
    kr_name_short("client-5d8f7b9c6d-q4dtc", 10, buf, sizeof buf);
    assert_string_equal(buf, "cli\xE2\x80\xA6-q4dtc");
    kr_name_short("crash", 10, buf, sizeof buf);
    assert_string_equal(buf, "crash");
    kr_ellipsize_middle("web", 16, buf, sizeof buf);
    assert_string_equal(buf, "web");
    kr_ellipsize_end("Back-off restarting failed container", 10, buf, sizeof buf);
    assert_string_equal(buf, "Back-off \xE2\x80\xA6");
    kr_clock_format(47 * KS_SEC + 250 * KS_MSEC, buf, sizeof buf);
    assert_string_equal(buf, "00:47.2");
    kr_clock_format(KS_HOUR + 2 * KS_MIN + 3 * KS_SEC, buf, sizeof buf);
    assert_string_equal(buf, "1:02:03.0");
    kr_bytes_format(2LL << 30, buf, sizeof buf);
    assert_string_equal(buf, "2Gi");
    kr_bytes_format(1536LL << 10, buf, sizeof buf);
    assert_string_equal(buf, "1536Ki");
    kr_pending_short("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes", buf,
                     sizeof buf);
    assert_string_equal(buf, "Insufficient cpu");
    kr_pending_short("0/1 nodes are available: 1 node(s) were unschedulable.", buf, sizeof buf);
    assert_string_equal(buf, "node cordoned");
    kr_speed_format(4, buf, sizeof buf);
    assert_string_equal(buf, "\xC3\x97" "4");
    kr_speed_format(0.25, buf, sizeof buf);
    assert_string_equal(buf, "\xC3\x97" "0.25");
}

/* status-2: back-off countdown and tones from a real crash loop */
static void test_status_crashloop_card(void **state)
{
    fixture f;
    const ks_pod *p;
    char buf[128];
    (void)state;
    fixture_init(&f, 1, NULL);
    fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: crash}\nspec:\n"
                      "  containers:\n    - name: app\n      image: busybox\n"
                      "      command: [sh, -c, 'echo boom; exit 1']\n");
    run_to(&f, 5 * KS_SEC);                 /* back-off 10 s from 1.375 s */
    p = first_pod(&f, "crash");
    assert_int_equal(kr_pod_tone(p), KR_TONE_BAD);
    assert_int_equal(kr_pod_restarts(p), 1);
    kr_pod_detail(f.sim, p, buf, sizeof buf);
    assert_string_equal(buf, "next start in 7 s");
    run_to(&f, 11 * KS_SEC + 500 * KS_MSEC);
    p = first_pod(&f, "crash");
    kr_pod_detail(f.sim, p, buf, sizeof buf);
    assert_string_equal(buf, "next start in 20 s");
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_fits_everywhere),
        cmocka_unit_test(test_layout_text_sizes),
        cmocka_unit_test(test_layout_replacement_keeps_slot),
        cmocka_unit_test(test_layout_rolling_update_stays_compact),
        cmocka_unit_test(test_layout_unscheduled_box),
        cmocka_unit_test(test_status_words),
        cmocka_unit_test(test_status_crashloop_card),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
