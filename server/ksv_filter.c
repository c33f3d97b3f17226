/* ksv_filter.c -- label and field selectors (labelSelector, fieldSelector),
 * matched against an object's JSON. Field selectors compare the string at a
 * dotted path (metadata.name, spec.nodeName, status.phase,
 * involvedObject.uid...); a missing field reads as "", so spec.nodeName=
 * finds unscheduled pods, as on the API server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_internal.h"
#include "load/ks_scenario.h"


/* Parses fieldSelector "a.b=v,c!=w" (=, ==, !=). Returns false with why. */
static bool parse_fields(ksv_filter *f, const char *s, char *why, size_t n)
{
    while (s && *s) {
        size_t len = strcspn(s, ","), op;
        ksv_field_req *q;
        char term[400];
        if (f->nfields == sizeof f->fields / sizeof f->fields[0]) {
            snprintf(why, n, "too many field selector terms");
            return false;
        }
        snprintf(term, sizeof term, "%.*s", (int)(len < sizeof term ? len : sizeof term - 1), s);
        q = &f->fields[f->nfields++];
        op = strcspn(term, "!=");
        if (!term[op] || op == 0 || op >= sizeof q->path) {
            snprintf(why, n, "invalid selector: can't understand '%.200s'", term);
            return false;
        }
        snprintf(q->path, sizeof q->path, "%.*s", (int)op, term);
        q->negate = term[op] == '!';
        op += term[op] == '!' ? 2 : term[op + 1] == '=' ? 2 : 1;
        snprintf(q->value, sizeof q->value, "%s", term + op);
        s += len + (s[len] == ',');
    }
    return true;
}

/* The string at a dotted path of obj ("" when absent). */
static const char *field_at(json_t *obj, const char *path, char *buf, size_t n)
{
    char part[128];
    json_t *v = obj;
    while (*path && v) {
        size_t len = strcspn(path, ".");
        snprintf(part, sizeof part, "%.*s", (int)(len < sizeof part ? len : sizeof part - 1),
                 path);
        v = json_object_get(v, part);
        path += len + (path[len] == '.');
    }
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    return "";
}

bool ksv_filter_match(const ksv_filter *f, const char *json, size_t len)
{
    json_t *obj;
    bool ok = true;
    size_t i;
    if (!f->has_labels && !f->nfields)
        return true;
    if (!(obj = json_loadb(json, len, 0, NULL)))
        return false;
    if (f->has_labels) {
        json_t *labels = json_object_get(json_object_get(obj, "metadata"), "labels");
        ks_kv kv[64];
        ks_kvs kvs = {kv, 0};
        const char *key;
        json_t *val;
        json_object_foreach(labels, key, val) {
            if (kvs.n < 64 && json_is_string(val))
                kv[kvs.n++] = (ks_kv){key, json_string_value(val)};
        }
        ok = ks_selector_matches(&f->labels, &kvs);
    }
    for (i = 0; ok && i < f->nfields; i++) {
        char buf[32];
        bool eq = strcmp(field_at(obj, f->fields[i].path, buf, sizeof buf),
                         f->fields[i].value) == 0;
        ok = eq != f->fields[i].negate;
    }
    json_decref(obj);
    return ok;
}

bool ksv_filter_parse(ksv_filter *f, const ksv_request *rq, ksv_response *rs)
{
    const char *lsel = ksv_param_get(rq, "labelSelector");
    const char *fsel = ksv_param_get(rq, "fieldSelector");
    char why[300];
    memset(f, 0, sizeof *f);
    if (!(f->ar = ks_arena_create(NULL))) {
        ksv_fail(rs, 500, "InternalError", "out of memory");
        return false;
    }
    if (lsel && lsel[0]) {
        if (ks_scn_selector_parse(f->ar, lsel, &f->labels, why, sizeof why) != KS_OK) {
            ksv_fail(rs, 400, "BadRequest", "unable to parse requirement: %s", why);
            ksv_filter_fini(f);
            return false;
        }
        f->has_labels = true;
    }
    if (fsel && fsel[0] && !parse_fields(f, fsel, why, sizeof why)) {
        ksv_fail(rs, 400, "BadRequest", "%s", why);
        ksv_filter_fini(f);
        return false;
    }
    return true;
}

void ksv_filter_fini(ksv_filter *f)
{
    ks_arena_destroy(f->ar);
    f->ar = NULL;
}
