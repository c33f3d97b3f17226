/* ks_scenario.c -- scenario files: the top level, the cluster and the
 * manifests (the timeline is in ks_scenario_timeline.c, expectations in
 * ks_scenario_expect.c). See ks_scenario.h.
 *
 * The format, as productions (every map is strict):
 *   scenario := {apiVersion: kubesim/v1, kind: Scenario, metadata, spec}
 *   metadata := {name: DNS-LABEL, title: TEXT}
 *   spec     := {seed: 0.. (1), duration: DURATION (60s), cluster,
 *                images: [catalog entry...], manifests: [PATH | {inline: TEXT}...],
 *                timeline: [step...], expect: [expectation...],
 *                goals: [expectation...], hints: {GOAL-ID: TEXT | [TEXT...]},
 *                fingerprint: TEXT}
 *   cluster  := {nodes: [{name, cpu: QUANTITY, memory: QUANTITY, labels: {K: V}}],
 *                ingressController: nginx | none, addons: [ADDON...],
 *                cni: auto | bridge | kindnet | flannel | calico | cilium}
 *   ADDON    := metrics-server | ingress   (minikube's addon names)
 * Paths (manifests, kubectl -f) are relative to the scenario file's folder
 * and must exist when the scenario is loaded.
 * Readers return nothing: success is "no new errors in the diagnostics", so
 * one pass reports every problem.
 */
#include "ks_scenario.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal/loadutil.h"
#include "ks_file.h"
#include "internal/scenario.h"
#include "ks_validate.h"

/* ---- metadata, cluster ---------------------------------------------------- */

static void read_metadata(ks_reader *r, const ks_yaml_node *root, ks_scenario *sc)
{
    static const char *const keys[] = {"name", "title", NULL};
    const ks_yaml_node *m = ks_rd_map(r, root, "metadata", true);
    const char *why;
    size_t saved;
    if (!m)
        return;
    saved = ks_rd_push(r, "metadata");
    ks_rd_strict(r, m, keys);
    if (ks_rd_str(r, m, "name", true, &sc->name) && (why = ks_check_dns_label(sc->name)))
        ks_rd_fail(r, ks_yaml_get(m, "name"), KS_EINVAL, "%s '%s' %s, e.g. pvc-survives-restart",
                   ks_rd_field(r, "name"), sc->name, why);
    ks_rd_str(r, m, "title", false, &sc->title);
    ks_rd_pop(r, saved);
}

static void read_quantity(ks_reader *r, const ks_yaml_node *m, const char *key, bool milli,
                          int64_t *out)
{
    const ks_yaml_node *n = ks_yaml_get(m, key);
    const char *why;
    if (!n || ks_yaml_is_null(n))
        return;
    if (n->kind != KS_YAML_SCALAR)
        why = "must be a quantity";
    else if (!(why = ks_quantity_parse(n->str, milli ? -3 : 0, out)) && *out <= 0)
        why = "must be more than 0";
    if (why)
        ks_rd_fail(r, n, KS_EINVAL, "%s %s: write it like %s, not '%s'", ks_rd_field(r, key),
                   why, milli ? "4, \"2\" or \"500m\"" : "8Gi or 512Mi",
                   n->kind == KS_YAML_SCALAR ? n->str : "a collection");
}

static void read_labels(ks_reader *r, const ks_yaml_node *parent, ks_kvs *labels)
{
    const ks_yaml_node *m = ks_rd_map(r, parent, "labels", false);
    size_t i, saved;
    if (!m || !m->n)
        return;
    labels->items = ks_arena_alloc(r->ar, m->n * sizeof *labels->items);
    if (!labels->items) {
        ks_rd_fail(r, m, KS_ENOMEM, "out of memory");
        return;
    }
    saved = ks_rd_push(r, "labels");
    for (i = 0; i < m->n; i++) {
        const ks_yaml_node *k = m->items[2 * i];
        const char *v, *why;
        if ((why = ks_check_label_key(k->str)) != NULL) {
            ks_rd_fail(r, k, KS_EINVAL, "%s: label key '%s' %s", r->path, k->str, why);
            continue;
        }
        if (!ks_rd_str(r, m, k->str, true, &v))
            continue;
        if ((why = ks_check_label_value(v)) != NULL) {
            ks_rd_fail(r, m->items[2 * i + 1], KS_EINVAL, "%s: label value '%s' %s",
                       ks_rd_field(r, k->str), v, why);
            continue;
        }
        labels->items[labels->n].key = k->str;
        labels->items[labels->n].value = v;
        labels->n++;
    }
    ks_rd_pop(r, saved);
}

