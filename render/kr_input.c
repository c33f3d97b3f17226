/* kr_input.c -- keys and mouse (see the key list in kr_app.h).
 *
 * Symbols (? : / + - [ ]) come from SDL_TEXTINPUT, so they work on every
 * keyboard layout; named keys and letters from SDL_KEYDOWN. While the
 * kubectl prompt is open it takes all typing.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kr_appi.h"
#include "kr_hit.h"
#include "cluster/ks_cluster.h"
#include "core/ks_event.h"

/* ---------------------------------------------------------------------------
 * Actions on the selection
 * ------------------------------------------------------------------------- */
static const ks_pod *sel_pod(kr_app *a)
{
    return a->sc.view.sel == KR_SEL_POD ? ks_cluster_pod(a->sim, a->sc.view.sel_id) : NULL;
}

static const ks_node *sel_node(kr_app *a)
{
    const ks_pod *p = sel_pod(a);
    if (a->sc.view.sel == KR_SEL_NODE)
        return ks_cluster_node(a->sim, a->sc.view.sel_id);
    return p && p->node ? ks_cluster_node(a->sim, p->node) : NULL;
}

static void pod_action(kr_app *a, char key)
{
    const ks_pod *p = sel_pod(a);
    char ns[64], name[256];
    if (!p) {
        kr_app_toast(a, "Select a pod first (Tab, or click it)");
        return;
    }
    snprintf(ns, sizeof ns, "%s", p->ns);
    snprintf(name, sizeof name, "%s", p->name);
    a->sc.view.menu = false;
    if (key == 'K')
        kr_app_act(a, KR_ACT_KILL, ns, name, 0);
    else if (key == 'D')
        kr_app_act(a, KR_ACT_DELETE, ns, name, 0);
    else if (key == 'L')
        a->sc.view.logs_pod = a->sc.view.logs_pod == p->id ? 0 : p->id;
}

static void node_action(kr_app *a, char key)
{
    const ks_node *n = sel_node(a);
    char name[256];
    int act;
    if (!n) {
        kr_app_toast(a, "Select a node first (Tab, or click its name)");
        return;
    }
    snprintf(name, sizeof name, "%s", n->name);
    act = key == 'F' ? (n->down ? KS_NODE_RECOVER : KS_NODE_FAIL)
          : key == 'C' ? (n->unschedulable ? KS_NODE_UNCORDON : KS_NODE_CORDON)
                       : KS_NODE_DRAIN;
    a->sc.view.menu = false;
    kr_app_act(a, KR_ACT_NODE, NULL, name, act);
}

static void menu_choose(kr_app *a, int item)
{
    const char *labels[KR_MENU_MAX];
    char keys[KR_MENU_MAX];
    int n = kr_hit_menu_items(&a->sc, a->sim, labels, keys);
    if (item < 0 || item >= n)
        return;
    if (a->sc.view.sel == KR_SEL_POD)
        pod_action(a, keys[item]);
    else
        node_action(a, keys[item]);
    a->sc.view.menu = false;
}

/* Tab order: pods as laid out (box by box, slot by slot), then nodes. */
static void cycle(kr_app *a, int dir)
{
    const kr_layout *l = &a->sc.lay;
    kr_view *v = &a->sc.view;
    size_t n = l->npod + l->nbox, i, at = n;
    long k;
    if (!n)
        return;
    for (i = 0; i < n; i++) {
        bool pod = i < l->npod;
        if ((pod && v->sel == KR_SEL_POD && l->pod[i].pod == v->sel_id)
            || (!pod && v->sel == KR_SEL_NODE && l->box[i - l->npod].node == v->sel_id))
            at = i;
    }
    for (k = 1; k <= (long)n; k++) {
        size_t j = at == n ? (dir > 0 ? (size_t)(k - 1) : n - (size_t)k)
                           : (size_t)(((long)at + dir * k + (long)n * 2) % (long)n);
        if (j < l->npod && l->pod[j].r.w > 0) {
            v->sel = KR_SEL_POD;
            v->sel_id = l->pod[j].pod;
            break;
        }
        if (j >= l->npod && l->box[j - l->npod].node && !l->box[j - l->npod].future) {
            v->sel = KR_SEL_NODE;
            v->sel_id = l->box[j - l->npod].node;
            break;
        }
    }
    v->menu = false;
}

