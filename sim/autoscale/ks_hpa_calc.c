/* ks_hpa_calc.c -- the HorizontalPodAutoscaler's arithmetic, step for step
 * as kube-controller-manager does it:
 *   - replica_calculator.go GetResourceReplicas / calcPlainMetricReplicas:
 *     pods grouped (groupPods) into ready, ignored (Pending; for CPU, not
 *     ready yet or started < 5 min ago with a metric from before it became
 *     ready) and missing (no metric); desired = ceil(ratio x ready pods)
 *     unless |1 - ratio| <= 0.1; with missing or ignored pods the ratio is
 *     computed again with missing pods at 100 % of their request when
 *     scaling down and 0 % when scaling up (ignored pods at 0 % on a scale
 *     up), and the change is dropped when it would flip direction;
 *   - metrics/utilization.go: utilization = (sum usage x 100) / sum
 *     requests, in integers, over the pods with a metric;
 *   - horizontal.go stabilizeRecommendation (no behavior: the highest
 *     recommendation of the last 5 min), convertDesiredReplicasWithRules
 *     (min/max, scale-up limit max(2 x current, 4)), and with a behavior
 *     stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehavior
 *     Rate, calculateScaleUp/DownLimit..., storeScaleEvent.
 * Times compare as the Go code does (Before/After are strict), so a
 * recommendation exactly one window old still counts without a behavior
 * and does not with one.
 */
#include "ks_hpa.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the replica calculator ---------------------------------------------------- */
enum { READY, IGNORED, MISSING, SKIPPED };

/* groupPods */
static int group(const ks_hpa_pod *p, bool cpu, ks_time now)
{
    bool ignore;
    if (p->gone)
        return SKIPPED;
    if (p->pending)
        return IGNORED;
    if (!p->has_metric)
        return MISSING;
    if (!cpu)
        return READY;
    if (!p->started)
        ignore = true;
    else if (p->start + KS_HPA_CPU_INIT > now)
        /* still initializing: unready, or no whole window since it changed */
        ignore = !p->ready || p->metric_at < p->ready_changed + p->window;
    else
        /* unready and never ready since it started */
        ignore = !p->ready && p->start + KS_HPA_READINESS_DELAY > p->ready_changed;
    return ignore ? IGNORED : READY;
}

typedef struct tally {
    size_t ready, ignored, missing, nmetrics;
} tally;

static tally count(const ks_hpa_pod *pods, size_t n, bool cpu, ks_time now, int *groups)
{
    tally t = {0, 0, 0, 0};
    size_t i;
    for (i = 0; i < n; i++) {
        groups[i] = group(&pods[i], cpu, now);
        t.ready += groups[i] == READY;
        t.ignored += groups[i] == IGNORED;
        t.missing += groups[i] == MISSING;
        /* the metrics left after removeMetricsForPods(ignored) */
        t.nmetrics += pods[i].has_metric && groups[i] != IGNORED;
    }
    return t;
}

/* value of pod i in the second pass: its metric, or what stands in for it */
static bool second_value(const ks_hpa_pod *p, int g, double ratio, bool rebalance,
                         int64_t missing_down, int64_t *v)
{
    if (g == MISSING && ratio < 1.0) {
        *v = missing_down;
        return true;
    }
    if (g == MISSING && ratio > 1.0) {
        *v = 0;
        return true;
    }
    if (g == IGNORED && rebalance) {
        *v = 0;
        return true;
    }
    if (p->has_metric && g != IGNORED && g != MISSING) {
        *v = p->metric;
        return true;
    }
    return false;
}

/* GetResourceUtilizationRatio over the pods whose values are in v[] */
static bool utilization(const ks_hpa_pod *pods, size_t n, const bool *in, const int64_t *v,
                        int32_t target, double *ratio, int32_t *util)
{
    int64_t used = 0, requested = 0;
    size_t i;
    for (i = 0; i < n; i++)
        if (in[i]) {
            used += v[i];
            requested += pods[i].request;
        }
    if (requested <= 0)
        return false;
    *util = (int32_t)(used * 100 / requested);
    *ratio = (double)*util / (double)target;
    return true;
}

#define MAX_PODS 4096

