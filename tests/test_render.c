/* test_render.c -- the focus of this file: whole frames of the window,
 * rendered headless with the software renderer (SDL_VIDEODRIVER=dummy), of
 * a small built-in cluster: a Deployment of 3 nginx pods, a crash-looping
 * busybox pod and a Service. Each frame's decoded RGB24 pixels are hashed
 * and compared with tests/golden/render_basic.txt; the frames are written
 * to render-out/ in the build tree to look at.
 *
 * When a change to the picture is intended (or the simulation's timings or
 * names changed), regenerate the golden file deliberately:
 *     KUBESIM_UPDATE_GOLDEN=1 ctest -R render_golden
 * then look at the new PNGs in build/tests/render-out/ and commit the file.
 * Also: the same frame twice is the same; --screenshot/--record/--gif
 * write what the snapshot shows; "T:FILE" parsing; a mask drawn straight
 * into the surface (kr_blit) is what SDL_RenderCopy draws. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kr_app.h"
#include "kr_blit.h"
#include "kr_frame.h"
#include "render_fixture.h"

#define BASIC                                                                              \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"               \
    "  replicas: 3\n  selector: {matchLabels: {app: web}}\n"                              \
    "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"                        \
    "      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n"       \
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: crash}\nspec:\n"                    \
    "  containers:\n    - name: app\n      image: busybox\n"                              \
    "      command: [sh, -c, 'echo cannot reach the database; exit 1']\n"                 \
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"                  \
    "  selector: {app: web}\n  ports: [{port: 80, targetPort: 80}]\n"

static rfix fix;

static void config(kr_app_config *c)
{
    kr_app_config_init(c);
    c->create = rfix_create;
    c->ud = &fix;
    c->title = "Golden: a Deployment, a crash loop, a Service";
    c->duration = 60 * KS_SEC;
    c->headless = true;
    c->assets_dir = KS_ASSETS_DIR;
    c->quiet = true;
    c->width = 1280;
    c->height = 720;
}

static int setup(void **state)
{
    (void)state;
    mkdir(KS_OUT_DIR, 0777);
    return rfix_init(&fix, KS_ASSETS_DIR, NULL, BASIC, 1);
}

static int teardown(void **state)
{
    (void)state;
    rfix_fini(&fix);
    return 0;
}

static uint64_t frame_hash(kr_app_config *c, ks_time t, const char *png)
{
    uint8_t *rgb = NULL;
    int w, h;
    uint64_t hash;
    assert_int_equal(kr_app_snapshot(c, t, &rgb, &w, &h), KR_OK);
    assert_int_equal(w, c->width);
    assert_int_equal(h, c->height);
    hash = kr_rgb_hash(rgb, (size_t)w * h * 3);
    if (png)
        kr_png_write(png, rgb, w, h);
    free(rgb);
    return hash;
}

/* render-1: the frames of the basic cluster match their golden hashes */
static void test_render_golden(void **state)
{
    static const struct {
        const char *name;
        ks_time t;
        int w, h;
    } frames[] = {
        {"basic_0.5s", 500 * KS_MSEC, 1280, 720},    /* ContainerCreating */
        {"basic_5.5s", 5500 * KS_MSEC, 1280, 720},   /* Running; crash in back-off */
        {"basic_11.5s", 11500 * KS_MSEC, 1280, 720}, /* just crashed again: a burst */
        {"basic_40s", 40 * KS_SEC, 1280, 720},
        {"basic_40s_800x600", 40 * KS_SEC, 800, 600},
        {"basic_40s_1920x1080", 40 * KS_SEC, 1920, 1080},
    };
    char golden[256][64], line[256], path[512];
    size_t i, ng = 0;
    int bad = 0;
    bool update = getenv("KUBESIM_UPDATE_GOLDEN") && *getenv("KUBESIM_UPDATE_GOLDEN") == '1';
    FILE *f = fopen(KS_GOLDEN_DIR "/render_basic.txt", "r");
    (void)state;
    while (f && fgets(line, sizeof line, f) && ng < 256)
        if (line[0] != '#' && sscanf(line, "%63s", golden[ng]) == 1)
            ng++;
    if (f)
        fclose(f);
    f = update ? fopen(KS_GOLDEN_DIR "/render_basic.txt", "w") : NULL;
    if (f)
        fprintf(f, "# Hashes (FNV-1a 64) of the RGB24 pixels of tests/test_render.c's frames:\n"
                   "# NAME=HASH. Regenerate: KUBESIM_UPDATE_GOLDEN=1 ctest -R render_golden\n");
    for (i = 0; i < sizeof frames / sizeof frames[0]; i++) {
        kr_app_config c;
        char want[96] = "", got[96];
        size_t k;
        config(&c);
        c.width = frames[i].w;
        c.height = frames[i].h;
        snprintf(path, sizeof path, KS_OUT_DIR "/%s.png", frames[i].name);
        snprintf(got, sizeof got, "%s=%016llx", frames[i].name,
                 (unsigned long long)frame_hash(&c, frames[i].t, path));
        for (k = 0; k < ng; k++)
            if (strncmp(golden[k], frames[i].name, strlen(frames[i].name)) == 0
                && golden[k][strlen(frames[i].name)] == '=')
                snprintf(want, sizeof want, "%s", golden[k]);
        if (f)
            fprintf(f, "%s\n", got);
        else if (strcmp(want, got) != 0) {
            fprintf(stderr, "render: frame %s changed: %s, golden %s\n  look at %s\n", frames[i].name,
                    got, want[0] ? want : "(none)", path);
            bad++;
        }
    }
    if (f) {
        fclose(f);
        fprintf(stderr, "render: wrote %s/render_basic.txt\n", KS_GOLDEN_DIR);
    }
    if (bad)
        fail_msg("%d frame(s) differ from tests/golden/render_basic.txt. If the change is "
                 "intended, regenerate it: KUBESIM_UPDATE_GOLDEN=1 ctest -R render_golden", bad);
}

