/* kvf_clock.c -- wall time x speed, or kubesim serve's clock, stepped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "kvf_clock.h"

#define CLOCK_PATH "/kubesim/v1/clock"
#define STEP_WAIT_MS 20           /* between two readings of the server's clock */
#define STALL_READINGS 1500       /* 30 s of a clock that does not move: it will not */

struct kvf_clock {
    kvf_client *c;
    double speed;
    bool stepped;
    bool kubesim;                 /* the server answered kubesim's clock */
    double wall0;                 /* wall seconds at time 0 */
    ks_time base;                 /* the server's clock at time 0 */
    ks_time known;                /* the server's clock as last read: paused, only we move it */
    long long proxied0;           /* its proxyRequests at time 0 (-1: it does not say) */
    long long answered0;          /* its proxyAnswered at time 0 (-1: it does not say) */
};

/* The count named key ("proxyRequests") of the clock's answer, or -1. */
static long long count_of(const char *body, size_t len, const char *key)
{
    json_t *j = body ? json_loadb(body, len, 0, NULL) : NULL;
    json_t *p = json_object_get(j, key);
    long long n = json_is_integer(p) ? (long long)json_integer_value(p) : -1;
    json_decref(j);
    return n;
}

/* The monotonic clock in seconds (kvf_now_ms). */
static double wall_now(void)
{
    return kvf_now_ms() / 1e3;
}

