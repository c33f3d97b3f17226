/* ks_file.h -- the one way kubesim reads a user's file.
 *
 * Only regular files are read. A FIFO, a device (/dev/zero), a socket or a
 * folder given where a file is expected is refused at its path, saying what
 * it is (and, for a symbolic link, what it points to), before anything
 * could block: the type is checked with stat, the file is opened
 * non-blocking and checked again with fstat (it may have been swapped in
 * between). Files are read by reading them until the end, never by
 * trusting a size: a file that says it is empty but is not (the kernel's
 * files under /proc and /sys) is refused too, as is one over the limit.
 * Depends on: ks_mem, ks_diag (libc and POSIX open/fstat/read).
 */
#ifndef KS_FILE_H
#define KS_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ks_diag.h"
#include "core/ks_mem.h"

/* What path is when it is not a regular file, in words for a message:
 * "a folder", "a FIFO (named pipe)", "a character device", "a block
 * device", "a socket", "a special file"; NULL for a regular file, or when
 * it cannot be examined (then errno says why). Follows symbolic links. */
const char *ks_file_what(const char *path);

/* Why path is not something kubesim reads as a file, as a whole sentence
 * after the path ("is a FIFO (named pipe) ..., not a file; kubesim reads
 * only regular files"), with the target of a symbolic link; "" when it is
 * a regular file. Missing paths give strerror's words. Returns false when
 * path is not a readable regular file. */
bool ks_file_check(const char *path, char *why, size_t n);

/* Reads the whole regular file at path into ar (NUL-terminated; it may
 * hold NUL bytes: *len counts them), refusing more than max bytes. *name
 * is path interned in ar (for marks). On failure records a located error
 * in d and returns its code (KS_EIO: missing, unreadable or not a regular
 * file; KS_ELIMIT: over max; KS_ENOMEM); *buf is NULL then. */
int ks_file_read(ks_arena *ar, const char *path, size_t max, char **buf, size_t *len,
                 const char **name, ks_diags *d);

#endif
