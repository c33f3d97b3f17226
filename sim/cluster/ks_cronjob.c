/* ks_cronjob.c -- the CronJob controller: makes a Job at each time its
 * schedule names, as pkg/controller/cronjob/cronjob_controllerv2.go (v1.30)
 * does, in UTC on the run's wall clock (ks_cluster_clock: a scenario's
 * spec.clock).
 *
 * From that file and utils.go:
 *   - it wakes 100 ms after each scheduled time (nextScheduleDelta) and
 *     runs only the most recent of the times it missed; more than 100
 *     missed is a TooManyMissedTimes warning; a time older than
 *     startingDeadlineSeconds is MissSchedule instead;
 *   - concurrencyPolicy Forbid skips a time while a Job still runs
 *     (JobAlreadyActive), Replace deletes the running Jobs first;
 *   - Jobs are named <cronjob>-<scheduled time in minutes since 1970>,
 *     carry the jobTemplate's labels and annotations and the annotation
 *     batch.kubernetes.io/cronjob-scheduled-timestamp;
 *   - a finished Job leaves the active list (SawCompletedJob); finished
 *     Jobs beyond successfulJobsHistoryLimit (3) / failedJobsHistoryLimit
 *     (1) are deleted, oldest first, with their pods (SuccessfulDelete);
 *   - a Job it owns but did not make (kubectl create job --from) is an
 *     UnexpectedJob warning; an active Job that went is MissingJob.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/cluster.h"
#include "ks_workloads.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"

#define NEXT_SCHEDULE_DELTA (100 * KS_MSEC)   /* nextScheduleDelta */
#define TOO_MANY_MISSED 100

typedef struct cron_state {
    ks_cronjob pub;               /* first: ks_cluster_cronjob returns it */
    const char **active_names;    /* beside pub.active: for MissingJob */
    size_t active_cap, names_cap;
    ks_event_id wake;
} cron_state;

typedef struct cron_controller {
    ksi_workqueue queue;
} cron_controller;

const ks_cronjob *ks_cluster_cronjob(const ks_sim *sim, ks_id id)
{
    return ksi_store_status(sim, id, KS_KIND_CRONJOB);
}

/* ---- time: simulated microseconds and wall-clock seconds --------------------------------- */
static int64_t wall_of(const ks_sim *sim, ks_time t)
{
    return ks_cluster_clock(sim) + (t >= 0 ? t / KS_SEC : (t - KS_SEC + 1) / KS_SEC);
}

static ks_time sim_of(const ks_sim *sim, int64_t wall)
{
    return (wall - ks_cluster_clock(sim)) * KS_SEC;
}

/* ---- the active list ---------------------------------------------------------------------- */
static bool is_active(const cron_state *s, ks_id job)
{
    size_t i;
    for (i = 0; i < s->pub.nactive; i++)
        if (s->pub.active[i] == job)
            return true;
    return false;
}

static void forget_active(cron_state *s, ks_id job)
{
    size_t i;
    for (i = 0; i < s->pub.nactive; i++)
        if (s->pub.active[i] == job) {
            memmove(s->pub.active + i, s->pub.active + i + 1,
                    (s->pub.nactive - i - 1) * sizeof *s->pub.active);
            memmove(s->active_names + i, s->active_names + i + 1,
                    (s->pub.nactive - i - 1) * sizeof *s->active_names);
            s->pub.nactive--;
            return;
        }
}

static void event(ks_sim *sim, cron_state *s, bool warning, const char *reason, const char *fmt,
                  const char *arg)
{
    ksi_event(sim, warning, reason, KS_KIND_CRONJOB, s->pub.name, s->pub.id,
              "cronjob-controller", fmt, arg);
}

/* ---- Jobs ------------------------------------------------------------------------------------ */
static bool finished(const ks_job *j)
{
    return j->complete || j->failed_cond;
}

static void delete_job(ks_sim *sim, cron_state *s, const ks_job *j)
{
    const char *name = j->name;
    forget_active(s, j->id);
    ks_cluster_delete(sim, j->id, -1, false);
    event(sim, s, false, "SuccessfulDelete", "Deleted job %s", name);
}

