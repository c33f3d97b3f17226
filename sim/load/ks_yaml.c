/* ks_yaml.c -- libyaml events into a ks_yaml tree, limits checked as we go.
 *
 * One open-collection stack; a collection's items are gathered in a growing
 * arena array and the node's weight (its size with aliases expanded) is
 * summed as children complete, so an alias costs its anchor's weight without
 * copying anything. Anchors are registered when their node completes, so an
 * alias can never refer to a node that contains it: the tree is acyclic.
 *
 * Aliases are bounded as kubectl bounds them (it reads YAML with go-yaml,
 * through sigs.k8s.io/yaml): go-yaml counts a "decode" per node as it walks
 * a document, an alias's anchored nodes once more each time, and refuses
 * the document ("document contains excessive aliasing") once more than 100
 * of over 1,000 decodes came from aliases and their share passes 99% (up
 * to 400,000 decodes), falling linearly to 10% at 4,000,000
 * (allowedAliasRatio, gopkg.in/yaml.v2 and yaml.v3 decode.go). A document
 * without aliases is bounded by its bytes alone (max_doc_bytes).
 */
#include "ks_yaml.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "ks_file.h"

ks_yaml_limits ks_yaml_default_limits(void)
{
    ks_yaml_limits l;
    /* The API server's terms: kubectl sends each document of a file as its
     * own request, and the API server takes a request body of at most 3 MiB
     * (MaxRequestBodyBytes: 3 * 1024 * 1024, staging/src/k8s.io/apiserver/
     * pkg/server/config.go); it puts no bound on how many documents a file
     * holds. kubesim's own bounds: a file as large as this machine reads
     * quickly, and as many documents as a manifest set holds objects
     * (KS_MANIFEST_MAX_OBJECTS). */
    l.max_bytes = 32u << 20;
    l.max_doc_bytes = 3u << 20;
    l.max_depth = 64;
    l.max_scalar = 1u << 20;
    l.max_docs = 10000;
    return l;
}

typedef struct anchor {
    const char *name;
    ks_yaml_node *node;
} anchor;

typedef struct frame {
    ks_yaml_node *node;
    const char *anchor;       /* to register when the node completes */
    size_t cap;               /* of node->items */
    size_t count;             /* items gathered (keys and values) */
} frame;

typedef struct builder {
    ks_arena *ar;
    const char *file;
    const ks_yaml_limits *lim;
    ks_diags *d;
    frame *stack;
    unsigned depth;
    anchor *anchors;
    size_t nanchors, anchors_cap;
    ks_yaml_doc *docs;
    size_t ndocs, docs_cap;
    size_t doc_start;         /* offset of the document being built */
    ks_yaml_node *root;       /* of the document being built */
    const char *buf;          /* the text, for marks of reader errors */
    size_t len;
    int soft_error;           /* duplicate keys: reported, parsing goes on */
    uint64_t decodes;         /* go-yaml's decodeCount in this document */
    uint64_t alias_decodes;   /* ... and its aliasCount */
} builder;

static ks_mark mark_of(const builder *b, yaml_mark_t m)
{
    ks_mark k;
    k.file = b->file;
    k.line = (unsigned)m.line + 1;
    k.col = (unsigned)m.column + 1;
    return k;
}

static int oom(builder *b, yaml_mark_t m)
{
    return ks_diag_error(b->d, KS_ENOMEM, mark_of(b, m), "out of memory while reading YAML");
}

/* Arena arrays never shrink or free; doubling wastes at most half. */
static int grow(builder *b, void **items, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *p;
    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 4;
    while (ncap < need)
        ncap *= 2;
    p = ks_arena_alloc(b->ar, ncap * elem);
    if (!p)
        return -1;
    if (*cap)
        memcpy(p, *items, *cap * elem);
    *items = p;
    *cap = ncap;
    return 0;
}

