/* kr_draw.c -- the cluster picture (a drawing pass): traffic, Ingress,
 * Service pills, node boxes, the lines between them, request dots and crash
 * bursts. Pod cards, disks and records are in kr_cards.c.
 * Reads the sim through const pointers only (STYLE.md point 2).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_cards.h"
#include "kr_draw.h"
#include "kr_enforce.h"
#include "kr_scene.h"
#include "kr_status.h"
#include "core/ks_event.h"

/* ---------------------------------------------------------------------------
 * Geometry of connections
 * ------------------------------------------------------------------------- */
/* The point where the segment from a's centre towards b's centre leaves a. */
static void anchor(kr_rect a, kr_rect b, float *x, float *y)
{
    float ax = a.x + a.w / 2.0f, ay = a.y + a.h / 2.0f;
    float dx = b.x + b.w / 2.0f - ax, dy = b.y + b.h / 2.0f - ay, tx, ty, t;
    if (fabsf(dx) < 1e-3f && fabsf(dy) < 1e-3f) {
        *x = ax;
        *y = ay;
        return;
    }
    tx = fabsf(dx) > 1e-3f ? (a.w / 2.0f) / fabsf(dx) : 1e9f;
    ty = fabsf(dy) > 1e-3f ? (a.h / 2.0f) / fabsf(dy) : 1e9f;
    t = tx < ty ? tx : ty;
    *x = ax + dx * t;
    *y = ay + dy * t;
}

static const kr_place *ingress_place(const kr_scene *s, ks_id id)
{
    size_t i;
    for (i = 0; i < s->lay.ning; i++)
        if (s->lay.ing[i].id == id || id == 0)
            return &s->lay.ing[i];
    return NULL;
}

/* The rect an endpoint is drawn at; false when not on screen. */
static bool ep_rect(kr_scene *s, const kr_endpoint *e, kr_rect *out)
{
    const kr_pod_place *p;
    const kr_place *pl;
    switch (e->kind) {
    case KR_EP_CLIENT:
        *out = s->lay.traffic;
        return out->w > 0;
    case KR_EP_INGRESS:
        pl = ingress_place(s, e->id);
        if (pl)
            *out = pl->r;
        return pl != NULL;
    case KR_EP_SERVICE:
        pl = kr_layout_find_service(&s->lay, e->id);
        if (pl)
            *out = pl->r;
        return pl != NULL;
    case KR_EP_POD:
        p = kr_layout_find_pod(&s->lay, e->id);
        if (!p)
            return false;
        if (p->r.w > 0) {
            *out = kr_scene_pod_rect(s, p);
            return true;
        }
        *out = s->lay.box[p->box].r;
        return true;
    case KR_EP_VOLUME:
        pl = kr_layout_find_disk(&s->lay, e->id);
        if (pl)
            *out = pl->r;
        return pl != NULL;
    case KR_EP_POLICY:
        return kr_enforce_policy_rect(s, e->id, out);
    default:
        return false;
    }
}

static void connect(kr_scene *s, kr_rect a, kr_rect b, float w, kr_color c, float dash)
{
    float x0, y0, x1, y1;
    anchor(a, b, &x0, &y0);
    anchor(b, a, &x1, &y1);
    kr_line(s->g, x0, y0, x1, y1, w, c, dash);
}

/* ---------------------------------------------------------------------------
 * Traffic, Ingress, Services
 * ------------------------------------------------------------------------- */
static void draw_traffic(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r = s->lay.traffic, top, bot;
    double rate = kr_data_traffic_rate(s->data, sim);
    char buf[64];
    if (r.w <= 0)
        return;
    kr_round_fill(s->g, r, kr_px(s, 8, 3), KR_RGB(0xE8F3FB));
    kr_round_frame(s->g, r, kr_px(s, 8, 3), kr_px(s, 2, 1), KR_OI_BLUE, false);
    top = (kr_rect){r.x, r.y + r.h / 2 - kr_text_height(s->t, KR_FACE_BOLD, f->body), r.w,
                    kr_text_height(s->t, KR_FACE_BOLD, f->body)};
    bot = (kr_rect){r.x, r.y + r.h / 2, r.w, kr_text_height(s->t, KR_FACE_SANS, f->small)};
    kr_text_box(s->t, KR_FACE_BOLD, f->body, "Traffic", top, KR_CENTER, KR_CUT_END, KR_OI_BLUE);
    if (rate >= 0)
        snprintf(buf, sizeof buf, "%.1f req/s", rate);
    else
        snprintf(buf, sizeof buf, "clients");
    kr_text_box(s->t, KR_FACE_SANS, f->small, buf, bot, KR_CENTER, KR_CUT_END, KR_OI_BLUE);
}

