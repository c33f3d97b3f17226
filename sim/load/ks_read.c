/* ks_read.c -- typed, located reading of YAML trees (see ks_read.h). */
#include "ks_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ks_reader_init(ks_reader *r, ks_arena *ar, ks_diags *d)
{
    memset(r, 0, sizeof *r);
    r->ar = ar;
    r->d = d;
}

size_t ks_rd_push(ks_reader *r, const char *field)
{
    size_t old = r->plen;
    int k = snprintf(r->path + r->plen, sizeof r->path - r->plen, "%s%s",
                     r->plen ? "." : "", field);
    if (k > 0)
        r->plen = r->plen + (size_t)k < sizeof r->path ? r->plen + (size_t)k
                                                       : sizeof r->path - 1;
    return old;
}

size_t ks_rd_push_index(ks_reader *r, size_t i)
{
    size_t old = r->plen;
    int k = snprintf(r->path + r->plen, sizeof r->path - r->plen, "[%zu]", i);
    if (k > 0)
        r->plen = r->plen + (size_t)k < sizeof r->path ? r->plen + (size_t)k
                                                       : sizeof r->path - 1;
    return old;
}

void ks_rd_pop(ks_reader *r, size_t saved)
{
    r->plen = saved;
    r->path[saved] = '\0';
}

const char *ks_rd_field(ks_reader *r, const char *key)
{
    snprintf(r->field, sizeof r->field, "%s%s%s", r->path,
             r->plen && key[0] ? "." : "", key);
    return r->field;
}

bool ks_rd_fail(ks_reader *r, const ks_yaml_node *at, int code, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ks_diag_error(r->d, code, at ? at->mark : KS_MARK_NONE, "%s", msg);
    return false;
}

/* Short quote of a scalar for messages: 'three' (cut at 40 bytes). */
static const char *quote(const ks_yaml_node *n, char *buf, size_t size)
{
    if (n->kind != KS_YAML_SCALAR)
        snprintf(buf, size, "%s", n->kind == KS_YAML_MAP ? "an object" : "a list");
    else
        snprintf(buf, size, "'%.40s%s'", n->str, n->len > 40 ? "..." : "");
    return buf;
}

static bool wrong_type(ks_reader *r, const ks_yaml_node *n, const char *key,
                       const char *want, const char *hint)
{
    char q[64];
    if (n->kind != KS_YAML_SCALAR)           /* "not an object", "not a list" */
        return ks_rd_fail(r, n, KS_ESCHEMA, "%s must be %s, not %s%s", ks_rd_field(r, key),
                          want, quote(n, q, sizeof q), hint ? hint : "");
    return ks_rd_fail(r, n, KS_ESCHEMA, "%s must be %s, not %s %s %s%s", ks_rd_field(r, key),
                      want, strcmp(ks_yaml_type_name(n), "integer") == 0 ? "an" : "a",
                      ks_yaml_type_name(n), quote(n, q, sizeof q), hint ? hint : "");
}

static const ks_yaml_node *field(ks_reader *r, const ks_yaml_node *map, const char *key,
                                 bool required)
{
    const ks_yaml_node *n = ks_yaml_get(map, key);
    if ((!n || ks_yaml_is_null(n)) && required) {
        ks_rd_fail(r, map, KS_ESCHEMA, "%s is required", ks_rd_field(r, key));
        return NULL;
    }
    return n && !ks_yaml_is_null(n) ? n : NULL;
}

bool ks_rd_node_str(ks_reader *r, const ks_yaml_node *n, const char *what, const char **out)
{
    if (!ks_yaml_is_string(n)) {
        const char *hint = n->kind == KS_YAML_SCALAR ? "; put it in quotes" : NULL;
        return wrong_type(r, n, what, "a string", hint);
    }
    *out = n->str;
    return true;
}

bool ks_rd_str(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
               const char **out)
{
    const ks_yaml_node *n = field(r, map, key, required);
    if (!n)
        return false;
    if (!ks_yaml_is_string(n)) {
        char hint[96];
        if (n->kind == KS_YAML_SCALAR) {
            snprintf(hint, sizeof hint, "; put it in quotes: %s: '%.40s'", key, n->str);
            return wrong_type(r, n, key, "a string", hint);
        }
        return wrong_type(r, n, key, "a string", NULL);
    }
    *out = n->str;
    return true;
}

bool ks_rd_int(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
               int64_t min, int64_t max, int64_t *out)
{
    const ks_yaml_node *n = field(r, map, key, required);
    int64_t v;
    if (!n)
        return false;
    if (!ks_yaml_int(n, &v))
        return wrong_type(r, n, key, "an integer",
                          n->style == KS_YAML_QUOTED ? "; remove the quotes" : NULL);
    if (v < min || v > max)
        return ks_rd_fail(r, n, KS_EINVAL, "%s must be between %lld and %lld, not %lld",
                          ks_rd_field(r, key), (long long)min, (long long)max, (long long)v);
    *out = v;
    return true;
}

