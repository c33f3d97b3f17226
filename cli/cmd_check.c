/* cmd_check.c -- `kubesim check PATH...`: load scenarios and manifests
 * without running them and print every problem, gcc-style. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../sim/ks_manifest.h"
#include "commands.h"

static int by_place(const void *a, const void *b)
{
    const ks_error *x = &((const ks_diag_item *)a)->err, *y = &((const ks_diag_item *)b)->err;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->col < y->col ? -1 : (x->col > y->col);
}

/* Prints d's messages to stderr, in file and line order (a stable sort:
 * equal places keep the order they were found in). */
void ksc_print_diags(const ks_diags *d)
{
    ks_diag_item sorted[KS_DIAG_CAP];
    char buf[2048];
    int i, j;
    for (i = 0; i < d->n; i++) {
        /* insertion sort: stable, and n is at most KS_DIAG_CAP */
        for (j = i; j > 0 && by_place(&sorted[j - 1], &d->items[i]) > 0; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = d->items[i];
    }
    for (i = 0; i < d->n; i++) {
        ks_error_format(&sorted[i].err, sorted[i].sev == KS_SEV_ERROR ? "error" : "warning",
                        buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
    if (d->errors + d->warnings > d->n)
        fprintf(stderr, "kubesim: %d more messages not shown\n",
                d->errors + d->warnings - d->n);
}

int ksc_cmd_check(ksc_options *o)
{
    ks_arena *ar;
    ks_diags *d;
    ks_manifests m;
    int i, rc = KSC_EXIT_OK;
    if (o->npaths == 0) {
        fprintf(stderr, "kubesim check: error: give at least one file or folder to check\n"
                        "Try 'kubesim check --help'.\n");
        return KSC_EXIT_BAD_INPUT;
    }
    ar = ks_arena_create(NULL);
    d = ks_mem_alloc(NULL, sizeof *d);
    if (!ar || !d) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        return KSC_EXIT_INTERNAL;
    }
    ks_diags_init(d);
    memset(&m, 0, sizeof m);
    for (i = 0; i < o->npaths; i++)
        ks_manifest_load_path(ar, o->paths[i], NULL, &m, d);
    ksc_print_diags(d);
    fflush(stderr);
    if (d->errors)
        rc = KSC_EXIT_BAD_INPUT;
    if (!o->quiet)
        printf("%s: %zu objects in %zu files; %d error%s, %d warning%s\n",
               d->errors ? "check failed" : "check passed", m.n, m.files, d->errors,
               d->errors == 1 ? "" : "s", d->warnings, d->warnings == 1 ? "" : "s");
    ks_mem_free(NULL, d, sizeof *d);
    ks_arena_destroy(ar);
    return rc;
}
