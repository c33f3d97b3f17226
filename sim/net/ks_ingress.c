/* ks_ingress.c -- the ingress-nginx router (see ks_ingress.h for the rules).
 *
 * Building mirrors the controller (ingress-nginx internal/ingress/controller:
 * controller.go createServers/getBackendServers, location.go, template.go):
 *   1. once per Ingress: class, strict path types, annotations (warnings);
 *   2. a pass: the catch-all server "_" first, then one server per rule host
 *      in Ingress order (input order stands in for creation time). The first
 *      Ingress naming a host lends it its defaultBackend; the first Ingress
 *      with a defaultBackend and no rules lends it to "_". A path already on
 *      the server with the same pathType keeps the first Ingress's backend;
 *   3. locations are sorted as the controller sorts them (stable: path bytes
 *      descending, then length descending); a server with use-regex or a
 *      rewrite on any location is in regex mode and compiles ^P and P;
 *   4. a path that does not compile is a failure of its Ingress, which
 *      leaves it out: nginx -t fails on the whole configuration when PCRE
 *      refuses the path (the table says so: ks_ingress_table_failures; the
 *      controller keeps its last good configuration), else kubesim cannot
 *      route it (a warning). The warnings of that pass are dropped and the
 *      pass runs again without that Ingress, so each costs at most one pass.
 * ImplementationSpecific is Prefix outside regex mode, as the controller's
 * store defaults it (SetDefaultNGINXPathType).
 * Cost: a request scans the servers for its host, then that server's
 * locations: O(servers + locations); fine at teaching scale.
 * NOTE: regcomp allocates with malloc, outside the ks_allocator hook.
 */
#include "ks_ingress.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/ingress_regex.h"

#define ANN "nginx.ingress.kubernetes.io/"
#define CLASS_ANN "kubernetes.io/ingress.class"
#define DEFAULT_COOKIE "INGRESSCOOKIE"
#define MAX_SUB 32                /* POSIX subexpressions per path */
#define CATCH_ALL "_"

/* ---------------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------------- */
typedef struct ing_info {
    const ks_object *o;
    bool served;
    bool use_regex;
    const char *rewrite;          /* rewrite-target, NULL when unset or empty */
    bool sticky;                  /* affinity: cookie */
    ks_ingress_affinity aff;
} ing_info;

typedef struct backend {
    const char *ns;
    const ks_ingress_backend *b;
    bool sticky;
    ks_ingress_affinity aff;
} backend;

typedef struct location {
    size_t server, seq;           /* sort keys */
    int ing, rule, path, be;
    ks_path_type type;            /* IMPL already folded into PREFIX */
    const char *text;             /* path as written */
    bool rewrite;                 /* needsRewrite: a target != the path */
    bool has_re, has_rw;
    regex_t re, rw;               /* location ^P, and rewrite P */
    unsigned char gmap[10];       /* PCRE group k -> POSIX subexpression */
} location;

typedef struct server {
    const char *host;             /* rule host as written, or "_" */
    bool wildcard, regex;
    int def_ing, def_be;          /* defaultBackend that answers misses, or -1 */
    size_t first, nlocs;          /* its slice of t->locs after sorting */
} server;

struct ks_ingress_table {
    ks_arena *ar;
    ks_ingress_config cfg;
    ing_info *ings;
    size_t nings, nserved;
    ks_ingress_failure *fails;    /* one at most per Ingress */
    size_t nfails;
    server *servers;
    location *locs;
    backend *bes;
    size_t nservers, nlocs, nbes;
};