static void draw_ingresses(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    size_t i;
    for (i = 0; i < s->lay.ning; i++) {
        const ks_object *o = ks_cluster_object(sim, s->lay.ing[i].id);
        kr_rect r = s->lay.ing[i].r, line;
        int pad = (int)lround(f->body * 0.6), lh = (int)lround(f->small * 1.4), y, k, n;
        char buf[256], lines[6][200];
        if (!o)
            continue;
        kr_round_fill(s->g, r, kr_px(s, 8, 3), KR_C_BOX);
        kr_round_frame(s->g, r, kr_px(s, 8, 3), kr_px(s, 2, 1), KR_OI_BLUE, false);
        snprintf(buf, sizeof buf, "Ingress \xC2\xB7 %s", o->meta.name);
        line = (kr_rect){r.x + pad, r.y + pad / 2, r.w - 2 * pad, (int)lround(f->heading * 1.35)};
        kr_text_box(s->t, KR_FACE_BOLD, f->heading, buf, line, KR_LEFT, KR_CUT_NAME, KR_C_TEXT);
        y = line.y + line.h;
        /* the rules whole, broken as the layout broke them */
        n = kr_layout_ingress_lines(o, kr_text_measure, s->t, f->small, r.w - 2 * pad, lines, 6);
        for (k = 0; k < n && y + lh <= r.y + r.h; k++, y += lh)
            kr_text_box(s->t, KR_FACE_MONO, f->small, lines[k],
                        (kr_rect){r.x + pad, y, r.w - 2 * pad, lh}, KR_LEFT, KR_CUT_END, KR_C_DIM);
        if (!n)
            kr_text_box(s->t, KR_FACE_SANS, f->small, "no rules: default backend (404)",
                        (kr_rect){r.x + pad, y, r.w - 2 * pad, lh}, KR_LEFT, KR_CUT_END, KR_C_DIM);
    }
}

static void draw_services(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    size_t i;
    for (i = 0; i < s->lay.nsvc; i++) {
        const ks_service *sv = ks_cluster_service(sim, s->lay.svc[i].id);
        kr_rect r = s->lay.svc[i].r, l1, l2;
        char name[160], rest[96];
        int pad, rad, lh1, lh2;
        bool none;
        if (!sv)
            continue;
        kr_service_labels(sv, name, sizeof name, rest, sizeof rest);
        /* a Service that selects pods but has no ready one: dashed, vermillion */
        none = sv->nready == 0 && sv->obj->u.svc.selector.n > 0;
        rad = r.h / 2;
        pad = (int)lround(f->body * 0.8);
        kr_round_fill(s->g, r, rad, KR_C_BOX);
        kr_round_frame(s->g, r, rad, kr_px(s, 2, 1), none ? KR_OI_VERMILLION : KR_OI_BLUE, none);
        lh1 = (int)lround(f->body * 1.3);
        lh2 = (int)lround(f->small * 1.25);
        l1 = (kr_rect){r.x + pad, r.y + (r.h - lh1 - lh2) / 2, r.w - 2 * pad, lh1};
        l2 = (kr_rect){l1.x, l1.y + lh1, l1.w, lh2};
        kr_text_box(s->t, KR_FACE_BOLD, f->body, name, l1, KR_LEFT, KR_CUT_END, KR_C_TEXT);
        kr_text_box(s->t, KR_FACE_SANS, f->small, rest, l2, KR_LEFT,
                    KR_CUT_END, none ? KR_OI_VERMILLION : KR_C_DIM);
    }
    if (s->lay.svc_hidden && s->lay.svc_more.w > 0) {
        char buf[32];
        kr_rect r = s->lay.svc_more;
        snprintf(buf, sizeof buf, "+%zu more", s->lay.svc_hidden);
        kr_round_frame(s->g, r, r.h / 2, kr_px(s, 2, 1), KR_C_FAINT, true);
        kr_text_box(s->t, KR_FACE_BOLD, f->body, buf, r, KR_CENTER, KR_CUT_END, KR_C_DIM);
    }
}

