/* exercise.c -- an exercise's runs, goals and graded hints (see exercise.h).
 *
 * A run needs no change to the runner: the loaded scenario is copied with
 * expect = goals, and the runner checks those. Everything a front end
 * shows is copied out of the run, whose arena dies with it, so the last
 * good result outlives the runs that follow it.
 */
#include "exercise.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/ks_scenario.h"
#include "load/ks_yaml.h"
#include "runcli.h"

typedef struct hint_seen {
    char *key;                     /* the goal's id, or "#N" */
    int shown;                     /* hints of it the learner asked for */
} hint_seen;

struct place {
    char *path;
    bool is_dir;
};
typedef struct place place;

struct ksc_exercise {
    char *file;
    const ks_catalog *cat;
    uint64_t seed;
    bool seed_set;
    int runs;
    /* the last good run */
    ks_arena *ar;                  /* the strings below */
    const char *name, *title;
    uint64_t used_seed;
    ks_time end;
    bool uses_expect;
    ksc_goal *goals;
    size_t ngoals;
    place *places;
    size_t nplaces;
    /* hints asked for, across runs */
    bool first_hints;              /* every unmet goal shows its first hint */
    hint_seen *seen;
    size_t nseen;
};

/* ---- finding the scenario ------------------------------------------------------------ */

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    char *p = malloc(n + strlen(name) + 2);
    if (p)
        sprintf(p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    return p;
}

char *ksc_exercise_find(const char *path, char *why, size_t n)
{
    struct stat st;
    DIR *dp;
    struct dirent *e;
    char *found = NULL, *p;
    int count = 0;
    if (stat(path, &st) != 0) {
        snprintf(why, n, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode))
        return strdup(path);
    if (!(p = join(path, "exercise.yaml")))
        return NULL;
    if (stat(p, &st) == 0)
        return p;
    free(p);
    if (!(dp = opendir(path))) {
        snprintf(why, n, "%s: %s", path, strerror(errno));
        return NULL;
    }
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.' || !ksc_yaml_name(e->d_name) || !(p = join(path, e->d_name)))
            continue;
        if (ksc_probe_file(p) == KS_SCN_PROBE_SCENARIO && count++ == 0)
            found = p;
        else
            free(p);
    }
    closedir(dp);
    if (count == 1)
        return found;
    free(found);
    if (count)
        snprintf(why, n, "%s holds %d scenario files; name the one to run, or call it "
                         "exercise.yaml", path, count);
    else
        snprintf(why, n, "%s holds no exercise.yaml (and no other kind: Scenario file)",
                 path);
    return NULL;
}

/* ---- the exercise ------------------------------------------------------------------------ */
static int add_place(place **pl, size_t *n, const char *path, bool is_dir);

ksc_exercise *ksc_exercise_create(const char *file, const ks_catalog *cat,
                                  const ksc_options *o)
{
    ksc_exercise *ex = calloc(1, sizeof *ex);
    if (!ex || !(ex->file = strdup(file))) {
        free(ex);
        return NULL;
    }
    if (add_place(&ex->places, &ex->nplaces, file, false) != 0) {
        ksc_exercise_destroy(ex);
        return NULL;
    }
    ex->cat = cat;
    ex->seed = o->seed;
    ex->seed_set = o->seed_set;
    ex->first_hints = o->headless;      /* a one-off report: the first hints */
    return ex;
}

static void free_last(ksc_exercise *ex)
{
    free(ex->goals);
    ks_arena_destroy(ex->ar);
    ex->goals = NULL;
    ex->ngoals = 0;
    ex->ar = NULL;
}

void ksc_exercise_destroy(ksc_exercise *ex)
{
    size_t i;
    if (!ex)
        return;
    free_last(ex);
    for (i = 0; i < ex->nplaces; i++)
        free(ex->places[i].path);
    free(ex->places);
    for (i = 0; i < ex->nseen; i++)
        free(ex->seen[i].key);
    free(ex->seen);
    free(ex->file);
    free(ex);
}

