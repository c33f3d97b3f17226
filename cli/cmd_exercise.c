/* cmd_exercise.c -- `kubesim exercise DIR`: the learner's loop.
 *
 * Runs the exercise (exercise.h), prints its goals as a checklist with the
 * next hint and the runner's "why" under every unmet goal, then watches
 * the files it reads (watch.h) and runs it again each time one is saved.
 * A save that does not load prints the located errors and leaves the last
 * good checklist standing. Ctrl-C ends it. --headless runs once: exit 0
 * when every goal is met, 1 when not, 2 on bad input (a broken manifest of
 * the learner's too), 3 on an internal error. --json FILE writes the
 * verdict for graders (after every run, in watch mode).
 * With a display, the same ksc_exercise_* results show in the window's
 * goals panel instead (exercise_window.c).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "load/ks_file.h"
#include "load/ks_scenario.h"
#include "commands.h"
#include "exercise.h"
#include "runcli.h"
#include "watch.h"

/* ---- terminal styling ------------------------------------------------------------------ */
typedef struct style {
    const char *ok, *bad, *hint, *dim, *bold, *off;
} style;

static style make_style(FILE *f)
{
    const char *term = getenv("TERM");
    style s = {"", "", "", "", "", ""};
    if (isatty(fileno(f)) && !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0) {
        s.ok = "\033[1;32m";
        s.bad = "\033[1;31m";
        s.hint = "\033[36m";
        s.dim = "\033[2m";
        s.bold = "\033[1m";
        s.off = "\033[0m";
    }
    return s;
}

/* ---- printing -------------------------------------------------------------------------- */
/* label + text, later lines of text indented to line up under its start
 * (a "why" may quote a log that runs over several lines). */
static void print_block(FILE *f, const char *color, const char *label, const char *text,
                        const char *off)
{
    int indent = 8 + (int)strlen(label);
    fprintf(f, "        %s%s", color, label);
    for (; *text; text++) {
        fputc(*text, f);
        if (*text == '\n') {
            while (text[1] == ' ')          /* the runner's own indentation */
                text++;
            fprintf(f, "%*s", indent, "");
        }
    }
    fprintf(f, "%s\n", off);
}

static void print_header(FILE *f, const ksc_exercise *ex, const style *st)
{
    char end[32];
    ks_duration_format(ksc_exercise_end(ex), end, sizeof end);
    fprintf(f, "%sexercise: %s%s\n", st->bold, ksc_exercise_title(ex), st->off);
    fprintf(f, "%s  %s   seed=%llu   %s of simulated time%s\n", st->dim,
            ksc_exercise_file(ex), (unsigned long long)ksc_exercise_seed(ex), end, st->off);
    if (ksc_exercise_uses_expect(ex))
        fprintf(f, "  (this scenario has no goals: its expectations are the checklist)\n");
}

/* The task, as the exercise file's opening comment states it (the
 * convention of every scenario: a comment header saying what it is
 * about). Its first line, "Exercise N -- title", repeats the title and is
 * left out. Printed once, when the learner starts. */
static void print_task(FILE *f, const char *file)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags *d = malloc(sizeof *d);
    char *text = NULL, *p, line[512];
    const char *name;
    size_t size;
    int n = 0, blank = 0;
    if (d)
        ks_diags_init(d);
    /* the same reader as the loader: no FIFO or device can block here */
    if (!ar || !d || ks_file_read(ar, file, 1u << 20, &text, &size, &name, d) != KS_OK)
        text = NULL;
    for (p = text; p && *p == '#'; p += strcspn(p, "\n"), p += *p == '\n') {
        char *t = line + 1;
        size_t len;
        snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
        if (*t == ' ')
            t++;
        len = strcspn(t, "\r\n");
        t[len] = '\0';
        if (n == 0 && strstr(t, " -- ")) {     /* the title line */
            n = -1;
            continue;
        }
        if (!len) {                             /* keep inner blank lines, once */
            blank = n > 0;
            continue;
        }
        if (blank)
            fputc('\n', f);
        blank = 0;
        fprintf(f, "%s  %s\n", n == 0 || n == -1 ? "\n" : "", t);
        n = n < 0 ? 1 : n + 1;
    }
    free(d);
    ks_arena_destroy(ar);
}

