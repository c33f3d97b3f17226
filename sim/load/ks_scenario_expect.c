/* ks_scenario_expect.c -- a scenario's expect:, goals: and hints:, and the
 * small languages they use: comparisons, label selectors, entry points.
 *
 *   expectation := {at: DURATION | end, or during: [DURATION, DURATION],
 *                   id: DNS-LABEL, title: TEXT, and exactly one KIND: {...}}
 *   KIND (fields; `*` marks numbers that take a comparison):
 *     pods      selector, count*, ready*, running*, status      (one check at least)
 *     pod       name | selector, status, ready: BOOL, restarts*, node
 *     records   selector | pvc, count*
 *     requests  path, to, status: 404 | "5xx", count*, success* (a share, with %)
 *     pvc, pv   name, status, capacity: QUANTITY, storageClass  (name alone: exists)
 *     endpoints service, ready*
 *     events    reason, selector, count* (default ">= 1")
 *     log       selector, contains
 *     jobs      name | selector, status, succeeded*, failed*, active*
 *   comparison  := N | "[OP] N[%]"    OP := == != < <= > >=   (no OP: ==)
 *   selector    := REQ (, REQ)*       REQ := k | !k | k=v | k==v | k!=v |
 *                                            k in (v, ...) | k notin (v, ...)
 *   hints       := {GOAL-ID: TEXT | [TEXT...]}    (goals are found by id)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/loadutil.h"
#include "internal/scenario.h"
#include "ks_validate.h"

/* ---- selectors ----------------------------------------------------------- */

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || c == '-' || c == '_' || c == '.';
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* The next key (with '/') or value at *p, copied into the arena. */
static const char *word(ks_arena *ar, const char **p, bool key)
{
    const char *s = *p;
    while (name_char(**p) || (key && **p == '/'))
        (*p)++;
    return ks_arena_strndup(ar, s, (size_t)(*p - s));
}

static int sel_fail(char *why, size_t n, const char *fmt, const char *a, const char *b)
{
    snprintf(why, n, fmt, a, b);
    return KS_EINVAL;
}

static int check_value(const char *v, char *why, size_t n)
{
    const char *bad = ks_check_label_value(v);
    return bad ? sel_fail(why, n, "label value '%s' %s", v, bad) : KS_OK;
}

/* The values of `k in (a, b)` / `k notin (a, b)`, from the '('. */
static int parse_set(ks_arena *ar, const char **p, ks_sel_req *q, char *why, size_t wn)
{
    const char *op = q->op == KS_SEL_IN ? "in" : "notin", *s;
    size_t cap = 1;
    int rc;
    for (s = *p; *s && *s != ')'; s++)
        cap += *s == ',';
    if (!(q->values = ks_arena_alloc(ar, cap * sizeof *q->values)))
        return KS_ENOMEM;
    *p = skip_ws(*p);
    if (**p != '(')
        return sel_fail(why, wn, "expected '(' after '%s', as in: env %s (prod,dev)", op, op);
    for (;;) {
        const char *v;
        *p = skip_ws(*p + 1);
        if (!(v = word(ar, p, false)))
            return KS_ENOMEM;
        if (!*v)
            return sel_fail(why, wn, "expected a value in the set at '%s'%s",
                            **p ? *p : "the end", "");
        if ((rc = check_value(v, why, wn)) != KS_OK)
            return rc;
        q->values[q->nvalues++] = v;
        *p = skip_ws(*p);
        if (**p == ')')
            break;
        if (**p != ',')
            return sel_fail(why, wn, "expected ',' or ')' in the set at '%s'%s",
                            **p ? *p : "the end", "");
    }
    (*p)++;
    return KS_OK;
}

