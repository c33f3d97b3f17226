/* ksv_pod_update.c -- what an update (PUT, patch, kubectl apply, edit,
 * replace) may change in a Pod, as the API server's ValidatePodUpdate checks
 * it (pkg/apis/core/validation/validation.go): the containers' and init
 * containers' images, activeDeadlineSeconds (set, or lowered), tolerations
 * (only added: validateOnlyAddedTolerations) and a negative
 * terminationGracePeriodSeconds set to 1. Anything else in the spec is
 * refused with the API server's words: 422 Invalid, a cause per field error
 * (FieldValueForbidden, FieldValueInvalid), the message
 * `Pod "web" is invalid: spec: Forbidden: pod updates may not change fields
 * other than ...` and, after a newline, the fields that changed (the API
 * server prints cmp.Diff of the two Go structs; kubesim prints the changed
 * fields alone, old then new, as JSON). The specs are compared as the API
 * server compares them, after defaulting (ks_template_hash: a default
 * written out or left out is no change; map keys in any order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ks_strbuf.h"
#include "ksv_internal.h"
#include "ksv_json.h"
#include "load/ks_manifest.h"
#include "load/ks_yaml.h"

/* The fields an update may change, as the API server lists them
   (updatablePodSpecFields, joined with ","). */
#define UPDATABLE                                                                             \
    "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`," \
    "`spec.tolerations` (only additions to existing tolerations),"                            \
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "      \
    "negative)"

typedef struct field_errs {
    ks_strbuf list;               /* "field: body" joined with ", " */
    json_t *causes;
    size_t n;
} field_errs;

static void add_err(field_errs *e, const char *type, const char *field, const char *body)
{
    json_t *c = json_object();
    ks_strbuf_printf(&e->list, "%s%s: %s", e->n ? ", " : "", field, body);
    ksv_set_str(c, "reason", type);
    ksv_set_str(c, "message", body);
    ksv_set_str(c, "field", field);
    json_array_append_new(e->causes, c);
    e->n++;
}

/* The hash of a pod spec (or some of its fields) after defaulting: spec is
   put under a template's "spec" and read back as YAML (JSON is YAML). 0 when
   it could not be read (never equal to a hash: ks_template_hash is over the
   whole template). */
static uint32_t spec_hash(json_t *spec)
{
    json_t *wrap = json_object();
    char *text;
    uint32_t h = 0;
    if (spec)
        json_object_set(wrap, "spec", spec);
    text = json_dumps(wrap, JSON_COMPACT);
    json_decref(wrap);
    if (text) {
        ks_arena *ar = ks_arena_create(NULL);
        ks_diags *d = malloc(sizeof *d);
        ks_yaml_stream *st = NULL;
        ks_yaml_limits lim = ks_yaml_default_limits();
        if (ar && d) {
            ks_diags_init(d);
            if (ks_yaml_parse(ar, "spec", text, strlen(text), &lim, &st, d) == KS_OK && st
                && st->ndocs == 1)
                h = ks_template_hash(st->docs[0].root);
        }
        free(d);
        ks_arena_destroy(ar);
        free(text);
    }
    return h;
}

/* spec's key alone, hashed */
static uint32_t key_hash(json_t *spec, const char *key)
{
    json_t *one = json_object();
    uint32_t h;
    json_t *v = json_object_get(spec, key);
    if (v)
        json_object_set(one, key, v);
    h = spec_hash(one);
    json_decref(one);
    return h;
}

/* Go's name of a PodSpec field, for the diff */
static void go_name(const char *key, char *out, size_t n)
{
    if (strncmp(key, "dns", 3) == 0)
        snprintf(out, n, "DNS%s", key + 3);
    else
        snprintf(out, n, "%c%s", key[0] >= 'a' && key[0] <= 'z' ? key[0] - 'a' + 'A' : key[0],
                 key + 1);
}

static void diff_value(ks_strbuf *b, char sign, const char *name, json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    ks_strbuf_printf(b, "\n%c \t%s: %s,", sign, name, s ? s : "nil");
    free(s);
}

/* The changed fields of old and munged, and whether there is one. */
static bool spec_diff(json_t *old, json_t *munged, ks_strbuf *b)
{
    const char *key;
    json_t *v;
    size_t changed = 0;
    ks_strbuf_printf(b, "\n  core.PodSpec{");
    json_object_foreach(old, key, v) {
        char name[80];
        if (key_hash(old, key) == key_hash(munged, key))
            continue;
        go_name(key, name, sizeof name);
        diff_value(b, '-', name, v);
        diff_value(b, '+', name, json_object_get(munged, key));
        changed++;
    }
    json_object_foreach(munged, key, v) {
        char name[80];
        if (json_object_get(old, key) || key_hash(old, key) == key_hash(munged, key))
            continue;
        go_name(key, name, sizeof name);
        diff_value(b, '-', name, NULL);
        diff_value(b, '+', name, v);
        changed++;
    }
    ks_strbuf_printf(b, "\n  }");
    /* a change the per-field hashes miss (none known) still counts */
    return changed || spec_hash(old) != spec_hash(munged);
}

/* a toleration as validateOnlyAddedTolerations compares it: without its
   tolerationSeconds, an empty string as absent */
static json_t *toleration_key(json_t *t)
{
    json_t *c = json_deep_copy(t), *v;
    const char *k;
    void *tmp;
    json_object_del(c, "tolerationSeconds");
    json_object_foreach_safe(c, tmp, k, v)
        if (json_is_string(v) && !*json_string_value(v))
            json_object_del(c, k);
    return c;
}

