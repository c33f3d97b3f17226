/* ks_runner.c -- a scenario's run: its sim and cluster, the apply at 0s,
 * the timeline, the events that check expectations, and the fingerprint.
 * See ks_runner.h. The apply and the timeline's steps are in
 * ks_runner_steps.c, checking each kind in ks_runner_expect.c (explained by
 * ks_runner_why.c), loading the manifests in ks_runner_load.c.
 *
 * Order of things at one instant (the event core orders by time, priority,
 * insertion): the apply at 0s runs first (KS_PRIO_FIRST); timeline steps
 * run at KS_PRIO_DEFAULT in their stable order by `at`, before anything
 * the cluster schedules later for the same instant; expectations are
 * checked by events at KS_PRIO_LAST, a priority nothing else uses, so a
 * check sees everything that happened at its instant. While a `during:`
 * window is open, each instant at which the trace moves gets one such
 * check event (checking between two events of one instant would see
 * half-done changes). Because checks are events, a caller that advances
 * the sim itself (the window: ks_run_until) gets them too.
 */
#include "ks_runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/runner.h"
#include "core/ks_event.h"
#include "core/ks_trace.h"
#include "world/ks_world.h"


static void watch_windows(ks_run *run, const ks_trace_event *ev);

/* ---- the trace: fingerprint, window watch, pod labels --------------------------- */
static void on_trace(void *ud, const ks_trace_event *ev)
{
    ks_run *run = ud;
    if (!run->opt.no_fingerprint)
        run->fp = ks_trace_hash(run->fp, ev);
    if (run->nwin_open)
        watch_windows(run, ev);
    if (run->want_labels && (ev->type == KS_TR_STATUS || ev->type == KS_TR_EVENT))
        ksi_run_track_pods(run);
    if (ev->type == KS_TR_RECORDS && ev->reason && strcmp(ev->reason, "Lost") == 0) {
        char at[32];
        ks_duration_format(ev->t, at, sizeof at);
        if (run->nlost == 3) {
            memmove(run->lost[0], run->lost[1], sizeof run->lost - sizeof run->lost[0]);
            run->nlost--;
        }
        snprintf(run->lost[run->nlost++], sizeof run->lost[0], "%lld record%s lost at %s "
                 "from %s: %s", (long long)ev->n[0], ev->n[0] == 1 ? " was" : "s were",
                 at, ev->name ? ev->name : "?", ev->msg ? ev->msg : "");
    }
}

uint64_t ks_run_fingerprint(const ks_run *run)
{
    return run->fp;
}

void ks_run_fingerprint_hex(const ks_run *run, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)run->fp);
}

/* ---- deciding expectations -------------------------------------------------------- */
const char *ks_expect_state_name(ks_expect_state s)
{
    static const char *const names[] = {"PENDING", "PASS", "FAIL", "NOT REACHED"};
    return (unsigned)s < 4 ? names[s] : "?";
}

static void decide(ks_run *run, ks_expect_result *r, ks_expect_state state)
{
    static const char *const reasons[] = {"Pending", "Pass", "Fail", "NotReached"};
    r->state = state;
    r->at = ks_now(run->sim);
    {
        ks_trace_event ev;
        char msg[1200];
        if (state == KS_EXPECT_NOT_REACHED)
            snprintf(msg, sizeof msg, "%s: %s", r->expected, r->why);
        else
            snprintf(msg, sizeof msg, "%s; got %s%s%s", r->expected, r->actual,
                     state == KS_EXPECT_FAIL && r->why[0] ? " -- " : "",
                     state == KS_EXPECT_FAIL ? r->why : "");
        memset(&ev, 0, sizeof ev);
        ev.type = KS_TR_EXPECT;
        ev.kind = r->kind;
        ev.name = r->what;
        ev.reason = reasons[state];
        ev.msg = msg;
        ev.n[0] = state == KS_EXPECT_PASS;
        ev.n[1] = (int64_t)r->index;
        ks_trace_emit(run->sim, &ev);
    }
}

