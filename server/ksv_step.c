/* ksv_step.c -- a write as a kubectl step of the run: at a quiet instant
 * (ks_run_quiet_instant), ks_run_kubectl runs the line as a timeline
 * `kubectl:` step would, and the API keeps (instant, line) for --record.
 * A manifest is checked by the loader first (nothing half-applied: a bad
 * object is refused before any step runs), then kept as a file in the
 * session folder and applied with `kubectl VERB -f FILE`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksv_internal.h"
#include "ksv_watch.h"
#include "kubectl/ks_kubectl.h"
#include "load/ks_manifest.h"

bool ksv_api_sync(ksv_api *api)
{
    bool ok = ksv_store_sync(api->store, api->dirty, ksv_watch_on_change, api);
    api->dirty = !ok;
    return ok;
}

static int keep_step(ksv_api *api, ks_time at, const char *line, const char *input)
{
    char *copy = strdup(line), *in = input ? strdup(input) : NULL;
    if (!copy || (input && !in)) {
        free(copy);
        free(in);
        return -1;
    }
    if (api->nsteps == api->cap_steps) {
        size_t cap = api->cap_steps ? 2 * api->cap_steps : 16;
        ksv_step *s = realloc(api->steps, cap * sizeof *s);
        if (!s) {
            free(copy);
            free(in);
            return -1;
        }
        api->steps = s;
        api->cap_steps = cap;
    }
    api->steps[api->nsteps].at = at;
    api->steps[api->nsteps].input = in;
    api->steps[api->nsteps++].line = copy;
    return 0;
}

/* The last non-empty line of kubectl's output, for a Status message; from
 * the API server's error on, when kubectl printed one (its message may
 * hold newlines: a webhook's denial of two paths). */
static void last_line(const char *out, char *why, size_t n)
{
    const char *end = out + strlen(out), *start, *err = strstr(out, "Error from server (");
    while (end > out && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    start = end;
    while (start > out && start[-1] != '\n')
        start--;
    if (err && err < start && (err == out || err[-1] == '\n'))
        start = err;
    if (strncmp(start, "error: ", 7) == 0)
        start += 7;
    snprintf(why, n, "%.*s", (int)(end - start), start);
}

/* Runs line as a step at a quiet instant, kept for --record; what kubectl
 * printed goes to out. -1 when out of memory. */
static int step_line(ksv_api *api, const char *line, ks_strbuf *out, ks_kubectl_tables *tables)
{
    ks_time at = ks_run_quiet_instant(api->run);
    /* the command as a timeline step puts it on the trace: without the
       word kubectl (ks_scenario_timeline.c drops it), so that a recording
       replays the trace byte for byte */
    int rc = ks_run_kubectl_tables(api->run, strncmp(line, "kubectl ", 8) == 0 ? line + 8 : line,
                                   out, tables);
    api->dirty = true;
    return keep_step(api, at, line, NULL) != 0 ? -1 : rc;
}

int ksv_step_line(ksv_api *api, const char *line, char *why, size_t n)
{
    ks_strbuf out;
    int rc;
    ks_strbuf_init(&out, NULL);
    rc = step_line(api, line, &out, NULL);
    if (rc == -1)
        snprintf(why, n, "out of memory");
    else if (rc != 0)
        last_line(out.buf ? out.buf : "", why, n);
    ks_strbuf_fini(&out);
    return rc;
}

int ksv_api_kubectl(ksv_api *api, const char *line, ks_strbuf *out, ks_kubectl_tables *tables)
{
    return step_line(api, line, out, tables);
}

int ksv_step_node(ksv_api *api, const char *name, ks_scn_node_action action,
                  const char *verb, char *why, size_t n)
{
    char line[400];
    ks_time at;
    int rc;
    if (!ks_cluster_find(api->sim, KS_KIND_NODE, NULL, name)) {
        snprintf(why, n, "nodes \"%.200s\" not found", name);
        return -1;
    }
    at = ks_run_quiet_instant(api->run);
    rc = ks_run_node(api->run, name, action);
    api->dirty = true;
    snprintf(line, sizeof line, "node %.200s %s", name, verb);
    if (rc != KS_OK || keep_step(api, at, line, NULL) != 0) {
        snprintf(why, n, rc != KS_OK ? "nodes \"%.200s\" not found" : "out of memory", name);
        return -1;
    }
    return 0;
}

void ksv_step_exec(ksv_api *api, ks_time at, const char *line, ks_id pod, const char *container,
                   const char *const *argv, size_t argc, const char *input,
                   ks_exec_result *res)
{
    ks_run_exec(api->run, strncmp(line, "kubectl ", 8) == 0 ? line + 8 : line, pod, container,
                argv, argc, input, res);
    api->dirty = true;
    keep_step(api, at, line, input);   /* out of memory: the recording lacks it */
}

/* text loaded into ar (*out: its first object, or NULL): 0, or -1 with the
   loader's first error in why */
static int load_text(ks_arena *ar, const char *text, size_t len, ks_object **out, char *why,
                     size_t n)
{
    ks_diags *d = malloc(sizeof *d);
    ks_manifests m;
    int rc, i;
    memset(&m, 0, sizeof m);
    *out = NULL;
    if (!d) {
        snprintf(why, n, "out of memory");
        return -1;
    }
    ks_diags_init(d);
    rc = ks_manifest_load_text(ar, "request", text, len, 1, 1, NULL, &m, d);
    for (i = 0; rc != KS_OK && i < d->n; i++)
        if (d->items[i].sev == KS_SEV_ERROR) {
            snprintf(why, n, "%s", d->items[i].err.msg);
            break;
        }
    if (rc != KS_OK && i == d->n)
        snprintf(why, n, "kubesim cannot load this object");
    free(d);
    if (rc == KS_OK && m.n)
        *out = m.objs[0];
    return rc == KS_OK ? 0 : -1;
}

/* The loader's first error about text in why: -1, or 0 when it loads. */
static int check_manifest(const char *text, size_t len, char *why, size_t n)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_object *o;
    int rc = -1;
    if (!ar)
        snprintf(why, n, "out of memory");
    else
        rc = load_text(ar, text, len, &o, why, n);
    ks_arena_destroy(ar);
    return rc;
}

