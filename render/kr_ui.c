/* kr_ui.c -- what floats over the picture: the action menu of the selected
 * pod or node, the hover tooltip, the describe/logs card, the help
 * overlay, the kubectl prompt with its output, and short notes after an
 * action. Every menu item names its key: the mouse is never required.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kr_hit.h"
#include "kr_ui.h"
#include "kr_status.h"
#include "core/ks_event.h"

/* ---------------------------------------------------------------------------
 * Menu
 * ------------------------------------------------------------------------- */
static void card(kr_scene *s, kr_rect r)
{
    kr_round_fill(s->g, (kr_rect){r.x + 3, r.y + 4, r.w, r.h}, kr_px(s, 10, 3),
                  (kr_color){0, 0, 0, 60});
    kr_round_fill(s->g, r, kr_px(s, 10, 3), KR_C_BOX);
    kr_round_frame(s->g, r, kr_px(s, 10, 3), kr_px(s, 2, 1), KR_C_BOX_EDGE, false);
}

static void menu(kr_scene *s, const ks_sim *sim)
{
    const char *labels[KR_MENU_MAX];
    char keys[KR_MENU_MAX], k[2] = {0, 0};
    const kr_fonts *f = &s->lay.font;
    kr_rect r = kr_hit_menu_rect(s, sim);
    int n = kr_hit_menu_items(s, sim, labels, keys), i, ih = (int)lround(f->body * 1.9);
    int pad = kr_px(s, 10, 4);
    if (!r.w)
        return;
    card(s, r);
    kr_text_box(s->t, KR_FACE_MONO_BOLD, f->small, kr_hit_menu_title(s, sim),
                (kr_rect){r.x + pad, r.y + pad / 2, r.w - 2 * pad, ih}, KR_LEFT, KR_CUT_MIDDLE,
                KR_C_TEXT);
    for (i = 0; i < n; i++) {
        kr_rect it = {r.x + 3, r.y + pad / 2 + (i + 1) * ih, r.w - 6, ih}, key;
        bool hot = i == s->view.menu_item
                   || (s->view.mouse_in && kr_rect_hit(it, s->view.mouse_x, s->view.mouse_y));
        if (hot)
            kr_round_fill(s->g, it, kr_px(s, 6, 2), KR_RGB(0xDCEBF7));
        key = (kr_rect){it.x + pad / 2, it.y + ih / 6, (int)lround(f->body * 1.6), ih - ih / 3};
        kr_round_frame(s->g, key, kr_px(s, 4, 2), kr_px(s, 2, 1), KR_C_DIM, false);
        k[0] = keys[i];
        kr_text_box(s->t, KR_FACE_BOLD, f->small, k, key, KR_CENTER, KR_CUT_END, KR_C_TEXT);
        kr_text_box(s->t, KR_FACE_SANS, f->body, labels[i],
                    (kr_rect){key.x + key.w + pad, it.y, it.x + it.w - key.x - key.w - 2 * pad, ih},
                    KR_LEFT, KR_CUT_END, KR_C_TEXT);
    }
}

/* ---------------------------------------------------------------------------
 * A text card: lines with a face and colour each
 * ------------------------------------------------------------------------- */
typedef struct tline {
    kr_face face;
    int px;
    kr_color c;
    char s[200];
} tline;

#define MAX_TLINES 60

typedef struct tcard {
    tline l[MAX_TLINES];
    int n;
} tcard;

