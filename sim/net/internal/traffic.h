/* internal/traffic.h -- the traffic engine's state, shared by its files:
 * ks_traffic.c (requests travel: entry points, pods, answers; generators),
 * ks_traffic_stats.c (the routes' statistics) and ks_traffic_text.c (the
 * interned strings a request carries, and the hops' trace events). */
#ifndef KSI_TRAFFIC_H
#define KSI_TRAFFIC_H

#include "net.h"
#include "../ks_traffic.h"

#define HIST_BUCKETS 256              /* latency histogram: 8 per power of 2 */
#define MAX_ROUTES 256

typedef struct route_row {
    const char *method, *path;
    ksi_text line;                    /* "METHOD path" (interned) */
    ks_scn_target to;
    uint64_t count, ok, status[6];
    uint32_t hist[HIST_BUCKETS];
    uint64_t window[10];              /* requests per second, last 10 s */
    int64_t window_sec;
    bool sent;                        /* a generator's (or a one-off) request came */
} route_row;

typedef struct request request;
typedef struct generator generator;

/* Routing decisions repeat: a generator sends the same path again and
 * again. The controller's answer is cached per (table, host, path), so the
 * regexes run once per distinct request line, not per request. */
#define ROUTE_CACHE 64

typedef struct route_cache {
    uint64_t version;                 /* the table's (ksi_net_ingress); 0: empty */
    const char *host;                 /* the generator's string (stable) */
    const char *method, *path;        /* interned */
    ks_ingress_route route;
    const char *uri;                  /* the rewritten path */
    ksi_text line;                    /* "METHOD uri" */
    ks_id svc;                        /* the backend Service, once found */
    bool ok;
} route_cache;

/* Strings a request's hops show ("GET /api/values", "ingress", paths),
 * made once per distinct text and kept for the sim's life, so that a hop
 * formats nothing: a request carries pointers. */
typedef struct intern_table {
    ks_arena *ar;
    ksi_text *slots;                  /* s NULL: empty */
    uint32_t *hash;
    size_t n, cap;                    /* cap: a power of 2 */
} intern_table;

typedef struct ksi_traffic {
    route_cache cache[ROUTE_CACHE];
    route_row rows[MAX_ROUTES];
    size_t nrows;
    intern_table strs;
    ks_id ctrl;                       /* the ingress controller's Service, once found */
    request *free;
    uint64_t next_id;
    generator **gens;
    size_t ngens, gens_cap;
} ksi_traffic;

/* FNV-1a over n bytes of s, from h. */
uint32_t ksi_traffic_hash(const char *s, size_t n, uint32_t h);
/* The one copy of the n bytes at s (NUL-terminated) with its length;
 * {NULL, 0} when out of memory (the sim fails). */
ksi_text ksi_traffic_intern(ks_sim *sim, ksi_traffic *tr, const char *s, size_t n);
/* A path as a request carries it: at most 255 bytes. */
const char *ksi_traffic_intern_path(ks_sim *sim, ksi_traffic *tr, const char *path);
/* "METHOD path" (at most 299 bytes), the text of a request's hops. */
ksi_text ksi_traffic_intern_line(ks_sim *sim, ksi_traffic *tr, const char *method,
                                 const char *path);
/* The statistics row of (method, path, to), made when new (interned
 * strings); past MAX_ROUTES rows the rest share the last one. */
size_t ksi_traffic_route_index(ks_sim *sim, ksi_traffic *tr, const char *method,
                               const char *path, const ks_scn_target *to);
/* One answered request in row r: its status and latency. */
void ksi_traffic_record(ks_sim *sim, route_row *r, int status, int64_t latency);

#endif
