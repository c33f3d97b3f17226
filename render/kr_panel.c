/* kr_panel.c -- the chrome around the cluster picture: the top bar
 * (title, controls, clock), the right panel (`kubectl get pods` as kubectl
 * prints it, Events like `kubectl get events`, per-route Requests), the
 * caption bar and the timeline with its markers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_hit.h"
#include "kr_panel.h"
#include "kr_status.h"
#include "core/ks_event.h"

/* ---------------------------------------------------------------------------
 * Top bar
 * ------------------------------------------------------------------------- */
static void button(kr_scene *s, kr_button b, bool active)
{
    kr_rect r = s->lay.btn[b];
    bool hover = s->view.mouse_in && kr_rect_hit(r, s->view.mouse_x, s->view.mouse_y);
    float cx = r.x + r.w / 2.0f, cy = r.y + r.h / 2.0f, k = r.h * 0.22f;
    kr_color ic = KR_C_BAR_TEXT;
    int tp = s->lay.font.title;
    if (r.w <= 0)
        return;
    kr_round_fill(s->g, r, kr_px(s, 6, 2),
                  active ? KR_OI_BLUE : hover ? KR_RGB(0x46505A) : KR_RGB(0x323A42));
    switch (b) {
    case KR_BTN_PLAY:
        if (s->view.playing) {
            kr_fill(s->g, (kr_rect){(int)(cx - k), (int)(cy - k * 1.1f), (int)(k * 0.7f), (int)(k * 2.2f)}, ic);
            kr_fill(s->g, (kr_rect){(int)(cx + k * 0.3f), (int)(cy - k * 1.1f), (int)(k * 0.7f), (int)(k * 2.2f)}, ic);
        } else {
            kr_triangle(s->g, cx - k * 0.8f, cy - k * 1.2f, cx + k * 1.2f, cy, cx - k * 0.8f,
                        cy + k * 1.2f, ic);
        }
        break;
    case KR_BTN_STEP:
        kr_triangle(s->g, cx - k * 1.1f, cy - k, cx + k * 0.5f, cy, cx - k * 1.1f, cy + k, ic);
        kr_fill(s->g, (kr_rect){(int)(cx + k * 0.55f), (int)(cy - k), (int)(k * 0.5f) + 1, (int)(k * 2)}, ic);
        break;
    case KR_BTN_RESTART:
        kr_text_box(s->t, KR_FACE_BOLD, tp, "\xE2\x86\xBA", r, KR_CENTER, KR_CUT_END, ic);
        break;
    case KR_BTN_SLOWER:
        kr_text_box(s->t, KR_FACE_BOLD, tp, "\xE2\x88\x92", r, KR_CENTER, KR_CUT_END, ic);
        break;
    case KR_BTN_FASTER:
        kr_text_box(s->t, KR_FACE_BOLD, tp, "+", r, KR_CENTER, KR_CUT_END, ic);
        break;
    case KR_BTN_HELP:
        kr_text_box(s->t, KR_FACE_BOLD, tp, "?", r, KR_CENTER, KR_CUT_END, ic);
        break;
    default:
        break;
    }
}

static void top_bar(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    char buf[64], clock[48];
    int b;
    const char *title = s->view.title ? s->view.title : "kubesim";
    int px = f->title;
    kr_fill(s->g, s->lay.topbar, KR_C_BAR);
    /* a long title steps down a size or two before it loses its end */
    while (px > f->body && kr_text_width(s->t, KR_FACE_BOLD, px, title) > s->lay.title.w)
        px--;
    kr_text_box(s->t, KR_FACE_BOLD, px, title, s->lay.title, KR_LEFT, KR_CUT_END, KR_C_BAR_TEXT);
    for (b = 0; b < KR_BTN_COUNT; b++)
        button(s, (kr_button)b, b == KR_BTN_HELP && s->view.help);
    kr_speed_format(s->view.speed, buf, sizeof buf);
    kr_text_box(s->t, KR_FACE_BOLD, f->body, buf, s->lay.speed, KR_CENTER, KR_CUT_END,
                KR_C_BAR_TEXT);
    kr_clock_format(ks_now(sim), clock, sizeof clock);
    snprintf(buf, sizeof buf, "t = %s", clock);
    kr_text_box(s->t, KR_FACE_BOLD, f->title, buf, s->lay.clock, KR_RIGHT, KR_CUT_END,
                KR_C_BAR_TEXT);
}

