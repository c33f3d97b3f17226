/* kr_batch.c -- the window's words and shades for Jobs and CronJobs (see
 * kr_batch.h). Reads the sim through const pointers only.
 */
#include "kr_batch.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cluster/ks_workloads.h"
#include "core/ks_event.h"
#include "core/ks_time.h"

const char *const kr_cron_widest_next = "next Wed 00:00:00";
const char *const kr_cron_widest_in = "in 59 min";
const char *const kr_cron_widest_line = "now 00:00:00 UTC \xC2\xB7 99 active";

/* Whole seconds on the cluster's clock at simulated time t. */
static int64_t wall_of(const ks_sim *sim, ks_time t)
{
    return ks_cluster_clock(sim) + t / KS_SEC;
}

size_t kr_wall_format(const ks_sim *sim, ks_time t, ks_time today, char *buf, size_t n)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    int64_t w = wall_of(sim, t), d = wall_of(sim, today);
    ks_civil c;
    ks_civil_from_unix(w, &c);
    if (w / 86400 != d / 86400 || (w < 0) != (d < 0))
        return (size_t)snprintf(buf, n, "%s %02d:%02d:%02d", days[c.weekday], c.hour, c.minute,
                                c.second);
    return (size_t)snprintf(buf, n, "%02d:%02d:%02d", c.hour, c.minute, c.second);
}

/* "in 50 s" (seconds rounded up), "in 12 min", "in 3 h", "in 2 d". */
static void wait_text(ks_time d, char *buf, size_t n)
{
    long long s = (long long)((d + KS_SEC - 1) / KS_SEC);
    if (s < 100)
        snprintf(buf, n, "in %lld s", s < 0 ? 0 : s);
    else if (s < 60 * 60)
        snprintf(buf, n, "in %lld min", (s + 59) / 60);
    else if (s < 48 * 60 * 60)
        snprintf(buf, n, "in %lld h", (s + 3599) / 3600);
    else
        snprintf(buf, n, "in %lld d", (s + 86399) / 86400);
}

bool kr_cron_view_of(const ks_sim *sim, ks_id id, kr_cron_view *v)
{
    const ks_cronjob *cj = ks_cluster_cronjob(sim, id);
    ks_time now = ks_now(sim), from;
    char when[32];
    memset(v, 0, sizeof *v);
    v->progress = -1;
    if (!cj || !cj->spec)
        return false;
    snprintf(v->head, sizeof v->head, "CronJob %s", cj->name);
    snprintf(v->schedule, sizeof v->schedule, "%s", cj->spec->schedule);
    v->suspended = cj->spec->suspend;
    kr_wall_format(sim, now, now, when, sizeof when);
    snprintf(v->line, sizeof v->line, "now %s UTC \xC2\xB7 %zu active", when, cj->nactive);
    if (v->suspended) {
        snprintf(v->next, sizeof v->next, "suspended");
        return true;
    }
    if (cj->next_run < 0) {
        snprintf(v->next, sizeof v->next, "no next run");
        return true;
    }
    kr_wall_format(sim, cj->next_run, now, when, sizeof when);
    snprintf(v->next, sizeof v->next, "next %s", when);
    wait_text(cj->next_run - now, v->in, sizeof v->in);
    from = cj->last_schedule >= 0 ? cj->last_schedule : cj->created;
    if (cj->next_run > from)
        v->progress = (double)(now - from) / (double)(cj->next_run - from);
    if (v->progress > 1)
        v->progress = 1;
    if (v->progress < 0)
        v->progress = 0;
    return true;
}

double kr_done_fade(const ks_sim *sim, const ks_pod *p)
{
    const ks_job *j;
    ks_time done = -1, now = ks_now(sim);
    double f;
    size_t c;
    if (!p->status || strcmp(p->status, "Completed") != 0 || p->terminating
        || !(j = ks_cluster_job(sim, ks_cluster_owner(sim, p->id))))
        return 0;
    for (c = 0; c < p->ncontainers; c++)
        if (p->containers[c].state == KS_CS_TERMINATED && p->containers[c].finished_at > done)
            done = p->containers[c].finished_at;
    if (done < 0 || now <= done)
        return 0;
    f = (double)(now - done) / (double)KR_DONE_FADE;
    if (j->spec && j->spec->ttl_after_finished >= 0 && j->finished_at >= 0) {
        ks_time end = j->finished_at + j->spec->ttl_after_finished * KS_SEC;
        double g = end > done ? (double)(now - done) / (double)(end - done) : 1;
        if (g > f)
            f = g;
    }
    return f > 1 ? 1 : f;
}

kr_color kr_mix(kr_color a, kr_color b, double t)
{
    return (kr_color){(uint8_t)lround(a.r + (b.r - a.r) * t), (uint8_t)lround(a.g + (b.g - a.g) * t),
                      (uint8_t)lround(a.b + (b.b - a.b) * t), 255};
}

/* WCAG 2 relative luminance (sRGB) */
static double luminance(kr_color c)
{
    static const double w[3] = {0.2126, 0.7152, 0.0722};
    double v[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0}, y = 0;
    int i;
    for (i = 0; i < 3; i++)
        y += w[i] * (v[i] <= 0.03928 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4));
    return y;
}

double kr_contrast(kr_color a, kr_color b)
{
    double la = luminance(a) + 0.05, lb = luminance(b) + 0.05;
    return la > lb ? la / lb : lb / la;
}

kr_color kr_done_pill(kr_tone tone, double fade, kr_color *ink)
{
    kr_color fill = kr_mix(kr_tone_color(tone), KR_C_CARD, KR_DONE_VEIL * fade);
    if (fade <= 0)
        *ink = kr_tone_text(tone);
    else
        /* white or black: one of them reaches 4.58:1 on any colour */
        *ink = kr_contrast(fill, KR_RGB(0xFFFFFF)) >= kr_contrast(fill, KR_OI_BLACK)
                   ? KR_RGB(0xFFFFFF) : KR_OI_BLACK;
    return fill;
}
