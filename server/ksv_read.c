/* ksv_read.c -- get and list: one object or a collection, as JSON or as a
 * Table, with label and field selectors and limit/continue (chunks: kubectl
 * get asks for 500 at a time, --chunk-size). Objects come from the store in
 * namespace/name order, as etcd's key order gives them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_internal.h"

bool ksv_wants_table(const ksv_request *rq)
{
    return rq->accept && strstr(rq->accept, "as=Table") != NULL;
}

/* The list kind of a resource: "PodList". */
static void list_kind(const ksv_resource *r, char *buf, size_t n)
{
    snprintf(buf, n, "%sList", r->kind);
}

/* endpoints/handlers/response.go transformObject: "" or Metadata, None,
   Object; anything else is a 400 (-1, with the Status in rs) */
static int include_object(const ksv_request *rq, ksv_response *rs)
{
    const char *inc = ksv_param_get(rq, "includeObject");
    if (!inc || !inc[0] || strcmp(inc, "Metadata") == 0)
        return KSV_INCLUDE_METADATA;
    if (strcmp(inc, "None") == 0)
        return KSV_INCLUDE_NONE;
    if (strcmp(inc, "Object") == 0)
        return KSV_INCLUDE_OBJECT;
    ksv_fail(rs, 400, "BadRequest", "unrecognized includeObject value: \"%.100s\"", inc);
    return -1;
}

void ksv_get(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs)
{
    const ksv_entry *e = ksv_store_get(api->store, t->r, t->ns, t->name);
    if (!e) {
        ksv_not_found(rs, t->r, t->name);
        return;
    }
    if (ksv_wants_table(rq)) {
        int inc = include_object(rq, rs);
        if (inc >= 0)
            ksv_table(api, t->r, &e, 1, "", inc, rs);
        return;
    }
    rs->status = 200;
    rs->content_type = "application/json";
    ks_strbuf_append(&rs->body, e->json, e->len);
}

/* ---- continue tokens: hex of "RV:NAMESPACE/NAME" of the last item sent ------------------- */
static void token_make(uint64_t rv, const ksv_entry *last, char *out, size_t n)
{
    char raw[600];
    size_t i, len;
    len = (size_t)snprintf(raw, sizeof raw, "%llu:%s/%s", (unsigned long long)rv,
                           last->ns ? last->ns : "", last->name);
    for (i = 0; i < len && 2 * i + 2 < n; i++)
        snprintf(out + 2 * i, 3, "%02x", (unsigned char)raw[i]);
}

static bool token_read(const char *tok, char *ns, char *name, size_t n)
{
    char raw[600];
    size_t i, len = strlen(tok);
    char *colon, *slash;
    if (len % 2 || len / 2 >= sizeof raw)
        return false;
    for (i = 0; i < len / 2; i++) {
        unsigned v;
        if (sscanf(tok + 2 * i, "%2x", &v) != 1 || !v)
            return false;
        raw[i] = (char)v;
    }
    raw[len / 2] = '\0';
    if (!(colon = strchr(raw, ':')) || !(slash = strchr(colon, '/')))
        return false;
    snprintf(ns, n, "%.*s", (int)(slash - colon - 1), colon + 1);
    snprintf(name, n, "%s", slash + 1);
    return name[0] != '\0';
}

static bool after(const ksv_entry *e, const char *ns, const char *name)
{
    int c = strcmp(e->ns ? e->ns : "", ns);
    return c > 0 || (c == 0 && strcmp(e->name, name) > 0);
}

void ksv_list(ksv_api *api, const ksv_request *rq, const ksv_target *t, ksv_response *rs)
{
    const char *limit_s = ksv_param_get(rq, "limit");
    const char *cont = ksv_param_get(rq, "continue");
    char cns[300] = "", cname[300] = "", token[1300] = "", kind[96];
    const ksv_entry *all, **sel = NULL;
    size_t n, i, nsel = 0, remaining = 0;
    long long limit = 0;
    ksv_filter f;
    if (limit_s) {
        char *end;
        limit = strtoll(limit_s, &end, 10);
        if (*end || limit < 0) {
            ksv_fail(rs, 400, "BadRequest", "invalid limit: %s", limit_s);
            return;
        }
    }
    if (cont && cont[0] && !token_read(cont, cns, cname, sizeof cns)) {
        ksv_fail(rs, 400, "BadRequest",
                 "The provided continue parameter is not valid: %s", cont);
        return;
    }
    if (!ksv_filter_parse(&f, rq, rs))
        return;
    all = ksv_store_entries(api->store, t->r, &n);
    if (!(sel = malloc((n + 1) * sizeof *sel))) {
        ksv_fail(rs, 500, "InternalError", "out of memory");
        goto out;
    }
    for (i = 0; i < n; i++) {
        const ksv_entry *e = &all[i];
        if (t->ns && t->r->namespaced && (!e->ns || strcmp(e->ns, t->ns) != 0))
            continue;
        if (cname[0] && !after(e, cns, cname))
            continue;
        if (!ksv_filter_match(&f, e->json, e->len))
            continue;
        if (limit && nsel == (size_t)limit) {
            remaining++;
            continue;
        }
        sel[nsel++] = e;
    }
    if (remaining && nsel)
        token_make(ksv_store_rv(api->store), sel[nsel - 1], token, sizeof token);
    if (ksv_wants_table(rq)) {
        int inc = include_object(rq, rs);
        if (inc >= 0)
            ksv_table(api, t->r, sel, nsel, token, inc, rs);
        goto out;
    }
    list_kind(t->r, kind, sizeof kind);
    {
        char gv[128];
        ksv_group_version(t->r, gv, sizeof gv);
        ks_strbuf_printf(&rs->body, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":"
                                    "{\"resourceVersion\":\"%llu\"", kind, gv,
                         (unsigned long long)ksv_store_rv(api->store));
    }
    if (token[0])
        ks_strbuf_printf(&rs->body, ",\"continue\":\"%s\",\"remainingItemCount\":%zu", token,
                         remaining);
    ks_strbuf_puts(&rs->body, "},\"items\":[");
    for (i = 0; i < nsel; i++) {
        if (i)
            ks_strbuf_putc(&rs->body, ',');
        ks_strbuf_append(&rs->body, sel[i]->json, sel[i]->len);
    }
    ks_strbuf_puts(&rs->body, "]}");
    rs->status = ks_strbuf_failed(&rs->body) ? 500 : 200;
    rs->content_type = "application/json";
out:
    free(sel);
    ksv_filter_fini(&f);
}
