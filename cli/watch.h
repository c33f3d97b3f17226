/* watch.h -- waits for a learner's manifest files to change (exercise mode).
 *
 * A watch holds a set of places: a folder (every *.yaml, *.yml and *.json
 * file in it, not subfolders, as kubectl reads a folder) or one file. On
 * Linux it sleeps on inotify, watching the folders (not the files, so an
 * editor that saves by writing a new file and renaming it over the old one
 * is still seen); elsewhere, or when inotify is not available, it polls the
 * files' mtimes every 500 ms. Either way a change is reported only once
 * the files have been quiet for a short while (debounce), so a save that
 * truncates, then writes, then renames runs once.
 */
#ifndef KSC_WATCH_H
#define KSC_WATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#define KSC_WATCH_POLL_MS 500          /* polling period without inotify */
#define KSC_WATCH_DEBOUNCE_MS 200      /* quiet time before a change counts */

typedef struct ksc_watch ksc_watch;

/* Creates an empty watch. force_poll: never use inotify (tests, and
 * filesystems where it does not work, e.g. some network mounts). NULL
 * when out of memory. */
ksc_watch *ksc_watch_create(bool force_poll);
/* Frees the watch. NULL is fine. */
void ksc_watch_destroy(ksc_watch *w);

/* Adds a folder (is_dir) or a file. Returns 0, or -1 when out of memory.
 * The place need not exist yet. */
int ksc_watch_add(ksc_watch *w, const char *path, bool is_dir);
/* Starts watching what was added and takes the files' state as it is now
 * (later changes are measured against it). Returns 0, or -1 when out of
 * memory. */
int ksc_watch_start(ksc_watch *w);

/* Waits until a watched file changes (and then stays quiet for debounce_ms),
 * until *stop becomes non-zero (a signal handler sets it; the wait wakes
 * up on the signal), or until fd (>= 0; -1: none) can be read. Returns 1 on
 * a change, with the path of a changed file in what (n bytes), 2 when fd
 * can be read, or 0 when stopped. */
int ksc_watch_wait(ksc_watch *w, int debounce_ms, volatile sig_atomic_t *stop, int fd,
                   char *what, size_t n);

/* "inotify" or "polling every 500 ms", for the learner. */
const char *ksc_watch_method(const ksc_watch *w);

#endif
