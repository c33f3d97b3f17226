/* kr_cards.c -- pod cards, storage disks with their records, mount lines.
 *
 * Cards, by the layout's level:
 *   full    name  ↻ N  /  [STATUS pill]  READY  /  detail line
 *   medium  name  ↻ N  /  [STATUS pill]
 *   small   a filled chip: tone glyph + the name's unique suffix
 *   dot     a shape per tone (disc ok, ring waiting, square failing...),
 *           with the counts per STATUS in the box's header
 * Terminating pods are grey with a dashed edge at every level; a Job's
 * Completed pods fade (kr_done_fade) while their Job keeps them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kr_batch.h"
#include "kr_cards.h"
#include "kr_simdata.h"
#include "kr_status.h"
#include "core/ks_event.h"

#define LOST_FADE_SECONDS 1.6
#define KR_LOST_SHOWN (20 * KS_SEC)   /* a pod card says "N lost" this long */

/* ---------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------- */
static kr_rect band(kr_rect r, double from, double to)
{
    kr_rect b = r;
    b.y = r.y + (int)lround(r.h * from);
    b.h = (int)lround(r.h * (to - from));
    return b;
}

/* The unique end of a generated name ("web-6f477b4984-v4bq6" -> "v4bq6"). */
static const char *suffix(const char *name)
{
    const char *d = strrchr(name, '-');
    return d && d[1] && strlen(d + 1) <= 6 ? d + 1 : name;
}

/* A status pill's size: the largest text size at which the whole status
 * fits max_w (long statuses step down a size rather than lose letters). */
typedef struct pill_fit {
    int w, px, padw;
} pill_fit;

static pill_fit pill_measure(kr_scene *s, const char *text, int h, int max_w)
{
    const kr_fonts *f = &s->lay.font;
    int sizes[3] = {f->body, f->small, f->tiny}, i, tw = 0;
    pill_fit p = {0, f->body, h};
    for (i = 0; i < 3; i++) {
        p.px = sizes[i];
        p.padw = i == 0 ? h : h / 3;
        tw = kr_text_width(s->t, KR_FACE_BOLD, p.px, text);
        p.w = tw + p.padw;
        if (p.w <= max_w)
            break;
    }
    if (p.w > max_w)       /* the smallest size, squeezed (kr_text_box) or cut */
        p.w = max_w;
    return p;
}

/* fade (0..1): a Completed pod of a Job fading (kr_done_fade): the pill
 * pales toward the card, its text turning dark where white would no
 * longer read (a projector at the back of a room). */
static void pill_draw(kr_scene *s, const char *text, kr_tone tone, int x, int cy, int h,
                      pill_fit p, double fade)
{
    kr_rect r = {x, cy - h / 2, p.w, h};
    kr_color ink, fill = kr_done_pill(tone, fade, &ink);
    if (p.w <= h / 2)
        return;
    kr_round_fill(s->g, r, h / 2, fill);
    kr_text_box(s->t, KR_FACE_BOLD, p.px, text, (kr_rect){r.x + p.padw / 2, r.y, r.w - p.padw, r.h},
                KR_CENTER, KR_CUT_SQUEEZE, ink);
}

static void outline(kr_scene *s, kr_rect r, int rad, bool sel, bool hover)
{
    if (sel)
        kr_round_frame(s->g, (kr_rect){r.x - 4, r.y - 4, r.w + 8, r.h + 8}, rad + 4,
                       kr_px(s, 3, 2), KR_C_SELECT, false);
    else if (hover)
        kr_round_frame(s->g, (kr_rect){r.x - 3, r.y - 3, r.w + 6, r.h + 6}, rad + 3,
                       kr_px(s, 2, 1), kr_alpha(KR_OI_SKY, 220), false);
}

/* ---------------------------------------------------------------------------
 * Cards
 * ------------------------------------------------------------------------- */
/*   full:   name            (↻ N)    medium:  name          (↻ N)
 *           [STATUS pill]   (↻ N)             [STATUS pill] (↻ N)
 *           detail          (↻ N)
 * ↻ N goes beside the pill when there is room, else beside the detail,
 * else beside the name; the pill may use the whole middle row, so long
 * statuses (ContainerCreating) keep their letters. READY is in the detail
 * of running pods ("Ready 1/1") and in the table. */
