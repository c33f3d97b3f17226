/* ksv_watch.c -- watches and the history of changes they start from.
 *
 * Every change the store reports is remembered in a ring of the last
 * KSV_WATCH_HISTORY changes (with the object's JSON, and for resources
 * being watched as Tables, its row then: a deleted object has no row any
 * more), and queued on each open watch whose resource, namespace and
 * selectors it matches. A watch is a byte queue the HTTP layer drains. */
#include "ksv_watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct change_rec {
    const ksv_resource *r;
    ksv_change_type type;
    uint64_t rv, key;
    char *ns, *name;
    char *json;
    size_t len;
    char *table;              /* a Table of one row (with columns), or NULL */
} change_rec;

struct ksv_watch_history {
    change_rec rec[KSV_WATCH_HISTORY];
    size_t start, n;
    uint64_t oldest_rv;       /* changes after this rv are all here */
};

struct ksv_watch {
    const ksv_resource *r;
    char ns[256];             /* "" all */
    ksv_filter f;
    bool table;
    bool columns_sent;
    ks_strbuf q;
    size_t off;               /* bytes of q already taken */
    bool ended;
    long timeout_s;           /* timeoutSeconds (0: none) */
    void *state;              /* a raw stream's (ksv_watch_open_raw), or NULL */
    void (*free_state)(void *);
};

static const char *const type_names[] = {"ADDED", "MODIFIED", "DELETED"};

static void rec_free(change_rec *c)
{
    free(c->ns);
    free(c->name);
    free(c->json);
    free(c->table);
    memset(c, 0, sizeof *c);
}

void ksv_watch_forget(ksv_api *api)
{
    size_t i;
    if (!api->history)
        return;
    for (i = 0; i < KSV_WATCH_HISTORY; i++)
        rec_free(&api->history->rec[i]);
    free(api->history);
    api->history = NULL;
}

static struct ksv_watch_history *history(ksv_api *api)
{
    if (!api->history && (api->history = calloc(1, sizeof *api->history)) != NULL)
        api->history->oldest_rv = ksv_store_rv(api->store);
    return api->history;
}

static bool table_watched(const ksv_api *api, const ksv_resource *r)
{
    size_t i;
    for (i = 0; i < api->nwatches; i++)
        if (api->watches[i]->r == r && api->watches[i]->table)
            return true;
    return false;
}

/* The watch's view of a change: does it match, and the event line. */
static bool wanted(const ksv_watch *w, const change_rec *c)
{
    if (!w->r || c->r != w->r)
        return false;
    if (w->ns[0] && (!c->ns || strcmp(c->ns, w->ns) != 0))
        return false;
    return ksv_filter_match(&w->f, c->json, c->len);
}

/* A row for an object that is gone: the last one this resource had for it. */
static const char *last_table(ksv_api *api, const change_rec *c)
{
    struct ksv_watch_history *h = api->history;
    size_t i;
    for (i = h->n; i-- > 0;) {
        const change_rec *o = &h->rec[(h->start + i) % KSV_WATCH_HISTORY];
        if (o->r == c->r && o->key == c->key && o->table && o != c)
            return o->table;
    }
    return NULL;
}

static void queue_event(ksv_api *api, ksv_watch *w, const change_rec *c)
{
    ks_strbuf_printf(&w->q, "{\"type\":\"%s\",\"object\":", type_names[c->type]);
    if (!w->table) {
        ks_strbuf_append(&w->q, c->json, c->len);
    } else {
        const char *t = c->table ? c->table : last_table(api, c);
        if (t && w->columns_sent) {
            /* after the first event the columns are known: rows only */
            const char *cd = strstr(t, "\"columnDefinitions\":");
            const char *rows = cd ? strstr(cd, "],\"rows\":") : NULL;
            if (cd && rows) {
                ks_strbuf_append(&w->q, t, (size_t)(cd - t));
                ks_strbuf_puts(&w->q, "\"columnDefinitions\":null,");
                ks_strbuf_puts(&w->q, rows + 2);
            } else {
                ks_strbuf_puts(&w->q, t);
            }
        } else if (t) {
            ks_strbuf_puts(&w->q, t);
        } else {
            ks_strbuf_append(&w->q, c->json, c->len);       /* no row known: the object */
        }
        w->columns_sent = true;
    }
    ks_strbuf_puts(&w->q, "}\n");
    if (w->q.len - w->off > KSV_WATCH_MAX_QUEUE || ks_strbuf_failed(&w->q))
        w->ended = true;                 /* too far behind: it relists, as with etcd */
}

