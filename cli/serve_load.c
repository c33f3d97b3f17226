/* serve_load.c -- what `kubesim serve` serves: a scenario file (or an
 * exercise folder), manifests given with -f on a default cluster, or an
 * empty default cluster, always as scenario text, so that a recording is
 * that text plus the session's steps.
 *
 * Relative paths in a scenario start at its folder. A recording replays
 * from the folder it is written to, so the served text is read as if it
 * lay there: for -f paths the generated text names them relative to that
 * folder; a scenario file with relative paths must be recorded beside
 * itself (else the recording could not find its manifests).
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "exercise.h"
#include "run/ks_runner.h"
#include "core/ks_time.h"
#include "serve.h"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, k;
    if (!f)
        return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            char *b = realloc(buf, cap = (cap + 4096) * 2);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
    } while (k > 0);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The folder of path, absolute. */
static void abs_dir(const char *path, char *out, size_t n)
{
    char tmp[PATH_MAX], *dir;
    snprintf(tmp, sizeof tmp, "%s", path);
    dir = dirname(tmp);
    if (!realpath(dir, out))
        snprintf(out, n, "%s", dir);
}

/* target (absolute) as seen from folder from (absolute): "../k8s". */
static void relative_to(const char *from, const char *target, char *out, size_t n)
{
    size_t common = 0, i;
    int ups = 0;
    for (i = 0; from[i] && from[i] == target[i]; i++)
        if (from[i] == '/')
            common = i;
    if (!from[i] && (target[i] == '/' || !target[i]))
        common = i;
    for (i = common; from[i]; i++)
        if (from[i] == '/' && from[i + 1])
            ups++;
    out[0] = '\0';
    while (ups-- > 0)
        strncat(out, "../", n - strlen(out) - 1);
    strncat(out, target[common] == '/' ? target + common + 1 : target + common,
            n - strlen(out) - 1);
    if (!out[0])
        snprintf(out, n, ".");
}

static void yaml_quoted(ks_strbuf *b, const char *s)
{
    ks_strbuf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            ks_strbuf_putc(b, '\\');
        ks_strbuf_putc(b, *s);
    }
    ks_strbuf_putc(b, '"');
}

/* spec.cluster as shape has it (--cluster FILE): the nodes (cpu in
 * millicores, memory in bytes, labels), the ingress controller, the
 * metrics-server addon, the cni; and its spec.clock, which CronJobs
 * count in (a lesson's CronJob names its Jobs after it). */
static void put_cluster(ks_strbuf *b, const ks_scenario *shape)
{
    size_t i, k;
    if (shape->clock) {
        ks_civil c;
        ks_civil_from_unix(shape->clock, &c);
        ks_strbuf_printf(b, "  clock: \"%04lld-%02d-%02dT%02d:%02d:%02dZ\"\n",
                         (long long)c.year, c.month, c.day, c.hour, c.minute, c.second);
    }
    ks_strbuf_puts(b, "  cluster:\n");
    if (!shape->ingress_nginx)
        ks_strbuf_puts(b, "    ingressController: none\n");
    if (shape->metrics_server)
        ks_strbuf_puts(b, "    addons: [metrics-server]\n");
    ks_strbuf_printf(b, "    cni: %s\n", shape->cni ? shape->cni : "auto");
    if (shape->default_node)
        return;
    ks_strbuf_puts(b, "    nodes:\n");
    for (i = 0; i < shape->nnodes; i++) {
        const ks_scn_node *nd = &shape->nodes[i];
        ks_strbuf_puts(b, "      - {name: ");
        yaml_quoted(b, nd->name);
        ks_strbuf_printf(b, ", cpu: \"%lldm\", memory: \"%lld\"", (long long)nd->cpu_milli,
                         (long long)nd->memory_bytes);
        if (nd->labels.n) {
            ks_strbuf_puts(b, ", labels: {");
            for (k = 0; k < nd->labels.n; k++) {
                ks_strbuf_puts(b, k ? ", " : "");
                yaml_quoted(b, nd->labels.items[k].key);
                ks_strbuf_puts(b, ": ");
                yaml_quoted(b, nd->labels.items[k].value);
            }
            ks_strbuf_putc(b, '}');
        }
        ks_strbuf_puts(b, "}\n");
    }
}

/* Scenario text for -f PATHS (or none): the manifests on a default cluster,
 * or on one shaped as shape's spec.cluster. */
