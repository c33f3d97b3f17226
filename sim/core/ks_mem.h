/* ks_mem.h -- the one allocation path of the simulation library, and arenas.
 *
 * Nothing in sim/ calls malloc/realloc/free directly: every allocation goes
 * through a ks_allocator (Lua's lua_Alloc shape), so tests can make the n-th
 * allocation fail and check that every caller copes. An arena hands out
 * memory that lives until the arena is destroyed (strings, parsed objects).
 * Depends on: libc only.
 */
#ifndef KS_MEM_H
#define KS_MEM_H

#include <stdbool.h>
#include <stddef.h>

/* One function does all: nsize == 0 frees ptr (returns NULL); ptr == NULL
 * allocates; otherwise reallocates. Returns NULL on failure (ptr untouched).
 * osize is the old size when ptr != NULL (0 otherwise). */
typedef void *(*ks_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

typedef struct ks_allocator {
    ks_alloc_fn fn;
    void *ud;
} ks_allocator;

/* The default allocator (libc malloc/realloc/free). */
ks_allocator ks_allocator_default(void);

/* Convenience wrappers; a NULL allocator means the default one. */
void *ks_mem_alloc(const ks_allocator *a, size_t n);
void *ks_mem_calloc(const ks_allocator *a, size_t count, size_t size);
void *ks_mem_realloc(const ks_allocator *a, void *p, size_t osize, size_t nsize);
void ks_mem_free(const ks_allocator *a, void *p, size_t size);

/* Grows *items (of elem bytes each, capacity *cap) to hold at least need
 * elements, doubling. Returns 0 on success, -1 on failure (*items kept). */
int ks_mem_grow(const ks_allocator *a, void **items, size_t *cap, size_t need,
                size_t elem);

/* ---- arena ------------------------------------------------------------ */
typedef struct ks_arena ks_arena;

/* Creates an arena drawing chunks from a (NULL: default). NULL on failure. */
ks_arena *ks_arena_create(const ks_allocator *a);
/* Frees the arena and everything allocated from it. NULL is fine. */
void ks_arena_destroy(ks_arena *ar);
/* Zeroed memory aligned for any type; NULL on failure. */
void *ks_arena_alloc(ks_arena *ar, size_t n);
/* Copies s (n bytes, plus a NUL) into the arena; NULL on failure. */
char *ks_arena_strndup(ks_arena *ar, const char *s, size_t n);
char *ks_arena_strdup(ks_arena *ar, const char *s);
/* printf into the arena; NULL on failure. */
char *ks_arena_printf(ks_arena *ar, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Whether an allocation was ever refused: callers that turn a NULL into a
 * quiet default (an empty string, no rows) check this once at the end. */
bool ks_arena_failed(const ks_arena *ar);
/* Bytes handed out so far (for memory figures). */
size_t ks_arena_used(const ks_arena *ar);

/* ---- a failing allocator, for out-of-memory tests ---------------------- */
typedef struct ks_failing_alloc {
    long fail_at;    /* the fail_at-th allocation (1-based) fails; 0 = never */
    long count;      /* allocations seen so far */
    int failed;      /* set once an allocation has been refused */
    long live;       /* allocations not yet freed (leak check) */
} ks_failing_alloc;

/* An allocator that counts through f and fails as f->fail_at says. */
ks_allocator ks_allocator_failing(ks_failing_alloc *f);

#endif
