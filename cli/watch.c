/* watch.c -- waiting for saved files (see watch.h).
 *
 * inotify tells us *that* something happened in a folder; a scan of the
 * files' (mtime, size, inode) tells us *what*. Without inotify the scan
 * alone runs every KSC_WATCH_POLL_MS. With it the scan still runs once a
 * second as a safety net (a folder deleted and made again, an event queue
 * overflow), which costs a few stat() calls.
 */
#include "watch.h"
#include "runcli.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/inotify.h>
#define HAVE_INOTIFY 1
#endif

#define SAFETY_SCAN_MS 1000        /* with inotify: rescan this often anyway */
#define MAX_SETTLE_MS 2000         /* a file written without pause runs anyway */

typedef struct place {
    char *path;                    /* as added */
    char *dir;                     /* the folder inotify watches */
    const char *base;              /* file places: the name inside dir */
    bool is_dir;
    int wd;                        /* inotify watch, -1 none */
} place;

typedef struct fstate {
    char *path;
    long long mtime_s, mtime_ns, size;
    unsigned long long ino;
} fstate;

typedef struct snapshot {
    fstate *f;
    size_t n, cap;
} snapshot;

struct ksc_watch {
    place *places;
    size_t nplaces, cap;
    snapshot snap;                 /* the files as last reported */
    int ifd;                       /* inotify, or -1: polling */
    bool force_poll;
    bool rewatch;                  /* some folder has no inotify watch */
};

/* ---- files ------------------------------------------------------------------------ */
static bool manifest_name(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.' || name[0] == '#')     /* editors' lock and backup files */
        return false;
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0)
           || (n > 4 && strcmp(name + n - 4, ".yml") == 0)
           || (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static void snapshot_free(snapshot *s)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        free(s->f[i].path);
    free(s->f);
    memset(s, 0, sizeof *s);
}

static int snapshot_add(snapshot *s, const char *path)
{
    struct stat st;
    fstate *f;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        fstate *p = realloc(s->f, cap * sizeof *p);
        if (!p)
            return -1;
        s->f = p;
        s->cap = cap;
    }
    f = &s->f[s->n];
    memset(f, 0, sizeof *f);
    if (!(f->path = strdup(path)))
        return -1;
    if (stat(path, &st) == 0) {
        f->mtime_s = (long long)st.st_mtim.tv_sec;
        f->mtime_ns = (long long)st.st_mtim.tv_nsec;
        f->size = (long long)st.st_size;
        f->ino = (unsigned long long)st.st_ino;
    } else {
        f->size = -1;              /* missing: a state of its own */
    }
    s->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The manifest files of a folder, in name order. */
static int scan_dir(snapshot *s, const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;
    if (!dp)
        return snapshot_add(s, dir);      /* a missing folder is a state too */
    while ((e = readdir(dp)) != NULL && rc == 0) {
        if (!manifest_name(e->d_name))
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *p);
            if (!p) {
                rc = -1;
                break;
            }
            names = p;
        }
        if (!(names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2))) {
            rc = -1;
            break;
        }
        sprintf(names[n++], "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
    }
    closedir(dp);
    if (rc == 0 && n)
        qsort(names, n, sizeof *names, cmp_str);
    for (i = 0; i < n; i++) {
        if (rc == 0)
            rc = snapshot_add(s, names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int scan(const ksc_watch *w, snapshot *s)
{
    size_t i;
    memset(s, 0, sizeof *s);
    for (i = 0; i < w->nplaces; i++) {
        int rc = w->places[i].is_dir ? scan_dir(s, w->places[i].path)
                                     : snapshot_add(s, w->places[i].path);
        if (rc != 0) {
            snapshot_free(s);
            return -1;
        }
    }
    return 0;
}

/* Whether two scans differ; if so, names a file that changed. */
static bool differ(const snapshot *a, const snapshot *b, char *what, size_t n)
{
    size_t i;
    for (i = 0; i < a->n || i < b->n; i++) {
        const fstate *x = i < a->n ? &a->f[i] : NULL, *y = i < b->n ? &b->f[i] : NULL;
        if (x && y && strcmp(x->path, y->path) == 0 && x->mtime_s == y->mtime_s
            && x->mtime_ns == y->mtime_ns && x->size == y->size && x->ino == y->ino)
            continue;
        snprintf(what, n, "%s", y ? y->path : x->path);
        return true;
    }
    return false;
}

/* ---- inotify ------------------------------------------------------------------------ */
#ifdef HAVE_INOTIFY
#define WATCH_MASK                                                                        \
    (IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE     \
     | IN_DELETE_SELF | IN_MOVE_SELF)

static void add_watches(ksc_watch *w)
{
    size_t i;
    w->rewatch = false;
    for (i = 0; i < w->nplaces; i++) {
        place *p = &w->places[i];
        p->wd = inotify_add_watch(w->ifd, p->dir, WATCH_MASK);
        if (p->wd < 0)
            w->rewatch = true;     /* not there (yet): try again later */
    }
}

/* Reads what inotify has; true when something concerns a watched file. */
static bool drain(ksc_watch *w, char *what, size_t n)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool hit = false;
    for (;;) {
        ssize_t len = read(w->ifd, buf, sizeof buf);
        char *p;
        if (len <= 0)
            break;
        for (p = buf; p < buf + len; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            size_t i;
            if (ev->mask & IN_Q_OVERFLOW) {
                hit = true;
                continue;
            }
            if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
                w->rewatch = true;          /* the folder went: watch it again */
                hit = true;
                continue;
            }
            if (!ev->len)
                continue;
            for (i = 0; i < w->nplaces; i++) {
                const place *pl = &w->places[i];
                if (pl->wd != ev->wd)
                    continue;
                if (pl->is_dir ? manifest_name(ev->name) : strcmp(pl->base, ev->name) == 0) {
                    snprintf(what, n, "%s%s%s", pl->dir,
                             pl->dir[strlen(pl->dir) - 1] == '/' ? "" : "/", ev->name);
                    hit = true;
                    break;
                }
            }
        }
    }
    return hit;
}
#endif

