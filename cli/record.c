/* record.c -- `kubesim serve --record FILE`: the session as a scenario.
 *
 * The recording is the served scenario's text with two edits, made as text
 * so that its comments and layout stay: spec.duration set to the simulated
 * now (in microseconds), and one timeline item per kubectl step the API ran
 * ({at: Tus, kubectl: "LINE"}, at the quiet instant it ran at; a node
 * failure or recovery through POST /kubesim/v1/nodes/NAME/ACTION as {at:
 * Tus, node: {name: "NAME", action: ACTION}}), put before
 * the first item of spec.timeline (or as a new spec.timeline). The objects
 * those steps apply are the session folder's files beside FILE. A timeline
 * step runs at T before anything else scheduled for T (ks_runner.h), as the
 * live step did, so the recording replays the session's trace byte for
 * byte: its fingerprint, the live run's, is pinned in it (spec.fingerprint),
 * and `kubesim test FILE` checks that.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/ks_event.h"
#include "load/ks_yaml.h"
#include "run/ks_runner.h"
#include "serve.h"
#include "testjob.h"

/* Byte offset of the start of 1-based line in buf, or -1. */
static long line_start(const char *buf, size_t len, unsigned line)
{
    size_t i = 0;
    unsigned l = 1;
    while (i < len && l < line)
        if (buf[i++] == '\n')
            l++;
    return l == line ? (long)i : -1;
}

/* buf with [cut, resume) replaced by mid (a new malloc'd text, *len set). */
static char *splice(const char *buf, size_t *len, size_t cut, size_t resume, const char *mid)
{
    size_t m = strlen(mid), n = cut + m + (*len - resume);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, buf, cut);
    memcpy(out + cut, mid, m);
    memcpy(out + cut + m, buf + resume, *len - resume);
    out[n] = '\0';
    *len = n;
    return out;
}

static const ks_yaml_node *spec_of(ks_arena *ar, const char *text, size_t len, ks_diags *d)
{
    ks_yaml_stream *s = NULL;
    const ks_yaml_node *spec;
    if (ks_yaml_parse(ar, "recording", text, len, NULL, &s, d) != KS_OK || !s || !s->ndocs
        || !(spec = ks_yaml_get(s->docs[0].root, "spec")) || spec->kind != KS_YAML_MAP
        || spec->n == 0)
        return NULL;
    return spec;
}

/* A key's line is "INDENT KEY: VALUE": the offsets of the line and of the
   value's end (the line's end: the served scenarios write duration and
   timeline items one to a line). */
static bool line_of(const char *buf, size_t len, const ks_yaml_node *n, size_t *start,
                    size_t *end)
{
    long s = line_start(buf, len, n->mark.line);
    size_t e;
    if (s < 0)
        return false;
    for (e = (size_t)s; e < len && buf[e] != '\n'; e++) {
    }
    *start = (size_t)s;
    *end = e < len ? e + 1 : e;
    return true;
}

static char *set_duration(char *text, size_t *len, ks_time now, char *why, size_t n)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags *d = malloc(sizeof *d);
    const ks_yaml_node *spec, *key;
    char line[200], *out = NULL;
    size_t s, e;
    if (!ar || !d)
        goto out;
    ks_diags_init(d);
    if (!(spec = spec_of(ar, text, *len, d))) {
        snprintf(why, n, "the served scenario has no block spec: mapping to record into");
        goto out;
    }
    snprintf(line, sizeof line, "%*sduration: %lldus\n", (int)spec->items[0]->mark.col - 1, "",
             (long long)now);
    if ((key = ks_yaml_key(spec, "duration")) != NULL) {
        if (!line_of(text, *len, key, &s, &e))
            goto out;
    } else {
        if (line_start(text, *len, spec->items[0]->mark.line) < 0)
            goto out;
        s = e = (size_t)line_start(text, *len, spec->items[0]->mark.line);
    }
    out = splice(text, len, s, e, line);
out:
    if (!out && !why[0])
        snprintf(why, n, "could not set spec.duration");
    free(d);
    ks_arena_destroy(ar);
    return out;
}

/* s as a YAML double-quoted scalar: \ and " escaped, control characters
 * as \n, \t or \xHH (YAML 1.1 section 5.7), so any stdin reads back the same. */
static void put_quoted(ks_strbuf *b, const char *s)
{
    ks_strbuf_putc(b, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            ks_strbuf_printf(b, "\\%c", ch);
        else if (ch == '\n')
            ks_strbuf_puts(b, "\\n");
        else if (ch == '\t')
            ks_strbuf_puts(b, "\\t");
        else if (ch < 0x20 || ch == 0x7f)
            ks_strbuf_printf(b, "\\x%02x", ch);
        else
            ks_strbuf_putc(b, (char)ch);
    }
    ks_strbuf_putc(b, '"');
}