static void read_node(ks_reader *r, const ks_yaml_node *m, ks_scn_node *nd)
{
    static const char *const keys[] = {"name", "cpu", "memory", "labels", NULL};
    ks_rd_strict(r, m, keys);
    ksi_scn_read_node_fields(r, m, nd);
}

void ksi_scn_read_node_fields(ks_reader *r, const ks_yaml_node *m, ks_scn_node *nd)
{
    const char *why;
    nd->mark = m->mark;
    nd->cpu_milli = KS_SCENARIO_DEFAULT_CPU_MILLI;
    nd->memory_bytes = KS_SCENARIO_DEFAULT_MEMORY;
    if (ks_rd_str(r, m, "name", true, &nd->name) && (why = ks_check_dns_subdomain(nd->name))) {
        ks_rd_fail(r, ks_yaml_get(m, "name"), KS_EINVAL,
                   "%s '%s' %s: a node name is a DNS name (lower-case letters, digits, "
                   "'-' and '.')", ks_rd_field(r, "name"), nd->name, why);
        nd->name = NULL;
    }
    read_quantity(r, m, "cpu", true, &nd->cpu_milli);
    read_quantity(r, m, "memory", false, &nd->memory_bytes);
    read_labels(r, m, &nd->labels);
}

/* minikube's addon names: metrics-server is off by default, as on
 * minikube; ingress is on (the course's cluster), so listing it changes
 * nothing but says so. */
static void read_addons(ks_reader *r, const ks_yaml_node *m, ks_scenario *sc)
{
    const ks_yaml_node *v = ks_yaml_get(m, "addons");
    const char **names;
    size_t n, i;
    if (!v || !ksi_rd_str_or_list(r, m, "addons", 16, &names, &n))
        return;
    for (i = 0; i < n; i++) {
        const ks_yaml_node *at = v->kind == KS_YAML_SEQ ? v->items[i] : v;
        if (strcmp(names[i], "metrics-server") == 0)
            sc->metrics_server = true;
        else if (strcmp(names[i], "ingress") == 0 && !sc->ingress_nginx)
            ks_rd_fail(r, at, KS_EINVAL, "%s lists ingress, but ingressController is none; "
                       "keep one of them", ks_rd_field(r, "addons"));
        else if (strcmp(names[i], "ingress") != 0)
            ks_rd_fail(r, at, KS_EINVAL, "%s: kubesim simulates the addons metrics-server and "
                       "ingress (on by default), not '%s'", ks_rd_field(r, "addons"), names[i]);
    }
}

/* minikube start --cni: calico and cilium enforce NetworkPolicy; the
 * others (and minikube's default, auto) accept policies that do nothing. */
static void read_cni(ks_reader *r, const ks_yaml_node *m, ks_scenario *sc)
{
    static const char *const names[] = {"auto", "bridge", "kindnet", "flannel", "calico",
                                        "cilium", NULL};
    const char *cni;
    size_t i;
    sc->cni = "auto";
    if (!ks_rd_str(r, m, "cni", false, &cni))
        return;
    for (i = 0; names[i] && strcmp(names[i], cni) != 0; i++)
        ;
    if (!names[i]) {
        ks_rd_fail(r, ks_yaml_get(m, "cni"), KS_EINVAL,
                   "%s must be auto, bridge, kindnet, flannel, calico or cilium (minikube's "
                   "--cni values), not '%s'", ks_rd_field(r, "cni"), cni);
        return;
    }
    sc->cni = cni;
    sc->network_policy = strcmp(cni, "calico") == 0 || strcmp(cni, "cilium") == 0;
}

