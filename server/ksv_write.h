/* ksv_write.h -- what the modules of the API's writes share: ksv_write.c
 * (create, the routing of every write, and these helpers), ksv_update.c
 * (update and patch), ksv_delete.c (delete, deletecollection, eviction),
 * ksv_scale.c (the scale subresource). A write is run as kubectl steps of
 * the run (ksv_step.c); each answers with the object as the store then
 * holds it, or a Status. */
#ifndef KSV_WRITE_H
#define KSV_WRITE_H

#include "ksv_internal.h"

/* ---- the jobs (ksv_write routes to them) ---- */
void ksv_update(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *obj,
                ksv_response *rs);
void ksv_patch(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *body,
               ksv_response *rs);
/* eviction: opts is the Eviction, answered with a Status of success */
void ksv_delete_one(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *opts,
                    bool eviction, ksv_response *rs);
void ksv_delete_collection(ksv_api *api, const ksv_request *rq, const ksv_target *t,
                           ksv_response *rs);
void ksv_scale(ksv_api *api, const ksv_request *rq, const ksv_target *t, json_t *body,
               ksv_response *rs);

/* ---- shared by them (ksv_write.c) ---- */
/* The object's JSON from the store, as a new reference (NULL: not there). */
json_t *ksv_wr_live(ksv_api *api, const ksv_target *t);
/* Replies with the object now in the store (code), or with fallback (stolen). */
void ksv_wr_reply(ksv_api *api, const ksv_resource *r, const char *ns, const char *name,
                  int code, json_t *fallback, ksv_response *rs);
/* dryRun=All */
bool ksv_wr_dry_run(const ksv_request *rq);
/* Fills apiVersion, kind and namespace when missing; false with a Status
   when the body names another kind, namespace or name. */
bool ksv_wr_check_body(const ksv_target *t, json_t *obj, const char *name, ksv_response *rs);
/* Takes out what the API server adds and a manifest does not hold. */
void ksv_wr_clean(json_t *obj);
/* Runs the manifest obj as `kubectl VERB -f FILE`; false with a Status. */
bool ksv_wr_manifest(ksv_api *api, const ksv_resource *r, const char *verb, json_t *obj,
                     ksv_response *rs);
/* Runs one kubectl line; false with a 422 Status (its output) in rs. */
bool ksv_wr_line(ksv_api *api, const ksv_resource *r, const char *name, const char *line,
                 ksv_response *rs);
/* Whether s can go on a kubectl line as one word. */
bool ksv_wr_word_ok(const char *s);
/* " -n NS" for a namespaced target, else "". */
void ksv_wr_ns_flag(const ksv_target *t, char *buf, size_t n);
/* o[keys[0]][keys[1]]..., or NULL. */
json_t *ksv_wr_path_get(json_t *o, const char *const *keys);

#endif
