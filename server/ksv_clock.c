/* ksv_clock.c -- kubesim's own control endpoint, for clients that step
 * simulated time deterministically (kubesim verify, tests):
 *   GET /kubesim/v1/clock   {"speed": x, "paused": bool, "runTo": micros,
 *                            "nowMicros": micros}
 *   PUT /kubesim/v1/clock   {"paused": bool, "runTo": micros, "speed": x} (each optional)
 * "paused": true stops the pacing to the wall clock (kubesim serve
 * --paused starts so); false resumes it from the simulated now. "speed":
 * simulated seconds per wall second, 0.25 to 64 (serve --speed; the
 * window's - and + keys set it too, and its Space pauses). "runTo":
 * the simulation runs to that instant (microseconds of simulated time)
 * before the answer, which then says nowMicros == runTo (clamped to the
 * run's end); earlier than now is 422. GET's runTo is the last instant run
 * to (0: none). Both answers also say "proxyRequests": how many requests
 * the service proxy has taken in so far, so a client that sent some knows
 * the server has them before it moves the clock past them; and
 * "proxyAnswered": how many of them have their answer by the simulated now
 * (given, or going out: the rest are still in flight in the simulation),
 * so a client knows how many answers to wait for before it counts them. The same bearer
 * token as the Kubernetes API.
 *   POST /kubesim/v1/nodes/NAME/fail | recover   a machine fails or comes back
 *   GET /kubesim/v1/cluster   what the API does not say of the cluster's make:
 *       {"cni": "calico", "networkPolicy": true, "metricsServer": true,
 *        "ingressController": "nginx"} (spec.cluster, or serve --cluster) */
#include <stdio.h>
#include <string.h>

#include "ksv_body.h"
#include "ksv_internal.h"

static void reply(ksv_api *api, ksv_response *rs)
{
    json_t *o = json_object();
    json_object_set_new(o, "speed", json_real(api->ctx.speed));
    ksv_set_int(o, "proxyRequests", (int64_t)api->proxy_requests);
    ksv_set_int(o, "proxyAnswered", (int64_t)ksv_proxy_answered(api));
    ksv_set_bool(o, "paused", api->paused);
    ksv_set_int(o, "runTo", api->run_to);
    ksv_set_int(o, "nowMicros", ks_now(api->sim));
    ksv_reply_json(rs, 200, o);
}

void ksv_clock(ksv_api *api, const ksv_request *rq, ksv_response *rs)
{
    json_t *body, *paused, *to, *speed;
    char err[600];
    if (strcmp(rq->method, "GET") == 0) {
        reply(api, rs);
        return;
    }
    if (strcmp(rq->method, "PUT") != 0) {
        ksv_fail(rs, 405, "MethodNotAllowed", "the clock is read with GET and set with PUT");
        return;
    }
    if (!(body = ksv_body_decode(rq->body, rq->body_len, false, err, sizeof err))) {
        ksv_fail(rs, 400, "BadRequest", "%s", err);
        return;
    }
    paused = json_object_get(body, "paused");
    to = json_object_get(body, "runTo");
    speed = json_object_get(body, "speed");
    if (!json_is_object(body) || (paused && !json_is_boolean(paused))
        || (to && !json_is_integer(to)) || (speed && !json_is_number(speed))) {
        ksv_fail(rs, 400, "BadRequest", "the clock is {\"paused\": true|false, \"runTo\": "
                 "MICROSECONDS, \"speed\": X} (each optional)");
    } else if (speed && !(json_number_value(speed) >= KSV_SPEED_MIN
                          && json_number_value(speed) <= KSV_SPEED_MAX)) {
        ksv_fail(rs, 422, "Invalid", "speed %g: the clock runs at 0.25 to 64 simulated seconds "
                 "a wall second", json_number_value(speed));
    } else if (to && json_integer_value(to) < ks_now(api->sim)) {
        ksv_fail(rs, 422, "Invalid", "runTo %lld is before now (%lld): simulated time only "
                 "moves forward", (long long)json_integer_value(to),
                 (long long)ks_now(api->sim));
    } else {
        ksv_api_set_clock(api, paused ? json_is_true(paused) : api->paused,
                          speed ? json_number_value(speed) : api->ctx.speed);
        if (to) {
            ks_time t = json_integer_value(to), end = ks_run_end(api->run);
            if (t > end)
                t = end;
            while (ks_now(api->sim) < t && !ks_run_done(api->run)
                   && ks_sim_status(api->sim) == KS_OK)
                ks_run_advance(api->run, t);
            api->run_to = ks_now(api->sim);
            api->dirty = true;
            api->clock_gen++;
        }
        reply(api, rs);
    }
    json_decref(body);
}

