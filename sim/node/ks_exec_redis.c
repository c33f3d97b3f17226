/* ks_exec_redis.c -- redis-cli in the redis container (kubectl exec): the
 * commands it answers over the keys its server holds.
 *
 * A key is a record of the server's memory (DBSIZE counts them): a record
 * the app stored is the key record:<n> (its number), a string whose value
 * is when it was written; a key made through redis-cli is itself, a string,
 * a hash or a list. Answered: PING, DBSIZE, KEYS, GET, SET, INCR, DEL,
 * EXISTS, TYPE, TTL (no key expires here: -1, or -2 for no key), HSET, HGET,
 * HGETALL, HKEYS, HVALS, HLEN, HDEL, LPUSH, RPUSH, LRANGE, LLEN. Without a
 * terminal (kubectl exec runs none), redis-cli prints raw replies: an
 * integer as its digits, nil as an empty line, an array one element a line
 * (an empty one: an empty line) -- redis-cli.c cliFormatReplyRaw, and the
 * newline cliReadReply adds. A command on a key of another type gets the
 * server's "WRONGTYPE Operation against a key holding the wrong kind of
 * value" (server.h shared.wrongtypeerr). Anything else is said to be
 * beyond kubesim, exit 1.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal/sim.h"
#include "internal/exec.h"
#include "load/ks_catalog.h"
#include "storage/internal/data.h"

/* A hash or a list is kept as its key's file: a tag, then its items, each
 * ended by RS (a hash: field US value RS). */
#define TAG_HASH "\001hash\n"
#define TAG_LIST "\001list\n"
#define US '\037'
#define RS '\036'

typedef enum { R_NONE, R_STRING, R_HASH, R_LIST } rtype;

#define MAX_ITEMS 1024

typedef struct items {
    rtype type;
    const char *k[MAX_ITEMS], *v[MAX_ITEMS];   /* list: v only */
    size_t n;
} items;

/* A record the app stored: "record:<n>"; its row, or NULL. */
static const ksi_record *stored(ksi_exec *x, const char *key)
{
    const ksi_record *rows;
    size_t n = x->data ? ksi_data_rows(x->data, &rows) : 0, i;
    char *end;
    long long seq;
    if (strncmp(key, "record:", 7) != 0 || !isdigit((unsigned char)key[7]))
        return NULL;
    seq = strtoll(key + 7, &end, 10);
    for (i = 0; !*end && i < n; i++)
        if (rows[i].seq == seq && !rows[i].file)
            return &rows[i];
    return NULL;
}

/* The text of key (NULL: no such key), in buf when it is a record's. */
static const char *raw(ksi_exec *x, const char *key, char *buf, size_t n)
{
    const ksi_record *r = stored(x, key);
    if (r) {
        ks_civil c;
        ks_civil_from_unix((int64_t)x->sim->cluster->clock + r->at / KS_SEC, &c);
        snprintf(buf, n, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)c.year, c.month, c.day,
                 c.hour, c.minute, c.second);
        return buf;
    }
    return x->data ? ksi_data_file_read(x->data, key) : NULL;
}

static rtype type_of(const char *text)
{
    if (!text)
        return R_NONE;
    if (strncmp(text, TAG_HASH, strlen(TAG_HASH)) == 0)
        return R_HASH;
    if (strncmp(text, TAG_LIST, strlen(TAG_LIST)) == 0)
        return R_LIST;
    return R_STRING;
}

/* key's hash or list, split into its (arena-copied) items. */
static rtype load(ksi_exec *x, const char *key, items *it)
{
    char buf[64];
    const char *text = raw(x, key, buf, sizeof buf), *s;
    it->n = 0;
    it->type = type_of(text);
    if (it->type != R_HASH && it->type != R_LIST)
        return it->type;
    for (s = strchr(text, '\n') + 1; *s && it->n < MAX_ITEMS;) {
        const char *e = strchr(s, RS), *u;
        size_t len = e ? (size_t)(e - s) : strlen(s);
        u = it->type == R_HASH ? memchr(s, US, len) : NULL;
        if (u) {
            it->k[it->n] = ks_arena_printf(x->ar, "%.*s", (int)(u - s), s);
            it->v[it->n] = ks_arena_printf(x->ar, "%.*s", (int)(s + len - u - 1), u + 1);
        } else {
            it->k[it->n] = NULL;
            it->v[it->n] = ks_arena_printf(x->ar, "%.*s", (int)len, s);
        }
        it->n++;
        s += len + (e ? 1 : 0);
    }
    return it->type;
}

