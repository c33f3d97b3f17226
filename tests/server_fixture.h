/* server_fixture.h -- a running scenario behind a ksv_api, for the server's
 * unit tests and its fuzz target: requests go straight to ksv_api_handle,
 * no sockets. No cmocka here (the fuzz target includes it too): a failure is
 * a status with its message in f->err, as libyaml keeps its error in the
 * parser; the unit tests' asserting wrappers are in server_fixture_cmocka.h. */
#ifndef KS_SERVER_FIXTURE_H
#define KS_SERVER_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ks_diag.h"
#include "ksv_api.h"
#include "load/ks_catalog.h"
#include "load/ks_scenario.h"
#include "run/ks_runner.h"

typedef struct srv_fixture {
    ks_arena *ar;
    ks_diags d;
    ks_scenario *sc;
    const ks_catalog *cat;
    ks_run *run;
    ksv_api *api;
    ksv_response rs;
    char session[64];         /* objects written through the API (a temporary folder) */
    const char *content_type; /* of the next srv_request's body (NULL: application/json) */
    const char *host;         /* the Host header of each srv_request (NULL: none) */
    const char *upgrade, *ws_key, *ws_protocol;   /* Upgrade, Sec-WebSocket-Key, -Protocol */
    ks_time latency;          /* a proxied request's, as the test waited for it */
    ks_error err;             /* why the last srv_fixture_* call failed */
} srv_fixture;

/* A pod that crash-loops, a Deployment of 2 behind a NodePort Service. */
static const char srv_fixture_scenario[] =
    "apiVersion: kubesim/v1\n"
    "kind: Scenario\n"
    "metadata: {name: server-fixture}\n"
    "spec:\n"
    "  duration: 10m\n"
    "  manifests:\n"
    "    - inline: |\n"
    "        apiVersion: v1\n"
    "        kind: Pod\n"
    "        metadata: {name: flaky, labels: {app: flaky}}\n"
    "        spec:\n"
    "          containers:\n"
    "            - {name: app, image: busybox:1.36, command: [sh, -c, \"sleep 5; exit 1\"]}\n"
    "        ---\n"
    "        apiVersion: apps/v1\n"
    "        kind: Deployment\n"
    "        metadata: {name: web}\n"
    "        spec:\n"
    "          replicas: 2\n"
    "          selector: {matchLabels: {app: web}}\n"
    "          template:\n"
    "            metadata: {labels: {app: web}}\n"
    "            spec:\n"
    "              containers: [{name: nginx, image: nginx:1.25, ports: [{containerPort: 80}]}]\n"
    "        ---\n"
    "        apiVersion: v1\n"
    "        kind: Service\n"
    "        metadata: {name: web}\n"
    "        spec:\n"
    "          type: NodePort\n"
    "          selector: {app: web}\n"
    "          ports: [{port: 80, nodePort: 31000}]\n";

static inline void srv_fixture_fini(srv_fixture *f);

/* Fails the fixture's init: the message (with the loader's first
 * diagnostic, if any) in f->err, what was made freed. Returns code. */
static inline int srv_fixture_fail(srv_fixture *f, int code, const char *what)
{
    char diag[600] = "";
    ks_error err;
    if (f->d.n > 0)
        ks_diag_format(&f->d, 0, diag, sizeof diag);
    srv_fixture_fini(f);
    ks_error_set(&err, code, KS_MARK_NONE, "server fixture: %s%s%s", what,
                 diag[0] ? ": " : "", diag);
    f->err = err;
    return code;
}

/* Makes f: the fixture scenario run to time 0 behind an API whose session
 * folder is a new temporary folder. Returns KS_OK, or a code with the
 * message in f->err and nothing left to free. */
