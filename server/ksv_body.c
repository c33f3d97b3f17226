/* ksv_body.c -- request bodies: JSON (jansson) or YAML (sim/'s libyaml
 * reader, with the loader's limits) into a json_t, and the three patch
 * formats of the API server:
 *   application/merge-patch+json          RFC 7386
 *   application/strategic-merge-patch+json lists merged by their patchMergeKey
 *                                          (k8s.io/api/core/v1/types.go tags)
 *   application/json-patch+json           RFC 6902 (add remove replace test move copy)
 * Server-side apply (application/apply-patch+yaml) sends the whole intent:
 * ksv_write.c applies it as a manifest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_body.h"
#include "load/ks_yaml.h"

/* ---- decoding ------------------------------------------------------------------------- */
static json_t *scalar(const ks_yaml_node *n)
{
    int64_t i;
    char *end;
    double d;
    if (n->style != KS_YAML_PLAIN || n->tag)
        return json_stringn(n->str, n->len);
    if (ks_yaml_is_null(n))
        return json_null();
    if (strcmp(n->str, "true") == 0 || strcmp(n->str, "True") == 0)
        return json_true();
    if (strcmp(n->str, "false") == 0 || strcmp(n->str, "False") == 0)
        return json_false();
    if (ks_yaml_int(n, &i))
        return json_integer(i);
    d = strtod(n->str, &end);
    if (n->str[0] && !*end && (n->str[0] == '-' || n->str[0] == '.' || (n->str[0] >= '0' && n->str[0] <= '9')))
        return json_real(d);
    return json_stringn(n->str, n->len);
}

json_t *ksv_from_yaml(const ks_yaml_node *n)
{
    json_t *o;
    size_t i;
    switch (n->kind) {
    case KS_YAML_SEQ:
        if (!(o = json_array()))
            return NULL;
        for (i = 0; i < n->n; i++)
            if (json_array_append_new(o, ksv_from_yaml(n->items[i])) != 0) {
                json_decref(o);
                return NULL;
            }
        return o;
    case KS_YAML_MAP:
        if (!(o = json_object()))
            return NULL;
        for (i = 0; i < n->n; i++) {
            const ks_yaml_node *k = n->items[2 * i];
            if (k->kind != KS_YAML_SCALAR || json_object_set_new(o, k->str,
                                                                 ksv_from_yaml(n->items[2 * i + 1])) != 0) {
                json_decref(o);
                return NULL;
            }
        }
        return o;
    default:
        return scalar(n);
    }
}

json_t *ksv_body_decode(const char *body, size_t len, bool yaml_ok, char *err, size_t n)
{
    json_error_t je;
    json_t *v;
    size_t i = 0;
    if (!body || !len) {
        snprintf(err, n, "the body of the request was empty");
        return NULL;
    }
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
        i++;
    if (!yaml_ok || (i < len && (body[i] == '{' || body[i] == '['))) {
        v = json_loadb(body, len, 0, &je);
        if (!v)
            snprintf(err, n, "couldn't get version/kind; json parse error: %s (line %d, column %d)",
                     je.text, je.line, je.column);
        return v;
    }
    {
        ks_arena *ar = ks_arena_create(NULL);
        ks_diags *d = malloc(sizeof *d);
        ks_yaml_stream *st = NULL;
        ks_yaml_limits lim = ks_yaml_default_limits();
        v = NULL;
        if (!ar || !d) {
            snprintf(err, n, "out of memory");
        } else {
            ks_diags_init(d);
            if (memchr(body, '\0', len))
                snprintf(err, n, "error converting YAML to JSON: the body holds a NUL byte");
            else if (ks_yaml_parse(ar, "body", body, len, &lim, &st, d) != KS_OK || !st)
                snprintf(err, n, "error converting YAML to JSON: %s",
                         d->n ? d->items[0].err.msg : "not YAML");
            else if (st->ndocs != 1)
                snprintf(err, n, "error converting YAML to JSON: one document expected, not %zu",
                         st->ndocs);
            else if (!(v = ksv_from_yaml(st->docs[0].root)))
                snprintf(err, n, "error converting YAML to JSON: out of memory");
        }
        free(d);
        ks_arena_destroy(ar);
        return v;
    }
}

