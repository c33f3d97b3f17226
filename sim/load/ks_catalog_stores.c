/* ks_catalog_stores.c -- what an api's requests (a worker's jobs) store in
 * its database (see ks_catalog.h):
 *
 *   stores := {table: NAME, columns: [{name: NAME, type: integer | text,
 *              value: TEMPLATE}...]}     kind api, worker; TEMPLATE: "{n}", "{n%K}"
 *                                        (the record's number, its
 *                                        remainder by K) or text
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/catalog.h"
#include "internal/loadutil.h"

/* Where the next {...} of v starts and what it asks: its modulus (0: {n});
 * -1 when the braces are not {n} or {n%K} with K > 0. */
static int64_t placeholder(const char *open, const char **close)
{
    char *end;
    int64_t k = 0;
    *close = strchr(open, '}');
    if (!*close || open[1] != 'n')
        return -1;
    if (open[2] == '}')
        return 0;
    if (open[2] != '%')
        return -1;
    k = strtoll(open + 3, &end, 10);
    return end == *close && k > 0 ? k : -1;
}

const char *ks_image_value(const char *v, int64_t n, char *buf, size_t len)
{
    size_t o = 0;
    const char *close;
    buf[0] = '\0';
    while (*v && o + 1 < len) {
        int64_t k = *v == '{' ? placeholder(v, &close) : -1;
        if (k < 0) {
            buf[o++] = *v++;
            buf[o] = '\0';
            continue;
        }
        o += (size_t)snprintf(buf + o, len - o, "%lld", (long long)(k ? n % k : n));
        if (o >= len)
            o = len - 1;
        v = close + 1;
    }
    return buf;
}

static void read_column(ks_reader *r, const ks_yaml_node *n, ks_image_column *c)
{
    static const char *const keys[] = {"name", "type", "value", NULL};
    const char *type = "text", *s;
    if (n->kind != KS_YAML_MAP) {
        ks_rd_fail(r, n, KS_ESCHEMA, "%s must be an object {name: ..., type: integer, "
                   "value: \"{n}\"}", r->path);
        return;
    }
    ks_rd_strict(r, n, keys);
    ks_rd_str(r, n, "name", true, &c->name);
    ks_rd_str(r, n, "value", true, &c->value);
    ks_rd_str(r, n, "type", false, &type);
    if (strcmp(type, "integer") && strcmp(type, "text"))
        ks_rd_fail(r, ks_yaml_get(n, "type"), KS_EINVAL, "%s must be integer or text, not "
                   "'%s'", ks_rd_field(r, "type"), type);
    c->integer = strcmp(type, "integer") == 0;
    for (s = c->value ? strchr(c->value, '{') : NULL; s; s = strchr(s + 1, '{')) {
        const char *close;
        if (placeholder(s, &close) < 0)
            ks_rd_fail(r, ks_yaml_get(n, "value"), KS_EINVAL, "%s: only {n} (the record's "
                       "number) and {n%%K} (its remainder by K) are filled in",
                       ks_rd_field(r, "value"));
    }
}

void ksi_cat_read_stores(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    static const char *const keys[] = {"table", "columns", NULL};
    const ks_yaml_node *a = ks_rd_map(r, m, "stores", false), *s;
    size_t saved, i;
    if (!a)
        return;
    saved = ks_rd_push(r, "stores");
    e->table.mark = a->mark;
    ks_rd_strict(r, a, keys);
    ks_rd_str(r, a, "table", true, &e->table.name);
    s = ksi_rd_list(r, a, "columns", KS_IMAGE_MAX_COLUMNS);
    if (s && s->n) {
        e->table.columns = ks_arena_alloc(r->ar, s->n * sizeof *e->table.columns);
        if (!e->table.columns) {
            ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
            s = NULL;
        }
        for (i = 0; s && i < s->n; i++) {
            size_t s2 = ks_rd_push(r, "columns");
            size_t s3 = ks_rd_push_index(r, i);
            memset(&e->table.columns[i], 0, sizeof e->table.columns[i]);
            read_column(r, s->items[i], &e->table.columns[i]);
            ks_rd_pop(r, s3);
            ks_rd_pop(r, s2);
        }
        e->table.ncolumns = s ? s->n : 0;
    } else {
        ks_rd_fail(r, a, KS_ESCHEMA, "%s needs columns: [{name: ..., value: ...}]", r->path);
    }
    /* an api's requests, or a worker's jobs (a worker that uses a database
       stores each job there) */
    if (e->kind != KS_IMAGE_API && e->kind != KS_IMAGE_WORKER)
        ks_rd_fail(r, a, KS_EINVAL, "%s only applies to kinds api and worker", r->path);
    ks_rd_pop(r, saved);
}
