/* report.h -- trace subscribers of the command line: the human event log on
 * stdout and the JSON Lines file (--json). */
#ifndef KSC_REPORT_H
#define KSC_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/ks_sim.h"
#include "core/ks_trace.h"

typedef struct ksc_report {
    FILE *log;          /* human log, or NULL */
    FILE *json;         /* JSON Lines, or NULL */
    bool io_error;      /* a write failed */
} ksc_report;

/* Opens json_path (may be NULL) without subscribing: pass ksc_report_event
 * and r as a subscriber yourself (e.g. in ks_run_options). log may be NULL
 * (quiet). Returns 0, or -1 with a message on stderr. */
int ksc_report_start(ksc_report *r, FILE *log, const char *json_path);
/* The subscriber: writes ev to the log and the JSON file. */
void ksc_report_event(void *ud, const ks_trace_event *ev);
/* Flushes and closes what ksc_report_start opened. Returns 0, or -1 when
 * a write failed (message on stderr). */
int ksc_report_end(ksc_report *r, const char *json_path);

/* Opens json_path (may be NULL) and subscribes to sim's trace. log may be
 * NULL (quiet). Returns 0, or -1 with a message on stderr. */
int ksc_report_open(ksc_report *r, ks_sim *sim, FILE *log, const char *json_path);
/* Unsubscribes, flushes and closes the JSON file. Returns 0, or -1 when a
 * write failed (message on stderr). */
int ksc_report_close(ksc_report *r, ks_sim *sim, const char *json_path);

#endif
