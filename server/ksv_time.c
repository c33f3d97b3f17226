/* ksv_time.c -- simulated time as the wall-clock times objects show.
 *
 * kubectl computes ages (describe's Events, AGE of -o wide's printers it
 * runs itself) as the client's now minus a timestamp, and prints <invalid>
 * for a time in the future (duration.HumanDuration of a negative span). The
 * simulation is paced to the wall clock x speed, but a client may run it
 * ahead (PUT /kubesim/v1/clock runTo, a proxied request run until answered)
 * or stop it (paused), so a fixed "epoch + t / speed" puts times ahead of
 * the wall after a runTo, and behind it after a pause.
 *
 * The map: a list of segments, each from a simulated instant on, with
 * wall(t) = max(floor, offset + t / speed) at the speed then in force (the
 * window's +/- keys and PUT /kubesim/v1/clock change it: a new segment). It grows only when simulated
 * time that has not been shown yet is asked for (an object built after the
 * simulation moved), and only forwards, so a time once shown never changes
 * (an object's JSON does not change by itself). When asked, the simulated
 * now is mapped to the wall's now (offset = wall_now - now / speed): while
 * the clock follows the wall this is the offset already in force (within
 * TOLERANCE_US, kept, so no new segment), after a pause it is later (a new
 * segment: the time jumps over the pause, ages of new objects read true),
 * after a runTo it is earlier (a new segment whose floor is the last time
 * shown: the instants run ahead are squeezed to the past, the newest
 * reading as now). Instants after the simulated now use the newest
 * segment, which a later segment may change; a time set once for the
 * future (a deletionTimestamp: deleted at + grace) is mapped from its base
 * instead (ksv_wall_after_us), so that it never moves.
 *
 * Without a wall clock (ksv_ctx.wall_us NULL: the unit tests, the fuzz
 * target) the map is epoch + t / speed, deterministic. */
#include "ksv_json.h"

#include <stdlib.h>

#include "core/ks_event.h"

/* How far the wall may run ahead of the map before a new segment starts:
   a serve loop's advance takes a few milliseconds; the times shown have
   whole seconds (logs: nanoseconds, but only their order matters). */
#define TOLERANCE_US 250000.0

typedef struct segment {
    ks_time start;            /* for instants after this one */
    double offset;            /* microseconds since 1970 of simulated 0 */
    double floor;             /* no earlier than this */
    double speed;             /* simulated seconds per wall second */
} segment;

struct ksv_timemap {
    segment *seg;
    size_t n, cap;
    ks_time last_s;           /* the newest simulated instant mapped */
    double last_w;            /* its wall time */
};

static double speed(const ksv_ctx *c)
{
    return c->speed > 0 ? c->speed : 1;
}

ksv_timemap *ksv_timemap_create(const ksv_ctx *c, ks_time now)
{
    ksv_timemap *m = calloc(1, sizeof *m);
    if (!m || !(m->seg = malloc(8 * sizeof *m->seg))) {
        free(m);
        return NULL;
    }
    m->cap = 8;
    m->n = 1;
    m->seg[0].start = INT64_MIN;
    m->seg[0].offset = (double)c->epoch_us;
    m->seg[0].floor = -1e300;
    m->seg[0].speed = speed(c);
    m->last_s = now;
    m->last_w = (double)c->epoch_us + (double)now / speed(c);
    return m;
}

void ksv_timemap_destroy(ksv_timemap *m)
{
    if (m) {
        free(m->seg);
        free(m);
    }
}

static double at(const segment *s, ks_time t)
{
    double w = s->offset + (double)t / s->speed;
    return w > s->floor ? w : s->floor;
}

/* Maps the simulated now to the wall's now, if it is new. */
static void extend(const ksv_ctx *c, ksv_timemap *m)
{
    ks_time now = ks_now(c->sim);
    double v = speed(c), wall, offset;
    segment *cur = &m->seg[m->n - 1];
    if (now <= m->last_s)
        return;
    wall = (double)c->wall_us();
    if (wall < m->last_w)
        wall = m->last_w;                  /* the wall clock was set back */
    offset = wall - (double)now / v;
    if (v == cur->speed && offset >= cur->offset && offset - cur->offset < TOLERANCE_US) {
        m->last_s = now;                   /* following the wall: as it was */
        m->last_w = at(cur, now);
        return;
    }
    if (m->n == m->cap) {
        segment *s = realloc(m->seg, 2 * m->cap * sizeof *s);
        if (!s)
            return;                        /* out of memory: the old map goes on */
        m->seg = s;
        m->cap *= 2;
    }
    m->seg[m->n++] = (segment){m->last_s, offset, m->last_w, v};
    m->last_s = now;
    m->last_w = at(&m->seg[m->n - 1], now);
}

/* The segment simulated t falls in (the last one starting before it). */
static const segment *segment_of(const ksv_timemap *m, ks_time t)
{
    size_t lo = 0, hi = m->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->seg[mid].start < t)
            lo = mid;
        else
            hi = mid;
    }
    return &m->seg[lo];
}

double ksv_wall_us(const ksv_ctx *c, ks_time t)
{
    ksv_timemap *m = c->time;
    if (!m || !c->wall_us)
        return (double)c->epoch_us + (double)t / speed(c);
    if (t > m->last_s)
        extend(c, m);
    return at(segment_of(m, t), t);
}

double ksv_wall_after_us(const ksv_ctx *c, ks_time base, ks_time t)
{
    ksv_timemap *m = c->time;
    double w = ksv_wall_us(c, base);
    if (!m || !c->wall_us)
        return w + (double)(t - base) / speed(c);
    return w + (double)(t - base) / segment_of(m, base)->speed;
}
