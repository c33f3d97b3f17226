/* ks_kubectl.c -- kubectl's front end: words (shell quoting), flags
 * (pflag's rules and messages), the command table and dispatch (cobra's
 * "unknown command" with suggestions).
 *
 * Every command runs with a scratch arena (k->tmp) that dies when it ends;
 * only manifests that were applied outlive it (ks_kubectl_apply.c hands
 * their arenas to the sim). Output lines go to the caller's buffer in the
 * order kubectl prints them, stderr lines included. Exit status 0 or 1.
 */
#include "ks_kubectl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal/kubectl.h"
#include "core/ks_error.h"
#include "load/ks_validate.h"

/* ---- words -------------------------------------------------------------------------- */
int ks_kubectl_split(ks_arena *ar, const char *line, const char ***words, char *why,
                     size_t whyn)
{
    size_t n = 0, cap = 8, len = strlen(line);
    const char **w = ks_arena_alloc(ar, cap * sizeof *w);
    char *buf = ks_arena_alloc(ar, len + 1), *o;
    const char *p = line;
    if (!w || !buf)
        return snprintf(why, whyn, "out of memory"), -1;
    o = buf;
    for (;;) {
        char *start;
        bool any = false;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        start = o;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            any = true;
            if (*p == '\'') {
                const char *e = strchr(p + 1, '\'');
                if (!e)
                    return snprintf(why, whyn, "unterminated quote (') in the command line"), -1;
                memcpy(o, p + 1, (size_t)(e - p - 1));
                o += e - p - 1;
                p = e + 1;
            } else if (*p == '"') {
                for (p++; *p && *p != '"'; p++) {
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`'))
                        p++;
                    *o++ = *p;
                }
                if (!*p)
                    return snprintf(why, whyn, "unterminated quote (\") in the command line"), -1;
                p++;
            } else if (*p == '\\' && p[1]) {
                *o++ = p[1];
                p += 2;
            } else {
                *o++ = *p++;
            }
        }
        *o++ = '\0';
        if (!any)
            continue;
        if (n + 1 >= cap) {
            const char **bigger = ks_arena_alloc(ar, cap * 2 * sizeof *w);
            if (!bigger)
                return snprintf(why, whyn, "out of memory"), -1;
            memcpy(bigger, w, n * sizeof *w);
            w = bigger;
            cap *= 2;
        }
        w[n++] = start;
    }
    w[n] = NULL;
    *words = w;
    return (int)n;
}

static const ksi_kc_flag_def common_flags[] = {{"namespace", 'n', KSI_KC_STR}, {NULL, 0, 0}};

static const ksi_kc_flag_def *find_flag(const ksi_kc_flag_def *defs, const char *name, size_t n,
                                        char shorthand)
{
    const ksi_kc_flag_def *sets[2] = {defs, common_flags};
    int s;
    for (s = 0; s < 2; s++) {
        const ksi_kc_flag_def *d;
        for (d = sets[s]; d && d->name; d++)
            if (shorthand ? d->shorthand == shorthand
                          : strlen(d->name) == n && strncmp(d->name, name, n) == 0)
                return d;
    }
    return NULL;
}

static const char *flag_title(ksi_kc *k, const ksi_kc_flag_def *d)
{
    return d->shorthand ? ksi_kc_fmt(k, "-%c, --%s", d->shorthand, d->name)
                        : ksi_kc_fmt(k, "--%s", d->name);
}

/* Checks a value against the flag's type; prints pflag's complaint. */
static bool check_value(ksi_kc *k, const ksi_kc_flag_def *d, const char *v)
{
    int64_t n;
    int rc;
    if (d->type == KSI_KC_BOOL && ksi_kc_parse_bool(v) < 0) {
        ksi_kc_error(k, "invalid argument \"%s\" for \"%s\" flag: strconv.ParseBool: parsing "
                        "\"%s\": invalid syntax", v, flag_title(k, d), v);
        return false;
    }
    if (d->type == KSI_KC_INT && (rc = ksi_kc_parse_int(v, &n)) != 0) {
        ksi_kc_error(k, "invalid argument \"%s\" for \"%s\" flag: strconv.ParseInt: parsing "
                        "\"%s\": %s", v, flag_title(k, d), v,
                     rc == 2 ? "value out of range" : "invalid syntax");
        return false;
    }
    return true;
}

static bool add_flag(ksi_kc *k, const ksi_kc_flag_def *d, const char *v, size_t cap)
{
    if (!check_value(k, d, v))
        return false;
    if (k->nflags < cap) {
        k->flags[k->nflags].def = d;
        k->flags[k->nflags].value = v;
        k->nflags++;
    }
    return true;
}

/* Parses words into flags and positional arguments. false after printing
 * the error (and cobra's "See 'kubectl VERB --help' for usage."). */
static bool parse_flags(ksi_kc *k, const char **w, size_t n, const ksi_kc_flag_def *defs)
{
    size_t i;
    bool dashdash = false;
    k->flags = ks_arena_alloc(k->tmp, (n + 1) * sizeof *k->flags);
    k->args = ks_arena_alloc(k->tmp, (n + 1) * sizeof *k->args);
    if (!k->flags || !k->args)
        return ksi_kc_error(k, "out of memory"), false;
    for (i = 0; i < n; i++) {
        const char *s = w[i];
        const ksi_kc_flag_def *d;
        if (dashdash || s[0] != '-' || s[1] == '\0') {
            k->args[k->nargs++] = s;
            continue;
        }
        if (strcmp(s, "--") == 0) {
            dashdash = true;
            k->nargs_before_dash = k->nargs;
            continue;
        }
        if (s[1] == '-') {
            const char *name = s + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            if (!(d = find_flag(defs, name, len, 0))) {
                ksi_kc_error(k, "unknown flag: --%.*s", (int)len, name);
                goto usage;
            }
            if (eq) {
                if (!add_flag(k, d, eq + 1, n))
                    goto usage;
            } else if (d->type == KSI_KC_BOOL) {
                add_flag(k, d, "true", n);
            } else if (i + 1 < n) {
                if (!add_flag(k, d, w[++i], n))
                    goto usage;
            } else {
                ksi_kc_error(k, "flag needs an argument: --%s", d->name);
                goto usage;
            }
            continue;
        }
        /* shorthands: -p, -pf (booleans combined), -owide, -o=wide, -o wide */
        for (s++; *s; s++) {
            if (!(d = find_flag(defs, NULL, 0, *s))) {
                ksi_kc_error(k, "unknown shorthand flag: '%c' in %s", *s, w[i]);
                goto usage;
            }
            if (d->type == KSI_KC_BOOL) {
                if (s[1] == '=') {
                    if (!add_flag(k, d, s + 2, n))
                        goto usage;
                    break;
                }
                add_flag(k, d, "true", n);
                continue;
            }
            if (s[1]) {
                if (!add_flag(k, d, s[1] == '=' ? s + 2 : s + 1, n))
                    goto usage;
            } else if (i + 1 < n) {
                if (!add_flag(k, d, w[++i], n))
                    goto usage;
            } else {
                ksi_kc_error(k, "flag needs an argument: '%c' in -%c", *s, *s);
                goto usage;
            }
            break;
        }
    }
    return true;
usage:
    ksi_kc_line(k, "See 'kubectl %s --help' for usage.", k->verb);
    return false;
}

/* ---- the command table ----------------------------------------------------------------- */
#define B KSI_KC_BOOL
#define S KSI_KC_STR
#define I KSI_KC_INT
#define L KSI_KC_LIST
static const ksi_kc_flag_def apply_flags[] = {
    {"filename", 'f', L}, {"recursive", 'R', B}, {"validate", 0, S}, {NULL, 0, 0}};
static const ksi_kc_flag_def create_flags[] = {
    {"filename", 'f', L}, {"from-literal", 0, L}, {"from-file", 0, L}, {"type", 0, S},
    {"save-config", 0, B}, {"image", 0, S}, {"from", 0, S}, {NULL, 0, 0}};
static const ksi_kc_flag_def delete_flags[] = {
    {"filename", 'f', L}, {"selector", 'l', S}, {"all", 0, B}, {"grace-period", 0, I},
    {"force", 0, B}, {"now", 0, B}, {"wait", 0, B}, {"ignore-not-found", 0, B},
    {"recursive", 'R', B}, {NULL, 0, 0}};
static const ksi_kc_flag_def scale_flags[] = {{"replicas", 0, I}, {NULL, 0, 0}};
static const ksi_kc_flag_def rollout_flags[] = {
    {"watch", 'w', B}, {"timeout", 0, S}, {"revision", 0, I}, {NULL, 0, 0}};
static const ksi_kc_flag_def label_flags[] = {
    {"overwrite", 0, B}, {"selector", 'l', S}, {NULL, 0, 0}};
static const ksi_kc_flag_def drain_flags[] = {
    {"ignore-daemonsets", 0, B}, {"delete-emptydir-data", 0, B}, {"delete-local-data", 0, B},
    {"force", 0, B}, {"grace-period", 0, I}, {"timeout", 0, S}, {NULL, 0, 0}};
static const ksi_kc_flag_def get_flags[] = {
    {"output", 'o', S}, {"selector", 'l', S}, {"all-namespaces", 'A', B},
    {"show-labels", 0, B}, {"watch", 'w', B}, {"no-headers", 0, B}, {NULL, 0, 0}};
static const ksi_kc_flag_def describe_flags[] = {
    {"selector", 'l', S}, {"all-namespaces", 'A', B}, {"show-events", 0, B}, {NULL, 0, 0}};
static const ksi_kc_flag_def logs_flags[] = {
    {"container", 'c', S}, {"previous", 'p', B}, {"tail", 0, I}, {"follow", 'f', B},
    {"timestamps", 0, B}, {"all-containers", 0, B}, {NULL, 0, 0}};
static const ksi_kc_flag_def exec_flags[] = {
    {"container", 'c', S}, {"stdin", 'i', B}, {"tty", 't', B}, {"quiet", 'q', B},
    {"pod-running-timeout", 0, S}, {NULL, 0, 0}};
static const ksi_kc_flag_def top_flags[] = {
    {"selector", 'l', S}, {"all-namespaces", 'A', B}, {"containers", 0, B},
    {"no-headers", 0, B}, {"sort-by", 0, S}, {"use-protocol-buffers", 0, B}, {NULL, 0, 0}};
static const ksi_kc_flag_def autoscale_flags[] = {
    {"min", 0, I}, {"max", 0, I}, {"cpu-percent", 0, I}, {NULL, 0, 0}};
static const ksi_kc_flag_def run_flags[] = {
    {"image", 0, S}, {"restart", 0, S}, {"command", 0, B}, {"env", 0, L}, {"port", 0, S},
    {"labels", 'l', S}, {"stdin", 'i', B}, {"tty", 't', B}, {"attach", 0, B}, {"rm", 0, B},
    {"quiet", 'q', B}, {"image-pull-policy", 0, S}, {NULL, 0, 0}};
static const ksi_kc_flag_def no_flags[] = {{NULL, 0, 0}};
#undef B
#undef S
#undef I
#undef L

static int cmd_help(ksi_kc *k);

static const struct command {
    const char *name;
    const ksi_kc_flag_def *flags;
    int (*run)(ksi_kc *);
    const char *usage;
} commands[] = {
    {"apply", apply_flags, ksi_kc_apply, "kubectl apply -f FILENAME"},
    {"create", create_flags, ksi_kc_create,
     "kubectl create -f FILENAME | secret generic NAME --from-literal=KEY=VALUE | "
     "configmap NAME --from-literal=KEY=VALUE | job NAME --image=IMAGE [-- COMMAND ARGS] | "
     "job NAME --from=cronjob/NAME"},
    {"delete", delete_flags, ksi_kc_delete,
     "kubectl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)])"},
    {"get", get_flags, ksi_kc_get,
     "kubectl get [(-o|--output=)wide|name] (TYPE[,TYPE...] [NAME ...] | TYPE/NAME ...) "
     "[flags]"},
    {"describe", describe_flags, ksi_kc_describe, "kubectl describe (TYPE [NAME_PREFIX] | "
                                                  "TYPE/NAME)"},
    {"run", run_flags, ksi_kc_run,
     "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] "
     "[--restart=Always|OnFailure|Never] [--command] -- [COMMAND] [args...]"},
    {"exec", exec_flags, ksi_kc_exec,
     "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]"},
    {"logs", logs_flags, ksi_kc_logs,
     "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]"},
    {"scale", scale_flags, ksi_kc_scale,
     "kubectl scale --replicas=COUNT (TYPE NAME | TYPE/NAME)"},
    {"rollout", rollout_flags, ksi_kc_rollout, "kubectl rollout (restart|status|history) "
                                            "(TYPE NAME | TYPE/NAME)"},
    {"set", no_flags, ksi_kc_set, "kubectl set image (TYPE NAME | TYPE/NAME) "
                               "CONTAINER_NAME_1=CONTAINER_IMAGE_1 ..."},
    {"label", label_flags, ksi_kc_label, "kubectl label [--overwrite] (TYPE NAME | TYPE/NAME) "
                                      "KEY_1=VAL_1 ... KEY_N=VAL_N"},
    {"cordon", no_flags, ksi_kc_cordon, "kubectl cordon NODE"},
    {"uncordon", no_flags, ksi_kc_cordon, "kubectl uncordon NODE"},
    {"drain", drain_flags, ksi_kc_drain, "kubectl drain NODE [--ignore-daemonsets] "
                                      "[--delete-emptydir-data] [--force]"},
    {"top", top_flags, ksi_kc_top, "kubectl top (pod [NAME | -l label] [--containers] | "
                                   "node [NAME | -l label]) [--sort-by=cpu|memory]"},
    {"autoscale", autoscale_flags, ksi_kc_autoscale,
     "kubectl autoscale (TYPE NAME | TYPE/NAME) --max=MAXPODS [--min=MINPODS] "
     "[--cpu-percent=CPU]"},
    {"version", no_flags, ksi_kc_version, "kubectl version"},
    {"help", no_flags, cmd_help, "kubectl help"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* Real kubectl commands that kubesim does not simulate. */
static const char *const unsupported[] = {
    "annotate", "api-resources", "api-versions", "attach", "auth", "certificate",
    "cluster-info", "completion", "config", "cp", "debug", "diff", "edit", "events",
    "explain", "expose", "kustomize", "patch", "plugin", "port-forward", "proxy", "replace",
    "taint", "wait", NULL};

static int cmd_help(ksi_kc *k)
{
    size_t i;
    ksi_kc_line(k, "kubectl controls the Kubernetes cluster manager (simulated by kubesim).\n\n"
                   "Commands:");
    for (i = 0; i < NCOMMANDS; i++)
        ksi_kc_line(k, "  %s", commands[i].usage);
    return 0;
}

/* Levenshtein distance, capped (cobra suggests within 2 edits). */
static size_t edits(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, row[64];
    if (la >= 63 || lb >= 63)
        return 99;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t prev = row[0], tmp;
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t best = prev + (a[i - 1] != b[j - 1]);
            tmp = row[j];
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            prev = tmp;
            row[j] = best;
        }
    }
    return row[lb];
}

static int unknown_command(ksi_kc *k, const char *verb)
{
    size_t i;
    bool any = false;
    ksi_kc_error(k, "unknown command \"%s\" for \"kubectl\"", verb);
    for (i = 0; i < NCOMMANDS; i++)
        if (edits(verb, commands[i].name) <= 2
            || strncasecmp(commands[i].name, verb, strlen(verb)) == 0) {
            if (!any)
                ksi_kc_line(k, "\nDid you mean this?");
            ksi_kc_line(k, "\t%s", commands[i].name);
            any = true;
        }
    if (any)
        ksi_kc_line(k, "%s", "");
    return 1;
}

/* ---- entry point ---------------------------------------------------------------------- */
static int run_words(ksi_kc *k, const char **w, int nw)
{
    const char **rest;
    size_t i, nrest = 0, v = 0;
    const struct command *c = NULL;
    const char *ns;
    bool named = nw > 0 && strcmp(w[0], "kubectl") == 0;
    if (named) {
        w++;
        nw--;
    }
    /* the verb is the first word that is neither a flag nor -n's value */
    for (v = 0; v < (size_t)nw && w[v][0] == '-' && w[v][1]; v++)
        if (strcmp(w[v], "-n") == 0 || strcmp(w[v], "--namespace") == 0)
            v++;
    if (v >= (size_t)nw) {
        k->verb = "";
        return nw == 0 && !named ? 0 : cmd_help(k);
    }
    k->verb = w[v];
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, k->verb) == 0)
            c = &commands[i];
    if (!c) {
        for (i = 0; unsupported[i]; i++)
            if (strcmp(unsupported[i], k->verb) == 0)
                return ksi_kc_error(k, "kubesim does not simulate \"kubectl %s\"; it knows "
                                       "apply, create, run, delete, get, describe, logs, "
                                       "exec, scale, rollout, set image, label, cordon, "
                                       "uncordon, drain, top",
                                    k->verb);
        return unknown_command(k, k->verb);
    }
    rest = ks_arena_alloc(k->tmp, (size_t)nw * sizeof *rest + 1);
    if (!rest)
        return ksi_kc_error(k, "out of memory");
    for (i = 0; i < (size_t)nw; i++) {
        if (i == v)
            continue;
        if (strcmp(w[i], "-h") == 0 || strcmp(w[i], "--help") == 0) {
            ksi_kc_line(k, "Usage:\n  %s", c->usage);
            return 0;
        }
        rest[nrest++] = w[i];
    }
    if (!parse_flags(k, rest, nrest, c->flags))
        return k->status = 1;
    ns = ksi_kc_flag(k, "namespace");
    if (ns) {
        const char *why = ks_check_dns_label(ns);
        if (why)
            return ksi_kc_error(k, "invalid namespace \"%s\": %s", ns, why);
        k->ns = ns;
    }
    k->all_ns = ksi_kc_bool(k, "all-namespaces");
    c->run(k);
    return k->status;
}

/* Runs (sim) or checks (sim NULL: ksi_kc_dry) one line. */
static int run_line(ks_sim *sim, const char *line, const char *base_dir, const char *input,
                    ks_strbuf *out, ks_kubectl_tables *tables)
{
    ksi_kc k;
    const char **words;
    char why[128];
    int n;
    memset(&k, 0, sizeof k);
    k.nargs_before_dash = (size_t)-1;
    k.sim = sim;
    k.out = out;
    k.out0 = out->len;
    k.tables = tables;
    if (tables)
        tables->n = 0;
    k.base_dir = base_dir;
    k.input = input;
    k.ns = "default";
    k.verb = "";
    if (!line)
        line = "";
    if (!(k.tmp = ks_arena_create(sim ? ks_sim_allocator(sim) : NULL))) {
        ks_strbuf_puts(out, "error: out of memory\n");
        return 1;
    }
    n = ks_kubectl_split(k.tmp, line, &words, why, sizeof why);
    if (n < 0)
        ksi_kc_error(&k, "%s", why);
    else
        run_words(&k, words, n);
    if ((sim && ks_sim_status(sim) == KS_ENOMEM) || ks_arena_failed(k.tmp)) {
        ks_strbuf_puts(out, "error: out of memory\n");
        k.status = 1;
    }
    ks_arena_destroy(k.tmp);
    return ks_strbuf_failed(out) ? 1 : k.status;
}

int ks_kubectl_run(ks_sim *sim, const char *line, const char *base_dir, ks_strbuf *out)
{
    return run_line(sim, line, base_dir, NULL, out, NULL);
}

int ks_kubectl_run_tables(ks_sim *sim, const char *line, const char *base_dir, ks_strbuf *out,
                          ks_kubectl_tables *tables)
{
    return run_line(sim, line, base_dir, NULL, out, tables);
}

int ks_kubectl_run_input(ks_sim *sim, const char *line, const char *base_dir, const char *input,
                         ks_strbuf *out, ks_kubectl_tables *tables)
{
    return run_line(sim, line, base_dir, input, out, tables);
}

int ks_kubectl_check(const char *line, ks_strbuf *out)
{
    return run_line(NULL, line, NULL, NULL, out, NULL);
}
