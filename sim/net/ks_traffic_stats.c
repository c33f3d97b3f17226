/* ks_traffic_stats.c -- the traffic's statistics: one row per route
 * (method, path, entry point), with status counts, a latency histogram
 * and the last 10 seconds' rate, in fixed memory. */
#include <string.h>

#include "core/internal/sim.h"
#include "internal/traffic.h"

/* ---- statistics ---------------------------------------------------------------------- */
static int bucket_of(int64_t us)
{
    int b = 0;
    uint64_t v = us < 1 ? 1 : (uint64_t)us;
    while (v >= 16) {                 /* 8 sub-buckets per doubling */
        v >>= 1;
        b++;
    }
    b = b * 8 + (int)(v & 7);
    return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

/* The smallest latency of bucket b (its label for percentiles). */
static int64_t bucket_value(int b)
{
    return b < 8 ? b : (int64_t)(8 | (b % 8)) << (b / 8);
}

static bool same_target(const ks_scn_target *a, const ks_scn_target *b)
{
    return a->kind == b->kind && a->port == b->port
           && strcmp(a->name ? a->name : "", b->name ? b->name : "") == 0;
}

size_t ksi_traffic_route_index(ks_sim *sim, ksi_traffic *tr, const char *method, const char *path,
                          const ks_scn_target *to)
{
    size_t i;
    for (i = 0; i < tr->nrows; i++)
        if (strcmp(tr->rows[i].method, method) == 0 && strcmp(tr->rows[i].path, path) == 0
            && same_target(&tr->rows[i].to, to))
            return i;
    if (tr->nrows == MAX_ROUTES)
        return MAX_ROUTES - 1;        /* bounded: the rest share the last row */
    tr->rows[tr->nrows].method = method;
    tr->rows[tr->nrows].path = path;
    tr->rows[tr->nrows].line = ksi_traffic_intern_line(sim, tr, method, path);
    tr->rows[tr->nrows].to = *to;
    return tr->nrows++;
}

void ksi_traffic_record(ks_sim *sim, route_row *r, int status, int64_t latency)
{
    int64_t sec = ks_now(sim) / KS_SEC;
    r->count++;
    r->status[status >= 100 && status < 600 ? status / 100 : 0]++;
    if (status >= 200 && status < 300)
        r->ok++;
    r->hist[bucket_of(latency)]++;
    if (sec != r->window_sec) {
        int64_t k;
        for (k = r->window_sec + 1; k <= sec && k <= r->window_sec + 10; k++)
            r->window[k % 10] = 0;
        r->window_sec = sec;
    }
    r->window[sec % 10]++;
}

static int64_t percentile(const uint32_t *hist, uint64_t count, double q)
{
    uint64_t want = (uint64_t)(q * (double)count + 0.999999), seen = 0;
    int b;
    if (!count)
        return 0;
    for (b = 0; b < HIST_BUCKETS; b++) {
        seen += hist[b];
        if (seen >= want)
            return bucket_value(b);
    }
    return bucket_value(HIST_BUCKETS - 1);
}

void ks_traffic_stats(const ks_sim *sim, const char *path, const ks_scn_target *to, int lo,
                      int hi, ks_req_stats *out)
{
    const ksi_traffic *tr = sim->cluster ? sim->cluster->traffic : NULL;
    uint32_t hist[HIST_BUCKETS];
    size_t i;
    int b;
    memset(out, 0, sizeof *out);
    memset(hist, 0, sizeof hist);
    for (i = 0; tr && i < tr->nrows; i++) {
        const route_row *r = &tr->rows[i];
        uint64_t n;
        if (path && strcmp(r->path, path) != 0)
            continue;
        if (to && to->kind != KS_SCN_TO_NONE && !same_target(&r->to, to))
            continue;
        if (lo || hi) {
            int cls;
            n = 0;
            for (cls = lo / 100; cls <= hi / 100 && cls < 6; cls++)
                n += r->status[cls];
            out->count += n;
            out->ok += lo <= 299 && hi >= 200 ? r->ok : 0;
            continue;
        }
        out->count += r->count;
        out->ok += r->ok;
        for (b = 0; b < 6; b++)
            out->status[b] += r->status[b];
        for (b = 0; b < HIST_BUCKETS; b++)
            hist[b] += r->hist[b];
    }
    out->p50 = percentile(hist, out->count, 0.50);
    out->p95 = percentile(hist, out->count, 0.95);
    out->p99 = percentile(hist, out->count, 0.99);
}

size_t ks_traffic_route_count(const ks_sim *sim)
{
    return sim->cluster && sim->cluster->traffic ? sim->cluster->traffic->nrows : 0;
}

void ks_traffic_route(const ks_sim *sim, size_t i, ks_route_stats *out)
{
    const route_row *r = &sim->cluster->traffic->rows[i];
    int64_t sec = ks_now(sim) / KS_SEC, k;
    uint64_t last10 = 0;
    memset(out, 0, sizeof *out);
    out->method = r->method;
    out->path = r->path;
    out->to = r->to;
    out->pods_only = !r->sent;
    ks_traffic_stats(sim, r->path, &r->to, 0, 0, &out->stats);
    for (k = sec - 9; k <= sec; k++)
        if (k >= 0 && k <= r->window_sec && k > r->window_sec - 10)
            last10 += r->window[k % 10];
    out->rate = (double)last10 / 10.0;
}
