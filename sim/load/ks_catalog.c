/* ks_catalog.c -- the image catalog (see ks_catalog.h).
 *
 * The file format, as productions (every map is strict: unknown keys are
 * errors, with a suggestion when one is close):
 *   catalog  := {images: [entry...]}
 *   entry    := {match: GLOB | [GLOB...], kind: KIND, port: 1..65535,
 *                startup|pull|shutdown|latency: DURATION, size: TEXT,
 *                pullable: BOOL, dataDir: /PATH, dataDirEnv: ENV,
 *                requireEnv: [ENV | require...], failures: [failure...],
 *                uses: {database: {host, port, user, password, name: ENV},
 *                       cache: {host, port: ENV}},
 *                routes: [route...], logs: {start|ready|stop: TEXT | [TEXT...]},
 *                cpu: {perRequest|perJob: DURATION, idle|cores: CPU, fromArg: TEXT},
 *                memory: {base|perConnection|perRecord: BYTES, fromArg: TEXT}}
 *   require  := {anyOf: ENV[=VALUE] | [...], when: when, message: TEXT, exitCode: 0..255}
 *   failure  := {when: when, message: TEXT, exitCode: 0..255}
 *   when     := {mountedAt: /PATH, envUnset: ENV | [...], envSet: ENV | [...],
 *                dataDirEmpty: BOOL, dataDirReadOnly: BOOL}   (at least one; all must hold)
 *   route    := {method: GET.., path: /GLOB, reads|writes: TARGET | [TARGET...],
 *                status: 100..599, body: TEXT}     TARGET := database | cache
 * Field checks happen at load so that the simulation can trust an entry:
 * a route may only read or write what `uses` configures, dataDir only on a
 * database, and so on. Readers return nothing: success is "no new errors in
 * the diagnostics", which lets one pass report every problem.
 */
#include "ks_catalog.h"

#include <stdio.h>
#include <string.h>

#include "internal/catalog.h"
#include "internal/loadutil.h"
#include "internal/manifest.h"
#include "ks_file.h"
#include "ks_validate.h"

#define MAX_ITEMS 100             /* globs, routes, requirements... per entry */

struct ks_catalog {
    const ks_image_entry **items;
    size_t n;
};

static const char *const kind_names[] = {"generic",  "web",   "api",   "worker",
                                         "database", "cache", "shell", "stress"};

const char *ks_image_kind_name(ks_image_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

bool ks_image_kind_parse(const char *s, ks_image_kind *out)
{
    size_t i;
    for (i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (ks_image_kind)i;
            return true;
        }
    return false;
}

/* ---- matching ------------------------------------------------------------ */

/* '*' and '?' glob; iterative, backtracking only to the last star, so it is
 * O(len(g) * len(s)) at worst and never recurses. */
bool ks_glob(const char *g, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*g == '*') {
            star = ++g;
            resume = s;
        } else if (*g == '?' || *g == *s) {
            g++;
            s++;
        } else if (star) {
            g = star;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*g == '*')
        g++;
    return *g == '\0';
}

static const char *short_form(const char *image)
{
    static const char *const hubs[] = {"docker.io/", "index.docker.io/",
                                       "registry-1.docker.io/"};
    size_t i;
    for (i = 0; i < sizeof hubs / sizeof hubs[0]; i++)
        if (strncmp(image, hubs[i], strlen(hubs[i])) == 0) {
            image += strlen(hubs[i]);
            break;
        }
    if (strncmp(image, "library/", 8) == 0)
        image += 8;
    return image;
}

bool ks_catalog_match(const char *g, const char *image)
{
    const char *sf = short_form(image);
    return ks_glob(g, image) || (sf != image && ks_glob(g, sf));
}

/* ---- reading entries ----------------------------------------------------- */

static bool had_errors_since(const ks_reader *r, int before)
{
    return r->d->errors > before;
}

void ksi_cat_abs_path(ks_reader *r, const ks_yaml_node *m, const char *key, const char **out)
{
    const ks_yaml_node *n = ks_yaml_get(m, key);
    if (ks_rd_str(r, m, key, false, out) && (*out)[0] != '/') {
        ks_rd_fail(r, n, KS_EINVAL, "%s must be an absolute path (starting with /), not '%s'",
                   ks_rd_field(r, key), *out);
        *out = NULL;
    }
}

