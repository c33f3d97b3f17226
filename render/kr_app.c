/* kr_app.c -- the app: the simulation's lifetime, its time (advance, jump,
 * step), user actions and their replay, the timeline's markers, and
 * drawing the frame of now (see kr_app.h). Keys and mouse are in
 * kr_input.c, the window's loop in kr_window.c, headless frames in
 * kr_headless.c; all three call this file, never the other way round.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kr_appi.h"
#include "kr_paint.h"
#include "kr_simdata.h"
#include "kr_status.h"
#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "kubectl/ks_kubectl.h"
#include "world/ks_world.h"

#define SYNC_STEP (250 * KS_MSEC)     /* slots are synced at least this often */
#define PRESCAN_MAX_EVENTS 2000000    /* the timeline scan stops here */
#define GHOST_SECONDS 1.0             /* a gone pod fades out this long */
#define OUTPUT_SECONDS 20.0           /* a kubectl command's output shows this long */

/* ---------------------------------------------------------------------------
 * Configuration
 * ------------------------------------------------------------------------- */
void kr_app_config_init(kr_app_config *c)
{
    memset(c, 0, sizeof *c);
    c->title = "kubesim";
    c->duration = KR_DEFAULT_DURATION;
    c->fps = 10;
    c->speed = 1;
    c->scale = 1;
}

int kr_parse_shot(const char *spec, ks_time *t, const char **file)
{
    const char *colon = strchr(spec, ':');
    char num[64];
    char *end;
    double secs;
    if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= sizeof num)
        return -1;
    memcpy(num, spec, (size_t)(colon - spec));
    num[colon - spec] = '\0';
    secs = strtod(num, &end);
    if (*end == '\0' && end != num && secs >= 0 && secs < 1e9) {     /* plain seconds */
        *t = (ks_time)llround(secs * KS_SEC);
    } else if (ks_duration_parse(num, t) != 0) {
        return -1;
    }
    *file = colon + 1;
    return 0;
}

