/* ks_data.c -- where a workload's data lands, and what survives what.
 *
 * Every place data can live is a directory (ks_datadir): a container's
 * writable layer or a process's memory (gone when the container restarts),
 * an emptyDir (gone with the pod), a hostPath directory (stays on its
 * node), a PersistentVolume (follows its claim; gone with the volume under
 * reclaim policy Delete). Which one a path lands in is decided by the
 * container's volumeMounts, with subPath, exactly as the kubelet mounts
 * them (KUBERNETES.md section 10). Finding a file by path, a volume as one
 * tree, and listing: ks_data_files.c.
 *
 * Two database servers on one directory (KUBERNETES.md section 12): while
 * more than one runs, every record written is "unreliable"; when only one
 * is left, the unreliable records are lost ("torn writes"), with a trace
 * event and a log line in each server. That is our model of the corruption
 * risk: what was written during the overlap cannot be trusted.
 */
#include <stdio.h>
#include <string.h>

#include "cluster/internal/cluster.h"
#include "internal/data.h"
#include "ks_data.h"
#include "core/internal/sim.h"
#include "core/ks_error.h"
#include "load/ks_mounts.h"

#define KEEP_GONE (30 * KS_SEC)   /* gone directories stay visible this long */

typedef struct ksi_dir {
    ks_datadir pub;
    ks_arena *ar;                 /* file names and texts (shell writes) */
    ksi_file *files;
    size_t nfiles, files_cap;
    ksi_record *rows;             /* the records here now, oldest first */
    size_t nrows, rows_cap;
    int64_t next_seq;             /* the last record's number */
    const struct ks_image_table *table;  /* what its writer stores, or NULL */
    ks_time gone_at;
    struct dir_where *where;      /* its description for the trace, made at its
                                     first traced write (NULL: none yet) */
} ksi_dir;

#define WHERE_SIZE 160
typedef struct dir_where {
    uint64_t rev;                 /* the store's revision + 1 when made (0: stale) */
    uint32_t len;                 /* strlen(text) + 1 */
    char text[WHERE_SIZE];
} dir_where;

/* Rows kept per directory: the newest ROWS_KEPT at least (count(*) counts
 * them all); when twice as many are kept, the oldest half goes. */
#define ROWS_KEPT 4096

static void dir_free(ks_sim *sim, ksi_dir *d)
{
    ks_arena_destroy(d->ar);
    ks_mem_free(&sim->alloc, d->files, d->files_cap * sizeof *d->files);
    ks_mem_free(&sim->alloc, d->rows, d->rows_cap * sizeof *d->rows);
    ks_mem_free(&sim->alloc, d->where, sizeof *d->where);
    ks_mem_free(&sim->alloc, d, sizeof *d);
}

/* The data layer's state (the cluster's `data` slot). */
struct ksi_data {
    ksi_dir **dirs;
    size_t ndirs, dirs_cap;
    uint32_t next_dir;
};

size_t ks_datadir_count(const ks_sim *sim)
{
    return sim->cluster && sim->cluster->data ? sim->cluster->data->ndirs : 0;
}

const ks_datadir *ks_datadir_get(const ks_sim *sim, size_t i)
{
    return i < ks_datadir_count(sim) ? &sim->cluster->data->dirs[i]->pub : NULL;
}

static void records_trace(ks_sim *sim, ksi_dir *d, const char *what, int64_t n,
                          const char *why)
{
    ks_trace_event tev;
    char where[WHERE_SIZE];
    uint64_t rev;
    if (!ks_trace_active(sim))
        return;
    /* a database's every write is traced with where it went: described
       once per change of the store (the names it shows are its pod's,
       volume's or node's, or "(gone)" once they are) */
    rev = ks_cluster_revision(sim) + 1;
    if (!d->where && (d->where = ks_mem_alloc(&sim->alloc, sizeof *d->where)) != NULL)
        d->where->rev = 0;
    if (!d->where) {                          /* out of memory: made here */
        ksi_data_describe(sim, &d->pub, where, sizeof where);
    } else if (d->where->rev != rev) {
        size_t len = ksi_data_describe(sim, &d->pub, d->where->text, WHERE_SIZE);
        d->where->len = (uint32_t)(len < WHERE_SIZE ? len : WHERE_SIZE - 1) + 1;
        d->where->rev = rev;
    }
    memset(&tev, 0, sizeof tev);
    tev.type = KS_TR_RECORDS;
    tev.kind = "Data";
    tev.name = d->where ? d->where->text : where;
    tev.len[1] = d->where ? d->where->len : 0;
    tev.reason = what;
    tev.msg = why;
    tev.n[0] = n;
    tev.n[1] = d->pub.records;
    ks_trace_emit(sim, &tev);
}

