/* ks_container.c -- what runs inside a container: its environment, the
 * behaviour its image has in the catalog (start-up time, required env vars
 * with the real error texts, failure traps, log lines), the tiny shell for
 * busybox/alpine, and how it answers probes. What its shell sees (files,
 * env, DNS, HTTP) is in ks_container_io.c; the process record in
 * internal/proc.h.
 *
 * A process's state lives in its own arena, freed when the process ends:
 * a container that restarts a thousand times does not grow memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "cluster/ks_dns.h"
#include "storage/internal/data.h"
#include "load/ks_mounts.h"
#include "core/internal/sim.h"
#include "internal/kubelet.h"
#include "internal/usage.h"
#include "internal/workload.h"
#include "ks_node.h"
#include "core/ks_error.h"
#include "ks_expand.h"
#include "ks_shell.h"
#include "internal/exec.h"
#include "internal/proc.h"

#define EXIT_DELAY (100 * KS_MSEC)   /* a process that fails at start-up */
/* stress allocates and touches the memory its --vm-bytes asks for; at a few
 * GB/s that is a fraction of a second (an assumption, not a measurement) */
#define STRESS_RAMP (200 * KS_MSEC)

static ksi_proc *proc_new(ks_sim *sim, ksi_pod *p, size_t c)
{
    ksi_proc *pr = p->cst[c].proc;
    if (pr)
        return pr;
    pr = ks_mem_calloc(&sim->alloc, 1, sizeof *pr);
    if (!pr || !(pr->ar = ks_arena_create(&sim->alloc))) {
        ks_mem_free(&sim->alloc, pr, sizeof *pr);
        ks_sim_fail(sim, KS_ENOMEM);
        return NULL;
    }
    pr->pod = p->pub.id;
    pr->c = c;
    pr->sim = sim;
    p->cst[c].proc = pr;
    return pr;
}

void ksi_workload_free(ks_sim *sim, ksi_pod *p, size_t c)
{
    ksi_proc *pr = p->cst[c].proc;
    if (!pr)
        return;
    ks_event_cancel(sim, pr->timer);
    ksi_service_env_release(sim, pr->svc_held);
    ks_arena_destroy(pr->ar);
    ks_mem_free(&sim->alloc, pr, sizeof *pr);
    p->cst[c].proc = NULL;
}

void ksi_workload_stop(ks_sim *sim, ksi_pod *p, size_t c)
{
    ksi_proc *pr = p->cst[c].proc;
    if (!pr)
        return;
    if (pr->server)
        ksi_data_server(sim, pr->data, p, c, false);
    if (pr->metered)
        ksi_usage_stop(sim, p, c, &pr->usage);
    ksi_data_container_gone(sim, p, c, p->pub.terminating);
    ksi_workload_free(sim, p, c);
}

/* ---- environment ---------------------------------------------------------------- */
static bool env_add(ksi_proc *pr, const char *key, const char *value)
{
    size_t i;
    ks_kv *items;
    for (i = 0; i < pr->env.n; i++)
        if (strcmp(pr->env.items[i].key, key) == 0) {
            pr->env.items[i].value = value;        /* later entries win */
            return true;
        }
    if (pr->env.n == pr->env_cap) {
        size_t cap = pr->env_cap ? pr->env_cap * 2 : 16;
        items = ks_arena_alloc(pr->ar, cap * sizeof *items);
        if (!items)
            return false;
        if (pr->env.n)
            memcpy(items, pr->env.items, pr->env.n * sizeof *items);
        pr->env.items = items;
        pr->env_cap = cap;
    }
    pr->env.items[pr->env.n].key = key;
    pr->env.items[pr->env.n].value = value;
    pr->env.n++;
    return true;
}

static const ks_object *config_object(const ks_sim *sim, ks_ref_kind ref, const char *ns,
                                      const char *name)
{
    ks_id id = ks_cluster_find(sim, ref == KS_REF_SECRET ? KS_KIND_SECRET : KS_KIND_CONFIGMAP,
                               ns, name);
    return ks_cluster_object(sim, id);
}