/* ---------------------------------------------------------------------------
 * Lines: traffic -> Ingress -> Services -> ready pods
 * ------------------------------------------------------------------------- */
/* From an Ingress down to a Service pill: straight to its top when no
 * pill is in the way, else down the gap the layout found (rise), so a line
 * never seems to end at the wrong pill. */
static void ingress_line(kr_scene *s, const kr_place *ing, const kr_place *svc, float w,
                         kr_color c)
{
    float x0, y0 = (float)(ing->r.y + ing->r.h), top = (float)s->lay.svc[0].r.y;
    if (svc->r.y <= top + 1 || svc->rise < 0) {
        connect(s, ing->r, svc->r, w, c, 0);
        return;
    }
    x0 = (float)svc->rise;
    if (x0 < ing->r.x + 12)
        x0 = (float)ing->r.x + 12;
    if (x0 > ing->r.x + ing->r.w - 12)
        x0 = (float)(ing->r.x + ing->r.w) - 12;
    top -= (float)kr_px(s, 5, 2);
    kr_line(s->g, x0, y0, (float)svc->rise, top, w, c, 0);
    kr_line(s->g, (float)svc->rise, top, (float)svc->rise, (float)svc->r.y, w, c, 0);
}

static void draw_routes(kr_scene *s, const ks_sim *sim)
{
    float w = (float)kr_px(s, 2.2, 1);
    kr_color c = kr_alpha(KR_OI_BLUE, 150);
    size_t i;
    for (i = 0; i < s->lay.ning; i++) {
        const ks_object *o = ks_cluster_object(sim, s->lay.ing[i].id);
        const ks_ingress_spec *sp = o ? &o->u.ing : NULL;
        size_t r, p;
        if (s->lay.traffic.w > 0)
            connect(s, s->lay.traffic, s->lay.ing[i].r, w, KR_OI_BLUE, 0);
        for (r = 0; sp && r <= sp->nrules; r++) {
            size_t np = r < sp->nrules ? sp->rules[r].npaths : sp->has_default_backend;
            for (p = 0; p < np; p++) {
                const ks_ingress_backend *b =
                    r < sp->nrules ? &sp->rules[r].paths[p].backend : &sp->default_backend;
                const kr_place *pl;
                if (!b->service)
                    continue;
                pl = kr_layout_find_service(
                    &s->lay, ks_cluster_find(sim, KS_KIND_SERVICE, o->meta.ns, b->service));
                if (pl)
                    ingress_line(s, &s->lay.ing[i], pl, w, c);
            }
        }
    }
    /* Service -> its ready endpoints: see draw_endpoint_lines */
}

/* Where a Service's line meets a box's top edge: straight down when it
 * can, else the box's nearer end. */
static float endpoint_x(const kr_box *b, float cx)
{
    float lo = (float)b->r.x + 24, hi = (float)(b->r.x + b->r.w) - 24;
    return cx < lo ? lo : cx > hi ? hi : cx;
}

/* Service -> its ready endpoints. A line to every card would cross the
 * grid; so each Service points at the boxes holding its endpoints (under
 * the boxes: only the stretch above them shows), and the pod or Service in
 * focus (hovered or selected) gets a line to each of its partners. */