/* ---------------------------------------------------------------------------
 * kubectl get pods
 * ------------------------------------------------------------------------- */
static kr_color on_dark(kr_tone t)
{
    switch (t) {
    case KR_TONE_OK: return KR_RGB(0x3CCB9A);
    case KR_TONE_WAIT: return KR_OI_ORANGE;
    case KR_TONE_PENDING: return KR_OI_SKY;
    case KR_TONE_BAD: return KR_RGB(0xFF8A3D);
    case KR_TONE_DONE: return KR_OI_SKY;
    default: return KR_C_TERM_DIM;
    }
}

/* Draws text at column col (in characters) of a monospace row. */
static void cell(kr_scene *s, int px, double adv, int x, int y, int col, const char *text,
                 kr_color c)
{
    kr_text_draw(s->t, KR_FACE_MONO, px, text, x + (int)lround(col * adv), y, c);
}

static void pods_table(kr_scene *s, const ks_sim *sim)
{
    const ks_pod **pods;
    const kr_fonts *f = &s->lay.font;
    kr_rect r = s->lay.table;
    int px = f->small;
    int pad = kr_px(s, 12, 5), rh, chars, rows, i, y, x;
    int wstatus = 6, wrestart = 8, wage = 3, wname, c_ready, c_status, c_restart, c_age;
    int wfull = 4, wmin = 4;
    double adv = kr_text_width(s->t, KR_FACE_MONO, px, "MMMMMMMMMMMMMMMMMMMM") / 20.0;
    bool long_restarts = true, age = true;
    size_t n, k;
    char line[512], name[128], ready[16], rs[32], ag[16];
    if (r.w <= 0 || r.h <= 0)
        return;
    kr_clip(s->g, &r);
    if (adv <= 0)
        adv = px * 0.6;
    chars = (int)((r.w - 2 * pad) / adv);
    n = kr_scene_sorted_pods(s, sim);
    pods = s->sorted;
    rows = kr_hit_table_rows(s, &y, &rh);
    if (s->view.table_scroll > (int)n - rows)
        s->view.table_scroll = (int)n - rows;
    if (s->view.table_scroll < 0)
        s->view.table_scroll = 0;
    /* column widths from the rows shown, as kubectl sizes them */
    for (k = (size_t)s->view.table_scroll; k < n && (int)(k - (size_t)s->view.table_scroll) < rows; k++) {
        int l = (int)kr_utf8_len(pods[k]->status ? pods[k]->status : "");
        wstatus = l > wstatus ? l : wstatus;
        l = (int)ks_pod_restarts_text(sim, pods[k], rs, sizeof rs);
        wrestart = l > wrestart ? l : wrestart;
        l = (int)ks_age_format(ks_now(sim) - pods[k]->created, ag, sizeof ag);
        wage = l > wage ? l : wage;
        l = (int)kr_utf8_len(pods[k]->name);
        wfull = l > wfull ? l : wfull;
        kr_name_min(pods[k]->name, kr_namer_words(&s->namer, pods[k]->name), name, sizeof name);
        l = (int)kr_utf8_len(name);
        wmin = l > wmin ? l : wmin;
    }
    /* too narrow for kubectl's columns: "4 (62s ago)" becomes "4", then
     * AGE goes before names lose what tells them apart (kr_name_min), then
     * STATUS gives way */
    wname = chars - (5 + wstatus + wrestart + wage + 8);
    if (wname < wfull && wrestart > 8) {
        long_restarts = false;
        wname += wrestart - 8;
        wrestart = 8;
    }
    if (wname < wmin) {
        age = false;
        wname += wage + 2;
    }
    if (wname < wmin && wstatus > 9) {          /* "ContainerCreat…" before names */
        int give = wstatus - 9 < wmin - wname ? wstatus - 9 : wmin - wname;
        wstatus -= give;
        wname += give;
    }
    if (wname < 8) {                         /* still too narrow: STATUS gives way */
        wstatus += wname - 8;
        wstatus = wstatus < 7 ? 7 : wstatus;
        wname = 8;
    }
    c_ready = wname + 2;
    c_status = c_ready + 7;
    c_restart = c_status + wstatus + 2;
    c_age = c_restart + wrestart + 2;
    y = r.y + pad;
    x = r.x + pad;
    cell(s, px, adv, x, y, 0, "$", KR_C_TERM_PROMPT);
    cell(s, px, adv, x, y, 2, "kubectl get pods", KR_C_TERM_TEXT);
    y += rh;
    cell(s, px, adv, x, y, 0, "NAME", KR_C_TERM_DIM);
    cell(s, px, adv, x, y, c_ready, "READY", KR_C_TERM_DIM);
    cell(s, px, adv, x, y, c_status, "STATUS", KR_C_TERM_DIM);
    cell(s, px, adv, x, y, c_restart, "RESTARTS", KR_C_TERM_DIM);
    if (age)
        cell(s, px, adv, x, y, c_age, "AGE", KR_C_TERM_DIM);
    y += rh;
    if (!n)
        cell(s, px, adv, x, y, 0, "No resources found in default namespace.", KR_C_TERM_DIM);
    for (i = 0; i < rows && (size_t)(i + s->view.table_scroll) < n; i++, y += rh) {
        const ks_pod *p = pods[i + s->view.table_scroll];
        if (i == rows - 1 && (size_t)(i + s->view.table_scroll) + 1 < n) {
            snprintf(line, sizeof line, "\xE2\x80\xA6 %zu more (scroll)",
                     n - (size_t)(i + s->view.table_scroll));
            cell(s, px, adv, x, y, 0, line, KR_C_TERM_DIM);
            break;
        }
        if (s->view.sel == KR_SEL_POD && s->view.sel_id == p->id)
            kr_fill(s->g, (kr_rect){r.x + pad / 2, y - rh / 8, r.w - pad, rh},
                    kr_alpha(KR_OI_BLUE, 170));
        kr_name_short(p->name, (size_t)wname, kr_namer_words(&s->namer, p->name), name,
                      sizeof name);
        ks_pod_ready_text(p, ready, sizeof ready);
        if (long_restarts)
            ks_pod_restarts_text(sim, p, rs, sizeof rs);
        else
            snprintf(rs, sizeof rs, "%d", kr_pod_restarts(p));
        cell(s, px, adv, x, y, 0, name, KR_C_TERM_TEXT);
        cell(s, px, adv, x, y, c_ready, ready, KR_C_TERM_TEXT);
        kr_ellipsize_end(p->status ? p->status : "", (size_t)wstatus, line, sizeof line);
        cell(s, px, adv, x, y, c_status, line, on_dark(kr_pod_tone(p)));
        cell(s, px, adv, x, y, c_restart, rs, kr_pod_restarts(p) ? KR_RGB(0xFF8A3D) : KR_C_TERM_TEXT);
        if (age) {
            ks_age_format(ks_now(sim) - p->created, ag, sizeof ag);
            cell(s, px, adv, x, y, c_age, ag, KR_C_TERM_TEXT);
        }
    }
    kr_clip(s->g, NULL);
}

