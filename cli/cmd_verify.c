/* cmd_verify.c -- `kubesim verify SCENARIO...`: each scenario run by kubesim
 * and on a cluster (verify/), and a report that puts each expectation's two
 * outcomes side by side, the differences first.
 * Exit 0 when every expectation both sides can answer agrees, 1 when one
 * differs, 2 on bad input (a scenario, the kubeconfig, a cluster that cannot
 * be reached), 3 on an internal error.
 */
#ifdef KUBESIM_VERIFY
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/ks_scenario.h"
#include "../verify/kvf_kubeconfig.h"
#include "../verify/kvf_verify.h"
#include "commands.h"
#include "runcli.h"

typedef struct verified {
    const char *path;
    const ks_scenario *sc;
    kvf_report rep;
    bool ran;
    char error[600];
} verified;

static const char *sim_word(const ks_expect_result *r)
{
    return ks_expect_state_name(r->state);
}

static void print_row(FILE *f, const kvf_row *r)
{
    fprintf(f, "  %-6s %-9s %s %s: %s\n", r->differ ? "DIFFER" : r->sampling ? "SAMPLE"
                                          : r->decided ? "agree" : "--",
            r->sim.when, r->sim.kind, r->sim.what, r->sim.expected);
    fprintf(f, "           kubesim: %-5s %s\n", sim_word(&r->sim), r->sim.actual);
    fprintf(f, "           cluster: %-5s %s\n", kvf_obs_state_name(r->cluster.state),
            r->cluster.actual);
    if (r->cluster.why[0] && r->cluster.state != KVF_OBS_PASS)
        fprintf(f, "                    why: %s\n", r->cluster.why);
}

static void print_report(FILE *f, const verified *v)
{
    const kvf_report *rep = &v->rep;
    size_t i;
    fprintf(f, "%s (%s): on %s, context %s, namespace %s; time: %s\n",
            v->sc->name, v->path, rep->server, rep->context, rep->ns, rep->clock);
    if (rep->differ) {
        fprintf(f, " differences:\n");
        for (i = 0; i < rep->nrows; i++)
            if (rep->rows[i].differ)
                print_row(f, &rep->rows[i]);
    }
    if (rep->sampling) {
        fprintf(f, " within sampling error (the verdicts differ, but the threshold lies "
                   "inside a success rate's 95%% interval: these requests cannot tell which "
                   "side of it the rate is on):\n");
        for (i = 0; i < rep->nrows; i++)
            if (rep->rows[i].sampling)
                print_row(f, &rep->rows[i]);
    }
    if (rep->agree) {
        fprintf(f, " agree:\n");
        for (i = 0; i < rep->nrows; i++)
            if (rep->rows[i].decided && !rep->rows[i].differ && !rep->rows[i].sampling)
                print_row(f, &rep->rows[i]);
    }
    if (rep->unobservable) {
        fprintf(f, " not compared (one side cannot answer):\n");
        for (i = 0; i < rep->nrows; i++)
            if (!rep->rows[i].decided)
                print_row(f, &rep->rows[i]);
    }
    for (i = 0; i < rep->nnotes; i++)
        fprintf(f, " note: %s\n", rep->notes[i]);
    fprintf(f, " %zu agree, %zu differ, %zu not compared", rep->agree, rep->differ,
            rep->unobservable);
    if (rep->sampling)
        fprintf(f, ", %zu within sampling error", rep->sampling);
    fputc('\n', f);
}

