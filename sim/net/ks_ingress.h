/* ks_ingress.h -- the ingress-nginx router: which Service (and which URI)
 * an HTTP request reaches through the Ingresses of class "nginx".
 *
 * A pure module: build a routing table from parsed Ingress objects the way
 * the controller builds its nginx.conf, then route requests through it. No
 * events, no printing. Rules (KUBERNETES.md section 8, ingress-nginx):
 *   - Class: spec.ingressClassName, or the deprecated kubernetes.io/ingress.class
 *     annotation. Another class is ignored; NO class is ignored too (>= 1.0)
 *     unless the nginx IngressClass is the default or watch_without_class.
 *   - Servers: one per host; a rule without host feeds the catch-all server
 *     "_". A request picks the exact host, else the one-label wildcard
 *     (*.foo.com), else "_". Case-insensitive; a :port suffix is ignored.
 *     Hosts never fall through to "_": no matching path means that server's
 *     default (the spec.defaultBackend of the first Ingress naming the host),
 *     else the controller's default backend (404; 200 on /healthz).
 *   - Regex mode: use-regex "true" or a rewrite-target (!= the path) on any
 *     path of a server turns ALL its paths into `~* "^<path>"`: case-
 *     insensitive, anchored at the start only, first match wins in order of
 *     descending path length (ties: descending byte order). Exact loses its
 *     exactness there, as in nginx.
 *   - Otherwise Exact (= path) first, then the longest prefix. Prefix is
 *     element-wise (trailing slash ignored, / matches all); the controller
 *     treats ImplementationSpecific (and v1beta1's missing pathType) as
 *     Prefix. Case-sensitive. Same path and type twice: the first one wins.
 *   - rewrite-target: the backend sees the target with $1..$9 replaced by the
 *     captures of `rewrite "(?i)<path>"`; the query string is re-appended
 *     (nginx rewrite rules). rewrite-target: / therefore sends everything to /.
 *   - ssl-redirect and spec.tls are ignored: the simulation has no TLS.
 * Regex subset (nginx uses PCRE; kubesim POSIX ERE via <regex.h>): ERE
 * syntax, plus \d \D \w \W \s \S, \<punct>, (?:...) and (?<name>...) groups,
 * (?i). Lazy quantifiers (*? +? ?? }?) are read as greedy with a warning:
 * which paths match is unchanged, captures may differ. Errors: backrefs,
 * lookaround, possessive quantifiers, other \<letter> escapes, and \] \^ \-
 * \\ inside [...]. Captures follow POSIX leftmost-longest rules, which can
 * differ from PCRE's leftmost-first (mainly alternations like (a|ab)).
 * "First" means first in the order given, which stands in for the
 * creation time the controller sorts by.
 * Ownership: the table borrows the ks_objects (strings point into their
 * arena): they must outlive it. Route results point into the table.
 * Depends on: ks_manifest, ks_diag, ks_mem; libc <regex.h>.
 */
#ifndef KS_INGRESS_H
#define KS_INGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ks_diag.h"
#include "load/ks_manifest.h"
#include "core/ks_mem.h"

#ifndef KS_INGRESS_URI_MAX
#define KS_INGRESS_URI_MAX 2048   /* request and rewritten URI, with the NUL */
#endif

typedef struct ks_ingress_table ks_ingress_table;

typedef struct ks_ingress_config {
    const char *class_name;       /* the controller's class; NULL = "nginx" */
    bool default_class;           /* that IngressClass is marked default */
    bool watch_without_class;     /* --watch-ingress-without-class=true */
    bool strict_path_type;        /* strict-validate-path-type (default true) */
} ks_ingress_config;

/* class "nginx", not default, classless Ingresses ignored, strict paths. */
ks_ingress_config ks_ingress_config_default(void);

/* Builds the table from objs (any kinds: non-Ingresses are skipped, an
 * IngressClass named like the class with is-default-class sets
 * default_class). cfg NULL = defaults. Ignored Ingresses and odd annotations
 * are warnings in d. Ingresses the admission webhook would reject (a
 * strict-path-type violation, a snippet) are errors located at the path,
 * and are left out of the table. A regex path that does not compile leaves
 * its Ingress out too, as a failure (ks_ingress_table_failures): when PCRE
 * refuses it, nginx -t fails on the whole configuration
 * (ks_ingress_table_reload_error); else kubesim cannot route it (also a
 * warning in d).
 * Returns KS_OK; KS_EINVAL after such errors (*out still usable, built from
 * the rest); KS_ENOMEM (*out NULL). d is required. */
int ks_ingress_table_create(const ks_allocator *a, const ks_ingress_config *cfg,
                            const ks_object *const *objs, size_t n, ks_ingress_table **out,
                            ks_diags *d);
/* What ingress-nginx's validating admission webhook
 * ("validate.nginx.ingress.kubernetes.io", CheckIngress in
 * internal/ingress/controller/controller.go) refuses in o, in its words:
 * only an Ingress of its class; with strict-validate-path-type (default
 * since v1.12) each path of pathType Exact or Prefix that is not
 * ^/[A-Za-z0-9._/-]*$ ("path P cannot be used with pathType T"); then any
 * nginx.ingress.kubernetes.io/...-snippet annotation (snippets are off by
 * default). Up to max refusals in out, located; returns how many. */
typedef struct ks_ingress_refusal {
    ks_mark at;
    char text[300];
    bool path;                    /* a path refusal (else an annotation's) */
} ks_ingress_refusal;
size_t ks_ingress_refusals(const ks_ingress_config *cfg, const ks_object *o,
                           ks_ingress_refusal *out, size_t max);
