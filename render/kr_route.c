/* kr_route.c -- mount lines: from a pod card to the disk of each claim it
 * mounts, through the gaps between cards, so a line never crosses a card
 * that is not its own (a line across a server card reads as if that server
 * mounted the claim).
 *
 * The route, all in straight horizontal and vertical runs:
 *   down from the card's bottom; if cards lie below it in its column, along
 *   the gap under its row to the nearer gap between columns and down that;
 *   below the grid, out of the box (through the gap between boxes when
 *   other boxes lie below); along the gap above the storage band; down into
 *   the disk's top.
 * Depends on: kr_layouti. No SDL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_layouti.h"
#include "core/ks_mem.h"

typedef struct path {
    float x[KR_ROUTE_POINTS], y[KR_ROUTE_POINTS];
    int n;
} path;

static void to(path *p, float x, float y)
{
    if (p->n > 0 && p->x[p->n - 1] == x && p->y[p->n - 1] == y)
        return;
    /* a point on the line of the last two replaces the last one */
    if (p->n >= 2 && ((p->x[p->n - 2] == p->x[p->n - 1] && p->x[p->n - 1] == x)
                      || (p->y[p->n - 2] == p->y[p->n - 1] && p->y[p->n - 1] == y))) {
        p->x[p->n - 1] = x;
        p->y[p->n - 1] = y;
        return;
    }
    if (p->n < KR_ROUTE_POINTS) {
        p->x[p->n] = x;
        p->y[p->n] = y;
        p->n++;
    }
}

/* Which slots of every box hold a card (of a pod or a ghost), and the
 * lowest row with one: built once a frame, when a pod mounts a claim. */
typedef struct occupancy {
    const unsigned char *occ;
    size_t *base;              /* box -> its first slot in occ */
    int *last;                 /* box -> its lowest row with a card, -1 */
} occupancy;

static int occupy(kr_layout *l, occupancy *o)
{
    size_t b, i, total = 0;
    unsigned char *occ;
    o->base = malloc((l->nbox + 1) * sizeof *o->base);
    o->last = malloc((l->nbox + 1) * sizeof *o->last);
    if (!o->base || !o->last)
        return -1;
    for (b = 0; b < l->nbox; b++) {
        o->base[b] = total;
        o->last[b] = -1;
        total += (size_t)kr_imax(0, l->box[b].cols * l->box[b].rows);
    }
    if (ks_mem_grow(NULL, (void **)&l->occ, &l->cap_occ, total + 1, 1))
        return -1;
    occ = l->occ;
    memset(occ, 0, total + 1);
    for (i = 0; i < l->npod + l->nghost; i++) {
        int bx = i < l->npod ? l->pod[i].box : l->ghost[i - l->npod].box;
        int s = i < l->npod ? l->pod[i].slot : l->ghost[i - l->npod].g.slot;
        bool shown = i < l->npod ? l->pod[i].r.w > 0 : l->ghost[i - l->npod].r.w > 0;
        if (!shown)
            continue;
        occ[o->base[bx] + (size_t)s] = 1;
        o->last[bx] = kr_imax(o->last[bx], s / l->box[bx].cols);
    }
    o->occ = occ;
    return 0;
}

static bool taken(const occupancy *o, int b, int s)
{
    return o->occ[o->base[b] + (size_t)s] != 0;
}

/* The x of the gap left of column c of box b (c == cols: right of the last). */
static float column_gap(const kr_box *b, int c)
{
    float x = (float)b->inner.x + (float)c * (float)(b->cell_w + b->gap) - (float)b->gap / 2;
    if (c == 0)
        return ((float)b->r.x + (float)b->inner.x) / 2;
    if (c == b->cols && x > (float)(b->inner.x + b->inner.w))
        return ((float)(b->inner.x + b->inner.w) + (float)(b->r.x + b->r.w)) / 2;
    return x;
}

/* Whether another box lies below box b (in the same column of boxes). */
static bool box_below(const kr_layout *l, int b)
{
    size_t i;
    const kr_rect r = l->box[b].r;
    for (i = 0; i < l->nbox; i++)
        if ((int)i != b && l->box[i].r.y > r.y && l->box[i].r.x < r.x + r.w
            && r.x < l->box[i].r.x + l->box[i].r.w)
            return true;
    return false;
}