static bool env_ok(const char *s)
{
    return s && !ks_check_env_name(s);
}

void ksi_cat_env_name(ks_reader *r, const ks_yaml_node *m, const char *key, const char **out)
{
    const ks_yaml_node *n = ks_yaml_get(m, key);
    if (ks_rd_str(r, m, key, false, out) && !env_ok(*out)) {
        ks_rd_fail(r, n, KS_EINVAL,
                   "%s must be an environment variable name (letters, digits, '_'), "
                   "not '%s'", ks_rd_field(r, key), *out);
        *out = NULL;
    }
}

/* A list of env names; with_value allows NAME=VALUE items. */
static void read_env_list(ks_reader *r, const ks_yaml_node *m, const char *key,
                          bool with_value, const char ***out, size_t *n)
{
    const ks_yaml_node *v = ks_yaml_get(m, key);
    size_t i;
    if (!ksi_rd_str_or_list(r, m, key, MAX_ITEMS, out, n))
        return;
    for (i = 0; i < *n; i++) {
        const char *s = (*out)[i], *eq = with_value ? strchr(s, '=') : NULL;
        char *name = eq ? ks_arena_strndup(r->ar, s, (size_t)(eq - s)) : NULL;
        if (eq && !name)
            ks_rd_fail(r, v, KS_ENOMEM, "out of memory");
        else if (!env_ok(eq ? name : s))
            ks_rd_fail(r, v->kind == KS_YAML_SEQ ? v->items[i] : v, KS_EINVAL,
                       "%s: '%s' is not an environment variable name%s",
                       ks_rd_field(r, key), s, with_value ? " (or NAME=VALUE)" : "");
    }
}

static void read_when(ks_reader *r, const ks_yaml_node *parent, bool required,
                      ks_image_when *w)
{
    static const char *const keys[] = {"mountedAt", "envUnset", "envSet", "dataDirEmpty",
                                       "dataDirReadOnly", NULL};
    const ks_yaml_node *m = ks_rd_map(r, parent, "when", required);
    size_t saved;
    bool b;
    memset(w, 0, sizeof *w);
    w->data_dir_empty = -1;
    w->data_dir_read_only = -1;
    if (!m)
        return;
    saved = ks_rd_push(r, "when");
    ks_rd_strict(r, m, keys);
    ksi_cat_abs_path(r, m, "mountedAt", &w->mounted_at);
    read_env_list(r, m, "envUnset", false, &w->env_unset, &w->n_env_unset);
    read_env_list(r, m, "envSet", false, &w->env_set, &w->n_env_set);
    if (ks_rd_bool(r, m, "dataDirEmpty", false, &b))
        w->data_dir_empty = b;
    if (ks_rd_bool(r, m, "dataDirReadOnly", false, &b))
        w->data_dir_read_only = b;
    if (m->n == 0)
        ks_rd_fail(r, m, KS_ESCHEMA,
                   "%s needs at least one condition: mountedAt, envUnset, envSet, "
                   "dataDirEmpty or dataDirReadOnly", r->path);
    ks_rd_pop(r, saved);
}

/* "error: environment variable X is not set" / "error: none of X, Y is set" */
static const char *default_message(ks_arena *ar, const ks_image_require *q)
{
    char buf[512];
    size_t len, i;
    if (q->n_any_of == 1)
        return ks_arena_printf(ar, "error: environment variable %s is not set", q->any_of[0]);
    len = (size_t)snprintf(buf, sizeof buf, "error: none of ");
    for (i = 0; i < q->n_any_of && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "",
                                q->any_of[i]);
    if (len < sizeof buf)
        snprintf(buf + len, sizeof buf - len, " is set");
    return ks_arena_strdup(ar, buf);
}