static void card_big(kr_scene *s, const ks_sim *sim, const ks_pod *p, ks_id hpa, kr_rect r,
                     bool full)
{
    const kr_fonts *f = &s->lay.font;
    kr_tone tone = kr_pod_tone(p);
    bool gone = tone == KR_TONE_GONE;
    int rad = kr_px(s, 8, 3), pad = (int)lround(f->body * 0.6), restarts = kr_pod_restarts(p);
    int rw, ph, inner = r.w - 2 * pad, where;
    const char *status = p->status ? p->status : "Unknown";
    char rs[32], detail[256] = "", shown[256];
    kr_rect name, row, d, at;
    kr_color rc = restarts > 0 && !gone ? KR_OI_VERMILLION : KR_C_FAINT;
    double fade = kr_done_fade(sim, p);
    pill_fit pf;
    kr_round_fill(s->g, r, rad, gone ? KR_RGB(0xF1F1F1) : KR_C_CARD);
    kr_round_frame(s->g, r, rad, kr_px(s, 2.2, 2),
                   kr_mix(kr_tone_color(tone), KR_C_BOX, KR_DONE_VEIL * fade), gone);
    snprintf(rs, sizeof rs, "\xE2\x86\xBB %d", restarts);
    rw = kr_text_width(s->t, KR_FACE_SANS, f->body, rs);
    ph = (int)lround(f->body * (full ? 1.5 : 1.3));
    name = full ? band(r, 0.02, 0.36) : band(r, 0.0, 0.48);
    row = full ? band(r, 0.34, 0.66) : band(r, 0.47, 0.97);
    d = band(r, 0.64, 0.97);
    if (full) {
        kr_records rec;
        kr_pod_detail(sim, p, detail, sizeof detail);
        /* a running database or cache: the records it would answer with,
         * and where they are (lost with a restart, or kept on a claim) */
        if (strncmp(detail, "Ready ", 6) == 0 && tone == KR_TONE_OK
            && kr_data_records(s->data, sim, 0, p->id, NULL, &rec) && rec.where) {
            if (rec.lost > 0 && ks_now(sim) - rec.lost_at < KR_LOST_SHOWN)
                snprintf(detail, sizeof detail, "\xE2\x96\xA0 %ld %s \xC2\xB7 %ld lost", rec.count,
                         rec.where, rec.lost);
            else
                snprintf(detail, sizeof detail, "\xE2\x96\xA0 %ld %s", rec.count, rec.where);
        }
    }
    /* where ↻ N goes: 0 pill row, 1 detail row, -1 nowhere (no restarts
     * and no room); never the name's row: names have the card's width */
    pf = pill_measure(s, status, ph, inner - rw - pad / 2);
    if (pf.px >= f->small && pf.w <= inner - rw - pad / 2)
        where = 0;
    else if (full && kr_text_width(s->t, KR_FACE_SANS, f->small, detail) + rw + pad <= inner)
        where = 1;
    else
        where = restarts ? 0 : -1;
    if (where != 0)
        pf = pill_measure(s, status, ph, inner + pad / 2);
    at = where == 0 ? row : d;
    if (where >= 0)
        kr_text_box(s->t, KR_FACE_SANS, f->body, rs,
                    (kr_rect){r.x + r.w - pad - rw, at.y, rw, at.h}, KR_RIGHT, KR_CUT_END, rc);
    name.x += pad;
    name.w = inner;
    kr_text_fit_name(s->t, KR_FACE_BOLD, f->body, p->name, name.w,
                     kr_namer_words(&s->namer, p->name), shown, sizeof shown);
    kr_text_box(s->t, KR_FACE_BOLD, f->body, shown, name, KR_LEFT, KR_CUT_END,
                gone ? KR_C_DIM : kr_mix(KR_C_TEXT, KR_C_DIM, fade));
    pill_draw(s, status, tone, r.x + pad, row.y + row.h / 2, ph, pf, fade);
    if (!gone && hpa) {
        /* one of its HPA's squares (kr_enforce.c): a pod it counts, left
         * of ↻ N where there is room */
        int side = kr_hpa_square(&s->lay) * 4 / 5;
        int sx = r.x + r.w - pad - (where == 0 ? rw + pad / 2 : 0) - side;
        if (sx >= r.x + pad + pf.w + pad / 2)
            kr_round_fill(s->g, (kr_rect){sx, row.y + (row.h - side) / 2, side, side},
                          kr_px(s, 2, 1), KR_OI_PURPLE);
    }
    if (full) {
        d.x += pad;
        d.w = inner - (where == 1 ? rw + pad / 2 : 0);
        kr_text_box(s->t, strstr(detail, " lost") ? KR_FACE_BOLD : KR_FACE_SANS, f->small, detail,
                    d, KR_LEFT, KR_CUT_END,
                    tone == KR_TONE_BAD || strstr(detail, " lost") ? KR_RGB(0xA54800)
                    : !strncmp(detail, "\xE2\x96\xA0", 3) ? KR_RGB(0x006B4F) : KR_C_DIM);
    }
}