bool ks_hpa_resource_replicas(const ks_hpa_pod *pods, size_t n, int32_t current,
                              int32_t target, bool cpu, ks_time now, ks_hpa_calc *out)
{
    int groups[MAX_PODS];
    bool in[MAX_PODS];
    int64_t v[MAX_PODS];
    double ratio, ratio2;
    int32_t util, util2;
    size_t i, nvals = 0;
    bool rebalance;
    tally t;
    memset(out, 0, sizeof *out);
    if (n == 0) {
        out->error = "no pods returned by selector while calculating replica count";
        return false;
    }
    if (n > MAX_PODS)
        n = MAX_PODS;
    t = count(pods, n, cpu, now, groups);
    for (i = 0; i < n; i++)
        if (pods[i].request < 0) {
            /* calculatePodRequests */
            snprintf(out->msg, sizeof out->msg, "missing request for %s in container %s of Pod %s",
                     cpu ? "cpu" : "memory", pods[i].missing ? pods[i].missing : "",
                     pods[i].name ? pods[i].name : "");
            out->error = out->msg;
            return false;
        }
    if (t.nmetrics == 0) {
        out->error = "did not receive metrics for any ready pods";
        return false;
    }
    for (i = 0; i < n; i++) {
        in[i] = pods[i].has_metric && groups[i] != IGNORED;
        v[i] = pods[i].metric;
        if (in[i])
            out->raw += pods[i].metric;
    }
    if (!utilization(pods, n, in, v, target, &ratio, &util)) {
        out->error = "no metrics returned matched known pods";
        return false;
    }
    out->utilization = util;
    out->raw /= (int64_t)t.nmetrics;
    rebalance = t.ignored > 0 && ratio > 1.0;
    if (!rebalance && t.missing == 0) {
        out->replicas = fabs(1.0 - ratio) <= KS_HPA_TOLERANCE
                            ? current
                            : (int32_t)ceil(ratio * (double)t.ready);
        return true;
    }
    for (i = 0; i < n; i++) {
        in[i] = second_value(&pods[i], groups[i], ratio, rebalance, pods[i].request, &v[i]);
        nvals += in[i];
    }
    if (!utilization(pods, n, in, v, target, &ratio2, &util2)) {
        out->replicas = current;
        return true;
    }
    if (fabs(1.0 - ratio2) <= KS_HPA_TOLERANCE || (ratio < 1.0 && ratio2 > 1.0)
        || (ratio > 1.0 && ratio2 < 1.0)) {
        out->replicas = current;
        return true;
    }
    out->replicas = (int32_t)ceil(ratio2 * (double)nvals);
    if ((ratio2 < 1.0 && out->replicas > current) || (ratio2 > 1.0 && out->replicas < current))
        out->replicas = current;
    return true;
}

bool ks_hpa_raw_replicas(const ks_hpa_pod *pods, size_t n, int32_t current, int64_t target,
                         bool cpu, ks_time now, ks_hpa_calc *out)
{
    int groups[MAX_PODS];
    int64_t sum = 0, val;
    double ratio, ratio2;
    size_t i, nvals = 0;
    bool rebalance;
    tally t;
    memset(out, 0, sizeof *out);
    if (n == 0) {
        out->error = "no pods returned by selector while calculating replica count";
        return false;
    }
    if (n > MAX_PODS)
        n = MAX_PODS;
    t = count(pods, n, cpu, now, groups);
    if (t.nmetrics == 0) {
        out->error = "did not receive metrics for any ready pods";
        return false;
    }
    for (i = 0; i < n; i++)
        if (pods[i].has_metric && groups[i] != IGNORED)
            sum += pods[i].metric;
    out->raw = sum / (int64_t)t.nmetrics;                  /* GetMetricUtilizationRatio */
    ratio = (double)sum / (double)t.nmetrics / (double)target;
    rebalance = t.ignored > 0 && ratio > 1.0;
    if (!rebalance && t.missing == 0) {
        out->replicas = fabs(1.0 - ratio) <= KS_HPA_TOLERANCE
                            ? current
                            : (int32_t)ceil(ratio * (double)t.ready);
        return true;
    }
    sum = 0;
    for (i = 0; i < n; i++) {
        /* plain metrics: a missing pod on a scale-down counts at the target
           (and on any other ratio at 0: the code's else branch) */
        if (groups[i] == MISSING) {
            sum += ratio < 1.0 ? target : 0;
            nvals++;
        } else if (second_value(&pods[i], groups[i], ratio, rebalance, target, &val)) {
            sum += val;
            nvals++;
        }
    }
    ratio2 = (double)sum / (double)nvals / (double)target;
    if (fabs(1.0 - ratio2) <= KS_HPA_TOLERANCE || (ratio < 1.0 && ratio2 > 1.0)
        || (ratio > 1.0 && ratio2 < 1.0)) {
        out->replicas = current;
        return true;
    }
    out->replicas = (int32_t)ceil(ratio2 * (double)nvals);
    return true;
}

/* ---- normalization ------------------------------------------------------------------ */
static int32_t max32(int32_t a, int32_t b) { return a >= b ? a : b; }
static int32_t min32(int32_t a, int32_t b) { return a <= b ? a : b; }