/* One requirement at *p: !k | k | k=v | k==v | k!=v | k in (...) | k notin (...). */
static int parse_req(ks_arena *ar, const char **p, ks_sel_req *q, char *why, size_t wn)
{
    bool neg = **p == '!';
    const char *bad;
    *p = skip_ws(*p + neg);
    if (!(q->key = word(ar, p, true)))
        return KS_ENOMEM;
    if (!*q->key)
        return sel_fail(why, wn, "expected a label key at '%s'%s", **p ? *p : "the end", "");
    if ((bad = ks_check_label_key(q->key)) != NULL)
        return sel_fail(why, wn, "label key '%s' %s", q->key, bad);
    *p = skip_ws(*p);
    if (neg) {
        q->op = KS_SEL_NOT_EXISTS;
    } else if (!**p || **p == ',') {
        q->op = KS_SEL_EXISTS;
    } else if (**p == '=' || ((*p)[0] == '!' && (*p)[1] == '=')) {
        q->op = **p == '!' ? KS_SEL_NOT_IN : KS_SEL_IN;
        *p += (**p == '!' || (*p)[1] == '=') ? 2 : 1;
        *p = skip_ws(*p);
        if (!(q->values = ks_arena_alloc(ar, sizeof *q->values))
            || !(q->values[0] = word(ar, p, false)))
            return KS_ENOMEM;
        q->nvalues = 1;
        return check_value(q->values[0], why, wn);
    } else if (strncmp(*p, "in", 2) == 0 && ((*p)[2] == '(' || (*p)[2] == ' ')) {
        q->op = KS_SEL_IN;
        *p += 2;
        return parse_set(ar, p, q, why, wn);
    } else if (strncmp(*p, "notin", 5) == 0 && ((*p)[5] == '(' || (*p)[5] == ' ')) {
        q->op = KS_SEL_NOT_IN;
        *p += 5;
        return parse_set(ar, p, q, why, wn);
    } else {
        return sel_fail(why, wn, "expected =, ==, !=, in or notin after '%s' at '%s'", q->key,
                        *p);
    }
    return KS_OK;
}

int ks_scn_selector_parse(ks_arena *ar, const char *text, ks_selector *out, char *why,
                          size_t wn)
{
    size_t cap = 1;
    const char *p;
    int rc;
    memset(out, 0, sizeof *out);
    for (p = text; *p; p++)
        cap += *p == ',';
    if (!(out->exprs = ks_arena_alloc(ar, cap * sizeof *out->exprs)))
        return KS_ENOMEM;
    p = skip_ws(text);
    if (!*p)
        return KS_OK;
    for (;;) {
        if ((rc = parse_req(ar, &p, &out->exprs[out->nexprs], why, wn)) != KS_OK)
            return rc;
        out->nexprs++;
        p = skip_ws(p);
        if (!*p)
            return KS_OK;
        if (*p != ',')
            return sel_fail(why, wn, "expected ',' between requirements at '%s'%s", p, "");
        p = skip_ws(p + 1);
        if (!*p)
            return sel_fail(why, wn, "%s%s",
                            "a ',' at the end must be followed by a requirement", "");
    }
}

void ksi_scn_read_selector(ks_reader *r, const ks_yaml_node *m, const char *key,
                           bool required, ks_scn_selector *out)
{
    const char *text;
    char why[200];
    int rc;
    memset(out, 0, sizeof *out);
    if (!ks_rd_str(r, m, key, required, &text))
        return;
    if (!*skip_ws(text)) {
        ks_rd_fail(r, ks_yaml_get(m, key), KS_EINVAL,
                   "%s is empty; write one like component=server", ks_rd_field(r, key));
        return;
    }
    rc = ks_scn_selector_parse(r->ar, text, &out->sel, why, sizeof why);
    if (rc != KS_OK) {
        ks_rd_fail(r, ks_yaml_get(m, key), rc, "%s '%s': %s", ks_rd_field(r, key), text,
                   rc == KS_ENOMEM ? "out of memory" : why);
        memset(out, 0, sizeof *out);
        return;
    }
    out->text = text;
}

/* ---- comparisons ---------------------------------------------------------- */

static const char *const op_text[] = {"==", "!=", "<", "<=", ">", ">="};