/* The last kubectl command, typed or the lesson's own, and what it printed,
 * as a terminal shows it (tabs as columns, long lines wrapped, a wide
 * table narrowed, then wrapped too): its last lines when they do not all
 * fit. */
typedef struct term_draw {
    kr_scene *s;
    int i, skip, rows, x, y0, rh, w;
} term_draw;

static void term_line(void *ud, const char *line, bool cont)
{
    term_draw *d = ud;
    kr_scene *s = d->s;
    int px = s->lay.font.small, y = d->y0 + d->i * d->rh, x = d->x;
    bool cmd = !cont && strncmp(line, "$ ", 2) == 0;
    if (d->i >= d->rows)
        return;
    if (!cmd && d->skip > 0) {               /* the command, "…", then the last lines */
        if (--d->skip == 0) {
            kr_text_draw(s->t, KR_FACE_MONO, px, "\xE2\x80\xA6", x, y, KR_C_TERM_DIM);
            d->i++;
        }
        return;
    }
    if (cmd) {
        x += kr_text_draw(s->t, KR_FACE_MONO, px, "$ ", x, y, KR_C_TERM_PROMPT);
        line += 2;
    }
    kr_text_box(s->t, KR_FACE_MONO, px, line, (kr_rect){x, y, d->x + d->w - x, d->rh}, KR_LEFT,
                KR_CUT_END, KR_C_TERM_TEXT);
    d->i++;
}

