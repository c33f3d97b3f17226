/* cmd_shell.c -- `kubesim shell SCENARIO`: kubectl at a prompt, against a
 * running simulation whose clock moves only when the learner says so.
 *
 * The scenario is run to 0s (its manifests applied); then each line read
 * is a shell word (advance, run until, watch, time, help, exit) or a
 * kubectl command line, run by ks_kubectl_run at the sim's current time
 * and printed exactly as kubectl would print it. Moving the clock prints,
 * briefly, what happened meanwhile: captions, Kubernetes events, timeline
 * commands, scenario actions, expectation results, a request count.
 * At a terminal: a prompt with the clock, and libedit (BSD licensed, its
 * readline interface; when built with it: KSC_HAVE_EDITLINE) for editing,
 * history and Tab completion
 * (shell_complete.c). Otherwise lines are read plainly and nothing but the
 * outputs is printed, so scripts can drive it.
 * Exit status: that of the last command (0 after exit, EOF or a success;
 * 1 when it failed); 2 when the scenario does not load.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "kubectl/ks_kubectl.h"
#include "run/ks_runner.h"
#include "load/ks_scenario.h"
#include "core/ks_strbuf.h"
#include "commands.h"
#include "exercise.h"
#include "runcli.h"
#include "shell.h"

#ifdef KSC_HAVE_EDITLINE
#include <editline/readline.h>
#endif

#define NEWS_MAX_LINES 40              /* "briefly": more are counted, not shown */
#define WATCH_TIMES 5                  /* watch without a terminal */
#define WATCH_MAX_TIMES 150            /* watch at a terminal, until Enter */
#define WATCH_WALL_MS 1000             /* at a terminal: wall time between two */
#define ADVANCE_CHUNK (1 * KS_SEC)     /* Ctrl-C is noticed this often */

typedef struct shell {
    ks_run *run;
    ks_sim *sim;
    const ks_scenario *sc;
    bool tty;                          /* a person at a terminal */
    bool collecting;                   /* the clock is moving: keep the news */
    ks_strbuf news;
    size_t nnews, dropped;
    uint64_t requests, requests_ok;
    int last_rc;
} shell;

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* ---- what happened while the clock moved ------------------------------------------------ */
/* Whether an event is about the cluster's own add-ons (ingress-nginx,
 * kube-system) rather than the learner's objects: `kubectl get events`
 * leaves those out too, as they live in other namespaces. */
static bool system_event(const shell *sh, const ks_trace_event *ev)
{
    int k;
    size_t i;
    if (ev->type != KS_TR_EVENT || !ev->kind || !ev->name)
        return false;
    for (k = 0; k < KS_KIND_COUNT; k++) {
        if (strcmp(ks_kind_name((ks_kind)k), ev->kind) != 0)
            continue;
        if (ks_cluster_find(sh->sim, (ks_kind)k, "default", ev->name))
            return false;
        for (i = 0; i < KS_CLUSTER_ADDON_NAMESPACES; i++)
            if (ks_cluster_find(sh->sim, (ks_kind)k, ks_cluster_addon_namespaces[i], ev->name))
                return true;
        return false;
    }
    return false;
}

static void on_trace(void *ud, const ks_trace_event *ev)
{
    shell *sh = ud;
    char buf[1024];
    if (!sh->collecting)
        return;
    switch (ev->type) {
    case KS_TR_REQUEST:
        sh->requests++;
        sh->requests_ok += ev->n[1] >= 200 && ev->n[1] < 300;
        return;
    case KS_TR_CAPTION:
    case KS_TR_EVENT:
    case KS_TR_KUBECTL:
    case KS_TR_ACTION:
    case KS_TR_EXPECT:
        break;
    default:
        return;
    }
    if (system_event(sh, ev))
        return;
    if (sh->nnews >= NEWS_MAX_LINES) {
        sh->dropped++;
        return;
    }
    ks_trace_format_text(ev, buf, sizeof buf);
    ks_strbuf_printf(&sh->news, "%s\n", buf);
    sh->nnews++;
}