int ks_scn_cmp_parse(const char *s, bool percent, ks_scn_cmp *out, char *why, size_t n)
{
    static const struct {
        const char *text;
        ks_scn_cmp_op op;
    } ops[] = {{">=", KS_SCN_CMP_GE}, {"<=", KS_SCN_CMP_LE}, {"==", KS_SCN_CMP_EQ},
               {"!=", KS_SCN_CMP_NE}, {">", KS_SCN_CMP_GT},  {"<", KS_SCN_CMP_LT},
               {"=", KS_SCN_CMP_EQ}};
    const char *p = skip_ws(s);
    int64_t v = 0;
    int frac = -1, digits = 0;
    size_t i;
    memset(out, 0, sizeof *out);
    out->op = KS_SCN_CMP_EQ;
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strncmp(p, ops[i].text, strlen(ops[i].text)) == 0) {
            out->op = ops[i].op;
            p = skip_ws(p + strlen(ops[i].text));
            break;
        }
    for (; (*p >= '0' && *p <= '9') || (*p == '.' && frac < 0); p++) {
        if (*p == '.') {
            frac = 0;
            continue;
        }
        if (v > (int64_t)1000000000000000 || frac >= 2)
            return snprintf(why, n, "'%s' is too %s", s, frac >= 2 ? "precise (2 decimals "
                            "at most)" : "large"), KS_EINVAL;
        v = v * 10 + (*p - '0');
        digits++;
        if (frac >= 0)
            frac++;
    }
    if (!digits)
        return snprintf(why, n, "expected a number, optionally after >=, <=, ==, !=, > or <; "
                        "not '%s'", s), KS_EINVAL;
    p = skip_ws(p);
    out->percent = *p == '%';
    p = skip_ws(p + out->percent);
    if (*p)
        return snprintf(why, n, "unexpected '%s' after the number", p), KS_EINVAL;
    if (percent && !out->percent)
        return snprintf(why, n, "this is a share of requests: write it with %%, like "
                        "\">= 99%%\""), KS_EINVAL;
    if (!percent && out->percent)
        return snprintf(why, n, "this is a count, not a share: remove the %%"), KS_EINVAL;
    if (!percent && frac >= 0)
        return snprintf(why, n, "a count is a whole number"), KS_EINVAL;
    for (; percent && frac < 2; frac = frac < 0 ? 1 : frac + 1)
        v *= 10;
    if (percent && v > 100 * KS_SCN_PCT_SCALE)
        return snprintf(why, n, "a share is at most 100%%"), KS_EINVAL;
    out->value = v;
    out->set = true;
    return KS_OK;
}

size_t ks_scn_cmp_format(const ks_scn_cmp *c, char *buf, size_t n)
{
    if (!c->percent)
        return (size_t)snprintf(buf, n, "%s %lld", op_text[c->op], (long long)c->value);
    if (c->value % KS_SCN_PCT_SCALE == 0)
        return (size_t)snprintf(buf, n, "%s %lld%%", op_text[c->op],
                                (long long)(c->value / KS_SCN_PCT_SCALE));
    if (c->value % 10 == 0)
        return (size_t)snprintf(buf, n, "%s %lld.%lld%%", op_text[c->op],
                                (long long)(c->value / KS_SCN_PCT_SCALE),
                                (long long)(c->value % KS_SCN_PCT_SCALE / 10));
    return (size_t)snprintf(buf, n, "%s %lld.%02lld%%", op_text[c->op],
                            (long long)(c->value / KS_SCN_PCT_SCALE),
                            (long long)(c->value % KS_SCN_PCT_SCALE));
}

static bool holds(ks_scn_cmp_op op, __int128 a, __int128 b)
{
    switch (op) {
    case KS_SCN_CMP_EQ: return a == b;
    case KS_SCN_CMP_NE: return a != b;
    case KS_SCN_CMP_LT: return a < b;
    case KS_SCN_CMP_LE: return a <= b;
    case KS_SCN_CMP_GT: return a > b;
    case KS_SCN_CMP_GE: return a >= b;
    }
    return false;
}

bool ks_scn_cmp_eval(const ks_scn_cmp *c, int64_t actual)
{
    return holds(c->op, actual, c->value);
}

bool ks_scn_cmp_eval_ratio(const ks_scn_cmp *c, int64_t part, int64_t whole)
{
    if (whole <= 0)
        return false;
    /* part/whole OP value/(100*SCALE), cross-multiplied */
    return holds(c->op, (__int128)part * 100 * KS_SCN_PCT_SCALE, (__int128)c->value * whole);
}

/* ---- entry points ------------------------------------------------------------ */

size_t ks_scn_target_format(const ks_scn_target *t, char *buf, size_t n)
{
    switch (t->kind) {
    case KS_SCN_TO_INGRESS: return (size_t)snprintf(buf, n, "ingress");
    case KS_SCN_TO_NODEPORT: return (size_t)snprintf(buf, n, "nodeport:%d", t->port);
    case KS_SCN_TO_SERVICE: return (size_t)snprintf(buf, n, "service:%s", t->name);
    case KS_SCN_TO_LOADBALANCER: return (size_t)snprintf(buf, n, "loadbalancer:%s", t->name);
    default: return (size_t)snprintf(buf, n, "any");
    }
}

