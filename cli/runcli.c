/* runcli.c -- helpers shared by run, test and apply (see runcli.h). */
#include "runcli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cluster/ks_cluster.h"
#include "net/ks_traffic.h"
#include "commands.h"


#ifndef KUBESIM_ASSETS_DIR
#define KUBESIM_ASSETS_DIR "assets"
#endif

/* Where kubesim's data folder NAME is (assets, scenarios): $ENV, then the
 * source tree it was built from, then share/kubesim/NAME next to the
 * installed binary (cmake --install). Writes the folder into buf. */
void ksc_data_dir(const char *name, const char *env_var, const char *built_in, char *buf,
                  size_t n)
{
    const char *env = getenv(env_var);
    char exe[4096];
    ssize_t len;
    struct stat st;
    if (env && env[0]) {
        snprintf(buf, n, "%s", env);
        return;
    }
    snprintf(buf, n, "%s", built_in);
    if (stat(buf, &st) == 0)
        return;
    len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        char *slash;
        exe[len] = '\0';
        if ((slash = strrchr(exe, '/')) != NULL) {
            *slash = '\0';
            snprintf(buf, n, "%s/../share/kubesim/%s", exe, name);
            if (stat(buf, &st) == 0)
                return;
        }
    }
    snprintf(buf, n, "%s", built_in);       /* the message will name it */
}

int ksc_input_verdict(const ks_diags *d, int rc)
{
    if (!d->errors || rc == KSC_EXIT_INTERNAL)
        return rc;
    fprintf(stderr, "kubesim: the input has %d error%s (listed above): exit code %d\n",
            d->errors, d->errors == 1 ? "" : "s", KSC_EXIT_BAD_INPUT);
    return KSC_EXIT_BAD_INPUT;
}

int ksc_load_catalog(ks_arena *ar, const ks_catalog **out)
{
    const char *env = getenv("KUBESIM_ASSETS");
    char path[4096];
    struct stat st;
    ks_diags *d;
    ks_catalog *cat;
    int rc;
    if (env && env[0]) {
        if (stat(env, &st) == 0 && S_ISDIR(st.st_mode))
            snprintf(path, sizeof path, "%s/images.yaml", env);
        else
            snprintf(path, sizeof path, "%s", env);
    } else {
        char dir[4000];
        ksc_data_dir("assets", "KUBESIM_ASSETS", KUBESIM_ASSETS_DIR, dir, sizeof dir);
        snprintf(path, sizeof path, "%s/images.yaml", dir);
    }
    if (stat(path, &st) != 0) {
        fprintf(stderr,
                "kubesim: error: the image catalog %s was not found; set KUBESIM_ASSETS to "
                "the folder that holds images.yaml (kubesim's assets/ folder)\n", path);
        return KSC_EXIT_BAD_INPUT;
    }
    d = malloc(sizeof *d);
    if (!d) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        return KSC_EXIT_INTERNAL;
    }
    ks_diags_init(d);
    rc = ks_catalog_load_file(ar, path, &cat, d);
    ksc_print_diags(d);
    free(d);
    if (rc == KS_ENOMEM) {
        fprintf(stderr, "kubesim: error: out of memory\n");
        return KSC_EXIT_INTERNAL;
    }
    if (rc != KS_OK) {
        fprintf(stderr, "kubesim: error: the image catalog %s has errors (above)\n", path);
        return KSC_EXIT_BAD_INPUT;
    }
    *out = cat;
    return KSC_EXIT_OK;
}

/* ---- the outcome table -------------------------------------------------------------- */
static int width(const char *s, int cap)
{
    int n = (int)strlen(s);
    return n < cap ? n : cap;
}

void ksc_print_outcomes(FILE *f, const ks_run *run)
{
    size_t i, n = ks_run_result_count(run);
    int ww = 4, wt = 4, we = 8;
    char end[32];
    ks_duration_format(ks_run_end(run), end, sizeof end);
    fprintf(f, "\noutcome at %s:\n", end);
    if (!n) {
        fprintf(f, "  (the scenario has no expectations)\n");
        return;
    }
    for (i = 0; i < n; i++) {
        const ks_expect_result *r = ks_run_result(run, i);
        char what[200];
        snprintf(what, sizeof what, "%s %s", r->kind, r->what);
        if (width(r->when, 24) > ww)
            ww = width(r->when, 24);
        if (width(what, 44) > wt)
            wt = width(what, 44);
        if (width(r->expected, 36) > we)
            we = width(r->expected, 36);
    }
    for (i = 0; i < n; i++) {
        const ks_expect_result *r = ks_run_result(run, i);
        const char *st = r->state == KS_EXPECT_PASS   ? "PASS"
                         : r->state == KS_EXPECT_FAIL ? "FAIL"
                                                      : "SKIP";
        char what[200];
        snprintf(what, sizeof what, "%s %s", r->kind, r->what);
        fprintf(f, "  %s  %-*s  %-*s  %-*s  %s\n", st, ww, r->when, wt, what, we, r->expected,
                r->state == KS_EXPECT_NOT_REACHED ? "not checked" : r->actual);
        if (r->state == KS_EXPECT_FAIL && r->why[0])
            fprintf(f, "        why: %s\n", r->why);
        else if (r->state == KS_EXPECT_NOT_REACHED)
            fprintf(f, "        %s\n", r->why);
        if (r->state == KS_EXPECT_FAIL && r->exp->during) {
            char at[32];
            ks_duration_format(r->at, at, sizeof at);
            fprintf(f, "        (first failed at %s)\n", at);
        }
    }
}

/* ---- requests ------------------------------------------------------------------------ */
size_t ksc_print_routes(FILE *f, ks_sim *sim)
{
    size_t i, n = ks_traffic_route_count(sim);
    if (!n)
        return 0;
    fprintf(f, "\nrequests:\n  %-7s %-24s %-24s %9s %9s %9s %9s %9s\n", "METHOD", "PATH", "TO",
            "COUNT", "2XX", "4XX", "5XX", "P95");
    for (i = 0; i < n; i++) {
        ks_route_stats rs;
        char to[64], p95[32];
        ks_traffic_route(sim, i, &rs);
        ks_scn_target_format(&rs.to, to, sizeof to);
        ks_duration_format(rs.stats.p95, p95, sizeof p95);
        fprintf(f, "  %-7s %-24s %-24s %9llu %9llu %9llu %9llu %9s\n", rs.method, rs.path, to,
                (unsigned long long)rs.stats.count, (unsigned long long)rs.stats.ok,
                (unsigned long long)rs.stats.status[4], (unsigned long long)rs.stats.status[5],
                p95);
    }
    return n;
}

/* ---- escaping ---------------------------------------------------------------------- */
void ksc_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void ksc_xml_str(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            /* XML 1.0 allows no control characters but tab and newline */
            if (c >= 0x20 || c == '\n' || c == '\t')
                fputc(c, f);
            else
                fputc('?', f);
        }
    }
}

double ksc_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool ksc_yaml_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0)
           || (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

ks_scn_probe ksc_probe_file(const char *path)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_scn_probe p = ar ? ks_scenario_probe(ar, path) : KS_SCN_PROBE_UNREADABLE;
    ks_arena_destroy(ar);
    return p;
}
