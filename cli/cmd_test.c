/* cmd_test.c -- `kubesim test PATH...`: every scenario in the files and
 * folders given, headless and in parallel, each checked against its
 * expect: list and its pinned fingerprint.
 *
 * Folders are searched recursively for *.yaml / *.yml files whose first
 * document is a Scenario (other YAML, such as the manifests next to them,
 * is skipped). A file that claims to be a scenario but does not even parse,
 * and a *.yaml that is no regular file (a FIFO, a link to a device), are
 * not skipped: they fail, named, with their file:line:col, and the exit
 * code is 2. A file named on the command line must be a scenario. Each
 * scenario runs on its own sim, on a pool of threads (one per core, or
 * -j N); results are printed in the order the scenarios were found, so the
 * output does not depend on timing, except the times themselves. The last
 * line is exactly "N passed, N failed".
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/ks_scenario.h"
#include "load/ks_yaml.h"
#include "commands.h"
#include "runcli.h"
#include "testjob.h"

#define MAX_DEPTH 32                  /* folders inside folders */
#define MAX_SCENARIOS 100000

/* ---- finding scenarios ----------------------------------------------------------- */
typedef struct pathlist {
    char **items;
    size_t n, cap;
} pathlist;

static int push(pathlist *l, const char *s)
{
    size_t i;
    for (i = 0; i < l->n; i++)          /* the same file twice runs once */
        if (strcmp(l->items[i], s) == 0)
            return 0;
    if (l->n >= MAX_SCENARIOS)
        return -1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return -1;
        l->items = p;
        l->cap = cap;
    }
    if (!(l->items[l->n] = strdup(s)))
        return -1;
    l->n++;
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *dir, int depth, pathlist *out)
{
    DIR *dp;
    struct dirent *e;
    pathlist names = {0};
    size_t i;
    int rc = 0;
    if (depth > MAX_DEPTH)
        return 0;
    if (!(dp = opendir(dir))) {
        fprintf(stderr, "kubesim test: error: cannot read folder %s\n", dir);
        return -1;
    }
    while ((e = readdir(dp)) != NULL) {
        char full[4096];
        if (e->d_name[0] == '.')
            continue;
        snprintf(full, sizeof full, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                 e->d_name);
        if (push(&names, full) != 0) {
            rc = -1;
            break;
        }
    }
    closedir(dp);
    if (names.n)                        /* an empty folder has no list at all */
        qsort(names.items, names.n, sizeof *names.items, cmp_name);
    for (i = 0; i < names.n && rc == 0; i++) {
        struct stat st, target;
        if (lstat(names.items[i], &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = walk(names.items[i], depth + 1, out);
        else if (!ksc_yaml_name(names.items[i])
                 || (S_ISLNK(st.st_mode) && stat(names.items[i], &target) == 0
                     && S_ISDIR(target.st_mode)))
            continue;                    /* symlinked folders are not followed */
        else if (ksc_probe_file(names.items[i]) != KS_SCN_PROBE_OTHER)
            rc = push(out, names.items[i]);   /* broken or unreadable: a failure */
    }
    for (i = 0; i < names.n; i++)
        free(names.items[i]);
    free(names.items);
    return rc;
}

/* ---- running one -------------------------------------------------------------------- */
static char *format_diags(const ks_diags *d)
{
    size_t cap = 256, len = 0;
    char *s = malloc(cap);
    int i;
    if (!s)
        return NULL;
    s[0] = '\0';
    for (i = 0; i < d->n; i++) {
        char line[2048];
        size_t k = ks_diag_format(d, i, line, sizeof line);
        if (k >= sizeof line)
            k = sizeof line - 1;
        if (len + k + 2 > cap) {
            char *p;
            cap = 2 * (len + k + 2);
            if (!(p = realloc(s, cap)))
                return s;
            s = p;
        }
        memcpy(s + len, line, k);
        len += k;
        s[len++] = '\n';
        s[len] = '\0';
    }
    if (d->errors + d->warnings > d->n)
        snprintf(s + len, cap - len, "(%d more messages not shown)\n",
                 d->errors + d->warnings - d->n);
    return s;
}

static void run_job(ksc_job *j, const ks_catalog *cat, const ksc_options *o)
{
    double t0 = ksc_wall_seconds();
    ks_diags *d = malloc(sizeof *d);
    ks_scenario *sc = NULL;
    ks_run_options ro;
    ks_run *run = NULL;
    j->status = KSC_JOB_INTERNAL;
    j->ar = ks_arena_create(NULL);
    if (!d || !j->ar)
        goto out;
    ks_diags_init(d);
    if (ks_scenario_load_file(j->ar, j->path, &sc, d) != KS_OK) {
        j->status = ks_diag_first_code(d) == KS_ENOMEM ? KSC_JOB_INTERNAL : KSC_JOB_BAD_INPUT;
        j->diags = format_diags(d);
        goto out;
    }
    j->sc = sc;
    memset(&ro, 0, sizeof ro);
    ro.seed = o->seed;
    ro.seed_set = o->seed_set;
    ro.until = o->until;
    ro.until_set = o->until_set;
    /* hashing the trace costs about twice the run: only when it is used */
    ro.no_fingerprint = !sc->fingerprint && !o->update_fingerprints && !o->json && !o->junit;
    /* an unknown kind makes a run, but is bad input: not run, reported */
    if (!(run = ks_run_create(sc, cat, &ro, d)) || d->errors) {
        j->status = ks_diag_first_code(d) == KS_ENOMEM ? KSC_JOB_INTERNAL : KSC_JOB_BAD_INPUT;
        j->diags = format_diags(d);
        goto out;
    }
    j->seed = ks_sim_seed(ks_run_sim(run));
    if (ks_run_to_end(run) != KS_OK) {
        j->diags = strdup("internal error: the simulation failed (out of memory)\n");
        goto out;
    }
    j->status = KSC_JOB_RAN;
    j->nres = ks_run_result_count(run);
    j->res = malloc((j->nres + 1) * sizeof *j->res);
    if (!j->res) {
        j->status = KSC_JOB_INTERNAL;
        goto out;
    }
    if (j->nres)
        memcpy(j->res, ks_run_result(run, 0), j->nres * sizeof *j->res);
    ks_run_tally(run, &j->passed, &j->failed, &j->unreached);
    if (!ro.no_fingerprint)
        ks_run_fingerprint_hex(run, j->fingerprint);
out:
    ks_run_destroy(run);
    free(d);
    j->seconds = ksc_wall_seconds() - t0;
}

/* ---- the pool -------------------------------------------------------------------------- */
typedef struct pool {
    ksc_job *jobs;
    bool *done;
    size_t n, next;
    const ks_catalog *cat;
    const ksc_options *o;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t i;
        pthread_mutex_lock(&p->mu);
        i = p->next < p->n ? p->next++ : p->n;
        pthread_mutex_unlock(&p->mu);
        if (i == p->n)
            return NULL;
        run_job(&p->jobs[i], p->cat, p->o);
        pthread_mutex_lock(&p->mu);
        p->done[i] = true;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

/* ---- verdicts and printing ----------------------------------------------------------- */
/* Compares or re-pins the fingerprint, then decides. */
static void judge_run(ksc_job *j, const ksc_options *o)
{
    const char *pin = j->sc ? j->sc->fingerprint : NULL;
    j->ok = j->status == KSC_JOB_RAN && j->failed == 0 && (o->until_set || j->unreached == 0);
    if (j->status != KSC_JOB_RAN || o->seed_set || o->until_set)
        return;                  /* another seed or end, another trace: nothing to compare */
    if (o->update_fingerprints) {
        char why[300];
        if (pin && strcmp(pin, j->fingerprint) == 0)
            return;
        if (ksc_pin_fingerprint(j->path, j->fingerprint, why, sizeof why) < 0) {
            snprintf(j->fp_note, sizeof j->fp_note, "could not pin the fingerprint: %s", why);
            j->ok = false;
        } else {
            snprintf(j->fp_note, sizeof j->fp_note, "fingerprint %s pinned in %s (was %s)",
                     j->fingerprint, j->path, pin ? pin : "not pinned");
        }
        return;
    }
    if (!pin)
        return;
    j->fp_checked = true;
    if (strcmp(pin, j->fingerprint) != 0) {
        j->fp_mismatch = true;
        j->ok = false;
        snprintf(j->fp_note, sizeof j->fp_note,
                 "fingerprint changed: the trace is now %s, the file pins %s; the simulation "
                 "behaves differently (if that is intended: kubesim test "
                 "--update-fingerprints %s)", j->fingerprint, pin, j->path);
    }
}

/* The verdict: judge_run's, or skipped for an exercise (its goals are the
 * learner's to meet, not a test) unless it pins a fingerprint to compare. */
static void judge(ksc_job *j, const ksc_options *o)
{
    judge_run(j, o);
    if (j->status == KSC_JOB_RAN && j->sc && !j->sc->nexpect && j->sc->ngoals
        && !j->fp_checked) {
        j->skipped = true;
        j->ok = false;
    }
}

void ksc_job_summary(const ksc_job *j, char *buf, size_t n)
{
    if (j->skipped)
        snprintf(buf, n, "an exercise: its goals are the learner's (kubesim exercise)");
    else if (j->status == KSC_JOB_BAD_INPUT)
        snprintf(buf, n, "could not be loaded");
    else if (j->status == KSC_JOB_INTERNAL)
        snprintf(buf, n, "internal error");
    else if (j->failed || j->unreached)
        snprintf(buf, n, "%zu of %zu expectations failed%s", j->failed + j->unreached, j->nres,
                 j->fp_mismatch ? ", and the fingerprint changed" : "");
    else if (j->fp_mismatch)
        snprintf(buf, n, "the fingerprint changed");
    else
        snprintf(buf, n, "%zu expectation%s held", j->nres, j->nres == 1 ? "" : "s");
}

static void print_job(const ksc_job *j, const ksc_options *o)
{
    char sum[200];
    size_t i;
    const char *s, *nl;
    ksc_job_summary(j, sum, sizeof sum);
    printf("%s  %-32s %s  %.2fs  %s\n", j->ok ? "PASS" : "FAIL",
           j->sc && j->sc->name ? j->sc->name : "-", j->path, j->seconds, sum);
    for (s = j->diags; s && *s; s = *nl ? nl + 1 : nl) {
        nl = strchr(s, '\n');
        if (!nl)
            nl = s + strlen(s);
        printf("      %.*s\n", (int)(nl - s), s);
    }
    for (i = 0; i < j->nres; i++) {
        const ks_expect_result *r = &j->res[i];
        if (r->state == KS_EXPECT_PASS || (r->state == KS_EXPECT_NOT_REACHED && o->until_set))
            continue;
        printf("      %s at %s: %s %s: %s; got %s\n",
               r->state == KS_EXPECT_FAIL ? "FAIL" : "NOT CHECKED", r->when, r->kind, r->what,
               r->expected, r->state == KS_EXPECT_FAIL ? r->actual : "nothing");
        if (r->why[0])
            printf("        why: %s\n", r->why);
    }
    if (j->fp_note[0])
        printf("      %s\n", j->fp_note);
}

int ksc_cmd_test(ksc_options *o)
{
    pathlist files = {0};
    pool p;
    pthread_t *threads = NULL;
    ks_arena *ar = NULL;
    size_t i, nthreads, passed = 0, failed = 0, skipped = 0;
    int rc = KSC_EXIT_OK, k;
    bool bad = false;

    if (o->npaths == 0) {
        fprintf(stderr, "kubesim test: error: give at least one scenario file or folder\n"
                        "Try 'kubesim test --help'.\n");
        return KSC_EXIT_BAD_INPUT;
    }
    memset(&p, 0, sizeof p);
    for (k = 0; k < o->npaths; k++) {
        struct stat st;
        if (stat(o->paths[k], &st) != 0) {
            fprintf(stderr, "kubesim test: error: %s: no such file or folder\n", o->paths[k]);
            bad = true;
        } else if (S_ISDIR(st.st_mode)) {
            bad |= walk(o->paths[k], 0, &files) != 0;
        } else if (push(&files, o->paths[k]) != 0) {
            bad = true;
        }
    }
    if (files.n == 0) {
        fprintf(stderr, "kubesim test: error: no scenarios (kind: Scenario) found in the "
                        "paths given\n");
        rc = KSC_EXIT_BAD_INPUT;
        goto out;
    }
    if ((rc = (ar = ks_arena_create(NULL)) ? ksc_load_catalog(ar, &p.cat) : KSC_EXIT_INTERNAL)
        != KSC_EXIT_OK)
        goto out;
    p.n = files.n;
    p.o = o;
    p.jobs = calloc(files.n, sizeof *p.jobs);
    p.done = calloc(files.n, sizeof *p.done);
    nthreads = o->jobs > 0 ? (size_t)o->jobs : (size_t)sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > files.n)
        nthreads = files.n;
    threads = calloc(nthreads, sizeof *threads);
    if (!p.jobs || !p.done || !threads) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        rc = KSC_EXIT_INTERNAL;
        goto out;
    }
    for (i = 0; i < files.n; i++)
        p.jobs[i].path = files.items[i];
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    for (i = 0; i < nthreads; i++)
        if (pthread_create(&threads[i], NULL, worker, &p) != 0)
            break;
    nthreads = i;
    if (nthreads == 0)
        worker(&p);                   /* no threads at all: run here */
    /* print in the order found, as each one is ready */
    for (i = 0; i < files.n; i++) {
        ksc_job *j = &p.jobs[i];
        pthread_mutex_lock(&p.mu);
        while (!p.done[i])
            pthread_cond_wait(&p.cv, &p.mu);
        pthread_mutex_unlock(&p.mu);
        judge(j, o);
        if (j->skipped) {
            if (!o->quiet)
                printf("SKIP  %-32s %s  (an exercise: run it with kubesim exercise)\n",
                       j->sc->name, j->path);
            skipped++;
            continue;
        }
        if (!o->quiet || !j->ok)
            print_job(j, o);
        fflush(stdout);
        if (j->ok)
            passed++;
        else
            failed++;
        if (j->status == KSC_JOB_BAD_INPUT)
            bad = true;
        else if (j->status == KSC_JOB_INTERNAL && rc < KSC_EXIT_INTERNAL)
            rc = KSC_EXIT_INTERNAL;
    }
    for (i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    if (o->junit && ksc_write_junit(o->junit, p.jobs, p.n) != 0)
        bad = true;
    if (o->json && ksc_write_verdicts(o->json, p.jobs, p.n) != 0)
        bad = true;
    if (skipped)
        printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
    else
        printf("%zu passed, %zu failed\n", passed, failed);
    if (rc == KSC_EXIT_OK)
        rc = bad ? KSC_EXIT_BAD_INPUT : failed ? KSC_EXIT_FAILED : KSC_EXIT_OK;
out:
    for (i = 0; p.jobs && i < p.n; i++) {
        free(p.jobs[i].diags);
        free(p.jobs[i].res);
        ks_arena_destroy(p.jobs[i].ar);
    }
    free(p.jobs);
    free(p.done);
    free(threads);
    for (i = 0; i < files.n; i++)
        free(files.items[i]);
    free(files.items);
    ks_arena_destroy(ar);
    return rc;
}