/* Appends the strings (NULL-terminated list) to buf; the length they need.
 * A write of every record goes through here when the trace is watched:
 * copies, not printf. */
static size_t concat(char *buf, size_t n, const char *const *parts)
{
    size_t len = 0;
    for (; *parts; parts++) {
        size_t k = strlen(*parts);
        if (len + 1 < n)
            memcpy(buf + len, *parts, len + k < n - 1 ? k : n - 1 - len);
        len += k;
    }
    if (n)
        buf[len < n ? len : n - 1] = '\0';
    return len;
}

size_t ksi_data_describe(const ks_sim *sim, const ks_datadir *d, char *buf, size_t n)
{
    const ks_pod *p = ks_cluster_pod(sim, d->pod);
    const ks_pv *v = ks_cluster_pv(sim, d->pv);
    const ks_node *node = ks_cluster_node(sim, d->node);
    const char *pod = p ? p->name : "(gone)";
    switch (d->kind) {
    case KS_DATA_LAYER:
        return concat(buf, n, (const char *const[]){pod, ": container layer", NULL});
    case KS_DATA_MEMORY:
        return concat(buf, n, (const char *const[]){pod, ": memory", NULL});
    case KS_DATA_EMPTYDIR:
        return concat(buf, n, (const char *const[]){pod, ": emptyDir ",
                                                     d->volume ? d->volume : "(null)", NULL});
    case KS_DATA_HOSTPATH:
        return concat(buf, n, (const char *const[]){node ? node->name : "(gone)", ": hostPath ",
                                                     d->volume ? d->volume : "(null)", NULL});
    case KS_DATA_VOLUME:
        return concat(buf, n, (const char *const[]){v ? v->name : "(deleted volume)",
                                                     d->path[0] ? "/" : "", d->path, NULL});
    }
    if (n)
        buf[0] = '\0';
    return 0;
}

/* ---- finding and creating directories --------------------------------------------- */
static bool same_dir(const ksi_dir *d, ks_data_kind kind, ks_id pod, int c, ks_id node,
                     ks_id pv, const char *volume, const char *path)
{
    return !d->pub.gone && d->pub.kind == kind && d->pub.pod == pod && d->pub.container == c
           && d->pub.node == node && d->pub.pv == pv
           && strcmp(d->pub.volume ? d->pub.volume : "", volume ? volume : "") == 0
           && strcmp(d->pub.path, path) == 0;
}

static ksi_dir *find_dir(ks_sim *sim, ks_data_kind kind, ks_id pod, int c, ks_id node, ks_id pv,
                         const char *volume, const char *path)
{
    struct ksi_data *cl = sim->cluster->data;
    size_t i;
    for (i = 0; i < cl->ndirs; i++)
        if (same_dir(cl->dirs[i], kind, pod, c, node, pv, volume, path))
            return cl->dirs[i];
    return NULL;
}

static ksi_dir *get_dir(ks_sim *sim, ks_data_kind kind, ks_id pod, int c, ks_id node, ks_id pv,
                        const char *volume, const char *path)
{
    struct ksi_data *cl = sim->cluster->data;
    ksi_dir *d = find_dir(sim, kind, pod, c, node, pv, volume, path);
    if (d)
        return d;
    if (ksi_grow(sim, (void **)&cl->dirs, &cl->dirs_cap, cl->ndirs + 1, sizeof *cl->dirs))
        return NULL;
    d = ks_mem_calloc(&sim->alloc, 1, sizeof *d);
    if (!d || !(d->ar = ks_arena_create(&sim->alloc))) {
        ks_mem_free(&sim->alloc, d, sizeof *d);
        ks_sim_fail(sim, KS_ENOMEM);
        return NULL;
    }
    d->pub.id = ++cl->next_dir;
    d->pub.kind = kind;
    d->pub.pod = pod;
    d->pub.container = c;
    d->pub.node = node;
    d->pub.pv = pv;
    d->pub.volume = volume ? ks_arena_strdup(d->ar, volume) : NULL;
    d->pub.path = ks_arena_strdup(d->ar, path);
    cl->dirs[cl->ndirs++] = d;
    return d;
}