/* ---- merge patch (RFC 7386) ----------------------------------------------------------- */
json_t *ksv_merge_patch(json_t *target, const json_t *patch)
{
    const char *key;
    json_t *v;
    if (!json_is_object(patch)) {
        json_decref(target);
        return json_deep_copy(patch);
    }
    if (!json_is_object(target)) {
        json_decref(target);
        target = json_object();
    }
    json_object_foreach((json_t *)patch, key, v) {
        if (json_is_null(v)) {
            json_object_del(target, key);
        } else {
            json_t *cur = json_object_get(target, key);
            json_incref(cur);
            json_object_set_new(target, key, ksv_merge_patch(cur, v));
        }
    }
    return target;
}

/* ---- strategic merge patch ------------------------------------------------------------ */
/* The patchMergeKey of a list field (k8s.io/api/core/v1/types.go:
   Containers/InitContainers/Volumes/Env/ImagePullSecrets `patchMergeKey:"name"`,
   VolumeMounts "mountPath", ContainerPort "containerPort", ServicePort "port",
   Conditions "type", OwnerReferences "uid", HostAliases "ip"); NULL: replaced. */
static const char *merge_key(const char *field, const json_t *list)
{
    static const char *const keys[][2] = {
        {"containers", "name"}, {"initContainers", "name"}, {"ephemeralContainers", "name"},
        {"volumes", "name"}, {"env", "name"}, {"imagePullSecrets", "name"},
        {"volumeMounts", "mountPath"}, {"conditions", "type"}, {"ownerReferences", "uid"},
        {"hostAliases", "ip"}};
    size_t i;
    if (strcmp(field, "ports") == 0) {
        json_t *first = json_array_get(list, 0);
        return json_object_get(first, "containerPort") ? "containerPort" : "port";
    }
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(field, keys[i][0]) == 0)
            return keys[i][1];
    return NULL;
}

static json_t *find_by(json_t *list, const char *key, const json_t *want, size_t *at)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (json_equal(json_object_get(e, key), (json_t *)want)) {
            *at = i;
            return e;
        }
    }
    return NULL;
}

static json_t *strategic(json_t *target, const json_t *patch, const char *field);

static json_t *merge_list(json_t *target, const json_t *patch, const char *field)
{
    const char *key = merge_key(field, patch);
    size_t i;
    json_t *e;
    if (!key || !json_is_array(target)) {
        json_t *copy = json_array();
        json_decref(target);
        json_array_foreach((json_t *)patch, i, e) {
            const json_t *d = json_object_get(e, "$patch");
            if (!d)
                json_array_append_new(copy, json_deep_copy(e));
        }
        return copy;
    }
    json_array_foreach((json_t *)patch, i, e) {
        const json_t *want = json_object_get(e, key);
        const char *directive = json_string_value(json_object_get(e, "$patch"));
        size_t at = 0;
        json_t *cur = want ? find_by(target, key, want, &at) : NULL;
        if (directive && strcmp(directive, "delete") == 0) {
            if (cur)
                json_array_remove(target, at);
        } else if (cur) {
            json_incref(cur);
            json_array_set_new(target, at, strategic(cur, e, NULL));
        } else {
            json_array_append_new(target, strategic(json_object(), e, NULL));
        }
    }
    return target;
}

static json_t *strategic(json_t *target, const json_t *patch, const char *field)
{
    const char *key;
    json_t *v;
    (void)field;
    if (!json_is_object(patch)) {
        json_decref(target);
        return json_deep_copy(patch);
    }
    if (!json_is_object(target)) {
        json_decref(target);
        target = json_object();
    }
    key = json_string_value(json_object_get(patch, "$patch"));
    if (key && strcmp(key, "replace") == 0) {
        json_t *copy = json_deep_copy(patch);
        json_decref(target);
        json_object_del(copy, "$patch");
        return copy;
    }
    json_object_foreach((json_t *)patch, key, v) {
        json_t *cur;
        if (key[0] == '$')              /* $patch, $setElementOrder/..., $retainKeys, ... */
            continue;
        if (json_is_null(v)) {
            json_object_del(target, key);
            continue;
        }
        cur = json_object_get(target, key);
        json_incref(cur);
        if (json_is_array(v))
            json_object_set_new(target, key, merge_list(cur, v, key));
        else
            json_object_set_new(target, key, strategic(cur, v, key));
    }
    return target;
}

json_t *ksv_strategic_patch(json_t *target, const json_t *patch)
{
    return strategic(target, patch, NULL);
}

/* ---- JSON patch (RFC 6902) ------------------------------------------------------------ */
/* Finds the parent of a JSON pointer's last token; *last gets the token,
   unescaped (~1 is /, ~0 is ~). */