static void read_cluster(ks_reader *r, const ks_yaml_node *spec, ks_scenario *sc)
{
    static const char *const keys[] = {"nodes", "ingressController", "addons", "cni", NULL};
    const ks_yaml_node *m = ks_rd_map(r, spec, "cluster", false), *s = NULL;
    const char *ic;
    size_t i, j, saved;
    sc->ingress_nginx = true;
    sc->cni = "auto";
    if (m) {
        saved = ks_rd_push(r, "cluster");
        ks_rd_strict(r, m, keys);
        if (ks_rd_str(r, m, "ingressController", false, &ic)) {
            if (strcmp(ic, "none") == 0)
                sc->ingress_nginx = false;
            else if (strcmp(ic, "nginx") != 0)
                ks_rd_fail(r, ks_yaml_get(m, "ingressController"), KS_EINVAL,
                           "%s must be nginx (the default) or none, not '%s'",
                           ks_rd_field(r, "ingressController"), ic);
        }
        read_addons(r, m, sc);
        read_cni(r, m, sc);
        s = ksi_rd_list(r, m, "nodes", KS_SCENARIO_MAX_NODES);
        if (s && s->n) {
            sc->nodes = ks_arena_alloc(r->ar, s->n * sizeof *sc->nodes);
            if (!sc->nodes) {
                ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
                s = NULL;
            }
        }
        for (i = 0; s && i < s->n; i++) {
            size_t s1 = ks_rd_push(r, "nodes"), s2 = ks_rd_push_index(r, i);
            if (s->items[i]->kind != KS_YAML_MAP)
                ks_rd_fail(r, s->items[i], KS_ESCHEMA,
                           "%s must be an object {name: ..., cpu: ..., memory: ...}", r->path);
            else
                read_node(r, s->items[i], &sc->nodes[sc->nnodes++]);
            ks_rd_pop(r, s2);
            ks_rd_pop(r, s1);
        }
        for (i = 0; i < sc->nnodes; i++)      /* O(n^2); nodes are few */
            for (j = 0; sc->nodes[i].name && j < i; j++)
                if (sc->nodes[j].name && strcmp(sc->nodes[i].name, sc->nodes[j].name) == 0) {
                    ks_diag_error(r->d, KS_EINVAL, sc->nodes[i].mark,
                                  "spec.cluster.nodes[%zu]: a second node named '%s'; node "
                                  "names must be unique", i, sc->nodes[i].name);
                    ks_diag_note(r->d, sc->nodes[j].mark, "the first one is here");
                    break;
                }
        if (s && s->n == 0)
            ks_rd_fail(r, s, KS_EINVAL,
                       "spec.cluster.nodes is empty; leave it out for the default node, or "
                       "list at least one");
        ks_rd_pop(r, saved);
    }
    if (sc->nnodes == 0) {
        sc->nodes = ks_arena_alloc(r->ar, sizeof *sc->nodes);
        if (!sc->nodes) {
            ks_rd_fail(r, spec, KS_ENOMEM, "out of memory");
            return;
        }
        sc->nodes[0].mark = spec->mark;
        sc->nodes[0].name = KS_SCENARIO_DEFAULT_NODE;
        sc->nodes[0].cpu_milli = KS_SCENARIO_DEFAULT_CPU_MILLI;
        sc->nodes[0].memory_bytes = KS_SCENARIO_DEFAULT_MEMORY;
        sc->nnodes = 1;
        sc->default_node = true;
    }
}

/* ---- paths and manifests ------------------------------------------------- */