/* go-yaml's alias bound (see the top of the file), in integers: whether
 * alias/decodes passes 0.99 - 0.89 * (decodes - LOW) / (HIGH - LOW),
 * clamped to [0.10, 0.99]. */
#define ALIAS_RANGE_LOW 400000u
#define ALIAS_RANGE_HIGH 4000000u
static bool excessive_aliasing(uint64_t decodes, uint64_t alias)
{
    const uint64_t range = ALIAS_RANGE_HIGH - ALIAS_RANGE_LOW;
    if (alias <= 100 || decodes <= 1000)
        return false;
    if (decodes <= ALIAS_RANGE_LOW)
        return alias * 100 > decodes * 99;
    if (decodes >= ALIAS_RANGE_HIGH)
        return alias * 10 > decodes;
    /* alias / decodes > (99 * range - 89 * (decodes - LOW)) / (100 * range) */
    return alias * 100 * range > decodes * (99 * range - 89 * (decodes - ALIAS_RANGE_LOW));
}

/* Attaches a completed node to the open collection (or makes it the root). */
static int attach(builder *b, ks_yaml_node *n, yaml_mark_t m)
{
    frame *f;
    if (b->depth == 0) {
        b->root = n;
        return KS_OK;
    }
    f = &b->stack[b->depth - 1];
    if (f->node->kind == KS_YAML_MAP && f->count % 2 == 0 && n->kind != KS_YAML_SCALAR)
        return ks_diag_error(b->d, KS_ESYNTAX, n->mark,
                             "a mapping key must be a plain string, not a %s",
                             n->kind == KS_YAML_MAP ? "mapping" : "sequence");
    if (grow(b, (void **)&f->node->items, &f->cap, f->count + 1, sizeof *f->node->items))
        return oom(b, m);
    f->node->items[f->count++] = n;
    f->node->weight += n->weight;
    return KS_OK;
}

static int add_anchor(builder *b, const char *name, ks_yaml_node *n, yaml_mark_t m)
{
    if (!name)
        return KS_OK;
    if (grow(b, (void **)&b->anchors, &b->anchors_cap, b->nanchors + 1, sizeof *b->anchors))
        return oom(b, m);
    b->anchors[b->nanchors].name = name;
    b->anchors[b->nanchors].node = n;
    b->nanchors++;
    return KS_OK;
}

static ks_yaml_node *find_anchor(const builder *b, const char *name)
{
    size_t i = b->nanchors;
    while (i-- > 0)                      /* latest definition wins */
        if (strcmp(b->anchors[i].name, name) == 0)
            return b->anchors[i].node;
    return NULL;
}

static const char *dup_str(builder *b, const yaml_char_t *s)
{
    return s ? ks_arena_strdup(b->ar, (const char *)s) : NULL;
}

static int key_cmp(const void *pa, const void *pb)
{
    const ks_yaml_node *a = *(ks_yaml_node *const *)pa, *c = *(ks_yaml_node *const *)pb;
    size_t n = a->len < c->len ? a->len : c->len;
    int r = memcmp(a->str, c->str, n);
    if (r)
        return r;
    if (a->len != c->len)
        return a->len < c->len ? -1 : 1;
    /* equal keys: order by position, so the report names the second one */
    if (a->mark.line != c->mark.line)
        return a->mark.line < c->mark.line ? -1 : 1;
    return a->mark.col < c->mark.col ? -1 : (a->mark.col > c->mark.col);
}

/* Duplicate keys: sort the keys (by text, then position) and compare
 * neighbours. O(n log n), in the arena. */