static int write_junit(const char *path, const verified *v, size_t n)
{
    FILE *f = fopen(path, "w");
    size_t i, k, tests = 0, failures = 0, errors = 0;
    if (!f) {
        perror(path);
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (!v[i].ran) {
            tests++;
            errors++;
            continue;
        }
        tests += v[i].rep.nrows;
        failures += v[i].rep.differ;     /* the schema's <testsuites> counts no skipped */
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubesim verify\" "
               "tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", tests, failures, errors);
    for (i = 0; i < n; i++) {
        fprintf(f, "  <testsuite name=");
        fputc('"', f);
        ksc_xml_str(f, v[i].sc ? v[i].sc->name : v[i].path);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"%d\">\n",
                v[i].ran ? v[i].rep.nrows : 1, v[i].ran ? v[i].rep.differ : 0,
                v[i].ran ? v[i].rep.unobservable + v[i].rep.sampling : 0, !v[i].ran);
        if (!v[i].ran) {
            fprintf(f, "    <testcase name=\"verify\"><error message=\"");
            ksc_xml_str(f, v[i].error);
            fprintf(f, "\"/></testcase>\n");
        }
        for (k = 0; v[i].ran && k < v[i].rep.nrows; k++) {
            const kvf_row *r = &v[i].rep.rows[k];
            char name[1200];
            snprintf(name, sizeof name, "%s %s %s: %s", r->sim.when, r->sim.kind, r->sim.what,
                     r->sim.expected);
            fprintf(f, "    <testcase name=\"");
            ksc_xml_str(f, name);
            fprintf(f, "\">");
            if (r->differ || r->sampling || !r->decided) {
                snprintf(name, sizeof name, "%skubesim: %s %s; cluster: %s %s",
                         r->sampling ? "within sampling error: " : "", sim_word(&r->sim),
                         r->sim.actual, kvf_obs_state_name(r->cluster.state), r->cluster.actual);
                fprintf(f, r->differ ? "<failure message=\"" : "<skipped message=\"");
                ksc_xml_str(f, name);
                fprintf(f, "\"/>");
            }
            fprintf(f, "</testcase>\n");
        }
        fprintf(f, "  </testsuite>\n");
    }
    fprintf(f, "</testsuites>\n");
    return fclose(f) == 0 ? 0 : -1;
}

static int write_json(const char *path, const verified *v, size_t n)
{
    FILE *f = fopen(path, "w");
    size_t i, k;
    if (!f) {
        perror(path);
        return -1;
    }
    for (i = 0; i < n; i++) {
        fprintf(f, "{\"name\":");
        ksc_json_str(f, v[i].sc ? v[i].sc->name : "");
        fprintf(f, ",\"file\":");
        ksc_json_str(f, v[i].path);
        fprintf(f, ",\"verdict\":\"%s\"", !v[i].ran ? "error" : v[i].rep.differ ? "differ"
                                                                                  : "agree");
        if (!v[i].ran) {
            fprintf(f, ",\"error\":");
            ksc_json_str(f, v[i].error);
            fprintf(f, "}\n");
            continue;
        }
        fprintf(f, ",\"server\":");
        ksc_json_str(f, v[i].rep.server);
        fprintf(f, ",\"namespace\":");
        ksc_json_str(f, v[i].rep.ns);
        fprintf(f, ",\"clock\":");
        ksc_json_str(f, v[i].rep.clock);
        fprintf(f, ",\"expectations\":[");
        for (k = 0; k < v[i].rep.nrows; k++) {
            const kvf_row *r = &v[i].rep.rows[k];
            fprintf(f, "%s{\"kind\":", k ? "," : "");
            ksc_json_str(f, r->sim.kind);
            fprintf(f, ",\"what\":");
            ksc_json_str(f, r->sim.what);
            fprintf(f, ",\"when\":");
            ksc_json_str(f, r->sim.when);
            fprintf(f, ",\"expected\":");
            ksc_json_str(f, r->sim.expected);
            fprintf(f, ",\"kubesim\":{\"state\":\"%s\",\"actual\":", sim_word(&r->sim));
            ksc_json_str(f, r->sim.actual);
            fprintf(f, "},\"cluster\":{\"state\":\"%s\",\"actual\":",
                    kvf_obs_state_name(r->cluster.state));
            ksc_json_str(f, r->cluster.actual);
            fprintf(f, ",\"why\":");
            ksc_json_str(f, r->cluster.why);
            fprintf(f, "},\"compared\":%s,\"differ\":%s,\"sampling\":%s}",
                    r->decided ? "true" : "false", r->differ ? "true" : "false",
                    r->sampling ? "true" : "false");
        }
        fprintf(f, "],\"notes\":[");
        for (k = 0; k < v[i].rep.nnotes; k++) {
            fprintf(f, "%s", k ? "," : "");
            ksc_json_str(f, v[i].rep.notes[k]);
        }
        fprintf(f, "]}\n");
    }
    return fclose(f) == 0 ? 0 : -1;
}