void ksi_scn_read_target(ks_reader *r, const ks_yaml_node *m, const char *key,
                         ks_scn_target *out)
{
    const ks_yaml_node *n = ks_yaml_get(m, key);
    const char *s, *arg, *why;
    int64_t port = 0;
    memset(out, 0, sizeof *out);
    if (!ks_rd_str(r, m, key, false, &s))
        return;
    arg = strchr(s, ':');
    if (strcmp(s, "ingress") == 0) {
        out->kind = KS_SCN_TO_INGRESS;
        return;
    }
    if (arg && strncmp(s, "nodeport:", 9) == 0) {
        char *end;
        port = strtoll(arg + 1, &end, 10);
        if (*end || end == arg + 1 || port < 30000 || port > 32767) {
            ks_rd_fail(r, n, KS_EINVAL, "%s '%s': a NodePort is a number from 30000 to 32767",
                       ks_rd_field(r, key), s);
            return;
        }
        out->kind = KS_SCN_TO_NODEPORT;
        out->port = (int)port;
        return;
    }
    if (arg && (strncmp(s, "service:", 8) == 0 || strncmp(s, "loadbalancer:", 13) == 0)) {
        if ((why = ks_check_dns1035_label(arg + 1)) != NULL) {
            ks_rd_fail(r, n, KS_EINVAL, "%s '%s': '%s' is not a Service name: it %s",
                       ks_rd_field(r, key), s, arg + 1, why);
            return;
        }
        out->kind = s[0] == 's' ? KS_SCN_TO_SERVICE : KS_SCN_TO_LOADBALANCER;
        out->name = arg + 1;
        return;
    }
    ks_rd_fail(r, n, KS_EINVAL, "%s must be ingress, \"nodeport:31515\", \"service:NAME\" or "
               "\"loadbalancer:NAME\", not '%s'", ks_rd_field(r, key), s);
}

/* ---- expectations ------------------------------------------------------------ */

static const char *const kinds[] = {"pods", "pod",    "records", "requests", "pvc", "pv",
                                    "endpoints", "events", "log", "jobs", NULL};

static bool present(const ks_yaml_node *m, const char *key)
{
    const ks_yaml_node *n = ks_yaml_get(m, key);
    return n && !ks_yaml_is_null(n);
}

/* A count or share: N (==), or a comparison string. */
static void read_cmp(ks_reader *r, const ks_yaml_node *m, const char *key, bool percent,
                     bool required, ks_scn_cmp *out)
{
    const ks_yaml_node *n = ks_yaml_get(m, key);
    char why[200];
    int64_t v;
    int rc;
    memset(out, 0, sizeof *out);
    if (!n || ks_yaml_is_null(n)) {
        if (required)
            ks_rd_fail(r, m, KS_ESCHEMA, "%s is required, e.g. %s: %s", ks_rd_field(r, key),
                       key, percent ? "\">= 99%\"" : "\">= 1\"");
        return;
    }
    if (ks_yaml_int(n, &v)) {
        if (percent)
            ks_rd_fail(r, n, KS_EINVAL, "%s is a share of requests: write it with %%, like "
                       "\">= %lld%%\"", ks_rd_field(r, key), (long long)v);
        else if (v < 0)
            ks_rd_fail(r, n, KS_EINVAL, "%s must not be negative", ks_rd_field(r, key));
        else {
            out->set = true;
            out->op = KS_SCN_CMP_EQ;
            out->value = v;
            out->mark = n->mark;
        }
        return;
    }
    if (!ks_yaml_is_string(n)) {
        ks_rd_fail(r, n, KS_ESCHEMA, "%s must be a number or a comparison in quotes, like "
                   "\">= 3\", not %s", ks_rd_field(r, key),
                   n->kind == KS_YAML_MAP ? "an object" : n->kind == KS_YAML_SEQ ? "a list"
                                                                               : n->str);
        return;
    }
    rc = ks_scn_cmp_parse(n->str, percent, out, why, sizeof why);
    if (rc != KS_OK) {
        ks_rd_fail(r, n, rc, "%s '%s': %s", ks_rd_field(r, key), n->str, why);
        memset(out, 0, sizeof *out);
        return;
    }
    out->mark = n->mark;
}