static void close_window(ks_run *run, size_t i)
{
    if (run->win_open[i]) {
        run->win_open[i] = 0;
        run->nwin_open--;
    }
}

/* Checks an open window now; the first failure decides it. */
static void check_window(ks_run *run, size_t i)
{
    ks_expect_result *r = &run->res[i], tmp = *r;
    if (ksi_run_check(run, &tmp)) {
        memcpy(r->actual, tmp.actual, sizeof r->actual);
        return;
    }
    *r = tmp;
    decide(run, r, KS_EXPECT_FAIL);
    close_window(run, i);
}

static void check_open_windows(ks_run *run)
{
    bool all = run->dirty, req = run->dirty_requests;
    size_t i;
    run->dirty = run->dirty_requests = false;
    for (i = 0; i < run->nres && run->nwin_open; i++)
        if (run->win_open[i] && (all || (req && run->res[i].exp->kind == KS_SCN_EXP_REQUESTS)))
            check_window(run, i);
}

static void finish(ks_run *run)
{
    size_t i;
    char end[32];
    ks_duration_format(run->end, end, sizeof end);
    for (i = 0; i < run->nres; i++) {
        ks_expect_result *r = &run->res[i];
        if (r->state != KS_EXPECT_PENDING)
            continue;
        snprintf(r->why, sizeof r->why, "not checked: the run ended at %s, before %s", end,
                 r->exp->during ? "the window closed" : "its time");
        close_window(run, i);
        decide(run, r, KS_EXPECT_NOT_REACHED);
    }
    run->done = true;
}

/* A checkpoint's event: at KS_PRIO_LAST, which nothing else in the
 * simulation uses, so it runs after everything else at its instant. */
static void on_checkpoint(ks_sim *sim, void *subject, uint64_t arg)
{
    ks_run *run = subject;
    const ksi_checkpoint *cp = &run->cps[arg];
    ks_expect_result *r = cp->kind == KSI_CP_FINISH ? NULL : &run->res[cp->exp];
    (void)sim;
    if (run->done)
        return;
    switch (cp->kind) {
    case KSI_CP_AT:
        decide(run, r, ksi_run_check(run, r) ? KS_EXPECT_PASS : KS_EXPECT_FAIL);
        break;
    case KSI_CP_WIN_START:
        run->win_open[cp->exp] = 1;
        run->nwin_open++;
        check_window(run, cp->exp);
        break;
    case KSI_CP_WIN_END:
        if (!run->win_open[cp->exp])
            break;                  /* failed already */
        check_window(run, cp->exp);
        if (r->state == KS_EXPECT_PENDING) {
            close_window(run, cp->exp);
            decide(run, r, KS_EXPECT_PASS);
        }
        break;
    case KSI_CP_FINISH:
        if (ks_now(run->sim) < run->end) {
            /* the run was extended (ks_run_extend): it finishes there */
            ks_event_post(run->sim, run->end, KS_PRIO_LAST, on_checkpoint, run, arg);
            break;    /* (a failure to post marks the sim failed: the run stops) */
        }
        finish(run);
        break;
    }
}

/* The open windows, once the instant at which the trace moved is over. */
static void on_windows(ks_sim *sim, void *subject, uint64_t arg)
{
    ks_run *run = subject;
    (void)sim;
    (void)arg;
    run->windows_due = -1;
    if (!run->done)
        check_open_windows(run);
}

/* Called for every trace event while a window is open. */
static void watch_windows(ks_run *run, const ks_trace_event *ev)
{
    /* a request's hops change nothing a window looks at; its end changes
     * only `requests` counts */
    if (ev->type == KS_TR_HOP)
        return;
    if (ev->type == KS_TR_REQUEST)
        run->dirty_requests = true;
    else
        run->dirty = true;
    if (run->windows_due != ev->t) {
        run->windows_due = ev->t;
        ks_event_post(run->sim, ev->t, KS_PRIO_LAST, on_windows, run, 0);   /* or fails the sim */
    }
}

