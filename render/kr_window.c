/* kr_window.c -- the window: kr_app_run, and the interactive frames (see
 * kr_app.h).
 *
 * One frame is one call of kr_app_frame: input, advance, draw, present. It
 * never waits, so the same function serves two drivers: the native loop
 * here (windowed, which caps the rate: Xvfb has no vsync) and, in a
 * browser, the page's frame callback (emscripten_set_main_loop, cli/web.c),
 * which must return to the browser after every frame.
 *
 * Initialization / loop { Input / Update (advance the sim) / Draw } /
 * De-Initialization, raylib-style. Time: the sim advances to `target`,
 * which playback moves by wall time x speed (clamped at 0.25 s of wall a
 * frame); stepping, jumping and pausing only move the target.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_appi.h"
#include "kr_frame.h"
#include "core/ks_event.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#define FRAME_CAP 60
#define MAX_WALL_STEP 0.25            /* seconds of wall time per frame, at most */

/* ---------------------------------------------------------------------------
 * The window
 * ------------------------------------------------------------------------- */
static void window_shots(kr_app *a, ks_time from, ks_time to)
{
    const kr_app_config *cfg = a->cfg;
    size_t i;
    for (i = 0; i < cfg->nscreenshots; i++) {
        ks_time t;
        const char *file;
        if (a->shot_done[i] || kr_parse_shot(cfg->screenshots[i], &t, &file) != 0 || t < from
            || t > to)
            continue;
        a->shot_done[i] = true;
        {
            int w, h;
            uint8_t *rgb;
            SDL_GetRendererOutputSize(a->r, &w, &h);
            rgb = malloc((size_t)w * h * 3);
            if (rgb && kr_frame_read(a->r, w, h, rgb) == 0 && kr_png_write(file, rgb, w, h) == 0)
                kr_app_toast(a, "wrote %s", file);
            free(rgb);
        }
    }
}

/* Feeds the next input of the script (see kr_app_config.input_script);
 * *pos walks through the string. */
static void script_step(const char *script, size_t *pos)
{
    SDL_Event e;
    if (kr_input_script_next(script, pos, &e))
        SDL_PushEvent(&e);
}

kr_app *kr_app_open(const kr_app_config *cfg)
{
    kr_app *a;
    SDL_Window *win;
    SDL_Renderer *r;
    int w = cfg->width, h = cfg->height;
    Uint32 flags = SDL_WINDOW_RESIZABLE;
    if (!cfg->create && !cfg->live) {
        fprintf(stderr, "kubesim: internal error: kr_app_open without a create callback\n");
        return NULL;
    }
    if (!(a = malloc(sizeof *a))) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        return NULL;
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "kubesim: error: cannot open the display: %s\n", SDL_GetError());
        free(a);
        return NULL;
    }
    if (w <= 0 || h <= 0) {
        /* the room's screen: the display's usable area, maximized */
        SDL_Rect room;
        if (SDL_GetDisplayUsableBounds(0, &room) == 0 && room.w >= 640 && room.h >= 400) {
            w = room.w;
            h = room.h;
        } else {
            w = 1280;
            h = 720;
        }
        flags |= SDL_WINDOW_MAXIMIZED;
    }
    win = SDL_CreateWindow(cfg->title ? cfg->title : "kubesim", SDL_WINDOWPOS_CENTERED,
                           SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!win) {
        fprintf(stderr, "kubesim: error: cannot open a window: %s\n", SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        free(a);
        return NULL;
    }
    SDL_SetWindowMinimumSize(win, 640, 400);
    r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!r)
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    if (!r || kr_app_init(a, cfg, r, w, h) != 0) {
        fprintf(stderr, "kubesim: error: cannot draw in the window: %s\n", SDL_GetError());
        if (r) {
            kr_app_fini(a);
            SDL_DestroyRenderer(r);
        }
        SDL_DestroyWindow(win);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        free(a);
        return NULL;
    }
    a->win = win;
    a->running = true;
    a->sc.view.playing = !cfg->start_paused;
    a->shot_done = calloc(cfg->nscreenshots + 1, sizeof(bool));
    SDL_StartTextInput();
    a->wall0 = (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency();
    a->last = 0;
    a->shown = ks_now(a->sim);
    if (cfg->start > 0 && !cfg->live)
        kr_app_jump(a, cfg->start);
    if (cfg->live && cfg->serving)
        kr_live_announce(a, cfg->serving);
    return a;
}

