/* demo.c -- the built-in crash-loop demo (see demo.h). Numbers follow
 * KUBERNETES.md §2: first restart immediate, then 10 s, 20 s, 40 s ... 300 s. */
#include "demo.h"

#include <stdio.h>

#include "../sim/ks_event.h"
#include "../sim/ks_trace.h"

#define POD "demo-crash"
#define PULL_TIME (3 * KS_SEC)
#define RUN_TIME (4 * KS_SEC)
#define BACKOFF_BASE (10 * KS_SEC)
#define BACKOFF_MAX (300 * KS_SEC)

static void emit(ks_sim *sim, ks_trace_type type, const char *reason,
                 const char *msg, int64_t n0)
{
    ks_trace_event ev = {0};
    ev.type = type;
    ev.kind = type == KS_TR_CAPTION ? NULL : "Pod";
    ev.name = type == KS_TR_CAPTION ? NULL : POD;
    ev.reason = reason;
    ev.msg = msg;
    ev.n[0] = n0;
    ks_trace_emit(sim, &ev);
}

static void set_status(ks_sim *sim, ksc_demo *d, const char *status)
{
    d->status = status;
    emit(sim, KS_TR_STATUS, status, NULL, d->restarts);
}

static void container_start(ks_sim *sim, void *subject, uint64_t arg);

static void container_exit(ks_sim *sim, void *subject, uint64_t arg)
{
    ksc_demo *d = subject;
    char msg[128];
    ks_time delay = 0;
    int i;
    (void)arg;
    emit(sim, KS_TR_LOG, NULL, "Error: cannot connect to database at db:5432", 0);
    set_status(sim, d, "Error");
    /* crash n (1-based) waits 0 s, then 10 s doubling, capped */
    if (d->crashes > 0) {
        delay = BACKOFF_BASE;
        for (i = 1; i < d->crashes && delay < BACKOFF_MAX; i++)
            delay *= 2;
        if (delay > BACKOFF_MAX)
            delay = BACKOFF_MAX;
    }
    d->crashes++;
    if (delay > 0) {
        char dur[32];
        ks_duration_format(delay, dur, sizeof dur);
        snprintf(msg, sizeof msg, "Back-off %s restarting failed container=app pod=" POD, dur);
        emit(sim, KS_TR_EVENT, "BackOff", msg, 1);
        set_status(sim, d, "CrashLoopBackOff");
    }
    ks_event_after(sim, delay, KS_PRIO_DEFAULT, container_start, d, 1);
}

static void container_start(ks_sim *sim, void *subject, uint64_t restart)
{
    ksc_demo *d = subject;
    if (restart)
        d->restarts++;
    emit(sim, KS_TR_EVENT, "Created", "Created container app", 0);
    emit(sim, KS_TR_EVENT, "Started", "Started container app", 0);
    set_status(sim, d, "Running");
    ks_event_after(sim, RUN_TIME, KS_PRIO_DEFAULT, container_exit, d, 0);
}

static void image_pulled(ks_sim *sim, void *subject, uint64_t arg)
{
    (void)arg;
    emit(sim, KS_TR_EVENT, "Pulled",
         "Successfully pulled image \"busybox:1.36\" in 3s", 0);
    container_start(sim, subject, 0);
}

static void pod_created(ks_sim *sim, void *subject, uint64_t arg)
{
    ksc_demo *d = subject;
    (void)arg;
    emit(sim, KS_TR_CAPTION, NULL,
         "A container that exits with an error is restarted in place, "
         "with a growing back-off: watch RESTARTS and the BackOff delays.", 0);
    emit(sim, KS_TR_EVENT, "Scheduled", "Successfully assigned default/" POD " to node-1", 0);
    set_status(sim, d, "ContainerCreating");
    emit(sim, KS_TR_EVENT, "Pulling", "Pulling image \"busybox:1.36\"", 0);
    ks_event_after(sim, PULL_TIME, KS_PRIO_DEFAULT, image_pulled, d, 0);
}

void ksc_demo_start(ks_sim *sim, ksc_demo *d)
{
    d->restarts = 0;
    d->crashes = 0;
    d->status = "Pending";
    ks_event_schedule(sim, 0, KS_PRIO_DEFAULT, pod_created, d, 0);
}