/* getJobFromTemplate2: the Job for the scheduled time (wall seconds). */
static void create_job(ks_sim *sim, cron_state *s, int64_t scheduled)
{
    const ks_cronjob_spec *spec = s->pub.spec;
    ks_object *o = ksi_zalloc(sim, sizeof *o);
    ks_kv *ann = ksi_zalloc(sim, (spec->job_annotations.n + 1) * sizeof *ann);
    char stamp[40];
    ks_civil c;
    ks_apply_result res;
    ks_error err;
    ks_id id;
    if (!o || !ann)
        return;
    o->kind = KS_KIND_JOB;
    o->api_version = "batch/v1";
    o->meta.name = ksi_printf(sim, "%s-%lld", s->pub.name, (long long)(scheduled / 60));
    o->meta.ns = s->pub.ns;
    o->meta.labels = spec->job_labels;
    if (spec->job_annotations.n)
        memcpy(ann, spec->job_annotations.items, spec->job_annotations.n * sizeof *ann);
    ks_civil_from_unix(scheduled, &c);
    snprintf(stamp, sizeof stamp, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)c.year,
             c.month, c.day, c.hour, c.minute, c.second);
    ann[spec->job_annotations.n].key = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    ann[spec->job_annotations.n].value = ksi_strdup(sim, stamp);
    o->meta.annotations.items = ann;
    o->meta.annotations.n = spec->job_annotations.n + 1;
    o->mark = o->meta.mark = o->meta.name_mark = s->pub.obj->mark;
    o->hash = s->pub.obj->hash ^ (uint64_t)scheduled;
    o->u.job = spec->job;
    if (!o->meta.name || ks_cluster_find(sim, KS_KIND_JOB, s->pub.ns, o->meta.name))
        return;
    ks_error_clear(&err);
    if (ks_cluster_apply(sim, o, &res, &err) != KS_OK
        || !(id = ks_cluster_find(sim, KS_KIND_JOB, s->pub.ns, o->meta.name)))
        return;
    ksi_store_set_owner(sim, id, s->pub.id);
    if (ksi_grow(sim, (void **)&s->pub.active, &s->active_cap, s->pub.nactive + 1,
                 sizeof *s->pub.active)
        || ksi_grow(sim, (void **)&s->active_names, &s->names_cap, s->pub.nactive + 1,
                    sizeof *s->active_names))
        return;
    s->active_names[s->pub.nactive] = o->meta.name;
    s->pub.active[s->pub.nactive++] = id;
    s->pub.last_schedule = sim_of(sim, scheduled);
    event(sim, s, false, "SuccessfulCreate", "Created job %s", o->meta.name);
}

/* The Jobs the CronJob owns, in creation order (into an array of the sim's
 * allocator; *n set). */
static const ks_job **owned_jobs(ks_sim *sim, ks_id cj, size_t *n)
{
    const ks_job **out = NULL;
    size_t cap = 0;
    ks_id id = 0;
    *n = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_JOB, id)) != 0) {
        const ks_job *j = ks_cluster_job(sim, id);
        if (!j || ks_cluster_owner(sim, id) != cj)
            continue;
        if (ksi_grow(sim, (void **)&out, &cap, *n + 1, sizeof *out))
            return out;
        out[(*n)++] = j;
    }
    return out;
}

/* byJobStartTime: by start time (none last), then by name. */
static int by_start(const void *a, const void *b)
{
    const ks_job *x = *(const ks_job *const *)a, *y = *(const ks_job *const *)b;
    if ((x->start_time < 0) != (y->start_time < 0))
        return x->start_time < 0 ? 1 : -1;
    if (x->start_time != y->start_time)
        return x->start_time < y->start_time ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* cleanupFinishedJobs: each history limit, oldest first. */
static void cleanup(ks_sim *sim, cron_state *s, const ks_job **jobs, size_t n)
{
    const ks_job **keep = ks_mem_calloc(&sim->alloc, n ? n : 1, sizeof *keep);
    int pass;
    size_t i;
    if (!keep) {
        ks_sim_fail(sim, KS_ENOMEM);
        return;
    }
    for (pass = 0; pass < 2; pass++) {
        int64_t limit = pass ? s->pub.spec->failed_history : s->pub.spec->successful_history;
        size_t m = 0;
        for (i = 0; i < n; i++)
            if (jobs[i] && (pass ? jobs[i]->failed_cond : jobs[i]->complete))
                keep[m++] = jobs[i];
        qsort(keep, m, sizeof *keep, by_start);
        for (i = 0; (int64_t)(m - i) > limit; i++)
            delete_job(sim, s, keep[i]);
    }
    ks_mem_free(&sim->alloc, keep, (n ? n : 1) * sizeof *keep);
}

/* ---- the schedule ------------------------------------------------------------------------- */
/* mostRecentScheduleTime (utils.go): the latest scheduled time in
 * (earliest, now], or -1; *missed counts them, roughly, as the real one. */
static int64_t most_recent(const ks_cron *cron, int64_t earliest, int64_t now, int64_t *missed)
{
    int64_t t1 = ks_cron_next(cron, earliest), t2, gap, t, best = -1, from;
    *missed = 0;
    if (t1 < 0 || now < t1)
        return -1;
    t2 = ks_cron_next(cron, t1);
    if (t2 < 0 || now < t2) {
        *missed = 1;
        return t1;
    }
    gap = t2 - t1;
    *missed = (now - t1) / gap + 1;
    from = t1 + (*missed - 2) * gap;      /* one interval early: uneven schedules */
    for (t = ks_cron_next(cron, from); t >= 0 && t <= now; t = ks_cron_next(cron, t))
        best = t;
    return best;
}

static void wake(ks_sim *sim, void *subject, uint64_t id)
{
    cron_controller *ctl = subject;
    cron_state *s = ksi_store_status(sim, (ks_id)id, KS_KIND_CRONJOB);
    if (s)
        s->wake = 0;
    ksi_wq_add(sim, &ctl->queue, (ks_id)id);
}

static const char *rfc1123z(int64_t wall, char *buf, size_t n)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    ks_civil c;
    ks_civil_from_unix(wall, &c);
    snprintf(buf, n, "%s, %02d %s %04lld %02d:%02d:%02d +0000", days[c.weekday], c.day,
             months[c.month - 1], (long long)c.year, c.hour, c.minute, c.second);
    return buf;
}

