/* pin.c -- `kubesim test --update-fingerprints`: write a scenario's
 * fingerprint into its file, changing nothing else.
 *
 * The file is parsed only to find where things are (libyaml marks); the
 * edit itself is textual: the old value is replaced in place, or one line
 * `fingerprint: "HEX"` is inserted under spec (after `seed:`, else as its
 * first key, with the indentation of spec's keys). A spec written in flow
 * style ({...}) is left alone, with a message. The new file replaces the
 * old one by rename, keeping its permissions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load/ks_file.h"
#include "load/ks_yaml.h"
#include "testjob.h"

/* Byte offset of 1-based (line, col) in buf; col counts characters, as
 * libyaml does, so UTF-8 continuation bytes are skipped. -1: out of range. */
static long offset_of(const char *buf, size_t len, unsigned line, unsigned col)
{
    size_t i = 0;
    unsigned l = 1, c = 1;
    while (i < len && l < line)
        if (buf[i++] == '\n')
            l++;
    if (l != line)
        return -1;
    while (i < len && c < col && buf[i] != '\n') {
        i++;
        while (i < len && ((unsigned char)buf[i] & 0xC0) == 0x80)
            i++;
        c++;
    }
    return c == col ? (long)i : -1;
}

/* End of the scalar starting at s (one line: quoted or plain). */
static size_t scalar_end(const char *buf, size_t len, size_t s)
{
    size_t i = s;
    if (buf[s] == '"' || buf[s] == '\'') {
        char q = buf[s];
        for (i = s + 1; i < len && buf[i] != '\n'; i++) {
            if (q == '"' && buf[i] == '\\' && i + 1 < len)
                i++;
            else if (buf[i] == q)
                return i + 1;
        }
        return i;
    }
    while (i < len && buf[i] != '\n' && buf[i] != '\r' && !(buf[i] == '#' && i > s
                                                            && buf[i - 1] == ' '))
        i++;
    while (i > s && (buf[i - 1] == ' ' || buf[i - 1] == '\t'))
        i--;
    return i;
}

/* Writes head + mid + tail to path through a temporary file and rename. */
static int write_spliced(const char *path, const char *buf, size_t cut, size_t resume,
                         size_t len, const char *mid, char *why, size_t n)
{
    char tmp[4096];
    struct stat st;
    FILE *f;
    snprintf(tmp, sizeof tmp, "%s.kubesim-tmp", path);
    if (!(f = fopen(tmp, "wb"))) {
        snprintf(why, n, "cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    fwrite(buf, 1, cut, f);
    fputs(mid, f);
    fwrite(buf + resume, 1, len - resume, f);
    if (ferror(f) | (fclose(f) != 0)) {
        remove(tmp);
        snprintf(why, n, "writing %s failed", tmp);
        return -1;
    }
    if (stat(path, &st) == 0)
        chmod(tmp, st.st_mode & 07777);
    if (rename(tmp, path) != 0) {
        remove(tmp);
        snprintf(why, n, "cannot replace %s: %s", path, strerror(errno));
        return -1;
    }
    return 1;
}

int ksc_pin_fingerprint(const char *path, const char *hex, char *why, size_t n)
{
    size_t len = 0;
    char *buf = NULL, value[40], line[128];
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags *d = malloc(sizeof *d);
    ks_yaml_stream *s = NULL;
    const ks_yaml_node *spec, *fp, *anchor;
    const char *nl, *name;
    long at;
    int rc = -1;
    snprintf(value, sizeof value, "\"%s\"", hex);
    if (!ar || !d) {
        snprintf(why, n, "out of memory");
        goto out;
    }
    ks_diags_init(d);
    if (ks_file_read(ar, path, ks_yaml_default_limits().max_bytes, &buf, &len, &name, d)
        != KS_OK) {
        ks_diag_format(d, 0, why, n);
        goto out;
    }
    if (ks_yaml_parse(ar, path, buf, len, NULL, &s, d) != KS_OK || !s || !s->ndocs
        || !(spec = ks_yaml_get(s->docs[0].root, "spec")) || spec->kind != KS_YAML_MAP) {
        snprintf(why, n, "%s has no spec: mapping to put the fingerprint in", path);
        goto out;
    }
    if ((at = offset_of(buf, len, spec->mark.line, spec->mark.col)) < 0 || buf[at] == '{'
        || spec->n == 0) {
        snprintf(why, n, "spec is written in flow style ({...}); add fingerprint: %s by hand",
                 value);
        goto out;
    }
    fp = ks_yaml_get(spec, "fingerprint");
    if (fp) {
        size_t end;
        if (fp->kind != KS_YAML_SCALAR
            || (at = offset_of(buf, len, fp->mark.line, fp->mark.col)) < 0) {
            snprintf(why, n, "spec.fingerprint is not a one-line string");
            goto out;
        }
        if (strcmp(fp->str, hex) == 0) {
            rc = 0;
            goto out;
        }
        end = scalar_end(buf, len, (size_t)at);
        rc = write_spliced(path, buf, (size_t)at, end, len, value, why, n);
        goto out;
    }
    /* insert a line: after seed: when spec has it, else before its first key */
    anchor = ks_yaml_key(spec, "seed");
    nl = strstr(buf, "\r\n") ? "\r\n" : "\n";
    snprintf(line, sizeof line, "%*sfingerprint: %s%s", (int)spec->items[0]->mark.col - 1, "",
             value, nl);
    if (anchor && ks_yaml_get(spec, "seed")->mark.line == anchor->mark.line) {
        at = offset_of(buf, len, anchor->mark.line, 1);
        while (at >= 0 && (size_t)at < len && buf[at] != '\n')
            at++;
        if (at >= 0 && (size_t)at < len)
            at++;                           /* after the seed line's newline */
        else if (at >= 0) {                 /* seed: is the last line, no newline */
            char first[160];
            snprintf(first, sizeof first, "%s%s", nl, line);
            first[strlen(first) - strlen(nl)] = '\0';
            rc = write_spliced(path, buf, len, len, len, first, why, n);
            goto out;
        }
    } else {
        at = offset_of(buf, len, spec->items[0]->mark.line, 1);
    }
    if (at < 0) {
        snprintf(why, n, "could not find where spec's keys start");
        goto out;
    }
    rc = write_spliced(path, buf, (size_t)at, (size_t)at, len, line, why, n);
out:
    free(d);
    ks_arena_destroy(ar);
    return rc;
}
