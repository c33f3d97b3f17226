/* ks_kubectl_exec.c -- `kubectl exec POD -- COMMAND`: the words as kubectl
 * 1.30 reads them (staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go:
 * Complete, Validate, Run), the command run in the container by the node
 * (node/ks_exec.h), its stdout and stderr, and a failing command's
 * "command terminated with exit code N" with kubectl exiting N
 * (cmdutil.CheckErr on an exec.CodeExitError).
 */
#include <stdio.h>
#include <string.h>

#include "internal/kubectl.h"
#include "node/ks_exec.h"

int ksi_kc_exec(ksi_kc *k)
{
    const char *cname = ksi_kc_flag(k, "container");
    size_t dash = k->nargs_before_dash;
    const ks_pod *p;
    ks_exec_result res;
    const char *const *argv;
    size_t argc;
    if (k->nargs == 0 || dash == 0)
        return ksi_kc_error(k, "pod, type/name or --filename must be specified");
    if (dash == (size_t)-1) {
        if (k->nargs > 1)
            return ksi_kc_usage_error(k, "exec [POD] [COMMAND] is not supported anymore. Use "
                                         "exec [POD] -- [COMMAND] instead");
        return ksi_kc_error(k, "you must specify at least one command for the container");
    }
    if (dash > 1)
        return ksi_kc_usage_error(k, "exec [POD] [COMMAND] is not supported anymore. Use "
                                     "exec [POD] -- [COMMAND] instead");
    if (dash == k->nargs)
        return ksi_kc_error(k, "you must specify at least one command for the container");
    if (!(p = ksi_kc_pod_for(k, k->args[0], false)))
        return k->status;                      /* said why (or only checking) */
    argv = k->args + dash;
    argc = k->nargs - dash;
    /* no terminal here: kubectl says so and goes on without one (term.TTY) */
    if (ksi_kc_bool(k, "tty"))
        ksi_kc_line(k, "Unable to use a TTY - input is not a terminal or the right kind of file");
    /* -i: kubectl copies its standard input to the command's; without it
       the command's is empty */
    ks_exec_input(k->sim, p->id, cname, argv, argc,
                  ksi_kc_bool(k, "stdin") ? k->input : NULL, &res);
    if (res.defaulted && !ksi_kc_bool(k, "quiet")) {
        ks_strbuf names;
        ks_strbuf_init(&names, ks_sim_allocator(k->sim));
        ks_exec_container_names(p, &names);
        ksi_kc_line(k, "Defaulted container \"%s\" out of: %s", p->containers[0].spec->name,
                    ks_strbuf_str(&names));
        ks_strbuf_fini(&names);
    }
    if (res.outcome == KS_EXEC_NO_POD)
        ksi_kc_not_found(k, KS_KIND_POD, k->args[0]);
    else
        k->status = ks_kubectl_exec_output(&res, k->out);
    ks_exec_result_fini(&res);
    return k->status;
}

/* kubectl copies the command's stdout and stderr to its own as they come:
 * on one terminal (the shell, the timeline) they interleave as written. */
static void put_write(void *ud, int stream, const char *s, size_t n)
{
    (void)stream;
    ks_strbuf_append(ud, s, n);
}

int ks_kubectl_exec_output(const ks_exec_result *res, ks_strbuf *out)
{
    if (res->outcome != KS_EXEC_RAN) {
        ks_strbuf_printf(out, "error: %s\n", ks_strbuf_str(&res->err));
        return 1;
    }
    ks_exec_each_write(res, put_write, out);
    if (res->code != 0)
        ks_strbuf_printf(out, "command terminated with exit code %d\n", res->code);
    return res->code;
}
