/* internal/catalog.h -- what the catalog's two files share: ks_catalog.c
 * (entries, globs) and ks_catalog_serve.c (what an image serves: its files,
 * its routes, its database accounts). Not part of the public API. */
#ifndef KSI_CATALOG_H
#define KSI_CATALOG_H

#include "../ks_catalog.h"

/* map[key], when present, as an absolute path / an env var name (else a
 * located error and *out NULL). */
void ksi_cat_abs_path(ks_reader *r, const ks_yaml_node *m, const char *key, const char **out);
void ksi_cat_env_name(ks_reader *r, const ks_yaml_node *m, const char *key, const char **out);

/* docroot:, files:, index: (kind web only) into e->web. */
void ksi_cat_read_web(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e);
/* auth: {accounts: [{user, userEnv, password}], denied: TEXT} (kind database
 * only) into e->auth. */
/* programs: (kubectl exec); kind shell without it: [sh]. */
void ksi_cat_read_programs(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e);
void ksi_cat_read_auth(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e);

#endif