/* POST /kubesim/v1/nodes/NAME/fail | recover: what a scenario's `node:`
 * step does -- the machine goes down (its kubelet stops reporting: the node
 * controller marks it NotReady after 40 s and its pods are evicted 5 minutes
 * later) or comes back. The API has no such verb (a real machine fails by
 * itself), so it is kubesim's own, for clients that test against serve
 * (kubesim verify turns a scenario's node failure into it). The answer:
 * {"node": NAME, "action": ACTION, "atMicros": T}. Kept for --record as the
 * timeline's node step. */
void ksv_node_action(ksv_api *api, const ksv_request *rq, const char *name, const char *action,
                     ksv_response *rs)
{
    ks_scn_node_action a;
    char why[400];
    json_t *o;
    if (strcmp(action, "fail") == 0)
        a = KS_SCN_NODE_FAIL;
    else if (strcmp(action, "recover") == 0)
        a = KS_SCN_NODE_RECOVER;
    else {
        ksv_fail(rs, 404, "NotFound", "a node's actions are fail and recover (cordon, uncordon "
                 "and drain go through the API, as kubectl does them), not '%s'", action);
        return;
    }
    if (strcmp(rq->method, "POST") != 0) {
        ksv_fail(rs, 405, "MethodNotAllowed", "a node %s is a POST", action);
        return;
    }
    if (ksv_step_node(api, name, a, action, why, sizeof why) != 0) {
        ksv_fail(rs, 404, "NotFound", "%s", why);
        return;
    }
    o = json_object();
    ksv_set_str(o, "node", name);
    ksv_set_str(o, "action", action);
    ksv_set_int(o, "atMicros", ks_now(api->sim));
    ksv_reply_json(rs, 200, o);
}

void ksv_cluster_shape(ksv_api *api, const ksv_request *rq, ksv_response *rs)
{
    const ks_scenario *sc = ks_run_scenario(api->run);
    json_t *o;
    if (strcmp(rq->method, "GET") != 0) {
        ksv_fail(rs, 405, "MethodNotAllowed", "the cluster's make is read with GET");
        return;
    }
    o = json_object();
    ksv_set_str(o, "cni", sc->cni ? sc->cni : "auto");
    ksv_set_bool(o, "networkPolicy", sc->network_policy);
    ksv_set_bool(o, "metricsServer", sc->metrics_server);
    ksv_set_str(o, "ingressController", sc->ingress_nginx ? "nginx" : "none");
    ksv_reply_json(rs, 200, o);
}

bool ksv_api_paused(const ksv_api *api, unsigned *gen)
{
    if (gen)
        *gen = api->clock_gen;
    return api->paused;
}

double ksv_api_speed(const ksv_api *api)
{
    return api->ctx.speed;
}

void ksv_api_set_clock(ksv_api *api, bool paused, double speed)
{
    if (speed < KSV_SPEED_MIN || speed > KSV_SPEED_MAX)
        speed = speed < KSV_SPEED_MIN ? KSV_SPEED_MIN : KSV_SPEED_MAX;
    if (paused == api->paused && speed == api->ctx.speed)
        return;
    api->paused = paused;
    api->ctx.speed = speed;      /* the time map starts a segment at it (ksv_time.c) */
    api->clock_gen++;
}
