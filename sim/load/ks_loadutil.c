/* ks_loadutil.c -- helpers shared by the scenario and catalog loaders
 * (see internal/loadutil.h). */
#include "internal/loadutil.h"

#include <stdio.h>
#include <string.h>

bool ksi_http_method_ok(const char *s)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT",
                                          "PATCH", "DELETE", "OPTIONS"};
    size_t i;
    for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(s, methods[i]) == 0)
            return true;
    return false;
}

const ks_yaml_node *ksi_rd_list(ks_reader *r, const ks_yaml_node *map, const char *key,
                                size_t max)
{
    const ks_yaml_node *s = ks_rd_seq(r, map, key, false);
    if (s && s->n > max) {
        ks_rd_fail(r, s, KS_ELIMIT, "%s has %zu items; the limit is %zu",
                   ks_rd_field(r, key), s->n, max);
        return NULL;
    }
    return s;
}

bool ksi_rd_str_or_list(ks_reader *r, const ks_yaml_node *map, const char *key,
                        size_t max, const char ***out, size_t *n)
{
    const ks_yaml_node *v = ks_yaml_get(map, key);
    size_t i;
    bool ok;
    *out = NULL;
    *n = 0;
    if (!v || ks_yaml_is_null(v))
        return true;
    if (v->kind == KS_YAML_SCALAR) {
        const char *s;
        if (!ks_rd_str(r, map, key, false, &s))
            return false;
        if (!*s)
            return ks_rd_fail(r, v, KS_EINVAL, "%s must not be empty", ks_rd_field(r, key));
        *out = ks_arena_alloc(r->ar, 2 * sizeof **out);
        if (!*out)
            return ks_rd_fail(r, v, KS_ENOMEM, "out of memory");
        (*out)[0] = s;
        *n = 1;
        return true;
    }
    if (v->kind == KS_YAML_SEQ && v->n > max)
        return ks_rd_fail(r, v, KS_ELIMIT, "%s has %zu items; the limit is %zu",
                          ks_rd_field(r, key), v->n, max);
    if (v->kind != KS_YAML_SEQ)
        return ks_rd_fail(r, v, KS_ESCHEMA, "%s must be a string or a list of strings",
                          ks_rd_field(r, key));
    ok = ks_rd_str_list(r, map, key, false, out, n);
    for (i = 0; ok && i < *n; i++)
        if (!(*out)[i][0])
            ok = ks_rd_fail(r, v->items[i], KS_EINVAL, "%s[%zu] must not be empty",
                            ks_rd_field(r, key), i);
    return ok;
}
