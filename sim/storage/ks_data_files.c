/* ks_data_files.c -- the files a container sees by path: its writable
 * layer's, a ConfigMap's or Secret's keys, and a volume as one tree.
 *
 * A volume's files live in its directories (ks_data.c keeps one per
 * subPath a mount or a database used, for its records), but a path is
 * found whichever of them holds it: written at /data/a under `subPath:
 * logs`, the file is logs/a from a mount of the volume's root, and the
 * other way round (K8S/concepts/storage/volumes/#using-subpath: a subPath
 * is a directory of the volume). Moved out of ks_data.c (where records
 * live and what survives what).
 */
#include <stdio.h>
#include <string.h>

#include "internal/data.h"
#include "cluster/internal/cluster.h"
#include "load/ks_mounts.h"

/* The ConfigMap or Secret whose keys volume v shows, or NULL. */
static const ks_object *keys_object(ks_sim *sim, const ksi_pod *p, const ks_volume *v)
{
    return ks_cluster_object(sim, ks_cluster_find(sim, v->type == KS_VOL_SECRET
                                                           ? KS_KIND_SECRET
                                                           : KS_KIND_CONFIGMAP,
                                                   p->pub.ns, v->source));
}

static bool shows_keys(const ks_volume *v)
{
    return v && (v->type == KS_VOL_CONFIGMAP || v->type == KS_VOL_SECRET);
}

/* The name of the file at vpath (a path inside the volume) in d, NULL when
 * vpath does not lie below d's directory. */
static const char *name_in(const ksi_dir *d, const char *vpath)
{
    const char *dir = ksi_data_pub(d)->path;
    size_t l = strlen(dir);
    if (!ksi_data_within(vpath, dir) || (l && !vpath[l]))
        return NULL;
    return vpath + l + (l ? 1 : 0);
}

ksi_dir *ksi_data_file_dir(ks_sim *sim, const ksi_pod *p, size_t c, const char *path,
                           bool create, char *buf, size_t n, const char **name)
{
    const ks_volume *v;
    const char *rest, *in;
    const ks_mount *m = ks_mount_of(p->pub.spec, p->pub.containers[c].spec, path, &v, &rest);
    const char *sub = m && m->sub_path ? m->sub_path : "";
    ksi_dir *best = NULL;
    ksi_vol_key k;
    size_t i;
    if (!m) {                     /* the layer's files: named by their full path */
        k = (ksi_vol_key){KS_DATA_LAYER, p->pub.id, 0, 0, NULL, (int)c};
        best = ksi_data_vol_dir(sim, &k, "", create);
        *name = path;
        return best && (create || ksi_data_file_read(best, path)) ? best : NULL;
    }
    if (!*rest || !ksi_data_vol_key(sim, p, v, &k))
        return NULL;              /* (the mount point itself is a directory) */
    snprintf(buf, n, "%s%s%s", sub, *sub && *rest ? "/" : "", rest);
    if (create && !ksi_data_vol_dir(sim, &k, sub, true))
        return NULL;
    for (i = 0; i < ks_datadir_count(sim); i++) {
        ksi_dir *d = ksi_data_dir_at(sim, i);
        if (!ksi_data_of_vol(d, &k) || !(in = name_in(d, buf)))
            continue;
        if (ksi_data_file_read(d, in)) {
            *name = in;
            return d;
        }
        if (!best || strlen(ksi_data_pub(d)->path) > strlen(ksi_data_pub(best)->path))
            best = d;
    }
    *name = best ? name_in(best, buf) : NULL;
    return create ? best : NULL;
}

const char *ksi_data_peek(ks_sim *sim, const ksi_pod *p, size_t c, const char *path,
                          bool *mounted)
{
    const ks_volume *v;
    const char *rest, *name;
    const ks_mount *m = ks_mount_of(p->pub.spec, p->pub.containers[c].spec, path, &v, &rest);
    char buf[1024];
    ksi_dir *d;
    *mounted = m != NULL;
    if (m && shows_keys(v)) {
        /* each key is a file; with subPath, the mount is that one key */
        const ks_object *o = keys_object(sim, p, v);
        const char *key = m->sub_path ? m->sub_path : rest;
        if (!o || (m->sub_path && *rest))
            return NULL;
        if (v->items.n && !(key = ks_kvs_get(&v->items, key)))
            return NULL;              /* items: only those keys, at their paths */
        return ks_kvs_get(o->kind == KS_KIND_SECRET ? &o->u.secret.data : &o->u.cm.data, key);
    }
    d = ksi_data_file_dir(sim, p, c, path, false, buf, sizeof buf, &name);
    return d ? ksi_data_file_read(d, name) : NULL;
}