static void print_checklist(FILE *f, const ksc_exercise *ex, const style *st)
{
    size_t i, n = ksc_exercise_goal_count(ex);
    fputc('\n', f);
    for (i = 0; i < n; i++) {
        const ksc_goal *g = ksc_exercise_goal(ex, i);
        if (g->met) {
            fprintf(f, "  %s[x]%s %s\n", st->ok, st->off, g->title);
            continue;
        }
        fprintf(f, "  %s[ ]%s %s\n", st->bad, st->off, g->title);
        if (g->state == KS_EXPECT_NOT_REACHED) {
            print_block(f, "", "not checked: ", g->why, "");
        } else {
            char buf[700];
            snprintf(buf, sizeof buf, "wanted %s at %s; found %s", g->expected, g->when,
                     g->actual);
            print_block(f, st->dim, "", buf, st->off);
            if (g->why[0])
                print_block(f, "", "why: ", g->why, "");
        }
        if (g->hint) {
            char label[48];
            if (g->nhints > 1)
                snprintf(label, sizeof label, "hint %d of %d: ", g->hint_no, g->nhints);
            else
                snprintf(label, sizeof label, "hint: ");
            print_block(f, st->hint, label, g->hint, st->off);
        }
    }
    if (!n)
        fprintf(f, "  (the exercise has no goals)\n");
    fputc('\n', f);
}

static void print_summary(FILE *f, const ksc_exercise *ex, const style *st, bool watching)
{
    size_t met = ksc_exercise_met_count(ex), n = ksc_exercise_goal_count(ex);
    if (ksc_exercise_passed(ex))
        fprintf(f, "%sAll goals met -- well done.%s (%zu of %zu)\n", st->ok, st->off, met, n);
    else if (watching)
        fprintf(f, "%zu of %zu goals met. Edit the manifests and save: it runs again. "
                   "Enter: a hint.\n", met, n);
    else
        fprintf(f, "%zu of %zu goals met.\n", met, n);
}

/* Load errors, located, to f (stdout while watching, so they sit with the
 * checklist; stderr headless, like every other command). */
static void print_diags(FILE *f, const ks_diags *d)
{
    int i;
    char buf[2048];
    for (i = 0; i < d->n; i++) {
        ks_diag_format(d, i, buf, sizeof buf);
        fprintf(f, "%s\n", buf);
    }
    if (d->errors + d->warnings > d->n)
        fprintf(f, "kubesim: %d more messages not shown\n", d->errors + d->warnings - d->n);
}

/* ---- watching ------------------------------------------------------------------------- */
static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

/* A watch of everything the exercise reads now. */
static ksc_watch *watch_places(const ksc_exercise *ex)
{
    ksc_watch *w = ksc_watch_create(getenv("KUBESIM_WATCH_POLL") != NULL);
    size_t i;
    for (i = 0; w && i < ksc_exercise_place_count(ex); i++) {
        bool is_dir;
        const char *p = ksc_exercise_place(ex, i, &is_dir);
        if (ksc_watch_add(w, p, is_dir) != 0) {
            ksc_watch_destroy(w);
            return NULL;
        }
    }
    if (w && ksc_watch_start(w) != 0) {
        ksc_watch_destroy(w);
        return NULL;
    }
    return w;
}

/* A fingerprint of the place list, to rebuild the watch when it changes. */
static unsigned long long places_hash(const ksc_exercise *ex)
{
    unsigned long long h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < ksc_exercise_place_count(ex); i++) {
        bool is_dir;
        const char *p = ksc_exercise_place(ex, i, &is_dir);
        for (; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ (is_dir ? 1u : 2u)) * 1099511628211ULL;
    }
    return h;
}