static void save(ksi_exec *x, const char *key, const items *it)
{
    ks_strbuf b;
    size_t i;
    ks_strbuf_init(&b, NULL);
    ks_strbuf_printf(&b, "%s", it->type == R_HASH ? TAG_HASH : TAG_LIST);
    for (i = 0; i < it->n; i++) {
        if (it->type == R_HASH)
            ks_strbuf_printf(&b, "%s%c", it->k[i], US);
        ks_strbuf_printf(&b, "%s%c", it->v[i], RS);
    }
    if (it->n)
        ksi_data_file_write(x->sim, x->data, key, ks_strbuf_str(&b), false);
    else                              /* an empty hash or list is no key */
        ksi_data_file_remove(x->sim, x->data, key);
    ks_strbuf_fini(&b);
}

static int wrongtype(ksi_exec *x)
{
    ks_strbuf_printf(ksi_err(x), "WRONGTYPE Operation against a key holding the wrong kind of "
                             "value\n");
    return 1;
}

static int integer(ksi_exec *x, long long v)
{
    ks_strbuf_printf(ksi_out(x), "%lld\n", v);
    return 0;
}

static int not_integer(ksi_exec *x)
{
    ks_strbuf_printf(ksi_err(x), "ERR value is not an integer or out of range\n");
    return 1;
}

static bool parse_ll(const char *s, long long *v)
{
    char *end;
    if (!*s)
        return false;
    *v = strtoll(s, &end, 10);
    return !*end;
}

/* ---- strings ------------------------------------------------------------------------------ */
static int get(ksi_exec *x, const char *key)
{
    char buf[64];
    const char *v = raw(x, key, buf, sizeof buf);
    if (type_of(v) > R_STRING)
        return wrongtype(x);
    ks_strbuf_printf(ksi_out(x), "%s\n", v ? v : "");   /* nil: an empty line */
    return 0;
}

/* SET, INCR of a key made through redis-cli (a new key is a new record). */
static int set(ksi_exec *x, bool incr, const char *key, const char *value)
{
    char buf[64], num[32];
    const char *old = raw(x, key, buf, sizeof buf);
    long long v = 0;
    if (stored(x, key)) {
        ks_strbuf_printf(ksi_err(x), "kubesim: redis-cli here does not change the records the app "
                                 "stored (%s)\n", key);
        return 1;
    }
    if (!incr) {
        ksi_data_file_write(x->sim, x->data, key, value, false);
        ks_strbuf_printf(ksi_out(x), "OK\n");
        return 0;
    }
    if (type_of(old) > R_STRING)
        return wrongtype(x);
    if (old && (!parse_ll(old, &v) || (*old == '0' && old[1])))
        return not_integer(x);
    snprintf(num, sizeof num, "%lld", v + 1);
    ksi_data_file_write(x->sim, x->data, key, num, false);
    return integer(x, v + 1);
}

static int keys(ksi_exec *x, const char *pattern)
{
    const ksi_record *rows;
    size_t n = x->data ? ksi_data_rows(x->data, &rows) : 0, i;
    char name[32];
    bool any = false;
    for (i = 0; i < n; i++) {
        const char *k = rows[i].file ? ksi_data_file_name(x->data, rows[i].file - 1) : name;
        if (!rows[i].file)
            snprintf(name, sizeof name, "record:%lld", (long long)rows[i].seq);
        if (k && ks_glob(pattern, k)) {
            ks_strbuf_printf(ksi_out(x), "%s\n", k);
            any = true;
        }
    }
    if (!any)
        ks_strbuf_printf(ksi_out(x), "\n");   /* an empty array */
    return 0;
}