static void draw_endpoint_lines(kr_scene *s, const ks_sim *sim, bool focus)
{
    ks_id focus_pod = s->view.sel == KR_SEL_POD ? s->view.sel_id : 0, focus_svc = 0;
    int mx = s->view.mouse_x, my = s->view.mouse_y;
    float w = (float)kr_px(s, 2.2, 1);
    kr_color c = kr_alpha(KR_OI_BLUE, 150);
    size_t i, k;
    for (i = 0; s->view.mouse_in && i < s->lay.nsvc; i++)
        if (kr_rect_hit(s->lay.svc[i].r, mx, my))
            focus_svc = s->lay.svc[i].id;
    for (i = 0; s->view.mouse_in && !focus_svc && i < s->lay.npod; i++)
        if (s->lay.pod[i].r.w > 0 && kr_rect_hit(kr_scene_pod_rect(s, &s->lay.pod[i]), mx, my))
            focus_pod = s->lay.pod[i].pod;
    for (i = 0; i < s->lay.nsvc; i++) {
        const ks_service *sv = ks_cluster_service(sim, s->lay.svc[i].id);
        kr_rect pr = s->lay.svc[i].r;
        unsigned char done[256] = {0};
        for (k = 0; sv && k < sv->nready; k++) {
            const kr_pod_place *p = kr_layout_find_pod(&s->lay, sv->ready[k]);
            if (!p)
                continue;
            if (focus && (s->lay.svc[i].id == focus_svc || p->pod == focus_pod)) {
                kr_rect to = p->r.w ? kr_scene_pod_rect(s, p) : s->lay.box[p->box].r;
                connect(s, pr, to, (float)kr_px(s, 2.6, 2), KR_OI_BLUE, 0);
            }
            if (!focus && p->box < 256 && !done[p->box] && s->lay.svc[i].drop >= 0
                && s->lay.box[p->box].r.y <= s->lay.nodes.y + 1) {   /* first grid row only */
                const kr_box *b = &s->lay.box[p->box];
                float cx = (float)s->lay.svc[i].drop, x;
                done[p->box] = 1;
                x = endpoint_x(b, cx);
                kr_line(s->g, cx, (float)(pr.y + pr.h), cx, (float)(s->lay.nodes.y - 2), w, c, 0);
                kr_line(s->g, cx, (float)(s->lay.nodes.y - 2), x, (float)b->r.y, w, c, 0);
            }
        }
    }
}

/* The ends of the Service lines on the boxes' top edges. */
static void draw_endpoint_marks(kr_scene *s, const ks_sim *sim)
{
    size_t i, k;
    for (i = 0; i < s->lay.nsvc; i++) {
        const ks_service *sv = ks_cluster_service(sim, s->lay.svc[i].id);
        unsigned char done[256] = {0};
        for (k = 0; sv && k < sv->nready; k++) {
            const kr_pod_place *p = kr_layout_find_pod(&s->lay, sv->ready[k]);
            const kr_box *b;
            float cx = (float)s->lay.svc[i].drop, x;
            if (!p || p->box >= 256 || done[p->box])
                continue;
            done[p->box] = 1;
            b = &s->lay.box[p->box];
            x = endpoint_x(b, cx);
            if (b->r.y <= s->lay.nodes.y + 1 && s->lay.svc[i].drop >= 0)
                kr_disc(s->g, x, (float)b->r.y, kr_px(s, 5, 3), KR_OI_BLUE);
        }
    }
}

/* ---------------------------------------------------------------------------
 * Node boxes
 * ------------------------------------------------------------------------- */
static void node_status(const ks_node *n, char *buf, size_t len, kr_color *c)
{
    snprintf(buf, len, "%s%s", n->ready ? "Ready" : "NotReady",
             n->unschedulable ? ",SchedulingDisabled" : "");
    *c = !n->ready ? KR_OI_VERMILLION : n->unschedulable ? KR_OI_ORANGE : KR_OI_GREEN;
}

/* A pill in a node box's header at x; returns the width it took (0: no
 * room). */
static int header_pill(kr_scene *s, const kr_box *b, int x, const char *text, kr_color fill,
                       kr_color ink)
{
    int ps = s->lay.font.body, ph = (int)lround(ps * 1.45);
    int pw = kr_text_width(s->t, KR_FACE_BOLD, ps, text) + ps;
    kr_rect pr = {x, b->header.y + (b->header.h - ph) / 2, pw, ph};
    if (pw > b->header.x + b->header.w - x)
        return 0;
    kr_round_fill(s->g, pr, ph / 2, fill);
    kr_text_box(s->t, KR_FACE_BOLD, ps, text, pr, KR_CENTER, KR_CUT_END, ink);
    return pw + kr_px(s, 10, 3);
}

