/* ks_manifest_fields.c -- what every manifest reader shares: label maps
 * and selectors (and matching them), int-or-string fields, quantities,
 * names, arrays in the loader's arena. The readers of the kinds
 * (ks_manifest*.c) call these; these call no reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/manifest.h"
#include "ks_validate.h"

const char *ks_kvs_get(const ks_kvs *m, const char *key)
{
    size_t i;
    for (i = 0; i < m->n; i++)
        if (strcmp(m->items[i].key, key) == 0)
            return m->items[i].value;
    return NULL;
}

static bool req_matches(const ks_sel_req *q, const ks_kvs *labels)
{
    const char *v = ks_kvs_get(labels, q->key);
    size_t i;
    switch (q->op) {
    case KS_SEL_EXISTS:
        return v != NULL;
    case KS_SEL_NOT_EXISTS:
        return v == NULL;
    case KS_SEL_IN:
    case KS_SEL_NOT_IN:
        for (i = 0; v && i < q->nvalues; i++)
            if (strcmp(v, q->values[i]) == 0)
                return q->op == KS_SEL_IN;
        return q->op == KS_SEL_NOT_IN;
    }
    return false;
}

bool ks_selector_matches(const ks_selector *sel, const ks_kvs *labels)
{
    size_t i;
    for (i = 0; i < sel->match.n; i++) {
        const char *v = ks_kvs_get(labels, sel->match.items[i].key);
        if (!v || strcmp(v, sel->match.items[i].value) != 0)
            return false;
    }
    for (i = 0; i < sel->nexprs; i++)
        if (!req_matches(&sel->exprs[i], labels))
            return false;
    return true;
}

size_t ks_access_modes_format(unsigned modes, char *buf, size_t n)
{
    static const char *const names[] = {"RWO", "ROX", "RWX", "RWOP"};
    size_t len = 0;
    int i;
    if (n)
        buf[0] = '\0';
    for (i = 0; i < 4; i++)
        if (modes & (1u << i)) {
            int k = snprintf(buf + len, n > len ? n - len : 0, "%s%s", len ? "," : "",
                             names[i]);
            len += k > 0 ? (size_t)k : 0;
        }
    return len;
}

/* ---- shared helpers ------------------------------------------------------- */
void *ksi_alloc_items(ks_reader *r, const ks_yaml_node *at, size_t n, size_t size)
{
    void *p = ks_arena_alloc(r->ar, (n ? n : 1) * size);
    if (!p)
        ks_rd_fail(r, at, KS_ENOMEM, "out of memory");
    return p;
}

bool ksi_check_name(ks_reader *r, const ks_yaml_node *map, const char *key,
                    const char *(*rule)(const char *), const char *value)
{
    const char *why = rule(value);
    if (why)
        return ks_rd_fail(r, ks_yaml_get(map, key), KS_EINVAL, "%s '%s' is not valid: it %s",
                          ks_rd_field(r, key), value, why);
    return true;
}

/* A key of a data map or annotations, as the API server judges it
 * (IsConfigMapKey; IsQualifiedName of the lower-cased key). */
static bool kv_key_ok(ks_reader *r, ksi_kv_rule rule, const ks_yaml_node *k)
{
    const char *why = NULL;
    if (rule == KSI_KV_DATA && (why = ks_check_config_key(k->str)) != NULL)
        return ks_rd_fail(r, k, KS_EINVAL, "%s[%s]: Invalid value: \"%s\": %s",
                          ks_rd_field(r, ""), k->str, k->str, why);
    if (rule == KSI_KV_ANNOTATIONS) {
        char low[320];
        size_t i, n = strlen(k->str);
        for (i = 0; i < n && i < sizeof low - 1; i++)
            low[i] = (char)(k->str[i] >= 'A' && k->str[i] <= 'Z' ? k->str[i] - 'A' + 'a'
                                                                  : k->str[i]);
        low[i] = '\0';
        why = n >= sizeof low ? "must be no more than 253 characters before '/' and 63 after"
                              : ks_check_label_key(low);
        if (why)
            return ks_rd_fail(r, k, KS_EINVAL, "%s: Invalid value: \"%s\": an annotation key %s",
                              ks_rd_field(r, ""), k->str, why);
    }
    if (rule == KSI_KV_LABELS && (why = ks_check_label_key(k->str)) != NULL)
        return ks_rd_fail(r, k, KS_EINVAL, "label key '%s' is not valid: it %s", k->str, why);
    return true;
}

