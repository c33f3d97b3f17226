/* kvf_kubeconfig.c -- reads kubeconfig files as client-go's clientcmd does
 * (k8s.io/client-go/tools/clientcmd: loader.go merges the files of
 * $KUBECONFIG, the first file to set a map entry or current-context wins;
 * relative paths are resolved against the file that holds them).
 *
 * Only what kubesim verify can honour is accepted: a server with its CA (or
 * insecure-skip-tls-verify), client certificates, a token or tokenFile,
 * basic auth. exec and auth-provider plugins are refused, located.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/ks_file.h"
#include "load/ks_validate.h"
#include "load/ks_yaml.h"
#include "kvf_kubeconfig.h"

typedef struct kc_file {
    const char *path;             /* as found (interned) */
    const char *dir;              /* its folder, for relative paths */
    const ks_yaml_node *root;     /* NULL: missing or empty */
} kc_file;

typedef struct kc_entry {         /* a named entry and the file it came from */
    const kc_file *f;
    const ks_yaml_node *item;     /* {name, cluster|user|context: {...}} */
    const ks_yaml_node *body;     /* the inner map (may be NULL) */
} kc_entry;

static ks_mark mark_of(const ks_yaml_node *n)
{
    return n ? n->mark : KS_MARK_NONE;
}

static const char *str_of(const ks_yaml_node *m, const char *key)
{
    const ks_yaml_node *v = ks_yaml_get(m, key);
    return v && v->kind == KS_YAML_SCALAR && !ks_yaml_is_null(v) ? v->str : NULL;
}

static const char *dir_of(ks_arena *ar, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    return ks_arena_strndup(ar, path, (size_t)(slash - path) + (slash == path));
}

/* Finds the entry named name in the list key (clusters, users, contexts) of
 * the files, the first file first. */
static bool find_entry(const kc_file *files, size_t nf, const char *key, const char *inner,
                       const char *name, kc_entry *out)
{
    size_t i, k;
    for (i = 0; i < nf; i++) {
        const ks_yaml_node *list = files[i].root ? ks_yaml_get(files[i].root, key) : NULL;
        if (!list || list->kind != KS_YAML_SEQ)
            continue;
        for (k = 0; k < list->n; k++) {
            const char *n = str_of(list->items[k], "name");
            if (n && strcmp(n, name) == 0) {
                out->f = &files[i];
                out->item = list->items[k];
                out->body = ks_yaml_get(list->items[k], inner);
                return true;
            }
        }
    }
    return false;
}

/* "a, b, c" of the names in the list key of every file (for messages). */
static const char *names_in(ks_arena *ar, const kc_file *files, size_t nf, const char *key)
{
    char buf[400] = "";
    size_t i, k, len = 0;
    for (i = 0; i < nf; i++) {
        const ks_yaml_node *list = files[i].root ? ks_yaml_get(files[i].root, key) : NULL;
        for (k = 0; list && list->kind == KS_YAML_SEQ && k < list->n; k++) {
            const char *n = str_of(list->items[k], "name");
            if (n && len < sizeof buf - 64)
                len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", len ? ", " : "", n);
        }
    }
    return ks_arena_strdup(ar, len ? buf : "none");
}

/* Reads a credential file (path relative to the entry's file) into ar. */
static const char *read_cred(ks_arena *ar, const kc_entry *e, const char *key, size_t *len,
                             ks_diags *d)
{
    const ks_yaml_node *v = ks_yaml_get(e->body, key);
    const char *p = str_of(e->body, key);
    char *buf = NULL, path[4096];
    const char *name;
    ks_diags fd;
    if (!p)
        return NULL;
    if (p[0] == '/')
        snprintf(path, sizeof path, "%s", p);
    else
        snprintf(path, sizeof path, "%s/%s", e->f->dir, p);
    ks_diags_init(&fd);
    if (ks_file_read(ar, path, KVF_MAX_CRED_BYTES, &buf, len, &name, &fd) != KS_OK) {
        char why[300] = "";
        ks_file_check(path, why, sizeof why);
        ks_diag_error(d, KS_EIO, mark_of(v), "%s: %s: %s; fix the path (relative paths start "
                      "at this file's folder) or use %s-data", key, path,
                      why[0] ? why : "too big", key);
        return NULL;
    }
    return buf;
}

/* Decodes a *-data field (base64; whitespace ignored, as Go's decoder of
 * []byte fields ignores line breaks). */