static const ks_kvs *config_data(const ks_object *o)
{
    return o->kind == KS_KIND_SECRET ? &o->u.secret.data : &o->u.cm.data;
}

/* A variable of the environment built so far (ks_expand's lookup). */
static const char *env_lookup(void *ud, const char *name)
{
    const ksi_proc *pr = ud;
    const char *v = ks_kvs_get(&pr->env, name);
    return v || !pr->svc_env ? v : ks_kvs_get(pr->svc_env, name);  /* MappingFuncFor */
}

bool ksi_workload_resolve_env(ks_sim *sim, ksi_pod *p, size_t c, char *why, size_t n)
{
    const ks_container *spec = p->pub.containers[c].spec;
    ksi_proc *pr;
    size_t i, k;
    ksi_workload_stop(sim, p, c);              /* a fresh process each start */
    if (!(pr = proc_new(sim, p, c)))
        return false;
    if (!(pr->svc_env = ksi_service_env(sim, p, &pr->svc_held))) {
        ks_sim_fail(sim, KS_ENOMEM);
        return false;
    }
    for (i = 0; i < spec->nenv_from; i++) {
        const ks_env_from *f = &spec->env_from[i];
        const ks_object *o = config_object(sim, f->ref, p->pub.ns, f->name);
        if (!o) {
            if (f->optional)
                continue;
            snprintf(why, n, "%s \"%s\" not found", f->ref == KS_REF_SECRET ? "secret"
                                                                            : "configmap", f->name);
            return false;
        }
        for (k = 0; k < config_data(o)->n; k++)
            env_add(pr, f->prefix ? ks_arena_printf(pr->ar, "%s%s", f->prefix,
                                                    config_data(o)->items[k].key)
                                  : config_data(o)->items[k].key,
                    config_data(o)->items[k].value);
    }
    for (i = 0; i < spec->nenv; i++) {
        const ks_env_var *v = &spec->env[i];
        const char *value = v->value ? v->value : "";
        if (v->ref == KS_REF_SECRET || v->ref == KS_REF_CONFIGMAP) {
            const ks_object *o = config_object(sim, v->ref, p->pub.ns, v->ref_name);
            const char *kind = v->ref == KS_REF_SECRET ? "Secret" : "ConfigMap";
            if (!o) {
                if (v->optional)
                    continue;
                snprintf(why, n, "%s \"%s\" not found", v->ref == KS_REF_SECRET ? "secret"
                                                                                : "configmap",
                         v->ref_name);
                return false;
            }
            value = ks_kvs_get(config_data(o), v->ref_key);
            if (!value) {
                if (v->optional)
                    continue;
                snprintf(why, n, "couldn't find key %s in %s %s/%s", v->ref_key, kind,
                         p->pub.ns, v->ref_name);
                return false;
            }
        } else if (v->ref == KS_REF_FIELD || v->ref == KS_REF_RESOURCE) {
            char buf[64];
            value = ks_arena_strdup(pr->ar, ks_node_env_from(sim, &p->pub, spec, v, buf,
                                                             sizeof buf));
        } else if (strchr(value, '$')) {
            /* dependent variables: $(NAME) of those defined before it
               (makeEnvironmentVariables; ks_expand.h) */
            value = ks_expand(pr->ar, value, env_lookup, pr);
        }
        if (!value) {
            ks_sim_fail(sim, KS_ENOMEM);
            return false;
        }
        if (!env_add(pr, v->name, value)) {
            ks_sim_fail(sim, KS_ENOMEM);
            return false;
        }
    }
    if (!pr->env.n) {                          /* none of its own: the shared ones */
        pr->env = *pr->svc_env;
        return true;
    }
    for (i = 0; i < pr->svc_env->n; i++)      /* service links last, the pod's env wins */
        if (!ks_kvs_get(&pr->env, pr->svc_env->items[i].key)
            && !env_add(pr, pr->svc_env->items[i].key, pr->svc_env->items[i].value)) {
            ks_sim_fail(sim, KS_ENOMEM);
            return false;
        }
    return true;
}

const ks_kvs *ksi_workload_env(const ks_sim *sim, const ksi_pod *p, size_t c)
{
    (void)sim;
    return p->cst[c].proc ? &p->cst[c].proc->env : NULL;
}