/* ---- hashes and lists ------------------------------------------------------------------- */
static int hash_cmd(ksi_exec *x, const char *cmd, const char *const *a, size_t na)
{
    items it;
    size_t i, j;
    long long added = 0;
    rtype t;
    if (stored(x, a[0]))
        return wrongtype(x);
    t = load(x, a[0], &it);
    if (t != R_NONE && t != R_HASH)
        return wrongtype(x);
    it.type = R_HASH;
    if (strcasecmp(cmd, "HSET") == 0 || strcasecmp(cmd, "HDEL") == 0) {
        bool del = strcasecmp(cmd, "HDEL") == 0;
        for (j = 1; j < na; j += del ? 1 : 2) {
            for (i = 0; i < it.n && strcmp(it.k[i], a[j]) != 0; i++) {
            }
            if (del && i < it.n) {
                memmove(&it.k[i], &it.k[i + 1], (it.n - i - 1) * sizeof it.k[0]);
                memmove(&it.v[i], &it.v[i + 1], (it.n - i - 1) * sizeof it.v[0]);
                it.n--;
                added++;
            } else if (!del && i == it.n && it.n < MAX_ITEMS) {
                it.k[it.n] = a[j];
                it.v[it.n++] = a[j + 1];
                added++;
            } else if (!del && i < it.n) {
                it.v[i] = a[j + 1];
            }
        }
        if (!del || t != R_NONE)
            save(x, a[0], &it);
        return integer(x, added);
    }
    if (strcasecmp(cmd, "HLEN") == 0)
        return integer(x, (long long)it.n);
    if (strcasecmp(cmd, "HGET") == 0) {
        for (i = 0; i < it.n && strcmp(it.k[i], a[1]) != 0; i++) {
        }
        ks_strbuf_printf(ksi_out(x), "%s\n", i < it.n ? it.v[i] : "");
        return 0;
    }
    for (i = 0; i < it.n; i++) {      /* HGETALL, HKEYS, HVALS */
        if (strcasecmp(cmd, "HVALS") != 0)
            ks_strbuf_printf(ksi_out(x), "%s\n", it.k[i]);
        if (strcasecmp(cmd, "HKEYS") != 0)
            ks_strbuf_printf(ksi_out(x), "%s\n", it.v[i]);
    }
    if (!it.n)
        ks_strbuf_printf(ksi_out(x), "\n");
    return 0;
}

static int list_cmd(ksi_exec *x, const char *cmd, const char *const *a, size_t na)
{
    items it;
    size_t i;
    long long start, stop, n;
    rtype t;
    if (stored(x, a[0]))
        return wrongtype(x);
    t = load(x, a[0], &it);
    if (t != R_NONE && t != R_LIST)
        return wrongtype(x);
    it.type = R_LIST;
    if (strcasecmp(cmd, "LPUSH") == 0 || strcasecmp(cmd, "RPUSH") == 0) {
        bool left = toupper((unsigned char)cmd[0]) == 'L';
        for (i = 1; i < na && it.n < MAX_ITEMS; i++) {
            if (left) {
                memmove(&it.v[1], &it.v[0], it.n * sizeof it.v[0]);
                it.v[0] = a[i];
            } else {
                it.v[it.n] = a[i];
            }
            it.k[it.n++] = NULL;
        }
        save(x, a[0], &it);
        return integer(x, (long long)it.n);
    }
    if (strcasecmp(cmd, "LLEN") == 0)
        return integer(x, (long long)it.n);
    /* LRANGE key start stop: negative indexes count from the end */
    if (!parse_ll(a[1], &start) || !parse_ll(a[2], &stop))
        return not_integer(x);
    n = (long long)it.n;
    start = start < 0 ? (start + n < 0 ? 0 : start + n) : start;
    stop = stop < 0 ? stop + n : (stop >= n ? n - 1 : stop);
    for (i = (size_t)start; (long long)i <= stop && (long long)i < n; i++)
        ks_strbuf_printf(ksi_out(x), "%s\n", it.v[i]);
    if (start > stop || start >= n)
        ks_strbuf_printf(ksi_out(x), "\n");
    return 0;
}

/* ---- the command line -------------------------------------------------------------------- */
typedef struct command {
    const char *name;
    int min, max;                 /* arguments after the name; -1: any */
    int step;                     /* HSET: pairs after the key */
} command;

static const command commands[] = {
    {"PING", 0, 0, 0},    {"DBSIZE", 0, 0, 0},  {"KEYS", 1, 1, 0},    {"GET", 1, 1, 0},
    {"SET", 2, 2, 0},     {"INCR", 1, 1, 0},    {"DEL", 1, -1, 0},    {"EXISTS", 1, -1, 0},
    {"TYPE", 1, 1, 0},    {"TTL", 1, 1, 0},     {"HSET", 3, -1, 2},   {"HGET", 2, 2, 0},
    {"HGETALL", 1, 1, 0}, {"HKEYS", 1, 1, 0},   {"HVALS", 1, 1, 0},   {"HLEN", 1, 1, 0},
    {"HDEL", 2, -1, 0},   {"LPUSH", 2, -1, 0},  {"RPUSH", 2, -1, 0},  {"LRANGE", 3, 3, 0},
    {"LLEN", 1, 1, 0}};

