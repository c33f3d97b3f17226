/* ksv_store.c -- the served objects' JSON and resourceVersions, kept in
 * step with the simulation by comparison (see ksv_store.h).
 *
 * A sync lists each resource (sorted), builds every object's JSON and walks
 * the old and new lists side by side: a name only in the new list is
 * ADDED, only in the old one DELETED, in both with other content MODIFIED
 * (an object deleted and created again under its name, with a new key, is
 * a DELETED then an ADDED). An object of a tracked kind whose version in
 * the simulation (ks_cluster_version: the store's revision at its last
 * change) is the one it was built at is kept as it is, not built: a write
 * with 5,000 pods costs by what changed. Others cost one JSON build and one
 * hash of it (streamed, no string) per sync; only a changed object is
 * serialised. Syncs happen only when the simulation has moved.
 * KUBESIM_SERVE_CHECK_VERSIONS=1 (the tests) builds the kept ones too and
 * aborts when one changed without a new version.
 */
#include "ksv_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ks_cluster.h"
#include "core/ks_event.h"

typedef struct res_state {
    ksv_entry *e;
    size_t n;
} res_state;

struct ksv_store {
    const ksv_ctx *ctx;
    ks_sim *sim;
    res_state *res;           /* one per ksv_resources row */
    uint64_t rv;
    uint64_t dispatched;      /* events the sim had run at the last sync */
    ks_time now;              /* the sim's time then */
    bool synced;
    bool check_versions;      /* KUBESIM_SERVE_CHECK_VERSIONS */
};

ksv_store *ksv_store_create(const ksv_ctx *ctx)
{
    ksv_store *st = calloc(1, sizeof *st);
    if (!st || !(st->res = calloc(ksv_nresources, sizeof *st->res))) {
        free(st);
        return NULL;
    }
    st->ctx = ctx;
    st->sim = ctx->sim;
    st->rv = 1;
    st->check_versions = getenv("KUBESIM_SERVE_CHECK_VERSIONS")
                         && strcmp(getenv("KUBESIM_SERVE_CHECK_VERSIONS"), "1") == 0;
    return st;
}

static void entry_free(ksv_entry *e)
{
    free(e->ns);
    free(e->name);
    free(e->json);
    free(e->meta);
}

void ksv_store_destroy(ksv_store *st)
{
    size_t i, j;
    if (!st)
        return;
    for (i = 0; i < ksv_nresources; i++) {
        for (j = 0; j < st->res[i].n; j++)
            entry_free(&st->res[i].e[j]);
        free(st->res[i].e);
    }
    free(st->res);
    free(st);
}

uint64_t ksv_store_rv(const ksv_store *st)
{
    return st->rv;
}

/* FNV-1a over the compact JSON, as json_dump_callback streams it: no
   string is built for a hash. */
static int hash_chunk(const char *buf, size_t size, void *data)
{
    uint64_t *h = data;
    size_t i;
    for (i = 0; i < size; i++) {
        *h ^= (unsigned char)buf[i];
        *h *= 0x100000001b3ULL;
    }
    return 0;
}

static uint64_t hash_json(const json_t *j)
{
    uint64_t h = KSV_HASH_SEED;
    if (!j || json_dump_callback(j, hash_chunk, &h, JSON_COMPACT | JSON_ENCODE_ANY) != 0)
        return 0;
    return h;
}

static int cmp_names(const char *ans, const char *aname, const char *bns, const char *bname)
{
    int c = strcmp(ans ? ans : "", bns ? bns : "");
    return c ? c : strcmp(aname, bname);
}

static void set_rv(json_t *obj, uint64_t rv)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)rv);
    json_object_set_new(json_object_get(obj, "metadata"), "resourceVersion", json_string(buf));
}

static void set_generation(json_t *meta, json_t *spec, json_t *status, int64_t g)
{
    if (spec)
        json_object_set_new(meta, "generation", json_integer(g));
    if (status && json_object_get(status, "observedGeneration"))
        json_object_set_new(status, "observedGeneration", json_integer(g));
}

/* Fills e from obj (whose rv/generation are set here). Returns false on
 * out-of-memory. old: the entry it replaces, or NULL; when the object has
 * not changed, e takes old's strings (old is freed next and keeps none):
 * an unchanged object costs its build and one hash, not four
 * serialisations (a sync walks every object). */