static void draw_box(kr_scene *s, const ks_sim *sim, const kr_box *b)
{
    const kr_fonts *f = &s->lay.font;
    const ks_node *n = b->node ? ks_cluster_node(sim, b->node) : NULL;
    bool big = b->header.h >= f->heading * 1.5, sel = s->view.sel == KR_SEL_NODE
                                                       && s->view.sel_id == b->node && b->node;
    int rad = kr_px(s, 10, 3), th = kr_px(s, 2, 1), x, fs = f->heading;
    kr_color edge = KR_C_BOX_EDGE, pc = KR_OI_GREEN, fill = KR_C_BOX;
    char status[64], usage[160];
    bool dashed = false;
    if (n) {
        node_status(n, status, sizeof status, &pc);
        if (!n->ready || n->down) {
            edge = KR_OI_VERMILLION;
            dashed = true;
            fill = KR_RGB(0xFBF1EC);
        } else if (n->unschedulable) {
            edge = KR_OI_ORANGE;
        }
    } else {
        snprintf(status, sizeof status, "Pending");
        pc = KR_OI_SKY;
        edge = KR_OI_SKY;
        dashed = true;
        fill = KR_RGB(0xF4F9FD);
    }
    kr_round_fill(s->g, b->r, rad, fill);
    kr_round_frame(s->g, b->r, rad, th, edge, dashed);
    if (sel)
        kr_round_frame(s->g, (kr_rect){b->r.x - 3, b->r.y - 3, b->r.w + 6, b->r.h + 6}, rad + 3,
                       kr_px(s, 3, 2), KR_C_SELECT, false);
    if (!big) {
        /* a narrow box: a status glyph and the name, small */
        const char *glyph = !n ? "\xE2\x97\x8B" : !n->ready ? "\xE2\x9C\x96"
                            : n->unschedulable ? "\xE2\x8A\x98" : "\xE2\x9C\x94";
        const char *nm = n ? n->name : "not scheduled";
        int px = f->small, gw;
        if (kr_text_width(s->t, KR_FACE_BOLD, px, glyph) + kr_text_width(s->t, KR_FACE_BOLD, px, nm)
            > b->header.w)
            px = f->tiny;
        gw = kr_text_width(s->t, KR_FACE_BOLD, px, glyph) + 2;
        kr_text_box(s->t, KR_FACE_BOLD, px, glyph, (kr_rect){b->header.x, b->header.y, gw, b->header.h},
                    KR_LEFT, KR_CUT_END, pc);
        kr_text_box(s->t, KR_FACE_BOLD, px, nm,
                    (kr_rect){b->header.x + gw, b->header.y, b->header.w - gw, b->header.h}, KR_LEFT,
                    KR_CUT_MIDDLE, KR_C_TEXT);
    } else {
        /* name, status pill, usage */
        x = b->header.x;
        x += kr_text_box(s->t, KR_FACE_BOLD, fs, n ? n->name : "not scheduled",
                         (kr_rect){x, b->header.y, b->header.w / 2, b->header.h}, KR_LEFT,
                         KR_CUT_MIDDLE, KR_C_TEXT);
        x += kr_px(s, 8, 3);
        /* dark text on orange and sky, white on green and vermillion */
        x += header_pill(s, b, x, status, pc,
                         n && (!n->ready || !n->unschedulable) ? KR_C_BAR_TEXT : KR_C_TEXT);
        if (n && n->memory_pressure)          /* the kubelet's condition */
            x += header_pill(s, b, x, "MemoryPressure", KR_OI_ORANGE, KR_C_TEXT);
        if (!(s->lay.level == KR_CARD_DOT && b->counts.w > 0)) {   /* counts go there */
            int room = b->header.x + b->header.w - x, form, bw;
            kr_rect hr = {x, b->header.y, room, b->header.h};
            /* the bars where they fit (their tick is the requests); else
             * the requests (or kubectl top's) as text */
            bw = n ? kr_enforce_node_bars(s, sim, n, hr, false) : 0;
            if (bw > 0 && bw <= room) {
                kr_enforce_node_bars(s, sim, n, hr, true);
                room = 0;
            }
            for (form = 0; form < 3 && room > 0; form++) {
                if (n) {
                    if (!kr_node_usage_text(sim, n, form, usage, sizeof usage))
                        kr_node_requests_text(n, form, usage, sizeof usage);
                } else {
                    snprintf(usage, sizeof usage, "%d waiting for a node", b->npods);
                }
                if (kr_text_width(s->t, KR_FACE_SANS, f->small, usage) <= room)
                    break;
            }
            if (form < 3 && room > 0)
                kr_text_box(s->t, KR_FACE_SANS, f->small, usage,
                            (kr_rect){x, b->header.y, room, b->header.h}, KR_RIGHT, KR_CUT_END,
                            KR_C_DIM);
        }
    }
    if (b->hidden > 0) {
        char buf[48];
        snprintf(buf, sizeof buf, "+%d not shown", b->hidden);
        kr_text_box(s->t, KR_FACE_BOLD, f->tiny, buf,
                    (kr_rect){b->inner.x, b->inner.y + b->inner.h - f->tiny * 3 / 2, b->inner.w,
                              f->tiny * 3 / 2},
                    KR_RIGHT, KR_CUT_END, KR_C_DIM);
    }
}

