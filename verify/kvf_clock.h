/* kvf_clock.h -- the scenario's time on a cluster. On a real cluster it is
 * wall time x speed since the start (a lesson's 2 minutes take 2 minutes
 * at 1x). Against `kubesim serve`, whose clock endpoint
 * (GET/PUT /kubesim/v1/clock: {"paused", "runTo", "nowMicros"}) answers,
 * it is the server's simulated clock, stepped: each advance asks the server
 * to run to that instant and waits until it is there, so what verify sees
 * does not depend on how fast the machine is.
 * Depends on: kvf_client, sim/core (ks_time).
 */
#ifndef KVF_CLOCK_H
#define KVF_CLOCK_H

#include <stdbool.h>

#include "core/ks_time.h"
#include "kvf_client.h"

typedef struct kvf_clock kvf_clock;

/* A clock for the cluster behind c (borrowed): stepped when the server has
 * the clock endpoint (and wall is false), else wall time x speed. Time 0 is
 * now (stepped: the server's clock now, unless from_zero: its 0s, for a
 * scenario the server itself runs). how says which, in words. NULL when
 * out of memory, or when the clock endpoint answered but failed (why). */
kvf_clock *kvf_clock_create(kvf_client *c, double speed, bool wall, bool from_zero, char *how,
                            size_t n);
void kvf_clock_destroy(kvf_clock *k);
bool kvf_clock_stepped(const kvf_clock *k);
/* Whether the server is kubesim serve (its clock endpoint answered, even
 * when wall time is kept). */
bool kvf_clock_kubesim(const kvf_clock *k);

/* Waits until the scenario's time t (no-op when it is past). Returns 0, or
 * -1 with why (the server stopped answering or refused to run to t). */
int kvf_clock_advance(kvf_clock *k, ks_time t, char *why, size_t n);
/* The scenario's time now. */
ks_time kvf_clock_now(kvf_clock *k);

/* Stepped: waits (at most timeout_ms) until the server has taken in n
 * requests through its service proxy since the clock was made (kubesim
 * serve's clock says how many: "proxyRequests"), so that none of them
 * comes in after the clock moved past the instant it was sent at. true at
 * once when the clock is not stepped or the server does not say. */
bool kvf_clock_await_proxied(kvf_clock *k, uint64_t n, int timeout_ms);

/* Stepped: how many of the requests taken in since the clock was made
 * have their answer by the server's now (kubesim serve's clock says:
 * "proxyAnswered"; the others are still in flight in the simulation), so
 * that a client counts its answers once that many have come. -1 when the
 * clock is not stepped or the server does not say. */
long long kvf_clock_proxy_answered(kvf_clock *k);

/* The endpoint's answer, parsed: {"paused":true,"runTo":null,"nowMicros":12}.
 * Returns 0, or -1 when body is not that. (For the unit tests.) */
int kvf_clock_parse(const char *body, size_t len, bool *paused, ks_time *now);

#endif