static const char *env_get(const ksi_proc *pr, const char *key)
{
    const char *v = ks_kvs_get(&pr->env, key);
    return v && *v ? v : NULL;
}

/* ---- starting --------------------------------------------------------------------- */
/* Whether a container's command is for the image's sh: a shell (sh -c
 * '...'), or one of sh's commands (sleep 3600 in an nginx image), which then
 * runs instead of the image's program. Any other command starts the image's
 * own program, as its entrypoint would (command: [redis-server, --appendonly,
 * yes]; [nginx, -g, "daemon off;"]). */
bool ks_node_args_run_sh(const ks_image_entry *e, const ks_container *c)
{
    /* a stress image's ENTRYPOINT is the stress program: args are its own */
    return e && !c->ncommand && c->nargs && e->kind != KS_IMAGE_STRESS
           && ks_shell_is_shell(c->args[0]) && ks_image_has_program(e, c->args[0]);
}

static bool command_for_sh(const ks_image_entry *e, const ks_container *spec)
{
    const char *first = spec->ncommand ? spec->command[0] : NULL;
    const char *base;
    if (!first)
        return ks_node_args_run_sh(e, spec);
    base = strrchr(first, '/');
    base = base ? base + 1 : first;
    if ((strcmp(base, "wget") == 0 || strcmp(base, "curl") == 0 || strcmp(base, "nslookup") == 0)
        && ks_image_has_program(e, base))
        return true;                  /* an applet of the image's, run by sh */
    return ks_shell_is_shell(base) || ks_shell_runs(base) || ks_shell_unsimulated(base);
}

static void proc_exit(ks_sim *sim, void *subject, uint64_t code);

static void exit_later(ks_sim *sim, ksi_proc *pr, ks_time delay, int code)
{
    ks_event_cancel(sim, pr->timer);
    pr->timer = ks_event_after(sim, delay, KS_PRIO_DEFAULT, proc_exit, pr, (uint64_t)code);
}

static void proc_exit(ks_sim *sim, void *subject, uint64_t code)
{
    ksi_proc *pr = subject;
    ksi_pod *p = ksi_proc_pod(sim, pr);
    pr->timer = 0;
    if (p)
        ksi_container_exited(sim, p, pr->c, (int)code, NULL);
}

static void now_listening(ks_sim *sim, void *subject, uint64_t arg);

static void shell_step(ks_sim *sim, void *subject, uint64_t arg)
{
    ksi_proc *pr = subject;
    ks_shell_io io = ksi_proc_shell_io(pr);
    ks_time sleep;
    (void)arg;
    pr->timer = 0;
    if (ks_shell_step(pr->run, &io, &sleep)) {
        pr->timer = ks_event_after(sim, sleep, KS_PRIO_DEFAULT, shell_step, pr, 0);
    } else if (pr->run->became) {     /* the image's program: listening once started */
        const ksi_pod *p = ksi_proc_pod(sim, pr);
        pr->listening = false;
        if (p)
            pr->timer = ks_event_after(sim, p->pub.containers[pr->c].image->startup,
                                       KS_PRIO_DEFAULT, now_listening, pr, 0);
    } else {
        exit_later(sim, pr, 10 * KS_MSEC, pr->run->status);
    }
}

static void now_listening(ks_sim *sim, void *subject, uint64_t arg)
{
    ksi_proc *pr = subject;
    ksi_pod *p = ksi_proc_pod(sim, pr);
    size_t i;
    (void)arg;
    pr->timer = 0;
    if (!p)
        return;
    pr->listening = true;
    if (pr->data && p->pub.containers[pr->c].image->kind == KS_IMAGE_DATABASE) {
        ksi_data_set_initialized(pr->data);
        ksi_data_server(sim, pr->data, p, pr->c, true);
        pr->server = true;
    }
    for (i = 0; i < p->pub.containers[pr->c].image->nlog_ready; i++)
        ks_cluster_log(sim, pr->pod, pr->c, "%s", p->pub.containers[pr->c].image->log_ready[i]);
}

