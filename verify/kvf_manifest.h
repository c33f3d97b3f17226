/* kvf_manifest.h -- a scenario's manifests as the JSON objects an API server
 * takes: YAML read with sim's reader (ks_yaml: its limits, its marks), each
 * document turned into JSON with the types Kubernetes' YAML decoder gives
 * plain scalars (numbers, booleans, null; quoted and block scalars stay
 * strings). Folders are read as kubectl reads them: their *.yaml, *.yml and
 * *.json files in name order, not subfolders.
 * Depends on: sim/load (ks_yaml, ks_scenario), jansson.
 */
#ifndef KVF_MANIFEST_H
#define KVF_MANIFEST_H

#include <jansson.h>

#include "core/ks_diag.h"
#include "load/ks_scenario.h"
#include "load/ks_yaml.h"

/* The JSON value of a YAML node (a new reference), or NULL when out of memory. */
json_t *kvf_yaml_to_json(const ks_yaml_node *n);

/* Appends to arr every object of the scenario's spec.manifests, in order
 * (empty documents skipped). Problems are recorded in d, located. Returns
 * KS_OK or the first error's code. */
int kvf_manifests_load(ks_arena *ar, const ks_scenario *sc, json_t *arr, ks_diags *d);

/* The same for one file or folder (a kubectl -f PATH). */
int kvf_manifests_load_path(ks_arena *ar, const char *path, json_t *arr, ks_diags *d);

#endif