bool kr_app_frame(kr_app *a)
{
    const kr_app_config *cfg = a->cfg;
    SDL_Event e;
    double now, dt;
    ks_time before = a->live_mode ? a->shown : ks_now(a->sim);
    if (!a->running)
        return false;
    if (a->live_mode && cfg->tick)
        cfg->tick(cfg->ud, a);
    if (cfg->input_script && cfg->input_script[a->script_pos])
        script_step(cfg->input_script, &a->script_pos);
    while (SDL_PollEvent(&e))
        kr_input_event(a, &e);
    kr_app_exercise(a);
    now = kr_app_clock(a);
    dt = now - a->last;
    a->last = now;
    if (dt > MAX_WALL_STEP)
        dt = MAX_WALL_STEP;
    if (a->live_mode) {                /* the caller moved it: the slots follow */
        kr_layout_state_sync(a->sc.st, a->sim, kr_app_ghost_keep(a));
    } else if (a->sc.view.playing) {
        a->target += (ks_time)llround(dt * a->sc.view.speed * KS_SEC);
        if (a->target >= kr_app_duration(a) && before < kr_app_duration(a)) {
            a->target = kr_app_duration(a);
            a->sc.view.playing = false;
            kr_app_toast(a, "End of the lesson: Space plays on, R restarts");
        }
    }
    if (!a->live_mode && a->target > ks_now(a->sim) && !kr_app_advance(a, a->target)) {
        a->sc.view.playing = false;
        a->target = ks_now(a->sim);
        if (ks_sim_status(a->sim) == 0)
            kr_app_toast(a, "Paused by the lesson: Space plays on");
    }
    SDL_GetRendererOutputSize(a->r, &a->w, &a->h);
    kr_app_draw(a);
    if (cfg->nscreenshots && a->shot_done)
        window_shots(a, before, ks_now(a->sim));
    if (cfg->state_file)
        kr_live_write_state(a);
    a->shown = ks_now(a->sim);
    SDL_RenderPresent(a->r);
    if (cfg->max_frames > 0 && ++a->frames >= cfg->max_frames)
        a->running = false;
    return a->running;
}

void kr_app_close(kr_app *a)
{
    SDL_Renderer *r;
    SDL_Window *win;
    if (!a)
        return;
    r = a->r;
    win = a->win;
    SDL_StopTextInput();
    kr_app_fini(a);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(a);
}

ks_time kr_app_now(const kr_app *a)
{
    return ks_now(a->sim);
}

const char *kr_app_caption(const kr_app *a)
{
    return a->sc.view.caption;
}

void kr_app_set_scale(kr_app *a, double scale)
{
    a->sc.scale = kr_clampd(scale, 0.5, 3);
}

bool kr_app_playing(const kr_app *a, double *speed)
{
    if (speed)
        *speed = a->sc.view.speed;
    return a->sc.view.playing;
}

void kr_app_set_playing(kr_app *a, bool playing, double speed)
{
    a->sc.view.playing = playing;
    a->sc.view.speed = kr_clampd(speed, 0.25, 64);
    kr_anim_set_min_visual(a->sc.anim, (ks_time)(0.5 * KS_SEC * a->sc.view.speed));
}

#ifdef __EMSCRIPTEN__
/* In a browser the page's frame callback drives the same kr_app_frame: a
 * loop here would never let the browser draw. emscripten_set_main_loop_arg
 * with simulate_infinite_loop keeps this call's stack (and the caller's
 * config) alive and returns to the browser; the page ends with the tab.
 * The page reads the app through the kr_web_* functions below. */
static kr_app *web_app;

static void web_frame(void *arg)
{
    kr_app *a = arg;
    if (!kr_app_frame(a)) {
        emscripten_cancel_main_loop();
        web_app = NULL;
        kr_app_close(a);
    }
}

/* The simulated time shown, in seconds (-1: no window). */
EMSCRIPTEN_KEEPALIVE double kr_web_now(void)
{
    return web_app ? (double)kr_app_now(web_app) / KS_SEC : -1;
}

/* The caption shown now ("" when none or no window). */
EMSCRIPTEN_KEEPALIVE const char *kr_web_caption(void)
{
    return web_app ? kr_app_caption(web_app) : "";
}

EMSCRIPTEN_KEEPALIVE void kr_web_set_scale(double scale)
{
    if (web_app)
        kr_app_set_scale(web_app, scale);
}

static int windowed(const kr_app_config *cfg)
{
    kr_app *a = kr_app_open(cfg);
    if (!a)
        return KR_EINTERNAL;
    web_app = a;
    emscripten_set_main_loop_arg(web_frame, a, 0, 1);   /* does not return */
    return KR_OK;
}
#else
static int windowed(const kr_app_config *cfg)
{
    kr_app *a = kr_app_open(cfg);
    bool opened = a != NULL, more = opened;
    while (more) {
        double t0 = kr_app_clock(a), dt;
        more = kr_app_frame(a);
        dt = kr_app_clock(a) - t0;          /* Xvfb has no vsync: cap the rate */
        if (more && dt < 1.0 / FRAME_CAP)
            SDL_Delay((Uint32)((1.0 / FRAME_CAP - dt) * 1000));
    }
    kr_app_close(a);
    return opened ? KR_OK : KR_EINTERNAL;
}
#endif

int kr_app_run(const kr_app_config *cfg)
{
    int rc;
    if (!cfg || !cfg->create) {
        fprintf(stderr, "kubesim: internal error: kr_app_run without a create callback\n");
        return KR_EINTERNAL;
    }
    if (SDL_Init(0) != 0) {
        fprintf(stderr, "kubesim: error: SDL_Init: %s\n", SDL_GetError());
        return KR_EINTERNAL;
    }
    rc = cfg->headless ? kr_app_headless(cfg) : windowed(cfg);
    SDL_Quit();
    return rc;
}
