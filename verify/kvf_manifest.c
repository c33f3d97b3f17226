/* kvf_manifest.c -- YAML documents into JSON objects for the API server. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "load/ks_file.h"
#include "kvf_manifest.h"

json_t *kvf_yaml_to_json(const ks_yaml_node *n)
{
    json_t *j;
    size_t i;
    if (n->kind == KS_YAML_SEQ) {
        if (!(j = json_array()))
            return NULL;
        for (i = 0; i < n->n; i++) {
            json_t *v = kvf_yaml_to_json(n->items[i]);
            if (!v || json_array_append_new(j, v) != 0) {
                json_decref(j);
                return NULL;
            }
        }
        return j;
    }
    if (n->kind == KS_YAML_MAP) {
        if (!(j = json_object()))
            return NULL;
        for (i = 0; i < n->n; i++) {
            const ks_yaml_node *k = n->items[2 * i];
            json_t *v = kvf_yaml_to_json(n->items[2 * i + 1]);
            if (!v || k->kind != KS_YAML_SCALAR || json_object_setn_new(j, k->str, k->len, v)) {
                json_decref(v);
                json_decref(j);
                return NULL;
            }
        }
        return j;
    }
    {
        const char *t = ks_yaml_type_name(n);
        int64_t iv;
        bool bv;
        if (strcmp(t, "null") == 0)
            return json_null();
        if (strcmp(t, "boolean") == 0 && ks_yaml_bool(n, &bv))
            return json_boolean(bv);
        if (strcmp(t, "integer") == 0 && ks_yaml_int(n, &iv))
            return json_integer(iv);
        if (strcmp(t, "number") == 0)
            return json_real(strtod(n->str, NULL));
        return json_stringn(n->str, n->len);
    }
}

/* Every non-empty document of a stream, as JSON, onto arr. */
static int add_stream(const ks_yaml_stream *st, json_t *arr, ks_diags *d)
{
    size_t i;
    for (i = 0; i < st->ndocs; i++) {
        const ks_yaml_node *root = st->docs[i].root;
        json_t *j;
        if (root->kind == KS_YAML_SCALAR && ks_yaml_is_null(root))
            continue;
        if (root->kind != KS_YAML_MAP)
            return ks_diag_error(d, KS_ESCHEMA, root->mark, "a manifest must be a mapping "
                                 "(apiVersion, kind, metadata...), not %s",
                                 ks_yaml_type_name(root));
        if (!(j = kvf_yaml_to_json(root)) || json_array_append_new(arr, j) != 0)
            return ks_diag_error(d, KS_ENOMEM, root->mark, "out of memory");
    }
    return KS_OK;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool manifest_name(const char *n)
{
    size_t l = strlen(n);
    return (l > 5 && strcmp(n + l - 5, ".yaml") == 0) || (l > 4 && strcmp(n + l - 4, ".yml") == 0)
           || (l > 5 && strcmp(n + l - 5, ".json") == 0);
}

int kvf_manifests_load_path(ks_arena *ar, const char *path, json_t *arr, ks_diags *d)
{
    ks_yaml_limits lim = ks_yaml_default_limits();
    const char *what = ks_file_what(path);
    ks_yaml_stream *st;
    int rc;
    if (what && strcmp(what, "a folder") == 0) {
        DIR *dir = opendir(path);
        struct dirent *de;
        char **names = NULL;
        size_t n = 0, cap = 0, i;
        if (!dir)
            return ks_diag_error(d, KS_EIO, KS_MARK_NONE, "%s: cannot open the folder", path);
        rc = KS_OK;
        while ((de = readdir(dir)) != NULL) {
            if (de->d_name[0] == '.' || !manifest_name(de->d_name))
                continue;
            if (n == cap) {
                char **g = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *g);
                if (!g) {
                    rc = KS_ENOMEM;
                    break;
                }
                names = g;
            }
            names[n++] = ks_arena_printf(ar, "%s/%s", path, de->d_name);
        }
        closedir(dir);
        if (n)
            qsort(names, n, sizeof *names, name_cmp);
        for (i = 0; i < n && rc == KS_OK; i++)
            rc = names[i] ? kvf_manifests_load_path(ar, names[i], arr, d) : KS_ENOMEM;
        free(names);
        return rc == KS_ENOMEM ? ks_diag_error(d, rc, KS_MARK_NONE, "out of memory") : rc;
    }
    if ((rc = ks_yaml_load_file(ar, path, &lim, &st, d)) != KS_OK)
        return rc;
    return add_stream(st, arr, d);
}

int kvf_manifests_load(ks_arena *ar, const ks_scenario *sc, json_t *arr, ks_diags *d)
{
    ks_yaml_limits lim = ks_yaml_default_limits();
    size_t i;
    int rc;
    for (i = 0; i < sc->nmanifests; i++) {
        const ks_scn_manifest *m = &sc->manifests[i];
        if (m->text) {
            ks_yaml_stream *st;
            if ((rc = ks_yaml_parse(ar, sc->file, m->text, m->len, &lim, &st, d)) != KS_OK)
                return rc;
            rc = add_stream(st, arr, d);
        } else {
            rc = kvf_manifests_load_path(ar, m->resolved, arr, d);
        }
        if (rc != KS_OK)
            return rc;
    }
    return KS_OK;
}