void ksv_watch_on_change(void *ud, const ksv_resource *r, ksv_change_type type,
                         const ksv_entry *e)
{
    ksv_api *api = ud;
    struct ksv_watch_history *h = history(api);
    change_rec *c;
    size_t i;
    if (!h)
        return;
    if (h->n == KSV_WATCH_HISTORY) {
        c = &h->rec[h->start];
        h->oldest_rv = c->rv;
        rec_free(c);
        h->start = (h->start + 1) % KSV_WATCH_HISTORY;
        h->n--;
    }
    c = &h->rec[(h->start + h->n) % KSV_WATCH_HISTORY];
    c->r = r;
    c->type = type;
    c->rv = e->rv;
    c->key = e->key;
    c->ns = e->ns ? strdup(e->ns) : NULL;
    c->name = strdup(e->name);
    c->json = malloc(e->len + 1);
    if (!c->name || !c->json || (e->ns && !c->ns)) {
        rec_free(c);
        return;
    }
    memcpy(c->json, e->json, e->len + 1);
    c->len = e->len;
    h->n++;
    if (type != KSV_DELETED && table_watched(api, r)) {
        ks_strbuf t;
        ks_strbuf_init(&t, NULL);
        if (ksv_table_write(api, r, &e, 1, "", KSV_INCLUDE_METADATA, true, &t))
            c->table = strdup(ks_strbuf_str(&t));
        ks_strbuf_fini(&t);
    }
    for (i = 0; i < api->nwatches; i++)
        if (!api->watches[i]->ended && wanted(api->watches[i], c))
            queue_event(api, api->watches[i], c);
}

/* ---- opening ------------------------------------------------------------------------------ */
static void watch_free(ksv_watch *w)
{
    if (w->free_state)
        w->free_state(w->state);
    ksv_filter_fini(&w->f);
    ks_strbuf_fini(&w->q);
    free(w);
}

ksv_watch *ksv_watch_open(ksv_api *api, const ksv_request *rq, const ksv_target *t,
                          ksv_response *rs)
{
    const char *rv_s = ksv_param_get(rq, "resourceVersion");
    struct ksv_watch_history *h = history(api);
    ksv_watch *w, **grown;
    uint64_t from = 0;
    size_t i;
    if (api->nwatches >= KSV_MAX_WATCHES) {
        ksv_fail(rs, 429, "TooManyRequests",
                 "too many open watches (%d): close some (kubesim's limit)", KSV_MAX_WATCHES);
        return NULL;
    }
    if (rv_s && rv_s[0] && strcmp(rv_s, "0") != 0) {
        char *end;
        from = strtoull(rv_s, &end, 10);
        if (*end) {
            ksv_fail(rs, 400, "BadRequest", "invalid resource version \"%s\"", rv_s);
            return NULL;
        }
        if (!h || from < h->oldest_rv) {
            /* apiserver: "too old resource version: %d (%d)" */
            ksv_fail(rs, 410, "Expired", "too old resource version: %llu (%llu)",
                     (unsigned long long)from,
                     (unsigned long long)(h ? h->oldest_rv : ksv_store_rv(api->store)));
            return NULL;
        }
    }
    if (!h || !(w = calloc(1, sizeof *w))) {
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return NULL;
    }
    w->r = t->r;
    if (ksv_param_get(rq, "timeoutSeconds"))
        w->timeout_s = strtol(ksv_param_get(rq, "timeoutSeconds"), NULL, 10);
    snprintf(w->ns, sizeof w->ns, "%s", t->ns && t->r->namespaced ? t->ns : "");
    w->table = ksv_wants_table(rq);
    ks_strbuf_init(&w->q, NULL);
    if (!ksv_filter_parse(&w->f, rq, rs)) {
        ks_strbuf_fini(&w->q);
        free(w);
        return NULL;
    }
    if (!(grown = realloc(api->watches, (api->nwatches + 1) * sizeof *grown))) {
        watch_free(w);
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return NULL;
    }
    api->watches = grown;
    api->watches[api->nwatches++] = w;
    if (from) {
        for (i = 0; i < h->n; i++) {            /* what happened since */
            const change_rec *c = &h->rec[(h->start + i) % KSV_WATCH_HISTORY];
            if (c->rv > from && wanted(w, c))
                queue_event(api, w, c);
        }
    } else {                                     /* the state now, as ADDED */
        size_t n;
        const ksv_entry *e = ksv_store_entries(api->store, t->r, &n);
        for (i = 0; i < n; i++) {
            change_rec c;
            memset(&c, 0, sizeof c);
            c.r = t->r;
            c.type = KSV_ADDED;
            c.rv = e[i].rv;
            c.key = e[i].key;
            c.ns = e[i].ns;
            c.json = e[i].json;
            c.len = e[i].len;
            if (!wanted(w, &c))
                continue;
            if (w->table) {
                ks_strbuf tb;
                const ksv_entry *ep = &e[i];
                ks_strbuf_init(&tb, NULL);
                if (ksv_table_write(api, t->r, &ep, 1, "", KSV_INCLUDE_METADATA, true, &tb))
                    c.table = (char *)ks_strbuf_str(&tb);
                queue_event(api, w, &c);
                ks_strbuf_fini(&tb);
            } else {
                queue_event(api, w, &c);
            }
        }
    }
    rs->status = 200;
    rs->content_type = "application/json";
    rs->watch = w;
    return w;
}

