/* ks_traffic_text.c -- the strings a request carries, interned once per
 * distinct text for the sim's life, and a hop as a trace event. */
#include <stdio.h>
#include <string.h>

#include "core/internal/sim.h"
#include "internal/traffic.h"

/* ---- interned strings ------------------------------------------------------------------- */
uint32_t ksi_traffic_hash(const char *s, size_t n, uint32_t h)
{
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The one copy of the n bytes at s (NUL-terminated) with its length;
 * {NULL, 0} when out of memory (the sim fails). */
ksi_text ksi_traffic_intern(ks_sim *sim, ksi_traffic *tr, const char *s, size_t n)
{
    intern_table *t = &tr->strs;
    uint32_t h = ksi_traffic_hash(s, n, 2166136261u);
    size_t i;
    char *copy;
    if (2 * (t->n + 1) > t->cap) {            /* grow: at most half full */
        size_t cap = t->cap ? 2 * t->cap : 64, k;
        ksi_text *slots = ks_mem_calloc(&sim->alloc, cap, sizeof *slots);
        uint32_t *hash = ks_mem_calloc(&sim->alloc, cap, sizeof *hash);
        if (!slots || !hash || (!t->ar && !(t->ar = ks_arena_create(&sim->alloc)))) {
            ks_mem_free(&sim->alloc, slots, cap * sizeof *slots);
            ks_mem_free(&sim->alloc, hash, cap * sizeof *hash);
            ks_sim_fail(sim, KS_ENOMEM);
            return (ksi_text){NULL, 0};
        }
        for (k = 0; k < t->cap; k++)
            if (t->slots[k].s) {
                for (i = t->hash[k] & (cap - 1); slots[i].s; i = (i + 1) & (cap - 1))
                    ;
                slots[i] = t->slots[k];
                hash[i] = t->hash[k];
            }
        ks_mem_free(&sim->alloc, t->slots, t->cap * sizeof *t->slots);
        ks_mem_free(&sim->alloc, t->hash, t->cap * sizeof *t->hash);
        t->slots = slots;
        t->hash = hash;
        t->cap = cap;
    }
    for (i = h & (t->cap - 1); t->slots[i].s; i = (i + 1) & (t->cap - 1))
        if (t->hash[i] == h && t->slots[i].n == n && memcmp(t->slots[i].s, s, n) == 0)
            return t->slots[i];
    if (!(copy = ks_arena_alloc(t->ar, n + 1))) {
        ks_sim_fail(sim, KS_ENOMEM);
        return (ksi_text){NULL, 0};
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    t->slots[i] = (ksi_text){copy, n};
    t->hash[i] = h;
    t->n++;
    return t->slots[i];
}

/* A path as a request carries it: at most 255 bytes, as nginx's and
 * kubesim's request line always kept it. */
const char *ksi_traffic_intern_path(ks_sim *sim, ksi_traffic *tr, const char *path)
{
    size_t n = strlen(path);
    return ksi_traffic_intern(sim, tr, path, n < 255 ? n : 255).s;
}

/* "METHOD path" (at most 299 bytes), the text of a request's hops. */
ksi_text ksi_traffic_intern_line(ks_sim *sim, ksi_traffic *tr, const char *method,
                                 const char *path)
{
    char line[300];
    int n = snprintf(line, sizeof line, "%s %s", method, path);
    return ksi_traffic_intern(sim, tr, line, n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n
                                                                              : sizeof line - 1);
}

/* ---- trace ---------------------------------------------------------------------------- */
/* Every string is one kept elsewhere (interned, the pod's ref): a hop
 * formats nothing. */
static void emit_hop(ks_sim *sim, uint64_t id, ksi_text line, ksi_text from, ksi_text to,
                     int status, ks_time latency)
{
    ks_trace_event tev;
    if (!ks_trace_active(sim))
        return;
    memset(&tev, 0, sizeof tev);
    tev.type = KS_TR_HOP;
    tev.name = from.s;
    tev.len[1] = (uint32_t)from.n + 1;
    tev.reason = to.s;
    tev.len[2] = (uint32_t)to.n + 1;
    tev.msg = line.s ? line.s : "";
    tev.len[3] = line.s ? (uint32_t)line.n + 1 : 1;
    tev.n[0] = (int64_t)id;
    tev.n[1] = status;
    tev.n[2] = latency;
    ks_trace_emit(sim, &tev);
}

void ksi_traffic_hop(ks_sim *sim, uint64_t id, ksi_text line, ksi_text from, ksi_text to,
                     int status, ks_time latency)
{
    emit_hop(sim, id, line, from, to, status, latency);
}

ksi_text ksi_pod_text(ks_sim *sim, ksi_pod *p)
{
    const char *s = ksi_pod_ref(sim, p);
    return (ksi_text){s, ksi_pod_ref_len(sim, p)};
}

ksi_text ksi_pod_policy_text(ks_sim *sim, ksi_pod *p)
{
    const char *s = ksi_pod_policy_ref(sim, p);
    return (ksi_text){s, ksi_pod_policy_ref_len(sim, p)};
}