static void term_output(kr_scene *s)
{
    kr_rect r = s->lay.output;
    int pad = kr_px(s, 12, 5), n, cols = kr_scene_term_cols(s);
    term_draw d;
    if (r.h <= 0 || !s->view.output[0])
        return;
    kr_clip(s->g, &r);
    d.s = s;
    d.rh = kr_layout_row_table(&s->lay);
    d.rows = (r.h - pad) / d.rh - 1;
    if (d.rows < 1) {
        kr_clip(s->g, NULL);
        return;
    }
    kr_fill(s->g, (kr_rect){r.x + pad, r.y + d.rh / 3, r.w - 2 * pad, 1}, KR_C_TERM_DIM);
    n = kr_scene_output_lines(s, cols);
    d.skip = n > d.rows ? n - d.rows + 1 : 0;
    d.i = 0;
    d.x = r.x + pad;
    d.w = r.w - 2 * pad;
    d.y0 = r.y + d.rh * 2 / 3;
    kr_term_lines(s->view.output, &s->view.output_tables, cols, term_line, &d);
    kr_clip(s->g, NULL);
}

/* A white panel with its heading; returns the y under the heading. */
static int panel_frame(kr_scene *s, kr_rect r, const char *title)
{
    int pad = kr_px(s, 12, 5), hh = (int)lround(s->lay.font.heading * 1.6);
    kr_round_fill(s->g, r, kr_px(s, 10, 3), KR_C_BOX);
    kr_round_frame(s->g, r, kr_px(s, 10, 3), kr_px(s, 2, 1), KR_RGB(0xD0D4D8), false);
    kr_text_box(s->t, KR_FACE_BOLD, s->lay.font.heading, title,
                (kr_rect){r.x + pad, r.y + pad / 3, r.w - 2 * pad, hh}, KR_LEFT, KR_CUT_END,
                KR_C_TEXT);
    return r.y + pad / 3 + hh;
}

/* ---------------------------------------------------------------------------
 * An exercise's goals
 * ------------------------------------------------------------------------- */
/* The checklist: ☑ met, ☐ not yet, the hint asked for under a goal not met
 * (three lines at most), and the note: how many are met, or why the last save
 * did not load. The line to ask for the next hint is kr_hit_hint_line. */
static void goals_panel(kr_scene *s)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r = s->lay.goals, hint;
    int pad = kr_px(s, 12, 5), rh = kr_layout_row_goals(&s->lay), y, i, k, met = 0, n;
    char buf[300], lines[700];
    const char *l;
    bool more = false;
    if (r.h <= 0)
        return;
    for (i = 0; i < s->ngoals; i++) {
        met += s->goals[i].met;
        more = more || (!s->goals[i].met && s->goals[i].hint_no < s->goals[i].nhints);
    }
    y = panel_frame(s, r, "Goals");
    snprintf(buf, sizeof buf, "%d of %d met", met, s->ngoals);
    kr_text_box(s->t, KR_FACE_BOLD, f->small, buf,
                (kr_rect){r.x + pad, r.y + pad / 3, r.w - 2 * pad, (int)lround(f->heading * 1.6)},
                KR_RIGHT, KR_CUT_END, met == s->ngoals && s->ngoals ? KR_RGB(0x007A5A) : KR_C_DIM);
    kr_clip(s->g, &r);
    for (i = 0; i < s->ngoals; i++, y += rh) {
        const kr_goal *g = &s->goals[i];
        int gw = kr_text_width(s->t, KR_FACE_BOLD, f->small, "\xE2\x98\x90 ");
        kr_text_box(s->t, KR_FACE_BOLD, f->small, g->met ? "\xE2\x98\x91" : "\xE2\x98\x90",
                    (kr_rect){r.x + pad, y, gw, rh}, KR_LEFT, KR_CUT_END,
                    g->met ? KR_RGB(0x007A5A) : KR_OI_VERMILLION);
        kr_text_box(s->t, g->met ? KR_FACE_SANS : KR_FACE_BOLD, f->small, g->title,
                    (kr_rect){r.x + pad + gw, y, r.w - 2 * pad - gw, rh}, KR_LEFT, KR_CUT_END,
                    g->met ? KR_C_DIM : KR_C_TEXT);
        if (g->met || !g->hint)
            continue;
        snprintf(buf, sizeof buf, "hint %d of %d: %s", g->hint_no, g->nhints, g->hint);
        n = kr_text_wrap(s->t, KR_FACE_SANS, f->small, buf, r.w - 2 * pad - gw, 3, lines,
                         sizeof lines);
        for (k = 0, l = lines; k < n; k++, l += strlen(l) + 1) {
            y += rh;
            kr_text_box(s->t, KR_FACE_SANS, f->small, l,
                        (kr_rect){r.x + pad + gw, y, r.w - 2 * pad - gw, rh}, KR_LEFT,
                        KR_CUT_END, KR_RGB(0x0B5C8A));
        }
        y += (3 - n) * rh;
    }
    hint = kr_hit_hint_line(s);
    if (s->goals_note[0] && !strstr(s->goals_note, "goals met")) {
        kr_text_box(s->t, KR_FACE_BOLD, f->small, s->goals_note, hint, KR_LEFT, KR_CUT_MIDDLE,
                    KR_OI_VERMILLION);
    } else if (more) {
        bool hot = s->view.mouse_in && kr_rect_hit(hint, s->view.mouse_x, s->view.mouse_y);
        kr_text_box(s->t, KR_FACE_BOLD, f->small,
                    "H or click: the next hint", hint, KR_LEFT, KR_CUT_END,
                    hot ? KR_OI_BLUE : KR_RGB(0x0B5C8A));
    } else {
        kr_text_box(s->t, KR_FACE_SANS, f->small,
                    met == s->ngoals && s->ngoals ? "All goals met -- well done."
                                                  : "Edit the manifests and save: it runs again.",
                    hint, KR_LEFT, KR_CUT_END, KR_C_DIM);
    }
    kr_clip(s->g, NULL);
}

