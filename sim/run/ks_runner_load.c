/* ks_runner_load.c -- a scenario's manifests (spec.manifests) loaded in
 * order, with their messages sorted into real problems and unknown kinds;
 * and the -f paths of kubectl steps, for `kubesim check`.
 *
 * Each item is loaded with its own diagnostics list so unknown kinds
 * (KS_EUNKNOWN: kubectl reports them and applies the rest) can be told
 * from real errors (which stop the run before it starts).
 */
#include <stdio.h>
#include <string.h>

#include "internal/runner.h"
#include "kubectl/ks_kubectl.h"
#include "net/ks_ingress.h"
#include "load/ks_mounts.h"
#include "core/ks_strbuf.h"
#include "ks_runner.h"
#include "node/ks_node.h"
#include "node/ks_shell.h"

/* Appends item it to d, counting it as ks_diag_* would. */
static void diag_copy(ks_diags *d, const ks_diag_item *it)
{
    if (it->sev == KS_SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->n < KS_DIAG_CAP)
        d->items[d->n++] = *it;
}

/* Loads item i of spec.manifests into out, messages into tmp. */
static void load_item(ks_arena *ar, const ks_scn_manifest *mf, ks_manifests *out,
                      ks_diags *tmp)
{
    int k;
    if (mf->path) {
        ks_manifest_load_path(ar, mf->resolved ? mf->resolved : mf->path, NULL, out, tmp);
        return;
    }
    ks_manifest_load_text(ar, mf->text_mark.file ? mf->text_mark.file : mf->mark.file,
                          mf->text, mf->len, mf->text_mark.line ? mf->text_mark.line : 1,
                          mf->text_mark.col ? mf->text_mark.col : 1, NULL, out, tmp);
    if (mf->text_exact)
        return;
    /* a folded or quoted block: only where it starts is known for sure */
    for (k = 0; k < tmp->n; k++) {
        ks_error *e = &tmp->items[k].err;
        if (e->line) {
            e->line = mf->text_mark.line;
            e->col = mf->text_mark.col;
        }
    }
}

int ksi_run_load(ks_arena *ar, const ks_scenario *sc, ks_manifests *out, size_t *first,
                 ks_diags *d, ks_diags *unknown, size_t *ufirst)
{
    ks_diags *tmp = ks_arena_alloc(ar, sizeof *tmp);    /* ~64 KB, once */
    size_t i;
    int rc = KS_OK, k;
    if (!tmp)
        return ks_diag_error(d, KS_ENOMEM, (ks_mark){sc->file, 0, 0}, "out of memory");
    for (i = 0; i < sc->nmanifests; i++) {
        int kept_errors = 0, kept_warnings = 0;
        if (first)
            first[i] = out->n;
        if (ufirst)
            ufirst[i] = unknown ? (size_t)unknown->n : 0;
        ks_diags_init(tmp);
        load_item(ar, &sc->manifests[i], out, tmp);
        for (k = 0; k < tmp->n; k++) {
            const ks_diag_item *it = &tmp->items[k];
            bool is_error = it->sev == KS_SEV_ERROR;
            kept_errors += is_error;
            kept_warnings += !is_error;
            if (is_error && it->err.code == KS_EUNKNOWN && unknown) {
                diag_copy(unknown, it);
                continue;
            }
            diag_copy(d, it);
            if (is_error && rc == KS_OK)
                rc = it->err.code ? it->err.code : KS_EINVAL;
        }
        /* messages past the list's cap were counted but not kept: they
         * may be anything, so they count as errors */
        d->errors += tmp->errors - kept_errors;
        d->warnings += tmp->warnings - kept_warnings;
        if (tmp->errors > kept_errors && rc == KS_OK)
            rc = KS_EINVAL;
        if (rc == KS_ENOMEM)
            break;
    }
    if (first)
        first[sc->nmanifests] = out->n;
    if (ufirst)
        ufirst[sc->nmanifests] = unknown ? (size_t)unknown->n : 0;
    return rc;
}

int ks_run_load_manifests(ks_arena *ar, const ks_scenario *sc, ks_manifests *out,
                          size_t *first, ks_diags *d, ks_diags *unknown)
{
    return ksi_run_load(ar, sc, out, first, d, unknown, NULL);
}

