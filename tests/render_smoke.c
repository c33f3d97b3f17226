/* render_smoke.c -- the real window, briefly (run by check_window.sh under
 * Xvfb): it opens, plays, takes a script of keys, text and clicks that
 * touches every control (selection, menus, kill, delete, logs, node
 * actions, the kubectl prompt, help, panel, speed, stepping, jumping back,
 * restart), takes a screenshot from the window, and closes cleanly.
 *     render_smoke OUTDIR
 * Exit 0 when the window ran and OUTDIR/window.png was written. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kr_app.h"
#include "render_fixture.h"

#define LESSON                                                                             \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"               \
    "  replicas: 3\n  selector: {matchLabels: {app: web}}\n"                              \
    "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"                        \
    "      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n"       \
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: crash}\nspec:\n"                    \
    "  containers: [{name: app, image: busybox, command: [sh, -c, 'exit 1']}]\n"          \
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"                  \
    "  selector: {app: web}\n  ports: [{port: 80}]\n"

/* A stand-in for the kubectl interpreter: echoes the line. */
static int echo_kubectl(void *ud, ks_sim *sim, const char *line, char *out, size_t n,
                        struct ks_kubectl_tables *tables)
{
    (void)ud;
    (void)sim;
    (void)tables;
    snprintf(out, n, "(smoke test) would run: kubectl %s\n", line);
    return 0;
}

int main(int argc, char **argv)
{
    static const char script[] =
        "wait wait wait wait wait wait wait wait wait wait wait wait wait wait wait wait "
        "wait wait wait wait wait wait wait wait wait wait wait wait wait wait "
        "Tab Return Down Up Return wait Tab Tab Return Escape Tab K wait D wait L wait L "
        "move:640,300 move:300,300 click:300,300 wait Escape click:200,250 Escape "
        "Tab Tab Tab Tab Tab F wait F C C Escape "
        "text:? wait text:? text:: text:get_pods Return Up Down Up Return BackSpace Escape Escape "
        "P wait P text:+ text:+ text:- text:] text:[ Space Right Right Left wait "
        "click:600,712 wait Space R wait wait F11 F11 wait";
    char shot[600];
    const char *shots[1] = {shot};
    kr_app_config c;
    rfix f;
    struct stat st;
    int rc;
    if (argc < 2) {
        fprintf(stderr, "usage: render_smoke OUTDIR\n");
        return 2;
    }
    if (rfix_init(&f, KS_ASSETS_DIR, NULL, LESSON, 1) != 0)
        return 3;
    snprintf(shot, sizeof shot, "1s:%s/window.png", argv[1]);
    remove(shot + 3);
    kr_app_config_init(&c);
    c.create = rfix_create;
    c.ud = &f;
    c.kubectl = echo_kubectl;
    c.title = "Smoke test: the real window";
    c.duration = 30 * KS_SEC;
    c.speed = 4;
    c.screenshots = shots;
    c.nscreenshots = 1;
    c.input_script = script;
    c.max_frames = 180;
    rc = kr_app_run(&c);
    rfix_fini(&f);
    if (rc != KR_OK) {
        fprintf(stderr, "render_smoke: kr_app_run returned %d\n", rc);
        return 1;
    }
    if (stat(shot + 3, &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "render_smoke: %s was not written\n", shot + 3);
        return 1;
    }
    printf("render_smoke: the window ran 180 frames and wrote %s\n", shot + 3);
    return 0;
}
