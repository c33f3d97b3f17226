/* internal/loadutil.h -- small helpers shared by the scenario and catalog
 * loaders (sim/load/ks_loadutil.c). Not part of the public API. */
#ifndef KSI_LOADUTIL_H
#define KSI_LOADUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "../ks_read.h"

/* GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (upper case, as sent). */
bool ksi_http_method_ok(const char *s);
#define KSI_HTTP_METHODS "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"

/* A string, or a list of strings, at map[key] (missing: *n = 0, true).
 * Empty strings are errors. At most max items. *out is in r's arena. */
bool ksi_rd_str_or_list(ks_reader *r, const ks_yaml_node *map, const char *key,
                        size_t max, const char ***out, size_t *n);

/* A list at map[key] with at most max items, else a located KS_ELIMIT error.
 * Returns the list (or NULL when missing or wrong). */
const ks_yaml_node *ksi_rd_list(ks_reader *r, const ks_yaml_node *map, const char *key,
                                size_t max);

#endif