static void print_watching(FILE *f, const ksc_exercise *ex, const ksc_watch *w, const style *st)
{
    size_t i, n = ksc_exercise_place_count(ex);
    fprintf(f, "%sWatching (%s):", st->dim, ksc_watch_method(w));
    for (i = 0; i < n; i++) {
        bool is_dir;
        const char *p = ksc_exercise_place(ex, i, &is_dir);
        fprintf(f, "%s %s%s", i ? "," : "", p, is_dir ? "/" : "");
    }
    fprintf(f, "\nSave a file to run the exercise again; Enter for a hint; Ctrl-C to quit.%s\n",
            st->off);
}

/* A line typed (Enter): the learner asks for a hint. Returns false at the
 * end of input (stdin is not a keyboard: stop listening to it). */
static bool read_request(void)
{
    char line[256];
    ssize_t k = read(STDIN_FILENO, line, sizeof line);
    return k > 0;
}

static int watch_loop(ksc_exercise *ex, ks_diags *d, const ksc_options *o, int rc)
{
    style st = make_style(stdout);
    struct sigaction sa;
    ksc_watch *w = NULL;
    unsigned long long watched = 0;
    int runs = 1, keys = STDIN_FILENO, got;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;      /* no SA_RESTART: the wait wakes up */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    for (;;) {
        char what[1024], clock[16];
        time_t now;
        struct tm tm;
        if (!w || places_hash(ex) != watched) {
            ksc_watch_destroy(w);
            if (!(w = watch_places(ex))) {
                fprintf(stderr, "kubesim: error: out of memory\n");
                return KSC_EXIT_INTERNAL;
            }
            print_watching(stdout, ex, w, &st);
            watched = places_hash(ex);
        }
        fflush(stdout);
        got = ksc_watch_wait(w, KSC_WATCH_DEBOUNCE_MS, &stop_flag, keys, what, sizeof what);
        if (!got)
            break;
        if (got == 2) {                     /* Enter: the next hint, never on a save */
            if (!read_request()) {
                keys = -1;
                continue;
            }
            if (ksc_exercise_hint(ex)) {
                print_checklist(stdout, ex, &st);
                print_summary(stdout, ex, &st, true);
            } else {
                fprintf(stdout, "No more hints: %s\n",
                        ksc_exercise_passed(ex) ? "every goal is met." : "you have them all.");
            }
            continue;
        }
        now = time(NULL);
        localtime_r(&now, &tm);
        strftime(clock, sizeof clock, "%H:%M:%S", &tm);
        fprintf(stdout, "\n%s---- run %d at %s: %s changed ----%s\n", st.bold, ++runs, clock,
                what[0] ? what : "a file", st.off);
        fflush(stdout);
        rc = ksc_exercise_run(ex, d);
        if (rc == KSC_EXIT_OK) {
            print_diags(stdout, d);        /* warnings */
            print_checklist(stdout, ex, &st);
            print_summary(stdout, ex, &st, true);
        } else if (rc == KSC_EXIT_BAD_INPUT) {
            print_diags(stdout, d);
            if (ksc_exercise_runs(ex))
                fprintf(stdout,
                        "\nThat did not load (above). Fix it and save again; the last good "
                        "result still stands: %zu of %zu goals met.\n",
                        ksc_exercise_met_count(ex), ksc_exercise_goal_count(ex));
            else
                fprintf(stdout, "\nThat did not load (above). Fix it and save again.\n");
        } else {
            fprintf(stdout, "The run failed (above); save again to retry.\n");
        }
        if (o->json)
            ksc_exercise_write_json(ex, rc == KSC_EXIT_BAD_INPUT ? d : NULL, o->json);
    }
    ksc_watch_destroy(w);
    fprintf(stdout, "\n%s\n", ksc_exercise_passed(ex) ? "Stopped. All goals met -- well done."
                                                       : "Stopped.");
    fflush(stdout);
    return ksc_exercise_passed(ex) ? KSC_EXIT_OK : KSC_EXIT_FAILED;
}