/* ---- the timeline's kubectl lines --------------------------------------------------- */
int ks_run_check_kubectl(const ks_scenario *sc, ks_diags *d)
{
    size_t i;
    int rc = KS_OK;
    for (i = 0; i < sc->ntimeline; i++) {
        const ks_scn_step *st = &sc->timeline[i];
        ks_strbuf out;
        const char *s, *err;
        size_t len;
        if (st->action != KS_SCN_ACT_KUBECTL)
            continue;
        ks_strbuf_init(&out, NULL);
        if (ks_kubectl_check(st->kubectl, &out) != 0) {
            /* kubectl's first error line says it; usage lines follow */
            s = ks_strbuf_str(&out);
            err = strstr(s, "error: ");
            s = err ? err + 7 : s;
            len = strcspn(s, "\n");
            if (ks_strbuf_failed(&out))
                rc = ks_diag_error(d, KS_ENOMEM, st->action_mark, "out of memory");
            else
                rc = ks_diag_error(d, KS_EINVAL, st->action_mark,
                                   "spec.timeline[%zu].kubectl: this line would fail when it "
                                   "runs: %.*s", i, (int)len, s);
        }
        ks_strbuf_fini(&out);
        if (rc == KS_ENOMEM)
            break;
    }
    return rc;
}

/* Loads what the timeline's kubectl -f steps will apply, to report its
 * problems before the run: unknown kinds go to unknown, the rest to d.
 * The objects themselves are loaded again when the step runs. */
int ksi_run_load_step_files(const ks_scenario *sc, ks_diags *d, ks_diags *unknown)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags *tmp = ar ? ks_arena_alloc(ar, sizeof *tmp) : NULL;
    size_t i, k;
    int rc = KS_OK, j;
    if (!tmp) {
        ks_arena_destroy(ar);
        return ks_diag_error(d, KS_ENOMEM, (ks_mark){sc->file, 0, 0}, "out of memory");
    }
    for (i = 0; i < sc->ntimeline && rc != KS_ENOMEM; i++) {
        const char **files;
        size_t n;
        if (sc->timeline[i].action != KS_SCN_ACT_KUBECTL
            || ks_run_kubectl_files(ar, sc->timeline[i].kubectl, &files, &n) != KS_OK)
            continue;
        for (k = 0; k < n && rc != KS_ENOMEM; k++) {
            ks_manifests m = {0};
            const char *p = files[k][0] == '/' || strcmp(sc->dir, ".") == 0
                                ? files[k] : ks_arena_printf(ar, "%s/%s", sc->dir, files[k]);
            if (!p || strstr(files[k], "://"))
                continue;
            ks_diags_init(tmp);
            ks_manifest_load_path(ar, p, NULL, &m, tmp);
            for (j = 0; j < tmp->n; j++) {
                const ks_diag_item *it = &tmp->items[j];
                bool is_unknown = it->sev == KS_SEV_ERROR && it->err.code == KS_EUNKNOWN;
                diag_copy(is_unknown ? unknown : d, it);
                if (it->sev == KS_SEV_ERROR && !is_unknown && rc == KS_OK)
                    rc = it->err.code ? it->err.code : KS_EINVAL;
            }
            if (tmp->errors + tmp->warnings > tmp->n && rc == KS_OK)
                rc = KS_EINVAL;       /* messages past the cap: anything */
        }
    }
    ks_arena_destroy(ar);
    return rc;
}