/* ---------------------------------------------------------------------------
 * The prompt
 * ------------------------------------------------------------------------- */
static void prompt_key(kr_app *a, const SDL_KeyboardEvent *k)
{
    kr_view *v = &a->sc.view;
    size_t len = strlen(v->input);
    switch (k->keysym.sym) {
    case SDLK_ESCAPE:                           /* the console closes, output too */
        v->prompt = false;
        v->output_open = false;
        break;
    case SDLK_UP:                               /* the lines typed before */
    case SDLK_DOWN:
        v->history_at += k->keysym.sym == SDLK_UP ? -1 : 1;
        if (v->history_at < 0)
            v->history_at = 0;
        if (v->history_at >= v->nhistory) {
            v->history_at = v->nhistory;
            v->input[0] = '\0';
        } else {
            snprintf(v->input, sizeof v->input, "%s", v->history[v->history_at]);
        }
        break;
    case SDLK_BACKSPACE:
        while (len > 0 && ((unsigned char)v->input[len - 1] & 0xC0) == 0x80)
            len--;                              /* a whole UTF-8 character */
        if (len > 0)
            len--;
        v->input[len] = '\0';
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER: {
        char line[256];
        const char *s = v->input;
        while (*s == ' ')
            s++;
        if (strncmp(s, "kubectl ", 8) == 0)      /* typed out of habit */
            s += 8;
        snprintf(line, sizeof line, "%s", s);
        v->input[0] = '\0';
        if (!line[0])
            break;
        if (v->nhistory == 16) {
            memmove(v->history[0], v->history[1], sizeof v->history[0] * 15);
            v->nhistory--;
        }
        snprintf(v->history[v->nhistory++], sizeof v->history[0], "%s", line);
        v->history_at = v->nhistory;
        if (!a->cfg->kubectl) {
            kr_app_toast(a, "No kubectl interpreter in this build");
            break;
        }
        kr_app_act(a, KR_ACT_KUBECTL, NULL, line, 0);
        break;
    }
    default:
        break;
    }
}

/* ---------------------------------------------------------------------------
 * Mouse
 * ------------------------------------------------------------------------- */
static void press_button(kr_app *a, kr_button b)
{
    kr_view *v = &a->sc.view;
    switch (b) {
    case KR_BTN_RESTART:
        kr_app_reset(a, false);
        kr_app_toast(a, "Restarted");
        break;
    case KR_BTN_PLAY:
        v->playing = !v->playing;
        break;
    case KR_BTN_STEP:
        v->playing = false;
        kr_app_step(a);
        break;
    case KR_BTN_SLOWER:
        kr_app_speed_step(a, -1);
        break;
    case KR_BTN_FASTER:
        kr_app_speed_step(a, +1);
        break;
    case KR_BTN_HELP:
        v->help = !v->help;
        break;
    default:
        break;
    }
}

/* The learner asks for the next hint of an exercise. */
static void ask_hint(kr_app *a)
{
    a->cfg->hint(a->cfg->ud);
    kr_app_toast(a, "A hint: under the goal, at the right");
}

static void click(kr_app *a, int x, int y)
{
    kr_view *v = &a->sc.view;
    const kr_layout *l = &a->sc.lay;
    const ks_pod *row;
    ks_id pod;
    size_t i;
    int b;
    if (v->help || v->logs_pod) {
        v->help = false;
        v->logs_pod = 0;
        return;
    }
    if (v->menu) {
        int item = kr_hit_menu_item(&a->sc, a->sim, x, y);
        v->menu = false;
        if (item >= 0) {
            menu_choose(a, item);
            return;
        }
    }
    if (a->cfg->hint && kr_rect_hit(kr_hit_hint_line(&a->sc), x, y)) {
        ask_hint(a);
        return;
    }
    for (b = 0; b < KR_BTN_COUNT; b++)
        if (kr_rect_hit(l->btn[b], x, y)) {
            press_button(a, (kr_button)b);
            return;
        }
    if (kr_rect_hit(l->timeline, x, y)) {
        kr_app_jump(a, kr_hit_timeline_time(&a->sc, a->sim, x));
        return;
    }
    if ((pod = kr_hit_pod(&a->sc, x, y)) != 0) {
        v->sel = KR_SEL_POD;
        v->sel_id = pod;
        v->menu = true;
        v->menu_item = 0;
        return;
    }
    for (i = 0; i < l->nbox; i++)
        if (l->box[i].node && !l->box[i].future && kr_rect_hit(l->box[i].r, x, y)) {
            v->sel = KR_SEL_NODE;
            v->sel_id = l->box[i].node;
            v->menu = true;
            v->menu_item = 0;
            return;
        }
    if ((row = kr_hit_table_pod(&a->sc, a->sim, x, y)) != NULL) {   /* kubectl get pods */
        v->sel = KR_SEL_POD;
        v->sel_id = row->id;
        v->menu = true;
        v->menu_item = 0;
        return;
    }
    v->sel = KR_SEL_NONE;
}