static void news_start(shell *sh)
{
    ks_strbuf_clear(&sh->news);
    sh->nnews = sh->dropped = 0;
    sh->requests = sh->requests_ok = 0;
    sh->collecting = true;
}

static void news_print(shell *sh)
{
    char now[32];
    sh->collecting = false;
    fputs(ks_strbuf_str(&sh->news), stdout);
    if (sh->dropped)
        printf("  ... and %zu more (kubectl get events lists the cluster's events)\n",
               sh->dropped);
    if (sh->requests)
        printf("  requests answered: %llu, %llu of them 2xx\n",
               (unsigned long long)sh->requests, (unsigned long long)sh->requests_ok);
    if (!sh->nnews && !sh->dropped && !sh->requests)
        printf("  (nothing happened)\n");
    ks_duration_format(ks_now(sh->sim), now, sizeof now);
    printf("now %s\n", now);
}

/* Runs the clock to t (clamped to the run's end) in steps, so Ctrl-C stops it. */
static void advance_to(shell *sh, ks_time t)
{
    ks_time end = ks_run_end(sh->run);
    if (t > end) {
        char e[32];
        ks_duration_format(end, e, sizeof e);
        printf("(the simulation ends at %s; it stops there)\n", e);
        t = end;
    }
    news_start(sh);
    interrupted = 0;
    while (ks_now(sh->sim) < t && !interrupted && !ks_run_done(sh->run)) {
        ks_time step = ks_now(sh->sim) + ADVANCE_CHUNK;
        ks_run_advance(sh->run, step < t ? step : t);
        if (ks_sim_status(sh->sim) != KS_OK)
            break;
    }
    if (interrupted)
        printf("(interrupted)\n");
    news_print(sh);
    if (ks_sim_status(sh->sim) != KS_OK)
        printf("kubesim: internal error: the simulation failed (%s)\n",
               ks_error_code_name(ks_sim_status(sh->sim)));
}

/* ---- commands ------------------------------------------------------------------------------ */
static int kubectl(shell *sh, const char *line)
{
    ks_strbuf out;
    int rc;
    ks_strbuf_init(&out, NULL);
    rc = ks_kubectl_run(sh->sim, line, NULL, &out);
    fputs(ks_strbuf_str(&out), stdout);
    if (out.len && out.buf[out.len - 1] != '\n')
        fputc('\n', stdout);
    ks_strbuf_fini(&out);
    return rc;
}

static void help(void)
{
    fputs("kubesim shell: kubectl against a simulated cluster. The clock stands still\n"
          "until you move it:\n"
          "  advance DURATION      run the simulation forward, e.g. advance 30s, advance 2m\n"
          "  run until TIME        run to a simulated time, e.g. run until 2m (or: end)\n"
          "  watch [-n DUR] CMD    CMD every 2s (or DUR) of simulated time, 5 times;\n"
          "                        at a terminal, until you press Enter\n"
          "  time                  the simulated clock\n"
          "  help                  this help (kubectl help: the kubectl commands)\n"
          "  exit, quit            leave (Ctrl-D too)\n"
          "Anything else is a kubectl command line, with or without `kubectl`:\n"
          "  get pods, get deploy,svc, describe pod NAME, logs NAME, get events,\n"
          "  scale deployment NAME --replicas=3, delete pod NAME, apply -f FILE,\n"
          "  rollout restart deployment NAME, set image deployment/NAME C=IMAGE\n",
          stdout);
#ifdef KSC_HAVE_EDITLINE
    fputs("Tab completes commands, resource types and object names.\n", stdout);
#endif
}