static const char *read_data(ks_arena *ar, const kc_entry *e, const char *key, size_t *len,
                             ks_diags *d)
{
    const ks_yaml_node *v = ks_yaml_get(e->body, key);
    const char *s = str_of(e->body, key), *why;
    char *clean, *out;
    size_t i, n = 0;
    if (!s)
        return NULL;
    clean = ks_arena_alloc(ar, strlen(s) + 1);
    out = ks_arena_alloc(ar, strlen(s) + 1);
    if (!clean || !out) {
        ks_diag_error(d, KS_ENOMEM, mark_of(v), "out of memory");
        return NULL;
    }
    for (i = 0; s[i]; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            clean[n++] = s[i];
    clean[n] = '\0';
    if ((why = ks_base64_decode(clean, out, strlen(s) + 1, len)) != NULL) {
        ks_diag_error(d, KS_EINVAL, mark_of(v), "%s is not base64; kubectl writes it so with "
                      "`kubectl config set-cluster/set-credentials --embed-certs`", key);
        return NULL;
    }
    return out;
}

/* The data of key-data, else of the file named by key. */
static const char *cred(ks_arena *ar, const kc_entry *e, const char *key, size_t *len,
                        ks_diags *d)
{
    char data[64];
    snprintf(data, sizeof data, "%s-data", key);
    if (str_of(e->body, data))
        return read_data(ar, e, data, len, d);
    return read_cred(ar, e, key, len, d);
}

static void read_cluster(ks_arena *ar, const kc_entry *e, kvf_kubeconfig *out, ks_diags *d)
{
    const char *insecure = str_of(e->body, "insecure-skip-tls-verify");
    out->server = str_of(e->body, "server");
    if (!out->server || !out->server[0])
        ks_diag_error(d, KS_ESCHEMA, mark_of(e->body ? e->body : e->item),
                      "cluster %s has no server: URL; add one (e.g. server: "
                      "https://127.0.0.1:6443)", out->cluster);
    else if (strncmp(out->server, "https://", 8) != 0 && strncmp(out->server, "http://", 7) != 0)
        ks_diag_error(d, KS_EINVAL, mark_of(ks_yaml_get(e->body, "server")),
                      "server %s is not an http:// or https:// URL", out->server);
    out->ca = cred(ar, e, "certificate-authority", &out->ca_len, d);
    out->insecure = insecure && strcmp(insecure, "true") == 0;
    out->tls_server_name = str_of(e->body, "tls-server-name");
    if (ks_yaml_get(e->body, "proxy-url"))
        ks_diag_error(d, KS_EINVAL, mark_of(ks_yaml_get(e->body, "proxy-url")),
                      "proxy-url is not supported by kubesim verify; reach the API server "
                      "directly (or set HTTPS_PROXY, which libcurl honours)");
}

static void refuse_plugin(const kc_entry *e, const char *key, ks_diags *d)
{
    const ks_yaml_node *v = ks_yaml_get(e->body, key);
    const char *cmd = str_of(v, "command");
    const char *name = v ? str_of(v, "name") : NULL;
    if (!v || ks_yaml_is_null(v))
        return;
    ks_diag_error(d, KS_EINVAL, v->mark,
                  "user %s gets its credentials from %s %s%s%s, which kubesim verify does "
                  "not run; use a context whose user has a token (e.g. from `kubectl "
                  "create token` or your provider's CLI), a tokenFile or client "
                  "certificates", str_of(e->item, "name"),
                  strcmp(key, "exec") == 0 ? "an exec plugin" : "an auth-provider plugin",
                  cmd || name ? "(" : "", cmd ? cmd : name ? name : "", cmd || name ? ")" : "");
}

static void read_user(ks_arena *ar, const kc_entry *e, kvf_kubeconfig *out, ks_diags *d)
{
    size_t len;
    refuse_plugin(e, "exec", d);
    refuse_plugin(e, "auth-provider", d);
    out->cert = cred(ar, e, "client-certificate", &out->cert_len, d);
    out->key = cred(ar, e, "client-key", &out->key_len, d);
    if (!out->cert != !out->key)
        ks_diag_error(d, KS_ESCHEMA, mark_of(e->body ? e->body : e->item),
                      "user %s has a client %s but no client %s; give both", out->user,
                      out->cert ? "certificate" : "key", out->cert ? "key" : "certificate");
    out->token = str_of(e->body, "token");
    if (!out->token && str_of(e->body, "tokenFile")) {
        char *t = (char *)read_cred(ar, e, "tokenFile", &len, d);
        while (t && len && (t[len - 1] == '\n' || t[len - 1] == '\r' || t[len - 1] == ' '))
            t[--len] = '\0';
        out->token = t;
    }
    out->username = str_of(e->body, "username");
    out->password = str_of(e->body, "password");
}

/* The files to read, as kubectl chooses them. */
static size_t list_files(ks_arena *ar, const char *file, const char **paths)
{
    const char *env = getenv("KUBECONFIG"), *home = getenv("HOME");
    size_t n = 0;
    if (file) {
        paths[n++] = file;
    } else if (env && env[0]) {
        const char *p = env;
        while (*p && n < KVF_MAX_KUBECONFIGS) {
            const char *end = strchr(p, ':');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            if (len)
                paths[n++] = ks_arena_strndup(ar, p, len);
            p += len + (end != NULL);
        }
    } else if (home && home[0]) {
        paths[n++] = ks_arena_printf(ar, "%s/.kube/config", home);
    }
    return n;
}

int kvf_kubeconfig_load(ks_arena *ar, const char *file, const char *context,
                        kvf_kubeconfig *out, ks_diags *d)
{
    const char *paths[KVF_MAX_KUBECONFIGS];
    kc_file files[KVF_MAX_KUBECONFIGS];
    size_t np = list_files(ar, file, paths), nf = 0, i;
    const ks_yaml_node *cur = NULL;
    kc_entry ctx, cl, us;
    ks_yaml_limits lim = ks_yaml_default_limits();
    int errors = d->errors;

    memset(out, 0, sizeof *out);
    for (i = 0; i < np; i++) {
        ks_yaml_stream *st = NULL;
        ks_diags fd;
        if (!paths[i])
            return ks_diag_error(d, KS_ENOMEM, KS_MARK_NONE, "out of memory");
        /* A file of $KUBECONFIG that does not exist is skipped, as kubectl does;
         * --kubeconfig FILE must exist. */
        if (!file && access(paths[i], F_OK) != 0 && errno == ENOENT)
            continue;
        ks_diags_init(&fd);
        if (ks_yaml_load_file(ar, paths[i], &lim, &st, &fd) != KS_OK) {
            int k;
            for (k = 0; k < fd.n; k++)
                ks_diag_add(d, &fd.items[k].err);
            continue;
        }
        files[nf].path = st->file;
        files[nf].dir = dir_of(ar, st->file);
        files[nf].root = st->ndocs && st->docs[0].root->kind == KS_YAML_MAP ? st->docs[0].root
                                                                           : NULL;
        if (!cur && files[nf].root && str_of(files[nf].root, "current-context")
            && str_of(files[nf].root, "current-context")[0])
            cur = ks_yaml_get(files[nf].root, "current-context");
        nf++;
    }
    if (d->errors > errors)
        return ks_diag_first_code(d);
    if (!nf)
        return ks_diag_error(d, KS_EIO, KS_MARK_NONE,
                             "no kubeconfig found (%s); give one with --kubeconfig FILE, or "
                             "set KUBECONFIG", np ? paths[0] : "$HOME is not set");
    if (!context) {
        if (!cur)
            return ks_diag_error(d, KS_EINVAL, KS_MARK_NONE,
                                 "%s: no current-context; name one with --context NAME (the "
                                 "contexts: %s)", files[0].path,
                                 names_in(ar, files, nf, "contexts"));
        context = cur->str;
    }
    if (!find_entry(files, nf, "contexts", "context", context, &ctx))
        return ks_diag_error(d, KS_EINVAL, mark_of(cur && strcmp(cur->str, context) == 0 ? cur
                                                                                     : NULL),
                             "%s: no context named %s; the contexts are: %s", files[0].path,
                             context, names_in(ar, files, nf, "contexts"));
    out->file = ctx.f->path;
    out->context = context;
    out->cluster = str_of(ctx.body, "cluster");
    out->user = str_of(ctx.body, "user");
    out->ns = str_of(ctx.body, "namespace");
    if (!out->ns || !out->ns[0])
        out->ns = "default";
    if (!out->cluster)
        return ks_diag_error(d, KS_ESCHEMA, mark_of(ctx.body ? ctx.body : ctx.item),
                             "context %s names no cluster; add cluster: NAME", context);
    if (!find_entry(files, nf, "clusters", "cluster", out->cluster, &cl))
        return ks_diag_error(d, KS_EINVAL, mark_of(ks_yaml_get(ctx.body, "cluster")),
                             "context %s names cluster %s, which no kubeconfig file defines "
                             "(the clusters: %s)", context, out->cluster,
                             names_in(ar, files, nf, "clusters"));
    read_cluster(ar, &cl, out, d);
    if (out->user) {
        if (!find_entry(files, nf, "users", "user", out->user, &us))
            return ks_diag_error(d, KS_EINVAL, mark_of(ks_yaml_get(ctx.body, "user")),
                                 "context %s names user %s, which no kubeconfig file "
                                 "defines (the users: %s)", context, out->user,
                                 names_in(ar, files, nf, "users"));
        read_user(ar, &us, out, d);
    }
    return d->errors > errors ? ks_diag_first_code(d) : KS_OK;
}

static const char *absolute_one(ks_arena *ar, const char *path, size_t len)
{
    char real[PATH_MAX], cwd[PATH_MAX];
    const char *p = ks_arena_strndup(ar, path, len);
    if (!p || p[0] == '/')
        return p;
    if (realpath(p, real))
        return ks_arena_strndup(ar, real, strlen(real));
    if (!getcwd(cwd, sizeof cwd))
        return p;                 /* no better place to start from */
    return ks_arena_printf(ar, "%s/%s", cwd, p);
}

const char *kvf_kubeconfig_absolute(ks_arena *ar, const char *path, bool list)
{
    const char *out = "", *p = path;
    if (!list)
        return absolute_one(ar, path, strlen(path));
    while (out && *p) {
        const char *end = strchr(p, ':'), *one;
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len) {
            one = absolute_one(ar, p, len);
            out = one ? ks_arena_printf(ar, "%s%s%s", out, out[0] ? ":" : "", one) : NULL;
        }
        p += len + (end != NULL);
    }
    return out;
}
