/* ks_read.h -- typed, located reading of YAML trees into C structs.
 *
 * Shared by the manifest, scenario and catalog loaders so every field error
 * reads the same way: "file:line:col: error: spec.replicas must be an
 * integer, not a string". A ks_reader carries the arena, the diagnostics and
 * the path of the field being read. Getters return false when the field is
 * missing or wrong; a wrong field is always reported, a missing one only
 * when required.
 * Depends on: ks_yaml, ks_diag, ks_time.
 */
#ifndef KS_READ_H
#define KS_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ks_diag.h"
#include "core/ks_time.h"
#include "ks_yaml.h"

typedef struct ks_reader {
    ks_arena *ar;
    ks_diags *d;
    char path[400];           /* "spec.template.spec.containers[0]" */
    size_t plen;
    char field[512];          /* ks_rd_field's result */
} ks_reader;

void ks_reader_init(ks_reader *r, ks_arena *ar, ks_diags *d);

/* Path handling: push returns the old length, pop restores it. */
size_t ks_rd_push(ks_reader *r, const char *field);
size_t ks_rd_push_index(ks_reader *r, size_t i);
void ks_rd_pop(ks_reader *r, size_t saved);
/* "path.key" for messages, in the reader's buffer (valid until the next
 * call). */
const char *ks_rd_field(ks_reader *r, const char *key);

/* Reports an error at n (or at the map when n is NULL) and returns false. */
bool ks_rd_fail(ks_reader *r, const ks_yaml_node *at, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Field getters. map is the enclosing mapping; the field's node is stored in
 * *node when node != NULL. */
bool ks_rd_str(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
               const char **out);
bool ks_rd_int(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
               int64_t min, int64_t max, int64_t *out);
bool ks_rd_bool(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
                bool *out);
/* A Go duration string ("30s"). */
bool ks_rd_duration(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
                    ks_time *out);
const ks_yaml_node *ks_rd_map(ks_reader *r, const ks_yaml_node *map, const char *key,
                              bool required);
const ks_yaml_node *ks_rd_seq(ks_reader *r, const ks_yaml_node *map, const char *key,
                              bool required);
/* A list of strings; *out in the arena. */
bool ks_rd_str_list(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
                    const char ***out, size_t *n);

/* The node itself (for sequence items): string / type checks. */
bool ks_rd_node_str(ks_reader *r, const ks_yaml_node *n, const char *what, const char **out);

/* A warning at each key of map listed in ignored: a real field whose effect
 * kubesim does not simulate yet, so it has none here (never silent). */
void ks_rd_ignored(ks_reader *r, const ks_yaml_node *map, const char *const *ignored);
/* Unknown keys of map are errors, with a suggestion (edit distance <= 2,
 * or a different case): "unknown field spec.duraton; did you mean
 * 'duration'?". For kubesim's own formats; Kubernetes objects are checked
 * against their types first (internal/schema.h). known is NULL-terminated. */
void ks_rd_strict(ks_reader *r, const ks_yaml_node *map, const char *const *known);

/* The closest of known to word (edit distance <= 2), or NULL. */
const char *ks_rd_suggest(const char *word, const char *const *known);

#endif