/* render-2: the same frame twice is the same frame */
static void test_render_deterministic(void **state)
{
    kr_app_config c;
    (void)state;
    config(&c);
    assert_true(frame_hash(&c, 11500 * KS_MSEC, NULL) == frame_hash(&c, 11500 * KS_MSEC, NULL));
}

static uint64_t png_hash(const char *path, int *w, int *h)
{
    png_image img;
    uint8_t *buf;
    uint64_t hash;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path))
        fail_msg("cannot read %s", path);
    img.format = PNG_FORMAT_RGB;
    buf = malloc(PNG_IMAGE_SIZE(img));
    assert_non_null(buf);
    assert_true(png_image_finish_read(&img, NULL, buf, 0, NULL));
    *w = (int)img.width;
    *h = (int)img.height;
    hash = kr_rgb_hash(buf, PNG_IMAGE_SIZE(img));
    free(buf);
    return hash;
}

/* render-3: --screenshot, --record and --gif in one headless run */
static void test_render_files(void **state)
{
    kr_app_config c;
    const char *shots[] = {"5.5s:" KS_OUT_DIR "/shot.png"};
    char path[512];
    struct stat st;
    int w, h, k;
    FILE *f;
    char magic[7] = "";
    (void)state;
    config(&c);
    c.screenshots = shots;
    c.nscreenshots = 1;
    c.record_dir = KS_OUT_DIR "/record";
    c.gif_file = KS_OUT_DIR "/basic.gif";
    c.fps = 4;
    c.until = 2 * KS_SEC;
    assert_int_equal(kr_app_run(&c), KR_OK);
    /* the PNG holds exactly the snapshot's pixels */
    assert_true(png_hash(KS_OUT_DIR "/shot.png", &w, &h) == frame_hash(&c, 5500 * KS_MSEC, NULL));
    assert_int_equal(w, 1280);
    assert_int_equal(h, 720);
    for (k = 0; k <= 8; k++) {                     /* 0 s .. 2 s at 4 frames a second */
        snprintf(path, sizeof path, KS_OUT_DIR "/record/frame_%06d.png", k);
        assert_int_equal(stat(path, &st), 0);
    }
    snprintf(path, sizeof path, KS_OUT_DIR "/record/frame_%06d.png", 9);
    assert_int_not_equal(stat(path, &st), 0);
    f = fopen(KS_OUT_DIR "/basic.gif", "rb");
#ifdef KR_HAVE_GIF
    assert_non_null(f);
    assert_int_equal(fread(magic, 1, 6, f), 6);
    assert_string_equal(magic, "GIF89a");
    assert_int_equal(stat(KS_OUT_DIR "/basic.gif", &st), 0);
    assert_true((st.st_mode & 0044) != 0);          /* not giflib's 0600 */
#endif
    if (f)
        fclose(f);
    /* a bad T:FILE is bad input */
    shots[0] = "soon:x.png";
    c.record_dir = NULL;
    c.gif_file = NULL;
    assert_int_equal(kr_app_run(&c), KR_EINPUT);
}