static void draw_storage_band(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r = s->lay.storage, head;
    ks_id id = 0;
    int x, pad = kr_px(s, 10, 4);
    char sub[200] = "";
    if (r.h <= 0)
        return;
    kr_round_fill(s->g, r, kr_px(s, 10, 3), KR_C_STORAGE);
    kr_round_frame(s->g, r, kr_px(s, 10, 3), kr_px(s, 2, 1), KR_C_FAINT, false);
    head = (kr_rect){r.x + pad, r.y + kr_px(s, 2, 1), r.w - 2 * pad, (int)lround(f->heading * 1.5)};
    x = head.x + kr_text_box(s->t, KR_FACE_BOLD, f->heading, "Storage", head, KR_LEFT, KR_CUT_END,
                             KR_C_TEXT);
    while ((id = ks_cluster_next(sim, KS_KIND_STORAGECLASS, id)) != 0) {
        const ks_object *o = ks_cluster_object(sim, id);
        if (o && o->u.sc.is_default) {
            snprintf(sub, sizeof sub, "StorageClass %s (default) \xC2\xB7 %s", o->meta.name,
                     o->u.sc.provisioner ? o->u.sc.provisioner : "no provisioner");
            break;
        }
    }
    if (sub[0])          /* on the right: mount lines come in left of it */
        kr_text_box(s->t, KR_FACE_SANS, f->small, sub,
                    (kr_rect){x + pad, head.y, head.x + head.w - x - pad, head.h}, KR_RIGHT,
                    KR_CUT_END, KR_C_DIM);
    if (s->lay.disk_hidden) {
        char buf[32];
        snprintf(buf, sizeof buf, "+%zu more", s->lay.disk_hidden);
        kr_text_box(s->t, KR_FACE_BOLD, f->body, buf,
                    (kr_rect){r.x, r.y + r.h / 2, r.w - pad, r.h / 2}, KR_RIGHT, KR_CUT_END,
                    KR_C_DIM);
    }
}

/* ---------------------------------------------------------------------------
 * Request dots and bursts
 * ------------------------------------------------------------------------- */
/* A connection a NetworkPolicy dropped, at the pod's wall, in the band
 * above its card (kr_layout_wall_marks): a ring while the caller waits,
 * "dropped" right of it; then a dot and the caller's status left of it
 * ("504 timeout"). Without a band (dots): the ring or dot alone. */