/* ---------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------- */
static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool eq_nocase(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i;
    if (an != bn)
        return false;
    for (i = 0; i < an; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return false;
    return true;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Go's strconv.ParseBool, which the annotation parser uses. 1/0 or -1. */
static int parse_bool(const char *s)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
    size_t i;
    for (i = 0; i < 6; i++) {
        if (strcmp(s, yes[i]) == 0)
            return 1;
        if (strcmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* Seconds for session-cookie-max-age/-expires; -1 when not an integer. */
static int64_t parse_seconds(const char *s)
{
    char *end;
    long long v;
    if (!*s || !(is_digit((unsigned char)*s) || *s == '-'))
        return -1;
    v = strtoll(s, &end, 10);
    return *end || v < 0 ? -1 : (int64_t)v;
}

static ks_mark obj_mark(const ks_object *o)
{
    return o->meta.name_mark.line ? o->meta.name_mark : o->mark;
}

static const char *ann(const ks_object *o, const char *key)
{
    return ks_kvs_get(&o->meta.annotations, key);
}

/* ---------------------------------------------------------------------------
 * Building
 * ------------------------------------------------------------------------- */

/* Class selection; returns whether the controller serves o, warns if not. */
static bool class_ok(const ks_ingress_config *cfg, const ks_object *o, ks_diags *d)
{
    const ks_ingress_spec *g = &o->u.ing;
    const char *cls = g->class_name, *a = ann(o, CLASS_ANN);
    ks_mark at = obj_mark(o);
    if (cls && !*cls)
        cls = NULL;
    if (cls && !g->class_from_annotation && a && strcmp(a, cls) != 0)
        ks_diag_warn(d, at, "ingress '%s': spec.ingressClassName '%s' and annotation "
                     CLASS_ANN " '%s' disagree, which is undefined; kubesim uses "
                     "spec.ingressClassName (remove the annotation)", o->meta.name, cls, a);
    if (!cls) {
        if (cfg->default_class || cfg->watch_without_class)
            return true;
        ks_diag_warn(d, at, "ingress '%s' has no class: ingress-nginx >= 1.0 ignores it; set "
                     "spec.ingressClassName: %s", o->meta.name, cfg->class_name);
        return false;
    }
    if (strcmp(cls, cfg->class_name) != 0) {
        ks_diag_warn(d, at, "ingress '%s' has class '%s', not '%s': ingress-nginx ignores it",
                     o->meta.name, cls, cfg->class_name);
        return false;
    }
    return true;
}

/* Whether the controller serves o (class_ok without its warnings). */
static bool ours(const ks_ingress_config *cfg, const ks_object *o)
{
    const char *cls = o->u.ing.class_name;
    if (cls && !*cls)
        cls = NULL;
    if (!cls)
        return cfg->default_class || cfg->watch_without_class;
    return strcmp(cls, cfg->class_name ? cfg->class_name : "nginx") == 0;
}

bool ks_ingress_ours(const ks_ingress_config *cfg, const ks_object *o)
{
    ks_ingress_config dflt = ks_ingress_config_default();
    return o->kind == KS_KIND_INGRESS && ours(cfg ? cfg : &dflt, o);
}

/* The webhook's refusals as errors at each path (the Ingress is not served). */
static bool paths_ok(const ks_ingress_config *cfg, const ks_object *o, ks_diags *d)
{
    ks_ingress_refusal r[16];
    size_t n = ks_ingress_refusals(cfg, o, r, 16), i;
    for (i = 0; i < n; i++)
        ks_diag_error(d, KS_EINVAL, r[i].at, "ingress '%s': %s; the admission webhook "
                      "refuses it%s", o->meta.name, r[i].text,
                      r[i].path ? " (strict-validate-path-type): regex paths need pathType: "
                                  "ImplementationSpecific" : "");
    return n == 0;
}

/* Reads the annotations this router uses into gi. */
static void read_annotations(ing_info *gi, ks_diags *d)
{
    const ks_object *o = gi->o;
    const char *v;
    ks_mark at = obj_mark(o);
    int b;
    if ((v = ann(o, ANN "use-regex")) != NULL) {
        if ((b = parse_bool(v)) < 0)
            ks_diag_warn(d, at, "ingress '%s': " ANN "use-regex '%s' is not a boolean; "
                         "ignored", o->meta.name, v);
        gi->use_regex = b == 1;
    }
    if ((v = ann(o, ANN "rewrite-target")) != NULL && *v)
        gi->rewrite = v;
    v = ann(o, ANN "affinity");
    if (!v || !*v)
        return;
    if (strcmp(v, "cookie") != 0) {
        ks_diag_warn(d, at, "ingress '%s': " ANN "affinity '%s' is not supported (only "
                     "cookie); no stickiness", o->meta.name, v);
        return;
    }
    gi->sticky = true;
    gi->aff.ingress = o->meta.name;
    gi->aff.cookie_name = DEFAULT_COOKIE;
    gi->aff.max_age = gi->aff.expires = -1;
    if ((v = ann(o, ANN "session-cookie-name")) != NULL && *v)
        gi->aff.cookie_name = v;
    if ((v = ann(o, ANN "affinity-mode")) != NULL && *v) {
        gi->aff.persistent = strcmp(v, "persistent") == 0;
        if (!gi->aff.persistent && strcmp(v, "balanced") != 0)
            ks_diag_warn(d, at, "ingress '%s': " ANN "affinity-mode '%s' is neither "
                         "balanced nor persistent; balanced is used", o->meta.name, v);
    }
    if ((v = ann(o, ANN "session-cookie-path")) != NULL && *v)
        gi->aff.cookie_path = v;
    else if (gi->use_regex || gi->rewrite)
        ks_diag_warn(d, at, "ingress '%s': session-cookie-path should be set when paths "
                     "are regexes: the cookie's Path would be the regex and browsers would "
                     "never send it back", o->meta.name);
    if ((v = ann(o, ANN "session-cookie-max-age")) != NULL
        && (gi->aff.max_age = parse_seconds(v)) < 0)
        ks_diag_warn(d, at, "ingress '%s': session-cookie-max-age '%s' is not a number of "
                     "seconds; ignored", o->meta.name, v);
    if ((v = ann(o, ANN "session-cookie-expires")) != NULL
        && (gi->aff.expires = parse_seconds(v)) < 0)
        ks_diag_warn(d, at, "ingress '%s': session-cookie-expires '%s' is not a number of "
                     "seconds; ignored", o->meta.name, v);
    if ((v = ann(o, ANN "session-cookie-change-on-failure")) != NULL) {
        if ((b = parse_bool(v)) < 0)
            ks_diag_warn(d, at, "ingress '%s': session-cookie-change-on-failure '%s' is not "
                         "a boolean; false is used", o->meta.name, v);
        gi->aff.change_on_failure = b == 1;
    }
}

/* The backend (namespace, service, port) index, added if new. */
static int backend_get(ks_ingress_table *t, const char *ns, const ks_ingress_backend *b)
{
    size_t i;
    for (i = 0; i < t->nbes; i++) {
        const ks_ingress_backend *o = t->bes[i].b;
        if (strcmp(t->bes[i].ns, ns) == 0 && strcmp(o->service, b->service) == 0
            && o->port == b->port
            && strcmp(o->port_name ? o->port_name : "", b->port_name ? b->port_name : "") == 0)
            return (int)i;
    }
    memset(&t->bes[t->nbes], 0, sizeof t->bes[0]);
    t->bes[t->nbes].ns = ns;
    t->bes[t->nbes].b = b;
    return (int)t->nbes++;
}

static server *server_get(ks_ingress_table *t, const char *host, bool *is_new)
{
    size_t i;
    server *s;
    *is_new = false;
    for (i = 0; i < t->nservers; i++)
        if (eq_nocase(t->servers[i].host, strlen(t->servers[i].host), host, strlen(host)))
            return &t->servers[i];
    *is_new = true;
    s = &t->servers[t->nservers++];
    memset(s, 0, sizeof *s);
    s->host = host;
    s->wildcard = host[0] == '*' && host[1] == '.';
    s->def_ing = s->def_be = -1;
    return s;
}

static int cmp_loc(const void *pa, const void *pb)
{
    const location *a = pa, *b = pb;
    size_t la = strlen(a->text), lb = strlen(b->text);
    int c;
    if (a->server != b->server)
        return a->server < b->server ? -1 : 1;
    if (la != lb)
        return la > lb ? -1 : 1;
    if ((c = strcmp(a->text, b->text)) != 0)
        return -c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void free_regexes(ks_ingress_table *t)
{
    size_t i;
    for (i = 0; i < t->nlocs; i++) {
        if (t->locs[i].has_re)
            regfree(&t->locs[i].re);
        if (t->locs[i].has_rw)
            regfree(&t->locs[i].rw);
        t->locs[i].has_re = t->locs[i].has_rw = false;
    }
}

/* Compiles l's path in regex mode. KS_OK, KS_ENOMEM, or KS_EINVAL with the
 * failure in *f (its Ingress and mark left for the caller). */
static int compile(ks_ingress_table *t, location *l, ks_diags *d, ks_ingress_failure *f)
{
    size_t cap = 16 * strlen(l->text) + 8;
    char *ere = ks_arena_alloc(t->ar, cap);
    ksi_regex_xlat x;
    int rc;
    if (!ere)
        return KS_ENOMEM;
    ere[0] = '^';
    f->path = l->text;
    if (!ksi_regex_translate(l->text, ere, 1, cap, &x)) {
        /* nginx's words: ngx_regex_compile (src/core/ngx_regex.c, PCRE 8
           branch), the pattern being the location's "^<path>" */
        f->nginx = x.pcre;
        if (!x.pcre)
            snprintf(f->text, sizeof f->text, "%s", x.why);
        else if (x.at >= strlen(l->text))
            snprintf(f->text, sizeof f->text, "pcre_compile() failed: %s in \"^%s\"", x.why,
                     l->text);
        else
            snprintf(f->text, sizeof f->text, "pcre_compile() failed: %s in \"^%s\" at \"%s\"",
                     x.why, l->text, l->text + x.at);
        return KS_EINVAL;
    }
    if (x.posix_groups >= MAX_SUB) {
        snprintf(f->text, sizeof f->text, "more than %d groups", MAX_SUB - 1);
        return KS_EINVAL;
    }
    memcpy(l->gmap, x.gmap, sizeof l->gmap);
    rc = regcomp(&l->re, ere, REG_EXTENDED | REG_ICASE);
    if (rc == 0) {
        l->has_re = true;
        if (l->rewrite) {         /* nginx: rewrite "(?i)<path>", unanchored */
            rc = regcomp(&l->rw, ere + 1, REG_EXTENDED | REG_ICASE);
            l->has_rw = rc == 0;
        }
    }
    if (rc == REG_ESPACE)
        return KS_ENOMEM;
    if (rc != 0) {                /* PCRE took it (above): libc's limit */
        regerror(rc, l->has_re ? &l->rw : &l->re, f->text, sizeof f->text);
        return KS_EINVAL;
    }
    if (x.lazy)
        ks_diag_warn(d, t->ings[l->ing].o->u.ing.rules[l->rule].paths[l->path].mark,
                     "path '%s': kubesim reads lazy quantifiers as greedy; the same requests "
                     "match, but captures for rewrite-target may differ from nginx", l->text);
    return KS_OK;
}

/* One pass over the served Ingresses (steps 2-4). On KS_EINVAL, *reject is
 * the Ingress to drop and *f says why. */
static int build_pass(ks_ingress_table *t, ks_diags *d, int *reject, ks_ingress_failure *f)
{
    size_t i, r, p, k;
    bool is_new;
    server *s;
    t->nservers = t->nlocs = t->nbes = 0;
    server_get(t, CATCH_ALL, &is_new);
    for (i = 0; i < t->nings; i++) {
        const ing_info *gi = &t->ings[i];
        const ks_ingress_spec *g = &gi->o->u.ing;
        const char *ns = gi->o->meta.ns;
        if (!gi->served)
            continue;
        if (g->has_default_backend && g->nrules == 0 && t->servers[0].def_ing < 0) {
            t->servers[0].def_ing = (int)i;
            t->servers[0].def_be = backend_get(t, ns, &g->default_backend);
        }
        for (r = 0; r < g->nrules; r++) {
            const ks_ingress_rule *ru = &g->rules[r];
            size_t si;
            s = server_get(t, ru->host && *ru->host ? ru->host : CATCH_ALL, &is_new);
            si = (size_t)(s - t->servers);
            if (is_new && g->has_default_backend) {
                s->def_ing = (int)i;
                s->def_be = backend_get(t, ns, &g->default_backend);
            }
            for (p = 0; p < ru->npaths; p++) {
                const ks_ingress_path *ip = &ru->paths[p];
                ks_path_type type = ip->type == KS_PATH_EXACT ? KS_PATH_EXACT : KS_PATH_PREFIX;
                int be = backend_get(t, ns, &ip->backend);
                location *l;
                if (gi->sticky && !t->bes[be].sticky) {
                    t->bes[be].sticky = true;
                    t->bes[be].aff = gi->aff;
                }
                for (k = 0; k < t->nlocs; k++)
                    if (t->locs[k].server == si && t->locs[k].type == type
                        && strcmp(t->locs[k].text, ip->path) == 0)
                        break;
                if (k < t->nlocs) {
                    ks_diag_warn(d, ip->mark, "ingress '%s': host '%s' path '%s' is already "
                                 "served by ingress '%s'; the first one wins (the admission "
                                 "webhook would refuse this Ingress)", gi->o->meta.name,
                                 s->host, ip->path, t->ings[t->locs[k].ing].o->meta.name);
                    continue;
                }
                l = &t->locs[t->nlocs];
                memset(l, 0, sizeof *l);
                l->server = si;
                l->seq = t->nlocs++;
                l->ing = (int)i;
                l->rule = (int)r;
                l->path = (int)p;
                l->be = be;
                l->type = type;
                l->text = ip->path;
                l->rewrite = gi->rewrite && strcmp(gi->rewrite, ip->path) != 0;
            }
        }
    }
    qsort(t->locs, t->nlocs, sizeof t->locs[0], cmp_loc);
    for (k = 0; k < t->nlocs; k++) {
        s = &t->servers[t->locs[k].server];
        if (!s->nlocs)
            s->first = k;
        s->nlocs++;
        if (t->locs[k].rewrite || t->ings[t->locs[k].ing].use_regex)
            s->regex = true;
    }
    for (k = 0; k < t->nlocs; k++) {
        location *l = &t->locs[k];
        int rc;
        if (!t->servers[l->server].regex)
            continue;
        rc = compile(t, l, d, f);
        if (rc == KS_EINVAL) {
            *reject = l->ing;
            f->ingress = t->ings[l->ing].o;
            f->at = f->ingress->u.ing.rules[l->rule].paths[l->path].mark;
        }
        if (rc != KS_OK)
            return rc;
    }
    return KS_OK;
}

ks_ingress_config ks_ingress_config_default(void)
{
    ks_ingress_config c = {"nginx", false, false, true};
    return c;
}

int ks_ingress_table_create(const ks_allocator *a, const ks_ingress_config *cfg,
                            const ks_object *const *objs, size_t n, ks_ingress_table **out,
                            ks_diags *d)
{
    ks_arena *ar = ks_arena_create(a);
    ks_ingress_table *t = NULL;
    size_t i, r, nrules = 0, npaths = 0;
    int status = KS_OK, rc;
    *out = NULL;
    if (!ar || !(t = ks_arena_alloc(ar, sizeof *t)))
        goto oom;
    t->ar = ar;
    t->cfg = cfg ? *cfg : ks_ingress_config_default();
    if (!t->cfg.class_name)
        t->cfg.class_name = "nginx";
    for (i = 0; i < n; i++) {
        const ks_object *o = objs[i];
        if (o->kind == KS_KIND_INGRESSCLASS && o->u.ingclass.is_default
            && strcmp(o->meta.name, t->cfg.class_name) == 0)
            t->cfg.default_class = true;
        if (o->kind != KS_KIND_INGRESS)
            continue;
        t->nings++;
        nrules += o->u.ing.nrules;
        for (r = 0; r < o->u.ing.nrules; r++)
            npaths += o->u.ing.rules[r].npaths;
    }
    t->ings = ks_arena_alloc(ar, (t->nings + 1) * sizeof *t->ings);
    t->servers = ks_arena_alloc(ar, (nrules + 1) * sizeof *t->servers);
    t->locs = ks_arena_alloc(ar, (npaths + 1) * sizeof *t->locs);
    t->bes = ks_arena_alloc(ar, (npaths + 2 * t->nings + 1) * sizeof *t->bes);
    t->fails = ks_arena_alloc(ar, (t->nings + 1) * sizeof *t->fails);
    if (!t->ings || !t->servers || !t->locs || !t->bes || !t->fails)
        goto oom;
    for (i = 0, t->nings = 0; i < n; i++) {
        ing_info *gi;
        if (objs[i]->kind != KS_KIND_INGRESS)
            continue;
        gi = &t->ings[t->nings++];
        gi->o = objs[i];
        gi->served = class_ok(&t->cfg, gi->o, d);
        if (gi->served && !paths_ok(&t->cfg, gi->o, d)) {
            gi->served = false;
            status = KS_EINVAL;
        }
        if (gi->served)
            read_annotations(gi, d);
    }
    for (;;) {
        int n0 = d->n, e0 = d->errors, w0 = d->warnings;   /* a retry drops this
                                                              pass's warnings */
        ks_ingress_failure *f = &t->fails[t->nfails];
        int reject = -1;
        memset(f, 0, sizeof *f);
        rc = build_pass(t, d, &reject, f);
        if (rc == KS_OK)
            break;
        free_regexes(t);
        if (rc != KS_EINVAL)
            goto oom;
        d->n = n0;
        d->errors = e0;
        d->warnings = w0;
        t->ings[reject].served = false;
        t->nfails++;
        if (!f->nginx) {
            char why[600];
            ks_ingress_failure_explain(f, why, sizeof why);
            ks_diag_warn(d, f->at, "%s", why);
        }
    }
    for (i = 0; i < t->nings; i++)
        t->nserved += t->ings[i].served;
    *out = t;
    return status;
oom:
    if (ar && t)
        free_regexes(t);
    ks_arena_destroy(ar);
    return KS_ENOMEM;
}

void ks_ingress_table_destroy(ks_ingress_table *t)
{
    if (!t)
        return;
    free_regexes(t);
    ks_arena_destroy(t->ar);      /* t itself lives in the arena */
}

size_t ks_ingress_table_count(const ks_ingress_table *t)
{
    return t ? t->nserved : 0;
}

size_t ks_ingress_table_failures(const ks_ingress_table *t, const ks_ingress_failure **out)
{
    *out = t ? t->fails : NULL;
    return t ? t->nfails : 0;
}

const ks_ingress_failure *ks_ingress_table_reload_error(const ks_ingress_table *t)
{
    size_t i;
    for (i = 0; t && i < t->nfails; i++)
        if (t->fails[i].nginx)
            return &t->fails[i];
    return NULL;
}

/* ---------------------------------------------------------------------------
 * Routing
 * ------------------------------------------------------------------------- */

/* The server for a Host header: the exact host, else the one-label wildcard,
 * else the catch-all (servers[0]). A :port suffix and a final dot are
 * ignored. NOTE: nginx's own *.foo.com also matches a.b.foo.com; the
 * Ingress API (and so kubesim) says exactly one label. */
static const server *find_server(const ks_ingress_table *t, const char *host)
{
    const server *wild = NULL;
    const char *end;
    size_t hl, i;
    if (!host)
        host = "";
    hl = strlen(host);
    if (host[0] == '[' && (end = strchr(host, ']')) != NULL)    /* [::1]:80 */
        hl = (size_t)(end - host) + 1;
    else if (host[0] != '[' && (end = strchr(host, ':')) != NULL)
        hl = (size_t)(end - host);
    if (hl && host[hl - 1] == '.')
        hl--;
    for (i = 1; hl && i < t->nservers; i++) {
        const server *s = &t->servers[i];
        size_t sl = strlen(s->host), suf = sl - 1;   /* ".foo.com" */
        if (!s->wildcard) {
            if (eq_nocase(s->host, sl, host, hl))
                return s;
        } else if (!wild && hl > suf && eq_nocase(s->host + 1, suf, host + hl - suf, suf)
                   && !memchr(host, '.', hl - suf)) {
            wild = s;
        }
    }
    return wild ? wild : &t->servers[0];
}

/* Without regex mode: nginx `= /p` beats everything, then the longest
 * prefix. Prefix /foo is nginx's `/foo/` plus `= /foo` (location.go); the
 * spec's "trailing slash ignored" makes /foo/ match /foo too. NOTE: nginx
 * answers /foo there with a 301 to /foo/ first; kubesim routes it directly. */
static const location *match_plain(const ks_ingress_table *t, const server *s,
                                   const char *path)
{
    const location *exact = NULL, *pexact = NULL, *best = NULL;
    size_t best_len = 0, pl = strlen(path), i;
    for (i = 0; i < s->nlocs; i++) {
        const location *l = &t->locs[s->first + i];
        size_t n = strlen(l->text);
        if (l->type == KS_PATH_EXACT) {
            if (!exact && strcmp(l->text, path) == 0)
                exact = l;
            continue;
        }
        while (n > 1 && l->text[n - 1] == '/')
            n--;
        if (n == 1) {                              /* "/" matches everything */
            if (best_len < 1 && path[0] == '/') {
                best = l;
                best_len = 1;
            }
        } else if (memcmp(path, l->text, n < pl ? n : pl) == 0 && pl >= n) {
            if (pl == n) {
                if (!pexact)
                    pexact = l;
            } else if (path[n] == '/' && n + 1 > best_len) {
                best = l;
                best_len = n + 1;
            }
        }
    }
    return exact ? exact : pexact ? pexact : best;
}

/* Regex mode: ~* "^<path>" locations, first match in sorted order. */
static const location *match_regex(const ks_ingress_table *t, const server *s,
                                   const char *path)
{
    size_t i;
    for (i = 0; i < s->nlocs; i++) {
        const location *l = &t->locs[s->first + i];
        if (l->has_re && regexec(&l->re, path, 0, NULL, 0) == 0)
            return l;
    }
    return NULL;
}

typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool over;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n >= b->cap) {
        b->over = true;
        return;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* nginx `rewrite "(?i)<path>" <target> break;` on path, then the query
 * string: appended with '?', or '&' when the target has its own query; a
 * target ending in '?' drops it. Returns 1 when the regex does not match
 * (URI unchanged), 0 when rewritten, -1 when the result does not fit. */
static int rewrite(const location *l, const char *target, const char *path, const char *query,
                   char *out, size_t cap)
{
    regmatch_t m[MAX_SUB];
    sbuf b = {out, 0, cap, false};
    const char *c;
    if (regexec(&l->rw, path, MAX_SUB, m, 0) != 0)
        return 1;
    out[0] = '\0';
    for (c = target; *c; c++) {
        if (c[0] == '$' && c[1] >= '1' && c[1] <= '9') {
            unsigned g = l->gmap[c[1] - '0'];
            c++;
            if (g && m[g].rm_so >= 0)
                sb_add(&b, path + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
        } else {
            sb_add(&b, c, 1);
        }
    }
    if (b.n && out[b.n - 1] == '?' && strchr(out, '?') == out + b.n - 1) {
        out[--b.n] = '\0';        /* "target?": keep the old args out */
    } else if (query && *query) {
        sb_add(&b, strchr(out, '?') ? "&" : "?", 1);
        sb_add(&b, query, strlen(query));
    }
    return b.over ? -1 : 0;
}

static void set_backend(const ks_ingress_table *t, int be, ks_ingress_route *out)
{
    const backend *b = &t->bes[be];
    out->ns = b->ns;
    out->service = b->b->service;
    out->port = b->b->port;
    out->port_name = b->b->port_name;
    out->affinity = b->sticky ? &b->aff : NULL;
}

int ks_ingress_route_request(const ks_ingress_table *t, const char *host, const char *uri,
                             ks_ingress_route *out)
{
    char path[KS_INGRESS_URI_MAX];
    const char *q = strchr(uri, '?');
    size_t pl = q ? (size_t)(q - uri) : strlen(uri);
    const server *s;
    const location *l;
    memset(out, 0, sizeof *out);
    out->rule = out->path = -1;
    if (pl >= sizeof path || strlen(uri) >= sizeof out->uri)
        return KS_ELIMIT;
    memcpy(path, uri, pl);
    path[pl] = '\0';
    if (!pl)
        strcpy(path, "/");
    strcpy(out->uri, uri);        /* unless rewritten, nginx passes it as is */
    s = find_server(t, host);
    out->server = s->host;
    out->regex = s->regex;
    l = s->regex ? match_regex(t, s, path) : match_plain(t, s, path);
    if (l) {
        const ing_info *gi = &t->ings[l->ing];
        out->via = KS_VIA_PATH;
        out->ingress = gi->o->meta.name;
        out->rule = l->rule;
        out->path = l->path;
        out->location = l->text;
        set_backend(t, l->be, out);
        if (l->rewrite && l->has_rw) {
            int rc = rewrite(l, gi->rewrite, path, q ? q + 1 : NULL, out->uri,
                             sizeof out->uri);
            if (rc < 0)
                return KS_ELIMIT;
            out->rewritten = rc == 0;
        }
        return KS_OK;
    }
    if (s->def_be >= 0) {
        out->via = KS_VIA_INGRESS_DEFAULT;
        out->ingress = t->ings[s->def_ing].o->meta.name;
        set_backend(t, s->def_be, out);
        return KS_OK;
    }
    out->via = KS_VIA_CONTROLLER_DEFAULT;
    out->status = strcmp(path, "/healthz") == 0 ? 200 : 404;
    return KS_OK;
}

size_t ks_ingress_route_format(const ks_ingress_route *r, const char *request, char *buf,
                               size_t n)
{
    char port[24];
    int len;
    if (r->via == KS_VIA_CONTROLLER_DEFAULT) {
        len = snprintf(buf, n, "%s -> default backend %d", request, r->status);
    } else {
        if (r->port_name)
            snprintf(port, sizeof port, "%s", r->port_name);
        else
            snprintf(port, sizeof port, "%d", r->port);
        len = snprintf(buf, n, "%s -> %s:%s %s%s%s%s", request, r->service, port, r->uri,
                       r->via == KS_VIA_INGRESS_DEFAULT ? " (defaultBackend of ingress " : "",
                       r->via == KS_VIA_INGRESS_DEFAULT ? r->ingress : "",
                       r->via == KS_VIA_INGRESS_DEFAULT ? ")" : "");
    }
    return len < 0 ? 0 : (size_t)len;
}