/* ---------------------------------------------------------------------------
 * Events and Requests
 * ------------------------------------------------------------------------- */
static void event_reason(const ks_k8s_event *e, char *buf, size_t n)
{
    if (e->count > 1)
        snprintf(buf, n, "%s%s \xC3\x97%d", e->warning ? "\xE2\x9A\xA0 " : "", e->reason,
                 e->count);
    else
        snprintf(buf, n, "%s%s", e->warning ? "\xE2\x9A\xA0 " : "", e->reason);
}

/* "pod/NAME" as kubectl names the involved object. */
static void event_object(const ks_k8s_event *e, char *buf, size_t n)
{
    char *c;
    snprintf(buf, n, "%s/%s", ks_kind_name(e->kind), e->name ? e->name : "");
    for (c = buf; *c && *c != '/'; c++)              /* "Pod/x" -> "pod/x" */
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
}

/* How narrow an event's OBJECT can go and still tell it apart: whole when
 * short, else its kind and its name's shortest form (kr_name_min:
 * "pod/web-…-dqs8k"). */
static int object_min_width(kr_scene *s, const char *obj, int px)
{
    const char *slash = strchr(obj, '/');
    char name[160], form[200];
    int whole = kr_text_width(s->t, KR_FACE_SANS, px, obj), w;
    if (!slash)
        return whole;
    kr_name_min(slash + 1, kr_namer_words(&s->namer, slash + 1), name, sizeof name);
    snprintf(form, sizeof form, "%.*s%s", (int)(slash - obj + 1), obj, name);
    w = kr_text_width(s->t, KR_FACE_SANS, px, form);
    return w < whole ? w : whole;
}

/* Events as `kubectl get events --sort-by=.lastTimestamp` lists them, the
 * newest at the bottom: LAST SEEN, REASON (⚠ for a Warning, ×N when it
 * happened N times), OBJECT. */