static bool fill(ksv_store *st, const ksv_resource *r, ksv_entry *e, ksv_entry *old,
                 const ksv_item *it, json_t *obj, bool *changed)
{
    /* a Lease has no generation: its strategy's PrepareForCreate sets none
       (pkg/registry/coordination/lease/strategy.go) */
    json_t *meta = json_object_get(obj, "metadata");
    json_t *spec = strcmp(r->group, "coordination.k8s.io") ? json_object_get(obj, "spec") : NULL;
    json_t *status = json_object_get(obj, "status");
    memset(e, 0, sizeof *e);
    e->key = it->key;
    e->generation = old ? old->generation : 1;
    set_generation(meta, spec, status, e->generation);
    e->hash = hash_json(obj);
    if (old && old->hash == e->hash) {
        *e = *old;
        old->json = old->meta = old->name = old->ns = NULL;
        *changed = false;
        return true;
    }
    e->spec_hash = hash_json(spec);
    if (old && spec && old->spec_hash != e->spec_hash) {
        e->generation++;
        set_generation(meta, spec, status, e->generation);
        e->hash = hash_json(obj);
    }
    *changed = true;
    e->rv = ++st->rv;
    set_rv(obj, e->rv);
    e->json = json_dumps(obj, JSON_COMPACT);
    e->meta = json_dumps(meta, JSON_COMPACT);
    e->name = strdup(it->name);
    e->ns = it->ns ? strdup(it->ns) : NULL;
    if (!e->json || !e->meta || !e->name || (it->ns && !e->ns)) {
        entry_free(e);
        return false;
    }
    e->len = strlen(e->json);
    e->meta_len = strlen(e->meta);
    return true;
}

/* A DELETED event: the last state, with the next resourceVersion. */
static void emit_deleted(ksv_store *st, const ksv_resource *r, ksv_entry *old,
                         ksv_change_fn fn, void *ud)
{
    json_t *obj;
    if (!fn)
        return;
    obj = json_loadb(old->json, old->len, 0, NULL);
    old->rv = ++st->rv;
    if (obj) {
        char *s;
        set_rv(obj, old->rv);
        if ((s = json_dumps(obj, JSON_COMPACT)) != NULL) {
            free(old->json);
            old->json = s;
            old->len = strlen(s);
        }
        if ((s = json_dumps(json_object_get(obj, "metadata"), JSON_COMPACT)) != NULL) {
            free(old->meta);
            old->meta = s;
            old->meta_len = strlen(s);
        }
        json_decref(obj);
    }
    fn(ud, r, KSV_DELETED, old);
}

/* What a tracked object's JSON depends on: its version, and whether its
   owner is still there (ownerReferences name only an owner that is: a
   Job's pods outlive it while the garbage collector deletes them). 0: the
   object is gone. */
static uint64_t tracked_version(ks_sim *sim, ks_id id)
{
    uint64_t v = ks_cluster_version(sim, id);
    ks_id owner = ks_cluster_owner(sim, id);
    return v ? v << 1 | (owner && ks_cluster_version(sim, owner) ? 1u : 0u) : 0;
}

/* KUBESIM_SERVE_CHECK_VERSIONS: an object kept for its unchanged version
   must build as it was (its hash with the generation it had). */
static void check_kept(ksv_store *st, const ksv_resource *r, const ksv_item *it,
                       const ksv_entry *old)
{
    json_t *obj = r->build(st->ctx, it), *meta = json_object_get(obj, "metadata");
    if (!obj)
        return;
    set_generation(meta, json_object_get(obj, "spec"), json_object_get(obj, "status"),
                   old->generation);
    if (hash_json(obj) != old->hash) {
        char *now = json_dumps(obj, JSON_COMPACT);
        fprintf(stderr, "kubesim serve: %s %s/%s changed without a new version in the "
                "simulation (version %llu)\nwas: %s\nnow: %s\n", r->name,
                it->ns ? it->ns : "", it->name, (unsigned long long)old->version, old->json,
                now ? now : "");
        abort();
    }
    json_decref(obj);
}