static void card_small(kr_scene *s, const ks_pod *p, kr_rect r)
{
    const kr_fonts *f = &s->lay.font;
    kr_tone tone = kr_pod_tone(p);
    char buf[160], name[128];
    int rad = kr_px(s, 6, 2);
    kr_round_fill(s->g, r, rad, kr_tone_color(tone));
    if (tone == KR_TONE_GONE)
        kr_round_frame(s->g, r, rad, kr_px(s, 2, 1), KR_C_TEXT, true);
    if (s->lay.chip_names)
        kr_name_min(p->name, kr_namer_words(&s->namer, p->name), name, sizeof name);
    snprintf(buf, sizeof buf, "%s %s", kr_tone_glyph(tone), s->lay.chip_names ? name : suffix(p->name));
    kr_text_box(s->t, KR_FACE_BOLD, f->small, buf, (kr_rect){r.x + 3, r.y, r.w - 6, r.h},
                KR_CENTER, KR_CUT_MIDDLE, kr_tone_text(tone));
}

/* A dot's shape says its tone without colour: disc = ok or done, ring =
 * waiting, small ring = pending, square = failing, dashed grey = going. */
static void card_dot(kr_scene *s, const ks_pod *p, kr_rect r)
{
    kr_tone tone = kr_pod_tone(p);
    kr_color c = kr_tone_color(tone);
    float cx = r.x + r.w / 2.0f, cy = r.y + r.h / 2.0f;
    int rad = r.w / 2, th = rad > 5 ? rad / 3 : 2;
    switch (tone) {
    case KR_TONE_BAD:
        kr_round_fill(s->g, r, rad / 3, c);
        break;
    case KR_TONE_WAIT:
        kr_ring(s->g, cx, cy, rad, th, c);
        break;
    case KR_TONE_PENDING:
        kr_ring(s->g, cx, cy, rad, 1, c);
        break;
    case KR_TONE_GONE:
        kr_ring(s->g, cx, cy, rad, 1, c);
        kr_disc(s->g, cx, cy, rad / 3 > 0 ? rad / 3 : 1, c);
        break;
    default:
        kr_disc(s->g, cx, cy, rad, c);
        break;
    }
}

/* A Completed pod of a Job fades (kr_done_fade: from the simulated time it
 * finished): small cards and dots behind a veil of the box's colour; full
 * and medium cards pale their frame and pill themselves (card_big), so
 * their words stay readable. */
static void veil(kr_scene *s, const ks_sim *sim, const ks_pod *p, kr_rect r)
{
    double f = s->lay.level <= KR_CARD_MEDIUM ? 0 : kr_done_fade(sim, p);
    int a = (int)lround(255 * KR_DONE_VEIL * f);
    int rad = s->lay.level == KR_CARD_DOT     ? r.w / 2
              : s->lay.level == KR_CARD_SMALL ? kr_px(s, 6, 2)
                                              : kr_px(s, 8, 3);
    if (a > 0)
        kr_round_fill(s->g, (kr_rect){r.x - 1, r.y - 1, r.w + 2, r.h + 2}, rad + 1,
                      kr_alpha(KR_C_BOX, a));
}