/* ---- kubectl -f paths ---------------------------------------------------------------- */
/* Next shell-like word of *s (quotes removed) into ar; NULL at the end. */
static char *next_word(ks_arena *ar, const char **s)
{
    const char *p = *s;
    char *w, *o;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return NULL;
    w = o = ks_arena_alloc(ar, strlen(p) + 1);
    if (!w)
        return NULL;
    while (*p && *p != ' ' && *p != '\t') {
        if (*p == '\'' || *p == '"') {
            char q = *p++;
            while (*p && *p != q)
                *o++ = *p++;
            if (*p)
                p++;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    *s = p;
    return w;
}

int ks_run_kubectl_files(ks_arena *ar, const char *line, const char ***paths, size_t *n)
{
    const char *s = line, **out;
    char *w;
    size_t cap = 0, cnt = 0;
    bool verb_seen = false, takes_files = false, want_path = false;
    *paths = NULL;
    *n = 0;
    out = ks_arena_alloc(ar, (strlen(line) / 2 + 2) * sizeof *out);
    if (!out)
        return KS_ENOMEM;
    cap = strlen(line) / 2 + 2;
    while ((w = next_word(ar, &s)) != NULL && cnt < cap) {
        const char *path = NULL;
        if (!verb_seen && strcmp(w, "kubectl") == 0)
            continue;
        if (!verb_seen) {
            verb_seen = true;
            takes_files = strcmp(w, "apply") == 0 || strcmp(w, "create") == 0
                          || strcmp(w, "delete") == 0 || strcmp(w, "replace") == 0;
            continue;
        }
        if (!takes_files)
            break;
        if (want_path)
            path = w;
        else if (strcmp(w, "-f") == 0 || strcmp(w, "--filename") == 0)
            want_path = true;
        else if (strncmp(w, "--filename=", 11) == 0)
            path = w + 11;
        else if (strncmp(w, "-f=", 3) == 0)
            path = w + 3;
        else if (strncmp(w, "-f", 2) == 0 && w[2])
            path = w + 2;
        if (path) {
            want_path = false;
            if (strcmp(path, "-") != 0)
                out[cnt++] = path;
        }
    }
    *paths = out;
    *n = cnt;
    return KS_OK;
}

/* ---- admission, before the run ---------------------------------------------------- */
/* The pod spec an object runs (its template's), or NULL. */
static const ks_pod_spec *pod_spec_of(const ks_object *o)
{
    switch (o->kind) {
    case KS_KIND_POD:
        return &o->u.pod;
    case KS_KIND_DEPLOYMENT:
        return &o->u.deploy.tmpl.spec;
    case KS_KIND_REPLICASET:
        return &o->u.rs.tmpl.spec;
    case KS_KIND_JOB:
        return &o->u.job.tmpl.spec;
    case KS_KIND_CRONJOB:
        return &o->u.cronjob.job.tmpl.spec;
    case KS_KIND_STATEFULSET:
        return &o->u.sts.tmpl.spec;
    case KS_KIND_DAEMONSET:
        return &o->u.ds.tmpl.spec;
    default:
        return NULL;
    }
}

/* A note of ks_shell_notes on `exec NAME` (ksi_sh_note_exec) where NAME is
 * the image's own main program: kubesim runs that (ks_container.c). */
static bool execs_main(const char *note, const ks_image_entry *e)
{
    char name[64];
    size_t n;
    if (!e || strncmp(note, "'exec ", 6) != 0)
        return false;
    n = strcspn(note + 6, "' ");
    snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), note + 6);
    return ks_image_runs_main(e, name);
}

/* A file the script writes that lies on a read-only mount: the write fails
 * there ("Read-only file system"), as in the real container; the first. */
static void check_writes(const ks_pod_spec *ps, const ks_container *c,
                         const ks_shell_prog *prog, ks_diags *d)
{
    const char *paths[32], *ro = NULL;
    size_t i, n = ks_shell_writes(prog, paths, sizeof paths / sizeof paths[0]);
    for (i = 0; i < n && !(ro = ks_mount_read_only(ps, c, paths[i])); i++)
        ;
    if (ro)
        ks_diag_warn(d, c->command_mark, "container '%s': the script writes %s, which lies on a "
                     "read-only mount (%s): the write fails with \"Read-only file system\", as "
                     "in the real container", c->name, paths[i], ro);
}