/* Whether a catalog `when` holds for this process now. */
/* A database's data directory: its dataDir, or where dataDirEnv moves it
 * (postgres: PGDATA); NULL for an image without one. */
static const char *data_dir(const ksi_proc *pr, const ks_image_entry *e)
{
    if (e->kind != KS_IMAGE_DATABASE || !e->data_dir)
        return NULL;
    return e->data_dir_env && env_get(pr, e->data_dir_env) ? env_get(pr, e->data_dir_env)
                                                           : e->data_dir;
}

static bool when_holds(const ksi_pod *p, size_t c, const ksi_proc *pr, const ks_image_when *w)
{
    const ks_container *spec = p->pub.containers[c].spec;
    size_t i;
    if (w->mounted_at) {
        bool found = false;
        for (i = 0; i < spec->nmounts; i++)
            if (strcmp(spec->mounts[i].path, w->mounted_at) == 0)
                found = true;
        if (!found)
            return false;
    }
    for (i = 0; i < w->n_env_unset; i++)
        if (env_get(pr, w->env_unset[i]))
            return false;
    for (i = 0; i < w->n_env_set; i++)
        if (!env_get(pr, w->env_set[i]))
            return false;
    if (w->data_dir_empty >= 0) {
        const ks_datadir *d = pr->data ? ksi_data_pub(pr->data) : NULL;
        bool empty = !d || (!d->initialized && d->records == 0);
        if ((w->data_dir_empty == 1) != empty)
            return false;
    }
    if (w->data_dir_read_only >= 0) {
        const char *dir = data_dir(pr, p->pub.containers[c].image);
        if ((w->data_dir_read_only == 1) != (dir && ks_mount_read_only(p->pub.spec, p->pub.containers[c].spec, dir)))
            return false;
    }
    return true;
}

/* The first of the image's failures (only those whose when has
 * dataDirReadOnly: true, read_only; else all) that holds at start: its
 * message to the log, and the process exits with its code. */
static bool fails(ks_sim *sim, ksi_pod *p, size_t c, ksi_proc *pr, bool read_only)
{
    const ks_image_entry *e = p->pub.containers[c].image;
    size_t i;
    for (i = 0; i < e->nfailures; i++) {
        const ks_image_failure *f = &e->failures[i];
        if ((!read_only || f->when.data_dir_read_only == 1) && when_holds(p, c, pr, &f->when)) {
            if (f->message)
                ks_cluster_log(sim, p->pub.id, c, "%s", f->message);
            exit_later(sim, pr, EXIT_DELAY, f->exit_code);
            return true;
        }
    }
    return false;
}

/* "NAME" holds when set; "NAME=VALUE" when set to exactly VALUE. */
static bool any_of_holds(const ksi_proc *pr, const ks_image_require *r)
{
    size_t i;
    for (i = 0; i < r->n_any_of; i++) {
        const char *eq = strchr(r->any_of[i], '=');
        if (eq) {
            char key[128];
            const char *v;
            snprintf(key, sizeof key, "%.*s", (int)(eq - r->any_of[i]), r->any_of[i]);
            v = env_get(pr, key);
            if (v && strcmp(v, eq + 1) == 0)
                return true;
        } else if (env_get(pr, r->any_of[i])) {
            return true;
        }
    }
    return false;
}

static int listen_port(const ks_container_status *cs)
{
    size_t i;
    if (cs->image->kind != KS_IMAGE_GENERIC || !cs->spec->nports)
        return cs->image->port;
    for (i = 0; i < cs->spec->nports; i++)
        if (cs->spec->ports[i].port == cs->image->port)
            return cs->image->port;      /* its own port, among those declared */
    return cs->spec->ports[0].port;      /* an unknown app listens where declared */
}

/* The value after (or "=" in) the argument named name in the container's
 * command and args, or NULL. */
static const char *arg_value(const ks_container *spec, const char *name)
{
    size_t len = strlen(name), i, n = spec->ncommand + spec->nargs;
    for (i = 0; i < n; i++) {
        const char *w = i < spec->ncommand ? spec->command[i] : spec->args[i - spec->ncommand];
        const char *next = i + 1 < spec->ncommand ? spec->command[i + 1]
                           : i + 1 < n ? spec->args[i + 1 - spec->ncommand] : NULL;
        if (strncmp(w, name, len) == 0 && w[len] == '=')
            return w + len + 1;
        if (strcmp(w, name) == 0)
            return next;
    }
    return NULL;
}

