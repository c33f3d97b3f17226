/* ksv_api.h -- the Kubernetes API, without HTTP: a request (method, path,
 * query parameters, a few headers, body) in, a response (status, content
 * type, body, maybe a stream) out. ksv_http.c puts it on a socket; the unit
 * tests and the fuzzer call it directly.
 *
 * One ksv_api serves one running simulation (a ks_run): reads come from
 * the store (ksv_store), writes become kubectl steps of the run at a quiet
 * instant (ks_run_quiet_instant, ks_run_kubectl), so a recorded session
 * replays identically. Errors are Status objects with the API server's
 * reasons and words. Single-threaded: call it from the thread that
 * advances the simulation.
 * Depends on: ksv_store, ksv_kinds, sim/ (ks_runner, ks_kubectl), jansson.
 */
#ifndef KSV_API_H
#define KSV_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/ks_strbuf.h"
#include "run/ks_runner.h"

#define KSV_MAX_BODY (3 * 1024 * 1024)     /* the API server's limit (3 MiB,
                                              apiserver/pkg/server/config.go
                                              MaxRequestBodyBytes) */
#define KSV_MAX_WATCHES 100                /* open watches at once */
#define KSV_MAX_PARAMS 32

typedef struct ksv_param {
    const char *key, *value;
} ksv_param;

typedef struct ksv_request {
    const char *method;               /* "GET" */
    const char *path;                 /* "/api/v1/namespaces/default/pods", decoded */
    ksv_param params[KSV_MAX_PARAMS]; /* the query, decoded */
    size_t nparams;
    const char *accept, *content_type, *user_agent;   /* may be NULL */
    const char *host;                 /* the Host header (may be NULL) */
    const char *upgrade;              /* Upgrade ("websocket", "SPDY/3.1"), or NULL */
    const char *ws_key, *ws_protocol; /* Sec-WebSocket-Key, -Protocol (may be NULL) */
    const char *body;
    size_t body_len;
} ksv_request;

typedef struct ksv_watch ksv_watch;
typedef struct ksv_proxied ksv_proxied;

typedef struct ksv_response {
    int status;                       /* HTTP status */
    const char *content_type;         /* static */
    ks_strbuf body;
    char warning[700];                /* a Warning header's text, or "" (ksv_fields_ok's list
                                         of unknown fields, whole) */
    ksv_watch *watch;                 /* non-NULL: a stream follows (ksv_watch.h) */
    struct ksv_upgrade *upgrade;      /* non-NULL: status 101, a WebSocket
                                         session follows (ksv_ws.h) */
    ksv_proxied *proxied;             /* non-NULL: a proxied request in flight;
                                         its answer comes later (ksv_proxy.c) */
} ksv_response;

typedef struct ksv_api_config {
    const char *session_dir;          /* where objects written through the API
                                         are kept as files, for the kubectl steps */
    const char *session_rel;          /* the same, as the scenario's steps name it
                                         (relative to the scenario's folder) */
    FILE *log;                        /* each request, one line (NULL: none) */
    int64_t epoch_us;                 /* wall time of simulated 0s, microseconds
                                         since 1970 (0: KS_KUBECTL_EPOCH) */
    double speed;                     /* simulated seconds per wall second (0: 1) */
    int64_t (*wall_us)(void);         /* the wall clock, microseconds since 1970:
                                         timestamps never ahead of it (NULL:
                                         epoch_us + t / speed, for tests) */
    bool paused;                      /* the clock starts paused (serve --paused) */
} ksv_api_config;

typedef struct ksv_api ksv_api;

/* An API over run (which must outlive it). NULL when out of memory. */
ksv_api *ksv_api_create(ks_run *run, const ksv_api_config *cfg);
void ksv_api_destroy(ksv_api *api);

void ksv_response_init(ksv_response *rs);
void ksv_response_fini(ksv_response *rs);

/* Answers rq into rs (initialised by the caller). Never fails: out of
 * memory is a 500 Status. */
void ksv_api_handle(ksv_api *api, const ksv_request *rq, ksv_response *rs);

/* After the simulation moved: brings the store up to date and hands the
 * changes to the open watches. Returns whether any watch has new data. */
bool ksv_api_after_advance(ksv_api *api);

/* A proxied request in flight (rs->proxied, ksv_proxy.c): whether its
 * answer is there, or never will be (KSV_PROXY_LIMIT of simulated time
 * passed, the run ended); its answer into rs (initialised by the caller),
 * which frees p; or p freed unanswered (its client went; NULL is fine). */
bool ksv_proxy_ready(const ksv_proxied *p);
void ksv_proxy_answer(ksv_proxied *p, ksv_response *rs);
void ksv_proxy_drop(ksv_proxied *p);
/* A query parameter's value, or NULL. */
const char *ksv_param_get(const ksv_request *rq, const char *key);
/* Whether a flag parameter is true, as the API server reads one. */
bool ksv_param_bool(const ksv_request *rq, const char *key);

/* Whether the clock is paused (PUT /kubesim/v1/clock, or --paused); *gen
 * (may be NULL) changes whenever a client (or ksv_api_set_clock) set the
 * clock: the caller then paces simulated time to the wall clock again from
 * the simulated now, at ksv_api_speed. */
bool ksv_api_paused(const ksv_api *api, unsigned *gen);
/* Simulated seconds per wall second (ksv_api_config.speed, then as set). */
double ksv_api_speed(const ksv_api *api);
#define KSV_SPEED_MIN 0.25
#define KSV_SPEED_MAX 64.0
/* Sets the clock as PUT /kubesim/v1/clock {"paused", "speed"} does (the
 * window's Space and -/+ keys): speed clamped to KSV_SPEED_MIN..MAX. */
void ksv_api_set_clock(ksv_api *api, bool paused, double speed);

/* A kubectl line from elsewhere than a request (the window's prompt, as
 * "get pods" or "delete pod web-1"): run as the API's writes are, at a
 * quiet instant, and kept for --record; what kubectl printed goes to out,
 * where its tables are to tables (NULL: not asked; ks_kubectl_tables).
 * Returns its exit status (0 ok; -1 out of memory). */
struct ks_kubectl_tables;
int ksv_api_kubectl(ksv_api *api, const char *line, ks_strbuf *out,
                    struct ks_kubectl_tables *tables);

/* The kubectl steps the API has run, with their instants, in order (for
 * --record). */
size_t ksv_api_steps(const ksv_api *api);
void ksv_api_step(const ksv_api *api, size_t i, ks_time *at, const char **line);
/* Step i's standard input (an exec's: the step's stdin), or NULL. */
const char *ksv_api_step_input(const ksv_api *api, size_t i);

#endif
