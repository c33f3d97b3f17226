/* main.c -- `kubesim`: command dispatch, help texts, exit codes.
 *
 * Initialization / run / report, kept thin: the simulation lives in sim/,
 * the window in render/ (only when built with KUBESIM_GUI).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ks_event.h"
#include "core/ks_sim.h"
#include "core/ks_trace.h"
#include "load/ks_file.h"
#include "commands.h"
#include "exercise.h"
#include "options.h"
#include "report.h"
#include "runcli.h"
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
     "  --headless    no window: print the event log, then the outcome table\n"
     "  --seed N      random seed (default: the scenario's spec.seed)\n"
     "  --until T     end the run at simulated time T (e.g. 90s, 5m) instead of\n"
     "                spec.duration; `at: end` means T, later checks are skipped\n"
     "  --speed X     window playback speed, 0.25 to 64\n"
     "  --start T     the window opens at simulated time T (e.g. 45s)\n"
     "  --scale X     text and cards, 0.5 to 3 (HiDPI, projectors)\n"
     "  --size WxH    the window's size (default: the display's), and the\n"
     "                frames' (default 1280x720)\n"
     "  --screenshot T:FILE  the frame at simulated time T as PNG (repeatable;\n"
     "                works without a display too)\n"
     "  --record DIR  every frame (10 per simulated second) as PNG files\n"
     "  --gif FILE    the lesson as an animated GIF\n"
     "  --json FILE   write every trace event to FILE as JSON Lines\n"
     "  -q            print only the outcome table\n"
     "Exit 0 when every expectation held, 1 when one failed, 2 on bad input.\n",
     ksc_cmd_run, NULL},
    {"test", "kubesim test PATH... [--junit FILE] [--json FILE] [--update-fingerprints]",
     "run scenarios headless and check their expectations",
     "Runs every scenario in the files and folders given (folders are searched\n"
     "recursively for *.yaml files holding a kind: Scenario), headless and in\n"
     "parallel, and checks each one's `expect:` list and pinned `fingerprint:`\n"
     "(a hash of its whole trace). One line per scenario; the last line is\n"
     "'N passed, N failed'.\n"
     "  --junit FILE  also write a JUnit XML report\n"
     "  --json FILE   also write one JSON verdict per scenario (JSON Lines)\n"
     "  --update-fingerprints  write each scenario's fingerprint into its file\n"
     "  --seed N      run every scenario with seed N (fingerprints not compared)\n"
     "  --until T     end every run at T; checks after T are skipped\n"
     "  -j N          threads (default: one per core)\n"
     "  -q            print only the failures and the last line\n",
     ksc_cmd_test, NULL},
    {"check", "kubesim check PATH...",
     "validate scenarios and manifests; every problem as file:line:col",
     "Loads the scenarios and Kubernetes manifests given (files or folders)\n"
     "without running them, and prints every problem as file:line:col: error,\n"
     "then a one-line summary. A scenario is checked with the manifests it\n"
     "applies (spec.manifests and kubectl -f paths). Folders are read like\n"
     "kubectl reads them: their *.yaml, *.yml and *.json files, not subfolders.\n"
     "Exit 0 when clean (warnings allowed), 2 otherwise.\n"
     "  -q            only the messages, no summary\n",
     ksc_cmd_check, NULL},
    {"apply", "kubesim apply -f DIR [--headless --until T]",
     "the manifests alone, on a default cluster with default traffic",
     "Applies the manifests in DIR (or a file; -f may be repeated) at 0s to a\n"
     "default cluster (one node, as minikube makes it, with a default\n"
     "StorageClass) and sends GET / at 2 requests/s to every Ingress host and\n"
     "every NodePort and LoadBalancer Service.\n"
     "  --headless    no window: print the event log, then the pods and requests\n"
     "  --until T     how long to run (default 60s)\n"
     "  --seed N      random seed (default 1)\n"
     "  --json FILE   write every trace event to FILE as JSON Lines\n"
     "  -q            print only the summary\n",
     ksc_cmd_apply, NULL},
    {"shell", "kubesim shell SCENARIO [--seed N] [--until T]",
     "a terminal prompt taking kubectl commands against a running simulation",
     "Starts SCENARIO (a file, or an exercise folder: its manifests applied at\n"
     "0s; its timeline and traffic run as the clock moves) and reads commands:\n"
     "kubectl command lines, with or without the word kubectl, print exactly\n"
     "what kubectl would print.\n"
     "The simulated clock moves only when you say so:\n"
     "  advance 30s        run 30 s of simulated time; print what happened\n"
     "  run until 2m       run to 2m of simulated time\n"
     "  watch get pods     `get pods` every 2s of simulated time (5 times;\n"
     "                     at a terminal, until Enter)\n"
     "  time               the simulated clock\n"
     "  help, exit, quit   (or Ctrl-D)\n"
     "At a terminal: line editing, history and Tab completion of commands,\n"
     "resource types and object names (when built with libedit). With\n"
     "input from a pipe or file: no prompt, one output per line read.\n"
     "  --seed N      random seed (default: the scenario's spec.seed)\n"
     "  --until T     the clock cannot pass T (default: 31 days)\n"
     "Exit 0 at exit or end of input, 1 when the last command failed, 2 on\n"
     "bad input.\n",
     ksc_cmd_shell, NULL},
    {"serve", "kubesim serve [SCENARIO | -f DIR] [--port N] [--speed X] [--kubeconfig FILE] "
              "[--window]",
     "the simulated cluster behind the Kubernetes API, for your own kubectl",
     "Runs SCENARIO (a file or an exercise folder), or the manifests given with\n"
     "-f on a default cluster, or an empty default cluster, in simulated time\n"
     "paced to the wall clock, and serves the Kubernetes API on 127.0.0.1, so\n"
     "kubectl, client libraries and tools drive it. Writes a kubeconfig (context\n"
     "kubesim, a new random token each run) and prints the line to use it:\n"
     "  export KUBECONFIG=~/.kube/kubesim    # then: kubectl get pods\n"
     "The scenario's timeline, traffic and captions still run. What kubectl\n"
     "changes is applied at a simulated instant, as a timeline kubectl step.\n"
     "Ctrl-C stops it.\n"
     "  -f DIR            the manifests in DIR (or a file; repeatable) on a\n"
     "                    default cluster, instead of a scenario\n"
     "  --cluster FILE    the cluster (or -f manifests' cluster) shaped as FILE's\n"
     "                    spec.cluster: its nodes, addons and cni (what kubesim\n"
     "                    verify FILE expects of a real cluster), and its\n"
     "                    spec.clock (CronJobs' schedules)\n"
     "  --port N          the port (default 0: any free port; the kubeconfig says\n"
     "                    which)\n"
     "  --address ADDR    listen there instead of 127.0.0.1 (only when asked:\n"
     "                    anyone who has the token can then change the cluster)\n"
     "  --speed X         simulated seconds per wall second, 0.25 to 64 (default 1)\n"
     "  --kubeconfig FILE where to write the kubeconfig (default ~/.kube/kubesim)\n"
     "  --seed N          random seed (default: the scenario's spec.seed)\n"
     "  --until T         simulated time stops at T (default: 31 days)\n"
     "  --log-requests FILE  one line per request (- for stderr)\n"
     "  --paused          simulated time stands still until a client moves it\n"
     "                    (PUT /kubesim/v1/clock, docs/api-server.md)\n"
     "  --window          the window too (as kubesim run opens it) over the served\n"
     "                    cluster: its Space and - + are the API's clock (PUT\n"
     "                    /kubesim/v1/clock); closing it stops serve. With it:\n"
     "                    --size WxH, --scale X, --screenshot T:FILE\n"
     "  --record FILE     at the end, write the session as a scenario: FILE, the\n"
     "                    served one with each change as a timeline kubectl step\n"
     "                    (its objects in FILE's folder), which replays it byte\n"
     "                    for byte (its fingerprint pinned: kubesim test FILE)\n"
     "docs/api-server.md lists what is served and what is not.\n"
     "Exit 0 when stopped, 2 on bad input.\n",
     ksc_cmd_serve, NULL},
    {"verify", "kubesim verify SCENARIO... [--context NAME] [--kubeconfig FILE] [--namespace NS]",
     "run a scenario on a real cluster too, and compare, expectation by expectation",
     "Runs each SCENARIO twice: in kubesim, and on the cluster of a kubeconfig\n"
     "context through its API. On the cluster: a fresh namespace (deleted\n"
     "afterwards), the manifests applied, the timeline's kubectl steps run by\n"
     "your kubectl at their times, traffic sent through the API server's\n"
     "service proxy, each expectation observed at its time. The report puts\n"
     "kubesim's outcome and the cluster's side by side, differences first;\n"
     "what a cluster cannot show (records) is 'not compared', never passed.\n"
     "Against kubesim serve with its clock endpoint it steps the server's\n"
     "clock, so the comparison does not depend on the machine's speed.\n"
     "  --context NAME    the kubeconfig context (default: current-context)\n"
     "  --kubeconfig FILE the kubeconfig (default: $KUBECONFIG, ~/.kube/config)\n"
     "  --namespace NS    use NS as it is instead of a fresh namespace (also\n"
     "                    where verify goes when the server refuses to make one)\n"
     "  --keep            keep the namespace and what was applied\n"
     "  --allow-exec      exec into pods: crash is `kill 1` in the container, records are\n"
     "                    counted with the catalog's count command (psql, redis-cli)\n"
     "                    (default: crash deletes the pod; records not observable)\n"
     "  --allow-node-stop node fail/recover on a kind cluster: docker stop/start\n"
     "                    the node's container (default: skipped, with a note)\n"
     "  --kubectl PATH    the kubectl to run the timeline's steps (default: kubectl)\n"
     "  --speed X         on a real cluster, scenario seconds per wall second\n"
     "  --observe-only    the scenario already runs there (kubesim serve\n"
     "                    SCENARIO): apply nothing, run no step, only observe\n"
     "  --wall-clock      never step kubesim serve's clock\n"
     "  --junit FILE      a JUnit report (one testcase per expectation)\n"
     "  --json FILE       one JSON object per scenario\n"
     "  -q                only the report\n"
     "docs/real-cluster.md shows a session on minikube and kind.\n"
     "Exit 0 when every compared expectation agrees, 1 when one differs, 2 on\n"
     "bad input (or a cluster that cannot be reached), 3 on an internal error.\n",
#ifdef KUBESIM_VERIFY
     ksc_cmd_verify, NULL},
#else
     NULL, "this kubesim was built without verify/ (-DKUBESIM_VERIFY=OFF)"},
#endif
    {"exercise", "kubesim exercise DIR [--headless] [--json FILE] [--seed N]",
     "exercise mode: re-runs on save, shows goals met and hints",
     "Runs the exercise in DIR (its exercise.yaml, or the one Scenario file in\n"
     "it) and shows its goals as a checklist: [x] met, [ ] not yet, with why\n"
     "under each goal not met. With a display it plays in the window, the\n"
     "checklist in its Goals panel; without one, in the terminal. It watches\n"
     "the files the exercise reads (your k8s/ folder) and runs again each time\n"
     "you save one; a file that does not load shows where it is wrong, and the\n"
     "last good checklist stands. Hints come when you ask: H or a click in the\n"
     "window, Enter in the terminal; saving never reveals one. Ctrl-C quits.\n"
     "Example:\n"
     "  kubesim exercise scenarios/exercises/01-keep-postgres-data\n"
     "  (then edit scenarios/exercises/01-keep-postgres-data/k8s/postgres.yaml)\n"
     "  --headless    run once, print the checklist (with each unmet goal's\n"
     "                first hint) and exit: 0 when every goal is met, 1 when\n"
     "                not, 2 when something does not load\n"
     "  --json FILE   write the verdict for graders to FILE: {exercise, passed,\n"
     "                goals: [{id, title, met, expected, actual, why, hint}]}\n"
     "  --seed N      random seed (default: the exercise's spec.seed)\n"
     "  --screenshot T:FILE  the window's frame at simulated time T as PNG, the\n"
     "                goals panel included (repeatable; no display needed)\n"
     "  --size WxH    the window's size (default: the display's), and the\n"
     "                frames' (default 1280x720)\n"
     "  --scale X     text and cards, 0.5 to 3\n"
     "Set KUBESIM_WATCH_POLL=1 to poll the files instead of using inotify.\n",
     ksc_cmd_exercise, NULL},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *f)
{
    size_t i;
    fprintf(f,
            "kubesim %s -- a simulated Kubernetes cluster for teaching\n\n"
            "usage: kubesim [--headless] [--seed N] [--until T] [--json FILE] [-q]\n"
            "       kubesim COMMAND [ARGS] [--help]\n\n"
            "With no command, plays the flagship lesson (lesson 7: a claim keeps\n"
            "postgres' data) in the window, or headless when there is no display.\n\n"
            "commands:\n",
            KUBESIM_VERSION);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\ncommon options: --seed N, --until T, --speed X, --json FILE, -q, --help,\n"
            "                --version\n"
            "exit codes: 0 all expectations held, 1 some failed, 2 bad input,\n"
            "            3 internal error\n");
}

static int not_built(const command *c)
{
    fprintf(stderr, "kubesim %s: not built yet: %s.\n", c->name, c->not_yet);
    return KSC_EXIT_BAD_INPUT;
}

/* ---- the default command: the flagship lesson --------------------------- */
#ifndef KUBESIM_SCENARIOS_DIR
#define KUBESIM_SCENARIOS_DIR "scenarios"
#endif
#define FLAGSHIP "07-pvc-postgres.yaml"

