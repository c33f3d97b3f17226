/* ks_job.c -- the Job controller: runs pods until `completions` of them
 * have succeeded, `parallelism` at a time, replacing failed ones after a
 * back-off, and marks the Job Complete or Failed (pkg/controller/job/
 * job_controller.go, v1.30).
 *
 * Numbers and rules, each from that file unless said otherwise:
 *   - a new pod after failures waits 10 s, doubling per failure since the
 *     last success, at most 10 min (DefaultJobPodFailureBackOff,
 *     MaxJobPodFailureBackOff; backoff_utils.go getRemainingTimeForFailuresCount);
 *   - pod changes are synced in batches of 1 s (syncJobBatchPeriod);
 *   - restartPolicy Never: the Job fails when failed pods > backoffLimit;
 *     OnFailure: when the restarts of its running and pending pods (init
 *     containers' too) reach backoffLimit (> 0 when it is 0)
 *     (pastBackoffLimitOnFailure);
 *   - activeDeadlineSeconds after startTime: Failed, DeadlineExceeded;
 *   - a pod deleted before it succeeded counts as failed (it is terminal
 *     for the Job once it terminates);
 *   - on failure the remaining pods are deleted; conditions and events:
 *     Completed "Job completed", BackoffLimitExceeded "Job has reached the
 *     specified backoff limit", DeadlineExceeded "Job was active longer
 *     than specified deadline", SuccessfulCreate/SuccessfulDelete
 *     "Created pod: NAME"/"Deleted pod: NAME" (controller_utils.go).
 * Pods are named <job>-<5 chars> (generateName) and labelled with the
 * template's labels plus batch.kubernetes.io/controller-uid,
 * batch.kubernetes.io/job-name, controller-uid and job-name (v1.27+).
 */
#include <stdio.h>
#include <string.h>

#include "internal/cluster.h"
#include "ks_workloads.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define BACKOFF_BASE (10 * KS_SEC)     /* DefaultJobPodFailureBackOff */
#define BACKOFF_MAX  (10 * KS_MIN)     /* MaxJobPodFailureBackOff */
#define SYNC_BATCH   KS_SEC            /* syncJobBatchPeriod */

typedef struct job_pod {
    ks_id id;
    bool counted;                 /* in succeeded or failed already */
} job_pod;

typedef struct job_state {
    ks_job pub;                   /* first: ks_cluster_job returns it */
    job_pod *pods;
    size_t npods, cap;
    int failures;                 /* failed pods since the last success */
    ks_time last_failure;
} job_state;
static const ksi_pod_list_at pod_list = KSI_POD_LIST_AT(job_state, pods, npods, cap);

const ks_job *ks_cluster_job(const ks_sim *sim, ks_id id)
{
    return ksi_store_status(sim, id, KS_KIND_JOB);
}

const char *ks_job_status_text(const ks_sim *sim, const ks_job *j)
{
    if (j->complete)
        return "Complete";
    if (j->failed_cond)
        return "Failed";
    (void)sim;         /* Terminating: never seen, a deleted Job goes at once */
    return j->suspended ? "Suspended" : "Running";
}

/* ---- the object --------------------------------------------------------------------- */
/* A controller-uid: a UUID from the seeded name stream. */
static const char *new_uid(ks_sim *sim)
{
    ks_rng *r = ks_sim_rng(sim, KS_RNG_NAMES);
    uint64_t a = ks_rng_u64(r);
    uint64_t b = ks_rng_u64(r);
    return ksi_printf(sim, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                      (unsigned long long)(a >> 32), (unsigned long long)(a >> 16 & 0xffff),
                      (unsigned long long)(a & 0xfff),
                      (unsigned long long)(0x8000 | (b >> 48 & 0x3fff)),
                      (unsigned long long)(b & 0xffffffffffffull));
}

/* Its pods' labels: the template's and the four generateSelector adds. */
static bool job_labels(ks_sim *sim, job_state *s, const ks_object *o)
{
    const ks_kvs *tl = &o->u.job.tmpl.labels;
    ks_kv *labels = ksi_zalloc(sim, (tl->n + 4) * sizeof *labels);
    if (!labels)
        return false;
    if (tl->n)
        memcpy(labels, tl->items, tl->n * sizeof *labels);
    labels[tl->n] = (ks_kv){"batch.kubernetes.io/controller-uid", s->pub.uid};
    labels[tl->n + 1] = (ks_kv){"batch.kubernetes.io/job-name", s->pub.name};
    labels[tl->n + 2] = (ks_kv){"controller-uid", s->pub.uid};
    labels[tl->n + 3] = (ks_kv){"job-name", s->pub.name};
    s->pub.labels.items = labels;
    s->pub.labels.n = tl->n + 4;
    return true;
}