/* ---- the watch ---------------------------------------------------------------------- */
ksc_watch *ksc_watch_create(bool force_poll)
{
    ksc_watch *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->ifd = -1;
    w->force_poll = force_poll;
    return w;
}

void ksc_watch_destroy(ksc_watch *w)
{
    size_t i;
    if (!w)
        return;
    if (w->ifd >= 0)
        close(w->ifd);
    for (i = 0; i < w->nplaces; i++) {
        free(w->places[i].path);
        free(w->places[i].dir);
    }
    free(w->places);
    snapshot_free(&w->snap);
    free(w);
}

int ksc_watch_add(ksc_watch *w, const char *path, bool is_dir)
{
    place *p;
    const char *slash;
    if (w->nplaces == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 8;
        place *np = realloc(w->places, cap * sizeof *np);
        if (!np)
            return -1;
        w->places = np;
        w->cap = cap;
    }
    p = &w->places[w->nplaces];
    memset(p, 0, sizeof *p);
    p->is_dir = is_dir;
    p->wd = -1;
    if (!(p->path = strdup(path)))
        return -1;
    slash = strrchr(path, '/');
    if (is_dir)
        p->dir = strdup(path);
    else if (slash)
        p->dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
    else
        p->dir = strdup(".");
    if (!p->dir) {
        free(p->path);
        return -1;
    }
    p->base = is_dir ? NULL : slash ? p->path + (slash - path) + 1 : p->path;
    w->nplaces++;
    return 0;
}

int ksc_watch_start(ksc_watch *w)
{
#ifdef HAVE_INOTIFY
    if (!w->force_poll && w->ifd < 0) {
        w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (w->ifd >= 0)
            add_watches(w);
    }
#endif
    snapshot_free(&w->snap);
    return scan(w, &w->snap);
}

static long long now_ms(void)
{
    return (long long)(ksc_wall_seconds() * 1000.0);
}

int ksc_watch_wait(ksc_watch *w, int debounce_ms, volatile sig_atomic_t *stop, int fd,
                   char *what, size_t n)
{
    bool pending = false;          /* a change seen, waiting for quiet */
    bool told = false;             /* inotify saw a save: run even if stat looks the same */
    long long first = 0, deadline = 0;
    what[0] = '\0';
    for (;;) {
        struct pollfd pfd[2];
        long long t;
        int timeout, r, nfd = 0;
        snapshot cur;
        if (*stop)
            return 0;
#ifdef HAVE_INOTIFY
        if (w->ifd >= 0 && w->rewatch)
            add_watches(w);
#endif
        t = now_ms();
        timeout = pending ? (int)(deadline > t ? deadline - t : 0)
                          : w->ifd >= 0 ? SAFETY_SCAN_MS : KSC_WATCH_POLL_MS;
        if (w->ifd >= 0) {
            pfd[nfd].fd = w->ifd;
            pfd[nfd].events = POLLIN;
            pfd[nfd++].revents = 0;
        }
        if (fd >= 0) {                   /* the learner's keyboard: asks for a hint */
            pfd[nfd].fd = fd;
            pfd[nfd].events = POLLIN;
            pfd[nfd++].revents = 0;
        }
        r = poll(pfd, (nfds_t)nfd, timeout);
        if (*stop)
            return 0;
        if (r > 0 && fd >= 0 && (pfd[nfd - 1].revents & (POLLIN | POLLHUP)))
            return 2;
        if (r < 0 && errno != EINTR) {
            usleep(KSC_WATCH_POLL_MS * 1000);   /* should not happen; do not spin */
            continue;
        }
        t = now_ms();
#ifdef HAVE_INOTIFY
        if (r > 0 && w->ifd >= 0 && drain(w, what, n)) {
            if (!pending)
                first = t;
            pending = told = true;
            deadline = t + debounce_ms;
            if (deadline > first + MAX_SETTLE_MS)
                deadline = first + MAX_SETTLE_MS > t ? first + MAX_SETTLE_MS : t;
            continue;
        }
#endif
        if (r != 0 || (pending && t < deadline))
            continue;
        if (scan(w, &cur) != 0)
            continue;                    /* out of memory: try again later */
        if (!pending) {                  /* a poll (or the safety net) */
            char changed[1024];
            if (differ(&w->snap, &cur, changed, sizeof changed)) {
                snprintf(what, n, "%s", changed);
                pending = true;
                first = t;
                deadline = t + debounce_ms;
            }
            snapshot_free(&cur);
            continue;
        }
        {
            char changed[1024] = "";
            if (differ(&w->snap, &cur, changed, sizeof changed) || told) {
                if (!what[0])
                    snprintf(what, n, "%s", changed);
                snapshot_free(&w->snap);
                w->snap = cur;
                return 1;
            }
        }
        snapshot_free(&cur);             /* changed and changed back */
        pending = false;
    }
}

const char *ksc_watch_method(const ksc_watch *w)
{
    return w->ifd >= 0 ? "inotify" : "polling every 500 ms";
}