/* ---- running ------------------------------------------------------------------------ */
uint64_t ks_run_advance(ks_run *run, ks_time t)
{
    uint64_t n;
    if (t > run->end)
        t = run->end;
    run->paused = false;
    n = ks_run_until(run->sim, t);     /* stops early at a pause */
    return n;
}

int ks_run_to_end(ks_run *run)
{
    while (!run->done && ks_sim_status(run->sim) == KS_OK)
        ks_run_advance(run, run->end);
    return ks_sim_status(run->sim);
}

bool ks_run_done(const ks_run *run)
{
    return run->done;
}

int ks_run_extend(ks_run *run, ks_time until)
{
    size_t i;
    if (until <= run->end || until <= ks_now(run->sim))
        return KS_EINVAL;
    run->end = until;
    if (!run->done)
        return KS_OK;             /* the finish, when its time comes, moves on */
    /* finished already: its results stay; it runs on, to finish again */
    for (i = 0; i < run->ncps && run->cps[i].kind != KSI_CP_FINISH; i++)
        ;
    if (i == run->ncps)
        return KS_EINVAL;
    if (ks_event_post(run->sim, until, KS_PRIO_LAST, on_checkpoint, run, i) != KS_OK)
        return ks_sim_status(run->sim);
    run->done = false;
    return KS_OK;
}

/* ---- creation ---------------------------------------------------------------------- */
static int cmp_step(const void *a, const void *b)
{
    const ks_scn_step *x = *(const ks_scn_step *const *)a, *y = *(const ks_scn_step *const *)b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x < y ? -1 : x > y;         /* stable: the file order */
}

