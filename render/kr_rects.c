/* kr_rects.c -- what every file of the layout uses: rectangles, segments
 * against rectangles, text width estimates, the id -> place index and the
 * lookups by id (see kr_layout.h). The bottom of the layout's files: it
 * calls none of them.
 * Depends on: kr_layout, kr_status. No SDL.
 */
#include <stdlib.h>
#include <string.h>

#include "kr_layouti.h"

/* ---------------------------------------------------------------------------
 * Rectangles, estimates, the id index
 * ------------------------------------------------------------------------- */
bool kr_rect_overlaps(kr_rect a, kr_rect b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w
           && a.y < b.y + b.h && b.y < a.y + a.h;
}

bool kr_rect_contains(kr_rect a, kr_rect b)
{
    return b.x >= a.x && b.y >= a.y && b.x + b.w <= a.x + a.w && b.y + b.h <= a.y + a.h;
}

bool kr_rect_hit(kr_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

bool kr_segment_crosses(kr_rect r, float x0, float y0, float x1, float y1)
{
    /* Liang-Barsky clipping against the open rectangle */
    float t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    float p[4] = {-dx, dx, -dy, dy};
    float q[4] = {x0 - (float)r.x, (float)(r.x + r.w) - x0, y0 - (float)r.y,
                  (float)(r.y + r.h) - y0};
    int i;
    if (r.w <= 0 || r.h <= 0)
        return false;
    for (i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] <= 0)
                return false;              /* parallel and outside (or on the edge) */
            continue;
        }
        {
            float t = q[i] / p[i];
            if (p[i] < 0) {
                if (t > t0)
                    t0 = t;
            } else if (t < t1) {
                t1 = t;
            }
        }
    }
    return t1 - t0 > 1e-4f;
}

int kr_layout_estimate(kr_face face, int px, const char *text)
{
    /* average advance per em of DejaVu on typical UI strings */
    static const double per_em[KR_FACE_COUNT] = {0.56, 0.64, 0.625, 0.625};
    return kr_iround((double)kr_utf8_len(text) * per_em[face] * px);
}

void kr_layout_index_set(kr_layout *l, ks_id id, int kind, size_t i)
{
    if (id < l->index_cap)
        l->index[id] = kind << 28 | (int)(i + 1);
}

int kr_layout_index_get(const kr_layout *l, ks_id id, int kind)
{
    int v;
    if (id >= l->index_cap)
        return -1;
    v = l->index[id];
    return v && (v >> 28) == kind ? (v & 0x0fffffff) - 1 : -1;
}

const kr_pod_place *kr_layout_find_pod(const kr_layout *l, ks_id pod)
{
    int i = kr_layout_index_get(l, pod, KR_IX_POD);
    return i >= 0 ? &l->pod[i] : NULL;
}

const kr_place *kr_layout_find_service(const kr_layout *l, ks_id svc)
{
    int i = kr_layout_index_get(l, svc, KR_IX_SVC);
    return i >= 0 ? &l->svc[i] : NULL;
}

const kr_place *kr_layout_find_disk(const kr_layout *l, ks_id id)
{
    int i = kr_layout_index_get(l, id, KR_IX_DISK);
    return i >= 0 ? &l->disk[i] : NULL;
}

const kr_box *kr_layout_find_box(const kr_layout *l, ks_id node)
{
    int i = kr_layout_index_get(l, node, KR_IX_BOX);
    return i >= 0 ? &l->box[i] : NULL;
}

/* ---------------------------------------------------------------------------
 * NetworkPolicy wall marks
 * ------------------------------------------------------------------------- */
int kr_layout_wall_thick(const kr_layout *l)
{
    return kr_imax(3, kr_iround(5 * l->u));
}

int kr_layout_wall_band(const kr_layout *l)
{
    /* a line of tiny text (DejaVu's line is 1.17 em) and the ring */
    return kr_iround(l->font.tiny * 1.6) + kr_layout_wall_thick(l) / 2;
}

static int text_w(kr_measure_fn measure, void *ud, int px, const char *s, size_t n)
{
    char buf[64];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return (measure ? measure(ud, KR_FACE_BOLD, px, buf) : kr_layout_estimate(KR_FACE_BOLD, px, buf))
           + 4;                                       /* the label's box pads 2 a side */
}

bool kr_layout_wall_marks(const kr_layout *l, const kr_pod_place *p, kr_measure_fn measure,
                          void *ud, const char *left, kr_wall_marks *out)
{
    /* the ring stays where the widest usual labels put it, whatever this
     * dot's: an ingress's "504 timeout" left, "dropped" right; then the
     * status alone ("504") left; then no "dropped"; then the ring alone */
    static const char ref[] = "504 timeout", right[] = "dropped";
    static const size_t refn[] = {sizeof ref - 1, 3, sizeof ref - 1, 3, 0};
    static const bool refr[] = {true, true, false, false, false};
    const kr_box *b;
    int px = l->font.tiny, gap = kr_imax(2, kr_iround(3 * l->u)), lw = 0, rw = 0, x, k;
    size_t n;
    memset(out, 0, sizeof *out);
    if (!p || p->r.w <= 0 || (b = &l->box[p->box])->band <= 0)
        return false;
    out->strip = kr_rect_make(p->r.x, p->r.y - b->band, p->r.w,
                              b->band - kr_layout_wall_thick(l) / 2);
    out->ring = kr_imin(kr_imax(3, kr_iround(7.5 * l->u)), out->strip.h / 2 - 1);
    out->cy = out->strip.y + out->strip.h / 2;
    for (k = 0; k < 5; k++) {
        lw = refn[k] ? text_w(measure, ud, px, ref, refn[k]) + gap : 0;
        rw = refr[k] ? text_w(measure, ud, px, right, sizeof right - 1) + gap : 0;
        if (lw + 2 * out->ring + rw <= out->strip.w)
            break;
    }
    if (k == 5)
        lw = rw = 0;
    x = out->strip.x + (out->strip.w - (lw + 2 * out->ring + rw)) / 2;
    out->cx = x + lw + out->ring;
    if (lw)
        out->left = kr_rect_make(x, out->strip.y, lw - gap, out->strip.h);
    if (rw)
        out->right = kr_rect_make(out->cx + out->ring + gap, out->strip.y, rw - gap, out->strip.h);
    /* this dot's status: whole if it fits, else its first word */
    n = left && lw ? strlen(left) : 0;
    if (n && text_w(measure, ud, px, left, n) > out->left.w)
        n = strchr(left, ' ') ? (size_t)(strchr(left, ' ') - left) : 0;
    if (n && text_w(measure, ud, px, left, n) > out->left.w)
        n = 0;
    out->left_len = n;
    return true;
}