static int generate(const ksc_options *o, const char *base_dir, const ks_scenario *shape,
                    ksc_served *s)
{
    ks_strbuf b;
    int i;
    ks_strbuf_init(&b, NULL);
    ks_strbuf_puts(&b, "# kubesim serve: ");
    ks_strbuf_puts(&b, o->nfiles ? "these manifests on " : "an empty ");
    if (shape)
        ks_strbuf_printf(&b, "%scluster shaped as %s's.\n", o->nfiles ? "a " : "", o->cluster);
    else
        ks_strbuf_printf(&b, "%sdefault cluster.\n", o->nfiles ? "a " : "");
    ks_strbuf_printf(&b, "apiVersion: kubesim/v1\nkind: Scenario\nmetadata:\n  name: serve\n"
                         "spec:\n  seed: %llu\n",
                     (unsigned long long)(o->seed_set ? o->seed : 1));
    if (shape)
        put_cluster(&b, shape);
    if (o->nfiles)
        ks_strbuf_puts(&b, "  manifests:\n");
    for (i = 0; i < o->nfiles; i++) {
        char absf[PATH_MAX], rel[PATH_MAX];
        if (!realpath(o->files[i], absf)) {
            fprintf(stderr, "kubesim serve: error: %s: %s\n", o->files[i], strerror(errno));
            ks_strbuf_fini(&b);
            return KSC_EXIT_BAD_INPUT;
        }
        relative_to(base_dir, absf, rel, sizeof rel);
        ks_strbuf_puts(&b, "    - ");
        yaml_quoted(&b, rel);
        ks_strbuf_putc(&b, '\n');
    }
    if (ks_strbuf_failed(&b) || !(s->text = strdup(ks_strbuf_str(&b)))) {
        ks_strbuf_fini(&b);
        return KSC_EXIT_INTERNAL;
    }
    s->len = b.len;
    s->generated = true;
    ks_strbuf_fini(&b);
    if (o->nfiles)
        snprintf(s->what, sizeof s->what, "%d manifest path%s on a %s cluster", o->nfiles,
                 o->nfiles == 1 ? "" : "s", shape ? "shaped" : "default");
    else
        snprintf(s->what, sizeof s->what, "an empty %s cluster", shape ? "shaped" : "default");
    if (shape)
        snprintf(s->what + strlen(s->what), sizeof s->what - strlen(s->what),
                 " (%zu node%s%s, cni %s%s, as %.300s says)", shape->nnodes,
                 shape->nnodes == 1 ? "" : "s", shape->metrics_server ? ", metrics-server" : "",
                 shape->cni ? shape->cni : "auto", shape->clock ? ", its clock" : "",
                 o->cluster);
    return KSC_EXIT_OK;
}

/* Whether a scenario reaches files by relative paths. */
static bool uses_relative_paths(ks_arena *ar, const ks_scenario *sc)
{
    size_t i, k, n;
    const char **paths;
    for (i = 0; i < sc->nmanifests; i++)
        if (sc->manifests[i].path && sc->manifests[i].path[0] != '/')
            return true;
    for (i = 0; i < sc->ntimeline; i++) {
        if (sc->timeline[i].action != KS_SCN_ACT_KUBECTL
            || ks_run_kubectl_files(ar, sc->timeline[i].kubectl, &paths, &n) != KS_OK)
            continue;
        for (k = 0; k < n; k++)
            if (paths[k][0] != '/')
                return true;
    }
    return false;
}

int ksc_session_folder(const ksc_options *o, ksc_served *s)
{
    if (o->record_dir) {
        char dir[PATH_MAX], base[PATH_MAX], *dot, tmp[PATH_MAX];
        abs_dir(o->record_dir, dir, sizeof dir);
        snprintf(tmp, sizeof tmp, "%s", o->record_dir);
        snprintf(base, sizeof base, "%s", basename(tmp));
        if ((dot = strrchr(base, '.')) != NULL && dot != base)
            *dot = '\0';
        snprintf(s->session_rel, sizeof s->session_rel, "%.1000s-objects", base);
        snprintf(s->session_dir, sizeof s->session_dir, "%.3000s/%.1000s", dir, s->session_rel);
        if (mkdir(s->session_dir, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "kubesim serve: error: cannot make %s: %s\n", s->session_dir,
                    strerror(errno));
            return KSC_EXIT_BAD_INPUT;
        }
        return KSC_EXIT_OK;
    }
    snprintf(s->session_dir, sizeof s->session_dir, "%s/kubesim-serve-XXXXXX",
             getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(s->session_dir)) {
        fprintf(stderr, "kubesim serve: error: cannot make a temporary folder: %s\n",
                strerror(errno));
        return KSC_EXIT_INTERNAL;
    }
    snprintf(s->session_rel, sizeof s->session_rel, "%s", s->session_dir);
    s->session_tmp = true;
    return KSC_EXIT_OK;
}