bool ksi_data_vol_key(const ks_sim *sim, const ksi_pod *p, const ks_volume *v, ksi_vol_key *k)
{
    const ks_pvc *claim;
    memset(k, 0, sizeof *k);
    k->container = -1;
    switch (v ? v->type : KS_VOL_OTHER) {
    case KS_VOL_EMPTYDIR:
        k->kind = KS_DATA_EMPTYDIR;
        k->pod = p->pub.id;
        k->volume = v->name;
        return true;
    case KS_VOL_HOSTPATH:
        k->kind = KS_DATA_HOSTPATH;
        k->node = p->pub.node;
        k->volume = v->source;
        return true;
    case KS_VOL_PVC:
        claim = ks_cluster_pvc(sim, ks_cluster_find(sim, KS_KIND_PVC, p->pub.ns, v->source));
        k->kind = KS_DATA_VOLUME;
        k->pv = claim ? claim->pv : 0;
        return k->pv != 0;
    default:
        return false;             /* a configMap's or secret's keys; a type not simulated */
    }
}

bool ksi_data_of_vol(const ksi_dir *d, const ksi_vol_key *k)
{
    return same_dir(d, k->kind, k->pod, k->container, k->node, k->pv, k->volume, d->pub.path);
}

ksi_dir *ksi_data_vol_dir(ks_sim *sim, const ksi_vol_key *k, const char *path, bool create)
{
    return (create ? get_dir : find_dir)(sim, k->kind, k->pod, k->container, k->node, k->pv,
                                         k->volume, path);
}

/* The directory of volume v (mounted by m) in pod p: its subPath's; NULL
 * when it is not there (create false), its claim is unbound or it holds
 * no files. */
static ksi_dir *volume_dir(ks_sim *sim, const ksi_pod *p, const ks_mount *m,
                           const ks_volume *v, bool create)
{
    ksi_vol_key k;
    if (!ksi_data_vol_key(sim, p, v, &k))
        return NULL;
    return ksi_data_vol_dir(sim, &k, m->sub_path ? m->sub_path : "", create);
}

ksi_dir *ksi_data_dir_for(ks_sim *sim, const ksi_pod *p, size_t c, const char *path,
                          const char **rest)
{
    const ks_volume *v;
    const ks_mount *m = ks_mount_of(p->pub.spec, p->pub.containers[c].spec, path, &v, rest);
    if (!m)
        return get_dir(sim, KS_DATA_LAYER, p->pub.id, (int)c, 0, 0, NULL, "");
    return volume_dir(sim, p, m, v, true);
}

/* Adds d to out[0..*n) unless it is there. */
static void add_seen(ksi_dir *d, ksi_dir **out, size_t *n, size_t max)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (out[i] == d)
            return;
    if (*n < max)
        out[(*n)++] = d;
}

/* Whether a directory at path lies at or under sub ("" is the root). */
bool ksi_data_within(const char *path, const char *sub)
{
    size_t l = strlen(sub);
    return !l || (strncmp(path, sub, l) == 0 && (path[l] == '\0' || path[l] == '/'));
}

size_t ksi_data_visible(const ks_sim *sim, const ksi_pod *p, size_t c, ksi_dir **out,
                        size_t max)
{
    const struct ksi_data *cl = sim->cluster->data;
    const ks_container *spec = p->pub.containers[c].spec;
    size_t n = 0, i, k;
    for (i = 0; i < cl->ndirs; i++) {
        ksi_dir *d = cl->dirs[i];
        if (d->pub.gone)
            continue;
        /* its own layer and its process's memory */
        if ((d->pub.kind == KS_DATA_LAYER || d->pub.kind == KS_DATA_MEMORY)
            && d->pub.pod == p->pub.id && d->pub.container == (int)c) {
            add_seen(d, out, &n, max);
            continue;
        }
        /* what lies under each of its mounts, whoever wrote it */
        for (k = 0; k < spec->nmounts; k++) {
            const ks_mount *m = &spec->mounts[k];
            ksi_vol_key key;
            if (ksi_data_within(d->pub.path, m->sub_path ? m->sub_path : "")
                && ksi_data_vol_key(sim, p, ks_mount_volume(p->pub.spec, m), &key)
                && ksi_data_of_vol(d, &key))
                add_seen(d, out, &n, max);
        }
    }
    return n;
}