/* ---------------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------------- */
static void text(kr_app *a, const char *s)
{
    kr_view *v = &a->sc.view;
    if (v->prompt) {
        size_t len = strlen(v->input);
        snprintf(v->input + len, sizeof v->input - len, "%s", s);
        return;
    }
    switch (s[0]) {
    case '?':
        v->help = !v->help;
        break;
    case ':':
    case '/':
        v->prompt = true;
        v->input[0] = '\0';
        v->history_at = v->nhistory;
        v->help = false;
        break;
    case '+':
    case '=':
        kr_app_speed_step(a, +1);
        break;
    case '-':
        kr_app_speed_step(a, -1);
        break;
    case '[':
        a->sc.scale = a->sc.scale / 1.1 < 0.5 ? 0.5 : a->sc.scale / 1.1;
        break;
    case ']':
        a->sc.scale = a->sc.scale * 1.1 > 3 ? 3 : a->sc.scale * 1.1;
        break;
    default:
        break;
    }
}

static void key(kr_app *a, const SDL_KeyboardEvent *k)
{
    kr_view *v = &a->sc.view;
    SDL_Keycode c = k->keysym.sym;
    bool ctrl = (k->keysym.mod & KMOD_CTRL) != 0, shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    if (ctrl && c == SDLK_q) {
        a->running = false;
        return;
    }
    if (v->prompt) {
        prompt_key(a, k);
        return;
    }
    if (v->menu && (c == SDLK_UP || c == SDLK_DOWN)) {
        const char *labels[KR_MENU_MAX];
        char keys[KR_MENU_MAX];
        int n = kr_hit_menu_items(&a->sc, a->sim, labels, keys);
        if (n)
            v->menu_item = (v->menu_item + (c == SDLK_UP ? n - 1 : 1)) % n;
        return;
    }
    switch (c) {
    case SDLK_ESCAPE:
        if (v->help)
            v->help = false;
        else if (v->logs_pod)
            v->logs_pod = 0;
        else if (v->menu)
            v->menu = false;
        else if (v->output_open)
            v->output_open = false;
        else
            v->sel = KR_SEL_NONE;
        break;
    case SDLK_SPACE:
        press_button(a, KR_BTN_PLAY);
        break;
    case SDLK_RIGHT:
    case SDLK_n:
        press_button(a, KR_BTN_STEP);
        break;
    case SDLK_LEFT:
        kr_app_jump(a, ks_now(a->sim) - 10 * KS_SEC);
        break;
    case SDLK_r:
        press_button(a, KR_BTN_RESTART);
        break;
    case SDLK_HOME:                             /* the timeline's ends, by key */
        kr_app_jump(a, 0);
        break;
    case SDLK_END:
        kr_app_jump(a, a->sc.view.duration);
        break;
    case SDLK_KP_PLUS:
        kr_app_speed_step(a, +1);
        break;
    case SDLK_KP_MINUS:
        kr_app_speed_step(a, -1);
        break;
    case SDLK_TAB:
        cycle(a, shift ? -1 : +1);
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        if (v->menu)
            menu_choose(a, v->menu_item);
        else if (v->sel != KR_SEL_NONE) {
            v->menu = true;
            v->menu_item = 0;
        }
        break;
    case SDLK_k:
        pod_action(a, 'K');
        break;
    case SDLK_d:
        pod_action(a, 'D');
        break;
    case SDLK_l:
        if (v->logs_pod)
            v->logs_pod = 0;
        else
            pod_action(a, 'L');
        break;
    case SDLK_f:
        node_action(a, 'F');
        break;
    case SDLK_c:
        node_action(a, 'C');
        break;
    case SDLK_x:
        node_action(a, 'X');
        break;
    case SDLK_p:
        v->hide_panel = !v->hide_panel;
        break;
    case SDLK_s:
        kr_live_serve(a);
        break;
    case SDLK_h:
        if (a->cfg->hint)                       /* an exercise: the next hint */
            ask_hint(a);
        else
            v->help = !v->help;
        break;
    case SDLK_F1:
        v->help = !v->help;
        break;
    case SDLK_PAGEUP:
        v->table_scroll -= 10;
        break;
    case SDLK_PAGEDOWN:
        v->table_scroll += 10;
        break;
    case SDLK_F11:
        if (a->win)
            SDL_SetWindowFullscreen(a->win, (SDL_GetWindowFlags(a->win)
                                             & SDL_WINDOW_FULLSCREEN_DESKTOP)
                                                ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        break;
    default:
        break;
    }
}

void kr_input_event(kr_app *a, const SDL_Event *e)
{
    kr_view *v = &a->sc.view;
    switch (e->type) {
    case SDL_QUIT:
        a->running = false;
        break;
    case SDL_KEYDOWN:
        key(a, &e->key);
        break;
    case SDL_TEXTINPUT:
        text(a, e->text.text);
        break;
    case SDL_MOUSEMOTION:
        v->mouse_x = e->motion.x;
        v->mouse_y = e->motion.y;
        v->mouse_in = true;
        break;
    case SDL_MOUSEBUTTONDOWN:
        v->mouse_x = e->button.x;
        v->mouse_y = e->button.y;
        if (e->button.button == SDL_BUTTON_LEFT)
            click(a, e->button.x, e->button.y);
        else if (e->button.button == SDL_BUTTON_RIGHT) {
            v->menu = false;
            v->sel = KR_SEL_NONE;
        }
        break;
    case SDL_MOUSEWHEEL:
        if (kr_rect_hit(a->sc.lay.table, v->mouse_x, v->mouse_y))
            v->table_scroll -= e->wheel.y * 3;
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_LEAVE)
            v->mouse_in = false;
        else if (e->window.event == SDL_WINDOWEVENT_ENTER)
            v->mouse_in = true;
        break;
    default:
        break;
    }
}