/* appends, or replaces the slot at old when one was found */
static void put(ks_hpa_stamped *list, size_t *n, bool found, size_t old, ks_hpa_stamped s)
{
    if (found)
        list[old] = s;
    else if (*n < KS_HPA_HISTORY)
        list[(*n)++] = s;
    else {                                     /* full: the oldest goes */
        memmove(list, list + 1, (KS_HPA_HISTORY - 1) * sizeof *list);
        list[KS_HPA_HISTORY - 1] = s;
    }
}

void ks_hpa_record_initial(ks_hpa_history *h, int32_t current, ks_time now)
{
    if (h->nrecs == 0)
        h->recs[h->nrecs++] = (ks_hpa_stamped){current, now, false};
}

/* stabilizeRecommendation (no behavior) */
static int32_t stabilize(ks_hpa_history *h, int32_t proposal, ks_time now)
{
    int32_t best = proposal;
    ks_time cutoff = now - KS_HPA_DOWNSCALE_WINDOW;
    bool found = false;
    size_t i, old = 0;
    for (i = 0; i < h->nrecs; i++) {
        if (h->recs[i].at < cutoff) {
            found = true;
            old = i;
        } else if (h->recs[i].value > best) {
            best = h->recs[i].value;
        }
    }
    put(h->recs, &h->nrecs, found, old, (ks_hpa_stamped){proposal, now, false});
    return best;
}

static int32_t window_of(const ks_hpa_rules *r)
{
    return r->window >= 0 ? r->window : (int32_t)(KS_HPA_DOWNSCALE_WINDOW / KS_SEC);
}

/* stabilizeRecommendationWithBehaviors */
static int32_t stabilize_behavior(ks_hpa_history *h, const ks_hpa_spec *spec, int32_t current,
                                  int32_t proposal, ks_time now, ks_hpa_limits *why)
{
    bool up = proposal >= current, found = false;
    int32_t rec = proposal, delay = up ? window_of(&spec->up) : window_of(&spec->down);
    ks_time obsolete = now - (ks_time)max32(window_of(&spec->up), window_of(&spec->down)) * KS_SEC;
    ks_time cutoff = now - (ks_time)delay * KS_SEC;
    size_t i, old = 0;
    for (i = 0; i < h->nrecs; i++) {
        if (h->recs[i].at > cutoff)
            rec = up ? min32(h->recs[i].value, rec) : max32(h->recs[i].value, rec);
        if (h->recs[i].at < obsolete) {
            found = true;
            old = i;
        }
    }
    put(h->recs, &h->nrecs, found, old, (ks_hpa_stamped){proposal, now, false});
    why->able_reason = up ? "ScaleUpStabilized" : "ScaleDownStabilized";
    why->able_message = up ? "recent recommendations were lower than current one, applying "
                             "the lowest recent recommendation"
                           : "recent recommendations were higher than current one, applying "
                             "the highest recent recommendation";
    return rec;
}

/* getReplicasChangePerPeriod */
static int32_t changed_in(const ks_hpa_stamped *ev, size_t n, int32_t period, ks_time now)
{
    ks_time cutoff = now - (ks_time)period * KS_SEC;
    int32_t sum = 0;
    size_t i;
    for (i = 0; i < n; i++)
        if (ev[i].at > cutoff)
            sum += ev[i].value;
    return sum;
}

/* calculateScaleUpLimitWithScalingRules */
static int32_t up_limit(const ks_hpa_history *h, const ks_hpa_rules *r, int32_t current,
                        ks_time now)
{
    int32_t result = 0, proposed = 0;
    size_t i;
    if (r->select == KS_HPA_SELECT_DISABLED)
        return current;
    for (i = 0; i < r->npolicies; i++) {
        const ks_hpa_policy *p = &r->policies[i];
        int32_t start = current - changed_in(h->up, h->nup, p->period, now);
        proposed = p->percent ? (int32_t)ceil((double)start * (1.0 + (double)p->value / 100.0))
                              : start + p->value;
        result = r->select == KS_HPA_SELECT_MIN ? min32(result, proposed)
                                                : max32(result, proposed);
    }
    return result;
}

/* calculateScaleDownLimitWithBehaviors */
static int32_t down_limit(const ks_hpa_history *h, const ks_hpa_rules *r, int32_t current,
                          ks_time now)
{
    int32_t result = INT32_MAX, proposed = 0;
    size_t i;
    if (r->select == KS_HPA_SELECT_DISABLED)
        return current;
    for (i = 0; i < r->npolicies; i++) {
        const ks_hpa_policy *p = &r->policies[i];
        int32_t start = current + changed_in(h->down, h->ndown, p->period, now);
        proposed = p->percent ? (int32_t)((double)start * (1.0 - (double)p->value / 100.0))
                              : start - p->value;
        result = r->select == KS_HPA_SELECT_MIN ? max32(result, proposed)
                                                : min32(result, proposed);
    }
    return result;
}

