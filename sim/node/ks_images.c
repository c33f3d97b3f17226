/* ks_images.c -- each node's image cache: an image pulled once (or there
 * from the start, as the ingress addon's) is not pulled again on that node.
 */
#include <string.h>

#include "cluster/internal/cluster.h"
#include "core/internal/sim.h"
#include "internal/kubelet.h"

typedef struct image_entry {
    ks_id node;
    const char *image;
} image_entry;

/* The image caches of all nodes: a flat list, searched linearly (images x
 * nodes stays small in lessons; 500 nodes x 10 images is 5,000 entries). */
struct ksi_images {
    image_entry *items;
    size_t n, cap;
};

static struct ksi_images *cache_of(ks_sim *sim)
{
    ksi_cluster *c = sim->cluster;
    if (!c->images)
        c->images = ksi_zalloc(sim, sizeof(struct ksi_images));
    return c->images;
}

bool ksi_node_has_image(const ks_sim *sim, ks_id node, const char *image)
{
    const struct ksi_images *ic = sim->cluster->images;
    size_t i;
    for (i = 0; ic && i < ic->n; i++)
        if (ic->items[i].node == node && strcmp(ic->items[i].image, image) == 0)
            return true;
    return false;
}

void ksi_node_add_image(ks_sim *sim, ks_id node, const char *image)
{
    struct ksi_images *ic = cache_of(sim);
    if (!ic || ksi_node_has_image(sim, node, image))
        return;
    if (ic->n == ic->cap) {
        size_t cap = ic->cap ? ic->cap * 2 : 32;
        image_entry *items = ksi_zalloc(sim, cap * sizeof *items);
        if (!items)
            return;
        if (ic->n)
            memcpy(items, ic->items, ic->n * sizeof *items);
        ic->items = items;
        ic->cap = cap;
    }
    ic->items[ic->n].node = node;
    ic->items[ic->n].image = ksi_strdup(sim, image);
    ic->n++;
}

