/* ks_event.h -- the discrete-event core: schedule, cancel, step, run.
 *
 * Order is total: events run by (time, then priority, then insertion
 * sequence), so equal times run in the order they were scheduled and a run
 * is a pure function of its inputs. Cancelling only marks an event, so a
 * handler may cancel anything, itself and events at the same time included.
 * An event scheduled for "now" during dispatch runs after the current one,
 * never re-entrantly.
 * Depends on: ks_sim.
 */
#ifndef KS_EVENT_H
#define KS_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "ks_sim.h"

/* Identifies a scheduled event; never 0 (0 means "no event"). */
typedef uint64_t ks_event_id;

/* A handler: subject is borrowed (the scheduler's own state), arg a value
 * (usually an object id). */
typedef void (*ks_event_fn)(ks_sim *sim, void *subject, uint64_t arg);

/* Priorities: lower runs first among events at the same time.
 * KS_PRIO_LAST is reserved for the scenario runner's expectation checks, so
 * a check sees everything else that happened at its instant. */
#define KS_PRIO_FIRST    0
#define KS_PRIO_DEFAULT  128
#define KS_PRIO_LAST     255

/* Largest number of events pending at once. */
#define KS_EVENT_MAX_PENDING ((1u << 24) - 1)

/* Schedules fn(sim, subject, arg) at time at (>= now, <= KS_TIME_MAX) with
 * priority prio (0..255). Returns its id, or 0 when the queue is full or
 * memory ran out (the sim is then marked failed, see ks_sim_status). */
ks_event_id ks_event_schedule(ks_sim *sim, ks_time at, int prio, ks_event_fn fn,
                              void *subject, uint64_t arg);
/* Same, at now + delay. */
ks_event_id ks_event_after(ks_sim *sim, ks_time delay, int prio, ks_event_fn fn,
                           void *subject, uint64_t arg);
/* Posts fn(sim, subject, arg) at time at, as ks_event_schedule does, for an
 * event that is never cancelled, moved or asked about: it has no id, so it
 * needs no slot and costs less to schedule and to run. It runs in the same
 * order as a scheduled one would (time, priority, then the order of
 * scheduling, shared by both kinds). Returns KS_OK, or the failure the sim
 * is then marked with (see ks_sim_status): KS_ENOMEM when memory ran out
 * or KS_EVENT_MAX_PENDING events are posted, KS_EINTERNAL on a bad call. */
int ks_event_post(ks_sim *sim, ks_time at, int prio, ks_event_fn fn, void *subject,
                  uint64_t arg);
/* Same, at now + delay. */
int ks_event_post_after(ks_sim *sim, ks_time delay, int prio, ks_event_fn fn, void *subject,
                        uint64_t arg);
/* Cancels a pending event; true if it was pending. Unknown, already run or
 * already cancelled ids are fine and return false. */
bool ks_event_cancel(ks_sim *sim, ks_event_id id);
/* Whether the event is still waiting to run. */
bool ks_event_pending(const ks_sim *sim, ks_event_id id);
/* Moves a pending event to a new time (keeps fn/subject/arg/priority; it
 * goes behind events already scheduled for that time). Returns the new id,
 * or 0 when id was not pending or on failure. */
ks_event_id ks_event_reschedule(ks_sim *sim, ks_event_id id, ks_time at);

/* The current simulated time. */
ks_time ks_now(const ks_sim *sim);
/* Number of events pending (posted ones included, cancelled ones
 * excluded). */
uint32_t ks_event_count(const ks_sim *sim);
/* Events dispatched since creation. */
uint64_t ks_event_dispatched(const ks_sim *sim);
/* Time of the next pending event; false when there is none. */
bool ks_next_time(ks_sim *sim, ks_time *t);

/* Runs the next event; false when there was none (or the sim failed). */
bool ks_step(ks_sim *sim);
/* Runs every event with time <= t, then sets the clock to t (if t is later
 * than now). Returns the number of events dispatched. Stops early, leaving
 * the clock at the last event, on ks_sim_stop or failure. */
uint64_t ks_run_until(ks_sim *sim, ks_time t);

#endif
