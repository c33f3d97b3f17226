/* ks_catalog_serve.c -- what an image serves, as its catalog entry says:
 * a web server's files under its docroot, an api's routes, a database's
 * accounts (see ks_catalog.h).
 *
 *   docroot := /PATH                   kind web: where its files are
 *   files   := [/PATH...]              what the image ships under docroot
 *   pages   := [{path: /PATH, body: TEXT, bodies: [...]}...]
 *                                      the text of files besides the index
 *   index   := NAME                    served for ".../" (default index.html)
 *   auth    := {accounts: [{user: NAME, userEnv: ENV, password: ENV}...],
 *               denied: TEXT}          kind database; {user} in denied
 *   programs := [NAME...]              what `kubectl exec` finds in $PATH
 *   count := [WORD...]                 a command printing its records' count
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/catalog.h"
#include "internal/loadutil.h"

#define MAX_FILES 100

/* pages: each the text of one of files (not the index: that is body). */
static void read_pages(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    static const char *const keys[] = {"path", "body", "bodies", NULL};
    const ks_yaml_node *s = ksi_rd_list(r, m, "pages", MAX_FILES);
    size_t i, k, saved;
    if (!s || !s->n)
        return;
    if (!(e->web.pages = ks_arena_alloc(r->ar, s->n * sizeof *e->web.pages))) {
        ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
        return;
    }
    saved = ks_rd_push(r, "pages");
    for (i = 0; i < s->n; i++) {
        size_t s2 = ks_rd_push_index(r, i);
        const ks_yaml_node *it = s->items[i];
        ks_image_page *pg = &e->web.pages[e->web.npages];
        if (it->kind != KS_YAML_MAP) {
            ks_rd_fail(r, it, KS_ESCHEMA, "%s must be {path: /FILE, body: TEXT}", r->path);
        } else {
            ks_rd_strict(r, it, keys);
            if (ks_rd_str(r, it, "path", true, &pg->path)
                && ks_rd_str(r, it, "body", true, &pg->body)) {
                for (k = 0; k < e->web.nfiles && strcmp(e->web.files[k], pg->path) != 0; k++)
                    ;
                if (k == e->web.nfiles)
                    ks_rd_fail(r, ks_yaml_get(it, "path"), KS_EINVAL,
                               "%s: '%s' is not one of files", ks_rd_field(r, "path"),
                               pg->path);
                ksi_cat_read_bodies(r, it, &pg->bodies, &pg->nbodies);
                e->web.npages++;
            }
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
}

void ksi_cat_read_web(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    const ks_yaml_node *fn = ks_yaml_get(m, "files");
    size_t i;
    ksi_cat_abs_path(r, m, "docroot", &e->web.docroot);
    e->web.index = "index.html";
    ks_rd_str(r, m, "index", false, &e->web.index);
    if (strchr(e->web.index, '/'))
        ks_rd_fail(r, ks_yaml_get(m, "index"), KS_EINVAL,
                   "%s is a file name (index.html), not a path", ks_rd_field(r, "index"));
    if (!ksi_rd_str_or_list(r, m, "files", MAX_FILES, &e->web.files, &e->web.nfiles))
        return;
    for (i = 0; i < e->web.nfiles; i++)
        if (e->web.files[i][0] != '/')
            ks_rd_fail(r, fn->kind == KS_YAML_SEQ ? fn->items[i] : fn, KS_EINVAL,
                       "%s: '%s' must start with / (a path under docroot)",
                       ks_rd_field(r, "files"), e->web.files[i]);
    if ((e->web.docroot || e->web.nfiles || ks_yaml_get(m, "index"))
        && e->kind != KS_IMAGE_WEB)
        ks_rd_fail(r, m, KS_EINVAL, "%s: docroot, files and index only apply to kind web",
                   r->path);
    if (e->web.nfiles && !e->web.docroot)
        ks_rd_fail(r, fn, KS_EINVAL, "%s are under a docroot: set docroot too",
                   ks_rd_field(r, "files"));
    read_pages(r, m, e);
}

static void read_account(ks_reader *r, const ks_yaml_node *n, ks_image_account *a)
{
    static const char *const keys[] = {"user", "userEnv", "password", NULL};
    a->mark = n->mark;
    if (n->kind != KS_YAML_MAP) {
        ks_rd_fail(r, n, KS_ESCHEMA, "%s must be an object {user: ..., password: ENV}",
                   r->path);
        return;
    }
    ks_rd_strict(r, n, keys);
    ks_rd_str(r, n, "user", false, &a->user);
    ksi_cat_env_name(r, n, "userEnv", &a->user_env);
    ksi_cat_env_name(r, n, "password", &a->password_env);
    if (!a->user && !a->user_env)
        ks_rd_fail(r, n, KS_ESCHEMA, "%s needs user (a name) or userEnv (the env var "
                   "that names the user)", r->path);
}

void ksi_cat_read_auth(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    static const char *const keys[] = {"accounts", "denied", NULL};
    const ks_yaml_node *a = ks_rd_map(r, m, "auth", false), *s;
    size_t saved, i;
    if (!a)
        return;
    saved = ks_rd_push(r, "auth");
    ks_rd_strict(r, a, keys);
    ks_rd_str(r, a, "denied", false, &e->auth.denied);
    s = ksi_rd_list(r, a, "accounts", MAX_FILES);
    if (s && s->n) {
        e->auth.accounts = ks_arena_alloc(r->ar, s->n * sizeof *e->auth.accounts);
        if (!e->auth.accounts) {
            ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
            s = NULL;
        }
        for (i = 0; s && i < s->n; i++) {
            size_t s2 = ks_rd_push(r, "accounts");
            size_t s3 = ks_rd_push_index(r, i);
            memset(&e->auth.accounts[i], 0, sizeof e->auth.accounts[i]);
            read_account(r, s->items[i], &e->auth.accounts[i]);
            ks_rd_pop(r, s3);
            ks_rd_pop(r, s2);
        }
        e->auth.naccounts = s ? s->n : 0;
    }
    if (e->kind != KS_IMAGE_DATABASE)
        ks_rd_fail(r, a, KS_EINVAL, "%s only applies to kind database", r->path);
    ks_rd_pop(r, saved);
}

/* ---- lookups ---------------------------------------------------------------- */
const ks_image_route *ks_catalog_route(const ks_image_entry *e, const char *method,
                                       const char *path)
{
    size_t i, n;
    char copy[256];
    const char *q = strchr(path, '?'), *clean = path;
    /* the path without its query, copied only when it has one (every
       request to an api asks: no printf here) */
    n = q ? (size_t)(q - path) : strlen(path);
    if (q || n >= sizeof copy) {
        if (n >= sizeof copy)
            n = sizeof copy - 1;
        memcpy(copy, path, n);
        copy[n] = '\0';
        clean = copy;
    }
    for (i = 0; i < e->nroutes; i++) {
        const ks_image_route *r = &e->routes[i];
        if (strcmp(r->method ? r->method : "GET", method) == 0
            && ks_catalog_match(r->path, clean))
            return r;
    }
    return NULL;
}

const char *ks_catalog_file_path(const ks_image_entry *e, const char *path, char *buf,
                                 size_t n)
{
    size_t len = strcspn(path, "?#");
    snprintf(buf, n, "%.*s%s", (int)len, path,
             len && path[len - 1] == '/' ? (e->web.index ? e->web.index : "index.html") : "");
    return buf;
}

bool ks_catalog_has_file(const ks_image_entry *e, const char *path)
{
    char want[300];
    size_t i;
    ks_catalog_file_path(e, path, want, sizeof want);
    for (i = 0; i < e->web.nfiles; i++)
        if (strcmp(e->web.files[i], want) == 0)
            return true;
    return false;
}

bool ks_image_has_program(const ks_image_entry *e, const char *program)
{
    const char *base = strrchr(program, '/');
    size_t i;
    base = base ? base + 1 : program;
    for (i = 0; i < e->nprograms; i++)
        if (strcmp(e->programs[i], base) == 0)
            return true;
    return false;
}

bool ks_image_runs_main(const ks_image_entry *e, const char *program)
{
    const char *base = strrchr(program, '/');
    size_t i;
    base = base ? base + 1 : program;
    for (i = 0; e && i < e->nentrypoint; i++)
        if (strcmp(e->entrypoint[i], base) == 0)
            return true;
    return false;
}

/* programs: / entrypoint: a name or a list of names (psql), no paths */
static void read_names(ks_reader *r, const ks_yaml_node *m, const char *key, const char ***out,
                       size_t *n)
{
    const ks_yaml_node *pn = ks_yaml_get(m, key);
    size_t i;
    if (!pn || !ksi_rd_str_or_list(r, m, key, MAX_FILES, out, n))
        return;
    for (i = 0; i < *n; i++)
        if (!(*out)[i][0] || strchr((*out)[i], '/') || strchr((*out)[i], ' '))
            ks_rd_fail(r, pn->kind == KS_YAML_SEQ ? pn->items[i] : pn, KS_EINVAL,
                       "%s: '%s' is a program name (psql), not a path or a command line",
                       ks_rd_field(r, key), (*out)[i]);
}

void ksi_cat_read_programs(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    static const char *shell[] = {"sh"};
    read_names(r, m, "entrypoint", &e->entrypoint, &e->nentrypoint);
    if (!ks_yaml_get(m, "programs")) {
        if (e->kind == KS_IMAGE_SHELL) {
            e->programs = shell;
            e->nprograms = 1;
        }
        return;
    }
    read_names(r, m, "programs", &e->programs, &e->nprograms);
}

void ksi_cat_read_tags(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    static const char *const keys[] = {"match", "programs", NULL};
    const ks_yaml_node *s = ksi_rd_list(r, m, "tags", 16);
    size_t i, saved;
    if (!s)
        return;
    e->tags = ks_arena_alloc(r->ar, (s->n ? s->n : 1) * sizeof *e->tags);
    if (!e->tags) {
        ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
        return;
    }
    saved = ks_rd_push(r, "tags");
    for (i = 0; i < s->n; i++) {
        size_t s2 = ks_rd_push_index(r, i);
        ks_image_entry tmp;
        memset(&tmp, 0, sizeof tmp);
        if (s->items[i]->kind != KS_YAML_MAP) {
            ks_rd_fail(r, s->items[i], KS_ESCHEMA, "%s must be {match: GLOB, programs: [...]}",
                       r->path);
        } else {
            ks_rd_strict(r, s->items[i], keys);
            ks_rd_str(r, s->items[i], "match", true, &e->tags[e->ntags].match);
            ksi_cat_read_programs(r, s->items[i], &tmp);
            e->tags[e->ntags].programs = tmp.programs;
            e->tags[e->ntags].nprograms = tmp.nprograms;
            e->ntags++;
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
}

bool ksi_cat_tag_entry(ks_reader *r, const ks_image_entry *e, const ks_image_tag *t,
                       ks_image_entry *out)
{
    size_t i, n = 0;
    *out = *e;
    out->tags = NULL;
    out->ntags = 0;
    out->programs = t->programs;
    out->nprograms = t->nprograms;
    out->match = ks_arena_alloc(r->ar, (e->nmatch ? e->nmatch : 1) * sizeof *out->match);
    if (!out->match || !t->match)
        return false;
    for (i = 0; i < e->nmatch; i++) {
        size_t len = strlen(e->match[i]);
        if (len >= 2 && strcmp(e->match[i] + len - 2, ":*") == 0)
            out->match[n++] = ks_arena_printf(r->ar, "%.*s%s", (int)(len - 1), e->match[i],
                                              t->match);
    }
    out->nmatch = n;
    return n > 0;
}

void ksi_cat_read_count(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e)
{
    const ks_yaml_node *cn = ks_yaml_get(m, "count");
    if (cn && ksi_rd_str_or_list(r, m, "count", MAX_FILES, &e->count, &e->ncount)
        && (e->ncount == 0 || !ks_image_has_program(e, e->count[0])))
        ks_rd_fail(r, cn, KS_EINVAL, "%s: a command whose program is in the image's programs "
                   "(e.g. [redis-cli, DBSIZE]); not '%s'", ks_rd_field(r, "count"),
                   e->ncount ? e->count[0] : "");
}

bool ks_catalog_version_before(const char *tag, const char *before)
{
    while (*before) {
        char *et, *eb;
        long a, b;
        if (*tag < '0' || *tag > '9' || *before < '0' || *before > '9')
            return false;
        a = strtol(tag, &et, 10);
        b = strtol(before, &eb, 10);
        if (a != b)
            return a < b;
        if (*eb != '.')
            return false;                 /* the same version */
        if (*et != '.')
            return false;                 /* "1.29": the line's newest */
        tag = et + 1;
        before = eb + 1;
    }
    return false;
}

/* body, or the first of bodies whose `before` is above image's tag. */
static const char *versioned(const char *body, const ks_image_body *bodies, size_t n,
                             const char *image)
{
    const char *slash = image ? strrchr(image, '/') : NULL;
    const char *colon = image ? strchr(slash ? slash : image, ':') : NULL;
    size_t i;
    for (i = 0; colon && i < n; i++)
        if (ks_catalog_version_before(colon + 1, bodies[i].before))
            return bodies[i].body;
    return body;
}

const char *ks_catalog_body(const ks_image_entry *e, const char *image)
{
    return versioned(e->body, e->bodies, e->nbodies, image);
}

const char *ks_catalog_page(const ks_image_entry *e, const char *rel, const char *image)
{
    size_t i;
    for (i = 0; i < e->web.npages; i++)
        if (strcmp(e->web.pages[i].path, rel) == 0)
            return versioned(e->web.pages[i].body, e->web.pages[i].bodies,
                             e->web.pages[i].nbodies, image);
    return NULL;
}

void ksi_cat_read_bodies(ks_reader *r, const ks_yaml_node *m, ks_image_body **out, size_t *n)
{
    static const char *const keys[] = {"before", "body", NULL};
    const ks_yaml_node *s = ksi_rd_list(r, m, "bodies", 16);
    ks_image_body *bodies;
    size_t i, saved, nb = 0;
    if (!s || !s->n)
        return;
    if (!(*out = bodies = ks_arena_alloc(r->ar, s->n * sizeof *bodies))) {
        ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
        return;
    }
    saved = ks_rd_push(r, "bodies");
    for (i = 0; i < s->n; i++) {
        size_t s2 = ks_rd_push_index(r, i);
        ks_image_body *b = &bodies[nb];
        if (s->items[i]->kind != KS_YAML_MAP) {
            ks_rd_fail(r, s->items[i], KS_ESCHEMA, "%s must be {before: VERSION, body: TEXT}",
                       r->path);
        } else {
            ks_rd_strict(r, s->items[i], keys);
            if (ks_rd_str(r, s->items[i], "before", true, &b->before)
                && ks_rd_str(r, s->items[i], "body", true, &b->body)) {
                if (b->before[0] < '0' || b->before[0] > '9')
                    ks_rd_fail(r, ks_yaml_get(s->items[i], "before"), KS_EINVAL,
                               "%s must be a version such as 1.29.6, not '%s'",
                               ks_rd_field(r, "before"), b->before);
                else if (nb
                         && !ks_catalog_version_before(bodies[nb - 1].before,
                                                       b->before))
                    ks_rd_fail(r, ks_yaml_get(s->items[i], "before"), KS_EINVAL,
                               "%s: bodies go oldest first; %s is not above %s",
                               ks_rd_field(r, "before"), b->before,
                               bodies[nb - 1].before);
                else
                    nb++;
            }
        }
        ks_rd_pop(r, s2);
    }
    *n = nb;
    ks_rd_pop(r, saved);
}
