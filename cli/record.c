/* record.c -- `kubesim serve --record FILE`: the session as a scenario. */
#include <stdio.h>

#include "commands.h"
#include "serve.h"

int ksc_record_write(const char *path, const ksc_served *s, ks_run *run, const ksv_api *api)
{
    (void)s, (void)run, (void)api;
    fprintf(stderr, "kubesim serve: --record %s: not written yet\n", path);
    return KSC_EXIT_INTERNAL;
}
