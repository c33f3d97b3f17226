/* kr_headless.c -- frames without a window: --screenshot T:FILE, --record
 * DIR (PNG frames), --gif FILE, and kr_app_snapshot for golden tests.
 *
 * The software renderer draws on an RGB888 surface (TOOLCHAIN.md section 3
 * i-a): no display, no video driver, byte-identical output everywhere. All
 * outputs of a run are sorted by simulated time and rendered in one pass;
 * recordings step in simulated time (speed / fps a frame), never wall time,
 * so every run writes the same files. The animation clock is simulated
 * time / speed, so bursts and moving dots look as they would on screen.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kr_appi.h"
#include "kr_frame.h"
#include "core/ks_event.h"

typedef struct job {
    ks_time t;
    int kind;                     /* 0 screenshot, 1 record frame, 2 gif frame */
    const char *file;
    long index;
} job;

static int by_time(const void *x, const void *y)
{
    const job *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->kind - b->kind;
}

static SDL_Renderer *offscreen(int w, int h, SDL_Surface **surf)
{
    *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    return *surf ? SDL_CreateSoftwareRenderer(*surf) : NULL;
}


int kr_app_headless(const kr_app_config *cfg)
{
    kr_app a;
    SDL_Surface *surf = NULL;
    SDL_Renderer *r;
    job *jobs;
    size_t njobs = 0, i, cap;
    int w = cfg->width > 0 ? cfg->width : 1280, h = cfg->height > 0 ? cfg->height : 720;
    int rc = KR_OK;
    double fps = cfg->fps > 0 ? cfg->fps : 10, speed = kr_clampd(cfg->speed > 0 ? cfg->speed : 1, 0.25, 64);
    ks_time until = cfg->until > 0 ? cfg->until : cfg->duration > 0 ? cfg->duration : KR_DEFAULT_DURATION;
    ks_time step = (ks_time)llround(KS_SEC * speed / fps);
    long frames = (cfg->record_dir || cfg->gif_file) ? (long)(until / step) + 1 : 0;
    uint8_t *rgb = malloc((size_t)w * h * 3);
    kr_gif *gif = NULL;
    char err[512];
    cap = cfg->nscreenshots + (size_t)frames * ((cfg->record_dir != NULL) + (cfg->gif_file != NULL));
    jobs = malloc((cap ? cap : 1) * sizeof *jobs);
    if (!rgb || !jobs) {
        free(rgb);
        free(jobs);
        return KR_EINTERNAL;
    }
    for (i = 0; i < cfg->nscreenshots; i++) {
        if (kr_parse_shot(cfg->screenshots[i], &jobs[njobs].t, &jobs[njobs].file) != 0) {
            fprintf(stderr, "kubesim: error: --screenshot wants T:FILE (e.g. 47s:shot.png), "
                            "not '%s'\n", cfg->screenshots[i]);
            free(rgb);
            free(jobs);
            return KR_EINPUT;
        }
        jobs[njobs].kind = 0;
        jobs[njobs++].index = (long)i;
    }
    for (i = 0; i < (size_t)frames; i++) {
        if (cfg->record_dir)
            jobs[njobs++] = (job){(ks_time)i * step, 1, NULL, (long)i};
        if (cfg->gif_file)
            jobs[njobs++] = (job){(ks_time)i * step, 2, NULL, (long)i};
    }
    qsort(jobs, njobs, sizeof *jobs, by_time);
    if (cfg->record_dir)
        mkdir(cfg->record_dir, 0777);
    if (cfg->gif_file && !(gif = kr_gif_open(cfg->gif_file, w, h, (int)lround(100 / fps), err,
                                             sizeof err))) {
        fprintf(stderr, "kubesim: error: --gif: %s\n", err);
        free(rgb);
        free(jobs);
        return KR_EINPUT;
    }
    r = offscreen(w, h, &surf);
    if (!r || kr_app_init(&a, cfg, r, w, h) != 0) {
        fprintf(stderr, "kubesim: error: cannot render offscreen: %s\n", SDL_GetError());
        if (r)
            kr_app_fini(&a);
        rc = KR_EINTERNAL;
        goto out;
    }
    a.headless = true;
    kr_scene_set_target(&a.sc, surf);
    for (i = 0; i < njobs && rc == KR_OK; i++) {
        char path[1200];
        if (i == 0 || jobs[i].t != jobs[i - 1].t) {
            while (!kr_app_advance(&a, jobs[i].t) && ks_sim_status(a.sim) == 0)
                ;                     /* headless passes scenario pauses */
            kr_app_draw(&a);
            if (kr_frame_read(r, w, h, rgb) != 0) {
                fprintf(stderr, "kubesim: error: reading the frame: %s\n", SDL_GetError());
                rc = KR_EINTERNAL;
                break;
            }
        }
        if (jobs[i].kind == 0) {
            if (kr_png_write(jobs[i].file, rgb, w, h) != 0)
                rc = KR_EINPUT;
            else if (!cfg->quiet)
                fprintf(stderr, "kubesim: wrote %s\n", jobs[i].file);
        } else if (jobs[i].kind == 1) {
            snprintf(path, sizeof path, "%s/frame_%06ld.png", cfg->record_dir, jobs[i].index);
            if (kr_png_write(path, rgb, w, h) != 0)
                rc = KR_EINPUT;
        } else if (kr_gif_add(gif, rgb) != 0) {
            fprintf(stderr, "kubesim: error: --gif: writing a frame failed\n");
            rc = KR_EINPUT;
        }
    }
    if (rc == KR_OK && !cfg->quiet && cfg->record_dir)
        fprintf(stderr, "kubesim: wrote %ld frames to %s\n", frames, cfg->record_dir);
    kr_app_fini(&a);
out:
    if (kr_gif_close(gif) != 0 && rc == KR_OK)
        rc = KR_EINPUT;
    else if (gif && rc == KR_OK && !cfg->quiet)
        fprintf(stderr, "kubesim: wrote %s\n", cfg->gif_file);
    if (r)
        SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    free(rgb);
    free(jobs);
    return rc;
}

int kr_app_snapshot(const kr_app_config *cfg, ks_time t, uint8_t **rgb, int *w, int *h)
{
    kr_app a;
    SDL_Surface *surf = NULL;
    SDL_Renderer *r;
    int rc = KR_OK;
    *w = cfg->width > 0 ? cfg->width : 1280;
    *h = cfg->height > 0 ? cfg->height : 720;
    *rgb = malloc((size_t)*w * *h * 3);
    r = offscreen(*w, *h, &surf);
    if (!*rgb || !r || kr_app_init(&a, cfg, r, *w, *h) != 0) {
        rc = KR_EINTERNAL;
    } else {
        a.headless = true;
        kr_scene_set_target(&a.sc, surf);
        while (!kr_app_advance(&a, t) && ks_sim_status(a.sim) == 0)
            ;
        if (cfg->input_script) {      /* all of it at t, each input laid out first */
            size_t pos = 0;
            SDL_Event e;
            while (cfg->input_script[pos]) {
                kr_app_draw(&a);
                if (kr_input_script_next(cfg->input_script, &pos, &e))
                    kr_input_event(&a, &e);
            }
        }
        kr_app_draw(&a);
        if (kr_frame_read(r, *w, *h, *rgb) != 0)
            rc = KR_EINTERNAL;
        kr_app_fini(&a);
    }
    if (r)
        SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    if (rc != KR_OK) {
        free(*rgb);
        *rgb = NULL;
    }
    return rc;
}

