/* ks_schema.c -- the API server's strict decoding: a field the object's
 * type does not have is an error, not silence. kubectl apply sends
 * fieldValidation=Strict (kubectl 1.27 and later), and the API server then
 * refuses the whole object: "Deployment in version \"v1\" cannot be handled
 * as a Deployment: strict decoding error: unknown field
 * \"spec.template.spec.contianers\"" (k8s.io/apimachinery
 * pkg/runtime/serializer/json: strict errors; sigs.k8s.io/json names the
 * field by its path). The types are Kubernetes 1.30's, generated into
 * ks_schema_data.c by scripts/gen-schema.py.
 */
#include <string.h>

#include "internal/schema.h"

#define MAX_FIELDS 128          /* more than any generated type has */

static const ksi_sfield *find_field(const ksi_sstruct *s, const char *name)
{
    size_t lo = s->first, hi = (size_t)s->first + s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, ksi_schema_fields[mid].name);
        if (c == 0)
            return &ksi_schema_fields[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Fields of an older version written into the current one: what to write
 * instead, after the API server's words. */
static const char *const hints[][3] = {
    {"IngressBackend", "serviceName", "serviceName/servicePort is the removed v1beta1 form; in "
     "networking.k8s.io/v1 write service: {name: ..., port: {number: ...}}"},
    {"IngressBackend", "servicePort", "serviceName/servicePort is the removed v1beta1 form; in "
     "networking.k8s.io/v1 write service: {name: ..., port: {number: ...}}"},
};

static bool unknown(ks_reader *r, const ksi_sstruct *s, const ks_yaml_node *key)
{
    const char *names[MAX_FIELDS + 1], *guess;
    size_t i, n = s->n < MAX_FIELDS ? s->n : MAX_FIELDS;
    for (i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strcmp(s->name, hints[i][0]) == 0 && strcmp(key->str, hints[i][1]) == 0)
            return ks_rd_fail(r, key, KS_ESCHEMA, "strict decoding error: unknown field \"%s\": %s",
                              ks_rd_field(r, key->str), hints[i][2]);
    for (i = 0; i < n; i++)
        names[i] = ksi_schema_fields[s->first + i].name;
    names[n] = NULL;
    guess = ks_rd_suggest(key->str, names);
    if (guess)
        return ks_rd_fail(r, key, KS_ESCHEMA,
                          "strict decoding error: unknown field \"%s\"; did you mean '%s'? (the "
                          "API server refuses the whole object)", ks_rd_field(r, key->str),
                          guess);
    return ks_rd_fail(r, key, KS_ESCHEMA,
                      "strict decoding error: unknown field \"%s\" (a %s has no such field; the "
                      "API server refuses the whole object: remove it, or check its indentation)",
                      ks_rd_field(r, key->str), s->name);
}

/* Walks n as a value of ref; shapes that differ (a string where an object
 * belongs) are left to the readers, which say what was expected. */
static bool walk(ks_reader *r, const ks_yaml_node *n, unsigned ref)
{
    const ksi_sref *t = &ksi_schema_refs[ref];
    bool ok = true;
    size_t i, saved;
    switch (t->kind) {
    case KSI_S_STRUCT:
        if (n->kind != KS_YAML_MAP)
            return true;
        for (i = 0; i < n->n; i++) {
            const ks_yaml_node *k = n->items[2 * i];
            const ksi_sfield *f = find_field(&ksi_schema_structs[t->arg], k->str);
            if (!f) {
                ok = unknown(r, &ksi_schema_structs[t->arg], k) && ok;
                continue;
            }
            saved = ks_rd_push(r, k->str);
            ok = walk(r, n->items[2 * i + 1], f->ref) && ok;
            ks_rd_pop(r, saved);
        }
        return ok;
    case KSI_S_LIST:
        if (n->kind != KS_YAML_SEQ)
            return true;
        for (i = 0; i < n->n; i++) {
            saved = ks_rd_push_index(r, i);
            ok = walk(r, n->items[i], t->arg) && ok;
            ks_rd_pop(r, saved);
        }
        return ok;
    case KSI_S_MAP:
        if (n->kind != KS_YAML_MAP || ksi_schema_refs[t->arg].kind == KSI_S_VALUE)
            return true;
        for (i = 0; i < n->n; i++) {
            saved = ks_rd_push(r, n->items[2 * i]->str);
            ok = walk(r, n->items[2 * i + 1], t->arg) && ok;
            ks_rd_pop(r, saved);
        }
        return ok;
    default:
        return true;
    }
}

bool ksi_schema_check(ks_reader *r, const char *api, const char *kind, const ks_yaml_node *doc)
{
    const ksi_skind *k;
    for (k = ksi_schema_kinds; k->kind; k++)
        if (strcmp(k->api, api) == 0 && strcmp(k->kind, kind) == 0)
            return walk(r, doc, k->ref);
    return true;
}
