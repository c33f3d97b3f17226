/* ksv_table.c -- Table responses (meta.k8s.io/v1): the columns printers.go
 * defines for each resource (ksv_table_cols.c: names, types, priority 1
 * for those only -o wide shows), with the cells kubesim's own kubectl
 * printers compute (ks_kubectl_columns), so `kubectl get` against the
 * server prints what kubesim's kubectl prints, and a few more that they do
 * not print (ksv_table_cols.c). Each row carries the object's metadata as
 * PartialObjectMetadata, which kubectl needs for --show-labels, -L and
 * kind prefixes, or as the request's includeObject asks (the API server's
 * endpoints/handlers/response.go: None, Metadata the default, Object the
 * whole object, which kubectl get --sort-by asks for). A resource with no
 * columns defined gets the API server's default table: Name and Created At
 * (apiserver/pkg/registry/rest/table.go). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kubectl/ks_kubectl.h"
#include "ksv_internal.h"
#include "ksv_table.h"

typedef struct rows {
    ks_strbuf *out;           /* the rows, as they come */
    ks_sim *sim;
    const ksv_table_def *def; /* the Table's columns */
    size_t ncols;
    int src[KSV_TABLE_MAX_COLS];   /* each column's in the printer's rows, -1: its cell() */
    bool bad;                 /* a column neither the printer nor a cell() gives */
    size_t nrows;
    const ksv_entry *const *e;
    const uint64_t *keys;
    size_t n;
    int include;
} rows;

static void put_string(ks_strbuf *b, const char *s)
{
    json_t *j = json_string(s ? s : "");
    char *d = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    ks_strbuf_puts(b, d ? d : "\"\"");
    free(d);
    json_decref(j);
}

static void columns(const rows *r, ks_strbuf *out)
{
    size_t i;
    ks_strbuf_puts(out, "\"columnDefinitions\":[");
    for (i = 0; i < r->ncols; i++) {
        const ksv_col *c = &r->def->cols[i];
        ks_strbuf_printf(out, "%s{\"name\":", i ? "," : "");
        put_string(out, c->name);
        ks_strbuf_printf(out, ",\"type\":\"%s\",\"format\":\"%s\",\"description\":", c->type,
                         strcmp(c->name, "Name") == 0 ? "name" : "");
        put_string(out, c->name);
        ks_strbuf_printf(out, ",\"priority\":%d}", c->priority);
    }
    ks_strbuf_puts(out, "],\"rows\":[");
}

/* The printer's header: where each column's cells are. */
static void map_columns(rows *r, const char *const *head, size_t n)
{
    size_t i, j;
    for (i = 0; i < r->ncols; i++) {
        r->src[i] = -1;
        if (r->def->cols[i].cell)
            continue;
        for (j = 0; j < n && r->src[i] < 0; j++)
            if (strcasecmp(r->def->cols[i].name, head[j]) == 0)
                r->src[i] = (int)j;
        r->bad |= r->src[i] < 0;
    }
}

/* A cell: a number in an integer column (printers.go's int64 cells). */
static void put_cell(ks_strbuf *b, const ksv_col *c, const char *text)
{
    if (strcmp(c->type, "integer") == 0 && *text && strspn(text, "0123456789") == strlen(text)
        && strlen(text) < 19)
        ks_strbuf_puts(b, text);
    else
        put_string(b, text);
}

