/* options.h -- the command line: common flags of every kubesim command. */
#ifndef KSC_OPTIONS_H
#define KSC_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ks_time.h"

#define KSC_MAX_PATHS 256

typedef struct ksc_options {
    const char *command;        /* "run", "test", ... or NULL for the default */
    const char *paths[KSC_MAX_PATHS];
    int npaths;
    uint64_t seed;
    bool seed_set;
    ks_time until;
    bool until_set;
    ks_time start;              /* --start T: the window opens at T (0) */
    double speed;
    const char *json;           /* --json FILE */
    const char *junit;          /* --junit FILE */
    const char *files[KSC_MAX_PATHS];   /* -f / --filename PATH (apply) */
    int nfiles;
    bool update_fingerprints;   /* test --update-fingerprints */
    int jobs;                   /* test -j N; 0: one per core */
    bool headless;
    const char *shots[16];      /* --screenshot T:FILE (repeatable) */
    int nshots;
    const char *record_dir;     /* --record DIR */
    const char *gif;            /* --gif FILE */
    double scale;               /* --scale X (0: 1) */
    int port;                   /* serve --port N (-1: not given) */
    const char *address;        /* serve --address ADDR */
    const char *kubeconfig;     /* serve --kubeconfig FILE */
    const char *log_requests;   /* serve --log-requests FILE ("-": stderr) */
    const char *cluster;        /* serve --cluster SCENARIO: its spec.cluster's shape */
    struct {                    /* verify's own options */
        const char *context;    /* --context NAME */
        const char *ns;         /* --namespace NS / -n NS */
        const char *kubectl;    /* --kubectl PATH */
        bool keep, allow_exec, allow_node_stop, observe_only, wall_clock;
        bool any;               /* one of them was given */
    } verify;
    bool paused;                /* serve --paused: the clock waits for PUT /kubesim/v1/clock */
    bool window;                /* serve --window: the window over the served cluster */
    int width, height;          /* --size WxH (0: the display's, or 1280x720
                                   for frames written without a window) */
    bool quiet;
    bool help;
} ksc_options;

/* Exit codes, as DESIGN.md states them. */
enum {
    KSC_EXIT_OK = 0,            /* all expectations held */
    KSC_EXIT_FAILED = 1,        /* some expectation failed */
    KSC_EXIT_BAD_INPUT = 2,     /* bad input or usage, with located messages */
    KSC_EXIT_INTERNAL = 3       /* a bug in kubesim */
};

/* Parses argv[first..argc) into o (o->command already set by the caller).
 * On a bad flag prints "kubesim CMD: error: ..." and returns -1. */
int ksc_parse_options(ksc_options *o, int argc, char **argv, int first);

#endif
