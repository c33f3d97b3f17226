/* ksv_watch.h -- watches: a stream of {"type":"ADDED|MODIFIED|DELETED",
 * "object":...} lines, one per change of a matching object, in
 * resourceVersion order (or Tables of one row, when the client asked for
 * Tables: kubectl get -w). A watch from resourceVersion N first replays the
 * changes after N that the API still remembers (410 Gone when N is older
 * than that: the client lists again); without one, it starts with an ADDED
 * for every object there is.
 * Depends on: ksv_api (internal), ksv_store, ksv_table.
 */
#ifndef KSV_WATCH_H
#define KSV_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "ksv_internal.h"

#define KSV_WATCH_HISTORY 8192            /* changes remembered for late starters */
#define KSV_WATCH_MAX_QUEUE (8 << 20)     /* bytes a slow client may fall behind */

/* Opens a watch for target t (a collection). On success returns it and sets
 * rs to a 200 stream; otherwise NULL with a Status in rs. */
ksv_watch *ksv_watch_open(ksv_api *api, const ksv_request *rq, const ksv_target *t,
                          ksv_response *rs);
/* A stream of raw bytes (pods/log?follow=true) owning state (freed with
 * free_state, also on failure): no change of the store is queued on it;
 * its owner appends with ksv_watch_append. NULL with a Status in rs. */
ksv_watch *ksv_watch_open_raw(ksv_api *api, ksv_response *rs, const char *content_type,
                              void *state, void (*free_state)(void *));
void *ksv_watch_state(const ksv_watch *w);
/* Queues bytes; false (and the stream ends) past KSV_WATCH_MAX_QUEUE. */
bool ksv_watch_append(ksv_watch *w, const char *s, size_t n);
/* Forgets it (the connection is gone). */
void ksv_watch_close(ksv_api *api, ksv_watch *w);

/* Copies up to max queued bytes into buf; returns how many (0: none now). */
size_t ksv_watch_take(ksv_watch *w, char *buf, size_t max);
bool ksv_watch_pending(const ksv_watch *w);
/* The client's timeoutSeconds (0: none): the stream ends after that long. */
long ksv_watch_timeout(const ksv_watch *w);
/* Whether the stream is over (the server stops, or the client fell too far
 * behind); the rest of the queue is still sent. */
bool ksv_watch_ended(const ksv_watch *w);
void ksv_watch_end(ksv_watch *w);

/* The store's change callback (ud: the ksv_api): remembers the change and
 * queues it on the matching watches. */
void ksv_watch_on_change(void *ud, const ksv_resource *r, ksv_change_type type,
                         const ksv_entry *e);
/* Frees the remembered changes (at ksv_api_destroy). */
void ksv_watch_forget(ksv_api *api);

#endif