/* The dots level's counts per STATUS, biggest first, in the box header. */
static void box_counts(kr_scene *s, const ks_sim *sim, int box)
{
    struct {
        const char *status;
        kr_tone tone;
        int n;
    } c[8];
    int nc = 0, i, j, x;
    size_t k;
    const kr_box *b = &s->lay.box[box];
    char buf[96];
    for (k = 0; k < s->lay.npod; k++) {
        const ks_pod *p;
        if (s->lay.pod[k].box != box || !(p = ks_cluster_pod(sim, s->lay.pod[k].pod)))
            continue;
        for (i = 0; i < nc && strcmp(c[i].status, p->status ? p->status : "?"); i++)
            ;
        if (i == nc && nc < 8) {
            c[nc].status = p->status ? p->status : "?";
            c[nc].tone = kr_pod_tone(p);
            c[nc++].n = 0;
        }
        if (i < nc)
            c[i].n++;
    }
    for (i = 1; i < nc; i++)                   /* insertion sort, biggest first */
        for (j = i; j > 0 && c[j].n > c[j - 1].n; j--) {
            __typeof__(c[0]) t = c[j];
            c[j] = c[j - 1];
            c[j - 1] = t;
        }
    /* right-aligned in the header: as many groups as fit, biggest first */
    {
        int total = 0;
        for (j = 0; j < nc; j++) {
            int w;
            snprintf(buf, sizeof buf, "%d %s", c[j].n, c[j].status);
            w = kr_text_width(s->t, KR_FACE_BOLD, s->lay.font.small, kr_tone_glyph(c[j].tone)) + 2
                + kr_text_width(s->t, KR_FACE_SANS, s->lay.font.small, buf) + s->lay.font.small;
            if (total + w > b->counts.w)
                break;
            total += w;
        }
        nc = j;
        x = b->counts.x + b->counts.w - total + s->lay.font.small;
    }
    for (i = 0; i < nc; i++) {
        int gw;
        snprintf(buf, sizeof buf, "%d %s", c[i].n, c[i].status);
        gw = kr_text_width(s->t, KR_FACE_BOLD, s->lay.font.small, kr_tone_glyph(c[i].tone));
        x += kr_text_box(s->t, KR_FACE_BOLD, s->lay.font.small, kr_tone_glyph(c[i].tone),
                         (kr_rect){x, b->counts.y, gw, b->counts.h}, KR_LEFT, KR_CUT_END,
                         kr_tone_color(c[i].tone)) + 2;
        x += kr_text_box(s->t, KR_FACE_SANS, s->lay.font.small, buf,
                         (kr_rect){x, b->counts.y, b->counts.x + b->counts.w - x, b->counts.h},
                         KR_LEFT, KR_CUT_END, KR_C_TEXT) + s->lay.font.small;
    }
}

void kr_cards_draw(kr_scene *s, const ks_sim *sim)
{
    size_t i;
    int mx = s->view.mouse_x, my = s->view.mouse_y;
    for (i = 0; i < s->lay.npod; i++) {
        const kr_pod_place *pl = &s->lay.pod[i];
        const ks_pod *p = ks_cluster_pod(sim, pl->pod);
        kr_rect r;
        bool sel, hover;
        if (!p || pl->r.w == 0)
            continue;
        r = kr_scene_pod_rect(s, pl);
        sel = s->view.sel == KR_SEL_POD && s->view.sel_id == pl->pod;
        hover = s->view.mouse_in && kr_rect_hit(r, mx, my);
        switch (s->lay.level) {
        case KR_CARD_FULL:
            card_big(s, sim, p, pl->hpa, r, true);
            break;
        case KR_CARD_MEDIUM:
            card_big(s, sim, p, pl->hpa, r, false);
            break;
        case KR_CARD_SMALL:
            card_small(s, p, r);
            break;
        default:
            card_dot(s, p, r);
            break;
        }
        veil(s, sim, p, r);
        outline(s, r, kr_px(s, 8, 3), sel, hover);
    }
    if (s->lay.level == KR_CARD_DOT)
        for (i = 0; i < s->lay.nbox; i++)
            if (!s->lay.box[i].future)
                box_counts(s, sim, (int)i);
}