ksi_dir *ksi_data_memory(ks_sim *sim, const ksi_pod *p, size_t c)
{
    return get_dir(sim, KS_DATA_MEMORY, p->pub.id, (int)c, 0, 0, NULL, "");
}

/* ---- records -------------------------------------------------------------------------- */
/* n new records, written now; file: the file each is (index + 1; 0: a
 * record a server stored). */
static void add_rows(ks_sim *sim, ksi_dir *d, int64_t n, uint32_t file,
                     const char *const *vals)
{
    for (; n > 0; n--) {
        if (d->nrows >= 2 * ROWS_KEPT) {
            memmove(d->rows, d->rows + ROWS_KEPT, (d->nrows - ROWS_KEPT) * sizeof *d->rows);
            d->nrows -= ROWS_KEPT;
        }
        if (ksi_grow(sim, (void **)&d->rows, &d->rows_cap, d->nrows + 1, sizeof *d->rows))
            return;
        d->rows[d->nrows++] = (ksi_record){++d->next_seq, ks_now(sim), file, vals};
    }
}

static void write_records(ks_sim *sim, ksi_dir *d, int64_t n, uint32_t file,
                          const char *const *vals)
{
    add_rows(sim, d, n, file, vals);
    d->pub.records += n;
    if (d->pub.writers > 1)
        d->pub.unreliable += n;
    records_trace(sim, d, "Written", n, NULL);
}

void ksi_data_write(ks_sim *sim, ksi_dir *d, int64_t n)
{
    write_records(sim, d, n, 0, NULL);
}

void ksi_data_take(ks_sim *sim, ksi_dir *d, int64_t n)
{
    size_t kept;
    if (n > d->pub.records)
        n = d->pub.records;
    if (n <= 0)
        return;
    kept = (size_t)n < d->nrows ? d->nrows - (size_t)n : 0;
    memmove(d->rows, d->rows + (d->nrows - kept), kept * sizeof *d->rows);
    d->nrows = kept;
    d->pub.records -= n;
    records_trace(sim, d, "Taken", n, NULL);
}

void ksi_data_insert(ks_sim *sim, ksi_dir *d, const char *const *vals, size_t n)
{
    const char **copy = ks_arena_alloc(d->ar, (n ? n : 1) * sizeof *copy);
    size_t i;
    if (!copy)
        return;
    for (i = 0; i < n; i++)
        copy[i] = vals[i] ? ks_arena_strdup(d->ar, vals[i]) : NULL;
    write_records(sim, d, 1, 0, (const char *const *)copy);
}

void ksi_data_set_table(ksi_dir *d, const struct ks_image_table *t)
{
    d->table = t;
}

const struct ks_image_table *ksi_data_table(const ksi_dir *d)
{
    return d->table;
}

size_t ksi_data_rows(const ksi_dir *d, const ksi_record **rows)
{
    *rows = d->rows;
    return d->nrows;
}

int64_t ksi_data_records(const ksi_dir *d)
{
    return d->pub.records;
}

const ks_datadir *ksi_data_pub(const ksi_dir *d)
{
    return &d->pub;
}

void ksi_data_set_initialized(ksi_dir *d)
{
    d->pub.initialized = true;
}

static void lose(ks_sim *sim, ksi_dir *d, int64_t n, const char *why)
{
    if (n <= 0)
        return;
    /* the newest: what was written while two servers shared it, or all */
    d->nrows -= (size_t)n < d->nrows ? (size_t)n : d->nrows;
    d->pub.records -= n;
    d->pub.lost += n;
    d->pub.lost_at = ks_now(sim);
    d->pub.lost_why = why;
    records_trace(sim, d, "Lost", n, why);
}