const char *ksi_scn_resolve(ks_reader *r, const ks_scenario *sc, const char *path)
{
    if (path[0] == '/' || strcmp(sc->dir, ".") == 0)
        return path;
    return ks_arena_printf(r->ar, "%s/%s", sc->dir, path);
}

/* Whether real (a resolved path) lies in the folder tree home. */
static bool inside(const char *real, const char *home)
{
    size_t n = strlen(home);
    if (n == 1 && home[0] == '/')
        return true;
    return strncmp(real, home, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/* The folder tree a scenario lives in (resolved, into home): the
 * repository that holds it (the nearest folder above with a .git), else
 * the folder kubesim runs in when the scenario is inside it (and that is
 * not /), else the scenario's own folder. A course keeps its manifests beside its scenarios
 * (../k8s): inside the tree. Returns false when dir cannot be resolved. */
static bool tree_of(const char *dir, char home[PATH_MAX])
{
    char probe[PATH_MAX + 8], cwd[PATH_MAX];
    size_t n;
    struct stat st;
    if (!realpath(dir, home))
        return false;
    for (n = strlen(home); n > 0; ) {
        snprintf(probe, sizeof probe, "%.*s/.git", (int)n, home);
        if (stat(probe, &st) == 0) {
            home[n ? n : 1] = '\0';
            return true;
        }
        while (n > 0 && home[n - 1] != '/')
            n--;
        if (n > 0)
            n--;                           /* the parent, without its '/' */
    }
    if (realpath(".", cwd) && strcmp(cwd, "/") != 0 && inside(home, cwd))
        snprintf(home, PATH_MAX, "%s", cwd);
    return true;
}

bool ksi_scn_check_path(ks_reader *r, const ks_scenario *sc, const ks_yaml_node *n,
                        const char *what, const char *path, const char *resolved,
                        bool *is_dir)
{
    struct stat st;
    char why[512], real[PATH_MAX], home[PATH_MAX];
    if (!resolved)
        return ks_rd_fail(r, n, KS_ENOMEM, "out of memory");
    if (stat(resolved, &st) != 0)
        return ks_rd_fail(r, n, KS_EIO,
                          "%s '%s' does not exist (looked for %s); paths are relative to "
                          "the scenario file's folder", what, path, resolved);
    if (!S_ISDIR(st.st_mode) && !ks_file_check(resolved, why, sizeof why))
        return ks_rd_fail(r, n, KS_EIO, "%s '%s': %s", what, path, why);
    /* shared course manifests may live above the scenario: read them, but
       say where a path leads once it leaves the tree the scenario lives in */
    if (realpath(resolved, real) && tree_of(sc->dir, home) && !inside(real, home))
        ks_diag_warn(r->d, n->mark,
                     "%s '%s' leads out of %s, the folder tree this scenario lives in: it "
                     "is %s; kubesim reads it, but check that it is the file you mean", what,
                     path, home, real);
    if (is_dir)
        *is_dir = S_ISDIR(st.st_mode);
    return true;
}

/* The start of 1-based line in src, or NULL when src has fewer lines. */
static const char *line_start(const char *src, size_t len, unsigned line)
{
    const char *p = src, *end = src + len, *nl;
    while (--line > 0) {
        if (!(nl = memchr(p, '\n', (size_t)(end - p))))
            return NULL;
        p = nl + 1;
    }
    return p;
}

/* Where the inline text's first line starts (see ks_scn_manifest). A block
 * scalar's mark is its indicator (| or >); its text starts on the next line,
 * at the block's indentation, which only the source shows: the first
 * non-blank text line is the end of its source line. */
static void inline_mark(const ks_yaml_node *n, const char *src, size_t len,
                        ks_scn_manifest *m)
{
    const char *first, *line, *eol, *ind;
    size_t k = 0, flen, llen;
    m->text_mark = n->mark;
    m->text_exact = false;
    if (n->style != KS_YAML_BLOCK) {
        if (n->style == KS_YAML_QUOTED)
            m->text_mark.col++;
        m->text_exact = memchr(n->str, '\n', n->len) == NULL;
        return;
    }
    m->text_mark.line++;
    m->text_mark.col = 1;
    if (!src || !(line = line_start(src, len, n->mark.line)))
        return;
    eol = memchr(line, '\n', (size_t)(src + len - line));
    eol = eol ? eol : src + len;
    /* columns count characters, not bytes: the indicator is at or after */
    for (ind = line + (n->mark.col - 1); ind < eol && *ind != '|' && *ind != '>'; ind++) {
    }
    if (ind >= eol)
        return;
    while (n->str[k] == '\n')
        k++;
    first = n->str + k;
    flen = strcspn(first, "\n");
    if (!flen || !(line = line_start(src, len, n->mark.line + 1 + (unsigned)k)))
        return;
    eol = memchr(line, '\n', (size_t)(src + len - line));
    llen = eol ? (size_t)(eol - line) : (size_t)(src + len - line);
    if (llen && line[llen - 1] == '\r')
        llen--;
    if (llen < flen || memcmp(line + llen - flen, first, flen) != 0)
        return;
    m->text_mark.col = (unsigned)(llen - flen) + 1;
    m->text_exact = *ind == '|';
}

static void read_manifests(ks_reader *r, const ks_yaml_node *spec, ks_scenario *sc,
                           const char *src, size_t srclen)
{
    static const char *const keys[] = {"inline", NULL};
    const ks_yaml_node *s = ksi_rd_list(r, spec, "manifests", KS_SCENARIO_MAX_MANIFESTS);
    size_t i, saved;
    if (!s || !s->n)
        return;
    sc->manifests = ks_arena_alloc(r->ar, s->n * sizeof *sc->manifests);
    if (!sc->manifests) {
        ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
        return;
    }
    saved = ks_rd_push(r, "manifests");
    for (i = 0; i < s->n; i++) {
        const ks_yaml_node *it = s->items[i], *text;
        ks_scn_manifest *m = &sc->manifests[sc->nmanifests];
        size_t s2 = ks_rd_push_index(r, i);
        m->mark = it->mark;
        if (it->kind == KS_YAML_MAP) {
            int before = r->d->errors;
            ks_rd_strict(r, it, keys);
            if (ks_rd_str(r, it, "inline", r->d->errors == before, &m->text)) {
                text = ks_yaml_get(it, "inline");
                m->len = text->len;
                inline_mark(text, src, srclen, m);
                sc->nmanifests++;
            }
        } else if (ks_rd_node_str(r, it, "", &m->path)) {
            m->resolved = m->path[0] ? ksi_scn_resolve(r, sc, m->path) : NULL;
            if (!m->path[0])
                ks_rd_fail(r, it, KS_EINVAL, "%s is an empty path", r->path);
            else if (ksi_scn_check_path(r, sc, it, r->path, m->path, m->resolved, &m->is_dir))
                sc->nmanifests++;
        }
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
}

/* ---- the document ------------------------------------------------------- */

static void read_spec(ks_reader *r, const ks_yaml_node *root, ks_scenario *sc,
                      const char *src, size_t len)
{
    static const char *const keys[] = {"seed", "duration", "clock", "cluster", "images",
                                       "manifests", "timeline", "expect", "goals", "hints",
                                       "fingerprint", NULL};
    const ks_yaml_node *spec = ks_rd_map(r, root, "spec", true);
    const char *clock;
    int64_t seed;
    size_t i, saved;
    if (!spec)
        return;
    saved = ks_rd_push(r, "spec");
    ks_rd_strict(r, spec, keys);
    if (ks_rd_int(r, spec, "seed", false, 0, INT64_MAX, &seed))
        sc->seed = (uint64_t)seed;
    if (ks_rd_duration(r, spec, "duration", false, &sc->duration)
        && (sc->duration <= 0 || sc->duration > KS_SCENARIO_MAX_DURATION)) {
        ks_rd_fail(r, ks_yaml_get(spec, "duration"), KS_EINVAL,
                   "%s must be more than 0s and at most 744h (31 days)",
                   ks_rd_field(r, "duration"));
        sc->duration = KS_SCENARIO_DEFAULT_DURATION;
    }
    if (ks_rd_str(r, spec, "clock", false, &clock)
        && (ks_rfc3339_parse(clock, &sc->clock) != 0 || sc->clock < 0
            || sc->clock > ((int64_t)1 << 40)))
        ks_rd_fail(r, ks_yaml_get(spec, "clock"), KS_EINVAL,
                   "%s must be a date and time after 1970 like \"2026-01-01T00:00:00Z\" "
                   "(RFC 3339), not '%s'", ks_rd_field(r, "clock"), clock);
    read_cluster(r, spec, sc);
    ks_catalog_read_entries(r, spec, "images", &sc->images, &sc->nimages);
    for (i = 0; i < sc->nimages; i++)
        sc->images[i].override = true;
    read_manifests(r, spec, sc, src, len);
    ksi_scn_read_timeline(r, spec, sc);
    ksi_scn_read_expects(r, spec, "expect", sc->duration, &sc->expect, &sc->nexpect);
    ksi_scn_read_expects(r, spec, "goals", sc->duration, &sc->goals, &sc->ngoals);
    ksi_scn_read_hints(r, spec, sc->goals, sc->ngoals);
    ks_rd_str(r, spec, "fingerprint", false, &sc->fingerprint);
    ks_rd_pop(r, saved);
}

bool ks_scenario_is_doc(const ks_yaml_doc *doc)
{
    const ks_yaml_node *kind = ks_yaml_get(doc->root, "kind");
    const ks_yaml_node *api = ks_yaml_get(doc->root, "apiVersion");
    return (kind && kind->kind == KS_YAML_SCALAR && strcmp(kind->str, "Scenario") == 0)
           || (api && api->kind == KS_YAML_SCALAR && strncmp(api->str, "kubesim/", 8) == 0);
}

/* Whether a line of text says "kind: Scenario" or "apiVersion: kubesim/...":
 * for files whose YAML is too broken to parse. */
static bool text_claims(const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p;
        size_t n;
        if (!eol)
            eol = end;
        while (q < eol && (*q == ' ' || *q == '\t' || *q == '{' || *q == ','))
            q++;
        n = (size_t)(eol - q);
        if (n >= 5 && memcmp(q, "kind:", 5) == 0) {
            q += 5;
            while (q < eol && (*q == ' ' || *q == '\t' || *q == '"' || *q == '\''))
                q++;
            if ((size_t)(eol - q) >= 8 && memcmp(q, "Scenario", 8) == 0)
                return true;
        } else if (n >= 11 && memcmp(q, "apiVersion:", 11) == 0) {
            q += 11;
            while (q < eol && (*q == ' ' || *q == '\t' || *q == '"' || *q == '\''))
                q++;
            if ((size_t)(eol - q) >= 8 && memcmp(q, "kubesim/", 8) == 0)
                return true;
        }
        p = eol + 1;
    }
    return false;
}

ks_scn_probe ks_scenario_probe(ks_arena *ar, const char *path)
{
    ks_diags *d = ks_arena_alloc(ar, sizeof *d);
    ks_yaml_stream *st = NULL;
    const char *name;
    char *buf;
    size_t len;
    if (!d)
        return KS_SCN_PROBE_UNREADABLE;       /* loading it will say "out of memory" */
    ks_diags_init(d);
    if (ks_file_read(ar, path, ks_yaml_default_limits().max_bytes, &buf, &len, &name, d)
        != KS_OK)
        return KS_SCN_PROBE_UNREADABLE;
    ks_yaml_parse(ar, name, buf, len, NULL, &st, d);
    if (st)
        return st->ndocs > 0 && ks_scenario_is_doc(&st->docs[0]) ? KS_SCN_PROBE_SCENARIO
                                                                 : KS_SCN_PROBE_OTHER;
    return text_claims(buf, len) ? KS_SCN_PROBE_SCENARIO : KS_SCN_PROBE_OTHER;
}

int ks_scenario_read_doc(ks_arena *ar, const ks_yaml_doc *doc, const char *file,
                         const char *src, size_t len, ks_scenario **out, ks_diags *d)
{
    static const char *const keys[] = {"apiVersion", "kind", "metadata", "spec", NULL};
    const ks_yaml_node *root = doc->root;
    const char *slash, *s;
    int before = d->errors;
    ks_scenario *sc;
    ks_reader r;
    *out = NULL;
    sc = ks_arena_alloc(ar, sizeof *sc);
    if (!sc || !(sc->file = ks_arena_strdup(ar, file)))
        return ks_diag_error(d, KS_ENOMEM, doc->mark, "out of memory");
    slash = strrchr(sc->file, '/');
    sc->dir = !slash ? "." : slash == sc->file ? "/"
                                               : ks_arena_strndup(ar, sc->file,
                                                                  (size_t)(slash - sc->file));
    sc->seed = 1;
    sc->duration = KS_SCENARIO_DEFAULT_DURATION;
    if (!sc->dir)
        return ks_diag_error(d, KS_ENOMEM, doc->mark, "out of memory");
    if (root->kind != KS_YAML_MAP)
        return ks_diag_error(d, KS_ESCHEMA, root->mark,
                             "a scenario must be an object starting with apiVersion: %s and "
                             "kind: Scenario", KS_SCENARIO_API_VERSION);
    ks_reader_init(&r, ar, d);
    ks_rd_strict(&r, root, keys);
    if (ks_rd_str(&r, root, "apiVersion", true, &s) && strcmp(s, KS_SCENARIO_API_VERSION) != 0)
        ks_rd_fail(&r, ks_yaml_get(root, "apiVersion"), KS_EINVAL,
                   "apiVersion must be %s, not '%s'", KS_SCENARIO_API_VERSION, s);
    if (ks_rd_str(&r, root, "kind", true, &s) && strcmp(s, "Scenario") != 0)
        ks_rd_fail(&r, ks_yaml_get(root, "kind"), KS_EINVAL,
                   "kind must be Scenario, not '%s' (Kubernetes objects go in the files "
                   "listed under spec.manifests)", s);
    read_metadata(&r, root, sc);
    read_spec(&r, root, sc, src, len);
    if (d->errors > before)
        return ks_diag_first_code(d);
    *out = sc;
    return KS_OK;
}

int ks_scenario_parse(ks_arena *ar, const char *file, const char *buf, size_t len,
                      ks_scenario **out, ks_diags *d)
{
    ks_yaml_stream *st;
    int rc;
    *out = NULL;
    if ((rc = ks_yaml_parse(ar, file, buf, len, NULL, &st, d)) != KS_OK)
        return rc;
    if (st->ndocs == 0)
        return ks_diag_error(d, KS_ESCHEMA, (ks_mark){st->file, 1, 1},
                             "the scenario file is empty; it needs apiVersion: %s, kind: "
                             "Scenario, metadata and spec", KS_SCENARIO_API_VERSION);
    if (st->ndocs > 1)
        return ks_diag_error(d, KS_ESCHEMA, st->docs[1].mark,
                             "a scenario file holds one document; put Kubernetes objects in "
                             "files listed under spec.manifests, or inline them there");
    return ks_scenario_read_doc(ar, &st->docs[0], st->file, buf, len, out, d);
}

int ks_scenario_load_file(ks_arena *ar, const char *path, ks_scenario **out, ks_diags *d)
{
    char *buf;
    size_t len;
    const char *name;
    int rc = ks_file_read(ar, path, ks_yaml_default_limits().max_bytes, &buf, &len, &name, d);
    *out = NULL;
    if (rc != KS_OK)
        return rc;
    return ks_scenario_parse(ar, name, buf, len, out, d);
}