static void route(const kr_layout *l, const occupancy *o, const kr_pod_place *pp,
                  const kr_place *d, int m, path *p)
{
    const kr_box *b = &l->box[pp->box];
    kr_rect c = pp->r;
    int col = pp->slot % b->cols, row = pp->slot / b->cols, lr = o->last[pp->box], r;
    float x = (float)c.x + (float)c.w / 2, y = (float)(c.y + c.h);
    float lo = (float)d->r.x + (float)d->r.w * 0.15f, hi = (float)d->r.x + (float)d->r.w * 0.85f;
    float want;
    /* where the disk is entered: the nearest point right of the band's
     * title, so the line does not cross it */
    if (lo < (float)l->storage_title + (float)m)
        lo = (float)l->storage_title + (float)m;
    if (lo > hi)
        lo = hi;
    want = x < lo ? lo : x > hi ? hi : x;
    float below = (float)(b->inner.y + (lr + 1) * (b->band + b->cell_h + b->gap))
                  - (float)b->gap / 2;
    float channel = (float)(l->nodes.y + l->nodes.h) + (float)m / 2;
    bool blocked = false;
    p->n = 0;
    to(p, x, y);
    for (r = row + 1; r <= lr && !blocked; r++)
        blocked = taken(o, pp->box, col + r * b->cols);
    if (blocked) {
        /* along the gap under its row to the gap beside its column that is
         * nearer the disk, then down that gap */
        float gl = column_gap(b, col), gr = column_gap(b, col + 1), gx;
        /* a gap between columns rather than the box's narrow margin */
        if (col == 0 && b->cols > 1)
            gx = gr;
        else if (col == b->cols - 1 && col > 0)
            gx = gl;
        else
            gx = (want - gl) * (want - gl) <= (want - gr) * (want - gr) ? gl : gr;
        y = (float)(c.y + c.h) + (float)b->gap / 2;
        to(p, x, y);
        x = gx;
        to(p, x, y);
    }
    if (below > (float)(b->r.y + b->r.h) - 1)
        below = (float)(b->r.y + b->r.h) - 1;
    if (box_below(l, pp->box)) {
        /* out through the gap beside the box */
        float gl = (float)b->r.x - (float)m / 2, gr = (float)(b->r.x + b->r.w) + (float)m / 2;
        to(p, x, below);
        x = (want - gl) * (want - gl) <= (want - gr) * (want - gr) ? gl : gr;
        to(p, x, below);
    }
    to(p, x, channel);
    to(p, want, channel);
    to(p, want, (float)d->r.y + (float)d->r.h * 0.12f);
}

static const char *mount_path(const ks_pod *p, const char *volume)
{
    size_t c, k;
    for (c = 0; p->spec && c < p->spec->ncontainers; c++)
        for (k = 0; k < p->spec->containers[c].nmounts; k++)
            if (strcmp(p->spec->containers[c].mounts[k].name, volume) == 0)
                return p->spec->containers[c].mounts[k].path;
    return NULL;
}

/* The forms of a mount's label, longest first: "mount: PATH", then the
 * path's last two parts ("mount: .../postgresql/data", an ellipsis for the
 * dots), its last part (".../data"); false when a form does not apply (a
 * path of one or two parts is short as it is). */
static bool label_form(const char *mpath, int form, char *buf, size_t n)
{
    const char *last = strrchr(mpath, '/'), *two = last;
    if (form == 0) {
        snprintf(buf, n, "mount: %s", mpath);
        return true;
    }
    if (!last || last == mpath || !last[1])
        return false;                    /* "/data", "data": the full form is short */
    while (two > mpath && two[-1] != '/')
        two--;
    two = two > mpath ? two - 1 : two;    /* the '/' before the last two parts */
    if (form == 1 && two > mpath)
        snprintf(buf, n, "mount: \xE2\x80\xA6%s", two);
    else if (form == 2 && two > mpath)
        snprintf(buf, n, "\xE2\x80\xA6%s", last);
    else
        return false;
    return true;
}

/* Whether [x0, x1) on the label row is free: inside the storage band, off
 * every label placed and every mount line (each one's runs along the row
 * and its crossings of it) but own's. */
static bool row_free(const kr_layout *l, float x0, float x1, int y0, int y1, int clear,
                     const kr_mount *own)
{
    size_t i;
    int k;
    if (x0 < (float)l->storage.x || x1 > (float)(l->storage.x + l->storage.w))
        return false;
    for (i = 0; i < l->nmount; i++) {
        const kr_mount *mt = &l->mount[i];
        if (mt->label.w && x0 < (float)(mt->label.x + mt->label.w + clear)
            && (float)(mt->label.x - clear) < x1)
            return false;
        for (k = 0; k + 1 < mt->n && mt != own; k++) {
            float a = mt->x[k] < mt->x[k + 1] ? mt->x[k] : mt->x[k + 1];
            float b = mt->x[k] < mt->x[k + 1] ? mt->x[k + 1] : mt->x[k];
            float ya = mt->y[k] < mt->y[k + 1] ? mt->y[k] : mt->y[k + 1];
            float yb = mt->y[k] < mt->y[k + 1] ? mt->y[k + 1] : mt->y[k];
            if (yb >= (float)y0 && ya <= (float)y1 && x0 < b + (float)clear
                && a - (float)clear < x1)
                return false;
        }
    }
    return true;
}