static void events_panel(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r = s->lay.events;
    int pad = kr_px(s, 12, 5), rh, y, rows, i, wreason = 0, cap, wobj = 0;
    int wage = kr_text_width(s->t, KR_FACE_SANS, f->small, "000s");
    size_t n = ks_cluster_event_count(sim), first;
    char reason[96], obj[300], age[16];
    if (r.w <= 0 || r.h <= 0)
        return;
    panel_frame(s, r, "Events");
    kr_text_box(s->t, KR_FACE_SANS, f->tiny, "by last seen",
                (kr_rect){r.x + pad, r.y + pad / 3, r.w - 2 * pad, (int)lround(f->heading * 1.6)},
                KR_RIGHT, KR_CUT_END, KR_C_DIM);
    rows = kr_hit_event_rows(s, sim, &y, &rh, &first);
    if (rows <= 0)
        return;
    if (!n) {
        kr_text_box(s->t, KR_FACE_SANS, f->small, "No events yet.",
                    (kr_rect){r.x + pad, y, r.w - 2 * pad, rh}, KR_LEFT, KR_CUT_END, KR_C_DIM);
        return;
    }
    /* LAST SEEN as wide as its widest shown ("3m36s"); REASON as wide as
     * its longest shown, up to half, or more while OBJECT keeps room for
     * the shortest form of the objects shown (a pod's name shortened in
     * the middle, KR_CUT_NAME): the reason is the word a lesson is about
     * (BackoffLimitExceeded, NodeHasInsufficientMemory); OBJECT the rest */
    for (i = 0; first + (size_t)i < n; i++) {
        const ks_k8s_event *e = ks_cluster_event(sim, s->events[first + (size_t)i]);
        int w;
        event_reason(e, reason, sizeof reason);
        w = kr_text_width(s->t, KR_FACE_BOLD, f->small, reason);
        wreason = w > wreason ? w : wreason;
        event_object(e, obj, sizeof obj);
        w = object_min_width(s, obj, f->small);
        wobj = w > wobj ? w : wobj;
        ks_age_format(ks_now(sim) - e->last, age, sizeof age);
        w = kr_text_width(s->t, KR_FACE_SANS, f->small, age);
        wage = w > wage ? w : wage;
    }
    cap = r.w - 2 * pad - wage - pad - pad / 2 - wobj;
    if (cap < (r.w - 2 * pad - wage) / 2)
        cap = (r.w - 2 * pad - wage) / 2;
    if (wreason > cap)
        wreason = cap;
    for (i = 0; first + (size_t)i < n; i++, y += rh) {
        const ks_k8s_event *e = ks_cluster_event(sim, s->events[first + (size_t)i]);
        int x = r.x + pad;
        ks_age_format(ks_now(sim) - e->last, age, sizeof age);
        kr_text_box(s->t, KR_FACE_SANS, f->small, age, (kr_rect){x, y, wage, rh}, KR_RIGHT,
                    KR_CUT_END, KR_C_DIM);
        x += wage + pad;
        event_reason(e, reason, sizeof reason);
        kr_text_box(s->t, KR_FACE_BOLD, f->small, reason, (kr_rect){x, y, wreason, rh}, KR_LEFT,
                    KR_CUT_END, e->warning ? KR_OI_VERMILLION : KR_C_TEXT);
        x += wreason + pad / 2;
        event_object(e, obj, sizeof obj);
        kr_text_box(s->t, KR_FACE_SANS, f->small, obj, (kr_rect){x, y, r.x + r.w - pad - x, rh},
                    KR_LEFT, KR_CUT_NAME, KR_C_DIM);
    }
}

/* "12 ms", "5.0 s". */
static void latency_text(double ms, char *buf, size_t n)
{
    if (ms < 0)
        ms = 0;
    if (ms >= 1000)
        snprintf(buf, n, "%.1f s", ms / 1000);
    else
        snprintf(buf, n, "%.0f ms", ms);
}

/* A route's figures: "100% · p99 12 ms" (failed and timed-out requests
 * count, and their waits are in p99) and "5.0/s"; returns their colour. */
static kr_color route_figures(const kr_route_stat *st, char *ok, size_t nok, char *rate,
                              size_t nrate)
{
    char lat[32];
    snprintf(rate, nrate, "%.1f/s", st->rate);
    if (st->success < 0) {
        snprintf(ok, nok, "\xE2\x80\x93");
        return KR_C_DIM;
    }
    latency_text(st->p99_ms, lat, sizeof lat);
    snprintf(ok, nok, "%.0f%% \xC2\xB7 p99 %s", st->success * 100, lat);
    return st->success >= 0.99 ? KR_RGB(0x007A5A)
           : st->success >= 0.9 ? KR_RGB(0xB07800) : KR_OI_VERMILLION;
}

int kr_panel_route_rows(kr_scene *s, const kr_route_stat *st, size_t n)
{
    const kr_fonts *f = &s->lay.font;
    int pad = kr_px(s, 12, 5), w = s->lay.requests.w - 2 * pad, rows = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        char route[128], ok[64], rate[32];
        route_figures(&st[i], ok, sizeof ok, rate, sizeof rate);
        snprintf(route, sizeof route, "%.11s %.95s", st[i].method, st[i].path);
        rows += 1 + (kr_text_width(s->t, KR_FACE_MONO, f->small, route)
                     > w - kr_text_width(s->t, KR_FACE_BOLD, f->small, ok)
                           - kr_text_width(s->t, KR_FACE_SANS, f->small, rate) - 2 * pad);
    }
    return rows;
}