/* The webhook's answer for refusals r[0..n): "admission webhook
 * \"validate.nginx.ingress.kubernetes.io\" denied the request: ingress
 * contains invalid paths: ..." (paths joined by newlines, as errors.Join). */
void ks_ingress_denial(const ks_ingress_refusal *r, size_t n, char *buf, size_t len);
#define KS_INGRESS_WEBHOOK "validate.nginx.ingress.kubernetes.io"
/* Whether the controller serves o, an Ingress (its class; cfg NULL: the
 * default configuration). */
bool ks_ingress_ours(const ks_ingress_config *cfg, const ks_object *o);
/* The webhook's last check (checkOverlap, ks_ingress_overlap.c): whether o
 * defines a host and path (with a Service backend) that other, another
 * Ingress of the controller, already defines -- refused unless exactly one
 * of them has the canary annotation set. Then text is the webhook's words
 * ('host "_" and path "/" is already defined in ingress default/web') and
 * *at the path of o. */
bool ks_ingress_overlap(const ks_object *o, const ks_object *other, char *text, size_t n,
                        ks_mark *at);
/* The ingress-nginx that kubesim runs: the controller minikube's ingress
 * addon ships (pkg/minikube/assets/addons.go, "IngressController"). */
#define KS_INGRESS_NGINX_VERSION "v1.15.1"

/* Frees the table (regexes included). NULL is fine. */
void ks_ingress_table_destroy(ks_ingress_table *t);

/* Ingresses the controller serves (after class selection and rejections). */
size_t ks_ingress_table_count(const ks_ingress_table *t);

/* A regex path that does not compile; its Ingress is left out of the table. */
typedef struct ks_ingress_failure {
    const ks_object *ingress;
    const char *path;             /* as written */
    ks_mark at;                   /* the path's */
    bool nginx;                   /* PCRE refuses it: nginx -t fails, and with it
                                     every reload of the controller; else only
                                     kubesim cannot route it */
    char text[300];               /* nginx: its words, 'pcre_compile() failed:
                                     missing ) in "^/foo("'; else kubesim's why */
} ks_ingress_failure;
/* The table's failures, in the order found; *out points into the table. */
size_t ks_ingress_table_failures(const ks_ingress_table *t, const ks_ingress_failure **out);
/* What f means, for a learner: "ingress 'x': nginx cannot compile the regex
 * path ... then every reload fails ...", or that kubesim cannot route it. */
void ks_ingress_failure_explain(const ks_ingress_failure *f, char *buf, size_t n);
/* The first failure nginx -t reports (a path PCRE refuses), or NULL when
 * nginx would load this configuration. ingress-nginx v1.15.1's webhook no
 * longer runs nginx -t, so such an Ingress is stored; the controller's
 * reload then fails (syncIngress -> OnUpdate -> testTemplate) and nginx
 * keeps running its last good configuration. */
const ks_ingress_failure *ks_ingress_table_reload_error(const ks_ingress_table *t);

/* Cookie affinity of one backend (namespace/service/port): set by the first
 * Ingress with `affinity: cookie` naming that backend; the caller maps
 * cookies to pods. */
typedef struct ks_ingress_affinity {
    const char *cookie_name;      /* session-cookie-name, default INGRESSCOOKIE */
    bool persistent;              /* affinity-mode persistent; default balanced */
    const char *cookie_path;      /* session-cookie-path; NULL: the location's
                                     path, useless when it is a regex */
    int64_t max_age;              /* session-cookie-max-age, s; -1 = not set */
    int64_t expires;              /* session-cookie-expires, s; -1 = not set
                                     (neither set: a session cookie) */
    bool change_on_failure;       /* session-cookie-change-on-failure */
    const char *ingress;          /* the Ingress it came from */
} ks_ingress_affinity;

typedef enum ks_ingress_via {
    KS_VIA_PATH,                  /* an Ingress path matched */
    KS_VIA_INGRESS_DEFAULT,       /* no path matched: an Ingress's defaultBackend */
    KS_VIA_CONTROLLER_DEFAULT     /* the controller's default backend */
} ks_ingress_via;

typedef struct ks_ingress_route {
    ks_ingress_via via;
    const char *server;           /* the server that answered: host, or "_" */
    const char *ingress, *ns;     /* the Ingress, NULL for the controller default */
    int rule, path;               /* indices into its spec; -1 when not a path */
    const char *location;         /* the matched path as written, or NULL */
    const char *service;          /* NULL for the controller default */
    int port;                     /* 0 with port_name */
    const char *port_name;
    bool regex;                   /* the server's paths are regexes */
    bool rewritten;               /* rewrite-target applied */
    int status;                   /* controller default: 404 (200 on /healthz);
                                     0: the backend answers */
    const ks_ingress_affinity *affinity;  /* NULL: round robin */
    char uri[KS_INGRESS_URI_MAX]; /* what the backend sees, query included */
} ks_ingress_route;

/* Routes one request. host: the Host header (NULL or "" = none); uri: the
 * request target, maybe with ?query (kept out of matching, re-appended).
 * Returns KS_OK, or KS_ELIMIT when uri or the rewritten URI does not fit
 * KS_INGRESS_URI_MAX. Pointers in *out live as long as the table. */
int ks_ingress_route_request(const ks_ingress_table *t, const char *host, const char *uri,
                             ks_ingress_route *out);

/* "/api/values/all -> server-cluster-ip-service:5000 /values/all" (request
 * is the uri that was routed), "... (defaultBackend of ingress X)" or
 * "/x -> default backend 404". Like snprintf: returns the length needed. */
size_t ks_ingress_route_format(const ks_ingress_route *r, const char *request, char *buf,
                               size_t n);

#endif