static void wall_marks(kr_scene *s, const kr_dot_view *d, kr_color c, int rad)
{
    char code[32] = "";
    kr_wall_marks m;
    kr_rect lr;
    const char *text;
    size_t len;
    bool waiting = d->frac < 1.0f;
    int alpha = waiting ? 255 : (int)(255 * d->alpha);
    if (!waiting && d->timeout)
        snprintf(code, sizeof code, d->status ? "%d timeout" : "timeout", d->status);
    else if (!waiting && d->status)
        snprintf(code, sizeof code, "%d", d->status);
    if (!kr_enforce_marks(s, d->from.id, waiting ? NULL : code, &m)) {
        kr_rect a;
        if (!kr_enforce_policy_rect(s, d->from.id, &a))
            return;
        m.cx = a.x + a.w / 2;
        m.cy = a.y + a.h / 2;
        m.ring = rad * 3 / 2;
        m.left.w = m.right.w = 0;
    }
    if (waiting)
        kr_ring(s->g, (float)m.cx, (float)m.cy, (float)m.ring, kr_px(s, 2.5, 2),
                kr_alpha(c, 230));
    else
        kr_disc(s->g, (float)m.cx, (float)m.cy, (float)rad, kr_alpha(c, alpha));
    lr = waiting ? m.right : m.left;
    text = waiting ? "dropped" : code;
    len = waiting ? strlen(text) : m.left_len;
    if (lr.w > 0 && len > 0) {
        char buf[32];
        int th = kr_text_height(s->t, KR_FACE_BOLD, s->lay.font.tiny);
        snprintf(buf, sizeof buf, "%.*s", (int)len, text);
        kr_round_fill(s->g, (kr_rect){lr.x, lr.y + (lr.h - th) / 2, lr.w, th}, kr_px(s, 3, 1),
                      kr_alpha(KR_C_BOX, waiting ? 220 : (int)(220 * d->alpha)));
        kr_text_box(s->t, KR_FACE_BOLD, s->lay.font.tiny, buf,
                    (kr_rect){lr.x + 2, lr.y, lr.w - 4, lr.h}, waiting ? KR_LEFT : KR_RIGHT, KR_CUT_END,
                    kr_alpha(waiting ? c : KR_OI_VERMILLION, alpha));
    }
}

static void dot_cb(void *ud, const kr_dot_view *d)
{
    kr_scene *s = ud;
    kr_rect a, b;
    float x0, y0, x1, y1, x, y;
    int rad = kr_px(s, 5, 3);
    kr_color c = d->ok ? KR_OI_GREEN : KR_OI_VERMILLION;
    bool here = d->from.kind == d->to.kind && d->from.id == d->to.id;
    if (!ep_rect(s, &d->from, &a) || !ep_rect(s, &d->to, &b))
        return;
    if (here && d->from.kind == KR_EP_POLICY) {
        wall_marks(s, d, c, rad);
        return;
    }
    if (here) {
        /* a failure where it happened: in the lower right of the card,
         * pill or box; a ring while the caller waits, then a dot that says
         * why (its words to its left, inside) */
        x = a.x + a.w - (float)rad * 2.2f;
        y = a.y + a.h - (float)rad * 2.2f;
        if (d->frac < 1.0f) {
            int th = kr_text_height(s->t, KR_FACE_BOLD, s->lay.font.tiny);
            int tw = kr_text_width(s->t, KR_FACE_BOLD, s->lay.font.tiny, "no answer");
            int lx = (int)x - rad * 2 - tw - 4;
            kr_ring(s->g, x, y, rad * 3 / 2, kr_px(s, 2.5, 2), kr_alpha(c, 230));
            kr_round_fill(s->g, (kr_rect){lx, (int)y - th / 2, tw + 4, th}, kr_px(s, 3, 1),
                          kr_alpha(KR_C_BOX, 220));
            kr_text_draw(s->t, KR_FACE_BOLD, s->lay.font.tiny, "no answer", lx + 2, (int)y - th / 2,
                         kr_alpha(c, 255));
            return;
        }
    } else {
        anchor(a, b, &x0, &y0);
        anchor(b, a, &x1, &y1);
        x = x0 + (x1 - x0) * d->frac;
        y = y0 + (y1 - y0) * d->frac;
    }
    kr_disc(s->g, x, y, rad, kr_alpha(c, (int)(255 * d->alpha)));
    if (!d->ok && (d->status || d->timeout) && d->frac > 0.6f) {
        char code[32];
        int tw, th = kr_text_height(s->t, KR_FACE_BOLD, s->lay.font.tiny);
        if (d->timeout)
            snprintf(code, sizeof code, d->status ? "%d timeout" : "timeout", d->status);
        else
            snprintf(code, sizeof code, "%d", d->status);
        kr_rect lr;
        tw = kr_text_width(s->t, KR_FACE_BOLD, s->lay.font.tiny, code);
        lr = here ? (kr_rect){(int)x - rad * 2 - tw - 4, (int)y - th / 2, tw + 4, th}
                  : (kr_rect){(int)x + rad, (int)y - rad - th, tw + 4, th};
        kr_round_fill(s->g, lr, kr_px(s, 3, 1), kr_alpha(KR_C_BOX, (int)(220 * d->alpha)));
        kr_text_draw(s->t, KR_FACE_BOLD, s->lay.font.tiny, code, lr.x + 2, lr.y,
                     kr_alpha(KR_OI_VERMILLION, (int)(255 * d->alpha)));
    }
}

