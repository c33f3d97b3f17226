/* kr_live.c -- the window over a cluster whose time it does not move (live
 * mode: kr_app_config.live, kubesim serve --window; or kubesim run's window
 * once its S key served the API, kr_app_config.serve), and what a frame
 * shows as text (kr_app_config.state_file).
 *
 * In live mode the simulation is the caller's: an API server's, whose
 * writes become kubectl steps of the run (kept for serve --record). So the
 * window's pod and node actions go the same way, as the kubectl lines that
 * do them on a real cluster: delete pod, cordon, uncordon, drain, and a
 * container killed from inside (`kubectl exec POD -- sh -c 'kill 1'`: its
 * main process ends on SIGTERM, exit 143, and the kubelet restarts it). A
 * machine failure has no kubectl line: the window says so.
 */
#include <stdio.h>
#include <string.h>

#include "kr_appi.h"
#include "cluster/ks_cluster.h"
#include "core/ks_event.h"
#include "core/ks_strbuf.h"

const char *kr_live_action_line(kr_app *a, kr_act kind, const char *ns, const char *name,
                                int arg, char *buf, size_t n)
{
    ns = ns && ns[0] ? ns : "default";
    switch (kind) {
    case KR_ACT_KILL:
        snprintf(buf, n, "exec %s -n %s -- sh -c \"kill 1\"", name, ns);
        return buf;
    case KR_ACT_DELETE:
        snprintf(buf, n, "delete pod %s -n %s", name, ns);
        return buf;
    case KR_ACT_NODE:
        if (arg == KS_NODE_CORDON || arg == KS_NODE_UNCORDON) {
            snprintf(buf, n, "%s %s", arg == KS_NODE_CORDON ? "cordon" : "uncordon", name);
            return buf;
        }
        if (arg == KS_NODE_DRAIN) {
            snprintf(buf, n, "drain %s --ignore-daemonsets --delete-emptydir-data --force", name);
            return buf;
        }
        kr_app_toast(a, "A machine failure is no kubectl command: POST /kubesim/v1/nodes/%s/%s",
                     name, arg == KS_NODE_FAIL ? "fail" : "recover");
        return NULL;
    case KR_ACT_KUBECTL:
        break;
    }
    snprintf(buf, n, "%s", name);
    return buf;
}

void kr_live_announce(kr_app *a, const char *line)
{
    kr_view *v = &a->sc.view;
    snprintf(a->serving, sizeof a->serving, "%s", line);
    v->live = a->serving;           /* in the status bar while served */
    /* the line to type, in the terminal panel until the next command */
    snprintf(v->output, sizeof v->output, "# your kubectl, from now on:\n$ %s\n", line);
    v->output_open = true;
    v->output_at = ks_now(a->sim);
}

void kr_live_serve(kr_app *a)
{
    kr_view *v = &a->sc.view;
    char line[sizeof a->serving];
    if (a->live_mode) {
        kr_app_toast(a, "Serving the Kubernetes API: %s",
                     a->serving[0] ? a->serving : "kubectl in a terminal drives this cluster");
        return;
    }
    if (!a->cfg->serve) {
        kr_app_toast(a, "This window serves no API: kubesim serve LESSON --window does");
        return;
    }
    if (a->cfg->serve(a->cfg->ud, a->sim, v->playing, v->speed, line, sizeof line) != 0) {
        kr_app_toast(a, "%s", line);
        return;
    }
    a->live_mode = true;
    kr_live_announce(a, line);
    kr_app_toast(a, "Serving the Kubernetes API: kubectl in a terminal drives this cluster");
}

static unsigned long hash_of(const char *s, size_t len)
{
    unsigned long h = 5381;
    size_t i;
    for (i = 0; i < len; i++)
        h = h * 33 + (unsigned char)s[i];
    return h;
}

/* One line of text, newlines made spaces. */
static void put_line(ks_strbuf *b, const char *key, const char *text)
{
    const char *p;
    ks_strbuf_printf(b, "%s ", key);
    for (p = text; *p; p++)
        ks_strbuf_putc(b, *p == '\n' ? ' ' : *p);
    ks_strbuf_putc(b, '\n');
}

/* The state, written whole (a temporary file renamed) when it changed: the
 * clock as the top bar shows it, play/pause, the speed, the caption, the
 * terminal panel's command, the status bar's kubeconfig line (live), and
 * each pod shown on a card with its STATUS
 * and node -- what a test asks of the frame. */
void kr_live_write_state(kr_app *a)
{
    const kr_view *v = &a->sc.view;
    ks_strbuf b;
    size_t i;
    unsigned long h;
    char tmp[1100], first[300];
    FILE *f;
    ks_strbuf_init(&b, NULL);
    ks_strbuf_printf(&b, "time %.1f\n", (double)(ks_now(a->sim) / (KS_SEC / 10)) / 10);
    ks_strbuf_printf(&b, "playing %s\nspeed %g\n", v->playing ? "true" : "false", v->speed);
    put_line(&b, "caption", v->caption);
    snprintf(first, sizeof first, "%.*s", (int)strcspn(v->output, "\n"), v->output);
    put_line(&b, "terminal", v->output_open ? first : "");
    if (v->live)                    /* the status bar's line, while served */
        put_line(&b, "serving", v->live);
    for (i = 0; i < a->sc.lay.npod; i++) {
        const kr_pod_place *pp = &a->sc.lay.pod[i];
        const ks_pod *p = pp->r.w > 0 ? ks_cluster_pod(a->sim, pp->pod) : NULL;
        const ks_node *nd = p && p->node ? ks_cluster_node(a->sim, p->node) : NULL;
        if (p)
            ks_strbuf_printf(&b, "pod %s/%s %s %s\n", p->ns, p->name,
                              p->status ? p->status : "Unknown", nd ? nd->name : "-");
    }
    h = hash_of(ks_strbuf_str(&b), b.len);
    if (h != a->state_hash) {
        snprintf(tmp, sizeof tmp, "%s.tmp", a->cfg->state_file);
        if ((f = fopen(tmp, "w")) != NULL) {
            fputs(ks_strbuf_str(&b), f);
            if (fclose(f) == 0 && rename(tmp, a->cfg->state_file) == 0)
                a->state_hash = h;
        }
    }
    ks_strbuf_fini(&b);
}