static bool has_fonts(const char *dir)
{
    char p[1200];
    FILE *f;
    snprintf(p, sizeof p, "%s/DejaVuSans.ttf", dir);
    f = fopen(p, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

const char *kr_app_assets_dir(const kr_app_config *cfg)
{
    static char found[1024];
    static const char *const rel[] = {"assets", "../assets", "../share/kubesim/assets",
                                      "../../assets"};
    const char *env = getenv("KUBESIM_ASSETS");
    char *base;
    size_t i;
    if (cfg && cfg->assets_dir && has_fonts(cfg->assets_dir))
        return cfg->assets_dir;
    if (env && *env && has_fonts(env))
        return env;
    base = SDL_GetBasePath();
    for (i = 0; base && i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(found, sizeof found, "%s%s", base, rel[i]);
        if (has_fonts(found)) {
            SDL_free(base);
            return found;
        }
    }
    SDL_free(base);
#ifdef KUBESIM_ASSETS_DIR
    if (has_fonts(KUBESIM_ASSETS_DIR))
        return KUBESIM_ASSETS_DIR;
#endif
    return NULL;
}

/* A pod that is gone fades out in its slot for this long on screen:
 * GHOST_SECONDS of wall time at the current speed (the same look at every
 * speed, and the same frames headless). */
ks_time kr_app_ghost_keep(const kr_app *a)
{
    return (ks_time)(GHOST_SECONDS * KS_SEC * a->sc.view.speed);
}

/* ---------------------------------------------------------------------------
 * Markers and the trace
 * ------------------------------------------------------------------------- */
static void push_mark(kr_marker **arr, size_t *n, size_t *cap, ks_time t, kr_mark k, ks_time near)
{
    size_t i;
    for (i = *n; i-- > 0 && (*arr)[i].t + near >= t;)   /* one per kind per pixel or so */
        if ((*arr)[i].kind == k)
            return;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        kr_marker *m = realloc(*arr, nc * sizeof *m);
        if (!m)
            return;
        *arr = m;
        *cap = nc;
    }
    (*arr)[*n].t = t;
    (*arr)[*n].kind = k;
    (*n)++;
}

static bool mark_of(const ks_trace_event *ev, kr_mark *k)
{
    if (ev->type == KS_TR_CAPTION)
        *k = KR_MARK_CAPTION;
    else if (ev->type == KS_TR_EVENT && ev->n[0])
        *k = KR_MARK_WARNING;
    else if (ev->type == KS_TR_STATUS && ev->reason
             && (!strcmp(ev->reason, "Error") || !strcmp(ev->reason, "OOMKilled")))
        *k = KR_MARK_CRASH;
    else
        return false;
    return true;
}

ks_time kr_app_duration(const kr_app *a)
{
    return a->cfg->duration > 0 ? a->cfg->duration : KR_DEFAULT_DURATION;
}

/* The timeline's markers: the scan's up to where the run left its path,
 * then the run's own. */
static void rebuild_marks(kr_app *a)
{
    kr_view *v = &a->sc.view;
    size_t i;
    v->nmarks = 0;
    for (i = 0; i < a->npre; i++)
        if (a->pre[i].t <= a->diverged)
            push_mark(&v->marks, &v->nmarks, &v->cap_marks, a->pre[i].t, a->pre[i].kind, 0);
    for (i = 0; i < a->nlive; i++)
        push_mark(&v->marks, &v->nmarks, &v->cap_marks, a->live[i].t, a->live[i].kind, 0);
}

double kr_app_clock(const kr_app *a)
{
    if (a->headless)
        return (double)ks_now(a->sim) / KS_SEC / a->sc.view.speed;
    return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency() - a->wall0;
}

/* Lines of a terminal's text (each ends with a newline). */
static size_t lines_of(const char *s)
{
    size_t n = 0;
    for (; (s = strchr(s, '\n')) != NULL; s++)
        n++;
    return n;
}

/* A kubectl command of the lesson (or of its manifests) and each line it
 * printed, into the terminal panel: the last command stays there. */
static void terminal(kr_view *v, const ks_trace_event *ev)
{
    size_t len = strlen(v->output);
    if (ev->reason && strcmp(ev->reason, "Command") == 0) {
        snprintf(v->output, sizeof v->output, "$ kubectl %s\n", ev->msg);
        memset(&v->output_tables, 0, sizeof v->output_tables);
        v->output_open = true;
        v->output_at = ev->t;
    } else if (len + strlen(ev->msg) + 2 < sizeof v->output) {
        if (ev->n[1])                          /* a table's line: cut, not wrapped */
            kr_term_table_line(&v->output_tables, lines_of(v->output));
        snprintf(v->output + len, sizeof v->output - len, "%s\n", ev->msg);
    }
}

static void on_trace(void *ud, const ks_trace_event *ev)
{
    kr_app *a = ud;
    kr_mark k;
    kr_hop hop;
    if (ev->type == KS_TR_CAPTION && ev->msg)
        snprintf(a->sc.view.caption, sizeof a->sc.view.caption, "%s", ev->msg);
    if (ev->type == KS_TR_KUBECTL && ev->msg)
        terminal(&a->sc.view, ev);
    if (ev->type == KS_TR_STATUS && ev->kind && !strcmp(ev->kind, "Pod") && ev->reason && ev->name
        && (!strcmp(ev->reason, "Error") || !strcmp(ev->reason, "OOMKilled"))) {
        ks_id id = ks_cluster_find(a->sim, KS_KIND_POD, NULL, ev->name);
        if (id)
            kr_anim_add_burst(a->sc.anim, id,
                              a->headless ? (double)ev->t / KS_SEC / a->sc.view.speed
                                          : kr_app_clock(a));
    }
    if (a->cfg->hop) {
        if (a->cfg->hop(a->cfg->ud, a->sim, ev, &hop))
            kr_anim_add_hop(a->sc.anim, &hop);
    } else if (ev->type == KS_TR_HOP) {
        kr_hop hops[2];
        size_t i, n = kr_sim_hops(a->sim, ev, hops);
        for (i = 0; i < n; i++)
            kr_anim_add_hop(a->sc.anim, &hops[i]);
    }
    if (mark_of(ev, &k) && (ev->t > a->diverged || ev->t > kr_app_duration(a))) {
        push_mark(&a->live, &a->nlive, &a->cap_live, ev->t, k, kr_app_duration(a) / 2000);
        rebuild_marks(a);
    }
}

typedef struct scan {
    kr_marker *m;
    size_t n, cap;
    ks_time near;
} scan;

static void on_scan(void *ud, const ks_trace_event *ev)
{
    scan *s = ud;
    kr_mark k;
    if (mark_of(ev, &k))
        push_mark(&s->m, &s->n, &s->cap, ev->t, k, s->near);
}

static void destroy_sim(const kr_app_config *cfg, ks_sim *sim)
{
    if (!sim)
        return;
    if (cfg->destroy)
        cfg->destroy(cfg->ud, sim);
    else
        ks_sim_destroy(sim);
}

/* Runs the lesson once, unseen, to put its markers on the timeline. Its
 * cost is bounded by events, not wall time, so the markers are the same on
 * every machine: a lesson too big to scan gets its later markers as it
 * plays. */
static void prescan(kr_app *a)
{
    scan s = {NULL, 0, 0, kr_app_duration(a) / 2000};
    ks_sim *sim;
    kr_layout_state *st;
    if (a->cfg->live)           /* a live cluster's future is not known */
        return;
    sim = a->cfg->create(a->cfg->ud);
    st = kr_layout_state_create();
    if (!sim || !st) {
        destroy_sim(a->cfg, sim);
        kr_layout_state_destroy(st);
        return;
    }
    ks_trace_subscribe(sim, on_scan, &s);
    /* slots synced as playing syncs them, so the grid is planned for the
     * most pods each node will hold (kr_layout_state_reserve) */
    while (ks_now(sim) < kr_app_duration(a) && ks_sim_status(sim) == 0
           && ks_event_dispatched(sim) < PRESCAN_MAX_EVENTS) {
        ks_time before = ks_now(sim), to = (before / SYNC_STEP + 1) * SYNC_STEP;
        ks_run_until(sim, to < kr_app_duration(a) ? to : kr_app_duration(a));   /* passes pauses */
        kr_layout_state_sync(st, sim, kr_app_ghost_keep(a));
        if (ks_now(sim) == before && !ks_step(sim))
            break;
    }
    kr_layout_state_reserve(a->sc.st, st);
    kr_layout_state_destroy(st);
    destroy_sim(a->cfg, sim);
    free(a->pre);
    a->pre = s.m;
    a->npre = s.n;
}

/* ---------------------------------------------------------------------------
 * The simulation's lifetime
 * ------------------------------------------------------------------------- */
bool kr_app_live_refuses(kr_app *a, const char *what)
{
    if (!a->live_mode)
        return false;
    kr_app_toast(a, "%s: a live cluster's time only moves on (Space pauses, - + speed)", what);
    return true;
}

int kr_app_reset(kr_app *a, bool keep_actions)
{
    kr_view *v = &a->sc.view;
    if (a->sim && kr_app_live_refuses(a, "No restart"))
        return 0;
    destroy_sim(a->cfg, a->sim);
    a->sim = a->cfg->live ? a->cfg->live : a->cfg->create(a->cfg->ud);
    if (!a->sim) {
        fprintf(stderr, "kubesim: error: the simulation could not be created\n");
        return -1;
    }
    ks_trace_subscribe(a->sim, on_trace, a);
    kr_layout_state_reset(a->sc.st);
    kr_anim_clear(a->sc.anim);
    if (a->sc.memo) {
        size_t i;
        memset(a->sc.memo, 0, a->sc.cap_memo * sizeof *a->sc.memo);
        for (i = 0; i < a->sc.cap_memo; i++)
            a->sc.memo[i].records = -1;
    }
    v->caption[0] = '\0';
    v->output[0] = '\0';
    memset(&v->output_tables, 0, sizeof v->output_tables);
    v->output_open = false;
    v->sel = KR_SEL_NONE;
    v->menu = false;
    v->logs_pod = 0;
    v->table_scroll = 0;
    a->target = 0;
    a->nlive = 0;
    if (!keep_actions) {
        a->nacts = 0;
        a->diverged = KS_TIME_MAX;
    }
    rebuild_marks(a);
    kr_layout_state_sync(a->sc.st, a->sim, kr_app_ghost_keep(a));
    return 0;
}

bool kr_app_advance(kr_app *a, ks_time t)
{
    bool ok = true;
    while (ks_now(a->sim) < t) {
        ks_time now = ks_now(a->sim), next = (now / SYNC_STEP + 1) * SYNC_STEP;
        if (next > t)
            next = t;
        ks_run_until(a->sim, next);
        kr_layout_state_sync(a->sc.st, a->sim, kr_app_ghost_keep(a));
        if (ks_now(a->sim) < next) {             /* a scenario pause, or a failure */
            ok = false;
            break;
        }
    }
    kr_layout_state_sync(a->sc.st, a->sim, kr_app_ghost_keep(a));
    return ok;
}

static void apply(kr_app *a, const kr_action *act)
{
    const kr_app_config *cfg = a->cfg;
    const char *ns = act->ns[0] ? act->ns : "default";
    ks_id id;
    int rc;
    switch (act->kind) {
    case KR_ACT_KILL:
        id = ks_cluster_find(a->sim, KS_KIND_POD, ns, act->name);
        rc = id ? ks_node_crash(a->sim, id, NULL, 1, "Error") : KS_EUNKNOWN;
        if (!a->replaying)
            kr_app_toast(a, rc == 0 ? "Killed the container of %s (exit code 1)"
                            : "%s: no running container to kill", act->name);
        break;
    case KR_ACT_DELETE:
        id = ks_cluster_find(a->sim, KS_KIND_POD, ns, act->name);
        rc = id ? ks_cluster_delete(a->sim, id, -1, false) : KS_EUNKNOWN;
        if (!a->replaying)
            kr_app_toast(a, rc == 0 ? "pod \"%s\" deleted" : "%s: already gone", act->name);
        break;
    case KR_ACT_NODE: {
        static const char *const verb[] = {"failed", "recovered", "cordoned", "uncordoned",
                                           "drained"};
        id = ks_cluster_find(a->sim, KS_KIND_NODE, NULL, act->name);
        rc = id ? ks_world_node_action(a->sim, id, (ks_node_action)act->arg) : KS_EUNKNOWN;
        if (!a->replaying && act->arg >= 0 && act->arg < 5)
            kr_app_toast(a, rc == 0 ? "node/%s %s" : "node/%s: not %s", act->name, verb[act->arg]);
        break;
    }
    case KR_ACT_KUBECTL:
        if (cfg->kubectl) {
            char out[8192];
            const char *l;
            ks_kubectl_tables tables;
            kr_view *v = &a->sc.view;
            size_t i, len, keep;
            out[0] = '\0';
            memset(&tables, 0, sizeof tables);
            cfg->kubectl(cfg->ud, a->sim, act->name, out, sizeof out, &tables);
            if (a->replaying)
                break;
            /* the terminal panel shows the last command and its output,
             * the lines of its tables to be cut, not wrapped; what does not
             * fit in v->output is left out (the panel shows 14 lines) */
            snprintf(v->output, sizeof v->output, "$ kubectl %s\n", act->name);
            len = strlen(v->output);
            keep = strnlen(out, sizeof v->output - 1 - len);
            memcpy(v->output + len, out, keep);
            v->output[len + keep] = '\0';
            memset(&v->output_tables, 0, sizeof v->output_tables);
            for (l = out, i = 1; *l; i++) {         /* line 0: the command */
                if (ks_kubectl_in_table(&tables, (size_t)(l - out)))
                    kr_term_table_line(&v->output_tables, i);
                l += strcspn(l, "\n");
                l += *l == '\n';
            }
            v->output_open = true;
            v->output_at = ks_now(a->sim);
        }
        break;
    }
}

void kr_app_act(kr_app *a, kr_act kind, const char *ns, const char *name, int arg)
{
    kr_action act;
    char line[512];
    if (a->live_mode && kind != KR_ACT_KUBECTL) {
        /* the caller's cluster changes through kubectl only (so that
           serve --record keeps it) */
        if (!(name = kr_live_action_line(a, kind, ns, name, arg, line, sizeof line)))
            return;
        kind = KR_ACT_KUBECTL;
    }
    memset(&act, 0, sizeof act);
    act.t = ks_now(a->sim);
    act.kind = kind;
    act.arg = arg;
    snprintf(act.ns, sizeof act.ns, "%s", ns ? ns : "default");
    snprintf(act.name, sizeof act.name, "%s", name);
    apply(a, &act);
    if (a->nacts == a->cap_acts) {
        size_t nc = a->cap_acts ? a->cap_acts * 2 : 16;
        kr_action *n = realloc(a->acts, nc * sizeof *n);
        if (!n)
            return;
        a->acts = n;
        a->cap_acts = nc;
    }
    a->acts[a->nacts++] = act;
    if (act.t < a->diverged)
        a->diverged = act.t;
    push_mark(&a->live, &a->nlive, &a->cap_live, act.t, KR_MARK_ACTION, 0);
    rebuild_marks(a);
}

void kr_app_jump(kr_app *a, ks_time t)
{
    size_t i, keep = 0;
    if (kr_app_live_refuses(a, t < ks_now(a->sim) ? "No going back" : "No jumping ahead"))
        return;
    if (t < 0)
        t = 0;
    if (t >= ks_now(a->sim)) {
        kr_app_advance(a, t);
        a->target = ks_now(a->sim);
        return;
    }
    /* back in time: the same run again, with the actions taken before t */
    for (i = 0; i < a->nacts && a->acts[i].t < t; i++)
        keep++;
    a->nacts = keep;
    a->diverged = keep ? a->acts[0].t : KS_TIME_MAX;
    if (kr_app_reset(a, true) != 0)
        return;
    a->replaying = true;
    for (i = 0; i < keep; i++) {
        kr_app_advance(a, a->acts[i].t);
        apply(a, &a->acts[i]);
        push_mark(&a->live, &a->nlive, &a->cap_live, a->acts[i].t, KR_MARK_ACTION, 0);
    }
    a->replaying = false;
    kr_app_advance(a, t);
    a->target = ks_now(a->sim);
    rebuild_marks(a);
}

void kr_app_step(kr_app *a)
{
    ks_time t;
    if (kr_app_live_refuses(a, "No stepping") || !ks_next_time(a->sim, &t))
        return;
    kr_app_advance(a, t);
    a->target = ks_now(a->sim);
}

void kr_app_toast(kr_app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->sc.view.toast, sizeof a->sc.view.toast, fmt, ap);
    va_end(ap);
    a->sc.view.toast_until = kr_app_clock(a) + 3.0;
}