/* render-4: "T:FILE" */
static void test_render_parse_shot(void **state)
{
    ks_time t;
    const char *file;
    (void)state;
    assert_int_equal(kr_parse_shot("47.2s:a.png", &t, &file), 0);
    assert_int_equal(t, 47200 * KS_MSEC);
    assert_string_equal(file, "a.png");
    assert_int_equal(kr_parse_shot("2m:/tmp/b:c.png", &t, &file), 0);
    assert_int_equal(t, 2 * KS_MIN);
    assert_string_equal(file, "/tmp/b:c.png");
    assert_int_equal(kr_parse_shot("12:x.png", &t, &file), 0);
    assert_int_equal(t, 12 * KS_SEC);
    assert_int_equal(kr_parse_shot("x.png", &t, &file), -1);
    assert_int_equal(kr_parse_shot("12s:", &t, &file), -1);
    assert_int_equal(kr_parse_shot(":x.png", &t, &file), -1);
    assert_int_equal(kr_parse_shot("-3s:x.png", &t, &file), -1);
}

/* kr_blit_mask against SDL_RenderCopy: a ring-like mask with every
 * coverage, tints with and without alpha, partly off the surface and cut
 * by a clip rectangle; the fast path must be on with the SDL we ship on. */
static void test_render_blit_exact(void **state)
{
    enum { W = 64, H = 48, M = 20 };
    static const kr_color tints[] = {{0x00, 0x9E, 0x73, 255}, {0xD5, 0x5E, 0x00, 140},
                                     {0x1A, 0x1A, 0x1A, 255}, {255, 255, 255, 77}};
    SDL_Surface *m = SDL_CreateRGBSurfaceWithFormat(0, M, M, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Surface *sa = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Surface *sb = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Renderer *ra, *rb;
    SDL_Texture *tex;
    uint8_t *mask;
    int x, y, i;
    (void)state;
    assert_non_null(m);
    assert_non_null(sa);
    assert_non_null(sb);
    assert_true(kr_blit_exact());
    for (y = 0; y < M; y++)
        for (x = 0; x < M; x++)
            ((uint32_t *)((uint8_t *)m->pixels + y * m->pitch))[x] =
                (uint32_t)((x * 13 + y * 29) % 300 > 255 ? 255 : (x * 13 + y * 29) % 300) << 24
                | 0xFFFFFFu;
    for (y = 0; y < H; y++)
        for (x = 0; x < W; x++)
            ((uint32_t *)((uint8_t *)sa->pixels + y * sa->pitch))[x] =
                ((uint32_t *)((uint8_t *)sb->pixels + y * sb->pitch))[x] =
                    (uint32_t)(x * 4) << 16 | (uint32_t)(y * 5) << 8 | (uint32_t)(x * y & 255);
    ra = SDL_CreateSoftwareRenderer(sa);
    rb = SDL_CreateSoftwareRenderer(sb);
    assert_non_null(ra);
    assert_non_null(rb);
    tex = SDL_CreateTextureFromSurface(ra, m);
    mask = kr_blit_mask_of(m);
    assert_non_null(tex);
    assert_non_null(mask);
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    for (i = 0; i < 8; i++) {
        kr_color c = tints[i % 4];
        SDL_Rect clip = {5, 3, 40, 30};
        SDL_Rect src = {i % 3, i % 2, M - 3, M - 2};
        SDL_Rect dst = {i * 9 - 10, i * 7 - 8, M - 3, M - 2};
        SDL_RenderSetClipRect(ra, i >= 4 ? &clip : NULL);
        SDL_RenderSetClipRect(rb, i >= 4 ? &clip : NULL);
        SDL_SetTextureColorMod(tex, c.r, c.g, c.b);
        SDL_SetTextureAlphaMod(tex, c.a);
        SDL_RenderCopy(ra, tex, &src, &dst);
        assert_true(kr_blit_mask(rb, sb, mask, M, src.x, src.y, src.w, src.h, dst.x, dst.y, c));
    }
    SDL_RenderFlush(ra);
    for (y = 0; y < H; y++)
        for (x = 0; x < W; x++)
            assert_int_equal(((uint32_t *)((uint8_t *)sa->pixels + y * sa->pitch))[x] & 0xFFFFFFu,
                             ((uint32_t *)((uint8_t *)sb->pixels + y * sb->pitch))[x] & 0xFFFFFFu);
    /* opaque white is SDL's other blitter: not ours to draw */
    assert_false(kr_blit_mask(rb, sb, mask, M, 0, 0, M, M, 0, 0, (kr_color){255, 255, 255, 255}));
    free(mask);
    SDL_DestroyTexture(tex);
    SDL_DestroyRenderer(ra);
    SDL_DestroyRenderer(rb);
    SDL_FreeSurface(m);
    SDL_FreeSurface(sa);
    SDL_FreeSurface(sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_golden),
        cmocka_unit_test(test_render_deterministic),
        cmocka_unit_test(test_render_files),
        cmocka_unit_test(test_render_parse_shot),
        cmocka_unit_test(test_render_blit_exact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