static job_state *job_new(ks_sim *sim, ks_id id, const ks_object *o)
{
    job_state *s = ksi_zalloc(sim, sizeof *s);
    if (!s)
        return NULL;
    s->pub.id = id;
    s->pub.obj = o;
    s->pub.name = o->meta.name;
    s->pub.ns = o->meta.ns;
    s->pub.spec = &o->u.job;
    s->pub.start_time = s->pub.completion_time = -1;
    s->pub.created = ks_now(sim);
    s->pub.uid = new_uid(sim);
    if (!s->pub.uid || !job_labels(sim, s, o))
        return NULL;
    ksi_store_ref(sim, id)->status = s;
    return s;
}

/* ---- pods ------------------------------------------------------------------------------ */
static bool pod_succeeded(const ks_pod *p)
{
    return strcmp(p->phase, "Succeeded") == 0;
}

static bool pod_finished(const ks_pod *p)
{
    return pod_succeeded(p) || strcmp(p->phase, "Failed") == 0 || p->terminating;
}

/* When the pod finished: its last container's finishedAt, or now for a
 * pod that goes before its containers ended (getFinishedTime). */
static ks_time finished_at(const ks_sim *sim, const ks_pod *p)
{
    ks_time t = -1;
    size_t c;
    for (c = 0; c < p->ncontainers; c++)
        if (p->containers[c].state == KS_CS_TERMINATED && p->containers[c].finished_at > t)
            t = p->containers[c].finished_at;
    return t >= 0 && !p->terminating ? t : ks_now(sim);
}

static void count(ks_sim *sim, job_state *s, job_pod *jp, const ks_pod *p)
{
    jp->counted = true;
    if (pod_succeeded(p)) {
        s->pub.succeeded++;
        s->failures = 0;
    } else {
        s->pub.failed++;
        s->failures++;
        s->last_failure = finished_at(sim, p);
    }
}

static void create_pod(ks_sim *sim, job_state *s)
{
    const ks_job_spec *spec = s->pub.spec;
    char suffix[6], msg[400];
    const char *name;
    ksi_pod *p;
    if (!ksi_pod_admit_sa(sim, s->pub.ns, &spec->tmpl.spec, ksi_printf(sim, "%s-", s->pub.name),
                          msg, sizeof msg)) {
        ksi_event(sim, true, "FailedCreate", KS_KIND_JOB, s->pub.name, s->pub.id,
                  "job-controller", "Error creating: %s", msg);
        return;
    }
    do {
        ksi_random_suffix(sim, suffix);
        name = ksi_printf(sim, "%s-%s", s->pub.name, suffix);
    } while (name && ks_cluster_find(sim, KS_KIND_POD, s->pub.ns, name));
    if (!name || ksi_grow(sim, (void **)&s->pods, &s->cap, s->npods + 1, sizeof *s->pods))
        return;
    p = ksi_pod_create(sim, name, s->pub.ns, &spec->tmpl, &spec->tmpl.spec, &s->pub.labels,
                       s->pub.id);
    if (!p)
        return;
    ksi_store_set_owner(sim, p->pub.id, s->pub.id);
    s->pods[s->npods].id = p->pub.id;
    s->pods[s->npods].counted = false;
    s->npods++;
    ksi_event(sim, false, "SuccessfulCreate", KS_KIND_JOB, s->pub.name, s->pub.id,
              "job-controller", "Created pod: %s", name);
}

static void delete_pod(ks_sim *sim, job_state *s, ksi_pod *p)
{
    ksi_event(sim, false, "SuccessfulDelete", KS_KIND_JOB, s->pub.name, s->pub.id,
              "job-controller", "Deleted pod: %s", p->pub.name);
    ksi_pod_delete(sim, p, p->pub.spec->grace_seconds);
}

