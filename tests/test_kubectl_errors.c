/* test_kubectl_errors.c -- the focus of this file: the messages kubectl
 * prints for command lines it refuses, and no crash on any input or
 * allocation failure; ks_kubectl_check agrees with a run on what it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kubectl_fixture.h"

/* kubectl-17: the messages kubectl prints for command lines it refuses */
static void test_kubectl_error_messages(void **state)
{
    static const struct {
        const char *line;
        int rc;
        const char *out;
    } cases[] = {
        {"", 0, ""},
        {"   ", 0, ""},
        /* cobra suggests within 2 edits: foo -> top */
        {"foo", 1, "error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n"
                   "\ttop\n\n"},
        {"bar", 1, "error: unknown command \"bar\" for \"kubectl\"\n"},
        {"kubectl gte pods", 1, "error: unknown command \"gte\" for \"kubectl\"\n\n"
                                "Did you mean this?\n\tget\n\n"},
        {"get pods --foo", 1, "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"},
        {"get pods -x", 1, "error: unknown shorthand flag: 'x' in -x\n"
                           "See 'kubectl get --help' for usage.\n"},
        {"get pods -l", 1, "error: flag needs an argument: 'l' in -l\n"
                           "See 'kubectl get --help' for usage.\n"},
        {"scale deployment web --replicas", 1, "error: flag needs an argument: --replicas\n"
                                               "See 'kubectl scale --help' for usage.\n"},
        {"get foos", 1, "error: the server doesn't have a resource type \"foos\"\n"},
        /* a resource every API server has: kubesim's limit, not the server's */
        {"get endpointslices", 1, "error: kubesim's kubectl does not show endpointslices yet: "
                                  "a built-in resource of Kubernetes, not simulated here\n"},
        {"describe pdb web", 1, "error: kubesim's kubectl does not show pdb yet: a built-in "
                                "resource of Kubernetes, not simulated here\n"},
        {"get pods nope", 1, "Error from server (NotFound): pods \"nope\" not found\n"},
        {"get", 1, "You must specify the type of resource to get. Use \"kubectl api-resources\" "
                   "for a complete list of supported resources.\n\n"
                   "error: Required resource not specified.\n"
                   "Use \"kubectl explain <resource>\" for a detailed description of that "
                   "resource (e.g. kubectl explain pods).\n"
                   "See 'kubectl get -h' for help and examples\n"},
        {"delete pod", 1, "error: resource(s) were provided, but no name was specified\n"},
        {"delete", 1, "error: You must provide one or more resources by argument or filename.\n"
                      "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                      "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"},
        {"delete deployment nope", 1, "Error from server (NotFound): deployments.apps \"nope\" "
                                      "not found\n"},
        {"delete svc nope", 1, "Error from server (NotFound): services \"nope\" not found\n"},
        {"delete pvc nope", 1, "Error from server (NotFound): persistentvolumeclaims \"nope\" "
                               "not found\n"},
        {"delete pods x -l app=web", 1, "error: name cannot be provided when a selector is "
                                        "specified\n"},
        {"delete pod x --now --grace-period=3", 1, "error: --now and --grace-period cannot be "
                                                   "specified together\n"},
        {"scale deployment web", 1, "error: required flag(s) \"replicas\" not set\n"},
        {"scale deployment --replicas=2", 1, "error: resource(s) were provided, but no name "
                                             "was specified\n"},
        {"scale deployment web --replicas=abc", 1,
         "error: invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing "
         "\"abc\": invalid syntax\nSee 'kubectl scale --help' for usage.\n"},
        {"scale deployment web --replicas=99999999999999999999999", 1,
         "error: invalid argument \"99999999999999999999999\" for \"--replicas\" flag: "
         "strconv.ParseInt: parsing \"99999999999999999999999\": value out of range\n"
         "See 'kubectl scale --help' for usage.\n"},
        {"scale deployment web --replicas=-1", 1, "error: The --replicas=COUNT flag is "
                                                  "required, and COUNT must be greater than or "
                                                  "equal to 0\n"},
        {"scale deploy nope --replicas=2", 1, "Error from server (NotFound): deployments.apps "
                                              "\"nope\" not found\n"},
        {"delete pod x --force=maybe", 1,
         "error: invalid argument \"maybe\" for \"--force\" flag: strconv.ParseBool: parsing "
         "\"maybe\": invalid syntax\nSee 'kubectl delete --help' for usage.\n"},
        {"logs", 1, "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                    "POD or TYPE/NAME is a required argument for the logs command\n"
                    "See 'kubectl logs -h' for help and examples\n"},
        {"describe", 1, "error: You must specify the type of resource to describe. Use "
                        "\"kubectl api-resources\" for a complete list of supported "
                        "resources.\n"},
        {"create secret generic", 1, "error: exactly one NAME is required, got 0\n"},
        {"create", 1, "error: must specify one of -f and -k\n"},
        {"label pod", 1, "error: at least one label update is required\n"
                         "See 'kubectl label -h' for help and examples\n"},
        {"label", 1, "error: one or more resources must be specified as <resource> <name> or "
                     "<resource>/<name>\nSee 'kubectl label -h' for help and examples\n"},
        {"set image deployment/web", 1, "error: at least one image update is required\n"
                                        "See 'kubectl set image -h' for help and examples\n"},
        {"cordon", 1, "error: USAGE: cordon NODE [flags]\n"
                      "See 'kubectl cordon -h' for help and examples\n"},
        {"rollout foo", 1, "error: unknown command \"foo\" for \"kubectl rollout\"\n"},
        {"rollout restart", 1, "error: required resource not specified\n"},
        {"rollout restart pod/x", 1, "Error from server (NotFound): pods \"x\" not found\n"},
        {"get pods 'oops", 1, "error: unterminated quote (') in the command line\n"},
        {"get pods -l 'a in b'", 1, "error: unable to parse requirement: expected '(' after "
                                    "'in', as in: env in (prod,dev)\n"},
        {"get pods -o foo", 1, "error: unable to match a printer suitable for the output "
                               "format \"foo\", allowed formats are: custom-columns,"
                               "custom-columns-file,go-template,go-template-file,json,"
                               "jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                               "templatefile,wide,yaml\n"},
        {"get pod/x pods", 1, "error: there is no need to specify a resource type as a "
                              "separate argument when passing arguments in resource/name form "
                              "(e.g. 'kubectl get resource/<resource_name>' instead of "
                              "'kubectl get resource resource/<resource_name>'\n"},
        {"-n Bad_NS get pods", 1, NULL},
        {"get pods -n kube-system", 0, "No resources found in kube-system namespace.\n"},
        {"get pv", 0, "No resources found\n"},
    };
    fixture f;
    ks_strbuf out;
    size_t i;
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = kc(&f, &out, NULL, cases[i].line);
        if (rc != cases[i].rc || (cases[i].out && strcmp(ks_strbuf_str(&out), cases[i].out)))
            fail_msg("kubectl %s\n--- rc %d, got:\n%s--- wanted rc %d:\n%s---", cases[i].line,
                     rc, ks_strbuf_str(&out), cases[i].rc, cases[i].out ? cases[i].out : "");
        if (rc)
            assert_true(out.len > 0);
    }
    fixture_fini_out(&f, &out);
}

/* ---- robustness --------------------------------------------------------------------------- */

/* kubectl-18: no input crashes it: odd words, flags in odd places, huge
 * numbers, random combinations of real words */
static void test_kubectl_never_crashes(void **state)
{
    static const char *const vocab[] = {
        "get", "describe", "logs", "delete", "apply", "create", "scale", "rollout", "set",
        "label", "cordon", "uncordon", "drain", "pods", "pod", "deploy", "svc", "all",
        "events", "nodes", "pvc", "pv", "sc", "ep", "ing", "rs", "secret", "generic",
        "configmap", "image", "restart", "status", "history", "web", "web-1", "crash",
        "node-1", "-l", "app=web", "-o", "wide", "name", "-f", "x.yaml", "--replicas=3",
        "--replicas", "-1", "99999999999999999999", "-p", "-c", "--tail=2", "--force",
        "--grace-period=0", "--all", "-A", "-n", "default", "a=b", "a-", "--overwrite", "''",
        "deployment/web", "pod/crash", "=", "/", "-", "--", "-owide", "-lapp", "\"\"", "*",
        "--from-literal", "K=V", "--show-labels", "--previous", "--timestamps", "web=nginx"};
    static const char *const odd[] = {
        "get pods -o", "-n", "--namespace", "get ---", "get -", "logs -c", "delete -f",
        "get pods,,svc", "get ,", "get /", "get pod/", "describe pod/", "label pod web-1 =",
        "label pod web-1 -", "set image deployment/web =", "scale --replicas=1 deploy/",
        "create secret generic s --from-literal==", "get pods -l ,", "get pods -l '!'",
        "get pods -l 'a in ('", "logs web-1 a b c", "drain node-1 node-1",
        "delete pods --all", "delete all --all", "rollout history", "get events -o name"};
    fixture f;
    ks_strbuf out;
    uint32_t seed = 12345;
    size_t i;
    int j;
    char line[512];
    (void)state;
    assert_int_equal(fixture_init_out(&f, &out), KS_OK);
    fixture_apply(&f, golden_pods);
    fixture_apply(&f, web_deployment);
    run_at(&f, 30);
    for (i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        int rc = kc(&f, &out, NULL, odd[i]);
        assert_true(rc == 0 || rc == 1);
    }
    for (i = 0; i < 3000; i++) {
        int words, rc;
        line[0] = '\0';
        seed = seed * 1103515245u + 12345u;
        words = 1 + (int)((seed >> 16) % 7);
        for (j = 0; j < words; j++) {
            seed = seed * 1103515245u + 12345u;
            strcat(line, vocab[(seed >> 16) % (sizeof vocab / sizeof vocab[0])]);
            strcat(line, " ");
        }
        rc = kc(&f, &out, NULL, line);
        if (rc != 0 && rc != 1)
            fail_msg("kubectl %s: rc %d", line, rc);
        if (rc == 1 && out.len == 0)
            fail_msg("kubectl %s: failed without a word", line);
        if (i % 100 == 0)
            run_at(&f, 30 + (double)i / 10);
    }
    /* a very long line and a very long word */
    {
        char *big = malloc(100001);
        memset(big, 'a', 100000);
        big[100000] = '\0';
        memcpy(big, "get pods ", 9);
        assert_int_equal(kc(&f, &out, NULL, big), 1);
        free(big);
    }
    fixture_fini_out(&f, &out);
}

/* kubectl-18b: ks_kubectl_check reads a line as the run does, without a
 * cluster: what it refuses, the run refuses too, with the same first line;
 * what depends on objects (NotFound) it leaves to the run */
static void test_kubectl_check_agrees_with_run(void **state)
{
    static const char *const good[] = {
        "get pods", "kubectl get pods -o wide", "get pods -l 'app in (web,api)'",
        "delete pod nosuch", "scale deployment web --replicas=3", "logs deploy/web -c x",
        "rollout restart deployment web", "set image deployment/web web=nginx:2",
        "label pod web-1 tier=db", "cordon node-9", "drain node-9 --force",
        "describe pod nosuch", "apply -f missing.yaml",
        "create secret generic s --from-literal K=V", "delete pods -l app=web", "get events"};
    static const char *const badl[] = {
        "get pdos", "get pods -l 'app in (web'", "scale deployment web --replicas=abc",
        "frobnicate", "get pods -o yamlish", "logs", "delete", "cordon",
        "label pod web-1", "set image deployment/web",
        "create secret generic 'Bad Name' --from-literal K=V", "rollout undo deployment web",
        "get pods --bogus",
        "delete pod/web-1 --grace-period=x", "port-forward web-1 8080:80", "exec web-1 ls",
        "get pods 'unterminated"};
    fixture f;
    ks_strbuf chk, out;
    uint32_t seed = 777;
    size_t i, k;
    char line[512], first[512];
    (void)state;
    assert_int_equal(fixture_init(&f, 1, NULL), KS_OK);
    ks_strbuf_init(&chk, NULL);
    ks_strbuf_init(&out, NULL);
    fixture_apply(&f, web_deployment);
    run_at(&f, 30);
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        ks_strbuf_clear(&chk);
        if (ks_kubectl_check(good[i], &chk) != 0)
            fail_msg("check refused \"%s\": %s", good[i], ks_strbuf_str(&chk));
    }
    for (i = 0; i < sizeof badl / sizeof badl[0]; i++) {
        ks_strbuf_clear(&chk);
        if (ks_kubectl_check(badl[i], &chk) != 1 || chk.len == 0)
            fail_msg("check passed \"%s\"", badl[i]);
    }
    /* random lines: a refusal by check is a refusal by the run, in the same
     * words (not always first: kubectl may say NotFound about an earlier
     * argument before it meets the bad one) */
    for (i = 0; i < 3000; i++) {
        const char *vocab[] = {"get", "delete", "scale", "label", "logs", "pods", "deploy",
                               "web", "-l", "app=web", "'a in ('", "--replicas=x", "-o",
                               "wide", "pod/web", "--all", "-f", "cordon", "node-1",
                               "rollout", "restart", "status", "set", "image", "a=b",
                               "describe", "svc", "node", "drain"};
        int words, rc;
        line[0] = '\0';
        seed = seed * 1103515245u + 12345u;
        words = 1 + (int)((seed >> 16) % 6);
        for (k = 0; k < (size_t)words; k++) {
            seed = seed * 1103515245u + 12345u;
            strcat(line, vocab[(seed >> 16) % (sizeof vocab / sizeof vocab[0])]);
            strcat(line, " ");
        }
        ks_strbuf_clear(&chk);
        if (ks_kubectl_check(line, &chk) == 0)
            continue;
        rc = kc(&f, &out, NULL, line);
        snprintf(first, sizeof first, "%.*s", (int)strcspn(ks_strbuf_str(&chk), "\n"),
                 ks_strbuf_str(&chk));
        if (rc != 1 || !strstr(ks_strbuf_str(&out), first))
            fail_msg("\"%s\": check said\n%sthe run said (%d)\n%s", line,
                     ks_strbuf_str(&chk), rc, ks_strbuf_str(&out));
    }
    ks_strbuf_fini(&chk);
    fixture_fini_out(&f, &out);
}

