/* ks_file.c -- reading a user's file: regular files only, read to the end
 * (see ks_file.h). */
#include "ks_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#ifndef O_NOCTTY
#define O_NOCTTY 0
#endif

static const char *mode_what(mode_t m)
{
    if (S_ISREG(m))
        return NULL;
    if (S_ISDIR(m))
        return "a folder";
    if (S_ISFIFO(m))
        return "a FIFO (named pipe)";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
#ifdef S_ISSOCK
    if (S_ISSOCK(m))
        return "a socket";
#endif
    return "a special file";
}

const char *ks_file_what(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return NULL;
    return mode_what(st.st_mode);
}

/* The sentence for a path of mode m (not a regular file). */
static void not_regular(const char *path, mode_t m, char *why, size_t n)
{
    struct stat lst;
    char target[256] = "", link[300] = "";
    ssize_t k;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)
        && (k = readlink(path, target, sizeof target - 1)) > 0) {
        target[k] = '\0';
        snprintf(link, sizeof link, " (a symbolic link to %s)", target);
    }
    snprintf(why, n, "this is %s%s, not a regular file; kubesim reads only regular files",
             mode_what(m), link);
}

bool ks_file_check(const char *path, char *why, size_t n)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, n, "cannot read: %s", strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        not_regular(path, st.st_mode, why, n);
        return false;
    }
    if (n)
        why[0] = '\0';
    return true;
}

int ks_file_read(ks_arena *ar, const char *path, size_t max, char **buf, size_t *len,
                 const char **name, ks_diags *d)
{
    char why[512];
    struct stat st;
    size_t cap, got = 0;
    char *p;
    int fd;
    ks_mark at;
    *buf = NULL;
    *len = 0;
    *name = ks_arena_strdup(ar, path);
    if (!*name)
        return ks_diag_error(d, KS_ENOMEM, (ks_mark){path, 0, 0}, "out of memory");
    at = (ks_mark){*name, 0, 0};
    /* stat first: opening a FIFO or a device can block or act */
    if (!ks_file_check(path, why, sizeof why))
        return ks_diag_error(d, KS_EIO, at, "%s", why);
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return ks_diag_error(d, KS_EIO, at, "cannot read: %s", strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        /* swapped for something else since the stat */
        not_regular(path, st.st_mode, why, sizeof why);
        close(fd);
        return ks_diag_error(d, KS_EIO, at, "%s", why);
    }
    if (st.st_size > 0 && (unsigned long long)st.st_size > max) {
        close(fd);
        return ks_diag_error(d, KS_ELIMIT, at, "file too large (%lld bytes; the limit is %zu)",
                             (long long)st.st_size, max);
    }
    /* the size is a first guess only; one byte more tells whether it grew */
    cap = (st.st_size > 0 ? (size_t)st.st_size : 0) + 1;
    if (!(p = ks_arena_alloc(ar, cap + 1))) {
        close(fd);
        return ks_diag_error(d, KS_ENOMEM, at, "out of memory");
    }
    for (;;) {
        ssize_t k = read(fd, p + got, cap - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            close(fd);
            return ks_diag_error(d, KS_EIO, at, "cannot read: %s", strerror(e));
        }
        if (k == 0)
            break;
        got += (size_t)k;
        if (got > max) {
            close(fd);
            return ks_diag_error(d, KS_ELIMIT, at,
                                 "file too large (more than %zu bytes, the limit)", max);
        }
        if (got == cap) {          /* more than it said: grow, in the arena */
            size_t ncap = cap * 2 < max + 1 ? cap * 2 : max + 1;
            char *q = ks_arena_alloc(ar, ncap + 1);
            if (!q) {
                close(fd);
                return ks_diag_error(d, KS_ENOMEM, at, "out of memory");
            }
            memcpy(q, p, got);
            p = q;
            cap = ncap;
        }
    }
    close(fd);
    if (st.st_size == 0 && got > 0)
        return ks_diag_error(d, KS_EIO, at,
                             "this is a special file: it says it is empty but it has "
                             "content (like the kernel's files under /proc and /sys), not a "
                             "regular file; kubesim reads only regular files");
    p[got] = '\0';
    *buf = p;
    *len = got;
    return KS_OK;
}
