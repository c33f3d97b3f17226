/* ks_images.c -- each node's image cache: an image pulled once (or there
 * from the start, as the ingress addon's) is not pulled again on that node.
 *
 * One table for all nodes, keyed by (node, image name): open addressing
 * with linear probing; entries are never removed (a node keeps what it
 * pulled). A lookup is a hash and, on a hit, one string compare, so a
 * cluster of 10,000 nodes costs what one of ten does.
 */
#include <string.h>

#include "cluster/internal/cluster.h"
#include "core/internal/sim.h"
#include "internal/kubelet.h"

typedef struct image_entry {
    uint64_t hash;                /* of node and image; 0 = empty slot */
    ks_id node;
    const char *image;            /* sim-lifetime copy */
} image_entry;

struct ksi_images {
    image_entry *items;
    size_t n, cap;                /* cap: a power of two, or 0 */
};

static uint64_t key_of(ks_id node, const char *image)
{
    uint64_t h = 0xcbf29ce484222325ull ^ node;
    for (; *image; image++)
        h = (h ^ (unsigned char)*image) * 0x100000001b3ull;
    h ^= h >> 31;
    return h ? h : 1;
}

static const image_entry *find(const struct ksi_images *ic, uint64_t h, ks_id node,
                               const char *image)
{
    size_t i;
    if (!ic || !ic->cap)
        return NULL;
    for (i = (size_t)h & (ic->cap - 1); ic->items[i].hash; i = (i + 1) & (ic->cap - 1))
        if (ic->items[i].hash == h && ic->items[i].node == node
            && strcmp(ic->items[i].image, image) == 0)
            return &ic->items[i];
    return NULL;
}

bool ksi_node_has_image(const ks_sim *sim, ks_id node, const char *image)
{
    return find(sim->cluster->images, key_of(node, image), node, image) != NULL;
}

static void put(struct ksi_images *ic, image_entry e)
{
    size_t i = (size_t)e.hash & (ic->cap - 1);
    while (ic->items[i].hash)
        i = (i + 1) & (ic->cap - 1);
    ic->items[i] = e;
    ic->n++;
}

/* Doubles the table (the old one stays in the sim's arena, as every
 * allocation of this cache does). */
static int grow(ks_sim *sim, struct ksi_images *ic)
{
    struct ksi_images bigger = {NULL, 0, ic->cap ? ic->cap * 2 : 64};
    size_t i;
    if (!(bigger.items = ksi_zalloc(sim, bigger.cap * sizeof *bigger.items)))
        return -1;
    for (i = 0; i < ic->cap; i++)
        if (ic->items[i].hash)
            put(&bigger, ic->items[i]);
    *ic = bigger;
    return 0;
}

void ksi_node_add_image(ks_sim *sim, ks_id node, const char *image)
{
    ksi_cluster *c = sim->cluster;
    uint64_t h = key_of(node, image);
    image_entry e;
    if (!c->images && !(c->images = ksi_zalloc(sim, sizeof(struct ksi_images))))
        return;
    if (find(c->images, h, node, image))
        return;
    if ((c->images->n + 1) * 4 > c->images->cap * 3 && grow(sim, c->images) != 0)
        return;
    e.hash = h;
    e.node = node;
    e.image = ksi_strdup(sim, image);
    if (e.image)
        put(c->images, e);
}