static char *add_steps(char *text, size_t *len, const ksv_api *api, char *why, size_t n)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags *d = malloc(sizeof *d);
    const ks_yaml_node *spec, *tl, *key;
    ks_strbuf b;
    char prefix[64], *out = NULL;
    size_t i, at;
    ks_strbuf_init(&b, NULL);
    if (!ar || !d)
        goto out;
    ks_diags_init(d);
    if (!(spec = spec_of(ar, text, *len, d)))
        goto out;
    tl = ks_yaml_get(spec, "timeline");
    key = ks_yaml_key(spec, "timeline");
    if (tl && tl->kind == KS_YAML_SEQ && tl->n > 0) {
        /* before its first item, with that item's "    - " */
        long s = line_start(text, *len, tl->items[0]->mark.line);
        unsigned col = tl->items[0]->mark.col;
        if (s < 0 || col < 3 || text[s + col - 3] != '-' || tl->items[0]->mark.line == key->mark.line) {
            snprintf(why, n, "spec.timeline is not a block list; record into a copy written "
                             "with one item a line");
            goto out;
        }
        snprintf(prefix, sizeof prefix, "%.*s", (int)(col - 1), text + s);
        at = (size_t)s;
    } else if (!tl || ks_yaml_is_null(tl)) {
        /* a new timeline before spec's first key */
        long s = line_start(text, *len, spec->items[0]->mark.line);
        int ind = (int)spec->items[0]->mark.col - 1;
        if (s < 0 || tl)
            goto out;
        ks_strbuf_printf(&b, "%*stimeline:\n", ind, "");
        snprintf(prefix, sizeof prefix, "%*s- ", ind + 2, "");
        at = (size_t)s;
    } else {
        snprintf(why, n, "spec.timeline is not a block list; record into a copy written with "
                         "one item a line");
        goto out;
    }
    for (i = 0; i < ksv_api_steps(api); i++) {
        ks_time t;
        const char *line, *c;
        ksv_api_step(api, i, &t, &line);
        if (strncmp(line, "node ", 5) == 0) {
            /* "node NAME ACTION" (POST /kubesim/v1/nodes/NAME/ACTION): a node step */
            const char *sp = strrchr(line, ' ');
            ks_strbuf_printf(&b, "%s{at: %lldus, node: {name: \"%.*s\", action: %s}}\n", prefix,
                             (long long)t, (int)(sp - line - 5), line + 5, sp + 1);
            continue;
        }
        ks_strbuf_printf(&b, "%s{at: %lldus, kubectl: ", prefix, (long long)t);
        put_quoted(&b, line);
        if ((c = ksv_api_step_input(api, i)) != NULL) {
            /* what was piped into kubectl exec -i, for the replay */
            ks_strbuf_puts(&b, ", stdin: ");
            put_quoted(&b, c);
        }
        ks_strbuf_puts(&b, "}\n");
    }
    if (!ks_strbuf_failed(&b))
        out = splice(text, len, at, at, ks_strbuf_str(&b));
out:
    if (!out && !why[0])
        snprintf(why, n, "could not add the steps to spec.timeline");
    ks_strbuf_fini(&b);
    free(d);
    ks_arena_destroy(ar);
    return out;
}

int ksc_record_write(const char *path, const ksc_served *s, ks_run *run, const ksv_api *api)
{
    char why[600] = "", hex[17], *t1 = NULL, *t2 = NULL;
    size_t len = s->len;
    FILE *f;
    int rc = KSC_EXIT_INTERNAL;
    if (ksv_api_steps(api) == 0 && s->generated)
        fprintf(stderr, "kubesim serve: --record %s: no change was made through the API; "
                        "the recording is the cluster as served\n", path);
    if (!(t1 = set_duration(s->text, &len, ks_now(ks_run_sim(run)), why, sizeof why))
        || (ksv_api_steps(api) && !(t2 = add_steps(t1, &len, api, why, sizeof why)))) {
        fprintf(stderr, "kubesim serve: --record %s: %s\n", path, why);
        goto out;
    }
    if (!(f = fopen(path, "w")) || fwrite(t2 ? t2 : t1, 1, len, f) != len) {
        fprintf(stderr, "kubesim serve: --record %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        goto out;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "kubesim serve: --record %s: %s\n", path, strerror(errno));
        goto out;
    }
    ks_run_fingerprint_hex(run, hex);
    if (ksc_pin_fingerprint(path, hex, why, sizeof why) < 0) {
        fprintf(stderr, "kubesim serve: --record %s: %s\n", path, why);
        goto out;
    }
    printf("kubesim serve: recorded %zu step%s in %s (fingerprint %s; replay: "
           "kubesim run %s)\n", ksv_api_steps(api), ksv_api_steps(api) == 1 ? "" : "s", path,
           hex, path);
    rc = KSC_EXIT_OK;
out:
    free(t1);
    free(t2);
    return rc;
}
