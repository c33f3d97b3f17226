/* ks_kubectl_create_job.c -- `kubectl create job NAME --image=IMAGE [--
 * COMMAND ARGS...]`: a Job of one pod that runs once (restartPolicy Never,
 * a container named as the Job); `kubectl create job NAME
 * --from=cronjob/NAME`: a Job from a CronJob's template, owned by it and
 * annotated cronjob.kubernetes.io/instantiate: manual. As kubectl's
 * create_job.go makes them; the words of its errors are that file's.
 */
#include <stdio.h>
#include <string.h>

#include "cluster/ks_workloads.h"
#include "core/ks_error.h"
#include "internal/kubectl.h"
#include "load/ks_validate.h"

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (h ^ 0xff) * 1099511628211ull;
}

/* A Job object in ar from a pod template; NULL when memory runs out. */
static ks_object *new_job(ks_arena *ar, const char *name, const char *ns)
{
    ks_object *o = ks_arena_alloc(ar, sizeof *o);
    if (!o || !(o->meta.name = ks_arena_strdup(ar, name))
        || !(o->meta.ns = ks_arena_strdup(ar, ns)))
        return NULL;
    o->kind = KS_KIND_JOB;
    o->api_version = "batch/v1";
    o->mark = o->meta.mark = o->meta.name_mark = KS_MARK_NONE;
    o->u.job.parallelism = 1;              /* SetDefaults_Job */
    o->u.job.completions = 1;
    o->u.job.backoff_limit = 6;
    o->u.job.active_deadline = -1;
    o->u.job.ttl_after_finished = -1;
    o->u.job.tmpl.spec.grace_seconds = 30;
    o->hash = fnv(fnv(fnv(14695981039346656037ull, "Job"), ns), name);
    return o;
}

/* --image IMAGE [-- COMMAND ARGS...] */
static ks_object *job_from_image(ksi_kc *k, ks_arena *ar, const char *name, const char *image)
{
    ks_object *o = new_job(ar, name, k->ns);
    ks_container *c = ks_arena_alloc(ar, sizeof *c);
    size_t i, n = k->nargs > 2 ? k->nargs - 2 : 0;
    if (!o || !c)
        return NULL;
    c->name = o->meta.name;
    if (!(c->image = ks_arena_strdup(ar, image)))
        return NULL;
    c->mark = c->image_mark = KS_MARK_NONE;
    if (n && !(c->command = ks_arena_alloc(ar, n * sizeof *c->command)))
        return NULL;
    for (i = 0; i < n; i++)
        if (!(c->command[i] = ks_arena_strdup(ar, k->args[2 + i])))
            return NULL;
    c->ncommand = n;
    o->u.job.tmpl.spec.containers = c;
    o->u.job.tmpl.spec.ncontainers = 1;
    o->u.job.tmpl.spec.restart_policy = "Never";
    o->hash = fnv(o->hash, image);
    for (i = 0; i < n; i++)
        o->hash = fnv(o->hash, c->command[i]);
    return o;
}

/* --from=cronjob/NAME: the CronJob's job template, annotated as made by
 * hand (createJobFromCronJob). */
static ks_object *job_from_cronjob(ks_arena *ar, const char *name, const char *ns,
                                   const ks_cronjob *cj)
{
    ks_object *o = new_job(ar, name, ns);
    const ks_kvs *a = &cj->spec->job_annotations;
    ks_kv *ann = ks_arena_alloc(ar, (a->n + 1) * sizeof *ann);
    if (!o || !ann)
        return NULL;
    ann[0].key = "cronjob.kubernetes.io/instantiate";
    ann[0].value = "manual";
    if (a->n)
        memcpy(ann + 1, a->items, a->n * sizeof *ann);
    o->meta.annotations.items = ann;
    o->meta.annotations.n = a->n + 1;
    o->meta.labels = cj->spec->job_labels;
    o->u.job = cj->spec->job;
    o->hash = fnv(o->hash, cj->spec->schedule);
    return o;
}

int ksi_kc_create_job(ksi_kc *k)
{
    const char *image = ksi_kc_flag(k, "image"), *from = ksi_kc_flag(k, "from"), *name, *why;
    size_t named = k->nargs_before_dash < k->nargs ? k->nargs_before_dash : k->nargs;
    ks_apply_result res;
    ks_error err;
    const ks_cronjob *cj = NULL;
    ks_arena *ar;
    ks_object *o;
    if (named != 2)
        return ksi_kc_error(k, "exactly one NAME is required, got %zu", named ? named - 1 : 0);
    name = k->args[1];
    if (!image == !from)
        return ksi_kc_error(k, "either --image or --from must be specified");
    if (from && k->nargs > 2)
        return ksi_kc_error(k, "cannot specify --from and command");
    if ((why = ks_check_dns_subdomain(name)) != NULL)
        return ksi_kc_error(k, "The Job \"%s\" is invalid: metadata.name: Invalid value: "
                               "\"%s\": %s", name, name, why);
    if (from && !strchr(from, '/'))
        return ksi_kc_error(k, "from must be of the form <resource>/<name>");
    if (from && ksi_kc_resource(ks_arena_strndup(k->tmp, from, (size_t)(strchr(from, '/') - from)))
                    != KS_KIND_CRONJOB)
        return ksi_kc_error(k, "unknown object type: kubesim creates jobs --from=cronjob/NAME");
    if (ksi_kc_dry(k))
        return 0;
    if (from && !(cj = ks_cluster_cronjob(k->sim, ksi_kc_find(k, KS_KIND_CRONJOB,
                                                               strchr(from, '/') + 1))))
        return ksi_kc_not_found(k, KS_KIND_CRONJOB, strchr(from, '/') + 1);
    if (ks_cluster_find(k->sim, KS_KIND_JOB, k->ns, name))
        return ksi_kc_error(k, "failed to create job: jobs.batch \"%s\" already exists", name);
    if (!(ar = ksi_kc_object_arena(k)))
        return 1;
    if (!(o = from ? job_from_cronjob(ar, name, k->ns, cj) : job_from_image(k, ar, name, image)))
        return ksi_kc_error(k, "out of memory");
    ks_error_clear(&err);
    if (ks_cluster_apply(k->sim, o, &res, &err) != KS_OK)
        return ksi_kc_error(k, "failed to create job: %s", err.msg);
    if (cj)
        ks_cluster_set_owner(k->sim, ks_cluster_find(k->sim, KS_KIND_JOB, k->ns, name), cj->id);
    ksi_kc_line(k, "job.batch/%s created", name);
    return 0;
}