static int32_t limit(const char **reason, const char **message, bool limited,
                     const char *r, const char *m, int32_t v)
{
    *reason = limited ? r : "DesiredWithinRange";
    *message = limited ? m : "the desired count is within the acceptable range";
    return v;
}

#define UP_RATE "the desired replica count is increasing faster than the maximum scale rate"
#define DOWN_RATE "the desired replica count is decreasing faster than the maximum scale rate"
#define TOO_MANY "the desired replica count is more than the maximum replica count"
#define TOO_FEW "the desired replica count is less than the minimum replica count"

/* convertDesiredReplicasWithBehaviorRate */
static int32_t rate(const ks_hpa_history *h, const ks_hpa_spec *spec, int32_t current,
                    int32_t desired, ks_time now, ks_hpa_limits *why)
{
    const char **r = &why->limited_reason, **m = &why->limited_message;
    if (desired > current) {
        int32_t lim = max32(up_limit(h, &spec->up, current, now), current);
        int32_t allowed = spec->max_replicas;
        bool by_rate = allowed > lim;
        if (by_rate)
            allowed = lim;
        if (desired > allowed)
            return limit(r, m, true, by_rate ? "ScaleUpLimit" : "TooManyReplicas",
                         by_rate ? UP_RATE : TOO_MANY, allowed);
    } else if (desired < current) {
        int32_t lim = min32(down_limit(h, &spec->down, current, now), current);
        int32_t allowed = spec->min_replicas;
        bool by_rate = allowed < lim;
        if (by_rate)
            allowed = lim;
        if (desired < allowed)
            return limit(r, m, true, by_rate ? "ScaleDownLimit" : "TooFewReplicas",
                         by_rate ? DOWN_RATE : TOO_FEW, allowed);
    }
    return limit(r, m, false, NULL, NULL, desired);
}

/* convertDesiredReplicasWithRules */
static int32_t rules(const ks_hpa_spec *spec, int32_t current, int32_t desired,
                     ks_hpa_limits *why)
{
    const char **r = &why->limited_reason, **m = &why->limited_message;
    int32_t up = (int32_t)fmax(2.0 * (double)current, 4.0);   /* calculateScaleUpLimit */
    int32_t allowed = spec->max_replicas;
    bool by_rate = allowed > up;
    if (by_rate)
        allowed = up;
    if (desired < spec->min_replicas)
        return limit(r, m, true, "TooFewReplicas", TOO_FEW, spec->min_replicas);
    if (desired > allowed)
        return limit(r, m, true, by_rate ? "ScaleUpLimit" : "TooManyReplicas",
                     by_rate ? UP_RATE : TOO_MANY, allowed);
    return limit(r, m, false, NULL, NULL, desired);
}

int32_t ks_hpa_normalize(ks_hpa_history *h, const ks_hpa_spec *spec, int32_t current,
                         int32_t proposal, ks_time now, ks_hpa_limits *why)
{
    int32_t stable, desired;
    memset(why, 0, sizeof *why);
    if (!spec->has_behavior) {
        stable = stabilize(h, proposal, now);
        why->able_reason = "ScaleDownStabilized";
        why->able_message = "recent recommendations were higher than current one, applying "
                            "the highest recent recommendation";
        desired = rules(spec, current, stable, why);
    } else {
        stable = stabilize_behavior(h, spec, current, proposal, now, why);
        desired = rate(h, spec, current, stable, now, why);
    }
    if (stable == proposal) {
        why->able_reason = "ReadyForNewScale";
        why->able_message = "recommended size matches current size";
    }
    why->limited = desired != stable;
    return desired;
}

/* markScaleEventsOutdated + the slot search of storeScaleEvent */
static void store(ks_hpa_stamped *ev, size_t *n, const ks_hpa_rules *r, int32_t change,
                  ks_time now)
{
    int32_t longest = 0;
    bool found = false;
    size_t i, old = 0;
    for (i = 0; i < r->npolicies; i++)
        longest = max32(longest, r->policies[i].period);
    for (i = 0; i < *n; i++) {
        if (ev[i].at < now - (ks_time)longest * KS_SEC)
            ev[i].outdated = true;
        if (ev[i].outdated) {
            found = true;
            old = i;
        }
    }
    put(ev, n, found, old, (ks_hpa_stamped){change, now, false});
}

void ks_hpa_store_scale_event(ks_hpa_history *h, const ks_hpa_spec *spec, int32_t prev,
                              int32_t now_replicas, ks_time now)
{
    if (!spec->has_behavior)
        return;
    if (now_replicas > prev)
        store(h->up, &h->nup, &spec->up, now_replicas - prev, now);
    else
        store(h->down, &h->ndown, &spec->down, prev - now_replicas, now);
}