static void sleep_s(double s)
{
    struct timespec ts;
    if (s <= 0)
        return;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int kvf_clock_parse(const char *body, size_t len, bool *paused, ks_time *now)
{
    json_t *j = body ? json_loadb(body, len, 0, NULL) : NULL;
    json_t *p = json_object_get(j, "paused"), *n = json_object_get(j, "nowMicros");
    int rc = -1;
    if (json_is_boolean(p) && json_is_integer(n) && json_integer_value(n) >= 0) {
        *paused = json_is_true(p);
        *now = (ks_time)json_integer_value(n);
        rc = 0;
    }
    json_decref(j);
    return rc;
}

/* GET the server's clock (*proxied, *answered: its proxyRequests and
 * proxyAnswered, -1 when it does not say; either may be NULL). 0, or -1
 * (why). */
static int read_clock_p(kvf_clock *k, ks_time *now, long long *proxied, long long *answered,
                        char *why, size_t n)
{
    kvf_response r;
    bool paused;
    int rc = -1;
    if (kvf_client_request(k->c, "GET", CLOCK_PATH, NULL, NULL, 0, &r) == 0 && r.status == 200
        && kvf_clock_parse(r.body, r.len, &paused, now) == 0) {
        rc = 0;
        if (proxied)
            *proxied = count_of(r.body, r.len, "proxyRequests");
        if (answered)
            *answered = count_of(r.body, r.len, "proxyAnswered");
    }
    else if (r.status == 200)
        snprintf(why, n, "GET %s: the answer is not {\"paused\", \"nowMicros\"}", CLOCK_PATH);
    else
        kvf_response_why(&r, why, n);
    kvf_response_fini(&r);
    return rc;
}

static int read_clock(kvf_clock *k, ks_time *now, char *why, size_t n)
{
    return read_clock_p(k, now, NULL, NULL, why, n);
}

kvf_clock *kvf_clock_create(kvf_client *c, double speed, bool wall, bool from_zero, char *how,
                            size_t n)
{
    kvf_clock *k = calloc(1, sizeof *k);
    ks_time now = 0;
    char why[300];
    if (!k) {
        snprintf(how, n, "out of memory");
        return NULL;
    }
    k->c = c;
    k->speed = speed > 0 ? speed : 1;
    k->wall0 = wall_now();
    k->kubesim = read_clock_p(k, &now, &k->proxied0, &k->answered0, why, sizeof why) == 0;
    if (!k->kubesim)
        k->proxied0 = k->answered0 = -1;
    if (!wall && k->kubesim) {
        char body[64];
        kvf_response r;
        /* pause it: from now on it moves only when we say */
        snprintf(body, sizeof body, "{\"paused\":true}");
        kvf_client_request(c, "PUT", CLOCK_PATH, "application/json", body, strlen(body), &r);
        if (r.status < 200 || r.status >= 300) {
            kvf_response_why(&r, how, n);
            kvf_response_fini(&r);
            free(k);
            return NULL;
        }
        kvf_response_fini(&r);
        k->stepped = true;
        k->base = from_zero ? 0 : now;
        k->known = now;
        snprintf(how, n, "kubesim serve's clock, stepped (%s%s)", CLOCK_PATH,
                 from_zero ? ", from its 0s" : "");
    } else {
        snprintf(how, n, "wall time x %g", k->speed);
    }
    return k;
}

void kvf_clock_destroy(kvf_clock *k)
{
    free(k);
}

bool kvf_clock_stepped(const kvf_clock *k)
{
    return k->stepped;
}

bool kvf_clock_kubesim(const kvf_clock *k)
{
    return k->kubesim;
}

ks_time kvf_clock_now(kvf_clock *k)
{
    ks_time now;
    char why[300];
    if (k->stepped)
        return read_clock(k, &now, why, sizeof why) == 0 ? now - k->base : 0;
    return (ks_time)((wall_now() - k->wall0) * k->speed * KS_SEC);
}

bool kvf_clock_await_proxied(kvf_clock *k, uint64_t n, int timeout_ms)
{
    double end = wall_now() + timeout_ms / 1000.0;
    char why[300];
    ks_time now;
    long long seen;
    if (!k->stepped || k->proxied0 < 0 || n == 0)
        return true;
    while (read_clock_p(k, &now, &seen, NULL, why, sizeof why) == 0 && seen >= 0) {
        if ((unsigned long long)(seen - k->proxied0) >= n)
            return true;
        if (wall_now() > end)
            return false;
        sleep_s(0.002);
    }
    return false;
}

long long kvf_clock_proxy_answered(kvf_clock *k)
{
    char why[300];
    ks_time now;
    long long answered;
    if (!k->stepped || k->answered0 < 0
        || read_clock_p(k, &now, NULL, &answered, why, sizeof why) != 0 || answered < 0)
        return -1;
    return answered - k->answered0;
}

int kvf_clock_advance(kvf_clock *k, ks_time t, char *why, size_t n)
{
    char body[96];
    kvf_response r;
    ks_time now;
    if (!k->stepped) {
        sleep_s(k->wall0 + (double)t / KS_SEC / k->speed - wall_now());
        return 0;
    }
    if (k->known >= k->base + t)
        return 0;                 /* there already: no request (traffic asks this often) */
    snprintf(body, sizeof body, "{\"runTo\":%lld}", (long long)(k->base + t));
    if (kvf_client_request(k->c, "PUT", CLOCK_PATH, "application/json", body, strlen(body), &r)
            == 0 && r.status == 422) {
        /* before the server's now: a proxied request ran it past t */
        kvf_response_fini(&r);
        if (read_clock(k, &now, why, n) != 0)
            return -1;
        k->known = now;
        if (now >= k->base + t)
            return 0;
        snprintf(why, n, "the server refused to run its clock to %lld us (it is at %lld us)",
                 (long long)(k->base + t), (long long)now);
        return -1;
    }
    if (r.status < 200 || r.status >= 300) {
        kvf_response_why(&r, why, n);
        kvf_response_fini(&r);
        return -1;
    }
    now = k->known;
    /* kubesim serve runs there before it answers, and says where it
     * stopped: short of t when its run ends first (serve --until, or the
     * end of the scenario it runs), clamped there: it will never get to t */
    {
        bool paused;
        ks_time reached;
        if (kvf_clock_parse(r.body, r.len, &paused, &reached) == 0) {
            kvf_response_fini(&r);
            k->known = reached;
            if (reached >= k->base + t)
                return 0;
            snprintf(why, n, "the server's simulation ends at %.1fs and does not run to %.1fs "
                     "(was it started with --until, or does its scenario end earlier?)",
                     (double)(reached - k->base) / KS_SEC, (double)t / KS_SEC);
            return -1;
        }
    }
    kvf_response_fini(&r);
    /* an answer without the clock: wait until the server is there (each
     * reading is an answered request: a dead server ends this) */
    {
        ks_time last = now;
        int still = 0;
        while (read_clock(k, &now, why, n) == 0) {
            if (now >= k->base + t)
                return 0;
            still = now == last ? still + 1 : 0;
            last = now;
            if (still >= STALL_READINGS) {
                snprintf(why, n, "the server's clock stays at %lld us and does not run to "
                         "%lld us (was it started with --until before the scenario's end?)",
                         (long long)now, (long long)(k->base + t));
                return -1;
            }
            sleep_s(STEP_WAIT_MS / 1000.0);
        }
    }
    return -1;
}
