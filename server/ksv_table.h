/* ksv_table.h -- the columns of the served resources' Tables
 * (ksv_table_cols.c: printers.go's TableColumnDefinitions) and the cells
 * kubesim's own kubectl printer does not give, for ksv_table.c.
 * Depends on: ksv_internal.h (the API, resources, entries), jansson. */
#ifndef KSV_TABLE_H
#define KSV_TABLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "ksv_kinds.h"
#include "ksv_store.h"

#define KSV_TABLE_MAX_COLS 12

/* One row's object, for a cell function: its entry, its JSON (parsed),
 * its key (an object id; an event's index in ks_cluster_event). */
typedef struct ksv_cell {
    ks_sim *sim;
    const ksv_entry *e;
    json_t *obj;
    uint64_t key;
} ksv_cell;

typedef struct ksv_col {
    const char *name;             /* as printers.go names it: "Up-to-date" */
    const char *type;             /* "string", "integer", "boolean" */
    int priority;                 /* 1: shown only with -o wide */
    /* the cell; NULL: kubesim's printer's, under the header name in capitals */
    void (*cell)(const ksv_cell *c, char *buf, size_t n);
} ksv_col;

typedef struct ksv_table_def {
    const char *group, *resource;
    ksv_col cols[KSV_TABLE_MAX_COLS];   /* up to the first with no name */
} ksv_table_def;

/* The Table's columns of r (NULL: none defined, the API server's default
 * table, Name and Created At). */
const ksv_table_def *ksv_table_def_of(const ksv_resource *r);
size_t ksv_table_ncols(const ksv_table_def *d);

#endif