static void requests_panel(kr_scene *s, const ks_sim *sim)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r = s->lay.requests;
    kr_route_stat st[16];
    int pad = kr_px(s, 12, 5), rh = kr_layout_row_requests(&s->lay), y;
    size_t n, i;
    if (r.w <= 0 || r.h <= 0)
        return;
    y = panel_frame(s, r, "Requests");
    n = kr_data_routes(s->data, sim, st, 16);
    if (y + rh > r.y + r.h)
        return;
    if (!n) {
        kr_text_box(s->t, KR_FACE_SANS, f->small, "No requests yet.",
                    (kr_rect){r.x + pad, y, r.w - 2 * pad, rh}, KR_LEFT, KR_CUT_END, KR_C_DIM);
        return;
    }
    for (i = 0; i < n && y + rh <= r.y + r.h - pad / 3; i++, y += rh) {
        char route[128], ok[64], rate[32];
        int x = r.x + pad, end = r.x + r.w - pad, wok, wrate;
        kr_color c = route_figures(&st[i], ok, sizeof ok, rate, sizeof rate);
        /* the figures at their own widths, the route gets the rest; a route
         * that does not fit has a line of its own, the figures under it */
        snprintf(route, sizeof route, "%.11s %.95s", st[i].method, st[i].path);
        wok = kr_text_width(s->t, KR_FACE_BOLD, f->small, ok);
        wrate = kr_text_width(s->t, KR_FACE_SANS, f->small, rate);
        if (kr_text_width(s->t, KR_FACE_MONO, f->small, route) > end - x - wok - wrate - 2 * pad
            && y + 2 * rh <= r.y + r.h - pad / 3) {
            kr_text_box(s->t, KR_FACE_MONO, f->small, route, (kr_rect){x, y, end - x, rh}, KR_LEFT,
                        KR_CUT_MIDDLE, KR_C_TEXT);
            y += rh;
        } else {
            kr_text_box(s->t, KR_FACE_MONO, f->small, route,
                        (kr_rect){x, y, end - x - wok - wrate - 2 * pad, rh}, KR_LEFT,
                        KR_CUT_MIDDLE, KR_C_TEXT);
        }
        kr_text_box(s->t, KR_FACE_BOLD, f->small, ok, (kr_rect){end - wok, y, wok, rh}, KR_RIGHT,
                    KR_CUT_END, c);
        end -= wok + pad;
        kr_text_box(s->t, KR_FACE_SANS, f->small, rate, (kr_rect){end - wrate, y, wrate, rh},
                    KR_RIGHT, KR_CUT_END, KR_C_DIM);
    }
}

/* ---------------------------------------------------------------------------
 * Caption and timeline
 * ------------------------------------------------------------------------- */
static void caption(kr_scene *s)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r = s->lay.caption;
    int pad = (int)lround(f->caption * 0.45), lh, n, i, px, fit;
    char lines[1400];
    const char *l;
    kr_round_fill(s->g, r, kr_px(s, 8, 3), s->view.caption[0] ? KR_C_CAPTION : KR_RGB(0xEBEBE8));
    if (s->view.caption[0])
        kr_round_frame(s->g, r, kr_px(s, 8, 3), kr_px(s, 2, 1), KR_C_CAPTION_EDGE, false);
    if (!s->view.caption[0]) {
        kr_text_box(s->t, KR_FACE_SANS, f->body,
                    s->view.live ? "Space play/pause \xC2\xB7 \xE2\x88\x92 + speed \xC2\xB7 click "
                                   "a pod to break it \xC2\xB7 : kubectl \xC2\xB7 ? help"
                                 : "Space play/pause \xC2\xB7 \xE2\x86\x92 next event \xC2\xB7 click "
                                   "a pod to break it \xC2\xB7 : kubectl \xC2\xB7 ? help",
                    (kr_rect){r.x + pad, r.y, r.w - 2 * pad, r.h}, KR_LEFT, KR_CUT_END, KR_C_DIM);
        return;
    }
    /* wrapped in whole words; a caption longer than the lines there are
     * steps down a size rather than lose its end */
    for (px = f->caption;; px = px * 7 / 8) {
        lh = (int)lround(px * 1.3);
        fit = (r.h - 2 * pad + lh / 4) / lh;
        n = kr_text_wrap(s->t, KR_FACE_BOLD, px, s->view.caption, r.w - 2 * pad, 12, lines,
                         sizeof lines);
        if (n <= fit || px * 7 / 8 < f->small)
            break;
    }
    if (n > fit)
        n = kr_text_wrap(s->t, KR_FACE_BOLD, px, s->view.caption, r.w - 2 * pad, fit, lines,
                         sizeof lines);
    for (i = 0, l = lines; i < n; i++, l += strlen(l) + 1)
        kr_text_box(s->t, KR_FACE_BOLD, px, l,
                    (kr_rect){r.x + pad, r.y + (r.h - n * lh) / 2 + i * lh, r.w - 2 * pad, lh},
                    KR_LEFT, KR_CUT_END, KR_C_TEXT);
}