static int cmp_cp(const void *a, const void *b)
{
    const ksi_checkpoint *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if ((x->kind == KSI_CP_FINISH) != (y->kind == KSI_CP_FINISH))
        return x->kind == KSI_CP_FINISH ? 1 : -1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int plan_expectations(ks_run *run)
{
    const ks_scenario *sc = run->sc;
    size_t i, k = 0;
    run->nres = sc->nexpect;
    run->res = ks_arena_alloc(run->ar, (sc->nexpect + 1) * sizeof *run->res);
    run->win_open = ks_arena_alloc(run->ar, sc->nexpect + 1);
    run->cps = ks_arena_alloc(run->ar, (2 * sc->nexpect + 1) * sizeof *run->cps);
    if (!run->res || !run->win_open || !run->cps)
        return KS_ENOMEM;
    for (i = 0; i < sc->nexpect; i++) {
        const ks_scn_expect *e = &sc->expect[i];
        ks_expect_result *r = &run->res[i];
        r->exp = e;
        r->index = i;
        ksi_run_describe(run, r);
        if (e->kind == KS_SCN_EXP_EVENTS && e->selector.text)
            run->want_labels = true;
        if (e->during) {
            run->cps[k++] = (ksi_checkpoint){e->from, KSI_CP_WIN_START, i, 2 * i};
            run->cps[k++] = (ksi_checkpoint){e->until, KSI_CP_WIN_END, i, 2 * i + 1};
        } else {
            run->cps[k++] = (ksi_checkpoint){e->at_end ? run->end : e->at, KSI_CP_AT, i, 2 * i};
        }
    }
    run->cps[k++] = (ksi_checkpoint){run->end, KSI_CP_FINISH, 0, 0};
    run->ncps = k;
    qsort(run->cps, k, sizeof *run->cps, cmp_cp);
    /* in order, so equal times keep it (the finish comes last) */
    for (i = 0; i < k && run->cps[i].t <= run->end; i++)
        if (ks_event_post(run->sim, run->cps[i].t, KS_PRIO_LAST, on_checkpoint, run, i) != KS_OK)
            return ks_sim_status(run->sim);
    return KS_OK;
}

static int make_cluster(ks_run *run)
{
    const ks_scenario *sc = run->sc;
    ks_world_config cc;
    const ks_object **nodes = ks_arena_alloc(run->ar, (sc->nnodes + 1) * sizeof *nodes);
    size_t i;
    if (!nodes)
        return KS_ENOMEM;
    for (i = 0; i < sc->nnodes; i++) {
        ks_object *o = ks_arena_alloc(run->ar, sizeof *o);
        if (!o)
            return KS_ENOMEM;
        o->kind = KS_KIND_NODE;
        o->api_version = "v1";
        o->meta.name = sc->nodes[i].name;
        o->meta.ns = "";
        o->meta.labels = sc->nodes[i].labels;
        o->meta.mark = o->mark = sc->nodes[i].mark;
        o->u.node.cpu = sc->nodes[i].cpu_milli;
        o->u.node.memory = sc->nodes[i].memory_bytes;
        o->u.node.max_pods = 110;
        nodes[i] = o;
    }
    memset(&cc, 0, sizeof cc);
    cc.catalog = run->catalog;
    cc.nodes = nodes;
    cc.nnodes = sc->nnodes;
    cc.no_ingress_controller = !sc->ingress_nginx;
    cc.metrics_server = sc->metrics_server;
    cc.network_policy = sc->network_policy;
    cc.clock = sc->clock;
    return ks_world_init(run->sim, &cc);
}

static int schedule(ks_run *run)
{
    const ks_scenario *sc = run->sc;
    size_t i;
    run->nsteps = sc->ntimeline;
    run->steps = ks_arena_alloc(run->ar, (sc->ntimeline + 1) * sizeof *run->steps);
    if (!run->steps)
        return KS_ENOMEM;
    for (i = 0; i < sc->ntimeline; i++)
        run->steps[i] = &sc->timeline[i];
    qsort(run->steps, run->nsteps, sizeof *run->steps, cmp_step);
    if (ks_event_post(run->sim, 0, KS_PRIO_FIRST, ksi_run_apply, run, 0) != KS_OK)
        return ks_sim_status(run->sim);
    if (run->opt.default_traffic
        && ks_event_post(run->sim, 0, KS_PRIO_DEFAULT, ksi_run_default_traffic, run, 0) != KS_OK)
        return ks_sim_status(run->sim);
    for (i = 0; i < run->nsteps; i++)
        if (run->steps[i]->at <= run->end
            && ks_event_post(run->sim, run->steps[i]->at, KS_PRIO_DEFAULT, ksi_run_step, run, i)
                   != KS_OK)
            return ks_sim_status(run->sim);
    return KS_OK;
}

ks_run *ks_run_create(const ks_scenario *sc, const ks_catalog *base_catalog,
                      const ks_run_options *opt, ks_diags *d)
{
    ks_run_options o;
    ks_sim_config cfg;
    ks_catalog *cat;
    ks_diags *unknown = NULL;
    size_t *ufirst = NULL, e;
    ks_run *run;
    int rc = KS_ENOMEM, i;
    memset(&o, 0, sizeof o);
    if (opt)
        o = *opt;
    if (!o.alloc.fn)
        o.alloc = ks_allocator_default();
    run = ks_mem_calloc(&o.alloc, 1, sizeof *run);
    if (!run)
        goto err;
    run->sc = sc;
    run->opt = o;               /* first: ks_run_destroy frees through it */
    if (!(unknown = ks_mem_alloc(&o.alloc, sizeof *unknown)))
        goto err;
    run->fp = o.no_fingerprint ? 0 : KS_TRACE_HASH_SEED;
    run->windows_due = -1;
    run->end = o.until_set ? o.until : sc->duration;
    run->ar = ks_arena_create(&o.alloc);
    if (!run->ar)
        goto err;
    /* the manifests first: bad input stops here, before any sim exists */
    run->first = ks_arena_alloc(run->ar, (sc->nmanifests + 1) * sizeof *run->first);
    ufirst = ks_arena_alloc(run->ar, (sc->nmanifests + 1) * sizeof *ufirst);
    if (!run->first || !ufirst)
        goto err;
    ks_diags_init(unknown);
    /* what the run would trip on later is bad input now, as for check */
    rc = ks_run_check_kubectl(sc, d);
    if (rc == KS_OK)
        rc = ksi_run_load(run->ar, sc, &run->m, run->first, d, unknown, ufirst);
    if (rc == KS_OK)
        rc = ksi_run_load_step_files(sc, d, d);  /* their unknown kinds: errors too */
    if (rc != KS_OK)
        goto err;
    rc = KS_ENOMEM;
    /* unknown kinds: errors for the caller's exit code; the run goes on */
    for (i = 0; i < unknown->n; i++)
        ks_diag_add(d, &unknown->items[i].err);
    run->unknown = ks_arena_alloc(run->ar, ((size_t)unknown->n + 1) * sizeof *run->unknown);
    if (!run->unknown)
        goto err;
    for (e = 0, i = 0; i < unknown->n; i++) {
        while (e + 1 < sc->nmanifests && (size_t)i >= ufirst[e + 1])
            e++;
        /* as kubectl says it, without the file's place (see apply_manifests) */
        run->unknown[i].text = ks_arena_printf(run->ar, "error: %s", unknown->items[i].err.msg);
        run->unknown[i].entry = e;
        if (!run->unknown[i].text)
            goto err;
    }
    run->nunknown = (size_t)unknown->n;
    ks_mem_free(&o.alloc, unknown, sizeof *unknown);
    unknown = NULL;
    if (ks_catalog_with_overrides(run->ar, base_catalog, sc->images, sc->nimages, &cat) != KS_OK)
        goto err;
    run->catalog = cat;
    memset(&cfg, 0, sizeof cfg);
    cfg.seed = o.seed_set ? o.seed : sc->seed;
    cfg.alloc = o.alloc;
    if (!(run->sim = ks_sim_create(&cfg)))
        goto err;
    if (ks_trace_subscribe(run->sim, on_trace, run) != 0
        || (o.trace && ks_trace_subscribe(run->sim, o.trace, o.trace_ud) != 0))
        goto err;
    if (make_cluster(run) != KS_OK || plan_expectations(run) != KS_OK || schedule(run) != KS_OK)
        goto err;
    return run;
err:
    if (rc == KS_ENOMEM)
        ks_diag_error(d, KS_ENOMEM, (ks_mark){sc->file, 0, 0}, "out of memory");
    if (unknown)
        ks_mem_free(&o.alloc, unknown, sizeof *unknown);
    ks_run_destroy(run);
    return NULL;
}

void ks_run_destroy(ks_run *run)
{
    ks_allocator a;
    if (!run)
        return;
    a = run->opt.alloc;
    if (run->sim) {
        /* tearing the cluster down may still trace (data going away):
         * nobody listens any more */
        ks_trace_unsubscribe(run->sim, on_trace, run);
        if (run->opt.trace)
            ks_trace_unsubscribe(run->sim, run->opt.trace, run->opt.trace_ud);
    }
    ks_sim_destroy(run->sim);        /* first: the cluster uses the catalog */
    ks_mem_free(&a, run->labels, run->labels_cap * sizeof *run->labels);
    ks_arena_destroy(run->ar);
    ks_mem_free(&a, run, sizeof *run);
}

/* ---- accessors ----------------------------------------------------------------------- */
ks_sim *ks_run_sim(ks_run *run)
{
    return run->sim;
}

const ks_scenario *ks_run_scenario(const ks_run *run)
{
    return run->sc;
}

ks_time ks_run_end(const ks_run *run)
{
    return run->end;
}

size_t ks_run_result_count(const ks_run *run)
{
    return run->nres;
}

const ks_expect_result *ks_run_result(const ks_run *run, size_t i)
{
    return i < run->nres ? &run->res[i] : NULL;
}

void ks_run_tally(const ks_run *run, size_t *passed, size_t *failed, size_t *not_reached)
{
    size_t i, c[4] = {0, 0, 0, 0};
    for (i = 0; i < run->nres; i++)
        c[run->res[i].state]++;
    if (passed)
        *passed = c[KS_EXPECT_PASS];
    if (failed)
        *failed = c[KS_EXPECT_FAIL];
    if (not_reached)
        *not_reached = c[KS_EXPECT_NOT_REACHED];
}