/* stress's sizes: a number with b, k, m or g (powers of 1024, any case). */
static int64_t stress_bytes(const char *s)
{
    char *end;
    double v = s ? strtod(s, &end) : 0;
    int64_t unit = 1;
    if (!s || end == s || v < 0)
        return 0;
    switch (*end) {
    case 'k': case 'K': unit = 1024; break;
    case 'm': case 'M': unit = 1024 * 1024; break;
    case 'g': case 'G': unit = 1024 * 1024 * 1024; break;
    default: break;
    }
    return (int64_t)(v * (double)unit);
}

/* stress has allocated its memory and its CPU hogs are spinning. */
static void stress_loaded(ks_sim *sim, void *subject, uint64_t arg)
{
    ksi_proc *pr = subject;
    ksi_pod *p = ksi_proc_pod(sim, pr);
    const ks_container *spec;
    const ks_image_load *l;
    const char *cores;
    (void)arg;
    pr->timer = 0;
    if (!p)
        return;
    spec = p->pub.containers[pr->c].spec;
    l = &p->pub.containers[pr->c].image->load;
    cores = l->cpu_arg ? arg_value(spec, l->cpu_arg) : NULL;
    ksi_usage_grow(sim, p, pr->c, l->mem_arg ? stress_bytes(arg_value(spec, l->mem_arg)) : 0,
                   cores ? (int64_t)(strtod(cores, NULL) * 1000) : 0);
}

/* command or args with the kubelet's $(NAME) expansion over the container's
 * environment (ExpandContainerCommandAndArgs), in the process's arena. */
static const char **expand_all(ksi_proc *pr, const char *const *words, size_t n)
{
    const char **out = n ? ks_arena_alloc(pr->ar, n * sizeof *out) : NULL;
    size_t i;
    for (i = 0; out && i < n; i++)
        if (!(out[i] = ks_expand(pr->ar, words[i], env_lookup, pr)))
            return NULL;
    return out;
}

void ksi_workload_start(ks_sim *sim, ksi_pod *p, size_t c)
{
    ks_container_status *cs = &p->pub.containers[c];
    const ks_image_entry *e = cs->image;
    ksi_proc *pr = proc_new(sim, p, c);
    size_t i;
    if (!pr)
        return;
    memset(&pr->usage, 0, sizeof pr->usage);
    pr->metered = true;
    ksi_usage_start(sim, p, c, &pr->usage);
    pr->port = listen_port(cs);
    if (data_dir(pr, e)) {
        const char *rest;
        pr->data = ksi_data_dir_for(sim, p, c, data_dir(pr, e), &rest);
    } else if (e->kind == KS_IMAGE_CACHE) {
        pr->data = ksi_data_memory(sim, p, c);
    }
    for (i = 0; i < e->nlog_start; i++)
        ks_cluster_log(sim, p->pub.id, c, "%s", e->log_start[i]);
    /* an entrypoint prepares its data directory before it checks its
       environment (docker-library/postgres docker-entrypoint.sh _main:
       docker_create_db_directories, then docker_verify_minimum_env) */
    if (fails(sim, p, c, pr, true))
        return;
    for (i = 0; i < e->nrequire_env; i++) {
        const ks_image_require *r = &e->require_env[i];
        if (when_holds(p, c, pr, &r->when) && !any_of_holds(pr, r)) {
            if (r->message)
                ks_cluster_log(sim, p->pub.id, c, "%s", r->message);
            exit_later(sim, pr, EXIT_DELAY, r->exit_code);
            return;
        }
    }
    if (fails(sim, p, c, pr, false))
        return;
    if (e->kind == KS_IMAGE_STRESS) {
        /* its command is the program itself, not a shell script */
        pr->timer = ks_event_after(sim, STRESS_RAMP, KS_PRIO_DEFAULT, stress_loaded, pr, 0);
        return;
    }
    if (e->kind == KS_IMAGE_SHELL || command_for_sh(e, cs->spec)) {
        char err[240];
        const char **cmd = expand_all(pr, cs->spec->command, cs->spec->ncommand);
        const char **args = expand_all(pr, cs->spec->args, cs->spec->nargs);
        if ((cs->spec->ncommand && !cmd) || (cs->spec->nargs && !args)
            || !(pr->run = ks_arena_alloc(pr->ar, sizeof *pr->run))) {
            ks_sim_fail(sim, KS_ENOMEM);
            return;
        }
        pr->prog = ks_shell_compile(pr->ar, cmd, cs->spec->ncommand, args, cs->spec->nargs,
                                    err, sizeof err);
        if (!pr->prog) {
            const char *nl = strchr(err, '\n');   /* sh's words, then kubesim's hint */
            ks_cluster_log(sim, p->pub.id, c, "sh: %.*s", (int)(nl ? nl - err : 160), err);
            if (nl)
                ks_cluster_log(sim, p->pub.id, c, "%s", nl + 1);
            exit_later(sim, pr, 10 * KS_MSEC, 2);
            return;
        }
        ks_shell_start(pr->run, pr->prog);
        pr->listening = pr->port != 0;
        shell_step(sim, pr, 0);
        return;
    }
    if (e->startup == 0)              /* listening as it starts: its first probe finds it */
        now_listening(sim, pr, 0);
    else
        pr->timer = ks_event_after(sim, e->startup, KS_PRIO_DEFAULT, now_listening, pr, 0);
}