static bool misuse(const ksc_options *o)
{
    const char *bad = o->headless ? "--headless" : o->nfiles ? "-f" : o->nshots ? "--screenshot"
                      : o->gif ? "--gif" : o->record_dir ? "--record" : o->port >= 0 ? "--port"
                      : o->address ? "--address" : o->log_requests ? "--log-requests"
                      : o->update_fingerprints ? "--update-fingerprints" : o->seed_set ? "--seed"
                      : o->until_set ? "--until" : NULL;
    if (bad) {
        fprintf(stderr, "kubesim verify: error: %s does not apply to verify (a cluster runs "
                        "the scenario as it is written)\nTry 'kubesim verify --help'.\n", bad);
        return true;
    }
    if (!o->npaths) {
        fprintf(stderr, "kubesim verify: error: give a scenario file\n"
                        "Try 'kubesim verify --help'.\n");
        return true;
    }
    return false;
}

int ksc_cmd_verify(ksc_options *o)
{
    ks_arena *ar = NULL;
    ks_diags *d = NULL;
    const ks_catalog *cat;
    verified *v = NULL;
    kvf_options ko;
    const char *env;
    bool oom = false;
    int rc = KSC_EXIT_OK, i;
    if (misuse(o))
        return KSC_EXIT_BAD_INPUT;
    ar = ks_arena_create(NULL);
    d = malloc(sizeof *d);
    v = calloc((size_t)o->npaths, sizeof *v);
    if (!ar || !d || !v) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        rc = KSC_EXIT_INTERNAL;
        goto out;
    }
    if ((rc = ksc_load_catalog(ar, &cat)) != KSC_EXIT_OK)
        goto out;
    memset(&ko, 0, sizeof ko);
    /* kubectl runs from the scenario's folder: a relative --kubeconfig or
       $KUBECONFIG would name another file there (or none) */
    if (o->kubeconfig)
        oom = !(ko.kubeconfig = kvf_kubeconfig_absolute(ar, o->kubeconfig, false));
    else if ((env = getenv("KUBECONFIG")) != NULL && env[0])
        oom = !(env = kvf_kubeconfig_absolute(ar, env, true)) || setenv("KUBECONFIG", env, 1) != 0;
    if (oom) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        rc = KSC_EXIT_INTERNAL;
        goto out;
    }
    ko.context = o->verify.context;
    ko.ns = o->verify.ns;
    ko.kubectl = o->verify.kubectl;
    ko.speed = o->speed;
    ko.keep = o->verify.keep;
    ko.allow_exec = o->verify.allow_exec;
    ko.allow_node_stop = o->verify.allow_node_stop;
    ko.observe_only = o->verify.observe_only;
    ko.wall = o->verify.wall_clock;
    ko.log = o->quiet ? NULL : stdout;
    for (i = 0; i < o->npaths; i++) {
        ks_scenario *sc = NULL;
        int code;
        v[i].path = o->paths[i];
        ks_diags_init(d);
        if (ks_scenario_load_file(ar, o->paths[i], &sc, d) != KS_OK) {
            ksc_print_diags(d);
            snprintf(v[i].error, sizeof v[i].error, "%s does not load", o->paths[i]);
            rc = KSC_EXIT_BAD_INPUT;
            continue;
        }
        v[i].sc = sc;
        code = kvf_verify_run(sc, cat, &ko, &v[i].rep, d);
        ksc_print_diags(d);
        if (code != KS_OK) {
            ks_diag_format(d, 0, v[i].error, sizeof v[i].error);
            if (code == KS_ENOMEM)
                rc = KSC_EXIT_INTERNAL;
            else if (rc != KSC_EXIT_INTERNAL)
                rc = KSC_EXIT_BAD_INPUT;
            continue;
        }
        v[i].ran = true;
        print_report(stdout, &v[i]);
        if (v[i].rep.differ && rc == KSC_EXIT_OK)
            rc = KSC_EXIT_FAILED;
    }
    if ((o->junit && write_junit(o->junit, v, (size_t)o->npaths) != 0)
        || (o->json && write_json(o->json, v, (size_t)o->npaths) != 0))
        rc = KSC_EXIT_BAD_INPUT;
out:
    for (i = 0; v && i < o->npaths; i++)
        kvf_report_fini(&v[i].rep);
    free(v);
    free(d);
    ks_arena_destroy(ar);
    return rc;
}
#endif
