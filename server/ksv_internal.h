/* ksv_internal.h -- what the files of the API share: the state of one API
 * (struct ksv_api), a parsed request target, Status responses, and each
 * file's entry points. Not used outside server/. */
#ifndef KSV_INTERNAL_H
#define KSV_INTERNAL_H

#include <jansson.h>

#include "core/ks_event.h"
#include "ksv_api.h"
#include "ksv_kinds.h"
#include "ksv_store.h"

typedef struct ksv_step {
    ks_time at;
    char *line;
    char *input;                      /* an exec's standard input, or NULL */
} ksv_step;

struct ksv_api {
    ks_run *run;
    ks_sim *sim;
    ksv_ctx ctx;                      /* what the JSON builders read */
    ksv_store *store;
    ksv_api_config cfg;
    bool dirty;                       /* a write happened: sync even if no event ran */
    ksv_step *steps;                  /* kubectl steps run for writes */
    size_t nsteps, cap_steps;
    unsigned files;                   /* objects written to session_dir so far */
    ksv_watch **watches;              /* open watches */
    size_t nwatches;
    struct ksv_watch_history *history; /* recent changes (ksv_watch.c) */
    bool paused;                      /* the clock (ksv_clock.c) */
    ks_time run_to;
    unsigned clock_gen;               /* bumped when the clock is set */
    ksv_proxied *proxied;             /* proxied requests in flight (ksv_proxy.c) */
    uint64_t proxy_requests;          /* requests the proxy has taken in */
};

/* What a resource path names. */
typedef struct ksv_target {
    const ksv_resource *r;
    const char *ns;                   /* NULL: all namespaces / cluster-scoped */
    const char *name;                 /* NULL: the collection */
    const char *sub;                  /* subresource, or NULL */
} ksv_target;

