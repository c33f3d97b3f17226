/* test_kubectl_run.c -- the focus of this file: `kubectl run` makes the Pod
 * kubectl's run.go createPod makes (labels run=NAME, a container named
 * NAME, the words after -- as its args, or its command with --command,
 * restartPolicy from --restart), prints "pod/NAME created", and refuses
 * what run.go's Validate refuses, in its words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "core/ks_strbuf.h"
#include "kubectl/ks_kubectl.h"

static int kc(fixture *f, ks_strbuf *out, const char *line)
{
    ks_strbuf_clear(out);
    return ks_kubectl_run(f->sim, line, NULL, out);
}

static const ks_pod *pod(fixture *f, const char *name)
{
    return ks_cluster_pod(f->sim, ks_cluster_find(f->sim, KS_KIND_POD, "default", name));
}

/* run-1: the pod, its args and command, its exit and its log */
static void test_run_pod(void **state)
{
    fixture f;
    ks_strbuf out;
    const ks_pod *p;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(kc(&f, &out, "run hello --image=busybox --restart=Never -- sh -c "
                                  "'echo hi from run; exit 3'"), 0);
    assert_string_equal(ks_strbuf_str(&out), "pod/hello created\n");
    assert_int_equal(kc(&f, &out, "run sleeper --image=busybox --command -- sleep 3600"), 0);
    assert_int_equal(kc(&f, &out, "run web --image=nginx --labels=app=web,tier=front "
                                  "--env=GREETING=hi --port=80"), 0);
    p = pod(&f, "hello");
    assert_non_null(p);
    assert_string_equal(ks_kvs_get(&p->labels, "run"), "hello");
    assert_string_equal(p->spec->containers[0].name, "hello");
    assert_string_equal(p->spec->restart_policy, "Never");
    assert_int_equal(p->spec->containers[0].ncommand, 0);
    assert_int_equal(p->spec->containers[0].nargs, 3);
    assert_string_equal(p->spec->containers[0].args[2], "echo hi from run; exit 3");
    p = pod(&f, "sleeper");
    assert_int_equal(p->spec->containers[0].ncommand, 2);
    assert_string_equal(p->spec->restart_policy, "Always");
    p = pod(&f, "web");
    assert_null(ks_kvs_get(&p->labels, "run"));
    assert_string_equal(ks_kvs_get(&p->labels, "tier"), "front");
    assert_string_equal(p->spec->containers[0].env[0].value, "hi");
    assert_int_equal(p->spec->containers[0].ports[0].port, 80);
    run_to(&f, 10 * KS_SEC);
    assert_string_equal(pod(&f, "hello")->status, "Error");
    assert_string_equal(pod(&f, "sleeper")->status, "Running");
    assert_int_equal(kc(&f, &out, "logs hello"), 0);
    assert_string_equal(ks_strbuf_str(&out), "hi from run\n");
    assert_int_equal(kc(&f, &out, "get pods -l run=sleeper --no-headers"), 0);
    assert_non_null(strstr(ks_strbuf_str(&out), "sleeper"));
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

/* run-2: run.go's Validate and getRestartPolicy, AlreadyExists, and
 * kubesim's words for attaching */
static void test_run_refused(void **state)
{
    fixture f;
    ks_strbuf out;
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(kc(&f, &out, "run --image=busybox"), 1);
    assert_string_equal(ks_strbuf_str(&out), "error: NAME is required for run\nSee 'kubectl "
                                             "run -h' for help and examples\n");
    assert_int_equal(kc(&f, &out, "run x"), 1);
    assert_string_equal(ks_strbuf_str(&out), "error: --image is required\nSee 'kubectl run -h' "
                                             "for help and examples\n");
    assert_int_equal(kc(&f, &out, "run x --image=busybox --restart=Sometimes"), 1);
    assert_string_equal(ks_strbuf_str(&out), "error: invalid restart policy: Sometimes, valid "
                                             "values are: Always, OnFailure, Never\n");
    assert_int_equal(kc(&f, &out, "run x --image=busybox --rm"), 1);
    assert_string_equal(ks_strbuf_str(&out), "error: --rm should only be used for attached "
                                             "containers\n");
    assert_int_equal(kc(&f, &out, "run -it x --image=busybox --rm -- sh"), 1);
    assert_non_null(strstr(ks_strbuf_str(&out), "kubesim does not simulate attaching"));
    assert_non_null(strstr(ks_strbuf_str(&out), "kubectl run x --image=busybox -- sleep 3600"));
    assert_non_null(strstr(ks_strbuf_str(&out), "\"kubectl exec -it x -- sh\" with a real "
                                                "kubectl against \"kubesim serve\""));
    assert_null(pod(&f, "x"));
    assert_int_equal(kc(&f, &out, "run x --image=busybox -- sleep 10"), 0);
    assert_int_equal(kc(&f, &out, "run x --image=busybox"), 1);
    assert_string_equal(ks_strbuf_str(&out), "Error from server (AlreadyExists): pods \"x\" "
                                             "already exists\n");
    ks_strbuf_fini(&out);
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_pod),
        cmocka_unit_test(test_run_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
