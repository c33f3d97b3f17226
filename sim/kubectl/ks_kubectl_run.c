/* ks_kubectl_run.c -- `kubectl run NAME --image=IMAGE [--restart=POLICY]
 * [--env=K=V] [--port=N] [--labels=K=V,...] [--command] [-- ARGS...]`: the
 * Pod kubectl's run.go createPod makes (labels run=NAME unless --labels, a
 * container named NAME, the words after -- as its args, or its command
 * with --command), sent to the API server as its manifest and printed as
 * "pod/NAME created". The checks and their words are run.go's Validate,
 * getRestartPolicy and parseEnvs/parseLabels (kubernetes/kubectl
 * pkg/cmd/run/run.go). Attaching (-i, -t, --attach, --rm) is kubesim's to
 * refuse: a timeline cannot type into a pod; it says what to use instead
 * (a waiting pod, exec here, exec -it through kubesim serve).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ks_error.h"
#include "internal/kubectl.h"
#include "load/ks_manifest.h"
#include "load/ks_validate.h"

/* s as a YAML double-quoted scalar. */
static const char *quoted(ks_arena *ar, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *q = ks_arena_alloc(ar, 2 * n + 3);
    if (!q)
        return "\"\"";
    q[k++] = '"';
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            q[k++] = '\\';
        q[k++] = *s;
    }
    q[k++] = '"';
    q[k] = '\0';
    return q;
}

/* --labels=K=V,K2=V2 (parseLabels): YAML lines, or NULL with kubectl's
 * error said. */
static const char *labels_yaml(ksi_kc *k, const char *spec, const char *name)
{
    ks_strbuf sb;
    const char *p = spec, *out;
    ks_strbuf_init(&sb, NULL);
    if (!spec || !*spec) {
        ks_strbuf_printf(&sb, "    run: %s\n", quoted(k->tmp, name));
    } else {
        while (*p) {
            size_t len = strcspn(p, ",");
            const char *item = ks_arena_strndup(k->tmp, p, len), *eq = strchr(item, '=');
            if (!eq || strchr(eq + 1, '=') || eq == item) {
                ks_strbuf_fini(&sb);
                ksi_kc_error(k, eq == item ? "unexpected empty label key"
                                           : "unexpected label spec: %s", item);
                return NULL;
            }
            ks_strbuf_printf(&sb, "    %s: %s\n",
                             quoted(k->tmp, ks_arena_strndup(k->tmp, item, (size_t)(eq - item))),
                             quoted(k->tmp, eq + 1));
            p += len + (p[len] == ',');
        }
    }
    out = ks_arena_strdup(k->tmp, ks_strbuf_str(&sb));
    ks_strbuf_fini(&sb);
    return out;
}

int ksi_kc_run(ksi_kc *k)
{
    const char *image = ksi_kc_flag(k, "image"), *restart = ksi_kc_flag(k, "restart");
    const char *port = ksi_kc_flag(k, "port"), *name, *why, *labels, *text;
    const char **envs;
    size_t named = k->nargs_before_dash < k->nargs ? k->nargs_before_dash : k->nargs;
    size_t i, nenv = ksi_kc_list(k, "env", &envs);
    ks_strbuf sb;
    if (k->nargs == 0 || named == 0)
        return ksi_kc_usage_error(k, "NAME is required for run");
    name = k->args[0];
    if (!image || !*image)
        return ksi_kc_usage_error(k, "--image is required");
    if (restart && strcmp(restart, "Always") != 0 && strcmp(restart, "OnFailure") != 0
        && strcmp(restart, "Never") != 0)
        return ksi_kc_error(k, "invalid restart policy: %s, valid values are: Always, "
                               "OnFailure, Never", restart);
    if (ksi_kc_bool(k, "tty") && !ksi_kc_bool(k, "stdin"))
        return ksi_kc_error(k, "-i/--stdin is required for containers with -t/--tty=true");
    if (port && (!*port || strspn(port, "0123456789") != strlen(port)))
        return ksi_kc_error(k, "--port must be a number");
    if (ksi_kc_bool(k, "rm") && !ksi_kc_bool(k, "attach") && !ksi_kc_bool(k, "stdin"))
        return ksi_kc_error(k, "--rm should only be used for attached containers");
    if (ksi_kc_bool(k, "stdin") || ksi_kc_bool(k, "attach"))
        return ksi_kc_error(k, "kubesim does not simulate attaching to a pod (-i, -t, --attach, "
                               "--rm): this shell has no terminal to attach. For a shell in a "
                               "pod, start one that waits (\"kubectl run %s --image=%s -- sleep "
                               "3600\"), then run commands in it here (\"kubectl exec %s -- sh "
                               "-c 'CMD'\"), or \"kubectl exec -it %s -- sh\" with a real "
                               "kubectl against \"kubesim serve\"; for its output: \"kubectl "
                               "logs %s\"", name, image, name, name, name);
    for (i = 0; i < nenv; i++)
        if (!strchr(envs[i], '=') || envs[i][0] == '=')
            return ksi_kc_error(k, "invalid env: %s", envs[i]);   /* parseEnvs */
    if ((why = ks_check_dns_subdomain(name)) != NULL)
        return ksi_kc_error(k, "The Pod \"%s\" is invalid: metadata.name: Invalid value: "
                               "\"%s\": %s", name, name, why);
    if (!(labels = labels_yaml(k, ksi_kc_flag(k, "labels"), name)))
        return 1;
    if (ksi_kc_dry(k))
        return 0;
    if (ks_cluster_find(k->sim, KS_KIND_POD, k->ns, name)) {
        ksi_kc_line(k, "Error from server (AlreadyExists): pods \"%s\" already exists", name);
        return k->status = 1;
    }
    ks_strbuf_init(&sb, NULL);
    ks_strbuf_printf(&sb, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: %s\n"
                          "  labels:\n%s",
                     quoted(k->tmp, name), quoted(k->tmp, k->ns), labels);
    ks_strbuf_printf(&sb, "spec:\n  restartPolicy: %s\n  containers:\n  - name: %s\n"
                          "    image: %s\n",
                     restart ? restart : "Always", quoted(k->tmp, name), quoted(k->tmp, image));
    if (k->nargs > 1) {                    /* createPod: Args, or Command with --command */
        ks_strbuf_printf(&sb, "    %s:\n", ksi_kc_bool(k, "command") ? "command" : "args");
        for (i = 1; i < k->nargs; i++)
            ks_strbuf_printf(&sb, "    - %s\n", quoted(k->tmp, k->args[i]));
    }
    if (nenv) {
        ks_strbuf_printf(&sb, "    env:\n");
        for (i = 0; i < nenv; i++) {
            const char *eq = strchr(envs[i], '=');
            ks_strbuf_printf(&sb, "    - name: %s\n      value: %s\n",
                             quoted(k->tmp, ks_arena_strndup(k->tmp, envs[i],
                                                             (size_t)(eq - envs[i]))),
                             quoted(k->tmp, eq + 1));
        }
    }
    if (port)
        ks_strbuf_printf(&sb, "    ports:\n    - containerPort: %s\n", port);
    text = ks_arena_strdup(k->tmp, ks_strbuf_str(&sb));
    ks_strbuf_fini(&sb);
    return ksi_kc_create_text(k, text, "pod", name);
}