static json_t *parent_of(json_t *doc, const char *ptr, char *last, size_t n)
{
    json_t *cur = doc;
    char tok[256];
    if (ptr[0] != '/')
        return NULL;
    for (;;) {
        const char *p = ptr + 1, *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p), o = 0, i;
        for (i = 0; i < len && o + 1 < sizeof tok; i++) {
            if (p[i] == '~' && i + 1 < len && (p[i + 1] == '0' || p[i + 1] == '1')) {
                tok[o++] = p[i + 1] == '0' ? '~' : '/';
                i++;
            } else {
                tok[o++] = p[i];
            }
        }
        tok[o] = '\0';
        if (!end) {
            snprintf(last, n, "%s", tok);
            return cur;
        }
        if (json_is_object(cur))
            cur = json_object_get(cur, tok);
        else if (json_is_array(cur) && tok[0] >= '0' && tok[0] <= '9')
            cur = json_array_get(cur, strtoul(tok, NULL, 10));
        else
            return NULL;
        if (!cur)
            return NULL;
        ptr = end;
    }
}

static json_t *get_at(json_t *doc, const char *ptr)
{
    char last[256];
    json_t *p;
    if (ptr[0] == '\0')
        return doc;
    if (!(p = parent_of(doc, ptr, last, sizeof last)))
        return NULL;
    if (json_is_object(p))
        return json_object_get(p, last);
    if (json_is_array(p) && last[0] >= '0' && last[0] <= '9')
        return json_array_get(p, strtoul(last, NULL, 10));
    return NULL;
}

static bool remove_at(json_t *doc, const char *ptr)
{
    char last[256];
    json_t *p = parent_of(doc, ptr, last, sizeof last);
    if (json_is_object(p))
        return json_object_del(p, last) == 0;
    if (json_is_array(p) && last[0] >= '0' && last[0] <= '9')
        return json_array_remove(p, strtoul(last, NULL, 10)) == 0;
    return false;
}

/* Adds value (stolen) at ptr. */
static bool add_at(json_t *doc, const char *ptr, json_t *value, bool replace)
{
    char last[256];
    json_t *p = parent_of(doc, ptr, last, sizeof last);
    if (!value)
        return false;
    if (json_is_object(p) && (!replace || json_object_get(p, last)))
        return json_object_set_new(p, last, value) == 0;
    if (json_is_array(p)) {
        size_t i = strtoul(last, NULL, 10);
        if (strcmp(last, "-") == 0 && !replace)
            return json_array_append_new(p, value) == 0;
        if (last[0] < '0' || last[0] > '9')
            return json_decref(value), false;
        return (replace ? json_array_set_new(p, i, value) : json_array_insert_new(p, i, value)) == 0;
    }
    json_decref(value);
    return false;
}

json_t *ksv_json_patch(json_t *doc, const json_t *ops, char *err, size_t n)
{
    size_t i;
    json_t *op;
    if (!json_is_array(ops)) {
        snprintf(err, n, "a JSON patch is a list of operations");
        return json_decref(doc), NULL;
    }
    json_array_foreach((json_t *)ops, i, op) {
        const char *name = json_string_value(json_object_get(op, "op"));
        const char *path = json_string_value(json_object_get(op, "path"));
        const char *from = json_string_value(json_object_get(op, "from"));
        json_t *value = json_object_get(op, "value");
        bool ok;
        if (!name || !path) {
            snprintf(err, n, "operation %zu: op and path are required", i);
            return json_decref(doc), NULL;
        }
        if (path[0] == '\0') {
            snprintf(err, n, "operation %zu: kubesim does not replace the whole document", i);
            return json_decref(doc), NULL;
        }
        if (strcmp(name, "add") == 0)
            ok = value && add_at(doc, path, json_deep_copy(value), false);
        else if (strcmp(name, "replace") == 0)
            ok = value && add_at(doc, path, json_deep_copy(value), true);
        else if (strcmp(name, "remove") == 0)
            ok = remove_at(doc, path);
        else if (strcmp(name, "test") == 0)
            ok = value && json_equal(get_at(doc, path), value);
        else if ((strcmp(name, "move") == 0 || strcmp(name, "copy") == 0) && from) {
            json_t *v = json_deep_copy(get_at(doc, from));
            ok = v && (name[0] == 'c' || remove_at(doc, from)) && add_at(doc, path, v, false);
        } else {
            snprintf(err, n, "operation %zu: unknown op \"%s\"", i, name);
            return json_decref(doc), NULL;
        }
        if (!ok) {
            snprintf(err, n, "the server rejected our request due to an error in our request: "
                             "%s operation %zu does not apply: doc is missing path: \"%s\"",
                     name, i, path);
            return json_decref(doc), NULL;
        }
    }
    return doc;
}