/* One row: cells from the printer's (NULL: none), the rest from cell(). */
static void emit_row(rows *r, const char *const *cells, size_t n)
{
    const ksv_entry *e = r->e[r->nrows];
    ksv_cell c = {r->sim, e, NULL, r->keys[r->nrows]};
    char buf[1024];
    size_t i;
    ks_strbuf_printf(r->out, "%s{\"cells\":[", r->nrows ? "," : "");
    for (i = 0; i < r->ncols; i++) {
        const ksv_col *col = &r->def->cols[i];
        const char *text = "";
        if (col->cell) {
            if (!c.obj)
                c.obj = json_loadb(e->json, e->len, 0, NULL);
            buf[0] = '\0';
            col->cell(&c, buf, sizeof buf);
            text = buf;
        } else if (r->src[i] >= 0 && (size_t)r->src[i] < n) {
            text = cells[r->src[i]];
        }
        if (i)
            ks_strbuf_putc(r->out, ',');
        put_cell(r->out, col, text);
    }
    json_decref(c.obj);
    ks_strbuf_putc(r->out, ']');
    if (r->include == KSV_INCLUDE_METADATA) {
        ks_strbuf_puts(r->out, ",\"object\":{\"kind\":\"PartialObjectMetadata\","
                               "\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":");
        ks_strbuf_append(r->out, e->meta, e->meta_len);
        ks_strbuf_putc(r->out, '}');
    } else if (r->include == KSV_INCLUDE_OBJECT) {
        ks_strbuf_puts(r->out, ",\"object\":");
        ks_strbuf_append(r->out, e->json, e->len);
    }
    ks_strbuf_putc(r->out, '}');
    r->nrows++;
}

static void on_row(void *ud, uint64_t key, const char *const *cells, size_t n)
{
    rows *r = ud;
    if (key == 0) {
        map_columns(r, cells, n);
        return;
    }
    if (r->nrows < r->n)
        emit_row(r, cells, n);
}

/* The keys ks_kubectl_columns wants for the entries: object ids, or for
 * events and namespaces their positions in their lists now. */
static bool column_keys(ksv_api *api, const ksv_resource *res, const ksv_entry *const *e,
                        size_t n, uint64_t *keys)
{
    ks_arena *ar;
    ksv_item *items;
    size_t m, i, j;
    if (res->table_kind != KS_KUBECTL_EVENTS && res->table_kind != KS_KIND_NAMESPACE) {
        for (i = 0; i < n; i++)
            keys[i] = e[i]->key;
        return true;
    }
    if (!(ar = ks_arena_create(NULL)))
        return false;
    /* the store was synced for this request: every entry is listed now */
    m = ksv_list_items(api->sim, res, ar, &items);
    for (i = 0; i < n && m != (size_t)-1; i++) {
        for (j = 0; j < m && items[j].key != e[i]->key; j++) {
        }
        if (j == m)
            break;
        keys[i] = items[j].index;
    }
    ks_arena_destroy(ar);
    return m != (size_t)-1 && i == n;
}

/* The API server's default table (no printer): Name and Created At. */
static const ksv_table_def default_def = {"", "", {{"Name", "string", 0, NULL},
                                                   {"Created At", "date", 0, NULL}}};

static void default_rows(rows *r)
{
    size_t i;
    for (i = 0; i < r->n; i++) {
        json_t *m = json_loadb(r->e[i]->meta, r->e[i]->meta_len, 0, NULL);
        const char *cells[2];
        cells[0] = r->e[i]->name;
        cells[1] = json_string_value(json_object_get(m, "creationTimestamp"));
        emit_row(r, cells, 2);
        json_decref(m);
    }
}

bool ksv_table_write(ksv_api *api, const ksv_resource *res, const ksv_entry *const *e,
                     size_t n, const char *cont, int include, bool with_columns,
                     ks_strbuf *out)
{
    rows r;
    ks_strbuf body;
    uint64_t *keys = malloc((n + 1) * sizeof *keys);
    bool ok;
    memset(&r, 0, sizeof r);
    r.e = e;
    r.n = n;
    r.include = include;
    r.sim = api->sim;
    r.keys = keys;
    if (!keys || !column_keys(api, res, e, n, keys)) {
        free(keys);
        return false;
    }
    ks_strbuf_init(&body, NULL);
    r.out = &body;
    r.def = ksv_table_def_of(res);
    if (!r.def) {
        r.def = &default_def;
        r.ncols = 2;
        r.src[0] = 0;
        r.src[1] = 1;
        default_rows(&r);
    } else {
        r.ncols = ksv_table_ncols(r.def);
        if (res->table_kind < 0) {          /* every cell from cell() */
            map_columns(&r, NULL, 0);
            while (r.nrows < n)
                emit_row(&r, NULL, 0);
        } else if (!ks_kubectl_columns(api->sim, res->table_kind, keys, n, on_row, &r)) {
            r.bad = true;
        }
    }
    free(keys);
    ks_strbuf_printf(out, "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\","
                          "\"metadata\":{\"resourceVersion\":\"%llu\"",
                     (unsigned long long)(n == 1 ? e[0]->rv : ksv_store_rv(api->store)));
    if (cont && cont[0])
        ks_strbuf_printf(out, ",\"continue\":\"%s\"", cont);
    ks_strbuf_puts(out, "},");
    if (with_columns)
        columns(&r, out);
    else
        ks_strbuf_puts(out, "\"columnDefinitions\":null,\"rows\":[");
    ks_strbuf_append(out, ks_strbuf_str(&body), body.len);
    ks_strbuf_puts(out, "]}");
    ok = !ks_strbuf_failed(out) && !ks_strbuf_failed(&body) && r.nrows == n && !r.bad;
    ks_strbuf_fini(&body);
    return ok;
}

void ksv_table(ksv_api *api, const ksv_resource *res, const ksv_entry *const *e, size_t n,
               const char *cont, int include, ksv_response *rs)
{
    ks_strbuf_clear(&rs->body);
    if (!ksv_table_write(api, res, e, n, cont, include, true, &rs->body)) {
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return;
    }
    rs->status = 200;
    rs->content_type = "application/json";
}