void kr_app_speed_step(kr_app *a, int dir)
{
    static const double speeds[] = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64};
    int i, n = (int)(sizeof speeds / sizeof speeds[0]), at = dir > 0 ? n - 1 : 0;
    double cur = a->sc.view.speed;
    /* the next speed of the list up or down (an API client may have set
       one between two of them) */
    for (i = 0; i < n; i++)
        if (dir > 0 ? speeds[i] > cur + 1e-9 : speeds[i] < cur - 1e-9)
            at = dir > 0 ? (i < at ? i : at) : i;
    if (dir == 0)
        return;
    a->sc.view.speed = speeds[at];
    kr_anim_set_min_visual(a->sc.anim, (ks_time)(0.5 * KS_SEC * a->sc.view.speed));
}

/* ---------------------------------------------------------------------------
 * Set-up and tear-down
 * ------------------------------------------------------------------------- */
double kr_clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int kr_app_init(kr_app *a, const kr_app_config *cfg, SDL_Renderer *r, int w, int h)
{
    memset(a, 0, sizeof *a);
    a->cfg = cfg;
    a->r = r;
    a->w = w;
    a->h = h;
    a->diverged = KS_TIME_MAX;
    a->live_mode = cfg->live != NULL;
    if (kr_scene_init(&a->sc, r, kr_app_assets_dir(cfg)) != 0)
        return -1;
    if (!kr_text_ok(a->sc.t) && !cfg->quiet)
        fprintf(stderr, "kubesim: warning: no fonts found; the window shows no text "
                        "(set KUBESIM_ASSETS to the assets folder)\n");
    a->sc.data = cfg->data ? cfg->data : kr_data_sim();
    a->sc.view.title = cfg->title;
    a->sc.view.duration = kr_app_duration(a);
    a->sc.view.speed = kr_clampd(cfg->speed > 0 ? cfg->speed : 1, 0.25, 64);
    a->sc.view.kubectl_ok = cfg->kubectl != NULL;
    if (cfg->live)
        a->sc.view.live = a->serving;   /* filled by kr_live_announce */
    a->sc.scale = kr_clampd(cfg->scale > 0 ? cfg->scale : 1, 0.5, 3);
    kr_anim_set_min_visual(a->sc.anim, (ks_time)(0.5 * KS_SEC * a->sc.view.speed));
    prescan(a);
    if (kr_app_reset(a, false) != 0)
        return -1;
    kr_app_exercise(a);
    return 0;
}