static bool sync_resource(ksv_store *st, size_t ri, ksv_change_fn fn, void *ud)
{
    const ksv_resource *r = &ksv_resources[ri];
    res_state *rs = &st->res[ri];
    ks_arena *ar = ks_arena_create(NULL);
    ksv_item *items = NULL;
    ksv_entry *fresh;
    size_t n, i = 0, o = 0, k = 0;
    bool ok = true, tracked = ksv_resource_tracked(r);
    uint64_t version;
    if (!ar)
        return false;
    n = ksv_list_items(st->sim, r, ar, &items);
    if (n == (size_t)-1 || !(fresh = calloc(n + 1, sizeof *fresh))) {
        ks_arena_destroy(ar);
        return false;
    }
    while (i < n || o < rs->n) {
        int c = i == n ? 1 : o == rs->n ? -1
                : cmp_names(items[i].ns, items[i].name, rs->e[o].ns, rs->e[o].name);
        ksv_entry *old = NULL;
        json_t *obj;
        bool changed;
        if (c == 0 && items[i].key != rs->e[o].key) {
            emit_deleted(st, r, &rs->e[o], fn, ud);      /* same name, new object */
            entry_free(&rs->e[o++]);
            continue;
        }
        if (c > 0) {
            emit_deleted(st, r, &rs->e[o], fn, ud);
            entry_free(&rs->e[o++]);
            continue;
        }
        if (c == 0)
            old = &rs->e[o];
        version = tracked ? tracked_version(st->sim, (ks_id)items[i].key) : 0;
        if (old && version && version == old->version) {
            if (st->check_versions)
                check_kept(st, r, &items[i], old);
            fresh[k] = *old;                 /* unchanged: kept, not built */
            old->json = old->meta = old->name = old->ns = NULL;
            k++;
            i++;
            o++;
            continue;
        }
        obj = r->build(st->ctx, &items[i]);
        if (!obj) {                                      /* gone while listed */
            i++;
            continue;
        }
        if (!fill(st, r, &fresh[k], old, &items[i], obj, &changed)) {
            json_decref(obj);
            ok = false;
            break;
        }
        json_decref(obj);
        fresh[k].version = version;
        if (changed && fn)
            fn(ud, r, old ? KSV_MODIFIED : KSV_ADDED, &fresh[k]);
        k++;
        i++;
        if (old)
            entry_free(&rs->e[o++]);
    }
    if (!ok) {                      /* keep the old state; drop what was built */
        while (k > 0)
            entry_free(&fresh[--k]);
        free(fresh);
        ks_arena_destroy(ar);
        return false;
    }
    free(rs->e);
    rs->e = fresh;
    rs->n = k;
    ks_arena_destroy(ar);
    return true;
}

/* The nodes' Leases change with time alone: their kubelets renew them
 * every 10 s, which runs no event (ks_cluster_node_lease computes them). */
static bool renews(const ksv_resource *r)
{
    return strcmp(r->group, "coordination.k8s.io") == 0;
}

bool ksv_store_sync(ksv_store *st, bool force, ksv_change_fn fn, void *ud)
{
    uint64_t d = ks_event_dispatched(st->sim);
    ks_time now = ks_now(st->sim);
    size_t i;
    bool all = !st->synced || force || d != st->dispatched;
    if (!all && now == st->now)
        return true;
    for (i = 0; i < ksv_nresources; i++)
        if ((all || renews(&ksv_resources[i])) && !sync_resource(st, i, fn, ud))
            return false;
    st->dispatched = d;
    st->now = now;
    st->synced = true;
    return true;
}

const ksv_entry *ksv_store_entries(const ksv_store *st, const ksv_resource *r, size_t *n)
{
    size_t ri = (size_t)(r - ksv_resources);
    *n = st->res[ri].n;
    return st->res[ri].e;
}

const ksv_entry *ksv_store_get(const ksv_store *st, const ksv_resource *r, const char *ns,
                               const char *name)
{
    size_t n, lo = 0, hi;
    const ksv_entry *e = ksv_store_entries(st, r, &n);
    if (!r->namespaced)
        ns = NULL;
    hi = n;
    while (lo < hi) {                    /* sorted by namespace, then name */
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_names(e[mid].ns, e[mid].name, ns, name);
        if (c == 0)
            return &e[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
