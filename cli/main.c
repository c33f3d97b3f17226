/* main.c -- `kubesim`: command dispatch, help texts, exit codes.
 *
 * Initialization / run / report, kept thin: the simulation lives in sim/,
 * the window in render/ (only when built with KUBESIM_GUI).
 */
#include <stdio.h>
#include <string.h>

#include "../sim/ks_event.h"
#include "../sim/ks_sim.h"
#include "../sim/ks_trace.h"
#include "commands.h"
#include "demo.h"
#include "options.h"
#include "report.h"
#include "version.h"

#ifdef KUBESIM_GUI
#include "../render/kr_display.h"
#endif

typedef struct command {
    const char *name;
    const char *usage;
    const char *summary;
    const char *help;          /* the body of `kubesim NAME --help` */
    int (*run)(ksc_options *o);
    const char *not_yet;       /* non-NULL: not built yet, say this */
} command;

static int cmd_default(ksc_options *o);

static const command commands[] = {
    {"run", "kubesim run SCENARIO [--headless] [--seed N] [--until T] [--json FILE] [-q]",
     "play a scenario in the window (--headless: print the log and outcomes)",
     "Plays SCENARIO (a kind: Scenario file): its manifests are applied at 0s,\n"
     "then its timeline runs and its expectations are checked.\n"
     "  --headless    no window: print the event log and the outcome table\n"
     "  --seed N      random seed (default: the scenario's spec.seed)\n"
     "  --until T     stop at simulated time T (e.g. 90s, 5m)\n"
     "  --speed X     window playback speed, 0.25 to 64\n"
     "  --json FILE   write every trace event to FILE as JSON Lines\n"
     "  -q            print only the outcome table\n",
     NULL, "loading scenario files arrives with the loader (issue #3)"},
    {"test", "kubesim test PATH... [--junit FILE]",
     "run scenarios headless and check their expectations",
     "Runs every scenario in the files and folders given, headless and in\n"
     "parallel, and checks each one's `expect:` list. The last line is\n"
     "'N passed, N failed'.\n"
     "  --junit FILE  also write a JUnit XML report\n",
     NULL, "the scenario runner arrives with issue #7"},
    {"check", "kubesim check PATH...",
     "validate scenarios and manifests; every problem as file:line:col",
     "Loads the scenarios and Kubernetes manifests given (files or folders)\n"
     "without running them, and prints every problem as file:line:col: error,\n"
     "then a one-line summary. Exit 0 when clean (warnings allowed), 2 otherwise.\n"
     "  -q            only the messages, no summary\n",
     ksc_cmd_check, NULL},
    {"apply", "kubesim apply -f DIR [--headless --until T]",
     "the manifests alone, on a default cluster with default traffic",
     "Applies the manifests in DIR to a default cluster (one node, a default\n"
     "StorageClass, ingress-nginx) and sends default traffic to every Ingress\n"
     "and NodePort.\n",
     NULL, "the sandbox arrives with issue #7"},
    {"shell", "kubesim shell SCENARIO",
     "a terminal prompt taking kubectl commands against a running simulation",
     "Starts SCENARIO and reads kubectl commands from the terminal.\n",
     NULL, "the shell arrives with issue #9"},
    {"exercise", "kubesim exercise DIR [--headless] [--json FILE]",
     "exercise mode: re-runs on save, shows goals met and hints",
     "Runs the exercise in DIR, watches its manifests and re-runs on save.\n",
     NULL, "exercise mode arrives with issue #9"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *f)
{
    size_t i;
    fprintf(f,
            "kubesim %s -- a simulated Kubernetes cluster for teaching\n\n"
            "usage: kubesim [--headless] [--seed N] [--until T] [--json FILE] [-q]\n"
            "       kubesim COMMAND [ARGS] [--help]\n\n"
            "With no command, plays the built-in demo (in the window when there is\n"
            "a display; otherwise headless, with a summary).\n\ncommands:\n",
            KUBESIM_VERSION);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\ncommon options: --seed N, --until T, --speed X, --json FILE, -q, --help\n"
            "exit codes: 0 all expectations held, 1 some failed, 2 bad input,\n"
            "            3 internal error\n");
}