static inline int srv_fixture_init(srv_fixture *f, const char *assets_dir)
{
    char path[600];
    ks_run_options ro;
    ks_catalog *cat;
    const char *tmp = getenv("TMPDIR");
    ksv_api_config cfg;
    memset(f, 0, sizeof *f);
    ksv_response_init(&f->rs);
    ks_diags_init(&f->d);
    if (!(f->ar = ks_arena_create(NULL)))
        return srv_fixture_fail(f, KS_ENOMEM, "no memory for the arena");
    snprintf(path, sizeof path, "%s/images.yaml", assets_dir);
    if (ks_catalog_load_file(f->ar, path, &cat, &f->d) != KS_OK)
        return srv_fixture_fail(f, KS_EIO, "the image catalog did not load");
    f->cat = cat;
    if (ks_scenario_parse(f->ar, "fixture.yaml", srv_fixture_scenario,
                          sizeof srv_fixture_scenario - 1, &f->sc, &f->d) != KS_OK)
        return srv_fixture_fail(f, KS_EINTERNAL, "the fixture scenario did not parse");
    memset(&ro, 0, sizeof ro);
    ro.no_fingerprint = true;
    if (!(f->run = ks_run_create(f->sc, f->cat, &ro, &f->d)))
        return srv_fixture_fail(f, KS_EINTERNAL, "the fixture scenario did not start");
    ks_run_advance(f->run, 0);
    snprintf(f->session, sizeof f->session, "%s/ksv_fixture.XXXXXX",
             tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(f->session)) {
        f->session[0] = '\0';
        return srv_fixture_fail(f, KS_EIO, "no temporary session folder (mkdtemp failed)");
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.session_dir = cfg.session_rel = f->session;
    if (!(f->api = ksv_api_create(f->run, &cfg)))
        return srv_fixture_fail(f, KS_ENOMEM, "no memory for the API");
    return KS_OK;
}

static inline void srv_fixture_fini(srv_fixture *f)
{
    DIR *dir = f->session[0] ? opendir(f->session) : NULL;
    struct dirent *de;
    while (dir && (de = readdir(dir)) != NULL) {
        char path[400];
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", f->session, de->d_name);
        unlink(path);
    }
    if (dir) {
        closedir(dir);
        rmdir(f->session);
    }
    ksv_response_fini(&f->rs);
    ksv_api_destroy(f->api);
    ks_run_destroy(f->run);
    ks_arena_destroy(f->ar);
}

/* One request: "GET /api/v1/pods?limit=1" (the query split off and not
 * decoded), accept may be NULL, body (body_len bytes, NUL or not) too.
 * Returns the status, the body in f->rs; or -1, the message in f->err, when
 * the request does not fit the fixture (a target of 2048 bytes or more, more
 * than KSV_MAX_PARAMS parameters): it is not sent, rather than cut short. */
static inline int srv_fixture_request_n(srv_fixture *f, const char *method,
                                        const char *target, const char *accept,
                                        const char *body, size_t body_len)
{
    static char path[2048], query[2048];
    ksv_request rq;
    char *q, *save = NULL, *kv;
    memset(&rq, 0, sizeof rq);
    if (strlen(target) >= sizeof path) {
        ks_error_set(&f->err, KS_ELIMIT, KS_MARK_NONE,
                     "server fixture: a target of %zu bytes (at most %zu)",
                     strlen(target), sizeof path - 1);
        return -1;
    }
    snprintf(path, sizeof path, "%s", target);
    query[0] = '\0';
    if ((q = strchr(path, '?')) != NULL) {
        *q = '\0';
        snprintf(query, sizeof query, "%s", q + 1);
    }
    for (kv = strtok_r(query, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (rq.nparams == KSV_MAX_PARAMS) {
            ks_error_set(&f->err, KS_ELIMIT, KS_MARK_NONE,
                         "server fixture: more than %d query parameters", KSV_MAX_PARAMS);
            return -1;
        }
        if (eq)
            *eq = '\0';
        rq.params[rq.nparams].key = kv;
        rq.params[rq.nparams++].value = eq ? eq + 1 : "";
    }
    rq.method = method;
    rq.path = path;
    rq.accept = accept;
    rq.body = body;
    rq.body_len = body ? body_len : 0;
    rq.content_type = body ? (f->content_type ? f->content_type : "application/json") : NULL;
    rq.host = f->host;
    rq.upgrade = f->upgrade;
    rq.ws_key = f->ws_key;
    rq.ws_protocol = f->ws_protocol;
    ksv_response_fini(&f->rs);
    ksv_response_init(&f->rs);
    ksv_api_handle(f->api, &rq, &f->rs);
    return f->rs.status;
}

#endif