/* "mount: PATH" on the gap above the storage band, beside where its line
 * turns down into the disk: right of it, else left; clear of every other
 * label and every mount line (its own run along the gap too, if it can),
 * inside the band's width. When the full form fits on neither side, a
 * shorter one does (label_form); one label per disk. Labels are placed from the rightmost line leftwards, so a label
 * that takes the left side leaves the right side of the next line free. */
static void labels(kr_layout *l, const kr_layout_input *in, int m)
{
    int th = kr_iround(l->font.small * 1.3), pad = kr_iround(l->font.small * 0.3);
    int y = l->nodes.y + l->nodes.h + m / 2 - th / 2, clear = kr_imax(2, pad);
    size_t i, j, done;
    for (done = 0; done < l->nmount; done++) {
        kr_mount *mt = NULL;
        float ex = 0;
        int form;
        for (i = 0; i < l->nmount; i++) {        /* the rightmost not done yet */
            kr_mount *c = &l->mount[i];
            if (c->tried)
                continue;
            if (!mt || c->x[c->n - 1] > ex) {
                mt = c;
                ex = c->x[c->n - 1];
            }
        }
        mt->tried = true;
        if (!mt->path || !mt->labelled)
            continue;
        for (j = 0; j < l->nmount; j++)
            if (l->mount[j].disk == mt->disk && l->mount[j].label.w)
                break;
        if (j < l->nmount)
            continue;                            /* its disk has one */
        for (form = 0; form < 3 * 2 && !mt->label.w; form++) {
            /* each form off every line, then over its own line's run */
            const kr_mount *own = form % 2 ? mt : NULL;
            float gap = (float)kr_imax(4, pad * 2), right = ex + gap, left;
            int tw;
            if (!label_form(mt->path, form / 2, mt->text, sizeof mt->text))
                continue;
            tw = kr_measure(in, KR_FACE_SANS, l->font.small, mt->text) + 2 * pad;
            left = ex - gap - (float)tw;
            if (row_free(l, right, right + (float)tw, y, y + th, clear, own))
                mt->label = kr_rect_make((int)right, y, tw, th);
            else if (row_free(l, left, left + (float)tw, y, y + th, clear, own))
                mt->label = kr_rect_make((int)left, y, tw, th);
        }
        if (!mt->label.w)
            mt->text[0] = '\0';
    }
}

/* The disk of claim number v of pod p, or NULL. */
static const kr_place *claim_disk(const kr_layout *l, const ks_sim *sim, const ks_pod *p, size_t v)
{
    const ks_volume *vol = &p->spec->volumes[v];
    const kr_place *d;
    if (vol->type != KS_VOL_PVC || !vol->source)
        return NULL;
    d = kr_layout_find_disk(l, ks_cluster_find(sim, KS_KIND_PVC, p->ns, vol->source));
    return d && d->r.w ? d : NULL;
}

int kr_route_mounts(kr_layout *l, const ks_sim *sim, const kr_layout_input *in, int m)
{
    occupancy o = {NULL, NULL, NULL};
    size_t i, v;
    int rc = 0;
    l->nmount = 0;
    if (!l->ndisk || l->level >= KR_CARD_DOT)
        return 0;
    for (i = 0; i < l->npod; i++) {
        const kr_pod_place *pp = &l->pod[i];
        const ks_pod *p = ks_cluster_pod(sim, pp->pod);
        for (v = 0; p && p->spec && pp->r.w > 0 && v < p->spec->nvolumes; v++) {
            const kr_place *d = claim_disk(l, sim, p, v);
            kr_mount *mt;
            path pa;
            if (!d)
                continue;
            if ((!o.occ && occupy(l, &o))
                || ks_mem_grow(NULL, (void **)&l->mount, &l->cap_mount, l->nmount + 1,
                               sizeof(kr_mount))) {
                rc = -1;
                goto out;
            }
            route(l, &o, pp, d, m, &pa);
            mt = &l->mount[l->nmount++];
            memset(mt, 0, sizeof *mt);
            mt->pod = pp->pod;
            mt->disk = (int)(d - l->disk);
            mt->path = mount_path(p, p->spec->volumes[v].name);
            memcpy(mt->x, pa.x, sizeof pa.x);
            memcpy(mt->y, pa.y, sizeof pa.y);
            mt->n = pa.n;
            mt->labelled = !p->terminating;
        }
    }
    labels(l, in, m);
out:
    free(o.base);
    free(o.last);
    return rc;
}
