/* ingress_fixture.h -- what the ingress router's tests share
 * (test_ingress.c, test_ingress_regex.c): a routing table built from YAML
 * text as a learner writes it, the check of a table of routes, the course's
 * Ingress. */
#ifndef KS_INGRESS_FIXTURE_H
#define KS_INGRESS_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/ks_ingress.h"
#include "load/ks_manifest.h"

/* ---- fixtures -------------------------------------------------------------- */
typedef struct fixture {
    ks_arena *ar;
    ks_manifests m;
    ks_diags d;                   /* the router's diagnostics */
    ks_ingress_table *t;
    int rc;
} fixture;

static inline fixture *build(const char *yaml, const ks_ingress_config *cfg)
{
    fixture *f = calloc(1, sizeof *f);
    ks_diags ld;
    assert_non_null(f);
    f->ar = ks_arena_create(NULL);
    assert_non_null(f->ar);
    ks_diags_init(&ld);
    ks_manifest_load_text(f->ar, "ing.yaml", yaml, strlen(yaml), 1, 1, NULL, &f->m, &ld);
    if (ld.errors) {
        char buf[1024];
        ks_diag_format(&ld, 0, buf, sizeof buf);
        fail_msg("the test manifest does not load: %s", buf);
    }
    ks_diags_init(&f->d);
    f->rc = ks_ingress_table_create(NULL, cfg, (const ks_object *const *)f->m.objs, f->m.n,
                                    &f->t, &f->d);
    return f;
}

static inline void drop(fixture *f)
{
    ks_ingress_table_destroy(f->t);
    ks_arena_destroy(f->ar);
    free(f);
}

/* Whether some diagnostic of severity sev says text. */
static inline bool said(const ks_diags *d, ks_severity sev, const char *text)
{
    int i;
    for (i = 0; i < d->n; i++)
        if (d->items[i].sev == sev && strstr(d->items[i].err.msg, text))
            return true;
    return false;
}

typedef struct route_case {
    const char *host, *uri, *want;    /* want: ks_ingress_route_format's text */
} route_case;

static inline void check_routes(const ks_ingress_table *t, const char *what, const route_case *c,
                         size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        ks_ingress_route r;
        char got[2 * KS_INGRESS_URI_MAX];
        int rc = ks_ingress_route_request(t, c[i].host, c[i].uri, &r);
        ks_ingress_route_format(&r, c[i].uri, got, sizeof got);
        if (rc != KS_OK || strcmp(got, c[i].want) != 0)
            fail_msg("%s case %zu: Host %s %s: wanted \"%s\", got \"%s\" (%s)", what, i + 1,
                     c[i].host ? c[i].host : "(none)", c[i].uri, c[i].want, got,
                     ks_error_code_name(rc));
    }
}

#define ING_HEAD(name) "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " \
    name "\n"
#define PATH(p, type, svc, port) "          - path: " p "\n            pathType: " type "\n" \
    "            backend: {service: {name: " svc ", port: {number: " #port "}}}\n"

/* shared/corpus/multi-k8s-v1/ingress-service.yaml, unmodified */
static const char course_v1[] =
    "apiVersion: networking.k8s.io/v1\n"
    "kind: Ingress\n"
    "metadata:\n"
    "  name: ingress-service\n"
    "  annotations:\n"
    "    nginx.ingress.kubernetes.io/use-regex: \"true\"\n"
    "    nginx.ingress.kubernetes.io/rewrite-target: /$1\n"
    "spec:\n"
    "  ingressClassName: nginx\n"
    "  rules:\n"
    "    - http:\n"
    "        paths:\n"
    "          - path: /api/?(.*)\n"
    "            pathType: ImplementationSpecific\n"
    "            backend:\n"
    "              service:\n"
    "                name: server-cluster-ip-service\n"
    "                port:\n"
    "                  number: 5000\n"
    "          - path: /?(.*)\n"
    "            pathType: ImplementationSpecific\n"
    "            backend:\n"
    "              service:\n"
    "                name: client-cluster-ip-service\n"
    "                port:\n"
    "                  number: 3000\n";

/* shared/corpus/multi-k8s/ingress-service.yaml (2018), unmodified */

#define SERVER "server-cluster-ip-service:5000"
#define CLIENT "client-cluster-ip-service:3000"

#endif