/* Runs the time that is due, if any (syncCronJob, after its look at the
 * Jobs), and sets when it wakes next (nextScheduleTimeDuration). */
static void run_schedule(ks_sim *sim, cron_controller *ctl, cron_state *s)
{
    const ks_cronjob_spec *spec = s->pub.spec;
    int64_t now = wall_of(sim, ks_now(sim)), last, earliest, missed, due, next;
    char when[64];
    size_t i;
    last = wall_of(sim, s->pub.last_schedule >= 0 ? s->pub.last_schedule : s->pub.created);
    earliest = last;
    if (spec->starting_deadline >= 0 && now - spec->starting_deadline > earliest)
        earliest = now - spec->starting_deadline;    /* nothing older is started */
    due = most_recent(&spec->cron, earliest, now, &missed);
    if (missed > TOO_MANY_MISSED) {
        char msg[160];
        snprintf(msg, sizeof msg, "too many missed start times: %lld. Set or decrease "
                 ".spec.startingDeadlineSeconds or check clock skew", (long long)missed);
        event(sim, s, true, "TooManyMissedTimes", "%s", msg);
    }
    if (due < 0 || sim_of(sim, due) == s->pub.last_schedule) {
        /* nothing due, or done already */
    } else if (spec->starting_deadline >= 0 && due + spec->starting_deadline < now) {
        event(sim, s, true, "MissSchedule", "Missed scheduled time to start a job: %s",
              rfc1123z(due, when, sizeof when));
    } else if (spec->concurrency == KS_CONCURRENCY_FORBID && s->pub.nactive) {
        event(sim, s, false, "JobAlreadyActive", "%s", "Not starting job because prior "
              "execution is running and concurrency policy is Forbid");
    } else {
        if (spec->concurrency == KS_CONCURRENCY_REPLACE)
            for (i = s->pub.nactive; i-- > 0;) {
                const ks_job *j = ks_cluster_job(sim, s->pub.active[i]);
                if (j)
                    delete_job(sim, s, j);
            }
        create_job(sim, s, due);
    }
    /* the next time after the most recent one, the deadline aside */
    due = most_recent(&spec->cron, last, now, &missed);
    next = ks_cron_next(&spec->cron, due >= 0 ? due : last);
    while (next >= 0 && next <= now)
        next = ks_cron_next(&spec->cron, next);
    s->pub.next_run = next >= 0 ? sim_of(sim, next) : -1;
    ks_event_cancel(sim, s->wake);
    s->wake = next >= 0 ? ks_event_schedule(sim, s->pub.next_run + NEXT_SCHEDULE_DELTA,
                                            KSI_PRIO_BATCH, wake, ctl, s->pub.id)
                        : 0;
}