/* requests.status: 404, or a class "5xx". */
static void read_http_status(ks_reader *r, const ks_yaml_node *m, ks_scn_expect *e)
{
    const ks_yaml_node *n = ks_yaml_get(m, "status");
    int64_t v;
    if (!n || ks_yaml_is_null(n))
        return;
    if (ks_yaml_int(n, &v) && v >= 100 && v <= 599) {
        e->http_lo = e->http_hi = (int)v;
    } else if (n->kind == KS_YAML_SCALAR && strlen(n->str) == 3 && n->str[0] >= '1'
               && n->str[0] <= '5' && strcmp(n->str + 1, "xx") == 0) {
        e->http_lo = (n->str[0] - '0') * 100;
        e->http_hi = e->http_lo + 99;
    } else {
        ks_rd_fail(r, n, KS_EINVAL, "%s must be an HTTP status (100 to 599) or a class like "
                   "\"5xx\", not '%s'", ks_rd_field(r, "status"),
                   n->kind == KS_YAML_SCALAR ? n->str : ks_yaml_type_name(n));
    }
}

/* "checks nothing", unless a misspelt field was reported already */
static void need_one(ks_reader *r, const ks_yaml_node *b, bool any, const char *list)
{
    if (!any)
        ks_rd_fail(r, b, KS_ESCHEMA, "%s checks nothing; give at least one of %s", r->path,
                   list);
}

static void one_of(ks_reader *r, const ks_yaml_node *b, const char *k1, const char *k2)
{
    if (present(b, k1) == present(b, k2))
        ks_rd_fail(r, b, KS_ESCHEMA, "%s needs exactly one of %s and %s", r->path, k1, k2);
}

static void read_name(ks_reader *r, const ks_yaml_node *b, const char *key, bool required,
                      bool service, const char **out)
{
    const char *why;
    if (ks_rd_str(r, b, key, required, out)
        && (why = service ? ks_check_dns1035_label(*out) : ks_check_dns_subdomain(*out))) {
        ks_rd_fail(r, ks_yaml_get(b, key), KS_EINVAL, "%s '%s' is not a valid name: it %s",
                   ks_rd_field(r, key), *out, why);
        *out = NULL;
    }
}

static void read_pod_ready(ks_reader *r, const ks_yaml_node *b, ks_scn_expect *e)
{
    const ks_yaml_node *n = ks_yaml_get(b, "ready");
    bool v;
    if (n && n->kind == KS_YAML_SCALAR && strchr(n->str, '/')) {
        ks_rd_fail(r, n, KS_EINVAL, "%s is true or false (is each matching pod Ready?); to "
                   "count ready pods use pods: {selector: ..., ready: N}",
                   ks_rd_field(r, "ready"));
        return;
    }
    if (ks_rd_bool(r, b, "ready", false, &v))
        e->pod_ready = v;
}