ks_object *ksv_load_object(ks_arena *ar, json_t *obj, char *why, size_t n)
{
    char *text = json_dumps(obj, JSON_COMPACT);
    ks_object *o = NULL;
    if (!text) {
        snprintf(why, n, "out of memory");
        return NULL;
    }
    load_text(ar, text, strlen(text), &o, why, n);
    free(text);
    return o;
}

/* ---- fieldValidation ------------------------------------------------------------------ */
static int check_manifest(const char *text, size_t len, char *why, size_t n);

/* Removes the field at path ("spec.template.spec.containers[0].imagePullPolcy")
   from obj; false when it is not there. */
static bool remove_path(json_t *obj, const char *path)
{
    char seg[256];
    json_t *at = obj;
    while (*path) {
        size_t len = strcspn(path, ".[");
        const char *next = path + len;
        if (len >= sizeof seg)
            return false;
        memcpy(seg, path, len);
        seg[len] = '\0';
        if (!*next)
            return json_object_del(at, seg) == 0;
        if (len && !(at = json_object_get(at, seg)))
            return false;
        while (*next == '[') {
            at = json_array_get(at, strtoul(next + 1, NULL, 10));
            next = strchr(next, ']');
            if (!at || !next)
                return false;
            next++;
        }
        path = *next == '.' ? next + 1 : next;
    }
    return false;
}

/* Takes out of obj the fields its kind does not have, as the loader's
   strict decoding names them (strict decoding error: unknown field
   "spec.replicsa"...), one load at a time; their names, as the API server
   lists them (unknown field "spec.replicsa", unknown field "..."), go to
   out. Returns how many. */
static size_t strip_unknown(json_t *obj, char *out, size_t n)
{
    static const char mark[] = "strict decoding error: unknown field \"";
    size_t count = 0, len = 0;
    out[0] = '\0';
    while (count < 64) {
        char *text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER), why[1024], path[600];
        const char *f, *end;
        int rc;
        if (!text)
            break;
        why[0] = '\0';
        rc = check_manifest(text, strlen(text), why, sizeof why);
        free(text);
        if (rc == 0 || !(f = strstr(why, mark)) || !(end = strchr(f + sizeof mark - 1, '"')))
            break;
        f += sizeof mark - 1;
        snprintf(path, sizeof path, "%.*s", (int)(end - f), f);
        if (!remove_path(obj, path))
            break;
        if (len < n)
            len += (size_t)snprintf(out + len, n - len, "%sunknown field \"%s\"",
                                    count ? ", " : "", path);
        count++;
    }
    return count;
}