static int not_built(const command *c)
{
    fprintf(stderr, "kubesim %s: not built yet: %s.\n", c->name, c->not_yet);
    return KSC_EXIT_BAD_INPUT;
}

/* ---- the default command: the built-in demo ----------------------------- */
static int cmd_default(ksc_options *o)
{
    ks_sim_config cfg = {0};
    ksc_report rep;
    ksc_demo demo;
    ks_sim *sim;
    ks_time until = o->until_set ? o->until : 5 * KS_MIN;
    char until_s[32];
    int rc = KSC_EXIT_OK;

    if (o->npaths) {
        fprintf(stderr, "kubesim: error: unexpected argument '%s'\n"
                        "Try 'kubesim --help'.\n", o->paths[0]);
        return KSC_EXIT_BAD_INPUT;
    }
#ifdef KUBESIM_GUI
    if (!o->headless) {
        char why[256];
        if (kr_display_available(why, sizeof why))
            fprintf(stderr, "kubesim: the window is not built yet (issue #8); "
                            "running headless.\n");
        else
            fprintf(stderr, "kubesim: %s; running headless.\n", why);
    }
#else
    if (!o->headless)
        fprintf(stderr, "kubesim: built without the window (KUBESIM_GUI=OFF); "
                        "running headless.\n");
#endif
    cfg.seed = o->seed_set ? o->seed : 1;
    sim = ks_sim_create(&cfg);
    if (!sim) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        return KSC_EXIT_INTERNAL;
    }
    if (ksc_report_open(&rep, sim, o->quiet ? NULL : stdout, o->json) != 0) {
        ks_sim_destroy(sim);
        return KSC_EXIT_BAD_INPUT;
    }
    if (!o->quiet)
        printf("kubesim demo: crash loop back-off   seed=0x%llx\n",
               (unsigned long long)cfg.seed);
    ksc_demo_start(sim, &demo);
    ks_run_until(sim, until);
    if (ks_sim_status(sim) != 0) {
        fprintf(stderr, "kubesim: internal error: the simulation failed\n");
        rc = KSC_EXIT_INTERNAL;
    }
    if (ksc_report_close(&rep, sim, o->json) != 0 && rc == KSC_EXIT_OK)
        rc = KSC_EXIT_INTERNAL;
    ks_duration_format(until, until_s, sizeof until_s);
    printf("\nsummary at %s: pod/demo-crash %s, %d restarts, %llu events\n",
           until_s, demo.status, demo.restarts,
           (unsigned long long)ks_event_dispatched(sim));
    ks_sim_destroy(sim);
    return rc;
}

int main(int argc, char **argv)
{
    ksc_options o;
    const command *c = NULL;
    int first = 1;
    size_t i;

    memset(&o, 0, sizeof o);
    if (argc > 1 && argv[1][0] != '-') {
        for (i = 0; i < NCOMMANDS; i++)
            if (strcmp(argv[1], commands[i].name) == 0)
                c = &commands[i];
        if (!c) {
            fprintf(stderr, "kubesim: error: unknown command '%s'\n"
                            "Try 'kubesim --help' for the list of commands.\n",
                    argv[1]);
            return KSC_EXIT_BAD_INPUT;
        }
        o.command = c->name;
        first = 2;
    } else if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("kubesim %s\n", KUBESIM_VERSION);
        return KSC_EXIT_OK;
    }
    if (ksc_parse_options(&o, argc, argv, first) != 0)
        return KSC_EXIT_BAD_INPUT;
    if (o.help) {
        if (c)
            printf("usage: %s\n\n%s", c->usage, c->help);
        else
            print_usage(stdout);
        return KSC_EXIT_OK;
    }
    if (!c)
        return cmd_default(&o);
    if (c->not_yet)
        return not_built(c);
    return c->run(&o);
}