static void read_body(ks_reader *r, const ks_yaml_node *b, ks_scn_expect *e)
{
    static const char *const pods_keys[] = {"selector", "count", "ready", "running", "status",
                                            "namespace", NULL};
    static const char *const pod_keys[] = {"name", "selector", "status", "ready", "restarts",
                                           "node", "namespace", NULL};
    static const char *const records_keys[] = {"selector", "pvc", "count", "namespace", NULL};
    static const char *const requests_keys[] = {"path", "to", "status", "count", "success",
                                                NULL};
    static const char *const volume_keys[] = {"name", "status", "capacity", "storageClass",
                                              "namespace", NULL};
    static const char *const pv_keys[] = {"name", "status", "capacity", "storageClass", NULL};
    static const char *const endpoints_keys[] = {"service", "ready", "namespace", NULL};
    static const char *const events_keys[] = {"reason", "selector", "count", "namespace", NULL};
    static const char *const log_keys[] = {"selector", "contains", "namespace", NULL};
    static const char *const jobs_keys[] = {"name", "selector", "status", "succeeded", "failed",
                                            "active", "namespace", NULL};
    static const char *const *const keys[] = {pods_keys,     pod_keys,       records_keys,
                                              requests_keys, volume_keys,    pv_keys,
                                              endpoints_keys, events_keys,   log_keys,
                                              jobs_keys};
    const char *why;
    int before = r->d->errors;
    bool unknown;
    ks_rd_strict(r, b, keys[e->kind]);
    unknown = r->d->errors > before;
    if (ks_rd_str(r, b, "namespace", false, &e->ns) && (why = ks_check_dns_label(e->ns))) {
        ks_rd_fail(r, ks_yaml_get(b, "namespace"), KS_EINVAL,
                   "%s '%s' is not a valid namespace: it %s", ks_rd_field(r, "namespace"),
                   e->ns, why);
        e->ns = NULL;
    }
    switch (e->kind) {
    case KS_SCN_EXP_PODS:
        ksi_scn_read_selector(r, b, "selector", true, &e->selector);
        read_cmp(r, b, "count", false, false, &e->count);
        read_cmp(r, b, "ready", false, false, &e->ready);
        read_cmp(r, b, "running", false, false, &e->running);
        ks_rd_str(r, b, "status", false, &e->status);
        need_one(r, b, unknown || present(b, "count") || present(b, "ready")
                 || present(b, "running") || present(b, "status"),
                 "count, ready, running or status");
        break;
    case KS_SCN_EXP_POD:
        one_of(r, b, "name", "selector");
        read_name(r, b, "name", false, false, &e->name);
        ksi_scn_read_selector(r, b, "selector", false, &e->selector);
        ks_rd_str(r, b, "status", false, &e->status);
        read_pod_ready(r, b, e);
        read_cmp(r, b, "restarts", false, false, &e->restarts);
        read_name(r, b, "node", false, false, &e->node);
        need_one(r, b, unknown || present(b, "status") || present(b, "ready")
                 || present(b, "restarts") || present(b, "node"),
                 "status, ready, restarts or node");
        break;
    case KS_SCN_EXP_RECORDS:
        one_of(r, b, "selector", "pvc");
        ksi_scn_read_selector(r, b, "selector", false, &e->selector);
        read_name(r, b, "pvc", false, false, &e->pvc);
        read_cmp(r, b, "count", false, true, &e->count);
        break;
    case KS_SCN_EXP_REQUESTS:
        if (ks_rd_str(r, b, "path", false, &e->path) && e->path[0] != '/')
            ks_rd_fail(r, ks_yaml_get(b, "path"), KS_EINVAL, "%s must start with /, not '%s'",
                       ks_rd_field(r, "path"), e->path);
        ksi_scn_read_target(r, b, "to", &e->to);
        read_http_status(r, b, e);
        read_cmp(r, b, "count", false, false, &e->count);
        read_cmp(r, b, "success", true, false, &e->success);
        need_one(r, b, unknown || present(b, "count") || present(b, "success"),
                 "count or success");
        break;
    case KS_SCN_EXP_PVC:
    case KS_SCN_EXP_PV:
        read_name(r, b, "name", true, false, &e->name);
        ks_rd_str(r, b, "status", false, &e->status);
        ks_rd_str(r, b, "storageClass", false, &e->storage_class);
        if (ks_rd_str(r, b, "capacity", false, &e->capacity)
            && ((why = ks_quantity_parse(e->capacity, 0, &e->capacity_bytes)) != NULL)) {
            ks_rd_fail(r, ks_yaml_get(b, "capacity"), KS_EINVAL, "%s '%s' %s",
                       ks_rd_field(r, "capacity"), e->capacity, why);
            e->capacity = NULL;
        }
        break;
    case KS_SCN_EXP_ENDPOINTS:
        read_name(r, b, "service", true, true, &e->service);
        read_cmp(r, b, "ready", false, true, &e->ready);
        break;
    case KS_SCN_EXP_EVENTS:
        ks_rd_str(r, b, "reason", true, &e->reason);
        ksi_scn_read_selector(r, b, "selector", false, &e->selector);
        read_cmp(r, b, "count", false, false, &e->count);
        if (!present(b, "count")) {          /* "it happened" */
            e->count.set = true;
            e->count.op = KS_SCN_CMP_GE;
            e->count.value = 1;
            e->count.mark = b->mark;
        }
        break;
    case KS_SCN_EXP_LOG:
        ksi_scn_read_selector(r, b, "selector", true, &e->selector);
        if (ks_rd_str(r, b, "contains", true, &e->contains) && !e->contains[0])
            ks_rd_fail(r, ks_yaml_get(b, "contains"), KS_EINVAL, "%s is empty",
                       ks_rd_field(r, "contains"));
        break;
    case KS_SCN_EXP_JOBS:
        one_of(r, b, "name", "selector");
        read_name(r, b, "name", false, false, &e->name);
        ksi_scn_read_selector(r, b, "selector", false, &e->selector);
        if (ks_rd_str(r, b, "status", false, &e->status) && strcmp(e->status, "Complete")
            && strcmp(e->status, "Failed") && strcmp(e->status, "Running")
            && strcmp(e->status, "Suspended"))
            ks_rd_fail(r, ks_yaml_get(b, "status"), KS_EINVAL, "%s must be Complete, Failed, "
                       "Running or Suspended (kubectl get jobs' STATUS), not '%s'",
                       ks_rd_field(r, "status"), e->status);
        read_cmp(r, b, "succeeded", false, false, &e->succeeded);
        read_cmp(r, b, "failed", false, false, &e->failed);
        read_cmp(r, b, "active", false, false, &e->active);
        need_one(r, b, unknown || present(b, "status") || present(b, "succeeded")
                 || present(b, "failed") || present(b, "active"),
                 "status, succeeded, failed or active");
        break;
    }
}