/* ---------------------------------------------------------------------------
 * Records, disks, mounts
 * ------------------------------------------------------------------------- */
/* Records drawn as stacked blocks in r: count now (the last unsafe of them
 * orange: written while two servers shared the data), plus lost ones
 * falling and fading out (fade 1 = just lost, 0 = gone). One block stands
 * for several records when they do not fit ("■ = 12"). */
static void draw_records(kr_scene *s, kr_rect r, long count, long lost, float fade, long unsafe)
{
    const kr_fonts *f = &s->lay.font;
    int b = r.h < f->body ? r.h : f->body, gap = b / 4 > 2 ? b / 4 : 2, maxb, i, nb, nl, lw;
    long unit = 1, total = count + (fade > 0 ? lost : 0);
    char label[64];
    if (b < 4)
        return;
    if (count == 0 && total == 0) {
        kr_text_box(s->t, KR_FACE_SANS, f->small, "no records", r, KR_LEFT, KR_CUT_END, KR_C_DIM);
        return;
    }
    lw = kr_text_width(s->t, KR_FACE_BOLD, f->small, "99999 records (\xE2\x96\xA0 = 9999)");
    maxb = (r.w - lw - gap * 2) / (b + gap);
    if (maxb < 1)
        maxb = (r.w - gap) / (b + gap) / 2;
    if (maxb < 1)
        maxb = 1;
    if (total > maxb)
        unit = (total + maxb - 1) / maxb;
    nb = (int)((count + unit - 1) / unit);
    nl = (int)((total + unit - 1) / unit) - nb;
    /* the last blocks are orange when records were written unsafely */
    for (i = 0; i < nb; i++)
        kr_round_fill(s->g, (kr_rect){r.x + i * (b + gap), r.y + (r.h - b) / 2, b, b}, b / 5,
                      i >= nb - (int)((unsafe < count ? unsafe : count) + unit - 1) / unit
                          ? KR_OI_ORANGE : KR_OI_GREEN);
    for (i = 0; i < nl; i++) {                 /* lost ones fall and fade */
        int drop = (int)lround((1 - fade) * b * 0.9);
        kr_round_fill(s->g, (kr_rect){r.x + (nb + i) * (b + gap), r.y + (r.h - b) / 2 + drop, b, b},
                      b / 5, kr_alpha(KR_OI_VERMILLION, (int)(200 * fade)));
    }
    if (unsafe > 0)
        snprintf(label, sizeof label, "%ld records, %ld unsafe", count, unsafe);
    else if (unit > 1)
        snprintf(label, sizeof label, "%ld records (\xE2\x96\xA0 = %ld)", count, unit);
    else
        snprintf(label, sizeof label, "%ld record%s", count, count == 1 ? "" : "s");
    kr_text_box(s->t, KR_FACE_BOLD, f->small, label,
                (kr_rect){r.x + (nb + nl) * (b + gap) + gap, r.y,
                          r.w - (nb + nl) * (b + gap) - gap, r.h},
                KR_LEFT, KR_CUT_END,
                unsafe > 0 ? KR_RGB(0xA54800) : count ? KR_RGB(0x006B4F) : KR_OI_VERMILLION);
}

static void disk_records(kr_scene *s, const ks_sim *sim, ks_id pvc, ks_id key, kr_rect r)
{
    kr_records rec;
    kr_memo *m = kr_scene_memo(s, key);
    float fade = 0;
    if (!pvc || !kr_data_records(s->data, sim, pvc, 0, NULL, &rec))
        return;
    if (m->records >= 0 && rec.count < m->records) {
        m->lost = m->records - rec.count;
        m->lost_t = s->clock;
    }
    m->records = rec.count;
    if (m->lost > 0) {
        fade = (float)(1.0 - (s->clock - m->lost_t) / LOST_FADE_SECONDS);
        if (fade <= 0) {
            fade = 0;
            m->lost = 0;
        }
    }
    draw_records(s, r, rec.count, m->lost, fade, rec.unsafe);
}