/* `kubesim` alone plays lesson 7 (a claim keeps postgres' data), found in
 * $KUBESIM_SCENARIOS or the source tree's scenarios/, exactly as
 * `kubesim run` would: in the window, or headless with no display. */
static int cmd_default(ksc_options *o)
{
    static char path[4096];
    char dir[4000], why[512];
    if (o->npaths) {
        fprintf(stderr, "kubesim: error: unexpected argument '%s'; to play a scenario, use "
                        "kubesim run %s\nTry 'kubesim --help'.\n", o->paths[0], o->paths[0]);
        return KSC_EXIT_BAD_INPUT;
    }
    ksc_data_dir("scenarios", "KUBESIM_SCENARIOS", KUBESIM_SCENARIOS_DIR, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, FLAGSHIP);
    if (!ks_file_check(path, why, sizeof why)) {
        fprintf(stderr, "kubesim: error: the flagship lesson %s was not found (%s); set "
                        "KUBESIM_SCENARIOS to the folder of kubesim's scenarios\n", path, why);
        return KSC_EXIT_BAD_INPUT;
    }
    o->command = "run";
    o->paths[o->npaths++] = path;
    return ksc_cmd_run(o);
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
    if (strcmp(c->name, "verify") != 0 && o.verify.any) {
        fprintf(stderr, "kubesim %s: error: --context, --namespace, --keep, --allow-exec, --allow-node-stop, "
                        "--kubectl, --observe-only and --wall-clock are options of kubesim "
                        "verify\nTry 'kubesim %s --help'.\n", c->name, c->name);
        return KSC_EXIT_BAD_INPUT;
    }
    if (strcmp(c->name, "serve") != 0 && strcmp(c->name, "verify") != 0
        && (o.port >= 0 || o.address || o.kubeconfig || o.log_requests || o.paused
            || o.window)) {
        fprintf(stderr, "kubesim %s: error: --port, --address, --kubeconfig, --paused, "
                        "--window and --log-requests are options of kubesim serve\n"
                        "Try 'kubesim %s --help'.\n", c->name, c->name);
        return KSC_EXIT_BAD_INPUT;
    }
    if (strcmp(c->name, "serve") != 0 && o.cluster) {
        fprintf(stderr, "kubesim %s: error: --cluster is an option of kubesim serve\n"
                        "Try 'kubesim %s --help'.\n", c->name, c->name);
        return KSC_EXIT_BAD_INPUT;
    }
    return c->run(&o);
}