/* The storage is gone: everything in it is lost. */
static void dir_gone(ks_sim *sim, ksi_dir *d, const char *why)
{
    if (d->pub.gone)
        return;
    lose(sim, d, d->pub.records, why);
    d->pub.gone = true;
    d->pub.writers = 0;
    d->gone_at = ks_now(sim);
    d->nfiles = 0;
    d->nrows = 0;
}

/* A database server starts or stops using d. */
void ksi_data_server(ks_sim *sim, ksi_dir *d, const ksi_pod *p, size_t c, bool start)
{
    if (start) {
        d->pub.writers++;
        if (d->pub.writers == 2) {
            char where[160];
            ksi_data_describe(sim, &d->pub, where, sizeof where);
            ks_cluster_log(sim, p->pub.id, c, "WARNING: another server is already using the "
                           "data directory (%s); two servers must never share one: what they "
                           "write now cannot be trusted", where);
            records_trace(sim, d, "Shared", 0, "two database servers use one data directory");
            ksi_event(sim, true, "DataDirectoryShared", KS_KIND_POD, p->pub.name, p->pub.id,
                      "kubesim", "two database servers are using %s at the same time", where);
        }
        return;
    }
    if (d->pub.writers > 0)
        d->pub.writers--;
    if (d->pub.writers <= 1 && d->pub.unreliable) {
        lose(sim, d, d->pub.unreliable, "written while two database servers shared the data "
                                        "directory (torn writes)");
        d->pub.unreliable = 0;
    }
}

/* ---- the end of storage ------------------------------------------------------------------- */
void ksi_data_container_gone(ks_sim *sim, const ksi_pod *p, size_t c, bool pod_deleted)
{
    struct ksi_data *cl = sim->cluster->data;
    size_t i;
    for (i = 0; i < cl->ndirs; i++) {
        ksi_dir *d = cl->dirs[i];
        if (d->pub.gone || d->pub.pod != p->pub.id || d->pub.container != (int)c)
            continue;
        if (d->pub.kind == KS_DATA_LAYER)
            dir_gone(sim, d, pod_deleted ? "the pod was deleted, and its container's writable "
                                           "layer with it"
                                         : "the container restarted: a new container starts "
                                           "from a fresh writable layer");
        else if (d->pub.kind == KS_DATA_MEMORY)
            dir_gone(sim, d, "the process ended: what it kept in memory is gone");
    }
}

static void pod_gone(ks_sim *sim, const ksi_pod *p)
{
    struct ksi_data *cl = sim->cluster->data;
    size_t i;
    for (i = 0; i < cl->ndirs; i++) {
        ksi_dir *d = cl->dirs[i];
        if (!d->pub.gone && d->pub.pod == p->pub.id && d->pub.kind == KS_DATA_EMPTYDIR)
            dir_gone(sim, d, "the pod was deleted: an emptyDir lives and dies with its pod");
    }
    for (i = 0; i < p->pub.ncontainers; i++)
        ksi_data_container_gone(sim, p, i, true);
}

static void drop_pv(ks_sim *sim, const ksi_pv *v, const char *why)
{
    struct ksi_data *cl = sim->cluster->data;
    size_t i;
    for (i = 0; i < cl->ndirs; i++)
        if (!cl->dirs[i]->pub.gone && cl->dirs[i]->pub.pv == v->pub.id)
            dir_gone(sim, cl->dirs[i], why);
}

/* Frees directories gone for a while (kept meanwhile so they can fade). */
void ksi_data_sweep(ks_sim *sim)
{
    struct ksi_data *cl = sim->cluster->data;
    size_t i, keep = 0;
    for (i = 0; i < cl->ndirs; i++) {
        ksi_dir *d = cl->dirs[i];
        if (d->pub.gone && ks_now(sim) - d->gone_at > KEEP_GONE) {
            dir_free(sim, d);
        } else {
            cl->dirs[keep++] = d;
        }
    }
    cl->ndirs = keep;
}

