/* kvf_machine.c -- a node's machine fails or recovers: kubesim serve's
 * endpoint, or a kind node's container. See kvf_machine.h. */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "kvf_machine.h"

extern char **environ;

static kvf_machine_result through_serve(kvf_cluster *k, const char *name, bool fail,
                                        char *what, size_t n)
{
    char path[400], why[300];
    kvf_response r;
    kvf_machine_result res = KVF_MACHINE_DONE;
    snprintf(path, sizeof path, "/kubesim/v1/nodes/%.200s/%s", name, fail ? "fail" : "recover");
    kvf_client_request(kvf_cluster_client(k), "POST", path, NULL, NULL, 0, &r);
    if (r.status == 200) {
        snprintf(what, n, "POST %s (kubesim serve's node %s)", path, fail ? "failure" : "recovery");
    } else {
        kvf_response_why(&r, why, sizeof why);
        snprintf(what, n, "POST %s: %s", path, why);
        res = KVF_MACHINE_FAILED;
    }
    kvf_response_fini(&r);
    return res;
}

/* docker stop|start NAME; its exit status (-1: it could not be run). */
static int docker(const char *verb, const char *name)
{
    char *argv[] = {"docker", (char *)verb, (char *)name, NULL};
    pid_t pid;
    int st;
    if (posix_spawnp(&pid, "docker", NULL, NULL, argv, environ) != 0)
        return -1;
    while (waitpid(pid, &st, 0) < 0)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

kvf_machine_result kvf_machine_action(kvf_cluster *k, bool kubesim, bool allow_stop,
                                      const char *name, bool fail, char *what, size_t n)
{
    char why[300];
    long status;
    json_t *node;
    const char *pid;
    bool kind;
    int rc;
    if (kubesim)
        return through_serve(k, name, fail, what, n);
    if (!(node = kvf_cluster_get(k, "nodes", NULL, name, &status, why, sizeof why))) {
        snprintf(what, n, "%s", status == 404 ? "this cluster has no node of that name" : why);
        return KVF_MACHINE_SKIPPED;
    }
    pid = json_string_value(json_object_get(json_object_get(node, "spec"), "providerID"));
    kind = pid && strncmp(pid, "kind://", 7) == 0;
    json_decref(node);
    if (!kind) {
        snprintf(what, n, "verify does not stop or start a cluster's machines (only a kind "
                          "node's container, with --allow-node-stop)");
        return KVF_MACHINE_SKIPPED;
    }
    if (!allow_stop) {
        snprintf(what, n, "a kind node: --allow-node-stop lets verify %s its container",
                 fail ? "stop" : "start");
        return KVF_MACHINE_SKIPPED;
    }
    rc = docker(fail ? "stop" : "start", name);
    snprintf(what, n, "docker %s %s%s", fail ? "stop" : "start", name,
             rc == 0 ? " (the kind node's container)" : rc < 0 ? ": docker could not be run"
                                                             : ": docker failed");
    return rc == 0 ? KVF_MACHINE_DONE : KVF_MACHINE_FAILED;
}
