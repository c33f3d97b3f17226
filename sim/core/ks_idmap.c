/* ks_idmap.c -- see ks_idmap.h. Load factor at most 3/4; keys are mixed
 * (Fibonacci hashing) so consecutive ids spread over the table. */
#include "ks_idmap.h"

#include <string.h>

static size_t home_of(const ks_idmap *m, uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (m->cap - 1);
}

uint64_t *ks_idmap_find(const ks_idmap *m, uint64_t key)
{
    size_t i;
    if (!m->cap || !key)
        return NULL;
    for (i = home_of(m, key); m->slots[i].key; i = (i + 1) & (m->cap - 1))
        if (m->slots[i].key == key)
            return &m->slots[i].value;
    return NULL;
}

static int grow(ks_idmap *m, const ks_allocator *a)
{
    ks_idmap bigger = {NULL, 0, m->cap ? m->cap * 2 : 64};
    size_t i, k;
    bigger.slots = ks_mem_calloc(a, bigger.cap, sizeof *bigger.slots);
    if (!bigger.slots)
        return -1;
    for (i = 0; i < m->cap; i++)
        if (m->slots[i].key) {
            for (k = home_of(&bigger, m->slots[i].key); bigger.slots[k].key;
                 k = (k + 1) & (bigger.cap - 1))
                ;
            bigger.slots[k] = m->slots[i];
            bigger.n++;
        }
    ks_mem_free(a, m->slots, m->cap * sizeof *m->slots);
    *m = bigger;
    return 0;
}

uint64_t *ks_idmap_get(ks_idmap *m, const ks_allocator *a, uint64_t key)
{
    uint64_t *v = ks_idmap_find(m, key);
    size_t i;
    if (v || !key)
        return v;
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m, a) != 0)
        return NULL;
    for (i = home_of(m, key); m->slots[i].key; i = (i + 1) & (m->cap - 1))
        ;
    m->slots[i].key = key;
    m->slots[i].value = 0;
    m->n++;
    return &m->slots[i].value;
}

bool ks_idmap_remove(ks_idmap *m, uint64_t key)
{
    size_t i, j, mask;
    uint64_t *v = ks_idmap_find(m, key);
    if (!v)
        return false;
    mask = m->cap - 1;
    i = j = (size_t)((ks_idmap_slot *)((char *)v - offsetof(ks_idmap_slot, value)) - m->slots);
    m->slots[i].key = 0;
    m->n--;
    for (;;) {
        size_t home;
        j = (j + 1) & mask;
        if (!m->slots[j].key)
            return true;
        home = home_of(m, m->slots[j].key);
        /* it stays unless its home lies cyclically after the hole */
        if ((i <= j) ? (i < home && home <= j) : (i < home || home <= j))
            continue;
        m->slots[i] = m->slots[j];
        m->slots[j].key = 0;
        i = j;
    }
}

void ks_idmap_fini(ks_idmap *m, const ks_allocator *a)
{
    ks_mem_free(a, m->slots, m->cap * sizeof *m->slots);
    memset(m, 0, sizeof *m);
}