static int check_duplicates(builder *b, const ks_yaml_node *map, yaml_mark_t m)
{
    ks_yaml_node **keys;
    size_t i;
    int rc = KS_OK;
    if (map->n < 2)
        return KS_OK;
    keys = ks_arena_alloc(b->ar, map->n * sizeof *keys);
    if (!keys)
        return oom(b, m);
    for (i = 0; i < map->n; i++)
        keys[i] = map->items[2 * i];
    qsort(keys, map->n, sizeof *keys, key_cmp);
    for (i = 1; i < map->n; i++)
        if (keys[i]->len == keys[i - 1]->len
            && memcmp(keys[i]->str, keys[i - 1]->str, keys[i]->len) == 0) {
            rc = ks_diag_error(b->d, KS_ESCHEMA, keys[i]->mark,
                               "duplicate key '%s' (the API server rejects it); remove "
                               "one of the two", keys[i]->str);
            ks_diag_note(b->d, keys[i - 1]->mark, "'%s' is first set here", keys[i]->str);
        }
    return rc;
}

static ks_yaml_node *new_node(builder *b, ks_yaml_kind kind, yaml_mark_t m,
                              const yaml_char_t *tag)
{
    ks_yaml_node *n = ks_arena_alloc(b->ar, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->mark = mark_of(b, m);
    n->tag = tag ? dup_str(b, tag) : NULL;
    n->weight = 1;
    b->decodes++;
    return n;
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
    ks_yaml_node *n;
    size_t len = ev->data.scalar.length;
    if (len > b->lim->max_scalar)
        return ks_diag_error(b->d, KS_ELIMIT, mark_of(b, ev->start_mark),
                             "value too long (%zu bytes; the limit is %zu)", len,
                             b->lim->max_scalar);
    n = new_node(b, KS_YAML_SCALAR, ev->start_mark, ev->data.scalar.tag);
    if (!n || !(n->str = ks_arena_strndup(b->ar, (const char *)ev->data.scalar.value, len)))
        return oom(b, ev->start_mark);
    n->len = len;
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        n->style = KS_YAML_QUOTED;
        break;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
        n->style = KS_YAML_BLOCK;
        break;
    default:
        n->style = KS_YAML_PLAIN;
    }
    if (add_anchor(b, dup_str(b, ev->data.scalar.anchor), n, ev->start_mark))
        return KS_ENOMEM;
    return attach(b, n, ev->start_mark);
}

static int on_start(builder *b, const yaml_event_t *ev, ks_yaml_kind kind)
{
    const yaml_char_t *tag = kind == KS_YAML_MAP ? ev->data.mapping_start.tag
                                                 : ev->data.sequence_start.tag;
    const yaml_char_t *anc = kind == KS_YAML_MAP ? ev->data.mapping_start.anchor
                                                 : ev->data.sequence_start.anchor;
    ks_yaml_node *n;
    frame *f;
    if (b->depth >= b->lim->max_depth)
        return ks_diag_error(b->d, KS_ELIMIT, mark_of(b, ev->start_mark),
                             "nesting too deep (more than %u levels)", b->lim->max_depth);
    n = new_node(b, kind, ev->start_mark, tag);
    if (!n)
        return oom(b, ev->start_mark);
    f = &b->stack[b->depth++];
    f->node = n;
    f->anchor = anc ? dup_str(b, anc) : NULL;
    f->cap = f->count = 0;
    return KS_OK;
}

static int on_end(builder *b, const yaml_event_t *ev)
{
    frame *f = &b->stack[--b->depth];
    ks_yaml_node *n = f->node;
    int rc;
    n->n = n->kind == KS_YAML_MAP ? f->count / 2 : f->count;
    if (n->kind == KS_YAML_MAP && (rc = check_duplicates(b, n, ev->start_mark)) != KS_OK) {
        if (rc == KS_ENOMEM)
            return rc;
        b->soft_error = rc;   /* keep going: the other problems are wanted too */
    }
    if (f->anchor && add_anchor(b, f->anchor, n, ev->start_mark))
        return KS_ENOMEM;
    return attach(b, n, ev->start_mark);
}