ksv_watch *ksv_watch_open_raw(ksv_api *api, ksv_response *rs, const char *content_type,
                              void *state, void (*free_state)(void *))
{
    ksv_watch *w, **grown;
    if (api->nwatches >= KSV_MAX_WATCHES) {
        free_state(state);
        ksv_fail(rs, 429, "TooManyRequests",
                 "too many open streams (%d): close some (kubesim's limit)", KSV_MAX_WATCHES);
        return NULL;
    }
    if (!(w = calloc(1, sizeof *w))
        || !(grown = realloc(api->watches, (api->nwatches + 1) * sizeof *grown))) {
        free(w);
        free_state(state);
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return NULL;
    }
    ks_strbuf_init(&w->q, NULL);
    w->state = state;
    w->free_state = free_state;
    api->watches = grown;
    api->watches[api->nwatches++] = w;
    rs->status = 200;
    rs->content_type = content_type;
    rs->watch = w;
    return w;
}

void *ksv_watch_state(const ksv_watch *w)
{
    return w->state;
}

bool ksv_watch_append(ksv_watch *w, const char *s, size_t n)
{
    if (w->q.len - w->off + n > KSV_WATCH_MAX_QUEUE) {
        w->ended = true;                         /* the client fell too far behind */
        return false;
    }
    return ks_strbuf_append(&w->q, s, n) == 0;
}

void ksv_watch_close(ksv_api *api, ksv_watch *w)
{
    size_t i;
    for (i = 0; i < api->nwatches; i++)
        if (api->watches[i] == w) {
            api->watches[i] = api->watches[--api->nwatches];
            break;
        }
    watch_free(w);
}

size_t ksv_watch_take(ksv_watch *w, char *buf, size_t max)
{
    size_t n = w->q.len - w->off;
    if (n == 0)
        return 0;
    if (n > max)
        n = max;
    memcpy(buf, w->q.buf + w->off, n);
    w->off += n;
    if (w->off == w->q.len) {
        ks_strbuf_clear(&w->q);
        w->off = 0;
    }
    return n;
}

long ksv_watch_timeout(const ksv_watch *w)
{
    return w->timeout_s > 0 ? w->timeout_s : 0;
}

bool ksv_watch_pending(const ksv_watch *w)
{
    return w->q.len > w->off;
}

bool ksv_watch_ended(const ksv_watch *w)
{
    return w->ended;
}

void ksv_watch_end(ksv_watch *w)
{
    w->ended = true;
}