void kr_app_fini(kr_app *a)
{
    if (a->cfg->live && a->sim)
        ks_trace_unsubscribe(a->sim, on_trace, a);     /* the caller's: it lives on */
    else
        destroy_sim(a->cfg, a->sim);
    kr_scene_fini(&a->sc);
    free(a->acts);
    free(a->pre);
    free(a->live);
    free(a->shot_done);
}

void kr_app_exercise(kr_app *a)
{
    kr_scene *s = &a->sc;
    bool reload = false;
    size_t n;
    if (!a->cfg->goals)
        return;
    n = a->cfg->goals(a->cfg->ud, s->goals, KR_GOALS_MAX, s->goals_note, sizeof s->goals_note,
                      &reload);
    s->exercise = true;
    s->ngoals = (int)(n < KR_GOALS_MAX ? n : KR_GOALS_MAX);
    if (reload) {                 /* the learner saved: from the start, with the new files */
        prescan(a);
        if (kr_app_reset(a, false) == 0)
            kr_app_toast(a, "Saved: the exercise runs again from the start");
    }
}

/* Draws the frame at the sim's current time into the renderer. */
void kr_app_draw(kr_app *a)
{
    a->sc.clock = kr_app_clock(a);
    a->sc.ghost_keep = kr_app_ghost_keep(a);
    a->sc.output_keep = (ks_time)(OUTPUT_SECONDS * KS_SEC * a->sc.view.speed);
    kr_paint(&a->sc, a->sim, a->w, a->h);
}