/* A crash: the card's outline swells outwards in vermillion and fades,
 * with sparks off its corners; the card itself stays readable. */
static void burst_cb(void *ud, ks_id pod, float ph)
{
    kr_scene *s = ud;
    const kr_pod_place *p = kr_layout_find_pod(&s->lay, pod);
    kr_rect r;
    float grow, cx, cy, k;
    int alpha = (int)(255 * (1 - ph) * (1 - ph)), i, rad = kr_px(s, 8, 3);
    if (!p)
        return;
    if (p->r.w > 0) {
        r = kr_scene_pod_rect(s, p);
    } else {
        const kr_box *b = &s->lay.box[p->box];
        r = (kr_rect){b->r.x + b->r.w / 2 - 8, b->r.y + b->r.h / 2 - 8, 16, 16};
    }
    grow = (r.h < r.w ? r.h : r.w) * 0.45f * ph + 2;
    kr_round_frame(s->g, (kr_rect){r.x - (int)grow, r.y - (int)grow, r.w + 2 * (int)grow,
                                   r.h + 2 * (int)grow},
                   rad + (int)grow, kr_px(s, 4, 2), kr_alpha(KR_OI_VERMILLION, alpha), false);
    kr_round_frame(s->g, r, rad, kr_px(s, 4, 2), kr_alpha(KR_OI_VERMILLION, alpha), false);
    cx = r.x + r.w / 2.0f;
    cy = r.y + r.h / 2.0f;
    for (i = 0; i < 4; i++) {                  /* sparks off the four corners */
        float dx = i & 1 ? 1.0f : -1.0f, dy = i & 2 ? 1.0f : -1.0f;
        float x0 = cx + dx * (r.w / 2.0f + grow), y0 = cy + dy * (r.h / 2.0f + grow);
        for (k = 0; k < 3; k++) {
            float ax = dx * (k == 0 ? 1.0f : k == 1 ? 0.4f : 1.0f);
            float ay = dy * (k == 0 ? 0.4f : k == 1 ? 1.0f : 1.0f);
            float len = (float)kr_px(s, 10, 4) * (0.6f + ph);
            kr_line(s->g, x0 + ax * 3, y0 + ay * 3, x0 + ax * (3 + len), y0 + ay * (3 + len),
                    (float)kr_px(s, 2.5, 2), kr_alpha(KR_OI_ORANGE, alpha), 0);
        }
    }
}

/* ---------------------------------------------------------------------------
 * The cluster picture
 * ------------------------------------------------------------------------- */
void kr_draw_cluster(kr_scene *s, const ks_sim *sim)
{
    size_t i;
    draw_storage_band(s, sim);
    kr_clip(s->g, &s->lay.main);
    draw_endpoint_lines(s, sim, false);
    kr_clip(s->g, NULL);
    for (i = 0; i < s->lay.nbox; i++)
        if (!s->lay.box[i].future)             /* a node to come: empty room */
            draw_box(s, sim, &s->lay.box[i]);
    kr_clip(s->g, &s->lay.main);
    draw_endpoint_marks(s, sim);
    draw_routes(s, sim);
    draw_endpoint_lines(s, sim, true);
    kr_cards_mounts(s, sim);
    draw_traffic(s, sim);
    draw_ingresses(s, sim);
    draw_services(s, sim);
    kr_cards_ghosts(s, sim);
    kr_cards_draw(s, sim);
    kr_enforce_walls(s, sim);
    kr_enforce_hpas(s, sim);
    kr_enforce_crons(s, sim);
    kr_cards_disks(s, sim);
    kr_anim_bursts(s->anim, s->clock, burst_cb, s);
    kr_anim_dots(s->anim, ks_now(sim), dot_cb, s);
    kr_clip(s->g, NULL);
}
