/* report.h -- trace subscribers of the command line: the human event log on
 * stdout and the JSON Lines file (--json). */
#ifndef KSC_REPORT_H
#define KSC_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../sim/ks_sim.h"

typedef struct ksc_report {
    FILE *log;          /* human log, or NULL */
    FILE *json;         /* JSON Lines, or NULL */
    bool io_error;      /* a write failed */
} ksc_report;

/* Opens json_path (may be NULL) and subscribes to sim's trace. log may be
 * NULL (quiet). Returns 0, or -1 with a message on stderr. */
int ksc_report_open(ksc_report *r, ks_sim *sim, FILE *log, const char *json_path);
/* Unsubscribes, flushes and closes the JSON file. Returns 0, or -1 when a
 * write failed (message on stderr). */
int ksc_report_close(ksc_report *r, ks_sim *sim, const char *json_path);

#endif
