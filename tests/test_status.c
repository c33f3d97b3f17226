/* test_status.c -- the words on the window's cards (render/kr_status.c,
 * kr_term.c), as pure functions without SDL: names shortened to fit, the
 * terminal panel's lines, a crash-looping pod's card, the metrics cards.
 * Split from test_layout.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "cluster_fixture.h"
#include "kr_status.h"

/* status-1: the words on the cards */
/* The lines kr_term_lines gives. */
typedef struct term_seen {
    char line[4][64];
    int n;
} term_seen;

static void term_see(void *ud, const char *line, bool cont)
{
    term_seen *t = ud;
    (void)cont;
    if (t->n < 4)
        snprintf(t->line[t->n++], sizeof t->line[0], "%s", line);
}

static void test_status_words(void **state)
{
    char buf[128];
    (void)state;
    kr_ellipsize_middle("postgres-5c8b7d9f-9wq7z", 16, buf, sizeof buf);
    assert_int_equal(kr_utf8_len(buf), 16);
    assert_string_equal(buf + strlen(buf) - 5, "9wq7z");
    kr_name_short("client-5d8f7b9c6d-q4dtc", 14, 1, buf, sizeof buf);
    assert_string_equal(buf, "client-\xE2\x80\xA6-q4dtc");
    kr_name_short("client-5d8f7b9c6d-q4dtc", 10, 1, buf, sizeof buf);
    assert_string_equal(buf, "cli\xE2\x80\xA6-q4dtc");
    kr_name_short("crash", 10, 1, buf, sizeof buf);
    assert_string_equal(buf, "crash");
    /* the workload's name whole, then its leading words, never mid-word
     * while the shortest form fits */
    kr_name_short("server-deployment-54cffc4bcc-dmvmp", 30, 1, buf, sizeof buf);
    assert_string_equal(buf, "server-deployment-\xE2\x80\xA6-dmvmp");
    kr_name_short("server-deployment-54cffc4bcc-dmvmp", 20, 1, buf, sizeof buf);
    assert_string_equal(buf, "server-\xE2\x80\xA6-dmvmp");
    kr_name_min("server-deployment-54cffc4bcc-dmvmp", 1, buf, sizeof buf);
    assert_string_equal(buf, "server-\xE2\x80\xA6-dmvmp");
    kr_name_min("ingress-nginx-controller-7c8d9f6b5c-lvlss", 1, buf, sizeof buf);
    assert_string_equal(buf, "ingress-\xE2\x80\xA6-lvlss");
    kr_name_min("web-7c7b595bcc-txs4d", 1, buf, sizeof buf);
    assert_string_equal(buf, "web-\xE2\x80\xA6-txs4d");
    kr_name_min("shop-97fcf48f9-69gg5", 1, buf, sizeof buf);
    assert_string_equal(buf, "shop-\xE2\x80\xA6-69gg5");
    kr_name_short("postgres-cluster-ip-service", 20, 1, buf, sizeof buf);
    assert_string_equal(buf, "postgres-cluster-\xE2\x80\xA6");
    kr_name_min("postgres-cluster-ip-service", 1, buf, sizeof buf);
    assert_string_equal(buf, "postgres-\xE2\x80\xA6");
    /* "deployment" is a word, not a hash (vowels): only the suffix goes */
    kr_name_min("web-deployment-q4dtc", 1, buf, sizeof buf);
    assert_string_equal(buf, "web-\xE2\x80\xA6-q4dtc");
    /* two workloads that share a first word keep their second */
    {
        kr_namer nm;
        kr_namer_clear(&nm);
        kr_namer_add(&nm, "payment-ledger-postgres-deployment-65b7b69cf4-thh7z");
        kr_namer_add(&nm, "payment-reconciliation-worker-deployment-5d8f7b9c6d-q4dtc");
        kr_namer_add(&nm, "web-7c7b595bcc-txs4d");
        kr_namer_add(&nm, "web-canary-7c7b595bcc-txs4d");
        assert_int_equal(kr_namer_words(&nm, "payment-ledger-postgres-deployment-65b7b69cf4-thh7z"), 2);
        assert_int_equal(kr_namer_words(&nm, "web-7c7b595bcc-k2l7c"), 1);
        assert_int_equal(kr_namer_words(&nm, "web-canary-7c7b595bcc-k2l7c"), 2);
        kr_name_min("payment-ledger-postgres-deployment-65b7b69cf4-thh7z", 2, buf, sizeof buf);
        assert_string_equal(buf, "payment-ledger-\xE2\x80\xA6-thh7z");
        kr_name_short("payment-ledger-postgres-deployment-65b7b69cf4-thh7z", 12, 2, buf, sizeof buf);
        assert_string_equal(buf, "payme\xE2\x80\xA6-thh7z");
    }
    /* a ReplicaSet: its hash is what tells it from the others */
    kr_name_short("server-deployment-54cffc4bcc", 20, 1, buf, sizeof buf);
    assert_string_equal(buf, "server-\xE2\x80\xA6-54cffc4bcc");
    /* a terminal's tabs */
    kr_expand_tabs("NAME\tSTATUS", buf, sizeof buf);
    assert_string_equal(buf, "NAME    STATUS");
    assert_int_equal(kr_term_lines("0123456789abc\nx\n", NULL, 10, NULL, NULL), 3);
    {   /* the lines kubectl says are a table's are narrowed (two spaces between
         * columns), then wrap like the others, as a terminal wraps them */
        static const char out[] = "NAME   READY   STATUS\nweb-1  1/1     Running\n"
                                  "\nError from server (NotFound): x\n";
        kr_term_tables t;
        memset(&t, 0, sizeof t);
        assert_int_equal(kr_term_lines(out, &t, 10, NULL, NULL), 3 + 3 + 1 + 4);
        kr_term_table_line(&t, 0);
        kr_term_table_line(&t, 1);
        kr_term_table_line(&t, KR_TERM_MAX_LINES);        /* beyond: nothing */
        assert_int_equal(kr_term_lines(out, &t, 10, NULL, NULL), 2 + 3 + 1 + 4);
        assert_int_equal(kr_term_lines("Name:   web-1 and more\n", &t, 10, NULL, NULL), 3);
        assert_int_equal(kr_term_lines("Name:   web-1 and more\n", NULL, 10, NULL, NULL), 3);
    }
    {   /* a table wider than the terminal: two spaces between its columns,
         * not three; one that fits stays as kubectl printed it */
        static const char out[] = "NAME    READY   STATUS\nweb-1   1/1     Running\n";
        kr_term_tables t;
        term_seen seen = {0};
        memset(&t, 0, sizeof t);
        kr_term_table_line(&t, 0);
        kr_term_table_line(&t, 1);
        kr_term_lines(out, &t, 20, term_see, &seen);
        assert_string_equal(seen.line[0], "NAME   READY  STATUS");
        assert_string_equal(seen.line[1], "web-1  1/1    Runnin");   /* 21: a terminal wraps */
        assert_string_equal(seen.line[2], "g");
        seen.n = 0;
        kr_term_lines(out, &t, 23, term_see, &seen);
        assert_string_equal(seen.line[1], "web-1   1/1     Running");
        seen.n = 0;                          /* narrowed, still wider: wrapped */
        kr_term_lines(out, &t, 14, term_see, &seen);
        assert_string_equal(seen.line[0], "NAME   READY  ");
        assert_string_equal(seen.line[1], "STATUS");
        assert_string_equal(seen.line[2], "web-1  1/1    ");
        assert_string_equal(seen.line[3], "Running");
    }
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
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
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

/* status-3: with the metrics-server addon, node and pod cards show what
 * the metrics API measures; without it, the node's requests and "Ready" */
static void test_status_metrics_cards(void **state)
{
    static const char pod[] =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
        "    - {name: web, image: nginx, resources: {requests: {cpu: 100m, memory: 32Mi},\n"
        "       limits: {memory: 64Mi}}}\n";
    int addon;
    for (addon = 0; addon < 2; addon++) {
        ks_sim_config cfg = {0};
        ks_world_config cc = {0};
        fixture f;
        ks_diags d;
        char path[512], buf[160];
        const ks_pod *p;
        cfg.seed = 1;
        f.sim = ks_sim_create(&cfg);
        f.ar = ks_arena_create(NULL);
        ks_diags_init(&d);
        snprintf(path, sizeof path, "%s/images.yaml", KS_ASSETS_DIR);
        assert_int_equal(ks_catalog_load_file(f.ar, path, &f.catalog, &d), KS_OK);
        cc.catalog = f.catalog;
        cc.metrics_server = addon;
        assert_int_equal(ks_world_init(f.sim, &cc), KS_OK);
        assert_int_equal(fixture_apply(&f, pod), 0);
        run_to(&f, 150 * KS_SEC);
        p = first_pod(&f, "web");
        (void)state;
        kr_pod_detail(f.sim, p, buf, sizeof buf);
        if (!addon) {
            assert_string_equal(buf, "Ready 1/1");
            assert_int_equal(kr_node_usage_text(f.sim, ks_cluster_node(f.sim, p->node), 1, buf,
                                                sizeof buf), 0);
        } else {
            assert_string_equal(buf, "cpu 1m/100m \xC2\xB7 8Mi/64Mi");
            assert_true(kr_node_usage_text(f.sim, ks_cluster_node(f.sim, p->node), 1, buf,
                                           sizeof buf) > 0);
            assert_non_null(strstr(buf, "cpu "));
            assert_non_null(strstr(buf, "% \xC2\xB7 memory "));
        }
        fixture_fini(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_words),
        cmocka_unit_test(test_status_crashloop_card),
        cmocka_unit_test(test_status_metrics_cards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
