/* test_pod_runtime.c -- what the containers of a pod find at run time, as
 * public manifest sets rely on it (issue 15, found by the survey of sets
 * kubesim had never seen):
 * - localhost and 127.0.0.0/8 are the pod's own loopback: one container
 *   reaches another one of its pod there, wget from a shell (ks_fetch.c) and
 *   an api's database and cache connections (ks_reply.c), with no Service;
 * - a gRPC probe's failure in the kubelet's words (pkg/probe/grpc);
 * - args without command whose first word is a shell run as the image's
 *   ENTRYPOINT would run them (ks_node_args_run_sh);
 * - `kubesim check` warns at an image the catalog does not know. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "exec_fixture.h"
#include "kubectl/ks_kubectl.h"
#include "load/ks_catalog.h"
#include "run/ks_runner.h"

/* A sidecar asks nginx of its own pod on localhost:80 and 127.0.0.1: the
 * pod's network namespace, no Service (the kubernetes website's "Communicate
 * Between Containers in the Same Pod"); a port nobody of the pod listens on
 * is refused at once; another pod's localhost is its own. */
static void test_localhost_is_the_pod(void **state)
{
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 4, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: two}\nspec:\n"
                                       "  containers:\n"
                                       "    - {name: nginx, image: \"nginx:1.27\"}\n"
                                       "    - {name: side, image: busybox, command: [sleep, '3600']}\n"
                                       "---\napiVersion: v1\nkind: Pod\nmetadata: {name: alone}\n"
                                       "spec:\n  containers:\n"
                                       "    - {name: side, image: busybox, command: [sleep, '3600']}\n"),
                     0);
    run_to(&f, 20 * KS_SEC);
    assert_non_null(strstr(kubectl(&f, "exec two -c side -- wget -qO- localhost", 0),
                           "Welcome to nginx!"));
    assert_non_null(strstr(kubectl(&f, "exec two -c side -- wget -qO- http://127.0.0.1:80/", 0),
                           "Welcome to nginx!"));
    assert_string_equal(kubectl(&f, "exec two -c side -- wget -qO- localhost:8080", 1),
                        "wget: can't connect to remote host (127.0.0.1): Connection refused\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(&f, "exec alone -- wget -qO- localhost", 1),
                        "wget: can't connect to remote host (127.0.0.1): Connection refused\n"
                        "command terminated with exit code 1\n");
    fixture_fini(&f);
}

/* The course's api finds its redis through REDIS_HOST=localhost and its
 * postgres through the client's default host (PGHOST unset: 127.0.0.1):
 * both run in its own pod, so its requests succeed; before, localhost was
 * a name DNS did not know (getaddrinfo ENOTFOUND). */
static void test_sidecar_peers(void **state)
{
    fixture f;
    const char *out;
    (void)state;
    assert_int_equal(fixture_init(&f, 4, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n"
                                       "  containers:\n"
                                       "    - name: api\n"
                                       "      image: stephengrider/multi-server\n"
                                       "      env: [{name: REDIS_HOST, value: localhost},\n"
                                       "            {name: PGUSER, value: postgres},\n"
                                       "            {name: PGPASSWORD, value: pw}]\n"
                                       "    - {name: redis, image: \"redis:7\"}\n"
                                       "    - name: db\n"
                                       "      image: \"postgres:16\"\n"
                                       "      env: [{name: POSTGRES_PASSWORD, value: pw}]\n"
                                       "    - {name: side, image: busybox, command: [sleep, '3600']}\n"),
                     0);
    run_to(&f, 30 * KS_SEC);
    out = kubectl(&f, "exec app -c side -- wget -qO- localhost:5000/values/current", 0);
    assert_null(strstr(out, "ENOTFOUND"));
    kubectl(&f, "exec app -c side -- wget -qO- localhost:5000/values/all", 0);
    assert_string_equal(kubectl(&f, "exec app -c side -- sh -c 'wget -q -O- --post-data= "
                                    "localhost:5000/values; echo \" $?\"'", 0),
                        " 0\n");
    assert_string_equal(kubectl(&f, "exec app -c redis -- redis-cli DBSIZE", 0), "1\n");
    fixture_fini(&f);
}

/* A gRPC probe on a port nobody listens on: the kubelet's prober dials
 * WithBlock until the probe's timeout (pkg/probe/grpc/grpc.go), so the
 * event says so, with the timeout as Go prints a Duration. */
static void test_grpc_probe_words(void **state)
{
    fixture f;
    const char *out;
    (void)state;
    assert_int_equal(fixture_init(&f, 4, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: svc}\nspec:\n"
                                       "  containers:\n"
                                       "    - name: server\n"
                                       "      image: example.com/grpc-server:1\n"
                                       "      ports: [{containerPort: 8080}]\n"
                                       "      readinessProbe: {grpc: {port: 9555}, periodSeconds: 5,\n"
                                       "                       timeoutSeconds: 2}\n"),
                     0);
    run_to(&f, 30 * KS_SEC);
    out = kubectl(&f, "get events", 0);
    assert_non_null(strstr(out, "Readiness probe failed: timeout: failed to connect service "
                                "\"10."));
    assert_non_null(strstr(out, ":9555\" within 2s: context deadline exceeded"));
    assert_null(strstr(out, "connection refused"));
    fixture_fini(&f);
}

/* args: [sh, -c, ...] without command: busybox has no ENTRYPOINT (args
 * replace its CMD), nginx's docker-entrypoint.sh ends `exec "$@"`: both run
 * the script; redis with args that are its own options stays redis. */