/* Whether Enter (or Ctrl-C) came within ms; drains what was typed. */
static bool key_within(int ms)
{
    struct pollfd p = {0, POLLIN, 0};
    if (poll(&p, 1, ms) > 0) {
        char buf[256];
        /* read(2), not stdio: what stdio buffered, libedit would not see */
        ssize_t n = read(0, buf, sizeof buf);
        (void)n;
        return true;
    }
    return interrupted != 0;
}

static int watch(shell *sh, char *args)
{
    ks_time every = 2 * KS_SEC;
    int i, times = sh->tty ? WATCH_MAX_TIMES : WATCH_TIMES, rc = 0;
    args += strspn(args, " \t");
    if (strncmp(args, "-n", 2) == 0 || strncmp(args, "--interval", 10) == 0) {
        char *v = args + (args[1] == 'n' ? 2 : 10), *end;
        v += strspn(v, " \t=");
        end = v + strcspn(v, " \t");
        if (*end)
            *end++ = '\0';
        if (ks_duration_parse(v, &every) != 0 || every <= 0) {
            /* watch takes seconds as a bare number too */
            char *e;
            double s = strtod(v, &e);
            if (e == v || *e || s <= 0 || s > 3600) {
                printf("watch: -n takes a duration, e.g. -n 5s\n");
                return 1;
            }
            every = (ks_time)(s * KS_SEC);
        }
        args = end + strspn(end, " \t");
    }
    if (!*args) {
        printf("usage: watch [-n DURATION] COMMAND, e.g. watch get pods\n");
        return 1;
    }
    if (sh->tty)
        printf("(Enter stops the watch)\n");
    interrupted = 0;
    for (i = 0; i < times; i++) {
        char now[32], ev[32];
        ks_duration_format(ks_now(sh->sim), now, sizeof now);
        ks_duration_format(every, ev, sizeof ev);
        printf("%sEvery %s: %s    (at %s)\n\n", i ? "\n" : "", ev, args, now);
        rc = kubectl(sh, args);
        fflush(stdout);
        if (i + 1 == times || ks_run_done(sh->run) || interrupted)
            break;
        if (sh->tty && key_within(WATCH_WALL_MS))
            break;
        ks_run_advance(sh->run, ks_now(sh->sim) + every);
        if (ks_sim_status(sh->sim) != KS_OK)
            break;
    }
    interrupted = 0;
    return rc;
}

/* Runs one line; returns false for exit. */
static bool run_line(shell *sh, char *line)
{
    char *p = line + strspn(line, " \t"), *end = p + strlen(p);
    char word[32];
    size_t wl;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
        *--end = '\0';
    if (!*p || *p == '#')
        return true;
    wl = strcspn(p, " \t");
    snprintf(word, sizeof word, "%.*s", (int)(wl < sizeof word ? wl : sizeof word - 1), p);
    if (strcmp(word, "exit") == 0 || strcmp(word, "quit") == 0) {
        sh->last_rc = 0;
        return false;
    }
    if (strcmp(word, "help") == 0 || strcmp(word, "?") == 0) {
        help();
        sh->last_rc = 0;
    } else if (strcmp(word, "time") == 0) {
        char now[32];
        ks_duration_format(ks_now(sh->sim), now, sizeof now);
        printf("%s (simulated)\n", now);
        sh->last_rc = 0;
    } else if (strcmp(word, "advance") == 0) {
        char *arg = p + wl + strspn(p + wl, " \t");
        ks_time d;
        if (ks_duration_parse(arg, &d) != 0) {
            printf("usage: advance DURATION, e.g. advance 30s or advance 2m\n");
            sh->last_rc = 1;
        } else {
            advance_to(sh, ks_now(sh->sim) + d);
            sh->last_rc = 0;
        }
    } else if (strcmp(word, "run") == 0 && strncmp(p + wl + strspn(p + wl, " \t"), "until", 5) == 0) {
        char *arg = p + wl + strspn(p + wl, " \t") + 5;
        ks_time t;
        arg += strspn(arg, " \t");
        if (strcmp(arg, "end") == 0)
            t = sh->sc->duration;
        else if (ks_duration_parse(arg, &t) != 0) {
            printf("usage: run until TIME, e.g. run until 2m (or: run until end)\n");
            sh->last_rc = 1;
            return true;
        }
        if (t < ks_now(sh->sim)) {
            char now[32];
            ks_duration_format(ks_now(sh->sim), now, sizeof now);
            printf("the clock is already at %s; it only moves forward\n", now);
            sh->last_rc = 1;
        } else {
            advance_to(sh, t);
            sh->last_rc = 0;
        }
    } else if (strcmp(word, "watch") == 0) {
        sh->last_rc = watch(sh, p + wl);
    } else {
        sh->last_rc = kubectl(sh, p);
    }
    fflush(stdout);
    return true;
}

