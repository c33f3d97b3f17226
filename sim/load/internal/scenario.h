/* internal/scenario.h -- shared by ks_scenario.c (top level, cluster,
 * manifests), ks_scenario_timeline.c and ks_scenario_expect.c (expectations,
 * goals, hints, comparisons, selectors, entry points). Not public API. */
#ifndef KSI_SCENARIO_H
#define KSI_SCENARIO_H

#include "../ks_scenario.h"

/* ks_scenario.c: a path joined to the scenario's folder (in the arena; NULL
 * when out of memory), and a check that it is a folder or a regular file,
 * reported at n as "WHAT 'path' does not exist (looked for ...)" or what
 * else it is (a FIFO, a device). A path that resolves outside the folder
 * tree the scenario lives in is read, with a warning naming where it
 * leads. *is_dir may be NULL. */
const char *ksi_scn_resolve(ks_reader *r, const ks_scenario *sc, const char *path);
bool ksi_scn_check_path(ks_reader *r, const ks_scenario *sc, const ks_yaml_node *n,
                        const char *what, const char *path, const char *resolved,
                        bool *is_dir);

/* ks_scenario_timeline.c: reads spec.timeline (needs sc's dir, duration and
 * nodes, which are read first). */
void ksi_scn_read_timeline(ks_reader *r, const ks_yaml_node *spec, ks_scenario *sc);
/* A node's name, cpu, memory and labels (spec.cluster.nodes[i], or a
 * timeline node: {action: add}); the caller checks the keys. */
void ksi_scn_read_node_fields(ks_reader *r, const ks_yaml_node *m, ks_scn_node *nd);

/* ks_scenario_expect.c: reads spec[key] (expect or goals) into *out; errors
 * go to r. duration is the scenario's, for "after the end" warnings. */
void ksi_scn_read_expects(ks_reader *r, const ks_yaml_node *spec, const char *key,
                          ks_time duration, ks_scn_expect **out, size_t *n);
/* Reads spec.hints ({GOAL-ID: TEXT | [TEXT...]}) onto the goals. */
void ksi_scn_read_hints(ks_reader *r, const ks_yaml_node *spec, ks_scn_expect *goals,
                        size_t n);
/* Reads a selector string at m[key] (must not be empty). */
void ksi_scn_read_selector(ks_reader *r, const ks_yaml_node *m, const char *key,
                           bool required, ks_scn_selector *out);
/* Reads an entry point at m[key] ("ingress", "nodeport:31515", ...). */
void ksi_scn_read_target(ks_reader *r, const ks_yaml_node *m, const char *key,
                         ks_scn_target *out);
/* ks_scenario_timeline.c: warns when t lies after the scenario's end. */
void ksi_scn_check_time(ks_reader *r, const ks_yaml_node *at, const char *what, ks_time t,
                        ks_time duration);

#endif