static void test_args_through_entrypoint(void **state)
{
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 4, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n"
                                       "  containers:\n"
                                       "    - name: nginx\n"
                                       "      image: \"nginx:1.27\"\n"
                                       "      args: [sh, -c, \"echo prepared; echo hi > "
                                       "/usr/share/nginx/html/index.html; exec nginx -g 'daemon "
                                       "off;'\"]\n"
                                       "    - {name: box, image: busybox, args: [sh, -c, 'echo from "
                                       "args; sleep 3600']}\n"
                                       "    - {name: cache, image: \"redis:7\", args: [--appendonly, "
                                       "'yes']}\n"),
                     0);
    run_to(&f, 20 * KS_SEC);
    assert_string_equal(kubectl(&f, "logs web -c nginx", 0), "prepared\n");
    assert_string_equal(kubectl(&f, "logs web -c box", 0), "from args\n");
    assert_string_equal(kubectl(&f, "exec web -c box -- wget -qO- localhost", 0), "hi\n");
    assert_string_equal(kubectl(&f, "exec web -c box -- wget -qO- localhost", 0), "hi\n");
    assert_string_equal(kubectl(&f, "exec web -c cache -- redis-cli ping", 0), "PONG\n");
    fixture_fini(&f);
}

/* The Example Voting App's worker (dockersamples/example-voting-app
 * worker/Program.cs): each vote the vote page pushed onto redis is popped
 * (LPOP) and stored as a row of the postgres table votes; the programs find
 * redis and db by those fixed names. Without a db Service the votes wait in
 * redis and the worker says why. */
static void test_worker_moves_jobs_to_database(void **state)
{
    static const char app[] =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: redis, labels: {app: redis}}\n"
        "spec: {containers: [{name: redis, image: \"redis:alpine\"}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: redis}\n"
        "spec: {selector: {app: redis}, ports: [{port: 6379}]}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: vote, labels: {app: vote}}\n"
        "spec: {containers: [{name: vote, image: dockersamples/examplevotingapp_vote}]}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: vote}\n"
        "spec: {selector: {app: vote}, ports: [{port: 8080, targetPort: 80}]}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: worker}\n"
        "spec: {containers: [{name: worker, image: dockersamples/examplevotingapp_worker}]}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: box}\n"
        "spec: {containers: [{name: box, image: busybox, command: [sleep, '3600']}]}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: db, labels: {app: db}}\n"
        "spec: {containers: [{name: postgres, image: \"postgres:15-alpine\",\n"
        "  env: [{name: POSTGRES_PASSWORD, value: postgres}]}]}\n";
    static const char db_svc[] =
        "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
        "spec: {selector: {app: db}, ports: [{port: 5432}]}\n";
    static const char vote[] = "exec box -- wget -qO- --post-data= http://vote:8080/";
    fixture f;
    (void)state;
    assert_int_equal(fixture_init(&f, 4, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, app), 0);
    run_to(&f, 30 * KS_SEC);
    kubectl(&f, vote, 0);                       /* no db Service: the vote waits */
    assert_string_equal(kubectl(&f, "exec redis -- redis-cli DBSIZE", 0), "1\n");
    assert_non_null(strstr(kubectl(&f, "logs worker", 0), "ENOTFOUND db"));
    assert_int_equal(fixture_apply(&f, db_svc), 0);
    run_to(&f, 32 * KS_SEC);
    kubectl(&f, vote, 0);
    kubectl(&f, vote, 0);
    /* the queue emptied into the table, the vote that waited first */
    assert_string_equal(kubectl(&f, "exec redis -- redis-cli DBSIZE", 0), "0\n");
    assert_non_null(strstr(kubectl(&f, "exec db -- psql -U postgres -c 'select count(*) from "
                                       "votes'", 0), "     3\n"));
    assert_non_null(strstr(kubectl(&f, "logs worker", 0), "Processing vote for 'a' by '3'"));
    fixture_fini(&f);
}

/* kubesim check: an image the catalog does not know is a warning at the
 * image, saying what kubesim runs instead; a known image, a script's
 * container or an image the scenario describes is not. */
static void test_check_unknown_image(void **state)
{
    static const char y[] =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
        "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
        "    spec:\n      containers:\n"
        "        - {name: cart, image: \"example.com/cartservice:v1\", ports: [{containerPort: 7070}]}\n"
        "        - {name: plain, image: example.com/plain}\n"
        "        - {name: web, image: \"nginx:1.27\"}\n"
        "        - {name: script, image: example.com/tools, command: [sh, -c, 'sleep 9']}\n";
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *cat = NULL;
    ks_diags d;
    ks_manifests m = {0};
    char buf[600];
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_catalog_load_file(ar, KS_ASSETS_DIR "/images.yaml", &cat, &d), KS_OK);
    ks_manifest_load_text(ar, "d.yaml", y, sizeof y - 1, 1, 1, NULL, &m, &d);
    assert_int_equal(d.n, 0);
    ks_run_check_commands(&m, 0, cat, &d);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.errors, 0);
    ks_diag_format(&d, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "d.yaml:10:31: warning: container 'cart': image "
                                "'example.com/cartservice:v1' is not in kubesim's image catalog: "
                                "kubesim runs it as a plain HTTP server on port 7070 (its first "
                                "containerPort) that answers 200 to every request"));
    ks_diag_format(&d, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "container 'plain': image 'example.com/plain' is not in "
                                "kubesim's image catalog: kubesim runs it as a plain HTTP server "
                                "on port 80 that"));
    ks_arena_destroy(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_localhost_is_the_pod),
        cmocka_unit_test(test_sidecar_peers),
        cmocka_unit_test(test_grpc_probe_words),
        cmocka_unit_test(test_args_through_entrypoint),
        cmocka_unit_test(test_worker_moves_jobs_to_database),
        cmocka_unit_test(test_check_unknown_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
