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
/* tags: [{match: GLOB, programs: [...]}] into e->tags. */
void ksi_cat_read_tags(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e);
/* bodies: [{before: VERSION, body: TEXT}] of m, oldest first
 * (ks_catalog_body), into *out and *n. */
void ksi_cat_read_bodies(ks_reader *r, const ks_yaml_node *m, ks_image_body **out, size_t *n);
/* The entry e is for the tags of tag t: its match NAME:<t's glob> for each
 * NAME:* glob of e's, its programs t's; false when e has no NAME:* glob. */
bool ksi_cat_tag_entry(ks_reader *r, const ks_image_entry *e, const ks_image_tag *t,
                       ks_image_entry *out);
/* count: (a command of its programs printing its records' count), after programs. */
void ksi_cat_read_count(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e);
void ksi_cat_read_auth(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e);
/* stores: {table, columns} (kind api only) into e->table (ks_catalog_stores.c). */
void ksi_cat_read_stores(ks_reader *r, const ks_yaml_node *m, ks_image_entry *e);

#endif