/* ---- listing (ls, find) -------------------------------------------------------------- */
/* Whether path lies under dir (dir_len bytes, no trailing '/'; 0: the root). */
static bool under(const char *path, const char *dir, size_t dir_len)
{
    return strncmp(path, dir, dir_len) == 0 && path[dir_len] == '/';
}

typedef struct lister {
    ks_sim *sim;
    const ksi_pod *p;
    size_t c;
    const char *dir;
    size_t dir_len;
    const ks_mount *src;          /* the mount whose files are listed */
    const char *prefix;           /* its path, without a trailing '/' */
    size_t prefix_len;
    void (*each)(void *arg, const char *path);
    void *arg;
    bool any;
} lister;

/* One file of the source (name: its path there): listed when it lies under
 * dir and no deeper mount hides it. */
static void list_one(lister *l, const char *name)
{
    char full[1024];
    const ks_volume *v;
    const char *rest;
    if (!name)
        return;
    snprintf(full, sizeof full, "%.*s/%s", (int)l->prefix_len, l->prefix, name);
    if (!under(full, l->dir, l->dir_len) || ks_mount_of(l->p->pub.spec, l->p->pub.containers[l->c].spec, full, &v,
                                                     &rest) != l->src)
        return;
    l->any = true;
    l->each(l->arg, full);
}

/* What the mount shows: every file of its volume below its subPath,
 * whichever directory of the volume holds it; a ConfigMap's or Secret's
 * keys. */
static void list_source(lister *l, const ks_volume *v)
{
    const char *sub = l->src->sub_path ? l->src->sub_path : "";
    ksi_vol_key k;
    size_t i, j;
    if (shows_keys(v)) {
        const ks_object *o = keys_object(l->sim, l->p, v);
        const ks_kvs *keys = o ? (o->kind == KS_KIND_SECRET ? &o->u.secret.data
                                                            : &o->u.cm.data) : NULL;
        if (l->src->sub_path || !keys)
            return;               /* a subPath mount of a key is a file, not listed */
        for (i = 0; i < (v->items.n ? v->items.n : keys->n); i++)
            list_one(l, v->items.n ? v->items.items[i].key : keys->items[i].key);
        return;
    }
    if (!ksi_data_vol_key(l->sim, l->p, v, &k))
        return;
    for (i = 0; i < ks_datadir_count(l->sim); i++) {
        ksi_dir *d = ksi_data_dir_at(l->sim, i);
        const char *dir = ksi_data_pub(d)->path;
        if (!ksi_data_of_vol(d, &k))
            continue;
        for (j = 0; j < ksi_data_nfiles(d); j++) {
            const char *name = ksi_data_file_name(d, (uint32_t)j);
            char vpath[1024];
            size_t sl = strlen(sub);
            if (!name)
                continue;
            snprintf(vpath, sizeof vpath, "%s%s%s", dir, *dir ? "/" : "", name);
            if (!sl)
                list_one(l, vpath);
            else if (under(vpath, sub, sl))
                list_one(l, vpath + sl + 1);
        }
    }
}

int ksi_data_list(ks_sim *sim, const ksi_pod *p, size_t c, const char *dir,
                  void (*each)(void *arg, const char *path), void *arg)
{
    const ks_container *spec = p->pub.containers[c].spec;
    lister l = {sim, p, c, dir, strlen(dir), NULL, "", 0, each, arg, false};
    const ks_volume *vol;
    const char *rest;
    size_t k;
    while (l.dir_len > 0 && dir[l.dir_len - 1] == '/')
        l.dir_len--;
    if (!ks_mount_of(p->pub.spec, spec, dir, &vol, &rest))
        return -1;                /* the image's own files: not simulated */
    /* the mount dir lies in, and those below it */
    for (k = 0; k < spec->nmounts; k++) {
        const ks_mount *m = &spec->mounts[k];
        l.src = m;
        l.prefix = m->path;
        l.prefix_len = strlen(m->path);
        while (l.prefix_len > 0 && m->path[l.prefix_len - 1] == '/')
            l.prefix_len--;
        if (strncmp(m->path, dir, l.dir_len) == 0 && l.prefix_len >= l.dir_len
            && (l.prefix_len == l.dir_len || m->path[l.dir_len] == '/'))
            l.any = true;         /* a mount point at or below dir: a directory */
        else if (!under(dir, m->path, l.prefix_len))
            continue;
        list_source(&l, ks_mount_volume(p->pub.spec, m));
    }
    return l.any;
}