static void read_require(ks_reader *r, const ks_yaml_node *n, ks_image_require *q)
{
    static const char *const keys[] = {"anyOf", "when", "message", "exitCode", NULL};
    int64_t code = 1;
    q->mark = n->mark;
    q->exit_code = 1;
    q->when.data_dir_empty = -1;
    if (n->kind == KS_YAML_SCALAR) {
        const char *s;
        if (!ks_rd_node_str(r, n, "", &s))
            return;
        if (!env_ok(s)) {
            ks_rd_fail(r, n, KS_EINVAL, "%s: '%s' is not an environment variable name",
                       r->path, s);
            return;
        }
        if (!(q->any_of = ks_arena_alloc(r->ar, sizeof *q->any_of))) {
            ks_rd_fail(r, n, KS_ENOMEM, "out of memory");
            return;
        }
        q->any_of[0] = s;
        q->n_any_of = 1;
    } else if (n->kind == KS_YAML_MAP) {
        ks_rd_strict(r, n, keys);
        if (!ks_yaml_get(n, "anyOf"))
            ks_rd_fail(r, n, KS_ESCHEMA, "%s is required", ks_rd_field(r, "anyOf"));
        read_env_list(r, n, "anyOf", true, &q->any_of, &q->n_any_of);
        read_when(r, n, false, &q->when);
        ks_rd_str(r, n, "message", false, &q->message);
        if (ks_rd_int(r, n, "exitCode", false, 0, 255, &code))
            q->exit_code = (int)code;
    } else {
        ks_rd_fail(r, n, KS_ESCHEMA,
                   "%s must be a variable name or {anyOf: [...], message: ...}", r->path);
        return;
    }
    if (!q->message && q->n_any_of && !(q->message = default_message(r->ar, q)))
        ks_rd_fail(r, n, KS_ENOMEM, "out of memory");
}

static void read_failure(ks_reader *r, const ks_yaml_node *n, ks_image_failure *f)
{
    static const char *const keys[] = {"when", "message", "exitCode", NULL};
    int64_t code = 1;
    f->mark = n->mark;
    f->exit_code = 1;
    ks_rd_strict(r, n, keys);
    read_when(r, n, true, &f->when);
    ks_rd_str(r, n, "message", true, &f->message);
    if (ks_rd_int(r, n, "exitCode", false, 0, 255, &code))
        f->exit_code = (int)code;
}

static unsigned read_targets(ks_reader *r, const ks_yaml_node *m, const char *key)
{
    const char **t;
    size_t n, i;
    unsigned bits = 0;
    const ks_yaml_node *v = ks_yaml_get(m, key);
    if (!ksi_rd_str_or_list(r, m, key, 4, &t, &n))
        return 0;
    for (i = 0; i < n; i++) {
        if (strcmp(t[i], "database") == 0)
            bits |= KS_USE_DATABASE;
        else if (strcmp(t[i], "cache") == 0)
            bits |= KS_USE_CACHE;
        else
            ks_rd_fail(r, v->kind == KS_YAML_SEQ ? v->items[i] : v, KS_EINVAL,
                       "%s: '%s' is not database or cache", ks_rd_field(r, key), t[i]);
    }
    return bits;
}

static void read_route(ks_reader *r, const ks_yaml_node *n, ks_image_route *rt)
{
    static const char *const keys[] = {"method", "path", "reads", "writes", "status", "body",
                                       NULL};
    int64_t status = 200;
    rt->mark = n->mark;
    rt->method = "GET";
    rt->status = 200;
    ks_rd_strict(r, n, keys);
    if (ks_rd_str(r, n, "method", false, &rt->method) && !ksi_http_method_ok(rt->method)) {
        ks_rd_fail(r, ks_yaml_get(n, "method"), KS_EINVAL, "%s must be one of %s, not '%s'",
                   ks_rd_field(r, "method"), KSI_HTTP_METHODS, rt->method);
        rt->method = "GET";
    }
    if (ks_rd_str(r, n, "path", true, &rt->path) && rt->path[0] != '/')
        ks_rd_fail(r, ks_yaml_get(n, "path"), KS_EINVAL, "%s must start with /, not '%s'",
                   ks_rd_field(r, "path"), rt->path);
    rt->reads = read_targets(r, n, "reads");
    rt->writes = read_targets(r, n, "writes");
    if (ks_rd_int(r, n, "status", false, 100, 599, &status))
        rt->status = (int)status;
    ks_rd_str(r, n, "body", false, &rt->body);
}