static bool parse_time(ks_reader *r, const ks_yaml_node *n, const char *what, bool end_ok,
                       ks_time *out)
{
    if (n->kind == KS_YAML_SCALAR && ks_duration_parse(n->str, out) == 0)
        return true;
    return ks_rd_fail(r, n, KS_EINVAL, "%s must be a duration like 40s%s, not '%s'", what,
                      end_ok ? " (or end)" : "",
                      n->kind == KS_YAML_SCALAR ? n->str : ks_yaml_type_name(n));
}

static void read_when(ks_reader *r, const ks_yaml_node *m, ks_time duration,
                      ks_scn_expect *e)
{
    const ks_yaml_node *at = ks_yaml_get(m, "at"), *during = ks_yaml_get(m, "during");
    char field[160];
    if (!at == !during) {
        ks_rd_fail(r, m, KS_ESCHEMA, "%s needs exactly one of at: T (or at: end) and "
                   "during: [T1, T2]", r->path);
        return;
    }
    if (at) {
        snprintf(field, sizeof field, "%s", ks_rd_field(r, "at"));
        if (at->kind == KS_YAML_SCALAR && strcmp(at->str, "end") == 0)
            e->at_end = true;
        else if (parse_time(r, at, field, true, &e->at))
            ksi_scn_check_time(r, at, "at", e->at, duration);
        return;
    }
    snprintf(field, sizeof field, "%s", ks_rd_field(r, "during"));
    e->during = true;
    if (during->kind != KS_YAML_SEQ || during->n != 2) {
        ks_rd_fail(r, during, KS_ESCHEMA, "%s must be a window of two times, like "
                   "[10s, 40s]", field);
        return;
    }
    if (parse_time(r, during->items[0], field, false, &e->from)
        && parse_time(r, during->items[1], field, false, &e->until)) {
        if (e->from > e->until)
            ks_rd_fail(r, during, KS_EINVAL, "%s starts after it ends; write [earlier, later]",
                       field);
        else
            ksi_scn_check_time(r, during->items[1], "during ends at", e->until, duration);
    }
}

static void read_expect(ks_reader *r, const ks_yaml_node *m, ks_time duration,
                        ks_scn_expect *e)
{
    static const char *const keys[] = {"at",  "during", "id",        "title",  "pods",
                                       "pod", "records", "requests", "pvc",    "pv",
                                       "endpoints", "events", "log", "jobs", NULL};
    const ks_yaml_node *first = NULL, *body;
    const char *why;
    size_t i, saved;
    bool unknown;
    int before = r->d->errors;
    e->mark = m->mark;
    e->pod_ready = -1;
    ks_rd_strict(r, m, keys);
    unknown = r->d->errors > before;
    read_when(r, m, duration, e);
    if (ks_rd_str(r, m, "id", false, &e->id) && (why = ks_check_dns_label(e->id)) != NULL) {
        ks_rd_fail(r, ks_yaml_get(m, "id"), KS_EINVAL, "%s '%s' %s", ks_rd_field(r, "id"),
                   e->id, why);
        e->id = NULL;
    }
    ks_rd_str(r, m, "title", false, &e->title);
    for (i = 0; kinds[i]; i++) {
        if (!ks_yaml_get(m, kinds[i]))
            continue;
        if (first) {
            ks_rd_fail(r, ks_yaml_key(m, kinds[i]), KS_ESCHEMA,
                       "%s checks both %s and %s; give each check its own item", r->path,
                       first->str, kinds[i]);
            return;
        }
        first = ks_yaml_key(m, kinds[i]);
        e->kind = (ks_scn_expect_kind)i;
    }
    if (!first) {
        if (!unknown)                      /* a misspelt kind was reported already */
            ks_rd_fail(r, m, KS_ESCHEMA, "%s says what to check with one of pods, pod, "
                       "records, requests, pvc, pv, endpoints, events, log or jobs", r->path);
        return;
    }
    e->kind_mark = ks_yaml_get(m, first->str)->mark;
    if (!(body = ks_rd_map(r, m, first->str, true)))
        return;
    saved = ks_rd_push(r, first->str);
    read_body(r, body, e);
    ks_rd_pop(r, saved);
}