static void sync_cronjob(ks_sim *sim, void *ud, ks_id id)
{
    cron_controller *ctl = ud;
    cron_state *s = ksi_store_status(sim, id, KS_KIND_CRONJOB);
    const ks_job **jobs;
    ks_cronjob before;
    size_t n, i;
    if (!s)
        return;
    before = s->pub;
    jobs = owned_jobs(sim, id, &n);
    for (i = 0; i < n; i++) {
        const ks_job *j = jobs[i];
        bool active = is_active(s, j->id);
        if (!active && !finished(j)) {
            event(sim, s, true, "UnexpectedJob", "Saw a job that the controller did not "
                  "create or forgot: %s", j->name);
        } else if (active && finished(j)) {
            forget_active(s, j->id);
            ksi_event(sim, false, "SawCompletedJob", KS_KIND_CRONJOB, s->pub.name, s->pub.id,
                      "cronjob-controller", "Saw completed job: %s, status: %s", j->name,
                      j->complete ? "Complete" : "Failed");
        }
        if (j->complete && j->completion_time > s->pub.last_successful)
            s->pub.last_successful = j->completion_time;
    }
    for (i = s->pub.nactive; i-- > 0;)
        if (!ks_cluster_job(sim, s->pub.active[i])) {
            event(sim, s, false, "MissingJob", "Active job went missing: %s",
                  s->active_names[i]);
            forget_active(s, s->pub.active[i]);
        }
    if (!s->pub.spec->suspend)
        run_schedule(sim, ctl, s);
    else {
        ks_event_cancel(sim, s->wake);
        s->wake = 0;
        s->pub.next_run = -1;
    }
    cleanup(sim, s, jobs, n);
    ks_mem_free(&sim->alloc, jobs, n * sizeof *jobs);
    if (before.nactive != s->pub.nactive || before.last_schedule != s->pub.last_schedule
        || before.last_successful != s->pub.last_successful
        || before.next_run != s->pub.next_run)
        ksi_store_update(sim, id, NULL);          /* its status */
}

/* ---- what it hears -------------------------------------------------------------------------- */
static void on_cronjob(ks_sim *sim, const ksi_change *ch, void *ud)
{
    cron_controller *ctl = ud;
    cron_state *s = ksi_store_status(sim, ch->id, KS_KIND_CRONJOB);
    const ks_object *o = ch->obj;
    if (ch->type == KS_DELETED) {
        if (s) {
            ks_event_cancel(sim, s->wake);
            ks_mem_free(&sim->alloc, s->pub.active, s->active_cap * sizeof *s->pub.active);
            ks_mem_free(&sim->alloc, s->active_names, s->names_cap * sizeof *s->active_names);
            s->pub.active = NULL;
            s->active_names = NULL;
            s->pub.nactive = s->active_cap = s->names_cap = 0;
        }
        return;
    }
    if (ch->type == KS_UPDATED && !ch->old)
        return;                                     /* its own status */
    if (!s) {
        if (!(s = ksi_zalloc(sim, sizeof *s)))
            return;
        s->pub.id = ch->id;
        s->pub.name = o->meta.name;
        s->pub.ns = o->meta.ns;
        s->pub.created = ks_now(sim);
        s->pub.last_schedule = s->pub.last_successful = s->pub.next_run = -1;
        ksi_store_ref(sim, ch->id)->status = s;
    }
    s->pub.obj = o;
    s->pub.spec = &o->u.cronjob;
    ksi_wq_add(sim, &ctl->queue, ch->id);
}

/* One of its Jobs changed or went. */
static void on_job(ks_sim *sim, const ksi_change *ch, void *ud)
{
    cron_controller *ctl = ud;
    ks_id owner = ks_cluster_owner(sim, ch->id);
    if (ch->type != KS_ADDED && ks_cluster_kind(sim, owner) == KS_KIND_CRONJOB)
        ksi_wq_add(sim, &ctl->queue, owner);
}

static void stop(ks_sim *sim, void *ud)
{
    cron_controller *ctl = ud;
    ks_id id = 0;
    while ((id = ks_cluster_next(sim, KS_KIND_CRONJOB, id)) != 0) {
        cron_state *s = ksi_store_status(sim, id, KS_KIND_CRONJOB);
        if (s) {
            ks_mem_free(&sim->alloc, s->pub.active, s->active_cap * sizeof *s->pub.active);
            ks_mem_free(&sim->alloc, s->active_names, s->names_cap * sizeof *s->active_names);
        }
    }
    ksi_wq_fini(sim, &ctl->queue);
}

int ksi_ctl_cronjob(ks_sim *sim)
{
    cron_controller *ctl = ksi_zalloc(sim, sizeof *ctl);
    if (!ctl
        || ksi_wq_init(sim, &ctl->queue, KSI_PRIO_BATCH, KSI_WQ_OLDEST_OBJECT_FIRST,
                       sync_cronjob, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_CRONJOB), on_cronjob, ctl)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_JOB), on_job, ctl)
        || ksi_sim_add_part(sim, stop, ctl))
        return KS_ENOMEM;
    return KS_OK;
}
