/* kvf_count.h -- the command that counts a container's records through
 * exec: the catalog's count words (assets/images.yaml count:) for the
 * container's image, with the word {mounts} made the paths where the
 * container mounts its data volumes (emptyDir, hostPath, a claim, an
 * ephemeral volume; with a claim named, that claim's mounts only): a
 * shell image's records are the files it wrote there (`find "$@" -type f |
 * wc -l`), which kubesim counts as records too.
 * Depends on: jansson.
 */
#ifndef KVF_COUNT_H
#define KVF_COUNT_H

#include <stddef.h>

#include <jansson.h>

/* The words of the count command for container c (its JSON, as in the pod
 * spec) of pod p, in argv (at most max): count's words with {mounts}
 * expanded; vol: the name of the one volume to count (a claim's), or NULL
 * for all its data volumes. The paths point into p. Returns how many
 * words, 0 when count names {mounts} and the container mounts no data
 * volume (what it writes is in its layer, among the image's own files,
 * which cannot be told apart), or when they do not fit. */
size_t kvf_count_argv(const char *const *count, size_t ncount, json_t *p, json_t *c,
                      const char *vol, const char **argv, size_t max);

#endif
