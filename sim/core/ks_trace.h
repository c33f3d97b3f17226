/* ks_trace.h -- the one stream of typed, timestamped events out of a sim.
 *
 * Controllers emit; the headless reporter, the JSON writer, statistics and
 * the renderer subscribe. Nobody outside sim/ reaches into controllers, and
 * the sim itself never prints. Events arrive in a total order (seq), so the
 * same seed and inputs give a byte-identical stream.
 * Depends on: ks_sim.
 */
#ifndef KS_TRACE_H
#define KS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ks_sim.h"

typedef enum ks_trace_type {
    KS_TR_CAPTION,      /* a lesson caption (`say:`): msg */
    KS_TR_EVENT,        /* a Kubernetes Event as `kubectl get events` shows:
                           kind/name, reason, msg; n[0] = 1 for Warning */
    KS_TR_STATUS,       /* an object's kubectl STATUS changed: kind/name,
                           reason = new status; n[0] = restarts */
    KS_TR_LOG,          /* a line a container printed: name = pod,
                           reason = container, msg */
    KS_TR_ENDPOINTS,    /* a Service's ready endpoints changed: name,
                           n[0] = ready count, msg = summary */
    KS_TR_VOLUME,       /* a claim's volume: name = claim, reason =
                           Provisioned/Bound/Released/Deleted, msg = PV,
                           n[0] = capacity in bytes */
    KS_TR_KUBECTL,      /* a kubectl command (reason = "Command", msg = the
                           line) or one line of its output (reason NULL);
                           n[0] = 1 for an error line (kubectl's stderr);
                           n[1] = 1 for a line of a table (get, top:
                           ks_kubectl_tables), which a narrow terminal
                           cuts rather than wraps -- how it is laid out,
                           not what happened: not in the JSON form nor
                           the fingerprint */
    KS_TR_ACTION,       /* a scenario action done to the cluster: kind/name =
                           its target, reason = Crash, NodeFail, NodeRecover,
                           Cordon, Uncordon, Drain or Traffic, msg = what;
                           n[0] = 1 when it could not be done (msg says why) */
    KS_TR_EXPECT,       /* an expectation's result: kind = its kind ("pods"),
                           name = what it looks at, reason = Pass, Fail or
                           NotReached, msg = expected / actual / why;
                           n[0] = 1 passed, n[1] = its index in spec.expect */
    KS_TR_RECORDS,      /* data changed: name = where ("pvc-1/postgres"),
                           reason = Written/Lost/Removed/Shared, msg = why,
                           n[0] = how many, n[1] = records there now */
    KS_TR_HOP,          /* a request moves one hop: name = from ("client",
                           "ingress", "pod/web-1"), reason = to, msg =
                           "GET /api/values", n[0] = request id, n[1] =
                           status (0 on the way in), n[2] = the hop's
                           latency in microseconds; "policy:pod/web-1" is
                           the pod's NetworkPolicy: a connection it drops
                           goes there, and its time-out comes back from
                           there */
    KS_TR_REQUEST,      /* a request finished: name = entry point, msg =
                           "GET /", n[0] = id, n[1] = status (0: no
                           response), n[2] = latency in microseconds */
    KS_TR_TYPE_COUNT
} ks_trace_type;

/* Strings are borrowed: valid only during the subscriber callback. A
 * subscriber that keeps an event copies what it needs. */
typedef struct ks_trace_event {
    ks_time t;             /* filled by ks_trace_emit */
    uint64_t seq;          /* filled by ks_trace_emit: 1, 2, 3... */
    ks_trace_type type;
    const char *kind;      /* object kind ("Pod"), or NULL */
    const char *name;      /* object name, or NULL */
    const char *reason;    /* a short CamelCase word, or NULL */
    const char *msg;       /* human text, or NULL */
    int64_t n[3];          /* numbers; their meaning depends on type */
    uint32_t len[4];       /* optional: strlen of kind, name, reason, msg,
                              each + 1, where the emitter has it at hand
                              (a request's hops); 0: not given. Only
                              ks_trace_hash reads them, to skip a strlen */
} ks_trace_event;

typedef void (*ks_trace_fn)(void *ud, const ks_trace_event *ev);

#define KS_TRACE_MAX_SUBSCRIBERS 8

/* Adds a subscriber; returns 0, or -1 when all slots are taken. */
int ks_trace_subscribe(ks_sim *sim, ks_trace_fn fn, void *ud);
/* Removes it (same fn and ud). */
void ks_trace_unsubscribe(ks_sim *sim, ks_trace_fn fn, void *ud);
/* Stamps ev with the current time and next sequence number and hands it to
 * every subscriber in subscription order. */
void ks_trace_emit(ks_sim *sim, ks_trace_event *ev);
/* Whether anyone listens: emitters skip formatting when nobody does. */
bool ks_trace_active(const ks_sim *sim);
/* Number of events emitted so far. */
uint64_t ks_trace_count(const ks_sim *sim);

/* The type's stable name in JSON ("caption", "event", ...). */
const char *ks_trace_type_name(ks_trace_type type);

/* One JSON object, no newline, e.g.
 *   {"seq":3,"t":12.5,"type":"event","kind":"Pod","name":"web","reason":"BackOff",...}
 * Returns the length needed (like snprintf); buf always NUL-terminated. */
size_t ks_trace_format_json(const ks_trace_event *ev, char *buf, size_t n);
/* Folds ev into the 64-bit hash h (a run's fingerprint starts from
 * KS_TRACE_HASH_SEED): the fields the JSON form shows, as 64-bit words w,
 * each step h = (h ^ w) * 0x9e3779b97f4a7c15 (mod 2^64): seq, t, type;
 * then kind, name, reason, msg, each as 0 when NULL, else its length + 1
 * and its bytes 8 at a time, little-endian, the last word padded with
 * zeros; then each number JSON shows (n[i]). No text is made: a busy run
 * hashes millions of events. Each step is a bijection of h: one word
 * changed always changes the result. */
#define KS_TRACE_HASH_SEED 0xcbf29ce484222325ull
uint64_t ks_trace_hash(uint64_t h, const ks_trace_event *ev);
/* One aligned human line, no newline, e.g.
 *   "  12.000s  pod/web-7c9f4  BackOff  Back-off restarting failed container" */
size_t ks_trace_format_text(const ks_trace_event *ev, char *buf, size_t n);

#endif