/* ---- reading lines ----------------------------------------------------------------------- */
#ifdef KSC_HAVE_EDITLINE
static shell *complete_shell;          /* libedit's callbacks take no user data */
static char **complete_words;
static size_t complete_next;

static char *complete_gen(const char *text, int state)
{
    (void)text;
    if (!state)
        complete_next = 0;
    if (!complete_words || !complete_words[complete_next])
        return NULL;
    return strdup(complete_words[complete_next++]);
}

static char **complete(const char *text, int start, int end)
{
    bool files;
    char **m;
    (void)end;
    ksc_shell_words_free(complete_words);
    complete_words = ksc_shell_complete(complete_shell->sim, rl_line_buffer, start, text, &files);
    rl_attempted_completion_over = !files;        /* files: libedit's own completion */
    if (files)
        return NULL;
    rl_completion_append_character = ' ';
    if (complete_words && complete_words[0] && !complete_words[1]) {
        size_t n = strlen(complete_words[0]);
        if (n && (complete_words[0][n - 1] == '=' || complete_words[0][n - 1] == '/'))
            rl_completion_append_character = '\0';
    }
    m = rl_completion_matches(text, complete_gen);
    return m;
}
#endif

/* The next line (malloc'd, without its newline), or NULL at the end. */
static char *read_line(shell *sh)
{
    char prompt[64], now[32], *line = NULL;
    size_t cap = 0;
    ssize_t n;
    ks_duration_format(ks_now(sh->sim), now, sizeof now);
    snprintf(prompt, sizeof prompt, "kubesim %s> ", now);
#ifdef KSC_HAVE_EDITLINE
    if (sh->tty) {
        /* Ctrl-C at the prompt: libedit's read fails (EINTR, our handler has
           no SA_RESTART) and the line is dropped; a new prompt, as a shell */
        interrupted = 0;
        while ((line = readline(prompt)) == NULL && interrupted) {
            interrupted = 0;
            fputc('\n', stdout);
        }
        if (line && line[strspn(line, " \t")])
            add_history(line);
        return line;
    }
#endif
    for (;;) {
        if (sh->tty) {
            fputs(prompt, stdout);
            fflush(stdout);
        }
        interrupted = 0;
        errno = 0;
        n = getline(&line, &cap, stdin);
        if (n >= 0)
            break;
        if (sh->tty && errno == EINTR) {       /* Ctrl-C: a new prompt */
            clearerr(stdin);
            fputc('\n', stdout);
            continue;
        }
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

/* ---- the command ------------------------------------------------------------------------ */
int ksc_cmd_shell(ksc_options *o)
{
    ks_arena *ar = NULL;
    ks_diags *d = NULL;
    const ks_catalog *cat;
    ks_scenario *sc;
    ks_run_options ro;
    shell sh;
    struct sigaction sa, old_sa;
    bool sa_set = false;
    char *line, *file = NULL, why[1200];
    int rc;

    memset(&sh, 0, sizeof sh);
    ks_strbuf_init(&sh.news, NULL);
    if (o->npaths != 1) {
        fprintf(stderr, "kubesim shell: error: give %s\nTry 'kubesim shell --help'.\n",
                o->npaths ? "one scenario file" : "the scenario file to start");
        return KSC_EXIT_BAD_INPUT;
    }
    if (o->headless || o->json || o->junit || o->nfiles || o->jobs || o->update_fingerprints
        || o->quiet || o->speed != 1.0) {
        fprintf(stderr, "kubesim shell: error: only --seed N and --until T apply to the "
                        "shell\nTry 'kubesim shell --help'.\n");
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
    ks_diags_init(d);
    /* an exercise folder works too: its exercise.yaml */
    if (!(file = ksc_exercise_find(o->paths[0], why, sizeof why))) {
        fprintf(stderr, "kubesim shell: error: %s\n", why);
        rc = KSC_EXIT_BAD_INPUT;
        goto out;
    }
    if (ks_scenario_load_file(ar, file, &sc, d) != KS_OK) {
        ksc_print_diags(d);
        rc = ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
        goto out;
    }
    memset(&ro, 0, sizeof ro);
    ro.seed = o->seed;
    ro.seed_set = o->seed_set;
    /* the learner decides how far to go: the timeline and its traffic run as
     * far as the scenario says, the clock as far as --until (or a month) */
    ro.until = o->until_set ? o->until : KS_SCENARIO_MAX_DURATION;
    ro.until_set = true;
    ro.no_fingerprint = true;
    ro.trace = on_trace;
    ro.trace_ud = &sh;
    sh.sc = sc;
    sh.tty = isatty(0) && isatty(1);
    sh.run = ks_run_create(sc, cat, &ro, d);
    ksc_print_diags(d);
    if (!sh.run) {
        rc = ks_diag_first_code(d) == KS_ENOMEM ? KSC_EXIT_INTERNAL : KSC_EXIT_BAD_INPUT;
        goto out;
    }
    sh.sim = ks_run_sim(sh.run);
    news_start(&sh);
    ks_run_advance(sh.run, 0);                  /* the manifests, applied */
    sh.collecting = false;
    if (sh.tty) {
        char dur[32];
        ks_duration_format(sc->duration, dur, sizeof dur);
        printf("kubesim shell: %s   seed=0x%llx\n", sc->title ? sc->title : sc->name,
               (unsigned long long)ks_sim_seed(sh.sim));
        printf("The manifests are applied; the clock stands at 0s until you move it\n"
               "(advance 30s). The scenario's timeline runs to %s. Type help.\n\n", dur);
        news_print(&sh);
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;              /* no SA_RESTART: reads wake up */
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_sa);
        sa_set = true;
#ifdef KSC_HAVE_EDITLINE
        complete_shell = &sh;
        rl_readline_name = "kubesim";
        rl_attempted_completion_function = complete;
        rl_catch_signals = 0;                   /* Ctrl-C is ours (on_sigint) */
        rl_completer_word_break_characters = (char *)" \t";
#endif
    }
    fflush(stdout);
    while ((line = read_line(&sh)) != NULL) {
        bool go_on = run_line(&sh, line);
        free(line);
        if (!go_on)
            break;
    }
    if (!line && sh.tty)
        fputc('\n', stdout);                    /* after Ctrl-D, the terminal's line */
    rc = ks_sim_status(sh.sim) != KS_OK ? KSC_EXIT_INTERNAL
         : sh.last_rc ? KSC_EXIT_FAILED : KSC_EXIT_OK;
    rc = ksc_input_verdict(d, rc);
out:
    if (sa_set)
        sigaction(SIGINT, &old_sa, NULL);
#ifdef KSC_HAVE_EDITLINE
    ksc_shell_words_free(complete_words);
    complete_words = NULL;
#endif
    ks_run_destroy(sh.run);
    ks_strbuf_fini(&sh.news);
    free(file);
    free(d);
    ks_arena_destroy(ar);
    fflush(stdout);
    return rc;
}
