/* ks_mem.c -- allocator hook and arenas (see ks_mem.h). */
#include "ks_mem.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

ks_allocator ks_allocator_default(void)
{
    return (ks_allocator){default_alloc, NULL};
}

static const ks_allocator *pick(const ks_allocator *a)
{
    static const ks_allocator dflt = {default_alloc, NULL};
    return (a && a->fn) ? a : &dflt;
}

void *ks_mem_alloc(const ks_allocator *a, size_t n)
{
    a = pick(a);
    return a->fn(a->ud, NULL, 0, n ? n : 1);
}

void *ks_mem_calloc(const ks_allocator *a, size_t count, size_t size)
{
    void *p;
    if (size && count > SIZE_MAX / size)
        return NULL;
    p = ks_mem_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *ks_mem_realloc(const ks_allocator *a, void *p, size_t osize, size_t nsize)
{
    a = pick(a);
    return a->fn(a->ud, p, p ? osize : 0, nsize ? nsize : 1);
}

void ks_mem_free(const ks_allocator *a, void *p, size_t size)
{
    if (!p)
        return;
    a = pick(a);
    a->fn(a->ud, p, size, 0);
}

int ks_mem_grow(const ks_allocator *a, void **items, size_t *cap, size_t need,
                size_t elem)
{
    size_t ncap;
    void *p;
    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return -1;
        ncap *= 2;
    }
    p = ks_mem_realloc(a, *items, *cap * elem, ncap * elem);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

/* ---- arena: a list of chunks, bump allocation inside each -------------- */
typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    max_align_t data[];
} chunk;

struct ks_arena {
    ks_allocator alloc;
    chunk *head;
    size_t total;
    size_t next_chunk;            /* the size of the next chunk */
    bool failed;                  /* an allocation was refused (sticky) */
};

/* Chunks start small and double up to ARENA_CHUNK: most arenas (a container
   process's: its environment, a few strings) need a few hundred bytes, and a
   16 KiB first chunk each was most of a pod's memory at 100,000 pods. */
#define ARENA_FIRST_CHUNK 512
#define ARENA_CHUNK 16384

ks_arena *ks_arena_create(const ks_allocator *a)
{
    ks_arena *ar = ks_mem_alloc(a, sizeof *ar);
    if (!ar)
        return NULL;
    ar->alloc = *pick(a);
    ar->head = NULL;
    ar->total = 0;
    ar->next_chunk = ARENA_FIRST_CHUNK;
    ar->failed = false;
    return ar;
}

void ks_arena_destroy(ks_arena *ar)
{
    chunk *c, *next;
    if (!ar)
        return;
    for (c = ar->head; c; c = next) {
        next = c->next;
        ks_mem_free(&ar->alloc, c, sizeof *c + c->size);
    }
    ks_mem_free(&ar->alloc, ar, sizeof *ar);
}

void *ks_arena_alloc(ks_arena *ar, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    chunk *c = ar->head;
    void *p;
    if (n > SIZE_MAX / 2) {
        ar->failed = true;
        return NULL;
    }
    n = (n + align - 1) / align * align;
    if (!n)
        n = align;
    if (!c || c->size - c->used < n) {
        bool one_off = n > ar->next_chunk;
        size_t size = one_off ? n : ar->next_chunk;
        c = ks_mem_alloc(&ar->alloc, sizeof *c + size);
        if (!c) {
            ar->failed = true;
            return NULL;
        }
        c->size = size;
        c->used = 0;
        /* a big one-off block goes behind the current chunk, so the rest of
           the current chunk stays usable */
        if (ar->head && one_off) {
            c->next = ar->head->next;
            ar->head->next = c;
        } else {
            c->next = ar->head;
            ar->head = c;
            if (ar->next_chunk < ARENA_CHUNK)
                ar->next_chunk *= 2;
        }
    }
    p = (char *)c->data + c->used;
    c->used += n;
    ar->total += n;
    memset(p, 0, n);
    return p;
}

char *ks_arena_strndup(ks_arena *ar, const char *s, size_t n)
{
    char *p = ks_arena_alloc(ar, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ks_arena_strdup(ks_arena *ar, const char *s)
{
    return ks_arena_strndup(ar, s, strlen(s));
}

char *ks_arena_printf(ks_arena *ar, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = ks_arena_alloc(ar, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

bool ks_arena_failed(const ks_arena *ar)
{
    return ar->failed;
}

size_t ks_arena_used(const ks_arena *ar)
{
    return ar->total;
}

/* ---- failing allocator -------------------------------------------------- */
static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    ks_failing_alloc *f = ud;
    (void)osize;
    if (nsize == 0) {
        if (ptr)
            f->live--;
        free(ptr);
        return NULL;
    }
    f->count++;
    if (f->fail_at && f->count >= f->fail_at) {
        f->failed = 1;
        return NULL;
    }
    if (!ptr)
        f->live++;
    return realloc(ptr, nsize);
}

ks_allocator ks_allocator_failing(ks_failing_alloc *f)
{
    return (ks_allocator){failing_alloc, f};
}