/* Deletes n active pods, the newest first (pods not running go first). */
static void delete_active(ks_sim *sim, job_state *s, int64_t n)
{
    size_t i;
    for (i = s->npods; i-- > 0 && n > 0;) {
        ksi_pod *p = ksi_pod_get(sim, s->pods[i].id);
        if (p && !pod_finished(&p->pub)) {
            delete_pod(sim, s, p);
            n--;
        }
    }
}

/* ---- the sync ---------------------------------------------------------------------------- */
/* Counts the pods that finished since the last look; sets active/ready. */
static void tally(ks_sim *sim, job_state *s, int64_t *restarts)
{
    size_t i;
    s->pub.active = s->pub.ready = 0;
    *restarts = 0;
    for (i = 0; i < s->npods; i++) {
        job_pod *jp = &s->pods[i];
        const ks_pod *p = ks_cluster_pod(sim, jp->id);
        size_t c;
        if (!p || jp->counted)
            continue;
        if (pod_finished(p)) {
            count(sim, s, jp, p);
            continue;
        }
        s->pub.active++;
        s->pub.ready += p->ready;
        for (c = 0; c < p->ncontainers + p->ninit; c++)    /* init containers' too */
            *restarts += p->containers[c].restarts;
    }
}

static void finish(ks_sim *sim, job_state *s, bool ok, const char *reason, const char *message)
{
    s->pub.finished_at = ks_now(sim);
    if (ok) {
        s->pub.complete = true;
        s->pub.completion_time = ks_now(sim);
        ksi_event(sim, false, "Completed", KS_KIND_JOB, s->pub.name, s->pub.id,
                  "job-controller", "Job completed");
        return;
    }
    s->pub.failed_cond = true;
    s->pub.reason = reason;
    s->pub.message = message;
    delete_active(sim, s, s->pub.active);
    s->pub.active = s->pub.ready = 0;
    ksi_event(sim, true, reason, KS_KIND_JOB, s->pub.name, s->pub.id, "job-controller", "%s",
              message);
}

/* Whether the Job has failed for good (pastBackoffLimit*). */
static bool past_backoff_limit(const job_state *s, int64_t restarts)
{
    const ks_job_spec *spec = s->pub.spec;
    if (strcmp(spec->tmpl.spec.restart_policy, "OnFailure") == 0
        && (spec->backoff_limit == 0 ? restarts > 0 : restarts >= spec->backoff_limit))
        return true;
    return s->pub.failed > spec->backoff_limit;
}

/* How many pods should run now (job_controller.go manageJob). */
static int64_t want_active(const job_state *s)
{
    const ks_job_spec *spec = s->pub.spec;
    int64_t left;
    if (spec->completions < 0)             /* a work queue: stop once one succeeded */
        return s->pub.succeeded > 0 ? s->pub.active : spec->parallelism;
    left = spec->completions - s->pub.succeeded;
    return left < spec->parallelism ? (left > 0 ? left : 0) : spec->parallelism;
}

static void manage(ks_sim *sim, ksi_workload_ctl *ctl, job_state *s)
{
    int64_t want = want_active(s), i;
    if (want < s->pub.active) {
        delete_active(sim, s, s->pub.active - want);
        s->pub.active = want;
        return;
    }
    if (want == s->pub.active)
        return;
    if (s->failures > 0) {                 /* back off before a replacement */
        ks_time delay = BACKOFF_BASE;
        int k;
        for (k = 1; k < s->failures && delay < BACKOFF_MAX; k++)
            delay *= 2;
        if (delay > BACKOFF_MAX)
            delay = BACKOFF_MAX;
        if (s->last_failure + delay > ks_now(sim)) {
            ksi_wq_add_after(sim, &ctl->queue, s->pub.id, s->last_failure + delay);
            return;
        }
    }
    for (i = s->pub.active; i < want; i++)
        create_pod(sim, s);
    s->pub.active = want;
}

static bool done(const job_state *s)
{
    const ks_job_spec *spec = s->pub.spec;
    if (spec->completions < 0)
        return s->pub.succeeded > 0 && s->pub.active == 0;
    return s->pub.succeeded >= spec->completions;
}

static bool status_changed(const ks_job *a, const ks_job *b)
{
    return a->active != b->active || a->ready != b->ready || a->succeeded != b->succeeded
           || a->failed != b->failed || a->start_time != b->start_time
           || a->complete != b->complete || a->failed_cond != b->failed_cond
           || a->suspended != b->suspended;
}