/* ---- the command ------------------------------------------------------------------------ */
static int usage(const char *msg, const char *arg)
{
    fprintf(stderr, "kubesim exercise: error: ");
    fprintf(stderr, msg, arg);
    fprintf(stderr, "\nTry 'kubesim exercise --help'.\n");
    return KSC_EXIT_BAD_INPUT;
}

int ksc_cmd_exercise(ksc_options *o)
{
    ks_arena *ar = NULL;
    ks_diags *d = NULL;
    const ks_catalog *cat;
    ksc_exercise *ex = NULL;
    char why[1200], *file = NULL;
    style st;
    int rc;

    if (o->npaths != 1)
        return usage("%s", o->npaths ? "give one exercise folder"
                                     : "give the exercise folder, e.g. "
                                       "scenarios/exercises/01-keep-postgres-data");
    if (o->until_set)
        return usage("%s", "--until does not apply: an exercise runs for its own duration");
    if (o->junit || o->nfiles || o->jobs || o->update_fingerprints || o->quiet
        || o->speed != 1.0 || o->record_dir || o->gif)
        return usage("%s", "only --headless, --json FILE, --seed N, --screenshot T:FILE, "
                           "--size WxH and --scale X apply to exercises");
    if (!(file = ksc_exercise_find(o->paths[0], why, sizeof why))) {
        fprintf(stderr, "kubesim exercise: error: %s\n", why);
        return KSC_EXIT_BAD_INPUT;
    }
    ar = ks_arena_create(NULL);
    d = malloc(sizeof *d);
    if (!ar || !d) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        rc = KSC_EXIT_INTERNAL;
        goto out;
    }
    if ((rc = ksc_load_catalog(ar, &cat)) != KSC_EXIT_OK)
        goto out;
    if (!(ex = ksc_exercise_create(file, cat, o))) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        rc = KSC_EXIT_INTERNAL;
        goto out;
    }
    st = make_style(stdout);
    rc = ksc_exercise_run(ex, d);
    if (o->headless && o->nshots && rc == KSC_EXIT_OK) {
        int frc = ksc_exercise_window(ex, cat, o);   /* the frames asked for, headless */
        if (frc > 0) {
            rc = frc;
            goto out;
        }
    }
    if (o->headless) {
        print_diags(stderr, d);
        if (rc == KSC_EXIT_OK) {
            print_header(stdout, ex, &st);
            print_checklist(stdout, ex, &st);
            print_summary(stdout, ex, &st, false);
            rc = ksc_exercise_passed(ex) ? KSC_EXIT_OK : KSC_EXIT_FAILED;
        }
        if (o->json && rc != KSC_EXIT_INTERNAL
            && ksc_exercise_write_json(ex, rc == KSC_EXIT_BAD_INPUT ? d : NULL, o->json) != 0)
            rc = KSC_EXIT_BAD_INPUT;
        goto out;
    }
    /* with a display, the exercise plays in the window, its goals in a
     * panel; without one, the terminal's watch loop */
    if (rc == KSC_EXIT_OK) {
        int wrc = ksc_exercise_window(ex, cat, o);
        if (wrc >= 0) {
            rc = wrc;
            goto out;
        }
    }
    if (rc == KSC_EXIT_OK) {
        print_diags(stdout, d);
        print_header(stdout, ex, &st);
        print_task(stdout, file);
        print_checklist(stdout, ex, &st);
        print_summary(stdout, ex, &st, true);
    } else if (rc == KSC_EXIT_BAD_INPUT) {
        fprintf(stdout, "%sexercise: %s%s\n", st.bold, file, st.off);
        print_diags(stdout, d);
        fprintf(stdout, "\nThat did not load (above). Fix it and save: it runs again.\n");
    } else {
        goto out;
    }
    if (o->json)
        ksc_exercise_write_json(ex, rc == KSC_EXIT_BAD_INPUT ? d : NULL, o->json);
    rc = watch_loop(ex, d, o, rc);
out:
    ksc_exercise_destroy(ex);
    free(file);
    free(d);
    ks_arena_destroy(ar);
    return rc;
}