static void data_fini(ks_sim *sim, void *ud)
{
    struct ksi_data *cl = ud;
    size_t i;
    for (i = 0; i < cl->ndirs; i++)
        dir_free(sim, cl->dirs[i]);
    ks_mem_free(&sim->alloc, cl->dirs, cl->dirs_cap * sizeof *cl->dirs);
    sim->cluster->data = NULL;
}

/* ---- what it hears --------------------------------------------------------------------- */
/* A pod gone takes its emptyDirs; a volume gone takes its data, as its
 * reclaim policy Delete or its own deletion says. */
static void on_change(ks_sim *sim, const ksi_change *ch, void *ud)
{
    (void)ud;
    if (ch->type != KS_DELETED)
        return;
    if (ch->kind == KS_KIND_POD) {
        pod_gone(sim, ch->obj);
    } else {
        const ksi_pv *v = ch->obj;
        drop_pv(sim, v, strcmp(v->pub.phase, "Bound") == 0
                            ? "its claim was deleted and its reclaim policy is Delete"
                            : "the volume was deleted");
    }
}

int ksi_ctl_data(ks_sim *sim)
{
    struct ksi_data *d = ksi_zalloc(sim, sizeof *d);
    if (!d || ksi_sim_add_part(sim, data_fini, d)
        || ksi_informer_add(sim, KSI_KIND_BIT(KS_KIND_POD) | KSI_KIND_BIT(KS_KIND_PV), on_change,
                            NULL))
        return KS_ENOMEM;
    sim->cluster->data = d;
    return KS_OK;
}

/* ---- files (what a shell writes) --------------------------------------------------------- */
static ksi_file *find_file(ksi_dir *d, const char *name)
{
    size_t i;
    for (i = 0; i < d->nfiles; i++)
        if (d->files[i].name && strcmp(d->files[i].name, name) == 0)
            return &d->files[i];
    return NULL;
}

void ksi_data_file_write(ks_sim *sim, ksi_dir *d, const char *name, const char *text,
                         bool append)
{
    ksi_file *f = find_file(d, name);
    if (!f) {
        if (ksi_grow(sim, (void **)&d->files, &d->files_cap, d->nfiles + 1, sizeof *d->files))
            return;
        f = &d->files[d->nfiles++];
        f->name = ks_arena_strdup(d->ar, name);
        f->text = ks_arena_strdup(d->ar, "");
        write_records(sim, d, 1, (uint32_t)d->nfiles, NULL);   /* a new file is a new record */
    }
    f->text = append ? ks_arena_printf(d->ar, "%s%s", f->text, text)
                     : ks_arena_strdup(d->ar, text);
}

bool ksi_data_file_remove(ks_sim *sim, ksi_dir *d, const char *name)
{
    ksi_file *f = find_file(d, name);
    size_t i;
    if (!f)
        return false;
    f->name = NULL;
    for (i = d->nrows; i-- > 0;)
        if (d->rows[i].file == (uint32_t)(f - d->files) + 1) {
            memmove(d->rows + i, d->rows + i + 1, (d->nrows - i - 1) * sizeof *d->rows);
            d->nrows--;
            break;
        }
    d->pub.records--;
    records_trace(sim, d, "Removed", 1, NULL);
    return true;
}

const char *ksi_data_file_read(ksi_dir *d, const char *name)
{
    ksi_file *f = find_file(d, name);
    return f ? f->text : NULL;
}

int64_t ks_pvc_records(const ks_sim *sim, ks_id pvc)
{
    const ks_pvc *c = ks_cluster_pvc(sim, pvc);
    int64_t total = -1;
    size_t i;
    if (!c || !c->pv)
        return -1;
    for (i = 0; i < ks_datadir_count(sim); i++) {
        const ks_datadir *d = ks_datadir_get(sim, i);
        if (d->pv == c->pv && !d->gone)
            total = (total < 0 ? 0 : total) + d->records;
    }
    return total;
}


size_t ksi_data_nfiles(const ksi_dir *d)
{
    return d->nfiles;
}

ksi_dir *ksi_data_dir_at(ks_sim *sim, size_t i)
{
    return i < ks_datadir_count(sim) ? sim->cluster->data->dirs[i] : NULL;
}

const char *ksi_data_file_name(const ksi_dir *d, uint32_t i)
{
    return i < d->nfiles ? d->files[i].name : NULL;
}
