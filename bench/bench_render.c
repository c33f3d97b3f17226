/* bench_render.c -- frame time of the window's drawing with the software
 * renderer (no window, no display), at the DESIGN.md bar: 1,000 pods and
 * 2,000 request dots in flight at 1280x720, goal < 16 ms a frame.
 *
 *   bench_render [FRAMES=120] [PNG_OUT]
 *
 * Scenes: (a) 1,000 pods on 10 nodes + 2,000 dots, (b) the same on one
 * node, (c) 12 pods as full cards + 300 dots. Each: layout + draw +
 * SDL_RenderFlush per frame, the layout's slot sync included; then the
 * readback (SDL_RenderReadPixels) and a PNG encode, for --record figures.
 * Prints one line per scene: mean / p50 / p95 / max ms per frame (wall),
 * and the thread's CPU time per frame (mean / p50 / p95: on a loaded
 * machine, the cost without the waits for a core). Wall time lives here,
 * never in sim/.
 */
#define _POSIX_C_SOURCE 199309L
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kr_frame.h"
#include "kr_paint.h"
#include "render_fixture.h"
#include "bench_clock.h"

/* this thread's CPU time: on a loaded machine, what the frame cost without
 * the time other processes held the core */
static double cpu(void)
{
    return bench_clock(CLOCK_THREAD_CPUTIME_ID);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const char *assets(void)
{
    const char *e = getenv("KUBESIM_ASSETS");
    return e && *e ? e : KS_ASSETS_DIR;
}

/* dots: from Services and the ingress to pods, in flight at `now` */
static void add_dots(kr_scene *s, const ks_sim *sim, int n, ks_time now)
{
    ks_id pods[4096], svc = ks_cluster_next(sim, KS_KIND_SERVICE, 0), id = 0;
    int np = 0, i;
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0 && np < 4096)
        pods[np++] = id;
    kr_anim_set_min_visual(s->anim, 1);
    for (i = 0; i < n && np; i++) {
        kr_hop h;
        memset(&h, 0, sizeof h);
        h.from.kind = i % 4 == 0 ? KR_EP_CLIENT : KR_EP_SERVICE;
        h.from.id = svc;
        h.to.kind = KR_EP_POD;
        h.to.id = pods[(i * 7919) % np];
        h.t_start = now - KS_SEC + (ks_time)i * KS_MSEC / 2;   /* spread along the hop */
        h.t_end = h.t_start + 3 * KS_SEC;
        h.ok = i % 13 != 0;
        h.status = h.ok ? 200 : 503;
        kr_anim_add_hop(s->anim, &h);
    }
}

static void scene(const char *name, int nodes, int pods, int ndots, int frames, const char *png)
{
    char yaml[2048], *ny = nodes > 1 ? rfix_nodes_yaml(nodes) : rfix_nodes_yaml(1);
    rfix f;
    ks_sim *sim;
    kr_scene s;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    double *t = malloc((size_t)frames * sizeof *t), sum = 0, t0, c0, t_read, t_png;
    double *c = malloc((size_t)frames * sizeof *c), csum = 0;
    uint8_t *rgb = malloc(1280 * 720 * 3);
    size_t shown, entries, pixels, renders;
    int i;
    snprintf(yaml, sizeof yaml,
             "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
             "  replicas: %d\n  selector: {matchLabels: {app: web}}\n"
             "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
             "      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n"
             "---\napiVersion: v1\nkind: Pod\nmetadata: {name: crash}\nspec:\n"
             "  containers: [{name: app, image: busybox, command: [sh, -c, 'exit 1']}]\n"
             "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
             "  selector: {app: web}\n  ports: [{port: 80}]\n"
             "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"
             "spec:\n  ingressClassName: nginx\n  rules:\n  - http:\n      paths:\n"
             "      - {path: /, pathType: Prefix, backend: {service: {name: web, port: "
             "{number: 80}}}}\n",
             pods - 1);
    if (!r || !t || !c || !rgb || rfix_init(&f, assets(), ny, yaml, 1) != 0) {
        fprintf(stderr, "bench_render: set-up failed: %s\n", SDL_GetError());
        exit(3);
    }
    sim = rfix_create(&f);
    ks_run_until(sim, 30 * KS_SEC);
    if (kr_scene_init(&s, r, assets()) != 0 || !kr_text_ok(s.t)) {
        fprintf(stderr, "bench_render: no fonts in %s (set KUBESIM_ASSETS)\n", assets());
        exit(3);
    }
    kr_scene_set_target(&s, surf);
    s.view.title = "bench_render";
    s.view.duration = 60 * KS_SEC;
    s.view.speed = 1;
    s.view.playing = true;
    kr_layout_state_sync(s.st, sim, KS_SEC);
    add_dots(&s, sim, ndots, ks_now(sim));
    shown = kr_anim_dots(s.anim, ks_now(sim), NULL, NULL);
    for (i = 0; i < 10; i++)                     /* warm the text cache */
        kr_paint(&s, sim, 1280, 720);
    for (i = 0; i < frames; i++) {
        t0 = bench_wall();
        c0 = cpu();
        kr_layout_state_sync(s.st, sim, KS_SEC);
        s.clock = i / 60.0;
        kr_paint(&s, sim, 1280, 720);
        SDL_RenderFlush(r);
        c[i] = (cpu() - c0) * 1000;
        t[i] = (bench_wall() - t0) * 1000;
        sum += t[i];
        csum += c[i];
    }
    t0 = bench_wall();
    kr_frame_read(r, 1280, 720, rgb);
    t_read = (bench_wall() - t0) * 1000;
    t0 = bench_wall();
    if (png)
        kr_png_write(png, rgb, 1280, 720);
    t_png = (bench_wall() - t0) * 1000;
    qsort(t, (size_t)frames, sizeof *t, cmp_double);
    qsort(c, (size_t)frames, sizeof *c, cmp_double);
    kr_text_stats(s.t, &entries, &pixels, &renders);
    printf("%-34s pods=%d dots=%zu level=%d  ms/frame mean=%.2f p50=%.2f p95=%.2f max=%.2f"
           "  cpu mean=%.2f p50=%.2f p95=%.2f  readback=%.2f png=%.1f  labels=%zu\n",
           name, pods, shown, (int)s.lay.level, sum / frames, t[frames / 2],
           t[frames * 95 / 100], t[frames - 1], csum / frames, c[frames / 2],
           c[frames * 95 / 100], t_read, t_png, entries);
    kr_scene_fini(&s);
    ks_sim_destroy(sim);
    rfix_fini(&f);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    free(t);
    free(c);
    free(rgb);
    free(ny);
}

int main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 120;
    const char *png = argc > 2 ? argv[2] : NULL;
    if (frames < 10)
        frames = 10;
    if (SDL_Init(0) != 0)
        return 3;
    printf("bench_render: software renderer, 1280x720, %d frames per scene\n", frames);
    scene("1000 pods / 10 nodes + 2000 dots", 10, 1000, 2000, frames, png);
    scene("1000 pods / 1 node + 2000 dots", 1, 1000, 2000, frames, NULL);
    scene("12 pods (full cards) + 300 dots", 1, 12, 300, frames, NULL);
    SDL_Quit();
    return 0;
}
