/* ksv_body.h -- request bodies into JSON, and the API server's patch
 * formats (merge, strategic merge, JSON patch) applied to an object.
 * Depends on: jansson, sim/load (ks_yaml, for YAML bodies).
 */
#ifndef KSV_BODY_H
#define KSV_BODY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The body as JSON (new reference); YAML too when yaml_ok (apply patches,
 * application/yaml). NULL with the reason, as the API server words it, in
 * err. YAML goes through the loader's limits (depth, nodes, scalars). */
json_t *ksv_body_decode(const char *body, size_t len, bool yaml_ok, char *err, size_t n);

/* A YAML tree as JSON (new reference; NULL: out of memory): plain scalars
 * as numbers, booleans and null where they read so, as the API server
 * decodes YAML. */
struct ks_yaml_node;
json_t *ksv_from_yaml(const struct ks_yaml_node *n);

/* Each takes target (stolen) and returns the patched document (new
 * reference), or NULL when memory ran out or (JSON patch) an operation
 * does not apply, with the reason in err. */
json_t *ksv_merge_patch(json_t *target, const json_t *patch);
json_t *ksv_strategic_patch(json_t *target, const json_t *patch);
json_t *ksv_json_patch(json_t *target, const json_t *ops, char *err, size_t n);

#endif