bool ksv_fields_ok(const ksv_request *rq, const ksv_resource *r, json_t *obj, ksv_response *rs)
{
    /* fieldValidation (k8s.io/apiserver handlers/rest.go): Strict (what
       kubectl 1.27+ sends: --validate=strict) refuses the object, Warn (the
       server's default) drops the fields and says so in a Warning header,
       Ignore drops them */
    const char *fv = ksv_param_get(rq, "fieldValidation");
    json_t *copy = json_deep_copy(obj), *v;
    const char *key;
    void *tmp;
    char list[sizeof rs->warning];
    size_t n = copy ? strip_unknown(copy, list, sizeof list) : 0;
    if (n && fv && strcmp(fv, "Strict") == 0) {
        ksv_fail(rs, 400, "BadRequest", "%s in version \"%s\" cannot be handled as a %s: "
                 "strict decoding error: %s", r->kind, r->version, r->kind, list);
        json_decref(copy);
        return false;
    }
    if (n) {
        json_object_update(obj, copy);
        json_object_foreach_safe(obj, tmp, key, v) {
            if (!json_object_get(copy, key))
                json_object_del(obj, key);
        }
        if (!fv || strcmp(fv, "Ignore") != 0)
            snprintf(rs->warning, sizeof rs->warning, "%s", list);
    }
    json_decref(copy);
    return true;
}

/* ---- generateName ----------------------------------------------------------------------- */
bool ksv_generate_name(ksv_api *api, const ksv_resource *r, const char *ns, json_t *obj)
{
    /* names.SimpleNameGenerator: the prefix (at most 58 bytes) and 5 of
       these; the sequence here is a hash of the prefix and the server's
       count of writes, so a run that makes the same requests makes the
       same names */
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    json_t *meta = json_object_get(obj, "metadata");
    const char *gen = json_string_value(json_object_get(meta, "generateName"));
    char name[80], seed[120];
    int attempt, i;
    if (!gen || json_string_value(json_object_get(meta, "name")))
        return false;
    for (attempt = 0; attempt < 8; attempt++) {
        uint64_t h;
        snprintf(seed, sizeof seed, "%.58s/%u/%d", gen, api->files, attempt);
        h = ksv_hash(seed, KSV_HASH_SEED);
        snprintf(name, sizeof name, "%.58s", gen);
        for (i = 0; i < 5; i++, h /= 27)
            name[strlen(name) + 1] = '\0', name[strlen(name)] = alphabet[h % 27];
        if (!ksv_store_get(api->store, r, r->namespaced ? ns : NULL, name))
            break;
    }
    json_object_set_new(meta, "name", json_string(name));
    return true;
}

int ksv_step_manifest(ksv_api *api, const char *verb, json_t *obj, char *why, size_t n)
{
    char *text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER), path[4600], line[4800];
    const char *kind = json_string_value(json_object_get(obj, "kind"));
    const char *name = json_string_value(json_object_get(json_object_get(obj, "metadata"),
                                                         "name"));
    FILE *f;
    int rc;
    if (!text) {
        snprintf(why, n, "out of memory");
        return -1;
    }
    if (!api->cfg.session_dir || !api->cfg.session_rel) {
        snprintf(why, n, "this server keeps no session folder: writes are off");
        free(text);
        return -1;
    }
    if (check_manifest(text, strlen(text), why, n) != 0) {
        free(text);
        return -1;
    }
    api->files++;
    snprintf(path, sizeof path, "%s/%04u-%s-%s.json", api->cfg.session_dir, api->files,
             kind ? kind : "object", name ? name : "");
    for (char *p = path + strlen(api->cfg.session_dir) + 1; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (!(f = fopen(path, "w")) || fputs(text, f) < 0 || fputc('\n', f) < 0) {
        snprintf(why, n, "cannot write %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        free(text);
        return -1;
    }
    free(text);
    if (fclose(f) != 0) {
        snprintf(why, n, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    snprintf(line, sizeof line, "kubectl %s -f %s/%s", verb, api->cfg.session_rel,
             strrchr(path, '/') + 1);
    rc = ksv_step_line(api, line, why, n);
    return rc;
}