bool ksi_read_kvs(ks_reader *r, const ks_yaml_node *map, const char *key, ksi_kv_rule rule,
                  ks_kvs *out)
{
    const ks_yaml_node *m = ks_rd_map(r, map, key, false);
    size_t i, saved, size = 0;
    bool ok = true;
    out->items = NULL;
    out->n = 0;
    if (!m)
        return !ks_yaml_get(map, key) || ks_yaml_is_null(ks_yaml_get(map, key));
    out->items = ksi_alloc_items(r, m, m->n, sizeof *out->items);
    if (!out->items)
        return false;
    saved = ks_rd_push(r, key);
    for (i = 0; i < m->n; i++) {
        const ks_yaml_node *k = m->items[2 * i];
        const char *v, *why;
        if (!ks_rd_str(r, m, k->str, false, &v)) {
            if (ks_yaml_is_null(m->items[2 * i + 1]))
                v = "";
            else {
                ok = false;
                continue;
            }
        }
        if (!kv_key_ok(r, rule, k)) {
            ok = false;
            continue;
        }
        if (rule == KSI_KV_LABELS && (why = ks_check_label_value(v)) != NULL) {
            ok = ks_rd_fail(r, m->items[2 * i + 1], KS_EINVAL,
                            "label value '%s' is not valid: it %s", v, why);
            continue;
        }
        size += strlen(k->str) + strlen(v);
        out->items[out->n].key = k->str;
        out->items[out->n].value = v;
        out->n++;
    }
    /* ValidateAnnotationsSize: keys and values, 256 KiB */
    if (rule == KSI_KV_ANNOTATIONS && size > KS_MAX_ANNOTATIONS_SIZE)
        ok = ks_rd_fail(r, m, KS_ELIMIT, "%s: Too long: must have at most %d bytes (these "
                        "annotations hold %zu bytes of keys and values)", ks_rd_field(r, ""),
                        KS_MAX_ANNOTATIONS_SIZE, size);
    ks_rd_pop(r, saved);
    return ok;
}

static bool has_items(const ks_yaml_node *n)
{
    return n && n->kind != KS_YAML_SCALAR && n->n > 0;
}

/* One matchExpressions item, as ValidateLabelSelectorRequirement
 * (apimachinery pkg/apis/meta/v1/validation) judges it, in its words. */
static bool read_requirement(ks_reader *r, const ks_yaml_node *e, const char *op, ks_sel_req *q)
{
    const char *why;
    bool ok = true, in = false;
    size_t i;
    if (strcmp(op, "In") == 0 || strcmp(op, "NotIn") == 0) {
        q->op = op[0] == 'I' ? KS_SEL_IN : KS_SEL_NOT_IN;
        in = true;
    } else if (strcmp(op, "Exists") == 0 || strcmp(op, "DoesNotExist") == 0) {
        q->op = op[0] == 'E' ? KS_SEL_EXISTS : KS_SEL_NOT_EXISTS;
    } else {
        ok = ks_rd_fail(r, ks_yaml_get(e, "operator"), KS_EINVAL,
                        "%s: Invalid value: \"%s\": not a valid selector operator (In, NotIn, "
                        "Exists or DoesNotExist)", ks_rd_field(r, "operator"), op);
    }
    if (!ks_rd_str_list(r, e, "values", false, &q->values, &q->nvalues)
        && ks_yaml_get(e, "values") && !ks_yaml_is_null(ks_yaml_get(e, "values")))
        ok = false;
    if (ok && in && !q->nvalues)
        ok = ks_rd_fail(r, ks_yaml_get(e, "values") ? ks_yaml_get(e, "values") : e, KS_EINVAL,
                        "%s: Required value: must be specified when `operator` is 'In' or "
                        "'NotIn'", ks_rd_field(r, "values"));
    if (ok && !in && q->nvalues)
        ok = ks_rd_fail(r, ks_yaml_get(e, "values"), KS_EINVAL,
                        "%s: Forbidden: may not be specified when `operator` is 'Exists' or "
                        "'DoesNotExist'", ks_rd_field(r, "values"));
    if ((why = ks_check_label_key(q->key)) != NULL)
        ok = ks_rd_fail(r, ks_yaml_get(e, "key"), KS_EINVAL,
                        "%s: Invalid value: \"%s\": a label key %s", ks_rd_field(r, "key"),
                        q->key, why);
    for (i = 0; i < q->nvalues; i++)
        if ((why = ks_check_label_value(q->values[i])) != NULL)
            ok = ks_rd_fail(r, ks_yaml_get(e, "values")->items[i], KS_EINVAL,
                            "%s[%zu]: Invalid value: \"%s\": a label value %s",
                            ks_rd_field(r, "values"), i, q->values[i], why);
    return ok;
}

