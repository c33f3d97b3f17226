/* kr_batch.h -- the window's words and shades for work that finishes: a
 * CronJob's card (its schedule and its next run on the lesson's clock, as
 * the CronJob controller computed it) and how far a Completed pod of a Job
 * has faded.
 * Pure functions of (sim, now): no SDL, no state, so layout tests use them
 * and the window and the headless PNGs always say the same thing.
 * Depends on: ks_cluster, ks_workloads.
 */
#ifndef KR_BATCH_H
#define KR_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "cluster/ks_cluster.h"

/* A CronJob as its card shows it, every time on the cluster's clock (the
 * scenario's spec.clock; kubesim runs CronJobs in UTC):
 *   head "CronJob backup", schedule "*\/1 * * * *" (as written),
 *   next "next 09:02:00" ("next Tue 00:00" when not today; "suspended";
 *   "no next run" for a schedule that never fires), in "in 50 s",
 *   line "now 09:01:10 · 1 active" (", last 09:01:00" when it has run),
 *   progress: the share of the wait from its last scheduled time (or its
 *   creation) to the next that has passed, 0..1 (-1: no next run). */
typedef struct kr_cron_view {
    char head[160], schedule[96], next[48], in[32], line[96];
    double progress;
    bool suspended;
} kr_cron_view;
bool kr_cron_view_of(const ks_sim *sim, ks_id id, kr_cron_view *v);
/* The widest next/in/line texts a card can show, to size it once. */
extern const char *const kr_cron_widest_next, *const kr_cron_widest_in,
    *const kr_cron_widest_line;

/* How far a Completed pod of a Job has faded, 0 (just finished) to 1: from
 * when its last container exited (the simulated time: every frame of a run
 * at that instant shows the same), over KR_DONE_FADE, or sooner when its
 * Job has ttlSecondsAfterFinished and will be deleted (with its pods)
 * before that: then it has faded by the time it goes. 0 for every other
 * pod (a Completed pod without a Job stays as it is). The card is drawn
 * under a veil of KR_DONE_VEIL of the box's colour at 1: still there, its
 * name and status still read, but behind the pods that run. */
#define KR_DONE_FADE (60 * KS_SEC)
#define KR_DONE_VEIL 0.5
double kr_done_fade(const ks_sim *sim, const ks_pod *p);

/* "09:01:10" (the wall-clock time of simulated time t on the cluster's
 * clock), with the weekday when day differs from that of `today` ("Tue
 * 00:00:00"). */
size_t kr_wall_format(const ks_sim *sim, ks_time t, ks_time today, char *buf, size_t n);

#endif