/* The record of the hints asked for a goal (NULL when out of memory). */
static hint_seen *seen_of(ksc_exercise *ex, const char *key)
{
    size_t i;
    hint_seen *p;
    for (i = 0; i < ex->nseen; i++)
        if (strcmp(ex->seen[i].key, key) == 0)
            return &ex->seen[i];
    p = realloc(ex->seen, (ex->nseen + 1) * sizeof *p);
    if (!p)
        return NULL;
    ex->seen = p;
    if (!(p[ex->nseen].key = strdup(key)))
        return NULL;
    p[ex->nseen].shown = 0;
    return &p[ex->nseen++];
}

static void goal_key(const ksc_goal *g, size_t i, char *key, size_t n)
{
    if (g->id)
        snprintf(key, n, "%s", g->id);
    else
        snprintf(key, n, "#%zu", i);
}

/* Sets a goal's hint from the hints asked for it (none yet: NULL). */
static void pick_hint(ksc_exercise *ex, ksc_goal *g, size_t i)
{
    char key[160];
    hint_seen *s;
    int k;
    g->hint = NULL;
    g->hint_no = 0;
    if (g->met || !g->nhints)
        return;
    goal_key(g, i, key, sizeof key);
    s = seen_of(ex, key);
    k = s ? s->shown : 0;
    if (ex->first_hints && k == 0)
        k = 1;
    if (k > g->nhints)
        k = g->nhints;
    if (k > 0) {
        g->hint = g->hints[k - 1];
        g->hint_no = k;
    }
}

int ksc_exercise_hint(ksc_exercise *ex)
{
    size_t i;
    for (i = 0; i < ex->ngoals; i++) {
        ksc_goal *g = &ex->goals[i];
        char key[160];
        hint_seen *s;
        if (g->met || g->hint_no >= g->nhints)
            continue;
        goal_key(g, i, key, sizeof key);
        if (!(s = seen_of(ex, key)))
            return 0;
        s->shown = g->hint_no + 1;
        pick_hint(ex, g, i);
        return 1;
    }
    return 0;
}

static int add_place(place **pl, size_t *n, const char *path, bool is_dir)
{
    size_t i;
    place *p;
    for (i = 0; i < *n; i++)
        if (strcmp((*pl)[i].path, path) == 0)
            return 0;
    if (!(p = realloc(*pl, (*n + 1) * sizeof *p)))
        return -1;
    *pl = p;
    if (!(p[*n].path = strdup(path)))
        return -1;
    p[(*n)++].is_dir = is_dir;
    return 0;
}

/* The files a load of sc reads: for the watcher. */
static int collect_places(ksc_exercise *ex, ks_arena *ar, const ks_scenario *sc)
{
    place *pl = NULL;
    size_t n = 0, i, j;
    int rc = add_place(&pl, &n, ex->file, false);
    for (i = 0; rc == 0 && i < sc->nmanifests; i++)
        if (sc->manifests[i].resolved)
            rc = add_place(&pl, &n, sc->manifests[i].resolved, sc->manifests[i].is_dir);
    for (i = 0; rc == 0 && i < sc->ntimeline; i++) {
        const char **paths;
        size_t np;
        if (sc->timeline[i].action != KS_SCN_ACT_KUBECTL
            || ks_run_kubectl_files(ar, sc->timeline[i].kubectl, &paths, &np) != KS_OK)
            continue;
        for (j = 0; rc == 0 && j < np; j++) {
            struct stat st;
            char *full = paths[j][0] == '/' ? strdup(paths[j]) : join(sc->dir, paths[j]);
            if (!full) {
                rc = -1;
                break;
            }
            rc = add_place(&pl, &n, full, stat(full, &st) == 0 && S_ISDIR(st.st_mode));
            free(full);
        }
    }
    for (i = 0; i < ex->nplaces; i++)
        free(ex->places[i].path);
    free(ex->places);
    ex->places = pl;
    ex->nplaces = n;
    return rc;
}

static const char *copy(ks_arena *ar, const char *s)
{
    return s ? ks_arena_strdup(ar, s) : NULL;
}

