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
#include "kr_palette.h"

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
 * pod (a Completed pod without a Job stays as it is). A small card or dot
 * is drawn under a veil of KR_DONE_VEIL of the box's colour at 1: still
 * there, but behind the pods that run. */
#define KR_DONE_FADE (60 * KS_SEC)
#define KR_DONE_VEIL 0.5
double kr_done_fade(const ks_sim *sim, const ks_pod *p);
/* Full and medium cards fade by themselves, so their words still read from
 * the back of a classroom: the status pill of tone at fade f pales toward
 * the card by KR_DONE_VEIL * f (the fill returned), and its text (*ink) is
 * white or black, whichever contrasts more with that fill (WCAG 2 contrast
 * ratio, kr_contrast: one of them is at least 4.58:1 on any colour, over
 * WCAG AA's 4.5:1); the name turns to KR_C_DIM (6.1:1 on the card). */
kr_color kr_done_pill(kr_tone tone, double fade, kr_color *ink);
/* a toward b by t (0..1) */
kr_color kr_mix(kr_color a, kr_color b, double t);
/* WCAG 2 contrast ratio of two colours, 1 to 21. */
double kr_contrast(kr_color a, kr_color b);

/* "09:01:10" (the wall-clock time of simulated time t on the cluster's
 * clock), with the weekday when day differs from that of `today` ("Tue
 * 00:00:00"). */
size_t kr_wall_format(const ks_sim *sim, ks_time t, ks_time today, char *buf, size_t n);

#endif