bool kr_input_script_next(const char *script, size_t *pos, SDL_Event *e)
{
    char tok[128];
    size_t n = 0;
    const char *s = script + *pos;
    while (*s == ' ')
        s++;
    while (s[n] && s[n] != ' ' && n + 1 < sizeof tok) {
        tok[n] = s[n];
        n++;
    }
    tok[n] = '\0';
    *pos = (size_t)(s - script) + n;
    if (!n || strcmp(tok, "wait") == 0)
        return false;
    memset(e, 0, sizeof *e);
    if (strncmp(tok, "text:", 5) == 0) {
        char *c;
        e->type = SDL_TEXTINPUT;
        snprintf(e->text.text, sizeof e->text.text, "%.31s", tok + 5);
        for (c = e->text.text; *c; c++)
            if (*c == '_')
                *c = ' ';
    } else if (strncmp(tok, "click:", 6) == 0 || strncmp(tok, "move:", 5) == 0) {
        int x = 0, y = 0;
        bool down = tok[0] == 'c';
        sscanf(tok + (down ? 6 : 5), "%d,%d", &x, &y);
        if (down) {
            e->type = SDL_MOUSEBUTTONDOWN;
            e->button.button = SDL_BUTTON_LEFT;
            e->button.x = x;
            e->button.y = y;
        } else {
            e->type = SDL_MOUSEMOTION;
            e->motion.x = x;
            e->motion.y = y;
        }
    } else {
        SDL_Keycode k = SDL_GetKeyFromName(tok);
        if (k == SDLK_UNKNOWN) {
            fprintf(stderr, "kubesim: input script: unknown key '%s'\n", tok);
            return false;
        }
        e->type = SDL_KEYDOWN;
        e->key.keysym.sym = k;
        e->key.keysym.scancode = SDL_GetScancodeFromKey(k);
    }
    return true;
}