/* Copies the run's results into goals, choosing each unmet goal's hint. */
static int take_results(ksc_exercise *ex, ks_arena *ar, ks_run *run, ksc_goal **out,
                        size_t *nout)
{
    size_t i, n = ks_run_result_count(run);
    ksc_goal *g = calloc(n + 1, sizeof *g);
    if (!g)
        return -1;
    for (i = 0; i < n; i++) {
        const ks_expect_result *r = ks_run_result(run, i);
        const ks_scn_expect *e = r->exp;
        g[i].id = copy(ar, e->id);
        if (e->title)
            g[i].title = copy(ar, e->title);
        else if (e->id)
            g[i].title = g[i].id;
        else
            g[i].title = ks_arena_printf(ar, "%s %s", r->kind, r->what);
        g[i].state = r->state;
        g[i].met = r->state == KS_EXPECT_PASS;
        snprintf(g[i].when, sizeof g[i].when, "%s", r->when);
        snprintf(g[i].expected, sizeof g[i].expected, "%s", r->expected);
        snprintf(g[i].actual, sizeof g[i].actual, "%s",
                 r->state == KS_EXPECT_NOT_REACHED ? "not checked" : r->actual);
        if (!g[i].met)
            snprintf(g[i].why, sizeof g[i].why, "%s", r->why);
        g[i].nhints = (int)e->nhints;
        if (e->nhints) {
            size_t k;
            g[i].hints = ks_arena_alloc(ar, e->nhints * sizeof *g[i].hints);
            for (k = 0; g[i].hints && k < e->nhints; k++)
                g[i].hints[k] = copy(ar, e->hints[k]);
            if (!g[i].hints)
                g[i].nhints = 0;
        }
        pick_hint(ex, &g[i], i);
        if (!g[i].title) {
            free(g);
            return -1;
        }
    }
    *out = g;
    *nout = n;
    return 0;
}

int ksc_exercise_run(ksc_exercise *ex, ks_diags *d)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_scenario *sc, graded;
    ks_run_options ro;
    ks_run *run = NULL;
    ksc_goal *goals = NULL;
    size_t ngoals = 0;
    int rc;

    ks_diags_init(d);
    if (!ar) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        return KSC_EXIT_INTERNAL;
    }
    if (ks_scenario_load_file(ar, ex->file, &sc, d) != KS_OK) {
        rc = ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
        goto fail;
    }
    if (collect_places(ex, ar, sc) != 0) {   /* watched even when the run fails */
        fprintf(stderr, "kubesim: error: out of memory\n");
        rc = KSC_EXIT_INTERNAL;
        goto fail;
    }
    graded = *sc;
    if (sc->ngoals) {              /* the goals are the expectations */
        graded.expect = sc->goals;
        graded.nexpect = sc->ngoals;
    }
    memset(&ro, 0, sizeof ro);
    ro.seed = ex->seed;
    ro.seed_set = ex->seed_set;
    ro.no_fingerprint = true;
    run = ks_run_create(&graded, ex->cat, &ro, d);
    if (!run || d->errors) {         /* an unknown kind: it does not load */
        rc = ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
        goto fail;
    }
    if (ks_run_to_end(run) != KS_OK) {
        fprintf(stderr, "kubesim: internal error: the simulation failed (%s)\n",
                ks_error_code_name(ks_sim_status(ks_run_sim(run))));
        rc = KSC_EXIT_INTERNAL;
        goto fail;
    }
    if (take_results(ex, ar, run, &goals, &ngoals) != 0) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        rc = KSC_EXIT_INTERNAL;
        goto fail;
    }
    free_last(ex);                 /* the new result replaces the last good one */
    ex->ar = ar;
    ex->goals = goals;
    ex->ngoals = ngoals;
    ex->name = sc->name;
    ex->title = sc->title ? sc->title : sc->name;
    ex->used_seed = ks_sim_seed(ks_run_sim(run));
    ex->end = ks_run_end(run);
    ex->uses_expect = sc->ngoals == 0;
    ex->runs++;
    ks_run_destroy(run);
    return KSC_EXIT_OK;
fail:
    ks_run_destroy(run);
    ks_arena_destroy(ar);
    return rc;
}