void ksi_workload_sigterm(ks_sim *sim, ksi_pod *p, size_t c)
{
    const ks_image_entry *e = p->pub.containers[c].image;
    ksi_proc *pr = p->cst[c].proc;
    size_t i;
    if (pr)
        ks_event_cancel(sim, pr->timer);
    for (i = 0; i < e->nlog_stop; i++)
        ks_cluster_log(sim, p->pub.id, c, "%s", e->log_stop[i]);
}

/* ---- probes ------------------------------------------------------------------------- */
static int probe_port(const ks_container *spec, const ks_probe *pr)
{
    size_t i;
    if (!pr->port_name)
        return pr->port;
    for (i = 0; i < spec->nports; i++)
        if (spec->ports[i].name && strcmp(spec->ports[i].name, pr->port_name) == 0)
            return spec->ports[i].port;
    return 0;
}

bool ksi_workload_probe(ks_sim *sim, ksi_pod *p, size_t c, const ks_probe *probe, char *why,
                        size_t n)
{
    ksi_proc *pr = p->cst[c].proc;
    int port = probe_port(p->pub.containers[c].spec, probe);
    if (!pr)
        return false;
    if (probe->type == KS_PROBE_EXEC) {
        /* as kubectl exec: what the image's $PATH finds (the kubelet's exec
           prober; its output is the probe's message) */
        ks_strbuf out;
        const char *text;
        size_t len;
        int st;
        ks_shell_io io = ksi_proc_shell_io(pr);
        ks_strbuf_init(&out, ks_sim_allocator(sim));
        io.out = NULL;
        st = ksi_exec_run(sim, p, c, probe->command, probe->ncommand, &io, ksi_workload_data(p, c),
                          pr->listening, &out, &out, NULL, NULL, NULL);
        text = ks_strbuf_str(&out);
        len = strcspn(text, "\n");
        if (st != 0) {
            if (len)
                snprintf(why, n, "%.*s", (int)len, text);
            else
                snprintf(why, n, "command exited with %d", st);
        }
        ks_strbuf_fini(&out);
        return st == 0;
    }
    if (port == 0 && probe->port_name) {
        snprintf(why, n, "port %s is not a named containerPort of the container",
                 probe->port_name);
        return false;
    }
    if (pr->listening && port == pr->port) {
        int st;
        if (probe->type != KS_PROBE_HTTP)
            return true;
        /* the kubelet's http prober: 200-399 is success (pkg/probe/http) */
        st = ksi_workload_http(sim, p, c, "GET", probe->path ? probe->path : "/");
        if (st >= 200 && st < 400)
            return true;
        snprintf(why, n, "HTTP probe failed with statuscode: %d", st);
        return false;
    }
    if (probe->type == KS_PROBE_HTTP) {
        snprintf(why, n, "Get \"http://%s:%d%s\": dial tcp %s:%d: connect: connection refused",
                 p->pub.ip, port, probe->path ? probe->path : "/", p->pub.ip, port);
    } else if (probe->type == KS_PROBE_GRPC) {
        /* the kubelet's gRPC prober dials WithBlock, so a refused connection
           is retried until the probe's timeout (pkg/probe/grpc/grpc.go Probe:
           "timeout: failed to connect service %q within %v: %+v") */
        char timeout[32];
        ks_duration_format((ks_time)probe->timeout * KS_SEC, timeout, sizeof timeout);
        snprintf(why, n, "timeout: failed to connect service \"%s:%d\" within %s: context "
                 "deadline exceeded", p->pub.ip, port, timeout);
    } else {
        snprintf(why, n, "dial tcp %s:%d: connect: connection refused", p->pub.ip, port);
    }
    return false;
}