static void add(tcard *t, kr_face face, int px, kr_color c, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add(tcard *t, kr_face face, int px, kr_color c, const char *fmt, ...)
{
    va_list ap;
    if (t->n == MAX_TLINES)
        return;
    t->l[t->n].face = face;
    t->l[t->n].px = px;
    t->l[t->n].c = c;
    va_start(ap, fmt);
    vsnprintf(t->l[t->n].s, sizeof t->l[t->n].s, fmt, ap);
    va_end(ap);
    t->n++;
}

/* Draws the card's lines in r, from the top; returns the height used. */
static int draw_lines(kr_scene *s, const tcard *t, kr_rect r, kr_color bg, bool dark)
{
    int pad = kr_px(s, 12, 5), y = r.y + pad, i;
    if (dark) {
        kr_round_fill(s->g, r, kr_px(s, 10, 3), bg);
    } else {
        card(s, r);
    }
    for (i = 0; i < t->n; i++) {
        int lh = (int)lround(t->l[i].px * 1.45);
        if (y + lh > r.y + r.h - pad / 2)
            break;
        kr_text_box(s->t, t->l[i].face, t->l[i].px, t->l[i].s,
                    (kr_rect){r.x + pad, y, r.w - 2 * pad, lh}, KR_LEFT, KR_CUT_END, t->l[i].c);
        y += lh;
    }
    return y - r.y + pad / 2;
}

static int lines_height(const tcard *t, int pad)
{
    int i, h = 2 * pad;
    for (i = 0; i < t->n; i++)
        h += (int)lround(t->l[i].px * 1.45);
    return h;
}

static void container_lines(tcard *t, const kr_fonts *f, const ks_container_status *cs)
{
    char a[32], b[32];
    add(t, KR_FACE_BOLD, f->small, KR_C_TEXT, "%s  (%s)", cs->spec ? cs->spec->name : "?",
        cs->spec ? cs->spec->image : "?");
    if (cs->state == KS_CS_RUNNING) {
        kr_clock_format(cs->started_at, a, sizeof a);
        add(t, KR_FACE_SANS, f->small, KR_C_TEXT, "  State: Running, started at %s", a);
    } else if (cs->state == KS_CS_WAITING) {
        add(t, KR_FACE_SANS, f->small, KR_OI_VERMILLION, "  State: Waiting (%s)%s%s",
            cs->reason ? cs->reason : "", cs->message[0] ? ": " : "", cs->message);
    } else {
        add(t, KR_FACE_SANS, f->small, KR_C_TEXT, "  State: Terminated (%s), exit code %d",
            cs->reason ? cs->reason : "", cs->exit_code);
    }
    if (cs->has_last) {
        kr_clock_format(cs->last_started, a, sizeof a);
        kr_clock_format(cs->last_finished, b, sizeof b);
        add(t, KR_FACE_SANS, f->small, KR_C_DIM,
            "  Last State: Terminated (%s), exit code %d, %s to %s",
            cs->last_reason ? cs->last_reason : "", cs->last_exit_code, a, b);
    }
    add(t, KR_FACE_SANS, f->small, KR_C_DIM, "  Ready: %s   Restart Count: %d",
        cs->ready ? "True" : "False", cs->restarts);
}

static void logs_card(kr_scene *s, const ks_sim *sim)
{
    const ks_pod *p = ks_cluster_pod(sim, s->view.logs_pod);
    const kr_fonts *f = &s->lay.font;
    const ks_node *n;
    tcard t;
    kr_rect r;
    size_t c;
    int i, shown = 0;
    char age[32];
    if (!p)
        return;
    t.n = 0;
    n = p->node ? ks_cluster_node(sim, p->node) : NULL;
    ks_age_format(ks_now(sim) - p->created, age, sizeof age);
    add(&t, KR_FACE_BOLD, f->heading, KR_C_TEXT, "pod/%s", p->name);
    add(&t, KR_FACE_SANS, f->small, KR_C_DIM, "Status: %s \xC2\xB7 Node: %s \xC2\xB7 IP: %s \xC2\xB7 Age: %s",
        p->status ? p->status : "?", n ? n->name : "<none>", p->ip[0] ? p->ip : "<none>", age);
    if (!p->node && p->pending_reason[0])
        add(&t, KR_FACE_SANS, f->small, KR_OI_VERMILLION, "%s", p->pending_reason);
    for (c = 0; c < p->ncontainers; c++)
        container_lines(&t, f, &p->containers[c]);
    for (c = 0; c < p->ncontainers; c++) {
        const ks_log *lg = p->containers[c].log;
        if (!lg || !lg->count)
            continue;
        add(&t, KR_FACE_BOLD, f->small, KR_C_TEXT, "$ kubectl logs %s%s%s", p->name,
            p->ncontainers > 1 ? " -c " : "",
            p->ncontainers > 1 && p->containers[c].spec ? p->containers[c].spec->name : "");
        for (i = lg->count > 12 ? lg->count - 12 : 0; i < lg->count; i++, shown++)
            add(&t, KR_FACE_MONO, f->small, KR_C_TEXT, "%s",
                lg->line[(lg->first + i) % KS_LOG_LINES]);
    }
    if (!shown)
        add(&t, KR_FACE_SANS, f->small, KR_C_DIM, "(no log lines yet)");
    add(&t, KR_FACE_SANS, f->tiny, KR_C_DIM, "Esc or L closes");
    r.w = s->lay.main.w * 3 / 4;
    r.h = lines_height(&t, kr_px(s, 12, 5));
    if (r.h > s->lay.main.h)
        r.h = s->lay.main.h;
    r.x = s->lay.main.x + (s->lay.main.w - r.w) / 2;
    r.y = s->lay.main.y + (s->lay.main.h - r.h) / 2;
    draw_lines(s, &t, r, KR_C_BOX, false);
}

static void help(kr_scene *s)
{
    /* what each key does, and whether it does it in live mode (serve
       --window, or after S): there the cluster's time only moves on, so
       stepping, going back, the ends of the lesson and a restart are
       refused (kr_app_live_refuses), and S serves already */
    static const struct {
        const char *key, *what;
        bool live;
    } all[] = {
        {"Space", "play / pause", true},
        {"\xE2\x86\x92  N", "step to the next event", false},
        {"\xE2\x86\x90", "back 10 s (re-simulates)", false},
        {"Home  End", "the start / the end of the lesson", false},
        {"+  \xE2\x88\x92", "speed \xC3\x97" "0.25 \xE2\x80\xA6 \xC3\x97" "64", true},
        {"R", "restart the lesson", false},
        {"Tab", "select the next pod or node (Shift: previous)", true},
        {"Enter", "menu of the selection", true},
        {"K  D  L", "pod: kill container, delete, describe + logs", true},
        {"F  C  X", "node: fail/recover, cordon/uncordon, drain", true},
        {":  /", "type a kubectl command", true},
        {"P  F11", "the right panel on / off, full screen", true},
        {"[  ]", "text and cards smaller / bigger", true},
        {"S", "serve the Kubernetes API to your own kubectl", false},
        {"H", "exercises: the next hint", true},
        {"Esc", "close, deselect", true},
        {"Ctrl+Q", "quit", true},
        {"mouse", "click pods, nodes, buttons, the timeline; hover for details", true},
    };
    const char *keys[sizeof all / sizeof all[0]][2];
    int n = 0;
    size_t k;
    const kr_fonts *f = &s->lay.font;
    int lh = (int)lround(f->body * 1.55), i;
    int pad = kr_px(s, 16, 6), kw = 0;
    kr_rect r;
    for (k = 0; k < sizeof all / sizeof all[0]; k++)
        if (!s->view.live || all[k].live) {
            keys[n][0] = all[k].key;
            keys[n++][1] = all[k].what;
        }
    for (i = 0; i < n; i++) {
        int w = kr_text_width(s->t, KR_FACE_BOLD, f->body, keys[i][0]);
        kw = w > kw ? w : kw;
    }
    r.w = s->lay.main.w * 4 / 5;
    r.h = 2 * pad + (n + 1) * lh + lh / 2;
    if (r.h > s->lay.h - s->lay.topbar.h - 8)
        r.h = s->lay.h - s->lay.topbar.h - 8;
    r.x = s->lay.main.x + (s->lay.main.w - r.w) / 2;
    r.y = s->lay.topbar.h + (s->lay.caption.y - s->lay.topbar.h - r.h) / 2;
    if (r.y < s->lay.topbar.h + 4)
        r.y = s->lay.topbar.h + 4;
    card(s, r);
    kr_text_box(s->t, KR_FACE_BOLD, f->heading, "Keys", (kr_rect){r.x + pad, r.y + pad / 2, r.w, lh},
                KR_LEFT, KR_CUT_END, KR_C_TEXT);
    for (i = 0; i < n; i++) {
        int y = r.y + pad / 2 + (i + 1) * lh + lh / 2;
        if (y + lh > r.y + r.h)
            break;
        kr_text_box(s->t, KR_FACE_BOLD, f->body, keys[i][0], (kr_rect){r.x + pad, y, kw, lh},
                    KR_LEFT, KR_CUT_END, KR_OI_BLUE);
        kr_text_box(s->t, KR_FACE_SANS, f->body, keys[i][1],
                    (kr_rect){r.x + 2 * pad + kw, y, r.w - 3 * pad - kw, lh}, KR_LEFT, KR_CUT_END,
                    KR_C_TEXT);
    }
}

/* ---------------------------------------------------------------------------
 * Hover: the full name and the details of what is under the mouse
 * ------------------------------------------------------------------------- */
static bool pod_lines(kr_scene *s, const ks_sim *sim, tcard *t, const ks_pod *p)
{
    const kr_fonts *f = &s->lay.font;
    const ks_node *n = p->node ? ks_cluster_node(sim, p->node) : NULL;
    char ready[16], rs[32], age[16], detail[256];
    ks_pod_ready_text(p, ready, sizeof ready);
    ks_pod_restarts_text(sim, p, rs, sizeof rs);
    ks_age_format(ks_now(sim) - p->created, age, sizeof age);
    kr_pod_detail(sim, p, detail, sizeof detail);
    add(t, KR_FACE_MONO_BOLD, f->small, KR_C_TERM_TEXT, "%s", p->name);
    add(t, KR_FACE_BOLD, f->small, KR_C_TERM_TEXT, "%s", p->status ? p->status : "?");
    add(t, KR_FACE_SANS, f->small, KR_C_TERM_TEXT, "READY %s \xC2\xB7 RESTARTS %s", ready, rs);
    add(t, KR_FACE_SANS, f->small, KR_C_TERM_DIM, "%s", detail);
    add(t, KR_FACE_SANS, f->small, KR_C_TERM_DIM, "node %s \xC2\xB7 IP %s \xC2\xB7 age %s",
        n ? n->name : "<none>", p->ip[0] ? p->ip : "<none>", age);
    add(t, KR_FACE_SANS, f->tiny, KR_C_TERM_DIM, "click or Enter: actions");
    return true;
}

static bool event_lines(kr_scene *s, const ks_sim *sim, tcard *t, const ks_k8s_event *e)
{
    const kr_fonts *f = &s->lay.font;
    char first[32], last[32], lines[1000];
    const char *l;
    int n, k;
    ks_age_format(ks_now(sim) - e->first, first, sizeof first);
    ks_age_format(ks_now(sim) - e->last, last, sizeof last);
    add(t, KR_FACE_BOLD, f->small, e->warning ? KR_RGB(0xFF8A3D) : KR_C_TERM_TEXT, "%s %s",
        e->warning ? "Warning" : "Normal", e->reason);
    add(t, KR_FACE_SANS, f->small, KR_C_TERM_DIM, "%s/%s \xC2\xB7 from %s",
        ks_kind_name(e->kind), e->name ? e->name : "", e->source ? e->source : "?");
    n = kr_text_wrap(s->t, KR_FACE_SANS, f->small, e->message, 30 * f->small, 4, lines,
                     sizeof lines);
    for (k = 0, l = lines; k < n; k++, l += strlen(l) + 1)
        add(t, KR_FACE_SANS, f->small, KR_C_TERM_TEXT, "%s", l);
    if (e->count > 1)
        add(t, KR_FACE_SANS, f->small, KR_C_TERM_DIM, "%d times, first %s ago, last %s ago",
            e->count, first, last);
    return true;
}

/* Services, Ingresses, disks and gone pods: their whole names. */
static bool other_lines(kr_scene *s, const ks_sim *sim, tcard *t, int x, int y)
{
    const kr_fonts *f = &s->lay.font;
    size_t i, k;
    char buf[300], rest[64];
    for (i = 0; i < s->lay.nghost; i++)
        if (kr_rect_hit(s->lay.ghost[i].r, x, y)) {
            add(t, KR_FACE_MONO_BOLD, f->small, KR_C_TERM_TEXT, "%s", s->lay.ghost[i].g.name);
            add(t, KR_FACE_SANS, f->small, KR_C_TERM_DIM, "gone: deleted from the cluster");
            return true;
        }
    for (i = 0; i < s->lay.nsvc; i++) {
        const ks_service *sv = ks_cluster_service(sim, s->lay.svc[i].id);
        if (!sv || !kr_rect_hit(s->lay.svc[i].r, x, y))
            continue;
        kr_service_labels(sv, buf, sizeof buf, rest, sizeof rest);
        add(t, KR_FACE_MONO_BOLD, f->small, KR_C_TERM_TEXT, "service/%s", buf);
        add(t, KR_FACE_SANS, f->small, KR_C_TERM_TEXT, "%s", rest);
        return true;
    }
    for (i = 0; i < s->lay.ning; i++) {
        const ks_object *o = ks_cluster_object(sim, s->lay.ing[i].id);
        if (!o || !kr_rect_hit(s->lay.ing[i].r, x, y))
            continue;
        add(t, KR_FACE_MONO_BOLD, f->small, KR_C_TERM_TEXT, "ingress/%s", o->meta.name);
        for (k = 0; k < 12 && kr_ingress_rule_text(o, k, buf, sizeof buf); k++)
            add(t, KR_FACE_MONO, f->small, KR_C_TERM_TEXT, "%s", buf);
        return true;
    }
    for (i = 0; i < s->lay.ndisk; i++) {
        const kr_place *d = &s->lay.disk[i];
        const ks_pvc *c = d->id != d->pv ? ks_cluster_pvc(sim, d->id) : NULL;
        const ks_pv *v = d->pv ? ks_cluster_pv(sim, d->pv) : NULL;
        if (!kr_rect_hit(d->r, x, y))
            continue;
        if (c && c->obj)
            add(t, KR_FACE_MONO_BOLD, f->small, KR_C_TERM_TEXT, "persistentvolumeclaim/%s",
                c->obj->meta.name);
        if (v)
            add(t, KR_FACE_MONO, f->small, KR_C_TERM_TEXT, "volume %s (%s)", v->name, v->phase);
        return t->n > 0;
    }
    return false;
}

static void tooltip(kr_scene *s, const ks_sim *sim)
{
    int x = s->view.mouse_x, y = s->view.mouse_y;
    const ks_k8s_event *e;
    const ks_pod *p;
    ks_id id;
    tcard t;
    kr_rect r;
    bool panel;
    t.n = 0;
    if ((id = kr_hit_pod(s, x, y)) != 0 && (p = ks_cluster_pod(sim, id)) != NULL)
        pod_lines(s, sim, &t, p);
    else if ((p = kr_hit_table_pod(s, sim, x, y)) != NULL)
        pod_lines(s, sim, &t, p);
    else if ((e = kr_hit_event(s, sim, x, y)) != NULL)
        event_lines(s, sim, &t, e);
    else
        other_lines(s, sim, &t, x, y);
    if (!t.n)
        return;
    panel = kr_rect_hit(s->lay.panel, x, y);
    r.w = 0;
    {
        int i;
        for (i = 0; i < t.n; i++) {
            int w = kr_text_width(s->t, t.l[i].face, t.l[i].px, t.l[i].s);
            r.w = w > r.w ? w : r.w;
        }
    }
    r.w += 2 * kr_px(s, 12, 5);
    if (r.w > s->lay.w * 2 / 3)
        r.w = s->lay.w * 2 / 3;
    r.h = lines_height(&t, kr_px(s, 12, 5));
    /* beside the mouse; left of it over the panel, so it stays on screen */
    r.x = panel ? x - r.w - 12 : x + 16;
    r.y = y + 18;
    if (r.x + r.w > s->lay.w - 4)
        r.x = x - r.w - 12;
    if (r.x < 4)
        r.x = 4;
    if (r.y + r.h > s->lay.h - 4)
        r.y = y - r.h - 12;
    draw_lines(s, &t, r, kr_alpha(KR_C_TERM, 240), true);
}

/* The kubectl prompt, in the caption's place: the line being typed. What
 * a command prints goes to the terminal panel (kr_panel.c), never over the
 * picture. */
static void prompt(kr_scene *s)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r = s->lay.caption;
    int pad = kr_px(s, 12, 5), x, hint_w;
    const char *hint = "Enter runs it \xC2\xB7 \xE2\x86\x91 earlier lines \xC2\xB7 Esc closes";
    char line[300];
    if (!s->view.prompt)
        return;
    kr_round_fill(s->g, r, kr_px(s, 8, 3), KR_C_TERM);
    x = r.x + pad;
    x += kr_text_draw(s->t, KR_FACE_MONO, f->body, "$ kubectl ", x,
                      r.y + (r.h - kr_text_height(s->t, KR_FACE_MONO, f->body)) / 2, KR_C_TERM_PROMPT);
    hint_w = kr_text_width(s->t, KR_FACE_SANS, f->small, s->view.kubectl_ok
                                                             ? hint
                                                             : "(no kubectl interpreter in this build)");
    snprintf(line, sizeof line, "%s\xE2\x96\x8F", s->view.input);
    kr_text_box(s->t, KR_FACE_MONO, f->body, line,
                (kr_rect){x, r.y, r.x + r.w - 2 * pad - hint_w - x, r.h}, KR_LEFT, KR_CUT_END,
                KR_C_TERM_TEXT);
    kr_text_box(s->t, KR_FACE_SANS, f->small,
                s->view.kubectl_ok ? hint : "(no kubectl interpreter in this build)",
                (kr_rect){r.x, r.y, r.w - pad, r.h}, KR_RIGHT, KR_CUT_END, KR_C_TERM_DIM);
}