/* kubectl-19: every allocation failure is survived: the n-th allocation
 * of a command fails, for every n; the command then fails with a message
 * or completes, and nothing leaks */
static void test_kubectl_out_of_memory(void **state)
{
    static const char *const cmds[] = {"get pods -o wide", "describe pod crash", "get events",
                                       "get all", "create secret generic s --from-literal=a=b",
                                       "delete pods -l app=web", "logs crash -p"};
    size_t c;
    (void)state;
    for (c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        long n;
        for (n = 1; n < 2000; n++) {
            fixture f;
            ks_failing_alloc fa = {0, 0, 0, 0};
            ks_allocator a = ks_allocator_failing(&fa);
            ks_strbuf out;
            int rc;
            assert_int_equal(fixture_init_world(&f, (ks_world_config){0}, &a), KS_OK);
            fixture_apply(&f, golden_pods);
            run_at(&f, 40);
            ks_strbuf_init(&out, &a);
            fa.fail_at = fa.count + n;
            rc = ks_kubectl_run(f.sim, cmds[c], NULL, &out);
            assert_true(rc == 0 || rc == 1);
            if (fa.failed && rc == 0)
                fail_msg("%s: allocation %ld failed, yet it succeeded:\n%s", cmds[c], n,
                         ks_strbuf_str(&out));
            ks_strbuf_fini(&out);
            fixture_fini(&f);
            if (fa.live != 0)
                fail_msg("%s: allocation %ld failed: %ld allocations leaked", cmds[c], n,
                         fa.live);
            if (!fa.failed)
                break;                       /* the command needed fewer allocations */
        }
        assert_true(n > 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kubectl_error_messages),
        cmocka_unit_test(test_kubectl_never_crashes),
        cmocka_unit_test(test_kubectl_check_agrees_with_run),
        cmocka_unit_test(test_kubectl_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