static void read_uses(ks_reader *r, const ks_yaml_node *parent, ks_image_uses *u)
{
    static const char *const keys[] = {"database", "cache", NULL};
    static const char *const db_keys[] = {"host", "port", "user", "password", "name",
                                          "defaultHost", "defaultPort", "hostPort",
                                          "defaultUser", "defaultPassword", NULL};
    static const char *const cache_keys[] = {"host", "port", "defaultHost", "defaultPort",
                                             "hostPort", NULL};
    int64_t port;
    const ks_yaml_node *m = ks_rd_map(r, parent, "uses", false), *db, *cache;
    size_t saved, s2;
    /* node-postgres and node-redis's defaults (what the course's server uses) */
    u->db_default_port = 5432;
    u->cache_default_port = 6379;
    if (!m)
        return;
    saved = ks_rd_push(r, "uses");
    ks_rd_strict(r, m, keys);
    if ((db = ks_rd_map(r, m, "database", false)) != NULL) {
        s2 = ks_rd_push(r, "database");
        ks_rd_strict(r, db, db_keys);
        if (!ks_yaml_get(db, "host") && !ks_yaml_get(db, "defaultHost"))
            ks_rd_fail(r, db, KS_ESCHEMA, "%s is required: the env var that names the "
                       "database host (or defaultHost, the host a program always uses)",
                       ks_rd_field(r, "host"));
        ksi_cat_env_name(r, db, "host", &u->db_host);
        ksi_cat_env_name(r, db, "port", &u->db_port);
        ksi_cat_env_name(r, db, "user", &u->db_user);
        ksi_cat_env_name(r, db, "password", &u->db_password);
        ksi_cat_env_name(r, db, "name", &u->db_name);
        ks_rd_str(r, db, "defaultHost", false, &u->db_default_host);
        ks_rd_str(r, db, "defaultUser", false, &u->db_default_user);
        ks_rd_str(r, db, "defaultPassword", false, &u->db_default_password);
        if (ks_rd_int(r, db, "defaultPort", false, 1, 65535, &port))
            u->db_default_port = (int)port;
        ks_rd_bool(r, db, "hostPort", false, &u->db_host_port);
        u->what |= KS_USE_DATABASE;
        ks_rd_pop(r, s2);
    }
    if ((cache = ks_rd_map(r, m, "cache", false)) != NULL) {
        s2 = ks_rd_push(r, "cache");
        ks_rd_strict(r, cache, cache_keys);
        if (!ks_yaml_get(cache, "host") && !ks_yaml_get(cache, "defaultHost"))
            ks_rd_fail(r, cache, KS_ESCHEMA, "%s is required: the env var that names the "
                       "cache host (or defaultHost, the host a program always uses)",
                       ks_rd_field(r, "host"));
        ksi_cat_env_name(r, cache, "host", &u->cache_host);
        ksi_cat_env_name(r, cache, "port", &u->cache_port);
        ks_rd_str(r, cache, "defaultHost", false, &u->cache_default_host);
        if (ks_rd_int(r, cache, "defaultPort", false, 1, 65535, &port))
            u->cache_default_port = (int)port;
        ks_rd_bool(r, cache, "hostPort", false, &u->cache_host_port);
        u->what |= KS_USE_CACHE;
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
}

static void read_logs(ks_reader *r, const ks_yaml_node *parent, ks_image_entry *e)
{
    static const char *const keys[] = {"start", "ready", "stop", "job", NULL};
    const ks_yaml_node *m = ks_rd_map(r, parent, "logs", false);
    size_t saved;
    if (!m)
        return;
    saved = ks_rd_push(r, "logs");
    ks_rd_strict(r, m, keys);
    ksi_rd_str_or_list(r, m, "start", MAX_ITEMS, &e->log_start, &e->nlog_start);
    ksi_rd_str_or_list(r, m, "ready", MAX_ITEMS, &e->log_ready, &e->nlog_ready);
    ksi_rd_str_or_list(r, m, "stop", MAX_ITEMS, &e->log_stop, &e->nlog_stop);
    ksi_rd_str_or_list(r, m, "job", MAX_ITEMS, &e->log_job, &e->nlog_job);
    ks_rd_pop(r, saved);
}

/* An argument name (fromArg) must look like one: "-cpus", "--vm-bytes". */
static void read_arg_name(ks_reader *r, const ks_yaml_node *m, const char **out)
{
    if (ks_rd_str(r, m, "fromArg", false, out) && ((*out)[0] != '-' || strpbrk(*out, " =")))
        ks_rd_fail(r, ks_yaml_get(m, "fromArg"), KS_EINVAL,
                   "%s must be an option name starting with '-', such as --vm-bytes, "
                   "not '%s'", ks_rd_field(r, "fromArg"), *out);
}

/* cpu: and memory: -- what the program costs while it runs. */
static void read_load(ks_reader *r, const ks_yaml_node *parent, ks_image_load *l)
{
    static const char *const cpu_keys[] = {"perRequest", "perJob", "idle", "cores", "fromArg",
                                           NULL};
    static const char *const mem_keys[] = {"base", "perConnection", "perRecord", "fromArg",
                                           NULL};
    const ks_yaml_node *cpu = ks_rd_map(r, parent, "cpu", false);
    const ks_yaml_node *mem = ks_rd_map(r, parent, "memory", false);
    size_t saved;
    if (cpu) {
        saved = ks_rd_push(r, "cpu");
        ks_rd_strict(r, cpu, cpu_keys);
        ks_rd_duration(r, cpu, "perRequest", false, &l->cpu_per_request);
        ks_rd_duration(r, cpu, "perJob", false, &l->cpu_per_job);
        ksi_read_quantity(r, cpu, "idle", -3, false, &l->cpu_idle);
        ksi_read_quantity(r, cpu, "cores", -3, false, &l->cpu_cores);
        read_arg_name(r, cpu, &l->cpu_arg);
        ks_rd_pop(r, saved);
    }
    if (mem) {
        saved = ks_rd_push(r, "memory");
        ks_rd_strict(r, mem, mem_keys);
        ksi_read_quantity(r, mem, "base", 0, false, &l->mem_base);
        ksi_read_quantity(r, mem, "perConnection", 0, false, &l->mem_per_connection);
        ksi_read_quantity(r, mem, "perRecord", 0, false, &l->mem_per_record);
        read_arg_name(r, mem, &l->mem_arg);
        ks_rd_pop(r, saved);
    }
}

/* Reads map[key] as a list of n structs of elem bytes, calling fn on each
 * item with the path pushed. Returns the array (in the arena) or NULL. */
typedef void (*item_fn)(ks_reader *r, const ks_yaml_node *n, void *item);

static void *read_list(ks_reader *r, const ks_yaml_node *map, const char *key, size_t elem,
                       item_fn fn, size_t *count)
{
    const ks_yaml_node *s = ksi_rd_list(r, map, key, MAX_ITEMS);
    char *arr;
    size_t i, saved;
    *count = 0;
    if (!s || !s->n)
        return NULL;
    arr = ks_arena_alloc(r->ar, s->n * elem);
    if (!arr) {
        ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
        return NULL;
    }
    saved = ks_rd_push(r, key);
    for (i = 0; i < s->n; i++) {
        size_t s2 = ks_rd_push_index(r, i);
        fn(r, s->items[i], arr + i * elem);
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    *count = s->n;
    return arr;
}

static void require_item(ks_reader *r, const ks_yaml_node *n, void *item)
{
    read_require(r, n, item);
}

static void failure_item(ks_reader *r, const ks_yaml_node *n, void *item)
{
    if (n->kind != KS_YAML_MAP) {
        ks_rd_fail(r, n, KS_ESCHEMA, "%s must be an object {when: ..., message: ...}",
                   r->path);
        return;
    }
    read_failure(r, n, item);
}

static void route_item(ks_reader *r, const ks_yaml_node *n, void *item)
{
    if (n->kind != KS_YAML_MAP) {
        ks_rd_fail(r, n, KS_ESCHEMA, "%s must be an object {method: ..., path: ...}",
                   r->path);
        return;
    }
    read_route(r, n, item);
}

static void read_globs(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    const ks_yaml_node *v = ks_yaml_get(m, "match");
    size_t i;
    if (!v || ks_yaml_is_null(v)) {
        ks_rd_fail(r, m, KS_ESCHEMA, "%s is required: a glob such as \"postgres:*\"",
                   ks_rd_field(r, "match"));
        return;
    }
    if (!ksi_rd_str_or_list(r, m, "match", MAX_ITEMS, &e->match, &e->nmatch))
        return;
    if (!e->nmatch)
        ks_rd_fail(r, v, KS_EINVAL, "%s must name at least one glob", ks_rd_field(r, "match"));
    for (i = 0; i < e->nmatch; i++)
        if (strpbrk(e->match[i], " \t\n"))
            ks_rd_fail(r, v->kind == KS_YAML_SEQ ? v->items[i] : v, KS_EINVAL,
                       "%s: '%s' contains a space; image references never do",
                       ks_rd_field(r, "match"), e->match[i]);
}

static void check_entry(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    size_t i;
    const char *kname = ks_image_kind_name(e->kind);
    if (e->data_dir && e->kind != KS_IMAGE_DATABASE)
        ks_rd_fail(r, ks_yaml_get(m, "dataDir"), KS_EINVAL,
                   "%s only applies to kind database, and this entry is kind %s",
                   ks_rd_field(r, "dataDir"), kname);
    if (e->data_dir_env && !e->data_dir)
        ks_rd_fail(r, ks_yaml_get(m, "dataDirEnv"), KS_EINVAL,
                   "%s relocates dataDir, so set dataDir too", ks_rd_field(r, "dataDirEnv"));
    if (e->uses.what && e->kind != KS_IMAGE_API && e->kind != KS_IMAGE_WORKER)
        ks_rd_fail(r, ks_yaml_get(m, "uses"), KS_EINVAL,
                   "%s only applies to kinds api and worker, and this entry is kind %s",
                   ks_rd_field(r, "uses"), kname);
    if ((e->load.cpu_arg || e->load.mem_arg) && e->kind != KS_IMAGE_STRESS)
        ks_rd_fail(r, m, KS_EINVAL,
                   "%s: fromArg only applies to kind stress (a load generator that reads "
                   "how much to use from its arguments), and this entry is kind %s",
                   r->path, kname);
    if (e->nroutes && e->kind != KS_IMAGE_API && e->kind != KS_IMAGE_WEB
        && e->kind != KS_IMAGE_GENERIC)
        ks_rd_fail(r, ks_yaml_get(m, "routes"), KS_EINVAL,
                   "%s only apply to kinds api, web and generic, and this entry is kind %s",
                   ks_rd_field(r, "routes"), kname);
    for (i = 0; i < e->nroutes; i++) {
        unsigned need = e->routes[i].reads | e->routes[i].writes, missing = need & ~e->uses.what;
        if (missing)
            ks_diag_error(r->d, KS_EINVAL, e->routes[i].mark,
                          "%s.routes[%zu] uses the %s, but uses.%s is not set, so the "
                          "program could not find it", r->path, i,
                          missing & KS_USE_DATABASE ? "database" : "cache",
                          missing & KS_USE_DATABASE ? "database" : "cache");
    }
}

static void read_entry(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    static const char *const keys[] = {
        "match",   "kind",       "port",       "startup",  "pull",   "shutdown",
        "latency", "size",       "pullable",   "dataDir",  "dataDirEnv", "requireEnv",
        "failures", "uses",      "routes",     "logs",     "cpu",    "memory",
        "docroot",  "files",     "index",      "auth",     "programs", "body",   "tags",
        "count",    "bodies",    "stores",     "entrypoint", "pages", NULL};
    const char *kind;
    int64_t port;
    e->mark = m->mark;
    e->startup = 1 * KS_SEC;
    e->pull = 5 * KS_SEC;
    e->shutdown = 500 * KS_MSEC;
    e->latency = 1 * KS_MSEC;
    e->pullable = true;
    /* the load of a program nobody measured (assets/images.yaml says why) */
    e->load.cpu_per_request = 1 * KS_MSEC;
    e->load.cpu_idle = 1;
    e->load.mem_base = 10 << 20;
    ks_rd_strict(r, m, keys);
    read_globs(r, m, e);
    if (ks_rd_str(r, m, "kind", true, &kind) && !ks_image_kind_parse(kind, &e->kind))
        ks_rd_fail(r, ks_yaml_get(m, "kind"), KS_EINVAL,
                   "%s must be one of web, api, worker, database, cache, shell, stress, "
                   "generic; not '%s'", ks_rd_field(r, "kind"), kind);
    e->port = e->kind == KS_IMAGE_WEB || e->kind == KS_IMAGE_API
              || e->kind == KS_IMAGE_GENERIC ? 80 : 0;
    if (ks_rd_int(r, m, "port", false, 1, 65535, &port))
        e->port = (int)port;
    ks_rd_duration(r, m, "startup", false, &e->startup);
    ks_rd_duration(r, m, "pull", false, &e->pull);
    ks_rd_duration(r, m, "shutdown", false, &e->shutdown);
    ks_rd_duration(r, m, "latency", false, &e->latency);
    ks_rd_str(r, m, "size", false, &e->size);
    ks_rd_bool(r, m, "pullable", false, &e->pullable);
    ksi_cat_abs_path(r, m, "dataDir", &e->data_dir);
    ksi_cat_env_name(r, m, "dataDirEnv", &e->data_dir_env);
    e->require_env = read_list(r, m, "requireEnv", sizeof *e->require_env, require_item,
                               &e->nrequire_env);
    e->failures = read_list(r, m, "failures", sizeof *e->failures, failure_item,
                            &e->nfailures);
    read_uses(r, m, &e->uses);
    e->routes = read_list(r, m, "routes", sizeof *e->routes, route_item, &e->nroutes);
    ksi_cat_read_web(r, m, e);
    ksi_cat_read_auth(r, m, e);
    ksi_cat_read_stores(r, m, e);
    ksi_cat_read_programs(r, m, e);
    ksi_cat_read_tags(r, m, e);
    ks_rd_str(r, m, "body", false, &e->body);
    ksi_cat_read_bodies(r, m, &e->bodies, &e->nbodies);
    ksi_cat_read_count(r, m, e);
    read_logs(r, m, e);
    read_load(r, m, &e->load);
    check_entry(r, m, e);
}

/* An entry after one that matches every image can never be chosen. */
static void warn_unreachable(ks_reader *r, const ks_image_entry *e, size_t n)
{
    size_t i, j;
    const ks_image_entry *all = NULL;
    for (i = 0; i < n; i++) {
        if (all) {
            ks_diag_warn(r->d, e[i].mark,
                         "this entry is never used: the entry above it matches every image "
                         "first (entries are tried top to bottom); move it up");
            ks_diag_note(r->d, all->mark, "the entry matching \"*\" is here");
            continue;
        }
        for (j = 0; j < e[i].nmatch; j++)
            if (strcmp(e[i].match[j], "*") == 0)
                all = &e[i];
    }
}

bool ks_catalog_read_entries(ks_reader *r, const ks_yaml_node *map, const char *key,
                             ks_image_entry **out, size_t *n)
{
    const ks_yaml_node *s;
    int before = r->d->errors;
    size_t i, saved;
    *out = NULL;
    *n = 0;
    s = ksi_rd_list(r, map, key, KS_CATALOG_MAX_ENTRIES);
    if (!s)
        return !had_errors_since(r, before);
    /* each entry, and up to 16 entries of its tags: above it */
    *out = ks_arena_alloc(r->ar, (s->n ? s->n : 1) * 17 * sizeof **out);
    if (!*out)
        return ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
    saved = ks_rd_push(r, key);
    for (i = 0; i < s->n; i++) {
        size_t s2 = ks_rd_push_index(r, i), t;
        ks_image_entry e;
        memset(&e, 0, sizeof e);
        if (s->items[i]->kind != KS_YAML_MAP)
            ks_rd_fail(r, s->items[i], KS_ESCHEMA,
                       "%s must be an object {match: ..., kind: ...}", r->path);
        else
            read_entry(r, s->items[i], &e);
        for (t = 0; t < e.ntags; t++)
            if (!ksi_cat_tag_entry(r, &e, &e.tags[t], &(*out)[(*n)++]))
                ks_rd_fail(r, ks_yaml_get(s->items[i], "tags"), KS_EINVAL,
                           "%s.tags needs a NAME:* glob in match to make NAME:%s of",
                           r->path, e.tags[t].match ? e.tags[t].match : "");
        (*out)[(*n)++] = e;
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    warn_unreachable(r, *out, *n);
    return !had_errors_since(r, before);
}

/* ---- catalogs ------------------------------------------------------------ */

static int make_catalog(ks_arena *ar, const ks_image_entry *first, size_t nfirst,
                        const ks_catalog *rest, ks_catalog **out)
{
    ks_catalog *c = ks_arena_alloc(ar, sizeof *c);
    size_t nrest = rest ? rest->n : 0, i;
    *out = NULL;
    if (!c || !(c->items = ks_arena_alloc(ar, (nfirst + nrest + 1) * sizeof *c->items)))
        return KS_ENOMEM;
    for (i = 0; i < nfirst; i++)
        c->items[c->n++] = &first[i];
    for (i = 0; i < nrest; i++)
        c->items[c->n++] = rest->items[i];
    *out = c;
    return KS_OK;
}

int ks_catalog_parse(ks_arena *ar, const char *file, const char *buf, size_t len,
                     ks_catalog **out, ks_diags *d)
{
    static const char *const keys[] = {"images", NULL};
    ks_yaml_stream *st;
    ks_reader r;
    ks_image_entry *e = NULL;
    size_t n = 0;
    int before = d->errors, rc;
    const ks_yaml_node *root;
    *out = NULL;
    if ((rc = ks_yaml_parse(ar, file, buf, len, NULL, &st, d)) != KS_OK)
        return rc;
    if (st->ndocs != 1)
        return ks_diag_error(d, KS_ESCHEMA,
                             st->ndocs ? st->docs[1].mark : (ks_mark){st->file, 1, 1},
                             "an image catalog is one YAML document with an images: list; "
                             "this file has %zu", st->ndocs);
    root = st->docs[0].root;
    ks_reader_init(&r, ar, d);
    if (root->kind != KS_YAML_MAP)
        return ks_diag_error(d, KS_ESCHEMA, root->mark,
                             "an image catalog must be an object with an images: list");
    ks_rd_strict(&r, root, keys);
    if (!ks_yaml_get(root, "images"))
        ks_rd_fail(&r, root, KS_ESCHEMA, "images is required: a list of entries");
    ks_catalog_read_entries(&r, root, "images", &e, &n);
    if (d->errors > before)
        return ks_diag_first_code(d);
    if ((rc = make_catalog(ar, e, n, NULL, out)) != KS_OK)
        return ks_diag_error(d, rc, root->mark, "out of memory");
    return KS_OK;
}

int ks_catalog_load_file(ks_arena *ar, const char *path, ks_catalog **out, ks_diags *d)
{
    char *buf;
    size_t len;
    const char *name;
    int rc = ks_file_read(ar, path, ks_yaml_default_limits().max_bytes, &buf, &len, &name, d);
    *out = NULL;
    if (rc != KS_OK)
        return rc;
    return ks_catalog_parse(ar, name, buf, len, out, d);
}

int ks_catalog_with_overrides(ks_arena *ar, const ks_catalog *base,
                              const ks_image_entry *over, size_t n, ks_catalog **out)
{
    return make_catalog(ar, over, n, base, out);
}

const ks_image_entry *ks_catalog_find(const ks_catalog *c, const char *image)
{
    size_t i, j;
    for (i = 0; i < c->n; i++)
        for (j = 0; j < c->items[i]->nmatch; j++)
            if (ks_catalog_match(c->items[i]->match[j], image))
                return c->items[i];
    return NULL;
}

size_t ks_catalog_count(const ks_catalog *c)
{
    return c->n;
}

const ks_image_entry *ks_catalog_get(const ks_catalog *c, size_t i)
{
    return i < c->n ? c->items[i] : NULL;
}