static int on_alias(builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    ks_yaml_node *n = find_anchor(b, name);
    int rc;
    if (!n)
        return ks_diag_error(b->d, KS_ESYNTAX, mark_of(b, ev->start_mark),
                             "alias *%s refers to no anchor &%s before it", name, name);
    /* go-yaml decodes the alias node, then the anchored nodes again; within
       one expansion the share of alias decodes only grows, so checking at
       its end fails exactly the alias at which go-yaml fails */
    b->decodes += 1 + n->weight;
    b->alias_decodes += n->weight;
    if (excessive_aliasing(b->decodes, b->alias_decodes))
        return ks_diag_error(b->d, KS_ELIMIT, mark_of(b, ev->start_mark),
                             "document contains excessive aliasing: at this alias, %llu of "
                             "the %llu nodes read so far are copies made by aliases (kubectl's "
                             "YAML reader refuses that); write the repeated parts out, or use "
                             "fewer aliases",
                             (unsigned long long)b->alias_decodes,
                             (unsigned long long)b->decodes);
    if ((rc = attach(b, n, ev->start_mark)) == KS_OK && b->depth > 0)
        b->stack[b->depth - 1].node->weight++;            /* the alias node itself */
    return rc;
}

static int on_doc_end(builder *b, yaml_mark_t m)
{
    if (!b->root)
        return KS_OK;
    /* one empty document more (a file's trailing ---) is no object */
    if (b->ndocs >= b->lim->max_docs + (b->root->kind == KS_YAML_SCALAR && b->root->len == 0))
        return ks_diag_error(b->d, KS_ELIMIT, mark_of(b, m),
                             "too many documents in one file (the limit is %zu); split the "
                             "file", b->lim->max_docs);
    if (m.index - b->doc_start > b->lim->max_doc_bytes)
        return ks_diag_error(b->d, KS_ELIMIT, b->root->mark,
                             "this document is %zu bytes; the API server takes at most %zu "
                             "bytes in one object (its request-body limit)",
                             m.index - b->doc_start, b->lim->max_doc_bytes);
    if (grow(b, (void **)&b->docs, &b->docs_cap, b->ndocs + 1, sizeof *b->docs))
        return oom(b, m);
    b->docs[b->ndocs].root = b->root;
    b->docs[b->ndocs].mark = b->root->mark;
    b->ndocs++;
    b->root = NULL;
    b->nanchors = 0;          /* anchors do not cross documents */
    return KS_OK;
}

/* The 1-based line and column (in characters, as libyaml counts them) of
 * byte offset off of the text. */
static ks_mark mark_at_offset(const builder *b, size_t off)
{
    ks_mark m = {b->file, 1, 1};
    size_t i;
    for (i = 0; i < off && i < b->len; i++) {
        unsigned char c = (unsigned char)b->buf[i];
        if (c == '\n') {
            m.line++;
            m.col = 1;
        } else if ((c & 0xC0) != 0x80) {
            m.col++;
        }
    }
    return m;
}

static int parser_error(builder *b, const yaml_parser_t *p)
{
    const char *what = p->problem ? p->problem : "malformed YAML";
    ks_mark at = mark_of(b, p->problem_mark);
    if (p->error == YAML_MEMORY_ERROR)
        return ks_diag_error(b->d, KS_ENOMEM, at, "out of memory while reading YAML");
    if (p->error == YAML_READER_ERROR) {
        /* the reader reports a byte offset, not a line: count to it */
        const unsigned char *c = (const unsigned char *)b->buf + p->problem_offset;
        ks_diag_error(b->d, KS_ESYNTAX, mark_at_offset(b, p->problem_offset),
                      "not a text file: %s%s; kubesim reads UTF-8 YAML or JSON", what,
                      p->problem_offset < b->len && *c == 0 ? " (a NUL byte)" : "");
        return KS_ESYNTAX;
    }
    ks_diag_error(b->d, KS_ESYNTAX, at, "%s", what);
    if (p->context)
        ks_diag_note(b->d, mark_of(b, p->context_mark), "%s", p->context);
    return KS_ESYNTAX;
}