void kr_cards_disks(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    size_t i;
    for (i = 0; i < s->lay.ndisk; i++) {
        const kr_place *pl = &s->lay.disk[i];
        ks_id pvc = pl->id == pl->pv ? 0 : pl->id;
        const ks_pvc *c = pvc ? ks_cluster_pvc(sim, pvc) : NULL;
        const ks_pv *v = pl->pv ? ks_cluster_pv(sim, pl->pv) : NULL;
        const char *phase = c ? c->phase : v ? v->phase : "?";
        kr_rect r = pl->r, top, bot, text;
        int eh = (int)fmin(r.h * 0.26, f->body * 1.0), th = kr_px(s, 2, 1), pad = kr_px(s, 10, 4);
        int lh = (int)lround(f->small * 1.35);
        bool bound = strcmp(phase, "Bound") == 0 && !(c && c->terminating);
        int writers = 0;
        long unreliable = 0;
        bool hazard = kr_sim_volume_hazard(sim, pl->pv, &writers, &unreliable);
        /* Bound blue, Pending orange, Available/Released grey (no claim
         * uses it), Lost/Failed vermillion */
        kr_color edge = bound ? KR_OI_BLUE
                        : !strcmp(phase, "Pending") ? KR_OI_ORANGE
                        : !strcmp(phase, "Available") || !strcmp(phase, "Released")
                              || (c && c->terminating) ? KR_C_LINE : KR_OI_VERMILLION;
        if (hazard)
            edge = KR_OI_VERMILLION;
        char line[300], pvname[64], cap[32], modes[32];
        top = (kr_rect){r.x, r.y, r.w, eh};
        bot = (kr_rect){r.x, r.y + r.h - eh, r.w, eh};
        kr_ellipse(s->g, bot, KR_C_DISK);
        kr_ellipse_frame(s->g, bot, (float)th, edge);
        kr_fill(s->g, (kr_rect){r.x, r.y + eh / 2, r.w, r.h - eh}, KR_C_DISK);
        kr_fill(s->g, (kr_rect){r.x, r.y + eh / 2, th, r.h - eh}, edge);
        kr_fill(s->g, (kr_rect){r.x + r.w - th, r.y + eh / 2, th, r.h - eh}, edge);
        kr_ellipse(s->g, top, KR_RGB(0xEEF3F9));
        kr_ellipse_frame(s->g, top, (float)th, edge);
        text = (kr_rect){r.x + pad, r.y + eh - eh / 4, r.w - 2 * pad, lh};
        if (v) {
            kr_ellipsize_middle(v->name, 14, pvname, sizeof pvname);
            kr_bytes_format(v->capacity, cap, sizeof cap);
            ks_access_modes_format(v->access, modes, sizeof modes);
            snprintf(line, sizeof line, "%s \xC2\xB7 %s \xC2\xB7 %s \xC2\xB7 %s", pvname, cap, modes,
                     c && c->terminating ? "Terminating" : phase);
        } else if (c && c->obj) {
            kr_bytes_format(c->obj->u.pvc.request, cap, sizeof cap);
            ks_access_modes_format(c->obj->u.pvc.access, modes, sizeof modes);
            snprintf(line, sizeof line, "%s \xC2\xB7 %s \xC2\xB7 %s (no volume yet)", cap, modes,
                     phase);
        } else {
            snprintf(line, sizeof line, "%s", phase);
        }
        if (hazard) {            /* two databases on one data directory: say so */
            if (writers > 1)
                snprintf(line, sizeof line, "\xE2\x9A\xA0 %d servers write here at once", writers);
            else
                snprintf(line, sizeof line, "\xE2\x9A\xA0 %ld records written unsafely", unreliable);
        }
        kr_text_box(s->t, KR_FACE_BOLD, f->small, line, text, KR_CENTER, KR_CUT_END,
                    hazard ? KR_OI_VERMILLION : KR_C_TEXT);
        /* the claim's name along the bottom, the records between */
        if (c && c->obj)
            snprintf(line, sizeof line, "claim: %s", c->obj->meta.name);
        else if (v && v->claim_name)
            snprintf(line, sizeof line, "was claim %s \xC2\xB7 %s", v->claim_name,
                     v->reclaim ? v->reclaim : "");
        else
            snprintf(line, sizeof line, "no claim");
        {
            kr_rect foot = {text.x, r.y + r.h - eh / 2 - lh, text.w, lh};
            kr_text_box(s->t, KR_FACE_MONO, f->tiny, line, foot, KR_CENTER, KR_CUT_MIDDLE,
                        KR_C_DIM);
            text.y += lh;
            text.h = foot.y - text.y;
            if (text.h > f->small) {
                int bw = text.w;
                kr_records rec;
                /* centre the blocks and label when they are few */
                if (pvc && kr_data_records(s->data, sim, pvc, 0, NULL, &rec) && rec.count < 8)
                    bw = text.w * 2 / 3;
                disk_records(s, sim, pvc, pl->id,
                             (kr_rect){text.x + (text.w - bw) / 2, text.y, bw, text.h});
            }
        }
    }
}

