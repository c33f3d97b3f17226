/* ks_ingress_overlap.c -- the last refusal of ingress-nginx's admission
 * webhook: a host and path that another Ingress already defines
 * (checkOverlap in internal/ingress/controller/controller.go, v1.15.1).
 */
#include <stdio.h>
#include <string.h>

#include "ks_ingress.h"

#define CANARY "nginx.ingress.kubernetes.io/canary"

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