bool ks_rd_bool(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
                bool *out)
{
    const ks_yaml_node *n = field(r, map, key, required);
    if (!n)
        return false;
    if (!ks_yaml_bool(n, out))
        return wrong_type(r, n, key, "true or false", NULL);
    return true;
}

bool ks_rd_duration(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
                    ks_time *out)
{
    const ks_yaml_node *n = field(r, map, key, required);
    if (!n)
        return false;
    if (n->kind != KS_YAML_SCALAR || ks_duration_parse(n->str, out) != 0) {
        char q[64];
        return ks_rd_fail(r, n, KS_EINVAL,
                          "%s must be a duration like 500ms, 10s or 2m, not %s",
                          ks_rd_field(r, key), quote(n, q, sizeof q));
    }
    return true;
}

const ks_yaml_node *ks_rd_map(ks_reader *r, const ks_yaml_node *map, const char *key,
                              bool required)
{
    const ks_yaml_node *n = field(r, map, key, required);
    if (n && n->kind != KS_YAML_MAP) {
        wrong_type(r, n, key, "an object (key: value lines)", NULL);
        return NULL;
    }
    return n;
}

const ks_yaml_node *ks_rd_seq(ks_reader *r, const ks_yaml_node *map, const char *key,
                              bool required)
{
    const ks_yaml_node *n = field(r, map, key, required);
    if (n && n->kind != KS_YAML_SEQ) {
        wrong_type(r, n, key, "a list (lines starting with '- ')", NULL);
        return NULL;
    }
    return n;
}

bool ks_rd_str_list(ks_reader *r, const ks_yaml_node *map, const char *key, bool required,
                    const char ***out, size_t *n)
{
    const ks_yaml_node *s = ks_rd_seq(r, map, key, required);
    size_t i, saved;
    bool ok = true;
    *out = NULL;
    *n = 0;
    if (!s)
        return false;
    *out = ks_arena_alloc(r->ar, (s->n + 1) * sizeof **out);
    if (!*out)
        return ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
    saved = ks_rd_push(r, key);
    for (i = 0; i < s->n; i++) {
        size_t s2 = ks_rd_push_index(r, i);
        if (ks_rd_node_str(r, s->items[i], "", &(*out)[*n]))
            (*n)++;
        else
            ok = false;
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    return ok;
}

/* Optimal string alignment distance, capped: returns 3 for anything > 2. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    int d[40][40];
    if (la >= 39 || lb >= 39 || (la > lb ? la - lb : lb - la) > 2)
        return 3;
    for (i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (i = 1; i <= la; i++)
        for (j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
                && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb] > 2 ? 3 : d[la][lb];
}

static bool same_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
        char y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

const char *ks_rd_suggest(const char *word, const char *const *known)
{
    const char *best = NULL;
    int bestd = 3;
    size_t len = strlen(word);
    for (; *known; known++) {
        int dd;
        if (same_ignoring_case(word, *known))
            return *known;
        /* short words are too easily close to something */
        if (len < 4)
            continue;
        dd = distance(word, *known);
        /* two edits are only a likely typo in a longer word */
        if (dd < bestd && !(dd == 2 && len < 6)) {
            bestd = dd;
            best = *known;
        }
    }
    return best;
}

static bool is_known(const char *key, const char *const *known)
{
    for (; *known; known++)
        if (strcmp(key, *known) == 0)
            return true;
    return false;
}

void ks_rd_ignored(ks_reader *r, const ks_yaml_node *map, const char *const *ignored)
{
    size_t i;
    if (!map || map->kind != KS_YAML_MAP)
        return;
    for (i = 0; i < map->n; i++) {
        const ks_yaml_node *k = map->items[2 * i];
        if (is_known(k->str, ignored))
            ks_diag_warn(r->d, k->mark,
                         "%s: kubesim does not simulate this field yet; it is ignored here "
                         "(on a cluster it would take effect)", ks_rd_field(r, k->str));
    }
}

void ks_rd_strict(ks_reader *r, const ks_yaml_node *map, const char *const *known)
{
    size_t i;
    if (!map || map->kind != KS_YAML_MAP)
        return;
    for (i = 0; i < map->n; i++) {
        const ks_yaml_node *k = map->items[2 * i];
        const char *guess;
        char list[300];
        size_t len = 0;
        const char *const *p;
        if (is_known(k->str, known))
            continue;
        guess = ks_rd_suggest(k->str, known);
        if (guess) {
            ks_diag_error(r->d, KS_ESCHEMA, k->mark, "unknown field %s; did you mean '%s'?",
                          ks_rd_field(r, k->str), guess);
            continue;
        }
        list[0] = '\0';
        for (p = known; *p && len + strlen(*p) + 3 < sizeof list; p++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                    p == known ? "" : ", ", *p);
        ks_diag_error(r->d, KS_ESCHEMA, k->mark, "unknown field %s; expected one of: %s",
                      ks_rd_field(r, k->str), list);
    }
}