/* The mount lines, along the routes the layout found between the cards. */
void kr_cards_mounts(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    size_t i;
    int k;
    for (i = 0; i < s->lay.nmount; i++) {
        const kr_mount *mt = &s->lay.mount[i];
        const ks_pod *p = ks_cluster_pod(sim, mt->pod);
        kr_color c = p && p->terminating ? KR_C_FAINT : KR_OI_BLUE;
        for (k = 0; k + 1 < mt->n; k++)
            kr_line(s->g, mt->x[k], mt->y[k], mt->x[k + 1], mt->y[k + 1],
                    (float)kr_px(s, 2.2, 1), c, (float)kr_px(s, 6, 3));
    }
    for (i = 0; i < s->lay.nmount; i++) {
        const kr_mount *mt = &s->lay.mount[i];
        if (!mt->label.w || !mt->text[0])
            continue;
        kr_round_fill(s->g, mt->label, kr_px(s, 4, 2), kr_alpha(KR_C_BOX, 235));
        kr_text_box(s->t, KR_FACE_SANS, f->small, mt->text, mt->label, KR_CENTER, KR_CUT_END,
                    KR_OI_BLUE);
    }
}

/* Pods that are gone, fading out where they stood. */
void kr_cards_ghosts(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    size_t i;
    for (i = 0; i < s->lay.nghost; i++) {
        const kr_ghost_place *gp = &s->lay.ghost[i];
        double age = (double)(ks_now(sim) - gp->g.gone_at);
        double keep = s->ghost_keep > 0 ? (double)s->ghost_keep : 1.0;
        int a = (int)(200 * (1.0 - age / keep)), pad = (int)lround(f->body * 0.6);
        kr_rect r = gp->r, name;
        char shown[256];
        if (r.w <= 0 || a <= 0)
            continue;
        if (s->lay.level >= KR_CARD_SMALL) {
            kr_round_frame(s->g, r, kr_px(s, 6, 2), kr_px(s, 2, 1), kr_alpha(KR_C_GONE, a), true);
            continue;
        }
        kr_round_frame(s->g, r, kr_px(s, 8, 3), kr_px(s, 2.2, 2), kr_alpha(KR_C_GONE, a), true);
        name = band(r, 0.02, s->lay.level == KR_CARD_FULL ? 0.36 : 0.48);
        name.x += pad;
        name.w -= 2 * pad;
        kr_text_fit_name(s->t, KR_FACE_BOLD, f->body, gp->g.name, name.w,
                         kr_namer_words(&s->namer, gp->g.name), shown, sizeof shown);
        kr_text_box(s->t, KR_FACE_BOLD, f->body, shown, name, KR_LEFT, KR_CUT_END,
                    kr_alpha(KR_C_DIM, a));
        kr_text_box(s->t, KR_FACE_SANS, f->small, "gone",
                    (kr_rect){r.x + pad, r.y + r.h / 2, r.w - 2 * pad, r.h / 2}, KR_LEFT,
                    KR_CUT_END, kr_alpha(KR_C_DIM, a));
    }
}
