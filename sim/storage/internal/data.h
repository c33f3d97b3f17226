/* internal/data.h -- the data layer (ks_data.c), for the kubelet, the
 * container processes and the network. */
#ifndef KSI_DATA_H
#define KSI_DATA_H

#include "cluster/internal/cluster.h"
#include "storage/ks_data.h"

typedef struct ksi_dir ksi_dir;

typedef struct ksi_file {
    const char *name;             /* NULL once removed */
    char *text;
} ksi_file;

/* The directory a path of container c lands in (creating it): its layer,
 * or its mount's (the subPath's directory of the volume; a database's data
 * directory); *rest is the path inside it. NULL when out of memory, on a
 * volume that holds no files, or when the claim is not bound. */
ksi_dir *ksi_data_dir_for(ks_sim *sim, const ksi_pod *p, size_t c, const char *path,
                          const char **rest);
/* The directory that holds the file at path of container c, its name there
 * in *name (in buf, n bytes): a volume is one tree, whichever subPath
 * mounted it or wrote the file (ks_data_files.c). With create, where a
 * new file lands when there is none: the deepest directory of the volume
 * above it (the mount's own made if missing, as the kubelet makes a
 * missing subPath: pkg/volume/util/subpath). NULL: no such file (or the
 * path's volume holds no files). */
ksi_dir *ksi_data_file_dir(ks_sim *sim, const ksi_pod *p, size_t c, const char *path,
                           bool create, char *buf, size_t n, const char **name);
/* A record as the data layer keeps it: its number in its directory (1, 2,
 * 3... in the order written), when it was written, and the file it is
 * (index + 1 in the directory's files; 0: a record a server stored). */
typedef struct ksi_record {
    int64_t seq;
    ks_time at;
    uint32_t file;
    const char *const *vals;      /* an INSERT's values, one per column of the
                                     directory's table (NULL: SQL NULL); NULL:
                                     the table's templates for seq */
} ksi_record;

/* ---- for ks_data.c and ks_data_files.c ----------------------------------------- */
/* Which storage a volume is (or a container's layer): its directories'
 * kind and owner, the path inside aside. */
typedef struct ksi_vol_key {
    ks_data_kind kind;
    ks_id pod, node, pv;
    const char *volume;
    int container;                /* a layer's; -1 for a volume */
} ksi_vol_key;
/* The storage of volume v of pod p; false when it holds no files (a
 * configMap's or secret's keys, an unbound claim, a type not simulated). */
bool ksi_data_vol_key(const ks_sim *sim, const ksi_pod *p, const ks_volume *v, ksi_vol_key *k);
/* Whether d (not gone) is a directory of k's volume. */
bool ksi_data_of_vol(const ksi_dir *d, const ksi_vol_key *k);
/* k's directory at path inside the volume ("" its root), made when
 * missing with create; NULL: none, or out of memory. */
ksi_dir *ksi_data_vol_dir(ks_sim *sim, const ksi_vol_key *k, const char *path, bool create);
/* Whether path lies at or under sub ("" is the root). */
bool ksi_data_within(const char *path, const char *sub);
/* The i-th directory (gone ones too, i < ks_datadir_count) and its files
 * (ksi_data_file_name: 0..ksi_data_nfiles - 1). */
ksi_dir *ksi_data_dir_at(ks_sim *sim, size_t i);
size_t ksi_data_nfiles(const ksi_dir *d);

/* A process's memory (a cache's records). */
ksi_dir *ksi_data_memory(ks_sim *sim, const ksi_pod *p, size_t c);
void ksi_data_write(ks_sim *sim, ksi_dir *d, int64_t n);
/* A program takes the n oldest records out (redis LPOP of a queue): they
 * are gone from d, not lost; at most what d holds. */
void ksi_data_take(ks_sim *sim, ksi_dir *d, int64_t n);
int64_t ksi_data_records(const ksi_dir *d);
/* One record with the values of an INSERT (n of them, copied; NULL: SQL
 * NULL), one per column of d's table. */
void ksi_data_insert(ks_sim *sim, ksi_dir *d, const char *const *vals, size_t n);
/* The table the program writing into d stores its records in (its catalog
 * entry's stores:), NULL when none said: set by the writer, read by psql. */
void ksi_data_set_table(ksi_dir *d, const struct ks_image_table *t);
const struct ks_image_table *ksi_data_table(const ksi_dir *d);
/* The records in d now, oldest first (*rows; the count): the newest few
 * thousand at least, when there are more. */
size_t ksi_data_rows(const ksi_dir *d, const ksi_record **rows);
/* File i (0-based) of d: its name, NULL once removed. */
const char *ksi_data_file_name(const ksi_dir *d, uint32_t i);
const ks_datadir *ksi_data_pub(const ksi_dir *d);
void ksi_data_set_initialized(ksi_dir *d);
/* A database server starts (true) or stops using d: two at once is the
 * shared-data-directory hazard. */
void ksi_data_server(ks_sim *sim, ksi_dir *d, const ksi_pod *p, size_t c, bool start);
/* Container c's process ended (layer and memory are gone). */
void ksi_data_container_gone(ks_sim *sim, const ksi_pod *p, size_t c, bool pod_deleted);
void ksi_data_sweep(ks_sim *sim);
/* "web-1: emptyDir cache", "pvc-1234/postgres" for messages. */
size_t ksi_data_describe(const ks_sim *sim, const ks_datadir *d, char *buf, size_t n);

void ksi_data_file_write(ks_sim *sim, ksi_dir *d, const char *name, const char *text,
                         bool append);
bool ksi_data_file_remove(ks_sim *sim, ksi_dir *d, const char *name);
const char *ksi_data_file_read(ksi_dir *d, const char *name);
/* The directories container c of pod p sees now (at most max, in out):
 * its writable layer, its process's memory, and every directory under each
 * of its mounts -- whoever wrote it: another pod on the same hostPath on
 * this node, another pod of the same claim. Returns how many. */
size_t ksi_data_visible(const ks_sim *sim, const ksi_pod *p, size_t c, ksi_dir **out,
                        size_t max);
/* What container c of pod p reads at path now, or NULL: a file in its layer
 * or in the volume mounted there (a ConfigMap's or Secret's key too), never
 * creating anything. *mounted: the path lies under a volume mount (which
 * hides what the image has there). */
const char *ksi_data_peek(ks_sim *sim, const ksi_pod *p, size_t c, const char *path,
                          bool *mounted);
/* ls and find: every file container c of pod p sees under dir (an
 * absolute path) when dir lies at or under one of its volume mounts (which
 * hides what the image has there, so all of it is known): what that volume
 * and those mounted below dir hold (a ConfigMap's or Secret's keys too), a
 * file hidden by a deeper mount left out, each to each(arg, path) with its
 * absolute path, in the order written. Returns 1 when dir is a directory
 * there (a mount at or below it, or a file under it), 0 when it is not,
 * -1 when dir lies under no mount: the image's own files, not simulated. */
int ksi_data_list(ks_sim *sim, const ksi_pod *p, size_t c, const char *dir,
                  void (*each)(void *arg, const char *path), void *arg);

#endif
