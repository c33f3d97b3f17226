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
#include "load/ks_manifest.h"

bool ksv_api_sync(ksv_api *api)
{
    bool ok = ksv_store_sync(api->store, api->dirty, ksv_watch_on_change, api);
    api->dirty = !ok;
    return ok;
}

static int keep_step(ksv_api *api, ks_time at, const char *line)
{
    char *copy = strdup(line);
    if (!copy)
        return -1;
    if (api->nsteps == api->cap_steps) {
        size_t cap = api->cap_steps ? 2 * api->cap_steps : 16;
        ksv_step *s = realloc(api->steps, cap * sizeof *s);
        if (!s) {
            free(copy);
            return -1;
        }
        api->steps = s;
        api->cap_steps = cap;
    }
    api->steps[api->nsteps].at = at;
    api->steps[api->nsteps++].line = copy;
    return 0;
}

/* The last non-empty line of kubectl's output, for a Status message. */
static void last_line(const char *out, char *why, size_t n)
{
    const char *end = out + strlen(out), *start;
    while (end > out && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    start = end;
    while (start > out && start[-1] != '\n')
        start--;
    if (strncmp(start, "error: ", 7) == 0)
        start += 7;
    snprintf(why, n, "%.*s", (int)(end - start), start);
}

int ksv_step_line(ksv_api *api, const char *line, char *why, size_t n)
{
    ks_strbuf out;
    ks_time at;
    int rc;
    ks_strbuf_init(&out, NULL);
    at = ks_run_quiet_instant(api->run);
    rc = ks_run_kubectl(api->run, line, &out);
    api->dirty = true;
    if (keep_step(api, at, line) != 0) {
        snprintf(why, n, "out of memory");
        rc = -1;
    } else if (rc != 0) {
        last_line(out.buf ? out.buf : "", why, n);
    }
    ks_strbuf_fini(&out);
    return rc;
}

/* The loader's first error about text, or "" when it loads. */
static int check_manifest(const char *text, size_t len, char *why, size_t n)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags *d = malloc(sizeof *d);
    ks_manifests m;
    int rc = -1, i;
    memset(&m, 0, sizeof m);
    if (!ar || !d) {
        snprintf(why, n, "out of memory");
    } else {
        ks_diags_init(d);
        rc = ks_manifest_load_text(ar, "request", text, len, 1, 1, NULL, &m, d);
        for (i = 0; rc != KS_OK && i < d->n; i++)
            if (d->items[i].sev == KS_SEV_ERROR) {
                snprintf(why, n, "%s", d->items[i].err.msg);
                break;
            }
        if (rc != KS_OK && i == d->n)
            snprintf(why, n, "kubesim cannot load this object");
    }
    free(d);
    ks_arena_destroy(ar);
    return rc == KS_OK ? 0 : -1;
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