static kr_color mark_color(kr_mark k)
{
    switch (k) {
    case KR_MARK_CAPTION: return KR_OI_BLUE;
    case KR_MARK_WARNING: return KR_OI_VERMILLION;
    case KR_MARK_CRASH: return KR_OI_ORANGE;
    default: return KR_OI_PURPLE;
    }
}

/* Live mode: where the timeline was (a live cluster's future is not
 * known), how to reach the API, for as long as it is served. */
static void status_bar(kr_scene *s)
{
    kr_rect r = s->lay.timeline;
    int m = kr_px(s, 12, 4), px = s->lay.font.small, lw;
    const char *lead = "Serving the Kubernetes API \xC2\xB7 your kubectl:";
    kr_fill(s->g, r, KR_C_BAR);
    lw = kr_text_width(s->t, KR_FACE_SANS, px, lead);
    kr_text_box(s->t, KR_FACE_SANS, px, lead, (kr_rect){r.x + m, r.y, lw, r.h}, KR_LEFT,
                KR_CUT_END, KR_C_BAR_TEXT);
    kr_text_box(s->t, KR_FACE_MONO, px, s->view.live[0] ? s->view.live : "kubesim serve",
                (kr_rect){r.x + 2 * m + lw, r.y, r.w - 3 * m - lw, r.h}, KR_LEFT, KR_CUT_MIDDLE,
                KR_RGB(0x3CCB9A));
}

static void timeline(kr_scene *s, const ks_sim *sim)
{
    kr_rect r = s->lay.timeline;
    ks_time now = ks_now(sim);
    int m = kr_px(s, 12, 4), lw, x0, x1, cy = r.y + r.h / 2, xn, last_x[KR_MARK_KINDS];
    ks_time dur = kr_hit_timeline(s, sim, &x0, &x1);
    char buf[32];
    size_t i;
    kr_fill(s->g, r, KR_RGB(0xE2E2DE));
    kr_clock_format(dur, buf, sizeof buf);
    lw = kr_text_width(s->t, KR_FACE_SANS, s->lay.font.tiny, buf);
    kr_text_box(s->t, KR_FACE_SANS, s->lay.font.tiny, buf, (kr_rect){x1 + m, r.y, lw, r.h},
                KR_LEFT, KR_CUT_END, KR_C_DIM);
    kr_round_fill(s->g, (kr_rect){x0, cy - 2, x1 - x0, 4}, 2, KR_C_FAINT);
    xn = x0 + (int)((double)(x1 - x0) * (double)now / (double)dur);
    kr_round_fill(s->g, (kr_rect){x0, cy - 2, xn - x0, 4}, 2, KR_OI_BLUE);
    for (i = 0; i < KR_MARK_KINDS; i++)
        last_x[i] = -100;
    for (i = 0; i < s->view.nmarks; i++) {
        const kr_marker *mk = &s->view.marks[i];
        int x = x0 + (int)((double)(x1 - x0) * (double)mk->t / (double)dur);
        if (mk->t > dur || x - last_x[mk->kind] < 3)
            continue;
        last_x[mk->kind] = x;
        kr_disc(s->g, (float)x, (float)cy, kr_px(s, 5, 3), mark_color(mk->kind));
    }
    kr_triangle(s->g, (float)xn - r.h * 0.3f, (float)r.y + 1, (float)xn + r.h * 0.3f,
                (float)r.y + 1, (float)xn, (float)cy, KR_C_TEXT);
    kr_fill(s->g, (kr_rect){xn - 1, cy, 2, r.h / 2 - 2}, KR_C_TEXT);
}

void kr_panel_draw(kr_scene *s, const ks_sim *sim)
{
    top_bar(s, sim);
    if (s->lay.term.w > 0)
        kr_round_fill(s->g, s->lay.term, kr_px(s, 10, 3), KR_C_TERM);
    pods_table(s, sim);
    term_output(s);
    goals_panel(s);
    events_panel(s, sim);
    requests_panel(s, sim);
    caption(s);
    if (s->view.live)
        status_bar(s);
    else
        timeline(s, sim);
}
