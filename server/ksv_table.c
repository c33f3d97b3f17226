/* ksv_table.c -- Table responses (meta.k8s.io/v1): the columns and cells
 * kubectl get prints, computed by kubesim's own kubectl printers
 * (ks_kubectl_columns), so `kubectl get` against the server prints what
 * kubesim's kubectl prints. Columns shown only with -o wide have priority 1
 * (printers.go marks them so); each row carries the object's metadata as
 * PartialObjectMetadata, which kubectl needs for --show-labels, -L and
 * kind prefixes, or as the request's includeObject asks (the API server's
 * endpoints/handlers/response.go: None, Metadata the default, Object the
 * whole object, which kubectl get --sort-by asks for). A resource with no
 * printer gets the API server's default table: Name and Created At. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kubectl/ks_kubectl.h"
#include "ksv_internal.h"

#define MAX_COLUMNS 16

typedef struct rows {
    ks_strbuf *out;           /* the rows, as they come */
    char head[MAX_COLUMNS][64];
    size_t nhead;
    size_t normal;            /* columns shown without -o wide */
    size_t nrows;
    const ksv_entry *const *e;
    size_t n;
    int include;              /* KSV_INCLUDE_* */
} rows;

static void put_string(ks_strbuf *b, const char *s)
{
    json_t *j = json_string(s ? s : "");
    char *d = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    ks_strbuf_puts(b, d ? d : "\"\"");
    free(d);
    json_decref(j);
}

/* "NOMINATED NODE" -> "Nominated Node"; "IP" stays. kubectl upper-cases
 * the names again when it prints them. */
static void title(const char *h, char *out, size_t n)
{
    size_t i, k = 0;
    bool start = true;
    bool all_caps_word = false;
    for (i = 0; h[i] && k + 1 < n; i++) {
        char c = h[i];
        if (start) {
            size_t w = strcspn(h + i, " -");
            all_caps_word = w <= 2;          /* IP, OS */
        }
        if (!start && !all_caps_word && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        out[k++] = c;
        start = c == ' ' || c == '-';
    }
    out[k] = '\0';
}

static void columns(const rows *r, ks_strbuf *out)
{
    size_t i;
    char name[64];
    ks_strbuf_puts(out, "\"columnDefinitions\":[");
    for (i = 0; i < r->nhead; i++) {
        title(r->head[i], name, sizeof name);
        ks_strbuf_printf(out, "%s{\"name\":", i ? "," : "");
        put_string(out, name);
        ks_strbuf_printf(out, ",\"type\":\"string\",\"format\":\"%s\",\"description\":",
                         i == 0 ? "name" : "");
        put_string(out, r->head[i]);
        ks_strbuf_printf(out, ",\"priority\":%d}", i < r->normal ? 0 : 1);
    }
    ks_strbuf_puts(out, "],\"rows\":[");
}

static void on_row(void *ud, uint64_t key, const char *const *cells, size_t n)
{
    rows *r = ud;
    size_t i;
    if (key == 0) {
        for (r->nhead = 0; r->nhead < n && r->nhead < MAX_COLUMNS; r->nhead++)
            snprintf(r->head[r->nhead], sizeof r->head[0], "%s", cells[r->nhead]);
        return;
    }
    if (r->nrows >= r->n)
        return;
    ks_strbuf_printf(r->out, "%s{\"cells\":[", r->nrows ? "," : "");
    for (i = 0; i < n; i++) {
        if (i)
            ks_strbuf_putc(r->out, ',');
        put_string(r->out, cells[i]);
    }
    ks_strbuf_putc(r->out, ']');
    if (r->include == KSV_INCLUDE_METADATA) {
        ks_strbuf_puts(r->out, ",\"object\":{\"kind\":\"PartialObjectMetadata\","
                               "\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":");
        ks_strbuf_append(r->out, r->e[r->nrows]->meta, r->e[r->nrows]->meta_len);
        ks_strbuf_putc(r->out, '}');
    } else if (r->include == KSV_INCLUDE_OBJECT) {
        ks_strbuf_puts(r->out, ",\"object\":");
        ks_strbuf_append(r->out, r->e[r->nrows]->json, r->e[r->nrows]->len);
    }
    ks_strbuf_putc(r->out, '}');
    r->nrows++;
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

/* Name and Created At, from the metadata. */
static void default_table(rows *r)
{
    size_t i;
    r->normal = r->nhead = 2;
    snprintf(r->head[0], sizeof r->head[0], "NAME");
    snprintf(r->head[1], sizeof r->head[1], "CREATED AT");
    for (i = 0; i < r->n; i++) {
        json_t *m = json_loadb(r->e[i]->meta, r->e[i]->meta_len, 0, NULL);
        const char *cells[2];
        cells[0] = r->e[i]->name;
        cells[1] = json_string_value(json_object_get(m, "creationTimestamp"));
        on_row(r, r->e[i]->key, cells, 2);
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
    if (!keys || !column_keys(api, res, e, n, keys)) {
        free(keys);
        return false;
    }
    ks_strbuf_init(&body, NULL);
    r.out = &body;
    if (res->table_kind < 0)
        default_table(&r);
    else
        r.normal = ks_kubectl_columns(api->sim, res->table_kind, keys, n, on_row, &r);
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
    ok = !ks_strbuf_failed(out) && !ks_strbuf_failed(&body) && r.nrows == n;
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