int ks_yaml_parse(ks_arena *ar, const char *file, const char *buf, size_t len,
                  const ks_yaml_limits *lim, ks_yaml_stream **out, ks_diags *d)
{
    ks_yaml_limits dflt = ks_yaml_default_limits();
    yaml_parser_t p;
    yaml_event_t ev;
    builder b;
    int rc = KS_OK, done = 0;
    *out = NULL;
    memset(&b, 0, sizeof b);
    b.ar = ar;
    b.lim = lim ? lim : &dflt;
    b.d = d;
    b.buf = buf;
    b.len = len;
    b.file = ks_arena_strdup(ar, file);
    b.stack = ks_arena_alloc(ar, (b.lim->max_depth + 1) * sizeof *b.stack);
    if (!b.file || !b.stack)
        return ks_diag_error(d, KS_ENOMEM, (ks_mark){file, 0, 0}, "out of memory");
    if (len > b.lim->max_bytes)
        return ks_diag_error(d, KS_ELIMIT, (ks_mark){b.file, 0, 0},
                             "file too large (%zu bytes; the limit is %zu)", len,
                             b.lim->max_bytes);
    if (!yaml_parser_initialize(&p))
        return ks_diag_error(d, KS_ENOMEM, (ks_mark){b.file, 0, 0}, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    while (!done && rc == KS_OK) {
        if (!yaml_parser_parse(&p, &ev)) {
            rc = parser_error(&b, &p);
            break;
        }
        switch (ev.type) {
        case YAML_SCALAR_EVENT:
            rc = on_scalar(&b, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            rc = on_start(&b, &ev, KS_YAML_SEQ);
            break;
        case YAML_MAPPING_START_EVENT:
            rc = on_start(&b, &ev, KS_YAML_MAP);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            rc = on_end(&b, &ev);
            break;
        case YAML_ALIAS_EVENT:
            rc = on_alias(&b, &ev);
            break;
        case YAML_DOCUMENT_START_EVENT:
            b.doc_start = ev.start_mark.index;
            b.decodes = 1;                       /* the document node */
            b.alias_decodes = 0;
            break;
        case YAML_DOCUMENT_END_EVENT:
            rc = on_doc_end(&b, ev.start_mark);
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (rc != KS_OK)
        return rc;
    *out = ks_arena_alloc(ar, sizeof **out);
    if (!*out)
        return ks_diag_error(d, KS_ENOMEM, (ks_mark){b.file, 0, 0}, "out of memory");
    (*out)->file = b.file;
    (*out)->docs = b.docs;
    (*out)->ndocs = b.ndocs;
    return b.soft_error;
}

int ks_yaml_load_file(ks_arena *ar, const char *path, const ks_yaml_limits *lim,
                      ks_yaml_stream **out, ks_diags *d)
{
    ks_yaml_limits dflt = ks_yaml_default_limits();
    const char *name;
    char *buf;
    size_t len;
    int rc;
    *out = NULL;
    if (!lim)
        lim = &dflt;
    /* regular files only, read to the end (ks_file.h) */
    if ((rc = ks_file_read(ar, path, lim->max_bytes, &buf, &len, &name, d)) != KS_OK)
        return rc;
    return ks_yaml_parse(ar, name, buf, len, lim, out, d);
}

/* ---- reading the tree ---------------------------------------------------- */
static const ks_yaml_node *pair_of(const ks_yaml_node *m, const char *key, int value)
{
    size_t i, klen = strlen(key);
    if (!m || m->kind != KS_YAML_MAP)
        return NULL;
    for (i = 0; i < m->n; i++) {
        const ks_yaml_node *k = m->items[2 * i];
        if (k->len == klen && memcmp(k->str, key, klen) == 0)
            return m->items[2 * i + value];
    }
    return NULL;
}

const ks_yaml_node *ks_yaml_key(const ks_yaml_node *m, const char *key)
{
    return pair_of(m, key, 0);
}

const ks_yaml_node *ks_yaml_get(const ks_yaml_node *m, const char *key)
{
    return pair_of(m, key, 1);
}

static bool tagged_str(const ks_yaml_node *n)
{
    return n->tag && (strcmp(n->tag, "tag:yaml.org,2002:str") == 0 || strcmp(n->tag, "!!str") == 0);
}

bool ks_yaml_is_null(const ks_yaml_node *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    size_t i;
    if (!n || n->kind != KS_YAML_SCALAR || n->style != KS_YAML_PLAIN || tagged_str(n))
        return false;
    for (i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        if (strcmp(n->str, nulls[i]) == 0)
            return true;
    return false;
}

bool ks_yaml_bool(const ks_yaml_node *n, bool *out)
{
    static const char *const t[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static const char *const f[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    size_t i;
    if (!n || n->kind != KS_YAML_SCALAR || n->style != KS_YAML_PLAIN || tagged_str(n))
        return false;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (strcmp(n->str, t[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(n->str, f[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

bool ks_yaml_int(const ks_yaml_node *n, int64_t *out)
{
    const char *s;
    char *end;
    int base = 10;
    long long v;
    if (!n || n->kind != KS_YAML_SCALAR || n->style != KS_YAML_PLAIN || tagged_str(n))
        return false;
    s = n->str;
    if (!*s || strlen(s) != n->len)
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0' && s[1] == 'o') {
        base = 8;
        s += 2;
    }
    if (!*s || *s == ' ' || (base != 10 && (*s == '-' || *s == '+')))
        return false;
    errno = 0;
    v = strtoll(s, &end, base);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool is_float(const ks_yaml_node *n)
{
    char *end;
    const char *s = n->str;
    if (!*s)
        return false;
    if (strcmp(s, ".inf") == 0 || strcmp(s, "-.inf") == 0 || strcmp(s, ".nan") == 0
        || strcmp(s, ".Inf") == 0 || strcmp(s, ".NaN") == 0)
        return true;
    if (!strpbrk(s, "0123456789") || strpbrk(s, "xX") || strchr(s, ' '))
        return false;
    strtod(s, &end);
    return *end == '\0';
}

bool ks_yaml_is_string(const ks_yaml_node *n)
{
    int64_t i;
    bool b;
    if (!n || n->kind != KS_YAML_SCALAR)
        return false;
    if (n->style != KS_YAML_PLAIN || tagged_str(n))
        return true;
    return !ks_yaml_is_null(n) && !ks_yaml_bool(n, &b) && !ks_yaml_int(n, &i) && !is_float(n);
}

const char *ks_yaml_type_name(const ks_yaml_node *n)
{
    int64_t i;
    bool b;
    if (!n)
        return "nothing";
    if (n->kind == KS_YAML_MAP)
        return "object";
    if (n->kind == KS_YAML_SEQ)
        return "array";
    if (ks_yaml_is_string(n))
        return "string";
    if (ks_yaml_is_null(n))
        return "null";
    if (ks_yaml_bool(n, &b))
        return "boolean";
    if (ks_yaml_int(n, &i))
        return "integer";
    return "number";
}

uint64_t ks_yaml_fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Recursion depth is bounded by the parser's max_depth. */
static uint64_t hash_node(uint64_t h, const ks_yaml_node *n)
{
    size_t i, count;
    unsigned char tag = (unsigned char)n->kind;
    h = ks_yaml_fnv(h, &tag, 1);
    if (n->kind == KS_YAML_SCALAR)
        return ks_yaml_fnv(ks_yaml_fnv(h, n->str, n->len), "\0", 1);
    count = n->kind == KS_YAML_MAP ? 2 * n->n : n->n;
    for (i = 0; i < count; i++)
        h = hash_node(h, n->items[i]);
    return ks_yaml_fnv(h, "]", 1);
}

uint64_t ks_yaml_hash(const ks_yaml_node *n)
{
    return n ? hash_node(0xcbf29ce484222325ULL, n) : 0;
}
