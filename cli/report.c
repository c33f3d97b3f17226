/* report.c -- human log and JSON Lines writers (trace subscribers). */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/ks_trace.h"

/* Formats into a stack buffer, or a heap one for the rare long line. */
static void write_line(FILE *f, bool *io_error, const ks_trace_event *ev,
                       size_t (*fmt)(const ks_trace_event *, char *, size_t))
{
    char stack[1024], *buf = stack;
    size_t need = fmt(ev, stack, sizeof stack);
    if (need >= sizeof stack) {
        buf = malloc(need + 1);
        if (!buf) {
            *io_error = true;
            return;
        }
        fmt(ev, buf, need + 1);
    }
    if (fputs(buf, f) == EOF || fputc('\n', f) == EOF)
        *io_error = true;
    if (buf != stack)
        free(buf);
}

void ksc_report_event(void *ud, const ks_trace_event *ev)
{
    ksc_report *r = ud;
    if (r->json)
        write_line(r->json, &r->io_error, ev, ks_trace_format_json);
    /* requests and record writes are too many to read one by one: the
     * human log leaves them out (the JSON has them; the outcome table and
     * the requests table count them) */
    if (r->log && ev->type != KS_TR_HOP && ev->type != KS_TR_REQUEST
        && !(ev->type == KS_TR_RECORDS && ev->reason && strcmp(ev->reason, "Written") == 0))
        write_line(r->log, &r->io_error, ev, ks_trace_format_text);
}

int ksc_report_start(ksc_report *r, FILE *log, const char *json_path)
{
    memset(r, 0, sizeof *r);
    r->log = log;
    if (json_path) {
        r->json = fopen(json_path, "w");
        if (!r->json) {
            fprintf(stderr, "kubesim: error: cannot write %s: %s\n", json_path,
                    strerror(errno));
            return -1;
        }
    }
    return 0;
}

int ksc_report_end(ksc_report *r, const char *json_path)
{
    if (r->json && fclose(r->json) != 0)
        r->io_error = true;
    r->json = NULL;
    if (r->log && fflush(r->log) != 0)
        r->io_error = true;
    if (r->io_error) {
        fprintf(stderr, "kubesim: error: writing %s failed\n",
                json_path ? json_path : "the log");
        return -1;
    }
    return 0;
}

int ksc_report_open(ksc_report *r, ks_sim *sim, FILE *log, const char *json_path)
{
    if (ksc_report_start(r, log, json_path) != 0)
        return -1;
    if (ks_trace_subscribe(sim, ksc_report_event, r) != 0) {
        fprintf(stderr, "kubesim: internal error: too many trace subscribers\n");
        return -1;
    }
    return 0;
}

int ksc_report_close(ksc_report *r, ks_sim *sim, const char *json_path)
{
    ks_trace_unsubscribe(sim, ksc_report_event, r);
    return ksc_report_end(r, json_path);
}