static int keyspace(ksi_exec *x, const char *cmd, const char *const *a, size_t na)
{
    char buf[64];
    size_t i;
    long long n = 0;
    const char *v = raw(x, a[0], buf, sizeof buf);
    if (strcasecmp(cmd, "TYPE") == 0) {
        static const char *const names[] = {"none", "string", "hash", "list"};
        ks_strbuf_printf(ksi_out(x), "%s\n", names[type_of(v)]);
        return 0;
    }
    if (strcasecmp(cmd, "TTL") == 0)
        return integer(x, v ? -1 : -2);   /* no expiry is simulated */
    for (i = 0; i < na; i++) {
        bool there = raw(x, a[i], buf, sizeof buf) != NULL;
        if (strcasecmp(cmd, "DEL") == 0 && there && stored(x, a[i])) {
            ks_strbuf_printf(ksi_err(x), "kubesim: redis-cli here does not change the records the "
                                     "app stored (%s)\n", a[i]);
            return 1;
        }
        if (strcasecmp(cmd, "DEL") == 0 && there)
            there = ksi_data_file_remove(x->sim, x->data, a[i]);
        n += there;
    }
    return integer(x, n);
}

static int run(ksi_exec *x, const command *c, const char *const *a, size_t na)
{
    const char *cmd = c->name;
    if (strcmp(cmd, "PING") == 0) {
        ks_strbuf_printf(ksi_out(x), "PONG\n");
        return 0;
    }
    if (strcmp(cmd, "DBSIZE") == 0)
        return integer(x, x->data ? ksi_data_records(x->data) : 0);
    if (strcmp(cmd, "KEYS") == 0)
        return keys(x, a[0]);
    if (strcmp(cmd, "GET") == 0)
        return get(x, a[0]);
    if (!x->data)
        return 1;
    if (strcmp(cmd, "SET") == 0 || strcmp(cmd, "INCR") == 0)
        return set(x, cmd[0] == 'I', a[0], na > 1 ? a[1] : NULL);
    if (cmd[0] == 'H')
        return hash_cmd(x, cmd, a, na);
    if (cmd[0] == 'L' || cmd[0] == 'R')
        return list_cmd(x, cmd, a, na);
    return keyspace(x, cmd, a, na);
}

int ksi_redis_cli(ksi_exec *x, const char *const *argv, size_t argc)
{
    size_t i = 1, k, nargs;
    const char *cmd;
    const size_t ncommands = sizeof commands / sizeof commands[0];
    while (i < argc && argv[i][0] == '-') {
        if (strchr("hpanu", argv[i][1]) && !argv[i][2])
            i++;                      /* an option with its value */
        i++;
    }
    if (i >= argc)
        return 0;                     /* no terminal, no input */
    if (!x->listening) {
        ks_strbuf_printf(ksi_out(x), "Could not connect to Redis at 127.0.0.1:6379: Connection "
                                 "refused\n");
        return 1;
    }
    cmd = argv[i];
    nargs = argc - i - 1;
    for (k = 0; k < ncommands && strcasecmp(cmd, commands[k].name); k++) {
    }
    if (k == ncommands) {
        ks_strbuf_printf(ksi_err(x), "kubesim: redis-cli here answers PING, DBSIZE, KEYS, GET, "
                                     "SET, INCR, DEL, EXISTS, TYPE, TTL, HSET, HGET, HGETALL, "
                                     "HKEYS, HVALS, HLEN, HDEL, LPUSH, RPUSH, LRANGE and LLEN; "
                                     "%s is not simulated\n", cmd);
        return 1;
    }
    if ((int)nargs < commands[k].min || (commands[k].max >= 0 && (int)nargs > commands[k].max)
        || (commands[k].step && (nargs - 1) % (size_t)commands[k].step)) {
        char low[16];
        size_t j;
        for (j = 0; cmd[j] && j + 1 < sizeof low; j++)
            low[j] = (char)tolower((unsigned char)cmd[j]);
        low[j] = '\0';
        if (strcmp(low, "set") == 0 && nargs > 2) {
            ks_strbuf_printf(ksi_err(x), "kubesim: redis-cli here answers SET key value, without "
                                     "options; this is not simulated\n");
            return 1;
        }
        ks_strbuf_printf(ksi_err(x), "ERR wrong number of arguments for '%s' command\n", low);
        return 1;
    }
    return run(x, &commands[k], argv + i + 1, nargs);
}