static void check_command(const ks_pod_spec *ps, const ks_container *c, const ks_catalog *cat,
                          ks_diags *d)
{
    const ks_image_entry *e = cat && c->image ? ks_catalog_find(cat, c->image) : NULL;
    ks_arena *ar;
    ks_shell_prog *prog;
    const char *names[64];
    char why[240];
    size_t i, n;
    if (c->ncommand ? !ks_shell_is_shell(c->command[0]) : !ks_node_args_run_sh(e, c))
        return;                       /* not a script: the image's program, or one command */
    if (!(ar = ks_arena_create(NULL)))
        return;
    prog = ks_shell_compile(ar, c->command, c->ncommand, c->args, c->nargs, why, sizeof why);
    if (!prog) {
        char *nl = strchr(why, '\n'), said[240];
        if (nl) {                     /* sh's words (kubesim's hint) */
            snprintf(said, sizeof said, "%.*s (%s)", (int)(nl - why), why, nl + 1);
            snprintf(why, sizeof why, "%s", said);
        }
        if (strncmp(why, "syntax error:", 13) == 0)   /* sh's own words: sh fails too */
            ks_diag_warn(d, c->command_mark, "container '%s': sh stops at a %s; the container "
                         "logs it and exits 2, as busybox sh", c->name, why);
        else
            ks_diag_warn(d, c->command_mark, "container '%s': kubesim's sh does not run this "
                         "script: %s; in kubesim the container logs it and exits 2", c->name,
                         why);
    } else {
        check_writes(ps, c, prog, d);
        n = ks_shell_notes(prog, names, sizeof names / sizeof names[0]);
        for (i = 0; i < n; i++)
            if (!execs_main(names[i], e))
                ks_diag_warn(d, c->command_mark, "container '%s': kubesim's sh does not run %s",
                             c->name, names[i]);
        n = ks_shell_subst_commands(prog, names, sizeof names / sizeof names[0]);
        for (i = 0; i < n; i++)
            if (ks_shell_unsimulated(names[i]) || ks_shell_unrun_builtin(names[i])) {
                /* the Online Boutique loadgenerator's init container:
                   STATUSCODE=$(wget ... | awk ...) is empty in kubesim */
                ks_diag_warn(d, c->command_mark, "container '%s': kubesim's sh does not run "
                             "'%s' inside $(...) (the image has it): in kubesim it fails "
                             "there, so the $(...) gives what ran before it, or nothing",
                             c->name, names[i]);
                break;
            }
        n = ks_shell_commands(prog, names, sizeof names / sizeof names[0]);
        for (i = 0; i < n; i++)
            if (ks_shell_unsimulated(names[i])) {
                ks_diag_warn(d, c->command_mark, "container '%s': kubesim's sh does not run "
                             "'%s' (the image has it): in kubesim it fails with exit 127",
                             c->name, names[i]);
                break;
            } else if (ks_shell_unrun_builtin(names[i])) {
                ks_diag_warn(d, c->command_mark, "container '%s': kubesim's sh does not run "
                             "the sh builtin '%s': in kubesim it fails with exit 2",
                             c->name, names[i]);
                break;
            }
    }
    ks_arena_destroy(ar);
}

/* An image the catalog has no entry of its own for runs as the catch-all
 * entry (assets/images.yaml's "*": a plain HTTP server), unless a script
 * of the container's runs instead: a warning at the image, saying what
 * kubesim will do with it. */
static void check_image(const ks_container *c, const ks_catalog *cat, ks_diags *d)
{
    const ks_image_entry *e = cat && c->image ? ks_catalog_find(cat, c->image) : NULL;
    char port[48];
    if (!e || e->override || e->nmatch != 1 || strcmp(e->match[0], "*") != 0
        || (c->ncommand ? ks_shell_is_shell(c->command[0]) : ks_node_args_run_sh(e, c)))
        return;
    if (c->nports)            /* listen_port (node/ks_container.c): where it is declared */
        snprintf(port, sizeof port, "%d (its first containerPort)", c->ports[0].port);
    else
        snprintf(port, sizeof port, "%d", e->port);
    ks_diag_warn(d, c->image_mark, "container '%s': image '%s' is not in kubesim's image "
                 "catalog: kubesim runs it as a plain HTTP server on port %s that answers 200 "
                 "to every request and needs no peers; describe what it does in the "
                 "scenario's spec.images (docs/scenarios.md, \"Adding an image\")", c->name,
                 c->image, port);
}

void ks_run_check_commands(const ks_manifests *m, size_t from, const ks_catalog *cat,
                           ks_diags *d)
{
    size_t i, k;
    for (i = from; i < m->n; i++) {
        const ks_pod_spec *ps = pod_spec_of(m->objs[i]);
        for (k = 0; ps && k < ps->ncontainers + ps->ninit; k++) {
            const ks_container *c = k < ps->ncontainers ? &ps->containers[k]
                                                        : &ps->init[k - ps->ncontainers];
            check_command(ps, c, cat, d);
            check_image(c, cat, d);
        }
    }
}