/* ---- Status (ksv_status.c) --------------------------------------------------------- */
/* A Status error: code (HTTP), reason ("NotFound"), message (printf). */
void ksv_fail(ksv_response *rs, int code, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with details: name, group, kind, and causes (stolen, may be NULL). */
void ksv_fail_details(ksv_response *rs, int code, const char *reason, const char *message,
                      const char *name, const char *group, const char *kind, json_t *causes);
/* NotFound for a named object: `pods "x" not found`. */
void ksv_not_found(ksv_response *rs, const ksv_resource *r, const char *name);
/* A Status of success (deletes): {"status":"Success"} with details. */
void ksv_success(ksv_response *rs, const ksv_resource *r, const char *name);
/* Sets the body to obj's JSON (stolen) with code. */
void ksv_reply_json(ksv_response *rs, int code, json_t *obj);
/* "pods" or "deployments.apps", as the API server names resources in messages. */
void ksv_qualified(const ksv_resource *r, char *buf, size_t n);

/* ---- discovery and OpenAPI (ksv_discovery.c, ksv_openapi.c) ---------------------------- */
void ksv_version(ksv_response *rs);
/* metrics: the metrics-server addon's group is listed (ksv_metrics_served). */
void ksv_discovery(const ksv_request *rq, ksv_response *rs, const char *const *seg, size_t n,
                   bool metrics);
void ksv_openapi(const ksv_request *rq, ksv_response *rs, const char *const *seg, size_t n);

/* ---- selectors (ksv_filter.c) ------------------------------------------------------------- */
typedef struct ksv_field_req {
    char path[128];
    char value[256];
    bool negate;
} ksv_field_req;

typedef struct ksv_filter {
    bool has_labels;
    ks_selector labels;
    ksv_field_req fields[8];
    size_t nfields;
    ks_arena *ar;
} ksv_filter;

/* Reads labelSelector and fieldSelector; false with a 400 Status in rs. */
bool ksv_filter_parse(ksv_filter *f, const ksv_request *rq, ksv_response *rs);
bool ksv_filter_match(const ksv_filter *f, const char *json, size_t len);
void ksv_filter_fini(ksv_filter *f);

/* ---- reads (ksv_read.c) --------------------------------------------------------------- */
/* Whether the client asked for a Table (Accept: ...;as=Table...). */
bool ksv_wants_table(const ksv_request *rq);
void ksv_get(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs);
void ksv_list(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs);

/* ---- tables (ksv_table.c) ----------------------------------------------------------------- */
/* What a Table's rows carry (the request's includeObject): nothing, the
 * object's metadata as PartialObjectMetadata (the default), the object. */
enum { KSV_INCLUDE_NONE, KSV_INCLUDE_METADATA, KSV_INCLUDE_OBJECT };
/* A Table of the given entries of t->r; rows carry what include says.
 * cont: the list's continue token ("" none). */
void ksv_table(ksv_api *api, const ksv_resource *r, const ksv_entry *const *e, size_t n,
               const char *cont, int include, ksv_response *rs);
/* The same Table appended to out (columnDefinitions null unless
 * with_columns: watch events after the first). False when memory ran out,
 * or when an entry is no longer in the simulation. */
bool ksv_table_write(ksv_api *api, const ksv_resource *r, const ksv_entry *const *e, size_t n,
                     const char *cont, int include, bool with_columns, ks_strbuf *out);

/* ---- kubesim's clock, the service proxy (ksv_clock.c, ksv_proxy.c) --------------------------- */
void ksv_clock(ksv_api *api, const ksv_request *rq, ksv_response *rs);
/* POST /kubesim/v1/nodes/NAME/ACTION (fail, recover): a machine fails or
   comes back, as a scenario's node step (ksv_clock.c). */
void ksv_node_action(ksv_api *api, const ksv_request *rq, const char *name, const char *action,
                     ksv_response *rs);
/* GET /kubesim/v1/cluster: the cni, the metrics-server addon, the ingress
   controller (ksv_clock.c). */
void ksv_cluster_shape(ksv_api *api, const ksv_request *rq, ksv_response *rs);
/* The metrics API, metrics.k8s.io/v1beta1 (ksv_metrics.c): whether it is
   there (the addon), and GET of /apis/metrics.k8s.io/v1beta1/... (n >= 4). */
bool ksv_metrics_served(const ksv_api *api);
void ksv_metrics(ksv_api *api, const ksv_request *rq, const char *const *seg, size_t n,
                 ksv_response *rs);
/* ns, service ("NAME" or "NAME:PORT"), path (after proxy, "" for /): a
   Status now, or a request in flight (rs->proxied, status 0) whose answer
   comes with ksv_proxy_answer once ksv_proxy_ready says so. */
void ksv_proxy(ksv_api *api, const ksv_request *rq, const char *ns, const char *service,
               const char *path, ksv_response *rs);
void ksv_proxy_drop_all(ksv_api *api);
/* The requests the proxy has taken in whose answer is there by now (given,
   or ready to go out): all but those still in flight in the simulation. */
uint64_t ksv_proxy_answered(const ksv_api *api);

/* ---- logs (ksv_logs.c) ------------------------------------------------------------------- */
/* GET pods/NAME/log (follow: a stream). */
void ksv_logs(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs);
/* After the simulation moved: new lines to the followed logs; ends those whose run is over. */
void ksv_logs_after_advance(ksv_api *api);

/* ---- exec (ksv_exec.c) ------------------------------------------------------------------- */
/* GET or POST pods/NAME/exec: the command run at a quiet instant, answered
   with a WebSocket upgrade (rs->upgrade), or a Status. */
void ksv_exec(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs);
/* The Status of an exec on channel 3 (remotecommand ServeExec): Success,
   NonZeroExitCode with the code, or a Failure with res->err; malloc'd JSON. */
char *ksv_exec_status(const ks_exec_result *res);
/* Appends " WORD", quoted as kubesim's kubectl reads it back. */
void ksv_exec_quote(ks_strbuf *b, const char *w);
/* stdin=true: up reads the client's stdin, and runs the command at its end
   (or a shell's lines as a terminal enters them, or as they come over v4,
   which has no end of stdin but the close); false: out of memory. */
struct ksv_upgrade;
bool ksv_exec_stdin_start(ksv_api *api, struct ksv_upgrade *up, const ks_pod *p,
                          const char *container, const char *const *argv, size_t argc,
                          bool tty, bool v4);

/* ---- writes (ksv_write.c, ksv_step.c) --------------------------------------------------- */
/* POST, PUT, PATCH and DELETE on a resource, and its scale and eviction subresources. */
void ksv_write(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs);
/* An Invalid Status (422) about object name of r: "Kind.group \"name\" is invalid: field: why". */
void ksv_invalid(ksv_response *rs, const ksv_resource *r, const char *name, const char *field,
                 const char *why);
/* Brings the store up to date (after a write), telling the watches. False: out of memory. */
bool ksv_api_sync(ksv_api *api);
/* Runs a kubectl line as a step of the run at a quiet instant and keeps it
   for --record; 0, or -1 with kubectl's last line of output in why. */
int ksv_step_line(ksv_api *api, const char *line, char *why, size_t n);
/* Runs a scenario's node step (fail, recover) at a quiet instant and keeps
   it for --record as "node NAME ACTION"; 0, or -1 (no such node: why). */
int ksv_step_node(ksv_api *api, const char *name, ks_scn_node_action action,
                  const char *verb, char *why, size_t n);
/* Runs argv in container of pod at instant at (ks_run_quiet_instant's) as
   the kubectl step line (ks_run_exec) with input as its standard input
   (NULL: none), keeping both for --record. */
void ksv_step_exec(ksv_api *api, ks_time at, const char *line, ks_id pod, const char *container,
                   const char *const *argv, size_t argc, const char *input,
                   ks_exec_result *res);
/* Checks obj with the loader, keeps it as a file of the session and runs
   `kubectl VERB -f FILE`; 0, or -1 with why (nothing ran when the loader refused it). */
int ksv_step_manifest(ksv_api *api, const char *verb, json_t *obj, char *why, size_t n);
/* obj loaded by kubesim's loader into ar (NULL with the loader's first
   error in why). */
ks_object *ksv_load_object(ks_arena *ar, json_t *obj, char *why, size_t n);
/* A Job sent back whole (update, patch): the server's selector and template
   labels taken out of m when unchanged from old, completions and the template
   checked as the API server checks a Job's update; false with the Status. */
bool ksv_job_update(ksv_api *api, const ksv_target *t, json_t *old, json_t *m,
                    ksv_response *rs);
/* A Pod sent back whole (update, patch): its spec checked as the API server
   checks a Pod's update (ValidatePodUpdate); false with the Status. changed:
   a field the API server lets change (an image, activeDeadlineSeconds, an
   added toleration) changed. */
bool ksv_pod_update(const ksv_target *t, json_t *old, json_t *new, bool *changed,
                    ksv_response *rs);
/* The request's fieldValidation on obj: Strict refuses the fields the loader
   takes for misspellings (400, the API server's strict decoding error), Warn
   (the default) says them in a Warning header, Ignore does neither. False
   with the Status in rs. */
bool ksv_fields_ok(const ksv_request *rq, const ksv_resource *r, json_t *obj, ksv_response *rs);
/* metadata.name from metadata.generateName when only that is given (a
   create); true when it made one. */
bool ksv_generate_name(ksv_api *api, const ksv_resource *r, const char *ns, json_t *obj);

#endif