static bool only_added(json_t *old, json_t *new)
{
    size_t i, j;
    json_t *o, *n;
    json_array_foreach(old, i, o) {
        json_t *ko = toleration_key(o);
        bool found = false;
        json_array_foreach(new, j, n) {
            json_t *kn = toleration_key(n);
            found = json_equal(ko, kn);
            json_decref(kn);
            if (found)
                break;
        }
        json_decref(ko);
        if (!found)
            return false;
    }
    return true;
}

/* The containers of key: the same number, or the Forbidden error; each
   image munged to old's (changed says whether one differed). */
static bool containers_ok(json_t *old, json_t *munged, const char *key, field_errs *e,
                          bool *changed)
{
    json_t *oc = json_object_get(old, key), *nc = json_object_get(munged, key), *c;
    size_t i;
    char field[64];
    if (json_array_size(oc) != json_array_size(nc)) {
        snprintf(field, sizeof field, "spec.%s", key);
        add_err(e, "FieldValueForbidden", field,
                "Forbidden: pod updates may not add or remove containers");
        return false;
    }
    json_array_foreach(nc, i, c) {
        json_t *was = json_object_get(json_array_get(oc, i), "image");
        json_t *img = json_object_get(c, "image");
        if (!json_is_string(img) || !*json_string_value(img)) {
            snprintf(field, sizeof field, "spec.%s[%zu].image", key, i);
            add_err(e, "FieldValueRequired", field, "Required value");
        }
        if (!json_equal(was, img))
            *changed = true;
        if (json_is_object(c) && was)
            json_object_set(c, "image", was);
    }
    return true;
}

/* activeDeadlineSeconds: set from none, or lowered (munged to old's) */
static void deadline_ok(json_t *old, json_t *munged, field_errs *e, bool *changed)
{
    json_t *o = json_object_get(old, "activeDeadlineSeconds");
    json_t *n = json_object_get(munged, "activeDeadlineSeconds");
    char body[160];
    if (n && !json_is_null(n)) {
        json_int_t v = json_integer_value(n);
        if (!json_is_integer(n) || v < 0 || v > 2147483647) {
            snprintf(body, sizeof body, "Invalid value: %lld: must be between 0 and 2147483647, "
                     "inclusive", (long long)v);
            add_err(e, "FieldValueInvalid", "spec.activeDeadlineSeconds", body);
        } else if (o && json_integer_value(o) < v) {
            snprintf(body, sizeof body, "Invalid value: %lld: must be less than or equal to "
                     "previous value", (long long)v);
            add_err(e, "FieldValueInvalid", "spec.activeDeadlineSeconds", body);
        }
    } else if (o) {
        add_err(e, "FieldValueInvalid", "spec.activeDeadlineSeconds",
                "Invalid value: \"null\": must not update from a positive integer to nil value");
    }
    if (!json_equal(o, n) && (o || (n && !json_is_null(n))))
        *changed = true;
    if (o)
        json_object_set(munged, "activeDeadlineSeconds", o);
    else
        json_object_del(munged, "activeDeadlineSeconds");
}

bool ksv_pod_update(const ksv_target *t, json_t *old, json_t *new, bool *changed,
                    ksv_response *rs)
{
    json_t *os = json_object_get(old, "spec"), *ns = json_object_get(new, "spec");
    json_t *munged = json_is_object(ns) ? json_deep_copy(ns) : json_object();
    json_t *ot, *nt;
    json_t *og = json_object_get(os, "terminationGracePeriodSeconds");
    json_t *ng = json_object_get(munged, "terminationGracePeriodSeconds");
    field_errs e;
    bool ok;
    *changed = false;
    /* the DefaultTolerationSeconds plugin admits an update too (kubectl
       apply's patch sends the manifest's tolerations alone) */
    ksv_default_tolerations(munged, false);
    ot = json_object_get(os, "tolerations");
    nt = json_object_get(munged, "tolerations");
    ks_strbuf_init(&e.list, NULL);
    e.causes = json_array();
    e.n = 0;
    if (containers_ok(os, munged, "containers", &e, changed)
        && containers_ok(os, munged, "initContainers", &e, changed)) {
        deadline_ok(os, munged, &e, changed);
        if (!only_added(ot, nt))
            add_err(&e, "FieldValueForbidden", "spec.tolerations",
                    "Forbidden: existing toleration can not be modified except its "
                    "tolerationSeconds");
        if (!json_equal(ot, nt))
            *changed = true;
        if (ot)
            json_object_set(munged, "tolerations", ot);
        else
            json_object_del(munged, "tolerations");
        if (json_integer_value(og) < 0 && json_integer_value(ng) == 1) {
            json_object_set(munged, "terminationGracePeriodSeconds", og);
            *changed = true;
        }
        {
            ks_strbuf b;
            ks_strbuf_init(&b, NULL);
            ks_strbuf_printf(&b, "Forbidden: pod updates may not change fields other than %s",
                             UPDATABLE);
            if (spec_diff(os, munged, &b))
                add_err(&e, "FieldValueForbidden", "spec", ks_strbuf_str(&b));
            ks_strbuf_fini(&b);
        }
    }
    ok = e.n == 0;
    if (!ok) {
        ks_strbuf m;
        ks_strbuf_init(&m, NULL);
        ks_strbuf_printf(&m, e.n == 1 ? "%s \"%s\" is invalid: %s" : "%s \"%s\" is invalid: [%s]",
                         t->r->kind, t->name, ks_strbuf_str(&e.list));
        ksv_fail_details(rs, 422, "Invalid", ks_strbuf_str(&m), t->name, t->r->group, t->r->kind,
                         json_incref(e.causes));
        ks_strbuf_fini(&m);
    }
    json_decref(e.causes);
    json_decref(munged);
    ks_strbuf_fini(&e.list);
    return ok;
}
