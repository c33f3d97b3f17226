/* options.c -- parsing of the flags common to every command. */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage_error(const ksc_options *o, const char *fmt, const char *arg)
{
    fprintf(stderr, "kubesim%s%s: error: ", o->command ? " " : "",
            o->command ? o->command : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'kubesim %s%s--help'.\n", o->command ? o->command : "",
            o->command ? " " : "");
    return -1;
}

/* "--flag=value" or "--flag value": returns the value or NULL. */
static const char *flag_value(const char *flag, int argc, char **argv, int *i)
{
    const char *eq = strchr(argv[*i], '=');
    if (eq && strncmp(argv[*i], flag, (size_t)(eq - argv[*i])) == 0)
        return eq + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int flag_is(const char *arg, const char *flag)
{
    size_t n = strlen(flag);
    return strncmp(arg, flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

int ksc_parse_options(ksc_options *o, int argc, char **argv, int first)
{
    int i;
    o->speed = 1.0;
    o->port = -1;
    for (i = first; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            o->help = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--headless") == 0) {
            o->headless = true;
        } else if (flag_is(a, "--seed")) {
            char *end;
            if (!(v = flag_value("--seed", argc, argv, &i)))
                return usage_error(o, "%s needs a number", "--seed");
            errno = 0;
            o->seed = strtoull(v, &end, 0);
            if (errno || end == v || *end || v[0] == '-')
                return usage_error(o, "--seed takes a whole number, not '%s'", v);
            o->seed_set = true;
        } else if (flag_is(a, "--until")) {
            if (!(v = flag_value("--until", argc, argv, &i)))
                return usage_error(o, "%s needs a duration, e.g. 90s", "--until");
            if (ks_duration_parse(v, &o->until) != 0)
                return usage_error(o, "--until takes a duration like 90s or 2m, not '%s'", v);
            o->until_set = true;
        } else if (flag_is(a, "--start")) {
            if (!(v = flag_value("--start", argc, argv, &i)))
                return usage_error(o, "%s needs a duration, e.g. 45s", "--start");
            if (ks_duration_parse(v, &o->start) != 0 || o->start < 0)
                return usage_error(o, "--start takes a duration like 45s or 2m, not '%s'", v);
        } else if (flag_is(a, "--speed")) {
            char *end;
            if (!(v = flag_value("--speed", argc, argv, &i)))
                return usage_error(o, "%s needs a factor, e.g. 4", "--speed");
            o->speed = strtod(v, &end);
            if (end == v || *end || !(o->speed >= 0.25 && o->speed <= 64))
                return usage_error(o, "--speed takes a factor from 0.25 to 64, not '%s'", v);
        } else if (flag_is(a, "--screenshot")) {
            if (!(v = flag_value("--screenshot", argc, argv, &i)) || !strchr(v, ':'))
                return usage_error(o, "%s needs TIME:FILE, e.g. 47s:frame.png", "--screenshot");
            if (o->nshots >= 16)
                return usage_error(o, "%s: at most 16 screenshots", "--screenshot");
            o->shots[o->nshots++] = v;
        } else if (flag_is(a, "--record")) {
            if (!(v = flag_value("--record", argc, argv, &i)))
                return usage_error(o, "%s needs a folder", "--record");
            o->record_dir = v;
        } else if (flag_is(a, "--gif")) {
            if (!(v = flag_value("--gif", argc, argv, &i)))
                return usage_error(o, "%s needs a file name", "--gif");
            o->gif = v;
        } else if (flag_is(a, "--scale")) {
            char *end;
            if (!(v = flag_value("--scale", argc, argv, &i)))
                return usage_error(o, "%s needs a factor, e.g. 1.5", "--scale");
            o->scale = strtod(v, &end);
            if (end == v || *end || !(o->scale >= 0.5 && o->scale <= 3))
                return usage_error(o, "--scale takes a factor from 0.5 to 3, not '%s'", v);
        } else if (flag_is(a, "--size")) {
            char *end;
            long w, h = 0;
            if (!(v = flag_value("--size", argc, argv, &i)))
                return usage_error(o, "%s needs WIDTHxHEIGHT, e.g. 1920x1080", "--size");
            w = strtol(v, &end, 10);
            if (end != v && (*end == 'x' || *end == 'X'))
                h = strtol(end + 1, &end, 10);
            if (*end || w < 320 || w > 7680 || h < 240 || h > 4320)
                return usage_error(o, "--size takes WIDTHxHEIGHT from 320x240 to 7680x4320, "
                                      "e.g. 1920x1080, not '%s'", v);
            o->width = (int)w;
            o->height = (int)h;
        } else if (flag_is(a, "--json")) {
            if (!(v = flag_value("--json", argc, argv, &i)))
                return usage_error(o, "%s needs a file name", "--json");
            o->json = v;
        } else if (flag_is(a, "--junit")) {
            if (!(v = flag_value("--junit", argc, argv, &i)))
                return usage_error(o, "%s needs a file name", "--junit");
            o->junit = v;
        } else if (strcmp(a, "-f") == 0 || flag_is(a, "--filename")
                   || (strncmp(a, "-f", 2) == 0 && a[2])) {
            if (strncmp(a, "-f", 2) == 0 && a[2])
                v = a[2] == '=' ? a + 3 : a + 2;
            else if (!(v = flag_value("--filename", argc, argv, &i)))
                return usage_error(o, "%s needs a file or folder", "-f");
            if (o->nfiles >= KSC_MAX_PATHS)
                return usage_error(o, "too many -f paths (the limit is %s)", "256");
            o->files[o->nfiles++] = v;
        } else if (flag_is(a, "--port")) {
            char *end;
            long p;
            if (!(v = flag_value("--port", argc, argv, &i)))
                return usage_error(o, "%s needs a port number (0: any free port)", "--port");
            p = strtol(v, &end, 10);
            if (end == v || *end || p < 0 || p > 65535)
                return usage_error(o, "--port takes a number from 0 to 65535, not '%s'", v);
            o->port = (int)p;
        } else if (flag_is(a, "--address")) {
            if (!(v = flag_value("--address", argc, argv, &i)))
                return usage_error(o, "%s needs an IPv4 address, e.g. 127.0.0.1", "--address");
            o->address = v;
        } else if (flag_is(a, "--kubeconfig")) {
            if (!(v = flag_value("--kubeconfig", argc, argv, &i)))
                return usage_error(o, "%s needs a file name", "--kubeconfig");
            o->kubeconfig = v;
        } else if (flag_is(a, "--cluster")) {
            if (!(v = flag_value("--cluster", argc, argv, &i)))
                return usage_error(o, "%s needs a scenario file", "--cluster");
            o->cluster = v;
        } else if (strcmp(a, "--paused") == 0) {
            o->paused = true;
        } else if (strcmp(a, "--window") == 0) {
            o->window = true;
        } else if (flag_is(a, "--log-requests")) {
            if (!(v = flag_value("--log-requests", argc, argv, &i)))
                return usage_error(o, "%s needs a file name (- for stderr)", "--log-requests");
            o->log_requests = v;
        } else if (flag_is(a, "--context") || flag_is(a, "--namespace") || strcmp(a, "-n") == 0
                   || flag_is(a, "--kubectl")) {
            const char *flag = a[1] == 'n' ? "-n" : a;
            const char *name = strncmp(a, "--context", 9) == 0 ? "--context"
                               : strncmp(a, "--kubectl", 9) == 0 ? "--kubectl" : "--namespace";
            if (!(v = flag_value(flag[1] == 'n' ? "-n" : name, argc, argv, &i)) || !v[0])
                return usage_error(o, "%s needs a name", name);
            if (name[2] == 'c')
                o->verify.context = v;
            else if (name[2] == 'k')
                o->verify.kubectl = v;
            else
                o->verify.ns = v;
            o->verify.any = true;
        } else if (strcmp(a, "--keep") == 0) {
            o->verify.keep = o->verify.any = true;
        } else if (strcmp(a, "--allow-exec") == 0) {
            o->verify.allow_exec = o->verify.any = true;
        } else if (strcmp(a, "--allow-node-stop") == 0) {
            o->verify.allow_node_stop = o->verify.any = true;
        } else if (strcmp(a, "--observe-only") == 0) {
            o->verify.observe_only = o->verify.any = true;
        } else if (strcmp(a, "--wall-clock") == 0) {
            o->verify.wall_clock = o->verify.any = true;
        } else if (strcmp(a, "--update-fingerprints") == 0) {
            o->update_fingerprints = true;
        } else if (strcmp(a, "-j") == 0 || flag_is(a, "--jobs")) {
            char *end;
            long j;
            if (!(v = flag_value("--jobs", argc, argv, &i)))
                return usage_error(o, "%s needs a number of threads", "-j");
            j = strtol(v, &end, 10);
            if (end == v || *end || j < 1 || j > 1024)
                return usage_error(o, "-j takes a number of threads from 1 to 1024, not '%s'", v);
            o->jobs = (int)j;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error(o, "unknown option '%s'", a);
        } else {
            if (o->npaths >= KSC_MAX_PATHS)
                return usage_error(o, "too many paths (the limit is %s)", "256");
            o->paths[o->npaths++] = a;
        }
    }
    return 0;
}