/* --cluster FILE: the scenario whose spec.cluster shapes the cluster (its
 * manifests, timeline and expectations are not served); NULL without it. */
static int load_shape(ks_arena *ar, const ksc_options *o, const ks_scenario **shape,
                      ks_diags *d)
{
    char why[1200], *file;
    ks_scenario *sc;
    int rc = KSC_EXIT_OK;
    *shape = NULL;
    if (!o->cluster)
        return KSC_EXIT_OK;
    if (!(file = ksc_exercise_find(o->cluster, why, sizeof why))) {
        fprintf(stderr, "kubesim serve: error: --cluster: %s\n", why);
        return KSC_EXIT_BAD_INPUT;
    }
    ks_diags_init(d);
    if (ks_scenario_load_file(ar, file, &sc, d) != KS_OK) {
        ksc_print_diags(d);
        rc = ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
    } else {
        *shape = sc;
    }
    free(file);
    return rc;
}

int ksc_served_load(ks_arena *ar, const ksc_options *o, ksc_served *s, ks_scenario **sc,
                    ks_diags *d)
{
    char base[PATH_MAX], why[1200];
    const ks_scenario *shape = NULL;
    int rc;
    *sc = NULL;
    if (o->cluster && o->npaths) {
        fprintf(stderr, "kubesim serve: error: --cluster shapes an empty cluster (or the one "
                        "-f manifests go on); a scenario brings its own spec.cluster\n"
                        "Try 'kubesim serve --help'.\n");
        return KSC_EXIT_BAD_INPUT;
    }
    if (o->record_dir)
        abs_dir(o->record_dir, base, sizeof base);
    else if (!getcwd(base, sizeof base))
        snprintf(base, sizeof base, ".");
    if (o->npaths == 1) {
        char *file = ksc_exercise_find(o->paths[0], why, sizeof why);
        ks_scenario *orig;
        if (!file) {
            fprintf(stderr, "kubesim serve: error: %s\n", why);
            return KSC_EXIT_BAD_INPUT;
        }
        if (!(s->text = read_all(file, &s->len))) {
            fprintf(stderr, "kubesim serve: error: cannot read %s: %s\n", file,
                    strerror(errno));
            free(file);
            return KSC_EXIT_BAD_INPUT;
        }
        snprintf(s->file, sizeof s->file, "%s", file);
        if (ks_scenario_parse(ar, file, s->text, s->len, &orig, d) != KS_OK) {
            ksc_print_diags(d);
            free(file);
            return ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
        }
        snprintf(s->what, sizeof s->what, "%s (%s)", orig->title ? orig->title : orig->name,
                 file);
        if (o->record_dir) {
            char sdir[PATH_MAX];
            abs_dir(file, sdir, sizeof sdir);
            if (strcmp(sdir, base) != 0 && uses_relative_paths(ar, orig)) {
                fprintf(stderr, "kubesim serve: error: --record %s: a recording of %s must "
                                "lie in its folder (%s), where its relative paths still "
                                "lead to its manifests\n", o->record_dir, file, sdir);
                free(file);
                return KSC_EXIT_BAD_INPUT;
            }
            snprintf(s->file, sizeof s->file, "%s", o->record_dir);
        }
        free(file);
    } else if ((rc = load_shape(ar, o, &shape, d)) != KSC_EXIT_OK
               || (rc = generate(o, base, shape, s)) != KSC_EXIT_OK) {
        return rc;
    } else {
        if (o->record_dir)
            snprintf(s->file, sizeof s->file, "%s", o->record_dir);
        else
            snprintf(s->file, sizeof s->file, "%.4000s/serve.yaml", base);
    }
    if ((rc = ksc_session_folder(o, s)) != KSC_EXIT_OK)
        return rc;
    ks_diags_init(d);
    if (ks_scenario_parse(ar, s->file, s->text, s->len, sc, d) != KS_OK) {
        ksc_print_diags(d);
        return ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
    }
    return KSC_EXIT_OK;
}

void ksc_served_cleanup(ksc_served *s)
{
    if (s->session_tmp && s->session_dir[0]) {
        DIR *dir = opendir(s->session_dir);
        struct dirent *e;
        char path[PATH_MAX + 300];
        while (dir && (e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", s->session_dir, e->d_name);
            unlink(path);
        }
        if (dir)
            closedir(dir);
        rmdir(s->session_dir);
    }
    free(s->text);
    s->text = NULL;
}