static void sync_job(ks_sim *sim, void *ud, ks_id id)
{
    ksi_workload_ctl *ctl = ud;
    job_state *s = ksi_store_status(sim, id, KS_KIND_JOB);
    ks_job before;
    const ks_job_spec *spec;
    int64_t restarts;
    if (!s || s->pub.complete || s->pub.failed_cond)
        return;
    before = s->pub;
    spec = s->pub.spec;
    tally(sim, s, &restarts);
    if (spec->suspend) {
        if (!s->pub.suspended) {
            s->pub.suspended = true;
            s->pub.start_time = -1;
            delete_active(sim, s, s->pub.active);
            s->pub.active = s->pub.ready = 0;
            ksi_event(sim, false, "Suspended", KS_KIND_JOB, s->pub.name, s->pub.id,
                      "job-controller", "Job suspended");
        }
    } else {
        if (s->pub.suspended) {
            s->pub.suspended = false;
            ksi_event(sim, false, "Resumed", KS_KIND_JOB, s->pub.name, s->pub.id,
                      "job-controller", "Job resumed");
        }
        if (s->pub.start_time < 0)
            s->pub.start_time = ks_now(sim);
        if (past_backoff_limit(s, restarts))
            finish(sim, s, false, "BackoffLimitExceeded",
                   "Job has reached the specified backoff limit");
        else if (spec->active_deadline > 0
                 && ks_now(sim) >= s->pub.start_time + spec->active_deadline * KS_SEC)
            finish(sim, s, false, "DeadlineExceeded",
                   "Job was active longer than specified deadline");
        else if (done(s))
            finish(sim, s, true, NULL, NULL);
        else {
            manage(sim, ctl, s);
            if (spec->active_deadline > 0)
                ksi_wq_add_after(sim, &ctl->queue, s->pub.id,
                                 s->pub.start_time + spec->active_deadline * KS_SEC);
        }
    }
    if (status_changed(&before, &s->pub))
        ksi_store_update(sim, id, NULL);            /* its status */
}

/* ---- what it hears ------------------------------------------------------------------------- */
static void on_job(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ksi_workload_ctl *ctl = ud;
    job_state *s = ksi_store_status(sim, ch->id, KS_KIND_JOB);
    if (ksi_workload_settled(sim, ch, &ctl->queue, s, &pod_list))
        return;                                /* gone, or its own status */
    if (ch->type == KS_ADDED && !s && !job_new(sim, ch->id, ch->obj))
        return;
    if (s && ch->type == KS_UPDATED) {         /* applied again */
        s->pub.obj = ch->obj;
        s->pub.spec = &s->pub.obj->u.job;
        /* a suspended Job that never started may have new template labels */
        if (!job_labels(sim, s, ch->obj))
            return;
    }
    ksi_wq_add(sim, &ctl->queue, ch->id);
}

static job_pod *find_pod(job_state *s, ks_id pod)
{
    size_t i;
    for (i = 0; i < s->npods; i++)
        if (s->pods[i].id == pod)
            return &s->pods[i];
    return NULL;
}

/* A pod of a Job changed or went: the Job syncs within the batch period.
 * A pod that goes before it was counted is counted now, as it was. */
static void on_pod(ks_sim *sim, const ksi_change *ch, void *ud)
{
    ksi_workload_ctl *ctl = ud;
    const ksi_pod *p = ch->obj;
    job_state *s = ksi_store_status(sim, p->pub.owner, KS_KIND_JOB);
    job_pod *jp;
    if (!s || ch->type == KS_ADDED || !(jp = find_pod(s, ch->id)))
        return;
    if (ch->type == KS_DELETED) {
        if (!jp->counted && !s->pub.complete && !s->pub.failed_cond)
            count(sim, s, jp, &p->pub);
        *jp = s->pods[--s->npods];
    }
    ksi_wq_add_after(sim, &ctl->queue, s->pub.id, ks_now(sim) + SYNC_BATCH);
}

int ksi_ctl_job(ks_sim *sim)
{
    return ksi_workload_ctl_start(sim, KS_KIND_JOB, &pod_list, KSI_PRIO_BATCH,
                                  KSI_WQ_OLDEST_OBJECT_FIRST, sync_job, on_job, on_pod)
               ? KS_OK : KS_ENOMEM;
}