void ksi_scn_read_expects(ks_reader *r, const ks_yaml_node *spec, const char *key,
                          ks_time duration, ks_scn_expect **out, size_t *n)
{
    const ks_yaml_node *s = ksi_rd_list(r, spec, key, KS_SCENARIO_MAX_ITEMS);
    size_t i, j, saved;
    *out = NULL;
    *n = 0;
    if (!s || !s->n)
        return;
    if (!(*out = ks_arena_alloc(r->ar, s->n * sizeof **out))) {
        ks_rd_fail(r, s, KS_ENOMEM, "out of memory");
        return;
    }
    saved = ks_rd_push(r, key);
    for (i = 0; i < s->n; i++) {
        size_t s2 = ks_rd_push_index(r, i);
        if (s->items[i]->kind != KS_YAML_MAP)
            ks_rd_fail(r, s->items[i], KS_ESCHEMA, "%s must be an object like {at: 40s, pods: "
                       "{selector: app=web, ready: 3}}", r->path);
        else
            read_expect(r, s->items[i], duration, &(*out)[(*n)++]);
        ks_rd_pop(r, s2);
    }
    ks_rd_pop(r, saved);
    for (i = 0; i < *n; i++)                  /* O(n^2) over ids; lists are short */
        for (j = 0; (*out)[i].id && j < i; j++)
            if ((*out)[j].id && strcmp((*out)[i].id, (*out)[j].id) == 0) {
                ks_diag_error(r->d, KS_EINVAL, (*out)[i].mark,
                              "spec.%s: a second item with id '%s'; ids must be unique", key,
                              (*out)[i].id);
                ks_diag_note(r->d, (*out)[j].mark, "the first one is here");
                break;
            }
}

void ksi_scn_read_hints(ks_reader *r, const ks_yaml_node *spec, ks_scn_expect *goals,
                        size_t n)
{
    const ks_yaml_node *m = ks_rd_map(r, spec, "hints", false);
    const char **ids;
    size_t i, j, nids = 0, saved;
    if (!m)
        return;
    if (!(ids = ks_arena_alloc(r->ar, (n + 1) * sizeof *ids))) {
        ks_rd_fail(r, m, KS_ENOMEM, "out of memory");
        return;
    }
    for (j = 0; j < n; j++)
        if (goals[j].id)
            ids[nids++] = goals[j].id;
    saved = ks_rd_push(r, "hints");
    for (i = 0; i < m->n; i++) {
        const ks_yaml_node *k = m->items[2 * i];
        const char *guess;
        for (j = 0; j < n && !(goals[j].id && strcmp(goals[j].id, k->str) == 0); j++) {
        }
        if (j < n) {
            ksi_rd_str_or_list(r, m, k->str, 100, &goals[j].hints, &goals[j].nhints);
            continue;
        }
        guess = ks_rd_suggest(k->str, ids);
        if (guess)
            ks_rd_fail(r, k, KS_EINVAL, "%s: no goal has id '%s'; did you mean '%s'?",
                       r->path, k->str, guess);
        else
            ks_rd_fail(r, k, KS_EINVAL, "%s: no goal has id '%s'; hints are keyed by a goal's "
                       "id: give the goal id: %s", r->path, k->str, k->str);
    }
    ks_rd_pop(r, saved);
}