bool ksi_read_selector(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
                       ks_selector *out)
{
    const ks_yaml_node *s = ks_rd_map(r, map, key, required), *exprs;
    size_t saved, i;
    bool ok = true;
    memset(out, 0, sizeof *out);
    if (!s)
        return !required && !ks_yaml_get(map, key);
    saved = ks_rd_push(r, key);
    ok &= ksi_read_kvs(r, s, "matchLabels", KSI_KV_LABELS, &out->match);
    exprs = ks_rd_seq(r, s, "matchExpressions", false);
    if (exprs) {
        size_t s2 = ks_rd_push(r, "matchExpressions");
        out->exprs = ksi_alloc_items(r, exprs, exprs->n, sizeof *out->exprs);
        for (i = 0; out->exprs && i < exprs->n; i++) {
            const ks_yaml_node *e = exprs->items[i];
            ks_sel_req *q = &out->exprs[out->nexprs];
            const char *op = NULL;
            size_t s3 = ks_rd_push_index(r, i);
            if (e->kind != KS_YAML_MAP) {
                ok = ks_rd_fail(r, e, KS_ESCHEMA, "%s must be an object with key, operator, values",
                                ks_rd_field(r, ""));
            } else {
                if (ks_rd_str(r, e, "key", true, &q->key) && ks_rd_str(r, e, "operator", true, &op)) {
                    ok &= read_requirement(r, e, op, q);
                    out->nexprs++;
                } else {
                    ok = false;
                }
            }
            ks_rd_pop(r, s3);
        }
        ks_rd_pop(r, s2);
    }
    /* judged on what was written: a label refused above is not "empty" */
    if (required && !has_items(ks_yaml_get(s, "matchLabels"))
        && !has_items(ks_yaml_get(s, "matchExpressions")))
        ok = ks_rd_fail(r, s, KS_EINVAL, "%s must not be empty: give matchLabels",
                        ks_rd_field(r, ""));
    ks_rd_pop(r, saved);
    return ok;
}

bool ksi_read_intstr(ks_reader *r, const ks_yaml_node *map, const char *key, ks_intstr *out)
{
    const ks_yaml_node *n = ks_yaml_get(map, key);
    memset(out, 0, sizeof *out);
    if (!n || ks_yaml_is_null(n))
        return true;
    out->set = true;
    if (ks_yaml_int(n, &out->num))
        return true;
    if (n->kind == KS_YAML_SCALAR && ks_yaml_is_string(n)) {
        size_t len = n->len;
        out->is_str = true;
        out->str = n->str;
        if (len > 1 && n->str[len - 1] == '%') {
            char *end;
            long v = strtol(n->str, &end, 10);
            if (end == n->str + len - 1 && v >= 0) {
                out->percent = true;
                out->num = v;
            }
        }
        return true;
    }
    return ks_rd_fail(r, n, KS_ESCHEMA, "%s must be a number or a string, not %s",
                      ks_rd_field(r, key), ks_yaml_type_name(n));
}

bool ksi_read_quantity(ks_reader *r, const ks_yaml_node *map, const char *key, int scale,
                       bool required, int64_t *out)
{
    const ks_yaml_node *n = ks_yaml_get(map, key);
    const char *why;
    if (!n || ks_yaml_is_null(n)) {
        if (required)
            return ks_rd_fail(r, map, KS_ESCHEMA, "%s is required", ks_rd_field(r, key));
        return true;
    }
    if (n->kind != KS_YAML_SCALAR)
        return ks_rd_fail(r, n, KS_ESCHEMA, "%s must be a quantity like 500m or 2Gi",
                          ks_rd_field(r, key));
    if ((why = ks_quantity_parse(n->str, scale, out)) != NULL)
        return ks_rd_fail(r, n, KS_EINVAL, "%s '%s' is not a valid quantity: it %s",
                          ks_rd_field(r, key), n->str, why);
    return true;
}