static void toast(kr_scene *s)
{
    const kr_fonts *f = &s->lay.font;
    kr_rect r;
    double left = s->view.toast_until - s->clock;
    int a;
    if (!s->view.toast[0] || left <= 0)
        return;
    a = left > 0.5 ? 235 : (int)(470 * left);
    r.w = kr_text_width(s->t, KR_FACE_BOLD, f->body, s->view.toast) + 2 * f->body;
    if (r.w > s->lay.main.w)
        r.w = s->lay.main.w;
    r.h = (int)lround(f->body * 2.2);
    r.x = s->lay.main.x + (s->lay.main.w - r.w) / 2;
    r.y = s->lay.caption.y - r.h - kr_px(s, 10, 4);
    kr_round_fill(s->g, r, r.h / 2, kr_alpha(KR_C_BAR, a));
    kr_text_box(s->t, KR_FACE_BOLD, f->body, s->view.toast, r, KR_CENTER, KR_CUT_END,
                kr_alpha(KR_C_BAR_TEXT, a));
}

void kr_ui_draw(kr_scene *s, const ks_sim *sim)
{
    if (s->view.logs_pod)
        logs_card(s, sim);
    else if (s->view.menu)
        menu(s, sim);
    else if (s->view.mouse_in && !s->view.help)
        tooltip(s, sim);
    prompt(s);
    if (s->view.help)
        help(s);
    toast(s);
}