static bool same_object(const ks_object *a, const ks_object *b)
{
    return a->kind == b->kind && strcmp(a->meta.name, b->meta.name) == 0
           && strcmp(a->meta.ns ? a->meta.ns : "default", b->meta.ns ? b->meta.ns : "default") == 0;
}

#define ADMITTED_MAX 256          /* Ingresses compared for overlaps in one check */

/* What the webhook admits but nginx cannot load, or kubesim cannot route,
 * among the admitted Ingresses (regex mode spreads over a host's paths, so
 * all of them), as warnings at the paths of m->objs[from..]. KS_OK or
 * KS_ENOMEM. */
static int check_reload(const ks_manifests *m, size_t from, const ks_object *const *admitted,
                        size_t na, ks_diags *d)
{
    ks_ingress_table *t = NULL;
    const ks_ingress_failure *f;
    ks_diags *scratch = ks_mem_alloc(NULL, sizeof *scratch);   /* the table's own words: unused */
    size_t nf, i, k;
    if (!scratch)
        return KS_ENOMEM;
    ks_diags_init(scratch);
    if (ks_ingress_table_create(NULL, NULL, admitted, na, &t, scratch) == KS_ENOMEM) {
        ks_mem_free(NULL, scratch, sizeof *scratch);
        return KS_ENOMEM;
    }
    nf = ks_ingress_table_failures(t, &f);
    for (i = 0; i < nf; i++)
        for (k = from; k < m->n; k++)
            if (m->objs[k] == f[i].ingress) {
                char why[600];
                ks_ingress_failure_explain(&f[i], why, sizeof why);
                ks_diag_warn(d, f[i].at, "%s", why);
                break;
            }
    ks_ingress_table_destroy(t);
    ks_mem_free(NULL, scratch, sizeof *scratch);
    return KS_OK;
}

int ks_run_admission(const ks_manifests *m, size_t base, size_t from, ks_diags *d)
{
    const ks_object *admitted[ADMITTED_MAX];   /* the Ingresses stored so far, each as
                                                  last applied (a refused one is not) */
    size_t na = 0, i, k, n;
    int rc = KS_OK;
    /* from the cluster's first object, so that what was refused in an earlier
       file is not compared against; reported from `from` on */
    for (i = base; i < m->n; i++) {
        const ks_object *o = m->objs[i];
        ks_ingress_refusal r[16];
        bool report = i >= from;
        n = ks_ingress_refusals(NULL, o, r, 16);
        for (k = 0; report && k < n; k++)
            rc = ks_diag_error(d, KS_EINVAL, r[k].at,
                               "ingress '%s': kubectl apply would fail: admission webhook \""
                               KS_INGRESS_WEBHOOK "\" denied the request: %s%s (ingress-nginx "
                               KS_INGRESS_NGINX_VERSION ", as minikube's ingress addon runs it%s)",
                               o->meta.name, r[k].path ? "ingress contains invalid paths: " : "",
                               r[k].text,
                               r[k].path ? "; a regex path needs pathType: ImplementationSpecific"
                                         : "");
        for (k = 0; !n && k < na; k++) {     /* checkOverlap: against those stored */
            char text[300];
            ks_mark at;
            if (!ks_ingress_overlap(o, admitted[k], text, sizeof text, &at))
                continue;
            n = 1;
            if (report)
                rc = ks_diag_error(d, KS_EINVAL, at,
                                   "ingress '%s': kubectl apply would fail: admission webhook \""
                                   KS_INGRESS_WEBHOOK "\" denied the request: %s (ingress-nginx "
                                   KS_INGRESS_NGINX_VERSION ", as minikube's ingress addon runs "
                                   "it; one Ingress per host and path, or mark one of them "
                                   "nginx.ingress.kubernetes.io/canary: \"true\")",
                                   o->meta.name, text);
        }
        if (n || o->kind != KS_KIND_INGRESS)
            continue;
        for (k = 0; k < na && !same_object(admitted[k], o); k++)
            ;
        if (k < na)
            admitted[k] = o;                   /* an update replaces it */
        else if (na < ADMITTED_MAX)
            admitted[na++] = o;
    }
    return rc == KS_OK ? check_reload(m, from, admitted, na, d) : rc;
}
