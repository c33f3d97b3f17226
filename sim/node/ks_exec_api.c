/* ks_exec_api.c -- kubectl exec's pod and container (see ks_exec.h): the
 * checks kubectl and the kubelet make before anything runs, then the
 * command through the container's process (ks_exec.c).
 */
#include "ks_exec.h"

#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "internal/exec.h"
#include "internal/workload.h"
#include "ks_node.h"
#include "ks_shell.h"

static ks_exec_outcome refuse(ks_exec_result *res, ks_exec_outcome o)
{
    res->outcome = o;
    return o;
}

ks_exec_outcome ks_exec(ks_sim *sim, ks_id pod, const char *container, const char *const *argv,
                        size_t argc, ks_exec_result *res)
{
    return ks_exec_input(sim, pod, container, argv, argc, NULL, res);
}

ks_exec_outcome ks_exec_input(ks_sim *sim, ks_id pod, const char *container,
                              const char *const *argv, size_t argc, const char *input,
                              ks_exec_result *res)
{
    ksi_pod *p = ksi_pod_get(sim, pod);
    size_t c = 0, every;
    int sig = 0;
    ks_shell_io io;
    memset(res, 0, sizeof *res);
    ks_strbuf_init(&res->out, ks_sim_allocator(sim));
    ks_strbuf_init(&res->err, ks_sim_allocator(sim));
    ks_strbuf_init(&res->shell, ks_sim_allocator(sim));
    ks_strbuf_init(&res->order, ks_sim_allocator(sim));
    if (!p)
    {
        ks_strbuf_puts(&res->err, "pod not found");
        return refuse(res, KS_EXEC_NO_POD);
    }
    /* kubectl: exec.go Run, then podcmd.FindOrDefaultContainerByName */
    if (strcmp(p->pub.phase, "Succeeded") == 0 || strcmp(p->pub.phase, "Failed") == 0) {
        ks_strbuf_printf(&res->err, "cannot exec into a container in a completed pod; current "
                                    "phase is %s", p->pub.phase);
        return refuse(res, KS_EXEC_COMPLETED);
    }
    every = p->pub.ncontainers + p->pub.ninit;
    if (container) {
        while (c < every && strcmp(p->pub.containers[c].spec->name, container) != 0)
            c++;
        if (c == every) {
            ks_strbuf names;
            ks_strbuf_init(&names, ks_sim_allocator(sim));
            ks_exec_container_names(&p->pub, &names);
            ks_strbuf_printf(&res->err, "container %s is not valid for pod %s out of: %s",
                             container, p->pub.name, ks_strbuf_str(&names));
            ks_strbuf_fini(&names);
            return refuse(res, KS_EXEC_NO_CONTAINER);
        }
    }
    res->container = c;
    res->defaulted = !container && p->pub.ncontainers > 1;
    /* the kubelet: a container that is not running has no process to join */
    if (!ksi_workload_exec_io(sim, p, c, NULL)) {
        ks_strbuf_printf(&res->err, "unable to upgrade connection: container not found (\"%s\")",
                         p->pub.containers[c].spec->name);
        return refuse(res, KS_EXEC_NOT_RUNNING);
    }
    res->outcome = KS_EXEC_RAN;
    ksi_workload_exec_io(sim, p, c, &io);
    io.input = input;
    res->code = ksi_exec_run(sim, p, c, argv, argc, &io, ksi_workload_data(p, c),
                             ksi_workload_listening(p, c, 0), &res->out, &res->err, &res->order,
                             &sig, &res->shell);
    /* `kill 1`: the container's process ends as one killed by the signal
       (exit 128 + it, reason Error), and the kubelet restarts it as after
       any crash (the scenario's `crash` step does the same) */
    if (sig)
        ks_node_crash(sim, pod, p->pub.containers[c].spec->name, 128 + sig, "Error");
    return res->outcome;
}

void ks_exec_container_names(const ks_pod *p, ks_strbuf *out)
{
    size_t i;
    for (i = 0; i < p->ncontainers + p->ninit; i++)
        ks_strbuf_printf(out, "%s%s%s", i ? ", " : "", p->containers[i].spec->name,
                         i >= p->ncontainers ? " (init)" : "");
}

void ks_exec_result_fini(ks_exec_result *res)
{
    ks_strbuf_fini(&res->out);
    ks_strbuf_fini(&res->err);
    ks_strbuf_fini(&res->shell);
    ks_strbuf_fini(&res->order);
}

void ks_exec_each_write(const ks_exec_result *res,
                        void (*each)(void *ud, int stream, const char *s, size_t n), void *ud)
{
    const char *order = ks_strbuf_str(&res->order);
    const char *text[2] = {ks_strbuf_str(&res->out), ks_strbuf_str(&res->err)};
    size_t at[2] = {0, 0}, i = 0, run;
    if (res->order.len != res->out.len + res->err.len) {
        if (res->out.len)
            each(ud, 1, text[0], res->out.len);
        if (res->err.len)
            each(ud, 2, text[1], res->err.len);
        return;
    }
    while (i < res->order.len) {
        int s = order[i] == '2';
        for (run = 0; i < res->order.len && (order[i] == '2') == s; i++)
            run++;
        each(ud, s + 1, text[s] + at[s], run);
        at[s] += run;
    }
}