int ksi_workload_http(ks_sim *sim, const ksi_pod *p, size_t c, const char *method,
                      const char *path)
{
    const ks_image_entry *e = p->pub.containers[c].image;
    const ks_image_route *r;
    if (e->web.docroot) {
        /* a static file server: nginx and httpd answer 405 to a method
           other than GET/HEAD on a file, 404 where there is no file */
        char rel[300], full[600];
        bool mounted;
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return 405;
        ks_catalog_file_path(e, path, rel, sizeof rel);
        snprintf(full, sizeof full, "%s%s", e->web.docroot, rel);
        if (ksi_data_peek(sim, p, c, full, &mounted))
            return 200;
        return !mounted && ks_catalog_has_file(e, path) ? 200 : 404;
    }
    if (!e->nroutes)
        return 200;
    r = ks_catalog_route(e, method, path);
    return !r ? 404 : r->status ? r->status : 200;
}

size_t ks_node_pod_dirs(const ks_sim *sim, ks_id pod, const ks_datadir **out, size_t max)
{
    const ksi_pod *p = ksi_pod_get(sim, pod);
    ksi_dir *seen[64];
    size_t c, k, n = 0, nout = 0;
    if (!p)
        return 0;
    for (c = 0; c < p->pub.ncontainers; c++) {
        ksi_dir *mine[64];
        size_t m, j;
        if (!p->cst[c].proc || p->pub.containers[c].state != KS_CS_RUNNING)
            continue;
        m = ksi_data_visible(sim, p, c, mine, 64);
        for (j = 0; j < m; j++) {
            for (k = 0; k < n && seen[k] != mine[j]; k++)
                ;
            if (k == n && n < 64)
                seen[n++] = mine[j];
        }
    }
    for (k = 0; k < n && nout < max; k++)
        out[nout++] = ksi_data_pub(seen[k]);
    return nout;
}

int64_t ks_node_pod_records(const ks_sim *sim, ks_id pod)
{
    const ks_datadir *dirs[64];
    size_t n = ks_node_pod_dirs(sim, pod, dirs, 64), i;
    int64_t total = 0;
    if (!n)
        return -1;
    for (i = 0; i < n; i++)
        total += dirs[i]->records;
    return total;
}

/* ---- requests served by the process (ks_net.c) ------------------------------------- */
struct ksi_usage *ksi_workload_usage(const ksi_pod *p, size_t c)
{
    ksi_proc *pr = p->cst[c].proc;
    return pr && pr->metered && p->pub.containers[c].state == KS_CS_RUNNING ? &pr->usage
                                                                             : NULL;
}

ksi_dir *ksi_workload_data(const ksi_pod *p, size_t c)
{
    const ksi_proc *pr = p->cst[c].proc;
    return pr ? pr->data : NULL;
}

bool ksi_workload_listening(const ksi_pod *p, size_t c, int port)
{
    const ksi_proc *pr = p->cst[c].proc;
    return pr && pr->listening && p->pub.containers[c].state == KS_CS_RUNNING
           && (port == 0 || port == pr->port);
}