/* ---- reading ------------------------------------------------------------------------------ */
int ksc_exercise_runs(const ksc_exercise *ex) { return ex->runs; }
const char *ksc_exercise_file(const ksc_exercise *ex) { return ex->file; }
const char *ksc_exercise_name(const ksc_exercise *ex) { return ex->name ? ex->name : ex->file; }
const char *ksc_exercise_title(const ksc_exercise *ex) { return ex->title ? ex->title : ex->file; }
uint64_t ksc_exercise_seed(const ksc_exercise *ex) { return ex->used_seed; }
ks_time ksc_exercise_end(const ksc_exercise *ex) { return ex->end; }
bool ksc_exercise_uses_expect(const ksc_exercise *ex) { return ex->uses_expect; }
size_t ksc_exercise_goal_count(const ksc_exercise *ex) { return ex->ngoals; }

const ksc_goal *ksc_exercise_goal(const ksc_exercise *ex, size_t i)
{
    return i < ex->ngoals ? &ex->goals[i] : NULL;
}

size_t ksc_exercise_met_count(const ksc_exercise *ex)
{
    size_t i, n = 0;
    for (i = 0; i < ex->ngoals; i++)
        n += ex->goals[i].met;
    return n;
}

bool ksc_exercise_passed(const ksc_exercise *ex)
{
    return ex->runs > 0 && ksc_exercise_met_count(ex) == ex->ngoals;
}

size_t ksc_exercise_place_count(const ksc_exercise *ex) { return ex->nplaces; }

const char *ksc_exercise_place(const ksc_exercise *ex, size_t i, bool *is_dir)
{
    if (i >= ex->nplaces)
        return NULL;
    *is_dir = ex->places[i].is_dir;
    return ex->places[i].path;
}

/* ---- the verdict ------------------------------------------------------------------------- */
static void json_field(FILE *f, const char *key, const char *val, bool comma)
{
    fprintf(f, "\"%s\": ", key);
    if (val)
        ksc_json_str(f, val);
    else
        fputs("null", f);
    if (comma)
        fputs(", ", f);
}

int ksc_exercise_write_json(const ksc_exercise *ex, const ks_diags *d, const char *path)
{
    FILE *f = fopen(path, "w");
    bool failed_load = d && d->errors;
    size_t i;
    int k, rc = 0;
    if (!f) {
        fprintf(stderr, "kubesim: error: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fputs("{", f);
    json_field(f, "exercise", ex->runs && !failed_load ? ex->name : NULL, true);
    json_field(f, "title", ex->runs && !failed_load ? ex->title : NULL, true);
    json_field(f, "file", ex->file, true);
    if (ex->runs && !failed_load)
        fprintf(f, "\"seed\": %llu, ", (unsigned long long)ex->used_seed);
    fprintf(f, "\"passed\": %s, \"met\": %zu, \"total\": %zu,\n  \"goals\": [",
            !failed_load && ksc_exercise_passed(ex) ? "true" : "false",
            failed_load ? (size_t)0 : ksc_exercise_met_count(ex),
            failed_load ? (size_t)0 : ex->ngoals);
    for (i = 0; !failed_load && i < ex->ngoals; i++) {
        const ksc_goal *g = &ex->goals[i];
        fputs(i ? ",\n    {" : "\n    {", f);
        json_field(f, "id", g->id, true);
        json_field(f, "title", g->title, true);
        fprintf(f, "\"met\": %s, ", g->met ? "true" : "false");
        json_field(f, "state", ks_expect_state_name(g->state), true);
        json_field(f, "when", g->when, true);
        json_field(f, "expected", g->expected, true);
        json_field(f, "actual", g->actual, true);
        json_field(f, "why", g->met ? NULL : g->why, true);
        json_field(f, "hint", g->hint, false);
        fputs("}", f);
    }
    fputs(failed_load || !ex->ngoals ? "]" : "\n  ]", f);
    if (failed_load) {
        fputs(",\n  \"errors\": [", f);
        for (k = 0; k < d->n; k++) {
            char buf[2048];
            ks_diag_format(d, k, buf, sizeof buf);
            fputs(k ? ",\n    " : "\n    ", f);
            ksc_json_str(f, buf);
        }
        fputs("\n  ]", f);
    }
    fputs("}\n", f);
    if (ferror(f))
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    if (rc)
        fprintf(stderr, "kubesim: error: writing %s failed\n", path);
    return rc;
}
