/* ksv_json.c -- the helpers every kind's builder shares: strings, numbers,
 * times, quantities, metadata, selectors, owner references, uids. */
#include "ksv_json.h"

#include <stdio.h>
#include <string.h>

#include "kubectl/ks_kubectl.h"
#include "load/ks_validate.h"

void ksv_set(json_t *o, const char *key, json_t *v)
{
    if (v)
        json_object_set_new(o, key, v);
}

void ksv_set_str(json_t *o, const char *key, const char *s)
{
    if (s)
        json_object_set_new(o, key, json_string(s));
}

void ksv_set_int(json_t *o, const char *key, int64_t v)
{
    json_object_set_new(o, key, json_integer((json_int_t)v));
}

void ksv_set_bool(json_t *o, const char *key, bool v)
{
    json_object_set_new(o, key, json_boolean(v));
}

static void set_wall(json_t *o, const char *key, double wall_us)
{
    char buf[48];
    /* ks_kubectl_rfc3339 counts from KS_KUBECTL_EPOCH: shift to this run's */
    ks_time rel = (ks_time)(wall_us - (double)KS_KUBECTL_EPOCH * KS_SEC);
    ks_kubectl_rfc3339(rel, false, buf, sizeof buf);
    json_object_set_new(o, key, json_string(buf));
}

void ksv_set_time(const ksv_ctx *c, json_t *o, const char *key, ks_time t)
{
    set_wall(o, key, ksv_wall_us(c, t));
}

void ksv_set_time_after(const ksv_ctx *c, json_t *o, const char *key, ks_time base, ks_time t)
{
    set_wall(o, key, ksv_wall_after_us(c, base, t));
}

json_t *ksv_kvs(const ks_kvs *m, bool omit_empty)
{
    json_t *o;
    size_t i;
    if (omit_empty && (!m || m->n == 0))
        return NULL;
    o = json_object();
    for (i = 0; o && m && i < m->n; i++)
        ksv_set_str(o, m->items[i].key, m->items[i].value ? m->items[i].value : "");
    return o;
}

void ksv_cpu_text(int64_t milli, char *buf, size_t n)
{
    if (milli % 1000 == 0)
        snprintf(buf, n, "%lld", (long long)(milli / 1000));
    else
        snprintf(buf, n, "%lldm", (long long)milli);
}

void ksv_bytes_text(int64_t bytes, char *buf, size_t n)
{
    ks_quantity_format_bytes(bytes, buf, n);
}

uint64_t ksv_hash(const char *s, uint64_t h)
{
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Version 4 layout, fixed prefix "6b73" ("ks"), so uids look like the API
 * server's and never collide between families (salt). */
void ksv_uid(uint64_t key, unsigned salt, char out[40])
{
    ks_cluster_uid(key, salt, out);
}

json_t *ksv_meta(const ksv_ctx *c, const char *name, const char *ns, uint64_t uid_key, unsigned uid_salt,
                 ks_time created, const ks_kvs *labels, const ks_kvs *annotations)
{
    json_t *m = json_object();
    char uid[40];
    if (!m)
        return NULL;
    ksv_set_str(m, "name", name);
    ksv_set_str(m, "namespace", ns);
    ksv_uid(uid_key, uid_salt, uid);
    ksv_set_str(m, "uid", uid);
    ksv_set_time(c, m, "creationTimestamp", created);
    ksv_set(m, "labels", ksv_kvs(labels, true));
    ksv_set(m, "annotations", ksv_kvs(annotations, true));
    return m;
}

json_t *ksv_object(const char *api_version, const char *kind, json_t *meta)
{
    json_t *o = json_object();
    if (!o || !meta) {
        json_decref(o);
        json_decref(meta);
        return NULL;
    }
    ksv_set_str(o, "apiVersion", api_version);
    ksv_set_str(o, "kind", kind);
    json_object_set_new(o, "metadata", meta);
    return o;
}

json_t *ksv_selector(const ks_selector *s)
{
    static const char *const ops[] = {"In", "NotIn", "Exists", "DoesNotExist"};
    json_t *o = json_object(), *exprs;
    size_t i, j;
    if (!o)
        return NULL;
    ksv_set(o, "matchLabels", ksv_kvs(&s->match, true));
    if (!s->nexprs)
        return o;
    exprs = json_array();
    for (i = 0; exprs && i < s->nexprs; i++) {
        json_t *e = json_object(), *vals = json_array();
        ksv_set_str(e, "key", s->exprs[i].key);
        ksv_set_str(e, "operator", ops[s->exprs[i].op]);
        for (j = 0; j < s->exprs[i].nvalues; j++)
            json_array_append_new(vals, json_string(s->exprs[i].values[j]));
        if (s->exprs[i].op == KS_SEL_IN || s->exprs[i].op == KS_SEL_NOT_IN)
            json_object_set_new(e, "values", vals);
        else
            json_decref(vals);
        json_array_append_new(exprs, e);
    }
    ksv_set(o, "matchExpressions", exprs);
    return o;
}

json_t *ksv_owner_ref(const char *api_version, const char *kind, const char *name, ks_id id)
{
    json_t *r = json_object();
    char uid[40];
    if (!r)
        return NULL;
    ksv_uid(id, KSV_UID_OBJECT, uid);
    ksv_set_str(r, "apiVersion", api_version);
    ksv_set_str(r, "kind", kind);
    ksv_set_str(r, "name", name);
    ksv_set_str(r, "uid", uid);
    ksv_set_bool(r, "controller", true);
    ksv_set_bool(r, "blockOwnerDeletion", true);
    return r;
}
