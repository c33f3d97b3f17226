/* ks_ingress_webhook.c -- what ingress-nginx's validating admission webhook
 * refuses (CheckIngress in internal/ingress/controller/controller.go,
 * v1.15.1): strict-validate-path-type, snippet annotations, and last a host
 * and path that another Ingress already defines (checkOverlap). Since
 * v1.12 it no longer runs nginx -t (CVE-2025-1974): a regex nginx cannot
 * compile is admitted, and fails the controller's reload (ks_ingress.c).
 */
#include <stdio.h>
#include <string.h>

#include "ks_ingress.h"

#define ANN "nginx.ingress.kubernetes.io/"
#define CANARY ANN "canary"

static bool is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* strict-validate-path-type: validPathType in internal/ingress/inspector/
 * rules.go, (?i)^/[[:alnum:]._\-/]*$ */
static bool valid_path_type(const char *s)
{
    if (*s != '/')
        return false;
    while (*s && (is_alnum((unsigned char)*s) || strchr("._-/", *s)))
        s++;
    return !*s;
}

size_t ks_ingress_refusals(const ks_ingress_config *cfg, const ks_object *o,
                           ks_ingress_refusal *out, size_t max)
{
    ks_ingress_config dflt = ks_ingress_config_default();
    const ks_ingress_spec *g = &o->u.ing;
    size_t r, p, n = 0, i;
    if (!cfg)
        cfg = &dflt;
    if (!ks_ingress_ours(cfg, o))
        return 0;
    for (r = 0; cfg->strict_path_type && r < g->nrules; r++)
        for (p = 0; p < g->rules[r].npaths; p++) {
            const ks_ingress_path *ip = &g->rules[r].paths[p];
            if (ip->type == KS_PATH_IMPL || !ip->path || !*ip->path
                || valid_path_type(ip->path) || n >= max)
                continue;
            out[n].at = ip->mark;
            out[n].path = true;
            snprintf(out[n].text, sizeof out[n].text, "path %s cannot be used with pathType %s",
                     ip->path, ip->type == KS_PATH_EXACT ? "Exact" : "Prefix");
            n++;
        }
    if (n)
        return n;
    for (i = 0; i < o->meta.annotations.n && n < max; i++) {
        const char *k = o->meta.annotations.items[i].key;
        size_t len = strlen(k);
        if (strncmp(k, ANN, strlen(ANN)) != 0 || len < 8 || strcmp(k + len - 8, "-snippet") != 0)
            continue;
        out[n].at = o->meta.name_mark.line ? o->meta.name_mark : o->mark;
        out[n].path = false;
        snprintf(out[n].text, sizeof out[n].text, "%s annotation cannot be used. Snippet "
                 "directives are disabled by the Ingress administrator", k);
        return n + 1;             /* CheckIngress returns at the first */
    }
    return n;
}

void ks_ingress_denial(const ks_ingress_refusal *r, size_t n, char *buf, size_t len)
{
    size_t i, k;
    int w = snprintf(buf, len, "admission webhook \"" KS_INGRESS_WEBHOOK "\" denied the "
                     "request: %s", n && r[0].path ? "ingress contains invalid paths: " : "");
    k = w < 0 ? 0 : (size_t)w;
    for (i = 0; i < n && k < len; i++) {
        w = snprintf(buf + k, len - k, "%s%s", i ? "\n" : "", r[i].text);
        k += w < 0 ? 0 : (size_t)w;
    }
}


/* parser.GetBoolAnnotation("canary"): present, and whether it is true
 * (strconv.ParseBool's spellings of true). */
static bool canary(const ks_object *o, bool *present)
{
    const char *v = ks_kvs_get(&o->meta.annotations, CANARY);
    *present = v != NULL;
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "t") == 0
                 || strcmp(v, "T") == 0 || strcmp(v, "TRUE") == 0 || strcmp(v, "True") == 0);
}

/* Whether other defines (host, path) with a Service backend: a location of
 * the server it makes (a rule without host is the default server "_"). */
static bool defines(const ks_object *other, const char *host, const char *path)
{
    size_t r, p;
    for (r = 0; r < other->u.ing.nrules; r++) {
        const ks_ingress_rule *ru = &other->u.ing.rules[r];
        if (strcmp(ru->host && *ru->host ? ru->host : "_", host) != 0)
            continue;
        for (p = 0; p < ru->npaths; p++) {
            const ks_ingress_path *ip = &ru->paths[p];
            if (ip->backend.service
                && strcmp(ip->path && *ip->path ? ip->path : "/", path) == 0)
                return true;
        }
    }
    return false;
}

bool ks_ingress_overlap(const ks_object *o, const ks_object *other, char *text, size_t n,
                        ks_mark *at)
{
    bool o_has, other_has, o_on, other_on;
    size_t r, p;
    if (o->kind != KS_KIND_INGRESS || other->kind != KS_KIND_INGRESS
        || !ks_ingress_ours(NULL, o) || !ks_ingress_ours(NULL, other)
        || (strcmp(o->meta.name, other->meta.name) == 0
            && strcmp(o->meta.ns ? o->meta.ns : "default",
                      other->meta.ns ? other->meta.ns : "default") == 0))
        return false;                           /* the same Ingress: an update */
    o_on = canary(o, &o_has);
    other_on = canary(other, &other_has);
    /* both canaries, or neither has the annotation: refused; one canary
       beside its main Ingress is what canaries are for */
    if (!(o_on && other_on) && (o_has || other_has))
        return false;
    for (r = 0; r < o->u.ing.nrules; r++) {
        const ks_ingress_rule *ru = &o->u.ing.rules[r];
        const char *host = ru->host && *ru->host ? ru->host : "_";
        for (p = 0; p < ru->npaths; p++) {
            const ks_ingress_path *ip = &ru->paths[p];
            const char *path = ip->path && *ip->path ? ip->path : "/";
            if (!ip->backend.service || !defines(other, host, path))
                continue;
            snprintf(text, n, "host \"%s\" and path \"%s\" is already defined in ingress %s/%s",
                     host, path, other->meta.ns ? other->meta.ns : "default",
                     other->meta.name);
            *at = ip->mark;
            return true;
        }
    }
    return false;
}

/* The webhook admits what nginx cannot load: say what follows. */
void ks_ingress_failure_explain(const ks_ingress_failure *f, char *buf, size_t n)
{
    if (f->nginx)
        snprintf(buf, n, "ingress '%s': nginx cannot compile the regex path '%s': %s; "
                 "ingress-nginx " KS_INGRESS_NGINX_VERSION " admits it (its webhook no longer "
                 "runs nginx -t), then every reload fails (a Warning event RELOAD on the "
                 "controller pod) and nginx keeps its last good configuration: no change to any "
                 "Ingress is served until this path is fixed or the Ingress deleted",
                 f->ingress->meta.name, f->path, f->text);
    else
        snprintf(buf, n, "ingress '%s': kubesim cannot route the regex path '%s' (%s); nginx "
                 "would serve it, kubesim leaves the Ingress out", f->ingress->meta.name,
                 f->path, f->text);
}
